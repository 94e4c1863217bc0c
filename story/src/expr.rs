//! Conditions and assignments: `courage >= 2 && !scared`, `tries + 1`, `name == "Sam"`,
//! `visits("cave") > 1` (how many times a beat was entered, with nothing to declare).
//!
//! Our own small language rather than a general expression crate: the linter must check every
//! variable and type statically and explain mistakes in an author's terms, and the runtime must
//! never meet a construct the linter did not check.

use campfire_scene::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExprError {
    #[error("{message} (at character {at} of `{source_text}`)")]
    Syntax { message: String, at: usize, source_text: String },
    #[error("unknown variable `{0}`")]
    UnknownVar(String),
    #[error("`visits(\"{0}\")` names no beat")]
    UnknownBeat(String),
    #[error("`{0}` by zero")]
    DivideByZero(&'static str),
    #[error("`{op}` needs {wanted}, found {found}")]
    Type { op: String, wanted: &'static str, found: &'static str },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Lit(Value),
    Var(String),
    /// `visits("beat")`
    Visits(String),
    Not(Box<Expr>),
    Bin(Box<Expr>, Op, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

impl Op {
    fn symbol(self) -> &'static str {
        match self {
            Op::Or => "||",
            Op::And => "&&",
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
            Op::Rem => "%",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Int(i64),
    Text(String),
    Ident(String),
    Sym(&'static str),
}

fn lex(src: &str) -> Result<Vec<(usize, Tok)>, ExprError> {
    let err = |message: String, at: usize| ExprError::Syntax { message, at, source_text: quote(src) };
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].1.is_ascii_digit() {
                i += 1;
            }
            let text: String = chars[start..i].iter().map(|(_, c)| c).collect();
            let n = text.parse().map_err(|_| err(format!("number `{text}` is too large"), at))?;
            out.push((at, Tok::Int(n)));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].1.is_alphanumeric() || chars[i].1 == '_') {
                i += 1;
            }
            out.push((at, Tok::Ident(chars[start..i].iter().map(|(_, c)| c).collect())));
        } else if c == '"' {
            i += 1;
            let start = i;
            while i < chars.len() && chars[i].1 != '"' {
                i += 1;
            }
            if i == chars.len() {
                return Err(err("text is missing its closing quote".into(), at));
            }
            out.push((at, Tok::Text(chars[start..i].iter().map(|(_, c)| c).collect())));
            i += 1;
        } else {
            let two: String = chars[i..chars.len().min(i + 2)].iter().map(|(_, c)| c).collect();
            let sym = ["||", "&&", "==", "!=", "<=", ">="]
                .into_iter()
                .find(|s| two == *s)
                .or_else(|| ["<", ">", "+", "-", "*", "/", "%", "!", "(", ")"].into_iter().find(|s| s.starts_with(c)));
            let Some(sym) = sym else {
                return Err(err(format!("unexpected `{c}`"), at));
            };
            i += sym.len();
            out.push((at, Tok::Sym(sym)));
        }
    }
    Ok(out)
}

/// How deeply brackets, `!` and `-` may nest: far beyond any condition a person writes, and far
/// below what would overflow the stack.
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    src: &'a str,
    depth: usize,
}

