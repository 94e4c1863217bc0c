//! The streaming driver: runs a [`Generator`] on its own thread, ahead of playback.
//!
//! The caller (the app) sends the story's timeline and chunk requests; the driver keeps a
//! *bounded* queue of ready chunks and never blocks the caller:
//!
//! - [`StreamingDriver::request`] queues a [`ChunkSpec`] (which chunk, in which format, without
//!   the story); it fails at once with [`StreamError::QueueFull`] when `max_pending` requests
//!   wait already.
//! - [`StreamingDriver::update_timeline`] replaces the story's [`Timeline`] (the world and the
//!   events stamped so far). Each update bumps a *generation*; the worker pairs every spec with
//!   the newest timeline it has. Updates coalesce (a bounded latest-value slot), so a burst of
//!   events costs one hand-over.
//! - Chunks made from an outdated timeline are superseded: the worker drops the one in hand and
//!   the ready ones still queued, and makes them again from the new timeline, in index order,
//!   before anything else; [`StreamingDriver::try_next`] also drops any stale chunk that raced
//!   past and sends its spec back. So the next chunk the caller gets after an update reflects it,
//!   without waiting for the queue to drain.
//! - The driver keeps the generator's context honest: before making a chunk that does not follow
//!   the one made last (a superseded chunk made again), it calls [`Generator::seek`], so the
//!   context of the superseded chunks is dropped; [`StreamingDriver::restart`] starts a new
//!   stream (pending and ready chunks dropped, not re-made) and calls [`Generator::reset`].
//! - Timing is measured here and nowhere else: every chunk carries its
//!   [`ChunkTiming`](crate::ChunkTiming) (generation time, play time, and whether it was late:
//!   slower than real time, or past the spec's deadline).
//! - Dropping the driver stops the worker: it finishes at most the chunk in hand (waiting up to
//!   `shutdown_timeout`, then detaching), so drop never hangs on a stuck model.
//!
//! Memory is bounded by `capacity` ready chunks + 1 in hand + `capacity + 2` re-made specs +
//! `max_pending` specs.

use crate::chunk::{Chunk, ChunkRequest, ChunkTiming, Generator, GeneratorError};
use campfire_render::{Timeline, VideoFormat};
use campfire_scene::SceneState;
use crossbeam_channel::{Receiver, Select, Sender, TryRecvError, TrySendError, bounded};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Driver settings.
#[derive(Clone, Debug)]
pub struct DriverConfig {
    /// Ready chunks kept at most (the read-ahead).
    pub capacity: usize,
    /// Requests waiting at most before `request` refuses.
    pub max_pending: usize,
    /// How long drop waits for the chunk in hand before detaching the worker.
    pub shutdown_timeout: Duration,
}

impl Default for DriverConfig {
    fn default() -> Self {
        Self { capacity: 2, max_pending: 4, shutdown_timeout: Duration::from_secs(5) }
    }
}

/// A chunk to make, without the story (the driver adds the newest timeline).
#[derive(Clone, Debug, PartialEq)]
pub struct ChunkSpec {
    /// Chunk `index` holds frames `format.chunk_first_frame(index) ..` of the stream.
    pub index: u64,
    pub format: VideoFormat,
    pub seed: u64,
    /// When playback needs it; a chunk finished later is reported late.
    pub deadline: Option<Instant>,
}

impl ChunkSpec {
    /// Chunk `index` in the live format ([`VideoFormat::LIVE`]), seed 0, no deadline.
    pub fn new(index: u64) -> Self {
        Self { index, format: VideoFormat::LIVE, seed: 0, deadline: None }
    }

    pub fn with_format(mut self, format: VideoFormat) -> Self {
        self.format = format;
        self
    }

    pub fn with_size(mut self, width: u32, height: u32) -> Self {
        self.format = self.format.with_size(width, height);
        self
    }

    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    pub fn with_deadline(mut self, deadline: Instant) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The full request for a timeline.
    pub fn to_request(&self, timeline: Timeline) -> ChunkRequest {
        ChunkRequest { index: self.index, timeline, format: self.format, seed: self.seed }
    }

