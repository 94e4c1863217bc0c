//! Latent video autoencoder: squeezes each 128×96 frame into a 16×12 grid of a few channels, so
//! the diffusion transformer works on 1/8 of the side and the decoder turns its output back into
//! pictures fast on a CPU.
//!
//! The design is a small convolutional autoencoder in the spirit of the Stable Diffusion VAE
//! (Rombach et al., 2022, "High-Resolution Image Synthesis with Latent Diffusion Models") made
//! much lighter for flat, painted frames: a pixel-unshuffle patch step (Shi et al., 2016,
//! "Real-Time Single Image and Video Super-Resolution Using an Efficient Sub-Pixel CNN") does
//! the first 4× at no cost, plain residual blocks without normalisation do the rest, and the
//! decoder mirrors it with pixel shuffles. It is deterministic (no KL term): the latent statistics
//! measured after training are stored in the config ([`Config::latent_mean`],
//! [`Config::latent_std`]) so a diffusion model can normalise them. Frames are coded one by one;
//! time is left to the diffusion model.
//!
//! - [`model`]: [`Config`], [`Encoder`], [`Decoder`], [`Autoencoder`].
//! - [`blocks`]: the residual block and the 3×3 convolution they use.
//! - [`weights`]: loading the shipped `model.safetensors` + `config.json` with typed errors.
//! - [`metrics`]: PSNR and tensor/frame conversions.
//!
//! Training and evaluation live in `campfire-train`.

pub mod blocks;
pub mod metrics;
pub mod model;
pub mod weights;

pub use model::{Autoencoder, Config, Decoder, Encoder};
pub use weights::{LoadError, SaveError, load, save};