impl Parser<'_> {
    fn err(&self, message: impl Into<String>) -> ExprError {
        let at = self.toks.get(self.pos).map_or(self.src.len(), |t| t.0);
        ExprError::Syntax { message: message.into(), at, source_text: quote(self.src) }
    }

    fn eat(&mut self, words: &[&str]) -> Option<&'static str> {
        let (_, tok) = self.toks.get(self.pos)?;
        let found = match tok {
            Tok::Sym(s) if words.contains(s) => Some(*s),
            Tok::Ident(w) if w == "and" && words.contains(&"&&") => Some("&&"),
            Tok::Ident(w) if w == "or" && words.contains(&"||") => Some("||"),
            Tok::Ident(w) if w == "not" && words.contains(&"!") => Some("!"),
            _ => None,
        };
        if found.is_some() {
            self.pos += 1;
        }
        found
    }

    fn binary(
        &mut self,
        ops: &[(&str, Op)],
        next: fn(&mut Self) -> Result<Expr, ExprError>,
    ) -> Result<Expr, ExprError> {
        let syms: Vec<&str> = ops.iter().map(|o| o.0).collect();
        let mut left = next(self)?;
        while let Some(sym) = self.eat(&syms) {
            let op = ops.iter().find(|o| o.0 == sym).map(|o| o.1).unwrap_or(Op::Eq);
            left = Expr::Bin(Box::new(left), op, Box::new(next(self)?));
        }
        Ok(left)
    }

    fn or(&mut self) -> Result<Expr, ExprError> {
        self.binary(&[("||", Op::Or)], Self::and)
    }
    fn and(&mut self) -> Result<Expr, ExprError> {
        self.binary(&[("&&", Op::And)], Self::not)
    }
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, ExprError>) -> Result<T, ExprError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.err(format!("brackets, `!` or `-` nest more than {MAX_DEPTH} deep")));
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        out
    }
    fn not(&mut self) -> Result<Expr, ExprError> {
        if self.eat(&["!"]).is_some() {
            return self.nested(|p| Ok(Expr::Not(Box::new(p.not()?))));
        }
        self.cmp()
    }
    fn cmp(&mut self) -> Result<Expr, ExprError> {
        let ops = [("==", Op::Eq), ("!=", Op::Ne), ("<=", Op::Le), (">=", Op::Ge), ("<", Op::Lt), (">", Op::Gt)];
        let left = self.sum()?;
        let syms: Vec<&str> = ops.iter().map(|o| o.0).collect();
        match self.eat(&syms) {
            Some(sym) => {
                let op = ops.iter().find(|o| o.0 == sym).map(|o| o.1).unwrap_or(Op::Eq);
                Ok(Expr::Bin(Box::new(left), op, Box::new(self.sum()?)))
            }
            None => Ok(left),
        }
    }
    fn sum(&mut self) -> Result<Expr, ExprError> {
        self.binary(&[("+", Op::Add), ("-", Op::Sub)], Self::product)
    }
    fn product(&mut self) -> Result<Expr, ExprError> {
        self.binary(&[("*", Op::Mul), ("/", Op::Div), ("%", Op::Rem)], Self::atom)
    }
    fn atom(&mut self) -> Result<Expr, ExprError> {
        let Some((_, tok)) = self.toks.get(self.pos).cloned() else {
            return Err(self.err("expected a value, found the end"));
        };
        self.pos += 1;
        match tok {
            Tok::Int(n) => Ok(Expr::Lit(Value::Int(n))),
            Tok::Text(s) => Ok(Expr::Lit(Value::Text(s))),
            Tok::Ident(w) if w == "true" => Ok(Expr::Lit(Value::Bool(true))),
            Tok::Ident(w) if w == "false" => Ok(Expr::Lit(Value::Bool(false))),
            Tok::Ident(w) if w == "visits" && matches!(self.toks.get(self.pos), Some((_, Tok::Sym("(")))) => {
                let beat = match self.toks.get(self.pos + 1) {
                    Some((_, Tok::Text(beat))) if matches!(self.toks.get(self.pos + 2), Some((_, Tok::Sym(")")))) => {
                        beat.clone()
                    }
                    _ => {
                        self.pos += 1;
                        return Err(self.err("`visits` takes a beat's name in quotes: `visits(\"cave\")`"));
                    }
                };
                self.pos += 3;
                Ok(Expr::Visits(beat))
            }
            Tok::Ident(w) => Ok(Expr::Var(w)),
            Tok::Sym("(") => {
                let e = self.nested(Self::or)?;
                if self.eat(&[")"]).is_none() {
                    return Err(self.err("expected `)`"));
                }
                Ok(e)
            }
            Tok::Sym("-") => match self.nested(Self::atom)? {
                Expr::Lit(Value::Int(n)) => Ok(Expr::Lit(Value::Int(-n))),
                e => Ok(Expr::Bin(Box::new(Expr::Lit(Value::Int(0))), Op::Sub, Box::new(e))),
            },
            Tok::Sym(s) => {
                self.pos -= 1;
                Err(self.err(format!("expected a value, found `{s}`")))
            }
        }
    }
}