    /// The spec of the chunk that follows this one.
    pub fn next(&self) -> ChunkSpec {
        ChunkSpec { index: self.index + 1, deadline: None, ..self.clone() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    #[error("request queue is full ({0} waiting); try again after taking a chunk")]
    QueueFull(usize),
    #[error("the generator thread has stopped")]
    Stopped,
    #[error("chunk {index} failed")]
    Failed {
        index: u64,
        #[source]
        error: GeneratorError,
    },
}

/// Running totals, for overlays and benchmarks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DriverStats {
    pub generated: u64,
    pub late: u64,
    pub superseded: u64,
    pub failed: u64,
    pub total_generate_ms: f64,
}

/// A spec with the stream it was asked for: `epoch` is the generation of the last restart when
/// it was requested, so a spec of a stream that was restarted since is dropped, not made.
#[derive(Clone, Debug)]
struct Job {
    epoch: u64,
    spec: ChunkSpec,
}

/// What travels on the ready queue: the job is kept so a stale chunk can be made again.
struct Delivery {
    job: Job,
    generation: u64,
    result: Result<Chunk, GeneratorError>,
}

struct Shared {
    generation: AtomicU64,
    /// Chunks of generations before this one belong to a stream that was restarted: they are
    /// dropped, never made again.
    restarted_at: AtomicU64,
    stats: Mutex<DriverStats>,
}

/// A timeline handed to the worker, with its generation and whether it starts a new stream.
struct Update {
    generation: u64,
    timeline: Timeline,
    restart: bool,
}

impl Shared {
    fn stats(&self, f: impl FnOnce(&mut DriverStats)) {
        if let Ok(mut s) = self.stats.lock() {
            f(&mut s);
        }
    }
}

/// Runs a generator on its own thread with a bounded read-ahead queue.
pub struct StreamingDriver {
    name: String,
    chunk_frames: Option<u32>,
    capacity: usize,
    shared: Arc<Shared>,
    state_tx: Sender<Update>,
    state_drain: Receiver<Update>,
    req_tx: Sender<Job>,
    resubmit_tx: Sender<Job>,
    ready_rx: Receiver<Delivery>,
    stop_tx: Option<Sender<()>>,
    done_rx: Receiver<()>,
    worker: Option<JoinHandle<()>>,
    shutdown_timeout: Duration,
}

impl StreamingDriver {
    /// Starts the worker thread.
    pub fn new(generator: Box<dyn Generator>, config: DriverConfig) -> Self {
        let capacity = config.capacity.max(1);
        let (state_tx, state_rx) = bounded(1);
        let (req_tx, req_rx) = bounded(config.max_pending.max(1));
        let (resubmit_tx, resubmit_rx) = bounded(capacity + 2);
        let (ready_tx, ready_rx) = bounded(capacity);
        let (stop_tx, stop_rx) = bounded::<()>(0);
        let (done_tx, done_rx) = bounded(1);
        let shared = Arc::new(Shared {
            generation: AtomicU64::new(0),
            restarted_at: AtomicU64::new(0),
            stats: Mutex::new(DriverStats::default()),
        });
        let name = generator.name().to_string();
        let chunk_frames = generator.chunk_frames();
        let worker = Worker {
            generator,
            shared: shared.clone(),
            state_rx: state_rx.clone(),
            req_rx,
            resubmit_rx,
            ready_tx,
            ready_drain: ready_rx.clone(),
            stop_rx,
            current: None,
            restarted_at: 0,
            last_made: None,
            redo: BTreeMap::new(),
        };
        let handle = std::thread::Builder::new()
            .name(format!("campfire-gen-{name}"))
            .spawn(move || {
                worker.run();
                let _ = done_tx.send(());
            })
            .ok();
        if handle.is_none() {
            tracing::error!("could not start the generator thread; chunks will not arrive");
        }
        Self {
            name,
            chunk_frames,
            capacity,
            shared,
            state_tx,
            state_drain: state_rx,
            req_tx,
            resubmit_tx,
            ready_rx,
            stop_tx: Some(stop_tx),
            done_rx,
            worker: handle,
            shutdown_timeout: config.shutdown_timeout,
        }
    }

    pub fn generator_name(&self) -> &str {
        &self.name
    }

