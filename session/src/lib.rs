//! The live session: a story told on one clock, heard, answered and shown. No Bevy.
//!
//! - [`Session`]: owns the story [`Runtime`](campfire_story::Runtime), the narration queue
//!   (lines synthesised ahead, each speaker in its own voice), the world as heard and the sound.
//!   The caller plays [`Session::pull_audio`] and passes the position heard to
//!   [`Session::update`], which returns [`SessionEvent`]s; answers go to
//!   [`Session::answer_text`] and [`Session::answer_speech`].
//! - [`live`]: the one live loop ([`live::Pump`]: answers in, events out, sound pulled to the
//!   [`live::Clock`] plus [`LEAD_SECS`], frames requested) and [`live::Live`], which turns it on
//!   threads of its own for the window and the terminal.
//! - [`answer`]: the one choice matcher for typed and spoken answers.
//! - [`voices`]: a story's voice (`en-us+f3`) as synthesiser settings.
//! - [`world::World`]: the story's events stamped on the audio clock; the world at any frame.
//! - [`picture::Picture`]: frames for clock ticks through a generator, falling back to the
//!   reference renderer.
//! - [`track`]: the session's sound, one mono stream the player pulls.
//! - [`headless`]: a whole session on a simulated clock with scripted answers, to a video.
//! - [`record`]: a story recorded on a simulated clock to one video file (`play --headless`,
//!   `render --out FILE.mp4`); [`captions`]: caption text and WebVTT of the narration;
//!   [`gif_writer`]: the one GIF encoder.
//! - [`video`]: the video writer (MP4 through the system ffmpeg, else GIF + WAV), shared with
//!   `campfire render`.

pub mod answer;
pub mod captions;
pub mod gif_writer;
pub mod headless;
pub mod live;
pub mod picture;
pub mod record;
mod session;
pub mod track;
pub mod video;
pub mod voices;
pub mod world;

pub use session::{LineRecord, Session, SessionConfig, SessionError, SessionEvent, Turn, check_params};
pub use track::{LEAD_SECS, SAMPLE_RATE};
