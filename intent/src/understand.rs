//! Understanding: what a child's (transcribed) words mean right now.
//!
//! Plain data in, an [`Understanding`] out: the transcript, the current choices (each with the
//! phrases a story author listed), the scene (who is on stage, for free commands) and which free
//! commands the story allows. Candidates of every sort are scored in 0..1 and the best wins if it
//! is confident and not a near-tie between two choices; otherwise the outcome is
//! [`Outcome::Nothing`] with a kind re-prompt.
//!
//! Matching is built for a child's phrasing and for whisper's mistakes: text is normalized
//! (case, punctuation, contractions, bracketed noise tags), words are reduced to rough stems
//! (`flies`, `flying`, `flew` → `fly`), filler words are dropped, and words are compared by stem,
//! by edit distance (`strsim`) and by a rough sound code (so `dragon`/`dragging` or
//! `castle`/`cassel` still meet). Ordinals ("the first one", "number two") pick by position.

use campfire_scene::{Action, Event, Kind, SceneState, Setting, TimeOfDay, Weather};
use serde::{Deserialize, Serialize};

/// A choice as the story offers it: its text and the phrases that should pick it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChoiceOption {
    pub text: String,
    pub phrases: Vec<String>,
}

/// Which free commands (scene changes not offered as choices) the story allows now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct FreeCommands {
    /// "make the dragon fly": an on-stage entity starts an action.
    pub actions: bool,
    /// "make it rain".
    pub weather: bool,
    /// "make it night".
    pub time: bool,
    /// "let's go to the beach".
    pub setting: bool,
}

impl FreeCommands {
    pub const ALL: FreeCommands = FreeCommands { actions: true, weather: true, time: true, setting: true };
    pub const NONE: FreeCommands = FreeCommands { actions: false, weather: false, time: false, setting: false };
}

/// Commands that steer the telling, not the story.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    Repeat,
    Louder,
    Quieter,
    Slower,
    Faster,
    Pause,
    Resume,
    GoBack,
    Stop,
}

impl Command {
    pub const ALL: &'static [Command] = &[
        Command::Repeat,
        Command::Louder,
        Command::Quieter,
        Command::Slower,
        Command::Faster,
        Command::Pause,
        Command::Resume,
        Command::GoBack,
        Command::Stop,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Command::Repeat => "repeat",
            Command::Louder => "louder",
            Command::Quieter => "quieter",
            Command::Slower => "slower",
            Command::Faster => "faster",
            Command::Pause => "pause",
            Command::Resume => "resume",
            Command::GoBack => "go_back",
            Command::Stop => "stop",
        }
    }

    /// What a child may say for the command.
    fn phrases(self) -> &'static [&'static str] {
        match self {
            Command::Repeat => &[
                "repeat",
                "repeat that",
                "say that again",
                "say it again",
                "again",
                "one more time",
                "what did you say",
                "pardon",
                "i did not hear",
                "tell me again",
            ],
            Command::Louder => {
                &["louder", "speak up", "talk louder", "turn it up", "volume up", "i can not hear you", "too quiet"]
            }
            Command::Quieter => {
                &["quieter", "softer", "too loud", "turn it down", "volume down", "be quiet", "shh", "whisper"]
            }
            Command::Slower => &["slower", "slow down", "too fast", "talk slower", "speak slowly", "more slowly"],
            Command::Faster => &["faster", "speed up", "hurry up", "too slow", "talk faster", "quicker"],
            Command::Pause => &["pause", "wait", "hold on", "wait a minute", "stop for a moment", "wait a second"],
            Command::Resume => &["continue", "keep going", "go on", "carry on", "resume", "play"],
            Command::GoBack => {
                &["go back", "back", "undo", "go back one", "take it back", "the one before", "previous"]
            }
            Command::Stop => &[
                "the end",
                "stop",
                "stop the story",
                "i am done",
                "goodbye",
                "bye bye",
                "finish",
                "that is enough",
                "no more",
            ],
        }
    }
}

/// What the words mean.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Outcome {
    /// One of the current choices, by its index in the list given.
    Choice {
        index: usize,
        text: String,
    },
    Command {
        command: Command,
    },
    /// A free command turned into a scene event.
    Scene {
        event: Event,
    },
    /// Nothing understood well enough; `reprompt` is what the narrator kindly asks next.
    Nothing {
        reprompt: String,
    },
}

/// The outcome with its confidence in 0..=1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Understanding {
    pub transcript: String,
    pub outcome: Outcome,
    pub confidence: f32,
}

/// Below this a candidate is not trusted.
pub const MIN_CONFIDENCE: f32 = 0.6;
/// Two different choices closer than this are a tie: we ask rather than guess.
const TIE_MARGIN: f32 = 0.06;

