//! Offsets in bytes or in chars: the unit ([`Offsets`]) and the one
//! converter between the two ([`OffsetMap`]), for callers that index text
//! by character (Python, JavaScript).
//!
//! Every stage of warta gives byte offsets into the UTF-8 text, which is
//! what `&text[start..end]` takes. [`Article::with_offsets`] and
//! [`Document::with_offsets`] express all the offsets of a classified
//! article or a cleaned document in chars; anything else that carries
//! byte offsets (tokens, spans of your own) converts through an
//! [`OffsetMap`] built once for its text.

use serde::{Deserialize, Serialize};

use crate::classify::Article;
use crate::clean::{Dateline, Document, SignOff};

/// The unit of offsets. Serialized as `"bytes"` or `"chars"` in an
/// article's `offsets` field, so that output says which unit it uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Offsets {
    /// Bytes into the UTF-8 text: what [`crate::Classifier::classify`]
    /// gives, and what `&text[start..end]` takes.
    #[default]
    Bytes,
    /// Unicode code points (Rust `char`s, Python `str` indices).
    Chars,
}

/// Bytes per block of [`OffsetMap`]'s table: a conversion counts at most
/// this many bytes.
const BLOCK: usize = 64;

/// Converts offsets into one text between bytes and chars.
///
/// Built once per text, in one pass over it; then every byte offset
/// converts to its char offset in constant time (a table lookup and a
/// count over fewer than 64 bytes), in any order, so converting all the
/// offsets of a text takes time linear in the text and the number of
/// offsets. A char offset converts back to bytes in time logarithmic in
/// the text's length. The table takes one `usize` per 64 bytes of text;
/// for ASCII text, where the units agree, there is none.
///
/// A byte offset inside a char counts as the char's end (it counts the
/// chars that start before it) and offsets past the end of the text count
/// as its end, so a conversion always gives an offset on a char boundary.
///
/// ```
/// use warta::OffsetMap;
/// use warta::token::tokenize;
///
/// let text = "“Netral” itu wajib, kata Bawaslu.";
/// let map = OffsetMap::new(text);
/// let chars: Vec<char> = text.chars().collect();
/// for token in tokenize(text) {
///     let (start, end) = (map.char_offset(token.start), map.char_offset(token.end));
///     assert_eq!(chars[start..end].iter().collect::<String>(), token.text);
///     assert_eq!(map.byte_offset(start), token.start);
/// }
/// // The curly quotes take three bytes each, but one char.
/// assert_eq!(map.char_offset(text.find("itu").unwrap()), 9);
/// ```
#[derive(Debug, Clone)]
pub struct OffsetMap<'t> {
    text: &'t str,
    /// Entry `i`: the chars that start before byte `i * BLOCK`, for every
    /// `i * BLOCK <= text.len()`; empty for ASCII text.
    blocks: Vec<usize>,
}

impl<'t> OffsetMap<'t> {
    /// The map of `text`: one pass over it.
    pub fn new(text: &'t str) -> Self {
        if text.is_ascii() {
            return OffsetMap {
                text,
                blocks: Vec::new(),
            };
        }
        let bytes = text.as_bytes();
        let mut blocks = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut before = 0;
        for block in bytes.chunks(BLOCK) {
            blocks.push(before);
            before += char_starts(block);
        }
        if bytes.len() % BLOCK == 0 {
            blocks.push(before);
        }
        OffsetMap { text, blocks }
    }

    /// The text the offsets point into.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// The char offset of byte offset `byte`: `text[..byte].chars().count()`.
    pub fn char_offset(&self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        if self.blocks.is_empty() {
            return byte;
        }
        let block = byte / BLOCK;
        self.blocks[block] + char_starts(&self.text.as_bytes()[block * BLOCK..byte])
    }

    /// The byte offset of char offset `char`: where the text's `char`-th
    /// char starts, or the text's length for `char` at or past its end.
    pub fn byte_offset(&self, char: usize) -> usize {
        if self.blocks.is_empty() {
            return char.min(self.text.len());
        }
        // The last block with at most `char` chars before it (the first
        // has none); the char starts in it, unless it is past the end.
        let block = self.blocks.partition_point(|&before| before <= char) - 1;
        let start = block * BLOCK;
        let mut left = char - self.blocks[block];
        for (i, &b) in self.text.as_bytes()[start..].iter().enumerate() {
            if is_char_start(b) {
                if left == 0 {
                    return start + i;
                }
                left -= 1;
            }
        }
        self.text.len()
    }

    /// `offset`, in unit `from`, in unit `to`.
    pub fn convert(&self, offset: usize, from: Offsets, to: Offsets) -> usize {
        match (from, to) {
            (Offsets::Bytes, Offsets::Chars) => self.char_offset(offset),
            (Offsets::Chars, Offsets::Bytes) => self.byte_offset(offset),
            _ => offset,
        }
    }
}

/// Whether `b` starts a char in UTF-8 (it is not a continuation byte).
fn is_char_start(b: u8) -> bool {
    (b as i8) >= -0x40
}

/// How many chars start in `bytes`.
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| is_char_start(b)).count()
}

/// What carries offsets into a text in some unit, for [`convert_all`].
trait Located<'t> {
    /// The text the offsets point into (empty when read back without it).
    fn source(&self) -> &'t str;
    /// The unit of the offsets.
    fn unit(&mut self) -> &mut Offsets;
    /// Calls `f` on every offset.
    fn each_offset(&mut self, f: impl FnMut(&mut usize));
}

