//! Bad input never panics or hangs: missing or corrupt models, silence, noise, a long ramble,
//! clipped audio and odd sample rates each give a clear error or a sensible outcome.
//! (No microphone and no speech-dispatcher are covered by the `mic` and `voice` unit tests.)

mod common;

use campfire_intent::Recognized;
use campfire_intent::{ChoiceOption, FreeCommands, Outcome, vocabulary_prompt};
use campfire_scene::SceneState;
use campfire_voice::audio::{WHISPER_SAMPLE_RATE, read_wav, resample};
use campfire_voice::listen::{Heard, Listener, Trigger};
use campfire_voice::recognise::recognise;
use campfire_voice::transcribe::{SILENCE_RMS, Transcriber};
use campfire_voice::vad::VadConfig;
use campfire_voice::{Espeak, VoiceSettings};
use common::model_path;
use std::path::Path;
use std::sync::OnceLock;

fn transcriber() -> &'static Transcriber {
    static T: OnceLock<Transcriber> = OnceLock::new();
    T.get_or_init(|| {
        let path = model_path();
        Transcriber::load(&path).unwrap_or_else(|e| panic!("cannot load {}: {e}", path.display()))
    })
}

fn choices() -> Vec<ChoiceOption> {
    vec![
        ChoiceOption {
            text: "Flap your wings, Pip!".into(),
            phrases: vec!["flap".into(), "flap your wings".into(), "wings".into()],
        },
        ChoiceOption {
            text: "Jump off the rock!".into(),
            phrases: vec!["jump".into(), "jump off".into(), "rock".into()],
        },
    ]
}

fn hear(samples_16k: &[f32]) -> Recognized {
    let r = recognise(transcriber(), samples_16k, &choices(), &SceneState::default(), FreeCommands::ALL)
        .expect("transcription of odd audio is not an error");
    assert!((0.0..=1.0).contains(&r.understanding.confidence));
    r
}

fn speech(text: &str) -> (Vec<f32>, u32) {
    let pcm = Espeak::new(VoiceSettings::default()).expect("espeak-ng").synthesize_pcm(text).expect("synthesis");
    (pcm.samples, pcm.sample_rate)
}

#[test]
fn missing_model_names_the_file() {
    let err = Transcriber::load(Path::new("/nonexistent/ggml-tiny.en.bin")).unwrap_err().to_string();
    assert!(err.contains("/nonexistent/ggml-tiny.en.bin"), "{err}");
}

#[test]
fn corrupt_model_is_an_error_not_an_abort() {
    let dir = tempfile::tempdir().expect("temp dir");
    let garbage = dir.path().join("garbage.bin");
    std::fs::write(&garbage, b"this is not a ggml model at all, just some bytes").expect("write");
    assert!(Transcriber::load(&garbage).is_err());
    // A real model cut short.
    let truncated = dir.path().join("truncated.bin");
    let real = std::fs::read(model_path()).expect("read model");
    std::fs::write(&truncated, &real[..real.len() / 3]).expect("write");
    let err = Transcriber::load(&truncated).unwrap_err().to_string();
    assert!(err.contains("truncated.bin"), "{err}");
}

#[test]
fn silence_is_nothing() {
    // Digital silence never reaches whisper (the RMS guard)...
    let silence = vec![0.0; 3 * 16_000];
    let prompt = vocabulary_prompt(&choices(), &SceneState::default());
    let t = transcriber().transcribe_answer(&silence, &prompt).expect("silence");
    assert!(t.decoding.is_none(), "digital silence should stop at the RMS guard");
    let r = hear(&silence);
    assert!(r.transcript.is_empty());
    assert!(matches!(r.understanding.outcome, Outcome::Nothing { .. }));
}

