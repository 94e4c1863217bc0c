//! Offline work on the picture, used only by the `campfire` tools (never linked into the app).
//!
//! - [`dataset`]: random plausible clips played through real events, rendered with their
//!   conditioning maps; [`dataset::HeldOutStories`], the held-out stories of the generator's
//!   evaluation protocol.
//! - [`preset`]: the network sizes a fresh run starts from, by name.
//! - [`shards`]: clips stored as safetensors shards with a train/held-out split by seed, and
//!   [`shards::FrameSet`], the frames a trainer reads.
//! - [`autoencoder`]: training and evaluation of the latent autoencoder.
//! - [`optim`]: AdamW whose moments a checkpoint can hold.
//! - [`checkpoint`]: the rest of a run's resumable state, kept the same way by both trainers.
//! - [`dit`]: training the video diffusion transformer on cached latents.
//! - [`loss_log`]: a run's loss curve as CSV, kept whole across interruptions.
//! - [`curve`]: a run's loss curve as a picture.

pub mod autoencoder;
pub mod checkpoint;
pub mod curve;
pub mod dataset;
pub mod dit;
pub mod loss_log;
pub mod optim;
pub mod preset;
pub mod shards;
