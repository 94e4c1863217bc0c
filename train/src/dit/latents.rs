//! The DiT's training data: every clip of a `campfire data` set encoded once by the shipped
//! autoencoder, beside its conditioning maps.
//!
//! Encoding 24,000 frames takes a few minutes on two cores, and a DiT run reads every clip many
//! times, so the scaled latents are cached in the dataset directory under a name that carries a
//! hash of the autoencoder's config and weights: retraining the autoencoder makes a new cache
//! rather than silently reusing latents of another latent space.

use crate::shards::{DatasetError, Manifest, read_conditioned_manifest, read_shard};
use campfire_models::autoencoder::Autoencoder;
use campfire_models::autoencoder::metrics::frames_to_tensor;
use candle_core::{DType, Device, Tensor};
use std::path::{Path, PathBuf};

/// Clips as latents and conditioning, all in memory.
#[derive(Debug, Clone)]
pub struct LatentSet {
    /// Scaled latents `(clips, frames, channels, h, w)`, flattened.
    pub latents: Vec<f32>,
    /// Conditioning maps `(clips, frames, cond_channels, h, w)`, flattened.
    pub cond: Vec<f32>,
    pub clips: usize,
    pub frames: usize,
    pub channels: usize,
    pub cond_channels: usize,
    pub height: usize,
    pub width: usize,
}

impl LatentSet {
    fn frame_len(&self) -> usize {
        self.channels * self.height * self.width
    }

    fn cond_len(&self) -> usize {
        self.cond_channels * self.height * self.width
    }

    /// Latents of frames `start..start + len` of clip `clip`.
    pub fn latents_of(&self, clip: usize, start: usize, len: usize) -> &[f32] {
        let n = self.frame_len();
        let first = (clip * self.frames + start) * n;
        &self.latents[first..first + len * n]
    }

    /// Conditioning of frames `start..start + len` of clip `clip`.
    pub fn cond_of(&self, clip: usize, start: usize, len: usize) -> &[f32] {
        let n = self.cond_len();
        let first = (clip * self.frames + start) * n;
        &self.cond[first..first + len * n]
    }

    /// Latents and conditioning of one window of frames as tensors (1, len, C, h, w).
    pub fn window(
        &self,
        clip: usize,
        start: usize,
        len: usize,
        device: &Device,
    ) -> candle_core::Result<(Tensor, Tensor)> {
        let (h, w) = (self.height, self.width);
        let x = Tensor::from_slice(self.latents_of(clip, start, len), (1, len, self.channels, h, w), device)?;
        let c = Tensor::from_slice(self.cond_of(clip, start, len), (1, len, self.cond_channels, h, w), device)?;
        Ok((x, c))
    }
}

/// FNV-1a over the autoencoder's config and weights: names the latent cache.
fn fingerprint(ae_dir: &Path) -> Result<u64, DatasetError> {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for name in ["config.json", "model.safetensors"] {
        let path = ae_dir.join(name);
        let bytes = std::fs::read(&path).map_err(|source| DatasetError::Io { path: path.clone(), source })?;
        for b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    Ok(h)
}

/// Where the latents of `data` encoded by the autoencoder in `ae_dir` are cached.
pub fn cache_path(data: &Path, ae_dir: &Path) -> Result<PathBuf, DatasetError> {
    Ok(data.join(format!("latents-{:016x}.safetensors", fingerprint(ae_dir)?)))
}

/// Loads the dataset in `data` as latents, encoding it with `ae` (loaded from `ae_dir`) the
/// first time and reading the cache after. `on_shard(done, total)` reports encoding progress.
pub fn load_latents(
    data: &Path,
    ae: &Autoencoder,
    ae_dir: &Path,
    mut on_shard: impl FnMut(usize, usize),
) -> Result<(Manifest, LatentSet), DatasetError> {
    let manifest = read_conditioned_manifest(data)?;
    let spec = manifest.spec;
    let ((sw, sh), (cw, ch)) = (spec.size(), spec.cond_size());
    let (c, h, w) = ae.config().latent_shape();
    let (h, w) = (h * sh as usize / ae.config().height, w * sw as usize / ae.config().width);
    if (cw as usize, ch as usize) != (w, h) {
        return Err(DatasetError::Format {
            path: data.join(crate::shards::MANIFEST),
            reason: format!("conditioning maps are {}×{}, the latent grid of {}×{} frames is {w}×{h}", cw, ch, sw, sh),
        });
    }
    let mut cond = Vec::new();
    for name in &manifest.shards {
        cond.extend(read_shard(&data.join(name), &spec)?.cond);
    }
    let cache = cache_path(data, ae_dir)?;
    let want = [manifest.clips, spec.frames, c, h, w];
    let cached = std::fs::read(&cache).ok().and_then(|bytes| {
        let st = safetensors::SafeTensors::deserialize(&bytes).ok()?;
        let t = st.tensor("latents").ok()?;
        (t.dtype() == safetensors::Dtype::F32 && t.shape() == want).then(|| {
            t.data().chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect::<Vec<f32>>()
        })
    });
    let latents = match cached {
        Some(l) => {
            tracing::info!(cache = %cache.display(), "latents read from the cache");
            l
        }
        None => {
            let mut latents = Vec::with_capacity(want.iter().product());
            for (i, name) in manifest.shards.iter().enumerate() {
                let rgb = read_shard(&data.join(name), &spec)?.rgb;
                let frame = sh as usize * sw as usize * 3;
                let n = rgb.len() / frame;
                for first in (0..n).step_by(64) {
                    let k = 64.min(n - first);
                    let x = frames_to_tensor(
                        &rgb[first * frame..(first + k) * frame],
                        k,
                        sh as usize,
                        sw as usize,
                        &Device::Cpu,
                    )?;
                    latents.extend(ae.encode_scaled(&x)?.flatten_all()?.to_vec1::<f32>()?);
                }
                on_shard(i + 1, manifest.shards.len());
            }
            let t = Tensor::from_slice(&latents, want.as_slice(), &Device::Cpu)?;
            let tmp = cache.with_extension("partial");
            safetensors::serialize_to_file([("latents", &t.to_dtype(DType::F32)?)], None, &tmp)
                .map_err(|e| DatasetError::Format { path: tmp.clone(), reason: e.to_string() })?;
            std::fs::rename(&tmp, &cache).map_err(|source| DatasetError::Io { path: cache.clone(), source })?;
            tracing::info!(cache = %cache.display(), "latents encoded and cached");
            latents
        }
    };
    let set = LatentSet {
        latents,
        cond,
        clips: manifest.clips,
        frames: spec.frames,
        channels: c,
        cond_channels: campfire_render::CHANNELS,
        height: h,
        width: w,
    };
    Ok((manifest, set))
}
