//! One figure per kind, from shaded shapes with dark outlines.
//!
//! Every figure is drawn in its own units: feet (or base) at the origin, height about 1, facing
//! +x; the [`Placed`] frame puts it on screen (position, perspective, size, facing) and the
//! [`Anim`] moves it (lift, tilt, squash, limbs, wings, face). `appearance.color` is the main
//! colour and `accent` the second one (belly, roof, sail, petals' centre …).

mod animals;
mod things;
mod vehicles;

use super::layout::Item;
use super::light::Light;
use super::motion::Anim;
use super::raster::{Canvas, INK, Paint, Rgb, Shape, Xf, mix, scale};
use super::view::Placed;
use campfire_scene::Kind;
use std::f32::consts::{PI, TAU};

const SKIN: Rgb = [0.98, 0.8, 0.64];
const WHITE: Rgb = [1.0, 1.0, 0.98];
const PINK: Rgb = [0.98, 0.6, 0.68];
const LEAF: Rgb = [0.36, 0.7, 0.3];
const WOOD: Rgb = [0.55, 0.36, 0.22];

/// A pen for one figure: its frame, outline width, transparency and vertical squash.
struct Fig<'c> {
    c: &'c mut Canvas,
    xf: Xf,
    ow: f32,
    alpha: f32,
    sq: f32,
}

impl Fig<'_> {
    fn p(&self, p: [f32; 2]) -> [f32; 2] {
        [p[0], p[1] * self.sq]
    }

    fn paint(&self, fill: Rgb) -> Paint {
        Paint::solid(fill, self.ow).alpha(self.alpha)
    }

    fn draw(&mut self, shape: Shape<'_>, paint: Paint) {
        let xf = self.xf;
        self.c.draw(&xf, &shape, &paint);
    }

    fn circle(&mut self, c: [f32; 2], r: f32, fill: Rgb) {
        let c = self.p(c);
        self.draw(Shape::Circle { c, r }, self.paint(fill));
    }

    fn ellipse(&mut self, c: [f32; 2], rx: f32, ry: f32, angle: f32, fill: Rgb) {
        let c = self.p(c);
        self.draw(Shape::Ellipse { c, rx, ry: ry * self.sq, angle }, self.paint(fill));
    }

    fn rrect(&mut self, c: [f32; 2], hw: f32, hh: f32, r: f32, fill: Rgb) {
        let c = self.p(c);
        self.draw(Shape::RoundRect { c, hw, hh: hh * self.sq, r, angle: 0.0 }, self.paint(fill));
    }

    fn capsule(&mut self, a: [f32; 2], b: [f32; 2], ra: f32, rb: f32, fill: Rgb) {
        let (a, b) = (self.p(a), self.p(b));
        self.draw(Shape::Capsule { a, b, ra, rb }, self.paint(fill));
    }

    fn poly(&mut self, pts: &[[f32; 2]], fill: Rgb) {
        let pts: Vec<[f32; 2]> = pts.iter().map(|q| self.p(*q)).collect();
        self.draw(Shape::Poly(&pts), self.paint(fill));
    }

    /// Overlapping discs merged into one outlined shape (tree crowns, clouds, bushes): all the
    /// ink first, then all the fills, so the inner outlines disappear.
    fn blob(&mut self, discs: &[([f32; 2], f32)], fill: Rgb, shade: f32) {
        let ow = self.ow;
        for &(c, r) in discs {
            let c = self.p(c);
            self.draw(Shape::Circle { c, r: r + ow }, Paint::flat(INK).alpha(self.alpha));
        }
        for (i, &(c, r)) in discs.iter().enumerate() {
            let c = self.p(c);
            let col = scale(fill, 1.0 + shade * (i as f32 / discs.len().max(1) as f32 - 0.5));
            self.draw(Shape::Circle { c, r }, Paint::flat(col).alpha(self.alpha).shade(0.18));
        }
    }

    /// A smooth outlined stroke through `pts` (tails, a snake, a hook), thinning from `r0` to
    /// `r1`: all the ink first, then all the fill, so the joints do not show.
    fn stroke(&mut self, pts: &[[f32; 2]], r0: f32, r1: f32, fill: Rgb) {
        let n = pts.len().saturating_sub(1).max(1) as f32;
        let r = |i: usize| r0 + (r1 - r0) * i as f32 / n;
        let segs: Vec<([f32; 2], [f32; 2], f32, f32)> =
            pts.windows(2).enumerate().map(|(i, s)| (self.p(s[0]), self.p(s[1]), r(i), r(i + 1))).collect();
        let ow = self.ow;
        for &(a, b, ra, rb) in &segs {
            self.draw(Shape::Capsule { a, b, ra: ra + ow, rb: rb + ow }, Paint::flat(INK).alpha(self.alpha));
        }
        for &(a, b, ra, rb) in &segs {
            // Unshaded: each segment would shade over its own height and the joints would show.
            self.draw(Shape::Capsule { a, b, ra, rb }, Paint::flat(fill).alpha(self.alpha));
        }
    }

    /// A detail without outline (eyes, blush, stripes).
    fn dot(&mut self, c: [f32; 2], r: f32, fill: Rgb) {
        let c = self.p(c);
        self.draw(Shape::Circle { c, r }, Paint::flat(fill).alpha(self.alpha));
    }

    fn line(&mut self, a: [f32; 2], b: [f32; 2], r: f32, fill: Rgb) {
        let (a, b) = (self.p(a), self.p(b));
        let r = r.max(0.45 / self.xf.s);
        self.draw(Shape::Capsule { a, b, ra: r, rb: r }, Paint::flat(fill).alpha(self.alpha));
    }

    /// An eye: a dark oval with a sparkle, or a closed arc.
    fn eye(&mut self, c: [f32; 2], r: f32, closed: bool) {
        if closed {
            self.line([c[0] - r, c[1]], [c[0] + r, c[1] - r * 0.3], r * 0.3, INK);
        } else {
            let cc = self.p(c);
            self.draw(
                Shape::Ellipse { c: cc, rx: r * 0.8, ry: r * 1.05, angle: 0.0 },
                Paint::flat(INK).alpha(self.alpha),
            );
            self.dot([c[0] + r * 0.3, c[1] + r * 0.4], r * 0.35, WHITE);
        }
    }

    /// A mouth: a smile, or an open oval while talking.
    fn mouth(&mut self, c: [f32; 2], w: f32, open: f32) {
        if open > 0.08 {
            let cc = self.p(c);
            self.draw(
                Shape::Ellipse { c: cc, rx: w * 0.55, ry: w * 0.7 * open, angle: 0.0 },
                Paint::flat([0.45, 0.12, 0.15]).alpha(self.alpha),
            );
        } else {
            self.line([c[0] - w * 0.5, c[1] + w * 0.15], [c[0], c[1] - w * 0.1], w * 0.14, INK);
            self.line([c[0], c[1] - w * 0.1], [c[0] + w * 0.5, c[1] + w * 0.15], w * 0.14, INK);
        }
    }

    fn face(&mut self, c: [f32; 2], r: f32, anim: &Anim) {
        self.eye([c[0] - r * 0.38, c[1] + r * 0.15], r * 0.14, anim.eyes_closed);
        self.eye([c[0] + r * 0.38, c[1] + r * 0.15], r * 0.14, anim.eyes_closed);
        self.dot([c[0] - r * 0.6, c[1] - r * 0.15], r * 0.13, PINK);
        self.dot([c[0] + r * 0.6, c[1] - r * 0.15], r * 0.13, PINK);
        self.mouth([c[0], c[1] - r * 0.2], r * 0.3, anim.mouth);
    }
}

/// Polar helper: a point at `len` from `from` along `angle` (0 = straight down, positive
/// swings forward).
fn limb(from: [f32; 2], angle: f32, len: f32) -> [f32; 2] {
    [from[0] + angle.sin() * len, from[1] - angle.cos() * len]
}

/// Draws one laid-out figure: the figure, then water over it when it is under water.
pub fn draw_item(canvas: &mut Canvas, item: &Item<'_>, time: f32, light: &Light) {
    if !item.submerged {
        draw(canvas, item, time, light);
        return;
    }
    // Under water: what the figure painted is seen through the water (tinted and dimmed), and
    // bubbles rise from it. The figure's pixels are found by comparing with the picture before.
    let [x0, y0, x1, y1] = super::layout::figure_box(item);
    let pad = 0.3 * item.xf.s;
    let (x0, x1) = ((x0 - pad).floor().max(0.0) as usize, ((x1 + pad).ceil().max(0.0) as usize).min(canvas.w));
    let (y0, y1) = ((y0 - pad).floor().max(0.0) as usize, ((y1 + pad).ceil().max(0.0) as usize).min(canvas.h));
    let before: Vec<Rgb> =
        (y0..y1).flat_map(|y| (x0..x1).map(move |x| (y, x))).map(|(y, x)| canvas.px[y * canvas.w + x]).collect();
    draw(canvas, item, time, light);
    let water = canvas.grade.apply([0.12, 0.42, 0.66]);
    let mut i = 0;
    for y in y0..y1 {
        for x in x0..x1 {
            let p = &mut canvas.px[y * canvas.w + x];
            let old = before[i];
            i += 1;
            let changed = (p[0] - old[0]).abs() + (p[1] - old[1]).abs() + (p[2] - old[2]).abs();
            if changed > 1e-4 {
                *p = mix(*p, water, 0.35);
            }
        }
    }
    let xf = item.xf;
    let hw = super::kind_half_width(item.placed.kind);
    for b in 0..4 {
        let q = (time * 0.45 + b as f32 * 0.27).fract();
        let x = hw * (0.6 - 0.4 * b as f32) + 0.05 * (q * 9.0 + b as f32).sin();
        canvas.draw(
            &xf,
            &Shape::Circle { c: [x, 0.7 + q * 0.9], r: 0.035 + 0.02 * q },
            &Paint::solid([0.75, 0.9, 1.0], 0.015).alpha(0.75 * (1.0 - q)),
        );
    }
}

