//! The animals children name most, drawn like the first ones (cat, dog): side view facing +x,
//! feet at the origin, `color` the coat (so "a red cow" is a red cow) and `accent` the second
//! colour (spots, mane, beak, belly). Legs swing with `legs`, wings and flippers beat with
//! `wing`, eyes close in sleep and mouths open in talk.

use super::super::motion::Anim;
use super::super::raster::{INK, Paint, Rgb, Shape, mix, scale};
use super::{Fig, PINK, SKIN, WHITE, limb};
use std::f32::consts::PI;

/// Beaks, bills and feet that are orange whatever the accent is close to.
const ORANGE: Rgb = [0.98, 0.62, 0.2];
/// Horns, tusks and hooves' pale parts.
const IVORY: Rgb = [0.96, 0.92, 0.8];

/// An eye on a dark face: a white rim so it shows, and a pale line when closed.
fn eye_on_dark(f: &mut Fig<'_>, c: [f32; 2], r: f32, closed: bool) {
    if closed {
        f.line([c[0] - r, c[1]], [c[0] + r, c[1] - r * 0.3], r * 0.3, WHITE);
    } else {
        f.dot(c, r * 1.35, WHITE);
        f.eye(c, r, false);
    }
}

/// A pair of legs of a big animal hanging from `body_y` at `xs` and swinging like the cat's
/// and the dog's, each `len` long (to the ground when `len` is `body_y`), ending in a hoof or
/// paw rather than a flat foot; `colors` is (leg, hoof or paw).
fn legs(f: &mut Fig<'_>, body_y: f32, xs: [f32; 2], swing: f32, size: (f32, f32), colors: (Rgb, Rgb), front: bool) {
    let ((len, r), (col, foot)) = (size, colors);
    let (s0, s1) = if front { (swing, -swing) } else { (-swing * 0.8, swing * 0.8) };
    for (x, s) in [(xs[0], s0), (xs[1], s1)] {
        let end = limb([x, body_y], s, len - r);
        f.capsule([x, body_y], end, r, r, col);
        f.capsule(limb([x, body_y], s, len - 2.0 * r), end, r, r * 1.04, foot);
    }
}

/// Hooves: dark whatever the coat.
const HOOF: Rgb = [0.3, 0.24, 0.22];

pub(super) fn horse(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let sw = a.legs * 0.45;
    legs(f, 0.46, [-0.4, 0.2], sw, (0.47, 0.06), (scale(c, 0.8), HOOF), false);
    let w = a.tail * 0.12;
    f.stroke(&[[-0.48, 0.64], [-0.62 + w * 0.3, 0.54], [-0.66 + w * 0.7, 0.38], [-0.62 + w, 0.2]], 0.07, 0.04, k);
    // Mane behind the neck's back edge, so it shows as a dark crest.
    f.capsule([0.15, 0.66], [0.34, 0.96], 0.065, 0.06, k);
    f.ellipse([-0.08, 0.58], 0.46, 0.19, 0.0, c);
    legs(f, 0.46, [-0.32, 0.28], sw, (0.47, 0.065), (c, HOOF), true);
    f.capsule([0.24, 0.6], [0.42, 0.88], 0.13, 0.1, c);
    // A long head pointing down and forward, with an ear and a forelock.
    let h = [0.52, 0.86];
    f.poly(&[[h[0] - 0.13, h[1] + 0.08], [h[0] - 0.1, h[1] + 0.24], [h[0] - 0.03, h[1] + 0.1]], c);
    f.ellipse(h, 0.21, 0.1, -0.55, c);
    f.ellipse([h[0] + 0.12, h[1] - 0.08], 0.085, 0.075, -0.55, scale(c, 0.85));
    f.ellipse([h[0] - 0.06, h[1] + 0.1], 0.07, 0.04, 0.4, k);
    f.dot([h[0] + 0.15, h[1] - 0.07], 0.02, INK);
    f.eye([h[0] - 0.02, h[1] + 0.03], 0.032, a.eyes_closed);
    f.mouth([h[0] + 0.11, h[1] - 0.15], 0.06, a.mouth);
}

