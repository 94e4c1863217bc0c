//! Plain audio helpers shared by recognition and synthesis: sample-rate conversion and WAV
//! reading.

use std::path::{Path, PathBuf};

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler};

/// The sample rate whisper (and the rest of the recogniser) works at.
pub const WHISPER_SAMPLE_RATE: u32 = 16_000;

#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("cannot read WAV file {path}: {source}")]
    Wav { path: PathBuf, source: hound::Error },
    #[error("{path}: {what}")]
    Unsupported { path: PathBuf, what: String },
}

/// Resamples mono audio from `from_hz` to `to_hz`.
///
/// Uses rubato's synchronous FFT resampler (band-limited, with anti-aliasing), which is exact for
/// integer rate pairs such as 22050 → 16000 and processes a whole clip in one call with the
/// filter delay trimmed, so the output is aligned with the input and has
/// `ceil(len * to / from)` samples. Equal rates or empty input return a copy; a zero rate
/// returns nothing (and logs an error) rather than panicking.
pub fn resample(samples: &[f32], from_hz: u32, to_hz: u32) -> Vec<f32> {
    if from_hz == to_hz || samples.is_empty() {
        return samples.to_vec();
    }
    let resampled = (|| {
        let mut r =
            Fft::<f32>::new(from_hz as usize, to_hz as usize, 1024, 1, FixedSync::Input).map_err(|e| e.to_string())?;
        let input = InterleavedSlice::new(samples, 1, samples.len()).map_err(|e| e.to_string())?;
        let out = r.process_all(&input, samples.len(), None).map_err(|e| e.to_string())?;
        Ok::<_, String>(out.take_data())
    })();
    resampled.unwrap_or_else(|e| {
        tracing::error!(from_hz, to_hz, "cannot resample: {e}");
        Vec::new()
    })
}

/// A decoded WAV file: mono samples in [-1, 1] and their rate.
#[derive(Debug, Clone)]
pub struct Wav {
    pub samples: Vec<f32>,
    pub sample_rate: u32,
}

/// Reads a PCM (8/16/24/32-bit integer or 32-bit float) WAV file, averaging channels to mono.
pub fn read_wav(path: &Path) -> Result<Wav, AudioError> {
    let wav_err = |source| AudioError::Wav { path: path.to_path_buf(), source };
    let reader = hound::WavReader::open(path).map_err(wav_err)?;
    let spec = reader.spec();
    if spec.channels == 0 || spec.sample_rate == 0 {
        return Err(AudioError::Unsupported {
            path: path.to_path_buf(),
            what: format!("{} channels at {} Hz", spec.channels, spec.sample_rate),
        });
    }
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader.into_samples::<f32>().collect::<Result<_, _>>().map_err(wav_err)?,
        hound::SampleFormat::Int => {
            if !(1..=32).contains(&spec.bits_per_sample) {
                return Err(AudioError::Unsupported {
                    path: path.to_path_buf(),
                    what: format!("{}-bit samples", spec.bits_per_sample),
                });
            }
            let scale = 1.0 / (1u64 << (spec.bits_per_sample - 1)) as f32;
            reader
                .into_samples::<i32>()
                .map(|s| s.map(|v| v as f32 * scale))
                .collect::<Result<_, _>>()
                .map_err(wav_err)?
        }
    };
    let ch = spec.channels as usize;
    let samples = interleaved.chunks_exact(ch).map(|f| f.iter().sum::<f32>() / ch as f32).collect();
    Ok(Wav { samples, sample_rate: spec.sample_rate })
}

/// Reads a WAV file as 16 kHz mono, ready for [`crate::transcribe::Transcriber`].
pub fn read_wav_16k(path: &Path) -> Result<Vec<f32>, AudioError> {
    let wav = read_wav(path)?;
    Ok(resample(&wav.samples, wav.sample_rate, WHISPER_SAMPLE_RATE))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(freq: f32, rate: u32, secs: f32) -> Vec<f32> {
        let n = (rate as f32 * secs) as usize;
        (0..n).map(|i| (2.0 * std::f32::consts::PI * freq * i as f32 / rate as f32).sin()).collect()
    }

    /// Zero crossings per second, a crude but robust frequency estimate.
    fn crossings_per_sec(x: &[f32], rate: u32) -> f32 {
        let c = x.windows(2).filter(|w| (w[0] < 0.0) != (w[1] < 0.0)).count();
        c as f32 / 2.0 / (x.len() as f32 / rate as f32)
    }

    #[test]
    fn resampling_keeps_length_pitch_and_alignment() {
        let x = sine(440.0, 22_050, 1.0);
        let y = resample(&x, 22_050, 16_000);
        assert_eq!(y.len(), 16_000);
        let f = crossings_per_sec(&y[800..15_200], 16_000);
        assert!((f - 440.0).abs() < 3.0, "estimated {f} Hz");
        // The filter delay is trimmed: the output follows the input to within a fraction of a
        // sample (one sample of misalignment would show as a 0.17 deviation at 440 Hz).
        let expect = sine(440.0, 16_000, 1.0);
        let err = y[1000..15_000].iter().zip(&expect[1000..15_000]).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
        assert!(err < 0.1, "max deviation {err}");
    }

    #[test]
    fn content_above_the_new_nyquist_is_removed() {
        // 10 kHz cannot exist at 16 kHz; it must not alias down to 6 kHz.
        let y = resample(&sine(10_000.0, 44_100, 0.5), 44_100, 16_000);
        let rms = (y[500..7500].iter().map(|v| v * v).sum::<f32>() / 7000.0).sqrt();
        assert!(rms < 0.01, "rms {rms}");
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        assert!(resample(&[], 22_050, 16_000).is_empty());
        assert_eq!(resample(&[0.5, 0.25], 16_000, 16_000), vec![0.5, 0.25]);
        assert!(resample(&[0.5; 100], 0, 16_000).is_empty());
        assert_eq!(resample(&[0.1; 10], 22_050, 16_000).len(), 8);
    }

    #[test]
    fn wav_round_trip_mixes_to_mono() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("stereo.wav");
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 8000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&path, spec).expect("create wav");
        for _ in 0..10 {
            w.write_sample(16384i16).expect("write");
            w.write_sample(0i16).expect("write");
        }
        w.finalize().expect("finalize");
        let wav = read_wav(&path).expect("read back");
        assert_eq!(wav.sample_rate, 8000);
        assert_eq!(wav.samples.len(), 10);
        assert!((wav.samples[0] - 0.25).abs() < 1e-6);
        let err = read_wav(&dir.path().join("missing.wav")).unwrap_err();
        assert!(err.to_string().contains("missing.wav"));
    }
}
