//! What time it is in the story: the sound being heard is the clock, as in ffplay.

use crate::SAMPLE_RATE;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// `Audio`: samples the audio device has taken; `Wall`: elapsed time, where no audio device
/// opens; `Simulated`: elapsed time times a speed, for tests and benchmarks that must not take
/// minutes. Cloning shares the clock: the audio thread moves it, every other thread reads it.
#[derive(Clone)]
pub struct Clock(Arc<ClockState>);

struct ClockState {
    kind: ClockKind,
    start: Instant,
    /// Samples handed to the audio device (`Audio` only).
    samples: AtomicU64,
    /// An `Audio` clock whose device never took a sample became a wall clock at this time.
    fallback: OnceLock<Instant>,
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
            fallback: OnceLock::new(),
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
    pub(crate) fn check_device(&self, after: Duration) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_audio_clock_is_the_samples_played() {
        let clock = Clock::new(ClockKind::Audio);
        assert_eq!(clock.position(), 0.0);
        clock.played(u64::from(SAMPLE_RATE) / 2);
        assert!((clock.position() - 0.5).abs() < 1e-9);
        assert!(!clock.check_device(Duration::ZERO), "a device that took sound is not missing");
    }

    #[test]
    fn an_audio_clock_with_no_device_becomes_a_wall_clock() {
        let clock = Clock::new(ClockKind::Audio);
        assert!(clock.check_device(Duration::ZERO));
        assert!(clock.fell_back());
        assert!(!clock.check_device(Duration::ZERO), "it falls back once");
        std::thread::sleep(Duration::from_millis(20));
        assert!(clock.position() > 0.0);
    }
}
