//! Training the DiT on CPU (or CUDA) with candle autograd: rectified flow with
//! Diffusion-Forcing noise on the context, shortcut-model self-consistency for few-step
//! sampling, AdamW with a warm-up then cosine learning rate, resumable checkpoints.
//!
//! One training example is a window of `context_frames + chunk_frames` frames of a clip:
//! - the chunk's frames are noised to levels drawn per temporal patch (logit-normal, as SD3;
//!   half the time one level for the whole chunk, half the time one per patch — Diffusion
//!   Forcing), and the network learns their velocity;
//! - the context frames are noised too, half the time lightly (`0..max_context_noise`, what
//!   the generator does to its own previous output so that the model learns not to trust every
//!   pixel of it and does not drift on its own artefacts) and half the time at any level (so the
//!   context block, which sees no context itself, is a plain first-chunk example), and their
//!   own velocity is learnt as well;
//! - one item in `bootstrap_every` is a shortcut example instead: the chunk is told a step size
//!   `d = 2^-k` and learns the two-half-step target of [`shortcut_target`];
//! - with `self_context`, that share of the lightly-noised contexts are the model's own
//!   drawing of those frames instead of the true ones (still learning the true chunk): what it
//!   conditions on when it plays. Without it the model only ever saw true pixels as context and
//!   drifts on its own output (exposure bias; Self-Forcing's lesson). Its drawing is a one-step
//!   denoise of the true frames noised to a level in `0.2..1` (SDEdit): near 1 it invents them
//!   from the conditioning, as a rollout's early chunks do, lower it keeps their layout with its
//!   own artefacts, as a rollout's later chunks do. One network evaluation of the context frames
//!   without gradient costs far less than rolling out whole chunks as Self-Forcing does.
//! - with `rollout`, that share of the batches roll out whole chunks instead (Self-Forcing's
//!   rollout, without gradient): from the true frames of a clip, the model samples 1 to
//!   `rollout_chunks` chunks in a row exactly as the generator does (2 flow steps, the true
//!   frames noised to 0.1 as context, its own to 0.8), each conditioned on the last frames of
//!   the one before, and the chunk after them is learnt from that context (noised to 0.8) —
//!   against the true frames, which our renderer gives us for every timeline. It is meant to
//!   teach the model to pull a blurred or darkened context back to what the conditioning says
//!   instead of carrying it on (trained on true context only, its own rollout turns into a dark
//!   smear within 15 chunks, 10 s); a fine-tune with it did not get there ([`super`] has the
//!   figures). It needs clips of `context + (rollout_chunks + 1) · chunk` frames (`campfire
//!   data --frames 28` for 2 chunks); a rollout batch costs one sampled chunk per depth on top
//!   of the step.

use super::latents::LatentSet;
use crate::checkpoint::{self, CHECKPOINT_DIR, OPTIMIZER_FILE, RunState, StateError};
use crate::loss_log::{LOSS_CSV, LossLog};
use crate::optim::{AdamW, warmup_cosine};
use campfire_generator::dit::{PLAY_CONTEXT_NOISE, PLAY_OWN_CONTEXT_NOISE, PLAY_STEPS};
use campfire_models::dit::sampling::{
    SamplerOptions, Velocity, gaussian, mse, noised, sample, shortcut_target, told_step,
};
use campfire_models::dit::weights::{self, LoadError, SaveError, load_checked};
use campfire_models::dit::{Config, Dit};
use candle_core::{DType, Device, Result as CResult, Tensor, Var};
use candle_nn::{ParamsAdamW, VarBuilder, VarMap};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Step at which training stops (also the length of the cosine schedule).
    pub steps: usize,
    pub batch_size: usize,
    pub lr: f64,
    pub min_lr: f64,
    pub warmup: usize,
    pub weight_decay: f64,
    /// Wall time between checkpoints.
    pub checkpoint_every: Duration,
    /// One item in this many is a shortcut (self-consistency) example (the paper's 4).
    pub bootstrap_every: usize,
    /// Largest noise level of the lightly-noised context (see the module docs).
    pub max_context_noise: f64,
    /// Share of the lightly-noised contexts drawn by the model itself (see the module docs).
    pub self_context: f64,
    /// Share of the batches whose context is the model's own rollout (see the module docs).
    pub rollout: f64,
    /// The most chunks a rollout batch samples before the chunk it learns (fewer if the clips
    /// are too short for them).
    pub rollout_chunks: usize,
    /// Extra loss weight on latent pixels covered by a figure (occupancy, conditioning channel
    /// 0): a pixel fully inside one counts `1 + entity_weight` times. See [`pixel_weights`].
    pub entity_weight: f64,
    /// With N > 0, half the flow examples have their chunk at one of the levels an N-step flow
    /// sampler asks the network at (1, 1 - 1/N, …, 1/N) instead of a logit-normal one: the
    /// logit-normal puts 1.4 % of its draws above 0.9 and almost none at 1, where the
    /// generator's first step starts.
    pub sampler_steps: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self {
            steps: 20_000,
            batch_size: 8,
            lr: 5e-4,
            min_lr: 2e-5,
            warmup: 200,
            weight_decay: 0.0,
            checkpoint_every: Duration::from_secs(300),
            bootstrap_every: 4,
            max_context_noise: 0.3,
            self_context: 0.0,
            rollout: 0.0,
            rollout_chunks: 2,
            entity_weight: 0.0,
            sampler_steps: 0,
        }
    }
}

impl TrainOptions {
    pub fn lr_at(&self, step: usize) -> f64 {
        warmup_cosine(step, self.steps, self.warmup, self.lr, self.min_lr)
    }
}

