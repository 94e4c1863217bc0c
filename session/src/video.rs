//! Writes a video with its sound track: MP4 (H.264 + AAC) through the system `ffmpeg`, fed raw
//! RGB frames on a pipe and the sound as a WAV; without ffmpeg, an animated GIF plus a WAV
//! beside it. Shared by headless play and `campfire render`.
//!
//! Everything is written under temporary names in the output's directory and renamed at the
//! end, so an interrupted or failed run leaves nothing under the final name (the temporary
//! files are removed on drop). We run the ffmpeg program rather than link libav: it is one
//! `apt-get install` away, and a subprocess keeps its licence and its crashes apart from us.

use crate::gif_writer::{GifWriter, Palette};
use campfire_render::Frame;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use tempfile::NamedTempFile;

#[derive(Debug, thiserror::Error)]
pub enum VideoError {
    #[error("cannot write into {dir}: {source}")]
    Unwritable { dir: PathBuf, source: std::io::Error },
    #[error("ffmpeg failed: {0}")]
    Ffmpeg(String),
    #[error(
        "an MP4 needs ffmpeg, and `{0}` does not run here (install Debian's `ffmpeg`, or set CAMPFIRE_FFMPEG to one)"
    )]
    NoFfmpeg(PathBuf),
    #[error("frame {got_w}x{got_h} does not match the video's {want_w}x{want_h}")]
    FrameSize { got_w: u32, got_h: u32, want_w: u32, want_h: u32 },
    #[error("writing the video: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing the sound: {0}")]
    Wav(#[from] hound::Error),
    #[error("writing the GIF: {0}")]
    Gif(String),
}

/// What was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Written {
    /// The video (the path asked for, or a `.gif` beside it without ffmpeg).
    pub video: PathBuf,
    /// The sound as a separate file (only without ffmpeg).
    pub sound: Option<PathBuf>,
    /// Why the video is not the MP4 asked for, to tell the user.
    pub notice: Option<String>,
}

/// The video's shape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VideoSpec {
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    /// Rate of the mono sound pushed with [`VideoWriter::push_sound`].
    pub sample_rate: u32,
}

/// The encoder process, killed if the writer is dropped unfinished (an error, Ctrl-C unwinding).
struct Encoder(Option<Child>);

