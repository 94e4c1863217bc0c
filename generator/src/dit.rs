//! The picture made by the video DiT: each chunk sampled from noise in a few flow steps,
//! conditioned on the story's conditioning maps and on the latents of the frames just made
//! (their keys and values computed once per chunk, not once per step), decoded by the shipped
//! autoencoder.
//!
//! It follows [`LatentGenerator`](crate::LatentGenerator)'s rule for weights (bad ones are a
//! warning and the reference renderer carries on) and adds one for chunks: a chunk that comes
//! out bad — NaN, or far from what the reference renderer draws for the same timeline — is
//! replaced by the reference frames, and the stream starts afresh after it, so a family never
//! sees a frozen or garbage picture.

use crate::chunk::{Chunk, ChunkRequest, Context, Generator, GeneratorError, ReferenceGenerator};
use campfire_models::autoencoder::metrics::{frames_to_tensor, mse_u8, psnr_from_mse, tensor_to_frames};
use campfire_models::autoencoder::{self, Autoencoder};
use campfire_models::dit::sampling::{SamplerOptions, Velocity, gaussian, noised, sample};
use campfire_models::dit::{Dit, weights};
use campfire_render::{CHANNELS, CONDITION_VERSION, ConditionMap, Frame, VideoFormat};
use candle_core::{DType, Device, Tensor};
use std::path::Path;

/// How play samples by default: steps per chunk, and the noise given to context frames the
/// reference renderer drew and to those the model drew itself. [`DitOptions::default`] has the
/// figures behind each; the trainer's rollouts (`campfire-train`) sample the same way, so that
/// the model learns from the context it meets in play.
pub const PLAY_STEPS: usize = 2;
pub const PLAY_CONTEXT_NOISE: f32 = 0.1;
pub const PLAY_OWN_CONTEXT_NOISE: f32 = 0.8;

/// How the DiT generator samples, and when it gives a chunk up.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DitOptions {
    /// Network evaluations per chunk (the distilled model is made for 1–4).
    pub steps: usize,
    /// What each step asks the network for: the flow, or the shortcut of the step's size.
    pub velocity: Velocity,
    /// Noise level given to context frames drawn by the reference renderer (the primed first
    /// chunk, and every chunk when anchored): they are clean, and a little noise only matches
    /// what the model was trained on.
    pub context_noise: f32,
    /// Noise level given to context frames the model drew itself. Diffusion Forcing's lever:
    /// the more noise, the less of its own artefacts the model carries on, and the more it
    /// draws from the conditioning instead. See the default for the figures behind 0.8.
    pub own_context_noise: f32,
    /// A chunk whose PSNR against the reference renderer's frames falls below this is bad.
    pub min_psnr_db: f64,
    /// A chunk with no context before it (the first of a stream, or after a seek) is given the
    /// reference renderer's frames before it as context, encoded, instead of none: the model
    /// learnt to continue video, and starting from nothing it must invent the scene's look.
    pub prime_from_reference: bool,
    /// Every chunk, not only the first, is given the reference renderer's frames before it as
    /// context instead of the model's own. The model trained on true context drifts on its own
    /// output (the demo at step 1612: 26.5 dB in its first chunk, 14 dB 17 chunks on);
    /// anchored, every chunk is a first chunk and the picture holds. `campfire eval dit`
    /// measures both.
    pub anchor_to_reference: bool,
    /// The largest frame the DiT draws itself; a larger picture is drawn at its shape within
    /// this and scaled up (bilinear). At 128x96 the model makes video 4.5-5.1x faster than it
    /// plays here, at 256x192 1.1x (`campfire bench video`): too little margin beside the
    /// narrator and the listener, and a late picture in live play is a held frame. `None`:
    /// drawn at the size asked (what `eval` measures), rounded to whole patches.
    pub max_draw_size: Option<(u32, u32)>,
}

