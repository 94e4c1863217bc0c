//! What goes into the token stream: spacetime patches of the latent video and of the
//! conditioning maps, the per-frame noise level and step size, and the rotary positions.

use super::config::Config;
use super::linear::Linear;
use candle_core::{D, DType, Device, Module, Result, Tensor};
use candle_nn::VarBuilder;

/// Cuts a video into spacetime patches, one token per `pt × ph × pw` cube.
///
/// x: (B, T, C, H, W) -> (B, S·Hp·Wp, pt·ph·pw·C) with S = T/pt, Hp = H/ph, Wp = W/pw; tokens
/// run time-major (slab, row, column) and each token's values in (dt, dy, dx, c) order.
pub fn patchify(x: &Tensor, (pt, ph, pw): (usize, usize, usize)) -> Result<Tensor> {
    let (b, t, c, h, w) = x.dims5()?;
    if t % pt != 0 || h % ph != 0 || w % pw != 0 {
        candle_core::bail!("patchify: {t} frames of {w}×{h} do not divide into {pt}×{pw}×{ph} patches");
    }
    let (s, hp, wp) = (t / pt, h / ph, w / pw);
    // (B, S, pt, C, Hp, ph, Wp, pw) -> (B, S, Hp, Wp, pt, ph, pw, C)
    x.reshape(vec![b, s, pt, c, hp, ph, wp, pw])?.permute(vec![0, 1, 4, 6, 2, 5, 7, 3])?.reshape((
        b,
        s * hp * wp,
        pt * ph * pw * c,
    ))
}

/// The inverse of [`patchify`]: tokens (B, S·Hp·Wp, pt·ph·pw·C) -> video (B, S·pt, C, Hp·ph, Wp·pw).
pub fn unpatchify(
    tokens: &Tensor,
    (pt, ph, pw): (usize, usize, usize),
    (s, hp, wp): (usize, usize, usize),
) -> Result<Tensor> {
    let (b, n, k) = tokens.dims3()?;
    if n != s * hp * wp || k % (pt * ph * pw) != 0 {
        candle_core::bail!(
            "unpatchify: {n} tokens of {k} values are not a {s}×{hp}×{wp} grid of {pt}×{ph}×{pw} patches"
        );
    }
    let c = k / (pt * ph * pw);
    // (B, S, Hp, Wp, pt, ph, pw, C) -> (B, S, pt, C, Hp, ph, Wp, pw)
    tokens.reshape(vec![b, s, hp, wp, pt, ph, pw, c])?.permute(vec![0, 1, 4, 7, 2, 5, 3, 6])?.reshape((
        b,
        s * pt,
        c,
        hp * ph,
        wp * pw,
    ))
}

/// Sinusoidal features of a scalar in [0, 1] (scaled by 1000, the range of the classic
/// diffusion timesteps the frequencies were chosen for).
///
/// t: (...) -> (..., size)
pub fn sinusoidal(t: &Tensor, size: usize) -> Result<Tensor> {
    let half = size / 2;
    let freqs: Vec<f32> = (0..half).map(|i| (-(10_000f64.ln()) * i as f64 / half as f64).exp() as f32).collect();
    let freqs = Tensor::from_vec(freqs, half, t.device())?;
    let args = (t.to_dtype(DType::F32)? * 1000.0)?.unsqueeze(D::Minus1)?.broadcast_mul(&freqs)?;
    Tensor::cat(&[args.cos()?, args.sin()?], D::Minus1)
}

/// A scalar (noise level or step size) -> a `hidden_size` vector: sinusoids then a 2-layer MLP,
/// as in DiT (Peebles & Xie, 2023).
#[derive(Debug, Clone)]
pub struct ScalarEmbedder {
    fc1: Linear,
    fc2: Linear,
    frequency_size: usize,
}

impl ScalarEmbedder {
    pub fn new(frequency_size: usize, hidden: usize, vb: VarBuilder) -> Result<Self> {
        Ok(Self {
            fc1: Linear::new(frequency_size, hidden, vb.pp("mlp.0"))?,
            fc2: Linear::new(hidden, hidden, vb.pp("mlp.2"))?,
            frequency_size,
        })
    }
}

impl Module for ScalarEmbedder {
    // t: (...) -> (..., hidden)
    fn forward(&self, t: &Tensor) -> Result<Tensor> {
        let f = sinusoidal(t, self.frequency_size)?;
        self.fc2.forward(&self.fc1.forward(&f)?.silu()?)
    }
}

