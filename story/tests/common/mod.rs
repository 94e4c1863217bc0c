//! Shared helpers: the shipped stories, loaded from the repository's `stories/`.

#![allow(dead_code)]

use campfire_story::{Output, Runtime, Story, Template};
use std::path::PathBuf;
use std::sync::Arc;

pub fn stories_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../stories")
}

/// Every shipped story file, sorted.
pub fn shipped() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(stories_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    files
}

/// A shipped story's template, ready for [`Runtime::new`].
pub fn load(name: &str) -> Arc<Template> {
    Story::load(&stories_dir().join(format!("{name}.ron"))).unwrap().template
}

/// Plays to the next choice or ending, collecting lines.
pub fn settle(rt: &mut Runtime) -> (Vec<String>, Output) {
    let mut lines = Vec::new();
    loop {
        match rt.next().unwrap() {
            Output::Line(l) => lines.push(l.text),
            other => return (lines, other),
        }
    }
}
