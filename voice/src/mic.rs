//! Microphone capture with cpal (feature `mic`).
//!
//! [`Microphone::open`] takes the default input device and streams mono `f32` chunks at the
//! device's own rate over a bounded channel; [`crate::listen::Listener`] turns them into
//! utterances at 16 kHz. No device is an error ([`MicError::NoDevice`]) that the app shows while
//! keeping keyboard/touch choices working.

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use crossbeam_channel::{Receiver, bounded};

#[derive(Debug, thiserror::Error)]
pub enum MicError {
    #[error(
        "no microphone found (audio host `{host}` has no default input device); choices still work by keyboard or touch"
    )]
    NoDevice { host: String },
    #[error("the microphone cannot be used: {0}")]
    Device(String),
    #[error("the microphone gives {0:?} samples, which we cannot read")]
    Format(cpal::SampleFormat),
}

/// A running capture stream. Dropping it stops the microphone.
pub struct Microphone {
    _stream: cpal::Stream,
    chunks: Receiver<Vec<f32>>,
    sample_rate: u32,
    name: String,
}

/// Chunks kept while nobody reads (about 10 s at typical 20–50 ms callbacks); older audio is
/// dropped rather than growing memory without bound.
const BACKLOG: usize = 500;

impl Microphone {
    /// Opens the default input of the default audio host.
    pub fn open() -> Result<Microphone, MicError> {
        let host = cpal::default_host();
        let name = format!("{:?}", host.id());
        Self::open_device(host.default_input_device(), &name)
    }

    /// Opens a given device; `None` (a host without input) is [`MicError::NoDevice`].
    pub fn open_device(device: Option<cpal::Device>, host_name: &str) -> Result<Microphone, MicError> {
        let device = device.ok_or_else(|| MicError::NoDevice { host: host_name.to_string() })?;
        let name = device.description().map(|d| d.to_string()).unwrap_or_else(|_| "microphone".into());
        let supported = device.default_input_config().map_err(|e| MicError::Device(e.to_string()))?;
        let config = supported.config();
        let channels = config.channels.max(1) as usize;
        let (tx, rx) = bounded::<Vec<f32>>(BACKLOG);
        let on_error = |e: cpal::Error| tracing::warn!("microphone stream error: {e}");
        // Downmix in the callback: the rest of the pipeline is mono.
        macro_rules! build {
            ($t:ty, $conv:expr) => {{
                let tx = tx.clone();
                device.build_input_stream::<$t, _, _>(
                    config.clone(),
                    move |data: &[$t], _| {
                        let mono: Vec<f32> = data
                            .chunks(channels)
                            .map(|f| f.iter().map(|&s| $conv(s)).sum::<f32>() / channels as f32)
                            .collect();
                        // A full backlog means nobody listens right now: drop, never block the audio thread.
                        let _ = tx.try_send(mono);
                    },
                    on_error,
                    None,
                )
            }};
        }
        let stream = match supported.sample_format() {
            cpal::SampleFormat::F32 => build!(f32, |s: f32| s),
            cpal::SampleFormat::I16 => build!(i16, |s: i16| s as f32 / 32768.0),
            cpal::SampleFormat::U16 => build!(u16, |s: u16| (s as f32 - 32768.0) / 32768.0),
            cpal::SampleFormat::I32 => build!(i32, |s: i32| s as f32 / 2_147_483_648.0),
            other => return Err(MicError::Format(other)),
        }
        .map_err(|e| MicError::Device(e.to_string()))?;
        stream.play().map_err(|e| MicError::Device(e.to_string()))?;
        tracing::info!(device = %name, rate = config.sample_rate, channels, "microphone open");
        Ok(Microphone { _stream: stream, chunks: rx, sample_rate: config.sample_rate, name })
    }

    /// Mono chunks at [`Microphone::sample_rate`], as they arrive.
    pub fn chunks(&self) -> &Receiver<Vec<f32>> {
        &self.chunks
    }

    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_input_device_is_a_clear_error() {
        let err = Microphone::open_device(None, "Alsa").err().expect("no device must fail");
        assert!(err.to_string().contains("no microphone"), "{err}");
    }

    /// Can this machine capture sound at all? ALSA lists capture streams in /proc/asound/pcm
    /// (no file: no sound card or no ALSA in the kernel).
    fn machine_has_capture() -> bool {
        std::fs::read_to_string("/proc/asound/pcm").is_ok_and(|pcm| pcm.lines().any(|l| l.contains("capture")))
    }

    #[test]
    fn default_host_opens_exactly_when_the_machine_can_capture() {
        match (Microphone::open(), machine_has_capture()) {
            (Ok(m), true) => assert!(m.sample_rate() > 0),
            (Ok(m), false) => panic!("opened {:?} on a machine without a capture device", m.name()),
            (Err(e), true) => panic!("this machine has a capture device, but: {e}"),
            (Err(e), false) => {
                // The message says what is wrong (no device, or the device's own error) in
                // words a parent can act on, not just that something failed.
                let msg = e.to_string();
                assert!(msg.contains("microphone"), "{msg}");
                match e {
                    MicError::NoDevice { host } => assert!(!host.is_empty(), "{msg}"),
                    MicError::Device(cause) => assert!(cause.trim().len() > 3, "no cause given: {msg}"),
                    MicError::Format(_) => panic!("no device, yet a sample format: {msg}"),
                }
            }
        }
    }
}
