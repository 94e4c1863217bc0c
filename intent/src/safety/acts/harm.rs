//! Harm to people and animals: an act of hurting (kick, push, squeeze, burn, hold under water,
//! pull a tail) that falls on someone alive.
//!
//! The same verbs are everyday words on things ("kick the ball", "squeeze the lemon") and in
//! frames that are not harm: an animal doing what animals do (the crab pinched my toe), nature
//! (the wave knocked me over), play (a pillow fight, a push on the swing, a big squeeze of a
//! hug), one's own body (kick your legs), a grown-up at work (the dentist pulled out my tooth),
//! an accident (fell and hurt his knee), a denial ("never pull a cat's tail"), a lesson ("hitting
//! hurts", "said sorry"), or a question about what happened. A degree ("as hard as you can",
//! "until it cries", "so it can't breathe") outweighs play, animals and lessons.

use super::{Agent, Cx, Found, Np, Target};
use crate::safety::Reason;
use crate::safety::lexicon::{ANIMAL, BODY, CONFINE, HEIGHT, HOT, MONSTER, PERSON, PLAY_THING, SMOTHER, TRAP, WATER};

/// Takes a direct object ("kick THE PUPPY").
const DIRECT: u16 = 1;
/// Animals do it by nature (bite, sting, pinch, scratch).
const NATURAL: u16 = 1 << 1;
/// Fine on one's own body ("kick your legs", "stomp your feet").
const SELF_OK: u16 = 1 << 2;
/// Fine in play (a push on the swing, a squeeze of a hug).
const PLAY_OK: u16 = 1 << 3;
/// Fine for a grown-up at work (the vet held the kitten, the dentist pulled the tooth).
const JOB_OK: u16 = 1 << 4;
/// Harm only to a body part ("pull her hair"; "pull the sled" is not).
const BODY_ONLY: u16 = 1 << 5;
/// Harm only with a degree ("feed the dog chocolate until it gets sick").
const NEEDS_DEGREE: u16 = 1 << 6;
/// Harm only from a height or into water or a trap ("drop the bird off the roof").
const NEEDS_PLACE: u16 = 1 << 7;
/// Harm whatever the frame, but for a denial (strangle, drown, torture).
const STRONG: u16 = 1 << 8;

