//! `campfire eval ae`: reconstruction PSNR of the autoencoder on held-out clips and its CPU
//! decode time per frame.
//! `campfire eval dit`: the video DiT run as the app runs it, on held-out timelines, against the
//! reference renderer: PSNR, SSIM, flicker, re-entry likeness (an entity leaves and comes back,
//! drawn like the reference) and drift over one long rollout.

use anyhow::Context as _;
use campfire_generator::eval::{Reentry, Scores, combine, reentry, rollout, share_interval};
use campfire_generator::{DitGenerator, DitOptions, Generator, LatentGenerator};
use campfire_models::dit::sampling::Velocity;
use campfire_render::{Timeline, VideoFormat};
use campfire_train::autoencoder::eval::evaluate;
use campfire_train::dataset::{ClipSpec, Split, clip_seed, sample_clip, sample_story};
use campfire_train::shards::FrameSet;
use campfire_train::shards::load_frames;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    model: Model,
}

#[derive(clap::Subcommand)]
enum Model {
    /// The latent video autoencoder.
    Ae(AeArgs),
    /// The video DiT against the reference renderer on held-out timelines.
    Dit(DitArgs),
    /// The kid-safe filter on a labelled set (default: the shipped held-out set).
    Filter(crate::filter::EvalArgs),
}

#[derive(clap::Args)]
struct DitArgs {
    /// The DiT (config.json + model.safetensors); default: the shipped one.
    #[arg(long)]
    weights: Option<PathBuf>,
    /// The autoencoder it decodes through; default: the shipped one.
    #[arg(long)]
    ae: Option<PathBuf>,
    /// Held-out timelines come from this seed (the training never sees held-out seeds).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    #[arg(long, default_value_t = 8)]
    timelines: usize,
    /// Seconds generated of each timeline.
    #[arg(long, default_value_t = 8.0)]
    seconds: f64,
    /// Denoising steps per chunk (default: the generator's).
    #[arg(long, default_value_t = DitOptions::default().steps)]
    steps: usize,
    /// Take the shortcut model's steps (the network told each step's size) instead of Euler
    /// steps of the flow.
    #[arg(long)]
    shortcut: bool,
    /// Start each stream from no context instead of the reference renderer's frames before it.
    #[arg(long)]
    no_prime: bool,
    /// Give every chunk the reference renderer's frames before it as context, as play does,
    /// instead of the model's own (the model's quality on its own rollout is the default figure).
    #[arg(long)]
    anchor: bool,
    /// Noise level given to context frames from the reference renderer (default: the
    /// generator's).
    #[arg(long)]
    context_noise: Option<f32>,
    /// Noise level given to context frames the model drew itself (default: the generator's).
    #[arg(long)]
    own_context_noise: Option<f32>,
    /// Entities sent off stage and back, each on its own held-out timeline (0: skip).
    #[arg(long, default_value_t = 8)]
    reentries: usize,
    /// Length of the rollout for drift, minutes (0: skip); its first and last windows compared.
    #[arg(long, default_value_t = 10.0)]
    drift_minutes: f64,
    /// Seconds in each drift window.
    #[arg(long, default_value_t = 10.0)]
    window_seconds: f64,
    /// Score the autoencoder's round trip of the reference renderer's frames instead of the
    /// DiT: the ceiling of any model that draws through these latents, on the same timelines
    /// and returns.
    #[arg(long)]
    ceiling: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct AeArgs {
    /// A held-out dataset from `campfire data --split heldout` (else clips are rendered now).
    #[arg(long, conflicts_with_all = ["clips", "seed"])]
    data: Option<PathBuf>,
    /// Held-out clips to render when no --data is given.
    #[arg(long, default_value_t = 32)]
    clips: usize,
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Model directory (config.json + model.safetensors); default: the shipped autoencoder.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Frames decoded together (default: the generator's chunk, 8).
    #[arg(long)]
    chunk: Option<usize>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.model {
        Model::Ae(a) => eval_ae(a),
        Model::Dit(a) => eval_dit(a),
        Model::Filter(a) => crate::filter::eval(a),
    }
}

#[derive(serde::Serialize)]
struct DitReport {
    /// `dit`, or `latent` for `--ceiling` (the autoencoder's round trip of the reference).
    generator: String,
    weights: String,
    steps: usize,
    velocity: Velocity,
    /// Each chunk's context: `own` (the model's previous chunk) or `renderer` (`--anchor`).
    context: &'static str,
    /// Noise levels given to the context: the renderer's frames, the model's own.
    context_noise: f32,
    own_context_noise: f32,
    width: u32,
    height: u32,
    fps: u32,
    /// Every held-out timeline's frames together, and each alone.
    heldout: Scores,
    timelines: Vec<Scores>,
    drift: Option<Drift>,
    /// Each exit and return judged, and the share where the entity came back drawn like the
    /// reference. Not memory: a returning entity has the same conditioning maps it had before it
    /// left, so this measures whether a small figure is drawn in the colours the maps say.
    reentries: Vec<Reentry>,
    reentry_likeness: f64,
    /// Where the true share can lie, given how few returns were judged (Wilson, 95 %).
    reentry_likeness_interval: (f64, f64),
    /// Chunks the generator gave up (NaN) and the reference renderer drew: they score perfectly,
    /// so a figure with any is flattered.
    replaced_chunks: u64,
    seconds: f64,
}

#[derive(serde::Serialize)]
struct Drift {
    minutes: f64,
    first: Scores,
    last: Scores,
    /// PSNR of the last window minus the first's.
    psnr_change_db: f64,
}

fn eval_dit(args: DitArgs) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let ae = crate::found::autoencoder_dir(args.ae.clone())?;
    // The ceiling needs no DiT: its report names the autoencoder.
    let weights = match args.ceiling {
        true => ae.clone(),
        false => crate::found::dit_dir(args.weights.clone())
            .ok_or_else(|| anyhow::anyhow!("no DiT weights in {}; give --weights DIR", campfire_paths::DIT))?,
    };
    // Every chunk is the model's own: only NaN chunks are replaced (and counted), none for being
    // far from the reference, which is what is measured here.
    let defaults = DitOptions::default();
    let options = DitOptions {
        steps: args.steps,
        velocity: if args.shortcut { Velocity::Shortcut } else { Velocity::Flow },
        min_psnr_db: f64::NEG_INFINITY,
        prime_from_reference: !args.no_prime,
        anchor_to_reference: args.anchor,
        context_noise: args.context_noise.unwrap_or(defaults.context_noise),
        own_context_noise: args.own_context_noise.unwrap_or(defaults.own_context_noise),
        // The model is measured at the size asked for, never scaled up.
        max_draw_size: None,
    };
    let device = candle_core::Device::Cpu;
    // The DiT stays reachable after the run for its count of replaced chunks.
    let mut dit = None;
    let mut ceiling;
    let generator: &mut dyn Generator = if args.ceiling {
        ceiling = LatentGenerator::load(&ae, &device).with_context(|| format!("loading {}", ae.display()))?;
        &mut ceiling
    } else {
        dit.insert(
            DitGenerator::load(&weights, &ae, &device, options)
                .with_context(|| format!("loading the DiT in {}", weights.display()))?,
        )
    };
    let format = VideoFormat::TRAINING;
    let chunk_secs = format.chunk_frames as f64 / format.fps as f64;
    let chunks = |secs: f64| (secs / chunk_secs).ceil().max(1.0) as u64;
    let drift_chunks =
        if args.drift_minutes > 0.0 { chunks(args.drift_minutes * 60.0 + args.window_seconds) } else { 0 };
    let bar = ProgressBar::new(args.timelines as u64 * chunks(args.seconds) + drift_chunks);
    bar.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} chunks  {msg} ({eta} left)")?);

