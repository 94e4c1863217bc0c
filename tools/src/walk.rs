//! `campfire walk STORY`: plays a story in the terminal. Choices are typed (a number or the
//! words of a choice), read line by line from a pipe, given up front with `--choices 1,3,2`, or
//! made by a seeded pick with `--auto` (each one said as it is made).

use crate::story_args::{StoryArgs, print_line};
use campfire_story::Output;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub story: StoryArgs,
    /// Pick choices by themselves, with a seeded random pick.
    #[arg(long)]
    pub auto: bool,
    /// The choices to make, in order, as numbers from 1: `--choices 1,3,2`.
    #[arg(long, value_delimiter = ',', conflicts_with = "auto")]
    pub choices: Vec<usize>,
    /// Seed for automatic choices and the story's own random picks (`Random`, `{~…}`), so a
    /// walk can be repeated; without it the story picks differently each time.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Resume from this save file, and save to it after every choice.
    #[arg(long)]
    pub save: Option<PathBuf>,
}

/// What typed text means at a choice point: the session's matcher, shared with spoken answers.
enum Typed {
    Choice(usize),
    GoBack,
    Again(String),
}

fn pick(input: &str, rt: &campfire_story::Runtime) -> Typed {
    use campfire_intent::{Command, Outcome};
    match campfire_session::answer::interpret(input, rt).understanding.outcome {
        Outcome::Choice { index, .. } => Typed::Choice(index),
        Outcome::Command { command: Command::GoBack } => Typed::GoBack,
        Outcome::Nothing { reprompt } if !reprompt.is_empty() => Typed::Again(reprompt),
        _ => Typed::Again(format!("Type a number from 1 to {}, or some words of a choice.", rt.choices().len())),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut rt = match &args.save {
        Some(path) if path.exists() => {
            let rt = campfire_story::save::resume(args.story.load()?.template.clone(), path, &args.story.params()?)?;
            println!("(resumed from {})", path.display());
            rt
        }
        _ => {
            let mut rt = args.story.start()?;
            if let Some(seed) = args.seed {
                rt.set_seed(seed);
            }
            rt
        }
    };
    let story = rt.template().clone();
    let terminal = std::io::stdin().is_terminal();
    let mut planned = args.choices.iter().copied();
    let mut rng = fastrand::Rng::with_seed(args.seed.unwrap_or(0));
    println!("== {} ==", story.title);
    let stdin = std::io::stdin();
    loop {
        match rt.next()? {
            Output::Line(line) => print_line(&line),
            Output::Choices(choices) => {
                for c in &choices {
                    println!("  {}. {}", c.index + 1, c.text);
                }
                let index = if args.auto {
                    let i = rng.usize(..choices.len());
                    println!("> {} (picked by --auto)", choices[i].text);
                    i
                } else if !args.choices.is_empty() {
                    let Some(n) = planned.next() else {
                        println!("(--choices ran out here; add more to go on)");
                        return Ok(ExitCode::SUCCESS);
                    };
                    if !(1..=choices.len()).contains(&n) {
                        anyhow::bail!("--choices: {n} is not offered here; choose from 1 to {}", choices.len());
                    }
                    println!("> {}", choices[n - 1].text);
                    n - 1
                } else {
                    // From the terminal or a pipe, a line at a time; a pipe's lines are echoed so
                    // the transcript shows what was chosen.
                    loop {
                        if terminal {
                            print!("> ");
                            std::io::stdout().flush()?;
                        }
                        let mut input = String::new();
                        if stdin.lock().read_line(&mut input)? == 0 {
                            println!("(no more input: goodbye)");
                            return Ok(ExitCode::SUCCESS);
                        }
                        match pick(&input, &rt) {
                            Typed::Choice(i) => {
                                if !terminal {
                                    println!("> {}", choices[i].text);
                                }
                                break i;
                            }
                            Typed::GoBack if rt.go_back().is_ok() => break usize::MAX,
                            Typed::GoBack => println!("There is nothing to go back to yet."),
                            Typed::Again(text) => println!("{text}"),
                        }
                    }
                };
                if index == usize::MAX {
                    // Went back: the earlier choice point is offered again.
                    continue;
                }
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
