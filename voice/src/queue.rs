//! The narration queue: lines are synthesised ahead of time on a worker thread while the
//! previous line plays.
//!
//! Two bounded channels: requests in (lines and setting changes, in order) and utterances out.
//! The output channel holds only `ahead` finished lines, so the worker never runs far ahead of
//! the player (a "slower" command takes effect within a line or two, and memory stays small).
//!
//! A queue made with [`NarrationQueue::streaming`] also hands over each clause as soon as it is
//! synthesised ([`Part::Clause`]), so a player can start the first clause of a long line while the
//! rest is made; the whole line ([`Part::Line`]) follows as before.

use crate::synth::{Synthesize, Utterance, VoiceError, VoiceSettings};
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, TrySendError, bounded};
use std::thread::JoinHandle;
use std::time::Duration;

enum Request {
    Line { id: u64, text: String },
    Settings(VoiceSettings),
}

/// A finished line or clause (or why the line failed), tagged with the id
/// [`NarrationQueue::push`] gave the line.
#[derive(Debug)]
pub struct Ready {
    pub id: u64,
    pub part: Part,
    pub result: Result<Utterance, VoiceError>,
}

/// What a [`Ready`] holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Clause `n` (from 0) of the line: its audio, word times from the clause's own start. Only
    /// from a [`NarrationQueue::streaming`] queue, before the line's [`Part::Line`].
    Clause(usize),
    /// The whole line (its audio is the clauses' audio, one after the other).
    Line,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum QueueError {
    #[error("the narration queue is full ({0} lines waiting); play some first")]
    Full(usize),
    #[error("the narration worker has stopped")]
    Stopped,
}

pub struct NarrationQueue {
    requests: Option<Sender<Request>>,
    ready: Option<Receiver<Ready>>,
    worker: Option<JoinHandle<()>>,
    next_id: u64,
    capacity: usize,
}

impl NarrationQueue {
    /// Starts the worker. `ahead` is how many finished lines may wait (at least 1).
    pub fn new(synth: Box<dyn Synthesize>, ahead: usize) -> Self {
        Self::start(synth, ahead, false)
    }

    /// Like [`NarrationQueue::new`], but each clause is also handed over as soon as it is made.
    pub fn streaming(synth: Box<dyn Synthesize>, ahead: usize) -> Self {
        Self::start(synth, ahead, true)
    }

    fn start(mut synth: Box<dyn Synthesize>, ahead: usize, clauses: bool) -> Self {
        let ahead = ahead.max(1);
        let capacity = ahead * 4;
        let (req_tx, req_rx) = bounded::<Request>(capacity);
        // Clauses count against the hand-over too; a line rarely has more than eight.
        let (out_tx, out_rx) = bounded::<Ready>(if clauses { ahead * 8 } else { ahead });
        let worker = std::thread::Builder::new()
            .name("narration".into())
            .spawn(move || {
                for req in req_rx {
                    match req {
                        Request::Settings(s) => {
                            if let Err(e) = synth.set_settings(s) {
                                tracing::warn!("voice settings rejected: {e}");
                            }
                        }
                        Request::Line { id, text } => {
                            let _span = tracing::debug_span!("synthesise", id).entered();
                            let mut hung_up = false;
                            let result = if clauses {
                                let mut n = 0;
                                synth.synthesize_streaming(&text, &mut |clause| {
                                    let ready = Ready { id, part: Part::Clause(n), result: Ok(clause.clone()) };
                                    hung_up |= out_tx.send(ready).is_err();
                                    n += 1;
                                })
                            } else {
                                synth.synthesize(&text)
                            };
                            // The player hung up: nothing left to do.
                            if hung_up || out_tx.send(Ready { id, part: Part::Line, result }).is_err() {
                                return;
                            }
                        }
                    }
                }
            })
            .ok();
        if worker.is_none() {
            tracing::error!("could not start the narration thread");
        }
        NarrationQueue { requests: Some(req_tx), ready: Some(out_rx), worker, next_id: 0, capacity }
    }

    /// Queues a line; returns its id. Never blocks: a full queue is an error.
    pub fn push(&mut self, text: impl Into<String>) -> Result<u64, QueueError> {
        let id = self.next_id;
        self.send(Request::Line { id, text: text.into() })?;
        self.next_id += 1;
        Ok(id)
    }

