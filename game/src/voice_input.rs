//! Push-to-talk: hold Space (or the big button) and speak; or hands-free (H toggles): the VAD
//! finds where the child starts and stops. A listening indicator with a live level meter. The
//! microphone and the listener run on their own thread (`ears`); what was said goes to the
//! session thread, which transcribes it with whisper. No microphone, no whisper model, or
//! `--no-mic`: a one-line notice saying which, and answers are clicked or typed.

use crate::GameOptions;
use crate::fonts::Fonts;
use crate::link::LiveLink;
use crate::screens::Screen;
use bevy::prelude::*;
use campfire_session::live::ToSession;
use campfire_voice::listen::{Heard, Listener, Trigger};
use crossbeam_channel::{Receiver, Sender, bounded};

enum ToEars {
    Press,
    Release,
    Trigger(Trigger),
}

enum FromEars {
    Level(f32),
    /// The child started (true) or stopped (false) talking, or holding the button.
    Talking(bool),
    Speech(Vec<f32>),
    Silence,
    /// The microphone could not be opened.
    Unavailable(String),
}

#[derive(Resource)]
struct Ears {
    tx: Sender<ToEars>,
    rx: Receiver<FromEars>,
}

/// What the indicator shows.
#[derive(Resource, Default, Debug)]
pub struct Listening {
    pub held: bool,
    pub hands_free: bool,
    pub level: f32,
    pub unavailable: Option<String>,
}

#[derive(Component)]
struct TalkButton;
#[derive(Component)]
struct LevelBar;
#[derive(Component)]
struct TalkLabel;

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<Listening>();
    app.add_systems(Startup, open_ears);
    app.add_systems(OnEnter(Screen::Playing), spawn_talk_button);
    app.add_systems(
        Update,
        (space_key, hands_free_key, from_ears, show)
            .chain()
            .run_if(in_state(Screen::Playing).and_then(resource_exists::<LiveLink>)),
    );
}

fn open_ears(mut commands: Commands, options: Res<GameOptions>, mut listening: ResMut<Listening>) {
    let off = match (options.mic_off, &options.live.whisper) {
        (true, _) => Some("microphone off (--no-mic): answers are clicked or typed"),
        (false, None) => Some("no speech model: answers are clicked or typed"),
        (false, Some(_)) => None,
    };
    if let Some(why) = off {
        listening.unavailable = Some(why.into());
        return;
    }
    let (tx, ears_rx) = bounded::<ToEars>(8);
    let (ears_tx, rx) = bounded::<FromEars>(32);
    let spawned = std::thread::Builder::new().name("ears".into()).spawn(move || ears(&ears_rx, &ears_tx));
    match spawned {
        Ok(_) => commands.insert_resource(Ears { tx, rx }),
        Err(e) => listening.unavailable = Some(format!("no microphone thread: {e}")),
    }
}

/// Owns the microphone (its stream must stay on one thread) and the push-to-talk listener.
fn ears(commands: &Receiver<ToEars>, out: &Sender<FromEars>) {
    let mic = match campfire_voice::mic::Microphone::open() {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!("no microphone ({e}); answers are clicked or typed");
            let _ = out.send(FromEars::Unavailable(e.to_string()));
            return;
        }
    };
    let mut listener = Listener::new(Trigger::PushToTalk, mic.sample_rate(), Default::default());
    let mut talking = false;
    loop {
        crossbeam_channel::select! {
            recv(commands) -> cmd => match cmd {
                Ok(ToEars::Press) => listener.press(),
                Ok(ToEars::Release) => {
                    if let Some(heard) = listener.release() {
                        hand_over(heard, out);
                    }
                }
                Ok(ToEars::Trigger(t)) => listener.set_trigger(t),
                Err(_) => return,
            },
            recv(mic.chunks()) -> chunk => {
                let Ok(chunk) = chunk else { return };
                let rms = (chunk.iter().map(|s| s * s).sum::<f32>() / chunk.len().max(1) as f32).sqrt();
                let _ = out.try_send(FromEars::Level(rms));
                for heard in listener.feed(&chunk) {
                    hand_over(heard, out);
                }
            }
        }
        if listener.is_listening() != talking {
            talking = !talking;
            let _ = out.try_send(FromEars::Talking(talking));
        }
    }
}

fn hand_over(heard: Heard, out: &Sender<FromEars>) {
    let _ = out.try_send(match heard {
        Heard::Speech { samples, .. } => FromEars::Speech(samples),
        Heard::Silence => FromEars::Silence,
    });
}

