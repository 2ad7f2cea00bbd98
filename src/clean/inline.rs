//! Inline cuts: boilerplate markers glued into a content line (`BACA
//! JUGA: …` inside a flattened article) and the headline after them.

use super::kept::{Kept, non_blank_len, trim_end_at, word_spans};
use super::markers::{Extent, Markers};
use super::sign_off::trailing_sign_offs;
use super::{BoilerplateKind, Cut, CutReason, Paragraph, is_blank_char};

/// Cuts inline markers out of a content paragraph. Markers that cutting
/// brings together in the kept text are cut in further rounds, so the
/// clean text holds none.
pub(super) fn cut_inline(text: &str, markers: &Markers, p: &mut Paragraph) {
    // A read-also line with content after it already has its cut.
    let taken = p.cuts.last().map_or(p.start, |c| c.end);
    let found = inline_cuts(&text[taken..p.end], markers);
    if found.is_empty() {
        return;
    }
    p.cuts
        .extend(found.into_iter().map(|(start, end, kind)| Cut {
            start: taken + start,
            end: taken + end,
            reason: CutReason::Marker(kind),
        }));
    for _ in 0..4 {
        let kept = Kept::of(text, p);
        let found = inline_cuts(&kept.text, markers);
        if found.is_empty() {
            return;
        }
        for (start, end, kind) in found {
            kept.cut(p, start, end, CutReason::Marker(kind));
        }
    }
}

/// The inline marker cuts of `s`: (start, end, kind), in bytes into `s`.
pub(super) fn inline_cuts(s: &str, markers: &Markers) -> Vec<(usize, usize, BoilerplateKind)> {
    let hits = markers.inline.find_all(s);
    let mut cuts: Vec<(usize, usize, BoilerplateKind)> = Vec::new();
    if hits.is_empty() {
        return cuts;
    }
    // Markers and headlines first; a "rest" marker only bounds a headline.
    for (i, &(start, end, marker)) in hits.iter().enumerate() {
        let (kind, extent, _) = markers.inline_rules[marker];
        let end = match extent {
            Extent::Marker => end,
            Extent::Headline => {
                let limit = hits.get(i + 1).map_or(s.len(), |n| n.0);
                headline_end(s, end, limit)
            }
            Extent::Rest => continue,
        };
        if cuts.last().is_none_or(|c| c.1 <= start) {
            cuts.push((start, end, kind));
        }
    }
    // The tail: the earliest "rest" marker followed by at most `max_rest`
    // bytes of text that stays. Only non-blank bytes outside other cuts and
    // before a closing sign-off count, so the decision is the same on the
    // clean text.
    //
    // The kept bytes between a marker and the tail are summed segment by
    // segment as the markers are visited from the last one back, so each
    // byte and each cut is looked at a bounded number of times: a
    // paragraph of thousands of markers takes linear time.
    let sign_offs = trailing_sign_offs(s);
    let kept = |from: usize, to: usize| {
        let (from, to) = (from.min(sign_offs), to.min(sign_offs));
        if from >= to {
            return 0;
        }
        // The cuts are in order and do not overlap: only those that meet
        // [from, to) are visited.
        let first = cuts.partition_point(|c| c.1 <= from);
        let inside: usize = cuts[first..]
            .iter()
            .take_while(|c| c.0 < to)
            .map(|c| {
                #[cfg(test)]
                super::kept::count_work(1);
                non_blank_len(&s[c.0.clamp(from, to)..c.1.clamp(from, to)])
            })
            .sum();
        non_blank_len(&s[from..to]) - inside
    };
    let mut tail: Option<(usize, BoilerplateKind)> = None;
    // Kept bytes from `cursor` to the tail's start (or the end).
    let (mut cursor, mut kept_to_tail) = (s.len(), 0);
    for &(start, _, marker) in hits.iter().rev() {
        let (kind, extent, max_rest) = markers.inline_rules[marker];
        if extent != Extent::Rest || start >= cursor {
            continue;
        }
        kept_to_tail += kept(start, cursor);
        cursor = start;
        if kept_to_tail <= max_rest {
            tail = Some((start, kind));
            kept_to_tail = 0;
        }
    }
    if let Some((start, kind)) = tail {
        cuts.retain(|c| c.0 < start);
        if let Some(last) = cuts.last_mut() {
            last.1 = last.1.min(start);
        }
        cuts.push((start, s.len(), kind));
    }
    cuts
}

