//! Scoring paragraph labels against gold annotations.
//!
//! This computes exactly what the project's reference scorer `score.py`
//! computes, figure for figure: system paragraphs are aligned to gold ones
//! by the largest byte overlap; boilerplate paragraphs carry no topics;
//! per-topic precision, recall and F1 are rounded to three decimals; the
//! macro F1 averages the topics that have gold support.
//!
//! The scorer takes plain structs, so it does not depend on the classifier:
//! [`read_gold`] reads the gold file, the caller turns its own output into
//! [`SystemArticle`]s, and [`score`] returns a [`Report`].

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::{self, BufRead, Read};

use serde::{Deserialize, Serialize, Serializer};

use crate::topic::Topic;

/// One gold article: its text and its annotated paragraphs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GoldArticle {
    /// The article id, as text (a number id is written as JSON writes it).
    #[serde(deserialize_with = "id_as_text")]
    pub id: String,
    /// The article text the offsets point into.
    pub text: String,
    /// The annotated paragraphs.
    pub paragraphs: Vec<GoldParagraph>,
}

/// One annotated gold paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GoldParagraph {
    /// Start of the paragraph, in bytes into the article text.
    pub start: usize,
    /// End (exclusive) of the paragraph, in bytes into the article text.
    pub end: usize,
    /// `None` for content, or the boilerplate kind id.
    pub boilerplate: Option<String>,
    /// The topic ids the paragraph carries.
    pub topics: Vec<String>,
}

/// One system article to score: its id and its paragraphs, or `None` for
/// paragraphs when the system produced none (an error record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemArticle {
    /// The article id, compared with [`GoldArticle::id`].
    pub id: String,
    /// The predicted paragraphs, or `None` when the article is missing.
    pub paragraphs: Option<Vec<SystemParagraph>>,
}

/// One predicted paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SystemParagraph {
    /// Start of the paragraph, in bytes into the article text.
    pub start: usize,
    /// End (exclusive) of the paragraph, in bytes into the article text.
    pub end: usize,
    /// `None` for content, or the boilerplate kind id.
    #[serde(default)]
    pub boilerplate: Option<String>,
    /// The predicted topic ids.
    #[serde(default)]
    pub labels: Vec<String>,
}

/// The longest gold line [`read_gold`] reads, in bytes (64 MiB, as
/// [`crate::jsonl::DEFAULT_MAX_LINE_BYTES`]): a file without line breaks
/// (`/dev/zero`) is refused instead of filling memory.
pub const MAX_GOLD_LINE_BYTES: usize = crate::jsonl::DEFAULT_MAX_LINE_BYTES;

/// The error returned when a gold file cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GoldError {
    /// Reading failed.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// A line is not a gold article.
    #[error("line {line}")]
    Line {
        /// The 1-based line number.
        line: usize,
        /// What is wrong with it.
        source: serde_json::Error,
    },
    /// A line is longer than [`MAX_GOLD_LINE_BYTES`].
    #[error("line {line}: longer than {limit} bytes")]
    LineTooLong {
        /// The 1-based line number.
        line: usize,
        /// The limit, in bytes.
        limit: usize,
    },
    /// A line holds bytes that are not UTF-8.
    #[error("line {line}: invalid UTF-8 at byte {offset} of the line")]
    InvalidUtf8 {
        /// The 1-based line number.
        line: usize,
        /// Where the first invalid sequence starts, in bytes into the line.
        offset: usize,
    },
    /// Two articles have the same id: the second could not be told apart
    /// from the first when scoring.
    #[error("line {line}: id {id:?} is already the id of line {first}")]
    DuplicateId {
        /// The 1-based line number of the second article.
        line: usize,
        /// The 1-based line number of the first.
        first: usize,
        /// The id.
        id: String,
    },
    /// A paragraph names a topic that does not exist.
    #[error("line {line}: unknown topic {topic:?} (topics: {known})", known = topic_ids())]
    UnknownTopic {
        /// The 1-based line number.
        line: usize,
        /// The name as written.
        topic: String,
    },
    /// A paragraph's span is not a range of the text on char boundaries.
    #[error("line {line}: paragraph {start}..{end} {problem}")]
    BadSpan {
        /// The 1-based line number.
        line: usize,
        /// The paragraph's start.
        start: usize,
        /// The paragraph's end.
        end: usize,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The file holds no article: every figure would be vacuous.
    #[error("no gold articles")]
    Empty,
}

