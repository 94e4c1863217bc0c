//! The phrase data file checked as text: every written phrase must give its expected outcome,
//! or the spoken end-to-end test would measure whisper against a broken expectation.

mod common;

use campfire_intent::{FreeCommands, understand};
use common::{Phrases, describe};

#[test]
fn written_phrases_are_understood() {
    let data = Phrases::load();
    let scene = data.scene_state();
    let wrong: Vec<String> = data
        .cases
        .iter()
        .filter_map(|case| {
            let u = understand(&case.say, &data.choices(&case.choices), &scene, FreeCommands::ALL);
            (!case.expect.matches(&u.outcome)).then(|| format!("{:?} → {} expected {:?}", case.say, describe(&u.outcome), case.expect))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

