//! The neural narrator with its real parts: the pinned hibari model in ONNX Runtime speaks, whisper
//! (tiny.en, from `scripts/setup-whisper.sh`) listens.
//!
//! Needs the narrator's files from `scripts/setup-narrator.sh`. When they are not installed the
//! tests that need them print why and return (CI runs the setup first, so there they run); files
//! that are installed but wrong are a failure, not a skip.

#![cfg(all(feature = "neural", feature = "whisper"))]

use campfire_metrics::wer::{normalise_words, word_error_rate};
use campfire_voice::audio::{WHISPER_SAMPLE_RATE, resample};
use campfire_voice::neural::{Neural, files};
use campfire_voice::transcribe::{self, Transcriber};
use campfire_voice::{Pcm, Synthesize, VoiceError, VoiceSettings};
use std::path::PathBuf;
use std::sync::OnceLock;

/// The installed narrator folder, or `None` (with the reason printed) when setup has not run.
fn narrator_dir() -> Option<PathBuf> {
    match files::dir() {
        Ok(d) => Some(d),
        Err(e) => {
            println!("SKIPPED: {e}");
            None
        }
    }
}

fn neural(settings: VoiceSettings) -> Option<Neural> {
    let dir = narrator_dir()?;
    Some(
        Neural::open_in(&dir, settings)
            .unwrap_or_else(|e| panic!("the installed narrator in {} must load: {e}", dir.display())),
    )
}

fn transcriber() -> &'static Transcriber {
    static T: OnceLock<Transcriber> = OnceLock::new();
    T.get_or_init(|| {
        let path = transcribe::default_model_path();
        Transcriber::load(&path)
            .unwrap_or_else(|e| panic!("whisper model {} ({e}); run scripts/setup-whisper.sh", path.display()))
    })
}

fn hear(pcm: &Pcm) -> String {
    transcriber().transcribe(&resample(&pcm.samples, pcm.sample_rate, WHISPER_SAMPLE_RATE)).expect("transcribe").text
}

/// Median f0 in Hz of the voiced 40 ms frames (autocorrelation peak between 60 and 600 Hz).
fn median_f0(pcm: &Pcm) -> f32 {
    let sr = pcm.sample_rate as usize;
    let (n, hop) = (sr / 25, sr / 100);
    let x = &pcm.samples;
    let rms_all = (x.iter().map(|v| v * v).sum::<f32>() / x.len().max(1) as f32).sqrt();
    let mut f0s = Vec::new();
    let mut i = 0;
    while i + n <= x.len() {
        let fr = &x[i..i + n];
        let e0: f32 = fr.iter().map(|v| v * v).sum();
        if (e0 / n as f32).sqrt() > 0.5 * rms_all {
            let ac = |lag: usize| fr.iter().zip(&fr[lag..]).map(|(a, b)| a * b).sum::<f32>();
            let lag = (sr / 600..sr / 60).max_by(|&a, &b| ac(a).total_cmp(&ac(b))).expect("lags");
            if ac(lag) > 0.5 * e0 {
                f0s.push(sr as f32 / lag as f32);
            }
        }
        i += hop;
    }
    assert!(f0s.len() > 20, "too few voiced frames to measure pitch: {}", f0s.len());
    f0s.sort_by(f32::total_cmp);
    f0s[f0s.len() / 2]
}

#[test]
fn the_model_speaks_a_sentence_whisper_understands() {
    let Some(mut v) = neural(VoiceSettings::default()) else { return };
    let line = "A little dragon was afraid of the dark.";
    let u = v.synthesize(line).expect("speaks");
    let pcm = u.audio.as_ref().expect("audio");
    assert_eq!(pcm.sample_rate, 24_000);
    let heard = hear(pcm);
    println!("said {line:?}, heard {heard:?}");
    assert_eq!(normalise_words(&heard), normalise_words(line));
    // Word timings from the durations: every word, in order, inside the audio.
    let words: Vec<&str> = u.words.iter().map(|w| w.word.as_str()).collect();
    assert_eq!(words, ["A", "little", "dragon", "was", "afraid", "of", "the", "dark"]);
    for w in u.words.windows(2) {
        assert!(w[0].start < w[0].end && w[0].end <= w[1].start + 1e-4, "{:?}", u.words);
    }
    assert!(u.words.last().expect("words").end <= pcm.duration() + 1e-3);
}

