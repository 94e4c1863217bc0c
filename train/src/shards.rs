//! The dataset on disk: a `dataset.json` manifest and shards of clips in safetensors.
//!
//! `shard-NNNNN.safetensors` holds `frames`, u8 `(N, T, H, W, 3)`, and `cond`, f32
//! `(N, T, C, h, w)` (the conditioning maps, channel contract in [`campfire_render::condition`]);
//! its one metadata entry `shard` is a JSON object with `condition_version`, the version of the
//! channel layout, and `clips`, per clip the seed, the initial stage, the tick of the first frame
//! and the full event log, so that conditioning can be recomputed from the real events. (One
//! entry, because safetensors writes its metadata map in hash order: two would make the same
//! dataset differ from run to run. Shards from before versions hold `clips` alone.)
//!
//! The manifest and every shard record the conditioning version they were made with
//! ([`CONDITION_VERSION`]); [`read_shard`] refuses another one with a message that says how to
//! remake the data. [`load_frames`] reads only the frames (the autoencoder never sees the
//! conditioning), so it takes data of any conditioning version.

use crate::dataset::{Clip, ClipSpec, Split, clip_seed, sample_clip};
use campfire_render::condition::{CONDITION_VERSION, VersionMismatch, check_version};
use campfire_render::{CHANNELS, ConditionMap};
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

    /// The frames of held-out clips `0..clips` of base seed `base`, rendered now (no dataset
    /// on disk): what an autoencoder is measured on when none is given.
    pub fn heldout(base: u64, clips: usize, spec: &ClipSpec) -> Result<FrameSet, SceneError> {
        let mut rgb = Vec::new();
        for i in 0..clips {
            let clip = sample_clip(clip_seed(Split::Heldout, base, i as u64), spec)?;
            clip.frames.iter().for_each(|f| rgb.extend_from_slice(&f.rgb));
        }
        let (w, h) = spec.size();
        Ok(FrameSet { rgb, count: clips * spec.frames, height: h as usize, width: w as usize })
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
    #[error("building a tensor")]
    Tensor(#[from] candle_core::Error),
    #[error(transparent)]
    Condition(#[from] VersionMismatch),
}

/// What to tell someone holding data made for other conditioning.
const REMAKE: &str = "remake the dataset with `campfire data`";

/// What `dataset.json` records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub split: Split,
    /// Base seed; clip `i` has seed [`clip_seed`]`(split, seed, i)`.
    pub seed: u64,
    pub clips: usize,
    /// Frame format (size, rate, latent grid) and frames per clip.
    pub spec: ClipSpec,
    /// [`CONDITION_VERSION`] of the `cond` maps; 0 when made before versions were recorded.
    #[serde(default)]
    pub condition_version: u32,
    pub shards: Vec<String>,
}

/// One shard as read back: its clips' stories, frames and conditioning maps.
#[derive(Clone, Debug, PartialEq)]
pub struct Shard {
    /// Per clip: seed, initial stage, first-frame tick and every event.
    pub clips: Vec<ClipMeta>,
    /// Frames per clip.
    pub frames_per_clip: usize,
    pub spec: ClipSpec,
    /// Packed RGB, `(N·T, H, W, 3)`.
    pub rgb: Vec<u8>,
    /// Conditioning, `(N·T, C, h, w)` f32.
    pub cond: Vec<f32>,
}

impl Shard {
    /// Frames in the shard (clips × frames per clip).
    pub fn frame_count(&self) -> usize {
        self.clips.len() * self.frames_per_clip
    }

    /// Packed RGB of frame `i` of clip `clip`.
    pub fn frame(&self, clip: usize, i: usize) -> &[u8] {
        let (w, h) = self.spec.size();
        let n = w as usize * h as usize * 3;
        let k = clip * self.frames_per_clip + i;
        &self.rgb[k * n..(k + 1) * n]
    }

    /// The conditioning map of frame `i` of clip `clip`.
    pub fn condition(&self, clip: usize, i: usize) -> ConditionMap {
        let (w, h) = self.spec.cond_size();
        let n = CHANNELS * w as usize * h as usize;
        let k = clip * self.frames_per_clip + i;
        ConditionMap { width: w, height: h, channels: CHANNELS as u32, data: self.cond[k * n..(k + 1) * n].to_vec() }
    }
}

/// One clip's story as stored in a shard's metadata.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClipMeta {
    pub seed: u64,
    pub initial_stage: Stage,
    pub start_tick: Tick,
    pub events: EventLog,
}

