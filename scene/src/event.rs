//! Typed events: the only way the world changes.

use crate::Tick;
use crate::types::{Action, Appearance, Kind, Position, Setting, TimeOfDay, Value, Weather};
use serde::{Deserialize, Serialize};

/// A change to the world. Applied by [`crate::SceneState::apply`] and nothing else.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// Brings a new entity into the world, off stage. Ids are stable for the whole story.
    Add {
        id: String,
        name: String,
        kind: Kind,
        appearance: Appearance,
    },
    /// Puts an entity on stage at a position.
    Enter {
        id: String,
        at: Position,
    },
    /// Takes an entity off stage; it keeps its look and last place.
    Exit {
        id: String,
    },
    /// Moves an entity to a position over `ticks` (0 = at once).
    MoveTo {
        id: String,
        to: Position,
        ticks: Tick,
    },
    /// Starts an action (walk, fly, sleep …).
    Act {
        id: String,
        action: Action,
    },
    /// Changes what an entity is (a seed becomes a sprout); it keeps its id and colors.
    Become {
        id: String,
        kind: Kind,
    },
    /// Changes how an entity looks.
    Restyle {
        id: String,
        appearance: Appearance,
    },
    SetSetting(Setting),
    SetTime(TimeOfDay),
    SetWeather(Weather),
    /// Pans and zooms the camera over `ticks`.
    Camera {
        x: f32,
        zoom: f32,
        ticks: Tick,
    },
    /// Someone speaks; `who` is `None` for the narrator. An idle speaker starts talking; a busy
    /// one keeps doing what it does.
    Say {
        who: Option<String>,
        text: String,
    },
    SetVar {
        name: String,
        value: Value,
    },
}

impl Event {
    /// The entity an event is about, if any.
    pub fn subject(&self) -> Option<&str> {
        match self {
            Event::Add { id, .. }
            | Event::Enter { id, .. }
            | Event::Exit { id }
            | Event::MoveTo { id, .. }
            | Event::Act { id, .. }
            | Event::Become { id, .. }
            | Event::Restyle { id, .. } => Some(id),
            Event::Say { who, .. } => who.as_deref(),
            _ => None,
        }
    }
}

/// An event with the tick at which it happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stamped {
    pub tick: Tick,
    pub event: Event,
}

/// Everything that happened, in order. Replaying it on a fresh state gives the same world.
pub type EventLog = Vec<Stamped>;
