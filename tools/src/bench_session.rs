//! `campfire bench session [--json]`: the live session's figures on the product's own path.
//!
//! The answers are timed through [`Live`], the loop the window and the terminal run: its session
//! and picture threads on a wall clock, the picture drawn by `--generator` at the live format
//! throughout, the narrator `--voice`, whisper on the session thread. This command stands in for
//! the UI and for the child: at each offer of choices it "speaks" a choice (espeak-ng at a child's
//! pitch, in real time: the clock runs on while the child talks), finds where voice activity
//! detection ends the utterance, hands the utterance over as the window does, and times each
//! stage from there:
//! - end of speech → detected: audio time the listener needs after the child stops;
//! - answer → heard: recognition, matching and the story step (the `Heard` event arrives);
//! - answer → first narration heard: the next line starts on the clock;
//! - answer → first frame showing it: a frame at or after the answer's `Effect` reaches the UI.
//!
//! Key presses are timed the same way. Then, as before, the narration/picture offset from the
//! frames of a headless run, and RSS over a long simulated session (the loop turned as fast as
//! the machine allows, choices rotated, "go back" at each ending).

use campfire_generator::{Choice, Weights};
use campfire_intent::Outcome;
use campfire_metrics::stats::percentile;
use campfire_session::headless::{self, Answer, HeadlessConfig};
use campfire_session::live::{ClockKind, FromSession, Live, LiveConfig, Pump, Start, ToSession};
use campfire_session::picture::{Picture, PictureFormat};
use campfire_session::{Session, SessionConfig, SessionEvent};
use campfire_voice::audio::{WHISPER_SAMPLE_RATE, resample};
use campfire_voice::listen::{Heard, Listener, Trigger};
use campfire_voice::vad::VadConfig;
use campfire_voice::{Backend, Espeak, Synthesize, Voice, VoiceSettings};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Spoken answers timed (p50 and p90 are reported).
    #[arg(long, default_value_t = 20)]
    pub answers: usize,
    /// Key presses timed.
    #[arg(long, default_value_t = 10)]
    pub keys: usize,
    /// What draws the picture while the answers are timed (default: what `play` draws).
    #[arg(long, default_value_t = Choice::Reference)]
    pub generator: Choice,
    /// The narrator (default: what `play` speaks with).
    #[arg(long, default_value_t = Backend::Neural)]
    pub voice: Backend,
    /// Simulated minutes of the memory run (0: skip it).
    #[arg(long, default_value_t = 30.0)]
    pub minutes: f64,
    /// The whisper model; default: the one setup converted.
    #[arg(long)]
    pub model: Option<PathBuf>,
}

/// The picture's rate, as play draws it.
const FPS: u32 = campfire_render::VideoFormat::LIVE.fps;

/// p50 and p90 of one stage, milliseconds (null where nothing was measured).
#[derive(Serialize)]
struct Stage {
    p50: Option<f64>,
    p90: Option<f64>,
    n: usize,
}

impl Stage {
    fn of(v: &[f64]) -> Stage {
        let mut sorted = v.to_vec();
        sorted.sort_by(f64::total_cmp);
        Stage { p50: percentile(&sorted, 0.5), p90: percentile(&sorted, 0.9), n: v.len() }
    }
}

