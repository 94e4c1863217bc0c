//! `campfire lint PATH…`: checks story templates and reports every problem with its place.

use crate::story_args::kid_safe;
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
    /// Keep watching and lint a file again each time it is saved.
    #[arg(long)]
    watch: bool,
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

/// Lints one file: the story's problems, or why the file could not be read as a story (not
/// UTF-8, not a regular file, too large) as one diagnostic, so a folder lint goes on.
fn lint_file(path: &Path) -> (Vec<Diagnostic>, String) {
    let file = path.display().to_string();
    match campfire_story::read_text(path) {
        // Templates may come from anyone, so every text a child would hear passes the kid-safe
        // filter, with the template's own `allow` list.
        Ok(text) => (lint::lint_source_with(&file, &text, &kid_safe), text),
        Err(e) => {
            let d = Diagnostic {
                severity: Severity::Error,
                file,
                line: 1,
                column: 1,
                offset: 0,
                len: 0,
                message: e.to_string(),
                hint: None,
            };
            (vec![d], String::new())
        }
    }
}

/// Lints every file once; returns the number of errors.
fn lint_all(files: &[PathBuf], plain: bool) -> usize {
    let (mut errors, mut warnings) = (0, 0);
    for file in files {
        let (diags, text) = lint_file(file);
        for d in &diags {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
            if plain || text.is_empty() {
                println!("{d}");
            } else {
                eprintln!("{}", report(d, &text));
            }
        }
    }
    eprintln!("{} file(s) checked: {errors} error(s), {warnings} warning(s)", files.len());
    errors
}

/// When each file was last changed, to notice a save.
fn stamps(paths: &[PathBuf]) -> Vec<(PathBuf, Option<std::time::SystemTime>)> {
    story_files(paths)
        .unwrap_or_default()
        .into_iter()
        .map(|f| {
            let t = std::fs::metadata(&f).and_then(|m| m.modified()).ok();
            (f, t)
        })
        .collect()
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let files = story_files(&args.paths)?;
    if files.is_empty() {
        anyhow::bail!("no .ron story files found in {:?}", args.paths);
    }
    let errors = lint_all(&files, args.plain);
    if !args.watch {
        return Ok(if errors > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS });
    }
    // Polling twice a second rather than a file-notification crate: editors save by rename,
    // write twice or touch folders, and a stamp comparison handles all of that in a few lines
    // on every platform.
    eprintln!("watching {} file(s); Ctrl-C to stop", files.len());
    let mut seen = stamps(&args.paths);
    loop {
        std::thread::sleep(std::time::Duration::from_millis(500));
        let now = stamps(&args.paths);
        if now != seen {
            let changed: Vec<PathBuf> = now.iter().filter(|n| !seen.contains(n)).map(|(f, _)| f.clone()).collect();
            seen = now;
            if !changed.is_empty() {
                eprintln!(
                    "\n-- {} changed --",
                    changed.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", ")
                );
                lint_all(&changed, args.plain);
            }
        }
    }
}
