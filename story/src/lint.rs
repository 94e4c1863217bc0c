//! Every check a template must pass: references, expressions, parameters, reachability and
//! that every path ends. Findings are [`Diagnostic`]s pinned to the text.

use crate::diagnostic::{Diagnostic, Severity, SourceIndex, did_you_mean};
use crate::explore::explore;
use crate::expr;
use crate::parse::parse;
use crate::runtime::{Params, substitute};
use crate::template::{Flow, Place, Step, Template};
use crate::text;
use campfire_scene::{Color, Kind, Setting, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The longest line, in words (a good two minutes of narration).
const MAX_LINE_WORDS: usize = 300;
/// Words in a title, caption or label before it is too much to read on screen.
const MAX_SCREEN_WORDS: usize = 12;

/// How many places the dead-end check visits before giving up with a warning.
const MAX_PLACES: usize = 20_000;

/// Lints a template's text: parse errors or every finding, sorted by position.
pub fn lint_source(file: &str, text: &str) -> Vec<Diagnostic> {
    match parse(file, text) {
        Ok(t) => check(file, text, &t),
        Err(d) => vec![d],
    }
}

/// What a text filter objects to: the words, as they stand in the text, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Objection {
    pub word: String,
    pub reason: String,
}

/// A text filter: given a text and the template's `allow` list (words the author vouches for),
/// what it objects to, if anything. The kid-safe filter lives in `campfire-intent`, below this
/// crate; the binary and the app pass it in.
pub type Screen<'a> = &'a dyn Fn(&str, &[String]) -> Option<Objection>;

/// Lints with an extra check on every text an audience will hear or see ([`audience_texts`]):
/// each objection is an error pinned to the word objected to, saying why.
pub fn lint_source_with(file: &str, text: &str, screen: Screen<'_>) -> Vec<Diagnostic> {
    let Ok(t) = parse(file, text) else {
        return lint_source(file, text);
    };
    let mut diags = check(file, text, &t);
    diags.extend(screen_texts(file, text, &t, screen));
    diags.sort_by_key(|d| (d.offset, d.severity));
    diags
}

/// The filter's objections to a parsed template's audience texts, as diagnostics.
pub fn screen_texts(file: &str, text: &str, t: &Template, screen: Screen<'_>) -> Vec<Diagnostic> {
    let index = SourceIndex::new(file, text, t.beats.keys().map(String::as_str));
    let mut out = Vec::new();
    for (beat, shown) in audience_texts(t) {
        let Some(objection) = screen(&shown, &t.allow) else {
            continue;
        };
        // The quoted text as written, then the word inside it; escapes in the source may hide
        // the whole text, so the word alone and then the beat are the fallbacks.
        let head: String = shown.chars().take(24).collect();
        let at = index
            .find(beat, &head, 0)
            .and_then(|(start, _)| {
                let rest = &text[start..];
                let end = rest.find('\n').unwrap_or(rest.len());
                rest[..end].find(&objection.word).map(|i| (start + i, objection.word.len()))
            })
            .or_else(|| index.find(beat, &objection.word, 0))
            .or_else(|| beat.and_then(|b| index.beat(b)));
        out.push(index.diagnostic(
            Severity::Error,
            at,
            format!("\"{}\" is not for children: {}", objection.word, objection.reason),
            Some(format!(
                "stories are read aloud to 4–8 year olds: reword it, or if it is right for this story add `allow: [\"{}\"]` to the template",
                objection.word.to_lowercase()
            )),
        ));
    }
    out
}