pub(super) fn cow(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let sw = a.legs * 0.4;
    legs(f, 0.38, [-0.42, 0.18], sw, (0.39, 0.07), (scale(c, 0.82), HOOF), false);
    let w = a.tail * 0.1;
    f.line([-0.52, 0.62], [-0.6 + w, 0.32], 0.018, c);
    f.ellipse([-0.6 + w, 0.28], 0.04, 0.06, 0.0, k);
    f.rrect([-0.1, 0.53], 0.47, 0.21, 0.17, c);
    for (p, r) in [([-0.32, 0.6], 0.1), ([0.02, 0.46], 0.085), ([-0.12, 0.66], 0.06), ([0.18, 0.6], 0.07)] {
        f.dot(p, r, k);
    }
    f.ellipse([-0.24, 0.32], 0.1, 0.06, 0.0, PINK);
    legs(f, 0.38, [-0.34, 0.22], sw, (0.39, 0.075), (c, HOOF), true);
    // A round face turned to us: horns, ears out to the sides, a pink muzzle.
    let h = [0.46, 0.64];
    f.capsule([h[0] - 0.08, h[1] + 0.14], [h[0] - 0.13, h[1] + 0.25], 0.025, 0.02, IVORY);
    f.capsule([h[0] + 0.08, h[1] + 0.14], [h[0] + 0.13, h[1] + 0.25], 0.025, 0.02, IVORY);
    f.ellipse([h[0] - 0.17, h[1] + 0.08], 0.09, 0.04, 0.3, c);
    f.ellipse([h[0] + 0.17, h[1] + 0.08], 0.09, 0.04, -0.3, c);
    f.ellipse(h, 0.15, 0.17, 0.0, c);
    f.dot([h[0] - 0.06, h[1] + 0.1], 0.05, k);
    f.ellipse([h[0], h[1] - 0.12], 0.13, 0.085, 0.0, mix(PINK, WHITE, 0.25));
    f.dot([h[0] - 0.05, h[1] - 0.11], 0.022, scale(PINK, 0.6));
    f.dot([h[0] + 0.05, h[1] - 0.11], 0.022, scale(PINK, 0.6));
    f.eye([h[0] - 0.06, h[1] + 0.03], 0.03, a.eyes_closed);
    f.eye([h[0] + 0.06, h[1] + 0.03], 0.03, a.eyes_closed);
    if a.mouth > 0.08 {
        f.mouth([h[0], h[1] - 0.17], 0.06, a.mouth);
    }
}

pub(super) fn pig(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let sw = a.legs * 0.4;
    let dark = scale(c, 0.85);
    let hoof = scale(mix(c, k, 0.5), 0.6);
    legs(f, 0.24, [-0.3, 0.14], sw, (0.25, 0.07), (dark, hoof), false);
    // A curly tail.
    let w = a.tail * 0.03;
    f.stroke(
        &[[-0.42, 0.48], [-0.54, 0.56 + w], [-0.64, 0.52 + w], [-0.65, 0.42 + w], [-0.57, 0.39 + w], [-0.54, 0.46 + w]],
        0.02,
        0.018,
        dark,
    );
    f.ellipse([-0.04, 0.42], 0.44, 0.28, 0.0, c);
    legs(f, 0.24, [-0.24, 0.2], sw, (0.25, 0.07), (c, hoof), true);
    let h = [0.33, 0.52];
    f.poly(&[[h[0] - 0.17, h[1] + 0.12], [h[0] - 0.07, h[1] + 0.2], [h[0] - 0.04, h[1] + 0.04]], dark);
    f.circle(h, 0.21, c);
    // Ears flop forward over the brow.
    f.poly(&[[h[0] - 0.12, h[1] + 0.15], [h[0] + 0.04, h[1] + 0.22], [h[0] + 0.11, h[1] + 0.1]], dark);
    let snout = scale(mix(c, k, 0.5), 0.9);
    f.ellipse([h[0] + 0.2, h[1] - 0.05], 0.08, 0.1, 0.0, snout);
    f.dot([h[0] + 0.22, h[1] - 0.01], 0.022, scale(snout, 0.55));
    f.dot([h[0] + 0.22, h[1] - 0.09], 0.022, scale(snout, 0.55));
    f.eye([h[0] - 0.02, h[1] + 0.02], 0.032, a.eyes_closed);
    f.eye([h[0] + 0.09, h[1] + 0.02], 0.032, a.eyes_closed);
    f.dot([h[0] - 0.06, h[1] - 0.07], 0.035, mix(PINK, [0.9, 0.3, 0.4], 0.3));
    f.mouth([h[0] + 0.06, h[1] - 0.12], 0.07, a.mouth);
}

pub(super) fn sheep(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let sw = a.legs * 0.4;
    legs(f, 0.32, [-0.3, 0.14], sw, (0.33, 0.045), (scale(k, 0.8), scale(k, 0.6)), false);
    legs(f, 0.32, [-0.22, 0.22], sw, (0.33, 0.05), (k, scale(k, 0.6)), true);
    let wool = mix(c, WHITE, 0.15);
    f.blob(
        &[
            ([-0.36, 0.48], 0.16),
            ([-0.22, 0.64], 0.18),
            ([0.0, 0.67], 0.18),
            ([0.18, 0.58], 0.16),
            ([0.12, 0.4], 0.16),
            ([-0.1, 0.36], 0.17),
            ([-0.3, 0.36], 0.14),
            ([-0.08, 0.52], 0.22),
        ],
        wool,
        0.15,
    );
    for (p, r) in [([-0.2, 0.58], 0.05), ([0.02, 0.6], 0.045), ([-0.3, 0.42], 0.04)] {
        f.dot(p, r, mix(wool, WHITE, 0.45));
    }
    // A dark face with ears out to the side and a woolly top.
    let h = [0.36, 0.56];
    f.ellipse([h[0] - 0.1, h[1] + 0.08], 0.09, 0.035, 0.5, k);
    f.ellipse(h, 0.12, 0.16, -0.35, k);
    f.circle([h[0] - 0.06, h[1] + 0.14], 0.08, wool);
    eye_on_dark(f, [h[0] + 0.03, h[1] + 0.02], 0.028, a.eyes_closed);
    if a.mouth > 0.08 {
        f.ellipse([h[0] + 0.08, h[1] - 0.1], 0.03, 0.03 * a.mouth + 0.01, 0.0, [0.6, 0.2, 0.25]);
    }
}

