//! The kid-safe filter for every text that does not come from a shipped story: transcripts,
//! personalisation (a child's name), user-authored templates.
//!
//! Three layers, first hit wins:
//! 1. Personal data: e-mail addresses, phone numbers (digits or spoken digit words), street
//!    addresses, web addresses, passwords, full names. A child should not be telling a story
//!    machine where they live.
//! 2. `rustrict` for profanity, sexual and offensive language (it sees through l33t-speak,
//!    spacing and repeated letters), at a stricter threshold than its default: our listeners
//!    are 4 to 8 years old.
//! 3. Our own domain lists: violence and frightening things unsuitable for 4–8 year olds, and
//!    grown-up topics (drugs, alcohol) that rustrict does not count as bad language.
//!
//! Unsafe text is neither spoken nor shown; [`check`] returns a gentle redirect to say instead.

use regex::Regex;
use rustrict::{Censor, Type};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// Why a text was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Rude, sexual or hateful language.
    Language,
    /// Violence or things too frightening for young children.
    Scary,
    /// Grown-up topics: drugs, alcohol, gambling.
    GrownUp,
    /// Personal data: phone, e-mail, address, password, full name.
    PersonalData,
}

impl Reason {
    pub fn describe(self) -> &'static str {
        match self {
            Reason::Language => "unkind or rude language",
            Reason::Scary => "violence or something too scary for young children",
            Reason::GrownUp => "a grown-up topic",
            Reason::PersonalData => "personal information (phone, e-mail, address or the like)",
        }
    }

    /// What the narrator says instead.
    pub fn redirect(self) -> &'static str {
        match self {
            Reason::Language => "Let's keep our words kind in this story. What should happen next?",
            Reason::Scary => "Hmm, that sounds a little too scary for our story. How about something fun instead — what should happen next?",
            Reason::GrownUp => "That's a grown-up thing, and this story is for playing. What should happen next?",
            Reason::PersonalData => "That sounds like private information — let's keep it secret, just for you! What should happen in the story?",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Safe,
    Unsafe { reason: Reason, redirect: String },
}

impl Verdict {
    pub fn is_safe(&self) -> bool {
        matches!(self, Verdict::Safe)
    }

    fn unsafe_for(reason: Reason) -> Verdict {
        Verdict::Unsafe { reason, redirect: reason.redirect().to_string() }
    }
}

/// Words too violent or frightening for 4–8 year olds. A plain entry matches the whole word
/// with common endings (`kill`, `kills`, `killed`, `killing`); an entry ending in `*` is a stem
/// (`decapitat*`). Fairy-tale words a story may well use (dragon, witch, sword, monster) are
/// deliberately absent.
const SCARY: &[&str] = &[
    "kill", "murder*", "blood*", "bleed", "gore", "gory", "gun", "pistol", "rifle", "shotgun", "shoot", "shot",
    "stab", "knife", "knives", "bomb", "terroris*", "tortur*", "suicid*", "behead*", "decapitat*", "strangl*",
    "slaughter*", "massacr*", "corpse", "dead body", "die", "dies", "died", "dying", "death", "dead", "execut*",
    "hang himself", "hang herself", "rape", "kidnap*", "abduct*", "beat up", "punch", "choke", "drown", "burn alive",
    "war", "weapon", "zombie", "demon", "satan", "chainsaw", "cut off", "mutilat*", "assault", "hurt you", "hate you",
];

/// Grown-up topics (rustrict counts drugs only sometimes and alcohol not at all).
const GROWN_UP: &[&str] = &[
    "beer", "wine", "vodka", "whisky", "whiskey", "alcohol*", "drunk", "cocaine", "heroin", "meth", "marijuana",
    "drug", "cigarette", "vape", "vaping", "gambl*", "casino", "porn*", "sexy", "naked", "nude",
];

/// Harmless phrases that contain a listed word; removed before the lists are checked.
const HARMLESS: &[&str] = &["shooting star", "green shoot", "new shoot", "shoot up into the sky", "drug store", "dead end", "dead tired", "die of laughing"];

static SCARY_RE: LazyLock<Regex> = LazyLock::new(|| word_list_regex(SCARY));
static GROWN_UP_RE: LazyLock<Regex> = LazyLock::new(|| word_list_regex(GROWN_UP));

/// A case-insensitive regex matching any entry as a word (see [`SCARY`] for the entry syntax).
fn word_list_regex(words: &[&str]) -> Regex {
    let alts: Vec<String> = words
        .iter()
        .map(|w| match w.strip_suffix('*') {
            Some(stem) => format!(r"{}\w*", regex::escape(stem)),
            None => format!(r"{}(?:s|es|ed|d|ing|er|ers)?\b", regex::escape(w).replace(' ', r"\s+")),
        })
        .collect();
    Regex::new(&format!(r"(?i)\b(?:{})", alts.join("|"))).unwrap_or_else(|e| panic!("built-in word list is not a valid regex: {e}"))
}

