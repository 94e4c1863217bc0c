//! The narrator's voice: one [`Voice`] over three backends.
//!
//! - [`Backend::Neural`] (the default): the warm on-device voice of [`crate::neural`], PCM at
//!   24 kHz with word timings from the network's durations (cargo feature `neural`, on by
//!   default; its files come from `scripts/setup-narrator.sh`).
//! - [`Backend::Espeak`]: PCM from the `espeak-ng` program ([`crate::espeak`]), with word timings
//!   fitted to the audio. Always available where espeak-ng is installed; the app plays the PCM.
//! - [`Backend::System`]: the desktop's own voices through speech-dispatcher (the `tts` crate,
//!   cargo feature `system-tts`). They speak live and give no PCM, so word timings are estimated
//!   from syllables and the speaking rate.
//!
//! [`Voice::open`] is the one place every command chooses its voice: it falls back to espeak-ng
//! with a one-line warning when the neural voice's files are missing, corrupt or of the wrong
//! version, or when speech-dispatcher is missing or a feature is off; it never panics.
//! [`Backend`] parses from `neural`, `espeak` and `system` for `--voice` options.

use crate::espeak::Espeak;
#[cfg(feature = "system-tts")]
use crate::timing;
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

impl Synthesize for Espeak {
    fn synthesize(&mut self, text: &str) -> Result<Utterance, VoiceError> {
        Espeak::synthesize(self, text)
    }
    fn synthesize_streaming(
        &mut self,
        text: &str,
        on_clause: &mut dyn FnMut(&Utterance),
    ) -> Result<Utterance, VoiceError> {
        Espeak::synthesize_streaming(self, text, on_clause)
    }
    fn set_settings(&mut self, settings: VoiceSettings) -> Result<(), VoiceError> {
        Espeak::set_settings(self, settings)
    }
    fn settings(&self) -> VoiceSettings {
        Espeak::settings(self).clone()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// The on-device neural voice: PCM with word timings from its durations.
    #[default]
    Neural,
    /// The desktop's voices via speech-dispatcher: live, no PCM.
    System,
    /// espeak-ng as a subprocess: PCM with fitted word timings.
    Espeak,
}

impl Backend {
    pub const NAMES: [&str; 3] = ["neural", "espeak", "system"];

    pub fn name(self) -> &'static str {
        match self {
            Backend::Neural => "neural",
            Backend::System => "system",
            Backend::Espeak => "espeak",
        }
    }
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Backend {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "neural" => Ok(Backend::Neural),
            "espeak" | "espeak-ng" => Ok(Backend::Espeak),
            "system" => Ok(Backend::System),
            other => Err(format!("unknown voice `{other}`; choose one of {}", Backend::NAMES.join(", "))),
        }
    }
}

/// The narrator: the neural voice, a system voice or espeak-ng, chosen at [`Voice::open`].
pub struct Voice {
    inner: Inner,
    settings: VoiceSettings,
}

enum Inner {
    #[cfg(feature = "neural")]
    Neural(Box<crate::neural::Neural>),
    Espeak(Espeak),
    #[cfg(feature = "system-tts")]
    System(crate::system::SystemVoice),
}

impl Voice {
    /// Opens the preferred backend; a neural or system voice that cannot be had falls back to
    /// espeak-ng (with a one-line warning saying why). Fails only when no backend works.
    pub fn open(prefer: Backend, settings: VoiceSettings) -> Result<Voice, VoiceError> {
        settings.validate()?;
        if prefer == Backend::Neural {
            match open_neural(&settings) {
                Ok(inner) => return Ok(Voice { inner, settings }),
                Err(e) => tracing::warn!("narrator: the neural voice is unavailable ({e}); speaking with espeak-ng"),
            }
        }
        if prefer == Backend::System {
            match open_system(&settings) {
                Ok(inner) => return Ok(Voice { inner, settings }),
                Err(e) => tracing::warn!("{e}; falling back to espeak-ng"),
            }
        }
        Ok(Voice { inner: Inner::Espeak(Espeak::new(settings.clone())?), settings })
    }

    pub fn backend(&self) -> Backend {
        match &self.inner {
            #[cfg(feature = "neural")]
            Inner::Neural(_) => Backend::Neural,
            Inner::Espeak(_) => Backend::Espeak,
            #[cfg(feature = "system-tts")]
            Inner::System(_) => Backend::System,
        }
    }

    /// Prepares a line: PCM and fitted timings from espeak-ng, or estimated timings only for a
    /// system voice (which speaks it in [`Voice::say`]).
    pub fn prepare(&mut self, text: &str) -> Result<Utterance, VoiceError> {
        self.prepare_streaming(text, &mut |_| {})
    }

