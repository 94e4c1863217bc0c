//! Weather over the stage: rain streaks, snow flakes, wind-blown leaves and lightning, drawn in
//! front of everything; a storm's distant bolt is drawn behind the figures.

use super::light::Light;
use super::raster::{Canvas, Paint, Shape, Xf};
use super::rng;
use super::view::View;
use campfire_scene::{Setting, Stage, Weather};

fn outdoors(stage: Stage) -> bool {
    !matches!(stage.setting, Setting::Classroom | Setting::Space)
}

/// Weather far away, behind the figures: the lightning bolt of a storm.
pub fn behind(canvas: &mut Canvas, view: &View, light: &Light, stage: Stage, time: f32, seed: u64) {
    if stage.weather != Weather::Storm || light.flash <= 0.05 || !outdoors(stage) {
        return;
    }
    let w = (time / 2.5).floor().max(0.0) as u64;
    let a = view.aspect();
    let mut u = rng::range(seed, 73, w, 0.15 * a, 0.85 * a);
    let mut v = 0.0;
    let mut pts = Vec::with_capacity(8);
    pts.push([u, v]);
    for i in 0..6u64 {
        u += rng::range(seed, 74, w * 8 + i, -0.05, 0.05);
        v += 0.085;
        pts.push([u, v]);
    }
    let s = view.px_per_unit(0.1);
    for seg in pts.windows(2) {
        let a = view.to_px(seg[0][0], seg[0][1], 0.1);
        let b = view.to_px(seg[1][0], seg[1][1], 0.1);
        let xf = Xf::pixels();
        let r = (0.006 * s).max(0.7);
        canvas.draw(
            &xf,
            &Shape::Capsule { a: [a[0], -a[1]], b: [b[0], -b[1]], ra: r, rb: r },
            &Paint::flat([1.0, 1.0, 0.85]).emissive().alpha(light.flash),
        );
    }
}

/// Weather in front of the figures.
pub fn in_front(canvas: &mut Canvas, view: &View, light: &Light, stage: Stage, time: f32, seed: u64) {
    let a = view.aspect();
    let xf = Xf::pixels();
    let unit = view.h;
    match stage.weather {
        _ if !outdoors(stage) => {}
        Weather::Rain | Weather::Storm => {
            let n = if stage.weather == Weather::Storm { 140 } else { 100 };
            let slant = 0.08 + 0.25 * light.wind;
            let fall = 1.6;
            for i in 0..n as u64 {
                let u0 = rng::range(seed, 101, i, -0.3, a + 0.3);
                let speed = rng::range(seed, 102, i, 0.85, 1.15) * fall;
                let v = (rng::unit(seed, 103, i) + time * speed).fract() * 1.2 - 0.1;
                let u = u0 - slant * v;
                let len = 0.045 * speed;
                let (x0, y0) = (u * unit, v * unit);
                let (x1, y1) = ((u + slant * len) * unit, (v - len) * unit);
                let r = (0.0035 * unit).max(0.45);
                canvas.draw(
                    &xf,
                    &Shape::Capsule { a: [x0, -y0], b: [x1, -y1], ra: r, rb: r * 0.6 },
                    &Paint::flat([0.78, 0.85, 0.95]).alpha(0.55),
                );
            }
        }
        Weather::Snow => {
            for i in 0..90u64 {
                let depth = rng::unit(seed, 111, i);
                let speed = 0.08 + 0.1 * (1.0 - depth);
                let v = (rng::unit(seed, 112, i) + time * speed).fract() * 1.1 - 0.05;
                let u = rng::range(seed, 113, i, -0.1, a + 0.1)
                    + 0.03 * (time * 1.3 + i as f32).sin()
                    + light.wind * 0.1 * v;
                let r = ((0.006 + 0.006 * (1.0 - depth)) * unit).max(0.6);
                canvas.draw(
                    &xf,
                    &Shape::Circle { c: [u * unit, -v * unit], r },
                    &Paint::flat([1.0, 1.0, 1.0]).emissive().alpha(0.85),
                );
            }
        }
        Weather::Windy => {
            // Leaves tumbling across the stage.
            for i in 0..14u64 {
                let speed = rng::range(seed, 121, i, 0.25, 0.45);
                let u = (rng::unit(seed, 122, i) + time * speed).fract() * (a + 0.4) - 0.2;
                let v = rng::range(seed, 123, i, 0.1, 0.9) + 0.05 * (time * 2.0 + i as f32).sin();
                let spin = time * 4.0 + i as f32;
                let col = if i % 2 == 0 { [0.85, 0.55, 0.2] } else { [0.5, 0.7, 0.25] };
                let lxf = Xf::new(u * unit, v * unit, unit * 0.012, spin, 1.0);
                canvas.draw(
                    &lxf,
                    &Shape::Ellipse { c: [0.0, 0.0], rx: 1.0, ry: 0.5, angle: 0.0 },
                    &Paint::solid(col, 0.15),
                );
            }
            // Faint gust lines.
            for i in 0..5u64 {
                let u = (rng::unit(seed, 124, i) + time * 0.6).fract() * (a + 0.6) - 0.3;
                let v = rng::range(seed, 125, i, 0.15, 0.7);
                let r = (0.003 * unit).max(0.5);
                canvas.draw(
                    &xf,
                    &Shape::Capsule { a: [u * unit, -v * unit], b: [(u + 0.15) * unit, -v * unit], ra: r, rb: r },
                    &Paint::flat([1.0, 1.0, 1.0]).alpha(0.35),
                );
            }
        }
        Weather::Clear | Weather::Cloudy => {}
    }
}