impl Default for DitOptions {
    fn default() -> Self {
        // 12 dB is far below any trained model's chunk (the reference and a model that draws
        // the right stage with the wrong details differ by less): only garbage falls under it.
        // Two Euler steps of the flow. `campfire eval dit --anchor --timelines 8 --seconds 4
        // --steps N [--shortcut]` on the weights shipped before (fine-tune step 196 in
        // assets/models/dit/README.md), held-out seeds 0 and 1:
        // - the flow in 1, 2, 3, 4, 8 and 32 steps: 22.83, 22.96, 22.85, 22.76, 22.51 and
        //   22.30 dB on seed 0; 2 steps 24.40 dB on seed 1;
        // - the shortcut in 1, 2 and 32 steps: 21.68, 21.89 and 22.15 dB on seed 0; 2 steps
        //   23.55 dB on seed 1.
        // The conditioning pins down nearly everything on screen; what it leaves open (grass
        // tufts, a figure's exact pose) a sample guesses, at twice the mean's squared error on
        // average. The shortcut's sample draws those guesses as blotches in the sky and on the
        // ground; the flow's first step from pure noise points at the mean and the second
        // sharpens it, smoother and closer to the renderer (SSIM 0.70 against 0.58). Two steps
        // made 128x96 video 3.9x faster than it plays, four 2.1x (`campfire bench video`, session
        // 14; decoding is faster since).
        Self {
            steps: PLAY_STEPS,
            velocity: Velocity::Flow,
            context_noise: PLAY_CONTEXT_NOISE,
            // The model's own rollout over 10 minutes, its first 10 s against its last, by
            // `campfire eval dit --timelines 1 --seconds 1 --reentries 0 --drift-minutes 10
            // --own-context-noise L --seed S`, the shipped weights:
            //   L     seed 0                seed 1                seed 2
            //   0.1   20.4 -> 14.0 (-6.4)   17.7 -> 10.6 (-7.1)   23.1 -> 17.2 (-6.0) dB
            //   0.7   17.2 -> 16.3 (-1.0)   16.9 -> 14.3 (-2.6)   20.4 -> 18.6 (-1.8) dB
            //   0.8   16.6 -> 16.6 (+0.0)   14.6 -> 13.9 (-0.7)   19.5 -> 18.4 (-1.1) dB
            // The more noise, the more it draws from the conditioning (17.8 dB from it alone)
            // and the less it carries on its own artefacts: at 0.8 its first 10 s are 3-4 dB
            // below a light noise's and its tenth minute 1.2-3.3 dB above, where at 0.1 it turns
            // into blotches within seconds. It holds a blurred smear of the stage, not the
            // stage.
            own_context_noise: PLAY_OWN_CONTEXT_NOISE,
            min_psnr_db: 12.0,
            prime_from_reference: true,
            // The DiT chosen by name plays its own rollout, primed once and never re-anchored:
            // the world model it is meant to be, and what `eval dit` measures without
            // `--anchor`. Anchored, each chunk drew the renderer's sharp frames and then showed
            // a blurred copy of them, at a cost the child's voice needed.
            anchor_to_reference: false,
            max_draw_size: Some((VideoFormat::TRAINING.width, VideoFormat::TRAINING.height)),
        }
    }
}

/// What a chunk leaves for the next: its last `context_frames` latents (scaled, clean) and
/// their conditioning, (1, Tc, C, h, w) and (1, Tc, Cc, h, w).
#[derive(Clone, Debug)]
struct Carried {
    latents: Tensor,
    cond: Tensor,
}

pub struct DitGenerator {
    dit: Dit,
    ae: Autoencoder,
    device: Device,
    options: DitOptions,
    context: Context<Carried>,
    /// Chunks replaced by the reference frames so far (NaN or far from the conditioning).
    replaced: u64,
}