/// A shard's metadata.
#[derive(Serialize, Deserialize)]
struct ShardMeta {
    condition_version: u32,
    clips: Vec<ClipMeta>,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DatasetError + '_ {
    move |source| DatasetError::Io { path: path.to_path_buf(), source }
}

fn write_shard(path: &Path, clips: &[Clip], spec: &ClipSpec) -> Result<(), DatasetError> {
    let (w, h) = spec.size();
    let (t, h, w) = (spec.frames, h as usize, w as usize);
    let mut rgb = Vec::with_capacity(clips.len() * t * h * w * 3);
    for c in clips {
        for f in &c.frames {
            rgb.extend_from_slice(&f.rgb);
        }
    }
    let frames = Tensor::from_vec(rgb, (clips.len(), t, h, w, 3), &Device::Cpu)?;
    let (cw, ch) = spec.cond_size();
    let (ch, cw) = (ch as usize, cw as usize);
    let mut maps = Vec::with_capacity(clips.len() * t * CHANNELS * ch * cw);
    for c in clips {
        for m in &c.cond {
            maps.extend_from_slice(&m.data);
        }
    }
    let cond = Tensor::from_vec(maps, (clips.len(), t, CHANNELS, ch, cw), &Device::Cpu)?;
    let clips = clips
        .iter()
        .map(|c| ClipMeta {
            seed: c.seed,
            initial_stage: c.initial_stage,
            start_tick: c.start_tick,
            events: c.events.clone(),
        })
        .collect();
    let meta = ShardMeta { condition_version: CONDITION_VERSION, clips };
    let json =
        serde_json::to_string(&meta).map_err(|e| DatasetError::Format { path: path.into(), reason: e.to_string() })?;
    let info = HashMap::from([("shard".to_string(), json)]);
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
    spec.format.validate().map_err(|e| DatasetError::Format { path: dir.to_path_buf(), reason: e.to_string() })?;
    let mut manifest = Manifest { split, seed, clips, spec, condition_version: CONDITION_VERSION, shards: Vec::new() };
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

/// Reads `dir/dataset.json`.
pub fn read_manifest(dir: &Path) -> Result<Manifest, DatasetError> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read(&path).map_err(io(&path))?;
    serde_json::from_slice(&text).map_err(|e| DatasetError::Format {
        path,
        reason: format!("not a dataset manifest of this version ({e}); {REMAKE}"),
    })
}

/// Reads `dir/dataset.json` and refuses a dataset whose conditioning maps are another version
/// than this build's: what a conditioned model trains on.
pub fn read_conditioned_manifest(dir: &Path) -> Result<Manifest, DatasetError> {
    let manifest = read_manifest(dir)?;
    check_version(manifest.condition_version, dir.join(MANIFEST).display().to_string(), REMAKE)?;
    Ok(manifest)
}

