//! A small signed-distance rasteriser: filled shapes with anti-aliased edges and dark outlines.
//!
//! Why our own and not `tiny-skia`: every shape we draw is a circle, ellipse, rounded box,
//! capsule or small polygon, and the storybook look wants each one outlined and softly shaded.
//! With a signed distance per pixel the outline, the coverage anti-aliasing, the vertical
//! shading and soft glows all fall out of one number, in one pass over the shape's bounding box,
//! with no path building or stroking. Frames are tiny (128×96 to 256×192), so a per-pixel
//! evaluation is a few milliseconds per frame, and the code stays ~300 lines we fully control.
//!
//! Colours are sRGB triples in 0..1 and are blended in sRGB space, like a painter would.

/// An sRGB colour, components in 0..=1.
pub type Rgb = [f32; 3];

/// Converts 8-bit sRGB to [`Rgb`].
pub fn rgb8(c: [u8; 3]) -> Rgb {
    [c[0] as f32 / 255.0, c[1] as f32 / 255.0, c[2] as f32 / 255.0]
}

pub fn mix(a: Rgb, b: Rgb, t: f32) -> Rgb {
    [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
}

pub fn scale(a: Rgb, k: f32) -> Rgb {
    [a[0] * k, a[1] * k, a[2] * k]
}

/// The colour of outlines: a warm near-black, softer than pure black.
pub const INK: Rgb = [0.16, 0.12, 0.17];

/// A global colour grade (time of day, weather), applied to every non-emissive paint as it is
/// drawn so that lamps, stars and glows stay bright at night.
#[derive(Clone, Copy, Debug)]
pub struct Grade {
    pub mul: Rgb,
    pub add: Rgb,
}

impl Grade {
    pub const NONE: Grade = Grade { mul: [1.0; 3], add: [0.0; 3] };

    pub fn apply(&self, c: Rgb) -> Rgb {
        [c[0] * self.mul[0] + self.add[0], c[1] * self.mul[1] + self.add[1], c[2] * self.mul[2] + self.add[2]]
    }
}

/// Placement of a figure's local frame on the canvas: local units (y up) to pixels (y down).
/// Uniform scale, a rotation and a horizontal flip, so distances scale by `s` exactly.
#[derive(Clone, Copy, Debug)]
pub struct Xf {
    /// Pixel position of the local origin.
    pub ox: f32,
    pub oy: f32,
    /// Pixels per local unit.
    pub s: f32,
    cos: f32,
    sin: f32,
    /// 1.0 faces right, -1.0 mirrors.
    pub flip: f32,
}

impl Xf {
    pub fn new(ox: f32, oy: f32, s: f32, angle: f32, flip: f32) -> Self {
        Self { ox, oy, s: s.max(1e-4), cos: angle.cos(), sin: angle.sin(), flip: if flip < 0.0 { -1.0 } else { 1.0 } }
    }

    /// Identity-like frame for drawing directly in pixels (y down kept by s = 1 and a flipped y).
    pub fn pixels() -> Self {
        Self::new(0.0, 0.0, 1.0, 0.0, 1.0)
    }

    /// Local point to pixel.
    pub fn to_px(self, p: [f32; 2]) -> [f32; 2] {
        let lx = p[0] * self.flip;
        let rx = lx * self.cos - p[1] * self.sin;
        let ry = lx * self.sin + p[1] * self.cos;
        [self.ox + rx * self.s, self.oy - ry * self.s]
    }

    /// Pixel to local point.
    pub fn to_local(self, px: f32, py: f32) -> [f32; 2] {
        let dx = (px - self.ox) / self.s;
        let dy = -(py - self.oy) / self.s;
        let lx = dx * self.cos + dy * self.sin;
        let y = -dx * self.sin + dy * self.cos;
        [lx * self.flip, y]
    }

    /// A child frame: `at` in this frame's local units, rotated by `angle` (counter-clockwise in
    /// the figure's own facing), scaled by `k`.
    pub fn child(&self, at: [f32; 2], angle: f32, k: f32) -> Xf {
        let o = self.to_px(at);
        let base = self.sin.atan2(self.cos);
        Xf::new(o[0], o[1], self.s * k, base + angle * self.flip, self.flip)
    }
}

/// A shape in local units (y up).
#[derive(Clone, Copy, Debug)]
pub enum Shape<'a> {
    Circle {
        c: [f32; 2],
        r: f32,
    },
    /// Axis-aligned in local space, then rotated by `angle`.
    Ellipse {
        c: [f32; 2],
        rx: f32,
        ry: f32,
        angle: f32,
    },
    /// Box of half-size `hw`×`hh` with corner radius `r`, rotated by `angle` around `c`.
    RoundRect {
        c: [f32; 2],
        hw: f32,
        hh: f32,
        r: f32,
        angle: f32,
    },
    /// A segment with round ends (limbs, stems, rain streaks), radii may differ at both ends.
    Capsule {
        a: [f32; 2],
        b: [f32; 2],
        ra: f32,
        rb: f32,
    },
    /// A simple polygon, any winding.
    Poly(&'a [[f32; 2]]),
    /// A disc with another disc taken out (the moon).
    Crescent {
        c: [f32; 2],
        r: f32,
        cut: [f32; 2],
        cut_r: f32,
    },
}

impl Shape<'_> {
    /// Signed distance in local units (negative inside).
    fn sdf(&self, p: [f32; 2]) -> f32 {
        match *self {
            Shape::Circle { c, r } => len(sub(p, c)) - r,
            Shape::Ellipse { c, rx, ry, angle } => {
                let q = rot(sub(p, c), -angle);
                sd_ellipse(q, rx.max(1e-4), ry.max(1e-4))
            }
            Shape::RoundRect { c, hw, hh, r, angle } => {
                let q = rot(sub(p, c), -angle);
                let r = r.min(hw).min(hh).max(0.0);
                let dx = q[0].abs() - hw + r;
                let dy = q[1].abs() - hh + r;
                len([dx.max(0.0), dy.max(0.0)]) + dx.max(dy).min(0.0) - r
            }
            Shape::Capsule { a, b, ra, rb } => {
                let pa = sub(p, a);
                let ba = sub(b, a);
                let h = (dot(pa, ba) / dot(ba, ba).max(1e-9)).clamp(0.0, 1.0);
                len(sub(pa, [ba[0] * h, ba[1] * h])) - (ra + (rb - ra) * h)
            }
            Shape::Poly(pts) => sd_polygon(p, pts),
            Shape::Crescent { c, r, cut, cut_r } => (len(sub(p, c)) - r).max(-(len(sub(p, cut)) - cut_r)),
        }
    }

    /// Conservative local bounding box: (min, max).
    fn bounds(&self) -> ([f32; 2], [f32; 2]) {
        match *self {
            Shape::Circle { c, r } | Shape::Crescent { c, r, .. } => ([c[0] - r, c[1] - r], [c[0] + r, c[1] + r]),
            Shape::Ellipse { c, rx, ry, .. } => {
                let m = rx.max(ry);
                ([c[0] - m, c[1] - m], [c[0] + m, c[1] + m])
            }
            Shape::RoundRect { c, hw, hh, .. } => {
                let m = (hw * hw + hh * hh).sqrt();
                ([c[0] - m, c[1] - m], [c[0] + m, c[1] + m])
            }
            Shape::Capsule { a, b, ra, rb } => {
                let r = ra.max(rb);
                ([a[0].min(b[0]) - r, a[1].min(b[1]) - r], [a[0].max(b[0]) + r, a[1].max(b[1]) + r])
            }
            Shape::Poly(pts) => {
                let mut lo = [f32::INFINITY; 2];
                let mut hi = [f32::NEG_INFINITY; 2];
                for q in pts {
                    lo = [lo[0].min(q[0]), lo[1].min(q[1])];
                    hi = [hi[0].max(q[0]), hi[1].max(q[1])];
                }
                (lo, hi)
            }
        }
    }
}

