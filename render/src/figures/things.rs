//! Toys, food, nature and things at home. Most are props a hand can hold (`Kind::is_prop`):
//! drawn so that their middle (local y 0.45, where a holder's hand is) is a handle, a string or
//! a body to grip. `color` is the thing's own colour (the balloon, the cake's icing, the
//! blanket), `accent` the second one (ribbon, sprinkles, spots).

use super::super::light::Light;
use super::super::motion::Anim;
use super::super::raster::{INK, Paint, Rgb, Shape, mix, scale};
use super::{Fig, LEAF, PINK, SKIN, WHITE, WOOD, limb};
use std::f32::consts::PI;

const CREAM: Rgb = [0.97, 0.93, 0.82];
const WAFFLE: Rgb = [0.88, 0.66, 0.38];

/// Points of half an ellipse (the upper half), from the right end round to the left.
fn dome(c: [f32; 2], rx: f32, ry: f32, n: usize) -> Vec<[f32; 2]> {
    (0..=n)
        .map(|i| {
            let ang = PI * i as f32 / n as f32;
            [c[0] + ang.cos() * rx, c[1] + ang.sin() * ry]
        })
        .collect()
}

/// A face on a thing that comes alive: only while it talks or sleeps.
fn alive_face(f: &mut Fig<'_>, c: [f32; 2], r: f32, a: &Anim) {
    if a.talk.is_some() || a.eyes_closed {
        f.face(c, r, a);
    }
}

// ---------------------------------------------------------------------------------------------
// Toys

pub(super) fn teddy(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let light = mix(c, WHITE, 0.45);
    for x in [-0.18, 0.18] {
        f.ellipse([x, 0.13], 0.14, 0.12, 0.0, c);
        f.dot([x * 1.1, 0.11], 0.07, light);
    }
    f.ellipse([-0.3, 0.4], 0.09, 0.15, -0.45, c);
    f.ellipse([0.0, 0.37], 0.27, 0.26, 0.0, c);
    f.ellipse([0.0, 0.33], 0.15, 0.15, 0.0, light);
    let up = a.wave.clamp(0.0, 1.0);
    f.ellipse([0.3 + 0.04 * up, 0.4 + 0.12 * up], 0.09, 0.15, 0.45 + 1.6 * up, c);
    let h = [0.0, 0.73];
    for x in [-0.19, 0.19] {
        f.circle([x, h[1] + 0.18], 0.09, c);
        f.dot([x, h[1] + 0.18], 0.05, light);
    }
    f.circle(h, 0.24, c);
    f.ellipse([0.0, h[1] - 0.08], 0.1, 0.075, 0.0, light);
    f.ellipse([0.0, h[1] - 0.05], 0.035, 0.025, 0.0, INK);
    f.eye([-0.09, h[1] + 0.04], 0.032, a.eyes_closed);
    f.eye([0.09, h[1] + 0.04], 0.032, a.eyes_closed);
    f.mouth([0.0, h[1] - 0.11], 0.06, a.mouth);
    // A bow tie in the accent colour.
    f.poly(&[[0.0, 0.5], [-0.13, 0.57], [-0.13, 0.43]], k);
    f.poly(&[[0.0, 0.5], [0.13, 0.57], [0.13, 0.43]], k);
    f.circle([0.0, 0.5], 0.035, scale(k, 0.8));
}

pub(super) fn balloon(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let sway = 0.04 * (time * 1.3).sin() + a.tilt * 0.3;
    let string = mix(k, INK, 0.55);
    let mut prev = [0.0, 0.0];
    for i in 1..=6 {
        let t = i as f32 / 6.0;
        let p = [sway * t + 0.025 * (t * 9.0 + time * 2.0).sin(), 0.46 * t];
        f.line(prev, p, 0.012, string);
        prev = p;
    }
    let top = [sway, 0.75];
    f.poly(&[[sway - 0.045, 0.44], [sway + 0.045, 0.44], [sway, 0.5]], c);
    f.draw(
        Shape::Ellipse { c: f.p(top), rx: 0.23, ry: 0.28 * f.sq, angle: 0.0 },
        Paint::solid(c, f.ow).alpha(f.alpha).shade(0.3),
    );
    f.draw(
        Shape::Ellipse { c: f.p([sway - 0.09, 0.84]), rx: 0.04, ry: 0.09, angle: -0.4 },
        Paint::flat(WHITE).alpha(0.75 * f.alpha),
    );
    alive_face(f, [sway, 0.72], 0.2, a);
}

