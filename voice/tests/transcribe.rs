//! Speech recognition end to end: the converted whisper model loads, understands espeak-ng
//! speech, stays quiet on silence and rejects broken model files with clear errors.
//!
//! These tests need the model made by `scripts/setup-whisper.sh`; they fail (not skip) when it
//! is missing.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use campfire_voice::audio;
use campfire_voice::ggml;
use campfire_voice::transcribe::{self, TranscribeError, Transcriber};

fn model_path() -> PathBuf {
    let path = transcribe::default_model_path();
    assert!(
        path.is_file(),
        "whisper model missing at {}: run scripts/setup-whisper.sh first \
         (or set CAMPFIRE_WHISPER_MODEL)",
        path.display()
    );
    path
}

fn transcriber() -> &'static Transcriber {
    static T: OnceLock<Transcriber> = OnceLock::new();
    T.get_or_init(|| Transcriber::load(&model_path()).expect("the converted model loads"))
}

/// `phrase` spoken by espeak-ng (22050 Hz), resampled to 16 kHz mono.
fn speak(phrase: &str) -> Vec<f32> {
    let dir = tempfile::tempdir().expect("temp dir");
    let wav = dir.path().join("phrase.wav");
    let status = std::process::Command::new("espeak-ng")
        .arg("-w")
        .arg(&wav)
        .arg(phrase)
        .status()
        .expect("espeak-ng is installed");
    assert!(status.success(), "espeak-ng failed on {phrase:?}");
    let raw = audio::read_wav(&wav).expect("espeak-ng writes a WAV");
    assert_eq!(raw.sample_rate, 22_050, "espeak-ng's native rate");
    audio::resample(&raw.samples, raw.sample_rate, audio::WHISPER_SAMPLE_RATE)
}

fn normalise(s: &str) -> Vec<String> {
    s.to_lowercase()
        .replace(['-', '\u{2019}'], " ")
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace() || *c == '\'')
        .collect::<String>()
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// Word edit distance between reference and hypothesis.
fn word_errors(reference: &[String], hypothesis: &[String]) -> usize {
    let mut prev: Vec<usize> = (0..=hypothesis.len()).collect();
    for (i, r) in reference.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, h) in hypothesis.iter().enumerate() {
            let sub = prev[j] + usize::from(r != h);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[hypothesis.len()]
}

const PHRASES: [&str; 6] = [
    "the dragon flew over the castle",
    "open the red door",
    "let's go into the dark forest",
    "I want to talk to the wizard",
    "the little fox is hiding behind the tree",
    "yes please",
];

mod model {
    use super::*;

    #[test]
    fn converted_model_is_a_complete_tiny_en() {
        let s = ggml::inspect(&model_path()).expect("valid ggml model");
        assert_eq!(s.hparams.model_name(), "tiny.en");
        assert_eq!((s.hparams.n_audio_layer, s.hparams.n_text_layer, s.hparams.n_audio_state), (4, 4, 384));
        assert_eq!(s.n_vocab_tokens, 50_256, "the GPT-2 text tokens");
        assert_eq!(s.n_tensors, ggml::expected_tensors(&s.hparams).expect("known ftype").len());
    }
}

mod speech {
    use super::*;

    #[test]
    fn espeak_phrases_are_transcribed() {
        let t = transcriber();
        let (mut errors, mut words) = (0, 0);
        for phrase in PHRASES {
            let samples = speak(phrase);
            let transcript = t.transcribe(&samples).expect("transcription runs");
            let (r, h) = (normalise(phrase), normalise(&transcript.text));
            let e = word_errors(&r, &h);
            eprintln!("{phrase:?} -> {:?} ({e} errors)", transcript.text);
            // Robotic speech and a tiny model: allow one slip per phrase, few overall.
            assert!(e <= 1 + r.len() / 4, "{phrase:?} heard as {:?}", transcript.text);
            errors += e;
            words += r.len();
        }
        let wer = errors as f32 / words as f32;
        eprintln!("word error rate {wer:.3} over {words} words");
        assert!(wer <= 0.15, "word error rate {wer:.3}");
    }

    #[test]
    fn words_have_ordered_times_inside_the_audio() {
        let samples = speak("the dragon flew over the castle");
        let secs = samples.len() as f32 / 16_000.0;
        let transcript = transcriber().transcribe(&samples).expect("transcription runs");
        let words: Vec<_> = transcript.words().collect();
        assert!(words.len() >= 5, "{:?}", transcript.text);
        let mut last_start = 0.0;
        for w in &words {
            assert!(w.start <= w.end, "{w:?}");
            assert!(w.start >= last_start - 0.05, "words out of order: {words:?}");
            assert!(w.end <= secs + 0.1, "{w:?} ends after the audio ({secs} s)");
            last_start = w.start;
        }
        assert_eq!(transcript.segments.len(), 1, "one segment for a short utterance");
        // "castle" is spoken last: it starts in the second half of the utterance.
        let castle = words.iter().find(|w| normalise(&w.text) == ["castle"]).expect("castle heard");
        assert!(castle.start > secs * 0.4, "{castle:?} in {secs} s");
    }