pub(super) fn duck(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let bill = mix(k, ORANGE, 0.35);
    for x in [-0.06, 0.08] {
        let foot = limb([x, 0.2], a.legs * 0.4, 0.16);
        f.line([x, 0.2], foot, 0.02, bill);
        f.ellipse([foot[0] + 0.05, foot[1] + 0.015], 0.08, 0.03, 0.0, bill);
    }
    f.poly(&[[-0.26, 0.46], [-0.5, 0.62 + a.tail * 0.04], [-0.3, 0.3]], c);
    f.ellipse([-0.02, 0.38], 0.36, 0.21, 0.0, c);
    f.capsule([0.16, 0.46], [0.22, 0.66], 0.1, 0.1, c);
    let h = [0.24, 0.72];
    f.circle(h, 0.17, c);
    // A flat bill that opens to quack.
    let open = a.mouth * 0.05;
    if open > 0.004 {
        f.ellipse([h[0] + 0.18, h[1] - 0.06 - open], 0.11, 0.035, 0.15, scale(bill, 0.85));
    }
    f.ellipse([h[0] + 0.19, h[1] - 0.03], 0.13, 0.045, -0.05, bill);
    f.eye([h[0] + 0.05, h[1] + 0.04], 0.035, a.eyes_closed);
    f.dot([h[0] + 0.02, h[1] - 0.07], 0.03, PINK);
    f.ellipse([-0.06, 0.42], 0.2, 0.1, 0.2 + a.wing * 0.35, scale(c, 0.86));
}

pub(super) fn owl(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let claws = mix(k, ORANGE, 0.5);
    f.ellipse([-0.08, 0.04], 0.07, 0.035, 0.0, claws);
    f.ellipse([0.08, 0.04], 0.07, 0.035, 0.0, claws);
    for side in [-1.0f32, 1.0] {
        let lift = (a.wing * 0.5 + a.wave * 0.8 * f32::from(u8::from(side > 0.0))).max(-0.2);
        f.ellipse([side * (0.25 + 0.05 * lift), 0.44 + 0.08 * lift], 0.1, 0.22, side * (0.2 + lift), scale(c, 0.8));
    }
    f.poly(&[[-0.24, 0.72], [-0.22, 0.98], [-0.06, 0.8]], c);
    f.poly(&[[0.06, 0.8], [0.22, 0.98], [0.24, 0.72]], c);
    f.ellipse([0.0, 0.46], 0.28, 0.42, 0.0, c);
    let belly = mix(c, WHITE, 0.55);
    f.ellipse([0.0, 0.3], 0.18, 0.22, 0.0, belly);
    for (x, y) in [(-0.08, 0.36), (0.06, 0.36), (-0.01, 0.24), (-0.08, 0.14), (0.07, 0.14)] {
        f.line([x - 0.035, y + 0.03], [x, y], 0.012, scale(c, 0.75));
        f.line([x, y], [x + 0.035, y + 0.03], 0.012, scale(c, 0.75));
    }
    // Big round eyes in rings of the accent colour, and a small beak between them.
    for x in [-0.11, 0.11] {
        f.circle([x, 0.62], 0.12, k);
        f.dot([x, 0.62], 0.09, WHITE);
        if a.eyes_closed {
            f.line([x - 0.06, 0.62], [x + 0.06, 0.62], 0.014, INK);
        } else {
            f.dot([x + 0.01, 0.62], 0.055, INK);
            f.dot([x + 0.03, 0.645], 0.02, WHITE);
        }
    }
    let open = a.mouth * 0.03;
    f.poly(&[[-0.045, 0.54], [0.045, 0.54], [0.0, 0.44 - open]], claws);
}

pub(super) fn frog(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let dark = scale(c, 0.85);
    f.ellipse([-0.25, 0.27], 0.24, 0.18, 0.35, dark);
    f.ellipse([-0.1, 0.045], 0.18, 0.05, 0.0, dark);
    f.ellipse([0.0, 0.42], 0.4, 0.32, 0.3, c);
    f.ellipse([0.14, 0.31], 0.22, 0.15, 0.35, mix(k, WHITE, 0.35));
    for (x, r) in [(0.16, 0.0), (0.27, 0.1)] {
        let foot = limb([x, 0.3], a.legs * 0.3 + r, 0.22);
        f.capsule([x, 0.3], foot, 0.075, 0.06, c);
        f.ellipse([foot[0] + 0.06, foot[1] + 0.01], 0.11, 0.045, 0.0, c);
    }
    // Eyes bulging on top of the head.
    for x in [0.02, 0.3] {
        f.circle([x, 0.74], 0.14, c);
        f.dot([x + 0.01, 0.75], 0.1, WHITE);
        if a.eyes_closed {
            f.line([x - 0.06, 0.75], [x + 0.07, 0.74], 0.016, INK);
        } else {
            f.dot([x + 0.03, 0.75], 0.06, INK);
            f.dot([x + 0.05, 0.78], 0.02, WHITE);
        }
    }
    if a.mouth > 0.08 {
        f.ellipse([0.26, 0.54], 0.1, 0.03 + 0.04 * a.mouth, 0.1, [0.5, 0.12, 0.18]);
    } else {
        f.line([0.1, 0.56], [0.24, 0.52], 0.016, INK);
        f.line([0.24, 0.52], [0.36, 0.58], 0.016, INK);
    }
}

