//! Fear beyond a picture book: blood running, bodies opened, parts cut off, the dead.
//!
//! Picture books and explainers use the same words gently: the heart pumps blood, a scraped
//! knee bleeds a little, bones keep us strong, snakes shed their skin, leaves die in autumn,
//! dinosaurs died out, the battery is dead. Blood is gore when it runs (everywhere, pouring,
//! covered in it), a body when it is opened or taken apart, death when it comes to someone
//! alive.

use super::{Agent, Cx, Found};
use crate::safety::Reason;
use crate::safety::lexicon::{ANIMAL, BODY, DEVICE, GORE_PART, NATURE, PERSON, PLANT, THING};

/// What blood does in a picture book: inside a body, explained, or a drop from a scrape.
const GENTLE_BLOOD: &[&str] = &[
    "heart|hearts|pump|pumps|vessel|vessels|cell|cells|vein|veins|carry|carries|oxygen|donate|test|body|bodies",
    "a little",
    "a tiny|small bit",
    "a drop",
    "plaster|bandage|scrape|scraped|graze|grazed|scab|nurse|doctor|orange|moon|hound",
    "mosquito|mosquitoes|leech|leeches|tick|ticks|flea|fleas|bat|bats",
];

/// What makes blood gore.
const RUNNING_BLOOD: &[&str] = &[
    "everywhere|pour|poured|pouring|gush|gushed|gushing|squirt|squirted|spurt|spurted|splatter|splattered|drip|dripping|dripped|covered|pool|puddle|buckets|soaked|river|rivers|spray|sprayed",
    "all over",
    "drank|drink|drinks|drinking|lick|licked|licks|licking @poss blood",
    "out of ~ eyes|ears|mouth|nose",
];

/// Taking a body apart: verbs and the words that finish the act.
const DISMEMBER_VERBS: &[&str] = &[
    "cut", "chop", "bite", "rip", "tear", "pull", "saw", "slice", "hack", "gouge", "pluck", "pop", "scoop", "suck",
    "peck", "claw", "chew", "gnaw",
];
const APART: &[&str] = &["off", "out", "apart", "open", "in half", "to pieces", "into pieces", "limb from limb", "up"];

/// A body broken open.
const BODY_BREAKS: &[&str] = &[
    "popped|pop|pops|rolled|burst|bursts|split|splits|snapped|cracked|crunched|melted|spilled|spilt|exploded|oozed|hanging|dangling|torn|ripped|gouged|severed|squashed|squished|smashed|crushed|pecked|chopped|eaten|chewed|blown|cut",
];

/// Phrases that are gore whatever else is said.
const GORE_PHRASES: &[&str] = &[
    "@gore everywhere|spilled|spilt|spilling|hanging|dangling|rotting|rotten|oozing|splattered|exploded",
    "@gore * everywhere|out",
    "eat|ate|eaten|eats|eating|burn|burned|burnt|bury|buried|skin|skinned|boil|boiled|cook|cooked * alive",
    "eat|ate|eaten|eats|eating|burn|burned|burnt|bury|buried|skin|skinned|boil|boiled|cook|cooked * * alive",
    "eat|ate|eaten|eats|eating * alive",
    "eaten|burnt|burned|buried|skinned|boiled alive",
    "on spikes|spike|hooks|hook",
    "maggots|maggot",
    "rotting|rotten|decaying ~ @alive|body|bodies|flesh|face|meat|carcass|corpse",
    "chunk|chunks|piece|bite out of @poss ~ arm|leg|face|neck|body|hand|tummy|head",
    "bits|pieces|chunks of flesh|skin|brain|body",
    "flesh hanging|torn|ripped|dripping|rotting",
    "went|goes|go|came|stuck|poked|sticking|through @poss hand|hand|head|eye|foot|leg|arm|chest|tummy|neck|body",
    "through @poss * hand|head|eye|foot|leg|arm|chest|tummy|neck|body",
    "bone|bones stuck|poked|sticking|came * out|through",
    "bone|bones stuck|poked|sticking|came out|through",
    "stuck|sticking out of @poss leg|arm|skin",
    "in half",
    "split * head|skull open",
    "split @poss head|skull",
    "smashed|crushed|cracked|crunched|broke|snapped * skull|skulls|bones|bone|neck",
    "smashed|crushed|cracked|crunched|broke|snapped * * skull|skulls|bones|bone|neck",
    "insides|guts out",
    "blood * everywhere",
    "limb from limb",
    "torn|ripped apart|open",
    "to pieces|bits",
];

