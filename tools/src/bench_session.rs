//! `campfire bench session [--json]`: the live session's figures, on the production path (the
//! narration queue, the real whisper model, the reference generator), with a simulated clock
//! standing in for the speakers so that runs compare.
//!
//! - spoken answer → first frame showing its effect: from the end of the recording, through
//!   transcription and the story step, until the clock (running in real time from the answer,
//!   pumped as the window pumps it) reaches the first frame at or after the session's `Effect`.
//! - key press → first frame: the same with a typed answer.
//! - first narration audio of a beat: from the answer to the first line's audio being ready.
//! - narration/picture offset: from the frames of a headless run.
//! - memory: RSS over a long simulated session (choices rotated, "go back" at each ending).

use campfire_session::headless::{self, Answer, HeadlessConfig};
use campfire_session::picture::{Picture, PictureFormat};
use campfire_session::{LEAD_SECS, Session, SessionConfig, SessionEvent};
use campfire_voice::audio::{WHISPER_SAMPLE_RATE, resample};
use campfire_voice::{Espeak, VoiceSettings};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Timed repetitions of the answer figures (the median is reported).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Simulated minutes of the memory run (0: skip it).
    #[arg(long, default_value_t = 30.0)]
    pub minutes: f64,
    /// The whisper model; default: the one setup converted.
    #[arg(long)]
    pub model: Option<PathBuf>,
}

/// The picture's rate, as play draws it.
const FPS: u32 = campfire_render::VideoFormat::LIVE.fps;

#[derive(Serialize)]
struct Figures {
    spoken_answer_to_frame_ms: f64,
    recognise_ms: f64,
    key_to_frame_ms: f64,
    first_narration_audio_ms: f64,
    picture_offset_ms_max: f64,
    picture_offset_ms_mean: f64,
    memory: Option<Memory>,
    runs: usize,
    generator: String,
}

#[derive(Serialize)]
struct Memory {
    simulated_minutes: f64,
    rss_mb_after_1_min: f64,
    rss_mb_end: f64,
    rss_mb_max_after_1_min: f64,
    growth_mb_after_1_min: f64,
    lines_spoken: usize,
    answers: usize,
    wall_secs: f64,
}

/// The median, NaN (`null` in the JSON) for none.
fn median(v: Vec<f64>) -> f64 {
    campfire_metrics::stats::median(v).unwrap_or(f64::NAN)
}

/// Resident memory in MB, NaN where `/proc` does not say.
fn rss_mb() -> f64 {
    campfire_metrics::memory::rss_mib().unwrap_or(f64::NAN)
}

fn new_session(transcriber: Option<campfire_voice::Transcriber>) -> anyhow::Result<Session> {
    let path = campfire_story::find("demo")?;
    let rt = campfire_story::Runtime::new(campfire_story::Story::load(&path)?.template, Default::default())?;
    let synth = Espeak::new(VoiceSettings::default())?;
    Ok(Session::new(rt, Box::new(synth), transcriber, SessionConfig::default())?)
}

/// Plays on a simulated clock until choices are offered; returns the clock.
fn to_first_choice(session: &mut Session, picture: &mut Picture) -> anyhow::Result<f64> {
    let mut frame = 0u64;
    loop {
        let pos = frame as f64 / FPS as f64;
        session.update(pos, 1.0 / FPS as f64, Duration::from_secs(30))?;
        if session.is_asking() {
            return Ok(pos);
        }
        picture.frames(session.world(), frame, 1);
        let n = campfire_session::track::secs_to_samples(pos + 1.0 / FPS as f64)
            .saturating_sub(campfire_session::track::secs_to_samples(session.audio_pulled()));
        session.pull_audio(n as usize);
        frame += 1;
        anyhow::ensure!(pos < 120.0, "the demo never offered a choice");
    }
}

/// Draws frames from `next` up to the sound's lead ahead of `pos`, as the window asks for them.
fn draw_ahead(session: &mut Session, picture: &mut Picture, next: &mut u64, pos: f64) {
    while *next as f64 / (FPS as f64) <= pos + LEAD_SECS {
        picture.frames(session.world(), *next, 1);
        *next += 1;
    }
}

