//! The non-weight parts of a whisper ggml file: the mel filter bank and the byte vocabulary.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use base64::Engine as _;

#[derive(Debug, thiserror::Error)]
pub enum AssetError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {what}")]
    Invalid { path: PathBuf, what: String },
}

fn invalid(path: &Path, what: impl Into<String>) -> AssetError {
    AssetError::Invalid { path: path.to_path_buf(), what: what.into() }
}

/// Sample rate, FFT size and bin count of whisper's log-mel front end.
pub const SAMPLE_RATE: f64 = 16_000.0;
pub const N_FFT: usize = 400;
pub const N_FREQ: usize = N_FFT / 2 + 1;

/// A mel filter bank, `n_mels` rows of `n_freq` weights.
#[derive(Debug, Clone, PartialEq)]
pub struct MelFilters {
    pub n_mels: usize,
    pub n_freq: usize,
    pub data: Vec<f32>,
}

impl MelFilters {
    /// Reads `mel_<n_mels>` from openai-whisper's `whisper/assets/mel_filters.npz`.
    pub fn from_npz(path: &Path, n_mels: usize) -> Result<Self, AssetError> {
        let file = std::fs::File::open(path).map_err(|source| AssetError::Io { path: path.to_path_buf(), source })?;
        let mut zip =
            zip::ZipArchive::new(file).map_err(|e| invalid(path, format!("not a .npz (zip) archive: {e}")))?;
        let entry = format!("mel_{n_mels}.npy");
        let mut npy = Vec::new();
        zip.by_name(&entry)
            .map_err(|e| invalid(path, format!("no `{entry}` in the archive: {e}")))?
            .read_to_end(&mut npy)
            .map_err(|e| invalid(path, format!("cannot inflate `{entry}`: {e}")))?;
        let (shape, data) = parse_npy(&npy).map_err(|w| invalid(path, format!("{entry}: {w}")))?;
        if shape != [n_mels, N_FREQ] {
            return Err(invalid(path, format!("{entry} has shape {shape:?}, expected [{n_mels}, {N_FREQ}]")));
        }
        Ok(Self { n_mels, n_freq: N_FREQ, data })
    }

    /// The same filter bank computed as openai-whisper made it: `librosa.filters.mel(sr=16000,
    /// n_fft=400, n_mels)` with Slaney's mel scale and area normalisation, in f64 then rounded
    /// to f32.
    pub fn compute(n_mels: usize) -> Self {
        let freqs: Vec<f64> = (0..N_FREQ).map(|i| i as f64 * (SAMPLE_RATE / 2.0) / (N_FREQ - 1) as f64).collect();
        let (lo, hi) = (hz_to_mel(0.0), hz_to_mel(SAMPLE_RATE / 2.0));
        let mel_f: Vec<f64> =
            (0..n_mels + 2).map(|i| mel_to_hz(lo + (hi - lo) * i as f64 / (n_mels + 1) as f64)).collect();
        let mut data = Vec::with_capacity(n_mels * N_FREQ);
        for m in 0..n_mels {
            let (left, centre, right) = (mel_f[m], mel_f[m + 1], mel_f[m + 2]);
            let enorm = 2.0 / (right - left);
            for &f in &freqs {
                let lower = (f - left) / (centre - left);
                let upper = (right - f) / (right - centre);
                data.push((lower.min(upper).max(0.0) * enorm) as f32);
            }
        }
        Self { n_mels, n_freq: N_FREQ, data }
    }
}

/// Slaney's mel scale (librosa's default): linear below 1 kHz, logarithmic above.
fn hz_to_mel(f: f64) -> f64 {
    let f_sp = 200.0 / 3.0;
    let (min_log_hz, logstep) = (1000.0, (6.4f64).ln() / 27.0);
    if f >= min_log_hz { min_log_hz / f_sp + (f / min_log_hz).ln() / logstep } else { f / f_sp }
}

fn mel_to_hz(m: f64) -> f64 {
    let f_sp = 200.0 / 3.0;
    let (min_log_hz, logstep) = (1000.0, (6.4f64).ln() / 27.0);
    let min_log_mel = min_log_hz / f_sp;
    if m >= min_log_mel { min_log_hz * (logstep * (m - min_log_mel)).exp() } else { f_sp * m }
}

/// Parses a little-endian, C-ordered `.npy` array of f4 or f8.
fn parse_npy(b: &[u8]) -> Result<(Vec<usize>, Vec<f32>), String> {
    if b.len() < 10 || &b[..6] != b"\x93NUMPY" {
        return Err("not a .npy array".into());
    }
    let (header_len, start) = match b[6] {
        1 => (u16::from_le_bytes([b[8], b[9]]) as usize, 10),
        2 | 3 if b.len() >= 12 => (u32::from_le_bytes([b[8], b[9], b[10], b[11]]) as usize, 12),
        v => return Err(format!("unsupported .npy version {v}")),
    };
    let header =
        b.get(start..start + header_len).and_then(|h| std::str::from_utf8(h).ok()).ok_or("truncated .npy header")?;
    let field = |key: &str| -> Option<&str> {
        let at = header.find(&format!("'{key}'"))? + key.len() + 2;
        let rest = header[at..].trim_start().strip_prefix(':')?.trim_start();
        Some(rest)
    };
    let descr = field("descr").ok_or("no descr in .npy header")?;
    let width = if descr.starts_with("'<f4'") {
        4
    } else if descr.starts_with("'<f8'") {
        8
    } else {
        return Err(format!("unsupported dtype {}", descr.split(',').next().unwrap_or(descr)));
    };
    if field("fortran_order").is_some_and(|v| v.starts_with("True")) {
        return Err("Fortran-ordered arrays are not supported".into());
    }
    let shape_src = field("shape").ok_or("no shape in .npy header")?;
    let inner =
        shape_src.strip_prefix('(').and_then(|s| s.split(')').next()).ok_or("malformed shape in .npy header")?;
    let shape = inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<usize>().map_err(|_| format!("bad extent `{s}`")))
        .collect::<Result<Vec<_>, _>>()?;
    let n: usize = shape.iter().product();
    let body = &b[start + header_len..];
    if body.len() != n * width {
        return Err(format!("{} data bytes for shape {shape:?}", body.len()));
    }
    let data = if width == 4 {
        body.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
    } else {
        body.chunks_exact(8).map(|c| f64::from_le_bytes(c.try_into().expect("chunk of 8")) as f32).collect()
    };
    Ok((shape, data))
}

