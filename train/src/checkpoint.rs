//! What a training run keeps beside its checkpointed weights so that a resumed run is the run
//! that never stopped: the step, AdamW's moments and step count, the batch generator's RNG
//! state, and the dtype the run exports. Both trainers keep it the same way under
//! `OUT/checkpoint/`, each file written to a `.partial` name and renamed, so an interruption
//! mid-write leaves the previous file whole.

use candle_core::Tensor;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where a training run keeps its resumable state, under its output directory.
pub const CHECKPOINT_DIR: &str = "checkpoint";
const STATE_FILE: &str = "state.json";
/// AdamW's moments, f32, named `m.<param>` and `v.<param>`.
pub const OPTIMIZER_FILE: &str = "optimizer.safetensors";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunState {
    pub step: usize,
    /// AdamW's own step count (its bias correction).
    pub adam_step: usize,
    /// The batch generator's state, so a resumed run draws the batches an uninterrupted one would.
    pub rng: u64,
    /// The dtype the exported model is stored in (the checkpoint's own weights are always f32).
    /// The autoencoder's first checkpoints did not record it.
    #[serde(default)]
    pub weight_dtype: Option<String>,
}

/// A file of a run's state that cannot be read or written.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct StateError {
    pub path: PathBuf,
    pub reason: String,
}

impl StateError {
    pub fn new(path: &Path, reason: impl std::fmt::Display) -> Self {
        Self { path: path.to_path_buf(), reason: reason.to_string() }
    }
}

/// Whether `out` holds a checkpoint to resume from.
pub fn has_checkpoint(out: &Path) -> bool {
    out.join(CHECKPOINT_DIR).join(STATE_FILE).exists()
}

impl RunState {
    /// Reads `dir/state.json`.
    pub fn read(dir: &Path) -> Result<Self, StateError> {
        let path = dir.join(STATE_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| StateError::new(&path, e))?;
        serde_json::from_str(&text).map_err(|e| {
            StateError::new(
                &path,
                format!("{e} (a checkpoint from before the optimiser's state was saved cannot be resumed exactly; start over)"),
            )
        })
    }

    /// Writes `dir/state.json`.
    pub fn write(&self, dir: &Path) -> Result<(), StateError> {
        let path = dir.join(STATE_FILE);
        let json = serde_json::to_string(self).map_err(|e| StateError::new(&path, e))?;
        let tmp = partial(&path);
        std::fs::write(&tmp, json).map_err(|e| StateError::new(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| StateError::new(&path, e))
    }
}

/// Writes AdamW's moments to `dir/optimizer.safetensors`.
pub fn write_moments(dir: &Path, moments: &BTreeMap<String, Tensor>) -> Result<(), StateError> {
    let path = dir.join(OPTIMIZER_FILE);
    let tmp = partial(&path);
    safetensors::serialize_to_file(moments.iter().map(|(k, v)| (k.as_str(), v)), None, &tmp)
        .map_err(|e| StateError::new(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| StateError::new(&path, e))
}

fn partial(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_reads_back_and_leaves_no_partial_file() -> Result<(), StateError> {
        let dir = tempfile::tempdir().map_err(|e| StateError::new(Path::new("tempdir"), e))?;
        assert!(!has_checkpoint(dir.path()));
        let ckpt = dir.path().join(CHECKPOINT_DIR);
        std::fs::create_dir_all(&ckpt).map_err(|e| StateError::new(&ckpt, e))?;
        let state = RunState { step: 12, adam_step: 11, rng: u64::MAX - 3, weight_dtype: Some("f16".into()) };
        state.write(&ckpt)?;
        assert!(has_checkpoint(dir.path()));
        assert_eq!(RunState::read(&ckpt)?, state);
        let names: Vec<_> = std::fs::read_dir(&ckpt)
            .map_err(|e| StateError::new(&ckpt, e))?
            .filter_map(|e| e.ok().map(|e| e.file_name()))
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from(STATE_FILE)]);
        Ok(())
    }

    #[test]
    fn a_state_without_its_dtype_reads_and_a_broken_one_names_its_file() -> Result<(), StateError> {
        let dir = tempfile::tempdir().map_err(|e| StateError::new(Path::new("tempdir"), e))?;
        let path = dir.path().join(STATE_FILE);
        std::fs::write(&path, r#"{"step":3,"adam_step":3,"rng":7}"#).map_err(|e| StateError::new(&path, e))?;
        assert_eq!(RunState::read(dir.path())?.weight_dtype, None);
        std::fs::write(&path, r#"{"step":3}"#).map_err(|e| StateError::new(&path, e))?;
        let e = RunState::read(dir.path()).expect_err("a state with no optimiser step");
        assert!(e.path == path && e.reason.contains("adam_step"), "{e}");
        Ok(())
    }
}