#[derive(Serialize)]
struct Figures {
    generator: String,
    narrator: String,
    spoken_answers: usize,
    understood: usize,
    end_of_speech_detected_ms: Stage,
    spoken_answer_to_heard_ms: Stage,
    spoken_answer_to_narration_ms: Stage,
    spoken_answer_to_frame_ms: Stage,
    key_to_frame_ms: Stage,
    frames_made: u64,
    frames_dropped: u64,
    picture_ms_per_frame: f64,
    picture_offset_ms_max: f64,
    picture_offset_ms_mean: f64,
    memory: Option<Memory>,
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

/// A child saying `text`: espeak-ng at a child's pitch, 16 kHz.
fn child_says(text: &str) -> anyhow::Result<Vec<f32>> {
    let child = VoiceSettings { voice: "en-gb".into(), pitch: 70, speed_wpm: 140, variant: Some("f4".into()) };
    let pcm = Espeak::new(child)?.synthesize_pcm(text)?;
    Ok(resample(&pcm.samples, pcm.sample_rate, WHISPER_SAMPLE_RATE))
}

/// The utterance the listener hands over for `speech` followed by silence, and how much of the
/// silence it needed to decide the child had stopped (ms of audio).
fn listen(speech: &[f32]) -> Option<(Vec<f32>, f64)> {
    let mut listener = Listener::new(Trigger::HandsFree, WHISPER_SAMPLE_RATE, VadConfig::default());
    // The microphone's 10 ms chunks.
    let chunk = WHISPER_SAMPLE_RATE as usize / 100;
    for part in speech.chunks(chunk) {
        if let Some(Heard::Speech { samples, .. }) = listener.feed(part).into_iter().next() {
            return Some((samples, 0.0));
        }
    }
    let silence = vec![0.0f32; chunk];
    for i in 1..=300 {
        if let Some(Heard::Speech { samples, .. }) = listener.feed(&silence).into_iter().next() {
            return Some((samples, i as f64 * 10.0));
        }
    }
    None
}

/// What one answer is being timed for.
struct Pending {
    sent: Instant,
    spoken: bool,
    heard: Option<f64>,
    narration: Option<f64>,
    effect_frame: Option<u64>,
}

#[derive(Default)]
struct Timed {
    detected: Vec<f64>,
    heard: Vec<f64>,
    narration: Vec<f64>,
    spoken_frame: Vec<f64>,
    key_frame: Vec<f64>,
    spoken: usize,
    understood: usize,
    keys: usize,
}

/// The live session, answered as a child and a UI would, until `answers` spoken answers and
/// `keys` key presses are timed.
fn live_answers(args: &Args) -> anyhow::Result<(Timed, Arc<campfire_session::live::LiveStats>, String)> {
    let story = Arc::new(campfire_story::Story::load(&campfire_story::find("demo")?)?);
    let model = args.model.clone().unwrap_or_else(campfire_voice::transcribe::default_model_path);
    anyhow::ensure!(model.is_file(), "no whisper model at {} (run scripts/setup)", model.display());
    let (choice, weights) = (args.generator, Weights::default());
    let backend = args.voice;
    let narrator = Voice::open(backend, VoiceSettings::default())?.backend().to_string();
    let config = LiveConfig {
        clock: ClockKind::Wall,
        picture: Some(PictureFormat::default()),
        generator: Arc::new(move || campfire_generator::open::open(choice, &weights)),
        synth: Arc::new(move || {
            Voice::open(backend, VoiceSettings::default())
                .map(|v| Box::new(v) as Box<dyn Synthesize>)
                .map_err(|e| e.to_string())
        }),
        whisper: Some(model),
        ..LiveConfig::default()
    };
    let live = Live::start(Start::New { story, params: Default::default() }, config)?;
    let mut timed = Timed::default();
    let mut pending: Option<Pending> = None;
    let mut generator = String::new();
    let mut asking: Option<Vec<String>> = None;
    let started = Instant::now();
    let budget = Duration::from_secs(60 * (args.answers + args.keys).max(1) as u64);
    while timed.spoken < args.answers || timed.keys < args.keys {
        anyhow::ensure!(started.elapsed() < budget, "the session stopped answering ({:?} so far)", timed.spoken);
        while let Ok(msg) = live.from_session.try_recv() {
            let event = match msg {
                FromSession::Event(e) => e,
                FromSession::Failed(why) => anyhow::bail!("the session failed: {why}"),
                _ => continue,
            };
            let now = |p: &Pending| p.sent.elapsed().as_secs_f64() * 1000.0;
            match event {
                SessionEvent::ChoicesOffered { choices, .. } => asking = Some(choices),
                SessionEvent::Heard { outcome, .. } => {
                    if let Some(p) = pending.as_mut() {
                        p.heard = Some(now(p));
                        if p.spoken && matches!(outcome, Outcome::Choice { .. }) {
                            timed.understood += 1;
                        }
                        if !matches!(outcome, Outcome::Choice { .. }) {
                            // Not understood: a re-prompt, not a frame; the next offer is answered.
                            pending = None;
                        }
                    }
                }
                SessionEvent::Effect { at } => {
                    if let Some(p) = pending.as_mut() {
                        p.effect_frame = Some((at * f64::from(FPS)).ceil() as u64);
                    }
                }
                SessionEvent::LineStarted { .. } => {
                    if let Some(p) = pending.as_mut().filter(|p| p.narration.is_none() && p.heard.is_some()) {
                        p.narration = Some(now(p));
                    }
                }
                SessionEvent::Ended { .. } => {
                    let _ = live.to_session.try_send(ToSession::Answer { text: "go back".into(), spoken: false });
                }
                _ => {}
            }
        }
        while let Ok(frame) = live.frames.try_recv() {
            generator.clone_from(&frame.generator);
            let done = pending.as_ref().is_some_and(|p| p.effect_frame.is_some_and(|f| frame.index >= f));
            if let Some(p) = pending.take_if(|_| done) {
                let ms = p.sent.elapsed().as_secs_f64() * 1000.0;
                if p.spoken {
                    timed.heard.extend(p.heard);
                    timed.narration.extend(p.narration);
                    timed.spoken_frame.push(ms);
                } else {
                    timed.key_frame.push(ms);
                }
            }
        }
        if pending.is_none()
            && let Some(choices) = asking.take()
        {
            let pick = (timed.spoken + timed.keys) % choices.len().max(1);
            if timed.keys < args.keys {
                timed.keys += 1;
                let _ = live.to_session.try_send(ToSession::Answer { text: (pick + 1).to_string(), spoken: false });
                pending = Some(Pending {
                    sent: Instant::now(),
                    spoken: false,
                    heard: None,
                    narration: None,
                    effect_frame: None,
                });
            } else {
                let speech = child_says(&choices[pick])?;
                // The child talks in real time: the story and the picture go on meanwhile.
                std::thread::sleep(Duration::from_secs_f64(speech.len() as f64 / f64::from(WHISPER_SAMPLE_RATE)));
                let Some((utterance, detect_ms)) = listen(&speech) else {
                    anyhow::bail!("the listener heard no speech in {:?}", choices[pick]);
                };
                std::thread::sleep(Duration::from_secs_f64(detect_ms / 1000.0));
                timed.detected.push(detect_ms);
                timed.spoken += 1;
                let _ = live.to_session.try_send(ToSession::Speech(utterance));
                pending = Some(Pending {
                    sent: Instant::now(),
                    spoken: true,
                    heard: None,
                    narration: None,
                    effect_frame: None,
                });
            }
        }
        std::thread::sleep(Duration::from_millis(4));
    }
    let stats = live.stats.clone();
    live.join();
    Ok((timed, stats, format!("{generator} / {narrator}")))
}

fn memory_run(minutes: f64) -> anyhow::Result<Memory> {
    let started = Instant::now();
    let mut session = new_session(None)?;
    let mut picture = Picture::reference(PictureFormat::default());
    let mut pump = Pump::new(FPS, None);
    let (mut frame, mut answers, mut pick) = (0u64, 0usize, 0usize);
    let (mut at_1, mut max_after) = (f64::NAN, 0.0f64);
    loop {
        let pos = frame as f64 / FPS as f64;
        if pos >= minutes * 60.0 {
            break;
        }
        for out in pump.tick(&mut session, pos, 1.0 / FPS as f64, Duration::from_secs(30))? {
            let FromSession::Event(e) = out else { continue };
            match e {
                SessionEvent::ChoicesOffered { choices, .. } => {
                    pick += 1;
                    let text = (pick % choices.len().max(1) + 1).to_string();
                    pump.answer(&mut session, ToSession::Answer { text, spoken: false })?;
                    answers += 1;
                }
                SessionEvent::Ended { .. } => {
                    pump.answer(&mut session, ToSession::Answer { text: "go back".into(), spoken: false })?;
                    answers += 1;
                }
                _ => {}
            }
        }
        picture.frames(session.world(), frame, 1);
        pump.sound(&mut session, pos, 1.0 / FPS as f64);
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
    let (timed, stats, path) = live_answers(&args)?;
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
    let (generator, narrator) =
        path.split_once(" / ").map_or((path.clone(), String::new()), |(g, n)| (g.into(), n.into()));
    let f = Figures {
        generator,
        narrator,
        spoken_answers: timed.spoken,
        understood: timed.understood,
        end_of_speech_detected_ms: Stage::of(&timed.detected),
        spoken_answer_to_heard_ms: Stage::of(&timed.heard),
        spoken_answer_to_narration_ms: Stage::of(&timed.narration),
        spoken_answer_to_frame_ms: Stage::of(&timed.spoken_frame),
        key_to_frame_ms: Stage::of(&timed.key_frame),
        frames_made: stats.frames_made.load(std::sync::atomic::Ordering::Relaxed),
        frames_dropped: stats.frames_dropped.load(std::sync::atomic::Ordering::Relaxed),
        picture_ms_per_frame: stats.mean_gen_ms(),
        picture_offset_ms_max: report.timings.picture_offset_ms_max,
        picture_offset_ms_mean: report.timings.picture_offset_ms_mean,
        memory,
    };
    if args.json {
        println!("{}", serde_json::to_string(&f)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "session benchmark: the live loop on a wall clock, picture {} drawing throughout, narrator {}",
        f.generator, f.narrator
    );
    println!(
        "  {} spoken answers, {} understood as a choice; {} key presses",
        f.spoken_answers, f.understood, f.key_to_frame_ms.n
    );
    let row = |name: &str, s: &Stage, target: &str| {
        let ms = |v: Option<f64>| v.map_or("     -".to_string(), |v| format!("{v:6.0}"));
        println!("  {name:<34} p50 {} ms  p90 {} ms  (n {}; {target})", ms(s.p50), ms(s.p90), s.n);
    };
    row("end of speech → detected", &f.end_of_speech_detected_ms, "target ≤ 300");
    row("spoken answer → heard", &f.spoken_answer_to_heard_ms, "recognition, matching, story step");
    row("spoken answer → narration heard", &f.spoken_answer_to_narration_ms, "the next line starts");
    row("spoken answer → first frame", &f.spoken_answer_to_frame_ms, "target p50 ≤ 1000, p90 ≤ 1500");
    row("key press → first frame", &f.key_to_frame_ms, "target p50 ≤ 200");
    println!(
        "  picture: {} frames made, {} dropped, {:.1} ms a frame",
        f.frames_made, f.frames_dropped, f.picture_ms_per_frame
    );
    println!(
        "  picture after sound (headless run): max {:.1} ms, mean {:.1} ms (target ≤ 100)",
        f.picture_offset_ms_max, f.picture_offset_ms_mean
    );
    if let Some(m) = &f.memory {
        println!(
            "  RSS over {:.0} simulated min: {:.1} MB growth after minute 1 (target ≤ 50; {:.1} → {:.1} MB, {} lines, {} answers, {:.0} s wall)",
            m.simulated_minutes,
            m.growth_mb_after_1_min,
            m.rss_mb_after_1_min,
            m.rss_mb_end,
            m.lines_spoken,
            m.answers,
            m.wall_secs
        );
    }
    Ok(ExitCode::SUCCESS)
}