    let mut timelines = Vec::new();
    let spec = ClipSpec::new(format, (args.seconds * format.fps as f64).ceil() as usize);
    for i in 0..args.timelines {
        let seed = clip_seed(Split::Heldout, args.seed, i as u64);
        let (stage, events, _) = sample_story(seed, &spec)?;
        bar.set_message(format!("timeline {}/{}", i + 1, args.timelines));
        let timeline = Timeline::new(stage, events);
        let n = chunks(args.seconds);
        let windows = rollout(generator, &timeline, format, seed, n, n, &mut |_| bar.inc(1))?;
        timelines.push(combine(&windows));
    }
    let mut reentries = Vec::new();
    for i in 0..args.reentries {
        let seed = clip_seed(Split::Heldout, args.seed, (args.timelines + 1 + i) as u64);
        let (stage, events, _) = sample_story(seed, &spec)?;
        bar.set_message(format!("re-entry {}/{}", i + 1, args.reentries));
        // Its length is known only once the entity is chosen: the bar grows with it.
        let mut tick = |_| {
            bar.inc_length(1);
            bar.inc(1);
        };
        match reentry(generator, stage, events, format, seed, &mut tick)? {
            Some(r) => reentries.push(r),
            None => tracing::info!(seed, "no entity big enough on screen to judge; skipped"),
        }
    }
    let drift = if drift_chunks > 0 {
        let seed = clip_seed(Split::Heldout, args.seed, args.timelines as u64);
        let spec = ClipSpec::new(format, drift_chunks as usize * format.chunk_frames as usize);
        let (stage, events, _) = sample_story(seed, &spec)?;
        bar.set_message(format!("drift, {} min", args.drift_minutes));
        let window = chunks(args.window_seconds);
        let windows =
            rollout(generator, &Timeline::new(stage, events), format, seed, drift_chunks, window, &mut |_| bar.inc(1))?;
        // The last whole window: a short one at the end would weigh a few frames.
        let first = windows[0].clone();
        let last = windows.iter().rev().find(|w| w.frames == first.frames).unwrap_or(&first).clone();
        Some(Drift { minutes: args.drift_minutes, psnr_change_db: last.psnr_db - first.psnr_db, first, last })
    } else {
        None
    };
    bar.finish_and_clear();
    let kept = reentries.iter().filter(|r| r.kept).count();
    let report = DitReport {
        generator: generator.name().to_string(),
        weights: weights.display().to_string(),
        steps: args.steps,
        velocity: options.velocity,
        context: if args.anchor { "renderer" } else { "own" },
        context_noise: options.context_noise,
        own_context_noise: options.own_context_noise,
        width: format.width,
        height: format.height,
        fps: format.fps,
        heldout: combine(&timelines),
        timelines,
        drift,
        reentry_likeness: kept as f64 / reentries.len().max(1) as f64,
        reentry_likeness_interval: share_interval(kept, reentries.len()),
        reentries,
        replaced_chunks: dit.as_ref().map_or(0, DitGenerator::replaced),
        seconds: started.elapsed().as_secs_f64(),
    };
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    let h = &report.heldout;
    if args.ceiling {
        println!(
            "the autoencoder's round trip of the reference at {}x{}, {} fps (no DiT): the ceiling of any latent model",
            report.width, report.height, report.fps
        );
    } else {
        println!(
            "DiT {} at {}x{}, {} fps, {} {:?} steps, context: {} (noise {} on the renderer's frames, {} on its own)",
            report.weights,
            report.width,
            report.height,
            report.fps,
            report.steps,
            report.velocity,
            report.context,
            report.context_noise,
            report.own_context_noise
        );
    }
    println!(
        "held-out     PSNR {:.2} dB  SSIM {:.3}  flicker {:.2}  sharpness {:.2} of the renderer's  ({} timelines, {} frames)",
        h.psnr_db,
        h.ssim,
        h.flicker,
        h.sharpness,
        report.timelines.len(),
        h.frames
    );
    if !report.reentries.is_empty() {
        println!(
            "re-entry     {:.0} % of {} returns drawn in the entity's colours (≥ {:.0} % of the reference's match and ≥ {} like it; the maps say who returns, so this is not memory); 95 % interval {:.0}-{:.0} %",
            report.reentry_likeness * 100.0,
            report.reentries.len(),
            campfire_generator::eval::KEPT_SHARE * 100.0,
            campfire_generator::eval::LIKE_REFERENCE,
            report.reentry_likeness_interval.0 * 100.0,
            report.reentry_likeness_interval.1 * 100.0
        );
    }
    if let Some(d) = &report.drift {
        println!(
            "drift        minute {:.1}: PSNR {:.2} dB against {:.2} at the start ({:+.2} dB); SSIM {:.3} against {:.3}",
            d.minutes, d.last.psnr_db, d.first.psnr_db, d.psnr_change_db, d.last.ssim, d.first.ssim
        );
    }
    if report.replaced_chunks > 0 {
        println!("replaced     {} chunks were NaN and drawn by the reference renderer", report.replaced_chunks);
    }
    println!("took         {:.0} s", report.seconds);
    Ok(ExitCode::SUCCESS)
}

