//! Evidence: what fired for a topic in a paragraph, and where.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::topic::Topic;

/// One rule firing for a topic in a paragraph: which term or rule it was,
/// and every span of the paragraph where its words matched.
///
/// ```
/// use warta::{Classifier, Fired};
///
/// let text = "Jelang pilkada, ASN yang melanggar netralitas dikenai sanksi.";
/// let article = Classifier::default().classify(text);
/// let evidence = &article.paragraphs[0].evidence;
/// let sanksi = evidence.iter().find(|e| e.fired == Fired::Term("sanksi".into())).unwrap();
/// assert_eq!(sanksi.spans[0].text, "sanksi");
/// assert_eq!(&text[sanksi.spans[0].start..sanksi.spans[0].end], "sanksi");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Evidence<'a> {
    /// The topic the firing counts for.
    pub topic: Topic,
    /// What fired: a lexicon term, a proximity rule, or a carry-over.
    pub fired: Fired,
    /// Where its words matched, in text order, each span once.
    #[serde(borrow)]
    pub spans: Vec<Span<'a>>,
    /// Whether a negation cue stood just before the (first) match, so that
    /// the lexicon's `negated` setting decided the topic.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub negated: bool,
}

/// What fired for a piece of [`Evidence`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Fired {
    /// A lexicon term, as the lexicon writes it (`sanksi`, `=terbukti`).
    Term(String),
    /// A proximity rule (`[[near]]`), by its name.
    Near(String),
    /// The paragraph points back to the previous one (`hal ini`) and
    /// inherits its topic; the span is the pointing phrase.
    CarryOver,
    /// The paragraph is an item of a list (`1. …`) whose head, the
    /// paragraph before the list that ends in a colon, carries the topic;
    /// the span is the item's marker.
    ListItem,
}

/// A matched stretch of the original text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Span<'a> {
    /// Start of the span, in bytes into the original text (in chars after
    /// [`crate::Article::with_offsets`] with [`crate::Offsets::Chars`]).
    pub start: usize,
    /// End (exclusive) of the span, in the same unit as `start`.
    pub end: usize,
    /// The matched words as written in the original text; borrowed from
    /// it.
    #[serde(borrow)]
    pub text: Cow<'a, str>,
}

impl<'a> Span<'a> {
    /// The span `start..end` (bytes) of `text`.
    pub(crate) fn of(text: &'a str, start: usize, end: usize) -> Self {
        Span {
            start,
            end,
            text: Cow::Borrowed(text.get(start..end).unwrap_or_default()),
        }
    }
}

/// Gathers one [`Evidence`] per (topic, term or rule, negation) of a
/// paragraph, with each span once.
#[derive(Debug, Default)]
pub(crate) struct Collector<'a> {
    entries: Vec<(Key, Evidence<'a>)>,
}

/// What tells two firings apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    Term(u32),
    Rule(u32),
}

impl<'a> Collector<'a> {
    /// Adds `span` to the entry for `key`, made with `fired` when it is
    /// new. Constant time but for the search among the paragraph's
    /// entries (one per term or rule that fired).
    pub fn add(
        &mut self,
        (topic, key, negated): (Topic, Key, bool),
        fired: impl FnOnce() -> Fired,
        span: Span<'a>,
    ) {
        let found = self
            .entries
            .iter()
            .position(|(k, e)| *k == key && e.topic == topic && e.negated == negated);
        #[cfg(test)]
        WORK.with(|n| n.set(n.get() + 1 + found.unwrap_or(self.entries.len())));
        let i = found.unwrap_or_else(|| {
            let evidence = Evidence {
                topic,
                fired: fired(),
                spans: Vec::new(),
                negated,
            };
            self.entries.push((key, evidence));
            self.entries.len() - 1
        });
        // Repeated spans go in `finish`: a search here would make a dense
        // paragraph's evidence quadratic in its matches.
        self.entries[i].1.spans.push(span);
    }

    /// The entries for the `allowed` topics, spans in text order, entries
    /// by their first span.
    pub fn finish(self, allowed: &[bool; Topic::COUNT]) -> Vec<Evidence<'a>> {
        let mut evidence: Vec<Evidence<'a>> = self
            .entries
            .into_iter()
            .map(|(_, e)| e)
            .filter(|e| allowed[e.topic.index()])
            .collect();
        for e in &mut evidence {
            e.spans.sort_by_key(|s| (s.start, s.end));
            e.spans.dedup_by_key(|s| (s.start, s.end));
        }
        evidence.sort_by_key(|e| {
            let first = e.spans.first().map_or((0, 0), |s| (s.start, s.end));
            (first, e.topic)
        });
        evidence
    }
}

#[cfg(test)]
thread_local! {
    /// Entries and spans looked at by [`Collector::add`] on this thread.
    static WORK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
mod tests {
    use super::WORK;
    use crate::Classifier;

    #[test]
    fn a_dense_paragraph_collects_its_evidence_in_linear_work() {
        // One paragraph of on-topic sentences repeated: every sentence adds
        // spans to the same few entries. Four times the sentences must
        // take about four times the work (it was quadratic: a search
        // among the entry's spans for each new one).
        let sentence = "Bawaslu meminta ASN menjaga netralitas dalam pemilu, \
                        yang melanggar dikenai sanksi disiplin. ";
        let classifier = Classifier::default();
        let work = |repeats: usize| {
            let text = sentence.repeat(repeats);
            WORK.with(|n| n.set(0));
            let article = classifier.classify(&text);
            let spans: usize = article.paragraphs[0]
                .evidence
                .iter()
                .map(|e| e.spans.len())
                .sum();
            assert!(spans >= repeats, "{spans} spans for {repeats} sentences");
            WORK.with(|n| n.get())
        };
        let (small, large) = (work(1_000), work(4_000));
        assert!(
            large < 6 * small,
            "{small} units of work for 1,000 sentences, {large} for 4,000"
        );
    }
}
