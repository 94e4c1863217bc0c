//! `campfire train dit`: trains the video DiT on a dataset made by `campfire data` (clips of at
//! least `context + chunk` frames, e.g. `--frames 12`), on latents of the shipped autoencoder
//! that are encoded once and cached beside the dataset.
//!
//! Checkpoints (weights, optimiser moments, step, batch generator) go to `OUT/checkpoint/`
//! every few minutes and the shippable model (`OUT/model.safetensors` + `OUT/config.json`) is
//! exported with each; `--resume` continues exactly where an interrupted run stopped. The loss
//! of every step is appended to `OUT/loss.csv`. With `--preview`, the end of the run samples
//! chunks of held-out clips and writes their PSNR and a picture (reference above, generated
//! below). Use a release build.

use anyhow::Context;
use campfire_generator::dit::PLAY_CONTEXT_NOISE;
use campfire_models::dit::Config;
use campfire_models::dit::sampling::Velocity;
use campfire_train::curve;
use campfire_train::dit::eval::evaluate_chunks;
use campfire_train::dit::latents::load_latents;
use campfire_train::dit::train::{TrainOptions, Trainer};
use campfire_train::preset::Preset;
use candle_core::Device;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    /// Dataset directory (from `campfire data --frames 12` or longer).
    #[arg(long)]
    data: PathBuf,
    /// Where the model, its checkpoint and loss.csv go.
    #[arg(long, default_value = "out/dit")]
    out: PathBuf,
    /// The autoencoder whose latents the DiT learns (default: the shipped one).
    #[arg(long)]
    ae: Option<PathBuf>,
    /// Total steps (the learning-rate schedule spans them; a resumed run continues to this).
    #[arg(long, default_value_t = 20_000)]
    steps: usize,
    #[arg(long, default_value_t = 8)]
    batch: usize,
    /// Peak learning rate.
    #[arg(long, default_value_t = 5e-4)]
    lr: f64,
    #[arg(long, default_value_t = 200)]
    warmup: usize,
    /// Continue from OUT/checkpoint.
    #[arg(long, conflicts_with = "init")]
    resume: bool,
    /// Start a new run (step 0, new optimiser state) from this DiT's weights (config.json +
    /// model.safetensors), e.g. assets/models/dit; its config replaces --preset.
    #[arg(long, value_name = "DIR")]
    init: Option<PathBuf>,
    /// With --init: make its network this many blocks deep first, each added block a copy of
    /// the one before it whose adaLN gates are zero, so training starts from exactly what the
    /// init computes, with more capacity to learn.
    #[arg(long, requires = "init")]
    depth: Option<usize>,
    /// Minutes between checkpoints.
    #[arg(long, default_value_t = 5.0)]
    checkpoint_minutes: f64,
    /// Network size for a fresh run: `small` (real time on 2 CPU cores), `base` (GPU) or `tiny`.
    #[arg(long, default_value_t = Preset::Small)]
    preset: Preset,
    /// `cpu`, or `cuda` (needs a build with `--features cuda`).
    #[arg(long, default_value = "cpu")]
    device: String,
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// After training: held-out dataset to sample chunks of; PSNR is printed and
    /// OUT/preview-Nsteps-{flow,shortcut}.png written for each of --preview-steps.
    #[arg(long)]
    preview: Option<PathBuf>,
    #[arg(long, value_delimiter = ',', default_value = "1,4,32")]
    preview_steps: Vec<usize>,
    #[arg(long, default_value_t = 8)]
    preview_clips: usize,
    /// Share (0..1) of the lightly-noised contexts the model draws itself, so that it learns to
    /// continue its own output, not only true frames (fine-tuning against drift).
    #[arg(long, default_value_t = 0.0)]
    self_context: f64,
    /// Share (0..1) of the batches whose context is the model's own rollout of 1 to
    /// --rollout-chunks chunks, each sampled as the generator does, the chunk after it learnt
    /// against the true frames (against drift on its own output; needs clips of
    /// context + (chunks + 1) · chunk frames, `campfire data --frames 28` for 2).
    #[arg(long, default_value_t = 0.0)]
    rollout: f64,
    /// The most chunks a rollout batch samples before the one it learns.
    #[arg(long, default_value_t = 2)]
    rollout_chunks: usize,
    /// Extra loss weight on the pixels a figure covers (0: every pixel alike; 4: a pixel inside
    /// a figure counts five times), so small characters are drawn rather than smudged.
    #[arg(long, default_value_t = 0.0)]
    entity_weight: f64,
    /// Train half the flow examples at the noise levels an N-step flow sampler asks at (the
    /// generator takes 2: levels 1 and 0.5); 0: logit-normal levels only.
    #[arg(long, default_value_t = 0)]
    sampler_steps: usize,
}

