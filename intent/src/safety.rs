//! The kid-safe filter for every text an audience hears or sees: transcripts, personalization
//! (a child's name), story templates, captions.
//!
//! Layers, in this order (each finding carries its span, its words and its [`Reason`]):
//! 1. Personal data: e-mail addresses, phone numbers (digits or spoken digit words), street
//!    addresses, web addresses, passwords, full names. A child should not be telling a story
//!    machine where they live.
//! 2. Words that are unsafe wherever they stand: killing, weapons, gore, sexual words. These and
//!    the lists below read the text as `normalize` gives it (l33t-speak and letters spelled
//!    out one by one read as words).
//! 3. The judgement of acts (the `acts` module): what a sentence tells or asks, composed of an act, its
//!    target, who does it and the frame around it: harm to people and animals, dangerous things
//!    a child could copy, cruelty, sexual content, gore. It tells "kick the puppy as hard as
//!    you can" from "kick the ball as hard as you can", and "the wolf blew the house down" from
//!    harm.
//! 4. Grown-up topics (drugs, alcohol, gambling) rustrict does not count as bad language.
//! 5. `rustrict` for profanity, sexual and offensive language (it sees through l33t-speak,
//!    spacing and repeated letters), at a stricter threshold than its default: our listeners
//!    are 4 to 8 years old. Its habit of reading across punctuation ("ping! A") is reined in.
//! 6. Our own lists of unkind words rustrict lets through ("you are stupid").
//!
//! Phrases known to be harmless ("shooting star", "killing time", "to die for") do not count,
//! and a template may vouch for more words with its `allow` list ([`find_allowing`]).
//! Unsafe text is neither spoken nor shown; [`check`] returns a gentle redirect to say instead,
//! which never repeats the words it replaces.
//! How well it does is measured on labelled sets by `intent/tests/labelled.rs` and
//! `intent/tests/acts.rs` with [`eval`] (also `campfire eval filter`).

mod acts;
pub mod eval;
mod lexicon;
mod normalize;
mod words;

use regex::Regex;
use rustrict::{Censor, Type};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::LazyLock;

use normalize::Normalized;

/// Why a text was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Rude, hateful or unkind language.
    Language,
    /// Hurting people or animals, killing, weapons. (It was called `scary`, with gore, before the
    /// judgement of acts told them apart; old files still read.)
    #[serde(alias = "scary")]
    Harm,
    /// Something dangerous a child could copy: pills, matches, sockets, strangers, windows.
    Danger,
    /// Being cruel: humiliating, mocking, leaving out, neglecting an animal.
    Cruelty,
    /// Sexual content.
    Sexual,
    /// Fear beyond a picture book: blood, bodies, death.
    Gore,
    /// Grown-up topics: drugs, alcohol, gambling.
    GrownUp,
    /// Personal data: phone, e-mail, address, password, full name.
    PersonalData,
    /// Given as a name but not shaped like one (symbols, long digit runs, very long).
    NotAName,
}

