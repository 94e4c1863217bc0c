//! Figures of a real run, written as JSON when the app exits (`campfire play --bench-report`):
//! UI frame times while the story plays (the picture thread generating all the while), and the
//! time from an answer (key, click or voice) to the first frame showing its effect: the first
//! frame at or after the session's `Effect` (the answer's first change to the world).

use crate::GameOptions;
use crate::link::{LiveEvent, LiveLink};
use crate::picture::PictureStats;
use crate::screens::Screen;
use crate::story_ui::{ChoiceShown, Choose};
use bevy::prelude::*;
use campfire_session::SessionEvent;
use serde::Serialize;
use std::sync::atomic::Ordering;
use std::time::Instant;

#[derive(Resource, Default)]
struct Figures {
    frame_ms: Vec<f64>,
    /// Answer → effect on screen, milliseconds.
    answer_to_frame_ms: Vec<f64>,
    /// The answer waiting for its effect, and the clock time the effect happens at.
    pending: Option<(Instant, Option<f64>)>,
    answers_seen: u32,
    offered_at: Option<f64>,
}

#[derive(Serialize)]
struct Report {
    frames: usize,
    frame_ms_p50: f64,
    frame_ms_p99: f64,
    frame_ms_max: f64,
    answer_to_frame_ms: Vec<f64>,
    generator: String,
    generation_ms_per_frame: f64,
    frames_made: u64,
    frames_dropped: u64,
    late_spells: u64,
}

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<Figures>();
    app.add_systems(
        Update,
        (frame_times, track_answers, auto_answer)
            .run_if(in_state(Screen::Playing).and_then(resource_exists::<LiveLink>)),
    );
    app.add_systems(Last, write_report);
}

fn frame_times(time: Res<Time<Real>>, mut f: ResMut<Figures>, mut skip: Local<u32>) {
    // The first frames of a screen build its UI: not what a family waits on while it plays.
    if *skip < 10 {
        *skip += 1;
        return;
    }
    f.frame_ms.push(time.delta_secs_f64() * 1000.0);
}

fn track_answers(
    mut events: MessageReader<LiveEvent>,
    shown: Res<ChoiceShown>,
    pic: Res<PictureStats>,
    mut f: ResMut<Figures>,
) {
    if shown.answers != f.answers_seen {
        f.answers_seen = shown.answers;
        if let Some(at) = shown.answered_at {
            f.pending = Some((at, None));
        }
    }
    for LiveEvent(e) in events.read() {
        match e {
            SessionEvent::Effect { at } => {
                if let Some((_, first @ None)) = f.pending.as_mut() {
                    *first = Some(*at);
                }
            }
            SessionEvent::ChoicesOffered { at, .. } => f.offered_at = Some(*at),
            _ => {}
        }
    }
    if let Some((pressed, Some(effect_at))) = f.pending
        && pic.current.is_some_and(|(_, secs)| secs + 1e-9 >= effect_at)
    {
        f.answer_to_frame_ms.push(pressed.elapsed().as_secs_f64() * 1000.0);
        f.pending = None;
    }
}

/// `--auto-answer S`: picks the first choice S seconds (story clock) after it is offered.
fn auto_answer(
    options: Res<GameOptions>,
    link: Res<LiveLink>,
    shown: Res<ChoiceShown>,
    mut f: ResMut<Figures>,
    mut choose: MessageWriter<Choose>,
) {
    let Some(after) = options.auto_answer else { return };
    if shown.choices.is_empty() {
        return;
    }
    if let Some(at) = f.offered_at
        && link.position() >= at + after
    {
        choose.write(Choose(0));
        f.offered_at = None;
    }
}

/// The `p`-quantile of `sorted`; 0 for no frames, as the report's other figures.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    campfire_metrics::stats::percentile(sorted, p).unwrap_or(0.0)
}

fn write_report(
    mut exits: MessageReader<AppExit>,
    options: Res<GameOptions>,
    f: Res<Figures>,
    link: Option<Res<LiveLink>>,
    pic: Res<PictureStats>,
) {
    if exits.read().next().is_none() {
        return;
    }
    let Some(path) = &options.bench_report else { return };
    let mut sorted = f.frame_ms.clone();
    sorted.sort_by(f64::total_cmp);
    let (made, dropped, gen_ms) = link.as_ref().map_or((0, 0, 0.0), |l| {
        let s = &l.live.stats;
        (s.frames_made.load(Ordering::Relaxed), s.frames_dropped.load(Ordering::Relaxed), s.mean_gen_ms())
    });
    let report = Report {
        frames: sorted.len(),
        frame_ms_p50: percentile(&sorted, 0.5),
        frame_ms_p99: percentile(&sorted, 0.99),
        frame_ms_max: sorted.last().copied().unwrap_or(0.0),
        answer_to_frame_ms: f.answer_to_frame_ms.clone(),
        generator: pic.generator.clone(),
        generation_ms_per_frame: gen_ms,
        frames_made: made,
        frames_dropped: dropped,
        late_spells: pic.late_spells,
    };
    match serde_json::to_string_pretty(&report) {
        Ok(json) => {
            if let Err(e) = std::fs::write(path, json) {
                tracing::warn!("cannot write {}: {e}", path.display());
            }
        }
        Err(e) => tracing::warn!("bench report: {e}"),
    }
}