/// Draws one placed figure with its animation.
fn draw(canvas: &mut Canvas, item: &Item<'_>, time: f32, light: &Light) {
    let (placed, anim) = (&item.placed, &item.anim);
    let base = placed.base;
    // Whole-figure motion: lift and lean around the feet, grow/shrink.
    let xf = item.xf;
    if xf.s < 0.5
        || xf.ox < -4.0 * xf.s
        || xf.ox > canvas.w as f32 + 4.0 * xf.s
        || xf.oy < -3.0 * xf.s
        || xf.oy > canvas.h as f32 + 3.0 * xf.s
    {
        return;
    }
    let ow = (0.8 / xf.s).max(0.022);
    let glow_extra = if matches!(placed.kind, Kind::Sun | Kind::Star | Kind::Lantern)
        || (placed.kind == Kind::Moon && item.lit.unwrap_or(1.0) > 0.05)
    {
        0.35 + 0.3 * light.dark
    } else {
        0.0
    };
    let glow = (anim.glow + glow_extra).min(1.0);
    if glow > 0.0 {
        let c = xf.to_px([0.0, 0.5]);
        let col = mix(placed.color, [1.0, 0.95, 0.7], 0.6);
        canvas.glow(c[0], c[1], (xf.s * (0.8 + 0.25 * glow)).max(0.12 * placed.frame_h), col, glow * 0.8 * anim.alpha);
    }
    // A shadow on the ground for things that stand on it (space has no ground; a held prop and
    // one under water cast none).
    let grounded =
        !placed.kind.is_celestial() && !matches!(placed.kind, Kind::Cloud | Kind::Rain | Kind::Steam | Kind::Rainbow);
    if grounded && !item.held && !item.submerged && light.stage.setting != campfire_scene::Setting::Space {
        let feet = base.child([anim.dx, 0.0], 0.0, anim.scale);
        let lift = (anim.dy.max(0.0) * 2.0).min(1.0);
        let w = super::kind_half_width(placed.kind) * (1.0 - 0.4 * lift);
        canvas.draw(
            &feet,
            &Shape::Ellipse { c: [0.0, 0.0], rx: w, ry: 0.06, angle: 0.0 },
            &Paint::flat([0.0, 0.0, 0.05]).alpha(0.18 * anim.alpha).soft(1.0),
        );
    }
    if anim.speed > 0.0 {
        for i in 0..3 {
            let y = 0.3 + i as f32 * 0.2;
            let len = 0.25 + 0.1 * ((time * 9.0 + i as f32).sin());
            let x0 = -super::kind_half_width(placed.kind) - 0.1;
            canvas.draw(
                &xf,
                &Shape::Capsule { a: [x0, y], b: [x0 - len, y], ra: 0.015, rb: 0.008 },
                &Paint::flat(WHITE).alpha(0.7 * anim.alpha),
            );
        }
    }
    let mut f = Fig { c: canvas, xf, ow, alpha: anim.alpha, sq: anim.squash };
    let (c, k) = (placed.color, placed.accent);
    match placed.kind {
        Kind::Child => child(&mut f, c, k, anim),
        Kind::Dragon => dragon(&mut f, c, k, anim),
        Kind::Cat => cat(&mut f, c, k, anim),
        Kind::Dog => dog(&mut f, c, k, anim),
        Kind::Rabbit => rabbit(&mut f, c, k, anim),
        Kind::Bird => bird(&mut f, c, k, anim),
        Kind::Fish => fish(&mut f, c, k, anim, time),
        Kind::Robot => robot(&mut f, c, k, anim, time),
        Kind::Tree => tree(&mut f, c, k, anim, time, light.wind),
        Kind::Flower => flower(&mut f, c, k, anim, time),
        Kind::Seed => seed(&mut f, c, k, anim),
        Kind::Sprout => sprout(&mut f, c, k, anim, time),
        Kind::Cloud => cloud(&mut f, c, k, anim),
        Kind::Sun => sun(&mut f, c, k, anim, time),
        Kind::Moon => match item.sun_side {
            Some(side) => moon_in_space(&mut f, c, side),
            None => moon(&mut f, c, k, anim, item.lit.unwrap_or(0.25)),
        },
        Kind::Star => star(&mut f, c, k, anim, time),
        Kind::Rain => rain_cloud(&mut f, c, k, anim, time),
        Kind::Boat => boat(&mut f, c, k, anim, time),
        Kind::Rocket => rocket(&mut f, c, k, anim, time),
        Kind::Lantern => lantern(&mut f, c, k, anim, time, light),
        Kind::House => house(&mut f, c, k, anim, time, light),
        Kind::Rock => rock(&mut f, c, k, anim),
        Kind::Planet => planet(&mut f, c, k, item.sun_side),
        Kind::Earth => earth(&mut f, c, k, item.sun_side, time),
        Kind::Volcano => volcano(&mut f, c, k, anim, time),
        Kind::Ice => ice(&mut f, c, k, anim),
        Kind::Water => water(&mut f, c, k, anim, time),
        Kind::Steam => steam(&mut f, c, k, anim, time),
        Kind::Ball => ball(&mut f, c, k),
        Kind::Book => book(&mut f, c, k),
        Kind::Key => key(&mut f, c, k),
        Kind::Apple => apple(&mut f, c, k),
        Kind::Shovel => shovel(&mut f, c, k),
        Kind::Shell => shell(&mut f, c, k),
        Kind::Horse => animals::horse(&mut f, c, k, anim),
        Kind::Cow => animals::cow(&mut f, c, k, anim),
        Kind::Pig => animals::pig(&mut f, c, k, anim),
        Kind::Sheep => animals::sheep(&mut f, c, k, anim),
        Kind::Duck => animals::duck(&mut f, c, k, anim),
        Kind::Owl => animals::owl(&mut f, c, k, anim),
        Kind::Frog => animals::frog(&mut f, c, k, anim),
        Kind::Bear => animals::bear(&mut f, c, k, anim),
        Kind::Lion => animals::lion(&mut f, c, k, anim),
        Kind::Elephant => animals::elephant(&mut f, c, k, anim),
        Kind::Giraffe => animals::giraffe(&mut f, c, k, anim),
        Kind::Monkey => animals::monkey(&mut f, c, k, anim),
        Kind::Mouse => animals::mouse(&mut f, c, k, anim),
        Kind::Turtle => animals::turtle(&mut f, c, k, anim),
        Kind::Snake => animals::snake(&mut f, c, k, anim, time),
        Kind::Butterfly => animals::butterfly(&mut f, c, k, anim, time),
        Kind::Bee => animals::bee(&mut f, c, k, anim, time),
        Kind::Penguin => animals::penguin(&mut f, c, k, anim),
        Kind::Whale => animals::whale(&mut f, c, k, anim, time),
        Kind::Dinosaur => animals::dinosaur(&mut f, c, k, anim),
        Kind::Car => vehicles::car(&mut f, c, k, anim, time),
        Kind::Bus => vehicles::bus(&mut f, c, k, anim, time),
        Kind::Train => vehicles::train(&mut f, c, k, anim, time),
        Kind::Truck => vehicles::truck(&mut f, c, k, anim, time),
        Kind::Plane => vehicles::plane(&mut f, c, k, anim, time),
        Kind::Bicycle => vehicles::bicycle(&mut f, c, k, anim, time),
        Kind::FireEngine => vehicles::fire_engine(&mut f, c, k, anim, time),
        Kind::Teddy => things::teddy(&mut f, c, k, anim),
        Kind::Balloon => things::balloon(&mut f, c, k, anim, time),
        Kind::Kite => things::kite(&mut f, c, k, anim, time),
        Kind::Doll => things::doll(&mut f, c, k, anim),
        Kind::Drum => things::drum(&mut f, c, k, anim, time),
        Kind::Cake => things::cake(&mut f, c, k, anim, time, light),
        Kind::Banana => things::banana(&mut f, c, k, anim),
        Kind::Carrot => things::carrot(&mut f, c, k, anim),
        Kind::IceCream => things::ice_cream(&mut f, c, k, anim),
        Kind::Cookie => things::cookie(&mut f, c, k, anim),
        Kind::Mushroom => things::mushroom(&mut f, c, k, anim),
        Kind::Leaf => things::leaf(&mut f, c, k, anim, time),
        Kind::Rainbow => things::rainbow(&mut f, c, k, anim),
        Kind::Chair => things::chair(&mut f, c, k, anim),
        Kind::Bed => things::bed(&mut f, c, k, anim),
        Kind::Cup => things::cup(&mut f, c, k, anim, time),
        Kind::Hat => things::hat(&mut f, c, k, anim),
        Kind::Umbrella => things::umbrella(&mut f, c, k, anim),
    }
    overlays(&mut f, placed, anim, time);
}

