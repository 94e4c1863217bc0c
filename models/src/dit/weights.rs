//! Saving and loading a DiT as `config.json` + `model.safetensors`.
//!
//! Loading checks every tensor against the shapes the config implies before the network is
//! built, and [`check_compatible`] checks the config against the autoencoder and conditioning
//! the caller has, so mismatched weights are a [`LoadError`] that names the file and what was
//! expected, never a panic or a picture made from the wrong channels.

use super::config::Config;
use super::model::Dit;
use candle_core::{DType, Device, Tensor};
use candle_nn::{VarBuilder, VarMap};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "config.json";
pub const WEIGHTS_FILE: &str = "model.safetensors";

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: file not found (expected the DiT's {what})")]
    Missing { path: PathBuf, what: &'static str },
    #[error("{path}: cannot read: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: not a valid DiT config: {reason}")]
    BadConfig { path: PathBuf, reason: String },
    #[error("{path}: not a valid safetensors file (truncated or corrupt?): {reason}")]
    Corrupt { path: PathBuf, reason: String },
    #[error("{path}: tensor `{name}`: {problem}; the weights do not match config.json")]
    Mismatch { path: PathBuf, name: String, problem: String },
    #[error("{path}: tensor `{name}` contains NaN or infinite values")]
    NotFinite { path: PathBuf, name: String },
    #[error("{path}: {reason}")]
    Incompatible { path: PathBuf, reason: String },
    #[error(
        "{path}: this DiT needs about {needed_mib} MiB to run and the machine has {available_mib} MiB free; use a smaller config"
    )]
    TooBig { path: PathBuf, needed_mib: u64, available_mib: u64 },
    #[error("building the DiT: {0}")]
    Model(#[from] candle_core::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{path}: cannot write: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("saving the DiT: {0}")]
    Other(String),
    #[error("saving the DiT: {0}")]
    Tensor(#[from] candle_core::Error),
}

fn read(path: &Path, what: &'static str) -> Result<Vec<u8>, LoadError> {
    std::fs::read(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => LoadError::Missing { path: path.to_path_buf(), what },
        _ => LoadError::Io { path: path.to_path_buf(), source },
    })
}

/// Reads and validates `dir/config.json`.
pub fn load_config(dir: &Path) -> Result<Config, LoadError> {
    let path = dir.join(CONFIG_FILE);
    let text = read(&path, "config (config.json)")?;
    let cfg: Config = serde_json::from_slice(&text)
        .map_err(|e| LoadError::BadConfig { path: path.clone(), reason: e.to_string() })?;
    cfg.validate().map_err(|reason| LoadError::BadConfig { path: path.clone(), reason })?;
    // Checked before any tensor is made: a network too big for the machine is an error here,
    // not the system killing the process halfway through building it.
    if let Some(available) = available_memory() {
        let needed = cfg.inference_bytes();
        if needed > available {
            return Err(LoadError::TooBig { path, needed_mib: needed >> 20, available_mib: available >> 20 });
        }
    }
    Ok(cfg)
}

/// Memory the machine can give without swapping (Linux's `MemAvailable`), bytes; `None`
/// where it cannot be read.
pub fn available_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The weights in `dir` were made for the latents and conditioning the caller has.
pub fn check_compatible(
    dir: &Path,
    cfg: &Config,
    latent_channels: usize,
    cond_channels: usize,
    cond_version: u32,
) -> Result<(), LoadError> {
    let path = dir.join(CONFIG_FILE);
    let bad = |reason: String| Err(LoadError::Incompatible { path: path.clone(), reason });
    if cfg.cond_version != cond_version || cfg.cond_channels != cond_channels {
        return bad(format!(
            "trained on conditioning version {} ({} channels), this build makes version {cond_version} ({cond_channels} channels); retrain the DiT",
            cfg.cond_version, cfg.cond_channels
        ));
    }
    if cfg.latent_channels != latent_channels {
        return bad(format!("made for {}-channel latents, the autoencoder has {latent_channels}", cfg.latent_channels));
    }
    Ok(())
}

/// The name and shape of every parameter of the network `cfg` describes.
pub fn expected_shapes(cfg: &Config) -> Result<BTreeMap<String, Vec<usize>>, LoadError> {
    let vm = VarMap::new();
    // Building on a throwaway VarMap is the one source of truth for names and shapes.
    Dit::new(cfg, VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu))?;
    let data = vm.data().lock().map_err(|_| candle_core::Error::Msg("var map lock poisoned".into()))?;
    Ok(data.iter().map(|(k, v)| (k.clone(), v.dims().to_vec())).collect())
}

