//! Speech to text with whisper.cpp (through `whisper-rs`), tuned for short spoken answers.
//!
//! [`Transcriber::load`] validates the ggml file with [`crate::ggml::inspect`] before whisper.cpp
//! sees it (whisper.cpp aborts the process on some corrupt files), then keeps one context and
//! one decoding state. It takes 16 kHz mono samples and returns a [`Transcript`] in one of two
//! [`Mode`]s: [`Transcriber::transcribe`] gives segments with word start/end times over
//! whisper's whole 30-second window; [`Transcriber::transcribe_answer`] is the live path for a
//! child's short answer, about 2.6× faster and without word times. Decoding is English, without
//! context from earlier calls, with blank and non-speech tokens suppressed: greedy first, then
//! whisper's own temperature fallback ([`Fallback`]) when the decode is degenerate (a phrase
//! repeated, or text the model itself finds unlikely). Audio that is too short or too quiet to
//! hold speech gives an empty transcript without running the model.
//!
//! Without the `whisper` feature the types stay available and [`Transcriber::load`] returns
//! [`TranscribeError::FeatureDisabled`].

use std::path::{Path, PathBuf};

use crate::ggml::{self, GgmlError, ModelSummary};

/// Threads for whisper.cpp: the target machine has two cores.
pub const THREADS: usize = 2;

/// Input shorter than this cannot hold a word (whisper.cpp itself refuses under 100 ms).
pub const MIN_SPEECH_SECS: f32 = 0.15;

/// Below this RMS level (about -54 dBFS) the input is treated as silence: whisper, given
/// nothing, tends to invent "you" or "Thank you.".
pub const SILENCE_RMS: f32 = 0.002;

/// The length of whisper's window.
pub const WINDOW_SECS: f32 = 30.0;

/// Encoder frames per second of audio (whisper's 1500 frames span 30 s).
const FRAMES_PER_SEC: f32 = 50.0;

/// Encoder frames an answer is given: the first 15.36 s of the window. Attention over the
/// window is most of the encoder's cost, so halving it cuts a 2 s answer from ~0.9 s to
/// ~0.42 s on two cores (release build). Shorter windows (about 5–8 s) made whisper repeat the
/// answer even without timestamps.
pub const ANSWER_AUDIO_CTX: usize = 768;

/// Answers longer than this (a ramble) go through the whole window instead, with a second's
/// margin so that the end of the speech is never at the edge of what the encoder sees.
pub const ANSWER_MAX_SECS: f32 = ANSWER_AUDIO_CTX as f32 / FRAMES_PER_SEC - 1.0;

/// How whisper is run for one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The whole 30-second window, with timestamps: every word carries its start and end.
    Timed,
    /// A short answer: the encoder sees [`ANSWER_AUDIO_CTX`] frames, and decoding asks for no
    /// timestamps, because with a shortened window whisper's timestamp tokens stop marking the
    /// end of speech and it loops on the prompt's words ("flap your wings, jump, jump, jump…").
    /// Words span the whole utterance. Input longer than [`ANSWER_MAX_SECS`] runs as `Timed`.
    Answer,
}

/// What to do when a decode is degenerate: openai-whisper's `decode_with_fallback`
/// (`whisper/transcribe.py`, 2025-06-25 release), the reference decoder's answer to loops such as
/// "Check the flowers, check the flowers, …": decode greedily, and while the text compresses too
/// well (gzip ratio above [`Fallback::compression_ratio_threshold`]: a loop) or the tokens'
/// average log-probability is below [`Fallback::logprob_threshold`], decode again at the next
/// temperature, sampling [`Fallback::best_of`] candidates and keeping the likeliest. A decode
/// whose no-speech probability is above [`Fallback::no_speech_threshold`] with a low
/// log-probability is silence, not a failure. At 0.5 and above whisper.cpp also drops the
/// prompt, which is what feeds the loops on the prompt's words.
///
/// One step ahead of the reference: before sampling, [`Fallback::unprompted_retry`] decodes
/// greedily once more without the prompt. The loops we see are on the prompt's words, and the
/// reference only gets rid of the prompt at 0.6, after three rounds of sampling (measured on
/// flite's "check the flowers": 0.2 and 0.4 loop as 0.0 did); one greedy decode costs a fifth of
/// one such round.
///
/// whisper.cpp has the same loop inside `whisper_full`, but judges repetition by the entropy of
/// the last 32 tokens and only once more than 32 have been decoded; a short answer under our
/// token cap never gets there. So for input that fits one window we run the loop here, one
/// `whisper_full` per temperature, and keep each attempt's figures ([`Decoding`]). Longer input
/// (several windows) uses whisper.cpp's loop, which retries each window on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Fallback {
    /// Tried in order; the first decode that is not degenerate is kept. `[0.0]` turns the
    /// fallback off.
    pub temperatures: Vec<f32>,
    pub compression_ratio_threshold: f32,
    pub logprob_threshold: f32,
    pub no_speech_threshold: f32,
    /// Candidates sampled at temperatures above zero.
    pub best_of: usize,
    /// After a degenerate first decode, decode greedily without the prompt before sampling.
    pub unprompted_retry: bool,
}

