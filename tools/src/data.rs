//! `campfire data`: samples random plausible clips, renders them with the reference renderer and
//! writes safetensors shards for training the video models.
//!
//! Train and held-out clips come from disjoint seed ranges (see `campfire_train::dataset`):
//! `--split heldout` makes evaluation data that no training set can contain.

use campfire_train::dataset::{ClipSpec, Split};
use campfire_train::shards::write_dataset;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Directory to write `dataset.json` and the shards into.
    #[arg(long)]
    out: PathBuf,
    /// Number of clips.
    #[arg(long, default_value_t = 1000)]
    clips: usize,
    /// Base seed; the same seed gives the same bytes.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Frame size, WIDTHxHEIGHT.
    #[arg(long, default_value = "128x96", value_parser = parse_size)]
    size: (u32, u32),
    /// Frames per clip (12 fps).
    #[arg(long, default_value_t = 8)]
    frames: usize,
    /// Size of the conditioning maps, WIDTHxHEIGHT (default: 1/8 of the frame, the latent grid).
    #[arg(long, value_parser = parse_size)]
    cond_size: Option<(u32, u32)>,
    /// `train` or `heldout`.
    #[arg(long, default_value = "train")]
    split: Split,
    /// Clips per shard file.
    #[arg(long, default_value_t = 128)]
    per_shard: usize,
}

pub fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let err = || format!("expected WIDTHxHEIGHT such as 128x96, found `{s}`");
    let (w, h) = s.split_once(['x', 'X']).ok_or_else(err)?;
    let (w, h) = (w.trim().parse::<u32>().map_err(|_| err())?, h.trim().parse::<u32>().map_err(|_| err())?);
    if w == 0 || h == 0 || w > 4096 || h > 4096 {
        return Err(format!("frame size {w}x{h} is out of range 1..=4096"));
    }
    Ok((w, h))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.frames > 0, "--frames must be at least 1");
    let mut spec = ClipSpec::new(args.size.0, args.size.1, args.frames);
    if let Some((w, h)) = args.cond_size {
        (spec.cond_width, spec.cond_height) = (w, h);
    }
    let bar = ProgressBar::new(args.clips as u64)
        .with_style(ProgressStyle::with_template("{spinner} {bar:40} {pos}/{len} clips  {per_sec}  ETA {eta}")?);
    let started = std::time::Instant::now();
    let manifest = write_dataset(&args.out, args.split, args.seed, args.clips, spec, args.per_shard, |n| {
        bar.set_position(n as u64)
    })?;
    bar.finish_and_clear();
    eprintln!(
        "wrote {} {:?} clips ({} frames of {}x{}) in {} shards to {} in {:.1}s",
        manifest.clips,
        manifest.split,
        manifest.clips * spec.frames,
        spec.width,
        spec.height,
        manifest.shards.len(),
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
