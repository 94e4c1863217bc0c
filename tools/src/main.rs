//! `campfire`: the one binary. Glue only: parse arguments, call the libraries, turn errors into
//! exit codes. Each subcommand lives in its own module with an `Args` struct and a `run`.

use clap::{Parser, Subcommand};

mod lint;
mod render;
mod walk;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "campfire", version, about = "Live, voice-steered storytelling")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Check story templates; every problem with file:line:column and a hint.
    Lint(lint::Args),
    /// Play a story in the terminal, typing choices.
    Walk(walk::Args),
    /// Render a story's default path with the reference renderer to a GIF or PNG frames.
    Render(render::Args),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result: anyhow::Result<ExitCode> = match cli.command {
        Some(Command::Lint(a)) => lint::run(a),
        Some(Command::Walk(a)) => walk::run(a),
        Some(Command::Render(a)) => render::run(a),
        None => walk::run(walk::Args { story: "demo".into(), params: vec![], auto: false, seed: 0, save: None }),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
