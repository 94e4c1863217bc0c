//! Every figure of a pose placed once, for the picture and the conditioning map alike.
//!
//! On top of [`view::place`] (feet, size, facing) and [`motion::animate`] this resolves what
//! depends on other entities or on the world: a held prop sits in its holder's hand, a figure
//! that points at or looks at something faces it, a moon is lit as the world's phase says, a
//! planet is lit on the side of a sun on stage, and a figure below the water line is under water.

use super::motion::{self, Anim};
use super::raster::Xf;
use super::view::{self, Placed, View};
use campfire_scene::{Kind, Pose, Setting};

/// One figure ready to draw.
#[derive(Clone, Debug)]
pub struct Item<'a> {
    pub id: &'a str,
    pub placed: Placed,
    pub anim: Anim,
    /// The figure's frame with its animation applied (what the figure is drawn in).
    pub xf: Xf,
    /// Lit fraction of a moon's disc, 0 (new) .. 1 (full); `None` for other kinds.
    pub lit: Option<f32>,
    /// For a planet or the Earth with a sun on stage: the screen side the sun is on (-1 left,
    /// 1 right); the other half is in night.
    pub sun_side: Option<f32>,
    /// Below the water line in a setting with water: drawn under the surface.
    pub submerged: bool,
    /// Held in someone's hand.
    pub held: bool,
    /// A label to draw with an arrow to it.
    pub label: Option<&'a str>,
    /// Screen direction of what the action aims at (-1 left, 1 right), 0 when none.
    pub aim: f32,
}

/// Where a kind holds things, in its own units (feet at the origin, facing +x): the hand the
/// `Hold` pose reaches forward, or a mouth or beak for animals.
pub fn hand_point(kind: Kind) -> [f32; 2] {
    match kind {
        Kind::Child => [0.24, 0.52],
        Kind::Robot => [0.44, 0.5],
        Kind::Dragon => [0.62, 0.5],
        Kind::Cat | Kind::Dog => [0.66, 0.52],
        Kind::Rabbit => [0.42, 0.55],
        Kind::Bird => [0.52, 0.62],
        Kind::Monkey => [0.3, 0.54],
        Kind::Penguin => [0.33, 0.4],
        Kind::Teddy => [0.36, 0.5],
        Kind::Doll => [0.31, 0.58],
        // The elephant holds things in its trunk, which `Hold` raises.
        Kind::Elephant => [0.74, 0.62],
        Kind::Horse => [0.66, 0.7],
        Kind::Cow => [0.56, 0.48],
        Kind::Bear => [0.62, 0.54],
        Kind::Lion => [0.52, 0.5],
        Kind::Dinosaur => [0.66, 0.86],
        Kind::Pig => [0.6, 0.42],
        Kind::Sheep => [0.48, 0.44],
        Kind::Mouse => [0.6, 0.28],
        Kind::Duck => [0.5, 0.64],
        Kind::Owl => [0.3, 0.45],
        _ => [0.5, 0.5],
    }
}

/// Where a prop is held, in its own units: the middle of most things, the end of a balloon's
/// or a kite's string, an umbrella's handle.
pub fn grip_point(kind: Kind) -> [f32; 2] {
    match kind {
        Kind::Balloon => [0.0, 0.03],
        Kind::Kite => [-0.26, 0.02],
        Kind::Umbrella => [0.0, 0.25],
        _ => [0.0, 0.45],
    }
}

/// Places every entity of `pose` in `view`, back to front.
pub fn layout<'a>(view: &View, pose: &Pose<'a>) -> Vec<Item<'a>> {
    let water = pose.stage.setting.has_water();
    let sun_x = pose.entities.iter().find(|pe| pe.entity.kind == Kind::Sun).map(|pe| pe.position.x);
    let mut items: Vec<Item<'a>> = Vec::with_capacity(pose.entities.len());
    for (i, pe) in pose.entities.iter().enumerate() {
        let e = pe.entity;
        let mut placed = view::place(view, pe);
        let target = e.target.as_deref().and_then(|t| pose.entities.iter().find(|o| o.entity.id == t));
        let aim = target.map_or(0.0, |t| {
            let d = t.position.x - pe.position.x;
            if d.abs() < 1e-3 { 0.0 } else { d.signum() }
        });
        if aim != 0.0 {
            placed.base = Xf::new(placed.base.ox, placed.base.oy, placed.base.s, 0.0, aim);
        }
        let mut anim = motion::animate(placed.action, placed.kind, placed.action_time, i as u64);
        let holder = e.held_by.as_deref().and_then(|h| items.iter().find(|it| it.id == h));
        let held = holder.is_some();
        if let Some(h) = holder {
            // In the hand: the prop's own size at the holder's depth, its grip on the hand.
            let hand = h.xf.to_px(hand_point(h.placed.kind));
            let (s, flip, grip) = (placed.base.s, h.placed.base.flip, grip_point(placed.kind));
            placed.base = Xf::new(hand[0] - grip[0] * s * flip, hand[1] + grip[1] * s, s, 0.0, flip);
            // A prop in hand keeps still: it moves with the hand, not by itself.
            anim = Anim { glow: anim.glow, sparkle: anim.sparkle, ..Anim::REST };
        }
        // Seen from space with the sun in view, the moon is a ball half in sunlight like any
        // planet; its phase is what is seen from the Earth, drawn everywhere else.
        let space_moon = placed.kind == Kind::Moon && pose.stage.setting == Setting::Space && sun_x.is_some();
        let sun_side = match (placed.kind, sun_x) {
            (Kind::Planet | Kind::Earth | Kind::Moon, Some(sx))
                if (sx - pe.position.x).abs() > 1e-3 && (placed.kind != Kind::Moon || space_moon) =>
            {
                Some((sx - pe.position.x).signum())
            }
            _ => None,
        };
        let submerged = water && pe.position.y < -0.01 && !held;
        if submerged {
            // The swimmer's water band is for swimming at the surface; under it, it is all water.
            anim.swim = None;
        }
        let xf = placed.base.child([anim.dx, anim.dy], anim.tilt, anim.scale);
        items.push(Item {
            id: e.id.as_str(),
            lit: (placed.kind == Kind::Moon && !space_moon).then(|| pose.moon.lit()),
            placed,
            anim,
            xf,
            sun_side,
            submerged,
            held,
            label: e.label.as_deref(),
            aim,
        });
    }
    items
}

/// The pixel box a figure covers: `(left, top, right, bottom)`.
pub fn figure_box(item: &Item<'_>) -> [f32; 4] {
    let hw = super::kind_half_width(item.placed.kind) * item.xf.s;
    let top = item.xf.s * item.anim.squash;
    [item.xf.ox - hw, item.xf.oy - top, item.xf.ox + hw, item.xf.oy]
}
