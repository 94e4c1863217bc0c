//! The picture, live: the story's scene becomes video, chunk by chunk, ahead of playback.
//!
//! - [`Generator`], [`ChunkRequest`], [`Chunk`]: making video a chunk (8 frames at 12 fps by
//!   default) at a time.
//! - [`ReferenceGenerator`]: the procedural renderer of `campfire-render` (teacher of the video
//!   model, ground truth for quality, fallback when weights are missing).
//! - [`LatentGenerator`]: the reference picture through the autoencoder, the best the diffusion
//!   model can show; falls back to the reference renderer when its weights are bad.
//! - [`StreamingDriver`]: runs a generator on its own thread with a bounded read-ahead queue,
//!   superseding chunks made from an outdated scene.

pub mod chunk;
pub mod latent;
pub mod stream;

pub use campfire_render::Frame;
pub use chunk::{Chunk, ChunkRequest, ChunkTiming, Generator, GeneratorError, ReferenceGenerator};
pub use latent::LatentGenerator;
pub use stream::{ChunkSpec, DriverConfig, DriverStats, StreamError, StreamingDriver};
