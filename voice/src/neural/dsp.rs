//! The vocoder: the network's five spectra per frame and its f0 curve → a 24 kHz waveform.
//!
//! A port of hibari 0.2.1's `hibari/dsp.py` (Apache-2.0). The network predicts, per 12.5 ms
//! frame and per STFT bin (n_fft 1200, hop 300, periodic Hann), a harmonic filter (`lh`, `theta`),
//! a noise level (`ln`) and a free-phase part (`lr`, `phi`):
//!
//! ```text
//! S = exp(lh) · e^{iπ·tanh θ} · STFT(pulses(f0)) + exp(ln) · Z + exp(lr) · e^{iφ}
//! ```
//!
//! where `pulses` is a band-limited pulse train following f0 and `Z` complex white noise; one
//! inverse STFT (overlap-add, normalised by the summed squared window) gives the audio. Because
//! f0 enters only here, scaling it before synthesis changes the pitch while the filters keep the
//! voice's formants (see [`super::character`]).

use realfft::num_complex::Complex32;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};
use std::f32::consts::PI;
use std::sync::Arc;

pub const SAMPLE_RATE: u32 = 24_000;
pub const N_FFT: usize = 1200;
pub const HOP: usize = 300;
pub const BINS: usize = N_FFT / 2 + 1;

/// Frames below this f0 (Hz) are unvoiced: no pulses.
const VOICED_HZ: f32 = 40.0;
/// The pulse train holds every harmonic below this frequency.
const PULSE_MAX_HZ: f32 = 11_000.0;
/// Complex noise values kept in a table: the noise branch needs white noise, not fresh noise, and
/// a table read is far cheaper than a Gaussian draw per bin.
const NOISE_TABLE: usize = 1 << 16;

/// One chunk of network output, bin-major as the model gives it: `lh[b * frames + k]` is bin
/// `b` of frame `k`.
#[derive(Clone, Debug, Default)]
pub struct Spectra {
    pub frames: usize,
    pub lh: Vec<f32>,
    pub theta: Vec<f32>,
    pub ln: Vec<f32>,
    pub lr: Vec<f32>,
    pub phi: Vec<f32>,
    /// f0 per frame, Hz.
    pub f0: Vec<f32>,
}

impl Spectra {
    /// The five bin-major arrays, for transforms applied to all of them alike.
    pub fn planes_mut(&mut self) -> [&mut Vec<f32>; 5] {
        [&mut self.lh, &mut self.theta, &mut self.ln, &mut self.lr, &mut self.phi]
    }
}

/// FFT plans, the window and the noise table, made once per voice.
pub struct Vocoder {
    window: Vec<f32>,
    fft: Arc<dyn RealToComplex<f32>>,
    ifft: Arc<dyn ComplexToReal<f32>>,
    noise: Vec<Complex32>,
}

impl Default for Vocoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Vocoder {
    pub fn new() -> Self {
        let mut planner = RealFftPlanner::<f32>::new();
        let window = (0..N_FFT)
            .map(|i| (0.5 - 0.5 * (2.0 * std::f64::consts::PI * i as f64 / N_FFT as f64).cos()) as f32)
            .collect();
        // Fixed seed: the table is part of the voice, like the window.
        let mut rng = fastrand::Rng::with_seed(0x6869_6261_7269);
        let noise = (0..NOISE_TABLE).map(|_| gaussian_pair(&mut rng)).collect();
        Vocoder { window, fft: planner.plan_fft_forward(N_FFT), ifft: planner.plan_fft_inverse(N_FFT), noise }
    }