    /// The live path: a short answer through the shortened window, prompted with the words on
    /// offer. With timestamps on, this phrase and prompt made whisper loop ("flap your wings,
    /// jump, jump, jump, …"); the answer must be what was said and nothing more.
    #[test]
    fn answers_are_transcribed_without_looping_on_the_prompt() {
        let prompt = "Flap your wings, Pip, flap, flap your wings, wings, Jump off the rock, jump, jump off, rock, louder, quieter, slower, faster, say that again, go back, the end.";
        for phrase in ["Flap your wings!", "Jump off the rock.", "Say that again."] {
            let samples = speak(phrase);
            let secs = samples.len() as f32 / 16_000.0;
            let transcript = transcriber().transcribe_answer(&samples, prompt).expect("transcription runs");
            let (r, h) = (normalise(phrase), normalise(&transcript.text));
            eprintln!("{phrase:?} -> {:?}", transcript.text);
            assert!(word_errors(&r, &h) <= 1, "{phrase:?} heard as {:?}", transcript.text);
            // No word times in this mode: every word spans the utterance.
            assert!(transcript.words().all(|w| w.start == 0.0 && w.end == secs), "{:?}", transcript.segments);
        }
    }

    /// With the alignment heads on, the same words come back with times from the alignment:
    /// in order, inside the audio, each word beginning where the one before it ended, and not
    /// the timestamp tokens' times (which leave gaps and zero-length words).
    #[test]
    fn aligned_word_times_follow_the_words() {
        let aligned = Transcriber::load_aligned(&model_path()).expect("tiny.en has alignment heads");
        let samples = speak("the little dragon looked up at the bright moon and smiled");
        let secs = samples.len() as f32 / 16_000.0;
        let plain = transcriber().transcribe(&samples).expect("transcribes");
        let got = aligned.transcribe(&samples).expect("transcribes aligned");
        assert_eq!(got.text, plain.text, "alignment does not change what is heard");
        let words: Vec<_> = got.words().collect();
        assert!(words.len() >= 8, "{:?}", got.text);
        for pair in words.windows(2) {
            assert_eq!(pair[0].end, pair[1].start, "aligned words abut: {pair:?}");
        }
        assert!(words.iter().all(|w| w.start <= w.end && w.end <= secs + 0.05), "{words:?}");
        let same = words.iter().zip(plain.words()).filter(|(a, b)| a.start == b.start && a.end == b.end).count();
        assert!(same < words.len() / 2, "{same} of {} words kept the timestamp tokens' times", words.len());
    }

    #[test]
    fn a_minute_of_speech_is_transcribed_in_full() {
        let gap = vec![0.0f32; 16_000];
        let mut samples = Vec::new();
        while samples.len() < 60 * 16_000 {
            for phrase in PHRASES {
                samples.extend(speak(phrase));
                samples.extend(&gap);
            }
        }
        let secs = samples.len() as f32 / 16_000.0;
        assert!(secs >= 60.0);
        // A ramble given as an answer is too long for the answer window and must still come
        // through whole.
        let transcript = transcriber().transcribe_answer(&samples, "").expect("transcription runs");
        let heard = normalise(&transcript.text);
        eprintln!(
            "{secs:.1} s -> {} words, last segment ends at {:?}",
            heard.len(),
            transcript.segments.last().map(|s| s.end)
        );
        // The last phrase of each round is "yes please"; the text must reach into the second
        // half of the input, not stop after the first window.
        let dragons = heard.iter().filter(|w| *w == "dragon").count();
        assert!(dragons >= 3, "expected the dragon phrase in every round: {:?}", transcript.text);
        let last_end = transcript.segments.last().map_or(0.0, |s| s.end);
        assert!(last_end > 45.0, "transcript stops at {last_end} s of {secs} s");
    }
}

mod silence {
    use super::*;