/// Where the headline after a read-also marker ends, in bytes into `s`.
///
/// A run of two or more blank characters ends it (the paragraph break of a
/// flattened article). Failing that, the first sign of a sentence after
/// three words ends it: an opening quote, a capital after `.`/`!`/`?`, a
/// capital followed by two lower-case words, or a capital glued to a
/// lower-case letter (`...Big SaleMonica`). Failing that, it runs to
/// `limit` (the next marker or the line end) when that is near, and is
/// empty otherwise, so that content is never cut on a guess.
pub(super) fn headline_end(s: &str, from: usize, limit: usize) -> usize {
    let head = &s[from..limit];
    if let Some(run) = first_blank_run(head) {
        return trim_end_at(s, from + run);
    }
    let starts_upper = |w: &str| w.starts_with(char::is_uppercase);
    let starts_lower = |w: &str| w.starts_with(char::is_lowercase);
    // The first words, on the stack, split off only as far as the word
    // looked at and the two after it: most headlines end within a few.
    let mut first = [(0, ""); 60];
    let mut count = 0;
    let mut spans = word_spans(head);
    for k in 3..first.len() {
        while count < (k + 3).min(first.len()) {
            let Some(word) = spans.next() else { break };
            first[count] = word;
            count += 1;
        }
        let words = &first[..count];
        let Some(&(at, w)) = words.get(k) else { break };
        let prev = words[k - 1].1;
        let next_two_lower = words.get(k + 1).is_some_and(|n| starts_lower(n.1))
            && words.get(k + 2).is_some_and(|n| starts_lower(n.1));
        if let Some(glue) = glued_capital(w) {
            return from + at + glue;
        }
        if w.starts_with(['"', '“'])
            || (starts_upper(w) && (prev.ends_with(['.', '!', '?']) || next_two_lower))
        {
            return trim_end_at(s, from + at);
        }
    }
    if limit < s.len() || head.len() <= 250 {
        trim_end_at(s, limit)
    } else {
        from
    }
}

/// Byte offset in `s` of the first run of two or more blank characters.
///
/// Read a byte at a time, a character only where one outside ASCII starts:
/// this runs over the rest of the line after every read-also marker, and
/// most of its bytes are ASCII letters.
fn first_blank_run(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut run = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let (blank, len) = if b.is_ascii() {
            // The ASCII characters `char::is_whitespace` takes.
            (matches!(b, b'\t'..=b'\r' | b' '), 1)
        } else {
            // `i` is a char boundary: it follows a whole character.
            let c = s[i..].chars().next().unwrap_or_default();
            (is_blank_char(c), c.len_utf8())
        };
        match (blank, run) {
            (false, _) => run = None,
            (true, Some(start)) => return Some(start),
            (true, None) => run = Some(i),
        }
        i += len;
    }
    None
}

