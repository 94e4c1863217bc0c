//! Building blocks of the autoencoder: 3×3 convolutions and a residual block.
//!
//! No normalisation layers: the network is shallow enough to train without them, and on a CPU
//! every group-norm costs as much as a convolution. Only ops with a backward pass are used
//! (candle's fused norms have none, see the gradient test in `model.rs`).

use candle_core::{Module, Result, Tensor};
use candle_nn::{Conv2d, Conv2dConfig, VarBuilder};

/// A 3×3 convolution that keeps the spatial size.
pub fn conv3x3(c_in: usize, c_out: usize, vb: VarBuilder) -> Result<Conv2d> {
    candle_nn::conv2d(c_in, c_out, 3, Conv2dConfig { padding: 1, ..Default::default() }, vb)
}

/// A 1×1 convolution (a per-pixel linear map).
pub fn conv1x1(c_in: usize, c_out: usize, vb: VarBuilder) -> Result<Conv2d> {
    candle_nn::conv2d(c_in, c_out, 1, Conv2dConfig::default(), vb)
}

/// `x + conv2(silu(conv1(silu(x))))`.
#[derive(Debug, Clone)]
pub struct ResBlock {
    conv1: Conv2d,
    conv2: Conv2d,
    span: tracing::Span,
}

impl ResBlock {
    pub fn new(channels: usize, vb: VarBuilder) -> Result<Self> {
        Ok(Self {
            conv1: conv3x3(channels, channels, vb.pp("conv1"))?,
            conv2: conv3x3(channels, channels, vb.pp("conv2"))?,
            span: tracing::trace_span!("res-block"),
        })
    }
}

impl Module for ResBlock {
    // x: (B, C, H, W) -> (B, C, H, W)
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let _enter = self.span.enter();
        let h = self.conv1.forward(&x.silu()?)?;
        let h = self.conv2.forward(&h.silu()?)?;
        x + h
    }
}