/// From an answer given at `pos` to the first frame that shows it; `answer` gives it.
/// Returns (latency ms, first line's synthesis ms, recognise ms).
fn answer_latency(spoken: bool, model: Option<PathBuf>) -> anyhow::Result<(f64, f64, f64)> {
    let transcriber = if spoken { Some(crate::found::transcriber(model)?.0) } else { None };
    let mut session = new_session(transcriber)?;
    let mut picture = Picture::reference(PictureFormat::default());
    let mut pos = to_first_choice(&mut session, &mut picture)?;
    let lines_before = session.lines().len();
    let child = VoiceSettings { voice: "en-gb".into(), pitch: 70, speed_wpm: 140, variant: Some("f4".into()) };
    let recording = if spoken {
        let pcm = Espeak::new(child)?.synthesize_pcm("Jump off the rock!")?;
        let samples = resample(&pcm.samples, pcm.sample_rate, WHISPER_SAMPLE_RATE);
        // The clock runs on while the child speaks.
        pos += samples.len() as f64 / WHISPER_SAMPLE_RATE as f64;
        session.update(pos, 0.0, Duration::ZERO)?;
        samples
    } else {
        Vec::new()
    };
    // What the window has drawn when the answer comes: the frames up to LEAD ahead of the
    // clock, from the old world (the answer shows on a later one).
    let mut next_frame = (pos * FPS as f64).floor() as u64;
    draw_ahead(&mut session, &mut picture, &mut next_frame, pos);
    let t0 = Instant::now();
    let heard = if spoken { session.answer_speech(&recording, false)? } else { session.answer_text("2")? };
    let recognise_ms = t0.elapsed().as_secs_f64() * 1000.0;
    anyhow::ensure!(
        heard.iter().any(|e| matches!(
            e,
            SessionEvent::Heard { outcome: campfire_intent::Outcome::Choice { index: 1, .. }, .. }
        )),
        "the answer was not understood as the second choice: {heard:?}"
    );
    // The clock runs on in real time from the answer, as in the window: the session is pumped
    // with no waiting, frames are drawn up to LEAD ahead of the clock, and the answer is on
    // screen when the clock reaches the first frame at or after its `Effect`.
    let pos0 = pos;
    let mut effect_frame: Option<f64> = None;
    let latency = loop {
        let now = pos0 + t0.elapsed().as_secs_f64();
        for e in session.update(now, LEAD_SECS, Duration::ZERO)? {
            if let SessionEvent::Effect { at } = e {
                effect_frame = Some((at * FPS as f64).ceil() / FPS as f64);
            }
        }
        draw_ahead(&mut session, &mut picture, &mut next_frame, now);
        let n = campfire_session::track::secs_to_samples(now + LEAD_SECS)
            .saturating_sub(campfire_session::track::secs_to_samples(session.audio_pulled()));
        session.pull_audio(n as usize);
        if effect_frame.is_some_and(|f| now >= f) {
            break t0.elapsed().as_secs_f64() * 1000.0;
        }
        anyhow::ensure!(now < pos0 + 10.0, "the answer never changed the picture");
        std::thread::sleep(Duration::from_millis(2));
    };
    // The first line of the new beat: how long its sound took to make.
    let mut waited = 0;
    while session.lines().len() == lines_before {
        session.update(pos0 + t0.elapsed().as_secs_f64(), LEAD_SECS, Duration::from_millis(20))?;
        waited += 1;
        anyhow::ensure!(waited < 1000, "the new beat never started");
    }
    let synth_ms = session.lines()[lines_before].synth_ms;
    Ok((latency, synth_ms, recognise_ms))
}

