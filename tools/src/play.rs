//! `campfire play [STORY]`: the default command, a live session (`campfire-session`).
//!
//! - In a terminal: the narrator speaks through the speakers (each character in its own voice),
//!   the transcript and choices are printed; answers are typed (also from a pipe:
//!   `printf '1\n2\n' | campfire play demo`) or spoken into the microphone (hands-free). No audio
//!   device or no microphone: a one-line notice, and the story goes on.
//! - `--headless --out FILE.mp4`: the same session on a simulated clock, faster than real time,
//!   written as a video with the narration (and the child's recorded answers) as its sound,
//!   answers from `--choices 1,2,…` or `--answers a.wav,b.wav,…`; `--report FILE.json` says what
//!   happened. The README's first command does this where there is no display.
//!
//! The picture is the reference renderer's at the output's own size (the window's, or 640x480
//! headless) unless `--generator` names another (`campfire_generator::open`).
//!
//! - Where there is a display: the Bevy window (`campfire-game`): the picture, subtitles with
//!   the word being said, choices as buttons (and 1-9, arrows, Enter), a title screen to pick a
//!   story and continue a saved one. `--screenshots DIR --screenshot-every S --quit-after S`
//!   take screenshots with Bevy's screenshot API. `--terminal` keeps the terminal; no display
//!   says so, suggests `--headless`, and plays in the terminal.

use crate::record::{Narrator, record_story, write_whole};
use crate::story_args::StoryArgs;
use anyhow::{Context, bail};
use campfire_generator::{Choice, Weights};
use campfire_render::VideoFormat;
use campfire_session::headless::{Answer, HeadlessConfig};
use campfire_session::live::{ClockKind, FromSession, Live, LiveConfig, Start, ToSession};
use campfire_session::record::{Recorded, Recording};
use campfire_session::{SAMPLE_RATE, SessionConfig, SessionEvent};
use campfire_voice::audio::{WHISPER_SAMPLE_RATE, read_wav, resample};
use campfire_voice::{Backend, Voice, VoiceSettings};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub story: StoryArgs,
    /// Run on a simulated clock and write a video instead of playing aloud.
    #[arg(long)]
    pub headless: bool,
    /// The video of a headless run (default: out/STORY.mp4). Without ffmpeg: a GIF and a WAV.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Headless: typed answers, one per choice point, e.g. `--choices 1,2` (default: the first
    /// choice each time).
    #[arg(long, value_delimiter = ',', conflicts_with = "answers")]
    pub choices: Vec<String>,
    /// Headless: recordings of spoken answers, one per listening turn; one not understood is
    /// re-prompted and the next recording is the next try.
    #[arg(long, value_delimiter = ',')]
    pub answers: Vec<PathBuf>,
    /// Headless: write what happened (turns, ending, timings) as JSON.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Headless: frame size, WIDTHxHEIGHT (default: 640x480; the window draws at its own size).
    #[arg(long, value_parser = crate::render::parse_size)]
    pub size: Option<(u32, u32)>,
    /// Headless: frames per second (a divisor of 24; default: the live format's, 12).
    #[arg(long)]
    pub fps: Option<u32>,
    /// What draws the picture: `reference` (the procedural renderer, sharp at any size: the
    /// default), `dit` (the video DiT, drawn at 128x96 and scaled up; the reference renderer
    /// when its weights are missing or bad) or `latent` (the renderer through the autoencoder).
    #[arg(long, default_value_t = Choice::Reference)]
    pub generator: Choice,
    /// The DiT of `--generator dit` (config.json + model.safetensors). Default: assets/models/dit.
    #[arg(long, value_name = "DIR")]
    pub dit: Option<PathBuf>,
    /// The narrator: `neural` (the warm on-device voice; espeak-ng when its files are missing),
    /// `espeak` or `system`.
    #[arg(long, default_value_t = Backend::Neural)]
    pub voice: Backend,
    /// The narrator's pace relative to the story's (0.5: half speed).
    #[arg(long, default_value_t = 1.0)]
    pub pace: f32,
    /// The whisper model for spoken answers (default: the one setup converted).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Terminal: do not listen to the microphone.
    #[arg(long)]
    pub no_mic: bool,
    /// Play in the terminal even where there is a display.
    #[arg(long, conflicts_with = "headless")]
    pub terminal: bool,
    /// Window: take screenshots (Bevy's screenshot API) into this folder, as NNN-SCREEN.png.
    #[arg(long, value_name = "DIR")]
    pub screenshots: Option<PathBuf>,
    /// Window: seconds between screenshots.
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0)]
    pub screenshot_every: f64,
    /// Window: close after this many seconds (with --screenshots: a preview or a test run).
    #[arg(long, value_name = "SECONDS")]
    pub quit_after: Option<f64>,
    /// Window: at this many seconds shrink the window to 1x1 and minimise it, and restore it
    /// 3 s later (tests: a tiny or hidden window must not stop the story).
    #[arg(long, value_name = "SECONDS")]
    pub squeeze_at: Option<f64>,
    /// Window: start the selected story after this many seconds on the title screen, and go
    /// back to it as long after each ending (previews, soak runs).
    #[arg(long, value_name = "SECONDS")]
    pub autostart: Option<f64>,
    /// Window: pick the first choice this many seconds after it is offered (previews, benchmarks).
    #[arg(long, value_name = "SECONDS")]
    pub auto_answer: Option<f64>,
    /// Window: write UI frame times (p50, p99) and answer-to-frame latencies as JSON on exit.
    #[arg(long, value_name = "FILE")]
    pub bench_report: Option<PathBuf>,
    /// Window: where autosaves go (default: ~/.local/share/campfire/saves).
    #[arg(long, value_name = "DIR")]
    pub save_dir: Option<PathBuf>,
}

