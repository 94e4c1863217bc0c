//! The whisper.cpp ggml model file: its layout and a validator (the writer is in `campfire-convert`).
//!
//! Layout (all integers little-endian `i32`, as whisper.cpp's `convert-pt-to-ggml.py` writes it
//! and `whisper_model_load` reads it):
//!
//! 1. magic `0x67676d6c` ("ggml");
//! 2. [`Hparams`]: eleven integers, `ftype` last;
//! 3. mel filters: `n_mel`, `n_fft`, then `n_mel * n_fft` `f32`;
//! 4. vocabulary: a count, then per token its byte length and bytes;
//! 5. tensors until the end of the file: `n_dims`, name length, ggml type, `n_dims` extents
//!    innermost first (the reverse of the PyTorch shape), the name, then the raw data.
//!
//! whisper.cpp checks little of this before it trusts it (a short file is read past its end,
//! extents index a four-element array, a file with no tensors loads as an "empty model"), and a
//! few bad values make it abort the process. [`inspect`] therefore walks the whole file against
//! [`expected_tensors`] first, so that a bad model is a typed error naming the file.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// "ggml" as whisper.cpp reads it: the first four bytes of the file as a little-endian `u32`.
pub const GGML_MAGIC: u32 = 0x6767_6d6c;

/// Model dimensions, in the order they appear in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hparams {
    pub n_vocab: i32,
    pub n_audio_ctx: i32,
    pub n_audio_state: i32,
    pub n_audio_head: i32,
    pub n_audio_layer: i32,
    pub n_text_ctx: i32,
    pub n_text_state: i32,
    pub n_text_head: i32,
    pub n_text_layer: i32,
    pub n_mels: i32,
    /// ggml file type of the large matrices (0 all f32, 1 mostly f16, others quantised); a
    /// quantisation version may be folded in as `version * 1000 + ftype`.
    pub ftype: i32,
}

impl Hparams {
    /// The eleven values in file order.
    pub fn to_array(self) -> [i32; 11] {
        [
            self.n_vocab,
            self.n_audio_ctx,
            self.n_audio_state,
            self.n_audio_head,
            self.n_audio_layer,
            self.n_text_ctx,
            self.n_text_state,
            self.n_text_head,
            self.n_text_layer,
            self.n_mels,
            self.ftype,
        ]
    }

    fn from_array(a: [i32; 11]) -> Self {
        Self {
            n_vocab: a[0],
            n_audio_ctx: a[1],
            n_audio_state: a[2],
            n_audio_head: a[3],
            n_audio_layer: a[4],
            n_text_ctx: a[5],
            n_text_state: a[6],
            n_text_head: a[7],
            n_text_layer: a[8],
            n_mels: a[9],
            ftype: a[10],
        }
    }

    /// Whisper's name for this size ("tiny", "base", ...), with ".en" for English-only models.
    pub fn model_name(&self) -> String {
        let size = match self.n_audio_layer {
            4 => "tiny",
            6 => "base",
            12 => "small",
            24 => "medium",
            32 => "large",
            _ => "unknown",
        };
        // The multilingual vocabularies have 51865 (or 51866 for large-v3) entries.
        if self.n_vocab < 51865 { format!("{size}.en") } else { size.to_string() }
    }

    /// Type of the large matrices, from `ftype` (the quantisation version is ignored).
    pub fn weight_type(&self) -> Option<GgmlType> {
        match self.ftype % 1000 {
            0 => Some(GgmlType::F32),
            1 => Some(GgmlType::F16),
            2 => Some(GgmlType::Q4_0),
            3 => Some(GgmlType::Q4_1),
            7 => Some(GgmlType::Q8_0),
            8 => Some(GgmlType::Q5_0),
            9 => Some(GgmlType::Q5_1),
            _ => None,
        }
    }

    /// Type of the convolution kernels: f32 in f32 models, f16 otherwise (never quantised).
    pub fn conv_type(&self) -> Option<GgmlType> {
        self.weight_type().map(|t| if t == GgmlType::F32 { GgmlType::F32 } else { GgmlType::F16 })
    }
}

