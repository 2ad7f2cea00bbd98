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
//! Items of a list (`1. …`) right after a paragraph that ends in a colon
//! carry that paragraph's topics (lexicon setting `list_carry_over`).
//!
//! The article carries every topic one of its paragraphs carries, and its
//! score for a topic is the highest score a content paragraph has for it
//! (after carry-over and the lead boost): the article says a thing as
//! strongly as its strongest paragraph says it. So an article carries a
//! topic exactly when its score reaches the topic's threshold, as each
//! paragraph does.

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use serde::{Deserialize, Serialize};

pub use crate::offsets::Offsets;

use crate::clean::{self, Dateline, SignOff};
use crate::lexicon::{self, Lexicon, LoadError};
use crate::score::{self, ScoredParagraph, TopicScores};
use crate::topic::Topic;

/// Scores articles for the eight topics with a lexicon.
///
/// Cheap to clone and shareable across threads.
#[derive(Debug, Clone)]
pub struct Classifier {
    lexicon: Arc<Lexicon>,
}

static DEFAULT: LazyLock<Classifier> = LazyLock::new(|| Classifier {
    lexicon: lexicon::DEFAULT.clone(),
});

impl Default for Classifier {
    /// A classifier with the embedded default lexicon.
    fn default() -> Self {
        DEFAULT.clone()
    }
}

impl From<Lexicon> for Classifier {
    fn from(lexicon: Lexicon) -> Self {
        Classifier::new(lexicon)
    }
}

/// Builds a [`Classifier`] with another lexicon; the lexicon is read and
/// compiled in [`ClassifierBuilder::build`].
#[derive(Debug, Default)]
pub struct ClassifierBuilder {
    lexicon: Option<LexiconSource>,
}

/// Where the builder's lexicon comes from.
#[derive(Debug)]
enum LexiconSource {
    File(PathBuf),
    Toml { source: String, origin: String },
}

impl ClassifierBuilder {
    /// Uses the lexicon in the TOML file at `path`. A file that starts with
    /// `extends = "default"` adds to the default lexicon; otherwise it
    /// replaces it.
    pub fn lexicon_file(mut self, path: impl AsRef<Path>) -> Self {
        self.lexicon = Some(LexiconSource::File(path.as_ref().to_owned()));
        self
    }

    /// Uses the lexicon in TOML `source`; `origin` names it in errors.
    pub fn lexicon_toml(mut self, source: &str, origin: &str) -> Self {
        self.lexicon = Some(LexiconSource::Toml {
            source: source.to_owned(),
            origin: origin.to_owned(),
        });
        self
    }

    /// Reads and compiles the lexicon and builds the classifier, or says
    /// what is wrong with the lexicon.
    ///
    /// ```
    /// use warta::lexicon::LoadError;
    ///
    /// let err = warta::Classifier::builder()
    ///     .lexicon_toml("[topic.neutrality_warning]\nthreshold = 2.0\n", "mine.toml")
    ///     .build()
    ///     .unwrap_err();
    /// assert!(matches!(&err, LoadError::Invalid(d) if d.line == 2));
    /// assert!(err.to_string().starts_with("mine.toml:2:"));
    /// ```
    pub fn build(self) -> Result<Classifier, LoadError> {
        let lexicon = match self.lexicon {
            None => return Ok(Classifier::default()),
            Some(LexiconSource::File(path)) => Lexicon::from_file(path)?,
            Some(LexiconSource::Toml { source, origin }) => Lexicon::from_toml(&source, &origin)?,
        };
        Ok(Classifier::new(lexicon))
    }
}

impl Classifier {
    /// A classifier that scores with `lexicon`.
    ///
    /// ```
    /// use warta::{Classifier, lexicon::Lexicon};
    ///
    /// let lexicon = Lexicon::from_toml("extends = \"default\"\n", "mine.toml")?;
    /// let classifier = Classifier::new(lexicon);
    /// assert!(classifier.classify("Pemilu damai.").labels.is_empty());
    /// # Ok::<(), warta::Diagnostic>(())
    /// ```
    pub fn new(lexicon: Lexicon) -> Self {
        Classifier {
            lexicon: Arc::new(lexicon),
        }
    }

    /// Starts building a classifier with a lexicon of your own.
    pub fn builder() -> ClassifierBuilder {
        ClassifierBuilder::default()
    }

    /// The lexicon this classifier scores with.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Classifies one article: every paragraph, with scores and evidence.
    /// The article borrows `text` (its spans point into it), not the
    /// classifier.
    ///
    /// ```
    /// use warta::{Article, Classifier, Topic};
    ///
    /// fn classify(text: &str) -> Article<'_> {
    ///     Classifier::default().classify(text)
    /// }
    /// let text = "Bawaslu Minta ASN Netral\n\nJelang pilkada, ASN diminta menjaga netralitas.";
    /// let article = classify(text);
    /// assert_eq!(article.labels, [Topic::NeutralityWarning]);
    /// assert!(article.paragraphs[1].labels.contains(&Topic::NeutralityWarning));
    /// ```
    pub fn classify<'a>(&self, text: &'a str) -> Article<'a> {
        self.classify_with(text, true)
    }

    /// Classifies one article; `prefilter` allows skipping the matching of
    /// an article that shows no trace of a context every topic requires
    /// (the result is the same either way).
    fn classify_with<'a>(&self, text: &'a str, prefilter: bool) -> Article<'a> {
        let lexicon = &*self.lexicon;
        let document = clean::clean(text);
        let found = lexicon.match_paragraphs(text, &document.paragraphs, prefilter);
        let allowed = lexicon.allowed_topics(&document.paragraphs, &found);
        let mut scored =
            score::score_paragraphs(lexicon, text, &document.paragraphs, &found, &allowed);
        // A record of many short paragraphs holds more per paragraph than
        // its text: what is done with goes before the article is built.
        drop((found, allowed));
        score::boost_from_lead(lexicon, &mut scored);
        score::carry_over(lexicon, &mut scored);
        score::continue_lists(lexicon, text, &document.paragraphs, &mut scored);
        let paragraphs: Vec<ScoredParagraph<'a>> = document
            .paragraphs
            .into_iter()
            .zip(scored)
            .map(|(paragraph, scored)| ScoredParagraph::new(paragraph, scored))
            .collect();
        let (labels, scores) = aggregate(&paragraphs);
        Article {
            text,
            offsets: Offsets::Bytes,
            labels,
            scores,
            dateline: document.dateline,
            sign_off: document.sign_off,
            paragraphs,
        }
    }
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

