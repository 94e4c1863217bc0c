//! PCM synthesis with Debian's `espeak-ng`, run as a subprocess.
//!
//! espeak-ng is GPL, so it is never linked: we run the program, feed the text on stdin and read
//! a WAV from its stdout (`--stdout`). A line is synthesised clause by clause, the first clause
//! first, so the first audio is ready after a few milliseconds however long the line is; each
//! clause's word timings are fitted to that clause's own audio, which keeps estimation errors
//! from piling up along a long line.
//!
//! Word timings: the subprocess reports no word events (those come only through the library's
//! callback API). So each word's phonemes are asked for with `-q -x` (one word per input line,
//! which espeak-ng translates line by line), weighted by [`crate::timing::phoneme_weight`] and
//! fitted to the clause's audio by [`crate::timing::fit_words`]. When the phoneme lines cannot
//! be paired with the words (a number read as several words, say), syllable counts are used.

use crate::synth::{Pcm, Synthesize, Utterance, VoiceError, VoiceSettings};
use crate::timing::{self, WordTiming};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The `espeak-ng` program with one voice's settings.
#[derive(Clone, Debug)]
pub struct Espeak {
    program: PathBuf,
    settings: VoiceSettings,
}

/// Longest a single espeak-ng run may take before it is killed (a hung synthesiser must not
/// hang the story).
const RUN_TIMEOUT: Duration = Duration::from_secs(20);

impl Espeak {
    /// Finds `espeak-ng` on the `PATH` (or `CAMPFIRE_ESPEAK` if set, see
    /// [`campfire_paths::espeak_program`]) and checks that it runs and knows the voice.
    pub fn new(settings: VoiceSettings) -> Result<Self, VoiceError> {
        Self::with_program(campfire_paths::espeak_program(), settings)
    }

    /// Like [`Espeak::new`] with an explicit program path.
    pub fn with_program(program: PathBuf, settings: VoiceSettings) -> Result<Self, VoiceError> {
        settings.validate()?;
        let out =
            Command::new(&program).arg("--version").stdin(Stdio::null()).output().map_err(|e| {
                VoiceError::EspeakMissing { program: program.display().to_string(), reason: e.to_string() }
            })?;
        if !out.status.success() {
            return Err(VoiceError::EspeakMissing {
                program: program.display().to_string(),
                reason: format!("`--version` exited with {}", out.status),
            });
        }
        let espeak = Espeak { program, settings };
        // espeak-ng quietly falls back to its default voice for an unknown name, so the name is
        // checked against its own voice list.
        espeak.check_voice()?;
        Ok(espeak)
    }

