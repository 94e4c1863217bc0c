//! The word error rate of a transcript against what was said: word-level edits (substitutions,
//! insertions, deletions) over the words said, after both are normalised the same way
//! ([`normalise_words`]). `campfire bench voice` reports it for whisper on every story's
//! narration; the neural voice's tests hold it to a bound.

/// Words for comparing transcripts: lower case, hyphens and dashes as spaces, other punctuation
/// dropped (apostrophes inside words kept, curly ones made straight), and whole numbers in
/// words, since whisper writes "five, four" as "5, 4" (its own WER normaliser makes the two
/// agree too, the other way round).
pub fn normalise_words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace(['\u{2019}', '\u{2018}'], "'")
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '—' | '–'))
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .chars()
                .filter(|&c| c.is_alphanumeric() || c == '\'')
                .collect::<String>()
        })
        .flat_map(|w| match w.parse::<u32>() {
            Ok(n) if !w.starts_with('0') || w == "0" => number_words(n),
            _ => vec![w],
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// A whole number as spoken, word by word: 24 → "twenty four", 1969 → "one thousand nine
/// hundred sixty nine". (A dozen lines; the crates for this bring ordinals, currencies and
/// languages the comparison does not need.)
fn number_words(n: u32) -> Vec<String> {
    const ONES: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    let mut out = Vec::new();
    for (scale, name) in [(1_000_000_000, "billion"), (1_000_000, "million"), (1000, "thousand"), (100, "hundred")] {
        if n >= scale {
            out.extend(number_words(n / scale));
            out.push(name.to_string());
            return [out, if n.is_multiple_of(scale) { Vec::new() } else { number_words(n % scale) }].concat();
        }
    }
    if n >= 20 {
        out.push(TENS[(n / 10) as usize].to_string());
        if !n.is_multiple_of(10) {
            out.push(ONES[(n % 10) as usize].to_string());
        }
    } else {
        out.push(ONES[n as usize].to_string());
    }
    out
}

/// Word-level edit distance between what was said and what was heard, and the number of words
/// said.
pub fn word_errors(said: &str, heard: &str) -> (usize, usize) {
    let (r, h) = (normalise_words(said), normalise_words(heard));
    (strsim::generic_levenshtein(&r, &h), r.len())
}

/// [`word_errors`] as a rate (0 for nothing said and nothing heard).
pub fn word_error_rate(said: &str, heard: &str) -> f64 {
    let (errors, words) = word_errors(said, heard);
    if words == 0 { if errors == 0 { 0.0 } else { 1.0 } } else { errors as f64 / words as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_error_rate_counts_edits_over_said_words() {
        assert_eq!(word_error_rate("A little dragon, afraid of the dark!", "a little dragon afraid of the dark"), 0.0);
        assert_eq!(
            word_errors("a little dragon was afraid of the dark", "a little dragon won a frayed on the dark"),
            (4, 8)
        );
        assert_eq!(normalise_words("Pip’s well-known nest"), vec!["pip's", "well", "known", "nest"]);
        assert_eq!(word_errors("Five, four, three, two, one, blast off!", "5, 4, 3, 2, 1 blast off."), (0, 7));
        assert_eq!(word_errors("That is twenty four hours.", "That is 24 hours."), (0, 5));
        assert_eq!(
            normalise_words("1969 and 100"),
            "one thousand nine hundred sixty nine and one hundred".split(' ').collect::<Vec<_>>()
        );
        assert_eq!(normalise_words("007"), vec!["007"]);
    }
}
