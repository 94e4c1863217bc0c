//! Chunks of video and the generator contract.
//!
//! The video is made a few frames at a time. A [`ChunkRequest`] says which chunk of the stream
//! to make (its index: chunk `k` holds frames `k · chunk_frames ..` of the [`VideoFormat`]) and
//! carries the story's [`Timeline`], so every frame shows the world at its own tick, also when an
//! event happens in the middle of a chunk. A [`Generator`] turns it into a [`Chunk`].
//!
//! # The contract a generator keeps
//!
//! - **Context between chunks.** A video model continues the previous chunk (a DiT is given the
//!   previous chunk's latents as context). A generator keeps that context itself, keyed by chunk
//!   index ([`Context`] does the bookkeeping): when asked for chunk `k` it continues from what it
//!   made for `k - 1` if it still holds it, and starts afresh otherwise.
//! - **[`Generator::seek`]`(k)`** is called before chunk `k` whenever it does not follow the
//!   chunk made last: a superseded chunk is made again (the story changed under it), or the
//!   caller jumped. Context made for chunks `k` and later is stale and must be dropped; context
//!   of earlier chunks stays (those frames have been shown and the new chunk must join them).
//! - **[`Generator::reset`]** forgets everything carried (a new story, a loaded save).
//! - **Device** is chosen when the generator is built (`Device::Cpu` or a CUDA device) and
//!   reported by [`Generator::device`]; requests never move it.
//! - **Timing** is measured in one place, the [`StreamingDriver`](crate::StreamingDriver),
//!   which fills [`Chunk::timing`]; generators leave it `None`.
//! - **Errors** keep their source ([`GeneratorError`]), so the cause of a failed chunk reaches
//!   the log.
//!
//! The [`ReferenceGenerator`] draws with the procedural renderer and carries no context.

use campfire_models::autoencoder::LoadError;
use campfire_render::{ConditionMap, FormatError, Frame, Timeline, VideoFormat, condition_map, render_frame};
use candle_core::Device;
use std::collections::BTreeMap;

/// What to draw: which chunk of the stream, of which story, in which format.
#[derive(Clone, Debug)]
pub struct ChunkRequest {
    /// Position of the chunk in its stream (0, 1, 2 …): it holds frames
    /// `format.chunk_first_frame(index) ..` and its times follow from them.
    pub index: u64,
    /// The world over time (shared: requests are cloned and sent between threads).
    pub timeline: Timeline,
    pub format: VideoFormat,
    /// Seed of the self-moving details; keep it fixed over a stream so they move smoothly.
    pub seed: u64,
}

impl ChunkRequest {
    /// Chunk `index` of `timeline` in the live format ([`VideoFormat::LIVE`]), seed 0.
    pub fn new(index: u64, timeline: Timeline) -> Self {
        Self { index, timeline, format: VideoFormat::LIVE, seed: 0 }
    }

    pub fn with_format(mut self, format: VideoFormat) -> Self {
        self.format = format;
        self
    }

    pub fn with_size(mut self, width: u32, height: u32) -> Self {
        self.format = self.format.with_size(width, height);
        self
    }

    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Story time of every frame, in ticks (fractional between ticks).
    pub fn frame_ticks(&self) -> Vec<f64> {
        self.format.chunk_ticks(self.index)
    }

    /// Story time of the first frame, in ticks.
    pub fn start_tick(&self) -> f64 {
        self.format.chunk_start(self.index)
    }

    /// Story time of the next chunk's first frame, in ticks.
    pub fn end_tick(&self) -> f64 {
        self.format.chunk_end(self.index)
    }

    /// Play time of the chunk in milliseconds: the budget for making it in real time.
    pub fn duration_ms(&self) -> f64 {
        self.format.chunk_ms()
    }

    /// Checks the numbers before any work is done.
    pub fn validate(&self) -> Result<(), GeneratorError> {
        Ok(self.format.validate()?)
    }

    /// The reference renderer's frame at every frame tick: the picture a generator is taught to
    /// make, and the fallback.
    pub fn reference_frames(&self) -> Vec<Frame> {
        let (w, h) = (self.format.width, self.format.height);
        let mut playhead = self.timeline.playhead();
        self.frame_ticks().iter().map(|&t| render_frame(&playhead.at(t).pose_at(t), w, h, self.seed)).collect()
    }

    /// The conditioning map of every frame at the latent size: what a conditioned model reads.
    pub fn condition_maps(&self) -> Vec<ConditionMap> {
        let (w, h) = self.format.latent_size();
        let mut playhead = self.timeline.playhead();
        self.frame_ticks().iter().map(|&t| condition_map(&playhead.at(t).pose_at(t), w, h)).collect()
    }
}

