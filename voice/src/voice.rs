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
use crate::synth::{Synthesize, Utterance, VoiceError, VoiceSettings};
#[cfg(feature = "system-tts")]
use crate::timing;
use serde::{Deserialize, Serialize};

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
