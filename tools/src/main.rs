//! `campfire`: the one binary. Glue only: parse arguments, call the libraries, turn errors into
//! exit codes. Each subcommand lives in its own module with an `Args` struct and a `run`.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod convert_whisper;
mod transcribe;

#[derive(Parser)]
#[command(name = "campfire", version, about = "Live, voice-steered storytelling")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Convert a CTranslate2 Whisper model into the ggml file whisper.cpp loads.
    ConvertWhisper(convert_whisper::Args),
    /// Transcribe a WAV file or an espeak-ng phrase with whisper (word times, --bench).
    Transcribe(transcribe::Args),
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
        Some(Command::ConvertWhisper(args)) => convert_whisper::run(args),
        Some(Command::Transcribe(args)) => transcribe::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
