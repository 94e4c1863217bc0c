//! The transformer block with adaLN-zero modulation per time slab, its attention over the
//! chunk and a cached context, and the final layer.
//!
//! Everything here trains: norms, softmax and rotary embedding are written with plain tensor
//! ops, because candle's fused `layer_norm`, `rms_norm`, `softmax_last_dim` and `rope` have no
//! backward pass and a layer built on one would silently never learn. The fused kernels (and
//! ours, in [`crate::kernels`]) are used only when nothing is recorded for a backward pass
//! ([`recording`]): loaded weights are plain tensors, so generation gets the faster forms and
//! training never does.

use super::embedding::Rope;
use super::linear::Linear;
use crate::kernels::{gelu, recording, softmax_last_dim};
use candle_core::{D, Module, Result, Tensor};
use candle_nn::{Init, VarBuilder};

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
