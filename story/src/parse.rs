//! RON text → [`Template`], with a syntax or type error as one positioned [`Diagnostic`]. Its own
//! module because both loading and linting start here (it was in `load`, which uses `lint`).

use crate::diagnostic::{Diagnostic, Severity, SourceIndex};
use crate::template::Template;

/// Editors on Windows start UTF-8 files with a byte-order mark; RON would call it a syntax error.
pub(crate) fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

pub(crate) fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(
        ron::extensions::Extensions::IMPLICIT_SOME | ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES,
    )
}

/// Parses RON into a template; a syntax or type error becomes one diagnostic.
pub fn parse(file: &str, text: &str) -> Result<Template, Diagnostic> {
    let text = strip_bom(text);
    if text.trim().is_empty() {
        let index = SourceIndex::new(file, text, []);
        return Err(index.diagnostic(
            Severity::Error,
            None,
            "the file is empty",
            Some("a story starts with `Story(`; `campfire new NAME` writes one to start from".into()),
        ));
    }
    ron_options().from_str::<Template>(text).map_err(|e| {
        let index = SourceIndex::new(file, text, []);
        let offset = index.offset_of(e.span.start.line, e.span.start.col);
        if matches!(e.code, ron::Error::ExpectedComma)
            && let Some(end) = end_of_previous_code(text, offset)
        {
            // RON notices the missing comma at the next item, often a line later; the comma
            // belongs after the item before it.
            let hint = "items in `[ ]` and fields in `( )` are separated by commas".to_string();
            return index.diagnostic(Severity::Error, Some((end, 1)), "a comma is missing here", Some(hint));
        }
        let mut d =
            index.diagnostic(Severity::Error, Some((offset, 1)), e.code.to_string(), Some(syntax_hint(&e.code)));
        // Positions from ron are the truth here; our own line counting is only for the span.
        d.line = e.span.start.line.max(1);
        d.column = e.span.start.col.max(1);
        d
    })
}

/// Where the code before `offset` ends, when only blank lines and comments lie between: the
/// place for a comma RON found missing at `offset`.
fn end_of_previous_code(text: &str, offset: usize) -> Option<usize> {
    let line_start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
    if !text[line_start..offset].trim().is_empty() {
        return None;
    }
    let mut end = line_start;
    for line in text[..line_start].split_inclusive('\n').rev() {
        end -= line.len();
        let code = code_part(line).trim_end();
        if !code.is_empty() {
            return Some(end + code.len());
        }
    }
    None
}

/// A line without its `//` comment (a `//` inside quotes is text).
fn code_part(line: &str) -> &str {
    let mut quoted = false;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match c {
            '"' if prev != '\\' => quoted = !quoted,
            '/' if !quoted && prev == '/' => return &line[..i - 1],
            _ => {}
        }
        prev = c;
    }
    line
}

fn syntax_hint(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::NoSuchStructField { .. } | E::MissingStructField { .. } => {
            "see stories/README.md for the fields each part takes".into()
        }
        E::NoSuchEnumVariant { expected, .. } => {
            format!("expected one of: {}", expected.join(", "))
        }
        E::ExpectedDifferentStructName { .. } => "the name before `(` must match the part being written".into(),
        E::Eof => "the file ends early: is a `)` or `]` missing?".into(),
        _ => "check the brackets, commas and quotes near here".into(),
    }
}
