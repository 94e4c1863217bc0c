//! Voice benchmarks behind `campfire bench voice`: transcription time, time to first narration
//! audio, and how far our fitted word timings are from whisper's own word timestamps.

use crate::audio::{WHISPER_SAMPLE_RATE, resample};
use crate::espeak::Espeak;
use crate::timing::{WordTiming, boundary_errors};
use crate::transcribe::{Mode, TranscribeError, Transcriber};
use crate::voice::{VoiceError, VoiceSettings};
use campfire_intent::{ChoiceOption, vocabulary_prompt};
use serde::Serialize;
use std::time::Instant;

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error(transparent)]
    Voice(#[from] VoiceError),
    #[error(transparent)]
    Transcribe(#[from] TranscribeError),
    #[error("whisper recognised no words of {0:?}; cannot compare word timings")]
    NoWords(String),
}

/// Narration lines for the speech-out figures: a typical line with clauses, a short one, a long one.
pub const LINES: &[&str] = &[
    "Once upon a time, in a forest full of whispering trees, a little dragon named Sparky woke up and stretched his wings.",
    "The moon came out, and the owls began to sing.",
    "Pip the bird looked down from the old oak tree and wondered what the day would bring.",
    "The rabbit hopped across the meadow, over the stream, and into the garden.",
    "Far away, on top of a snowy mountain, there was a castle made of ice.",
];

/// The utterance for the transcription figure (about two seconds at the default speed).
pub const UTTERANCE: &str = "Make the dragon fly over the castle.";

#[derive(Clone, Debug, Serialize)]
pub struct VoiceBench {
    /// Median time to transcribe a 2.0 s utterance (16 kHz mono) as the live path does: a
    /// child's answer ([`Mode::Answer`]) with the vocabulary prompt of two choices on offer.
    pub transcribe_ms: f64,
    /// The same over whisper's whole window with word times ([`Mode::Timed`]), for comparison.
    pub transcribe_timed_ms: f64,
    /// What the answer path heard.
    pub transcript: String,
    pub transcribe_runs: usize,
    /// Median time from asking for a narration line to its first audio being ready.
    pub first_audio_ms: f64,
    /// Median time to synthesise the whole line (all clauses, with timings).
    pub full_line_ms: f64,
    pub speech_runs: usize,
    /// Mean absolute difference of word starts and ends, ours against whisper's, in ms.
    pub word_timing_error_ms: f64,
    /// Word boundaries compared (2 per word paired by text).
    pub words_compared: usize,
    /// Error per line, for the report.
    pub per_line_error_ms: Vec<f64>,
    pub model: String,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() { 0.0 } else { v[v.len() / 2] }
}

/// Runs all three measurements; `runs` repetitions for the timed ones (at least 1).
pub fn run(transcriber: &Transcriber, runs: usize) -> Result<VoiceBench, BenchError> {
    let runs = runs.max(1);
    let espeak = Espeak::new(VoiceSettings::default())?;

    // 1. Transcription of exactly two seconds of speech.
    let pcm = espeak.synthesize_pcm(UTTERANCE)?;
    let mut audio = resample(&pcm.samples, pcm.sample_rate, WHISPER_SAMPLE_RATE);
    audio.resize(2 * WHISPER_SAMPLE_RATE as usize, 0.0);
    let choices = [
        ChoiceOption { text: "Make the dragon fly".into(), phrases: vec!["fly".into(), "dragon".into()] },
        ChoiceOption { text: "Stay in the castle".into(), phrases: vec!["stay".into(), "castle".into()] },
    ];
    let prompt = vocabulary_prompt(&choices, &campfire_scene::SceneState::new(campfire_scene::Stage::default()));
    let time = |mode: Mode| -> Result<(f64, String), TranscribeError> {
        let mut times = Vec::new();
        let mut text = transcriber.transcribe_with(&audio, &prompt, mode)?.text; // warm-up
        for _ in 0..runs {
            let t = Instant::now();
            text = transcriber.transcribe_with(&audio, &prompt, mode)?.text;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        tracing::debug!(%text, ?mode, "bench transcription");
        Ok((median(times), text))
    };
    let (transcribe_ms, transcript) = time(Mode::Answer)?;
    let (transcribe_timed_ms, _) = time(Mode::Timed)?;

    // 2. Time to first audio for a narration line, and to the whole line.
    let mut first = Vec::new();
    let mut full = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let mut first_at = None;
        espeak.synthesize_streaming(LINES[0], |_| {
            first_at.get_or_insert_with(|| t.elapsed().as_secs_f64() * 1000.0);
        })?;
        full.push(t.elapsed().as_secs_f64() * 1000.0);
        first.push(first_at.unwrap_or(f64::NAN));
    }

    // 3. Our word timings against whisper's on the same audio.
    let mut sum = 0.0;
    let mut n = 0usize;
    let mut per_line = Vec::new();
    for line in LINES {
        let utt = espeak.synthesize(line)?;
        let Some(pcm) = utt.audio.as_ref() else { continue };
        let audio = resample(&pcm.samples, pcm.sample_rate, WHISPER_SAMPLE_RATE);
        let heard = transcriber.transcribe(&audio)?;
        let reference: Vec<WordTiming> =
            heard.words().map(|w| WordTiming { word: w.text.clone(), start: w.start, end: w.end }).collect();
        let errors = boundary_errors(&utt.words, &reference);
        if errors.is_empty() {
            return Err(BenchError::NoWords(line.to_string()));
        }
        per_line.push(errors.iter().map(|&e| e as f64).sum::<f64>() / errors.len() as f64 * 1000.0);
        sum += errors.iter().map(|&e| e as f64 * 1000.0).sum::<f64>();
        n += errors.len();
    }
    Ok(VoiceBench {
        transcribe_ms,
        transcribe_timed_ms,
        transcript,
        transcribe_runs: runs,
        first_audio_ms: median(first),
        full_line_ms: median(full),
        speech_runs: runs,
        word_timing_error_ms: if n > 0 { sum / n as f64 } else { f64::NAN },
        words_compared: n,
        per_line_error_ms: per_line,
        model: transcriber.path().display().to_string(),
    })
}
