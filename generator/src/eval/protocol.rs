//! The evaluation behind the README's figures (`campfire eval dit`): a generator run as the app
//! runs it, chunk after chunk with its own context, on held-out stories no training run has
//! seen, against the reference renderer. Three parts, each optional:
//!
//! - **held-out timelines**: PSNR, SSIM, flicker and sharpness of each, and of all together;
//! - **re-entries**: an entity sent off stage and back, on a timeline of its own, judged by its
//!   colours before it left and after it came back ([`reentry`]);
//! - **drift**: one long rollout, its first window against its last.
//!
//! Stories come numbered from a [`HeldOut`] source (the training data's held-out split,
//! `campfire_train::dataset::HeldOutStories`): timelines take numbers `0..timelines`, the drift
//! rollout `timelines`, the returns the numbers after it.

use super::{Reentry, Scores, combine, reentry, rollout, share_interval};
use crate::chunk::{Generator, GeneratorError};
use crate::dit::DitOptions;
use campfire_models::dit::sampling::Velocity;
use campfire_render::{Timeline, VideoFormat};
use campfire_scene::{EventLog, SceneError, Stage};
use serde::Serialize;

/// One held-out story: where it starts, what happens, and the seed it was drawn from (which
/// also seeds the generator's noise on it).
pub struct HeldOutStory {
    pub seed: u64,
    pub stage: Stage,
    pub events: EventLog,
}

/// Where the protocol's stories come from.
pub trait HeldOut {
    /// Story number `index`, long enough for `frames` frames of `format`.
    fn story(&mut self, index: u64, format: VideoFormat, frames: usize) -> Result<HeldOutStory, SceneError>;
}

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error(transparent)]
    Generator(#[from] GeneratorError),
    #[error("drawing a held-out story: {0}")]
    HeldOut(#[from] SceneError),
}

/// What the protocol is doing, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Progress {
    /// Held-out timeline `index` (from 0) of `of` starts.
    Timeline { index: usize, of: usize },
    /// Return `index` (from 0) of `of` starts.
    Reentry { index: usize, of: usize },
    /// The drift rollout starts.
    Drift { minutes: f64 },
    /// A chunk was made; `planned` when [`Protocol::planned_chunks`] counted it (a return's
    /// length is known only once its entity is chosen).
    Chunk { planned: bool },
}

/// How much of each part to run.
#[derive(Clone, Debug, PartialEq)]
pub struct Protocol {
    /// Held-out timelines, and the seconds generated of each.
    pub timelines: usize,
    pub seconds: f64,
    /// Entities sent off stage and back, each on its own held-out timeline (0: none).
    pub reentries: usize,
    /// Length of the drift rollout, minutes (0: none), and the seconds of each window compared.
    pub drift_minutes: f64,
    pub window_seconds: f64,
}

/// The drift rollout's first window against its last.
#[derive(Clone, Debug, Serialize)]
pub struct Drift {
    pub minutes: f64,
    pub first: Scores,
    pub last: Scores,
    /// PSNR of the last window minus the first's.
    pub psnr_change_db: f64,
}

/// What the protocol measured.
#[derive(Clone, Debug, Serialize)]
pub struct Figures {
    /// Every held-out timeline's frames together, and each alone.
    pub heldout: Scores,
    pub timelines: Vec<Scores>,
    pub drift: Option<Drift>,
    /// Each exit and return judged, and the share where the entity came back drawn like the
    /// reference. Not memory: a returning entity has the same conditioning maps it had before it
    /// left, so this measures whether a small figure is drawn in the colours the maps say.
    pub reentries: Vec<Reentry>,
    pub reentry_likeness: f64,
    /// Where the true share can lie, given how few returns were judged (Wilson, 95 %).
    pub reentry_likeness_interval: (f64, f64),
}

impl Protocol {
    /// The models' own format: what they were trained on, measured at their size.
    pub const FORMAT: VideoFormat = VideoFormat::TRAINING;

    /// Chunks covering `secs` of video, at least one.
    fn chunks(secs: f64) -> u64 {
        let chunk_secs = Self::FORMAT.chunk_frames as f64 / Self::FORMAT.fps as f64;
        (secs / chunk_secs).ceil().max(1.0) as u64
    }

    fn drift_chunks(&self) -> u64 {
        if self.drift_minutes > 0.0 { Self::chunks(self.drift_minutes * 60.0 + self.window_seconds) } else { 0 }
    }

    /// The chunks the timelines and the drift take, known before the run.
    pub fn planned_chunks(&self) -> u64 {
        self.timelines as u64 * Self::chunks(self.seconds) + self.drift_chunks()
    }

