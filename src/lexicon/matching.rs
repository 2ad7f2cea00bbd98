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
use super::near::{Cue, NearHit};
use super::prefilter::{Prefilter, has_folds_to_ascii};
use crate::clean::Paragraph;
use crate::stem;
use crate::token::{self, Role};

/// What a pattern of the automaton stands for.
#[derive(Debug, Clone)]
pub(super) struct Use {
    pub target: Target,
    /// For each word of the pattern, the id of the exact normalized form it
    /// must have, or [`ANY_FORM`].
    pub exact: Vec<u32>,
}

impl Use {
    /// Whether the words `words` the pattern matched by stem have the
    /// exact forms it asks for.
    fn fits(&self, words: &[Slot]) -> bool {
        self.exact
            .iter()
            .zip(words)
            .all(|(&exact, slot)| exact == ANY_FORM || exact == slot.info.exact)
    }
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

/// One match of a lexicon pattern among a paragraph's tokens, while the
/// paragraph is matched.
#[derive(Debug, Clone)]
struct Hit {
    /// The matched tokens, as indices into the paragraph's tokens.
    tokens: Range<u32>,
    target: Target,
}

/// A term matched in a paragraph, with whether a negation cue or a
/// modality cue precedes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    /// Start of the match, in bytes into the original text.
    pub start: usize,
    /// End (exclusive) of the match, in bytes into the original text.
    pub end: usize,
    /// The term, by index among the lexicon's terms.
    pub term: u32,
    pub negated: bool,
    pub hypothetical: bool,
}

/// What matching found in one paragraph: all that scoring needs, and no
/// more (cue words and context words are summed up here, not kept).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Matches {
    /// The terms, in text order, chosen leftmost-longest; none inside a
    /// stop phrase.
    pub terms: Vec<Found>,
    /// The proximity rules that fire, in lexicon order.
    pub near: Vec<NearHit>,
    /// How many times each context matched, by context index (empty: no
    /// context matched).
    pub contexts: Vec<u32>,
    /// The first phrase pointing back to the previous paragraph (bytes).
    pub back_reference: Option<Range<usize>>,
}

