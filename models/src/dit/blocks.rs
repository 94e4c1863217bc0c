//! The transformer block with adaLN-zero modulation per time slab, its attention over the
//! chunk and a cached context, and the final layer.
//!
//! Everything here trains: norms, softmax and rotary embedding are written with plain tensor
//! ops, because candle's fused `layer_norm`, `rms_norm`, `softmax_last_dim` and `rope` have no
//! backward pass and a layer built on one would silently never learn. The fused kernels are
//! used only when nothing is recorded for a backward pass ([`recording`]): loaded weights are
//! plain tensors, so generation gets the faster forms and training never does.

use super::embedding::Rope;
use candle_core::{D, Module, Result, Tensor};
use candle_nn::{Init, VarBuilder};

/// A linear layer with `candle_nn::Linear`'s weight names and layout (`weight` (out, in),
/// `bias` (out)), computed as one 2-D matrix product over all leading dimensions: on a CPU one
/// big gemm is faster than the batched product `candle_nn::Linear` runs for 3-D inputs.
#[derive(Debug, Clone)]
pub struct Linear {
    weight: Tensor,
    bias: Tensor,
}

impl Linear {
    /// Kaiming-uniform initialisation, as `candle_nn::linear`.
    pub fn new(d_in: usize, d_out: usize, vb: VarBuilder) -> Result<Self> {
        let bound = 1.0 / (d_in as f64).sqrt();
        let init = Init::Uniform { lo: -bound, up: bound };
        Ok(Self {
            weight: vb.get_with_hints((d_out, d_in), "weight", init)?,
            bias: vb.get_with_hints(d_out, "bias", init)?,
        })
    }

    /// Starts at zero: the adaLN-zero gates and the output layer, so that every block begins
    /// as the identity and the untrained model predicts zero velocity (DiT, section 3.2).
    pub fn zeros(d_in: usize, d_out: usize, vb: VarBuilder) -> Result<Self> {
        let init = Init::Const(0.0);
        Ok(Self {
            weight: vb.get_with_hints((d_out, d_in), "weight", init)?,
            bias: vb.get_with_hints(d_out, "bias", init)?,
        })
    }
}

impl Module for Linear {
    // x: (..., in) -> (..., out)
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let dims = x.dims().to_vec();
        let d_in = *dims.last().unwrap_or(&1);
        let rows = x.elem_count() / d_in.max(1);
        let y = x.reshape((rows, d_in))?.matmul(&self.weight.t()?)?.broadcast_add(&self.bias)?;
        let mut out = dims;
        if let Some(last) = out.last_mut() {
            *last = self.bias.dim(0)?;
        }
        y.reshape(out)
    }
}

/// Whether candle records ops on these tensors for a backward pass (a variable, or computed
/// from one): then only plain ops may be used.
pub fn recording(xs: &[&Tensor]) -> bool {
    xs.iter().any(|x| x.track_op())
}

/// Layer norm without affine parameters over the last dimension, from plain ops (fused when
/// nothing is [`recording`]).
pub fn layer_norm(x: &Tensor, eps: f64) -> Result<Tensor> {
    if !recording(&[x]) {
        let c = x.dim(D::Minus1)?;
        let (ones, zeros) = (Tensor::ones(c, x.dtype(), x.device())?, Tensor::zeros(c, x.dtype(), x.device())?);
        return candle_nn::ops::layer_norm(&x.contiguous()?, &ones, &zeros, eps as f32);
    }
    let mean = x.mean_keepdim(D::Minus1)?;
    let centred = x.broadcast_sub(&mean)?;
    let var = centred.sqr()?.mean_keepdim(D::Minus1)?;
    centred.broadcast_div(&(var + eps)?.sqrt()?)
}

/// RMS norm with a learned scale over the last dimension, from plain ops.
#[derive(Debug, Clone)]
pub struct RmsNorm {
    weight: Tensor,
}

impl RmsNorm {
    pub fn new(dim: usize, vb: VarBuilder) -> Result<Self> {
        Ok(Self { weight: vb.get_with_hints(dim, "weight", Init::Const(1.0))? })
    }
}

impl Module for RmsNorm {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        if !recording(&[x, &self.weight]) {
            return candle_nn::ops::rms_norm(&x.contiguous()?, &self.weight, 1e-6);
        }
        let rms = (x.sqr()?.mean_keepdim(D::Minus1)? + 1e-6)?.sqrt()?;
        x.broadcast_div(&rms)?.broadcast_mul(&self.weight)
    }
}

