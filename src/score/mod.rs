//! Stage 5: paragraph scores with evidence, from lexicon matches.
//!
//! Each topic's score is a noisy-or of the weights of the distinct terms and
//! rules that fired for it: `1 − Π(1 − wᵢ)`, so two medium cues make a strong
//! one, and one term repeated adds nothing. A topic scores zero when the
//! article lacks a context the lexicon requires for it (an article that never
//! mentions elections has no `sanction_threat`, however often it says
//! `sanksi`).

use std::fmt;

mod evidence;

use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Deserializer, Serialize};

use evidence::{Collector, Key};
pub use evidence::{Evidence, Fired, Span};

use crate::clean::{BoilerplateKind, Paragraph};
use crate::lexicon::{Allowed, Found, Lexicon, Matches, NearHit, after_cues};
use crate::topic::Topic;

/// A score in [0, 1] for each of the eight topics.
#[derive(Clone, Copy, Default, PartialEq)]
pub struct TopicScores([f32; Topic::COUNT]);

impl TopicScores {
    /// The score of `topic`, in [0, 1].
    pub fn get(&self, topic: Topic) -> f32 {
        self.0[topic.index()]
    }

    /// The topics with a non-zero score, with their scores, in contract order.
    pub fn iter(&self) -> impl Iterator<Item = (Topic, f32)> + '_ {
        Topic::ALL
            .into_iter()
            .map(|t| (t, self.get(t)))
            .filter(|&(_, s)| s > 0.0)
    }

    pub(crate) fn set(&mut self, topic: Topic, score: f32) {
        self.0[topic.index()] = score.clamp(0.0, 1.0);
    }
}

impl fmt::Debug for TopicScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Serializes as a map of the non-zero scores, rounded to three decimals.
impl Serialize for TopicScores {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (topic, score) in self.iter() {
            map.serialize_entry(topic.id(), &round3(score))?;
        }
        map.end()
    }
}

/// Reads the map [`TopicScores`] serializes as; topics not in it score 0.
impl<'de> Deserialize<'de> for TopicScores {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = std::collections::BTreeMap::<Topic, f32>::deserialize(deserializer)?;
        let mut scores = TopicScores::default();
        for (topic, score) in map {
            scores.set(topic, score);
        }
        Ok(scores)
    }
}

fn round3(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

/// One paragraph of a classified article: its labels, scores and evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
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
    /// Every rule that fired, with the spans of its words.
    #[serde(borrow)]
    pub evidence: Vec<Evidence<'a>>,
}

impl<'a> ScoredParagraph<'a> {
    /// A paragraph with its scores, or boilerplate when it has none.
    pub(crate) fn new(paragraph: Paragraph, scored: Option<Scored<'a>>) -> Self {
        let scored = scored.unwrap_or_default();
        ScoredParagraph {
            start: paragraph.start,
            end: paragraph.end,
            boilerplate: paragraph.boilerplate,
            labels: scored.labels,
            scores: scored.scores,
            evidence: scored.evidence,
        }
    }
}

/// Scores `text` as one paragraph on its own, with `lexicon`: the topics'
/// contexts must be in the text itself, and nothing is carried over or
/// boosted from a lead. [`crate::Classifier::classify`] scores a whole
/// article, paragraph by paragraph.
///
/// ```
/// use warta::{Topic, lexicon::Lexicon};
///
/// let text = "Jelang pilkada, Bawaslu meminta ASN menjaga netralitas.";
/// let paragraph = warta::score::score(Lexicon::default_lexicon(), text);
/// assert_eq!(paragraph.labels, [Topic::NeutralityWarning]);
/// assert!(paragraph.evidence.iter().all(|e| e.topic == Topic::NeutralityWarning));
/// ```
pub fn score<'a>(lexicon: &Lexicon, text: &'a str) -> ScoredParagraph<'a> {
    let document = [Paragraph::whole(text)];
    let found = lexicon.match_paragraphs(text, &document, false);
    let allowed = lexicon.allowed_topics(&document, &found);
    let mut scored = score_paragraphs(lexicon, text, &document, &found, &allowed);
    carry_over(lexicon, &mut scored);
    let [paragraph] = document;
    ScoredParagraph::new(paragraph, scored.pop().flatten())
}

/// The scores and evidence of one paragraph.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scored<'a> {
    pub scores: TopicScores,
    pub evidence: Vec<Evidence<'a>>,
    /// A phrase pointing back to the previous paragraph, when there is one.
    pub back_reference: Option<Span<'a>>,
    /// The topics the paragraph carries (set by [`carry_over`]).
    pub labels: Vec<Topic>,
}

impl<'a> Scored<'a> {
    /// Takes on `topic` from another paragraph: the topic's score becomes
    /// `inherited` where that is higher than its own, the topic joins the
    /// labels (callers sort them), and the evidence says why (`fired`) and
    /// where (`at`).
    fn inherit(&mut self, topic: Topic, inherited: f32, fired: Fired, at: &Span<'a>) {
        self.scores
            .set(topic, self.scores.get(topic).max(inherited));
        self.labels.push(topic);
        self.evidence.push(Evidence {
            topic,
            fired,
            spans: vec![at.clone()],
            negated: false,
        });
    }
}

