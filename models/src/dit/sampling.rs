//! Rectified flow, shortcut-model targets and the few-step sampler, as plain functions.
//!
//! # Convention
//! `x_t = (1 - t) · x_0 + t · ε` with `t = 1` pure noise and `t = 0` the clean latent; the
//! network predicts the velocity `v = ε - x_0`, and a step of size `d` goes
//! `x_{t-d} = x_t - d · v` (rectified flow, Liu et al., 2022; as in SD3, Esser et al., 2024).
//!
//! # Why shortcut models for ≤ 4 steps
//! On two CPU cores every training hour counts and the sampler gets at most four network
//! evaluations per chunk. The choices:
//! - *Progressive distillation* (Salimans & Ho, 2022) needs a trained teacher and then one
//!   distillation round per halving (128 → 4 steps is five rounds), each nearly a training run.
//! - *Consistency distillation* (Song et al., 2023) also needs a finished teacher and an EMA
//!   target; its few-step quality is below its one-step gains, and it is fragile to tune.
//! - *Reflow* (Liu et al., 2022) first samples a large set of noise/latent pairs with the
//!   many-step teacher: hours of CPU before retraining starts.
//! - *DMD* (Yin et al., 2024) trains a second "fake score" network beside the generator:
//!   twice the memory and more than twice the compute per step.
//! - *Shortcut models* (Frans et al., 2024, "One Step Diffusion via Shortcut Models",
//!   arXiv:2410.12557) train one network in one run: it is also told the step size `d`, plain
//!   flow matching teaches the finest step, and a self-consistency target teaches a step of
//!   `2d` to land where two steps of `d` land. The extra cost is two forward passes without
//!   gradient on a quarter of the batch (about +15 % per training step), there is no
//!   teacher phase, and the same weights sample with 1, 2, 4 … or 128 steps — so the
//!   many-step "teacher" quality and the 4-step "student" quality are measured on one model.
//!   The paper reports 4-step quality close to 128-step flow matching, better than
//!   consistency training and reflow at equal budget.
//!
//! Our data also helps few-step sampling: the conditioning maps pin down nearly everything on
//! screen, so the conditional distribution is narrow and the flow nearly straight.
//!
//! # Which velocity the generator samples with
//! So straight that the flow itself, in two Euler steps, beats its own shortcut
//! ([`Velocity`]): measured with `campfire eval dit --anchor --timelines 8 --seconds 4
//! --steps N [--shortcut]` on the second run's step 196 (assets/models/dit/README.md), held-out
//! seed 0, the flow scores 22.83, 22.96, 22.76 and 22.30 dB in 1, 2, 4 and 32 steps, the
//! shortcut 21.68, 21.89 and 22.15 dB in 1, 2 and 32. From pure noise the flow points at the
//! mean of what the conditioning allows; the shortcut lands on one sample, and what the
//! conditioning leaves open (grass tufts, a figure's exact pose) it guesses, drawn as blotches
//! in the sky and on the ground. The shortcut examples stay in training: they cost little, and
//! they keep the shortcut sampler (`--shortcut`) to compare against.

use super::model::{ContextCache, Dit};
use candle_core::{DType, Device, Result, Shape, Tensor};

/// Standard normal noise from a seeded generator, so a seed gives the same noise on every
/// device and run (candle's CPU generator cannot be seeded).
pub fn gaussian(shape: impl Into<Shape>, rng: &mut fastrand::Rng, device: &Device) -> Result<Tensor> {
    let shape = shape.into();
    let n = shape.elem_count();
    let mut v = Vec::with_capacity(n + 1);
    while v.len() < n {
        // Box–Muller: two uniform numbers give two independent normal ones.
        let u1 = rng.f64().max(f64::MIN_POSITIVE);
        let u2 = rng.f64();
        let r = (-2.0 * u1.ln()).sqrt();
        let a = std::f64::consts::TAU * u2;
        v.push((r * a.cos()) as f32);
        v.push((r * a.sin()) as f32);
    }
    v.truncate(n);
    Tensor::from_vec(v, shape, device)
}

/// `x_t = (1 - t) · x_0 + t · ε`, with one level per frame.
///
/// x0, noise: (B, T, C, H, W), t: (B, T) -> (B, T, C, H, W)
pub fn noised(x0: &Tensor, noise: &Tensor, t: &Tensor) -> Result<Tensor> {
    let t = t.unsqueeze(2)?.unsqueeze(3)?.unsqueeze(4)?;
    x0.broadcast_mul(&(1.0 - &t)?)? + noise.broadcast_mul(&t)?
}

