//! The Bevy app: a live session in a window. The only crate besides `tools` that uses Bevy.
//!
//! The session and the picture run on their own threads (`campfire_session::live`), talking to
//! the UI through bounded channels, on one clock (audio samples played, or a wall clock).
//! - [`GamePlugin`]: every feature that needs no GPU, one plugin per file: `screens` (title,
//!   playing, ended as [`Screen`] states), `link` (the live session as a resource, its events as
//!   Bevy messages), `picture` (one texture updated in place), `story_ui` (choices, "I heard"),
//!   `subtitles` (the word being said highlighted), `overlay` (F3 figures), `fonts` (Andika,
//!   compiled in, for every text a child sees). Tests run it on `MinimalPlugins`.
//! - [`run`]: the window (winit on X11, the renderer, UI) with `GamePlugin`, `narration` (the
//!   session's sound through Bevy's audio, which is the clock), `voice_input` (push-to-talk with
//!   a level meter) and `capture` (screenshots and a timed quit, for tests and previews).

mod bench;
mod capture;
pub mod catalog;
mod fonts;
mod link;
mod narration;
mod overlay;
mod picture;
mod screens;
mod story_ui;
mod subtitles;
mod voice_input;

use bevy::prelude::*;
use campfire_session::live;
use campfire_story::Params;
use std::path::PathBuf;

pub use capture::CapturePlan;
pub use fonts::Fonts;
pub use link::{LiveEvent, LiveLink};
pub use picture::{PictureStats, PictureTexture, picture_size_for};
pub use screens::{Screen, Selection, TitleAction, TitlePicture};
pub use story_ui::{ChoiceShown, HeardBanner};
pub use subtitles::Subtitle;

/// What the caller (`campfire play`) decides.
#[derive(Resource, Clone, Default)]
pub struct GameOptions {
    /// The story selected first on the title screen (a name like `demo`).
    pub story: Option<String>,
    /// Parameters given on the command line (`--param name=Ada`).
    pub params: Params,
    pub live: live::LiveConfig,
    /// Where autosaves go, one file per story (none: no saves).
    pub save_dir: Option<PathBuf>,
    /// Start the selected story after this many seconds on the title screen (previews, tests).
    pub autostart: Option<f64>,
    /// Pick the first choice this many story seconds after it is offered (previews, benchmarks).
    pub auto_answer: Option<f64>,
    /// Write frame times and answer-to-frame latencies here as JSON when the app exits.
    pub bench_report: Option<PathBuf>,
    /// The player turned the microphone off (`--no-mic`): the notice says so, not that the
    /// speech model is missing.
    pub mic_off: bool,
}

impl GameOptions {
    /// The autosave of story `id`.
    pub fn save_path(&self, id: &str) -> Option<PathBuf> {
        self.save_dir.as_ref().map(|d| d.join(format!("{id}.ron")))
    }
}

/// Everything that works without a GPU or a window.
pub struct GamePlugin(pub GameOptions);

impl Plugin for GamePlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(self.0.clone());
        app.add_plugins((
            fonts::plugin,
            screens::plugin,
            link::plugin,
            picture::plugin,
            story_ui::plugin,
            subtitles::plugin,
            overlay::plugin,
            bench::plugin,
        ));
    }
}

/// The default save folder: `$XDG_DATA_HOME/campfire/saves` (or `~/.local/share/…`).
pub fn default_save_dir() -> Option<PathBuf> {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(data.join("campfire/saves"))
}

/// Whether a window can be opened here (an X11 display; Wayland sessions provide one too).
pub fn display_available() -> bool {
    std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty())
}

/// The window's size when it opens, in logical pixels.
pub const WINDOW_SIZE: (u32, u32) = (960, 640);

/// Opens the window and plays until it is closed (or `capture.quit_after`). The narration
/// plays through Bevy's audio and is the clock (a wall clock where no device opens).
pub fn run(mut options: GameOptions, capture: CapturePlan) -> AppExit {
    options.live.clock = live::ClockKind::Audio;
    // The picture starts at the window's size; `picture` follows the window from then on.
    let picture = options.live.picture.get_or_insert_default();
    (picture.width, picture.height) = WINDOW_SIZE;
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window { title: "Campfire".into(), resolution: WINDOW_SIZE.into(), ..default() }),
                ..default()
            })
            // Stories and fonts are not loaded through Bevy's asset server.
            .set(AssetPlugin { file_path: std::env::temp_dir().display().to_string(), ..default() })
            // The UI's share of the cores, from the one budget (`campfire_cpu`).
            .set(TaskPoolPlugin {
                task_pool_options: bevy::app::TaskPoolOptions::with_num_threads(campfire_cpu::budget().ui),
            }),
    );
    app.add_plugins((GamePlugin(options), narration::plugin, voice_input::plugin, capture::plugin(capture)));
    app.add_systems(Startup, spawn_camera);
    app.run()
}

fn spawn_camera(mut commands: Commands) {
    commands.spawn(Camera2d);
}
