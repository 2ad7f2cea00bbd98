//! Stage 4: keyword lexicons, and finding their terms among a paragraph's tokens.
//!
//! A lexicon is a TOML file a newsroom editor can read and change (see
//! `data/lexicon.toml` for the annotated default). Terms are written as plain
//! Indonesian words and phrases; on load every word is tokenized and stemmed
//! with the same pipeline as the text, so one entry `kampanye` matches
//! `berkampanye`, `dikampanyekan` and `mengkampanyekannya`. A word written
//! with a leading `=` (`=pemilih`) must match that exact normalized form.
//!
//! All terms of a lexicon are compiled into one [`aho_corasick`] automaton
//! over token ids, built once and shared by every thread: matching a
//! paragraph is a single pass over its tokens.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, MatchKind, dfa};
use serde::Deserialize;
use toml::Spanned;

use crate::fxhash::FxBuildHasher;
use crate::stem;
use crate::token::{self, Token, TokenKind};
use crate::topic::Topic;

/// Gives each lexicon its own [`Lexicon::uid`].
static NEXT_UID: AtomicU64 = AtomicU64::new(1);

/// The default lexicon, embedded at compile time.
pub const DEFAULT_SOURCE: &str = include_str!("../data/lexicon.toml");

/// How errors and warnings name the default lexicon.
const DEFAULT_ORIGIN: &str = "data/lexicon.toml";

/// The default lexicon, parsed once.
pub(crate) static DEFAULT: LazyLock<Arc<Lexicon>> = LazyLock::new(|| {
    // The embedded lexicon is checked by the test suite, so this cannot fail
    // in a released build.
    Lexicon::from_toml(DEFAULT_SOURCE, DEFAULT_ORIGIN)
        .map(Arc::new)
        .unwrap_or_else(|e| panic!("the embedded default lexicon is invalid: {e}"))
});

/// A problem in a lexicon file: where it is and what is wrong (an error, or
/// a warning from [`Lexicon::warnings`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}:{line}:{column}: {message}")]
pub struct LexiconError {
    /// The file (or other origin) the lexicon came from.
    pub origin: String,
    /// The 1-based line of the problem.
    pub line: usize,
    /// The 1-based column (in chars) of the problem.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// An error loading a lexicon from a file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read lexicon {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The file was read but is not a valid lexicon.
    #[error(transparent)]
    Invalid(#[from] LexiconError),
}

/// What a negation cue (`tidak`, `jangan`, …) just before a term does to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Negated {
    /// The term counts as usual: `jangan berpihak` is still a warning.
    Keep,
    /// The term does not count: `tidak hadir` is no attendance.
    Drop,
    /// The term counts for another topic instead.
    Topic(Topic),
}

/// A compiled lexicon: terms, rules, contexts and thresholds.
#[derive(Debug)]
pub struct Lexicon {
    pub(crate) topics: [TopicSettings; Topic::COUNT],
    pub(crate) contexts: Vec<Context>,
    pub(crate) terms: Vec<Term>,
    pub(crate) rules: Vec<NearRule>,
    negation: HashSet<Box<str>>,
    /// Words that, right after a negation cue, undo it (`tidak hanya`).
    not_negation: HashSet<Box<str>>,
    pub(crate) negation_window: usize,
    /// Modality cues (`akan`, `bisa`, `jika`): what follows them is what
    /// would happen, not what happened.
    hypothetical: HashSet<Box<str>>,
    pub(crate) hypothetical_window: usize,
    pub(crate) carry_over: f32,
    vocab: HashMap<Box<str>, u32>,
    /// Exact forms that terms ask for (`=pemilih`), with their ids.
    exact_forms: HashMap<Box<str>, u32>,
    /// Finds the traces of a context every topic requires (see
    /// [`Lexicon::may_carry_topics`]).
    prefilter: Option<Prefilter>,
    /// Tells this lexicon apart in per-thread caches.
    uid: u64,
    automaton: AhoCorasick,
    patterns: Vec<Vec<Use>>,
    warnings: Vec<LexiconError>,
}

/// Per-topic settings.
#[derive(Debug, Clone)]
pub(crate) struct TopicSettings {
    pub threshold: f32,
    /// How much the topic in the title or lead lifts other paragraphs'
    /// evidence for it, in [0, 1).
    pub lead_boost: f32,
    /// Contexts the article must have for the topic to count at all.
    pub requires: Vec<usize>,
    /// Contexts one of which must match in the paragraph or a content
    /// paragraph next to it (none: no such condition).
    pub requires_nearby: Vec<usize>,
}

/// A named context such as "the article is about elections".
#[derive(Debug, Clone)]
pub(crate) struct Context {
    pub name: String,
    pub min_hits: usize,
}

/// One weighted term for one topic.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    pub topic: Topic,
    pub text: String,
    pub weight: f32,
    pub negated: Negated,
    /// What a modality cue (settings.hypothetical) just before it does.
    pub hypothetical: Negated,
    /// Contexts (bit `c` for context `c`) one of which must match in the
    /// paragraph or a content paragraph next to it; 0: no such condition.
    pub requires_nearby: u64,
    /// The `[[term]]` block, when its terms count once per paragraph
    /// (`once = true`): synonyms that add nothing to each other.
    pub once_in_block: Option<u32>,
}