pub(super) fn bear(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let sw = a.legs * 0.4;
    legs(f, 0.34, [-0.38, 0.14], sw, (0.35, 0.1), (scale(c, 0.8), scale(c, 0.62)), false);
    f.circle([-0.5, 0.58], 0.06, c);
    f.ellipse([-0.06, 0.5], 0.46, 0.28, 0.0, c);
    legs(f, 0.34, [-0.3, 0.22], sw, (0.35, 0.1), (c, scale(c, 0.75)), true);
    let h = [0.42, 0.64];
    let light = mix(k, WHITE, 0.35);
    for dx in [-0.12, 0.08] {
        f.circle([h[0] + dx, h[1] + 0.17], 0.075, c);
        f.dot([h[0] + dx, h[1] + 0.17], 0.04, light);
    }
    f.circle(h, 0.2, c);
    f.ellipse([h[0] + 0.14, h[1] - 0.06], 0.11, 0.085, 0.0, light);
    f.ellipse([h[0] + 0.2, h[1] - 0.02], 0.04, 0.03, 0.0, INK);
    f.eye([h[0] + 0.04, h[1] + 0.06], 0.034, a.eyes_closed);
    f.mouth([h[0] + 0.15, h[1] - 0.1], 0.06, a.mouth);
}

pub(super) fn lion(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let sw = a.legs * 0.45;
    let paw = mix(c, WHITE, 0.35);
    legs(f, 0.3, [-0.4, 0.1], sw, (0.31, 0.07), (scale(c, 0.8), scale(paw, 0.85)), false);
    let w = a.tail * 0.1;
    f.stroke(&[[-0.48, 0.42], [-0.6, 0.46 + w * 0.5], [-0.65 + w * 0.5, 0.56 + w], [-0.66 + w, 0.66]], 0.028, 0.022, c);
    f.ellipse([-0.66 + w, 0.7], 0.06, 0.07, 0.0, k);
    f.ellipse([-0.12, 0.44], 0.4, 0.2, 0.0, c);
    legs(f, 0.3, [-0.32, 0.18], sw, (0.31, 0.075), (c, paw), true);
    // A ragged mane all round the head, in the accent colour.
    let h = [0.38, 0.62];
    let mane: Vec<[f32; 2]> = (0..18)
        .map(|i| {
            let ang = i as f32 / 18.0 * 2.0 * PI;
            let r = if i % 2 == 0 { 0.31 } else { 0.24 };
            [h[0] - 0.03 + ang.cos() * r, h[1] + ang.sin() * r]
        })
        .collect();
    f.poly(&mane, k);
    f.circle([h[0] - 0.08, h[1] + 0.15], 0.05, c);
    f.circle([h[0] + 0.1, h[1] + 0.15], 0.05, c);
    f.circle(h, 0.18, c);
    f.ellipse([h[0] + 0.08, h[1] - 0.07], 0.1, 0.07, 0.0, mix(c, WHITE, 0.55));
    f.poly(&[[h[0] + 0.04, h[1] - 0.01], [h[0] + 0.13, h[1] - 0.01], [h[0] + 0.085, h[1] - 0.06]], INK);
    f.eye([h[0] - 0.02, h[1] + 0.05], 0.033, a.eyes_closed);
    f.eye([h[0] + 0.11, h[1] + 0.05], 0.033, a.eyes_closed);
    f.mouth([h[0] + 0.085, h[1] - 0.1], 0.06, a.mouth);
}

