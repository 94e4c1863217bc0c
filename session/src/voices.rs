//! A story's [`Voice`] (`en-us+f3`, pitch, speed) as the narration's [`VoiceSettings`].
//!
//! Story authors write espeak-ng's own spelling, a voice and a variant joined by `+`; the
//! synthesiser takes them apart (`voice`, `variant`), and `VoiceSettings::validate` rejects the
//! joined form. Speeds are clamped into the synthesiser's range rather than refused: a story
//! with an unusual pace should still be told.

use campfire_story::VoiceSpec as Voice;
use campfire_voice::VoiceSettings;

/// The synthesiser settings for a story voice, at `speed_scale` times its pace (1.0: as written).
pub fn settings_for(voice: &Voice, speed_scale: f32) -> VoiceSettings {
    let (name, variant) = match voice.name.split_once('+') {
        Some((name, variant)) => (name.trim(), Some(variant.trim().to_string()).filter(|v| !v.is_empty())),
        None => (voice.name.trim(), None),
    };
    let scale = if speed_scale.is_finite() && speed_scale > 0.0 { speed_scale } else { 1.0 };
    let wpm = (f32::from(voice.speed) * scale).round() as u16;
    VoiceSettings {
        voice: if name.is_empty() { VoiceSettings::default().voice } else { name.to_string() },
        pitch: voice.pitch.min(99),
        speed_wpm: wpm.clamp(VoiceSettings::MIN_WPM, VoiceSettings::MAX_WPM),
        variant,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_is_split_off_and_settings_validate() {
        let v = Voice { name: "en-us+f3".into(), pitch: 75, speed: 160 };
        let s = settings_for(&v, 1.0);
        assert_eq!((s.voice.as_str(), s.variant.as_deref(), s.pitch, s.speed_wpm), ("en-us", Some("f3"), 75, 160));
        s.validate().expect("a story voice must give valid settings");
        // The joined name is what validate refuses: the reason for this module.
        assert!(VoiceSettings { voice: v.name.clone(), ..VoiceSettings::default() }.validate().is_err());
    }

    #[test]
    fn speed_is_scaled_and_clamped() {
        let v = Voice { name: "en-gb".into(), pitch: 120, speed: 150 };
        let s = settings_for(&v, 0.5);
        assert_eq!((s.speed_wpm, s.pitch, s.variant), (80, 99, None));
        assert_eq!(settings_for(&v, f32::NAN).speed_wpm, 150);
    }

    #[test]
    fn every_shipped_voice_is_accepted_by_espeak() {
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../stories")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "ron") {
                continue;
            }
            let story = campfire_story::Story::load(&path).unwrap();
            let t = &story.template;
            let voices = std::iter::once(&t.narrator).chain(t.cast.iter().filter_map(|c| c.voice.as_ref()));
            for v in voices {
                let s = settings_for(v, 1.0);
                campfire_voice::Espeak::new(s.clone())
                    .unwrap_or_else(|e| panic!("{}: {:?} → {s:?}: {e}", path.display(), v));
            }
        }
    }
}
