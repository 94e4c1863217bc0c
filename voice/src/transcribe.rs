//! Speech to text with whisper.cpp (through `whisper-rs`), tuned for short spoken answers.
//!
//! [`Transcriber::load`] validates the ggml file with [`crate::ggml::inspect`] before whisper.cpp
//! sees it (whisper.cpp aborts the process on some corrupt files), then keeps one context and
//! one decoding state. It takes 16 kHz mono samples and returns a [`Transcript`] in one of two
//! [`Mode`]s: [`Transcriber::transcribe`] gives segments with word start/end times over
//! whisper's whole 30-second window; [`Transcriber::transcribe_answer`] is the live path for a
//! child's short answer, about 2.6× faster and without word times. Decoding is greedy, English,
//! without context from earlier calls, with blank and non-speech tokens suppressed. Audio that is
//! too short or too quiet to hold speech gives an empty transcript without running the model.
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

const SAMPLE_RATE: f32 = crate::audio::WHISPER_SAMPLE_RATE as f32;

/// Where the whisper model is looked for: `$CAMPFIRE_WHISPER_MODEL`, else
/// `$CAMPFIRE_MODELS/whisper/ggml-tiny.en.bin`, else `models/whisper/ggml-tiny.en.bin` in the first
/// data tree that has it ([`campfire_paths::find`]). When none has it, the path in the most
/// specific data tree, so that the error names a real place.
pub fn default_model_path() -> PathBuf {
    if let Some(p) = std::env::var_os("CAMPFIRE_WHISPER_MODEL").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    if let Some(dir) = std::env::var_os("CAMPFIRE_MODELS").filter(|p| !p.is_empty()) {
        return PathBuf::from(dir).join("whisper/ggml-tiny.en.bin");
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
        if !path.is_file() {
            return Err(TranscribeError::ModelNotFound { path: path.to_path_buf() });
        }
        let summary = ggml::inspect(path)?;
        tracing::debug!(path = %path.display(), model = %summary.hparams.model_name(), "whisper model checked");
        Self::load_checked(path, summary)
    }

    #[cfg(feature = "whisper")]
    fn load_checked(path: &Path, summary: ModelSummary) -> Result<Transcriber, TranscribeError> {
        let engine = engine::Engine::load(path)?;
        Ok(Transcriber { path: path.to_path_buf(), summary, engine })
    }

    #[cfg(not(feature = "whisper"))]
    fn load_checked(_path: &Path, _summary: ModelSummary) -> Result<Transcriber, TranscribeError> {
        Err(TranscribeError::FeatureDisabled)
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
    pub fn transcribe_with(&self, samples_16k_mono: &[f32], prompt: &str, mode: Mode) -> Result<Transcript, TranscribeError> {
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
        let mode = if mode == Mode::Answer && secs > ANSWER_MAX_SECS { Mode::Timed } else { mode };
        self.run(samples, prompt, mode)
    }

    #[cfg(feature = "whisper")]
    fn run(&self, samples: &[f32], prompt: &str, mode: Mode) -> Result<Transcript, TranscribeError> {
        let segments = self.engine.transcribe(samples, prompt, mode)?;
        let mut transcript = assemble(segments);
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
}

#[cfg_attr(not(feature = "whisper"), allow(dead_code))]
/// Groups tokens into words (a token starting with a space starts a new word; punctuation and
/// word pieces attach to the previous one), drops segments that hold only non-speech
/// annotations such as "[BLANK_AUDIO]" or "(wind blowing)", and joins the text.
fn assemble(raw_segments: Vec<Vec<RawToken>>) -> Transcript {
    let mut segments = Vec::new();
    for tokens in raw_segments {
        let mut words: Vec<(Word, usize)> = Vec::new();
        for t in tokens {
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
                    Word { text: piece.to_string(), start: t.start, end: t.end.max(t.start), probability: t.probability },
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
    Transcript { text, segments }
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

    use whisper_rs::{FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperState};

    use super::{ANSWER_AUDIO_CTX, Mode, RawToken, SAMPLE_RATE, THREADS, TranscribeError, WINDOW_SECS};

    pub(super) struct Engine {
        ctx: WhisperContext,
        state: Mutex<WhisperState>,
    }

    /// Routes whisper.cpp's and ggml's C logging to `tracing` (their load chatter is `info`,
    /// hidden by the default `warn` filter) instead of stderr.
    fn quiet_c_logging() {
        static ONCE: Once = Once::new();
        ONCE.call_once(whisper_rs::install_logging_hooks);
    }

    impl Engine {
        pub(super) fn load(path: &Path) -> Result<Self, TranscribeError> {
            quiet_c_logging();
            let load_err = |reason: String| TranscribeError::Load { path: path.to_path_buf(), reason };
            let mut params = WhisperContextParameters::default();
            params.use_gpu(false);
            let ctx = WhisperContext::new_with_params(path, params).map_err(|e| load_err(e.to_string()))?;
            let state = ctx.create_state().map_err(|e| load_err(e.to_string()))?;
            Ok(Self { ctx, state: Mutex::new(state) })
        }

        fn params(&self, single_segment: bool, secs: f32, mode: Mode) -> FullParams<'static, 'static> {
            let mut p = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
            p.set_n_threads(THREADS as i32);
            p.set_language(Some("en"));
            p.set_translate(false);
            p.set_no_context(true);
            p.set_single_segment(single_segment);
            match mode {
                Mode::Timed => p.set_token_timestamps(true),
                Mode::Answer => {
                    p.set_audio_ctx(ANSWER_AUDIO_CTX as i32);
                    p.set_no_timestamps(true);
                }
            }
            p.set_suppress_blank(true);
            p.set_suppress_nst(true);
            // Deterministic greedy decoding: no temperature fallback.
            p.set_temperature(0.0);
            p.set_temperature_inc(0.0);
            // Greedy whisper can fall into repeating a phrase until its 224-token context is
            // full, which costs seconds; nobody says more than ~8 tokens a second.
            p.set_max_tokens(((secs.min(WINDOW_SECS) * 8.0).ceil() as i32 + 16).min(224));
            p.set_print_special(false);
            p.set_print_progress(false);
            p.set_print_realtime(false);
            p.set_print_timestamps(false);
            p
        }

        /// Runs whisper and returns each segment's text tokens with times in seconds.
        pub(super) fn transcribe(&self, samples: &[f32], prompt: &str, mode: Mode) -> Result<Vec<Vec<RawToken>>, TranscribeError> {
            let secs = samples.len() as f32 / SAMPLE_RATE;
            let mut params = self.params(secs <= WINDOW_SECS, secs, mode);
            // whisper-rs panics on an inner NUL byte; prompts come from story text.
            let prompt = prompt.replace('\0', " ");
            if !prompt.trim().is_empty() {
                params.set_initial_prompt(prompt.trim());
            }
            // A poisoned lock only means an earlier call panicked mid-decode; the state is
            // reset by the next `full` call, so carry on with it.
            let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            let span = tracing::debug_span!("whisper_full", samples = samples.len()).entered();
            state.full(params, samples).map_err(|e| TranscribeError::Inference(e.to_string()))?;
            drop(span);
            if tracing::enabled!(tracing::Level::DEBUG) {
                // whisper.cpp's own per-stage timings (mel, encode, decode), logged at info.
                self.ctx.print_timings();
                self.ctx.reset_timings();
            }
            let eot = self.ctx.token_eot();
            let mut out = Vec::new();
            for segment in state.as_iter() {
                let mut tokens = Vec::new();
                for i in 0..segment.n_tokens() {
                    let Some(token) = segment.get_token(i) else { continue };
                    let data = token.token_data();
                    // Special tokens (end of text, timestamps, ...) come after the text ones.
                    if data.id >= eot {
                        continue;
                    }
                    let text = token.to_str_lossy().map_err(|e| TranscribeError::Inference(e.to_string()))?;
                    tokens.push(RawToken {
                        text: text.into_owned(),
                        start: data.t0 as f32 / 100.0,
                        end: data.t1 as f32 / 100.0,
                        probability: data.p,
                    });
                }
                out.push(tokens);
            }
            Ok(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(text: &str, start: f32, end: f32) -> RawToken {
        RawToken { text: text.into(), start, end, probability: 0.9 }
    }

    /// The voice pipeline hands the transcriber to a worker thread and shares it.
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
