//! `campfire paths STORY`: every path through a story (`campfire_story::explore::paths`), with
//! the choices that make it, the ending it reaches and how long it lasts when narrated.

use crate::story_args::StoryArgs;
use campfire_story::explore::{StoryPath, paths};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub story: StoryArgs,
    /// Stop after this many paths (a story with loops has very many).
    #[arg(long, default_value_t = 200)]
    pub max: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let rt = args.story.start()?;
    let title = rt.template().title.clone();
    let paths = paths(rt, args.max)?;
    println!("{title}: {} path(s){}", paths.len(), if paths.len() >= args.max { " (stopped at --max)" } else { "" });
    println!("{:<16} {:<24} {:>9} {:>6}", "choices", "ending", "duration", "lines");
    for StoryPath { choices, ending, secs, lines, .. } in &paths {
        let path = if choices.is_empty() {
            "-".to_string()
        } else {
            choices.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(",")
        };
        let duration = format!("{}:{:02}", (*secs as u32) / 60, (*secs as u32) % 60);
        println!("{path:<16} {ending:<24} {duration:>9} {lines:>6}");
    }
    println!("(replay one with: campfire walk {} --choices CHOICES)", args.story.story);
    Ok(ExitCode::SUCCESS)
}
