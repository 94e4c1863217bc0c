//! The DiT generator's rules, with the shipped autoencoder and small DiTs of random weights
//! (what they draw is noise; these tests are about context, determinism and the fallbacks, not
//! quality, which `campfire eval dit` measures on trained weights).

use campfire_generator::*;
use campfire_models::dit::{Config, Dit, weights};
use campfire_render::{CHANNELS, CONDITION_VERSION};
use campfire_scene::*;
use candle_core::{DType, Device, Tensor};
use candle_nn::{VarBuilder, VarMap};
use std::path::{Path, PathBuf};

fn ae_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets/models/ae")
}

/// A small DiT of the shipped latents and this build's conditioning, at the training size.
fn config() -> Config {
    Config {
        latent_channels: 16,
        cond_channels: CHANNELS,
        cond_version: CONDITION_VERSION,
        latent_width: 16,
        latent_height: 12,
        chunk_frames: 8,
        context_frames: 4,
        ..Config::tiny()
    }
}

fn random_dit(cfg: &Config) -> (Dit, VarMap) {
    let vm = VarMap::new();
    let dit = Dit::new(cfg, VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu)).expect("a DiT");
    (dit, vm)
}

/// Random weights, with the zero-initialised output layers given values so the model's
/// velocity depends on its inputs (and so on the context).
fn lively_dit(cfg: &Config, seed: u64) -> Dit {
    let (_, vm) = random_dit(cfg);
    let mut rng = fastrand::Rng::with_seed(seed);
    let data = vm.data().lock().unwrap();
    // In name order: a HashMap's own order differs between two maps.
    let mut names: Vec<&String> = data.keys().collect();
    names.sort();
    for name in names {
        let var = &data[name];
        let n = var.elem_count();
        let values: Vec<f32> = (0..n).map(|_| (rng.f32() - 0.5) * 0.2).collect();
        var.set(&Tensor::from_vec(values, var.shape(), &Device::Cpu).unwrap()).unwrap();
    }
    drop(data);
    Dit::new(cfg, VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu)).expect("a DiT")
}

fn generator(dit: Dit, min_psnr_db: f64) -> DitGenerator {
    let ae = campfire_models::autoencoder::load(&ae_dir(), &Device::Cpu).expect("the shipped autoencoder");
    // Its own context, so that the tests below can see it carried.
    let options = DitOptions { steps: 2, min_psnr_db, anchor_to_reference: false, ..DitOptions::default() };
    DitGenerator::new(dit, ae, Device::Cpu, options).expect("they belong together")
}

fn timeline() -> Timeline {
    let mut s = SceneState::new(Stage::default());
    let look = Appearance { color: Color::Orange, accent: Color::White, size: 1.0 };
    s.apply(&Event::Add { id: "cat".into(), name: "Cat".into(), kind: Kind::Cat, appearance: look }).unwrap();
    s.apply(&Event::Enter { id: "cat".into(), at: Spot::Center.position() }).unwrap();
    Timeline::still(s)
}

fn request(index: u64) -> ChunkRequest {
    ChunkRequest::new(index, timeline()).with_format(VideoFormat::TRAINING).with_seed(3)
}

/// A stream's first chunk starts from the renderer's frames before it, not from nothing; the
/// option turns it off, and each way is deterministic.
#[test]
fn the_first_chunk_is_primed_from_the_renderer_unless_told_not_to() {
    let cfg = config();
    let make = |prime: bool| {
        let ae = campfire_models::autoencoder::load(&ae_dir(), &Device::Cpu).expect("the shipped autoencoder");
        let options = DitOptions {
            steps: 2,
            min_psnr_db: f64::NEG_INFINITY,
            prime_from_reference: prime,
            anchor_to_reference: false,
            ..DitOptions::default()
        };
        let mut g = DitGenerator::new(lively_dit(&cfg, 1), ae, Device::Cpu, options).expect("they belong together");
        g.generate(&request(0)).unwrap().frames
    };
    let (primed, bare) = (make(true), make(false));
    assert_eq!(primed, make(true));
    assert_ne!(primed, bare, "the primed context changes the first chunk");
}

#[test]
fn chunks_continue_their_context_and_are_the_same_for_a_seed() {
    let cfg = config();
    let accept_all = f64::NEG_INFINITY;
    let mut a = generator(lively_dit(&cfg, 1), accept_all);
    let a0 = a.generate(&request(0)).unwrap();
    let a1 = a.generate(&request(1)).unwrap();
    assert_eq!(a1.generator, "dit");
    assert_eq!(a1.frames.len(), 8);
    assert_eq!((a1.frames[0].width, a1.frames[0].height), (128, 96));

    // The same weights and seed make the same chunks.
    let mut b = generator(lively_dit(&cfg, 1), accept_all);
    assert_eq!(b.generate(&request(0)).unwrap().frames, a0.frames);
    assert_eq!(b.generate(&request(1)).unwrap().frames, a1.frames);

    // Chunk 1 made again after a seek continues chunk 0's context: the same frames.
    b.seek(1);
    assert_eq!(b.generate(&request(1)).unwrap().frames, a1.frames);

    // Without chunk 0's context (a reset), chunk 1 is another picture.
    b.reset();
    assert_ne!(b.generate(&request(1)).unwrap().frames, a1.frames, "the context changes nothing");
}