fn eval_ae(args: AeArgs) -> anyhow::Result<ExitCode> {
    let model_dir = crate::found::autoencoder_dir(args.model.clone())?;
    let model = campfire_models::autoencoder::load(&model_dir, &candle_core::Device::Cpu)?;
    let cfg = model.config().clone();
    let (source, frames) = match &args.data {
        Some(dir) => {
            let (manifest, frames) = load_frames(dir)?;
            if manifest.split != Split::Heldout {
                tracing::warn!("{}: a {:?} dataset; its PSNR is not a held-out figure", dir.display(), manifest.split);
            }
            (format!("{} ({:?}, {} clips)", dir.display(), manifest.split, manifest.clips), frames)
        }
        None => {
            let format = VideoFormat::TRAINING.with_size(cfg.width as u32, cfg.height as u32);
            let spec = ClipSpec::new(format, format.chunk_frames as usize);
            let mut rgb = Vec::new();
            for i in 0..args.clips {
                let seed = clip_seed(Split::Heldout, args.seed, i as u64);
                let clip = sample_clip(seed, &spec)?;
                clip.frames.iter().for_each(|f| rgb.extend_from_slice(&f.rgb));
            }
            let count = args.clips * spec.frames;
            (
                format!("{} held-out clips rendered from seed {}", args.clips, args.seed),
                FrameSet { rgb, count, height: cfg.height, width: cfg.width },
            )
        }
    };
    anyhow::ensure!(frames.count > 0, "no frames to evaluate");
    let report = evaluate(&model, &frames, args.chunk.unwrap_or(VideoFormat::TRAINING.chunk_frames as usize))?;
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        let (c, h, w) = cfg.latent_shape();
        println!("autoencoder {} ({}x{}x3 -> {w}x{h}x{c})", model_dir.display(), cfg.width, cfg.height);
        println!("data        {source}: {} frames", report.frames);
        println!("PSNR        {:.2} dB (worst frame {:.2} dB)", report.psnr_db, report.min_frame_psnr_db);
        println!(
            "decode      {:.2} ms/frame  (encode {:.2} ms/frame; chunks of {}, {} threads)",
            report.decode_ms_per_frame, report.encode_ms_per_frame, report.chunk, report.threads
        );
    }
    Ok(ExitCode::SUCCESS)
}
