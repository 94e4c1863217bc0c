//! Saving and loading an autoencoder as `config.json` + `model.safetensors`.
//!
//! Loading checks everything against the config before building the network, so a missing,
//! truncated or mismatched file gives a [`LoadError`] naming the file and what was expected
//! rather than a panic or a half-built model.

use super::model::{Autoencoder, Config};
use candle_core::{DType, Device, Tensor};
use candle_nn::{VarBuilder, VarMap};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

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

/// The name and shape of every parameter of the network `cfg` describes.
pub fn expected_shapes(cfg: &Config) -> Result<BTreeMap<String, Vec<usize>>, LoadError> {
    let vm = VarMap::new();
    // Building on a throwaway VarMap is the one source of truth for names and shapes.
    Autoencoder::new(VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu), cfg)?;
    let data = vm.data().lock().map_err(|_| candle_core::Error::Msg("var map lock poisoned".into()))?;
    Ok(data.iter().map(|(k, v)| (k.clone(), v.dims().to_vec())).collect())
}

/// Reads `dir/model.safetensors` and checks every tensor against the config; returns them as
/// f32 tensors on `device`.
pub fn load_tensors(dir: &Path, cfg: &Config, device: &Device) -> Result<HashMap<String, Tensor>, LoadError> {
    let path = dir.join(WEIGHTS_FILE);
    let bytes = read(&path, "weights (model.safetensors)")?;
    let st = safetensors::SafeTensors::deserialize(&bytes)
        .map_err(|e| LoadError::Corrupt { path: path.clone(), reason: e.to_string() })?;
    let expected = expected_shapes(cfg)?;
    let want_dtype = cfg.storage_dtype().unwrap_or(DType::F32);
    for name in st.names() {
        if !expected.contains_key(name) {
            return Err(LoadError::UnexpectedTensor { path, name: name.to_string() });
        }
    }
    let mut out = HashMap::with_capacity(expected.len());
    for (name, shape) in expected {
        let view = match st.tensor(&name) {
            Ok(v) => v,
            Err(_) => return Err(LoadError::MissingTensor { path, name, expected: shape }),
        };
        if view.shape() != shape.as_slice() {
            return Err(LoadError::WrongShape { path, name, expected: shape, found: view.shape().to_vec() });
        }
        let found = DType::try_from(view.dtype()).ok();
        if found != Some(want_dtype) {
            return Err(LoadError::WrongDtype {
                path,
                name,
                expected: want_dtype.as_str().to_string(),
                found: format!("{:?}", view.dtype()).to_lowercase(),
            });
        }
        let t = Tensor::from_raw_buffer(view.data(), want_dtype, &shape, device)?.to_dtype(DType::F32)?;
        let finite = t.abs()?.max_all()?.to_scalar::<f32>()?.is_finite();
        if !finite {
            return Err(LoadError::NotFinite { path, name });
        }
        out.insert(name, t);
    }
    Ok(out)
}

/// Loads the autoencoder shipped in `dir` (`config.json` + `model.safetensors`).
pub fn load(dir: &Path, device: &Device) -> Result<Autoencoder, LoadError> {
    let cfg = load_config(dir)?;
    let tensors = load_tensors(dir, &cfg, device)?;
    let vb = VarBuilder::from_tensors(tensors, DType::F32, device);
    Ok(Autoencoder::new(vb, &cfg)?)
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
