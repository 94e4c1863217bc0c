//! The DiT that ships (assets/models/dit) loads with the shipped autoencoder and draws held-out
//! timelines as well as its README says, measured the way `campfire eval dit` measures it.

use campfire_generator::eval::{combine, rollout};
use campfire_generator::{DitGenerator, DitOptions, Timeline, VideoFormat};
use campfire_train::dataset::{ClipSpec, Split, clip_seed, sample_story};
use candle_core::Device;
use std::path::PathBuf;

fn shipped(dir: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets/models").join(dir)
}

/// What `campfire eval dit --anchor --timelines 2 --seconds 4 --reentries 0 --drift-minutes 0`
/// printed for the shipped weights with the generator's sampler (held-out seed 0; README.md in the
/// weights' folder).
const MEASURED_PSNR_DB: f64 = 22.15;
/// Room for another CPU's float rounding. Weights read wrongly (a shape, a dtype, another
/// conditioning) draw garbage many dB lower, and the reference through the autoencoder is
/// about 30 dB.
const MARGIN_DB: f64 = 1.0;

#[test]
fn the_shipped_dit_draws_held_out_timelines_as_well_as_measured() {
    // Anchored, as the command above measured it (the default plays the own rollout).
    let options = DitOptions {
        min_psnr_db: f64::NEG_INFINITY,
        max_draw_size: None,
        anchor_to_reference: true,
        ..DitOptions::default()
    };
    let mut dit = DitGenerator::load(&shipped("dit"), &shipped("ae"), &Device::Cpu, options)
        .expect("the shipped DiT loads with the shipped autoencoder");
    let format = VideoFormat::TRAINING;
    let chunks = 6; // 4 s at 12 fps in chunks of 8, as `--seconds 4`
    let spec = ClipSpec::new(format, 48);
    let mut scores = Vec::new();
    for i in 0..2 {
        let seed = clip_seed(Split::Heldout, 0, i);
        let (stage, events, _) = sample_story(seed, &spec).expect("a held-out timeline");
        let windows = rollout(&mut dit, &Timeline::new(stage, events), format, seed, chunks, chunks, &mut |_| {})
            .expect("chunks");
        scores.extend(windows);
    }
    let all = combine(&scores);
    assert_eq!(all.frames, 2 * 48);
    assert_eq!(dit.replaced(), 0, "no chunk was NaN");
    assert!(
        all.psnr_db >= MEASURED_PSNR_DB - MARGIN_DB,
        "the shipped DiT draws held-out timelines at {:.2} dB, measured {MEASURED_PSNR_DB} (margin {MARGIN_DB})",
        all.psnr_db
    );
}
