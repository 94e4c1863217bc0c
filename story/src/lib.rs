//! Story templates in RON, and the runtime that plays them.
//!
//! - [`template`]: the format authors write (documented with an example in `stories/README.md`).
//! - [`Story`]: a template that parsed and passed the linter; [`Story::load`], [`find`].
//! - [`lint`]: every check, as [`Diagnostic`]s with file, line, column and a hint.
//! - [`Runtime`]: plays a [`Template`], offers choices, applies events to the
//!   [`campfire_scene::SceneState`] and keeps the event log in its [`PlayState`].
//!
//! Modules depend one way: `load` → `lint` → `explore` → `runtime` → `template`/`text`/`expr`
//! (`text` → `expr`, `dice`), and
//! `save` → `runtime`, `graph` → `template`; the runtime needs only the template, never the loaded [`Story`].
//! - [`explore`]: walks every path of a story (the linter's dead-end check and the tests), and
//!   lists them with their choices and lengths ([`explore::paths`]).
//! - [`graph`]: a story's shape as an SVG picture.
//! - [`save`]: versioned save files with atomic writes; resume refuses a changed template.

pub mod diagnostic;
mod dice;
pub mod explore;
pub mod expr;
pub mod graph;
pub mod lint;
mod load;
mod parse;
pub mod runtime;
pub mod save;
pub mod schema;
pub mod template;
pub mod text;

pub use diagnostic::{Diagnostic, Severity};
pub use lint::{Objection, Screen};
pub use load::{MAX_STORY_BYTES, Story, StoryError, find, read_text, search_dirs};
pub use parse::parse;
pub use runtime::{ChoiceView, Ending, LineView, Output, Params, PlayState, Runtime, RuntimeError};
pub use template::{Template, VoiceSpec};