/// Action cues drawn over the figure: z's, speech bubble, water line, sparkles.
fn overlays(f: &mut Fig<'_>, placed: &Placed, anim: &Anim, time: f32) {
    let hw = super::kind_half_width(placed.kind);
    let top = 1.0 / f.sq.max(0.5);
    // Cues (z's, speech bubble) keep a readable size even on small figures.
    let anchor = f.xf.to_px([hw * 0.5, top * 0.95]);
    let cue_s = f.xf.s.max(0.3 * placed.frame_h);
    let cue = Xf::new(anchor[0], anchor[1], cue_s, 0.0, f.xf.flip);
    if let Some(p) = anim.zzz {
        for i in 0..3 {
            let q = (p + i as f32 / 3.0).fract();
            let s = 0.06 + 0.08 * q;
            let x = 0.1 + q * 0.35 + 0.05 * (q * TAU).sin();
            let y = q * 0.5;
            let a = (1.0 - q) * (q * 6.0).min(1.0);
            let z = [[x - s, y + s], [x + s, y + s], [x - s, y - s], [x + s, y - s]];
            let pts = [z[0], z[1], z[1], z[2], z[2], z[3]];
            for seg in pts.chunks(2) {
                let r = (s * 0.22).max(0.6 / cue.s);
                f.c.draw(
                    &cue,
                    &Shape::Capsule { a: seg[0], b: seg[1], ra: r, rb: r },
                    &Paint::flat([0.25, 0.3, 0.7]).alpha(a * f.alpha).emissive(),
                );
            }
        }
    }
    if let Some(p) = anim.talk {
        let c = [0.22, 0.14];
        let ow = (0.8 / cue.s).max(0.022);
        f.c.draw(
            &cue,
            &Shape::Ellipse { c, rx: 0.2, ry: 0.12, angle: 0.0 },
            &Paint::solid(WHITE, ow).alpha(0.95 * f.alpha).emissive(),
        );
        f.c.draw(
            &cue,
            &Shape::Poly(&[[c[0] - 0.12, c[1] - 0.06], [c[0] - 0.04, c[1] - 0.08], [c[0] - 0.18, c[1] - 0.18]]),
            &Paint::flat(WHITE).alpha(0.95 * f.alpha).emissive(),
        );
        for i in 0..3 {
            let on = ((p * 3.0) as i32) >= i;
            let col = if on { INK } else { [0.75, 0.75, 0.78] };
            f.c.draw(
                &cue,
                &Shape::Circle { c: [c[0] - 0.09 + i as f32 * 0.09, c[1]], r: 0.028 },
                &Paint::flat(col).alpha(f.alpha).emissive(),
            );
        }
    }
    if let Some(p) = anim.swim {
        // Water around the swimmer: a wavy band over the lower body, with a wake.
        let xf = f.xf;
        let mut pts = Vec::with_capacity(26);
        let w = hw + 0.35;
        for i in 0..=12 {
            let x = -w + 2.0 * w * i as f32 / 12.0;
            pts.push([x, 0.3 + 0.05 * (x * 9.0 + p * TAU).sin()]);
        }
        pts.push([w, -0.05]);
        pts.push([-w, -0.05]);
        f.c.draw(&xf, &Shape::Poly(&pts), &Paint::flat([0.3, 0.6, 0.9]).alpha(0.6 * f.alpha));
        for i in 0..3 {
            let q = (p + i as f32 / 3.0).fract();
            f.c.draw(
                &xf,
                &Shape::Circle { c: [-hw - q * 0.4, 0.32 + q * 0.1], r: 0.04 * (1.0 - q) + 0.01 },
                &Paint::flat(WHITE).alpha(0.8 * (1.0 - q) * f.alpha),
            );
        }
    }
    if let Some(p) = anim.sparkle {
        let xf = f.xf;
        for i in 0..5 {
            let q = (p + i as f32 * 0.2).fract();
            let ang = i as f32 * 1.3 + q * 0.5;
            let r = hw + 0.15 + 0.1 * q;
            let c = [ang.cos() * r, 0.5 + ang.sin() * (0.55 + 0.1 * q)];
            let s = 0.07 * (1.0 - (2.0 * q - 1.0).abs()) + 0.01;
            let star = [
                [c[0], c[1] + s],
                [c[0] + s * 0.25, c[1] + s * 0.25],
                [c[0] + s, c[1]],
                [c[0] + s * 0.25, c[1] - s * 0.25],
                [c[0], c[1] - s],
                [c[0] - s * 0.25, c[1] - s * 0.25],
                [c[0] - s, c[1]],
                [c[0] - s * 0.25, c[1] + s * 0.25],
            ];
            f.c.draw(&xf, &Shape::Poly(&star), &Paint::flat([1.0, 0.95, 0.55]).emissive().alpha(f.alpha));
        }
        let _ = time;
    }
}

// ---------------------------------------------------------------------------------------------
// People and animals

fn child(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    // Storybook proportions: a big head on a small body.
    let hip = [0.0, 0.3];
    let swing = a.legs * 0.55;
    let pants = scale(k, 0.85);
    let shoe = [0.32, 0.2, 0.2];
    // Back leg and arm first, so the body covers their tops.
    let back_foot = limb(hip, -swing, 0.26);
    f.capsule([hip[0] - 0.04, hip[1]], back_foot, 0.065, 0.06, scale(pants, 0.85));
    f.ellipse([back_foot[0] + 0.04, back_foot[1] + 0.02], 0.085, 0.05, 0.0, shoe);
    let shoulder = [0.0, 0.53];
    let back_hand = limb(shoulder, -a.arms * 0.6 - 0.15, 0.22);
    f.capsule(shoulder, back_hand, 0.05, 0.045, scale(c, 0.85));
    f.circle(back_hand, 0.055, scale(SKIN, 0.92));
    let front_foot = limb(hip, swing, 0.26);
    f.capsule([hip[0] + 0.04, hip[1]], front_foot, 0.065, 0.06, pants);
    f.ellipse([front_foot[0] + 0.04, front_foot[1] + 0.02], 0.085, 0.05, 0.0, shoe);
    // Tunic: a flared shape with a belt in the accent colour.
    f.poly(&[[-0.13, 0.58], [0.13, 0.58], [0.2, 0.26], [-0.2, 0.26]], c);
    f.rrect([0.0, 0.56], 0.14, 0.04, 0.04, c);
    f.line([-0.17, 0.36], [0.17, 0.36], 0.025, k);
    // Head, hair and face.
    let head = [0.02, 0.78];
    let hair = mix(k, [0.35, 0.22, 0.14], 0.6);
    f.circle([head[0] - 0.05, head[1] + 0.03], 0.2, hair);
    f.circle(head, 0.19, SKIN);
    f.ellipse([head[0] - 0.04, head[1] + 0.13], 0.19, 0.09, -0.2, hair);
    f.circle([head[0] - 0.13, head[1] - 0.01], 0.045, scale(SKIN, 0.95));
    f.eye([head[0] + 0.1, head[1] + 0.01], 0.03, a.eyes_closed);
    f.eye([head[0] - 0.0, head[1] + 0.01], 0.027, a.eyes_closed);
    f.dot([head[0] + 0.12, head[1] - 0.06], 0.03, PINK);
    f.mouth([head[0] + 0.08, head[1] - 0.09], 0.07, a.mouth);
    // Front arm: swings, or waves high.
    let up = a.wave.clamp(0.0, 1.0);
    let ang = a.arms * 0.6 * (1.0 - up) + up * (2.5 + 0.35 * (a.arms * 2.0).sin());
    let hand = limb(shoulder, ang + 0.15, 0.22);
    f.capsule(shoulder, hand, 0.05, 0.045, c);
    f.circle(hand, 0.055, SKIN);
}

