//! Conditioning maps: the scene as the video model sees it, a low-resolution semantic layout.
//!
//! It is built from the same [`Pose`] and the same layout code as the reference renderer (so
//! the boxes sit where the figures are drawn) but it is *not* the picture: it says what is
//! where, in which colours, doing what, and under which sky; the model must paint the rest.
//!
//! # Channel layout (the contract with the DiT)
//!
//! `data` is `(C, H, W)` row-major `f32`, `C = CHANNELS = 141`. Per pixel, the entity is the
//! front-most one whose figure box covers the pixel centre (painter's order, back to front);
//! where no entity covers the pixel, channels 0..=113 are 0.
//!
//! | channels | meaning |
//! |---|---|
//! | 0 | occupancy: soft coverage of the figure box, 0..1 |
//! | 1..=79 | kind one-hot, in [`Kind::ALL`] order (`1 + kind.index()`) |
//! | 80..=82 | `appearance.color` as sRGB 0..1 |
//! | 83..=85 | `appearance.accent` as sRGB 0..1 |
//! | 86..=104 | action one-hot, in [`Action::ALL`] order (`86 + action.index()`) |
//! | 105, 106 | action phase: sin, cos of 2π·`action_time` (1 Hz) |
//! | 107 | action age: `min(action_time / 4 s, 1)` (for one-shot actions: hide, grow) |
//! | 108 | depth, 0 front .. 1 back |
//! | 109 | across the figure: -1 back .. 1 front (facing-aware) |
//! | 110 | up the figure: 0 feet .. 1 top |
//! | 111 | lit: a moon's lit fraction of its width (0 new .. 1 full); for a planet or the Earth, 1 on its day side and 0 on its night side when a sun is on stage; else 1 |
//! | 112 | held: 1 for a prop in someone's hand |
//! | 113 | under water: 1 for a figure below the water line |
//! | 114 | text: 1 inside a title card, caption or label panel or a label's arrow (not per entity; the words themselves are drawn over the generated picture) |
//! | 115..=125 | setting one-hot, [`Setting::ALL`] order (same value at every pixel) |
//! | 126..=129 | time-of-day one-hot, [`TimeOfDay::ALL`] order (every pixel) |
//! | 130..=135 | weather one-hot, [`Weather::ALL`] order (every pixel) |
//! | 136 | camera x / 2 (every pixel) |
//! | 137 | log2(camera zoom) / 2 (every pixel) |
//! | 138, 139 | clock: sin, cos of 2π·`time` / 4 s (drives clouds, water, twinkles; every pixel) |
//! | 140 | title card shown (every pixel) |
//!
//! The figure box follows the animation's lift and scale (a jump moves the box up, hiding
//! shrinks it), so motion is visible in the layout too, and the phase channels say where in the
//! cycle the figure is. Version 1 (72 channels) had no lit, held, water or text channels and 22
//! kinds, 13 actions and 10 settings; version 2 (96 channels) had 34 kinds.

use crate::layout::{self, figure_box};
use crate::{text, view};
use campfire_scene::{Action, Kind, Pose, Setting, TimeOfDay, Weather};
use std::f32::consts::TAU;

pub const CH_OCCUPANCY: usize = 0;
pub const CH_KIND: usize = 1;
pub const CH_COLOR: usize = CH_KIND + Kind::ALL.len();
pub const CH_ACCENT: usize = CH_COLOR + 3;
pub const CH_ACTION: usize = CH_ACCENT + 3;
pub const CH_PHASE: usize = CH_ACTION + Action::ALL.len();
pub const CH_AGE: usize = CH_PHASE + 2;
pub const CH_DEPTH: usize = CH_AGE + 1;
pub const CH_ACROSS: usize = CH_DEPTH + 1;
pub const CH_UP: usize = CH_ACROSS + 1;
pub const CH_LIT: usize = CH_UP + 1;
pub const CH_HELD: usize = CH_LIT + 1;
pub const CH_UNDERWATER: usize = CH_HELD + 1;
/// First channel that is not about one entity.
const ENTITY_CHANNELS: usize = CH_UNDERWATER + 1;
pub const CH_TEXT: usize = ENTITY_CHANNELS;
pub const CH_SETTING: usize = CH_TEXT + 1;
pub const CH_TIME: usize = CH_SETTING + Setting::ALL.len();
pub const CH_WEATHER: usize = CH_TIME + TimeOfDay::ALL.len();
pub const CH_CAMERA: usize = CH_WEATHER + Weather::ALL.len();
pub const CH_CLOCK: usize = CH_CAMERA + 2;
pub const CH_TITLE: usize = CH_CLOCK + 2;
/// Number of channels.
pub const CHANNELS: usize = CH_TITLE + 1;
/// Version of this channel contract (the same number as [`CONDITION_VERSION`]).
pub const VERSION: u32 = CONDITION_VERSION;