/// Reads `file` and checks every tensor against `expected` (names, shapes, `dtype`, finite
/// values); returns them as f32 tensors on `device`. Also used for optimiser state.
pub fn load_checked(
    file: &Path,
    expected: &BTreeMap<String, Vec<usize>>,
    dtype: DType,
    device: &Device,
) -> Result<HashMap<String, Tensor>, LoadError> {
    let bytes = read(file, "weights (model.safetensors)")?;
    let path = file.to_path_buf();
    let st = safetensors::SafeTensors::deserialize(&bytes)
        .map_err(|e| LoadError::Corrupt { path: path.clone(), reason: e.to_string() })?;
    let mismatch =
        |name: &str, problem: String| LoadError::Mismatch { path: path.clone(), name: name.to_string(), problem };
    if let Some(name) = st.names().into_iter().find(|n| !expected.contains_key(*n)) {
        return Err(mismatch(name, "unexpected (a different network than the config describes)".into()));
    }
    let mut out = HashMap::with_capacity(expected.len());
    for (name, shape) in expected {
        let view = st.tensor(name).map_err(|_| mismatch(name, format!("missing (expected shape {shape:?})")))?;
        if view.shape() != shape.as_slice() {
            return Err(mismatch(name, format!("shape {:?}, expected {shape:?}", view.shape())));
        }
        if DType::try_from(view.dtype()).ok() != Some(dtype) {
            return Err(mismatch(name, format!("stored as {:?}, expected {}", view.dtype(), dtype.as_str())));
        }
        let t = Tensor::from_raw_buffer(view.data(), dtype, shape, device)?.to_dtype(DType::F32)?;
        if !t.abs()?.max_all()?.to_scalar::<f32>()?.is_finite() {
            return Err(LoadError::NotFinite { path, name: name.clone() });
        }
        out.insert(name.clone(), t);
    }
    Ok(out)
}

/// Loads the DiT in `dir` (`config.json` + `model.safetensors`), computed in f32.
pub fn load(dir: &Path, device: &Device) -> Result<Dit, LoadError> {
    let cfg = load_config(dir)?;
    let dtype = cfg.storage_dtype().unwrap_or(DType::F32);
    let tensors = load_checked(&dir.join(WEIGHTS_FILE), &expected_shapes(&cfg)?, dtype, device)?;
    Ok(Dit::new(&cfg, VarBuilder::from_tensors(tensors, DType::F32, device))?)
}

/// The weights of `cfg`'s network made `depth` blocks deep, with the config that says so. Each
/// block added is a copy of the one before it with its adaLN-zero gates zeroed: a block whose
/// gates are zero adds nothing to the residual stream, so the deeper network computes exactly
/// what the shallower one did, and a fine-tune starts from the trained model with room to grow
/// (LLaMA Pro's block expansion, with DiT's own gates in place of a zeroed output projection).
/// The copies are spread evenly: 6 blocks made 9 copy blocks 1, 3 and 5.
pub fn deepen(
    cfg: &Config,
    tensors: HashMap<String, Tensor>,
    depth: usize,
) -> candle_core::Result<(Config, HashMap<String, Tensor>)> {
    let from = cfg.depth;
    if depth < from || from == 0 {
        candle_core::bail!("cannot make a {from}-block DiT {depth} blocks deep: blocks are only added");
    }
    let extra = depth - from;
    // (block it starts as, whether it is an added copy) for each block of the deeper network.
    let order: Vec<(usize, bool)> = (0..from)
        .flat_map(|i| {
            let copies = (i + 1) * extra / from - i * extra / from;
            std::iter::once((i, false)).chain(std::iter::repeat_n((i, true), copies))
        })
        .collect();
    let d = cfg.hidden_size;
    // Each block's tensors by the name after `blocks.N.`; the rest pass through.
    let mut blocks: HashMap<usize, Vec<(String, Tensor)>> = HashMap::new();
    let mut out = HashMap::new();
    for (name, t) in tensors {
        let block = name.strip_prefix("blocks.").and_then(|rest| rest.split_once('.'));
        match block.and_then(|(i, rest)| Some((i.parse::<usize>().ok()?, rest.to_string()))) {
            Some((i, rest)) => blocks.entry(i).or_default().push((rest, t)),
            None => {
                out.insert(name, t);
            }
        }
    }
    for (j, &(i, copy)) in order.iter().enumerate() {
        for (rest, t) in blocks.get(&i).into_iter().flatten() {
            let t = if copy && rest.starts_with("adaLN_modulation") {
                // Rows [2d, 3d) and [5d, 6d) make the attention's and the MLP's gates.
                let keep: Vec<f32> = (0..6 * d).map(|r| if r / d == 2 || r / d == 5 { 0.0 } else { 1.0 }).collect();
                let keep = Tensor::from_vec(keep, 6 * d, t.device())?.to_dtype(t.dtype())?;
                let keep = if t.rank() == 2 { keep.unsqueeze(1)? } else { keep };
                t.broadcast_mul(&keep)?
            } else {
                t.clone()
            };
            out.insert(format!("blocks.{j}.{rest}"), t);
        }
    }
    Ok((Config { depth, ..cfg.clone() }, out))
}

