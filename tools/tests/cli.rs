//! The `campfire` binary as a user runs it: exit codes, messages and output.

use std::process::{Command, Output};

fn campfire(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_campfire"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("campfire runs")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn lint_is_clean_on_the_shipped_stories() {
    let out = campfire(&["lint", "stories/"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("0 error(s), 0 warning(s)"), "{}", text(&out));
}

#[test]
fn lint_points_at_file_line_and_column_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ron");
    let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../stories/demo.ron")).unwrap();
    std::fs::write(&bad, src.replace("Act(\"pip\", Fly),", "Act(\"pip\", Fly)")).unwrap();
    let out = campfire(&["lint", "--plain", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let line = src.lines().position(|l| l.contains("Set(\"flaps\"")).unwrap() + 1;
    assert!(text(&out).contains(&format!("{}:{line}:", bad.display())), "{}", text(&out));
    let pretty = campfire(&["lint", bad.to_str().unwrap()]);
    assert!(text(&pretty).contains("help:"), "{}", text(&pretty));
}

#[test]
fn walk_plays_to_an_ending_without_a_terminal() {
    let out = campfire(&["walk", "dragon-dark", "--param", "name=Ada", "--seed", "3"]);
    assert!(out.status.success(), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("Ember and the Dark") && t.contains("Ada") && t.contains("== The end ("), "{t}");
}

#[test]
fn walk_saves_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("s.ron");
    let out = campfire(&["walk", "lost-kitten", "--auto", "--save", save.to_str().unwrap()]);
    assert!(out.status.success() && save.exists(), "{}", text(&out));
    let again = campfire(&["walk", "lost-kitten", "--auto", "--save", save.to_str().unwrap()]);
    assert!(text(&again).contains("resumed from"), "{}", text(&again));
}

#[test]
fn bad_input_gets_a_clear_message_and_a_failure_code() {
    for (args, says) in [
        (vec!["walk", "no-such-story"], "no story called `no-such-story`"),
        (vec!["walk", "demo", "--param", "colour=pink"], "choose one of"),
        (vec!["walk", "demo", "--param", "colour"], "key=value"),
        (vec!["lint", "does/not/exist.ron"], "does not exist"),
        (vec!["walk", "demo", "--param", "name=call me on 555-123-4567"], "can't be used in a story"),
    ] {
        let out = campfire(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out));
        assert!(text(&out).contains(says), "{args:?}: {}", text(&out));
        assert!(!text(&out).contains("panicked"), "{args:?}");
    }
}

#[test]
fn play_without_a_display_writes_a_video_of_the_story() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo.gif");
    let run = Command::new(env!("CARGO_BIN_EXE_campfire"))
        .args(["play", "demo", "--out", out.to_str().unwrap()])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run));
    assert!(text(&run).contains("Pip") && text(&run).contains("== The end (happy) =="), "{}", text(&run));
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..6], b"GIF89a");
    assert!(bytes.len() > 100_000, "a whole story of frames: {} bytes", bytes.len());
}
