//! The kid-safe filter measured on a labelled set (`tests/data/labelled.ron`): ≥ 200 harmless
//! picture-book sentences and ≥ 100 unkind or unsafe ones. Prints the false-positive and miss
//! rates (run with `--nocapture` to see them) and holds them to the targets of issue 13:
//! at most 1 % of the harmless refused, at least 97 % of the unsafe caught.

use campfire_intent::safety::{Reason, find};
use serde::Deserialize;

#[derive(Deserialize)]
struct Labelled {
    harmless: Vec<String>,
    #[serde(rename = "unsafe")]
    bad: Vec<(String, Reason)>,
}

fn labelled() -> Labelled {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/labelled.ron");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    ron::from_str(&text).unwrap_or_else(|e| panic!("{path} is not a valid labelled set: {e}"))
}

#[test]
fn false_positive_and_miss_rates_meet_the_targets() {
    let set = labelled();
    assert!(
        set.harmless.len() >= 200 && set.bad.len() >= 100,
        "{} harmless, {} unsafe",
        set.harmless.len(),
        set.bad.len()
    );
    let refused: Vec<String> = set
        .harmless
        .iter()
        .filter_map(|t| {
            find(t).map(|f| format!("  refused {t:?}: {:?} at {:?} ({})", f.word, f.span, f.reason.describe()))
        })
        .collect();
    let missed: Vec<String> =
        set.bad.iter().filter(|(t, _)| find(t).is_none()).map(|(t, r)| format!("  missed {t:?} ({r:?})")).collect();
    let wrong_reason: Vec<String> = set
        .bad
        .iter()
        .filter_map(|(t, r)| {
            find(t).filter(|f| f.reason != *r).map(|f| format!("  {t:?}: {:?}, labelled {r:?}", f.reason))
        })
        .collect();
    let fp = refused.len() as f64 / set.harmless.len() as f64;
    let caught = 1.0 - missed.len() as f64 / set.bad.len() as f64;
    println!(
        "kid-safe filter on {} harmless / {} unsafe sentences: {:.1} % of harmless refused ({}), {:.1} % of unsafe caught ({} missed), {} caught for another reason",
        set.harmless.len(),
        set.bad.len(),
        fp * 100.0,
        refused.len(),
        caught * 100.0,
        missed.len(),
        wrong_reason.len()
    );
    for line in refused.iter().chain(&missed).chain(&wrong_reason) {
        println!("{line}");
    }
    assert!(fp <= 0.01, "{:.1} % of harmless sentences refused:\n{}", fp * 100.0, refused.join("\n"));
    assert!(caught >= 0.97, "only {:.1} % of unsafe sentences caught:\n{}", caught * 100.0, missed.join("\n"));
}

#[test]
fn the_span_marks_the_word_objected_to() {
    for (text, word) in [
        ("Once upon a time you were stupid.", "stupid"),
        ("The dragon kills the cat.", "kills"),
        ("Call me on 555 123 4567 tonight.", "555 123 4567"),
        ("Let's drink beer!", "beer"),
    ] {
        let f = find(text).unwrap_or_else(|| panic!("{text:?} passed"));
        assert_eq!(&text[f.span.clone()], word, "{text:?}");
        assert_eq!(f.word, word);
    }
}

#[test]
fn an_allowed_word_passes_and_nothing_else_does() {
    use campfire_intent::safety::find_allowing;
    let allow = ["kill".to_string()];
    assert!(find_allowing("The knight will kill the dragon's boredom.", &allow).is_none());
    assert!(find_allowing("The knight will kill you, you idiot.", &allow).is_some_and(|f| f.word == "idiot"));
    assert!(find("The knight will kill the dragon's boredom.").is_some(), "only where allowed");
}
