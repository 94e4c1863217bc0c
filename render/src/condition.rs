//! Conditioning maps: the scene as the video model sees it, a low-resolution semantic layout.
//!
//! It is built from the same [`Pose`] and the same layout code as the reference renderer (so
//! the boxes sit where the figures are drawn) but it is *not* the picture: it says what is
//! where, in which colours, doing what, and under which sky; the model must paint the rest.
//!
//! # Channel layout (the contract with the DiT)
//!
//! `data` is `(C, H, W)` row-major `f32`, `C = CHANNELS = 72`. Per pixel, the entity is the
//! front-most one whose figure box covers the pixel centre (painter's order, back to front);
//! where no entity covers the pixel, channels 0..=47 are 0.
//!
//! | channels | meaning |
//! |---|---|
//! | 0 | occupancy: soft coverage of the figure box, 0..1 |
//! | 1..=22 | kind one-hot, in [`Kind::ALL`] order (`1 + kind.index()`) |
//! | 23..=25 | `appearance.color` as sRGB 0..1 |
//! | 26..=28 | `appearance.accent` as sRGB 0..1 |
//! | 29..=41 | action one-hot, in [`Action::ALL`] order (`29 + action.index()`) |
//! | 42, 43 | action phase: sin, cos of 2π·`action_time` (1 Hz) |
//! | 44 | action age: `min(action_time / 4 s, 1)` (for one-shot actions: hide, grow) |
//! | 45 | depth, 0 front .. 1 back |
//! | 46 | across the figure: -1 back .. 1 front (facing-aware) |
//! | 47 | up the figure: 0 feet .. 1 top |
//! | 48..=57 | setting one-hot, [`Setting::ALL`] order (same value at every pixel) |
//! | 58..=61 | time-of-day one-hot, [`TimeOfDay::ALL`] order (every pixel) |
//! | 62..=67 | weather one-hot, [`Weather::ALL`] order (every pixel) |
//! | 68 | camera x / 2 (every pixel) |
//! | 69 | log2(camera zoom) / 2 (every pixel) |
//! | 70, 71 | clock: sin, cos of 2π·`time` / 4 s (drives clouds, water, twinkles; every pixel) |
//!
//! The figure box follows the animation's lift and scale (a jump moves the box up, hiding
//! shrinks it), so motion is visible in the layout too, and the phase channels say where in the
//! cycle the figure is.

use crate::{kind_half_width, motion, view};
use campfire_scene::{Action, Kind, Pose, Setting, TimeOfDay, Weather};
use std::f32::consts::TAU;

pub const CH_OCCUPANCY: usize = 0;
pub const CH_KIND: usize = 1;
pub const CH_COLOR: usize = 23;
pub const CH_ACCENT: usize = 26;
pub const CH_ACTION: usize = 29;
pub const CH_PHASE: usize = 42;
pub const CH_AGE: usize = 44;
pub const CH_DEPTH: usize = 45;
pub const CH_ACROSS: usize = 46;
pub const CH_UP: usize = 47;
pub const CH_SETTING: usize = 48;
pub const CH_TIME: usize = 58;
pub const CH_WEATHER: usize = 62;
pub const CH_CAMERA: usize = 68;
pub const CH_CLOCK: usize = 70;
/// Number of channels.
pub const CHANNELS: usize = 72;
/// Version of this channel contract. A model trained on conditioning maps records it and
/// refuses maps of another version; bump it whenever the table above changes.
pub const VERSION: u32 = 1;

/// Version of the channel layout above. Bump it whenever a channel is added, removed, moved or
/// changes meaning: datasets and model configs record the version they were made with, and
/// [`check_version`] refuses the others, so a model never reads maps it was not trained on.
/// Version 0 stands for data made before versions were recorded.
pub const CONDITION_VERSION: u32 = 1;

/// Data or weights made for another conditioning layout than this build's.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "{what} was made for conditioning version {found}, but this build's conditioning maps are version \
     {CONDITION_VERSION} ({CHANNELS} channels); {remedy}"
)]
pub struct VersionMismatch {
    /// What was refused (a file, usually).
    pub what: String,
    pub found: u32,
    /// What to do about it (the command that remakes it).
    pub remedy: String,
}

/// Refuses `found` unless it is [`CONDITION_VERSION`]; `what` and `remedy` go into the message.
pub fn check_version(found: u32, what: impl Into<String>, remedy: impl Into<String>) -> Result<(), VersionMismatch> {
    if found == CONDITION_VERSION {
        return Ok(());
    }
    Err(VersionMismatch { what: what.into(), found, remedy: remedy.into() })
}

// The layout above is written by hand; keep it honest if the vocabulary grows.
const _: () = assert!(CH_KIND + 22 == CH_COLOR);
const _: () = assert!(CH_SETTING + 10 == CH_TIME && CH_TIME + 4 == CH_WEATHER && CH_WEATHER + 6 == CH_CAMERA);

/// A `(C, H, W)` conditioning tensor for one frame.
#[derive(Clone, Debug, PartialEq)]
pub struct ConditionMap {
    pub width: u32,
    pub height: u32,
    pub channels: u32,
    pub data: Vec<f32>,
}

