//! The shape of the video: one [`VideoFormat`] says how big the frames are, how fast they come,
//! how many make a chunk and how much smaller the latent (and conditioning) grid is.
//!
//! Times are derived from *frame numbers*, never accumulated from rounded ticks: frame `n` of a
//! stream is at `n · TICKS_PER_SECOND / fps` ticks exactly (as an `f64`), and chunk `k` holds
//! frames `k · chunk_frames ..`. At 10 fps a chunk of 8 frames lasts 19.2 ticks; stepping chunk
//! starts by a rounded 19 ticks would drift 0.8 s behind the story in 80 s.

use campfire_scene::{TICKS_PER_SECOND, Tick};
use serde::{Deserialize, Serialize};

/// Size, rate and chunking of a video stream, shared by the renderer, the dataset, the models
/// and the generators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VideoFormat {
    pub width: u32,
    pub height: u32,
    /// Frames per second of story time.
    pub fps: u32,
    /// Frames a generator makes at once.
    pub chunk_frames: u32,
    /// How many pixels of a frame side one latent (and conditioning) cell covers.
    pub latent_downscale: u32,
}

/// Why a [`VideoFormat`] cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("frame size must be 8..=2048 on each side, got {0}x{1}")]
    Size(u32, u32),
    #[error("fps must be 1..=60, got {0}")]
    Fps(u32),
    #[error("a chunk must hold 1..=240 frames, got {0}")]
    ChunkFrames(u32),
    #[error("frame size {width}x{height} is not divisible by the latent downscale {downscale}")]
    NotDivisible { width: u32, height: u32, downscale: u32 },
}

impl VideoFormat {
    /// What the live stream shows unless told otherwise (headless play, render; the window draws
    /// at its own size): 640×480 at 12 fps (two ticks a frame), chunks of 8 frames, latents at
    /// 1/8 of the side. The reference renderer draws sharp at any size, so the default is the
    /// size a family watches, not the size a model was trained at.
    pub const LIVE: VideoFormat =
        VideoFormat { width: 640, height: 480, fps: 12, chunk_frames: 8, latent_downscale: 8 };

    /// What the models are trained on: 128×96, otherwise [`VideoFormat::LIVE`].
    pub const TRAINING: VideoFormat = VideoFormat { width: 128, height: 96, ..VideoFormat::LIVE };

    /// The same format at another frame size.
    pub const fn with_size(self, width: u32, height: u32) -> Self {
        Self { width, height, ..self }
    }

    /// The same format at another rate.
    pub const fn with_fps(self, fps: u32) -> Self {
        Self { fps, ..self }
    }

    /// The same format with another chunk length.
    pub const fn with_chunk_frames(self, chunk_frames: u32) -> Self {
        Self { chunk_frames, ..self }
    }

    /// Checks the numbers before any work is done.
    pub fn validate(&self) -> Result<(), FormatError> {
        if !(8..=2048).contains(&self.width) || !(8..=2048).contains(&self.height) {
            return Err(FormatError::Size(self.width, self.height));
        }
        if !(1..=60).contains(&self.fps) {
            return Err(FormatError::Fps(self.fps));
        }
        if !(1..=240).contains(&self.chunk_frames) {
            return Err(FormatError::ChunkFrames(self.chunk_frames));
        }
        let d = self.latent_downscale.max(1);
        if !self.width.is_multiple_of(d) || !self.height.is_multiple_of(d) {
            return Err(FormatError::NotDivisible { width: self.width, height: self.height, downscale: d });
        }
        Ok(())
    }

    /// Ticks between two frames (2.0 at 12 fps, 2.4 at 10 fps).
    pub fn ticks_per_frame(&self) -> f64 {
        TICKS_PER_SECOND as f64 / self.fps.max(1) as f64
    }

    /// Story time of frame `n`, in ticks.
    pub fn frame_tick(&self, n: u64) -> f64 {
        // One multiplication and one division from integers: exact for any n a story reaches.
        (n as f64 * TICKS_PER_SECOND as f64) / self.fps.max(1) as f64
    }

    /// The first frame at or after `tick`.
    pub fn first_frame_at(&self, tick: Tick) -> u64 {
        (tick * self.fps.max(1) as u64).div_ceil(TICKS_PER_SECOND)
    }

    /// The frame showing `tick`: the last one at or before it.
    pub fn frame_at(&self, tick: Tick) -> u64 {
        tick * self.fps.max(1) as u64 / TICKS_PER_SECOND
    }

