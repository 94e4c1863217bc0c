//! Words on the picture: a title card, a caption along the bottom, and labels with arrows that
//! point at an entity.
//!
//! Glyphs come from `font8x8` (the public-domain 8×8 bitmap font): a renderer that must give the
//! same bytes for a seed on every machine cannot read a system font, and an 8×8 font scaled with
//! area coverage stays readable from a 256-pixel preview up to 1080p. [`layout`] is public so
//! that the conditioning map and tests see exactly the boxes that are drawn.

use super::layout::{Item, figure_box};
use super::raster::{Canvas, Paint, Rgb, Shape, Xf, mix};
use crate::Frame;
use campfire_scene::Pose;
use font8x8::UnicodeFonts;

/// What a text box is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextKind {
    Title,
    Caption,
    Label,
}

/// One block of text as laid out on a frame, in pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct TextBox {
    pub kind: TextKind,
    /// The panel: left, top, right, bottom.
    pub rect: [f32; 4],
    pub lines: Vec<String>,
    /// Size of one font pixel (a glyph is 8 of them square).
    pub px: f32,
    /// For a label: the arrow from the panel to the entity (tail, head).
    pub arrow: Option<([f32; 2], [f32; 2])>,
    /// For a label: the id of the entity it names.
    pub entity: Option<String>,
}

/// Greedy word wrap to at most `cols` characters a line (a longer word is cut).
fn wrap(text: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        while word.chars().count() > cols {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let head: String = word.chars().take(cols).collect();
            word = word.chars().skip(cols).collect();
            lines.push(head);
        }
        let need = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if need > cols && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Lines and font-pixel size for `text` in a box `max_w` wide with at most `max_lines` lines,
/// starting from glyphs `glyph` pixels tall and shrinking until it fits (never below 6 px).
fn fit(text: &str, max_w: f32, max_lines: usize, glyph: f32) -> (Vec<String>, f32) {
    let mut g = glyph;
    loop {
        let cols = (max_w / g).floor().max(1.0) as usize;
        let lines = wrap(text, cols);
        if lines.len() <= max_lines || g <= 6.0 {
            return (lines, g / 8.0);
        }
        g *= 0.88;
    }
}

fn text_size(lines: &[String], px: f32) -> (f32, f32) {
    let cols = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f32;
    (cols * 8.0 * px, lines.len() as f32 * 10.0 * px - 2.0 * px)
}

/// Lays out the title card, the caption and every label of `pose` on a `width`×`height` frame;
/// `items` is the frame's figure layout (labels point at the figures).
pub fn layout(pose: &Pose<'_>, items: &[Item<'_>], width: u32, height: u32) -> Vec<TextBox> {
    let (w, h) = (width as f32, height as f32);
    let mut out = Vec::new();
    for item in items {
        let Some(text) = item.label else { continue };
        let (lines, px) = fit(text, w * 0.4, 2, (h / 20.0).max(7.0));
        let (tw, th) = text_size(&lines, px);
        let pad = 3.0 * px;
        let (bw, bh) = (tw + 2.0 * pad, th + 2.0 * pad);
        let [fx0, fy0, fx1, fy1] = figure_box(item);
        let cx = 0.5 * (fx0 + fx1);
        let gap = (h * 0.07).max(6.0);
        // Above the figure where there is room, else below it (a moon high in the sky).
        let above = fy0 - gap - bh >= 2.0;
        let top = if above { fy0 - gap - bh } else { (fy1 + gap).min(h - bh - 2.0) };
        let left = (cx - 0.5 * bw).clamp(2.0, (w - bw - 2.0).max(2.0));
        let rect = [left, top, left + bw, top + bh];
        let tail = [cx.clamp(rect[0] + pad, rect[2] - pad), if above { rect[3] } else { rect[1] }];
        let head = [cx, if above { fy0 + 0.1 * (fy1 - fy0) } else { fy1 - 0.1 * (fy1 - fy0) }];
        out.push(TextBox {
            kind: TextKind::Label,
            rect,
            lines,
            px,
            arrow: Some((tail, head)),
            entity: Some(item.id.to_string()),
        });
    }
    if let Some(text) = pose.caption {
        out.push(caption_box(text, w, h, false));
    }
    if let Some(text) = pose.title {
        let (lines, px) = fit(text, w * 0.8, 4, (h / 9.0).max(8.0));
        let (_, th) = text_size(&lines, px);
        let bh = (th + 16.0 * px).max(h * 0.45);
        let rect = [w * 0.06, 0.5 * (h - bh), w * 0.94, 0.5 * (h + bh)];
        out.push(TextBox { kind: TextKind::Title, rect, lines, px, arrow: None, entity: None });
    }
    out
}

