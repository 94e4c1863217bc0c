//! Vehicles, side view facing +x: the body in `color` (a red car is red all over), details such
//! as stripes, bumpers and hubs in `accent`. Wheels turn while the vehicle walks or runs; the
//! train and the fire engine puff and flash on their own.

use super::super::motion::Anim;
use super::super::raster::{INK, Paint, Rgb, Shape, mix, scale};
use super::Fig;
use std::f32::consts::{PI, TAU};

const GLASS: Rgb = [0.62, 0.84, 0.96];
const TYRE: Rgb = [0.2, 0.2, 0.23];
const LAMP: Rgb = [1.0, 0.93, 0.55];
const STEEL: Rgb = [0.78, 0.8, 0.84];

/// How far the wheels have turned: they roll while the vehicle moves, faster when it runs.
fn turned(a: &Anim, time: f32) -> f32 {
    if a.speed > 0.0 {
        -time * 14.0
    } else if a.legs != 0.0 {
        -time * 7.0
    } else {
        0.0
    }
}

/// A tyre with a hub and three spokes that show it turning.
fn wheel(f: &mut Fig<'_>, c: [f32; 2], r: f32, hub: Rgb, turn: f32) {
    f.circle(c, r, TYRE);
    f.circle(c, r * 0.52, hub);
    for i in 0..3 {
        let ang = turn + i as f32 * TAU / 3.0;
        f.line(c, [c[0] + ang.cos() * r * 0.46, c[1] + ang.sin() * r * 0.46], r * 0.07, scale(hub, 0.55));
    }
    f.dot(c, r * 0.13, scale(hub, 0.6));
}

/// Puffs of smoke or steam rising from `at` and drifting back.
fn puffs(f: &mut Fig<'_>, at: [f32; 2], time: f32, col: Rgb) {
    for i in 0..3 {
        let q = (time * 0.5 + i as f32 / 3.0).fract();
        let p = [at[0] - q * 0.35 + 0.03 * (q * 8.0).sin(), at[1] + q * 0.4];
        f.draw(
            Shape::Circle { c: f.p(p), r: 0.05 + 0.07 * q },
            Paint::flat(col).alpha(0.75 * (1.0 - q) * f.alpha).soft(0.5),
        );
    }
}

pub(super) fn car(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let turn = turned(a, time);
    f.poly(&[[-0.5, 0.46], [-0.3, 0.86], [0.2, 0.86], [0.46, 0.46]], c);
    f.poly(&[[-0.4, 0.48], [-0.25, 0.79], [-0.06, 0.79], [-0.06, 0.48]], GLASS);
    f.poly(&[[0.02, 0.48], [0.02, 0.79], [0.17, 0.79], [0.35, 0.48]], GLASS);
    f.rrect([0.0, 0.33], 0.78, 0.17, 0.12, c);
    f.line([-0.7, 0.3], [0.7, 0.3], 0.025, k);
    f.line([-0.04, 0.47], [-0.04, 0.2], 0.012, scale(c, 0.65));
    f.line([0.06, 0.42], [0.14, 0.42], 0.015, scale(c, 0.6));
    f.circle([0.72, 0.38], 0.055, LAMP);
    f.rrect([-0.76, 0.38], 0.025, 0.045, 0.01, [0.9, 0.2, 0.2]);
    f.rrect([0.8, 0.21], 0.05, 0.04, 0.02, k);
    f.rrect([-0.8, 0.21], 0.05, 0.04, 0.02, k);
    wheel(f, [-0.45, 0.16], 0.16, STEEL, turn);
    wheel(f, [0.45, 0.16], 0.16, STEEL, turn);
}

pub(super) fn bus(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let turn = turned(a, time);
    f.rrect([0.0, 0.53], 0.92, 0.38, 0.1, c);
    f.rrect([0.0, 0.36], 0.92, 0.035, 0.0, k);
    for i in 0..4 {
        let x = -0.74 + i as f32 * 0.3;
        f.rrect([x, 0.68], 0.11, 0.12, 0.03, GLASS);
    }
    f.rrect([0.58, 0.48], 0.1, 0.3, 0.03, scale(GLASS, 0.85));
    f.line([0.58, 0.2], [0.58, 0.76], 0.01, INK);
    f.rrect([0.84, 0.68], 0.06, 0.14, 0.03, GLASS);
    f.circle([0.86, 0.26], 0.05, LAMP);
    f.rrect([0.92, 0.16], 0.04, 0.04, 0.02, k);
    wheel(f, [-0.58, 0.15], 0.15, STEEL, turn);
    wheel(f, [0.34, 0.15], 0.15, STEEL, turn);
}