/// The parsed header and the `frames` bytes of a shard, checked against `spec`.
fn open_shard<'a>(
    path: &Path,
    bytes: &'a [u8],
    spec: &ClipSpec,
) -> Result<(Vec<ClipMeta>, safetensors::SafeTensors<'a>, Option<u32>), DatasetError> {
    let bad = |reason: String| DatasetError::Format { path: path.to_path_buf(), reason };
    let (_, header) =
        safetensors::SafeTensors::read_metadata(bytes).map_err(|e| bad(format!("not a safetensors file: {e}")))?;
    let info = header.metadata().as_ref();
    let (meta, version) = match (info.and_then(|m| m.get("shard")), info.and_then(|m| m.get("clips"))) {
        (Some(j), _) => {
            let m: ShardMeta = serde_json::from_str(j).map_err(|e| bad(format!("bad `shard` metadata: {e}")))?;
            (m.clips, Some(m.condition_version))
        }
        (None, Some(j)) => (serde_json::from_str(j).map_err(|e| bad(format!("bad `clips` metadata: {e}")))?, None),
        (None, None) => return Err(bad("no `shard` metadata".into())),
    };
    let st = safetensors::SafeTensors::deserialize(bytes).map_err(|e| bad(format!("not a safetensors file: {e}")))?;
    let frames = st.tensor("frames").map_err(|_| bad("no `frames` tensor".into()))?;
    let (w, h) = spec.size();
    let want = [meta.len(), spec.frames, h as usize, w as usize, 3];
    if frames.dtype() != safetensors::Dtype::U8 || frames.shape() != want {
        return Err(bad(format!("`frames` is {:?} {:?}, expected U8 {want:?}", frames.dtype(), frames.shape())));
    }
    Ok((meta, st, version))
}

/// Reads one shard: its clips' stories (with every event), frames and conditioning maps.
/// Refuses a shard made for another conditioning version.
pub fn read_shard(path: &Path, spec: &ClipSpec) -> Result<Shard, DatasetError> {
    let bytes = std::fs::read(path).map_err(io(path))?;
    let (clips, st, version) = open_shard(path, &bytes, spec)?;
    check_version(version.unwrap_or(0), path.display().to_string(), REMAKE)?;
    let bad = |reason: String| DatasetError::Format { path: path.to_path_buf(), reason };
    let cond = st.tensor("cond").map_err(|_| bad("no `cond` tensor".into()))?;
    let (cw, ch) = spec.cond_size();
    let want = [clips.len(), spec.frames, CHANNELS, ch as usize, cw as usize];
    if cond.dtype() != safetensors::Dtype::F32 || cond.shape() != want {
        return Err(bad(format!("`cond` is {:?} {:?}, expected F32 {want:?}", cond.dtype(), cond.shape())));
    }
    let cond = cond.data().chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
    let rgb = st.tensor("frames").map_err(|_| bad("no `frames` tensor".into()))?.data().to_vec();
    Ok(Shard { clips, frames_per_clip: spec.frames, spec: *spec, rgb, cond })
}

