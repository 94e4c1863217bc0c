//! Saves: resume gives the same story, changed templates and damaged files are refused, and a
//! refused file is left untouched.

mod common;

use campfire_story::save::{SaveFileError, resume, save};
use campfire_story::{Output, Params, Runtime, Story};
use common::settle;
use std::sync::Arc;

fn midway() -> Runtime {
    let mut rt = Runtime::new(common::load("dragon-dark"), [("name".to_string(), "Ada".to_string())].into()).unwrap();
    settle(&mut rt);
    rt.choose(1).unwrap(); // the lantern
    rt.next().unwrap(); // one line into the beat: resume must land mid-beat too
    rt
}

#[test]
fn save_then_resume_is_the_same_story() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("slot1.ron");
    let mut original = midway();
    save(&original, &path).unwrap();
    let mut resumed = resume(original.template().clone(), &path, &Params::new()).unwrap();
    assert_eq!(resumed.play_state(), original.play_state());
    assert_eq!(resumed.params(), original.params());
    // And both go on the same way, choice for choice.
    loop {
        let (a, b) = (original.next().unwrap(), resumed.next().unwrap());
        assert_eq!(a, b);
        match a {
            Output::Choices(_) => {
                original.choose(0).unwrap();
                resumed.choose(0).unwrap();
            }
            Output::End(_) => break,
            Output::Line(_) => {}
        }
    }
    assert_eq!(original.state(), resumed.state());
}

#[test]
fn a_save_from_a_changed_template_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("slot.ron");
    save(&midway(), &path).unwrap();
    let src = std::fs::read_to_string(common::stories_dir().join("dragon-dark.ron")).unwrap();
    let edited = |from: &str, to: &str| -> Arc<campfire_story::Template> {
        assert!(src.contains(from), "{from}");
        Story::from_source("dragon-dark.ron", &src.replace(from, to)).unwrap().template
    };
    // Rewording a line and adding a comment change nothing a save points at.
    let reworded = edited("hid under a big leaf", "hid under a big rock");
    resume(reworded, &path, &Params::new()).expect("a reworded story resumes");
    let commented = edited("Story(", "// a new comment\nStory(");
    resume(commented, &path, &Params::new()).expect("a commented story resumes");
    // The author's version bump is their word that old saves no longer fit.
    let bumped = edited("version: 1,", "version: 2,");
    let err = resume(bumped, &path, &Params::new()).unwrap_err();
    assert!(matches!(err, SaveFileError::VersionChanged { saved: 1, now: 2, .. }), "{err}");
    assert!(err.to_string().contains("delete the save file"), "{err}");
    // A step taken out moves every later step: refused, naming the beat.
    let restructured = edited("Act(\"ember\", Hide),", "");
    let err = resume(restructured, &path, &Params::new()).unwrap_err();
    assert!(matches!(err, SaveFileError::StructureChanged { .. }), "{err}");
    assert!(err.to_string().contains("beat `"), "{err}");
    let other = common::load("demo");
    assert!(matches!(resume(other, &path, &Params::new()), Err(SaveFileError::OtherStory { .. })));
    // A parameter asked for on resume that differs from the saved one is refused, not ignored.
    let story = common::load("dragon-dark");
    let err = resume(story.clone(), &path, &[("name".to_string(), "Zed".to_string())].into()).unwrap_err();
    assert!(matches!(err, SaveFileError::ParamChanged { .. }), "{err}");
    resume(story, &path, &[("name".to_string(), "Ada".to_string())].into()).expect("the same answer is fine");
}

#[test]
fn corrupt_or_foreign_saves_give_clear_errors_and_stay_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let story = common::load("dragon-dark");
    let good = dir.path().join("good.ron");
    save(&midway(), &good).unwrap();
    let good_text = std::fs::read_to_string(&good).unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", vec![]),
        ("binary", vec![0xff, 0x00, 0x13, 0x37]),
        ("json", br#"{"format": 1}"#.to_vec()),
        ("truncated", good_text.as_bytes()[..good_text.len() / 2].to_vec()),
        ("future", good_text.replacen("format: 2", "format: 99", 1).into_bytes()),
        ("tampered world", good_text.replacen("Int(0)", "Int(41)", 1).into_bytes()),
        ("story text", std::fs::read(common::stories_dir().join("demo.ron")).unwrap()),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(format!("{name}.ron"));
        std::fs::write(&path, &bytes).unwrap();
        let err = resume(story.clone(), &path, &Params::new()).expect_err(name);
        let msg = err.to_string();
        assert!(msg.contains(&path.display().to_string()), "{name}: message names the file: {msg}");
        match name {
            "future" => assert!(matches!(err, SaveFileError::Format { found: 99, .. }), "{msg}"),
            _ => assert!(matches!(err, SaveFileError::Corrupt { .. }), "{name}: {msg}"),
        }
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name}: the file is left as it was");
    }
    let missing = dir.path().join("missing.ron");
    assert!(matches!(resume(story, &missing, &Params::new()), Err(SaveFileError::Read { .. })));
}

#[test]
fn saving_replaces_atomically_and_leaves_no_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("slot.ron");
    let mut rt = midway();
    save(&rt, &path).unwrap();
    rt.next().unwrap();
    save(&rt, &path).unwrap();
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["slot.ron"]);
    assert_eq!(resume(rt.template().clone(), &path, &Params::new()).unwrap().play_state(), rt.play_state());
    // A save into a place that cannot be written fails without a panic.
    let blocked = dir.path().join("slot.ron/inside.ron");
    assert!(matches!(save(&rt, &blocked), Err(SaveFileError::Write { .. })));
}
