//! Headless Bevy tests: `MinimalPlugins` with the game's GPU-free plugins, `app.update()` by
//! hand, real stories from `stories/`, the real narrator (espeak-ng) and reference renderer, on
//! a simulated clock that runs many times faster than real time.

use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::input::{ButtonState, InputPlugin};
use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use campfire_game::{
    ChoiceShown, Fonts, GameOptions, GamePlugin, HeardBanner, LiveLink, PictureStats, Screen, Selection, Subtitle,
    TitleAction,
};
use campfire_generator::{Chunk, ChunkRequest, Generator, GeneratorError, ReferenceGenerator};
use campfire_session::live::{ClockKind, GeneratorFactory, LiveConfig};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// Enough updates for any shipped story at the test clock's speed, with a margin.
const MAX_UPDATES: usize = 40_000;

fn options(story: &str, save_dir: &Path, generator: GeneratorFactory) -> GameOptions {
    GameOptions {
        story: Some(story.into()),
        live: LiveConfig { clock: ClockKind::Simulated { speed: 8.0 }, generator, ..LiveConfig::default() },
        save_dir: Some(save_dir.to_path_buf()),
        ..GameOptions::default()
    }
}

fn reference() -> GeneratorFactory {
    Arc::new(|| Box::new(ReferenceGenerator::new()))
}

fn app(options: GameOptions) -> App {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin, AssetPlugin::default(), InputPlugin));
    app.init_asset::<Image>();
    app.add_plugins(GamePlugin(options));
    app.update();
    app
}

fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

fn key(app: &mut App, code: KeyCode, logical: Key) {
    for state in [ButtonState::Pressed, ButtonState::Released] {
        app.world_mut().write_message(KeyboardInput {
            key_code: code,
            logical_key: logical.clone(),
            state,
            text: None,
            repeat: false,
            window: Entity::PLACEHOLDER,
        });
        app.update();
    }
}

fn tick(app: &mut App) {
    app.update();
    std::thread::sleep(Duration::from_millis(2));
}

/// Updates until `done` holds; panics with `what` if it never does.
fn until(app: &mut App, what: &str, mut done: impl FnMut(&mut App) -> bool) {
    for _ in 0..MAX_UPDATES {
        if done(app) {
            return;
        }
        tick(app);
    }
    panic!(
        "never happened: {what} (screen {:?}, problem {:?})",
        screen(app),
        app.world().resource::<Selection>().problem
    );
}

fn offered(app: &App) -> Vec<String> {
    app.world().resource::<ChoiceShown>().choices.clone()
}

/// Texts (and spans) in the bundled Andika, and in any other font.
fn text_fonts(app: &mut App) -> (usize, usize) {
    let andika = app.world().resource::<Fonts>().text.clone();
    let mut fonts = app.world_mut().query::<&TextFont>();
    let (ours, other): (Vec<_>, Vec<_>) =
        fonts.iter(app.world()).partition(|f| f.font == bevy::text::FontSource::Handle(andika.clone()));
    (ours.len(), other.len())
}

fn start_playing(app: &mut App) {
    key(app, KeyCode::Enter, Key::Enter);
    until(app, "the story starts", |a| {
        screen(a) == Screen::Playing && a.world().get_resource::<LiveLink>().is_some_and(|l| l.started.is_some())
    });
}