/// A quiet room is louder than the silence guard, and whisper, given room tone, invents words
/// ("Go back.", a prompt phrase, at -48 dBFS). The speech check in front of whisper must stop it,
/// and a child speaking in that same room must still get through it and be understood.
#[test]
fn room_tone_is_nothing_but_speech_in_it_is_heard() {
    let prompt = vocabulary_prompt(&choices(), &SceneState::default());
    let (said, sr) = speech("Jump off the rock!");
    let said = resample(&said, sr, WHISPER_SAMPLE_RATE);
    for (seed, db) in [(3, -48.0), (4, -42.0)] {
        let tone = common::room_tone(3.0, db, seed);
        assert!(common::rms(&tone) > SILENCE_RMS, "room tone at {db} dBFS must pass the silence guard");
        let t = transcriber().transcribe_answer(&tone, &prompt).expect("room tone");
        assert!(t.is_empty(), "room tone at {db} dBFS heard as {:?} ({:?})", t.text, t.decoding);
        assert!(t.decoding.is_none(), "room tone at {db} dBFS reached whisper: {:?}", t.decoding);
        let r = hear(&tone);
        assert!(matches!(r.understanding.outcome, Outcome::Nothing { .. }), "{r:?}");

        // The answer, spoken a second into the same room.
        let mut room = common::room_tone(1.0 + said.len() as f32 / 16_000.0 + 1.0, db, seed + 10);
        for (r, s) in room[16_000..].iter_mut().zip(&said) {
            *r += s * 0.5;
        }
        let r = hear(&room);
        assert!(
            matches!(r.understanding.outcome, Outcome::Choice { index: 1, .. }),
            "speech in room tone at {db} dBFS: {:?} → {r:?}",
            r.transcript
        );
    }
}

#[test]
fn noise_is_not_a_choice() {
    let mut rng = fastrand::Rng::with_seed(7);
    let noise: Vec<f32> = (0..3 * 16_000).map(|_| (rng.f32() * 2.0 - 1.0) * 0.3).collect();
    let r = hear(&noise);
    assert!(!matches!(r.understanding.outcome, Outcome::Choice { .. }), "{r:?}");
}

#[test]
fn clipped_speech_still_understood() {
    let (s, sr) = speech("Flap your wings!");
    let clipped: Vec<f32> = s.iter().map(|x| (x * 12.0).clamp(-1.0, 1.0)).collect();
    let r = hear(&resample(&clipped, sr, WHISPER_SAMPLE_RATE));
    assert!(matches!(r.understanding.outcome, Outcome::Choice { index: 0, .. }), "{r:?}");
}

#[test]
fn odd_sample_rates_and_stereo_are_resampled() {
    let (s, sr) = speech("Jump off the rock!");
    let dir = tempfile::tempdir().expect("temp dir");
    for (rate, channels) in [(8_000u32, 1u16), (44_100, 1), (48_000, 2)] {
        let path = dir.path().join(format!("rock-{rate}-{channels}.wav"));
        let spec = hound::WavSpec {
            channels,
            sample_rate: rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&path, spec).expect("create wav");
        for x in resample(&s, sr, rate) {
            for _ in 0..channels {
                w.write_sample((x * 32_000.0) as i16).expect("write");
            }
        }
        w.finalize().expect("finalize");
        let wav = read_wav(&path).expect("our own WAV reads back");
        assert_eq!(wav.sample_rate, rate);
        let r = hear(&resample(&wav.samples, wav.sample_rate, WHISPER_SAMPLE_RATE));
        assert!(matches!(r.understanding.outcome, Outcome::Choice { index: 1, .. }), "{rate} Hz × {channels}: {r:?}");
    }
}

#[test]
fn not_a_wav_names_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("notes.wav");
    std::fs::write(&path, "just text").expect("write");
    let err = read_wav(&path).unwrap_err().to_string();
    assert!(err.contains("notes.wav"), "{err}");
}

#[test]
fn a_sixty_second_ramble_is_cut_and_transcribed_in_pieces() {
    let (s, sr) = speech("and then the dragon went to the shop and bought a hat and then the cat said hello and");
    let mut ramble = Vec::new();
    while ramble.len() < sr as usize * 60 {
        ramble.extend_from_slice(&s);
        ramble.extend(std::iter::repeat_n(0.0, sr as usize / 10));
    }
    let mut l = Listener::new(Trigger::HandsFree, sr, VadConfig::default());
    let mut pieces = Vec::new();
    for chunk in ramble.chunks(1024) {
        pieces.extend(l.feed(chunk));
    }
    assert!(pieces.len() >= 4, "60 s should be cut into ≤ 15 s utterances, got {}", pieces.len());
    let Heard::Speech { samples, cut } = &pieces[0] else { panic!("speech expected") };
    assert!(*cut);
    assert!(samples.len() <= 15 * 16_000 + 16_000);
    // One piece goes through whisper and the intent layer: it is transcribed, and a ramble
    // (about a dragon, a shop, a hat and a cat) is not one of the choices on offer (flap or jump).
    let r = hear(samples);
    assert!(!r.transcript.is_empty());
    assert!(!matches!(r.understanding.outcome, Outcome::Choice { .. }), "a ramble taken as a choice: {r:?}");
}
