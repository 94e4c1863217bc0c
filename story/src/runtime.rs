//! Plays a story: beat by beat, line by line, choice by choice, changing the world through
//! events only, so that the event log replays to the same world.

use crate::dice;
use crate::expr;
use crate::template::{Beat, Character, Choice, Flow, FreeCommand, Line, Step, Template, VoiceSpec};
use crate::text;
use campfire_scene::{
    Action, Appearance, Color, Event, EventLog, Kind, SceneError, SceneState, Stage, Stamped, Tick, Value,
    secs_to_ticks,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The family's answers to a story's parameters, by parameter id.
pub type Params = BTreeMap<String, String>;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RuntimeError {
    #[error("the story has no parameter `{0}`")]
    UnknownParam(String),
    #[error("`{value}` is not allowed for {param}; choose one of: {allowed}")]
    ParamNotAllowed { param: String, value: String, allowed: String },
    #[error("cast member `{id}`: {message}")]
    BadCast { id: String, message: String },
    #[error("beat `{0}` does not exist")]
    UnknownBeat(String),
    #[error("beat `{0}` offers no choice right now (every choice is hidden by its condition or used up)")]
    NoChoices(String),
    #[error("no choice is being offered")]
    NotChoosing,
    #[error("choice {index} is not offered; there are {count}")]
    ChoiceOutOfRange { index: usize, count: usize },
    #[error("in beat `{beat}`: {source}")]
    Expr { beat: String, source: expr::ExprError },
    #[error("in beat `{beat}`: {source}")]
    Scene { beat: String, source: SceneError },
    #[error("beat `{0}` jumps around without ever saying anything or asking anything")]
    Stuck(String),
    #[error("this story does not allow voice commands of that kind")]
    CommandNotAllowed,
    #[error("nothing to go back to")]
    NothingToUndo,
    #[error("beat `{0}` returns, but no `Call` led there")]
    ReturnWithoutCall(String),
    #[error("beat `{0}` calls beats {MAX_CALL_DEPTH} deep without returning (a `Call` that calls itself?)")]
    CallTooDeep(String),
}

/// A line to speak and show.
#[derive(Clone, Debug, PartialEq)]
pub struct LineView {
    /// Entity id of the speaker; `None` for the narrator.
    pub speaker: Option<String>,
    pub speaker_name: Option<String>,
    pub text: String,
    pub voice: VoiceSpec,
    pub tags: Vec<String>,
    /// Story time at which the line starts.
    pub start: Tick,
    /// Estimated length of the line when spoken.
    pub ticks: Tick,
}

/// A choice on offer. `index` is what to pass to [`Runtime::choose`].
#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceView {
    pub index: usize,
    pub text: String,
    pub phrases: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ending {
    pub name: String,
    pub beat: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    Line(LineView),
    Choices(Vec<ChoiceView>),
    End(Ending),
}

/// Where the runtime is: a beat, a step in it, and whether those steps are a choice's own.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cursor {
    pub beat: String,
    pub step: usize,
    pub choice: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Waiting {
    Running,
    /// Offering these choices (indices into the beat's list).
    Choice(Vec<usize>),
    Ended(String),
}

/// Everything that changes while a story plays: what a save file carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlayState {
    pub cursor: Cursor,
    pub waiting: Waiting,
    /// Once-only lines and choices already used ("beat#step" or "beat?choice").
    pub used: BTreeSet<String>,
    pub state: SceneState,
    pub log: EventLog,
    /// Choices made so far: (beat, choice index in the beat).
    pub choices: Vec<(String, usize)>,
    /// Times each beat was entered: `visits("cave")` in a condition or a text (Ink's visit
    /// counts, with nothing to declare).
    #[serde(default)]
    pub visits: BTreeMap<String, u32>,
    /// Times each line with `{…}` pieces was said ("beat#step"): which part of a sequence is next.
    #[serde(default)]
    pub said: BTreeMap<String, u32>,
    /// Where each open `Call` goes on when its beats `Return`, innermost last.
    #[serde(default)]
    pub returns: Vec<String>,
    /// Decides `Random` flows and `{~…}` shuffles: saved, so a resumed play goes on the same way.
    #[serde(default)]
    pub seed: u64,
}

/// How many gotos in a row without a line or a choice count as stuck.
const MAX_SILENT_JUMPS: usize = 1000;
/// How many choice points "go back" can return to.
const UNDO_DEPTH: usize = 32;
/// How many `Call`s may be open at once; deeper is a call that never returns.
pub const MAX_CALL_DEPTH: usize = 64;

