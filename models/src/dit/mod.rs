//! The video diffusion transformer: generates the story's latent video a chunk at a time, from
//! noise, conditioned on the scene's per-frame conditioning maps and on the frames just shown.
//!
//! # What it is
//! - **Spacetime patches** (Sora-style tokens; Latte, Ma et al., 2024): the latent video
//!   `(T, 16, 12, 16)` of a 128×96 chunk is cut into `patch_t × patch_h × patch_w` cubes
//!   (2×2×2 by default: 48 tokens per frame pair, 192 for an 8-frame chunk). The conditioning
//!   maps, already on the latent grid, are cut the same way and added token by token.
//! - **DiT blocks with adaLN-zero** (Peebles & Xie, 2023, "Scalable Diffusion Models with
//!   Transformers", <https://github.com/facebookresearch/DiT>): the modulation comes from the
//!   noise level **of each frame** (averaged over the frames of a temporal patch), so context
//!   and chunk frames, or frames of one chunk, carry different levels — Diffusion Forcing
//!   (Chen et al., 2024, "Diffusion Forcing: Next-token Prediction Meets Full-Sequence
//!   Diffusion").
//! - **Causal chunk attention with a KV cache** (CausVid, Yin et al., 2024; Self-Forcing,
//!   Huang et al., 2025): a chunk's tokens attend to each other and to the context frames'
//!   keys and values, which [`Dit::context`] computes once per chunk into a [`ContextCache`];
//!   every denoising step of the chunk reuses it. Training sees context and chunk in one
//!   block-causal sequence ([`Dit::forward_joint`]), which computes the same thing.
//! - **3-axis rotary positions** (RoPE over time, rows and columns, as in video DiTs): only
//!   position differences matter, so chunk lengths and frame sizes other than the trained ones
//!   use the same weights (spatial positions are interpolated to the trained grid).
//! - **Rectified flow with shortcut-model step sizes** (Frans et al., 2024): the network is told
//!   the step size it is asked for, which lets it sample in 1–4 steps. Why this method, and the
//!   sampler, are in [`sampling`].
//!
//! The layer code follows candle-transformers' `mmdit` (DiT blocks, adaLN modulation, timestep
//! embedder), with every norm, softmax and rotation written in plain ops so that it trains.
//!
//! - [`config`]: [`Config`] with presets.
//! - [`embedding`]: patchify / unpatchify, token, noise-level and step-size embedders, [`embedding::Rope`].
//! - [`linear`]: the linear layer of every part, one matrix product over all leading dimensions.
//! - [`blocks`]: attention, MLP, the adaLN-zero DiT block, the final layer.
//! - [`model`]: [`Dit`] and [`ContextCache`].
//! - [`sampling`]: flow-matching noise, shortcut targets, the few-step sampler and its velocity.
//! - [`weights`]: `config.json` + `model.safetensors`, checked against the config on load.

pub mod blocks;
pub mod config;
pub mod embedding;
pub mod linear;
pub mod model;
pub mod sampling;
pub mod weights;

pub use config::Config;
pub use model::{ContextCache, Dit};
pub use weights::{LoadError, SaveError, load, save};
