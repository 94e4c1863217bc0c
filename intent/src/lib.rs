//! What a child said, as text: is it kind, and what does it mean right now? Pure text, no audio.
//!
//! - [`safety::check`]: the kid-safe filter for every text that does not come from a shipped
//!   story (and [`safety::check_name`] for names).
//! - [`understand`]: a transcript becomes a choice, a global command, a scene event or nothing
//!   (with a kind re-prompt), each with a confidence; [`vocabulary_prompt`] gives the speech
//!   recognizer the words expected now.
//! - [`understand_text`]: both in one call, as speech in uses them ([`Recognized`]).

mod filtered;
pub mod safety;
pub mod understand;

/// The British spelling, kept for `campfire-voice`'s callers until they move to [`Recognized`].
pub use filtered::{Recognized, understand_text};
pub use safety::{Reason, Verdict};
pub use understand::{
    ChoiceOption, Command, FreeCommands, MIN_CONFIDENCE, Outcome, Understanding, reprompt, understand,
    vocabulary_prompt,
};
