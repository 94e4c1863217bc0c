//! How fast the DiT makes video (`campfire bench video`), without needing trained weights: the network's cost does not
//! depend on its values, so an untrained model of the config's shape and the shipped
//! autoencoder's decoder give the real-time figures of the generator.
//!
//! A chunk costs encoding its context (the generator anchors every chunk to the reference
//! renderer's frames before it, so they are encoded each time), one context pass (their keys
//! and values), `steps` denoising passes over the chunk's tokens, and decoding its frames. The model's arithmetic is counted
//! from its shapes and divided by its measured time, and set against a large matrix product
//! timed in turns with it, so the figure says how well the model uses this machine whatever else
//! is running on it.

use campfire_metrics::memory::peak_rss_mib;
use campfire_metrics::stats::median;
use campfire_models::autoencoder::Autoencoder;
use campfire_models::dit::sampling::{SamplerOptions, Velocity, gaussian, sample};
use campfire_models::dit::{Config, Dit};
use candle_core::{DType, Device, Result, Tensor};
use candle_nn::{VarBuilder, VarMap};
use serde::Serialize;
use std::time::Instant;

/// Every figure of one benchmark run.
#[derive(Debug, Clone, Serialize)]
pub struct VideoBench {
    pub width: usize,
    pub height: usize,
    pub fps: u32,
    pub steps: usize,
    pub chunk_frames: usize,
    pub context_frames: usize,
    pub parameters: usize,
    /// Tokens of one chunk and of its context.
    pub chunk_tokens: usize,
    pub context_tokens: usize,
    /// Median wall times, milliseconds.
    pub context_ms: f64,
    pub step_ms: f64,
    pub sample_ms: f64,
    pub decode_ms: f64,
    /// Encoding the context frames from pixels.
    pub encode_context_ms: f64,
    /// Encoding the context, its pass, sampling and decoding of one whole chunk.
    pub chunk_ms: f64,
    /// Seconds of video per wall-clock second (decoder included).
    pub real_time_factor: f64,
    /// From a new scene state to its first decoded frame: the context, the sampler and the
    /// decoding of one frame (the chunk is generated as a whole).
    pub first_frame_ms: f64,
    /// The model's arithmetic for one chunk (context + steps), GFLOP.
    pub model_gflop_per_chunk: f64,
    pub model_gflops: f64,
    /// A 1024×1024×1024 f32 matrix product, timed in turns with the model's passes.
    pub matmul_gflops: f64,
    pub model_fraction_of_matmul: f64,
    /// Peak resident memory of the process, MiB (Linux; 0 elsewhere).
    pub peak_memory_mib: f64,
}