impl Default for Fallback {
    /// The reference decoder's defaults: 0.0, 0.2, … 1.0; gzip ratio 2.4; log-probability -1.0;
    /// no-speech 0.6; best of 5.
    fn default() -> Self {
        Fallback {
            temperatures: vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0],
            compression_ratio_threshold: 2.4,
            logprob_threshold: -1.0,
            no_speech_threshold: 0.6,
            best_of: 5,
            unprompted_retry: true,
        }
    }
}

impl Fallback {
    /// openai-whisper's fallback exactly, without [`Fallback::unprompted_retry`].
    pub fn reference() -> Self {
        Fallback { unprompted_retry: false, ..Fallback::default() }
    }

    /// Greedy decoding only, kept whatever it gives (how answers were decoded before the
    /// fallback; the tests use it to show the loops the fallback stops).
    pub fn off() -> Self {
        Fallback { temperatures: vec![0.0], unprompted_retry: false, ..Fallback::default() }
    }

    /// A loop: text that compresses too well, or a phrase said twice in a row.
    pub fn repetitive(&self, d: &Decoding) -> bool {
        d.compression_ratio > self.compression_ratio_threshold || d.repeats
    }

    /// Is this decode degenerate (too repetitive, or too unlikely and not silence)?
    pub fn needs_fallback(&self, d: &Decoding) -> bool {
        let repetitive = self.repetitive(d);
        let unlikely = d.avg_logprob < self.logprob_threshold;
        let silence = d.no_speech_prob > self.no_speech_threshold && unlikely;
        (repetitive || unlikely) && !silence
    }
}

/// How the kept decode came about.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoding {
    /// The temperature of the kept decode (0 is greedy).
    pub temperature: f32,
    /// Whether the kept decode saw the prompt (whisper.cpp drops it from 0.5 up).
    pub prompted: bool,
    /// Decodes run, the kept one included.
    pub attempts: usize,
    /// gzip compression ratio of the text ([`compression_ratio`]): high means repetition.
    pub compression_ratio: f32,
    /// The text says a phrase twice in a row ([`repeats_a_phrase`]): a loop too short for the
    /// gzip ratio to see.
    pub repeats: bool,
    /// Mean log-probability of the decoded tokens.
    pub avg_logprob: f32,
    /// whisper's probability that the window holds no speech.
    pub no_speech_prob: f32,
    /// Every attempt was degenerate; the least repetitive, then likeliest, was kept.
    pub degenerate: bool,
}

/// openai-whisper's `compression_ratio`: UTF-8 bytes over zlib-compressed bytes (default
/// level). Text that repeats itself compresses well; ordinary short answers stay near or below 1.
pub fn compression_ratio(text: &str) -> f32 {
    use std::io::Write;
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return 0.0;
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let compressed = z.write_all(bytes).and_then(|()| z.finish()).map(|v| v.len()).unwrap_or(bytes.len());
    bytes.len() as f32 / compressed.max(1) as f32
}

/// Does the text say a phrase of two or more words twice in a row ("fly up to the moon, fly up
/// to the moon")? Whisper's loops on a short answer repeat the prompt's phrase only once or
/// twice, too few for the gzip ratio (1.26 and 1.39 measured, against 2.4). A child who really
/// repeats a phrase costs one more decode, which repeats it again and is kept.
pub fn repeats_a_phrase(text: &str) -> bool {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| w.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect();
    (2..=words.len() / 2).any(|n| (0..=words.len() - 2 * n).any(|i| words[i..i + n] == words[i + n..i + 2 * n]))
}