/// Terms that count only together, within a window of tokens.
#[derive(Debug, Clone)]
pub(crate) struct NearRule {
    pub name: String,
    pub topic: Topic,
    pub weight: f32,
    pub window: usize,
    pub groups: usize,
    pub negated: Negated,
    /// What a modality cue just before the rule's first word does.
    pub hypothetical: Negated,
    /// As [`Term::requires_nearby`].
    pub requires_nearby: u64,
}

/// What a pattern of the automaton stands for.
#[derive(Debug, Clone)]
struct Use {
    target: Target,
    /// For each word of the pattern, the id of the exact normalized form it
    /// must have, or [`ANY_FORM`].
    exact: Vec<u32>,
}

/// The traces a context's terms leave in a text, to rule out quickly the
/// texts where the context cannot match `min_hits` times.
#[derive(Debug)]
struct Prefilter {
    /// All traces, ASCII case-insensitive, every match reported.
    search: dfa::DFA,
    /// Per term, per word, the traces (ids in `search`) one of which a match
    /// of the word leaves.
    terms: Vec<Vec<Vec<usize>>>,
    /// Per trace, the terms that use it.
    terms_by_trace: Vec<Vec<usize>>,
    /// How many matches of the context's terms a text needs.
    min_hits: usize,
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
    fn may_match<'t>(&self, pieces: impl IntoIterator<Item = Option<&'t str>>) -> bool {
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
                    has_folds_to_ascii(piece) || self.each_trace(piece.as_bytes(), &mut count)
                }
            })
        })
    }

    /// Calls `found` with the id of every trace occurrence in `text`,
    /// overlapping ones included, until it returns `true`; says whether it
    /// did.
    ///
    /// Each step of an automaton waits on the one before, so the two halves
    /// of a text (the first one longer by a trace, less a byte, and owning
    /// only the occurrences that start in it) are searched side by side:
    /// the processor overlaps the two chains of steps.
    fn each_trace(&self, text: &[u8], found: &mut impl FnMut(usize) -> bool) -> bool {
        let dfa = &self.search;
        let Ok(start) = dfa.start_state(Anchored::No) else {
            // Cannot happen for an unanchored automaton; no search, no ruling out.
            return true;
        };
        let len = text.len();
        let mid = if len >= 64 { len / 2 } else { len };
        let first_end = (mid + dfa.max_pattern_len().saturating_sub(1)).min(len);
        let (first, second) = (&text[..first_end], &text[mid..]);
        // Reports the matches of state `sid` that end at `end` and start
        // before `owned_end`.
        let mut report = |sid: StateID, end: usize, owned_end: usize| {
            (0..dfa.match_len(sid)).any(|k| {
                let trace = dfa.match_pattern(sid, k);
                end - dfa.pattern_len(trace) < owned_end && found(trace.as_usize())
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
            if dfa.is_match(b) && report(b, i + 1, usize::MAX) {
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
            if dfa.is_match(b) && report(b, i + 1, usize::MAX) {
                return true;
            }
        }
        false
    }
}

/// Whether `text` has a character that normalization turns into ASCII
/// letters the prefilter's search would miss: a full-width form (U+FF01 to
/// U+FF5E), or one of the two characters outside ASCII whose lower case has
/// ASCII in it, `İ` (U+0130) and the Kelvin sign (U+212A).
fn has_folds_to_ascii(text: &str) -> bool {
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
const FIRST_ID: u32 = 2;

/// The char that stands for token id `id` in the strings the automaton
/// searches: one byte for the many tokens in no pattern, three for
/// vocabulary words (four past 61,000 of them).
fn id_char(id: u32) -> char {
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
    /// The default lexicon embedded in the crate.
    pub fn default_lexicon() -> &'static Lexicon {
        &DEFAULT
    }

    /// Parses and validates a lexicon from TOML `source`; `origin` names it in errors.
    pub fn from_toml(source: &str, origin: &str) -> Result<Lexicon, LexiconError> {
        let file = parse(source, origin)?;
        let mut builder = Builder::new(source, origin);
        if let Some(extends) = &file.extends {
            if extends.get_ref() != "default" {
                return Err(builder.error(extends.span(), "`extends` must be \"default\""));
            }
            let default = parse(DEFAULT_SOURCE, DEFAULT_ORIGIN)?;
            builder.add(&default, DEFAULT_SOURCE, DEFAULT_ORIGIN)?;
        }
        builder.add(&file, source, origin)?;
        builder.build()
    }

    /// Reads, parses and validates a lexicon file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Lexicon, LoadError> {
        let path = path.as_ref();
        let source = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
            path: path.to_owned(),
            source,
        })?;
        Ok(Lexicon::from_toml(&source, &path.display().to_string())?)
    }

    /// Problems that did not stop the lexicon from loading, such as two
    /// terms that stem alike (the second adds nothing).
    pub fn warnings(&self) -> &[LexiconError] {
        &self.warnings
    }

    /// The label threshold of `topic`, in [0, 1].
    pub fn threshold(&self, topic: Topic) -> f32 {
        self.topics[topic.index()].threshold
    }

    /// Whether `text` may carry any topic. `false` only when every topic
    /// requires a context of which the text shows too few traces: then
    /// matching its words cannot change a score, and can be skipped.
    #[cfg(test)]
    pub(crate) fn may_carry_topics(&self, text: &str) -> bool {
        self.may_carry_topics_in(text, std::iter::once(0..text.len()))
    }

    /// [`Lexicon::may_carry_topics`] for the byte ranges `segments` of
    /// `text` alone, those that are matched (no match spans two of them).
    pub(crate) fn may_carry_topics_in(
        &self,
        text: &str,
        segments: impl IntoIterator<Item = Range<usize>>,
    ) -> bool {
        let Some(prefilter) = &self.prefilter else {
            return true;
        };
        // Matching clips a range to char boundaries; this cannot, and says
        // yes instead.
        prefilter.may_match(segments.into_iter().map(|segment| text.get(segment)))
    }

    /// What the lexicon knows of a token's normalized form.
    fn token_info(&self, normalized: &str) -> TokenInfo {
        let stemmed = stem::stem(normalized);
        TokenInfo {
            id: self.vocab.get(stemmed.as_ref()).copied().unwrap_or(UNKNOWN),
            exact: self
                .exact_forms
                .get(normalized)
                .copied()
                .unwrap_or(ANY_FORM),
            negation: self.negation.contains(normalized),
            not_negation: self.not_negation.contains(normalized),
            hypothetical: self.hypothetical.contains(normalized),
        }
    }

    /// Finds every pattern occurrence among `slots`, whose ids are also
    /// written in `ids`.
    ///
    /// Terms and stop phrases are chosen leftmost-longest and do not overlap;
    /// cues, contexts and back references are all reported, except inside a
    /// stop phrase.
    fn find(&self, slots: &[Slot], ids: &IdString, out: &mut Vec<Match>) {
        out.clear();
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
                    _ => out.push(found),
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
                out.push(m);
            }
        }
        out.sort_by_key(|m| (m.tokens.start, m.tokens.end));
        if !stops.is_empty() {
            // Both in text order, and stops do not overlap each other: the
            // first stop that ends after a match starts is the only one
            // that can overlap it.
            let mut next_stop = 0;
            out.retain(|m| {
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
                                    let info = self.token_info(&part.normalized());
                                    push(scratch, part.start, part.end, info);
                                }
                            }
                        }
                        continue;
                    }
                    push(scratch, token.start, token.end, info);
                }
            }
            self.find(&scratch.slots, &scratch.ids, &mut scratch.matches);
            let slots = &scratch.slots;
            scratch
                .matches
                .drain(..)
                .map(|m| {
                    let negated = is_negated(self, slots, &m);
                    let hypothetical = is_hypothetical(self, slots, &m);
                    Found {
                        m,
                        negated,
                        hypothetical,
                    }
                })
                .collect()
        })
    }

    /// Finds the lexicon's terms in `text`, longest first, as a stand-alone
    /// look at the matching stage (rules, contexts and thresholds are the
    /// classifier's business).
    ///
    /// ```
    /// let lexicon = warta::lexicon::Lexicon::default_lexicon();
    /// let text = "ASN dilarang mengunggah foto bersama calon.";
    /// let terms: Vec<&str> = lexicon.find_terms(text).iter().map(|m| m.term).collect();
    /// assert!(terms.contains(&"foto bersama calon"));
    /// ```
    pub fn find_terms(&self, text: &str) -> Vec<TermMatch<'_>> {
        self.find_in(text, std::iter::once(0..text.len()))
            .into_iter()
            .filter_map(|f| match f.m.target {
                Target::Term(i) => {
                    let term = &self.terms[i as usize];
                    Some(TermMatch {
                        start: f.m.start,
                        end: f.m.end,
                        topic: term.topic,
                        term: &term.text,
                        negated: f.negated,
                    })
                }
                _ => None,
            })
            .collect()
    }
}