/// How a shape is filled.
#[derive(Clone, Copy, Debug)]
pub struct Paint {
    pub fill: Rgb,
    /// Outline width in local units (0 = none); drawn in [`INK`] or `line`.
    pub outline: f32,
    pub line: Rgb,
    /// Vertical shading: top lighter, bottom darker by this fraction.
    pub shade: f32,
    pub alpha: f32,
    /// Feather width in pixels beyond the usual one-pixel anti-aliasing (glows, soft clouds).
    pub soft: f32,
    /// Emissive paints ignore the global grade (lamps, stars, glows).
    pub emissive: bool,
}

impl Paint {
    /// A shaded fill with a dark outline: the storybook default.
    pub fn solid(fill: Rgb, outline: f32) -> Self {
        Self { fill, outline, line: INK, shade: 0.22, alpha: 1.0, soft: 0.0, emissive: false }
    }

    /// A flat fill without outline.
    pub fn flat(fill: Rgb) -> Self {
        Self { fill, outline: 0.0, line: INK, shade: 0.0, alpha: 1.0, soft: 0.0, emissive: false }
    }

    pub fn alpha(mut self, a: f32) -> Self {
        self.alpha = a;
        self
    }

    pub fn shade(mut self, k: f32) -> Self {
        self.shade = k;
        self
    }

    pub fn emissive(mut self) -> Self {
        self.emissive = true;
        self
    }

    pub fn emissive_if(mut self, yes: bool) -> Self {
        self.emissive |= yes;
        self
    }