/// Latent patches and conditioning patches -> tokens. The conditioning goes through a small
/// MLP and is added, token by token: the maps are already aligned with the latent grid, so
/// every token is told what should be drawn where it sits.
#[derive(Debug, Clone)]
pub struct TokenEmbedder {
    x_proj: Linear,
    cond_fc1: Linear,
    cond_fc2: Linear,
    patch: (usize, usize, usize),
}

impl TokenEmbedder {
    pub fn new(cfg: &Config, vb: VarBuilder) -> Result<Self> {
        let d = cfg.hidden_size;
        Ok(Self {
            x_proj: Linear::new(cfg.patch_dim(), d, vb.pp("x_embed"))?,
            cond_fc1: Linear::new(cfg.cond_patch_dim(), d, vb.pp("cond_embed.0"))?,
            cond_fc2: Linear::new(d, d, vb.pp("cond_embed.2"))?,
            patch: (cfg.patch_t, cfg.patch_h, cfg.patch_w),
        })
    }

    // x: (B, T, C, H, W), cond: (B, T, Cc, H, W) -> (B, N, hidden)
    pub fn forward(&self, x: &Tensor, cond: &Tensor) -> Result<Tensor> {
        let x = self.x_proj.forward(&patchify(x, self.patch)?)?;
        let c = self.cond_fc2.forward(&self.cond_fc1.forward(&patchify(cond, self.patch)?)?.silu()?)?;
        x + c
    }
}

/// Rotary position tables for a set of tokens: `cos` and `sin`, each (N, head_dim/2).
///
/// RoPE (Su et al., 2021, "RoFormer") over three axes, as in video DiTs since: the head
/// dimension is split between time, rows and columns ([`Config::rope_dims`]), and pair `i`
/// of a head (values `i` and `i + head_dim/2`) turns by its axis position times its frequency.
/// Attention then depends only on position differences, so a context carried from chunk to
/// chunk needs no re-encoding, and other chunk lengths and sizes use the same weights.
#[derive(Debug, Clone)]
pub struct Rope {
    pub cos: Tensor,
    pub sin: Tensor,
}

impl Rope {
    /// Tables for `slabs` (time positions, in units of `patch_t` frames; context slabs are
    /// negative) × an `hp × wp` token grid, in token order.
    pub fn new(cfg: &Config, slabs: &[f32], (hp, wp): (usize, usize), device: &Device) -> Result<Self> {
        let axis_freqs = |dim: usize| -> Vec<f32> {
            (0..dim / 2).map(|j| cfg.rope_theta.powf(-2.0 * j as f64 / dim as f64) as f32).collect()
        };
        let [ft, fy, fx] = cfg.rope_dims.map(axis_freqs);
        // Position interpolation: the trained grid spans the same positions at any size.
        let sy = (cfg.latent_height / cfg.patch_h) as f32 / hp as f32;
        let sx = (cfg.latent_width / cfg.patch_w) as f32 / wp as f32;
        let half = cfg.head_dim() / 2;
        let n = slabs.len() * hp * wp;
        let mut angles = Vec::with_capacity(n * half);
        for &t in slabs {
            for y in 0..hp {
                let py = (y as f32 + 0.5) * sy - 0.5;
                for x in 0..wp {
                    let px = (x as f32 + 0.5) * sx - 0.5;
                    angles.extend(ft.iter().map(|f| t * f));
                    angles.extend(fy.iter().map(|f| py * f));
                    angles.extend(fx.iter().map(|f| px * f));
                }
            }
        }
        let cos: Vec<f32> = angles.iter().map(|a| a.cos()).collect();
        let sin: Vec<f32> = angles.iter().map(|a| a.sin()).collect();
        Ok(Self { cos: Tensor::from_vec(cos, (n, half), device)?, sin: Tensor::from_vec(sin, (n, half), device)? })
    }

    /// The tables of these tokens followed by those of `other`.
    pub fn cat(&self, other: &Rope) -> Result<Rope> {
        Ok(Rope { cos: Tensor::cat(&[&self.cos, &other.cos], 0)?, sin: Tensor::cat(&[&self.sin, &other.sin], 0)? })
    }

