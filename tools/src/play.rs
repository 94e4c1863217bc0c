//! `campfire play [STORY]`: the default command. With a terminal and a display it plays the story
//! interactively; with no display it makes a headless run that writes a video file of the
//! story's default path, printing the narration as it goes.
//!
//! The live Bevy window arrives with the app (`game/`); until then a display also gets the
//! terminal story, so the README's first command works everywhere.

use crate::story_args::{StoryArgs, print_line};
use campfire_story::Output;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub story: StoryArgs,
    /// Write a video file even where there is a display.
    #[arg(long)]
    pub headless: bool,
    /// The video file of a headless run (default: out/STORY.gif).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

impl Default for Args {
    fn default() -> Self {
        Self { story: StoryArgs::default(), headless: false, out: None }
    }
}

fn has_display() -> bool {
    std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty()) || std::env::var_os("WAYLAND_DISPLAY").is_some_and(|d| !d.is_empty())
}

/// Prints the story's default path (the first choice each time): what the video shows.
fn narrate_default_path(args: &Args) -> anyhow::Result<()> {
    let mut rt = args.story.start()?;
    println!("== {} ==", rt.template().title);
    loop {
        match rt.next()? {
            Output::Line(line) => print_line(&line),
            Output::Choices(choices) => {
                println!("> {}", choices[0].text);
                rt.choose(0)?;
            }
            Output::End(end) => {
                println!("== The end ({}) ==", end.name);
                return Ok(());
            }
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let interactive = std::io::stdin().is_terminal() && has_display() && !args.headless;
    if interactive {
        return crate::walk::run(crate::walk::Args { story: args.story, auto: false, choices: Vec::new(), seed: 0, save: None });
    }
    narrate_default_path(&args)?;
    let name = std::path::Path::new(&args.story.story).file_stem().map_or("story".into(), |s| s.to_string_lossy().into_owned());
    let out = args.out.clone().unwrap_or_else(|| PathBuf::from("out").join(format!("{name}.gif")));
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let code = crate::render::run(crate::render::Args {
        story: args.story,
        out: Some(out.clone()),
        frames: None,
        seconds: None,
        size: (256, 192),
        fps: 12,
        seed: 0,
        generator: crate::render::GeneratorKind::Reference,
        ae: None,
        bench: false,
    })?;
    println!("The video is in {}", out.display());
    Ok(code)
}
