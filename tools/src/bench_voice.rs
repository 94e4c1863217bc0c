//! `campfire bench voice [--json]`: the voice figures.
//! - transcription time of a 2-second utterance (target ≤ 800 ms with tiny.en),
//! - for the neural narrator and espeak-ng: first audio of a line through the streaming
//!   narration queue (target ≤ 150 ms), real-time factor over every story line (target ≥ 20×),
//!   memory added (target ≤ 200 MB), word-timing error against the DTW ruler (target ≤ 80 ms;
//!   against whisper's timestamps too) and whisper's word error rate on the narration of every
//!   shipped story (target ≤ 3 %),
//! - each timing ruler's own error on words whose times are known, to judge the rulers by.

mod measure;

use crate::narrate::default_path_lines;
use crate::story_args::StoryArgs;
use measure::{NarratorBench, StoryText};
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
    /// Only these stories for the speed and word-error figures (by name; default: every one).
    #[arg(long = "story", value_name = "NAME")]
    pub stories: Vec<String>,
}

/// The default path's spoken lines of every story in the first stories folder.
fn shipped_stories() -> anyhow::Result<Vec<StoryText>> {
    let dir =
        campfire_story::search_dirs().into_iter().next().ok_or_else(|| anyhow::anyhow!("no stories folder found"))?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let args = StoryArgs { story: path.display().to_string(), params: Vec::new(), params_file: None };
            let lines = default_path_lines(&args)?.into_iter().map(|l| l.text).collect();
            let name = path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
            Ok(StoryText { name, lines })
        })
        .collect()
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (transcriber, _) = crate::found::transcriber(args.model)?;
    let mut stories = shipped_stories()?;
    if !args.stories.is_empty() {
        stories.retain(|s| args.stories.contains(&s.name));
        anyhow::ensure!(!stories.is_empty(), "none of the stories {:?} is shipped", args.stories);
    }
    let b = measure::run(&transcriber, args.runs, &stories)?;
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
    println!("  timing rulers, off the truth on words at known times (spoken one at a time, joined):");
    for (what, audio, c) in [
        ("whisper tokens", "espeak-ng, 0.15 s gaps", Some(&b.whisper_check)),
        ("whisper aligned", "espeak-ng, 0.15 s gaps", Some(&b.aligned_check)),
        ("whisper tokens", "espeak-ng, pauses at commas", Some(&b.clause_check)),
        ("DTW", "neural voice, 0.05/0.6 s gaps", b.dtw_check.as_ref()),
    ] {
        match c {
            Some(c) => println!(
                "    {what:<16} {:>8.1} ms   ({audio}; {} boundaries; starts {:+.0} ms, ends {:+.0} ms on average)",
                c.error_ms, c.words_compared, c.start_bias_ms, c.end_bias_ms
            ),
            None => println!("    {what:<16}      n/a   (no neural voice)"),
        }
    }
    for n in &b.narrators {
        print_narrator(n, &mark);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_narrator(n: &NarratorBench, mark: &dyn Fn(bool) -> &'static str) {
    println!("narrator: {}", n.voice);
    if let Some(why) = &n.unavailable {
        println!("  not measured: {why}");
        return;
    }
    println!("  open                         {:>8.1} ms", n.load_ms);
    println!(
        "  first audio (queue)          {:>8.1} ms   (target ≤ 150 ms: {}; whole line {:.1} ms)",
        n.first_audio_ms,
        mark(n.first_audio_ms <= 150.0),
        n.full_line_ms
    );
    println!(
        "  real-time factor             {:>8.1} ×    (target ≥ 20×: {}; {:.0} s of story narration)",
        n.real_time_factor,
        mark(n.real_time_factor >= 20.0),
        n.audio_seconds
    );
    match n.rss_added_mb {
        Some(mb) => println!("  memory added                 {mb:>8.1} MB   (target ≤ 200 MB: {})", mark(mb <= 200.0)),
        None => println!("  memory added                      n/a"),
    }
    println!(
        "  word timing error (DTW)      {:>8.1} ms   (target ≤ 80 ms: {}; starts {:+.0} ms, ends {:+.0} ms on average)",
        n.dtw_timing_error_ms,
        mark(n.dtw_timing_error_ms <= 80.0),
        n.dtw_start_bias_ms,
        n.dtw_end_bias_ms
    );
    println!(
        "    vs whisper tokens          {:>8.1} ms   ({} word boundaries; per line: {}; starts {:+.0} ms, ends {:+.0} ms)",
        n.word_timing_error_ms,
        n.words_compared,
        n.per_line_error_ms.iter().map(|e| format!("{e:.0}")).collect::<Vec<_>>().join(", "),
        n.start_bias_ms,
        n.end_bias_ms
    );
    println!("    vs whisper aligned         {:>8.1} ms", n.aligned_timing_error_ms);
    println!("  whisper WER, all stories     {:>8.1} %    (target ≤ 3 %: {})", n.wer * 100.0, mark(n.wer <= 0.03));
    for s in &n.stories {
        println!(
            "    {:<16} {:>5.1} %  ({} errors / {} words, {} lines)",
            s.story,
            s.wer * 100.0,
            s.errors,
            s.words,
            s.lines
        );
        if let Some((said, heard)) = s.worst.as_ref().filter(|_| s.errors > 0) {
            println!("      worst: said {said:?}\n             heard {heard:?}");
        }
    }
}