/// A caption panel the width of the frame, along the bottom or the top.
fn caption_box(text: &str, w: f32, h: f32, top: bool) -> TextBox {
    let (lines, px) = fit(text, w * 0.92, 3, (h / 16.0).max(7.0));
    let (_, th) = text_size(&lines, px);
    let pad = 3.0 * px;
    let bh = th + 2.0 * pad;
    let rect = if top { [0.0, 0.02 * h, w, 0.02 * h + bh] } else { [0.0, h - bh - 0.02 * h, w, h - 0.02 * h] };
    TextBox { kind: TextKind::Caption, rect, lines, px, arrow: None, entity: None }
}

/// Burns `text` into a finished frame as a subtitle panel along the top, in the caption's font
/// and panel: the top, because a story's own caption holds the bottom. Deterministic like the
/// rest of the renderer (no system font), so a burned-in video is the same on every machine.
pub fn burn_subtitle(frame: &mut Frame, text: &str) {
    if text.trim().is_empty() || frame.width == 0 || frame.height == 0 {
        return;
    }
    let (w, h) = (frame.width as usize, frame.height as usize);
    let mut canvas = Canvas::new(w, h);
    // The canvas holds the 8-bit values scaled to 0..1 (`to_rgb8` scales back), so pixels
    // outside the panel come back unchanged.
    for (p, rgb) in canvas.px.iter_mut().zip(frame.rgb.chunks_exact(3)) {
        *p = [f32::from(rgb[0]) / 255.0, f32::from(rgb[1]) / 255.0, f32::from(rgb[2]) / 255.0];
    }
    draw(&mut canvas, &[caption_box(text, w as f32, h as f32, true)]);
    frame.rgb = canvas.to_rgb8();
}

/// A pixel-space frame: local (x, y) are pixels with y down.
fn px_frame() -> Xf {
    Xf::new(0.0, 0.0, 1.0, 0.0, 1.0)
}

fn up(p: [f32; 2]) -> [f32; 2] {
    [p[0], -p[1]]
}

/// Draws the boxes laid out by [`layout`].
pub fn draw(canvas: &mut Canvas, boxes: &[TextBox]) {
    let xf = px_frame();
    for b in boxes {
        let [x0, y0, x1, y1] = b.rect;
        let (panel, ink, border): (Rgb, Rgb, Option<Rgb>) = match b.kind {
            TextKind::Title => ([0.08, 0.1, 0.25], [1.0, 0.95, 0.75], Some([0.95, 0.75, 0.3])),
            TextKind::Caption => ([0.02, 0.02, 0.05], [1.0, 1.0, 1.0], None),
            TextKind::Label => ([1.0, 0.99, 0.93], [0.1, 0.1, 0.16], Some([0.1, 0.1, 0.16])),
        };
        if let Some((tail, head)) = b.arrow {
            arrow(canvas, tail, head, b.px);
        }
        let alpha = if b.kind == TextKind::Caption { 0.68 } else { 0.94 };
        let c = up([0.5 * (x0 + x1), 0.5 * (y0 + y1)]);
        let (hw, hh) = (0.5 * (x1 - x0), 0.5 * (y1 - y0));
        let r = (3.0 * b.px).min(hh);
        if let Some(col) = border {
            let bw = (b.px * 0.8).max(1.0);
            canvas.draw(
                &xf,
                &Shape::RoundRect { c, hw: hw + bw, hh: hh + bw, r: r + bw, angle: 0.0 },
                &Paint::flat(col).emissive(),
            );
        }
        canvas.draw(&xf, &Shape::RoundRect { c, hw, hh, r, angle: 0.0 }, &Paint::flat(panel).emissive().alpha(alpha));
        let (tw, th) = text_size(&b.lines, b.px);
        let mut y = 0.5 * (y0 + y1) - 0.5 * th;
        for line in &b.lines {
            let lw = line.chars().count() as f32 * 8.0 * b.px;
            let x = if b.kind == TextKind::Caption || b.kind == TextKind::Title {
                0.5 * (x0 + x1) - 0.5 * lw
            } else {
                0.5 * (x0 + x1) - 0.5 * tw
            };
            glyphs(canvas, line, x, y, b.px, ink);
            y += 10.0 * b.px;
        }
    }
}

/// An arrow from `tail` to `head` (pixels): a yellow shaft with a dark edge and a head.
fn arrow(canvas: &mut Canvas, tail: [f32; 2], head: [f32; 2], px: f32) {
    let xf = px_frame();
    let d = [head[0] - tail[0], head[1] - tail[1]];
    let len = (d[0] * d[0] + d[1] * d[1]).sqrt();
    if len < 2.0 {
        return;
    }
    let u = [d[0] / len, d[1] / len];
    let n = [-u[1], u[0]];
    let r = (1.2 * px).max(1.0);
    let hl = (5.0 * px).min(0.6 * len).max(3.0);
    let base = [head[0] - u[0] * hl, head[1] - u[1] * hl];
    let tip = [
        [head[0], head[1]],
        [base[0] + n[0] * hl * 0.6, base[1] + n[1] * hl * 0.6],
        [base[0] - n[0] * hl * 0.6, base[1] - n[1] * hl * 0.6],
    ];
    let tip: Vec<[f32; 2]> = tip.iter().map(|p| up(*p)).collect();
    let (yellow, dark) = ([1.0, 0.85, 0.2], [0.1, 0.1, 0.16]);
    canvas.draw(
        &xf,
        &Shape::Capsule { a: up(tail), b: up(base), ra: r + 1.0, rb: r + 1.0 },
        &Paint::flat(dark).emissive(),
    );
    canvas.draw(&xf, &Shape::Poly(&tip), &Paint::solid(yellow, 1.0).emissive());
    canvas.draw(&xf, &Shape::Capsule { a: up(tail), b: up(base), ra: r, rb: r }, &Paint::flat(yellow).emissive());
}

