//! The live session with real parts: shipped stories, espeak-ng narration, espeak-ng recordings
//! of a child's answers transcribed by the shipped whisper model, the reference renderer, ffmpeg.
//!
//! - `spoken`: a headless session driven by spoken answers, one unintelligible, to its ending;
//!   the report and the MP4 (probed with ffprobe) are checked.
//! - `clock`: the audio clock moves the story: a half-speed narrator makes events later.
//! - `privacy`: the spoken session opens no network socket (strace) and runs with no network
//!   (unshare -n).

use campfire_session::headless::{self, Answer, HeadlessConfig, Report};
use campfire_session::picture::{Picture, PictureFormat};
use campfire_session::video::{VideoSpec, VideoWriter};
use campfire_session::{SAMPLE_RATE, Session, SessionConfig};
use campfire_story::{Params, Runtime, Story};
use campfire_voice::audio::{WHISPER_SAMPLE_RATE, resample};
use campfire_voice::{Espeak, Transcriber, VoiceSettings};
use std::path::Path;
use std::process::Command;

/// Shared helpers.
mod helper {
    use super::*;

    pub fn runtime(story: &str) -> Runtime {
        let path = campfire_story::find(story).expect("a shipped story");
        Runtime::new(Story::load(&path).expect("it loads").template, Params::new()).expect("it starts")
    }

    pub fn transcriber() -> Transcriber {
        let path = campfire_voice::transcribe::default_model_path();
        Transcriber::load(&path).unwrap_or_else(|e| panic!("the whisper model (run scripts/setup-whisper.sh): {e}"))
    }

    /// A child's answer as another voice than the narrator's says it, at 16 kHz.
    pub fn said(text: &str) -> Answer {
        let child = VoiceSettings { voice: "en-gb".into(), pitch: 70, speed_wpm: 140, variant: Some("f4".into()) };
        let pcm = Espeak::new(child).expect("espeak-ng").synthesize_pcm(text).expect("speech");
        Answer::Spoken { name: text.into(), samples_16k: resample(&pcm.samples, pcm.sample_rate, WHISPER_SAMPLE_RATE) }
    }

    /// Runs a headless session to a video; returns its report.
    pub fn run(story: &str, answers: Vec<Answer>, pace: f32, ears: bool, out: &Path) -> Report {
        let synth = Espeak::new(VoiceSettings::default()).expect("espeak-ng");
        let config = SessionConfig { speed_scale: pace, ..SessionConfig::default() };
        let mut session =
            Session::new(runtime(story), Box::new(synth), ears.then(transcriber), config).expect("session");
        let format = PictureFormat { width: 128, height: 96, fps: 12, seed: 0 };
        let mut picture = Picture::reference(format);
        let mut writer =
            VideoWriter::create(out, VideoSpec { width: 128, height: 96, fps: 12, sample_rate: SAMPLE_RATE })
                .expect("writer");
        let report =
            headless::run(&mut session, &mut picture, answers, &HeadlessConfig::default(), &mut |frame, sound, _| {
                writer.push_frame(&frame.frame).map_err(|e| e.to_string())?;
                writer.push_sound(sound).map_err(|e| e.to_string())
            })
            .expect("the session runs");
        writer.finish().expect("the video is written");
        report
    }