/// Silences of at least `min_secs` inside the audio (not at its ends), as (start, end) in
/// seconds: runs of 10 ms frames quieter than 5 % of the loudest.
fn pauses(pcm: &Pcm, min_secs: f32) -> Vec<(f32, f32)> {
    let frame = pcm.sample_rate as usize / 100;
    let rms: Vec<f32> =
        pcm.samples.chunks(frame).map(|c| (c.iter().map(|v| v * v).sum::<f32>() / c.len() as f32).sqrt()).collect();
    let quiet = rms.iter().copied().fold(0.0f32, f32::max) * 0.05;
    let loud: Vec<usize> = (0..rms.len()).filter(|&i| rms[i] >= quiet).collect();
    loud.windows(2)
        .filter(|w| (w[1] - w[0] - 1) as f32 / 100.0 >= min_secs)
        .map(|w| ((w[0] + 1) as f32 / 100.0, w[1] as f32 / 100.0))
        .collect()
}

/// Word timings are where the words are heard: no word runs on into a pause (the network gives a
/// word's last phoneme the pause after a comma as well, which made words end up to 0.4 s late),
/// and the audio cut at the timings of the words around each pause is heard by whisper as exactly
/// those words.
#[test]
fn word_timings_leave_pauses_out() {
    let Some(mut v) = neural(VoiceSettings::default()) else { return };
    let line = "Once upon a time, in a forest full of whispering trees, a little dragon named Sparky woke up and \
                stretched his wings.";
    let u = v.synthesize(line).expect("speaks");
    let pcm = u.audio.as_ref().expect("audio");
    let gaps = pauses(pcm, 0.15);
    println!("pauses {gaps:?}\nwords {:?}", u.words);
    assert!(gaps.len() >= 2, "the commas should be heard as pauses: {gaps:?}");
    for &(a, b) in &gaps {
        for w in &u.words {
            let inside = w.end.min(b) - w.start.max(a);
            assert!(inside <= 0.03, "{w:?} runs {:.0} ms into the pause {a:.2}–{b:.2} s", inside * 1000.0);
        }
    }
    // The clauses, cut where the timings say they start and end (with 30 ms to spare).
    let sr = pcm.sample_rate as f32;
    for (from, to, said) in [
        (0, 3, "Once upon a time"),
        (4, 10, "in a forest full of whispering trees"),
        (11, 21, "a little dragon named Sparky woke up and stretched his wings"),
    ] {
        let (first, last) = (&u.words[from], &u.words[to]);
        assert_eq!(
            (first.word.as_str(), last.word.as_str()),
            (said.split(' ').next().unwrap(), said.rsplit(' ').next().unwrap())
        );
        let a = ((first.start - 0.03).max(0.0) * sr) as usize;
        let b = (((last.end + 0.03) * sr) as usize).min(pcm.samples.len());
        let heard = hear(&Pcm { samples: pcm.samples[a..b].to_vec(), sample_rate: pcm.sample_rate });
        println!("{said:?}: heard {heard:?}");
        assert!(word_error_rate(said, &heard) <= 0.1, "cut at the timings, {said:?} was heard as {heard:?}");
    }
}

#[test]
fn unknown_names_are_spoken() {
    let Some(mut v) = neural(VoiceSettings::default()) else { return };
    let line = "Zorblax the dragon flew over Glimmerbrook.";
    let chunks = v.chunks(line);
    for name in ["Zorblax", "Glimmerbrook"] {
        let w = chunks.iter().flat_map(|c| &c.words).find(|w| w.text == name).expect("the name is a word");
        assert!(w.ids.len() >= 5, "{name} got only {} phonemes", w.ids.len());
    }
    let heard = hear(v.synthesize(line).expect("speaks").audio.as_ref().expect("audio"));
    println!("said {line:?}, heard {heard:?}");
    let words = normalise_words(&heard);
    // Whisper spells invented names its own way; close spellings count.
    for name in ["zorblax", "glimmerbrook"] {
        let best = words.iter().map(|w| strsim::normalized_levenshtein(w, name)).fold(0.0, f64::max);
        assert!(best >= 0.6, "{name} not heard in {heard:?} (closest {best:.2})");
    }
    assert!(words.contains(&"dragon".to_string()) && words.contains(&"flew".to_string()), "{heard:?}");
}

