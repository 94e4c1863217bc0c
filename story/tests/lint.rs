//! The linter on broken templates: every kind of mistake, each with file:line:column and a hint.

mod common;

use campfire_story::{Severity, lint::lint_source};

fn demo() -> String {
    std::fs::read_to_string(common::stories_dir().join("demo.ron")).unwrap()
}

/// Lints a changed demo story; returns the errors as text.
fn errors(src: &str) -> Vec<String> {
    lint_source("broken.ron", src)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.to_string())
        .collect()
}

fn line_of(src: &str, needle: &str) -> usize {
    src.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn syntax_errors_point_at_the_place() {
    let src = demo().replace("Act(\"pip\", Fly),", "Act(\"pip\", Fly)");
    let errs = errors(&src);
    assert_eq!(errs.len(), 1, "{errs:?}");
    // On the line that lacks the comma, not the next (where RON notices).
    let line = line_of(&src, "Act(\"pip\", Fly)");
    assert!(errs[0].starts_with(&format!("broken.ron:{line}:")), "{errs:?}");
    assert!(errs[0].contains("hint:"), "{errs:?}");
}

#[test]
fn unknown_variants_and_fields_list_what_is_allowed() {
    let errs = errors(&demo().replace("Act(\"pip\", Fly)", "Act(\"pip\", Swoop)"));
    assert!(errs[0].contains("Swoop") && errs[0].contains("Fly"), "{errs:?}");
    let errs = errors(&demo().replace("minutes: 2", "minutes: 2, color_scheme: 3"));
    assert!(errs[0].contains("color_scheme"), "{errs:?}");
    let errs = errors(&demo().replace("minutes: 2", "minutes: \"two\""));
    assert_eq!(errs.len(), 1, "{errs:?}");
}

#[test]
fn every_semantic_mistake_is_found_with_its_place() {
    let cases = [
        ("Enter(\"pip\", Left)", "Enter(\"pipp\", Left)", "unknown character `pipp`", "did you mean `pip`"),
        ("goto: \"jump\"", "goto: \"jumpp\"", "`jumpp`, which does not exist", "did you mean `jump`"),
        ("start: \"morning\"", "start: \"mornin\"", "start beat `mornin`", "did you mean `morning`"),
        ("\"flaps + 1\"", "\"flap + 1\"", "unknown variable `flap`", "did you mean `flaps`"),
        ("when: \"flaps == 1\"", "when: \"flaps == \"", "expected a value", "conditions look like"),
        ("when: \"flaps == 1\"", "when: \"flaps\"", "needs a bool", ""),
        ("Good morning, {name}!", "Good morning, {nmae}!", "unknown placeholder `{nmae}`", "did you mean `name`"),
        ("kind: \"bird\"", "kind: \"griffin\"", "unknown kind `griffin`", "dragon"),
        ("default: \"blue\"", "default: \"pink\"", "not one of its choices", ""),
        ("then: End(\"happy\")", "then: Goto(\"sky\")", "in a circle forever", "every path must reach an End"),
        ("then: End(\"happy\")", "then: Choose([])", "empty choice", ""),
        ("ages: (3, 7)", "ages: (9, 7)", "youngest is older", ""),
        ("Move(\"pip\", SkyRight, 3.0)", "Move(\"pip\", SkyRight, -3.0)", "seconds is out of range", ""),
    ];
    for (from, to, message, hint) in cases {
        let src = demo().replacen(from, to, 1);
        assert_ne!(src, demo(), "case `{to}` did not change the story");
        let diags = lint_source("broken.ron", &src);
        let d = diags
            .iter()
            .find(|d| d.severity == Severity::Error && d.message.contains(message))
            .unwrap_or_else(|| panic!("`{to}`: no error containing `{message}` in {diags:#?}"));
        assert!(d.to_string().contains(hint), "`{to}`: hint `{hint}` missing: {d}");
        assert!(d.line > 1 && d.column >= 1, "`{to}`: no place: {d}");
        // The place is the changed text, or the beat that holds it.
        let line_text = src.lines().nth(d.line - 1).unwrap();
        let pinned = to.split('"').filter(|s| s.len() > 2).any(|s| line_text.contains(s))
            || line_text.contains("Beat(")
            || line_text.contains(':');
        assert!(pinned, "`{to}`: points at unrelated line {}: {line_text}", d.line);
    }
}

#[test]
fn unreachable_beats_and_voiceless_choices_are_warned_about() {
    let src = demo().replacen("goto: \"jump\"", "goto: \"flap\"", 1).replacen(
        "say: [\"flap\", \"flap your wings\", \"wings\"], ",
        "",
        1,
    );
    let diags = lint_source("broken.ron", &src);
    assert!(
        diags.iter().any(|d| d.severity == Severity::Warning && d.message.contains("`jump` can never be reached")),
        "{diags:#?}"
    );
    assert!(
        diags.iter().any(|d| d.severity == Severity::Warning && d.message.contains("no `say` phrases")),
        "{diags:#?}"
    );
}

#[test]
fn a_loop_whose_only_exit_is_conditional_and_closed_is_a_dead_end() {
    // The only way on from `sky` needs flaps > 5, which never happens.
    let src = demo().replacen(
        "then: End(\"happy\")",
        "then: Choose([Choice(text: \"Again\", say: [\"again\"], goto: \"sky\"), Choice(text: \"Home\", say: [\"home\"], goto: \"home\", when: \"flaps > 5\")])",
        1,
    ).replacen("beats: {", "beats: {\n        \"home\": Beat(do: [], then: End(\"home\")),", 1);
    let errs = errors(&src);
    assert!(errs.iter().any(|e| e.contains("no ending can be reached")), "{errs:?}");
}

#[test]
fn the_filter_marks_the_word_it_objects_to_and_honours_the_allow_list() {
    use campfire_story::Objection;
    let screen = |t: &str, allow: &[String]| -> Option<Objection> {
        let at = t.find("SCARY-WORD")?;
        (!allow.iter().any(|a| a == "scary-word"))
            .then(|| Objection { word: t[at..at + 10].to_string(), reason: "test word".into() })
    };
    let src = demo().replacen("happy and free", "happy and SCARY-WORD", 1);
    let diags = campfire_story::lint::lint_source_with("broken.ron", &src, &screen);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert!(diags[0].message.contains("\"SCARY-WORD\"") && diags[0].message.contains("test word"), "{}", diags[0]);
    assert!(diags[0].hint.as_deref().is_some_and(|h| h.contains("allow: [\"scary-word\"]")), "{:?}", diags[0].hint);
    // The column is the word's, not the line's start.
    let line = line_of(&src, "SCARY-WORD");
    let column = src.lines().nth(line - 1).unwrap().find("SCARY-WORD").unwrap() + 1;
    assert_eq!((diags[0].line, diags[0].column), (line, column));
    // Texts besides lines are screened too: summary, prompts, `say` phrases, endings.
    for (from, to) in [
        ("one brave flap.", "one SCARY-WORD flap."),
        ("What is your name?", "SCARY-WORD name?"),
        ("\"flap your wings\"", "\"SCARY-WORD\""),
        ("End(\"happy\")", "End(\"SCARY-WORD\")"),
    ] {
        let src = demo().replacen(from, to, 1);
        let diags = campfire_story::lint::lint_source_with("broken.ron", &src, &screen);
        assert_eq!(diags.len(), 1, "{to}: {diags:#?}");
    }
    // The author vouches for the word: it passes.
    let allowed = src.replacen("start: \"morning\",", "start: \"morning\", allow: [\"scary-word\"],", 1);
    assert!(campfire_story::lint::lint_source_with("ok.ron", &allowed, &screen).is_empty());
}

#[test]
fn a_beat_that_conditions_always_steer_around_is_warned_about() {
    // With courage from the owl as well, every path has courage >= 2 or the light, so the
    // `cuddle` ending is in the graph but no path ever gets there.
    let src = std::fs::read_to_string(common::stories_dir().join("dragon-dark.ron")).unwrap().replacen(
        "Say(\"owl\", \"The dark is just the day, resting. Listen, and you will hear the forest say goodnight.\"),",
        "Say(\"owl\", \"The dark is just the day, resting. Listen, and you will hear the forest say goodnight.\"), Set(\"courage\", \"courage + 1\"),",
        1,
    );
    let diags = lint_source("dragon.ron", &src);
    let d = diags
        .iter()
        .find(|d| d.message.contains("no path ever reaches beat `cuddle`"))
        .unwrap_or_else(|| panic!("{diags:#?}"));
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(src.lines().nth(d.line - 1).unwrap().trim(), "\"cuddle\": Beat(");
}

#[test]
fn positions_point_at_the_mistake_itself() {
    let line_col = |src: &str, needle: &str| {
        let at = src.find(needle).unwrap();
        let line = src[..at].lines().count() + usize::from(src[..at].ends_with('\n'));
        let column = at - src[..at].rfind('\n').map_or(0, |n| n + 1) + 1;
        (line.max(1), column)
    };
    let first_error = |src: &str| {
        let diags = lint_source("t.ron", src);
        diags.into_iter().find(|d| d.severity == Severity::Error).unwrap_or_else(|| panic!("no error in {src}"))
    };
    // A missing comma belongs to the line that lacks it, not to the next one.
    let src = demo().replacen(r#"Enter("oak", Back),"#, r#"Enter("oak", Back)"#, 1);
    let d = first_error(&src);
    let (line, _) = line_col(&src, r#"Enter("oak", Back)"#);
    assert_eq!(d.line, line, "{d}");
    assert!(d.to_string().contains("comma"), "{d}");
    // A number out of range is marked where it is written.
    let src = demo().replacen(r#"Move("pip", SkyRight, 3.0)"#, r#"Move("pip", SkyRight, -3.0)"#, 1);
    let d = first_error(&src);
    assert_eq!((d.line, d.column), line_col(&src, "-3.0"), "{d}");
    let src = demo().replacen(r#"Move("pip", Center, 3.0)"#, r#"Move("pip", Center, 1e9)"#, 1);
    assert_eq!((first_error(&src).line, first_error(&src).column), line_col(&src, "1e9"));
    // An expression with quotes inside is found by its escaped text.
    let src = demo().replacen(r#"when: "flaps == 1""#, r#"when: "name == \"Sam\" && flaps""#, 1);
    let d = first_error(&src);
    assert_eq!((d.line, d.column), line_col(&src, r#""name == \"Sam\" && flaps""#), "{d}");
}
