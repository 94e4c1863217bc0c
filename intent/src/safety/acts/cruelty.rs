//! Cruelty and humiliation: mocking someone for who they are, leaving them out, spoiling what
//! is theirs to make them cry, shutting a creature in the dark, leaving it without food.
//!
//! Laughing is most of what picture books do: at a joke, a clown, Dad's silly dance. It is
//! cruel when it is at someone for how they look or what they have (because, different, their
//! clothes), and together with name-calling, exclusion and gossip it is what this module finds.
//! Taking or breaking someone's things is a story's plot until it is done to make them cry.

use super::{Agent, Cx, Found};
use crate::safety::Reason;
use crate::safety::lexicon::{APPEARANCE, BODY, CONFINE, PERSON};

/// Why someone is laughed at, when it is cruel: how they look, what they have, who they are.
const MOCKED_FOR: &[&str] = &[
    "different|poor|fat|ugly|weird|smelly|stinky|glasses|wheelchair|skin|crying|cried|cries|alone|slow|stupid|dumb|accent|freckles|braces|clothes|shoes|hair|teeth|colour|color|weight|size",
    "look|looks|looked different",
];

/// A story that turns mockery around: "the others laughed at Rudolph, but later they cheered".
const REDEEMED: &[&str] = &[
    "but ~ cheered|friend|friends|kind|sorry|hugged|helped|proud|loved|learned|learnt|beautiful|swan|stopped|apologised|apologized|best|sad|wrong",
    "until ~ cheered|friend|friends|sorry|learned|learnt|swan",
    "later ~ cheered|friend|friends|sorry|learned",
];

/// Spoiling or taking what is someone's, and why.
const SPOIL: &[&str] = &[
    "rip", "tear", "break", "smash", "stomp", "steal", "take", "hide", "throw", "snatch", "ruin", "wreck", "knock",
    "kick", "squash", "spoil", "scribble", "cut", "pop", "eat", "bin",
];
const TO_HURT: &[&str] = &[
    "so he|she|they|it ~ cry|cries|cried|sad|upset|keeps|keep|cannot",
    "so he|she|they|it can not",
    "so he|she|they|it has|have to",
    "so he|she|they|it falls|fall|trips|trip",
    "so he|she|they|it cry|cries|cried|keeps|keep|can|cannot|is|gets|feels",
    "to make * cry|sad|upset",
    "make * cry|sad|upset",
    "on purpose",
    "and laugh|laughed|giggle",
    "in front of",
    "for fun",
    "so nobody|noone",
    "so no one",
    "while * watches|watch|cries|cry",
];

/// Left without what it needs.
const NEGLECT: &[&str] = &[
    "no|without food|water|dinner",
    "no food or|and water",
    "stop|stopped feeding",
    "never feed|feeds",
    "not feed * @pron|it|them",
    "not give * any food|water|dinner",
    "not give * * any food|water|dinner",
    "starve",
    "for a week|month|days",
    "all night",
    "in the snow|rain|cold|dark",
    "outside in the",
    "in the hot car",
    "tiny|small * box|cage|jar",
    "tiny|small box|cage|jar",
];

/// Places a creature is shut in.
const SHUT: &[&str] = &["lock", "shut", "trap", "close"];
const KEEP: &[&str] = &["keep", "leave", "put", "hide", "stuff"];