const SAMPLE_RATE: f32 = crate::audio::WHISPER_SAMPLE_RATE as f32;

/// Where the whisper model is looked for: `$CAMPFIRE_WHISPER_MODEL`, else
/// `$CAMPFIRE_MODELS/whisper/ggml-tiny.en.bin` ([`campfire_paths::whisper_model_override`]), else
/// `models/whisper/ggml-tiny.en.bin` in the first data tree that has it ([`campfire_paths::find`]).
/// When none has it, the path in the most specific data tree, so that the error names a real place.
pub fn default_model_path() -> PathBuf {
    if let Some(p) = campfire_paths::whisper_model_override() {
        return p;
    }
    campfire_paths::find(campfire_paths::WHISPER).unwrap_or_else(|| {
        let root = campfire_paths::roots().into_iter().next().unwrap_or_else(campfire_paths::source_tree);
        root.join(campfire_paths::WHISPER)
    })
}

/// One recognised word with its time span in seconds from the start of the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// The word as spoken, with attached punctuation ("Hello,"), without surrounding spaces.
    pub text: String,
    pub start: f32,
    pub end: f32,
    /// Mean probability of the word's tokens.
    pub probability: f32,
}

/// A stretch of recognised speech.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub text: String,
    pub start: f32,
    pub end: f32,
    pub words: Vec<Word>,
}

/// The result of one [`Transcriber::transcribe`] call.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Transcript {
    /// All segments' text joined with spaces, trimmed.
    pub text: String,
    pub segments: Vec<Segment>,
    /// How whisper decoded it; `None` when the input was too short or quiet to run whisper, or
    /// the voice activity detector found no speech in it.
    pub decoding: Option<Decoding>,
}

impl Transcript {
    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// Every word of every segment, in order.
    pub fn words(&self) -> impl Iterator<Item = &Word> {
        self.segments.iter().flat_map(|s| s.words.iter())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TranscribeError {
    #[error(
        "whisper model not found at {path}; run scripts/setup-whisper.sh to create it \
         (or point CAMPFIRE_WHISPER_MODEL at a ggml whisper model)"
    )]
    ModelNotFound { path: PathBuf },
    #[error(transparent)]
    InvalidModel(#[from] GgmlError),
    #[error("whisper.cpp could not load {path}: {reason}")]
    Load { path: PathBuf, reason: String },
    #[error(
        "speech recognition is not built in: campfire-narration was compiled without its \
         `whisper` feature (it needs cmake and clang); rebuild with `--features whisper`"
    )]
    FeatureDisabled,
    #[error("whisper.cpp failed while transcribing: {0}")]
    Inference(String),
}

/// A loaded whisper model, ready to transcribe.
pub struct Transcriber {
    path: PathBuf,
    summary: ModelSummary,
    fallback: Fallback,
    #[cfg(feature = "whisper")]
    engine: engine::Engine,
}

impl std::fmt::Debug for Transcriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transcriber").field("path", &self.path).field("summary", &self.summary).finish()
    }
}

impl Transcriber {
    /// Loads a ggml whisper model after checking the whole file.
    pub fn load(path: &Path) -> Result<Transcriber, TranscribeError> {
        Self::open(path, false)
    }

    /// Loads a model whose word times come from aligning the text with the audio (DTW over
    /// the cross-attention of the model's alignment heads, as OpenAI's `word_timestamps`)
    /// instead of from whisper's timestamp tokens: a second, independent way to place words,
    /// for judging the narrator's word timings. It has errors of its own (its word ends run to
    /// the next word's start across a pause). Only the models whose alignment heads
    /// whisper.cpp knows (tiny to medium) can be aligned.
    pub fn load_aligned(path: &Path) -> Result<Transcriber, TranscribeError> {
        Self::open(path, true)
    }

    fn open(path: &Path, aligned: bool) -> Result<Transcriber, TranscribeError> {
        if !path.is_file() {
            return Err(TranscribeError::ModelNotFound { path: path.to_path_buf() });
        }
        let summary = ggml::inspect(path)?;
        tracing::debug!(path = %path.display(), model = %summary.hparams.model_name(), aligned, "whisper model checked");
        Self::load_engine(path, summary, aligned)
    }

