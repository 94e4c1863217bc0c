//! Sexual content: private parts, undressing for someone, touching or kissing with a secret.
//!
//! Children's books talk about bodies too: bath time, getting into pyjamas, a goodnight kiss,
//! and body safety ("your private parts are private, nobody should touch them"). Undressing is
//! sexual with an onlooker, a camera or a secret; a kiss or a touch with a secret, on the lips
//! from a grown-up, or where a swimsuit goes; private parts in any frame except a denial or the
//! body-safety lesson.

use super::{Cx, Found};
use crate::safety::Reason;
use crate::safety::lexicon::{BOTTOM, CLOTHES, PRIVATE};

/// What makes undressing or nakedness sexual: someone looking, a camera, a secret, a bed.
const ONLOOKERS: &[&str] = &[
    "picture|pictures|photo|photos|photograph|camera|video|videos|film|selfie|online|webcam|internet|watch|watches|watching",
    "for me|him|her|them|the|a|us",
    "let me",
    "show me|him|her|them|your|his|their|my",
    "in front of",
    "secret|secrets",
    "do not tell",
    "never tell",
    "touch|touches|touched|touching|rub|lick|kiss|kisses",
    "in my|his|her bed|room|car",
    "into my|his|her bed|room|car",
    "come into my|his|her",
    "play doctor|doctors",
    "to see",
    "wants to see",
    "like to see",
    "look at",
    "send",
    "everything",
    "lap",
    "game|games",
    "and look|watch",
];

/// A body-safety lesson: not sexual content but what protects children from it.
const BODY_SAFETY: &[&str] = &[
    "nobody|noone should|can|may",
    "no one should|can|may",
    "say no",
    "tell a|an|your grownup|adult|teacher",
    "grownup you trust",
    "trusted grownup|adult",
    "are|is private",
    "belongs to you",
    "your body is yours",
    "covered by",
];

/// Where a touch or a kiss is sexual.
const SEXUAL_PLACES: &[&str] = &[
    "down there",
    "where @poss swimsuit|underwear|pants|knickers|costume goes|go|covers|cover",
    "under @poss clothes|pants|underwear|knickers|dress|skirt|pyjamas|shorts|trousers|nightie|shirt|top|vest",
    "inside|in|down @poss clothes|pants|underwear|knickers|shorts|trousers",
];

/// Where a touch or a kiss is sexual when a grown-up or a secret is in it: "kiss you all over",
/// "on the lips" (a puppy licking a face all over is not).
const PLACES_WITH_A_GROWN_UP: &[&str] =
    &["all over", "everywhere", "against", "on the lips|mouth", "on @poss lips|mouth", "lap"];

/// Grown-ups who are not a child's parents.
const GROWN_UPS: &[&str] =
    &["man|men|uncle|teacher|neighbour|neighbor|babysitter|stranger|coach|lady|grownup|grownups|adult|adults|he|his"];

pub fn judge(cx: &Cx, found: &mut Found) {
    let n = cx.len();
    let lesson = cx.any(BODY_SAFETY).is_some();
    let secret =
        cx.any(&["secret|secrets", "do not|never tell", "keep it quiet", "between us", "our little game"]).is_some();
    let onlooker = cx.any(ONLOOKERS).is_some();
    for i in 0..n {
        if cx.excused(i) || cx.negated(i) {
            continue;
        }
        let w = cx.word(i);
        // Private parts, said outright ("chicken breast" is dinner).
        if w.is(PRIVATE) && !lesson && !(i > 0 && cx.word(i - 1).any(&["chicken", "turkey", "duck"])) {
            found.push(i..i + 1, Reason::Sexual);
            continue;
        }
        // Bottoms and "willy" are bath-time words; with a camera, a secret or a touch they are not.
        if w.is(BOTTOM) && !lesson && (onlooker || secret) {
            found.push(i..i + 1, Reason::Sexual);
            continue;
        }
        // Undressing for someone: "take off your clothes and let me take a picture".
        if let Some(end) = undressing(cx, i)
            && (onlooker || secret)
            && !lesson
        {
            found.push(i..end, Reason::Sexual);
            continue;
        }
        // Underwear photographed: "send me a picture of you in your underwear".
        if w.any(&["underwear", "knickers", "pants", "undies", "panties", "swimsuit"])
            && cx.any(&["picture|pictures|photo|photos|camera|video|webcam|send|selfie"]).is_some()
            && !lesson
        {
            found.push(i..i + 1, Reason::Sexual);
            continue;
        }
        // Nakedness looked at: "see her with no clothes on", "naked pictures".
        if let Some(end) = cx
            .at(i, "naked|nude|undressed")
            .or_else(|| cx.at(i, "without|no clothes|clothing").or_else(|| cx.at(i, "with no clothes|clothing|pants")))
            && onlooker
            && !lesson
        {
            found.push(i..end, Reason::Sexual);
            continue;
        }
        // A touch, a rub or a kiss in a sexual place or with a secret.
        if w.any(&[
            "touch", "rub", "lick", "kiss", "stroke", "feel", "wash", "tickle", "grab", "put", "cuddle", "show", "see",
            "look",
        ]) && !lesson
        {
            let end = (i + 9).min(n);
            if let Some(r) = cx.find_in(i + 1, end, SEXUAL_PLACES) {
                found.push(i..r.end, Reason::Sexual);
                continue;
            }
            // A goodnight kiss from Mum is not this; from a grown-up with a secret, or all over,
            // it is.
            if let Some(r) = cx.find_in(i + 1, end, PLACES_WITH_A_GROWN_UP)
                && (secret || cx.any(GROWN_UPS).is_some())
                && !w.any(&["show", "see", "look"])
            {
                found.push(i..r.end, Reason::Sexual);
                continue;
            }
            // On a grown-up's lap or in their bed: "sit on his lap and touch him".
            if w.any(&["touch", "rub", "kiss", "stroke", "lick", "feel"])
                && cx.any(&["lap|bed"]).is_some()
                && cx.any(GROWN_UPS).is_some()
            {
                found.push(i..(i + 2).min(n), Reason::Sexual);
                continue;
            }
            let private = cx.has_class(i + 1, end, PRIVATE | BOTTOM).is_some();
            if private
                || (secret && w.any(&["touch", "kiss", "rub", "lick", "stroke"]) && cx.any(&["@pron|@alive"]).is_some())
            {
                found.push(i..(i + 2).min(n), Reason::Sexual);
                continue;
            }
        }
    }
}

/// Undressing at word `i`: "take off your clothes", "pull down your underwear", "take your
/// pyjamas off", "undress"; the end of its span.
fn undressing(cx: &Cx, i: usize) -> Option<usize> {
    let w = cx.word(i);
    let n = cx.len();
    if w.any(&["undress", "strip"]) {
        return Some(i + 1);
    }
    if !w.any(&["take", "pull", "lift", "undo", "remove", "unzip", "drop", "slip"]) {
        return None;
    }
    let end = (i + 7).min(n);
    let clothes = cx.has_class(i + 1, end, CLOTHES)?;
    let particle =
        cx.find_in(i + 1, (clothes + 2).min(n), &["off|down|up"]).is_some() || w.any(&["remove", "undo", "unzip"]);
    particle.then_some(clothes + 1)
}
