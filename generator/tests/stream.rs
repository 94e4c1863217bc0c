//! The streaming driver: bounded queue, ordering, supersession, context, timing, shutdown.
//!
//! No wall-clock assertions: the real reference generator is wrapped in a *gated* one that
//! makes a chunk only when the test hands it a permit and reports every call on a channel, so
//! each test decides what the worker has done before it looks. (Speed is measured by
//! `campfire bench stream`.)

use campfire_generator::*;
use campfire_render::render_frame;
use campfire_scene::*;
use crossbeam_channel::{Receiver, Sender, unbounded};
use std::time::{Duration, Instant};

/// What the gated generator was asked to do, in order.
#[derive(Clone, Debug, PartialEq)]
enum Call {
    /// Started chunk `index` on a timeline whose first world has this setting.
    Start(u64, Setting),
    Seek(u64),
    Reset,
}

/// The real reference generator, which waits for a permit before each chunk.
struct Gated {
    inner: ReferenceGenerator,
    permits: Receiver<()>,
    calls: Sender<Call>,
}

impl Generator for Gated {
    fn generate(&mut self, request: &ChunkRequest) -> Result<Chunk, GeneratorError> {
        let _ = self.calls.send(Call::Start(request.index, request.timeline.start().stage().setting));
        // A closed gate (the test is over) lets the chunk through.
        let _ = self.permits.recv();
        self.inner.generate(request)
    }

    fn seek(&mut self, index: u64) {
        let _ = self.calls.send(Call::Seek(index));
    }

    fn reset(&mut self) {
        let _ = self.calls.send(Call::Reset);
    }

    fn name(&self) -> &str {
        "gated-reference"
    }
}

/// A driver over a gated generator, the permit sender and the call log.
fn gated(config: DriverConfig) -> (StreamingDriver, Sender<()>, Receiver<Call>) {
    let (permit_tx, permit_rx) = unbounded();
    let (call_tx, call_rx) = unbounded();
    let generator = Gated { inner: ReferenceGenerator::new(), permits: permit_rx, calls: call_tx };
    (StreamingDriver::new(Box::new(generator), config), permit_tx, call_rx)
}

/// Long enough that only a hang reaches it.
const HANG: Duration = Duration::from_secs(120);

fn call(calls: &Receiver<Call>) -> Call {
    calls.recv_timeout(HANG).expect("the worker called the generator")
}

fn next(driver: &StreamingDriver) -> Chunk {
    driver.next_timeout(HANG).expect("a chunk before the hang timeout").expect("chunk ok")
}

fn day() -> SceneState {
    let mut s = scene(Setting::Meadow, TimeOfDay::Day, Weather::Clear);
    put(&mut s, "kid", Kind::Child, (Color::Red, Color::Blue), Spot::Left.position(), Action::Walk);
    s
}

fn night() -> SceneState {
    let mut s = scene(Setting::NightSky, TimeOfDay::Night, Weather::Clear);
    put(&mut s, "moon", Kind::Moon, (Color::Silver, Color::Gold), Spot::Sky.position(), Action::Shine);
    s
}

fn spec(i: u64) -> ChunkSpec {
    ChunkSpec::new(i).with_size(64, 48).with_seed(9)
}

#[test]
fn reference_generator_draws_each_frame_at_its_own_tick() {
    // The cat enters in the middle of chunk 3 (frames at ticks 48, 50, … 62): the frames before
    // tick 55 show the meadow without it, the ones after show it.
    let enter = Stamped { tick: 55, event: Event::Enter { id: "cat".into(), at: Spot::Center.position() } };
    let mut start = SceneState::new(Stage::default());
    let look = Appearance { color: Color::Orange, accent: Color::White, size: 1.0 };
    start.apply(&Event::Add { id: "cat".into(), name: "Cat".into(), kind: Kind::Cat, appearance: look }).expect("add");
    let timeline = Timeline::from_state(start.clone(), vec![enter.clone()]);
    let chunk = ReferenceGenerator::new().generate(&ChunkRequest::new(3, timeline)).expect("chunk");
    assert_eq!(chunk.index, 3);
    assert_eq!(chunk.times, vec![48.0, 50.0, 52.0, 54.0, 56.0, 58.0, 60.0, 62.0]);
    assert!(chunk.timing.is_none(), "generators do not time themselves; the driver does");
    let mut with_cat = start.clone();
    with_cat.apply_stamped(&enter).expect("enter");
    for (f, &t) in chunk.frames.iter().zip(&chunk.times) {
        let world = if t < 55.0 { &start } else { &with_cat };
        let live = VideoFormat::LIVE;
        assert_eq!(*f, render_frame(&world.pose_at(t), live.width, live.height, 0), "frame at tick {t}");
    }
    assert_ne!(chunk.frames[3], chunk.frames[4], "the cat appears between ticks 54 and 56");

    let bad = ChunkRequest::new(0, Timeline::still(start)).with_size(0, 10);
    assert!(matches!(ReferenceGenerator::new().generate(&bad), Err(GeneratorError::Format(_))));
}