pub(super) fn elephant(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let sw = a.legs * 0.3;
    legs(f, 0.42, [-0.42, 0.08], sw, (0.43, 0.11), (scale(c, 0.82), scale(c, 0.74)), false);
    f.line([-0.55, 0.66], [-0.64 + a.tail * 0.05, 0.42], 0.018, c);
    f.ellipse([-0.64 + a.tail * 0.05, 0.39], 0.03, 0.05, 0.0, scale(c, 0.6));
    f.ellipse([-0.12, 0.6], 0.46, 0.3, 0.0, c);
    legs(f, 0.42, [-0.32, 0.16], sw, (0.43, 0.11), (c, scale(c, 0.9)), true);
    for x in [-0.32, 0.16] {
        let toe = limb([x, 0.42], if x < 0.0 { sw } else { -sw }, 0.36);
        for dx in [-0.05, 0.0, 0.05] {
            f.dot([toe[0] + dx + 0.03, toe[1] - 0.02], 0.022, IVORY);
        }
    }
    let h = [0.34, 0.7];
    f.circle(h, 0.22, c);
    // The trunk hangs and curls forward, and rises to trumpet when waving or talking; a tusk
    // curves out beside it.
    let up = a.wave.max(a.mouth * 0.6).clamp(0.0, 1.0);
    let base = [h[0] + 0.14, h[1] - 0.02];
    let mid = [h[0] + 0.27, h[1] - 0.24 + 0.3 * up];
    let tip = [h[0] + 0.3 + 0.14 * up, h[1] - 0.5 + 0.78 * up];
    let curl = [tip[0] + 0.07, tip[1] + 0.04];
    f.stroke(&[base, mid, tip, curl], 0.085, 0.04, c);
    f.stroke(&[[h[0] + 0.06, h[1] - 0.14], [h[0] + 0.14, h[1] - 0.22], [h[0] + 0.24, h[1] - 0.22]], 0.03, 0.018, IVORY);
    // A big ear over the side of the head.
    f.ellipse([h[0] - 0.1, h[1] - 0.02], 0.15, 0.22, 0.15, scale(c, 0.92));
    f.ellipse([h[0] - 0.1, h[1] - 0.02], 0.09, 0.15, 0.15, mix(k, c, 0.35));
    f.eye([h[0] + 0.08, h[1] + 0.06], 0.034, a.eyes_closed);
}

pub(super) fn giraffe(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let sw = a.legs * 0.35;
    legs(f, 0.52, [-0.3, 0.06], sw, (0.53, 0.04), (scale(c, 0.85), HOOF), false);
    f.line([-0.36, 0.58], [-0.44 + a.tail * 0.04, 0.38], 0.012, c);
    f.ellipse([-0.44 + a.tail * 0.04, 0.35], 0.025, 0.045, 0.0, k);
    f.ellipse([-0.12, 0.57], 0.3, 0.13, 0.05, c);
    legs(f, 0.52, [-0.24, 0.12], sw, (0.53, 0.045), (c, HOOF), true);
    f.line([0.06, 0.64], [0.22, 0.92], 0.03, k);
    f.capsule([0.1, 0.58], [0.27, 0.9], 0.075, 0.05, c);
    // Patches on the body and up the neck.
    for (p, r) in [
        ([-0.27, 0.57], 0.045),
        ([-0.13, 0.6], 0.05),
        ([0.02, 0.56], 0.04),
        ([-0.2, 0.5], 0.035),
        ([-0.05, 0.5], 0.035),
        ([0.15, 0.66], 0.028),
        ([0.21, 0.77], 0.025),
    ] {
        f.dot(p, r, k);
    }
    let h = [0.34, 0.93];
    for dx in [-0.07, -0.02] {
        f.line([h[0] + dx, h[1] + 0.04], [h[0] + dx - 0.01, h[1] + 0.13], 0.016, scale(k, 0.8));
        f.dot([h[0] + dx - 0.01, h[1] + 0.13], 0.025, scale(k, 0.8));
    }
    f.ellipse([h[0] - 0.11, h[1] + 0.02], 0.05, 0.022, 0.4, c);
    f.ellipse(h, 0.12, 0.065, -0.35, c);
    f.dot([h[0] + 0.09, h[1] - 0.04], 0.012, INK);
    f.eye([h[0] - 0.01, h[1] + 0.015], 0.024, a.eyes_closed);
    if a.mouth > 0.08 {
        f.mouth([h[0] + 0.06, h[1] - 0.06], 0.04, a.mouth);
    }
}

pub(super) fn monkey(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let face = mix(k, SKIN, 0.6);
    let w = a.tail * 0.05;
    f.stroke(
        &[
            [-0.1, 0.3],
            [-0.24, 0.25],
            [-0.35, 0.3 + w * 0.5],
            [-0.41, 0.44 + w],
            [-0.37, 0.56 + w],
            [-0.27, 0.6 + w],
            [-0.21, 0.54 + w],
        ],
        0.035,
        0.028,
        c,
    );
    let shoulder = [0.02, 0.54];
    let back_hand = limb(shoulder, -a.arms * 0.6 - 0.2, 0.28);
    f.capsule(shoulder, back_hand, 0.045, 0.04, scale(c, 0.85));
    f.circle(back_hand, 0.05, scale(face, 0.9));
    let sw = a.legs * 0.5;
    for (x, s, col) in [(-0.04, -sw, scale(c, 0.85)), (0.06, sw, c)] {
        let foot = limb([x, 0.26], s, 0.22);
        f.capsule([x, 0.26], foot, 0.055, 0.045, col);
        f.ellipse([foot[0] + 0.04, foot[1] + 0.02], 0.07, 0.035, 0.0, face);
    }
    f.ellipse([0.0, 0.4], 0.17, 0.2, 0.0, c);
    f.ellipse([0.04, 0.36], 0.1, 0.14, 0.0, face);
    // Round head, big ears and a light heart-shaped face.
    let h = [0.05, 0.74];
    f.circle([h[0] - 0.17, h[1]], 0.075, c);
    f.dot([h[0] - 0.17, h[1]], 0.04, face);
    f.circle(h, 0.18, c);
    f.dot([h[0] + 0.0, h[1] + 0.03], 0.08, face);
    f.dot([h[0] + 0.1, h[1] + 0.03], 0.08, face);
    f.ellipse([h[0] + 0.06, h[1] - 0.07], 0.12, 0.08, 0.0, face);
    f.eye([h[0] + 0.01, h[1] + 0.04], 0.03, a.eyes_closed);
    f.eye([h[0] + 0.11, h[1] + 0.04], 0.03, a.eyes_closed);
    f.mouth([h[0] + 0.07, h[1] - 0.08], 0.07, a.mouth);
    let up = a.wave.clamp(0.0, 1.0);
    let ang = a.arms * 0.6 * (1.0 - up) + up * (2.5 + 0.35 * (a.arms * 2.0).sin());
    let hand = limb(shoulder, ang + 0.2, 0.28);
    f.capsule(shoulder, hand, 0.045, 0.04, c);
    f.circle(hand, 0.05, face);
}

