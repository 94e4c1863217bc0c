//! Saving and loading an autoencoder as `config.json` + `model.safetensors`.
//!
//! Loading memory-maps the weights and checks each tensor against the config as the network is
//! built from it, so a missing, truncated or mismatched file gives a [`LoadError`] naming the
//! file and what was expected rather than a panic or a half-built model.

use super::model::{Autoencoder, Config};
use candle_core::safetensors::MmapedSafetensors;
use candle_core::{DType, Device, Shape, Tensor};
use candle_nn::var_builder::SimpleBackend;
use candle_nn::{VarBuilder, VarMap};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub const CONFIG_FILE: &str = "config.json";
pub const WEIGHTS_FILE: &str = "model.safetensors";

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: file not found (expected the autoencoder's {what})")]
    Missing { path: PathBuf, what: &'static str },
    #[error("{path}: cannot read: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: not a valid autoencoder config: {reason}")]
    BadConfig { path: PathBuf, reason: String },
    #[error("{path}: not a valid safetensors file (truncated or corrupt?): {reason}")]
    Corrupt { path: PathBuf, reason: String },
    #[error("{path}: missing tensor `{name}` (expected shape {expected:?}); the weights do not match config.json")]
    MissingTensor { path: PathBuf, name: String, expected: Vec<usize> },
    #[error("{path}: tensor `{name}` has shape {found:?}, expected {expected:?} from config.json")]
    WrongShape { path: PathBuf, name: String, expected: Vec<usize>, found: Vec<usize> },
    #[error("{path}: tensor `{name}` is stored as {found}, expected {expected} (config.json `weight_dtype`)")]
    WrongDtype { path: PathBuf, name: String, expected: String, found: String },
    #[error("{path}: unexpected tensor `{name}`; the weights are for a different network than config.json describes")]
    UnexpectedTensor { path: PathBuf, name: String },
    #[error("{path}: tensor `{name}` contains NaN or infinite values")]
    NotFinite { path: PathBuf, name: String },
    #[error("building the autoencoder: {0}")]
    Model(#[from] candle_core::Error),
}

/// Reads and validates `dir/config.json`.
pub fn load_config(dir: &Path) -> Result<Config, LoadError> {
    let path = dir.join(CONFIG_FILE);
    let text = read(&path, "config (config.json)")?;
    let cfg: Config = serde_json::from_slice(&text)
        .map_err(|e| LoadError::BadConfig { path: path.clone(), reason: e.to_string() })?;
    cfg.validate().map_err(|reason| LoadError::BadConfig { path, reason })?;
    Ok(cfg)
}

fn read(path: &Path, what: &'static str) -> Result<Vec<u8>, LoadError> {
    std::fs::read(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => LoadError::Missing { path: path.to_path_buf(), what },
        _ => LoadError::Io { path: path.to_path_buf(), source },
    })
}

/// A [`VarBuilder`] backend over the memory-mapped weights that checks every tensor the network
/// asks for against the shape the config gives it (the network's constructor is the one source
/// of truth for names and shapes, so nothing is built twice and no random model is made). The
/// first problem is kept as a typed [`LoadError`]; candle only sees that building failed.
struct Checked {
    st: MmapedSafetensors,
    path: PathBuf,
    dtype: DType,
    found: Mutex<Found>,
}

#[derive(Default)]
struct Found {
    tensors: HashMap<String, Tensor>,
    error: Option<LoadError>,
}

impl Checked {
    fn fail(&self, error: LoadError) -> candle_core::Error {
        let msg = error.to_string();
        if let Ok(mut f) = self.found.lock() {
            f.error.get_or_insert(error);
        }
        candle_core::Error::Msg(msg)
    }

    fn check(&self, shape: &Shape, name: &str, dev: &Device) -> Result<Tensor, LoadError> {
        let (path, name_s) = (self.path.clone(), name.to_string());
        let view = self.st.get(name).map_err(|_| LoadError::MissingTensor {
            path: path.clone(),
            name: name_s.clone(),
            expected: shape.dims().to_vec(),
        })?;
        if view.shape() != shape.dims() {
            return Err(LoadError::WrongShape {
                path,
                name: name_s,
                expected: shape.dims().to_vec(),
                found: view.shape().to_vec(),
            });
        }
        if DType::try_from(view.dtype()).ok() != Some(self.dtype) {
            let found = format!("{:?}", view.dtype()).to_lowercase();
            return Err(LoadError::WrongDtype { path, name: name_s, expected: self.dtype.as_str().to_string(), found });
        }
        let t = Tensor::from_raw_buffer(view.data(), self.dtype, shape.dims(), dev)?.to_dtype(DType::F32)?;
        if !t.abs()?.max_all()?.to_scalar::<f32>()?.is_finite() {
            return Err(LoadError::NotFinite { path, name: name_s });
        }
        Ok(t)
    }
}

impl SimpleBackend for Checked {
    fn get(&self, s: Shape, name: &str, _: candle_nn::Init, dtype: DType, dev: &Device) -> candle_core::Result<Tensor> {
        let t = self.check(&s, name, dev).map_err(|e| self.fail(e))?.to_dtype(dtype)?;
        if let Ok(mut f) = self.found.lock() {
            f.tensors.insert(name.to_string(), t.clone());
        }
        Ok(t)
    }

    fn get_unchecked(&self, name: &str, dtype: DType, dev: &Device) -> candle_core::Result<Tensor> {
        self.st.load(name, dev)?.to_dtype(dtype)
    }

    fn contains_tensor(&self, name: &str) -> bool {
        self.st.get(name).is_ok()
    }
}

/// Maps `dir/model.safetensors`, builds the network `cfg` describes from it on `device` and
/// checks every tensor (name, shape, dtype, finite) and that the file holds nothing else.
/// Returns the network and its weights (f32), for a trainer to copy into its variables.
pub fn load_checked(
    dir: &Path,
    cfg: &Config,
    device: &Device,
) -> Result<(Autoencoder, HashMap<String, Tensor>), LoadError> {
    let path = dir.join(WEIGHTS_FILE);
    match std::fs::metadata(&path) {
        Ok(m) if m.is_file() => {}
        Ok(_) => return Err(LoadError::Missing { path, what: "weights (model.safetensors)" }),
        Err(source) if source.kind() == std::io::ErrorKind::NotFound => {
            return Err(LoadError::Missing { path, what: "weights (model.safetensors)" });
        }
        Err(source) => return Err(LoadError::Io { path, source }),
    }
    // SAFETY: the map is read-only and the file must not change while it is mapped. Campfire
    // never rewrites weights in place: `save` writes beside the file and renames over it, which
    // leaves an open map on the old contents.
    let st = unsafe { MmapedSafetensors::new(&path) }
        .map_err(|e| LoadError::Corrupt { path: path.clone(), reason: e.to_string() })?;
    let dtype = cfg.storage_dtype().unwrap_or(DType::F32);
    let names: Vec<String> = st.tensors().into_iter().map(|(n, _)| n).collect();
    let backend = CheckedHandle(std::sync::Arc::new(Checked {
        st,
        path: path.clone(),
        dtype,
        found: Mutex::new(Found::default()),
    }));
    let shared = backend.0.clone();
    let vb = VarBuilder::from_backend(Box::new(backend), DType::F32, device.clone());
    let built = Autoencoder::new(vb, cfg);
    let mut f = shared.found.lock().map_err(|_| candle_core::Error::Msg("weights lock poisoned".into()))?;
    if let Some(e) = f.error.take() {
        return Err(e);
    }
    let model = built?;
    if let Some(extra) = names.into_iter().find(|n| !f.tensors.contains_key(n)) {
        return Err(LoadError::UnexpectedTensor { path, name: extra });
    }
    Ok((model, std::mem::take(&mut f.tensors)))
}

/// Lets the caller keep a handle on the backend it gives to the `VarBuilder`.
struct CheckedHandle(std::sync::Arc<Checked>);

impl SimpleBackend for CheckedHandle {
    fn get(&self, s: Shape, name: &str, h: candle_nn::Init, dtype: DType, dev: &Device) -> candle_core::Result<Tensor> {
        self.0.get(s, name, h, dtype, dev)
    }

    fn get_unchecked(&self, name: &str, dtype: DType, dev: &Device) -> candle_core::Result<Tensor> {
        self.0.get_unchecked(name, dtype, dev)
    }

    fn contains_tensor(&self, name: &str) -> bool {
        self.0.contains_tensor(name)
    }
}

/// Loads the autoencoder shipped in `dir` (`config.json` + `model.safetensors`) onto `device`.
pub fn load(dir: &Path, device: &Device) -> Result<Autoencoder, LoadError> {
    let cfg = load_config(dir)?;
    Ok(load_checked(dir, &cfg, device)?.0)
}

/// Writes `config.json` and `model.safetensors` (weights converted to `cfg.weight_dtype`) into
/// `dir`. Each file is written beside its final name and renamed, so an interrupted save never
/// leaves a truncated model behind.
pub fn save(dir: &Path, cfg: &Config, vars: &VarMap) -> Result<(), SaveError> {
    std::fs::create_dir_all(dir).map_err(|source| SaveError::Io { path: dir.to_path_buf(), source })?;
    let dtype =
        cfg.storage_dtype().ok_or_else(|| SaveError::Config(format!("unknown weight_dtype `{}`", cfg.weight_dtype)))?;
    let tensors: BTreeMap<String, Tensor> = {
        let data = vars.data().lock().map_err(|_| SaveError::Config("var map lock poisoned".into()))?;
        data.iter()
            .map(|(k, v)| Ok((k.clone(), v.as_tensor().detach().to_dtype(dtype)?)))
            .collect::<Result<_, candle_core::Error>>()?
    };
    let weights = dir.join(WEIGHTS_FILE);
    let tmp = dir.join(format!("{WEIGHTS_FILE}.partial"));
    safetensors::serialize_to_file(tensors.iter().map(|(k, v)| (k.as_str(), v)), None, &tmp)
        .map_err(|e| SaveError::Config(format!("{}: {e}", tmp.display())))?;
    std::fs::rename(&tmp, &weights).map_err(|source| SaveError::Io { path: weights.clone(), source })?;
    let config = dir.join(CONFIG_FILE);
    let tmp = dir.join(format!("{CONFIG_FILE}.partial"));
    let json = serde_json::to_string_pretty(cfg).map_err(|e| SaveError::Config(e.to_string()))?;
    std::fs::write(&tmp, json + "\n").map_err(|source| SaveError::Io { path: tmp.clone(), source })?;
    std::fs::rename(&tmp, &config).map_err(|source| SaveError::Io { path: config, source })?;
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{path}: cannot write: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("saving the autoencoder: {0}")]
    Config(String),
    #[error("saving the autoencoder: {0}")]
    Tensor(#[from] candle_core::Error),
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Module;

    /// A tiny trained-shape model saved into a fresh directory.
    fn saved() -> (tempfile::TempDir, Config, VarMap) {
        let dir = tempfile::tempdir().expect("tempdir");
        let cfg = Config::tiny();
        let vm = VarMap::new();
        Autoencoder::new(VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu), &cfg).expect("model");
        save(dir.path(), &cfg, &vm).expect("save");
        (dir, cfg, vm)
    }

    /// Rewrites the weights file with `tensors`.
    fn write(dir: &Path, tensors: &BTreeMap<String, Tensor>) {
        safetensors::serialize_to_file(tensors.iter().map(|(k, v)| (k.as_str(), v)), None, &dir.join(WEIGHTS_FILE))
            .expect("write");
    }

    fn tensors(vm: &VarMap) -> BTreeMap<String, Tensor> {
        vm.data().lock().expect("lock").iter().map(|(k, v)| (k.clone(), v.as_tensor().clone())).collect()
    }

    #[test]
    fn saved_model_loads_and_computes_the_same() {
        let (dir, cfg, vm) = saved();
        let original = Autoencoder::new(VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu), &cfg).expect("model");
        let loaded = load(dir.path(), &Device::Cpu).expect("load");
        let x = Tensor::rand(-1f32, 1f32, (1, 3, cfg.height, cfg.width), &Device::Cpu).expect("x");
        let a = original.forward(&x).expect("a").flatten_all().expect("a").to_vec1::<f32>().expect("a");
        let b = loaded.forward(&x).expect("b").flatten_all().expect("b").to_vec1::<f32>().expect("b");
        assert_eq!(a, b);
    }

    #[test]
    fn f16_storage_round_trips() {
        let (dir, mut cfg, vm) = saved();
        cfg.weight_dtype = "f16".into();
        save(dir.path(), &cfg, &vm).expect("save f16");
        let st_bytes = std::fs::read(dir.path().join(WEIGHTS_FILE)).expect("read");
        let st = safetensors::SafeTensors::deserialize(&st_bytes).expect("parse");
        assert!(st.tensors().iter().all(|(_, v)| v.dtype() == safetensors::Dtype::F16));
        load(dir.path(), &Device::Cpu).expect("load f16");
    }

    #[test]
    fn missing_files_name_the_file() {
        let (dir, _, _) = saved();
        std::fs::remove_file(dir.path().join(WEIGHTS_FILE)).expect("rm");
        let err = load(dir.path(), &Device::Cpu).expect_err("no weights");
        assert!(matches!(err, LoadError::Missing { .. }), "{err}");
        assert!(err.to_string().contains("model.safetensors"), "{err}");
        std::fs::remove_file(dir.path().join(CONFIG_FILE)).expect("rm");
        let err = load(dir.path(), &Device::Cpu).expect_err("no config");
        assert!(matches!(err, LoadError::Missing { .. }) && err.to_string().contains("config.json"), "{err}");
    }

    #[test]
    fn truncated_weights_are_reported_as_corrupt() {
        let (dir, _, _) = saved();
        let path = dir.path().join(WEIGHTS_FILE);
        let bytes = std::fs::read(&path).expect("read");
        for keep in [0, 7, 100, bytes.len() / 2, bytes.len() - 1] {
            std::fs::write(&path, &bytes[..keep]).expect("write");
            let err = load(dir.path(), &Device::Cpu).expect_err("truncated");
            assert!(matches!(err, LoadError::Corrupt { .. }), "{keep} bytes: {err}");
            assert!(err.to_string().contains("model.safetensors"), "{err}");
        }
    }

    #[test]
    fn wrong_shape_dtype_and_names_are_reported() {
        let (dir, _, vm) = saved();
        let good = tensors(&vm);
        let name = "decoder.conv_out.weight".to_string();

        let mut t = good.clone();
        t.insert(name.clone(), Tensor::zeros((5, 8, 3, 3), DType::F32, &Device::Cpu).expect("t"));
        write(dir.path(), &t);
        let err = load(dir.path(), &Device::Cpu).expect_err("shape");
        assert!(
            matches!(&err, LoadError::WrongShape { name: n, found, .. } if *n == name && found == &[5, 8, 3, 3]),
            "{err}"
        );
        assert!(err.to_string().contains("expected [48, 8, 3, 3]"), "{err}");

        let mut t = good.clone();
        t.insert(name.clone(), good[&name].to_dtype(DType::F64).expect("t"));
        write(dir.path(), &t);
        let err = load(dir.path(), &Device::Cpu).expect_err("dtype");
        assert!(matches!(&err, LoadError::WrongDtype { name: n, .. } if *n == name), "{err}");
        assert!(err.to_string().contains("expected f32"), "{err}");

        let mut t = good.clone();
        t.remove(&name);
        write(dir.path(), &t);
        let err = load(dir.path(), &Device::Cpu).expect_err("missing");
        assert!(matches!(&err, LoadError::MissingTensor { name: n, .. } if *n == name), "{err}");

        let mut t = good.clone();
        t.insert("decoder.extra.weight".into(), Tensor::zeros(3, DType::F32, &Device::Cpu).expect("t"));
        write(dir.path(), &t);
        let err = load(dir.path(), &Device::Cpu).expect_err("extra");
        assert!(matches!(err, LoadError::UnexpectedTensor { .. }), "{err}");

        let mut t = good.clone();
        t.insert(name.clone(), good[&name].affine(0.0, f64::NAN).expect("t"));
        write(dir.path(), &t);
        assert!(matches!(load(dir.path(), &Device::Cpu), Err(LoadError::NotFinite { .. })));

        write(dir.path(), &good);
        load(dir.path(), &Device::Cpu).expect("restored weights load again");
    }

    #[test]
    fn bad_config_is_reported() {
        let (dir, cfg, _) = saved();
        let path = dir.path().join(CONFIG_FILE);
        std::fs::write(&path, "{ not json").expect("write");
        assert!(matches!(load(dir.path(), &Device::Cpu), Err(LoadError::BadConfig { .. })));
        let wrong = Config { channels: vec![8], ..cfg.clone() };
        std::fs::write(&path, serde_json::to_string(&wrong).expect("json")).expect("write");
        let err = load(dir.path(), &Device::Cpu).expect_err("levels");
        assert!(matches!(err, LoadError::BadConfig { .. }) && err.to_string().contains("config.json"), "{err}");
        // A config for a wider network than the weights: every mismatch is a shape error.
        let wider = Config { channels: vec![8, 24], ..cfg };
        std::fs::write(&path, serde_json::to_string(&wider).expect("json")).expect("write");
        assert!(matches!(load(dir.path(), &Device::Cpu), Err(LoadError::WrongShape { .. })));
    }
}