/// Maps a transcript to an outcome. See the module docs.
pub fn understand(
    transcript: &str,
    choices: &[ChoiceOption],
    scene: &SceneState,
    allowed: FreeCommands,
) -> Understanding {
    let said = Text::new(transcript);
    let mut candidates: Vec<(Outcome, f32)> = Vec::new();

    if !said.content.is_empty() {
        // Choices by phrase (and by their own text).
        for (index, choice) in choices.iter().enumerate() {
            let score = choice
                .phrases
                .iter()
                .map(String::as_str)
                .chain(std::iter::once(choice.text.as_str()))
                .map(|p| phrase_score(&said, &Text::new(p), 0.75))
                .fold(0.0, f32::max);
            candidates.push((Outcome::Choice { index, text: choice.text.clone() }, score));
        }
        if let Some((index, score)) = ordinal(&said, choices.len()) {
            candidates.push((Outcome::Choice { index, text: choices[index].text.clone() }, score));
        }
        for &command in Command::ALL {
            // A command must be most of what was said: "bye" at the end of a long sentence
            // is not "stop the story".
            let score = command.phrases().iter().map(|p| phrase_score(&said, &Text::new(p), 0.35)).fold(0.0, f32::max);
            candidates.push((Outcome::Command { command }, score));
        }
        candidates.extend(free_commands(&said, scene, allowed));
    }

    candidates.sort_by(|a, b| b.1.total_cmp(&a.1));
    let best = candidates.first().cloned();
    match best {
        Some((outcome, score)) if score >= MIN_CONFIDENCE => {
            // A near-tie between two different choices: ask instead of guessing.
            let rival = candidates.iter().skip(1).find(|(o, _)| match (o, &outcome) {
                (Outcome::Choice { index: a, .. }, Outcome::Choice { index: b, .. }) => a != b,
                _ => false,
            });
            if let Some((_, s)) = rival
                && score - s < TIE_MARGIN
            {
                return nothing(transcript, choices, 1.0 - (score - s) / TIE_MARGIN * 0.5);
            }
            Understanding { transcript: transcript.to_string(), outcome, confidence: score.clamp(0.0, 1.0) }
        }
        other => {
            let best = other.map_or(0.0, |(_, s)| s);
            nothing(transcript, choices, (1.0 - best).clamp(0.0, 1.0))
        }
    }
}

fn nothing(transcript: &str, choices: &[ChoiceOption], confidence: f32) -> Understanding {
    Understanding {
        transcript: transcript.to_string(),
        outcome: Outcome::Nothing { reprompt: reprompt(choices) },
        confidence: confidence.clamp(0.0, 1.0),
    }
}

/// A kind question that lists the choices: "I didn't quite catch that — do you want to follow
/// the fox, or go home?"
pub fn reprompt(choices: &[ChoiceOption]) -> String {
    let texts: Vec<String> = choices
        .iter()
        .map(|c| {
            let t = c.text.trim().trim_end_matches(['.', '!', '?']);
            let mut chars = t.chars();
            match chars.next() {
                // Lower-case the first letter unless it looks like a name ("I", "Sparky").
                Some(f)
                    if t.split_whitespace()
                        .next()
                        .is_some_and(|w| w.len() > 1 && w[1..].chars().all(|c| !c.is_uppercase())) =>
                {
                    let first = t.split_whitespace().next().unwrap_or("");
                    if first == "I" { t.to_string() } else { f.to_lowercase().chain(chars).collect() }
                }
                _ => t.to_string(),
            }
        })
        .collect();
    match texts.as_slice() {
        [] => "I didn't quite catch that — could you say it again?".to_string(),
        [one] => format!("I didn't quite catch that — do you want to {one}?"),
        [init @ .., last] => format!("I didn't quite catch that — do you want to {}, or {last}?", init.join(", ")),
    }
}

/// A whisper prompt listing what may be said now: the choices (their text and phrases), the
/// global commands and the names and kinds on stage. Biases recognition towards these words.
pub fn vocabulary_prompt(choices: &[ChoiceOption], scene: &SceneState) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in choices {
        parts.push(c.text.trim_end_matches(['.', '!', '?']).to_string());
        parts.extend(c.phrases.iter().cloned());
    }
    let mut names: Vec<String> = Vec::new();
    for e in scene.entities().values().filter(|e| e.on_stage) {
        names.push(e.name.clone());
        names.push(format!("the {}", e.kind.name()));
    }
    parts.extend(names);
    parts.extend(["louder", "quieter", "slower", "faster", "say that again", "go back", "the end"].map(String::from));
    let mut seen = std::collections::BTreeSet::new();
    parts.retain(|p| seen.insert(p.to_lowercase()));
    let mut prompt = parts.join(", ");
    prompt.push('.');
    prompt
}

// ---------------------------------------------------------------------------------------------
// Text normalization

/// Words that carry no choice: dropped before matching (a phrase made only of them keeps them).
const FILLER: &[&str] = &[
    "a", "an", "the", "to", "i", "we", "um", "uh", "er", "erm", "hmm", "mm", "please", "let", "us", "want", "wanna",
    "think", "should", "can", "could", "would", "shall", "will", "maybe", "so", "and", "like", "oh", "okay", "ok",
    "well", "just", "now", "really", "yeah", "you", "me", "my", "do", "is", "am", "are", "be", "that", "this", "of",
    "gonna", "go", "going", "lets", "it", "some", "what", "for", "with", "in", "on", "at", "into", "by", "there",
];