pub(super) fn kite(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    // The kite tugs on its string in the wind.
    let ang = 0.12 * (time * 1.1).sin() - 0.25;
    let ctr = [0.12, 0.7];
    let rot = |p: [f32; 2]| {
        let (s, co) = ang.sin_cos();
        let (x, y) = (p[0] - ctr[0], p[1] - ctr[1]);
        [ctr[0] + x * co - y * s, ctr[1] + x * s + y * co]
    };
    let (top, right, bottom, left) = (rot([0.12, 1.0]), rot([0.36, 0.76]), rot([0.12, 0.38]), rot([-0.12, 0.76]));
    let mid = rot([0.12, 0.76]);
    f.line(bottom, [-0.28, 0.0], 0.01, mix(k, INK, 0.6));
    // The tail: a wavy string with bows in the accent colour.
    let mut prev = bottom;
    for i in 1..=4 {
        let t = i as f32 / 4.0;
        let p = [bottom[0] + 0.1 * t + 0.05 * (t * 7.0 + time * 3.0).sin(), bottom[1] - 0.3 * t];
        f.line(prev, p, 0.01, INK);
        f.poly(&[[p[0], p[1]], [p[0] - 0.09, p[1] + 0.06], [p[0] - 0.09, p[1] - 0.06]], k);
        f.poly(&[[p[0], p[1]], [p[0] + 0.09, p[1] + 0.06], [p[0] + 0.09, p[1] - 0.06]], k);
        prev = p;
    }
    f.poly(&[top, right, bottom, left], c);
    let pale = mix(c, WHITE, 0.35);
    let paint = Paint::flat(pale).alpha(f.alpha);
    let tri = |f: &mut Fig<'_>, p: [[f32; 2]; 3]| {
        let pts: Vec<[f32; 2]> = p.iter().map(|q| f.p(*q)).collect();
        f.draw(Shape::Poly(&pts), paint);
    };
    tri(f, [top, mid, left]);
    tri(f, [bottom, mid, right]);
    f.line(top, bottom, 0.015, WOOD);
    f.line(left, right, 0.015, WOOD);
    alive_face(f, mid, 0.15, a);
}

pub(super) fn doll(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let shoe = scale(c, 0.55);
    for x in [-0.08, 0.08] {
        let foot = limb([x, 0.3], a.legs * 0.3 * x.signum(), 0.24);
        f.capsule([x, 0.3], foot, 0.045, 0.04, WHITE);
        for t in [0.3, 0.6] {
            let p = [x + (foot[0] - x) * t, 0.3 + (foot[1] - 0.3) * t];
            f.line([p[0] - 0.04, p[1]], [p[0] + 0.04, p[1]], 0.014, c);
        }
        f.ellipse([foot[0] + 0.02, foot[1] + 0.02], 0.06, 0.035, 0.0, shoe);
    }
    f.poly(&[[-0.12, 0.6], [0.12, 0.6], [0.25, 0.26], [-0.25, 0.26]], c);
    f.line([-0.23, 0.31], [0.23, 0.31], 0.02, k);
    f.ellipse([0.0, 0.6], 0.1, 0.035, 0.0, WHITE);
    let up = a.wave.clamp(0.0, 1.0);
    for side in [-1.0f32, 1.0] {
        let ang = side * (0.7 + if side > 0.0 { 1.8 * up } else { 0.0 });
        let shoulder = [side * 0.11, 0.56];
        let hand = limb(shoulder, ang, 0.2);
        f.capsule(shoulder, hand, 0.04, 0.035, c);
        f.circle(hand, 0.045, SKIN);
    }
    // Yarn hair in the accent colour with two bunches, button eyes.
    let h = [0.0, 0.76];
    f.circle([-0.2, h[1] - 0.06], 0.08, k);
    f.circle([0.2, h[1] - 0.06], 0.08, k);
    f.circle([0.0, h[1] + 0.02], 0.19, k);
    f.circle(h, 0.16, SKIN);
    f.ellipse([0.0, h[1] + 0.12], 0.15, 0.06, 0.0, k);
    // A bow in the hair, the colour of the dress.
    f.poly(&[[0.12, h[1] + 0.16], [0.04, h[1] + 0.24], [0.04, h[1] + 0.1]], c);
    f.poly(&[[0.12, h[1] + 0.16], [0.22, h[1] + 0.24], [0.22, h[1] + 0.1]], c);
    for x in [-0.06, 0.06] {
        if a.eyes_closed {
            f.line([x - 0.03, h[1]], [x + 0.03, h[1]], 0.01, INK);
        } else {
            f.dot([x, h[1]], 0.03, INK);
            f.dot([x + 0.01, h[1] + 0.01], 0.008, WHITE);
        }
        f.dot([x * 1.7, h[1] - 0.05], 0.025, PINK);
    }
    f.mouth([0.0, h[1] - 0.07], 0.05, a.mouth);
}

