//! The session's sound: one mono stream at a fixed rate, on which narration lines (and, in
//! headless runs, the child's recorded answers) are placed at their start sample. The player
//! (speakers or a video writer) pulls it in order; its position in this stream is the clock.

use campfire_voice::audio::resample;
use std::collections::VecDeque;

/// The rate of the session's stream: espeak-ng's own, so narration is never resampled.
pub const SAMPLE_RATE: u32 = 22_050;

/// How far ahead of the position heard sound is handed to the device and lines are placed:
/// enough for a 10 ms pump with margin, and an answer's effect is stamped no later than this.
/// The window, the terminal and `bench session` all pump the session with it.
pub const LEAD_SECS: f64 = 0.12;

struct Clip {
    start: u64,
    samples: Vec<f32>,
}

/// Placed clips, mixed on demand; clips already pulled past are dropped (memory stays flat).
#[derive(Default)]
pub struct Track {
    clips: VecDeque<Clip>,
    /// Samples handed to the player so far.
    pulled: u64,
    gain: f32,
}

impl Track {
    pub fn new() -> Self {
        Self { clips: VecDeque::new(), pulled: 0, gain: 1.0 }
    }

    /// Samples handed to the player so far: nothing may be placed before this.
    pub fn pulled(&self) -> u64 {
        self.pulled
    }

    /// Loudness for samples pulled from now on (clamped to 0..=2).
    pub fn set_gain(&mut self, gain: f32) {
        self.gain = if gain.is_finite() { gain.clamp(0.0, 2.0) } else { 1.0 };
    }

    pub fn gain(&self) -> f32 {
        self.gain
    }

    /// Places audio at `rate` Hz starting at sample `start` of the stream (moved to the first
    /// sample not yet pulled if it is earlier). Returns where it starts and how long it is.
    pub fn place(&mut self, start: u64, samples: &[f32], rate: u32) -> (u64, u64) {
        let samples = resample(samples, rate, SAMPLE_RATE);
        let start = start.max(self.pulled);
        let len = samples.len() as u64;
        let at = self.clips.iter().position(|c| c.start > start).unwrap_or(self.clips.len());
        self.clips.insert(at, Clip { start, samples });
        (start, len)
    }

    /// The next `n` samples of the stream (silence where nothing is placed).
    pub fn pull(&mut self, n: usize) -> Vec<f32> {
        let from = self.pulled;
        let to = from + n as u64;
        let mut out = vec![0.0f32; n];
        for c in &self.clips {
            if c.start >= to {
                break;
            }
            let end = c.start + c.samples.len() as u64;
            if end <= from {
                continue;
            }
            let lo = c.start.max(from);
            let hi = end.min(to);
            for s in lo..hi {
                out[(s - from) as usize] += c.samples[(s - c.start) as usize];
            }
        }
        for s in &mut out {
            *s = (*s * self.gain).clamp(-1.0, 1.0);
        }
        self.pulled = to;
        while self.clips.front().is_some_and(|c| c.start + c.samples.len() as u64 <= self.pulled) {
            self.clips.pop_front();
        }
        out
    }
}

/// Seconds to samples of the session's stream.
pub fn secs_to_samples(secs: f64) -> u64 {
    (secs.max(0.0) * SAMPLE_RATE as f64).round() as u64
}

/// Samples of the session's stream to seconds.
pub fn samples_to_secs(samples: u64) -> f64 {
    samples as f64 / SAMPLE_RATE as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_land_where_placed_and_are_dropped_after() {
        let mut t = Track::new();
        t.place(4, &[0.5; 3], SAMPLE_RATE);
        t.place(2, &[0.25; 3], SAMPLE_RATE);
        assert_eq!(t.pull(8), vec![0.0, 0.0, 0.25, 0.25, 0.75, 0.5, 0.5, 0.0]);
        assert_eq!(t.clips.len(), 0);
        // Too late for the past: placed at the first sample not yet pulled.
        assert_eq!(t.place(1, &[1.0], SAMPLE_RATE).0, 8);
    }
}
