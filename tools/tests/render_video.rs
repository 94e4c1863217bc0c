//! `campfire render STORY --out FILE.mp4` as a teacher runs it: every shipped story becomes an
//! MP4 whose picture, sound and captions are probed with ffprobe and checked against the story
//! itself; `--every-ending`, `--params`, `--burn-captions` and determinism; and bad input (no
//! ffmpeg, ffmpeg failing mid-way, an unwritable place, a story that fails lint, a story too
//! long, wrong choices, Ctrl-C) fails with a clear message and leaves no file behind.
//!
//! The fast espeak-ng narrator and small frames keep the whole file to a few minutes.

use campfire_story::{Output, Params, Runtime, Story};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output as Run};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
const FPS: f64 = 12.0;

fn campfire_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_campfire"));
    cmd.args(args).current_dir(ROOT);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("campfire runs")
}

fn campfire(args: &[&str]) -> Run {
    campfire_env(args, &[])
}

fn text(o: &Run) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// `campfire render` to an MP4 with the fast narrator at 96x72, drawn by the reference renderer
/// (these tests are about the video file; the DiT's picture has its own).
fn render(story: &str, out: &Path, extra: &[&str]) -> Run {
    let mut args =
        vec!["render", story, "--out", s(out), "--voice", "espeak", "--size", "96x72", "--generator", "reference"];
    args.extend_from_slice(extra);
    campfire(&args)
}

fn files_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir).expect("dir").map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect()
}