/// The 8x8 bitmap of `ch` (rows top down, bit `c` is column `c`): ASCII, then Latin-1, else `?`.
fn glyph(ch: char) -> [u8; 8] {
    font8x8::BASIC_FONTS
        .get(ch)
        .or_else(|| font8x8::LATIN_FONTS.get(ch))
        .or_else(|| font8x8::BASIC_FONTS.get('?'))
        .unwrap_or([0; 8])
}

/// One line of text in the 8x8 font, unscaled and without a panel, with its top-left at
/// `(x, y)` of a finished frame (chart labels); what falls outside the frame is dropped.
pub fn stamp(frame: &mut Frame, text: &str, x: i32, y: i32, ink: [u8; 3]) {
    let (w, h) = (frame.width as i32, frame.height as i32);
    for (i, ch) in text.chars().enumerate() {
        let bits = glyph(ch);
        for (row, byte) in bits.iter().enumerate() {
            for col in 0..8 {
                let (px, py) = (x + 8 * i as i32 + col, y + row as i32);
                if byte & (1 << col) != 0 && (0..w).contains(&px) && (0..h).contains(&py) {
                    let at = (py * w + px) as usize * 3;
                    frame.rgb[at..at + 3].copy_from_slice(&ink);
                }
            }
        }
    }
}

/// One line of text with its top-left at `(x, y)`, each font pixel `px` wide, anti-aliased by
/// the area each font pixel covers.
fn glyphs(canvas: &mut Canvas, text: &str, x: f32, y: f32, px: f32, ink: Rgb) {
    for (i, ch) in text.chars().enumerate() {
        let bits = glyph(ch);
        let gx = x + i as f32 * 8.0 * px;
        for (row, byte) in bits.iter().enumerate() {
            for col in 0..8 {
                if byte & (1 << col) != 0 {
                    cell(canvas, gx + col as f32 * px, y + row as f32 * px, px, ink);
                }
            }
        }
    }
}

/// Fills the square `[x, x + s) × [y, y + s)` with area coverage at its edges.
fn cell(canvas: &mut Canvas, x: f32, y: f32, s: f32, col: Rgb) {
    let (xa, ya) = (x.floor().max(0.0) as usize, y.floor().max(0.0) as usize);
    let (xb, yb) = (((x + s).ceil().max(0.0) as usize).min(canvas.w), ((y + s).ceil().max(0.0) as usize).min(canvas.h));
    for py in ya..yb {
        let cy = ((py as f32 + 1.0).min(y + s) - (py as f32).max(y)).max(0.0);
        for pxl in xa..xb {
            let cx = ((pxl as f32 + 1.0).min(x + s) - (pxl as f32).max(x)).max(0.0);
            let a = cx * cy;
            if a > 0.0 {
                let p = &mut canvas.px[py * canvas.w + pxl];
                *p = mix(*p, col, a.min(1.0));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_words_whole_and_lines_short() {
        let lines = wrap("the moon goes round the Earth once a month", 12);
        assert!(lines.iter().all(|l| l.chars().count() <= 12), "{lines:?}");
        assert_eq!(lines.join(" "), "the moon goes round the Earth once a month");
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
    }

    #[test]
    fn a_burned_subtitle_changes_only_the_top_panel() {
        let (w, h) = (128u32, 96u32);
        let rgb: Vec<u8> = (0..w * h * 3).map(|i| (i * 7 % 251) as u8).collect();
        let mut frame = Frame { width: w, height: h, rgb: rgb.clone() };
        burn_subtitle(&mut frame, "The moon goes around the Earth.");
        let panel = caption_box("The moon goes around the Earth.", w as f32, h as f32, true);
        let bottom = panel.rect[3].ceil() as usize + 1;
        let row = (w * 3) as usize;
        assert_eq!(frame.rgb[bottom * row..], rgb[bottom * row..], "below the panel nothing changes");
        assert_ne!(frame.rgb[..bottom * row], rgb[..bottom * row], "the panel is drawn");
        let mut blank = Frame { width: w, height: h, rgb: rgb.clone() };
        burn_subtitle(&mut blank, "  ");
        assert_eq!(blank.rgb, rgb, "no text, no panel");
    }
}