/// What the loop reports after each step.
#[derive(Debug, Clone)]
pub struct Progress {
    pub step: usize,
    pub steps: usize,
    /// The training loss (chunk and context).
    pub loss: f32,
    /// Mean squared error of the flow-matching chunks alone.
    pub loss_flow: f32,
    /// Mean squared error of the shortcut chunks alone (0 if the batch had none).
    pub loss_shortcut: f32,
    pub lr: f64,
    /// Steps per second over this run (not counting resumed steps).
    pub steps_per_sec: f64,
    pub checkpointed: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Save(#[from] SaveError),
    #[error("training step: {0}")]
    Candle(#[from] candle_core::Error),
    #[error(transparent)]
    State(#[from] StateError),
    #[error("training data: {0}")]
    Data(String),
}

/// One batch, with its targets.
struct Batch {
    ctx: Tensor,
    ctx_cond: Tensor,
    ctx_t: Tensor,
    ctx_target: Tensor,
    x: Tensor,
    cond: Tensor,
    t: Tensor,
    d: Tensor,
    target: Tensor,
    /// The first `shortcut` items are shortcut examples.
    shortcut: usize,
    /// Loss weights of the chunk's and the context's latent pixels, (B, T, 1, h, w), or none.
    weights: Option<(Tensor, Tensor)>,
}

/// Per-pixel loss weights from the conditioning's occupancy: `1 + w·occupancy`, divided by
/// their mean so the loss keeps its scale (and the learning rate its meaning).
/// A figure covers a few percent of the frame: the demo's bird is one or two latent pixels of
/// 192. An unweighted loss spends almost all its gradient on sky and ground, and the run's
/// model drew small characters as smudges or not at all, which is also what object permanence
/// measures. cond: (B, T, Cc, h, w) -> (B, T, 1, h, w).
pub fn pixel_weights(cond: &Tensor, w: f64) -> CResult<Tensor> {
    let occupancy = cond.narrow(2, campfire_render::condition::CH_OCCUPANCY, 1)?;
    let raw = ((occupancy * w)? + 1.0)?;
    let mean = raw.mean_all()?;
    raw.broadcast_div(&mean)
}

/// Mean of `weights · (pred - target)²`, weights broadcast over the channels.
fn weighted_mse(pred: &Tensor, target: &Tensor, weights: Option<&Tensor>) -> CResult<Tensor> {
    match weights {
        None => mse(pred, target),
        Some(w) => (pred - target)?.sqr()?.broadcast_mul(w)?.mean_all(),
    }
}

pub struct Trainer {
    cfg: Config,
    vars: VarMap,
    model: Dit,
    opt: AdamW,
    out: PathBuf,
    step: usize,
    rng: fastrand::Rng,
    device: Device,
}

fn named_vars(vars: &VarMap) -> CResult<BTreeMap<String, Var>> {
    let data = vars.data().lock().map_err(|_| candle_core::Error::Msg("var map lock poisoned".into()))?;
    Ok(data.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

/// A draw from the logit-normal(0, 1) distribution: SD3's choice of training noise levels,
/// which spends most examples in the middle where the velocity is hardest to predict.
fn logit_normal(rng: &mut fastrand::Rng) -> f32 {
    let u1 = rng.f64().max(f64::MIN_POSITIVE);
    let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * rng.f64()).cos();
    (1.0 / (1.0 + (-z).exp())) as f32
}

impl Trainer {
    /// A fresh model with `cfg`, saving into `out`.
    pub fn new(cfg: Config, out: &Path, seed: u64, device: Device, opts: &TrainOptions) -> Result<Self, TrainError> {
        cfg.validate().map_err(|e| TrainError::Data(format!("invalid DiT config: {e}")))?;
        let vars = VarMap::new();
        let model = Dit::new(&cfg, VarBuilder::from_varmap(&vars, DType::F32, &device))?;
        let params = ParamsAdamW { lr: opts.lr_at(0), weight_decay: opts.weight_decay, ..Default::default() };
        let opt = AdamW::new(named_vars(&vars)?.into_iter().collect(), params)?;
        Ok(Self { cfg, vars, model, opt, out: out.to_path_buf(), step: 0, rng: fastrand::Rng::with_seed(seed), device })
    }

    /// Continues from `out/checkpoint`: weights, optimiser moments, step and batch generator.
    pub fn resume(out: &Path, device: Device, opts: &TrainOptions) -> Result<Self, TrainError> {
        let dir = out.join(CHECKPOINT_DIR);
        let state = RunState::read(&dir)?;
        // The checkpoint's weights are f32 (its config says so); the export keeps the run's dtype.
        let mut me = Self::from_weights(&dir, None, out, 0, device.clone(), opts)?;
        if let Some(dtype) = state.weight_dtype {
            me.cfg.weight_dtype = dtype;
        }
        let moments = load_checked(&dir.join(OPTIMIZER_FILE), &me.opt.moment_shapes(), DType::F32, &device)?;
        me.opt.restore(&moments, state.adam_step)?;
        me.step = state.step;
        me.rng.seed(state.rng);
        tracing::info!(step = me.step, dir = %dir.display(), "resumed from checkpoint");
        Ok(me)
    }

    /// A fresh run (step 0, new optimiser moments, the schedule from its warm-up) whose
    /// weights start from the DiT in `dir` (config.json + model.safetensors, e.g. the shipped
    /// one): fine-tuning, or a new schedule for a run whose best weights are not its last.
    /// With `depth`, its network is first made that many blocks deep ([`weights::deepen`]).
    pub fn from_weights(
        dir: &Path,
        depth: Option<usize>,
        out: &Path,
        seed: u64,
        device: Device,
        opts: &TrainOptions,
    ) -> Result<Self, TrainError> {
        let mut cfg = weights::load_config(dir)?;
        let stored = cfg.storage_dtype().unwrap_or(DType::F32);
        let mut tensors =
            load_checked(&dir.join(weights::WEIGHTS_FILE), &weights::expected_shapes(&cfg)?, stored, &device)?;
        if let Some(depth) = depth {
            (cfg, tensors) = weights::deepen(&cfg, tensors, depth)?;
        }
        let mut me = Self::new(cfg, out, seed, device, opts)?;
        for (name, t) in tensors {
            me.vars.set_one(&name, &t)?;
        }
        tracing::debug!(dir = %dir.display(), "weights read");
        Ok(me)
    }

    /// Whether `out` holds a checkpoint to resume from.
    pub fn has_checkpoint(out: &Path) -> bool {
        checkpoint::has_checkpoint(out)
    }

    pub fn step(&self) -> usize {
        self.step
    }

    pub fn model(&self) -> &Dit {
        &self.model
    }

    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// The current weights as a model of plain tensors, for sampling: the training model's
    /// variables make candle record every op for a backward pass, which costs time and memory.
    pub fn inference_model(&self) -> Result<Dit, TrainError> {
        let tensors = weights::var_tensors(&self.vars)?.into_iter().map(|(k, v)| (k, v.detach())).collect();
        Ok(Dit::new(&self.cfg, VarBuilder::from_tensors(tensors, DType::F32, &self.device))?)
    }

    /// Frames per example: (context, chunk), fitted to the clips' length.
    fn window(&self, data: &LatentSet) -> Result<(usize, usize), TrainError> {
        let pt = self.cfg.patch_t;
        let tc = self.cfg.context_frames;
        let tn = self.cfg.chunk_frames.min(data.frames.saturating_sub(tc) / pt * pt);
        if tn == 0 {
            return Err(TrainError::Data(format!(
                "clips of {} frames are too short for {tc} context frames and a chunk; make the dataset with more --frames",
                data.frames
            )));
        }
        Ok((tc, tn))
    }

    fn batch(&mut self, data: &LatentSet, opts: &TrainOptions) -> CResult<Batch> {
        let (tc, tn) = self.window(data).map_err(|e| candle_core::Error::Msg(e.to_string()))?;
        let b = opts.batch_size;
        let pt = self.cfg.patch_t;
        let levels = self.cfg.shortcut_levels;
        let shortcut = if levels == 0 || opts.bootstrap_every == 0 { 0 } else { b / opts.bootstrap_every };
        let (mut lat, mut cnd) = (Vec::new(), Vec::new());
        let (mut t_ctx, mut t_new, mut d_told, mut half, mut told_half) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        // Per item: the level its context is re-drawn from by the model, 0 for the true one.
        let mut redraw = Vec::new();
        // Chunks the model rolls out before the learnt one (0: the context is true frames), and
        // the true frames and conditioning each item's rollout starts from and runs through.
        let depth = self.rollout_depth(data.frames, tc, tn, opts);
        let (mut lead, mut lead_cond) = (Vec::new(), Vec::new());
        for item in 0..b {
            let clip = self.rng.usize(..data.clips);
            let start = self.rng.usize(..=data.frames - tc - tn - depth * tn);
            let at = start + depth * tn;
            lat.extend_from_slice(data.latents_of(clip, at, tc + tn));
            cnd.extend_from_slice(data.cond_of(clip, at, tc + tn));
            if depth > 0 {
                lead.extend_from_slice(data.latents_of(clip, start, tc));
                lead_cond.extend_from_slice(data.cond_of(clip, start, tc + depth * tn));
            }
            // A rolled-out context is what the generator shows lightly noised; the context at
            // any level is the first-chunk example, which a rollout batch does not need.
            // (No draw at all without `rollout` or `self_context`: the recipe's batches stay
            // what they were.)
            let light = depth > 0 || self.rng.bool();
            let own = depth == 0
                && opts.self_context > 0.0
                && light
                && item >= shortcut
                && self.rng.f64() < opts.self_context;
            redraw.push(if own { 0.2 + 0.8 * self.rng.f32() } else { 0.0 });
            for _ in 0..tc / pt {
                let level = match (depth > 0, light) {
                    (true, _) => PLAY_OWN_CONTEXT_NOISE,
                    (false, true) => self.rng.f32() * opts.max_context_noise as f32,
                    (false, false) => logit_normal(&mut self.rng),
                };
                t_ctx.extend(std::iter::repeat_n(level, pt));
            }
            if item < shortcut {
                // A step of d = 2^-k from a level on the grid of d, learnt from two steps of d/2.
                let k = self.rng.u32(..levels);
                let d = 1.0 / (1u64 << k) as f64;
                let t = (self.rng.u64(..1u64 << k) + 1) as f64 * d;
                t_new.extend(std::iter::repeat_n(t as f32, tn));
                d_told.push(told_step(d, levels) as f32);
                half.push((d / 2.0) as f32);
                told_half.push(told_step(d / 2.0, levels) as f32);
            } else {
                // (No draw at all without `sampler_steps`: the recipe's batches stay what they were.)
                if opts.sampler_steps > 0 && self.rng.bool() {
                    let n = opts.sampler_steps;
                    t_new.extend(std::iter::repeat_n(1.0 - self.rng.usize(..n) as f32 / n as f32, tn));
                } else {
                    let shared = self.rng.bool();
                    let level = logit_normal(&mut self.rng);
                    for _ in 0..tn / pt {
                        let t = if shared { level } else { logit_normal(&mut self.rng) };
                        t_new.extend(std::iter::repeat_n(t, pt));
                    }
                }
                d_told.push(0.0);
            }
        }
        let dev = &self.device.clone();
        let (c, cc, h, w) = (data.channels, data.cond_channels, data.height, data.width);
        let all = Tensor::from_vec(lat, (b, tc + tn, c, h, w), dev)?;
        let all_cond = Tensor::from_vec(cnd, (b, tc + tn, cc, h, w), dev)?;
        let noise = gaussian((b, tc + tn, c, h, w), &mut self.rng, dev)?;
        let (ctx0, x0) = (all.narrow(1, 0, tc)?, all.narrow(1, tc, tn)?);
        let (ctx_eps, eps) = (noise.narrow(1, 0, tc)?, noise.narrow(1, tc, tn)?);
        let ctx_t = Tensor::from_vec(t_ctx, (b, tc), dev)?;
        let t = Tensor::from_vec(t_new, (b, tn), dev)?;
        let ctx_cond = all_cond.narrow(1, 0, tc)?.contiguous()?;
        let shown = if depth > 0 {
            let lead = Tensor::from_vec(lead, (b, tc, c, h, w), dev)?;
            let lead_cond = Tensor::from_vec(lead_cond, (b, tc + depth * tn, cc, h, w), dev)?;
            self.rollout_context(&lead, &lead_cond, depth, tn)?
        } else if redraw.iter().any(|&s| s > 0.0) && tc > 0 {
            self.own_context(&ctx0, &ctx_cond, &redraw)?
        } else {
            ctx0.clone()
        };
        let ctx = noised(&shown, &ctx_eps, &ctx_t)?;
        let x = noised(&x0, &eps, &t)?;
        let cond = all_cond.narrow(1, tc, tn)?.contiguous()?;
        let mut target = (&eps - &x0)?;
        if shortcut > 0 {
            let s = |x: &Tensor| x.narrow(0, 0, shortcut);
            let cache = match tc {
                0 => None,
                _ => Some(self.model.context(&s(&ctx)?, &s(&ctx_cond)?, &s(&ctx_t)?)?),
            };
            let half = Tensor::from_vec(half, shortcut, dev)?;
            let told_half = Tensor::from_vec(told_half, shortcut, dev)?;
            let boot = shortcut_target(&self.model, &s(&x)?, &s(&cond)?, &s(&t)?, &half, &told_half, cache.as_ref())?;
            target = Tensor::cat(&[&boot, &target.narrow(0, shortcut, b - shortcut)?], 0)?;
        }
        let weights = match opts.entity_weight > 0.0 {
            true => Some((pixel_weights(&cond, opts.entity_weight)?, pixel_weights(&ctx_cond, opts.entity_weight)?)),
            false => None,
        };
        Ok(Batch {
            weights,
            ctx,
            ctx_cond,
            ctx_t,
            ctx_target: (&ctx_eps - &ctx0)?,
            x,
            cond,
            t,
            d: Tensor::from_vec(d_told, b, dev)?,
            target: target.detach(),
            shortcut,
        })
    }

    /// How many chunks this batch rolls out before the one it learns: none for a share
    /// `1 - rollout` of the batches, otherwise 1 to `rollout_chunks`, as many as the clips hold.
    /// A chunk shorter than the context cannot hand a whole context on, so it never rolls out.
    fn rollout_depth(&mut self, frames: usize, tc: usize, tn: usize, opts: &TrainOptions) -> usize {
        // (No draw at all without `rollout`: the recipe's batches stay what they were.)
        if opts.rollout <= 0.0 || tc == 0 || tn < tc || self.rng.f64() >= opts.rollout {
            return 0;
        }
        let most = opts.rollout_chunks.min((frames - tc - tn) / tn);
        if most == 0 { 0 } else { self.rng.usize(1..=most) }
    }

    /// The context the model leaves after sampling `depth` chunks in a row from the true
    /// `lead` frames, each as play samples it (the `PLAY_*` steps and context noise levels,
    /// without gradient), the last frames of each the next one's context: the model learns from
    /// the context it meets on its own rollout. (The fine-tune in [`super`]'s docs ran when both
    /// levels were 0.1.)
    /// lead: (B, Tc, C, h, w), cond: (B, Tc + depth·Tn, Cc, h, w) -> (B, Tc, C, h, w)
    fn rollout_context(&mut self, lead: &Tensor, cond: &Tensor, depth: usize, tn: usize) -> CResult<Tensor> {
        let model = self.inference_model().map_err(|e| candle_core::Error::Msg(e.to_string()))?;
        let (b, tc, _, _, _) = lead.dims5()?;
        let dev = lead.device();
        let mut ctx = lead.clone();
        for r in 0..depth {
            let level = if r == 0 { PLAY_CONTEXT_NOISE } else { PLAY_OWN_CONTEXT_NOISE };
            let t = Tensor::full(level, (b, tc), dev)?;
            // Chunk r covers frames tc + r·tn .. tc + (r+1)·tn of the span, its context the
            // tc frames before it.
            let eps = gaussian(ctx.dims(), &mut self.rng, dev)?;
            let ctx_cond = cond.narrow(1, r * tn, tc)?.contiguous()?;
            let cache = model.context(&noised(&ctx, &eps, &t)?, &ctx_cond, &t)?;
            let chunk_cond = cond.narrow(1, tc + r * tn, tn)?.contiguous()?;
            let opts = SamplerOptions { steps: PLAY_STEPS, seed: self.rng.u64(..), velocity: Velocity::Flow };
            let z = sample(&model, &chunk_cond, Some(&cache), opts)?;
            ctx = z.narrow(1, tn - tc, tc)?.contiguous()?;
        }
        Ok(ctx.detach())
    }

    /// The context as the model draws it: items with a `redraw` level above 0 get the true
    /// frames noised to that level and denoised in one step, without gradient; others stay.
    /// ctx0: (B, Tc, C, h, w) -> the same.
    fn own_context(&mut self, ctx0: &Tensor, ctx_cond: &Tensor, redraw: &[f32]) -> CResult<Tensor> {
        let (b, tc, _, _, _) = ctx0.dims5()?;
        let dev = ctx0.device();
        let levels: Vec<f32> = redraw.iter().flat_map(|&s| std::iter::repeat_n(s.max(1e-3), tc)).collect();
        let s = Tensor::from_vec(levels, (b, tc), dev)?;
        let eps = gaussian(ctx0.dims(), &mut self.rng, dev)?;
        let xs = noised(ctx0, &eps, &s)?;
        // The flow's own one-step estimate (d = 0): x0 = x_s - s v.
        let v = self.model.forward(&xs, ctx_cond, &s, &Tensor::zeros(b, DType::F32, dev)?, None)?.detach();
        let drawn = (&xs - v.broadcast_mul(&s.reshape((b, tc, 1, 1, 1))?)?)?;
        let keep: Vec<f32> = redraw.iter().map(|&s| if s > 0.0 { 0.0 } else { 1.0 }).collect();
        let keep = Tensor::from_vec(keep, (b, 1, 1, 1, 1), dev)?;
        ctx0.broadcast_mul(&keep)? + drawn.broadcast_mul(&(1.0 - &keep)?)?
    }

    /// Trains until `opts.steps`, checkpointing every `opts.checkpoint_every` and at the end;
    /// `on_step` sees every step. Appends every step to `out/loss.csv`.
    pub fn run(
        &mut self,
        data: &LatentSet,
        opts: &TrainOptions,
        mut on_step: impl FnMut(&Progress),
    ) -> Result<(), TrainError> {
        if data.clips == 0 {
            return Err(TrainError::Data("no clips to train on".into()));
        }
        if (data.channels, data.cond_channels) != (self.cfg.latent_channels, self.cfg.cond_channels) {
            return Err(TrainError::Data(format!(
                "the data has {}-channel latents and {}-channel conditioning, the DiT config expects {} and {}",
                data.channels, data.cond_channels, self.cfg.latent_channels, self.cfg.cond_channels
            )));
        }
        let (tc, tn) = self.window(data)?;
        if opts.rollout > 0.0 && data.frames < 2 * tn + tc {
            tracing::warn!(
                frames = data.frames,
                "--rollout needs clips of at least {} frames (context + 2 chunks); this data trains without it",
                2 * tn + tc
            );
        }
        std::fs::create_dir_all(&self.out).map_err(|e| StateError::new(&self.out, e))?;
        let csv_path = self.out.join(LOSS_CSV);
        let csv_err = |e: std::io::Error| StateError::new(&csv_path, e);
        let mut csv =
            LossLog::open(&csv_path, "step,loss,loss_flow,loss_shortcut,lr,seconds", self.step).map_err(csv_err)?;
        let started = Instant::now();
        let first = self.step;
        let mut last_ckpt = Instant::now();
        while self.step < opts.steps {
            let lr = opts.lr_at(self.step);
            self.opt.set_learning_rate(lr);
            let batch = self.batch(data, opts)?;
            let (v_ctx, v) = match tc {
                0 => (None, self.model.forward(&batch.x, &batch.cond, &batch.t, &batch.d, None)?),
                _ => self.model.forward_joint(
                    Some((&batch.ctx, &batch.ctx_cond, &batch.ctx_t)),
                    &batch.x,
                    &batch.cond,
                    &batch.t,
                    &batch.d,
                )?,
            };
            let (w_chunk, w_ctx) = batch.weights.as_ref().map(|(a, b)| (a, b)).unzip();
            let chunk_loss = weighted_mse(&v, &batch.target, w_chunk)?;
            let loss = match &v_ctx {
                Some(vc) => ((chunk_loss.clone() * (tn as f64))?
                    + (weighted_mse(vc, &batch.ctx_target, w_ctx)? * (tc as f64))?)?
                    .affine(1.0 / (tc + tn) as f64, 0.0)?,
                None => chunk_loss,
            };
            self.opt.backward_step(&loss)?;
            let per_item = (v.detach() - &batch.target)?.sqr()?.flatten_from(1)?.mean(1)?.to_vec1::<f32>()?;
            let (sc, fm) = per_item.split_at(batch.shortcut);
            let avg = |x: &[f32]| if x.is_empty() { 0.0 } else { x.iter().sum::<f32>() / x.len() as f32 };
            let loss = loss.to_scalar::<f32>()?;
            if !loss.is_finite() {
                return Err(TrainError::Data(format!("loss became {loss} at step {}; lower --lr", self.step)));
            }
            self.step += 1;
            let secs = csv.seconds_before() + started.elapsed().as_secs_f64();
            csv.row(format_args!("{},{loss},{},{},{lr:e},{secs:.1}", self.step, avg(fm), avg(sc))).map_err(csv_err)?;
            let checkpointed = last_ckpt.elapsed() >= opts.checkpoint_every || self.step == opts.steps;
            if checkpointed {
                csv.flush().map_err(csv_err)?;
                self.checkpoint()?;
                last_ckpt = Instant::now();
            }
            let secs = started.elapsed().as_secs_f64().max(1e-9);
            on_step(&Progress {
                step: self.step,
                steps: opts.steps,
                loss,
                loss_flow: avg(fm),
                loss_shortcut: avg(sc),
                lr,
                steps_per_sec: (self.step - first) as f64 / secs,
                checkpointed,
            });
        }
        // A run with nothing left to do still leaves its model: `--steps 0` with `--init` is how
        // a network is made deeper ([`weights::deepen`]) without training it.
        if !Self::has_checkpoint(&self.out) {
            self.checkpoint()?;
        }
        Ok(())
    }

    /// Saves the resumable checkpoint (f32 weights, optimiser moments, step, batch generator)
    /// and exports the shippable model (config dtype) into `out`.
    pub fn checkpoint(&mut self) -> Result<(), TrainError> {
        let dir = self.out.join(CHECKPOINT_DIR);
        let ckpt_cfg = Config { weight_dtype: "f32".into(), ..self.cfg.clone() };
        weights::save(&dir, &ckpt_cfg, &self.vars)?;
        checkpoint::write_moments(&dir, &self.opt.moments())?;
        RunState {
            step: self.step,
            adam_step: self.opt.step_count(),
            rng: self.rng.get_seed(),
            weight_dtype: Some(self.cfg.weight_dtype.clone()),
        }
        .write(&dir)?;
        weights::save(&self.out, &self.cfg, &self.vars)?;
        tracing::info!(step = self.step, out = %self.out.display(), "checkpoint saved");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{ClipSpec, Split};
    use crate::dit::latents::load_latents;
    use crate::shards::write_dataset;
    use campfire_models::autoencoder;

    fn ae_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("assets/models/ae")
    }

    /// Real clips from the renderer, encoded by the shipped autoencoder (64×48: 8×6 latents).
    fn real_data(dir: &Path) -> LatentSet {
        clips_of(dir, 8)
    }

    /// Real clips of `frames` frames, as [`real_data`].
    fn clips_of(dir: &Path, frames: usize) -> LatentSet {
        let spec = ClipSpec::new(campfire_render::VideoFormat::TRAINING.with_size(64, 48), frames);
        write_dataset(dir, Split::Train, 3, 6, spec, 4, |_| {}).expect("dataset");
        let ae = autoencoder::load(&ae_dir(), &Device::Cpu).expect("shipped autoencoder");
        let (_, set) = load_latents(dir, &ae, &ae_dir(), |_, _| {}).expect("latents");
        // The second load reads the cache and gives the same numbers.
        let (_, again) = load_latents(dir, &ae, &ae_dir(), |_, _| {}).expect("cached latents");
        assert_eq!(set.latents, again.latents);
        set
    }

    fn config() -> Config {
        Config {
            latent_channels: 16,
            cond_channels: campfire_render::CHANNELS,
            latent_width: 8,
            latent_height: 6,
            shortcut_levels: 3,
            ..Config::tiny()
        }
    }

    fn weights_of(t: &Trainer) -> Vec<f32> {
        let vars = named_vars(&t.vars).expect("vars");
        vars.values().flat_map(|v| v.as_tensor().flatten_all().expect("flat").to_vec1::<f32>().expect("vec")).collect()
    }

    /// A run started from saved weights begins with exactly those weights, at step 0.
    #[test]
    fn a_run_can_start_from_saved_weights() -> Result<(), TrainError> {
        let out = tempfile::tempdir().map_err(|e| TrainError::Data(e.to_string()))?;
        let saved = tempfile::tempdir().map_err(|e| TrainError::Data(e.to_string()))?;
        let opts = TrainOptions::default();
        let first = Trainer::new(Config { weight_dtype: "f32".into(), ..config() }, out.path(), 1, Device::Cpu, &opts)?;
        weights::save(saved.path(), first.config(), &first.vars)?;
        let other = tempfile::tempdir().map_err(|e| TrainError::Data(e.to_string()))?;
        let second = Trainer::from_weights(saved.path(), None, other.path(), 2, Device::Cpu, &opts)?;
        assert_eq!(second.step(), 0);
        assert_eq!(weights_of(&second), weights_of(&first));
        // A fresh model of another seed would differ: the weights came from the file.
        let fresh = Trainer::new(config(), other.path(), 2, Device::Cpu, &opts)?;
        assert_ne!(weights_of(&fresh), weights_of(&first));
        assert!(Trainer::from_weights(&other.path().join("nowhere"), None, out.path(), 1, Device::Cpu, &opts).is_err());
        // Made deeper, it starts with the same weights and more of them.
        let deeper = tempfile::tempdir().map_err(|e| TrainError::Data(e.to_string()))?;
        let mut third =
            Trainer::from_weights(saved.path(), Some(first.config().depth + 1), deeper.path(), 3, Device::Cpu, &opts)?;
        assert_eq!(third.config().depth, first.config().depth + 1);
        assert!(weights_of(&third).len() > weights_of(&first).len());
        // Run for no steps, it still leaves the deeper model where it says.
        let data_dir = tempfile::tempdir().map_err(|e| TrainError::Data(e.to_string()))?;
        third.run(&real_data(data_dir.path()), &TrainOptions { steps: 0, ..opts }, |_| {})?;
        assert_eq!(weights::load_config(deeper.path())?.depth, first.config().depth + 1);
        Ok(())
    }

    /// Figures weigh more than the background, and the weights keep the loss's scale.
    #[test]
    fn pixel_weights_favour_the_figures_and_average_one() -> Result<(), TrainError> {
        let data_dir = tempfile::tempdir().map_err(|e| TrainError::Data(e.to_string()))?;
        let data = real_data(data_dir.path());
        let (h, w, cc) = (data.height, data.width, data.cond_channels);
        let cond = Tensor::from_slice(data.cond_of(0, 0, 4), (1, 4, cc, h, w), &Device::Cpu)?;
        let weights = pixel_weights(&cond, 4.0)?;
        assert_eq!(weights.dims(), &[1, 4, 1, h, w]);
        let mean = weights.mean_all()?.to_scalar::<f32>()?;
        assert!((mean - 1.0).abs() < 1e-4, "mean weight {mean}");
        let occupancy = cond.narrow(2, 0, 1)?.flatten_all()?.to_vec1::<f32>()?;
        let weights = weights.flatten_all()?.to_vec1::<f32>()?;
        // Inside: at least half covered (weight at least 3 before the mean); outside: not at all (1).
        let of = |inside: bool| {
            let picked: Vec<f32> = occupancy
                .iter()
                .zip(&weights)
                .filter(|(o, _)| if inside { **o >= 0.5 } else { **o == 0.0 })
                .map(|(_, w)| *w)
                .collect();
            assert!(!picked.is_empty(), "the clip has pixels {} a figure", if inside { "inside" } else { "outside" });
            picked.iter().sum::<f32>() / picked.len() as f32
        };
        let (inside, outside) = (of(true), of(false));
        assert!(inside > 2.5 * outside, "a figure's pixel weighs {inside}, the background's {outside}");
        Ok(())
    }

    /// With `sampler_steps`, about half the flow chunks sit on the sampler's levels, one level
    /// for the whole chunk; without it none do, and shortcut examples never change.
    #[test]
    fn flow_chunks_sit_on_the_sampler_levels_when_asked() -> Result<(), TrainError> {
        let data_dir = tempfile::tempdir().map_err(|e| TrainError::Data(e.to_string()))?;
        let data = real_data(data_dir.path());
        let out = tempfile::tempdir().map_err(|e| TrainError::Data(e.to_string()))?;
        let on_grid = |sampler_steps: usize| -> Result<(usize, usize, Vec<f32>), TrainError> {
            let opts = TrainOptions { batch_size: 64, sampler_steps, ..Default::default() };
            let mut t = Trainer::new(config(), out.path(), 1, Device::Cpu, &opts)?;
            let batch = t.batch(&data, &opts)?;
            let levels = batch.t.to_vec2::<f32>()?;
            let flow = &levels[batch.shortcut..];
            let grid: Vec<&Vec<f32>> = flow.iter().filter(|l| l[0] == 1.0 || l[0] == 0.5).collect();
            assert!(grid.iter().all(|l| l.iter().all(|t| *t == l[0])), "a sampler-level chunk has one level");
            Ok((grid.len(), flow.len(), grid.iter().map(|l| l[0]).collect()))
        };
        let (grid, flow, levels) = on_grid(2)?;
        assert!(grid >= flow / 4 && grid <= 3 * flow / 4, "{grid} of {flow} flow chunks on the sampler's levels");
        assert!(levels.contains(&1.0) && levels.contains(&0.5), "both levels drawn: {levels:?}");
        let (grid, _, _) = on_grid(0)?;
        assert_eq!(grid, 0, "logit-normal levels only without sampler_steps");
        Ok(())
    }

    #[test]
    fn a_self_drawn_context_replaces_only_the_items_chosen() -> Result<(), TrainError> {
        let data_dir = tempfile::tempdir().map_err(|e| TrainError::Data(e.to_string()))?;
        let data = real_data(data_dir.path());
        let out = tempfile::tempdir().map_err(|e| TrainError::Data(e.to_string()))?;
        let opts = TrainOptions { batch_size: 2, ..Default::default() };
        let mut t = Trainer::new(config(), out.path(), 1, Device::Cpu, &opts)?;
        let (tc, len) = (4, 4 * 16 * 6 * 8);
        let lat = Tensor::from_vec(data.latents_of(0, 0, tc).repeat(2), (2, tc, 16, 6, 8), &Device::Cpu)?;
        let cond_len = tc * data.cond_channels * 6 * 8;
        let cnd = data.cond_of(0, 0, tc).repeat(2);
        let cond = Tensor::from_vec(cnd, (2, tc, data.cond_channels, 6, 8), &Device::Cpu)?;
        assert_eq!(cond.elem_count(), 2 * cond_len);
        let drawn = t.own_context(&lat, &cond, &[0.0, 0.7])?.flatten_all()?.to_vec1::<f32>()?;
        let truth = lat.flatten_all()?.to_vec1::<f32>()?;
        assert_eq!(drawn[..len], truth[..len], "an item not chosen keeps its true context");
        let changed = drawn[len..].iter().zip(&truth[len..]).filter(|(a, b)| a != b).count();
        assert!(changed > len / 2, "the chosen item is the model's drawing, not the truth ({changed} of {len} differ)");
        assert!(drawn.iter().all(|v| v.is_finite()));
        Ok(())
    }

    /// A rollout batch rolls out as many chunks as the clips hold (at most `rollout_chunks`),
    /// none without `rollout`; the context it leaves is the model's own, not the true frames,
    /// and a run on rollout batches trains.
    #[test]
    fn a_rollout_hands_on_the_models_own_context() -> Result<(), TrainError> {
        let data_dir = tempfile::tempdir().map_err(|e| TrainError::Data(e.to_string()))?;
        // The tiny config: 2 context frames, chunks of 4; 14 frames hold a context and 3 chunks.
        let data = clips_of(data_dir.path(), 14);
        let out = tempfile::tempdir().map_err(|e| TrainError::Data(e.to_string()))?;
        let opts = TrainOptions { steps: 3, batch_size: 2, rollout: 1.0, rollout_chunks: 2, ..Default::default() };
        let mut t = Trainer::new(config(), out.path(), 1, Device::Cpu, &opts)?;
        let (tc, tn) = t.window(&data)?;
        assert_eq!((tc, tn), (2, 4));
        let depths: Vec<usize> = (0..40).map(|_| t.rollout_depth(data.frames, tc, tn, &opts)).collect();
        assert!(depths.contains(&1) && depths.contains(&2) && depths.iter().all(|d| (1..=2).contains(d)), "{depths:?}");
        let short: Vec<usize> = (0..10).map(|_| t.rollout_depth(tc + tn + 3, tc, tn, &opts)).collect();
        assert_eq!(short, vec![0; 10], "a clip with no room for a chunk before the learnt one");
        let off = TrainOptions { rollout: 0.0, ..opts.clone() };
        assert_eq!(t.rollout_depth(data.frames, tc, tn, &off), 0);

        let dev = Device::Cpu;
        let (c, cc, h, w) = (data.channels, data.cond_channels, data.height, data.width);
        let lead = Tensor::from_slice(data.latents_of(0, 0, tc), (1, tc, c, h, w), &dev)?;
        let cond = Tensor::from_slice(data.cond_of(0, 0, tc + 2 * tn), (1, tc + 2 * tn, cc, h, w), &dev)?;
        let once = t.rollout_context(&lead, &cond.narrow(1, 0, tc + tn)?, 1, tn)?;
        let twice = t.rollout_context(&lead, &cond, 2, tn)?;
        assert_eq!(once.dims(), &[1, tc, c, h, w]);
        let flat = |x: &Tensor| x.flatten_all().and_then(|x| x.to_vec1::<f32>());
        // The true frames the context stands for: the last of the first chunk, or of the second.
        let truth = |at: usize| flat(&Tensor::from_slice(data.latents_of(0, at, tc), (1, tc, c, h, w), &dev)?);
        for (drawn, at) in [(once, tn), (twice, 2 * tn)] {
            let (drawn, truth) = (flat(&drawn)?, truth(at)?);
            assert!(drawn.iter().all(|v| v.is_finite()));
            let differ = drawn.iter().zip(&truth).filter(|(a, b)| a != b).count();
            assert!(
                differ > truth.len() / 2,
                "the context is the model's drawing ({differ} of {} differ)",
                truth.len()
            );
        }

        let mut losses = Vec::new();
        t.run(&data, &opts, |p| losses.push(p.loss))?;
        assert_eq!(losses.len(), 3);
        assert!(losses.iter().all(|l| l.is_finite() && *l > 0.0), "{losses:?}");
        Ok(())
    }

    #[test]
    fn loss_falls_and_a_resumed_run_continues_exactly() -> Result<(), TrainError> {
        let data_dir = tempfile::tempdir().map_err(|e| TrainError::Data(e.to_string()))?;
        let data = real_data(data_dir.path());
        assert_eq!((data.height, data.width, data.channels), (6, 8, 16));
        let out = tempfile::tempdir().map_err(|e| TrainError::Data(e.to_string()))?;
        // Weighted toward the figures, so the weighted loss's path is the one trained and resumed.
        let opts =
            TrainOptions { steps: 60, batch_size: 4, lr: 3e-3, warmup: 5, entity_weight: 2.0, ..Default::default() };
        let mut t = Trainer::new(config(), out.path(), 1, Device::Cpu, &opts)?;
        let mut losses = Vec::new();
        let mut shortcut_seen = false;
        t.run(&data, &opts, |p| {
            losses.push(p.loss_flow);
            shortcut_seen |= p.loss_shortcut > 0.0;
        })?;
        assert!(shortcut_seen, "no shortcut examples were trained");
        let early: f32 = losses[..10].iter().sum();
        let late: f32 = losses[50..].iter().sum();
        assert!(late < 0.8 * early, "flow-matching loss did not fall: {early} -> {late}");
        let csv = std::fs::read_to_string(out.path().join(LOSS_CSV)).map_err(|e| TrainError::Data(e.to_string()))?;
        assert_eq!(csv.lines().count(), 61, "a header and one row per step");

        // Interrupted at step 60 and resumed from disk, or carried on in memory: the same weights.
        let copy = tempfile::tempdir().map_err(|e| TrainError::Data(e.to_string()))?;
        for name in [CHECKPOINT_DIR] {
            let (from, to) = (out.path().join(name), copy.path().join(name));
            std::fs::create_dir_all(&to).map_err(|e| TrainError::Data(e.to_string()))?;
            for entry in std::fs::read_dir(&from).map_err(|e| TrainError::Data(e.to_string()))? {
                let entry = entry.map_err(|e| TrainError::Data(e.to_string()))?;
                std::fs::copy(entry.path(), to.join(entry.file_name())).map_err(|e| TrainError::Data(e.to_string()))?;
            }
        }
        let more = TrainOptions { steps: 64, ..opts };
        t.run(&data, &more, |_| {})?;
        let mut r = Trainer::resume(copy.path(), Device::Cpu, &more)?;
        assert_eq!(r.step(), 60);
        r.run(&data, &more, |_| {})?;
        assert_eq!(weights_of(&t), weights_of(&r), "a resumed run differs from an uninterrupted one");
        // The exported model loads through the checked loader.
        weights::load(out.path(), &Device::Cpu)?;
        Ok(())
    }
}
