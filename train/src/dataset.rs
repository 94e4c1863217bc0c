//! Training data for the video models: random but plausible scenes played through real
//! [`Event`]s and drawn by the reference renderer.
//!
//! A clip is fully determined by its *clip seed*. Clip seeds of the two splits never meet:
//! training clips have the top bit of the seed clear, held-out clips have it set
//! ([`clip_seed`]), so no held-out clip can ever be generated into a training set, whatever
//! base seeds and counts are used.
//!
//! Each clip starts from a random stage and cast, plays a random history (entities entering,
//! moving, acting, leaving and coming back; camera moves; stage, time and weather changes) and
//! then records `frames` frames in its [`VideoFormat`] (12 fps: every two ticks) while a few more
//! events happen.
//! The full event log is kept with the clip so a conditioned model can be trained on it.

use campfire_render::{ConditionMap, Frame, VideoFormat, condition_map, render_frame};
use campfire_scene::{
    Action, Appearance, Color, Event, EventLog, Kind, MoonPhase, Position, SceneError, SceneState, Setting, Stage,
    Stamped, Tick, TimeOfDay, Weather,
};
use fastrand::Rng;
use serde::{Deserialize, Serialize};

/// Which side of the train/held-out split a clip belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    Train,
    Heldout,
}

impl std::str::FromStr for Split {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "train" => Ok(Split::Train),
            "heldout" | "held-out" | "test" => Ok(Split::Heldout),
            _ => Err(format!("unknown split `{s}`; expected `train` or `heldout`")),
        }
    }
}

const HELDOUT_BIT: u64 = 1 << 63;

fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed of clip `index` of a dataset made with `base` seed. Train seeds lie in
/// `0..2^63`, held-out seeds in `2^63..2^64`.
pub fn clip_seed(split: Split, base: u64, index: u64) -> u64 {
    let h = mix64(mix64(base) ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03));
    match split {
        Split::Train => h & !HELDOUT_BIT,
        Split::Heldout => h | HELDOUT_BIT,
    }
}

/// The split a clip seed belongs to.
pub fn split_of(seed: u64) -> Split {
    if seed & HELDOUT_BIT == 0 { Split::Train } else { Split::Heldout }
}

/// Format and length of the clips. The conditioning maps are at the format's latent size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClipSpec {
    pub format: VideoFormat,
    pub frames: usize,
}

impl ClipSpec {
    pub fn new(format: VideoFormat, frames: usize) -> Self {
        Self { format, frames }
    }

    /// `(width, height)` of the frames.
    pub fn size(&self) -> (u32, u32) {
        (self.format.width, self.format.height)
    }

    /// `(width, height)` of the conditioning maps: the latent grid.
    pub fn cond_size(&self) -> (u32, u32) {
        self.format.latent_size()
    }
}

impl Default for ClipSpec {
    /// One chunk of the training format.
    fn default() -> Self {
        Self::new(VideoFormat::TRAINING, VideoFormat::TRAINING.chunk_frames as usize)
    }
}

/// One sampled and rendered clip.
#[derive(Clone, Debug)]
pub struct Clip {
    pub seed: u64,
    /// The stage the story started on; replaying `events` on it gives the world.
    pub initial_stage: Stage,
    /// Every event up to the last frame, in order.
    pub events: EventLog,
    /// Tick of the first frame; frame `i` is at [`Clip::frame_tick`]`(i)`.
    pub start_tick: Tick,
    pub format: VideoFormat,
    pub frames: Vec<Frame>,
    /// The conditioning map of each frame, from the same pose.
    pub cond: Vec<ConditionMap>,
}

impl Clip {
    /// Tick of frame `i` (fractional at frame rates that do not divide the tick rate).
    pub fn frame_tick(&self, i: usize) -> f64 {
        frame_tick(self.start_tick, &self.format, i)
    }
}

/// Frame `i` of a clip whose first frame is at `start`, counted from frame numbers.
fn frame_tick(start: Tick, format: &VideoFormat, i: usize) -> f64 {
    start as f64 + format.frame_tick(i as u64)
}

/// Kinds that live in the sky rather than on the ground.
fn in_sky(kind: Kind) -> bool {
    matches!(kind, Kind::Sun | Kind::Moon | Kind::Star | Kind::Cloud | Kind::Bird | Kind::Rain | Kind::Rocket)
}

