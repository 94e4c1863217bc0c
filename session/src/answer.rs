//! The one choice matcher, for typed and spoken answers alike.
//!
//! A typed number picks by position; everything else (typed words or a transcript) goes through
//! the kid-safe filter and the intent layer, so "the fox", "follow the fox" and "the first one"
//! mean the same whether typed or said.

use campfire_intent::{ChoiceOption, FreeCommands, Outcome, Recognized, Understanding, Verdict, understand_text};
use campfire_story::Runtime;
use campfire_story::template::FreeCommand;

/// The choices on offer as the intent layer wants them.
pub fn choice_options(rt: &Runtime) -> Vec<ChoiceOption> {
    rt.choices().into_iter().map(|c| ChoiceOption { text: c.text, phrases: c.phrases }).collect()
}

/// The free commands the story allows, in the intent layer's terms.
pub fn free_commands(rt: &Runtime) -> FreeCommands {
    let allowed = rt.allowed_commands();
    FreeCommands {
        actions: allowed.contains(&FreeCommand::Act),
        weather: allowed.contains(&FreeCommand::Weather),
        time: allowed.contains(&FreeCommand::Time),
        // The story format has no free command for changing the setting.
        setting: false,
    }
}

/// What an answer means at the runtime's current choice point.
pub fn interpret(text: &str, rt: &Runtime) -> Recognized {
    let choices = choice_options(rt);
    let trimmed = text.trim();
    if let Ok(n) = trimmed.parse::<usize>() {
        let outcome = match n.checked_sub(1).and_then(|i| choices.get(i).map(|c| (i, c))) {
            Some((index, c)) => Outcome::Choice { index, text: c.text.clone() },
            None => Outcome::Nothing {
                reprompt: format!("Pick a number from 1 to {}, or say what should happen.", choices.len().max(1)),
            },
        };
        let confidence = if matches!(outcome, Outcome::Choice { .. }) { 1.0 } else { 0.0 };
        return Recognized {
            transcript: trimmed.to_string(),
            safety: Verdict::Safe,
            understanding: Understanding { transcript: trimmed.to_string(), outcome, confidence },
        };
    }
    understand_text(trimmed, &choices, rt.state(), free_commands(rt))
}

#[cfg(test)]
mod tests {
    use super::*;
    use campfire_story::{Output, Params, Story};

    fn at_first_choice() -> Runtime {
        let path = campfire_story::find("demo").unwrap();
        let mut rt = Runtime::new(Story::load(&path).unwrap().template, Params::new()).unwrap();
        while !matches!(rt.next().unwrap(), Output::Choices(_)) {}
        rt
    }

    #[test]
    fn numbers_words_and_ordinals_pick_the_same_choice() {
        let rt = at_first_choice();
        for said in ["2", "jump off the rock", "Jump!", "the second one"] {
            match interpret(said, &rt).understanding.outcome {
                Outcome::Choice { index, .. } => assert_eq!(index, 1, "{said}"),
                other => panic!("{said}: {other:?}"),
            }
        }
        assert!(matches!(interpret("7", &rt).understanding.outcome, Outcome::Nothing { .. }));
        assert!(matches!(interpret("go back", &rt).understanding.outcome, Outcome::Command { .. }));
    }

    #[test]
    fn unsafe_words_are_withheld() {
        let rt = at_first_choice();
        let r = interpret("kill the bird", &rt);
        assert!(!r.safety.is_safe());
        assert!(r.transcript.is_empty());
    }
}
