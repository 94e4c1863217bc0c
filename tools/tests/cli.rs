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
    // The line that lacks the comma, not the next one, where RON notices.
    let line = src.lines().position(|l| l.contains("Act(\"pip\", Fly)")).unwrap() + 1;
    assert!(text(&out).contains(&format!("{}:{line}:", bad.display())), "{}", text(&out));
    let pretty = campfire(&["lint", bad.to_str().unwrap()]);
    assert!(text(&pretty).contains("help:"), "{}", text(&pretty));
}

#[test]
fn walk_plays_to_an_ending_without_a_terminal() {
    let out = campfire(&["walk", "dragon-dark", "--param", "name=Ada", "--auto", "--seed", "3"]);
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
    // The shipped DiT's shape, at this build's conditioning version: only its config is read
    // before --depth is checked.
    let dir = tempfile::tempdir().unwrap();
    let shipped = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/models/dit/config.json"))
        .expect("the shipped DiT's config");
    let mut cfg: serde_json::Value = serde_json::from_str(&shipped).expect("JSON");
    cfg["cond_version"] = campfire_render::CONDITION_VERSION.into();
    cfg["cond_channels"] = campfire_render::CHANNELS.into();
    std::fs::write(dir.path().join("config.json"), cfg.to_string()).expect("config written");
    let this_version = dir.path().display().to_string();
    for (args, says) in [
        (vec!["walk", "no-such-story"], "no story called `no-such-story`"),
        (vec!["walk", "demo", "--param", "color=pink"], "choose one of"),
        (vec!["walk", "demo", "--param", "color"], "key=value"),
        (vec!["lint", "does/not/exist.ron"], "does not exist"),
        (vec!["walk", "demo", "--param", "name=call me on 555-123-4567"], "can't be used in a story"),
        (vec!["walk", "demo", "--param", "name=Stupid Idiot"], "unkind or rude"),
        (vec!["walk", "demo", "--choices", "3"], "--choices: 3 is not offered"),
        // The shipped DiT is of conditioning version 2, this build's maps are version 3.
        (
            vec!["train", "dit", "--data", "nowhere", "--init", "assets/models/dit", "--depth", "3"],
            "conditioning version 2",
        ),
        (
            vec!["train", "dit", "--data", "nowhere", "--init", this_version.as_str(), "--depth", "1"],
            "blocks can only be added",
        ),
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

/// Runs campfire with `input` on its standard input (a pipe, not a terminal).
fn campfire_piped(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_campfire"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("campfire runs");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn walk_takes_choices_from_the_command_line_or_a_pipe_never_silently() {
    let given = campfire(&["walk", "demo", "--choices", "2"]);
    assert!(given.status.success(), "{}", text(&given));
    assert!(
        text(&given).contains("> Jump off the rock!") && text(&given).contains("== The end (happy) =="),
        "{}",
        text(&given)
    );
    let piped = campfire_piped(&["walk", "demo"], "2\n");
    assert!(text(&piped).contains("> Jump off the rock!"), "{}", text(&piped));
    // Nothing on the pipe: it stops and says so instead of choosing for the child.
    let empty = campfire_piped(&["walk", "demo"], "");
    assert!(text(&empty).contains("no more input") && !text(&empty).contains("== The end"), "{}", text(&empty));
}

#[test]
fn a_story_with_an_unkind_line_does_not_play() {
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("mean.ron");
    let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../stories/demo.ron")).unwrap();
    std::fs::write(&story, src.replace("Will you help me?", "I will kill you.")).unwrap();
    for cmd in ["walk", "paths"] {
        let out = campfire(&[cmd, story.to_str().unwrap(), "--choices", "1"][..if cmd == "walk" { 4 } else { 2 }]);
        assert_eq!(out.status.code(), Some(1), "{cmd}: {}", text(&out));
        assert!(text(&out).contains("\"kill\" is not for children"), "{cmd}: {}", text(&out));
    }
}

#[test]
fn new_writes_a_story_that_lints_clean_and_plays() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("brave-bird.ron");
    let out = campfire(&["new", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let lint = campfire(&["lint", file.to_str().unwrap()]);
    assert!(text(&lint).contains("0 error(s), 0 warning(s)"), "{}", text(&lint));
    let again = campfire(&["new", file.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1), "never overwrites: {}", text(&again));
    let paths = campfire(&["paths", file.to_str().unwrap()]);
    assert!(text(&paths).contains("2 path(s)") && text(&paths).contains("happy"), "{}", text(&paths));
}

#[test]
fn graph_draws_every_shipped_story_as_svg() {
    let dir = tempfile::tempdir().unwrap();
    for story in ["demo", "dragon-dark", "lost-kitten", "moon-trip", "seed-to-plant", "water-cycle"] {
        let svg = dir.path().join(format!("{story}.svg"));
        let out = campfire(&["graph", story, "--out", svg.to_str().unwrap()]);
        assert!(out.status.success(), "{story}: {}", text(&out));
        let body = std::fs::read_to_string(&svg).unwrap();
        assert!(body.starts_with("<svg") && body.trim_end().ends_with("</svg>"), "{story}");
        let template =
            std::fs::read_to_string(format!("{}/../stories/{story}.ron", env!("CARGO_MANIFEST_DIR"))).unwrap();
        // Every ending the story names is drawn.
        for end in template.match_indices("End(\"").map(|(i, _)| &template[i + 5..]) {
            let name = &end[..end.find('"').unwrap()];
            assert!(body.contains(&format!("End: {name}")), "{story}: ending {name}");
        }
    }
}

#[test]
fn a_folder_lint_reports_on_every_file_even_past_a_broken_one() {
    let dir = tempfile::tempdir().unwrap();
    let demo = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../stories/demo.ron")).unwrap();
    std::fs::write(dir.path().join("a-good.ron"), &demo).unwrap();
    std::fs::write(dir.path().join("b-latin1.ron"), [b"Story(id: \"caf".as_slice(), &[0xe9], b"\")"].concat()).unwrap();
    let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
    std::fs::write(dir.path().join("c-deep.ron"), demo.replace("flaps == 1", &format!("{deep} == 1"))).unwrap();
    std::fs::write(dir.path().join("d-empty.ron"), "").unwrap();
    std::fs::write(dir.path().join("e-bom.ron"), format!("\u{feff}{demo}")).unwrap();
    let out = campfire(&["lint", "--plain", dir.path().to_str().unwrap()]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("5 file(s) checked"), "{t}");
    assert!(t.contains("not UTF-8") && t.contains("nest more than") && t.contains("the file is empty"), "{t}");
    assert!(!t.contains("e-bom.ron:"), "a BOM is fine: {t}");
}

#[test]
fn lint_watch_reports_again_each_time_a_story_is_saved() {
    use std::io::BufRead;
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pip.ron");
    let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../stories/demo.ron")).unwrap();
    std::fs::write(&file, &src).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_campfire"))
        .args(["lint", "--watch", "--plain", file.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Reports go to stdout, the summaries to stderr: one channel for both.
    let (tx, rx) = std::sync::mpsc::channel();
    let out: Box<dyn std::io::Read + Send> = Box::new(child.stdout.take().unwrap());
    let err: Box<dyn std::io::Read + Send> = Box::new(child.stderr.take().unwrap());
    for stream in [out, err] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stream).lines().map_while(Result::ok) {
                _ = tx.send(line);
            }
        });
    }
    // Waits for a line holding `wanted`, returning every line read on the way (and on the other
    // stream until shortly after).
    let wait_for = |wanted: &str| {
        let mut seen = Vec::new();
        while let Ok(line) = rx.recv_timeout(Duration::from_secs(60)) {
            let found = line.contains(wanted);
            seen.push(line);
            if found {
                std::thread::sleep(Duration::from_millis(300));
                seen.extend(rx.try_iter());
                return seen;
            }
        }
        panic!("no `{wanted}` from lint --watch in: {seen:#?}")
    };
    wait_for("watching 1 file(s)");
    // It compares modification times twice a second: let it take its first look.
    std::thread::sleep(Duration::from_millis(1200));
    std::fs::write(&file, src.replace("Enter(\"oak\", Back),", "Enter(\"oak\", Back)")).unwrap();
    let line = src.lines().position(|l| l.contains("Enter(\"oak\", Back)")).unwrap() + 1;
    let report = wait_for("error(s)");
    assert!(report.iter().any(|l| l.contains("changed")), "{report:#?}");
    assert!(report.iter().any(|l| l.contains(&format!("pip.ron:{line}:"))), "{report:#?}");
    assert!(report.iter().any(|l| l.contains("checked: 1 error(s)")), "{report:#?}");
    std::thread::sleep(Duration::from_millis(1200));
    std::fs::write(&file, &src).unwrap();
    let report = wait_for("error(s)");
    assert!(report.iter().any(|l| l.contains("checked: 0 error(s)")), "fixed again: {report:#?}");
    child.kill().unwrap();
    _ = child.wait();
}
