//! Painted backdrops, one per setting: sky, far and near layers, ground, and the small things
//! that move by themselves (grass sways, stars twinkle, water ripples, flags flutter).
//!
//! Layers are drawn in screen units with a parallax factor (see [`super::view`]); shapes that
//! repeat (grass, stars, trees on a ridge) take their places from the seed.

use super::light::Light;
use super::raster::{Canvas, INK, Paint, Rgb, Shape, Xf, mix, scale};
use super::rng;
use super::view::{HORIZON, View};
use campfire_scene::{Setting, Stage};
use std::f32::consts::TAU;

/// Everything a painter needs.
struct Ctx<'a> {
    view: &'a View,
    light: &'a Light,
    time: f32,
    seed: u64,
}

pub fn paint(canvas: &mut Canvas, view: &View, light: &Light, stage: Stage, time: f32, seed: u64) {
    let ctx = Ctx { view, light, time, seed };
    match stage.setting {
        Setting::Meadow => meadow(canvas, &ctx),
        Setting::Forest => forest(canvas, &ctx),
        Setting::Beach => beach(canvas, &ctx),
        Setting::NightSky => night_sky(canvas, &ctx),
        Setting::Ocean => ocean(canvas, &ctx),
        Setting::Castle => castle(canvas, &ctx),
        Setting::Classroom => classroom(canvas, &ctx),
        Setting::Space => space(canvas, &ctx),
        Setting::Garden => garden(canvas, &ctx),
        Setting::Mountain => mountain(canvas, &ctx),
        Setting::Underwater => underwater(canvas, &ctx),
    }
}

// ---------------------------------------------------------------------------------------------
// Shared layers

fn sky(canvas: &mut Canvas, c: &Ctx<'_>) {
    let light = c.light;
    let view = c.view;
    canvas.fill_with(true, |x, y| {
        let [_, v] = view.px_to_units(x, y, 0.05);
        light.sky(v)
    });
    // A warm glow on the horizon at dawn and dusk.
    let warm = match light.stage.time {
        campfire_scene::TimeOfDay::Dawn => Some([1.0, 0.8, 0.6]),
        campfire_scene::TimeOfDay::Dusk => Some([1.0, 0.6, 0.25]),
        _ => None,
    };
    if let Some(col) = warm {
        let [px, py] = view.to_px(view.aspect() * 0.7, HORIZON, 0.05);
        canvas.glow(px, py, view.h * 0.55, col, 0.5 * (1.0 - light.overcast));
    }
    stars(canvas, c, light.starry(), 60, 0.62);
}

/// Twinkling stars down to screen height `v_max`.
fn stars(canvas: &mut Canvas, c: &Ctx<'_>, amount: f32, count: u64, v_max: f32) {
    if amount <= 0.02 {
        return;
    }
    let a = c.view.aspect();
    let unit = c.view.px_per_unit(0.05);
    for i in 0..count {
        let u = rng::range(c.seed, 11, i, -0.3, a + 0.3);
        let v = rng::range(c.seed, 12, i, 0.0, v_max).powf(1.3);
        let rate = rng::range(c.seed, 13, i, 0.5, 2.2);
        let phase = rng::unit(c.seed, 14, i) * TAU;
        let tw = 0.55 + 0.45 * (c.time * rate * TAU + phase).sin();
        let big = rng::unit(c.seed, 15, i) > 0.85;
        let r = if big { 0.008 } else { 0.0045 } * unit;
        let [px, py] = c.view.to_px(u, v, 0.05);
        let col = [1.0, 0.97, 0.85];
        canvas.draw(
            &Xf::new(px, py, 1.0, 0.0, 1.0),
            &Shape::Circle { c: [0.0, 0.0], r: r.max(0.45) },
            &Paint::flat(col).emissive().alpha(amount * tw),
        );
        if big {
            canvas.glow(px, py, r * 5.0 + 1.5, col, 0.35 * amount * tw);
        }
    }
}

/// A ridge of rolling hills: `base` screen height plus a sum of seeded sines.
/// A ridge: `(parallax, base height, amplitude, frequency)`, a seed stream, colour and shading.
fn hills(canvas: &mut Canvas, c: &Ctx<'_>, shape: (f32, f32, f32, f32), salt: u64, col: Rgb, shade: f32) {
    let (parallax, base, amp, freq) = shape;
    let view = c.view;
    let ph1 = rng::unit(c.seed, salt, 1) * TAU;
    let ph2 = rng::unit(c.seed, salt, 2) * TAU;
    let top = move |u: f32| base - amp * (0.6 * (u * freq + ph1).sin() + 0.4 * (u * freq * 2.3 + ph2).sin());
    canvas.fill_below(
        1.0,
        |x| {
            let [u, _] = view.px_to_units(x, 0.0, parallax);
            view.to_px(u, top(u), parallax)[1]
        },
        |x, y| {
            let [u, v] = view.px_to_units(x, y, parallax);
            let d = (v - top(u)).max(0.0);
            scale(col, 1.0 + shade * 0.5 - shade * (d * 6.0).min(1.0))
        },
    );
}

