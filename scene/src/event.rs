//! Typed events: the only way the world changes.

use crate::Tick;
use crate::types::{Action, Appearance, Kind, MoonPhase, Position, Setting, TimeOfDay, Value, Weather};
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
    /// The moon's phase: every moon on stage is drawn lit this much.
    SetMoon(MoonPhase),
    /// `holder` takes `item` in hand: the item comes on stage, drawn at the holder's hand, and
    /// the holder's action becomes `Hold`. An `Enter` or `MoveTo` of the item lets go of it.
    Hold {
        holder: String,
        item: String,
    },
    /// What `from` holds passes to `to` (`from` gives, `to` holds).
    Give {
        from: String,
        to: String,
    },
    /// `holder` puts down what it holds, at its feet.
    Drop {
        holder: String,
    },
    /// An action aimed at another entity (point at, look at, give to): the figure turns to it.
    ActAt {
        id: String,
        action: Action,
        target: String,
    },
    /// A title card over the whole picture; empty text takes it away.
    Title {
        text: String,
    },
    /// A caption along the bottom of the picture; empty text takes it away.
    Caption {
        text: String,
    },
    /// A label with an arrow pointing at an entity; empty text takes it away.
    Label {
        id: String,
        text: String,
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
            | Event::Restyle { id, .. }
            | Event::ActAt { id, .. }
            | Event::Label { id, .. } => Some(id),
            Event::Hold { holder, .. } | Event::Drop { holder } => Some(holder),
            Event::Give { from, .. } => Some(from),
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
