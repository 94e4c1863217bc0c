//! A training run's loss curve as CSV, one row per step, that survives interruption: a run
//! that resumes from its checkpoint first drops the rows written after it (the interrupted run
//! made them, and the resumed run makes them again), so the file has each step once.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

/// The file every trainer writes its loss curve to, in its output directory.
pub const LOSS_CSV: &str = "loss.csv";

pub struct LossLog {
    file: File,
}

impl LossLog {
    /// Opens `path` for a run that starts at step `start`: rows of steps up to `start` are kept
    /// (0 keeps none), later ones dropped. A file with another header is started afresh.
    pub fn open(path: &Path, header: &str, start: usize) -> io::Result<Self> {
        let mut kept = vec![header.to_string()];
        if let Ok(text) = std::fs::read_to_string(path) {
            let mut lines = text.lines();
            if lines.next() == Some(header) {
                let step = |l: &str| l.split(',').next().and_then(|s| s.parse::<usize>().ok());
                kept.extend(lines.filter(|l| step(l).is_some_and(|s| s <= start)).map(str::to_string));
            }
        }
        std::fs::write(path, kept.join("\n") + "\n")?;
        let file = std::fs::OpenOptions::new().append(true).open(path)?;
        Ok(Self { file })
    }

    /// Appends one row; its first field is the step.
    pub fn row(&mut self, fields: std::fmt::Arguments) -> io::Result<()> {
        writeln!(self.file, "{fields}")
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(path: &Path) -> Vec<String> {
        std::fs::read_to_string(path).expect("csv").lines().map(str::to_string).collect()
    }

    #[test]
    fn a_resumed_run_keeps_each_step_once_and_a_new_run_starts_afresh() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(LOSS_CSV);
        let mut log = LossLog::open(&path, "step,loss", 0)?;
        for s in 1..=5 {
            log.row(format_args!("{s},0.{s}"))?;
        }
        log.flush()?;
        drop(log);
        // Checkpointed at step 3, interrupted after 5: steps 4 and 5 are written again.
        let mut log = LossLog::open(&path, "step,loss", 3)?;
        assert_eq!(rows(&path), ["step,loss", "1,0.1", "2,0.2", "3,0.3"]);
        log.row(format_args!("4,0.44"))?;
        log.flush()?;
        assert_eq!(rows(&path).last().map(String::as_str), Some("4,0.44"));
        // Another run in the same directory, or another trainer's columns: a fresh curve.
        LossLog::open(&path, "step,loss", 0)?;
        assert_eq!(rows(&path), ["step,loss"]);
        std::fs::write(&path, "step,other\n1,2\n")?;
        LossLog::open(&path, "step,loss", 7)?;
        assert_eq!(rows(&path), ["step,loss"]);
        Ok(())
    }
}