/// Estimated time to say a line, at the narrator's pace with a short breath after it.
pub fn line_ticks(text: &str, words_per_minute: u16) -> Tick {
    let words = text.split_whitespace().count().max(1) as f32;
    let wpm = f32::from(words_per_minute.clamp(60, 400));
    secs_to_ticks(words * 60.0 / wpm + 0.5)
}

#[derive(Clone, Debug)]
pub struct Runtime {
    template: Arc<Template>,
    params: Params,
    play: PlayState,
    undo: Vec<PlayState>,
    /// Beats entered, when the path walker asks for them (never saved).
    trail: Option<Vec<String>>,
    /// The path walker's view of `Random`: a choice of every target, so each is walked.
    random_as_choice: bool,
}

impl Runtime {
    /// Starts a story with the family's parameters (missing ones take their defaults).
    pub fn new(template: Arc<Template>, params: Params) -> Result<Runtime, RuntimeError> {
        let params = resolve_params(&template, params)?;
        let t = template.clone();
        let mut rt = Runtime {
            play: PlayState {
                cursor: Cursor { beat: t.start.clone(), step: 0, choice: None },
                waiting: Waiting::Running,
                used: BTreeSet::new(),
                state: SceneState::new(initial_stage(&template)),
                log: Vec::new(),
                choices: Vec::new(),
                visits: BTreeMap::from([(t.start.clone(), 1)]),
                said: BTreeMap::new(),
                returns: Vec::new(),
                seed: dice::fresh_seed(),
            },
            template: template.clone(),
            params,
            undo: Vec::new(),
            trail: None,
            random_as_choice: false,
        };
        for (name, value) in &t.vars {
            rt.emit(Event::SetVar { name: name.clone(), value: value.clone() }, "")?;
        }
        for c in &t.cast {
            let event = cast_event(c, &rt.params)?;
            rt.emit(event, "")?;
        }
        if !t.beats.contains_key(&t.start) {
            return Err(RuntimeError::UnknownBeat(t.start.clone()));
        }
        Ok(rt)
    }

    /// Resumes from saved progress; the caller has checked it belongs to this story.
    pub(crate) fn from_progress(template: Arc<Template>, params: Params, progress: PlayState) -> Runtime {
        Runtime { template, params, play: progress, undo: Vec::new(), trail: None, random_as_choice: false }
    }

    /// Sets the seed of `Random` flows and `{~…}` shuffles (a new play takes one from the
    /// clock): the same seed and the same choices play the same story.
    pub fn set_seed(&mut self, seed: u64) {
        self.play.seed = seed;
    }

    /// Makes every `Random` flow a choice of its targets, so that the path walker walks each.
    pub(crate) fn random_as_choice(&mut self) {
        self.random_as_choice = true;
    }

    /// Drops the event log and the undo history: the path walker keeps thousands of runtimes
    /// and needs neither.
    pub(crate) fn forget_history(&mut self) {
        self.play.log.clear();
        self.undo.clear();
    }

    pub fn template(&self) -> &Arc<Template> {
        &self.template
    }
    pub fn params(&self) -> &Params {
        &self.params
    }
    pub fn play_state(&self) -> &PlayState {
        &self.play
    }
    pub fn state(&self) -> &SceneState {
        &self.play.state
    }
    pub fn log(&self) -> &EventLog {
        &self.play.log
    }
    pub fn beat_id(&self) -> &str {
        &self.play.cursor.beat
    }
    pub fn now(&self) -> Tick {
        self.play.state.now()
    }
    pub fn is_ended(&self) -> bool {
        matches!(self.play.waiting, Waiting::Ended(_))
    }