#[test]
fn keys_play_a_story_to_its_ending() {
    let saves = tempfile::tempdir().unwrap();
    let mut app = app(options("moon-trip", saves.path(), reference()));
    assert_eq!(screen(&app), Screen::Title);
    start_playing(&mut app);
    let mut answered = 0;
    let mut words_seen = 0;
    let mut highlighted = false;
    let mut fonts_at_first_choice = None;
    until(&mut app, "the ending", |a| {
        let sub = a.world().resource::<Subtitle>();
        words_seen = words_seen.max(sub.words.len());
        highlighted |= sub.current.is_some();
        if screen(a) == Screen::Ended {
            return true;
        }
        let shown = a.world().resource::<ChoiceShown>();
        if !shown.choices.is_empty() && shown.offers > answered {
            if fonts_at_first_choice.is_none() {
                fonts_at_first_choice = Some(text_fonts(a));
            }
            // Alternate: a digit key, then the arrows and Enter.
            if answered % 2 == 0 {
                key(a, KeyCode::Digit1, Key::Character("1".into()));
            } else {
                key(a, KeyCode::ArrowRight, Key::ArrowRight);
                key(a, KeyCode::Enter, Key::Enter);
            }
            answered += 1;
        }
        false
    });
    assert!(answered >= 2, "moon-trip asks more than once; answered {answered}");
    assert!(app.world().resource::<Selection>().ending.is_some());
    assert!(words_seen > 3, "subtitles had words");
    assert!(highlighted, "a word was highlighted");
    // Subtitles, choices and banner are in Andika; only the developers' F3 overlay is not.
    let (andika, other) = fonts_at_first_choice.unwrap();
    assert!(andika >= 4, "the subtitle's words and the choices are in Andika ({andika} texts)");
    assert_eq!(other, 1, "only the F3 overlay keeps Bevy's monospaced font");
    // The end removes the autosave: there is nothing left to continue.
    assert!(!saves.path().join("moon-trip.ron").exists());
}

#[test]
fn voice_outcomes_play_a_story_to_its_ending() {
    let saves = tempfile::tempdir().unwrap();
    let mut app = app(options("demo", saves.path(), reference()));
    start_playing(&mut app);
    until(&mut app, "the first choice", |a| !offered(a).is_empty());
    let offers = app.world().resource::<ChoiceShown>().offers;
    // What the recogniser passes on: first words that match nothing (re-prompted and offered
    // again), then the words of a choice.
    assert!(app.world().resource::<LiveLink>().answer("purple elephants", true));
    until(&mut app, "the re-prompt is shown", |a| {
        let text = &a.world().resource::<HeardBanner>().text;
        text.contains("purple elephants") && text.len() > "I heard: \"purple elephants\". ".len()
    });
    until(&mut app, "the choices offered again", |a| a.world().resource::<ChoiceShown>().offers > offers);
    assert!(app.world().resource::<LiveLink>().answer("flap your wings", true));
    until(&mut app, "the heard words shown", |a| a.world().resource::<HeardBanner>().text.contains("flap your wings"));
    until(&mut app, "the ending", |a| screen(a) == Screen::Ended);
    // demo's one choice was answered once: no second offer after the words were understood.
    assert_eq!(app.world().resource::<ChoiceShown>().offers, offers + 1);
}

#[test]
fn autosave_resumes_at_the_same_choice() {
    let saves = tempfile::tempdir().unwrap();
    let (beat, choices) = {
        let mut app = app(options("moon-trip", saves.path(), reference()));
        start_playing(&mut app);
        until(&mut app, "the first choice", |a| !offered(a).is_empty());
        key(&mut app, KeyCode::Digit2, Key::Character("2".into()));
        until(&mut app, "the second choice", |a| {
            let s = a.world().resource::<ChoiceShown>();
            s.offers >= 2 && !s.choices.is_empty()
        });
        until(&mut app, "its autosave", |a| a.world().resource::<LiveLink>().saves >= 2);
        let s = app.world().resource::<ChoiceShown>();
        (s.beat.clone(), s.choices.clone())
        // The app is dropped here without leaving the screen: as if killed.
    };
    assert!(saves.path().join("moon-trip.ron").is_file());
    let mut app = app(options("moon-trip", saves.path(), reference()));
    key(&mut app, KeyCode::F2, Key::F2);
    until(&mut app, "the resumed story starts", |a| {
        a.world().get_resource::<LiveLink>().is_some_and(|l| l.started.as_ref().is_some_and(|s| s.1))
    });
    until(&mut app, "a choice in the resumed story", |a| !offered(a).is_empty());
    let s = app.world().resource::<ChoiceShown>();
    assert_eq!((s.beat.clone(), s.choices.clone()), (beat, choices));
}

/// The reference renderer, made slow: each frame takes `delay`.
struct Slow(ReferenceGenerator, Duration);
impl Generator for Slow {
    fn generate(&mut self, r: &ChunkRequest) -> Result<Chunk, GeneratorError> {
        std::thread::sleep(self.1);
        self.0.generate(r)
    }
    fn seek(&mut self, i: u64) {
        self.0.seek(i)
    }
    fn reset(&mut self) {
        self.0.reset()
    }
    fn name(&self) -> &str {
        "slow"
    }
}