pub(super) fn mouse(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let pink = mix(k, PINK, 0.4);
    let w = a.tail * 0.06;
    f.stroke(
        &[[-0.28, 0.16], [-0.46, 0.09], [-0.6, 0.13 + w * 0.5], [-0.68, 0.24 + w], [-0.72, 0.36 + w]],
        0.02,
        0.012,
        pink,
    );
    f.ellipse([-0.14, 0.04], 0.08, 0.03, 0.0, pink);
    f.ellipse([-0.04, 0.3], 0.32, 0.27, 0.0, c);
    f.ellipse([0.12 + a.legs * 0.04, 0.04], 0.07, 0.03, 0.0, pink);
    // A big round ear with a pink inside, a pointed snout and whiskers.
    f.circle([0.16, 0.62], 0.17, c);
    f.dot([0.17, 0.62], 0.1, pink);
    f.ellipse([0.32, 0.34], 0.24, 0.17, -0.15, c);
    f.dot([0.55, 0.3], 0.04, scale(pink, 0.85));
    f.eye([0.36, 0.41], 0.035, a.eyes_closed);
    f.mouth([0.45, 0.24], 0.05, a.mouth);
    for dy in [0.03, -0.03] {
        f.line([0.5, 0.29], [0.68, 0.29 + dy * 2.0], 0.006, INK);
    }
}

pub(super) fn turtle(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let skin = mix(c, [0.72, 0.86, 0.45], 0.6);
    let sw = a.legs * 0.3;
    for (x, s) in [(-0.34, -sw), (0.22, sw)] {
        let foot = limb([x, 0.16], s, 0.15);
        f.capsule([x, 0.16], foot, 0.075, 0.065, skin);
    }
    f.poly(&[[-0.48, 0.18], [-0.64, 0.1], [-0.46, 0.1]], skin);
    // A high shell with plates in the accent colour.
    let dome: Vec<[f32; 2]> = (0..=16)
        .map(|i| {
            let ang = PI * i as f32 / 16.0;
            [-0.05 + ang.cos() * 0.5, 0.16 + ang.sin() * 0.56]
        })
        .collect();
    f.poly(&dome, c);
    let plate = |f: &mut Fig<'_>, ctr: [f32; 2], r: f32| {
        let pts: Vec<[f32; 2]> =
            (0..6).map(|i| i as f32 * PI / 3.0).map(|t| [ctr[0] + t.cos() * r, ctr[1] + t.sin() * r * 0.9]).collect();
        f.poly(&pts, mix(k, c, 0.3));
    };
    plate(f, [-0.05, 0.44], 0.13);
    plate(f, [-0.3, 0.32], 0.09);
    plate(f, [0.2, 0.32], 0.09);
    plate(f, [-0.05, 0.67], 0.07);
    f.rrect([-0.05, 0.16], 0.53, 0.05, 0.05, scale(c, 0.7));
    // The head comes out from under the shell (and half back in, asleep).
    let out = if a.eyes_closed { -0.07 } else { 0.0 };
    let h = [0.6 + out, 0.34];
    f.stroke(&[[0.4, 0.18], [0.5 + out, 0.26], h], 0.075, 0.07, skin);
    f.circle(h, 0.13, skin);
    f.eye([h[0] + 0.04, h[1] + 0.03], 0.03, a.eyes_closed);
    f.mouth([h[0] + 0.07, h[1] - 0.06], 0.05, a.mouth);
}