pub(super) fn drum(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    f.rrect([0.0, 0.36], 0.45, 0.26, 0.03, c);
    for i in 0..5 {
        let x0 = -0.38 + i as f32 * 0.15;
        let up = if i % 2 == 0 { [x0 + 0.15, 0.56] } else { [x0 + 0.15, 0.16] };
        let down = if i % 2 == 0 { [x0, 0.16] } else { [x0, 0.56] };
        f.line(down, up, 0.012, mix(WHITE, k, 0.2));
    }
    f.rrect([0.0, 0.13], 0.47, 0.05, 0.03, k);
    f.rrect([0.0, 0.6], 0.47, 0.05, 0.03, k);
    f.ellipse([0.0, 0.68], 0.44, 0.09, 0.0, CREAM);
    // Two sticks over the head; they beat while the drum dances or talks.
    let beat = if a.legs != 0.0 || a.talk.is_some() || a.arms != 0.0 { 0.1 * (time * 8.0).sin().abs() } else { 0.0 };
    for side in [-1.0f32, 1.0] {
        let tip = [side * 0.08, 0.74 + beat];
        f.capsule([side * 0.48, 0.98], tip, 0.025, 0.02, WOOD);
        f.circle(tip, 0.04, mix(WOOD, WHITE, 0.3));
    }
}

// ---------------------------------------------------------------------------------------------
// Food

pub(super) fn cake(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32, light: &Light) {
    f.ellipse([0.0, 0.06], 0.56, 0.07, 0.0, [0.92, 0.93, 0.95]);
    f.rrect([0.0, 0.3], 0.45, 0.22, 0.05, c);
    f.rrect([0.0, 0.28], 0.46, 0.028, 0.0, k);
    // Icing on top with drips down the side.
    let icing = mix(k, WHITE, 0.3);
    f.rrect([0.0, 0.5], 0.46, 0.05, 0.04, icing);
    for x in [-0.32, -0.12, 0.1, 0.3] {
        f.dot([x, 0.44], 0.04, icing);
    }
    // Candles with flickering flames.
    for (i, x) in [-0.22f32, 0.0, 0.22].iter().enumerate() {
        f.rrect([*x, 0.66], 0.045, 0.11, 0.015, mix(c, WHITE, 0.6));
        f.line([x - 0.035, 0.6], [x + 0.035, 0.66], 0.012, scale(c, 0.8));
        f.line([x - 0.035, 0.68], [x + 0.035, 0.74], 0.012, scale(c, 0.8));
        let flick = 1.0 + 0.15 * (time * 11.0 + i as f32 * 2.0).sin();
        let cc = f.xf.to_px([*x, 0.84]);
        f.c.glow(cc[0], cc[1], f.xf.s * 0.12, [1.0, 0.8, 0.4], (0.3 + 0.5 * light.dark) * f.alpha);
        f.draw(
            Shape::Ellipse { c: f.p([*x, 0.85]), rx: 0.045, ry: 0.075 * flick, angle: 0.0 },
            Paint::solid([1.0, 0.75, 0.25], f.ow * 0.6).emissive().alpha(f.alpha),
        );
    }
    alive_face(f, [0.0, 0.3], 0.2, a);
}

