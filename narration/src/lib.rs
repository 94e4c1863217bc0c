//! The voice: the narrator speaking, and a child's voice steering the story. No Bevy.
//!
//! Speech out:
//! - [`voice::Voice`] over two backends: espeak-ng PCM ([`espeak::Espeak`], a subprocess, never
//!   linked) and live system voices (speech-dispatcher, feature `system-tts`), with
//!   [`voice::VoiceSettings`]. Every [`voice::Utterance`] carries [`timing::WordTiming`]s.
//! - [`queue::NarrationQueue`] synthesises lines ahead on a worker thread.
//!
//! Speech in:
//! - [`vad::Vad`]: voice activity detection (energy + zero crossings, adaptive noise floor).
//! - `mic` (feature `mic`): microphone capture with cpal, push-to-talk and hands-free.
//! - [`transcribe::Transcriber`] turns 16 kHz mono speech into a [`transcribe::Transcript`]
//!   (text, segments, word times) with whisper.cpp; behind the default `whisper` feature.
//! - [`convert::convert_whisper`] makes the ggml model it loads from the CTranslate2 Whisper
//!   tiny.en we ship (`campfire convert-whisper`, `scripts/setup-whisper.sh`); [`ggml`] reads,
//!   checks and writes whisper.cpp model files; [`audio`] resamples and reads WAV.
//!
//! Understanding:
//! - [`intent::understand`]: a transcript becomes a choice, a global command, a scene event or
//!   nothing (with a kind re-prompt), each with a confidence.
//! - [`safety::check`]: the kid-safe filter for every text that does not come from a shipped story.

pub mod audio;
pub mod convert;
pub mod espeak;
pub mod ggml;
pub mod intent;
#[cfg(feature = "mic")]
pub mod mic;
pub mod queue;
pub mod safety;
#[cfg(feature = "system-tts")]
pub mod system;
pub mod timing;
pub mod transcribe;
pub mod vad;
pub mod voice;

pub use espeak::Espeak;
pub use queue::NarrationQueue;
pub use timing::WordTiming;
pub use transcribe::{Segment, TranscribeError, Transcriber, Transcript, Word};
pub use voice::{Backend, Pcm, Synthesize, Utterance, Voice, VoiceError, VoiceSettings};
