//! `campfire render STORY --out FILE.mp4`: the narrated video of one path through a story (or
//! of every ending with `--every-ending`), with its captions as `FILE.vtt` beside it.
//!
//! The video is the headless session's (`campfire_session::record`): the same clock, narration
//! and MP4 writer as `campfire play --headless`. What this adds is for people who make videos of
//! stories (teachers): the path planned and checked before anything is written (answers that
//! are not choices, a story too long for the limit), captions, a progress bar, and the cost.

use crate::record::{Narrator, Recorded, record_story, write_whole};
use crate::story_args::StoryArgs;
use anyhow::{Context, bail};
use campfire_generator::{Choice, Weights};
use campfire_render::VideoFormat;
use campfire_scene::TICKS_PER_SECOND;
use campfire_session::captions;
use campfire_session::headless::Answer;
use campfire_session::record::Recording;
use campfire_story::Output;
use campfire_story::explore::paths;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `campfire render`'s options for narrated videos.
#[derive(clap::Args)]
pub struct Mp4Args {
    /// MP4: the answers at the choice points, numbers or words: `--choices 1,2` (default: the
    /// first choice each time).
    #[arg(long, value_delimiter = ',', conflicts_with = "every_ending")]
    pub choices: Vec<String>,
    /// MP4: one video for each ending of the story, FILE-ENDING.mp4.
    #[arg(long)]
    pub every_ending: bool,
    /// MP4: draw the captions on the picture too (they are always written as FILE.vtt).
    #[arg(long)]
    pub burn_captions: bool,
    /// MP4: print the wall-clock seconds it took per minute of video.
    #[arg(long)]
    pub stats: bool,
    /// MP4: refuse a story whose narration would make a longer video than this.
    #[arg(long, default_value_t = 15.0)]
    pub max_minutes: f64,
    /// MP4: the narrator's pace relative to the story's (0.8: a little slower, for a young class).
    #[arg(long, default_value_t = 1.0)]
    pub pace: f32,
    /// MP4: the narrator: `neural` (espeak-ng when its files are missing), `espeak` or `system`.
    #[arg(long, default_value_t = campfire_voice::Backend::Neural)]
    pub voice: campfire_voice::Backend,
}

impl Mp4Args {
    /// Whether any option asks for a narrated video.
    pub fn any(&self) -> bool {
        !self.choices.is_empty() || self.every_ending || self.burn_captions || self.stats
    }
}

/// How `campfire render`'s picture options draw the video.
pub(crate) struct Picture {
    /// Frame size (default: the live format's).
    pub size: Option<(u32, u32)>,
    /// Frames per second (default: the live format's).
    pub fps: Option<u32>,
    pub seed: u64,
    pub generator: Choice,
    pub weights: Weights,
}

/// Whether `out` names an MP4 (which `render` makes narrated, never as a GIF).
pub(crate) fn is_mp4(out: &Path) -> bool {
    out.extension().is_some_and(|e| e.eq_ignore_ascii_case("mp4"))
}

/// One video to make: the answers that take the story down its path, known before recording.
struct Plan {
    out: PathBuf,
    answers: Vec<String>,
    ending: String,
    /// The path's length by the story's own estimate of its narration.
    secs: f64,
}

/// Renders `story` to the narrated video `out` (one per ending with `--every-ending`).
pub(crate) fn run(story: &StoryArgs, out: PathBuf, picture: Picture, args: &Mp4Args) -> anyhow::Result<ExitCode> {
    if !(args.max_minutes.is_finite() && args.max_minutes > 0.0) {
        bail!("--max-minutes must be a positive number, got {}", args.max_minutes);
    }
    if !(0.25..=4.0).contains(&args.pace) {
        bail!("--pace must be between 0.25 and 4 (1 is the story's own pace), got {}", args.pace);
    }
    let fps = picture.fps.unwrap_or(VideoFormat::LIVE.fps);
    if !(1..=60).contains(&fps) {
        bail!("--fps must be 1..=60, got {fps}");
    }
    let size = picture.size.unwrap_or((VideoFormat::LIVE.width, VideoFormat::LIVE.height));
    // Loading lints the story and screens its texts: one that fails is refused here, before
    // anything is written.
    story.load()?;
    let mut plans = if args.every_ending { every_ending(story, &out)? } else { vec![plan(story, &args.choices, out)?] };
    for p in &mut plans {
        p.secs /= f64::from(args.pace);
    }
    let limit = args.max_minutes * 60.0;
    for p in &plans {
        if p.secs > limit {
            bail!(
                "{} would make a {} video (the story's own estimate of its narration to the ending `{}`), longer than the {} limit; give --max-minutes {} to render it anyway",
                story.story,
                minutes(p.secs),
                p.ending,
                minutes(limit),
                (p.secs / 60.0).ceil()
            );
        }
    }
    let mut total = (0.0, 0.0);
    for p in plans {
        let (video_secs, wall_secs) = render_one(story, &picture, args, p, (size, fps), limit)?;
        total = (total.0 + video_secs, total.1 + wall_secs);
    }
    if args.stats && args.every_ending && total.0 > 0.0 {
        println!("stats, all endings: {}", stats(total.0, total.1));
    }
    Ok(ExitCode::SUCCESS)
}