/// `x · (1 + scale) + shift`, with one (shift, scale) per time slab.
///
/// x: (B, S·P, C), shift and scale: (B, S, C) -> (B, S·P, C)
fn modulate(x: &Tensor, shift: &Tensor, scale: &Tensor) -> Result<Tensor> {
    let (b, n, c) = x.dims3()?;
    let s = shift.dim(1)?;
    let x = x.reshape((b, s, n / s, c))?;
    x.broadcast_mul(&(scale.unsqueeze(2)? + 1.0)?)?.broadcast_add(&shift.unsqueeze(2)?)?.reshape((b, n, c))
}

/// `x · gate` with one gate per time slab. x: (B, S·P, C), gate: (B, S, C) -> (B, S·P, C)
fn gated(x: &Tensor, gate: &Tensor) -> Result<Tensor> {
    let (b, n, c) = x.dims3()?;
    let s = gate.dim(1)?;
    x.reshape((b, s, n / s, c))?.broadcast_mul(&gate.unsqueeze(2)?)?.reshape((b, n, c))
}

/// Keys and values of one block for a set of tokens, rotated to their positions:
/// each (B, H, N, head_dim).
#[derive(Debug, Clone)]
pub struct KeyValue {
    pub k: Tensor,
    pub v: Tensor,
}

/// Multi-head self-attention with RMS-normalised queries and keys (as SD3 and Flux: it keeps
/// the logits bounded, which small models trained at a high learning rate need).
#[derive(Debug, Clone)]
pub struct Attention {
    qkv: Linear,
    q_norm: RmsNorm,
    k_norm: RmsNorm,
    proj: Linear,
    num_heads: usize,
}

impl Attention {
    pub fn new(dim: usize, num_heads: usize, vb: VarBuilder) -> Result<Self> {
        let head_dim = dim / num_heads;
        Ok(Self {
            qkv: Linear::new(dim, 3 * dim, vb.pp("qkv"))?,
            q_norm: RmsNorm::new(head_dim, vb.pp("norm_q"))?,
            k_norm: RmsNorm::new(head_dim, vb.pp("norm_k"))?,
            proj: Linear::new(dim, dim, vb.pp("proj"))?,
            num_heads,
        })
    }

    /// Attends `x`'s tokens to `past` (keys and values of earlier tokens, if any) and to
    /// themselves; `mask` is an additive bias over (queries, past + own keys). Returns the
    /// output and the tokens' own keys and values for a cache.
    ///
    /// x: (B, N, C) -> (B, N, C)
    pub fn forward(
        &self,
        x: &Tensor,
        rope: &Rope,
        past: Option<&KeyValue>,
        mask: Option<&Tensor>,
    ) -> Result<(Tensor, KeyValue)> {
        let (b, n, c) = x.dims3()?;
        let h = self.num_heads;
        let hd = c / h;
        // (B, N, 3C) -> (3, B, H, N, hd)
        let qkv = self.qkv.forward(x)?.reshape((b, n, 3, h, hd))?.permute((2, 0, 3, 1, 4))?;
        let q = rope.apply(&self.q_norm.forward(&qkv.get(0)?)?)?;
        let k = rope.apply(&self.k_norm.forward(&qkv.get(1)?)?)?;
        let v = qkv.get(2)?.contiguous()?;
        let (k_all, v_all) = match past {
            Some(p) => (Tensor::cat(&[&p.k, &k], 2)?, Tensor::cat(&[&p.v, &v], 2)?),
            None => (k.clone(), v.clone()),
        };
        // (B, H, N, hd) × (B, H, hd, M) -> (B, H, N, M)
        let mut scores = (q.matmul(&k_all.t()?)? * (1.0 / (hd as f64).sqrt()))?;
        if let Some(mask) = mask {
            scores = scores.broadcast_add(mask)?;
        }
        let probs = softmax_last_dim(&scores)?;
        // (B, H, N, hd) -> (B, N, C)
        let out = probs.matmul(&v_all)?.transpose(1, 2)?.reshape((b, n, c))?;
        Ok((self.proj.forward(&out)?, KeyValue { k, v }))
    }
}

/// The tanh-approximated GELU, as candle's `Tensor::gelu`, with tanh from a rational
/// approximation the compiler vectorises (Eigen's `generic_fast_tanh_float`, within a few
/// float ulps of tanh). Our own because candle's CPU kernel calls libm's scalar `tanhf` per
/// element: that was 22 % of a 128x96 denoising step here (`perf`), the MLP's 1024-wide hidden
/// layer being the largest activation of the model. No backward pass: used only when nothing is
/// [`recording`], and only on the CPU.
struct FastGelu;