fn topic_ids() -> String {
    Topic::ALL.map(Topic::id).join(", ")
}

/// Reads gold articles, one JSON object per non-blank line (a UTF-8 byte
/// order mark before the first is skipped).
///
/// Refuses, with the line: lines longer than [`MAX_GOLD_LINE_BYTES`],
/// invalid UTF-8, invalid JSON, a repeated id, an unknown topic, and a
/// paragraph that is not a range of its text on char boundaries; and a
/// file with no article at all.
pub fn read_gold<R: BufRead>(mut reader: R) -> Result<Vec<GoldArticle>, GoldError> {
    let mut gold = Vec::new();
    let mut lines_of_ids: HashMap<String, usize> = HashMap::new();
    let mut buf = Vec::new();
    let mut line = 0;
    loop {
        buf.clear();
        let limit = MAX_GOLD_LINE_BYTES as u64 + 1;
        let read = (&mut reader).take(limit).read_until(b'\n', &mut buf)?;
        if read == 0 {
            break;
        }
        line += 1;
        if buf.last() == Some(&b'\n') {
            buf.pop();
        } else if buf.len() > MAX_GOLD_LINE_BYTES {
            let limit = MAX_GOLD_LINE_BYTES;
            return Err(GoldError::LineTooLong { line, limit });
        }
        let bytes = match buf.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) if line == 1 => rest,
            _ => &buf[..],
        };
        let text = std::str::from_utf8(bytes).map_err(|e| GoldError::InvalidUtf8 {
            line,
            offset: e.valid_up_to(),
        })?;
        if text.trim().is_empty() {
            continue;
        }
        let article: GoldArticle =
            serde_json::from_str(text).map_err(|source| GoldError::Line { line, source })?;
        check_article(&article, line)?;
        if let Some(&first) = lines_of_ids.get(&article.id) {
            let id = article.id;
            return Err(GoldError::DuplicateId { line, first, id });
        }
        lines_of_ids.insert(article.id.clone(), line);
        gold.push(article);
    }
    if gold.is_empty() {
        return Err(GoldError::Empty);
    }
    Ok(gold)
}

/// Checks the topics and spans of the article read from `line`.
fn check_article(article: &GoldArticle, line: usize) -> Result<(), GoldError> {
    for p in &article.paragraphs {
        let problem = if p.start > p.end {
            Some("starts after it ends")
        } else if p.end > article.text.len() {
            Some("ends past the text")
        } else if !article.text.is_char_boundary(p.start) || !article.text.is_char_boundary(p.end) {
            Some("is not on char boundaries")
        } else {
            None
        };
        if let Some(problem) = problem {
            let (start, end) = (p.start, p.end);
            return Err(GoldError::BadSpan {
                line,
                start,
                end,
                problem,
            });
        }
        if let Some(topic) = p
            .topics
            .iter()
            .find(|t| !Topic::ALL.iter().any(|k| k.id() == *t))
        {
            let topic = topic.clone();
            return Err(GoldError::UnknownTopic { line, topic });
        }
    }
    Ok(())
}

/// Reads an id as text: a string as is, any other value as JSON writes it.
fn id_as_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    })
}

/// Precision, recall, F1 (rounded to three decimals) and support of one topic.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TopicFigures {
    /// Precision.
    pub p: f64,
    /// Recall.
    pub r: f64,
    /// F1.
    pub f1: f64,
    /// Gold paragraphs with the topic (true positives + false negatives).
    pub support: usize,
}

/// How well boilerplate was told from content.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BoilerplateFigures {
    /// Precision of "is boilerplate".
    pub p: f64,
    /// Recall of "is boilerplate".
    pub r: f64,
    /// F1 of "is boilerplate".
    pub f1: f64,
    /// Share of gold boilerplate paragraphs given the right kind; `None`
    /// when the gold has no boilerplate.
    pub kind_acc: Option<f64>,
}

