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
        let mut d =
            index.diagnostic(Severity::Error, Some((offset, 1)), e.code.to_string(), Some(syntax_hint(&e.code)));
        // Positions from ron are the truth here; our own line counting is only for the span.
        d.line = e.span.start.line.max(1);
        d.column = e.span.start.col.max(1);
        d
    })
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
