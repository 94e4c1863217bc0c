//! The dataset on disk: a `dataset.json` manifest and shards of clips in safetensors.
//!
//! `shard-NNNNN.safetensors` holds `frames`, u8 `(N, T, H, W, 3)`, and `cond`, f32
//! `(N, T, C, h, w)` (the conditioning maps, channel contract in [`crate::condition`]); its
//! metadata entry `clips`
//! is a JSON array with, per clip, the seed, the initial stage, the tick of the first frame and
//! the full event log, so that conditioning can be recomputed from the real events.

use crate::dataset::{Clip, ClipSpec, Split, clip_seed, sample_clip};
use campfire_render::CHANNELS;
use campfire_scene::{EventLog, SceneError, Stage, Tick};
use candle_core::{Device, Tensor};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Frames to learn from, packed RGB `(N, H, W, 3)`.
#[derive(Debug, Clone)]
pub struct FrameSet {
    pub rgb: Vec<u8>,
    pub count: usize,
    pub height: usize,
    pub width: usize,
}

impl FrameSet {
    pub fn frame(&self, i: usize) -> &[u8] {
        let n = self.height * self.width * 3;
        &self.rgb[i * n..(i + 1) * n]
    }
}

pub const MANIFEST: &str = "dataset.json";

#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {reason}")]
    Format { path: PathBuf, reason: String },
    #[error("sampling clip {seed}: {source}")]
    Scene { seed: u64, source: SceneError },
    #[error("building a tensor: {0}")]
    Tensor(#[from] candle_core::Error),
}

/// What `dataset.json` records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub split: Split,
    /// Base seed; clip `i` has seed [`clip_seed`]`(split, seed, i)`.
    pub seed: u64,
    pub clips: usize,
    pub spec: ClipSpec,
    pub fps: u32,
    pub shards: Vec<String>,
}

/// One clip's story as stored in a shard's metadata.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClipMeta {
    pub seed: u64,
    pub initial_stage: Stage,
    pub start_tick: Tick,
    pub events: EventLog,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DatasetError + '_ {
    move |source| DatasetError::Io { path: path.to_path_buf(), source }
}

fn write_shard(path: &Path, clips: &[Clip], spec: &ClipSpec) -> Result<(), DatasetError> {
    let (t, h, w) = (spec.frames, spec.height as usize, spec.width as usize);
    let mut rgb = Vec::with_capacity(clips.len() * t * h * w * 3);
    for c in clips {
        for f in &c.frames {
            rgb.extend_from_slice(&f.rgb);
        }
    }
    let frames = Tensor::from_vec(rgb, (clips.len(), t, h, w, 3), &Device::Cpu)?;
    let (ch, cw) = (spec.cond_height as usize, spec.cond_width as usize);
    let mut maps = Vec::with_capacity(clips.len() * t * CHANNELS * ch * cw);
    for c in clips {
        for m in &c.cond {
            maps.extend_from_slice(&m.data);
        }
    }
    let cond = Tensor::from_vec(maps, (clips.len(), t, CHANNELS, ch, cw), &Device::Cpu)?;
    let meta: Vec<ClipMeta> = clips
        .iter()
        .map(|c| ClipMeta {
            seed: c.seed,
            initial_stage: c.initial_stage,
            start_tick: c.start_tick,
            events: c.events.clone(),
        })
        .collect();
    let json =
        serde_json::to_string(&meta).map_err(|e| DatasetError::Format { path: path.into(), reason: e.to_string() })?;
    let info = HashMap::from([("clips".to_string(), json)]);
    safetensors::serialize_to_file([("cond", &cond), ("frames", &frames)], Some(info), path)
        .map_err(|e| DatasetError::Format { path: path.into(), reason: e.to_string() })
}

/// Samples, renders and writes `clips` clips of `split` into `dir`, `per_shard` clips per file.
/// `on_clip` is called after each clip (for a progress bar). Same arguments, same bytes.
pub fn write_dataset(
    dir: &Path,
    split: Split,
    seed: u64,
    clips: usize,
    spec: ClipSpec,
    per_shard: usize,
    mut on_clip: impl FnMut(usize),
) -> Result<Manifest, DatasetError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let per_shard = per_shard.max(1);
    let mut manifest = Manifest { split, seed, clips, spec, fps: 12, shards: Vec::new() };
    let mut buffer = Vec::with_capacity(per_shard);
    for i in 0..clips {
        let s = clip_seed(split, seed, i as u64);
        buffer.push(sample_clip(s, &spec).map_err(|source| DatasetError::Scene { seed: s, source })?);
        on_clip(i + 1);
        if buffer.len() == per_shard || i + 1 == clips {
            let name = format!("shard-{:05}.safetensors", manifest.shards.len());
            write_shard(&dir.join(&name), &buffer, &spec)?;
            tracing::debug!(shard = %name, clips = buffer.len(), "shard written");
            manifest.shards.push(name);
            buffer.clear();
        }
    }
    let path = dir.join(MANIFEST);
    let json = serde_json::to_string_pretty(&manifest)
        .map_err(|e| DatasetError::Format { path: path.clone(), reason: e.to_string() })?;
    std::fs::write(&path, json + "\n").map_err(io(&path))?;
    Ok(manifest)
}

