//! Sentences as words: the normalized text ([`super::normalize`]) cut into sentences and words,
//! each word with its base form and lexicon classes ([`super::lexicon`]), whether it was written
//! with a capital (a name), whether it is a possessive ("the cat's"), and whether a comma or
//! dash comes before it. Contractions are split into their words ("don't" is "do not", "let's"
//! is "let us") so that the judgement sees one spelling of each frame.

use super::lexicon::{self, NOUN, PERSON, VERB};
use super::normalize::Normalized;
use std::ops::Range;

#[derive(Clone, Debug)]
pub struct Word {
    /// The word as the judgement reads it: lowercase, apostrophes and hyphens dropped.
    pub key: String,
    /// Its base form in the lexicon ("kicked" is "kick"), else the key.
    pub base: String,
    /// Every base it is a form of ("saw" is "saw" and "see").
    pub bases: &'static [&'static str],
    pub classes: u64,
    /// A possessive ("cat's", "soldiers'").
    pub poss: bool,
    /// Bytes in the normalized text.
    pub range: Range<usize>,
    /// Written with a capital letter, not first in its sentence: a name when the lexicon does not
    /// know it.
    pub name: bool,
    /// A comma, colon, dash or quotation mark comes before it.
    pub pause: bool,
}

impl Word {
    pub fn is(&self, class: u64) -> bool {
        self.classes & class != 0
    }

    /// Whether the word is a form of `base`.
    pub fn of(&self, base: &str) -> bool {
        self.key == base || self.base == base || self.bases.contains(&base)
    }

    pub fn any(&self, bases: &[&str]) -> bool {
        bases.iter().any(|b| self.of(b))
    }

    /// A person or an animal, by the lexicon or as a name.
    pub fn alive(&self) -> bool {
        self.name || self.is(PERSON | lexicon::ANIMAL)
    }
}

#[derive(Clone, Debug)]
pub struct Sentence {
    pub words: Vec<Word>,
    /// Ends with a question mark.
    pub question: bool,
}

/// Words a name is never, even when written with a capital.
const NOT_NAMES: &[&str] = &[
    "i",
    "the",
    "a",
    "an",
    "and",
    "but",
    "or",
    "so",
    "then",
    "once",
    "when",
    "if",
    "one",
    "two",
    "three",
    "this",
    "that",
    "there",
    "here",
    "what",
    "who",
    "why",
    "how",
    "where",
    "oh",
    "yes",
    "no",
    "okay",
    "ok",
    "hey",
    "wow",
    "look",
    "please",
    "now",
    "today",
    "tomorrow",
    "yesterday",
    "suddenly",
    "every",
    "some",
    "all",
    "my",
    "your",
    "our",
    "his",
    "her",
    "their",
    "its",
    "we",
    "you",
    "he",
    "she",
    "they",
    "it",
    "let",
    "us",
    "not",
    "do",
    "will",
    "can",
    "would",
    "should",
    "must",
    "is",
    "are",
    "was",
    "were",
    "be",
    "to",
    "in",
    "on",
    "at",
    "of",
    "for",
    "with",
    "by",
    "from",
    "up",
    "down",
    "out",
    "off",
    "over",
    "under",
    "into",
    "onto",
    "after",
    "before",
    "first",
    "next",
    "last",
    "never",
    "always",
    "maybe",
    "just",
    "very",
    "really",
    "too",
    "also",
    "good",
    "bad",
    "big",
    "little",
    "dear",
    "mr",
    "mrs",
    "ms",
    "miss",
    "sir",
    "christmas",
    "easter",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "english",
    "french",
    "god",
    "santa",
    "neverland",
    "earth",
    "mars",
];

/// Pronouns and words whose "'s" means "is", not a possessive.
const IS_CONTRACTED: &[&str] = &[
    "it",
    "he",
    "she",
    "that",
    "what",
    "there",
    "here",
    "who",
    "where",
    "how",
    "when",
    "everyone",
    "everybody",
    "someone",
    "somebody",
    "nobody",
    "noone",
    "this",
    "everything",
    "something",
    "nothing",
];

/// Contractions written without an apostrophe, as children type them.
const BARE_CONTRACTIONS: &[(&str, &str, &str)] = &[
    ("dont", "do", "not"),
    ("doesnt", "does", "not"),
    ("didnt", "did", "not"),
    ("cant", "can", "not"),
    ("wont", "will", "not"),
    ("isnt", "is", "not"),
    ("arent", "are", "not"),
    ("wasnt", "was", "not"),
    ("werent", "were", "not"),
    ("shouldnt", "should", "not"),
    ("mustnt", "must", "not"),
    ("couldnt", "could", "not"),
    ("wouldnt", "would", "not"),
    ("havent", "have", "not"),
    ("hasnt", "has", "not"),
    ("im", "i", "am"),
    ("youre", "you", "are"),
    ("ive", "i", "have"),
    ("cannot", "can", "not"),
    ("gonna", "going", "to"),
    ("wanna", "want", "to"),
    ("gotta", "got", "to"),
];

