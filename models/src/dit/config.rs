//! The shape of a DiT, stored as `config.json` beside its weights.

use candle_core::DType;
use serde::{Deserialize, Serialize};

/// Shape and training facts of a DiT. Every tensor shape the network has follows from these
/// numbers; the loader builds the expected shapes from them and checks the weights against it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// Channels of one latent frame (the autoencoder's `latent_channels`, 16).
    pub latent_channels: usize,
    /// Channels of one conditioning map (96 for conditioning version 2, 141 for version 3: the
    /// presets in `campfire-train` take the renderer's current ones).
    pub cond_channels: usize,
    /// Version of the conditioning maps' channel contract the weights were trained on; a
    /// generator refuses weights made for another version rather than drawing nonsense.
    pub cond_version: u32,
    /// Frames per token (temporal patch size). Chunk and context lengths must be multiples.
    pub patch_t: usize,
    /// Latent rows per token.
    pub patch_h: usize,
    /// Latent columns per token.
    pub patch_w: usize,
    /// Width of the token stream.
    pub hidden_size: usize,
    /// Transformer blocks.
    pub depth: usize,
    pub num_heads: usize,
    /// Hidden width of each block's MLP, as a multiple of `hidden_size`.
    pub mlp_ratio: usize,
    /// Width of the sinusoidal features the noise level and step size are embedded from.
    pub frequency_size: usize,
    /// How the head dimension is shared between the three rotary axes (time, rows, columns);
    /// each entry even, the sum equal to `hidden_size / num_heads`.
    pub rope_dims: [usize; 3],
    /// Base of the rotary frequencies. Positions here span a few dozen steps at most, so a
    /// small base keeps more of the frequencies useful than the language models' 10 000.
    pub rope_theta: f64,
    /// Latent grid the model was trained on (columns, rows). Other sizes work from the same
    /// weights: spatial positions are scaled to this grid (position interpolation), so a
    /// bigger frame is seen as the same stage sampled more finely.
    pub latent_width: usize,
    pub latent_height: usize,
    /// Frames of a chunk and of its context during training and by default at inference.
    pub chunk_frames: usize,
    pub context_frames: usize,
    /// Shortcut-model step sizes run from 1 down to `2^-shortcut_levels`; the finest is
    /// trained by plain flow matching (see `sampling.rs`).
    pub shortcut_levels: u32,
    /// The latent autoencoder's scaling (`(z - mean) / std`), copied here so the DiT's weights
    /// carry the convention they were trained with.
    pub latent_mean: f32,
    pub latent_std: f32,
    /// How the weights are stored in `model.safetensors` ("f32", "f16" or "bf16").
    pub weight_dtype: String,
}

impl Config {
    /// The real-time model for 128×96 at 12 fps on two CPU cores: 2×2×2 patches give 48
    /// tokens a frame pair, 192 for an 8-frame chunk, so four denoising steps and the decoder
    /// fit in the chunk's 667 ms with room to spare (see `campfire bench video`).
    pub fn small() -> Self {
        Self {
            latent_channels: 16,
            cond_channels: 96,
            cond_version: 2,
            patch_t: 2,
            patch_h: 2,
            patch_w: 2,
            hidden_size: 256,
            depth: 6,
            num_heads: 4,
            mlp_ratio: 4,
            frequency_size: 128,
            rope_dims: [16, 24, 24],
            rope_theta: 100.0,
            latent_width: 16,
            latent_height: 12,
            chunk_frames: 8,
            context_frames: 4,
            shortcut_levels: 6,
            latent_mean: 0.0,
            latent_std: 1.0,
            weight_dtype: "f16".to_string(),
        }
    }

    /// Twice as deep and half again as wide: for a GPU, or for quality figures on a CPU.
    pub fn base() -> Self {
        Self { hidden_size: 384, depth: 12, num_heads: 6, rope_dims: [16, 24, 24], ..Self::small() }
    }

    /// A few tens of thousands of parameters, for tests of the machinery (not of quality).
    pub fn tiny() -> Self {
        Self {
            latent_channels: 4,
            cond_channels: 6,
            hidden_size: 32,
            depth: 2,
            num_heads: 2,
            mlp_ratio: 2,
            frequency_size: 16,
            rope_dims: [4, 6, 6],
            latent_width: 4,
            latent_height: 4,
            chunk_frames: 4,
            context_frames: 2,
            shortcut_levels: 3,
            weight_dtype: "f32".to_string(),
            ..Self::small()
        }
    }

    pub fn head_dim(&self) -> usize {
        self.hidden_size / self.num_heads.max(1)
    }

    /// Values in one latent token: `patch_t · patch_h · patch_w · latent_channels`.
    pub fn patch_dim(&self) -> usize {
        self.patch_t * self.patch_h * self.patch_w * self.latent_channels
    }

    /// Values in one conditioning token.
    pub fn cond_patch_dim(&self) -> usize {
        self.patch_t * self.patch_h * self.patch_w * self.cond_channels
    }

    /// The storage dtype named by [`Config::weight_dtype`].
    pub fn storage_dtype(&self) -> Option<DType> {
        match self.weight_dtype.as_str() {
            "f32" => Some(DType::F32),
            "f16" => Some(DType::F16),
            "bf16" => Some(DType::BF16),
            _ => None,
        }
    }