/// Byte offset in `w` of a capital glued to a lower-case letter before it.
pub(super) fn glued_capital(w: &str) -> Option<usize> {
    let mut prev_lower = false;
    for (i, c) in w.char_indices() {
        if prev_lower && c.is_uppercase() {
            return Some(i);
        }
        prev_lower = c.is_lowercase();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn the_first_blank_run_is_where_two_blank_characters_meet(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "kata", "É", " ", "\n", "\t", "\r", "\u{a0}", "\u{200b}", "\u{3000}",
                    "\u{2028}", "\u{85}", "\u{1c}", ".", "“", "x\u{301}",
                ]),
                0..24,
            )
        ) {
            let s = pieces.concat();
            // What a walk over the characters finds.
            let mut expected = None;
            let mut run = None;
            for (i, c) in s.char_indices() {
                if !is_blank_char(c) {
                    run = None;
                } else if let Some(start) = run {
                    expected = Some(start);
                    break;
                } else {
                    run = Some(i);
                }
            }
            proptest::prop_assert_eq!(first_blank_run(&s), expected, "{:?}", s);
        }

        #[test]
        fn headlines_end_where_all_their_words_split_off_at_once_say(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Judul", "kata", "lain", "Baru.", "“Kami", "\"Ya", "IniWarga", "2024",
                    "sudah!", "Jawa", "é", " ", "  ", "\u{a0}",
                ]),
                0..80,
            ),
            from in 0usize..8,
        ) {
            let s = words.join(" ");
            let from = super::super::kept::floor_char_boundary(&s, from);
            proptest::prop_assert_eq!(
                headline_end(&s, from, s.len()),
                headline_end_of_all_words(&s, from, s.len()),
                "{:?}", s
            );
        }
    }

    /// [`headline_end`] as first written: every blank character looked at,
    /// then the first sixty words split off before any is looked at.
    fn headline_end_of_all_words(s: &str, from: usize, limit: usize) -> usize {
        let head = &s[from..limit];
        let mut blank_run = None;
        for (i, c) in head.char_indices() {
            if !is_blank_char(c) {
                blank_run = None;
            } else if let Some(run) = blank_run {
                return trim_end_at(s, from + run);
            } else {
                blank_run = Some(i);
            }
        }
        let starts_upper = |w: &str| w.starts_with(char::is_uppercase);
        let starts_lower = |w: &str| w.starts_with(char::is_lowercase);
        let words: Vec<(usize, &str)> = word_spans(head).take(60).collect();
        for (k, &(at, w)) in words.iter().enumerate().skip(3) {
            let prev = words[k - 1].1;
            let next_two_lower = words.get(k + 1).is_some_and(|n| starts_lower(n.1))
                && words.get(k + 2).is_some_and(|n| starts_lower(n.1));
            if let Some(glue) = glued_capital(w) {
                return from + at + glue;
            }
            if w.starts_with(['"', '“'])
                || (starts_upper(w) && (prev.ends_with(['.', '!', '?']) || next_two_lower))
            {
                return trim_end_at(s, from + at);
            }
        }
        if limit < s.len() || head.len() <= 250 {
            trim_end_at(s, limit)
        } else {
            from
        }
    }

    #[test]
    fn headline_ends() {
        // (text after the marker, expected headline)
        let cases = [
            ("Judul pendek di akhir", "Judul pendek di akhir"),
            (
                "Judul satu   Kalimat berikutnya di paragraf lain.",
                "Judul satu",
            ),
            (
                "Lima Desa Raih Penghargaan Tingkat Kabupaten Sementara itu warga tetap bekerja.",
                "Lima Desa Raih Penghargaan Tingkat Kabupaten",
            ),
            (
                "Harga Cabai Turun di Pasar “Kami senang,” kata pedagang.",
                "Harga Cabai Turun di Pasar",
            ),
            (
                "Pasar Baru Dibuka Hari IniWarga datang sejak pagi.",
                "Pasar Baru Dibuka Hari Ini",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(
                &text[..headline_end(text, 0, text.len())],
                expected,
                "{text:?}"
            );
        }
    }

    #[test]
    fn many_inline_markers_take_linear_work() {
        use super::super::kept::WORK;
        // One paragraph of a marker mix repeated: the work must
        // grow with the text, not with its square (it was: 10k/20k/40k
        // repeats took 0.27/0.93/4.4 s).
        for unit in [
            "ADVERTISEMENT © ",
            "Baca juga: x © ",
            "ADVERTISEMENT Penulis: ",
        ] {
            let work = |repeats: usize| {
                let text = format!("Pemilu ASN {}", unit.repeat(repeats));
                WORK.with(|n| n.set(0));
                let doc = crate::clean::clean(&text);
                assert!(!doc.paragraphs.is_empty());
                WORK.with(|n| n.get()).max(1)
            };
            let (small, large) = (work(2_000), work(8_000));
            assert!(
                large < small * 6,
                "{unit:?}: {small} units of work for 2,000 repeats, {large} for 8,000"
            );
        }
    }
}
