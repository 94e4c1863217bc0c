//! `campfire graph STORY --out story.svg`: draws a story's shape (`campfire_story::graph`).

use crate::story_args::StoryArgs;
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub story: StoryArgs,
    /// The SVG file to write.
    #[arg(long, default_value = "story.svg")]
    pub out: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // Parsed, not loaded: the graph is most useful for a story that does not lint clean yet.
    let path = campfire_story::find(&args.story.story)?;
    let text = campfire_story::read_text(&path)?;
    let t = campfire_story::parse(&path.display().to_string(), &text).map_err(|d| anyhow::anyhow!("{d}"))?;
    std::fs::write(&args.out, campfire_story::graph::svg(&t))
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    println!("Drew {} beats of `{}` in {}", t.beats.len(), t.id, args.out.display());
    Ok(ExitCode::SUCCESS)
}