impl DitGenerator {
    /// Builds from a loaded DiT and autoencoder, after checking they belong together: the
    /// DiT's latents are the autoencoder's and its conditioning is the one this build draws.
    pub fn new(dit: Dit, ae: Autoencoder, device: Device, options: DitOptions) -> Result<Self, GeneratorError> {
        let cfg = dit.config();
        if cfg.cond_version != CONDITION_VERSION || cfg.cond_channels != CHANNELS {
            return Err(GeneratorError::Mismatch(format!(
                "the DiT was trained on conditioning version {} ({} channels), this build draws version {CONDITION_VERSION} ({CHANNELS} channels); retrain it",
                cfg.cond_version, cfg.cond_channels
            )));
        }
        if cfg.latent_channels != ae.config().latent_channels {
            return Err(GeneratorError::Mismatch(format!(
                "the DiT makes {}-channel latents, the autoencoder decodes {}",
                cfg.latent_channels,
                ae.config().latent_channels
            )));
        }
        // Context for the chunk being re-made after a supersede, plus the newest.
        let context = Context::new(4);
        Ok(Self { dit, ae, device, options, context, replaced: 0 })
    }

    /// Loads the DiT in `dit_dir` and the autoencoder in `ae_dir` onto `device`.
    pub fn load(dit_dir: &Path, ae_dir: &Path, device: &Device, options: DitOptions) -> Result<Self, GeneratorError> {
        let ae = autoencoder::load(ae_dir, device)?;
        // Checked on the config before the weights are read, so a mismatch names the file.
        let cfg = weights::load_config(dit_dir).map_err(load_error)?;
        weights::check_compatible(dit_dir, &cfg, ae.config().latent_channels, CHANNELS, CONDITION_VERSION)
            .map_err(load_error)?;
        let dit = weights::load(dit_dir, device).map_err(load_error)?;
        Self::new(dit, ae, device.clone(), options)
    }

    /// The DiT generator, or `None` with a warning naming the file and what was wrong, so the
    /// caller keeps the reference renderer.
    pub fn open_or_fall_back(dit_dir: &Path, ae_dir: &Path, device: &Device, options: DitOptions) -> Option<Self> {
        match Self::load(dit_dir, ae_dir, device, options) {
            Ok(g) => Some(g),
            Err(e) => {
                tracing::warn!("the DiT cannot be used ({}); falling back to the reference renderer", chain(&e));
                None
            }
        }
    }

    /// Chunks replaced by the reference renderer's frames so far.
    pub fn replaced(&self) -> u64 {
        self.replaced
    }

    /// Whether the pair can make chunks of `frames` frames at `width × height`: any size (it is
    /// drawn at [`DitGenerator::draw_size`] and scaled), and whole numbers of the DiT's time
    /// patches, no shorter than its context.
    pub fn check_size(&self, width: u32, height: u32, frames: u32) -> Result<(), GeneratorError> {
        let cfg = self.dit.config();
        if width == 0 || height == 0 {
            return Err(GeneratorError::BadRequest(format!("a {width}x{height} picture has no pixels")));
        }
        if !(frames as usize).is_multiple_of(cfg.patch_t) || (frames as usize) < cfg.context_frames {
            return Err(GeneratorError::BadRequest(format!(
                "chunks of {frames} frames: the DiT needs a multiple of {} and at least {}",
                cfg.patch_t, cfg.context_frames
            )));
        }
        Ok(())
    }

    /// The size a `width × height` picture is drawn at before it is scaled to that size: the
    /// same shape within [`DitOptions::max_draw_size`], each side rounded to a whole number of
    /// the DiT's patches (16 pixels for 8x latents in 2x2 patches).
    pub fn draw_size(&self, width: u32, height: u32) -> (u32, u32) {
        let cfg = self.dit.config();
        let f = self.ae.config().downscale() as u32;
        let (max_w, max_h) = self.options.max_draw_size.unwrap_or((width, height));
        let s = (f64::from(max_w) / f64::from(width)).min(f64::from(max_h) / f64::from(height)).min(1.0);
        let fit = |side: u32, cell: u32| ((f64::from(side) * s / f64::from(cell)).round() as u32).max(1) * cell;
        (fit(width, cfg.patch_w as u32 * f), fit(height, cfg.patch_h as u32 * f))
    }