/// The ggml tensor types a whisper model file may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GgmlType {
    F32,
    F16,
    Q4_0,
    Q4_1,
    Q5_0,
    Q5_1,
    Q8_0,
}

impl GgmlType {
    /// The id ggml writes in tensor headers (`enum ggml_type`).
    pub fn id(self) -> i32 {
        match self {
            GgmlType::F32 => 0,
            GgmlType::F16 => 1,
            GgmlType::Q4_0 => 2,
            GgmlType::Q4_1 => 3,
            GgmlType::Q5_0 => 6,
            GgmlType::Q5_1 => 7,
            GgmlType::Q8_0 => 8,
        }
    }

    pub fn from_id(id: i32) -> Option<Self> {
        [GgmlType::F32, GgmlType::F16, GgmlType::Q4_0, GgmlType::Q4_1, GgmlType::Q5_0, GgmlType::Q5_1, GgmlType::Q8_0]
            .into_iter()
            .find(|t| t.id() == id)
    }

    /// Bytes taken by `n` elements; quantised types store blocks of 32.
    pub fn bytes_for(self, n: u64) -> Option<u64> {
        let (block, block_bytes) = match self {
            GgmlType::F32 => (1, 4),
            GgmlType::F16 => (1, 2),
            GgmlType::Q4_0 => (32, 18),
            GgmlType::Q4_1 => (32, 20),
            GgmlType::Q5_0 => (32, 22),
            GgmlType::Q5_1 => (32, 24),
            GgmlType::Q8_0 => (32, 34),
        };
        n.is_multiple_of(block).then(|| n / block * block_bytes)
    }
}

/// One tensor whisper.cpp creates for a model: its name, ggml extents (innermost first, padded
/// with 1) and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensorSpec {
    pub name: String,
    pub ne: [i64; 3],
    pub ty: GgmlType,
}

/// Every tensor `whisper_model_load` creates for these hparams, in its order. Returns `None`
/// for an unknown `ftype`.
pub fn expected_tensors(h: &Hparams) -> Option<Vec<TensorSpec>> {
    let w = h.weight_type()?;
    let v = h.conv_type()?;
    let f = GgmlType::F32;
    let (a, t) = (h.n_audio_state as i64, h.n_text_state as i64);
    let mut out = Vec::new();
    let mut push = |name: String, ne: [i64; 3], ty: GgmlType| out.push(TensorSpec { name, ne, ty });

    push("encoder.positional_embedding".into(), [a, h.n_audio_ctx as i64, 1], f);
    push("encoder.conv1.weight".into(), [3, h.n_mels as i64, a], v);
    push("encoder.conv1.bias".into(), [1, a, 1], f);
    push("encoder.conv2.weight".into(), [3, a, a], v);
    push("encoder.conv2.bias".into(), [1, a, 1], f);
    push("encoder.ln_post.weight".into(), [a, 1, 1], f);
    push("encoder.ln_post.bias".into(), [a, 1, 1], f);
    for i in 0..h.n_audio_layer {
        let p = format!("encoder.blocks.{i}");
        block_tensors(&mut push, &p, "attn", a, w, true);
    }
    push("decoder.positional_embedding".into(), [t, h.n_text_ctx as i64, 1], f);
    push("decoder.token_embedding.weight".into(), [t, h.n_vocab as i64, 1], w);
    push("decoder.ln.weight".into(), [t, 1, 1], f);
    push("decoder.ln.bias".into(), [t, 1, 1], f);
    for i in 0..h.n_text_layer {
        let p = format!("decoder.blocks.{i}");
        block_tensors(&mut push, &p, "attn", t, w, true);
        block_tensors(&mut push, &p, "cross_attn", t, w, false);
    }
    Some(out)
}

