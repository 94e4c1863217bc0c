//! Dangerous things a child could copy: pills and cleaning things eaten, matches and fire,
//! sockets and machines, knives, strangers' cars, running away, windows and roofs, deep water
//! and ice, roads, shutting oneself in, and secrets kept from parents.
//!
//! Unlike harm, what matters here is who does it: a doctor giving medicine, Dad lighting the
//! birthday candles, a firefighter on a ladder and a cat on a roof are not for a child to copy,
//! and a lesson ("never play with matches", "ask a grown-up") is the opposite of the act. What
//! is left is an instruction, an invitation or a wish ("let's", "I want to"), or a story of a
//! child doing it; medicine needs a sign of misuse (all of them, someone else's, "like candy").

use super::{Agent, Cx, Found};
use crate::safety::Reason;
use crate::safety::lexicon::{
    CHEMICAL, DRUG, ELECTRIC, FIRE, HOT, ICE, MACHINE, ROAD, SHARP, SMALL, TRAP, WATER, WILD_FOOD,
};

/// Signs that medicine is misused.
const MISUSE: &[&str] = &[
    "all|whole|lots|handful|many|bunch|every|bottle|jar|packet|box",
    "as much|many",
    "secret|secretly|sneak|hiding",
    "nobody|noone is looking|watching|home",
    "cabinet|cupboard|drawer|shelf|bag|purse|bathroom|handbag",
    "like candy|sweets|sweet|sweeties|lollies",
    "like a sweet|treat",
    "candy|sweets|yummy|tasty|delicious|bored|fun|treat",
];

/// Eating and drinking.
const INGEST: &[&str] =
    &["eat", "swallow", "drink", "chew", "taste", "try", "lick", "sip", "gulp", "munch", "suck", "gobble", "finish"];

/// Claims that lure: "medicine tastes like candy", "magnets are yummy".
const LURING_CLAIMS: &[&str] = &[
    "is|are|look|looks|taste|tastes|smell|smells like candy|sweets|sweet|sweeties|lollies|juice|lemonade|treats",
    "is|are|look|looks|taste|tastes|smell|smells like a sweet|treat|lolly",
    "is|are|look|looks|taste|tastes yummy|tasty|delicious|sweets|candy|treats",
    "is|are * yummy|tasty|delicious",
];

/// Strangers, and the words that make "a man" one.
const STRANGERS: &[&str] = &[
    "stranger|strangers",
    "man|lady|woman|person|someone|somebody|guy|people you do not know",
    "man|lady|woman|person|someone|somebody|guy|people you dont know",
    "man|lady|woman|person|someone|somebody|guy in the|a van|car|truck",
    "man|lady|woman|person|someone|somebody|guy at the park|shop|playground",
    "man|lady|woman|person|someone|somebody|guy online|on the",
    "nice|strange|friendly|new man|lady|woman",
    "man|lady|woman|person|someone|somebody|guy ~ with ~ @lure",
    "met online",
];

/// What a stranger lures with, or where.
const LURES: &[&str] = &[
    "go|goes|come|comes|get|gets|hop|climb|follow|leave|walk|ride with",
    "go|come|get|hop|climb|follow|leave|walk|ride in|into * car|van|truck|house",
    "get|hop|climb in|into",
    "follow",
    "go|come to * house|home|room",
    "come to",
    "wants you to",
    "so go",
    "go with",
    "has|have|got|offers|offered @lure",
    "has|have|got|offers|offered ~ @lure",
    "offers|offered you",
    "where you live",
    "your address|school|name|photo|picture",
    "open the door",
    "meet",
];

