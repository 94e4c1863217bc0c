//! Screens as states: the title (pick a story, type the child's name, or continue a saved
//! story), the story playing, and its end. Each screen's entities are scoped to it.

use crate::GameOptions;
use crate::catalog::{self, Entry};
use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::prelude::*;
use campfire_intent::safety;

#[derive(States, Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Screen {
    #[default]
    Title,
    Playing,
    Ended,
}

/// What the title screen offers and what was picked.
#[derive(Resource, Default)]
pub struct Selection {
    pub entries: Vec<Entry>,
    pub index: usize,
    /// The child's name as typed (empty: the story's default).
    pub name: String,
    /// Start from the autosave instead of the beginning.
    pub resume: bool,
    /// Why the last attempt did not start (an unsafe name, a story that fails lint, a bad save).
    pub problem: Option<String>,
    /// How the last story ended (for the end screen).
    pub ending: Option<String>,
}

impl Selection {
    pub fn current(&self) -> Option<&Entry> {
        self.entries.get(self.index)
    }
}

/// Title screen actions, from keys, buttons or tests.
#[derive(Message, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TitleAction {
    Next,
    Previous,
    /// Play the selected story from its beginning.
    Play,
    /// Continue the selected story from its autosave.
    Continue,
}

#[derive(Component)]
struct TitleText;
#[derive(Component)]
struct ProblemText;

pub(crate) fn plugin(app: &mut App) {
    app.init_state::<Screen>();
    app.add_message::<TitleAction>();
    app.init_resource::<Selection>();
    app.init_resource::<AutoStartAt>();
    app.add_systems(Startup, load_catalog);
    app.add_systems(OnEnter(Screen::Title), (spawn_title, arm_autostart));
    app.add_systems(
        Update,
        (title_keys, autostart, apply_title_actions, refresh_title).chain().run_if(in_state(Screen::Title)),
    );
    app.add_systems(OnEnter(Screen::Ended), (spawn_ended, arm_autostart));
    app.add_systems(Update, (ended_keys, replay).run_if(in_state(Screen::Ended)));
}

/// A full-width layer of the playing screen (the picture, the story UI and the subtitles are
/// stacked as layers), despawned when the story leaves the screen.
pub(crate) fn playing_layer(node: Node) -> (DespawnOnExit<Screen>, Node) {
    (DespawnOnExit(Screen::Playing), Node { position_type: PositionType::Absolute, width: Val::Percent(100.0), ..node })
}

fn load_catalog(mut sel: ResMut<Selection>, options: Res<GameOptions>) {
    sel.entries = catalog::all();
    if let Some(name) = &options.story {
        match sel.entries.iter().position(|e| &e.name == name) {
            Some(i) => sel.index = i,
            // A path, or a name outside the story folders: load it and put it first.
            None => {
                let path = campfire_story::find(name).unwrap_or_else(|_| name.into());
                sel.entries.insert(0, catalog::load(&path));
                sel.index = 0;
            }
        }
    }
    if let Some(name) = options.params.get("name") {
        sel.name = name.clone();
    }
}

fn has_save(options: &GameOptions, entry: &Entry) -> bool {
    let Ok(story) = &entry.story else { return false };
    options.save_path(story.id()).is_some_and(|p| p.is_file())
}

fn title_lines(sel: &Selection, options: &GameOptions) -> String {
    let mut s = String::from("Pick a story  (Up/Down)\n\n");
    for (i, e) in sel.entries.iter().enumerate() {
        let mark = if i == sel.index { ">" } else { " " };
        match &e.story {
            Ok(story) => {
                let t = &story.template;
                s.push_str(&format!("{mark} {}   ages {}-{}, {} min\n", t.title, t.ages.0, t.ages.1, t.minutes));
                if i == sel.index {
                    s.push_str(&format!("      {}\n", t.summary));
                }
            }
            Err(_) => s.push_str(&format!("{mark} {}   (cannot be played)\n", e.name)),
        }
    }
    let name = if sel.name.is_empty() { "(type it)".to_string() } else { sel.name.clone() };
    s.push_str(&format!("\nYour name: {name}\n\nEnter: play"));
    if sel.current().is_some_and(|e| has_save(options, e)) {
        s.push_str("     F2: continue where you stopped");
    }
    s
}

fn spawn_title(mut commands: Commands, sel: Res<Selection>, options: Res<GameOptions>) {
    commands
        .spawn((
            DespawnOnExit(Screen::Title),
            Node {
                width: Val::Percent(100.0),
                height: Val::Percent(100.0),
                flex_direction: FlexDirection::Column,
                padding: UiRect::all(Val::Px(32.0)),
                row_gap: Val::Px(16.0),
                ..default()
            },
            BackgroundColor(Color::srgb(0.08, 0.06, 0.12)),
        ))
        .with_children(|root| {
            root.spawn((Text::new("Campfire"), TextFont::from_font_size(48.0), TextColor(Color::srgb(1.0, 0.75, 0.3))));
            root.spawn((TitleText, Text::new(title_lines(&sel, &options)), TextFont::from_font_size(22.0)));
            root.spawn((
                ProblemText,
                Text::new(sel.problem.clone().unwrap_or_default()),
                TextFont::from_font_size(20.0),
                TextColor(Color::srgb(1.0, 0.5, 0.4)),
            ));
            root.spawn(Node { column_gap: Val::Px(16.0), ..default() }).with_children(|row| {
                big_button(row, "Play", TitleAction::Play);
                big_button(row, "Continue", TitleAction::Continue);
            });
        });
}