/// One value per line from ffprobe.
fn probe(path: &Path, args: &[&str]) -> Vec<String> {
    let out = Command::new("ffprobe")
        .args(["-v", "error"])
        .args(args)
        .args(["-of", "default=noprint_wrappers=1:nokey=1"])
        .arg(path)
        .output()
        .expect("ffprobe (Debian's ffmpeg package)");
    assert!(out.status.success(), "ffprobe {}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

fn probe_f64(path: &Path, args: &[&str]) -> f64 {
    let v = probe(path, args);
    v.first().and_then(|x| x.parse().ok()).unwrap_or_else(|| panic!("ffprobe {args:?} gave {v:?}"))
}

/// The sound track decoded to 16 kHz mono.
fn sound(path: &Path) -> Vec<f32> {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-map", "0:a:0", "-ac", "1", "-ar", "16000", "-f", "s16le", "-"])
        .output()
        .expect("ffmpeg");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout.chunks_exact(2).map(|b| f32::from(i16::from_le_bytes([b[0], b[1]])) / 32768.0).collect()
}

/// Whether each 20 ms window of `samples` (16 kHz) holds sound above -40 dBFS.
fn voiced_windows(samples: &[f32]) -> Vec<bool> {
    samples.chunks(320).map(|w| (w.iter().map(|x| x * x).sum::<f32>() / w.len() as f32).sqrt() > 0.01).collect()
}

#[derive(Debug)]
struct Cue {
    start: f64,
    end: f64,
    text: String,
}

fn parse_time(t: &str) -> f64 {
    let parts: Vec<f64> = t.trim().split(':').map(|p| p.parse().expect("number in a timestamp")).collect();
    assert_eq!(parts.len(), 3, "HH:MM:SS.mmm, got {t}");
    parts[0] * 3600.0 + parts[1] * 60.0 + parts[2]
}

fn cues(vtt: &Path) -> Vec<Cue> {
    let text = std::fs::read_to_string(vtt).unwrap_or_else(|e| panic!("{}: {e}", vtt.display()));
    let mut blocks = text.split("\n\n");
    assert_eq!(blocks.next().map(str::trim), Some("WEBVTT"), "a WebVTT file starts with its signature");
    blocks
        .filter(|b| !b.trim().is_empty())
        .map(|b| {
            let lines: Vec<&str> = b.trim().lines().collect();
            let (from, to) = lines[1].split_once(" --> ").expect("a timing line");
            let text = lines[2..].join(" ").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
            Cue { start: parse_time(from), end: parse_time(to), text }
        })
        .collect()
}

/// The lines of `story`'s default path (first choice each time), as captions show them.
fn default_path_lines(story: &str) -> Vec<String> {
    let story = Story::load(&Path::new(ROOT).join("stories").join(format!("{story}.ron"))).expect("story loads");
    let mut rt = Runtime::new(story.template, Params::new()).expect("runtime");
    let mut lines = Vec::new();
    loop {
        match rt.next().expect("plays") {
            Output::Line(l) => lines.push(match &l.speaker_name {
                Some(who) => format!("{who}: {}", l.text),
                None => l.text.clone(),
            }),
            Output::Choices(_) => rt.choose(0).expect("choice"),
            Output::End(_) => return lines,
        }
    }
}

/// Checks one rendered story against its own text: the video's shape, the frame count, the
/// sound under the captions, and the captions' words.
fn check_video(story: &str, mp4: &Path) {
    let streams = probe(mp4, &["-show_entries", "stream=codec_type,codec_name,width,height"]);
    assert_eq!(streams, ["h264", "video", "96", "72", "aac", "audio"], "{story}: streams");
    let video_secs = probe_f64(mp4, &["-select_streams", "v:0", "-show_entries", "stream=duration"]);
    let frames =
        probe_f64(mp4, &["-select_streams", "v:0", "-count_packets", "-show_entries", "stream=nb_read_packets"]);
    assert!((frames - video_secs * FPS).abs() <= 1.0, "{story}: {frames} frames in {video_secs} s at {FPS} fps");
    let audio_secs = probe_f64(mp4, &["-select_streams", "a:0", "-show_entries", "stream=duration"]);
    assert!((audio_secs - video_secs).abs() < 0.2, "{story}: sound {audio_secs} s, picture {video_secs} s");

    let cues = cues(&mp4.with_extension("vtt"));
    let want = default_path_lines(story);
    let got: Vec<&str> = cues.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(got, want, "{story}: the captions are the narration, line by line");
    for pair in cues.windows(2) {
        assert!(pair[0].start < pair[0].end && pair[0].end <= pair[1].start + 1e-3, "{story}: cues in order: {pair:?}");
    }
    let last_end = cues.last().expect("a story says something").end;
    assert!(video_secs >= last_end, "{story}: the video ({video_secs} s) holds the last line (to {last_end} s)");
    assert!(
        video_secs < last_end + 4.0,
        "{story}: the video ({video_secs} s) ends soon after the narration ({last_end} s)"
    );

    // The sound under each caption is speech, and the narration's sound ends with the last one.
    let voiced = voiced_windows(&sound(mp4));
    let at = |t: f64| ((t * 50.0) as usize).min(voiced.len());
    for c in &cues {
        let span = &voiced[at(c.start)..at(c.end)];
        let share = span.iter().filter(|v| **v).count() as f64 / span.len().max(1) as f64;
        assert!(share > 0.5, "{story}: only {:.0} % of the sound under `{}` is voiced", share * 100.0, c.text);
        // A cue starts where its line is heard: sound within 0.2 s of its start.
        assert!(
            voiced[at(c.start)..at(c.start + 0.2)].iter().any(|v| *v),
            "{story}: silence at the start of `{}`",
            c.text
        );
    }
    // Between lines the narrator is quiet: a caption shifted off its line would fail here.
    for pair in cues.windows(2).filter(|p| p[1].start - p[0].end > 0.2) {
        let gap = &voiced[at(pair[0].end) + 1..at(pair[1].start).saturating_sub(1).max(at(pair[0].end) + 1)];
        let share = gap.iter().filter(|v| **v).count() as f64 / gap.len().max(1) as f64;
        assert!(
            share < 0.2,
            "{story}: {:.0} % voiced between `{}` and `{}`",
            share * 100.0,
            pair[0].text,
            pair[1].text
        );
    }
    let last_sound = voiced.iter().rposition(|v| *v).expect("some sound") as f64 / 50.0;
    assert!(
        (last_sound - last_end).abs() < 0.35,
        "{story}: the sound ends at {last_sound} s, the last caption at {last_end} s"
    );
}

fn shipped_stories() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("stories"))
        .expect("stories/")
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "ron").then(|| p.file_stem().map(|f| f.to_string_lossy().into_owned()))?
        })
        .collect();
    names.sort();
    names
}

/// Renders half of the shipped stories (the test harness runs the two halves side by side).
fn render_and_check(half: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let stories = shipped_stories();
    assert!(stories.len() >= 8, "{stories:?}");
    for story in stories.iter().skip(half).step_by(2) {
        let mp4 = dir.path().join(format!("{story}.mp4"));
        let run = render(story, &mp4, &[]);
        assert!(run.status.success(), "{story}: {}", text(&run));
        assert!(text(&run).contains(&format!("wrote {}", mp4.display())), "{}", text(&run));
        check_video(story, &mp4);
    }
}

#[test]
fn every_shipped_story_renders_to_a_narrated_mp4_first_half() {
    render_and_check(0);
}