/// (verb, flags, prepositions whose object is a target, category).
const VERBS: &[(&str, u16, &[&str], Reason)] = &[
    ("hit", DIRECT | NATURAL | PLAY_OK, &[], Reason::Harm),
    ("kick", DIRECT | NATURAL | SELF_OK | PLAY_OK, &[], Reason::Harm),
    ("punch", DIRECT, &[], Reason::Harm),
    ("knock", DIRECT | NATURAL | PLAY_OK, &[], Reason::Harm),
    ("bop", DIRECT | PLAY_OK, &[], Reason::Harm),
    ("bonk", DIRECT | PLAY_OK, &[], Reason::Harm),
    ("thwack", DIRECT, &[], Reason::Harm),
    ("pummel", DIRECT, &[], Reason::Harm),
    ("headbutt", DIRECT | NATURAL, &[], Reason::Harm),
    ("slap", DIRECT, &[], Reason::Harm),
    ("smack", DIRECT, &[], Reason::Harm),
    ("spank", DIRECT, &[], Reason::Harm),
    ("whack", DIRECT | PLAY_OK, &[], Reason::Harm),
    ("thump", DIRECT, &[], Reason::Harm),
    ("bash", DIRECT, &[], Reason::Harm),
    ("wallop", DIRECT, &[], Reason::Harm),
    ("clobber", DIRECT, &[], Reason::Harm),
    ("smash", DIRECT, &[], Reason::Harm),
    ("crush", DIRECT | NATURAL, &[], Reason::Harm),
    ("squash", DIRECT, &[], Reason::Harm),
    ("squish", DIRECT, &[], Reason::Harm),
    ("stomp", DIRECT | SELF_OK, &["on"], Reason::Harm),
    ("stamp", DIRECT | SELF_OK, &["on"], Reason::Harm),
    ("step", SELF_OK, &["on"], Reason::Harm),
    ("trample", DIRECT | NATURAL, &["on"], Reason::Harm),
    ("jump", PLAY_OK, &["on"], Reason::Harm),
    ("sit", PLAY_OK | NATURAL, &["on"], Reason::Harm),
    ("stand", 0, &["on"], Reason::Harm),
    ("push", DIRECT | NATURAL | PLAY_OK, &[], Reason::Harm),
    ("shove", DIRECT, &[], Reason::Harm),
    ("trip", DIRECT, &[], Reason::Harm),
    ("pinch", DIRECT | NATURAL | PLAY_OK, &[], Reason::Harm),
    ("squeeze", DIRECT | NATURAL | SELF_OK | PLAY_OK | JOB_OK, &[], Reason::Harm),
    ("shake", DIRECT | SELF_OK, &[], Reason::Harm),
    ("throw", DIRECT | PLAY_OK, &["at"], Reason::Harm),
    ("toss", DIRECT | PLAY_OK, &["at"], Reason::Harm),
    ("hurl", DIRECT, &["at"], Reason::Harm),
    ("fling", DIRECT, &["at"], Reason::Harm),
    ("chuck", DIRECT | PLAY_OK, &["at"], Reason::Harm),
    ("drop", DIRECT | NEEDS_PLACE, &[], Reason::Harm),
    ("poke", DIRECT | JOB_OK, &[], Reason::Harm),
    ("prod", DIRECT, &[], Reason::Harm),
    ("jab", DIRECT | JOB_OK, &[], Reason::Harm),
    ("scratch", DIRECT | NATURAL | SELF_OK, &[], Reason::Harm),
    ("claw", DIRECT | NATURAL, &[], Reason::Harm),
    ("bite", DIRECT | NATURAL | PLAY_OK, &[], Reason::Harm),
    ("nip", DIRECT | NATURAL | PLAY_OK, &[], Reason::Harm),
    ("peck", DIRECT | NATURAL, &[], Reason::Harm),
    ("sting", NEEDS_DEGREE | NATURAL, &[], Reason::Harm),
    ("tear", DIRECT | BODY_ONLY, &[], Reason::Harm),
    ("rip", DIRECT | BODY_ONLY, &[], Reason::Harm),
    ("pull", DIRECT | BODY_ONLY | JOB_OK | NATURAL, &[], Reason::Harm),
    ("yank", DIRECT | BODY_ONLY, &[], Reason::Harm),
    ("twist", DIRECT | BODY_ONLY | SELF_OK, &[], Reason::Harm),
    ("break", DIRECT | BODY_ONLY, &[], Reason::Harm),
    ("snap", DIRECT | BODY_ONLY, &[], Reason::Harm),
    ("hurt", DIRECT, &[], Reason::Harm),
    ("harm", DIRECT, &[], Reason::Harm),
    ("injure", DIRECT, &[], Reason::Harm),
    ("wound", DIRECT, &[], Reason::Harm),
    ("attack", DIRECT, &[], Reason::Harm),
    ("beat", DIRECT, &[], Reason::Harm),
    ("strike", DIRECT, &[], Reason::Harm),
    ("burn", DIRECT | JOB_OK, &[], Reason::Harm),
    ("scald", DIRECT, &[], Reason::Harm),
    ("cut", DIRECT | JOB_OK, &[], Reason::Harm),
    ("slice", DIRECT | JOB_OK, &[], Reason::Gore),
    ("chop", DIRECT | JOB_OK, &[], Reason::Gore),
    ("hack", DIRECT, &[], Reason::Gore),
    ("saw", DIRECT, &[], Reason::Gore),
    ("choke", DIRECT | STRONG, &[], Reason::Harm),
    ("strangle", DIRECT | STRONG, &[], Reason::Harm),
    ("smother", DIRECT | STRONG, &[], Reason::Harm),
    ("suffocate", DIRECT | STRONG, &[], Reason::Harm),
    ("drown", DIRECT | STRONG, &[], Reason::Harm),
    ("poison", DIRECT | STRONG, &[], Reason::Harm),
    ("electrocute", DIRECT | STRONG, &[], Reason::Harm),
    ("whip", DIRECT, &[], Reason::Harm),
    ("lash", DIRECT, &[], Reason::Harm),
    ("flog", DIRECT, &[], Reason::Harm),
    ("hang", DIRECT, &[], Reason::Harm),
    ("zap", DIRECT, &[], Reason::Harm),
    ("stone", DIRECT, &[], Reason::Harm),
    ("pelt", DIRECT, &[], Reason::Harm),
    ("microwave", DIRECT, &[], Reason::Harm),
    ("freeze", DIRECT, &[], Reason::Harm),
    ("boil", DIRECT, &[], Reason::Harm),
    ("cook", DIRECT | JOB_OK, &[], Reason::Harm),
    ("bake", DIRECT | JOB_OK, &[], Reason::Harm),
    ("fry", DIRECT | JOB_OK, &[], Reason::Harm),
    ("roast", DIRECT | JOB_OK, &[], Reason::Harm),
    ("flush", DIRECT, &[], Reason::Harm),
    ("feed", DIRECT | NEEDS_DEGREE, &[], Reason::Harm),
    ("swing", DIRECT | NEEDS_DEGREE | PLAY_OK, &[], Reason::Harm),
    ("dunk", DIRECT | NEEDS_DEGREE | PLAY_OK, &[], Reason::Harm),
    ("ride", 0, &["over"], Reason::Harm),
    ("drive", 0, &["over"], Reason::Harm),
    ("run", 0, &["over"], Reason::Harm),
    ("starve", DIRECT, &[], Reason::Cruelty),
    ("tease", DIRECT, &[], Reason::Cruelty),
    ("bully", DIRECT, &[], Reason::Cruelty),
    ("mock", DIRECT, &[], Reason::Cruelty),
    ("torment", DIRECT, &[], Reason::Cruelty),
    ("humiliate", DIRECT, &[], Reason::Cruelty),
    ("spit", 0, &["on", "at"], Reason::Cruelty),
    ("pee", 0, &["on"], Reason::Cruelty),
    ("wee", 0, &["on"], Reason::Cruelty),
    ("pour", 0, &["on", "over"], Reason::Cruelty),
];

