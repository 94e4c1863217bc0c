//! Bad input for the kid-safe filter (issue 36): a very long line, emoji, other scripts,
//! l33t-speak, letters spelled out with spaces, a line of punctuation. Each is judged or refused
//! clearly, never a panic, and the span of a refusal is always in the text as given.

use campfire_intent::safety::{Reason, Verdict, check, check_name, find, find_all};

/// The first finding, checked for a span that lies on character boundaries of the text.
fn judged(text: &str) -> Option<(Reason, String)> {
    for f in find_all(text) {
        assert!(text.get(f.span.clone()).is_some(), "{:?} is not a span of the text", f.span);
        assert_eq!(&text[f.span.clone()], f.word);
    }
    find(text).map(|f| (f.reason, f.word))
}

#[test]
fn a_ten_thousand_word_line_is_judged() {
    let long = "the little bunny hops over the log ".repeat(1429);
    assert!(long.split_whitespace().count() >= 10_000);
    assert_eq!(judged(&long), None, "a long harmless line passes");
    let bad = format!("{long}. Now kick the puppy as hard as you can.");
    let (reason, words) = judged(&bad).expect("an act at the end of a long line is found");
    assert_eq!(reason, Reason::Harm);
    assert_eq!(words, "kick the puppy");
    let word = "a".repeat(100_000);
    assert_eq!(judged(&word), None);
}

#[test]
fn emoji_and_other_scripts() {
    assert_eq!(judged("🐶🐱🎉✨"), None);
    assert_eq!(judged("The 🐶 puppy wags its tail 🎉"), None);
    assert_eq!(judged("Kick the 🐶 puppy 🐶 as hard as you can!").map(|r| r.0), Some(Reason::Harm));
    for text in ["小狗很可爱。", "الكلب نائم", "🐶 犬が走る 🐾", "e\u{301}le\u{300}ve", "ﬁre ﬂy", "Der Hund schläft."]
    {
        // Words the filter does not read are not refused for being foreign.
        assert_eq!(judged(text), None, "{text}");
    }
    // Cyrillic letters that look like Latin ones are read as those by rustrict, against evasion
    // ("спит", sleeps, reads as a rude English word): judged, with a reason, not a panic.
    let cyrillic = judged("Собака спит на ковре.");
    assert!(cyrillic.as_ref().is_none_or(|(reason, _)| *reason == Reason::Language), "{cyrillic:?}");
    assert!(matches!(check_name("🐶"), Verdict::Unsafe { reason: Reason::NotAName, .. }));
}

#[test]
fn leetspeak_and_spelled_out_letters_are_read_as_words() {
    assert_eq!(judged("k1ll the c4t").map(|r| r.0), Some(Reason::Harm));
    assert_eq!(judged("Let's h1t the pupp1es").map(|r| r.0), Some(Reason::Harm));
    let spaced = "k i c k the p u p p y";
    let (reason, words) = judged(spaced).expect("spelled out, it is still an act");
    assert_eq!((reason, words.as_str()), (Reason::Harm, spaced));
    assert_eq!(judged("Now k.i.c.k the kitten").map(|r| r.0), Some(Reason::Harm));
    assert_eq!(judged("ki\u{200B}ll the cat").map(|r| r.0), Some(Reason::Harm), "a zero-width space hides nothing");
    assert_eq!(judged("We sang the A B C song."), None, "letters of a song are not a word to refuse");
}

#[test]
fn punctuation_and_empty_lines() {
    for text in ["", "   ", "?!?!...,,;;", "...", "'\"'\"", "—–-", "\u{200B}", "\n\n\t", "!!!!!!!!!!!!!!!!!!!!"] {
        assert_eq!(judged(text), None, "{text:?}");
        assert_eq!(check(text), Verdict::Safe, "{text:?}");
    }
    assert!(matches!(check_name("?!?"), Verdict::Unsafe { reason: Reason::NotAName, .. }));
    assert!(matches!(check_name(""), Verdict::Unsafe { reason: Reason::NotAName, .. }));
}

#[test]
fn odd_characters_never_panic() {
    let odd = [
        "\u{0}\u{1}\u{7f}",
        "Ǆ ǅ ǆ İ ı ß ẞ",
        "kick\u{0301} the puppy",
        "the cat's' '' ' s",
        "-' - ' -",
        "a-b-c-d-e-f",
        "💣💥🔪",
        "K.I.C.K",
        "I'm'n't'll've",
        "don'",
        "'s",
        "1 2 3 4 5 6 7 8 9",
        "\u{202E}kcik the puppy",
    ];
    for text in odd {
        let _ = judged(text);
        let _ = check(text);
        let _ = check_name(text);
    }
}