pub(super) fn banana(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let (ctr, r) = ([0.0, 0.82], 0.72);
    let n = 16;
    let at = |t: f32, rr: f32| {
        let ang = PI * (-0.83 + 0.66 * t);
        [ctr[0] + ang.cos() * rr, ctr[1] + ang.sin() * rr]
    };
    let mut pts: Vec<[f32; 2]> = (0..=n).map(|i| at(i as f32 / n as f32, r)).collect();
    pts.extend((0..=n).rev().map(|i| {
        let t = i as f32 / n as f32;
        at(t, r - 0.05 - 0.27 * (PI * t).sin())
    }));
    f.poly(&pts, c);
    for i in 2..n - 1 {
        let t = i as f32 / n as f32;
        let (p, q) =
            (at(t, r - 0.1 * (PI * t).sin()), at(t + 1.0 / n as f32, r - 0.1 * (PI * (t + 1.0 / n as f32)).sin()));
        f.line(p, q, 0.012, scale(c, 0.8));
    }
    let tip = at(0.0, r - 0.02);
    f.dot(tip, 0.035, k);
    let end = at(1.0, r - 0.03);
    f.capsule(end, [end[0] + 0.08, end[1] + 0.14], 0.04, 0.035, mix(k, LEAF, 0.3));
    alive_face(f, at(0.5, r - 0.14), 0.12, a);
}

pub(super) fn carrot(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let top: [f32; 2] = [-0.28, 0.62];
    let tip = [0.56, 0.1];
    let d = [tip[0] - top[0], tip[1] - top[1]];
    let len = (d[0] * d[0] + d[1] * d[1]).sqrt();
    let (u, n) = ([d[0] / len, d[1] / len], [-d[1] / len, d[0] / len]);
    // Leaves first, fanning out of the top.
    let green = mix(k, LEAF, 0.3);
    for (ang, l) in [(2.0f32, 0.3), (2.5, 0.34), (3.0, 0.28)] {
        let dir = [u[0] * ang.cos() - u[1] * ang.sin(), u[0] * ang.sin() + u[1] * ang.cos()];
        let ctr = [top[0] + dir[0] * l * 0.7, top[1] + dir[1] * l * 0.7];
        f.ellipse(ctr, l * 0.6, 0.06, dir[1].atan2(dir[0]), green);
    }
    let w = 0.2;
    let mut pts: Vec<[f32; 2]> = (0..=10)
        .map(|i| {
            let t = PI * (0.5 + i as f32 / 10.0);
            [top[0] + (n[0] * t.sin() + u[0] * t.cos()) * w, top[1] + (n[1] * t.sin() + u[1] * t.cos()) * w]
        })
        .collect();
    pts.push(tip);
    f.poly(&pts, c);
    for t in [0.3, 0.5, 0.7] {
        let p = [top[0] + d[0] * t, top[1] + d[1] * t];
        let hw = w * (1.0 - t) * 0.6;
        f.line(
            [p[0] + n[0] * hw, p[1] + n[1] * hw],
            [p[0] + n[0] * hw * 0.2, p[1] + n[1] * hw * 0.2],
            0.012,
            scale(c, 0.7),
        );
    }
    alive_face(f, [top[0] + d[0] * 0.25, top[1] + d[1] * 0.25], 0.12, a);
}

pub(super) fn ice_cream(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    f.poly(&[[-0.19, 0.5], [0.19, 0.5], [0.0, 0.0]], WAFFLE);
    // Criss-cross lines, each parallel to one side from the rim to the other side.
    for x in [-0.1, 0.0, 0.1] {
        let t = (0.19 - x) / 0.38;
        f.line([x, 0.5], [x + 0.19 * t, 0.5 - 0.5 * t], 0.01, scale(WAFFLE, 0.72));
        f.line([-x, 0.5], [-x - 0.19 * t, 0.5 - 0.5 * t], 0.01, scale(WAFFLE, 0.72));
    }
    f.circle([0.0, 0.82], 0.17, mix(c, WHITE, 0.12));
    f.circle([0.0, 0.58], 0.21, c);
    f.ellipse([0.0, 0.49], 0.23, 0.06, 0.0, c);
    for (x, y) in [(-0.12, 0.44), (0.1, 0.43)] {
        f.dot([x, y], 0.04, c);
    }
    f.line([0.04, 1.02], [0.08, 1.1], 0.01, WOOD);
    f.circle([0.03, 1.0], 0.055, [0.85, 0.1, 0.2]);
    // Sprinkles in the accent colour.
    for (i, (x, y)) in
        [(-0.1, 0.66), (0.08, 0.7), (0.12, 0.56), (-0.06, 0.86), (0.07, 0.9), (-0.13, 0.55)].iter().enumerate()
    {
        let ang = i as f32 * 1.3;
        let d = [ang.cos() * 0.025, ang.sin() * 0.025];
        f.line([x - d[0], y - d[1]], [x + d[0], y + d[1]], 0.014, k);
    }
    alive_face(f, [0.0, 0.6], 0.15, a);
}