    /// [`Generator::chunk_frames`] of the generator it runs.
    pub fn chunk_frames(&self) -> Option<u32> {
        self.chunk_frames
    }

    /// Ready-queue capacity.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The current timeline generation (bumped by every update).
    pub fn generation(&self) -> u64 {
        self.shared.generation.load(Ordering::SeqCst)
    }

    /// Replaces the story's timeline; returns the new generation. Never blocks: an update the
    /// worker has not picked up yet is replaced by this one. Chunks not yet taken are made again
    /// from it.
    pub fn update_timeline(&self, timeline: Timeline) -> u64 {
        self.send_update(timeline, false)
    }

    /// [`StreamingDriver::update_timeline`] for a caller that knows only the newest world: the
    /// timeline of a world where nothing more happens.
    pub fn update_state(&self, state: impl Into<Arc<SceneState>>) -> u64 {
        self.update_timeline(Timeline::still(state))
    }

    /// Starts a new stream on `timeline` (a new story, a loaded save): requests waiting and
    /// chunks ready are dropped, not made again, and the generator forgets its context.
    pub fn restart(&self, timeline: Timeline) -> u64 {
        self.send_update(timeline, true)
    }

    fn send_update(&self, timeline: Timeline, restart: bool) -> u64 {
        let generation = self.shared.generation.fetch_add(1, Ordering::SeqCst) + 1;
        if restart {
            self.shared.restarted_at.fetch_max(generation, Ordering::SeqCst);
        }
        let mut msg = Update { generation, timeline, restart };
        loop {
            match self.state_tx.try_send(msg) {
                Ok(()) => break,
                Err(TrySendError::Full(m)) => {
                    // Take the older update out of the slot and put ours in; a restart it
                    // carried still holds for ours.
                    if let Ok(older) = self.state_drain.try_recv() {
                        msg = Update { restart: m.restart || older.restart, ..m };
                    } else {
                        msg = m;
                    }
                }
                Err(TrySendError::Disconnected(_)) => break,
            }
        }
        generation
    }

    /// Queues a chunk to make. Never blocks.
    pub fn request(&self, spec: ChunkSpec) -> Result<(), StreamError> {
        let epoch = self.shared.restarted_at.load(Ordering::SeqCst);
        match self.req_tx.try_send(Job { epoch, spec }) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(_)) => Err(StreamError::QueueFull(self.req_tx.len())),
            Err(TrySendError::Disconnected(_)) => Err(StreamError::Stopped),
        }
    }

    /// Requests waiting (not yet started).
    pub fn pending_len(&self) -> usize {
        self.req_tx.len()
    }

    /// Chunks ready to take (never more than the capacity).
    pub fn ready_len(&self) -> usize {
        self.ready_rx.len()
    }

    /// Takes the next ready chunk made from the current timeline, if any. Never blocks.
    pub fn try_next(&self) -> Option<Result<Chunk, StreamError>> {
        loop {
            let d = match self.ready_rx.try_recv() {
                Ok(d) => d,
                Err(TryRecvError::Empty) => return None,
                Err(TryRecvError::Disconnected) => return Some(Err(StreamError::Stopped)),
            };
            if let Some(r) = self.accept(d) {
                return Some(r);
            }
        }
    }

    /// Waits up to `timeout` for the next chunk made from the current timeline.
    pub fn next_timeout(&self, timeout: Duration) -> Option<Result<Chunk, StreamError>> {
        let until = Instant::now() + timeout;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            let d = match self.ready_rx.recv_timeout(left) {
                Ok(d) => d,
                Err(crossbeam_channel::RecvTimeoutError::Timeout) => return None,
                Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return Some(Err(StreamError::Stopped)),
            };
            if let Some(r) = self.accept(d) {
                return Some(r);
            }
        }
    }

    /// Running totals.
    pub fn stats(&self) -> DriverStats {
        self.shared.stats.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Passes a delivery on, or sends a stale one back to be made again.
    fn accept(&self, d: Delivery) -> Option<Result<Chunk, StreamError>> {
        if d.job.epoch < self.shared.restarted_at.load(Ordering::SeqCst) {
            return None;
        }
        if d.generation < self.generation() {
            self.shared.stats(|s| s.superseded += 1);
            if self.resubmit_tx.try_send(d.job).is_err() {
                tracing::warn!("stale chunk could not be re-queued; the caller must request it again");
            }
            return None;
        }
        Some(d.result.map_err(|error| StreamError::Failed { index: d.job.spec.index, error }))
    }
}