impl Reason {
    pub fn describe(self) -> &'static str {
        match self {
            Reason::Language => "unkind or rude language",
            Reason::Harm => "hurting people or animals",
            Reason::Danger => "something dangerous a child could copy",
            Reason::Cruelty => "being cruel to someone or making fun of them",
            Reason::Sexual => "sexual content",
            Reason::Gore => "something too gory or frightening for young children",
            Reason::GrownUp => "a grown-up topic",
            Reason::PersonalData => "personal information (phone, e-mail, address or the like)",
            Reason::NotAName => "not a name (use letters, spaces, `-` and `'`, at most 30 characters)",
        }
    }

    /// What the narrator says instead: gentle, and never the child's own words.
    pub fn redirect(self) -> &'static str {
        match self {
            Reason::Language => "Let's keep our words kind in this story. What should happen next?",
            Reason::Harm => {
                "In our story, everyone stays safe and well, people and animals too. What kind thing could happen next?"
            }
            Reason::Danger => {
                "Ooh, that could be dangerous for real, so let's keep our story safe. What adventure should we have next?"
            }
            Reason::Cruelty => "In our story, everybody is treated kindly. What could the friends do together next?",
            Reason::Sexual => {
                "That's not something for our story. If anything ever worries you, you can always tell a grown-up you trust. Now, what should happen next?"
            }
            Reason::Gore => {
                "Hmm, that sounds a little too scary for our story. How about something fun instead — what should happen next?"
            }
            Reason::GrownUp => "That's a grown-up thing, and this story is for playing. What should happen next?",
            Reason::PersonalData => {
                "That sounds like private information — let's keep it just for you! What should happen in the story?"
            }
            Reason::NotAName => "Let's pick a name made of letters — what should I call you?",
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

/// What the filter objects to in a text: where, which words, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub reason: Reason,
    /// Byte range of the words objected to, in the text as given.
    pub span: Range<usize>,
    /// The text of the span.
    pub word: String,
}

/// Words of violence unsafe wherever they stand. A plain entry matches the whole word with
/// common endings (`kill`, `kills`, `killed`, `killing`); an entry ending in `*` is a stem
/// (`decapitat*`). Fairy-tale words a story may well use (dragon, witch, sword, monster) are
/// deliberately absent, and so are words whose harm depends on what they fall on (kick, punch,
/// knife, burn, hurt, die, blood): the judgement of acts weighs those.
const HARM_WORDS: &[&str] = &[
    "kill",
    "murder*",
    "gun",
    "pistol",
    "rifle",
    "shotgun",
    "shoot",
    "shot",
    "stab",
    "bomb",
    "terroris*",
    "tortur*",
    "suicid*",
    "strangl*",
    "slaughter*",
    "massacr*",
    "execut*",
    "hang himself",
    "hang herself",
    "hanged himself",
    "hanged herself",
    "hang myself",
    "hang yourself",
    "rape",
    "kidnap*",
    "abduct*",
    "beat up",
    "beat you up",
    "beat him up",
    "beat her up",
    "beat them up",
    "drown",
    "burn alive",
    "war",
    "weapon",
    "chainsaw",
    "maul*",
    "assault",
    "burn the house down",
    "burn it down",
];

/// Words of gore and horror.
const GORE_WORDS: &[&str] = &[
    "gore",
    "gory",
    "corpse",
    "dead body",
    "dead bodies",
    "behead*",
    "decapitat*",
    "mutilat*",
    "dismember*",
    "disembowel*",
    "entrails",
    "zombie",
    "demon",
    "satan",
];

/// Sexual words (rustrict rates some of them mild, and the redirect for them differs).
const SEXUAL_WORDS: &[&str] = &["porn*", "sexy", "sex", "sexual*", "erotic*", "make love", "making love", "orgasm*"];

/// Grown-up topics (rustrict counts drugs only sometimes and alcohol not at all).
const GROWN_UP: &[&str] = &[
    "beer",
    "wine",
    "vodka",
    "whisky",
    "whiskey",
    "alcohol*",
    "drunk",
    "cocaine",
    "heroin",
    "meth",
    "marijuana",
    "drug",
    "cigarette",
    "vape",
    "vaping",
    "gambl*",
    "casino",
    "smoke weed",
    "smoking weed",
    "get wasted",
    "bet all",
];

/// Unkind words and phrases rustrict lets through (it rates plain meanness low): always unkind
/// on their own, whoever they are said about.
const UNKIND: &[&str] = &[
    "stupid",
    "idiot",
    "idiotic",
    "moron",
    "imbecile",
    "dumb",
    "dumbo",
    "loser",
    "worthless",
    "pathetic",
    "crybaby",
    "shut up",
    "hate you",
    "nobody likes you",
    "no one likes you",
    "screw you",
    "piss off",
    "dickhead",
    "wanker",
];

