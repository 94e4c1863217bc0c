//! Text with inline pieces, as Ink writes them:
//! - `{name}` fills in a parameter or a variable, `{shells + 1}` or `{visits("cave")}` a value;
//! - `{shells > 1: shells|shell}` picks by a condition (the second part may be left out);
//! - `{one|two|three}` says the next part each time the text comes round, then stays on the last;
//! - `{&day|night}` cycles; `{~red|blue|green}` shuffles.
//!
//! Parts are trimmed and may hold pieces of their own. Our own small parser, for the reason
//! `expr` gives: the linter must check every piece and name its place.

use crate::dice;
use crate::expr::{self, ExprError};
use campfire_scene::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TextError {
    #[error("the `{{` at character {0} is never closed")]
    Unclosed(usize),
    #[error("the `{{}}` at character {0} is empty")]
    Empty(usize),
    #[error("the condition at character {0} gives more than two parts; write `{{cond: if true|if false}}`")]
    TooManyParts(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Lit(String),
    /// `{name}`
    Fill(String),
    /// `{shells + 1}`: an expression's value.
    Show(String),
    /// `{cond: yes|no}`
    When {
        cond: String,
        yes: Vec<Piece>,
        no: Vec<Piece>,
    },
    /// `{a|b|c}`, `{&a|b}`, `{~a|b}`
    Vary {
        mode: Mode,
        parts: Vec<Vec<Piece>>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Stops on the last part.
    Sequence,
    Cycle,
    Shuffle,
}

/// Byte offsets of `c` at brace depth 0 and outside quotes.
fn top_level(s: &str, c: char) -> Vec<usize> {
    let (mut depth, mut quoted) = (0usize, false);
    let mut out = Vec::new();
    for (i, ch) in s.char_indices() {
        match ch {
            '"' => quoted = !quoted,
            '{' if !quoted => depth += 1,
            '}' if !quoted => depth = depth.saturating_sub(1),
            _ if ch == c && depth == 0 && !quoted => out.push(i),
            _ => {}
        }
    }
    out
}

pub fn parse(text: &str) -> Result<Vec<Piece>, TextError> {
    parse_at(text, 0)
}

/// `base` is where `text` starts in the author's text, for positions in errors.
fn parse_at(text: &str, base: usize) -> Result<Vec<Piece>, TextError> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut rest = text;
    let mut at = base;
    while let Some(open) = rest.find('{') {
        lit.push_str(&rest[..open]);
        let mut depth = 0;
        let mut close = None;
        for (i, ch) in rest[open..].char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(open + i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let start = at + text_chars(&rest[..open]);
        let close = close.ok_or(TextError::Unclosed(start))?;
        if !lit.is_empty() {
            out.push(Piece::Lit(std::mem::take(&mut lit)));
        }
        out.push(piece(&rest[open + 1..close], start + 1)?);
        at = start + text_chars(&rest[open..=close]);
        rest = &rest[close + 1..];
    }
    lit.push_str(rest);
    if !lit.is_empty() {
        out.push(Piece::Lit(lit));
    }
    Ok(out)
}

fn text_chars(s: &str) -> usize {
    s.chars().count()
}

/// What is between one pair of braces; `at` is its first character's position.
fn piece(inner: &str, at: usize) -> Result<Piece, TextError> {
    let parts = |s: &str, at: usize| -> Result<Vec<Vec<Piece>>, TextError> {
        let mut out = Vec::new();
        let mut from = 0;
        for cut in top_level(s, '|').into_iter().chain([s.len()]) {
            let part = &s[from..cut];
            let lead = text_chars(&s[..from]) + text_chars(&part[..part.len() - part.trim_start().len()]);
            out.push(parse_at(part.trim(), at + lead)?);
            from = cut + 1;
        }
        Ok(out)
    };
    let trimmed = inner.trim();
    if trimmed.is_empty() {
        return Err(TextError::Empty(at.saturating_sub(1)));
    }
    for (sign, mode) in [('&', Mode::Cycle), ('~', Mode::Shuffle)] {
        if let Some(rest) = inner.trim_start().strip_prefix(sign) {
            return Ok(Piece::Vary { mode, parts: parts(rest, at + 1)? });
        }
    }
    let first_bar = top_level(inner, '|').first().copied().unwrap_or(inner.len());
    if let Some(&colon) = top_level(inner, ':').iter().find(|&&c| c < first_bar) {
        let mut branches = parts(&inner[colon + 1..], at + text_chars(&inner[..=colon]))?.into_iter();
        let yes = branches.next().unwrap_or_default();
        let no = branches.next().unwrap_or_default();
        if branches.next().is_some() {
            return Err(TextError::TooManyParts(at));
        }
        return Ok(Piece::When { cond: inner[..colon].trim().to_string(), yes, no });
    }
    if first_bar < inner.len() {
        return Ok(Piece::Vary { mode: Mode::Sequence, parts: parts(inner, at)? });
    }
    if trimmed.chars().all(|c| c.is_alphanumeric() || c == '_') {
        Ok(Piece::Fill(trimmed.to_string()))
    } else {
        Ok(Piece::Show(trimmed.to_string()))
    }
}

/// What a text is filled in with.
pub struct Fill<'a> {
    /// Parameters, variables and visit counts by name.
    pub scope: &'a BTreeMap<String, Value>,
    /// How many times this text was said before: which part a sequence or cycle says.
    pub round: u32,
    /// The play's seed and the text's place, for shuffles.
    pub seed: u64,
    pub place: &'a str,
}

/// The text as it is said this time. Names not in scope stay as written (the linter reports
/// them); a condition that cannot be evaluated is an error.
pub fn render(pieces: &[Piece], fill: &Fill<'_>) -> Result<String, ExprError> {
    let mut out = String::new();
    let mut shuffles = 0;
    render_into(pieces, fill, &mut shuffles, &mut out)?;
    Ok(out)
}

fn render_into(pieces: &[Piece], fill: &Fill<'_>, shuffles: &mut usize, out: &mut String) -> Result<(), ExprError> {
    for p in pieces {
        match p {
            Piece::Lit(s) => out.push_str(s),
            Piece::Fill(name) => match fill.scope.get(name) {
                Some(v) => out.push_str(&v.to_string()),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            },
            Piece::Show(src) => out.push_str(&expr::parse(src).and_then(|e| expr::eval(&e, fill.scope))?.to_string()),
            Piece::When { cond, yes, no } => {
                let holds = expr::parse(cond).and_then(|e| expr::eval_bool(&e, fill.scope))?;
                render_into(if holds { yes } else { no }, fill, shuffles, out)?;
            }
            Piece::Vary { mode, parts } => {
                let n = parts.len();
                let round = fill.round as usize;
                let i = match mode {
                    Mode::Sequence => round.min(n - 1),
                    Mode::Cycle => round % n,
                    Mode::Shuffle => {
                        *shuffles += 1;
                        dice::pick(fill.seed, &format!("{}~{shuffles}~{round}", fill.place), n)
                    }
                };
                render_into(&parts[i], fill, shuffles, out)?;
            }
        }
    }
    Ok(())
}

/// Parses and renders; a text that does not parse is said as written (the linter reports it).
pub fn fill(text: &str, fill: &Fill<'_>) -> Result<String, ExprError> {
    match parse(text) {
        Ok(pieces) => render(&pieces, fill),
        Err(_) => Ok(text.to_string()),
    }
}

/// An expression in a text, and whether it must be a bool (a condition).
pub type TextExpr<'p> = (&'p str, bool);