fn pick<T: Copy>(rng: &mut Rng, items: &[T]) -> T {
    items[rng.usize(..items.len())]
}

fn range(rng: &mut Rng, lo: f32, hi: f32) -> f32 {
    lo + (hi - lo) * rng.f32()
}

/// A plausible place for `kind` on stage.
fn place_for(rng: &mut Rng, kind: Kind) -> Position {
    let x = range(rng, -0.9, 0.9);
    if in_sky(kind) {
        Position::new(x, range(rng, 0.45, 0.9), range(rng, 0.3, 0.9))
    } else if kind == Kind::Fish {
        Position::new(x, range(rng, 0.0, 0.3), range(rng, 0.0, 0.5))
    } else {
        // Mostly on the ground, now and then mid-jump or flying low.
        let y = if rng.u8(..10) == 0 { range(rng, 0.1, 0.5) } else { 0.0 };
        Position::new(x, y, range(rng, 0.0, 0.7))
    }
}

fn motion_action(rng: &mut Rng, kind: Kind) -> Action {
    if in_sky(kind) {
        pick(rng, &[Action::Fly, Action::Idle, Action::Shine])
    } else if kind == Kind::Fish {
        Action::Swim
    } else {
        pick(rng, &[Action::Walk, Action::Walk, Action::Run, Action::Jump, Action::Fly, Action::Dance])
    }
}

fn appearance(rng: &mut Rng) -> Appearance {
    // Sizes spread around the usual one, small ones as likely as large ones.
    let size = 2f32.powf(range(rng, -0.6, 0.6));
    Appearance { color: pick(rng, Color::ALL), accent: pick(rng, Color::ALL), size }
}

/// Writes one random event for the scene as it is now into `out`; `now` is its tick.
fn random_event(rng: &mut Rng, state: &SceneState, ids: &[String], now: Tick, out: &mut EventLog) {
    let push = |out: &mut EventLog, event| out.push(Stamped { tick: now, event });
    let id = ids[rng.usize(..ids.len())].clone();
    let Some(e) = state.entity(&id) else { return };
    let kind = e.kind;
    match rng.u8(..100) {
        // Off stage: come (back) in, often walking in from a side.
        _ if !e.on_stage => {
            let to = place_for(rng, kind);
            if rng.bool() {
                let side = if rng.bool() { -1.35 } else { 1.35 };
                push(out, Event::Enter { id: id.clone(), at: Position::new(side, to.y, to.depth) });
                push(out, Event::Act { id: id.clone(), action: motion_action(rng, kind) });
                push(out, Event::MoveTo { id, to, ticks: rng.u64(12..72) });
            } else {
                push(out, Event::Enter { id, at: to });
            }
        }
        0..=29 => {
            push(out, Event::Act { id: id.clone(), action: motion_action(rng, kind) });
            push(out, Event::MoveTo { id, to: place_for(rng, kind), ticks: rng.u64(8..96) });
        }
        30..=49 => push(out, Event::Act { id, action: pick(rng, Action::ALL) }),
        50..=53 => push(out, Event::Say { who: Some(id), text: "…".into() }),
        // Conditioning version 2: props in hand, actions aimed at someone, words on screen.
        54..=55 => {
            let other = ids[rng.usize(..ids.len())].clone();
            match state.held_by(&id) {
                Some(_) if other != id && rng.bool() => push(out, Event::Give { from: id, to: other }),
                Some(_) => push(out, Event::Drop { holder: id }),
                None if other != id && state.entity(&other).is_some_and(|o| o.held_by.is_none()) => {
                    push(out, Event::Hold { holder: id, item: other })
                }
                None => push(out, Event::Act { id, action: Action::Hold }),
            }
        }
        56 => {
            let target = ids[rng.usize(..ids.len())].clone();
            let action = pick(rng, &[Action::Point, Action::LookAt, Action::Give]);
            push(out, Event::ActAt { id, action, target });
        }
        57 => {
            let words = ["a seed", "the sun", "the moon is full", "water", "look!", "Day and Night", ""];
            let text = words[rng.usize(..words.len())].to_string();
            match rng.u8(..3) {
                0 => push(out, Event::Label { id, text }),
                1 => push(out, Event::Caption { text }),
                _ => push(out, Event::Title { text }),
            }
        }
        58..=65 => {
            // Leave: walk off one side, or simply vanish.
            if rng.bool() {
                let side = if rng.bool() { -1.4 } else { 1.4 };
                let at = e.position_at(now as f64);
                push(
                    out,
                    Event::MoveTo { id: id.clone(), to: Position::new(side, at.y, at.depth), ticks: rng.u64(8..24) },
                );
            }
            push(out, Event::Exit { id });
        }
        66..=70 => push(out, Event::Restyle { id, appearance: appearance(rng) }),
        71..=73 => push(out, Event::Become { id, kind: pick(rng, Kind::ALL) }),
        74..=81 => push(
            out,
            Event::Camera { x: range(rng, -0.5, 0.5), zoom: 2f32.powf(range(rng, -0.3, 0.8)), ticks: rng.u64(0..48) },
        ),
        82..=87 => push(out, Event::SetWeather(pick(rng, Weather::ALL))),
        88..=91 => push(out, Event::SetTime(pick(rng, TimeOfDay::ALL))),
        92..=93 => push(out, Event::SetMoon(pick(rng, MoonPhase::ALL))),
        _ => push(out, Event::SetSetting(pick(rng, Setting::ALL))),
    }
}