    /// Rotates queries or keys. Written with plain ops (candle's fused `rope`, the same
    /// rotation, has no backward; it is used when nothing is recorded for one).
    ///
    /// x: (B, H, N, head_dim) -> (B, H, N, head_dim)
    pub fn apply(&self, x: &Tensor) -> Result<Tensor> {
        let (cos, sin) = (self.cos.to_dtype(x.dtype())?, self.sin.to_dtype(x.dtype())?);
        if !crate::kernels::recording(&[x]) {
            return candle_nn::rotary_emb::rope(&x.contiguous()?, &cos, &sin);
        }
        let half = x.dim(D::Minus1)? / 2;
        let (x1, x2) = (x.narrow(D::Minus1, 0, half)?, x.narrow(D::Minus1, half, half)?);
        let r1 = (x1.broadcast_mul(&cos)? - x2.broadcast_mul(&sin)?)?;
        let r2 = (x1.broadcast_mul(&sin)? + x2.broadcast_mul(&cos)?)?;
        Tensor::cat(&[r1, r2], D::Minus1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Patchify then unpatchify gives back the same video, for several sizes, chunk lengths
    /// and patch shapes; and one token holds exactly the cube it should.
    #[test]
    fn patchify_round_trips() -> Result<()> {
        let dev = Device::Cpu;
        for (patch, (t, c, h, w)) in [
            ((2, 2, 2), (8, 16, 12, 16)),
            ((2, 2, 2), (4, 16, 24, 32)),
            ((2, 2, 2), (12, 3, 6, 10)),
            ((1, 2, 2), (3, 5, 12, 16)),
            ((1, 1, 1), (1, 2, 3, 5)),
            ((4, 3, 1), (8, 2, 9, 7)),
        ] {
            let n = 2 * t * c * h * w;
            let x = Tensor::arange(0f32, n as f32, &dev)?.reshape((2, t, c, h, w))?;
            let tokens = patchify(&x, patch)?;
            let (pt, ph, pw) = patch;
            let grid = (t / pt, h / ph, w / pw);
            assert_eq!(tokens.dims(), &[2, grid.0 * grid.1 * grid.2, pt * ph * pw * c]);
            let back = unpatchify(&tokens, patch, grid)?;
            assert_eq!(back.dims(), x.dims());
            let diff = (back - &x)?.abs()?.max_all()?.to_scalar::<f32>()?;
            assert_eq!(diff, 0.0, "round trip of {t}×{c}×{h}×{w} with patch {patch:?}");
            // The last token of the first batch item: its first value is frame T-pt, channel 0,
            // the top-left cell of the bottom-right patch.
            let last = tokens.get(0)?.get(grid.0 * grid.1 * grid.2 - 1)?.get(0)?.to_scalar::<f32>()?;
            let want = x.get(0)?.get(t - pt)?.get(0)?.get(h - ph)?.get(w - pw)?.to_scalar::<f32>()?;
            assert_eq!(last, want);
        }
        let x = Tensor::zeros((1, 3, 2, 4, 4), DType::F32, &dev)?;
        assert!(patchify(&x, (2, 2, 2)).is_err(), "3 frames cannot be cut into pairs");
        Ok(())
    }

    /// Rotating queries and keys by their positions makes their dot product depend only on
    /// the difference of positions: moving both by the same time offset changes nothing.
    #[test]
    fn rope_scores_depend_on_relative_time_only() -> Result<()> {
        let cfg = Config::tiny();
        let dev = Device::Cpu;
        let hd = cfg.head_dim();
        let q = Tensor::randn(0f32, 1.0, (1, 1, 1, hd), &dev)?;
        let k = Tensor::randn(0f32, 1.0, (1, 1, 1, hd), &dev)?;
        let score = |tq: f32, tk: f32| -> Result<f32> {
            let rq = Rope::new(&cfg, &[tq], (1, 1), &dev)?;
            let rk = Rope::new(&cfg, &[tk], (1, 1), &dev)?;
            rq.apply(&q)?.matmul(&rk.apply(&k)?.t()?)?.flatten_all()?.get(0)?.to_scalar::<f32>()
        };
        let (a, b) = (score(0.0, -2.0)?, score(5.0, 3.0)?);
        assert!((a - b).abs() < 1e-4, "{a} vs {b}");
        assert!((score(0.0, -2.0)? - score(0.0, -1.0)?).abs() > 1e-4, "different offsets should differ");
        Ok(())
    }
}
