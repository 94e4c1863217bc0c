//! Shared helpers for the voice integration tests: the phrase data file and the shipped
//! stories' choices it names, seeded noise, the whisper model's place.

#![allow(dead_code)]

use campfire_intent::{ChoiceOption, Command, Outcome};
use campfire_scene::{Action, Appearance, Event, Kind, Position, SceneState, Stage, TimeOfDay, Weather};
use campfire_story::Story;
use campfire_story::template::Flow;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The whisper model the tests use: `models/whisper/ggml-tiny.en.bin` at the repository root.
pub fn model_path() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = root.join("models/whisper/ggml-tiny.en.bin");
    assert!(
        path.is_file(),
        "whisper model missing: {} — run scripts/setup-whisper.sh to make it (this test does not skip)",
        path.display()
    );
    path
}

#[derive(Deserialize)]
pub struct OnStage {
    pub id: String,
    pub name: String,
    pub kind: Kind,
}

#[derive(Clone, Copy, Debug, Deserialize)]
pub enum NoiseKind {
    White,
    Pink,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Noise {
    pub kind: NoiseKind,
    pub snr_db: f32,
}

#[derive(Debug, Deserialize)]
pub struct Render {
    pub voice: String,
    pub variant: Option<String>,
    pub speed: u16,
    pub noise: Option<Noise>,
}

#[derive(Debug, Deserialize)]
pub enum Expect {
    Choice(usize),
    Command(Command),
    Act(String, Action),
    Weather(Weather),
    Time(TimeOfDay),
    Nothing,
}

impl Expect {
    pub fn matches(&self, o: &Outcome) -> bool {
        match (self, o) {
            (Expect::Choice(i), Outcome::Choice { index, .. }) => i == index,
            (Expect::Command(c), Outcome::Command { command }) => c == command,
            (Expect::Act(id, a), Outcome::Scene { event: Event::Act { id: got, action } }) => id == got && a == action,
            (Expect::Weather(w), Outcome::Scene { event: Event::SetWeather(got) }) => w == got,
            (Expect::Time(t), Outcome::Scene { event: Event::SetTime(got) }) => t == got,
            (Expect::Nothing, Outcome::Nothing { .. }) => true,
            _ => false,
        }
    }
}

#[derive(Deserialize)]
pub struct Case {
    pub say: String,
    pub choices: String,
    pub expect: Expect,
}

/// The choices on offer for a case: those of a beat of a shipped story, read from `stories/`
/// so that the test follows the stories as they change.
#[derive(Deserialize)]
pub struct FromStory {
    pub story: String,
    pub beat: String,
}

impl FromStory {
    fn load(&self) -> Vec<ChoiceOption> {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../stories").join(format!("{}.ron", self.story));
        let story = Story::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let beat = story
            .template
            .beats
            .get(&self.beat)
            .unwrap_or_else(|| panic!("{}: no beat `{}`", path.display(), self.beat));
        let Flow::Choose(choices) = &beat.then else {
            panic!("{}: beat `{}` offers no choices", path.display(), self.beat)
        };
        choices.iter().map(|c| ChoiceOption { text: c.text.clone(), phrases: c.say.clone() }).collect()
    }
}

#[derive(Deserialize)]
pub struct Phrases {
    pub scene: Vec<OnStage>,
    pub choice_sets: BTreeMap<String, FromStory>,
    pub renders: Vec<Render>,
    /// The tuning set: the intent layer was tuned while looking at these.
    pub cases: Vec<Case>,
    /// Written afterwards without looking at results; never tuned on.
    pub held_out: Vec<Case>,
}

impl Phrases {
    pub fn load() -> Phrases {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/phrases.ron");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        ron::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    pub fn choices(&self, set: &str) -> Vec<ChoiceOption> {
        self.choice_sets.get(set).unwrap_or_else(|| panic!("no choice set `{set}` in phrases.ron")).load()
    }

    pub fn scene_state(&self) -> SceneState {
        let mut s = SceneState::new(Stage::default());
        for e in &self.scene {
            s.apply(&Event::Add {
                id: e.id.clone(),
                name: e.name.clone(),
                kind: e.kind,
                appearance: Appearance::default(),
            })
            .expect("fresh ids");
            s.apply(&Event::Enter { id: e.id.clone(), at: Position::new(0.0, 0.0, 0.1) }).expect("added above");
        }
        s
    }
}

pub fn rms(x: &[f32]) -> f32 {
    (x.iter().map(|v| v * v).sum::<f32>() / x.len().max(1) as f32).sqrt()
}

/// Adds seeded white or pink noise at `snr_db` below the speech's RMS (measured over the
/// voiced part, so leading silence does not make the noise quieter).
pub fn add_noise(audio: &mut [f32], noise: &Noise, seed: u64) {
    let voiced: Vec<f32> = audio.iter().copied().filter(|s| s.abs() > 1e-3).collect();
    let signal = rms(&voiced).max(1e-4);
    let raw = noise_samples(noise.kind, audio.len(), seed);
    let gain = signal / 10f32.powf(noise.snr_db / 20.0) / rms(&raw).max(1e-9);
    for (a, n) in audio.iter_mut().zip(raw) {
        *a = (*a + n * gain).clamp(-1.0, 1.0);
    }
}

/// `secs` of a quiet room at 16 kHz: seeded pink noise (a fan, distant traffic) at `dbfs` RMS
/// with a slow hum at 50 Hz mixed in 10 dB below it.
pub fn room_tone(secs: f32, dbfs: f32, seed: u64) -> Vec<f32> {
    let n = (secs * 16_000.0) as usize;
    let mut tone = noise_samples(NoiseKind::Pink, n, seed);
    let target = 10f32.powf(dbfs / 20.0);
    let gain = target / rms(&tone).max(1e-9);
    let hum = target * 10f32.powf(-10.0 / 20.0) * std::f32::consts::SQRT_2;
    for (i, s) in tone.iter_mut().enumerate() {
        *s = *s * gain + hum * (2.0 * std::f32::consts::PI * 50.0 * i as f32 / 16_000.0).sin();
    }
    tone
}

/// `len` samples of seeded white or pink noise.
fn noise_samples(kind: NoiseKind, len: usize, seed: u64) -> Vec<f32> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let white: Vec<f32> = (0..len).map(|_| rng.f32() * 2.0 - 1.0).collect();
    match kind {
        NoiseKind::White => white,
        NoiseKind::Pink => {
            // Paul Kellet's economy pink filter.
            let (mut b0, mut b1, mut b2) = (0.0f32, 0.0f32, 0.0f32);
            white
                .into_iter()
                .map(|w| {
                    b0 = 0.99765 * b0 + w * 0.0990460;
                    b1 = 0.96300 * b1 + w * 0.2965164;
                    b2 = 0.57000 * b2 + w * 1.0526913;
                    b0 + b1 + b2 + w * 0.1848
                })
                .collect()
        }
    }
}

/// Short text for an outcome in test reports.
pub fn describe(o: &Outcome) -> String {
    match o {
        Outcome::Choice { index, .. } => format!("choice {index}"),
        Outcome::Command { command } => format!("command {}", command.name()),
        Outcome::Scene { event } => format!("event {event:?}"),
        Outcome::Nothing { .. } => "nothing".into(),
    }
}