/// Every `{name}` and every expression in the pieces, depth first.
pub fn names_and_expressions(pieces: &[Piece]) -> (Vec<&str>, Vec<TextExpr<'_>>) {
    fn walk<'p>(pieces: &'p [Piece], names: &mut Vec<&'p str>, conds: &mut Vec<TextExpr<'p>>) {
        for p in pieces {
            match p {
                Piece::Lit(_) => {}
                Piece::Fill(n) => names.push(n),
                Piece::Show(e) => conds.push((e, false)),
                Piece::When { cond, yes, no } => {
                    conds.push((cond, true));
                    walk(yes, names, conds);
                    walk(no, names, conds);
                }
                Piece::Vary { parts, .. } => parts.iter().for_each(|part| walk(part, names, conds)),
            }
        }
    }
    let (mut names, mut conds) = (Vec::new(), Vec::new());
    walk(pieces, &mut names, &mut conds);
    (names, conds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn say(text: &str, vars: &[(&str, Value)], round: u32) -> String {
        let scope: BTreeMap<String, Value> = vars.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        fill(text, &Fill { scope: &scope, round, seed: 1, place: "beat#0" }).unwrap()
    }

    #[test]
    fn conditions_pick_a_part_and_names_fill_in() {
        let text = "Pip has {shells} {shells > 1: shells|shell}.";
        assert_eq!(say(text, &[("shells", Value::Int(1))], 0), "Pip has 1 shell.");
        assert_eq!(say(text, &[("shells", Value::Int(3))], 0), "Pip has 3 shells.");
        assert_eq!(say("{brave: Pip is brave.}Go!", &[("brave", Value::Bool(false))], 0), "Go!");
        assert_eq!(say("Hi {name}!", &[], 0), "Hi {name}!", "unknown names stay as written");
        assert_eq!(say("{shells + 1} shells", &[("shells", Value::Int(1))], 0), "2 shells");
    }

    #[test]
    fn sequences_stop_on_the_last_part_and_cycles_go_round() {
        let seq: Vec<String> = (0..4).map(|r| say("{Once|Then|At last}, the owl", &[], r)).collect();
        assert_eq!(seq, ["Once, the owl", "Then, the owl", "At last, the owl", "At last, the owl"]);
        let cycle: Vec<String> = (0..3).map(|r| say("{&day|night}", &[], r)).collect();
        assert_eq!(cycle, ["day", "night", "day"]);
    }

    #[test]
    fn shuffles_use_every_part_and_repeat_for_the_same_round() {
        let said: std::collections::BTreeSet<String> = (0..40).map(|r| say("{~red|blue|green}", &[], r)).collect();
        assert_eq!(said.len(), 3, "{said:?}");
        assert_eq!(say("{~red|blue|green}", &[], 7), say("{~red|blue|green}", &[], 7));
    }

    #[test]
    fn parts_nest_and_mistakes_name_their_place() {
        let vars = [("n", Value::Int(2)), ("who", Value::Text("Pip".into()))];
        assert_eq!(say("{n > 1: {who} and {&one|two} friends|alone}", &vars, 1), "Pip and two friends");
        assert_eq!(parse("Hello {name"), Err(TextError::Unclosed(6)));
        assert_eq!(parse("ab {  }"), Err(TextError::Empty(3)));
        assert_eq!(parse("{x: a|b|c}"), Err(TextError::TooManyParts(1)));
        let pieces = parse("{a > 1: {b}|{&{c}|{d * 2}}}").unwrap();
        let (names, exprs) = names_and_expressions(&pieces);
        assert_eq!((names, exprs), (vec!["b", "c"], vec![("a > 1", true), ("d * 2", false)]));
    }
}