/// Flat ground from the horizon down, lighter far away, with a per-setting colour.
fn ground(canvas: &mut Canvas, c: &Ctx<'_>, top_v: f32, far: Rgb, near: Rgb) {
    let view = c.view;
    canvas.fill_below(
        1.0,
        |x| {
            let [u, _] = view.px_to_units(x, 0.0, 0.5);
            view.to_px(u, top_v, 0.5)[1]
        },
        |x, y| {
            let [_, v] = view.px_to_units(x, y, 0.5);
            let t = ((v - top_v) / (1.0 - top_v)).clamp(0.0, 1.0);
            mix(far, near, t.sqrt())
        },
    );
}

/// Blades of grass near the front that sway with time and wind.
fn grass(canvas: &mut Canvas, c: &Ctx<'_>, count: u64, col: Rgb, v_lo: f32, v_hi: f32) {
    let a = c.view.aspect();
    let wind = c.light.wind;
    for i in 0..count {
        let v = rng::range(c.seed, 21, i, v_lo, v_hi);
        let par = 0.4 + 0.6 * ((v - v_lo) / (v_hi - v_lo + 1e-3));
        let span = a * 1.6;
        let u = rng::range(c.seed, 22, i, a * 0.5 - span * 0.5, a * 0.5 + span * 0.5);
        let [px, py] = c.view.to_px(u, v, par);
        if px < -10.0 || px > c.view.w + 10.0 || py > c.view.h + 20.0 {
            continue;
        }
        let s = c.view.px_per_unit(par) * (0.02 + 0.025 * par);
        let sway = (c.time * (1.3 + wind * 2.0) + u * 3.0 + rng::unit(c.seed, 23, i) * 6.0).sin() * (0.15 + 0.5 * wind)
            + 0.3 * wind;
        let xf = Xf::new(px, py, s, -sway, 1.0);
        let shade = 0.75 + 0.35 * rng::unit(c.seed, 24, i);
        canvas.draw(
            &xf,
            &Shape::Capsule { a: [0.0, 0.0], b: [0.15, 1.0], ra: 0.12, rb: 0.03 },
            &Paint::flat(scale(col, shade)),
        );
    }
}

/// Little flowers dotted over the ground.
fn dots(canvas: &mut Canvas, c: &Ctx<'_>, count: u64, cols: &[Rgb], v_lo: f32, v_hi: f32, r: f32) {
    let a = c.view.aspect();
    for i in 0..count {
        let v = rng::range(c.seed, 31, i, v_lo, v_hi);
        let par = 0.4 + 0.6 * ((v - v_lo) / (v_hi - v_lo + 1e-3));
        let u = rng::range(c.seed, 32, i, -0.3 * a, 1.3 * a);
        let [px, py] = c.view.to_px(u, v, par);
        let s = c.view.px_per_unit(par) * r * (0.6 + 0.4 * par);
        let col = cols[(rng::unit(c.seed, 33, i) * cols.len() as f32) as usize % cols.len()];
        let xf = Xf::new(px, py, s, 0.0, 1.0);
        canvas.draw(&xf, &Shape::Circle { c: [0.0, 0.0], r: 1.0 }, &Paint::flat(col));
        canvas.draw(&xf, &Shape::Circle { c: [0.0, 0.0], r: 0.4 }, &Paint::flat([1.0, 0.9, 0.4]));
    }
}

/// Water from `top_v` down with drifting ripple highlights.
fn water(canvas: &mut Canvas, c: &Ctx<'_>, top_v: f32, far: Rgb, near: Rgb) {
    let view = c.view;
    let sky = c.light.sky(0.3);
    let t = c.time;
    let seed_ph = rng::unit(c.seed, 41, 0) * TAU;
    canvas.fill_below(
        1.0,
        |x| {
            let [u, _] = view.px_to_units(x, 0.0, 0.45);
            view.to_px(u, top_v, 0.45)[1]
        },
        |x, y| {
            let [u, v] = view.px_to_units(x, y, 0.45);
            let d = ((v - top_v) / (1.0 - top_v)).clamp(0.0, 1.0);
            let base = mix(mix(far, sky, 0.25), near, d.sqrt());
            // Ripples: thin bright bands that wobble and drift, denser far away.
            // Perspective: bands crowd together far away and open up near the front, but stay
            // thin glints rather than stripes.
            let f = 40.0 / (0.12 + d);
            let wobble = (u * 7.0 + t * 1.3 + seed_ph).sin() * 1.2 + (u * 17.0 - t * 0.9).sin() * 0.5;
            let r = (v * f + wobble + t * 2.0).sin() * (0.75 + 0.25 * (u * 23.0 + seed_ph + t * 0.5).sin());
            let hl = ((r - 0.8) * 8.0).clamp(0.0, 1.0) * (0.3 + 0.3 * d);
            mix(base, [0.92, 0.97, 1.0], hl)
        },
    );
}