/// One gold paragraph the system got wrong (labels or boilerplate-ness).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ParagraphError {
    /// The article id.
    pub id: String,
    /// Start of the gold paragraph, in bytes into the article text.
    pub start: usize,
    /// The gold boilerplate kind.
    pub gold_boilerplate: Option<String>,
    /// The gold topics, sorted (empty for boilerplate).
    pub gold_topics: Vec<String>,
    /// The aligned system paragraph's boilerplate kind.
    pub system_boilerplate: Option<String>,
    /// The aligned system paragraph's labels, sorted (empty for boilerplate).
    pub system_labels: Vec<String>,
}

/// The figures of one scoring run; serializes to the JSON of `score.py --json`.
///
/// `Display` writes `score.py`'s text report; the alternate form (`{:#}`)
/// adds one `ERR` line per paragraph error, as `score.py --errors` does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Report {
    /// Figures per topic, in the order of [`Topic::ALL`].
    pub topics: BTreeMap<Topic, TopicFigures>,
    /// F1 over all topic decisions pooled.
    pub micro_f1: f64,
    /// Mean F1 of the topics with gold support (0 when none has).
    pub macro_f1: f64,
    /// Boilerplate detection figures.
    pub boilerplate: BoilerplateFigures,
    /// Gold articles with no system article.
    pub missing_articles: usize,
    /// Gold paragraphs no system paragraph overlaps.
    pub unaligned_paragraphs: usize,
    /// Gold paragraphs scored wrong; serialized as their count (and so
    /// empty in a report read back with `Deserialize`).
    #[serde(
        rename = "errors",
        serialize_with = "serialize_len",
        skip_deserializing
    )]
    pub paragraph_errors: Vec<ParagraphError>,
}

fn serialize_len<S: Serializer>(
    errors: &[ParagraphError],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_u64(errors.len() as u64)
}

/// True positives, false positives, false negatives.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn add(&mut self, gold: bool, system: bool) {
        match (gold, system) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => {}
        }
    }

    /// Precision, recall and F1, unrounded, with `score.py`'s conventions
    /// for empty denominators.
    fn prf(self) -> (f64, f64, f64) {
        let (tp, fp, fn_) = (self.tp as f64, self.fp as f64, self.fn_ as f64);
        let p = if self.tp + self.fp > 0 {
            tp / (tp + fp)
        } else if self.fn_ == 0 {
            1.0
        } else {
            0.0
        };
        let r = if self.tp + self.fn_ > 0 {
            tp / (tp + fn_)
        } else {
            1.0
        };
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }
}

/// Rounds to three decimals as Python's `round(x, 3)` does: to the nearest
/// decimal of the exact binary value, ties to even.
fn round3(x: f64) -> f64 {
    format!("{x:.3}").parse().unwrap_or(x)
}

/// Scores `system` against `gold`.
///
/// Each gold article is matched to the system article with the same id
/// (the last one, if several have it), or else to the system article at the
/// same position.
pub fn score(gold: &[GoldArticle], system: &[SystemArticle]) -> Report {
    let by_id: HashMap<&str, &SystemArticle> = system.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut tally = Tally::default();
    for (i, g) in gold.iter().enumerate() {
        let paragraphs = match by_id.get(g.id.as_str()).copied().or_else(|| system.get(i)) {
            Some(SystemArticle {
                paragraphs: Some(paragraphs),
                ..
            }) => paragraphs.as_slice(),
            _ => {
                tally.missing_articles += 1;
                &[]
            }
        };
        for gp in &g.paragraphs {
            tally.add(&g.id, gp, align(gp, paragraphs));
        }
    }
    tally.report()
}

/// The counts of a scoring run, paragraph by paragraph.
#[derive(Default)]
struct Tally {
    topics: [Counts; Topic::COUNT],
    boilerplate: Counts,
    kind_ok: usize,
    kind_n: usize,
    missing_articles: usize,
    unaligned_paragraphs: usize,
    paragraph_errors: Vec<ParagraphError>,
}

