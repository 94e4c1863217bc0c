//! The narration through the speakers (cpal). The device's callback pulls the sound the session
//! handed over and reports each sample it took: that count is the session's audio clock.

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use crossbeam_channel::Receiver;
use std::collections::VecDeque;

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

/// An open output stream; dropping it stops the sound.
pub struct Speaker {
    _stream: cpal::Stream,
}

impl Speaker {
    /// Plays `sound` (mono at `rate` Hz, in order) on the default output device; `played` is
    /// told how many of its samples the device has taken, from the device's own thread.
    pub fn open(
        sound: Receiver<Vec<f32>>,
        rate: u32,
        played: impl Fn(u64) + Send + 'static,
    ) -> Result<Speaker, String> {
        if let Some(why) = no_sound_card() {
            return Err(why);
        }
        let host = cpal::default_host();
        let device = host
            .default_output_device()
            .ok_or_else(|| format!("no audio output device (audio host {:?})", host.id()))?;
        let supported = device.default_output_config().map_err(|e| format!("the audio output cannot be used: {e}"))?;
        let config = supported.config();
        let channels = config.channels.max(1) as usize;
        let device_rate = config.sample_rate.max(1);
        // Linear interpolation from the session's rate to the device's: enough for a voice,
        // and it keeps state across callbacks (a block resampler would click at each edge).
        let step = f64::from(rate) / f64::from(device_rate);
        let mut queue = VecDeque::<f32>::new();
        let mut phase = 0.0f64;
        let mut next = move || -> f32 {
            while queue.len() < 2 {
                match sound.try_recv() {
                    Ok(more) => queue.extend(more),
                    // Nothing handed over yet: silence, and the clock does not move.
                    Err(_) => return 0.0,
                }
            }
            let s = queue[0] + (queue[1] - queue[0]) * phase as f32;
            phase += step;
            while phase >= 1.0 && queue.len() >= 2 {
                phase -= 1.0;
                queue.pop_front();
                played(1);
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
        Ok(Speaker { _stream: stream })
    }
}
