//! Reading a template: RON parsing with positions, then every check the linter makes.

use crate::diagnostic::{Diagnostic, Severity, SourceIndex};
use crate::template::Template;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoryError {
    #[error("cannot read story {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}", render(.0))]
    Invalid(Vec<Diagnostic>),
    #[error("no story called `{0}`; looked in {1}")]
    NotFound(String, String),
    #[error("no such file: {0}")]
    NoSuchFile(PathBuf),
}

fn render(diags: &[Diagnostic]) -> String {
    let errors: Vec<String> = diags.iter().filter(|d| d.severity == Severity::Error).map(|d| d.to_string()).collect();
    format!("{} error(s) in story:\n{}", errors.len(), errors.join("\n"))
}

/// A template that parsed and passed every check, with what identifies its exact text.
#[derive(Clone, Debug)]
pub struct Story {
    pub template: Template,
    pub file: String,
    /// Hash of the source text: saves made from another text are refused.
    pub digest: String,
    /// Warnings the linter found (errors make loading fail).
    pub warnings: Vec<Diagnostic>,
}

impl Story {
    pub fn load(path: &Path) -> Result<Story, StoryError> {
        let text = std::fs::read_to_string(path).map_err(|source| StoryError::Io { path: path.into(), source })?;
        Story::from_source(&path.display().to_string(), &text)
    }

    pub fn from_source(file: &str, text: &str) -> Result<Story, StoryError> {
        let template = parse(file, text).map_err(|d| StoryError::Invalid(vec![d]))?;
        let diags = crate::lint::check(file, text, &template);
        if diags.iter().any(|d| d.severity == Severity::Error) {
            return Err(StoryError::Invalid(diags));
        }
        Ok(Story { template, file: file.to_string(), digest: digest(text), warnings: diags })
    }

    pub fn id(&self) -> &str {
        &self.template.id
    }

    pub fn title(&self) -> &str {
        &self.template.title
    }
}

pub(crate) fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(
        ron::extensions::Extensions::IMPLICIT_SOME | ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES,
    )
}

/// Parses RON into a template; a syntax or type error becomes one diagnostic.
pub fn parse(file: &str, text: &str) -> Result<Template, Diagnostic> {
    ron_options().from_str::<Template>(text).map_err(|e| {
        let index = SourceIndex::new(file, text, []);
        let offset = index.offset_of(e.span.start.line, e.span.start.col);
        let mut d = index.diagnostic(Severity::Error, Some((offset, 1)), e.code.to_string(), Some(syntax_hint(&e.code)));
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
        E::NoSuchEnumVariant { expected, .. } => format!("expected one of: {}", expected.join(", ")),
        E::ExpectedDifferentStructName { .. } => "the name before `(` must match the part being written".into(),
        E::Eof => "the file ends early: is a `)` or `]` missing?".into(),
        _ => "check the brackets, commas and quotes near here".into(),
    }
}

/// FNV-1a over the source text. Not cryptographic: it only tells one text from another, so a
/// dependency would buy nothing.
pub fn digest(text: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

/// Finds a story by path or by name. Something that looks like a path (it has a `/` or ends in
/// `.ron`) is a path, and a missing one is "no such file". A name (`demo`) is looked up as
/// `NAME.ron` in [`search_dirs`].
pub fn find(name: &str) -> Result<PathBuf, StoryError> {
    let path = Path::new(name);
    if name.contains(std::path::MAIN_SEPARATOR) || name.contains('/') || name.ends_with(".ron") {
        return if path.is_file() {
            Ok(path.to_path_buf())
        } else {
            Err(StoryError::NoSuchFile(path.to_path_buf()))
        };
    }
    let file = format!("{name}.ron");
    let dirs = search_dirs();
    dirs.iter().map(|d| d.join(&file)).find(|p| p.is_file()).ok_or_else(|| {
        StoryError::NotFound(name.into(), dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", "))
    })
}

/// Where stories are looked for by name, most specific first: `$CAMPFIRE_STORIES`, then the
/// `stories` folder of every data tree ([`campfire_paths::roots`]).
pub fn search_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os("CAMPFIRE_STORIES").filter(|d| !d.is_empty()) {
        dirs.push(PathBuf::from(d));
    }
    dirs.extend(campfire_paths::all(campfire_paths::STORIES));
    dirs
}
