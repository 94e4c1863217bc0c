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
//! The run in progress (1500 clips) switched to `--self-context 0.5` at step 1541: trained on
//! true context only, it scored 21.8 dB on one chunk after true frames but 15.9 dB over 8 s of
//! its own rollout (`campfire eval dit`). A run from scratch should pass it from the start.
//! On a GPU add `--device cuda` (a build with `--features cuda`) and try `--preset base`.

pub mod bench;
pub mod eval;
pub mod latents;
pub mod optim;
pub mod train;
