//! The window as a family sees it: `campfire play` under Xvfb (Mesa's software Vulkan), with
//! screenshots through Bevy's screenshot API, checked for a moving picture, the subtitle panel
//! and the choice buttons.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Shot {
    path: PathBuf,
    width: usize,
    height: usize,
    rgb: Vec<u8>,
}

fn load(path: &Path) -> Shot {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let rgb = buf[..info.buffer_size()].chunks_exact(channels).flat_map(|p| [p[0], p[1], p[2]]).collect();
    Shot { path: path.into(), width: info.width as usize, height: info.height as usize, rgb }
}

impl Shot {
    /// Pixels within `tol` of `color` in rows `rows` (fractions of the height).
    fn count(&self, color: [u8; 3], tol: u8, rows: std::ops::Range<f32>) -> usize {
        let (r0, r1) = ((rows.start * self.height as f32) as usize, (rows.end * self.height as f32) as usize);
        (r0..r1)
            .flat_map(|y| (0..self.width).map(move |x| (y * self.width + x) * 3))
            .filter(|&i| (0..3).all(|c| self.rgb[i + c].abs_diff(color[c]) <= tol))
            .count()
    }

    /// Mean absolute difference with another shot over the middle band (the picture).
    fn diff_middle(&self, other: &Shot) -> f64 {
        let (r0, r1) = (self.height * 3 / 10, self.height * 6 / 10);
        let range = r0 * self.width * 3..r1 * self.width * 3;
        let n = range.len() as f64;
        self.rgb[range.clone()].iter().zip(&other.rgb[range]).map(|(a, b)| f64::from(a.abs_diff(*b))).sum::<f64>() / n
    }
}

/// sRGB bytes of the game's colours (`subtitles::PANEL`, `story_ui::BUTTON`).
const PANEL: [u8; 3] = [26, 18, 38];
const BUTTON: [u8; 3] = [51, 89, 153];

#[test]
fn the_window_draws_a_moving_picture_subtitles_and_choices() {
    let dir = tempfile::tempdir().unwrap();
    let shots = dir.path().join("shots");
    let run = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x800x24", env!("CARGO_BIN_EXE_campfire"), "play", "demo"])
        .args(["--screenshots", shots.to_str().unwrap(), "--screenshot-every", "2", "--quit-after", "45"])
        .args([
            "--autostart",
            "1",
            "--auto-answer",
            "4",
            "--save-dir",
            dir.path().join("saves").to_str().unwrap(),
            "--no-mic",
            // Squeezed to 1x1 and minimised for 3 s in the middle of the story.
            "--squeeze-at",
            "14",
        ])
        .env("RUST_LOG", "campfire_game=info")
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("xvfb-run runs (scripts/setup installs it)");
    let log = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success(), "{log}");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&shots).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    let names: Vec<String> = paths.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert!(names.iter().any(|n| n.ends_with("-title.png")), "{names:?}\n{log}");
    let playing: Vec<Shot> =
        paths.iter().filter(|p| p.to_string_lossy().ends_with("-playing.png")).map(|p| load(p)).collect();
    assert!(playing.len() >= 4, "{names:?}\n{log}");
    // The squeeze came and went without a panic, and the story played on at full size after it.
    let restored = log.find("the window is restored").unwrap_or_else(|| panic!("never restored:\n{log}"));
    let after = log[restored..].matches("-playing.png").count();
    assert!(after >= 2, "{after} screenshots of the story after the window came back:\n{log}");
    let full = (playing[0].width, playing[0].height);
    assert!(playing.iter().all(|s| (s.width, s.height) == full), "shots of different sizes: {names:?}");

    // The picture moves: some two consecutive shots of the story differ in the middle.
    let most = playing.windows(2).map(|w| w[0].diff_middle(&w[1])).fold(0.0, f64::max);
    assert!(most > 2.0, "the picture never changed between shots (largest mean difference {most:.2})");

    // The subtitle panel is drawn at the top of some shot, with white words in it.
    let with_subtitle = playing.iter().find(|s| s.count(PANEL, 3, 0.0..0.25) > 5_000);
    let Some(sub) = with_subtitle else { panic!("no shot shows the subtitle panel: {names:?}") };
    assert!(sub.count([255, 255, 255], 40, 0.0..0.25) > 100, "no words on the panel in {}", sub.path.display());

    // Choices: big buttons at the bottom of some shot.
    assert!(
        playing.iter().any(|s| s.count(BUTTON, 3, 0.6..1.0) > 5_000),
        "no shot shows the choice buttons: {names:?}"
    );
}
