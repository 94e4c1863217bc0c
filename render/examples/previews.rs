//! Writes the preview frames of the teaching vocabulary to `assets/previews/` (or OUT_DIR):
//! a full moon, a label with an arrow, a prop held by a character, a fish in the sea.
//! `cargo run -p campfire-render --release --example previews -- [OUT_DIR]`

use campfire_render::render_frame;
use campfire_scene::*;
use std::path::Path;

fn save(path: &Path, f: &campfire_render::Frame) {
    f.write_png(path).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}

fn add(s: &mut SceneState, id: &str, kind: Kind, color: Color, accent: Color, at: Option<Spot>, action: Action) {
    let appearance = Appearance { color, accent, size: 1.0 };
    s.apply(&Event::Add { id: id.into(), name: id.into(), kind, appearance }).expect("add");
    if let Some(spot) = at {
        s.apply(&Event::Enter { id: id.into(), at: spot.position() }).expect("enter");
        s.apply(&Event::Act { id: id.into(), action }).expect("act");
    }
}

fn main() {
    let out = std::env::args().nth(1).unwrap_or_else(|| "assets/previews".into());
    let out = Path::new(&out);
    std::fs::create_dir_all(out).expect("out dir");
    let (w, h) = (640, 360);

    let mut s = SceneState::new(Stage { setting: Setting::NightSky, time: TimeOfDay::Night, weather: Weather::Clear });
    add(&mut s, "moon", Kind::Moon, Color::White, Color::Yellow, Some(Spot::SkyRight), Action::Idle);
    add(&mut s, "kid", Kind::Child, Color::Blue, Color::Yellow, Some(Spot::Left), Action::Idle);
    s.apply(&Event::SetMoon(MoonPhase::Full)).expect("moon");
    s.apply(&Event::ActAt { id: "kid".into(), action: Action::Point, target: "moon".into() }).expect("point");
    s.apply(&Event::Caption { text: "A full moon: we see all of its sunny side.".into() }).expect("caption");
    save(&out.join("full-moon.png"), &render_frame(&s.pose_at(12.0), w, h, 1));

    let mut s = SceneState::new(Stage { setting: Setting::Garden, time: TimeOfDay::Day, weather: Weather::Clear });
    add(&mut s, "kid", Kind::Child, Color::Red, Color::Blue, Some(Spot::Left), Action::Idle);
    add(&mut s, "sprout", Kind::Sprout, Color::Green, Color::Yellow, Some(Spot::Right), Action::Idle);
    s.apply(&Event::Label { id: "sprout".into(), text: "sprout".into() }).expect("label");
    s.apply(&Event::ActAt { id: "kid".into(), action: Action::LookAt, target: "sprout".into() }).expect("look");
    save(&out.join("label-arrow.png"), &render_frame(&s.pose_at(12.0), w, h, 1));

    let mut s = SceneState::new(Stage { setting: Setting::Meadow, time: TimeOfDay::Day, weather: Weather::Clear });
    add(&mut s, "kid", Kind::Child, Color::Purple, Color::Green, Some(Spot::Left), Action::Idle);
    add(&mut s, "rabbit", Kind::Rabbit, Color::White, Color::Pink, Some(Spot::Right), Action::Idle);
    add(&mut s, "apple", Kind::Apple, Color::Red, Color::Green, None, Action::Idle);
    s.apply(&Event::Hold { holder: "kid".into(), item: "apple".into() }).expect("hold");
    save(&out.join("prop-held.png"), &render_frame(&s.pose_at(12.0), w, h, 1));

    let mut s = SceneState::new(Stage { setting: Setting::Ocean, time: TimeOfDay::Day, weather: Weather::Clear });
    add(&mut s, "boat", Kind::Boat, Color::Red, Color::White, Some(Spot::Right), Action::Idle);
    add(&mut s, "fish", Kind::Fish, Color::Orange, Color::Yellow, Some(Spot::Underwater), Action::Swim);
    s.apply(&Event::Label { id: "fish".into(), text: "under the water".into() }).expect("label");
    save(&out.join("fish-in-sea.png"), &render_frame(&s.pose_at(12.0), w, h, 1));

    // The moon-phases explainer's space view: the sun lights the half of the Earth and of the
    // moon that faces it.
    let mut s = SceneState::new(Stage { setting: Setting::Space, time: TimeOfDay::Night, weather: Weather::Clear });
    add(&mut s, "sun", Kind::Sun, Color::Yellow, Color::Orange, None, Action::Idle);
    add(&mut s, "earth", Kind::Earth, Color::Green, Color::White, None, Action::Idle);
    add(&mut s, "moon", Kind::Moon, Color::White, Color::Yellow, None, Action::Idle);
    for (id, at) in [
        ("sun", Position::new(-0.8, 0.35, 0.3)),
        ("earth", Position::new(0.1, 0.3, 0.3)),
        ("moon", Position::new(0.7, 0.3, 0.3)),
    ] {
        s.apply(&Event::Enter { id: id.into(), at }).expect("enter");
    }
    s.apply(&Event::Label { id: "moon".into(), text: "the moon".into() }).expect("label");
    s.apply(&Event::Caption { text: "The moon goes around the Earth about once a month.".into() }).expect("caption");
    save(&out.join("space-orbit.png"), &render_frame(&s.pose_at(12.0), w, h, 1));
}