    /// The waveform of `spectra.frames * HOP` samples. `seed` picks where in the noise table this
    /// chunk starts, so the same chunk and seed give the same audio.
    pub fn synthesize(&self, s: &Spectra, seed: u64) -> Vec<f32> {
        let frames = s.frames;
        if frames == 0 || s.f0.len() < frames || s.lh.len() < BINS * frames {
            return Vec::new();
        }
        let x = reflect_pad(&pulses(&s.f0[..frames]), N_FFT / 2);
        // A unit cosine peaks at sum(window)/2 = N_FFT/4 in the STFT; dividing by it makes exp(lh)
        // the harmonic's own magnitude, as the network was trained.
        let source_scale = 4.0 / N_FFT as f32;
        let inverse_scale = 1.0 / N_FFT as f32;
        let mut frame = vec![0.0f32; N_FFT];
        let mut spec = vec![Complex32::new(0.0, 0.0); BINS];
        let mut out_frame = vec![0.0f32; N_FFT];
        let mut fft_scratch = self.fft.make_scratch_vec();
        let mut ifft_scratch = self.ifft.make_scratch_vec();
        let len = (frames - 1) * HOP + N_FFT;
        let mut y = vec![0.0f32; len];
        let mut wsum = vec![0.0f32; len];
        for k in 0..frames {
            // Each frame reads the table from its own pseudo-random place, so no bin repeats its
            // noise with a period a listener could hear.
            let mut n = (splitmix(seed ^ k as u64) % NOISE_TABLE as u64) as usize;
            let seg = &x[k * HOP..k * HOP + N_FFT];
            for ((f, &v), &w) in frame.iter_mut().zip(seg).zip(&self.window) {
                *f = v * w * source_scale;
            }
            // Both buffers have the planned lengths, the only way these calls fail.
            if self.fft.process_with_scratch(&mut frame, &mut spec, &mut fft_scratch).is_err() {
                return Vec::new();
            }
            for (b, c) in spec.iter_mut().enumerate() {
                let i = b * frames + k;
                let (sin_t, cos_t) = (PI * s.theta[i].tanh()).sin_cos();
                let harmonic = *c * Complex32::new(cos_t, sin_t) * ex(s.lh[i]);
                let noise = self.noise[n] * ex(s.ln[i]);
                n = (n + 1) % NOISE_TABLE;
                let (sin_p, cos_p) = s.phi[i].sin_cos();
                *c = harmonic + noise + Complex32::new(cos_p, sin_p) * ex(s.lr[i]);
            }
            // A real signal's spectrum has real DC and Nyquist bins; realfft insists on it.
            spec[0].im = 0.0;
            spec[BINS - 1].im = 0.0;
            if self.ifft.process_with_scratch(&mut spec, &mut out_frame, &mut ifft_scratch).is_err() {
                return Vec::new();
            }
            let at = k * HOP;
            for (i, (&v, &w)) in out_frame.iter().zip(&self.window).enumerate() {
                y[at + i] += v * inverse_scale * w;
                wsum[at + i] += w * w;
            }
        }
        // torch.istft(center=True, length=frames*hop): drop half a window at the start.
        let half = N_FFT / 2;
        (half..half + frames * HOP).map(|i| y[i] / wsum[i].max(1e-11)).collect()
    }
}

/// `exp` with the network's clamp (outputs above 7 are saturated, never louder).
fn ex(x: f32) -> f32 {
    x.min(7.0).exp()
}

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn gaussian_pair(rng: &mut fastrand::Rng) -> Complex32 {
    // Box–Muller: two independent standard normals, the real and imaginary parts.
    let u1 = rng.f32().max(f32::MIN_POSITIVE);
    let u2 = rng.f32();
    let r = (-2.0 * u1.ln()).sqrt();
    let (s, c) = (2.0 * PI * u2).sin_cos();
    Complex32::new(r * c, r * s)
}

