//! How a generator's video compares with the reference renderer's, run as the app runs it: chunk
//! after chunk on one timeline, each made with the context the ones before left. Both get the
//! same requests, so every difference is the generator's.
//!
//! Per window of chunks: PSNR and SSIM against the reference frames, flicker (frame-to-frame
//! change that the reference does not have) and sharpness (how much of the reference's fine detail
//! the frames keep; PSNR rewards a blurred average, so it cannot say this alone). Drift is a late window of one long rollout against
//! its first. [`protocol`] runs these on held-out stories: the figures `campfire eval dit` prints.

pub mod protocol;

use crate::chunk::{Chunk, ChunkRequest, Generator, GeneratorError, ReferenceGenerator};
use campfire_models::autoencoder::metrics::{mse_u8, psnr_from_mse};
use campfire_render::{Frame, Timeline, VideoFormat};
use serde::Serialize;

/// Figures of a run of frames.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Scores {
    pub frames: usize,
    /// PSNR of every frame against the reference (one mean squared error over all), dB.
    pub psnr_db: f64,
    /// Mean SSIM of the frames' luma against the reference's ([`ssim`]).
    pub ssim: f64,
    /// Mean absolute frame-to-frame change of the generated frames that the reference frames do
    /// not make, in 0–255 levels per channel ([`flicker`]).
    pub flicker: f64,
    /// The generated frames' gradient energy over the reference's ([`gradient_energy`]): 1 is as
    /// sharp as the renderer, below 1 blurrier, above 1 noisier.
    pub sharpness: f64,
}

/// Sums for [`Scores`], added to frame by frame.
#[derive(Clone, Debug, Default)]
struct Tally {
    frames: usize,
    squared_error: f64,
    ssim: f64,
    flicker: f64,
    pairs: usize,
    last: Option<(Frame, Frame)>,
    /// Gradient energy of the generated frames and of the reference's.
    energy: (f64, f64),
}

impl Tally {
    fn add(&mut self, generated: &Frame, reference: &Frame) {
        self.frames += 1;
        self.squared_error += mse_u8(&generated.rgb, &reference.rgb);
        self.ssim += ssim(generated, reference);
        self.energy.0 += gradient_energy(generated);
        self.energy.1 += gradient_energy(reference);
        if let Some((g0, r0)) = &self.last {
            self.flicker += flicker(g0, generated, r0, reference);
            self.pairs += 1;
        }
        self.last = Some((generated.clone(), reference.clone()));
    }

    fn scores(&self) -> Scores {
        let n = self.frames.max(1) as f64;
        Scores {
            frames: self.frames,
            psnr_db: psnr_from_mse(self.squared_error / n),
            ssim: self.ssim / n,
            flicker: if self.pairs == 0 { 0.0 } else { self.flicker / self.pairs as f64 },
            sharpness: if self.energy.1 > 0.0 { self.energy.0 / self.energy.1 } else { 1.0 },
        }
    }
}

/// Makes chunks `0..chunks` of `timeline` with `generator` and with the reference renderer, and
/// scores each window of `window` chunks. Returns one [`Scores`] per window (the last may be
/// shorter). `on_chunk` is told of every chunk made (for a progress bar).
pub fn rollout(
    generator: &mut dyn Generator,
    timeline: &Timeline,
    format: VideoFormat,
    seed: u64,
    chunks: u64,
    window: u64,
    on_chunk: &mut dyn FnMut(u64),
) -> Result<Vec<Scores>, GeneratorError> {
    let mut reference = ReferenceGenerator::new();
    generator.reset();
    let window = window.max(1);
    let mut windows = Vec::new();
    let mut tally = Tally::default();
    for k in 0..chunks {
        let (made, drawn) = both(generator, &mut reference, timeline, k, format, seed)?;
        for (g, r) in made.frames.iter().zip(&drawn.frames) {
            tally.add(g, r);
        }
        on_chunk(k);
        if (k + 1) % window == 0 {
            windows.push(tally.scores());
            tally = Tally::default();
        }
    }
    if tally.frames > 0 {
        windows.push(tally.scores());
    }
    Ok(windows)
}

