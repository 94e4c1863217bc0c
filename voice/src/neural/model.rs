//! The acoustic network: phoneme ids → spectra per frame, f0 and per-phoneme durations.
//!
//! hibari's int8 ONNX export (`hibari.onnx`, 7.9 MB, opset 17) runs in ONNX Runtime through the
//! `ort` crate, which opens the pinned `libonnxruntime.so` at run time (`load-dynamic`: nothing is
//! downloaded or linked at build time). Inputs `ids` (1, L) int64 and `speed` (1,) f32; outputs
//! `lh`, `theta`, `ln`, `lr`, `phi` (1, 601, F) and `f0` (1, F), at F frames of 12.5 ms.
//!
//! The export does not output its durations, but they are a named tensor inside the graph
//! (`/Clip_output_0`: frames of 25 ms per input id, after rounding and the speed). An ONNX model
//! is a protobuf, and protobuf merges a repeated embedded message, so appending one more `graph`
//! field that holds only an extra graph output makes ONNX Runtime return that tensor too —
//! without editing or re-serialising the file. Word timings come from it.

use super::dsp::{BINS, Spectra};
use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;
use ort::value::Tensor;
use std::path::Path;

/// The graph tensor with the rounded durations, one per input id, in units of [`DURATION_FRAMES`].
const DURATIONS: &str = "/Clip_output_0";
/// Spectral frames per duration unit: the duration predictor works at 25 ms, the decoder at 12.5.
pub const DURATION_FRAMES: usize = 2;
/// The id that pads a phoneme sequence at both ends.
pub const PAD: i64 = 0;

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("cannot open the ONNX Runtime library {}: {reason}", .path.display())]
    Runtime { path: std::path::PathBuf, reason: String },
    #[error("ONNX Runtime cannot load {}: {reason}", .path.display())]
    Load { path: std::path::PathBuf, reason: String },
    #[error("cannot read {}: {source}", .path.display())]
    Read { path: std::path::PathBuf, source: std::io::Error },
    #[error("the acoustic model failed: {0}")]
    Run(#[from] ort::Error),
    #[error("the acoustic model gave {what}")]
    Shape { what: String },
}

/// One run's output: the spectra for the vocoder and the durations, if the graph gave them.
pub struct Output {
    pub spectra: Spectra,
    /// Spectral frames per input id (pads included), summing to `spectra.frames`.
    pub frames_per_id: Option<Vec<usize>>,
}

/// Opens the runtime library once per process. Later calls are no-ops: `ort` keeps the first
/// library it opened (the checksums make sure it is the pinned one).
pub fn init_runtime(library: &Path) -> Result<(), ModelError> {
    let builder = ort::init_from(library)
        .map_err(|e| ModelError::Runtime { path: library.to_path_buf(), reason: e.to_string() })?;
    // `false` only means an environment already exists, which is what we want either way.
    let _ = builder.with_name("campfire-voice").commit();
    Ok(())
}

/// The narrator's thread budget (`campfire_cpu`: one thread, since the narrator shares the
/// cores with the picture and one thread already runs the network far faster than real time).
pub fn session_from_bytes(bytes: &[u8], path: &Path) -> Result<Session, ModelError> {
    let load = |reason: String| ModelError::Load { path: path.to_path_buf(), reason };
    Session::builder()
        .map_err(|e| load(e.to_string()))?
        .with_optimization_level(GraphOptimizationLevel::Level3)
        .map_err(|e| load(e.to_string()))?
        .with_intra_threads(campfire_cpu::budget().narrator)
        .map_err(|e| load(e.to_string()))?
        .with_inter_threads(1)
        .map_err(|e| load(e.to_string()))?
        .commit_from_memory(bytes)
        .map_err(|e| load(e.to_string()))
}

pub struct Acoustic {
    session: Session,
    has_durations: bool,
}