pub(super) fn cookie(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let dough = mix(c, [0.85, 0.62, 0.36], 0.15);
    // A round cookie with a bite out of its top right: three little scallops.
    let (bite0, bite1) = (0.25f32, 1.15f32);
    let rim: Vec<[f32; 2]> = (0..72)
        .map(|i| {
            let ang = i as f32 / 72.0 * 2.0 * PI;
            let r = if (bite0..bite1).contains(&ang) {
                let s = (ang - bite0) / (bite1 - bite0);
                0.47 - 0.06 - 0.08 * (s * 3.0 * PI).sin().abs()
            } else {
                0.47
            };
            [ang.cos() * r, 0.5 + ang.sin() * r]
        })
        .collect();
    let rim: Vec<[f32; 2]> = rim.iter().map(|p| f.p(*p)).collect();
    f.draw(Shape::Poly(&rim), Paint::solid(dough, f.ow).alpha(f.alpha).shade(0.15));
    f.dot([-0.08, 0.62], 0.3, mix(dough, WHITE, 0.12));
    let chips = scale(k, 0.7);
    for (x, y, r) in [
        (-0.2, 0.68, 0.07),
        (0.08, 0.7, 0.06),
        (0.24, 0.42, 0.07),
        (-0.05, 0.45, 0.065),
        (-0.28, 0.35, 0.05),
        (0.05, 0.2, 0.06),
        (0.02, 0.84, 0.045),
    ] {
        f.dot([x, y], r, chips);
    }
    alive_face(f, [0.0, 0.5], 0.25, a);
}

// ---------------------------------------------------------------------------------------------
// Nature

pub(super) fn mushroom(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    f.rrect([0.0, 0.25], 0.15, 0.24, 0.08, CREAM);
    f.ellipse([0.0, 0.47], 0.42, 0.07, 0.0, scale(CREAM, 0.88));
    f.poly(&dome([0.0, 0.46], 0.48, 0.5, 20), c);
    for (p, r) in [([-0.24, 0.62], 0.07), ([0.04, 0.82], 0.08), ([0.26, 0.6], 0.06), ([-0.04, 0.6], 0.05)] {
        f.dot(p, r, k);
    }
    alive_face(f, [0.0, 0.24], 0.12, a);
}

pub(super) fn leaf(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let sway = 0.05 * (time * 1.4).sin();
    let base: [f32; 2] = [-0.36, 0.14];
    let tip = [0.42 + sway, 0.82];
    let d = [tip[0] - base[0], tip[1] - base[1]];
    let len = (d[0] * d[0] + d[1] * d[1]).sqrt();
    let n = [-d[1] / len, d[0] / len];
    let at = |t: f32, side: f32| {
        let w = 0.24 * (PI * t).sin().max(0.0).powf(0.8) * side;
        [base[0] + d[0] * t + n[0] * w, base[1] + d[1] * t + n[1] * w]
    };
    f.line([-0.5, 0.02], base, 0.022, scale(mix(c, WOOD, 0.5), 0.8));
    let mut pts: Vec<[f32; 2]> = (0..=12).map(|i| at(i as f32 / 12.0, 1.0)).collect();
    pts.extend((0..=12).rev().map(|i| at(i as f32 / 12.0, -1.0)));
    f.poly(&pts, c);
    let vein = mix(scale(c, 0.7), k, 0.3);
    f.line(base, at(0.95, 0.0), 0.016, vein);
    for t in [0.3, 0.5, 0.7] {
        for side in [-1.0, 1.0] {
            f.line(at(t, 0.0), at(t + 0.12, side * 0.7), 0.01, vein);
        }
    }
    alive_face(f, at(0.5, 0.0), 0.12, a);
}