    pub fn soft(mut self, px: f32) -> Self {
        self.soft = px;
        self
    }
}

/// The picture being painted.
pub struct Canvas {
    pub w: usize,
    pub h: usize,
    pub px: Vec<Rgb>,
    pub grade: Grade,
}

impl Canvas {
    pub fn new(w: usize, h: usize) -> Self {
        Self { w, h, px: vec![[0.0; 3]; w * h], grade: Grade::NONE }
    }

    #[inline]
    pub fn blend(&mut self, x: usize, y: usize, c: Rgb, a: f32) {
        let p = &mut self.px[y * self.w + x];
        *p = mix(*p, c, a.clamp(0.0, 1.0));
    }

    /// Paints every pixel with `f(x, y)` (pixel centres), graded unless `emissive`.
    pub fn fill_with(&mut self, emissive: bool, mut f: impl FnMut(f32, f32) -> Rgb) {
        for y in 0..self.h {
            for x in 0..self.w {
                let c = f(x as f32 + 0.5, y as f32 + 0.5);
                self.px[y * self.w + x] = if emissive { c } else { self.grade.apply(c) };
            }
        }
    }

    /// Fills everything below the curve `top(x)` (pixels, y down) with `color(x, y)`, with
    /// anti-aliased top edge. `alpha` scales the whole fill.
    pub fn fill_below(&mut self, alpha: f32, mut top: impl FnMut(f32) -> f32, mut color: impl FnMut(f32, f32) -> Rgb) {
        for x in 0..self.w {
            let t = top(x as f32 + 0.5);
            if !t.is_finite() {
                continue;
            }
            let y0 = t.floor().max(0.0) as usize;
            for y in y0.min(self.h)..self.h {
                let cov = ((y as f32 + 1.0) - t).clamp(0.0, 1.0) * alpha;
                if cov <= 0.0 {
                    continue;
                }
                let c = self.grade.apply(color(x as f32 + 0.5, y as f32 + 0.5));
                self.blend(x, y, c, cov);
            }
        }
    }

    /// Draws one shape in the frame `xf`.
    pub fn draw(&mut self, xf: &Xf, shape: &Shape<'_>, paint: &Paint) {
        if paint.alpha <= 0.003 {
            return;
        }
        let (lo, hi) = shape.bounds();
        let pad = paint.outline + (paint.soft + 1.5) / xf.s;
        let corners = [
            [lo[0] - pad, lo[1] - pad],
            [hi[0] + pad, lo[1] - pad],
            [lo[0] - pad, hi[1] + pad],
            [hi[0] + pad, hi[1] + pad],
        ];
        let mut pmin = [f32::INFINITY; 2];
        let mut pmax = [f32::NEG_INFINITY; 2];
        for c in corners {
            let q = xf.to_px(c);
            pmin = [pmin[0].min(q[0]), pmin[1].min(q[1])];
            pmax = [pmax[0].max(q[0]), pmax[1].max(q[1])];
        }
        if !(pmin[0].is_finite() && pmin[1].is_finite() && pmax[0].is_finite() && pmax[1].is_finite()) {
            return;
        }
        let x0 = pmin[0].floor().max(0.0) as usize;
        let y0 = pmin[1].floor().max(0.0) as usize;
        let x1 = (pmax[0].ceil().min(self.w as f32)).max(0.0) as usize;
        let y1 = (pmax[1].ceil().min(self.h as f32)).max(0.0) as usize;
        if x0 >= x1 || y0 >= y1 {
            return;
        }
        let fill = if paint.emissive { paint.fill } else { self.grade.apply(paint.fill) };
        let line = if paint.emissive { paint.line } else { self.grade.apply(paint.line) };
        let ow = paint.outline * xf.s;
        let soft = paint.soft.max(0.0) + 1.0;
        // Shading runs over the shape's own vertical extent on screen.
        let (sy0, sy1) = (pmin[1], pmax[1].max(pmin[1] + 1.0));
        for y in y0..y1 {
            let fy = y as f32 + 0.5;
            let shade = 1.0 + paint.shade * (0.5 - (fy - sy0) / (sy1 - sy0)) * 2.0;
            let body = scale(fill, shade);
            for x in x0..x1 {
                let fx = x as f32 + 0.5;
                let d = shape.sdf(xf.to_local(fx, fy)) * xf.s;
                let outer = (0.5 - d / soft).clamp(0.0, 1.0);
                if outer <= 0.0 {
                    continue;
                }
                let c = if ow > 0.0 {
                    let inner = (0.5 - (d + ow)).clamp(0.0, 1.0);
                    mix(line, body, inner / outer)
                } else {
                    body
                };
                self.blend(x, y, c, outer * paint.alpha);
            }
        }
    }