/// Running away and going out alone.
const AWAY: &[&str] = &[
    "run|ran|runs away from home",
    "run|ran|runs away tonight",
    "run|ran away and do not tell",
    "leave|leaves|left home",
    "sneak|sneaks|snuck out|off|away|into",
    "go|goes|went|walk out|outside alone|at",
    "alone at night",
    "at night alone",
    "to the park at night",
    "out at night",
    "wander|wandered off",
    "walk|go home alone",
    "hide|hid from @poss parents|mum|dad|mummy|daddy|mom|teacher|grownups",
    "hide|hid from parents|mum|dad|mummy|daddy|mom|teacher|grownups",
    "into the woods|forest alone",
    "by yourself at night",
    "without telling",
];

/// A child alone in or near water.
const ALONE: &[&str] = &[
    "alone",
    "by yourself|himself|herself|myself",
    "on your|my own",
    "without a|an grownup|adult",
    "without telling",
    "nobody|noone is looking|watching",
    "not looking|watching",
    "at night",
    "fun to slide",
    "no grownup|adult|one is|around|watching",
    "nobody|noone around",
    "can not swim",
    "cannot swim",
    "even though",
    "grownups are not|aren't looking|watching",
];

/// Keeping secrets from the grown-ups who keep a child safe.
const SECRETS: &[&str] = &[
    "keep it|this|that|these|the ~ secret from",
    "keep it|this|that ~ secret|quiet",
    "keep the secret",
    "our little|special|big secret",
    "our secret",
    "secret|special game|games",
    "grownups do not need to know",
    "grownups will not|never know",
    "mum|mummy|dad|daddy|parents|mom|mommy must|will|should not|never know",
    "just between us",
    "between you and me",
    "do not|never tell @poss mum|mom|mummy|mommy|dad|daddy|parents|teacher|grownups|nan|gran|grandma|grandpa about",
];

/// "Don't tell your mum" is a child's joke about a biscuit or a groomer's demand; with one of these
/// it is the second.
const TELL_NOBODY: &[&str] = &[
    "do not|never tell @poss mum|mom|mummy|mommy|dad|daddy|parents|teacher|grownups|nan|gran|grandma|grandpa",
    "do not|never tell mum|mom|mummy|mommy|dad|daddy|parents|teacher|grownups|anyone|anybody|nobody|grandma|grandpa|anybody",
];
const GROOMING: &[&str] =
    &["our|game|games|special|secret|touch|touched|happened|promise|man|lady|uncle|what we|we do|did|he|she"];

/// The frame lets the act be copied: no denial, no lesson, and a child could be the one doing it.
fn copyable(cx: &Cx, i: usize) -> bool {
    !cx.negated(i) && !cx.marks.safety && cx.agent(i).copyable() && !cx.marks.with_adult
}

