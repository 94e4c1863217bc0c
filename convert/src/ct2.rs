//! Reader for CTranslate2's `model.bin`.
//!
//! Layout (little-endian; `ModelSpec._serialize` in CTranslate2's
//! `python/ctranslate2/specs/model_spec.py`, binary version 6): `u32` version, string spec name,
//! `u32` spec revision, `u32` variable count, then per variable: string name, `u8` rank, rank
//! `u32` dimensions, `u8` dtype id (float32, int8, int16, int32, float16, bfloat16), `u32` byte
//! count and the data (C order); then a `u32` alias count and (alias, target) string pairs.
//! Strings are a `u16` length that counts a trailing NUL, then the bytes and the NUL.
//!
//! Quantised weights come with a sibling `<name>_scale`: int8 matrices are scaled per output
//! row (`q = round(w * scale[row])`), int16 by one scalar. [`Ct2Model::tensor_f32`] undoes this.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use half::{bf16, f16};

/// The binary versions this reader has been checked against.
const SUPPORTED_VERSIONS: [u32; 1] = [6];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ct2Dtype {
    F32,
    I8,
    I16,
    I32,
    F16,
    Bf16,
}

impl Ct2Dtype {
    fn from_id(id: u8) -> Option<Self> {
        Some(match id {
            0 => Ct2Dtype::F32,
            1 => Ct2Dtype::I8,
            2 => Ct2Dtype::I16,
            3 => Ct2Dtype::I32,
            4 => Ct2Dtype::F16,
            5 => Ct2Dtype::Bf16,
            _ => return None,
        })
    }

    fn size(self) -> usize {
        match self {
            Ct2Dtype::I8 => 1,
            Ct2Dtype::I16 | Ct2Dtype::F16 | Ct2Dtype::Bf16 => 2,
            Ct2Dtype::F32 | Ct2Dtype::I32 => 4,
        }
    }
}

/// One stored variable: its shape, type and raw little-endian data.
#[derive(Debug, Clone)]
pub struct Ct2Variable {
    pub shape: Vec<usize>,
    pub dtype: Ct2Dtype,
    pub data: Vec<u8>,
}