/// Irregular forms a child uses, to their base.
const IRREGULAR: &[(&str, &str)] = &[
    ("flew", "fly"),
    ("flown", "fly"),
    ("ran", "run"),
    ("swam", "swim"),
    ("slept", "sleep"),
    ("grew", "grow"),
    ("hid", "hide"),
    ("went", "go"),
    ("came", "come"),
    ("sang", "sing"),
    ("took", "take"),
    ("ate", "eat"),
    ("saw", "see"),
    ("found", "find"),
    ("made", "make"),
    ("built", "build"),
    ("said", "say"),
    ("gave", "give"),
    ("fell", "fall"),
    ("threw", "throw"),
    ("caught", "catch"),
    ("rode", "ride"),
    ("woke", "wake"),
    ("sat", "sit"),
    ("louder", "loud"),
    ("quieter", "quiet"),
    ("slower", "slow"),
    ("faster", "fast"),
    ("softer", "soft"),
    ("quicker", "quick"),
    ("bigger", "big"),
    ("children", "child"),
    ("mice", "mouse"),
    ("feet", "foot"),
    ("teeth", "tooth"),
    ("people", "person"),
];

const CONTRACTIONS: &[(&str, &str)] = &[
    ("let's", "let us"),
    ("it's", "it is"),
    ("don't", "do not"),
    ("can't", "can not"),
    ("cannot", "can not"),
    ("i'm", "i am"),
    ("won't", "will not"),
    ("didn't", "did not"),
    ("that's", "that is"),
    ("what's", "what is"),
    ("i'd", "i would"),
    ("we're", "we are"),
    ("you're", "you are"),
    ("isn't", "is not"),
    ("there's", "there is"),
];

/// A normalized text: all words, and the content words' stems and sound codes.
#[derive(Clone, Debug)]
struct Text {
    /// Every word, lower-case, contractions expanded.
    words: Vec<String>,
    /// Content words (filler dropped, or all words if nothing else is left).
    content: Vec<Token>,
}

#[derive(Clone, Debug)]
struct Token {
    stem: String,
    code: String,
}

impl Token {
    fn new(word: &str) -> Token {
        let stem = stem(word);
        let code = sound_code(&stem);
        Token { stem, code }
    }
}

impl Text {
    fn new(raw: &str) -> Text {
        let words = normalize(raw);
        let mut content: Vec<Token> =
            words.iter().filter(|w| !FILLER.contains(&w.as_str())).map(|w| Token::new(w)).collect();
        if content.is_empty() {
            content = words.iter().map(|w| Token::new(w)).collect();
        }
        Text { words, content }
    }

    fn has(&self, word: &str) -> bool {
        self.words.iter().any(|w| w == word)
    }

    fn joined(&self) -> String {
        self.content.iter().map(|t| t.stem.as_str()).collect::<Vec<_>>().join(" ")
    }
}

/// Lower-case words with contractions expanded; bracketed tags such as whisper's
/// `[BLANK_AUDIO]` or `(music)` removed.
fn normalize(raw: &str) -> Vec<String> {
    let mut s = String::with_capacity(raw.len());
    let mut depth = 0;
    for c in raw.chars() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth = (depth - 1).max(0),
            _ if depth > 0 => {}
            '’' | '‘' | '`' => s.push('\''),
            _ => s.extend(c.to_lowercase()),
        }
    }
    let mut out = Vec::new();
    for piece in s.split(|c: char| !(c.is_alphanumeric() || c == '\'')) {
        let piece = piece.trim_matches('\'');
        if piece.is_empty() {
            continue;
        }
        match CONTRACTIONS.iter().find(|(c, _)| *c == piece) {
            Some((_, full)) => out.extend(full.split(' ').map(str::to_string)),
            None => out.push(piece.trim_end_matches("'s").replace('\'', "")),
        }
    }
    out
}

/// A rough English stem: enough to make `flies`, `flying` and `fly` (or `dance`, `danced`,
/// `dancing`) meet. Not a linguistic stemmer; both sides of a comparison go through it.
fn stem(word: &str) -> String {
    if let Some((_, base)) = IRREGULAR.iter().find(|(w, _)| *w == word) {
        return base.to_string();
    }
    let w = word;
    let n = w.len();
    let mut s = if n > 4 && w.ends_with("ies") {
        format!("{}y", &w[..n - 3])
    } else if n > 5 && w.ends_with("ing") {
        w[..n - 3].to_string()
    } else if (n > 4 && w.ends_with("ed"))
        || (n > 4 && w.ends_with("es") && ["s", "x", "z", "ch", "sh"].iter().any(|e| w[..n - 2].ends_with(e)))
    {
        w[..n - 2].to_string()
    } else if n > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        w[..n - 1].to_string()
    } else {
        w.to_string()
    };
    if s.len() > 3 && s.ends_with('e') {
        s.pop();
    }
    let b = s.as_bytes();
    if b.len() > 3 && b[b.len() - 1] == b[b.len() - 2] && !b"aeiou".contains(&b[b.len() - 1]) {
        s.pop();
    }
    s
}