/// Words that are only unkind said to someone ("you creep", "you're so ugly"): "the ugly
/// duckling", "the fat cat" and "creep up the stairs" are picture-book words.
const UNKIND_TO_YOU: &[&str] =
    &["ugly", "fat", "creep", "freak", "jerk", "dummy", "pig", "smelly", "stinky", "baby", "weirdo"];

/// Words rustrict rates sexual that picture books use for bodies and baths: the judgement of
/// acts weighs them in context (a camera, a secret, a touch).
const CONTEXT_WORDS: &[&str] = &["naked", "nude", "willy", "bum", "bottom", "butt", "breast", "nipple"];

/// Harmless phrases that contain a listed word or an act's word: a hit inside one of them does
/// not count.
const HARMLESS: &[&str] = &[
    "shooting star",
    "green shoot",
    "new shoot",
    "bamboo shoot",
    "shoot up into the sky",
    "photo shoot",
    "flu shot",
    "drug store",
    "dead end",
    "dead tired",
    "dead easy",
    "dead of night",
    "dead still",
    "dead quiet",
    "die of laughing",
    "died laughing",
    "to die for",
    "dying to",
    "killing time",
    "kill time",
    "killer whale",
    "murder of crows",
    "roll the die",
    "gun dog",
    "water gun",
    "water pistol",
    "glue gun",
    "bubble gun",
    "bath bomb",
    "water bomb",
    "seed bomb",
    "tug of war",
    "tug-of-war",
    "secret weapon",
    "fruit punch",
    "punch line",
    "drown out",
    "drowned out",
    "ding dong",
    "bum bum",
    "hickory dickory",
];

/// Harmless phrases that need a pattern: a ball shot into a net, an arrow at a target, germs
/// killed with soap, a rocket shooting up.
const HARMLESS_PATTERNS: &[&str] = &[
    r"(?:shoot|shot|shoots|shooting)\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|my\s+)?(?:ball|arrows?|goals?|hoops?|basket|puck|photos?|pictures?|film|video|scene)",
    r"(?:shoot|shot|shoots|shooting)\s+(?:up|out|across|off|past|through|into\s+the\s+(?:sky|air|net|basket|goal))",
    r"(?:took|take|takes|have|has|had)\s+a\s+shot",
    r"(?:kill|kills|killed|killing)\s+(?:the\s+|all\s+the\s+|most\s+|any\s+)?(?:germs?|bacteria|virus(?:es)?|weeds?|plants?|flowers?|lights?|engine|music|time)",
    r"(?:its|their|his|her)\s+(?:best\s+|only\s+|secret\s+)?weapons?",
    r"crows?\s+(?:is|are)\s+called\s+a\s+murder",
    r"(?:gave|give|gives|giving|get|gets|got|getting)\s+(?:\w+\s+){0,3}?a\s+(?:little\s+|tiny\s+|quick\s+)?shot",
    r"(?:flu|booster|vaccine|tetanus)\s+shot",
    r"drown(?:ed|s)?\s+in\s+(?:syrup|honey|gravy|sauce|custard|ketchup|butter|cream|chocolate)",
];