fn dragon(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let dark = scale(c, 0.8);
    // Far wing, behind the body.
    let wing = |lift: f32, x: f32| -> Vec<[f32; 2]> {
        let up = 0.25 + 0.45 * (0.5 + 0.5 * lift);
        vec![
            [x, 0.5],
            [x - 0.15, 0.5 + up * 0.7],
            [x - 0.45, 0.5 + up],
            [x - 0.38, 0.55 + up * 0.4],
            [x - 0.5, 0.5 + up * 0.35],
            [x - 0.3, 0.45],
        ]
    };
    f.poly(&wing(a.wing * 0.8, 0.08), scale(k, 0.75));
    // Tail with a spade tip.
    let tw = a.tail * 0.08;
    f.capsule([-0.3, 0.3], [-0.55, 0.18 + tw], 0.1, 0.06, c);
    f.capsule([-0.55, 0.18 + tw], [-0.72, 0.3 + tw * 1.5], 0.06, 0.035, c);
    let t = [-0.72, 0.3 + tw * 1.5];
    f.poly(&[[t[0] + 0.02, t[1]], [t[0] - 0.08, t[1] + 0.1], [t[0] - 0.12, t[1] - 0.02], [t[0], t[1] - 0.05]], k);
    // Short, sturdy legs.
    let sw = a.legs * 0.4;
    for (x, s, col) in [(-0.22, -sw, dark), (0.16, sw, dark)] {
        let foot = limb([x, 0.2], s, 0.15);
        f.capsule([x, 0.22], foot, 0.09, 0.075, col);
    }
    f.ellipse([-0.03, 0.34], 0.38, 0.22, 0.05, c);
    f.ellipse([0.06, 0.28], 0.22, 0.13, 0.1, mix(k, WHITE, 0.3));
    for (x, s) in [(-0.14, sw * 0.8), (0.24, -sw * 0.8)] {
        let foot = limb([x, 0.2], s, 0.15);
        f.capsule([x, 0.22], foot, 0.09, 0.075, c);
        f.ellipse([foot[0] + 0.04, foot[1] + 0.03], 0.1, 0.05, 0.0, dark);
    }
    // Back spikes.
    for i in 0..4 {
        let x = -0.28 + i as f32 * 0.13;
        let y = 0.54 - (x + 0.05).abs() * 0.25;
        f.poly(&[[x - 0.05, y - 0.03], [x, y + 0.08], [x + 0.05, y - 0.03]], k);
    }
    // Neck and head.
    f.capsule([0.2, 0.4], [0.36, 0.66], 0.11, 0.085, c);
    let h = [0.44, 0.74];
    f.poly(&[[h[0] - 0.1, h[1] + 0.08], [h[0] - 0.17, h[1] + 0.2], [h[0] - 0.04, h[1] + 0.1]], k);
    f.poly(&[[h[0] - 0.01, h[1] + 0.1], [h[0] - 0.04, h[1] + 0.22], [h[0] + 0.06, h[1] + 0.1]], k);
    f.ellipse(h, 0.15, 0.12, 0.0, c);
    f.ellipse([h[0] + 0.13, h[1] - 0.03], 0.11, 0.075, -0.1, c);
    f.dot([h[0] + 0.2, h[1] - 0.0], 0.015, INK);
    f.eye([h[0] + 0.03, h[1] + 0.04], 0.032, a.eyes_closed);
    if a.mouth > 0.08 {
        f.ellipse([h[0] + 0.17, h[1] - 0.08], 0.06, 0.03 * a.mouth + 0.01, 0.0, [0.5, 0.12, 0.15]);
    } else {
        f.line([h[0] + 0.09, h[1] - 0.07], [h[0] + 0.2, h[1] - 0.07], 0.01, INK);
    }
    // Near wing, in front.
    f.poly(&wing(a.wing, 0.0), k);
    f.line([-0.0, 0.5], [-0.45, 0.5 + (0.25 + 0.45 * (0.5 + 0.5 * a.wing))], 0.012, scale(k, 0.6));
}

/// A pair of legs hanging from the body at `body_y`; `size` is (length, thickness).
fn quadruped_legs(f: &mut Fig<'_>, body_y: f32, xs: [f32; 2], swing: f32, size: (f32, f32), col: Rgb, front: bool) {
    let (len, r) = size;
    let (s0, s1) = if front { (swing, -swing) } else { (-swing * 0.8, swing * 0.8) };
    for (x, s) in [(xs[0], s0), (xs[1], s1)] {
        let foot = limb([x, body_y], s, len);
        f.capsule([x, body_y], foot, r, r * 0.9, col);
        f.ellipse([foot[0] + r * 0.4, foot[1] + r * 0.5], r * 1.2, r * 0.7, 0.0, col);
    }
}

fn cat(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let sw = a.legs * 0.45;
    quadruped_legs(f, 0.26, [-0.34, 0.12], sw, (0.22, 0.065), scale(c, 0.82), false);
    // Tail curling up and wagging.
    let w = a.tail * 0.12;
    let pts = [[-0.38, 0.36], [-0.55, 0.42 + w * 0.3], [-0.62, 0.62 + w * 0.6], [-0.55 + w, 0.78 + w * 0.4]];
    for s in pts.windows(2) {
        f.capsule(s[0], s[1], 0.05, 0.045, c);
    }
    f.ellipse([-0.1, 0.34], 0.36, 0.18, 0.0, c);
    for i in 0..3 {
        let x = -0.3 + i as f32 * 0.13;
        f.line([x, 0.52], [x + 0.03, 0.42], 0.022, k);
    }
    f.ellipse([0.02, 0.27], 0.16, 0.07, 0.0, mix(c, WHITE, 0.5));
    quadruped_legs(f, 0.26, [-0.28, 0.18], sw, (0.22, 0.065), c, true);
    // Head with pointed ears.
    let h = [0.3, 0.58];
    f.poly(&[[h[0] - 0.17, h[1] + 0.06], [h[0] - 0.16, h[1] + 0.32], [h[0] - 0.02, h[1] + 0.16]], c);
    f.poly(&[[h[0] + 0.02, h[1] + 0.16], [h[0] + 0.14, h[1] + 0.32], [h[0] + 0.17, h[1] + 0.06]], c);
    f.poly(&[[h[0] - 0.13, h[1] + 0.12], [h[0] - 0.13, h[1] + 0.25], [h[0] - 0.05, h[1] + 0.16]], PINK);
    f.poly(&[[h[0] + 0.05, h[1] + 0.16], [h[0] + 0.12, h[1] + 0.25], [h[0] + 0.13, h[1] + 0.12]], PINK);
    f.ellipse(h, 0.22, 0.19, 0.0, c);
    f.ellipse([h[0] + 0.06, h[1] - 0.07], 0.09, 0.06, 0.0, mix(c, WHITE, 0.6));
    f.eye([h[0] - 0.05, h[1] + 0.04], 0.035, a.eyes_closed);
    f.eye([h[0] + 0.1, h[1] + 0.04], 0.035, a.eyes_closed);
    f.dot([h[0] + 0.06, h[1] - 0.04], 0.025, PINK);
    f.mouth([h[0] + 0.06, h[1] - 0.09], 0.06, a.mouth);
    for dy in [-0.02, -0.06] {
        f.line([h[0] + 0.14, h[1] - 0.05], [h[0] + 0.3, h[1] + dy], 0.006, INK);
        f.line([h[0] - 0.04, h[1] - 0.05], [h[0] - 0.18, h[1] + dy], 0.006, INK);
    }
    let _ = a.wave;
}

fn dog(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let sw = a.legs * 0.45;
    quadruped_legs(f, 0.28, [-0.32, 0.14], sw, (0.24, 0.075), scale(c, 0.82), false);
    let w = a.tail * 0.18;
    f.capsule([-0.4, 0.42], [-0.58 + w * 0.3, 0.66 + w * 0.2], 0.05, 0.035, c);
    f.ellipse([-0.09, 0.4], 0.38, 0.2, 0.0, c);
    f.ellipse([-0.2, 0.47], 0.13, 0.09, 0.2, k);
    quadruped_legs(f, 0.28, [-0.26, 0.2], sw, (0.24, 0.075), c, true);
    // Collar, head, snout, floppy ear.
    f.capsule([0.22, 0.5], [0.3, 0.62], 0.09, 0.09, c);
    f.line([0.17, 0.58], [0.34, 0.52], 0.03, [0.85, 0.2, 0.25]);
    let h = [0.34, 0.72];
    f.circle(h, 0.17, c);
    f.ellipse([h[0] + 0.15, h[1] - 0.05], 0.12, 0.08, 0.0, mix(c, WHITE, 0.45));
    f.dot([h[0] + 0.26, h[1] - 0.02], 0.04, INK);
    f.eye([h[0] + 0.06, h[1] + 0.05], 0.035, a.eyes_closed);
    f.mouth([h[0] + 0.17, h[1] - 0.11], 0.07, a.mouth);
    let flap = a.legs.abs() * 0.2 + a.wave * 0.5;
    f.ellipse([h[0] - 0.09, h[1] - 0.02], 0.06, 0.14, -0.3 - flap, k);
}

fn rabbit(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let inner = mix(k, PINK, 0.5);
    // Ears stand up (and droop when asleep).
    let droop = if a.eyes_closed { 0.9 } else { 0.1 * a.tail };
    let h = [0.16, 0.52];
    for (dx, extra) in [(-0.07, 0.1), (0.05, 0.0)] {
        let ang = -0.15 + extra + droop;
        let top = [h[0] + dx - ang.sin() * 0.3, h[1] + 0.12 + ang.cos() * 0.3];
        let mid = [(h[0] + dx + top[0]) * 0.5, (h[1] + 0.12 + top[1]) * 0.5];
        f.ellipse(mid, 0.055, 0.19, ang, c);
        f.draw(
            Shape::Ellipse { c: [mid[0], mid[1] * f.sq], rx: 0.025, ry: 0.14, angle: ang },
            Paint::flat(inner).alpha(f.alpha),
        );
    }
    f.circle([-0.3, 0.28], 0.08, WHITE);
    let hop = a.legs * 0.3;
    f.ellipse([-0.18 - hop * 0.1, 0.06], 0.13, 0.06, 0.0, scale(c, 0.85));
    f.ellipse([-0.05, 0.28], 0.26, 0.24, 0.0, c);
    f.ellipse([0.03, 0.22], 0.14, 0.14, 0.0, mix(c, WHITE, 0.55));
    f.ellipse([0.1 + hop * 0.1, 0.05], 0.1, 0.05, 0.0, c);
    let paw = limb([0.12, 0.34], 0.4 + a.wave * 2.0 + a.arms * 0.3, 0.12);
    f.capsule([0.12, 0.34], paw, 0.04, 0.04, c);
    f.circle(h, 0.17, c);
    f.eye([h[0] + 0.07, h[1] + 0.03], 0.032, a.eyes_closed);
    f.dot([h[0] + 0.16, h[1] - 0.03], 0.025, PINK);
    f.mouth([h[0] + 0.12, h[1] - 0.08], 0.05, a.mouth);
    f.dot([h[0] + 0.02, h[1] - 0.05], 0.03, PINK);
}