impl FastGelu {
    fn tanh(x: f32) -> f32 {
        // Beyond ±7.9 tanh is ±1 to float precision.
        let x = x.clamp(-7.905_311, 7.905_311);
        let x2 = x * x;
        let p = x2 * -2.760_768_5e-16 + 2.000_188e-13;
        let p = x2 * p + -8.604_672e-11;
        let p = x2 * p + 5.122_297e-8;
        let p = x2 * p + 1.485_722_4e-5;
        let p = x2 * p + 6.372_619_4e-4;
        let p = x2 * p + 4.893_524_6e-3;
        let q = x2 * 1.198_258_4e-6 + 1.185_347e-4;
        let q = x2 * q + 2.268_434_6e-3;
        let q = x2 * q + 4.893_525e-3;
        x * p / q
    }

    fn gelu(x: f32) -> f32 {
        const SQRT_TWO_OVER_PI: f32 = 0.797_884_6;
        0.5 * x * (1.0 + Self::tanh(SQRT_TWO_OVER_PI * x * (1.0 + 0.044_715 * x * x)))
    }
}

impl candle_core::CustomOp1 for FastGelu {
    fn name(&self) -> &'static str {
        "fast-gelu"
    }

    fn cpu_fwd(
        &self,
        storage: &candle_core::CpuStorage,
        layout: &candle_core::Layout,
    ) -> Result<(candle_core::CpuStorage, candle_core::Shape)> {
        let (candle_core::CpuStorage::F32(data), Some((start, end))) = (storage, layout.contiguous_offsets()) else {
            candle_core::bail!("fast-gelu takes contiguous f32 tensors");
        };
        let out: Vec<f32> = data[start..end].iter().map(|&x| Self::gelu(x)).collect();
        Ok((candle_core::CpuStorage::F32(out), layout.shape().clone()))
    }
}

/// Softmax over the last dimension with `exp` from a range reduction and a polynomial the
/// compiler vectorises (Cephes' `expf`, within 2 float ulps), rows split over rayon's threads.
/// Our own for the reason of [`FastGelu`]: candle's CPU softmax calls libm's scalar `expf`,
/// and the attention scores grow as the square of the tokens (at 256x192, 21 M per step).
/// No backward pass.
struct FastSoftmax;

impl FastSoftmax {
    /// e^x for x ≤ 0 (scores minus their row's maximum).
    fn exp(x: f32) -> f32 {
        const LOG2E: f32 = std::f32::consts::LOG2_E;
        // ln 2 in two parts, so that n · ln 2 is subtracted without rounding.
        const LN2_HI: f32 = 0.693_359_4;
        const LN2_LO: f32 = -2.121_944_4e-4;
        // Adding and subtracting 1.5 · 2^23 rounds to the nearest integer with plain SSE2.
        const ROUND: f32 = 12_582_912.0;
        let x = x.max(-87.0);
        let n = (x * LOG2E + ROUND) - ROUND;
        let r = x - n * LN2_HI - n * LN2_LO;
        let p = 1.987_569_1e-4;
        let p = p * r + 1.398_2e-3;
        let p = p * r + 8.333_452e-3;
        let p = p * r + 4.166_579_6e-2;
        let p = p * r + 0.166_666_65;
        let p = p * r + 0.5;
        let e = p * r * r + r + 1.0;
        e * f32::from_bits(((n as i32 + 127) << 23) as u32)
    }

    /// Largest and sum of a row, eight lanes at a time: a single running value would be a
    /// chain of dependent operations the compiler may not vectorise.
    fn max_and_sum(x: &[f32]) -> (f32, f32) {
        let (mut max, mut sum) = ([f32::NEG_INFINITY; 8], [0f32; 8]);
        let chunks = x.chunks_exact(8);
        let rest = chunks.remainder();
        for c in chunks {
            for i in 0..8 {
                max[i] = if c[i] > max[i] { c[i] } else { max[i] };
                sum[i] += c[i];
            }
        }
        let max = rest.iter().chain(&max).fold(f32::NEG_INFINITY, |m, &v| if v > m { v } else { m });
        (max, rest.iter().sum::<f32>() + sum.iter().sum::<f32>())
    }