static HARM_RE: LazyLock<Regex> = LazyLock::new(|| word_list_regex(HARM_WORDS));
static GORE_RE: LazyLock<Regex> = LazyLock::new(|| word_list_regex(GORE_WORDS));
static SEXUAL_RE: LazyLock<Regex> = LazyLock::new(|| word_list_regex(SEXUAL_WORDS));
static GROWN_UP_RE: LazyLock<Regex> = LazyLock::new(|| word_list_regex(GROWN_UP));
static UNKIND_RE: LazyLock<Regex> = LazyLock::new(|| word_list_regex(UNKIND));
static UNKIND_TO_YOU_RE: LazyLock<Regex> = LazyLock::new(|| {
    let words: Vec<String> = UNKIND_TO_YOU.iter().map(|w| regex::escape(w)).collect();
    // "you creep", "you're so ugly", "you are a big fat pig", "you smelly thing".
    let pattern = format!(
        r"(?i)\byou(?:'re|\s+are)?(?:\s+(?:a|an|so|such|really|very|big|little|silly|old))*\s+((?:{})(?:s|es)?)\b",
        words.join("|")
    );
    Regex::new(&pattern).unwrap_or_else(|e| panic!("built-in pattern is not a valid regex: {e}"))
});
static HARMLESS_RE: LazyLock<Regex> = LazyLock::new(|| {
    let alts: Vec<String> = HARMLESS
        .iter()
        .map(|h| regex::escape(h).replace(' ', r"[\s,!.]+"))
        .chain(HARMLESS_PATTERNS.iter().map(|p| p.to_string()))
        .collect();
    Regex::new(&format!(r"(?i)\b(?:{})(?:s|es)?\b", alts.join("|")))
        .unwrap_or_else(|e| panic!("built-in harmless list is not a valid regex: {e}"))
});