#[test]
fn a_generator_slower_than_real_time_does_not_hold_the_story() {
    let saves = tempfile::tempdir().unwrap();
    // 400 ms a frame at 12 fps on a clock 8x real time: 40x too slow.
    let slow: GeneratorFactory =
        Arc::new(|| Box::new(Slow(ReferenceGenerator::new(), Duration::from_millis(400))) as Box<dyn Generator>);
    let mut app = app(options("demo", saves.path(), slow));
    start_playing(&mut app);
    let mut updates = 0u64;
    until(&mut app, "the first choice", |a| {
        updates += 1;
        !offered(a).is_empty()
    });
    let link = app.world().resource::<LiveLink>();
    let made = link.live.stats.frames_made.load(Ordering::Relaxed);
    let dropped = link.live.stats.frames_dropped.load(Ordering::Relaxed);
    let pic = app.world().resource::<PictureStats>();
    // The story reached its choice with the picture far behind: frames were dropped, not
    // waited for, and the UI kept updating many times per frame made.
    assert!(dropped > made, "dropped {dropped}, made {made}");
    assert!(updates > 10 * made.max(1), "{updates} updates for {made} frames");
    assert!(pic.late_spells >= 1, "the held picture was noticed: {pic:?}");
    assert!(pic.shown >= 1, "frames from the slow generator were still shown");
}

struct Panicky;
impl Generator for Panicky {
    fn generate(&mut self, _: &ChunkRequest) -> Result<Chunk, GeneratorError> {
        panic!("the model exploded")
    }
    fn seek(&mut self, _: u64) {}
    fn reset(&mut self) {}
    fn name(&self) -> &str {
        "panicky"
    }
}

#[test]
fn a_panicking_generator_is_replaced_and_the_picture_goes_on() {
    let saves = tempfile::tempdir().unwrap();
    let panicky: GeneratorFactory = Arc::new(|| Box::new(Panicky) as Box<dyn Generator>);
    let mut app = app(options("demo", saves.path(), panicky));
    start_playing(&mut app);
    until(&mut app, "frames after the panic", |a| a.world().resource::<PictureStats>().shown >= 5);
    let link = app.world().resource::<LiveLink>();
    assert!(link.live.stats.generator_replaced.load(Ordering::Relaxed));
    let pic = app.world().resource::<PictureStats>();
    assert_ne!(pic.generator, "panicky");
    // The frames are real pictures, not a blank: the texture has more than one colour.
    let texture = app.world().resource::<campfire_game::PictureTexture>();
    let image = app.world().resource::<Assets<Image>>().get(&texture.handle).unwrap();
    let data = image.data.as_ref().unwrap();
    assert!(data.chunks_exact(4).any(|p| p != &data[..4]));
}

#[test]
fn a_story_that_fails_to_load_and_an_unsafe_name_are_refused_on_the_title_screen() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.ron");
    let demo = std::fs::read_to_string(campfire_story::find("demo").unwrap()).unwrap();
    // A choice that leads nowhere: the loader's lint refuses it.
    std::fs::write(&broken, demo.replacen("goto: \"flap\"", "goto: \"nowhere\"", 1)).unwrap();
    let mut app = app(options(broken.to_str().unwrap(), dir.path(), reference()));
    app.world_mut().write_message(TitleAction::Play);
    for _ in 0..3 {
        app.update();
    }
    assert_eq!(screen(&app), Screen::Title);
    let problem = app.world().resource::<Selection>().problem.clone().unwrap_or_default();
    assert!(problem.contains("cannot be played"), "{problem}");

    let mut app = self::app(options("demo", dir.path(), reference()));
    for c in "stupid".chars() {
        let code = KeyCode::KeyA; // the key code does not matter to the name field, the letter does
        key(&mut app, code, Key::Character(c.to_string().into()));
    }
    assert_eq!(app.world().resource::<Selection>().name, "stupid");
    key(&mut app, KeyCode::Enter, Key::Enter);
    app.update();
    assert_eq!(screen(&app), Screen::Title);
    let problem = app.world().resource::<Selection>().problem.clone().unwrap_or_default();
    assert!(problem.contains("another name"), "{problem}");
}

