//! Offsets in bytes or in chars: the one way to express every offset of an
//! [`Article`] in Unicode code points, for callers that index text by
//! character (Python, JavaScript).

use serde::{Deserialize, Serialize};

use super::Article;

/// The unit of an article's offsets. Serialized as `"bytes"` or
/// `"chars"` in the article's `offsets` field, so that output says which
/// unit it uses.
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
    pub fn with_offsets(mut self, unit: Offsets) -> Article<'a> {
        if unit == self.offsets {
            return self;
        }
        let mut points = Vec::new();
        self.each_offset(|offset| points.push(*offset));
        points.sort_unstable();
        points.dedup();
        let converted = convert(self.text, &points, self.offsets);
        self.each_offset(|offset| {
            if let Ok(i) = points.binary_search(offset) {
                *offset = converted[i];
            }
        });
        self.offsets = unit;
        self
    }

    /// Calls `f` on every offset of the article.
    fn each_offset(&mut self, mut f: impl FnMut(&mut usize)) {
        for p in &mut self.paragraphs {
            f(&mut p.start);
            f(&mut p.end);
            for span in p.evidence.iter_mut().flat_map(|e| e.spans.iter_mut()) {
                f(&mut span.start);
                f(&mut span.end);
            }
        }
        if let Some(d) = &mut self.dateline {
            f(&mut d.start);
            f(&mut d.end);
        }
        if let Some(s) = &mut self.sign_off {
            f(&mut s.start);
            f(&mut s.end);
        }
    }
}

/// The sorted offsets `points` of `text`, in unit `from`, converted into
/// the other unit, in one pass over the text.
fn convert(text: &str, points: &[usize], from: Offsets) -> Vec<usize> {
    let mut out = Vec::with_capacity(points.len());
    let mut next = points.iter().copied().peekable();
    // (byte, char) of every char start, then of the end.
    let positions = text
        .char_indices()
        .map(|(byte, _)| byte)
        .chain(std::iter::once(text.len()))
        .enumerate()
        .map(|(chars, bytes)| (bytes, chars));
    for (bytes, chars) in positions {
        let (here, there) = match from {
            Offsets::Bytes => (bytes, chars),
            Offsets::Chars => (chars, bytes),
        };
        while next.next_if(|&p| p <= here).is_some() {
            out.push(there);
        }
    }
    // Offsets past the end stay at the end.
    let end = match from {
        Offsets::Bytes => text.chars().count(),
        Offsets::Chars => text.len(),
    };
    out.resize(points.len(), end);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_convert_both_ways_on_non_ascii_text() {
        let text = "é “a” 😀b";
        // (byte offset, char offset)
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
        let bytes: Vec<usize> = pairs.iter().map(|p| p.0).collect();
        let chars: Vec<usize> = pairs.iter().map(|p| p.1).collect();
        assert_eq!(convert(text, &bytes, Offsets::Bytes), chars);
        assert_eq!(convert(text, &chars, Offsets::Chars), bytes);
    }

    #[test]
    fn an_empty_article_names_the_unit_asked_for() {
        let article = crate::Classifier::default().classify("");
        assert_eq!(article.offsets, Offsets::Bytes);
        assert_eq!(article.with_offsets(Offsets::Chars).offsets, Offsets::Chars);
    }
}
