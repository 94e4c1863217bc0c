//! The network: [`Dit`], the velocity predictor over a chunk of latent frames, and the
//! [`ContextCache`] that carries the previous frames from chunk to chunk.

use super::blocks::{DitBlock, FinalLayer, KeyValue};
use super::config::Config;
use super::embedding::{Rope, ScalarEmbedder, TokenEmbedder, unpatchify};
use candle_core::{DType, Device, Module, Result, Tensor};
use candle_nn::VarBuilder;

/// Keys and values of the context frames in every block, computed once per chunk by
/// [`Dit::context`] and read by every denoising step of the chunk.
#[derive(Debug, Clone)]
pub struct ContextCache {
    /// One per block: each (B, H, Nc, head_dim).
    layers: Vec<KeyValue>,
    /// Context frames (a multiple of `patch_t`).
    frames: usize,
    /// Token grid of one slab (rows, columns).
    grid: (usize, usize),
    batch: usize,
}

impl ContextCache {
    pub fn frames(&self) -> usize {
        self.frames
    }

    pub fn batch(&self) -> usize {
        self.batch
    }
}

/// The diffusion transformer: predicts the rectified-flow velocity `noise - clean` of every
/// latent frame of a chunk, given the chunk at its noise levels, the conditioning map of each
/// frame, the step size it will be used for (shortcut models) and, optionally, the cached
/// context of the frames before it.
#[derive(Debug, Clone)]
pub struct Dit {
    cfg: Config,
    tokens: TokenEmbedder,
    t_embed: ScalarEmbedder,
    d_embed: ScalarEmbedder,
    blocks: Vec<DitBlock>,
    final_layer: FinalLayer,
    span: tracing::Span,
}

/// Sizes of one input, derived and checked against the config.
struct Grid {
    batch: usize,
    frames: usize,
    slabs: usize,
    hp: usize,
    wp: usize,
}

impl Dit {
    pub fn new(cfg: &Config, vb: VarBuilder) -> Result<Self> {
        if let Err(e) = cfg.validate() {
            candle_core::bail!("invalid DiT config: {e}");
        }
        let d = cfg.hidden_size;
        let blocks = (0..cfg.depth)
            .map(|i| DitBlock::new(d, cfg.num_heads, cfg.mlp_ratio, vb.pp(format!("blocks.{i}"))))
            .collect::<Result<_>>()?;
        Ok(Self {
            cfg: cfg.clone(),
            tokens: TokenEmbedder::new(cfg, vb.clone())?,
            t_embed: ScalarEmbedder::new(cfg.frequency_size, d, vb.pp("t_embedder"))?,
            d_embed: ScalarEmbedder::new(cfg.frequency_size, d, vb.pp("d_embedder"))?,
            blocks,
            final_layer: FinalLayer::new(d, cfg.patch_dim(), vb.pp("final_layer"))?,
            span: tracing::debug_span!("dit"),
        })
    }

    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// Checks a (latents, conditioning, noise levels) triple and returns its token grid.
    fn grid(&self, x: &Tensor, cond: &Tensor, t: &Tensor) -> Result<Grid> {
        let c = &self.cfg;
        let (b, f, ch, h, w) = x.dims5()?;
        if ch != c.latent_channels {
            candle_core::bail!("latents have {ch} channels, the DiT expects {}", c.latent_channels);
        }
        let (cb, cf, cc, chh, cw) = cond.dims5()?;
        if (cb, cf, chh, cw) != (b, f, h, w) || cc != c.cond_channels {
            candle_core::bail!(
                "conditioning is {:?}, expected ({b}, {f}, {}, {h}, {w}) beside latents {:?}",
                cond.dims(),
                c.cond_channels,
                x.dims()
            );
        }
        if t.dims() != [b, f] {
            candle_core::bail!("noise levels are {:?}, expected one per frame ({b}, {f})", t.dims());
        }
        if f % c.patch_t != 0 || h % c.patch_h != 0 || w % c.patch_w != 0 {
            candle_core::bail!(
                "{f} frames of {w}×{h} latents do not divide into {}×{}×{} patches",
                c.patch_t,
                c.patch_w,
                c.patch_h
            );
        }
        Ok(Grid { batch: b, frames: f, slabs: f / c.patch_t, hp: h / c.patch_h, wp: w / c.patch_w })
    }