/// Chunk `k` of `timeline` from the generator and from the reference renderer, asked alike.
fn both(
    generator: &mut dyn Generator,
    reference: &mut ReferenceGenerator,
    timeline: &Timeline,
    k: u64,
    format: VideoFormat,
    seed: u64,
) -> Result<(Chunk, Chunk), GeneratorError> {
    let request = ChunkRequest::new(k, timeline.clone()).with_format(format).with_seed(seed);
    Ok((generator.generate(&request)?, reference.generate(&request)?))
}

/// Scores of several runs as one (frames weigh equally; PSNR from the mean squared error).
pub fn combine(parts: &[Scores]) -> Scores {
    let frames: usize = parts.iter().map(|s| s.frames).sum();
    if frames == 0 {
        return Scores::default();
    }
    let weigh = |f: &dyn Fn(&Scores) -> f64| parts.iter().map(|s| f(s) * s.frames as f64).sum::<f64>() / frames as f64;
    let mse = weigh(&|s| 255.0f64 * 255.0 / 10f64.powf(s.psnr_db / 10.0));
    Scores {
        frames,
        psnr_db: psnr_from_mse(mse),
        ssim: weigh(&|s| s.ssim),
        flicker: weigh(&|s| s.flicker),
        sharpness: weigh(&|s| s.sharpness),
    }
}

/// One exit and return of an entity, scored by the colours in its box on screen.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Reentry {
    pub entity: String,
    /// Histogram intersection (0–1) of the entity's box in the second after it came back with
    /// its box in the second before it left, in the generated frames.
    pub generated: f64,
    /// The same in the reference renderer's frames: what a perfect memory scores (the figure's
    /// own animation changes it a little).
    pub reference: f64,
    /// The generated entity after its return against the reference's at the same frames: it
    /// must also look like itself, not only like whatever stood there before.
    pub like_reference: f64,
    /// The same before it left: a low figure here and a high one after the return is a figure
    /// drawn wrongly while it stood there, not one forgotten while it was away.
    pub like_reference_before: f64,
    /// `generated` ≥ [`KEPT_SHARE`] of `reference` and `like_reference` ≥ [`LIKE_REFERENCE`].
    pub kept: bool,
}

/// A return keeps the entity when its colours match its first appearance this nearly as well as
/// the reference renderer's do …
pub const KEPT_SHARE: f64 = 0.85;
/// … and match the reference's entity at least this well (a blur matches itself, not the entity;
/// the empty background in the box scores 0.55 against a dragon).
pub const LIKE_REFERENCE: f64 = 0.7;