impl Matches {
    /// The contexts (bit `c` for context `c`) that matched.
    pub fn context_bits(&self) -> u64 {
        self.contexts
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n > 0)
            .fold(0, |bits, (c, _)| bits | 1 << c)
    }
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
    #[inline]
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
    fn tokens(&self, start: usize, end: usize) -> Range<u32> {
        self.token_of_byte[start]..self.token_of_byte[end - 1] + 1
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

    /// Finds every pattern occurrence in one block of a paragraph's tokens,
    /// `slots` (whose ids are also written in `ids`; the first is token
    /// `base` of the paragraph), and adds them to `matches`. `limit` is the
    /// first token of the next block (`None` for the last block).
    ///
    /// Terms and stop phrases are chosen leftmost-longest and do not overlap;
    /// cues, contexts and back references all count, except inside a stop
    /// phrase. A block ends at a sentence break, which no pattern spans and
    /// no negation or modality cue looks across: the block's matches are
    /// the paragraph's there. Only proximity rules look across breaks, and
    /// `work.cues` carries their words from block to block.
    fn find_block(
        &self,
        (slots, ids): (&[Slot], &IdString),
        (base, limit): (usize, Option<usize>),
        work: &mut Work,
        matches: &mut Matches,
    ) {
        self.collect_hits(slots, ids, work);
        work.choose_terms();
        let Work {
            terms,
            stops,
            fresh,
            cues,
            other,
        } = &mut *work;
        let shown = |tokens: &Range<u32>| outside(stops, tokens);
        for (tokens, context) in other.iter().filter(|(t, _)| shown(t)) {
            if let Some(c) = context {
                if matches.contexts.is_empty() {
                    matches.contexts = vec![0; self.defs.contexts.len()];
                }
                matches.contexts[*c as usize] += 1;
            } else {
                let key = |r: &Range<usize>| (r.start, r.end);
                let at = bytes(slots, tokens);
                if matches
                    .back_reference
                    .as_ref()
                    .is_none_or(|b| key(&at) < key(b))
                {
                    matches.back_reference = Some(at);
                }
            }
        }
        let local = |tokens: &Range<u32>| tokens.start as usize..tokens.end as usize;
        for h in terms.iter().filter(|h| shown(&h.tokens)) {
            if let Target::Term(term) = h.target {
                let at = bytes(slots, &h.tokens);
                matches.terms.push(Found {
                    start: at.start,
                    end: at.end,
                    term,
                    negated: is_negated(self, slots, &local(&h.tokens)),
                    hypothetical: is_hypothetical(self, slots, &local(&h.tokens)),
                });
            }
        }
        for h in fresh.iter().filter(|h| shown(&h.tokens)) {
            if let Target::Cue { rule, group } = h.target {
                // Only an anchor's cues are asked for.
                let anchor = group == 0;
                let tokens = local(&h.tokens);
                cues.push(Cue {
                    rule,
                    group,
                    negated: anchor && is_negated(self, slots, &tokens),
                    hypothetical: anchor && is_hypothetical(self, slots, &tokens),
                    tokens: base + tokens.start..base + tokens.end,
                    bytes: bytes(slots, &h.tokens),
                });
            }
        }
        self.near_hits(cues, limit, &mut matches.near);
        work.clear_block();
    }

    /// Every occurrence of a pattern among `slots` (whose ids are written
    /// in `ids`) whose exact forms hold, sorted into `work` by kind.
    fn collect_hits(&self, slots: &[Slot], ids: &IdString, work: &mut Work) {
        for m in self.automaton.find_overlapping_iter(&ids.chars) {
            let tokens = ids.tokens(m.start(), m.end());
            let words = &slots[tokens.start as usize..tokens.end as usize];
            for u in &self.patterns[m.pattern().as_usize()] {
                if !u.fits(words) {
                    continue;
                }
                let tokens = tokens.clone();
                match u.target {
                    Target::Term(_) | Target::Stop => work.terms.push(Hit {
                        tokens,
                        target: u.target,
                    }),
                    Target::Cue { .. } => work.fresh.push(Hit {
                        tokens,
                        target: u.target,
                    }),
                    Target::Context(c) => work.other.push((tokens, Some(c))),
                    Target::BackReference => work.other.push((tokens, None)),
                }
            }
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
    ) -> Vec<Matches> {
        let content = || paragraphs.iter().filter(|p| p.boilerplate.is_none());
        let may_carry_topics = !prefilter
            || self.may_carry_topics_in(text, || content().flat_map(Paragraph::segments));
        paragraphs
            .iter()
            .map(|p| {
                if p.boilerplate.is_some() || !may_carry_topics {
                    return Matches::default();
                }
                self.find_in(text, p.segments())
            })
            .collect()
    }

    /// Tokenizes the byte ranges `segments` of `text` (in order; phrases do
    /// not run from one into the next) and finds the lexicon's matches:
    /// its terms with the cues before each, the proximity rules that fire,
    /// the contexts and the back reference.
    ///
    /// A long paragraph is matched in blocks of [`BLOCK`] tokens or a
    /// little more, each ending at a sentence break, so that its working
    /// memory does not grow with it; the matches are the same. A sentence
    /// that runs on past [`CUT_AFTER`] blocks' worth of tokens (65,536) is
    /// cut there, as if it ended.
    pub(crate) fn find_in(
        &self,
        text: &str,
        segments: impl IntoIterator<Item = Range<usize>>,
    ) -> Matches {
        self.find_in_blocks(text, segments, BLOCK)
    }

    /// [`Lexicon::find_in`] with blocks of `block` tokens.
    fn find_in_blocks(
        &self,
        text: &str,
        segments: impl IntoIterator<Item = Range<usize>>,
        block: usize,
    ) -> Matches {
        SCRATCH.with(|scratch| {
            let scratch = &mut *scratch.borrow_mut();
            scratch.serve(self);
            scratch.ids.clear();
            scratch.slots.clear();
            scratch.work.clear_block();
            scratch.work.cues.clear();
            let mut blocks = Blocks {
                size: block,
                base: 0,
                matches: Matches::default(),
            };
            let mut previous_end: Option<usize> = None;
            for segment in segments {
                if let Some(end) = previous_end {
                    // What lies between two segments separates them.
                    let next = segment.start.max(end);
                    scratch.push(end, next, TokenInfo::BREAK);
                    self.end_block_if_due(scratch, &mut blocks, next);
                }
                previous_end = Some(segment.end);
                let mut tokens = token::tokenize_range(text, segment.start, segment.end);
                // One token ahead, so that the form cache's memory for the
                // next word is on its way while this one is handled.
                let mut next = tokens.next_role();
                while let Some((start, end, role)) = next {
                    next = tokens.next_role();
                    if let Some((start, end, Role::Word)) = next {
                        scratch.forms.prefetch(text, start, end);
                    }
                    match role {
                        Role::Other => continue,
                        Role::Break => scratch.push(start, end, TokenInfo::BREAK),
                        Role::Word => self.push_word(scratch, &mut blocks, text, start, end),
                    }
                    self.end_block_if_due(scratch, &mut blocks, end);
                }
            }
            let Blocks {
                base, mut matches, ..
            } = blocks;
            self.match_block(scratch, (base, None), &mut matches);
            // Blocks decide rules out of lexicon order.
            matches.near.sort_by_key(|hit| hit.rule);
            scratch.shrink();
            matches
        })
    }

    /// Whether the matches of the prefilter's context reach its
    /// `min_hits` in the byte ranges `segments` of `text`, counting only
    /// matches that start in a token holding a trace of a term's first word
    /// (every match does) and finding each with the words after that
    /// token alone. Stop phrases are not looked for, so a match inside one
    /// counts here: the count can only be higher than matching's.
    ///
    /// A token is matched from the start of its run of non-blank bytes:
    /// the tokenizer starts a token there (only an amount such as `Rp
    /// 20.000` runs across a blank, and it is no word), and it never looks
    /// back, so the tokens from there on are the paragraph's.
    pub(super) fn context_reaches(
        &self,
        prefilter: &Prefilter,
        text: &str,
        segments: impl Iterator<Item = Range<usize>>,
    ) -> bool {
        SCRATCH.with(|scratch| {
            let scratch = &mut *scratch.borrow_mut();
            scratch.serve(self);
            let mut hits = 0;
            segments.into_iter().any(|segment| {
                let Some(piece) = text.get(segment.clone()) else {
                    return true;
                };
                if has_folds_to_ascii(piece) {
                    return true;
                }
                let bytes = piece.as_bytes();
                // The search reports each half of the piece in order (see
                // `each_trace`): the run last matched in each half.
                let mid = if bytes.len() >= 64 {
                    bytes.len() / 2
                } else {
                    bytes.len()
                };
                let mut last_run = [usize::MAX; 2];
                prefilter.each_trace(bytes, &mut |trace, start| {
                    if !prefilter.starts_term(trace) {
                        return false;
                    }
                    let run_start = bytes[..start]
                        .iter()
                        .rposition(|&b| is_blank(b))
                        .map_or(0, |i| i + 1);
                    let last = &mut last_run[usize::from(start >= mid)];
                    if *last == run_start {
                        return false;
                    }
                    *last = run_start;
                    let run_end = bytes[start..]
                        .iter()
                        .position(|&b| is_blank(b))
                        .map_or(bytes.len(), |i| start + i);
                    let run = segment.start + run_start..segment.start + run_end;
                    match self.context_matches_from(scratch, prefilter, text, run, segment.end) {
                        Some(found) => hits += found,
                        // Too long to tell here: matching will.
                        None => return true,
                    }
                    hits >= prefilter.min_hits
                })
            })
        })
    }

    /// How many matches of the prefilter's context start in the tokens of
    /// `run` (bytes of `text`), matched with the tokens after it up to
    /// `end`, as many as a term of the context has words. `None` when the
    /// run, or what must be read after it, is longer than [`MAX_WINDOW`]
    /// bytes: each run is then matched in time of its own length.
    fn context_matches_from(
        &self,
        scratch: &mut Scratch,
        prefilter: &Prefilter,
        text: &str,
        run: Range<usize>,
        end: usize,
    ) -> Option<usize> {
        if run.len() > MAX_WINDOW {
            return None;
        }
        scratch.ids.clear();
        scratch.slots.clear();
        let mut blocks = Blocks {
            size: usize::MAX,
            base: 0,
            matches: Matches::default(),
        };
        let mut in_run = 0;
        let mut tokens = token::tokenize_range(text, run.start, end);
        let mut complete = true;
        while let Some((start, end, role)) = tokens.next_role() {
            let after = scratch.slots.len() - in_run;
            if start >= run.end && (after + 1 >= prefilter.max_words || role == Role::Break) {
                break;
            }
            if end - run.start > 2 * MAX_WINDOW {
                complete = false;
                break;
            }
            match role {
                Role::Other => continue,
                Role::Break => scratch.push(start, end, TokenInfo::BREAK),
                Role::Word => self.push_word(scratch, &mut blocks, text, start, end),
            }
            if start < run.end {
                in_run = scratch.slots.len();
            }
        }
        let context = Target::Context(prefilter.context);
        let Scratch { ids, slots, .. } = scratch;
        let found = complete.then(|| {
            self.automaton
                .find_overlapping_iter(&ids.chars)
                .map(|m| (m, ids.tokens(m.start(), m.end())))
                .filter(|(_, tokens)| (tokens.start as usize) < in_run)
                .map(|(m, tokens)| {
                    let words = &slots[tokens.start as usize..tokens.end as usize];
                    self.patterns[m.pattern().as_usize()]
                        .iter()
                        .filter(|u| u.target == context && u.fits(words))
                        .count()
                })
                .sum()
        });
        ids.clear();
        slots.clear();
        found
    }

    /// Matches the tokens pushed so far as a block when there are enough
    /// of them: at a sentence break, or at the token just pushed (which
    /// ends at byte `end`) once [`CUT_AFTER`] blocks' worth have gone by
    /// without one.
    #[inline]
    fn end_block_if_due(&self, scratch: &mut Scratch, blocks: &mut Blocks, end: usize) {
        let len = scratch.slots.len();
        if len < blocks.size {
            return;
        }
        let at_break = scratch
            .slots
            .last()
            .is_some_and(|s| s.info == TokenInfo::BREAK);
        if !at_break && len < CUT_AFTER.saturating_mul(blocks.size) {
            return;
        }
        if !at_break {
            // A sentence that does not end: cut it here.
            scratch.push(end, end, TokenInfo::BREAK);
        }
        let limit = blocks.base + scratch.slots.len();
        self.match_block(scratch, (blocks.base, Some(limit)), &mut blocks.matches);
        blocks.base = limit;
    }

    /// Pushes the word `text[start..end]` with what the lexicon knows of it
    /// (a compound the lexicon does not know: its parts, which may end a
    /// block of `blocks` when there are very many).
    #[inline]
    fn push_word(
        &self,
        scratch: &mut Scratch,
        blocks: &mut Blocks,
        text: &str,
        start: usize,
        end: usize,
    ) {
        let word = text.get(start..end).unwrap_or_default();
        // Keyed by the word as written: normalizing is needed only the
        // first time a form is seen.
        let info = scratch.forms.get_or_insert_with(text, start, end, || {
            self.token_info(&token::normalize(word))
        });
        if info.id != UNKNOWN || !word.contains('-') {
            scratch.push(start, end, info);
            return;
        }
        // A compound the lexicon does not know as a whole (`TNI-Polri`,
        // `ASN-PPPK`): its parts are words.
        for (start, end) in hyphen_parts(start, word) {
            for part in token::tokenize_range(text, start, end) {
                if Role::of(&part) == Role::Word {
                    let info = scratch
                        .forms
                        .get_or_insert_with(text, part.start, part.end, || {
                            self.token_info(&part.normalized())
                        });
                    scratch.push(part.start, part.end, info);
                    self.end_block_if_due(scratch, blocks, part.end);
                }
            }
        }
    }

    /// Matches the tokens pushed so far as one block and empties them.
    fn match_block(
        &self,
        scratch: &mut Scratch,
        at: (usize, Option<usize>),
        matches: &mut Matches,
    ) {
        let Scratch {
            ids, slots, work, ..
        } = scratch;
        self.find_block((slots, ids), at, work, matches);
        ids.clear();
        slots.clear();
    }
}

/// A paragraph being matched block by block.
struct Blocks {
    /// How many tokens a block has before it may end.
    size: usize,
    /// The paragraph's index of the block's first token.
    base: usize,
    /// What the blocks before found.
    matches: Matches,
}

/// How many tokens a long paragraph is matched in at a time (see
/// [`Lexicon::find_in`]): a block ends at the first sentence break after
/// this many.
const BLOCK: usize = 1 << 14;

/// How many blocks' worth of tokens a block may grow to while it waits
/// for a sentence break; then it is cut without one.
const CUT_AFTER: usize = 4;

impl Scratch {
    /// Readies the buffers for `lexicon`: the form cache holds what another
    /// lexicon knows of its forms, or has grown past its limit, it starts
    /// over.
    fn serve(&mut self, lexicon: &Lexicon) {
        if self.uid != lexicon.uid || self.forms.len() > CACHE_LIMIT {
            self.uid = lexicon.uid;
            self.forms.clear();
        }
    }

    /// Appends a token: its span and what the lexicon knows of it.
    #[inline]
    fn push(&mut self, start: usize, end: usize, info: TokenInfo) {
        let slot = Slot::new(start, end, info);
        self.ids.push(slot.info.id);
        self.slots.push(slot);
    }

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
        if self.work.capacity() > Self::KEPT {
            self.work = Work::default();
        }
    }
}