    /// [`Voice::prepare`], handing each clause's audio over as soon as it is ready (see
    /// [`Synthesize::synthesize_streaming`]).
    pub fn prepare_streaming(
        &mut self,
        text: &str,
        on_clause: &mut dyn FnMut(&Utterance),
    ) -> Result<Utterance, VoiceError> {
        match &mut self.inner {
            #[cfg(feature = "neural")]
            Inner::Neural(n) => n.synthesize_streaming(text, on_clause),
            Inner::Espeak(e) => e.synthesize_streaming(text, on_clause),
            #[cfg(feature = "system-tts")]
            Inner::System(_) => {
                let words = timing::estimate_live(text, self.settings.speed_wpm);
                if words.is_empty() {
                    return Err(VoiceError::EmptyText);
                }
                let u = Utterance { text: text.to_string(), audio: None, words };
                on_clause(&u);
                Ok(u)
            }
        }
    }

    /// Speaks a prepared line live on a system voice. For espeak-ng the caller plays
    /// `utterance.audio`; this returns an error saying so.
    pub fn say(&mut self, utterance: &Utterance) -> Result<(), VoiceError> {
        let _ = &utterance.text;
        match &mut self.inner {
            #[cfg(feature = "neural")]
            Inner::Neural(_) => Err(VoiceError::SystemUnavailable(
                "the neural backend gives PCM; play `utterance.audio` instead".into(),
            )),
            Inner::Espeak(_) => Err(VoiceError::SystemUnavailable(
                "the espeak-ng backend gives PCM; play `utterance.audio` instead".into(),
            )),
            #[cfg(feature = "system-tts")]
            Inner::System(s) => s.speak(&utterance.text),
        }
    }

    /// Stops a live system voice (nothing to do for PCM, which the caller plays).
    pub fn stop(&mut self) -> Result<(), VoiceError> {
        match &mut self.inner {
            #[cfg(feature = "neural")]
            Inner::Neural(_) => Ok(()),
            Inner::Espeak(_) => Ok(()),
            #[cfg(feature = "system-tts")]
            Inner::System(s) => s.stop(),
        }
    }
}

impl Synthesize for Voice {
    fn synthesize(&mut self, text: &str) -> Result<Utterance, VoiceError> {
        self.prepare(text)
    }
    fn synthesize_streaming(
        &mut self,
        text: &str,
        on_clause: &mut dyn FnMut(&Utterance),
    ) -> Result<Utterance, VoiceError> {
        self.prepare_streaming(text, on_clause)
    }
    fn set_settings(&mut self, settings: VoiceSettings) -> Result<(), VoiceError> {
        settings.validate()?;
        match &mut self.inner {
            #[cfg(feature = "neural")]
            Inner::Neural(n) => n.set_settings(settings.clone())?,
            Inner::Espeak(e) => e.set_settings(settings.clone())?,
            #[cfg(feature = "system-tts")]
            Inner::System(s) => s.apply(&settings)?,
        }
        self.settings = settings;
        Ok(())
    }
    fn settings(&self) -> VoiceSettings {
        self.settings.clone()
    }
}

#[cfg(feature = "neural")]
fn open_neural(settings: &VoiceSettings) -> Result<Inner, String> {
    crate::neural::Neural::open(settings.clone()).map(|n| Inner::Neural(Box::new(n))).map_err(|e| e.to_string())
}

#[cfg(not(feature = "neural"))]
fn open_neural(_: &VoiceSettings) -> Result<Inner, String> {
    Err("campfire-voice was built without the `neural` feature".into())
}

#[cfg(feature = "system-tts")]
fn open_system(settings: &VoiceSettings) -> Result<Inner, VoiceError> {
    crate::system::SystemVoice::open(settings).map(Inner::System)
}

#[cfg(not(feature = "system-tts"))]
fn open_system(_: &VoiceSettings) -> Result<Inner, VoiceError> {
    Err(VoiceError::SystemUnavailable("campfire-narration was built without the `system-tts` feature".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked() {
        assert!(VoiceSettings::default().validate().is_ok());
        assert!(VoiceSettings { pitch: 120, ..Default::default() }.validate().is_err());
        assert!(VoiceSettings { speed_wpm: 5, ..Default::default() }.validate().is_err());
        assert!(VoiceSettings { voice: "en; rm -rf".into(), ..Default::default() }.validate().is_err());
        assert_eq!(VoiceSettings::default().faster(-1000).speed_wpm, VoiceSettings::MIN_WPM);
    }

    #[test]
    fn system_voice_falls_back_to_espeak() {
        // On this machine speech-dispatcher's daemon is absent (or the feature is off): the
        // preferred system voice must give way to espeak-ng, not panic.
        let mut v = Voice::open(Backend::System, VoiceSettings::default()).expect("espeak-ng fallback");
        let u = v.prepare("Hello there.").unwrap();
        assert!(!u.words.is_empty());
    }
}
