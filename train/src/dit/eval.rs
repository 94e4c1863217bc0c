//! Generated chunks against the reference renderer: the next chunk of a clip, sampled from its
//! conditioning with the clip's first frames as context, decoded and compared with the frames
//! the renderer drew.

use super::latents::LatentSet;
use crate::shards::{Manifest, read_shard};
use campfire_models::autoencoder::Autoencoder;
use campfire_models::autoencoder::metrics::{mse_u8, psnr_from_mse, tensor_to_frames};
use campfire_models::dit::Dit;
use campfire_models::dit::sampling::{SamplerOptions, Velocity, gaussian, noised, sample};
use candle_core::{DType, Device, Result, Tensor};
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Serialize)]
pub struct ChunkEval {
    /// Sampler steps.
    pub steps: usize,
    pub velocity: Velocity,
    pub clips: usize,
    /// PSNR of the generated chunks against the renderer's frames (mean squared error over all).
    pub psnr_db: f64,
    /// PSNR of the autoencoder's round trip of the same frames: the ceiling for `psnr_db`.
    pub autoencoder_psnr_db: f64,
}

/// Generated and reference frames of one clip, packed RGB, for looking at.
pub struct Preview {
    pub width: usize,
    pub height: usize,
    pub generated: Vec<u8>,
    pub reference: Vec<u8>,
}

/// Samples the chunk after the context of the first `clips` clips with `steps` steps of
/// `velocity` and compares it with the rendered frames; the context frames get noise level
/// `context_noise` (as the generator gives its own output). Returns the figures and the first
/// clip's frames.
#[allow(clippy::too_many_arguments)]
pub fn evaluate_chunks(
    model: &Dit,
    ae: &Autoencoder,
    data_dir: &Path,
    manifest: &Manifest,
    set: &LatentSet,
    clips: usize,
    steps: usize,
    velocity: Velocity,
    context_noise: f32,
    seed: u64,
) -> Result<(ChunkEval, Option<Preview>)> {
    let cfg = model.config();
    let (tc, tn) = (cfg.context_frames, cfg.chunk_frames.min(set.frames.saturating_sub(cfg.context_frames)));
    if tn == 0 || !tn.is_multiple_of(cfg.patch_t) {
        candle_core::bail!("clips of {} frames leave no whole chunk after {tc} context frames", set.frames);
    }
    let spec = manifest.spec;
    let (w, h) = spec.size();
    let (h, w) = (h as usize, w as usize);
    let frame = h * w * 3;
    let device = Device::Cpu;
    let (mut err, mut err_ae, mut n) = (0.0, 0.0, 0usize);
    let mut preview = None;
    let mut done = 0;
    'shards: for name in &manifest.shards {
        let shard = read_shard(&data_dir.join(name), &spec).map_err(|e| candle_core::Error::Msg(e.to_string()))?;
        let (meta, rgb) = (shard.clips, shard.rgb);
        for (k, _) in meta.iter().enumerate() {
            if done == clips {
                break 'shards;
            }
            let (ctx, ctx_cond) = set.window(done, 0, tc, &device)?;
            let (truth, cond) = set.window(done, tc, tn, &device)?;
            let mut rng = fastrand::Rng::with_seed(seed ^ done as u64);
            let ctx_t = Tensor::full(context_noise, (1, tc), &device)?;
            let cache = match tc {
                0 => None,
                _ => {
                    let noisy = noised(&ctx, &gaussian(ctx.dims(), &mut rng, &device)?, &ctx_t)?;
                    Some(model.context(&noisy, &ctx_cond, &ctx_t)?)
                }
            };
            let opts = SamplerOptions { steps, seed: seed.wrapping_add(done as u64), velocity };
            let z = sample(model, &cond, cache.as_ref(), opts)?;
            let generated = tensor_to_frames(&ae.decode_scaled(&z.squeeze(0)?)?)?;
            let round_trip = tensor_to_frames(&ae.decode_scaled(&truth.squeeze(0)?.to_dtype(DType::F32)?)?)?;
            let first = (k * spec.frames + tc) * frame;
            let reference = &rgb[first..first + tn * frame];
            err += mse_u8(&generated, reference) * tn as f64;
            err_ae += mse_u8(&round_trip, reference) * tn as f64;
            n += tn;
            if preview.is_none() {
                preview = Some(Preview { width: w, height: h, generated, reference: reference.to_vec() });
            }
            done += 1;
        }
    }
    if n == 0 {
        candle_core::bail!("no clips to evaluate");
    }
    let report = ChunkEval {
        steps,
        velocity,
        clips: done,
        psnr_db: psnr_from_mse(err / n as f64),
        autoencoder_psnr_db: psnr_from_mse(err_ae / n as f64),
    };
    Ok((report, preview))
}