    /// Runs every part on `generator`, its stories from `heldout`.
    pub fn run(
        &self,
        generator: &mut dyn Generator,
        heldout: &mut dyn HeldOut,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Figures, EvalError> {
        let format = Self::FORMAT;
        let frames = (self.seconds * format.fps as f64).ceil() as usize;
        let mut timelines = Vec::new();
        for i in 0..self.timelines {
            let story = heldout.story(i as u64, format, frames)?;
            progress(Progress::Timeline { index: i, of: self.timelines });
            let timeline = Timeline::new(story.stage, story.events);
            let n = Self::chunks(self.seconds);
            let windows = rollout(generator, &timeline, format, story.seed, n, n, &mut |_| {
                progress(Progress::Chunk { planned: true })
            })?;
            timelines.push(combine(&windows));
        }
        let mut reentries = Vec::new();
        for i in 0..self.reentries {
            let story = heldout.story((self.timelines + 1 + i) as u64, format, frames)?;
            progress(Progress::Reentry { index: i, of: self.reentries });
            let mut tick = |_| progress(Progress::Chunk { planned: false });
            match reentry(generator, story.stage, story.events, format, story.seed, &mut tick)? {
                Some(r) => reentries.push(r),
                None => tracing::info!(seed = story.seed, "no entity big enough on screen to judge; skipped"),
            }
        }
        let drift_chunks = self.drift_chunks();
        let drift = if drift_chunks > 0 {
            let story =
                heldout.story(self.timelines as u64, format, drift_chunks as usize * format.chunk_frames as usize)?;
            progress(Progress::Drift { minutes: self.drift_minutes });
            let window = Self::chunks(self.window_seconds);
            let timeline = Timeline::new(story.stage, story.events);
            let windows = rollout(generator, &timeline, format, story.seed, drift_chunks, window, &mut |_| {
                progress(Progress::Chunk { planned: true })
            })?;
            // The last whole window: a short one at the end would weigh a few frames.
            let first = windows[0].clone();
            let last = windows.iter().rev().find(|w| w.frames == first.frames).unwrap_or(&first).clone();
            Some(Drift { minutes: self.drift_minutes, psnr_change_db: last.psnr_db - first.psnr_db, first, last })
        } else {
            None
        };
        let kept = reentries.iter().filter(|r| r.kept).count();
        Ok(Figures {
            heldout: combine(&timelines),
            timelines,
            drift,
            reentry_likeness: kept as f64 / reentries.len().max(1) as f64,
            reentry_likeness_interval: share_interval(kept, reentries.len()),
            reentries,
        })
    }
}

/// `options` as the protocol measures them: every chunk is the model's own, only NaN chunks
/// are replaced (and counted), none for being far from the reference, which is what is
/// measured; and the model draws at the size asked for, never scaled up.
pub fn measured(options: DitOptions) -> DitOptions {
    DitOptions { min_psnr_db: f64::NEG_INFINITY, max_draw_size: None, ..options }
}

/// What `campfire eval dit` prints as JSON: how the generator sampled, and the figures.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// `dit`, or `latent` for the ceiling (the autoencoder's round trip of the reference).
    pub generator: String,
    pub weights: String,
    pub steps: usize,
    pub velocity: Velocity,
    /// Each chunk's context: `own` (the model's previous chunk) or `renderer` (anchored).
    pub context: &'static str,
    /// Noise levels given to the context: the renderer's frames, the model's own.
    pub context_noise: f32,
    pub own_context_noise: f32,
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    #[serde(flatten)]
    pub figures: Figures,
    /// Chunks the generator gave up (NaN) and the reference renderer drew: they score perfectly,
    /// so a figure with any is flattered.
    pub replaced_chunks: u64,
    /// Wall-clock seconds of the whole evaluation, loading included.
    pub seconds: f64,
}

impl Report {
    /// The report of `figures` measured on `generator` (named by its weights) with `options`.
    pub fn new(
        generator: &str,
        weights: String,
        options: &DitOptions,
        figures: Figures,
        replaced_chunks: u64,
        seconds: f64,
    ) -> Self {
        let format = Protocol::FORMAT;
        Self {
            generator: generator.to_string(),
            weights,
            steps: options.steps,
            velocity: options.velocity,
            context: if options.anchor_to_reference { "renderer" } else { "own" },
            context_noise: options.context_noise,
            own_context_noise: options.own_context_noise,
            width: format.width,
            height: format.height,
            fps: format.fps,
            figures,
            replaced_chunks,
            seconds,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chunk::ReferenceGenerator;

    /// Stories of one stage where nothing happens: enough to run the protocol's bookkeeping.
    struct Still(Vec<u64>);

    impl HeldOut for Still {
        fn story(&mut self, index: u64, _: VideoFormat, _: usize) -> Result<HeldOutStory, SceneError> {
            self.0.push(index);
            Ok(HeldOutStory { seed: index, stage: Stage::default(), events: EventLog::new() })
        }
    }

    #[test]
    fn the_reference_scores_perfectly_and_the_parts_take_their_numbered_stories() {
        let protocol = Protocol { timelines: 2, seconds: 1.0, reentries: 1, drift_minutes: 0.05, window_seconds: 1.0 };
        let (mut planned, mut unplanned) = (0, 0);
        let mut stories = Still(Vec::new());
        let figures = protocol
            .run(&mut ReferenceGenerator::new(), &mut stories, &mut |p| match p {
                Progress::Chunk { planned: true } => planned += 1,
                Progress::Chunk { planned: false } => unplanned += 1,
                _ => {}
            })
            .unwrap();
        assert_eq!(planned, protocol.planned_chunks());
        assert_eq!(unplanned, 0, "a stage with no entity has no return to judge");
        assert_eq!(stories.0, vec![0, 1, 3, 2], "timelines, then returns after the drift's number, then the drift");
        assert_eq!(figures.timelines.len(), 2);
        assert_eq!(figures.heldout.frames, 2 * 16);
        assert!(figures.heldout.psnr_db > 90.0 && (figures.heldout.ssim - 1.0).abs() < 1e-9, "{:?}", figures.heldout);
        let drift = figures.drift.expect("a drift rollout");
        assert_eq!((drift.first.frames, drift.last.frames), (16, 16), "windows of two chunks");
        assert!(figures.reentries.is_empty() && figures.reentry_likeness_interval == (0.0, 1.0));
    }
}