    /// Changes the voice for lines queued after this call.
    pub fn set_settings(&mut self, settings: VoiceSettings) -> Result<(), QueueError> {
        self.send(Request::Settings(settings))
    }

    fn send(&self, req: Request) -> Result<(), QueueError> {
        let tx = self.requests.as_ref().ok_or(QueueError::Stopped)?;
        if self.worker.is_none() {
            return Err(QueueError::Stopped);
        }
        tx.try_send(req).map_err(|e| match e {
            TrySendError::Full(_) => QueueError::Full(self.capacity),
            TrySendError::Disconnected(_) => QueueError::Stopped,
        })
    }

    /// The next finished line, waiting at most `timeout`. `Ok(None)` on time-out.
    pub fn next(&self, timeout: Duration) -> Result<Option<Ready>, QueueError> {
        let rx = self.ready.as_ref().ok_or(QueueError::Stopped)?;
        match rx.recv_timeout(timeout) {
            Ok(r) => Ok(Some(r)),
            Err(RecvTimeoutError::Timeout) => Ok(None),
            Err(RecvTimeoutError::Disconnected) => Err(QueueError::Stopped),
        }
    }
}

impl Drop for NarrationQueue {
    fn drop(&mut self) {
        // Close requests first, then the output (unblocking a worker waiting to hand a line
        // over), then wait for the worker; it finishes at most the line it is on.
        self.requests.take();
        self.ready.take();
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::espeak::Espeak;

    #[test]
    fn lines_come_back_in_order_with_audio() {
        let synth = Espeak::new(VoiceSettings::default()).expect("espeak-ng");
        let mut q = NarrationQueue::new(Box::new(synth), 2);
        let a = q.push("Once upon a time.").unwrap();
        q.set_settings(VoiceSettings::default().faster(100)).unwrap();
        let b = q.push("Once upon a time.").unwrap();
        let first = q.next(Duration::from_secs(20)).unwrap().unwrap();
        let second = q.next(Duration::from_secs(20)).unwrap().unwrap();
        assert_eq!((first.id, second.id), (a, b));
        let (d1, d2) = (first.result.unwrap().duration(), second.result.unwrap().duration());
        // The faster voice says the same line in less time.
        assert!(d2 < d1 * 0.85, "{d1} vs {d2}");
    }

    #[test]
    fn a_streaming_queue_hands_over_clauses_then_the_line() {
        let synth = Espeak::new(VoiceSettings::default()).expect("espeak-ng");
        let mut q = NarrationQueue::streaming(Box::new(synth), 2);
        let id = q.push("Once upon a time, a dragon woke up.").unwrap();
        let mut parts = Vec::new();
        let mut clause_secs = 0.0;
        loop {
            let r = q.next(Duration::from_secs(20)).unwrap().unwrap();
            assert_eq!(r.id, id);
            parts.push(r.part);
            let u = r.result.unwrap();
            if r.part == Part::Line {
                assert!((u.duration() - clause_secs).abs() < 0.01, "{} vs {clause_secs}", u.duration());
                break;
            }
            clause_secs += u.duration();
        }
        assert_eq!(parts, vec![Part::Clause(0), Part::Clause(1), Part::Line]);
    }

    #[test]
    fn empty_line_is_an_error_not_a_hang() {
        let synth = Espeak::new(VoiceSettings::default()).expect("espeak-ng");
        let mut q = NarrationQueue::new(Box::new(synth), 1);
        q.push("...").unwrap();
        let r = q.next(Duration::from_secs(20)).unwrap().unwrap();
        assert!(matches!(r.result, Err(VoiceError::EmptyText)));
    }

    #[test]
    fn full_queue_says_so() {
        let synth = Espeak::new(VoiceSettings::default()).expect("espeak-ng");
        let mut q = NarrationQueue::new(Box::new(synth), 1);
        let mut full = false;
        for _ in 0..50 {
            if let Err(e) = q.push("A fairly long line of narration, to keep the worker busy for a while.") {
                assert_eq!(e, QueueError::Full(4));
                full = true;
                break;
            }
        }
        assert!(full);
    }
}
