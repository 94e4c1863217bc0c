//! A ruler for word timings that does not lean on whisper: a reference recording whose word
//! boundaries are known exactly is matched frame by frame to the audio under test by dynamic time
//! warping of their mel cepstra, and each reference boundary is carried across the match (the
//! method of the aeneas forced aligner, which also speaks the text with espeak-ng first).
//!
//! Whisper's timestamps are too coarse to judge a narrator's word times: its own error on words at
//! known times is 170–300 ms, more than the 80 ms being judged. The reference here is the text's
//! words spoken one at a time by espeak-ng, trimmed and joined (silence only at the text's commas
//! and full stops), so its boundaries are exact by construction; the bench checks the ruler itself
//! on audio made the same way from another voice, where the truth is known too.
//!
//! Our own MFCC and DTW (about 100 lines over `realfft`) rather than a crate: the maintained
//! audio-feature crates bring their own FFT stacks and ndarray for a bench-only measurement.

use crate::timing::WordTiming;
use realfft::RealFftPlanner;

/// Analysis frames: 25 ms windows every 10 ms, as speech recognisers use.
const WINDOW_SECS: f32 = 0.025;
pub const HOP_SECS: f32 = 0.010;
const MEL_BANDS: usize = 26;
/// Cepstral coefficients kept, c0 (loudness) left out so that two voices of different level match.
const CEPSTRA: usize = 12;

/// Mean-normalised mel cepstra of `samples`, one row per 10 ms.
pub fn features(samples: &[f32], sample_rate: u32) -> Vec<[f32; CEPSTRA]> {
    let win = (WINDOW_SECS * sample_rate as f32) as usize;
    let hop = (HOP_SECS * sample_rate as f32) as usize;
    let n_fft = win.next_power_of_two();
    let fft = RealFftPlanner::<f32>::new().plan_fft_forward(n_fft);
    let hann: Vec<f32> =
        (0..win).map(|i| 0.5 - 0.5 * (2.0 * std::f32::consts::PI * i as f32 / win as f32).cos()).collect();
    let filters = mel_filters(n_fft, sample_rate);
    let frames = samples.len().div_ceil(hop);
    let (mut input, mut spectrum) = (fft.make_input_vec(), fft.make_output_vec());
    let mut rows = Vec::with_capacity(frames);
    for f in 0..frames {
        input.iter_mut().for_each(|x| *x = 0.0);
        for (i, w) in hann.iter().enumerate() {
            input[i] = samples.get(f * hop + i).copied().unwrap_or(0.0) * w;
        }
        if fft.process(&mut input, &mut spectrum).is_err() {
            continue; // lengths come from the plan itself
        }
        let power: Vec<f32> = spectrum.iter().map(|c| c.norm_sqr()).collect();
        let mel: Vec<f32> =
            filters.iter().map(|f| f.iter().map(|&(k, w)| power[k] * w).sum::<f32>().max(1e-10).ln()).collect();
        let mut row = [0.0f32; CEPSTRA];
        for (c, out) in row.iter_mut().enumerate() {
            let q = (c + 1) as f32; // c0 left out
            *out = mel
                .iter()
                .enumerate()
                .map(|(m, v)| v * (std::f32::consts::PI * q * (m as f32 + 0.5) / MEL_BANDS as f32).cos())
                .sum();
        }
        rows.push(row);
    }
    // Cepstral mean normalisation: a voice's and a channel's constant colour cancel out.
    let n = rows.len().max(1) as f32;
    let mut mean = [0.0f32; CEPSTRA];
    rows.iter().for_each(|r| r.iter().zip(&mut mean).for_each(|(v, m)| *m += v / n));
    rows.iter_mut().for_each(|r| r.iter_mut().zip(&mean).for_each(|(v, m)| *v -= m));
    rows
}

/// Triangular mel filters over the FFT bins, 80 Hz to 7.6 kHz: (bin, weight) per filter.
fn mel_filters(n_fft: usize, sample_rate: u32) -> Vec<Vec<(usize, f32)>> {
    let mel = |hz: f32| 2595.0 * (1.0 + hz / 700.0).log10();
    let hz = |m: f32| 700.0 * (10f32.powf(m / 2595.0) - 1.0);
    let top = 7600.0f32.min(sample_rate as f32 / 2.0);
    let (lo, hi) = (mel(80.0), mel(top));
    let edges: Vec<f32> = (0..MEL_BANDS + 2).map(|i| hz(lo + (hi - lo) * i as f32 / (MEL_BANDS + 1) as f32)).collect();
    let bin_hz = sample_rate as f32 / n_fft as f32;
    (0..MEL_BANDS)
        .map(|b| {
            let (l, c, r) = (edges[b], edges[b + 1], edges[b + 2]);
            (0..=n_fft / 2)
                .filter_map(|k| {
                    let f = k as f32 * bin_hz;
                    let w = if f <= l || f >= r {
                        0.0
                    } else if f <= c {
                        (f - l) / (c - l)
                    } else {
                        (r - f) / (r - c)
                    };
                    (w > 0.0).then_some((k, w))
                })
                .collect()
        })
        .collect()
}