/// A rough sound code: letters that sound alike merged, vowels after the first letter dropped,
/// repeats collapsed (`castle` → `kstl`, `cassel` → `ksl`… close enough to compare by distance).
fn sound_code(word: &str) -> String {
    let w = word.replace("ph", "f").replace("ck", "k").replace("gh", "").replace("wh", "w").replace("th", "0");
    let chars: Vec<char> = w.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let m = match c {
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'h' | 'w' if i > 0 => continue,
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' => 'a',
            'c' if matches!(next, Some('e' | 'i' | 'y')) => 's',
            'c' | 'q' | 'g' => 'k',
            'z' => 's',
            'x' => 'k',
            'v' => 'f',
            'b' => 'p',
            'd' => 't',
            'j' => 'k',
            'm' => 'n',
            other => other,
        };
        if !out.ends_with(m) {
            out.push(m);
        }
    }
    out
}

/// How alike two words are, 0..=1.
fn token_sim(a: &Token, b: &Token) -> f32 {
    if a.stem == b.stem {
        return 1.0;
    }
    let (short, long) = (a.stem.len().min(b.stem.len()), a.stem.len().max(b.stem.len()));
    // Short words must match exactly: "for" is not "fox".
    if short < 4 {
        return 0.0;
    }
    let lev = strsim::normalized_levenshtein(&a.stem, &b.stem) as f32;
    // Jaro-Winkler rewards shared beginnings; only trust it between words of similar length
    // ("forest" is not "for").
    let jw = if short * 4 >= long * 3 { strsim::jaro_winkler(&a.stem, &b.stem) as f32 - 0.1 } else { 0.0 };
    let spelled = lev.max(jw);
    // Sounding alike counts only for words that also look somewhat alike: sound codes are
    // short, and "pancake" and "bounce" share one.
    let sounded = if lev < 0.45 {
        0.0
    } else if a.code.len() >= 3 && a.code == b.code {
        0.85
    } else if a.code.len() >= 3 && b.code.len() >= 3 {
        strsim::normalized_levenshtein(&a.code, &b.code) as f32 * 0.8
    } else {
        0.0
    };
    let s = spelled.max(sounded);
    // Below this the words are different words, however many letters they share.
    if s < 0.72 { 0.0 } else { s }
}

fn best_sim(t: &Token, among: &[Token]) -> f32 {
    among.iter().map(|o| token_sim(t, o)).fold(0.0, f32::max)
}

/// How well `said` matches `phrase`: `recall_weight` of how much of the phrase was said, the rest
/// how much of what was said the phrase explains. A phrase said whole scores at least 0.95.
fn phrase_score(said: &Text, phrase: &Text, recall_weight: f32) -> f32 {
    if phrase.content.is_empty() || said.content.is_empty() {
        return 0.0;
    }
    let recall = phrase.content.iter().map(|p| best_sim(p, &said.content)).sum::<f32>() / phrase.content.len() as f32;
    let precision = said.content.iter().map(|t| best_sim(t, &phrase.content)).sum::<f32>() / said.content.len() as f32;
    // Most of a phrase must be said before the rest counts: one look-alike word out of two
    // ("turtles" for "turn it up") is no match.
    let mut score =
        if recall < 0.6 { recall * 0.5 } else { recall_weight * recall + (1.0 - recall_weight) * precision };
    // Whisper may split or join words ("fire fly" / "firefly"): compare the whole strings too.
    let (a, b) = (said.joined(), phrase.joined());
    let whole = strsim::normalized_levenshtein(&a.replace(' ', ""), &b.replace(' ', "")) as f32;
    if whole > 0.8 {
        score = score.max(whole * 0.97);
    }
    let padded = format!(" {a} ");
    if padded.contains(&format!(" {b} ")) {
        // Said in full, maybe with more words around it.
        score = score.max(0.95 * recall_weight + (1.0 - recall_weight) * precision.max(0.9));
    }
    score.clamp(0.0, 1.0)
}

// ---------------------------------------------------------------------------------------------
// Ordinals

const ORDINALS: &[(&[&str], usize)] = &[
    (&["first", "1st", "one", "1"], 0),
    (&["second", "2nd", "two", "2", "too"], 1),
    (&["third", "3rd", "three", "3"], 2),
    (&["fourth", "4th", "four", "4", "for"], 3),
    (&["fifth", "5th", "five", "5"], 4),
];

/// "the first one", "number two", "the last one", "three": a choice by position.
fn ordinal(said: &Text, n_choices: usize) -> Option<(usize, f32)> {
    if n_choices == 0 {
        return None;
    }
    let words = &said.words;
    let marker = words.iter().any(|w| matches!(w.as_str(), "number" | "option" | "choice" | "one" | "pick" | "choose"));
    let mut found = None;
    for (i, w) in words.iter().enumerate() {
        if w == "last" {
            found = Some(n_choices - 1);
            break;
        }
        let Some((_, idx)) = ORDINALS.iter().find(|(forms, _)| forms.contains(&w.as_str())) else {
            continue;
        };
        let is_ordinal_word = matches!(w.as_str(), "first" | "second" | "third" | "fourth" | "fifth")
            || w.ends_with("st")
            || w.ends_with("nd")
            || w.ends_with("rd")
            || w.ends_with("th");
        // A bare number word ("one", "two", "for") counts only after "number"/"option" or alone:
        // "one" in "the first one" is not a second ordinal.
        let after_marker = i > 0 && matches!(words[i - 1].as_str(), "number" | "option" | "choice");
        let alone = words.iter().filter(|w| !FILLER.contains(&w.as_str())).count() == 1;
        if is_ordinal_word || after_marker || (alone && !matches!(w.as_str(), "too" | "for")) {
            found = Some(*idx);
            break;
        }
    }
    let idx = found?;
    if idx >= n_choices {
        return None;
    }
    // Mostly ordinal words: sure; an ordinal inside a longer sentence: less so.
    let other = words
        .iter()
        .filter(|w| {
            !FILLER.contains(&w.as_str())
                && !matches!(w.as_str(), "number" | "option" | "choice" | "one" | "pick" | "choose" | "last")
        })
        .filter(|w| !ORDINALS.iter().any(|(f, _)| f.contains(&w.as_str())))
        .count();
    let score = if other == 0 {
        0.93
    } else if marker {
        0.8
    } else {
        0.65
    };
    Some((idx, score))
}

