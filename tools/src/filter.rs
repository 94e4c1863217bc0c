//! `campfire eval filter`: the kid-safe filter scored on a labelled set, by default the shipped
//! held-out set it was never tuned to (`intent/tests/data/heldout.ron`): unsafe sentences caught
//! in each category, harmless ones refused, against issue 36's targets, and the confusion table
//! of labelled category against the reason given. Aggregates only: no sentence is printed.
//! `campfire bench filter`: the time `safety::find` takes per sentence, one thread, over every
//! sentence of the build and held-out sets (mean, median, 99th percentile).

use campfire_intent::safety::eval::{self, Set};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct EvalArgs {
    /// A labelled set in the shape of `intent/tests/data/heldout.ron`; default: the shipped
    /// held-out set.
    #[arg(long)]
    set: Option<PathBuf>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Passes over every sentence; each sentence's time in each pass is one sample.
    #[arg(long, default_value_t = 5)]
    repeats: usize,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

/// A shipped labelled set, found in the data trees (the source tree in a checkout).
fn shipped(relative: &str, what: &str) -> anyhow::Result<PathBuf> {
    Ok(campfire_paths::require(relative, what, None)?)
}

fn load(path: &Path) -> anyhow::Result<Set> {
    Set::load(path).map_err(anyhow::Error::msg)
}

#[derive(serde::Serialize)]
struct EvalReport<'a> {
    set: String,
    score: &'a eval::Score,
    /// The confusion table's columns, in order.
    columns: [&'static str; 10],
    caught_rate: f64,
    refused_rate: f64,
    /// Issue 36's targets that the figures miss (empty when all are met).
    shortfalls: Vec<String>,
}

pub fn eval(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let path = match args.set {
        Some(p) => p,
        None => shipped(eval::HELDOUT, "the kid-safe filter's held-out set")?,
    };
    let set = load(&path)?;
    // The outcomes of single sentences are dropped unread: the held-out set stays unseen.
    let (score, _) = eval::score(&set);
    let shortfalls = score.shortfalls();
    if args.json {
        let report = EvalReport {
            set: path.display().to_string(),
            score: &score,
            columns: eval::COLUMNS,
            caught_rate: score.caught_rate(),
            refused_rate: score.refused_rate(),
            shortfalls,
        };
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("kid-safe filter on {}", path.display());
    print!("{score}");
    if shortfalls.is_empty() {
        println!(
            "targets (issue 36): met (unsafe caught ≥ {:.0} %, harmless refused ≤ {:.0} %, each category ≥ {:.0} %)",
            eval::MIN_CAUGHT * 100.0,
            eval::MAX_REFUSED * 100.0,
            eval::MIN_CAUGHT_PER_CATEGORY * 100.0
        );
    } else {
        println!("targets (issue 36) missed: {}", shortfalls.join("; "));
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(serde::Serialize)]
struct BenchReport {
    sentences: usize,
    repeats: usize,
    mean_us: f64,
    p50_us: f64,
    p99_us: f64,
    max_us: f64,
    /// Issue 36's budget per sentence.
    target_us: f64,
}

pub fn bench(args: BenchArgs) -> anyhow::Result<ExitCode> {
    let mut sentences = Vec::new();
    for (relative, what) in
        [(eval::BUILD, "the kid-safe filter's build set"), (eval::HELDOUT, "the kid-safe filter's held-out set")]
    {
        let set = load(&shipped(relative, what)?)?;
        sentences.extend(set.harmless.into_iter().map(|(text, _)| text));
        sentences.extend(set.unsafe_.into_iter().map(|(text, _, _)| text));
    }
    anyhow::ensure!(!sentences.is_empty(), "the labelled sets have no sentences");
    // The word lists and the lexicon are built on first use: not part of a sentence's time.
    std::hint::black_box(campfire_intent::safety::find("Once upon a time, a bunny hopped."));
    let repeats = args.repeats.max(1);
    let mut micros = Vec::with_capacity(sentences.len() * repeats);
    for _ in 0..repeats {
        for text in &sentences {
            let started = Instant::now();
            std::hint::black_box(campfire_intent::safety::find(std::hint::black_box(text)));
            micros.push(started.elapsed().as_secs_f64() * 1e6);
        }
    }
    micros.sort_by(f64::total_cmp);
    let at = |q: f64| micros[((micros.len() - 1) as f64 * q).round() as usize];
    let report = BenchReport {
        sentences: sentences.len(),
        repeats,
        mean_us: micros.iter().sum::<f64>() / micros.len() as f64,
        p50_us: at(0.5),
        p99_us: at(0.99),
        max_us: at(1.0),
        target_us: 5000.0,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "kid-safe filter (safety::find), one thread, {} sentences x {} passes: mean {:.0} µs, p50 {:.0} µs, p99 {:.0} µs, max {:.0} µs per sentence (budget {:.0} µs)",
            report.sentences,
            report.repeats,
            report.mean_us,
            report.p50_us,
            report.p99_us,
            report.max_us,
            report.target_us
        );
    }
    Ok(ExitCode::SUCCESS)
}