pub(super) fn snake(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let moving = a.legs != 0.0 || a.speed > 0.0;
    let wig = time * if moving { 6.0 } else { 1.2 };
    // The body along the ground in waves, thickening from the tail to the neck, then the neck
    // rises to the head.
    let n = 14;
    let mut pts: Vec<([f32; 2], f32)> = (0..=n)
        .map(|i| {
            let t = i as f32 / n as f32;
            let x = -0.78 + 1.1 * t;
            let amp = 0.07 * (1.0 - 0.6 * t);
            ([x, 0.13 + amp * (x * 8.0 - wig).sin()], 0.035 + 0.075 * t)
        })
        .collect();
    let sway = 0.03 * (time * 1.5).sin();
    pts.push(([0.42, 0.3], 0.1));
    pts.push(([0.44 + sway, 0.5], 0.095));
    let path: Vec<[f32; 2]> = pts.iter().map(|(p, _)| *p).collect();
    f.stroke(&path, 0.035, 0.1, c);
    for (i, (p, r)) in pts.iter().enumerate().take(n) {
        if i % 2 == 1 {
            f.dot(*p, r * 0.6, k);
        }
    }
    let h = [0.52 + sway, 0.6];
    if a.mouth > 0.08 || (time * 0.7).fract() < 0.2 {
        f.line([h[0] + 0.15, h[1] - 0.03], [h[0] + 0.28, h[1] - 0.04], 0.012, [0.85, 0.15, 0.2]);
        f.line([h[0] + 0.28, h[1] - 0.04], [h[0] + 0.33, h[1] - 0.0], 0.01, [0.85, 0.15, 0.2]);
        f.line([h[0] + 0.28, h[1] - 0.04], [h[0] + 0.33, h[1] - 0.08], 0.01, [0.85, 0.15, 0.2]);
    }
    f.ellipse(h, 0.18, 0.12, -0.1, c);
    f.eye([h[0] + 0.05, h[1] + 0.03], 0.035, a.eyes_closed);
    f.mouth([h[0] + 0.1, h[1] - 0.06], 0.06, a.mouth);
}

pub(super) fn butterfly(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    // Seen from above: the wings open and close, fast in flight, slowly at rest.
    let beat = if a.wing.abs() > 0.5 { a.wing } else { (time * 2.5).sin() };
    let open = (0.78 + 0.22 * beat).clamp(0.4, 1.0);
    for side in [-1.0f32, 1.0] {
        let s = side * open;
        f.ellipse([s * 0.17, 0.36], 0.16 * open, 0.14, -side * 0.45, scale(c, 0.85));
        f.ellipse([s * 0.24, 0.64], 0.25 * open, 0.2, side * 0.5, c);
        f.dot([s * 0.3, 0.68], 0.075 * open, k);
        f.dot([s * 0.16, 0.56], 0.04 * open, mix(k, WHITE, 0.5));
        f.dot([s * 0.18, 0.34], 0.045 * open, k);
    }
    let body = [0.25, 0.2, 0.24];
    f.capsule([0.0, 0.26], [0.0, 0.72], 0.04, 0.05, body);
    f.circle([0.0, 0.78], 0.065, body);
    for side in [-1.0f32, 1.0] {
        f.line([side * 0.02, 0.82], [side * 0.12, 0.98], 0.01, body);
        f.dot([side * 0.12, 0.98], 0.025, body);
    }
}

pub(super) fn bee(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    let buzz = if a.wing.abs() > 0.5 { a.wing } else { (time * 9.0).sin() };
    f.poly(&[[-0.34, 0.48], [-0.52, 0.44], [-0.34, 0.38]], INK);
    f.ellipse([0.0, 0.45], 0.38, 0.27, 0.0, c);
    for (x, ry) in [(-0.2, 0.19), (0.0, 0.235)] {
        let cc = f.p([x, 0.45]);
        f.draw(Shape::Ellipse { c: cc, rx: 0.055, ry: ry * f.sq, angle: 0.0 }, Paint::flat(k).alpha(f.alpha));
    }
    let h = [0.38, 0.5];
    f.line([h[0] + 0.02, h[1] + 0.12], [h[0] + 0.08, h[1] + 0.28], 0.012, k);
    f.dot([h[0] + 0.08, h[1] + 0.28], 0.03, k);
    f.circle(h, 0.15, k);
    eye_on_dark(f, [h[0] + 0.05, h[1] + 0.03], 0.035, a.eyes_closed);
    if a.mouth > 0.08 {
        f.ellipse([h[0] + 0.07, h[1] - 0.07], 0.03, 0.02 + 0.02 * a.mouth, 0.0, [0.85, 0.35, 0.4]);
    }
    // See-through wings over the back.
    let wing = Paint::solid([0.85, 0.95, 1.0], f.ow).alpha(0.8 * f.alpha);
    for (x, ang) in [(-0.1, 0.5), (0.06, -0.1)] {
        let cc = f.p([x, 0.8]);
        f.draw(Shape::Ellipse { c: cc, rx: 0.12, ry: 0.2, angle: ang + 0.25 * buzz }, wing);
    }
}

