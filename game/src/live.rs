//! The live session off the UI thread (no Bevy in this module).
//!
//! [`Live::start`] spawns two threads and returns at once:
//! - `session`: builds the [`Session`] (story, narrator, optional whisper), then pumps it on the
//!   [`Clock`]: answers in, [`SessionEvent`]s out, sound pulled ahead of the clock, one frame
//!   request per video frame, and the autosave at every offer of choices.
//! - `picture`: turns frame requests (a world and a frame number) into RGBA frames through a
//!   [`Picture`] (a generator that panics is replaced by the reference renderer there).
//!
//! Everything crosses threads through bounded crossbeam channels and is taken with `try_recv`
//! / `try_send`: the UI never waits on synthesis, generation or transcription, and the session
//! never waits on the UI. A frame request that finds the picture thread busy is dropped (the
//! UI holds the last frame), so a generator slower than real time makes the picture late, never
//! the sound or the story.

use campfire_generator::{Generator, ReferenceGenerator};
use campfire_session::picture::{Picture, PictureFormat};
use campfire_session::world::World;
use campfire_session::{SAMPLE_RATE, Session, SessionConfig, SessionEvent};
use campfire_story::{Params, Runtime, Story};
use campfire_voice::{Espeak, Synthesize, Transcriber, VoiceSettings};
use crossbeam_channel::{Receiver, Sender, TryRecvError, bounded};
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// An audio device that has taken no sound by then is taken to be missing.
const NO_DEVICE_AFTER: Duration = Duration::from_millis(1500);

pub use campfire_session::LEAD_SECS;

/// What time it is in the story. `Audio`: samples the audio device has pulled (the sound being
/// heard is the clock, as in ffplay); `Wall`: elapsed time, where no audio device opens;
/// `Simulated`: elapsed time times a speed, for tests and benchmarks that must not take minutes.
#[derive(Clone)]
pub struct Clock(Arc<ClockState>);

struct ClockState {
    kind: ClockKind,
    start: Instant,
    /// Samples handed to the audio device (`Audio` only).
    samples: AtomicU64,
    /// An `Audio` clock whose device never took a sample became a wall clock at this time.
    fallback: std::sync::OnceLock<Instant>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ClockKind {
    Audio,
    Wall,
    Simulated { speed: f64 },
}

impl Clock {
    pub fn new(kind: ClockKind) -> Self {
        Clock(Arc::new(ClockState {
            kind,
            start: Instant::now(),
            samples: AtomicU64::new(0),
            fallback: std::sync::OnceLock::new(),
        }))
    }

    pub fn kind(&self) -> ClockKind {
        self.0.kind
    }

    /// Seconds of story heard.
    pub fn position(&self) -> f64 {
        match self.0.kind {
            ClockKind::Audio => match self.0.fallback.get() {
                Some(since) => since.elapsed().as_secs_f64(),
                None => self.0.samples.load(Ordering::Acquire) as f64 / f64::from(SAMPLE_RATE),
            },
            ClockKind::Wall => self.0.start.elapsed().as_secs_f64(),
            ClockKind::Simulated { speed } => self.0.start.elapsed().as_secs_f64() * speed,
        }
    }

    /// Whether an `Audio` clock fell back to the wall clock (no audio device).
    pub fn fell_back(&self) -> bool {
        self.0.fallback.get().is_some()
    }

    /// An `Audio` clock whose device has taken nothing `after` its start becomes a wall clock
    /// (no audio device opened: the story goes on silently). True when it happens now.
    fn check_device(&self, after: Duration) -> bool {
        self.0.kind == ClockKind::Audio
            && self.0.samples.load(Ordering::Acquire) == 0
            && self.0.start.elapsed() > after
            && self.0.fallback.set(Instant::now()).is_ok()
    }