pub fn judge(cx: &Cx, found: &mut Found) {
    let n = cx.len();
    for i in 0..n {
        if cx.excused(i) {
            continue;
        }
        let w = cx.word(i);
        // Blood and bleeding.
        if w.any(&["blood", "bloody", "bleed", "bloodied", "bloodstained"]) {
            let running = cx.any(RUNNING_BLOOD).is_some() || cx.marks.strong;
            let gentle = cx.any(GENTLE_BLOOD).is_some();
            if running || (!gentle && !cx.negated(i)) {
                found.push(i..i + 1, Reason::Gore);
                continue;
            }
        }
        // Death of someone alive.
        if let Some(end) = death(cx, i) {
            found.push(i..end, Reason::Gore);
            continue;
        }
        // A body taken apart: "bit off the knight's head", "pulled out his brain", "ripped the
        // hunter apart". The part must be what the verb takes: "pulled a splinter out of my
        // finger" is first aid.
        if DISMEMBER_VERBS.iter().any(|v| w.of(v)) && !cx.negated(i) {
            let mut k = i + 1;
            let mut particle = None;
            if let Some(e) = APART.iter().find_map(|a| cx.at(k, a)) {
                particle = Some(k..e);
                k = e;
            }
            if let Some(np) = cx.np(k) {
                if particle.is_none() {
                    particle = APART.iter().find_map(|a| cx.at(np.end, a).map(|e| np.end..e));
                }
                if let Some(a) = particle {
                    let head = cx.word(np.head);
                    let owned = np.possessor.is_some() || head.is(GORE_PART);
                    let part = (head.is(BODY) && !head.of("tooth") && owned) || head.is(GORE_PART);
                    let alive = cx.target(np).alive && !cx.target(np).body;
                    let apart_word = cx.word(a.start).key.as_str();
                    let taken_apart = alive && !matches!(apart_word, "up" | "out" | "open" | "off");
                    let chopped = apart_word == "up" && head.is(PERSON);
                    if (part && cx.agent(i) != Agent::Job) || taken_apart || chopped {
                        found.push(i..np.end.max(a.end), Reason::Gore);
                        continue;
                    }
                }
            }
        }
        // A body breaking: "her eyeballs popped out", "his tummy burst open", "the baby bird's
        // neck snapped".
        if (w.is(BODY) || w.is(GORE_PART)) && !w.of("tooth") && !w.of("heart") {
            let owner = i > 0
                && (cx.word(i - 1).poss || matches!(cx.word(i - 1).key.as_str(), "his" | "her" | "their" | "its"));
            if owner && let Some(r) = cx.find_in(i + 1, (i + 4).min(n), BODY_BREAKS) {
                found.push(i - 1..r.end, Reason::Gore);
                continue;
            }
        }
        // Phrases that are gore in any frame.
        if let Some(end) = GORE_PHRASES.iter().find_map(|p| cx.at(i, p)) {
            // "in half" and "to pieces" only of the living: "cut the apple in half" is lunch.
            let about_living = cx.w[..i].iter().any(|w| w.alive() || w.is(BODY));
            if (w.of("in") || w.of("to") || w.of("torn") || w.of("ripped")) && !about_living {
                continue;
            }
            found.push(i..end, Reason::Gore);
            continue;
        }
    }
}

/// Death of someone alive, as the word `i` tells it ("the cat dies", "dead bodies", "everyone
/// was dead"); not of leaves, batteries or dinosaurs long ago. The end of its span.
fn death(cx: &Cx, i: usize) -> Option<usize> {
    let w = cx.word(i);
    let n = cx.len();
    let not_alive = PLANT | DEVICE | NATURE | THING;
    if w.of("die") || w.key == "died" || w.key == "dying" || w.key == "dies" {
        // "died out", "die down", "die away": extinction and fading.
        if cx.at(i + 1, "out|down|away|off").is_some() {
            return None;
        }
        if cx.any(&["living things|thing", "everything", "all things", "every living"]).is_some() {
            return None;
        }
        let subject = (0..i).rev().take(6).find(|&k| cx.word(k).is(not_alive | PERSON | ANIMAL) || cx.word(k).name);
        if subject.is_some_and(|k| cx.word(k).is(not_alive) && !cx.word(k).alive()) {
            return None;
        }
        // An explainer's general truth: "honeybees die after they sting", "some fish die in
        // winter". A story's death has a "the" or a name: "the cat dies".
        // The subject may be a word the lexicon does not know ("honeybees").
        let subject = subject.or_else(|| (0..i).rev().find(|&k| !cx.word(k).is(super::super::lexicon::VERB)));
        if let Some(k) = subject {
            let s = cx.word(k);
            let plural = (s.key != s.base || s.classes == 0) && s.key.ends_with('s') && !s.poss;
            let bare = k == 0 || cx.at(k - 1, "some|many|most|all|old|baby|wild|young|male|female|worker").is_some();
            if plural && bare && !w.key.ends_with("ed") {
                return None;
            }
        }
        if grieved(cx) {
            return None;
        }
        return Some(i + 1);
    }
    if w.key == "dead" || w.key == "death" || w.key == "deaths" || w.key == "corpses" || w.key == "corpse" {
        if w.key == "dead" {
            // "the dead leaves", "a dead battery"; "the battery is dead".
            if let Some(next) = cx.w.get(i + 1)
                && next.is(not_alive)
                && !next.alive()
            {
                return None;
            }
            let subject = (0..i).rev().take(5).find(|&k| cx.word(k).is(not_alive | PERSON | ANIMAL) || cx.word(k).name);
            if subject.is_some_and(|k| cx.word(k).is(not_alive) && !cx.word(k).alive())
                && cx.w.get(i + 1).is_none_or(|next| !next.alive())
            {
                return None;
            }
        }
        if grieved(cx) && w.key == "dead" {
            return None;
        }
        return Some((i + 2).min(n));
    }
    None
}

/// A death told with grief and comfort, as picture books about loss tell it ("we miss him",
/// "we buried her under the apple tree"), and nothing gory.
fn grieved(cx: &Cx) -> bool {
    cx.any(&["miss|missed|misses|remember|remembered|buried|goodbye|heaven|funeral|memories|grave|sad|sadly|cried|peacefully"])
        .is_some()
        && cx.any(BODY_BREAKS).is_none()
        && cx.any(RUNNING_BLOOD).is_none()
        && !cx.marks.strong
}
