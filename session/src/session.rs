//! The session: one story told on one clock.
//!
//! The caller owns the clock: it plays [`Session::pull_audio`] (speakers, or a video writer)
//! and passes the position of the sample being heard to [`Session::update`], which returns what
//! happened up to then. Story time *is* that position: each line's events are stamped at the
//! moment its audio starts, so a slower narrator makes everything happen later, and the world
//! drawn for a frame ([`Session::world_at`]) is the world of the line heard at that frame.
//!
//! The runtime runs ahead of playback: lines are queued for synthesis a few at a time
//! ([`NarrationQueue`]), each with its speaker's voice, and placed on the audio stream when they
//! are ready. Answers (typed, or spoken and transcribed) go through one matcher
//! ([`crate::answer::interpret`]) and become a story step: a choice, a command, "go back", a
//! change of the world, or a spoken re-prompt.

use crate::answer::{choice_options, interpret};
use crate::track::{Track, samples_to_secs, secs_to_samples};
use crate::voices::settings_for;
use crate::world::World;
use campfire_intent::{Command, Outcome, Recognized, safety};
use campfire_scene::{Event, SceneState, TICKS_PER_SECOND, Tick};
use campfire_story::{LineView, Output, Params, Runtime, VoiceSpec as Voice};
use campfire_voice::queue::{NarrationQueue, QueueError};
use campfire_voice::{Synthesize, Transcriber, WordTiming};
use serde::Serialize;
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Runtime(#[from] campfire_story::RuntimeError),
    #[error("the value for `{param}` can't be used in a story: {why}")]
    UnsafeParam { param: String, why: &'static str },
    #[error("narration: {0}")]
    Queue(#[from] QueueError),
    #[error("speech recognition: {0}")]
    Transcribe(#[from] campfire_voice::TranscribeError),
    #[error("spoken answers need the whisper model, and none was given")]
    NoTranscriber,
}

/// How the session tells.
#[derive(Clone, Debug)]
pub struct SessionConfig {
    /// The narrator's pace relative to the story's voices (1.0: as written).
    pub speed_scale: f32,
    /// Finished lines kept ready ahead of playback.
    pub ahead: usize,
    /// Pause between two lines, in seconds.
    pub gap_secs: f64,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self { speed_scale: 1.0, ahead: 3, gap_secs: 0.35 }
    }
}

/// What happened, in clock order; `at` is seconds on the audio clock.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SessionEvent {
    /// A line starts being heard (subtitles: `words` are seconds from `at`).
    LineStarted {
        id: u64,
        at: f64,
        speaker: Option<String>,
        text: String,
        duration: f64,
        words: Vec<WordTiming>,
    },
    /// More of a line's words, timed from `at` (a line is synthesised in two parts).
    LineWords {
        id: u64,
        at: f64,
        words: Vec<WordTiming>,
    },
    LineEnded {
        id: u64,
        at: f64,
    },
    /// Choices on offer (again after a re-prompt); answers are taken from now.
    ChoicesOffered {
        at: f64,
        beat: String,
        choices: Vec<String>,
    },
    /// An answer was understood (or not); `transcript` is empty when the filter withheld it.
    Heard {
        at: f64,
        transcript: String,
        outcome: Outcome,
        confidence: f32,
    },
    /// A command for the player: pause, resume, louder, quieter.
    Player {
        at: f64,
        command: Command,
    },
    /// Something the family should know (a line withheld by the filter, a voice that failed).
    Notice {
        at: f64,
        text: String,
    },
    Ended {
        at: f64,
        name: String,
        beat: String,
    },
    /// The first change an answer (a choice or a free command) makes to the world happens at
    /// `at`: from that frame on the picture shows it (the answer-to-picture latency ends there).
    Effect {
        at: f64,
    },
}

/// One answer, for reports.
#[derive(Clone, Debug, Serialize)]
pub struct Turn {
    /// Clock time at which the answer was complete.
    pub at: f64,
    pub beat: String,
    pub spoken: bool,
    pub heard: String,
    pub outcome: Outcome,
    pub confidence: f32,
    /// Transcription and understanding time (wall clock), spoken answers only.
    pub recognise_ms: Option<f64>,
}

/// One line as it was placed on the clock, for reports.
#[derive(Clone, Debug, Serialize)]
pub struct LineRecord {
    pub id: u64,
    pub speaker: Option<String>,
    pub text: String,
    pub start: f64,
    pub duration: f64,
    /// Wall time from queueing the line to its audio being ready.
    pub synth_ms: f64,
    pub beat: String,
}

/// Something to place on the clock, in story order.
enum Item {
    /// A line's first clause (`queue_id`) and the rest of it (`rest`, if any), synthesised
    /// apart so that the first sound of a beat is ready after one short clause.
    Line {
        queue_id: u64,
        rest: Option<u64>,
        events: Vec<(Tick, Event)>,
        wait: Tick,
        line: LineView,
        beat: String,
    },
    /// The rest of the line just placed, right after its first clause, with the line's events
    /// that come after its end (offsets from that end).
    Rest {
        queue_id: u64,
        line_id: u64,
        after: Vec<(Tick, Event)>,
    },
    Offer {
        events: Vec<(Tick, Event)>,
    },
    End {
        events: Vec<(Tick, Event)>,
        name: String,
        beat: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// The runtime is moving; items are being made.
    Telling,
    /// The runtime waits at a choice (its offer is queued or placed).
    Asking,
    /// The end is queued or placed.
    Ending,
}

pub struct Session {
    rt: Runtime,
    config: SessionConfig,
    queue: NarrationQueue,
    /// Finished syntheses by queue id, and when each line was queued.
    ready: HashMap<u64, (campfire_voice::queue::Ready, Instant, Instant)>,
    queued_at: HashMap<u64, Instant>,
    script: VecDeque<Item>,
    phase: Phase,
    /// Log entries of the runtime already taken into the world.
    log_seen: usize,
    world: World,
    track: Track,
    /// Earliest clock time (s) the next item may start.
    cursor: f64,
    /// Events placed but not yet reached by the clock.
    due: VecDeque<SessionEvent>,
    /// Last position given to `update`.
    position: f64,
    /// Choices are on offer and the clock has reached them.
    offered: bool,
    ended: bool,
    voice_now: Option<Voice>,
    last_line: Option<LineView>,
    turns: Vec<Turn>,
    lines: Vec<LineRecord>,
    transcriber: Option<Transcriber>,
    next_line_id: u64,
    /// Events of withheld lines, waiting for the next item.
    carried: Vec<(Tick, Event)>,
    /// An answer was applied and its first change to the world is not yet scheduled.
    effect_pending: bool,
}

/// Parts of lines queued for synthesis but not yet placed before another line is queued: bounds
/// the queue's request slots (a line takes up to three: voice settings and two parts).
const IN_FLIGHT: usize = 4;

fn at_of(event: &SessionEvent) -> f64 {
    match event {
        SessionEvent::LineStarted { at, .. }
        | SessionEvent::LineEnded { at, .. }
        | SessionEvent::LineWords { at, .. }
        | SessionEvent::ChoicesOffered { at, .. }
        | SessionEvent::Heard { at, .. }
        | SessionEvent::Player { at, .. }
        | SessionEvent::Notice { at, .. }
        | SessionEvent::Ended { at, .. }
        | SessionEvent::Effect { at } => *at,
    }
}

/// Checks every parameter with the kid-safe filter: they are spoken and shown.
pub fn check_params(params: &Params) -> Result<(), SessionError> {
    for (k, v) in params {
        if let safety::Verdict::Unsafe { reason, .. } = safety::check_name(v) {
            return Err(SessionError::UnsafeParam { param: k.clone(), why: reason.describe() });
        }
    }
    Ok(())
}

fn ticks_to_secs(t: Tick) -> f64 {
    t as f64 / TICKS_PER_SECOND as f64
}

fn secs_to_tick(s: f64) -> Tick {
    (s.max(0.0) * TICKS_PER_SECOND as f64).round() as Tick
}

impl Session {
    /// Starts a story (already checked by the caller's loader). `synth` speaks every voice;
    /// `transcriber` is needed only for spoken answers.
    pub fn new(
        rt: Runtime,
        synth: Box<dyn Synthesize>,
        transcriber: Option<Transcriber>,
        config: SessionConfig,
    ) -> Result<Session, SessionError> {
        check_params(rt.params())?;
        let world = World::new(rt.state().clone());
        let log_seen = rt.log().len();
        Ok(Session {
            queue: NarrationQueue::new(synth, config.ahead),
            rt,
            config,
            ready: HashMap::new(),
            queued_at: HashMap::new(),
            script: VecDeque::new(),
            phase: Phase::Telling,
            log_seen,
            world,
            track: Track::new(),
            cursor: 0.0,
            due: VecDeque::new(),
            position: 0.0,
            offered: false,
            ended: false,
            voice_now: None,
            last_line: None,
            turns: Vec::new(),
            lines: Vec::new(),
            transcriber,
            next_line_id: 0,
            carried: Vec::new(),
            effect_pending: false,
        })
    }

    pub fn runtime(&self) -> &Runtime {
        &self.rt
    }
    pub fn turns(&self) -> &[Turn] {
        &self.turns
    }
    pub fn lines(&self) -> &[LineRecord] {
        &self.lines
    }
    /// Whether choices are on offer now.
    pub fn is_asking(&self) -> bool {
        self.offered
    }
    pub fn is_ended(&self) -> bool {
        self.ended
    }
    pub fn position(&self) -> f64 {
        self.position
    }
    pub fn has_transcriber(&self) -> bool {
        self.transcriber.is_some()
    }

    /// The next `n` samples of the session's sound ([`SAMPLE_RATE`] Hz mono); the player's
    /// position in them is the clock.
    pub fn pull_audio(&mut self, n: usize) -> Vec<f32> {
        self.track.pulled();
        self.track.pull(n)
    }

    /// Seconds of sound pulled so far.
    pub fn audio_pulled(&self) -> f64 {
        samples_to_secs(self.track.pulled())
    }

    /// The world to draw at clock time `secs`.
    pub fn world_at(&mut self, secs: f64) -> &SceneState {
        self.world.at(secs * TICKS_PER_SECOND as f64)
    }

    /// The world as heard, for the picture.
    pub fn world(&mut self) -> &mut World {
        &mut self.world
    }

    /// Moves the clock to `position` (seconds of sound heard) and returns what happened. Lines
    /// whose turn comes within `lead` seconds are placed if their audio is ready; `wait` is how
    /// long to wait for one that is not (zero live; a simulated clock waits, so its runs are the
    /// same every time).
    pub fn update(&mut self, position: f64, lead: f64, wait: Duration) -> Result<Vec<SessionEvent>, SessionError> {
        self.position = self.position.max(position);
        self.fill()?;
        self.place(lead, wait)?;
        let mut out = Vec::new();
        while let Some(e) = self.due.front() {
            if at_of(e) > self.position + 1e-9 {
                break;
            }
            let e = self.due.pop_front().expect("front exists");
            match &e {
                SessionEvent::ChoicesOffered { .. } => self.offered = true,
                SessionEvent::Ended { .. } => self.ended = true,
                _ => {}
            }
            out.push(e);
        }
        Ok(out)
    }

    /// Runs the story forward, queueing lines for synthesis, while few are in flight.
    fn fill(&mut self) -> Result<(), SessionError> {
        while self.phase == Phase::Telling && self.queued_at.len() + self.ready.len() < IN_FLIGHT {
            let t0 = self.rt.now();
            let output = self.rt.next()?;
            let events = self.take_events(t0);
            let beat = self.rt.beat_id().to_string();
            match output {
                Output::Line(line) => {
                    let wait = line.start.saturating_sub(t0);
                    let Some(line) = self.filtered(line) else {
                        // The withheld line's events still happen: keep them with the next item.
                        self.carry(events);
                        continue;
                    };
                    let (queue_id, rest) = self.speak(&line)?;
                    self.script.push_back(Item::Line { queue_id, rest, events, wait, line, beat });
                }
                Output::Choices(_) => {
                    self.phase = Phase::Asking;
                    self.script.push_back(Item::Offer { events });
                }
                Output::End(end) => {
                    self.phase = Phase::Ending;
                    self.script.push_back(Item::End { events, name: end.name, beat: end.beat });
                }
            }
        }
        Ok(())
    }

    /// Events of a withheld line go with whatever comes next.
    fn carry(&mut self, events: Vec<(Tick, Event)>) {
        self.carried.extend(events);
    }

    /// The runtime's new events, with their offsets from `t0` in story ticks.
    fn take_events(&mut self, t0: Tick) -> Vec<(Tick, Event)> {
        let log = self.rt.log();
        let mut out: Vec<(Tick, Event)> = std::mem::take(&mut self.carried);
        out.extend(log[self.log_seen.min(log.len())..].iter().map(|s| (s.tick.saturating_sub(t0), s.event.clone())));
        self.log_seen = log.len();
        out
    }

    /// The line with the kid-safe filter applied: `None` when it must be neither said nor shown.
    fn filtered(&mut self, line: LineView) -> Option<LineView> {
        if let safety::Verdict::Unsafe { reason, .. } = safety::check(&line.text) {
            tracing::warn!(text = %line.text, "a line was withheld by the kid-safe filter: {}", reason.describe());
            let at = self.cursor;
            self.due
                .push_back(SessionEvent::Notice { at, text: format!("a line was left out ({})", reason.describe()) });
            return None;
        }
        Some(line)
    }

    /// Queues a line for synthesis in its speaker's voice: its first clause, and the rest.
    fn speak(&mut self, line: &LineView) -> Result<(u64, Option<u64>), SessionError> {
        if self.voice_now.as_ref() != Some(&line.voice) {
            self.queue.set_settings(settings_for(&line.voice, self.config.speed_scale))?;
            self.voice_now = Some(line.voice.clone());
        }
        let clauses = campfire_voice::espeak::split_clauses(&line.text);
        let (first, rest) = match clauses.split_first() {
            Some((first, rest)) if !rest.is_empty() => (first.clone(), Some(rest.join(" "))),
            _ => (line.text.clone(), None),
        };
        let id = self.queue.push(first)?;
        self.queued_at.insert(id, Instant::now());
        let rest = match rest {
            Some(text) => {
                let id = self.queue.push(text)?;
                self.queued_at.insert(id, Instant::now());
                Some(id)
            }
            None => None,
        };
        Ok((id, rest))
    }

    /// Places items on the clock, in order, while their time has come and they are ready.
    fn place(&mut self, lead: f64, wait: Duration) -> Result<(), SessionError> {
        loop {
            self.collect(Duration::ZERO)?;
            let floor = self.audio_pulled().max(self.cursor);
            if floor > self.position + lead {
                return Ok(());
            }
            let Some(item) = self.script.front() else { return Ok(()) };
            if let Item::Line { queue_id, .. } | Item::Rest { queue_id, .. } = item {
                let id = *queue_id;
                if !self.ready.contains_key(&id) {
                    if wait.is_zero() {
                        self.lead_in();
                        return Ok(());
                    }
                    let until = Instant::now() + wait;
                    while !self.ready.contains_key(&id) && Instant::now() < until {
                        self.collect(until.saturating_duration_since(Instant::now()))?;
                    }
                    if !self.ready.contains_key(&id) {
                        self.lead_in();
                        return Ok(());
                    }
                }
            }
            let item = self.script.pop_front().expect("front exists");
            self.place_item(item, floor);
            // Placing a line frees a slot: the runtime may move on.
            self.fill()?;
        }
    }

    /// The next line is due but its sound is still being made: what its beat does before its
    /// first word (after an answer, the answer's effect: the dragon takes off) happens now, so a
    /// key press reaches the picture in a frame or two instead of after the synthesis. Only
    /// events logged before the line's own `Say` and stamped before its start move; the line's
    /// words and everything during it still wait for its sound.
    fn lead_in(&mut self) {
        let Some(Item::Line { events, wait, .. }) = self.script.front_mut() else { return };
        let first_say = events.iter().position(|(_, e)| matches!(e, Event::Say { .. })).unwrap_or(events.len());
        let early = events[..first_say].iter().take_while(|(offset, _)| *offset <= *wait).count();
        if early == 0 {
            return;
        }
        let early: Vec<(Tick, Event)> = events.drain(..early).collect();
        // The line's start moves by the lead-in's length, so the rest keeps its spacing after it.
        let shift = early.last().map_or(0, |(offset, _)| *offset);
        for (offset, _) in events.iter_mut() {
            *offset = offset.saturating_sub(shift);
        }
        *wait = wait.saturating_sub(shift);
        let at = self.cursor.max(self.position);
        self.schedule_events(at, early);
        self.cursor = at + ticks_to_secs(shift);
    }

    /// Takes finished syntheses off the queue, waiting at most `timeout` for the first.
    fn collect(&mut self, timeout: Duration) -> Result<(), SessionError> {
        let mut timeout = timeout;
        while let Some(r) = self.queue.next(timeout)? {
            let queued = self.queued_at.remove(&r.id).unwrap_or_else(Instant::now);
            self.ready.insert(r.id, (r, queued, Instant::now()));
            timeout = Duration::ZERO;
        }
        Ok(())
    }

    fn schedule_events(&mut self, start: f64, events: Vec<(Tick, Event)>) {
        let base = secs_to_tick(start);
        if self.effect_pending
            && let Some((offset, _)) = events.first()
        {
            self.effect_pending = false;
            // The world may be drawn up to its time already: the change shows on a later frame.
            let earliest = self.world.last_tick().max(self.world.now() + 1);
            let at = ticks_to_secs((base + offset).max(earliest));
            self.due.push_back(SessionEvent::Effect { at });
        }
        for (offset, event) in events {
            self.world.schedule(base + offset, event);
        }
    }

    fn place_item(&mut self, item: Item, start: f64) {
        match item {
            Item::Line { queue_id, rest, events, wait, line, beat } => {
                let (ready, queued, arrived) = self.ready.remove(&queue_id).expect("placed only when ready");
                let synth_ms = arrived.duration_since(queued).as_secs_f64() * 1000.0;
                let line_start = start + ticks_to_secs(wait);
                let estimate = ticks_to_secs(line.ticks);
                let (duration, words) = match ready.result {
                    Ok(u) => {
                        let words = u.words.clone();
                        let duration = match &u.audio {
                            Some(pcm) => {
                                let (at, len) =
                                    self.track.place(secs_to_samples(line_start), &pcm.samples, pcm.sample_rate);
                                debug_assert!(samples_to_secs(at) >= line_start - 1e-3);
                                samples_to_secs(len)
                            }
                            None => f64::from(u.duration()),
                        };
                        (duration, words)
                    }
                    Err(e) => {
                        tracing::warn!(text = %line.text, "the line could not be synthesised ({e}); it is shown, silent");
                        self.due.push_back(SessionEvent::Notice {
                            at: line_start,
                            text: format!("a line could not be spoken: {e}"),
                        });
                        (if rest.is_some() { estimate / 2.0 } else { estimate }, Vec::new())
                    }
                };
                // The runtime stamped the line's events with its estimate of the line's length;
                // the ones after the line (a speaker back to idle) follow the real sound, or the
                // next line's world would wait for the estimate (the picture 333 ms late).
                let line_end = wait + line.ticks;
                let (during, after): (Vec<_>, Vec<_>) =
                    events.into_iter().partition(|(offset, _)| line.ticks == 0 || *offset < line_end);
                self.schedule_events(start, during);
                let after: Vec<(Tick, Event)> = after.into_iter().map(|(o, e)| (o - line_end, e)).collect();
                // A line in two parts keeps them for its rest, placed after this clause.
                let after = if rest.is_none() {
                    self.schedule_events(line_start + duration, after);
                    Vec::new()
                } else {
                    after
                };
                let id = self.next_line_id;
                self.next_line_id += 1;
                self.due.push_back(SessionEvent::LineStarted {
                    id,
                    at: line_start,
                    speaker: line.speaker_name.clone(),
                    text: line.text.clone(),
                    duration,
                    words,
                });
                if let Some(queue_id) = rest {
                    self.script.push_front(Item::Rest { queue_id, line_id: id, after });
                } else {
                    self.due.push_back(SessionEvent::LineEnded { id, at: line_start + duration });
                }
                self.lines.push(LineRecord {
                    id,
                    speaker: line.speaker_name.clone(),
                    text: line.text.clone(),
                    start: line_start,
                    duration,
                    synth_ms,
                    beat,
                });
                // Only the last few lines are kept in memory for reports of long sessions.
                if self.lines.len() > 10_000 {
                    self.lines.drain(..5_000);
                }
                // The rest of the line follows its first clause without a pause.
                self.cursor = line_start + duration + if rest.is_some() { 0.0 } else { self.config.gap_secs };
                self.last_line = Some(line);
            }
            Item::Rest { queue_id, line_id, after } => {
                let (ready, _, _) = self.ready.remove(&queue_id).expect("placed only when ready");
                let (duration, words) = match ready.result {
                    Ok(u) => {
                        let duration = match &u.audio {
                            Some(pcm) => samples_to_secs(
                                self.track.place(secs_to_samples(start), &pcm.samples, pcm.sample_rate).1,
                            ),
                            None => f64::from(u.duration()),
                        };
                        (duration, u.words)
                    }
                    Err(e) => {
                        tracing::warn!("the rest of a line could not be synthesised: {e}");
                        (0.0, Vec::new())
                    }
                };
                if let Some(record) = self.lines.iter_mut().rev().find(|l| l.id == line_id) {
                    record.duration = start + duration - record.start;
                }
                self.schedule_events(start + duration, after);
                self.due.push_back(SessionEvent::LineWords { id: line_id, at: start, words });
                self.due.push_back(SessionEvent::LineEnded { id: line_id, at: start + duration });
                self.cursor = start + duration + self.config.gap_secs;
            }
            Item::Offer { events } => {
                // No pause before a question: it follows the last line at once.
                let at = (start - self.config.gap_secs).max(self.audio_pulled()).max(0.0);
                let at = if self.lines.is_empty() { start } else { at };
                self.schedule_events(at, events);
                let choices = self.rt.choices().into_iter().map(|c| shown_choice(&c.text)).collect();
                self.due.push_back(SessionEvent::ChoicesOffered { at, beat: self.rt.beat_id().to_string(), choices });
                self.cursor = at;
            }
            Item::End { events, name, beat } => {
                self.schedule_events(start, events);
                // A moment on the last picture before the end.
                let at = start + 1.0;
                self.due.push_back(SessionEvent::Ended { at, name, beat });
                self.cursor = at;
            }
        }
    }

    /// Puts a recording of the child (16 kHz mono) into the session's sound at the current
    /// position: headless runs keep the child's voice in the video.
    pub fn play_recording(&mut self, samples_16k: &[f32]) {
        self.track.place(secs_to_samples(self.position), samples_16k, campfire_voice::audio::WHISPER_SAMPLE_RATE);
    }

    /// A typed answer (a number or words).
    pub fn answer_text(&mut self, text: &str) -> Result<Vec<SessionEvent>, SessionError> {
        let heard = interpret(text, &self.rt);
        self.apply(heard, false, None)
    }

    /// A spoken answer: 16 kHz mono speech, transcribed with the whisper model and understood
    /// with the words expected now. The recording is also placed on the session's sound at the
    /// current position (headless runs put the child's voice in the video).
    pub fn answer_speech(&mut self, samples_16k: &[f32], into_sound: bool) -> Result<Vec<SessionEvent>, SessionError> {
        if self.transcriber.is_none() {
            return Err(SessionError::NoTranscriber);
        }
        if into_sound {
            self.play_recording(samples_16k);
        }
        let transcriber = self.transcriber.as_ref().ok_or(SessionError::NoTranscriber)?;
        let started = Instant::now();
        let choices = if self.offered { choice_options(&self.rt) } else { Vec::new() };
        let prompt = campfire_intent::vocabulary_prompt(&choices, self.rt.state());
        let transcript = transcriber.transcribe_answer(samples_16k, &prompt)?;
        let heard = interpret(&transcript.text, &self.rt);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        self.apply(heard, true, Some(ms))
    }

    /// Turns what was understood into a story step.
    fn apply(
        &mut self,
        heard: Recognized,
        spoken: bool,
        recognise_ms: Option<f64>,
    ) -> Result<Vec<SessionEvent>, SessionError> {
        let at = self.position;
        let outcome = heard.understanding.outcome.clone();
        // Between lines only commands count: a choice needs choices on offer.
        let outcome = match outcome {
            Outcome::Choice { .. } if !self.offered => Outcome::Nothing { reprompt: String::new() },
            o => o,
        };
        self.turns.push(Turn {
            at,
            beat: self.rt.beat_id().to_string(),
            spoken,
            heard: heard.transcript.clone(),
            outcome: outcome.clone(),
            confidence: heard.understanding.confidence,
            recognise_ms,
        });
        let mut out = vec![SessionEvent::Heard {
            at,
            transcript: heard.transcript,
            outcome: outcome.clone(),
            confidence: heard.understanding.confidence,
        }];
        if let Outcome::Command {
            command: command @ (Command::Pause | Command::Resume | Command::Louder | Command::Quieter),
        } = outcome
        {
            out.push(SessionEvent::Player { at, command });
        }
        // What follows an answer starts now, not after the pause of a finished line.
        self.cursor = self.cursor.min(self.config.gap_secs + at).max(at);
        match outcome {
            Outcome::Choice { index, .. } => {
                self.world.checkpoint();
                self.rt.choose(index)?;
                self.offered = false;
                self.phase = Phase::Telling;
                self.cursor = at;
                self.effect_pending = true;
            }
            Outcome::Command { command } => match command {
                Command::GoBack => match self.rt.go_back() {
                    Ok(()) => {
                        self.world.go_back();
                        self.log_seen = self.rt.log().len();
                        self.offered = false;
                        // Going back from an ending tells on from the last choice.
                        self.ended = false;
                        self.script.clear();
                        self.phase = Phase::Telling;
                        self.cursor = at;
                    }
                    Err(_) => self.say_now("We're right at the beginning, so there's nothing to go back to.", true)?,
                },
                Command::Repeat => {
                    if let Some(line) = self.last_line.clone() {
                        let (queue_id, rest) = self.speak(&line)?;
                        let beat = self.rt.beat_id().to_string();
                        self.script.push_front(Item::Line { queue_id, rest, events: Vec::new(), wait: 0, line, beat });
                        self.reoffer_after();
                    }
                }
                Command::Slower | Command::Faster => {
                    let f = if command == Command::Slower { 0.8 } else { 1.25 };
                    self.config.speed_scale = (self.config.speed_scale * f).clamp(0.4, 2.5);
                    // The next line picks the new pace up.
                    self.voice_now = None;
                }
                Command::Louder => self.track.set_gain(self.track.gain() * 1.4),
                Command::Quieter => self.track.set_gain(self.track.gain() / 1.4),
                Command::Stop => {
                    self.script.clear();
                    self.phase = Phase::Ending;
                    self.offered = false;
                    self.due.push_back(SessionEvent::Ended {
                        at,
                        name: "stopped".into(),
                        beat: self.rt.beat_id().to_string(),
                    });
                }
                Command::Pause | Command::Resume => {}
            },
            Outcome::Scene { event } => match self.rt.apply_command(event) {
                Ok(()) => {
                    let t0 = self.rt.now();
                    let events = self.take_events(t0);
                    self.effect_pending |= !events.is_empty();
                    // All at once, now: a free command is not narrated.
                    self.schedule_events(at, events.into_iter().map(|(_, e)| (0, e)).collect());
                }
                Err(e) => tracing::info!("free command not applied: {e}"),
            },
            Outcome::Nothing { reprompt } => {
                if !reprompt.is_empty() {
                    self.say_now(&reprompt, true)?;
                }
            }
        }
        Ok(out)
    }

    /// The narrator says something that is not in the story (a re-prompt), then the choices
    /// are offered again.
    fn say_now(&mut self, text: &str, reoffer: bool) -> Result<(), SessionError> {
        let narrator = self.rt.template().narrator.clone();
        let line = LineView {
            speaker: None,
            speaker_name: None,
            text: text.to_string(),
            voice: narrator,
            tags: Vec::new(),
            start: self.rt.now(),
            ticks: campfire_story::runtime::line_ticks(text, 150),
        };
        let (queue_id, rest) = self.speak(&line)?;
        let beat = self.rt.beat_id().to_string();
        self.script.push_front(Item::Line { queue_id, rest, events: Vec::new(), wait: 0, line, beat });
        if reoffer {
            self.reoffer_after();
        }
        Ok(())
    }

    /// While asking, the choices are offered again after what was just queued.
    fn reoffer_after(&mut self) {
        if self.offered {
            self.offered = false;
            let at = self
                .script
                .iter()
                .position(|i| !matches!(i, Item::Line { .. } | Item::Rest { .. }))
                .unwrap_or(self.script.len());
            self.script.insert(at, Item::Offer { events: Vec::new() });
        }
    }
}

/// A choice's text as shown and spoken: withheld when the filter refuses it.
fn shown_choice(text: &str) -> String {
    if safety::check(text).is_safe() { text.to_string() } else { "(another idea)".to_string() }
}
