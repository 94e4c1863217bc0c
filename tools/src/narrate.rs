//! `campfire narrate [STORY] --out FILE.wav`: the narration of a story's default path (the first
//! choice each time) spoken to a WAV file, every line in its speaker's voice. The shipped audio
//! preview is made with it.

use crate::story_args::{StoryArgs, print_line};
use anyhow::Context as _;
use campfire_story::{LineView, Output};
use campfire_voice::audio::resample;
use campfire_voice::{Backend, Synthesize, Voice, VoiceError, VoiceSettings};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub story: StoryArgs,
    /// The WAV file to write (mono, 16-bit).
    #[arg(long)]
    pub out: PathBuf,
    /// Which narrator: `neural` (falls back to espeak-ng when its files are missing) or `espeak`.
    #[arg(long, default_value_t = Backend::Neural)]
    pub voice: Backend,
    /// Sample rate of the file (the voice's own when left out; 16000 keeps previews small).
    #[arg(long)]
    pub rate: Option<u32>,
    /// Silence between lines, in seconds.
    #[arg(long, default_value_t = 0.35)]
    pub pause: f32,
}

/// The lines of a story's default path, in order.
pub fn default_path_lines(story: &StoryArgs) -> anyhow::Result<Vec<LineView>> {
    let mut rt = story.start()?;
    let mut lines = Vec::new();
    loop {
        match rt.next()? {
            Output::Line(line) => lines.push(line),
            Output::Choices(_) => rt.choose(0)?,
            Output::End(_) => return Ok(lines),
        }
    }
}

/// The voice settings a story line asks for (narrator or character).
pub fn line_settings(line: &LineView) -> VoiceSettings {
    // espeak-ng names carry a variant after `+` ("en-us+f3").
    let (voice, variant) = match line.voice.name.split_once('+') {
        Some((v, var)) => (v.to_string(), Some(var.to_string())),
        None => (line.voice.name.clone(), None),
    };
    VoiceSettings { voice, pitch: line.voice.pitch.min(99), speed_wpm: line.voice.speed, variant }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let lines = default_path_lines(&args.story)?;
    let mut voice = Voice::open(args.voice, VoiceSettings::default()).context("opening a voice")?;
    eprintln!("narrating {} lines with the {} voice", lines.len(), voice.backend());
    let mut samples: Vec<f32> = Vec::new();
    let mut rate = args.rate;
    for line in &lines {
        print_line(line);
        if let Err(e) = voice.set_settings(line_settings(line)) {
            // A story's espeak-ng voice name the machine lacks: keep the narrator's voice.
            tracing::warn!("{e}; using the default voice for this line");
            voice.set_settings(VoiceSettings { pitch: line.voice.pitch.min(99), ..VoiceSettings::default() })?;
        }
        let u = match voice.synthesize(&line.text) {
            Ok(u) => u,
            Err(VoiceError::EmptyText) => continue,
            Err(e) => return Err(e).with_context(|| format!("speaking {:?}", line.text)),
        };
        let Some(pcm) = u.audio else { continue };
        let to = *rate.get_or_insert(pcm.sample_rate);
        samples.extend(resample(&pcm.samples, pcm.sample_rate, to));
        samples.extend(std::iter::repeat_n(0.0, (args.pause.max(0.0) * to as f32) as usize));
    }
    let rate = rate.unwrap_or(16_000);
    if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let spec =
        hound::WavSpec { channels: 1, sample_rate: rate, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
    let mut w =
        hound::WavWriter::create(&args.out, spec).with_context(|| format!("creating {}", args.out.display()))?;
    for s in &samples {
        w.write_sample((s.clamp(-1.0, 1.0) * 32767.0).round() as i16)?;
    }
    w.finalize()?;
    println!("wrote {} ({:.1} s at {rate} Hz)", args.out.display(), samples.len() as f32 / rate as f32);
    Ok(ExitCode::SUCCESS)
}
