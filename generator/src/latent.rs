//! The reference picture seen through the autoencoder's latent space.
//!
//! The diffusion model generates latents, so the autoencoder's round trip is the best picture
//! it can ever show. [`LatentGenerator`] renders each frame with the reference renderer, encodes
//! it and decodes it back, so a person can look at what the latents keep of a real story
//! (`campfire render --generator latent`). It is also the first generator that needs weights,
//! and [`LatentGenerator::open_or_fall_back`] is the rule every such generator follows: bad
//! weights are a warning and the reference renderer carries on, never a stopped story.

use crate::chunk::{Chunk, ChunkRequest, Generator, GeneratorError, ReferenceGenerator};
use campfire_models::autoencoder::metrics::{frames_to_tensor, tensor_to_frames};
use campfire_models::autoencoder::{self, Autoencoder, LoadError};
use campfire_render::Frame;
use candle_core::{Device, Module};
use std::path::Path;

/// The reference picture through the autoencoder. It codes each frame on its own, so it carries
/// no context between chunks.
pub struct LatentGenerator {
    ae: Autoencoder,
    device: Device,
}

impl LatentGenerator {
    /// `ae` must live on `device`.
    pub fn new(ae: Autoencoder, device: Device) -> Self {
        Self { ae, device }
    }

    /// Loads the autoencoder in `dir` (`config.json` + `model.safetensors`) onto `device`.
    pub fn load(dir: &Path, device: &Device) -> Result<Self, LoadError> {
        Ok(Self::new(autoencoder::load(dir, device)?, device.clone()))
    }

    /// The latent generator, or `None` with a warning naming the file and what was wrong, so
    /// the caller keeps the reference renderer.
    pub fn open_or_fall_back(dir: &Path, device: &Device) -> Option<Self> {
        match Self::load(dir, device) {
            Ok(g) => Some(g),
            Err(e) => {
                // LoadError messages name the file and the cause themselves.
                tracing::warn!("{e}; falling back to the reference renderer");
                None
            }
        }
    }

    /// Side of the frame one latent cell covers.
    pub fn downscale(&self) -> u32 {
        self.ae.config().downscale() as u32
    }

    /// The network halves the side a fixed number of times, so it takes only sizes divisible
    /// by its downscale; callers check before they start writing anything.
    pub fn check_size(&self, width: u32, height: u32) -> Result<(), GeneratorError> {
        let f = self.ae.config().downscale() as u32;
        if !width.is_multiple_of(f) || !height.is_multiple_of(f) {
            return Err(GeneratorError::BadRequest(format!(
                "the autoencoder needs sides divisible by {f}, got {width}x{height}"
            )));
        }
        Ok(())
    }

    /// Encodes and decodes frames of one size (a multiple of the autoencoder's downscale).
    pub fn round_trip(&self, frames: &[Frame]) -> Result<Vec<Frame>, GeneratorError> {
        let Some(first) = frames.first() else { return Ok(Vec::new()) };
        let (w, h) = (first.width, first.height);
        self.check_size(w, h)?;
        if let Some(other) = frames.iter().find(|fr| (fr.width, fr.height) != (w, h)) {
            return Err(GeneratorError::BadRequest(format!(
                "frames of one chunk differ in size: {w}x{h} and {}x{}",
                other.width, other.height
            )));
        }
        let model = |source| GeneratorError::Model { index: 0, source };
        let rgb: Vec<u8> = frames.iter().flat_map(|fr| fr.rgb.iter().copied()).collect();
        let x = frames_to_tensor(&rgb, frames.len(), h as usize, w as usize, &self.device).map_err(model)?;
        let back = tensor_to_frames(&self.ae.forward(&x).map_err(model)?).map_err(model)?;
        let size = (w * h * 3) as usize;
        Ok(back.chunks_exact(size).map(|rgb| Frame { width: w, height: h, rgb: rgb.to_vec() }).collect())
    }
}

impl Generator for LatentGenerator {
    fn generate(&mut self, request: &ChunkRequest) -> Result<Chunk, GeneratorError> {
        request.validate()?;
        self.check_size(request.format.width, request.format.height)?;
        let mut chunk = ReferenceGenerator.generate(request)?;
        chunk.frames = self.round_trip(&chunk.frames).map_err(|e| match e {
            GeneratorError::Model { source, .. } => GeneratorError::Model { index: request.index, source },
            other => other,
        })?;
        chunk.generator = self.name().to_string();
        Ok(chunk)
    }

    fn seek(&mut self, _index: u64) {}

    fn reset(&mut self) {}

    fn name(&self) -> &str {
        "latent"
    }

    fn device(&self) -> Device {
        self.device.clone()
    }
}
