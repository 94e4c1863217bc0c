//! A training run's loss curve as a picture: every step's loss (light) and its running mean
//! (dark) against the step, on a log scale, with labelled grid lines.
//!
//! Our own ~150 lines over the renderer's 8×8 font rather than a plotting crate: plotters and
//! its kin bring a font stack to draw one chart, and this one only needs lines and digits.

use crate::loss_log::LOSS_CSV;
use campfire_render::Frame;
use campfire_render::text::stamp;
use std::path::Path;

const WIDTH: usize = 720;
const HEIGHT: usize = 400;
/// The plot area inside the frame: left, top, right, bottom margins in pixels.
const MARGIN: (usize, usize, usize, usize) = (64, 28, 16, 36);
/// Steps in the running mean.
pub const MEAN_OF: usize = 50;

const PAPER: [u8; 3] = [255, 255, 255];
const GRID: [u8; 3] = [225, 225, 232];
const AXIS: [u8; 3] = [60, 60, 70];
const RAW: [u8; 3] = [170, 200, 235];
const MEAN: [u8; 3] = [20, 60, 150];

/// `(step, value)` rows of `column` in a CSV with a header line; rows that do not parse, or whose
/// value is not a positive finite number (no logarithm), are left out.
pub fn read_column(csv: &Path, column: &str) -> std::io::Result<Vec<(f64, f64)>> {
    let text = std::fs::read_to_string(csv)?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    let Some(at) = header.iter().position(|h| *h == column) else {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{}: no column `{column}` in {header:?}", csv.display()),
        ));
    };
    Ok(lines
        .filter_map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            let step = cells.first()?.parse::<f64>().ok()?;
            let value = cells.get(at)?.parse::<f64>().ok()?;
            (value.is_finite() && value > 0.0).then_some((step, value))
        })
        .collect())
}

/// The curve of `points` (`(step, value)`, in step order) titled `title`; an empty curve is a
/// frame with the title and a note.
pub fn plot(points: &[(f64, f64)], title: &str) -> Frame {
    let mut frame = Frame { width: WIDTH as u32, height: HEIGHT as u32, rgb: PAPER.repeat(WIDTH * HEIGHT) };
    stamp(&mut frame, title, MARGIN.0 as i32, 8, AXIS);
    if points.len() < 2 {
        stamp(&mut frame, "(fewer than two steps so far)", MARGIN.0 as i32, (HEIGHT / 2) as i32, AXIS);
        return frame;
    }
    let (x0, x1) = (points[0].0, points[points.len() - 1].0.max(points[0].0 + 1.0));
    let logs: Vec<f64> = points.iter().map(|p| p.1.log10()).collect();
    let (lo, hi) = logs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    let (lo, hi) = (lo.floor().min(hi - 0.3), hi);
    let (left, top, right, bottom) = (MARGIN.0, MARGIN.1, WIDTH - MARGIN.2, HEIGHT - MARGIN.3);
    let px = |step: f64| left as f64 + (step - x0) / (x1 - x0) * (right - left) as f64;
    let py = |log: f64| bottom as f64 - (log - lo) / (hi - lo).max(1e-9) * (bottom - top) as f64;

    // Grid: values 1, 2 and 5 times each power of ten in range, and round numbers of steps.
    for decade in (lo.floor() as i32)..=(hi.ceil() as i32) {
        for m in [1.0, 2.0, 5.0] {
            let v = m * 10f64.powi(decade);
            let y = py(v.log10());
            if y < top as f64 || y > bottom as f64 {
                continue;
            }
            hline(&mut frame, left, right, y as usize, GRID);
            let label = format!("{v}");
            stamp(&mut frame, &label, (left - 4 - 8 * label.len()) as i32, y as i32 - 4, AXIS);
        }
    }
    let every = nice_step((x1 - x0) / 6.0);
    let mut s = (x0 / every).ceil() * every;
    while s <= x1 {
        let x = px(s) as usize;
        vline(&mut frame, x, top, bottom, GRID);
        let label = format!("{s}");
        stamp(&mut frame, &label, x as i32 - 4 * label.len() as i32, (bottom + 6) as i32, AXIS);
        s += every;
    }
    stamp(&mut frame, "step", (right - 32) as i32, (bottom + 20) as i32, AXIS);

    for (p, &l) in points.iter().zip(&logs) {
        put(&mut frame, px(p.0) as usize, py(l) as usize, RAW);
    }
    let mut last: Option<(usize, usize)> = None;
    for (i, p) in points.iter().enumerate() {
        let from = i.saturating_sub(MEAN_OF - 1);
        let mean = points[from..=i].iter().map(|q| q.1).sum::<f64>() / (i + 1 - from) as f64;
        let here = (px(p.0) as usize, py(mean.log10()) as usize);
        if let Some(prev) = last {
            line(&mut frame, prev, here, MEAN);
        }
        last = Some(here);
    }
    vline(&mut frame, left, top, bottom, AXIS);
    hline(&mut frame, left, right, bottom, AXIS);
    frame
}

