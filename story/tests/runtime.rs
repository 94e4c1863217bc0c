//! The runtime: lines, choices, conditions, once-only parts, parameters and voice commands.

mod common;

use campfire_scene::{Action, Event, Kind, Weather};
use campfire_story::{Output, Params, Runtime, RuntimeError};
use common::settle;
use std::sync::Arc;

fn params(pairs: &[(&str, &str)]) -> Params {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn plays_lines_and_choices_and_changes_the_world() {
    let mut rt = Runtime::new(common::load("demo"), params(&[("name", "Ada")])).unwrap();
    let (lines, out) = settle(&mut rt);
    assert_eq!(lines.len(), 2);
    assert!(lines[1].contains("Ada"), "{lines:?}");
    let Output::Choices(choices) = out else { panic!("expected choices") };
    assert_eq!(choices.len(), 2);
    assert!(choices[0].phrases.contains(&"flap".to_string()));
    let pip = rt.state().entity("pip").unwrap();
    assert!(pip.on_stage);
    assert_eq!(pip.kind, Kind::Bird);
    let before = rt.now();
    rt.choose(0).unwrap();
    let (lines, out) = settle(&mut rt);
    assert!(matches!(out, Output::End(ref e) if e.name == "happy"));
    assert!(lines.iter().any(|l| l.contains("flapped only once")), "condition `flaps == 1` holds: {lines:?}");
    assert!(rt.now() > before, "story time moves on with each line");
    assert_eq!(rt.state().entity("pip").unwrap().action, Action::Dance);
    assert!(rt.is_ended());
}

#[test]
fn conditions_hide_lines_and_once_choices_are_used_up() {
    let mut rt = Runtime::new(common::load("demo"), Params::new()).unwrap();
    settle(&mut rt);
    rt.choose(1).unwrap(); // jump: flaps stays 0
    let (lines, _) = settle(&mut rt);
    assert!(!lines.iter().any(|l| l.contains("flapped only once")));

    let mut rt = Runtime::new(common::load("lost-kitten"), Params::new()).unwrap();
    let (_, Output::Choices(first)) = settle(&mut rt) else { panic!() };
    assert_eq!(first.len(), 3, "calling needs two clues first");
    rt.choose(0).unwrap();
    let (_, Output::Choices(second)) = settle(&mut rt) else { panic!() };
    assert_eq!(second.len(), 2, "the tree was searched already");
    assert!(!second.iter().any(|c| c.text == first[0].text));
    rt.choose(0).unwrap();
    let (_, Output::Choices(third)) = settle(&mut rt) else { panic!() };
    assert!(third.iter().any(|c| c.text == "Call her name"), "two clues unlock calling: {third:?}");
}

#[test]
fn params_personalize_kind_color_and_text_and_bad_ones_are_refused() {
    let story = common::load("lost-kitten");
    let rt = Runtime::new(story.clone(), params(&[("helper", "robot"), ("name", "Zoe")])).unwrap();
    assert_eq!(rt.state().entity("buddy").unwrap().kind, Kind::Robot);
    assert_eq!(rt.state().entity("child").unwrap().name, "Zoe");
    assert!(matches!(
        Runtime::new(story.clone(), params(&[("helper", "unicorn")])),
        Err(RuntimeError::ParamNotAllowed { .. })
    ));
    assert!(matches!(Runtime::new(story, params(&[("age", "5")])), Err(RuntimeError::UnknownParam(_))));
}

#[test]
fn choosing_wrongly_is_an_error_not_a_panic() {
    let mut rt = Runtime::new(common::load("demo"), Params::new()).unwrap();
    assert_eq!(rt.choose(0), Err(RuntimeError::NotChoosing));
    settle(&mut rt);
    assert_eq!(rt.choose(7), Err(RuntimeError::ChoiceOutOfRange { index: 7, count: 2 }));
}

#[test]
fn go_back_returns_to_the_last_choice() {
    let mut rt = Runtime::new(common::load("dragon-dark"), Params::new()).unwrap();
    let (_, Output::Choices(first)) = settle(&mut rt) else { panic!() };
    let vars_before = rt.state().vars().clone();
    rt.choose(2).unwrap(); // breathe: courage + 1
    settle(&mut rt);
    assert_ne!(rt.state().vars(), &vars_before);
    rt.go_back().unwrap();
    assert_eq!(rt.state().vars(), &vars_before);
    assert_eq!(rt.choices().len(), first.len());
    assert_eq!(rt.go_back(), Err(RuntimeError::NothingToUndo));
}

#[test]
fn voice_commands_change_the_world_only_where_the_story_allows() {
    let mut rt = Runtime::new(common::load("demo"), Params::new()).unwrap();
    settle(&mut rt);
    rt.apply_command(Event::Act { id: "pip".into(), action: Action::Fly }).unwrap();
    assert_eq!(rt.state().entity("pip").unwrap().action, Action::Fly);
    assert!(matches!(rt.log().last().map(|s| &s.event), Some(Event::Act { .. })), "logged, so replay sees it");
    assert_eq!(rt.apply_command(Event::Exit { id: "pip".into() }), Err(RuntimeError::CommandNotAllowed));

    let mut rt = Runtime::new(common::load("water-cycle"), Params::new()).unwrap();
    rt.apply_command(Event::SetWeather(Weather::Snow)).unwrap();
    assert_eq!(
        rt.apply_command(Event::Act { id: "drip".into(), action: Action::Jump }),
        Err(RuntimeError::CommandNotAllowed)
    );
}

#[test]
fn the_event_log_replays_to_the_same_world() {
    let story = common::load("seed-to-plant");
    let mut rt = Runtime::new(story.clone(), Params::new()).unwrap();
    loop {
        match rt.next().unwrap() {
            Output::Choices(_) => rt.choose(0).unwrap(),
            Output::End(_) => break,
            Output::Line(_) => {}
        }
    }
    let t = &story.stage;
    let stage = campfire_scene::Stage { setting: t.setting, time: t.time, weather: t.weather };
    let mut replayed = campfire_scene::SceneState::replay(stage, rt.log()).unwrap();
    replayed.advance_to(rt.now());
    assert_eq!(&replayed, rt.state());
    assert_eq!(rt.state().entity("seed").unwrap().kind, Kind::Flower);
}

#[test]
fn a_story_that_jumps_forever_is_stuck_not_hung() {
    let src = std::fs::read_to_string(common::stories_dir().join("demo.ron")).unwrap();
    // Bypass the linter (it would refuse this) to check the runtime's own guard.
    let mut t = campfire_story::parse("loop.ron", &src).unwrap();
    t.beats.get_mut("morning").unwrap().then = campfire_story::template::Flow::Goto("morning".into());
    t.beats.get_mut("morning").unwrap().steps.clear();
    let mut rt = Runtime::new(Arc::new(t), Params::new()).unwrap();
    assert_eq!(rt.next(), Err(RuntimeError::Stuck("morning".into())));
}