/// Every text an audience hears or sees, with the beat it is in: title, summary, parameter
/// prompts and defaults, cast names, lines, choices and the phrases that pick them, endings.
pub fn audience_texts(t: &Template) -> Vec<(Option<&str>, String)> {
    let mut out: Vec<(Option<&str>, String)> = vec![(None, t.title.clone()), (None, t.summary.clone())];
    for p in &t.params {
        out.push((None, p.prompt.clone()));
        out.push((None, p.default.clone()));
        out.extend(p.one_of.iter().map(|o| (None, o.clone())));
    }
    out.extend(t.cast.iter().map(|c| (None, c.name.clone())));
    for (id, beat) in &t.beats {
        let b = Some(id.as_str());
        let choice_steps = match &beat.then {
            Flow::Choose(cs) => {
                for c in cs {
                    out.push((b, c.text.clone()));
                    out.extend(c.say.iter().map(|p| (b, p.clone())));
                }
                cs.iter().flat_map(|c| c.steps.iter()).collect::<Vec<_>>()
            }
            Flow::End(name) => {
                out.push((b, name.clone()));
                vec![]
            }
            _ => vec![],
        };
        for step in beat.steps.iter().chain(choice_steps) {
            match step {
                Step::Narrate(text)
                | Step::Say(_, text)
                | Step::Title(text)
                | Step::Caption(text)
                | Step::Label(_, text) => out.push((b, text.clone())),
                Step::Line(l) => out.push((b, l.text.clone())),
                _ => {}
            }
        }
    }
    out.retain(|(_, text)| !text.trim().is_empty());
    out
}