/// The attention (and, with `mlp`, the feed-forward) tensors of one residual block.
fn block_tensors(
    push: &mut impl FnMut(String, [i64; 3], GgmlType),
    prefix: &str,
    attn: &str,
    d: i64,
    w: GgmlType,
    mlp: bool,
) {
    let f = GgmlType::F32;
    if mlp {
        push(format!("{prefix}.mlp_ln.weight"), [d, 1, 1], f);
        push(format!("{prefix}.mlp_ln.bias"), [d, 1, 1], f);
        push(format!("{prefix}.mlp.0.weight"), [d, 4 * d, 1], w);
        push(format!("{prefix}.mlp.0.bias"), [4 * d, 1, 1], f);
        push(format!("{prefix}.mlp.2.weight"), [4 * d, d, 1], w);
        push(format!("{prefix}.mlp.2.bias"), [d, 1, 1], f);
    }
    push(format!("{prefix}.{attn}_ln.weight"), [d, 1, 1], f);
    push(format!("{prefix}.{attn}_ln.bias"), [d, 1, 1], f);
    push(format!("{prefix}.{attn}.query.weight"), [d, d, 1], w);
    push(format!("{prefix}.{attn}.query.bias"), [d, 1, 1], f);
    // whisper has no key bias: a bias on the keys adds the same q·b to every logit of a row,
    // which the softmax cancels.
    push(format!("{prefix}.{attn}.key.weight"), [d, d, 1], w);
    push(format!("{prefix}.{attn}.value.weight"), [d, d, 1], w);
    push(format!("{prefix}.{attn}.value.bias"), [d, 1, 1], f);
    push(format!("{prefix}.{attn}.out.weight"), [d, d, 1], w);
    push(format!("{prefix}.{attn}.out.bias"), [d, 1, 1], f);
}

/// Why a file is not a whisper model whisper.cpp can load.
#[derive(Debug, thiserror::Error)]
pub enum GgmlError {
    #[error("cannot read whisper model {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "{path} is not a whisper ggml model: expected the magic 0x67676d6c (\"ggml\") at byte 0, \
         found {found:#010x}"
    )]
    BadMagic { path: PathBuf, found: u32 },
    #[error(
        "{path} is truncated: {what} needs bytes up to {needed} but the file has {len} bytes \
         (an interrupted download or conversion? re-run scripts/setup-whisper.sh)"
    )]
    Truncated { path: PathBuf, what: String, needed: u64, len: u64 },
    #[error("{path} is not a valid whisper ggml model: {what}")]
    Invalid { path: PathBuf, what: String },
    #[error("{path} lacks {count} tensor(s) whisper.cpp needs, first `{first}`")]
    MissingTensors { path: PathBuf, count: usize, first: String },
}

/// What [`inspect`] found in a valid model file.
#[derive(Debug, Clone)]
pub struct ModelSummary {
    pub hparams: Hparams,
    pub n_mel: i32,
    pub n_fft: i32,
    pub n_vocab_tokens: usize,
    pub n_tensors: usize,
    pub file_len: u64,
}

/// A reader that knows the file length, so every read past the end is reported as truncation
/// with what was being read.
struct Checked<'a> {
    path: &'a Path,
    inner: BufReader<File>,
    pos: u64,
    len: u64,
}

impl Checked<'_> {
    fn need(&self, n: u64, what: &dyn Fn() -> String) -> Result<(), GgmlError> {
        let needed = self.pos.saturating_add(n);
        if needed > self.len {
            return Err(GgmlError::Truncated { path: self.path.to_path_buf(), what: what(), needed, len: self.len });
        }
        Ok(())
    }

    fn bytes(&mut self, n: u64, what: &dyn Fn() -> String) -> Result<Vec<u8>, GgmlError> {
        self.need(n, what)?;
        let mut buf = vec![0u8; n as usize];
        self.inner.read_exact(&mut buf).map_err(|e| self.io(e))?;
        self.pos += n;
        Ok(buf)
    }

    fn i32(&mut self, what: &dyn Fn() -> String) -> Result<i32, GgmlError> {
        let b = self.bytes(4, what)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn skip(&mut self, n: u64, what: &dyn Fn() -> String) -> Result<(), GgmlError> {
        self.need(n, what)?;
        self.inner.seek_relative(n as i64).map_err(|e| self.io(e))?;
        self.pos += n;
        Ok(())
    }

    fn io(&self, source: std::io::Error) -> GgmlError {
        GgmlError::Io { path: self.path.to_path_buf(), source }
    }

    fn invalid(&self, what: impl Into<String>) -> GgmlError {
        GgmlError::Invalid { path: self.path.to_path_buf(), what: what.into() }
    }
}