/// Times `f` `repeats` times after one warm-up run; the median in milliseconds.
fn time_ms(repeats: usize, mut f: impl FnMut() -> Result<()>) -> Result<f64> {
    f()?;
    let mut times = Vec::with_capacity(repeats);
    for _ in 0..repeats.max(1) {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(median(times).unwrap_or(f64::NAN))
}

/// Multiply-adds ×2 of a forward pass of `n` tokens attending to `keys` keys.
pub fn forward_flops(cfg: &Config, n: usize, keys: usize) -> f64 {
    let d = cfg.hidden_size as f64;
    let n = n as f64;
    let embed = n * (cfg.patch_dim() as f64 * d + cfg.cond_patch_dim() as f64 * d + d * d);
    let per_block = n * (3.0 * d * d + d * d + 2.0 * cfg.mlp_ratio as f64 * d * d) + 2.0 * n * keys as f64 * d;
    let head = n * d * cfg.patch_dim() as f64;
    2.0 * (embed + cfg.depth as f64 * per_block + head)
}

/// Side of the square matrix product that stands for the machine's matmul throughput.
const MATMUL_SIDE: usize = 1024;

/// The matmul throughput (GFLOP/s) and the median time of `f` (ms), the two timed in turns so
/// that both see the same machine: timed one after the other, the ratio of the two swung from
/// 29 % to 45 % between runs here, as other work on the host came and went.
fn interleaved_with_matmul(device: &Device, repeats: usize, mut f: impl FnMut() -> Result<()>) -> Result<(f64, f64)> {
    let n = MATMUL_SIDE;
    let a = Tensor::randn(0f32, 1.0, (n, n), device)?;
    let b = Tensor::randn(0f32, 1.0, (n, n), device)?;
    let matmul = || a.matmul(&b)?.device().synchronize();
    let (mut mm, mut fs) = (Vec::with_capacity(repeats), Vec::with_capacity(repeats));
    matmul()?;
    f()?;
    for _ in 0..repeats.max(1) {
        let t = Instant::now();
        matmul()?;
        mm.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        f()?;
        fs.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (mm, fs) = (median(mm).unwrap_or(f64::NAN), median(fs).unwrap_or(f64::NAN));
    Ok((2.0 * (n as f64).powi(3) / (mm / 1000.0) / 1e9, fs))
}

/// Benchmarks generating `width`×`height` video at `fps` with `steps` steps and the config's
/// chunk and context lengths; each time is the median of `repeats` runs.
pub fn bench_video(
    cfg: &Config,
    ae: &Autoencoder,
    width: usize,
    height: usize,
    fps: u32,
    steps: usize,
    repeats: usize,
) -> Result<VideoBench> {
    let device = Device::Cpu;
    let scale = ae.config().downscale();
    if !width.is_multiple_of(scale * cfg.patch_w) || !height.is_multiple_of(scale * cfg.patch_h) {
        candle_core::bail!(
            "{width}×{height} does not divide into latent patches of {}×{} pixels",
            scale * cfg.patch_w,
            scale * cfg.patch_h
        );
    }
    let (h, w) = (height / scale, width / scale);
    // Plain tensors, as loaded weights are: variables would make candle record every op for a
    // backward pass. Untrained adaLN-zero layers are exactly zero; random values make the
    // arithmetic real.
    let vm = VarMap::new();
    Dit::new(cfg, VarBuilder::from_varmap(&vm, DType::F32, &device))?;
    let weights = vm
        .data()
        .lock()
        .map_err(|_| candle_core::Error::Msg("var map lock poisoned".into()))?
        .iter()
        .map(|(k, v)| Ok((k.clone(), Tensor::randn(0f32, 0.02, v.shape(), &device)?)))
        .collect::<Result<std::collections::HashMap<_, _>>>()?;
    let model = Dit::new(cfg, VarBuilder::from_tensors(weights, DType::F32, &device))?;
    let (tc, tn) = (cfg.context_frames, cfg.chunk_frames);
    let mut rng = fastrand::Rng::with_seed(0);
    let ctx = gaussian((1, tc, cfg.latent_channels, h, w), &mut rng, &device)?;
    let ctx_cond = Tensor::rand(0f32, 1.0, (1, tc, cfg.cond_channels, h, w), &device)?;
    let cond = Tensor::rand(0f32, 1.0, (1, tn, cfg.cond_channels, h, w), &device)?;
    let ctx_t = Tensor::full(0.1f32, (1, tc), &device)?;

    let context_ms = time_ms(repeats, || model.context(&ctx, &ctx_cond, &ctx_t).map(|_| ()))?;
    let cache = (tc > 0).then(|| model.context(&ctx, &ctx_cond, &ctx_t)).transpose()?;
    let x = gaussian((1, tn, cfg.latent_channels, h, w), &mut rng, &device)?;
    let (t1, d) = (Tensor::ones((1, tn), DType::F32, &device)?, Tensor::full(0.25f32, 1, &device)?);
    let step_ms = time_ms(repeats, || model.forward(&x, &cond, &t1, &d, cache.as_ref()).map(|_| ()))?;
    let opts = SamplerOptions { steps, seed: 1, velocity: Velocity::default() };
    let sample_ms = time_ms(repeats, || sample(&model, &cond, cache.as_ref(), opts).map(|_| ()))?;
    let latents = sample(&model, &cond, cache.as_ref(), opts)?.squeeze(0)?;
    let decode_ms = time_ms(repeats, || ae.decode_scaled(&latents).map(|_| ()))?;
    let pixels = Tensor::rand(0f32, 1.0, (tc, 3, height, width), &device)?;
    let encode_context_ms = time_ms(repeats, || ae.encode_scaled(&pixels).map(|_| ()))?;
    let first = latents.narrow(0, 0, 1)?;
    let decode_one_ms = time_ms(repeats, || ae.decode_scaled(&first).map(|_| ()))?;

    let chunk_ms = encode_context_ms + context_ms + sample_ms + decode_ms;
    let (pt, ph, pw) = (cfg.patch_t, cfg.patch_h, cfg.patch_w);
    let chunk_tokens = tn / pt * (h / ph) * (w / pw);
    let context_tokens = tc / pt * (h / ph) * (w / pw);
    let flop = forward_flops(cfg, context_tokens, context_tokens)
        + steps as f64 * forward_flops(cfg, chunk_tokens, chunk_tokens + context_tokens);
    // The model's share of the machine: its whole work for a chunk (context pass and sampling)
    // timed in turns with the matrix product.
    let (matmul, model_ms) = interleaved_with_matmul(&device, repeats, || {
        let cache = (tc > 0).then(|| model.context(&ctx, &ctx_cond, &ctx_t)).transpose()?;
        sample(&model, &cond, cache.as_ref(), opts).map(|_| ())
    })?;
    let model_gflops = flop / (model_ms / 1000.0) / 1e9;
    Ok(VideoBench {
        width,
        height,
        fps,
        steps,
        chunk_frames: tn,
        context_frames: tc,
        parameters: cfg.parameter_count(),
        chunk_tokens,
        context_tokens,
        context_ms,
        step_ms,
        sample_ms,
        decode_ms,
        encode_context_ms,
        chunk_ms,
        real_time_factor: (tn as f64 / fps as f64) / (chunk_ms / 1000.0),
        first_frame_ms: encode_context_ms + context_ms + sample_ms + decode_one_ms,
        model_gflop_per_chunk: flop / 1e9,
        model_gflops,
        matmul_gflops: matmul,
        model_fraction_of_matmul: model_gflops / matmul,
        peak_memory_mib: peak_rss_mib().unwrap_or(0.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bench runs on the shipped autoencoder at a small size and reports consistent
    /// figures (no timing thresholds: only that the numbers hang together).
    #[test]
    fn bench_reports_consistent_figures() -> Result<()> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/models/ae");
        let ae = campfire_models::autoencoder::load(&dir, &Device::Cpu)
            .map_err(|e| candle_core::Error::Msg(e.to_string()))?;
        let cfg = campfire_train::preset::Preset::Tiny.dit();
        let b = bench_video(&cfg, &ae, 64, 32, 12, 2, 1)?;
        assert_eq!((b.chunk_tokens, b.context_tokens), (2 * 2 * 4, 2 * 4));
        assert!(b.chunk_ms >= b.sample_ms && b.sample_ms > 0.0 && b.decode_ms > 0.0);
        assert!(b.first_frame_ms <= b.chunk_ms + b.decode_ms);
        assert!(b.model_gflops > 0.0 && b.matmul_gflops > 0.0);
        assert!(bench_video(&cfg, &ae, 60, 32, 12, 2, 1).is_err(), "60 pixels do not divide into 16-pixel patches");
        Ok(())
    }
}
