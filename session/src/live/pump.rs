//! One turn of the live loop, on the audio clock: answers in, the story moved to the position
//! heard, events out, the sound pulled to the position plus a lead, and the frames now due.
//!
//! Every player of a session turns it with this: the window and the terminal (through
//! [`super::Live`]'s session thread, in real time), headless runs ([`crate::headless`], one
//! video frame at a time, as fast as the machine allows) and `campfire bench session`. Only
//! how the position moves and who draws the frames differ.

use super::{FromSession, ToSession};
use crate::session::{Session, SessionError, SessionEvent};
use crate::track::secs_to_samples;
use campfire_scene::SceneState;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A frame to draw: its number and the world as heard at its time.
pub struct FrameRequest {
    pub index: u64,
    pub state: SceneState,
    pub requested: Instant,
}

/// The loop's own state between turns: which frame is next, and where saves go.
pub struct Pump {
    fps: u32,
    next_frame: u64,
    save: Option<PathBuf>,
}

impl Pump {
    /// `save`: where the autosave goes at each offer of choices (none: no autosave).
    pub fn new(fps: u32, save: Option<PathBuf>) -> Self {
        Self { fps: fps.max(1), next_frame: 0, save }
    }

    pub fn fps(&self) -> u32 {
        self.fps
    }

    /// An answer: typed, clicked, or a recording of the child (16 kHz mono). A recording that
    /// cannot be heard is a notice, not the end of the story.
    pub fn answer(&mut self, session: &mut Session, answer: ToSession) -> Result<Vec<FromSession>, SessionError> {
        let events = match answer {
            ToSession::Answer { text, .. } => session.answer_text(&text)?,
            ToSession::Speech(samples) => match session.answer_speech(&samples, false) {
                Ok(events) => events,
                Err(e) => {
                    tracing::warn!("a spoken answer could not be understood: {e}");
                    vec![SessionEvent::Notice { at: session.position(), text: format!("I could not hear that: {e}") }]
                }
            },
        };
        Ok(self.publish(session, events))
    }

    /// Moves the story to `position` (seconds heard). Lines due within `lead` are placed if
    /// their sound is ready; `wait` is how long to wait for one that is not (zero live; a
    /// simulated clock waits, so its runs are the same every time).
    pub fn tick(
        &mut self,
        session: &mut Session,
        position: f64,
        lead: f64,
        wait: Duration,
    ) -> Result<Vec<FromSession>, SessionError> {
        let events = session.update(position, lead, wait)?;
        Ok(self.publish(session, events))
    }

    /// The session's sound from what was pulled up to `position + lead`: the player plays it
    /// after what it has (the track must be pulled even where nobody listens, or it would grow).
    pub fn sound(&self, session: &mut Session, position: f64, lead: f64) -> Vec<f32> {
        let want = secs_to_samples(position + lead);
        let have = secs_to_samples(session.audio_pulled());
        if want <= have {
            return Vec::new();
        }
        session.pull_audio((want - have) as usize)
    }

    /// Offers `send` the frames due from `position` to `position + lead`, in order, until it
    /// takes no more (a busy picture). Frames already past are skipped, not drawn late; the
    /// number skipped is returned.
    pub fn frames(
        &mut self,
        session: &mut Session,
        position: f64,
        lead: f64,
        mut send: impl FnMut(FrameRequest) -> bool,
    ) -> u64 {
        let fps = f64::from(self.fps);
        let due = (position * fps).floor() as u64;
        let mut skipped = 0;
        if self.next_frame < due {
            skipped = due - self.next_frame;
            self.next_frame = due;
        }
        while (self.next_frame as f64) < (position + lead) * fps {
            let secs = self.next_frame as f64 / fps;
            let state = session.world_at(secs).clone();
            if !send(FrameRequest { index: self.next_frame, state, requested: Instant::now() }) {
                break;
            }
            self.next_frame += 1;
        }
        skipped
    }

    /// The session's events for the player, with the autosave made at each offer of choices.
    fn publish(&mut self, session: &Session, events: Vec<SessionEvent>) -> Vec<FromSession> {
        let mut out = Vec::with_capacity(events.len());
        for e in events {
            match &e {
                SessionEvent::ChoicesOffered { .. } => out.extend(self.autosave(session)),
                SessionEvent::Ended { .. } => {
                    // A finished story has nothing to continue.
                    if let Some(path) = &self.save {
                        let _ = std::fs::remove_file(path);
                    }
                }
                _ => {}
            }
            out.push(FromSession::Event(e));
        }
        out
    }

    /// At an offer of choices the runtime waits at the choice point: a save made now resumes
    /// exactly there. Written atomically (temp file + rename) by the story crate.
    fn autosave(&self, session: &Session) -> Option<FromSession> {
        let path = self.save.clone()?;
        match campfire_story::save::save(session.runtime(), &path) {
            Ok(()) => Some(FromSession::Saved(path)),
            Err(e) => {
                tracing::warn!("autosave failed: {e}");
                None
            }
        }
    }
}