    /// The conditioning vector of each time slab: the mean over the slab's frames of their
    /// noise-level embeddings, plus the step-size embedding.
    ///
    /// t: (B, T), d: (B,) -> (B, S, C)
    fn slab_conditioning(&self, t: &Tensor, d: &Tensor, slabs: usize) -> Result<Tensor> {
        let (b, _) = t.dims2()?;
        let pt = self.cfg.patch_t;
        let te = self.t_embed.forward(&t.to_dtype(DType::F32)?)?; // (B, T, C)
        let te = te.reshape((b, slabs, pt, ()))?.mean(2)?;
        let de = self.d_embed.forward(&d.to_dtype(DType::F32)?)?.unsqueeze(1)?; // (B, 1, C)
        te.broadcast_add(&de)
    }

    /// Time positions (in slabs) of `slabs` slabs starting at `first`.
    fn slab_positions(first: i64, slabs: usize) -> Vec<f32> {
        (0..slabs as i64).map(|s| (first + s) as f32).collect()
    }

    /// Runs the context frames through every block, attending only among themselves, and
    /// keeps their keys and values. Their time positions are just before the chunk's (the
    /// last context slab at -1), so the cache belongs to the chunk that follows it.
    ///
    /// latents: (B, Tc, C, H, W), cond: (B, Tc, Cc, H, W), t: (B, Tc) noise levels of the
    /// context frames (0 = clean; a little noise hides the model's own artefacts).
    pub fn context(&self, latents: &Tensor, cond: &Tensor, t: &Tensor) -> Result<ContextCache> {
        let _enter = self.span.enter();
        let g = self.grid(latents, cond, t)?;
        let zero = Tensor::zeros(g.batch, DType::F32, latents.device())?;
        let c = self.slab_conditioning(t, &zero, g.slabs)?;
        let rope =
            Rope::new(&self.cfg, &Self::slab_positions(-(g.slabs as i64), g.slabs), (g.hp, g.wp), latents.device())?;
        let mut x = self.tokens.forward(latents, cond)?;
        let mut layers = Vec::with_capacity(self.blocks.len());
        for block in &self.blocks {
            let (next, kv) = block.forward(&x, &c, &rope, None, None)?;
            x = next;
            layers.push(kv);
        }
        Ok(ContextCache { layers, frames: g.frames, grid: (g.hp, g.wp), batch: g.batch })
    }

    /// Predicts the velocity of every frame of a chunk.
    ///
    /// x: (B, T, C, H, W) noisy latents, cond: (B, T, Cc, H, W), t: (B, T) noise level of each
    /// frame (1 = pure noise), d: (B,) step size the prediction is for (0 = the instantaneous
    /// flow), context: keys and values of the frames before the chunk -> v: (B, T, C, H, W).
    pub fn forward(
        &self,
        x: &Tensor,
        cond: &Tensor,
        t: &Tensor,
        d: &Tensor,
        context: Option<&ContextCache>,
    ) -> Result<Tensor> {
        let _enter = self.span.enter();
        let g = self.grid(x, cond, t)?;
        if let Some(ctx) = context
            && (ctx.grid != (g.hp, g.wp) || ctx.batch != g.batch)
        {
            candle_core::bail!(
                "the context is {} items of a {:?} token grid, the chunk {} of {:?}",
                ctx.batch,
                ctx.grid,
                g.batch,
                (g.hp, g.wp)
            );
        }
        let c = self.slab_conditioning(t, d, g.slabs)?;
        let rope = Rope::new(&self.cfg, &Self::slab_positions(0, g.slabs), (g.hp, g.wp), x.device())?;
        let mut h = self.tokens.forward(x, cond)?;
        for (i, block) in self.blocks.iter().enumerate() {
            let past = context.map(|ctx| &ctx.layers[i]);
            h = block.forward(&h, &c, &rope, past, None)?.0;
        }
        let out = self.final_layer.forward(&h, &c)?;
        unpatchify(&out, (self.cfg.patch_t, self.cfg.patch_h, self.cfg.patch_w), (g.slabs, g.hp, g.wp))
    }

