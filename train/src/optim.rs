//! AdamW with a state that can be saved and restored, and initial weights drawn from a seed.
//!
//! candle-nn's `AdamW` keeps its moment estimates and step count in private fields, so a
//! checkpoint cannot hold them and a resumed run restarts the optimizer cold (a few hundred
//! noisy steps, and a run that is not the same as one never interrupted). This is the same update
//! as candle-nn 0.11's (Loshchilov & Hutter, 2019, "Decoupled Weight Decay Regularization"), with
//! the moments kept by parameter name so they can be written next to the weights.

use candle_core::backprop::GradStore;
use candle_core::{DType, Device, Result, Shape, Tensor, Var};
use candle_nn::var_builder::SimpleBackend;
use candle_nn::{Init, ParamsAdamW, VarBuilder, VarMap};
use std::collections::{BTreeMap, HashMap};

struct Slot {
    name: String,
    var: Var,
    m: Var,
    v: Var,
}

/// The learning rate at `step` of `steps`: a linear warm-up over `warmup` steps to `lr`, then
/// half a cosine down to `min_lr` at the last step.
pub fn warmup_cosine(step: usize, steps: usize, warmup: usize, lr: f64, min_lr: f64) -> f64 {
    if step < warmup {
        return lr * (step + 1) as f64 / warmup as f64;
    }
    let span = steps.saturating_sub(warmup).max(1) as f64;
    let u = ((step - warmup) as f64 / span).min(1.0);
    min_lr + 0.5 * (lr - min_lr) * (1.0 + (std::f64::consts::PI * u).cos())
}

pub struct AdamW {
    slots: Vec<Slot>,
    step_t: usize,
    params: ParamsAdamW,
}

impl AdamW {
    /// An optimizer over named variables, with zero moments.
    pub fn new(vars: Vec<(String, Var)>, params: ParamsAdamW) -> Result<Self> {
        let slots = vars
            .into_iter()
            .filter(|(_, var)| var.dtype().is_float())
            .map(|(name, var)| {
                let m = Var::zeros(var.shape(), var.dtype(), var.device())?;
                let v = Var::zeros(var.shape(), var.dtype(), var.device())?;
                Ok(Slot { name, var, m, v })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self { slots, step_t: 0, params })
    }

    pub fn set_learning_rate(&mut self, lr: f64) {
        self.params.lr = lr;
    }

    pub fn set_weight_decay(&mut self, weight_decay: f64) {
        self.params.weight_decay = weight_decay;
    }

    /// Updates taken so far (drives the bias correction).
    pub fn step_count(&self) -> usize {
        self.step_t
    }

    pub fn backward_step(&mut self, loss: &Tensor) -> Result<()> {
        let grads = loss.backward()?;
        self.step(&grads)
    }

    pub fn step(&mut self, grads: &GradStore) -> Result<()> {
        self.step_t += 1;
        let p = &self.params;
        let (b1, b2) = (p.beta1, p.beta2);
        let scale_m = 1.0 / (1.0 - b1.powi(self.step_t as i32));
        let scale_v = 1.0 / (1.0 - b2.powi(self.step_t as i32));
        for s in &self.slots {
            let Some(g) = grads.get(s.var.as_tensor()) else { continue };
            let m = ((s.m.as_tensor() * b1)? + (g * (1.0 - b1))?)?;
            let v = ((s.v.as_tensor() * b2)? + (g.sqr()? * (1.0 - b2))?)?;
            let update = ((&m * scale_m)? / ((&v * scale_v)?.sqrt()? + p.eps)?)?;
            let theta = ((s.var.as_tensor() * (1.0 - p.lr * p.weight_decay))? - (update * p.lr)?)?;
            s.m.set(&m)?;
            s.v.set(&v)?;
            s.var.set(&theta)?;
        }
        Ok(())
    }

    /// The moments as tensors named `m.<param>` and `v.<param>`, for a checkpoint.
    pub fn moments(&self) -> BTreeMap<String, Tensor> {
        let mut out = BTreeMap::new();
        for s in &self.slots {
            out.insert(format!("m.{}", s.name), s.m.as_tensor().detach());
            out.insert(format!("v.{}", s.name), s.v.as_tensor().detach());
        }
        out
    }

    /// The shapes [`AdamW::moments`] has, for checking a saved state before reading it.
    pub fn moment_shapes(&self) -> BTreeMap<String, Vec<usize>> {
        self.moments().into_iter().map(|(k, v)| (k, v.dims().to_vec())).collect()
    }

    /// Restores what [`AdamW::moments`] and [`AdamW::step_count`] saved. Every parameter's
    /// moments must be there with its shape.
    pub fn restore(&mut self, moments: &HashMap<String, Tensor>, step_t: usize) -> Result<()> {
        for s in &self.slots {
            for (key, var) in [(format!("m.{}", s.name), &s.m), (format!("v.{}", s.name), &s.v)] {
                let t = moments
                    .get(&key)
                    .ok_or_else(|| candle_core::Error::Msg(format!("optimizer state has no `{key}`")))?;
                if t.dims() != var.dims() {
                    candle_core::bail!("optimizer state `{key}` is {:?}, the parameter is {:?}", t.dims(), var.dims());
                }
                var.set(&t.to_dtype(var.dtype())?.to_device(var.device())?)?;
            }
        }
        self.step_t = step_t;
        Ok(())
    }
}

/// A [`VarBuilder`](candle_nn::VarBuilder) over `vars` whose new variables are drawn from
/// `seed` (and their name), not from candle's CPU generator, which cannot be seeded: the same
/// seed gives the same initial weights, so a training run is reproducible from its first step.
pub fn seeded_var_builder(vars: &VarMap, seed: u64, device: &Device) -> VarBuilder<'static> {
    let backend = SeededInit { vars: vars.clone(), seed };
    VarBuilder::from_backend(Box::new(backend), DType::F32, device.clone())
}

