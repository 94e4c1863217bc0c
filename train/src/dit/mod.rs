//! Training the video DiT of `campfire_models::dit`.
//!
//! - [`bench`]: real-time factor, first-frame latency and throughput, without trained weights.
//! - [`eval`]: generated chunks against the reference renderer (PSNR, preview frames).
//! - [`latents`]: a `campfire data` set encoded once by the shipped autoencoder and cached.
//! - [`optim`]: AdamW whose moments are saved in checkpoints.
//! - [`train`]: the rectified-flow + shortcut trainer with Diffusion-Forcing context noise.
//!
//! # Recipe (not yet run to the end: no DiT weights ship)
//! ```sh
//! campfire data --out DATA --clips 3000 --frames 12 --seed 1          # 36,000 frames
//! campfire data --out HELDOUT --clips 64 --frames 12 --split heldout
//! nice -n 10 campfire train dit --data DATA --out OUT --preset small --steps 20000 --batch 8 \
//!     --lr 5e-4 --preview HELDOUT --preview-steps 1,2,4,32
//! # interrupted? the same command with --resume continues exactly (weights, moments, batches)
//! ```
//! `--self-context` is not in the recipe: the run in progress (1500 clips) used 0.5 from step
//! 1541 to 1749, and `campfire eval dit --timelines 4 --seconds 4` fell over those steps, on its
//! own rollout (19.0 → 16.6 dB) and anchored to the renderer (22.0 → 20.7 dB). It is worth
//! trying again on a model that has converged, at a lower share.
//! On a GPU add `--device cuda` (a build with `--features cuda`) and try `--preset base`.

pub mod bench;
pub mod eval;
pub mod latents;
pub mod optim;
pub mod train;