pub(super) fn train(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let turn = turned(a, time);
    puffs(f, [0.56, 0.95], time, [0.86, 0.86, 0.9]);
    f.rrect([0.0, 0.2], 0.88, 0.06, 0.02, scale(INK, 1.5));
    f.poly(&[[0.8, 0.26], [0.96, 0.06], [0.8, 0.06]], k);
    // The cab behind, the round boiler in front with its chimney and dome.
    f.rrect([-0.52, 0.58], 0.3, 0.34, 0.04, c);
    f.rrect([-0.52, 0.94], 0.37, 0.05, 0.03, k);
    f.rrect([-0.5, 0.68], 0.15, 0.12, 0.03, GLASS);
    f.poly(&[[0.48, 0.64], [0.62, 0.64], [0.68, 0.92], [0.42, 0.92]], scale(INK, 1.6));
    f.ellipse([0.14, 0.68], 0.09, 0.07, 0.0, k);
    f.rrect([0.28, 0.46], 0.52, 0.2, 0.18, c);
    for x in [0.02, 0.42] {
        f.rrect([x, 0.46], 0.025, 0.2, 0.01, k);
    }
    f.circle([0.8, 0.52], 0.06, LAMP);
    let big = [-0.52, 0.18];
    wheel(f, big, 0.18, k, turn);
    wheel(f, [0.1, 0.14], 0.13, k, turn);
    wheel(f, [0.5, 0.14], 0.13, k, turn);
    let crank = |c: [f32; 2], r: f32| [c[0] + turn.cos() * r, c[1] + turn.sin() * r];
    f.line(crank(big, 0.09), crank([0.5, 0.14], 0.07), 0.02, STEEL);
}

pub(super) fn truck(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let turn = turned(a, time);
    f.rrect([0.0, 0.24], 0.84, 0.06, 0.02, scale(INK, 1.5));
    // A load heaped in the tipper, in the accent colour.
    f.blob(
        &[([-0.62, 0.76], 0.12), ([-0.38, 0.8], 0.16), ([-0.12, 0.78], 0.14), ([0.1, 0.76], 0.1)],
        mix(k, [0.75, 0.6, 0.4], 0.2),
        0.2,
    );
    f.poly(&[[-0.86, 0.3], [-0.9, 0.78], [0.3, 0.78], [0.24, 0.3]], c);
    for x in [-0.55, -0.3, -0.05] {
        f.line([x, 0.34], [x, 0.74], 0.014, scale(c, 0.7));
    }
    f.rrect([0.58, 0.5], 0.24, 0.3, 0.08, c);
    f.poly(&[[0.5, 0.58], [0.5, 0.74], [0.66, 0.74], [0.76, 0.58]], GLASS);
    f.circle([0.78, 0.36], 0.045, LAMP);
    f.rrect([0.84, 0.24], 0.04, 0.05, 0.02, STEEL);
    wheel(f, [-0.62, 0.17], 0.17, STEEL, turn);
    wheel(f, [-0.24, 0.17], 0.17, STEEL, turn);
    wheel(f, [0.58, 0.17], 0.17, STEEL, turn);
}

pub(super) fn plane(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let flying = a.dy > 0.1 || a.speed > 0.0;
    if !flying {
        for x in [-0.1, 0.42] {
            f.line([x, 0.4], [x, 0.12], 0.02, STEEL);
            f.circle([x, 0.08], 0.07, TYRE);
        }
    }
    f.poly(&[[-0.6, 0.6], [-0.86, 0.98], [-0.7, 0.98], [-0.42, 0.6]], c);
    f.poly(&[[-0.02, 0.6], [0.18, 0.6], [0.34, 0.86], [0.24, 0.86]], scale(c, 0.8));
    f.capsule([-0.8, 0.6], [0.56, 0.54], 0.08, 0.17, c);
    f.line([-0.74, 0.56], [0.62, 0.48], 0.025, k);
    for i in 0..5 {
        f.circle([-0.42 + i as f32 * 0.15, 0.6], 0.04, GLASS);
    }
    f.poly(&[[0.42, 0.66], [0.56, 0.68], [0.68, 0.58], [0.48, 0.58]], GLASS);
    f.ellipse([-0.72, 0.62], 0.15, 0.04, 0.0, c);
    f.poly(&[[-0.14, 0.52], [0.18, 0.52], [0.02, 0.14], [-0.18, 0.14]], c);
    f.line([-0.13, 0.44], [0.14, 0.44], 0.02, k);
    // The propeller: a blur spinning on the nose.
    f.circle([0.76, 0.54], 0.06, k);
    let blade = 0.3 * (time * 30.0).cos().abs() + 0.04;
    f.ellipse([0.8, 0.54], 0.025, blade, 0.0, scale(STEEL, 0.8));
}