    /// One value of one stream from ffprobe.
    pub fn probe(path: &Path, stream: &str, entry: &str) -> String {
        let out = Command::new("ffprobe")
            .args([
                "-v",
                "error",
                "-select_streams",
                stream,
                "-show_entries",
                &format!("stream={entry}"),
                "-of",
                "csv=p=0",
            ])
            .arg(path)
            .output()
            .expect("ffprobe (Debian's ffmpeg)");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

mod spoken {
    use super::helper::*;
    use super::*;
    use campfire_intent::Outcome;

    /// The answers of the lost kitten's search, one of them nonsense.
    pub fn answers() -> Vec<Answer> {
        vec![
            said("Look up in the apple tree!"),
            said("Wibble wobble flim flam."),
            said("The flower bed."),
            said("Call her name!"),
            said("Give her breakfast."),
        ]
    }

    #[test]
    fn spoken_answers_lead_to_their_ending_in_a_video_with_sound() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("kitten.mp4");
        let report = run("lost-kitten", answers(), 1.0, true, &out);

        let beats: Vec<&str> = report.turns.iter().map(|t| t.beat.as_str()).collect();
        assert_eq!(beats, ["search", "search", "search", "search", "call"], "{:#?}", report.turns);
        let picked: Vec<Option<usize>> = report
            .turns
            .iter()
            .map(|t| match t.outcome {
                Outcome::Choice { index, .. } => Some(index),
                _ => None,
            })
            .collect();
        // tree; nonsense (re-prompted); flowers; call (offered once two clues are found); breakfast.
        assert_eq!(picked, [Some(0), None, Some(0), Some(1), Some(1)], "{:#?}", report.turns);
        assert!(report.turns.iter().all(|t| t.spoken && t.recognise_ms.is_some()));
        let ending = report.ending.as_ref().expect("an ending");
        assert_eq!((ending.name.as_str(), ending.beat.as_str()), ("breakfast", "breakfast"));
        // The re-prompt was said, between the nonsense and the next try.
        let Outcome::Nothing { reprompt } = &report.turns[1].outcome else { unreachable!() };
        let said_again = report.lines.iter().find(|l| &l.text == reprompt).expect("the re-prompt is spoken");
        assert!(said_again.start >= report.turns[1].at && said_again.start < report.turns[2].at);
        assert_eq!(report.answers_left, 0);

        // The video: H.264 and AAC, as long as the report says, the sound as long as the picture.
        assert_eq!(probe(&out, "v:0", "codec_name"), "h264");
        assert_eq!(probe(&out, "a:0", "codec_name"), "aac");
        let video: f64 = probe(&out, "v:0", "duration").parse().unwrap();
        let audio: f64 = probe(&out, "a:0", "duration").parse().unwrap();
        assert!((video - report.duration_secs).abs() < 0.2, "{video} vs {}", report.duration_secs);
        assert!((audio - video).abs() < 0.2, "audio {audio} vs video {video}");
        // Narration fills most of it; the rest is answers, pauses and the last picture.
        let answers_secs: f64 = answers()
            .iter()
            .map(|a| match a {
                Answer::Spoken { samples_16k, .. } => samples_16k.len() as f64 / 16_000.0,
                Answer::Typed(_) => 0.0,
            })
            .sum();
        let rest = video - report.narration_secs - answers_secs;
        assert!(
            rest > 0.0 && rest < 0.25 * video,
            "narration {} + answers {answers_secs} in {video} s",
            report.narration_secs
        );
    }
}

mod clock {
    use super::helper::*;
    use super::*;

    /// When the frames first show the world of a line (from the frames themselves).
    fn shown(report: &Report, text: &str) -> f64 {
        report
            .shown_lines
            .iter()
            .find(|(_, t)| t.contains(text))
            .map(|(at, _)| *at)
            .unwrap_or_else(|| panic!("`{text}` never shown"))
    }

    #[test]
    fn a_half_speed_narrator_makes_events_happen_later_in_the_video() {
        let dir = tempfile::tempdir().unwrap();
        let typed = || vec![Answer::Typed("1".into())];
        let normal = run("demo", typed(), 1.0, false, &dir.path().join("normal.mp4"));
        let slow = run("demo", typed(), 0.5, false, &dir.path().join("slow.mp4"));
        // The narration itself is longer (the synthesiser's pace, measured from the audio).
        assert!(
            slow.narration_secs > 1.5 * normal.narration_secs,
            "{} vs {}",
            slow.narration_secs,
            normal.narration_secs
        );
        // The choice is answered later, and the flight (the world of the flap beat's line)
        // appears later in the video: story time follows the audio, not an estimate.
        assert!(slow.turns[0].at > 1.5 * normal.turns[0].at, "{} vs {}", slow.turns[0].at, normal.turns[0].at);
        let flap = "up, up, up went Pip";
        assert!(shown(&slow, flap) > 1.5 * shown(&normal, flap), "{} vs {}", shown(&slow, flap), shown(&normal, flap));
    }

    /// Each line's world is drawn within a frame of its first sound.
    #[test]
    fn the_picture_follows_the_sound_within_a_frame() {
        let dir = tempfile::tempdir().unwrap();
        let r = run("demo", vec![Answer::Typed("1".into())], 1.0, false, &dir.path().join("demo.mp4"));
        assert!(r.timings.picture_offset_ms_max <= 1000.0 / 12.0 + 1.0, "{:?}", r.timings);
    }
}

mod privacy {
    use super::helper::*;
    use super::*;