pub(super) fn rainbow(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    // Its own colours, outer red to inner violet; `color` tints the clouds at its ends.
    const BANDS: [Rgb; 6] = [
        [0.9, 0.22, 0.22],
        [0.98, 0.58, 0.18],
        [0.98, 0.88, 0.3],
        [0.36, 0.74, 0.32],
        [0.28, 0.52, 0.9],
        [0.58, 0.36, 0.78],
    ];
    let ctr = [0.0, 0.04];
    let (outer, band) = (0.96, 0.075);
    let arc = |r0: f32, r1: f32| -> Vec<[f32; 2]> {
        let n = 28;
        let mut pts = dome(ctr, r1, r1, n);
        pts.extend(dome(ctr, r0, r0, n).into_iter().rev());
        pts
    };
    let inner = outer - band * BANDS.len() as f32;
    let ow = f.ow;
    let ink: Vec<[f32; 2]> = arc(inner - ow, outer + ow).iter().map(|p| f.p(*p)).collect();
    f.draw(Shape::Poly(&ink), Paint::flat(INK).alpha(f.alpha));
    for (i, col) in BANDS.iter().enumerate() {
        let r1 = outer - band * i as f32;
        let pts: Vec<[f32; 2]> = arc(r1 - band, r1).iter().map(|p| f.p(*p)).collect();
        f.draw(Shape::Poly(&pts), Paint::flat(*col).alpha(f.alpha));
    }
    let cloud = mix(c, WHITE, 0.55);
    for side in [-1.0f32, 1.0] {
        let x = side * (outer + inner) * 0.5;
        f.blob(&[([x - 0.16, 0.1], 0.11), ([x, 0.16], 0.15), ([x + 0.16, 0.1], 0.11), ([x, 0.07], 0.12)], cloud, 0.1);
    }
    let _ = k;
    alive_face(f, [0.0, outer - 0.2], 0.2, a);
}

// ---------------------------------------------------------------------------------------------
// Things at home

pub(super) fn chair(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let dark = scale(c, 0.72);
    for x in [-0.24, 0.24] {
        f.capsule([x, 0.44], [x, 0.1], 0.03, 0.03, dark);
    }
    for x in [-0.27, 0.27] {
        f.capsule([x, 0.44], [x, 0.98], 0.035, 0.035, c);
    }
    f.rrect([0.0, 0.9], 0.3, 0.07, 0.03, c);
    f.rrect([0.0, 0.7], 0.27, 0.04, 0.02, c);
    f.poly(&[[-0.3, 0.48], [0.3, 0.48], [0.38, 0.38], [-0.38, 0.38]], c);
    f.ellipse([0.0, 0.47], 0.27, 0.045, 0.0, k);
    for x in [-0.35, 0.35] {
        f.capsule([x, 0.38], [x, 0.0], 0.035, 0.035, c);
    }
    alive_face(f, [0.0, 0.8], 0.14, a);
}

pub(super) fn bed(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let frame = mix(WOOD, c, 0.15);
    for x in [-0.7, 0.7] {
        f.rrect([x, 0.06], 0.04, 0.06, 0.01, scale(frame, 0.8));
    }
    f.rrect([-0.74, 0.52], 0.07, 0.46, 0.06, frame);
    f.circle([-0.74, 0.98], 0.06, frame);
    f.rrect([0.0, 0.26], 0.72, 0.12, 0.04, WHITE);
    f.ellipse([-0.48, 0.48], 0.17, 0.09, 0.0, mix(k, WHITE, 0.5));
    f.rrect([0.14, 0.36], 0.58, 0.14, 0.06, c);
    f.rrect([-0.38, 0.38], 0.07, 0.15, 0.04, mix(c, WHITE, 0.35));
    for (x, y) in [(-0.05, 0.4), (0.2, 0.3), (0.45, 0.42), (0.05, 0.27), (0.55, 0.28), (0.3, 0.45)] {
        f.dot([x, y], 0.03, mix(k, c, 0.2));
    }
    f.rrect([0.74, 0.32], 0.06, 0.3, 0.05, frame);
    alive_face(f, [-0.74, 0.7], 0.07, a);
}