fn bird(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    f.poly(&[[-0.3, 0.5], [-0.62, 0.62 + a.tail * 0.05], [-0.6, 0.42 + a.tail * 0.05]], scale(c, 0.8));
    for x in [-0.05, 0.08] {
        let foot = limb([x, 0.2], a.legs * 0.4, 0.2);
        f.line([x, 0.2], foot, 0.015, [0.85, 0.55, 0.2]);
        f.line(foot, [foot[0] + 0.07, foot[1]], 0.012, [0.85, 0.55, 0.2]);
    }
    f.ellipse([0.0, 0.48], 0.33, 0.28, 0.0, c);
    f.ellipse([0.08, 0.4], 0.18, 0.16, 0.0, mix(c, WHITE, 0.6));
    f.poly(&[[0.3, 0.6], [0.5, 0.55 - a.mouth * 0.03], [0.3, 0.5]], k);
    if a.mouth > 0.1 {
        f.poly(&[[0.3, 0.53], [0.45, 0.48 - a.mouth * 0.05], [0.3, 0.49]], scale(k, 0.8));
    }
    f.eye([0.17, 0.63], 0.04, a.eyes_closed);
    f.dot([0.18, 0.54], 0.035, PINK);
    // The wing flaps around the shoulder.
    let ang = 0.3 + a.wing * 0.9;
    let tip = [-0.3 * ang.cos() + 0.02, 0.55 + 0.42 * ang.sin()];
    f.poly(&[[0.05, 0.55], [tip[0] + 0.06, tip[1]], tip, [-0.18, 0.45]], scale(c, 0.85));
}

fn fish(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let wag = a.tail * 0.12 + 0.05 * (time * 6.0).sin();
    f.poly(&[[-0.4, 0.45], [-0.78, 0.72 + wag], [-0.7, 0.45 + wag * 0.5], [-0.78, 0.18 + wag]], k);
    f.poly(&[[-0.15, 0.68], [0.05, 0.9], [0.2, 0.7]], k);
    f.ellipse([0.0, 0.45], 0.5, 0.3, 0.0, c);
    for x in [-0.18, 0.0] {
        f.draw(
            Shape::Ellipse { c: [x, 0.45 * f.sq], rx: 0.045, ry: 0.25, angle: 0.0 },
            Paint::flat(k).alpha(0.8 * f.alpha),
        );
    }
    f.ellipse([0.0, 0.35], 0.12, 0.06, -0.5 + a.tail * 0.3, scale(k, 0.9));
    f.eye([0.28, 0.52], 0.05, a.eyes_closed);
    f.mouth([0.44, 0.4], 0.07, a.mouth);
    if a.swim.is_some() || a.talk.is_some() {
        for i in 0..3 {
            let q = (time * 0.6 + i as f32 / 3.0).fract();
            f.circle(
                [0.55 + 0.05 * (q * 9.0).sin(), 0.55 + q * 0.6],
                0.03 + 0.03 * q,
                mix(WHITE, [0.6, 0.85, 1.0], 0.5),
            );
        }
    }
}

fn robot(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let metal = mix(c, [0.75, 0.78, 0.82], 0.3);
    let sw = a.legs * 0.35;
    for (x, s) in [(-0.1, -sw), (0.1, sw)] {
        let foot = limb([x, 0.35], s, 0.3);
        f.capsule([x, 0.35], foot, 0.055, 0.055, scale(metal, 0.7));
        f.rrect([foot[0] + 0.02, foot[1] + 0.03], 0.09, 0.04, 0.02, scale(metal, 0.6));
    }
    let shoulder = [0.0, 0.62];
    let back_hand = limb(shoulder, -a.arms * 0.5, 0.27);
    f.capsule(shoulder, back_hand, 0.045, 0.045, scale(metal, 0.7));
    f.rrect([0.0, 0.5], 0.22, 0.17, 0.05, c);
    f.rrect([0.0, 0.5], 0.12, 0.08, 0.02, scale(k, 0.9));
    for i in 0..3 {
        let on = ((time * 3.0) as i32 + i) % 3 == 0;
        f.dot([-0.06 + i as f32 * 0.06, 0.5], 0.022, if on { [1.0, 0.95, 0.5] } else { [0.3, 0.3, 0.35] });
    }
    // Head with screen eyes and an antenna.
    let bulb = [0.0, 1.0];
    f.line([0.0, 0.86], bulb, 0.012, INK);
    let blink = 0.5 + 0.5 * (time * 4.0).sin();
    f.draw(
        Shape::Circle { c: [bulb[0], bulb[1] * f.sq], r: 0.045 },
        Paint::solid(mix(k, WHITE, 0.3 * blink), f.ow).emissive().alpha(f.alpha),
    );
    f.rrect([0.0, 0.76], 0.17, 0.12, 0.04, metal);
    f.rrect([0.03, 0.77], 0.13, 0.075, 0.03, [0.15, 0.2, 0.28]);
    let eye = [0.45, 0.95, 1.0];
    if a.eyes_closed {
        f.line([-0.04, 0.78], [0.02, 0.78], 0.01, eye);
        f.line([0.07, 0.78], [0.13, 0.78], 0.01, eye);
    } else {
        f.dot([-0.01, 0.79], 0.028, eye);
        f.dot([0.1, 0.79], 0.028, eye);
    }
    let mw = 0.04 + 0.03 * a.mouth;
    f.line([0.04 - mw, 0.73], [0.04 + mw, 0.73], 0.008 + 0.012 * a.mouth, eye);
    let up = a.wave.clamp(0.0, 1.0);
    let hand = limb(shoulder, a.arms * 0.5 * (1.0 - up) + up * (2.6 + 0.3 * (a.arms * 2.0).sin()), 0.27);
    f.capsule(shoulder, hand, 0.045, 0.045, metal);
    f.circle(hand, 0.055, k);
}

// ---------------------------------------------------------------------------------------------
// Plants and things

fn tree(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32, wind: f32) {
    let sway = (time * (0.8 + wind)).sin() * (0.01 + 0.04 * wind) + a.tilt * 0.2;
    f.poly(&[[-0.07, 0.0], [0.07, 0.0], [0.05, 0.5], [-0.05, 0.5]], WOOD);
    f.line([0.02, 0.35], [0.16, 0.5], 0.025, WOOD);
    let crowns =
        [([-0.2, 0.56], 0.18), ([0.2, 0.56], 0.19), ([0.0, 0.62], 0.26), ([-0.1, 0.8], 0.2), ([0.12, 0.78], 0.2)];
    let crowns: Vec<([f32; 2], f32)> = crowns.iter().map(|(p, r)| ([p[0] + sway * p[1] * 2.0, p[1]], *r)).collect();
    f.blob(&crowns, c, 0.25);
    // Leafy highlights.
    for (p, r) in [([-0.08, 0.84], 0.09), ([0.14, 0.68], 0.07)] {
        f.dot([p[0] + sway * p[1] * 2.0, p[1]], r, mix(c, WHITE, 0.25));
    }
    for (x, y) in [(-0.15, 0.62), (0.12, 0.68), (0.0, 0.86), (0.24, 0.52), (-0.24, 0.5)] {
        f.circle([x + sway * y * 2.0, y], 0.035, k);
    }
    if a.talk.is_some() || a.eyes_closed || a.mouth > 0.0 {
        let mut face = *a;
        face.mouth = a.mouth;
        f.face([0.02, 0.25], 0.1, &face);
    }
}

fn flower(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let nod = a.tilt * 0.5 + 0.04 * (time * 1.3).sin();
    let head = [nod, 0.78];
    f.capsule([0.0, 0.0], head, 0.025, 0.025, [0.3, 0.6, 0.25]);
    f.ellipse([0.1, 0.28], 0.12, 0.045, 0.5, LEAF);
    f.ellipse([-0.1, 0.4], 0.12, 0.045, -0.5, LEAF);
    let spin = time * 0.2 + a.legs * 0.2;
    for i in 0..6 {
        let ang = i as f32 * TAU / 6.0 + spin;
        f.circle([head[0] + ang.cos() * 0.14, head[1] + ang.sin() * 0.14], 0.1, c);
    }
    f.circle(head, 0.1, k);
    f.eye([head[0] - 0.035, head[1] + 0.02], 0.018, a.eyes_closed);
    f.eye([head[0] + 0.035, head[1] + 0.02], 0.018, a.eyes_closed);
    f.mouth([head[0], head[1] - 0.035], 0.035, a.mouth);
}

