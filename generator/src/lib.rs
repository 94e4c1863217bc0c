//! The picture: renders the scene state into video frames, chunk by chunk.
//!
//! - [`Frame`]: one RGB8 picture.
//! - [`render_frame`]: the procedural reference renderer (teacher of the video model, ground
//!   truth for quality, fallback when weights are missing). See [`render`].
//! - [`condition_map`] / [`ConditionMap`]: the per-frame semantic layout the video model is
//!   conditioned on (channel contract in [`condition`]).
//! - [`Generator`], [`ChunkRequest`], [`Chunk`], [`ReferenceGenerator`]: making video a chunk
//!   (8 frames at 12 fps by default) at a time.
//! - [`StreamingDriver`]: runs a generator on its own thread with a bounded read-ahead queue,
//!   superseding chunks made from an outdated scene.
//! - [`Timeline`]: replays an event log frame by frame (previews, datasets).
//! - [`autoencoder`]: the latent video autoencoder (frames ↔ 16×12 latent grids) the diffusion
//!   model works in, with its loader and training loop.
//! - [`LatentGenerator`]: the reference picture through the autoencoder, the best the diffusion
//!   model can show; falls back to the reference renderer when its weights are bad.
//! - [`dataset`] / [`shards`]: random plausible clips played through real events, rendered with
//!   their conditioning maps, and stored as safetensors shards with a train/held-out split by seed.

pub mod autoencoder;
pub mod chunk;
pub mod condition;
pub mod dataset;
pub mod frame;
pub mod latent;
pub mod render;
pub mod shards;
pub mod stream;
pub mod timeline;

pub use chunk::{Chunk, ChunkRequest, ChunkTiming, Generator, GeneratorError, ReferenceGenerator};
pub use condition::{CHANNELS, ConditionMap, condition_map};
pub use frame::Frame;
pub use latent::LatentGenerator;
pub use render::render_frame;
pub use stream::{ChunkSpec, DriverConfig, DriverStats, StreamError, StreamingDriver};
pub use timeline::Timeline;