// ---------------------------------------------------------------------------------------------
// Free commands

/// Words for each action, as stems.
fn action_words(a: Action) -> &'static [&'static str] {
    match a {
        Action::Idle => &["stop moving", "stand still", "freeze"],
        Action::Walk => &["walk", "stroll", "march", "tiptoe"],
        Action::Run => &["run", "race", "dash", "zoom"],
        Action::Fly => &["fly", "flap", "soar", "take off"],
        Action::Jump => &["jump", "hop", "leap", "bounce"],
        Action::Swim => &["swim", "splash", "dive"],
        Action::Sleep => &["sleep", "nap", "snooze", "go to bed", "fall asleep", "asleep"],
        Action::Talk => &["talk", "speak", "say something", "sing"],
        Action::Grow => &["grow", "get bigger", "grow up"],
        Action::Wave => &["wave", "say hello", "wave hello"],
        Action::Dance => &["dance", "boogie", "spin", "twirl"],
        Action::Shine => &["shine", "glow", "sparkle", "twinkle", "light up"],
        Action::Hide => &["hide", "disappear", "go away"],
        Action::Hold => &["hold", "carry", "pick up"],
        Action::Give => &["give", "share", "hand over"],
        Action::Dig => &["dig", "burrow"],
        Action::Point => &["point"],
        Action::LookAt => &["look at", "watch"],
        Action::Erupt => &["erupt", "rumble"],
    }
}

/// Extra names a child uses for each kind.
fn kind_words(k: Kind) -> &'static [&'static str] {
    match k {
        Kind::Child => &["child", "kid", "boy", "girl", "friend"],
        Kind::Dragon => &["dragon", "dino", "dinosaur"],
        Kind::Cat => &["cat", "kitty", "kitten", "kit"],
        Kind::Dog => &["dog", "puppy", "doggy", "doggie", "pup"],
        Kind::Rabbit => &["rabbit", "bunny", "bunnie"],
        Kind::Bird => &["bird", "birdie", "owl", "parrot"],
        Kind::Fish => &["fish", "fishy", "goldfish"],
        Kind::Robot => &["robot", "robo"],
        Kind::Tree => &["tree"],
        Kind::Flower => &["flower", "daisy", "rose"],
        Kind::Seed => &["seed"],
        Kind::Sprout => &["sprout", "plant"],
        Kind::Cloud => &["cloud"],
        Kind::Sun => &["sun"],
        Kind::Moon => &["moon"],
        Kind::Star => &["star"],
        Kind::Rain => &["raindrop"],
        Kind::Boat => &["boat", "ship"],
        Kind::Rocket => &["rocket", "spaceship"],
        Kind::Lantern => &["lantern", "lamp"],
        Kind::House => &["house", "home", "cottage"],
        Kind::Rock => &["rock", "stone"],
        // "planet" alone already names the Space setting.
        Kind::Planet => &["saturn", "jupiter", "mars"],
        Kind::Earth => &["earth", "globe", "world"],
        Kind::Volcano => &["volcano"],
        Kind::Ice => &["ice", "ice cube"],
        Kind::Water => &["water", "puddle"],
        Kind::Steam => &["steam", "vapour", "vapor"],
        Kind::Ball => &["ball"],
        Kind::Book => &["book"],
        Kind::Key => &["key"],
        Kind::Apple => &["apple"],
        Kind::Shovel => &["shovel", "spade"],
        Kind::Shell => &["shell", "seashell"],
        // Each new kind by its own name; what else children call them is the lexicon's job.
        Kind::Horse => &["horse"],
        Kind::Cow => &["cow"],
        Kind::Pig => &["pig"],
        Kind::Sheep => &["sheep"],
        Kind::Duck => &["duck"],
        Kind::Owl => &["owl"],
        Kind::Frog => &["frog"],
        Kind::Bear => &["bear"],
        Kind::Lion => &["lion"],
        Kind::Elephant => &["elephant"],
        Kind::Giraffe => &["giraffe"],
        Kind::Monkey => &["monkey"],
        Kind::Mouse => &["mouse"],
        Kind::Turtle => &["turtle"],
        Kind::Snake => &["snake"],
        Kind::Butterfly => &["butterfly"],
        Kind::Bee => &["bee"],
        Kind::Penguin => &["penguin"],
        Kind::Whale => &["whale"],
        Kind::Dinosaur => &["dinosaur"],
        Kind::Car => &["car"],
        Kind::Bus => &["bus"],
        Kind::Train => &["train"],
        Kind::Truck => &["truck"],
        Kind::Plane => &["plane"],
        Kind::Bicycle => &["bicycle"],
        Kind::FireEngine => &["fire engine"],
        Kind::Teddy => &["teddy"],
        Kind::Balloon => &["balloon"],
        Kind::Kite => &["kite"],
        Kind::Doll => &["doll"],
        Kind::Drum => &["drum"],
        Kind::Cake => &["cake"],
        Kind::Banana => &["banana"],
        Kind::Carrot => &["carrot"],
        Kind::IceCream => &["ice cream"],
        Kind::Cookie => &["cookie"],
        Kind::Mushroom => &["mushroom"],
        Kind::Leaf => &["leaf"],
        Kind::Rainbow => &["rainbow"],
        Kind::Chair => &["chair"],
        Kind::Bed => &["bed"],
        Kind::Cup => &["cup"],
        Kind::Hat => &["hat"],
        Kind::Umbrella => &["umbrella"],
    }
}