    /// Adds light over a disc: a soft radial glow that brightens what is under it.
    pub fn glow(&mut self, cx: f32, cy: f32, radius: f32, color: Rgb, strength: f32) {
        if !(cx.is_finite() && cy.is_finite() && radius.is_finite()) || radius <= 0.0 {
            return;
        }
        let x0 = (cx - radius).floor().max(0.0) as usize;
        let y0 = (cy - radius).floor().max(0.0) as usize;
        let x1 = ((cx + radius).ceil().min(self.w as f32)).max(0.0) as usize;
        let y1 = ((cy + radius).ceil().min(self.h as f32)).max(0.0) as usize;
        for y in y0..y1 {
            for x in x0..x1 {
                let dx = x as f32 + 0.5 - cx;
                let dy = y as f32 + 0.5 - cy;
                let t = 1.0 - (dx * dx + dy * dy).sqrt() / radius;
                if t <= 0.0 {
                    continue;
                }
                let k = t * t * strength;
                let p = &mut self.px[y * self.w + x];
                for i in 0..3 {
                    p[i] += (color[i] - p[i]).max(0.0) * k.min(1.0) * 0.9 + color[i] * k * 0.1;
                }
            }
        }
    }

    /// Converts to packed RGB8.
    pub fn to_rgb8(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.w * self.h * 3);
        for p in &self.px {
            for c in p {
                out.push((c.clamp(0.0, 1.0) * 255.0 + 0.5) as u8);
            }
        }
        out
    }
}

#[inline]
fn sub(a: [f32; 2], b: [f32; 2]) -> [f32; 2] {
    [a[0] - b[0], a[1] - b[1]]
}

#[inline]
fn dot(a: [f32; 2], b: [f32; 2]) -> f32 {
    a[0] * b[0] + a[1] * b[1]
}

#[inline]
fn len(a: [f32; 2]) -> f32 {
    dot(a, a).sqrt()
}

#[inline]
fn rot(p: [f32; 2], a: f32) -> [f32; 2] {
    if a == 0.0 {
        return p;
    }
    let (s, c) = a.sin_cos();
    [p[0] * c - p[1] * s, p[0] * s + p[1] * c]
}

/// Approximate ellipse distance (Inigo Quilez' gradient-normalised form): exact on the boundary,
/// close enough inside and out for one-pixel anti-aliasing and thin outlines.
fn sd_ellipse(p: [f32; 2], rx: f32, ry: f32) -> f32 {
    let k0 = len([p[0] / rx, p[1] / ry]);
    let k1 = len([p[0] / (rx * rx), p[1] / (ry * ry)]);
    if k1 < 1e-9 {
        return -rx.min(ry);
    }
    k0 * (k0 - 1.0) / k1
}

/// Exact signed distance to a simple polygon (winding-number sign).
fn sd_polygon(p: [f32; 2], v: &[[f32; 2]]) -> f32 {
    if v.len() < 3 {
        return f32::INFINITY;
    }
    let mut d = dot(sub(p, v[0]), sub(p, v[0]));
    let mut s = 1.0f32;
    let mut j = v.len() - 1;
    for i in 0..v.len() {
        let e = sub(v[j], v[i]);
        let w = sub(p, v[i]);
        let h = (dot(w, e) / dot(e, e).max(1e-12)).clamp(0.0, 1.0);
        let b = sub(w, [e[0] * h, e[1] * h]);
        d = d.min(dot(b, b));
        let c1 = p[1] >= v[i][1];
        let c2 = p[1] < v[j][1];
        let c3 = e[0] * w[1] > e[1] * w[0];
        if (c1 && c2 && c3) || (!c1 && !c2 && !c3) {
            s = -s;
        }
        j = i;
    }
    s * d.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn circle_covers_its_area() {
        let mut c = Canvas::new(40, 40);
        c.draw(&Xf::new(20.0, 20.0, 1.0, 0.0, 1.0), &Shape::Circle { c: [0.0, 0.0], r: 10.0 }, &Paint::flat([1.0; 3]));
        let area: f32 = c.px.iter().map(|p| p[0]).sum();
        let exact = std::f32::consts::PI * 100.0;
        assert!((area - exact).abs() < 3.0, "area {area} vs {exact}");
    }

    #[test]
    fn polygon_sign_is_inside_negative() {
        let sq = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
        assert!(sd_polygon([0.5, 0.5], &sq) < 0.0);
        assert!(sd_polygon([1.5, 0.5], &sq) > 0.0);
    }

    #[test]
    fn xf_round_trips() {
        let xf = Xf::new(10.0, 50.0, 7.0, 0.4, -1.0);
        let p = [0.3, -0.8];
        let q = xf.to_px(p);
        let r = xf.to_local(q[0], q[1]);
        assert!((r[0] - p[0]).abs() < 1e-4 && (r[1] - p[1]).abs() < 1e-4);
    }
}
