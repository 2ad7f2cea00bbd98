//! The prefilter: rules out, with one byte search over the raw text, the
//! articles that cannot have enough words of a context every topic
//! requires, so they are never tokenized and matched.

use std::cell::RefCell;

use aho_corasick::Anchored;
use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa;

use super::build::Word;
use super::definitions::Definitions;

thread_local! {
    /// Per-thread trace and bound counts of [`Prefilter::may_match`].
    static COUNTS: RefCell<(Vec<usize>, Vec<usize>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// texts where the context cannot match `min_hits` times.
#[derive(Debug)]
pub(super) struct Prefilter {
    /// All traces, ASCII case-insensitive, every match reported.
    search: dfa::DFA,
    /// Per term, per word, the traces (ids in `search`) one of which a match
    /// of the word leaves.
    terms: Vec<Vec<Vec<usize>>>,
    /// Per trace, the terms that use it.
    terms_by_trace: Vec<Vec<usize>>,
    /// How many matches of the context's terms a text needs.
    pub(super) min_hits: usize,
    /// The context, by index.
    pub(super) context: u16,
    /// Per trace, whether it is a trace of the first word of a term: a
    /// match of the term starts in the token that holds it.
    starts_term: Vec<bool>,
    /// The most words a term of the context has (set by the builder, which
    /// knows the patterns; 0 until then).
    pub(super) max_words: usize,
}

impl Prefilter {
    /// Whether the traces in `pieces` allow `min_hits` matches of the terms.
    ///
    /// Each match of a term takes a token of its own for every word, and the
    /// token holds one of the word's traces; so a term matches at most as
    /// often as the rarest of its words left a trace (occurrences of all its
    /// alternatives together), and the context at most the sum of that over
    /// its terms. Counts only grow while the search goes on, so it stops as
    /// soon as the sum reaches `min_hits`.
    ///
    /// A piece that is `None` (a range off char boundaries) or has
    /// characters that fold into ASCII letters rules nothing out.
    pub(super) fn may_match<'t>(&self, pieces: impl IntoIterator<Item = Option<&'t str>>) -> bool {
        COUNTS.with(|counts| {
            let (occurrences, bounds) = &mut *counts.borrow_mut();
            occurrences.clear();
            occurrences.resize(self.search.patterns_len(), 0);
            bounds.clear();
            bounds.resize(self.terms.len(), 0);
            let mut total = 0;
            let mut count = |trace: usize| {
                occurrences[trace] += 1;
                // Only the bounds of terms with this trace can have grown.
                for &term in &self.terms_by_trace[trace] {
                    let bound = self.terms[term]
                        .iter()
                        .map(|alternatives| alternatives.iter().map(|&t| occurrences[t]).sum())
                        .min()
                        .unwrap_or(0);
                    total += bound - bounds[term];
                    bounds[term] = bound;
                }
                total >= self.min_hits
            };
            pieces.into_iter().any(|piece| match piece {
                None => true,
                Some(piece) => {
                    has_folds_to_ascii(piece)
                        || self.each_trace(piece.as_bytes(), &mut |trace, _| count(trace))
                }
            })
        })
    }

    /// Calls `found` with the id and the start (a byte offset into `text`)
    /// of every trace occurrence in `text`, overlapping ones included, until
    /// it returns `true`; says whether it did.
    ///
    /// Each step of an automaton waits on the one before, so the two halves
    /// of a text (the first one longer by a trace, less a byte, and owning
    /// only the occurrences that start in it) are searched side by side:
    /// the processor overlaps the two chains of steps.
    pub(super) fn each_trace(
        &self,
        text: &[u8],
        found: &mut impl FnMut(usize, usize) -> bool,
    ) -> bool {
        let dfa = &self.search;
        let Ok(start) = dfa.start_state(Anchored::No) else {
            // Cannot happen for an unanchored automaton; no search, no ruling out.
            return true;
        };
        let len = text.len();
        let mid = if len >= 64 { len / 2 } else { len };
        let first_end = (mid + dfa.max_pattern_len().saturating_sub(1)).min(len);
        let (first, second) = (&text[..first_end], &text[mid..]);
        // Reports the matches of state `sid` that end at `end` (into
        // `text`) and start before `owned_end`.
        let mut report = |sid: StateID, end: usize, owned_end: usize| {
            (0..dfa.match_len(sid)).any(|k| {
                let trace = dfa.match_pattern(sid, k);
                let start = end - dfa.pattern_len(trace);
                start < owned_end && found(trace.as_usize(), start)
            })
        };
        // The steps are written out in each loop: a shared closure that
        // moved a state and reported its matches cost 10% more instructions
        // on the whole pipeline, the two chains no longer interleaved.
        let (mut a, mut b) = (start, start);
        let both = first.len().min(second.len());
        for i in 0..both {
            a = dfa.next_state(Anchored::No, a, first[i]);
            b = dfa.next_state(Anchored::No, b, second[i]);
            if dfa.is_match(a) && report(a, i + 1, mid) {
                return true;
            }
            if dfa.is_match(b) && report(b, mid + i + 1, usize::MAX) {
                return true;
            }
        }
        for (i, &byte) in first.iter().enumerate().skip(both) {
            a = dfa.next_state(Anchored::No, a, byte);
            if dfa.is_match(a) && report(a, i + 1, mid) {
                return true;
            }
        }
        for (i, &byte) in second.iter().enumerate().skip(both) {
            b = dfa.next_state(Anchored::No, b, byte);
            if dfa.is_match(b) && report(b, mid + i + 1, usize::MAX) {
                return true;
            }
        }
        false
    }
}

impl Prefilter {
    /// Whether the trace `trace` is one of a term's first word.
    pub(super) fn starts_term(&self, trace: usize) -> bool {
        self.starts_term.get(trace).copied().unwrap_or(true)
    }
}

/// Whether `text` has a character that normalization turns into ASCII
/// letters the prefilter's search would miss: a full-width form (U+FF01 to
/// U+FF5E), or one of the two characters outside ASCII whose lower case has
/// ASCII in it, `İ` (U+0130) and the Kelvin sign (U+212A).
pub(super) fn has_folds_to_ascii(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(0xC4, 0xE2, 0xEF, bytes).any(|i| {
        let next = bytes.get(i + 1..).unwrap_or_default();
        match bytes[i] {
            0xC4 => next.starts_with(&[0xB0]),
            0xE2 => next.starts_with(&[0x84, 0xAA]),
            _ => matches!(next, [0xBC, 0x81..=0xBF, ..] | [0xBD, 0x80..=0x9E, ..]),
        }
    })
}

/// Substrings one of which every word matching `word` contains (lower
/// case): the exact form; or the stem, and the stem with the initial that
/// meN-/peN- replace (`pilih` and `milih`, for `memilih`). `None` when a
/// stem is too short to be worth searching for, or a trace has no ASCII
/// letter or digit.
///
/// Only the longest run of ASCII letters and digits of each is kept: the
/// search ignores ASCII case only, and the other characters of a normalized
/// form may stand for others in the text (`’` for `'`, `É` for `é`).
pub(super) fn trace(word: &Word) -> Option<Vec<String>> {
    let alternatives = if word.exact {
        vec![word.form.clone()]
    } else {
        let stem = &word.stem;
        if stem.len() < 3 {
            return None;
        }
        let nasal = match stem.as_bytes()[0] {
            b'p' => Some("m"),
            b't' => Some("n"),
            b'k' => Some("ng"),
            b's' => Some("ny"),
            _ => None,
        };
        std::iter::once(stem.clone())
            .chain(nasal.map(|n| format!("{n}{}", &stem[1..])))
            .collect()
    };
    alternatives
        .iter()
        .map(|t| {
            t.split(|c: char| !c.is_ascii_alphanumeric())
                .max_by_key(|run| run.len())
                .filter(|run| !run.is_empty())
                .map(str::to_owned)
        })
        .collect::<Option<Vec<String>>>()
        .map(|mut runs| {
            runs.dedup();
            runs
        })
}

impl Prefilter {
    /// A search for the traces of a context every topic requires: a text
    /// with none of them can carry no topic.
    pub(super) fn new(
        defs: &Definitions,
        context_traces: &[Option<Vec<Vec<Vec<String>>>>],
    ) -> Option<Prefilter> {
        let required =
            (0..defs.contexts.len()).filter(|c| defs.topics.iter().all(|t| t.requires.contains(c)));
        let (context, terms) = required
            .filter_map(|c| Some((c, context_traces.get(c).cloned().flatten()?)))
            .find(|(_, terms)| !terms.is_empty())?;
        let mut traces: Vec<String> = Vec::new();
        let terms: Vec<Vec<Vec<usize>>> = terms
            .into_iter()
            .map(|words| {
                words
                    .into_iter()
                    .map(|alternatives| {
                        alternatives
                            .into_iter()
                            .map(|t| match traces.iter().position(|known| *known == t) {
                                Some(i) => i,
                                None => {
                                    traces.push(t);
                                    traces.len() - 1
                                }
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let mut starts_term = vec![false; traces.len()];
        for &trace in terms.iter().filter_map(|words| words.first()).flatten() {
            starts_term[trace] = true;
        }
        let mut terms_by_trace = vec![Vec::new(); traces.len()];
        for (term, words) in terms.iter().enumerate() {
            for &trace in words.iter().flatten() {
                terms_by_trace[trace].push(term);
            }
        }
        let search = dfa::Builder::new()
            .ascii_case_insensitive(true)
            .prefilter(false)
            .build(&traces)
            .ok()?;
        Some(Prefilter {
            search,
            terms,
            terms_by_trace,
            min_hits: defs.contexts[context].min_hits,
            context: u16::try_from(context).ok()?,
            starts_term,
            max_words: 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::AhoCorasick;

    #[test]
    fn the_prefilter_search_finds_every_overlapping_occurrence() {
        let traces = ["ab", "bab", "abab", "b", "pemilu", "milu", "umum"];
        let prefilter = Prefilter {
            search: dfa::Builder::new()
                .ascii_case_insensitive(true)
                .prefilter(false)
                .build(traces)
                .unwrap(),
            terms: Vec::new(),
            terms_by_trace: Vec::new(),
            min_hits: 1,
            context: 0,
            starts_term: Vec::new(),
            max_words: 0,
        };
        let all = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(traces)
            .unwrap();
        // Texts long enough to be searched in halves, with occurrences
        // across the middle at every offset.
        let filler = "x".repeat(40);
        for len in [0, 1, 5, 63, 64, 65, 100, 131] {
            for at in 0..len.max(1) {
                let mut text = "y".repeat(len);
                let piece = "ABABabPeMiLuMuMuMb";
                text.replace_range(
                    at.min(len)..(at + piece.len()).min(len),
                    &piece[..piece.len().min(len - at.min(len))],
                );
                let text = format!("{filler}{text}{filler}");
                let mut expected: Vec<usize> = all
                    .find_overlapping_iter(&text)
                    .map(|m| m.pattern().as_usize())
                    .collect();
                let mut got = Vec::new();
                let mut starts = Vec::new();
                let stopped = prefilter.each_trace(text.as_bytes(), &mut |t, start| {
                    got.push(t);
                    starts.push((t, start));
                    false
                });
                // Each occurrence is reported with its start.
                for &(t, start) in &starts {
                    let end = start + traces[t].len();
                    assert!(
                        text[start..end].eq_ignore_ascii_case(traces[t]),
                        "{text} {t} {start}"
                    );
                }
                assert!(!stopped);
                expected.sort_unstable();
                got.sort_unstable();
                assert_eq!(got, expected, "{text}");
            }
        }
        // It stops as soon as it is told to.
        let mut seen = 0;
        assert!(prefilter.each_trace(b"ab ab ab ab", &mut |_, _| {
            seen += 1;
            seen == 2
        }));
        assert_eq!(seen, 2);
    }

    #[test]
    fn every_character_that_lower_cases_or_folds_into_ascii_is_caught() {
        let folds = |c: char| {
            !c.is_ascii()
                && (('\u{FF01}'..='\u{FF5E}').contains(&c)
                    || c.to_lowercase().any(|l| l.is_ascii()))
        };
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            let alone = c.to_string();
            let inside = format!("ab{c}cd");
            assert_eq!(has_folds_to_ascii(&alone), folds(c), "{c:?}");
            assert_eq!(has_folds_to_ascii(&inside), folds(c), "{c:?}");
        }
        assert!(!has_folds_to_ascii("“Pemilu” — 2024\u{00A0}é"));
        // A truncated sequence at the end is not a match.
        assert!(!has_folds_to_ascii(&String::from_utf8_lossy(&[b'a', 0xE2])));
    }
}
