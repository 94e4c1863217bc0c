//! Training and evaluating the latent autoencoder of `campfire_models::autoencoder`.
//!
//! - [`train`]: the training loop (AdamW on CPU, checkpoints, resume).
//! - [`eval`]: reconstruction PSNR and encode/decode time on a set of frames.

pub mod eval;
pub mod train;