/// A classified article: every paragraph with its labels, scores and
/// evidence. It borrows the text it was classified from, nothing else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Article<'a> {
    #[serde(skip)]
    text: &'a str,
    /// The unit of every offset in the article: bytes (as classified) or
    /// chars (see [`Article::with_offsets`]).
    pub offsets: Offsets,
    /// The topics the article carries: those of its paragraphs.
    pub labels: Vec<Topic>,
    /// The article's score per topic (see the module docs).
    pub scores: TopicScores,
    /// The dateline split off the first content paragraph.
    pub dateline: Option<Dateline>,
    /// The sign-off split off the last content paragraph.
    pub sign_off: Option<SignOff>,
    /// Every paragraph, boilerplate included, in text order.
    #[serde(borrow)]
    pub paragraphs: Vec<ScoredParagraph<'a>>,
}

impl<'a> Article<'a> {
    /// The original text the offsets point into; empty for an article read
    /// back with `Deserialize`.
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
        // The words of election phrases, but apart: one match (`pemilu`).
        "Tim kami menang. Masa depan desa dibahas oleh calon ketua dan bupati.\n\nPemilihan ketua RT. Umum diketahui, ASN diminta netral menjelang pemilu.",
        // A phrase across punctuation counts; across a sentence break not.
        "Pemilihan, umum digelar. ASN dilarang berpihak dan diancam sanksi.",
        "Pemilihan. Umum digelar, ASN dilarang berpihak dan diancam sanksi di pemilu.",
        // Words glued to an amount, a URL, a hyphen or a quote.
        "Rp 20.000pemilu dibagikan. Lihat https://pemilu.go.id/pilkada, ASN dilarang berpihak.",
        "KPU-Bawaslu meminta ASN netral; (Pilkada) dan \"pemilu\" disebut.",
        "Tim-tim kampanye mendatangi PEMILIH di TPS; ASN diminta netral dan diancam sanksi.",
        // Nasalized and affixed forms of phrase words.
        "Pemilihannya umum dan memilih kepala daerah; ASN diminta netral, tim pemenangan dilaporkan.",
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
        // The words of two terms, each in another phrase: no term matches.
        assert!(!lexicon.may_carry_topics(
            "Tim kami menang. Masa depan kampanye desa dibahas calon ketua dan bupati."
        ));
        assert!(!lexicon.may_carry_topics("Pemilihan ketua kelas. Umum diketahui hasilnya."));
        // A trace inside a longer word or a URL is no word of the term.
        assert!(!lexicon.may_carry_topics("Buka https://contoh.id dan https://tps-online.id."));
        assert!(lexicon.may_carry_topics("Pemilihan, umum! Pemilihan umum."));
        assert!(lexicon.may_carry_topics("Masa kampanye dan pemilu."));
        assert!(lexicon.may_carry_topics("Pemilihan kepala daerah dan pemilihan kepala desa."));
    }

    #[test]
    fn the_prefilter_takes_time_linear_in_a_text_of_many_traces() {
        let classifier = Classifier::default();
        // Runs of blanks and commas that each hold a first word of a term
        // (`tim` of `tim pemenangan`), with enough of the other words for
        // the byte search to let the text through: each run is matched
        // once, a run too long to match is left to matching, and either
        // way the article is the one matching alone gives.
        let spaced = format!("{}menang menang pemilu ASN netral", "tim ".repeat(100_000));
        let glued = format!("{} menang menang pemilu ASN netral", "tim,".repeat(100_000));
        let trailing = format!("tim{} menang pemilu ASN netral", ",".repeat(100_000));
        for text in [spaced, glued, trailing] {
            same_either_way(&classifier, &text);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Texts of election words and the words of its phrases, apart and
        /// together, in every case, glued to punctuation, amounts, URLs and
        /// hyphens: matching with the prefilter gives what matching without
        /// it gives.
        #[test]
        fn the_prefilter_never_changes_a_text_of_election_words(
            text in crate::lexicon::election_text(),
        ) {
            let classifier = Classifier::default();
            same_either_way(&classifier, &text);
        }
    }

    #[test]
    fn the_prefilter_never_changes_an_article() {
        let classifier = Classifier::default();
        for text in TRICKY {
            same_either_way(&classifier, text);
        }
    }

    #[test]
    #[ignore = "needs ../shared"]
    fn the_prefilter_never_changes_a_real_article() {
        let classifier = Classifier::default();
        let path = "../shared/corpus/real-news.jsonl";
        let corpus = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        for line in corpus.lines() {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            same_either_way(&classifier, record["text"].as_str().unwrap_or_default());
        }
    }
}
