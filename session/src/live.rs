//! The live session on its own threads, for the window and the terminal (no Bevy here).
//!
//! [`Live::start`] spawns two threads and returns at once:
//! - `session`: builds the [`Session`] (story, narrator, optional whisper), then turns the
//!   [`Pump`] on the [`Clock`]: answers in, [`SessionEvent`]s out, sound pulled ahead of the
//!   clock, one frame request per video frame, and the autosave at every offer of choices.
//! - `picture`: turns frame requests (a world and a frame number) into RGBA frames through a
//!   [`Picture`] (a generator that panics is replaced by the reference renderer there).
//!
//! Everything crosses threads through bounded crossbeam channels and is taken with `try_recv`
//! / `try_send`: the UI never waits on synthesis, generation or transcription, and the session
//! never waits on the UI. A frame request that finds the picture thread busy is dropped (the
//! UI holds the last frame), so a generator slower than real time makes the picture late, never
//! the sound or the story. Dropping [`Live`] stops both threads and joins them off the caller's
//! thread; [`Live::join`] waits for them.

mod clock;
mod pump;

pub use clock::{Clock, ClockKind};
pub use pump::{FrameRequest, Pump};

use crate::picture::{Picture, PictureFormat};
use crate::world::World;
use crate::{LEAD_SECS, Session, SessionConfig, SessionEvent};
use campfire_cpu::Role;
use campfire_generator::{Generator, ReferenceGenerator};
use campfire_story::{Params, Runtime, Story};
use campfire_voice::{Espeak, Synthesize, Transcriber, VoiceSettings};
use crossbeam_channel::{Receiver, Sender, TryRecvError, bounded};
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// An audio device that has taken no sound by then is taken to be missing.
const NO_DEVICE_AFTER: Duration = Duration::from_millis(1500);

/// How often the session thread turns the loop: well inside [`LEAD_SECS`], so sound handed
/// over `LEAD_SECS` ahead never runs dry between two turns.
const TURN: Duration = Duration::from_millis(8);

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

/// One frame for the screen: RGBA8, `secs` on the clock.
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
    /// Frame requests not drawn because the picture yielded to the child's voice.
    pub frames_yielded: AtomicU64,
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
    /// The picture's format; `None`: no picture (the terminal), so no picture thread.
    pub picture: Option<PictureFormat>,
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
            picture: Some(PictureFormat::default()),
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
    turns: Arc<Turns>,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

/// Whose turn the cores are, beyond the threads' priorities (`campfire_cpu`): while the child
/// speaks and while what they said is recognised, the picture holds its frame instead of
/// drawing, and picks up again after.
#[derive(Default)]
pub struct Turns {
    /// The child is speaking (voice activity, or the push-to-talk button held): set by the UI.
    listening: AtomicBool,
    /// An answer is being recognised: set by the session thread.
    recognising: AtomicBool,
}

impl Turns {
    /// Whether the picture gives its cores to the child's voice now.
    pub fn picture_yields(&self) -> bool {
        self.listening.load(Ordering::Acquire) || self.recognising.load(Ordering::Acquire)
    }
}

impl Drop for Live {
    /// Stops both threads and joins them on a thread of its own: a thread may be in the middle
    /// of a whisper decode or a DiT chunk, and the UI dropping its end must not wait for that.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        let threads = std::mem::take(&mut self.threads);
        if threads.is_empty() {
            return;
        }
        let joiner = std::thread::Builder::new().name("live-join".into()).spawn(move || join_all(threads));
        if let Err(e) = joiner {
            tracing::warn!("the live session's threads are left to end on their own: {e}");
        }
    }
}

fn join_all(threads: Vec<JoinHandle<()>>) {
    for t in threads {
        let name = t.thread().name().unwrap_or("live").to_string();
        if t.join().is_err() {
            tracing::error!("the live session's {name} thread panicked");
        }
    }
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

    /// The child started (true) or stopped (false) speaking: the picture yields meanwhile.
    pub fn set_listening(&self, listening: bool) {
        self.turns.listening.store(listening, Ordering::Release);
    }

    /// Whether the picture is yielding to the child's voice now.
    pub fn picture_yields(&self) -> bool {
        self.turns.picture_yields()
    }

    /// Stops both threads and waits until they have ended (the terminal at its end, tests).
    pub fn join(mut self) {
        self.stop.store(true, Ordering::Release);
        join_all(std::mem::take(&mut self.threads));
    }

    /// Whether the session thread has ended (the story stopped, failed or was told to stop).
    pub fn is_finished(&self) -> bool {
        self.threads.first().is_none_or(|t| t.is_finished())
    }

    /// Starts the session and picture threads; returns at once.
    pub fn start(start: Start, config: LiveConfig) -> std::io::Result<Live> {
        let clock = Clock::new(config.clock);
        let format = config.picture.unwrap_or_default();
        let fps = format.fps.max(1);
        let stats = Arc::new(LiveStats::default());
        let stop = Arc::new(AtomicBool::new(false));
        let picture_size = Arc::new(AtomicU64::new(pack_size(format.width, format.height)));
        let turns = Arc::new(Turns::default());
        // Before anything uses rayon, so its threads take the picture's priority.
        campfire_cpu::picture_pool();
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
        let mut threads = Vec::new();
        {
            let (clock, stats, stop, config) = (clock.clone(), stats.clone(), stop.clone(), config.clone());
            let turns = turns.clone();
            let req_tx = config.picture.is_some().then_some(req_tx);
            threads.push(std::thread::Builder::new().name("session".into()).spawn(move || {
                let mut out = Outbox { tx: from_tx, backlog: VecDeque::new() };
                let session = match build_session_for_narration(&start, &config) {
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
                let pump = Pump::new(fps, config.save.clone());
                let mut worker = Worker { session, pump, clock, stats, turns, out, to_rx, req_tx, sound_tx };
                worker.run(&stop);
            })?);
        }
        if config.picture.is_some() {
            let (clock, stats, stop, req_rx, size, turns) =
                (clock.clone(), stats.clone(), stop.clone(), req_rx.clone(), picture_size.clone(), turns.clone());
            let generator = config.generator.clone();
            threads.push(std::thread::Builder::new().name("picture".into()).spawn(move || {
                campfire_cpu::enter(Role::Picture);
                let picture = Picture::new(generator(), format);
                let shared = Shared { clock, stats, stop, size, turns };
                picture_thread(picture, &shared, &req_rx, &frame_tx);
            })?);
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
            turns,
            stop,
            threads,
        })
    }
}