    /// Context and chunk in one sequence with a block-causal mask: the context tokens attend
    /// to each other, the chunk's tokens to everything. It computes exactly what
    /// [`Dit::context`] followed by [`Dit::forward`] computes, in fewer, larger matrix
    /// products (faster to train on a CPU), and also predicts the context frames' velocity
    /// at their own noise levels, so each training clip teaches both a chunk without context
    /// and a chunk with one (Diffusion Forcing's every-frame-is-a-target).
    ///
    /// ctx_*: (B, Tc, …) as in [`Dit::context`] (Tc may be 0: pass `None`); x, cond, t, d as in
    /// [`Dit::forward`] -> (velocity of the context frames (B, Tc, C, H, W) if any, velocity
    /// of the chunk (B, T, C, H, W)).
    pub fn forward_joint(
        &self,
        ctx: Option<(&Tensor, &Tensor, &Tensor)>,
        x: &Tensor,
        cond: &Tensor,
        t: &Tensor,
        d: &Tensor,
    ) -> Result<(Option<Tensor>, Tensor)> {
        let Some((cx, ccond, ct)) = ctx else {
            return Ok((None, self.forward(x, cond, t, d, None)?));
        };
        let _enter = self.span.enter();
        let g = self.grid(x, cond, t)?;
        let gc = self.grid(cx, ccond, ct)?;
        if (gc.batch, gc.hp, gc.wp) != (g.batch, g.hp, g.wp) {
            candle_core::bail!("context {:?} and chunk {:?} differ in batch or size", cx.dims(), x.dims());
        }
        let device = x.device();
        let zero = Tensor::zeros(g.batch, DType::F32, device)?;
        let c =
            Tensor::cat(&[&self.slab_conditioning(ct, &zero, gc.slabs)?, &self.slab_conditioning(t, d, g.slabs)?], 1)?;
        let positions: Vec<f32> = Self::slab_positions(-(gc.slabs as i64), gc.slabs + g.slabs);
        let rope = Rope::new(&self.cfg, &positions, (g.hp, g.wp), device)?;
        let nc = gc.slabs * g.hp * g.wp;
        let n = g.slabs * g.hp * g.wp;
        let mask = block_causal_mask(nc, n, device)?;
        let mut h = Tensor::cat(&[&self.tokens.forward(cx, ccond)?, &self.tokens.forward(x, cond)?], 1)?;
        for block in &self.blocks {
            h = block.forward(&h, &c, &rope, None, Some(&mask))?.0;
        }
        let out = self.final_layer.forward(&h, &c)?;
        let patch = (self.cfg.patch_t, self.cfg.patch_h, self.cfg.patch_w);
        let v_ctx = unpatchify(&out.narrow(1, 0, nc)?, patch, (gc.slabs, g.hp, g.wp))?;
        let v = unpatchify(&out.narrow(1, nc, n)?, patch, (g.slabs, g.hp, g.wp))?;
        Ok((Some(v_ctx), v))
    }
}

