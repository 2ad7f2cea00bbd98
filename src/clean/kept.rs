//! The kept text of a content paragraph: what stays once its cuts are
//! gone, with the way back to the original offsets, and small helpers on
//! byte offsets that every cutting step shares.

use std::borrow::Cow;

use super::{Cut, CutReason, Paragraph, is_blank_char};

/// The pieces of a paragraph between its cuts, trimmed, non-empty.
pub(super) fn kept_pieces<'t>(text: &'t str, p: &Paragraph) -> impl Iterator<Item = &'t str> {
    let mut pos = p.start;
    let mut cuts = p.cuts.iter();
    let mut done = false;
    std::iter::from_fn(move || {
        while !done {
            let (end, next) = match cuts.next() {
                Some(c) => (c.start.max(pos), c.end.max(pos)),
                None => {
                    done = true;
                    (p.end, p.end)
                }
            };
            let piece = text.get(pos..end).unwrap_or("").trim_matches(is_blank_char);
            pos = next;
            if !piece.is_empty() {
                return Some(piece);
            }
        }
        None
    })
}

/// The text of a content paragraph that stays once its cuts are gone: the
/// pieces between cuts, trimmed and joined by one space, as
/// [`Document::clean_text`] writes it, with the way back to the original.
/// Decisions made on it are the decisions made when the clean text is
/// cleaned again.
///
/// A paragraph of one piece (most: no cuts yet) is kept as a slice of the
/// original, without a copy.
pub(super) struct Kept<'t> {
    pub(super) text: Cow<'t, str>,
    /// Start in `text`, start in the original, and length of the first
    /// piece, in bytes (`None`: there is none)…
    first: Option<(usize, usize, usize)>,
    /// … and of the others.
    more: Vec<(usize, usize, usize)>,
}

impl<'t> Kept<'t> {
    pub(super) fn of(text: &'t str, p: &Paragraph) -> Kept<'t> {
        let mut kept = Kept {
            text: Cow::Borrowed(""),
            first: None,
            more: Vec::new(),
        };
        for piece in kept_pieces(text, p) {
            let original = piece.as_ptr() as usize - text.as_ptr() as usize;
            if kept.first.is_none() {
                kept.first = Some((0, original, piece.len()));
                kept.text = Cow::Borrowed(piece);
                continue;
            }
            let joined = kept.text.to_mut();
            joined.push(' ');
            kept.more.push((joined.len(), original, piece.len()));
            joined.push_str(piece);
        }
        kept
    }

    /// The original byte ranges behind the kept range `start..end`.
    fn originals(&self, start: usize, end: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let pieces = self.first.iter().chain(&self.more);
        pieces.filter_map(move |&(at, original, len)| {
            let (s, e) = (start.max(at), end.min(at + len));
            (s < e).then(|| (original + s - at, original + e - at))
        })
    }

    /// The original span (first start, last end) behind a kept range.
    pub(super) fn span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let mut ranges = self.originals(start, end);
        let first = ranges.next()?;
        Some((first.0, ranges.last().unwrap_or(first).1))
    }

    /// Cuts the kept range `start..end` out of `p`, one cut per piece.
    pub(super) fn cut(&self, p: &mut Paragraph, start: usize, end: usize, reason: CutReason) {
        for (s, e) in self.originals(start, end) {
            let at = p.cuts.partition_point(|c| c.start < s);
            p.cuts.insert(
                at,
                Cut {
                    start: s,
                    end: e,
                    reason,
                },
            );
        }
    }
}

/// Bytes of `s` that are not blank.
pub(super) fn non_blank_len(s: &str) -> usize {
    #[cfg(test)]
    count_work(s.len());
    s.chars()
        .filter(|&c| !is_blank_char(c))
        .map(char::len_utf8)
        .sum()
}

#[cfg(test)]
thread_local! {
    /// Work done on this thread where it once grew quadratically with
    /// inline markers: bytes [`non_blank_len`] scanned, cuts visited.
    pub(super) static WORK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts `units` of work (see [`WORK`]).
#[cfg(test)]
pub(super) fn count_work(units: usize) {
    WORK.with(|n| n.set(n.get() + units));
}

/// Words of `s` split at white space, with their byte offsets.
pub(super) fn word_spans(s: &str) -> impl Iterator<Item = (usize, &str)> {
    s.split(is_blank_char)
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
}

/// `end` moved back over blank characters.
pub(super) fn trim_end_at(s: &str, end: usize) -> usize {
    s[..end].trim_end_matches(is_blank_char).len()
}

/// The largest char boundary of `s` at or before `at`.
pub(super) fn floor_char_boundary(s: &str, at: usize) -> usize {
    (0..=at.min(s.len()))
        .rev()
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(0)
}