/// Writes the curve of `column` of `csv` to `png`.
pub fn write(csv: &Path, column: &str, title: &str, png: &Path) -> std::io::Result<()> {
    plot(&read_column(csv, column)?, title).write_png(png)
}

/// A run's loss curve picture, beside its CSV ([`LOSS_CSV`]) in the run's directory.
pub const LOSS_PNG: &str = "loss.png";

/// Redraws the curve of `column` of a run's `out/loss.csv` into `out/loss.png`, titled with
/// `what`. A failure is a warning, not an error: the run goes on without its picture.
pub fn redraw(out: &Path, column: &str, what: &str) {
    let (csv, png) = (out.join(LOSS_CSV), out.join(LOSS_PNG));
    let title = format!("{what} (light: each step; dark: mean of {MEAN_OF})");
    if let Err(e) = write(&csv, column, &title, &png) {
        tracing::warn!("could not draw {}: {e}", png.display());
    }
}

/// Where a finished run in `out` left its model and its curve, after `step` steps.
pub fn summary(out: &Path, step: usize) -> String {
    format!(
        "trained to step {step}; model in {}, loss curve in {} and {}",
        out.display(),
        out.join(LOSS_CSV).display(),
        out.join(LOSS_PNG).display()
    )
}

/// 1, 2 or 5 times a power of ten, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let p = 10f64.powf(raw.max(1.0).log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * p).find(|s| *s >= raw).unwrap_or(10.0 * p)
}

fn put(frame: &mut Frame, x: usize, y: usize, rgb: [u8; 3]) {
    if x < frame.width as usize && y < frame.height as usize {
        let i = (y * frame.width as usize + x) * 3;
        frame.rgb[i..i + 3].copy_from_slice(&rgb);
    }
}

fn hline(frame: &mut Frame, x0: usize, x1: usize, y: usize, rgb: [u8; 3]) {
    (x0..=x1).for_each(|x| put(frame, x, y, rgb));
}

fn vline(frame: &mut Frame, x: usize, y0: usize, y1: usize, rgb: [u8; 3]) {
    (y0..=y1).for_each(|y| put(frame, x, y, rgb));
}

/// A two-pixel-thick segment.
fn line(frame: &mut Frame, (ax, ay): (usize, usize), (bx, by): (usize, usize), rgb: [u8; 3]) {
    let n = ax.abs_diff(bx).max(ay.abs_diff(by)).max(1);
    for k in 0..=n {
        let t = k as f64 / n as f64;
        let x = (ax as f64 + t * (bx as f64 - ax as f64)).round() as usize;
        let y = (ay as f64 + t * (by as f64 - ay as f64)).round() as usize;
        put(frame, x, y, rgb);
        put(frame, x, y + 1, rgb);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(frame: &Frame, rgb: [u8; 3], xs: std::ops::Range<usize>) -> (usize, f64) {
        let w = frame.width as usize;
        let (mut n, mut ysum) = (0, 0.0);
        for y in 0..frame.height as usize {
            for x in xs.clone() {
                if frame.rgb[(y * w + x) * 3..(y * w + x) * 3 + 3] == rgb {
                    n += 1;
                    ysum += y as f64;
                }
            }
        }
        (n, ysum / n.max(1) as f64)
    }

    /// A falling loss read back from a CSV draws a mean line high on the left and low on the
    /// right, over the raw points, with labels in the margins.
    #[test]
    fn a_falling_loss_is_drawn_falling() {
        let dir = tempfile::tempdir().expect("tempdir");
        let csv = dir.path().join("loss.csv");
        let mut text = String::from("step,loss,lr\n");
        for s in 1..=2000 {
            let noise = if s % 2 == 0 { 1.2 } else { 0.8 };
            text.push_str(&format!("{s},{},1e-4\n", noise * (0.2 + 2.0 / (s as f64).sqrt())));
        }
        text.push_str("garbage line\n2001,NaN,1e-4\n");
        std::fs::write(&csv, text).expect("csv");
        let points = read_column(&csv, "loss").expect("read");
        assert_eq!(points.len(), 2000, "the bad lines are left out");
        assert!(read_column(&csv, "nope").is_err());
        let f = plot(&points, "loss");
        let (left, right) = (count(&f, MEAN, 70..200), count(&f, MEAN, 560..700));
        assert!(left.0 > 50 && right.0 > 50, "the mean line spans the plot: {left:?} {right:?}");
        assert!(left.1 + 40.0 < right.1, "it falls from left to right: y {:.0} then {:.0}", left.1, right.1);
        assert!(count(&f, RAW, 70..700).0 > 500, "the raw losses are drawn");
        assert!(count(&f, AXIS, 0..MARGIN.0 - 2).0 > 50, "the value labels are drawn");
        let png = dir.path().join("loss.png");
        write(&csv, "loss", "loss", &png).expect("png");
        assert!(std::fs::read(&png).expect("written").starts_with(b"\x89PNG"));
        // A run of one step is a note, not a panic.
        assert_eq!(plot(&points[..1], "loss").rgb.len(), WIDTH * HEIGHT * 3);
    }
}