    #[test]
    fn silence_and_tiny_inputs_give_an_empty_transcript() {
        let t = transcriber();
        assert!(t.transcribe(&[]).expect("empty input").is_empty());
        assert!(t.transcribe(&vec![0.0; 3 * 16_000]).expect("silence").is_empty());
        // A faint hiss (about -66 dBFS) is not speech.
        let mut rng = fastrand::Rng::with_seed(7);
        let hiss: Vec<f32> = (0..2 * 16_000).map(|_| (rng.f32() - 0.5) * 0.001).collect();
        assert!(t.transcribe(&hiss).expect("hiss").is_empty());
        // 50 ms cannot hold a word.
        let speech = speak("open the red door");
        assert!(t.transcribe(&speech[..800]).expect("a sliver").is_empty());
    }

    /// Those inputs stop at the silence guard. Louder hiss passes it, and whisper, given hiss,
    /// invents words ("you" at -49 dBFS); the speech check in front of whisper must stop it, in
    /// both modes.
    #[test]
    fn hiss_above_the_silence_guard_gives_nothing() {
        let t = transcriber();
        for (seed, amplitude) in [(8, 0.012f32), (9, 0.03)] {
            let mut rng = fastrand::Rng::with_seed(seed);
            let hiss: Vec<f32> = (0..3 * 16_000).map(|_| (rng.f32() - 0.5) * amplitude).collect();
            let rms = (hiss.iter().map(|x| x * x).sum::<f32>() / hiss.len() as f32).sqrt();
            assert!(rms > transcribe::SILENCE_RMS, "hiss at rms {rms} would stop at the guard");
            for transcript in [t.transcribe(&hiss).expect("hiss"), t.transcribe_answer(&hiss, "").expect("hiss")] {
                assert!(
                    transcript.is_empty() && transcript.decoding.is_none(),
                    "hiss at rms {rms} heard as {:?} ({:?})",
                    transcript.text,
                    transcript.decoding
                );
            }
            // Words spoken over the same hiss still reach whisper and come back.
            let mut speech = speak("open the red door");
            for (s, h) in speech.iter_mut().zip(hiss.iter().cycle()) {
                *s += h;
            }
            let heard = t.transcribe(&speech).expect("speech in hiss").text.to_lowercase();
            assert!(heard.contains("red door"), "speech over hiss at rms {rms} heard as {heard:?}");
        }
    }
}

mod corrupt {
    use super::*;

    fn expect_error(path: &Path, needle: &str) -> TranscribeError {
        let err = Transcriber::load(path).expect_err("a broken model must not load");
        let msg = err.to_string();
        assert!(msg.contains(&path.display().to_string()), "error does not name the file: {msg}");
        assert!(msg.contains(needle), "expected {needle:?} in: {msg}");
        err
    }

    #[test]
    fn broken_model_files_are_clear_errors() {
        let dir = tempfile::tempdir().expect("temp dir");
        let good = std::fs::read(model_path()).expect("read model");

        let missing = dir.path().join("nowhere.bin");
        let err = expect_error(&missing, "setup-whisper.sh");
        assert!(matches!(err, TranscribeError::ModelNotFound { .. }));

        let truncated = dir.path().join("truncated.bin");
        std::fs::write(&truncated, &good[..good.len() / 2]).expect("write");
        expect_error(&truncated, "truncated");

        let header_only = dir.path().join("header-only.bin");
        std::fs::write(&header_only, &good[..4 + 11 * 4]).expect("write");
        expect_error(&header_only, "truncated");

        let magic = dir.path().join("magic.bin");
        let mut bad = good.clone();
        bad[..4].copy_from_slice(b"GGUF");
        std::fs::write(&magic, &bad).expect("write");
        expect_error(&magic, "magic");

        let mut rng = fastrand::Rng::with_seed(11);
        let garbage = dir.path().join("garbage.bin");
        std::fs::write(&garbage, (0..100_000).map(|_| rng.u8(..)).collect::<Vec<_>>()).expect("write");
        expect_error(&garbage, "not a whisper ggml model");

        // A valid header whose first layer claims an absurd size.
        let absurd = dir.path().join("absurd.bin");
        let mut bad = good.clone();
        bad[4 + 4 * 4..4 + 5 * 4].copy_from_slice(&100_000i32.to_le_bytes()); // n_audio_layer
        std::fs::write(&absurd, &bad).expect("write");
        expect_error(&absurd, "n_audio_layer");

        // Everything intact except one tensor's data cut short by a byte.
        let short = dir.path().join("short.bin");
        std::fs::write(&short, &good[..good.len() - 1]).expect("write");
        expect_error(&short, "truncated");

        // Trailing junk after the last tensor.
        let trailing = dir.path().join("trailing.bin");
        let mut bad = good.clone();
        bad.extend_from_slice(&[1, 0, 0, 0, 5, 0]);
        std::fs::write(&trailing, &bad).expect("write");
        expect_error(&trailing, "trailing.bin");
    }
}