/// The cheapest monotonic match of two frame sequences (steps of one frame in either or both),
/// as (index in `a`, index in `b`) pairs from (0, 0) to the last of each.
pub fn dtw(a: &[[f32; CEPSTRA]], b: &[[f32; CEPSTRA]]) -> Vec<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return Vec::new();
    }
    let dist = |i: usize, j: usize| a[i].iter().zip(&b[j]).map(|(x, y)| (x - y) * (x - y)).sum::<f32>().sqrt();
    let mut cost = vec![f32::INFINITY; n * m];
    for i in 0..n {
        for j in 0..m {
            let best = match (i, j) {
                (0, 0) => 0.0,
                (0, _) => cost[j - 1],
                (_, 0) => cost[(i - 1) * m],
                _ => cost[(i - 1) * m + j - 1].min(cost[(i - 1) * m + j]).min(cost[i * m + j - 1]),
            };
            cost[i * m + j] = best + dist(i, j);
        }
    }
    let (mut i, mut j) = (n - 1, m - 1);
    let mut path = vec![(i, j)];
    while (i, j) != (0, 0) {
        (i, j) = match (i, j) {
            (0, _) => (0, j - 1),
            (_, 0) => (i - 1, 0),
            _ => {
                let diag = cost[(i - 1) * m + j - 1];
                let up = cost[(i - 1) * m + j];
                let left = cost[i * m + j - 1];
                if diag <= up && diag <= left {
                    (i - 1, j - 1)
                } else if up <= left {
                    (i - 1, j)
                } else {
                    (i, j - 1)
                }
            }
        };
        path.push((i, j));
    }
    path.reverse();
    path
}

/// Carries the word times of `reference` (known in `reference_audio`) onto `audio` through the
/// DTW match of the two; both at `sample_rate`. A word starts at the first frame of `audio` matched
/// to its first frame and ends after the last frame matched to its last.
pub fn align(reference_audio: &[f32], reference: &[WordTiming], audio: &[f32], sample_rate: u32) -> Vec<WordTiming> {
    let path = dtw(&features(reference_audio, sample_rate), &features(audio, sample_rate));
    let Some(&(last_ref, _)) = path.last() else { return Vec::new() };
    // For each reference frame, the first and last frame of `audio` matched to it.
    let mut span = vec![(usize::MAX, 0usize); last_ref + 1];
    for &(i, j) in &path {
        span[i] = (span[i].0.min(j), span[i].1.max(j));
    }
    let frame = |secs: f32| ((secs / HOP_SECS).round().max(0.0) as usize).min(last_ref);
    reference
        .iter()
        .map(|w| {
            let (first, last) = (frame(w.start), frame(w.end).saturating_sub(1).max(frame(w.start)));
            WordTiming {
                word: w.word.clone(),
                start: span[first].0 as f32 * HOP_SECS,
                end: (span[last].1 + 1) as f32 * HOP_SECS,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dtw_follows_a_stretched_copy() {
        // A signal and the same signal with its middle part played twice as slowly: the match
        // carries a boundary in the untouched start exactly and one after the slow part late by
        // the time added.
        let rate = 16_000;
        let tone = |hz: f32, secs: f32| -> Vec<f32> {
            (0..(secs * rate as f32) as usize)
                .map(|i| (i as f32 * hz * std::f32::consts::TAU / 16e3).sin() * 0.3)
                .collect()
        };
        let a: Vec<f32> = [tone(300.0, 0.3), tone(1200.0, 0.2), tone(600.0, 0.3)].concat();
        let b: Vec<f32> = [tone(300.0, 0.3), tone(1200.0, 0.4), tone(600.0, 0.3)].concat();
        let reference = vec![
            WordTiming { word: "low".into(), start: 0.0, end: 0.3 },
            WordTiming { word: "high".into(), start: 0.3, end: 0.5 },
            WordTiming { word: "mid".into(), start: 0.5, end: 0.8 },
        ];
        let got = align(&a, &reference, &b, rate);
        let want = [(0.0, 0.3), (0.3, 0.7), (0.7, 1.0)];
        for (w, (s, e)) in got.iter().zip(want) {
            assert!((w.start - s).abs() <= 0.03 && (w.end - e).abs() <= 0.03, "{got:?}");
        }
    }
}
