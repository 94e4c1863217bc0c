//! What every synthesiser speaks in: its settings, its sound ([`Pcm`]), a line said with word
//! timings ([`Utterance`]), and the [`Synthesize`] trait the narration queue drives. The backends
//! (espeak-ng, the neural voice, system voices) and the [`crate::voice::Voice`] that picks one
//! all build on this module, and it on none of them.

use crate::timing::WordTiming;
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum VoiceError {
    #[error("cannot run the speech synthesiser `{program}`: {reason} (install Debian's `espeak-ng` package)")]
    EspeakMissing { program: String, reason: String },
    #[error("espeak-ng failed: {reason}")]
    EspeakFailed { reason: String },
    #[error("bad audio from the synthesiser: {0}")]
    BadAudio(String),
    #[error("nothing to say: the text has no words")]
    EmptyText,
    #[error("invalid voice settings: {0}")]
    Settings(String),
    #[error("system voice unavailable: {0}")]
    SystemUnavailable(String),
    #[error("neural voice: {0}")]
    Neural(String),
    #[error("i/o error while synthesising: {0}")]
    Io(#[from] std::io::Error),
}

/// How the narrator sounds. `pitch` is 0..=99 (50 is the voice's own), `speed_wpm` words per
/// minute (80..=450), `variant` an espeak-ng voice variant such as `f3` or `klatt`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VoiceSettings {
    pub voice: String,
    pub pitch: u8,
    pub speed_wpm: u16,
    pub variant: Option<String>,
}

impl Default for VoiceSettings {
    /// A calm storyteller's pace: a little slower than espeak-ng's 175 wpm.
    fn default() -> Self {
        Self { voice: "en-us".into(), pitch: 50, speed_wpm: 150, variant: None }
    }
}

impl VoiceSettings {
    pub const MIN_WPM: u16 = 80;
    pub const MAX_WPM: u16 = 450;

    pub fn validate(&self) -> Result<(), VoiceError> {
        let name_ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_/".contains(c));
        if !name_ok(&self.voice) {
            return Err(VoiceError::Settings(format!(
                "voice name `{}` must be letters, digits, `-`, `_` or `/`",
                self.voice
            )));
        }
        if let Some(v) = &self.variant
            && !v.is_empty()
            && !name_ok(v)
        {
            return Err(VoiceError::Settings(format!("variant `{v}` must be letters, digits, `-`, `_` or `/`")));
        }
        if self.pitch > 99 {
            return Err(VoiceError::Settings(format!("pitch {} is out of range 0..=99", self.pitch)));
        }
        if !(Self::MIN_WPM..=Self::MAX_WPM).contains(&self.speed_wpm) {
            return Err(VoiceError::Settings(format!(
                "speed {} wpm is out of range {}..={}",
                self.speed_wpm,
                Self::MIN_WPM,
                Self::MAX_WPM
            )));
        }
        Ok(())
    }

    /// The same voice `delta` words per minute faster (negative: slower), kept in range.
    pub fn faster(&self, delta: i32) -> Self {
        let wpm = (self.speed_wpm as i32 + delta).clamp(Self::MIN_WPM as i32, Self::MAX_WPM as i32) as u16;
        Self { speed_wpm: wpm, ..self.clone() }
    }
}

/// Mono audio samples in -1..1 at a known rate.
#[derive(Clone, Debug, PartialEq)]
pub struct Pcm {
    pub samples: Vec<f32>,
    pub sample_rate: u32,
}

impl Pcm {
    pub fn duration(&self) -> f32 {
        if self.sample_rate == 0 { 0.0 } else { self.samples.len() as f32 / self.sample_rate as f32 }
    }
}

/// A line ready to be spoken: its audio (none for a live system voice) and word timings in
/// seconds from the start of the audio.
#[derive(Clone, Debug, PartialEq)]
pub struct Utterance {
    pub text: String,
    pub audio: Option<Pcm>,
    pub words: Vec<WordTiming>,
}

impl Utterance {
    /// Length in seconds: the audio's, else the end of the last word.
    pub fn duration(&self) -> f32 {
        match &self.audio {
            Some(a) => a.duration(),
            None => self.words.last().map_or(0.0, |w| w.end),
        }
    }
}

/// Anything that turns text into an [`Utterance`]; the narration queue runs one on its worker.
pub trait Synthesize: Send {
    fn synthesize(&mut self, text: &str) -> Result<Utterance, VoiceError>;
    /// Like [`Synthesize::synthesize`], handing each clause to `on_clause` as soon as it is ready
    /// (times from the clause's own start) so playback can begin before the line is done. The
    /// default hands over the whole line at once.
    fn synthesize_streaming(
        &mut self,
        text: &str,
        on_clause: &mut dyn FnMut(&Utterance),
    ) -> Result<Utterance, VoiceError> {
        let u = self.synthesize(text)?;
        on_clause(&u);
        Ok(u)
    }
    fn set_settings(&mut self, settings: VoiceSettings) -> Result<(), VoiceError>;
    fn settings(&self) -> VoiceSettings;
}
