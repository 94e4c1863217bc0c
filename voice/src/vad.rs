//! Voice activity detection without a model: frame energy against an adaptive noise floor,
//! zero-crossing rate to tell voiced speech from hiss, and a hangover so short pauses between
//! words do not end an utterance.
//!
//! Feed samples as they come ([`Vad::push`]); it reports when speech starts and hands over each
//! finished utterance (with a little audio from before the start, so first consonants are kept).

use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VadConfig {
    /// Analysis frame length.
    pub frame_ms: u32,
    /// A frame is loud enough for speech when its RMS exceeds the noise floor by this factor.
    pub energy_ratio: f32,
    /// Frames quieter than this RMS are never speech (digital silence, a muted mic).
    pub min_rms: f32,
    /// Above this zero-crossing rate (crossings per sample) a frame is hiss unless it is very
    /// loud (fricatives like "s" are both).
    pub max_zcr: f32,
    /// Consecutive speech frames needed to start an utterance (ignores clicks).
    pub start_frames: u32,
    /// How long speech may pause before the utterance ends.
    pub hangover_ms: u32,
    /// Audio kept from before the detected start.
    pub preroll_ms: u32,
    /// Utterances shorter than this (speech frames only) are dropped as noise.
    pub min_speech_ms: u32,
    /// An utterance is cut here, however long the speaker goes on.
    pub max_utterance_ms: u32,
    /// How fast the noise floor follows non-speech frames (0..1 per frame).
    pub floor_adapt: f32,
}

