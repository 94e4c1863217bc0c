//! Problems found in a template, each pinned to a file, line and column, with a hint.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// Byte range in the source, for pretty reports.
    pub offset: usize,
    pub len: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}:{}: {sev}: {}", self.file, self.line, self.column, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Finds where things are in a template's text.
///
/// The RON parser gives positions for syntax and type errors only, not for values it parsed
/// well; references that turn out wrong later (an unknown beat, an unknown character) are found
/// again in the text by their quoted name, searched first inside the beat that holds them.
pub struct SourceIndex<'a> {
    pub file: &'a str,
    pub text: &'a str,
    /// (byte offset of the key, beat id), in text order.
    beats: Vec<(usize, String)>,
}

impl<'a> SourceIndex<'a> {
    pub fn new(file: &'a str, text: &'a str, beat_ids: impl IntoIterator<Item = &'a str>) -> Self {
        let mut beats: Vec<(usize, String)> =
            beat_ids.into_iter().filter_map(|id| find_key(text, id).map(|at| (at, id.to_string()))).collect();
        beats.sort();
        Self { file, text, beats }
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..self.text.floor_char_boundary(offset)];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }

    /// Byte offset of a 1-based line and column.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let mut offset = 0;
        for (i, l) in self.text.split_inclusive('\n').enumerate() {
            if i + 1 == line {
                return offset + l.char_indices().nth(column.saturating_sub(1)).map_or(l.len(), |(b, _)| b);
            }
            offset += l.len();
        }
        self.text.len()
    }

    fn beat_range(&self, beat: &str) -> Option<(usize, usize)> {
        let i = self.beats.iter().position(|(_, id)| id == beat)?;
        let start = self.beats[i].0;
        let end = self.beats.get(i + 1).map_or(self.text.len(), |b| b.0);
        Some((start, end))
    }

    /// Where a beat's key stands.
    pub fn beat(&self, beat: &str) -> Option<(usize, usize)> {
        self.beats.iter().find(|(_, id)| id == beat).map(|(at, id)| (*at, id.len() + 2))
    }

    /// Where `needle` (as written, quotes included if wanted) stands, inside `beat` if given,
    /// else anywhere; the `nth` occurrence (0-based) within that region.
    pub fn find(&self, beat: Option<&str>, needle: &str, nth: usize) -> Option<(usize, usize)> {
        let (start, end) = beat.and_then(|b| self.beat_range(b)).unwrap_or((0, self.text.len()));
        let region = &self.text[start..end];
        region.match_indices(needle).nth(nth).map(|(at, _)| (start + at, needle.len()))
    }

    /// Where a number stands in a beat, however the author wrote it (`-3`, `-3.0`, `-3.00`):
    /// RON keeps no positions for values that parsed, and range errors belong on the number.
    pub fn find_number(&self, beat: Option<&str>, value: f32) -> Option<(usize, usize)> {
        let (start, end) = beat.and_then(|b| self.beat_range(b)).unwrap_or((0, self.text.len()));
        let region = &self.text[start..end];
        let part_of_number = |c: char| c.is_ascii_digit() || c == '.' || c == '_' || c == 'e';
        let mut at = 0;
        while let Some(i) = region[at..].find(|c: char| c.is_ascii_digit() || c == '-' || c == '.') {
            let from = at + i;
            let len = region[from..]
                .char_indices()
                .skip(1)
                .find(|&(_, c)| !part_of_number(c))
                .map_or(region.len() - from, |(j, _)| j);
            let token = &region[from..from + len];
            let boundary = !region[..from].ends_with(|c: char| c.is_alphanumeric() || c == '_');
            if boundary && token.replace('_', "").parse::<f32>().is_ok_and(|n| n == value) {
                return Some((start + from, len));
            }
            at = from + len;
        }
        None
    }

    pub fn diagnostic(
        &self,
        severity: Severity,
        at: Option<(usize, usize)>,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Diagnostic {
        let (offset, len) = at.unwrap_or((0, 0));
        let (line, column) = self.line_col(offset);
        Diagnostic { severity, file: self.file.to_string(), line, column, offset, len, message: message.into(), hint }
    }
}

/// Finds `"id"` followed by a colon: a map key.
fn find_key(text: &str, id: &str) -> Option<usize> {
    let quoted = format!("\"{id}\"");
    text.match_indices(&quoted).find(|(at, q)| text[at + q.len()..].trim_start().starts_with(':')).map(|(at, _)| at)
}

/// The closest of `options` to `wanted`, for "did you mean" hints.
pub fn did_you_mean<'a>(wanted: &str, options: impl IntoIterator<Item = &'a str>) -> Option<String> {
    options
        .into_iter()
        .map(|o| (strsim::levenshtein(wanted, o), o))
        .filter(|(d, o)| *d <= (o.len().max(wanted.len()) / 3).max(2))
        .min()
        .map(|(_, o)| format!("did you mean `{o}`?"))
}
