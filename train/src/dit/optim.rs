//! AdamW whose state can be saved and restored.
//!
//! Why not `candle_nn::AdamW`: its moments and step counter are private, so a resumed run
//! restarts them (the autoencoder's trainer pays a few hundred noisy steps for that). This is
//! the same update (Loshchilov & Hutter, 2019, as candle writes it) with the moments kept by
//! parameter name, so a checkpoint holds the full optimiser state and a resumed run continues
//! exactly where it stopped.

use candle_core::backprop::GradStore;
use candle_core::{Result, Tensor, Var};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdamWParams {
    pub lr: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub weight_decay: f64,
}

impl Default for AdamWParams {
    fn default() -> Self {
        Self { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.0 }
    }
}

struct Slot {
    var: Var,
    m: Tensor,
    v: Tensor,
}

pub struct AdamW {
    slots: BTreeMap<String, Slot>,
    /// Updates taken so far (for the bias correction).
    pub step: usize,
    pub params: AdamWParams,
}

impl AdamW {
    /// Fresh state for `vars` (name → variable).
    pub fn new(vars: BTreeMap<String, Var>, params: AdamWParams) -> Result<Self> {
        let slots = vars
            .into_iter()
            .map(|(name, var)| {
                let m = var.as_tensor().zeros_like()?;
                let v = m.clone();
                Ok((name, Slot { var, m, v }))
            })
            .collect::<Result<_>>()?;
        Ok(Self { slots, step: 0, params })
    }

    /// One update from `grads`; parameters without a gradient are left alone.
    pub fn step(&mut self, grads: &GradStore) -> Result<()> {
        self.step += 1;
        let p = self.params;
        let scale_m = 1.0 / (1.0 - p.beta1.powi(self.step as i32));
        let scale_v = 1.0 / (1.0 - p.beta2.powi(self.step as i32));
        for slot in self.slots.values_mut() {
            let Some(g) = grads.get(slot.var.as_tensor()) else { continue };
            slot.m = ((&slot.m * p.beta1)? + (g * (1.0 - p.beta1))?)?;
            slot.v = ((&slot.v * p.beta2)? + (g.sqr()? * (1.0 - p.beta2))?)?;
            let update = ((&slot.m * scale_m)? / ((&slot.v * scale_v)?.sqrt()? + p.eps)?)?;
            let decayed = (slot.var.as_tensor() * (1.0 - p.lr * p.weight_decay))?;
            slot.var.set(&(decayed - (update * p.lr)?)?)?;
        }
        Ok(())
    }

    /// Backward pass of `loss` and one update.
    pub fn backward_step(&mut self, loss: &Tensor) -> Result<()> {
        let grads = loss.backward()?;
        self.step(&grads)
    }

    /// The moments as tensors named `m.NAME` and `v.NAME`.
    pub fn state(&self) -> BTreeMap<String, Tensor> {
        let mut out = BTreeMap::new();
        for (name, slot) in &self.slots {
            out.insert(format!("m.{name}"), slot.m.clone());
            out.insert(format!("v.{name}"), slot.v.clone());
        }
        out
    }

    /// The shapes [`AdamW::state`] has, for checking a saved state before loading it.
    pub fn state_shapes(&self) -> BTreeMap<String, Vec<usize>> {
        self.state().into_iter().map(|(k, v)| (k, v.dims().to_vec())).collect()
    }

    /// Restores moments saved by [`AdamW::state`] (already checked against [`AdamW::state_shapes`]).
    pub fn set_state(&mut self, mut state: std::collections::HashMap<String, Tensor>, step: usize) -> Result<()> {
        for (name, slot) in &mut self.slots {
            let (Some(m), Some(v)) = (state.remove(&format!("m.{name}")), state.remove(&format!("v.{name}"))) else {
                candle_core::bail!("optimiser state has no moments for `{name}`");
            };
            slot.m = m;
            slot.v = v;
        }
        self.step = step;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;

    /// Same update as candle's AdamW: a few steps on a quadratic agree to float precision.
    #[test]
    fn matches_candle_adamw() -> Result<()> {
        use candle_nn::Optimizer;
        let dev = Device::Cpu;
        let init = Tensor::new(&[1.5f32, -2.0, 0.3], &dev)?;
        let a = Var::from_tensor(&init)?;
        let b = Var::from_tensor(&init)?;
        let params = AdamWParams { lr: 0.05, weight_decay: 0.01, ..Default::default() };
        let mut ours = AdamW::new(BTreeMap::from([("w".to_string(), a.clone())]), params)?;
        let mut theirs = candle_nn::AdamW::new(
            vec![b.clone()],
            candle_nn::ParamsAdamW { lr: 0.05, weight_decay: 0.01, ..Default::default() },
        )?;
        for _ in 0..5 {
            ours.backward_step(&a.as_tensor().sqr()?.sum_all()?)?;
            theirs.backward_step(&b.as_tensor().sqr()?.sum_all()?)?;
        }
        let diff = (a.as_tensor() - b.as_tensor())?.abs()?.max_all()?.to_scalar::<f32>()?;
        assert!(diff < 1e-6, "{diff}");
        assert!(a.as_tensor().abs()?.sum_all()?.to_scalar::<f32>()? < 3.8, "no progress");
        Ok(())
    }
}
