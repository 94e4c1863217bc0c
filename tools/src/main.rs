//! `campfire`: the one binary. Glue only: parse arguments, call the libraries, turn errors into
//! exit codes. Each subcommand lives in its own module with an `Args` struct and a `run`.

mod data;
mod eval;
mod train;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "campfire", version, about = "Live, voice-steered storytelling")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Render a training dataset of random clips.
    Data(data::Args),
    /// Train a model.
    Train(train::Args),
    /// Measure a model.
    Eval(eval::Args),
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
        None => Ok(ExitCode::SUCCESS),
        Some(Command::Data(a)) => data::run(a),
        Some(Command::Train(a)) => train::run(a),
        Some(Command::Eval(a)) => eval::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