pub fn read_manifest(dir: &Path) -> Result<Manifest, DatasetError> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read(&path).map_err(io(&path))?;
    serde_json::from_slice(&text)
        .map_err(|e| DatasetError::Format { path, reason: format!("not a dataset manifest: {e}") })
}

/// Reads one shard: its clips' stories and frames `(N·T, H, W, 3)`.
pub fn read_shard(path: &Path, spec: &ClipSpec) -> Result<(Vec<ClipMeta>, Vec<u8>), DatasetError> {
    let bytes = std::fs::read(path).map_err(io(path))?;
    let bad = |reason: String| DatasetError::Format { path: path.to_path_buf(), reason };
    let (_, header) =
        safetensors::SafeTensors::read_metadata(&bytes).map_err(|e| bad(format!("not a safetensors file: {e}")))?;
    let meta: Vec<ClipMeta> = header
        .metadata()
        .as_ref()
        .and_then(|m| m.get("clips"))
        .ok_or_else(|| bad("no `clips` metadata".into()))
        .and_then(|j| serde_json::from_str(j).map_err(|e| bad(format!("bad `clips` metadata: {e}"))))?;
    let st = safetensors::SafeTensors::deserialize(&bytes).map_err(|e| bad(format!("not a safetensors file: {e}")))?;
    let frames = st.tensor("frames").map_err(|_| bad("no `frames` tensor".into()))?;
    let want = [meta.len(), spec.frames, spec.height as usize, spec.width as usize, 3];
    if frames.dtype() != safetensors::Dtype::U8 || frames.shape() != want {
        return Err(bad(format!("`frames` is {:?} {:?}, expected U8 {want:?}", frames.dtype(), frames.shape())));
    }
    Ok((meta, frames.data().to_vec()))
}

/// Reads one shard's conditioning maps, f32 `(N, T, C, h, w)` flattened.
pub fn read_cond(path: &Path, spec: &ClipSpec) -> Result<Vec<f32>, DatasetError> {
    let bytes = std::fs::read(path).map_err(io(path))?;
    let bad = |reason: String| DatasetError::Format { path: path.to_path_buf(), reason };
    let st = safetensors::SafeTensors::deserialize(&bytes).map_err(|e| bad(format!("not a safetensors file: {e}")))?;
    let cond = st.tensor("cond").map_err(|_| bad("no `cond` tensor".into()))?;
    let shape = cond.shape();
    let want = [spec.frames, CHANNELS, spec.cond_height as usize, spec.cond_width as usize];
    if cond.dtype() != safetensors::Dtype::F32 || shape.len() != 5 || shape[1..] != want {
        return Err(bad(format!("`cond` is {:?} {shape:?}, expected F32 (N, {want:?})", cond.dtype())));
    }
    Ok(cond.data().chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect())
}

/// Every frame of the dataset in `dir`, for training or evaluating the autoencoder.
pub fn load_frames(dir: &Path) -> Result<(Manifest, FrameSet), DatasetError> {
    let manifest = read_manifest(dir)?;
    let spec = manifest.spec;
    let mut rgb = Vec::new();
    for name in &manifest.shards {
        rgb.extend(read_shard(&dir.join(name), &spec)?.1);
    }
    let (h, w) = (spec.height as usize, spec.width as usize);
    let count = rgb.len() / (h * w * 3);
    Ok((manifest, FrameSet { rgb, count, height: h, width: w }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_dataset_reads_back_and_is_deterministic() -> Result<(), DatasetError> {
        let a = tempfile::tempdir().map_err(io(Path::new("tmp")))?;
        let b = tempfile::tempdir().map_err(io(Path::new("tmp")))?;
        let spec = ClipSpec::new(32, 24, 2);
        let m = write_dataset(a.path(), Split::Heldout, 5, 3, spec, 2, |_| {})?;
        write_dataset(b.path(), Split::Heldout, 5, 3, spec, 2, |_| {})?;
        assert_eq!(m.shards.len(), 2);
        for name in &m.shards {
            let x = std::fs::read(a.path().join(name)).map_err(io(a.path()))?;
            let y = std::fs::read(b.path().join(name)).map_err(io(b.path()))?;
            assert!(x == y, "{name} differs between two runs with the same seed");
        }
        let (back, frames) = load_frames(a.path())?;
        assert_eq!(back, m);
        assert_eq!(frames.count, 6);
        let (meta, _) = read_shard(&a.path().join(&m.shards[0]), &spec)?;
        assert_eq!(meta[0].seed, clip_seed(Split::Heldout, 5, 0));
        let clip = sample_clip(meta[0].seed, &spec).map_err(|source| DatasetError::Scene { seed: 0, source })?;
        assert_eq!(&frames.rgb[..32 * 24 * 3], &clip.frames[0].rgb[..]);
        let bytes = std::fs::read(a.path().join(&m.shards[0])).map_err(io(a.path()))?;
        let st = safetensors::SafeTensors::deserialize(&bytes)
            .map_err(|e| DatasetError::Format { path: "shard".into(), reason: e.to_string() })?;
        let cond =
            st.tensor("cond").map_err(|e| DatasetError::Format { path: "shard".into(), reason: e.to_string() })?;
        assert_eq!(cond.shape(), &[2, 2, CHANNELS, 3, 4]);
        let first: Vec<f32> = cond.data()[..clip.cond[0].data.len() * 4]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        assert_eq!(first, clip.cond[0].data);
        Ok(())
    }
}