struct Checker<'a> {
    t: &'a Template,
    index: SourceIndex<'a>,
    diags: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, at: Option<(usize, usize)>, message: impl Into<String>, hint: Option<String>) {
        let d = self.index.diagnostic(Severity::Error, at, message, hint);
        self.diags.push(d);
    }

    fn warn(&mut self, at: Option<(usize, usize)>, message: impl Into<String>, hint: Option<String>) {
        let d = self.index.diagnostic(Severity::Warning, at, message, hint);
        self.diags.push(d);
    }

    /// Where a quoted value stands in a beat (or the file), falling back to the beat's key.
    fn at(&self, beat: Option<&str>, quoted: &str) -> Option<(usize, usize)> {
        // In the file, quotes and backslashes inside a string are escaped: `"name == \"Sam\""`.
        let escaped = quoted.replace('\\', "\\\\").replace('"', "\\\"");
        self.index
            .find(beat, &format!("\"{quoted}\""), 0)
            .or_else(|| self.index.find(beat, &format!("\"{escaped}\""), 0))
            .or_else(|| beat.and_then(|b| self.index.beat(b)))
    }

    fn check_entity(&mut self, beat: &str, id: &str) {
        if !self.t.cast.iter().any(|c| c.id == id) {
            let hint = did_you_mean(id, self.t.cast.iter().map(|c| c.id.as_str()))
                .or_else(|| Some("add it to `cast` first".into()));
            self.error(self.at(Some(beat), id), format!("unknown character `{id}` in beat `{beat}`"), hint);
        }
    }

    fn check_beat_ref(&mut self, from: &str, target: &str) {
        if !self.t.beats.contains_key(target) {
            let hint = did_you_mean(target, self.t.beats.keys().map(String::as_str))
                .or_else(|| Some("every `goto` must name a beat in `beats`".into()));
            self.error(
                self.at(Some(from), target),
                format!("beat `{from}` leads to `{target}`, which does not exist"),
                hint,
            );
        }
    }

    fn check_expr(&mut self, beat: &str, src: &str, want_bool: bool) -> Option<Value> {
        // Beats are visit counts; parameters are text, known by their defaults; variables by
        // their initial values. Later ones win a clash, as in the runtime.
        let mut vars: BTreeMap<String, Value> =
            self.t.beats.keys().map(|b| (expr::visits_key(b), Value::Int(0))).collect();
        vars.extend(self.t.params.iter().map(|p| (p.id.clone(), Value::Text(p.default.clone()))));
        vars.extend(self.t.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
        let vars = &vars;
        let result = expr::parse(src)
            .and_then(|e| if want_bool { expr::eval_bool(&e, vars).map(Value::Bool) } else { expr::eval(&e, vars) });
        match result {
            Ok(v) => Some(v),
            // With the initial values a divisor may be zero that later is not: not a mistake.
            Err(expr::ExprError::DivideByZero(_)) => None,
            Err(e) => {
                let hint = match &e {
                    expr::ExprError::UnknownVar(v) => {
                        let names = vars.keys().filter(|k| !k.starts_with('#')).map(String::as_str);
                        did_you_mean(v, names).or_else(|| Some("declare it in `vars`".into()))
                    }
                    expr::ExprError::UnknownBeat(b) => did_you_mean(b, self.t.beats.keys().map(String::as_str)),
                    _ => Some("conditions look like `courage >= 2 && !scared`".into()),
                };
                self.error(self.at(Some(beat), src), format!("in beat `{beat}`: {e}"), hint);
                None
            }
        }
    }

    fn check_text(&mut self, beat: Option<&str>, text: &str) {
        let pieces = match text::parse(text) {
            Ok(pieces) => pieces,
            Err(e) => {
                let at = self.at(beat, text);
                let hint =
                    "`{name}`, `{cond: if true|if false}`, `{first|then|last}`, `{&cycle|round}`, `{~shuffled|parts}`";
                self.error(at, format!("in this text, {e}"), Some(hint.into()));
                return;
            }
        };
        let (names, exprs) = text::names_and_expressions(&pieces);
        for name in names {
            let known = self.t.params.iter().any(|p| p.id == name) || self.t.vars.contains_key(name);
            if !known {
                let options = self.t.params.iter().map(|p| p.id.as_str()).chain(self.t.vars.keys().map(String::as_str));
                let hint = did_you_mean(name, options).or_else(|| {
                    Some("`{…}` takes a parameter, a variable or an expression like `{visits(\"cave\")}`".into())
                });
                let at = self.index.find(beat, &format!("{{{name}}}"), 0);
                self.error(at, format!("unknown placeholder `{{{name}}}`"), hint);
            }
        }
        for (src, is_condition) in exprs {
            self.check_expr(beat.unwrap_or_default(), src, is_condition);
        }
        let words = text.split_whitespace().count();
        if words > MAX_LINE_WORDS {
            let minutes = words as f32 / 150.0;
            let at = self
                .index
                .find(beat, &text.chars().take(24).collect::<String>(), 0)
                .or_else(|| beat.and_then(|b| self.index.beat(b)));
            self.error(
                at,
                format!("this line is {words} words, about {minutes:.0} minutes to say"),
                Some(format!("split it into lines of at most {MAX_LINE_WORDS} words; a child listens to a few sentences at a time")),
            );
        }
        if text.trim().is_empty() {
            let at = beat.and_then(|b| self.index.beat(b));
            self.error(at, "empty text", Some("say something, or remove the step".into()));
        }
    }

    fn check_steps(&mut self, beat: &str, steps: &[Step]) {
        // The setting at each step, where it is certain: the story's own when no beat changes
        // it, then whatever this beat sets.
        let changes = self.t.beats.values().any(|b| b.steps.iter().any(|s| matches!(s, Step::Setting(_))));
        let mut setting = (!changes || beat == self.t.start).then_some(self.t.stage.setting);
        for step in steps {
            match step {
                Step::Narrate(text) => self.check_text(Some(beat), text),
                Step::Say(who, text) => {
                    self.check_entity(beat, who);
                    self.check_text(Some(beat), text);
                }
                Step::Line(l) => {
                    if let Some(who) = &l.who {
                        self.check_entity(beat, who);
                    }
                    if let Some(cond) = &l.when {
                        self.check_expr(beat, cond, true);
                    }
                    self.check_text(Some(beat), &l.text);
                }
                Step::Enter(id, _) | Step::Exit(id) | Step::Act(id, _) | Step::Become(id, _) => {
                    self.check_entity(beat, id)
                }
                Step::Move(id, _, secs) => {
                    self.check_entity(beat, id);
                    self.check_secs(beat, *secs);
                }
                Step::Size(id, size) => {
                    self.check_entity(beat, id);
                    if !(size.is_finite() && *size > 0.0 && *size <= 8.0) {
                        self.error(
                            self.index.find_number(Some(beat), *size).or_else(|| self.at(Some(beat), id)),
                            format!("size {size} is out of range"),
                            Some("sizes run from just above 0 to 8 (1 is normal)".into()),
                        );
                    }
                }
                Step::Camera(x, zoom, secs) => {
                    self.check_secs(beat, *secs);
                    if !(x.is_finite() && zoom.is_finite() && *zoom >= 0.25 && *zoom <= 4.0) {
                        self.error(
                            self.index.find_number(Some(beat), *zoom).or_else(|| self.index.beat(beat)),
                            format!("camera ({x}, {zoom}) is out of range"),
                            Some("zoom runs from 0.25 to 4".into()),
                        );
                    }
                }
                Step::Wait(secs) => self.check_secs(beat, *secs),
                Step::Set(name, src) => match self.t.vars.get(name) {
                    None => {
                        let hint = did_you_mean(name, self.t.vars.keys().map(String::as_str))
                            .or_else(|| Some("declare it in `vars`".into()));
                        self.error(self.at(Some(beat), name), format!("unknown variable `{name}`"), hint);
                    }
                    Some(declared) => {
                        if let Some(v) = self.check_expr(beat, src, false)
                            && v.type_name() != declared.type_name()
                        {
                            self.error(
                                self.at(Some(beat), src),
                                format!("`{name}` is {} but `{src}` is {}", declared.type_name(), v.type_name()),
                                None,
                            );
                        }
                    }
                },
                Step::Setting(s) => setting = Some(*s),
                Step::Time(_) | Step::Weather(_) | Step::Moon(_) => {}
                Step::Hold(who, item) | Step::Find(who, item) => {
                    self.check_entity(beat, who);
                    self.check_entity(beat, item);
                    self.check_prop(beat, item);
                }
                Step::Give(a, b) | Step::PointAt(a, b) | Step::LookAt(a, b) => {
                    self.check_entity(beat, a);
                    self.check_entity(beat, b);
                }
                Step::Drop(who) => self.check_entity(beat, who),
                Step::Title(text) | Step::Caption(text) => {
                    if !text.trim().is_empty() {
                        self.check_text(Some(beat), text);
                        self.check_screen_text(beat, text);
                    }
                }
                Step::Label(id, text) => {
                    self.check_entity(beat, id);
                    if !text.trim().is_empty() {
                        self.check_text(Some(beat), text);
                        self.check_screen_text(beat, text);
                    }
                }
            }
            if let Step::Enter(id, place) | Step::Move(id, place, _) = step {
                self.check_place(beat, id, *place, setting);
            }
        }
    }

    /// Words on the picture must be short enough to read: a caption is read in the time the
    /// narrator says it, by children who read slowly.
    fn check_screen_text(&mut self, beat: &str, text: &str) {
        let words = text.split_whitespace().count();
        if words > MAX_SCREEN_WORDS {
            self.warn(
                self.at(Some(beat), text),
                format!("{words} words on screen is a lot for a young reader"),
                Some(format!(
                    "keep titles, captions and labels to {MAX_SCREEN_WORDS} words; the narrator says the rest"
                )),
            );
        }
    }

    /// `Hold`/`Find` take a thing small enough for a hand.
    fn check_prop(&mut self, beat: &str, item: &str) {
        let Some(c) = self.t.cast.iter().find(|c| c.id == item) else { return };
        let Ok(kind) = c.kind.parse::<Kind>() else { return };
        if !kind.is_prop() {
            let props: Vec<&str> = Kind::ALL.iter().filter(|k| k.is_prop()).map(|k| k.name()).collect();
            self.warn(
                self.at(Some(beat), item),
                format!("`{item}` is a {kind}: too big to hold in a hand"),
                Some(format!("things to hold, give and find: {}", props.join(", "))),
            );
        }
    }

    /// Places that must mean what they say: a sun or moon on the ground, a fish out of water,
    /// something under water where there is none. `setting` is the setting at this step when
    /// it is known.
    fn check_place(&mut self, beat: &str, id: &str, place: Place, setting: Option<Setting>) {
        let Some(c) = self.t.cast.iter().find(|c| c.id == id) else { return };
        let Ok(kind) = c.kind.parse::<Kind>() else { return };
        let pos = place.position();
        let space = setting == Some(Setting::Space);
        if kind.is_celestial() && pos.y < 0.3 && pos.depth < 0.9 && !space {
            self.warn(
                self.at(Some(beat), id),
                format!("`{id}` is a {kind} standing on the ground"),
                Some(
                    "put it in the sky: `Sky`, `SkyLeft`, `SkyRight`, `HighSky`, or `Horizon` for sunrise and sunset"
                        .into(),
                ),
            );
        }
        if let Some(s) = setting {
            if pos.y < -0.01 && !s.has_water() {
                self.warn(
                    self.at(Some(beat), id),
                    format!("`{id}` goes under water, but the {s} has no water"),
                    Some("use the Ocean, Beach or Underwater setting first".into()),
                );
            }
            if matches!(kind, Kind::Fish | Kind::Whale) && !s.has_water() && !space {
                self.warn(
                    self.at(Some(beat), id),
                    format!("a {kind} in the {s} is out of the water"),
                    Some(format!("a {kind} belongs in the Ocean (`Underwater`) or the Underwater setting")),
                );
            }
        }
    }

    fn check_secs(&mut self, beat: &str, secs: f32) {
        if !(secs.is_finite() && (0.0..=600.0).contains(&secs)) {
            self.error(
                self.index.find_number(Some(beat), secs).or_else(|| self.index.beat(beat)),
                format!("{secs} seconds is out of range"),
                Some("use 0 to 600 seconds".into()),
            );
        }
    }

    fn check_header(&mut self) {
        let t = self.t;
        if t.id.trim().is_empty() || !t.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            self.error(
                self.index.find(None, "id:", 0),
                format!("story id `{}` must be letters, digits, `-` or `_`", t.id),
                None,
            );
        }
        if t.ages.0 > t.ages.1 {
            self.error(
                self.index.find(None, "ages:", 0),
                format!("ages {:?}: the youngest is older than the oldest", t.ages),
                None,
            );
        }
        let mut seen = BTreeSet::new();
        for p in &t.params {
            if !seen.insert(p.id.as_str()) {
                self.error(self.at(None, &p.id), format!("parameter `{}` is declared twice", p.id), None);
            }
            if !p.one_of.is_empty() && !p.one_of.iter().any(|o| o.eq_ignore_ascii_case(&p.default)) {
                self.error(
                    self.at(None, &p.default),
                    format!("default `{}` of `{}` is not one of its choices", p.default, p.id),
                    None,
                );
            }
            if p.default.trim().is_empty() {
                self.error(
                    self.at(None, &p.id),
                    format!("parameter `{}` needs a default", p.id),
                    Some("the story must play when nobody answers".into()),
                );
            }
        }
        for p in &t.params {
            if t.vars.contains_key(&p.id) {
                self.error(
                    self.at(None, &p.id),
                    format!("`{}` is both a parameter and a variable", p.id),
                    Some("conditions and `{…}` read both by name: rename one".into()),
                );
            }
        }
        for name in t.vars.keys() {
            if !name.chars().all(|c| c.is_alphanumeric() || c == '_') || name.starts_with(|c: char| c.is_ascii_digit())
            {
                self.error(
                    self.at(None, name),
                    format!("variable name `{name}` must be a plain word"),
                    Some("use letters, digits and `_`".into()),
                );
            }
        }
        let mut seen = BTreeSet::new();
        for c in &t.cast {
            if !seen.insert(c.id.as_str()) {
                self.error(self.at(None, &c.id), format!("character `{}` is declared twice", c.id), None);
            }
            self.check_text(None, &c.name);
            self.check_cast_field(&c.id, &c.kind, |s| s.parse::<Kind>().err());
            self.check_cast_field(&c.id, &c.color, |s| s.parse::<Color>().err());
            self.check_cast_field(&c.id, &c.accent, |s| s.parse::<Color>().err());
            if !(c.size.is_finite() && c.size > 0.0 && c.size <= 8.0) {
                self.error(
                    self.at(None, &c.id),
                    format!("character `{}` has size {}", c.id, c.size),
                    Some("sizes run from just above 0 to 8 (1 is normal)".into()),
                );
            }
        }
        if !t.beats.contains_key(&t.start) {
            let hint = did_you_mean(&t.start, t.beats.keys().map(String::as_str));
            self.error(self.at(None, &t.start), format!("start beat `{}` does not exist", t.start), hint);
        }
    }

    /// A cast field that may hold `{param}`: it must be valid for every value the param allows.
    fn check_cast_field(&mut self, id: &str, field: &str, invalid: impl Fn(&str) -> Option<String>) {
        let mut variants: Vec<Params> = vec![Params::new()];
        // A field that does not parse has no names to vary; the check below reports it as is.
        let pieces = text::parse(field).unwrap_or_default();
        for name in text::names_and_expressions(&pieces).0 {
            let Some(p) = self.t.params.iter().find(|p| p.id == name) else {
                self.error(self.at(None, field), format!("character `{id}` uses unknown parameter `{{{name}}}`"), None);
                return;
            };
            if p.one_of.is_empty() {
                self.error(
                    self.at(None, field),
                    format!("parameter `{name}` is used for a kind or color, so it needs `one_of`"),
                    Some("list the values a family may choose".into()),
                );
                return;
            }
            variants = variants
                .into_iter()
                .flat_map(|v| {
                    p.one_of.iter().map(move |o| {
                        let mut v = v.clone();
                        v.insert(name.to_string(), o.clone());
                        v
                    })
                })
                .collect();
        }
        let none = BTreeMap::new();
        for v in variants {
            if let Some(e) = invalid(&substitute(field, &v, &none)) {
                self.error(self.at(None, field), format!("character `{id}`: {e}"), None);
                return;
            }
        }
    }

    fn check_flows(&mut self) {
        let t = self.t;
        for (id, beat) in &t.beats {
            self.check_steps(id, &beat.steps);
            match &beat.then {
                Flow::Goto(target) => self.check_beat_ref(id, target),
                Flow::End(name) if name.trim().is_empty() => {
                    self.error(
                        self.index.beat(id),
                        format!("beat `{id}` ends with no ending name"),
                        Some("e.g. End(\"happy\")".into()),
                    );
                }
                Flow::End(_) | Flow::Return => {}
                Flow::Random(targets) if targets.is_empty() => {
                    self.error(
                        self.index.beat(id),
                        format!("beat `{id}` picks at random from no beats"),
                        Some("e.g. Random([\"rain\", \"sun\"])".into()),
                    );
                }
                Flow::Random(targets) => targets.iter().for_each(|to| self.check_beat_ref(id, to)),
                Flow::Call(beat, after) => {
                    self.check_beat_ref(id, beat);
                    self.check_beat_ref(id, after);
                }
                Flow::Branch { cases, otherwise } => {
                    for (cond, target) in cases {
                        self.check_expr(id, cond, true);
                        self.check_beat_ref(id, target);
                    }
                    self.check_beat_ref(id, otherwise);
                }
                Flow::Choose(choices) => {
                    if choices.is_empty() {
                        self.error(
                            self.index.beat(id),
                            format!("beat `{id}` offers an empty choice"),
                            Some("give at least one Choice, or use Goto/End".into()),
                        );
                    }
                    for c in choices {
                        self.check_text(Some(id), &c.text);
                        self.check_beat_ref(id, &c.goto);
                        if let Some(cond) = &c.when {
                            self.check_expr(id, cond, true);
                        }
                        self.check_steps(id, &c.steps);
                        if c.say.is_empty() {
                            self.warn(
                                self.at(Some(id), &c.text),
                                format!("choice \"{}\" has no `say` phrases", c.text),
                                Some("list words a child might say, so the voice can pick it".into()),
                            );
                        }
                    }
                }
            }
        }
    }

    fn check_reachable(&mut self) {
        let t = self.t;
        if !t.beats.contains_key(&t.start) {
            // Already an error; every beat would be "unreachable" from nowhere.
            return;
        }
        let mut seen = BTreeSet::new();
        let mut stack = vec![t.start.as_str()];
        while let Some(b) = stack.pop() {
            if !seen.insert(b) {
                continue;
            }
            let Some(beat) = t.beats.get(b) else { continue };
            stack.extend(beat.then.targets().into_iter().map(|(to, _)| to));
        }
        for id in t.beats.keys().filter(|b| !seen.contains(b.as_str())) {
            self.warn(
                self.index.beat(id),
                format!("beat `{id}` can never be reached"),
                Some("lead to it from another beat, or remove it".into()),
            );
        }
    }
}

