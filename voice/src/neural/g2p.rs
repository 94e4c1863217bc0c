//! Text → phoneme ids for the network, cut into chunks that can be synthesised one by one, with
//! each shown word's place among the ids (for word timings).
//!
//! Spelling to sound is `misaki-rs`, a port of misaki 0.9.4 (the G2P Kokoro was trained with:
//! spaCy-style tokenizer, tagger, US lexicons, numbers, abbreviations), checked byte for byte
//! against it; its lexicons are compiled in. Words the lexicon lacks ("Zorblax") go to hibari's
//! out-of-vocabulary net (`oov.onnx`, a 0.7 M parameter character transformer trained on espeak-ng's
//! readings, output in the model's own phoneme set), so no IPA mapping is needed. What neither can
//! read (emoji, scripts the net never saw) is skipped with a notice, never spoken as garbage.

use misaki_rs::fallback::FallbackError;
use misaki_rs::{G2P, Language};
use ort::session::Session;
use ort::value::Tensor;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use super::model::{ModelError, PAD, session_from_bytes};

/// Longest chunk, in phonemes, the network is given at once (hibari's limit; the network was
/// trained on sentences, and very long inputs lose their intonation).
pub const MAX_PHONEMES: usize = 400;
/// Past this many phonemes a chunk is also cut at a comma, not only at a sentence's end.
const CLAUSE_CUT: usize = 200;

#[derive(Debug, thiserror::Error)]
pub enum G2pError {
    #[error("cannot read {}: {reason}", .path.display())]
    Table { path: std::path::PathBuf, reason: String },
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// A word as shown in the subtitles, with the ids that speak it.
#[derive(Clone, Debug, PartialEq)]
pub struct ChunkWord {
    pub text: String,
    /// Index range into [`Chunk::ids`] (pads counted); empty when the word was skipped.
    pub ids: std::ops::Range<usize>,
}

/// What the network speaks in one run.
#[derive(Clone, Debug, PartialEq)]
pub struct Chunk {
    /// The text these phonemes came from.
    pub text: String,
    pub phonemes: String,
    /// Phoneme ids with a [`PAD`] at each end.
    pub ids: Vec<i64>,
    pub words: Vec<ChunkWord>,
}

pub struct Phonemizer {
    g2p: G2P,
    vocab: HashMap<char, i64>,
}

impl Phonemizer {
    /// Loads misaki's tables (compiled in; about a quarter of a second) and the OOV net.
    pub fn load(vocab: &Path, oov_model: &Path, oov_meta: &Path) -> Result<Phonemizer, G2pError> {
        let vocab = read_vocab(vocab)?;
        let oov = OovNet::load(oov_model, oov_meta)?;
        let mut g2p = G2P::with_fallback(Language::EnglishUS, Some(Box::new(oov)));
        // Unresolved words are skipped (and reported), not given a marker the model cannot read.
        g2p.unk = String::new();
        Ok(Phonemizer { g2p, vocab })
    }

    /// The chunks of `text`, in order: the first clause alone (so it can play while the rest is
    /// made), then whole sentences, cut at commas only when long and at word boundaries only when
    /// a clause has more than [`MAX_PHONEMES`].
    pub fn chunks(&self, text: &str) -> Vec<Chunk> {
        let prepared = prepare(text);
        if prepared.trim().is_empty() {
            return Vec::new();
        }
        let tokens = match self.g2p.g2p(&prepared) {
            Ok((_, tokens)) => tokens,
            Err(e) => {
                tracing::warn!("narrator: cannot phonemize {prepared:?}: {e}");
                return Vec::new();
            }
        };
        let shown = crate::timing::words(&prepared);
        let mut builder = ChunkBuilder::new(shown);
        let mut skipped = Vec::new();
        let mut cursor = 0;
        for tok in &tokens {
            // Which shown word the token belongs to: the one holding its text, found in order.
            let found = prepared[cursor..].find(tok.text.as_str()).map(|at| cursor + at);
            let at = found.unwrap_or(cursor);
            if found.is_some() {
                cursor = at + tok.text.len();
            }
            let phonemes = tok.phonemes.as_deref().unwrap_or("");
            let ids: Vec<i64> = phonemes.chars().filter_map(|c| self.vocab.get(&c).copied()).collect();
            let is_word = tok.text.chars().any(char::is_alphanumeric);
            if ids.is_empty() && (is_word || !tok.text.chars().all(|c| c.is_ascii_punctuation() || c.is_whitespace())) {
                skipped.push(tok.text.clone());
            }
            builder.push(&prepared, at, &tok.text, phonemes, &ids, !tok.whitespace.is_empty(), is_word);
            let punct = tok.text.trim();
            let sentence_end = matches!(punct, "." | "!" | "?" | "…") || punct.ends_with(['.', '!', '?']) && !is_word;
            let clause_end = matches!(punct, "," | ";" | ":" | "—" | "–");
            if sentence_end || (clause_end && (builder.chunks.is_empty() || builder.len() >= CLAUSE_CUT)) {
                builder.cut();
            }
        }
        builder.cut();
        if !skipped.is_empty() {
            tracing::info!("narrator: cannot read {skipped:?}; skipped");
        }
        builder.chunks
    }
}

/// Gathers tokens into chunks; assigns ids to the shown words.
struct ChunkBuilder {
    shown: Vec<String>,
    /// Byte offsets of the shown words in the prepared text, found in order.
    chunks: Vec<Chunk>,
    text: String,
    phonemes: String,
    ids: Vec<i64>,
    words: Vec<ChunkWord>,
    next_shown: usize,
    shown_end: usize,
}

impl ChunkBuilder {
    fn new(shown: Vec<String>) -> Self {
        ChunkBuilder {
            shown,
            chunks: Vec::new(),
            text: String::new(),
            phonemes: String::new(),
            ids: vec![PAD],
            words: Vec::new(),
            next_shown: 0,
            shown_end: 0,
        }
    }