/// A case-insensitive regex matching any entry as a word (see [`HARM_WORDS`] for the entry
/// syntax).
fn word_list_regex(words: &[&str]) -> Regex {
    let alts: Vec<String> = words
        .iter()
        .map(|w| match w.strip_suffix('*') {
            Some(stem) => format!(r"{}\w*", regex::escape(stem)),
            None => format!(r"{}(?:s|es|ed|d|ing|er|ers)?\b", regex::escape(w).replace(' ', r"\s+")),
        })
        .collect();
    Regex::new(&format!(r"(?i)\b(?:{})", alts.join("|")))
        .unwrap_or_else(|e| panic!("built-in word list is not a valid regex: {e}"))
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
        r"(?i)\b(?:i|we)\s+live\s+(?:at|on)\s+(?:number\s+)?\d+",
        r"(?i)\bmy\s+(?:home\s+)?(?:address|phone\s+number|telephone\s+number|mobile\s+number|number|password|passcode|pin|email|e-mail|postcode|zip\s+code)\s+is\b",
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

/// Profanity, sexual and offensive language as rustrict sees it, with the characters it
/// objects to. rustrict reads across spaces and punctuation to catch "f u c k", which also
/// makes "ping! A" into a slur; a hit that spans several words counts only when those words are
/// single letters (spelled out), and hits inside [`HARMLESS`] phrases do not count.
fn rude(text: &str, out: &mut Vec<Finding>) {
    // Stricter than rustrict's default (which lets mild profanity and most meanness through).
    let rude = Type::PROFANE & Type::MILD_OR_HIGHER
        | Type::OFFENSIVE & Type::MILD_OR_HIGHER
        // Mildly sexual is "mommy", "daddy" and "kiss" in picture books.
        | Type::SEXUAL & Type::MODERATE_OR_HIGHER
        | Type::MEAN & Type::MODERATE_OR_HIGHER;
    const MARK: char = '\u{2588}';
    let (censored, typ) = Censor::from_str(text)
        .with_censor_threshold(rude)
        .with_censor_first_character_threshold(rude)
        .with_censor_replacement(MARK)
        .censor_and_analyze();
    if !typ.is(rude) {
        return;
    }
    tracing::debug!(?typ, "rustrict objects to a text");
    let original: Vec<(usize, char)> = text.char_indices().collect();
    let marks: Vec<char> = censored.chars().collect();
    if marks.len() != original.len() {
        // rustrict drops accents and some invisible characters; without an alignment the whole
        // text is the span.
        out.push(finding(text, Reason::Language, 0..text.len()));
        return;
    }
    // Runs of marked characters, as byte ranges of the original text.
    let mut runs: Vec<Range<usize>> = Vec::new();
    for (i, (at, c)) in original.iter().enumerate() {
        if marks[i] == MARK && *c != MARK {
            let end = at + c.len_utf8();
            match runs.last_mut() {
                Some(r) if text[r.end..*at].chars().all(|c| !c.is_alphanumeric()) => r.end = end,
                _ => runs.push(*at..end),
            }
        }
    }
    for run in runs {
        let span = widen_to_words(text, run.clone());
        // A run across words that starts or ends inside a word ("pi[ng! A]") is rustrict
        // joining the end of one word to the next; whole words ("[kiss my] ass") are meant.
        let crosses = text[run.clone()].contains(|c: char| !c.is_alphanumeric());
        if crosses && span != run {
            continue;
        }
        // Whole words joined ("Shh, it", "Mum's hat"): meant only when the words are letters
        // spelled out ("f u c k") or one of them is rude on its own.
        if crosses {
            let words: Vec<&str> =
                text[span.clone()].split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            let spelled = words.iter().all(|w| w.chars().count() == 1)
                || words.windows(3).any(|w| w.iter().all(|w| w.chars().count() == 1));
            if !spelled && !words.iter().any(|w| rude_alone(w, rude)) {
                continue;
            }
        }
        // "The ugly duckling", "the fat cat": words unkind only said to someone are left to
        // the list that looks for "you" before them.
        // Bath-time and nature words ("the baby was naked", "a naked mole rat", "Willy
        // Wonka") are judged in context by the acts layer.
        let word = text[span.clone()].to_lowercase();
        if UNKIND_TO_YOU.iter().chain(CONTEXT_WORDS).any(|w| word == *w || word.strip_suffix('s') == Some(w)) {
            continue;
        }
        out.push(finding(text, Reason::Language, span));
    }
}

/// Whether rustrict objects to one word on its own.
fn rude_alone(word: &str, rude: Type) -> bool {
    Censor::from_str(word).with_censor_threshold(rude).analyze().is(rude)
}

fn widen_to_words(text: &str, r: Range<usize>) -> Range<usize> {
    let start = text[..r.start]
        .rfind(|c: char| !c.is_alphanumeric())
        .map_or(0, |i| i + text[i..].chars().next().map_or(1, char::len_utf8));
    let end = text[r.end..].find(|c: char| !c.is_alphanumeric()).map_or(text.len(), |i| r.end + i);
    start..end
}

fn finding(text: &str, reason: Reason, span: Range<usize>) -> Finding {
    Finding { reason, word: text[span.clone()].to_string(), span }
}

fn list_hits(re: &Regex, text: &str, reason: Reason, out: &mut Vec<Finding>) {
    for caps in re.captures_iter(text) {
        let m = caps.get(1).or_else(|| caps.get(0)).expect("a match has group 0");
        out.push(finding(text, reason, m.range()));
    }
}

/// Hits of a word list in the normalized text, with their spans in the original.
fn normalized_hits(re: &Regex, norm: &Normalized, text: &str, reason: Reason, out: &mut Vec<Finding>) {
    for caps in re.captures_iter(&norm.text) {
        let m = caps.get(1).or_else(|| caps.get(0)).expect("a match has group 0");
        out.push(finding(text, reason, norm.to_original(m.range())));
    }
}

/// Everything the filter objects to in a text, in the order of the layers (personal data,
/// unsafe words, acts, grown-up topics, rude language, unkind words), each with its span. Empty
/// when it is fine.
pub fn find_all(text: &str) -> Vec<Finding> {
    let norm = Normalized::new(text);
    let harmless: Vec<Range<usize>> = HARMLESS_RE.find_iter(&norm.text).map(|m| m.range()).collect();
    let harmless_here: Vec<Range<usize>> = harmless.iter().map(|h| norm.to_original(h.clone())).collect();
    // A word-list finding touching a harmless phrase does not count: rustrict's spans spill past
    // the word ("dong! A" in "Ding dong! A bell"). The acts layer is told where the phrases are
    // and starts no act inside one; its spans may well run past one.
    let outside = |found: Vec<Finding>| {
        found.into_iter().filter(|f| !harmless_here.iter().any(|h| h.start < f.span.end && f.span.start < h.end))
    };
    let mut out = Vec::new();
    // Personal data first: long digit runs also look like spam to rustrict, and the privacy
    // redirect is the one that helps.
    let mut layer = Vec::new();
    for re in PERSONAL.iter() {
        list_hits(re, text, Reason::PersonalData, &mut layer);
    }
    out.extend(outside(std::mem::take(&mut layer)));
    normalized_hits(&HARM_RE, &norm, text, Reason::Harm, &mut layer);
    normalized_hits(&GORE_RE, &norm, text, Reason::Gore, &mut layer);
    normalized_hits(&SEXUAL_RE, &norm, text, Reason::Sexual, &mut layer);
    layer.sort_by_key(|f| f.span.start);
    out.extend(outside(std::mem::take(&mut layer)));
    out.extend(
        acts::judge(&norm, text, &harmless).into_iter().map(|a| finding(text, a.reason, norm.to_original(a.range))),
    );
    normalized_hits(&GROWN_UP_RE, &norm, text, Reason::GrownUp, &mut layer);
    rude(text, &mut layer);
    normalized_hits(&UNKIND_RE, &norm, text, Reason::Language, &mut layer);
    normalized_hits(&UNKIND_TO_YOU_RE, &norm, text, Reason::Language, &mut layer);
    out.extend(outside(layer));
    out
}

/// The first thing the filter objects to in a text, if any.
pub fn find(text: &str) -> Option<Finding> {
    find_allowing(text, &[])
}

/// Like [`find`], but words or phrases an author vouches for (a template's `allow` list) pass:
/// a finding counts only if it is not one of them and not inside one of them in the text.
pub fn find_allowing(text: &str, allow: &[String]) -> Option<Finding> {
    let allowed: Vec<Range<usize>> = allow
        .iter()
        .filter(|a| !a.trim().is_empty())
        .filter_map(|a| Regex::new(&format!(r"(?i)\b{}\w*", regex::escape(a.trim()))).ok())
        .flat_map(|re| re.find_iter(text).map(|m| m.range()).collect::<Vec<_>>())
        .collect();
    find_all(text).into_iter().find(|f| !allowed.iter().any(|a| a.start <= f.span.start && f.span.end <= a.end))
}

/// Checks one text. See the module docs for what counts as unsafe.
pub fn check(text: &str) -> Verdict {
    match find(text) {
        Some(f) => Verdict::unsafe_for(f.reason),
        None => Verdict::Safe,
    }
}

/// Checks a name given for personalization: safe as text and shaped like a name (letters,
/// spaces, hyphens, apostrophes, a few digits; at most 30 characters).
pub fn check_name(name: &str) -> Verdict {
    let trimmed = name.trim();
    let digits = trimmed.chars().filter(char::is_ascii_digit).count();
    let shaped = !trimmed.is_empty()
        && trimmed.chars().count() <= 30
        && digits <= 2
        && trimmed.chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '\'');
    if !shaped {
        return Verdict::unsafe_for(Reason::NotAName);
    }
    check(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn story_words_are_safe() {
        for t in [
            "Look for shooting stars first",
            "The dragon flies over the castle",
            "make it rain",
            "the witch waves her wand",
            "warm cocoa by the fire",
            "The knight has a sword",
        ] {
            assert_eq!(check(t), Verdict::Safe, "{t}");
        }
    }

    #[test]
    fn each_layer_refuses() {
        assert!(matches!(check("you are a fucking idiot"), Verdict::Unsafe { reason: Reason::Language, .. }));
        assert!(matches!(check("the dragon kills the cat"), Verdict::Unsafe { reason: Reason::Harm, .. }));
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
        // A digit or two is a name's business; the reason says what is wrong, not "private".
        assert!(check_name("Mia2").is_safe());
        assert!(matches!(check_name("http://x.io"), Verdict::Unsafe { reason: Reason::NotAName, .. }));
        assert!(matches!(check_name("Stupid Idiot"), Verdict::Unsafe { reason: Reason::Language, .. }));
    }
}