/// Splits a written word (lowercase, with its apostrophes) into the words it stands for.
fn expand(raw: &str) -> Vec<(String, bool)> {
    let plain = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let pair = |a: &str, b: &str| vec![(a.to_string(), false), (b.to_string(), false)];
    if let Some(stem) = raw.strip_suffix("n't") {
        return match stem {
            "ca" => pair("can", "not"),
            "wo" => pair("will", "not"),
            "sha" => pair("shall", "not"),
            "ai" => pair("is", "not"),
            _ => pair(&plain(stem), "not"),
        };
    }
    if raw == "let's" || raw == "lets" {
        return pair("let", "us");
    }
    for (suffix, word) in [("'ll", "will"), ("'re", "are"), ("'ve", "have"), ("'m", "am"), ("'d", "would")] {
        if let Some(stem) = raw.strip_suffix(suffix) {
            return pair(&plain(stem), word);
        }
    }
    if let Some(stem) = raw.strip_suffix("'s") {
        let stem = plain(stem);
        if IS_CONTRACTED.contains(&stem.as_str()) {
            return pair(&stem, "is");
        }
        return vec![(stem, true)];
    }
    if let Some(stem) = raw.strip_suffix('\'') {
        return vec![(plain(stem), stem.ends_with('s'))];
    }
    let key = plain(raw);
    if let Some((_, a, b)) = BARE_CONTRACTIONS.iter().find(|(w, _, _)| *w == key) {
        return pair(a, b);
    }
    vec![(key, false)]
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The sentences of a text, as words.
pub fn sentences(n: &Normalized, original: &str) -> Vec<Sentence> {
    let text = &n.text;
    let mut out = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    let mut pause = false;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if is_word_char(c) {
            // A word: letters and digits, with apostrophes and hyphens inside it.
            let mut j = i + 1;
            while j < chars.len() {
                let c = chars[j].1;
                let inner = (c == '\'' || c == '-') && j + 1 < chars.len() && is_word_char(chars[j + 1].1);
                let trailing_apostrophe = c == '\'' && chars[j - 1].1 == 's';
                if is_word_char(c) || inner || trailing_apostrophe {
                    j += 1;
                } else {
                    break;
                }
            }
            let end = chars.get(j).map_or(text.len(), |(e, _)| *e);
            let raw = &text[at..end];
            let capital = original[n.to_original(at..at + c.len_utf8())].chars().next().is_some_and(char::is_uppercase);
            for (key, poss) in expand(raw) {
                if key.is_empty() {
                    continue;
                }
                let (base, classes) = lexicon::lookup(&key);
                let first = words.is_empty();
                let name = capital
                    && classes & (NOUN | VERB) == 0
                    && !NOT_NAMES.contains(&key.as_str())
                    && key.chars().all(char::is_alphabetic)
                    && !first;
                words.push(Word {
                    base: base.map_or_else(|| key.clone(), str::to_string),
                    bases: lexicon::bases(&key),
                    key,
                    classes,
                    poss,
                    range: at..end,
                    name,
                    pause,
                });
                pause = false;
            }
            i = j;
            continue;
        }
        match c {
            '.' | '!' | '?' | ';' | '\n' | '\u{2026}' => {
                if !words.is_empty() {
                    out.push(Sentence { words: std::mem::take(&mut words), question: c == '?' });
                }
                pause = false;
            }
            ',' | ':' | '"' | '\u{201C}' | '\u{201D}' | '(' | ')' | '\u{2013}' | '\u{2014}' => pause = true,
            '-' if chars.get(i + 1).is_some_and(|(_, c)| *c == ' ') => pause = true,
            _ => {}
        }
        i += 1;
    }
    if !words.is_empty() {
        out.push(Sentence { words, question: false });
    }
    // A capitalized first word is a name when a verb follows it ("Sam fell off his bike").
    for s in &mut out {
        if s.words.len() > 1 && s.words[1].is(VERB) {
            let w = &s.words[0];
            let capital = original[n.to_original(w.range.clone())].chars().next().is_some_and(char::is_uppercase);
            if capital && w.classes == 0 && !NOT_NAMES.contains(&w.key.as_str()) {
                s.words[0].name = true;
            }
        }
    }
    // Two-word entries ("guinea pig", "plastic bag"): the second word takes their classes.
    for s in &mut out {
        for k in 1..s.words.len() {
            let pair = lexicon::lookup_pair(&s.words[k - 1].key, &s.words[k].key);
            if pair != 0 {
                s.words[k].classes |= pair;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<Vec<String>> {
        let n = Normalized::new(text);
        sentences(&n, text).into_iter().map(|s| s.words.into_iter().map(|w| w.key).collect()).collect()
    }

    #[test]
    fn contractions_and_possessives() {
        assert_eq!(
            keys("Don't pull the cat's tail! Let's go."),
            [vec!["do", "not", "pull", "the", "cat", "tail"], vec!["let", "us", "go"]]
        );
        let n = Normalized::new("Kick Tom's dog");
        let s = sentences(&n, "Kick Tom's dog");
        assert!(s[0].words[1].poss && s[0].words[1].name && !s[0].words[0].name);
    }
}