    #[cfg(feature = "whisper")]
    fn load_engine(path: &Path, summary: ModelSummary, aligned: bool) -> Result<Transcriber, TranscribeError> {
        let preset = if aligned {
            Some(engine::alignment_heads(&summary.hparams.model_name()).ok_or_else(|| TranscribeError::Load {
                path: path.to_path_buf(),
                reason: format!("whisper.cpp knows no alignment heads for a {} model", summary.hparams.model_name()),
            })?)
        } else {
            None
        };
        let engine = engine::Engine::load(path, preset)?;
        Ok(Transcriber { path: path.to_path_buf(), summary, fallback: Fallback::default(), engine })
    }

    #[cfg(not(feature = "whisper"))]
    fn load_engine(_path: &Path, _summary: ModelSummary, _aligned: bool) -> Result<Transcriber, TranscribeError> {
        Err(TranscribeError::FeatureDisabled)
    }

    /// Replaces the reference decoder's [`Fallback`] (the default).
    pub fn with_fallback(mut self, fallback: Fallback) -> Transcriber {
        self.fallback = fallback;
        self
    }

    pub fn fallback(&self) -> &Fallback {
        &self.fallback
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Dimensions and name of the loaded model.
    pub fn summary(&self) -> &ModelSummary {
        &self.summary
    }

    /// Transcribes 16 kHz mono samples in [-1, 1] with word times ([`Mode::Timed`]). Calls are
    /// serialised (one decoding state).
    pub fn transcribe(&self, samples_16k_mono: &[f32]) -> Result<Transcript, TranscribeError> {
        self.transcribe_with(samples_16k_mono, "", Mode::Timed)
    }

    /// Transcribes a child's spoken answer ([`Mode::Answer`]: fast, no word times), with an
    /// initial prompt that biases whisper towards the words expected now (the current choices,
    /// commands and names on stage): whisper's own vocabulary-biasing mechanism, which helps
    /// most with short answers. Empty: no prompt.
    pub fn transcribe_answer(&self, samples_16k_mono: &[f32], prompt: &str) -> Result<Transcript, TranscribeError> {
        self.transcribe_with(samples_16k_mono, prompt, Mode::Answer)
    }

    /// Transcribes with a prompt (see [`Transcriber::transcribe_answer`]) in the given mode.
    pub fn transcribe_with(
        &self,
        samples_16k_mono: &[f32],
        prompt: &str,
        mode: Mode,
    ) -> Result<Transcript, TranscribeError> {
        let samples = samples_16k_mono;
        let secs = samples.len() as f32 / SAMPLE_RATE;
        if secs < MIN_SPEECH_SECS {
            tracing::debug!(secs, "too short to hold speech");
            return Ok(Transcript::default());
        }
        let rms = rms(samples);
        if !rms.is_finite() || rms < SILENCE_RMS {
            tracing::debug!(rms, "too quiet to hold speech");
            return Ok(Transcript::default());
        }
        if !crate::vad::holds_speech(samples, SAMPLE_RATE as u32, crate::vad::VadConfig::default()) {
            tracing::debug!(rms, "no speech in it (room tone, hiss, a click)");
            return Ok(Transcript::default());
        }
        let mode = if mode == Mode::Answer && secs > ANSWER_MAX_SECS { Mode::Timed } else { mode };
        self.run(samples, prompt, mode)
    }

    #[cfg(feature = "whisper")]
    fn run(&self, samples: &[f32], prompt: &str, mode: Mode) -> Result<Transcript, TranscribeError> {
        let (segments, decoding) = self.engine.transcribe(samples, prompt, mode, &self.fallback)?;
        let mut transcript = assemble(segments);
        transcript.decoding = Some(decoding);
        if mode == Mode::Answer {
            // Without timestamps whisper.cpp reports the window for every token; the utterance
            // is the honest span.
            let secs = samples.len() as f32 / SAMPLE_RATE;
            for seg in &mut transcript.segments {
                (seg.start, seg.end) = (0.0, secs);
                seg.words.iter_mut().for_each(|w| (w.start, w.end) = (0.0, secs));
            }
        }
        Ok(transcript)
    }

    #[cfg(not(feature = "whisper"))]
    fn run(&self, _samples: &[f32], _prompt: &str, _mode: Mode) -> Result<Transcript, TranscribeError> {
        Err(TranscribeError::FeatureDisabled)
    }
}

fn rms(x: &[f32]) -> f32 {
    if x.is_empty() {
        return 0.0;
    }
    (x.iter().map(|v| (*v as f64) * (*v as f64)).sum::<f64>() / x.len() as f64).sqrt() as f32
}

#[cfg_attr(not(feature = "whisper"), allow(dead_code))]
/// One decoded text token with its time span, as whisper.cpp reports it.
#[derive(Debug, Clone)]
struct RawToken {
    text: String,
    start: f32,
    end: f32,
    probability: f32,
    /// Where the text-to-audio alignment leaves this token (seconds), from a model loaded with
    /// [`Transcriber::load_aligned`].
    aligned_end: Option<f32>,
}

#[cfg_attr(not(feature = "whisper"), allow(dead_code))]
/// Groups tokens into words (a token starting with a space starts a new word; punctuation and
/// word pieces attach to the previous one), drops segments that hold only non-speech
/// annotations such as "[BLANK_AUDIO]" or "(wind blowing)", and joins the text.
fn assemble(raw_segments: Vec<Vec<RawToken>>) -> Transcript {
    let mut segments = Vec::new();
    // Aligned times mark where each token ends; a token begins where the one before it ended.
    let mut aligned_until: Option<f32> = None;
    for tokens in raw_segments {
        let mut words: Vec<(Word, usize)> = Vec::new();
        for mut t in tokens {
            if let Some(end) = t.aligned_end {
                t.start = aligned_until.unwrap_or(t.start).min(end);
                t.end = end;
                aligned_until = Some(end);
            }
            let starts_word = t.text.starts_with(' ') || words.is_empty();
            let piece = t.text.trim();
            if piece.is_empty() {
                continue;
            }
            match words.last_mut() {
                Some((w, n)) if !starts_word => {
                    w.text.push_str(piece);
                    w.end = w.end.max(t.end);
                    w.probability += t.probability;
                    *n += 1;
                }
                _ => words.push((
                    Word {
                        text: piece.to_string(),
                        start: t.start,
                        end: t.end.max(t.start),
                        probability: t.probability,
                    },
                    1,
                )),
            }
        }
        let mut words: Vec<Word> = words
            .into_iter()
            .map(|(mut w, n)| {
                w.probability /= n as f32;
                w
            })
            .filter(|w| !is_annotation(&w.text))
            .collect();
        // Whisper brackets may span several words ("(wind blowing)"); drop such runs too.
        drop_bracketed_runs(&mut words);
        if words.is_empty() {
            continue;
        }
        let text = words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
        let (start, end) = (words[0].start, words[words.len() - 1].end);
        segments.push(Segment { text, start, end, words });
    }
    let text = segments.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(" ");
    Transcript { text, segments, decoding: None }
}

#[cfg_attr(not(feature = "whisper"), allow(dead_code))]
/// "[BLANK_AUDIO]", "(music)", "*sighs*", "♪": whisper's way of saying there were no words.
fn is_annotation(word: &str) -> bool {
    let w = word.trim_matches(|c: char| c == '.' || c == ',');
    let wrapped = |open: char, close: char| w.len() >= 2 && w.starts_with(open) && w.ends_with(close);
    wrapped('[', ']') || wrapped('(', ')') || wrapped('*', '*') || w.chars().all(|c| c == '♪' || c == '♫')
}

#[cfg_attr(not(feature = "whisper"), allow(dead_code))]
fn drop_bracketed_runs(words: &mut Vec<Word>) {
    let mut keep = vec![true; words.len()];
    let mut open: Option<(usize, char)> = None;
    for (i, w) in words.iter().enumerate() {
        match open {
            None => {
                if let Some(c) = w.text.chars().next().filter(|c| matches!(c, '[' | '(')) {
                    open = Some((i, if c == '[' { ']' } else { ')' }));
                }
            }
            Some((from, close)) => {
                if w.text.trim_end_matches(['.', ',']).ends_with(close) {
                    keep[from..=i].iter_mut().for_each(|k| *k = false);
                    open = None;
                }
            }
        }
    }
    let mut it = keep.into_iter();
    words.retain(|_| it.next().unwrap_or(true));
}

#[cfg(feature = "whisper")]
mod engine {
    use std::path::Path;
    use std::sync::{Mutex, Once};