    /// First frame of chunk `index`.
    pub fn chunk_first_frame(&self, index: u64) -> u64 {
        index * self.chunk_frames.max(1) as u64
    }

    /// The chunk holding frame `n`.
    pub fn chunk_of_frame(&self, n: u64) -> u64 {
        n / self.chunk_frames.max(1) as u64
    }

    /// The chunk on screen at `tick`.
    pub fn chunk_at(&self, tick: Tick) -> u64 {
        self.chunk_of_frame(self.frame_at(tick))
    }

    /// Story time of every frame of chunk `index`, in ticks.
    pub fn chunk_ticks(&self, index: u64) -> Vec<f64> {
        let first = self.chunk_first_frame(index);
        (0..self.chunk_frames as u64).map(|i| self.frame_tick(first + i)).collect()
    }

    /// Story time where chunk `index` starts (its first frame), in ticks.
    pub fn chunk_start(&self, index: u64) -> f64 {
        self.frame_tick(self.chunk_first_frame(index))
    }

    /// Story time where chunk `index` ends (the next chunk's first frame), in ticks.
    pub fn chunk_end(&self, index: u64) -> f64 {
        self.chunk_start(index + 1)
    }

    /// Play time of one chunk, in milliseconds: the budget for making it in real time.
    pub fn chunk_ms(&self) -> f64 {
        self.chunk_frames as f64 * 1000.0 / self.fps.max(1) as f64
    }

    /// `(width, height)` of the latent grid, which is also the conditioning maps' size.
    pub fn latent_size(&self) -> (u32, u32) {
        let d = self.latent_downscale.max(1);
        ((self.width / d).max(1), (self.height / d).max(1))
    }
}

impl Default for VideoFormat {
    fn default() -> Self {
        Self::LIVE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_do_not_drift_from_the_story_clock() {
        // 10 fps: 2.4 ticks a frame, 19.2 ticks a chunk of 8. After 80 s (100 chunks) the next
        // chunk starts exactly at 80 s; stepping by a rounded 19 ticks would start it 0.8 s early.
        let f = VideoFormat::LIVE.with_fps(10);
        assert_eq!(f.chunk_start(100), 80.0 * TICKS_PER_SECOND as f64);
        let mut rounded: Tick = 0;
        for _ in 0..100 {
            rounded += (f.chunk_frames as f64 * f.ticks_per_frame()).round() as Tick;
        }
        let drift_s = (f.chunk_start(100) - rounded as f64) / TICKS_PER_SECOND as f64;
        assert!(drift_s > 0.79, "the rounded walk this replaces drifts {drift_s} s");
        // Frames of consecutive chunks follow each other evenly, across the chunk boundary too.
        let ticks: Vec<f64> = (0..3).flat_map(|k| f.chunk_ticks(k)).collect();
        for (n, t) in ticks.iter().enumerate() {
            assert!((t - n as f64 * 2.4).abs() < 1e-9, "frame {n} at {t}");
        }
    }

    #[test]
    fn frames_and_chunks_at_a_tick() {
        let f = VideoFormat::LIVE;
        assert_eq!(f.frame_tick(5), 10.0);
        assert_eq!(f.frame_at(11), 5);
        assert_eq!(f.first_frame_at(11), 6);
        assert_eq!(f.first_frame_at(10), 5);
        assert_eq!(f.chunk_at(15), 0);
        assert_eq!(f.chunk_at(16), 1);
        assert_eq!(f.chunk_ticks(1)[0], 16.0);
        assert!((f.chunk_ms() - 666.666).abs() < 0.01);
        assert_eq!(f.latent_size(), (80, 60));
        assert_eq!(VideoFormat::TRAINING.latent_size(), (16, 12));
    }

    #[test]
    fn bad_formats_are_refused() {
        assert!(VideoFormat::LIVE.validate().is_ok());
        assert!(VideoFormat::TRAINING.validate().is_ok());
        assert_eq!(VideoFormat::LIVE.with_size(0, 10).validate(), Err(FormatError::Size(0, 10)));
        assert_eq!(VideoFormat::LIVE.with_fps(0).validate(), Err(FormatError::Fps(0)));
        assert!(matches!(VideoFormat::LIVE.with_size(100, 75).validate(), Err(FormatError::NotDivisible { .. })));
    }
}