/// Step size of each step of an `steps`-step sampler and the step size the network is told:
/// `1/steps`, or 0 (the instantaneous flow, what plain flow matching trains) at the finest
/// level `2^-levels` and below.
pub fn step_size(steps: usize, levels: u32) -> (f64, f64) {
    let d = 1.0 / steps.max(1) as f64;
    (d, told_step(d, levels))
}

/// The step size the network is told for a step of `d`: 0 at or below the finest level.
pub fn told_step(d: f64, levels: u32) -> f64 {
    if d <= 1.0 / (1u64 << levels) as f64 + 1e-12 { 0.0 } else { d }
}

/// Which velocity each step of the sampler asks the network for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Velocity {
    /// The instantaneous flow (the network told a step size of 0, what plain flow matching
    /// trains). From pure noise it points at the mean of the frames the conditioning allows,
    /// so a few Euler steps land on a smooth picture near that mean.
    #[default]
    Flow,
    /// The shortcut model's velocity for a step of the sampler's size (told `d`, down to the
    /// finest level): a few steps land on one sample, with its detail and its blotches.
    Shortcut,
}

/// What the sampler needs besides the model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SamplerOptions {
    /// Network evaluations per chunk.
    pub steps: usize,
    /// Seed of the starting noise.
    pub seed: u64,
    pub velocity: Velocity,
}

/// Generates a chunk: from noise at `t = 1` to clean latents in `opts.steps` Euler steps of
/// size `d`, each asking the network for the velocity `opts.velocity`.
///
/// cond: (B, T, Cc, H, W), context: the previous frames' cache -> latents (B, T, C, H, W) in
/// the model's scaled latent space.
pub fn sample(model: &Dit, cond: &Tensor, context: Option<&ContextCache>, opts: SamplerOptions) -> Result<Tensor> {
    let cfg = model.config();
    let (b, frames, _, h, w) = cond.dims5()?;
    let device = cond.device();
    let mut rng = fastrand::Rng::with_seed(opts.seed);
    let mut x = gaussian((b, frames, cfg.latent_channels, h, w), &mut rng, device)?;
    let (d, told) = match opts.velocity {
        Velocity::Shortcut => step_size(opts.steps, cfg.shortcut_levels),
        Velocity::Flow => (1.0 / opts.steps.max(1) as f64, 0.0),
    };
    let d_in = Tensor::full(told as f32, b, device)?;
    for k in 0..opts.steps.max(1) {
        let t = 1.0 - k as f64 * d;
        let t_in = Tensor::full(t as f32, (b, frames), device)?;
        let v = model.forward(&x, cond, &t_in, &d_in, context)?;
        x = (x - (v * d)?)?;
    }
    Ok(x)
}

/// The shortcut models' self-consistency target for a step of size `2h` from `x_t`: the mean
/// velocity of two steps of size `h` (no gradient flows through it).
///
/// x_t: (B, T, C, H, W), t: (B, T), half: (B,) the half step `h`, told: (B,) the step size
/// the network is told for it ([`told_step`]) -> target velocity (B, T, C, H, W)
pub fn shortcut_target(
    model: &Dit,
    x_t: &Tensor,
    cond: &Tensor,
    t: &Tensor,
    half: &Tensor,
    told: &Tensor,
    context: Option<&ContextCache>,
) -> Result<Tensor> {
    let v1 = model.forward(x_t, cond, t, told, context)?.detach();
    let h5 = half.unsqueeze(1)?.unsqueeze(2)?.unsqueeze(3)?.unsqueeze(4)?;
    let x_mid = (x_t - v1.broadcast_mul(&h5)?)?;
    let t_mid = t.broadcast_sub(&half.unsqueeze(1)?)?;
    let v2 = model.forward(&x_mid, cond, &t_mid, told, context)?.detach();
    // The paper clips the target: an early, untrained model can produce wild velocities.
    ((v1 + v2)? * 0.5)?.clamp(-4f32, 4f32)
}

/// Mean squared error, in f32.
pub fn mse(pred: &Tensor, target: &Tensor) -> Result<Tensor> {
    (pred.to_dtype(DType::F32)? - target.to_dtype(DType::F32)?)?.sqr()?.mean_all()
}

#[cfg(test)]
mod tests {
    use super::super::config::Config;
    use super::super::model::Dit;
    use super::*;
    use candle_nn::{VarBuilder, VarMap};