/// Food that is poison to a pet, for "feed the dog chocolate".
const PET_POISON: &[&str] = &["chocolate|grapes|grape|raisins|onions|bleach|poison|pills|medicine|glass|nails"];

/// Harm to one target of an act, unless a frame excuses it.
fn harms(cx: &Cx, i: usize, np: Np, flags: u16, target: Target, agent: Agent) -> bool {
    if !target.alive {
        return false;
    }
    let m = cx.marks;
    if flags & STRONG != 0 {
        // Predators in an explainer: "a snake squeezes its prey" is in the NATURAL verbs; the
        // strong ones stay harm even from an animal, but not done to its prey.
        return !(agent == Agent::Animal && cx.any(&["prey|food|hunt|hunts"]).is_some());
    }
    if matches!(agent, Agent::Nature | Agent::Thing) {
        return false;
    }
    if agent == Agent::Animal && (flags & NATURAL != 0 || !m.strong) {
        return false;
    }
    if agent == Agent::Job && flags & JOB_OK != 0 && !target.person {
        return false;
    }
    if target.own && flags & SELF_OK != 0 && !m.strong {
        return false;
    }
    if m.accident && !cx.meant(i) {
        return false;
    }
    // "Poke your finger in the dough": one's own hand is the tool, not the target.
    if target.own && cx.at(np.end, "in|into|on|onto|through|under|inside").is_some() {
        return false;
    }
    if m.play && flags & PLAY_OK != 0 && !m.strong {
        return false;
    }
    if m.moral && !m.strong {
        return false;
    }
    if target.food {
        return false;
    }
    if flags & NEEDS_DEGREE != 0 && !m.strong && cx.any(PET_POISON).is_none() {
        return false;
    }
    if flags & BODY_ONLY != 0 && !target.body {
        return false;
    }
    if target.body && target.own && !cx.meant(i) && !m.strong {
        // "Sam shook his head", "the baby kicked her legs": told of someone's own body.
        return false;
    }
    true
}

pub fn judge(cx: &Cx, found: &mut Found) {
    if cx.marks.asks_what_happened {
        return;
    }
    for i in 0..cx.len() {
        if cx.excused(i) {
            continue;
        }
        let w = cx.word(i);
        // "a kick", "the push": a noun, not an act.
        if i > 0 && cx.at(i - 1, "a|an|the|that|this|big|little").is_some() && !w.key.ends_with("ed") {
            continue;
        }
        for &(verb, flags, preps, reason) in VERBS {
            if !w.of(verb) {
                continue;
            }
            if cx.negated(i) {
                break;
            }
            // "choke on a grape", "drown out the noise", "beat me at chess", "hang up".
            if cx.at(i + 1, "on|out|up").is_some() && matches!(verb, "choke" | "drown" | "hang") {
                break;
            }
            let agent = cx.agent(i);
            let objects = cx.objects(i, flags & DIRECT != 0, preps);
            for np in objects {
                if verb == "beat" && cx.at(np.end, "at|in").is_some() {
                    continue;
                }
                // "Bake Grandma a cake", "throw the puppy a ball": the first phrase receives the
                // second, and is not the target (but "feed the dog chocolate" is fed).
                if verb != "feed" && cx.at(np.end, "a|an|the|some|another|his|her|their|my|your").is_some() {
                    continue;
                }
                if flags & NEEDS_PLACE != 0 && !from_a_height(cx, np) {
                    continue;
                }
                if matches!(verb, "throw" | "toss" | "chuck") && cx.w[np.start..np.end].iter().any(|w| w.is(PLAY_THING))
                {
                    continue;
                }
                let mut target = cx.target(np);
                // "Feed the dog chocolate": two objects, the first one alive.
                if verb == "feed" && cx.w[np.start..np.head].iter().any(|w| w.is(ANIMAL | PERSON) && !w.is(MONSTER)) {
                    target.alive = true;
                }
                if harms(cx, i, np, flags, target, agent) {
                    found.push(i..np.end, reason);
                    break;
                }
            }
            break;
        }
    }
    special(cx, found);
}

