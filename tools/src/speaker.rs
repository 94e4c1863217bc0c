//! The session's sound through the speakers (cpal), and the clock it gives: the number of
//! samples the device has taken. Where there is no audio device, a wall clock stands in and the
//! story goes on silently.

use campfire_session::SAMPLE_RATE;
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Where the position of the sound heard comes from.
pub enum Clock {
    Speaker(Speaker),
    /// No device: real time since the start, and the sound is dropped.
    Wall(Instant),
}

impl Clock {
    /// The speakers if they open, else the wall clock (with the reason, for a one-line notice).
    pub fn open() -> (Clock, Option<String>) {
        if let Some(why) = no_sound_card() {
            return (Clock::Wall(Instant::now()), Some(why));
        }
        match Speaker::open() {
            Ok(s) => (Clock::Speaker(s), None),
            Err(e) => (Clock::Wall(Instant::now()), Some(e)),
        }
    }

    /// Seconds of the session's sound heard so far.
    pub fn position(&self) -> f64 {
        match self {
            Clock::Speaker(s) => s.played.load(Ordering::Relaxed) as f64 / SAMPLE_RATE as f64,
            Clock::Wall(t) => t.elapsed().as_secs_f64(),
        }
    }

    /// Hands sound over to be played after what is already queued.
    pub fn play(&self, samples: &[f32]) {
        if let Clock::Speaker(s) = self
            && let Ok(mut q) = s.queue.lock()
        {
            q.extend(samples);
        }
    }
}

/// Linux without a sound card: say so once, before ALSA prints a screenful trying.
pub fn no_sound_card() -> Option<String> {
    if !cfg!(target_os = "linux") || std::env::var_os("PULSE_SERVER").is_some() {
        return None;
    }
    match std::fs::read_to_string("/proc/asound/cards") {
        Ok(cards) => cards.contains("no soundcards").then(|| "no sound card on this machine".to_string()),
        Err(_) => Some("no sound card on this machine (no /proc/asound)".to_string()),
    }
}

pub struct Speaker {
    _stream: cpal::Stream,
    queue: Arc<Mutex<VecDeque<f32>>>,
    played: Arc<AtomicU64>,
}

impl Speaker {
    fn open() -> Result<Speaker, String> {
        let host = cpal::default_host();
        let device = host
            .default_output_device()
            .ok_or_else(|| format!("no audio output device (audio host {:?})", host.id()))?;
        let supported = device.default_output_config().map_err(|e| format!("the audio output cannot be used: {e}"))?;
        let config = supported.config();
        let channels = config.channels.max(1) as usize;
        let device_rate = config.sample_rate.max(1);
        let queue = Arc::new(Mutex::new(VecDeque::<f32>::new()));
        let played = Arc::new(AtomicU64::new(0));
        // Linear interpolation from the session's rate to the device's: enough for a voice,
        // and it keeps state across callbacks (a block resampler would click at each edge).
        let step = SAMPLE_RATE as f64 / device_rate as f64;
        let (q, p) = (queue.clone(), played.clone());
        let mut phase = 0.0f64;
        let mut next = move || -> f32 {
            let Ok(mut q) = q.try_lock() else { return 0.0 };
            if q.len() < 2 {
                return 0.0;
            }
            let s = q[0] + (q[1] - q[0]) * phase as f32;
            phase += step;
            while phase >= 1.0 && q.len() >= 2 {
                phase -= 1.0;
                q.pop_front();
                p.fetch_add(1, Ordering::Relaxed);
            }
            s
        };
        let on_error = |e: cpal::Error| tracing::warn!("audio output error: {e}");
        macro_rules! build {
            ($t:ty, $conv:expr) => {
                device.build_output_stream::<$t, _, _>(
                    config.clone(),
                    move |data: &mut [$t], _| {
                        for frame in data.chunks_mut(channels) {
                            let v = $conv(next());
                            frame.fill(v);
                        }
                    },
                    on_error,
                    None,
                )
            };
        }
        let stream = match supported.sample_format() {
            cpal::SampleFormat::F32 => build!(f32, |s: f32| s),
            cpal::SampleFormat::I16 => build!(i16, |s: f32| (s * 32767.0) as i16),
            cpal::SampleFormat::U16 => build!(u16, |s: f32| (s * 32767.0 + 32768.0) as u16),
            other => return Err(format!("the audio output wants {other:?} samples, which we cannot give")),
        }
        .map_err(|e| format!("the audio output cannot be opened: {e}"))?;
        stream.play().map_err(|e| format!("the audio output cannot start: {e}"))?;
        Ok(Speaker { _stream: stream, queue, played })
    }
}
