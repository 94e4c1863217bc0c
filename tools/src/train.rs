//! `campfire train ae` and `campfire train dit`: train the latent autoencoder or the video DiT on
//! a dataset made by `campfire data`.
//!
//! Checkpoints go to `OUT/checkpoint/` every few minutes and the shippable model
//! (`OUT/model.safetensors` + `OUT/config.json`) is exported with each; `--resume` continues
//! from the checkpoint after an interruption. Use a release build: a debug one is ~10× slower.

use campfire_models::autoencoder::Config;
use campfire_train::autoencoder::train::{Loss, TrainOptions, Trainer};
use campfire_train::curve;
use campfire_train::preset::Preset;
use campfire_train::shards::load_frames;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    model: Model,
}

#[derive(clap::Subcommand)]
enum Model {
    /// The latent video autoencoder.
    Ae(AeArgs),
    /// The video diffusion transformer (on latents of the shipped autoencoder, cached).
    Dit(crate::train_dit::Args),
}

#[derive(clap::Args)]
struct AeArgs {
    /// Dataset directory (from `campfire data`).
    #[arg(long)]
    data: PathBuf,
    /// Where the model and its checkpoint go (required: training never writes into the shipped
    /// assets/models/ae unless that path is given here).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Total steps (the learning-rate schedule spans them; a resumed run continues to this).
    #[arg(long, default_value_t = 4000)]
    steps: usize,
    #[arg(long, default_value_t = 8)]
    batch: usize,
    /// Peak learning rate.
    #[arg(long, default_value_t = 2e-3)]
    lr: f64,
    /// Continue from OUT/checkpoint.
    #[arg(long)]
    resume: bool,
    /// Minutes between checkpoints.
    #[arg(long, default_value_t = 3.0)]
    checkpoint_minutes: f64,
    /// Training objective: `l1+mse` (fast start, sharp edges) or `mse` (what PSNR measures;
    /// for the last part of a run, with `--resume`).
    #[arg(long, default_value = "l1+mse")]
    loss: String,
    /// Network size for a fresh run: `base` (shipped), `small` or `tiny`.
    #[arg(long, default_value_t = Preset::Base)]
    preset: Preset,
    /// Seed of a fresh run's initial weights' batch order (a resumed run keeps the state it saved).
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.model {
        Model::Ae(a) => train_ae(a),
        Model::Dit(a) => crate::train_dit::run(a),
    }
}

fn train_ae(args: AeArgs) -> anyhow::Result<ExitCode> {
    // Checked before the dataset is read, which takes a while.
    let loss = match args.loss.as_str() {
        "l1+mse" => Loss::L1Mse,
        "mse" => Loss::Mse,
        other => anyhow::bail!("unknown --loss `{other}`; expected `l1+mse` or `mse`"),
    };
    let (manifest, frames) = load_frames(&args.data)?;
    anyhow::ensure!(frames.count > 0, "{}: the dataset has no frames", args.data.display());
    if manifest.split != campfire_train::dataset::Split::Train {
        tracing::warn!("training on a {:?} dataset: its figures are no longer held out", manifest.split);
    }
    let mut trainer = if args.resume {
        anyhow::ensure!(
            Trainer::has_checkpoint(&args.out),
            "--resume: no checkpoint in {}",
            args.out.join("checkpoint").display()
        );
        Trainer::resume(&args.out)?
    } else {
        anyhow::ensure!(
            !Trainer::has_checkpoint(&args.out),
            "{} already holds a checkpoint; pass --resume to continue it or remove it to start over",
            args.out.display()
        );
        let cfg = Config { width: frames.width, height: frames.height, ..args.preset.autoencoder() };
        cfg.validate().map_err(|e| anyhow::anyhow!("{e}"))?;
        Trainer::new(cfg, &args.out, args.seed)?
    };
    let opts = TrainOptions {
        loss,
        steps: args.steps,
        batch_size: args.batch,
        lr: args.lr,
        checkpoint_every: Duration::from_secs_f64(args.checkpoint_minutes.max(0.1) * 60.0),
        seed: args.seed,
        ..Default::default()
    };
    tracing::info!(frames = frames.count, start = trainer.step(), steps = opts.steps, "training the autoencoder");
    let bar = ProgressBar::new(opts.steps as u64)
        .with_position(trainer.step() as u64)
        .with_style(ProgressStyle::with_template("{bar:30} {pos}/{len} {msg} ETA {eta}")?);
    // PSNR of single batches is noisy; an average over the last ~50 steps is what to watch.
    let mut ema: Option<(f64, f64)> = None;
    trainer.run(&frames, &opts, |p| {
        let (l, q) =
            ema.map_or((p.loss as f64, p.psnr), |(l, q)| (0.98 * l + 0.02 * p.loss as f64, 0.98 * q + 0.02 * p.psnr));
        ema = Some((l, q));
        bar.set_position(p.step as u64);
        bar.set_message(format!("loss {l:.4}  PSNR {q:.2} dB  {:.2} steps/s", p.steps_per_sec));
        if p.checkpointed {
            curve::redraw(&args.out, "loss", "autoencoder loss");
        }
        if p.step % 10 == 0 || p.checkpointed {
            let eta = (p.steps - p.step) as f64 / p.steps_per_sec.max(1e-9);
            tracing::info!(
                step = p.step,
                loss = format!("{l:.4}"),
                psnr_db = format!("{q:.2}"),
                lr = format!("{:.2e}", p.lr),
                steps_per_sec = format!("{:.2}", p.steps_per_sec),
                eta_min = format!("{:.1}", eta / 60.0),
                checkpoint = p.checkpointed,
            );
        }
    })?;
    bar.finish();
    curve::redraw(&args.out, "loss", "autoencoder loss");
    eprintln!("{}", curve::summary(&args.out, trainer.step()));
    Ok(ExitCode::SUCCESS)
}