fn cloud_puff(canvas: &mut Canvas, xf: &Xf, col: Rgb, alpha: f32) {
    let p = Paint { fill: col, outline: 0.0, line: INK, shade: 0.18, alpha, soft: 0.6, emissive: false };
    for (c, r) in
        [([-0.55, 0.0], 0.38), ([0.0, 0.18], 0.52), ([0.55, 0.02], 0.4), ([0.2, -0.05], 0.42), ([-0.2, -0.08], 0.4)]
    {
        canvas.draw(xf, &Shape::Circle { c, r }, &p);
    }
}

/// Clouds drifting across the sky; more and greyer with worse weather.
pub fn sky_clouds(canvas: &mut Canvas, view: &View, light: &Light, time: f32, seed: u64, v_max: f32) {
    let n: u64 = match light.stage.weather {
        campfire_scene::Weather::Clear => 2,
        campfire_scene::Weather::Windy => 4,
        campfire_scene::Weather::Cloudy | campfire_scene::Weather::Snow => 6,
        campfire_scene::Weather::Rain | campfire_scene::Weather::Storm => 8,
    };
    let a = view.aspect();
    let speed = 0.012 + 0.05 * light.wind;
    let grey = 1.0
        - 0.45 * (light.overcast - 0.3).max(0.0)
        - 0.3 * (light.stage.weather == campfire_scene::Weather::Storm) as u8 as f32;
    let col = scale([0.98, 0.98, 1.0], grey);
    let span = a + 0.8;
    for i in 0..n {
        let u0 = rng::unit(seed, 51, i) * span;
        let u = (u0 + time * speed * rng::range(seed, 52, i, 0.7, 1.3)).rem_euclid(span) - 0.4;
        let v = rng::range(seed, 53, i, 0.06, v_max);
        let k = rng::range(seed, 54, i, 0.07, 0.12) * (1.0 + light.overcast * 0.5);
        let [px, py] = view.to_px(u, v, 0.15);
        let xf = Xf::new(px, py, k * view.px_per_unit(0.15), 0.0, 1.0);
        cloud_puff(canvas, &xf, col, 0.92);
    }
}

// ---------------------------------------------------------------------------------------------
// Settings

fn meadow(canvas: &mut Canvas, c: &Ctx<'_>) {
    sky(canvas, c);
    sky_clouds(canvas, c.view, c.light, c.time, c.seed, 0.3);
    hills(canvas, c, (0.2, 0.5, 0.05, 2.2), 61, [0.5, 0.72, 0.55], 0.1);
    hills(canvas, c, (0.4, 0.57, 0.035, 3.1), 62, [0.42, 0.7, 0.35], 0.15);
    ground(canvas, c, 0.6, [0.47, 0.74, 0.36], [0.3, 0.6, 0.22]);
    dots(canvas, c, 26, &[[1.0, 1.0, 1.0], [0.98, 0.85, 0.3], [0.95, 0.5, 0.6]], 0.62, 0.98, 0.007);
    grass(canvas, c, 70, [0.26, 0.55, 0.2], 0.64, 1.02);
}

fn forest(canvas: &mut Canvas, c: &Ctx<'_>) {
    sky(canvas, c);
    sky_clouds(canvas, c.view, c.light, c.time, c.seed, 0.2);
    // Far pines as a jagged dark ridge.
    let view = c.view;
    for (par, base, col, n, salt) in
        [(0.2, 0.5, [0.24, 0.45, 0.4], 22u64, 63u64), (0.35, 0.56, [0.16, 0.36, 0.26], 16, 64)]
    {
        let a = view.aspect();
        hills(canvas, c, (par, base + 0.02, 0.01, 3.0), salt, col, 0.0);
        for i in 0..n {
            let u = rng::range(c.seed, salt, i + 10, -0.4, a + 0.4);
            let h = rng::range(c.seed, salt, i + 40, 0.14, 0.26) * (if par < 0.3 { 0.8 } else { 1.1 });
            let [px, py] = view.to_px(u, base + 0.03, par);
            let xf = Xf::new(px, py, h * view.px_per_unit(par), 0.0, 1.0);
            let pts = [[-0.3, 0.0], [0.0, 1.0], [0.3, 0.0]];
            canvas.draw(&xf, &Shape::Poly(&pts), &Paint::flat(col).shade(0.25));
            let pts2 = [[-0.24, 0.35], [0.0, 1.15], [0.24, 0.35]];
            canvas.draw(&xf, &Shape::Poly(&pts2), &Paint::flat(scale(col, 1.12)).shade(0.25));
        }
    }
    ground(canvas, c, 0.59, [0.3, 0.48, 0.26], [0.2, 0.38, 0.16]);
    // Near trunks on both sides frame the stage.
    let a = view.aspect();
    for (i, u) in [(0u64, 0.05), (1, a - 0.08), (2, 0.3), (3, a - 0.35)] {
        let [px, py] = view.to_px(u, 0.66 + 0.04 * (i % 2) as f32, 0.6);
        let s = view.px_per_unit(0.6);
        let xf = Xf::new(px, py, s, 0.0, 1.0);
        let w = if i < 2 { 0.05 } else { 0.03 };
        canvas.draw(
            &xf,
            &Shape::RoundRect { c: [0.0, 0.35], hw: w, hh: 0.38, r: 0.01, angle: 0.0 },
            &Paint::solid([0.45, 0.3, 0.2], 0.006),
        );
        canvas.draw(&xf, &Shape::Circle { c: [0.0, 0.62], r: w * 3.2 }, &Paint::solid([0.22, 0.5, 0.25], 0.006));
        canvas.draw(&xf, &Shape::Circle { c: [w * 1.8, 0.55], r: w * 2.4 }, &Paint::solid([0.25, 0.55, 0.27], 0.006));
        canvas.draw(&xf, &Shape::Circle { c: [-w * 1.8, 0.54], r: w * 2.3 }, &Paint::solid([0.2, 0.46, 0.23], 0.006));
    }
    dots(canvas, c, 10, &[[0.9, 0.25, 0.2], [1.0, 0.95, 0.85]], 0.65, 0.95, 0.008);
    grass(canvas, c, 50, [0.16, 0.42, 0.16], 0.66, 1.02);
}

