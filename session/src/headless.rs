//! A whole session on a simulated clock: scripted answers in, frames and sound out, a report.
//!
//! The live loop ([`Pump`]) is turned once a video frame, as fast as the machine allows; a line that is not
//! synthesised yet holds the clock (a simulated player waits), so a run is the same every time.
//! At each offer of choices the next answer is given after a short pause: a typed one at once,
//! a recording as heard (its sound goes into the track, and it is understood when it ends).

use crate::live::{FromSession, Pump, ToSession};
use crate::picture::{Picture, ShownFrame};
use crate::session::{LineRecord, Session, SessionError, SessionEvent, Turn};
use crate::track::SAMPLE_RATE;
use serde::Serialize;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Takes each frame, the sound under it and the line being heard at the frame's start (for
/// captions: the same timing the report's lines give); an error stops the run (a full disk,
/// Ctrl-C).
pub type Sink<'a> = dyn FnMut(&ShownFrame, &[f32], Option<&LineRecord>) -> Result<(), String> + 'a;

/// One scripted answer.
#[derive(Clone, Debug)]
pub enum Answer {
    /// Typed: a number or words.
    Typed(String),
    /// A recording of the child, 16 kHz mono, with a name for the report.
    Spoken { name: String, samples_16k: Vec<f32> },
}

#[derive(Clone, Debug)]
pub struct HeadlessConfig {
    /// Silence between the offer of choices and the answer, in seconds.
    pub think_secs: f64,
    /// Longest video made (a story that loops forever stops here).
    pub max_secs: f64,
    /// With no answers given at all, take the first choice each time (the default path).
    pub default_path: bool,
}