/// Version of the channel layout above. Bump it whenever a channel is added, removed, moved or
/// changes meaning: datasets and model configs record the version they were made with, and
/// [`check_version`] refuses the others, so a model never reads maps it was not trained on.
/// Version 0 stands for data made before versions were recorded.
pub const CONDITION_VERSION: u32 = 3;

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

// The table above is written by hand: the vocabulary growing must show up here (and bump the
// version), not slip past the docs.
const _: () = assert!(CH_COLOR == 80 && CH_ACTION == 86 && CH_LIT == 111 && CH_TEXT == 114);
const _: () = assert!(CH_SETTING == 115 && CH_CAMERA == 136 && CHANNELS == 141);

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
    let items = layout::layout(&view, pose);

    for item in &items {
        let placed = &item.placed;
        let xf = item.xf;
        let [left, _, right, feet] = figure_box(item);
        let (cx, hw, top) = (xf.ox, 0.5 * (right - left), feet - figure_box(item)[1]);
        if !(cx.is_finite() && feet.is_finite()) || hw < 1e-3 || top < 1e-3 {
            continue;
        }
        let x0 = (cx - hw - 1.0).floor().max(0.0) as usize;
        let x1 = ((cx + hw + 1.0).ceil().max(0.0) as usize).min(w);
        let y0 = (feet - top - 1.0).floor().max(0.0) as usize;
        let y1 = ((feet + 1.0).ceil().max(0.0) as usize).min(h);
        let t = placed.action_time;
        let mut vals = [0.0f32; ENTITY_CHANNELS];
        vals[CH_KIND + placed.kind.index()] = 1.0;
        vals[CH_COLOR..CH_COLOR + 3].copy_from_slice(&placed.color);
        vals[CH_ACCENT..CH_ACCENT + 3].copy_from_slice(&placed.accent);
        vals[CH_ACTION + placed.action.index()] = 1.0;
        vals[CH_PHASE] = (TAU * t).sin();
        vals[CH_PHASE + 1] = (TAU * t).cos();
        vals[CH_AGE] = (t / 4.0).min(1.0);
        vals[CH_DEPTH] = placed.depth;
        vals[CH_HELD] = f32::from(u8::from(item.held));
        vals[CH_UNDERWATER] = f32::from(u8::from(item.submerged));
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
                    vals[CH_LIT] = lit_at(item, across);
                    for (c, v) in vals.iter().enumerate() {
                        data[c * n + p] = *v;
                    }
                }
            }
        }
    }

    // Text panels and arrows: where the words will be.
    for b in text::layout(pose, &items, w as u32, h as u32) {
        let [x0, y0, x1, y1] = b.rect;
        for y in (y0.floor().max(0.0) as usize)..(y1.ceil().max(0.0) as usize).min(h) {
            for x in (x0.floor().max(0.0) as usize)..(x1.ceil().max(0.0) as usize).min(w) {
                data[CH_TEXT * n + y * w + x] = 1.0;
            }
        }
        if let Some((a, b)) = b.arrow {
            let steps = ((b[0] - a[0]).abs().max((b[1] - a[1]).abs()).ceil() as usize).max(1);
            for i in 0..=steps {
                let t = i as f32 / steps as f32;
                let (x, y) = (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t);
                if x >= 0.0 && y >= 0.0 && (x as usize) < w && (y as usize) < h {
                    data[CH_TEXT * n + y as usize * w + x as usize] = 1.0;
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
    globals[CH_TITLE - CH_SETTING] = f32::from(u8::from(pose.title.is_some()));
    for (i, v) in globals.iter().enumerate() {
        data[(CH_SETTING + i) * n..(CH_SETTING + i + 1) * n].fill(*v);
    }
    ConditionMap { width: w as u32, height: h as u32, channels: CHANNELS as u32, data }
}

/// The lit channel at `across` (-1 left .. 1 right edge of the box, on screen).
fn lit_at(item: &layout::Item<'_>, across: f32) -> f32 {
    if let Some(lit) = item.lit {
        return lit;
    }
    match item.sun_side {
        // The day side faces the sun; the terminator runs down the middle.
        Some(side) => f32::from(u8::from(across * side >= 0.0)),
        None => 1.0,
    }
}
