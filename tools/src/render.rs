//! `campfire render STORY --out clip.gif`: plays a story's default path (the first choice each
//! time) and renders it with the reference generator to an animated GIF and/or PNG frames.
//! `--out FILE.mp4` makes the narrated video instead ([`crate::render_mp4`]).
//! `--generator latent` shows the same frames through the autoencoder instead; `--generator dit`
//! has the video DiT generate them chunk by chunk, continuing its own frames.
//! `--bench` prints how long a frame takes at the training, live and window sizes.

use crate::story_args::StoryArgs;
use anyhow::{Context, bail};
use campfire_generator::{Choice, ChunkRequest, Generator, Weights};
use campfire_render::{Frame, Timeline, VideoFormat, condition_map, render_frame};
use campfire_scene::{Stage, Stamped, TICKS_PER_SECOND};
use campfire_session::gif_writer::{GifWriter, Palette};
use campfire_story::Output;
use indicatif::{ProgressBar, ProgressStyle};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub story: StoryArgs,
    /// The video to write: `FILE.mp4` (narrated, with captions as FILE.vtt) or `FILE.gif`
    /// (the default path's pictures, silent).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Directory to write PNG frames into (frame_00000.png …).
    #[arg(long)]
    pub frames: Option<PathBuf>,
    /// Seconds to render (default: the whole default path plus one second).
    #[arg(long)]
    pub seconds: Option<f32>,
    /// Frame size, WIDTHxHEIGHT (default: the live format's, 640x480).
    #[arg(long, value_parser = parse_size)]
    pub size: Option<(u32, u32)>,
    /// Frames per second (default: the live format's, 12).
    #[arg(long)]
    pub fps: Option<u32>,
    /// Seed of the self-moving details (clouds, grass, stars).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// What draws the frames: `reference` (the procedural renderer, sharp at the output's size:
    /// the default), `dit` (the video DiT, chunk by chunk, drawn at 128x96 and scaled up; the
    /// reference renderer when its weights are missing or bad) or `latent` (the reference
    /// through the autoencoder: the best the DiT can show).
    #[arg(long, default_value_t = Choice::Reference)]
    pub generator: Choice,
    /// The autoencoder of `--generator latent` (config.json + model.safetensors).
    /// Default: the shipped autoencoder.
    #[arg(long)]
    pub ae: Option<PathBuf>,
    /// The DiT of `--generator dit` (config.json + model.safetensors). Default: assets/models/dit.
    #[arg(long)]
    pub dit: Option<PathBuf>,
    /// Print render time per frame at 128x96 and 256x192 over the story's frames.
    #[arg(long)]
    pub bench: bool,
    /// GIF and frames: the reference renderer's frame to the right of each generated one, to
    /// compare a model with its teacher.
    #[arg(long)]
    pub beside_reference: bool,
    /// `--generator dit`, GIF and frames: each chunk is given the reference renderer's frames
    /// before it as context, as `campfire eval dit --anchor` does, instead of continuing the
    /// DiT's own (what play does and `eval dit` measures by default).
    #[arg(long)]
    pub anchor: bool,
    #[command(flatten)]
    pub mp4: crate::render_mp4::Mp4Args,
}

pub fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s.split_once(['x', 'X']).ok_or_else(|| format!("size `{s}` should look like 256x192"))?;
    let w: u32 = w.trim().parse().map_err(|_| format!("width `{w}` is not a number"))?;
    let h: u32 = h.trim().parse().map_err(|_| format!("height `{h}` is not a number"))?;
    if !(8..=2048).contains(&w) || !(8..=2048).contains(&h) {
        return Err(format!("size {w}x{h} is outside 8..=2048 on a side"));
    }
    Ok((w, h))
}