/// Walks a whole ggml whisper model and checks everything `whisper_model_load` relies on:
/// magic, plausible hparams, mel filter and vocabulary sizes, and every tensor's name, shape,
/// type and data extent, with none missing, duplicated or left over.
pub fn inspect(path: &Path) -> Result<ModelSummary, GgmlError> {
    let io = |source| GgmlError::Io { path: path.to_path_buf(), source };
    let file = File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let mut r = Checked { path, inner: BufReader::new(file), pos: 0, len };

    let magic = {
        let b = r.bytes(4, &|| "the magic number".into())?;
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    };
    if magic != GGML_MAGIC {
        return Err(GgmlError::BadMagic { path: path.to_path_buf(), found: magic });
    }

    let mut a = [0i32; 11];
    for v in &mut a {
        *v = r.i32(&|| "the hyperparameters".into())?;
    }
    let h = Hparams::from_array(a);
    check_hparams(&h).map_err(|what| r.invalid(what))?;

    let n_mel = r.i32(&|| "the mel filter size".into())?;
    let n_fft = r.i32(&|| "the mel filter size".into())?;
    if !(1..=1024).contains(&n_mel) || !(1..=8192).contains(&n_fft) {
        return Err(r.invalid(format!("mel filter bank of {n_mel} x {n_fft} bins")));
    }
    if n_mel != h.n_mels {
        return Err(r.invalid(format!("{n_mel} mel filters for a model of {} mels", h.n_mels)));
    }
    r.skip(n_mel as u64 * n_fft as u64 * 4, &|| "the mel filters".into())?;

    let n_tokens = r.i32(&|| "the vocabulary size".into())?;
    if n_tokens < 0 || n_tokens > h.n_vocab {
        return Err(r.invalid(format!("{n_tokens} vocabulary entries for n_vocab {}", h.n_vocab)));
    }
    for i in 0..n_tokens {
        let len = r.i32(&|| format!("vocabulary entry {i}"))?;
        if !(0..=1024).contains(&len) {
            return Err(r.invalid(format!("vocabulary entry {i} claims {len} bytes")));
        }
        r.skip(len as u64, &|| format!("vocabulary entry {i}"))?;
    }

    let expected = expected_tensors(&h).ok_or_else(|| r.invalid("unknown ftype"))?;
    let mut want: BTreeMap<&str, &TensorSpec> = expected.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut n_tensors = 0;
    while r.pos < r.len {
        let what = || format!("the header of tensor #{n_tensors}");
        let n_dims = r.i32(&what)?;
        let name_len = r.i32(&what)?;
        let ttype = r.i32(&what)?;
        if !(1..=3).contains(&n_dims) || !(1..=256).contains(&name_len) {
            return Err(r.invalid(format!("tensor #{n_tensors} has {n_dims} dimensions and a {name_len}-byte name")));
        }
        let mut ne = [1i64; 3];
        for d in ne.iter_mut().take(n_dims as usize) {
            *d = r.i32(&what)? as i64;
        }
        let name_bytes = r.bytes(name_len as u64, &what)?;
        let name = String::from_utf8(name_bytes)
            .map_err(|_| r.invalid(format!("tensor #{n_tensors} has a name that is not UTF-8")))?;
        let Some(spec) = want.remove(name.as_str()) else {
            let why = if expected.iter().any(|t| t.name == name) { "twice" } else { "unknown" };
            return Err(r.invalid(format!("tensor `{name}` is {why}")));
        };
        if ne != spec.ne {
            return Err(r.invalid(format!("tensor `{name}` has extents {ne:?}, whisper.cpp expects {:?}", spec.ne)));
        }
        let ty = GgmlType::from_id(ttype);
        if ty != Some(spec.ty) {
            return Err(r.invalid(format!(
                "tensor `{name}` has ggml type {ttype}, whisper.cpp expects {:?} for ftype {}",
                spec.ty, h.ftype
            )));
        }
        let n: u64 = ne.iter().map(|&d| d as u64).product();
        let bytes = spec
            .ty
            .bytes_for(n)
            .ok_or_else(|| r.invalid(format!("tensor `{name}` has {n} elements, not whole blocks")))?;
        r.skip(bytes, &|| format!("the data of tensor `{name}`"))?;
        n_tensors += 1;
    }
    if let Some(first) = want.keys().next() {
        return Err(GgmlError::MissingTensors {
            path: path.to_path_buf(),
            count: want.len(),
            first: first.to_string(),
        });
    }
    Ok(ModelSummary { hparams: h, n_mel, n_fft, n_vocab_tokens: n_tokens as usize, n_tensors, file_len: len })
}

