//! Word timings: when each word of a spoken line starts and ends.
//!
//! A synthesiser run as a subprocess does not report word events, so timings are estimated and
//! then fitted to the real audio: every word gets a weight (from its phonemes when the
//! synthesiser can spell them, else from its syllables), the weights share out the voiced part
//! of the audio (leading and trailing silence trimmed), and each boundary is then pulled to the
//! quietest nearby frame, where the real gap between two words usually is.

use serde::{Deserialize, Serialize};

/// One word of a spoken line, in seconds from the start of the line's audio.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WordTiming {
    pub word: String,
    pub start: f32,
    pub end: f32,
}

/// The words of a text as shown to the child: split on whitespace, outer punctuation removed,
/// empty pieces dropped. Kept apostrophes and inner hyphens ("it's", "well-known").
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '—' || c == '–')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Rough syllable count of an English word: groups of vowels, silent final `e` dropped,
/// digits counted as one syllable each (a fallback, not a dictionary).
pub fn syllables(word: &str) -> usize {
    let w: Vec<char> = word.to_lowercase().chars().collect();
    let digits = w.iter().filter(|c| c.is_ascii_digit()).count();
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut groups = 0;
    let mut prev = false;
    for &c in &w {
        let v = is_vowel(c);
        if v && !prev {
            groups += 1;
        }
        prev = v;
    }
    // "make", "time": the final e is silent; "the", "be" keep their only vowel.
    if groups > 1 && w.last() == Some(&'e') && !w.ends_with(&['l', 'e']) {
        groups -= 1;
    }
    (groups + digits).max(1)
}

/// Relative spoken length of a word from its phoneme mnemonics as printed by `espeak-ng -x`
/// (e.g. `dr'ag@n`): vowels weigh more than consonants, stressed and long vowels more still.
pub fn phoneme_weight(phonemes: &str) -> f32 {
    let chars: Vec<char> = phonemes.chars().collect();
    let mut weight: f32 = 0.0;
    let mut stressed = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\'' => stressed = true,
            ',' => stressed = false,
            ' ' | '_' | '#' | '2' | '%' | '=' | '!' => {}
            ':' => weight += 0.35,
            'a' | 'e' | 'i' | 'o' | 'u' | 'A' | 'E' | 'I' | 'O' | 'U' | 'V' | '0' | '3' | '@' => {
                let mut w = if c == '@' || c == '3' && !stressed { 0.55 } else { 1.0 };
                // Diphthongs are written as two vowel letters (aI, eI, oU, aU, OI, i@).
                if i + 1 < chars.len() && "IU@".contains(chars[i + 1]) && c != '@' {
                    w += 0.4;
                    i += 1;
                }
                if stressed {
                    w *= 1.35;
                    stressed = false;
                }
                weight += w;
            }
            'p' | 't' | 'k' | 'b' | 'd' | 'g' | 'D' => weight += 0.55,
            's' | 'z' | 'f' | 'v' | 'S' | 'Z' | 'T' | 'h' | 'x' => weight += 0.75,
            'm' | 'n' | 'N' | 'l' | 'r' | 'w' | 'j' | 'R' => weight += 0.5,
            _ => weight += 0.5,
        }
        i += 1;
    }
    weight.max(0.5)
}

/// Relative length of a word without phonemes: syllables plus a little for its letters.
pub fn syllable_weight(word: &str) -> f32 {
    let letters = word.chars().filter(|c| c.is_alphanumeric()).count() as f32;
    syllables(word) as f32 * 1.6 + letters * 0.25
}

/// Sample index range that holds sound: leading and trailing silence cut off, where silence is
/// any 10 ms frame whose RMS is below 5 % of the loudest frame's (and below an absolute floor).
pub fn voiced_range(samples: &[f32], sample_rate: u32) -> Option<(usize, usize)> {
    let frame = (sample_rate as usize / 100).max(1);
    let rms: Vec<f32> = samples.chunks(frame).map(rms).collect();
    let peak = rms.iter().copied().fold(0.0f32, f32::max);
    if peak < 1e-4 {
        return None;
    }
    let threshold = silence_threshold(peak);
    let first = rms.iter().position(|&r| r > threshold)?;
    let last = rms.iter().rposition(|&r| r > threshold)?;
    Some((first * frame, ((last + 1) * frame).min(samples.len())))
}

