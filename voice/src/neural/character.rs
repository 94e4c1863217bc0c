//! Character voices from one narrator: a story's `Voice(pitch, speed)` → how the network and the
//! vocoder are driven.
//!
//! - **Speed**: `speed_wpm / 150 × `[`STORY_PACE`], passed as the network's `speed` input (which
//!   scales the predicted durations, so timings stay exact), within 0.6–1.8 where the voice stays
//!   clear. The network's own pace is about 215 words a minute on the demo's narration (51 words
//!   in 14.3 s at speed 1.0, pauses included), brisk for a bedtime story; a story's default 150
//!   is spoken at 0.85 of it, about 180 words a minute.
//! - **Pitch**: 0..=99 with 50 the voice's own, [`SEMITONES_PER_STEP`] semitones a step (±12 at
//!   the ends). The f0 curve is scaled before the vocoder makes the pulse train, so intonation
//!   keeps its shape and the spectral filters keep the formants.
//! - **Size**: a small creature has a short vocal tract, so its formants sit higher; a big one
//!   lower. The spectral filters are stretched along frequency by the pitch ratio to the power
//!   [`FORMANT_SHARE`], within 0.85–1.18: a bird at pitch 75 (+6 semitones) gets 1.41× f0 and
//!   1.11× formants, a dragon at pitch 30 (−4.8 semitones) 0.76× f0 and 0.92× formants.
//!
//! The table in `stories/README.md` lists what each shipped setting gives.

use super::dsp::{BINS, Spectra};
use crate::synth::VoiceSettings;

/// A story's default speed in words per minute (`Voice(speed: 150)`).
pub const STORY_WPM: f32 = 150.0;
/// The network's `speed` for [`STORY_WPM`]: a little slower than its own pace.
pub const STORY_PACE: f32 = 0.85;
/// Semitones per step of `pitch` away from 50.
pub const SEMITONES_PER_STEP: f32 = 0.24;
/// How much of the pitch change the formants follow (0: none, 1: all, like a tape sped up).
pub const FORMANT_SHARE: f32 = 0.3;

/// How one character's lines are made.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Character {
    /// The network's `speed` input.
    pub speed: f32,
    /// f0 multiplier.
    pub pitch: f32,
    /// Frequency stretch of the spectral filters.
    pub formant: f32,
}

impl Character {
    pub fn from_settings(s: &VoiceSettings) -> Character {
        let speed = (s.speed_wpm as f32 / STORY_WPM * STORY_PACE).clamp(0.6, 1.8);
        let semitones = (s.pitch.min(99) as f32 - 50.0) * SEMITONES_PER_STEP;
        let pitch = 2f32.powf(semitones / 12.0);
        let formant = pitch.powf(FORMANT_SHARE).clamp(0.85, 1.18);
        Character { speed, pitch, formant }
    }

    pub fn is_neutral(&self) -> bool {
        self.pitch == 1.0 && self.formant == 1.0
    }

    /// Applies pitch and size to one chunk's network output.
    pub fn apply(&self, s: &mut Spectra) {
        if self.pitch != 1.0 {
            for f in &mut s.f0 {
                *f *= self.pitch;
            }
        }
        if self.formant != 1.0 {
            let frames = s.frames;
            for plane in s.planes_mut() {
                stretch(plane, frames, self.formant);
            }
        }
    }
}

/// Stretches a bin-major plane along frequency: bin `b` takes the value at `b / factor`
/// (interpolated). Above the old top bin (factor < 1) the top bin's value continues, 3 nepers
/// quieter for the log-magnitude planes' sake: nothing new appears near Nyquist.
fn stretch(plane: &mut [f32], frames: usize, factor: f32) {
    if frames == 0 || plane.len() < BINS * frames {
        return;
    }
    let src = plane.to_vec();
    for b in 0..BINS {
        let x = b as f32 / factor;
        let i = x.floor() as usize;
        let t = x - i as f32;
        let row = &mut plane[b * frames..(b + 1) * frames];
        if i + 1 < BINS {
            let (lo, hi) = (&src[i * frames..(i + 1) * frames], &src[(i + 1) * frames..(i + 2) * frames]);
            for ((o, &a), &c) in row.iter_mut().zip(lo).zip(hi) {
                *o = a + (c - a) * t;
            }
        } else {
            let top = &src[(BINS - 1) * frames..BINS * frames];
            for (o, &a) in row.iter_mut().zip(top) {
                *o = a - 3.0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pitch: u8, speed_wpm: u16) -> VoiceSettings {
        VoiceSettings { pitch, speed_wpm, ..VoiceSettings::default() }
    }

    #[test]
    fn the_default_narrator_is_the_voice_itself() {
        let c = Character::from_settings(&VoiceSettings::default());
        assert!(c.is_neutral(), "{c:?}");
        assert!((c.speed - STORY_PACE).abs() < 1e-6, "{c:?}");
    }

    #[test]
    fn high_voices_are_small_and_low_voices_big() {
        let bird = Character::from_settings(&settings(75, 160));
        let dragon = Character::from_settings(&settings(30, 130));
        assert!(bird.pitch > 1.3 && bird.formant > 1.05, "{bird:?}");
        assert!(dragon.pitch < 0.8 && dragon.formant < 0.95, "{dragon:?}");
        assert!(bird.speed > dragon.speed);
        let extreme = Character::from_settings(&settings(99, 450));
        assert!(extreme.formant <= 1.18 && extreme.speed <= 1.8);
    }

    #[test]
    fn stretching_moves_a_peak_up_by_the_factor() {
        let frames = 2;
        let mut plane = vec![0.0; BINS * frames];
        for k in 0..frames {
            plane[100 * frames + k] = 1.0;
        }
        stretch(&mut plane, frames, 1.2);
        let peak = (0..BINS).max_by(|&a, &b| plane[a * frames].total_cmp(&plane[b * frames])).expect("bins");
        assert_eq!(peak, 120);
    }
}