/// The expression as quoted in a message: a runaway one is cut short.
fn quote(src: &str) -> String {
    if src.chars().count() <= 80 { src.to_string() } else { src.chars().take(79).collect::<String>() + "…" }
}

/// Parses an expression.
pub fn parse(src: &str) -> Result<Expr, ExprError> {
    let mut p = Parser { toks: lex(src)?, pos: 0, src, depth: 0 };
    let e = p.or()?;
    if p.pos < p.toks.len() {
        return Err(p.err("unexpected text after the end of the expression"));
    }
    Ok(e)
}

/// Where `visits("beat")` is found in the variables given to [`eval`]: a key no variable
/// name can have.
pub fn visits_key(beat: &str) -> String {
    format!("#{beat}")
}

/// The beats whose visits an expression reads.
pub fn visited(e: &Expr) -> Vec<&str> {
    match e {
        Expr::Lit(_) | Expr::Var(_) => Vec::new(),
        Expr::Visits(b) => vec![b.as_str()],
        Expr::Not(e) => visited(e),
        Expr::Bin(a, _, b) => visited(a).into_iter().chain(visited(b)).collect(),
    }
}

fn type_name(v: &Value) -> &'static str {
    v.type_name()
}

/// Evaluates against variables; also how the linter type-checks (with each variable's
/// declared initial value, which fixes its type).
pub fn eval(e: &Expr, vars: &BTreeMap<String, Value>) -> Result<Value, ExprError> {
    Ok(match e {
        Expr::Lit(v) => v.clone(),
        Expr::Var(name) => vars.get(name).cloned().ok_or_else(|| ExprError::UnknownVar(name.clone()))?,
        Expr::Visits(beat) => {
            vars.get(&visits_key(beat)).cloned().ok_or_else(|| ExprError::UnknownBeat(beat.clone()))?
        }
        Expr::Not(inner) => match eval(inner, vars)? {
            Value::Bool(b) => Value::Bool(!b),
            v => {
                return Err(ExprError::Type { op: "!".into(), wanted: "a bool", found: type_name(&v) });
            }
        },
        Expr::Bin(l, op, r) => {
            // Both sides are checked even where the first decides, so the linter sees every
            // variable and type whatever the values.
            let (a, b) = (eval(l, vars)?, eval(r, vars)?);
            let mismatch = |wanted| ExprError::Type {
                op: op.symbol().into(),
                wanted,
                found: type_name(if type_name(&a) == wanted_type(wanted) { &b } else { &a }),
            };
            match (op, &a, &b) {
                (Op::Or, Value::Bool(x), Value::Bool(y)) => Value::Bool(*x || *y),
                (Op::And, Value::Bool(x), Value::Bool(y)) => Value::Bool(*x && *y),
                (Op::Or | Op::And, _, _) => return Err(mismatch("two bools")),
                (Op::Eq | Op::Ne, _, _) if std::mem::discriminant(&a) != std::mem::discriminant(&b) => {
                    return Err(ExprError::Type {
                        op: op.symbol().into(),
                        wanted: "two values of the same type",
                        found: type_name(&b),
                    });
                }
                (Op::Eq, _, _) => Value::Bool(a == b),
                (Op::Ne, _, _) => Value::Bool(a != b),
                (_, Value::Int(x), Value::Int(y)) => match op {
                    Op::Lt => Value::Bool(x < y),
                    Op::Le => Value::Bool(x <= y),
                    Op::Gt => Value::Bool(x > y),
                    Op::Ge => Value::Bool(x >= y),
                    Op::Add => Value::Int(x.saturating_add(*y)),
                    Op::Mul => Value::Int(x.saturating_mul(*y)),
                    // Whole-number division, rounding down as children count ("7 / 2 is 3").
                    Op::Div if *y == 0 => return Err(ExprError::DivideByZero(op.symbol())),
                    Op::Rem if *y == 0 => return Err(ExprError::DivideByZero(op.symbol())),
                    Op::Div => Value::Int(x.div_euclid(*y)),
                    Op::Rem => Value::Int(x.rem_euclid(*y)),
                    _ => Value::Int(x.saturating_sub(*y)),
                },
                (Op::Add, Value::Text(x), Value::Text(y)) => Value::Text(format!("{x}{y}")),
                _ => return Err(mismatch("two ints")),
            }
        }
    })
}