/// How long a chunk took, against its play time (measured by the streaming driver).
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
    /// The timeline generation the chunk was made from (set by the streaming driver).
    pub generation: u64,
    /// Set by the streaming driver; `None` from a generator called directly.
    pub timing: Option<ChunkTiming>,
    /// Which generator made it.
    pub generator: String,
}

#[derive(Debug, thiserror::Error)]
pub enum GeneratorError {
    #[error("bad chunk request")]
    Format(#[from] FormatError),
    #[error("bad chunk request: {0}")]
    BadRequest(String),
    #[error("the model failed on chunk {index}")]
    Model {
        index: u64,
        #[source]
        source: candle_core::Error,
    },
    #[error("the model's weights do not load")]
    Load(#[from] LoadError),
    #[error("the DiT's weights do not load")]
    DitLoad(#[from] campfire_models::dit::LoadError),
    /// Weights that load but do not belong with this build or with each other.
    #[error("{0}")]
    Mismatch(String),
    #[error("generator stopped")]
    Stopped,
}

/// Anything that turns chunk requests into frames. See the [module docs](self) for the
/// contract on context, `seek`, `reset`, device, timing and errors.
pub trait Generator: Send {
    /// Makes chunk `request.index`, continuing the context of chunk `request.index - 1` if the
    /// generator holds it.
    fn generate(&mut self, request: &ChunkRequest) -> Result<Chunk, GeneratorError>;

    /// The next chunk asked for will be `index`, which does not follow the last one made:
    /// drop the context of chunks `index` and later, keep the earlier.
    fn seek(&mut self, index: u64);

    /// Forget all context: the next chunk starts a new stream.
    fn reset(&mut self);

    fn name(&self) -> &str;
    /// Frames per chunk this generator must be asked for (a DiT draws whole chunks with their
    /// context); `None`: any number, one frame alone too.
    fn chunk_frames(&self) -> Option<u32> {
        None
    }

    /// Where the generator computes, chosen when it was built.
    fn device(&self) -> Device {
        Device::Cpu
    }
}

/// What a generator carries between chunks (a DiT: the latents of the chunks it made), keyed by
/// chunk index, with the [`Generator::seek`] and [`Generator::reset`] rules built in. It keeps
/// the newest `keep` entries: enough to continue after the streaming driver re-makes the chunks
/// it had queued (its capacity plus the one in hand).
#[derive(Clone, Debug)]
pub struct Context<T> {
    keep: usize,
    by_chunk: BTreeMap<u64, T>,
}

impl<T> Context<T> {
    pub fn new(keep: usize) -> Self {
        Self { keep: keep.max(1), by_chunk: BTreeMap::new() }
    }

    /// The context to make chunk `index` from: what chunk `index - 1` left, if held.
    pub fn before(&self, index: u64) -> Option<&T> {
        index.checked_sub(1).and_then(|i| self.by_chunk.get(&i))
    }

    /// Records what chunk `index` leaves for the next one; drops anything after it (it was made
    /// from an older story) and the oldest beyond `keep`.
    pub fn store(&mut self, index: u64, value: T) {
        self.seek(index);
        self.by_chunk.insert(index, value);
        while self.by_chunk.len() > self.keep {
            self.by_chunk.pop_first();
        }
    }

    /// [`Generator::seek`]: context of chunks `index` and later is stale.
    pub fn seek(&mut self, index: u64) {
        self.by_chunk.split_off(&index);
    }

    /// [`Generator::reset`].
    pub fn reset(&mut self) {
        self.by_chunk.clear();
    }

    /// Chunk indices held, oldest first.
    pub fn held(&self) -> Vec<u64> {
        self.by_chunk.keys().copied().collect()
    }
}

/// The procedural renderer as a generator: every frame is the reference picture of the world
/// at its tick. It carries no context, so `seek` and `reset` have nothing to drop.
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
        Ok(Chunk {
            index: request.index,
            frames: request.reference_frames(),
            times: request.frame_ticks(),
            generation: 0,
            timing: None,
            generator: self.name().to_string(),
        })
    }

    fn seek(&mut self, _index: u64) {}

    fn reset(&mut self) {}

    fn name(&self) -> &str {
        "reference"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_follows_seek_and_reset() {
        let mut c = Context::new(3);
        for i in 0..5 {
            c.store(i, i * 10);
        }
        assert_eq!(c.held(), vec![2, 3, 4]);
        assert_eq!(c.before(5), Some(&40));
        assert_eq!(c.before(0), None);
        // Chunk 3 is made again: what 3 and 4 left is stale, 2's is what 3 continues.
        c.seek(3);
        assert_eq!(c.held(), vec![2]);
        assert_eq!(c.before(3), Some(&20));
        assert_eq!(c.before(4), None);
        // Storing an earlier chunk drops anything after it.
        c.store(4, 41);
        c.store(1, 11);
        assert_eq!(c.held(), vec![1]);
        c.reset();
        assert!(c.held().is_empty());
    }
}