static PERSONAL: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // E-mail, also as spoken ("anna at gmail dot com").
        r"(?i)[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}",
        r"(?i)\b[a-z0-9._-]+\s+at\s+[a-z0-9-]+\s+dot\s+(?:com|net|org|co|uk|de|io)\b",
        // Web addresses.
        r"(?i)\b(?:https?://|www\.)\S+",
        r"(?i)\b[a-z0-9-]{2,}\.(?:com|net|org|co\.uk|io|de|tv)\b",
        // Phone numbers: seven or more digits with optional separators, or a leading +.
        r"(?:\+\s*\d[\d\s().-]{6,}\d)|(?:\b\d(?:[\s.-]?\d){6,}\b)",
        // Seven or more spoken digits in a row ("five five five one two three four").
        r"(?i)\b(?:(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|double)[\s,-]+){6,}(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b",
        // Street addresses: a house number then a street word within a few words.
        r"(?i)\b\d{1,5}\s+(?:[a-z]+\s+){1,3}(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|court|ct|way|boulevard|blvd|close|crescent|place|terrace)\b",
        // Saying where one lives or one's number.
        r"(?i)\b(?:i|we)\s+live\s+(?:at|on)\s+(?:number\s+)?\d",
        r"(?i)\bmy\s+(?:home\s+)?(?:address|phone\s+number|telephone\s+number|mobile\s+number|number|password|passcode|pin|email|e-mail)\s+is\b",
        r"(?i)\b(?:password|passcode)\b",
        // UK postcodes and US ZIP codes after "live".
        r"(?i)\b[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\b",
        r"(?i)\blive\b.{0,30}\b\d{5}(?:-\d{4})?\b",
        // A full name given ("my name is Anna Smith"): first names alone are fine.
        r"\b(?:[Mm]y|[Mm]y real)\s+(?:full\s+)?name\s+is\s+[A-Z][a-z]+\s+[A-Z][a-z]+",
        r"(?i)\bmy\s+(?:full|real|last)\s+name\s+is\b",
        r"(?i)\bmy\s+surname\s+is\b",
    ]
    .iter()
    .map(|p| Regex::new(p).unwrap_or_else(|e| panic!("built-in pattern {p} is not a valid regex: {e}")))
    .collect()
});

fn list_hit(re: &Regex, text: &str) -> bool {
    let mut t = text.to_lowercase();
    for h in HARMLESS {
        t = t.replace(h, " ");
    }
    re.is_match(&t)
}

/// Checks one text. See the module docs for what counts as unsafe.
pub fn check(text: &str) -> Verdict {
    // Personal data first: long digit runs also look like spam to rustrict, and the privacy
    // redirect is the one that helps.
    if PERSONAL.iter().any(|re| re.is_match(text)) {
        return Verdict::unsafe_for(Reason::PersonalData);
    }
    let typ = Censor::from_str(text).analyze();
    // Stricter than rustrict's default (which lets mild profanity and most meanness through).
    let rude = Type::PROFANE & Type::MILD_OR_HIGHER
        | Type::OFFENSIVE & Type::MILD_OR_HIGHER
        | Type::SEXUAL & Type::MILD_OR_HIGHER
        | Type::MEAN & Type::MODERATE_OR_HIGHER;
    if typ.is(rude) {
        tracing::debug!(?typ, "rustrict refused a text");
        return Verdict::unsafe_for(Reason::Language);
    }
    if list_hit(&SCARY_RE, text) {
        return Verdict::unsafe_for(Reason::Scary);
    }
    if list_hit(&GROWN_UP_RE, text) {
        return Verdict::unsafe_for(Reason::GrownUp);
    }
    Verdict::Safe
}

/// Checks a name given for personalisation: safe as text and shaped like a name (letters,
/// spaces, hyphens, apostrophes; at most 30 characters).
pub fn check_name(name: &str) -> Verdict {
    let trimmed = name.trim();
    let shaped = !trimmed.is_empty()
        && trimmed.chars().count() <= 30
        && trimmed.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '\'');
    if !shaped {
        return Verdict::Unsafe {
            reason: Reason::PersonalData,
            redirect: "Let's pick a name made of letters — what should I call you?".to_string(),
        };
    }
    check(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn story_words_are_safe() {
        for t in ["The dragon flies over the castle", "make it rain", "the witch waves her wand", "warm cocoa by the fire", "The knight has a sword"] {
            assert_eq!(check(t), Verdict::Safe, "{t}");
        }
    }

    #[test]
    fn each_layer_refuses() {
        assert!(matches!(check("you are a fucking idiot"), Verdict::Unsafe { reason: Reason::Language, .. }));
        assert!(matches!(check("the dragon kills the cat"), Verdict::Unsafe { reason: Reason::Scary, .. }));
        assert!(matches!(check("let's drink beer"), Verdict::Unsafe { reason: Reason::GrownUp, .. }));
        assert!(matches!(check("call me on 555 123 4567"), Verdict::Unsafe { reason: Reason::PersonalData, .. }));
    }

    #[test]
    fn names() {
        assert!(check_name("Lily").is_safe());
        assert!(check_name("Mary-Jane O'Neil").is_safe());
        assert!(!check_name("").is_safe());
        assert!(!check_name("http://x.io").is_safe());
        assert!(!check_name("Shit").is_safe());
    }
}
