//! Matching: a paragraph's tokens in, the lexicon's matches out.
//!
//! Each word token becomes the id of its stem (see `build`); a paragraph's
//! ids are written as a string of chars and the automaton runs over it
//! once. Terms and stop phrases are chosen leftmost-longest; cues,
//! contexts and back references are all reported, except inside a stop
//! phrase.

use std::cell::RefCell;
use std::ops::Range;

use super::Lexicon;
use super::cache::{CACHE_LIMIT, FormCache};
use crate::clean::Paragraph;
use crate::stem;
use crate::token::{self, Token, TokenKind};

/// What a pattern of the automaton stands for.
#[derive(Debug, Clone)]
pub(super) struct Use {
    pub target: Target,
    /// For each word of the pattern, the id of the exact normalized form it
    /// must have, or [`ANY_FORM`].
    pub exact: Vec<u32>,
}

/// What a match found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// A term of [`Lexicon::terms`].
    Term(u32),
    /// A word of group `group` of rule `rule`.
    Cue { rule: u32, group: u8 },
    /// A word of a context.
    Context(u16),
    /// A phrase that points back to the previous paragraph.
    BackReference,
    /// A phrase in another sense, which hides the terms inside it.
    Stop,
}

/// One match of a lexicon pattern among a paragraph's tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Match {
    /// Start of the match, in bytes into the original text.
    pub start: usize,
    /// End (exclusive) of the match, in bytes into the original text.
    pub end: usize,
    /// The matched tokens, as indices into the token slice searched.
    pub tokens: Range<usize>,
    pub target: Target,
}

/// The id of a token that is in no pattern.
const UNKNOWN: u32 = 0;
/// The id of a sentence break or a cut: no pattern spans it.
const BREAK: u32 = 1;
/// The first id of a vocabulary word.
pub(super) const FIRST_ID: u32 = 2;

/// How many vocabulary words have a char of their own (see [`id_char`]):
/// the chars from U+0800 to U+10FFFF less the surrogates.
pub(super) const MAX_VOCAB: usize = 0x10_FFFF + 1 - 0x800 - 0x800;