    use whisper_rs::{
        DtwMode, DtwModelPreset, DtwParameters, FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters,
        WhisperState,
    };

    use super::{
        ANSWER_AUDIO_CTX, Decoding, Fallback, Mode, RawToken, SAMPLE_RATE, THREADS, TranscribeError, WINDOW_SECS,
        compression_ratio, repeats_a_phrase,
    };

    /// whisper.cpp's alignment heads for a model named as [`crate::ggml::Hparams::model_name`] does.
    pub(super) fn alignment_heads(model: &str) -> Option<DtwModelPreset> {
        Some(match model {
            "tiny.en" => DtwModelPreset::TinyEn,
            "tiny" => DtwModelPreset::Tiny,
            "base.en" => DtwModelPreset::BaseEn,
            "base" => DtwModelPreset::Base,
            "small.en" => DtwModelPreset::SmallEn,
            "small" => DtwModelPreset::Small,
            "medium.en" => DtwModelPreset::MediumEn,
            "medium" => DtwModelPreset::Medium,
            _ => return None,
        })
    }

    pub(super) struct Engine {
        ctx: WhisperContext,
        state: Mutex<WhisperState>,
    }

    /// One decode of the input: its segments' text tokens and the figures the fallback judges.
    struct Attempt {
        segments: Vec<Vec<RawToken>>,
        decoding: Decoding,
    }