fn beach(canvas: &mut Canvas, c: &Ctx<'_>) {
    sky(canvas, c);
    sky_clouds(canvas, c.view, c.light, c.time, c.seed, 0.28);
    water(canvas, c, 0.5, [0.35, 0.65, 0.85], [0.2, 0.55, 0.75]);
    // Sand, with a foam line that laps back and forth.
    let view = c.view;
    let t = c.time;
    let edge = move |u: f32| 0.63 + 0.012 * (u * 5.0 + 1.3).sin() + 0.012 * (t * 0.9).sin();
    canvas.fill_below(
        1.0,
        |x| {
            let [u, _] = view.px_to_units(x, 0.0, 0.5);
            view.to_px(u, edge(u) - 0.012, 0.5)[1]
        },
        |_, _| [0.95, 0.97, 1.0],
    );
    canvas.fill_below(
        1.0,
        |x| {
            let [u, _] = view.px_to_units(x, 0.0, 0.5);
            view.to_px(u, edge(u), 0.5)[1]
        },
        |x, y| {
            let [_, v] = view.px_to_units(x, y, 0.5);
            mix([0.93, 0.82, 0.6], [0.88, 0.72, 0.48], ((v - 0.63) * 3.0).clamp(0.0, 1.0))
        },
    );
    dots(canvas, c, 8, &[[0.98, 0.8, 0.75], [1.0, 0.95, 0.9]], 0.7, 0.98, 0.008);
}

fn night_sky(canvas: &mut Canvas, c: &Ctx<'_>) {
    sky(canvas, c);
    stars(canvas, c, 1.0 - c.light.overcast * 0.8, 90, 0.55);
    sky_clouds(canvas, c.view, c.light, c.time, c.seed, 0.25);
    hills(canvas, c, (0.2, 0.55, 0.06, 1.8), 65, [0.12, 0.2, 0.3], 0.1);
    hills(canvas, c, (0.4, 0.6, 0.03, 2.7), 66, [0.14, 0.28, 0.24], 0.1);
    ground(canvas, c, 0.62, [0.18, 0.34, 0.26], [0.12, 0.26, 0.18]);
    // Fireflies drifting near the ground.
    let a = c.view.aspect();
    for i in 0..8u64 {
        let u = rng::range(c.seed, 67, i, 0.0, a) + 0.05 * (c.time * 0.7 + i as f32).sin();
        let v = rng::range(c.seed, 68, i, 0.6, 0.85) + 0.03 * (c.time * 0.9 + i as f32 * 2.0).cos();
        let on = 0.5 + 0.5 * (c.time * 2.0 + i as f32 * 1.7).sin();
        let [px, py] = c.view.to_px(u, v, 0.6);
        canvas.glow(px, py, c.view.h * 0.025, [0.9, 1.0, 0.5], on * 0.9);
    }
    grass(canvas, c, 50, [0.1, 0.24, 0.14], 0.66, 1.02);
}

