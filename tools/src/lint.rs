//! `campfire lint PATH…`: checks story templates and reports every problem with its place.

use anyhow::Context;
use campfire_story::{Diagnostic, Severity, lint};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Story files or folders of stories (`.ron`).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Plain `file:line:col: message` lines instead of pretty reports.
    #[arg(long)]
    plain: bool,
}

fn story_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("cannot list {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "ron"))
                .collect();
            found.sort();
            files.extend(found);
        } else if p.exists() {
            files.push(p.clone());
        } else {
            anyhow::bail!("{} does not exist", p.display());
        }
    }
    Ok(files)
}

/// Pretty report with the offending source line, through miette.
fn report(d: &Diagnostic, text: &str) -> String {
    let severity = match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
    };
    let mut diag = miette::MietteDiagnostic::new(format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message))
        .with_severity(severity)
        .with_label(miette::LabeledSpan::at(
            d.offset..d.offset + d.len.max(1).min(text.len().saturating_sub(d.offset).max(1)),
            "here",
        ));
    if let Some(h) = &d.hint {
        diag = diag.with_help(h.clone());
    }
    let report = miette::Report::new(diag).with_source_code(miette::NamedSource::new(&d.file, text.to_string()));
    format!("{report:?}")
}

pub fn lint_file(path: &Path) -> anyhow::Result<(Vec<Diagnostic>, String)> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    // Templates may come from anyone, so every text a child would hear passes the kid-safe filter.
    let diags =
        lint::lint_source_with(&path.display().to_string(), &text, &|t| match campfire_intent::safety::check(t) {
            campfire_intent::safety::Verdict::Safe => None,
            campfire_intent::safety::Verdict::Unsafe { reason, .. } => Some(reason.describe().to_string()),
        });
    Ok((diags, text))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let files = story_files(&args.paths)?;
    if files.is_empty() {
        anyhow::bail!("no .ron story files found in {:?}", args.paths);
    }
    let (mut errors, mut warnings) = (0, 0);
    for file in &files {
        let (diags, text) = lint_file(file)?;
        for d in &diags {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
            if args.plain {
                println!("{d}");
            } else {
                eprintln!("{}", report(d, &text));
            }
        }
    }
    eprintln!("{} file(s) checked: {errors} error(s), {warnings} warning(s)", files.len());
    Ok(if errors > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