    /// Names by which espeak-ng knows its voices (language, name, file and file's last part),
    /// lower-cased; `variants` lists the variants instead (`f3`, `klatt`, …).
    fn known_names(&self, variants: bool) -> Result<Vec<String>, VoiceError> {
        let arg = if variants { "--voices=variant" } else { "--voices" };
        let out = Command::new(&self.program).arg(arg).stdin(Stdio::null()).output()?;
        let text = String::from_utf8_lossy(&out.stdout);
        let mut names = Vec::new();
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            if cols.len() < 5 {
                continue;
            }
            let file = cols[4].trim_start_matches("!v/");
            for n in [cols[1], cols[3], file, file.rsplit('/').next().unwrap_or(file)] {
                names.push(n.to_lowercase());
            }
        }
        Ok(names)
    }

    fn check_voice(&self) -> Result<(), VoiceError> {
        let voices = self.known_names(false)?;
        if !voices.contains(&self.settings.voice.to_lowercase()) {
            return Err(VoiceError::Settings(format!(
                "espeak-ng has no voice `{}` (see `espeak-ng --voices`)",
                self.settings.voice
            )));
        }
        if let Some(v) = self.settings.variant.as_deref().filter(|v| !v.is_empty())
            && !self.known_names(true)?.contains(&v.to_lowercase())
        {
            return Err(VoiceError::Settings(format!(
                "espeak-ng has no voice variant `{v}` (see `espeak-ng --voices=variant`)"
            )));
        }
        Ok(())
    }

    pub fn settings(&self) -> &VoiceSettings {
        &self.settings
    }

    pub fn set_settings(&mut self, settings: VoiceSettings) -> Result<(), VoiceError> {
        settings.validate()?;
        self.settings = settings;
        Ok(())
    }

    fn voice_arg(&self) -> String {
        match &self.settings.variant {
            Some(v) if !v.is_empty() => format!("{}+{}", self.settings.voice, v),
            _ => self.settings.voice.clone(),
        }
    }

    /// Runs espeak-ng with the voice settings and `extra` arguments, `input` on stdin; returns
    /// stdout. Fails on a non-zero exit, on an error message from espeak-ng, or on a time-out.
    fn run(&self, extra: &[&str], input: &str) -> Result<Vec<u8>, VoiceError> {
        let mut child = Command::new(&self.program)
            .args([
                "-v",
                &self.voice_arg(),
                "-p",
                &self.settings.pitch.to_string(),
                "-s",
                &self.settings.speed_wpm.to_string(),
            ])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| VoiceError::EspeakMissing {
                program: self.program.display().to_string(),
                reason: e.to_string(),
            })?;
        if let Some(mut stdin) = child.stdin.take() {
            // A broken pipe here means espeak-ng died early; its exit status says why.
            let _ = stdin.write_all(input.as_bytes());
        }
        let mut stdout = child.stdout.take();
        let mut stderr = child.stderr.take();
        let reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(s) = stdout.as_mut() {
                let _ = s.read_to_end(&mut buf);
            }
            buf
        });
        let err_reader = std::thread::spawn(move || {
            let mut buf = String::new();
            if let Some(s) = stderr.as_mut() {
                let _ = s.read_to_string(&mut buf);
            }
            buf
        });
        let started = Instant::now();
        let status = loop {
            match child.try_wait()? {
                Some(status) => break status,
                None if started.elapsed() > RUN_TIMEOUT => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(VoiceError::EspeakFailed { reason: format!("no answer within {RUN_TIMEOUT:?}") });
                }
                None => std::thread::sleep(Duration::from_millis(1)),
            }
        };
        let out = reader.join().unwrap_or_default();
        let err = err_reader.join().unwrap_or_default();
        // espeak-ng exits 0 even for an unknown voice, but says so on stderr.
        if !status.success() || err.contains("Error") || err.contains("does not exist") {
            return Err(VoiceError::EspeakFailed {
                reason: format!("voice `{}`: exit {status}: {}", self.voice_arg(), err.trim()),
            });
        }
        Ok(out)
    }

    /// Synthesises one clause (no splitting) to PCM.
    pub fn synthesize_pcm(&self, text: &str) -> Result<Pcm, VoiceError> {
        let wav = self.run(&["--stdout", "-z"], text)?;
        parse_wav(&wav)
    }

    /// Phoneme mnemonics of each word, or `None` when they cannot be paired with the words.
    fn word_phonemes(&self, words: &[String]) -> Option<Vec<String>> {
        let input: String = words.iter().map(|w| format!("{w}\n")).collect();
        let out = self.run(&["-q", "-x"], &input).ok()?;
        let text = String::from_utf8_lossy(&out);
        let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        (lines.len() == words.len()).then(|| lines.into_iter().map(str::to_string).collect())
    }

    /// Word timings of one clause fitted to its audio.
    fn clause_timings(&self, clause: &str, pcm: &Pcm) -> Vec<WordTiming> {
        let words = timing::words(clause);
        let weights: Vec<f32> = match self.word_phonemes(&words) {
            Some(ph) => ph.iter().map(|p| timing::phoneme_weight(p)).collect(),
            None => {
                tracing::debug!(clause, "phonemes did not pair with words; using syllables");
                words.iter().map(|w| timing::syllable_weight(w)).collect()
            }
        };
        // Boundaries may move by up to a third of an average word to find the gap.
        let avg = pcm.duration() / words.len().max(1) as f32;
        timing::fit_words(&words, &weights, &pcm.samples, pcm.sample_rate, (avg * 1000.0 / 3.0).clamp(40.0, 150.0))
    }

    /// Synthesises a whole line, clause by clause; `on_clause` gets each clause's audio and
    /// timings (times from the clause start) as soon as it is ready, the first one early.
    pub fn synthesize_streaming(
        &self,
        text: &str,
        mut on_clause: impl FnMut(&Utterance),
    ) -> Result<Utterance, VoiceError> {
        let clauses = split_clauses(text);
        if clauses.is_empty() {
            return Err(VoiceError::EmptyText);
        }
        let mut all = Utterance { text: text.to_string(), audio: None, words: Vec::new() };
        let mut samples = Vec::new();
        let mut rate = 0;
        for clause in &clauses {
            let pcm = self.synthesize_pcm(clause)?;
            let words = self.clause_timings(clause, &pcm);
            let part = Utterance { text: clause.clone(), audio: Some(pcm), words };
            on_clause(&part);
            let Some(pcm) = part.audio else { continue };
            if rate == 0 {
                rate = pcm.sample_rate;
            }
            let offset = samples.len() as f32 / rate as f32;
            all.words.extend(part.words.into_iter().map(|w| WordTiming {
                start: w.start + offset,
                end: w.end + offset,
                ..w
            }));
            if pcm.sample_rate == rate {
                samples.extend(pcm.samples);
            }
        }
        all.audio = Some(Pcm { samples, sample_rate: rate });
        Ok(all)
    }

    /// Synthesises a whole line with word timings.
    pub fn synthesize(&self, text: &str) -> Result<Utterance, VoiceError> {
        self.synthesize_streaming(text, |_| {})
    }
}