    fn len(&self) -> usize {
        self.ids.len() - 1
    }

    #[allow(clippy::too_many_arguments)]
    fn push(&mut self, prepared: &str, at: usize, text: &str, phonemes: &str, ids: &[i64], space: bool, is_word: bool) {
        if self.len() + ids.len() + 1 > MAX_PHONEMES && is_word {
            self.cut();
        }
        let start = self.ids.len();
        self.ids.extend_from_slice(ids);
        self.phonemes.push_str(phonemes);
        self.text.push_str(text);
        if space {
            self.text.push(' ');
            if !self.phonemes.is_empty() && !self.phonemes.ends_with(' ') {
                self.phonemes.push(' ');
                self.ids.push(SPACE_ID);
            }
        }
        let end = start + ids.len();
        if !is_word {
            return;
        }
        // A token starting inside the current shown word (its "'s", say) extends that word.
        if at < self.shown_end
            && let Some(w) = self.words.last_mut()
        {
            if w.ids.is_empty() {
                w.ids = start..end;
            } else {
                w.ids.end = end.max(w.ids.end);
            }
            return;
        }
        let Some(word) = self.shown.get(self.next_shown).cloned() else { return };
        self.next_shown += 1;
        // The shown word's extent in the prepared text, so later tokens inside it join it.
        self.shown_end = prepared[at..].find(char::is_whitespace).map_or(prepared.len(), |e| at + e);
        self.words.push(ChunkWord { text: word, ids: start..end });
    }

    fn cut(&mut self) {
        if self.ids.len() <= 1 {
            // Only punctuation or skipped words so far: keep their words for the next chunk.
            return;
        }
        // Punctuation alone ("... — !?") is no speech: the network would only breathe.
        if !self.ids.iter().any(|&id| id > SPACE_ID) {
            self.text.clear();
            self.phonemes.clear();
            self.ids.truncate(1);
            self.words.clear();
            return;
        }
        while self.ids.last() == Some(&SPACE_ID) {
            self.ids.pop();
            self.phonemes.pop();
        }
        self.ids.push(PAD);
        self.chunks.push(Chunk {
            text: std::mem::take(&mut self.text).trim().to_string(),
            phonemes: std::mem::take(&mut self.phonemes).trim().to_string(),
            ids: std::mem::replace(&mut self.ids, vec![PAD]),
            words: std::mem::take(&mut self.words),
        });
    }
}

/// The vocabulary's id for a space between words; the ids below it are punctuation, those above
/// it sounds.
const SPACE_ID: i64 = 16;

fn read_vocab(path: &Path) -> Result<HashMap<char, i64>, G2pError> {
    let err = |reason: String| G2pError::Table { path: path.to_path_buf(), reason };
    let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
    let map: HashMap<String, i64> = serde_json::from_str(&text).map_err(|e| err(e.to_string()))?;
    let mut vocab = HashMap::new();
    for (k, v) in map {
        let mut chars = k.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => {
                vocab.insert(c, v);
            }
            _ => return Err(err(format!("entry {k:?} is not one character"))),
        }
    }
    if vocab.get(&' ') != Some(&SPACE_ID) {
        return Err(err(format!("the space has id {:?}, expected {SPACE_ID}", vocab.get(&' '))));
    }
    Ok(vocab)
}

