//! The compiled entries of a lexicon: topics, contexts, terms, proximity
//! rules, negation cues, and the vocabulary the automaton's ids stand for.

use std::collections::{HashMap, HashSet};

use crate::fxhash::FxBuildHasher;
use crate::topic::Topic;

/// What a negation cue (`tidak`, `jangan`, …) just before a term does to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Negated {
    /// The term counts as usual: `jangan berpihak` is still a warning.
    Keep,
    /// The term does not count: `tidak hadir` is no attendance.
    Drop,
    /// The term counts for another topic instead.
    Topic(Topic),
}

impl Negated {
    /// The topic an entry for `topic` counts for, given whether its cue
    /// (negation or modality) stands before it.
    fn resolve(self, topic: Topic, cue_present: bool) -> Option<Topic> {
        match (cue_present, self) {
            (false, _) | (true, Negated::Keep) => Some(topic),
            (true, Negated::Drop) => None,
            (true, Negated::Topic(other)) => Some(other),
        }
    }
}

/// The topic an entry for `topic` (a term, or a proximity rule by its
/// anchor) counts for after its cues: what a negation cue before it does
/// (`negated`), then what a modality cue does (`hypothetical`); `present`
/// says which of the two stand before it.
pub(crate) fn after_cues(
    topic: Topic,
    (negated, hypothetical): (Negated, Negated),
    present: (bool, bool),
) -> Option<Topic> {
    negated
        .resolve(topic, present.0)
        .and_then(|t| hypothetical.resolve(t, present.1))
}

/// Everything the lexicon files define, validated: the one struct the
/// builder fills and the lexicon keeps.
#[derive(Debug)]
pub(crate) struct Definitions {
    pub topics: [TopicSettings; Topic::COUNT],
    pub contexts: Vec<Context>,
    pub terms: Vec<Term>,
    pub rules: Vec<NearRule>,
    /// Negation cues, normalized.
    pub negation: HashSet<Box<str>, FxBuildHasher>,
    /// Words that, right after a negation cue, undo it (`tidak hanya`).
    pub not_negation: HashSet<Box<str>, FxBuildHasher>,
    /// How many tokens before a match a negation cue may stand.
    pub negation_window: usize,
    /// Modality cues (`akan`, `bisa`, `jika`), normalized: what follows
    /// them is what would happen, not what happened.
    pub hypothetical: HashSet<Box<str>, FxBuildHasher>,
    /// How many tokens before a match a modality cue may stand.
    pub hypothetical_window: usize,
    /// How much of the previous paragraph's score a paragraph that points
    /// back inherits, in [0, 1].
    pub carry_over: f32,
    /// How much of a list head's score (a paragraph ending in a colon) the
    /// items after it (`1. …`, `a) …`, `- …`) inherit, in [0, 1].
    pub list_carry_over: f32,
    /// Stem → vocabulary id (see `matching`).
    pub vocab: HashMap<Box<str>, u32, FxBuildHasher>,
    /// Exact forms that terms ask for (`=pemilih`), with their ids.
    pub exact_forms: HashMap<Box<str>, u32, FxBuildHasher>,
}

/// The label threshold of a topic no lexicon file sets.
const DEFAULT_THRESHOLD: f32 = 0.5;

impl Default for Definitions {
    fn default() -> Self {
        Definitions {
            topics: std::array::from_fn(|_| TopicSettings {
                threshold: DEFAULT_THRESHOLD,
                lead_boost: 0.0,
                requires: Vec::new(),
                requires_nearby: Vec::new(),
            }),
            contexts: Vec::new(),
            terms: Vec::new(),
            rules: Vec::new(),
            negation: HashSet::default(),
            not_negation: HashSet::default(),
            negation_window: 3,
            hypothetical: HashSet::default(),
            hypothetical_window: 3,
            carry_over: 0.0,
            list_carry_over: 0.0,
            vocab: HashMap::default(),
            exact_forms: HashMap::default(),
        }
    }
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