/// Bounds generous enough for every released whisper model and tight enough that allocations
/// sized from them stay sane.
fn check_hparams(h: &Hparams) -> Result<(), String> {
    let checks = [
        ("n_vocab", h.n_vocab, 1, 1 << 20),
        ("n_audio_ctx", h.n_audio_ctx, 1, 1 << 16),
        ("n_audio_state", h.n_audio_state, 1, 1 << 14),
        ("n_audio_head", h.n_audio_head, 1, 256),
        ("n_audio_layer", h.n_audio_layer, 1, 256),
        ("n_text_ctx", h.n_text_ctx, 1, 1 << 16),
        ("n_text_state", h.n_text_state, 1, 1 << 14),
        ("n_text_head", h.n_text_head, 1, 256),
        ("n_text_layer", h.n_text_layer, 1, 256),
        ("n_mels", h.n_mels, 1, 1024),
    ];
    for (name, v, lo, hi) in checks {
        if !(lo..=hi).contains(&v) {
            return Err(format!("hyperparameter {name} = {v}, expected {lo}..={hi}"));
        }
    }
    if h.n_audio_state != h.n_text_state {
        return Err(format!("n_audio_state {} differs from n_text_state {}", h.n_audio_state, h.n_text_state));
    }
    if h.n_audio_state % h.n_audio_head != 0 || h.n_text_state % h.n_text_head != 0 {
        return Err("the model width is not a multiple of the head count".into());
    }
    if h.weight_type().is_none() {
        return Err(format!("unknown ftype {}", h.ftype));
    }
    Ok(())
}

/// Reads the mel filters stored in a ggml model (for checking a converted file).
pub fn read_mel_filters(path: &Path) -> Result<(usize, usize, Vec<f32>), GgmlError> {
    let io = |source| GgmlError::Io { path: path.to_path_buf(), source };
    let mut f = BufReader::new(File::open(path).map_err(io)?);
    f.seek(SeekFrom::Start(4 + 11 * 4)).map_err(io)?;
    let mut b = [0u8; 8];
    f.read_exact(&mut b).map_err(io)?;
    let n_mel = i32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let n_fft = i32::from_le_bytes([b[4], b[5], b[6], b[7]]);
    if !(1..=1024).contains(&n_mel) || !(1..=8192).contains(&n_fft) {
        return Err(GgmlError::Invalid {
            path: path.to_path_buf(),
            what: format!("mel filter bank of {n_mel} x {n_fft} bins"),
        });
    }
    let mut raw = vec![0u8; n_mel as usize * n_fft as usize * 4];
    f.read_exact(&mut raw).map_err(io)?;
    let data = raw.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    Ok((n_mel as usize, n_fft as usize, data))
}
