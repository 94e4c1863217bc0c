//! The autoencoder network: [`Encoder`] (frames → latents) and [`Decoder`] (latents → frames).

use super::blocks::{Conv, ResBlock, conv1x1, conv3x3};
use candle_core::{DType, Module, Result, Tensor};
use candle_nn::ops::{pixel_shuffle, pixel_unshuffle};
use candle_nn::VarBuilder;
use serde::{Deserialize, Serialize};

/// Shape and training facts of an autoencoder, stored as `config.json` beside the weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// Colour channels of a frame (3, RGB).
    pub in_channels: usize,
    /// Channels of the latent grid.
    pub latent_channels: usize,
    /// Side of the pixel-unshuffle patch taken at the input (4: the first 4× is free).
    pub patch_size: usize,
    /// Width of each level; every level after the first halves the side again.
    pub channels: Vec<usize>,
    /// Residual blocks per level in the encoder.
    pub encoder_blocks: Vec<usize>,
    /// Residual blocks per level in the decoder.
    pub decoder_blocks: Vec<usize>,
    /// Frame size the model was trained on. The network is convolutional and takes any size
    /// divisible by [`Config::downscale`], but quality is only measured at this one.
    pub width: usize,
    pub height: usize,
    /// Mean and standard deviation of the latents over the training data, measured after
    /// training: `(z - mean) / std` is roughly unit-scaled for a diffusion model.
    #[serde(default)]
    pub latent_mean: f32,
    #[serde(default = "one")]
    pub latent_std: f32,
    /// How the weights are stored in `model.safetensors` ("f32" or "f16"); they are computed in f32.
    #[serde(default = "f32_name")]
    pub weight_dtype: String,
}

fn one() -> f32 {
    1.0
}

fn f32_name() -> String {
    "f32".to_string()
}

impl Config {
    /// 128×96×3 → 16×12×16, quick to train (~3 steps/s at batch 8 here) but short of 30 dB.
    pub fn small() -> Self {
        Self {
            in_channels: 3,
            latent_channels: 16,
            patch_size: 4,
            // Sized for training in under an hour on two shared CPU cores; most of the work
            // is at 1/8 scale, where a 3×3 convolution is cheap.
            channels: vec![32, 64],
            encoder_blocks: vec![0, 1],
            decoder_blocks: vec![1, 2],
            width: 128,
            height: 96,
            latent_mean: 0.0,
            latent_std: 1.0,
            weight_dtype: "f16".to_string(),
        }
    }

    /// The shipped model: `small` half again as wide, so that the 1/4-scale level that draws
    /// edges and texture into 4×4 pixel patches has room for them. About 2.2× the parameters
    /// and 2× the training time per step.
    pub fn base() -> Self {
        Self {
            channels: vec![48, 96],
            ..Self::small()
        }
    }

    /// A few thousand parameters, for tests of the machinery (not of quality).
    pub fn tiny() -> Self {
        Self {
            in_channels: 3,
            latent_channels: 4,
            patch_size: 4,
            channels: vec![8, 16],
            encoder_blocks: vec![1, 1],
            decoder_blocks: vec![1, 1],
            width: 32,
            height: 16,
            latent_mean: 0.0,
            latent_std: 1.0,
            weight_dtype: "f32".to_string(),
        }
    }

    /// How many pixels of a frame side one latent cell covers.
    pub fn downscale(&self) -> usize {
        self.patch_size << self.channels.len().saturating_sub(1)
    }

