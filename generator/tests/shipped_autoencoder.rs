//! The shipped autoencoder (`assets/models/ae`) against the real renderer: it loads and
//! reconstructs held-out frames far better than a baseline that keeps as many numbers.

use campfire_generator::autoencoder::metrics::{frames_to_tensor, psnr_u8, tensor_to_frames};
use campfire_generator::dataset::{ClipSpec, Split, clip_seed, sample_clip};
use candle_core::Device;
use std::path::PathBuf;

fn model_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets/models/ae")
}

/// Box-downsamples by `f` and blows back up: what an 8× smaller RGB thumbnail keeps.
fn thumbnail_round_trip(rgb: &[u8], w: usize, h: usize, f: usize) -> Vec<u8> {
    let mut out = vec![0u8; rgb.len()];
    for by in 0..h / f {
        for bx in 0..w / f {
            for c in 0..3 {
                let mut sum = 0u32;
                for y in by * f..(by + 1) * f {
                    for x in bx * f..(bx + 1) * f {
                        sum += rgb[(y * w + x) * 3 + c] as u32;
                    }
                }
                let mean = (sum as f32 / (f * f) as f32).round() as u8;
                for y in by * f..(by + 1) * f {
                    for x in bx * f..(bx + 1) * f {
                        out[(y * w + x) * 3 + c] = mean;
                    }
                }
            }
        }
    }
    out
}

#[test]
fn shipped_weights_round_trip_a_held_out_clip() {
    let ae = campfire_generator::autoencoder::load(&model_dir(), &Device::Cpu)
        .unwrap_or_else(|e| panic!("shipped autoencoder does not load: {e}"));
    let cfg = ae.config().clone();
    let (c, h, w) = cfg.latent_shape();
    // A few frames of two held-out clips keep the test quick.
    let spec = ClipSpec::new(cfg.width as u32, cfg.height as u32, 4);
    let mut rgb = Vec::new();
    for i in 0..2 {
        let clip = sample_clip(clip_seed(Split::Heldout, 2024, i), &spec).expect("clip");
        clip.frames.iter().for_each(|f| rgb.extend_from_slice(&f.rgb));
    }
    let n = 2 * spec.frames;
    let x = frames_to_tensor(&rgb, n, cfg.height, cfg.width, &Device::Cpu).expect("tensor");
    let z = ae.encode(&x).expect("encode");
    assert_eq!(z.dims(), &[n, c, h, w]);
    let back = tensor_to_frames(&ae.decode(&z).expect("decode")).expect("frames");
    let psnr = psnr_u8(&rgb, &back);

    // The bar is measured, not assumed: an RGB thumbnail at the latent's resolution (3 numbers
    // per cell where the latent has `c`) is what any useful autoencoder must beat clearly.
    let f = cfg.downscale();
    let frame = cfg.width * cfg.height * 3;
    let thumb: Vec<u8> = rgb.chunks_exact(frame).flat_map(|fr| thumbnail_round_trip(fr, cfg.width, cfg.height, f)).collect();
    let baseline = psnr_u8(&rgb, &thumb);
    eprintln!("held-out PSNR {psnr:.2} dB, 8× thumbnail baseline {baseline:.2} dB");
    assert!(psnr > baseline + 3.0, "autoencoder PSNR {psnr:.2} dB does not beat the thumbnail baseline {baseline:.2} dB by 3 dB");

    // Scaled latents are what a diffusion model sees: near unit scale over real frames.
    let zs = ae.encode_scaled(&x).expect("scaled");
    let std = zs.sqr().expect("sq").mean_all().expect("m").sqrt().expect("s").to_scalar::<f32>().expect("f");
    assert!((0.3..3.0).contains(&std), "scaled latents have RMS {std}, expected about 1");
}
