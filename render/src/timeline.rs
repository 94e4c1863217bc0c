//! The world over time: a starting world and the events stamped after it.
//!
//! A [`Timeline`] is what a generator needs to draw a stretch of story: not the newest
//! [`SceneState`] alone (a chunk of frames may start before an event and end after it), but the
//! world at every frame. It is cheap to clone (two `Arc`s), so requests carry it between threads.
//! A [`Playhead`] replays it forward frame by frame.

use campfire_scene::{SceneState, Stage, Stamped, Tick};
use std::sync::Arc;

/// A starting world and the events after it, shared.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    start: Arc<SceneState>,
    events: Arc<[Stamped]>,
}

impl Timeline {
    /// An empty world on `stage` at tick 0, then `events` (a story's log).
    pub fn new(stage: Stage, events: impl Into<Arc<[Stamped]>>) -> Self {
        Self::from_state(SceneState::new(stage), events)
    }

    /// `start` as it is, then `events` (those stamped before `start.now` are applied at once,
    /// as the scene would).
    pub fn from_state(start: impl Into<Arc<SceneState>>, events: impl Into<Arc<[Stamped]>>) -> Self {
        Self { start: start.into(), events: events.into() }
    }

    /// A world where nothing more happens: what a caller that only knows the newest state has.
    pub fn still(state: impl Into<Arc<SceneState>>) -> Self {
        Self::from_state(state, Vec::new())
    }

    /// The world before the first event.
    pub fn start(&self) -> &SceneState {
        &self.start
    }

    /// The events after the start, in order.
    pub fn events(&self) -> &[Stamped] {
        &self.events
    }

    /// Tick of the last event (or of the start when there is none).
    pub fn last_tick(&self) -> Tick {
        self.events.last().map_or(self.start.now(), |s| s.tick)
    }

    /// Tick of the first event stamped at or after `tick`, if any: where the world next changes.
    pub fn next_change(&self, tick: f64) -> Option<Tick> {
        self.events.iter().map(|s| s.tick).find(|&t| t as f64 >= tick)
    }

    /// A cursor at the start, to be moved forward.
    pub fn playhead(&self) -> Playhead<'_> {
        Playhead { state: (*self.start).clone(), events: &self.events, next: 0 }
    }

    /// The world at `tick` (every event stamped at or before it applied).
    pub fn state_at(&self, tick: f64) -> SceneState {
        let mut p = self.playhead();
        p.at(tick);
        p.state
    }
}

/// A [`Timeline`] replayed forward (time only moves forward).
pub struct Playhead<'a> {
    state: SceneState,
    events: &'a [Stamped],
    next: usize,
}

impl Playhead<'_> {
    /// The world at `tick` (fractional for frames between ticks): every event stamped at or
    /// before it applied. Events that do not apply (a bad log) are skipped with a warning, so a
    /// preview shows what it can. Asking for an earlier tick than before gives the later world.
    pub fn at(&mut self, tick: f64) -> &SceneState {
        while let Some(s) = self.events.get(self.next) {
            if s.tick as f64 > tick {
                break;
            }
            if let Err(e) = self.state.apply_stamped(s) {
                tracing::warn!(tick = s.tick, "skipping event that does not apply: {e}");
            }
            self.next += 1;
        }
        &self.state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use campfire_scene::{Appearance, Event, Kind, Spot};

    #[test]
    fn events_take_effect_at_their_tick() {
        let log = vec![
            Stamped {
                tick: 0,
                event: Event::Add {
                    id: "a".into(),
                    name: "A".into(),
                    kind: Kind::Cat,
                    appearance: Appearance::default(),
                },
            },
            Stamped { tick: 10, event: Event::Enter { id: "a".into(), at: Spot::Left.position() } },
        ];
        let t = Timeline::new(Stage::default(), log);
        let mut p = t.playhead();
        assert!(p.at(9.5).pose_at(9.5).entities.is_empty());
        assert_eq!(p.at(10.0).pose_at(10.0).entities.len(), 1);
        assert_eq!(t.last_tick(), 10);
        assert_eq!(t.next_change(0.5), Some(10));
        assert_eq!(t.next_change(10.5), None);
        assert_eq!(t.state_at(10.0).pose_at(10.0).entities.len(), 1);
        // Clones share the log.
        let u = t.clone();
        assert!(std::ptr::eq(t.events().as_ptr(), u.events().as_ptr()));
    }
}
