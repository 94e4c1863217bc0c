//! Speech in, end to end: 16 kHz audio → whisper transcript → kid-safe filter → intent.

use crate::transcribe::{TranscribeError, Transcriber};
use campfire_intent::{ChoiceOption, FreeCommands, Recognized, understand_text, vocabulary_prompt};
use campfire_scene::SceneState;

/// Transcribes 16 kHz mono audio (whisper prompted with the words expected now, see
/// [`vocabulary_prompt`]) and understands it.
pub fn recognise(
    transcriber: &Transcriber,
    samples_16k: &[f32],
    choices: &[ChoiceOption],
    scene: &SceneState,
    allowed: FreeCommands,
) -> Result<Recognized, TranscribeError> {
    let transcript = transcriber.transcribe_answer(samples_16k, &vocabulary_prompt(choices, scene))?;
    Ok(understand_text(&transcript.text, choices, scene, allowed))
}