/// The story's default path as an event log, with the stage it starts on and its end tick.
pub fn default_path(story: &StoryArgs) -> anyhow::Result<(Stage, Vec<Stamped>, u64)> {
    let mut rt = story.start()?;
    let stage = rt.state().stage();
    for _ in 0..100_000 {
        match rt.next()? {
            Output::Line(_) => {}
            Output::Choices(choices) => {
                tracing::info!(choice = %choices[0].text, "taking the first choice");
                rt.choose(0)?;
            }
            Output::End(_) => return Ok((stage, rt.log().clone(), rt.now())),
        }
    }
    bail!("story `{}` did not end within 100000 steps on its default path", story.story)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.out.is_none() && args.frames.is_none() && !args.bench {
        bail!("nothing to do: give --out FILE.mp4, --out clip.gif, --frames DIR or --bench");
    }
    // Silently drawing something else than asked would pass for the DiT on its own output.
    let mp4 = args.out.as_deref().is_some_and(crate::render_mp4::is_mp4);
    if args.anchor && (args.generator != Choice::Dit || mp4) {
        bail!(
            "--anchor gives the DiT the renderer's frames before each chunk: give it with --generator dit and --out FILE.gif or --frames DIR"
        );
    }
    if let Some(out) = args.out.clone().filter(|_| mp4) {
        if args.frames.is_some() || args.bench || args.seconds.is_some() {
            bail!("--frames, --bench and --seconds make GIF or PNG previews; an MP4 is the whole narrated story");
        }
        let picture = crate::render_mp4::Picture {
            size: args.size,
            fps: args.fps,
            seed: args.seed,
            generator: args.generator,
            weights: Weights { ae: args.ae, dit: args.dit },
        };
        return crate::render_mp4::run(&args.story, out, picture, &args.mp4);
    }
    if let Some(out) = &args.out
        && !out.extension().is_some_and(|e| e.eq_ignore_ascii_case("gif"))
    {
        bail!("--out {}: render writes FILE.mp4 (narrated) or FILE.gif (silent)", out.display());
    }
    if args.mp4.any() {
        bail!("--choices, --every-ending, --burn-captions and --stats make a narrated video: give --out FILE.mp4");
    }
    let mut format = VideoFormat::LIVE;
    if let Some((w, h)) = args.size {
        format = format.with_size(w, h);
    }
    if let Some(fps) = args.fps {
        format = format.with_fps(fps);
    }
    if !(1..=60).contains(&format.fps) {
        bail!("--fps must be 1..=60, got {}", format.fps);
    }
    let (stage, log, end) = default_path(&args.story)?;
    let story_secs = end as f32 / TICKS_PER_SECOND as f32;
    let seconds = match args.seconds {
        Some(s) if s.is_finite() && s > 0.0 => s,
        Some(s) => bail!("--seconds must be a positive number, got {s}"),
        None => story_secs + 1.0,
    };
    let count = (seconds * format.fps as f32).ceil().max(1.0) as usize;
    let tick_of = |i: usize| format.frame_tick(i as u64);
    eprintln!(
        "{}: default path lasts {story_secs:.1} s; rendering {count} frames ({seconds:.1} s at {} fps)",
        args.story.story, format.fps
    );
    let timeline = Timeline::new(stage, log);

    if args.bench {
        bench(&timeline, count, format, args.seed);
    }
    if args.out.is_none() && args.frames.is_none() {
        return Ok(ExitCode::SUCCESS);
    }

    let (w, h) = (format.width, format.height);
    let weights = Weights { ae: args.ae.clone(), dit: args.dit.clone() };
    let mut dit = match args.generator {
        Choice::Dit => {
            let options = campfire_generator::DitOptions { anchor_to_reference: args.anchor, ..Default::default() };
            campfire_generator::open::open_dit(&weights, options)
        }
        _ => None,
    };
    if let Some(g) = &dit {
        g.check_size(w, h, format.chunk_frames).context("--size")?;
    }
    let latent = match args.generator {
        Choice::Reference | Choice::Dit => None,
        // Bad weights are a warning (the fallback rule), and the preview carries on.
        Choice::Latent => campfire_generator::open::open_latent(&weights),
    };
    if let Some(g) = &latent {
        g.check_size(w, h).context("--size")?;
    }
    if let Some(dir) = &args.frames {
        std::fs::create_dir_all(dir).with_context(|| format!("creating frame directory {}", dir.display()))?;
    }
    let mut gif = match &args.out {
        Some(path) => {
            let palette = Palette::learn(&sample_frames(&timeline, count, &tick_of, w, h, args.seed));
            let width = if args.beside_reference { 2 * w } else { w };
            Some(create_gif(path, width, h, palette, format.fps)?)
        }
        None => None,
    };
    let bar = ProgressBar::new(count as u64);
    bar.set_style(
        ProgressStyle::with_template("{spinner} rendering [{bar:40}] {pos}/{len} frames, {per_sec}, eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let mut playhead = timeline.playhead();
    let mut reference = timeline.playhead();
    let chunk = format.chunk_frames as usize;
    let mut batch = Vec::with_capacity(chunk);
    let mut written = 0;
    let mut made = Vec::new();
    for i in 0..count {
        let t = tick_of(i);
        match dit.as_mut() {
            // The DiT makes whole chunks, each continuing the one before.
            Some(g) => {
                if i % chunk == 0 {
                    let request = ChunkRequest::new((i / chunk) as u64, timeline.clone())
                        .with_format(format)
                        .with_seed(args.seed);
                    made = g.generate(&request).context("generating a chunk with the DiT")?.frames;
                    made.reverse();
                }
                batch.push(made.pop().context("the DiT made a short chunk")?);
            }
            None => batch.push(render_frame(&playhead.at(t).pose_at(t), w, h, args.seed)),
        }
        if batch.len() < chunk && i + 1 < count {
            continue;
        }
        // The autoencoder codes a chunk's frames in one batch, as the live stream does.
        let frames = match &latent {
            Some(g) => g.round_trip(&batch).context("passing frames through the autoencoder")?,
            None => std::mem::take(&mut batch),
        };
        batch.clear();
        for frame in &frames {
            let beside;
            let frame = match args.beside_reference {
                true => {
                    let t = tick_of(written);
                    beside = side_by_side(frame, &render_frame(&reference.at(t).pose_at(t), w, h, args.seed));
                    &beside
                }
                false => frame,
            };
            if let Some(dir) = &args.frames {
                write_png(&dir.join(format!("frame_{written:05}.png")), frame)?;
            }
            if let Some(g) = gif.as_mut() {
                g.push(frame).context("writing GIF frame")?;
            }
            written += 1;
            bar.inc(1);
        }
    }
    bar.finish_and_clear();
    if let (Some(g), Some(path)) = (gif, &args.out) {
        g.finish().context("finishing GIF")?;
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        eprintln!("wrote {} ({count} frames, {:.2} MB)", path.display(), size as f64 / 1e6);
    }
    if let Some(dir) = &args.frames {
        eprintln!("wrote {count} PNG frames to {}", dir.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `left` and `right` (of one size) side by side in one frame.
fn side_by_side(left: &Frame, right: &Frame) -> Frame {
    let row = left.width as usize * 3;
    let rgb = left.rgb.chunks_exact(row).zip(right.rgb.chunks_exact(row)).flat_map(|(a, b)| [a, b].concat()).collect();
    Frame { width: 2 * left.width, height: left.height, rgb }
}

/// Times the renderer (and the conditioning map) on the story's own frames, at the models'
/// size, the live default and the window's opening size.
fn bench(timeline: &Timeline, count: usize, format: VideoFormat, seed: u64) {
    let window = VideoFormat::LIVE.with_size(campfire_game::WINDOW_SIZE.0, campfire_game::WINDOW_SIZE.1);
    for size in [VideoFormat::TRAINING, VideoFormat::LIVE, window] {
        let (w, h) = (size.width, size.height);
        let (cw, ch) = size.latent_size();
        let mut playhead = timeline.playhead();
        let mut times = Vec::with_capacity(count);
        let mut cond = 0.0;
        for i in 0..count {
            let t = format.frame_tick(i as u64);
            let pose = playhead.at(t).pose_at(t);
            let started = Instant::now();
            let frame = render_frame(&pose, w, h, seed);
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(frame);
            let started = Instant::now();
            std::hint::black_box(condition_map(&pose, cw, ch));
            cond += started.elapsed().as_secs_f64() * 1000.0;
        }
        times.sort_by(f64::total_cmp);
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        println!(
            "render {w}x{h}: {mean:.2} ms/frame mean, {:.2} median, {:.2} p95, {:.2} max over {} frames ({:.0} fps); condition map {}x{}: {:.3} ms",
            times[times.len() / 2],
            times[(times.len() * 95 / 100).min(times.len() - 1)],
            times[times.len() - 1],
            times.len(),
            1000.0 / mean,
            cw,
            ch,
            cond / count as f64,
        );
    }
}

fn write_png(path: &Path, frame: &Frame) -> anyhow::Result<()> {
    frame.write_png(path).with_context(|| format!("writing {}", path.display()))
}

/// Frames spread over the clip, to learn its one palette from.
fn sample_frames(
    timeline: &Timeline,
    count: usize,
    tick_of: &dyn Fn(usize) -> f64,
    w: u32,
    h: u32,
    seed: u64,
) -> Vec<Frame> {
    let samples = 16.min(count);
    let mut playhead = timeline.playhead();
    (0..samples)
        .map(|k| {
            let t = tick_of(k * count / samples);
            render_frame(&playhead.at(t).pose_at(t), w, h, seed)
        })
        .collect()
}

/// A GIF at `path` (its folder made if needed), written as frames come.
fn create_gif(path: &Path, w: u32, h: u32, palette: Palette, fps: u32) -> anyhow::Result<GifWriter<BufWriter<File>>> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    GifWriter::new(BufWriter::new(file), w, h, fps, palette)
        .with_context(|| format!("writing GIF header to {}", path.display()))
}