/// A lexicon term found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermMatch<'l> {
    /// Start of the matched words, in bytes into the text.
    pub start: usize,
    /// End (exclusive) of the matched words, in bytes into the text.
    pub end: usize,
    /// The topic the term is for.
    pub topic: Topic,
    /// The term as the lexicon writes it.
    pub term: &'l str,
    /// Whether a negation cue stands just before it.
    pub negated: bool,
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
    let from = m.tokens.start.saturating_sub(lexicon.hypothetical_window);
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
    let from = m.tokens.start.saturating_sub(lexicon.negation_window);
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
    matches: Vec<Match>,
}

/// What the lexicon knows of each word form seen, keyed by the form as
/// written. Short forms (most words) are packed into the key itself, so a
/// lookup reads no string from elsewhere in memory, and the most recent
/// form per slot of a table that stays in the CPU's L2 cache answers most
/// lookups (nine in ten on the corpus) before the big map is asked.
struct FormCache {
    recent: Box<[(u128, TokenInfo)]>,
    short: HashMap<u128, TokenInfo, FxBuildHasher>,
    long: HashMap<Box<str>, TokenInfo, FxBuildHasher>,
}

/// Slots of the small table: a power of two, 512 KiB of entries.
const RECENT_SLOTS: usize = 1 << 14;

