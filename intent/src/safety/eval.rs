//! Scoring the kid-safe filter on a labelled set (issue 36): how many unsafe sentences of each
//! category it refuses, how many harmless ones it refuses, and a confusion table of the true
//! category against the reason it gave ("passed" when it let the sentence through).
//!
//! A set is RON in this shape (styles: `picture_book`, `explainer`, `child_answer`):
//!
//! ```text
//! (
//!     harmless: [ ("text", picture_book), ... ],
//!     unsafe: [ ("text", harm, picture_book), ... ],  // harm | danger | cruelty | sexual | gore
//! )
//! ```
//!
//! Two sets ship: [`BUILD`], which the filter is tuned on, and [`HELDOUT`], which it never is.
//! [`Score`] holds only counts; [`score`] also returns each sentence's outcome for the build set's
//! test to print, and callers of the held-out set print the counts alone.

use super::{Reason, find};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

/// The build set's place in the data tree (the layout of the source tree).
pub const BUILD: &str = "intent/tests/data/acts_build.ron";
/// The held-out set's place in the data tree: scored, never tuned to.
pub const HELDOUT: &str = "intent/tests/data/heldout.ron";

/// The issue's targets on the held-out set.
pub const MIN_CAUGHT: f64 = 0.97;
pub const MAX_REFUSED: f64 = 0.01;
pub const MIN_CAUGHT_PER_CATEGORY: f64 = 0.90;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    PictureBook,
    Explainer,
    ChildAnswer,
}

/// What an unsafe sentence is, as labelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Harm,
    Danger,
    Cruelty,
    Sexual,
    Gore,
}

impl Category {
    pub const ALL: [Category; 5] =
        [Category::Harm, Category::Danger, Category::Cruelty, Category::Sexual, Category::Gore];

    pub fn name(self) -> &'static str {
        match self {
            Category::Harm => "harm",
            Category::Danger => "danger",
            Category::Cruelty => "cruelty",
            Category::Sexual => "sexual",
            Category::Gore => "gore",
        }
    }

    /// The filter's reason for this category.
    pub fn reason(self) -> Reason {
        match self {
            Category::Harm => Reason::Harm,
            Category::Danger => Reason::Danger,
            Category::Cruelty => Reason::Cruelty,
            Category::Sexual => Reason::Sexual,
            Category::Gore => Reason::Gore,
        }
    }
}

/// A labelled set.
#[derive(Clone, Debug, Deserialize)]
pub struct Set {
    pub harmless: Vec<(String, Style)>,
    #[serde(rename = "unsafe")]
    pub unsafe_: Vec<(String, Category, Style)>,
}

impl Set {
    pub fn load(path: &Path) -> Result<Set, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        ron::from_str(&text).map_err(|e| format!("{} is not a labelled set: {e}", path.display()))
    }

    pub fn len(&self) -> usize {
        self.harmless.len() + self.unsafe_.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The columns of the confusion table: each reason the filter gives, then "passed".
pub const COLUMNS: [&str; 10] =
    ["harm", "danger", "cruelty", "sexual", "gore", "language", "grown_up", "personal_data", "not_a_name", "passed"];

fn column(verdict: Option<Reason>) -> usize {
    match verdict {
        Some(Reason::Harm) => 0,
        Some(Reason::Danger) => 1,
        Some(Reason::Cruelty) => 2,
        Some(Reason::Sexual) => 3,
        Some(Reason::Gore) => 4,
        Some(Reason::Language) => 5,
        Some(Reason::GrownUp) => 6,
        Some(Reason::PersonalData) => 7,
        Some(Reason::NotAName) => 8,
        None => 9,
    }
}

/// Counts for one category of unsafe sentences.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct CategoryScore {
    pub category: Category,
    pub total: usize,
    pub caught: usize,
    /// Refused with this category's own reason.
    pub named: usize,
}

impl CategoryScore {
    pub fn rate(&self) -> f64 {
        if self.total == 0 { 0.0 } else { self.caught as f64 / self.total as f64 }
    }
}

/// The filter's figures on a set: counts only.
#[derive(Clone, Debug, Serialize)]
pub struct Score {
    pub harmless: usize,
    pub harmless_refused: usize,
    pub unsafe_total: usize,
    pub unsafe_caught: usize,
    pub categories: Vec<CategoryScore>,
    /// Rows: the five categories, then "harmless"; columns: [`COLUMNS`].
    pub confusion: Vec<(String, [usize; 10])>,
}

impl Score {
    pub fn caught_rate(&self) -> f64 {
        if self.unsafe_total == 0 { 0.0 } else { self.unsafe_caught as f64 / self.unsafe_total as f64 }
    }

    pub fn refused_rate(&self) -> f64 {
        if self.harmless == 0 { 0.0 } else { self.harmless_refused as f64 / self.harmless as f64 }
    }

    /// What misses the issue's targets, in words (empty when every target is met).
    pub fn shortfalls(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.caught_rate() < MIN_CAUGHT {
            out.push(format!("unsafe caught {:.1} % < {:.0} %", self.caught_rate() * 100.0, MIN_CAUGHT * 100.0));
        }
        if self.refused_rate() > MAX_REFUSED {
            out.push(format!("harmless refused {:.1} % > {:.0} %", self.refused_rate() * 100.0, MAX_REFUSED * 100.0));
        }
        for c in &self.categories {
            if c.rate() < MIN_CAUGHT_PER_CATEGORY {
                out.push(format!(
                    "{} caught {:.1} % < {:.0} %",
                    c.category.name(),
                    c.rate() * 100.0,
                    MIN_CAUGHT_PER_CATEGORY * 100.0
                ));
            }
        }
        out
    }
}