/// Whether a noun phrase is followed by a fall: off a roof, out of a window, into water.
fn from_a_height(cx: &Cx, np: Np) -> bool {
    let end = cx.clause_end(np.end.saturating_sub(1)).min(np.end + 6);
    cx.has_class(np.end, end, HEIGHT | WATER | TRAP).is_some()
        || cx.find_in(np.end, end, &["down the stairs", "off the roof|bridge|cliff|balcony|tower|wall"]).is_some()
}

/// Acts of harm told in several words.
fn special(cx: &Cx, found: &mut Found) {
    let n = cx.len();
    for i in 0..n {
        if cx.excused(i) || cx.negated(i) {
            continue;
        }
        let w = cx.word(i);
        let agent = cx.agent(i);
        let grown_up_at_work = agent == Agent::Job;
        // Setting someone on fire: "set the cat's tail on fire", "set fire to the dog".
        if w.any(&["set", "light"]) {
            let end = cx.clause_end(i).min(i + 10);
            if let Some(np) = cx.np(i + 1)
                && cx.find_in(np.end, end, &["on fire", "alight", "ablaze"]).is_some()
                && cx.target(np).alive
            {
                found.push(i..np.end, Reason::Harm);
                continue;
            }
            if cx.at(i + 1, "fire to").is_some()
                && let Some(np) = cx.np(i + 3)
                && cx.target(np).alive
            {
                found.push(i..np.end, Reason::Harm);
                continue;
            }
        }
        // Under water: "hold the puppy under the water", "push his head under".
        if w.any(&["hold", "push", "keep", "dunk", "put", "shove", "stick", "force"])
            && !grown_up_at_work
            && let Some(np) = cx.np(i + 1)
            && cx.target(np).alive
            && cx.at(np.end, "under|underwater").is_some()
        {
            found.push(i..np.end + 1, Reason::Harm);
            continue;
        }
        // Shut in something that kills: "put the hamster in the microwave".
        if w.any(&[
            "put", "shut", "lock", "stuff", "push", "throw", "drop", "place", "hide", "trap", "close", "flush", "give",
            "wash",
        ]) && !grown_up_at_work
            && let Some(np) = cx.np(i + 1)
            && cx.target(np).alive
            && !cx.target(np).own
            && let Some(r) = cx.find_in(np.end, (np.end + 8).min(n), &["in|into|inside ~ @trap"])
            && (!cx.word(r.end - 1).is(CONFINE) || cx.word(r.end - 1).is(TRAP | HOT))
        {
            found.push(i..r.end, Reason::Harm);
            continue;
        }
        // Something over a face or round a neck: "put a pillow on the baby's face".
        if w.any(&["put", "hold", "press", "tie", "pull", "wrap", "stick", "tape"])
            && let Some(r) = cx.find_in(
                i + 1,
                (i + 10).min(n),
                &[
                    "@smother over|on|around @poss face|head|mouth|nose|neck|throat",
                    "@smother over|on|around * @poss face|head|mouth|nose|neck|throat",
                    "@smother over|on|around @poss * face|head|mouth|nose|neck|throat",
                ],
            )
            && cx.word(r.start).is(SMOTHER)
        {
            let owner = &cx.w[r.start..r.end];
            let own = owner.iter().any(|w| matches!(w.key.as_str(), "your" | "my"));
            if !own {
                found.push(i..r.end, Reason::Harm);
                continue;
            }
        }
        // Held by a part of the body: "grab the cat by its neck", "swing it by the tail".
        if w.any(&["grab", "pick", "lift", "hold", "carry", "swing", "pull", "drag", "hang", "dangle"])
            && let Some(r) = cx.find_in(
                i + 1,
                (i + 8).min(n),
                &["by the|its|his|her tail|tails|ear|ears|neck|hair|leg|legs|whiskers|paw|wing|wings|head|throat"],
            )
            && cx.w[i + 1..r.start].iter().any(|w| w.alive() || w.key == "it" || w.key == "them")
        {
            found.push(i..r.end, Reason::Harm);
            continue;
        }
        // Into someone's eyes: "kick sand in the little girl's eyes".
        if w.any(&["kick", "throw", "spray", "pour", "blow", "flick", "rub", "put", "squirt", "sprinkle"])
            && let Some(r) = cx.find_in(
                i + 1,
                (i + 9).min(n),
                &["in|into|at * eyes|eye|face", "in|into|at * * eyes|eye|face", "in|into|at * * * eyes|eye|face"],
            )
        {
            let between = &cx.w[r.start + 1..r.end - 1];
            let other = between
                .iter()
                .any(|w| w.alive() || (w.poss && !w.is(BODY)) || matches!(w.key.as_str(), "his" | "her" | "their"));
            if other && !cx.marks.play {
                found.push(i..r.end, Reason::Cruelty);
                continue;
            }
        }
        // Someone alive thrown from a height or into water, as the verb's second phrase: "push
        // the boy into the river", "shove your brother into the deep end".
        if w.any(&["push", "shove", "throw", "toss", "drop", "kick"])
            && !grown_up_at_work
            && !cx.marks.play
            && let Some(np) = cx.np(i + 1)
            && cx.target(np).alive
            && !cx.target(np).own
            && let Some(r) = cx.find_in(
                np.end,
                (np.end + 6).min(n),
                &[
                    "into|in|off|down|out|from * @water|@height",
                    "into|in|off|down|out|from @water|@height",
                    "into|in|off|down|out|from * * @water|@height",
                    "down the stairs",
                    "in front of * car|bus|train|truck",
                ],
            )
        {
            found.push(i..r.end, Reason::Harm);
            continue;
        }
        // Tied up: "tie the puppy's legs together", "tie up the cat".
        if w.of("tie")
            && let Some(r) =
                cx.find_in(i + 1, (i + 8).min(n), &["together", "up", "to * tail", "to * * tail", "to @poss tail"])
            && cx.w[i + 1..r.end].iter().any(|w| w.alive() || w.key == "him" || w.key == "her" || w.key == "them")
        {
            let reason = if cx.w[i + 1..r.end].iter().any(|w| w.is(ANIMAL)) { Reason::Cruelty } else { Reason::Harm };
            found.push(i..r.end, reason);
            continue;
        }
        // Hot water, fire or a stove on someone: "put the kitten on the stove".
        if w.any(&["put", "hold", "push", "stick"])
            && let Some(np) = cx.np(i + 1)
            && cx.target(np).alive
            && !cx.target(np).own
            && cx.find_in(np.end, (np.end + 5).min(n), &["on|in|into|onto * @hot", "on|in|into|onto @hot"]).is_some()
        {
            found.push(i..np.end, Reason::Harm);
            continue;
        }
        // An animal or a person thrown against a wall or off a bed.
        if w.any(&["throw", "slam", "smash", "bang", "swing"])
            && let Some(np) = cx.np(i + 1)
            && cx.target(np).alive
            && cx.at(np.end, "against|into").is_some()
            && cx.w[np.start..np.end].iter().any(|w| w.is(PERSON | ANIMAL) && !w.is(MONSTER))
        {
            found.push(i..np.end + 2, Reason::Harm);
            continue;
        }
        // A door slammed on someone: "slam the door on the cat's tail".
        if let Some(e) = cx.at(i, "slam|shut|close ~ door|lid on ~ @alive|@body|@pron") {
            let t = &cx.w[i..e];
            if t.iter().any(|w| w.alive() || w.poss || matches!(w.key.as_str(), "him" | "her" | "them")) {
                found.push(i..e, Reason::Harm);
                continue;
            }
        }
    }
    // Breath stopped: "hold the cat's mouth shut until it can't breathe".
    if let Some(r) = cx.any(&["can not|cannot breathe", "stops|stop|stopped breathing", "until * * blue"])
        && cx.w[..r.start].iter().any(|w| w.alive() || w.poss)
        && !cx.negated(r.start)
        && cx.w[..r.start]
            .iter()
            .any(|w| w.any(&["hold", "squeeze", "press", "sit", "cover", "push", "put", "choke", "lie"]))
    {
        found.push(0..r.end, Reason::Harm);
    }
}