/// The 95 % Wilson score interval of a share of `kept` in `of`: where the true rate of a model
/// whose permanence was measured on a few dozen returns can lie (27 of 30 is 74–97 %). Our own:
/// one formula, against a statistics crate for it.
pub fn share_interval(kept: usize, of: usize) -> (f64, f64) {
    if of == 0 {
        return (0.0, 1.0);
    }
    const Z: f64 = 1.959_964; // the normal distribution's 97.5th percentile
    let (n, p) = (of as f64, kept as f64 / of as f64);
    let z2n = Z * Z / n;
    let centre = (p + z2n / 2.0) / (1.0 + z2n);
    let half = Z / (1.0 + z2n) * (p * (1.0 - p) / n + z2n / (4.0 * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Seconds the entity stays on after the story's last event, and off stage before it returns.
const STAY_SECS: f64 = 3.0;
const AWAY_SECS: f64 = 2.0;

/// Sends one of the entities on stage after `events` off and back to the same place, rolls
/// `generator` out over it, and compares the entity's colours before it left and after it came
/// back. `None` when no entity is big enough on screen (8×8 pixels) to judge.
pub fn reentry(
    generator: &mut dyn Generator,
    stage: campfire_scene::Stage,
    mut events: campfire_scene::EventLog,
    format: VideoFormat,
    seed: u64,
    on_chunk: &mut dyn FnMut(u64),
) -> Result<Option<Reentry>, GeneratorError> {
    use campfire_scene::{Event, Stamped, TICKS_PER_SECOND};
    let tps = TICKS_PER_SECOND as f64;
    let before = Timeline::new(stage, events.clone());
    let leave = before.last_tick() + (STAY_SECS * tps) as u64;
    let back = leave + (AWAY_SECS * tps) as u64;
    let state = before.state_at(leave as f64);
    let (w, h) = (format.width, format.height);
    let big = |b: &[f32; 4]| b[2] - b[0] >= 8.0 && b[3] - b[1] >= 8.0;
    let Some((id, at)) =
        campfire_render::figure_boxes(&state.pose_at(leave as f64), w, h).into_iter().find_map(|(id, b)| {
            let e = state.entity(&id)?;
            (big(&b) && e.held_by.is_none()).then(|| (id.clone(), e.position_at(leave as f64)))
        })
    else {
        return Ok(None);
    };
    events.push(Stamped { tick: leave, event: Event::Exit { id: id.clone() } });
    events.push(Stamped { tick: back, event: Event::Enter { id: id.clone(), at } });
    let timeline = Timeline::new(stage, events);
    let end = back as f64 + 1.5 * tps;
    let chunks = (end / format.ticks_per_frame() / format.chunk_frames as f64).ceil() as u64;

    let mut reference = ReferenceGenerator::new();
    generator.reset();
    let mut playhead = timeline.playhead();
    // Histograms of the box: generated and reference, before it left and after it came back.
    let [mut gen_before, mut ref_before, mut gen_after, mut ref_after] = [Histogram::default(); 4];
    for k in 0..chunks {
        let (made, drawn) = both(generator, &mut reference, &timeline, k, format, seed)?;
        for ((g, r), &tick) in made.frames.iter().zip(&drawn.frames).zip(&drawn.times) {
            let (in_before, in_after) =
                (tick >= leave as f64 - tps && tick < leave as f64, tick >= back as f64 + 0.5 * tps && tick < end);
            if !in_before && !in_after {
                continue;
            }
            let world = playhead.at(tick);
            let Some((_, b)) =
                campfire_render::figure_boxes(&world.pose_at(tick), w, h).into_iter().find(|(e, _)| *e == id)
            else {
                continue;
            };
            let (gh, rh) =
                if in_before { (&mut gen_before, &mut ref_before) } else { (&mut gen_after, &mut ref_after) };
            gh.add(g, b);
            rh.add(r, b);
        }
        on_chunk(k);
    }
    let generated = gen_after.intersection(&gen_before);
    let reference = ref_after.intersection(&ref_before);
    let like_reference = gen_after.intersection(&ref_after);
    let like_reference_before = gen_before.intersection(&ref_before);
    let kept = generated >= KEPT_SHARE * reference && like_reference >= LIKE_REFERENCE;
    Ok(Some(Reentry { entity: id, generated, reference, like_reference, like_reference_before, kept }))
}

/// Colour histogram of the pixels in boxes: 4 levels per channel, 64 bins, each pixel shared
/// between the bins around it (trilinear, as HOG shares gradients between orientations). With
/// hard bins a colour beside a bin edge (a figure's green of 60, the edge at 64) jumps to the next
/// bin on a shift of a few levels: the autoencoder's own round trip of the reference (30.5 dB)
/// then matched a quarter of the returns' figures at 0.57, as badly as an empty box. Shared, a
/// shift of δ moves about δ/64 of a pixel.
#[derive(Clone, Copy, Debug)]
struct Histogram {
    bins: [f64; 64],
    pixels: f64,
}

impl Default for Histogram {
    fn default() -> Self {
        Self { bins: [0.0; 64], pixels: 0.0 }
    }
}

impl Histogram {
    /// Levels per channel; bin `i` is centred on `(i + 0.5) · 256 / LEVELS`.
    const LEVELS: usize = 4;

    fn add(&mut self, f: &Frame, [left, top, right, bottom]: [f32; 4]) {
        let (w, h) = (f.width as usize, f.height as usize);
        let clamp = |v: f32, max: usize| (v.max(0.0) as usize).min(max);
        for y in clamp(top, h)..clamp(bottom, h) {
            for x in clamp(left, w)..clamp(right, w) {
                self.add_pixel(&f.rgb[(y * w + x) * 3..(y * w + x) * 3 + 3]);
            }
        }
    }

    fn add_pixel(&mut self, p: &[u8]) {
        let width = 256.0 / Self::LEVELS as f64;
        let last = (Self::LEVELS - 1) as f64;
        // Per channel: the bin below the value and the share of the pixel that goes to it.
        let split = |v: u8| {
            let u = ((v as f64 + 0.5) / width - 0.5).clamp(0.0, last);
            let lo = (u.floor() as usize).min(Self::LEVELS - 2);
            (lo, 1.0 - (u - lo as f64))
        };
        let (r, g, b) = (split(p[0]), split(p[1]), split(p[2]));
        let l = Self::LEVELS;
        for (ri, rw) in [(r.0, r.1), (r.0 + 1, 1.0 - r.1)] {
            for (gi, gw) in [(g.0, g.1), (g.0 + 1, 1.0 - g.1)] {
                for (bi, bw) in [(b.0, b.1), (b.0 + 1, 1.0 - b.1)] {
                    self.bins[(ri * l + gi) * l + bi] += rw * gw * bw;
                }
            }
        }
        self.pixels += 1.0;
    }

    /// Σ min of the two normalised histograms: 1 for the same colours, 0 for none shared.
    fn intersection(&self, other: &Histogram) -> f64 {
        if self.pixels == 0.0 || other.pixels == 0.0 {
            return 0.0;
        }
        self.bins.iter().zip(&other.bins).map(|(a, b)| (a / self.pixels).min(b / other.pixels)).sum()
    }
}

/// Rec. 601 luma of a packed RGB frame.
fn luma(f: &Frame) -> Vec<f64> {
    f.rgb.chunks_exact(3).map(|p| 0.299 * p[0] as f64 + 0.587 * p[1] as f64 + 0.114 * p[2] as f64).collect()
}

/// Side of the square SSIM windows, and their stride.
const SSIM_WINDOW: usize = 8;
const SSIM_STRIDE: usize = 4;

/// Mean SSIM (Wang et al. 2004) of two frames' luma over 8×8 windows every 4 pixels, with the
/// paper's constants. Uniform windows rather than the paper's Gaussian: at 128×96 the two differ
/// in the third decimal, and a few lines here spare a dependency on an image crate's pixel types.
/// 1 for equal frames; frames of different sizes score 0.
pub fn ssim(a: &Frame, b: &Frame) -> f64 {
    if a.width != b.width || a.height != b.height || a.rgb.len() != b.rgb.len() {
        return 0.0;
    }
    let (w, h) = (a.width as usize, a.height as usize);
    let (x, y) = (luma(a), luma(b));
    let (c1, c2) = ((0.01f64 * 255.0).powi(2), (0.03f64 * 255.0).powi(2));
    let n = (SSIM_WINDOW * SSIM_WINDOW) as f64;
    let (mut sum, mut count) = (0.0, 0usize);
    let side = SSIM_WINDOW.min(w).min(h);
    for top in (0..=h - side).step_by(SSIM_STRIDE) {
        for left in (0..=w - side).step_by(SSIM_STRIDE) {
            let (mut sx, mut sy, mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for r in top..top + side {
                for c in left..left + side {
                    let (p, q) = (x[r * w + c], y[r * w + c]);
                    (sx, sy, sxx, syy, sxy) = (sx + p, sy + q, sxx + p * p, syy + q * q, sxy + p * q);
                }
            }
            let n = if side == SSIM_WINDOW { n } else { (side * side) as f64 };
            let (mx, my) = (sx / n, sy / n);
            let (vx, vy, cov) = (sxx / n - mx * mx, syy / n - my * my, sxy / n - mx * my);
            sum += ((2.0 * mx * my + c1) * (2.0 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
            count += 1;
        }
    }
    if count == 0 { 0.0 } else { sum / count as f64 }
}

/// Mean squared difference of neighbouring pixels' luma, across and down: the fine detail of a
/// frame. A blurred copy of a picture has less of it, a noisy one more.
pub fn gradient_energy(f: &Frame) -> f64 {
    let (w, h) = (f.width as usize, f.height as usize);
    let y = luma(f);
    if w < 2 || h < 2 || y.len() < w * h {
        return 0.0;
    }
    let mut sum = 0.0;
    for r in 0..h - 1 {
        for c in 0..w - 1 {
            let v = y[r * w + c];
            sum += (y[r * w + c + 1] - v).powi(2) + (y[(r + 1) * w + c] - v).powi(2);
        }
    }
    sum / ((w - 1) * (h - 1)) as f64
}

/// Flicker between two consecutive frames: the mean absolute difference between the generated
/// frames' change and the reference frames' change, per channel value. Motion the story asks for
/// is in both and cancels; shimmer, popping and swimming textures are not.
pub fn flicker(g0: &Frame, g1: &Frame, r0: &Frame, r1: &Frame) -> f64 {
    let n = g0.rgb.len().min(g1.rgb.len()).min(r0.rgb.len()).min(r1.rgb.len());
    if n == 0 {
        return 0.0;
    }
    let total: f64 = (0..n)
        .map(|i| {
            let dg = g1.rgb[i] as f64 - g0.rgb[i] as f64;
            let dr = r1.rgb[i] as f64 - r0.rgb[i] as f64;
            (dg - dr).abs()
        })
        .sum();
    total / n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(w: u32, h: u32, mut f: impl FnMut(usize, usize) -> u8) -> Frame {
        let mut rgb = Vec::with_capacity((w * h * 3) as usize);
        for y in 0..h as usize {
            for x in 0..w as usize {
                rgb.extend([f(x, y); 3]);
            }
        }
        Frame { width: w, height: h, rgb }
    }

    #[test]
    fn a_blurred_frame_scores_less_sharp_and_the_same_frame_as_sharp() {
        let pattern = frame(32, 24, |x, y| if (x / 2 + y / 2).is_multiple_of(2) { 200 } else { 40 });
        // A 3-wide box blur across.
        let blurred = frame(32, 24, |x, y| {
            let at = |x: usize| if (x / 2 + y / 2).is_multiple_of(2) { 200u32 } else { 40 };
            ((at(x.saturating_sub(1)) + at(x) + at((x + 1).min(31))) / 3) as u8
        });
        let mut same = Tally::default();
        same.add(&pattern, &pattern);
        assert!((same.scores().sharpness - 1.0).abs() < 1e-12);
        let mut soft = Tally::default();
        soft.add(&blurred, &pattern);
        let s = soft.scores().sharpness;
        assert!(s < 0.8, "a blurred frame scored {s}");
        assert_eq!(gradient_energy(&frame(1, 1, |_, _| 9)), 0.0);
    }

    #[test]
    fn ssim_is_one_for_equal_frames_and_falls_with_noise_and_blur() {
        let pattern = frame(32, 24, |x, y| ((x * 7 + y * 13) % 256) as u8);
        assert!((ssim(&pattern, &pattern) - 1.0).abs() < 1e-9);
        let mut rng = fastrand::Rng::with_seed(3);
        let noisy = frame(32, 24, |x, y| (((x * 7 + y * 13) % 256) as i32 + rng.i32(-40..40)).clamp(0, 255) as u8);
        let flat = frame(32, 24, |_, _| 128);
        let (s_noisy, s_flat) = (ssim(&pattern, &noisy), ssim(&pattern, &flat));
        assert!(s_noisy < 0.95 && s_flat < s_noisy, "noisy {s_noisy}, flat {s_flat}");
        assert_eq!(ssim(&pattern, &frame(16, 24, |_, _| 0)), 0.0);
    }

    #[test]
    fn flicker_ignores_motion_the_reference_has_and_counts_what_it_has_not() {
        let a = frame(8, 8, |x, _| (x * 20) as u8);
        let b = frame(8, 8, |x, _| (x * 20 + 10) as u8);
        assert_eq!(flicker(&a, &b, &a, &b), 0.0);
        // The generated frames brighten by 10 where the reference stays still.
        assert!((flicker(&a, &b, &a, &a) - 10.0).abs() < 1e-9);
    }

    fn histogram_of(colours: &[[u8; 3]]) -> Histogram {
        let mut h = Histogram::default();
        colours.iter().for_each(|c| h.add_pixel(c));
        h
    }

    #[test]
    fn a_share_of_few_returns_is_given_a_wide_interval() {
        let close = |(a, b): (f64, f64), (x, y): (f64, f64)| (a - x).abs() < 1e-3 && (b - y).abs() < 1e-3;
        // The Wilson formula worked separately (in Python) for these counts.
        assert!(close(share_interval(27, 30), (0.7438, 0.9654)), "{:?}", share_interval(27, 30));
        assert!(close(share_interval(95, 100), (0.8882, 0.9785)), "{:?}", share_interval(95, 100));
        assert!(close(share_interval(0, 10), (0.0, 0.2775)) && close(share_interval(10, 10), (0.7225, 1.0)));
        assert_eq!(share_interval(0, 0), (0.0, 1.0));
    }

    /// A shift of a few levels across a bin edge (64) keeps most of the match; another colour
    /// matches nothing; every pixel counts once.
    #[test]
    fn histograms_share_pixels_between_neighbouring_bins() {
        let (a, b, c) =
            (histogram_of(&[[200, 60, 60]]), histogram_of(&[[204, 68, 66]]), histogram_of(&[[40, 160, 200]]));
        assert!((a.bins.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(a.intersection(&b) > 0.7, "{}", a.intersection(&b));
        assert!(a.intersection(&c) < 0.05, "{}", a.intersection(&c));
        assert!((a.intersection(&a) - 1.0).abs() < 1e-12);
        let ends = histogram_of(&[[0, 0, 0], [255, 255, 255]]);
        assert_eq!((ends.bins[0], ends.bins[63]), (1.0, 1.0));
    }

    /// The reference renderer that never sees the last event (the return).
    struct Forgetful(ReferenceGenerator);
    impl Generator for Forgetful {
        fn generate(&mut self, r: &ChunkRequest) -> Result<crate::Chunk, GeneratorError> {
            let events = r.timeline.events();
            let timeline = Timeline::from_state(r.timeline.start().clone(), events[..events.len() - 1].to_vec());
            self.0.generate(&ChunkRequest { timeline, ..r.clone() })
        }
        fn seek(&mut self, _: u64) {}
        fn reset(&mut self) {}
        fn name(&self) -> &str {
            "forgetful"
        }
    }

    fn dragon_on_stage() -> campfire_scene::EventLog {
        use campfire_scene::{Appearance, Event, Kind, Spot, Stamped};
        vec![
            Stamped {
                tick: 0,
                event: Event::Add {
                    id: "d".into(),
                    name: "Dragon".into(),
                    kind: Kind::Dragon,
                    appearance: Appearance::default(),
                },
            },
            Stamped { tick: 0, event: Event::Enter { id: "d".into(), at: Spot::Center.position() } },
        ]
    }

    #[test]
    fn a_generator_that_forgets_the_entity_does_not_keep_it() {
        let stage = campfire_scene::Stage::default();
        let r = reentry(
            &mut Forgetful(ReferenceGenerator::new()),
            stage,
            dragon_on_stage(),
            VideoFormat::TRAINING,
            3,
            &mut |_| {},
        )
        .unwrap()
        .expect("judged");
        assert!(!r.kept && r.generated < KEPT_SHARE * r.reference && r.like_reference < LIKE_REFERENCE, "{r:?}");
    }

    #[test]
    fn the_reference_keeps_an_entity_that_leaves_and_comes_back() {
        use campfire_scene::Stage;
        let events = dragon_on_stage();
        let format = VideoFormat::TRAINING;
        let mut seen = 0;
        let r = reentry(&mut ReferenceGenerator::new(), Stage::default(), events, format, 3, &mut |_| seen += 1)
            .unwrap()
            .expect("the dragon is big enough to judge");
        assert_eq!(r.entity, "d");
        assert!(seen >= 10, "the rollout covers the exit and the return: {seen} chunks");
        assert!(r.kept && r.generated == r.reference && r.like_reference > 0.999, "{r:?}");
        assert!(r.reference > 0.8, "the dragon looks like itself after it returns: {r:?}");
    }

    #[test]
    fn the_reference_against_itself_scores_perfectly_in_every_window() {
        let state = campfire_scene::SceneState::new(campfire_scene::Stage::default());
        let timeline = Timeline::still(state);
        let format = VideoFormat::TRAINING.with_size(64, 48);
        let mut seen = Vec::new();
        let windows =
            rollout(&mut ReferenceGenerator::new(), &timeline, format, 7, 5, 2, &mut |k| seen.push(k)).unwrap();
        assert_eq!(seen, vec![0, 1, 2, 3, 4]);
        assert_eq!(windows.len(), 3, "two whole windows of 2 chunks and one of 1");
        let per_chunk = format.chunk_frames as usize;
        assert_eq!(windows.iter().map(|w| w.frames).collect::<Vec<_>>(), vec![2 * per_chunk, 2 * per_chunk, per_chunk]);
        for w in &windows {
            assert!(w.psnr_db.is_infinite() && (w.ssim - 1.0).abs() < 1e-9 && w.flicker == 0.0, "{w:?}");
        }
        let all = combine(&windows);
        assert_eq!(all.frames, 5 * per_chunk);
        assert!((all.ssim - 1.0).abs() < 1e-9);
    }
}
