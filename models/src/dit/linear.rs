//! The linear layer every part of the DiT is built from: the embedders' and the blocks'.

use candle_core::{Module, Result, Tensor};
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
