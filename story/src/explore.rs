//! Walks every path of a story: every choice at every choice point, until each path ends,
//! loops back to a place already seen, or fails.
//!
//! Places are keyed by where the runtime stands and what it remembers (variables, used
//! once-only parts), so loops are visited once and the walk is finite. Afterwards every place
//! must still be able to reach an ending: a loop with no way out is a dead end too.

use crate::runtime::{Output, Params, Runtime, RuntimeError};
use crate::template::{Flow, Step, Template};
use crate::{expr, text};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq)]
pub struct PathProblem {
    /// Beat where it went wrong.
    pub beat: String,
    pub message: String,
    /// Choice texts that lead there from the start.
    pub path: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Exploration {
    /// Endings reached, with how many distinct places reach each.
    pub endings: BTreeMap<String, usize>,
    /// Choice points and endings visited.
    pub places: usize,
    /// Lines spoken along all explored edges.
    pub lines: usize,
    pub problems: Vec<PathProblem>,
    /// False when `max_places` stopped the walk early.
    pub complete: bool,
    /// Every beat some path enters.
    pub beats: std::collections::BTreeSet<String>,
}

struct Place {
    runtime: Runtime,
    path: Vec<String>,
    next: Vec<usize>,
    ending: bool,
}

/// Lines in a row without a choice or an ending before a path counts as endless talk (the
/// longest shipped story says under 100).
const MAX_LINES_WITHOUT_CHOICE: usize = 5_000;

/// Everything that decides the future and nothing that does not (time, positions, how often a
/// line was said): `counted` are the beats whose visit counts a condition or text reads.
fn key(rt: &Runtime, counted: &BTreeSet<String>) -> String {
    let p = rt.play_state();
    let visits: Vec<_> = p.visits.iter().filter(|(b, _)| counted.contains(*b)).collect();
    format!("{:?}|{:?}|{:?}|{:?}|{:?}|{visits:?}", p.cursor, p.waiting, p.used, p.state.vars(), p.returns)
}

/// Beats whose `visits("…")` the story reads, in a condition, a `Set` or a text's `{…}`.
fn counted_beats(t: &Template) -> BTreeSet<String> {
    let mut exprs: Vec<&str> = Vec::new();
    let mut texts: Vec<&str> = Vec::new();
    for beat in t.beats.values() {
        let mut steps: Vec<&Step> = beat.steps.iter().collect();
        match &beat.then {
            Flow::Choose(cs) => {
                for c in cs {
                    texts.push(&c.text);
                    texts.extend(c.say.iter().map(String::as_str));
                    exprs.extend(c.when.as_deref());
                    steps.extend(&c.steps);
                }
            }
            Flow::Branch { cases, .. } => exprs.extend(cases.iter().map(|(cond, _)| cond.as_str())),
            _ => {}
        }
        for step in steps {
            match step {
                Step::Narrate(x) | Step::Say(_, x) | Step::Title(x) | Step::Caption(x) | Step::Label(_, x) => {
                    texts.push(x)
                }
                Step::Line(l) => {
                    texts.push(&l.text);
                    exprs.extend(l.when.as_deref());
                }
                Step::Set(_, x) => exprs.push(x),
                _ => {}
            }
        }
    }
    let pieces: Vec<_> = texts.into_iter().filter_map(|x| text::parse(x).ok()).collect();
    for p in &pieces {
        exprs.extend(text::names_and_expressions(p).1.into_iter().map(|(e, _)| e));
    }
    let mut names: BTreeSet<String> = BTreeSet::new();
    for e in exprs.into_iter().filter_map(|src| expr::parse(src).ok()) {
        names.extend(expr::visited(&e).into_iter().map(String::from));
    }
    names
}

/// Runs until the next choice or ending; returns lines spoken. A path that comes back to the
/// same place without asking anything would talk forever: that is reported, not followed.
fn settle(rt: &mut Runtime, counted: &BTreeSet<String>) -> Result<(Output, usize), String> {
    let mut lines = 0;
    let mut seen = std::collections::HashSet::new();
    loop {
        match rt.next().map_err(|e: RuntimeError| e.to_string())? {
            Output::Line(_) => {
                lines += 1;
                if !seen.insert(key(rt, counted)) {
                    return Err("the story goes round in a circle forever without a choice or an ending".into());
                }
                // A loop that counts up never comes back to the same place, so the check above
                // never fires: without a bound it talks (and remembers) until memory runs out.
                if lines > MAX_LINES_WITHOUT_CHOICE {
                    return Err(format!(
                        "the story says over {MAX_LINES_WITHOUT_CHOICE} lines without a choice or an ending (a loop that counts up?)"
                    ));
                }
            }
            other => return Ok((other, lines)),
        }
    }
}

pub fn explore(template: Arc<Template>, params: Params, max_places: usize) -> Exploration {
    let mut out = Exploration { complete: true, ..Default::default() };
    let counted = counted_beats(&template);
    let mut start = match Runtime::new(template, params) {
        Ok(mut rt) => {
            rt.record_trail();
            rt.random_as_choice();
            out.beats.insert(rt.beat_id().to_string());
            rt
        }
        Err(e) => {
            out.problems.push(PathProblem { beat: String::new(), message: e.to_string(), path: vec![] });
            return out;
        }
    };
    let mut places: Vec<Place> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut queue: VecDeque<usize> = VecDeque::new();

    let mut visit = |rt: &mut Runtime,
                     path: Vec<String>,
                     out: &mut Exploration,
                     places: &mut Vec<Place>,
                     queue: &mut VecDeque<usize>|
     -> Option<usize> {
        let settled = settle(rt, &counted);
        out.beats.extend(rt.take_trail());
        match settled {
            Err(e) => {
                out.problems.push(PathProblem { beat: rt.beat_id().to_string(), message: e, path });
                None
            }
            Ok((output, lines)) => {
                out.lines += lines;
                rt.forget_history();
                let k = key(rt, &counted);
                if let Some(&i) = index.get(&k) {
                    return Some(i);
                }
                let ending = matches!(output, Output::End(_));
                if let Output::End(e) = &output {
                    *out.endings.entry(e.name.clone()).or_default() += 1;
                }
                let i = places.len();
                index.insert(k, i);
                places.push(Place { runtime: rt.clone(), path, next: vec![], ending });
                if !ending {
                    queue.push_back(i);
                }
                Some(i)
            }
        }
    };

    visit(&mut start, vec![], &mut out, &mut places, &mut queue);
    while let Some(i) = queue.pop_front() {
        if places.len() >= max_places {
            out.complete = false;
            break;
        }
        let choices = places[i].runtime.choices();
        for c in choices {
            let mut rt = places[i].runtime.clone();
            let mut path = places[i].path.clone();
            path.push(c.text.clone());
            if let Err(e) = rt.choose(c.index) {
                out.problems.push(PathProblem { beat: rt.beat_id().to_string(), message: e.to_string(), path });
                continue;
            }
            if let Some(j) = visit(&mut rt, path, &mut out, &mut places, &mut queue) {
                places[i].next.push(j);
            }
        }
    }
    out.places = places.len();

    if out.complete && out.problems.is_empty() {
        // Which places can still reach an ending: fixed point over the edges, backwards.
        let mut can_end: Vec<bool> = places.iter().map(|p| p.ending).collect();
        let mut changed = true;
        while changed {
            changed = false;
            for (i, p) in places.iter().enumerate() {
                if !can_end[i] && p.next.iter().any(|&j| can_end[j]) {
                    can_end[i] = true;
                    changed = true;
                }
            }
        }
        for (p, _) in places.iter().zip(&can_end).filter(|(_, can)| !**can) {
            out.problems.push(PathProblem {
                beat: p.runtime.beat_id().to_string(),
                message: "no ending can be reached from here: every choice leads back into a loop with no way out"
                    .into(),
                path: p.path.clone(),
            });
        }
    }
    out
}
