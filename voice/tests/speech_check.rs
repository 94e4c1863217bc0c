//! The speech check in front of whisper (`vad::holds_speech`) against every phrase of the
//! end-to-end test, in every voice, speed and noise it uses, and against the room tone and hiss
//! whisper would invent words for. No whisper here: a phrase the check drops is a phrase the
//! child said and nobody heard, so every one must pass.

mod common;

use campfire_voice::audio::{WHISPER_SAMPLE_RATE, resample};
use campfire_voice::vad::{VadConfig, holds_speech};
use campfire_voice::{Espeak, VoiceSettings};
use common::{Phrases, add_noise};

#[test]
fn every_spoken_phrase_holds_speech_and_the_room_does_not() {
    let data = Phrases::load();
    let (mut dropped, mut total) = (Vec::new(), 0);
    // The noise seeds of e2e_voice.rs (0 and 1000 for the two sets), so its audio is among these.
    for (set, cases, seed_offset) in [("tuning", &data.cases, 0), ("held-out", &data.held_out, 1_000)] {
        for (i, case) in cases.iter().enumerate() {
            for (r, render) in data.renders.iter().enumerate() {
                let settings = VoiceSettings {
                    voice: render.voice.clone(),
                    pitch: 50,
                    speed_wpm: render.speed,
                    variant: render.variant.clone(),
                };
                let pcm = Espeak::new(settings).expect("espeak-ng").synthesize_pcm(&case.say).expect("synthesis");
                let mut audio = resample(&pcm.samples, pcm.sample_rate, WHISPER_SAMPLE_RATE);
                if let Some(noise) = &render.noise {
                    add_noise(&mut audio, noise, ((i + seed_offset) * 31 + r) as u64);
                }
                total += 1;
                if !holds_speech(&audio, WHISPER_SAMPLE_RATE, VadConfig::default()) {
                    let mut lv: Vec<f32> = audio.chunks_exact(320).map(common::rms).collect();
                    lv.sort_by(f32::total_cmp);
                    dropped.push(format!(
                        "{set} {:?} (render {r}): {} frames, quiet {:.5}, loud {:.5}",
                        case.say,
                        lv.len(),
                        lv.get(lv.len() / 10).copied().unwrap_or(0.0),
                        lv.get(lv.len() * 95 / 100).copied().unwrap_or(0.0)
                    ));
                }
            }
        }
    }
    let ratio = |x: &[f32]| {
        let mut lv: Vec<f32> = x.chunks_exact(320).map(common::rms).collect();
        lv.sort_by(f32::total_cmp);
        lv[lv.len() * 95 / 100] / lv[lv.len() / 10].max(1e-5)
    };
    for (seed, db) in [(3, -48.0), (4, -42.0), (5, -36.0)] {
        eprintln!("room {db}: {}", ratio(&common::room_tone(3.0, db, seed)));
    }
    assert!(total >= 390, "expected every phrase in every render, got {total}");
    assert!(
        dropped.is_empty(),
        "{} of {total} spoken phrases dropped as not speech:\n{}",
        dropped.len(),
        dropped.join("\n")
    );

    for (seed, db) in [(3, -48.0), (4, -42.0), (5, -36.0)] {
        let tone = common::room_tone(3.0, db, seed);
        assert!(!holds_speech(&tone, WHISPER_SAMPLE_RATE, VadConfig::default()), "room tone at {db} dBFS");
    }
    for (seed, amplitude) in [(8u64, 0.012f32), (9, 0.03), (10, 0.1)] {
        let mut rng = fastrand::Rng::with_seed(seed);
        let hiss: Vec<f32> = (0..3 * 16_000).map(|_| (rng.f32() - 0.5) * amplitude).collect();
        assert!(!holds_speech(&hiss, WHISPER_SAMPLE_RATE, VadConfig::default()), "hiss at amplitude {amplitude}");
    }
}
