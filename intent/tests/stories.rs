//! Every shipped story still loads and lints through the kid-safe filter: the story loader runs
//! it on every line an audience hears or sees, so a line the judgement of acts refuses would
//! stop the story from playing.

use campfire_intent::safety::find_allowing;
use campfire_story::{Objection, Severity, Story, lint};
use std::path::PathBuf;

fn screen(text: &str, allow: &[String]) -> Option<Objection> {
    find_allowing(text, allow).map(|f| Objection { word: f.word, reason: f.reason.describe().to_string() })
}

#[test]
fn every_shipped_story_passes_the_filter() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../stories");
    let mut stories: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    stories.sort();
    assert!(stories.len() >= 5, "only {} stories in {}", stories.len(), dir.display());
    let mut refused = Vec::new();
    for path in &stories {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let file = path.display().to_string();
        refused.extend(
            lint::lint_source_with(&file, &text, &screen)
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| d.to_string()),
        );
        if let Err(e) = Story::load_with(path, &screen) {
            refused.push(format!("{file} does not load: {e}"));
        }
    }
    assert!(refused.is_empty(), "{}", refused.join("\n"));
}
