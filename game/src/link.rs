//! The live session as a resource while a story plays: started when the `Playing` screen is
//! entered (on its own threads: this returns at once), its events turned into [`LiveEvent`]
//! messages each frame, stopped when the screen is left.

use crate::GameOptions;
use crate::screens::{Screen, Selection};
use bevy::prelude::*;
use campfire_session::SessionEvent;
use campfire_session::live::{FromSession, Live, LiveConfig, Start, ToSession};
use crossbeam_channel::TryRecvError;

/// The UI's end of the running session.
#[derive(Resource)]
pub struct LiveLink {
    pub live: Live,
    /// The session's title once it started, and whether it was resumed.
    pub started: Option<(String, bool)>,
    /// Autosaves written.
    pub saves: u32,
}

impl LiveLink {
    /// Sends an answer; false when the session is gone or busy (never waits).
    pub fn answer(&self, text: impl Into<String>, spoken: bool) -> bool {
        self.live.to_session.try_send(ToSession::Answer { text: text.into(), spoken }).is_ok()
    }

    /// Seconds on the story's clock.
    pub fn position(&self) -> f64 {
        self.live.clock.position()
    }
}

/// An event of the session, in clock order.
#[derive(Message, Clone, Debug)]
pub struct LiveEvent(pub SessionEvent);

pub(crate) fn plugin(app: &mut App) {
    app.add_message::<LiveEvent>();
    app.add_systems(OnEnter(Screen::Playing), start_session);
    app.add_systems(OnExit(Screen::Playing), stop_session);
    app.add_systems(Update, pump.run_if(in_state(Screen::Playing).and_then(resource_exists::<LiveLink>)));
}

fn start_session(
    mut commands: Commands,
    options: Res<GameOptions>,
    mut sel: ResMut<Selection>,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(Ok(story)) = sel.current().map(|e| e.story.clone()) else {
        next.set(Screen::Title);
        return;
    };
    let save = options.save_path(story.id());
    let start = match (&save, sel.resume) {
        (Some(path), true) => Start::Resume { story, save: path.clone() },
        _ => Start::New { params: sel.params(&options.params), story },
    };
    let config = LiveConfig { save, ..options.live.clone() };
    match Live::start(start, config) {
        Ok(live) => commands.insert_resource(LiveLink { live, started: None, saves: 0 }),
        Err(e) => {
            sel.problem = Some(format!("the story could not start: {e}"));
            next.set(Screen::Title);
        }
    }
}

fn stop_session(mut commands: Commands) {
    commands.remove_resource::<LiveLink>();
}

/// Takes what the session sent since the last frame (never waits).
fn pump(
    mut link: ResMut<LiveLink>,
    mut events: MessageWriter<LiveEvent>,
    mut sel: ResMut<Selection>,
    mut next: ResMut<NextState<Screen>>,
) {
    // A bound per frame: a flood of events cannot stall a frame.
    for _ in 0..64 {
        let msg = match link.live.from_session.try_recv() {
            Ok(m) => m,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => {
                sel.problem = Some("the story stopped unexpectedly".into());
                next.set(Screen::Title);
                return;
            }
        };
        match msg {
            FromSession::Started { title, resumed } => {
                tracing::info!(%title, resumed, "story started");
                link.started = Some((title, resumed));
            }
            FromSession::Saved(path) => {
                tracing::debug!(save = %path.display(), "autosaved");
                link.saves += 1;
            }
            FromSession::Failed(why) => {
                sel.problem = Some(why);
                next.set(Screen::Title);
                return;
            }
            FromSession::Event(e) => {
                if let SessionEvent::Ended { name, .. } = &e {
                    sel.ending = Some(format!("({name})"));
                    next.set(Screen::Ended);
                }
                events.write(LiveEvent(e));
            }
        }
    }
}
