//! The event function: every event kind, replay and object permanence.

use campfire_scene::*;

fn dragon() -> Event {
    Event::Add {
        id: "ember".into(),
        name: "Ember".into(),
        kind: Kind::Dragon,
        appearance: Appearance { color: Color::Purple, accent: Color::Gold, size: 1.2 },
    }
}

fn at(tick: Tick, event: Event) -> Stamped {
    Stamped { tick, event }
}

/// A log that uses every event kind once.
fn full_log() -> EventLog {
    vec![
        at(0, dragon()),
        at(0, Event::Add { id: "luna".into(), name: "Luna".into(), kind: Kind::Cat, appearance: Appearance::default() }),
        at(0, Event::Enter { id: "ember".into(), at: Spot::Left.position() }),
        at(0, Event::Enter { id: "luna".into(), at: Spot::Back.position() }),
        at(12, Event::MoveTo { id: "ember".into(), to: Spot::Right.position(), ticks: 48 }),
        at(12, Event::Act { id: "ember".into(), action: Action::Fly }),
        at(20, Event::SetSetting(Setting::NightSky)),
        at(20, Event::SetTime(TimeOfDay::Night)),
        at(20, Event::SetWeather(Weather::Snow)),
        at(24, Event::Camera { x: 0.3, zoom: 1.5, ticks: 24 }),
        at(30, Event::Say { who: Some("luna".into()), text: "Look!".into() }),
        at(31, Event::SetVar { name: "courage".into(), value: Value::Int(2) }),
        at(40, Event::Become { id: "luna".into(), kind: Kind::Rabbit }),
        at(41, Event::Restyle { id: "luna".into(), appearance: Appearance { color: Color::White, accent: Color::Pink, size: 0.8 } }),
        at(50, Event::Exit { id: "luna".into() }),
    ]
}

#[test]
fn every_event_kind_changes_the_world() {
    let s = SceneState::replay(Stage::default(), &full_log()).unwrap();
    let ember = s.entity("ember").unwrap();
    let luna = s.entity("luna").unwrap();
    assert_eq!(s.now, 50);
    assert_eq!(ember.kind, Kind::Dragon);
    assert!(ember.on_stage);
    assert_eq!(ember.action, Action::Fly);
    assert_eq!(ember.action_since, 12);
    assert_eq!(ember.motion.to, Spot::Right.position());
    assert_eq!(ember.motion.end, 60);
    assert_eq!(s.stage, Stage { setting: Setting::NightSky, time: TimeOfDay::Night, weather: Weather::Snow });
    assert_eq!(s.camera, Camera { x: 0.3, zoom: 1.5 });
    assert_eq!(s.last_said, Some((Some("luna".into()), "Look!".into())));
    assert_eq!(s.vars.get("courage"), Some(&Value::Int(2)));
    assert_eq!(luna.kind, Kind::Rabbit);
    assert_eq!(luna.appearance.color, Color::White);
    assert_eq!(luna.action, Action::Talk);
    assert!(!luna.on_stage);
}

#[test]
fn motion_is_interpolated_between_ticks() {
    let s = SceneState::replay(Stage::default(), &full_log()).unwrap();
    let e = s.entity("ember").unwrap();
    let start = e.position_at(12.0);
    let mid = e.position_at(36.0);
    let end = e.position_at(60.0);
    assert_eq!(start, Spot::Left.position());
    assert_eq!(end, Spot::Right.position());
    assert!(mid.x > start.x && mid.x < end.x, "{mid:?}");
    // Half a frame later is a different place: the generator can ask between ticks.
    assert_ne!(e.position_at(30.0), e.position_at(30.5));
    // The camera pans smoothly too.
    let mut early = SceneState::replay(Stage::default(), &full_log()[..10]).unwrap();
    early.advance_to(24);
    assert!(early.pose_at(36.0).camera.zoom > 1.0 && early.pose_at(36.0).camera.zoom < 1.5);
}

#[test]
fn replay_gives_the_same_world() {
    let log = full_log();
    let mut live = SceneState::new(Stage::default());
    for s in &log {
        live.apply_stamped(s).unwrap();
    }
    let replayed = SceneState::replay(Stage::default(), &log).unwrap();
    assert_eq!(live, replayed);
    // And through a serialised log, as a save file carries it.
    let text = ron::to_string(&log).unwrap();
    let back: EventLog = ron::from_str(&text).unwrap();
    assert_eq!(SceneState::replay(Stage::default(), &back).unwrap(), live);
}

#[test]
fn exit_and_return_keeps_appearance() {
    let mut s = SceneState::default();
    s.apply(&dragon()).unwrap();
    s.apply(&Event::Enter { id: "ember".into(), at: Spot::Left.position() }).unwrap();
    let before = s.entity("ember").unwrap().appearance.clone();
    s.apply(&Event::Exit { id: "ember".into() }).unwrap();
    assert!(s.pose_at(0.0).entities.is_empty());
    assert_eq!(s.entity("ember").unwrap().appearance, before, "off stage, still remembered");
    s.advance_to(500);
    s.apply(&Event::Enter { id: "ember".into(), at: Spot::Right.position() }).unwrap();
    let pose = s.pose_at(500.0);
    assert_eq!(pose.entities.len(), 1);
    assert_eq!(pose.entities[0].entity.appearance, before);
    assert_eq!(pose.entities[0].entity.name, "Ember");
}

#[test]
fn errors_are_typed_and_leave_the_world_alone() {
    let mut s = SceneState::default();
    let before = s.clone();
    assert_eq!(
        s.apply(&Event::Exit { id: "nobody".into() }),
        Err(SceneError::UnknownEntity("nobody".into()))
    );
    assert_eq!(s, before);
    s.apply(&dragon()).unwrap();
    assert_eq!(s.apply(&dragon()), Err(SceneError::DuplicateEntity("ember".into())));
    s.advance_to(10);
    assert!(matches!(s.apply_stamped(&at(5, Event::SetTime(TimeOfDay::Dusk))), Err(SceneError::TimeGoesBack { .. })));
}

#[test]
fn pose_is_back_to_front_and_ignores_nonsense_positions() {
    let mut s = SceneState::default();
    s.apply(&dragon()).unwrap();
    s.apply(&Event::Add { id: "tree".into(), name: "Oak".into(), kind: Kind::Tree, appearance: Appearance::default() }).unwrap();
    s.apply(&Event::Enter { id: "ember".into(), at: Position::new(0.0, 0.0, 0.1) }).unwrap();
    s.apply(&Event::Enter { id: "tree".into(), at: Position::new(f32::NAN, 1e9, 0.9) }).unwrap();
    let pose = s.pose_at(0.0);
    let order: Vec<_> = pose.entities.iter().map(|p| p.entity.id.as_str()).collect();
    assert_eq!(order, ["tree", "ember"]);
    assert!(pose.entities[0].position.x.is_finite() && pose.entities[0].position.y <= 10.0);
}

#[test]
fn names_parse_as_authors_write_them() {
    assert_eq!("Night Sky".parse::<Setting>(), Ok(Setting::NightSky));
    assert_eq!("far-left".parse::<Spot>(), Ok(Spot::FarLeft));
    let err = "unicorn".parse::<Kind>().unwrap_err();
    assert!(err.contains("dragon"), "{err}");
    for k in Kind::ALL {
        assert_eq!(Kind::ALL[k.index()], *k);
    }
}