fn ocean(canvas: &mut Canvas, c: &Ctx<'_>) {
    sky(canvas, c);
    sky_clouds(canvas, c.view, c.light, c.time, c.seed, 0.32);
    // A small island far away.
    let [px, py] = c.view.to_px(c.view.aspect() * 0.78, 0.52, 0.15);
    let s = c.view.px_per_unit(0.15);
    let xf = Xf::new(px, py, s, 0.0, 1.0);
    canvas.draw(
        &xf,
        &Shape::Ellipse { c: [0.0, 0.0], rx: 0.12, ry: 0.03, angle: 0.0 },
        &Paint::flat([0.5, 0.62, 0.45]),
    );
    canvas.draw(
        &xf,
        &Shape::Capsule { a: [0.01, 0.0], b: [0.03, 0.08], ra: 0.005, rb: 0.004 },
        &Paint::flat([0.45, 0.32, 0.22]),
    );
    canvas.draw(
        &xf,
        &Shape::Ellipse { c: [0.03, 0.085], rx: 0.04, ry: 0.012, angle: 0.2 },
        &Paint::flat([0.3, 0.55, 0.3]),
    );
    water(canvas, c, 0.52, [0.3, 0.6, 0.82], [0.1, 0.38, 0.62]);
}

fn castle(canvas: &mut Canvas, c: &Ctx<'_>) {
    sky(canvas, c);
    sky_clouds(canvas, c.view, c.light, c.time, c.seed, 0.25);
    hills(canvas, c, (0.15, 0.55, 0.03, 2.0), 69, [0.5, 0.68, 0.55], 0.1);
    let view = c.view;
    let a = view.aspect();
    let par = 0.3;
    let s = view.px_per_unit(par);
    let stone = [0.72, 0.7, 0.74];
    let [ox, oy] = view.to_px(a * 0.5, 0.6, par);
    let xf = Xf::new(ox, oy, s, 0.0, 1.0);
    let ink = 0.004;
    // Curtain wall with crenellations.
    canvas.draw(
        &xf,
        &Shape::RoundRect { c: [0.0, 0.12], hw: 0.62, hh: 0.12, r: 0.0, angle: 0.0 },
        &Paint::solid(stone, ink).shade(0.15),
    );
    for i in 0..13 {
        let x = -0.6 + i as f32 * 0.1;
        canvas.draw(
            &xf,
            &Shape::RoundRect { c: [x, 0.255], hw: 0.025, hh: 0.02, r: 0.0, angle: 0.0 },
            &Paint::solid(stone, ink),
        );
    }
    // Gate.
    canvas.draw(
        &xf,
        &Shape::RoundRect { c: [0.0, 0.07], hw: 0.07, hh: 0.08, r: 0.06, angle: 0.0 },
        &Paint::solid([0.35, 0.24, 0.18], ink),
    );
    // Towers with pointed roofs and fluttering flags.
    for (x, hh, w) in [(-0.62, 0.3, 0.09), (0.62, 0.3, 0.09), (-0.22, 0.4, 0.08), (0.22, 0.4, 0.08)] {
        canvas.draw(
            &xf,
            &Shape::RoundRect { c: [x, hh * 0.5], hw: w, hh: hh * 0.5, r: 0.0, angle: 0.0 },
            &Paint::solid(scale(stone, 1.04), ink).shade(0.2),
        );
        let roof = [[x - w * 1.25, hh], [x, hh + 0.2], [x + w * 1.25, hh]];
        canvas.draw(&xf, &Shape::Poly(&roof), &Paint::solid([0.75, 0.25, 0.3], ink));
        canvas.draw(
            &xf,
            &Shape::RoundRect { c: [x, hh * 0.68], hw: 0.018, hh: 0.03, r: 0.018, angle: 0.0 },
            &Paint::flat(if c.light.dark > 0.5 { [1.0, 0.85, 0.45] } else { [0.25, 0.22, 0.3] })
                .emissive_if(c.light.dark > 0.5),
        );
        let top = hh + 0.2;
        canvas.draw(
            &xf,
            &Shape::Capsule { a: [x, top], b: [x, top + 0.07], ra: 0.004, rb: 0.004 },
            &Paint::flat([0.3, 0.25, 0.2]),
        );
        let flap = (c.time * (3.0 + 4.0 * c.light.wind) + x * 5.0).sin() * 0.012;
        let flag = [[x, top + 0.07], [x + 0.07, top + 0.055 + flap], [x, top + 0.04]];
        canvas.draw(&xf, &Shape::Poly(&flag), &Paint::flat([0.98, 0.8, 0.25]));
    }
    ground(canvas, c, 0.6, [0.5, 0.68, 0.4], [0.38, 0.58, 0.3]);
    // A cobbled path to the gate.
    let path = [[-0.06, 0.0], [0.06, 0.0], [0.35, -0.35], [-0.35, -0.35]];
    let [px, py] = view.to_px(a * 0.5, 0.6, 0.5);
    let pxf = Xf::new(px, py, view.px_per_unit(0.5), 0.0, 1.0);
    canvas.draw(&pxf, &Shape::Poly(&path), &Paint::flat([0.78, 0.72, 0.62]).shade(0.1));
    grass(canvas, c, 40, [0.3, 0.5, 0.24], 0.66, 1.02);
}

