//! The streaming driver: bounded queue, timing, state updates, shutdown.

use campfire_generator::*;
use campfire_render::render_frame;
use campfire_scene::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The real reference generator, slowed down to model a heavy network.
struct Slowed {
    inner: ReferenceGenerator,
    delay: Duration,
    calls: Arc<AtomicUsize>,
}

impl Generator for Slowed {
    fn generate(&mut self, request: &ChunkRequest) -> Result<Chunk, GeneratorError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(self.delay);
        self.inner.generate(request)
    }

    fn name(&self) -> &str {
        "slowed-reference"
    }
}

fn slowed(ms: u64) -> (Box<dyn Generator>, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    (Box::new(Slowed { inner: ReferenceGenerator::new(), delay: Duration::from_millis(ms), calls: calls.clone() }), calls)
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
    ChunkSpec::new(i, i * 16).with_size(64, 48).with_seed(9)
}

#[test]
fn reference_generator_makes_a_default_chunk() {
    let state = Arc::new(day());
    let chunk = ReferenceGenerator::new().generate(&ChunkRequest::new(3, state.clone(), 48)).expect("chunk");
    assert_eq!(chunk.index, 3);
    assert_eq!(chunk.frames.len(), 8);
    assert_eq!(chunk.times, vec![48.0, 50.0, 52.0, 54.0, 56.0, 58.0, 60.0, 62.0]);
    assert_eq!(chunk.frames[2], render_frame(&state.pose_at(52.0), 256, 192, 0));
    assert!(chunk.timing.generate_ms > 0.0 && (chunk.timing.budget_ms - 666.666).abs() < 0.01);
    let bad = ChunkRequest::new(0, state, 0).with_size(0, 10);
    assert!(matches!(ReferenceGenerator::new().generate(&bad), Err(GeneratorError::BadRequest(_))));
}

#[test]
fn queue_stays_bounded_and_caller_never_blocks_under_a_slow_generator() {
    let (generator, calls) = slowed(60);
    let config = DriverConfig { capacity: 2, max_pending: 3, shutdown_timeout: Duration::from_secs(5) };
    let driver = StreamingDriver::new(generator, config);
    driver.update_state(day());
    let mut next = 0u64;
    let mut refused = 0;
    let mut worst_call = Duration::ZERO;
    let until = Instant::now() + Duration::from_millis(900);
    // Flood it with requests and never take a chunk.
    while Instant::now() < until {
        let t = Instant::now();
        match driver.request(spec(next)) {
            Ok(()) => next += 1,
            Err(StreamError::QueueFull(_)) => refused += 1,
            Err(e) => panic!("unexpected {e}"),
        }
        worst_call = worst_call.max(t.elapsed());
        assert!(driver.ready_len() <= 2, "ready queue grew past its capacity: {}", driver.ready_len());
        assert!(driver.pending_len() <= 3);
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(refused > 0, "requests beyond the pending limit must be refused");
    assert!(worst_call < Duration::from_millis(50), "request() blocked for {worst_call:?}");
    // Read-ahead stops when the queue is full: at most capacity + 1 in hand were made.
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(driver.ready_len(), 2);
    assert!(calls.load(Ordering::SeqCst) <= 3, "worker ran ahead of a full queue: {} calls", calls.load(Ordering::SeqCst));
    // Everything accepted arrives in order.
    for i in 0..next {
        let c = driver.next_timeout(Duration::from_secs(5)).expect("chunk in time").expect("chunk ok");
        assert_eq!(c.index, i);
    }
}

#[test]
fn timing_is_reported_and_late_chunks_are_flagged() {
    let (generator, _) = slowed(40);
    let driver = StreamingDriver::new(generator, DriverConfig::default());
    driver.update_state(day());
    // One frame at 60 fps has a 16.7 ms budget: 40 ms is late.
    let mut fast = spec(0);
    fast.frames = 1;
    fast.fps = 60;
    driver.request(fast).expect("queued");
    driver.request(spec(1)).expect("queued");
    let a = driver.next_timeout(Duration::from_secs(5)).expect("in time").expect("ok");
    assert!(a.timing.generate_ms >= 40.0, "{:?}", a.timing);
    assert!((a.timing.budget_ms - 1000.0 / 60.0).abs() < 0.01);
    assert!(a.timing.late);
    let b = driver.next_timeout(Duration::from_secs(5)).expect("in time").expect("ok");
    assert!(!b.timing.late, "8 frames of 64x48 in 40 ms + render are within 667 ms: {:?}", b.timing);
    assert_eq!(driver.stats().generated, 2);
    assert_eq!(driver.stats().late, 1);
}

#[test]
fn a_state_update_reaches_the_next_chunk_without_draining_the_queue() {
    let (generator, _) = slowed(80);
    let driver = StreamingDriver::new(generator, DriverConfig { capacity: 2, max_pending: 4, ..DriverConfig::default() });
    driver.update_state(day());
    for i in 0..4 {
        driver.request(spec(i)).expect("queued");
    }
    let first = driver.next_timeout(Duration::from_secs(5)).expect("in time").expect("ok");
    assert_eq!(first.index, 0);
    // Let the queue fill with chunks of the day scene, then change the scene.
    std::thread::sleep(Duration::from_millis(250));
    assert!(driver.ready_len() >= 1, "ready chunks of the old scene are waiting");
    let generation = driver.update_state(night());
    let next = driver.next_timeout(Duration::from_secs(5)).expect("in time").expect("ok");
    assert_eq!(next.generation, generation, "the next chunk must be made from the new scene");
    assert_eq!(next.index, 1, "superseded chunks are made again, in order");
    let night = night();
    for (f, t) in next.frames.iter().zip(&next.times) {
        assert_eq!(*f, render_frame(&night.pose_at(*t), 64, 48, 9), "frame at tick {t} shows the old scene");
    }
    let rest: Vec<u64> = (0..2).map(|_| driver.next_timeout(Duration::from_secs(5)).expect("in time").expect("ok").index).collect();
    assert_eq!(rest, vec![2, 3]);
    assert!(driver.stats().superseded >= 1);
}

#[test]
fn dropping_the_driver_shuts_down_cleanly() {
    // Busy generator with work queued and a full ready queue: drop returns after the chunk in hand.
    let (generator, _) = slowed(100);
    let driver = StreamingDriver::new(generator, DriverConfig { capacity: 1, max_pending: 4, shutdown_timeout: Duration::from_secs(5) });
    driver.update_state(day());
    for i in 0..4 {
        driver.request(spec(i)).expect("queued");
    }
    std::thread::sleep(Duration::from_millis(150));
    let t = Instant::now();
    drop(driver);
    assert!(t.elapsed() < Duration::from_secs(2), "drop took {:?}", t.elapsed());

    // A stuck generator: drop gives up after the shutdown timeout instead of hanging.
    let (generator, _) = slowed(20_000);
    let driver = StreamingDriver::new(generator, DriverConfig { shutdown_timeout: Duration::from_millis(200), ..DriverConfig::default() });
    driver.update_state(day());
    driver.request(spec(0)).expect("queued");
    std::thread::sleep(Duration::from_millis(50));
    let t = Instant::now();
    drop(driver);
    assert!(t.elapsed() < Duration::from_secs(2), "drop hung on a stuck generator: {:?}", t.elapsed());

    // An idle driver with no scene yet stops at once too.
    let driver = StreamingDriver::new(Box::new(ReferenceGenerator::new()), DriverConfig::default());
    driver.request(spec(0)).expect("queued");
    let t = Instant::now();
    drop(driver);
    assert!(t.elapsed() < Duration::from_secs(2));
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