fn device(name: &str) -> anyhow::Result<Device> {
    match name {
        "cpu" => Ok(Device::Cpu),
        "cuda" => Device::new_cuda(0)
            .context("--device cuda: build campfire with `--features cuda` and run where a GPU driver is"),
        other => anyhow::bail!("unknown --device `{other}`; expected `cpu` or `cuda`"),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dev = device(&args.device)?;
    let ae_dir = crate::found::autoencoder_dir(args.ae.clone())?;
    let ae = campfire_models::autoencoder::load(&ae_dir, &Device::Cpu)?;
    // Checked before the clips are encoded, which can take minutes.
    if let Some(dir) = &args.init {
        let cfg = campfire_models::dit::weights::load_config(dir)?;
        campfire_models::dit::weights::check_compatible(
            dir,
            &cfg,
            ae.config().latent_channels,
            campfire_render::CHANNELS,
            campfire_render::condition::VERSION,
        )?;
        if let Some(depth) = args.depth {
            anyhow::ensure!(
                depth >= cfg.depth,
                "--depth {depth}: the DiT in {} is {} blocks deep already; blocks can only be added",
                dir.display(),
                cfg.depth
            );
        }
    }
    let bar = ProgressBar::new(0).with_style(ProgressStyle::with_template("{msg} {bar:30} {pos}/{len}")?);
    bar.set_message("encoding clips (once; cached)");
    let (manifest, data) = load_latents(&args.data, &ae, &ae_dir, |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })?;
    bar.finish_and_clear();
    if manifest.split != campfire_train::dataset::Split::Train {
        tracing::warn!("training on a {:?} dataset: its figures are no longer held out", manifest.split);
    }
    let opts = TrainOptions {
        steps: args.steps,
        batch_size: args.batch,
        lr: args.lr,
        warmup: args.warmup,
        checkpoint_every: Duration::from_secs_f64(args.checkpoint_minutes.max(0.1) * 60.0),
        self_context: args.self_context.clamp(0.0, 1.0),
        rollout: args.rollout.clamp(0.0, 1.0),
        rollout_chunks: args.rollout_chunks,
        entity_weight: args.entity_weight.max(0.0),
        sampler_steps: args.sampler_steps,
        ..Default::default()
    };
    let mut trainer = if args.resume {
        anyhow::ensure!(
            Trainer::has_checkpoint(&args.out),
            "--resume: no checkpoint in {}",
            args.out.join("checkpoint").display()
        );
        Trainer::resume(&args.out, dev, &opts)?
    } else {
        anyhow::ensure!(
            !Trainer::has_checkpoint(&args.out),
            "{} already holds a checkpoint; pass --resume to continue it or remove it to start over",
            args.out.display()
        );
        if let Some(dir) = &args.init {
            Trainer::from_weights(dir, args.depth, &args.out, args.seed, dev, &opts)?
        } else {
            let ae_cfg = ae.config();
            let cfg = Config {
                latent_width: data.width,
                latent_height: data.height,
                latent_mean: ae_cfg.latent_mean,
                latent_std: ae_cfg.latent_std,
                cond_version: campfire_render::condition::VERSION,
                ..args.preset.dit()
            };
            Trainer::new(cfg, &args.out, args.seed, dev, &opts)?
        }
    };
    let cfg = trainer.config().clone();
    tracing::info!(
        clips = data.clips,
        parameters = cfg.parameter_count(),
        start = trainer.step(),
        steps = opts.steps,
        "training the DiT"
    );
    let bar = ProgressBar::new(opts.steps as u64)
        .with_position(trainer.step() as u64)
        .with_style(ProgressStyle::with_template("{bar:30} {pos}/{len} {msg} ETA {eta}")?);
    // Single-batch losses are noisy; an average over the last ~50 steps is what to watch.
    let mut ema: Option<f64> = None;
    trainer.run(&data, &opts, |p| {
        let l = ema.map_or(p.loss_flow as f64, |l| 0.98 * l + 0.02 * p.loss_flow as f64);
        ema = Some(l);
        bar.set_position(p.step as u64);
        bar.set_message(format!("flow loss {l:.4}  {:.2} s/step", 1.0 / p.steps_per_sec.max(1e-9)));
        if p.checkpointed {
            curve::redraw(&args.out, "loss_flow", "DiT flow loss");
        }
        if p.step % 10 == 0 || p.checkpointed {
            tracing::info!(
                step = p.step,
                loss_flow = format!("{l:.4}"),
                loss_shortcut = format!("{:.4}", p.loss_shortcut),
                lr = format!("{:.2e}", p.lr),
                steps_per_sec = format!("{:.3}", p.steps_per_sec),
                checkpoint = p.checkpointed,
            );
        }
    })?;
    bar.finish();
    curve::redraw(&args.out, "loss_flow", "DiT flow loss");
    eprintln!("{}", curve::summary(&args.out, trainer.step()));

    if let Some(dir) = &args.preview {
        let (m, set) = load_latents(dir, &ae, &ae_dir, |_, _| {})?;
        let model = trainer.inference_model()?;
        // Both velocities: the flow is what the generator samples with, the shortcut what the
        // self-consistency examples teach; the flow's many steps are the "teacher".
        let runs = args.preview_steps.iter().flat_map(|&s| [(s, Velocity::Flow), (s, Velocity::Shortcut)]);
        for (steps, velocity) in runs {
            let (report, preview) = evaluate_chunks(
                &model,
                &ae,
                dir,
                &m,
                &set,
                args.preview_clips,
                steps,
                velocity,
                PLAY_CONTEXT_NOISE,
                args.seed,
            )?;
            println!("{}", serde_json::to_string(&report)?);
            if let Some(p) = preview {
                let path =
                    args.out.join(format!("preview-{steps}steps-{}.png", format!("{velocity:?}").to_lowercase()));
                p.frame().write_png(&path).with_context(|| format!("writing {}", path.display()))?;
                eprintln!("wrote {} (reference above, generated below)", path.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
