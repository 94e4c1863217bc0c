//! The stories a family can pick: every `.ron` in the story folders, loaded and checked with the
//! kid-safe filter. A story that fails to load or lint is listed with the reason, not played.

use campfire_render::{Frame, Timeline, render_frame};
use campfire_story::{Objection, Output, Params, Story};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Entry {
    /// The file's stem (`demo`): what `campfire play` takes.
    pub name: String,
    pub path: PathBuf,
    pub story: Result<Arc<Story>, String>,
}

impl Entry {
    pub fn title(&self) -> String {
        match &self.story {
            Ok(s) => s.title().to_string(),
            Err(_) => self.name.clone(),
        }
    }
}

/// The kid-safe filter as the story crate asks for it (the same screen `campfire play` uses).
pub fn kid_safe(text: &str, allow: &[String]) -> Option<Objection> {
    campfire_intent::safety::find_allowing(text, allow)
        .map(|f| Objection { word: f.word, reason: f.reason.describe().to_string() })
}

pub fn load(path: &Path) -> Entry {
    let name = path.file_stem().map_or_else(|| "story".into(), |s| s.to_string_lossy().into_owned());
    let story = Story::load_with(path, &kid_safe).map(Arc::new).map_err(|e| e.to_string());
    if let Err(e) = &story {
        tracing::warn!(story = %path.display(), "listed but not playable: {e}");
    }
    Entry { name, path: path.to_path_buf(), story }
}

/// Every story in the search folders, first folder first, sorted by name within one; a name
/// found twice is listed once (the first, as `campfire play NAME` would pick it).
pub fn all() -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for dir in campfire_story::search_dirs() {
        let Ok(read) = std::fs::read_dir(&dir) else { continue };
        let mut paths: Vec<PathBuf> = read
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "ron"))
            .collect();
        paths.sort();
        for p in paths {
            let entry = load(&p);
            if !out.iter().any(|e| e.name == entry.name) {
                out.push(entry);
            }
        }
    }
    out
}

/// The story's opening as the title screen shows it: the world when the first choice is offered
/// (or after the first few lines), drawn by the reference renderer with these parameters.
pub fn opening_picture(story: &Story, params: Params, width: u32, height: u32) -> Option<Frame> {
    let mut rt = story.start(params).ok()?;
    let stage = rt.state().stage();
    for _ in 0..8 {
        match rt.next().ok()? {
            Output::Line(_) => {}
            Output::Choices(_) | Output::End(_) => break,
        }
    }
    let t = rt.now() as f64;
    let world = Timeline::new(stage, rt.log().clone()).state_at(t);
    Some(render_frame(&world.pose_at(t), width, height, 0))
}
