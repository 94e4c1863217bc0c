//! Writes whisper.cpp's ggml model files, the layout that [`campfire_voice::ggml`] reads and checks.

use campfire_voice::ggml::{GGML_MAGIC, GgmlType, Hparams};
use half::f16;
use std::io::Write;

/// Writes a whisper ggml model in the order whisper.cpp reads it. Call [`GgmlWriter::tensor`]
/// once per [`campfire_voice::ggml::expected_tensors`] entry, then [`GgmlWriter::finish`].
pub struct GgmlWriter<W: Write> {
    out: W,
    hparams: Hparams,
}

impl<W: Write> GgmlWriter<W> {
    /// Writes the header: magic, hparams, the `n_mel x n_fft` mel filters (row-major) and the
    /// byte strings of the vocabulary.
    pub fn new(
        mut out: W,
        hparams: Hparams,
        mel_filters: &[f32],
        n_fft: usize,
        vocab: &[Vec<u8>],
    ) -> std::io::Result<Self> {
        let invalid = |m: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, m);
        if mel_filters.len() != hparams.n_mels as usize * n_fft {
            return Err(invalid(format!("{} mel filter weights for {} x {n_fft}", mel_filters.len(), hparams.n_mels)));
        }
        out.write_all(&GGML_MAGIC.to_le_bytes())?;
        for v in hparams.to_array() {
            out.write_all(&v.to_le_bytes())?;
        }
        out.write_all(&hparams.n_mels.to_le_bytes())?;
        out.write_all(&(n_fft as i32).to_le_bytes())?;
        for v in mel_filters {
            out.write_all(&v.to_le_bytes())?;
        }
        out.write_all(&(vocab.len() as i32).to_le_bytes())?;
        for token in vocab {
            out.write_all(&(token.len() as i32).to_le_bytes())?;
            out.write_all(token)?;
        }
        Ok(Self { out, hparams })
    }

    pub fn hparams(&self) -> &Hparams {
        &self.hparams
    }

    /// Writes one tensor. `ne` is the ggml extents (innermost first) as in [`TensorSpec`]; the
    /// data is row-major over the reversed extents (a C-contiguous PyTorch tensor), converted
    /// to `ty` (f32 or f16).
    pub fn tensor(&mut self, name: &str, ne: &[i64], ty: GgmlType, data: &[f32]) -> std::io::Result<()> {
        let n: i64 = ne.iter().product();
        if n as usize != data.len() || ne.is_empty() || ne.len() > 3 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("tensor {name}: {} values for extents {ne:?}", data.len()),
            ));
        }
        self.out.write_all(&(ne.len() as i32).to_le_bytes())?;
        self.out.write_all(&(name.len() as i32).to_le_bytes())?;
        self.out.write_all(&ty.id().to_le_bytes())?;
        for &d in ne {
            self.out.write_all(&(d as i32).to_le_bytes())?;
        }
        self.out.write_all(name.as_bytes())?;
        let mut buf = Vec::with_capacity(data.len() * 4);
        match ty {
            GgmlType::F32 => data.iter().for_each(|v| buf.extend_from_slice(&v.to_le_bytes())),
            GgmlType::F16 => data.iter().for_each(|v| buf.extend_from_slice(&f16::from_f32(*v).to_le_bytes())),
            GgmlType::Q8_0 => {
                if ne[0] % 32 != 0 {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidInput,
                        format!("tensor {name}: rows of {} do not split into blocks of 32", ne[0]),
                    ));
                }
                data.chunks_exact(32).for_each(|block| quantize_q8_0(block, &mut buf));
            }
            other => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::Unsupported,
                    format!("writing {other:?} tensors is not supported"),
                ));
            }
        }
        self.out.write_all(&buf)
    }

    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// One ggml `block_q8_0`: an f16 scale `d = max|x| / 127`, then 32 values `round(x / d)` as
/// i8 (as ggml's `quantize_row_q8_0_ref`).
fn quantize_q8_0(block: &[f32], out: &mut Vec<u8>) {
    let amax = block.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let d = amax / 127.0;
    let id = if d > 0.0 { 1.0 / d } else { 0.0 };
    out.extend_from_slice(&f16::from_f32(d).to_le_bytes());
    out.extend(block.iter().map(|v| (v * id).round() as i8 as u8));
}

