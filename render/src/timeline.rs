//! Plays an event log forward in time, for previews and datasets: the world at any frame.

use campfire_scene::{SceneState, Stage, Stamped, Tick};

/// A scene replayed from a log, advanced frame by frame (time only moves forward).
pub struct Timeline<'a> {
    state: SceneState,
    log: &'a [Stamped],
    next: usize,
}

impl<'a> Timeline<'a> {
    /// Starts from an empty world on `stage`, before the first event of `log`.
    pub fn new(stage: Stage, log: &'a [Stamped]) -> Self {
        Self { state: SceneState::new(stage), log, next: 0 }
    }

    /// Tick of the last event.
    pub fn last_tick(&self) -> Tick {
        self.log.last().map_or(0, |s| s.tick)
    }

    /// The world at `tick` (fractional for frames between ticks): every event stamped at or
    /// before it applied. Events that do not apply (a bad log) are skipped with a warning, so a
    /// preview shows what it can.
    pub fn at(&mut self, tick: f64) -> &SceneState {
        while let Some(s) = self.log.get(self.next) {
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
            Stamped { tick: 0, event: Event::Add { id: "a".into(), name: "A".into(), kind: Kind::Cat, appearance: Appearance::default() } },
            Stamped { tick: 10, event: Event::Enter { id: "a".into(), at: Spot::Left.position() } },
        ];
        let mut t = Timeline::new(Stage::default(), &log);
        assert!(t.at(9.5).pose_at(9.5).entities.is_empty());
        assert_eq!(t.at(10.0).pose_at(10.0).entities.len(), 1);
        assert_eq!(t.last_tick(), 10);
    }
}