fn classroom(canvas: &mut Canvas, c: &Ctx<'_>) {
    let view = c.view;
    let a = view.aspect();
    let par = 0.5;
    // Wall.
    canvas.fill_with(false, |x, y| {
        let [_, v] = view.px_to_units(x, y, par);
        mix([0.98, 0.92, 0.78], [0.93, 0.84, 0.68], (v / 0.6).clamp(0.0, 1.0))
    });
    let s = view.px_per_unit(par);
    let [ox, oy] = view.to_px(0.0, 0.0, par);
    let xf = Xf::new(ox, oy, s, 0.0, 1.0);
    // Window with the sky (and weather) behind it; the y axis points up, so v becomes -v.
    let win = |u: f32, v: f32| [u, -v];
    let wc = win(a * 0.8, 0.27);
    canvas.draw(
        &xf,
        &Shape::RoundRect { c: wc, hw: 0.16, hh: 0.14, r: 0.01, angle: 0.0 },
        &Paint::solid([0.55, 0.38, 0.25], 0.008),
    );
    let sky_col = c.light.sky(0.25);
    canvas.draw(
        &xf,
        &Shape::RoundRect { c: wc, hw: 0.14, hh: 0.12, r: 0.0, angle: 0.0 },
        &Paint::flat(sky_col).emissive().shade(0.2),
    );
    canvas.draw(
        &xf,
        &Shape::Capsule { a: [wc[0], wc[1] - 0.12], b: [wc[0], wc[1] + 0.12], ra: 0.008, rb: 0.008 },
        &Paint::flat([0.55, 0.38, 0.25]),
    );
    canvas.draw(
        &xf,
        &Shape::Capsule { a: [wc[0] - 0.14, wc[1]], b: [wc[0] + 0.14, wc[1]], ra: 0.008, rb: 0.008 },
        &Paint::flat([0.55, 0.38, 0.25]),
    );
    // Chalkboard with a few chalk marks.
    let bc = win(a * 0.38, 0.3);
    canvas.draw(
        &xf,
        &Shape::RoundRect { c: bc, hw: 0.34, hh: 0.15, r: 0.01, angle: 0.0 },
        &Paint::solid([0.55, 0.38, 0.25], 0.008),
    );
    canvas.draw(
        &xf,
        &Shape::RoundRect { c: bc, hw: 0.31, hh: 0.125, r: 0.0, angle: 0.0 },
        &Paint::flat([0.18, 0.35, 0.28]).shade(0.1),
    );
    for i in 0..3 {
        let y = bc[1] + 0.06 - i as f32 * 0.05;
        let len = [0.4, 0.3, 0.35][i];
        canvas.draw(
            &xf,
            &Shape::Capsule { a: [bc[0] - 0.25, y], b: [bc[0] - 0.25 + len, y + 0.005], ra: 0.005, rb: 0.005 },
            &Paint::flat([0.9, 0.92, 0.9]).alpha(0.8),
        );
    }
    canvas.draw(
        &xf,
        &Shape::Circle { c: [bc[0] + 0.22, bc[1] + 0.02], r: 0.04 },
        &Paint { outline: 0.0, ..Paint::flat([0.9, 0.9, 0.85]) }.alpha(0.3),
    );
    // Clock with a moving hand.
    let cc = win(a * 0.8, 0.58 - 0.5);
    canvas.draw(&xf, &Shape::Circle { c: cc, r: 0.045 }, &Paint::solid([1.0, 1.0, 0.97], 0.007));
    let ang = c.time * 0.5;
    canvas.draw(
        &xf,
        &Shape::Capsule { a: cc, b: [cc[0] + 0.032 * ang.sin(), cc[1] + 0.032 * ang.cos()], ra: 0.004, rb: 0.003 },
        &Paint::flat(INK),
    );
    canvas.draw(
        &xf,
        &Shape::Capsule { a: cc, b: [cc[0] + 0.02, cc[1] + 0.01], ra: 0.005, rb: 0.004 },
        &Paint::flat(INK),
    );
    // Skirting board and a wooden floor with planks.
    canvas.fill_below(
        1.0,
        |x| {
            let [u, _] = view.px_to_units(x, 0.0, par);
            view.to_px(u, 0.55, par)[1]
        },
        |_, _| [0.6, 0.42, 0.28],
    );
    canvas.fill_below(
        1.0,
        |x| {
            let [u, _] = view.px_to_units(x, 0.0, par);
            view.to_px(u, 0.575, par)[1]
        },
        |x, y| {
            let [u, v] = view.px_to_units(x, y, par);
            let d = ((v - 0.575) / 0.45).clamp(0.0, 1.0);
            // Planks converge to a vanishing point above the stage.
            let k = (u - a * 0.5) / (0.1 + d);
            let seam = ((k * 5.0).fract() - 0.5).abs() > 0.47;
            let base = mix([0.82, 0.6, 0.38], [0.7, 0.48, 0.3], d);
            if seam { scale(base, 0.82) } else { base }
        },
    );
}

