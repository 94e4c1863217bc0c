//! `campfire eval ae`: reconstruction PSNR of the autoencoder on held-out clips and its CPU
//! decode time per frame.

use campfire_train::autoencoder::eval::evaluate;
use campfire_train::dataset::{ClipSpec, Split, clip_seed, sample_clip};
use campfire_train::shards::FrameSet;
use campfire_train::shards::load_frames;
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
    /// Frames decoded together (the generator's chunk is 8).
    #[arg(long, default_value_t = 8)]
    chunk: usize,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.model {
        Model::Ae(a) => eval_ae(a),
    }
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
            let spec = ClipSpec::new(cfg.width as u32, cfg.height as u32, 8);
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
    let report = evaluate(&model, &frames, args.chunk)?;
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