pub fn judge(cx: &Cx, found: &mut Found) {
    let n = cx.len();
    let has_stranger = cx.any(STRANGERS).is_some();
    let lesson = cx.marks.safety;
    for i in 0..n {
        if cx.excused(i) {
            continue;
        }
        let w = cx.word(i);
        let end = cx.clause_end(i).min(i + 9);
        // Secrets from parents: a denial is the act, so it is checked before denials.
        let secret = SECRETS.iter().find_map(|p| cx.at(i, p)).or_else(|| {
            TELL_NOBODY
                .iter()
                .find_map(|p| cx.at(i, p))
                .filter(|&e| cx.find_in(e, n, GROOMING).is_some() || cx.find_in(0, i, GROOMING).is_some())
        });
        if let Some(e) = secret
            && !cx.marks.surprise
            && !lesson
            && cx.any(&["feels|feel bad|wrong|scary|weird|uncomfortable"]).is_none()
        {
            found.push(i..e, Reason::Danger);
            continue;
        }
        // A stranger's lure, whoever acts in it: "get in the stranger's car, he has candy".
        if has_stranger
            && !lesson
            && !cx.negated(i)
            && !(0..i)
                .any(|k| matches!(cx.word(k).key.as_str(), "never" | "not" | "no") && cx.at(k, "not know").is_none())
            && let Some(e) = LURES.iter().find_map(|p| cx.at(i, p))
            && cx.agent(i) != Agent::Job
        {
            found.push(i..e, Reason::Danger);
            continue;
        }
        // The frame is the verb's: for "without telling" in "go out without telling anyone",
        // it is "go"'s.
        let verb = if w.is(super::super::lexicon::VERB) { i } else { cx.prev_verb(i).unwrap_or(i) };
        if !copyable(cx, verb) {
            continue;
        }
        // Eating or drinking what must not be: pills, bleach, batteries, wild berries.
        if INGEST.iter().any(|v| w.of(v)) || w.any(&["take", "have"]) {
            let item = cx.has_class(i + 1, end, DRUG | CHEMICAL | SMALL | WILD_FOOD).or_else(|| {
                // "eat them all", "try some", "how many pills we can swallow": what the pronoun
                // stands for, or what came before.
                let bare = i + 1 == end || cx.at(i + 1, "them|it|some|one|a|all|few|those|these").is_some();
                bare.then(|| cx.has_class(0, i, DRUG | CHEMICAL | SMALL | WILD_FOOD)).flatten()
            });
            let stuff = cx.find_in(
                i + 1,
                end,
                &[
                    "stuff|liquid|bottle ~ under|from|in the sink|garage|shed",
                    "stuff|liquid|bottle ~ skull|crossbones|poison|danger",
                ],
            );
            if let Some(k) = item {
                let iw = cx.word(k);
                let take_only = w.any(&["take", "have"]) && !iw.is(DRUG);
                let ok = if iw.is(DRUG) {
                    let own_dose = cx.at(k.saturating_sub(1), "your|his|her|my").is_some() && cx.any(MISUSE).is_none();
                    !own_dose
                        && (cx.any(MISUSE).is_some() || cx.agent(i).instructs())
                        && !(w.of("take") && cx.any(MISUSE).is_none())
                } else if iw.is(WILD_FOOD) && !iw.is(CHEMICAL) {
                    cx.any(&[
                        "find|found|wild|woods|forest|garden|park|bush|hedge|ground|strange|unknown|shiny",
                        "do not know",
                    ])
                    .is_some()
                } else {
                    !take_only
                };
                if ok {
                    found.push(i..(k + 1).max(i + 1), Reason::Danger);
                    continue;
                }
            } else if stuff.is_some() {
                found.push(i..end, Reason::Danger);
                continue;
            }
        }
        // Claims that lure: "medicine tastes like candy".
        if w.is(DRUG | CHEMICAL | SMALL)
            && let Some(e) = LURING_CLAIMS.iter().find_map(|p| cx.at(i + 1, p).or_else(|| cx.at(i + 2, p)))
            && cx.any(&["not"]).is_none()
        {
            found.push(i..e, Reason::Danger);
            continue;
        }
        // Fire: "play with matches", "light a candle", "use Dad's lighter", "make a fire".
        if let Some(e) = cx.at(i, "play|plays|played|playing ~ with")
            && let Some(k) =
                cx.has_class(e, end.max(e + 4).min(n), FIRE | SHARP | ELECTRIC | DRUG | CHEMICAL | HOT | MACHINE)
        {
            found.push(i..k + 1, Reason::Danger);
            continue;
        }
        // Lighting anything; using, taking or starting what makes fire (a candle is used for
        // light, a lighter for fire).
        if w.any(&["light", "strike", "flick", "use", "start", "make", "build", "set", "hold", "grab", "take", "find"])
            && let Some(k) = cx.has_class(i + 1, end, FIRE).or_else(|| {
                // "light them all": what the pronoun stands for.
                cx.at(i + 1, "them|it|all|some").and_then(|_| cx.has_class(0, i, FIRE))
            })
            && cx.any(&["birthday|campfire|fireplace|marshmallows|lantern|lamp|lighthouse"]).is_none()
            && (w.any(&["light", "strike", "flick"])
                || (w.any(&["use", "start", "make", "build", "set"]) && !cx.word(k).of("candle"))
                || cx.marks.strong
                || cx.marks.weak)
        {
            found.push(i..(k + 1).max(i + 1), Reason::Danger);
            continue;
        }
        if let Some(e) = cx
            .at(i, "turn|turned|turns on * gas|stove|oven|cooker|hob")
            .or_else(|| cx.at(i, "turn|turned on the gas|stove|oven|cooker|hob"))
        {
            found.push(i..e, Reason::Danger);
            continue;
        }
        // Burning things: "burn the curtains", "set the bed on fire".
        if w.any(&["burn", "set", "light"])
            && let Some(np) = cx.np(i + 1)
            && (w.of("burn")
                || cx.find_in(np.end, end.max(np.end + 3).min(n), &["on fire", "alight"]).is_some()
                || cx.at(i + 1, "fire to").is_some())
            && !cx.target(np).alive
            && !cx.word(np.head).is(FIRE)
            && cx.agent(i).instructs()
        {
            found.push(i..np.end, Reason::Danger);
            continue;
        }
        // Hot things, sockets, machines: "touch the hot stove", "stick a fork in the socket".
        // A hot thing is dangerous to touch or hold, a socket or a machine to poke at too.
        if w.any(&["touch", "lick", "poke", "stick", "put", "push", "hold", "grab", "climb", "chew", "bite"])
            && let Some(k) = cx.has_class(i + 1, end, ELECTRIC | HOT | MACHINE)
            && (w.any(&["touch", "lick", "poke", "stick", "chew", "bite", "grab", "climb"])
                || cx.find_in(i + 1, k, &["finger|fingers|hand|hands|fork|knife|key|pin|tongue|foot"]).is_some())
            && !(cx.word(k).is(HOT)
                && !cx.word(k).is(ELECTRIC | MACHINE)
                && !w.any(&["touch", "lick", "grab", "hold", "put", "stick"]))
        {
            found.push(i..k + 1, Reason::Danger);
            continue;
        }
        // Sharp things: "play with Daddy's razor", "run with scissors".
        if w.any(&["run", "juggle", "lick", "swallow", "grab", "use", "take", "hold", "wave"])
            && let Some(k) = cx.has_class(i + 1, end, SHARP)
            && !cx.marks.kitchen
            && !cx.word(k).of("saw")
        {
            found.push(i..k + 1, Reason::Danger);
            continue;
        }
        // Running away, going out alone at night.
        if let Some(e) = AWAY.iter().find_map(|p| cx.at(i, p)) {
            found.push(i..e, Reason::Danger);
            continue;
        }
        // Heights: "climb out of the window", "jump off the roof", "lean out of the window".
        if w.any(&[
            "climb", "jump", "lean", "stand", "sit", "hang", "walk", "dangle", "balance", "crawl", "step", "hop",
            "dive",
        ]) && let Some(r) = cx.find_in(
            i + 1,
            end,
            &[
                "out of ~ @height",
                "out|off|over|onto|on|from|through ~ @height",
                "up on ~ @height",
                "on top of ~ @height",
                "on the edge of",
            ],
        ) {
            found.push(i..r.end, Reason::Danger);
            continue;
        }
        // Water and ice: "swim in the deep lake all by yourself", "walk on the ice".
        if w.any(&[
            "swim", "go", "jump", "walk", "play", "sneak", "dive", "wade", "paddle", "skate", "slide", "run", "swing",
        ]) && let Some(k) = cx.has_class(i + 1, end, WATER | ICE)
            && cx.find_in(i + 1, k, &["in|into|on|onto|across|under"]).is_some()
            && (cx.word(k).is(ICE) || cx.any(ALONE).is_some())
        {
            found.push(i..k + 1, Reason::Danger);
            continue;
        }
        // Roads: "run into the road", "cross the busy road without looking".
        if w.any(&[
            "run", "play", "ride", "walk", "chase", "dart", "lie", "sit", "stand", "skate", "jump", "dash", "go",
        ]) && let Some(k) = cx.has_class(i + 1, end, ROAD)
            && cx.find_in(i + 1, k, &["into|in|onto|on|across|along"]).is_some()
            && !cx.word(k).of("crossing")
        {
            found.push(i..k + 1, Reason::Danger);
            continue;
        }
        if w.of("cross")
            && let Some(k) = cx.has_class(i + 1, end, ROAD)
            && cx
                .any(&[
                    "without looking",
                    "not look|looking",
                    "alone",
                    "busy",
                    "quick|quicker|quickly|run|running",
                    "on your own",
                ])
                .is_some()
        {
            found.push(i..k + 1, Reason::Danger);
            continue;
        }
        // Shut in: "hide inside the washing machine", "play inside the old fridge", "a bag over
        // your head".
        if w.any(&[
            "hide", "climb", "get", "go", "play", "crawl", "sit", "lock", "shut", "close", "stay", "lie", "squeeze",
        ]) && let Some(k) = cx.has_class(i + 1, end.max((i + 9).min(n)), TRAP)
            && cx.find_in(i + 1, k, &["in|inside|into"]).is_some()
            && !cx.word(k).of("toilet")
        {
            found.push(i..k + 1, Reason::Danger);
            continue;
        }
        if let Some(e) = cx
            .at(i, "put|pull|tie|wrap * bag|rope|string|scarf|cord|belt over|around|round|on @poss head|neck|face")
            .or_else(|| {
                cx.at(
                    i,
                    "put|pull|tie|wrap * * bag|rope|string|scarf|cord|belt over|around|round|on @poss head|neck|face",
                )
            })
            .or_else(|| {
                cx.at(
                    i,
                    "put|pull|tie|wrap * * * bag|rope|string|scarf|cord|belt over|around|round|on @poss head|neck|face",
                )
            })
        {
            found.push(i..e, Reason::Danger);
            continue;
        }
        // Electricity and water: "take the hairdryer into the bath".
        if w.is(ELECTRIC) && cx.find_in(i + 1, n, &["in|into ~ bath|water|pool|sink|tub|shower"]).is_some() {
            found.push(i..i + 1, Reason::Danger);
            continue;
        }
        // A head where breath stops: "put your head in the plastic bag".
        if let Some(e) = cx.at(i, "put|stick|push ~ head|face in|into|inside ~ bag|bucket|water|toilet|box") {
            found.push(i..e, Reason::Danger);
            continue;
        }
        // An animal one does not know: "stroke the big dog you don't know".
        if w.any(&["pet", "stroke", "touch", "hug", "pat", "feed", "poke", "tease", "grab"])
            && cx
                .find_in(i + 1, n, &["@animal you do not know", "strange|wild @animal", "@animal * nest|hive"])
                .is_some()
        {
            found.push(i..(i + 3).min(n), Reason::Danger);
            continue;
        }
        // In the car: "unbuckle your seat belt".
        if let Some(e) = cx
            .at(i, "unbuckle|undo|unclip|remove * seat|seatbelt|belt")
            .or_else(|| cx.at(i, "unbuckle|undo|unclip * * seat|seatbelt|belt"))
            .or_else(|| cx.at(i, "take off * seatbelt"))
            .or_else(|| cx.at(i, "open the car door while"))
            .or_else(|| cx.at(i, "stand up in the car"))
            .or_else(|| cx.at(i, "without|no * helmet"))
            .or_else(|| cx.at(i, "stare|look straight|right at the sun"))
            .or_else(|| cx.at(i, "hold * breath until * faint|pass"))
        {
            found.push(i..e, Reason::Danger);
            continue;
        }
        // A knife in a story that is not a kitchen's.
        if w.any(&["knife", "dagger"])
            && !cx.marks.kitchen
            && cx.any(&["knives and forks", "butter knife", "bread knife", "@job"]).is_none()
            && !cx.marks.with_adult
        {
            found.push(i..i + 1, Reason::Harm);
            continue;
        }
    }
}
