//! The world itself and the one function that changes it.

use crate::Tick;
use crate::event::{Event, Stamped};
use crate::types::{Action, Appearance, Camera, Kind, MoonPhase, Position, Stage, Value};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SceneError {
    #[error("no entity `{0}` in the scene (add it to the cast first)")]
    UnknownEntity(String),
    #[error("entity `{0}` already exists")]
    DuplicateEntity(String),
    #[error("event at tick {at} is earlier than the scene's time {now}")]
    TimeGoesBack { at: Tick, now: Tick },
    #[error("`{0}` holds nothing to give or put down")]
    HoldsNothing(String),
    #[error("`{0}` cannot hold itself")]
    HoldsItself(String),
}

/// A straight move between two places, eased at both ends.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Motion {
    pub from: Position,
    pub to: Position,
    pub start: Tick,
    pub end: Tick,
}

impl Motion {
    /// Where the move is at time `t` (in ticks, fractional for frames between ticks).
    pub fn at(&self, t: f64) -> Position {
        if self.end <= self.start || t >= self.end as f64 {
            return self.to;
        }
        if t <= self.start as f64 {
            return self.from;
        }
        let u = ((t - self.start as f64) / (self.end - self.start) as f64) as f32;
        self.from.lerp(self.to, u * u * (3.0 - 2.0 * u))
    }
}

/// Something or someone in the world, on stage or not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    pub appearance: Appearance,
    pub motion: Motion,
    pub action: Action,
    /// When the current action started, so animations have a phase.
    pub action_since: Tick,
    pub on_stage: bool,
    /// Order of arrival on stage, to break depth ties the same way every time.
    pub order: u32,
    /// Who holds this entity (a prop in a hand), if anyone: it is drawn at that hand.
    #[serde(default)]
    pub held_by: Option<String>,
    /// What this entity's action is aimed at (point at, look at, give to).
    #[serde(default)]
    pub target: Option<String>,
    /// A label drawn beside it with an arrow pointing at it.
    #[serde(default)]
    pub label: Option<String>,
}

impl Entity {
    pub fn position_at(&self, t: f64) -> Position {
        self.motion.at(t)
    }
}

/// The whole world at one tick.
///
/// The fields are private so that nothing but [`SceneState::apply`] (and time moving on) can
/// change the world: whatever a reader holds follows from the event log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct SceneState {
    now: Tick,
    stage: Stage,
    camera: Camera,
    camera_motion: Option<(Camera, Camera, Tick, Tick)>,
    entities: BTreeMap<String, Entity>,
    vars: BTreeMap<String, Value>,
    /// Who spoke last (`None` for the narrator) and what they said.
    last_said: Option<(Option<String>, String)>,
    next_order: u32,
    #[serde(default)]
    moon: MoonPhase,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    caption: Option<String>,
}

/// An entity as drawn at one moment: its resolved place and animation phase.
#[derive(Clone, Debug, PartialEq)]
pub struct PosedEntity<'a> {
    pub entity: &'a Entity,
    pub position: Position,
    /// Seconds since the entity's current action started.
    pub action_time: f32,
}

/// The world at a moment between ticks: what the generator draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Pose<'a> {
    /// Time in seconds since the story began.
    pub time: f32,
    pub stage: Stage,
    pub camera: Camera,
    /// Entities on stage, back to front (draw in this order); a held prop comes right after
    /// its holder, at the holder's place.
    pub entities: Vec<PosedEntity<'a>>,
    /// The moon's phase, for every moon drawn.
    pub moon: MoonPhase,
    /// A title card over the picture.
    pub title: Option<&'a str>,
    /// A caption along the bottom.
    pub caption: Option<&'a str>,
}

impl SceneState {
    pub fn new(stage: Stage) -> Self {
        Self { stage, ..Self::default() }
    }

    /// Moves time forward; events later than `now` are stamped at the new time.
    pub fn advance_to(&mut self, tick: Tick) {
        self.now = self.now.max(tick);
    }

    /// The current time in ticks.
    pub fn now(&self) -> Tick {
        self.now
    }

    /// Setting, light and weather.
    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// Where the camera is headed (the end of its current pan); [`SceneState::pose_at`] gives
    /// it at a moment.
    pub fn camera(&self) -> Camera {
        self.camera
    }

