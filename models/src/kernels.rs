//! Faster forward kernels for generation on the CPU, used only when nothing is recorded for a
//! backward pass ([`recording`]): candle's fused kernels have no backward pass, and ours have
//! none either. Loaded weights are plain tensors, so generation takes these and training never
//! does.

use candle_core::{CpuStorage, D, Layout, Result, Shape, Tensor};

/// Whether candle records ops on these tensors for a backward pass (a variable, or computed
/// from one): then only plain ops may be used.
pub fn recording(xs: &[&Tensor]) -> bool {
    xs.iter().any(|x| x.track_op())
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

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        let out: Vec<f32> = contiguous_f32(self.name(), storage, layout)?.iter().map(|&x| Self::gelu(x)).collect();
        Ok((CpuStorage::F32(out), layout.shape().clone()))
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

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        use rayon::prelude::*;
        let data = contiguous_f32(self.name(), storage, layout)?;
        let dim = layout.shape().dims().last().copied().unwrap_or(1).max(1);
        let mut out = vec![0f32; data.len()];
        out.par_chunks_mut(dim).zip(data.par_chunks(dim)).for_each(|(d, s)| Self::row(s, d));
        Ok((CpuStorage::F32(out), layout.shape().clone()))
    }
}

/// Softmax over the last dimension: `FastSoftmax` where it can run, candle's fused kernel on
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

/// GELU (tanh form) by `FastGelu` where it can run, else candle's.
pub fn gelu(x: &Tensor) -> Result<Tensor> {
    if recording(&[x]) || !x.device().is_cpu() || x.dtype() != candle_core::DType::F32 {
        return x.gelu();
    }
    x.contiguous()?.apply_op1_no_bwd(&FastGelu)
}

/// A stride-1 "same" convolution's unfold (im2col): every pixel's k×k neighbourhood, zero
/// outside the frame, as rows of a matrix a convolution multiplies by its weights. Our own
/// because the same unfold in candle ops (k² shifted views stacked along channels) copies
/// element by element through strided indices: at 256x192 that took 61 ms of a 77 ms 3x3
/// convolution in the autoencoder's decoder, this takes a few, copying whole rows.
struct Unfold {
    kernel: usize,
}

impl candle_core::CustomOp1 for Unfold {
    fn name(&self) -> &'static str {
        "unfold-same"
    }

    // x: (B, C, H, W) -> (B, C·k·k, H·W), channel-major as Conv2d weights are laid out.
    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        use rayon::prelude::*;
        let x = contiguous_f32("unfold", storage, layout)?;
        let (b, c, h, w) = layout.shape().dims4()?;
        let (k, hw) = (self.kernel, h * w);
        let p = k / 2;
        let mut out = vec![0f32; b * c * k * k * hw];
        // One (batch, channel) plane in, its k·k shifted copies out.
        out.par_chunks_mut(k * k * hw).zip(x.par_chunks(hw)).for_each(|(planes, src)| {
            for (j, plane) in planes.chunks_exact_mut(hw).enumerate() {
                let (dy, dx) = (j / k, j % k);
                // Output row y reads source row y + dy - p, column x reads x + dx - p.
                for y in (p.saturating_sub(dy))..(h + p).saturating_sub(dy).min(h) {
                    let row = &src[(y + dy - p) * w..][..w];
                    let out = &mut plane[y * w..][..w];
                    if dx >= p {
                        out[..w - (dx - p)].copy_from_slice(&row[dx - p..]);
                    } else {
                        out[p - dx..].copy_from_slice(&row[..w - (p - dx)]);
                    }
                }
            }
        });
        Ok((CpuStorage::F32(out), Shape::from((b, c * k * k, hw))))
    }
}

/// The unfold of a stride-1 "same" convolution with an odd `kernel`: (B, C, H, W) ->
/// (B, C·k·k, H·W), by [`Unfold`] where it can run, else by shifted views stacked along
/// channels (plain ops, with a backward pass).
pub fn unfold_same(x: &Tensor, kernel: usize) -> Result<Tensor> {
    let (_, _, h, w) = x.dims4()?;
    if !recording(&[x]) && x.device().is_cpu() && x.dtype() == candle_core::DType::F32 && kernel <= h.min(w) {
        return x.contiguous()?.apply_op1_no_bwd(&Unfold { kernel });
    }
    unfold_in_ops(x, kernel)
}

fn unfold_in_ops(x: &Tensor, kernel: usize) -> Result<Tensor> {
    let (b, c, h, w) = x.dims4()?;
    let p = kernel / 2;
    let xp = x.pad_with_zeros(2, p, p)?.pad_with_zeros(3, p, p)?;
    let mut views = Vec::with_capacity(kernel * kernel);
    for dy in 0..kernel {
        for dx in 0..kernel {
            views.push(xp.narrow(2, dy, h)?.narrow(3, dx, w)?);
        }
    }
    // (B, C, k·k, H, W) -> (B, C·k·k, H·W)
    Tensor::stack(&views, 2)?.reshape((b, c * kernel * kernel, h * w))
}

/// The values of a contiguous f32 tensor, or an error naming the kernel.
fn contiguous_f32<'a>(kernel: &str, storage: &'a CpuStorage, layout: &Layout) -> Result<&'a [f32]> {
    match (storage, layout.contiguous_offsets()) {
        (CpuStorage::F32(data), Some((start, end))) => Ok(&data[start..end]),
        _ => candle_core::bail!("{kernel} takes contiguous f32 tensors"),
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

    /// The row-copying unfold is the one in plain ops, for every kernel size a frame allows,
    /// on a frame that is not square and an input that is not contiguous.
    #[test]
    fn fast_unfold_is_the_unfold_in_plain_ops() -> Result<()> {
        let x = Tensor::randn(0f32, 1.0, (2, 3, 9, 6), &Device::Cpu)?.transpose(2, 3)?; // (2, 3, 6, 9)
        for k in [1, 3, 5] {
            let want = unfold_in_ops(&x, k)?;
            let got = unfold_same(&x, k)?;
            assert_eq!(got.dims(), &[2, 3 * k * k, 54]);
            let diff = (got - want)?.abs()?.max_all()?.to_scalar::<f32>()?;
            assert_eq!(diff, 0.0, "kernel {k}");
        }
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
