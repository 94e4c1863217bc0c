//! A story played by the runtime drives the generator: what the story says is what the picture
//! shows, chunk after chunk, including after a choice changes the world mid-stream.

use crate::common::{brightness, runtime, settle, share_near};
use campfire_generator::{ChunkSpec, DriverConfig, ReferenceGenerator, StreamingDriver};
use campfire_render::{Frame, Timeline, VideoFormat, render_frame};
use campfire_scene::{Color, Event, Kind, SceneState, Stage};
use campfire_story::Output;
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
    let stage = rt.state().stage();
    let format = VideoFormat::LIVE.with_size(128, 96);
    // The first chunk that starts at or after `tick`.
    let chunk_from = |tick| format.first_frame_at(tick).div_ceil(u64::from(format.chunk_frames));
    let driver = StreamingDriver::new(Box::new(ReferenceGenerator::new()), DriverConfig::default());
    driver.update_timeline(Timeline::new(stage, rt.log().clone()));
    let first = chunk_from(rt.now());
    driver.request(ChunkSpec::new(first).with_format(format)).unwrap();
    let dusk = driver.next_timeout(Duration::from_secs(60)).expect("a chunk").unwrap();

    // The story moves on to its first choice: night falls, the moon rises.
    assert!(matches!(settle(&mut rt), Output::Choices(_)));
    assert!(rt.state().entity("moon").unwrap().on_stage);
    driver.update_timeline(Timeline::new(stage, rt.log().clone()));
    let later = chunk_from(rt.now()).max(first + 1);
    driver.request(ChunkSpec::new(later).with_format(format)).unwrap();
    let night = loop {
        let c = driver.next_timeout(Duration::from_secs(60)).expect("a chunk").unwrap();
        if c.index == later {
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

/// What a frame must show of the world: the stage and every entity on it, as they look.
fn visible_world(state: &SceneState) -> (Stage, String) {
    let cast: Vec<_> = state
        .entities()
        .iter()
        .filter(|(_, e)| e.on_stage)
        .map(|(id, e)| (id.clone(), e.kind, e.appearance.clone(), e.action, e.position_at(state.now() as f64)))
        .collect();
    (state.stage(), format!("{cast:?}"))
}

#[test]
fn every_beat_of_every_default_path_renders() {
    let size = (256 * 192) as usize;
    for name in [
        "demo",
        "dragon-dark",
        "moon-trip",
        "lost-kitten",
        "water-cycle",
        "seed-to-plant",
        "moon-phases",
        "day-and-night",
    ] {
        let mut rt = runtime(name, &[]);
        let mut previous: Option<(Frame, _)> = None;
        let (mut beats, mut changes) = (0, 0);
        loop {
            match rt.next().unwrap() {
                Output::Line(_) => {
                    let state = rt.state();
                    let frame = frame_of(state);
                    beats += 1;
                    // A picture, not a blank: the backdrop alone has many colours.
                    let colours: std::collections::HashSet<&[u8]> = frame.rgb.chunks_exact(3).collect();
                    assert!(colours.len() > 50, "{name} at tick {}: only {} colours", state.now(), colours.len());

                    // Every entity on stage is in the picture: taking it away changes pixels.
                    // A title card covers the stage on purpose (an explainer's last words).
                    let stage_shown = state.title().is_none();
                    for (id, e) in state.entities().iter().filter(|(_, e)| e.on_stage && stage_shown) {
                        let mut without = state.clone();
                        without.apply(&Event::Exit { id: id.clone() }).unwrap();
                        let gone = frame_of(&without);
                        let changed =
                            frame.rgb.chunks_exact(3).zip(gone.rgb.chunks_exact(3)).filter(|(p, q)| p != q).count();
                        assert!(
                            changed > 30,
                            "{name} at tick {}: {id} ({:?}) is on stage but covers {changed} pixels",
                            state.now(),
                            e.kind
                        );
                    }

                    // Where the story changed the world since the last line, the picture changed too.
                    let world = visible_world(state);
                    if let Some((prev_frame, prev_world)) = &previous
                        && *prev_world != world
                    {
                        changes += 1;
                        let changed = frame
                            .rgb
                            .chunks_exact(3)
                            .zip(prev_frame.rgb.chunks_exact(3))
                            .filter(|(p, q)| p != q)
                            .count();
                        assert!(
                            changed > size / 1000,
                            "{name} at tick {}: the world changed but only {changed} pixels did",
                            state.now()
                        );
                    }
                    previous = Some((frame, world));
                }
                Output::Choices(_) => rt.choose(0).unwrap(),
                Output::End(_) => break,
            }
        }
        assert!(beats > 3, "{name}: {beats} lines");
        assert!(changes > 0, "{name}: the world never changed along the default path");
    }
}