impl Acoustic {
    /// Loads the model with its durations exposed; if the graph has no such tensor (another
    /// export), loads it as it is and word timings are aligned to the audio instead.
    pub fn load(path: &Path) -> Result<Acoustic, ModelError> {
        let bytes = std::fs::read(path).map_err(|source| ModelError::Read { path: path.to_path_buf(), source })?;
        match session_from_bytes(&with_extra_output(&bytes, DURATIONS), path) {
            Ok(session) => Ok(Acoustic { session, has_durations: true }),
            Err(e) => {
                tracing::debug!("no duration output ({e}); loading the model as it is");
                Ok(Acoustic { session: session_from_bytes(&bytes, path)?, has_durations: false })
            }
        }
    }

    /// Runs the network on ids (pads included) at a speaking `speed` (1.0 = the voice's own).
    pub fn run(&mut self, ids: &[i64], speed: f32) -> Result<Output, ModelError> {
        let _span = tracing::debug_span!("acoustic", ids = ids.len()).entered();
        let l = ids.len();
        let outputs = self.session.run(ort::inputs! {
            "ids" => Tensor::from_array(([1usize, l], ids.to_vec()))?,
            "speed" => Tensor::from_array(([1usize], vec![speed]))?,
        })?;
        let plane = |name: &str| -> Result<(usize, Vec<f32>), ModelError> {
            let (shape, data) = outputs[name].try_extract_tensor::<f32>()?;
            // (1, 601, F)
            match shape[..] {
                [1, bins, frames] if bins as usize == BINS => Ok((frames as usize, data.to_vec())),
                _ => Err(ModelError::Shape { what: format!("{name} of shape {shape:?}, expected (1, {BINS}, F)") }),
            }
        };
        let (frames, lh) = plane("lh")?;
        let (_, theta) = plane("theta")?;
        let (_, ln) = plane("ln")?;
        let (_, lr) = plane("lr")?;
        let (_, phi) = plane("phi")?;
        let (_, f0) = outputs["f0"].try_extract_tensor::<f32>()?;
        if f0.len() != frames || [&theta, &ln, &lr, &phi].iter().any(|p| p.len() != lh.len()) {
            return Err(ModelError::Shape { what: format!("f0 of {} frames beside spectra of {frames}", f0.len()) });
        }
        let frames_per_id = if self.has_durations {
            let (_, d) = outputs[DURATIONS].try_extract_tensor::<f32>()?;
            let per_id: Vec<usize> = d.iter().map(|&u| u.max(0.0) as usize * DURATION_FRAMES).collect();
            // Durations that do not add up to the frames (another export) are not trusted.
            (per_id.len() == l && per_id.iter().sum::<usize>() == frames).then_some(per_id)
        } else {
            None
        };
        let spectra = Spectra { frames, lh, theta, ln, lr, phi, f0: f0.to_vec() };
        Ok(Output { spectra, frames_per_id })
    }
}

/// `model` with one more graph output, by appending `ModelProto.graph` (field 7) holding only
/// `GraphProto.output` (field 12) = `ValueInfoProto { name (field 1) }`; see the module docs.
pub fn with_extra_output(model: &[u8], tensor: &str) -> Vec<u8> {
    fn varint(mut n: usize, out: &mut Vec<u8>) {
        while n >= 0x80 {
            out.push((n as u8 & 0x7f) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    }
    fn field(number: usize, payload: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(payload.len() + 4);
        varint(number << 3 | 2, &mut out); // wire type 2: length-delimited
        varint(payload.len(), &mut out);
        out.extend_from_slice(payload);
        out
    }
    let mut out = Vec::with_capacity(model.len() + tensor.len() + 8);
    out.extend_from_slice(model);
    out.extend(field(7, &field(12, &field(1, tensor.as_bytes()))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_output_is_a_well_formed_graph_field() {
        let out = with_extra_output(b"MODEL", "/x");
        // graph (7<<3|2 = 58), len 6: output (12<<3|2 = 98), len 4: name (10), len 2, "/x".
        assert_eq!(&out[..5], b"MODEL");
        assert_eq!(&out[5..], &[58, 6, 98, 4, 10, 2, b'/', b'x']);
        let long = "a".repeat(200);
        let out = with_extra_output(b"", &long);
        assert_eq!(&out[..2], &[58, 206, 1][..2], "lengths over 127 take two varint bytes");
    }
}
