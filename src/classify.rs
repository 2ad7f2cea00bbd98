//! The whole pipeline: articles in, topic labels with evidence out.
//!
//! [`Classifier::classify`] runs every stage on one article: it splits the
//! text into paragraphs ([`crate::clean`]), tokenizes each content paragraph
//! ([`crate::token`]), finds the lexicon's terms ([`crate::lexicon`]) and
//! scores them ([`crate::score`]).
//!
//! # Article scores
//!
//! A paragraph carries a topic when its score reaches the topic's threshold
//! in the lexicon. A paragraph that points back (`edaran tersebut`, `hal
//! ini`) and has some evidence of its own for a topic the previous content
//! paragraph carries, inherits it (evidence `carry_over`). A topic with a
//! `lead_boost` in the lexicon that the title or lead (the first two content
//! paragraphs) carries lifts the other paragraphs' own evidence for it: in
//! an article that reports a case, a paragraph on the examination of the
//! accused is part of the report.
//!
//! The article carries every topic one of its paragraphs carries. Its score
//! for a topic is `1 − Π(1 − wₚ·sₚ)` over its content paragraphs, where `sₚ`
//! is the paragraph's score and `wₚ` is 1 for the title and lead (the first
//! two content paragraphs) and 0.5 for the rest: a topic in the headline
//! weighs more than one in passing.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};

use serde::Serialize;

use crate::clean::{self, BoilerplateKind, Dateline, Paragraph, SignOff};
use crate::fxhash::FxBuildHasher;
use crate::lexicon::{self, IdString, Lexicon, LoadError, Match, Slot, TokenInfo};
use crate::score::{self, Evidence, Found, Reason, Scored, TopicScores};
use crate::token;
use crate::topic::Topic;

/// Scores articles for the eight topics with a lexicon.
///
/// Cheap to clone and shareable across threads.
#[derive(Debug, Clone)]
pub struct Classifier {
    lexicon: Arc<Lexicon>,
    /// Tells this classifier's lexicon apart in per-thread caches.
    uid: u64,
}

static DEFAULT: LazyLock<Classifier> =
    LazyLock::new(|| Classifier::with_lexicon(lexicon::DEFAULT.clone()));

static NEXT_UID: AtomicU64 = AtomicU64::new(1);

impl Default for Classifier {
    /// A classifier with the embedded default lexicon.
    fn default() -> Self {
        DEFAULT.clone()
    }
}

/// Builds a [`Classifier`] with another lexicon.
#[derive(Debug, Default)]
pub struct ClassifierBuilder {
    lexicon: Option<Result<Lexicon, LoadError>>,
}

impl ClassifierBuilder {
    /// Uses the lexicon in the TOML file at `path`. A file that starts with
    /// `extends = "default"` adds to the default lexicon; otherwise it
    /// replaces it.
    pub fn lexicon_file(mut self, path: impl AsRef<Path>) -> Self {
        self.lexicon = Some(Lexicon::from_file(path));
        self
    }

    /// Uses the lexicon in TOML `source`; `origin` names it in errors.
    pub fn lexicon_toml(mut self, source: &str, origin: &str) -> Self {
        self.lexicon = Some(Lexicon::from_toml(source, origin).map_err(LoadError::from));
        self
    }

    /// Builds the classifier, or says what is wrong with the lexicon.
    pub fn build(self) -> Result<Classifier, LoadError> {
        match self.lexicon {
            None => Ok(Classifier::default()),
            Some(lexicon) => Ok(Classifier::with_lexicon(Arc::new(lexicon?))),
        }
    }
}

impl Classifier {
    /// Starts building a classifier with a lexicon of your own.
    pub fn builder() -> ClassifierBuilder {
        ClassifierBuilder::default()
    }