impl ConditionMap {
    /// Value at channel `c`, pixel `(x, y)`.
    pub fn at(&self, c: usize, x: u32, y: u32) -> f32 {
        self.data[(c * self.height as usize + y as usize) * self.width as usize + x as usize]
    }

    /// One channel as a `H × W` slice.
    pub fn channel(&self, c: usize) -> &[f32] {
        let n = self.width as usize * self.height as usize;
        &self.data[c * n..(c + 1) * n]
    }
}

/// Builds the conditioning map of `pose` at `width`×`height` (typically the latent size, e.g.
/// 32×24).
pub fn condition_map(pose: &Pose<'_>, width: u32, height: u32) -> ConditionMap {
    let (w, h) = (width.clamp(1, 4096) as usize, height.clamp(1, 4096) as usize);
    let n = w * h;
    let mut data = vec![0.0f32; CHANNELS * n];
    let view = view::View::new(w as f32, h as f32, pose.camera);
    let time = if pose.time.is_finite() { pose.time } else { 0.0 };

    for (i, pe) in pose.entities.iter().enumerate() {
        let placed = view::place(&view, pe);
        let anim = motion::animate(placed.action, placed.kind, placed.action_time, i as u64);
        let xf = placed.base.child([anim.dx, anim.dy], 0.0, anim.scale);
        let hw = kind_half_width(placed.kind) * xf.s;
        let top = xf.s * anim.squash;
        let (cx, feet) = (xf.ox, xf.oy);
        if !(cx.is_finite() && feet.is_finite()) || hw < 1e-3 || top < 1e-3 {
            continue;
        }
        let x0 = (cx - hw - 1.0).floor().max(0.0) as usize;
        let x1 = ((cx + hw + 1.0).ceil().max(0.0) as usize).min(w);
        let y0 = (feet - top - 1.0).floor().max(0.0) as usize;
        let y1 = ((feet + 1.0).ceil().max(0.0) as usize).min(h);
        let t = placed.action_time;
        let mut vals = [0.0f32; 48];
        vals[CH_KIND + placed.kind.index()] = 1.0;
        vals[CH_COLOR..CH_COLOR + 3].copy_from_slice(&placed.color);
        vals[CH_ACCENT..CH_ACCENT + 3].copy_from_slice(&placed.accent);
        vals[CH_ACTION + placed.action.index()] = 1.0;
        vals[CH_PHASE] = (TAU * t).sin();
        vals[CH_PHASE + 1] = (TAU * t).cos();
        vals[CH_AGE] = (t / 4.0).min(1.0);
        vals[CH_DEPTH] = placed.depth;
        for y in y0..y1 {
            let up = (feet - (y as f32 + 0.5)) / top;
            for x in x0..x1 {
                let across = ((x as f32 + 0.5) - cx) / hw;
                // A rounded box (superellipse) with a one-pixel soft edge.
                let r = (across.abs().powi(4) + (2.0 * up - 1.0).abs().powi(4)).powf(0.25);
                let edge_px = 0.5 * (hw.min(top * 0.5));
                let cov = ((1.0 - r) * edge_px + 0.5).clamp(0.0, 1.0);
                if cov <= 0.0 {
                    continue;
                }
                let p = y * w + x;
                if cov >= 0.5 || data[CH_OCCUPANCY * n + p] < 0.5 {
                    vals[CH_OCCUPANCY] = cov.max(data[CH_OCCUPANCY * n + p]);
                    vals[CH_ACROSS] = (across * placed.base.flip).clamp(-1.0, 1.0);
                    vals[CH_UP] = up.clamp(0.0, 1.0);
                    for (c, v) in vals.iter().enumerate() {
                        data[c * n + p] = *v;
                    }
                }
            }
        }
    }

    let mut globals = [0.0f32; CHANNELS - CH_SETTING];
    globals[pose.stage.setting.index()] = 1.0;
    globals[CH_TIME - CH_SETTING + pose.stage.time.index()] = 1.0;
    globals[CH_WEATHER - CH_SETTING + pose.stage.weather.index()] = 1.0;
    globals[CH_CAMERA - CH_SETTING] = view.cam_x / 2.0;
    globals[CH_CAMERA + 1 - CH_SETTING] = view.zoom.log2() / 2.0;
    globals[CH_CLOCK - CH_SETTING] = (TAU * time / 4.0).sin();
    globals[CH_CLOCK + 1 - CH_SETTING] = (TAU * time / 4.0).cos();
    for (i, v) in globals.iter().enumerate() {
        data[(CH_SETTING + i) * n..(CH_SETTING + i + 1) * n].fill(*v);
    }
    debug_assert_eq!(Kind::ALL.len(), 22);
    debug_assert_eq!(Action::ALL.len(), 13);
    debug_assert_eq!(Setting::ALL.len() + TimeOfDay::ALL.len() + Weather::ALL.len(), 20);
    ConditionMap { width: w as u32, height: h as u32, channels: CHANNELS as u32, data }
}