fn memory_run(minutes: f64) -> anyhow::Result<Memory> {
    let started = Instant::now();
    let mut session = new_session(None)?;
    let mut picture = Picture::reference(PictureFormat::default());
    let (mut frame, mut answers, mut pick) = (0u64, 0usize, 0usize);
    let (mut at_1, mut max_after) = (f64::NAN, 0.0f64);
    loop {
        let pos = frame as f64 / FPS as f64;
        if pos >= minutes * 60.0 {
            break;
        }
        for e in session.update(pos, 1.0 / FPS as f64, Duration::from_secs(30))? {
            match e {
                SessionEvent::ChoicesOffered { choices, .. } => {
                    pick += 1;
                    session.answer_text(&(pick % choices.len().max(1) + 1).to_string())?;
                    answers += 1;
                }
                SessionEvent::Ended { .. } => {
                    session.answer_text("go back")?;
                    answers += 1;
                }
                _ => {}
            }
        }
        picture.frames(session.world(), frame, 1);
        let n = campfire_session::track::secs_to_samples(pos + 1.0 / FPS as f64)
            .saturating_sub(campfire_session::track::secs_to_samples(session.audio_pulled()));
        session.pull_audio(n as usize);
        if frame == 60 * FPS as u64 {
            at_1 = rss_mb();
        }
        if frame > 60 * FPS as u64 && frame % (10 * FPS as u64) == 0 {
            max_after = max_after.max(rss_mb());
        }
        frame += 1;
    }
    let end = rss_mb();
    Ok(Memory {
        simulated_minutes: minutes,
        rss_mb_after_1_min: at_1,
        rss_mb_end: end,
        rss_mb_max_after_1_min: max_after.max(end),
        growth_mb_after_1_min: max_after.max(end) - at_1,
        lines_spoken: session.lines().len(),
        answers,
        wall_secs: started.elapsed().as_secs_f64(),
    })
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let runs = args.runs.max(1);
    let (mut spoken, mut recognise, mut keyed, mut first_audio) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let (ms, synth, rec) = answer_latency(true, args.model.clone())?;
        spoken.push(ms);
        recognise.push(rec);
        first_audio.push(synth);
        let (ms, synth, _) = answer_latency(false, None)?;
        keyed.push(ms);
        first_audio.push(synth);
    }
    // The offset of picture and sound, from the frames of a whole headless run.
    let mut session = new_session(None)?;
    let mut picture = Picture::reference(PictureFormat::default());
    let report = headless::run(
        &mut session,
        &mut picture,
        vec![Answer::Typed("1".into())],
        &HeadlessConfig::default(),
        &mut |_, _, _| Ok(()),
    )?;
    let memory = if args.minutes > 0.0 { Some(memory_run(args.minutes)?) } else { None };
    let f = Figures {
        spoken_answer_to_frame_ms: median(spoken),
        recognise_ms: median(recognise),
        key_to_frame_ms: median(keyed),
        first_narration_audio_ms: median(first_audio),
        picture_offset_ms_max: report.timings.picture_offset_ms_max,
        picture_offset_ms_mean: report.timings.picture_offset_ms_mean,
        memory,
        runs,
        generator: picture.generator_name().to_string(),
    };
    if args.json {
        println!("{}", serde_json::to_string(&f)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mark = |ok: bool| if ok { "ok" } else { "OVER TARGET" };
    println!("session benchmark (median of {runs}; simulated clock, {} generator)", f.generator);
    println!(
        "  spoken answer → first frame  {:>8.1} ms  (target ≤ 1500: {}; recognition {:.1} ms)",
        f.spoken_answer_to_frame_ms,
        mark(f.spoken_answer_to_frame_ms <= 1500.0),
        f.recognise_ms
    );
    println!(
        "  key press → first frame      {:>8.1} ms  (target ≤ 300: {})",
        f.key_to_frame_ms,
        mark(f.key_to_frame_ms <= 300.0)
    );
    println!(
        "  first narration audio        {:>8.1} ms  (target ≤ 200: {})",
        f.first_narration_audio_ms,
        mark(f.first_narration_audio_ms <= 200.0)
    );
    println!(
        "  picture after sound, max     {:>8.1} ms  (target ≤ 100: {}; mean {:.1})",
        f.picture_offset_ms_max,
        mark(f.picture_offset_ms_max <= 100.0),
        f.picture_offset_ms_mean
    );
    if let Some(m) = &f.memory {
        println!(
            "  RSS over {:.0} simulated min   {:>8.1} MB growth after minute 1 (target ≤ 50: {}; {:.1} → {:.1} MB, {} lines, {} answers, {:.0} s wall)",
            m.simulated_minutes,
            m.growth_mb_after_1_min,
            mark(m.growth_mb_after_1_min <= 50.0),
            m.rss_mb_after_1_min,
            m.rss_mb_end,
            m.lines_spoken,
            m.answers,
            m.wall_secs
        );
    }
    Ok(ExitCode::SUCCESS)
}