impl Default for HeadlessConfig {
    fn default() -> Self {
        Self { think_secs: 0.6, max_secs: 30.0 * 60.0, default_path: true }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct EndingReport {
    pub name: String,
    pub beat: String,
    pub at: f64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Timings {
    /// Wall-clock seconds the run took.
    pub wall_secs: f64,
    /// Seconds of video per second of wall clock.
    pub speed: f64,
    /// Mean picture time per frame (generator), milliseconds.
    pub picture_ms_per_frame: f64,
    /// Mean and worst time from queueing a line to its audio being ready, milliseconds.
    pub synth_ms_mean: f64,
    pub synth_ms_max: f64,
    /// Worst and mean offset from a line's first sound to the first frame showing its world
    /// (positive: the picture follows the sound), milliseconds.
    pub picture_offset_ms_max: f64,
    pub picture_offset_ms_mean: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub story: String,
    pub generator: String,
    pub ending: Option<EndingReport>,
    pub turns: Vec<Turn>,
    pub lines: Vec<LineRecord>,
    /// Seconds of video made.
    pub duration_secs: f64,
    /// Seconds of narration in it (sum of line lengths).
    pub narration_secs: f64,
    pub frames: u64,
    pub notices: Vec<String>,
    /// When the picture first drew each line's world (seconds, the line), from the frames.
    pub shown_lines: Vec<(f64, String)>,
    /// Answers given but not used (the story ended first).
    pub answers_left: usize,
    pub timings: Timings,
}

/// Runs `session` to its end (or until the answers run out), handing each frame and the sound
/// under it to `sink`.
pub fn run(
    session: &mut Session,
    picture: &mut Picture,
    answers: Vec<Answer>,
    config: &HeadlessConfig,
    sink: &mut Sink<'_>,
) -> Result<Report, HeadlessError> {
    let started = Instant::now();
    let fps = picture.format().fps.max(1);
    let default_path = answers.is_empty() && config.default_path;
    let mut answers: VecDeque<Answer> = answers.into();
    let mut notices = Vec::new();
    let mut ending = None;
    // (clock time to act, what to do)
    let mut next_answer: Option<(f64, Answer)> = None;
    let mut hearing: Option<(f64, Vec<f32>)> = None;
    // When the world's line changed: (clock seconds, line text).
    let mut said_changes: Vec<(f64, String)> = Vec::new();
    let mut last_said: Option<String> = None;
    let mut picture_ms = 0.0;
    let mut frame = 0u64;
    // The simulated player: the loop turned once a video frame, the story waiting for late sound.
    let mut pump = Pump::new(fps, None);
    let frame_secs = 1.0 / f64::from(fps);
    let mut end_at: Option<f64> = None;
    let mut stop_reason: Option<String> = None;
    loop {
        let pos = frame as f64 / fps as f64;
        if pos > config.max_secs {
            notices.push(format!("stopped at the {:.0} s limit", config.max_secs));
            break;
        }
        if let Some((_, answer)) = next_answer.take_if(|(at, _)| *at <= pos) {
            pump.tick(session, pos, 0.0, Duration::ZERO)?;
            match answer {
                Answer::Typed(text) => {
                    notices.extend(only_notices(pump.answer(session, ToSession::Answer { text, spoken: false })?));
                }
                Answer::Spoken { samples_16k, .. } => {
                    session.play_recording(&samples_16k);
                    let ends = pos + samples_16k.len() as f64 / campfire_voice::audio::WHISPER_SAMPLE_RATE as f64;
                    hearing = Some((ends, samples_16k));
                }
            }
        }
        if let Some((_, samples)) = hearing.take_if(|(ends, _)| *ends <= pos) {
            pump.tick(session, pos, 0.0, Duration::ZERO)?;
            notices.extend(only_notices(pump.answer(session, ToSession::Speech(samples))?));
        }
        for out in pump.tick(session, pos, frame_secs, Duration::from_secs(60))? {
            let FromSession::Event(event) = out else { continue };
            match event {
                SessionEvent::ChoicesOffered { at, .. } => {
                    let answer = if default_path { Some(Answer::Typed("1".into())) } else { answers.pop_front() };
                    match answer {
                        Some(a) => next_answer = Some((at + config.think_secs, a)),
                        None => {
                            stop_reason = Some("the answers ran out at a choice".into());
                            end_at = Some(pos + 1.0);
                        }
                    }
                }
                SessionEvent::Ended { at, name, beat } => {
                    end_at = Some(at);
                    ending = Some(EndingReport { name, beat, at });
                }
                SessionEvent::Notice { text, .. } => notices.push(text),
                _ => {}
            }
        }
        if end_at.is_some_and(|e| pos >= e) {
            break;
        }
        let t = Instant::now();
        let mut shown = picture.frames(session.world(), frame, 1);
        picture_ms += t.elapsed().as_secs_f64() * 1000.0;
        let Some(shown) = shown.pop() else { break };
        if shown.last_said != last_said {
            last_said = shown.last_said.clone();
            if let Some(text) = &last_said {
                said_changes.push((pos, text.clone()));
            }
        }
        let sound = pump.sound(session, (frame + 1) as f64 / fps as f64, 0.0);
        // Lines are placed in clock order, so the one heard now is among the last few.
        let heard = session
            .lines()
            .iter()
            .rev()
            .take_while(|l| l.start + l.duration > pos - 60.0)
            .find(|l| l.start <= pos && pos < l.start + l.duration);
        sink(&shown, &sound, heard).map_err(HeadlessError::Sink)?;
        frame += 1;
    }
    if let Some(r) = stop_reason {
        notices.push(r);
    }
    let duration_secs = frame as f64 / fps as f64;
    let lines = session.lines().to_vec();
    let offsets = picture_offsets(&lines, &said_changes);
    let said_changes = said_changes;
    let wall = started.elapsed().as_secs_f64();
    let synth: Vec<f64> = lines.iter().map(|l| l.synth_ms).collect();
    let timings = Timings {
        wall_secs: wall,
        speed: duration_secs / wall.max(1e-9),
        picture_ms_per_frame: picture_ms / frame.max(1) as f64,
        synth_ms_mean: mean(&synth),
        synth_ms_max: synth.iter().copied().fold(0.0, f64::max),
        picture_offset_ms_max: offsets.iter().copied().map(f64::abs).fold(0.0, f64::max),
        picture_offset_ms_mean: mean(&offsets),
    };
    Ok(Report {
        story: session.runtime().template().id.clone(),
        generator: picture.generator_name().to_string(),
        ending,
        turns: session.turns().to_vec(),
        narration_secs: lines.iter().map(|l| l.duration).sum(),
        lines,
        duration_secs,
        frames: frame,
        notices,
        shown_lines: said_changes,
        answers_left: answers.len() + next_answer.map_or(0, |_| 1),
        timings,
    })
}

/// The notices among an answer's events: a recording not understood is reported, not fatal.
fn only_notices(out: Vec<FromSession>) -> impl Iterator<Item = String> {
    out.into_iter().filter_map(|m| match m {
        FromSession::Event(SessionEvent::Notice { text, .. }) => Some(text),
        _ => None,
    })
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() { 0.0 } else { v.iter().sum::<f64>() / v.len() as f64 }
}

/// For each line, the time from its first sound to the first frame drawn from its world, in ms.
pub fn picture_offsets(lines: &[LineRecord], said_changes: &[(f64, String)]) -> Vec<f64> {
    let mut out = Vec::new();
    let mut from = 0;
    for line in lines {
        // A line's world can only be drawn once its turn is near; repeated lines match in order.
        let found = said_changes[from..].iter().position(|(t, text)| *text == line.text && *t >= line.start - 1.0);
        if let Some(i) = found {
            out.push((said_changes[from + i].0 - line.start) * 1000.0);
            from += i + 1;
        }
    }
    out
}

#[derive(Debug, thiserror::Error)]
pub enum HeadlessError {
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error("{0}")]
    Sink(String),
}

/// The sound rate the sink receives.
pub const SOUND_RATE: u32 = SAMPLE_RATE;