/// The longest run of non-blank bytes, and the most bytes after it, that
/// the prefilter's second step matches; longer ones are left to matching.
const MAX_WINDOW: usize = 1024;

/// Texts of election words and the words of its phrases, apart and
/// together, in several cases, glued to punctuation, amounts, URLs and
/// hyphens, or set apart by blanks: what the prefilter's tests feed it.
#[cfg(test)]
pub(crate) fn election_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let piece = proptest::sample::select(vec![
        "pemilu",
        "Pemilihan",
        "pemilihan",
        "umum",
        "UMUM",
        "memilih",
        "kepala",
        "daerah",
        "desa",
        "calon",
        "bupati",
        "tim",
        "kampanye",
        "pemenangan",
        "masa",
        "politik",
        "uang",
        "TPS",
        "kpu",
        "bawaslu",
        "netralitas",
        "ASN",
        "netral",
        "sanksi",
        "dilarang",
        "berpihak",
        "pilkada",
        "wali",
        "kota",
        "walikota",
        "alat",
        "peraga",
        "serangan",
        "fajar",
        "suara",
        "pemungutan",
        "https://",
        "Rp",
        "20.000",
        "-",
        ",",
        ".",
        ";",
        "!",
        "(",
        ")",
        "\"",
        "'",
        "/",
        ":",
        " ",
        "\n",
        "\n\n",
        "\t",
        "\u{a0}",
        "nya",
        "an",
        "di",
        "me",
        "Baca juga: ",
    ]);
    proptest::collection::vec((piece, any::<bool>()), 0..40).prop_map(|pieces| {
        let mut text = String::new();
        for (piece, glued) in pieces {
            if !glued && !text.is_empty() {
                text.push(' ');
            }
            text.push_str(piece);
        }
        text
    })
}