#[cfg(test)]
mod tests {
    use super::*;
    use campfire_voice::ggml::{GgmlError, expected_tensors, inspect};
    use std::fs::File;
    use std::path::{Path, PathBuf};

    fn small(ftype: i32) -> Hparams {
        Hparams {
            n_vocab: 40,
            n_audio_ctx: 6,
            n_audio_state: 32,
            n_audio_head: 2,
            n_audio_layer: 1,
            n_text_ctx: 5,
            n_text_state: 32,
            n_text_head: 2,
            n_text_layer: 2,
            n_mels: 3,
            ftype,
        }
    }

    /// Writes a complete model of `h` (ramp values) and returns its path.
    fn write_model(dir: &Path, h: Hparams, name: &str) -> PathBuf {
        let path = dir.join(name);
        let file = File::create(&path).expect("create");
        let vocab: Vec<Vec<u8>> = (0..30u8).map(|i| vec![b'a' + i % 26; 1 + i as usize % 3]).collect();
        let mut w =
            GgmlWriter::new(std::io::BufWriter::new(file), h, &vec![0.5; 3 * 201], 201, &vocab).expect("header");
        for t in expected_tensors(&h).expect("known ftype") {
            let n: i64 = t.ne.iter().product();
            let data: Vec<f32> = (0..n).map(|i| (i % 17) as f32 / 17.0 - 0.5).collect();
            let dims = t.ne.iter().rposition(|&d| d != 1).map_or(1, |i| i + 1);
            w.tensor(&t.name, &t.ne[..dims], t.ty, &data).expect("tensor");
        }
        w.finish().expect("flush");
        path
    }

    #[test]
    fn written_models_pass_inspection_in_every_weight_type() {
        let dir = tempfile::tempdir().expect("temp dir");
        for ftype in [0, 1, 7] {
            let h = small(ftype);
            let path = write_model(dir.path(), h, &format!("m{ftype}.bin"));
            let s = inspect(&path).expect("a written model is valid");
            assert_eq!(s.hparams, h);
            assert_eq!(s.n_tensors, expected_tensors(&h).expect("known").len());
            assert_eq!(s.n_vocab_tokens, 30);
        }
    }

    #[test]
    fn q8_0_blocks_hold_scale_and_rounded_values() {
        let mut block = [0.0f32; 32];
        block[0] = 1.27;
        block[1] = -0.635;
        let mut out = Vec::new();
        quantize_q8_0(&block, &mut out);
        assert_eq!(out.len(), 34);
        let d = f16::from_le_bytes([out[0], out[1]]).to_f32();
        assert!((d - 0.01).abs() < 1e-5, "{d}");
        assert_eq!(out[2] as i8, 127);
        assert_eq!(out[3] as i8, -64);
        // An all-zero block must not divide by zero.
        let mut out = Vec::new();
        quantize_q8_0(&[0.0; 32], &mut out);
        assert!(out[2..].iter().all(|&b| b == 0));
    }

    #[test]
    fn a_model_missing_a_tensor_is_rejected_by_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        let h = small(1);
        let path = dir.path().join("missing.bin");
        let file = File::create(&path).expect("create");
        let mut w = GgmlWriter::new(file, h, &vec![0.0; 3 * 201], 201, &[]).expect("header");
        for t in expected_tensors(&h).expect("known").iter().skip(1) {
            let n: i64 = t.ne.iter().product();
            let dims = t.ne.iter().rposition(|&d| d != 1).map_or(1, |i| i + 1);
            w.tensor(&t.name, &t.ne[..dims], t.ty, &vec![0.0; n as usize]).expect("tensor");
        }
        w.finish().expect("flush");
        let err = inspect(&path).unwrap_err();
        assert!(matches!(err, GgmlError::MissingTensors { .. }), "{err}");
        assert!(err.to_string().contains("encoder.positional_embedding"), "{err}");
    }
}