/// Frame RMS below which a 10 ms frame counts as silence: 5 % of the loudest frame's, and never
/// below an absolute floor.
fn silence_threshold(peak: f32) -> f32 {
    (peak * 0.05).max(3e-4)
}

/// Shortest silence taken for a pause between words: longer than the closure of a stop consonant
/// ("stretched his"), shorter than the pause at a comma.
pub const MIN_PAUSE_SECS: f32 = 0.08;

/// Moves word edges out of the pauses of `samples`, leaving them alone where speech runs on.
///
/// Durations from a duration predictor say where each phoneme's slot is, not where its sound is:
/// before a comma or a full stop the network gives the word's last phoneme the pause as well (a
/// final "z" of 34 frames, 425 ms, of which 80 ms is heard), so the word would end a third of a
/// second late; after a pause or at the start the first sound begins a little before its slot.
/// `core[i]` is the part of word `i` that is surely speech (the neural voice gives its first
/// phoneme's end for both ends: its sound can run ahead of its slots). Between two words the longest silence of at least [`MIN_PAUSE_SECS`] that lies
/// between the first word's core and the second's becomes the gap: the first word ends where it
/// starts and the second starts where it ends. Silence before the first word's core that reaches
/// the start of the audio, and after the last word's core that reaches its end, is trimmed the
/// same way. Times are seconds from the start of `samples`.
pub fn trim_pauses(words: &mut [WordTiming], core: &[(f32, f32)], samples: &[f32], sample_rate: u32) {
    if words.is_empty() || core.len() != words.len() || sample_rate == 0 {
        return;
    }
    let frame = (sample_rate as usize / 100).max(1);
    let energy: Vec<f32> = samples.chunks(frame).map(rms).collect();
    let n = energy.len();
    let peak = energy.iter().copied().fold(0.0f32, f32::max);
    if peak < 1e-4 {
        return;
    }
    let threshold = silence_threshold(peak);
    let silent: Vec<bool> = energy.iter().map(|&e| e < threshold).collect();
    let to_frame = |t: f32| ((t * 100.0).round().max(0.0) as usize).min(n);
    let min_run = (MIN_PAUSE_SECS * 100.0).round() as usize;
    // The longest run of silent frames in lo..hi, as (first, past the last).
    let longest = |lo: usize, hi: usize| -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        let mut f = lo;
        while f < hi {
            if !silent[f] {
                f += 1;
                continue;
            }
            let from = f;
            while f < hi && silent[f] {
                f += 1;
            }
            if best.is_none_or(|(a, b)| f - from > b - a) {
                best = Some((from, f));
            }
        }
        best
    };
    let secs = |f: usize| f as f32 / 100.0;
    // Leading silence: only a run that starts the audio.
    if let Some((0, b)) = longest(0, to_frame(core[0].0)) {
        words[0].start = secs(b).min(words[0].end);
    }
    for i in 0..words.len() - 1 {
        let (lo, hi) = (to_frame(core[i].1), to_frame(core[i + 1].0));
        if let Some((a, b)) = longest(lo, hi).filter(|(a, b)| b - a >= min_run) {
            words[i].end = secs(a).max(words[i].start);
            words[i + 1].start = secs(b).min(words[i + 1].end);
        }
    }
    let last = words.len() - 1;
    if let Some((a, b)) = longest(to_frame(core[last].1), n)
        && b == n
    {
        words[last].end = secs(a).max(words[last].start);
    }
}

fn rms(chunk: &[f32]) -> f32 {
    if chunk.is_empty() {
        return 0.0;
    }
    (chunk.iter().map(|s| s * s).sum::<f32>() / chunk.len() as f32).sqrt()
}