/// Space: black sky with stars all the way down, and nothing else. No ground (what stands in
/// space floats) and no painted planet: a planet, the Earth or a sun is there when the story
/// puts one there.
fn space(canvas: &mut Canvas, c: &Ctx<'_>) {
    let view = c.view;
    let seed_u = rng::unit(c.seed, 81, 0);
    canvas.fill_with(true, |x, y| {
        let [u, v] = view.px_to_units(x, y, 0.05);
        let neb = (0.5 + 0.5 * (u * 3.0 + v * 2.0 + seed_u * 6.0).sin() * (v * 4.0 - u).cos()).powi(3);
        mix([0.01, 0.01, 0.04], [0.12, 0.06, 0.2], neb * 0.3)
    });
    stars(canvas, c, 1.0, 160, 1.05);
}

/// Under the sea, seen from the side: a band of sky above the surface, water getting deeper
/// and darker, light rays, a sandy floor with weed, and rising bubbles.
fn underwater(canvas: &mut Canvas, c: &Ctx<'_>) {
    let view = c.view;
    let light = c.light;
    let surface = 0.12;
    let t = c.time;
    canvas.fill_with(false, |x, y| {
        let [u, v] = view.px_to_units(x, y, 0.3);
        if v < surface + 0.008 * (u * 20.0 + t * 2.0).sin() {
            return light.sky(v * 2.0);
        }
        let d = ((v - surface) / (1.0 - surface)).clamp(0.0, 1.0);
        let base = mix([0.2, 0.6, 0.85], [0.04, 0.2, 0.42], d);
        // Slanted rays of sunlight fading with depth.
        let ray = (0.5 + 0.5 * ((u - v * 0.35) * 9.0 + t * 0.3).sin()).powi(6) * (1.0 - d) * 0.35;
        mix(base, [0.85, 0.97, 1.0], ray)
    });
    // The surface line.
    let a = view.aspect();
    let [_, sy] = view.to_px(0.0, surface, 0.3);
    canvas.draw(
        &Xf::new(0.0, sy, 1.0, 0.0, 1.0),
        &Shape::RoundRect {
            c: [a * view.h * 0.5, 0.0],
            hw: a * view.h,
            hh: (view.h * 0.004).max(0.7),
            r: 0.0,
            angle: 0.0,
        },
        &Paint::flat([0.9, 0.97, 1.0]).alpha(0.8),
    );
    // Sand, weed and pebbles on the floor.
    ground(canvas, c, 0.8, [0.72, 0.66, 0.5], [0.86, 0.78, 0.58]);
    for i in 0..9u64 {
        let u = rng::range(c.seed, 91, i, 0.0, a);
        let tall = rng::range(c.seed, 92, i, 0.08, 0.2);
        let [px, py] = view.to_px(u, rng::range(c.seed, 93, i, 0.8, 0.9), 0.5);
        let s = view.px_per_unit(0.5);
        let xf = Xf::new(px, py, s, 0.0, 1.0);
        let sway = 0.03 * (t * 1.2 + i as f32).sin();
        canvas.draw(
            &xf,
            &Shape::Capsule { a: [0.0, 0.0], b: [sway, tall], ra: 0.012, rb: 0.006 },
            &Paint::solid([0.2, 0.55, 0.3], 0.003),
        );
    }
    for i in 0..10u64 {
        let q = (t * rng::range(c.seed, 94, i, 0.08, 0.2) + rng::unit(c.seed, 95, i)).fract();
        let u = rng::range(c.seed, 96, i, 0.0, a) + 0.01 * (q * 20.0).sin();
        let v = 0.9 - q * (0.9 - surface);
        let [px, py] = view.to_px(u, v, 0.3);
        canvas.draw(
            &Xf::new(px, py, view.px_per_unit(0.3), 0.0, 1.0),
            &Shape::Circle { c: [0.0, 0.0], r: 0.006 + 0.006 * rng::unit(c.seed, 97, i) },
            &Paint::solid([0.8, 0.93, 1.0], 0.002).alpha(0.7),
        );
    }
}

