//! A transcript filtered and understood: the text half of speech in.

use crate::safety::{self, Verdict};
use crate::understand::{ChoiceOption, FreeCommands, Outcome, Understanding, understand};
use campfire_scene::SceneState;
use serde::Serialize;

/// What a recording meant. An unsafe transcript is withheld (empty `transcript`), and the
/// outcome is [`Outcome::Nothing`] with the filter's gentle redirect as the re-prompt.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Recognized {
    pub transcript: String,
    pub safety: Verdict,
    pub understanding: Understanding,
}

/// Filters and understands a transcript (the text half of `campfire_voice::recognise`).
pub fn understand_text(text: &str, choices: &[ChoiceOption], scene: &SceneState, allowed: FreeCommands) -> Recognized {
    let text = text.trim();
    match safety::check(text) {
        Verdict::Safe => Recognized {
            transcript: text.to_string(),
            safety: Verdict::Safe,
            understanding: understand(text, choices, scene, allowed),
        },
        unsafe_verdict @ Verdict::Unsafe { .. } => {
            let redirect = match &unsafe_verdict {
                Verdict::Unsafe { redirect, .. } => redirect.clone(),
                Verdict::Safe => String::new(),
            };
            Recognized {
                transcript: String::new(),
                safety: unsafe_verdict,
                understanding: Understanding {
                    transcript: String::new(),
                    outcome: Outcome::Nothing { reprompt: redirect },
                    confidence: 1.0,
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_words_are_withheld_and_redirected() {
        let r = understand_text("the dragon kills everyone", &[], &SceneState::default(), FreeCommands::ALL);
        assert!(r.transcript.is_empty());
        match r.understanding.outcome {
            Outcome::Nothing { reprompt } => assert_eq!(reprompt, crate::Reason::Harm.redirect()),
            other => panic!("{other:?}"),
        }
    }
}