pub(super) fn cup(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    for i in 0..2 {
        let q = (time * 0.5 + i as f32 * 0.5).fract();
        let x = -0.12 + 0.18 * i as f32 + 0.05 * (q * 7.0).sin();
        f.draw(
            Shape::Circle { c: f.p([x, 0.95 + q * 0.35]), r: 0.05 + 0.05 * q },
            Paint::flat([0.95, 0.95, 0.97]).alpha(0.7 * (1.0 - q) * f.alpha).soft(1.0),
        );
    }
    let cc = f.p([0.3, 0.46]);
    f.draw(Shape::Crescent { c: cc, r: 0.19, cut: cc, cut_r: 0.1 }, Paint::solid(c, f.ow).alpha(f.alpha));
    f.rrect([-0.06, 0.42], 0.32, 0.4, 0.07, c);
    f.ellipse([-0.06, 0.82], 0.32, 0.07, 0.0, scale(c, 0.78));
    f.ellipse([-0.06, 0.82], 0.26, 0.045, 0.0, [0.45, 0.28, 0.2]);
    // A heart on the side, in the accent colour.
    let h = [-0.06, 0.42];
    f.dot([h[0] - 0.06, h[1] + 0.04], 0.07, k);
    f.dot([h[0] + 0.06, h[1] + 0.04], 0.07, k);
    let heart: Vec<[f32; 2]> = [[h[0] - 0.125, h[1] + 0.03], [h[0] + 0.125, h[1] + 0.03], [h[0], h[1] - 0.13]]
        .iter()
        .map(|p| f.p(*p))
        .collect();
    f.draw(Shape::Poly(&heart), Paint::flat(k).alpha(f.alpha));
    let _ = a;
}

pub(super) fn hat(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    f.ellipse([0.0, 0.14], 0.56, 0.12, 0.0, c);
    f.rrect([0.0, 0.48], 0.3, 0.36, 0.12, c);
    f.rrect([0.0, 0.24], 0.31, 0.07, 0.02, k);
    f.circle([0.2, 0.26], 0.06, mix(k, WHITE, 0.6));
    f.dot([0.2, 0.26], 0.025, [0.98, 0.85, 0.3]);
    f.line([-0.2, 0.3], [-0.2, 0.72], 0.03, mix(c, WHITE, 0.25));
    alive_face(f, [0.0, 0.5], 0.15, a);
}

pub(super) fn umbrella(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let handle = mix(k, WOOD, 0.3);
    f.line([0.0, 0.95], [0.0, 0.14], 0.022, [0.35, 0.33, 0.38]);
    let hook: Vec<[f32; 2]> = (0..=8)
        .map(|i| {
            let ang = PI + PI * i as f32 / 8.0;
            [0.07 + 0.07 * ang.cos(), 0.08 + 0.07 * ang.sin()]
        })
        .collect();
    let mut path = vec![[0.0, 0.18]];
    path.extend(hook);
    f.stroke(&path, 0.03, 0.03, handle);
    // The canopy: a dome with a scalloped edge, ribs between its panels.
    let (cy, rx, ry) = (0.56, 0.56, 0.4);
    let mut pts = dome([0.0, cy], rx, ry, 24);
    let scallops = 4;
    let ribs: Vec<f32> = (0..=scallops).map(|i| -rx + 2.0 * rx * i as f32 / scallops as f32).collect();
    for w in ribs.windows(2) {
        for j in 1..=6 {
            let s = j as f32 / 6.0;
            pts.push([w[0] + (w[1] - w[0]) * s, cy + 0.08 * (PI * s).sin()]);
        }
    }
    f.poly(&pts, c);
    for x in &ribs[1..scallops] {
        f.line([0.0, cy + ry], [*x, cy], 0.012, scale(c, 0.7));
    }
    f.capsule([0.0, cy + ry - 0.02], [0.0, cy + ry + 0.07], 0.025, 0.02, k);
    alive_face(f, [0.0, cy + 0.17], 0.15, a);
}
