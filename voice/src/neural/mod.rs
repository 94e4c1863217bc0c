//! The neural narrator: a warm voice on the device, far faster than real time, with word timings
//! from the network's own durations.
//!
//! The voice is hibari 0.2.1 (PyPI `hibari-tts`, Apache-2.0), an int8 ONNX network of 7.9 MB
//! distilled from Kokoro-82M's `af_heart` voice, run in ONNX Runtime 1.23 (PyPI `onnxruntime`,
//! MIT) through the `ort` crate. `scripts/setup-narrator.sh` fetches and checks the files;
//! nothing runs Python. A line goes:
//!
//! text → [`g2p`] (misaki-rs, hibari's OOV net for unknown words; chunked by clause)
//!      → [`model`] (phoneme ids → spectra, f0, durations)
//!      → [`character`] (a story character's pitch, size and speed)
//!      → [`dsp`] (pulse train and inverse STFT, a port of hibari's vocoder) → 24 kHz PCM.
//!
//! [`files`] finds the folder and checks every file's SHA-256 before anything is opened; any
//! failure there or in loading is a [`NeuralError`], on which [`crate::Voice::open`] falls back to
//! espeak-ng with a one-line notice.
//!
//! Why ONNX Runtime and not a pure-Rust runner: the network is an onnxruntime-quantised graph
//! (`DynamicQuantizeLinear` + `MatMulInteger`, 77 of each); tract and candle would need it
//! re-exported in float or the int8 kernels written, and ONNX Runtime already runs it at a
//! hundred times real time on one core.

pub mod character;
pub mod dsp;
pub mod files;
pub mod g2p;
pub mod model;

use crate::synth::{Pcm, Synthesize, Utterance, VoiceError, VoiceSettings};
use crate::timing::{self, WordTiming};
use character::Character;
use dsp::{HOP, SAMPLE_RATE, Vocoder};
use g2p::{Chunk, G2pError, Phonemizer};
use model::{Acoustic, ModelError};
use std::path::{Path, PathBuf};

/// Leading silence kept before a chunk's first sound, in frames (100 ms): the network pads the
/// start with about a third of a second, which would make every sentence start late.
const LEAD_FRAMES: usize = 8;

#[derive(Debug, thiserror::Error)]
pub enum NeuralError {
    #[error(transparent)]
    Files(#[from] files::FilesError),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    G2p(#[from] G2pError),
    #[error("the phonemizer's loader stopped: {0}")]
    Loader(String),
}

/// The neural narrator, one character's settings at a time.
pub struct Neural {
    settings: VoiceSettings,
    character: Character,
    phonemizer: Phonemizer,
    acoustic: Acoustic,
    vocoder: Vocoder,
    dir: PathBuf,
}

impl Neural {
    /// Opens the voice from the narrator's folder ([`files::dir`]).
    pub fn open(settings: VoiceSettings) -> Result<Neural, NeuralError> {
        Self::open_in(&files::dir()?, settings)
    }

