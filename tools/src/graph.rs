//! `campfire graph STORY --out story.svg`: draws a story's shape: beats as boxes in columns by
//! distance from the start, choices and jumps as labelled arrows, endings in green, beats no
//! path reaches dashed red, beats from which no ending can be reached orange.

use crate::story_args::StoryArgs;
use anyhow::Context;
use campfire_story::Template;
use campfire_story::template::Flow;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub story: StoryArgs,
    /// The SVG file to write.
    #[arg(long, default_value = "story.svg")]
    pub out: PathBuf,
}

/// Where each arrow goes from a beat, with its label; `None` targets are endings.
fn edges(t: &Template, beat: &str) -> Vec<(String, String)> {
    match &t.beats[beat].then {
        Flow::End(name) => vec![(format!("end:{name}"), String::new())],
        flow => flow.targets().into_iter().map(|(to, label)| (to.to_string(), label)).collect(),
    }
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
    let (w, h, gap_x, gap_y) = (170.0, 44.0, 320.0, 80.0);
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
    for b in t.beats.keys() {
        let Some(&(x, y)) = at.get(b) else { continue };
        for (to, label) in edges(t, b) {
            let Some(&(tx, ty)) = at.get(&to) else {
                continue;
            };
            let (x1, y1, x2, y2) = (x + w, y + h / 2.0, tx, ty + h / 2.0);
            let path = if tx > x {
                format!("M{x1},{y1} C{},{y1} {},{y2} {x2},{y2}", x1 + 40.0, x2 - 40.0)
            } else {
                // Back to an earlier column: loop under the boxes.
                let below = y.max(ty) + h + 18.0 + 0.08 * (x - tx);
                format!(
                    "M{},{} C{},{below} {},{below} {},{}",
                    x + w / 2.0,
                    y + h,
                    x + w / 2.0,
                    tx + w / 2.0,
                    tx + w / 2.0,
                    ty + h
                )
            };
            let _ = writeln!(s, r##"<path d="{path}" fill="none" stroke="#555" marker-end="url(#arrow)"/>"##);
            if !label.is_empty() {
                let (lx, ly) = if tx > x {
                    ((x1 + x2) / 2.0, (y1 + y2) / 2.0 - 4.0)
                } else {
                    ((x + tx + w) / 2.0, y.max(ty) + h + 14.0 + 0.06 * (x - tx))
                };
                let _ = writeln!(
                    s,
                    r##"<text x="{lx}" y="{ly}" text-anchor="middle" fill="#246" font-size="11" stroke="white" stroke-width="4" paint-order="stroke">{}</text>"##,
                    escape(&short(&label, 28))
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

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // Parsed, not loaded: the graph is most useful for a story that does not lint clean yet.
    let path = campfire_story::find(&args.story.story)?;
    let text = campfire_story::read_text(&path)?;
    let t = campfire_story::parse(&path.display().to_string(), &text).map_err(|d| anyhow::anyhow!("{d}"))?;
    std::fs::write(&args.out, svg(&t)).with_context(|| format!("cannot write {}", args.out.display()))?;
    println!("Drew {} beats of `{}` in {}", t.beats.len(), t.id, args.out.display());
    Ok(ExitCode::SUCCESS)
}
