//! The shipped explainers teach what is true: each one's narration, on every way through its
//! quiz and at both levels of detail, states its key facts, never states a common misconception,
//! lasts 1 to 3 minutes, and asks a quiz question.

mod common;

use campfire_scene::TICKS_PER_SECOND;
use campfire_story::{Output, Params, Runtime};

/// A fact is stated when every word group has one of its alternatives in the same line
/// (lower case, so "Sunlight bounces off it" matches `[&["sunlight"], &["bounce"]]`).
struct Fact {
    what: &'static str,
    all_of: &'static [&'static [&'static str]],
}

struct Explainer {
    story: &'static str,
    facts: &'static [Fact],
    /// Phrases that would state a misconception (matched in lower case anywhere).
    never: &'static [&'static str],
}

const EXPLAINERS: &[Explainer] = &[
    Explainer {
        story: "moon-phases",
        facts: &[
            Fact {
                what: "moonlight is sunlight bouncing off the moon",
                all_of: &[&["sunlight"], &["bounc", "reflect"]],
            },
            Fact { what: "the moon has no light of its own", all_of: &[&["no light of its own", "cannot make light"]] },
            Fact { what: "the sun always lights half the moon", all_of: &[&["sun"], &["half"], &["moon"], &["light"]] },
            Fact {
                what: "the moon goes around the Earth",
                all_of: &[&["moon"], &["around the earth", "round the earth"]],
            },
            Fact { what: "one trip takes about a month", all_of: &[&["month"]] },
            Fact { what: "new moon: the sunny side faces away", all_of: &[&["new moon"], &["sunny side"], &["away"]] },
            Fact { what: "crescent", all_of: &[&["crescent"]] },
            Fact { what: "half moon", all_of: &[&["half moon"]] },
            Fact { what: "gibbous", all_of: &[&["gibbous"]] },
            Fact { what: "full moon: we see the whole sunny side", all_of: &[&["full moon"], &["whole sunny side"]] },
        ],
        never: &[
            "earth's shadow",
            "shadow of the earth",
            "makes its own light",
            "makes light",
            "glows by itself",
            "clouds cover",
            "moon changes shape",
            "moon really changes",
        ],
    },
    Explainer {
        story: "day-and-night",
        facts: &[
            Fact { what: "the Earth spins", all_of: &[&["earth"], &["spin", "turn"]] },
            Fact { what: "once a day", all_of: &[&["once every day", "once a day"]] },
            Fact { what: "twenty-four hours", all_of: &[&["twenty four hours", "24 hours"]] },
            Fact { what: "the side facing the sun has day", all_of: &[&["faces the sun", "facing the sun"], &["day"]] },
            Fact { what: "the side facing away has night", all_of: &[&["away from the sun"], &["night"]] },
            Fact {
                what: "the sun stays where it is",
                all_of: &[&["sun stays", "sun never sleeps", "does not go anywhere"]],
            },
            Fact { what: "the sun only seems to move", all_of: &[&["seems to"], &["sun"]] },
            Fact { what: "night here is day on the other side", all_of: &[&["other side of the world"], &["day"]] },
        ],
        never: &[
            "sun goes around the earth",
            "sun goes round the earth",
            "sun moves around the earth",
            "sun goes behind",
            "sun goes to sleep.",
            "sun turns off",
            "moon pushes",
            "moon covers the sun",
        ],
    },
    Explainer {
        story: "water-cycle",
        facts: &[
            Fact { what: "ice is solid water", all_of: &[&["solid"], &["ice"]] },
            Fact { what: "ice melts into liquid water", all_of: &[&["melt"], &["liquid"]] },
            Fact { what: "hot water turns into a gas, water vapour", all_of: &[&["gas"], &["vapour"]] },
            Fact {
                what: "evaporation: the sun warms the sea into vapour",
                all_of: &[&["evaporation"], &["sun warms"], &["vapour"]],
            },
            Fact {
                what: "condensation: vapour cools into tiny drops",
                all_of: &[&["condensation"], &["cools"], &["drops"]],
            },
            Fact { what: "clouds are made of tiny drops", all_of: &[&["tiny drops"], &["cloud"]] },
            Fact { what: "precipitation: rain or snow falls", all_of: &[&["precipitation"], &["rain"], &["snow"]] },
            Fact { what: "collection: rivers flow back to the sea", all_of: &[&["collection"], &["rivers"], &["sea"]] },
            Fact { what: "the same water goes round and round", all_of: &[&["same water"], &["round and round"]] },
        ],
        never: &[
            "clouds are made of smoke",
            "cotton",
            "cloud is made of vapour",
            "clouds are made of vapour",
            "water disappears",
            "water is used up",
            "steam is a cloud",
        ],
    },
    Explainer {
        story: "seed-to-plant",
        facts: &[
            Fact { what: "a seed holds a baby plant", all_of: &[&["seed"], &["baby plant"]] },
            Fact { what: "soil gives water and minerals", all_of: &[&["soil"], &["minerals"]] },
            Fact { what: "water makes the seed swell and split", all_of: &[&["water"], &["swell"]] },
            Fact {
                what: "leaves make food from sunlight, air and water",
                all_of: &[&["leaves"], &["sunlight"], &["food"]],
            },
            Fact { what: "roots grow down, the shoot grows up", all_of: &[&["root"], &["down"], &["shoot"], &["up"]] },
            Fact { what: "the flower makes new seeds", all_of: &[&["flower"], &["new seeds"]] },
        ],
        never: &[
            "eat soil",
            "eats soil",
            "eats the soil",
            "eat dirt",
            "food from the soil",
            "food called nutrients",
            "gets its food from the ground",
            "plants eat",
        ],
    },
];

