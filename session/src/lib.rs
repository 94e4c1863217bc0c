//! The live session: a story told on one clock, heard, answered and shown. No Bevy.
//!
//! - [`Session`]: owns the story [`Runtime`](campfire_story::Runtime), the narration queue
//!   (lines synthesised ahead, each speaker in its own voice), the world as heard and the sound.
//!   The caller plays [`Session::pull_audio`] and passes the position heard to
//!   [`Session::update`], which returns [`SessionEvent`]s; answers go to
//!   [`Session::answer_text`] and [`Session::answer_speech`].
//! - [`answer`]: the one choice matcher for typed and spoken answers.
//! - [`voices`]: a story's voice (`en-us+f3`) as synthesiser settings.
//! - [`world::World`]: the story's events stamped on the audio clock; the world at any frame.
//! - [`picture::Picture`]: frames for clock ticks through a generator, falling back to the
//!   reference renderer (the only module that uses `campfire-generator`).
//! - [`track`]: the session's sound, one mono stream the player pulls.
//! - [`headless`]: a whole session on a simulated clock with scripted answers, to a video.
//! - [`video`]: the video writer (MP4 through the system ffmpeg, else GIF + WAV), shared with
//!   `campfire render`.

pub mod answer;
pub mod headless;
pub mod picture;
mod session;
pub mod track;
pub mod video;
pub mod voices;
pub mod world;

pub use session::{LineRecord, Session, SessionConfig, SessionError, SessionEvent, Turn, check_params};
pub use track::{LEAD_SECS, SAMPLE_RATE};