    fn row(src: &[f32], dst: &mut [f32]) {
        let (max, total) = Self::max_and_sum(src);
        // NaN or infinity in a row makes it all NaN, as candle's does (a NaN spreads through
        // the sum): the generator's check must see a broken chunk.
        if !total.is_finite() {
            dst.fill(f32::NAN);
            return;
        }
        for (d, &v) in dst.iter_mut().zip(src) {
            *d = Self::exp(v - max);
        }
        let inv = 1.0 / Self::max_and_sum(dst).1;
        dst.iter_mut().for_each(|d| *d *= inv);
    }
}

impl candle_core::CustomOp1 for FastSoftmax {
    fn name(&self) -> &'static str {
        "fast-softmax"
    }

    fn cpu_fwd(
        &self,
        storage: &candle_core::CpuStorage,
        layout: &candle_core::Layout,
    ) -> Result<(candle_core::CpuStorage, candle_core::Shape)> {
        use rayon::prelude::*;
        let (candle_core::CpuStorage::F32(data), Some((start, end))) = (storage, layout.contiguous_offsets()) else {
            candle_core::bail!("fast-softmax takes contiguous f32 tensors");
        };
        let dim = layout.shape().dims().last().copied().unwrap_or(1).max(1);
        let mut out = vec![0f32; end - start];
        out.par_chunks_mut(dim).zip(data[start..end].par_chunks(dim)).for_each(|(d, s)| Self::row(s, d));
        Ok((candle_core::CpuStorage::F32(out), layout.shape().clone()))
    }
}

/// Softmax over the last dimension: [`FastSoftmax`] where it can run, candle's fused kernel on
/// other devices, and the plain-op form when [`recording`].
pub fn softmax_last_dim(x: &Tensor) -> Result<Tensor> {
    if recording(&[x]) {
        return candle_nn::ops::softmax(x, D::Minus1);
    }
    if !x.device().is_cpu() || x.dtype() != candle_core::DType::F32 {
        return candle_nn::ops::softmax_last_dim(x);
    }
    x.contiguous()?.apply_op1_no_bwd(&FastSoftmax)
}

/// GELU (tanh form) by [`FastGelu`] where it can run, else candle's.
pub fn gelu(x: &Tensor) -> Result<Tensor> {
    if recording(&[x]) || !x.device().is_cpu() || x.dtype() != candle_core::DType::F32 {
        return x.gelu();
    }
    x.contiguous()?.apply_op1_no_bwd(&FastGelu)
}

/// Two-layer MLP with a tanh-GELU.
#[derive(Debug, Clone)]
pub struct Mlp {
    fc1: Linear,
    fc2: Linear,
}

impl Mlp {
    pub fn new(dim: usize, hidden: usize, vb: VarBuilder) -> Result<Self> {
        Ok(Self { fc1: Linear::new(dim, hidden, vb.pp("fc1"))?, fc2: Linear::new(hidden, dim, vb.pp("fc2"))? })
    }
}

impl Module for Mlp {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        self.fc2.forward(&gelu(&self.fc1.forward(x)?)?)
    }
}

/// A DiT block (Peebles & Xie, 2023) whose adaLN-zero shift, scale and gate come from the
/// conditioning vector of each token's time slab, so frames at different noise levels in one
/// sequence (a clean context beside a noisy chunk, Diffusion Forcing's per-frame levels) are
/// each modulated by their own level.
#[derive(Debug, Clone)]
pub struct DitBlock {
    modulation: Linear,
    attn: Attention,
    mlp: Mlp,
    span: tracing::Span,
}

impl DitBlock {
    pub fn new(dim: usize, num_heads: usize, mlp_ratio: usize, vb: VarBuilder) -> Result<Self> {
        Ok(Self {
            modulation: Linear::zeros(dim, 6 * dim, vb.pp("adaLN_modulation.1"))?,
            attn: Attention::new(dim, num_heads, vb.pp("attn"))?,
            mlp: Mlp::new(dim, mlp_ratio * dim, vb.pp("mlp"))?,
            span: tracing::trace_span!("dit-block"),
        })
    }