/// Anchored (`eval dit --anchor`), every chunk starts from the renderer's frames before it:
/// chunk 1 is the same whether chunk 0 was made first or not.
#[test]
fn anchored_chunks_take_their_context_from_the_renderer() {
    let cfg = config();
    let ae = || campfire_models::autoencoder::load(&ae_dir(), &Device::Cpu).expect("the shipped autoencoder");
    // Not the default: the DiT plays its own rollout, primed once.
    assert!(!DitOptions::default().anchor_to_reference);
    let options =
        DitOptions { steps: 2, min_psnr_db: f64::NEG_INFINITY, anchor_to_reference: true, ..DitOptions::default() };
    let mut a = DitGenerator::new(lively_dit(&cfg, 1), ae(), Device::Cpu, options).unwrap();
    a.generate(&request(0)).unwrap();
    let after = a.generate(&request(1)).unwrap().frames;
    let mut b = DitGenerator::new(lively_dit(&cfg, 1), ae(), Device::Cpu, options).unwrap();
    assert_eq!(b.generate(&request(1)).unwrap().frames, after);
    // Its own context (the other test above) makes chunk 1 differ between the two ways.
    let own = DitOptions { anchor_to_reference: false, ..options };
    let mut c = DitGenerator::new(lively_dit(&cfg, 1), ae(), Device::Cpu, own).unwrap();
    c.generate(&request(0)).unwrap();
    assert_ne!(c.generate(&request(1)).unwrap().frames, after);
}

/// The renderer's frames (the primed first chunk) and the model's own (every chunk after) are
/// noised to their own levels: changing the own level leaves chunk 0 as it was and changes 1.
#[test]
fn the_models_own_context_gets_its_own_noise_level() {
    let cfg = config();
    let ae = || campfire_models::autoencoder::load(&ae_dir(), &Device::Cpu).expect("the shipped autoencoder");
    let light = DitOptions {
        steps: 2,
        min_psnr_db: f64::NEG_INFINITY,
        anchor_to_reference: false,
        own_context_noise: 0.1,
        ..DitOptions::default()
    };
    let heavy = DitOptions { own_context_noise: 0.9, ..light };
    let mut a = DitGenerator::new(lively_dit(&cfg, 1), ae(), Device::Cpu, light).unwrap();
    let mut b = DitGenerator::new(lively_dit(&cfg, 1), ae(), Device::Cpu, heavy).unwrap();
    assert_eq!(a.generate(&request(0)).unwrap().frames, b.generate(&request(0)).unwrap().frames);
    assert_ne!(a.generate(&request(1)).unwrap().frames, b.generate(&request(1)).unwrap().frames);
}

#[test]
fn a_chunk_far_from_the_reference_is_drawn_by_the_renderer() {
    // No model of random weights comes within 40 dB of the renderer.
    let mut g = generator(lively_dit(&config(), 2), 40.0);
    let chunk = g.generate(&request(0)).unwrap();
    assert_eq!(chunk.generator, "reference");
    assert_eq!(chunk.frames, request(0).reference_frames());
    assert_eq!(g.replaced(), 1);
}

#[test]
fn nan_weights_give_the_reference_picture_not_a_black_one() {
    let cfg = config();
    let (_, vm) = random_dit(&cfg);
    for (_, var) in vm.data().lock().unwrap().iter() {
        var.set(&Tensor::full(f32::NAN, var.shape(), &Device::Cpu).unwrap()).unwrap();
    }
    let dit = Dit::new(&cfg, VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu)).unwrap();
    // Every chunk is accepted by quality: only the NaN check can catch this one.
    let mut g = generator(dit, f64::NEG_INFINITY);
    for i in 0..2 {
        let chunk = g.generate(&request(i)).unwrap();
        assert_eq!(chunk.generator, "reference");
        assert_eq!(chunk.frames, request(i).reference_frames());
    }
    assert_eq!(g.replaced(), 2);
}

fn save(dir: &Path, cfg: &Config) {
    let (_, vm) = random_dit(cfg);
    weights::save(dir, cfg, &vm).expect("saved");
}

/// The error and its causes, as a caller reporting it with context shows them.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        s = format!("{s}: {c}");
        cause = c.source();
    }
    s
}

