//! `campfire walk STORY`: plays a story in the terminal. Choices are typed (a number or the
//! words of a choice); without a terminal, or with `--auto`, choices are made by a seeded pick.

use anyhow::Context;
use campfire_story::{Output, Params, Runtime, Story};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct Args {
    /// Story name (`demo`) or path to a `.ron` file.
    #[arg(default_value = "demo")]
    pub story: String,
    /// Story parameters, e.g. `--param name=Ada --param colour=red`.
    #[arg(long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
    /// Pick choices by themselves (the default when there is no terminal).
    #[arg(long)]
    pub auto: bool,
    /// Seed for automatic choices.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Resume from this save file, and save to it after every choice.
    #[arg(long)]
    pub save: Option<PathBuf>,
}

/// Parses `key=value` pairs; each value passes the kid-safe filter, since it will be spoken.
pub fn parse_params(raw: &[String]) -> anyhow::Result<Params> {
    raw.iter()
        .map(|kv| {
            let (k, v) = kv.split_once('=').with_context(|| format!("`{kv}` should look like key=value"))?;
            if let campfire_narration::safety::Verdict::Unsafe { reason, .. } = campfire_narration::safety::check_name(v) {
                anyhow::bail!("the value for `{}` can't be used in a story: {}", k.trim(), reason.describe());
            }
            Ok((k.trim().to_string(), v.trim().to_string()))
        })
        .collect()
}

pub fn load_story(name: &str) -> anyhow::Result<Arc<Story>> {
    let path = campfire_story::find(name)?;
    Ok(Arc::new(Story::load(&path)?))
}

/// Matches typed text to a choice: a number, or the choice whose words it shares most.
fn pick(input: &str, choices: &[campfire_story::ChoiceView]) -> Option<usize> {
    let input = input.trim().to_lowercase();
    if let Ok(n) = input.parse::<usize>() {
        return (1..=choices.len()).contains(&n).then(|| n - 1);
    }
    let words: Vec<&str> = input.split_whitespace().collect();
    choices
        .iter()
        .map(|c| {
            let text = format!("{} {}", c.text, c.phrases.join(" ")).to_lowercase();
            (words.iter().filter(|w| text.contains(**w)).count(), c.index)
        })
        .filter(|(score, _)| *score > 0)
        .max()
        .map(|(_, i)| i)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let story = load_story(&args.story)?;
    let params = parse_params(&args.params)?;
    let mut rt = match &args.save {
        Some(path) if path.exists() => {
            let rt = campfire_story::save::resume(story.clone(), path)?;
            println!("(resumed from {})", path.display());
            rt
        }
        _ => Runtime::new(story.clone(), params)?,
    };
    let interactive = !args.auto && std::io::stdin().is_terminal();
    let mut rng = fastrand::Rng::with_seed(args.seed);
    println!("== {} ==", story.title());
    let stdin = std::io::stdin();
    loop {
        match rt.next()? {
            Output::Line(line) => match &line.speaker_name {
                Some(who) => println!("{who}: \"{}\"", line.text),
                None => println!("{}", line.text),
            },
            Output::Choices(choices) => {
                for c in &choices {
                    println!("  {}. {}", c.index + 1, c.text);
                }
                let index = if interactive {
                    loop {
                        print!("> ");
                        std::io::stdout().flush()?;
                        let mut input = String::new();
                        if stdin.lock().read_line(&mut input)? == 0 {
                            println!("(goodbye)");
                            return Ok(ExitCode::SUCCESS);
                        }
                        match pick(&input, &choices) {
                            Some(i) => break i,
                            None => println!("Type a number from 1 to {}, or some words of a choice.", choices.len()),
                        }
                    }
                } else {
                    let i = rng.usize(..choices.len());
                    println!("> {}", choices[i].text);
                    i
                };
                rt.choose(index)?;
                if let Some(path) = &args.save {
                    campfire_story::save::save(&rt, path)?;
                }
            }
            Output::End(end) => {
                println!("== The end ({}) ==", end.name);
                return Ok(ExitCode::SUCCESS);
            }
        }
    }
}