/// The held-out split as the generator's evaluation protocol reads it: story `index` is the
/// story of held-out clip `index` of base seed `base`, which no training set can contain.
pub struct HeldOutStories {
    pub base: u64,
}

impl campfire_generator::eval::protocol::HeldOut for HeldOutStories {
    fn story(
        &mut self,
        index: u64,
        format: VideoFormat,
        frames: usize,
    ) -> Result<campfire_generator::eval::protocol::HeldOutStory, SceneError> {
        let seed = clip_seed(Split::Heldout, self.base, index);
        let (stage, events, _) = sample_story(seed, &ClipSpec::new(format, frames))?;
        Ok(campfire_generator::eval::protocol::HeldOutStory { seed, stage, events })
    }
}

/// Samples the story of clip `seed` (without rendering it): the initial stage, the event log
/// and the tick of the first frame.
pub fn sample_story(seed: u64, spec: &ClipSpec) -> Result<(Stage, EventLog, Tick), SceneError> {
    let mut rng = Rng::with_seed(seed);
    let stage = Stage {
        setting: pick(&mut rng, Setting::ALL),
        time: pick(&mut rng, TimeOfDay::ALL),
        weather: pick(&mut rng, Weather::ALL),
    };
    let mut state = SceneState::new(stage);
    let mut log = EventLog::new();
    let apply = |state: &mut SceneState, log: &mut EventLog, new: EventLog| -> Result<(), SceneError> {
        for s in new {
            state.apply_stamped(&s)?;
            log.push(s);
        }
        Ok(())
    };

    let cast = 1 + rng.usize(..5);
    let mut ids = Vec::with_capacity(cast);
    let mut opening = EventLog::new();
    for i in 0..cast {
        let kind = pick(&mut rng, Kind::ALL);
        let id = format!("e{i}");
        opening.push(Stamped {
            tick: 0,
            event: Event::Add { id: id.clone(), name: kind.name().to_string(), kind, appearance: appearance(&mut rng) },
        });
        // Most of the cast is on stage from the start, the rest may come in later.
        if rng.u8(..4) != 0 {
            opening.push(Stamped { tick: 0, event: Event::Enter { id: id.clone(), at: place_for(&mut rng, kind) } });
        }
        ids.push(id);
    }
    apply(&mut state, &mut log, opening)?;

    // History before the clip: a few beats, each a handful of ticks apart.
    let mut now: Tick = 0;
    for _ in 0..rng.usize(..8) {
        now += rng.u64(4..48);
        let mut beat = EventLog::new();
        random_event(&mut rng, &state, &ids, now, &mut beat);
        apply(&mut state, &mut log, beat)?;
    }
    let start = now + rng.u64(0..36);
    let end = start + spec.format.frame_tick(spec.frames as u64).ceil() as Tick;
    // During the clip: zero to three more events at random ticks.
    let mut ticks: Vec<Tick> = (0..rng.usize(..4)).map(|_| rng.u64(start..end.max(start + 1))).collect();
    ticks.sort_unstable();
    for t in ticks {
        let mut beat = EventLog::new();
        random_event(&mut rng, &state, &ids, t, &mut beat);
        apply(&mut state, &mut log, beat)?;
    }
    Ok((stage, log, start))
}