#[test]
fn queue_stays_bounded_and_the_caller_never_waits() {
    let (driver, permits, calls) = gated(DriverConfig { capacity: 2, max_pending: 3, shutdown_timeout: HANG });
    driver.update_state(day());
    driver.request(spec(0)).expect("queued");
    // The worker holds chunk 0 at the gate; three more fit in the pending queue, no fourth.
    assert_eq!(call(&calls), Call::Start(0, Setting::Meadow));
    for i in 1..=3 {
        driver.request(spec(i)).expect("queued");
    }
    assert!(matches!(driver.request(spec(4)), Err(StreamError::QueueFull(3))));
    assert_eq!(driver.pending_len(), 3);

    // Open the gate for everything: chunks 0 and 1 fill the ready queue, 2 is made and held
    // until there is room, and 3 is not started.
    for _ in 0..10 {
        permits.send(()).expect("gate");
    }
    assert_eq!(call(&calls), Call::Start(1, Setting::Meadow));
    assert_eq!(call(&calls), Call::Start(2, Setting::Meadow));
    assert!(calls.recv_timeout(Duration::from_millis(300)).is_err(), "the worker ran ahead of a full ready queue");
    assert!(driver.ready_len() <= 2);

    // Taking one chunk lets exactly one more be made; everything arrives in order.
    assert_eq!(next(&driver).index, 0);
    assert_eq!(call(&calls), Call::Start(3, Setting::Meadow));
    let rest: Vec<u64> = (0..3).map(|_| next(&driver).index).collect();
    assert_eq!(rest, vec![1, 2, 3]);
    assert_eq!(driver.stats().generated, 4);
    assert_eq!(driver.stats().superseded, 0);
}

#[test]
fn a_timeline_update_supersedes_queued_chunks_and_their_context() {
    let (driver, permits, calls) = gated(DriverConfig { capacity: 2, max_pending: 4, shutdown_timeout: HANG });
    let old = driver.update_state(day());
    for i in 0..4 {
        driver.request(spec(i)).expect("queued");
    }
    // Chunks 0 and 1 of the day are made and wait in the ready queue; 2 is at the gate.
    for _ in 0..2 {
        permits.send(()).expect("gate");
    }
    assert_eq!(
        (call(&calls), call(&calls), call(&calls)),
        (Call::Start(0, Setting::Meadow), Call::Start(1, Setting::Meadow), Call::Start(2, Setting::Meadow))
    );
    // Night falls before the caller has taken anything.
    let generation = driver.update_state(night());
    assert!(generation > old);
    for _ in 0..20 {
        permits.send(()).expect("gate");
    }
    // The worker goes back to chunk 0, tells the generator so (its context from chunks 0.. is
    // stale), and makes everything again from the night, in order, as far as the ready queue
    // lets it (0 and 1 ready, 2 in hand).
    let after: Vec<Call> = (0..4).map(|_| call(&calls)).collect();
    assert_eq!(
        after,
        vec![
            Call::Seek(0),
            Call::Start(0, Setting::NightSky),
            Call::Start(1, Setting::NightSky),
            Call::Start(2, Setting::NightSky)
        ]
    );
    let night = night();
    for i in 0..4 {
        let c = next(&driver);
        assert_eq!((c.index, c.generation), (i, generation), "the caller sees only night chunks, in order");
        for (f, t) in c.frames.iter().zip(&c.times) {
            assert_eq!(*f, render_frame(&night.pose_at(*t), 64, 48, 9), "chunk {i} at tick {t} shows the old scene");
        }
    }
    // Chunk 3 follows chunk 2 of the night: no seek.
    assert_eq!(call(&calls), Call::Start(3, Setting::NightSky));
    assert_eq!(driver.stats().superseded, 3, "chunks 0 and 1 (ready) and 2 (in hand)");
}

