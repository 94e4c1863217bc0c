//! The story on screen: choices as big buttons (a number badge and the words) that also take
//! 1-9, the arrows and Enter; what was heard ("I heard: …") shown for a few seconds; the
//! re-prompt shown while the narrator says it.

use crate::fonts::Fonts;
use crate::link::{LiveEvent, LiveLink};
use crate::screens::Screen;
use bevy::prelude::*;
use campfire_intent::Outcome;
use campfire_session::SessionEvent;
use std::time::Instant;

/// The choices on offer, and which one the arrows point at.
#[derive(Resource, Default, Debug)]
pub struct ChoiceShown {
    pub beat: String,
    pub choices: Vec<String>,
    pub focus: usize,
    /// When the last answer was given (for the key → frame figure).
    pub answered_at: Option<Instant>,
    /// Answers sent.
    pub answers: u32,
    /// Offers of choices seen (a re-prompt offers again).
    pub offers: u32,
}

/// The "I heard" / re-prompt line and until when (real seconds) it stays.
#[derive(Resource, Default, Debug)]
pub struct HeardBanner {
    pub text: String,
    pub until: f64,
}

#[derive(Component)]
pub struct ChoicesRoot;
#[derive(Component)]
pub struct ChoiceButton(pub usize);
#[derive(Component)]
struct BannerText;

/// Asks for choice `index` (from a key, a click or a test).
#[derive(Message, Clone, Copy, Debug)]
pub struct Choose(pub usize);

pub const BUTTON: Color = Color::srgb(0.2, 0.35, 0.6);
const FOCUSED: Color = Color::srgb(0.95, 0.6, 0.15);
const BANNER_SECS: f64 = 4.0;

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<ChoiceShown>().init_resource::<HeardBanner>();
    app.add_message::<Choose>();
    app.add_systems(OnEnter(Screen::Playing), (reset, spawn_story_ui));
    app.add_systems(
        Update,
        (on_events, choice_keys, send_choice, show_focus, show_banner)
            .chain()
            .run_if(in_state(Screen::Playing).and_then(resource_exists::<LiveLink>)),
    );
}

fn reset(mut shown: ResMut<ChoiceShown>, mut banner: ResMut<HeardBanner>) {
    *shown = ChoiceShown::default();
    *banner = HeardBanner::default();
}

fn spawn_story_ui(mut commands: Commands, fonts: Res<Fonts>) {
    commands
        .spawn(crate::screens::playing_layer(Node {
            height: Val::Percent(100.0),
            flex_direction: FlexDirection::Column,
            justify_content: JustifyContent::FlexEnd,
            align_items: AlignItems::Center,
            // The bottom strip is the talk button's (voice_input): choices sit above it.
            padding: UiRect { bottom: Val::Px(96.0), ..UiRect::all(Val::Px(16.0)) },
            row_gap: Val::Px(12.0),
            ..default()
        }))
        .with_children(|root| {
            root.spawn((
                BannerText,
                Text::new(""),
                fonts.at(26.0),
                TextColor(Color::srgb(1.0, 0.9, 0.5)),
                BackgroundColor(Color::srgba(0.0, 0.0, 0.0, 0.0)),
                Node { padding: UiRect::axes(Val::Px(12.0), Val::Px(6.0)), ..default() },
            ));
            root.spawn((
                ChoicesRoot,
                Node {
                    flex_wrap: FlexWrap::Wrap,
                    justify_content: JustifyContent::Center,
                    column_gap: Val::Px(16.0),
                    row_gap: Val::Px(12.0),
                    ..default()
                },
            ));
        });
}

fn on_events(
    mut events: MessageReader<LiveEvent>,
    mut commands: Commands,
    (mut shown, mut banner): (ResMut<ChoiceShown>, ResMut<HeardBanner>),
    time: Res<Time<Real>>,
    fonts: Res<Fonts>,
    root: Query<Entity, With<ChoicesRoot>>,
    buttons: Query<Entity, With<ChoiceButton>>,
) {
    for LiveEvent(e) in events.read() {
        match e {
            SessionEvent::ChoicesOffered { beat, choices, .. } => {
                clear(&mut commands, &buttons);
                shown.beat = beat.clone();
                shown.choices = choices.clone();
                shown.focus = 0;
                shown.offers += 1;
                let Ok(root) = root.single() else { continue };
                commands.entity(root).with_children(|row| {
                    for (i, text) in choices.iter().enumerate() {
                        spawn_choice(row, &fonts, i, text);
                    }
                });
            }
            SessionEvent::Heard { transcript, outcome, .. } => {
                let text = match outcome {
                    Outcome::Nothing { reprompt } if !reprompt.is_empty() => {
                        format!("I heard: \"{transcript}\". {reprompt}")
                    }
                    Outcome::Choice { text, .. } if transcript.trim().parse::<usize>().is_ok() => {
                        format!("You picked: {text}")
                    }
                    _ if transcript.is_empty() => "I didn't catch that.".to_string(),
                    _ => format!("I heard: \"{transcript}\""),
                };
                banner.text = text;
                banner.until = time.elapsed_secs_f64() + BANNER_SECS;
                if matches!(outcome, Outcome::Choice { .. }) {
                    clear(&mut commands, &buttons);
                    shown.choices.clear();
                }
            }
            SessionEvent::Ended { .. } => clear(&mut commands, &buttons),
            _ => {}
        }
    }
}

