//! The picture: the only place the session talks to `campfire-generator`.
//!
//! Frames are asked for by their ticks on the audio clock. The world is taken from [`World`] per
//! frame, and consecutive frames that share a world go to the generator as one request, so a
//! chunk that straddles a line's start shows the old world before it and the new one after.
//! A generator that fails or panics is replaced by the reference renderer, with a warning, and
//! the picture goes on.

use crate::world::World;
use campfire_generator::{ChunkRequest, Frame, Generator, ReferenceGenerator, Timeline, VideoFormat};
use campfire_scene::{SceneState, TICKS_PER_SECOND};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

pub use campfire_generator::LatentGenerator;

/// Frame size, rate and seed of the picture.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PictureFormat {
    pub width: u32,
    pub height: u32,
    /// Frames per second; a divisor of the tick rate (24) keeps frames on whole ticks.
    pub fps: u32,
    pub seed: u64,
}

impl Default for PictureFormat {
    fn default() -> Self {
        Self { width: 256, height: 192, fps: 12, seed: 0 }
    }
}

pub struct Picture {
    generator: Box<dyn Generator>,
    format: PictureFormat,
    /// Generation time of the last batch, per frame (for overlays and benchmarks).
    last_ms_per_frame: f64,
    replaced: bool,
}

/// A frame with what it shows: its tick and the line being said in its world.
#[derive(Clone, Debug)]
pub struct ShownFrame {
    pub tick: f64,
    pub frame: Frame,
    /// `last_said` of the world drawn: which line's world this is.
    pub last_said: Option<String>,
}

impl Picture {
    pub fn new(generator: Box<dyn Generator>, format: PictureFormat) -> Self {
        let fps = if format.fps == 0 { 12 } else { format.fps };
        Self { generator, format: PictureFormat { fps, ..format }, last_ms_per_frame: 0.0, replaced: false }
    }

    /// The reference renderer.
    pub fn reference(format: PictureFormat) -> Self {
        Self::new(Box::new(ReferenceGenerator::new()), format)
    }

    pub fn format(&self) -> PictureFormat {
        self.format
    }

    pub fn generator_name(&self) -> &str {
        self.generator.name()
    }

    /// Whether the generator asked for was replaced by the reference renderer.
    pub fn was_replaced(&self) -> bool {
        self.replaced
    }

    pub fn last_ms_per_frame(&self) -> f64 {
        self.last_ms_per_frame
    }

    /// Tick of frame `index` of the video.
    pub fn frame_tick(&self, index: u64) -> f64 {
        index as f64 * TICKS_PER_SECOND as f64 / self.format.fps as f64
    }

    /// Frames `first..first + count` of the video, each from the world at its own tick.
    pub fn frames(&mut self, world: &mut World, first: u64, count: u32) -> Vec<ShownFrame> {
        let started = Instant::now();
        let mut out = Vec::with_capacity(count as usize);
        // Runs of frames that share one world.
        let mut runs: Vec<(Arc<SceneState>, Vec<f64>)> = Vec::new();
        for i in 0..count as u64 {
            let tick = self.frame_tick(first + i);
            let state = world.at(tick);
            match runs.last_mut() {
                Some((s, ticks)) if same_world(s, state) => ticks.push(tick),
                _ => runs.push((Arc::new(state.clone()), vec![tick])),
            }
        }
        for (state, ticks) in runs {
            let said = state.last_said().map(|(_, text)| text.to_string());
            let frames = self.draw(&state, &ticks);
            out.extend(ticks.into_iter().zip(frames).map(|(tick, frame)| ShownFrame {
                tick,
                frame,
                last_said: said.clone(),
            }));
        }
        self.last_ms_per_frame = started.elapsed().as_secs_f64() * 1000.0 / count.max(1) as f64;
        out
    }

    fn draw(&mut self, state: &Arc<SceneState>, ticks: &[f64]) -> Vec<Frame> {
        let f = self.format;
        // One frame per request: the session picks each frame's world itself (the world as
        // heard), so a frame's number says its time and a still timeline says its world.
        let mut format = VideoFormat::LIVE.with_size(f.width, f.height).with_fps(f.fps);
        format.chunk_frames = 1;
        let timeline = Timeline::still(state.clone());
        let mut frames = Vec::with_capacity(ticks.len());
        for &tick in ticks {
            let n = (tick / format.ticks_per_frame()).round() as u64;
            let request = ChunkRequest::new(n, timeline.clone()).with_format(format).with_seed(f.seed);
            frames.extend(self.generate(&request));
        }
        frames
    }

    fn generate(&mut self, request: &ChunkRequest) -> Vec<Frame> {
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| self.generator.generate(request)));
        let why = match result {
            Ok(Ok(chunk)) if chunk.frames.len() == request.format.chunk_frames as usize => return chunk.frames,
            Ok(Ok(chunk)) => format!("it gave {} frames for {}", chunk.frames.len(), request.format.chunk_frames),
            Ok(Err(e)) => e.to_string(),
            Err(_) => "it panicked".to_string(),
        };
        tracing::warn!(
            generator = self.generator.name(),
            "generator failed ({why}); the reference renderer takes over"
        );
        self.generator = Box::new(ReferenceGenerator::new());
        self.replaced = true;
        match self.generator.generate(request) {
            Ok(chunk) => chunk.frames,
            Err(e) => {
                tracing::error!("the reference renderer failed too ({e}); showing black");
                vec![
                    Frame::black(request.format.width.clamp(8, 2048), request.format.height.clamp(8, 2048));
                    request.format.chunk_frames as usize
                ]
            }
        }
    }
}

/// Whether two worlds draw the same (time aside).
fn same_world(a: &SceneState, b: &SceneState) -> bool {
    a.stage() == b.stage() && a.camera() == b.camera() && a.entities() == b.entities() && a.last_said() == b.last_said()
}

#[cfg(test)]
mod tests {
    use super::*;
    use campfire_generator::{Chunk, GeneratorError};
    use campfire_scene::{Appearance, Event, Kind, Spot};

    struct Panicky;
    impl Generator for Panicky {
        fn generate(&mut self, _: &ChunkRequest) -> Result<Chunk, GeneratorError> {
            panic!("model exploded")
        }
        fn seek(&mut self, _: u64) {}
        fn reset(&mut self) {}
        fn name(&self) -> &str {
            "panicky"
        }
    }

    #[test]
    fn a_panicking_generator_is_replaced_and_frames_follow_the_world() {
        let mut state = SceneState::default();
        state
            .apply(&Event::Add {
                id: "a".into(),
                name: "A".into(),
                kind: Kind::Dragon,
                appearance: Appearance::default(),
            })
            .unwrap();
        let mut world = World::new(state);
        world.schedule(8, Event::Enter { id: "a".into(), at: Spot::Center.position() });
        let mut p = Picture::new(Box::new(Panicky), PictureFormat { width: 64, height: 48, ..Default::default() });
        let frames = p.frames(&mut world, 0, 8);
        assert!(p.was_replaced());
        assert_eq!(frames.len(), 8);
        // Frames 0..3 (ticks 0..6) before the dragon enters, 4.. after: the pictures differ.
        let diff = |a: &Frame, b: &Frame| {
            a.rgb.iter().zip(&b.rgb).map(|(x, y)| x.abs_diff(*y) as f64).sum::<f64>() / a.rgb.len() as f64
        };
        let (still, entered) = (diff(&frames[2].frame, &frames[3].frame), diff(&frames[3].frame, &frames[4].frame));
        assert!(entered > 3.0 * still + 0.5, "{still} vs {entered}");
    }
}