/// Plays `story` to its end, taking the quiz's wrong answer first when `wrong_first`, else the
/// first choice everywhere. Returns every line said and the story time at the end, in seconds.
fn play(story: &str, params: Params, wrong_first: bool) -> (Vec<String>, f32, bool) {
    let mut rt = Runtime::new(common::load(story), params).expect("starts");
    let mut lines = Vec::new();
    let mut wrong_left = wrong_first;
    let mut quizzed = false;
    loop {
        match rt.next().expect("plays") {
            Output::Line(l) => lines.push(l.text),
            Output::Choices(choices) => {
                let quiz = lines.last().is_some_and(|l| l.to_lowercase().contains("quiz"));
                quizzed |= quiz;
                let pick = if quiz && wrong_left && choices.len() > 1 {
                    wrong_left = false;
                    choices[1].index
                } else {
                    choices[0].index
                };
                rt.choose(pick).expect("choice");
            }
            Output::End(_) => break,
        }
    }
    (lines, rt.now() as f32 / TICKS_PER_SECOND as f32, quizzed)
}

#[test]
fn each_explainer_states_its_key_facts_and_no_misconception() {
    for e in EXPLAINERS {
        for detail in ["simple", "more"] {
            for wrong_first in [false, true] {
                let params: Params = [("detail".to_string(), detail.to_string())].into_iter().collect();
                let (lines, secs, quizzed) = play(e.story, params, wrong_first);
                let lower: Vec<String> = lines.iter().map(|l| l.to_lowercase()).collect();
                let said =
                    |f: &Fact| lower.iter().any(|l| f.all_of.iter().all(|group| group.iter().any(|w| l.contains(w))));
                let missing: Vec<&str> = e.facts.iter().filter(|f| !said(f)).map(|f| f.what).collect();
                assert!(missing.is_empty(), "{} ({detail}): never says {missing:?}", e.story);
                for bad in e.never {
                    let hit = lower.iter().find(|l| l.contains(bad));
                    assert!(hit.is_none(), "{} ({detail}) states a misconception ({bad}): {hit:?}", e.story);
                }
                println!(
                    "{} ({detail}, wrong answer first: {wrong_first}): {secs:.0} s, {} lines",
                    e.story,
                    lines.len()
                );
                assert!(quizzed, "{}: no quiz question before a choice", e.story);
                assert!(
                    (60.0..=180.0).contains(&secs),
                    "{} ({detail}, wrong first {wrong_first}): {secs:.0} s",
                    e.story
                );
            }
        }
    }
}

#[test]
fn the_checks_catch_a_misconception_and_a_missing_fact() {
    // The same matching on made-up narration: a line blaming the Earth's shadow is caught, and a
    // story that never says "month" misses that fact.
    let moon = &EXPLAINERS[0];
    let bad = "the earth's shadow makes the moon thin".to_string();
    assert!(moon.never.iter().any(|p| bad.contains(p)));
    let month = moon.facts.iter().find(|f| f.what.contains("month")).expect("month fact");
    let lines = ["the moon goes around the earth".to_string()];
    assert!(!lines.iter().any(|l| month.all_of.iter().all(|g| g.iter().any(|w| l.contains(w)))));
}