    /// Samples and decodes chunk `request.index`; returns its frames and what it leaves.
    fn make(&self, request: &ChunkRequest) -> candle_core::Result<(Vec<Frame>, Carried)> {
        let cfg = self.dit.config();
        let maps = request.condition_maps();
        let cond = cond_tensor(&maps, &self.device)?; // (1, T, Cc, h, w)
        let frames = maps.len();
        let stored = if self.options.anchor_to_reference { None } else { self.context.before(request.index) };
        let prime = self.options.prime_from_reference || self.options.anchor_to_reference;
        let primed = if stored.is_none() && prime { Some(self.prime(request)?) } else { None };
        let context = match stored
            .map(|c| (c, self.options.own_context_noise))
            .or(primed.as_ref().map(|c| (c, self.options.context_noise)))
        {
            Some((c, level)) => {
                let tc = c.latents.dim(1)?;
                let t = Tensor::full(level, (1, tc), &self.device)?;
                let mut rng = fastrand::Rng::with_seed(request.seed ^ request.index.wrapping_mul(0x9e37_79b9));
                let noise = gaussian(c.latents.dims(), &mut rng, &self.device)?;
                Some(self.dit.context(&noised(&c.latents, &noise, &t)?, &c.cond, &t)?)
            }
            None => None,
        };
        let seed = request.seed.wrapping_mul(1_000_003).wrapping_add(request.index);
        let z = sample(
            &self.dit,
            &cond,
            context.as_ref(),
            SamplerOptions { steps: self.options.steps, seed, velocity: self.options.velocity },
        )?;
        // NaN and infinity spread through a sum; the decoder would hide them as black.
        if !z.sum_all()?.to_scalar::<f32>()?.is_finite() {
            candle_core::bail!("the sampled latents hold NaN or infinite values");
        }
        let keep = cfg.context_frames.min(frames);
        let carried =
            Carried { latents: z.narrow(1, frames - keep, keep)?, cond: cond.narrow(1, frames - keep, keep)? };
        let rgb = tensor_to_frames(&self.ae.decode_scaled(&z.squeeze(0)?)?)?;
        let (w, h) = (request.format.width, request.format.height);
        let size = (w * h * 3) as usize;
        let out = rgb.chunks_exact(size).map(|p| Frame { width: w, height: h, rgb: p.to_vec() }).collect();
        Ok((out, carried))
    }

    /// Frames scaled to `width × height` (bilinear).
    fn scale(&self, frames: &[Frame], width: u32, height: u32) -> candle_core::Result<Vec<Frame>> {
        let Some(first) = frames.first() else { return Ok(Vec::new()) };
        let rgb: Vec<u8> = frames.iter().flat_map(|f| f.rgb.iter().copied()).collect();
        let x = frames_to_tensor(&rgb, frames.len(), first.height as usize, first.width as usize, &self.device)?;
        let big = tensor_to_frames(&x.upsample_bilinear2d(height as usize, width as usize, false)?)?;
        let size = (width * height * 3) as usize;
        Ok(big.chunks_exact(size).map(|p| Frame { width, height, rgb: p.to_vec() }).collect())
    }

    /// The context a chunk would have had: the reference renderer's `context_frames` frames
    /// before it (the first frame repeated before the story's start), encoded.
    fn prime(&self, request: &ChunkRequest) -> candle_core::Result<Carried> {
        let f = request.format;
        let tc = self.dit.config().context_frames as u64;
        let first = f.chunk_first_frame(request.index);
        let ticks: Vec<f64> = (0..tc).map(|j| f.frame_tick((first + j).saturating_sub(tc))).collect();
        let (w, h) = (f.width, f.height);
        let (lw, lh) = f.latent_size();
        let mut playhead = request.timeline.playhead();
        let (mut rgb, mut maps) = (Vec::new(), Vec::new());
        for &t in &ticks {
            let pose = playhead.at(t).pose_at(t);
            rgb.extend(campfire_render::render_frame(&pose, w, h, request.seed).rgb);
            maps.push(campfire_render::condition_map(&pose, lw, lh));
        }
        let x = frames_to_tensor(&rgb, ticks.len(), h as usize, w as usize, &self.device)?;
        Ok(Carried { latents: self.ae.encode_scaled(&x)?.unsqueeze(0)?, cond: cond_tensor(&maps, &self.device)? })
    }
}