    fn model() -> Result<Dit> {
        let cfg = Config::tiny();
        let vm = VarMap::new();
        let m = Dit::new(&cfg, VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu))?;
        for var in vm.all_vars() {
            var.set(&Tensor::randn(0f32, 0.2, var.shape(), &Device::Cpu)?)?;
        }
        Ok(m)
    }

    /// Same seed, same chunk; another seed, another chunk — with and without context.
    #[test]
    fn sampler_is_deterministic_for_a_seed() -> Result<()> {
        let m = model()?;
        let cfg = m.config().clone();
        let dev = Device::Cpu;
        let mut rng = fastrand::Rng::with_seed(3);
        let cond = gaussian((1, 4, cfg.cond_channels, 4, 4), &mut rng, &dev)?;
        let ctx_x = gaussian((1, 2, cfg.latent_channels, 4, 4), &mut rng, &dev)?;
        let ctx_c = gaussian((1, 2, cfg.cond_channels, 4, 4), &mut rng, &dev)?;
        let cache = m.context(&ctx_x, &ctx_c, &Tensor::zeros((1, 2), DType::F32, &dev)?)?;
        for context in [None, Some(&cache)] {
            for (steps, velocity) in
                [(1, Velocity::Flow), (2, Velocity::Flow), (2, Velocity::Shortcut), (4, Velocity::Shortcut)]
            {
                let opts = SamplerOptions { steps, seed: 11, velocity };
                let a = sample(&m, &cond, context, opts)?.flatten_all()?.to_vec1::<f32>()?;
                let b = sample(&m, &cond, context, opts)?.flatten_all()?.to_vec1::<f32>()?;
                assert_eq!(a, b, "{steps} {velocity:?} steps: same seed, different chunks");
                let c =
                    sample(&m, &cond, context, SamplerOptions { seed: 12, ..opts })?.flatten_all()?.to_vec1::<f32>()?;
                assert_ne!(a, c, "{steps} {velocity:?} steps: the seed has no effect");
                assert!(a.iter().all(|v| v.is_finite()));
            }
        }
        Ok(())
    }

    #[test]
    fn noise_is_standard_normal_and_steps_follow_the_levels() -> Result<()> {
        let mut rng = fastrand::Rng::with_seed(1);
        let n = gaussian(20_001, &mut rng, &Device::Cpu)?;
        let mean = n.mean_all()?.to_scalar::<f32>()?;
        let var = n.sqr()?.mean_all()?.to_scalar::<f32>()? - mean * mean;
        assert!(mean.abs() < 0.03 && (var - 1.0).abs() < 0.05, "mean {mean}, variance {var}");
        assert_eq!(step_size(4, 6), (0.25, 0.25));
        assert_eq!(step_size(128, 6), (1.0 / 128.0, 0.0));
        assert_eq!(step_size(64, 6), (1.0 / 64.0, 0.0));
        assert_eq!(step_size(32, 6), (1.0 / 32.0, 1.0 / 32.0));
        Ok(())
    }

    /// With one step of size 1 from pure noise, the sampler returns noise minus the predicted
    /// velocity, asked for a step of size 0 (the flow) or 1 (the shortcut): the definition of
    /// the convention above, checked on the real network.
    #[test]
    fn one_step_is_noise_minus_velocity() -> Result<()> {
        let m = model()?;
        let cfg = m.config().clone();
        let dev = Device::Cpu;
        let mut rng = fastrand::Rng::with_seed(5);
        let cond = gaussian((1, 2, cfg.cond_channels, 4, 4), &mut rng, &dev)?;
        let noise = gaussian((1, 2, cfg.latent_channels, 4, 4), &mut fastrand::Rng::with_seed(9), &dev)?;
        let t = Tensor::ones((1, 2), DType::F32, &dev)?;
        let mut samples = Vec::new();
        for (velocity, told) in [(Velocity::Flow, 0f32), (Velocity::Shortcut, 1f32)] {
            let x = sample(&m, &cond, None, SamplerOptions { steps: 1, seed: 9, velocity })?;
            let v = m.forward(&noise, &cond, &t, &Tensor::full(told, 1, &dev)?, None)?;
            let diff = ((&noise - v)? - &x)?.abs()?.max_all()?.to_scalar::<f32>()?;
            assert!(diff < 1e-5, "{velocity:?}: {diff}");
            samples.push(x);
        }
        let apart = (&samples[0] - &samples[1])?.abs()?.max_all()?.to_scalar::<f32>()?;
        assert!(apart > 1e-3, "the step size told makes no difference ({apart})");
        Ok(())
    }
}