impl Tally {
    /// Counts gold paragraph `gp` of article `id` against its aligned
    /// system paragraph `sp`.
    fn add(&mut self, id: &str, gp: &GoldParagraph, sp: Option<&SystemParagraph>) {
        if sp.is_none() {
            self.unaligned_paragraphs += 1;
        }
        let sys_b = sp
            .and_then(|p| p.boilerplate.as_deref())
            .filter(|b| !b.is_empty());
        let gold_b = gp.boilerplate.as_deref().filter(|b| !b.is_empty());
        self.boilerplate.add(gold_b.is_some(), sys_b.is_some());
        if let Some(gold_b) = gold_b {
            self.kind_n += 1;
            self.kind_ok += usize::from(sys_b == Some(gold_b));
        }
        let gold_labels = match gold_b {
            Some(_) => Vec::new(),
            None => label_set(&gp.topics),
        };
        let sys_labels = match (sys_b, sp) {
            (None, Some(sp)) => label_set(&sp.labels),
            _ => Vec::new(),
        };
        for topic in Topic::ALL {
            self.topics[topic.index()].add(
                gold_labels.contains(&topic.id()),
                sys_labels.contains(&topic.id()),
            );
        }
        if gold_labels != sys_labels || gold_b.is_some() != sys_b.is_some() {
            self.paragraph_errors.push(ParagraphError {
                id: id.to_owned(),
                start: gp.start,
                gold_boilerplate: gold_b.map(str::to_owned),
                gold_topics: gold_labels.iter().map(|&t| t.to_owned()).collect(),
                system_boilerplate: sys_b.map(str::to_owned),
                system_labels: sys_labels.iter().map(|&t| t.to_owned()).collect(),
            });
        }
    }

    /// The figures of the counts.
    fn report(self) -> Report {
        let mut total = Counts::default();
        let mut supported_f1 = Vec::new();
        let topic_figures = Topic::ALL
            .into_iter()
            .map(|topic| {
                let counts = self.topics[topic.index()];
                let (p, r, f1) = counts.prf();
                let support = counts.tp + counts.fn_;
                if support > 0 {
                    supported_f1.push(f1);
                }
                total.tp += counts.tp;
                total.fp += counts.fp;
                total.fn_ += counts.fn_;
                let figures = TopicFigures {
                    p: round3(p),
                    r: round3(r),
                    f1: round3(f1),
                    support,
                };
                (topic, figures)
            })
            .collect();
        let macro_f1 = if supported_f1.is_empty() {
            0.0
        } else {
            round3(supported_f1.iter().sum::<f64>() / supported_f1.len() as f64)
        };
        let (bp, br, bf) = self.boilerplate.prf();
        let (kind_ok, kind_n) = (self.kind_ok, self.kind_n);
        Report {
            topics: topic_figures,
            micro_f1: round3(total.prf().2),
            macro_f1,
            boilerplate: BoilerplateFigures {
                p: round3(bp),
                r: round3(br),
                f1: round3(bf),
                kind_acc: (kind_n > 0).then(|| round3(kind_ok as f64 / kind_n as f64)),
            },
            missing_articles: self.missing_articles,
            unaligned_paragraphs: self.unaligned_paragraphs,
            paragraph_errors: self.paragraph_errors,
        }
    }
}

/// The distinct labels, sorted: `score.py` compares them as sets.
fn label_set(labels: &[String]) -> Vec<&str> {
    let mut set: Vec<&str> = labels.iter().map(String::as_str).collect();
    set.sort_unstable();
    set.dedup();
    set
}

/// The system paragraph with the largest byte overlap with `gold`, the
/// first of equals; `None` when none overlaps.
fn align<'s>(gold: &GoldParagraph, system: &'s [SystemParagraph]) -> Option<&'s SystemParagraph> {
    let mut best = None;
    let mut best_overlap = 0i64;
    for p in system {
        let overlap = gold.end.min(p.end) as i64 - gold.start.max(p.start) as i64;
        if overlap > best_overlap {
            best = Some(p);
            best_overlap = overlap;
        }
    }
    best
}

/// Writes a float as Python's `repr` does for the rounded figures (`1.0`, `0.857`).
struct Py(f64);

impl fmt::Display for Py {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

/// Writes a list of ids as Python's `repr` of a list of strings does.
struct PyList<'a>(&'a [String]);