/// The char that stands for token id `id` in the strings the automaton
/// searches: one byte for the many tokens in no pattern, three for
/// vocabulary words (four past 61,000 of them).
pub(super) fn id_char(id: u32) -> char {
    let code = match id {
        UNKNOWN => 0x1,
        BREAK => 0x2,
        word => {
            let code = 0x800 + (word - FIRST_ID);
            // Skip the surrogates, which are no chars.
            if code >= 0xD800 { code + 0x800 } else { code }
        }
    };
    char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// A paragraph's tokens as a string of chars (see [`id_char`]) for the
/// automaton, and the token each byte stands for. A run of tokens in no
/// pattern is one char: no pattern can match across it either way, and the
/// string the automaton reads gets much shorter.
#[derive(Debug, Default)]
struct IdString {
    chars: String,
    token_of_byte: Vec<u32>,
    /// How many tokens were pushed.
    tokens: u32,
    /// Whether the last char stands for tokens in no pattern.
    in_unknown_run: bool,
}

impl IdString {
    /// Appends the next token's id.
    fn push(&mut self, id: u32) {
        let token = self.tokens;
        self.tokens += 1;
        let unknown = id == UNKNOWN;
        if unknown && self.in_unknown_run {
            return;
        }
        self.in_unknown_run = unknown;
        let c = id_char(id);
        self.chars.push(c);
        self.token_of_byte
            .extend(std::iter::repeat_n(token, c.len_utf8()));
    }

    /// Empties the string for the next paragraph.
    fn clear(&mut self) {
        self.chars.clear();
        self.token_of_byte.clear();
        self.tokens = 0;
        self.in_unknown_run = false;
    }

    /// The tokens that the bytes `start..end` of the string stand for.
    fn tokens(&self, start: usize, end: usize) -> Range<usize> {
        let first = self.token_of_byte[start] as usize;
        let last = self.token_of_byte[end - 1] as usize;
        first..last + 1
    }
}

impl Lexicon {
    /// What the lexicon knows of a token's normalized form.
    fn token_info(&self, normalized: &str) -> TokenInfo {
        let stemmed = stem::stem(normalized);
        TokenInfo {
            id: self
                .defs
                .vocab
                .get(stemmed.as_ref())
                .copied()
                .unwrap_or(UNKNOWN),
            exact: self
                .defs
                .exact_forms
                .get(normalized)
                .copied()
                .unwrap_or(ANY_FORM),
            negation: self.defs.negation.contains(normalized),
            not_negation: self.defs.not_negation.contains(normalized),
            hypothetical: self.defs.hypothetical.contains(normalized),
        }
    }

    /// Finds every pattern occurrence among `slots`, whose ids are also
    /// written in `ids`, with the cues before each.
    ///
    /// Terms and stop phrases are chosen leftmost-longest and do not overlap;
    /// cues, contexts and back references are all reported, except inside a
    /// stop phrase.
    fn find(&self, slots: &[Slot], ids: &IdString, out: &mut Vec<Found>) {
        out.clear();
        // Each match is kept once, with its cues: a dense paragraph has a
        // match every few words.
        let with_cues = |m: Match| Found {
            negated: is_negated(self, slots, &m),
            hypothetical: is_hypothetical(self, slots, &m),
            m,
        };
        let mut terms: Vec<Match> = Vec::new();
        for m in self.automaton.find_overlapping_iter(&ids.chars) {
            let range = ids.tokens(m.start(), m.end());
            for u in &self.patterns[m.pattern().as_usize()] {
                let exact_ok = u
                    .exact
                    .iter()
                    .zip(&slots[range.clone()])
                    .all(|(&exact, slot)| exact == ANY_FORM || exact == slot.info.exact);
                if !exact_ok {
                    continue;
                }
                let found = Match {
                    start: slots[range.start].start,
                    end: slots[range.end - 1].end,
                    tokens: range.clone(),
                    target: u.target,
                };
                match u.target {
                    Target::Term(_) | Target::Stop => terms.push(found),
                    _ => out.push(with_cues(found)),
                }
            }
        }
        // Leftmost-longest among terms and stop phrases.
        terms.sort_by_key(|m| (m.tokens.start, std::cmp::Reverse(m.tokens.end)));
        let mut chosen: Range<usize> = 0..0;
        let mut stops: Vec<Range<usize>> = Vec::new();
        for m in terms {
            // Terms of several topics on the very same words all count.
            if m.tokens.start < chosen.end && m.tokens != chosen {
                continue;
            }
            chosen = m.tokens.clone();
            if m.target == Target::Stop {
                stops.push(m.tokens.clone());
            } else {
                out.push(with_cues(m));
            }
        }
        out.sort_by_key(|f| (f.m.tokens.start, f.m.tokens.end));
        if !stops.is_empty() {
            // Both in text order, and stops do not overlap each other: the
            // first stop that ends after a match starts is the only one
            // that can overlap it.
            let mut next_stop = 0;
            out.retain(|Found { m, .. }| {
                while stops
                    .get(next_stop)
                    .is_some_and(|s| s.end <= m.tokens.start)
                {
                    next_stop += 1;
                }
                stops.get(next_stop).is_none_or(|s| s.start >= m.tokens.end)
            });
        }
    }

    /// The matches of each content paragraph of `text` in its scored
    /// segments (none for boilerplate). With `prefilter`, an article that
    /// shows no trace of a context every topic requires is not matched at
    /// all: the scores are the same either way.
    pub(crate) fn match_paragraphs(
        &self,
        text: &str,
        paragraphs: &[Paragraph],
        prefilter: bool,
    ) -> Vec<Vec<Found>> {
        let content = || paragraphs.iter().filter(|p| p.boilerplate.is_none());
        let may_carry_topics =
            !prefilter || self.may_carry_topics_in(text, content().flat_map(Paragraph::segments));
        paragraphs
            .iter()
            .map(|p| {
                if p.boilerplate.is_some() || !may_carry_topics {
                    return Vec::new();
                }
                self.find_in(text, p.segments())
            })
            .collect()
    }

    /// Tokenizes the byte ranges `segments` of `text` (in order; phrases do
    /// not run from one into the next) and finds the lexicon's matches, with
    /// whether a negation cue precedes each.
    pub(crate) fn find_in(
        &self,
        text: &str,
        segments: impl IntoIterator<Item = Range<usize>>,
    ) -> Vec<Found> {
        SCRATCH.with(|scratch| {
            let scratch = &mut *scratch.borrow_mut();
            if scratch.uid != self.uid || scratch.forms.len() > CACHE_LIMIT {
                scratch.uid = self.uid;
                scratch.forms.clear();
            }
            scratch.ids.clear();
            scratch.slots.clear();
            let push = |scratch: &mut Scratch, start, end, info: TokenInfo| {
                scratch.ids.push(info.id);
                scratch.slots.push(Slot { start, end, info });
            };
            let mut previous_end: Option<usize> = None;
            for segment in segments {
                if let Some(end) = previous_end {
                    // What lies between two segments separates them.
                    push(scratch, end, segment.start.max(end), TokenInfo::BREAK);
                }
                previous_end = Some(segment.end);
                for token in token::tokenize_range(text, segment.start, segment.end) {
                    let info = match token_role(&token) {
                        None => continue,
                        Some(true) => TokenInfo::BREAK,
                        // Keyed by the word as written: normalizing is
                        // needed only the first time a form is seen.
                        Some(false) => {
                            scratch
                                .forms
                                .get_or_insert_with(text, token.start, token.end, || {
                                    self.token_info(&token.normalized())
                                })
                        }
                    };
                    if info.id == UNKNOWN && token.text.contains('-') {
                        // A compound the lexicon does not know as a whole
                        // (`TNI-Polri`, `ASN-PPPK`): its parts are words.
                        for (start, end) in hyphen_parts(token.start, token.text) {
                            for part in token::tokenize_range(text, start, end) {
                                if token_role(&part) == Some(false) {
                                    let info = scratch.forms.get_or_insert_with(
                                        text,
                                        part.start,
                                        part.end,
                                        || self.token_info(&part.normalized()),
                                    );
                                    push(scratch, part.start, part.end, info);
                                }
                            }
                        }
                        continue;
                    }
                    push(scratch, token.start, token.end, info);
                }
            }
            self.find(&scratch.slots, &scratch.ids, &mut scratch.found);
            let found = if scratch.found.capacity() > Scratch::KEPT {
                // A huge paragraph's matches are handed over, not copied.
                let mut found = std::mem::take(&mut scratch.found);
                found.shrink_to_fit();
                found
            } else {
                scratch.found.drain(..).collect()
            };
            scratch.shrink();
            found
        })
    }
}

impl Scratch {
    /// The most tokens (and matches) the buffers keep room for between
    /// paragraphs: one huge paragraph must not hold its buffers' memory
    /// for the rest of the stream.
    const KEPT: usize = 1 << 16;

    /// Gives back the room one huge paragraph took.
    fn shrink(&mut self) {
        if self.slots.capacity() > Self::KEPT {
            self.slots = Vec::new();
            self.ids = IdString::default();
        }
        if self.found.capacity() > Self::KEPT {
            self.found = Vec::new();
        }
    }
}

/// A lexicon match, with whether a negation cue or a modality cue
/// precedes it.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub m: Match,
    pub negated: bool,
    pub hypothetical: bool,
}

