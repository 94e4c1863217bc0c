//! Save files: a versioned RON document written atomically (temp file + rename), resumed only
//! onto the exact template text that made it.

use crate::load::Story;
use crate::runtime::{Params, Progress, Runtime, initial_stage, resolve_params};
use campfire_scene::SceneState;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Bumped whenever the layout of [`SaveFile`] changes.
pub const FORMAT: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("cannot write save {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cannot read save {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a Campfire save file (or it is damaged): {reason}")]
    Corrupt { path: PathBuf, reason: String },
    #[error("{path} was saved by a newer or older Campfire (save format {found}, this one reads {FORMAT})")]
    Format { path: PathBuf, found: u32 },
    #[error("{path} is a save of story `{found}`, not `{expected}`")]
    OtherStory { path: PathBuf, found: String, expected: String },
    #[error(
        "{path} was saved from a different version of story `{story}` (saved: version {saved_version}, text {saved_digest}; now: version {now_version}, text {now_digest}); it cannot be resumed without changing what happened, so start the story again"
    )]
    TemplateChanged { path: PathBuf, story: String, saved_version: u32, saved_digest: String, now_version: u32, now_digest: String },
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SaveFile {
    pub format: u32,
    pub story: String,
    pub version: u32,
    pub digest: String,
    pub params: Params,
    pub progress: Progress,
}

/// Writes the runtime's progress to `path` atomically: a crash mid-write leaves the old save.
pub fn save(rt: &Runtime, path: &Path) -> Result<(), SaveError> {
    let err = |source| SaveError::Write { path: path.into(), source };
    let story = rt.story();
    let file = SaveFile {
        format: FORMAT,
        story: story.id().to_string(),
        version: story.template.version,
        digest: story.digest.clone(),
        params: rt.params().clone(),
        progress: rt.progress().clone(),
    };
    let text = ron::ser::to_string_pretty(&file, ron::ser::PrettyConfig::default())
        .map_err(|e| err(std::io::Error::other(e)))?;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(err)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
    tmp.write_all(text.as_bytes()).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// Reads a save file and resumes it onto `story`. Never writes to `path`.
pub fn resume(story: Arc<Story>, path: &Path) -> Result<Runtime, SaveError> {
    let text = std::fs::read(path).map_err(|source| SaveError::Read { path: path.into(), source })?;
    let corrupt = |reason: String| SaveError::Corrupt { path: path.into(), reason };
    let text = String::from_utf8(text).map_err(|_| corrupt("it is not text".into()))?;
    // Read the format first so that a future layout gets the right message, not a parse error.
    #[derive(Deserialize)]
    struct Header {
        format: u32,
    }
    // Saves are written and read with plain RON; the template extensions are for authors.
    let opts = ron::Options::default();
    let header: Header = opts.from_str(&text).map_err(|e| corrupt(e.to_string()))?;
    if header.format != FORMAT {
        return Err(SaveError::Format { path: path.into(), found: header.format });
    }
    let file: SaveFile = opts.from_str(&text).map_err(|e| corrupt(e.to_string()))?;
    if file.story != story.id() {
        return Err(SaveError::OtherStory { path: path.into(), found: file.story, expected: story.id().into() });
    }
    if file.version != story.template.version || file.digest != story.digest {
        return Err(SaveError::TemplateChanged {
            path: path.into(),
            story: file.story,
            saved_version: file.version,
            saved_digest: file.digest,
            now_version: story.template.version,
            now_digest: story.digest.clone(),
        });
    }
    let params = resolve_params(&story, file.params.clone()).map_err(|e| corrupt(e.to_string()))?;
    // The log is the truth; a state that does not follow from it was edited or damaged.
    let mut replayed = SceneState::replay(initial_stage(&story), &file.progress.log).map_err(|e| corrupt(format!("its event log does not replay: {e}")))?;
    replayed.advance_to(file.progress.state.now);
    if replayed != file.progress.state {
        return Err(corrupt("its world does not match its event log".into()));
    }
    if !story.template.beats.contains_key(&file.progress.cursor.beat) {
        return Err(corrupt(format!("it stands at beat `{}`, which the story does not have", file.progress.cursor.beat)));
    }
    Ok(Runtime::from_progress(story, params, file.progress))
}
