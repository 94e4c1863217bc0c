//! Renders a contact sheet of settings, kinds and actions to PNG files for looking at.
//! `cargo run -p campfire-render --release --example gallery -- OUT_DIR [WIDTH HEIGHT]`
//! (every kind on one labelled sheet: the `kinds` example)

use campfire_render::render_frame;
use campfire_scene::*;
use std::path::Path;

fn save(path: &Path, f: &campfire_render::Frame) {
    f.write_png(path).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}

fn add(state: &mut SceneState, id: &str, kind: Kind, color: Color, accent: Color, at: Position, action: Action) {
    state
        .apply(&Event::Add {
            id: id.into(),
            name: id.into(),
            kind,
            appearance: Appearance { color, accent, size: 1.0 },
        })
        .unwrap();
    state.apply(&Event::Enter { id: id.into(), at }).unwrap();
    state.apply(&Event::Act { id: id.into(), action }).unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = Path::new(args.get(1).map(String::as_str).unwrap_or("out/gallery"));
    let w: u32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(256);
    let h: u32 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(192);
    std::fs::create_dir_all(out).unwrap();
    let times = [TimeOfDay::Day, TimeOfDay::Dusk, TimeOfDay::Night, TimeOfDay::Dawn];
    for (i, &setting) in Setting::ALL.iter().enumerate() {
        let mut s = SceneState::new(Stage { setting, time: times[i % 4], weather: Weather::Clear });
        add(&mut s, "kid", Kind::Child, Color::Red, Color::Blue, Spot::Left.position(), Action::Wave);
        add(&mut s, "dragon", Kind::Dragon, Color::Green, Color::Gold, Position::new(0.35, 0.0, 0.3), Action::Talk);
        add(&mut s, "cat", Kind::Cat, Color::Orange, Color::Brown, Position::new(-0.05, 0.0, 0.0), Action::Walk);
        s.advance_to(30);
        save(&out.join(format!("setting_{}.png", setting.name())), &render_frame(&s.pose_at(30.0), w, h, 1));
    }
    for &weather in Weather::ALL {
        let mut s = SceneState::new(Stage { setting: Setting::Meadow, time: TimeOfDay::Day, weather });
        add(&mut s, "kid", Kind::Child, Color::Yellow, Color::Green, Spot::Center.position(), Action::Idle);
        save(
            &out.join(format!("weather_{}.png", weather.name())),
            &render_frame(&s.pose_at(12.0 + 24.0 * 1.3), w, h, 3),
        );
    }
    // Every kind, four to a picture.
    for (n, chunk) in Kind::ALL.chunks(4).enumerate() {
        let mut s = SceneState::new(Stage::default());
        for (j, &kind) in chunk.iter().enumerate() {
            let x = -0.7 + j as f32 * 0.47;
            let y =
                if matches!(kind, Kind::Sun | Kind::Moon | Kind::Star | Kind::Cloud | Kind::Rain) { 0.55 } else { 0.0 };
            add(
                &mut s,
                kind.name(),
                kind,
                Color::ALL[(j * 3 + n) % Color::ALL.len()],
                Color::ALL[(j * 5 + n + 4) % Color::ALL.len()],
                Position::new(x, y, 0.1),
                Action::Idle,
            );
        }
        save(&out.join(format!("kinds_{n}.png")), &render_frame(&s.pose_at(10.0), w, h, 2));
    }
    // Every action on a child and a dog, at a moment where it shows.
    for &action in Action::ALL {
        let mut s = SceneState::new(Stage { setting: Setting::Garden, ..Stage::default() });
        add(&mut s, "kid", Kind::Child, Color::Purple, Color::Pink, Spot::Left.position(), action);
        add(&mut s, "dog", Kind::Dog, Color::Brown, Color::White, Spot::Right.position(), action);
        save(&out.join(format!("action_{}.png", action.name())), &render_frame(&s.pose_at(9.0), w, h, 4));
    }
}
