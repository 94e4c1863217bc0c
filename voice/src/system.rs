//! Live system voices through speech-dispatcher (the `tts` crate). Feature `system-tts`.

use crate::synth::{VoiceError, VoiceSettings};

/// A desktop voice that speaks live. Opening it fails (never panics) when speech-dispatcher's
/// daemon cannot be reached.
pub struct SystemVoice {
    tts: tts::Tts,
}

impl SystemVoice {
    pub fn open(settings: &VoiceSettings) -> Result<Self, VoiceError> {
        // libspeechd and the tts crate hold locks and unwrap internally; a failure deep in
        // there must become an error here, not take the story down.
        let tts = std::panic::catch_unwind(|| tts::Tts::new(tts::Backends::SpeechDispatcher))
            .map_err(|_| VoiceError::SystemUnavailable("speech-dispatcher panicked while connecting".into()))?
            .map_err(|e| {
                VoiceError::SystemUnavailable(format!(
                    "cannot connect to speech-dispatcher ({e}); install and start Debian's `speech-dispatcher`"
                ))
            })?;
        let mut voice = SystemVoice { tts };
        voice.apply(settings)?;
        Ok(voice)
    }

    /// Maps our settings onto speech-dispatcher's rate and pitch scales (best effort: a backend
    /// that ignores them still speaks).
    pub fn apply(&mut self, settings: &VoiceSettings) -> Result<(), VoiceError> {
        let (lo, hi, normal) = (self.tts.min_rate(), self.tts.max_rate(), self.tts.normal_rate());
        // speech-dispatcher's 0 is about 170 wpm; each unit about 2.8 wpm.
        let rate = (normal + (settings.speed_wpm as f32 - 170.0) / 2.8).clamp(lo, hi);
        if let Err(e) = self.tts.set_rate(rate) {
            tracing::warn!("system voice ignores rate: {e}");
        }
        let (lo, hi, normal) = (self.tts.min_pitch(), self.tts.max_pitch(), self.tts.normal_pitch());
        let pitch = (normal + (settings.pitch as f32 - 50.0) / 50.0 * (hi - normal)).clamp(lo, hi);
        if let Err(e) = self.tts.set_pitch(pitch) {
            tracing::warn!("system voice ignores pitch: {e}");
        }
        Ok(())
    }

    pub fn speak(&mut self, text: &str) -> Result<(), VoiceError> {
        self.tts.speak(text, false).map(|_| ()).map_err(|e| VoiceError::SystemUnavailable(format!("speak failed: {e}")))
    }

    pub fn stop(&mut self) -> Result<(), VoiceError> {
        self.tts.stop().map(|_| ()).map_err(|e| VoiceError::SystemUnavailable(format!("stop failed: {e}")))
    }
}
