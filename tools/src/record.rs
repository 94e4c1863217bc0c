//! A story told on a simulated clock into one video file, the narration (each character in its
//! own voice) as its sound: the one path behind `campfire play --headless` and
//! `campfire render --out FILE.mp4`, so the two cannot drift apart.
//!
//! Everything is written under temporary names and renamed at the end (the session crate's
//! [`VideoWriter`]); Ctrl-C, a failing ffmpeg or a full disk stop the run and leave nothing
//! under the final name.

use crate::story_args::StoryArgs;
use anyhow::{Context, bail};
use campfire_generator::{Choice, Weights};
use campfire_session::headless::{self, Answer, HeadlessConfig, Report};
use campfire_session::picture::{Picture, PictureFormat};
use campfire_session::video::{VideoSpec, VideoWriter, Written};
use campfire_session::{LineRecord, SAMPLE_RATE, Session, SessionConfig};
use campfire_voice::{Backend, Voice, VoiceSettings};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by Ctrl-C: a recording stops and removes its unfinished files.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_interrupt(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// What to record and how.
pub(crate) struct Recording {
    pub out: PathBuf,
    /// Frame size, WIDTH x HEIGHT.
    pub size: (u32, u32),
    pub fps: u32,
    /// Seed of the picture's self-moving details: the same seed, the same video.
    pub seed: u64,
    pub generator: Choice,
    /// The autoencoder of `Choice::Latent` and `Dit` (default: the shipped one).
    pub ae: Option<PathBuf>,
    /// The DiT of `Choice::Dit` (default: the shipped one).
    pub dit: Option<PathBuf>,
    pub voice: Backend,
    /// The narrator's pace relative to the story's.
    pub pace: f32,
    /// Answers at the choice points (none: the first choice each time).
    pub answers: Vec<Answer>,
    /// The whisper model for spoken answers, when there are any (`Some(None)`: the default one).
    pub ears: Option<Option<PathBuf>>,
    /// An MP4 or an error, never the GIF + WAV fallback (the user named an `.mp4`).
    pub mp4_only: bool,
    /// Draw the line being heard on each frame (the same timing as the captions file).
    pub burn_captions: bool,
    /// Longest video made; a story that runs on is cut here with a notice.
    pub max_secs: f64,
}

/// What a recording made.
pub(crate) struct Recorded {
    pub title: String,
    pub report: Report,
    pub written: Written,
}

/// A session of `story` spoken by `voice`, listening with whisper when `ears` is given.
pub(crate) fn open_session(
    story: &StoryArgs,
    voice: Backend,
    pace: f32,
    ears: Option<Option<PathBuf>>,
) -> anyhow::Result<Session> {
    let rt = story.start()?;
    let synth = Voice::open(voice, VoiceSettings::default()).context("the narrator's voice")?;
    tracing::info!(backend = %synth.backend(), "narrator");
    let transcriber = match ears {
        Some(model) => Some(crate::found::transcriber(model)?.0),
        None => None,
    };
    let config = SessionConfig { speed_scale: pace, ..SessionConfig::default() };
    Ok(Session::new(rt, Box::new(synth), transcriber, config)?)
}

/// A caption's words: the speaker's name first when a character says the line.
pub(crate) fn caption_text(line: &LineRecord) -> String {
    match &line.speaker {
        Some(who) => format!("{who}: {}", line.text),
        None => line.text.clone(),
    }
}

/// Records `story` as `rec` says; `on_frame` hears the video's length so far after each frame
/// (a progress bar).
pub(crate) fn record(story: &StoryArgs, rec: Recording, on_frame: &mut dyn FnMut(f64)) -> anyhow::Result<Recorded> {
    let out = &rec.out;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut session = open_session(story, rec.voice, rec.pace, rec.ears.clone())?;
    let title = session.runtime().template().title.clone();
    let format = PictureFormat { width: rec.size.0, height: rec.size.1, fps: rec.fps, seed: rec.seed };
    if 24 % rec.fps.max(1) != 0 {
        tracing::warn!(
            fps = rec.fps,
            "frames fall between story ticks at this rate; each is drawn at the nearest tick"
        );
    }
    let weights = Weights { ae: rec.ae.clone(), dit: rec.dit.clone() };
    let mut picture = Picture::new(campfire_generator::open::open(rec.generator, &weights), format);
    // Before the first temporary file exists, so that Ctrl-C always finds it to remove.
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe { libc::signal(libc::SIGINT, on_interrupt as *const () as libc::sighandler_t) };
    let _pipe = PipeErrors::new();
    let spec = VideoSpec { width: format.width, height: format.height, fps: format.fps, sample_rate: SAMPLE_RATE };
    let mut writer = if rec.mp4_only { VideoWriter::create_mp4(out, spec) } else { VideoWriter::create(out, spec) }
        .with_context(|| format!("cannot write the video {}", out.display()))?;
    let config = HeadlessConfig { max_secs: rec.max_secs, ..HeadlessConfig::default() };
    let fps = f64::from(format.fps.max(1));
    let report = headless::run(&mut session, &mut picture, rec.answers, &config, &mut |shown, sound, heard| {
        if INTERRUPTED.load(Ordering::SeqCst) {
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
            bail!("the recording stopped: {e}");
        }
    };
    let written = writer
        .finish()
        .map_err(|e| anyhow::anyhow!(disk_full_hint(e.to_string())))
        .with_context(|| format!("cannot finish the video {}", out.display()))?;
    Ok(Recorded { title, report, written })
}

/// While it lives, a write to a closed pipe is an error rather than the end of the process:
/// `main` lets SIGPIPE stop the program (for `campfire walk | head`), but an encoder that dies
/// mid-way must be reported, and its temporary files removed.
struct PipeErrors(libc::sighandler_t);

impl PipeErrors {
    fn new() -> Self {
        // SAFETY: changing a signal's disposition; no handler code runs.
        Self(unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) })
    }
}

impl Drop for PipeErrors {
    fn drop(&mut self) {
        // SAFETY: as above, putting back what was there.
        unsafe { libc::signal(libc::SIGPIPE, self.0) };
    }
}

/// ffmpeg and the WAV writer report a full disk in their own words; say it plainly too.
fn disk_full_hint(message: String) -> String {
    if message.contains("No space left") || message.contains("os error 28") {
        format!("the disk is full ({message}); nothing was written")
    } else {
        message
    }
}

/// Writes `bytes` to `path` whole or not at all: a temporary file beside it, renamed at the end.
pub(crate) fn write_whole(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).with_context(|| format!("cannot write into {}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| anyhow::anyhow!(disk_full_hint(e.to_string())))
        .with_context(|| format!("cannot write {}", path.display()))?;
    // Temporary files are private (0600); what we hand over gets the usual permissions.
    tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
    tmp.persist(path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