/// Whether a modality cue (`akan`, `bisa`, `jika`) stands within the
/// lexicon's window before `m`, in the same sentence.
fn is_hypothetical(lexicon: &Lexicon, slots: &[Slot], m: &Match) -> bool {
    let from = m
        .tokens
        .start
        .saturating_sub(lexicon.defs.hypothetical_window);
    slots[from..m.tokens.start]
        .iter()
        .rev()
        .take_while(|s| s.info != TokenInfo::BREAK)
        .any(|s| s.info.hypothetical)
}

/// The byte ranges of the parts of the hyphenated word `word`, which
/// starts at byte `start` of its text.
fn hyphen_parts(start: usize, word: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    word.split('-').scan(start, |at, part| {
        let range = (*at, *at + part.len());
        *at += part.len() + 1;
        Some(range)
    })
}

/// Whether a negation cue stands within the lexicon's window before `m`,
/// in the same sentence, and is not undone by the word after it.
fn is_negated(lexicon: &Lexicon, slots: &[Slot], m: &Match) -> bool {
    let from = m.tokens.start.saturating_sub(lexicon.defs.negation_window);
    let before = &slots[from..m.tokens.start];
    let sentence = before
        .iter()
        .rposition(|s| s.info == TokenInfo::BREAK)
        .map_or(before, |i| &before[i + 1..]);
    sentence.iter().enumerate().any(|(i, s)| {
        s.info.negation
            && sentence
                .get(i + 1)
                .is_none_or(|next| !next.info.not_negation)
    })
}