#[test]
fn weights_for_other_conditioning_or_missing_files_fall_back_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    // Version 2's maps had 96 channels (the shipped DiT's; `tests/shipped_dit.rs` has the real one).
    let old = Config { cond_version: CONDITION_VERSION - 1, cond_channels: 96, ..config() };
    save(dir.path(), &old);
    let err = DitGenerator::load(dir.path(), &ae_dir(), &Device::Cpu, DitOptions::default()).err().unwrap();
    assert!(chain(&err).contains("conditioning version"), "{}", chain(&err));
    assert!(DitGenerator::open_or_fall_back(dir.path(), &ae_dir(), &Device::Cpu, DitOptions::default()).is_none());

    let missing = dir.path().join("nowhere");
    let err = DitGenerator::load(&missing, &ae_dir(), &Device::Cpu, DitOptions::default()).err().unwrap();
    assert!(chain(&err).contains("config.json"), "{}", chain(&err));

    // The right weights load.
    let good = tempfile::tempdir().unwrap();
    save(good.path(), &config());
    let mut g = DitGenerator::load(good.path(), &ae_dir(), &Device::Cpu, DitOptions::default()).expect("loads");
    assert_eq!(g.generate(&request(0)).unwrap().frames.len(), 8);
}

#[test]
fn any_size_is_drawn_at_whole_patches_and_scaled_but_chunks_must_fit_the_patches() {
    let mut g = generator(lively_dit(&config(), 3), f64::NEG_INFINITY);
    // 8x8-pixel latent cells in 2x2 patches: 120x96 is drawn at 128x96 and scaled to 120x96.
    assert_eq!(g.draw_size(120, 96), (128, 96));
    let odd = ChunkRequest::new(0, timeline()).with_size(120, 96);
    let frames = g.generate(&odd).unwrap().frames;
    assert_eq!((frames[0].width, frames[0].height, frames[0].rgb.len()), (120, 96, 120 * 96 * 3));
    // Chunks of 7 frames cannot be cut into the DiT's 2-frame patches.
    let mut format = VideoFormat::TRAINING;
    format.chunk_frames = 7;
    let bad = ChunkRequest::new(0, timeline()).with_format(format);
    assert!(matches!(g.generate(&bad), Err(GeneratorError::BadRequest(_))));
}

/// By default a picture larger than the training size is drawn at its shape within the training
/// size and scaled up: the live 256x192 is the 128x96 chunk, twice as wide and high.
#[test]
fn a_large_picture_is_drawn_small_and_scaled_up() {
    let ae = || campfire_models::autoencoder::load(&ae_dir(), &Device::Cpu).expect("the shipped autoencoder");
    let options = DitOptions { steps: 1, min_psnr_db: f64::NEG_INFINITY, ..DitOptions::default() };
    let mut g = DitGenerator::new(lively_dit(&config(), 4), ae(), Device::Cpu, options).unwrap();
    assert_eq!(g.draw_size(256, 192), (128, 96));
    assert_eq!(g.draw_size(384, 288), (128, 96));
    assert_eq!(g.draw_size(128, 96), (128, 96));
    assert_eq!(g.draw_size(64, 48), (64, 48));
    assert_eq!(g.draw_size(272, 208), (128, 96));
    assert_eq!(g.draw_size(96, 72), (96, 80));
    let full = DitOptions { max_draw_size: None, ..options };
    let ungated = DitGenerator::new(lively_dit(&config(), 4), ae(), Device::Cpu, full).unwrap();
    assert_eq!(ungated.draw_size(256, 192), (256, 192));

    let small = g.generate(&request(0)).unwrap().frames;
    let big = g.generate(&request(0).with_size(256, 192)).unwrap().frames;
    assert_eq!((big[0].width, big[0].height), (256, 192));
    // Each 2x2 block of the big frame averages to about the small frame's pixel: much closer
    // than another chunk of the same size is (the same request with another seed).
    let halved = |frames: &[Frame]| -> Vec<f64> {
        let mut out = Vec::new();
        for b in frames {
            for y in 0..96usize {
                for x in 0..128usize {
                    for c in 0..3usize {
                        let at = |yy: usize, xx: usize| b.rgb[(yy * 256 + xx) * 3 + c] as f64;
                        let sum =
                            at(2 * y, 2 * x) + at(2 * y + 1, 2 * x) + at(2 * y, 2 * x + 1) + at(2 * y + 1, 2 * x + 1);
                        out.push(sum / 4.0);
                    }
                }
            }
        }
        out
    };
    let mean_diff = |a: &[f64], b: &[Frame]| -> f64 {
        let b: Vec<f64> = b.iter().flat_map(|f| f.rgb.iter().map(|&v| v as f64)).collect();
        a.iter().zip(&b).map(|(x, y)| (x - y).abs()).sum::<f64>() / a.len() as f64
    };
    let other = g.generate(&request(0).with_seed(99)).unwrap().frames;
    let (mean, apart) = (mean_diff(&halved(&big), &small), mean_diff(&halved(&big), &other));
    assert!(
        mean < 0.5 * apart,
        "the big frames are not the small ones scaled up (mean difference {mean:.2}, to another chunk {apart:.2})"
    );
}