/// A byte the tokenizer skips between tokens.
fn is_blank(b: u8) -> bool {
    b.is_ascii_whitespace() || b.is_ascii_control()
}

/// Whether the match of `tokens` lies outside every stop phrase of
/// `stops` (in text order, not overlapping each other).
fn outside(stops: &[Range<u32>], tokens: &Range<u32>) -> bool {
    // The first stop that ends after `tokens` starts is the only one that
    // can overlap it.
    let next = stops.partition_point(|s| s.end <= tokens.start);
    stops.get(next).is_none_or(|s| s.start >= tokens.end)
}

/// The bytes of the original text that `tokens` of `slots` cover.
pub(super) fn bytes(slots: &[Slot], tokens: &Range<u32>) -> Range<usize> {
    slots[tokens.start as usize].start..slots[tokens.end as usize - 1].end()
}

/// Whether a modality cue (`akan`, `bisa`, `jika`) stands within the
/// lexicon's window before the match of `tokens`, in the same sentence.
pub(super) fn is_hypothetical(lexicon: &Lexicon, slots: &[Slot], tokens: &Range<usize>) -> bool {
    let from = tokens
        .start
        .saturating_sub(lexicon.defs.hypothetical_window);
    slots[from..tokens.start]
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

/// Whether a negation cue stands within the lexicon's window before the
/// match of `tokens`, in the same sentence, and is not undone by the word
/// after it.
pub(super) fn is_negated(lexicon: &Lexicon, slots: &[Slot], tokens: &Range<usize>) -> bool {
    let from = tokens.start.saturating_sub(lexicon.defs.negation_window);
    let before = &slots[from..tokens.start];
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
    work: Work,
}

/// The matches of a block of a paragraph's tokens while
/// [`Lexicon::find_block`] sums them up.
#[derive(Debug, Default)]
struct Work {
    /// Terms and stop phrases.
    terms: Vec<Hit>,
    /// The chosen stop phrases, in text order.
    stops: Vec<Range<u32>>,
    /// The block's cue words.
    fresh: Vec<Hit>,
    /// The cue words proximity rules still need, from this block and
    /// earlier ones.
    cues: Vec<Cue>,
    /// Contexts (their index) and back references (`None`).
    other: Vec<(Range<u32>, Option<u16>)>,
}

impl Work {
    /// Keeps the terms and stop phrases chosen leftmost-longest (terms of
    /// several topics on the very same words all count), and notes the
    /// stop phrases among them.
    fn choose_terms(&mut self) {
        self.terms
            .sort_by_key(|h| (h.tokens.start, std::cmp::Reverse(h.tokens.end)));
        let mut chosen: Range<u32> = 0..0;
        self.terms.retain(|h| {
            let keep = h.tokens.start >= chosen.end || h.tokens == chosen;
            if keep {
                chosen = h.tokens.clone();
            }
            keep
        });
        // In text order, and not overlapping each other.
        self.stops.extend(
            self.terms
                .iter()
                .filter(|h| h.target == Target::Stop)
                .map(|h| h.tokens.clone()),
        );
    }

    /// Empties the buffers of one block; `cues` go on to the next.
    fn clear_block(&mut self) {
        self.terms.clear();
        self.stops.clear();
        self.fresh.clear();
        self.other.clear();
    }

    /// The most room any of the buffers has.
    fn capacity(&self) -> usize {
        self.terms
            .capacity()
            .max(self.stops.capacity())
            .max(self.fresh.capacity())
            .max(self.cues.capacity())
            .max(self.other.capacity())
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch {
        uid: 0,
        forms: FormCache::default(),
        ids: IdString::default(),
        slots: Vec::new(),
        work: Work::default(),
    });
}

/// A token as matching sees it: its span and what the lexicon knows of
/// its form. A dense paragraph has as many as a fifth of its bytes, so
/// the length is 32 bits.
#[derive(Debug, Clone, Copy)]
pub(super) struct Slot {
    pub start: usize,
    len: u32,
    info: TokenInfo,
}

impl Slot {
    fn new(start: usize, end: usize, info: TokenInfo) -> Slot {
        match u32::try_from(end - start) {
            Ok(len) => Slot { start, len, info },
            // No lexicon word is 4 GiB long: such a token matches nothing,
            // so its end is never asked for (a break stays a break).
            Err(_) => Slot {
                start,
                len: u32::MAX,
                info: if info == TokenInfo::BREAK {
                    info
                } else {
                    TokenInfo::UNKNOWN
                },
            },
        }
    }

    /// End (exclusive) of the token, in bytes into the original text.
    pub fn end(&self) -> usize {
        self.start + self.len as usize
    }
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
    /// Information that tells forms apart by `id` alone (tests only).
    #[cfg(test)]
    pub(super) fn with_id(id: u32) -> TokenInfo {
        TokenInfo {
            id,
            ..TokenInfo::BREAK
        }
    }

    /// A word in no pattern, and no cue.
    const UNKNOWN: TokenInfo = TokenInfo {
        id: UNKNOWN,
        ..TokenInfo::BREAK
    };

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

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// The prefilter's second step never says no where matching finds
        /// as many matches of the context as it needs: texts of election
        /// words and the words of its phrases, apart and together, glued to
        /// punctuation, amounts, URLs and hyphens.
        #[test]
        fn the_second_step_never_misses_the_matches_of_the_context(text in election_text()) {
            let lexicon = Lexicon::default_lexicon();
            let prefilter = lexicon.prefilter.as_ref().unwrap();
            let whole = || std::iter::once(0..text.len());
            let found = lexicon.find_in(&text, whole());
            let hits = found.contexts.get(usize::from(prefilter.context)).copied().unwrap_or(0);
            if hits as usize >= prefilter.min_hits {
                proptest::prop_assert!(lexicon.context_reaches(prefilter, &text, whole()), "{text:?}");
            }
        }
    }

    #[test]
    fn one_huge_paragraph_does_not_keep_its_buffers() {
        let lexicon = Lexicon::default_lexicon();
        let text = "ASN diminta menjaga netralitas dalam pemilu. ".repeat(20_000);
        let found = lexicon.find_in(&text, std::iter::once(0..text.len()));
        assert!(found.terms.len() >= 20_000, "{} terms", found.terms.len());
        SCRATCH.with(|scratch| {
            let scratch = scratch.borrow();
            assert!(scratch.slots.capacity() <= Scratch::KEPT);
            assert!(scratch.work.capacity() <= Scratch::KEPT);
            assert!(scratch.ids.token_of_byte.capacity() <= 4 * Scratch::KEPT);
        });
        // A small paragraph after it is matched as before.
        let small = "ASN diminta menjaga netralitas dalam pemilu.";
        assert_eq!(
            lexicon
                .find_in(small, std::iter::once(0..small.len()))
                .terms
                .len(),
            found.terms.len() / 20_000
        );
    }
}