    const CHILD: &str = "CAMPFIRE_PRIVACY_CHILD";

    /// The session that the tests below run in a child process (skipped unless asked for).
    #[test]
    fn child_session() {
        if std::env::var_os(CHILD).is_none() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let report = run("demo", vec![said("Jump off the rock!")], 1.0, true, &dir.path().join("p.mp4"));
        assert_eq!(report.ending.map(|e| e.name), Some("happy".into()));
        println!("CHILD-SESSION-OK");
    }

    fn child(wrapper: &[&str]) -> std::process::Output {
        let exe = std::env::current_exe().unwrap();
        Command::new(wrapper[0])
            .args(&wrapper[1..])
            .arg(exe)
            .args(["--exact", "privacy::child_session", "--nocapture", "--test-threads=1"])
            .env(CHILD, "1")
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", wrapper[0]))
    }

    #[test]
    fn a_spoken_session_opens_no_network_socket() {
        let out = child(&["strace", "-f", "-e", "trace=network"]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let trace = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && stdout.contains("CHILD-SESSION-OK"), "{stdout}\n{trace}");
        // Every socket opened is a local one (AF_UNIX: logging, audio); none reaches a network.
        let sockets: Vec<&str> = trace.lines().filter(|l| l.contains("socket(") || l.contains("connect(")).collect();
        for call in &sockets {
            assert!(call.contains("AF_UNIX") || call.contains("AF_LOCAL"), "a non-local socket: {call}");
        }
        assert!(!trace.contains("AF_INET"), "an internet socket was opened");
    }

    #[test]
    fn a_spoken_session_runs_with_no_network_at_all() {
        let out = child(&["unshare", "-n"]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("CHILD-SESSION-OK"),
            "{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Live answers (no waiting for synthesis, as in the window).
mod answer {
    use super::helper::*;
    use super::*;
    use campfire_scene::Action;
    use campfire_session::SessionEvent;
    use campfire_session::track::secs_to_samples;
    use std::time::Duration;

    /// Pulls the sound up to `lead` ahead of `pos`, as a player does.
    fn pump(session: &mut Session, pos: f64, lead: f64) {
        let n = secs_to_samples(pos + lead).saturating_sub(secs_to_samples(session.audio_pulled()));
        session.pull_audio(n as usize);
    }

    /// A key press reaches the picture before the next line's sound is made: what the chosen
    /// beat does before its first word (Pip takes off) happens at the session's `Effect`, which
    /// comes before that line is heard; the line's own words still wait for its sound.
    #[test]
    fn a_choice_moves_the_picture_before_its_line_is_heard() {
        let synth = Espeak::new(VoiceSettings::default()).expect("espeak-ng");
        let mut session = Session::new(runtime("demo"), Box::new(synth), None, SessionConfig::default()).unwrap();
        let mut pos = 0.0;
        while !session.is_asking() {
            session.update(pos, 0.1, Duration::from_secs(30)).unwrap();
            session.world_at(pos);
            pump(&mut session, pos, 0.1);
            pos += 1.0 / 12.0;
            assert!(pos < 120.0, "demo never asked");
        }
        let before = session.world_at(pos).entity("pip").unwrap().action;
        assert_ne!(before, Action::Fly);
        session.answer_text("1").unwrap();
        let (mut effect, mut line) = (None, None);
        let started = std::time::Instant::now();
        while line.is_none() {
            let now = pos + started.elapsed().as_secs_f64();
            for e in session.update(now, 0.12, Duration::ZERO).unwrap() {
                match e {
                    SessionEvent::Effect { at } => effect = effect.or(Some(at)),
                    SessionEvent::LineStarted { at, text, .. } => line = Some((at, text)),
                    _ => {}
                }
            }
            pump(&mut session, now, 0.12);
            assert!(started.elapsed() < Duration::from_secs(20), "the flap line never started");
            std::thread::sleep(Duration::from_millis(2));
        }
        let effect = effect.expect("the answer's effect was announced");
        let (line_at, text) = line.unwrap();
        assert!(text.starts_with("Pip flapped"), "{text}");
        assert!(effect < line_at, "the effect at {effect:.3} s is not before the line at {line_at:.3} s");
        assert_eq!(session.world_at(effect + 1e-6).entity("pip").unwrap().action, Action::Fly);
    }
}