fn seed(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    f.ellipse([0.0, 0.1], 0.45, 0.12, 0.0, [0.45, 0.3, 0.2]);
    f.poly(&[[-0.25, 0.15], [0.0, 0.95], [0.25, 0.15], [0.0, 0.05]], c);
    f.ellipse([0.0, 0.4], 0.25, 0.35, 0.0, c);
    f.line([-0.08, 0.55], [-0.1, 0.3], 0.025, mix(c, WHITE, 0.5));
    f.line([0.05, 0.25], [0.12, 0.4], 0.02, k);
    if a.eyes_closed || a.talk.is_some() {
        f.eye([-0.07, 0.45], 0.04, a.eyes_closed);
        f.eye([0.09, 0.45], 0.04, a.eyes_closed);
    }
}

fn sprout(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    f.ellipse([0.0, 0.06], 0.4, 0.1, 0.0, [0.45, 0.3, 0.2]);
    let sway = 0.06 * (time * 1.5).sin() + a.tilt * 0.5;
    let top = [sway, 0.65];
    f.capsule([0.0, 0.05], top, 0.04, 0.03, [0.35, 0.62, 0.28]);
    let open = 0.25 + 0.2 * a.wave;
    f.ellipse([top[0] - 0.17, top[1] + 0.08], 0.18, 0.08, open, c);
    f.ellipse([top[0] + 0.17, top[1] + 0.08], 0.18, 0.08, -open, c);
    f.line([top[0] - 0.02, top[1] + 0.02], [top[0] - 0.28, top[1] + 0.13], 0.01, scale(c, 0.7));
    f.dot([top[0], top[1] + 0.02], 0.04, k);
    if a.eyes_closed || a.talk.is_some() {
        f.eye([top[0] - 0.06, top[1] - 0.1], 0.03, a.eyes_closed);
        f.eye([top[0] + 0.06, top[1] - 0.1], 0.03, a.eyes_closed);
    }
}

fn cloud(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let col = mix(c, WHITE, 0.6);
    f.blob(
        &[
            ([-0.5, 0.32], 0.22),
            ([0.5, 0.32], 0.23),
            ([-0.2, 0.52], 0.32),
            ([0.22, 0.55], 0.31),
            ([0.0, 0.35], 0.3),
            ([-0.25, 0.25], 0.2),
            ([0.25, 0.25], 0.2),
        ],
        col,
        0.1,
    );
    let _ = k;
    f.face([0.05, 0.42], 0.3, a);
}

fn sun(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let ctr = [0.0, 0.5];
    let spin = time * 0.3;
    let n = 10;
    let ray_len = 0.12 + 0.04 * a.glow + 0.02 * (time * 2.0).sin();
    for i in 0..n {
        let ang = spin + i as f32 * TAU / n as f32;
        let p = |r: f32| [ctr[0] + ang.cos() * r, ctr[1] + ang.sin() * r];
        f.draw(
            Shape::Capsule { a: p(0.3), b: p(0.4 + ray_len), ra: 0.07, rb: 0.035 },
            Paint::solid(mix(k, c, 0.4), f.ow).emissive().alpha(f.alpha),
        );
    }
    f.draw(Shape::Circle { c: ctr, r: 0.33 }, Paint::solid(c, f.ow).emissive().alpha(f.alpha).shade(0.18));
    f.face(ctr, 0.3, a);
}

/// The moon as lit by the sun: `lit` is the fraction of the disc's width in sunlight, 0 (new)
/// to 1 (full), waxing (lit from the right). The dark part stays faintly visible, as a new
/// moon is there but unlit.
fn moon(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, lit: f32) {
    let col = mix(c, [1.0, 0.97, 0.8], 0.4);
    let (ctr, r) = ([0.0, 0.5], 0.42);
    let dark = [0.16, 0.18, 0.27];
    f.draw(Shape::Circle { c: ctr, r }, Paint::solid(dark, f.ow).emissive().alpha(f.alpha));
    let lit = lit.clamp(0.0, 1.0);
    if lit > 0.01 {
        // Between the right limb (x = r cos φ) and the terminator (x = (1 - 2 lit) r cos φ).
        let kx = 1.0 - 2.0 * lit;
        // Lit from the screen's right whichever way the figure faces.
        let fl = f.xf.flip;
        let n = 40;
        let mut pts = Vec::with_capacity(2 * n + 2);
        for i in 0..=n {
            let phi = -PI / 2.0 + PI * i as f32 / n as f32;
            pts.push([ctr[0] + fl * r * phi.cos(), ctr[1] + r * phi.sin()]);
        }
        for i in (0..=n).rev() {
            let phi = -PI / 2.0 + PI * i as f32 / n as f32;
            pts.push([ctr[0] + fl * kx * r * phi.cos(), ctr[1] + r * phi.sin()]);
        }
        f.draw(Shape::Poly(&pts), Paint::flat(col).emissive().alpha(f.alpha).shade(0.12));
        // Craters on the lit part only.
        for (p, cr) in [([0.18, 0.62], 0.06), ([0.28, 0.36], 0.045), ([0.05, 0.3], 0.05), ([-0.2, 0.6], 0.05)] {
            let across = (p[0] - ctr[0]) / (r * ((1.0 - ((p[1] - ctr[1]) / r).powi(2)).max(0.0)).sqrt().max(1e-3));
            if across > kx + 0.15 {
                let c = f.p([fl * p[0], p[1]]);
                f.draw(Shape::Circle { c, r: cr }, Paint::flat(scale(col, 0.86)).emissive().alpha(f.alpha));
            }
        }
    }
    if lit >= 0.5 {
        // A face on a big bright moon; on a thin one it would sit in the dark.
        let fx = f.xf.flip * 0.42 * (1.0 - lit);
        f.eye([fx - 0.1, 0.56], 0.035, a.eyes_closed);
        f.eye([fx + 0.1, 0.56], 0.035, a.eyes_closed);
        f.mouth([fx, 0.42], 0.07, a.mouth);
    }
    let _ = k;
}

/// The moon seen from space: a grey ball, the half towards the sun lit.
fn moon_in_space(f: &mut Fig<'_>, c: Rgb, sun_side: f32) {
    let col = mix(c, [0.85, 0.85, 0.82], 0.6);
    f.draw(Shape::Circle { c: [0.0, 0.5], r: 0.42 }, Paint::solid(col, f.ow).emissive().alpha(f.alpha).shade(0.2));
    // Lit by the sun, not by the scene's light: emissive, as the sunny half must look bright
    // against space.
    for (p, r) in [([0.12, 0.62], 0.07), ([-0.15, 0.4], 0.06), ([0.2, 0.32], 0.045)] {
        let c = f.p(p);
        f.draw(Shape::Circle { c, r }, Paint::flat(scale(col, 0.85)).emissive().alpha(f.alpha));
    }
    night_side(f, [0.0, 0.5], 0.42, Some(sun_side));
}

/// A planet with a ring; the half away from a sun on stage is in shadow.
fn planet(f: &mut Fig<'_>, c: Rgb, k: Rgb, sun_side: Option<f32>) {
    let ctr = [0.0, 0.5];
    let ring = |f: &mut Fig<'_>, front: bool| {
        let n = 28;
        for i in 0..n {
            let a0 = i as f32 / n as f32 * TAU;
            let a1 = (i + 1) as f32 / n as f32 * TAU;
            if (a0.sin() < 0.0) != front {
                continue;
            }
            let p = |a: f32| [ctr[0] + 0.8 * a.cos(), ctr[1] + 0.16 * a.sin() - 0.1 * a.cos()];
            f.line(p(a0), p(a1), 0.035, k);
        }
    };
    ring(f, false);
    f.draw(Shape::Circle { c: ctr, r: 0.42 }, Paint::solid(c, f.ow).alpha(f.alpha).shade(0.4));
    f.line([-0.36, 0.58], [0.36, 0.62], 0.04, scale(c, 0.8));
    f.line([-0.38, 0.4], [0.38, 0.43], 0.03, scale(c, 0.85));
    night_side(f, ctr, 0.42, sun_side);
    ring(f, true);
}

/// Darkens the half of a disc away from the sun.
fn night_side(f: &mut Fig<'_>, ctr: [f32; 2], r: f32, sun_side: Option<f32>) {
    let Some(side) = sun_side else { return };
    // Local x runs with the figure's facing; the shadow goes to the screen side away from the sun.
    let away = -side * f.xf.flip;
    let n = 24;
    let mut pts = Vec::with_capacity(n + 1);
    for i in 0..=n {
        let phi = -PI / 2.0 + PI * i as f32 / n as f32;
        pts.push([ctr[0] + away * r * phi.cos(), ctr[1] + r * phi.sin()]);
    }
    f.draw(Shape::Poly(&pts), Paint::flat([0.02, 0.03, 0.12]).alpha(0.62 * f.alpha));
}

