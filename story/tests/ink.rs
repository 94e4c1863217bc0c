//! What authors expect from Ink, Yarn Spinner and Twine (issue 13, item 8): inline variations,
//! visit counts with nothing to declare, random picks, and reusable beats that return.

mod common;

use campfire_story::explore::explore;
use campfire_story::{Output, Params, Runtime, Severity, Story, lint::lint_source};
use common::settle;
use std::collections::BTreeSet;

/// A pond Pip can visit again and again; `{pieces}` goes into the pond's line.
fn pond(line: &str, extra_beats: &str, pond_then: &str) -> String {
    format!(
        r#"Story(
    id: "pond", version: 1, title: "The Pond", ages: (3, 7), minutes: 2,
    stage: Stage(setting: Meadow),
    cast: [Character(id: "pip", name: "Pip", kind: "bird", color: "blue")],
    vars: {{ "shells": Int(0) }},
    start: "pond",
    beats: {{
        "pond": Beat(
            do: [Enter("pip", Left), Set("shells", "shells + 1"), Narrate("{line}")],
            then: {pond_then},
        ),
        "home": Beat(do: [Narrate("Pip flew home.")], then: End("home")),
        {extra_beats}
    }},
)"#
    )
}

const AGAIN_OR_HOME: &str = r#"Choose([
    Choice(text: "{Look|Look again|Look once more} in the pond", say: ["look"], goto: "pond", when: "shells < 4"),
    Choice(text: "Go home", say: ["home"], goto: "home"),
])"#;

fn start(src: &str) -> Runtime {
    let story = Story::from_source("pond.ron", src).unwrap_or_else(|e| panic!("{e}"));
    Runtime::new(story.template, Params::new()).unwrap()
}

fn errors(src: &str) -> Vec<String> {
    lint_source("pond.ron", src).into_iter().filter(|d| d.severity == Severity::Error).map(|d| d.to_string()).collect()
}

/// Says the pond's line on each visit, choosing to look again while it can.
fn visits(src: &str, n: usize) -> Vec<String> {
    let mut rt = start(src);
    let mut said = Vec::new();
    for _ in 0..n {
        let (lines, out) = settle(&mut rt);
        said.extend(lines);
        let Output::Choices(cs) = out else { break };
        rt.choose(cs[0].index).unwrap();
    }
    said
}

#[test]
fn a_line_varies_by_a_condition_a_sequence_and_a_cycle() {
    let src = pond(
        "{First|Then|At last}, Pip found a shell. Pip has {shells} {shells > 1: shells|shell} on a {&sunny|rainy} day.",
        "",
        AGAIN_OR_HOME,
    );
    assert!(errors(&src).is_empty(), "{:?}", errors(&src));
    assert_eq!(
        visits(&src, 4),
        [
            "First, Pip found a shell. Pip has 1 shell on a sunny day.",
            "Then, Pip found a shell. Pip has 2 shells on a rainy day.",
            "At last, Pip found a shell. Pip has 3 shells on a sunny day.",
            "At last, Pip found a shell. Pip has 4 shells on a rainy day.",
        ]
    );
    // A choice's text comes round with its beat.
    let mut rt = start(&src);
    let Output::Choices(first) = settle(&mut rt).1 else { panic!() };
    rt.choose(0).unwrap();
    let Output::Choices(second) = settle(&mut rt).1 else { panic!() };
    assert_eq!((first[0].text.as_str(), second[0].text.as_str()), ("Look in the pond", "Look again in the pond"));
}