impl Drop for StreamingDriver {
    fn drop(&mut self) {
        // Disconnecting the stop channel wakes the worker wherever it waits.
        self.stop_tx.take();
        let Some(handle) = self.worker.take() else { return };
        match self.done_rx.recv_timeout(self.shutdown_timeout) {
            Ok(()) | Err(crossbeam_channel::RecvTimeoutError::Disconnected) => {
                let _ = handle.join();
            }
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                tracing::warn!(generator = %self.name, "generator still busy at shutdown; detaching its thread");
            }
        }
    }
}

struct Worker {
    generator: Box<dyn Generator>,
    shared: Arc<Shared>,
    state_rx: Receiver<Update>,
    req_rx: Receiver<Job>,
    resubmit_rx: Receiver<Job>,
    ready_tx: Sender<Delivery>,
    /// The worker's own handle on the ready queue, to pull back stale chunks.
    ready_drain: Receiver<Delivery>,
    stop_rx: Receiver<()>,
    current: Option<(u64, Timeline)>,
    /// Generation of the last restart (the worker's copy).
    restarted_at: u64,
    /// Index of the chunk made last, to know when the generator must seek.
    last_made: Option<u64>,
    /// Specs to make again from a newer timeline, by index.
    redo: BTreeMap<u64, Job>,
}

enum Wake {
    Stop,
    Work,
}

impl Worker {
    fn run(mut self) {
        tracing::debug!(generator = self.generator.name(), "generator thread started");
        loop {
            if self.stopped() {
                break;
            }
            self.absorb();
            let job = match self.next_job() {
                Some(job) => job,
                None => match self.wait() {
                    Wake::Stop => break,
                    Wake::Work => continue,
                },
            };
            let Some((generation, timeline)) = self.current.clone() else {
                // Nothing to draw yet: keep the spec until a timeline arrives.
                self.redo.insert(job.spec.index, job);
                match self.wait_for_state() {
                    Wake::Stop => break,
                    Wake::Work => continue,
                }
            };
            let delivery = self.make(job, generation, timeline);
            if let Wake::Stop = self.deliver(delivery) {
                break;
            }
        }
        tracing::debug!("generator thread stopped");
    }

    fn stopped(&self) -> bool {
        matches!(self.stop_rx.try_recv(), Err(TryRecvError::Disconnected))
    }

    /// Takes in new timelines and specs sent back by the caller.
    fn absorb(&mut self) {
        while let Ok(s) = self.state_rx.try_recv() {
            self.set_state(s);
        }
        while let Ok(job) = self.resubmit_rx.try_recv() {
            self.redo.insert(job.spec.index, job);
        }
    }

    fn set_state(&mut self, update: Update) {
        let Update { generation, timeline, restart } = update;
        if self.current.as_ref().is_some_and(|(g, _)| *g >= generation) {
            return;
        }
        self.current = Some((generation, timeline));
        if restart {
            // A new stream: what was asked for or made for the old one is dropped.
            self.restarted_at = generation;
            self.redo.retain(|_, job| job.epoch >= generation);
            while self.ready_drain.try_recv().is_ok() {}
            self.generator.reset();
            self.last_made = None;
            return;
        }
        // Ready chunks from older timelines are superseded: make them again.
        let mut keep = Vec::new();
        while let Ok(d) = self.ready_drain.try_recv() {
            if d.job.epoch < self.restarted_at {
                continue;
            }
            if d.generation < generation {
                self.shared.stats(|s| s.superseded += 1);
                self.redo.insert(d.job.spec.index, d.job);
            } else {
                keep.push(d);
            }
        }
        for d in keep {
            // Room is guaranteed: we just took at least as many out.
            let _ = self.ready_tx.try_send(d);
        }
    }

    fn next_job(&mut self) -> Option<Job> {
        if let Some((_, job)) = self.redo.pop_first() {
            return Some(job);
        }
        // Specs asked for before a restart are dropped.
        loop {
            let job = self.req_rx.try_recv().ok()?;
            if job.epoch >= self.restarted_at {
                return Some(job);
            }
        }
    }