fn minutes(secs: f64) -> String {
    let s = secs.round() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

fn stats(video_secs: f64, wall_secs: f64) -> String {
    format!(
        "{:.1} s wall clock per minute of video ({video_secs:.1} s of video made in {wall_secs:.1} s)",
        wall_secs / video_secs * 60.0
    )
}

/// Walks the story with `choices` (numbers or words, as a child would type them; none: the
/// first choice each time) the way the session will, so that a wrong answer or a story too
/// long is found before anything is written.
fn plan(story: &StoryArgs, choices: &[String], out: PathBuf) -> anyhow::Result<Plan> {
    let mut rt = story.start()?;
    let mut given = choices.iter();
    let mut answers = Vec::new();
    for _ in 0..100_000 {
        match rt.next()? {
            Output::Line(_) => {}
            Output::Choices(offered) => {
                let answer = match given.next() {
                    Some(a) => a.trim().to_string(),
                    None if choices.is_empty() => "1".to_string(),
                    None => bail!(
                        "--choices ran out at the choice point in beat `{}`: give one answer for each (`campfire paths {}` lists the paths)",
                        rt.beat_id(),
                        story.story
                    ),
                };
                match campfire_session::answer::interpret(&answer, &rt).understanding.outcome {
                    campfire_intent::Outcome::Choice { index, .. } => rt.choose(index)?,
                    _ => bail!(
                        "--choices: `{answer}` is not one of the choices in beat `{}`: {}",
                        rt.beat_id(),
                        offered
                            .iter()
                            .enumerate()
                            .map(|(i, c)| format!("{}. {}", i + 1, c.text))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }
                answers.push(answer);
            }
            Output::End(end) => {
                let left = given.count();
                if left > 0 {
                    bail!("--choices has {left} answer(s) more than the path to the ending `{}` asks for", end.name);
                }
                let secs = rt.now() as f64 / TICKS_PER_SECOND as f64;
                return Ok(Plan { out, answers, ending: end.name, secs });
            }
        }
    }
    bail!("story `{}` did not end within 100000 steps on this path", story.story)
}

/// One plan per ending (the first path to it, in order of choices), each to `FILE-ENDING.mp4`.
fn every_ending(story: &StoryArgs, out: &Path) -> anyhow::Result<Vec<Plan>> {
    let paths = paths(story.start()?, 1000)?;
    let stem = out.file_stem().map_or_else(|| "story".into(), |s| s.to_string_lossy().into_owned());
    let mut plans: Vec<Plan> = Vec::new();
    for p in paths.into_iter().filter(|p| !p.looped) {
        if plans.iter().any(|q| q.ending == p.ending) {
            continue;
        }
        let mut name = format!("{stem}-{}", slug(&p.ending));
        // Two endings whose names differ only in punctuation still get two files.
        while plans.iter().any(|q| q.out.file_stem().is_some_and(|s| s.to_string_lossy() == name)) {
            name.push('_');
        }
        plans.push(Plan {
            out: out.with_file_name(format!("{name}.mp4")),
            answers: p.choices.iter().map(usize::to_string).collect(),
            ending: p.ending,
            secs: f64::from(p.secs),
        });
    }
    if plans.is_empty() {
        bail!("story `{}` has no path that reaches an ending (every path loops)", story.story);
    }
    Ok(plans)
}

/// An ending's name as a file-name part: lower case letters, digits and dashes.
fn slug(name: &str) -> String {
    let s: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let s = s.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    if s.is_empty() { "ending".into() } else { s }
}

/// Records one plan at `size` and `fps`; returns (seconds of video, wall-clock seconds).
fn render_one(
    story: &StoryArgs,
    picture: &Picture,
    args: &Mp4Args,
    plan: Plan,
    (size, fps): ((u32, u32), u32),
    limit: f64,
) -> anyhow::Result<(f64, f64)> {
    let expected = (plan.secs * f64::from(fps)).ceil().max(1.0) as u64;
    let bar = ProgressBar::new(expected);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{bar:32}] {elapsed} done, about {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(plan.out.display().to_string());
    // The whole cost, the encoder's finishing and the captions included.
    let started = std::time::Instant::now();
    let fps_f = f64::from(fps);
    let Recorded { title, report, written } = record_story(
        story,
        Narrator { voice: args.voice, pace: args.pace, ears: None },
        Recording {
            out: plan.out.clone(),
            size,
            fps,
            seed: picture.seed,
            generator: picture.generator,
            weights: picture.weights.clone(),
            answers: plan.answers.iter().map(|a| Answer::Typed(a.clone())).collect(),
            mp4_only: true,
            burn_captions: args.burn_captions,
            // The estimate can be short of the real narration; a story that runs on anyway is
            // cut with a notice rather than left to fill the disk.
            max_secs: limit * 1.5,
        },
        &mut |secs| {
            let frames = (secs * fps_f).round() as u64;
            // The story's estimate is only an estimate: the bar grows rather than overflows.
            if frames >= bar.length().unwrap_or(0) {
                bar.set_length(frames + fps_f as u64);
            }
            bar.set_position(frames);
        },
    )
    .inspect_err(|_| bar.abandon())?;
    bar.finish_and_clear();
    let vtt = written.video.with_extension("vtt");
    write_whole(&vtt, captions::vtt(&report.lines).as_bytes())
        .with_context(|| format!("the video {} is written, but not its captions", written.video.display()))?;
    let wall_secs = started.elapsed().as_secs_f64();
    for n in &report.notices {
        eprintln!("notice: {n}");
    }
    let ending = report.ending.as_ref().map_or("stopped before an ending", |e| e.name.as_str());
    println!(
        "{title}: wrote {} ({:.1} s, {}x{} at {fps} fps, {} frames, ending `{ending}`) and its captions {}",
        written.video.display(),
        report.duration_secs,
        size.0,
        size.1,
        report.frames,
        vtt.display()
    );
    if args.stats && report.duration_secs > 0.0 {
        println!("stats: {}", stats(report.duration_secs, wall_secs));
    }
    Ok((report.duration_secs, wall_secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ending_names_become_file_name_parts() {
        assert_eq!(slug("Home, safe & sound!"), "home-safe-sound");
        assert_eq!(slug("???"), "ending");
    }
}
