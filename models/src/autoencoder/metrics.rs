//! PSNR and conversions between 8-bit frames and the network's tensors.

use candle_core::{DType, Device, Result, Tensor};

/// Packed RGB frames `(N, H, W, 3)` as u8 → `(N, 3, H, W)` f32 in [-1, 1].
pub fn frames_to_tensor(rgb: &[u8], n: usize, height: usize, width: usize, device: &Device) -> Result<Tensor> {
    if rgb.len() != n * height * width * 3 {
        candle_core::bail!(
            "expected {n}×{height}×{width}×3 = {} bytes of RGB, found {}",
            n * height * width * 3,
            rgb.len()
        );
    }
    Tensor::from_slice(rgb, (n, height, width, 3), device)?
        .permute((0, 3, 1, 2))?
        .to_dtype(DType::F32)?
        .affine(2.0 / 255.0, -1.0)
}

/// `(N, 3, H, W)` f32 in [-1, 1] → packed RGB `(N, H, W, 3)` u8, clamped and rounded.
pub fn tensor_to_frames(x: &Tensor) -> Result<Vec<u8>> {
    let x = x.clamp(-1f32, 1f32)?.affine(127.5, 127.5)?.round()?.permute((0, 2, 3, 1))?;
    x.to_dtype(DType::U8)?.flatten_all()?.to_vec1::<u8>()
}

/// Mean squared error between two byte images, in units of 8-bit levels².
pub fn mse_u8(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return f64::NAN;
    }
    let sum: f64 = a.iter().zip(b).map(|(&x, &y)| (x as f64 - y as f64).powi(2)).sum();
    sum / a.len() as f64
}

/// Peak signal-to-noise ratio in dB for 8-bit images (peak 255). Identical images give
/// infinity; callers averaging over frames should average the MSE, not the dB.
pub fn psnr_from_mse(mse: f64) -> f64 {
    if mse <= 0.0 { f64::INFINITY } else { 10.0 * (255.0f64 * 255.0 / mse).log10() }
}

/// PSNR between two byte images of the same size.
pub fn psnr_u8(a: &[u8], b: &[u8]) -> f64 {
    psnr_from_mse(mse_u8(a, b))
}

/// PSNR of a [-1, 1] tensor pair, as the 8-bit PSNR would be (peak-to-peak range 2).
pub fn psnr_tensor(pred: &Tensor, target: &Tensor) -> Result<f64> {
    let mse = (pred.clamp(-1f32, 1f32)? - target)?.sqr()?.mean_all()?.to_scalar::<f32>()? as f64;
    Ok(if mse <= 0.0 { f64::INFINITY } else { 10.0 * (4.0 / mse).log10() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_through_tensor_keeps_bytes() -> Result<()> {
        let rgb: Vec<u8> = (0..2 * 4 * 8 * 3).map(|i| (i * 7 % 256) as u8).collect();
        let t = frames_to_tensor(&rgb, 2, 4, 8, &Device::Cpu)?;
        assert_eq!(t.dims(), &[2, 3, 4, 8]);
        assert_eq!(tensor_to_frames(&t)?, rgb);
        assert!(frames_to_tensor(&rgb[1..], 2, 4, 8, &Device::Cpu).is_err());
        Ok(())
    }

    #[test]
    fn psnr_matches_the_definition() {
        let a = vec![100u8; 300];
        let b = vec![110u8; 300];
        assert!((psnr_u8(&a, &b) - 10.0 * (255.0f64 * 255.0 / 100.0).log10()).abs() < 1e-9);
        assert!(psnr_u8(&a, &a).is_infinite());
    }
}
