//! Reconstruction quality and speed of an autoencoder on a set of frames.

use crate::shards::FrameSet;
use campfire_models::autoencoder::Autoencoder;
use campfire_models::autoencoder::metrics::{frames_to_tensor, mse_u8, psnr_from_mse, tensor_to_frames};
use candle_core::{Device, Result};
use serde::Serialize;
use std::time::Instant;

/// What [`evaluate`] measured.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub frames: usize,
    pub width: usize,
    pub height: usize,
    /// PSNR over all frames (from the mean squared error of every byte), dB.
    pub psnr_db: f64,
    /// The worst single frame, dB.
    pub min_frame_psnr_db: f64,
    /// Wall time to decode latents to frames, per frame, in chunks of `chunk` frames.
    pub decode_ms_per_frame: f64,
    pub encode_ms_per_frame: f64,
    pub chunk: usize,
    pub threads: usize,
}

/// Round-trips every frame of `data` through `model` in chunks of `chunk` frames (the
/// generator's chunk is 8) and measures quality on the 8-bit output, as a viewer sees it.
pub fn evaluate(model: &Autoencoder, data: &FrameSet, chunk: usize) -> Result<EvalReport> {
    let chunk = chunk.max(1);
    let n = data.height * data.width * 3;
    let (mut sq_sum, mut min_psnr) = (0f64, f64::INFINITY);
    let (mut enc_s, mut dec_s) = (0f64, 0f64);
    // One untimed pass so that allocation and thread start-up are not counted.
    if data.count > 0 {
        let m = chunk.min(data.count);
        let x = frames_to_tensor(&data.rgb[..m * n], m, data.height, data.width, &Device::Cpu)?;
        model.decode(&model.encode(&x)?)?;
    }
    let mut start = 0;
    while start < data.count {
        let m = chunk.min(data.count - start);
        let rgb = &data.rgb[start * n..(start + m) * n];
        let x = frames_to_tensor(rgb, m, data.height, data.width, &Device::Cpu)?;
        let t = Instant::now();
        let z = model.encode(&x)?;
        enc_s += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let y = tensor_to_frames(&model.decode(&z)?)?;
        dec_s += t.elapsed().as_secs_f64();
        for (a, b) in rgb.chunks_exact(n).zip(y.chunks_exact(n)) {
            let mse = mse_u8(a, b);
            sq_sum += mse * n as f64;
            min_psnr = min_psnr.min(psnr_from_mse(mse));
        }
        start += m;
    }
    let total = (data.count * n).max(1) as f64;
    let per = 1000.0 / data.count.max(1) as f64;
    Ok(EvalReport {
        frames: data.count,
        width: data.width,
        height: data.height,
        psnr_db: psnr_from_mse(sq_sum / total),
        min_frame_psnr_db: min_psnr,
        decode_ms_per_frame: dec_s * per,
        encode_ms_per_frame: enc_s * per,
        chunk,
        threads: candle_core::utils::get_num_threads(),
    })
}