    /// Everyone and everything in the world, on stage or not, by id.
    pub fn entities(&self) -> &BTreeMap<String, Entity> {
        &self.entities
    }

    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.get(id)
    }

    /// The story's variables.
    pub fn vars(&self) -> &BTreeMap<String, Value> {
        &self.vars
    }

    /// Who spoke last (`None` for the narrator) and what they said.
    pub fn last_said(&self) -> Option<(Option<&str>, &str)> {
        self.last_said.as_ref().map(|(who, text)| (who.as_deref(), text.as_str()))
    }

    /// The moon's phase.
    pub fn moon(&self) -> MoonPhase {
        self.moon
    }

    /// The title card shown, if any.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// The caption shown, if any.
    pub fn caption(&self) -> Option<&str> {
        self.caption.as_deref()
    }

    /// What `holder` holds, if anything.
    pub fn held_by(&self, holder: &str) -> Option<&Entity> {
        self.entities.values().find(|e| e.held_by.as_deref() == Some(holder))
    }

    fn entity_mut(&mut self, id: &str) -> Result<&mut Entity, SceneError> {
        self.entities.get_mut(id).ok_or_else(|| SceneError::UnknownEntity(id.to_string()))
    }

    /// Applies one event at the current time. The only function that changes the world.
    pub fn apply(&mut self, event: &Event) -> Result<(), SceneError> {
        let now = self.now;
        match event {
            Event::Add { id, name, kind, appearance } => {
                if self.entities.contains_key(id) {
                    return Err(SceneError::DuplicateEntity(id.clone()));
                }
                let here = crate::Spot::OffLeft.position();
                self.entities.insert(
                    id.clone(),
                    Entity {
                        id: id.clone(),
                        name: name.clone(),
                        kind: *kind,
                        appearance: appearance.sanitized(),
                        motion: Motion { from: here, to: here, start: now, end: now },
                        action: Action::Idle,
                        action_since: now,
                        on_stage: false,
                        order: 0,
                        held_by: None,
                        target: None,
                        label: None,
                    },
                );
            }
            Event::Enter { id, at } => {
                let order = self.next_order;
                let e = self.entity_mut(id)?;
                let at = at.sanitized();
                e.held_by = None;
                e.motion = Motion { from: at, to: at, start: now, end: now };
                if !e.on_stage {
                    e.on_stage = true;
                    e.order = order;
                    self.next_order = self.next_order.saturating_add(1);
                }
            }
            Event::Exit { id } => {
                let e = self.entity_mut(id)?;
                e.on_stage = false;
            }
            Event::MoveTo { id, to, ticks } => {
                let from = self.position_of(id, now as f64)?;
                let e = self.entity_mut(id)?;
                e.held_by = None;
                e.motion = Motion { from, to: to.sanitized(), start: now, end: now.saturating_add(*ticks) };
            }
            Event::Act { id, action } => {
                let e = self.entity_mut(id)?;
                e.action = *action;
                e.action_since = now;
                e.target = None;
            }
            Event::ActAt { id, action, target } => {
                self.entity_mut(target)?;
                let e = self.entity_mut(id)?;
                e.action = *action;
                e.action_since = now;
                e.target = Some(target.clone());
            }
            Event::SetMoon(phase) => self.moon = *phase,
            Event::Hold { holder, item } => {
                if holder == item {
                    return Err(SceneError::HoldsItself(holder.clone()));
                }
                self.entity_mut(holder)?;
                // One thing in hand at a time: whatever was held is put down first.
                self.drop_held(holder, now);
                self.take(holder, item, now)?;
            }
            Event::Give { from, to } => {
                self.entity_mut(to)?;
                let item =
                    self.held_by(from).map(|e| e.id.clone()).ok_or_else(|| SceneError::HoldsNothing(from.clone()))?;
                self.drop_held(to, now);
                self.take(to, &item, now)?;
                let giver = self.entity_mut(from)?;
                giver.action = Action::Give;
                giver.action_since = now;
                giver.target = Some(to.clone());
            }
            Event::Drop { holder } => {
                self.entity_mut(holder)?;
                if !self.drop_held(holder, now) {
                    return Err(SceneError::HoldsNothing(holder.clone()));
                }
                let e = self.entity_mut(holder)?;
                if e.action == Action::Hold {
                    e.action = Action::Idle;
                    e.action_since = now;
                }
            }
            Event::Title { text } => self.title = Some(text.clone()).filter(|t| !t.trim().is_empty()),
            Event::Caption { text } => self.caption = Some(text.clone()).filter(|t| !t.trim().is_empty()),
            Event::Label { id, text } => {
                self.entity_mut(id)?.label = Some(text.clone()).filter(|t| !t.trim().is_empty());
            }
            Event::Become { id, kind } => self.entity_mut(id)?.kind = *kind,
            Event::Restyle { id, appearance } => self.entity_mut(id)?.appearance = appearance.sanitized(),
            Event::SetSetting(s) => self.stage.setting = *s,
            Event::SetTime(t) => self.stage.time = *t,
            Event::SetWeather(w) => self.stage.weather = *w,
            Event::Camera { x, zoom, ticks } => {
                let from = self.camera_at(now as f64);
                let fix = |v: f32, d: f32| if v.is_finite() { v } else { d };
                let to = Camera { x: fix(*x, 0.0).clamp(-2.0, 2.0), zoom: fix(*zoom, 1.0).clamp(0.25, 4.0) };
                self.camera = to;
                self.camera_motion = Some((from, to, now, now.saturating_add(*ticks)));
            }
            Event::Say { who, text } => {
                // An idle speaker talks; one busy dancing or flying keeps at it (the voice is
                // heard either way), so a line never cancels what the story set going.
                if let Some(id) = who {
                    let e = self.entity_mut(id)?;
                    if e.action == Action::Idle {
                        e.action = Action::Talk;
                        e.action_since = now;
                    }
                }
                self.last_said = Some((who.clone(), text.clone()));
            }
            Event::SetVar { name, value } => {
                self.vars.insert(name.clone(), value.clone());
            }
        }
        Ok(())
    }

    /// Where an entity is at `t`: a held prop is where its holder is.
    fn position_of(&self, id: &str, t: f64) -> Result<Position, SceneError> {
        let e = self.entities.get(id).ok_or_else(|| SceneError::UnknownEntity(id.to_string()))?;
        match e.held_by.as_deref().and_then(|h| self.entities.get(h)) {
            Some(holder) => Ok(holder.position_at(t)),
            None => Ok(e.position_at(t)),
        }
    }

    /// `holder` takes `item`: on stage, in hand; the holder's action becomes `Hold`.
    fn take(&mut self, holder: &str, item: &str, now: Tick) -> Result<(), SceneError> {
        let order = self.next_order;
        let e = self.entity_mut(item)?;
        e.held_by = Some(holder.to_string());
        if !e.on_stage {
            e.on_stage = true;
            e.order = order;
            self.next_order = self.next_order.saturating_add(1);
        }
        let h = self.entity_mut(holder)?;
        h.action = Action::Hold;
        h.action_since = now;
        h.target = None;
        Ok(())
    }

    /// Puts down what `holder` holds at the holder's feet; false when it held nothing.
    fn drop_held(&mut self, holder: &str, now: Tick) -> bool {
        let Some(id) = self.held_by(holder).map(|e| e.id.clone()) else { return false };
        let Ok(at) = self.position_of(holder, now as f64) else { return false };
        // A little in front of the holder, on the ground, so it is seen.
        let at = Position { x: at.x + 0.12, y: at.y.min(0.0), depth: (at.depth - 0.02).max(0.0) };
        if let Some(e) = self.entities.get_mut(&id) {
            e.held_by = None;
            e.motion = Motion { from: at, to: at, start: now, end: now };
        }
        true
    }

    /// Applies a stamped event: advances time to its tick first.
    pub fn apply_stamped(&mut self, s: &Stamped) -> Result<(), SceneError> {
        if s.tick < self.now {
            return Err(SceneError::TimeGoesBack { at: s.tick, now: self.now });
        }
        self.now = s.tick;
        self.apply(&s.event)
    }

    /// Rebuilds a world from its log.
    pub fn replay(stage: Stage, log: &[Stamped]) -> Result<SceneState, SceneError> {
        let mut state = SceneState::new(stage);
        for s in log {
            state.apply_stamped(s)?;
        }
        Ok(state)
    }

    fn camera_at(&self, t: f64) -> Camera {
        match self.camera_motion {
            Some((from, to, start, end)) if end > start && t < end as f64 => {
                let u = ((t - start as f64) / (end - start) as f64).clamp(0.0, 1.0) as f32;
                let u = u * u * (3.0 - 2.0 * u);
                Camera { x: from.x + (to.x - from.x) * u, zoom: from.zoom + (to.zoom - from.zoom) * u }
            }
            _ => self.camera,
        }
    }

    /// The world as seen at time `t` ticks (fractional allowed), sorted back to front.
    /// Asking for a time before `now` uses the motions as they are now; the generator asks for
    /// the frames of the chunk it is about to draw, which lie at or after `now`.
    pub fn pose_at(&self, t: f64) -> Pose<'_> {
        let mut entities: Vec<PosedEntity<'_>> = self
            .entities
            .values()
            .filter(|e| e.on_stage && e.held_by.is_none())
            .map(|e| PosedEntity {
                entity: e,
                position: e.position_at(t),
                action_time: ((t - e.action_since as f64).max(0.0) / crate::TICKS_PER_SECOND as f64) as f32,
            })
            .collect();
        entities
            .sort_by(|a, b| b.position.depth.total_cmp(&a.position.depth).then(a.entity.order.cmp(&b.entity.order)));
        // Held props right after their holders (drawn in front of them, in their hand). A prop
        // whose holder is off stage is off stage with it.
        let mut out = Vec::with_capacity(entities.len());
        for pe in entities {
            let id = pe.entity.id.clone();
            let position = pe.position;
            out.push(pe);
            for item in self.entities.values().filter(|e| e.on_stage && e.held_by.as_deref() == Some(id.as_str())) {
                out.push(PosedEntity {
                    entity: item,
                    position,
                    action_time: ((t - item.action_since as f64).max(0.0) / crate::TICKS_PER_SECOND as f64) as f32,
                });
            }
        }
        Pose {
            time: (t / crate::TICKS_PER_SECOND as f64) as f32,
            stage: self.stage,
            camera: self.camera_at(t),
            entities: out,
            moon: self.moon,
            title: self.title.as_deref(),
            caption: self.caption.as_deref(),
        }
    }
}