#[cfg(test)]
mod block_props {
    use proptest::prelude::*;
    use proptest::sample::select;

    use super::*;

    /// Words of the default lexicon's terms, proximity-rule cues (whose
    /// windows reach across sentences), contexts, negation and modality
    /// cues, a back reference, and words in no pattern.
    const WORDS: &[&str] = &[
        "ASN",
        "PNS",
        "netral",
        "politik",
        "praktis",
        "terbukti",
        "melanggar",
        "diproses",
        "Bawaslu",
        "tegas",
        "menindak",
        "hadir",
        "kampanye",
        "tidak",
        "akan",
        "jika",
        "pemilu",
        "pilkada",
        "sanksi",
        "disiplin",
        "menjaga",
        "netralitas",
        "hal ini",
        "laporan",
        "ditindaklanjuti",
        "TNI-Polri",
        "warga",
        "pasar",
        "dan",
        "yang",
        "di",
    ];

    /// A paragraph of sentences of 1 to 12 of [`WORDS`].
    fn paragraph() -> impl Strategy<Value = String> {
        let sentence =
            prop::collection::vec(select(WORDS), 1..=12).prop_map(|words| words.join(" "));
        let end = select(&[". ", "! ", "? ", "; "][..]);
        prop::collection::vec((sentence, end), 1..60).prop_map(|sentences| {
            sentences
                .into_iter()
                .map(|(sentence, end)| sentence + end)
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Matching a paragraph block by block finds what matching it
        /// whole finds: terms with their cues, contexts, the back
        /// reference, and the same anchor and nearest words for every
        /// proximity rule, also where they lie in different blocks, with
        /// the paragraph in one segment or several. (No sentence here is
        /// long enough to be cut.)
        #[test]
        fn blocks_match_what_the_whole_paragraph_matches(
            text in paragraph(),
            // A sentence here has at most 25 tokens (12 words of two),
            // under the hard cut of four blocks.
            block in 7usize..40,
            cuts in prop::collection::vec(0.0f64..1.0, 0..4),
        ) {
            // The paragraph's scored segments: the text with up to three
            // gaps (cut-out inline boilerplate) of a byte each.
            let mut at: Vec<usize> = cuts.iter().map(|c| (c * text.len() as f64) as usize).collect();
            at.sort_unstable();
            at.dedup();
            let mut segments = Vec::new();
            let mut start = 0;
            for &cut in &at {
                if cut > start && cut < text.len() {
                    segments.push(start..cut);
                    start = cut + 1;
                }
            }
            segments.push(start.min(text.len())..text.len());
            let lexicon = Lexicon::default_lexicon();
            let whole = lexicon.find_in_blocks(&text, segments.clone(), usize::MAX);
            let blocks = lexicon.find_in_blocks(&text, segments, block);
            prop_assert_eq!(blocks, whole);
        }
    }

    #[test]
    fn a_rule_across_two_blocks_fires_as_in_one() {
        // The anchor (`terbukti`) ends one block, its partner
        // (`diproses`) starts the next, for every block size.
        let lexicon = Lexicon::default_lexicon();
        let text = "Warga dan pasar. Pasar dan warga. Di pasar terbukti. Diproses di pasar.";
        let whole = lexicon.find_in_blocks(text, std::iter::once(0..text.len()), usize::MAX);
        assert!(!whole.near.is_empty(), "{whole:?}");
        for block in 1..20 {
            let blocks = lexicon.find_in_blocks(text, std::iter::once(0..text.len()), block);
            assert_eq!(blocks, whole, "blocks of {block} tokens");
        }
    }
}
