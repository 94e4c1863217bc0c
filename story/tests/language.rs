//! The story language as authors meet it (issue 13, items 3 and 4): each test first reproduced
//! a bug — `once` with `when`, duplicate names, parameters in conditions, the speech bubble,
//! and files that crashed or hung the loader.

mod common;

use campfire_scene::Action;
use campfire_story::{Output, Params, Runtime, Severity, Story, StoryError, lint::lint_source};
use common::settle;

fn demo() -> String {
    std::fs::read_to_string(common::stories_dir().join("demo.ron")).unwrap()
}

fn errors(src: &str) -> Vec<String> {
    lint_source("t.ron", src).into_iter().filter(|d| d.severity == Severity::Error).map(|d| d.to_string()).collect()
}

fn start(src: &str, params: &[(&str, &str)]) -> Runtime {
    let story = Story::from_source("t.ron", src).unwrap_or_else(|e| panic!("{e}"));
    let params: Params = params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Runtime::new(story.template, params).unwrap()
}

/// A story that loops back to `morning` until the child chooses to stop.
fn looping(line: &str) -> String {
    demo()
        .replace(
            r#"Narrate("The sun came up over the meadow, and a little bird called Pip woke up."),"#,
            &format!(r#"Narrate("The sun came up over the meadow, and a little bird called Pip woke up."), {line}"#),
        )
        .replace(r#"goto: "flap"),"#, r#"goto: "flap"), Choice(text: "Again", say: ["again"], goto: "morning"),"#)
}

#[test]
fn a_once_line_whose_condition_was_false_waits_for_a_later_visit() {
    let src = looping(r#"Line(text: "You have been here before.", once: true, when: "flaps == 0 && visits > 0"), Set("visits", "1"),"#)
        .replace(r#"vars: { "flaps": Int(0) },"#, r#"vars: { "flaps": Int(0), "visits": Int(0) },"#);
    let mut rt = start(&src, &[]);
    let said = |lines: &[String]| lines.iter().filter(|l| l.contains("here before")).count();
    let (first, _) = settle(&mut rt);
    assert_eq!(said(&first), 0, "condition false on the first visit");
    rt.choose(1).unwrap();
    let (second, _) = settle(&mut rt);
    assert_eq!(said(&second), 1, "shown on the second visit: {second:?}");
    rt.choose(1).unwrap();
    let (third, _) = settle(&mut rt);
    assert_eq!(said(&third), 0, "and only once");
}

#[test]
fn a_name_declared_twice_is_an_error_where_it_happens() {
    let src = demo().replace(r#""flap": Beat("#, r#""jump": Beat(do: [], then: End("x")), "flap": Beat("#);
    let errs = errors(&src);
    assert!(errs.iter().any(|e| e.contains("`jump` is declared twice")), "{errs:?}");
    let src = demo().replace(r#"vars: { "flaps": Int(0) },"#, r#"vars: { "flaps": Int(0), "flaps": Int(1) },"#);
    let errs = errors(&src);
    assert!(errs.iter().any(|e| e.contains("`flaps` is declared twice")), "{errs:?}");
    let src = demo().replace(r#"vars: { "flaps": Int(0) },"#, r#"vars: { "flaps": Int(0), "name": Text("x") },"#);
    let errs = errors(&src);
    assert!(errs.iter().any(|e| e.contains("`name` is both a parameter and a variable")), "{errs:?}");
}

#[test]
fn parameters_can_be_read_in_conditions() {
    let src = demo().replace(
        r#"Line(text: "Pip flapped only once, and that was enough.", when: "flaps == 1"),"#,
        r#"Line(text: "Sam is my best friend.", when: "name == \"Sam\""),"#,
    );
    assert!(errors(&src).is_empty(), "{:?}", errors(&src));
    for (name, shown) in [("Sam", true), ("Ada", false)] {
        let mut rt = start(&src, &[("name", name)]);
        settle(&mut rt);
        rt.choose(0).unwrap();
        let (lines, _) = settle(&mut rt);
        assert_eq!(lines.iter().any(|l| l.contains("best friend")), shown, "{name}: {lines:?}");
    }
}

#[test]
fn multiply_divide_and_remainder_work_in_set() {
    let src = demo().replace(r#"Set("flaps", "flaps + 1"),"#, r#"Set("flaps", "(flaps + 7) * 3 / 2 % 4"),"#);
    let mut rt = start(&src, &[]);
    settle(&mut rt);
    rt.choose(0).unwrap();
    settle(&mut rt);
    // (0 + 7) * 3 = 21; 21 / 2 = 10; 10 % 4 = 2.
    assert_eq!(rt.state().vars().get("flaps"), Some(&campfire_scene::Value::Int(2)));
}

#[test]
fn a_line_neither_stops_a_dance_nor_leaves_the_bubble_up() {
    let src = demo().replace(r#"Act("pip", Talk),"#, "").replace(r#"Act("pip", Idle),"#, "").replace(
        r#"Say("pip", "I'm flying, {name}! Look at me!"),"#,
        r#"Act("pip", Dance), Say("pip", "I'm dancing!"),"#,
    );
    let mut rt = start(&src, &[]);
    // The morning line: Pip was idle, talks while speaking and is idle again after it.
    let mut talked = false;
    loop {
        match rt.next().unwrap() {
            Output::Line(l) if l.speaker.as_deref() == Some("pip") => {
                talked |= rt.state().entity("pip").unwrap().action == Action::Talk;
                break;
            }
            Output::Line(_) => {}
            other => panic!("{other:?}"),
        }
    }
    assert!(!talked || rt.state().entity("pip").unwrap().action == Action::Idle, "the bubble ends with the line");
    assert_eq!(rt.state().entity("pip").unwrap().action, Action::Idle);
    settle(&mut rt);
    rt.choose(0).unwrap();
    loop {
        match rt.next().unwrap() {
            Output::Line(l) if l.text == "I'm dancing!" => break,
            Output::Line(_) => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(rt.state().entity("pip").unwrap().action, Action::Dance, "speaking does not stop the dance");
}

#[test]
fn ten_thousand_brackets_are_an_error_not_a_crash() {
    let deep = format!("{}flaps == 1{}", "(".repeat(10_000), ")".repeat(10_000));
    let src = demo().replace(r#"when: "flaps == 1""#, &format!(r#"when: "{deep}""#));
    let errs = errors(&src);
    assert!(
        errs.iter().any(|e| e.contains("nest more than")),
        "{}",
        errs.join("\n").chars().take(500).collect::<String>()
    );
}

#[test]
fn awkward_files_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    // A byte-order mark is not a syntax error.
    let bom = dir.path().join("bom.ron");
    std::fs::write(&bom, format!("\u{feff}{}", demo())).unwrap();
    Story::load(&bom).expect("a file with a BOM loads");
    // Not UTF-8: an error naming the line, not an abort.
    let latin1 = dir.path().join("latin1.ron");
    let mut bytes = demo().into_bytes();
    let at = bytes.windows(4).position(|w| w == b"Pip ").unwrap();
    bytes[at + 1] = 0xe9;
    std::fs::write(&latin1, bytes).unwrap();
    assert!(matches!(Story::load(&latin1), Err(StoryError::NotUtf8 { .. })));
    // Empty: called empty.
    let empty = dir.path().join("empty.ron");
    std::fs::write(&empty, "\n  \n").unwrap();
    let err = Story::load(&empty).unwrap_err().to_string();
    assert!(err.contains("the file is empty"), "{err}");
    // A FIFO would block a reader forever: refused before it is opened.
    let fifo = dir.path().join("fifo.ron");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    if made {
        assert!(matches!(Story::load(&fifo), Err(StoryError::NotAFile(_))));
    }
}

#[test]
fn a_narration_too_long_to_say_is_an_error() {
    let huge = "and the bird flew on ".repeat(2_000);
    let src = demo().replace("Pip flapped and flapped, and up, up, up went Pip, over the old oak tree!", &huge);
    let errs = errors(&src);
    assert!(
        errs.iter().any(|e| e.contains("minutes to say")),
        "{:?}",
        errs.iter().map(|e| e.chars().take(200).collect::<String>()).collect::<Vec<_>>()
    );
}

#[test]
fn one_mistake_gives_one_report() {
    // A missing start beat: one error, not a warning on every beat.
    let diags = lint_source("t.ron", &demo().replace(r#"start: "morning","#, r#"start: "mornin","#));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert!(diags[0].hint.as_deref().is_some_and(|h| h.contains("morning")));
    // A loop with no way out: each beat on it is named once.
    let diags = lint_source(
        "t.ron",
        &demo().replace(r#"then: End("happy"),"#, r#"then: Goto("morning"),"#).replace(r#""flaps + 1""#, r#""1""#),
    );
    let mut beats: Vec<usize> = diags.iter().map(|d| d.line).collect();
    let count = beats.len();
    beats.dedup();
    assert!(count > 0 && beats.len() == count, "{diags:#?}");
}

#[test]
fn a_kind_is_written_the_same_way_in_cast_and_in_become() {
    let with = |become_: &str| demo().replace(r#"Act("pip", Dance),"#, &format!(r#"Act("pip", Dance), {become_},"#));
    for written in [r#"Become("pip", Dragon)"#, r#"Become("pip", "dragon")"#] {
        let mut rt = start(&with(written), &[]);
        while !matches!(rt.next().unwrap(), Output::End(_)) {
            if !rt.choices().is_empty() {
                rt.choose(0).unwrap();
            }
        }
        assert_eq!(rt.state().entity("pip").unwrap().kind, campfire_scene::Kind::Dragon, "{written}");
    }
    let errs = errors(&with(r#"Become("pip", "dragn")"#));
    assert!(errs.iter().any(|e| e.contains("dragn")), "{errs:?}");
}