/// Conditioning maps of one chunk as the DiT reads them: (1, T, Cc, h, w).
fn cond_tensor(maps: &[ConditionMap], device: &Device) -> candle_core::Result<Tensor> {
    let Some(first) = maps.first() else { candle_core::bail!("a chunk of no frames") };
    let (c, h, w) = (first.channels as usize, first.height as usize, first.width as usize);
    let data: Vec<f32> = maps.iter().flat_map(|m| m.data.iter().copied()).collect();
    Tensor::from_vec(data, (1, maps.len(), c, h, w), device)?.to_dtype(DType::F32)
}

fn load_error(e: weights::LoadError) -> GeneratorError {
    GeneratorError::DitLoad(e)
}

/// An error with its causes, for one log line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        s.push_str(": ");
        s.push_str(&cause.to_string());
        source = cause.source();
    }
    s
}

/// PSNR of generated frames against the reference's.
fn psnr(generated: &[Frame], reference: &[Frame]) -> f64 {
    let a: Vec<u8> = generated.iter().flat_map(|f| f.rgb.iter().copied()).collect();
    let b: Vec<u8> = reference.iter().flat_map(|f| f.rgb.iter().copied()).collect();
    psnr_from_mse(mse_u8(&a, &b))
}

impl Generator for DitGenerator {
    fn generate(&mut self, request: &ChunkRequest) -> Result<Chunk, GeneratorError> {
        request.validate()?;
        let f = request.format;
        self.check_size(f.width, f.height, f.chunk_frames)?;
        let (dw, dh) = self.draw_size(f.width, f.height);
        let drawn = request.clone().with_size(dw, dh);
        // The teacher's frames at the drawn size: the yardstick for a bad chunk.
        let reference = drawn.reference_frames();
        let made = self.make(&drawn).and_then(|(frames, carried)| {
            let p = psnr(&frames, &reference);
            let frames = if (dw, dh) == (f.width, f.height) { frames } else { self.scale(&frames, f.width, f.height)? };
            Ok((frames, carried, p))
        });
        let (frames, why) = match made {
            Ok((frames, carried, p)) if p.is_finite() && p >= self.options.min_psnr_db => {
                self.context.store(request.index, carried);
                (frames, None)
            }
            Ok((_, _, p)) => (Vec::new(), Some(format!("{p:.1} dB from the reference renderer's frames"))),
            // NaN latents, or an op that fails: this chunk is drawn by the renderer.
            Err(e) => (Vec::new(), Some(format!("the model failed: {e}"))),
        };
        // A bad chunk's replacement: the renderer's frames at the size asked for.
        let frames = match &why {
            None => frames,
            Some(_) if (dw, dh) == (f.width, f.height) => reference,
            Some(_) => request.reference_frames(),
        };
        let generator = match why {
            None => self.name().to_string(),
            Some(why) => {
                self.replaced += 1;
                // Its context would carry the fault into the next chunk.
                self.context.seek(request.index);
                tracing::warn!(
                    chunk = request.index,
                    "a DiT chunk came out bad ({why}); the reference renderer drew it"
                );
                ReferenceGenerator.name().to_string()
            }
        };
        Ok(Chunk { index: request.index, frames, times: request.frame_ticks(), generation: 0, timing: None, generator })
    }

    fn seek(&mut self, index: u64) {
        self.context.seek(index);
    }

    fn reset(&mut self) {
        self.context.reset();
    }

    fn name(&self) -> &str {
        "dit"
    }

    fn chunk_frames(&self) -> Option<u32> {
        Some(self.dit.config().chunk_frames as u32)
    }

    fn device(&self) -> Device {
        self.device.clone()
    }
}