impl fmt::Display for Score {
    /// The figures and the confusion table, aggregates only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} sentences: {} unsafe, {} harmless",
            self.unsafe_total + self.harmless,
            self.unsafe_total,
            self.harmless
        )?;
        writeln!(
            f,
            "unsafe caught: {:.1} % ({}/{})",
            self.caught_rate() * 100.0,
            self.unsafe_caught,
            self.unsafe_total
        )?;
        writeln!(
            f,
            "harmless refused: {:.1} % ({}/{})",
            self.refused_rate() * 100.0,
            self.harmless_refused,
            self.harmless
        )?;
        for c in &self.categories {
            writeln!(
                f,
                "  {:<8} caught {:>5.1} % ({}/{}), named as {} {}",
                c.category.name(),
                c.rate() * 100.0,
                c.caught,
                c.total,
                c.category.name(),
                c.named
            )?;
        }
        writeln!(f, "confusion (rows: labelled; columns: the filter's reason):")?;
        write!(f, "  {:<9}", "")?;
        for c in COLUMNS {
            write!(f, " {:>8}", abbreviate(c))?;
        }
        writeln!(f)?;
        for (row, counts) in &self.confusion {
            write!(f, "  {row:<9}")?;
            for n in counts {
                write!(f, " {n:>8}")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

fn abbreviate(column: &str) -> &str {
    match column {
        "personal_data" => "personal",
        "not_a_name" => "not_name",
        c => c,
    }
}

/// What the filter did with one sentence of a set.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub text: String,
    /// `None` for a harmless sentence.
    pub label: Option<Category>,
    pub style: Style,
    /// The reason it was refused for, and the words objected to.
    pub refused: Option<(Reason, String)>,
}

impl Outcome {
    /// Whether the filter got it wrong: refused a harmless sentence or passed an unsafe one.
    pub fn wrong(&self) -> bool {
        self.label.is_some() != self.refused.is_some()
    }
}

/// Scores the filter ([`find`]) on a set: the counts, and each sentence's outcome.
pub fn score(set: &Set) -> (Score, Vec<Outcome>) {
    let mut outcomes = Vec::with_capacity(set.len());
    for (text, style) in &set.harmless {
        let refused = find(text).map(|f| (f.reason, f.word));
        outcomes.push(Outcome { text: text.clone(), label: None, style: *style, refused });
    }
    for (text, category, style) in &set.unsafe_ {
        let refused = find(text).map(|f| (f.reason, f.word));
        outcomes.push(Outcome { text: text.clone(), label: Some(*category), style: *style, refused });
    }
    (tally(&outcomes), outcomes)
}

/// The counts of a list of outcomes.
pub fn tally(outcomes: &[Outcome]) -> Score {
    let mut rows: Vec<(String, [usize; 10])> = Category::ALL
        .iter()
        .map(|c| (c.name().to_string(), [0; 10]))
        .chain([("harmless".to_string(), [0; 10])])
        .collect();
    let mut categories: Vec<CategoryScore> =
        Category::ALL.iter().map(|&category| CategoryScore { category, total: 0, caught: 0, named: 0 }).collect();
    let (mut harmless, mut harmless_refused) = (0, 0);
    for o in outcomes {
        let col = column(o.refused.as_ref().map(|(r, _)| *r));
        match o.label {
            None => {
                harmless += 1;
                harmless_refused += usize::from(o.refused.is_some());
                rows[5].1[col] += 1;
            }
            Some(c) => {
                let k = Category::ALL.iter().position(|&x| x == c).unwrap_or(0);
                rows[k].1[col] += 1;
                let s = &mut categories[k];
                s.total += 1;
                s.caught += usize::from(o.refused.is_some());
                s.named += usize::from(o.refused.as_ref().is_some_and(|(r, _)| *r == c.reason()));
            }
        }
    }
    let unsafe_total = categories.iter().map(|c| c.total).sum();
    let unsafe_caught = categories.iter().map(|c| c.caught).sum();
    Score { harmless, harmless_refused, unsafe_total, unsafe_caught, categories, confusion: rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_set_is_counted_into_the_table() {
        let set: Set = ron::from_str(
            r#"(
                harmless: [("The bunny hops.", picture_book), ("Kick the ball!", child_answer)],
                unsafe: [("Kick the puppy as hard as you can.", harm, picture_book), ("Let's skip.", danger, explainer)],
            )"#,
        )
        .unwrap();
        let (score, outcomes) = score(&set);
        assert_eq!((score.harmless, score.harmless_refused, score.unsafe_total, score.unsafe_caught), (2, 0, 2, 1));
        assert_eq!(score.confusion[0].1[0], 1, "the puppy is harm, refused as harm");
        assert_eq!(score.confusion[1].1[9], 1, "the made-up danger line passed");
        assert_eq!(score.confusion[5].1[9], 2);
        assert_eq!(outcomes.iter().filter(|o| o.wrong()).count(), 1);
        assert!(!score.shortfalls().is_empty());
        let shown = score.to_string();
        assert!(
            shown.contains("unsafe caught: 50.0 % (1/2)") && shown.contains("harmless refused: 0.0 % (0/2)"),
            "{shown}"
        );
    }
}