    /// Sleeps until something happens.
    fn wait(&mut self) -> Wake {
        let mut sel = Select::new();
        let stop = sel.recv(&self.stop_rx);
        let state = sel.recv(&self.state_rx);
        let resub = sel.recv(&self.resubmit_rx);
        let req = sel.recv(&self.req_rx);
        let op = sel.select();
        let i = op.index();
        if i == stop {
            let _ = op.recv(&self.stop_rx);
            Wake::Stop
        } else if i == state {
            if let Ok(s) = op.recv(&self.state_rx) {
                self.set_state(s);
            }
            Wake::Work
        } else if i == resub {
            if let Ok(job) = op.recv(&self.resubmit_rx) {
                self.redo.insert(job.spec.index, job);
            }
            Wake::Work
        } else {
            debug_assert_eq!(i, req);
            if let Ok(job) = op.recv(&self.req_rx) {
                // Specs asked for before a restart are dropped.
                if job.epoch >= self.restarted_at {
                    self.redo.insert(job.spec.index, job);
                }
            }
            Wake::Work
        }
    }

    fn wait_for_state(&mut self) -> Wake {
        let mut sel = Select::new();
        let stop = sel.recv(&self.stop_rx);
        let _state = sel.recv(&self.state_rx);
        let op = sel.select();
        if op.index() == stop {
            let _ = op.recv(&self.stop_rx);
            return Wake::Stop;
        }
        if let Ok(s) = op.recv(&self.state_rx) {
            self.set_state(s);
        }
        Wake::Work
    }

    fn make(&mut self, job: Job, generation: u64, timeline: Timeline) -> Delivery {
        let spec = &job.spec;
        // A chunk that does not follow the last one made (a superseded one made again, or a
        // jump): the context of that chunk and later ones is stale.
        if self.last_made.is_some_and(|last| last.checked_add(1) != Some(spec.index)) {
            self.generator.seek(spec.index);
        }
        self.last_made = Some(spec.index);
        let request = spec.to_request(timeline);
        let started = Instant::now();
        let mut result = self.generator.generate(&request);
        let generate_ms = started.elapsed().as_secs_f64() * 1000.0;
        match &mut result {
            Ok(chunk) => {
                let budget_ms = request.duration_ms();
                let late = generate_ms > budget_ms || spec.deadline.is_some_and(|d| Instant::now() > d);
                chunk.generation = generation;
                chunk.timing = Some(ChunkTiming { generate_ms, budget_ms, late });
                self.shared.stats(|s| {
                    s.generated += 1;
                    s.late += late as u64;
                    s.total_generate_ms += generate_ms;
                });
                tracing::trace!(index = spec.index, generate_ms, late, "chunk ready");
            }
            Err(e) => {
                tracing::warn!(index = spec.index, "generator failed: {e}");
                self.shared.stats(|s| s.failed += 1);
            }
        }
        Delivery { job, generation, result }
    }

    /// Puts a chunk on the ready queue, waiting for room, but gives up on it if the
    /// timeline changes meanwhile (it is made again; dropped after a restart) and leaves at once on stop.
    fn deliver(&mut self, d: Delivery) -> Wake {
        loop {
            if d.job.epoch < self.restarted_at {
                return Wake::Work;
            }
            if self.current.as_ref().is_some_and(|(g, _)| *g > d.generation) {
                self.shared.stats(|s| s.superseded += 1);
                self.redo.insert(d.job.spec.index, d.job);
                return Wake::Work;
            }
            let mut sel = Select::new();
            let send = sel.send(&self.ready_tx);
            let stop = sel.recv(&self.stop_rx);
            let _state = sel.recv(&self.state_rx);
            let op = sel.select();
            let i = op.index();
            if i == send {
                return match op.send(&self.ready_tx, d) {
                    Ok(()) => Wake::Work,
                    Err(_) => Wake::Stop,
                };
            } else if i == stop {
                let _ = op.recv(&self.stop_rx);
                return Wake::Stop;
            } else if let Ok(s) = op.recv(&self.state_rx) {
                self.set_state(s);
            }
        }
    }
}