    /// Routes whisper.cpp's and ggml's C logging to `tracing` (their load chatter is `info`,
    /// hidden by the default `warn` filter) instead of stderr.
    fn quiet_c_logging() {
        static ONCE: Once = Once::new();
        ONCE.call_once(whisper_rs::install_logging_hooks);
    }

    impl Engine {
        pub(super) fn load(path: &Path, alignment: Option<DtwModelPreset>) -> Result<Self, TranscribeError> {
            quiet_c_logging();
            let load_err = |reason: String| TranscribeError::Load { path: path.to_path_buf(), reason };
            let mut params = WhisperContextParameters::default();
            params.use_gpu(false);
            if let Some(model_preset) = alignment {
                params.dtw_parameters(DtwParameters {
                    mode: DtwMode::ModelPreset { model_preset },
                    ..Default::default()
                });
            }
            let ctx = WhisperContext::new_with_params(path, params).map_err(|e| load_err(e.to_string()))?;
            let state = ctx.create_state().map_err(|e| load_err(e.to_string()))?;
            Ok(Self { ctx, state: Mutex::new(state) })
        }

        fn params(secs: f32, mode: Mode, temperature: f32, fallback: &Fallback) -> FullParams<'static, 'static> {
            let best_of = if temperature > 0.0 { fallback.best_of.max(1) } else { 1 };
            let mut p = FullParams::new(SamplingStrategy::Greedy { best_of: best_of as i32 });
            p.set_n_threads(THREADS as i32);
            p.set_language(Some("en"));
            p.set_translate(false);
            p.set_no_context(true);
            let one_window = secs <= WINDOW_SECS;
            p.set_single_segment(one_window);
            match mode {
                Mode::Timed => p.set_token_timestamps(true),
                Mode::Answer => {
                    p.set_audio_ctx(ANSWER_AUDIO_CTX as i32);
                    p.set_no_timestamps(true);
                }
            }
            p.set_suppress_blank(true);
            p.set_suppress_nst(true);
            p.set_temperature(temperature);
            // One window: the fallback runs in `transcribe`, one temperature per call. Several
            // windows: whisper.cpp's own loop retries each window (see `Fallback`).
            let step = fallback.temperatures.windows(2).map(|w| w[1] - w[0]).find(|d| *d > 0.0);
            p.set_temperature_inc(if one_window { 0.0 } else { step.unwrap_or(0.0) });
            // (whisper.cpp's repetition test, token entropy, keeps its default of 2.4 nats.)
            p.set_logprob_thold(fallback.logprob_threshold);
            // whisper.cpp drops a window's segments when it is no speech by these figures.
            p.set_no_speech_thold(fallback.no_speech_threshold);
            // Greedy whisper can fall into repeating a phrase until its 224-token context is
            // full, which costs seconds; nobody says more than ~8 tokens a second.
            p.set_max_tokens(((secs.min(WINDOW_SECS) * 8.0).ceil() as i32 + 16).min(224));
            p.set_print_special(false);
            p.set_print_progress(false);
            p.set_print_realtime(false);
            p.set_print_timestamps(false);
            p
        }

