//! The picture: renders the scene state into video frames, chunk by chunk.
//!
//! - [`autoencoder`]: the latent video autoencoder (frames ↔ 16×12 latent grids) the diffusion
//!   model works in, with its loader and training loop.

pub mod autoencoder;