pub fn judge(cx: &Cx, found: &mut Found) {
    let n = cx.len();
    for i in 0..n {
        if cx.excused(i) {
            continue;
        }
        let w = cx.word(i);
        let negated = cx.negated(i);
        // Left out: "don't let the girl in the wheelchair play with you", "nobody should play
        // with Ben", "so nobody plays with her". Said with a denial, so checked before it.
        if let Some(r) = cx.at(i, "not let").and_then(|_| {
            cx.find_in(i + 2, (i + 12).min(n), &["play|sit|join|come with|next you|us|me|them", "join in", "play|join"])
                .filter(|r| r.len() > 1 || r.end == n || cx.word(r.end).pause)
        }) && cx.w[i + 2..r.start].iter().any(|w| w.alive() || w.is(super::super::lexicon::PRONOUN))
        {
            found.push(i..r.end, Reason::Cruelty);
            continue;
        }
        if let Some(end) = cx
            .at(i, "nobody|noone should|will|can|must play|sit|talk with|to|next")
            .or_else(|| cx.at(i, "nobody|noone plays|play|sits|talks with|to|next"))
            .or_else(|| cx.at(i, "no one should|will|can play|sit|talk with|to|next"))
            .or_else(|| cx.at(i, "nobody|noone likes|loves|wants|cares @pron|@name"))
            .or_else(|| cx.at(i, "nobody|noone likes|loves|wants|cares about @pron|@name"))
            .or_else(|| cx.at(i, "no one likes|loves|wants @pron|@name"))
            .or_else(|| cx.at(i, "nobody|noone wants to be @poss friend"))
            .or_else(|| cx.at(i, "no one wants to be @poss friend"))
            .or_else(|| {
                cx.at(i, "he|she|they|@pron|@name can not play|join|sit|come")
                    .filter(|_| cx.any(&["because|different|us|we"]).is_some())
            })
            .or_else(|| cx.at(i, "leave @pron|@name out"))
            .or_else(|| cx.at(i, "leave * @child out"))
        {
            found.push(i..end, Reason::Cruelty);
            continue;
        }
        // Left without food: negation is the act here, so it is not checked.
        if let Some(end) = cx.at(i, "stop|stopped feeding").or_else(|| cx.at(i, "never feed|feeds"))
            && cx.any(&["@animal|@child|@pron"]).is_some()
        {
            found.push(i..end, Reason::Cruelty);
            continue;
        }
        if let Some(end) = cx
            .at(i, "not give ~ any food|water|dinner")
            .or_else(|| cx.at(i, "not give ~ food|water|dinner"))
            .or_else(|| cx.at(i, "go|goes|went hungry|thirsty"))
            && cx.any(&["@animal|@child"]).is_some()
        {
            found.push(i..end, Reason::Cruelty);
            continue;
        }
        if negated {
            continue;
        }
        // Laughed at for who they are.
        if w.any(&["laugh", "point", "giggle", "snigger", "sneer", "jeer"])
            && let Some(at) = cx.find_in(i + 1, (i + 4).min(n), &["at"])
            && let Some(np) = cx.np(at.end)
        {
            let head = cx.word(np.head);
            let someone = head.alive() || head.key == "people" || head.is(super::super::lexicon::PRONOUN);
            let theirs = np.possessor.is_some_and(|p| cx.word(p).alive()) && head.is(APPEARANCE);
            let reason = cx.any(MOCKED_FOR).is_some();
            let redeemed = cx.any(REDEEMED).is_some() && !cx.meant(i);
            // Asked to laugh at a person ("then laugh at him"), not at a clown or a joke.
            let person = head.is(PERSON) || head.name || matches!(head.key.as_str(), "him" | "her" | "them");
            let performer = cx.any(&["clown|clowns|joke|jokes|show|trick|tricks|dance|song|funny"]).is_some();
            let asked = cx.meant(i) && person && !performer;
            if ((someone && reason) || theirs || asked) && !redeemed {
                found.push(i..np.end, Reason::Cruelty);
                continue;
            }
        }
        // Laughing at a fall or tears: "laugh really loudly when Mia falls over".
        if w.any(&["laugh", "giggle", "cheer", "clap"])
            && cx.meant(i)
            && let Some(r) = cx.find_in(
                i + 1,
                (i + 8).min(n),
                &[
                    "when|if * falls|fall|cries|cry|trips|trip|gets|hurts|wets",
                    "when|if * * falls|fall|cries|cry|trips|trip|gets|hurts|wets",
                ],
            )
        {
            found.push(i..r.end, Reason::Cruelty);
            continue;
        }
        if let Some(end) = cx.at(i, "make|made|makes|making fun of") {
            found.push(i..end, Reason::Cruelty);
            continue;
        }
        // Name-calling: "call the new boy names", "call her a pig", "tell Ava her drawing is
        // ugly".
        if w.of("call")
            && let Some(e) = cx
                .at(i + 1, "~ @alive|@pron names|@insult")
                .or_else(|| cx.at(i + 1, "~ @alive|@pron a|an|so|really ~ @insult"))
            && !cx.marks.moral
        {
            found.push(i..e, Reason::Cruelty);
            continue;
        }
        if w.any(&["tell", "say", "whisper", "shout", "yell", "write"])
            && let Some(r) = cx.find_in(
                i + 1,
                (i + 10).min(n),
                &[
                    "is|are|was|looks|look|smells|smell so|really|very|too|a|an|such ~ @insult",
                    "is|are|was|looks|look|smells|smell @insult",
                    "smells|stinks",
                ],
            )
            && cx.w[i + 1..r.start].iter().any(|w| w.alive() || w.is(super::super::lexicon::PRONOUN))
            && !cx.marks.moral
        {
            found.push(i..r.end, Reason::Cruelty);
            continue;
        }
        // Gossip and mean words: "tell everyone that Mia wet the bed", "whisper mean things".
        if let Some(end) = cx
            .at(i, "say|said|whisper|whispered|write|wrote|tell|told|spread mean|nasty|horrible|unkind things|lies|stories|rumours|rumors")
            .or_else(|| {
                cx.at(i, "tell|told everyone|everybody")
                    .filter(|_| cx.any(&["wet|wets the bed", "wet * pants", "pee|peed|poo|pooed|smell|smells|cried|cries"]).is_some())
            })
        {
            found.push(i..end, Reason::Cruelty);
            continue;
        }
        // Spoiling what is someone's to make them cry.
        if SPOIL.iter().any(|v| w.of(v))
            && cx.agent(i).copyable()
            && let Some(np) = cx.np(i + 1).or_else(|| cx.np(i + 2))
            && np.possessor.is_some_and(|p| cx.word(p).alive())
            && !cx.word(np.head).is(BODY)
            && cx.any(TO_HURT).is_some()
            && !cx.marks.accident
        {
            found.push(i..np.end, Reason::Cruelty);
            continue;
        }
        // Humiliated in front of others: juice on the head, trousers pulled down.
        if let Some(end) = cx
            .at(i, "pull|pulled|pulls down|off * trousers|pants|skirt|shorts|knickers")
            .or_else(|| cx.at(i, "pull|pulled|pulls down|off * * trousers|pants|skirt|shorts|knickers"))
        {
            found.push(i..end, Reason::Cruelty);
            continue;
        }
        // Shut in the dark or left out in the cold: "lock your sister in the dark cupboard",
        // "leave the dog outside in the snow all night".
        if (SHUT.iter().any(|v| w.of(v)) || KEEP.iter().any(|v| w.of(v)))
            && cx.agent(i) != Agent::Job
            && let Some(np) = cx.np(i + 1)
            && cx.target(np).alive
            && !cx.target(np).own
        {
            let end = (np.end + 8).min(n);
            let place = cx.has_class(np.end, end, CONFINE).is_some()
                || cx.find_in(np.end, end, &["outside|out", "in the snow|rain|cold|dark"]).is_some();
            let harsh = cx.any(NEGLECT).is_some();
            let starved = cx.find_in(np.end, n, &["no|without food|water|dinner"]).is_some();
            if (place && (SHUT.iter().any(|v| w.of(v)) || harsh)) || starved {
                found.push(i..np.end, Reason::Cruelty);
                continue;
            }
        }
        // Made to cry: "take the baby's toy away to make him cry".
        if let Some(end) = cx.at(i, "make|made * cry|scream|sad").or_else(|| cx.at(i, "make|made * * cry|scream|sad"))
            && cx.w[i + 1..end - 1].iter().any(|w| w.alive() || w.is(super::super::lexicon::PRONOUN))
            && cx.agent(i).instructs()
            && !cx.marks.moral
        {
            found.push(i..end, Reason::Cruelty);
            continue;
        }
        // Small creatures hurt for fun: "pull the wings off the butterfly", "salt on the slugs".
        if let Some(end) = cx
            .at(i, "pull|pulled|rip|ripped|tear|tore|pluck|plucked * wings|legs|feathers|whiskers off|out")
            .or_else(|| cx.at(i, "pull|pulled|rip|ripped|tear|tore|pluck|plucked wings|legs|feathers|whiskers off|out"))
            .or_else(|| {
                cx.at(i, "pull|pulled|rip|ripped|tear|tore|pluck|plucked off|out * wings|legs|feathers|whiskers")
            })
            .or_else(|| cx.at(i, "salt on * slugs|slug|snails|snail"))
            .or_else(|| cx.at(i, "salt on slugs|slug|snails|snail"))
        {
            found.push(i..end, Reason::Cruelty);
            continue;
        }
    }
}