        /// Runs whisper, falling back to higher temperatures while the decode is degenerate,
        /// and returns each segment's text tokens with times in seconds and how it was decoded.
        pub(super) fn transcribe(
            &self,
            samples: &[f32],
            prompt: &str,
            mode: Mode,
            fallback: &Fallback,
        ) -> Result<(Vec<Vec<RawToken>>, Decoding), TranscribeError> {
            let secs = samples.len() as f32 / SAMPLE_RATE;
            // whisper-rs panics on an inner NUL byte; prompts come from story text.
            let prompt = prompt.replace('\0', " ");
            // A poisoned lock only means an earlier call panicked mid-decode; the state is
            // reset by the next `full` call, so carry on with it.
            let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            let prompt = prompt.trim();
            let first = fallback.temperatures.first().copied().unwrap_or(0.0);
            // (temperature, with the prompt)
            let mut steps = vec![(first, !prompt.is_empty())];
            if secs <= WINDOW_SECS {
                if fallback.unprompted_retry && !prompt.is_empty() {
                    steps.push((first, false));
                }
                steps.extend(fallback.temperatures.iter().skip(1).map(|&t| (t, !prompt.is_empty())));
            }
            let mut attempts: Vec<Attempt> = Vec::new();
            for (i, &(t, prompted)) in steps.iter().enumerate() {
                let mut params = Self::params(secs, mode, t, fallback);
                if prompted {
                    params.set_initial_prompt(prompt);
                }
                let mut attempt = self.decode(&mut state, params, samples, t)?;
                // whisper.cpp leaves the prompt out itself at high temperatures.
                attempt.decoding.prompted = prompted && t < 0.5;
                attempt.decoding.attempts = i + 1;
                let degenerate = fallback.needs_fallback(&attempt.decoding);
                tracing::debug!(
                    temperature = t,
                    prompted = attempt.decoding.prompted,
                    compression_ratio = attempt.decoding.compression_ratio,
                    avg_logprob = attempt.decoding.avg_logprob,
                    no_speech_prob = attempt.decoding.no_speech_prob,
                    degenerate,
                    "whisper decode"
                );
                if !degenerate {
                    return Ok((attempt.segments, attempt.decoding));
                }
                attempts.push(attempt);
            }
            // Every temperature gave a degenerate decode. The reference keeps the last (t = 1.0);
            // for a child's short answer a random sample is worse than the least repetitive,
            // then likeliest, decode, which is what the intent layer gets instead.
            let n = attempts.len();
            let best = attempts
                .into_iter()
                .min_by(|a, b| {
                    let rep = |d: &Decoding| fallback.repetitive(d);
                    rep(&a.decoding)
                        .cmp(&rep(&b.decoding))
                        .then(b.decoding.avg_logprob.total_cmp(&a.decoding.avg_logprob))
                })
                .expect("at least one temperature is tried");
            let mut decoding = best.decoding;
            decoding.attempts = n;
            decoding.degenerate = true;
            tracing::debug!(temperature = decoding.temperature, "every decode was degenerate; keeping the best");
            Ok((best.segments, decoding))
        }