    /// The audio device took `n` more samples (called from the audio thread).
    pub fn played(&self, n: u64) {
        self.0.samples.fetch_add(n, Ordering::AcqRel);
    }
}

/// What the UI asks of the session.
#[derive(Clone, Debug)]
pub enum ToSession {
    /// A typed, clicked or recognised answer (a number or words).
    Answer { text: String, spoken: bool },
    /// A recording of the child, 16 kHz mono: transcribed with whisper on the session thread.
    Speech(Vec<f32>),
}

/// What the session tells the UI.
#[derive(Clone, Debug)]
pub enum FromSession {
    /// The session is built and telling (the story's title).
    Started {
        title: String,
        resumed: bool,
    },
    Event(SessionEvent),
    /// The story was saved at a choice point.
    Saved(PathBuf),
    /// The session could not go on (a story that fails lint, a broken save): shown, not a crash.
    Failed(String),
}

/// One frame for the screen: RGBA8, `tick_secs` on the clock.
pub struct LiveFrame {
    pub index: u64,
    pub secs: f64,
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
    /// Generation time of this frame, milliseconds.
    pub gen_ms: f64,
    pub generator: String,
    /// When the request for it was made (for latency figures).
    pub requested: Instant,
}

/// Figures for the overlay and benchmarks, written by the worker threads.
#[derive(Default)]
pub struct LiveStats {
    pub frames_made: AtomicU64,
    /// Frame requests not made because the picture thread was busy or they were already stale.
    pub frames_dropped: AtomicU64,
    /// Sum of generation times in microseconds (mean = sum / made).
    pub gen_micros: AtomicU64,
    pub generator_replaced: AtomicBool,
}

impl LiveStats {
    pub fn mean_gen_ms(&self) -> f64 {
        let n = self.frames_made.load(Ordering::Relaxed).max(1);
        self.gen_micros.load(Ordering::Relaxed) as f64 / 1000.0 / n as f64
    }
}

/// Where the story comes from.
#[derive(Clone)]
pub enum Start {
    New { story: Arc<Story>, params: Params },
    Resume { story: Arc<Story>, save: PathBuf },
}

/// Makes the picture's generator on the picture thread (`campfire_generator::open::open`).
pub type GeneratorFactory = Arc<dyn Fn() -> Box<dyn Generator> + Send + Sync>;
/// Makes the narrator's synthesiser on the session thread.
pub type SynthFactory = Arc<dyn Fn() -> Result<Box<dyn Synthesize>, String> + Send + Sync>;

#[derive(Clone)]
pub struct LiveConfig {
    pub clock: ClockKind,
    pub picture: PictureFormat,
    pub generator: GeneratorFactory,
    pub synth: SynthFactory,
    /// The whisper model for spoken answers (none: answers are typed or clicked).
    pub whisper: Option<PathBuf>,
    /// Where the autosave goes (none: no autosave).
    pub save: Option<PathBuf>,
    pub session: SessionConfig,
}

impl Default for LiveConfig {
    fn default() -> Self {
        Self {
            clock: ClockKind::Wall,
            picture: PictureFormat::default(),
            generator: Arc::new(|| Box::new(ReferenceGenerator::new())),
            synth: Arc::new(|| {
                Espeak::new(VoiceSettings::default())
                    .map(|e| Box::new(e) as Box<dyn Synthesize>)
                    .map_err(|e| format!("the narrator's voice (espeak-ng): {e}"))
            }),
            whisper: None,
            save: None,
            session: SessionConfig::default(),
        }
    }
}

/// The UI's end of a running session. Dropping it stops both threads.
pub struct Live {
    pub clock: Clock,
    pub stats: Arc<LiveStats>,
    pub to_session: Sender<ToSession>,
    pub from_session: Receiver<FromSession>,
    pub frames: Receiver<LiveFrame>,
    /// Sound pulled ahead of the clock for the audio device (only with an `Audio` clock).
    pub sound: Option<Receiver<Vec<f32>>>,
    /// Frame requests waiting for the picture thread.
    pub picture_queue: Receiver<FrameRequest>,
    /// Frames per second of the picture.
    pub fps: u32,
    /// The size the picture is drawn at, `width << 32 | height`: set by the UI (the window's
    /// size), read by the picture thread before each frame.
    picture_size: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl Drop for Live {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
    }
}

/// A frame to draw: its number and the world as heard at its time.
pub struct FrameRequest {
    pub index: u64,
    pub state: campfire_scene::SceneState,
    pub requested: Instant,
}

/// `width × height` in one atomic word, so the picture thread never sees half a size.
fn pack_size(width: u32, height: u32) -> u64 {
    (u64::from(width) << 32) | u64::from(height)
}

fn unpack_size(packed: u64) -> (u32, u32) {
    ((packed >> 32) as u32, packed as u32)
}

impl Live {
    /// Draws the frames asked for from now on at `width × height` (the window's size).
    pub fn set_picture_size(&self, width: u32, height: u32) {
        self.picture_size.store(pack_size(width, height), Ordering::Relaxed);
    }