/// Writes `tensors` to `file` in `dtype`, beside its final name first and then renamed, so an
/// interrupted save never leaves a truncated file.
pub fn save_tensors(file: &Path, tensors: &BTreeMap<String, Tensor>, dtype: DType) -> Result<(), SaveError> {
    let converted = tensors
        .iter()
        .map(|(k, v)| Ok((k.as_str(), v.detach().to_dtype(dtype)?)))
        .collect::<Result<Vec<_>, candle_core::Error>>()?;
    let tmp = file.with_extension("partial");
    safetensors::serialize_to_file(converted, None, &tmp)
        .map_err(|e| SaveError::Other(format!("{}: {e}", tmp.display())))?;
    std::fs::rename(&tmp, file).map_err(|source| SaveError::Io { path: file.to_path_buf(), source })
}

/// The current values of every variable, by name.
pub fn var_tensors(vars: &VarMap) -> Result<BTreeMap<String, Tensor>, SaveError> {
    let data = vars.data().lock().map_err(|_| SaveError::Other("var map lock poisoned".into()))?;
    Ok(data.iter().map(|(k, v)| (k.clone(), v.as_tensor().clone())).collect())
}

/// Writes `config.json` and `model.safetensors` (in `cfg.weight_dtype`) into `dir`.
pub fn save(dir: &Path, cfg: &Config, vars: &VarMap) -> Result<(), SaveError> {
    std::fs::create_dir_all(dir).map_err(|source| SaveError::Io { path: dir.to_path_buf(), source })?;
    let dtype =
        cfg.storage_dtype().ok_or_else(|| SaveError::Other(format!("unknown weight_dtype `{}`", cfg.weight_dtype)))?;
    save_tensors(&dir.join(WEIGHTS_FILE), &var_tensors(vars)?, dtype)?;
    let config = dir.join(CONFIG_FILE);
    let tmp = dir.join(format!("{CONFIG_FILE}.partial"));
    let json = serde_json::to_string_pretty(cfg).map_err(|e| SaveError::Other(e.to_string()))?;
    std::fs::write(&tmp, json + "\n").map_err(|source| SaveError::Io { path: tmp.clone(), source })?;
    std::fs::rename(&tmp, &config).map_err(|source| SaveError::Io { path: config, source })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(dtype: &str) -> (tempfile::TempDir, Config, VarMap) {
        let dir = tempfile::tempdir().expect("tempdir");
        let cfg = Config { weight_dtype: dtype.into(), ..Config::tiny() };
        let vm = VarMap::new();
        Dit::new(&cfg, VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu)).expect("model");
        for var in vm.all_vars() {
            var.set(&Tensor::randn(0f32, 0.2, var.shape(), &Device::Cpu).expect("randn")).expect("set");
        }
        save(dir.path(), &cfg, &vm).expect("save");
        (dir, cfg, vm)
    }

    fn velocity(model: &Dit, cfg: &Config) -> Vec<f32> {
        let dev = Device::Cpu;
        let mut rng = fastrand::Rng::with_seed(1);
        let x = super::super::sampling::gaussian((1, 2, cfg.latent_channels, 4, 4), &mut rng, &dev).expect("x");
        let c = super::super::sampling::gaussian((1, 2, cfg.cond_channels, 4, 4), &mut rng, &dev).expect("c");
        let t = Tensor::full(0.5f32, (1, 2), &dev).expect("t");
        let d = Tensor::zeros(1, DType::F32, &dev).expect("d");
        model
            .forward(&x, &c, &t, &d, None)
            .expect("forward")
            .flatten_all()
            .expect("flat")
            .to_vec1::<f32>()
            .expect("vec")
    }

    /// A config far bigger than any machine's memory is refused when it is read, before a
    /// tensor is made; the shipped size fits easily.
    #[test]
    fn a_config_bigger_than_the_memory_is_a_clear_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let tiny = Config::tiny();
        let heads = tiny.num_heads;
        let head_dim = 1 << 20;
        let huge = Config {
            hidden_size: heads * head_dim,
            rope_dims: [head_dim / 4, head_dim / 4, head_dim / 2],
            ..tiny.clone()
        };
        huge.validate().expect("a valid, if absurd, config");
        std::fs::write(dir.path().join(CONFIG_FILE), serde_json::to_string(&huge).expect("json")).expect("write");
        let Some(available) = available_memory() else { return };
        assert!(huge.inference_bytes() > available, "the test config should not fit");
        let err = load_config(dir.path()).expect_err("too big");
        assert!(matches!(err, LoadError::TooBig { .. }), "{err}");
        assert!(err.to_string().contains("MiB free"), "{err}");
        assert!(
            Config::small().inference_bytes() < 200 << 20,
            "the shipped preset needs {} bytes",
            Config::small().inference_bytes()
        );
    }

    #[test]
    fn saved_weights_load_and_compute_the_same() {
        let (dir, cfg, vm) = saved("f32");
        let original = Dit::new(&cfg, VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu)).expect("model");
        let loaded = load(dir.path(), &Device::Cpu).expect("load");
        // The loaded model runs candle's fused kernels, the variables' the trainable forms: the
        // same up to float rounding.
        let (a, b) = (velocity(&original, &cfg), velocity(&loaded, &cfg));
        let worst = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).fold(0f32, f32::max);
        assert!(worst < 1e-4, "the loaded weights compute {worst} away from the saved ones");
        // f16 storage loads too, and computes nearly the same.
        let (dir16, cfg16, vm16) = saved("f16");
        let a =
            velocity(&Dit::new(&cfg16, VarBuilder::from_varmap(&vm16, DType::F32, &Device::Cpu)).expect("m"), &cfg16);
        let b = velocity(&load(dir16.path(), &Device::Cpu).expect("load f16"), &cfg16);
        let worst = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).fold(0f32, f32::max);
        assert!(worst < 0.05, "f16 storage changed the output by {worst}");
    }

    /// A deepened network computes what the shallower one did (its added blocks' gates are
    /// zero), whatever the other weights are, for one added block or more than one per block.
    #[test]
    fn a_deepened_dit_computes_what_the_shallower_one_did() {
        let (dir, cfg, _) = saved("f32");
        let original = load(dir.path(), &Device::Cpu).expect("load");
        let before = velocity(&original, &cfg);
        for depth in [cfg.depth, cfg.depth + 1, 3 * cfg.depth + 1] {
            let tensors = load_checked(
                &dir.path().join(WEIGHTS_FILE),
                &expected_shapes(&cfg).expect("shapes"),
                DType::F32,
                &Device::Cpu,
            )
            .expect("tensors");
            let (deeper, tensors) = deepen(&cfg, tensors, depth).expect("deepen");
            assert_eq!(deeper.depth, depth);
            let expected = expected_shapes(&deeper).expect("shapes");
            let mut names: Vec<&String> = tensors.keys().collect();
            names.sort();
            assert_eq!(names, expected.keys().collect::<Vec<_>>(), "the deeper network's parameters");
            let model = Dit::new(&deeper, VarBuilder::from_tensors(tensors, DType::F32, &Device::Cpu)).expect("model");
            let after = velocity(&model, &deeper);
            let worst = before.iter().zip(&after).map(|(x, y)| (x - y).abs()).fold(0f32, f32::max);
            assert!(worst < 1e-5, "{depth} blocks compute {worst} away from {}", cfg.depth);
        }
        let tensors = HashMap::new();
        assert!(deepen(&cfg, tensors, cfg.depth - 1).is_err(), "blocks are only added");
    }

    #[test]
    fn mismatched_files_are_named_errors() {
        let (dir, cfg, _) = saved("f32");
        // Weights for another network than config.json describes.
        let other = Config { depth: cfg.depth + 1, ..cfg.clone() };
        std::fs::write(dir.path().join(CONFIG_FILE), serde_json::to_string(&other).expect("json")).expect("write");
        let e = load(dir.path(), &Device::Cpu).expect_err("deeper config");
        assert!(matches!(e, LoadError::Mismatch { .. }), "{e}");
        // A truncated weights file.
        let (dir, _, _) = saved("f32");
        let w = dir.path().join(WEIGHTS_FILE);
        let bytes = std::fs::read(&w).expect("read");
        std::fs::write(&w, &bytes[..bytes.len() / 2]).expect("truncate");
        assert!(matches!(load(dir.path(), &Device::Cpu), Err(LoadError::Corrupt { .. })));
        // No files at all.
        let empty = tempfile::tempdir().expect("tempdir");
        let e = load(empty.path(), &Device::Cpu).expect_err("empty dir");
        assert!(e.to_string().contains("config.json"), "{e}");
        // Weights trained on another conditioning contract.
        let e = check_compatible(dir.path(), &cfg, cfg.latent_channels, cfg.cond_channels, cfg.cond_version + 1)
            .expect_err("version");
        assert!(e.to_string().contains("conditioning version"), "{e}");
        assert!(check_compatible(dir.path(), &cfg, cfg.latent_channels, cfg.cond_channels, cfg.cond_version).is_ok());
    }
}