fn title_picture(app: &App) -> Vec<u8> {
    let picture = app.world().resource::<campfire_game::TitlePicture>();
    app.world().resource::<Assets<Image>>().get(&picture.handle).unwrap().data.clone().unwrap()
}

#[test]
fn the_title_screen_shows_the_opening_and_asks_the_story_s_questions() {
    let saves = tempfile::tempdir().unwrap();
    let mut app = app(options("dragon-dark", saves.path(), reference()));
    app.update();
    let (andika, other) = text_fonts(&mut app);
    assert!(andika >= 6 && other == 0, "the title screen is all in Andika ({andika} texts, {other} not)");
    let purple = title_picture(&app);
    // The opening is drawn, not the blank fill: many colours.
    let mut colours: Vec<&[u8]> = purple.chunks_exact(4).collect();
    colours.sort();
    colours.dedup();
    assert!(colours.len() > 50, "the opening picture has {} colours", colours.len());

    // Tab to Ember's colour (the question after the name), Right picks the next one.
    key(&mut app, KeyCode::Tab, Key::Tab);
    key(&mut app, KeyCode::ArrowRight, Key::ArrowRight);
    let given = app.world().resource::<GameOptions>().params.clone();
    let params = app.world().resource::<Selection>().params(&given);
    assert_eq!(params.get("color").map(String::as_str), Some("red"));
    app.update();
    assert_ne!(title_picture(&app), purple, "the picture follows the answer (a red dragon)");

    // Letters typed now go nowhere (a question with choices), the name is untouched.
    key(&mut app, KeyCode::KeyX, Key::Character("x".into()));
    assert_eq!(app.world().resource::<Selection>().name, "");

    // The story starts with the answer: its first autosave keeps it.
    start_playing(&mut app);
    until(&mut app, "the first autosave", |a| a.world().resource::<LiveLink>().saves >= 1);
    let save = std::fs::read_to_string(saves.path().join("dragon-dark.ron")).unwrap();
    let save: campfire_story::save::SaveFile = ron::from_str(&save).unwrap();
    assert_eq!(save.params.get("color").map(String::as_str), Some("red"));
}

#[test]
fn a_typed_answer_passes_the_kid_safe_filter() {
    let saves = tempfile::tempdir().unwrap();
    // water-cycle asks for the class mascot's name (free text) after the name.
    let mut app = app(options("water-cycle", saves.path(), reference()));
    key(&mut app, KeyCode::Tab, Key::Tab);
    for _ in 0.."Drip".len() {
        key(&mut app, KeyCode::Backspace, Key::Backspace);
    }
    for c in "stupid".chars() {
        key(&mut app, KeyCode::KeyA, Key::Character(c.to_string().into()));
    }
    key(&mut app, KeyCode::Enter, Key::Enter);
    app.update();
    assert_eq!(screen(&app), Screen::Title);
    let problem = app.world().resource::<Selection>().problem.clone().unwrap_or_default();
    assert!(problem.contains("mascot"), "{problem}");
}

#[test]
fn the_picture_is_drawn_at_the_window_s_own_size_and_follows_a_resize() {
    use bevy::window::{PrimaryWindow, WindowResolution};
    let saves = tempfile::tempdir().unwrap();
    let mut app = app(options("demo", saves.path(), reference()));
    let window = app
        .world_mut()
        .spawn((Window { resolution: WindowResolution::new(800, 600), ..default() }, PrimaryWindow))
        .id();
    start_playing(&mut app);
    let texture_size = |a: &App| {
        let t = a.world().resource::<campfire_game::PictureTexture>();
        (t.width, t.height)
    };
    until(&mut app, "frames at the window's 800x600", |a| texture_size(a) == (800, 600));
    let shown = app.world().resource::<PictureStats>().shown;
    // A wider, smaller window: rounded down to whole 8-pixel cells, drawn afresh at that size.
    app.world_mut().get_mut::<Window>(window).unwrap().resolution.set_physical_resolution(643, 300);
    until(&mut app, "frames at the new size", |a| texture_size(a) == (640, 296));
    let link = app.world().resource::<LiveLink>();
    assert_eq!(link.live.picture_size(), (640, 296));
    let pic = app.world().resource::<PictureStats>();
    assert!(pic.shown > shown && pic.resized >= 2, "{pic:?}");
    assert_eq!(campfire_game::picture_size_for(0, 5000), (8, 2048));
}
