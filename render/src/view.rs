//! From the stage to the screen: perspective, camera pan and zoom.
//!
//! Screen units: `v` runs 0 (top) to 1 (bottom), `u` runs 0 to the aspect ratio, so shapes keep
//! their proportions at any resolution. A stage point at depth 0 stands on the front ground line
//! (`v = GROUND_FRONT`); further back it stands higher (towards the horizon), closer to the
//! centre, and smaller. Layers of the backdrop take a `parallax` (0 = sky, fixed; 1 = the front
//! of the stage) so a camera pan slides the near ground more than the far hills.

use super::raster::{Rgb, Xf, rgb8};
use campfire_scene::{Action, Camera, Kind, PosedEntity};

/// Where the front of the stage touches the ground.
pub const GROUND_FRONT: f32 = 0.88;
/// Where the back of the stage (depth 1) touches the ground: the horizon.
pub const HORIZON: f32 = 0.56;
/// Vertical zoom anchor: zooming in keeps the characters' ground in view.
const ANCHOR_V: f32 = 0.7;

#[derive(Clone, Copy, Debug)]
pub struct View {
    pub w: f32,
    pub h: f32,
    pub cam_x: f32,
    pub zoom: f32,
}

impl View {
    pub fn new(w: f32, h: f32, camera: Camera) -> Self {
        let cam_x = if camera.x.is_finite() { camera.x.clamp(-3.0, 3.0) } else { 0.0 };
        let zoom = if camera.zoom.is_finite() { camera.zoom.clamp(0.2, 5.0) } else { 1.0 };
        Self { w, h, cam_x, zoom }
    }

    pub fn aspect(&self) -> f32 {
        self.w / self.h
    }

    /// Zoom of a layer: far layers zoom less.
    fn layer_zoom(&self, parallax: f32) -> f32 {
        1.0 + (self.zoom - 1.0) * parallax
    }

    /// Screen units of a layer to pixels.
    pub fn to_px(self, u: f32, v: f32, parallax: f32) -> [f32; 2] {
        let a = self.aspect();
        let z = self.layer_zoom(parallax);
        let u = u - self.cam_x * a * 0.46 * parallax;
        [(a * 0.5 + (u - a * 0.5) * z) * self.h, (ANCHOR_V + (v - ANCHOR_V) * z) * self.h]
    }

    /// Pixels to screen units of a layer.
    pub fn px_to_units(&self, px: f32, py: f32, parallax: f32) -> [f32; 2] {
        let a = self.aspect();
        let z = self.layer_zoom(parallax);
        let u = a * 0.5 + (px / self.h - a * 0.5) / z + self.cam_x * a * 0.46 * parallax;
        [u, ANCHOR_V + (py / self.h - ANCHOR_V) / z]
    }

    /// Pixels per screen unit on a layer.
    pub fn px_per_unit(&self, parallax: f32) -> f32 {
        self.h * self.layer_zoom(parallax)
    }
}

/// Perspective shrink at a depth (1 at the front, 0.5 at the back).
pub fn perspective(depth: f32) -> f32 {
    1.0 - 0.5 * depth.clamp(0.0, 1.0)
}

/// An entity resolved onto the screen, ready to draw.
#[derive(Clone, Debug)]
pub struct Placed {
    pub kind: Kind,
    pub action: Action,
    pub color: Rgb,
    pub accent: Rgb,
    /// Feet of the figure on screen, pixels per figure unit, and facing.
    pub base: Xf,
    pub action_time: f32,
    pub depth: f32,
    /// Pixel height of the frame, for line widths that must not vanish when small.
    pub frame_h: f32,
}

/// Resolves a posed entity: where its feet are, how big it is and which way it faces.
pub fn place(view: &View, pe: &PosedEntity<'_>) -> Placed {
    let p = pe.position.sanitized();
    let e = pe.entity;
    let depth = p.depth.clamp(0.0, 1.0);
    let persp = perspective(depth);
    let parallax = persp;
    let a = view.aspect();
    let ground_v = GROUND_FRONT - (GROUND_FRONT - HORIZON) * depth;
    let u = a * 0.5 + p.x * a * 0.46 * (1.0 - 0.3 * depth);
    let v = ground_v - p.y * (ground_v - 0.08);
    let [px, py] = view.to_px(u, v, parallax);
    let size = if e.appearance.size.is_finite() { e.appearance.size.clamp(0.05, 8.0) } else { 1.0 };
    let s = super::kind_height(e.kind) * persp * size * view.px_per_unit(parallax);
    let dx = e.motion.to.x - e.motion.from.x;
    let flip = if dx.abs() > 0.02 && e.motion.end > e.motion.start {
        dx.signum()
    } else if p.x > 0.05 {
        -1.0
    } else {
        1.0
    };
    let action_time = if pe.action_time.is_finite() { pe.action_time.clamp(0.0, 1.0e5) } else { 0.0 };
    Placed {
        kind: e.kind,
        action: e.action,
        color: rgb8(e.appearance.color.rgb()),
        accent: rgb8(e.appearance.accent.rgb()),
        base: Xf::new(px, py, s, 0.0, flip),
        action_time,
        depth,
        frame_h: view.h,
    }
}