struct SeededInit {
    vars: VarMap,
    seed: u64,
}

impl SeededInit {
    fn draw(&self, shape: &Shape, name: &str, init: Init, dev: &Device) -> Result<Tensor> {
        // FNV-1a of the name: the order in which layers ask for weights does not matter.
        let h = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3));
        let mut rng = fastrand::Rng::with_seed(self.seed ^ h);
        let n = shape.elem_count();
        let values: Vec<f32> = match init {
            Init::Const(c) => vec![c as f32; n],
            Init::Uniform { lo, up } => (0..n).map(|_| (lo + (up - lo) * rng.f64()) as f32).collect(),
            Init::Randn { mean, stdev } => (0..n)
                .map(|_| {
                    // Box–Muller.
                    let (u, v) = (1.0 - rng.f64(), rng.f64());
                    (mean + stdev * (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()) as f32
                })
                .collect(),
            other => candle_core::bail!("seeded initialisation does not support {other:?} (for `{name}`)"),
        };
        Tensor::from_vec(values, shape.clone(), dev)
    }
}

impl SimpleBackend for SeededInit {
    fn get(&self, s: Shape, name: &str, init: Init, dtype: DType, dev: &Device) -> Result<Tensor> {
        let mut data = self.vars.data().lock().map_err(|_| candle_core::Error::Msg("var map lock poisoned".into()))?;
        if let Some(var) = data.get(name) {
            let t = var.as_tensor();
            if t.shape() != &s {
                candle_core::bail!("`{name}` is {:?}, asked for {s:?}", t.shape());
            }
            return t.to_dtype(dtype);
        }
        let var = Var::from_tensor(&self.draw(&s, name, init, dev)?.to_dtype(dtype)?)?;
        let t = var.as_tensor().clone();
        data.insert(name.to_string(), var);
        Ok(t)
    }

    fn get_unchecked(&self, name: &str, dtype: DType, _dev: &Device) -> Result<Tensor> {
        let data = self.vars.data().lock().map_err(|_| candle_core::Error::Msg("var map lock poisoned".into()))?;
        match data.get(name) {
            Some(var) => var.as_tensor().to_dtype(dtype),
            None => candle_core::bail!("no variable `{name}`"),
        }
    }

    fn contains_tensor(&self, name: &str) -> bool {
        self.vars.data().lock().is_ok_and(|d| d.contains_key(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_warms_up_then_falls_to_its_floor() {
        let at = |step| warmup_cosine(step, 100, 10, 1e-3, 1e-5);
        assert!((at(0) - 1e-4).abs() < 1e-12 && (at(9) - 1e-3).abs() < 1e-12, "{} {}", at(0), at(9));
        let after: Vec<f64> = (10..=120).map(at).collect();
        assert!(after.windows(2).all(|w| w[1] <= w[0]), "not falling after the warm-up");
        assert!((at(55) - (1e-5 + 0.5 * (1e-3 - 1e-5))).abs() < 1e-12, "halfway: {}", at(55));
        assert!((at(100) - 1e-5).abs() < 1e-12 && at(120) == at(100), "the floor: {}", at(100));
    }

    /// Same update as candle's AdamW: a few steps on a quadratic agree to float precision.
    #[test]
    fn matches_candle_adamw() -> Result<()> {
        use candle_nn::Optimizer;
        let dev = Device::Cpu;
        let init = Tensor::new(&[1.5f32, -2.0, 0.3], &dev)?;
        let a = Var::from_tensor(&init)?;
        let b = Var::from_tensor(&init)?;
        let params = ParamsAdamW { lr: 0.05, weight_decay: 0.01, ..Default::default() };
        let mut ours = AdamW::new(vec![("w".to_string(), a.clone())], params.clone())?;
        let mut theirs = candle_nn::AdamW::new(vec![b.clone()], params)?;
        for _ in 0..5 {
            ours.backward_step(&a.as_tensor().sqr()?.sum_all()?)?;
            theirs.backward_step(&b.as_tensor().sqr()?.sum_all()?)?;
        }
        let diff = (a.as_tensor() - b.as_tensor())?.abs()?.max_all()?.to_scalar::<f32>()?;
        assert!(diff < 1e-6, "{diff}");
        assert!(a.as_tensor().abs()?.sum_all()?.to_scalar::<f32>()? < 3.8, "no progress");
        let shapes = BTreeMap::from([("m.w".to_string(), vec![3]), ("v.w".to_string(), vec![3])]);
        assert_eq!(ours.moment_shapes(), shapes);
        Ok(())
    }
}