    /// `(channels, height, width)` of the latent of one frame of the trained size.
    pub fn latent_shape(&self) -> (usize, usize, usize) {
        (self.latent_channels, self.height / self.downscale(), self.width / self.downscale())
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

    /// Checks that the numbers describe a network that can be built.
    pub fn validate(&self) -> std::result::Result<(), String> {
        let levels = self.channels.len();
        if levels == 0 {
            return Err("`channels` must list at least one level".into());
        }
        if self.encoder_blocks.len() != levels || self.decoder_blocks.len() != levels {
            return Err(format!(
                "`encoder_blocks` and `decoder_blocks` must have one entry per level ({levels}), found {} and {}",
                self.encoder_blocks.len(),
                self.decoder_blocks.len()
            ));
        }
        if self.in_channels == 0 || self.latent_channels == 0 || self.patch_size == 0 {
            return Err("`in_channels`, `latent_channels` and `patch_size` must be positive".into());
        }
        if self.channels.contains(&0) {
            return Err("every level needs at least one channel".into());
        }
        let d = self.downscale();
        if !self.width.is_multiple_of(d) || !self.height.is_multiple_of(d) {
            return Err(format!("frame size {}×{} is not divisible by the downscale {d}", self.width, self.height));
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

fn check_divisible(x: &Tensor, d: usize, what: &str) -> Result<()> {
    let (_, _, h, w) = x.dims4()?;
    if h % d != 0 || w % d != 0 {
        candle_core::bail!("{what}: frame size {w}×{h} is not divisible by {d}");
    }
    Ok(())
}

/// One level of the encoder: an optional 2× downsample (unshuffle + 1×1), then residual blocks.
#[derive(Debug, Clone)]
struct Level {
    proj: Option<Conv>,
    blocks: Vec<ResBlock>,
}

/// Frames → latents.
#[derive(Debug, Clone)]
pub struct Encoder {
    patch_size: usize,
    downscale: usize,
    conv_in: Conv,
    levels: Vec<Level>,
    conv_out: Conv,
    span: tracing::Span,
}

impl Encoder {
    pub fn new(vb: VarBuilder, cfg: &Config) -> Result<Self> {
        let p = cfg.patch_size;
        let conv_in = conv3x3(cfg.in_channels * p * p, cfg.channels[0], vb.pp("conv_in"))?;
        let mut levels = Vec::with_capacity(cfg.channels.len());
        for (i, (&c, &n)) in cfg.channels.iter().zip(&cfg.encoder_blocks).enumerate() {
            let vb = vb.pp(format!("down.{i}"));
            let proj = match i {
                0 => None,
                _ => Some(conv1x1(4 * cfg.channels[i - 1], c, vb.pp("proj"))?),
            };
            let blocks = (0..n).map(|j| ResBlock::new(c, vb.pp(format!("block.{j}")))).collect::<Result<_>>()?;
            levels.push(Level { proj, blocks });
        }
        let last = *cfg.channels.last().unwrap_or(&1);
        let conv_out = conv3x3(last, cfg.latent_channels, vb.pp("conv_out"))?;
        Ok(Self {
            patch_size: p,
            downscale: cfg.downscale(),
            conv_in,
            levels,
            conv_out,
            span: tracing::debug_span!("encoder"),
        })
    }
}

impl Module for Encoder {
    // x: (B, 3, H, W) in [-1, 1] -> (B, C_lat, H/8, W/8)
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let _enter = self.span.enter();
        check_divisible(x, self.downscale, "encoder input")?;
        // (B, 3·p·p, H/p, W/p)
        let mut h = self.conv_in.forward(&pixel_unshuffle(x, self.patch_size)?)?;
        for level in &self.levels {
            if let Some(proj) = &level.proj {
                // (B, 4C, H/2, W/2) -> (B, C', H/2, W/2)
                h = proj.forward(&pixel_unshuffle(&h, 2)?)?;
            }
            for block in &level.blocks {
                h = block.forward(&h)?;
            }
        }
        self.conv_out.forward(&h.silu()?)
    }
}

/// Latents → frames.
#[derive(Debug, Clone)]
pub struct Decoder {
    patch_size: usize,
    conv_in: Conv,
    /// Deepest level first; each carries the upsample *into* the next shallower level.
    levels: Vec<(Vec<ResBlock>, Option<Conv>)>,
    conv_out: Conv,
    span: tracing::Span,
}

impl Decoder {
    pub fn new(vb: VarBuilder, cfg: &Config) -> Result<Self> {
        let p = cfg.patch_size;
        let last = *cfg.channels.last().unwrap_or(&1);
        let conv_in = conv3x3(cfg.latent_channels, last, vb.pp("conv_in"))?;
        let mut levels = Vec::with_capacity(cfg.channels.len());
        for i in (0..cfg.channels.len()).rev() {
            let c = cfg.channels[i];
            let vb = vb.pp(format!("up.{i}"));
            let blocks = (0..cfg.decoder_blocks[i])
                .map(|j| ResBlock::new(c, vb.pp(format!("block.{j}"))))
                .collect::<Result<Vec<_>>>()?;
            let proj = match i {
                0 => None,
                _ => Some(conv1x1(c, 4 * cfg.channels[i - 1], vb.pp("proj"))?),
            };
            levels.push((blocks, proj));
        }
        let conv_out = conv3x3(cfg.channels[0], cfg.in_channels * p * p, vb.pp("conv_out"))?;
        Ok(Self { patch_size: p, conv_in, levels, conv_out, span: tracing::debug_span!("decoder") })
    }
}

impl Module for Decoder {
    // z: (B, C_lat, h, w) -> (B, 3, 8h, 8w), roughly in [-1, 1] (not clamped)
    fn forward(&self, z: &Tensor) -> Result<Tensor> {
        let _enter = self.span.enter();
        let mut h = self.conv_in.forward(z)?;
        for (blocks, proj) in &self.levels {
            for block in blocks {
                h = block.forward(&h)?;
            }
            if let Some(proj) = proj {
                // (B, C, h, w) -> (B, 4C', h, w) -> (B, C', 2h, 2w)
                h = pixel_shuffle(&proj.forward(&h)?, 2)?;
            }
        }
        // (B, 3·p·p, H/p, W/p) -> (B, 3, H, W)
        pixel_shuffle(&self.conv_out.forward(&h.silu()?)?, self.patch_size)
    }
}

/// Encoder and decoder together.
#[derive(Debug, Clone)]
pub struct Autoencoder {
    pub encoder: Encoder,
    pub decoder: Decoder,
    cfg: Config,
}

impl Autoencoder {
    pub fn new(vb: VarBuilder, cfg: &Config) -> Result<Self> {
        if let Err(e) = cfg.validate() {
            candle_core::bail!("invalid autoencoder config: {e}");
        }
        Ok(Self {
            encoder: Encoder::new(vb.pp("encoder"), cfg)?,
            decoder: Decoder::new(vb.pp("decoder"), cfg)?,
            cfg: cfg.clone(),
        })
    }

    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// x: (B, 3, H, W) in [-1, 1] -> raw latents (B, C_lat, H/8, W/8).
    pub fn encode(&self, x: &Tensor) -> Result<Tensor> {
        self.encoder.forward(x)
    }

    /// Raw latents (B, C_lat, h, w) -> frames (B, 3, 8h, 8w), roughly in [-1, 1].
    pub fn decode(&self, z: &Tensor) -> Result<Tensor> {
        self.decoder.forward(z)
    }

    /// Latents scaled for a diffusion model: `(encode(x) - mean) / std`.
    pub fn encode_scaled(&self, x: &Tensor) -> Result<Tensor> {
        self.encode(x)?.affine(1.0 / self.cfg.latent_std as f64, -(self.cfg.latent_mean / self.cfg.latent_std) as f64)
    }

    /// Inverse of [`Autoencoder::encode_scaled`] followed by decoding.
    pub fn decode_scaled(&self, z: &Tensor) -> Result<Tensor> {
        self.decode(&z.affine(self.cfg.latent_std as f64, self.cfg.latent_mean as f64)?)
    }
}

impl Module for Autoencoder {
    // x: (B, 3, H, W) -> reconstruction (B, 3, H, W)
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        self.decode(&self.encode(x)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Var};
    use candle_nn::VarMap;

    #[test]
    fn shapes_follow_the_config() -> Result<()> {
        let cfg = Config::tiny();
        let vm = VarMap::new();
        let ae = Autoencoder::new(VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu), &cfg)?;
        let x = Tensor::rand(-1f32, 1f32, (2, 3, 16, 32), &Device::Cpu)?;
        let z = ae.encode(&x)?;
        assert_eq!(z.dims(), &[2, 4, 2, 4]);
        assert_eq!(ae.decode(&z)?.dims(), x.dims());
        assert_eq!(cfg.latent_shape(), (4, 2, 4));
        // A size the network cannot halve three times is an error, not a panic.
        assert!(ae.encode(&Tensor::zeros((1, 3, 12, 32), DType::F32, &Device::Cpu)?).is_err());
        Ok(())
    }

    /// Candle's fused norms and softmax silently have no backward pass; a layer built on one
    /// would never learn. Every parameter must get a non-zero gradient from the training loss.
    #[test]
    fn every_parameter_gets_a_gradient() -> Result<()> {
        for cfg in [Config::tiny(), Config::small(), Config::base()] {
            let vm = VarMap::new();
            let ae = Autoencoder::new(VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu), &cfg)?;
            let x = Tensor::rand(-1f32, 1f32, (2, 3, cfg.height, cfg.width), &Device::Cpu)?;
            // The reconstruction error as training measures it (campfire-train adds an L1 term).
            let loss = (ae.forward(&x)? - &x)?.sqr()?.mean_all()?;
            let grads = loss.backward()?;
            let vars: Vec<(String, Var)> = vm.data().lock().map_err(|_| candle_core::Error::Msg("poisoned".into()))?.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            assert!(vars.len() > 10, "expected many parameters, found {}", vars.len());
            for (name, var) in vars {
                let g = grads.get(var.as_tensor()).unwrap_or_else(|| panic!("{name} received no gradient"));
                let norm = g.abs()?.sum_all()?.to_scalar::<f32>()?;
                assert!(norm > 0.0 && norm.is_finite(), "{name} received a zero or non-finite gradient ({norm})");
            }
        }
        Ok(())
    }
}
