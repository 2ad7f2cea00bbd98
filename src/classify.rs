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
//! The article carries every topic one of its paragraphs carries, and its
//! score for a topic is the highest score a content paragraph has for it
//! (after carry-over and the lead boost): the article says a thing as
//! strongly as its strongest paragraph says it. So an article carries a
//! topic exactly when its score reaches the topic's threshold, as each
//! paragraph does.

use std::path::Path;
use std::sync::{Arc, LazyLock};

use serde::Serialize;

use crate::clean::{self, BoilerplateKind, Dateline, Paragraph, SignOff};
use crate::lexicon::{self, Found, Lexicon, LoadError};
use crate::score::{self, Evidence, Reason, Scored, TopicScores};
use crate::topic::Topic;

/// Scores articles for the eight topics with a lexicon.
///
/// Cheap to clone and shareable across threads.
#[derive(Debug, Clone)]
pub struct Classifier {
    lexicon: Arc<Lexicon>,
}

static DEFAULT: LazyLock<Classifier> =
    LazyLock::new(|| Classifier::with_lexicon(lexicon::DEFAULT.clone()));

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
        Classifier { lexicon }
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
        let may_carry_topics = !prefilter
            || lexicon.may_carry_topics_in(
                text,
                document
                    .paragraphs
                    .iter()
                    .filter(|p| p.boilerplate.is_none())
                    .flat_map(scored_segments),
            );
        let found: Vec<Vec<Found>> = document
            .paragraphs
            .iter()
            .map(|p| {
                if p.boilerplate.is_some() || !may_carry_topics {
                    return Vec::new();
                }
                let found = lexicon.find_in(text, scored_segments(p));
                for f in &found {
                    if let lexicon::Target::Context(c) = f.m.target {
                        context_hits[c as usize] += 1;
                    }
                }
                found
            })
            .collect();
        let allowed: [bool; Topic::COUNT] = std::array::from_fn(|t| {
            lexicon.topics[t]
                .requires
                .iter()
                .all(|&c| context_hits[c] >= lexicon.contexts[c].min_hits)
        });

        // Pass 2: scores of every content paragraph, where the topic's
        // contexts are there (in the article, and near the paragraph).
        let near = nearby_contexts(&document.paragraphs, &found);
        let mut scored: Vec<Option<Scored<'a>>> = document
            .paragraphs
            .iter()
            .zip(&found)
            .zip(&near)
            .map(|((p, found), near)| {
                let allowed: [bool; Topic::COUNT] = std::array::from_fn(|t| {
                    let nearby = &lexicon.topics[t].requires_nearby;
                    allowed[t] && (nearby.is_empty() || nearby.iter().any(|&c| near >> c & 1 == 1))
                });
                p.boilerplate
                    .is_none()
                    .then(|| score::score_paragraph(lexicon, found, &allowed, *near))
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
}

/// How many content paragraphs count as the title and lead.
const LEAD_PARAGRAPHS: usize = 2;

/// For each paragraph, which contexts (bit `c` for context `c`) match in it
/// or in the content paragraph before or after it.
fn nearby_contexts(paragraphs: &[Paragraph], found: &[Vec<Found>]) -> Vec<u64> {
    let own: Vec<u64> = found
        .iter()
        .map(|found| {
            found.iter().fold(0, |hits, f| match f.m.target {
                lexicon::Target::Context(c) => hits | 1 << c,
                _ => hits,
            })
        })
        .collect();
    let content: Vec<usize> = (0..paragraphs.len())
        .filter(|&i| paragraphs[i].boilerplate.is_none())
        .collect();
    let mut near = vec![0; paragraphs.len()];
    for (k, &i) in content.iter().enumerate() {
        let neighbours = &content[k.saturating_sub(1)..(k + 2).min(content.len())];
        near[i] = neighbours.iter().fold(0, |hits, &j| hits | own[j]);
    }
    near
}

/// The byte ranges of a content paragraph that are scored: all of it but
/// its cuts (dateline, sign-off, inline markers).
fn scored_segments(paragraph: &Paragraph) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut start = paragraph.start;
    let mut cuts = paragraph.cuts.iter();
    std::iter::from_fn(move || {
        for cut in cuts.by_ref() {
            let end = cut.start.clamp(start, paragraph.end);
            let segment = start..end;
            start = start.max(cut.end);
            if !segment.is_empty() {
                return Some(segment);
            }
        }
        let segment = start..paragraph.end;
        start = paragraph.end;
        (!segment.is_empty()).then_some(segment)
    })
}

/// Article labels and scores from its paragraphs (see the module docs).
fn aggregate(paragraphs: &[ScoredParagraph<'_>]) -> (Vec<Topic>, TopicScores) {
    let mut labels = Vec::new();
    let mut scores = TopicScores::default();
    for topic in Topic::ALL {
        let mut best = 0.0f32;
        let mut carried = false;
        for p in paragraphs.iter().filter(|p| p.boilerplate.is_none()) {
            best = best.max(p.scores.get(topic));
            carried |= p.labels.contains(&topic);
        }
        scores.set(topic, best);
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
        // One election word: below the context's `min_hits`.
        "Jelang pemilu, ASN diminta netral.\n\nYang melanggar dikenai sanksi disiplin.",
        "Jelang pemilu, ASN diminta netral.\n\nBawaslu mengancam sanksi bagi pelanggar.",
        // Election words in boilerplate only, which is never matched.
        "ASN diminta netral dan diancam sanksi.\n\nBaca juga: Bawaslu awasi pemilu dan pilkada",
        "",
    ];

    fn same_either_way(classifier: &Classifier, text: &str) {
        let with = serde_json::to_string(&classifier.classify_with(text, true)).unwrap();
        let without = serde_json::to_string(&classifier.classify_with(text, false)).unwrap();
        assert_eq!(with, without, "{text:?}");
    }

    #[test]
    fn the_prefilter_counts_the_hits_a_context_needs() {
        let lexicon = Classifier::default().lexicon;
        // The election context needs two hits; `pemilu` alone is one.
        assert!(!lexicon.may_carry_topics(TRICKY[4]));
        assert!(lexicon.may_carry_topics(TRICKY[5]));
        // Two words of one term, or one word written twice.
        assert!(lexicon.may_carry_topics("Pemilu dan pemilu lagi."));
        assert!(!lexicon.may_carry_topics("Tim kampanye datang."));
        assert!(lexicon.may_carry_topics("Tim kampanye datang ke TPS."));
        assert!(!lexicon.may_carry_topics("Harga cabai naik di pasar."));
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
