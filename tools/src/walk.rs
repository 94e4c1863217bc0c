//! `campfire walk STORY`: plays a story in the terminal. Choices are typed (a number or the
//! words of a choice); without a terminal, or with `--auto`, choices are made by a seeded pick.

use crate::story_args::{StoryArgs, print_line};
use campfire_story::Output;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub story: StoryArgs,
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
    let mut rt = match &args.save {
        Some(path) if path.exists() => {
            let rt = campfire_story::save::resume(args.story.load()?, path)?;
            println!("(resumed from {})", path.display());
            rt
        }
        _ => args.story.start()?,
    };
    let story = rt.story().clone();
    let interactive = !args.auto && std::io::stdin().is_terminal();
    let mut rng = fastrand::Rng::with_seed(args.seed);
    println!("== {} ==", story.title());
    let stdin = std::io::stdin();
    loop {
        match rt.next()? {
            Output::Line(line) => print_line(&line),
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