fn spawn_talk_button(mut commands: Commands, fonts: Res<Fonts>) {
    commands
        .spawn((
            DespawnOnExit(Screen::Playing),
            TalkButton,
            Button,
            Node {
                position_type: PositionType::Absolute,
                left: Val::Px(16.0),
                bottom: Val::Px(16.0),
                padding: UiRect::all(Val::Px(12.0)),
                flex_direction: FlexDirection::Column,
                row_gap: Val::Px(6.0),
                border_radius: BorderRadius::all(Val::Px(16.0)),
                ..default()
            },
            BackgroundColor(Color::srgba(0.1, 0.1, 0.15, 0.8)),
        ))
        .with_children(|b| {
            b.spawn((TalkLabel, Text::new("Hold Space to talk"), fonts.at(18.0)));
            b.spawn((
                Node { width: Val::Px(160.0), height: Val::Px(10.0), ..default() },
                BackgroundColor(Color::srgb(0.2, 0.2, 0.2)),
            ))
            .with_child((
                LevelBar,
                Node { width: Val::Percent(0.0), height: Val::Percent(100.0), ..default() },
                BackgroundColor(Color::srgb(0.3, 0.9, 0.4)),
            ));
        })
        .observe(|_: On<Pointer<Press>>, ears: Option<Res<Ears>>, mut l: ResMut<Listening>| {
            press(ears.as_deref(), &mut l, true)
        })
        .observe(|_: On<Pointer<Release>>, ears: Option<Res<Ears>>, mut l: ResMut<Listening>| {
            press(ears.as_deref(), &mut l, false)
        });
}

fn press(ears: Option<&Ears>, listening: &mut Listening, down: bool) {
    let Some(ears) = ears else { return };
    if listening.held == down {
        return;
    }
    listening.held = down;
    let _ = ears.tx.try_send(if down { ToEars::Press } else { ToEars::Release });
}

fn space_key(keys: Res<ButtonInput<KeyCode>>, ears: Option<Res<Ears>>, mut listening: ResMut<Listening>) {
    if keys.just_pressed(KeyCode::Space) {
        press(ears.as_deref(), &mut listening, true);
    }
    if keys.just_released(KeyCode::Space) {
        press(ears.as_deref(), &mut listening, false);
    }
}

fn hands_free_key(keys: Res<ButtonInput<KeyCode>>, ears: Option<Res<Ears>>, mut listening: ResMut<Listening>) {
    let Some(ears) = ears else { return };
    if keys.just_pressed(KeyCode::KeyH) {
        listening.hands_free = !listening.hands_free;
        listening.held = false;
        let trigger = if listening.hands_free { Trigger::HandsFree } else { Trigger::PushToTalk };
        let _ = ears.tx.try_send(ToEars::Trigger(trigger));
    }
}

fn from_ears(
    ears: Option<Res<Ears>>,
    link: Res<LiveLink>,
    shown: Res<crate::ChoiceShown>,
    mut listening: ResMut<Listening>,
) {
    let Some(ears) = ears else { return };
    while let Ok(m) = ears.rx.try_recv() {
        match m {
            FromEars::Level(l) => listening.level = l,
            // The picture yields its cores to the child's voice, only for an answer (hands-free,
            // the microphone also hears the narrator).
            FromEars::Talking(talking) => link.live.set_listening(talking && !shown.choices.is_empty()),
            // Hands-free, the microphone also hears the narrator: only what is said while
            // choices wait for an answer goes to whisper.
            FromEars::Speech(_) if listening.hands_free && shown.choices.is_empty() => {}
            FromEars::Speech(samples) => {
                if link.live.to_session.try_send(ToSession::Speech(samples)).is_err() {
                    tracing::warn!("the session is busy; that answer was not heard");
                }
            }
            FromEars::Silence => tracing::info!("push-to-talk released without speech"),
            FromEars::Unavailable(why) => listening.unavailable = Some(format!("no microphone ({why})")),
        }
    }
}

fn show(
    listening: Res<Listening>,
    mut label: Query<&mut Text, With<TalkLabel>>,
    mut bar: Query<&mut Node, With<LevelBar>>,
) {
    if !listening.is_changed() {
        return;
    }
    if let Ok(mut t) = label.single_mut() {
        t.0 = match (&listening.unavailable, listening.hands_free, listening.held) {
            (Some(why), _, _) => why.clone(),
            (None, true, _) => "Hands-free: just talk (H: push-to-talk)".into(),
            (None, false, true) => "Listening...".into(),
            (None, false, false) => "Hold Space to talk (H: hands-free)".into(),
        };
    }
    if let Ok(mut n) = bar.single_mut() {
        // Speech RMS is mostly below 0.3: scale so a normal voice fills most of the bar.
        let pct = if listening.held || listening.hands_free { (listening.level * 300.0).min(100.0) } else { 0.0 };
        n.width = Val::Percent(pct);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bevy::ecs::system::RunSystemOnce;

    /// What the indicator says when nothing will listen (the microphone thread never starts).
    fn notice(options: GameOptions) -> Option<String> {
        let mut world = World::new();
        world.insert_resource(options);
        world.init_resource::<Listening>();
        world.run_system_once(open_ears).expect("open_ears runs");
        world.resource::<Listening>().unavailable.clone()
    }

    #[test]
    fn the_notice_says_why_nothing_listens() {
        let off = notice(GameOptions { mic_off: true, ..Default::default() });
        assert!(off.as_deref().is_some_and(|n| n.contains("--no-mic")), "{off:?}");
        let no_model = notice(GameOptions::default());
        assert!(no_model.as_deref().is_some_and(|n| n.starts_with("no speech model")), "{no_model:?}");
    }
}