fn wanted_type(wanted: &str) -> &'static str {
    if wanted.contains("bool") { "bool" } else { "int" }
}

/// Evaluates a condition, which must be a bool.
pub fn eval_bool(e: &Expr, vars: &BTreeMap<String, Value>) -> Result<bool, ExprError> {
    match eval(e, vars)? {
        Value::Bool(b) => Ok(b),
        v => Err(ExprError::Type { op: "a condition".into(), wanted: "a bool", found: type_name(&v) }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> BTreeMap<String, Value> {
        [
            ("courage".to_string(), Value::Int(2)),
            ("lamp".into(), Value::Bool(false)),
            ("who".into(), Value::Text("Sam".into())),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn evaluates_what_authors_write() {
        let v = vars();
        let t = |s: &str| eval(&parse(s).unwrap(), &v).unwrap();
        assert_eq!(t("courage >= 2 && !lamp"), Value::Bool(true));
        assert_eq!(t("courage > 2 or lamp"), Value::Bool(false));
        assert_eq!(t("not lamp and (courage + 1 == 3)"), Value::Bool(true));
        assert_eq!(t("courage - 5"), Value::Int(-3));
        assert_eq!(t("who == \"Sam\""), Value::Bool(true));
        assert_eq!(t("-1 < courage"), Value::Bool(true));
        assert_eq!(t("courage * 3 + 1"), Value::Int(7));
        assert_eq!(t("7 / courage"), Value::Int(3));
        assert_eq!(t("7 % courage == 1"), Value::Bool(true));
        assert_eq!(t("-7 / courage"), Value::Int(-4));
    }

    #[test]
    fn explains_mistakes() {
        let v = vars();
        assert!(matches!(parse("courage >="), Err(ExprError::Syntax { .. })));
        assert!(matches!(parse("courage @ 2"), Err(ExprError::Syntax { at: 8, .. })));
        assert!(matches!(parse("(lamp"), Err(ExprError::Syntax { .. })));
        assert_eq!(eval(&parse("courage / 0").unwrap(), &v), Err(ExprError::DivideByZero("/")));
        // Ten thousand brackets are a mistake to explain, not a stack to overflow.
        let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(matches!(parse(&deep), Err(ExprError::Syntax { .. })));
        let nots = format!("{}lamp", "!".repeat(10_000));
        assert!(matches!(parse(&nots), Err(ExprError::Syntax { .. })));
        assert!(matches!(parse("\"open"), Err(ExprError::Syntax { .. })));
        assert_eq!(eval(&parse("brave").unwrap(), &v), Err(ExprError::UnknownVar("brave".into())));
        assert!(matches!(eval(&parse("lamp + 1").unwrap(), &v), Err(ExprError::Type { .. })));
        assert!(matches!(eval_bool(&parse("courage").unwrap(), &v), Err(ExprError::Type { .. })));
        assert!(matches!(eval(&parse("who == 1").unwrap(), &v), Err(ExprError::Type { .. })));
    }
}