/// Builds the session on a thread of the narration's priority, so that the threads it starts
/// (the narration queue's worker, ONNX Runtime's) inherit it; the session thread keeps the
/// normal priority, for the answers it hears. See `campfire_cpu`.
fn build_session_for_narration(start: &Start, config: &LiveConfig) -> Result<Session, String> {
    let (start, config) = (start.clone(), config.clone());
    std::thread::Builder::new()
        .name("narration-start".into())
        .spawn(move || {
            campfire_cpu::enter(Role::Narration);
            build_session(&start, &config)
        })
        .map_err(|e| format!("cannot start the narration: {e}"))?
        .join()
        .unwrap_or_else(|_| Err("the narration could not start (it panicked)".into()))
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

/// The session thread: the [`Pump`] turned in real time on the shared clock.
struct Worker {
    session: Session,
    pump: Pump,
    clock: Clock,
    stats: Arc<LiveStats>,
    turns: Arc<Turns>,
    out: Outbox,
    to_rx: Receiver<ToSession>,
    /// Frame requests for the picture thread (none: no picture).
    req_tx: Option<Sender<FrameRequest>>,
    sound_tx: Option<Sender<Vec<f32>>>,
}

impl Worker {
    fn run(&mut self, stop: &AtomicBool) {
        while !stop.load(Ordering::Acquire) {
            if let Err(e) = self.turn() {
                tracing::warn!("the session stopped: {e}");
                self.out.push(FromSession::Failed(e));
                self.out.flush_blocking(stop);
                return;
            }
            if !self.out.flush() {
                return;
            }
            std::thread::sleep(TURN);
        }
    }

    fn turn(&mut self) -> Result<(), String> {
        loop {
            match self.to_rx.try_recv() {
                Ok(answer) => {
                    let spoken = matches!(answer, ToSession::Speech(_));
                    self.turns.recognising.store(spoken, Ordering::Release);
                    let out = self.pump.answer(&mut self.session, answer);
                    self.turns.recognising.store(false, Ordering::Release);
                    let out = out.map_err(|e| e.to_string())?;
                    out.into_iter().for_each(|m| self.out.push(m));
                }
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
        let out = self.pump.tick(&mut self.session, pos, LEAD_SECS, Duration::ZERO).map_err(|e| e.to_string())?;
        out.into_iter().for_each(|m| self.out.push(m));
        let sound = self.pump.sound(&mut self.session, pos, LEAD_SECS);
        if let Some(tx) = &self.sound_tx
            && !sound.is_empty()
        {
            // Full means the device is far behind; dropping keeps the clock honest.
            let _ = tx.try_send(sound);
        }
        if let Some(tx) = &self.req_tx {
            let skipped = self.pump.frames(&mut self.session, pos, LEAD_SECS, |req| tx.try_send(req).is_ok());
            self.stats.frames_dropped.fetch_add(skipped, Ordering::Relaxed);
        }
        Ok(())
    }
}

/// What the picture thread reads of the rest of the session.
struct Shared {
    clock: Clock,
    stats: Arc<LiveStats>,
    stop: Arc<AtomicBool>,
    size: Arc<AtomicU64>,
    turns: Arc<Turns>,
}

fn picture_thread(
    mut picture: Picture,
    shared: &Shared,
    requests: &Receiver<FrameRequest>,
    frames: &Sender<LiveFrame>,
) {
    let Shared { clock, stats, stop, size, turns } = shared;
    let fps = f64::from(picture.format().fps);
    while !stop.load(Ordering::Acquire) {
        let req = match requests.recv_timeout(Duration::from_millis(50)) {
            Ok(r) => r,
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => continue,
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return,
        };
        if turns.picture_yields() {
            // The screen holds its last frame; the child is not looking at it.
            stats.frames_yielded.fetch_add(1, Ordering::Relaxed);
            continue;
        }
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
