//! Narration through Bevy's audio: the session's sound (mono, 22.05 kHz, pulled ahead of the
//! clock on the session thread) is one endless audio source; every sample the device takes
//! moves the [`Clock`] (the sound being heard is the clock). An empty buffer plays silence
//! without moving the clock, so picture and story wait for a late sound rather than run ahead.
//! Volume: `+`/`-`; narrator pace: `[` slower, `]` faster (the session's own commands).

use crate::link::LiveLink;
use crate::screens::Screen;
use bevy::audio::{AddAudioSource, AudioPlayer, AudioSink, AudioSinkPlayback, Decodable, PlaybackSettings, Volume};
use bevy::prelude::*;
use campfire_session::SAMPLE_RATE;
use campfire_session::live::Clock;
use crossbeam_channel::Receiver;
use std::num::NonZero;
use std::time::Duration;

/// The session's sound as a Bevy audio asset.
#[derive(Asset, TypePath)]
pub struct NarrationStream {
    sound: Receiver<Vec<f32>>,
    clock: Clock,
}

impl Decodable for NarrationStream {
    type Decoder = NarrationDecoder;

    fn decoder(&self) -> NarrationDecoder {
        NarrationDecoder { sound: self.sound.clone(), clock: self.clock.clone(), buf: Vec::new(), at: 0 }
    }
}

/// Runs on the audio device's thread: never blocks.
pub struct NarrationDecoder {
    sound: Receiver<Vec<f32>>,
    clock: Clock,
    buf: Vec<f32>,
    at: usize,
}

impl Iterator for NarrationDecoder {
    type Item = bevy::audio::Sample;

    fn next(&mut self) -> Option<Self::Item> {
        if self.at >= self.buf.len() {
            match self.sound.try_recv() {
                Ok(b) => {
                    self.buf = b;
                    self.at = 0;
                }
                Err(_) => return Some(0.0),
            }
            if self.buf.is_empty() {
                return Some(0.0);
            }
        }
        let s = self.buf[self.at];
        self.at += 1;
        self.clock.played(1);
        Some(s)
    }
}

impl bevy::audio::Source for NarrationDecoder {
    fn current_span_len(&self) -> Option<usize> {
        None
    }
    fn channels(&self) -> bevy::audio::ChannelCount {
        NonZero::new(1).expect("one channel")
    }
    fn sample_rate(&self) -> bevy::audio::SampleRate {
        NonZero::new(SAMPLE_RATE).expect("a rate")
    }
    fn total_duration(&self) -> Option<Duration> {
        None
    }
}

#[derive(Component)]
struct Narration;

#[derive(Resource)]
pub struct NarrationVolume(pub f32);

pub(crate) fn plugin(app: &mut App) {
    app.add_audio_source::<NarrationStream>();
    app.insert_resource(NarrationVolume(1.0));
    app.add_systems(
        Update,
        (start_sound, controls).run_if(in_state(Screen::Playing).and_then(resource_exists::<LiveLink>)),
    );
}

fn start_sound(
    mut commands: Commands,
    link: Res<LiveLink>,
    mut streams: ResMut<Assets<NarrationStream>>,
    playing: Query<(), With<Narration>>,
    volume: Res<NarrationVolume>,
) {
    if !playing.is_empty() {
        return;
    }
    let Some(sound) = link.live.sound.clone() else { return };
    let handle = streams.add(NarrationStream { sound, clock: link.live.clock.clone() });
    commands.spawn((
        Narration,
        DespawnOnExit(Screen::Playing),
        AudioPlayer(handle),
        PlaybackSettings::ONCE.with_volume(Volume::Linear(volume.0)),
    ));
}

fn controls(
    keys: Res<ButtonInput<KeyCode>>,
    mut volume: ResMut<NarrationVolume>,
    mut sinks: Query<&mut AudioSink, With<Narration>>,
    link: Res<LiveLink>,
) {
    let step = if keys.any_just_pressed([KeyCode::Equal, KeyCode::NumpadAdd]) {
        1.25
    } else if keys.any_just_pressed([KeyCode::Minus, KeyCode::NumpadSubtract]) {
        0.8
    } else {
        1.0
    };
    if step != 1.0 {
        volume.0 = (volume.0 * step).clamp(0.05, 2.0);
        for mut sink in &mut sinks {
            sink.set_volume(Volume::Linear(volume.0));
        }
    }
    if keys.just_pressed(KeyCode::BracketLeft) {
        link.answer("slower", false);
    }
    if keys.just_pressed(KeyCode::BracketRight) {
        link.answer("faster", false);
    }
}