impl Drop for Encoder {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

enum Sink {
    Mp4 { child: Encoder, stdin: Option<ChildStdin>, video: NamedTempFile, log: File },
    Gif { encoder: GifWriter<BufWriter<NamedTempFile>> },
}

pub struct VideoWriter {
    out: PathBuf,
    spec: VideoSpec,
    sink: Sink,
    wav: hound::WavWriter<BufWriter<File>>,
    wav_file: NamedTempFile,
    frames: u64,
    ffmpeg: PathBuf,
}

/// Whether `program` (an ffmpeg) runs here.
pub fn have_ffmpeg(program: &Path) -> bool {
    Command::new(program)
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn temp_in(dir: &Path, stem: &str, suffix: &str) -> Result<NamedTempFile, VideoError> {
    tempfile::Builder::new()
        .prefix(&format!(".{stem}."))
        .suffix(suffix)
        .tempfile_in(dir)
        .map_err(|source| VideoError::Unwritable { dir: dir.to_path_buf(), source })
}

fn dir_and_stem(out: &Path) -> (PathBuf, String) {
    let dir = out.parent().filter(|d| !d.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let stem = out.file_stem().map_or_else(|| "video".to_string(), |s| s.to_string_lossy().into_owned());
    (dir, stem)
}

impl VideoWriter {
    /// Starts a video at `out`: MP4 when ffmpeg runs, else GIF + WAV (see [`Written`]).
    pub fn create(out: &Path, spec: VideoSpec) -> Result<VideoWriter, VideoError> {
        Self::create_with(out, spec, &campfire_paths::ffmpeg_program())
    }

    /// Like [`VideoWriter::create`] with an explicit ffmpeg program.
    pub fn create_with(out: &Path, spec: VideoSpec, ffmpeg: &Path) -> Result<VideoWriter, VideoError> {
        Self::open(out, spec, ffmpeg, true)
    }

    /// An MP4 or an error: for callers whose user asked for exactly that file (`campfire
    /// render`), where a GIF beside it would be missed.
    pub fn create_mp4(out: &Path, spec: VideoSpec) -> Result<VideoWriter, VideoError> {
        Self::create_mp4_with(out, spec, &campfire_paths::ffmpeg_program())
    }

    /// Like [`VideoWriter::create_mp4`] with an explicit ffmpeg program.
    pub fn create_mp4_with(out: &Path, spec: VideoSpec, ffmpeg: &Path) -> Result<VideoWriter, VideoError> {
        if !have_ffmpeg(ffmpeg) {
            return Err(VideoError::NoFfmpeg(ffmpeg.to_path_buf()));
        }
        Self::open(out, spec, ffmpeg, false)
    }

    fn open(out: &Path, spec: VideoSpec, ffmpeg: &Path, gif_fallback: bool) -> Result<VideoWriter, VideoError> {
        let ffmpeg = ffmpeg.to_path_buf();
        let (dir, stem) = dir_and_stem(out);
        let wav_spec = hound::WavSpec {
            channels: 1,
            sample_rate: spec.sample_rate.max(1),
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let wav_file = temp_in(&dir, &stem, ".part.wav")?;
        let wav = hound::WavWriter::new(BufWriter::new(wav_file.reopen()?), wav_spec)?;
        let wants_gif = out.extension().is_some_and(|e| e.eq_ignore_ascii_case("gif"));
        let sink = if !gif_fallback || (!wants_gif && have_ffmpeg(&ffmpeg)) {
            let video = temp_in(&dir, &stem, ".part.mp4")?;
            let mut log = tempfile::tempfile()?;
            let child = own_group(&mut Command::new(&ffmpeg))
                .args(["-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24"])
                .args(["-s", &format!("{}x{}", spec.width, spec.height), "-r", &spec.fps.to_string(), "-i", "-"])
                // H.264 in yuv420p wants even sides.
                .args(["-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-c:v", "libx264", "-preset", "veryfast", "-crf", "20"])
                .args(["-pix_fmt", "yuv420p", "-f", "mp4"])
                .arg(video.path())
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(log.try_clone()?)
                .spawn()
                .map_err(|e| VideoError::Ffmpeg(format!("cannot start {}: {e}", ffmpeg.display())))?;
            let mut child = child;
            let stdin = child.stdin.take();
            log.rewind()?;
            Sink::Mp4 { child: Encoder(Some(child)), stdin, video, log }
        } else {
            let file = temp_in(&dir, &stem, ".part.gif")?;
            let encoder = GifWriter::new(BufWriter::new(file), spec.width, spec.height, spec.fps, Palette::PerFrame)
                .map_err(|e| VideoError::Gif(e.to_string()))?;
            Sink::Gif { encoder }
        };
        Ok(VideoWriter { out: out.to_path_buf(), spec, sink, wav, wav_file, frames: 0, ffmpeg })
    }

    /// Whether this writer makes an MP4 (ffmpeg found) or a GIF + WAV.
    pub fn is_mp4(&self) -> bool {
        matches!(self.sink, Sink::Mp4 { .. })
    }

    pub fn frames(&self) -> u64 {
        self.frames
    }

    pub fn push_frame(&mut self, frame: &Frame) -> Result<(), VideoError> {
        if frame.width != self.spec.width || frame.height != self.spec.height {
            return Err(VideoError::FrameSize {
                got_w: frame.width,
                got_h: frame.height,
                want_w: self.spec.width,
                want_h: self.spec.height,
            });
        }
        match &mut self.sink {
            Sink::Mp4 { stdin, child, log, .. } => {
                let Some(pipe) = stdin.as_mut() else { return Err(VideoError::Ffmpeg("its input is closed".into())) };
                if let Err(e) = pipe.write_all(&frame.rgb) {
                    drop(child.0.take().map(|mut c| (c.kill(), c.wait())));
                    return Err(VideoError::Ffmpeg(format!("it stopped taking frames ({e}): {}", read_log(log))));
                }
            }
            Sink::Gif { encoder } => encoder.push(frame).map_err(|e| VideoError::Gif(e.to_string()))?,
        }
        self.frames += 1;
        Ok(())
    }

    /// Mono sound at the spec's rate, in -1..1.
    pub fn push_sound(&mut self, samples: &[f32]) -> Result<(), VideoError> {
        for s in samples {
            self.wav.write_sample((s.clamp(-1.0, 1.0) * i16::MAX as f32) as i16)?;
        }
        Ok(())
    }

    /// Finishes and renames into place.
    pub fn finish(self) -> Result<Written, VideoError> {
        let VideoWriter { out, sink, wav, wav_file, ffmpeg, .. } = self;
        // Writes the header's lengths and flushes.
        wav.finalize()?;
        let (dir, stem) = dir_and_stem(&out);
        match sink {
            Sink::Mp4 { mut child, stdin, video, mut log } => {
                drop(stdin);
                let Some(mut process) = child.0.take() else {
                    return Err(VideoError::Ffmpeg("it already stopped".into()));
                };
                let status = process.wait()?;
                if !status.success() {
                    return Err(VideoError::Ffmpeg(format!("encoding exited with {status}: {}", read_log(&mut log))));
                }
                let muxed = temp_in(&dir, &stem, ".part.mp4")?;
                let out_mux = own_group(&mut Command::new(&ffmpeg))
                    .args(["-hide_banner", "-loglevel", "error", "-y", "-i"])
                    .arg(video.path())
                    .arg("-i")
                    .arg(wav_file.path())
                    .args([
                        "-map",
                        "0:v:0",
                        "-map",
                        "1:a:0",
                        "-c:v",
                        "copy",
                        "-c:a",
                        "aac",
                        "-b:a",
                        "96k",
                        "-movflags",
                        "+faststart",
                        "-f",
                        "mp4",
                    ])
                    .arg(muxed.path())
                    .stdin(Stdio::null())
                    .output()
                    .map_err(|e| VideoError::Ffmpeg(format!("cannot start {}: {e}", ffmpeg.display())))?;
                if !out_mux.status.success() {
                    return Err(VideoError::Ffmpeg(format!(
                        "muxing exited with {}: {}",
                        out_mux.status,
                        String::from_utf8_lossy(&out_mux.stderr).trim()
                    )));
                }
                publish(muxed, &out)?;
                Ok(Written { video: out, sound: None, notice: None })
            }
            Sink::Gif { encoder } => {
                let file = encoder.finish().map_err(|e| VideoError::Gif(e.to_string()))?;
                let file = file.into_inner().map_err(|e| VideoError::Io(e.into_error()))?;
                let gif_path = out.with_extension("gif");
                let wav_path = out.with_extension("wav");
                publish(file, &gif_path)?;
                publish(wav_file, &wav_path)?;
                let asked_gif = out.extension().is_some_and(|e| e.eq_ignore_ascii_case("gif"));
                let notice = (!asked_gif).then(|| {
                    format!(
                        "ffmpeg was not found, so there is no MP4: the picture is in {} (silent GIF) and the sound in {} (install Debian's `ffmpeg` for an MP4 with sound)",
                        gif_path.display(),
                        wav_path.display()
                    )
                });
                Ok(Written { video: gif_path, sound: Some(wav_path), notice })
            }
        }
    }
}

/// Puts ffmpeg in a process group of its own: Ctrl-C in the terminal then reaches us alone,
/// and we stop the encoder and remove its files, rather than ffmpeg dying under us first.
fn own_group(cmd: &mut Command) -> &mut Command {
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(cmd, 0);
    cmd
}

/// Temporary files are private (0600); the finished video gets the usual permissions.
pub(crate) fn publish(file: NamedTempFile, to: &Path) -> Result<(), VideoError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    file.persist(to).map_err(|e| VideoError::Io(e.error))?;
    Ok(())
}

fn read_log(log: &mut File) -> String {
    let mut s = String::new();
    let _ = log.rewind();
    let _ = log.read_to_string(&mut s);
    let s = s.trim();
    if s.is_empty() { "no message".into() } else { s.lines().rev().take(3).collect::<Vec<_>>().join(" / ") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> VideoSpec {
        VideoSpec { width: 64, height: 48, fps: 12, sample_rate: 22_050 }
    }

    fn probe(path: &Path, what: &str) -> String {
        let out = Command::new("ffprobe")
            .args(["-v", "error", "-show_entries", what, "-of", "default=noprint_wrappers=1:nokey=1"])
            .arg(path)
            .output()
            .expect("ffprobe (Debian's ffmpeg package)");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    #[test]
    fn mp4_has_h264_and_aac_of_the_lengths_pushed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("clip.mp4");
        let mut w = VideoWriter::create(&out, spec()).unwrap();
        assert!(w.is_mp4(), "these tests need ffmpeg installed");
        for i in 0..24u8 {
            w.push_frame(&Frame { width: 64, height: 48, rgb: vec![i * 10; 64 * 48 * 3] }).unwrap();
        }
        let tone: Vec<f32> = (0..22_050 * 3).map(|i| (i as f32 * 0.05).sin() * 0.3).collect();
        w.push_sound(&tone).unwrap();
        // Nothing under the final name until the end.
        assert!(!out.exists());
        let written = w.finish().unwrap();
        assert_eq!(written.video, out);
        let codecs = probe(&out, "stream=codec_name");
        assert_eq!(codecs.lines().collect::<Vec<_>>(), vec!["h264", "aac"]);
        let audio_secs: f64 = Command::new("ffprobe")
            .args(["-v", "error", "-select_streams", "a:0", "-show_entries", "stream=duration", "-of", "csv=p=0"])
            .arg(&out)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().parse().unwrap())
            .unwrap();
        assert!((audio_secs - 3.0).abs() < 0.1, "{audio_secs}");
        // Only the finished file is left in the directory.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn without_ffmpeg_a_gif_and_a_wav_with_a_notice() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("clip.mp4");
        let mut w = VideoWriter::create_with(&out, spec(), Path::new("/nonexistent/ffmpeg")).unwrap();
        assert!(!w.is_mp4());
        w.push_frame(&Frame::black(64, 48)).unwrap();
        w.push_sound(&[0.0; 100]).unwrap();
        let written = w.finish().unwrap();
        assert!(!out.exists(), "never a GIF under an .mp4 name");
        assert_eq!(written.video, dir.path().join("clip.gif"));
        assert!(written.notice.unwrap().contains("ffmpeg was not found"));
        assert!(written.sound.unwrap().is_file());
    }

    #[test]
    fn an_mp4_only_writer_refuses_without_ffmpeg_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("clip.mp4");
        let e = VideoWriter::create_mp4_with(&out, spec(), Path::new("/nonexistent/ffmpeg")).err().unwrap();
        assert!(matches!(e, VideoError::NoFfmpeg(_)), "{e}");
        assert!(e.to_string().contains("needs ffmpeg"), "{e}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn unwritable_place_is_a_clear_error_and_dropping_leaves_nothing() {
        let e = VideoWriter::create(Path::new("/proc/no/such/dir/clip.mp4"), spec()).err().unwrap();
        assert!(e.to_string().contains("cannot write into"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let w = VideoWriter::create(&dir.path().join("clip.mp4"), spec()).unwrap();
        drop(w);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
