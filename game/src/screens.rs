//! Screens as states: the title (pick a story, see its opening picture, answer its questions:
//! the child's name and the story's other parameters, or continue a saved story), the story
//! playing, and its end. Each screen's entities are scoped to it.

use crate::GameOptions;
use crate::catalog::{self, Entry};
use crate::fonts::Fonts;
use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::prelude::*;
use campfire_session::SessionError;
use campfire_story::Params;
use campfire_story::template::Param;
use std::collections::BTreeMap;

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
    /// The child's name as typed (empty: the story's default). Kept when another story is
    /// picked, unlike the other answers.
    pub name: String,
    /// The selected story's other parameters as picked or typed here (id → value).
    pub values: BTreeMap<String, String>,
    /// The question keys go to: 0 is the name, then the story's other parameters in order.
    pub field: usize,
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

    /// The questions the selected story asks besides the name, in its order.
    pub fn questions(&self) -> Vec<Param> {
        match self.current().map(|e| &e.story) {
            Some(Ok(story)) => story.template.params.iter().filter(|p| p.id != "name").cloned().collect(),
            _ => Vec::new(),
        }
    }

    /// The answer shown for `param`: picked here, else given on the command line, else the
    /// story's default.
    pub fn value(&self, param: &Param, given: &Params) -> String {
        self.values.get(&param.id).or_else(|| given.get(&param.id)).cloned().unwrap_or_else(|| param.default.clone())
    }

    /// What the story starts with: the command line's parameters, then the answers given here.
    pub fn params(&self, given: &Params) -> Params {
        let mut params = given.clone();
        let has_name = self
            .current()
            .is_some_and(|e| e.story.as_ref().is_ok_and(|s| s.template.params.iter().any(|p| p.id == "name")));
        if has_name && !self.name.trim().is_empty() {
            params.insert("name".into(), self.name.trim().to_string());
        }
        for (id, value) in &self.values {
            params.insert(id.clone(), value.trim().to_string());
        }
        params
    }

    fn pick(&mut self, index: usize) {
        if index != self.index {
            self.index = index;
            self.values.clear();
            self.field = 0;
        }
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
struct QuestionsText;
#[derive(Component)]
struct ProblemText;

/// The selected story's opening, drawn by the reference renderer with the answers given so
/// far (a purple dragon when purple is picked), redrawn only when either changes.
#[derive(Resource)]
pub struct TitlePicture {
    pub handle: Handle<Image>,
    pub drawn_for: Option<(usize, Params)>,
}

pub(crate) fn plugin(app: &mut App) {
    app.init_state::<Screen>();
    app.add_message::<TitleAction>();
    app.init_resource::<Selection>();
    app.init_resource::<AutoStartAt>();
    // Made now, not in Startup: the first state's OnEnter (the title) runs before Startup.
    make_title_picture(app);
    app.add_systems(Startup, load_catalog);
    app.add_systems(OnEnter(Screen::Title), (spawn_title, arm_autostart));
    app.add_systems(
        Update,
        (title_keys, autostart, apply_title_actions, refresh_title, draw_title_picture)
            .chain()
            .run_if(in_state(Screen::Title)),
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

fn story_lines(sel: &Selection) -> String {
    let mut s = String::from("Pick a story  (Up/Down)\n\n");
    for (i, e) in sel.entries.iter().enumerate() {
        let mark = if i == sel.index { ">" } else { " " };
        match &e.story {
            Ok(story) => {
                let t = &story.template;
                s.push_str(&format!("{mark} {}\n", t.title));
                if i == sel.index {
                    s.push_str(&format!("    ages {}-{}, {} min. {}\n", t.ages.0, t.ages.1, t.minutes, t.summary));
                }
            }
            Err(_) => s.push_str(&format!("{mark} {}   (cannot be played)\n", e.name)),
        }
    }
    s
}

fn question_lines(sel: &Selection, options: &GameOptions) -> String {
    let mark = |i: usize| if sel.field == i { ">" } else { " " };
    let name = if sel.name.is_empty() { "(type it)".to_string() } else { format!("{}_", sel.name) };
    let mut s = format!("{} Your name: {name}\n", mark(0));
    let questions = sel.questions();
    for (i, q) in questions.iter().enumerate() {
        let v = sel.value(q, &options.params);
        let v = if q.one_of.is_empty() { v } else { format!("< {v} >") };
        s.push_str(&format!("{} {} {v}\n", mark(i + 1), q.prompt));
    }
    s.push_str(if questions.is_empty() {
        "\nEnter: play"
    } else {
        "\nTab: next question   Left/Right: change   Enter: play"
    });
    if sel.current().is_some_and(|e| has_save(options, e)) {
        s.push_str("   F2: continue where you stopped");
    }
    s
}

fn spawn_title(
    mut commands: Commands,
    sel: Res<Selection>,
    options: Res<GameOptions>,
    picture: Res<TitlePicture>,
    fonts: Res<Fonts>,
) {
    commands
        .spawn((
            DespawnOnExit(Screen::Title),
            Node {
                width: Val::Percent(100.0),
                height: Val::Percent(100.0),
                flex_direction: FlexDirection::Column,
                padding: UiRect::all(Val::Px(32.0)),
                row_gap: Val::Px(12.0),
                ..default()
            },
            BackgroundColor(Color::srgb(0.08, 0.06, 0.12)),
        ))
        .with_children(|root| {
            root.spawn((Text::new("Campfire"), fonts.at(48.0), TextColor(Color::srgb(1.0, 0.75, 0.3))));
            root.spawn(Node { column_gap: Val::Px(24.0), ..default() }).with_children(|row| {
                row.spawn((
                    TitleText,
                    Text::new(story_lines(&sel)),
                    fonts.at(20.0),
                    Node { flex_grow: 1.0, flex_shrink: 1.0, min_width: Val::Px(0.0), ..default() },
                ));
                row.spawn((
                    ImageNode::new(picture.handle.clone()),
                    Node { width: Val::Px(320.0), height: Val::Px(240.0), flex_shrink: 0.0, ..default() },
                ));
            });
            root.spawn((QuestionsText, Text::new(question_lines(&sel, &options)), fonts.at(20.0)));
            root.spawn((
                ProblemText,
                Text::new(sel.problem.clone().unwrap_or_default()),
                fonts.at(20.0),
                TextColor(Color::srgb(1.0, 0.5, 0.4)),
            ));
            root.spawn(Node { column_gap: Val::Px(16.0), ..default() }).with_children(|row| {
                big_button(row, &fonts, "Play", TitleAction::Play);
                big_button(row, &fonts, "Continue", TitleAction::Continue);
            });
        });
}

fn big_button(parent: &mut ChildSpawnerCommands, fonts: &Fonts, label: &str, action: TitleAction) {
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
        .with_child((Text::new(label), fonts.at(28.0)))
        .observe(move |_: On<Pointer<Click>>, mut actions: MessageWriter<TitleAction>| {
            actions.write(action);
        });
}

/// Up/Down pick a story, Tab moves between its questions, letters type an answer, Left/Right
/// pick among an answer's choices, Enter plays, F2 continues.
fn title_keys(
    mut keys: MessageReader<KeyboardInput>,
    mut sel: ResMut<Selection>,
    options: Res<GameOptions>,
    mut actions: MessageWriter<TitleAction>,
) {
    for k in keys.read() {
        if k.state != ButtonState::Pressed {
            continue;
        }
        let questions = sel.questions();
        let focused = sel.field.checked_sub(1).and_then(|i| questions.get(i)).cloned();
        match (&k.key_code, &k.logical_key) {
            (KeyCode::ArrowDown, _) => _ = actions.write(TitleAction::Next),
            (KeyCode::ArrowUp, _) => _ = actions.write(TitleAction::Previous),
            (KeyCode::Enter | KeyCode::NumpadEnter, _) => _ = actions.write(TitleAction::Play),
            (KeyCode::F2, _) => _ = actions.write(TitleAction::Continue),
            (KeyCode::Tab, _) => sel.field = (sel.field + 1) % (questions.len() + 1),
            (KeyCode::ArrowLeft | KeyCode::ArrowRight, _) => {
                let Some(q) = focused.filter(|q| !q.one_of.is_empty()) else { continue };
                let now = sel.value(&q, &options.params);
                let n = q.one_of.len();
                let i = q.one_of.iter().position(|v| *v == now).unwrap_or(0);
                let i = if k.key_code == KeyCode::ArrowRight { (i + 1) % n } else { (i + n - 1) % n };
                sel.values.insert(q.id.clone(), q.one_of[i].clone());
            }
            (KeyCode::Backspace, _) => match focused {
                None => _ = sel.name.pop(),
                Some(q) if q.one_of.is_empty() => {
                    let mut v = sel.value(&q, &options.params);
                    v.pop();
                    sel.values.insert(q.id, v);
                }
                Some(_) => {}
            },
            (_, Key::Character(c)) => type_into(&mut sel, focused.as_ref(), &options.params, |s| {
                s.extend(c.chars().filter(|c| c.is_alphabetic() || *c == ' ' || *c == '-'));
            }),
            (_, Key::Space) => type_into(&mut sel, focused.as_ref(), &options.params, |s| {
                if !s.is_empty() {
                    s.push(' ');
                }
            }),
            _ => {}
        }
    }
}

/// Edits the focused free-text answer (the name when no question is focused), at most 24
/// letters; questions with choices are not typed into.
fn type_into(sel: &mut Selection, focused: Option<&Param>, given: &Params, edit: impl FnOnce(&mut String)) {
    let mut text = match focused {
        None => std::mem::take(&mut sel.name),
        Some(q) if q.one_of.is_empty() => sel.value(q, given),
        Some(_) => return,
    };
    if text.chars().count() < 24 {
        edit(&mut text);
    }
    match focused {
        None => sel.name = text,
        Some(q) => _ = sel.values.insert(q.id.clone(), text),
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
            TitleAction::Next => {
                let i = (sel.index + 1) % n;
                sel.pick(i);
            }
            TitleAction::Previous => {
                let i = (sel.index + n - 1) % n;
                sel.pick(i);
            }
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
                if let Some(problem) = unsafe_answer(&sel) {
                    sel.problem = Some(problem);
                    continue;
                }
                sel.resume = resume;
                sel.problem = None;
                next.set(Screen::Playing);
            }
        }
    }
}

/// Typed answers pass the session's own parameter check before the screen changes, so the
/// refusal names the question (answers with choices were vetted by the story's lint).
fn unsafe_answer(sel: &Selection) -> Option<String> {
    let questions = sel.questions();
    let mut typed = Params::new();
    if !sel.name.trim().is_empty() {
        typed.insert("name".into(), sel.name.trim().to_string());
    }
    for q in questions.iter().filter(|q| q.one_of.is_empty()) {
        let Some(v) = sel.values.get(&q.id).map(|v| v.trim()) else { continue };
        if v.is_empty() {
            return Some(format!("\"{}\" needs an answer.", q.prompt));
        }
        typed.insert(q.id.clone(), v.to_string());
    }
    match campfire_session::check_params(&typed) {
        Err(SessionError::UnsafeParam { param, why }) if param == "name" => {
            Some(format!("Let's pick another name ({why})."))
        }
        Err(SessionError::UnsafeParam { param, why }) => {
            let prompt = questions.iter().find(|q| q.id == param).map_or(param.as_str(), |q| q.prompt.as_str());
            Some(format!("Let's pick another answer to \"{prompt}\" ({why})."))
        }
        Err(e) => Some(e.to_string()),
        Ok(()) => None,
    }
}

type OnlyText<A, B, C> = (With<A>, Without<B>, Without<C>);

fn refresh_title(
    sel: Res<Selection>,
    options: Res<GameOptions>,
    mut title: Query<&mut Text, OnlyText<TitleText, QuestionsText, ProblemText>>,
    mut questions: Query<&mut Text, OnlyText<QuestionsText, TitleText, ProblemText>>,
    mut problem: Query<&mut Text, OnlyText<ProblemText, TitleText, QuestionsText>>,
) {
    if !sel.is_changed() {
        return;
    }
    if let Ok(mut t) = title.single_mut() {
        t.0 = story_lines(&sel);
    }
    if let Ok(mut t) = questions.single_mut() {
        t.0 = question_lines(&sel, &options);
    }
    if let Ok(mut t) = problem.single_mut() {
        t.0 = sel.problem.clone().unwrap_or_default();
    }
}

fn make_title_picture(app: &mut App) {
    let image = crate::picture::blank_picture(app.world().resource::<GameOptions>());
    let handle = app.world_mut().resource_mut::<Assets<Image>>().add(image);
    app.insert_resource(TitlePicture { handle, drawn_for: None });
}

/// Redraws the opening when the story or an answer changed (a few milliseconds of the
/// reference renderer, on a key press, never per frame).
fn draw_title_picture(
    sel: Res<Selection>,
    options: Res<GameOptions>,
    mut picture: ResMut<TitlePicture>,
    mut images: ResMut<Assets<Image>>,
) {
    let Some(Ok(story)) = sel.current().map(|e| &e.story) else { return };
    let key = (sel.index, sel.params(&options.params));
    if picture.drawn_for.as_ref() == Some(&key) {
        return;
    }
    let Some(mut image) = images.get_mut(&picture.handle) else { return };
    let (w, h) = (image.width(), image.height());
    if let Some(frame) = catalog::opening_picture(story, key.1.clone(), w, h)
        && let Some(data) = image.data.as_mut()
        && data.len() == frame.rgb.len() / 3 * 4
    {
        for (out, rgb) in data.chunks_exact_mut(4).zip(frame.rgb.chunks_exact(3)) {
            out[..3].copy_from_slice(rgb);
            out[3] = 255;
        }
    }
    picture.drawn_for = Some(key);
}

fn spawn_ended(mut commands: Commands, sel: Res<Selection>, fonts: Res<Fonts>) {
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
            root.spawn((Text::new("The End"), fonts.at(64.0)));
            root.spawn((Text::new(why), fonts.at(24.0)));
            root.spawn((Text::new("Enter: another story"), fonts.at(24.0)));
        });
}

fn ended_keys(keys: Res<ButtonInput<KeyCode>>, mut next: ResMut<NextState<Screen>>) {
    if keys.just_pressed(KeyCode::Enter) {
        next.set(Screen::Title);
    }
}