    fn with_lexicon(lexicon: Arc<Lexicon>) -> Self {
        Classifier {
            lexicon,
            uid: NEXT_UID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// The lexicon this classifier scores with.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Classifies one article: every paragraph, with scores and evidence.
    pub fn classify<'a>(&'a self, text: &'a str) -> Article<'a> {
        self.classify_with(text, true)
    }

    /// Classifies one article; `prefilter` allows skipping the matching of
    /// an article that shows no trace of a context every topic requires
    /// (the result is the same either way).
    fn classify_with<'a>(&'a self, text: &'a str, prefilter: bool) -> Article<'a> {
        let lexicon = &*self.lexicon;
        let document = clean::clean(text);

        // Pass 1: matches of every content paragraph, and the article's contexts.
        let mut context_hits = vec![0usize; lexicon.contexts.len()];
        let may_carry_topics = !prefilter || lexicon.may_carry_topics(text);
        let found: Vec<Vec<Found>> = SCRATCH.with(|scratch| {
            let scratch = &mut *scratch.borrow_mut();
            document
                .paragraphs
                .iter()
                .map(|p| {
                    if p.boilerplate.is_some() || !may_carry_topics {
                        return Vec::new();
                    }
                    let found = self.find(text, p, scratch);
                    for f in &found {
                        if let lexicon::Target::Context(c) = f.m.target {
                            context_hits[c as usize] += 1;
                        }
                    }
                    found
                })
                .collect()
        });
        let allowed: [bool; Topic::COUNT] = std::array::from_fn(|t| {
            lexicon.topics[t]
                .requires
                .iter()
                .all(|&c| context_hits[c] >= lexicon.contexts[c].min_hits)
        });

        // Pass 2: scores of every content paragraph.
        let mut scored: Vec<Option<Scored<'a>>> = document
            .paragraphs
            .iter()
            .zip(&found)
            .map(|(p, found)| {
                p.boilerplate
                    .is_none()
                    .then(|| score::score_paragraph(lexicon, found, &allowed))
            })
            .collect();

        // Pass 3: a topic the title or lead carries lifts the weaker
        // evidence for it elsewhere in the article.
        let lead: Vec<usize> = (0..scored.len())
            .filter(|&i| scored[i].is_some())
            .take(LEAD_PARAGRAPHS)
            .collect();
        for topic in Topic::ALL {
            let boost = lexicon.topics[topic.index()].lead_boost;
            let in_lead = lead.iter().any(|&i| {
                scored[i]
                    .as_ref()
                    .is_some_and(|s| s.scores.get(topic) >= lexicon.threshold(topic))
            });
            if boost <= 0.0 || !in_lead {
                continue;
            }
            for (i, s) in scored.iter_mut().enumerate() {
                if let Some(s) = s.as_mut().filter(|_| !lead.contains(&i)) {
                    let own = s.scores.get(topic);
                    if own > 0.0 {
                        s.scores.set(topic, 1.0 - (1.0 - own) * (1.0 - boost));
                    }
                }
            }
        }

        // Pass 4: labels, and carry-over from the previous content paragraph.
        let mut paragraphs: Vec<ScoredParagraph<'a>> = Vec::with_capacity(scored.len());
        let mut previous: Option<usize> = None;
        for (paragraph, scored) in document.paragraphs.into_iter().zip(scored) {
            let Some(mut scored) = scored else {
                paragraphs.push(ScoredParagraph::boilerplate(paragraph));
                continue;
            };
            let mut labels: Vec<Topic> = Topic::ALL
                .into_iter()
                .filter(|&t| scored.scores.get(t) >= lexicon.threshold(t))
                .collect();
            if let (Some(prev), Some((start, end))) = (previous, scored.back_reference) {
                let prev = &paragraphs[prev];
                for &topic in &prev.labels {
                    let own = scored.scores.get(topic);
                    if labels.contains(&topic) || own <= 0.0 {
                        continue;
                    }
                    let inherited = prev.scores.get(topic) * lexicon.carry_over;
                    if own.max(inherited) >= lexicon.threshold(topic) {
                        scored.scores.set(topic, own.max(inherited));
                        labels.push(topic);
                        scored.evidence.push(Evidence {
                            topic,
                            term: "carry_over",
                            start,
                            end,
                            rule: Reason::CarryOver,
                            negated: false,
                        });
                    }
                }
                labels.sort();
            }
            previous = Some(paragraphs.len());
            paragraphs.push(ScoredParagraph {
                start: paragraph.start,
                end: paragraph.end,
                boilerplate: None,
                labels,
                scores: scored.scores,
                evidence: scored.evidence,
            });
        }

        let (labels, scores) = aggregate(&paragraphs);
        Article {
            text,
            labels,
            scores,
            dateline: document.dateline,
            sign_off: document.sign_off,
            paragraphs,
        }
    }

    /// Tokenizes one content paragraph (cuts left out) and finds its matches.
    fn find(&self, text: &str, paragraph: &Paragraph, scratch: &mut Scratch) -> Vec<Found> {
        let lexicon = &*self.lexicon;
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
        let mut segment_start = paragraph.start;
        let mut cuts = paragraph.cuts.iter().peekable();
        while segment_start < paragraph.end {
            let segment_end = cuts
                .peek()
                .map_or(paragraph.end, |c| c.start.max(segment_start));
            for token in token::tokenize_range(text, segment_start, segment_end) {
                let info = match lexicon::token_role(&token) {
                    None => continue,
                    Some(true) => TokenInfo::BREAK,
                    // Keyed by the word as written: normalizing is
                    // needed only the first time a form is seen.
                    Some(false) => scratch
                        .forms
                        .get_or_insert_with(token.text, || lexicon.token_info(&token.normalized())),
                };
                push(scratch, token.start, token.end, info);
            }
            match cuts.next() {
                Some(cut) => {
                    // A cut separates what stands before and after it.
                    push(scratch, cut.start, cut.end, TokenInfo::BREAK);
                    segment_start = cut.end.max(segment_end);
                }
                None => break,
            }
        }
        lexicon.find(&scratch.slots, &scratch.ids, &mut scratch.matches);
        let slots = &scratch.slots;
        scratch
            .matches
            .drain(..)
            .map(|m| {
                let negated = is_negated(lexicon, slots, &m);
                Found { m, negated }
            })
            .collect()
    }
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
/// form per slot of a small table that stays in the CPU cache answers most
/// lookups of the frequent words before the big map is asked.
struct FormCache {
    recent: Box<[(u128, TokenInfo)]>,
    short: HashMap<u128, TokenInfo, FxBuildHasher>,
    long: HashMap<Box<str>, TokenInfo, FxBuildHasher>,
}

/// Slots of the small table (a power of two).
const RECENT_SLOTS: usize = 4096;

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
    fn get_or_insert_with(&mut self, form: &str, info: impl FnOnce() -> TokenInfo) -> TokenInfo {
        let Some(key) = Self::packed(form) else {
            return match self.long.get(form) {
                Some(&found) => found,
                None => *self.long.entry(form.into()).or_insert_with(info),
            };
        };
        // Packed keys are never 0 (the length byte), so 0 marks an empty slot.
        let mixed = (key as u64 ^ (key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let slot = &mut self.recent[(mixed >> 52) as usize & (RECENT_SLOTS - 1)];
        if slot.0 == key {
            return slot.1;
        }
        let found = *self.short.entry(key).or_insert_with(info);
        *slot = (key, found);
        found
    }

    /// The form's bytes and length in one number, for forms under 16 bytes.
    fn packed(form: &str) -> Option<u128> {
        let bytes = form.as_bytes();
        (bytes.len() < 16).then(|| {
            let mut key = [0; 16];
            key[..bytes.len()].copy_from_slice(bytes);
            key[15] = bytes.len() as u8;
            u128::from_le_bytes(key)
        })
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

/// How many content paragraphs count as the title and lead.
const LEAD_PARAGRAPHS: usize = 2;

/// How many word forms a thread caches before it starts afresh, so memory
/// stays flat on endless streams.
const CACHE_LIMIT: usize = 200_000;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch {
        uid: 0,
        forms: FormCache::default(),
        ids: IdString::default(),
        slots: Vec::new(),
        matches: Vec::new(),
    });
}

/// Article labels and scores from its paragraphs (see the module docs).
fn aggregate(paragraphs: &[ScoredParagraph<'_>]) -> (Vec<Topic>, TopicScores) {
    let mut labels = Vec::new();
    let mut scores = TopicScores::default();
    for topic in Topic::ALL {
        let mut miss = 1.0f32;
        let mut carried = false;
        for (i, p) in paragraphs
            .iter()
            .filter(|p| p.boilerplate.is_none())
            .enumerate()
        {
            let weight = if i < LEAD_PARAGRAPHS { 1.0 } else { 0.5 };
            miss *= 1.0 - weight * p.scores.get(topic);
            carried |= p.labels.contains(&topic);
        }
        scores.set(topic, 1.0 - miss);
        if carried {
            labels.push(topic);
        }
    }
    (labels, scores)
}

/// A classified article: every paragraph with its labels, scores and evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Article<'a> {
    #[serde(skip)]
    text: &'a str,
    /// The topics the article carries: those of its paragraphs.
    pub labels: Vec<Topic>,
    /// The article's score per topic (see the module docs).
    pub scores: TopicScores,
    /// The dateline split off the first content paragraph.
    pub dateline: Option<Dateline>,
    /// The sign-off split off the last content paragraph.
    pub sign_off: Option<SignOff>,
    /// Every paragraph, boilerplate included, in text order.
    pub paragraphs: Vec<ScoredParagraph<'a>>,
}

impl<'a> Article<'a> {
    /// The original text the offsets point into.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The content paragraphs that carry `topic`.
    pub fn paragraphs_with(&self, topic: Topic) -> impl Iterator<Item = &ScoredParagraph<'a>> {
        self.paragraphs
            .iter()
            .filter(move |p| p.labels.contains(&topic))
    }
}

/// One paragraph of a classified article.
#[derive(Debug, Clone, Serialize)]
pub struct ScoredParagraph<'a> {
    /// Start of the paragraph, in bytes into the original text.
    pub start: usize,
    /// End (exclusive) of the paragraph, in bytes into the original text.
    pub end: usize,
    /// `None` for content, or the kind of boilerplate (never scored).
    pub boilerplate: Option<BoilerplateKind>,
    /// The topics the paragraph carries.
    pub labels: Vec<Topic>,
    /// The paragraph's score per topic.
    pub scores: TopicScores,
    /// What matched, with byte spans into the original text.
    pub evidence: Vec<Evidence<'a>>,
}

impl ScoredParagraph<'_> {
    fn boilerplate(paragraph: Paragraph) -> Self {
        ScoredParagraph {
            start: paragraph.start,
            end: paragraph.end,
            boilerplate: paragraph.boilerplate,
            labels: Vec::new(),
            scores: TopicScores::default(),
            evidence: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts of our own that the prefilter must not misjudge: topic words
    /// in capitals, behind meN-/peN- prefixes, in full-width letters.
    const TRICKY: &[&str] = &[
        "PEMILU DAN PILKADA\n\nBAWASLU MINTA ASN NETRAL. ASN YANG MELANGGAR DIKENAI SANKSI.",
        "Warga memilih di TPS.\n\nPencoblosan berjalan lancar dan KPU menghitung suara.",
        "Ｐｅｍｉｌｕ dan Ｐｉｌｋａｄａ\n\nＡＳＮ diminta netral.",
        "Harga cabai naik di pasar.\n\nPedagang mengeluh sepi pembeli.",
        "",
    ];

    fn same_either_way(classifier: &Classifier, text: &str) {
        let with = serde_json::to_string(&classifier.classify_with(text, true)).unwrap();
        let without = serde_json::to_string(&classifier.classify_with(text, false)).unwrap();
        assert_eq!(with, without, "{text:?}");
    }

    #[test]
    fn the_prefilter_never_changes_an_article() {
        let classifier = Classifier::default();
        for text in TRICKY {
            same_either_way(&classifier, text);
        }
        // The real corpus, when the shared reference material is there.
        let Ok(corpus) = std::fs::read_to_string("../shared/corpus/real-news.jsonl") else {
            return;
        };
        for line in corpus.lines() {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            same_either_way(&classifier, record["text"].as_str().unwrap_or_default());
        }
    }
}
