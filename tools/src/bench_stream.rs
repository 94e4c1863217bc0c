//! `campfire bench stream [--generator latent] [--json]`: the streaming driver's figures, the
//! timing the driver tests no longer assert (they run on busy shared cores).
//! - per-chunk generation time against the chunk's play time (real-time factor), late chunks;
//! - supersession: from a timeline update to the first chunk made from it, with the read-ahead
//!   queue full of chunks of the old timeline.

use crate::story_args::StoryArgs;
use campfire_generator::{
    Choice, ChunkSpec, DriverConfig, Generator, LatentGenerator, ReferenceGenerator, StreamingDriver, Timeline,
    VideoFormat,
};
use campfire_scene::{Event, Stamped, TimeOfDay};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    story: StoryArgs,
    /// `reference`, `latent` (the reference picture through the autoencoder) or `dit`.
    #[arg(long, default_value_t = Choice::Reference)]
    generator: Choice,
    /// The autoencoder of `--generator latent`; default: the shipped one.
    #[arg(long)]
    ae: Option<PathBuf>,
    /// The DiT of `--generator dit`; default: assets/models/dit.
    #[arg(long)]
    dit: Option<PathBuf>,
    /// Chunks to time.
    #[arg(long, default_value_t = 24)]
    chunks: u64,
    /// Timeline updates to time (each with a full read-ahead queue).
    #[arg(long, default_value_t = 5)]
    updates: u64,
    /// Use the training format (128x96) instead of the live one (640x480).
    #[arg(long)]
    training_size: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

fn generator(args: &Args) -> anyhow::Result<Box<dyn Generator>> {
    Ok(match args.generator {
        // A benchmark times what it was asked to time: weights that do not load are an error
        // here, not the fallback rule's reference renderer.
        Choice::Reference => Box::new(ReferenceGenerator::new()),
        Choice::Latent => {
            let dir = crate::found::autoencoder_dir(args.ae.clone())?;
            Box::new(LatentGenerator::load(&dir, &candle_core::Device::Cpu)?)
        }
        Choice::Dit => {
            let Some(dir) = crate::found::dit_dir(args.dit.clone()) else {
                anyhow::bail!(
                    "no DiT weights in {}: make them with `campfire train dit`, or pass --dit DIR",
                    campfire_paths::DIT
                )
            };
            let ae = crate::found::autoencoder_dir(args.ae.clone())?;
            let options = campfire_generator::DitOptions::default();
            Box::new(campfire_generator::DitGenerator::load(&dir, &ae, &candle_core::Device::Cpu, options)?)
        }
    })
}

/// The `p`-quantile of `sorted`, NaN (`null` in the JSON) for none.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    campfire_metrics::stats::percentile(sorted, p).unwrap_or(f64::NAN)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let format = if args.training_size { VideoFormat::TRAINING } else { VideoFormat::LIVE };
    let (stage, log, _) = crate::render::default_path(&args.story)?;
    let timeline = Timeline::new(stage, log.clone());
    let wait = Duration::from_secs(600);

    // Throughput: keep the pending queue full and take chunks as they come.
    let driver = StreamingDriver::new(generator(&args)?, DriverConfig::default());
    driver.update_timeline(timeline.clone());
    let (mut next, mut taken, mut gen_ms) = (0u64, 0u64, Vec::new());
    let started = Instant::now();
    while taken < args.chunks {
        while next < args.chunks && driver.request(ChunkSpec::new(next).with_format(format)).is_ok() {
            next += 1;
        }
        let chunk = driver.next_timeout(wait).ok_or_else(|| anyhow::anyhow!("no chunk in {wait:?}"))??;
        if let Some(t) = chunk.timing {
            gen_ms.push(t.generate_ms);
        }
        taken += 1;
    }
    let wall_s = started.elapsed().as_secs_f64();
    let stats = driver.stats();
    drop(driver);
    gen_ms.sort_by(f64::total_cmp);
    let mean = gen_ms.iter().sum::<f64>() / gen_ms.len().max(1) as f64;

    // Supersession: fill the read-ahead with chunks of the story, then let night fall.
    let mut latencies = Vec::new();
    for u in 0..args.updates {
        let driver = StreamingDriver::new(generator(&args)?, DriverConfig::default());
        driver.update_timeline(timeline.clone());
        let first = u * 8;
        for i in first..first + 4 {
            driver.request(ChunkSpec::new(i).with_format(format))?;
        }
        driver.next_timeout(wait).ok_or_else(|| anyhow::anyhow!("no chunk in {wait:?}"))??;
        while driver.ready_len() < driver.capacity() {
            std::thread::sleep(Duration::from_millis(5));
        }
        let mut changed = log.clone();
        let tick = format.chunk_start(first + 1).floor() as u64;
        changed.push(Stamped { tick, event: Event::SetTime(TimeOfDay::Night) });
        let t = Instant::now();
        let generation = driver.update_timeline(Timeline::new(stage, changed));
        let chunk = driver.next_timeout(wait).ok_or_else(|| anyhow::anyhow!("no chunk in {wait:?}"))??;
        anyhow::ensure!(
            chunk.generation == generation,
            "the first chunk after an update was made from the old timeline"
        );
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    latencies.sort_by(f64::total_cmp);

    let name = args.generator.name();
    let budget = format.chunk_ms();
    if args.json {
        let figures = json!({
            "generator": name, "width": format.width, "height": format.height, "fps": format.fps,
            "chunk_frames": format.chunk_frames, "chunks": taken, "budget_ms": budget,
            "generate_ms_mean": mean, "generate_ms_median": percentile(&gen_ms, 0.5),
            "generate_ms_p95": percentile(&gen_ms, 0.95), "realtime_factor": budget / mean,
            "late": stats.late, "wall_s": wall_s,
            "update_to_fresh_chunk_ms_median": percentile(&latencies, 0.5),
            "update_to_fresh_chunk_ms_max": latencies.last().copied().unwrap_or(f64::NAN),
            "threads": candle_core::utils::get_num_threads(),
        });
        println!("{figures}");
    } else {
        println!(
            "stream benchmark: {name} generator, {}x{} at {} fps, chunks of {} ({budget:.0} ms of video)",
            format.width, format.height, format.fps, format.chunk_frames
        );
        println!(
            "chunk       {mean:.1} ms mean, {:.1} median, {:.1} p95 over {taken} chunks: {:.1}x real time; {} late",
            percentile(&gen_ms, 0.5),
            percentile(&gen_ms, 0.95),
            budget / mean,
            stats.late
        );
        println!(
            "supersede   {:.1} ms median, {:.1} max from a timeline update to the first chunk made from it ({} updates, read-ahead full)",
            percentile(&latencies, 0.5),
            latencies.last().copied().unwrap_or(f64::NAN),
            latencies.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}
