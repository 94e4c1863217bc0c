//! Training the video DiT of `campfire_models::dit`.
//!
//! - [`bench`]: real-time factor, first-frame latency and throughput, without trained weights.
//! - [`eval`]: generated chunks against the reference renderer (PSNR, preview frames).
//! - [`latents`]: a `campfire data` set encoded once by the shipped autoencoder and cached.
//! - [`train`]: the rectified-flow + shortcut trainer with Diffusion-Forcing context noise.
//!
//! # Recipe (the shipped weights: `assets/models/dit/README.md` has the run's figures)
//! ```sh
//! campfire data --out DATA --clips 1500 --frames 12 --seed 1          # 18,000 frames
//! campfire data --out HELDOUT --clips 64 --frames 12 --split heldout --seed 9001
//! nice -n 19 campfire train dit --data DATA --out OUT --preset small --steps 20000 --batch 8 \
//!     --lr 5e-4 --checkpoint-minutes 10 --preview HELDOUT --preview-steps 1,2,4,32
//! # interrupted? the same command with --resume continues exactly (weights, moments, batches)
//! # at step 2024, resumed with --steps 3200: the cosine's low-learning-rate tail
//! ```
//! The schedule was shortened because the run only trains while a session runs (about 1,000
//! steps a session at 3.5-5 s a step); 20,000 steps would not reach the tail for months.
//! `--self-context` is not in the recipe: the run used 0.5 from step 1541 to 1749, and
//! `campfire eval dit --timelines 4 --seconds 4` fell over those steps, on its own rollout
//! (19.0 → 16.6 dB) and anchored to the renderer (22.0 → 20.7 dB). It is worth trying again on a
//! model that has converged, at a lower share.
//! On a GPU add `--device cuda` (a build with `--features cuda`) and try `--preset base`.

pub mod bench;
pub mod eval;
pub mod latents;
pub mod train;