#[test]
fn chunks_the_caller_took_are_not_made_again() {
    let (driver, permits, calls) = gated(DriverConfig::default());
    driver.update_state(day());
    for _ in 0..10 {
        permits.send(()).expect("gate");
    }
    driver.request(spec(0)).expect("queued");
    driver.request(spec(1)).expect("queued");
    assert_eq!((next(&driver).index, next(&driver).index), (0, 1));
    // The story changes after both were shown: chunk 2 continues from 1, with no seek.
    driver.update_state(night());
    driver.request(spec(2)).expect("queued");
    assert_eq!(next(&driver).index, 2);
    let log: Vec<Call> = calls.try_iter().collect();
    assert_eq!(
        log,
        vec![Call::Start(0, Setting::Meadow), Call::Start(1, Setting::Meadow), Call::Start(2, Setting::NightSky)]
    );
}

#[test]
fn a_restart_drops_the_old_stream_and_resets_the_generator() {
    let (driver, permits, calls) = gated(DriverConfig::default());
    driver.update_state(day());
    for i in 0..3 {
        driver.request(spec(i)).expect("queued");
    }
    permits.send(()).expect("gate");
    assert_eq!(call(&calls), Call::Start(0, Setting::Meadow));
    assert_eq!(call(&calls), Call::Start(1, Setting::Meadow));
    // A new story: nothing of the old one arrives, and the generator forgets its context.
    let generation = driver.restart(Timeline::still(night()));
    for _ in 0..10 {
        permits.send(()).expect("gate");
    }
    assert_eq!(call(&calls), Call::Reset);
    driver.request(spec(0)).expect("queued");
    let c = next(&driver);
    assert_eq!((c.index, c.generation), (0, generation));
    assert_eq!(call(&calls), Call::Start(0, Setting::NightSky));
    assert!(driver.try_next().is_none(), "nothing of the old stream is left");
}

#[test]
fn the_driver_times_every_chunk_and_flags_late_ones() {
    let (driver, permits, _calls) = gated(DriverConfig::default());
    driver.update_state(day());
    for _ in 0..10 {
        permits.send(()).expect("gate");
    }
    // A deadline already past is late whatever the machine; a 240 s chunk of 8×8 frames with no
    // deadline is not.
    driver.request(spec(0).with_deadline(Instant::now())).expect("queued");
    let relaxed = VideoFormat::LIVE.with_size(8, 8).with_fps(1).with_chunk_frames(240);
    driver.request(spec(1).with_format(relaxed)).expect("queued");
    let a = next(&driver);
    let timing = a.timing.expect("the driver times chunks");
    assert!(timing.late);
    assert!((timing.budget_ms - 8.0 * 1000.0 / 12.0).abs() < 1e-9);
    let b = next(&driver).timing.expect("timed");
    assert!(!b.late, "{b:?}");
    assert_eq!(b.budget_ms, 240_000.0);
    let stats = driver.stats();
    assert_eq!((stats.generated, stats.late), (2, 1));
    assert!(stats.total_generate_ms >= timing.generate_ms + b.generate_ms - 1e-9);
}

#[test]
fn dropping_the_driver_returns_even_with_a_stuck_generator() {
    // A generator at a gate that never opens, with work queued: drop gives up after its
    // shutdown timeout. A hang would stop the test at `HANG`.
    let (done_tx, done_rx) = crossbeam_channel::bounded(1);
    std::thread::spawn(move || {
        let (driver, _permits, calls) =
            gated(DriverConfig { shutdown_timeout: Duration::from_millis(100), ..DriverConfig::default() });
        driver.update_state(day());
        driver.request(spec(0)).expect("queued");
        driver.request(spec(1)).expect("queued");
        assert_eq!(call(&calls), Call::Start(0, Setting::Meadow));
        drop(driver);
        // An idle driver with no timeline yet stops too.
        let idle = StreamingDriver::new(Box::new(ReferenceGenerator::new()), DriverConfig::default());
        idle.request(spec(0)).expect("queued");
        drop(idle);
        let _ = done_tx.send(());
    });
    done_rx.recv_timeout(HANG).expect("drop returned");
}

fn scene(setting: Setting, time: TimeOfDay, weather: Weather) -> SceneState {
    SceneState::new(Stage { setting, time, weather })
}

fn put(state: &mut SceneState, id: &str, kind: Kind, look: (Color, Color), at: Position, action: Action) {
    let appearance = Appearance { color: look.0, accent: look.1, size: 1.0 };
    state.apply(&Event::Add { id: id.into(), name: id.into(), kind, appearance }).expect("add");
    state.apply(&Event::Enter { id: id.into(), at }).expect("enter");
    state.apply(&Event::Act { id: id.into(), action }).expect("act");
}
