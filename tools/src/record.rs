//! Recording a story from a command's arguments (`play --headless`, `render --out FILE.mp4`):
//! the session opened with the narrator and ears asked for, Ctrl-C and a dying encoder turned
//! into errors, and the rest done by `campfire_session::record`.

use crate::story_args::StoryArgs;
use anyhow::Context;
use campfire_session::{Session, SessionConfig};
use campfire_voice::{Backend, Voice, VoiceSettings};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

pub(crate) use campfire_session::record::Recorded;

/// Set by Ctrl-C: a recording stops and removes its unfinished files.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_interrupt(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Who tells the story, and who listens to spoken answers.
pub(crate) struct Narrator {
    pub voice: Backend,
    /// The narrator's pace relative to the story's.
    pub pace: f32,
    /// The whisper model for spoken answers, when there are any (`Some(None)`: the default one).
    pub ears: Option<Option<PathBuf>>,
}

/// A session of `story` spoken by `voice`, listening with whisper when `ears` is given.
fn open_session(
    story: &StoryArgs,
    voice: Backend,
    pace: f32,
    ears: Option<Option<PathBuf>>,
) -> anyhow::Result<Session> {
    let rt = story.start()?;
    let synth = Voice::open(voice, VoiceSettings::default()).context("the narrator's voice")?;
    tracing::info!(backend = %synth.backend(), "narrator");
    let transcriber = match ears {
        Some(model) => Some(crate::found::transcriber(model)?.0),
        None => None,
    };
    let config = SessionConfig { speed_scale: pace, ..SessionConfig::default() };
    Ok(Session::new(rt, Box::new(synth), transcriber, config)?)
}

/// Records `story` told by `narrator` as `rec` says; `on_frame` hears the video's length so far
/// after each frame (a progress bar).
pub(crate) fn record_story(
    story: &StoryArgs,
    narrator: Narrator,
    rec: campfire_session::record::Recording,
    on_frame: &mut dyn FnMut(f64),
) -> anyhow::Result<Recorded> {
    let mut session = open_session(story, narrator.voice, narrator.pace, narrator.ears)?;
    // Before the first temporary file exists, so that Ctrl-C always finds it to remove.
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe { libc::signal(libc::SIGINT, on_interrupt as *const () as libc::sighandler_t) };
    let _pipe = PipeErrors::new();
    Ok(campfire_session::record::record(&mut session, rec, &INTERRUPTED, on_frame)?)
}

/// While it lives, a write to a closed pipe is an error rather than the end of the process:
/// `main` lets SIGPIPE stop the program (for `campfire walk | head`), but an encoder that dies
/// mid-way must be reported, and its temporary files removed.
struct PipeErrors(libc::sighandler_t);

impl PipeErrors {
    fn new() -> Self {
        // SAFETY: changing a signal's disposition; no handler code runs.
        Self(unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) })
    }
}

impl Drop for PipeErrors {
    fn drop(&mut self) {
        // SAFETY: as above, putting back what was there.
        unsafe { libc::signal(libc::SIGPIPE, self.0) };
    }
}

/// Writes `bytes` to `path` whole or not at all.
pub(crate) fn write_whole(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    Ok(campfire_session::record::write_whole(path, bytes)?)
}
