//! The persistent scene state: who and what exists, where, how they look and what they do.
//!
//! [`SceneState`] is the single source of truth shared by the story runtime, the generator and
//! the app. It changes only through [`Event`]s applied by [`SceneState::apply`], so a story is
//! replayed exactly from its [`EventLog`]. Time advances in fixed [`Tick`]s
//! ([`TICKS_PER_SECOND`]); motion is stored as a [`Motion`] so that [`SceneState::pose_at`] can
//! give the world at any frame of a chunk, between ticks included.
//!
//! Entities that leave the stage stay in the state with their appearance (object permanence by
//! construction): an exit only clears `on_stage`.

mod event;
mod state;
mod types;

pub use event::{Event, EventLog, Stamped};
pub use state::{Entity, Motion, Pose, PosedEntity, SceneError, SceneState};
pub use types::{
    Action, Appearance, Camera, Color, Kind, MoonPhase, Position, Setting, Spot, Stage, TimeOfDay, Value, Weather,
};

/// One tick of story time. The generator renders at 12 fps, i.e. two ticks per frame.
pub type Tick = u64;

/// Ticks per second of story time.
pub const TICKS_PER_SECOND: u64 = 24;

/// Converts seconds to the nearest whole number of ticks (never negative).
pub fn secs_to_ticks(secs: f32) -> Tick {
    (secs.max(0.0) * TICKS_PER_SECOND as f32).round() as Tick
}
