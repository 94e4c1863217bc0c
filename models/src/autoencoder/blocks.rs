//! Building blocks of the autoencoder: convolutions written as unfold + matmul, and a residual
//! block.
//!
//! Why not `candle_nn::Conv2d`: its CPU backward pass goes through `conv_transpose2d`, a direct
//! loop that made a training step ~4× slower here than the same convolution written as an
//! unfold (shifted views stacked along channels) followed by one matrix product, whose forward
//! and backward are both gemm. Weights keep `Conv2d`'s names and layout (`weight` (C_out, C_in,
//! k, k), `bias` (C_out)), so the two are interchangeable.
//!
//! No normalisation layers: the network is shallow enough to train without them, and on a CPU
//! every group-norm costs as much as a convolution. Training uses only ops with a backward pass
//! (candle's fused norms have none, see the gradient test in `model.rs`); generation unfolds with
//! [`unfold_same`]'s row copies.

use crate::kernels::{recording, unfold_same};
use candle_core::{Module, Result, Tensor};
use candle_nn::VarBuilder;

/// The largest unfold generation makes at once (see [`Conv::forward`]).
const UNFOLD_BYTES: usize = 16 << 20;

/// A stride-1 convolution with an odd square kernel and "same" padding.
#[derive(Debug, Clone)]
pub struct Conv {
    /// (C_out, C_in·k·k)
    weight: Tensor,
    /// (1, C_out, 1)
    bias: Tensor,
    kernel: usize,
    c_out: usize,
}

impl Conv {
    pub fn new(c_in: usize, c_out: usize, kernel: usize, vb: VarBuilder) -> Result<Self> {
        // Same initialisation as candle_nn::conv2d (Kaiming-uniform style bounds).
        let fan_in = (c_in * kernel * kernel) as f64;
        let bound = 1.0 / fan_in.sqrt();
        let init = candle_nn::Init::Uniform { lo: -bound, up: bound };
        let weight = vb.get_with_hints((c_out, c_in, kernel, kernel), "weight", init)?;
        let bias = vb.get_with_hints(c_out, "bias", init)?;
        Ok(Self {
            weight: weight.reshape((c_out, c_in * kernel * kernel))?,
            bias: bias.reshape((1, c_out, 1))?,
            kernel,
            c_out,
        })
    }
}

impl Module for Conv {
    // x: (B, C_in, H, W) -> (B, C_out, H, W)
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let (b, c, h, w) = x.dims4()?;
        let k = self.kernel;
        // Generation unfolds a few frames at a time. A buffer larger than glibc's largest mmap
        // threshold (32 MiB) comes as fresh zeroed pages from the kernel on every call: decoding
        // 8 frames at 256x192 took a median 209-215 ms in one unfold per convolution, 187-190 ms
        // in groups (interleaved runs).
        let frame_bytes = c * k * k * h * w * x.dtype().size_in_bytes();
        if k > 1 && b > 1 && b * frame_bytes > UNFOLD_BYTES && !recording(&[x]) {
            let group = (UNFOLD_BYTES / frame_bytes).max(1);
            let parts = (0..b)
                .step_by(group)
                .map(|i| self.forward(&x.narrow(0, i, group.min(b - i))?))
                .collect::<Result<Vec<_>>>()?;
            return Tensor::cat(&parts, 0);
        }
        let cols = match self.kernel {
            1 => x.reshape((b, c, h * w))?,
            // (B, C·k·k, H·W): the channel-major order of Conv2d weights.
            k => unfold_same(x, k)?,
        };
        // (C_out, C_in·k·k) × (B, C_in·k·k, H·W) -> (B, C_out, H·W)
        let y = self.weight.broadcast_matmul(&cols)?.broadcast_add(&self.bias)?;
        y.reshape((b, self.c_out, h, w))
    }
}

/// A 3×3 convolution that keeps the spatial size.
pub fn conv3x3(c_in: usize, c_out: usize, vb: VarBuilder) -> Result<Conv> {
    Conv::new(c_in, c_out, 3, vb)
}

/// A 1×1 convolution (a per-pixel linear map).
pub fn conv1x1(c_in: usize, c_out: usize, vb: VarBuilder) -> Result<Conv> {
    Conv::new(c_in, c_out, 1, vb)
}

/// `x + conv2(silu(conv1(silu(x))))`.
#[derive(Debug, Clone)]
pub struct ResBlock {
    conv1: Conv,
    conv2: Conv,
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

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{DType, Device};
    use candle_nn::{Conv2d, Conv2dConfig, VarMap};

    /// The unfold + matmul convolution computes what candle's Conv2d does with the same weights.
    #[test]
    fn matches_candle_conv2d() -> Result<()> {
        let vm = VarMap::new();
        let vb = VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu);
        let x = Tensor::randn(0f32, 1f32, (2, 5, 6, 7), &Device::Cpu)?;
        for k in [1, 3] {
            let ours = Conv::new(5, 4, k, vb.pp(format!("k{k}")))?;
            let w = vm.data().lock().map_err(|_| candle_core::Error::Msg("lock".into()))?[&format!("k{k}.weight")]
                .as_tensor()
                .clone();
            let b = vm.data().lock().map_err(|_| candle_core::Error::Msg("lock".into()))?[&format!("k{k}.bias")]
                .as_tensor()
                .clone();
            let theirs = Conv2d::new(w, Some(b), Conv2dConfig { padding: k / 2, ..Default::default() });
            let diff = (ours.forward(&x)? - theirs.forward(&x)?)?.abs()?.max_all()?.to_scalar::<f32>()?;
            assert!(diff < 1e-4, "kernel {k}: max difference {diff}");
        }
        Ok(())
    }

    /// Frames too many to unfold at once are convolved in groups, to the same result.
    #[test]
    fn frames_convolved_in_groups_match_candle_conv2d() -> Result<()> {
        let vm = VarMap::new();
        let conv = Conv::new(64, 8, 3, VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu))?;
        // 7 MiB of unfold a frame: three frames go as a group of two and one.
        let x = Tensor::randn(0f32, 1f32, (3, 64, 48, 64), &Device::Cpu)?;
        const { assert!(3 * 64 * 9 * 48 * 64 * 4 > UNFOLD_BYTES) };
        let data = vm.data().lock().map_err(|_| candle_core::Error::Msg("lock".into()))?;
        let theirs = Conv2d::new(
            data["weight"].as_tensor().clone(),
            Some(data["bias"].as_tensor().clone()),
            Conv2dConfig { padding: 1, ..Default::default() },
        );
        let diff = (conv.forward(&x)? - theirs.forward(&x)?)?.abs()?.max_all()?.to_scalar::<f32>()?;
        assert!(diff < 1e-4, "max difference {diff}");
        Ok(())
    }
}
