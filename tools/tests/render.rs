//! `campfire render` as a user runs it: the GIF plays the story's frames, PNG frames are
//! written, `--generator latent` shows the story through the autoencoder (or the reference
//! renderer, with a warning, when its weights are bad), and bad arguments fail with a clear
//! message.

use campfire_models::autoencoder::metrics::psnr_u8;
use campfire_render::{Timeline, render_frame};
use campfire_scene::{Stage, Stamped};
use campfire_story::{Output, Runtime, Story};
use std::process::Command;

fn campfire(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_campfire"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("campfire runs")
}

/// The demo story played by its first choices, as `campfire render` plays it.
fn demo_default_path() -> (Stage, Vec<Stamped>) {
    let story = Story::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../stories/demo.ron")))
        .expect("demo story loads");
    let mut rt = Runtime::new(story.template, Default::default()).expect("runtime");
    let stage = rt.state().stage();
    loop {
        match rt.next().expect("plays") {
            Output::Line(_) => {}
            Output::Choices(_) => rt.choose(0).expect("choice"),
            Output::End(_) => break,
        }
    }
    (stage, rt.log().clone())
}

/// Decodes an animated GIF into full RGB frames, applying sub-rectangles and transparency.
fn decode(path: &std::path::Path) -> Vec<Vec<u8>> {
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::RGBA);
    let mut dec = opts.read_info(std::fs::File::open(path).expect("gif exists")).expect("gif header");
    let (w, h) = (dec.width() as usize, dec.height() as usize);
    let mut canvas = vec![0u8; w * h * 3];
    let mut frames = Vec::new();
    while let Some(f) = dec.read_next_frame().expect("gif frame") {
        for y in 0..f.height as usize {
            for x in 0..f.width as usize {
                let p = &f.buffer[(y * f.width as usize + x) * 4..][..4];
                if p[3] > 0 {
                    let i = ((y + f.top as usize) * w + x + f.left as usize) * 3;
                    canvas[i..i + 3].copy_from_slice(&p[..3]);
                }
            }
        }
        frames.push(canvas.clone());
    }
    frames
}