fn weather_words(w: Weather) -> &'static [&'static str] {
    match w {
        Weather::Clear => &["sunny", "clear", "sunshine", "stop raining"],
        Weather::Cloudy => &["cloudy", "clouds", "grey sky"],
        Weather::Rain => &["rain", "raining", "rainy", "drizzle", "shower"],
        Weather::Snow => &["snow", "snowing", "snowy", "snowflakes"],
        Weather::Storm => &["storm", "stormy", "thunder", "lightning", "thunderstorm"],
        Weather::Windy => &["windy", "wind", "breezy", "blow"],
    }
}

fn time_words(t: TimeOfDay) -> &'static [&'static str] {
    match t {
        TimeOfDay::Dawn => &["morning", "dawn", "sunrise", "wake up time"],
        TimeOfDay::Day => &["day", "daytime", "daylight", "noon", "afternoon"],
        TimeOfDay::Dusk => &["evening", "dusk", "sunset"],
        TimeOfDay::Night => &["night", "nighttime", "dark", "midnight", "bedtime"],
    }
}

fn setting_words(s: Setting) -> &'static [&'static str] {
    match s {
        Setting::Meadow => &["meadow", "field", "grass"],
        Setting::Forest => &["forest", "woods", "jungle"],
        Setting::Beach => &["beach", "seaside", "sand"],
        Setting::NightSky => &["night sky", "sky"],
        Setting::Ocean => &["ocean", "sea", "underwater"],
        Setting::Castle => &["castle", "palace"],
        Setting::Classroom => &["classroom", "school"],
        Setting::Space => &["space", "outer space", "planet"],
        Setting::Garden => &["garden", "park"],
        Setting::Mountain => &["mountain", "hill", "mountains"],
        Setting::Underwater => &["under the sea", "seabed", "deep sea"],
    }
}

/// Position (word index) of the first occurrence of any of `forms` (multi-word forms allowed),
/// matched on stems with a little fuzziness for longer words.
fn find_form(said: &Text, forms: &[&str]) -> Option<(usize, f32)> {
    let toks: Vec<Token> = said.words.iter().map(|w| Token::new(w)).collect();
    let mut best: Option<(usize, f32)> = None;
    for form in forms {
        let parts: Vec<Token> = normalize(form).iter().map(|w| Token::new(w)).collect();
        if parts.is_empty() || parts.len() > toks.len() {
            continue;
        }
        for start in 0..=toks.len() - parts.len() {
            // Filler words ("want", "go") never stand for a weather, a time or an action.
            if parts.len() == 1 && FILLER.contains(&said.words[start].as_str()) {
                continue;
            }
            let s = parts
                .iter()
                .zip(&toks[start..])
                .map(|(p, t)| {
                    if p.stem.len() < 4 || t.stem.len() < 4 { (p.stem == t.stem) as u8 as f32 } else { token_sim(p, t) }
                })
                .fold(1.0, f32::min);
            if s >= 0.84 && best.is_none_or(|(_, b)| s > b) {
                best = Some((start, s));
            }
        }
    }
    best
}