fn stdout_line(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed stdout (`| head -1`) is not an error of ours: the reader has what it wanted.
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.headless || args.out.is_some() {
        return run_headless(args);
    }
    if !args.choices.is_empty() || !args.answers.is_empty() || args.report.is_some() {
        bail!("--choices, --answers and --report are for headless runs: add --headless --out FILE.mp4");
    }
    let window_only = args.screenshots.is_some()
        || args.quit_after.is_some()
        || args.autostart.is_some()
        || args.auto_answer.is_some()
        || args.bench_report.is_some();
    // Answers piped in (`printf '1\n' | campfire play demo`) mean the terminal is wanted.
    if args.terminal || (!window_only && stdin_is_pipe()) {
        return run_terminal(args);
    }
    if !campfire_game::display_available() {
        let name = &args.story.story;
        if window_only {
            bail!(
                "no display (DISPLAY is not set), so there is no window to capture; run under `xvfb-run -a`, or make a video with `campfire play {name} --headless --out {name}.mp4`"
            );
        }
        eprintln!(
            "notice: no display (DISPLAY is not set), so no window; playing in the terminal. For a video instead: campfire play {name} --headless --out {name}.mp4"
        );
        return run_terminal(args);
    }
    run_window(args)
}

fn stdin_is_pipe() -> bool {
    use std::os::unix::fs::FileTypeExt;
    !std::io::stdin().is_terminal()
        && std::fs::metadata("/dev/stdin").is_ok_and(|m| m.file_type().is_fifo() || m.file_type().is_file())
}