/// The Earth: blue sea, green land, white clouds; night on the side away from a sun on stage.
fn earth(f: &mut Fig<'_>, c: Rgb, k: Rgb, sun_side: Option<f32>, time: f32) {
    let ctr = [0.0, 0.5];
    let r = 0.45;
    // Sunlit, not lit by the scene: emissive, so the day side is bright even in space.
    f.draw(Shape::Circle { c: ctr, r }, Paint::solid([0.2, 0.5, 0.92], f.ow).emissive().alpha(f.alpha).shade(0.3));
    // Land drifts slowly across: the Earth turns.
    let turn = (time * 0.05).fract();
    for (i, (y, w)) in [(0.72, 0.14), (0.5, 0.18), (0.3, 0.12)].iter().enumerate() {
        let x = ((turn + i as f32 * 0.37).fract() * 2.0 - 1.0) * r * 0.8;
        let fade = 1.0 - (x / r).abs().powi(2);
        let col = mix(scale(c, 0.9), [0.3, 0.62, 0.3], 0.7);
        if fade > 0.2 {
            let c = f.p([x, *y]);
            f.draw(
                Shape::Ellipse { c, rx: w * fade, ry: w * 0.6, angle: 0.3 },
                Paint::flat(col).emissive().alpha(f.alpha),
            );
        }
    }
    for (c, rx, angle) in [([0.1, 0.62], 0.18, 0.1), ([-0.15, 0.38], 0.14, -0.1)] {
        let c = f.p(c);
        let paint = Paint::flat(mix(k, WHITE, 0.8)).emissive().alpha(0.9 * f.alpha);
        f.draw(Shape::Ellipse { c, rx, ry: 0.03, angle }, paint);
    }
    night_side(f, ctr, r, sun_side);
}

/// A cone with a crater; erupting, lava flies up from it and runs down its sides.
fn volcano(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let rock = mix(c, [0.42, 0.33, 0.28], 0.6);
    f.poly(&[[-0.95, 0.0], [-0.22, 0.78], [0.22, 0.78], [0.95, 0.0]], rock);
    f.ellipse([0.0, 0.78], 0.22, 0.05, 0.0, scale(rock, 0.6));
    let lava = mix(k, [1.0, 0.42, 0.1], 0.7);
    match a.erupt {
        Some(p) => {
            f.ellipse([0.0, 0.79], 0.18, 0.04, 0.0, lava);
            for (i, x) in [-0.12f32, 0.05, 0.14].iter().enumerate() {
                let down = 0.78 - 0.55 * ((p + i as f32 * 0.3).fract() * 0.5 + 0.5);
                f.capsule([*x, 0.78], [x * 3.2, down], 0.05, 0.035, lava);
            }
            for i in 0..9 {
                let q = (p + i as f32 / 9.0).fract();
                let vx = (i as f32 * 1.7).sin() * 0.6;
                let x = vx * q;
                let y = 0.8 + 1.2 * q - 1.1 * q * q;
                let paint = Paint::solid(mix(lava, [1.0, 0.85, 0.3], 1.0 - q), f.ow * 0.6).emissive().alpha(f.alpha);
                f.draw(Shape::Circle { c: [x, y], r: 0.06 * (1.0 - 0.5 * q) }, paint);
            }
            for i in 0..4 {
                let q = (time * 0.25 + i as f32 * 0.25).fract();
                f.draw(
                    Shape::Circle { c: [0.1 * (i as f32 - 1.5) + q * 0.3, 1.0 + q * 0.8], r: 0.14 + 0.2 * q },
                    Paint::flat([0.35, 0.33, 0.34]).alpha(0.7 * (1.0 - q) * f.alpha),
                );
            }
        }
        None => {
            // Asleep: a thin wisp of smoke.
            let q = (time * 0.2).fract();
            f.draw(
                Shape::Circle { c: [0.05 + 0.1 * q, 0.9 + 0.4 * q], r: 0.06 + 0.08 * q },
                Paint::flat([0.8, 0.8, 0.82]).alpha(0.5 * (1.0 - q) * f.alpha),
            );
        }
    }
}

/// A cube of ice with a shine.
fn ice(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let col = mix(c, [0.78, 0.92, 1.0], 0.75);
    f.rrect([0.0, 0.45], 0.5, 0.45, 0.1, col);
    f.poly(&[[-0.5, 0.9], [-0.3, 1.05], [0.7, 1.05], [0.5, 0.9]], mix(col, WHITE, 0.4));
    f.line([-0.3, 0.75], [-0.1, 0.75], 0.035, WHITE);
    f.line([-0.35, 0.65], [-0.35, 0.35], 0.03, WHITE);
    let _ = (k, a);
}

/// A puddle of water with ripples.
fn water(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let col = mix(c, [0.25, 0.55, 0.9], 0.75);
    f.ellipse([0.0, 0.25], 1.2, 0.25, 0.0, col);
    for i in 0..2 {
        let q = (time * 0.5 + i as f32 * 0.5).fract();
        f.draw(
            Shape::Ellipse { c: [0.1, 0.27], rx: 0.2 + 0.7 * q, ry: 0.05 + 0.15 * q, angle: 0.0 },
            Paint {
                fill: col,
                outline: 0.03,
                line: WHITE,
                shade: 0.0,
                alpha: (1.0 - q) * f.alpha,
                soft: 0.6,
                emissive: false,
            },
        );
    }
    // A drop above, so a puddle reads as water.
    f.poly(&[[0.0, 1.0], [0.16, 0.68], [-0.16, 0.68]], col);
    f.circle([0.0, 0.64], 0.17, col);
    f.dot([-0.05, 0.68], 0.04, WHITE);
    let _ = (k, a);
}

/// Steam: white wisps rising and fading.
fn steam(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let col = mix(c, WHITE, 0.85);
    for i in 0..3 {
        let x0 = -0.3 + 0.3 * i as f32;
        for j in 0..6 {
            let q = (time * 0.4 + j as f32 / 6.0 + i as f32 * 0.13).fract();
            let x = x0 + 0.12 * (q * 8.0 + i as f32).sin();
            f.draw(
                Shape::Circle { c: [x, 0.1 + q * 0.9], r: 0.09 + 0.08 * q },
                Paint::flat(col).alpha(0.85 * (1.0 - q) * f.alpha).soft(1.0),
            );
        }
    }
    let _ = (k, a);
}

fn ball(f: &mut Fig<'_>, c: Rgb, k: Rgb) {
    f.draw(Shape::Circle { c: [0.0, 0.5], r: 0.48 }, Paint::solid(c, f.ow).alpha(f.alpha).shade(0.35));
    f.line([-0.45, 0.55], [0.45, 0.45], 0.08, k);
    f.dot([-0.16, 0.7], 0.08, WHITE);
}

fn book(f: &mut Fig<'_>, c: Rgb, k: Rgb) {
    f.rrect([0.0, 0.5], 0.58, 0.45, 0.04, c);
    f.rrect([0.04, 0.5], 0.48, 0.38, 0.02, WHITE);
    f.line([0.0, 0.12], [0.0, 0.88], 0.03, scale(c, 0.7));
    for y in [0.7, 0.55, 0.4] {
        f.line([-0.38, y], [-0.1, y], 0.02, scale(k, 0.7));
        f.line([0.1, y], [0.38, y], 0.02, scale(k, 0.7));
    }
}

fn key(f: &mut Fig<'_>, c: Rgb, k: Rgb) {
    let gold = mix(c, [0.95, 0.78, 0.25], 0.6);
    f.draw(Shape::Circle { c: [-0.35, 0.5], r: 0.24 }, Paint::solid(gold, f.ow).alpha(f.alpha));
    f.dot([-0.35, 0.5], 0.1, scale(k, 0.3));
    f.capsule([-0.12, 0.5], [0.6, 0.5], 0.07, 0.07, gold);
    f.rrect([0.42, 0.36], 0.05, 0.1, 0.02, gold);
    f.rrect([0.56, 0.38], 0.04, 0.08, 0.02, gold);
}

fn apple(f: &mut Fig<'_>, c: Rgb, k: Rgb) {
    f.circle([-0.14, 0.45], 0.36, c);
    f.circle([0.14, 0.45], 0.36, c);
    f.line([0.0, 0.78], [0.06, 1.0], 0.04, WOOD);
    f.ellipse([0.2, 0.92], 0.14, 0.06, 0.4, mix(k, LEAF, 0.7));
    f.dot([-0.22, 0.6], 0.07, WHITE);
}

fn shovel(f: &mut Fig<'_>, c: Rgb, k: Rgb) {
    f.capsule([0.0, 0.3], [0.0, 1.0], 0.05, 0.05, WOOD);
    f.rrect([0.0, 1.0], 0.14, 0.04, 0.03, WOOD);
    f.poly(&[[-0.22, 0.35], [0.22, 0.35], [0.18, 0.05], [0.0, -0.05], [-0.18, 0.05]], mix(c, [0.7, 0.72, 0.75], 0.6));
    let _ = k;
}

fn shell(f: &mut Fig<'_>, c: Rgb, k: Rgb) {
    let col = mix(c, [1.0, 0.85, 0.8], 0.5);
    let mut pts = vec![[0.0, 0.05]];
    for i in 0..=12 {
        let ang = PI * 0.1 + PI * 0.8 * i as f32 / 12.0;
        let r = 0.55 + 0.04 * ((i % 2) as f32);
        pts.push([-ang.cos() * r, 0.05 + ang.sin() * r * 1.4]);
    }
    f.poly(&pts, col);
    for i in 0..5 {
        let ang = PI * 0.2 + PI * 0.6 * i as f32 / 4.0;
        f.line([0.0, 0.1], [-ang.cos() * 0.5, 0.1 + ang.sin() * 0.65], 0.02, scale(k, 0.8));
    }
}

fn star_points(ctr: [f32; 2], r: f32, inner: f32, rot: f32) -> Vec<[f32; 2]> {
    (0..10)
        .map(|i| {
            let ang = PI / 2.0 + rot + i as f32 * PI / 5.0;
            let rr = if i % 2 == 0 { r } else { r * inner };
            [ctr[0] + ang.cos() * rr, ctr[1] + ang.sin() * rr]
        })
        .collect()
}

