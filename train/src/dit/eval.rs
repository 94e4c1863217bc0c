//! Generated chunks against the reference renderer: the next chunk of a clip, sampled from its
//! conditioning with the clip's first frames as context, decoded and compared with the frames
//! the renderer drew.

use super::latents::LatentSet;
use crate::shards::{Manifest, read_shard};
use campfire_models::autoencoder::Autoencoder;
use campfire_models::autoencoder::metrics::{mse_u8, psnr_from_mse, tensor_to_frames};
use campfire_models::dit::Dit;
use campfire_models::dit::sampling::{SamplerOptions, Velocity, gaussian, noised, sample};
use campfire_render::Frame;
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

impl Preview {
    /// One picture to look at: the reference frames in a row above, the generated ones below.
    pub fn frame(&self) -> Frame {
        let (w, h) = (self.width, self.height);
        let frames = self.reference.len() / (w * h * 3).max(1);
        let row = frames * w * 3;
        let mut rgb = vec![0u8; 2 * h * row];
        for (half, src) in [&self.reference, &self.generated].into_iter().enumerate() {
            for f in 0..frames {
                for y in 0..h {
                    let from = (f * h + y) * w * 3;
                    let to = (half * h + y) * row + f * w * 3;
                    rgb[to..to + w * 3].copy_from_slice(&src[from..from + w * 3]);
                }
            }
        }
        Frame { width: (frames * w) as u32, height: (2 * h) as u32, rgb }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_puts_the_reference_frames_above_the_generated_ones() {
        // Two frames of 2x1 pixels: reference values 1..=4, generated 11..=14 (one per pixel).
        let pixels = |from: u8| (from..from + 4).flat_map(|v| [v; 3]).collect::<Vec<u8>>();
        let p = Preview { width: 2, height: 1, reference: pixels(1), generated: pixels(11) };
        let f = p.frame();
        assert_eq!((f.width, f.height), (4, 2));
        let red: Vec<u8> = f.rgb.chunks_exact(3).map(|px| px[0]).collect();
        assert_eq!(red, vec![1, 2, 3, 4, 11, 12, 13, 14]);
    }
}