pub(super) fn bicycle(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let turn = turned(a, time);
    let (rear, front, crank, seat, head) = ([-0.42, 0.27], [0.42, 0.27], [0.0, 0.27], [-0.12, 0.62], [0.3, 0.64]);
    for hub in [rear, front] {
        let cc = f.p(hub);
        f.draw(Shape::Crescent { c: cc, r: 0.27, cut: cc, cut_r: 0.21 }, Paint::solid(TYRE, f.ow).alpha(f.alpha));
        for i in 0..6 {
            let ang = turn + i as f32 * PI / 3.0;
            f.line(hub, [hub[0] + ang.cos() * 0.21, hub[1] + ang.sin() * 0.21], 0.006, STEEL);
        }
        f.dot(hub, 0.03, STEEL);
    }
    // Mudguards over the wheels, in the bicycle's colour.
    for hub in [rear, front] {
        let arc: Vec<[f32; 2]> = (0..=8)
            .map(|i| {
                let ang = PI * (0.15 + 0.6 * i as f32 / 8.0);
                [hub[0] + ang.cos() * 0.31, hub[1] + ang.sin() * 0.31]
            })
            .collect();
        f.stroke(&arc, 0.035, 0.035, c);
    }
    f.line([seat[0], seat[1]], [-0.14, 0.7], 0.02, STEEL);
    f.circle(crank, 0.07, STEEL);
    // The frame: two triangles in the bicycle's colour.
    for (p, q) in [(rear, seat), (rear, crank), (crank, seat), (seat, head), (crank, head), (head, front)] {
        f.capsule(p, q, 0.045, 0.045, c);
    }
    f.capsule(head, [0.27, 0.8], 0.035, 0.035, c);
    f.capsule([0.27, 0.8], [0.38, 0.82], 0.03, 0.03, k);
    f.ellipse([-0.15, 0.72], 0.11, 0.035, 0.05, k);
    let pedal = [crank[0] + turn.cos() * 0.12, crank[1] + turn.sin() * 0.12];
    f.line(crank, pedal, 0.018, STEEL);
    f.rrect(pedal, 0.05, 0.015, 0.01, k);
}

pub(super) fn fire_engine(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let turn = turned(a, time);
    f.rrect([0.0, 0.2], 0.9, 0.06, 0.02, scale(INK, 1.5));
    f.rrect([-0.24, 0.44], 0.7, 0.26, 0.06, c);
    f.rrect([0.66, 0.5], 0.28, 0.34, 0.1, c);
    f.rrect([0.72, 0.64], 0.14, 0.11, 0.03, GLASS);
    f.rrect([0.0, 0.32], 0.92, 0.03, 0.0, k);
    for x in [-0.66, -0.3, 0.06] {
        f.line([x, 0.4], [x, 0.66], 0.012, scale(c, 0.65));
    }
    f.circle([-0.48, 0.52], 0.1, k);
    f.circle([-0.48, 0.52], 0.05, scale(c, 0.7));
    // The ladder on top, and the beacon flashing red and blue.
    let (y0, y1) = (0.74, 0.84);
    f.capsule([-0.1, 0.68], [-0.1, 0.76], 0.03, 0.03, scale(k, 0.7));
    for i in 0..10 {
        let x = -0.86 + i as f32 * 0.14;
        let rise = (x + 0.92) / 1.34 * 0.04;
        f.capsule([x, y0 + rise], [x, y1 + rise], 0.016, 0.016, k);
    }
    f.capsule([-0.92, y0], [0.42, y0 + 0.04], 0.025, 0.025, k);
    f.capsule([-0.92, y1], [0.42, y1 + 0.04], 0.025, 0.025, k);
    let blue = (time * 3.0).fract() < 0.5;
    let beacon = if blue { [0.35, 0.55, 1.0] } else { [1.0, 0.25, 0.2] };
    f.draw(
        Shape::RoundRect { c: f.p([0.66, 0.88]), hw: 0.08, hh: 0.045 * f.sq, r: 0.03, angle: 0.0 },
        Paint::solid(beacon, f.ow).emissive().alpha(f.alpha),
    );
    f.circle([0.9, 0.3], 0.045, LAMP);
    f.rrect([0.94, 0.18], 0.04, 0.05, 0.02, k);
    wheel(f, [-0.62, 0.16], 0.16, STEEL, turn);
    wheel(f, [-0.24, 0.16], 0.16, STEEL, turn);
    wheel(f, [0.64, 0.16], 0.16, STEEL, turn);
}