#[test]
fn every_shipped_story_renders_to_a_narrated_mp4_second_half() {
    render_and_check(1);
}

/// Every ending of `story`, with the last line said on the first path to it.
fn endings_and_last_lines(story: &str) -> Vec<(String, String)> {
    let story = Story::load(&Path::new(ROOT).join("stories").join(format!("{story}.ron"))).expect("story loads");
    let mut found: Vec<(String, String)> = Vec::new();
    let mut todo = vec![(Runtime::new(story.template, Params::new()).expect("runtime"), String::new(), 0)];
    while let Some((mut rt, mut last, depth)) = todo.pop() {
        loop {
            match rt.next().expect("plays") {
                Output::Line(l) => last = l.text.clone(),
                Output::Choices(c) if depth < 6 => {
                    for choice in c.iter().skip(1) {
                        let mut other = rt.clone();
                        other.choose(choice.index).expect("choice");
                        todo.push((other, last.clone(), depth + 1));
                    }
                    rt.choose(0).expect("choice");
                }
                Output::Choices(_) => break,
                Output::End(e) => {
                    if !found.iter().any(|(name, _)| *name == e.name) {
                        found.push((e.name, last));
                    }
                    break;
                }
            }
        }
    }
    found
}

#[test]
fn every_ending_writes_one_video_per_ending() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("kitten.mp4");
    let run = render("lost-kitten", &out, &["--every-ending", "--fps", "6"]);
    assert!(run.status.success(), "{}", text(&run));
    let endings = endings_and_last_lines("lost-kitten");
    assert!(endings.len() >= 2, "a branching story: {endings:?}");
    let videos: Vec<String> = files_in(dir.path()).into_iter().filter(|f| f.ends_with(".mp4")).collect();
    assert_eq!(videos.len(), endings.len(), "{videos:?} for {endings:?}");
    for v in &videos {
        let mp4 = dir.path().join(v);
        assert!(text(&run).contains(&format!("wrote {}", mp4.display())), "the names are said: {}", text(&run));
        let cues = cues(&mp4.with_extension("vtt"));
        let last = &cues.last().expect("cues").text;
        assert!(
            endings
                .iter()
                .any(|(name, line)| v.contains(&name.to_lowercase().replace(' ', "-")) && last.ends_with(line)),
            "{v} ends with `{last}`, not the last line of its ending: {endings:?}"
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_video_and_captions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("a.mp4"), dir.path().join("b.mp4"));
    for out in [&a, &b] {
        let run = render("demo", out, &["--seed", "7", "--fps", "6"]);
        assert!(run.status.success(), "{}", text(&run));
    }
    let md5 = |p: &Path| {
        let o = Command::new("ffmpeg")
            .args(["-v", "error", "-i"])
            .arg(p)
            .args(["-f", "framemd5", "-"])
            .output()
            .expect("ffmpeg");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert_eq!(md5(&a), md5(&b), "decoded frames and sound");
    assert_eq!(std::fs::read(a.with_extension("vtt")).unwrap(), std::fs::read(b.with_extension("vtt")).unwrap());
}

#[test]
fn params_from_a_file_reach_the_narration_and_unsafe_ones_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let params = dir.path().join("class.ron");
    std::fs::write(&params, r#"{"name": "Room Four", "mascot": "Bolt"}"#).unwrap();
    let out = dir.path().join("moon.mp4");
    let run = render("moon-phases", &out, &["--params", s(&params), "--param", "name=Miss Lee's class", "--fps", "4"]);
    assert!(run.status.success(), "{}", text(&run));
    let words: String = cues(&out.with_extension("vtt")).iter().map(|c| c.text.clone() + "\n").collect();
    assert!(words.contains("Hello, Miss Lee's class!"), "--param wins over the file: {words}");
    assert!(words.contains("Bolt"), "the file's mascot is used: {words}");

    std::fs::write(&params, r#"{"mascot": "kill"}"#).unwrap();
    let bad = dir.path().join("bad.mp4");
    let run = render("moon-phases", &bad, &["--params", s(&params)]);
    assert!(!run.status.success());
    assert!(text(&run).contains("can't be used in a story"), "{}", text(&run));
    std::fs::write(&params, "[1, 2").unwrap();
    let run = render("moon-phases", &bad, &["--params", s(&params)]);
    assert!(!run.status.success());
    assert!(text(&run).contains("class.ron:1:") && text(&run).contains("expected a map"), "{}", text(&run));
    assert!(!bad.exists() && !bad.with_extension("vtt").exists());
}

#[test]
fn a_slower_pace_makes_a_longer_video_and_a_silly_one_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let secs = |pace: &str| {
        let out = dir.path().join(format!("demo-{pace}.mp4"));
        let run = render("demo", &out, &["--pace", pace, "--fps", "4"]);
        assert!(run.status.success(), "{}", text(&run));
        probe_f64(&out, &["-select_streams", "a:0", "-show_entries", "stream=duration"])
    };
    let (normal, slow) = (secs("1"), secs("0.7"));
    // espeak-ng's rate follows the pace; pauses between lines scale too.
    assert!(slow > normal * 1.2, "pace 0.7 gave {slow:.1} s against {normal:.1} s");
    let run = render("demo", &dir.path().join("x.mp4"), &["--pace", "0"]);
    assert!(!run.status.success() && text(&run).contains("--pace must be between"), "{}", text(&run));
}

#[test]
fn burned_captions_are_drawn_at_the_top_only_while_a_line_is_heard() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (plain, burned) = (dir.path().join("plain.mp4"), dir.path().join("burned.mp4"));
    for (out, extra) in [(&plain, &[][..]), (&burned, &["--burn-captions"][..])] {
        let mut args = vec![
            "render",
            "demo",
            "--out",
            s(out),
            "--voice",
            "espeak",
            "--size",
            "128x96",
            "--fps",
            "6",
            "--generator",
            "reference",
        ];
        args.extend_from_slice(extra);
        let run = campfire(&args);
        assert!(run.status.success(), "{}", text(&run));
    }
    let cue = cues(&burned.with_extension("vtt")).into_iter().next().expect("a first line");
    let frame = |p: &Path, t: f64| {
        let o = Command::new("ffmpeg")
            .args(["-v", "error", "-ss", &format!("{t:.3}"), "-i"])
            .arg(p)
            .args(["-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
            .output()
            .expect("ffmpeg");
        assert_eq!(o.stdout.len(), 128 * 96 * 3, "{}", String::from_utf8_lossy(&o.stderr));
        o.stdout
    };
    // Mean difference per channel in rows y0..y1.
    let diff = |a: &[u8], b: &[u8], y0: usize, y1: usize| {
        let (a, b) = (&a[y0 * 384..y1 * 384], &b[y0 * 384..y1 * 384]);
        a.iter().zip(b).map(|(x, y)| f64::from(x.abs_diff(*y))).sum::<f64>() / a.len() as f64
    };
    let mid = 0.5 * (cue.start + cue.end);
    let (p, b) = (frame(&plain, mid), frame(&burned, mid));
    assert!(diff(&p, &b, 0, 16) > 20.0, "the caption panel is at the top: {:.1}", diff(&p, &b, 0, 16));
    assert!(diff(&p, &b, 60, 96) < 3.0, "the rest of the picture is the same: {:.1}", diff(&p, &b, 60, 96));
}

mod bad_input {
    use super::*;

    /// Nothing but what was there before: no video, no captions, no temporary files.
    fn assert_nothing_written(dir: &Path) {
        let left = files_in(dir);
        assert!(left.is_empty(), "left behind: {left:?}");
    }

    #[test]
    fn without_ffmpeg_an_mp4_is_refused_never_a_gif() {
        let dir = tempfile::tempdir().expect("tempdir");
        let run = campfire_env(
            &["render", "demo", "--out", s(&dir.path().join("demo.mp4")), "--voice", "espeak"],
            &[("CAMPFIRE_FFMPEG", "/nonexistent/ffmpeg")],
        );
        assert!(!run.status.success());
        assert!(text(&run).contains("an MP4 needs ffmpeg"), "{}", text(&run));
        assert_nothing_written(dir.path());
    }

    #[test]
    fn ffmpeg_failing_mid_way_is_reported_and_leaves_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fake = dir.path().join("bin");
        std::fs::create_dir(&fake).unwrap();
        let ffmpeg = fake.join("ffmpeg");
        // Answers `-version` like ffmpeg, then takes some frames and dies as a crash would.
        std::fs::write(
            &ffmpeg,
            "#!/bin/sh\n[ \"$1\" = -version ] && exec ffmpeg -version\nhead -c 300000 >/dev/null\necho 'simulated encoder crash' >&2\nexit 3\n",
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&ffmpeg, std::fs::Permissions::from_mode(0o755)).unwrap();
        let out_dir = dir.path().join("out");
        std::fs::create_dir(&out_dir).unwrap();
        let run = campfire_env(
            &["render", "demo", "--out", s(&out_dir.join("demo.mp4")), "--voice", "espeak", "--size", "96x72"],
            &[("CAMPFIRE_FFMPEG", s(&ffmpeg))],
        );
        assert!(!run.status.success());
        assert!(
            text(&run).contains("ffmpeg failed") && text(&run).contains("simulated encoder crash"),
            "{}",
            text(&run)
        );
        assert_nothing_written(&out_dir);
    }

    #[test]
    fn an_unwritable_place_is_a_clear_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let locked = dir.path().join("locked");
        std::fs::create_dir(&locked).unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, "not a folder").unwrap();
        // A folder under a file cannot be made, even by root.
        let run = render("demo", &file.join("demo.mp4"), &[]);
        assert!(!run.status.success());
        assert!(text(&run).contains("cannot create") && text(&run).contains("a-file"), "{}", text(&run));
        let run = render("demo", Path::new("/proc/demo.mp4"), &[]);
        assert!(!run.status.success());
        assert!(text(&run).contains("cannot write"), "{}", text(&run));
    }

    #[test]
    fn a_story_that_fails_lint_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        let story = dir.path().join("broken.ron");
        let demo = std::fs::read_to_string(Path::new(ROOT).join("stories/demo.ron")).unwrap();
        std::fs::write(&story, demo.replacen("start: \"", "start: \"no-such-beat-", 1)).unwrap();
        let out_dir = dir.path().join("out");
        std::fs::create_dir(&out_dir).unwrap();
        let run = render(s(&story), &out_dir.join("broken.mp4"), &[]);
        assert!(!run.status.success());
        assert!(text(&run).contains("broken.ron:"), "the message points into the story: {}", text(&run));
        assert_nothing_written(&out_dir);
    }

    #[test]
    fn a_story_longer_than_the_limit_is_refused_with_the_figure() {
        let dir = tempfile::tempdir().expect("tempdir");
        let run = render("moon-phases", &dir.path().join("moon.mp4"), &["--max-minutes", "0.5"]);
        assert!(!run.status.success());
        let t = text(&run);
        assert!(t.contains("longer than the 0:30 limit") && t.contains("--max-minutes"), "{t}");
        assert_nothing_written(dir.path());
    }

    #[test]
    fn choices_that_are_not_on_offer_are_refused_up_front() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("demo.mp4");
        for (choices, says) in [("9", "is not one of the choices"), ("1,1,1,1,1,1,1,1,1", "more than the path")] {
            let run = render("demo", &out, &["--choices", choices]);
            assert!(!run.status.success());
            assert!(text(&run).contains(says), "--choices {choices}: {}", text(&run));
        }
        let run = render("demo", &out, &["--choices", "1", "--every-ending"]);
        assert!(!run.status.success(), "--choices and --every-ending do not go together");
        let run = campfire(&["render", "demo", "--out", s(&dir.path().join("demo.gif")), "--stats"]);
        assert!(text(&run).contains("give --out FILE.mp4"), "{}", text(&run));
        let run = campfire(&["render", "demo", "--out", s(&dir.path().join("demo.webm"))]);
        assert!(text(&run).contains("FILE.mp4 (narrated) or FILE.gif"), "{}", text(&run));
        assert_nothing_written(dir.path());
    }

    #[test]
    fn ctrl_c_stops_the_render_and_leaves_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        use std::os::unix::process::CommandExt;
        // In a process group of its own, as a terminal runs a command, so that the interrupt
        // reaches the whole group the way Ctrl-C does.
        let mut child = Command::new(env!("CARGO_BIN_EXE_campfire"))
            .args(["render", "moon-phases", "--voice", "espeak", "--size", "256x192", "--out"])
            .arg(dir.path().join("moon.mp4"))
            .current_dir(ROOT)
            .process_group(0)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("campfire starts");
        // Wait until the video is being written, then interrupt as Ctrl-C does.
        let started = std::time::Instant::now();
        while !files_in(dir.path()).iter().any(|f| f.contains(".part.")) {
            assert!(started.elapsed().as_secs() < 120, "the render never started writing");
            assert!(child.try_wait().expect("wait").is_none(), "the render ended before it was interrupted");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
        let status = Command::new("kill").args(["-INT", "--", &format!("-{}", child.id())]).status().expect("kill");
        assert!(status.success());
        let run = child.wait_with_output().expect("campfire ends");
        assert!(!run.status.success());
        assert!(text(&run).contains("interrupted (Ctrl-C)"), "{}", text(&run));
        assert_nothing_written(dir.path());
    }
}