/// The Bevy window. The story is checked here first, so a story that fails lint or an unsafe
/// parameter is a clear error before any window opens.
fn run_window(args: Args) -> anyhow::Result<ExitCode> {
    args.story.load()?;
    let params = args.story.params()?;
    let whisper = if args.no_mic {
        None
    } else {
        Some(args.model.clone().unwrap_or_else(campfire_voice::transcribe::default_model_path)).filter(|p| p.is_file())
    };
    let (choice, weights) = (args.generator, Weights { ae: None, dit: args.dit.clone() });
    // Opened on the picture thread, so the window is up before a neural generator has loaded.
    let generator: campfire_session::live::GeneratorFactory =
        std::sync::Arc::new(move || campfire_generator::open::open(choice, &weights));
    // The same narrator as the terminal and headless runs (`--voice`), opened on the session
    // thread so the window is up before the neural voice has loaded.
    let backend = args.voice;
    let synth: campfire_session::live::SynthFactory = std::sync::Arc::new(move || {
        Voice::open(backend, VoiceSettings::default())
            .map(|v| Box::new(v) as Box<dyn campfire_voice::Synthesize>)
            .map_err(|e| format!("the narrator's voice: {e}"))
    });
    let options = campfire_game::GameOptions {
        story: Some(args.story.story.clone()),
        params,
        live: campfire_session::live::LiveConfig {
            generator,
            synth,
            whisper,
            session: SessionConfig { speed_scale: args.pace, ..SessionConfig::default() },
            ..Default::default()
        },
        save_dir: args.save_dir.clone().or_else(campfire_game::default_save_dir),
        autostart: args.autostart,
        auto_answer: args.auto_answer,
        bench_report: args.bench_report.clone(),
        mic_off: args.no_mic,
    };
    let capture = campfire_game::CapturePlan {
        dir: args.screenshots.clone(),
        every: args.screenshot_every,
        quit_after: args.quit_after,
        squeeze_at: args.squeeze_at,
    };
    match campfire_game::run(options, capture) {
        bevy_exit if bevy_exit.is_success() => Ok(ExitCode::SUCCESS),
        _ => Ok(ExitCode::FAILURE),
    }
}

/// Reads a recording as 16 kHz mono.
fn recording(path: &std::path::Path) -> anyhow::Result<Answer> {
    let wav = read_wav(path).with_context(|| format!("cannot use {} as a recording", path.display()))?;
    Ok(Answer::Spoken {
        name: path.display().to_string(),
        samples_16k: resample(&wav.samples, wav.sample_rate, WHISPER_SAMPLE_RATE),
    })
}

fn run_headless(args: Args) -> anyhow::Result<ExitCode> {
    let name = std::path::Path::new(&args.story.story)
        .file_stem()
        .map_or("story".into(), |s| s.to_string_lossy().into_owned());
    let out = args.out.clone().unwrap_or_else(|| PathBuf::from("out").join(format!("{name}.mp4")));
    let answers: Vec<Answer> = if args.answers.is_empty() {
        args.choices.iter().map(|c| Answer::Typed(c.trim().to_string())).collect()
    } else {
        args.answers.iter().map(|p| recording(p)).collect::<anyhow::Result<_>>()?
    };
    let Recorded { title, report, written } = record_story(
        &args.story,
        Narrator { voice: args.voice, pace: args.pace, ears: (!args.answers.is_empty()).then(|| args.model.clone()) },
        Recording {
            out: out.clone(),
            size: args.size.unwrap_or((VideoFormat::LIVE.width, VideoFormat::LIVE.height)),
            fps: args.fps.unwrap_or(VideoFormat::LIVE.fps),
            seed: 0,
            generator: args.generator,
            weights: Weights { ae: None, dit: args.dit.clone() },
            answers,
            mp4_only: false,
            burn_captions: false,
            max_secs: HeadlessConfig::default().max_secs,
        },
        &mut |_| {},
    )?;
    stdout_line(&format!("== {title} (headless) =="));
    for line in &report.lines {
        match &line.speaker {
            Some(who) => stdout_line(&format!("[{:6.1}s] {who}: \"{}\"", line.start, line.text)),
            None => stdout_line(&format!("[{:6.1}s] {}", line.start, line.text)),
        }
    }
    for turn in &report.turns {
        stdout_line(&format!(
            "[{:6.1}s] heard {:?} in beat {} → {}",
            turn.at,
            turn.heard,
            turn.beat,
            serde_json::to_string(&turn.outcome)?
        ));
    }
    if let Some(notice) = &written.notice {
        eprintln!("notice: {notice}");
    }
    match &report.ending {
        Some(e) => stdout_line(&format!("== The end ({}) ==", e.name)),
        None => stdout_line("== Stopped before an ending =="),
    }
    for n in &report.notices {
        eprintln!("notice: {n}");
    }
    if let Some(path) = &args.report {
        let mut json = serde_json::to_value(&report)?;
        json["video"] = serde_json::json!(written.video.display().to_string());
        json["sound"] = serde_json::json!(written.sound.as_ref().map(|p| p.display().to_string()));
        write_whole(path, &serde_json::to_vec_pretty(&json)?)?;
    }
    stdout_line(&format!(
        "The video is in {} ({:.1} s, made in {:.1} s: {:.1}x real time, {})",
        written.video.display(),
        report.duration_secs,
        report.timings.wall_secs,
        report.timings.speed,
        report.generator
    ));
    Ok(ExitCode::SUCCESS)
}