/// Runs every check on a parsed template.
pub fn check(file: &str, text: &str, t: &Template) -> Vec<Diagnostic> {
    let mut c =
        Checker { t, index: SourceIndex::new(file, text, t.beats.keys().map(String::as_str)), diags: Vec::new() };
    c.check_header();
    c.check_flows();
    c.check_reachable();
    if !c.diags.iter().any(|d| d.severity == Severity::Error) {
        // Only a story whose parts are all sound is played: a walk over broken parts would
        // report the same mistakes again, less clearly.
        let walk = explore(Arc::new(t.clone()), Params::new(), MAX_PLACES);
        // One report per beat and problem: a loop without an exit is met from every place on
        // it, and the author needs to hear of it once.
        let mut reported = BTreeSet::new();
        for p in &walk.problems {
            if !reported.insert((p.beat.clone(), p.message.clone())) {
                continue;
            }
            let path = if p.path.is_empty() {
                "at the start".to_string()
            } else {
                format!("after choosing: {}", p.path.join(" → "))
            };
            let at = c.index.beat(&p.beat);
            c.error(at, format!("{} ({path})", p.message), Some("every path must reach an End".into()));
        }
        if walk.complete && walk.problems.is_empty() {
            // Reachable in the graph, yet every path's variables steer around it.
            for id in t.beats.keys().filter(|b| !walk.beats.contains(*b)) {
                if c.diags.iter().any(|d| d.message.contains(&format!("beat `{id}` can never be reached"))) {
                    continue;
                }
                c.warn(
                    c.index.beat(id),
                    format!("no path ever reaches beat `{id}`: the conditions before it always decide otherwise"),
                    Some("check the variables and the Branch or `when` that lead here".into()),
                );
            }
        }
        if !walk.complete {
            // Counters that only grow make endless combinations; name them.
            let mut growing: BTreeSet<&str> = BTreeSet::new();
            let all_steps = t.beats.values().flat_map(|b| {
                let choice_steps: Vec<&Step> = match &b.then {
                    Flow::Choose(cs) => cs.iter().flat_map(|c| c.steps.iter()).collect(),
                    _ => vec![],
                };
                b.steps.iter().chain(choice_steps)
            });
            for step in all_steps {
                if let Step::Set(name, src) = step
                    && src.contains(name.as_str())
                    && (src.contains('+') || src.contains('*'))
                {
                    growing.insert(name);
                }
            }
            let hint = if growing.is_empty() {
                "the story has very many combinations of variable values".to_string()
            } else {
                let names: Vec<String> = growing.iter().map(|n| format!("`{n}`")).collect();
                format!(
                    "{} only grow{}: cap {} (e.g. `Set(\"{}\", \"{} + 1\")` only `when` it is below a limit), so the checker can see every path",
                    names.join(", "),
                    if names.len() == 1 { "s" } else { "" },
                    if names.len() == 1 { "it" } else { "them" },
                    growing.first().unwrap_or(&""),
                    growing.first().unwrap_or(&"")
                )
            };
            c.warn(
                None,
                format!("stopped checking paths after {MAX_PLACES} places; paths beyond were not checked"),
                Some(hint),
            );
        }
    }
    c.diags.sort_by_key(|d| (d.offset, d.severity));
    c.diags
}