/// Splits a line after sentence ends and clause punctuation (`, ; : . ! ?` and dashes), keeping
/// the punctuation so espeak-ng still gives each clause its intonation.
pub fn split_clauses(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        cur.push(c);
        let next_is_space = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        if matches!(c, ',' | ';' | ':' | '.' | '!' | '?' | '—' | '–') && next_is_space {
            if timing::words(&cur).is_empty() {
                continue;
            }
            out.push(cur.trim().to_string());
            cur.clear();
        }
    }
    if !timing::words(&cur).is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// Reads a 16-bit PCM WAV as written by `espeak-ng --stdout`. Its header claims a huge length
/// (it is written before the audio is known), so samples are read until the bytes run out.
pub fn parse_wav(bytes: &[u8]) -> Result<Pcm, VoiceError> {
    let reader = hound::WavReader::new(bytes)
        .map_err(|e| VoiceError::BadAudio(format!("espeak-ng output is not a WAV: {e}")))?;
    let spec = reader.spec();
    if spec.sample_format != hound::SampleFormat::Int || spec.bits_per_sample != 16 {
        return Err(VoiceError::BadAudio(format!(
            "espeak-ng wrote {}-bit {:?} audio; expected 16-bit integer PCM",
            spec.bits_per_sample, spec.sample_format
        )));
    }
    let channels = spec.channels.max(1) as usize;
    let raw: Vec<i16> = reader.into_samples::<i16>().map_while(Result::ok).collect();
    let samples = raw
        .chunks(channels)
        .map(|frame| frame.iter().map(|&s| s as f32 / 32768.0).sum::<f32>() / channels as f32)
        .collect();
    Ok(Pcm { samples, sample_rate: spec.sample_rate })
}

impl Synthesize for Espeak {
    fn synthesize(&mut self, text: &str) -> Result<Utterance, VoiceError> {
        Espeak::synthesize(self, text)
    }
    fn synthesize_streaming(
        &mut self,
        text: &str,
        on_clause: &mut dyn FnMut(&Utterance),
    ) -> Result<Utterance, VoiceError> {
        Espeak::synthesize_streaming(self, text, on_clause)
    }
    fn set_settings(&mut self, settings: VoiceSettings) -> Result<(), VoiceError> {
        Espeak::set_settings(self, settings)
    }
    fn settings(&self) -> VoiceSettings {
        Espeak::settings(self).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_keep_their_punctuation() {
        assert_eq!(
            split_clauses("Once upon a time, a dragon lived here. It was small!"),
            vec!["Once upon a time,", "a dragon lived here.", "It was small!"]
        );
        assert_eq!(split_clauses("3.5 apples"), vec!["3.5 apples"]);
        assert!(split_clauses(" ... ").is_empty());
    }

    #[test]
    fn synthesises_with_timings() {
        let e = Espeak::new(VoiceSettings::default()).expect("espeak-ng is installed on this machine");
        let u = e.synthesize("The little dragon flew over the mountain, and then it rained.").unwrap();
        let pcm = u.audio.as_ref().unwrap();
        assert_eq!(pcm.sample_rate, 22050);
        assert!(pcm.duration() > 1.5 && pcm.duration() < 8.0, "{}", pcm.duration());
        assert_eq!(u.words.len(), 11);
        assert_eq!(u.words[2].word, "dragon");
        for w in u.words.windows(2) {
            assert!(w[0].start <= w[0].end && w[0].end <= w[1].start + 1e-4, "{:?}", u.words);
        }
        assert!(u.words.last().unwrap().end <= pcm.duration() + 1e-3);
    }

    #[test]
    fn unknown_voice_is_a_clear_error() {
        let s = VoiceSettings { voice: "no-such-voice".into(), ..VoiceSettings::default() };
        let err = Espeak::new(s).unwrap_err().to_string();
        assert!(err.contains("no-such-voice"), "{err}");
    }

    #[test]
    fn known_voices_and_variants_are_accepted() {
        for (voice, variant) in [("en-us", None), ("en-gb", Some("f3")), ("gmw/en", Some("klatt"))] {
            let s = VoiceSettings { voice: voice.into(), variant: variant.map(Into::into), ..VoiceSettings::default() };
            assert!(Espeak::new(s).is_ok(), "{voice} {variant:?}");
        }
        let s = VoiceSettings { variant: Some("nosuch".into()), ..VoiceSettings::default() };
        assert!(Espeak::new(s).unwrap_err().to_string().contains("nosuch"));
    }

    #[test]
    fn missing_program_is_a_clear_error() {
        let err =
            Espeak::with_program("/nonexistent/espeak-ng".into(), VoiceSettings::default()).unwrap_err().to_string();
        assert!(err.contains("/nonexistent/espeak-ng"), "{err}");
    }

    #[test]
    fn garbage_is_not_a_wav() {
        assert!(parse_wav(b"not a wav at all").is_err());
    }
}