/// Band-limited pulse train from the per-frame f0: every harmonic below [`PULSE_MAX_HZ`] at unit
/// amplitude, `Σ_{h≤H} cos(h t) = sin((H+½) t) / (2 sin(t/2)) − ½`; unvoiced samples are 0. f0 is
/// interpolated linearly between frame centres (align_corners=False), as in the reference.
pub fn pulses(f0: &[f32]) -> Vec<f32> {
    let frames = f0.len();
    let mut out = Vec::with_capacity(frames * HOP);
    let mut phase = 0.0f64;
    for k in 0..frames {
        let (prev, cur, next) = (f0[k.saturating_sub(1)], f0[k], f0[(k + 1).min(frames - 1)]);
        for j in 0..HOP {
            let u = ((j as f32 + 0.5) / HOP as f32 - 0.5).rem_euclid(1.0);
            let f = if j < HOP / 2 { prev * (1.0 - u) + cur * u } else { cur * (1.0 - u) + next * u };
            let voiced = f > VOICED_HZ;
            let f = f.max(VOICED_HZ);
            // Phase in turns, kept in [0, 1) in f64 so long lines do not lose precision.
            phase = (phase + f as f64 / SAMPLE_RATE as f64).fract();
            let t = (phase * std::f64::consts::TAU) as f32;
            let h = (PULSE_MAX_HZ / f).floor() + 0.5;
            let d = 2.0 * (0.5 * t).sin();
            let e = if d.abs() <= 2e-3 { h } else { (h * t).sin() / d };
            out.push(if voiced { e - 0.5 } else { 0.0 });
        }
    }
    out
}

/// numpy's `pad(mode="reflect")`: the edge sample is not repeated.
fn reflect_pad(x: &[f32], pad: usize) -> Vec<f32> {
    let n = x.len();
    let at = |i: isize| -> f32 {
        if n == 1 {
            return x[0];
        }
        let period = 2 * (n as isize - 1);
        let mut m = i.rem_euclid(period);
        if m >= n as isize {
            m = period - m;
        }
        x[m as usize]
    };
    (-(pad as isize)..(n + pad) as isize).map(at).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reflect_pad_matches_numpy() {
        assert_eq!(reflect_pad(&[1.0, 2.0, 3.0, 4.0], 2), vec![3.0, 2.0, 1.0, 2.0, 3.0, 4.0, 3.0, 2.0]);
    }

    /// A constant 200 Hz f0 gives a pulse train whose strongest period is 120 samples.
    #[test]
    fn pulses_repeat_at_the_f0_period() {
        let p = pulses(&[200.0; 20]);
        assert_eq!(p.len(), 20 * HOP);
        let x = &p[HOP..19 * HOP];
        let ac = |lag: usize| x.iter().zip(&x[lag..]).map(|(a, b)| a * b).sum::<f32>();
        let best = (60..400).max_by(|&a, &b| ac(a).total_cmp(&ac(b))).expect("lags");
        assert_eq!(best, 120);
        assert!(pulses(&[0.0; 4]).iter().all(|&v| v == 0.0), "unvoiced frames are silent");
    }

    /// A flat harmonic filter over a 150 Hz pulse train gives a periodic waveform of the right
    /// length, and an all-quiet spectrum gives (almost) silence.
    #[test]
    fn flat_filter_gives_the_pulse_pitch() {
        let frames = 40;
        let plane = |v: f32| vec![v; BINS * frames];
        let s = Spectra {
            frames,
            lh: plane(-3.0),
            theta: plane(0.0),
            ln: plane(-30.0),
            lr: plane(-30.0),
            phi: plane(0.0),
            f0: vec![150.0; frames],
        };
        let v = Vocoder::new();
        let y = v.synthesize(&s, 7);
        assert_eq!(y.len(), frames * HOP);
        let mid = &y[5 * HOP..35 * HOP];
        let ac = |lag: usize| mid.iter().zip(&mid[lag..]).map(|(a, b)| a * b).sum::<f32>();
        let best = (80..400).max_by(|&a, &b| ac(a).total_cmp(&ac(b))).expect("lags");
        assert_eq!(best, 160, "24000 / 150 Hz");
        let quiet = Spectra { lh: plane(-30.0), ..s };
        assert!(v.synthesize(&quiet, 7).iter().all(|x| x.abs() < 1e-3));
    }
}
