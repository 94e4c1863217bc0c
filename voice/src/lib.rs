//! The voice: the narrator speaking, and a child's voice steering the story. No Bevy.
//!
//! Speech out:
//! - [`synth`]: what every synthesiser shares (settings, PCM, utterances with word timings, the
//!   [`synth::Synthesize`] trait); the backends below build on it.
//! - [`voice::Voice`] over three backends: the neural narrator (`neural`, feature `neural`, the
//!   default: hibari's ONNX voice in ONNX Runtime, word timings from its durations, character
//!   voices from pitch and speed), espeak-ng PCM ([`espeak::Espeak`], a subprocess, never
//!   linked) and live system voices (speech-dispatcher, feature `system-tts`), with
//!   [`voice::VoiceSettings`]. Every [`voice::Utterance`] carries [`timing::WordTiming`]s.
//! - `speaker` (feature `speaker`): the narration through the speakers with cpal; the samples
//!   the device takes are the session's clock.
//! - [`queue::NarrationQueue`] synthesises lines ahead on a worker thread, whole or clause by
//!   clause.
//!
//! Speech in:
//! - `mic` (feature `mic`): microphone capture with cpal; [`listen::Listener`] turns it into
//!   16 kHz utterances, push-to-talk or hands-free, with [`vad::Vad`] (energy + zero crossings,
//!   adaptive noise floor, no model).
//! - [`transcribe::Transcriber`] turns 16 kHz mono speech into a [`transcribe::Transcript`]
//!   (text, segments, word times) with whisper.cpp; behind the default `whisper` feature.
//! - [`ggml`] reads and checks whisper.cpp model files (`campfire-convert` makes them).
//! - [`audio`] holds plain helpers: [`audio::resample`] and WAV reading.
//!
//! - [`recognise::recognise`]: audio → transcript → `campfire_intent::understand_text` (kid-safe
//!   filter, then intent) in one call.
//!
//! [`align`] is a word-timing ruler (DTW against a reference with known times), the one
//! `campfire bench voice` judges the narrators' word timings by.

pub mod align;
pub mod audio;
pub mod espeak;
pub mod ggml;
pub mod listen;
#[cfg(feature = "mic")]
pub mod mic;
#[cfg(feature = "neural")]
pub mod neural;
pub mod queue;
pub mod recognise;
#[cfg(feature = "speaker")]
pub mod speaker;
pub mod synth;
#[cfg(feature = "system-tts")]
pub mod system;
pub mod timing;
pub mod transcribe;
pub mod vad;
pub mod voice;

pub use espeak::Espeak;
pub use queue::NarrationQueue;
pub use synth::{Pcm, Synthesize, Utterance, VoiceError, VoiceSettings};
pub use timing::WordTiming;
pub use transcribe::{Mode, Segment, TranscribeError, Transcriber, Transcript, Word};
pub use voice::{Backend, Voice};
