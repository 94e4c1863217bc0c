//! Walks every path of a story: every choice at every choice point, until each path ends,
//! loops back to a place already seen, or fails.
//!
//! Places are keyed by where the runtime stands and what it remembers (variables, used
//! once-only parts), so loops are visited once and the walk is finite. Afterwards every place
//! must still be able to reach an ending: a loop with no way out is a dead end too.
//!
//! Two walks share that key: [`explore`] visits each place once (the linter's checks), and
//! [`paths`] follows each path from the start to its own end, with its choices and length (what
//! `campfire paths` lists and `campfire render --every-ending` records).

use crate::runtime::{Output, Params, Runtime, RuntimeError};
use crate::template::{Flow, Step, Template};
use crate::{expr, text};
use campfire_scene::TICKS_PER_SECOND;
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

/// One way through a story, from the start to an ending or back to a choice point it passed.
#[derive(Clone, Debug, PartialEq)]
pub struct StoryPath {
    /// The choices that make it, as numbers from 1 (what `campfire walk --choices` takes).
    pub choices: Vec<usize>,
    /// The ending's name, or where the path loops back to.
    pub ending: String,
    /// Whether it comes back to a choice point it has passed (so `ending` is no ending).
    pub looped: bool,
    /// How long it lasts, by the story's own estimate of its narration.
    pub secs: f32,
    pub lines: usize,
}

/// Every path through the story `rt` starts, up to `max`, in order of their choices. Story
/// randomness is taken as the runtime draws it (unlike [`explore`], which makes it a choice).
pub fn paths(rt: Runtime, max: usize) -> Result<Vec<StoryPath>, RuntimeError> {
    let counted = counted_beats(rt.template());
    let mut walk = PathWalk { paths: Vec::new(), max, counted };
    walk.go(rt, Vec::new(), BTreeSet::new(), 0)?;
    walk.paths.sort_by(|a, b| a.choices.cmp(&b.choices));
    Ok(walk.paths)
}

struct PathWalk {
    paths: Vec<StoryPath>,
    max: usize,
    counted: BTreeSet<String>,
}

impl PathWalk {
    /// Follows `rt`'s first choice at each choice point itself, and every other choice by a
    /// call of its own; `seen` holds the places of the choice points this path passed.
    fn go(
        &mut self,
        mut rt: Runtime,
        mut choices: Vec<usize>,
        mut seen: BTreeSet<String>,
        mut lines: usize,
    ) -> Result<(), RuntimeError> {
        loop {
            if self.paths.len() >= self.max {
                return Ok(());
            }
            match rt.next()? {
                Output::Line(_) => lines += 1,
                Output::End(end) => {
                    let secs = rt.now() as f32 / TICKS_PER_SECOND as f32;
                    self.paths.push(StoryPath { choices, ending: end.name, looped: false, secs, lines });
                    return Ok(());
                }
                Output::Choices(offered) => {
                    if !seen.insert(key(&rt, &self.counted)) {
                        let secs = rt.now() as f32 / TICKS_PER_SECOND as f32;
                        let ending = format!("(loops back to beat `{}`)", rt.beat_id());
                        self.paths.push(StoryPath { choices, ending, looped: true, secs, lines });
                        return Ok(());
                    }
                    for c in offered.iter().skip(1) {
                        let mut other = rt.clone();
                        other.choose(c.index)?;
                        let mut path = choices.clone();
                        path.push(c.index + 1);
                        self.go(other, path, seen.clone(), lines)?;
                    }
                    rt.choose(0)?;
                    choices.push(1);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped(name: &str) -> Runtime {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../stories").join(format!("{name}.ron"));
        let text = std::fs::read_to_string(&path).unwrap();
        let t = crate::parse(&path.display().to_string(), &text).unwrap();
        Runtime::new(Arc::new(t), Params::new()).unwrap()
    }

    /// Each path's choices, replayed on a fresh runtime, reach the ending it names; a loop
    /// comes back to a beat it passed.
    #[test]
    fn every_path_replays_to_its_ending() {
        for story in ["demo", "moon-trip", "water-cycle"] {
            let found = paths(shipped(story), 200).unwrap();
            assert!(found.len() >= 2, "{story}: {} paths", found.len());
            assert!(found.windows(2).all(|w| w[0].choices < w[1].choices), "{story}: sorted by choices");
            for p in &found {
                let mut rt = shipped(story);
                let mut given = p.choices.iter();
                let reached = loop {
                    match rt.next().unwrap() {
                        Output::Line(_) => {}
                        Output::Choices(_) => match given.next() {
                            Some(c) => rt.choose(c - 1).unwrap(),
                            None => break format!("(loops back to beat `{}`)", rt.beat_id()),
                        },
                        Output::End(e) => break e.name,
                    }
                };
                assert_eq!(reached, p.ending, "{story} {:?}", p.choices);
                assert_eq!(p.looped, p.ending.starts_with("(loops"), "{story} {:?}", p.choices);
                assert!(p.secs > 0.0 && p.lines > 0, "{story} {:?}", p.choices);
            }
        }
        assert!(paths(shipped("water-cycle"), 200).unwrap().iter().any(|p| p.looped), "water-cycle's quiz loops");
        assert_eq!(paths(shipped("moon-trip"), 3).unwrap().len(), 3, "stops at max");
    }
}
