//! A story told on a simulated clock into one video file, the narration (each character in its
//! own voice) as its sound: the one path behind `campfire play --headless` and
//! `campfire render --out FILE.mp4`, so the two cannot drift apart.
//!
//! Everything is written under temporary names and renamed at the end ([`VideoWriter`]); an
//! interruption, a failing ffmpeg or a full disk stop the run and leave nothing under the final
//! name.

use crate::captions::caption_text;
use crate::headless::{self, Answer, HeadlessConfig, HeadlessError, Report};
use crate::picture::{Picture, PictureFormat};
use crate::session::Session;
use crate::track::SAMPLE_RATE;
use crate::video::{VideoError, VideoSpec, VideoWriter, Written, publish};
use campfire_generator::{Choice, Weights};
use campfire_scene::TICKS_PER_SECOND;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// What to record and how.
pub struct Recording {
    pub out: PathBuf,
    /// Frame size, WIDTH x HEIGHT.
    pub size: (u32, u32),
    pub fps: u32,
    /// Seed of the picture's self-moving details: the same seed, the same video.
    pub seed: u64,
    /// What draws the picture, by `campfire_generator::open`'s one fallback rule.
    pub generator: Choice,
    /// The autoencoder and DiT of the neural generators (default: the shipped ones).
    pub weights: Weights,
    /// Answers at the choice points (none: the first choice each time).
    pub answers: Vec<Answer>,
    /// An MP4 or an error, never the GIF + WAV fallback (the user named an `.mp4`).
    pub mp4_only: bool,
    /// Draw the line being heard on each frame (the same timing as the captions file).
    pub burn_captions: bool,
    /// Longest video made; a story that runs on is cut here with a notice.
    pub max_secs: f64,
}

/// What a recording made.
pub struct Recorded {
    pub title: String,
    pub report: Report,
    pub written: Written,
}

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("cannot create {}", dir.display())]
    CreateDir { dir: PathBuf, source: std::io::Error },
    #[error("cannot write the video {}", path.display())]
    Open { path: PathBuf, source: VideoError },
    /// The session, the picture or the writer stopped the run; nothing was written.
    #[error("the recording stopped: {0}")]
    Stopped(HeadlessError),
    #[error("cannot finish the video {}: {message}", path.display())]
    Finish { path: PathBuf, message: String },
    #[error("cannot write into {}", dir.display())]
    WriteInto { dir: PathBuf, source: std::io::Error },
    #[error("cannot write {}: {message}", path.display())]
    Write { path: PathBuf, message: String },
}

/// Records `session` as `rec` says. Setting `interrupted` (a Ctrl-C handler does) stops the run
/// and removes its unfinished files. `on_frame` hears the video's length so far after each
/// frame (a progress bar).
pub fn record(
    session: &mut Session,
    rec: Recording,
    interrupted: &AtomicBool,
    on_frame: &mut dyn FnMut(f64),
) -> Result<Recorded, RecordError> {
    let out = &rec.out;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| RecordError::CreateDir { dir: dir.to_path_buf(), source })?;
    }
    let title = session.runtime().template().title.clone();
    let format = PictureFormat { width: rec.size.0, height: rec.size.1, fps: rec.fps, seed: rec.seed };
    if !TICKS_PER_SECOND.is_multiple_of(u64::from(rec.fps.max(1))) {
        tracing::warn!(
            fps = rec.fps,
            "frames fall between story ticks at this rate; each is drawn at the nearest tick"
        );
    }
    let mut picture = Picture::new(campfire_generator::open::open(rec.generator, &rec.weights), format);
    let spec = VideoSpec { width: format.width, height: format.height, fps: format.fps, sample_rate: SAMPLE_RATE };
    let mut writer = if rec.mp4_only { VideoWriter::create_mp4(out, spec) } else { VideoWriter::create(out, spec) }
        .map_err(|source| RecordError::Open { path: out.clone(), source })?;
    let config = HeadlessConfig { max_secs: rec.max_secs, ..HeadlessConfig::default() };
    let fps = f64::from(format.fps.max(1));
    let report = headless::run(session, &mut picture, rec.answers, &config, &mut |shown, sound, heard| {
        if interrupted.load(Ordering::SeqCst) {
            return Err("interrupted (Ctrl-C); nothing was written".into());
        }
        match heard.filter(|_| rec.burn_captions) {
            Some(line) => {
                let mut frame = shown.frame.clone();
                campfire_render::text::burn_subtitle(&mut frame, &caption_text(line));
                writer.push_frame(&frame)
            }
            None => writer.push_frame(&shown.frame),
        }
        .and_then(|()| writer.push_sound(sound))
        .map_err(|e| disk_full_hint(e.to_string()))?;
        on_frame(writer.frames() as f64 / fps);
        Ok(())
    });
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            // Dropping the writer stops ffmpeg and removes the temporary files.
            drop(writer);
            return Err(RecordError::Stopped(e));
        }
    };
    let written = writer
        .finish()
        .map_err(|e| RecordError::Finish { path: out.clone(), message: disk_full_hint(e.to_string()) })?;
    Ok(Recorded { title, report, written })
}

/// ffmpeg and the WAV writer report a full disk in their own words; say it plainly too.
fn disk_full_hint(message: String) -> String {
    if message.contains("No space left") || message.contains("os error 28") {
        format!("the disk is full ({message}); nothing was written")
    } else {
        message
    }
}

/// Writes `bytes` to `path` whole or not at all (the captions beside a video, a run's report):
/// a temporary file beside it, renamed at the end.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), RecordError> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let failed = |message: String| RecordError::Write { path: path.to_path_buf(), message };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|source| RecordError::WriteInto { dir: dir.to_path_buf(), source })?;
    tmp.write_all(bytes).and_then(|()| tmp.as_file().sync_all()).map_err(|e| failed(disk_full_hint(e.to_string())))?;
    publish(tmp, path).map_err(|e| match e {
        VideoError::Io(e) => failed(e.to_string()),
        other => failed(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_file_or_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        write_whole(&path, b"{}").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"{}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file is left");
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o644);
        let e = write_whole(&dir.path().join("no/such/dir/report.json"), b"{}").unwrap_err();
        assert!(e.to_string().starts_with("cannot write into"), "{e}");
    }

    #[test]
    fn a_full_disk_is_said_plainly() {
        let hinted = disk_full_hint("writing the video: No space left on device (os error 28)".into());
        assert!(hinted.starts_with("the disk is full") && hinted.ends_with("nothing was written"), "{hinted}");
        assert_eq!(disk_full_hint("ffmpeg failed".into()), "ffmpeg failed");
    }
}
