//! A story played by the runtime drives the generator: what the story says is what the picture
//! shows, chunk after chunk, including after a choice changes the world mid-stream.

use crate::common::{brightness, runtime, settle, share_near};
use campfire_generator::{ChunkSpec, DriverConfig, ReferenceGenerator, StreamingDriver};
use campfire_render::render_frame;
use campfire_scene::{Color, Kind, SceneState};
use campfire_story::Output;
use std::sync::Arc;
use std::time::Duration;

fn frame_of(state: &SceneState) -> campfire_render::Frame {
    render_frame(&state.pose_at(state.now() as f64), 256, 192, 1)
}

#[test]
fn a_parameter_changes_the_character_on_screen() {
    let mut red = runtime("demo", &[("color", "red")]);
    let mut blue = runtime("demo", &[("color", "blue")]);
    settle(&mut red);
    settle(&mut blue);
    let (r, b) = (frame_of(red.state()), frame_of(blue.state()));
    let red_rgb = Color::Red.rgb();
    assert!(
        share_near(&r, red_rgb, 40) > share_near(&b, red_rgb, 40) + 0.001,
        "a red Pip shows more red: {} vs {}",
        share_near(&r, red_rgb, 40),
        share_near(&b, red_rgb, 40)
    );
}

#[test]
fn nightfall_in_the_story_darkens_the_streamed_picture() {
    let mut rt = runtime("dragon-dark", &[]);
    let driver = StreamingDriver::new(Box::new(ReferenceGenerator::new()), DriverConfig::default());
    driver.update_state(Arc::new(rt.state().clone()));
    let spec = ChunkSpec::new(0, rt.now()).with_size(128, 96);
    driver.request(spec.clone()).unwrap();
    let dusk = driver.next_timeout(Duration::from_secs(60)).expect("a chunk").unwrap();

    // The story moves on to its first choice: night falls, the moon rises.
    assert!(matches!(settle(&mut rt), Output::Choices(_)));
    assert!(rt.state().entity("moon").unwrap().on_stage);
    driver.update_state(Arc::new(rt.state().clone()));
    let next = ChunkSpec::new(1, rt.now()).with_size(128, 96);
    driver.request(next).unwrap();
    let night = loop {
        let c = driver.next_timeout(Duration::from_secs(60)).expect("a chunk").unwrap();
        if c.index == 1 {
            break c;
        }
    };
    assert_eq!(dusk.frames.len(), 8);
    assert_eq!(night.frames.len(), 8);
    let (d, n) = (brightness(&dusk.frames[0]), brightness(&night.frames[0]));
    assert!(n < d - 10.0, "night ({n:.1}) is darker than dusk ({d:.1})");
    assert!(night.times[0] >= rt.now() as f64);
}

#[test]
fn a_character_who_leaves_and_returns_looks_the_same() {
    // moon-trip: the child and Bolt exit for the launch and come back on the moon.
    let mut rt = runtime("moon-trip", &[("name", "Ada")]);
    settle(&mut rt);
    let before = rt.state().entity("bolt").unwrap().clone();
    rt.choose(0).unwrap(); // blast off: Bolt exits
    settle(&mut rt);
    assert!(!rt.state().entity("bolt").unwrap().on_stage, "off stage, still in the world");
    rt.choose(0).unwrap(); // land on the moon: Bolt re-enters
    settle(&mut rt);
    let after = rt.state().entity("bolt").unwrap();
    assert!(after.on_stage);
    assert_eq!(after.appearance, before.appearance);
    assert_eq!(after.kind, Kind::Robot);
    // And the picture shows the robot again: the frame differs from the same world without it.
    let mut without = rt.state().clone();
    without.apply(&campfire_scene::Event::Exit { id: "bolt".into() }).unwrap();
    let (a, b) = (frame_of(rt.state()), frame_of(&without));
    let changed = a.rgb.chunks_exact(3).zip(b.rgb.chunks_exact(3)).filter(|(p, q)| p != q).count();
    assert!(changed > 256 * 192 / 100, "Bolt covers {changed} pixels");
}

#[test]
fn every_beat_of_every_default_path_renders() {
    for name in ["demo", "dragon-dark", "moon-trip", "lost-kitten", "water-cycle", "seed-to-plant"] {
        let mut rt = runtime(name, &[]);
        let mut frames = 0;
        loop {
            match rt.next().unwrap() {
                Output::Line(_) => {
                    let f = frame_of(rt.state());
                    assert_eq!(f.rgb.len(), 256 * 192 * 3);
                    frames += 1;
                }
                Output::Choices(_) => rt.choose(0).unwrap(),
                Output::End(_) => break,
            }
        }
        assert!(frames > 3, "{name}: {frames} frames");
    }
}
