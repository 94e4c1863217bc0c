//! Campfire's neural networks, in the style of candle-transformers: one folder per model, each
//! with a `Config` loaded from the JSON beside its weights, `new(&cfg, vb)` and `forward`.
//!
//! - [`autoencoder`]: the latent video autoencoder (128×96 frames ↔ 16×12 latent grids) the
//!   diffusion model works in.
//! - [`dit`]: the spacetime-patch diffusion transformer that generates latent video chunk by
//!   chunk, with its cached context and few-step sampler.
//! - [`kernels`]: faster CPU forward kernels for generation (GELU, softmax, a convolution's
//!   unfold), and which form of each op to use.
//!
//! Only tensors go in and out: frames, scenes and stories are the callers' business, so this crate
//! depends on candle alone. The `cuda` feature forwards to candle's CUDA backend.

pub mod autoencoder;
pub mod dit;
pub mod kernels;