/// How many content paragraphs count as the title and lead.
pub(crate) const LEAD_PARAGRAPHS: usize = 2;

/// Scores every content paragraph from its matches, where the topics'
/// contexts are there; `None` for boilerplate.
pub(crate) fn score_paragraphs<'a>(
    lexicon: &Lexicon,
    text: &'a str,
    paragraphs: &[Paragraph],
    found: &[Matches],
    allowed: &[Allowed],
) -> Vec<Option<Scored<'a>>> {
    paragraphs
        .iter()
        .zip(found)
        .zip(allowed)
        .map(|((p, found), allowed)| {
            p.boilerplate
                .is_none()
                .then(|| score_paragraph(lexicon, text, found, allowed))
        })
        .collect()
}

/// A topic the title or lead carries lifts the weaker evidence for it
/// elsewhere in the article, by the topic's `lead_boost`.
pub(crate) fn boost_from_lead(lexicon: &Lexicon, scored: &mut [Option<Scored<'_>>]) {
    let lead: Vec<usize> = (0..scored.len())
        .filter(|&i| scored[i].is_some())
        .take(LEAD_PARAGRAPHS)
        .collect();
    for topic in Topic::ALL {
        let boost = lexicon.defs.topics[topic.index()].lead_boost;
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
}

/// Labels every content paragraph with the topics that reach their
/// thresholds; a paragraph that points back and has some evidence of its
/// own for a topic the previous content paragraph carries inherits it.
pub(crate) fn carry_over(lexicon: &Lexicon, scored: &mut [Option<Scored<'_>>]) {
    let mut previous: Option<usize> = None;
    for i in 0..scored.len() {
        let (before, rest) = scored.split_at_mut(i);
        let Some(current) = rest[0].as_mut() else {
            continue;
        };
        current.labels = Topic::ALL
            .into_iter()
            .filter(|&t| current.scores.get(t) >= lexicon.threshold(t))
            .collect();
        let prev = previous.and_then(|p| before[p].as_ref());
        if let (Some(prev), Some(at)) = (prev, current.back_reference.clone()) {
            inherit(lexicon, prev, current, &at);
        }
        previous = Some(i);
    }
}

/// Items of a list (`1. …`, `b) …`, `- …`) right after a content paragraph
/// that ends in a colon (the list's head: `TNI dan Polri menyatakan:`)
/// carry the head's topics at the lexicon's `list_carry_over` times its
/// score: the items are what the head announces.
pub(crate) fn continue_lists<'a>(
    lexicon: &Lexicon,
    text: &'a str,
    paragraphs: &[Paragraph],
    scored: &mut [Option<Scored<'a>>],
) {
    let share = lexicon.defs.list_carry_over;
    if share <= 0.0 {
        return;
    }
    let mut head: Option<usize> = None;
    for i in 0..scored.len() {
        if scored[i].is_none() {
            continue;
        }
        let own = text
            .get(paragraphs[i].start..paragraphs[i].end)
            .unwrap_or("");
        let marker = list_marker(own).map(|len| {
            let start = paragraphs[i].start + (own.len() - own.trim_start().len());
            Span::of(text, start, start + len)
        });
        match (head, marker) {
            (Some(h), Some(at)) => {
                let (before, rest) = scored.split_at_mut(i);
                if let (Some(head), Some(item)) = (before[h].as_ref(), rest[0].as_mut()) {
                    inherit_from_head(lexicon, share, head, item, &at);
                }
            }
            _ => head = own.trim_end().ends_with(':').then_some(i),
        }
    }
}

/// The topics list item `item`, whose marker is `at`, inherits from its
/// list's head.
fn inherit_from_head<'a>(
    lexicon: &Lexicon,
    share: f32,
    head: &Scored<'a>,
    item: &mut Scored<'a>,
    at: &Span<'a>,
) {
    for &topic in &head.labels {
        if item.labels.contains(&topic) {
            continue;
        }
        let inherited = head.scores.get(topic) * share;
        if inherited >= lexicon.threshold(topic) {
            item.inherit(topic, inherited, Fired::ListItem, at);
        }
    }
    item.labels.sort();
}

/// The length in bytes of the list marker a paragraph starts with (after
/// white space): one or two digits or a letter, then `.` or `)`, or a dash
/// or bullet; then white space.
fn list_marker(paragraph: &str) -> Option<usize> {
    let text = paragraph.trim_start();
    let bytes = text.as_bytes();
    let len = match bytes.first()? {
        b'-' | b'*' => 1,
        _ if text.starts_with('•') => '•'.len_utf8(),
        b'0'..=b'9' => {
            let digits = bytes
                .iter()
                .take(3)
                .take_while(|b| b.is_ascii_digit())
                .count();
            (digits <= 2 && matches!(bytes.get(digits), Some(b'.' | b')'))).then_some(digits + 1)?
        }
        b'a'..=b'z' => matches!(bytes.get(1), Some(b'.' | b')')).then_some(2)?,
        _ => return None,
    };
    text[len..]
        .starts_with(|c: char| c.is_whitespace())
        .then_some(len)
}

/// The topics `current`, which points back at `at`, inherits from `prev`.
fn inherit<'a>(lexicon: &Lexicon, prev: &Scored<'a>, current: &mut Scored<'a>, at: &Span<'a>) {
    for &topic in &prev.labels {
        let own = current.scores.get(topic);
        if current.labels.contains(&topic) || own <= 0.0 {
            continue;
        }
        let inherited = prev.scores.get(topic) * lexicon.defs.carry_over;
        if own.max(inherited) >= lexicon.threshold(topic) {
            current.inherit(topic, inherited, Fired::CarryOver, at);
        }
    }
    current.labels.sort();
}

/// Scores one paragraph of `text` from its matches; `allowed` says which
/// topics have the contexts they require, and which contexts are near.
fn score_paragraph<'a>(
    lexicon: &Lexicon,
    text: &'a str,
    found: &Matches,
    allowed: &Allowed,
) -> Scored<'a> {
    let mut firings = Firings {
        fired: Vec::new(),
        evidence: Collector::default(),
        near: allowed.near,
    };
    for f in &found.terms {
        fire_term(lexicon, text, f, &mut firings);
    }
    for hit in &found.near {
        fire_near_rule(lexicon, text, hit, &mut firings);
    }
    let mut scores = TopicScores::default();
    for topic in Topic::ALL.into_iter().filter(|t| allowed.topics[t.index()]) {
        let miss: f32 = firings
            .fired
            .iter()
            .filter(|&&(t, _, _)| t == topic)
            .map(|&(_, _, w)| 1.0 - w)
            .product();
        scores.set(topic, 1.0 - miss);
    }
    Scored {
        scores,
        evidence: firings.evidence.finish(&allowed.topics),
        back_reference: found
            .back_reference
            .as_ref()
            .map(|at| Span::of(text, at.start, at.end)),
        labels: Vec::new(),
    }
}

