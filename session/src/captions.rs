//! Captions of the narration: the words of a line as shown (burned into the picture, or in a
//! WebVTT file beside the video), timed by the session's line records.

use crate::session::LineRecord;

/// A caption's words: the speaker's name first when a character says the line.
pub fn caption_text(line: &LineRecord) -> String {
    match &line.speaker {
        Some(who) => format!("{who}: {}", line.text),
        None => line.text.clone(),
    }
}

/// A WebVTT timestamp, `HH:MM:SS.mmm`.
fn vtt_time(secs: f64) -> String {
    let ms = (secs.max(0.0) * 1000.0).round() as u64;
    format!("{:02}:{:02}:{:02}.{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

/// Cue text is HTML-like: `&`, `<` and `>` are escaped, and `-->` cannot appear.
fn vtt_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The narration as WebVTT cues: each line from its first sound for its spoken length, a
/// character's line with the speaker's name in front (as the burned-in captions show it).
pub fn vtt(lines: &[LineRecord]) -> String {
    let mut vtt = String::from("WEBVTT\n");
    for (i, l) in lines.iter().enumerate() {
        vtt.push_str(&format!(
            "\n{}\n{} --> {}\n{}\n",
            i + 1,
            vtt_time(l.start),
            vtt_time(l.start + l.duration),
            vtt_escape(&caption_text(l))
        ));
    }
    vtt
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vtt_cues_have_times_speakers_and_escaped_text() {
        let line = |speaker: Option<&str>, text: &str, start, duration| LineRecord {
            id: 0,
            speaker: speaker.map(str::to_string),
            text: text.into(),
            start,
            duration,
            synth_ms: 0.0,
            beat: "b".into(),
        };
        let vtt =
            vtt(&[line(None, "Once upon a time.", 0.5, 2.25), line(Some("Pip"), "Salt & pepper <3", 3661.0, 1.0)]);
        assert_eq!(
            vtt,
            "WEBVTT\n\n1\n00:00:00.500 --> 00:00:02.750\nOnce upon a time.\n\n2\n01:01:01.000 --> 01:01:02.000\nPip: Salt &amp; pepper &lt;3\n"
        );
    }
}
