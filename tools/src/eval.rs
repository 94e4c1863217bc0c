//! `campfire eval ae`: reconstruction PSNR of the autoencoder on held-out clips and its CPU
//! decode time per frame.
//! `campfire eval dit`: the generator's evaluation protocol (`campfire_generator::eval::protocol`:
//! the DiT run as the app runs it, on held-out timelines, against the reference renderer), its
//! figures printed or written as JSON.

use anyhow::Context as _;
use campfire_generator::eval::protocol::{self, Progress, Protocol, Report};
use campfire_generator::eval::{KEPT_SHARE, LIKE_REFERENCE};
use campfire_generator::{DitGenerator, DitOptions, Generator, LatentGenerator};
use campfire_models::dit::sampling::Velocity;
use campfire_render::VideoFormat;
use campfire_train::autoencoder::eval::evaluate;
use campfire_train::dataset::{ClipSpec, HeldOutStories, Split};
use campfire_train::shards::{FrameSet, load_frames};
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

fn eval_dit(args: DitArgs) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let ae = crate::found::autoencoder_dir(args.ae.clone())?;
    // The ceiling needs no DiT: its report names the autoencoder.
    let weights = match args.ceiling {
        true => ae.clone(),
        false => crate::found::dit_dir(args.weights.clone())
            .ok_or_else(|| anyhow::anyhow!("no DiT weights in {}; give --weights DIR", campfire_paths::DIT))?,
    };
    let defaults = DitOptions::default();
    let options = protocol::measured(DitOptions {
        steps: args.steps,
        velocity: if args.shortcut { Velocity::Shortcut } else { Velocity::Flow },
        prime_from_reference: !args.no_prime,
        anchor_to_reference: args.anchor,
        context_noise: args.context_noise.unwrap_or(defaults.context_noise),
        own_context_noise: args.own_context_noise.unwrap_or(defaults.own_context_noise),
        ..defaults
    });
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
    let run = Protocol {
        timelines: args.timelines,
        seconds: args.seconds,
        reentries: args.reentries,
        drift_minutes: args.drift_minutes,
        window_seconds: args.window_seconds,
    };
    let bar = ProgressBar::new(run.planned_chunks());
    bar.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} chunks  {msg} ({eta} left)")?);
    let figures = run.run(generator, &mut HeldOutStories { base: args.seed }, &mut |p| match p {
        Progress::Timeline { index, of } => bar.set_message(format!("timeline {}/{of}", index + 1)),
        Progress::Reentry { index, of } => bar.set_message(format!("re-entry {}/{of}", index + 1)),
        Progress::Drift { minutes } => bar.set_message(format!("drift, {minutes} min")),
        Progress::Chunk { planned } => {
            if !planned {
                bar.inc_length(1);
            }
            bar.inc(1);
        }
    })?;
    bar.finish_and_clear();
    let name = generator.name().to_string();
    let replaced = dit.as_ref().map_or(0, DitGenerator::replaced);
    let seconds = started.elapsed().as_secs_f64();
    let report = Report::new(&name, weights.display().to_string(), &options, figures, replaced, seconds);
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    let (f, h) = (&report.figures, &report.figures.heldout);
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
        f.timelines.len(),
        h.frames
    );
    if !f.reentries.is_empty() {
        println!(
            "re-entry     {:.0} % of {} returns drawn in the entity's colours (≥ {:.0} % of the reference's match and ≥ {} like it; the maps say who returns, so this is not memory); 95 % interval {:.0}-{:.0} %",
            f.reentry_likeness * 100.0,
            f.reentries.len(),
            KEPT_SHARE * 100.0,
            LIKE_REFERENCE,
            f.reentry_likeness_interval.0 * 100.0,
            f.reentry_likeness_interval.1 * 100.0
        );
    }
    if let Some(d) = &f.drift {
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
            (
                format!("{} held-out clips rendered from seed {}", args.clips, args.seed),
                FrameSet::heldout(args.seed, args.clips, &spec)?,
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