impl fmt::Display for PyList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, item) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "'{item}'")?;
        }
        f.write_str("]")
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (topic, t) in &self.topics {
            writeln!(
                f,
                "{:30} P={:.3} R={:.3} F1={:.3} n={}",
                topic.id(),
                t.p,
                t.r,
                t.f1,
                t.support
            )?;
        }
        let b = &self.boilerplate;
        let kind_acc = b.kind_acc.map_or("None".to_owned(), |k| Py(k).to_string());
        writeln!(
            f,
            "boilerplate P={:.3} R={:.3} F1={:.3} kind_acc={kind_acc}",
            b.p, b.r, b.f1
        )?;
        writeln!(
            f,
            "missing_articles={} unaligned={} paragraph_errors={}",
            self.missing_articles,
            self.unaligned_paragraphs,
            self.paragraph_errors.len()
        )?;
        if f.alternate() {
            for e in &self.paragraph_errors {
                let none = "None";
                writeln!(
                    f,
                    "ERR {} {} {} {} {} {}",
                    e.id,
                    e.start,
                    e.gold_boilerplate.as_deref().unwrap_or(none),
                    PyList(&e.gold_topics),
                    e.system_boilerplate.as_deref().unwrap_or(none),
                    PyList(&e.system_labels)
                )?;
            }
        }
        writeln!(
            f,
            "macro_f1={} micro_f1={} boilerplate_f1={}",
            Py(self.macro_f1),
            Py(self.micro_f1),
            Py(b.f1)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold(id: &str, paragraphs: &[(usize, usize, Option<&str>, &[&str])]) -> GoldArticle {
        GoldArticle {
            id: id.to_owned(),
            text: String::new(),
            paragraphs: paragraphs
                .iter()
                .map(|&(start, end, b, topics)| GoldParagraph {
                    start,
                    end,
                    boilerplate: b.map(str::to_owned),
                    topics: topics.iter().map(|&t| t.to_owned()).collect(),
                })
                .collect(),
        }
    }

    fn system(id: &str, paragraphs: &[(usize, usize, Option<&str>, &[&str])]) -> SystemArticle {
        SystemArticle {
            id: id.to_owned(),
            paragraphs: Some(
                paragraphs
                    .iter()
                    .map(|&(start, end, b, labels)| SystemParagraph {
                        start,
                        end,
                        boilerplate: b.map(str::to_owned),
                        labels: labels.iter().map(|&t| t.to_owned()).collect(),
                    })
                    .collect(),
            ),
        }
    }

    const NW: &str = "neutrality_warning";
    const ST: &str = "sanction_threat";
    const MP: &str = "money_politics";

    /// The figures a case is checked on: (topic, p, r, f1, support) for the
    /// topics named, micro, macro, boilerplate (p, r, f1, kind_acc),
    /// missing, unaligned, errors.
    type Expected = (
        &'static [(&'static str, f64, f64, f64, usize)],
        f64,
        f64,
        (f64, f64, f64, Option<f64>),
        usize,
        usize,
        usize,
    );

    #[test]
    fn hand_computed_figures() {
        let cases: Vec<(&str, Vec<GoldArticle>, Vec<SystemArticle>, Expected)> = vec![
            (
                "perfect",
                vec![gold(
                    "a",
                    &[(0, 10, None, &[NW]), (12, 20, Some("byline"), &[])],
                )],
                vec![system(
                    "a",
                    &[(0, 10, None, &[NW]), (12, 20, Some("byline"), &[])],
                )],
                (
                    &[(NW, 1.0, 1.0, 1.0, 1), (ST, 1.0, 1.0, 1.0, 0)],
                    1.0,
                    1.0,
                    (1.0, 1.0, 1.0, Some(1.0)),
                    0,
                    0,
                    0,
                ),
            ),
            (
                // 2 tp, 1 fp, 1 fn on NW; ST only a false positive.
                "partial",
                vec![gold(
                    "a",
                    &[
                        (0, 10, None, &[NW]),
                        (11, 20, None, &[NW]),
                        (21, 30, None, &[NW]),
                        (31, 40, None, &[]),
                    ],
                )],
                vec![system(
                    "a",
                    &[
                        (0, 10, None, &[NW]),
                        (11, 20, None, &[NW]),
                        (21, 30, None, &[]),
                        (31, 40, None, &[NW, ST]),
                    ],
                )],
                // NW p=2/3 r=2/3; ST p=0 (fp, no fn → 0/1) r=1 f1=0; micro tp2 fp2 fn1: p=.5 r=.667 f=.571.
                (
                    &[(NW, 0.667, 0.667, 0.667, 3), (ST, 0.0, 1.0, 0.0, 0)],
                    0.571,
                    0.667,
                    (1.0, 1.0, 1.0, None),
                    0,
                    0,
                    2,
                ),
            ),
            (
                // Boilerplate in gold clears gold topics; boilerplate in system clears system labels.
                "boilerplate forces empty label sets",
                vec![gold(
                    "a",
                    &[(0, 10, Some("read_also"), &[NW]), (11, 20, None, &[MP])],
                )],
                vec![system(
                    "a",
                    &[
                        (0, 10, Some("caption"), &[NW]),
                        (11, 20, Some("footer"), &[MP]),
                    ],
                )],
                // bp tp1 fp1 fn0: p=.5 r=1 f=.667; kind 0/1; MP fn → p=0 r=0.
                (
                    &[(NW, 1.0, 1.0, 1.0, 0), (MP, 0.0, 0.0, 0.0, 1)],
                    0.0,
                    0.0,
                    (0.5, 1.0, 0.667, Some(0.0)),
                    0,
                    0,
                    1,
                ),
            ),
            (
                // Alignment by largest overlap, first of equals; no overlap → unaligned.
                "alignment",
                vec![gold(
                    "a",
                    &[
                        (0, 10, None, &[NW]),
                        (20, 30, None, &[ST]),
                        (40, 50, None, &[]),
                    ],
                )],
                vec![system(
                    "a",
                    &[
                        (0, 3, None, &[]),
                        (3, 12, None, &[NW]),
                        (18, 25, None, &[ST]),
                        (25, 32, None, &[]),
                    ],
                )],
                (
                    &[(NW, 1.0, 1.0, 1.0, 1), (ST, 1.0, 1.0, 1.0, 1)],
                    1.0,
                    1.0,
                    (1.0, 1.0, 1.0, None),
                    0,
                    1,
                    0,
                ),
            ),
            (
                // Missing by id falls back to position; past the end it is missing.
                "missing articles",
                vec![
                    gold("a", &[(0, 5, None, &[NW])]),
                    gold("b", &[(0, 5, None, &[ST])]),
                    gold("c", &[(0, 5, None, &[])]),
                ],
                vec![
                    system("x", &[(0, 5, None, &[NW])]),
                    SystemArticle {
                        id: "b".into(),
                        paragraphs: None,
                    },
                ],
                (
                    &[(NW, 1.0, 1.0, 1.0, 1), (ST, 0.0, 0.0, 0.0, 1)],
                    0.667,
                    0.5,
                    (1.0, 1.0, 1.0, None),
                    2,
                    2,
                    1,
                ),
            ),
            (
                // Topics outside the eight never count, but do make an error.
                "unknown topics",
                vec![gold("a", &[(0, 5, None, &["other"])])],
                vec![system("a", &[(0, 5, None, &[])])],
                (
                    &[(NW, 1.0, 1.0, 1.0, 0)],
                    1.0,
                    0.0,
                    (1.0, 1.0, 1.0, None),
                    0,
                    0,
                    1,
                ),
            ),
        ];
        for (name, gold, system, expected) in cases {
            let report = score(&gold, &system);
            let (topics, micro, macro_, (bp, br, bf, kind), missing, unaligned, errors) = expected;
            for &(topic, p, r, f1, support) in topics {
                let topic: Topic = topic.parse().unwrap();
                assert_eq!(
                    report.topics[&topic],
                    TopicFigures { p, r, f1, support },
                    "{name}: {topic}"
                );
            }
            let got = (
                report.micro_f1,
                report.macro_f1,
                report.boilerplate,
                report.missing_articles,
                report.unaligned_paragraphs,
                report.paragraph_errors.len(),
            );
            let want = (
                micro,
                macro_,
                BoilerplateFigures {
                    p: bp,
                    r: br,
                    f1: bf,
                    kind_acc: kind,
                },
                missing,
                unaligned,
                errors,
            );
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn round3_matches_python_round() {
        // Python: round(x, 3) for each x.
        let cases = [
            (0.0625, 0.062),
            (0.1875, 0.188),
            (2.0 / 3.0, 0.667),
            (0.0005, 0.001),
            (1.0, 1.0),
        ];
        for (x, expected) in cases {
            assert_eq!(round3(x), expected, "{x}");
        }
    }

    #[test]
    fn report_prints_and_serializes_like_score_py() {
        let report = score(
            &[gold(
                "d1",
                &[(0, 5, None, &[NW]), (6, 9, Some("byline"), &[])],
            )],
            &[system("d1", &[(0, 5, None, &[ST]), (6, 9, None, &[])])],
        );
        let text = format!("{report:#}");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "neutrality_warning             P=0.000 R=0.000 F1=0.000 n=1"
        );
        assert_eq!(
            lines[8],
            "boilerplate P=0.000 R=0.000 F1=0.000 kind_acc=0.0"
        );
        assert_eq!(
            lines[9],
            "missing_articles=0 unaligned=0 paragraph_errors=2"
        );
        assert_eq!(
            lines[10],
            "ERR d1 0 None ['neutrality_warning'] None ['sanction_threat']"
        );
        assert_eq!(lines[11], "ERR d1 6 byline [] None []");
        assert_eq!(lines[12], "macro_f1=0.0 micro_f1=0.0 boilerplate_f1=0.0");
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(
            json["topics"]["neutrality_warning"],
            serde_json::json!({"p": 0.0, "r": 0.0, "f1": 0.0, "support": 1})
        );
        assert_eq!(json["errors"], 2);
        assert_eq!(json["boilerplate"]["kind_acc"], 0.0);
    }

    #[test]
    fn gold_lines_are_read_with_line_numbers_on_error() {
        let input = "{\"id\": 3, \"text\": \"ab\", \"paragraphs\": [{\"start\": 0, \"end\": 2, \"boilerplate\": null, \"topics\": []}]}\n\n{\"id\": \"x\"}\n";
        match read_gold(input.as_bytes()) {
            Err(GoldError::Line { line, .. }) => assert_eq!(line, 3),
            other => panic!("{other:?}"),
        }
        let gold = read_gold(input.lines().next().unwrap().as_bytes()).unwrap();
        assert_eq!((gold[0].id.as_str(), gold[0].paragraphs.len()), ("3", 1));
    }

    #[test]
    fn bad_gold_files_are_refused_with_their_line() {
        let ok = r#"{"id": "a", "text": "Pemilu é.", "paragraphs": [{"start": 0, "end": 10, "boilerplate": null, "topics": ["neutrality_warning"]}]}"#;
        let with = |id: &str, start: usize, end: usize, topic: &str| {
            format!(
                r#"{{"id": "{id}", "text": "Pemilu é.", "paragraphs": [{{"start": {start}, "end": {end}, "boilerplate": null, "topics": ["{topic}"]}}]}}"#
            )
        };
        let nw = "neutrality_warning";
        // (file, message)
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (
                format!("{ok}\n\n{ok}\n").into_bytes(),
                "line 3: id \"a\" is already the id of line 1",
            ),
            (
                with("b", 0, 10, "netral").into_bytes(),
                "line 1: unknown topic \"netral\" (topics: ",
            ),
            (
                with("b", 0, 11, nw).into_bytes(),
                "line 1: paragraph 0..11 ends past the text",
            ),
            (
                with("b", 0, 8, nw).into_bytes(),
                "line 1: paragraph 0..8 is not on char boundaries",
            ),
            (
                with("b", 5, 2, nw).into_bytes(),
                "line 1: paragraph 5..2 starts after it ends",
            ),
            (
                [ok.as_bytes(), b"\n{\"id\": \"\xff\"}\n"].concat(),
                "line 2: invalid UTF-8 at byte 8 of the line",
            ),
            (b"\n \n".to_vec(), "no gold articles"),
            (Vec::new(), "no gold articles"),
        ];
        for (file, message) in cases {
            let error = read_gold(&file[..]).unwrap_err().to_string();
            assert!(error.starts_with(message), "{error} (expected {message})");
        }
    }

    #[test]
    fn gold_files_read_like_classify_inputs_bom_included() {
        let line = r#"{"id": 1, "text": "ab", "paragraphs": []}"#;
        let gold = read_gold(format!("\u{FEFF}{line}\r\n").as_bytes()).unwrap();
        assert_eq!(gold[0].id, "1");
    }

    #[test]
    fn a_gold_line_without_end_is_refused_at_the_limit() {
        // `/dev/zero` as a gold file: read up to the limit, then refused.
        let zeros = std::io::repeat(0).take(MAX_GOLD_LINE_BYTES as u64 + 10);
        let error = read_gold(std::io::BufReader::new(zeros)).unwrap_err();
        assert!(
            matches!(error, GoldError::LineTooLong { line: 1, .. }),
            "{error}"
        );
    }
}