#[test]
fn the_gif_shows_the_story_frames() {
    let dir = tempfile::tempdir().expect("tempdir");
    let gif = dir.path().join("clip.gif");
    let gif_arg = gif.to_str().expect("utf8");
    let out = campfire(&[
        "render",
        "demo",
        "--out",
        gif_arg,
        "--seconds",
        "3",
        "--size",
        "96x72",
        "--generator",
        "reference",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let frames = decode(&gif);
    assert_eq!(frames.len(), 36, "3 s at 12 fps");

    // The same frames, rendered directly from the story's default path.
    let (stage, log) = demo_default_path();
    let timeline = Timeline::new(stage, log);
    let mut timeline = timeline.playhead();
    for (i, got) in frames.iter().enumerate() {
        let t = i as f64 * 2.0;
        let want = render_frame(&timeline.at(t).pose_at(t), 96, 72, 0);
        let err = got.iter().zip(&want.rgb).map(|(a, b)| a.abs_diff(*b) as f64).sum::<f64>() / got.len() as f64;
        assert!(err < 6.0, "frame {i} differs from the rendered frame by {err:.2} per channel");
    }
}

#[test]
fn png_frames_are_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let frames = dir.path().join("frames");
    let out =
        campfire(&["render", "demo", "--frames", frames.to_str().expect("utf8"), "--seconds", "1", "--size", "64x48"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let n = std::fs::read_dir(&frames).expect("dir").count();
    assert_eq!(n, 12);
    let png =
        png::Decoder::new(std::io::BufReader::new(std::fs::File::open(frames.join("frame_00000.png")).expect("png")));
    let info = png.read_info().expect("png header");
    assert_eq!((info.info().width, info.info().height), (64, 48));
}

#[test]
fn by_default_the_frames_are_the_reference_renderers_at_640x480() {
    let dir = tempfile::tempdir().expect("tempdir");
    let frames = dir.path().join("frames");
    // No --size, no --generator: what a newcomer gets.
    let out = campfire(&["render", "demo", "--frames", frames.to_str().expect("utf8"), "--seconds", "0.5"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (stage, log) = demo_default_path();
    let timeline = Timeline::new(stage, log);
    let mut timeline = timeline.playhead();
    for i in 0..6 {
        let path = frames.join(format!("frame_{i:05}.png"));
        let t = i as f64 * 2.0;
        let want = render_frame(&timeline.at(t).pose_at(t), 640, 480, 0);
        // PNG is lossless: the very pixels the renderer drew at the output's size.
        assert!(read_png(&path) == want.rgb, "frame {i} is not the reference renderer's 640x480 frame");
    }
}

#[test]
fn bad_arguments_fail_clearly() {
    let out = campfire(&["render", "demo", "--out", "x.gif", "--size", "12by9"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("should look like 256x192"));
    let out = campfire(&["render", "demo"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to do"));
    // Anchoring the DiT means nothing to the renderer: refused, not ignored.
    let out = campfire(&["render", "demo", "--frames", "x", "--generator", "reference", "--anchor"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--anchor"));
    let out = campfire(&["render", "no-such-story", "--bench"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-story"));
}

fn read_png(path: &std::path::Path) -> Vec<u8> {
    let png = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).expect("png")));
    let mut reader = png.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("png size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    buf.truncate(info.buffer_size());
    buf
}

/// The demo's first second at 128x96 (the autoencoder's own size), as the reference draws it.
fn demo_reference_frames(n: usize) -> Vec<Vec<u8>> {
    let (stage, log) = demo_default_path();
    let timeline = Timeline::new(stage, log);
    let mut timeline = timeline.playhead();
    (0..n).map(|i| i as f64 * 2.0).map(|t| render_frame(&timeline.at(t).pose_at(t), 128, 96, 0).rgb).collect()
}

/// The autoencoder that ships in `assets/`.
fn shipped_ae() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/models/ae")
}

fn render_latent(ae: &std::path::Path, frames: &std::path::Path) -> std::process::Output {
    let args = [
        "render",
        "demo",
        "--generator",
        "latent",
        "--ae",
        ae.to_str().expect("utf8"),
        "--frames",
        frames.to_str().expect("utf8"),
        "--seconds",
        "1",
        "--size",
        "128x96",
    ];
    campfire(&args)
}

#[test]
fn latent_preview_shows_the_story_through_the_shipped_autoencoder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = render_latent(&shipped_ae(), dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let want = demo_reference_frames(12);
    for (i, want) in want.iter().enumerate() {
        let got = read_png(&dir.path().join(format!("frame_{i:05}.png")));
        let db = psnr_u8(want, &got);
        // Close to the reference, but not it: the frames went through the latents.
        assert!(db > 24.0 && db < 60.0, "frame {i}: {db:.2} dB from the reference");
    }
}

#[test]
fn corrupt_autoencoder_weights_fall_back_to_the_reference_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ae = dir.path().join("ae");
    std::fs::create_dir(&ae).expect("ae dir");
    std::fs::copy(shipped_ae().join("config.json"), ae.join("config.json")).expect("config");
    std::fs::write(ae.join("model.safetensors"), b"not a safetensors file").expect("weights");
    let frames = dir.path().join("frames");
    let out = render_latent(&ae, &frames);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("model.safetensors") && stderr.contains("falling back to the reference renderer"),
        "{stderr}"
    );
    for (i, want) in demo_reference_frames(12).iter().enumerate() {
        assert_eq!(&read_png(&frames.join(format!("frame_{i:05}.png"))), want, "frame {i} is not the reference frame");
    }

    let out = campfire(&[
        "render",
        "demo",
        "--generator",
        "latent",
        "--frames",
        frames.to_str().expect("utf8"),
        "--size",
        "100x75",
    ]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("divisible by 8"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
