//! The world as heard: the story's events re-stamped on the audio clock.
//!
//! The runtime runs ahead of playback (lines are synthesised ahead) and stamps its events with
//! an estimate of how long lines take. The session takes those events and stamps them again at
//! the moment the line they precede is actually heard; [`World::at`] then gives the world at any
//! tick of the audio clock, so the picture during line N is line N's world even when line N+1's
//! events are already known. Applied events are dropped, so memory stays flat however long the
//! story runs.

use campfire_render::Timeline;
use campfire_scene::{Event, SceneState, Stamped, Tick};
use std::collections::VecDeque;

pub struct World {
    state: SceneState,
    pending: VecDeque<Stamped>,
    /// The world at each choice answered, for "go back".
    undo: Vec<SceneState>,
}

/// Choice points "go back" can return to (the runtime keeps as many).
const UNDO_DEPTH: usize = 32;

impl World {
    /// Starts from the runtime's initial world (cast added, variables set) at tick 0.
    pub fn new(initial: SceneState) -> Self {
        Self { state: initial, pending: VecDeque::new(), undo: Vec::new() }
    }

    /// Schedules an event at `tick` of the audio clock (never before one already scheduled).
    pub fn schedule(&mut self, tick: Tick, event: Event) {
        let floor = self.pending.back().map_or(self.state.now(), |s| s.tick);
        self.pending.push_back(Stamped { tick: tick.max(floor), event });
    }

    /// The world's time: frames up to it may already be drawn, so an event scheduled now shows
    /// after it.
    pub fn now(&self) -> Tick {
        self.state.now()
    }

    /// The tick of the last event scheduled (or the world's time).
    pub fn last_tick(&self) -> Tick {
        self.pending.back().map_or(self.state.now(), |s| s.tick)
    }

    /// The world at `tick`: every event scheduled at or before it applied. Time never goes back.
    pub fn at(&mut self, tick: f64) -> &SceneState {
        while let Some(s) = self.pending.front() {
            if s.tick as f64 > tick {
                break;
            }
            let s = self.pending.pop_front().expect("front exists");
            if let Err(e) = self.state.apply_stamped(&s) {
                tracing::warn!(tick = s.tick, "event does not apply to the world as heard: {e}");
            }
        }
        let whole = tick.max(0.0).floor() as Tick;
        self.state.advance_to(whole);
        &self.state
    }

    /// The world from now until `tick` as a timeline, without moving time: the world now and
    /// the events scheduled up to `tick`. What a picture drawn ahead of the clock must show.
    pub fn ahead(&self, tick: f64) -> Timeline {
        let events: Vec<Stamped> = self.pending.iter().take_while(|s| s.tick as f64 <= tick).cloned().collect();
        Timeline::from_state(self.state.clone(), events)
    }

    /// Remembers the world as it is now, when a choice is answered.
    pub fn checkpoint(&mut self) {
        self.undo.push(self.state.clone());
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
    }

    /// Back to the world of the last checkpoint, at the current time (frames shown stay shown).
    pub fn go_back(&mut self) -> bool {
        let Some(mut previous) = self.undo.pop() else { return false };
        previous.advance_to(self.state.now().max(self.last_tick()));
        self.pending.clear();
        self.state = previous;
        true
    }

    /// Events still waiting for their tick.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use campfire_scene::{Appearance, Kind, Spot};

    #[test]
    fn future_events_stay_out_of_the_present() {
        let mut state = SceneState::default();
        state
            .apply(&Event::Add { id: "a".into(), name: "A".into(), kind: Kind::Cat, appearance: Appearance::default() })
            .unwrap();
        let mut w = World::new(state);
        w.schedule(48, Event::Enter { id: "a".into(), at: Spot::Left.position() });
        assert!(w.at(47.0).pose_at(47.0).entities.is_empty());
        assert_eq!(w.at(48.0).pose_at(48.0).entities.len(), 1);
        assert_eq!(w.pending(), 0);
        w.checkpoint();
        w.schedule(60, Event::Exit { id: "a".into() });
        assert!(w.at(61.0).pose_at(61.0).entities.is_empty());
        assert!(w.go_back());
        assert_eq!(w.at(62.0).pose_at(62.0).entities.len(), 1);
    }
}
