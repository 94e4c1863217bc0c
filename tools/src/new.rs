//! `campfire new NAME`: writes `NAME.ron`, a small commented story that lints clean, to start
//! writing from.

use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

const TEMPLATE: &str = include_str!("templates/new.ron");

#[derive(clap::Args)]
pub struct Args {
    /// The story's id (`the-brave-bird`), or a path ending in `.ron`.
    pub name: String,
    /// The story's title (default: made from the name).
    #[arg(long)]
    pub title: Option<String>,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let path = if args.name.ends_with(".ron") {
        PathBuf::from(&args.name)
    } else {
        PathBuf::from(format!("{}.ron", args.name))
    };
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let id: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c.to_ascii_lowercase() } else { '-' })
        .collect();
    if id.trim_matches('-').is_empty() {
        anyhow::bail!("`{}` gives no story id: use letters, digits, `-` or `_`", args.name);
    }
    let title = args.title.unwrap_or_else(|| {
        id.split(['-', '_'])
            .filter(|w| !w.is_empty())
            .map(|w| w[..1].to_uppercase() + &w[1..])
            .collect::<Vec<_>>()
            .join(" ")
    });
    if path.exists() && !args.force {
        anyhow::bail!("{} already exists (use --force to replace it)", path.display());
    }
    let text = TEMPLATE.replace("{id}", &id).replace("{title}", &title.replace('"', "'"));
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    println!("Wrote {}. Next: campfire lint {0} && campfire walk {0}", path.display());
    Ok(ExitCode::SUCCESS)
}