        fn decode(
            &self,
            state: &mut WhisperState,
            params: FullParams<'_, '_>,
            samples: &[f32],
            temperature: f32,
        ) -> Result<Attempt, TranscribeError> {
            let span = tracing::debug_span!("whisper_full", samples = samples.len(), temperature).entered();
            state.full(params, samples).map_err(|e| TranscribeError::Inference(e.to_string()))?;
            drop(span);
            if tracing::enabled!(tracing::Level::DEBUG) {
                // whisper.cpp's own per-stage timings (mel, encode, decode), logged at info.
                self.ctx.print_timings();
                self.ctx.reset_timings();
            }
            let eot = self.ctx.token_eot();
            let mut segments = Vec::new();
            let (mut text, mut logprob_sum, mut n_tokens, mut no_speech_prob) = (String::new(), 0.0f64, 0usize, 0.0f32);
            for segment in state.as_iter() {
                no_speech_prob = no_speech_prob.max(segment.no_speech_probability());
                let mut tokens = Vec::new();
                for i in 0..segment.n_tokens() {
                    let Some(token) = segment.get_token(i) else { continue };
                    let data = token.token_data();
                    // Every decoded token counts towards the likelihood, as in the reference.
                    logprob_sum += data.plog as f64;
                    n_tokens += 1;
                    // Special tokens (end of text, timestamps, ...) come after the text ones.
                    if data.id >= eot {
                        continue;
                    }
                    let piece = token.to_str_lossy().map_err(|e| TranscribeError::Inference(e.to_string()))?;
                    tracing::trace!(%piece, t0 = data.t0, t1 = data.t1, t_dtw = data.t_dtw, "token");
                    text.push_str(&piece);
                    tokens.push(RawToken {
                        text: piece.into_owned(),
                        start: data.t0 as f32 / 100.0,
                        end: data.t1 as f32 / 100.0,
                        probability: data.p,
                        aligned_end: (data.t_dtw >= 0).then(|| data.t_dtw as f32 / 100.0),
                    });
                }
                segments.push(tokens);
            }
            let decoding = Decoding {
                temperature,
                prompted: true,
                attempts: 1,
                compression_ratio: compression_ratio(text.trim()),
                repeats: repeats_a_phrase(&text),
                // Nothing decoded is as likely as can be: an empty decode never needs a retry.
                avg_logprob: if n_tokens == 0 { 0.0 } else { (logprob_sum / n_tokens as f64) as f32 },
                no_speech_prob,
                degenerate: false,
            };
            Ok(Attempt { segments, decoding })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(text: &str, start: f32, end: f32) -> RawToken {
        RawToken { text: text.into(), start, end, probability: 0.9, aligned_end: None }
    }

    /// The voice pipeline hands the transcriber to a worker thread and shares it.
    #[test]
    fn a_phrase_said_twice_is_a_loop() {
        assert!(repeats_a_phrase("Fly up to the moon, fly up to the moon,"));
        assert!(repeats_a_phrase("look up in the apple tree. Look up in the apple tree"));
        assert!(repeats_a_phrase("I want to check the flowers check the flowers"));
        assert!(!repeats_a_phrase("Fly up to the moon!"));
        assert!(!repeats_a_phrase("the dragon and the moon"));
        assert!(!repeats_a_phrase("jump jump"), "one word said twice is how children talk");
        assert!(!repeats_a_phrase(""));
        let d = |text: &str| Decoding {
            temperature: 0.0,
            prompted: true,
            attempts: 1,
            compression_ratio: compression_ratio(text),
            repeats: repeats_a_phrase(text),
            avg_logprob: -0.2,
            no_speech_prob: 0.01,
            degenerate: false,
        };
        let twice = d("Fly up to the moon, fly up to the moon,");
        assert!(twice.compression_ratio < 2.4, "the gzip ratio alone would miss it: {}", twice.compression_ratio);
        assert!(Fallback::default().needs_fallback(&twice));
        assert!(!Fallback::default().needs_fallback(&d("Fly up to the moon!")));
    }

    #[test]
    fn transcriber_can_be_shared_across_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Transcriber>();
    }

    #[test]
    fn tokens_group_into_words_with_punctuation_attached() {
        let t = assemble(vec![vec![
            tok(" Hel", 0.0, 0.2),
            tok("lo", 0.2, 0.4),
            tok(",", 0.4, 0.4),
            tok(" dragon", 0.5, 0.9),
            tok(".", 0.9, 1.0),
        ]]);
        assert_eq!(t.text, "Hello, dragon.");
        let words: Vec<_> = t.words().map(|w| (w.text.as_str(), w.start, w.end)).collect();
        assert_eq!(words, vec![("Hello,", 0.0, 0.4), ("dragon.", 0.5, 1.0)]);
    }

    #[test]
    fn non_speech_annotations_are_dropped() {
        let t = assemble(vec![vec![tok(" [BLANK_AUDIO]", 0.0, 1.0)]]);
        assert!(t.is_empty());
        let t = assemble(vec![vec![tok(" (wind", 0.0, 0.5), tok(" blowing)", 0.5, 1.0), tok(" Yes", 1.2, 1.5)]]);
        assert_eq!(t.text, "Yes");
    }
}