/// Shares the voiced part of `samples` among `words` in proportion to `weights`, then moves each
/// inner boundary to the quietest 10 ms frame within ±`snap_ms` (where the gap between words is).
/// Times are in seconds from the start of `samples`. Returns an empty list for no words.
pub fn fit_words(
    words: &[String],
    weights: &[f32],
    samples: &[f32],
    sample_rate: u32,
    snap_ms: f32,
) -> Vec<WordTiming> {
    if words.is_empty() || sample_rate == 0 {
        return Vec::new();
    }
    let sr = sample_rate as f32;
    let (start, end) = voiced_range(samples, sample_rate).unwrap_or((0, samples.len()));
    let (t0, t1) = (start as f32 / sr, end as f32 / sr);
    let total: f32 = weights.iter().take(words.len()).sum::<f32>().max(1e-6);
    let mut bounds = Vec::with_capacity(words.len() + 1);
    let mut acc = 0.0;
    bounds.push(t0);
    for w in weights.iter().take(words.len()) {
        acc += w;
        bounds.push(t0 + (t1 - t0) * acc / total);
    }
    while bounds.len() < words.len() + 1 {
        bounds.push(t1);
    }
    // Snap inner boundaries to energy dips, keeping them ordered.
    let frame = (sample_rate as usize / 100).max(1);
    let energy: Vec<f32> = samples.chunks(frame).map(rms).collect();
    let snap = (snap_ms / 10.0).round() as isize;
    for b in 1..words.len() {
        let centre = (bounds[b] * 100.0).round() as isize;
        let lo = ((bounds[b - 1] * 100.0).ceil() as isize + 1).max(centre - snap).max(0);
        let hi = ((bounds[b + 1] * 100.0).floor() as isize - 1).min(centre + snap).min(energy.len() as isize - 1);
        if lo > hi {
            continue;
        }
        let here = energy.get(centre.clamp(0, energy.len() as isize - 1) as usize).copied().unwrap_or(0.0);
        // Prefer frames near the estimate: an equally quiet frame further away only wins by a margin.
        let best = (lo..=hi).min_by(|&a, &b| {
            let cost = |f: isize| energy[f as usize] * (1.0 + 0.02 * (f - centre).abs() as f32);
            cost(a).total_cmp(&cost(b))
        });
        if let Some(f) = best
            && energy[f as usize] < here * 0.8
        {
            bounds[b] = (f as f32 + 0.5) / 100.0;
        }
    }
    words
        .iter()
        .enumerate()
        .map(|(i, w)| WordTiming { word: w.clone(), start: bounds[i], end: bounds[i + 1].max(bounds[i]) })
        .collect()
}

/// Timings for a line that is spoken live (no audio to fit): syllables at a speaking rate.
pub fn estimate_live(text: &str, words_per_minute: u16) -> Vec<WordTiming> {
    let ws = words(text);
    let weights: Vec<f32> = ws.iter().map(|w| syllable_weight(w)).collect();
    let mean = weights.iter().sum::<f32>() / weights.len().max(1) as f32;
    let secs_per_word = 60.0 / words_per_minute.max(40) as f32;
    let mut t = 0.0;
    ws.into_iter()
        .zip(weights)
        .map(|(word, w)| {
            let d = secs_per_word * w / mean.max(1e-6);
            let timing = WordTiming { word, start: t, end: t + d };
            t += d;
            timing
        })
        .collect()
}

/// Pairs two timings of the same words: indices `(ours, reference)`, in order, by normalised
/// text, looking a few words ahead so one misheard word does not derail the pairing; unpaired
/// words are left out.
pub fn pair_words(ours: &[WordTiming], reference: &[WordTiming]) -> Vec<(usize, usize)> {
    let norm = |w: &str| w.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let mut j = 0;
    let mut out = Vec::new();
    for (i, o) in ours.iter().enumerate() {
        let key = norm(&o.word);
        if let Some(k) = (j..reference.len().min(j + 4)).find(|&k| norm(&reference[k].word) == key) {
            out.push((i, k));
            j = k + 1;
        }
    }
    out
}

/// Absolute differences, in seconds, between the starts and ends of two timings of the same
/// words (two per word paired by [`pair_words`]).
pub fn boundary_errors(ours: &[WordTiming], reference: &[WordTiming]) -> Vec<f32> {
    pair_words(ours, reference)
        .into_iter()
        .flat_map(|(i, k)| [(ours[i].start - reference[k].start).abs(), (ours[i].end - reference[k].end).abs()])
        .collect()
}