    /// The choices on offer, empty when none is being asked.
    pub fn choices(&self) -> Vec<ChoiceView> {
        let Waiting::Choice(visible) = &self.play.waiting else {
            return Vec::new();
        };
        let beat = &self.play.cursor.beat;
        let Ok(flow) = self.beat(beat).map(|b| &b.then) else {
            return Vec::new();
        };
        // A choice's text comes round each time its beat is visited.
        let round = self.play.visits.get(beat).copied().unwrap_or(1).saturating_sub(1);
        let fill = |text: &str, place: String| self.fill(text, &place, round).unwrap_or_else(|_| text.to_string());
        match flow {
            Flow::Choose(all) => visible
                .iter()
                .enumerate()
                .filter_map(|(index, i)| all.get(*i).map(|c| (index, *i, c)))
                .map(|(index, i, c)| ChoiceView {
                    index,
                    text: fill(&c.text, format!("{beat}?{i}")),
                    phrases: c.say.iter().map(|p| fill(p, format!("{beat}?{i}"))).collect(),
                })
                .collect(),
            Flow::Random(targets) => visible
                .iter()
                .enumerate()
                .filter_map(|(index, i)| targets.get(*i).map(|t| (index, t)))
                .map(|(index, t)| ChoiceView { index, text: format!("(at random) {t}"), phrases: Vec::new() })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Which free voice commands the story allows.
    pub fn allowed_commands(&self) -> &[FreeCommand] {
        &self.template.commands
    }

    fn beat(&self, id: &str) -> Result<&Beat, RuntimeError> {
        self.template.beats.get(id).ok_or_else(|| RuntimeError::UnknownBeat(id.to_string()))
    }

    fn emit(&mut self, event: Event, beat: &str) -> Result<(), RuntimeError> {
        self.play.state.apply(&event).map_err(|source| RuntimeError::Scene { beat: beat.to_string(), source })?;
        self.play.log.push(Stamped { tick: self.play.state.now(), event });
        Ok(())
    }

    /// Moves story time on (the app calls this as narration audio actually plays).
    pub fn advance_to(&mut self, tick: Tick) {
        self.play.state.advance_to(tick);
    }

    /// Applies a world change asked for by voice ("make it rain"), if the story allows it.
    pub fn apply_command(&mut self, event: Event) -> Result<(), RuntimeError> {
        let kind = match &event {
            Event::Act { .. } => FreeCommand::Act,
            Event::SetWeather(_) => FreeCommand::Weather,
            Event::SetTime(_) => FreeCommand::Time,
            _ => return Err(RuntimeError::CommandNotAllowed),
        };
        if !self.template.commands.contains(&kind) {
            return Err(RuntimeError::CommandNotAllowed);
        }
        let beat = self.play.cursor.beat.clone();
        self.emit(event, &beat)
    }

    /// What conditions, `Set` and texts can read: each beat's visit count (under
    /// [`expr::visits_key`]), the parameters as text, then the variables (a variable of a
    /// parameter's name wins; the linter forbids the clash).
    fn scope(&self) -> BTreeMap<String, Value> {
        let visits = self.template.beats.keys().map(|b| {
            let n = self.play.visits.get(b).copied().unwrap_or(0);
            (expr::visits_key(b), Value::Int(i64::from(n)))
        });
        let mut scope: BTreeMap<String, Value> = visits.collect();
        scope.extend(self.params.iter().map(|(k, v)| (k.clone(), Value::Text(v.clone()))));
        scope.extend(self.play.state.vars().iter().map(|(k, v)| (k.clone(), v.clone())));
        scope
    }

    /// A text with its `{…}` pieces filled in as they would be said the first time.
    pub fn substitute(&self, text: &str) -> String {
        self.fill(text, "", 0).unwrap_or_else(|_| text.to_string())
    }

    fn fill(&self, text: &str, place: &str, round: u32) -> Result<String, expr::ExprError> {
        // Most texts have no pieces; the scope (every beat, parameter and variable) is built
        // only for those that do, since choices are drawn again every frame.
        if !text.contains('{') {
            return Ok(text.to_string());
        }
        text::fill(text, &text::Fill { scope: &self.scope(), round, seed: self.play.seed, place })
    }

    /// Fills in a step's text and counts it as said once more (for sequences).
    fn fill_step(&mut self, text: &str, key: &str) -> Result<String, RuntimeError> {
        let round = self.play.said.get(key).copied().unwrap_or(0);
        let beat = &self.play.cursor.beat;
        let out = self.fill(text, key, round).map_err(|source| RuntimeError::Expr { beat: beat.clone(), source })?;
        // Only texts with pieces can change between rounds: the rest need no count in saves.
        if text.contains('{') {
            *self.play.said.entry(key.to_string()).or_default() += 1;
        }
        Ok(out)
    }

    /// Runs until there is something to say, to choose, or the end.
    // Not an `Iterator`: it fails with a `RuntimeError`, and ending is an output, not `None`.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Output, RuntimeError> {
        let mut jumps = 0;
        loop {
            match &self.play.waiting {
                Waiting::Choice(_) => return Ok(Output::Choices(self.choices())),
                Waiting::Ended(name) => {
                    return Ok(Output::End(Ending { name: name.clone(), beat: self.play.cursor.beat.clone() }));
                }
                Waiting::Running => {}
            }
            let story = self.template.clone();
            let cursor = self.play.cursor.clone();
            let beat = story.beats.get(&cursor.beat).ok_or_else(|| RuntimeError::UnknownBeat(cursor.beat.clone()))?;
            let choice: Option<&Choice> = match (cursor.choice, &beat.then) {
                (Some(i), Flow::Choose(all)) => all.get(i),
                _ => None,
            };
            let steps = choice.map_or(&beat.steps, |c| &c.steps);
            if let Some(step) = steps.get(cursor.step) {
                self.play.cursor.step += 1;
                let key = match cursor.choice {
                    Some(c) => format!("{}?{c}#{}", cursor.beat, cursor.step),
                    None => format!("{}#{}", cursor.beat, cursor.step),
                };
                if let Some(line) = self.run_step(step, &key)? {
                    return Ok(Output::Line(line));
                }
                continue;
            }
            jumps += 1;
            if jumps > MAX_SILENT_JUMPS {
                return Err(RuntimeError::Stuck(cursor.beat));
            }
            if let Some(c) = choice {
                self.goto(&c.goto);
                continue;
            }
            let vars = self.scope();
            let vars = &vars;
            let eval = |cond: &str| -> Result<bool, RuntimeError> {
                expr::parse(cond)
                    .and_then(|e| expr::eval_bool(&e, vars))
                    .map_err(|source| RuntimeError::Expr { beat: cursor.beat.clone(), source })
            };
            match &story.beats[&cursor.beat].then {
                Flow::Goto(target) => self.goto(target),
                Flow::Branch { cases, otherwise } => {
                    let mut target = otherwise;
                    for (cond, to) in cases {
                        if eval(cond)? {
                            target = to;
                            break;
                        }
                    }
                    self.goto(target);
                }
                Flow::Choose(all) => {
                    let mut visible = Vec::new();
                    for (i, c) in all.iter().enumerate() {
                        let used = c.once && self.play.used.contains(&format!("{}?{i}", cursor.beat));
                        let shown = match &c.when {
                            Some(cond) => eval(cond)?,
                            None => true,
                        };
                        if shown && !used {
                            visible.push(i);
                        }
                    }
                    if visible.is_empty() {
                        return Err(RuntimeError::NoChoices(cursor.beat));
                    }
                    self.play.waiting = Waiting::Choice(visible);
                }
                Flow::End(name) => self.play.waiting = Waiting::Ended(name.clone()),
                Flow::Random(targets) if targets.is_empty() => return Err(RuntimeError::NoChoices(cursor.beat)),
                Flow::Random(targets) if self.random_as_choice => {
                    self.play.waiting = Waiting::Choice((0..targets.len()).collect());
                }
                Flow::Random(targets) => {
                    let visit = self.play.visits.get(&cursor.beat).copied().unwrap_or(0);
                    let i = dice::pick(self.play.seed, &format!("{}!{visit}", cursor.beat), targets.len());
                    self.goto(&targets[i]);
                }
                Flow::Call(beat, after) => {
                    if self.play.returns.len() >= MAX_CALL_DEPTH {
                        return Err(RuntimeError::CallTooDeep(cursor.beat));
                    }
                    self.play.returns.push(after.clone());
                    self.goto(beat);
                }
                Flow::Return => {
                    let after = self.play.returns.pop().ok_or(RuntimeError::ReturnWithoutCall(cursor.beat))?;
                    self.goto(&after);
                }
            }
        }
    }

    fn goto(&mut self, beat: &str) {
        if let Some(trail) = &mut self.trail {
            trail.push(beat.to_string());
        }
        *self.play.visits.entry(beat.to_string()).or_default() += 1;
        self.play.cursor = Cursor { beat: beat.to_string(), step: 0, choice: None };
    }

    /// Starts recording the beats entered, for [`Runtime::take_trail`].
    pub(crate) fn record_trail(&mut self) {
        self.trail.get_or_insert_with(Vec::new);
    }

    /// The beats entered since the last call.
    pub(crate) fn take_trail(&mut self) -> Vec<String> {
        self.trail.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Picks one of the choices on offer.
    pub fn choose(&mut self, index: usize) -> Result<(), RuntimeError> {
        let Waiting::Choice(visible) = &self.play.waiting else {
            return Err(RuntimeError::NotChoosing);
        };
        let Some(&i) = visible.get(index) else {
            return Err(RuntimeError::ChoiceOutOfRange { index, count: visible.len() });
        };
        let beat = self.play.cursor.beat.clone();
        if let Ok(Flow::Random(targets)) = self.beat(&beat).map(|b| &b.then) {
            // Only the path walker is asked: nothing to remember or undo.
            let target = targets[i].clone();
            self.play.waiting = Waiting::Running;
            self.goto(&target);
            return Ok(());
        }
        self.undo.push(self.play.clone());
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.play.used.insert(format!("{beat}?{i}"));
        self.play.choices.push((beat.clone(), i));
        self.play.cursor = Cursor { beat, step: 0, choice: Some(i) };
        self.play.waiting = Waiting::Running;
        Ok(())
    }

    /// Returns to the last choice ("go back"). The world goes back too; story time does not,
    /// because frames already shown cannot be unshown.
    pub fn go_back(&mut self) -> Result<(), RuntimeError> {
        let mut previous = self.undo.pop().ok_or(RuntimeError::NothingToUndo)?;
        let now = self.play.state.now();
        previous.state.advance_to(now);
        self.play = previous;
        Ok(())
    }

    /// `text` is filled in already.
    fn line_view(&self, who: Option<&str>, text: String, tags: &[String]) -> LineView {
        let character = who.and_then(|id| self.template.cast.iter().find(|c| c.id == id));
        let narrator = &self.template.narrator;
        let voice = character.and_then(|c| c.voice.clone()).unwrap_or_else(|| narrator.clone());
        LineView {
            speaker: who.map(str::to_string),
            speaker_name: character.map(|c| self.substitute(&c.name)),
            ticks: line_ticks(&text, voice.speed),
            voice,
            text,
            tags: tags.to_vec(),
            start: self.play.state.now(),
        }
    }

    /// Runs one step; returns the line to say if it is one.
    fn run_step(&mut self, step: &Step, key: &str) -> Result<Option<LineView>, RuntimeError> {
        let beat = self.play.cursor.beat.clone();
        let now = self.play.state.now();
        let event = match step {
            Step::Narrate(text) => return self.say(None, text, &[], key).map(Some),
            Step::Say(who, text) => return self.say(Some(who), text, &[], key).map(Some),
            Step::Line(Line { text, who, once, when, tags }) => {
                // The condition first: a `once` line whose condition was false has not been
                // said, so it stays for a later visit.
                if let Some(cond) = when {
                    let shown = expr::parse(cond)
                        .and_then(|e| expr::eval_bool(&e, &self.scope()))
                        .map_err(|source| RuntimeError::Expr { beat: beat.clone(), source })?;
                    if !shown {
                        return Ok(None);
                    }
                }
                if *once && !self.play.used.insert(key.to_string()) {
                    return Ok(None);
                }
                return self.say(who.as_deref(), text, tags, key).map(Some);
            }
            Step::Enter(id, place) => Event::Enter { id: id.clone(), at: place.position() },
            Step::Exit(id) => Event::Exit { id: id.clone() },
            Step::Move(id, place, secs) => {
                Event::MoveTo { id: id.clone(), to: place.position(), ticks: secs_to_ticks(*secs) }
            }
            Step::Act(id, action) => Event::Act { id: id.clone(), action: *action },
            Step::Become(id, kind) => Event::Become { id: id.clone(), kind: kind.0 },
            Step::Size(id, size) => {
                let entity = self.play.state.entity(id).ok_or_else(|| RuntimeError::Scene {
                    beat: beat.clone(),
                    source: SceneError::UnknownEntity(id.clone()),
                })?;
                Event::Restyle { id: id.clone(), appearance: Appearance { size: *size, ..entity.appearance.clone() } }
            }
            Step::Setting(s) => Event::SetSetting(*s),
            Step::Time(t) => Event::SetTime(*t),
            Step::Weather(w) => Event::SetWeather(*w),
            Step::Camera(x, zoom, secs) => Event::Camera { x: *x, zoom: *zoom, ticks: secs_to_ticks(*secs) },
            Step::Wait(secs) => {
                self.play.state.advance_to(now + secs_to_ticks(*secs));
                return Ok(None);
            }
            Step::Moon(phase) => Event::SetMoon(*phase),
            Step::Hold(who, item) => Event::Hold { holder: who.clone(), item: item.clone() },
            Step::Find(who, item) => {
                self.emit(Event::Hold { holder: who.clone(), item: item.clone() }, &beat)?;
                Event::Act { id: item.clone(), action: Action::Shine }
            }
            Step::Give(from, to) => Event::Give { from: from.clone(), to: to.clone() },
            Step::Drop(who) => Event::Drop { holder: who.clone() },
            Step::PointAt(who, what) => Event::ActAt { id: who.clone(), action: Action::Point, target: what.clone() },
            Step::LookAt(who, what) => Event::ActAt { id: who.clone(), action: Action::LookAt, target: what.clone() },
            Step::Title(text) => Event::Title { text: self.fill_step(text, key)? },
            Step::Caption(text) => Event::Caption { text: self.fill_step(text, key)? },
            Step::Label(id, text) => Event::Label { id: id.clone(), text: self.fill_step(text, key)? },
            Step::Set(name, expression) => {
                let value = expr::parse(expression)
                    .and_then(|e| expr::eval(&e, &self.scope()))
                    .map_err(|source| RuntimeError::Expr { beat: beat.clone(), source })?;
                Event::SetVar { name: name.clone(), value }
            }
        };
        self.emit(event, &beat)?;
        Ok(None)
    }

    fn say(&mut self, who: Option<&str>, text: &str, tags: &[String], key: &str) -> Result<LineView, RuntimeError> {
        let text = self.fill_step(text, key)?;
        let line = self.line_view(who, text, tags);
        let beat = self.play.cursor.beat.clone();
        self.emit(Event::Say { who: line.speaker.clone(), text: line.text.clone() }, &beat)?;
        self.play.state.advance_to(line.start + line.ticks);
        // The speech bubble ends with the line: a speaker the line set talking goes back to idle.
        if let Some(id) = &line.speaker
            && self.play.state.entity(id).is_some_and(|e| e.action == Action::Talk)
        {
            self.emit(Event::Act { id: id.clone(), action: Action::Idle }, &beat)?;
        }
        Ok(line)
    }
}

pub(crate) fn initial_stage(template: &Template) -> Stage {
    let s = &template.stage;
    Stage { setting: s.setting, time: s.time, weather: s.weather }
}

/// Fills in defaults and checks every answer.
pub(crate) fn resolve_params(template: &Template, given: Params) -> Result<Params, RuntimeError> {
    let declared = &template.params;
    for key in given.keys() {
        if !declared.iter().any(|p| &p.id == key) {
            return Err(RuntimeError::UnknownParam(key.clone()));
        }
    }
    let mut out = Params::new();
    for p in declared {
        let value = given.get(&p.id).cloned().unwrap_or_else(|| p.default.clone());
        let value = value.trim().to_string();
        if !p.one_of.is_empty() && !p.one_of.iter().any(|o| o.eq_ignore_ascii_case(&value)) {
            return Err(RuntimeError::ParamNotAllowed { param: p.id.clone(), value, allowed: p.one_of.join(", ") });
        }
        out.insert(p.id.clone(), value);
    }
    Ok(out)
}

pub(crate) fn cast_event(c: &Character, params: &Params) -> Result<Event, RuntimeError> {
    let none = BTreeMap::new();
    let bad = |message: String| RuntimeError::BadCast { id: c.id.clone(), message };
    let kind: Kind = substitute(&c.kind, params, &none).parse().map_err(bad)?;
    let color: Color = substitute(&c.color, params, &none).parse().map_err(bad)?;
    let accent: Color = substitute(&c.accent, params, &none).parse().map_err(bad)?;
    if !(c.size.is_finite() && c.size > 0.0) {
        return Err(bad(format!("size must be a positive number, found {}", c.size)));
    }
    Ok(Event::Add {
        id: c.id.clone(),
        name: substitute(&c.name, params, &none),
        kind,
        appearance: Appearance { color, accent, size: c.size },
    })
}

/// Fills in `{…}` pieces from parameters and variables as said the first time; unknown names
/// stay as written and a text that does not parse is kept whole (the linter reports both).
pub fn substitute(text: &str, params: &Params, vars: &BTreeMap<String, Value>) -> String {
    let mut scope: BTreeMap<String, Value> = vars.clone();
    scope.extend(params.iter().map(|(k, v)| (k.clone(), Value::Text(v.clone()))));
    text::fill(text, &text::Fill { scope: &scope, round: 0, seed: 0, place: "" }).unwrap_or_else(|_| text.to_string())
}