/// Scene events the words ask for, each with a score.
fn free_commands(said: &Text, scene: &SceneState, allowed: FreeCommands) -> Vec<(Outcome, f32)> {
    let mut out = Vec::new();
    // Content words the command does not explain lower the score a little each.
    let n_content = said.content.len() as f32;
    let wordy = |explained: f32| ((n_content - explained).max(0.0) * 0.04).min(0.25);

    if allowed.actions {
        let mut on_stage: Vec<_> = scene.entities().values().filter(|e| e.on_stage).collect();
        on_stage.sort_by_key(|e| e.order);
        for &action in Action::ALL {
            let Some((verb_at, verb_sim)) = find_form(said, action_words(action)) else {
                continue;
            };
            // The words besides the verb's: a kind named inside it ("bed" in "go to bed") is no
            // thing the child talks about.
            let verb_len = action_words(action)
                .iter()
                .filter(|f| find_form(said, std::slice::from_ref(f)).is_some_and(|(at, _)| at == verb_at))
                .map(|f| normalize(f).len())
                .max()
                .unwrap_or(1);
            let mut others = said.clone();
            for w in others.words.iter_mut().skip(verb_at).take(verb_len) {
                w.clear();
            }
            // Who: by name first, then by kind (or what a child calls that kind).
            let mut subject = None;
            for e in &on_stage {
                let name_forms: Vec<&str> = vec![e.name.as_str()];
                let by_name = find_form(said, &name_forms).map(|(i, s)| (i, s + 0.05));
                let by_kind = find_form(&others, kind_words(e.kind));
                if let Some((at, s)) = by_name.or(by_kind)
                    && subject.as_ref().is_none_or(|(_, _, b)| s > *b)
                {
                    subject = Some((e.id.clone(), at, s));
                }
            }
            let mentions_absent = Kind::ALL
                .iter()
                .any(|&k| find_form(&others, kind_words(k)).is_some() && !on_stage.iter().any(|e| e.kind == k));
            let score = match &subject {
                Some((_, at, s)) if *at != verb_at => 0.9 * s.min(1.0) * verb_sim,
                // "make it fly" with one character on stage: that one.
                None if !mentions_absent
                    && on_stage.len() == 1
                    && (said.has("it") || said.has("he") || said.has("she") || said.has("they")) =>
                {
                    0.72 * verb_sim
                }
                _ => continue,
            };
            let id = subject.map(|(id, _, _)| id).or_else(|| on_stage.first().map(|e| e.id.clone()));
            let Some(id) = id else { continue };
            out.push((Outcome::Scene { event: Event::Act { id, action } }, score - wordy(2.0)));
        }
    }
    // "Make it rain", "it's snowing".
    let trigger = ["make", "let", "start", "begin", "turn", "is", "become", "get", "want", "now", "more", "it"]
        .iter()
        .any(|w| said.has(w));
    let base = if trigger { 0.86 } else { 0.76 };
    if allowed.weather {
        for &w in Weather::ALL {
            if let Some((_, s)) = find_form(said, weather_words(w)) {
                out.push((Outcome::Scene { event: Event::SetWeather(w) }, base * s - wordy(1.0)));
            }
        }
    }
    if allowed.time {
        for &t in TimeOfDay::ALL {
            if let Some((_, s)) = find_form(said, time_words(t)) {
                out.push((Outcome::Scene { event: Event::SetTime(t) }, base * s - wordy(1.0)));
            }
        }
    }
    if allowed.setting {
        let travel =
            ["go", "fly", "travel", "visit", "take", "move", "sail", "swim", "walk", "off"].iter().any(|w| said.has(w));
        for &s in Setting::ALL {
            if let Some((_, sim)) = find_form(said, setting_words(s)) {
                let score = if travel { 0.82 } else { 0.66 };
                out.push((Outcome::Scene { event: Event::SetSetting(s) }, score * sim - wordy(1.0)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use campfire_scene::{Appearance, Position, Stage};

    fn scene() -> SceneState {
        let mut s = SceneState::new(Stage::default());
        for (id, name, kind) in
            [("spark", "Sparky", Kind::Dragon), ("tom", "Tom", Kind::Cat), ("oak", "Old Oak", Kind::Tree)]
        {
            s.apply(&Event::Add { id: id.into(), name: name.into(), kind, appearance: Appearance::default() }).unwrap();
            s.apply(&Event::Enter { id: id.into(), at: Position::new(0.0, 0.0, 0.1) }).unwrap();
        }
        s
    }

    fn choices() -> Vec<ChoiceOption> {
        vec![
            ChoiceOption {
                text: "Follow the fox into the forest".into(),
                phrases: vec!["follow the fox".into(), "the forest".into(), "go with the fox".into()],
            },
            ChoiceOption {
                text: "Stay by the campfire".into(),
                phrases: vec!["stay".into(), "campfire".into(), "stay here".into()],
            },
            ChoiceOption {
                text: "Climb the tall tower".into(),
                phrases: vec!["climb".into(), "tower".into(), "go up".into()],
            },
        ]
    }

    fn get(t: &str) -> Understanding {
        understand(t, &choices(), &scene(), FreeCommands::ALL)
    }

    fn choice_of(t: &str) -> Option<usize> {
        match get(t).outcome {
            Outcome::Choice { index, .. } => Some(index),
            _ => None,
        }
    }

    #[test]
    fn stems_meet() {
        assert_eq!(stem("flies"), stem("fly"));
        assert_eq!(stem("flying"), stem("fly"));
        assert_eq!(stem("danced"), stem("dance"));
        assert_eq!(stem("dancing"), stem("dances"));
        assert_eq!(stem("running"), stem("run"));
        assert_eq!(stem("jumps"), stem("jumped"));
    }

    #[test]
    fn choices_by_phrase_with_child_phrasing_and_mishearing() {
        assert_eq!(choice_of("Follow the fox!"), Some(0));
        assert_eq!(choice_of("um I want to follow the fox please"), Some(0));
        assert_eq!(choice_of("Let's go with the fox."), Some(0));
        assert_eq!(choice_of("fallow the fox"), Some(0));
        assert_eq!(choice_of("We should stay by the camp fire."), Some(1));
        assert_eq!(choice_of("climbing the tower"), Some(2));
        assert_eq!(choice_of("Clime the tour."), Some(2));
    }

    #[test]
    fn choices_by_position() {
        assert_eq!(choice_of("The first one."), Some(0));
        assert_eq!(choice_of("number two"), Some(1));
        assert_eq!(choice_of("Number 3."), Some(2));
        assert_eq!(choice_of("the last one"), Some(2));
        assert_eq!(choice_of("the second one please"), Some(1));
        // There is no fifth choice.
        assert_eq!(choice_of("the fifth one"), None);
    }

    #[test]
    fn global_commands() {
        let cmd = |t: &str| match get(t).outcome {
            Outcome::Command { command } => Some(command),
            _ => None,
        };
        assert_eq!(cmd("Can you say that again?"), Some(Command::Repeat));
        assert_eq!(cmd("Louder please!"), Some(Command::Louder));
        assert_eq!(cmd("quieter"), Some(Command::Quieter));
        assert_eq!(cmd("slow down"), Some(Command::Slower));
        assert_eq!(cmd("Faster!"), Some(Command::Faster));
        assert_eq!(cmd("Wait."), Some(Command::Pause));
        assert_eq!(cmd("go back"), Some(Command::GoBack));
        assert_eq!(cmd("The end."), Some(Command::Stop));
        assert_eq!(cmd("stop"), Some(Command::Stop));
    }

    #[test]
    fn free_commands_become_events() {
        let ev = |t: &str| match get(t).outcome {
            Outcome::Scene { event } => Some(event),
            other => panic!("{t}: {other:?}"),
        };
        assert_eq!(ev("Make the dragon fly!"), Some(Event::Act { id: "spark".into(), action: Action::Fly }));
        assert_eq!(ev("Sparky flies"), Some(Event::Act { id: "spark".into(), action: Action::Fly }));
        assert_eq!(ev("the cat jumps"), Some(Event::Act { id: "tom".into(), action: Action::Jump }));
        assert_eq!(ev("the kitty is dancing"), Some(Event::Act { id: "tom".into(), action: Action::Dance }));
        assert_eq!(ev("It starts to rain."), Some(Event::SetWeather(Weather::Rain)));
        assert_eq!(ev("make it night"), Some(Event::SetTime(TimeOfDay::Night)));
        assert_eq!(ev("let it snow"), Some(Event::SetWeather(Weather::Snow)));
    }

    /// "bed" names a kind, and "go to bed" is how a child says sleep: the bed inside the verb
    /// is not a thing asked for, so "make it go to bed" with one character on stage is that one.
    #[test]
    fn a_kind_named_inside_the_verb_is_not_a_thing_asked_for() {
        let mut s = SceneState::new(Stage::default());
        let tom =
            Event::Add { id: "tom".into(), name: "Tom".into(), kind: Kind::Cat, appearance: Appearance::default() };
        s.apply(&tom).unwrap();
        s.apply(&Event::Enter { id: "tom".into(), at: Position::new(0.0, 0.0, 0.1) }).unwrap();
        let u = understand("make it go to bed", &choices(), &s, FreeCommands::ALL);
        assert_eq!(u.outcome, Outcome::Scene { event: Event::Act { id: "tom".into(), action: Action::Sleep } });
        // A bed that is not on stage, asked for by name outside the verb, still stops "it".
        let u = understand("make it go to bed on the bed", &choices(), &s, FreeCommands::ALL);
        assert!(!matches!(u.outcome, Outcome::Scene { .. }), "{u:?}");
    }

    #[test]
    fn free_commands_only_where_allowed_and_present() {
        let u = understand("make it rain", &choices(), &scene(), FreeCommands::NONE);
        assert!(matches!(u.outcome, Outcome::Nothing { .. }), "{u:?}");
        // No robot on stage: nothing to make dance.
        assert!(matches!(get("make the robot dance").outcome, Outcome::Nothing { .. }));
    }

    #[test]
    fn unrelated_words_are_nothing_with_a_kind_reprompt() {
        for t in ["I like turtles", "what's for dinner", "", "[BLANK_AUDIO]", "banana pancakes", "my brother is silly"]
        {
            let u = get(t);
            match &u.outcome {
                Outcome::Nothing { reprompt } => {
                    assert!(reprompt.contains("follow the fox"), "{reprompt}");
                    assert!(reprompt.starts_with("I didn't quite catch that"));
                }
                other => panic!("`{t}` gave {other:?}"),
            }
            assert!((0.0..=1.0).contains(&u.confidence));
        }
    }

    #[test]
    fn reprompt_reads_naturally() {
        assert_eq!(
            reprompt(&choices()),
            "I didn't quite catch that — do you want to follow the fox into the forest, stay by the campfire, or climb the tall tower?"
        );
        assert_eq!(reprompt(&[]), "I didn't quite catch that — could you say it again?");
    }

    #[test]
    fn confidence_is_in_range() {
        for t in ["follow the fox", "the first one", "louder", "make it rain", "xyzzy"] {
            let c = get(t).confidence;
            assert!((0.0..=1.0).contains(&c), "{t}: {c}");
        }
    }
}