fn clear(commands: &mut Commands, buttons: &Query<Entity, With<ChoiceButton>>) {
    for b in buttons {
        commands.entity(b).despawn();
    }
}

fn spawn_choice(row: &mut ChildSpawnerCommands, fonts: &Fonts, i: usize, text: &str) {
    row.spawn((
        ChoiceButton(i),
        Button,
        Node {
            padding: UiRect::axes(Val::Px(24.0), Val::Px(16.0)),
            column_gap: Val::Px(14.0),
            align_items: AlignItems::Center,
            border_radius: BorderRadius::all(Val::Px(20.0)),
            min_width: Val::Px(200.0),
            ..default()
        },
        BackgroundColor(BUTTON),
    ))
    .with_children(|b| {
        // The number is the button's icon: the key that picks it.
        b.spawn((
            Node {
                width: Val::Px(44.0),
                height: Val::Px(44.0),
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                border_radius: BorderRadius::all(Val::Px(22.0)),
                ..default()
            },
            BackgroundColor(Color::srgb(1.0, 0.95, 0.8)),
        ))
        .with_child((Text::new(format!("{}", i + 1)), fonts.at(28.0), TextColor(Color::srgb(0.15, 0.1, 0.2))));
        b.spawn((Text::new(text), fonts.at(28.0)));
    })
    .observe(move |_: On<Pointer<Click>>, mut choose: MessageWriter<Choose>| {
        choose.write(Choose(i));
    });
}

/// 1-9 pick at once; the arrows move the focus and Enter picks it.
fn choice_keys(keys: Res<ButtonInput<KeyCode>>, mut shown: ResMut<ChoiceShown>, mut choose: MessageWriter<Choose>) {
    let n = shown.choices.len();
    if n == 0 {
        return;
    }
    const DIGITS: [(KeyCode, KeyCode); 9] = [
        (KeyCode::Digit1, KeyCode::Numpad1),
        (KeyCode::Digit2, KeyCode::Numpad2),
        (KeyCode::Digit3, KeyCode::Numpad3),
        (KeyCode::Digit4, KeyCode::Numpad4),
        (KeyCode::Digit5, KeyCode::Numpad5),
        (KeyCode::Digit6, KeyCode::Numpad6),
        (KeyCode::Digit7, KeyCode::Numpad7),
        (KeyCode::Digit8, KeyCode::Numpad8),
        (KeyCode::Digit9, KeyCode::Numpad9),
    ];
    for (i, (a, b)) in DIGITS.iter().enumerate().take(n) {
        if keys.any_just_pressed([*a, *b]) {
            choose.write(Choose(i));
            return;
        }
    }
    if keys.any_just_pressed([KeyCode::ArrowRight, KeyCode::ArrowDown]) {
        shown.focus = (shown.focus + 1) % n;
    }
    if keys.any_just_pressed([KeyCode::ArrowLeft, KeyCode::ArrowUp]) {
        shown.focus = (shown.focus + n - 1) % n;
    }
    if keys.any_just_pressed([KeyCode::Enter, KeyCode::NumpadEnter]) {
        choose.write(Choose(shown.focus));
    }
}

fn send_choice(mut choose: MessageReader<Choose>, link: Res<LiveLink>, mut shown: ResMut<ChoiceShown>) {
    for Choose(i) in choose.read() {
        if *i >= shown.choices.len() {
            continue;
        }
        if link.answer((i + 1).to_string(), false) {
            shown.answered_at = Some(Instant::now());
            shown.answers += 1;
        } else {
            tracing::warn!("the answer could not be passed on (the session is busy); try again");
        }
    }
}

fn show_focus(shown: Res<ChoiceShown>, mut buttons: Query<(&ChoiceButton, &mut BackgroundColor)>) {
    for (b, mut bg) in &mut buttons {
        let want = if b.0 == shown.focus { FOCUSED } else { BUTTON };
        if bg.0 != want {
            bg.0 = want;
        }
    }
}

fn show_banner(
    banner: Res<HeardBanner>,
    time: Res<Time<Real>>,
    mut text: Query<(&mut Text, &mut BackgroundColor), With<BannerText>>,
) {
    let Ok((mut t, mut bg)) = text.single_mut() else { return };
    let visible = time.elapsed_secs_f64() < banner.until;
    let want = if visible { banner.text.as_str() } else { "" };
    if t.0 != want {
        t.0 = want.to_string();
        bg.0 = if visible { Color::srgba(0.0, 0.0, 0.0, 0.6) } else { Color::srgba(0.0, 0.0, 0.0, 0.0) };
    }
}