/// Per-thread buffers, and what the lexicon knows of each word form seen.
struct Scratch {
    uid: u64,
    forms: FormCache,
    ids: IdString,
    slots: Vec<Slot>,
    found: Vec<Found>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch {
        uid: 0,
        forms: FormCache::default(),
        ids: IdString::default(),
        slots: Vec::new(),
        found: Vec::new(),
    });
}

/// A token as matching sees it: its span and what the lexicon knows of
/// its form.
#[derive(Debug, Clone, Copy)]
struct Slot {
    start: usize,
    end: usize,
    info: TokenInfo,
}

/// What the lexicon knows of one normalized word form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TokenInfo {
    /// The id of the form's stem in the automaton's alphabet.
    id: u32,
    /// The id of the form itself among the exact forms terms ask for, or
    /// [`ANY_FORM`].
    exact: u32,
    /// The form is a negation cue.
    negation: bool,
    /// The form undoes a negation cue right before it.
    not_negation: bool,
    /// The form is a modality cue.
    hypothetical: bool,
}

impl TokenInfo {
    /// A sentence break or a cut: no pattern spans it.
    pub(super) const BREAK: TokenInfo = TokenInfo {
        id: BREAK,
        exact: ANY_FORM,
        negation: false,
        not_negation: false,
        hypothetical: false,
    };
}

/// No exact form: the word matches by its stem alone.
pub(super) const ANY_FORM: u32 = 0;

/// Whether a token takes part in matching, and whether it breaks phrases.
pub(super) fn token_role(token: &Token<'_>) -> Option<bool> {
    match token.kind {
        TokenKind::Word | TokenKind::Abbreviation => Some(false),
        TokenKind::Punctuation => matches!(token.text, "." | "!" | "?" | ";").then_some(true),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_huge_paragraph_does_not_keep_its_buffers() {
        let lexicon = Lexicon::default_lexicon();
        let text = "ASN diminta menjaga netralitas dalam pemilu. ".repeat(20_000);
        let found = lexicon.find_in(&text, std::iter::once(0..text.len()));
        assert!(found.len() >= 20_000, "{} matches", found.len());
        SCRATCH.with(|scratch| {
            let scratch = scratch.borrow();
            assert!(scratch.slots.capacity() <= Scratch::KEPT);
            assert!(scratch.found.capacity() <= Scratch::KEPT);
            assert!(scratch.ids.token_of_byte.capacity() <= 4 * Scratch::KEPT);
        });
        // A small paragraph after it is matched as before.
        let small = "ASN diminta menjaga netralitas dalam pemilu.";
        assert_eq!(
            lexicon
                .find_in(small, std::iter::once(0..small.len()))
                .len(),
            found.len() / 20_000
        );
    }
}
