//! A story's shape as an SVG picture (`campfire graph`): beats as boxes in columns by distance
//! from the start, choices and jumps as labelled arrows, endings in green, beats no path reaches
//! dashed red, beats from which no ending can be reached orange. It reads the template alone, so
//! it draws stories that do not lint clean yet (that is when it helps most).

use crate::template::{Flow, Template};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;

/// Where each arrow goes from a beat, with its label; `None` targets are endings.
fn edges(t: &Template, beat: &str) -> Vec<(String, String)> {
    match &t.beats[beat].then {
        Flow::End(name) => vec![(format!("end:{name}"), String::new())],
        flow => flow.targets().into_iter().map(|(to, label)| (to.to_string(), label)).collect(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Rect {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

impl Rect {
    fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
}

/// An arrow label's box, centred on the point of the arrow at `t` (a cubic Bézier).
fn label_at(curve: &[(f32, f32); 4], text: &str, t: f32) -> Rect {
    let u = 1.0 - t;
    let weights = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
    let (cx, cy) = curve.iter().zip(weights).fold((0.0, 0.0), |(x, y), (p, k)| (x + p.0 * k, y + p.1 * k));
    // 11 px sans-serif averages about 6.2 px a character; 4 px of white halo each side.
    let w = text.chars().count() as f32 * 6.2 + 8.0;
    Rect { x: cx - w / 2.0, y: cy - 12.0, w, h: 15.0 }
}

/// Where along its arrow a label overlaps no box and no label placed before it: arrows from
/// one beat start together and crossing arrows share midpoints, so the middle alone collides.
fn place_label(curve: &[(f32, f32); 4], text: &str, boxes: &[Rect], labels: &[Rect]) -> Rect {
    // From the middle of the arrow outwards (0.5, 0.55, 0.45, …); on it, then above or below.
    const ALONG: [f32; 17] =
        [0.5, 0.55, 0.45, 0.6, 0.4, 0.65, 0.35, 0.7, 0.3, 0.75, 0.25, 0.8, 0.2, 0.85, 0.15, 0.9, 0.1];
    let spots = [0.0, -15.0, 15.0, -30.0, 30.0].into_iter().flat_map(|dy| {
        ALONG.iter().map(move |&t| Rect { y: label_at(curve, text, t).y + dy, ..label_at(curve, text, t) })
    });
    let free = |r: &Rect| !boxes.iter().chain(labels).any(|o| r.overlaps(o));
    let crowd = |r: &Rect| boxes.iter().chain(labels).filter(|o| r.overlaps(o)).count();
    // Nowhere free: the spot that touches the fewest others.
    spots.clone().find(free).or_else(|| spots.min_by_key(crowd)).unwrap_or(label_at(curve, text, 0.5))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { s.chars().take(n - 1).collect::<String>() + "…" }
}

/// The SVG text of a template's graph.
pub fn svg(t: &Template) -> String {
    // Columns: breadth-first distance from the start; endings one column after their beat.
    let mut column: BTreeMap<String, usize> = BTreeMap::new();
    let mut queue = VecDeque::from([(t.start.clone(), 0)]);
    while let Some((b, d)) = queue.pop_front() {
        if column.contains_key(&b) || !(t.beats.contains_key(&b) || b.starts_with("end:")) {
            continue;
        }
        column.insert(b.clone(), d);
        if t.beats.contains_key(&b) {
            for (to, _) in edges(t, &b) {
                queue.push_back((to, d + 1));
            }
        }
    }
    let reached: BTreeSet<String> = column.keys().cloned().collect();
    let last = column.values().copied().max().unwrap_or(0);
    for b in t.beats.keys().filter(|b| !reached.contains(*b)) {
        column.insert(b.clone(), last + 1);
    }
    // Beats from which no ending can be reached along arrows. A `Return` goes on after its
    // `Call`, whose own arrow to that beat is checked there.
    let returns = t.beats.iter().filter(|(_, b)| matches!(b.then, Flow::Return)).map(|(id, _)| id.clone());
    let mut can_end: BTreeSet<String> =
        column.keys().filter(|k| k.starts_with("end:")).cloned().chain(returns).collect();
    loop {
        let more: Vec<String> = t
            .beats
            .keys()
            .filter(|b| !can_end.contains(*b) && edges(t, b).iter().any(|(to, _)| can_end.contains(to)))
            .cloned()
            .collect();
        if more.is_empty() {
            break;
        }
        can_end.extend(more);
    }
    // Columns wide enough for the longest label (28 characters) between two boxes.
    let (w, h, gap_y) = (170.0, 44.0, 80.0);
    let gap_x = w + 28.0 * 6.2 + 8.0 + 24.0;
    let mut rows: BTreeMap<usize, usize> = BTreeMap::new();
    let mut at: BTreeMap<String, (f32, f32)> = BTreeMap::new();
    for (node, col) in &column {
        let row = rows.entry(*col).or_default();
        at.insert(node.clone(), (30.0 + *col as f32 * gap_x, 60.0 + *row as f32 * gap_y));
        *row += 1;
    }
    let width = 60.0 + (column.values().copied().max().unwrap_or(0) as f32 + 1.0) * gap_x;
    let height = 100.0 + rows.values().copied().max().unwrap_or(1) as f32 * gap_y;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        s,
        r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>"##
    );
    let _ = writeln!(
        s,
        r##"<rect width="100%" height="100%" fill="white"/><text x="30" y="30" font-size="16" font-weight="bold">{}</text>"##,
        escape(&t.title)
    );
    let boxes: Vec<Rect> = at.values().map(|&(x, y)| Rect { x, y, w, h }).collect();
    let mut labels: Vec<Rect> = Vec::new();
    for b in t.beats.keys() {
        let Some(&(x, y)) = at.get(b) else { continue };
        for (to, label) in edges(t, b) {
            let Some(&(tx, ty)) = at.get(&to) else {
                continue;
            };
            let curve = if tx > x {
                let (x1, y1, x2, y2) = (x + w, y + h / 2.0, tx, ty + h / 2.0);
                [(x1, y1), (x1 + 40.0, y1), (x2 - 40.0, y2), (x2, y2)]
            } else {
                // Back to an earlier column: loop under the boxes.
                let below = y.max(ty) + h + 18.0 + 0.08 * (x - tx);
                [(x + w / 2.0, y + h), (x + w / 2.0, below), (tx + w / 2.0, below), (tx + w / 2.0, ty + h)]
            };
            let [p0, p1, p2, p3] = curve;
            let _ = writeln!(
                s,
                r##"<path d="M{},{} C{},{} {},{} {},{}" fill="none" stroke="#555" marker-end="url(#arrow)"/>"##,
                p0.0, p0.1, p1.0, p1.1, p2.0, p2.1, p3.0, p3.1
            );
            if !label.is_empty() {
                let text = short(&label, 28);
                let rect = place_label(&curve, &text, &boxes, &labels);
                labels.push(rect);
                let _ = writeln!(
                    s,
                    r##"<text x="{}" y="{}" text-anchor="middle" fill="#246" font-size="11" stroke="white" stroke-width="4" paint-order="stroke">{}</text>"##,
                    rect.x + rect.w / 2.0,
                    rect.y + rect.h - 3.0,
                    escape(&text)
                );
            }
        }
    }
    for (node, &(x, y)) in &at {
        let (fill, stroke, dash, name, note) = if let Some(end) = node.strip_prefix("end:") {
            ("#d9f2d9", "#2a7a2a", "", format!("End: {end}"), "")
        } else if !reached.contains(node) {
            ("#fff", "#c0392b", r#" stroke-dasharray="6 4""#, node.clone(), "unreachable")
        } else if !can_end.contains(node) {
            ("#fde2c4", "#d35400", "", node.clone(), "no way to an end")
        } else if *node == t.start {
            ("#dde8f8", "#2c5aa0", "", node.clone(), "start")
        } else {
            ("#f4f4f4", "#333", "", node.clone(), "")
        };
        let _ = writeln!(
            s,
            r#"<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="8" fill="{fill}" stroke="{stroke}" stroke-width="1.5"{dash}/>"#
        );
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle" font-weight="bold">{}</text>"#,
            x + w / 2.0,
            y + 20.0,
            escape(&short(&name, 24))
        );
        if !note.is_empty() {
            let _ = writeln!(
                s,
                r#"<text x="{}" y="{}" text-anchor="middle" font-size="10" fill="{stroke}">{note}</text>"#,
                x + w / 2.0,
                y + 35.0
            );
        }
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The boxes and labels drawn, read back from the SVG text.
    fn drawn(svg: &str) -> (Vec<Rect>, Vec<(Rect, String)>) {
        let attr = |line: &str, name: &str| -> f32 {
            let from = line.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            line[from..from + line[from..].find('"').unwrap()].parse().unwrap()
        };
        let mut boxes = Vec::new();
        let mut labels = Vec::new();
        for line in svg.lines() {
            if line.starts_with("<rect x=") {
                boxes.push(Rect {
                    x: attr(line, "x"),
                    y: attr(line, "y"),
                    w: attr(line, "width"),
                    h: attr(line, "height"),
                });
            } else if line.starts_with("<text") && line.contains("font-size=\"11\"") {
                let text = line[line.find('>').unwrap() + 1..line.rfind("</text>").unwrap()]
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&amp;", "&");
                let w = text.chars().count() as f32 * 6.2 + 8.0;
                let r = Rect { x: attr(line, "x") - w / 2.0, y: attr(line, "y") + 3.0 - 15.0, w, h: 15.0 };
                labels.push((r, text.to_string()));
            }
        }
        (boxes, labels)
    }

    #[test]
    fn arrow_labels_overlap_no_box_and_no_other_label_in_any_shipped_story() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../stories");
        let mut stories = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "ron") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let t = crate::parse(&path.display().to_string(), &text).unwrap();
            let (boxes, labels) = drawn(&svg(&t));
            assert!(!labels.is_empty(), "{}: no labels read back", path.display());
            for (i, (a, text)) in labels.iter().enumerate() {
                for b in &boxes {
                    assert!(!a.overlaps(b), "{}: label {text:?} covers a box", path.display());
                }
                for (b, other) in &labels[i + 1..] {
                    assert!(!a.overlaps(b), "{}: labels {text:?} and {other:?} overlap", path.display());
                }
            }
            stories += 1;
        }
        assert!(stories >= 6, "{stories} stories");
    }
}
