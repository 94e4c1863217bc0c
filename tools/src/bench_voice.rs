//! `campfire bench voice [--json]`: the three voice figures.
//! - transcription time of a 2-second utterance (target ≤ 800 ms with tiny.en),
//! - time to first audio of a narration line (target ≤ 200 ms),
//! - mean absolute error of our word timings against whisper's word timestamps.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Timed repetitions (the median is reported).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// The whisper model (ggml); default: $CAMPFIRE_WHISPER_MODEL, else the one setup converted.
    #[arg(long)]
    pub model: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (transcriber, _) = crate::found::transcriber(args.model)?;
    let b = campfire_voice::bench::run(&transcriber, args.runs)?;
    if args.json {
        println!("{}", serde_json::to_string(&b)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mark = |ok: bool| if ok { "ok" } else { "OVER TARGET" };
    println!("voice benchmark ({} runs, model {})", b.transcribe_runs, b.model);
    println!(
        "  transcribe 2.0 s answer      {:>8.1} ms   (target ≤ 800 ms: {}; heard {:?})",
        b.transcribe_ms,
        mark(b.transcribe_ms <= 800.0),
        b.transcript
    );
    println!("  same, whole window + times   {:>8.1} ms", b.transcribe_timed_ms);
    println!(
        "  narration first audio        {:>8.1} ms   (target ≤ 200 ms: {}; whole line {:.1} ms)",
        b.first_audio_ms,
        mark(b.first_audio_ms <= 200.0),
        b.full_line_ms
    );
    println!(
        "  word timing error vs whisper {:>8.1} ms   (mean abs, {} word boundaries; per line: {})",
        b.word_timing_error_ms,
        b.words_compared,
        b.per_line_error_ms.iter().map(|e| format!("{e:.0}")).collect::<Vec<_>>().join(", ")
    );
    Ok(ExitCode::SUCCESS)
}
