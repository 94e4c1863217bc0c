//! `campfire`: the one binary. Glue only: parse arguments, call the libraries, turn errors into
//! exit codes. Each subcommand lives in its own module with an `Args` struct and a `run`.

mod data;
mod eval;
mod train;
mod train_dit;

use clap::{Parser, Subcommand};

mod bench;
mod bench_session;
mod bench_stream;
mod bench_video;
mod bench_voice;
mod graph;
mod hear;
mod lint;
mod locate;
mod narrate;
mod new;
mod paths;
mod play;
mod record;
mod render;
mod render_mp4;
mod story_args;
mod walk;
use std::process::ExitCode;

mod convert_whisper;
mod filter;
mod found;
mod transcribe;

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
    /// Play a story (the default): interactive in a terminal, a video file where there is no display.
    Play(play::Args),
    /// Check story templates; every problem with file:line:column and a hint.
    Lint(lint::Args),
    /// Play a story in the terminal, typing choices (or `--choices 1,3,2`, or from a pipe).
    Walk(walk::Args),
    /// List every path through a story: its choices, ending and duration.
    Paths(paths::Args),
    /// Draw a story's beats, choices and endings as an SVG picture.
    Graph(graph::Args),
    /// Write a new commented story that lints clean, to start from.
    New(new::Args),
    /// Print the story format's JSON schema (stories/story.schema.json is this output).
    Schema,
    /// Render a story to a narrated MP4 with captions (`--out FILE.mp4`), or its default path's
    /// pictures to a silent GIF or PNG frames.
    Render(render::Args),
    /// Convert a CTranslate2 Whisper model into the ggml file whisper.cpp loads.
    ConvertWhisper(convert_whisper::Args),
    /// Transcribe a WAV file or a phrase the narrator speaks with whisper (word times, --bench).
    Transcribe(transcribe::Args),
    /// Speak a story's default path to a WAV file, each line in its speaker's voice.
    Narrate(narrate::Args),
    /// Understand a recording at a story's choice point; prints one JSON object.
    Hear(hear::Args),
    /// Benchmarks that print figures.
    Bench(bench::Args),
    /// Where campfire finds its stories and models (set CAMPFIRE_HOME to put a data tree first).
    Where(locate::Args),
}

fn main() -> ExitCode {
    // Rust ignores SIGPIPE, which turns a closed stdout (`campfire walk | head -1`) into a
    // panic in println!. Printing commands behave like other Unix tools instead: they stop.
    // SAFETY: restoring the default disposition of a signal before any thread starts.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    campfire_cpu::tune(matches!(cli.command, Some(Command::Train(_))));
    let result: anyhow::Result<ExitCode> = match cli.command {
        Some(Command::Lint(a)) => lint::run(a),
        Some(Command::Walk(a)) => walk::run(a),
        Some(Command::Paths(a)) => paths::run(a),
        Some(Command::Graph(a)) => graph::run(a),
        Some(Command::New(a)) => new::run(a),
        Some(Command::Schema) => {
            print!("{}", campfire_story::schema::json());
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Render(a)) => render::run(a),
        Some(Command::Play(a)) => play::run(a),
        None => match Cli::parse_from(["campfire", "play"]).command {
            Some(Command::Play(a)) => play::run(a),
            _ => unreachable!("`campfire play` parses as the play command"),
        },
        Some(Command::Hear(a)) => hear::run(a),
        Some(Command::Bench(a)) => bench::run(a),
        Some(Command::ConvertWhisper(args)) => convert_whisper::run(args),
        Some(Command::Transcribe(args)) => transcribe::run(args),
        Some(Command::Narrate(a)) => narrate::run(a),
        Some(Command::Data(a)) => data::run(a),
        Some(Command::Train(a)) => train::run(a),
        Some(Command::Eval(a)) => eval::run(a),
        Some(Command::Where(a)) => locate::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
