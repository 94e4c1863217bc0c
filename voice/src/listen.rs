//! From microphone chunks to utterances ready for whisper (16 kHz mono).
//!
//! Two triggers (what starts and ends an utterance):
//! - [`Trigger::HandsFree`]: the VAD decides when the child starts and stops talking.
//! - [`Trigger::PushToTalk`]: audio is kept while a button is held; on release the VAD trims the
//!   silence around the speech (and says "nothing" when there was none).
//!
//! The VAD runs at the input's own rate; only finished utterances are resampled (with the
//! whisper helper's [`crate::audio::resample`]), so chunk edges never reach the resampler.

use crate::audio::{WHISPER_SAMPLE_RATE, resample};
use crate::vad::{Vad, VadConfig, VadEvent, utterances};
use serde::{Deserialize, Serialize};

/// Named apart from [`crate::transcribe::Mode`] (how whisper decodes): this is who decides when
/// an utterance begins and ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trigger {
    PushToTalk,
    HandsFree,
}

/// What the listener hands over.
#[derive(Clone, Debug, PartialEq)]
pub enum Heard {
    /// Speech at 16 kHz mono; `cut` when it hit the maximum utterance length.
    Speech { samples: Vec<f32>, cut: bool },
    /// Push-to-talk released without speech in it.
    Silence,
}

pub struct Listener {
    trigger: Trigger,
    input_rate: u32,
    cfg: VadConfig,
    vad: Vad,
    held: Option<Vec<f32>>,
}

/// Longest push-to-talk recording kept (a stuck button must not eat memory).
const MAX_HOLD_SECS: u32 = 60;

impl Listener {
    pub fn new(trigger: Trigger, input_rate: u32, cfg: VadConfig) -> Listener {
        let input_rate = input_rate.max(1);
        Listener { trigger, input_rate, vad: Vad::new(input_rate, cfg.clone()), cfg, held: None }
    }

    pub fn trigger(&self) -> Trigger {
        self.trigger
    }

    pub fn set_trigger(&mut self, trigger: Trigger) {
        self.trigger = trigger;
        self.held = None;
        self.vad = Vad::new(self.input_rate, self.cfg.clone());
    }

    /// Is someone talking (hands-free) or the button held (push-to-talk)?
    pub fn is_listening(&self) -> bool {
        match self.trigger {
            Trigger::HandsFree => self.vad.in_speech(),
            Trigger::PushToTalk => self.held.is_some(),
        }
    }

    /// Feeds mono samples at the input rate. Hands-free: returns finished utterances.
    /// Push-to-talk: keeps them while held, returns nothing.
    pub fn feed(&mut self, mono: &[f32]) -> Vec<Heard> {
        match self.trigger {
            Trigger::HandsFree => self
                .vad
                .push(mono)
                .into_iter()
                .filter_map(|e| match e {
                    VadEvent::Utterance { samples, cut } => Some(Heard::Speech { samples: self.to_16k(&samples), cut }),
                    VadEvent::SpeechStart => None,
                })
                .collect(),
            Trigger::PushToTalk => {
                if let Some(buf) = self.held.as_mut() {
                    let room = (self.input_rate * MAX_HOLD_SECS) as usize
                        - buf.len().min((self.input_rate * MAX_HOLD_SECS) as usize);
                    buf.extend(mono.iter().take(room));
                }
                Vec::new()
            }
        }
    }

    /// Push-to-talk button down.
    pub fn press(&mut self) {
        if self.trigger == Trigger::PushToTalk && self.held.is_none() {
            self.held = Some(Vec::new());
        }
    }

    /// Push-to-talk button up: the speech in what was held, or [`Heard::Silence`]. `None` when
    /// the button was not down (or in hands-free mode).
    pub fn release(&mut self) -> Option<Heard> {
        let held = self.held.take()?;
        // The child pressed, then spoke: no long hangover needed, and keep every bit of speech.
        let cfg = VadConfig { max_utterance_ms: MAX_HOLD_SECS * 1000, ..self.cfg.clone() };
        let found = utterances(&held, self.input_rate, cfg);
        if found.is_empty() {
            return Some(Heard::Silence);
        }
        let joined: Vec<f32> = found.concat();
        Some(Heard::Speech { samples: self.to_16k(&joined), cut: false })
    }

    fn to_16k(&self, samples: &[f32]) -> Vec<f32> {
        resample(samples, self.input_rate, WHISPER_SAMPLE_RATE)
    }
}

/// Interleaved samples with any channel count to mono.
pub fn downmix(interleaved: &[f32], channels: u16) -> Vec<f32> {
    let ch = channels.max(1) as usize;
    interleaved.chunks(ch).map(|f| f.iter().sum::<f32>() / f.len() as f32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::espeak::Espeak;
    use crate::synth::VoiceSettings;

    fn phrase() -> (Vec<f32>, u32) {
        let pcm = Espeak::new(VoiceSettings::default()).expect("espeak-ng").synthesize_pcm("Follow the fox.").unwrap();
        (pcm.samples, pcm.sample_rate)
    }

    #[test]
    fn hands_free_hands_over_16k_utterances() {
        let (s, sr) = phrase();
        let mut l = Listener::new(Trigger::HandsFree, sr, VadConfig::default());
        let mut rec = vec![0.0; sr as usize / 2];
        rec.extend(&s);
        rec.extend(vec![0.0; sr as usize]);
        let mut heard = Vec::new();
        for chunk in rec.chunks(441) {
            heard.extend(l.feed(chunk));
        }
        assert_eq!(heard.len(), 1);
        let Heard::Speech { samples, cut } = &heard[0] else { panic!() };
        assert!(!cut);
        let secs = samples.len() as f32 / 16_000.0;
        let want = s.len() as f32 / sr as f32;
        assert!((secs - want).abs() < 0.6, "{secs} vs {want}");
    }

    #[test]
    fn push_to_talk_trims_and_reports_silence() {
        let (s, sr) = phrase();
        let mut l = Listener::new(Trigger::PushToTalk, sr, VadConfig::default());
        assert!(l.release().is_none());
        l.press();
        l.feed(&vec![0.0; sr as usize]);
        assert_eq!(l.release(), Some(Heard::Silence));
        l.press();
        l.feed(&vec![0.0; sr as usize]);
        l.feed(&s);
        l.feed(&vec![0.0; sr as usize]);
        let Some(Heard::Speech { samples, .. }) = l.release() else { panic!("speech expected") };
        assert!(samples.len() < (s.len() as f32 / sr as f32 * 16_000.0 + 16_000.0) as usize);
    }

    #[test]
    fn downmix_averages_channels() {
        assert_eq!(downmix(&[1.0, 0.0, 0.5, 0.5], 2), vec![0.5, 0.5]);
        assert_eq!(downmix(&[1.0, 2.0], 0), vec![1.0, 2.0]);
    }
}