/// The terminal: the same live loop as the window ([`Live`]), with no picture; the sound goes
/// to the speakers, whose samples played are the clock.
fn run_terminal(args: Args) -> anyhow::Result<ExitCode> {
    let typed_from_pipe = !std::io::stdin().is_terminal();
    // A story that fails lint, or an unsafe parameter, is an error before anything starts.
    args.story.start()?;
    let (story, params) = (args.story.load()?, args.story.params()?);
    // The microphone: hands-free listening at choice points.
    let mut ears = if args.no_mic || typed_from_pipe { None } else { open_ears(&args) };
    let whisper =
        ears.is_some().then(|| args.model.clone().unwrap_or_else(campfire_voice::transcribe::default_model_path));
    let speakers = campfire_voice::speaker::no_sound_card();
    let backend = args.voice;
    let config = LiveConfig {
        clock: if speakers.is_none() { ClockKind::Audio } else { ClockKind::Wall },
        picture: None,
        synth: std::sync::Arc::new(move || {
            let voice =
                Voice::open(backend, VoiceSettings::default()).map_err(|e| format!("the narrator's voice: {e}"))?;
            tracing::info!(backend = %voice.backend(), "narrator");
            Ok(Box::new(voice) as Box<dyn campfire_voice::Synthesize>)
        }),
        whisper,
        session: SessionConfig { speed_scale: args.pace, ..SessionConfig::default() },
        ..LiveConfig::default()
    };
    let live = Live::start(Start::New { story, params }, config)?;
    let _speaker = match (&live.sound, speakers) {
        (Some(sound), None) => {
            let clock = live.clock.clone();
            match campfire_voice::speaker::Speaker::open(sound.clone(), SAMPLE_RATE, move |n| clock.played(n)) {
                Ok(s) => Some(s),
                Err(why) => {
                    eprintln!("notice: {why}; the story goes on silently (the text is printed)");
                    None
                }
            }
        }
        (_, Some(why)) => {
            eprintln!("notice: {why}; the story goes on silently (the text is printed)");
            None
        }
        _ => None,
    };
    // Typed lines arrive on their own thread so the sound never waits for the keyboard.
    let (tx, typed) = crossbeam_channel::unbounded::<Option<String>>();
    std::thread::Builder::new().name("stdin".into()).spawn(move || {
        let stdin = std::io::stdin();
        for line in stdin.lock().lines() {
            let Ok(line) = line else { break };
            if tx.send(Some(line)).is_err() {
                return;
            }
        }
        let _ = tx.send(None);
    })?;
    let (mut input_closed, mut asking) = (false, false);
    let mut ended_at: Option<f64> = None;
    loop {
        while let Ok(msg) = live.from_session.try_recv() {
            match msg {
                FromSession::Started { title, .. } => stdout_line(&format!("== {title} ==")),
                FromSession::Failed(why) => bail!("{why}"),
                FromSession::Saved(_) => {}
                FromSession::Event(event) => {
                    show(&event);
                    match event {
                        SessionEvent::ChoicesOffered { .. } => {
                            asking = true;
                            if ears.is_some() {
                                stdout_line("(say your answer, or type it)");
                            }
                        }
                        SessionEvent::LineStarted { .. } => asking = false,
                        SessionEvent::Ended { at, .. } => ended_at = Some(at),
                        _ => {}
                    }
                }
            }
        }
        if let Some(at) = ended_at {
            // Let the last words be heard.
            if live.clock.position() >= at || live.sound.is_none() || live.clock.fell_back() {
                break;
            }
        } else if asking {
            match typed.try_recv() {
                Ok(Some(line)) if !line.trim().is_empty() => {
                    let _ = live.to_session.try_send(ToSession::Answer { text: line, spoken: false });
                }
                Ok(None) => input_closed = true,
                _ => {}
            }
            if input_closed && ears.is_none() {
                stdout_line("(no more answers; goodbye)");
                break;
            }
            if let Some((mic, listener)) = ears.as_mut() {
                while let Ok(chunk) = mic.chunks().try_recv() {
                    for heard in listener.feed(&chunk) {
                        if let campfire_voice::listen::Heard::Speech { samples, .. } = heard {
                            let _ = live.to_session.try_send(ToSession::Speech(samples));
                        }
                    }
                }
            }
        } else if let Some((mic, _)) = ears.as_ref() {
            // The narrator is speaking: what the microphone hears now is not an answer.
            while mic.chunks().try_recv().is_ok() {}
        }
        if live.is_finished() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    live.join();
    Ok(ExitCode::SUCCESS)
}

type Ears = (campfire_voice::mic::Microphone, campfire_voice::listen::Listener);

fn open_ears(args: &Args) -> Option<Ears> {
    let model = args.model.clone().unwrap_or_else(campfire_voice::transcribe::default_model_path);
    if !model.is_file() {
        eprintln!("notice: no speech model at {} (run scripts/setup); answers are typed", model.display());
        return None;
    }
    if let Some(why) = campfire_voice::speaker::no_sound_card() {
        eprintln!("notice: no microphone ({why}); answers are typed");
        return None;
    }
    match campfire_voice::mic::Microphone::open() {
        Ok(mic) => {
            let listener = campfire_voice::listen::Listener::new(
                campfire_voice::listen::Trigger::HandsFree,
                mic.sample_rate(),
                campfire_voice::vad::VadConfig::default(),
            );
            eprintln!("listening through {} (hands-free); typing works too", mic.name());
            Some((mic, listener))
        }
        Err(e) => {
            eprintln!("notice: {e}");
            None
        }
    }
}

fn show(event: &SessionEvent) {
    match event {
        SessionEvent::LineStarted { speaker: Some(who), text, .. } => stdout_line(&format!("{who}: \"{text}\"")),
        SessionEvent::LineStarted { text, .. } => stdout_line(text),
        SessionEvent::ChoicesOffered { choices, .. } => {
            for (i, c) in choices.iter().enumerate() {
                stdout_line(&format!("  {}. {c}", i + 1));
            }
            stdout_line(&format!("> (type a number from 1 to {}, or some words)", choices.len()));
        }
        SessionEvent::Heard { transcript, outcome, .. } => {
            let what = match outcome {
                campfire_intent::Outcome::Choice { text, .. } => format!("choice: {text}"),
                campfire_intent::Outcome::Command { command } => format!("command: {}", command.name()),
                campfire_intent::Outcome::Scene { .. } => "a change in the world".to_string(),
                campfire_intent::Outcome::Nothing { .. } => "not understood".to_string(),
            };
            stdout_line(&format!("(I heard: \"{transcript}\" → {what})"));
        }
        SessionEvent::Notice { text, .. } => eprintln!("notice: {text}"),
        SessionEvent::Ended { name, .. } => stdout_line(&format!("== The end ({name}) ==")),
        SessionEvent::LineEnded { .. }
        | SessionEvent::LineWords { .. }
        | SessionEvent::Player { .. }
        | SessionEvent::Effect { .. } => {}
    }
}