impl Default for VadConfig {
    fn default() -> Self {
        Self {
            frame_ms: 20,
            energy_ratio: 3.0,
            min_rms: 0.004,
            max_zcr: 0.35,
            start_frames: 3,
            hangover_ms: 500,
            preroll_ms: 200,
            min_speech_ms: 150,
            max_utterance_ms: 15_000,
            floor_adapt: 0.05,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum VadEvent {
    /// Speech began (the utterance is being collected).
    SpeechStart,
    /// A finished utterance: its samples at the VAD's rate, and whether it was cut at the
    /// maximum length rather than ended by a pause.
    Utterance { samples: Vec<f32>, cut: bool },
}

/// Streaming voice activity detector for one sample rate.
pub struct Vad {
    cfg: VadConfig,
    frame: usize,
    /// Samples not yet making a whole frame.
    pending: Vec<f32>,
    /// Recent non-speech frames, for the pre-roll.
    preroll: VecDeque<f32>,
    preroll_len: usize,
    max_samples: usize,
    floor: Option<f32>,
    run: u32,
    /// Frames collected while a start is being confirmed.
    starting: Vec<f32>,
    active: Option<Active>,
}

struct Active {
    samples: Vec<f32>,
    silent_frames: u32,
    speech_frames: u32,
}

impl Vad {
    pub fn new(sample_rate: u32, cfg: VadConfig) -> Vad {
        let frame = ((sample_rate as u64 * cfg.frame_ms.max(5) as u64) / 1000).max(1) as usize;
        let preroll_len = (sample_rate as u64 * cfg.preroll_ms as u64 / 1000) as usize;
        let max_samples = (sample_rate as u64 * cfg.max_utterance_ms.max(cfg.frame_ms) as u64 / 1000) as usize;
        Vad {
            cfg,
            frame,
            pending: Vec::new(),
            preroll: VecDeque::new(),
            preroll_len,
            max_samples,
            floor: None,
            run: 0,
            starting: Vec::new(),
            active: None,
        }
    }

    /// The current noise floor (RMS), once the first frame has been seen.
    pub fn noise_floor(&self) -> Option<f32> {
        self.floor
    }

    pub fn in_speech(&self) -> bool {
        self.active.is_some()
    }

    /// Is this frame speech-like, given the noise floor? Updates the floor on non-speech.
    fn classify(&mut self, frame: &[f32]) -> bool {
        let rms = frame_rms(frame);
        let crossings = frame.windows(2).filter(|w| (w[0] >= 0.0) != (w[1] >= 0.0)).count();
        let zcr = crossings as f32 / frame.len() as f32;
        let floor = *self.floor.get_or_insert(rms.max(1e-5));
        let loud = rms > (floor * self.cfg.energy_ratio).max(self.cfg.min_rms);
        let very_loud = rms > (floor * self.cfg.energy_ratio * 3.0).max(self.cfg.min_rms * 3.0);
        let speech = loud && (zcr < self.cfg.max_zcr || very_loud);
        if !speech {
            // Follow the room: quickly down, slowly up.
            let a = if rms < floor { 0.3 } else { self.cfg.floor_adapt };
            self.floor = Some((floor * (1.0 - a) + rms * a).max(1e-5));
        }
        speech
    }

    /// Feeds samples; returns what happened in them.
    pub fn push(&mut self, samples: &[f32]) -> Vec<VadEvent> {
        let mut events = Vec::new();
        self.pending.extend(samples.iter().map(|s| if s.is_finite() { *s } else { 0.0 }));
        let frame_ms = self.cfg.frame_ms.max(5);
        let mut offset = 0;
        while self.pending.len() - offset >= self.frame {
            let frame: Vec<f32> = self.pending[offset..offset + self.frame].to_vec();
            offset += self.frame;
            let speech = self.classify(&frame);
            match self.active.as_mut() {
                None => {
                    if speech {
                        self.run += 1;
                        self.starting.extend_from_slice(&frame);
                        if self.run >= self.cfg.start_frames.max(1) {
                            let mut samples: Vec<f32> = self.preroll.drain(..).collect();
                            samples.append(&mut self.starting);
                            self.active = Some(Active { samples, silent_frames: 0, speech_frames: self.run });
                            self.run = 0;
                            events.push(VadEvent::SpeechStart);
                        }
                    } else {
                        self.run = 0;
                        self.preroll.extend(self.starting.drain(..));
                        self.preroll.extend(frame.iter());
                        while self.preroll.len() > self.preroll_len {
                            self.preroll.pop_front();
                        }
                    }
                }
                Some(active) => {
                    active.samples.extend_from_slice(&frame);
                    if speech {
                        active.speech_frames += 1;
                        active.silent_frames = 0;
                    } else {
                        active.silent_frames += 1;
                    }
                    let ended = active.silent_frames * frame_ms >= self.cfg.hangover_ms;
                    let cut = active.samples.len() >= self.max_samples;
                    if (ended || cut)
                        && let Some(e) = self.finish(cut)
                    {
                        events.push(e);
                    }
                }
            }
        }
        self.pending.drain(..offset);
        events
    }

    fn finish(&mut self, cut: bool) -> Option<VadEvent> {
        let active = self.active.take()?;
        let frame_ms = self.cfg.frame_ms.max(5);
        if active.speech_frames * frame_ms < self.cfg.min_speech_ms {
            tracing::debug!(ms = active.speech_frames * frame_ms, "dropped a too-short burst");
            return None;
        }
        let mut samples = active.samples;
        // Keep a little of the trailing pause, not all of the hangover.
        let tail = (active.silent_frames as usize).saturating_sub(5) * self.frame;
        samples.truncate(samples.len() - tail.min(samples.len()));
        Some(VadEvent::Utterance { samples, cut })
    }

    /// Ends the stream: an utterance still open is handed over (as in push-to-talk release).
    pub fn flush(&mut self) -> Option<VadEvent> {
        self.finish(false)
    }
}

/// How far the loud end of a recording must stand above its quiet end to hold speech (see
/// [`holds_speech`]). Measured over 20 ms frames: pink room tone with hum 1.8–2.0 (−48 to
/// −36 dBFS); "A rainbow!" from espeak-ng, all voiced and with no pause, 2.6–2.9, the least of
/// the 396 spoken test phrases (`tests/speech_check.rs`). Between the two, nearer the room.
pub const SPEECH_DYNAMIC_RANGE: f32 = 2.3;

/// Does a whole recording hold speech? Speech rises and falls with its syllables; room tone,
/// hum and hiss stay level. So: the loud end of the recording's frames (95th percentile of
/// their RMS) must stand [`SPEECH_DYNAMIC_RANGE`] times above its quiet end (10th percentile)
/// and above [`VadConfig::min_rms`]. Whisper, given level noise above the silence guard, invents
/// words ("Go back.", "you"), and even the reference decoder's no-speech check lets them
/// through; this runs in front of it. Percentiles rather than the streaming detector: a short
/// answer that fills its recording has no pause to learn the floor from.
pub fn holds_speech(samples: &[f32], sample_rate: u32, cfg: VadConfig) -> bool {
    let frame = ((sample_rate as u64 * cfg.frame_ms.max(5) as u64) / 1000).max(1) as usize;
    let mut levels: Vec<f32> = samples.chunks_exact(frame).map(frame_rms).collect();
    if levels.is_empty() {
        return false;
    }
    levels.sort_by(f32::total_cmp);
    let quiet = levels[levels.len() / 10].max(1e-5);
    let loud = levels[(levels.len() * 95 / 100).min(levels.len() - 1)];
    loud > cfg.min_rms && loud > quiet * SPEECH_DYNAMIC_RANGE
}

/// RMS of one frame; samples that are not finite count as silence.
fn frame_rms(frame: &[f32]) -> f32 {
    (frame.iter().map(|s| if s.is_finite() { s * s } else { 0.0 }).sum::<f32>() / frame.len().max(1) as f32).sqrt()
}

/// Runs a fresh detector over a whole recording; returns the utterances found.
pub fn utterances(samples: &[f32], sample_rate: u32, cfg: VadConfig) -> Vec<Vec<f32>> {
    let mut vad = Vad::new(sample_rate, cfg);
    let mut out: Vec<Vec<f32>> = vad
        .push(samples)
        .into_iter()
        .filter_map(|e| match e {
            VadEvent::Utterance { samples, .. } => Some(samples),
            VadEvent::SpeechStart => None,
        })
        .collect();
    if let Some(VadEvent::Utterance { samples, .. }) = vad.flush() {
        out.push(samples);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::espeak::Espeak;
    use crate::synth::VoiceSettings;

    fn noise(n: usize, amp: f32, seed: u64) -> Vec<f32> {
        let mut rng = fastrand::Rng::with_seed(seed);
        (0..n).map(|_| (rng.f32() * 2.0 - 1.0) * amp).collect()
    }

    fn speech(text: &str) -> (Vec<f32>, u32) {
        let e = Espeak::new(VoiceSettings::default()).expect("espeak-ng");
        let pcm = e.synthesize_pcm(text).unwrap();
        (pcm.samples, pcm.sample_rate)
    }

    #[test]
    fn silence_and_steady_noise_are_not_speech() {
        assert!(utterances(&vec![0.0; 48_000], 16_000, VadConfig::default()).is_empty());
        assert!(utterances(&noise(16_000 * 5, 0.05, 1), 16_000, VadConfig::default()).is_empty());
    }

    #[test]
    fn finds_two_phrases_in_noise() {
        let (s, sr) = speech("Make the dragon fly.");
        let mut rec = noise(sr as usize, 0.01, 2);
        rec.extend(s.iter().map(|x| x * 0.8));
        rec.extend(noise(sr as usize * 2, 0.01, 3));
        rec.extend(s.iter().map(|x| x * 0.8));
        rec.extend(noise(sr as usize, 0.01, 4));
        let mixed: Vec<f32> = rec.iter().zip(noise(rec.len(), 0.01, 5)).map(|(a, b)| a + b).collect();
        let found = utterances(&mixed, sr, VadConfig::default());
        assert_eq!(found.len(), 2, "{:?}", found.iter().map(|u| u.len() as f32 / sr as f32).collect::<Vec<_>>());
        for u in &found {
            let secs = u.len() as f32 / sr as f32;
            let want = s.len() as f32 / sr as f32;
            assert!(secs > want * 0.6 && secs < want + 1.0, "{secs} vs {want}");
        }
    }

    #[test]
    fn speech_is_found_however_the_recording_starts() {
        let (s, sr) = speech("Make the dragon fly.");
        // Straight from the synthesiser, trimmed so that it opens on the word.
        let start = s.iter().position(|x| x.abs() > 0.01).expect("speech has sound");
        assert!(holds_speech(&s[start..], sr, VadConfig::default()));
        // In a room.
        let mut rec = noise(sr as usize, 0.01, 6);
        rec.extend(s.iter().map(|x| x * 0.5));
        rec.extend(noise(sr as usize, 0.01, 7));
        let mixed: Vec<f32> = rec.iter().zip(noise(rec.len(), 0.01, 8)).map(|(a, b)| a + b).collect();
        assert!(holds_speech(&mixed, sr, VadConfig::default()));
        // The room alone is not speech, nor is a click.
        assert!(!holds_speech(&noise(sr as usize * 3, 0.02, 9), sr, VadConfig::default()));
        let mut click = vec![0.0; sr as usize];
        click[sr as usize / 2] = 0.9;
        assert!(!holds_speech(&click, sr, VadConfig::default()));
        assert!(!holds_speech(&[], sr, VadConfig::default()));
    }

    #[test]
    fn a_ramble_is_cut_at_the_maximum() {
        let (s, sr) = speech("and then the dragon went to the shop and bought a hat and then");
        let mut long = Vec::new();
        while long.len() < sr as usize * 40 {
            long.extend_from_slice(&s);
        }
        let cfg = VadConfig { max_utterance_ms: 10_000, ..VadConfig::default() };
        let found = utterances(&long, sr, cfg);
        assert!(found.len() >= 3, "{}", found.len());
        assert!(found.iter().all(|u| u.len() <= sr as usize * 10 + 2 * sr as usize / 50));
    }

    #[test]
    fn odd_input_is_harmless() {
        let mut vad = Vad::new(8_000, VadConfig::default());
        assert!(vad.push(&[]).is_empty());
        assert!(vad.push(&[f32::NAN, f32::INFINITY, 1.0]).is_empty());
        assert!(vad.flush().is_none());
    }
}
