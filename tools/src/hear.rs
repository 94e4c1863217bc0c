//! `campfire hear FILE.wav --story STORY [--beat ID]`: what a recording means at a choice point.
//! Prints one JSON object: transcript, safety verdict, outcome (choice, command, scene event or
//! nothing with its re-prompt) and confidence.

use anyhow::{Context, bail};
use campfire_intent::ChoiceOption;
use campfire_story::{Output, Runtime};
use campfire_voice::audio::{WHISPER_SAMPLE_RATE, read_wav, resample};
use campfire_voice::recognise::recognise;
use std::collections::VecDeque;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The recording: a WAV file at any sample rate, mono or multi-channel.
    pub file: PathBuf,
    /// Story name (`demo`) or path to a `.ron` file.
    #[arg(long)]
    pub story: String,
    /// Beat whose choices to match against; default: the story's first choice point.
    #[arg(long)]
    pub beat: Option<String>,
    /// Story parameters, e.g. `--param name=Ada`.
    #[arg(long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
    /// The whisper model (ggml); default: $CAMPFIRE_WHISPER_MODEL, else the one setup converted.
    #[arg(long)]
    pub model: Option<PathBuf>,
}

/// Most story states searched for `--beat` before giving up.
const MAX_SEARCH: usize = 5_000;

/// Plays the story forward to a choice point in `beat` (or the first choice point), trying
/// choices breadth-first so the scene is the one a child would really see there.
fn reach(start: Runtime, beat: Option<&str>) -> anyhow::Result<Runtime> {
    let mut queue = VecDeque::from([start]);
    let mut seen = 0;
    let mut beats_seen = std::collections::BTreeSet::new();
    while let Some(mut rt) = queue.pop_front() {
        seen += 1;
        if seen > MAX_SEARCH {
            break;
        }
        loop {
            match rt.next()? {
                Output::Line(_) => continue,
                Output::End(_) => break,
                Output::Choices(choices) => {
                    beats_seen.insert(rt.beat_id().to_string());
                    if beat.is_none_or(|b| b == rt.beat_id()) {
                        return Ok(rt);
                    }
                    for c in &choices {
                        let mut next = rt.clone();
                        next.choose(c.index)?;
                        queue.push_back(next);
                    }
                    break;
                }
            }
        }
    }
    match beat {
        Some(b) => bail!(
            "no choice point in beat `{b}` is reachable; beats with choices: {}",
            beats_seen.into_iter().collect::<Vec<_>>().join(", ")
        ),
        None => bail!("the story ends without ever offering a choice"),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let wav = read_wav(&args.file).with_context(|| format!("cannot use {} as a recording", args.file.display()))?;
    let samples = resample(&wav.samples, wav.sample_rate, WHISPER_SAMPLE_RATE);
    // `--story` is an option here (the file comes first), so StoryArgs is built, not flattened.
    let story =
        crate::story_args::StoryArgs { story: args.story.clone(), params: args.params.clone(), params_file: None };
    let rt = reach(story.start()?, args.beat.as_deref())?;
    let choices: Vec<ChoiceOption> = campfire_session::answer::choice_options(&rt);
    let free = campfire_session::answer::free_commands(&rt);
    let (transcriber, _) = crate::found::transcriber(args.model.clone())?;
    let started = std::time::Instant::now();
    let heard = recognise(&transcriber, &samples, &choices, rt.state(), free)?;
    let recognise_ms = started.elapsed().as_secs_f64() * 1000.0;
    let json = serde_json::json!({
        "file": args.file.display().to_string(),
        "seconds": wav.samples.len() as f64 / wav.sample_rate.max(1) as f64,
        "sample_rate": wav.sample_rate,
        "story": args.story,
        "beat": rt.beat_id(),
        "transcript": heard.transcript,
        "safety": heard.safety,
        "outcome": heard.understanding.outcome,
        "confidence": heard.understanding.confidence,
        // Transcription and understanding with the model loaded: the first call, a little
        // slower than the ones after it.
        "recognise_ms": (recognise_ms * 10.0).round() / 10.0,
        "choices": choices.iter().map(|c| &c.text).collect::<Vec<_>>(),
    });
    println!("{json}");
    Ok(ExitCode::SUCCESS)
}