/// `item` with every offset in `unit`; as it is when it has an offset past
/// the end of its text (it was read back without the text).
fn convert_all<'t, T: Located<'t>>(mut item: T, unit: Offsets) -> T {
    let from = *item.unit();
    let text = item.source();
    let mut inside = true;
    item.each_offset(|offset| inside &= *offset <= text.len());
    if from == unit || !inside {
        return item;
    }
    let map = OffsetMap::new(text);
    item.each_offset(|offset| *offset = map.convert(*offset, from, unit));
    *item.unit() = unit;
    item
}

/// Calls `f` on the offsets of a dateline and a sign-off, as articles and
/// documents both carry them.
fn dateline_and_sign_off(
    dateline: &mut Option<Dateline>,
    sign_off: &mut Option<SignOff>,
    mut f: impl FnMut(&mut usize),
) {
    if let Some(d) = dateline {
        f(&mut d.start);
        f(&mut d.end);
    }
    if let Some(s) = sign_off {
        f(&mut s.start);
        f(&mut s.end);
    }
}

impl<'a> Article<'a> {
    /// The article with every offset (paragraphs, evidence spans,
    /// dateline, sign-off) in `unit`. Converting needs the original text,
    /// so an article read back with `Deserialize` (which has none) is
    /// returned as it is.
    ///
    /// ```
    /// use warta::{Classifier, Offsets};
    ///
    /// let text = "“Pemilu” 2024\n\nJelang pilkada, ASN diminta menjaga netralitas.";
    /// let article = Classifier::default().classify(text);
    /// let bytes = article.paragraphs[1].start;
    /// let chars = article.with_offsets(Offsets::Chars);
    /// assert_eq!(chars.offsets, Offsets::Chars);
    /// // The curly quotes take three bytes each, but one char.
    /// assert_eq!(chars.paragraphs[1].start, bytes - 4);
    /// assert_eq!(chars.paragraphs[1].start, text[..bytes].chars().count());
    /// ```
    pub fn with_offsets(self, unit: Offsets) -> Article<'a> {
        convert_all(self, unit)
    }
}

impl<'a> Located<'a> for Article<'a> {
    fn source(&self) -> &'a str {
        self.text()
    }

    fn unit(&mut self) -> &mut Offsets {
        &mut self.offsets
    }

    fn each_offset(&mut self, mut f: impl FnMut(&mut usize)) {
        for p in &mut self.paragraphs {
            f(&mut p.start);
            f(&mut p.end);
            for span in p.evidence.iter_mut().flat_map(|e| e.spans.iter_mut()) {
                f(&mut span.start);
                f(&mut span.end);
            }
        }
        dateline_and_sign_off(&mut self.dateline, &mut self.sign_off, f);
    }
}

impl<'a> Document<'a> {
    /// The unit of every offset in the document: bytes (as cleaned) or
    /// chars (see [`Document::with_offsets`]).
    pub fn offsets(&self) -> Offsets {
        self.offsets
    }

    /// The document with every offset (paragraphs and their cuts,
    /// dateline, sign-off) in `unit`, as [`Article::with_offsets`] does
    /// for an article. The unit is not serialized (the serialization stays
    /// what it was): a document read back with `Deserialize`, which has no
    /// text, counts bytes and is returned as it is.
    ///
    /// ```
    /// use warta::Offsets;
    /// use warta::clean::clean;
    ///
    /// let text = "JAKARTA – Warga “berkumpul” di balai desa.\nBACA JUGA: Judul Lain";
    /// let doc = clean(text).with_offsets(Offsets::Chars);
    /// assert_eq!(doc.offsets(), Offsets::Chars);
    /// let chars: Vec<char> = text.chars().collect();
    /// let read_also = &doc.paragraphs[1];
    /// let line: String = chars[read_also.start..read_also.end].iter().collect();
    /// assert_eq!(line, "BACA JUGA: Judul Lain");
    /// // The clean text is the same in either unit.
    /// assert_eq!(doc.clean_text(), "Warga “berkumpul” di balai desa.");
    /// ```
    pub fn with_offsets(self, unit: Offsets) -> Document<'a> {
        convert_all(self, unit)
    }
}

impl<'a> Located<'a> for Document<'a> {
    fn source(&self) -> &'a str {
        self.text()
    }

    fn unit(&mut self) -> &mut Offsets {
        &mut self.offsets
    }

    fn each_offset(&mut self, mut f: impl FnMut(&mut usize)) {
        for p in &mut self.paragraphs {
            f(&mut p.start);
            f(&mut p.end);
            for cut in &mut p.cuts {
                f(&mut cut.start);
                f(&mut cut.end);
            }
        }
        dateline_and_sign_off(&mut self.dateline, &mut self.sign_off, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_convert_both_ways_on_non_ascii_text() {
        let text = "é “a” 😀b";
        // (byte offset, char offset) of every boundary.
        let pairs = [
            (0, 0),
            (2, 1),
            (3, 2),
            (6, 3),
            (7, 4),
            (10, 5),
            (11, 6),
            (15, 7),
            (16, 8),
        ];
        let map = OffsetMap::new(text);
        for (bytes, chars) in pairs {
            assert_eq!(map.char_offset(bytes), chars);
            assert_eq!(map.byte_offset(chars), bytes);
            assert_eq!(map.convert(bytes, Offsets::Bytes, Offsets::Chars), chars);
            assert_eq!(map.convert(chars, Offsets::Chars, Offsets::Bytes), bytes);
        }
        // Inside a char: its end. Past the end: the end.
        assert_eq!(map.char_offset(1), 1);
        assert_eq!(map.char_offset(12), 7);
        assert_eq!(map.char_offset(99), 8);
        assert_eq!(map.byte_offset(99), 16);
    }

    #[test]
    fn an_empty_article_names_the_unit_asked_for() {
        let article = crate::Classifier::default().classify("");
        assert_eq!(article.offsets, Offsets::Bytes);
        assert_eq!(article.with_offsets(Offsets::Chars).offsets, Offsets::Chars);
    }
}