fn garden(canvas: &mut Canvas, c: &Ctx<'_>) {
    sky(canvas, c);
    sky_clouds(canvas, c.view, c.light, c.time, c.seed, 0.28);
    hills(canvas, c, (0.2, 0.5, 0.04, 2.5), 86, [0.55, 0.74, 0.58], 0.1);
    // Hedge: bumpy dark green.
    let view = c.view;
    canvas.fill_below(
        1.0,
        |x| {
            let [u, _] = view.px_to_units(x, 0.0, 0.35);
            view.to_px(u, 0.48 - 0.018 * ((u * 40.0).sin().abs()), 0.35)[1]
        },
        |x, y| {
            let [u, v] = view.px_to_units(x, y, 0.35);
            scale([0.2, 0.48, 0.24], 0.85 + 0.2 * ((u * 60.0).sin() * (v * 70.0).sin()))
        },
    );
    // Fence.
    let a = view.aspect();
    let par = 0.4;
    let s = view.px_per_unit(par);
    let [ox, oy] = view.to_px(0.0, 0.58, par);
    let xf = Xf::new(ox, oy, s, 0.0, 1.0);
    let wood = [0.96, 0.93, 0.86];
    for (y, h) in [(0.035, 0.008), (0.075, 0.008)] {
        canvas.draw(
            &xf,
            &Shape::RoundRect { c: [a * 0.5, y], hw: a, hh: h, r: 0.0, angle: 0.0 },
            &Paint::solid(wood, 0.003),
        );
    }
    let n = (a / 0.07) as i32 + 16;
    for i in -8..n {
        let x = i as f32 * 0.07;
        let pts = [[x - 0.018, 0.0], [x + 0.018, 0.0], [x + 0.018, 0.1], [x, 0.12], [x - 0.018, 0.1]];
        canvas.draw(&xf, &Shape::Poly(&pts), &Paint::solid(wood, 0.003).shade(0.15));
    }
    ground(canvas, c, 0.585, [0.45, 0.72, 0.35], [0.32, 0.6, 0.25]);
    // Flower beds along the fence and a stepping-stone path.
    dots(canvas, c, 40, &[[0.95, 0.3, 0.35], [1.0, 0.85, 0.25], [0.7, 0.45, 0.9], [1.0, 0.6, 0.8]], 0.6, 0.66, 0.012);
    for i in 0..5 {
        let v = 0.7 + i as f32 * 0.065;
        let [px, py] = view.to_px(a * 0.5 + 0.05 * (i as f32 * 1.7).sin(), v, 0.5 + i as f32 * 0.1);
        let xf = Xf::new(px, py, view.px_per_unit(0.5 + i as f32 * 0.1), 0.0, 1.0);
        canvas.draw(
            &xf,
            &Shape::Ellipse { c: [0.0, 0.0], rx: 0.05, ry: 0.016, angle: 0.0 },
            &Paint::flat([0.75, 0.72, 0.68]).shade(0.2),
        );
    }
    grass(canvas, c, 40, [0.26, 0.52, 0.2], 0.68, 1.02);
}

fn mountain(canvas: &mut Canvas, c: &Ctx<'_>) {
    sky(canvas, c);
    sky_clouds(canvas, c.view, c.light, c.time, c.seed, 0.22);
    let view = c.view;
    let a = view.aspect();
    for (par, base, h, col, n, salt) in
        [(0.12, 0.5, 0.3, [0.55, 0.6, 0.75], 4u64, 87u64), (0.25, 0.56, 0.25, [0.42, 0.47, 0.6], 5, 88)]
    {
        for i in 0..n {
            let u = -0.3 + (i as f32 + rng::range(c.seed, salt, i, 0.0, 0.6)) * (a + 0.6) / n as f32;
            let hh = h * rng::range(c.seed, salt, i + 20, 0.75, 1.15);
            let w = hh * rng::range(c.seed, salt, i + 40, 1.0, 1.5);
            let [px, py] = view.to_px(u, base, par);
            let xf = Xf::new(px, py, view.px_per_unit(par), 0.0, 1.0);
            let peak = [[-w, 0.0], [0.0, hh], [w, 0.0]];
            canvas.draw(&xf, &Shape::Poly(&peak), &Paint::flat(col).shade(0.2));
            let k = 0.3;
            let cap = [
                [-w * k, hh * (1.0 - k)],
                [0.0, hh],
                [w * k, hh * (1.0 - k)],
                [w * k * 0.4, hh * (1.0 - k * 1.2)],
                [0.0, hh * (1.0 - k * 0.8)],
                [-w * k * 0.5, hh * (1.0 - k * 1.25)],
            ];
            canvas.draw(&xf, &Shape::Poly(&cap), &Paint::flat([0.97, 0.98, 1.0]));
        }
    }
    hills(canvas, c, (0.4, 0.6, 0.03, 2.0), 89, [0.45, 0.6, 0.4], 0.15);
    ground(canvas, c, 0.63, [0.5, 0.6, 0.42], [0.42, 0.5, 0.36]);
    for i in 0..10u64 {
        let u = rng::range(c.seed, 90, i, -0.2, a + 0.2);
        let v = rng::range(c.seed, 91, i, 0.68, 0.98);
        let [px, py] = view.to_px(u, v, 0.7);
        let xf = Xf::new(px, py, view.px_per_unit(0.7) * rng::range(c.seed, 92, i, 0.015, 0.035), 0.0, 1.0);
        let pts = [[-1.0, 0.0], [-0.6, 0.7], [0.2, 0.9], [1.0, 0.0]];
        canvas.draw(&xf, &Shape::Poly(&pts), &Paint::solid([0.58, 0.56, 0.55], 0.08));
    }
    grass(canvas, c, 30, [0.34, 0.46, 0.28], 0.7, 1.02);
}
