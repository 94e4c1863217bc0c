//! The picture, live: the story's timeline becomes video, chunk by chunk, ahead of playback.
//!
//! - [`Generator`], [`ChunkRequest`], [`Chunk`]: making video a chunk at a time (chunk `k` holds
//!   frames `k · chunk_frames ..` of a [`VideoFormat`]); the contract on context between chunks,
//!   `seek`/`reset`, device, timing and errors is in [`chunk`]. [`Context`] keeps a model's
//!   context by chunk.
//! - [`ReferenceGenerator`]: the procedural renderer of `campfire-render` (teacher of the video
//!   model, ground truth for quality, fallback when weights are missing).
//! - [`LatentGenerator`]: the reference picture through the autoencoder, the best the diffusion
//!   model can show; falls back to the reference renderer when its weights are bad.
//! - [`DitGenerator`]: the video DiT, chunk by chunk with the frames before as context; a bad
//!   chunk (NaN, or far from the reference renderer's) is drawn by the renderer instead.
//! - [`open`]: which generator draws the picture ([`Choice`]; the reference renderer by
//!   default) and the one fallback rule when a neural one cannot be loaded.
//! - [`eval`]: a generator's rollout against the reference renderer's (PSNR, SSIM, flicker,
//!   drift), and [`eval::protocol`], the evaluation `campfire eval dit` runs on held-out stories.
//! - [`StreamingDriver`]: runs a generator on its own thread with a bounded read-ahead queue,
//!   superseding chunks made from an outdated timeline; the one place chunk timing is measured.

pub mod chunk;
pub mod dit;
pub mod eval;
pub mod latent;
pub mod open;
pub mod stream;

pub use campfire_render::{Frame, Timeline, VideoFormat};
pub use chunk::{Chunk, ChunkRequest, ChunkTiming, Context, Generator, GeneratorError, ReferenceGenerator};
pub use dit::{DitGenerator, DitOptions};
pub use latent::LatentGenerator;
pub use open::{Choice, Weights};
pub use stream::{ChunkSpec, DriverConfig, DriverStats, StreamError, StreamingDriver};
