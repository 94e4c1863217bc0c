//! The text as the filter's word lists and its judgement of acts read it: lowercase, curly
//! apostrophes made straight, invisible characters dropped, l33t-speak in words read as letters
//! ("k1ll"), and letters spelled out one by one joined up ("k i c k the p u p p y", "k.i.c.k").
//! Every byte of the result remembers which characters of the original it came from, so a
//! finding's span is always in the text as given.

use std::ops::Range;

pub struct Normalized {
    pub text: String,
    /// For each byte of `text`, the byte range of the original character it came from.
    origin: Vec<Range<usize>>,
    original_len: usize,
}

/// Digits and signs read as letters inside a word.
fn leet(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' | '!' | '|' => 'i',
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' | '+' => 't',
        _ => return None,
    })
}

/// Characters that separate letters spelled out one by one.
fn spacer(c: char) -> bool {
    matches!(c, ' ' | '.' | '-' | '_' | '*' | '~' | '/')
}

impl Normalized {
    pub fn new(original: &str) -> Normalized {
        // 1. Characters, lowercased, each with its origin.
        let mut chars: Vec<(char, Range<usize>)> = Vec::with_capacity(original.len());
        for (at, c) in original.char_indices() {
            let from = at..at + c.len_utf8();
            match c {
                // Zero-width and soft-hyphen characters hide words from a plain match.
                '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {}
                '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' | '\u{00B4}' => chars.push(('\'', from)),
                c if c.is_whitespace() => chars.push((' ', from)),
                c => chars.extend(c.to_lowercase().map(|l| (l, from.clone()))),
            }
        }
        // 2. L33t-speak: inside a word with at least two letters, a digit or sign next to a
        // letter is read as the letter it stands for. "$" and "!" only before a letter, so that
        // "kill!" and "$5" keep their meaning.
        let mut start = 0;
        while start < chars.len() {
            let end = chars[start..].iter().position(|(c, _)| *c == ' ').map_or(chars.len(), |p| start + p);
            let letters = chars[start..end].iter().filter(|(c, _)| c.is_alphabetic()).count();
            if letters >= 2 {
                for i in start..end {
                    let c = chars[i].0;
                    let Some(l) = leet(c) else { continue };
                    let before = i > start && chars[i - 1].0.is_alphabetic();
                    let after = i + 1 < end && chars[i + 1].0.is_alphabetic();
                    let ok = match c {
                        '$' | '!' | '@' | '+' | '|' => after && (before || i == start),
                        _ => before || after,
                    };
                    if ok {
                        chars[i].0 = l;
                    }
                }
            }
            start = end + 1;
        }
        // 3. Letters spelled out: three or more single letters, each separated from the next by
        // one spacer, are one word.
        let single = |i: usize, chars: &[(char, Range<usize>)]| {
            chars[i].0.is_alphabetic()
                && (i == 0 || !chars[i - 1].0.is_alphanumeric())
                && (i + 1 == chars.len() || !chars[i + 1].0.is_alphanumeric())
        };
        let mut keep = vec![true; chars.len()];
        let mut i = 0;
        while i < chars.len() {
            if !single(i, &chars) {
                i += 1;
                continue;
            }
            let mut run = vec![i];
            let mut j = i;
            while j + 2 < chars.len() && spacer(chars[j + 1].0) && single(j + 2, &chars) {
                j += 2;
                run.push(j);
            }
            if run.len() >= 3 {
                for w in run.windows(2) {
                    keep[w[0] + 1] = false;
                }
            }
            i = j + 1;
        }
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        for ((c, from), k) in chars.into_iter().zip(keep) {
            if !k {
                // The joined word's span still covers the spacer it swallowed.
                if let Some(last) = origin.last_mut() {
                    let last: &mut Range<usize> = last;
                    last.end = from.end;
                }
                continue;
            }
            let before = text.len();
            text.push(c);
            origin.extend(std::iter::repeat_n(from, text.len() - before));
        }
        // A character that swallowed a spacer extended only its last byte: give every byte of
        // it the same range.
        let mut i = 0;
        while i < origin.len() {
            let mut j = i + 1;
            while j < origin.len() && origin[j].start == origin[i].start {
                j += 1;
            }
            let end = origin[j - 1].end;
            for r in &mut origin[i..j] {
                r.end = end;
            }
            i = j;
        }
        Normalized { text, origin, original_len: original.len() }
    }

    /// The original byte range a range of the normalized text came from.
    pub fn to_original(&self, r: Range<usize>) -> Range<usize> {
        if self.origin.is_empty() {
            return 0..0;
        }
        let start = self.origin.get(r.start).map_or(self.original_len, |o| o.start);
        let end = if r.end > r.start { self.origin.get(r.end - 1).map_or(self.original_len, |o| o.end) } else { start };
        start..end.max(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        Normalized::new(s).text
    }

    #[test]
    fn leetspeak_and_spelled_out_letters_become_words() {
        assert_eq!(norm("K1ll the c@t"), "kill the cat");
        assert_eq!(norm("k i c k the p u p p y"), "kick the puppy");
        assert_eq!(norm("f.u.c.k"), "fuck");
        assert_eq!(norm("I am a cat, 5 of them!"), "i am a cat, 5 of them!");
        assert_eq!(norm("kill! $5"), "kill! $5");
        assert_eq!(norm("It\u{2019}s"), "it's");
    }

    #[test]
    fn spans_map_back_to_the_original() {
        let text = "Now k i c k the P\u{200B}UPPY!";
        let n = Normalized::new(text);
        let at = n.text.find("kick the puppy").unwrap();
        let r = n.to_original(at..at + "kick the puppy".len());
        assert_eq!(&text[r], "k i c k the P\u{200B}UPPY");
        let e = Normalized::new("ÉCOLE kill");
        let at = e.text.find("kill").unwrap();
        assert_eq!(&"ÉCOLE kill"[e.to_original(at..at + 4)], "kill");
    }
}
