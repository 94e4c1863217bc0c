//! Training the video DiT of `campfire_models::dit`.
//!
//! - [`bench`]: real-time factor, first-frame latency and throughput, without trained weights.
//! - [`eval`]: generated chunks against the reference renderer (PSNR, preview frames).
//! - [`latents`]: a `campfire data` set encoded once by the shipped autoencoder and cached.
//! - [`optim`]: AdamW whose moments are saved in checkpoints.
//! - [`train`]: the rectified-flow + shortcut trainer with Diffusion-Forcing context noise.

pub mod bench;
pub mod eval;
pub mod latents;
pub mod optim;
pub mod train;
