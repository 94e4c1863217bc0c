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
        at(
            0,
            Event::Add { id: "luna".into(), name: "Luna".into(), kind: Kind::Cat, appearance: Appearance::default() },
        ),
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
        at(
            41,
            Event::Restyle {
                id: "luna".into(),
                appearance: Appearance { color: Color::White, accent: Color::Pink, size: 0.8 },
            },
        ),
        at(50, Event::Exit { id: "luna".into() }),
    ]
}

#[test]
fn every_event_kind_changes_the_world() {
    let s = SceneState::replay(Stage::default(), &full_log()).unwrap();
    let ember = s.entity("ember").unwrap();
    let luna = s.entity("luna").unwrap();
    assert_eq!(s.now(), 50);
    assert_eq!(ember.kind, Kind::Dragon);
    assert!(ember.on_stage);
    assert_eq!(ember.action, Action::Fly);
    assert_eq!(ember.action_since, 12);
    assert_eq!(ember.motion.to, Spot::Right.position());
    assert_eq!(ember.motion.end, 60);
    assert_eq!(s.stage(), Stage { setting: Setting::NightSky, time: TimeOfDay::Night, weather: Weather::Snow });
    assert_eq!(s.camera(), Camera { x: 0.3, zoom: 1.5 });
    assert_eq!(s.last_said(), Some((Some("luna"), "Look!")));
    assert_eq!(s.vars().get("courage"), Some(&Value::Int(2)));
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

/// The world the full log describes, written down by hand from the log (not computed by the
/// code under test): who is where, how they look, what they do.
#[test]
fn replay_gives_the_world_the_log_describes() {
    let s = SceneState::replay(Stage::default(), &full_log()).unwrap();
    assert_eq!(s.now(), 50);
    // Luna left at tick 50, so only Ember is drawn. Ember glides from Left (x -0.4) to Right
    // (x 0.4) over ticks 12..60 with smoothstep easing: exactly halfway at tick 36.
    let pose = s.pose_at(36.0);
    let drawn: Vec<(&str, f32, Kind, Action)> =
        pose.entities.iter().map(|p| (p.entity.id.as_str(), p.position.x, p.entity.kind, p.entity.action)).collect();
    assert_eq!(drawn, [("ember", 0.0, Kind::Dragon, Action::Fly)]);
    // Flying since tick 12: 24 ticks is one second of animation at tick 36.
    assert_eq!(pose.entities[0].action_time, 1.0);
    assert_eq!(s.pose_at(60.0).entities[0].position, Position::new(0.4, 0.0, 0.1));
    // The camera pans from (0, 1) to (0.3, 1.5) over ticks 24..48: halfway at 36.
    let cam = pose.camera;
    assert!((cam.x - 0.15).abs() < 1e-6 && (cam.zoom - 1.25).abs() < 1e-6, "{cam:?}");
    assert_eq!(pose.stage, Stage { setting: Setting::NightSky, time: TimeOfDay::Night, weather: Weather::Snow });
    let luna = s.entity("luna").unwrap();
    assert_eq!(
        (luna.kind, luna.appearance.color, luna.appearance.size, luna.on_stage),
        (Kind::Rabbit, Color::White, 0.8, false)
    );
    assert_eq!(s.vars().len(), 1);
    assert_eq!(s.last_said(), Some((Some("luna"), "Look!")));

    // Through a serialized log, as a save file carries it: the same world again.
    let text = ron::to_string(&full_log()).unwrap();
    let back: EventLog = ron::from_str(&text).unwrap();
    assert_eq!(SceneState::replay(Stage::default(), &back).unwrap(), s);
    // Order matters: the same events with Luna's exit before her entrance leave her on stage.
    let mut shuffled = full_log();
    let exit = shuffled.pop().unwrap();
    shuffled.insert(3, Stamped { tick: 0, event: exit.event });
    let other = SceneState::replay(Stage::default(), &shuffled).unwrap();
    assert!(other.entity("luna").unwrap().on_stage);
    assert_eq!(other.pose_at(50.0).entities.len(), 2);
    assert_ne!(other, s);
}

#[test]
fn add_sanitizes_the_size_like_restyle() {
    let mut s = SceneState::default();
    for (id, size, want) in
        [("a", f32::NAN, 1.0), ("b", f32::INFINITY, 1.0), ("c", 1e9, 8.0), ("d", -3.0, 0.05), ("e", 1.5, 1.5)]
    {
        let appearance = Appearance { size, ..Appearance::default() };
        s.apply(&Event::Add { id: id.into(), name: id.into(), kind: Kind::Cat, appearance: appearance.clone() })
            .unwrap();
        assert_eq!(s.entity(id).unwrap().appearance.size, want, "Add with size {size}");
        s.apply(&Event::Restyle { id: id.into(), appearance }).unwrap();
        assert_eq!(s.entity(id).unwrap().appearance.size, want, "Restyle with size {size}");
    }
}

#[test]
fn tick_arithmetic_saturates_instead_of_overflowing() {
    let mut s = SceneState::default();
    s.apply(&dragon()).unwrap();
    s.advance_to(Tick::MAX - 5);
    s.apply(&Event::MoveTo { id: "ember".into(), to: Spot::Right.position(), ticks: 100 }).unwrap();
    assert_eq!(s.entity("ember").unwrap().motion.end, Tick::MAX);
    s.apply(&Event::Camera { x: 0.5, zoom: 2.0, ticks: Tick::MAX }).unwrap();
    s.apply(&Event::Enter { id: "ember".into(), at: Spot::Left.position() }).unwrap();
    assert_eq!(s.now(), Tick::MAX - 5);
    assert_eq!(s.pose_at(s.now() as f64).entities.len(), 1);
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
    assert_eq!(s.apply(&Event::Exit { id: "nobody".into() }), Err(SceneError::UnknownEntity("nobody".into())));
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
    s.apply(&Event::Add { id: "tree".into(), name: "Oak".into(), kind: Kind::Tree, appearance: Appearance::default() })
        .unwrap();
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

#[test]
fn props_are_held_given_and_put_down_and_mistakes_are_typed_errors() {
    let mut s = SceneState::new(Stage::default());
    s.apply(&dragon()).unwrap();
    let cat = Event::Add { id: "luna".into(), name: "Luna".into(), kind: Kind::Cat, appearance: Appearance::default() };
    s.apply(&cat).unwrap();
    let key = Event::Add { id: "key".into(), name: "a key".into(), kind: Kind::Key, appearance: Appearance::default() };
    s.apply(&key).unwrap();
    s.apply(&Event::Enter { id: "ember".into(), at: Spot::Left.position() }).unwrap();
    s.apply(&Event::Enter { id: "luna".into(), at: Spot::Right.position() }).unwrap();
    // Nothing in hand yet: giving or dropping is refused and changes nothing.
    let before = s.clone();
    assert_eq!(
        s.apply(&Event::Give { from: "ember".into(), to: "luna".into() }),
        Err(SceneError::HoldsNothing("ember".into()))
    );
    assert_eq!(s.apply(&Event::Drop { holder: "ember".into() }), Err(SceneError::HoldsNothing("ember".into())));
    assert_eq!(
        s.apply(&Event::Hold { holder: "ember".into(), item: "ember".into() }),
        Err(SceneError::HoldsItself("ember".into()))
    );
    assert_eq!(s, before);
    // Held: on stage, after its holder, at the holder's place.
    s.apply(&Event::Hold { holder: "ember".into(), item: "key".into() }).unwrap();
    let pose = s.pose_at(0.0);
    let ids: Vec<&str> = pose.entities.iter().map(|p| p.entity.id.as_str()).collect();
    let i = ids.iter().position(|&id| id == "ember").unwrap();
    assert_eq!(ids.get(i + 1), Some(&"key"));
    assert_eq!(pose.entities[i + 1].position, pose.entities[i].position);
    // Given, then put down at the new holder's feet.
    s.apply(&Event::Give { from: "ember".into(), to: "luna".into() }).unwrap();
    assert_eq!(s.held_by("luna").map(|e| e.id.as_str()), Some("key"));
    assert!(s.held_by("ember").is_none());
    s.apply(&Event::Drop { holder: "luna".into() }).unwrap();
    let key = s.entity("key").unwrap();
    assert!(key.held_by.is_none() && key.on_stage);
    assert!((key.position_at(0.0).x - Spot::Right.position().x).abs() < 0.2);
    // Labels, captions, titles and the moon are world state too; empty text clears.
    s.apply(&Event::Label { id: "key".into(), text: "a key".into() }).unwrap();
    s.apply(&Event::Caption { text: "Keys open doors".into() }).unwrap();
    s.apply(&Event::SetMoon(MoonPhase::Full)).unwrap();
    assert_eq!(s.entity("key").unwrap().label.as_deref(), Some("a key"));
    assert_eq!((s.caption(), s.moon()), (Some("Keys open doors"), MoonPhase::Full));
    s.apply(&Event::Caption { text: " ".into() }).unwrap();
    assert_eq!(s.caption(), None);
}