fn star(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let tw = 1.0 + 0.06 * (time * 3.0).sin();
    let pts = star_points([0.0, 0.5], 0.5 * tw, 0.48, 0.05 * (time * 1.5).sin());
    let col = mix(c, [1.0, 0.95, 0.6], 0.35);
    f.draw(Shape::Poly(&pts), Paint::solid(col, f.ow).emissive().alpha(f.alpha).shade(0.2));
    f.face([0.0, 0.46], 0.22, a);
    let _ = k;
}

fn rain_cloud(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let drop = mix(k, [0.5, 0.7, 1.0], 0.6);
    for i in 0..7 {
        let x = -0.5 + i as f32 * 0.17;
        let q = (time * 1.5 + i as f32 * 0.37).fract();
        let y = 0.55 - q * 0.55;
        f.draw(
            Shape::Capsule { a: [x - 0.02, y * f.sq], b: [x, (y + 0.08) * f.sq], ra: 0.03, rb: 0.012 },
            Paint::flat(drop).alpha(f.alpha * (1.0 - q * 0.5)),
        );
    }
    let col = mix(c, [0.55, 0.6, 0.7], 0.6);
    f.blob(
        &[
            ([-0.45, 0.68], 0.19),
            ([0.45, 0.68], 0.2),
            ([-0.15, 0.83], 0.25),
            ([0.18, 0.84], 0.24),
            ([0.0, 0.7], 0.25),
            ([-0.22, 0.62], 0.16),
            ([0.22, 0.62], 0.16),
        ],
        col,
        0.1,
    );
    f.face([0.0, 0.74], 0.25, a);
}

fn boat(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let bob = 0.03 * (time * 1.6).sin();
    let tilt = 0.04 * (time * 1.1).sin();
    let y = |v: f32, x: f32| v + bob + tilt * x;
    f.line([0.0, y(0.25, 0.0)], [0.0, y(0.95, 0.0)], 0.022, WOOD);
    let flap = 0.04 * (time * 4.0).sin();
    f.poly(&[[0.0, y(0.95, 0.0)], [0.15, y(0.9 + flap, 0.15)], [0.0, y(0.86, 0.0)]], [0.9, 0.25, 0.25]);
    f.poly(&[[0.03, y(0.88, 0.0)], [0.45, y(0.32, 0.45)], [0.03, y(0.32, 0.0)]], k);
    f.poly(&[[-0.03, y(0.8, 0.0)], [-0.35, y(0.34, -0.35)], [-0.03, y(0.34, 0.0)]], mix(k, WHITE, 0.6));
    f.poly(&[[-0.7, y(0.32, -0.7)], [0.75, y(0.32, 0.75)], [0.55, y(0.02, 0.55)], [-0.55, y(0.02, -0.55)]], c);
    f.line([-0.66, y(0.24, -0.66)], [0.7, y(0.24, 0.7)], 0.025, k);
    for x in [-0.3, 0.0, 0.3] {
        f.circle([x, y(0.14, x)], 0.045, [0.85, 0.93, 1.0]);
    }
    let _ = a;
}

fn rocket(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let flying = a.dy > 0.1 || a.speed > 0.0 || a.glow > 0.5;
    if flying {
        let fl = 0.25 + 0.08 * (time * 20.0).sin();
        f.draw(
            Shape::Poly(&[[-0.1, 0.14], [0.0, 0.14 - fl], [0.1, 0.14]]),
            Paint::flat([1.0, 0.6, 0.15]).emissive().alpha(f.alpha),
        );
        f.draw(
            Shape::Poly(&[[-0.05, 0.14], [0.0, 0.14 - fl * 0.6], [0.05, 0.14]]),
            Paint::flat([1.0, 0.95, 0.5]).emissive().alpha(f.alpha),
        );
    }
    f.poly(&[[-0.14, 0.42], [-0.3, 0.08], [-0.1, 0.16]], k);
    f.poly(&[[0.14, 0.42], [0.3, 0.08], [0.1, 0.16]], k);
    f.rrect([0.0, 0.17], 0.09, 0.04, 0.02, scale(c, 0.6));
    f.ellipse([0.0, 0.5], 0.17, 0.36, 0.0, c);
    f.poly(&[[-0.13, 0.74], [0.0, 1.0], [0.13, 0.74]], k);
    f.circle([0.0, 0.56], 0.085, mix(k, WHITE, 0.4));
    f.circle([0.0, 0.56], 0.06, [0.55, 0.8, 0.95]);
    f.dot([0.02, 0.58], 0.02, WHITE);
    f.line([-0.05, 0.3], [0.05, 0.3], 0.012, INK);
    if a.eyes_closed || a.talk.is_some() {
        f.eye([-0.025, 0.56], 0.018, a.eyes_closed);
        f.eye([0.03, 0.56], 0.018, a.eyes_closed);
    }
}

fn lantern(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32, light: &Light) {
    let flicker = 0.85 + 0.15 * (time * 11.0).sin() * (time * 7.3).cos();
    let glow = mix(k, [1.0, 0.9, 0.5], 0.5);
    let xf = f.xf;
    let cc = xf.to_px([0.0, 0.45]);
    f.c.glow(cc[0], cc[1], xf.s * (0.9 + 0.6 * light.dark), glow, (0.4 + 0.5 * light.dark) * flicker * f.alpha);
    f.capsule([-0.14, 0.85], [0.0, 1.0], 0.018, 0.018, c);
    f.capsule([0.0, 1.0], [0.14, 0.85], 0.018, 0.018, c);
    f.rrect([0.0, 0.78], 0.2, 0.06, 0.03, c);
    f.draw(
        Shape::RoundRect { c: [0.0, 0.45 * f.sq], hw: 0.16, hh: 0.26 * f.sq, r: 0.1, angle: 0.0 },
        Paint::solid(scale(glow, flicker.min(1.0)), f.ow).emissive().alpha(f.alpha),
    );
    f.draw(
        Shape::Ellipse { c: [0.0, 0.38 * f.sq], rx: 0.05, ry: 0.1 * flicker, angle: 0.0 },
        Paint::flat([1.0, 1.0, 0.85]).emissive().alpha(f.alpha),
    );
    for x in [-0.08, 0.08] {
        f.line([x, 0.2], [x, 0.72], 0.012, scale(c, 0.8));
    }
    f.rrect([0.0, 0.12], 0.2, 0.05, 0.03, c);
    let _ = a;
}

fn house(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32, light: &Light) {
    // Chimney smoke drifts up.
    for i in 0..3 {
        let q = (time * 0.25 + i as f32 / 3.0).fract();
        let p = [0.28 + q * 0.2 + 0.03 * (q * 8.0).sin(), 0.95 + q * 0.4];
        f.draw(
            Shape::Circle { c: p, r: 0.05 + 0.06 * q },
            Paint::flat([0.9, 0.9, 0.92]).alpha(0.7 * (1.0 - q) * f.alpha).soft(0.5),
        );
    }
    f.rrect([0.28, 0.85], 0.05, 0.1, 0.0, scale(k, 0.8));
    f.rrect([0.0, 0.3], 0.42, 0.3, 0.02, c);
    f.poly(&[[-0.52, 0.58], [0.0, 0.98], [0.52, 0.58]], k);
    f.line([-0.52, 0.58], [0.52, 0.58], 0.02, scale(k, 0.7));
    f.rrect([0.0, 0.16], 0.09, 0.16, 0.04, WOOD);
    f.dot([0.05, 0.15], 0.018, [0.95, 0.8, 0.3]);
    let lit = light.dark > 0.4 || a.glow > 0.2;
    let win = if lit { [1.0, 0.85, 0.45] } else { [0.6, 0.82, 0.95] };
    for x in [-0.25, 0.25] {
        let xf = f.xf;
        f.c.draw(
            &xf,
            &Shape::RoundRect { c: [x, 0.36 * f.sq], hw: 0.09, hh: 0.08, r: 0.01, angle: 0.0 },
            &Paint::solid(win, f.ow).emissive_if(lit).alpha(f.alpha),
        );
        f.line([x, 0.29], [x, 0.43], 0.01, INK);
        f.line([x - 0.09, 0.36], [x + 0.09, 0.36], 0.01, INK);
    }
    f.circle([0.0, 0.75], 0.06, mix(k, WHITE, 0.5));
    if a.talk.is_some() || a.eyes_closed {
        f.face([0.0, 0.75], 0.06, a);
    }
}

fn rock(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let col = mix(c, [0.55, 0.55, 0.58], 0.5);
    f.poly(&[[-0.7, 0.0], [-0.6, 0.45], [-0.25, 0.85], [0.2, 0.9], [0.55, 0.6], [0.72, 0.0]], col);
    f.dot([-0.2, 0.65], 0.1, mix(col, WHITE, 0.3));
    f.dot([0.35, 0.25], 0.08, mix(k, LEAF, 0.6));
    f.dot([0.45, 0.3], 0.06, mix(k, LEAF, 0.6));
    f.line([0.1, 0.2], [0.25, 0.45], 0.015, scale(col, 0.6));
    if a.talk.is_some() || a.eyes_closed {
        f.face([0.0, 0.45], 0.28, a);
    }
}