#[test]
fn beats_count_their_visits_with_nothing_to_declare() {
    let src = pond(
        r#"Pip has been to the pond {visits(\"pond\")} {visits(\"pond\") == 1: time|times}."#,
        "",
        r#"Branch(cases: [("visits(\"pond\") < 3", "pond")], otherwise: "home")"#,
    );
    assert!(errors(&src).is_empty(), "{:?}", errors(&src));
    let mut rt = start(&src);
    let (lines, out) = settle(&mut rt);
    assert_eq!(
        lines,
        [
            "Pip has been to the pond 1 time.",
            "Pip has been to the pond 2 times.",
            "Pip has been to the pond 3 times.",
            "Pip flew home."
        ]
    );
    assert!(matches!(out, Output::End(_)));
    // A misspelt beat is found with its place and a suggestion.
    let errs = errors(&src.replace(r#"("visits(\"pond\") < 3""#, r#"("visits(\"pnod\") < 3""#));
    assert!(
        errs.iter().any(|e| e.contains(r#"`visits("pnod")` names no beat"#) && e.contains("did you mean `pond`")),
        "{errs:?}"
    );
}

#[test]
fn a_random_pick_is_seeded_and_the_linter_walks_every_branch() {
    let beats = r#""sun": Beat(do: [Narrate("The sun came out.")], then: End("sunny")),
        "rain": Beat(do: [Narrate("It rained on the pond.")], then: End("rainy")),"#;
    let src = pond("Pip looked at the sky.", beats, r#"Random(["sun", "rain"])"#);
    assert!(errors(&src).is_empty(), "{:?}", errors(&src));
    let ending = |seed: u64| {
        let mut rt = start(&src);
        rt.set_seed(seed);
        match settle(&mut rt).1 {
            Output::End(e) => e.name,
            other => panic!("{other:?}"),
        }
    };
    let endings: BTreeSet<String> = (0..32).map(ending).collect();
    assert_eq!(endings, BTreeSet::from(["rainy".to_string(), "sunny".to_string()]));
    assert!((0..32).all(|s| ending(s) == ending(s)), "the same seed picks the same way");
    let story = Story::from_source("pond.ron", &src).unwrap();
    let walked = explore(story.template, Params::new(), 1000);
    assert_eq!(walked.endings.keys().collect::<Vec<_>>(), ["rainy", "sunny"]);
    let errs = errors(&src.replace(r#"Random(["sun", "rain"])"#, r#"Random(["sun", "rian"])"#));
    assert!(
        errs.iter().any(|e| e.contains("`rian`, which does not exist") && e.contains("did you mean `rain`")),
        "{errs:?}"
    );
}

#[test]
fn a_called_beat_returns_to_where_each_call_asked() {
    let beats = r#""song": Beat(do: [Say("pip", "La la la, {&the pond|the sky} is mine!")], then: Return),
        "sky": Beat(do: [Narrate("Up went Pip.")], then: Call("song", "home")),"#;
    let src = pond("Pip sat by the pond.", beats, r#"Call("song", "sky")"#);
    assert!(errors(&src).is_empty(), "{:?}", errors(&src));
    let mut rt = start(&src);
    let (lines, out) = settle(&mut rt);
    assert_eq!(
        lines,
        [
            "Pip sat by the pond.",
            "La la la, the pond is mine!",
            "Up went Pip.",
            "La la la, the sky is mine!",
            "Pip flew home."
        ]
    );
    assert!(matches!(out, Output::End(_)));
    // A Return no Call leads to is found on the path that reaches it.
    let diags = lint_source("pond.ron", &src.replace(r#"then: Call("song", "home")"#, r#"then: Goto("song")"#));
    let d = diags.iter().find(|d| d.message.contains("no `Call` led there")).unwrap_or_else(|| panic!("{diags:#?}"));
    assert_eq!(d.severity, Severity::Error, "{d}");
    // A beat that calls itself forever is stopped, not followed until memory runs out.
    let diags = lint_source("pond.ron", &src.replace(r#"then: Call("song", "home")"#, r#"then: Call("sky", "home")"#));
    assert!(diags.iter().any(|d| d.message.contains("calls beats 64 deep")), "{diags:#?}");
}

#[test]
fn a_broken_piece_is_reported_at_its_place() {
    let src = pond("Pip has {shells shells.", "", AGAIN_OR_HOME);
    let diags = lint_source("pond.ron", &src);
    let d = diags.iter().find(|d| d.message.contains("is never closed")).unwrap_or_else(|| panic!("{diags:#?}"));
    let line = src.lines().position(|l| l.contains("Pip has {shells")).unwrap() + 1;
    assert_eq!(d.line, line, "{d}");
    assert!(d.to_string().contains("{first|then|last}"), "the hint shows the forms: {d}");
    let errs = errors(&pond("Pip has {shells > 1: many|one|none}.", "", AGAIN_OR_HOME));
    assert!(errs.iter().any(|e| e.contains("more than two parts")), "{errs:?}");
    let errs = errors(&pond("Pip has {shels + 1}.", "", AGAIN_OR_HOME));
    assert!(
        errs.iter().any(|e| e.contains("unknown variable `shels`") && e.contains("did you mean `shells`")),
        "{errs:?}"
    );
}

#[test]
fn a_resumed_save_picks_the_same_way() {
    let beats = r#""sun": Beat(do: [Narrate("The sun came out.")], then: End("sunny")),
        "rain": Beat(do: [Narrate("It rained on the pond.")], then: End("rainy")),
        "sky": Beat(do: [Narrate("{~Clouds|Birds|Stars} filled the sky.")], then: Random(["sun", "rain"])),"#;
    let src = pond("Pip looked up.", beats, r#"Choose([Choice(text: "Look up", say: ["up"], goto: "sky")])"#);
    let dir = tempfile::tempdir().unwrap();
    for seed in 0..8 {
        let mut rt = start(&src);
        rt.set_seed(seed);
        settle(&mut rt);
        let path = dir.path().join("save.ron");
        campfire_story::save::save(&rt, &path).unwrap();
        rt.choose(0).unwrap();
        let straight = settle(&mut rt);
        let story = Story::from_source("pond.ron", &src).unwrap();
        let mut resumed = campfire_story::save::resume(story.template, &path, &Params::new()).unwrap();
        resumed.choose(0).unwrap();
        assert_eq!(settle(&mut resumed), straight, "seed {seed}");
    }
}