#[test]
fn character_voices_differ_in_pitch_the_way_their_settings_say() {
    let Some(mut v) = neural(VoiceSettings::default()) else { return };
    let line = "Good morning! Today I want to fly over the meadow.";
    let mut f0 = Vec::new();
    // The demo's bird (75), the narrator (50), the dark story's dragon (30), the moon's giant (20).
    for pitch in [75u8, 50, 30, 20] {
        v.set_settings(VoiceSettings { pitch, ..VoiceSettings::default() }).expect("settings");
        let u = v.synthesize(line).expect("speaks");
        let pcm = u.audio.as_ref().expect("audio");
        let hz = median_f0(pcm);
        let heard = hear(pcm);
        println!("pitch {pitch}: median f0 {hz:.0} Hz, heard {heard:?}");
        let wer = word_error_rate(line, &heard);
        assert!(wer <= 0.25, "pitch {pitch} is hard to understand: {heard:?} (WER {wer:.2})");
        f0.push(hz);
    }
    // Each step down must lower the measured pitch by at least half the semitones it asks for
    // (0.24 a step; the measured ratio also carries the intonation's own movement).
    for (w, steps) in f0.windows(2).zip([25.0f32, 20.0, 10.0]) {
        let at_least = 2f32.powf(steps * 0.24 / 2.0 / 12.0);
        assert!(
            w[0] > w[1] * at_least,
            "higher settings must sound higher: {f0:?} (step ratio at least {at_least:.3})"
        );
    }
    // And speed: the same line at 110 words a minute lasts longer than at 190.
    let len = |v: &mut Neural, wpm| {
        v.set_settings(VoiceSettings { speed_wpm: wpm, ..VoiceSettings::default() }).expect("settings");
        v.synthesize(line).expect("speaks").duration()
    };
    let (slow, fast) = (len(&mut v, 110), len(&mut v, 190));
    assert!(slow > fast * 1.4, "slow {slow:.2} s vs fast {fast:.2} s");
}

#[test]
fn bad_input_is_spoken_or_skipped_never_a_panic() {
    let Some(mut v) = neural(VoiceSettings::default()) else { return };
    let long = "and the little dragon flew on ".repeat(30);
    for (line, must_speak) in [
        ("At 3:30 pm, Dr. Smith paid $4.50 for 12 apples!", true),
        ("The 🐉 dragon 🔥 roared.", true),
        ("你好, Pip said.", true),
        (long.as_str(), true),
        ("", false),
        ("   \n\n  ", false),
        ("... — !?", false),
        ("🐉🔥", false),
    ] {
        match v.synthesize(line) {
            Ok(u) => {
                assert!(must_speak, "{line:?} should have been empty");
                let pcm = u.audio.as_ref().expect("audio");
                assert!(pcm.duration() > 0.3 && pcm.samples.iter().all(|s| s.is_finite()), "{line:?}");
            }
            Err(VoiceError::EmptyText) => assert!(!must_speak, "{line:?} was not spoken"),
            Err(e) => panic!("{line:?}: {e}"),
        }
    }
    let heard = hear(
        v.synthesize("At 3:30 pm, Dr. Smith paid $4.50 for 12 apples!").expect("speaks").audio.as_ref().expect("audio"),
    );
    println!("numbers and abbreviations heard as {heard:?}");
    let words = normalise_words(&heard);
    assert!(words.iter().any(|w| w == "smith") && words.iter().any(|w| w == "apples"), "{heard:?}");
    // A long sentence is cut into chunks the network can take, and all of it is spoken.
    let chunks = v.chunks(&long);
    assert!(chunks.len() >= 2 && chunks.iter().all(|c| c.ids.len() <= 402), "{}", chunks.len());
    assert_eq!(chunks.iter().map(|c| c.words.len()).sum::<usize>(), 6 * 30);
}
