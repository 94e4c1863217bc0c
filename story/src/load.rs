//! Reading a template: RON parsing with positions, then every check the linter makes.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::Screen;
use crate::parse::{parse, strip_bom};
use crate::runtime::{Params, Runtime, RuntimeError};
use crate::template::Template;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StoryError {
    #[error("cannot read story {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}", render(.0))]
    Invalid(Vec<Diagnostic>),
    #[error("no story called `{0}`; looked in: {1}")]
    NotFound(String, String),
    #[error("no such file: {0}")]
    NoSuchFile(PathBuf),
    #[error("{0} is not a regular file (a story is a `.ron` text file)")]
    NotAFile(PathBuf),
    #[error("{path} is {bytes} bytes; a story file is at most {MAX_STORY_BYTES} bytes")]
    TooLarge { path: PathBuf, bytes: u64 },
    #[error("{path} is not UTF-8 text (first bad byte at line {line}); save it as UTF-8")]
    NotUtf8 { path: PathBuf, line: usize },
}

/// The largest story file read. Shipped stories are a few kilobytes; this stops a wrong file
/// (a video, a disk image) from being read whole.
pub const MAX_STORY_BYTES: u64 = 1 << 20;

/// Reads a story file as text: only regular files (a FIFO named `.ron` would block forever),
/// at most [`MAX_STORY_BYTES`], UTF-8, without a leading byte-order mark.
pub fn read_text(path: &Path) -> Result<String, StoryError> {
    let io = |source| StoryError::Io { path: path.into(), source };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(StoryError::NotAFile(path.into()));
    }
    if meta.len() > MAX_STORY_BYTES {
        return Err(StoryError::TooLarge { path: path.into(), bytes: meta.len() });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        StoryError::NotUtf8 { path: path.into(), line: good.iter().filter(|b| **b == b'\n').count() + 1 }
    })?;
    Ok(strip_bom(&text).to_string())
}

fn render(diags: &[Diagnostic]) -> String {
    let errors: Vec<String> = diags.iter().filter(|d| d.severity == Severity::Error).map(|d| d.to_string()).collect();
    format!("{} error(s) in story:\n{}", errors.len(), errors.join("\n"))
}

/// A template that parsed and passed every check, with where it came from.
#[derive(Clone, Debug)]
pub struct Story {
    /// Shared with every [`Runtime`] playing it.
    pub template: Arc<Template>,
    pub file: String,
    /// Warnings the linter found (errors make loading fail).
    pub warnings: Vec<Diagnostic>,
}

impl Story {
    pub fn load(path: &Path) -> Result<Story, StoryError> {
        let text = read_text(path)?;
        Story::from_source(&path.display().to_string(), &text)
    }

    /// Loads a story and passes every text it will speak or show through `screen` (the
    /// kid-safe filter): what every command that plays a story uses.
    pub fn load_with(path: &Path, screen: Screen<'_>) -> Result<Story, StoryError> {
        let text = read_text(path)?;
        Story::from_source_with(&path.display().to_string(), &text, screen)
    }

    pub fn from_source(file: &str, text: &str) -> Result<Story, StoryError> {
        Story::from_source_with(file, text, &|_, _| None)
    }

    pub fn from_source_with(file: &str, text: &str, screen: Screen<'_>) -> Result<Story, StoryError> {
        let template = parse(file, text).map_err(|d| StoryError::Invalid(vec![d]))?;
        let mut diags = crate::lint::check(file, text, &template);
        diags.extend(crate::lint::screen_texts(file, text, &template, screen));
        if diags.iter().any(|d| d.severity == Severity::Error) {
            return Err(StoryError::Invalid(diags));
        }
        Ok(Story { template: Arc::new(template), file: file.to_string(), warnings: diags })
    }

    /// Starts playing the story with the family's parameters.
    pub fn start(&self, params: Params) -> Result<Runtime, RuntimeError> {
        Runtime::new(self.template.clone(), params)
    }

    pub fn id(&self) -> &str {
        &self.template.id
    }

    pub fn title(&self) -> &str {
        &self.template.title
    }
}

/// Finds a story by path or by name. Something that looks like a path (it has a `/` or ends in
/// `.ron`) is a path, and a missing one is "no such file". A name (`demo`) is looked up as
/// `NAME.ron` in [`search_dirs`].
pub fn find(name: &str) -> Result<PathBuf, StoryError> {
    let path = Path::new(name);
    if name.contains(std::path::MAIN_SEPARATOR) || name.contains('/') || name.ends_with(".ron") {
        return if path.is_file() { Ok(path.to_path_buf()) } else { Err(StoryError::NoSuchFile(path.to_path_buf())) };
    }
    let file = format!("{name}.ron");
    let dirs = search_dirs();
    dirs.iter().map(|d| d.join(&file)).find(|p| p.is_file()).ok_or_else(|| {
        let looked = if dirs.is_empty() {
            // A binary moved away from its checkout and never installed finds no stories at all.
            "no stories folder: install Campfire with `scripts/install`, or set CAMPFIRE_HOME to a checkout".into()
        } else {
            dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
        };
        StoryError::NotFound(name.into(), looked)
    })
}

/// Where stories are looked for by name, most specific first: `$CAMPFIRE_STORIES`
/// ([`campfire_paths::stories_override`]), then the `stories` folder of every data tree
/// ([`campfire_paths::roots`]).
pub fn search_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = campfire_paths::stories_override().into_iter().collect();
    dirs.extend(campfire_paths::all(campfire_paths::STORIES));
    dirs
}