/// The text tokens of a GPT-2 style vocabulary as raw bytes, by id, read from openai-whisper's
/// `gpt2.tiktoken` (`base64 rank` per line). This is what `convert-pt-to-ggml.py` writes; the
/// special tokens after them are implied by `n_vocab` and added by whisper.cpp.
pub fn vocab_from_tiktoken(path: &Path) -> Result<Vec<Vec<u8>>, AssetError> {
    let text = std::fs::read_to_string(path).map_err(|source| AssetError::Io { path: path.to_path_buf(), source })?;
    let mut tokens: Vec<Option<Vec<u8>>> = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let mut parts = line.split_whitespace();
        let (Some(b64), Some(rank), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(invalid(path, format!("line {}: expected `<base64> <rank>`", i + 1)));
        };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| invalid(path, format!("line {}: bad base64: {e}", i + 1)))?;
        let rank: usize = rank.parse().map_err(|_| invalid(path, format!("line {}: bad rank `{rank}`", i + 1)))?;
        if rank > 1 << 20 {
            return Err(invalid(path, format!("line {}: rank {rank} is too large", i + 1)));
        }
        if tokens.len() <= rank {
            tokens.resize(rank + 1, None);
        }
        tokens[rank] = Some(bytes);
    }
    let n = tokens.len();
    tokens
        .into_iter()
        .enumerate()
        .map(|(i, t)| t.ok_or_else(|| invalid(path, format!("rank {i} of 0..{n} is missing"))))
        .collect()
}

/// The same text tokens read from a CTranslate2 `vocabulary.txt` (one byte-level BPE token per
/// line, GPT-2's byte-to-unicode mapping), up to the first special token `<|endoftext|>`.
pub fn vocab_from_ct2(path: &Path) -> Result<Vec<Vec<u8>>, AssetError> {
    let text = std::fs::read_to_string(path).map_err(|source| AssetError::Io { path: path.to_path_buf(), source })?;
    let decoder: HashMap<char, u8> = bytes_to_unicode().into_iter().map(|(b, c)| (c, b)).collect();
    let mut tokens = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line == "<|endoftext|>" {
            return Ok(tokens);
        }
        let bytes = line
            .chars()
            .map(|c| decoder.get(&c).copied())
            .collect::<Option<Vec<u8>>>()
            .ok_or_else(|| invalid(path, format!("line {}: `{line}` is not a byte-level BPE token", i + 1)))?;
        tokens.push(bytes);
    }
    Err(invalid(path, "no <|endoftext|> token: not a Whisper/GPT-2 vocabulary"))
}

/// GPT-2's reversible map from bytes to printable characters (`bytes_to_unicode` in
/// openai/gpt-2 `encoder.py`): printable Latin-1 bytes map to themselves, the rest to 256+n.
fn bytes_to_unicode() -> Vec<(u8, char)> {
    let printable = |b: u8| (b'!'..=b'~').contains(&b) || (0xA1..=0xAC).contains(&b) || b >= 0xAE;
    let mut n = 0u32;
    (0..=255u8)
        .map(|b| {
            if printable(b) {
                (b, char::from(b))
            } else {
                let c = char::from_u32(256 + n).expect("valid code point");
                n += 1;
                (b, c)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slaney_mel_scale_round_trips_and_filters_have_unit_area_shape() {
        for f in [0.0, 500.0, 1000.0, 4000.0, 8000.0] {
            assert!((mel_to_hz(hz_to_mel(f)) - f).abs() < 1e-6, "{f}");
        }
        let m = MelFilters::compute(80);
        assert_eq!(m.data.len(), 80 * N_FREQ);
        // Every filter has some weight and none is negative.
        for row in m.data.chunks(N_FREQ) {
            assert!(row.iter().all(|&w| w >= 0.0));
            assert!(row.iter().any(|&w| w > 0.0));
        }
    }

    #[test]
    fn byte_level_bpe_characters_decode_to_bytes() {
        let map: HashMap<u8, char> = bytes_to_unicode().into_iter().collect();
        assert_eq!(map[&b' '], 'Ġ');
        assert_eq!(map[&b'\n'], 'Ċ');
        assert_eq!(map[&b'a'], 'a');
    }

    #[test]
    fn npy_header_is_parsed() {
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        let mut b = b"\x93NUMPY\x01\x00".to_vec();
        b.extend_from_slice(&(header.len() as u16).to_le_bytes());
        b.extend_from_slice(header.as_bytes());
        for v in 0..6 {
            b.extend_from_slice(&(v as f32).to_le_bytes());
        }
        let (shape, data) = parse_npy(&b).expect("valid npy");
        assert_eq!(shape, vec![2, 3]);
        assert_eq!(data[5], 5.0);
        assert!(parse_npy(&b[..b.len() - 1]).is_err());
    }
}