/// Every frame of the dataset in `dir`, for training or evaluating the autoencoder (which
/// never reads the conditioning, so any conditioning version will do).
pub fn load_frames(dir: &Path) -> Result<(Manifest, FrameSet), DatasetError> {
    let manifest = read_manifest(dir)?;
    let spec = manifest.spec;
    let mut rgb = Vec::new();
    for name in &manifest.shards {
        let path = dir.join(name);
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        let (_, st, _) = open_shard(&path, &bytes, &spec)?;
        let frames = st
            .tensor("frames")
            .map_err(|_| DatasetError::Format { path: path.clone(), reason: "no `frames` tensor".into() })?;
        rgb.extend_from_slice(frames.data());
    }
    let (w, h) = spec.size();
    let (h, w) = (h as usize, w as usize);
    let count = rgb.len() / (h * w * 3);
    Ok((manifest, FrameSet { rgb, count, height: h, width: w }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use campfire_render::VideoFormat;

    fn tmp() -> Result<tempfile::TempDir, DatasetError> {
        tempfile::tempdir().map_err(io(Path::new("tmp")))
    }

    #[test]
    fn written_dataset_reads_back_and_is_deterministic() -> Result<(), DatasetError> {
        let (a, b) = (tmp()?, tmp()?);
        let spec = ClipSpec::new(VideoFormat::TRAINING.with_size(32, 24), 2);
        let m = write_dataset(a.path(), Split::Heldout, 5, 3, spec, 2, |_| {})?;
        write_dataset(b.path(), Split::Heldout, 5, 3, spec, 2, |_| {})?;
        assert_eq!(m.shards.len(), 2);
        assert_eq!(m.condition_version, CONDITION_VERSION);
        for name in &m.shards {
            let x = std::fs::read(a.path().join(name)).map_err(io(a.path()))?;
            let y = std::fs::read(b.path().join(name)).map_err(io(b.path()))?;
            assert!(x == y, "{name} differs between two runs with the same seed");
        }
        let (back, frames) = load_frames(a.path())?;
        assert_eq!(back, m);
        assert_eq!(frames.count, 6);
        assert_eq!(read_conditioned_manifest(a.path())?, m);

        // A shard gives back what the clip was made of: its story, frames and conditioning.
        let shard = read_shard(&a.path().join(&m.shards[0]), &spec)?;
        assert_eq!((shard.clips.len(), shard.frame_count()), (2, 4));
        for (k, meta) in shard.clips.iter().enumerate() {
            assert_eq!(meta.seed, clip_seed(Split::Heldout, 5, k as u64));
            let clip =
                sample_clip(meta.seed, &spec).map_err(|source| DatasetError::Scene { seed: meta.seed, source })?;
            assert_eq!(
                (meta.initial_stage, meta.start_tick, &meta.events),
                (clip.initial_stage, clip.start_tick, &clip.events)
            );
            for i in 0..spec.frames {
                assert_eq!(shard.frame(k, i), &clip.frames[i].rgb[..], "clip {k} frame {i}");
                assert_eq!(shard.condition(k, i), clip.cond[i], "clip {k} conditioning {i}");
            }
        }
        assert_eq!(shard.condition(0, 0).width, 4, "the conditioning is at the latent grid, 1/8 of 32");
        Ok(())
    }

    #[test]
    fn data_for_other_conditioning_is_refused_with_a_remedy() -> Result<(), DatasetError> {
        let dir = tmp()?;
        let spec = ClipSpec::new(VideoFormat::TRAINING.with_size(32, 24), 1);
        let m = write_dataset(dir.path(), Split::Train, 1, 1, spec, 1, |_| {})?;
        let shard = dir.path().join(&m.shards[0]);

        // The manifest of a dataset made for the previous layout.
        let old = Manifest { condition_version: CONDITION_VERSION - 1, ..m.clone() };
        let json = serde_json::to_string(&old)
            .map_err(|e| DatasetError::Format { path: "json".into(), reason: e.to_string() })?;
        std::fs::write(dir.path().join(MANIFEST), json).map_err(io(dir.path()))?;
        let err = read_conditioned_manifest(dir.path()).expect_err("old conditioning must be refused");
        let msg = err.to_string();
        assert!(matches!(err, DatasetError::Condition(_)), "{msg}");
        assert!(
            msg.contains("dataset.json")
                && msg.contains(&format!("version {}", CONDITION_VERSION - 1))
                && msg.contains("campfire data"),
            "{msg}"
        );
        // The frames themselves are still good for the autoencoder.
        assert_eq!(load_frames(dir.path())?.1.count, 1);

        // A shard without the version (made before versions were recorded).
        let bytes = std::fs::read(&shard).map_err(io(&shard))?;
        let st = safetensors::SafeTensors::deserialize(&bytes)
            .map_err(|e| DatasetError::Format { path: shard.clone(), reason: e.to_string() })?;
        let (_, header) = safetensors::SafeTensors::read_metadata(&bytes)
            .map_err(|e| DatasetError::Format { path: shard.clone(), reason: e.to_string() })?;
        let meta = header.metadata().as_ref().and_then(|m| m.get("shard")).cloned().unwrap_or_default();
        let clips = serde_json::from_str::<ShardMeta>(&meta)
            .map(|m| serde_json::to_string(&m.clips))
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default();
        let tensors: Vec<(String, safetensors::tensor::TensorView<'_>)> = st.tensors();
        safetensors::serialize_to_file(tensors, Some(HashMap::from([("clips".to_string(), clips)])), &shard)
            .map_err(|e| DatasetError::Format { path: shard.clone(), reason: e.to_string() })?;
        let err = read_shard(&shard, &spec).expect_err("unversioned shard must be refused");
        assert!(err.to_string().contains("conditioning version 0"), "{err}");
        Ok(())
    }
}