/// Rewrites what misaki would read wrongly or not at all: clock times ("3:30" → "3 30",
/// "7:00" → "7 o'clock"), line breaks and runs of spaces.
pub fn prepare(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            // A clock time: 1–2 digits, ':', exactly 2 digits, then no digit.
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            let is_time = j - i <= 2
                && chars.get(j) == Some(&':')
                && chars.get(j + 1).is_some_and(char::is_ascii_digit)
                && chars.get(j + 2).is_some_and(char::is_ascii_digit)
                && !chars.get(j + 3).is_some_and(char::is_ascii_digit)
                && (i == 0 || !(chars[i - 1].is_ascii_digit() || chars[i - 1] == ':'));
            if is_time {
                out.extend(&chars[i..j]);
                let (m1, m2) = (chars[j + 1], chars[j + 2]);
                match (m1, m2) {
                    ('0', '0') => out.push_str(" o'clock"),
                    ('0', d) => {
                        out.push_str(" oh ");
                        out.push(d);
                    }
                    _ => {
                        out.push(' ');
                        out.push(m1);
                        out.push(m2);
                    }
                }
                i = j + 3;
                continue;
            }
            out.extend(&chars[i..j]);
            i = j;
            continue;
        }
        if c.is_whitespace() {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
        i += 1;
    }
    out.trim_end().to_string()
}

/// hibari's out-of-vocabulary net: characters in, phonemes out (CTC: repeats collapsed, blanks
/// dropped). One call per unknown word, a millisecond or so.
pub struct OovNet {
    session: Mutex<Session>,
    chars: HashMap<char, i64>,
    phonemes: Vec<String>,
    max_len: usize,
}

#[derive(serde::Deserialize)]
struct OovMeta {
    #[serde(rename = "in")]
    chars: Vec<String>,
    #[serde(rename = "out")]
    phonemes: Vec<String>,
    #[serde(rename = "maxlen")]
    max_len: usize,
}

impl OovNet {
    pub fn load(model: &Path, meta: &Path) -> Result<OovNet, G2pError> {
        let err = |reason: String| G2pError::Table { path: meta.to_path_buf(), reason };
        let text = std::fs::read_to_string(meta).map_err(|e| err(e.to_string()))?;
        let m: OovMeta = serde_json::from_str(&text).map_err(|e| err(e.to_string()))?;
        // Id 0 is the CTC blank on both sides.
        let chars = m.chars.iter().enumerate().filter_map(|(i, c)| Some((c.chars().next()?, i as i64 + 1))).collect();
        let bytes = std::fs::read(model).map_err(|source| ModelError::Read { path: model.to_path_buf(), source })?;
        let session = session_from_bytes(&bytes, model)?;
        Ok(OovNet { session: Mutex::new(session), chars, phonemes: m.phonemes, max_len: m.max_len.max(1) })
    }

    /// Phonemes for one word; empty when the net knows none of its letters.
    pub fn read(&self, word: &str) -> Result<String, ModelError> {
        let ids: Vec<i64> = word.chars().filter_map(|c| self.chars.get(&c).copied()).collect();
        let mut out = String::new();
        // The net reads at most max_len letters: longer words are read in pieces.
        for piece in ids.chunks(self.max_len) {
            let mut session = self.session.lock().unwrap_or_else(|p| p.into_inner());
            let outputs = session
                .run(ort::inputs! { "chars" => Tensor::from_array(([1usize, piece.len()], piece.to_vec()))? })?;
            let (_, seq) = outputs["ids"].try_extract_tensor::<i64>()?;
            let mut prev = 0;
            for &id in seq {
                if id != prev
                    && id > 0
                    && let Some(p) = self.phonemes.get(id as usize - 1)
                {
                    out.push_str(p);
                }
                prev = id;
            }
        }
        Ok(out)
    }
}

impl misaki_rs::Fallback for OovNet {
    fn phonemize(&self, word: &str) -> Result<String, FallbackError> {
        // misaki gives up on the whole line when a fallback errs; one unreadable word must not
        // silence a line, so failures become an empty reading (reported as skipped).
        match self.read(word) {
            Ok(p) => {
                tracing::debug!(word, phonemes = %p, "read by the OOV net");
                Ok(p)
            }
            Err(e) => {
                tracing::warn!("narrator: the OOV net failed on {word:?}: {e}");
                Ok(String::new())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_are_spelled_for_reading() {
        assert_eq!(prepare("At 3:30 pm, 7:00 and 9:05."), "At 3 30 pm, 7 o'clock and 9 oh 5.");
        assert_eq!(prepare("2024:12:30 and 123:45"), "2024:12:30 and 123:45");
        assert_eq!(prepare("one\n\n  two\tthree  "), "one two three");
    }
}