/// Samples and renders clip `seed`.
pub fn sample_clip(seed: u64, spec: &ClipSpec) -> Result<Clip, SceneError> {
    let (initial_stage, events, start_tick) = sample_story(seed, spec)?;
    let mut state = SceneState::new(initial_stage);
    let mut next = 0;
    let mut frames = Vec::with_capacity(spec.frames);
    let mut cond = Vec::with_capacity(spec.frames);
    let ((w, h), (cw, ch)) = (spec.size(), spec.cond_size());
    for i in 0..spec.frames {
        let tick = frame_tick(start_tick, &spec.format, i);
        // Events happen at their tick, so the frame shows the world after them.
        while next < events.len() && events[next].tick as f64 <= tick {
            state.apply_stamped(&events[next])?;
            next += 1;
        }
        state.advance_to(tick.floor() as Tick);
        let pose = state.pose_at(tick);
        frames.push(render_frame(&pose, w, h, seed));
        cond.push(condition_map(&pose, cw, ch));
    }
    Ok(Clip { seed, initial_stage, events, start_tick, format: spec.format, frames, cond })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes_and_different_seeds_differ() {
        let spec = ClipSpec::new(VideoFormat::TRAINING.with_size(64, 48), 3);
        let seed = clip_seed(Split::Train, 7, 3);
        let a = sample_clip(seed, &spec).expect("clip");
        let b = sample_clip(seed, &spec).expect("clip");
        assert_eq!(a.events, b.events);
        assert_eq!(a.frames, b.frames);
        assert_eq!(a.cond, b.cond);
        assert_eq!((a.cond[0].width, a.cond[0].height), (8, 6));
        let c = sample_clip(clip_seed(Split::Train, 7, 4), &spec).expect("clip");
        assert_ne!(a.frames, c.frames);
        assert_eq!(a.frames.len(), 3);
        assert_eq!(a.frames[0].rgb.len(), 64 * 48 * 3);
    }

    #[test]
    fn frames_follow_the_format_rate() {
        let spec = ClipSpec::new(VideoFormat::TRAINING.with_size(32, 24).with_fps(10), 6);
        let clip = sample_clip(clip_seed(Split::Train, 3, 0), &spec).expect("clip");
        for i in 0..6 {
            assert!((clip.frame_tick(i) - (clip.start_tick as f64 + 2.4 * i as f64)).abs() < 1e-9);
        }
        // Each frame is the world at its own (fractional) tick.
        let timeline = campfire_render::Timeline::new(clip.initial_stage, clip.events.clone());
        let mut playhead = timeline.playhead();
        for (i, f) in clip.frames.iter().enumerate() {
            let t = clip.frame_tick(i);
            assert_eq!(*f, render_frame(&playhead.at(t).pose_at(t), 32, 24, clip.seed), "frame {i}");
        }
    }

    #[test]
    fn splits_never_share_a_seed() {
        for base in [0u64, 1, 42, u64::MAX] {
            for i in 0..2000 {
                assert_eq!(split_of(clip_seed(Split::Train, base, i)), Split::Train);
                assert_eq!(split_of(clip_seed(Split::Heldout, base, i)), Split::Heldout);
            }
        }
    }

    #[test]
    fn stories_are_varied() {
        let spec = ClipSpec::default();
        let mut kinds = std::collections::BTreeSet::new();
        let mut exits = 0;
        let mut stage_changes = 0;
        for i in 0..300 {
            let (_, log, _) = sample_story(clip_seed(Split::Train, 1, i), &spec).expect("story");
            for s in &log {
                match &s.event {
                    Event::Add { kind, .. } => {
                        kinds.insert(*kind);
                    }
                    Event::Exit { .. } => exits += 1,
                    Event::SetSetting(_) | Event::SetTime(_) | Event::SetWeather(_) => stage_changes += 1,
                    _ => {}
                }
            }
        }
        assert_eq!(kinds.len(), Kind::ALL.len(), "every kind should appear in 300 clips");
        assert!(exits > 10 && stage_changes > 10, "exits {exits}, stage changes {stage_changes}");
    }
}
