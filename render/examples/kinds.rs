//! Draws every kind the renderer knows on one labelled sheet, in its usual colours
//! (`Kind::usual_colors`), for looking at: `assets/previews/kinds-gallery.png` by default.
//! `cargo run -p campfire-render --release --example kinds -- [OUT.png] [MODE] [ZOOM]`
//!
//! MODE `gallery` (the default) draws each kind about the same height, big enough to judge;
//! `true-size` draws each at its usual size beside a child, and `held` gives each prop to a
//! child, as stories show them; `color=NAME` draws every kind in that colour (is a red cow
//! red?), and `action=NAME` every kind doing that action. ZOOM (default 1) multiplies the size
//! of each cell.

use campfire_render::{Frame, render_frame, text};
use campfire_scene::*;
use std::path::PathBuf;

const COLUMNS: usize = 8;
/// Size of one cell at zoom 1.
const CELL: (u32, u32) = (200, 150);
/// Height of the name strip under each cell, and of the title strip.
const STRIP: u32 = 16;

/// The colours a kind is drawn in: its usual ones, or `color=NAME`'s colour with its usual accent.
fn colors(kind: Kind, mode: &str) -> (Color, Color) {
    let (color, accent) = kind.usual_colors();
    let asked = mode.strip_prefix("color=").map(|c| c.parse::<Color>().unwrap_or_else(|e| panic!("{e}")));
    (asked.unwrap_or(color), accent)
}

fn add(s: &mut SceneState, id: &str, kind: Kind, look: (Color, Color), size: f32, at: Position, action: Action) {
    let (color, accent) = look;
    let appearance = Appearance { color, accent, size };
    s.apply(&Event::Add { id: id.into(), name: id.into(), kind, appearance }).expect("add");
    s.apply(&Event::Enter { id: id.into(), at }).expect("enter");
    s.apply(&Event::Act { id: id.into(), action }).expect("act");
}

/// Things that belong in the sky are drawn up in it.
fn up_in_the_sky(kind: Kind) -> bool {
    kind.is_celestial() || matches!(kind, Kind::Cloud | Kind::Rain)
}

fn cell(kind: Kind, mode: &str, size: (u32, u32)) -> Frame {
    let mut s = SceneState::new(Stage::default());
    let y = if up_in_the_sky(kind) { 0.3 } else { 0.0 };
    match mode {
        "true-size" => {
            let kid = Kind::Child.usual_colors();
            add(&mut s, "kid", Kind::Child, kid, 1.0, Position::new(-0.55, 0.0, 0.1), Action::Idle);
            add(&mut s, "it", kind, kind.usual_colors(), 1.0, Position::new(0.25, y, 0.1), Action::Idle);
        }
        "held" if kind.is_prop() => {
            let kid = Kind::Child.usual_colors();
            add(&mut s, "kid", Kind::Child, kid, 1.6, Position::new(-0.2, 0.0, 0.1), Action::Hold);
            let (color, accent) = kind.usual_colors();
            let appearance = Appearance { color, accent, size: 1.6 };
            s.apply(&Event::Add { id: "it".into(), name: "it".into(), kind, appearance }).expect("add");
            s.apply(&Event::Hold { holder: "kid".into(), item: "it".into() }).expect("hold");
        }
        "held" => add(&mut s, "it", kind, kind.usual_colors(), 1.0, Position::new(0.0, y, 0.1), Action::Idle),
        _ => {
            // About 55 % of the cell's height whatever the kind's usual size.
            let size = (0.55 / campfire_render::kind_height(kind)).clamp(0.8, 8.0);
            let action = mode.strip_prefix("action=").map(|a| a.parse::<Action>().unwrap_or_else(|e| panic!("{e}")));
            let at = Position::new(0.0, y, 0.1);
            add(&mut s, "it", kind, colors(kind, mode), size, at, action.unwrap_or(Action::Idle));
        }
    }
    render_frame(&s.pose_at(10.0), size.0, size.1, 7)
}

/// Copies `src` into `dst` with its top-left corner at `(x, y)`.
fn blit(dst: &mut Frame, src: &Frame, x: u32, y: u32) {
    for row in 0..src.height {
        let from = (row * src.width * 3) as usize;
        let to = (((y + row) * dst.width + x) * 3) as usize;
        dst.rgb[to..to + (src.width * 3) as usize].copy_from_slice(&src.rgb[from..from + (src.width * 3) as usize]);
    }
}

fn main() {
    let out = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "assets/previews/kinds-gallery.png".into()));
    let mode = std::env::args().nth(2).unwrap_or_else(|| "gallery".into());
    let zoom: u32 = std::env::args().nth(3).and_then(|z| z.parse().ok()).unwrap_or(1).clamp(1, 8);
    let cell_size = (CELL.0 * zoom, CELL.1 * zoom);
    let rows = Kind::ALL.len().div_ceil(COLUMNS) as u32;
    let (w, h) = (cell_size.0 * COLUMNS as u32, STRIP + rows * (cell_size.1 + STRIP));
    let mut sheet = Frame { width: w, height: h, rgb: vec![250; (w * h * 3) as usize] };
    let n = Kind::ALL.len();
    let title = match (mode.strip_prefix("color="), mode.strip_prefix("action=")) {
        (Some(c), _) => format!("The {n} kinds Campfire draws, in {c}"),
        (_, Some(a)) => format!("The {n} kinds Campfire draws, doing `{a}`"),
        _ => format!("The {n} kinds Campfire draws, in their usual colours"),
    };
    text::stamp(&mut sheet, &title, 6, 4, [40, 40, 60]);
    for (i, &kind) in Kind::ALL.iter().enumerate() {
        let (col, row) = ((i % COLUMNS) as u32, (i / COLUMNS) as u32);
        let (x, y) = (col * cell_size.0, STRIP + row * (cell_size.1 + STRIP));
        blit(&mut sheet, &cell(kind, &mode, cell_size), x, y);
        let name = kind.name().replace('_', " ");
        let tx = x as i32 + (cell_size.0 as i32 - 8 * name.len() as i32) / 2;
        text::stamp(&mut sheet, &name, tx, (y + cell_size.1 + 4) as i32, [30, 30, 40]);
    }
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    }
    sheet.write_png(&out).unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
    println!("{} kinds on {} ({w}x{h})", Kind::ALL.len(), out.display());
}
