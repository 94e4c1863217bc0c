//! The light of the scene: sky colours and the colour grade of time of day and weather.
//!
//! Night is darker and bluish, dusk orange, dawn pink; clouds and rain grey it, a storm darkens
//! it and flashes. Emissive paints (stars, lamps, glows) skip the grade and so shine at night.

use super::raster::{Canvas, Grade, Rgb, mix};
use super::rng;
use campfire_scene::{Setting, Stage, TimeOfDay, Weather};

#[derive(Clone, Copy, Debug)]
pub struct Light {
    pub stage: Stage,
    pub grade: Grade,
    pub sky_top: Rgb,
    pub sky_bottom: Rgb,
    /// 0 in daylight, 1 at full night: how much stars and lamps show.
    pub dark: f32,
    /// 0 clear, 1 fully overcast.
    pub overcast: f32,
    /// Lightning brightness now (0 most of the time).
    pub flash: f32,
    /// Wind strength 0..1 (sways grass, pushes rain and clouds).
    pub wind: f32,
}

impl Light {
    pub fn new(stage: Stage, time: f32, seed: u64) -> Self {
        let (mut top, mut bottom, mut mul, mut add, mut dark): (Rgb, Rgb, Rgb, Rgb, f32) = match stage.time {
            TimeOfDay::Day => ([0.33, 0.6, 0.93], [0.74, 0.88, 0.98], [1.0, 1.0, 1.0], [0.0; 3], 0.0),
            TimeOfDay::Dawn => ([0.46, 0.52, 0.82], [1.0, 0.78, 0.66], [0.98, 0.9, 0.9], [0.04, 0.015, 0.02], 0.25),
            TimeOfDay::Dusk => ([0.3, 0.24, 0.55], [1.0, 0.56, 0.3], [1.0, 0.76, 0.6], [0.05, 0.01, 0.0], 0.45),
            TimeOfDay::Night => ([0.02, 0.04, 0.14], [0.1, 0.14, 0.3], [0.36, 0.43, 0.68], [0.0, 0.01, 0.04], 1.0),
        };
        // The night sky and space are dark whatever the clock says.
        if matches!(stage.setting, Setting::NightSky | Setting::Space) && dark < 0.9 {
            top = mix(top, [0.04, 0.05, 0.18], 0.85);
            bottom = mix(bottom, [0.16, 0.14, 0.36], 0.8);
            dark = dark.max(0.8);
            mul = mix(mul, [0.55, 0.58, 0.78], 0.8);
        }
        let (overcast, wind, wmul): (f32, f32, Rgb) = match stage.weather {
            Weather::Clear => (0.0, 0.1, [1.0; 3]),
            Weather::Cloudy => (0.55, 0.2, [0.86, 0.87, 0.9]),
            Weather::Rain => (0.75, 0.3, [0.72, 0.76, 0.84]),
            Weather::Snow => (0.6, 0.15, [0.92, 0.95, 1.02]),
            Weather::Storm => (0.95, 0.7, [0.55, 0.57, 0.68]),
            Weather::Windy => (0.25, 1.0, [0.97, 0.97, 0.97]),
        };
        let grey = |c: Rgb| {
            let l = (c[0] + c[1] + c[2]) / 3.0;
            mix(c, [l * 0.95, l * 0.97, l * 1.02], overcast * 0.85)
        };
        top = grey(top);
        bottom = grey(bottom);
        if stage.weather == Weather::Storm {
            top = mix(top, [0.18, 0.19, 0.25], 0.6);
            bottom = mix(bottom, [0.3, 0.31, 0.36], 0.5);
        }
        if stage.weather == Weather::Snow {
            add = [add[0] + 0.03, add[1] + 0.03, add[2] + 0.04];
        }
        mul = [mul[0] * wmul[0], mul[1] * wmul[1], mul[2] * wmul[2]];
        let flash = if stage.weather == Weather::Storm { lightning(seed, time) } else { 0.0 };
        Self { stage, grade: Grade { mul, add }, sky_top: top, sky_bottom: bottom, dark, overcast, flash, wind }
    }

    /// Sky colour at screen height `v` (0 top).
    pub fn sky(&self, v: f32) -> Rgb {
        let t = (v / 0.6).clamp(0.0, 1.0);
        mix(self.sky_top, self.sky_bottom, t * t * (3.0 - 2.0 * t))
    }

    /// Whether stars show in the sky.
    pub fn starry(&self) -> f32 {
        (self.dark - 0.3).max(0.0) / 0.7 * (1.0 - self.overcast * 0.9)
    }
}

/// Lightning: a flash lasting ~0.2 s, at a seeded moment in every 2.5 s window (not all windows).
pub fn lightning(seed: u64, time: f32) -> f32 {
    let window = (time / 2.5).floor();
    let w = window.max(0.0) as u64;
    if rng::unit(seed, 71, w) < 0.35 {
        return 0.0;
    }
    let at = window * 2.5 + rng::range(seed, 72, w, 0.2, 2.0);
    let dt = time - at;
    if (0.0..0.25).contains(&dt) {
        // Two quick pulses, as real lightning flickers.
        let pulse = if dt < 0.08 {
            1.0
        } else if dt < 0.13 {
            0.3
        } else {
            0.8 * (1.0 - (dt - 0.13) / 0.12)
        };
        pulse.max(0.0)
    } else {
        0.0
    }
}

/// Last touches over the whole frame: the lightning flash and a soft vignette.
pub fn finish(canvas: &mut Canvas, light: &Light) {
    let (w, h) = (canvas.w as f32, canvas.h as f32);
    let flash = light.flash * 0.45;
    let vig = 0.12 + 0.1 * light.dark;
    for y in 0..canvas.h {
        let dy = (y as f32 + 0.5) / h - 0.5;
        for x in 0..canvas.w {
            let dx = ((x as f32 + 0.5) / w - 0.5) * 0.8;
            let k = 1.0 - vig * ((dx * dx + dy * dy) * 2.2).min(1.0);
            let p = &mut canvas.px[y * canvas.w + x];
            for c in p.iter_mut() {
                *c = *c * k + (1.0 - *c).max(0.0) * flash;
            }
        }
    }
}