/// Mean of [`boundary_errors`] in milliseconds; `None` when no word pairs up.
pub fn mean_abs_error_ms(ours: &[WordTiming], reference: &[WordTiming]) -> Option<f32> {
    let e = boundary_errors(ours, reference);
    (!e.is_empty()).then(|| e.iter().sum::<f32>() / e.len() as f32 * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_strip_punctuation() {
        assert_eq!(words("Hello, little dragon — it's night!"), vec!["Hello", "little", "dragon", "it's", "night"]);
        assert!(words(" ... ").is_empty());
    }

    #[test]
    fn syllables_of_common_words() {
        assert_eq!(syllables("dragon"), 2);
        assert_eq!(syllables("make"), 1);
        assert_eq!(syllables("the"), 1);
        assert_eq!(syllables("butterfly"), 3);
        assert_eq!(syllables("little"), 2);
    }

    #[test]
    fn stressed_long_words_weigh_more() {
        assert!(phoneme_weight("m'aUntIn") > phoneme_weight("D@"));
        assert!(phoneme_weight("tr'i:") > phoneme_weight("tI"));
    }

    #[test]
    fn fit_trims_silence_and_snaps_to_gaps() {
        // 0.2 s silence, 0.3 s tone, 0.1 s silence, 0.3 s tone, 0.2 s silence at 16 kHz.
        let sr = 16_000;
        let mut s = vec![0.0; 3200];
        s.extend((0..4800).map(|i| (i as f32 * 0.2).sin() * 0.5));
        s.extend(vec![0.0; 1600]);
        s.extend((0..4800).map(|i| (i as f32 * 0.3).sin() * 0.5));
        s.extend(vec![0.0; 3200]);
        let words = vec!["one".to_string(), "two".to_string()];
        // Deliberately wrong weights: the snap must find the gap anyway.
        let t = fit_words(&words, &[1.0, 1.6], &s, sr, 120.0);
        assert!((t[0].start - 0.2).abs() < 0.02, "{t:?}");
        assert!((t[1].end - 0.9).abs() < 0.02, "{t:?}");
        assert!(t[0].end > 0.49 && t[0].end < 0.61, "{t:?}");
    }

    /// A word whose slot runs on into the pause after it ends where its sound ends, and the next
    /// word starts where the pause ends; a short closure inside speech moves nothing.
    #[test]
    fn pauses_are_cut_out_of_word_slots() {
        let sr = 16_000;
        let tone =
            |secs: f32| (0..(secs * sr as f32) as usize).map(|i| (i as f32 * 0.2).sin() * 0.5).collect::<Vec<_>>();
        let quiet = |secs: f32| vec![0.0f32; (secs * sr as f32) as usize];
        // "one" 0.1–0.4 s, a 0.3 s pause, "two" 0.7–1.0 s, a 40 ms closure, "three" 1.04–1.3 s.
        let s: Vec<f32> = [quiet(0.1), tone(0.3), quiet(0.3), tone(0.3), quiet(0.04), tone(0.26), quiet(0.2)].concat();
        let w = |word: &str, start: f32, end: f32| WordTiming { word: word.into(), start, end };
        // The slots: "one" runs on to 0.62 s, "two" starts 50 ms late, "three" ends in the silence.
        let mut words = vec![w("one", 0.15, 0.62), w("two", 0.75, 1.02), w("three", 1.02, 1.45)];
        let core = [(0.2, 0.35), (0.8, 0.95), (1.1, 1.25)];
        trim_pauses(&mut words, &core, &s, sr);
        let close = |a: f32, b: f32| (a - b).abs() <= 0.011;
        assert!(close(words[0].start, 0.1) && close(words[0].end, 0.4), "{words:?}");
        assert!(close(words[1].start, 0.7), "{words:?}");
        assert!(close(words[1].end, 1.02) && close(words[2].start, 1.02), "the closure is no pause: {words:?}");
        assert!(close(words[2].end, 1.3), "{words:?}");
    }

    #[test]
    fn error_pairs_words_by_text() {
        let a = vec![WordTiming { word: "Hello".into(), start: 0.0, end: 0.5 }];
        let b = vec![WordTiming { word: "hello".into(), start: 0.1, end: 0.4 }];
        assert!((mean_abs_error_ms(&a, &b).unwrap() - 100.0).abs() < 1e-3);
        assert!(mean_abs_error_ms(&a, &[]).is_none());
    }
}