    /// Parameters of the network this config describes (weights and biases).
    /// Bytes generating needs at the trained size, roughly: the weights in f32, and a chunk
    /// with its context through one block (tokens at every width, attention scores, the
    /// cached keys and values of every block), twice over for temporaries.
    pub fn inference_bytes(&self) -> u64 {
        let grid = (self.latent_height / self.patch_h.max(1)) * (self.latent_width / self.patch_w.max(1));
        let chunk = (self.chunk_frames / self.patch_t.max(1)) * grid;
        let context = (self.context_frames / self.patch_t.max(1)) * grid;
        let d = self.hidden_size as u64;
        let (n, m) = (chunk as u64, (chunk + context) as u64);
        let activations = n * d * (4 + self.mlp_ratio as u64) + self.num_heads as u64 * n * m;
        let cache = self.depth as u64 * 2 * context as u64 * d;
        4 * (self.parameter_count() as u64 + 2 * activations + cache)
    }

    pub fn parameter_count(&self) -> usize {
        let d = self.hidden_size;
        let lin = |i: usize, o: usize| i * o + o;
        let embed = lin(self.patch_dim(), d)
            + lin(self.cond_patch_dim(), d)
            + lin(d, d)
            + 2 * (lin(self.frequency_size, d) + lin(d, d));
        let block = lin(d, 6 * d)
            + lin(d, 3 * d)
            + 2 * self.head_dim()
            + lin(d, d)
            + lin(d, self.mlp_ratio * d)
            + lin(self.mlp_ratio * d, d);
        embed + self.depth * block + lin(d, 2 * d) + lin(d, self.patch_dim())
    }

    /// Checks that the numbers describe a network that can be built.
    pub fn validate(&self) -> Result<(), String> {
        let positive = [
            ("latent_channels", self.latent_channels),
            ("cond_channels", self.cond_channels),
            ("patch_t", self.patch_t),
            ("patch_h", self.patch_h),
            ("patch_w", self.patch_w),
            ("hidden_size", self.hidden_size),
            ("depth", self.depth),
            ("num_heads", self.num_heads),
            ("mlp_ratio", self.mlp_ratio),
            ("frequency_size", self.frequency_size),
            ("chunk_frames", self.chunk_frames),
            ("latent_width", self.latent_width),
            ("latent_height", self.latent_height),
        ];
        if let Some((name, _)) = positive.iter().find(|(_, v)| *v == 0) {
            return Err(format!("`{name}` must be positive"));
        }
        if !self.hidden_size.is_multiple_of(self.num_heads) {
            return Err(format!(
                "`hidden_size` {} is not divisible by `num_heads` {}",
                self.hidden_size, self.num_heads
            ));
        }
        if !self.frequency_size.is_multiple_of(2) {
            return Err(format!("`frequency_size` must be even, found {}", self.frequency_size));
        }
        if self.rope_dims.iter().any(|d| !d.is_multiple_of(2))
            || self.rope_dims.iter().sum::<usize>() != self.head_dim()
        {
            return Err(format!(
                "`rope_dims` {:?} must be even and add up to the head dimension {}",
                self.rope_dims,
                self.head_dim()
            ));
        }
        if !self.chunk_frames.is_multiple_of(self.patch_t) || !self.context_frames.is_multiple_of(self.patch_t) {
            return Err(format!(
                "`chunk_frames` {} and `context_frames` {} must be multiples of `patch_t` {}",
                self.chunk_frames, self.context_frames, self.patch_t
            ));
        }
        if !self.latent_width.is_multiple_of(self.patch_w) || !self.latent_height.is_multiple_of(self.patch_h) {
            return Err(format!(
                "the latent grid {}×{} is not divisible by the patch {}×{}",
                self.latent_width, self.latent_height, self.patch_w, self.patch_h
            ));
        }
        if !(self.rope_theta.is_finite() && self.rope_theta > 1.0) {
            return Err(format!("`rope_theta` must be above 1, found {}", self.rope_theta));
        }
        if self.shortcut_levels > 10 {
            return Err(format!(
                "`shortcut_levels` above 10 (steps of 1/1024) is not useful, found {}",
                self.shortcut_levels
            ));
        }
        if self.storage_dtype().is_none() {
            return Err(format!("`weight_dtype` must be f32, f16 or bf16, found `{}`", self.weight_dtype));
        }
        if !(self.latent_std.is_finite() && self.latent_std > 0.0 && self.latent_mean.is_finite()) {
            return Err("`latent_std` must be positive and `latent_mean` finite".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_valid_and_bad_numbers_are_refused() {
        for cfg in [Config::tiny(), Config::small(), Config::base()] {
            assert_eq!(cfg.validate(), Ok(()));
        }
        let bad = Config { rope_dims: [16, 16, 16], ..Config::small() };
        assert!(bad.validate().unwrap_err().contains("rope_dims"));
        let bad = Config { chunk_frames: 7, ..Config::small() };
        assert!(bad.validate().unwrap_err().contains("patch_t"));
        let bad = Config { num_heads: 3, ..Config::small() };
        assert!(bad.validate().is_err());
        let json = serde_json::to_string(&Config::small()).expect("serialise");
        assert_eq!(serde_json::from_str::<Config>(&json).expect("parse"), Config::small());
    }
}
