//! `campfire bench video`: how fast the DiT generates video on this machine, decoder included.
//! Untrained weights of the config's shape (speed does not depend on the values) and the shipped
//! autoencoder; every figure is the median of `--repeats` runs. Use a release build on a quiet
//! machine and repeat: other processes show up in every figure except the fraction of matmul
//! throughput, which is measured in the same run.

mod measure;

use campfire_models::dit::Config;
use campfire_render::VideoFormat;
use campfire_train::preset::Preset;
use candle_core::Device;
use measure::bench_video;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Frame size, WIDTHxHEIGHT (repeatable through a comma list).
    #[arg(long, value_delimiter = ',', default_value = "128x96,256x192", value_parser = crate::data::parse_size)]
    size: Vec<(u32, u32)>,
    /// Denoising steps per chunk (default: the generator's).
    #[arg(long, default_value_t = campfire_generator::DitOptions::default().steps)]
    steps: usize,
    #[arg(long, default_value_t = VideoFormat::LIVE.fps)]
    fps: u32,
    /// DiT shape: a preset (`small`, the real-time one; `base`; `tiny`), or a config.json.
    #[arg(long, default_value = "small")]
    config: String,
    /// The autoencoder whose decoder is timed (default: the shipped one).
    #[arg(long)]
    ae: Option<std::path::PathBuf>,
    #[arg(long, default_value_t = 5)]
    repeats: usize,
    /// One JSON object with every figure.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let cfg: Config = match args.config.parse::<Preset>() {
        Ok(preset) => preset.dit(),
        Err(_) => serde_json::from_slice(&std::fs::read(&args.config)?)?,
    };
    let ae = campfire_models::autoencoder::load(&crate::found::autoencoder_dir(args.ae)?, &Device::Cpu)?;
    let mut runs = Vec::new();
    for (w, h) in args.size {
        let b = bench_video(&cfg, &ae, w as usize, h as usize, args.fps, args.steps, args.repeats)?;
        if !args.json {
            println!(
                "{}x{} @ {} fps, {} steps, {} + {} frames ({} + {} tokens), {:.2} M parameters:\n  encode context {:.1} ms, context {:.1} ms, step {:.1} ms, sampling {:.1} ms, decode {:.1} ms -> chunk {:.1} ms\n  real-time factor {:.2}, first frame {:.0} ms, model {:.1} GFLOP/s = {:.0} % of matmul ({:.1} GFLOP/s), peak memory {:.0} MiB",
                b.width,
                b.height,
                b.fps,
                b.steps,
                b.context_frames,
                b.chunk_frames,
                b.context_tokens,
                b.chunk_tokens,
                b.parameters as f64 / 1e6,
                b.encode_context_ms,
                b.context_ms,
                b.step_ms,
                b.sample_ms,
                b.decode_ms,
                b.chunk_ms,
                b.real_time_factor,
                b.first_frame_ms,
                b.model_gflops,
                100.0 * b.model_fraction_of_matmul,
                b.matmul_gflops,
                b.peak_memory_mib
            );
        }
        runs.push(b);
    }
    if args.json {
        println!("{}", serde_json::to_string(&serde_json::json!({ "config": cfg, "runs": runs }))?);
    }
    Ok(ExitCode::SUCCESS)
}
