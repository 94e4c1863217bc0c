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
    seconds_before: f64,
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
        // A resumed run's clock goes on from the kept rows' instead of restarting at 0.
        let seconds_before = match header.ends_with(",seconds") {
            true => kept[1..].last().and_then(|l| l.rsplit(',').next()?.parse().ok()).unwrap_or(0.0),
            false => 0.0,
        };
        std::fs::write(path, kept.join("\n") + "\n")?;
        let file = std::fs::OpenOptions::new().append(true).open(path)?;
        Ok(Self { file, seconds_before })
    }

    /// The `seconds` column of the last row kept (0 without one): where a resumed run's
    /// training time goes on from.
    pub fn seconds_before(&self) -> f64 {
        self.seconds_before
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
    fn a_resumed_run_goes_on_from_the_kept_rows_seconds() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(LOSS_CSV);
        let log = LossLog::open(&path, "step,loss,seconds", 0)?;
        assert_eq!(log.seconds_before(), 0.0);
        std::fs::write(&path, "step,loss,seconds\n1,0.5,2.5\n2,0.4,5.0\n3,0.3,7.5\n")?;
        assert_eq!(LossLog::open(&path, "step,loss,seconds", 2)?.seconds_before(), 5.0);
        std::fs::write(&path, "step,loss\n1,0.5\n")?;
        assert_eq!(LossLog::open(&path, "step,loss", 1)?.seconds_before(), 0.0);
        Ok(())
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