    /// The size frames are being asked for at.
    pub fn picture_size(&self) -> (u32, u32) {
        unpack_size(self.picture_size.load(Ordering::Relaxed))
    }

    /// Starts the session and picture threads; returns at once.
    pub fn start(start: Start, config: LiveConfig) -> std::io::Result<Live> {
        let clock = Clock::new(config.clock);
        let fps = config.picture.fps.max(1);
        let stats = Arc::new(LiveStats::default());
        let stop = Arc::new(AtomicBool::new(false));
        let picture_size = Arc::new(AtomicU64::new(pack_size(config.picture.width, config.picture.height)));
        let (to_tx, to_rx) = bounded(16);
        let (from_tx, from_rx) = bounded(64);
        let (req_tx, req_rx) = bounded::<FrameRequest>(2);
        let (frame_tx, frame_rx) = bounded::<LiveFrame>(4);
        let (sound_tx, sound_rx) = if config.clock == ClockKind::Audio {
            let (tx, rx) = bounded(64);
            (Some(tx), Some(rx))
        } else {
            (None, None)
        };
        {
            let (clock, stats, stop, config, req_rx, size) =
                (clock.clone(), stats.clone(), stop.clone(), config.clone(), req_rx.clone(), picture_size.clone());
            std::thread::Builder::new().name("picture".into()).spawn(move || {
                picture_thread(&config, &clock, &stats, &stop, &size, &req_rx, &frame_tx);
            })?;
        }
        {
            let (clock, stats, stop) = (clock.clone(), stats.clone(), stop.clone());
            std::thread::Builder::new().name("session".into()).spawn(move || {
                let mut out = Outbox { tx: from_tx, backlog: VecDeque::new() };
                let session = match build_session(&start, &config) {
                    Ok(s) => s,
                    Err(e) => {
                        tracing::warn!("the story could not start: {e}");
                        out.push(FromSession::Failed(e));
                        out.flush_blocking(&stop);
                        return;
                    }
                };
                let resumed = matches!(start, Start::Resume { .. });
                out.push(FromSession::Started { title: session.runtime().template().title.clone(), resumed });
                let mut worker = Worker { session, config, clock, stats, out, to_rx, req_tx, sound_tx, next_frame: 0 };
                worker.run(&stop);
            })?;
        }
        Ok(Live {
            clock,
            stats,
            to_session: to_tx,
            from_session: from_rx,
            frames: frame_rx,
            sound: sound_rx,
            picture_queue: req_rx,
            fps,
            picture_size,
            stop,
        })
    }
}

fn build_session(start: &Start, config: &LiveConfig) -> Result<Session, String> {
    let rt: Runtime = match start {
        Start::New { story, params } => story.start(params.clone()).map_err(|e| e.to_string())?,
        Start::Resume { story, save } => {
            campfire_story::save::resume(story.template.clone(), save, &Params::new()).map_err(|e| e.to_string())?
        }
    };
    let synth = (config.synth)()?;
    let transcriber = match &config.whisper {
        Some(model) => match Transcriber::load(model) {
            Ok(t) => Some(t),
            Err(e) => {
                tracing::warn!("spoken answers are off: the whisper model did not load ({e})");
                None
            }
        },
        None => None,
    };
    Session::new(rt, synth, transcriber, config.session.clone()).map_err(|e| e.to_string())
}

/// Messages to the UI, never blocking: what the channel cannot take now waits here.
struct Outbox {
    tx: Sender<FromSession>,
    backlog: VecDeque<FromSession>,
}

impl Outbox {
    fn push(&mut self, m: FromSession) {
        self.backlog.push_back(m);
        self.flush();
    }