fn big_button(parent: &mut ChildSpawnerCommands, label: &str, action: TitleAction) {
    parent
        .spawn((
            Button,
            Node {
                padding: UiRect::axes(Val::Px(32.0), Val::Px(16.0)),
                border_radius: BorderRadius::all(Val::Px(16.0)),
                ..default()
            },
            BackgroundColor(Color::srgb(0.25, 0.45, 0.3)),
        ))
        .with_child((Text::new(label), TextFont::from_font_size(28.0)))
        .observe(move |_: On<Pointer<Click>>, mut actions: MessageWriter<TitleAction>| {
            actions.write(action);
        });
}

/// Up/Down pick a story, letters type the name, Enter plays, F2 continues.
fn title_keys(
    mut keys: MessageReader<KeyboardInput>,
    mut sel: ResMut<Selection>,
    mut actions: MessageWriter<TitleAction>,
) {
    for k in keys.read() {
        if k.state != ButtonState::Pressed {
            continue;
        }
        match (&k.key_code, &k.logical_key) {
            (KeyCode::ArrowDown, _) => _ = actions.write(TitleAction::Next),
            (KeyCode::ArrowUp, _) => _ = actions.write(TitleAction::Previous),
            (KeyCode::Enter | KeyCode::NumpadEnter, _) => _ = actions.write(TitleAction::Play),
            (KeyCode::F2, _) => _ = actions.write(TitleAction::Continue),
            (KeyCode::Backspace, _) => {
                sel.name.pop();
            }
            (_, Key::Character(c)) if sel.name.chars().count() < 24 => {
                sel.name.extend(c.chars().filter(|c| c.is_alphabetic() || *c == ' ' || *c == '-'));
            }
            (_, Key::Space) if !sel.name.is_empty() => sel.name.push(' '),
            _ => {}
        }
    }
}

/// `--autostart S`: when (real seconds) the title screen starts the story, or the end screen
/// goes back to the title, so a preview or a soak run plays on with no one at the keys.
#[derive(Resource, Default)]
struct AutoStartAt(Option<f64>);

fn arm_autostart(options: Res<GameOptions>, time: Res<Time<Real>>, mut at: ResMut<AutoStartAt>) {
    at.0 = options.autostart.map(|after| time.elapsed_secs_f64() + after);
}

fn due(at: &mut AutoStartAt, time: &Time<Real>) -> bool {
    let now = at.0.is_some_and(|t| time.elapsed_secs_f64() >= t);
    if now {
        at.0 = None;
    }
    now
}

fn autostart(time: Res<Time<Real>>, mut at: ResMut<AutoStartAt>, mut actions: MessageWriter<TitleAction>) {
    if due(&mut at, &time) {
        actions.write(TitleAction::Play);
    }
}

fn replay(time: Res<Time<Real>>, mut at: ResMut<AutoStartAt>, mut next: ResMut<NextState<Screen>>) {
    if due(&mut at, &time) {
        next.set(Screen::Title);
    }
}

fn apply_title_actions(
    mut actions: MessageReader<TitleAction>,
    mut sel: ResMut<Selection>,
    options: Res<GameOptions>,
    mut next: ResMut<NextState<Screen>>,
) {
    let n = sel.entries.len().max(1);
    for a in actions.read() {
        match a {
            TitleAction::Next => sel.index = (sel.index + 1) % n,
            TitleAction::Previous => sel.index = (sel.index + n - 1) % n,
            TitleAction::Play | TitleAction::Continue => {
                let Some(entry) = sel.current().cloned() else {
                    sel.problem = Some("No stories were found (see `campfire where`).".into());
                    continue;
                };
                if let Err(e) = &entry.story {
                    sel.problem = Some(format!("{} cannot be played: {e}", entry.name));
                    continue;
                }
                let resume = *a == TitleAction::Continue;
                if resume && !has_save(&options, &entry) {
                    sel.problem = Some("There is no saved story to continue yet.".into());
                    continue;
                }
                let name = sel.name.trim().to_string();
                if !name.is_empty()
                    && let safety::Verdict::Unsafe { reason, .. } = safety::check_name(&name)
                {
                    sel.problem = Some(format!("Let's pick another name ({}).", reason.describe()));
                    continue;
                }
                sel.resume = resume;
                sel.problem = None;
                next.set(Screen::Playing);
            }
        }
    }
}

fn refresh_title(
    sel: Res<Selection>,
    options: Res<GameOptions>,
    mut title: Query<&mut Text, (With<TitleText>, Without<ProblemText>)>,
    mut problem: Query<&mut Text, (With<ProblemText>, Without<TitleText>)>,
) {
    if !sel.is_changed() {
        return;
    }
    if let Ok(mut t) = title.single_mut() {
        t.0 = title_lines(&sel, &options);
    }
    if let Ok(mut t) = problem.single_mut() {
        t.0 = sel.problem.clone().unwrap_or_default();
    }
}

fn spawn_ended(mut commands: Commands, sel: Res<Selection>) {
    let why = sel.ending.clone().unwrap_or_default();
    commands
        .spawn((
            DespawnOnExit(Screen::Ended),
            Node {
                width: Val::Percent(100.0),
                height: Val::Percent(100.0),
                flex_direction: FlexDirection::Column,
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                row_gap: Val::Px(24.0),
                ..default()
            },
            BackgroundColor(Color::srgb(0.08, 0.06, 0.12)),
        ))
        .with_children(|root| {
            root.spawn((Text::new("The End"), TextFont::from_font_size(64.0)));
            root.spawn((Text::new(why), TextFont::from_font_size(24.0)));
            root.spawn((Text::new("Enter: another story"), TextFont::from_font_size(24.0)));
        });
}

fn ended_keys(keys: Res<ButtonInput<KeyCode>>, mut next: ResMut<NextState<Screen>>) {
    if keys.just_pressed(KeyCode::Enter) {
        next.set(Screen::Title);
    }
}
