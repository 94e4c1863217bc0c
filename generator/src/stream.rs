//! The streaming driver: runs a [`Generator`] on its own thread, ahead of playback.
//!
//! The caller (the app) sends scene-state updates and chunk requests; the driver keeps a
//! *bounded* queue of ready chunks and never blocks the caller:
//!
//! - [`StreamingDriver::request`] queues a [`ChunkSpec`] (what to draw, without the scene); it
//!   fails at once with [`StreamError::QueueFull`] when `max_pending` requests wait already.
//! - [`StreamingDriver::update_state`] replaces the scene. Each update bumps a *generation*;
//!   the worker pairs every spec with the newest scene it has. Updates coalesce (a bounded
//!   latest-value slot), so a burst of events costs one hand-over.
//! - Chunks made from an outdated scene are superseded: the worker drops the one in hand and the
//!   ready ones still queued, and makes them again from the new scene, in index order, before
//!   anything else; [`StreamingDriver::try_next`] also drops any stale chunk that raced past and
//!   sends its spec back. So the next chunk the caller gets after an update reflects it, without
//!   waiting for the queue to drain.
//! - Every chunk carries its [`ChunkTiming`](crate::ChunkTiming): generation time, its play time,
//!   and whether it was late (slower than real time, or past the spec's deadline).
//! - Dropping the driver stops the worker: it finishes at most the chunk in hand (waiting up to
//!   `shutdown_timeout`, then detaching), so drop never hangs on a stuck model.
//!
//! Memory is bounded by `capacity` ready chunks + 1 in hand + `capacity + 2` re-made specs +
//! `max_pending` specs.

use crate::chunk::{Chunk, ChunkRequest, Generator, GeneratorError};
use campfire_scene::{SceneState, Tick};
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

/// A chunk to make, without the scene (the driver adds the newest one).
#[derive(Clone, Debug, PartialEq)]
pub struct ChunkSpec {
    pub index: u64,
    pub start_tick: Tick,
    pub frames: u32,
    pub fps: u32,
    pub width: u32,
    pub height: u32,
    pub seed: u64,
    /// When playback needs it; a chunk finished later is reported late.
    pub deadline: Option<Instant>,
}

impl ChunkSpec {
    /// Defaults: 8 frames at 12 fps, 256×192, seed 0, no deadline.
    pub fn new(index: u64, start_tick: Tick) -> Self {
        Self {
            index,
            start_tick,
            frames: crate::chunk::DEFAULT_FRAMES,
            fps: crate::chunk::DEFAULT_FPS,
            width: 256,
            height: 192,
            seed: 0,
            deadline: None,
        }
    }

