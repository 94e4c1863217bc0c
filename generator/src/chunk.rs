//! Chunks of video and the generator interface.
//!
//! The video is made a few frames at a time: a [`ChunkRequest`] carries a snapshot of the scene
//! and the stretch of story time to draw; a [`Generator`] turns it into a [`Chunk`]. The
//! [`ReferenceGenerator`] does it with the procedural renderer; the diffusion model implements
//! the same trait.

use campfire_render::{Frame, render_frame};
use campfire_scene::{SceneState, TICKS_PER_SECOND, Tick};
use std::sync::Arc;
use std::time::Instant;

/// Default frames per chunk.
pub const DEFAULT_FRAMES: u32 = 8;
/// Default frame rate: two ticks per frame.
pub const DEFAULT_FPS: u32 = 12;

/// What to draw: the scene as it is, from which tick, how many frames, how big.
#[derive(Clone, Debug)]
pub struct ChunkRequest {
    /// Position of the chunk in its stream (0, 1, 2 …).
    pub index: u64,
    /// The scene to draw (shared: requests are cloned and sent between threads).
    pub state: Arc<SceneState>,
    /// Story time of the first frame.
    pub start_tick: Tick,
    pub frames: u32,
    pub fps: u32,
    pub width: u32,
    pub height: u32,
    /// Seed of the self-moving details; keep it fixed over a stream so they move smoothly.
    pub seed: u64,
}

impl ChunkRequest {
    /// A request with the defaults: 8 frames at 12 fps, 256×192, seed 0.
    pub fn new(index: u64, state: Arc<SceneState>, start_tick: Tick) -> Self {
        Self { index, state, start_tick, frames: DEFAULT_FRAMES, fps: DEFAULT_FPS, width: 256, height: 192, seed: 0 }
    }

    pub fn with_size(mut self, width: u32, height: u32) -> Self {
        self.width = width;
        self.height = height;
        self
    }

    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    pub fn with_frames(mut self, frames: u32, fps: u32) -> Self {
        self.frames = frames;
        self.fps = fps;
        self
    }

    /// Ticks between frames (2.0 at 12 fps).
    pub fn ticks_per_frame(&self) -> f64 {
        TICKS_PER_SECOND as f64 / self.fps.max(1) as f64
    }

    /// Story time of every frame, in ticks.
    pub fn frame_ticks(&self) -> Vec<f64> {
        (0..self.frames).map(|i| self.start_tick as f64 + i as f64 * self.ticks_per_frame()).collect()
    }

    /// First tick after the chunk: where the next chunk starts.
    pub fn end_tick(&self) -> Tick {
        self.start_tick + (self.frames as f64 * self.ticks_per_frame()).round() as Tick
    }

    /// Play time of the chunk in milliseconds: the budget for making it in real time.
    pub fn duration_ms(&self) -> f64 {
        self.frames as f64 * 1000.0 / self.fps.max(1) as f64
    }

    /// Checks the numbers before any work is done.
    pub fn validate(&self) -> Result<(), GeneratorError> {
        let bad = |what: String| Err(GeneratorError::BadRequest(what));
        if !(1..=240).contains(&self.frames) {
            return bad(format!("frames must be 1..=240, got {}", self.frames));
        }
        if !(1..=60).contains(&self.fps) {
            return bad(format!("fps must be 1..=60, got {}", self.fps));
        }
        if !(8..=2048).contains(&self.width) || !(8..=2048).contains(&self.height) {
            return bad(format!("size must be 8..=2048 on each side, got {}x{}", self.width, self.height));
        }
        Ok(())
    }
}

/// How long a chunk took, against its play time.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ChunkTiming {
    /// Wall time spent generating.
    pub generate_ms: f64,
    /// Play time of the chunk (frames / fps).
    pub budget_ms: f64,
    /// Generated slower than real time, or delivered after the caller's deadline.
    pub late: bool,
}

/// Frames of video for a stretch of story time.
#[derive(Clone, Debug)]
pub struct Chunk {
    pub index: u64,
    pub frames: Vec<Frame>,
    /// Story time of each frame, in ticks (fractional between ticks).
    pub times: Vec<f64>,
    /// The scene-state generation the chunk was made from (see the streaming driver).
    pub generation: u64,
    pub timing: ChunkTiming,
    /// Which generator made it.
    pub generator: String,
}

#[derive(Debug, thiserror::Error)]
pub enum GeneratorError {
    #[error("bad chunk request: {0}")]
    BadRequest(String),
    #[error("model failed: {0}")]
    Model(String),
    #[error("generator stopped")]
    Stopped,
}

/// Anything that turns chunk requests into frames.
pub trait Generator: Send {
    fn generate(&mut self, request: &ChunkRequest) -> Result<Chunk, GeneratorError>;
    fn name(&self) -> &str;
}

/// The procedural renderer as a generator.
#[derive(Clone, Debug, Default)]
pub struct ReferenceGenerator;

impl ReferenceGenerator {
    pub fn new() -> Self {
        Self
    }
}

impl Generator for ReferenceGenerator {
    fn generate(&mut self, request: &ChunkRequest) -> Result<Chunk, GeneratorError> {
        request.validate()?;
        let started = Instant::now();
        let times = request.frame_ticks();
        let frames = times
            .iter()
            .map(|&t| render_frame(&request.state.pose_at(t), request.width, request.height, request.seed))
            .collect();
        let generate_ms = started.elapsed().as_secs_f64() * 1000.0;
        let budget_ms = request.duration_ms();
        Ok(Chunk {
            index: request.index,
            frames,
            times,
            generation: 0,
            timing: ChunkTiming { generate_ms, budget_ms, late: generate_ms > budget_ms },
            generator: self.name().to_string(),
        })
    }

    fn name(&self) -> &str {
        "reference"
    }
}
