//! Subtitles: the line being heard, one text span per word, the word being said highlighted.
//! Word times come from the session's `LineStarted`/`LineWords` events (seconds from the line's
//! start on the audio clock), so the highlight follows the sound, not the frame rate.

use crate::fonts::Fonts;
use crate::link::{LiveEvent, LiveLink};
use crate::screens::Screen;
use bevy::prelude::*;
use campfire_session::SessionEvent;

/// The line on screen: who says it, its words with their clock times (seconds).
#[derive(Resource, Default, Debug)]
pub struct Subtitle {
    pub id: Option<u64>,
    pub speaker: Option<String>,
    pub words: Vec<(String, f64, f64)>,
    /// The word highlighted now.
    pub current: Option<usize>,
    /// The line ended at this clock time (it fades after).
    pub ended_at: Option<f64>,
    /// The line as written, and how many of its words the timed words have used.
    written: Vec<String>,
    used: usize,
}

impl Subtitle {
    /// Timed words as the line spells them (with its capitals and punctuation, which the
    /// synthesiser's word timings drop).
    fn add(&mut self, at: f64, words: &[campfire_voice::WordTiming]) {
        let bare = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
        for w in words {
            let want = bare(&w.word);
            // Only a few words ahead: a word the synthesiser spells differently ("3" said as
            // "three") keeps its own spelling rather than skipping the line's text.
            let found = self.written.iter().skip(self.used).take(3).position(|t| bare(t) == want);
            let shown = match found {
                Some(i) => {
                    self.used += i + 1;
                    self.written[self.used - 1].clone()
                }
                None => w.word.clone(),
            };
            self.words.push((shown, at + f64::from(w.start), at + f64::from(w.end)));
        }
    }
}

#[derive(Component)]
struct SubtitleText;
#[derive(Component)]
struct WordSpan(usize);

const PLAIN: Color = Color::WHITE;
/// Opaque, so the words read on any picture (and the window test can find the panel).
pub const PANEL: Color = Color::srgb(0.1, 0.07, 0.15);
const SAID: Color = Color::srgb(1.0, 0.8, 0.2);
/// How long a finished line stays.
const LINGER_SECS: f64 = 1.5;

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<Subtitle>();
    app.add_systems(OnEnter(Screen::Playing), (reset, spawn_subtitles));
    app.add_systems(
        Update,
        (on_events, highlight).chain().run_if(in_state(Screen::Playing).and_then(resource_exists::<LiveLink>)),
    );
}

fn reset(mut sub: ResMut<Subtitle>) {
    *sub = Subtitle::default();
}

fn spawn_subtitles(mut commands: Commands, fonts: Res<Fonts>) {
    commands
        .spawn(crate::screens::playing_layer(Node {
            top: Val::Px(16.0),
            justify_content: JustifyContent::Center,
            ..default()
        }))
        .with_child((
            SubtitleText,
            Text::new(""),
            fonts.at(30.0),
            TextColor(PLAIN),
            TextLayout::justify(Justify::Center),
            BackgroundColor(PANEL),
            Node { max_width: Val::Percent(90.0), padding: UiRect::axes(Val::Px(14.0), Val::Px(8.0)), ..default() },
        ));
}

fn on_events(
    mut events: MessageReader<LiveEvent>,
    mut sub: ResMut<Subtitle>,
    mut commands: Commands,
    fonts: Res<Fonts>,
    text: Query<Entity, With<SubtitleText>>,
) {
    let Ok(root) = text.single() else { return };
    for LiveEvent(e) in events.read() {
        match e {
            SessionEvent::LineStarted { id, at, speaker, text, duration, words } => {
                *sub = Subtitle {
                    id: Some(*id),
                    speaker: speaker.clone(),
                    written: text.split_whitespace().map(str::to_string).collect(),
                    ..default()
                };
                if words.is_empty() {
                    // No word times (a line that could not be synthesised): the whole line at once.
                    sub.words.push((text.clone(), *at, at + duration));
                } else {
                    sub.add(*at, words);
                }
                commands.entity(root).despawn_children();
                let prefix = speaker.as_ref().map(|s| format!("{s}: ")).unwrap_or_default();
                commands.entity(root).insert(Text::new(prefix));
                spawn_words(&mut commands, &fonts, root, &sub.words, 0);
            }
            SessionEvent::LineWords { id, at, words } if sub.id == Some(*id) => {
                let first = sub.words.len();
                sub.add(*at, words);
                let new = sub.words[first..].to_vec();
                spawn_words(&mut commands, &fonts, root, &new, first);
            }
            SessionEvent::LineEnded { id, at } if sub.id == Some(*id) => sub.ended_at = Some(*at),
            _ => {}
        }
    }
}

fn spawn_words(commands: &mut Commands, fonts: &Fonts, root: Entity, words: &[(String, f64, f64)], first: usize) {
    commands.entity(root).with_children(|t| {
        for (i, (w, ..)) in words.iter().enumerate() {
            t.spawn((WordSpan(first + i), TextSpan::new(format!("{w} ")), fonts.at(30.0), TextColor(PLAIN)));
        }
    });
}

/// Colours the word being heard; hides the line a moment after it ends.
fn highlight(
    link: Res<LiveLink>,
    mut sub: ResMut<Subtitle>,
    mut spans: Query<(&WordSpan, &mut TextColor)>,
    mut root: Query<&mut Visibility, With<SubtitleText>>,
) {
    let pos = link.position();
    let now = sub.words.iter().rposition(|(_, start, _)| *start <= pos);
    if sub.current != now {
        sub.current = now;
        for (span, mut color) in &mut spans {
            let want = if Some(span.0) == now { SAID } else { PLAIN };
            if color.0 != want {
                color.0 = want;
            }
        }
    }
    let gone = sub.id.is_none() || sub.ended_at.is_some_and(|end| pos > end + LINGER_SECS);
    if let Ok(mut v) = root.single_mut() {
        let want = if gone { Visibility::Hidden } else { Visibility::Inherited };
        if *v != want {
            *v = want;
        }
    }
}
