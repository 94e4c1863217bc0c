//! The picture: renders the scene state into video frames, chunk by chunk.
//!
//! - [`Frame`]: one RGB8 picture.
//! - [`render_frame`]: the procedural reference renderer (teacher, ground truth and fallback).
//! - [`autoencoder`]: the latent video autoencoder (frames ↔ 16×12 latent grids) the diffusion
//!   model works in, with its loader and training loop.
//! - [`dataset`] / [`shards`]: random plausible clips played through real events, rendered,
//!   and stored as safetensors shards with a train/held-out split by seed.

pub mod autoencoder;
pub mod dataset;
pub mod frame;
pub mod render;
pub mod shards;

pub use frame::Frame;
pub use render::render_frame;
