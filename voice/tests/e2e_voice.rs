//! End to end with real speech nobody here recorded: espeak-ng speaks the phrases in
//! `tests/data/phrases.ron` with several voices, speeds and seeded noise, whisper (tiny.en)
//! transcribes them (prompted with the words expected now, as the app does), and the intent layer must find the expected outcome for at least 90 %.
//!
//! Needs `models/whisper/ggml-tiny.en.bin` at the repository root (`scripts/setup-whisper.sh`
//! makes it); without it the test fails and says so.

mod common;

use campfire_voice::audio::{WHISPER_SAMPLE_RATE, resample};
use campfire_intent::FreeCommands;
use campfire_voice::recognise::recognise;
use campfire_voice::transcribe::Transcriber;
use campfire_voice::{Espeak, VoiceSettings};
use common::{Phrases, add_noise, describe, model_path};

#[test]
fn spoken_phrases_are_understood() {
    let data = Phrases::load();
    assert!(data.cases.len() >= 30, "need at least 30 phrases, have {}", data.cases.len());
    let model = model_path();
    let transcriber = Transcriber::load(&model).unwrap_or_else(|e| {
        panic!("cannot load the whisper model {} ({e}); run scripts/setup-whisper.sh first", model.display())
    });
    let scene = data.scene_state();
    let mut total = 0;
    let mut right = 0;
    let mut confusions = Vec::new();
    let mut by_render = vec![(0, 0); data.renders.len()];
    for (i, case) in data.cases.iter().enumerate() {
        let choices = data.choices(&case.choices);
        // Each phrase in two different renders, so every voice, speed and noise gets used.
        for r in [i % data.renders.len(), (i + 1) % data.renders.len()] {
            let render = &data.renders[r];
            let settings = VoiceSettings {
                voice: render.voice.clone(),
                pitch: 50,
                speed_wpm: render.speed,
                variant: render.variant.clone(),
            };
            let espeak = Espeak::new(settings).unwrap_or_else(|e| panic!("render {r}: {e}"));
            let pcm = espeak.synthesize_pcm(&case.say).unwrap_or_else(|e| panic!("{:?}: {e}", case.say));
            let mut audio = resample(&pcm.samples, pcm.sample_rate, WHISPER_SAMPLE_RATE);
            if let Some(noise) = &render.noise {
                add_noise(&mut audio, noise, (i * 31 + r) as u64);
            }
            let heard = recognise(&transcriber, &audio, &choices, &scene, FreeCommands::ALL)
                .unwrap_or_else(|e| panic!("{:?}: {e}", case.say));
            let u = heard.understanding;
            total += 1;
            by_render[r].1 += 1;
            if case.expect.matches(&u.outcome) {
                right += 1;
                by_render[r].0 += 1;
            } else {
                confusions.push(format!(
                    "  said {:?} (render {r}) → heard {:?} → {} ({:.2}); expected {:?}",
                    case.say,
                    heard.transcript,
                    describe(&u.outcome),
                    u.confidence,
                    case.expect
                ));
            }
        }
    }
    let accuracy = right as f64 / total as f64;
    println!("voice e2e accuracy: {right}/{total} = {:.1} %", accuracy * 100.0);
    for (r, (ok, n)) in by_render.iter().enumerate() {
        println!("  render {r} {:?}: {ok}/{n}", data.renders[r]);
    }
    println!("confusions ({}):\n{}", confusions.len(), confusions.join("\n"));
    assert!(accuracy >= 0.9, "accuracy {:.1} % is below 90 %; confusions:\n{}", accuracy * 100.0, confusions.join("\n"));
}