    /// Sends what the channel takes; false when the UI is gone.
    fn flush(&mut self) -> bool {
        while let Some(m) = self.backlog.pop_front() {
            match self.tx.try_send(m) {
                Ok(()) => {}
                Err(crossbeam_channel::TrySendError::Full(m)) => {
                    self.backlog.push_front(m);
                    return true;
                }
                Err(crossbeam_channel::TrySendError::Disconnected(_)) => return false,
            }
        }
        true
    }

    /// A last message before the thread ends: waits for the UI to take it, or for the stop.
    fn flush_blocking(&mut self, stop: &AtomicBool) {
        while !self.backlog.is_empty() && !stop.load(Ordering::Acquire) {
            if !self.flush() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

struct Worker {
    session: Session,
    config: LiveConfig,
    clock: Clock,
    stats: Arc<LiveStats>,
    out: Outbox,
    to_rx: Receiver<ToSession>,
    req_tx: Sender<FrameRequest>,
    sound_tx: Option<Sender<Vec<f32>>>,
    next_frame: u64,
}

impl Worker {
    fn run(&mut self, stop: &AtomicBool) {
        while !stop.load(Ordering::Acquire) {
            if let Err(e) = self.step() {
                tracing::warn!("the session stopped: {e}");
                self.out.push(FromSession::Failed(e));
                self.out.flush_blocking(stop);
                return;
            }
            if !self.out.flush() {
                return;
            }
            std::thread::sleep(Duration::from_millis(8));
        }
    }

    fn step(&mut self) -> Result<(), String> {
        loop {
            match self.to_rx.try_recv() {
                Ok(cmd) => self.command(cmd)?,
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return Ok(()),
            }
        }
        if self.clock.check_device(NO_DEVICE_AFTER) {
            tracing::warn!("no audio device took any sound; the story goes on silently on a wall clock");
            self.out.push(FromSession::Event(SessionEvent::Notice {
                at: 0.0,
                text: "no audio device: the story goes on silently".into(),
            }));
        }
        let pos = self.clock.position();
        let events = self.session.update(pos, LEAD_SECS, Duration::ZERO).map_err(|e| e.to_string())?;
        self.publish(events);
        self.pump_sound(pos);
        self.request_frames(pos);
        Ok(())
    }

    fn command(&mut self, cmd: ToSession) -> Result<(), String> {
        let events = match cmd {
            ToSession::Answer { text, .. } => self.session.answer_text(&text).map_err(|e| e.to_string())?,
            ToSession::Speech(samples) => match self.session.answer_speech(&samples, false) {
                Ok(events) => events,
                // A recording that cannot be heard is not the end of the story.
                Err(e) => {
                    tracing::warn!("a spoken answer could not be understood: {e}");
                    vec![SessionEvent::Notice {
                        at: self.session.position(),
                        text: format!("I could not hear that: {e}"),
                    }]
                }
            },
        };
        self.publish(events);
        Ok(())
    }

    fn publish(&mut self, events: Vec<SessionEvent>) {
        for e in events {
            match &e {
                SessionEvent::ChoicesOffered { .. } => self.autosave(),
                SessionEvent::Ended { .. } => {
                    // A finished story has nothing to continue.
                    if let Some(path) = &self.config.save {
                        let _ = std::fs::remove_file(path);
                    }
                }
                _ => {}
            }
            self.out.push(FromSession::Event(e));
        }
    }

    /// At an offer of choices the runtime waits at the choice point: a save made now resumes
    /// exactly there. Written atomically (temp file + rename) by the story crate.
    fn autosave(&mut self) {
        let Some(path) = self.config.save.clone() else { return };
        match campfire_story::save::save(self.session.runtime(), &path) {
            Ok(()) => self.out.push(FromSession::Saved(path)),
            Err(e) => tracing::warn!("autosave failed: {e}"),
        }
    }

    /// Pulls the session's sound up to just ahead of the clock: to the audio device when there
    /// is one, otherwise dropped (the track must still be pulled, or it would grow).
    fn pump_sound(&mut self, pos: f64) {
        let want = campfire_session::track::secs_to_samples(pos + LEAD_SECS);
        let have = campfire_session::track::secs_to_samples(self.session.audio_pulled());
        if want <= have {
            return;
        }
        let sound = self.session.pull_audio((want - have) as usize);
        if let Some(tx) = &self.sound_tx {
            // Full means the device is far behind; dropping keeps the clock honest.
            let _ = tx.try_send(sound);
        }
    }

    fn request_frames(&mut self, pos: f64) {
        let fps = f64::from(self.config.picture.fps.max(1));
        let due = (pos * fps).floor() as u64;
        let last = ((pos + LEAD_SECS) * fps).floor() as u64;
        if self.next_frame < due {
            // Too late to be worth drawing: the picture thread was busy.
            self.stats.frames_dropped.fetch_add(due - self.next_frame, Ordering::Relaxed);
            self.next_frame = due;
        }
        while self.next_frame <= last {
            let secs = self.next_frame as f64 / fps;
            let state = self.session.world_at(secs).clone();
            let req = FrameRequest { index: self.next_frame, state, requested: Instant::now() };
            match self.req_tx.try_send(req) {
                Ok(()) => self.next_frame += 1,
                Err(_) => break,
            }
        }
    }
}

fn picture_thread(
    config: &LiveConfig,
    clock: &Clock,
    stats: &LiveStats,
    stop: &AtomicBool,
    size: &AtomicU64,
    requests: &Receiver<FrameRequest>,
    frames: &Sender<LiveFrame>,
) {
    let mut picture = Picture::new((config.generator)(), config.picture);
    let fps = f64::from(picture.format().fps);
    while !stop.load(Ordering::Acquire) {
        let req = match requests.recv_timeout(Duration::from_millis(50)) {
            Ok(r) => r,
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => continue,
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return,
        };
        let due = (clock.position() * fps).floor() as u64;
        if req.index + 1 < due {
            stats.frames_dropped.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        let (width, height) = unpack_size(size.load(Ordering::Relaxed));
        picture.set_size(width, height);
        let started = Instant::now();
        let mut world = World::new(req.state);
        let Some(shown) = picture.frames(&mut world, req.index, 1).pop() else { continue };
        let gen_ms = started.elapsed().as_secs_f64() * 1000.0;
        stats.frames_made.fetch_add(1, Ordering::Relaxed);
        stats.gen_micros.fetch_add((gen_ms * 1000.0) as u64, Ordering::Relaxed);
        if picture.was_replaced() {
            stats.generator_replaced.store(true, Ordering::Relaxed);
        }
        let f = shown.frame;
        let mut rgba = Vec::with_capacity(f.rgb.len() / 3 * 4);
        for px in f.rgb.chunks_exact(3) {
            rgba.extend_from_slice(&[px[0], px[1], px[2], 255]);
        }
        let frame = LiveFrame {
            index: req.index,
            secs: req.index as f64 / fps,
            width: f.width,
            height: f.height,
            rgba,
            gen_ms,
            generator: picture.generator_name().to_string(),
            requested: req.requested,
        };
        if frames.try_send(frame).is_err() {
            stats.frames_dropped.fetch_add(1, Ordering::Relaxed);
        }
    }
}