    pub fn with_size(mut self, width: u32, height: u32) -> Self {
        self.width = width;
        self.height = height;
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

    /// The full request for a scene.
    pub fn to_request(&self, state: Arc<SceneState>) -> ChunkRequest {
        ChunkRequest {
            index: self.index,
            state,
            start_tick: self.start_tick,
            frames: self.frames,
            fps: self.fps,
            width: self.width,
            height: self.height,
            seed: self.seed,
        }
    }

    /// The spec of the chunk that follows this one.
    pub fn next(&self) -> ChunkSpec {
        let ticks = self.frames as f64 * campfire_scene::TICKS_PER_SECOND as f64 / self.fps.max(1) as f64;
        ChunkSpec { index: self.index + 1, start_tick: self.start_tick + ticks.round() as Tick, deadline: None, ..self.clone() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    #[error("request queue is full ({0} waiting); try again after taking a chunk")]
    QueueFull(usize),
    #[error("the generator thread has stopped")]
    Stopped,
    #[error("chunk {index} failed: {error}")]
    Failed { index: u64, error: GeneratorError },
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

/// What travels on the ready queue: the spec is kept so a stale chunk can be made again.
struct Delivery {
    spec: ChunkSpec,
    generation: u64,
    result: Result<Chunk, GeneratorError>,
}

struct Shared {
    generation: AtomicU64,
    stats: Mutex<DriverStats>,
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
    capacity: usize,
    shared: Arc<Shared>,
    state_tx: Sender<(u64, Arc<SceneState>)>,
    state_drain: Receiver<(u64, Arc<SceneState>)>,
    req_tx: Sender<ChunkSpec>,
    resubmit_tx: Sender<ChunkSpec>,
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
        let shared = Arc::new(Shared { generation: AtomicU64::new(0), stats: Mutex::new(DriverStats::default()) });
        let name = generator.name().to_string();
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

    /// Ready-queue capacity.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The current scene generation (bumped by every update).
    pub fn generation(&self) -> u64 {
        self.shared.generation.load(Ordering::SeqCst)
    }

    /// Replaces the scene; returns the new generation. Never blocks: an update the worker has
    /// not picked up yet is replaced by this one.
    pub fn update_state(&self, state: impl Into<Arc<SceneState>>) -> u64 {
        let generation = self.shared.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let mut msg = (generation, state.into());
        loop {
            match self.state_tx.try_send(msg) {
                Ok(()) => break,
                Err(TrySendError::Full(m)) => {
                    // Take the older update out of the slot and put ours in.
                    let _ = self.state_drain.try_recv();
                    msg = m;
                }
                Err(TrySendError::Disconnected(_)) => break,
            }
        }
        generation
    }

    /// Queues a chunk to make. Never blocks.
    pub fn request(&self, spec: ChunkSpec) -> Result<(), StreamError> {
        match self.req_tx.try_send(spec) {
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

    /// Takes the next ready chunk made from the current scene, if any. Never blocks.
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

    /// Waits up to `timeout` for the next chunk made from the current scene.
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
        if d.generation < self.generation() {
            self.shared.stats(|s| s.superseded += 1);
            if self.resubmit_tx.try_send(d.spec).is_err() {
                tracing::warn!("stale chunk could not be re-queued; the caller must request it again");
            }
            return None;
        }
        Some(d.result.map_err(|error| StreamError::Failed { index: d.spec.index, error }))
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
    state_rx: Receiver<(u64, Arc<SceneState>)>,
    req_rx: Receiver<ChunkSpec>,
    resubmit_rx: Receiver<ChunkSpec>,
    ready_tx: Sender<Delivery>,
    /// The worker's own handle on the ready queue, to pull back stale chunks.
    ready_drain: Receiver<Delivery>,
    stop_rx: Receiver<()>,
    current: Option<(u64, Arc<SceneState>)>,
    /// Specs to make again from a newer scene, by index.
    redo: BTreeMap<u64, ChunkSpec>,
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
            let spec = match self.next_spec() {
                Some(spec) => spec,
                None => match self.wait() {
                    Wake::Stop => break,
                    Wake::Work => continue,
                },
            };
            let Some((generation, state)) = self.current.clone() else {
                // Nothing to draw yet: keep the spec until a scene arrives.
                self.redo.insert(spec.index, spec);
                match self.wait_for_state() {
                    Wake::Stop => break,
                    Wake::Work => continue,
                }
            };
            let delivery = self.make(spec, generation, state);
            if let Wake::Stop = self.deliver(delivery) {
                break;
            }
        }
        tracing::debug!("generator thread stopped");
    }

    fn stopped(&self) -> bool {
        matches!(self.stop_rx.try_recv(), Err(TryRecvError::Disconnected))
    }

    /// Takes in new scenes and specs sent back by the caller.
    fn absorb(&mut self) {
        while let Ok(s) = self.state_rx.try_recv() {
            self.set_state(s);
        }
        while let Ok(spec) = self.resubmit_rx.try_recv() {
            self.redo.insert(spec.index, spec);
        }
    }

    fn set_state(&mut self, (generation, state): (u64, Arc<SceneState>)) {
        if self.current.as_ref().is_some_and(|(g, _)| *g >= generation) {
            return;
        }
        self.current = Some((generation, state));
        // Ready chunks from older scenes are superseded: make them again.
        let mut keep = Vec::new();
        while let Ok(d) = self.ready_drain.try_recv() {
            if d.generation < generation {
                self.shared.stats(|s| s.superseded += 1);
                self.redo.insert(d.spec.index, d.spec);
            } else {
                keep.push(d);
            }
        }
        for d in keep {
            // Room is guaranteed: we just took at least as many out.
            let _ = self.ready_tx.try_send(d);
        }
    }

    fn next_spec(&mut self) -> Option<ChunkSpec> {
        if let Some((&i, _)) = self.redo.iter().next() {
            return self.redo.remove(&i);
        }
        self.req_rx.try_recv().ok()
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
            if let Ok(spec) = op.recv(&self.resubmit_rx) {
                self.redo.insert(spec.index, spec);
            }
            Wake::Work
        } else {
            debug_assert_eq!(i, req);
            if let Ok(spec) = op.recv(&self.req_rx) {
                self.redo.insert(spec.index, spec);
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

    fn make(&mut self, spec: ChunkSpec, generation: u64, state: Arc<SceneState>) -> Delivery {
        let request = spec.to_request(state);
        let started = Instant::now();
        let mut result = self.generator.generate(&request);
        let generate_ms = started.elapsed().as_secs_f64() * 1000.0;
        match &mut result {
            Ok(chunk) => {
                chunk.generation = generation;
                chunk.timing.generate_ms = generate_ms;
                chunk.timing.budget_ms = request.duration_ms();
                chunk.timing.late = generate_ms > chunk.timing.budget_ms || spec.deadline.is_some_and(|d| Instant::now() > d);
                let late = chunk.timing.late;
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
        Delivery { spec, generation, result }
    }

    /// Puts a chunk on the ready queue, waiting for room, but gives up on it if the scene
    /// changes meanwhile (it is made again) and leaves at once on stop.
    fn deliver(&mut self, d: Delivery) -> Wake {
        loop {
            if self.current.as_ref().is_some_and(|(g, _)| *g > d.generation) {
                self.shared.stats(|s| s.superseded += 1);
                self.redo.insert(d.spec.index, d.spec);
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