pub(super) fn penguin(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let feet = mix(k, ORANGE, 0.3);
    f.ellipse([-0.07 - a.legs * 0.03, 0.03], 0.085, 0.035, 0.0, feet);
    f.ellipse([0.1 + a.legs * 0.03, 0.03], 0.085, 0.035, 0.0, feet);
    f.ellipse([-0.2, 0.46], 0.07, 0.2, 0.3 + a.wing * 0.3, scale(c, 0.8));
    f.ellipse([0.0, 0.47], 0.27, 0.44, 0.0, c);
    // A white front up to a white face with the eyes in it.
    let white = mix(WHITE, c, 0.04);
    f.draw(
        Shape::Ellipse { c: f.p([0.04, 0.42]), rx: 0.19, ry: 0.33 * f.sq, angle: 0.0 },
        Paint::flat(white).alpha(f.alpha),
    );
    f.dot([0.0, 0.7], 0.1, white);
    f.dot([0.11, 0.7], 0.1, white);
    f.eye([0.0, 0.72], 0.032, a.eyes_closed);
    f.eye([0.11, 0.72], 0.032, a.eyes_closed);
    let open = a.mouth * 0.04;
    f.poly(&[[0.06, 0.67], [0.32, 0.63 - open * 0.5], [0.06, 0.58 - open]], feet);
    f.dot([-0.04, 0.62], 0.03, PINK);
    let up = a.wave.clamp(0.0, 1.0);
    let ang = -0.35 - up * (1.6 + 0.3 * (a.arms * 3.0).sin()) - a.arms * 0.2;
    let root = [0.14, 0.44];
    let tip = [root[0] - ang.sin() * 0.2, root[1] - ang.cos() * 0.2];
    f.capsule(root, tip, 0.06, 0.035, scale(c, 0.9));
}

pub(super) fn whale(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim, time: f32) {
    // A fountain of water playing above the blowhole.
    let q = (time * 0.8).fract();
    let water = [0.62, 0.86, 1.0];
    let jet = 0.06 * (q * 2.0 * PI).sin();
    let top = [0.14, 0.82 + jet];
    f.stroke(&[[0.14, 0.6], top], 0.03, 0.04, water);
    for side in [-1.0f32, 1.0] {
        let spray = [[0.14, 0.8 + jet], [0.14 + side * 0.1, 0.88 + jet], [0.14 + side * 0.18, 0.8 + jet]];
        f.stroke(&spray, 0.035, 0.025, water);
    }
    let tw = a.tail * 0.06;
    f.stroke(&[[-0.4, 0.34], [-0.6, 0.4 + tw * 0.5], [-0.72, 0.52 + tw]], 0.15, 0.06, c);
    f.poly(&[[-0.7, 0.5 + tw], [-0.94, 0.74 + tw], [-0.82, 0.54 + tw], [-0.98, 0.36 + tw]], c);
    f.ellipse([0.0, 0.35], 0.6, 0.32, 0.0, c);
    let belly = mix(k, c, 0.25);
    f.draw(
        Shape::Ellipse { c: f.p([0.08, 0.16]), rx: 0.38, ry: 0.1 * f.sq, angle: 0.0 },
        Paint::flat(belly).alpha(f.alpha),
    );
    for x in [-0.12, 0.04, 0.2] {
        f.line([x, 0.1], [x + 0.05, 0.19], 0.01, scale(belly, 0.8));
    }
    f.ellipse([0.02, 0.22], 0.15, 0.06, -0.5 + a.tail * 0.2, scale(c, 0.82));
    f.eye([0.36, 0.4], 0.04, a.eyes_closed);
    if a.mouth > 0.08 {
        f.ellipse([0.48, 0.28], 0.09, 0.03 + 0.04 * a.mouth, -0.1, [0.5, 0.12, 0.18]);
    } else {
        f.line([0.3, 0.27], [0.58, 0.3], 0.014, INK);
    }
    f.dot([0.3, 0.33], 0.035, PINK);
}

pub(super) fn dinosaur(f: &mut Fig<'_>, c: Rgb, k: Rgb, a: &Anim) {
    let sw = a.legs * 0.3;
    legs(f, 0.34, [-0.36, 0.1], sw, (0.35, 0.085), (scale(c, 0.8), scale(c, 0.68)), false);
    let tw = a.tail * 0.06;
    f.stroke(&[[-0.3, 0.46], [-0.62, 0.32], [-0.8, 0.22 + tw * 0.5], [-0.9, 0.15 + tw]], 0.13, 0.03, c);
    f.ellipse([-0.08, 0.48], 0.4, 0.24, 0.0, c);
    f.draw(
        Shape::Ellipse { c: f.p([0.0, 0.35]), rx: 0.24, ry: 0.08 * f.sq, angle: 0.0 },
        Paint::flat(mix(k, WHITE, 0.4)).alpha(f.alpha),
    );
    for (p, r) in [([-0.22, 0.6], 0.06), ([0.0, 0.6], 0.05), ([-0.36, 0.5], 0.045), ([0.14, 0.52], 0.04)] {
        f.dot(p, r, k);
    }
    legs(f, 0.34, [-0.28, 0.18], sw, (0.35, 0.09), (c, scale(c, 0.8)), true);
    f.capsule([0.18, 0.54], [0.44, 0.88], 0.12, 0.075, c);
    let h = [0.54, 0.92];
    f.ellipse(h, 0.14, 0.085, -0.1, c);
    f.dot([h[0] + 0.11, h[1] + 0.0], 0.012, INK);
    f.eye([h[0] - 0.01, h[1] + 0.03], 0.03, a.eyes_closed);
    f.mouth([h[0] + 0.07, h[1] - 0.045], 0.05, a.mouth);
}
