//! `campfire paths STORY`: every path through a story, with the choices that make it, the
//! ending it reaches and how long it lasts when narrated.

use crate::story_args::StoryArgs;
use campfire_scene::TICKS_PER_SECOND;
use campfire_story::{Output, Runtime};
use std::collections::BTreeSet;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub story: StoryArgs,
    /// Stop after this many paths (a story with loops has very many).
    #[arg(long, default_value_t = 200)]
    pub max: usize,
}

/// Where a path stands, for noticing that it came back round (a loop).
fn place(rt: &Runtime) -> String {
    let p = rt.play_state();
    format!("{:?}|{:?}|{:?}", p.cursor, p.used, p.state.vars())
}

/// One way through a story.
pub(crate) struct StoryPath {
    /// The choices that make it, as numbers from 1 (what `--choices` takes).
    pub choices: Vec<usize>,
    /// The ending's name, or where the path loops back to.
    pub ending: String,
    /// Whether it comes back to a choice point it has passed (so `ending` is no ending).
    pub looped: bool,
    /// How long it lasts, by the story's own estimate of its narration.
    pub secs: f32,
    pub lines: usize,
}

/// Every path through the story `rt` starts, up to `max`, in order of their choices.
pub(crate) fn all_paths(rt: Runtime, max: usize) -> anyhow::Result<Vec<StoryPath>> {
    let mut walk = Walk { paths: Vec::new(), max };
    walk.go(rt, Vec::new(), BTreeSet::new(), 0)?;
    walk.paths.sort_by(|a, b| a.choices.cmp(&b.choices));
    Ok(walk.paths)
}

struct Walk {
    paths: Vec<StoryPath>,
    max: usize,
}

impl Walk {
    fn go(
        &mut self,
        mut rt: Runtime,
        mut choices: Vec<usize>,
        mut seen: BTreeSet<String>,
        mut lines: usize,
    ) -> anyhow::Result<()> {
        loop {
            if self.paths.len() >= self.max {
                return Ok(());
            }
            match rt.next()? {
                Output::Line(_) => lines += 1,
                Output::End(end) => {
                    let secs = rt.now() as f32 / TICKS_PER_SECOND as f32;
                    self.paths.push(StoryPath { choices, ending: end.name, looped: false, secs, lines });
                    return Ok(());
                }
                Output::Choices(offered) => {
                    if !seen.insert(place(&rt)) {
                        let secs = rt.now() as f32 / TICKS_PER_SECOND as f32;
                        let ending = format!("(loops back to beat `{}`)", rt.beat_id());
                        self.paths.push(StoryPath { choices, ending, looped: true, secs, lines });
                        return Ok(());
                    }
                    for c in offered.iter().skip(1) {
                        let mut other = rt.clone();
                        other.choose(c.index)?;
                        let mut path = choices.clone();
                        path.push(c.index + 1);
                        self.go(other, path, seen.clone(), lines)?;
                    }
                    rt.choose(0)?;
                    choices.push(1);
                    seen = seen.clone();
                }
            }
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let rt = args.story.start()?;
    let title = rt.template().title.clone();
    let paths = all_paths(rt, args.max)?;
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