impl Ct2Variable {
    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values as f32, without any dequantisation.
    fn raw_f32(&self) -> Vec<f32> {
        let d = &self.data;
        match self.dtype {
            Ct2Dtype::F32 => d.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect(),
            Ct2Dtype::F16 => d.chunks_exact(2).map(|c| f16::from_le_bytes([c[0], c[1]]).to_f32()).collect(),
            Ct2Dtype::Bf16 => d.chunks_exact(2).map(|c| bf16::from_le_bytes([c[0], c[1]]).to_f32()).collect(),
            Ct2Dtype::I8 => d.iter().map(|&b| b as i8 as f32).collect(),
            Ct2Dtype::I16 => d.chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]]) as f32).collect(),
            Ct2Dtype::I32 => d.chunks_exact(4).map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]) as f32).collect(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Ct2Error {
    #[error("cannot read CTranslate2 model {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path} is truncated: {what} runs past the end of the file ({len} bytes)")]
    Truncated { path: PathBuf, what: String, len: usize },
    #[error("{path} is not a CTranslate2 model this converter reads: {what}")]
    Invalid { path: PathBuf, what: String },
    #[error("{path} has no variable `{name}` (is it a Whisper model?)")]
    Missing { path: PathBuf, name: String },
}

/// A whole CTranslate2 `model.bin` in memory.
#[derive(Debug)]
pub struct Ct2Model {
    pub path: PathBuf,
    pub version: u32,
    pub spec: String,
    pub revision: u32,
    variables: BTreeMap<String, Ct2Variable>,
    aliases: BTreeMap<String, String>,
}

struct Cursor<'a> {
    path: &'a Path,
    data: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &dyn Fn() -> String) -> Result<&'a [u8], Ct2Error> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.data.len()).ok_or_else(|| Ct2Error::Truncated {
            path: self.path.to_path_buf(),
            what: what(),
            len: self.data.len(),
        })?;
        let s = &self.data[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn u8(&mut self, what: &dyn Fn() -> String) -> Result<u8, Ct2Error> {
        Ok(self.take(1, what)?[0])
    }

    fn u16(&mut self, what: &dyn Fn() -> String) -> Result<u16, Ct2Error> {
        let b = self.take(2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self, what: &dyn Fn() -> String) -> Result<u32, Ct2Error> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn string(&mut self, what: &dyn Fn() -> String) -> Result<String, Ct2Error> {
        let n = self.u16(what)? as usize;
        let b = self.take(n, what)?;
        // The length counts a trailing NUL.
        let b = b.strip_suffix(&[0]).unwrap_or(b);
        String::from_utf8(b.to_vec())
            .map_err(|_| Ct2Error::Invalid { path: self.path.to_path_buf(), what: format!("{} is not UTF-8", what()) })
    }
}

impl Ct2Model {
    /// Reads and checks a `model.bin`.
    pub fn read(path: &Path) -> Result<Self, Ct2Error> {
        let data = std::fs::read(path).map_err(|source| Ct2Error::Io { path: path.to_path_buf(), source })?;
        Self::parse(path, &data)
    }

    fn parse(path: &Path, data: &[u8]) -> Result<Self, Ct2Error> {
        let invalid = |what: String| Ct2Error::Invalid { path: path.to_path_buf(), what };
        let mut c = Cursor { path, data, pos: 0 };
        let version = c.u32(&|| "the binary version".into())?;
        if !SUPPORTED_VERSIONS.contains(&version) {
            return Err(invalid(format!("binary version {version}, expected one of {SUPPORTED_VERSIONS:?}")));
        }
        let spec = c.string(&|| "the spec name".into())?;
        let revision = c.u32(&|| "the spec revision".into())?;
        let count = c.u32(&|| "the variable count".into())?;
        let mut variables = BTreeMap::new();
        for i in 0..count {
            let what = || format!("variable #{i}");
            let name = c.string(&what)?;
            let what = || format!("variable `{name}`");
            let rank = c.u8(&what)? as usize;
            if rank > 8 {
                return Err(invalid(format!("variable `{name}` has rank {rank}")));
            }
            let mut shape = Vec::with_capacity(rank);
            for _ in 0..rank {
                shape.push(c.u32(&what)? as usize);
            }
            let id = c.u8(&what)?;
            let dtype =
                Ct2Dtype::from_id(id).ok_or_else(|| invalid(format!("variable `{name}` has unknown dtype id {id}")))?;
            let n_bytes = c.u32(&what)? as usize;
            let n: usize = shape.iter().product();
            if n.checked_mul(dtype.size()) != Some(n_bytes) {
                return Err(invalid(format!(
                    "variable `{name}` of shape {shape:?} and type {dtype:?} claims {n_bytes} bytes"
                )));
            }
            let bytes = c.take(n_bytes, &what)?.to_vec();
            variables.insert(name, Ct2Variable { shape, dtype, data: bytes });
        }
        let n_aliases = c.u32(&|| "the alias count".into())?;
        let mut aliases = BTreeMap::new();
        for i in 0..n_aliases {
            let alias = c.string(&|| format!("alias #{i}"))?;
            let target = c.string(&|| format!("alias #{i}"))?;
            if !variables.contains_key(&target) {
                return Err(invalid(format!("alias `{alias}` points to unknown `{target}`")));
            }
            aliases.insert(alias, target);
        }
        if c.pos != data.len() {
            return Err(invalid(format!("{} unexpected bytes after the aliases", data.len() - c.pos)));
        }
        Ok(Self { path: path.to_path_buf(), version, spec, revision, variables, aliases })
    }

    /// The variable stored under `name`, following aliases.
    pub fn get(&self, name: &str) -> Option<&Ct2Variable> {
        let target = self.aliases.get(name).map(String::as_str).unwrap_or(name);
        self.variables.get(target)
    }

    /// Whether `a` is an alias of `b` (or the same name).
    pub fn same_storage(&self, a: &str, b: &str) -> bool {
        let resolve = |n: &str| self.aliases.get(n).cloned().unwrap_or_else(|| n.to_string());
        resolve(a) == resolve(b)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.variables.keys().chain(self.aliases.keys()).map(String::as_str)
    }

    fn require(&self, name: &str) -> Result<&Ct2Variable, Ct2Error> {
        self.get(name).ok_or_else(|| Ct2Error::Missing { path: self.path.clone(), name: name.to_string() })
    }

    /// A scalar stored as an integer (e.g. `encoder/num_heads`).
    pub fn scalar(&self, name: &str) -> Result<i64, Ct2Error> {
        let v = self.require(name)?;
        match (v.len(), v.raw_f32().first()) {
            (1, Some(&x)) => Ok(x as i64),
            _ => Err(Ct2Error::Invalid {
                path: self.path.clone(),
                what: format!("`{name}` should be a scalar, has shape {:?}", v.shape),
            }),
        }
    }

    /// The tensor `name` as f32 with its shape, dequantised with `<name>_scale` when it is
    /// stored as int8 (one scale per row) or int16 (one scale).
    pub fn tensor_f32(&self, name: &str) -> Result<(Vec<usize>, Vec<f32>), Ct2Error> {
        let v = self.require(name)?;
        // The scale sits beside the stored variable, not beside an alias of it.
        let name = self.aliases.get(name).map(String::as_str).unwrap_or(name);
        let mut values = v.raw_f32();
        let invalid = |what: String| Ct2Error::Invalid { path: self.path.clone(), what };
        if matches!(v.dtype, Ct2Dtype::I8 | Ct2Dtype::I16) {
            let scale_name = format!("{name}_scale");
            let scale = self
                .get(&scale_name)
                .ok_or_else(|| invalid(format!("`{name}` is {:?} without a `{scale_name}`", v.dtype)))?;
            if self.get(&format!("{name}_zero")).is_some() {
                return Err(invalid(format!("`{name}` uses AWQ zero points, which are not supported")));
            }
            let scale = scale.raw_f32();
            let rows = v.shape.first().copied().unwrap_or(1);
            let cols = values.len().checked_div(rows).unwrap_or(0);
            match scale.len() {
                1 => values.iter_mut().for_each(|x| *x /= scale[0]),
                n if n == rows => {
                    for (row, s) in values.chunks_mut(cols.max(1)).zip(&scale) {
                        row.iter_mut().for_each(|x| *x /= s);
                    }
                }
                n => {
                    return Err(invalid(format!("`{scale_name}` has {n} scales for {rows} rows of `{name}`")));
                }
            }
        }
        if values.iter().any(|x| !x.is_finite()) {
            return Err(invalid(format!("`{name}` holds non-finite values")));
        }
        Ok((v.shape.clone(), values))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(&((s.len() + 1) as u16).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
        out.push(0);
    }

    /// A tiny model with an int8 matrix, its per-row scales and an alias.
    fn sample() -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&6u32.to_le_bytes());
        string(&mut b, "WhisperSpec");
        b.extend_from_slice(&3u32.to_le_bytes());
        b.extend_from_slice(&2u32.to_le_bytes());
        string(&mut b, "w");
        b.push(2);
        b.extend_from_slice(&2u32.to_le_bytes());
        b.extend_from_slice(&2u32.to_le_bytes());
        b.push(1);
        b.extend_from_slice(&4u32.to_le_bytes());
        b.extend_from_slice(&[127u8, 0x81, 10, 20]); // 127, -127, 10, 20
        string(&mut b, "w_scale");
        b.push(1);
        b.extend_from_slice(&2u32.to_le_bytes());
        b.push(0);
        b.extend_from_slice(&8u32.to_le_bytes());
        b.extend_from_slice(&127f32.to_le_bytes());
        b.extend_from_slice(&10f32.to_le_bytes());
        b.extend_from_slice(&1u32.to_le_bytes());
        string(&mut b, "v");
        string(&mut b, "w");
        b
    }

    #[test]
    fn dequantises_int8_rows_and_follows_aliases() {
        let m = Ct2Model::parse(Path::new("sample.bin"), &sample()).expect("valid sample");
        assert_eq!(m.spec, "WhisperSpec");
        assert_eq!(m.revision, 3);
        let (shape, v) = m.tensor_f32("v").expect("alias resolves");
        assert_eq!(shape, vec![2, 2]);
        assert_eq!(v, vec![1.0, -1.0, 1.0, 2.0]);
        assert!(m.same_storage("v", "w"));
    }

    #[test]
    fn truncation_and_bad_version_are_errors() {
        let data = sample();
        for cut in [0, 3, 10, 30, data.len() - 1] {
            let err = Ct2Model::parse(Path::new("cut.bin"), &data[..cut]).unwrap_err();
            assert!(err.to_string().contains("cut.bin"), "{err}");
        }
        let mut bad = data.clone();
        bad[0] = 2;
        let err = Ct2Model::parse(Path::new("old.bin"), &bad).unwrap_err();
        assert!(err.to_string().contains("binary version 2"), "{err}");
    }
}