impl Default for FormCache {
    fn default() -> Self {
        FormCache {
            recent: vec![(0, TokenInfo::BREAK); RECENT_SLOTS].into_boxed_slice(),
            short: HashMap::default(),
            long: HashMap::default(),
        }
    }
}

impl FormCache {
    /// What the lexicon knows of the form `text[start..end]`.
    fn get_or_insert_with(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        info: impl FnOnce() -> TokenInfo,
    ) -> TokenInfo {
        let Some(key) = Self::packed(text.as_bytes(), start, end) else {
            let form = text.get(start..end).unwrap_or_default();
            return match self.long.get(form) {
                Some(&found) => found,
                None => *self.long.entry(form.into()).or_insert_with(info),
            };
        };
        // Packed keys are never 0 (the length byte), so 0 marks an empty slot.
        let mixed = (key as u64 ^ (key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let slot = &mut self.recent[(mixed >> (64 - RECENT_SLOTS.trailing_zeros())) as usize];
        if slot.0 == key {
            return slot.1;
        }
        let found = *self.short.entry(key).or_insert_with(info);
        *slot = (key, found);
        found
    }

    /// The bytes `start..end` of `text` and their count in one number (the
    /// count in the last byte), for forms under 16 bytes.
    ///
    /// Read as one 16-byte load and a mask where the text goes on that far
    /// (nearly always): a copy of a variable length there would cost more
    /// than the whole lookup.
    fn packed(text: &[u8], start: usize, end: usize) -> Option<u128> {
        let len = end.checked_sub(start).filter(|&len| len < 16)?;
        if let Some(chunk) = text.get(start..start + 16) {
            let raw = u128::from_le_bytes(chunk.try_into().ok()?);
            return Some(raw & ((1 << (8 * len)) - 1) | (len as u128) << 120);
        }
        // Near the end of the text: a plain copy, rarely taken.
        let mut key = [0; 16];
        key[..len].copy_from_slice(text.get(start..end)?);
        key[15] = len as u8;
        Some(u128::from_le_bytes(key))
    }

    fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    fn clear(&mut self) {
        self.recent.fill((0, TokenInfo::BREAK));
        self.short.clear();
        self.long.clear();
    }
}

/// How many word forms a thread caches before it starts afresh, so memory
/// stays flat on endless streams.
const CACHE_LIMIT: usize = 200_000;

thread_local! {
    /// Per-thread trace and bound counts of [`Prefilter::may_match`].
    static COUNTS: RefCell<(Vec<usize>, Vec<usize>)> = const { RefCell::new((Vec::new(), Vec::new())) };
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch {
        uid: 0,
        forms: FormCache::default(),
        ids: IdString::default(),
        slots: Vec::new(),
        matches: Vec::new(),
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
struct TokenInfo {
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
    const BREAK: TokenInfo = TokenInfo {
        id: BREAK,
        exact: ANY_FORM,
        negation: false,
        not_negation: false,
        hypothetical: false,
    };
}

/// No exact form: the word matches by its stem alone.
const ANY_FORM: u32 = 0;

/// Whether a token takes part in matching, and whether it breaks phrases.
fn token_role(token: &Token<'_>) -> Option<bool> {
    match token.kind {
        TokenKind::Word | TokenKind::Abbreviation => Some(false),
        TokenKind::Punctuation => matches!(token.text, "." | "!" | "?" | ";").then_some(true),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// The file format.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    extends: Option<Spanned<String>>,
    settings: Option<Settings>,
    #[serde(default)]
    context: HashMap<String, Spanned<ContextDef>>,
    #[serde(default)]
    topic: HashMap<String, Spanned<TopicDef>>,
    #[serde(default)]
    term: Vec<Spanned<TermDef>>,
    #[serde(default)]
    near: Vec<Spanned<NearDef>>,
    #[serde(default)]
    stop: Option<Spanned<StopDef>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    negation: Option<Vec<Spanned<String>>>,
    negation_window: Option<Spanned<usize>>,
    not_negation: Option<Vec<Spanned<String>>>,
    hypothetical: Option<Vec<Spanned<String>>>,
    hypothetical_window: Option<Spanned<usize>>,
    back_reference: Option<Vec<Spanned<String>>>,
    carry_over: Option<Spanned<f32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContextDef {
    #[serde(default = "one")]
    min_hits: usize,
    terms: Vec<Spanned<String>>,
}

fn one() -> usize {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicDef {
    threshold: Option<Spanned<f32>>,
    lead_boost: Option<Spanned<f32>>,
    requires: Option<Vec<Spanned<String>>>,
    requires_nearby: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TermDef {
    topic: Spanned<String>,
    weight: Spanned<f32>,
    negated: Option<Spanned<String>>,
    hypothetical: Option<Spanned<String>>,
    requires_nearby: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    once: bool,
    terms: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NearDef {
    name: Spanned<String>,
    topic: Spanned<String>,
    weight: Spanned<f32>,
    window: Spanned<usize>,
    negated: Option<Spanned<String>>,
    hypothetical: Option<Spanned<String>>,
    requires_nearby: Option<Vec<Spanned<String>>>,
    all: Vec<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StopDef {
    terms: Vec<Spanned<String>>,
}

fn parse(source: &str, origin: &str) -> Result<File, LexiconError> {
    toml::from_str(source).map_err(|e| {
        let (line, column) = e
            .span()
            .map_or((1, 1), |span| line_column(source, span.start));
        LexiconError {
            origin: origin.to_owned(),
            line,
            column,
            message: e.message().trim().to_owned(),
        }
    })
}

/// The 1-based line and column (in chars) of byte `offset` in `source`.
fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

// ---------------------------------------------------------------------------
// Validation and compilation.

/// Where a term is written: origin, source text, byte offset.
type TermPlace<'s> = (&'s str, &'s str, usize);

struct Builder<'s> {
    source: &'s str,
    origin: &'s str,
    topics: [TopicSettings; Topic::COUNT],
    contexts: Vec<Context>,
    terms: Vec<Term>,
    rules: Vec<NearRule>,
    negation: HashSet<Box<str>>,
    not_negation: HashSet<Box<str>>,
    negation_window: usize,
    hypothetical: HashSet<Box<str>>,
    hypothetical_window: usize,
    carry_over: f32,
    vocab: HashMap<Box<str>, u32>,
    exact_forms: HashMap<Box<str>, u32>,
    /// Per context, per term, per word: substrings one of which any match
    /// of the word leaves in the text (`None` when some word leaves none
    /// worth searching for).
    context_traces: Vec<Option<Vec<Vec<Vec<String>>>>>,
    /// Patterns as sequences of vocabulary ids, and what each stands for.
    patterns: HashMap<Vec<u32>, Vec<Use>>,
    /// (topic, stems) of every term, with the term as written and where
    /// (origin, source, byte offset: the line is counted only to report a
    /// duplicate), to report duplicates.
    seen_terms: HashMap<(Topic, Vec<String>), (String, TermPlace<'s>)>,
    warnings: Vec<LexiconError>,
    /// How many `once` blocks there are so far.
    blocks: u32,
}

const DEFAULT_THRESHOLD: f32 = 0.5;

/// Most contexts a lexicon may define (they are kept as bits of a `u64`).
const MAX_CONTEXTS: usize = 64;

/// Substrings one of which every word matching `word` contains (lower
/// case): the exact form; or the stem, and the stem with the initial that
/// meN-/peN- replace (`pilih` and `milih`, for `memilih`). `None` when a
/// stem is too short to be worth searching for, or a trace has no ASCII
/// letter or digit.
///
/// Only the longest run of ASCII letters and digits of each is kept: the
/// search ignores ASCII case only, and the other characters of a normalized
/// form may stand for others in the text (`’` for `'`, `É` for `é`).
fn trace(word: &Word) -> Option<Vec<String>> {
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

/// One word of a term: its stem, its normalized form, and whether it must
/// match that form exactly.
struct Word {
    stem: String,
    form: String,
    exact: bool,
}

impl Word {
    /// What the word matches, for telling duplicates apart.
    fn key(&self) -> String {
        if self.exact {
            format!("={}", self.form)
        } else {
            self.stem.clone()
        }
    }
}

impl<'s> Builder<'s> {
    fn new(source: &'s str, origin: &'s str) -> Self {
        Builder {
            source,
            origin,
            topics: std::array::from_fn(|_| TopicSettings {
                threshold: DEFAULT_THRESHOLD,
                lead_boost: 0.0,
                requires: Vec::new(),
                requires_nearby: Vec::new(),
            }),
            contexts: Vec::new(),
            terms: Vec::new(),
            rules: Vec::new(),
            negation: HashSet::new(),
            not_negation: HashSet::new(),
            negation_window: 3,
            hypothetical: HashSet::new(),
            hypothetical_window: 3,
            carry_over: 0.0,
            vocab: HashMap::new(),
            exact_forms: HashMap::new(),
            context_traces: Vec::new(),
            patterns: HashMap::new(),
            seen_terms: HashMap::new(),
            warnings: Vec::new(),
            blocks: 0,
        }
    }

    fn error(&self, span: Range<usize>, message: impl fmt::Display) -> LexiconError {
        let (line, column) = line_column(self.source, span.start);
        LexiconError {
            origin: self.origin.to_owned(),
            line,
            column,
            message: message.to_string(),
        }
    }

    /// Adds the definitions of `file`, whose text is `source`, to the lexicon.
    fn add(&mut self, file: &File, source: &'s str, origin: &'s str) -> Result<(), LexiconError> {
        self.source = source;
        self.origin = origin;
        if let Some(settings) = &file.settings {
            self.add_settings(settings)?;
        }
        let mut names: Vec<&String> = file.context.keys().collect();
        names.sort();
        for name in names {
            let def = &file.context[name];
            let index = match self.contexts.iter().position(|c| &c.name == name) {
                Some(i) => i,
                None if self.contexts.len() == MAX_CONTEXTS => {
                    return Err(self.error(
                        def.span(),
                        format!("too many contexts: at most {MAX_CONTEXTS}"),
                    ));
                }
                None => {
                    self.contexts.push(Context {
                        name: name.clone(),
                        min_hits: def.get_ref().min_hits,
                    });
                    self.contexts.len() - 1
                }
            };
            if def.get_ref().min_hits == 0 {
                return Err(self.error(def.span(), "`min_hits` must be at least 1"));
            }
            self.contexts[index].min_hits = def.get_ref().min_hits;
            for term in &def.get_ref().terms {
                let words = self.words(term)?;
                let traces: Option<Vec<Vec<String>>> = words.iter().map(trace).collect();
                self.context_traces
                    .resize(self.contexts.len(), Some(Vec::new()));
                match (traces, self.context_traces[index].as_mut()) {
                    (Some(traces), Some(terms)) => terms.push(traces),
                    (None, _) => self.context_traces[index] = None,
                    (Some(_), None) => {}
                }
                self.add_words(words, Target::Context(index as u16));
            }
        }
        for (name, def) in &file.topic {
            let topic: Topic = name.parse().map_err(|e| self.error(def.span(), e))?;
            let def = def.get_ref();
            if let Some(threshold) = &def.threshold {
                let value = *threshold.get_ref();
                if !(value > 0.0 && value <= 1.0) {
                    return Err(self.error(threshold.span(), "`threshold` must be in (0, 1]"));
                }
                self.topics[topic.index()].threshold = value;
            }
            if let Some(boost) = &def.lead_boost {
                let value = *boost.get_ref();
                if !(0.0..1.0).contains(&value) {
                    return Err(self.error(boost.span(), "`lead_boost` must be in [0, 1)"));
                }
                self.topics[topic.index()].lead_boost = value;
            }
            if let Some(requires) = &def.requires {
                self.topics[topic.index()].requires = self.context_indices(requires)?;
            }
            if let Some(nearby) = &def.requires_nearby {
                self.topics[topic.index()].requires_nearby = self.context_indices(nearby)?;
            }
        }
        for def in &file.term {
            let d = def.get_ref();
            let once_in_block = d.once.then(|| {
                self.blocks += 1;
                self.blocks
            });
            let topic = self.topic(&d.topic)?;
            let weight = self.weight(&d.weight)?;
            let negated = self.cue_behaviour("negated", d.negated.as_ref())?;
            let hypothetical = self.cue_behaviour("hypothetical", d.hypothetical.as_ref())?;
            let requires_nearby = self.context_mask(d.requires_nearby.as_deref())?;
            if d.terms.is_empty() {
                return Err(self.error(def.span(), "`terms` is empty"));
            }
            for text in &d.terms {
                let words = self.words(text)?;
                let key = (topic, words.iter().map(Word::key).collect());
                if let Some((first, (origin, source, offset))) = self.seen_terms.get(&key) {
                    let (line, _) = line_column(source, *offset);
                    let message = format!(
                        "duplicate term `{}` for {topic}: same stems as `{first}` at {origin}:{line}",
                        text.get_ref()
                    );
                    if first == text.get_ref() {
                        return Err(self.error(text.span(), message));
                    }
                    // Different words that stem alike: harmless, but the
                    // editor should know the second one adds nothing.
                    let warning = self.error(text.span(), message);
                    self.warnings.push(warning);
                    continue;
                }
                let place = (self.origin, self.source, text.span().start);
                self.seen_terms.insert(key, (text.get_ref().clone(), place));
                let index = self.terms.len() as u32;
                self.terms.push(Term {
                    topic,
                    text: text.get_ref().clone(),
                    weight,
                    negated,
                    hypothetical,
                    requires_nearby,
                    once_in_block,
                });
                self.add_words(words, Target::Term(index));
            }
        }
        for def in &file.near {
            let d = def.get_ref();
            let topic = self.topic(&d.topic)?;
            let weight = self.weight(&d.weight)?;
            let negated = self.cue_behaviour("negated", d.negated.as_ref())?;
            let hypothetical = self.cue_behaviour("hypothetical", d.hypothetical.as_ref())?;
            let requires_nearby = self.context_mask(d.requires_nearby.as_deref())?;
            if d.all.len() < 2 {
                return Err(self.error(
                    def.span(),
                    "a `near` rule needs at least two groups in `all`; use a term instead",
                ));
            }
            if d.all.len() > u8::MAX as usize {
                return Err(self.error(def.span(), "too many groups in `all`"));
            }
            let window = *d.window.get_ref();
            if window == 0 {
                return Err(self.error(d.window.span(), "`window` must be at least 1 token"));
            }
            if self.rules.iter().any(|r| r.name == *d.name.get_ref()) {
                return Err(self.error(
                    d.name.span(),
                    format!("duplicate rule name `{}`", d.name.get_ref()),
                ));
            }
            let rule = self.rules.len() as u32;
            for (group, terms) in d.all.iter().enumerate() {
                if terms.get_ref().is_empty() {
                    return Err(self.error(terms.span(), "empty group: the rule can never match"));
                }
                for text in terms.get_ref() {
                    let words = self.words(text)?;
                    self.add_words(
                        words,
                        Target::Cue {
                            rule,
                            group: group as u8,
                        },
                    );
                }
            }
            self.rules.push(NearRule {
                name: d.name.get_ref().clone(),
                topic,
                weight,
                window,
                groups: d.all.len(),
                negated,
                hypothetical,
                requires_nearby,
            });
        }
        if let Some(stop) = &file.stop {
            for text in &stop.get_ref().terms {
                let words = self.words(text)?;
                if words.len() < 2 {
                    return Err(self.error(
                        text.span(),
                        "a stop phrase needs at least two words (it hides the terms inside it)",
                    ));
                }
                self.add_words(words, Target::Stop);
            }
        }
        Ok(())
    }

    fn add_settings(&mut self, settings: &Settings) -> Result<(), LexiconError> {
        if let Some(cues) = &settings.negation {
            for cue in cues {
                let form = self.one_word(cue, "a negation cue")?;
                self.negation.insert(form);
            }
        }
        if let Some(words) = &settings.not_negation {
            for word in words {
                let form = self.one_word(word, "a `not_negation` entry")?;
                self.not_negation.insert(form);
            }
        }
        if let Some(window) = &settings.negation_window {
            self.negation_window = *window.get_ref();
        }
        if let Some(cues) = &settings.hypothetical {
            for cue in cues {
                let form = self.one_word(cue, "a modality cue")?;
                self.hypothetical.insert(form);
            }
        }
        if let Some(window) = &settings.hypothetical_window {
            self.hypothetical_window = *window.get_ref();
        }
        if let Some(phrases) = &settings.back_reference {
            for phrase in phrases {
                self.add_pattern(phrase, Target::BackReference)?;
            }
        }
        if let Some(carry) = &settings.carry_over {
            let value = *carry.get_ref();
            if !(0.0..=1.0).contains(&value) {
                return Err(self.error(carry.span(), "`carry_over` must be in [0, 1]"));
            }
            self.carry_over = value;
        }
        Ok(())
    }

    /// The indices of the named contexts, or an error naming an unknown one.
    fn context_indices(&self, names: &[Spanned<String>]) -> Result<Vec<usize>, LexiconError> {
        names
            .iter()
            .map(|name| {
                self.contexts
                    .iter()
                    .position(|c| &c.name == name.get_ref())
                    .ok_or_else(|| {
                        self.error(name.span(), format!("unknown context `{}`", name.get_ref()))
                    })
            })
            .collect()
    }

    /// The named contexts as bits (bit `c` for context `c`); 0 for none.
    fn context_mask(&self, names: Option<&[Spanned<String>]>) -> Result<u64, LexiconError> {
        let indices = self.context_indices(names.unwrap_or_default())?;
        Ok(indices.iter().fold(0, |mask, &c| mask | 1 << c))
    }

    /// The normalized form of an entry that must be a single word.
    fn one_word(&self, entry: &Spanned<String>, what: &str) -> Result<Box<str>, LexiconError> {
        match self.words(entry)?.as_slice() {
            [word] => Ok(word.form.as_str().into()),
            _ => Err(self.error(entry.span(), format!("{what} must be one word"))),
        }
    }

    fn topic(&self, name: &Spanned<String>) -> Result<Topic, LexiconError> {
        name.get_ref()
            .parse()
            .map_err(|e| self.error(name.span(), e))
    }

    fn weight(&self, weight: &Spanned<f32>) -> Result<f32, LexiconError> {
        let value = *weight.get_ref();
        if value > 0.0 && value <= 1.0 {
            Ok(value)
        } else {
            Err(self.error(weight.span(), "`weight` must be in (0, 1]"))
        }
    }

    /// What an entry's `field` (`negated` or `hypothetical`) says a cue
    /// before it does.
    fn cue_behaviour(
        &self,
        field: &str,
        value: Option<&Spanned<String>>,
    ) -> Result<Negated, LexiconError> {
        let Some(value) = value else {
            return Ok(Negated::Keep);
        };
        match value.get_ref().as_str() {
            "keep" => Ok(Negated::Keep),
            "drop" => Ok(Negated::Drop),
            other => other.parse().map(Negated::Topic).map_err(|_| {
                self.error(
                    value.span(),
                    format!("`{field}` must be \"keep\", \"drop\" or a topic id, not `{other}`"),
                )
            }),
        }
    }

    /// Tokenizes and stems a term into its words.
    fn words(&self, text: &Spanned<String>) -> Result<Vec<Word>, LexiconError> {
        let raw = text.get_ref();
        let mut words = Vec::new();
        for piece in raw.split_whitespace() {
            let (exact, piece) = match piece.strip_prefix('=') {
                Some(rest) => (true, rest),
                None => (false, piece),
            };
            for token in token::tokenize(piece) {
                match token_role(&token) {
                    Some(false) => {
                        let form = token.normalized().into_owned();
                        let stem = stem::stem(&form).into_owned();
                        words.push(Word { stem, form, exact });
                    }
                    Some(true) | None => {
                        return Err(self.error(
                            text.span(),
                            format!(
                                "term `{raw}` has `{}`, which is not a word: it can never match",
                                token.text
                            ),
                        ));
                    }
                }
            }
        }
        if words.is_empty() {
            return Err(self.error(text.span(), "empty term: it can never match"));
        }
        Ok(words)
    }

    fn add_pattern(&mut self, text: &Spanned<String>, target: Target) -> Result<(), LexiconError> {
        let words = self.words(text)?;
        self.add_words(words, target);
        Ok(())
    }

    fn add_words(&mut self, words: Vec<Word>, target: Target) {
        let mut ids = Vec::with_capacity(words.len());
        let mut exact = Vec::with_capacity(words.len());
        for word in words {
            let next = FIRST_ID + self.vocab.len() as u32;
            let id = *self.vocab.entry(word.stem.into()).or_insert(next);
            ids.push(id);
            exact.push(if word.exact {
                let next = ANY_FORM + 1 + self.exact_forms.len() as u32;
                *self.exact_forms.entry(word.form.into()).or_insert(next)
            } else {
                ANY_FORM
            });
        }
        self.patterns
            .entry(ids)
            .or_default()
            .push(Use { target, exact });
    }

    /// A search for the traces of a context every topic requires: a text
    /// with none of them can carry no topic.
    fn prefilter(&self) -> Option<Prefilter> {
        let required =
            (0..self.contexts.len()).filter(|c| self.topics.iter().all(|t| t.requires.contains(c)));
        let (context, terms) = required
            .filter_map(|c| Some((c, self.context_traces.get(c).cloned().flatten()?)))
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
            min_hits: self.contexts[context].min_hits,
        })
    }

    fn build(self) -> Result<Lexicon, LexiconError> {
        let prefilter = self.prefilter();
        let mut sequences = Vec::with_capacity(self.patterns.len());
        let mut uses = Vec::with_capacity(self.patterns.len());
        for (ids, u) in self.patterns {
            let text: String = ids.iter().map(|&id| id_char(id)).collect();
            sequences.push(text);
            uses.push(u);
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&sequences)
            .map_err(|e| LexiconError {
                origin: self.origin.to_owned(),
                line: 1,
                column: 1,
                message: format!("cannot compile the lexicon: {e}"),
            })?;
        Ok(Lexicon {
            topics: self.topics,
            contexts: self.contexts,
            terms: self.terms,
            rules: self.rules,
            negation: self.negation,
            not_negation: self.not_negation,
            negation_window: self.negation_window,
            hypothetical: self.hypothetical,
            hypothetical_window: self.hypothetical_window,
            carry_over: self.carry_over,
            vocab: self.vocab,
            exact_forms: self.exact_forms,
            prefilter,
            uid: NEXT_UID.fetch_add(1, Ordering::Relaxed),
            automaton,
            patterns: uses,
            warnings: self.warnings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                let stopped = prefilter.each_trace(text.as_bytes(), &mut |t| {
                    got.push(t);
                    false
                });
                assert!(!stopped);
                expected.sort_unstable();
                got.sort_unstable();
                assert_eq!(got, expected, "{text}");
            }
        }
        // It stops as soon as it is told to.
        let mut seen = 0;
        assert!(prefilter.each_trace(b"ab ab ab ab", &mut |_| {
            seen += 1;
            seen == 2
        }));
        assert_eq!(seen, 2);
    }

    #[test]
    fn a_packed_key_is_the_bytes_and_their_count() {
        let text = "Pemilu 2024: ASN netral, kawan-kawan! é ü 😀 abcdefghijklmnop";
        let bytes = text.as_bytes();
        for start in 0..=bytes.len() {
            for end in start..=bytes.len() {
                let len = end - start;
                let expected = (len < 16).then(|| {
                    let mut key = [0; 16];
                    key[..len].copy_from_slice(&bytes[start..end]);
                    key[15] = len as u8;
                    u128::from_le_bytes(key)
                });
                assert_eq!(
                    FormCache::packed(bytes, start, end),
                    expected,
                    "{start}..{end}"
                );
            }
        }
        assert_eq!(FormCache::packed(bytes, 5, 3), None);
        assert_eq!(
            FormCache::packed(bytes, bytes.len() + 1, bytes.len() + 2),
            None
        );
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
