//! The live loop on its own threads ([`Live`]), as the window and the terminal run it, with real
//! parts: a shipped story, espeak-ng narration, the reference renderer.
//!
//! - the terminal's shape (no picture) tells a story to its end from typed answers;
//! - dropping the session's end stops its threads, which let go of everything they held;
//! - the picture yields while the child speaks, and draws again after.

use campfire_generator::{Chunk, ChunkRequest, Generator, GeneratorError, ReferenceGenerator};
use campfire_session::SessionEvent;
use campfire_session::live::{ClockKind, FromSession, Live, LiveConfig, Start, ToSession};
use campfire_session::picture::PictureFormat;
use campfire_story::{Params, Story};
use campfire_voice::{Espeak, Synthesize, Utterance, VoiceError, VoiceSettings};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

fn demo() -> Start {
    let path = campfire_story::find("demo").expect("the shipped demo");
    Start::New { story: Arc::new(Story::load(&path).expect("it loads")), params: Params::new() }
}

/// Waits for `done`, failing with `what` after a minute (a hang, not a slow machine).
fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < Duration::from_secs(60), "never happened: {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn the_terminal_s_loop_tells_a_story_to_its_end_from_typed_answers_with_no_picture() {
    let config = LiveConfig { clock: ClockKind::Simulated { speed: 8.0 }, picture: None, ..LiveConfig::default() };
    let live = Live::start(demo(), config).expect("threads start");
    let (mut lines, mut answered, mut ended) = (0, 0, None);
    let started = Instant::now();
    while ended.is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the story never ended ({lines} lines, {answered} answers)"
        );
        match live.from_session.recv_timeout(Duration::from_millis(50)) {
            Ok(FromSession::Event(SessionEvent::LineStarted { .. })) => lines += 1,
            Ok(FromSession::Event(SessionEvent::ChoicesOffered { .. })) => {
                live.to_session.send(ToSession::Answer { text: "1".into(), spoken: false }).unwrap();
                answered += 1;
            }
            Ok(FromSession::Event(SessionEvent::Ended { name, .. })) => ended = Some(name),
            Ok(FromSession::Failed(why)) => panic!("the session failed: {why}"),
            _ => {}
        }
    }
    assert!(lines > 3 && answered >= 1, "{lines} lines, {answered} answers");
    assert_eq!(live.stats.frames_made.load(Ordering::Relaxed), 0, "no picture was asked for");
    assert!(live.frames.try_recv().is_err());
    live.join();
}

/// A narrator and a picture that hold a token: when both threads have ended, both are dropped.
struct Held<T>(T, #[allow(dead_code)] Arc<()>);

impl Synthesize for Held<Espeak> {
    fn synthesize(&mut self, text: &str) -> Result<Utterance, VoiceError> {
        self.0.synthesize(text)
    }
    fn set_settings(&mut self, settings: VoiceSettings) -> Result<(), VoiceError> {
        self.0.set_settings(settings)
    }
    fn settings(&self) -> VoiceSettings {
        Synthesize::settings(&self.0)
    }
}

impl Generator for Held<ReferenceGenerator> {
    fn generate(&mut self, request: &ChunkRequest) -> Result<Chunk, GeneratorError> {
        self.0.generate(request)
    }
    fn seek(&mut self, frame: u64) {
        self.0.seek(frame)
    }
    fn reset(&mut self) {
        self.0.reset()
    }
    fn name(&self) -> &str {
        self.0.name()
    }
}

#[test]
fn dropping_the_session_s_end_stops_its_threads_and_they_let_go_of_what_they_held() {
    let token = Arc::new(());
    let (voice, picture) = (token.clone(), token.clone());
    let config = LiveConfig {
        clock: ClockKind::Simulated { speed: 4.0 },
        synth: Arc::new(move || {
            let espeak = Espeak::new(VoiceSettings::default()).map_err(|e| e.to_string())?;
            Ok(Box::new(Held(espeak, voice.clone())) as Box<dyn Synthesize>)
        }),
        generator: Arc::new(move || Box::new(Held(ReferenceGenerator::new(), picture.clone()))),
        ..LiveConfig::default()
    };
    let live = Live::start(demo(), config).expect("threads start");
    let frames = live.frames.clone();
    eventually("the first frame", || frames.try_recv().is_ok());
    assert!(Arc::strong_count(&token) >= 3, "the narrator and the picture are running");
    drop(live);
    eventually("both threads ended and let go of the narrator and the picture", || Arc::strong_count(&token) == 1);
}

#[test]
fn the_picture_yields_while_the_child_speaks_and_draws_again_after() {
    let config = LiveConfig {
        clock: ClockKind::Simulated { speed: 1.0 },
        picture: Some(PictureFormat { width: 160, height: 120, ..PictureFormat::default() }),
        ..LiveConfig::default()
    };
    let live = Live::start(demo(), config).expect("threads start");
    let made = || live.stats.frames_made.load(Ordering::Relaxed);
    let yielded = || live.stats.frames_yielded.load(Ordering::Relaxed);
    let drain = || while live.frames.try_recv().is_ok() {};
    eventually("frames before the child speaks", || {
        drain();
        made() >= 3
    });
    live.set_listening(true);
    assert!(live.picture_yields());
    // A frame already being drawn when the child started may still come.
    std::thread::sleep(Duration::from_millis(200));
    let (made_then, yielded_then) = (made(), yielded());
    eventually("frame requests held while the child speaks", || {
        drain();
        yielded() >= yielded_then + 4
    });
    assert_eq!(made(), made_then, "no frame was drawn while the child spoke");
    live.set_listening(false);
    eventually("frames again after the child stopped", || {
        drain();
        made() >= made_then + 3
    });
    live.join();
}