    /// x: (B, S·P, C), c: (B, S, C) -> (B, S·P, C) and the tokens' keys and values.
    pub fn forward(
        &self,
        x: &Tensor,
        c: &Tensor,
        rope: &Rope,
        past: Option<&KeyValue>,
        mask: Option<&Tensor>,
    ) -> Result<(Tensor, KeyValue)> {
        let _enter = self.span.enter();
        let m = self.modulation.forward(&c.silu()?)?.chunk(6, D::Minus1)?;
        let h = modulate(&layer_norm(x, 1e-6)?, &m[0], &m[1])?;
        let (attn, kv) = self.attn.forward(&h, rope, past, mask)?;
        let x = (x + gated(&attn, &m[2])?)?;
        let h = modulate(&layer_norm(&x, 1e-6)?, &m[3], &m[4])?;
        let x = (&x + gated(&self.mlp.forward(&h)?, &m[5])?)?;
        Ok((x, kv))
    }
}

/// adaLN-modulated norm and a zero-initialised projection back to patch values.
#[derive(Debug, Clone)]
pub struct FinalLayer {
    modulation: Linear,
    linear: Linear,
}

impl FinalLayer {
    pub fn new(dim: usize, out: usize, vb: VarBuilder) -> Result<Self> {
        Ok(Self {
            modulation: Linear::zeros(dim, 2 * dim, vb.pp("adaLN_modulation.1"))?,
            linear: Linear::zeros(dim, out, vb.pp("linear"))?,
        })
    }

    /// x: (B, S·P, C), c: (B, S, C) -> (B, S·P, out)
    pub fn forward(&self, x: &Tensor, c: &Tensor) -> Result<Tensor> {
        let m = self.modulation.forward(&c.silu()?)?.chunk(2, D::Minus1)?;
        self.linear.forward(&modulate(&layer_norm(x, 1e-6)?, &m[0], &m[1])?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;

    /// The vectorised GELU is candle's to float rounding, over the range activations take and
    /// far beyond it; NaN stays NaN (the generator's check must still see it).
    #[test]
    fn fast_gelu_is_candles_gelu() -> Result<()> {
        let mut xs: Vec<f32> = (-20_000..=20_000).map(|i| i as f32 * 1e-3).collect();
        xs.extend([-1e4, -80.0, 80.0, 1e4, 1e-30, -1e-30, 0.0]);
        let x = Tensor::new(xs.as_slice(), &Device::Cpu)?;
        let want = x.gelu()?.to_vec1::<f32>()?;
        let got = gelu(&x)?.to_vec1::<f32>()?;
        for ((a, b), x) in got.iter().zip(&want).zip(&xs) {
            assert!((a - b).abs() <= 2e-6 * b.abs().max(1.0), "gelu({x}): {a} against candle's {b}");
        }
        let nan = gelu(&Tensor::new(&[f32::NAN], &Device::Cpu)?)?.to_vec1::<f32>()?;
        assert!(nan[0].is_nan());
        Ok(())
    }

    /// The vectorised softmax is candle's to float rounding, on rows of attention-like scores
    /// (spread, peaked, masked far below the rest); a NaN spoils its row only.
    #[test]
    fn fast_softmax_is_candles_softmax() -> Result<()> {
        let dev = Device::Cpu;
        // Scores of spread 4, 0.4 and 120 (one row then peaks hard on its largest).
        let spread = Tensor::new(&[1f32, 0.1, 30.0], &dev)?.reshape((3, 1, 1, 1))?;
        let x = Tensor::randn(0f32, 4.0, (3, 5, 7, 300), &dev)?.broadcast_mul(&spread)?;
        let masked = Tensor::cat(&[x.narrow(3, 0, 200)?, (x.narrow(3, 200, 100)? - 1e9)?], 3)?;
        for x in [x, masked] {
            let want = candle_nn::ops::softmax_last_dim(&x)?.flatten_all()?.to_vec1::<f32>()?;
            let got = softmax_last_dim(&x)?.flatten_all()?.to_vec1::<f32>()?;
            let worst = got.iter().zip(&want).map(|(a, b)| (a - b).abs() / b.abs().max(1e-6)).fold(0f32, f32::max);
            let abs = got.iter().zip(&want).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
            assert!(abs < 1e-6 || worst < 1e-5, "softmax off by {abs} (relative {worst})");
        }
        let row = Tensor::new(&[[1f32, f32::NAN, 2.0], [1.0, 2.0, 3.0]], &dev)?;
        let out = softmax_last_dim(&row)?.to_vec2::<f32>()?;
        assert!(out[0].iter().all(|v| v.is_nan()), "{out:?}");
        assert!(out[1].iter().all(|v| v.is_finite()) && (out[1].iter().sum::<f32>() - 1.0).abs() < 1e-6);
        Ok(())
    }
}