/// Additive attention bias (Nc + N, Nc + N): 0 where a query may look, a large negative
/// number where it may not (the context's queries at the chunk's keys). Finite rather than
/// -inf so no 0 · inf ever reaches the gradient.
pub fn block_causal_mask(nc: usize, n: usize, device: &Device) -> Result<Tensor> {
    let total = nc + n;
    let mut bias = vec![0f32; total * total];
    for row in bias.chunks_exact_mut(total).take(nc) {
        row[nc..].fill(-1e9);
    }
    Tensor::from_vec(bias, (total, total), device)
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Var};
    use candle_nn::VarMap;

    /// A model whose zero-initialised layers (adaLN-zero gates, output) are randomised, so
    /// that every path of the network carries signal in a test.
    pub(crate) fn random_model(cfg: &Config) -> Result<(VarMap, Dit)> {
        let vm = VarMap::new();
        let model = Dit::new(cfg, VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu))?;
        for var in vm.all_vars() {
            var.set(&Tensor::randn(0f32, 0.2, var.shape(), &Device::Cpu)?)?;
        }
        Ok((vm, model))
    }

    fn inputs(cfg: &Config, b: usize, frames: usize, h: usize, w: usize) -> Result<(Tensor, Tensor, Tensor)> {
        let dev = Device::Cpu;
        let x = Tensor::randn(0f32, 1.0, (b, frames, cfg.latent_channels, h, w), &dev)?;
        let cond = Tensor::rand(0f32, 1.0, (b, frames, cfg.cond_channels, h, w), &dev)?;
        let t = Tensor::rand(0f32, 1.0, (b, frames), &dev)?;
        Ok((x, cond, t))
    }

    fn max_diff(a: &Tensor, b: &Tensor) -> Result<f32> {
        (a - b)?.abs()?.max_all()?.to_scalar::<f32>()
    }

    /// The cached context gives the chunk the same velocity as recomputing the context with
    /// the chunk in one masked sequence, at several sizes and lengths.
    #[test]
    fn cached_context_matches_recomputing_it() -> Result<()> {
        let cfg = Config::tiny();
        let (_vm, model) = random_model(&cfg)?;
        for (b, tc, t, h, w) in [(2, 2, 4, 4, 4), (1, 4, 2, 6, 8), (1, 2, 6, 4, 6)] {
            let (cx, cc, ct) = inputs(&cfg, b, tc, h, w)?;
            let (x, cond, tt) = inputs(&cfg, b, t, h, w)?;
            let d = Tensor::full(0.25f32, b, &Device::Cpu)?;
            let cache = model.context(&cx, &cc, &ct)?;
            assert_eq!(cache.frames(), tc);
            let cached = model.forward(&x, &cond, &tt, &d, Some(&cache))?;
            let (v_ctx, joint) = model.forward_joint(Some((&cx, &cc, &ct)), &x, &cond, &tt, &d)?;
            assert_eq!(cached.dims(), x.dims());
            let diff = max_diff(&cached, &joint)?;
            let scale = joint.abs()?.mean_all()?.to_scalar::<f32>()?;
            assert!(diff < 1e-4 * scale.max(1.0), "cached and recomputed context differ by {diff} (scale {scale})");
            // The context changes the answer (the test would pass trivially otherwise) …
            let alone = model.forward(&x, &cond, &tt, &d, None)?;
            assert!(max_diff(&alone, &joint)? > 1e-3, "the context has no effect");
            // … and the context frames' own prediction is the chunk-without-context one.
            let ctx_alone = model.forward(&cx, &cc, &ct, &Tensor::zeros(b, DType::F32, &Device::Cpu)?, None)?;
            let v_ctx = v_ctx.expect("context velocity");
            assert!(max_diff(&ctx_alone, &v_ctx)? < 1e-4 * scale.max(1.0));
        }
        Ok(())
    }

    /// Generation (plain tensors, nothing recorded) takes candle's fused kernels, training the
    /// plain-op forms: both compute the same velocities.
    #[test]
    fn fused_inference_matches_the_trainable_forms() -> Result<()> {
        let cfg = Config::tiny();
        let (vm, trainable) = random_model(&cfg)?;
        let plain: std::collections::HashMap<String, Tensor> = vm
            .data()
            .lock()
            .map_err(|_| candle_core::Error::Msg("poisoned".into()))?
            .iter()
            .map(|(k, v)| (k.clone(), v.as_tensor().detach()))
            .collect();
        let fused = Dit::new(&cfg, VarBuilder::from_tensors(plain, DType::F32, &Device::Cpu))?;
        let (cx, cc, ct) = inputs(&cfg, 1, 2, 4, 6)?;
        let (x, cond, t) = inputs(&cfg, 1, 4, 4, 6)?;
        let d = Tensor::full(0.5f32, 1, &Device::Cpu)?;
        let slow = trainable.forward(&x, &cond, &t, &d, Some(&trainable.context(&cx, &cc, &ct)?))?;
        assert!(slow.track_op(), "the variables' model records for a backward pass");
        let fast = fused.forward(&x, &cond, &t, &d, Some(&fused.context(&cx, &cc, &ct)?))?;
        assert!(!fast.track_op());
        let scale = slow.abs()?.mean_all()?.to_scalar::<f32>()?;
        let diff = max_diff(&slow, &fast)?;
        assert!(diff < 1e-4 * scale.max(1.0), "fused and plain forms differ by {diff} (scale {scale})");
        Ok(())
    }

    /// Same weights, other sizes and chunk lengths; wrong shapes are errors, not panics.
    #[test]
    fn other_sizes_work_and_bad_shapes_are_errors() -> Result<()> {
        let cfg = Config::tiny();
        let (_vm, model) = random_model(&cfg)?;
        let d = Tensor::zeros(1, DType::F32, &Device::Cpu)?;
        for (t, h, w) in [(2, 4, 4), (8, 8, 12), (4, 2, 16)] {
            let (x, cond, tt) = inputs(&cfg, 1, t, h, w)?;
            let v = model.forward(&x, &cond, &tt, &d, None)?;
            assert_eq!(v.dims(), x.dims());
            assert!(v.abs()?.max_all()?.to_scalar::<f32>()?.is_finite());
        }
        let (x, cond, tt) = inputs(&cfg, 1, 3, 4, 4)?;
        assert!(model.forward(&x, &cond, &tt, &d, None).is_err(), "odd frame count with patch_t 2");
        let (x, cond, tt) = inputs(&cfg, 1, 2, 4, 4)?;
        let short = cond.narrow(2, 0, cfg.cond_channels - 1)?;
        assert!(model.forward(&x, &short, &tt, &d, None).is_err(), "wrong conditioning channels");
        let (cx, cc, ct) = inputs(&cfg, 1, 2, 6, 6)?;
        let cache = model.context(&cx, &cc, &ct)?;
        assert!(model.forward(&x, &cond, &tt, &d, Some(&cache)).is_err(), "context of another size");
        Ok(())
    }

    /// Candle's fused norms, softmax and rope silently have no backward pass; every parameter
    /// must get a non-zero gradient from a training loss through the joint (training) path.
    #[test]
    fn every_parameter_gets_a_gradient() -> Result<()> {
        let cfg = Config::tiny();
        let (vm, model) = random_model(&cfg)?;
        let (cx, cc, ct) = inputs(&cfg, 2, 2, 4, 4)?;
        let (x, cond, t) = inputs(&cfg, 2, 4, 4, 4)?;
        let d = Tensor::new(&[0f32, 0.5], &Device::Cpu)?;
        let (v_ctx, v) = model.forward_joint(Some((&cx, &cc, &ct)), &x, &cond, &t, &d)?;
        let loss = (v.sqr()?.mean_all()? + v_ctx.expect("context velocity").sqr()?.mean_all()?)?;
        let grads = loss.backward()?;
        let vars: Vec<(String, Var)> = vm
            .data()
            .lock()
            .map_err(|_| candle_core::Error::Msg("poisoned".into()))?
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        assert!(vars.len() > 30, "expected many parameters, found {}", vars.len());
        let count: usize = vars.iter().map(|(_, v)| v.elem_count()).sum();
        assert_eq!(count, cfg.parameter_count(), "Config::parameter_count is out of date");
        for (name, var) in vars {
            let g = grads.get(var.as_tensor()).unwrap_or_else(|| panic!("{name} received no gradient"));
            let norm = g.abs()?.sum_all()?.to_scalar::<f32>()?;
            assert!(norm > 0.0 && norm.is_finite(), "{name} received a zero or non-finite gradient ({norm})");
        }
        Ok(())
    }
}