/// What fired in a paragraph: the weights that count, and the evidence.
struct Firings<'a> {
    /// Distinct (topic, source) pairs that fired, with their weights.
    fired: Vec<(Topic, Source, f32)>,
    evidence: Collector<'a>,
    /// The contexts (bit `c` for context `c`) in or next to the paragraph.
    near: u64,
}

impl Firings<'_> {
    /// Whether an entry that needs one of the contexts `mask` (none: 0)
    /// near the paragraph counts here.
    fn nearby(&self, mask: u64) -> bool {
        mask == 0 || mask & self.near != 0
    }

    /// Counts `weight` for `topic` unless `source` already counted for it.
    fn fire(&mut self, topic: Topic, source: Source, weight: f32) {
        if !self
            .fired
            .iter()
            .any(|&(t, s, _)| t == topic && s == source)
        {
            self.fired.push((topic, source, weight));
        }
    }
}

/// A match of a term: its weight, and its span as evidence.
fn fire_term<'a>(lexicon: &Lexicon, text: &'a str, f: &Found, firings: &mut Firings<'a>) {
    let term = &lexicon.defs.terms[f.term as usize];
    if !firings.nearby(term.requires_nearby) {
        return;
    }
    let cues = (f.negated, f.hypothetical);
    let Some(topic) = after_cues(term.topic, (term.negated, term.hypothetical), cues) else {
        return;
    };
    let source = term
        .once_in_block
        .map_or(Source::Term(f.term), Source::Block);
    firings.fire(topic, source, term.weight);
    firings.evidence.add(
        (topic, Key::Term(f.term), f.negated),
        || Fired::Term(term.text.clone()),
        Span::of(text, f.start, f.end),
    );
}

/// A proximity rule whose words came together (matching found its anchor
/// and the words near it): its weight, and their spans as evidence, where
/// the contexts it requires nearby are there.
fn fire_near_rule<'a>(lexicon: &Lexicon, text: &'a str, hit: &NearHit, firings: &mut Firings<'a>) {
    let rule = &lexicon.defs.rules[hit.rule as usize];
    if !firings.nearby(rule.requires_nearby) {
        return;
    }
    firings.fire(hit.topic, Source::Rule(hit.rule), rule.weight);
    for at in &hit.spans {
        firings.evidence.add(
            (hit.topic, Key::Rule(hit.rule), hit.negated),
            || Fired::Near(rule.name.clone()),
            Span::of(text, at.start, at.end),
        );
    }
}

/// Where a topic's weight came from, so each term or rule counts once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Term(u32),
    /// Any term of a block whose terms count once.
    Block(u32),
    Rule(u32),
}
