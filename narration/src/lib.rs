//! The voice: the narrator speaking, and a child's voice steering the story.
//!
//! - [`transcribe::Transcriber`] turns 16 kHz mono speech into a [`transcribe::Transcript`]
//!   (text, segments, word times) with whisper.cpp; behind the default `whisper` feature.
//! - [`convert::convert_whisper`] makes the ggml model it loads from the CTranslate2 Whisper
//!   tiny.en we ship (`campfire convert-whisper`, `scripts/setup-whisper.sh`).
//! - [`ggml`] reads, checks and writes whisper.cpp model files.
//! - [`audio`] holds plain helpers: [`audio::resample`] and WAV reading.

pub mod audio;
pub mod convert;
pub mod ggml;
pub mod transcribe;

pub use transcribe::{Segment, TranscribeError, Transcriber, Transcript, Word};