    /// Opens the voice from `dir`: checks the files, opens the runtime, then loads the network and
    /// the phonemizer side by side (each takes a few hundred milliseconds).
    pub fn open_in(dir: &Path, settings: VoiceSettings) -> Result<Neural, NeuralError> {
        let _span = tracing::info_span!("open neural voice", dir = %dir.display()).entered();
        files::check(dir)?;
        model::init_runtime(&dir.join(files::RUNTIME))?;
        let paths = (dir.join(files::VOCAB), dir.join(files::OOV_MODEL), dir.join(files::OOV_META));
        let loader = std::thread::Builder::new()
            .name("narrator-g2p".into())
            .spawn(move || Phonemizer::load(&paths.0, &paths.1, &paths.2))
            .map_err(|e| NeuralError::Loader(e.to_string()))?;
        let acoustic = Acoustic::load(&dir.join(files::MODEL));
        let phonemizer = loader.join().map_err(|_| NeuralError::Loader("it panicked".into()))??;
        Ok(Neural {
            character: Character::from_settings(&settings),
            settings,
            phonemizer,
            acoustic: acoustic?,
            vocoder: Vocoder::new(),
            dir: dir.to_path_buf(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn settings(&self) -> &VoiceSettings {
        &self.settings
    }

    /// The chunks a line is spoken in (for tests and diagnostics).
    pub fn chunks(&self, text: &str) -> Vec<Chunk> {
        self.phonemizer.chunks(text)
    }

    /// Speaks one chunk: its audio and word timings from its own start.
    fn speak_chunk(&mut self, chunk: &Chunk, seed: u64) -> Result<Utterance, VoiceError> {
        let out = self.acoustic.run(&chunk.ids, self.character.speed).map_err(|e| VoiceError::Neural(e.to_string()))?;
        let mut spectra = out.spectra;
        self.character.apply(&mut spectra);
        let mut samples = {
            let _span = tracing::debug_span!("vocoder", frames = spectra.frames).entered();
            self.vocoder.synthesize(&spectra, seed)
        };
        let cut_frames = out.frames_per_id.as_ref().map_or(0, |d| d[0].saturating_sub(LEAD_FRAMES));
        samples.drain(..(cut_frames * HOP).min(samples.len()));
        let words = match &out.frames_per_id {
            Some(per_id) => {
                let (mut words, core) = timings_from_durations(chunk, per_id, cut_frames);
                timing::trim_pauses(&mut words, &core, &samples, SAMPLE_RATE);
                words
            }
            None => {
                let words: Vec<String> = chunk.words.iter().map(|w| w.text.clone()).collect();
                let weights: Vec<f32> = chunk.words.iter().map(|w| w.ids.len().max(1) as f32).collect();
                timing::fit_words(&words, &weights, &samples, SAMPLE_RATE, 80.0)
            }
        };
        Ok(Utterance { text: chunk.text.clone(), audio: Some(Pcm { samples, sample_rate: SAMPLE_RATE }), words })
    }

    /// Speaks a line chunk by chunk; `on_clause` gets each chunk (times from its own start) as soon
    /// as it is made, the first clause first. Returns the whole line.
    pub fn synthesize_streaming(
        &mut self,
        text: &str,
        on_clause: &mut dyn FnMut(&Utterance),
    ) -> Result<Utterance, VoiceError> {
        let _span = tracing::debug_span!("neural line", chars = text.len()).entered();
        let chunks = self.phonemizer.chunks(text);
        if chunks.is_empty() {
            return Err(VoiceError::EmptyText);
        }
        let mut all = Utterance { text: text.to_string(), audio: None, words: Vec::new() };
        let mut samples = Vec::new();
        // The same line sounds the same every time (the noise is seeded by the text).
        let seed = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
        for (i, chunk) in chunks.iter().enumerate() {
            let part = self.speak_chunk(chunk, seed.wrapping_add(i as u64))?;
            on_clause(&part);
            let offset = samples.len() as f32 / SAMPLE_RATE as f32;
            all.words.extend(part.words.into_iter().map(|w| WordTiming {
                start: w.start + offset,
                end: w.end + offset,
                ..w
            }));
            if let Some(pcm) = part.audio {
                samples.extend(pcm.samples);
            }
        }
        all.audio = Some(Pcm { samples, sample_rate: SAMPLE_RATE });
        Ok(all)
    }
}

/// Word start and end from the frames each id lasts: a word runs from its first phoneme's first
/// frame to its last phoneme's last frame (the spaces between words belong to no word). Skipped
/// words get a zero-length timing where they would have been. Also gives each word's core for
/// [`timing::trim_pauses`]: its first phoneme's end (a word of one phoneme: its middle), before
/// which no pause after it can begin and by which it has surely started.
fn timings_from_durations(
    chunk: &Chunk,
    frames_per_id: &[usize],
    cut_frames: usize,
) -> (Vec<WordTiming>, Vec<(f32, f32)>) {
    let mut starts = Vec::with_capacity(frames_per_id.len() + 1);
    let mut acc = 0usize;
    for &f in frames_per_id {
        starts.push(acc);
        acc += f;
    }
    starts.push(acc);
    let secs = |frame: usize| (frame.saturating_sub(cut_frames) * HOP) as f32 / SAMPLE_RATE as f32;
    let mut last_end = secs(starts[1.min(starts.len() - 1)]);
    chunk
        .words
        .iter()
        .map(|w| {
            if w.ids.is_empty() || w.ids.end > frames_per_id.len() {
                let t = WordTiming { word: w.text.clone(), start: last_end, end: last_end };
                return (t, (last_end, last_end));
            }
            let (start, end) = (secs(starts[w.ids.start]), secs(starts[w.ids.end]));
            let (first_end, last_start) = (secs(starts[w.ids.start + 1]), secs(starts[w.ids.end - 1]));
            // The sound can run ahead of the slots (in "woke up and" the silence begins in the
            // vowel's slot), so a pause may begin anywhere after the first phoneme.
            let mid = (start + end) / 2.0;
            let core = if first_end <= last_start { (first_end, first_end) } else { (mid, mid) };
            last_end = end;
            (WordTiming { word: w.text.clone(), start, end }, core)
        })
        .unzip()
}

impl Synthesize for Neural {
    fn synthesize(&mut self, text: &str) -> Result<Utterance, VoiceError> {
        self.synthesize_streaming(text, &mut |_| {})
    }
    fn synthesize_streaming(
        &mut self,
        text: &str,
        on_clause: &mut dyn FnMut(&Utterance),
    ) -> Result<Utterance, VoiceError> {
        Neural::synthesize_streaming(self, text, on_clause)
    }
    fn set_settings(&mut self, settings: VoiceSettings) -> Result<(), VoiceError> {
        settings.validate()?;
        self.character = Character::from_settings(&settings);
        self.settings = settings;
        Ok(())
    }
    fn settings(&self) -> VoiceSettings {
        self.settings.clone()
    }
}
