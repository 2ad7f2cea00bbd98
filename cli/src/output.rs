//! What `clean` and `classify` write per input record: JSON Lines, or rows
//! of a CSV or TSV table.

use clap::ValueEnum;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::value::RawValue;
use warta::clean::{Dateline, Document};
use warta::jsonl::{Id, Record};
use warta::{Article, Classifier, Offsets, ScoredParagraph, Topic};

use crate::input::InputError;
use crate::json;
use crate::pipeline::{Format, Processed, json_line};

/// The output format of `classify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row (RFC 4180 quoting).
    Csv,
    /// Tab-separated values with a header row (quoted like CSV where needed).
    Tsv,
}

/// What a row of a CSV or TSV table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Rows {
    /// One row per article.
    Articles,
    /// One row per content paragraph.
    Paragraphs,
}

/// The name of an offset column of a table: `start_byte`, `end_char`…
fn offset_column(unit: Offsets, edge: &str) -> String {
    match unit {
        Offsets::Chars => format!("{edge}_char"),
        _ => format!("{edge}_byte"),
    }
}

/// Which paragraphs an article's output lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ParagraphsShown {
    /// Every paragraph, boilerplate included.
    All,
    /// The paragraphs that carry a topic.
    Labelled,
    /// None (an empty list): the article's labels and scores only.
    None,
}

impl ParagraphsShown {
    fn shows(self, paragraph: &ScoredParagraph) -> bool {
        match self {
            ParagraphsShown::All => true,
            ParagraphsShown::Labelled => !paragraph.labels.is_empty(),
            ParagraphsShown::None => false,
        }
    }
}

/// The fields `clean` writes itself; input fields of these names are not
/// passed through.
pub const CLEAN_FIELDS: &[&str] = &[
    "id",
    "text",
    "dateline",
    "offsets",
    "paragraphs",
    "line",
    "error",
    "file",
];

/// The fields and columns `classify` writes itself; input fields of these
/// names are not passed through.
pub const CLASSIFY_FIELDS: &[&str] = &[
    "id",
    "labels",
    "scores",
    "dateline",
    "sign_off",
    "offsets",
    "paragraphs",
    "line",
    "error",
    "file",
    "content_paragraphs",
    "paragraph",
    "start_byte",
    "end_byte",
    "start_char",
    "end_char",
    "evidence",
];

/// A record's passed-through fields, written in input order as they came.
struct Passed<'a> {
    fields: &'a [(String, Box<RawValue>)],
    reserved: &'static [&'static str],
}

impl Passed<'_> {
    fn iter(&self) -> impl Iterator<Item = &(String, Box<RawValue>)> {
        self.fields
            .iter()
            .filter(|(name, _)| !self.reserved.contains(&name.as_str()))
    }
}

impl Serialize for Passed<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (name, value) in self.iter() {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// A `warta clean` line.
#[derive(Serialize)]
pub struct Cleaned<'a> {
    id: &'a Id,
    #[serde(flatten)]
    fields: Passed<'a>,
    text: String,
    dateline: Option<&'a Dateline>,
    offsets: Offsets,
    paragraphs: Vec<ParagraphOut>,
}

#[derive(Serialize)]
struct ParagraphOut {
    start: usize,
    end: usize,
    boilerplate: Option<&'static str>,
}

impl<'a> Cleaned<'a> {
    /// The line for `doc` (offsets in the unit to write), cleaned from
    /// `record`'s text, whose clean text is `text`.
    pub fn new(record: &'a Record, doc: &'a Document<'a>, text: String) -> Self {
        Cleaned {
            id: &record.id,
            fields: Passed {
                fields: &record.fields,
                reserved: CLEAN_FIELDS,
            },
            text,
            dateline: doc.dateline.as_ref(),
            offsets: doc.offsets(),
            paragraphs: doc
                .paragraphs
                .iter()
                .map(|p| ParagraphOut {
                    start: p.start,
                    end: p.end,
                    boilerplate: p.boilerplate.map(|kind| kind.id()),
                })
                .collect(),
        }
    }
}

/// A `warta classify` line: the id, the passed-through fields, then the
/// article's own fields, as `serde_json` writes it: what the line written
/// by hand ([`crate::json`]) is tested against.
#[cfg(test)]
#[derive(Serialize)]
struct Classified<'a> {
    id: &'a Id,
    #[serde(flatten)]
    fields: Passed<'a>,
    #[serde(flatten)]
    article: &'a Article<'a>,
}

/// The JSON line `classify` writes for `article`, classified from `record`
/// (see [`crate::json`]; the same bytes as [`Classified`] through
/// `serde_json`).
fn classified_line(record: &Record, article: &Article) -> anyhow::Result<Vec<u8>> {
    let fields = Passed {
        fields: &record.fields,
        reserved: CLASSIFY_FIELDS,
    };
    let mut line = Vec::with_capacity(1024);
    json::classified(&mut line, &record.id, fields.iter(), article)?;
    line.push(b'\n');
    Ok(line)
}

/// An error line; names the file when there are several inputs.
#[derive(Serialize)]
pub struct ErrorLine<'a> {
    #[serde(flatten)]
    pub error: &'a InputError,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<&'a str>,
}

/// `classify` and how it writes its output.
pub struct ClassifyOutput {
    pub classifier: Classifier,
    pub format: OutputFormat,
    pub rows: Rows,
    pub paragraphs: ParagraphsShown,
    /// Only articles carrying one of these topics are written; empty: all.
    pub topics: Vec<Topic>,
    /// The passed-through columns of a table: the first record's fields.
    pub columns: Vec<String>,
    pub offsets: Offsets,
}

impl ClassifyOutput {
    /// The passed-through columns a table gets for a first record with
    /// these fields.
    pub fn columns_of(fields: &[(String, Box<RawValue>)]) -> Vec<String> {
        let mut columns: Vec<String> = Vec::new();
        for (name, _) in fields {
            if !CLASSIFY_FIELDS.contains(&name.as_str())
                && Topic::ALL.iter().all(|t| t.id() != name)
                && !columns.contains(name)
            {
                columns.push(name.clone());
            }
        }
        columns
    }

    /// Writes one article (its offsets already in the unit asked for).
    pub fn article(&self, record: &Record, mut article: Article) -> anyhow::Result<Processed> {
        let labels = topic_mask(&article.labels);
        let wanted =
            self.topics.is_empty() || self.topics.iter().any(|t| article.labels.contains(t));
        if !wanted {
            return Ok(Processed {
                bytes: Vec::new(),
                labels: Some(labels),
                written: false,
            });
        }
        let bytes = match self.format {
            OutputFormat::Jsonl => {
                article.paragraphs.retain(|p| self.paragraphs.shows(p));
                classified_line(record, &article)?
            }
            OutputFormat::Csv | OutputFormat::Tsv => self.table_rows(record, &article)?,
        };
        Ok(Processed {
            bytes,
            labels: Some(labels),
            written: true,
        })
    }

    fn writer(&self) -> csv::Writer<Vec<u8>> {
        let delimiter = if self.format == OutputFormat::Tsv {
            b'\t'
        } else {
            b','
        };
        // RFC 4180 ends CSV records with CRLF; TSV lines end with LF.
        let terminator = if self.format == OutputFormat::Tsv {
            csv::Terminator::Any(b'\n')
        } else {
            csv::Terminator::CRLF
        };
        csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(terminator)
            .from_writer(Vec::with_capacity(512))
    }

    /// The header row of a table; nothing for JSON Lines.
    fn table_header(&self) -> anyhow::Result<Vec<u8>> {
        if self.format == OutputFormat::Jsonl {
            return Ok(Vec::new());
        }
        let mut header: Vec<String> = vec!["id".to_owned()];
        let topics = Topic::ALL.map(|t| t.id().to_owned());
        match self.rows {
            Rows::Articles => {
                header.extend(self.columns.iter().cloned());
                header.push("labels".to_owned());
                header.extend(topics);
                header.extend(["content_paragraphs".to_owned(), "error".to_owned()]);
            }
            Rows::Paragraphs => {
                header.extend([
                    "paragraph".to_owned(),
                    offset_column(self.offsets, "start"),
                    offset_column(self.offsets, "end"),
                    "labels".to_owned(),
                ]);
                header.extend(topics);
                header.extend(["evidence".to_owned(), "error".to_owned()]);
            }
        }
        let mut writer = self.writer();
        writer.write_record(&header)?;
        Ok(writer.into_inner()?)
    }

    /// The rows of one article.
    fn table_rows(&self, record: &Record, article: &Article) -> anyhow::Result<Vec<u8>> {
        let mut writer = self.writer();
        let id = record.id.to_string();
        match self.rows {
            Rows::Articles => {
                let mut row: Vec<String> = vec![id];
                for column in &self.columns {
                    let value = record.fields.iter().find(|(name, _)| name == column);
                    row.push(value.map_or_else(String::new, |(_, value)| cell(value)));
                }
                row.push(labels_cell(&article.labels));
                row.extend(Topic::ALL.map(|t| score_cell(article.scores.get(t))));
                let content = article
                    .paragraphs
                    .iter()
                    .filter(|p| p.boilerplate.is_none())
                    .count();
                row.push(content.to_string());
                row.push(String::new());
                writer.write_record(&row)?;
            }
            Rows::Paragraphs => {
                for (index, p) in article.paragraphs.iter().enumerate() {
                    if p.boilerplate.is_some() || !self.paragraphs.shows(p) {
                        continue;
                    }
                    let mut row: Vec<String> = vec![
                        id.clone(),
                        index.to_string(),
                        p.start.to_string(),
                        p.end.to_string(),
                        labels_cell(&p.labels),
                    ];
                    row.extend(Topic::ALL.map(|t| score_cell(p.scores.get(t))));
                    // Each matched span once, though it counts for several topics.
                    let mut spans: Vec<(usize, usize, &str)> = p
                        .evidence
                        .iter()
                        .flat_map(|e| &e.spans)
                        .map(|s| (s.start, s.end, s.text.as_ref()))
                        .collect();
                    spans.sort_unstable();
                    spans.dedup();
                    let words: Vec<&str> = spans.iter().map(|&(.., text)| text).collect();
                    row.push(words.join("; "));
                    row.push(String::new());
                    writer.write_record(&row)?;
                }
            }
        }
        Ok(writer.into_inner()?)
    }
}

impl Format for ClassifyOutput {
    fn header(&self) -> anyhow::Result<Vec<u8>> {
        self.table_header()
    }

    fn record(&self, record: &Record) -> anyhow::Result<Processed> {
        let article = self
            .classifier
            .classify(&record.text)
            .with_offsets(self.offsets);
        self.article(record, article)
    }

    /// A JSON error line, or a row whose `error` column says what is wrong.
    fn error(&self, error: &InputError, file: Option<&str>) -> anyhow::Result<Vec<u8>> {
        if self.format == OutputFormat::Jsonl {
            return json_line(&ErrorLine { error, file }, 128);
        }
        let width = match self.rows {
            Rows::Articles => 1 + self.columns.len() + 1 + Topic::COUNT + 2,
            Rows::Paragraphs => 5 + Topic::COUNT + 2,
        };
        let mut row = vec![String::new(); width];
        row[0] = error.id.to_string();
        let message = match (file, error.line) {
            (Some(file), Some(line)) => format!("{file}:{line}: {}", error.message),
            (None, Some(line)) => format!("line {line}: {}", error.message),
            (_, None) => error.message.clone(),
        };
        row[width - 1] = message;
        let mut writer = self.writer();
        writer.write_record(&row)?;
        Ok(writer.into_inner()?)
    }
}

/// `clean`'s output: JSON Lines only.
pub struct CleanOutput {
    pub offsets: Offsets,
}

impl Format for CleanOutput {
    fn record(&self, record: &Record) -> anyhow::Result<Processed> {
        let doc = warta::clean::clean(&record.text);
        let text = doc.clean_text();
        let doc = doc.with_offsets(self.offsets);
        let cleaned = Cleaned::new(record, &doc, text);
        Ok(Processed {
            bytes: json_line(&cleaned, record.text.len() + 256)?,
            labels: None,
            written: true,
        })
    }
}

/// A passed-through value in a table cell: a string unquoted, `null`
/// empty, anything else as JSON.
fn cell(value: &RawValue) -> String {
    let raw = value.get();
    if raw.starts_with('"') {
        serde_json::from_str(raw).unwrap_or_else(|_| raw.to_owned())
    } else if raw == "null" {
        String::new()
    } else {
        raw.to_owned()
    }
}

/// Topic ids separated by spaces.
fn labels_cell(labels: &[Topic]) -> String {
    labels.iter().map(|t| t.id()).collect::<Vec<_>>().join(" ")
}

/// A score rounded to three decimals, as in JSON output.
fn score_cell(score: f32) -> String {
    let rounded = (f64::from(score) * 1000.0).round() / 1000.0;
    rounded.to_string()
}

/// The topics of `labels` as bits, bit `i` for `Topic::ALL[i]`.
fn topic_mask(labels: &[Topic]) -> u8 {
    labels.iter().fold(0, |mask, t| mask | 1 << t.index())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use warta::clean::BoilerplateKind;
    use warta::jsonl::RecordReader;
    use warta::score::Fired;

    use super::*;

    /// The records of JSON Lines `jsonl`, their other fields kept.
    fn records(jsonl: &str) -> Vec<Record> {
        RecordReader::new(jsonl.as_bytes())
            .keep_fields(true)
            .map(|item| item.unwrap().unwrap())
            .collect()
    }

    /// Classifies `record` and checks that the line written by hand is the
    /// one `serde_json` writes for [`Classified`], with offsets in bytes
    /// and in chars and with every choice of paragraphs; gives the article
    /// (offsets in bytes).
    fn written_as_serde_writes(record: &Record) -> Article<'_> {
        let classifier = Classifier::default();
        for offsets in [Offsets::Bytes, Offsets::Chars] {
            for shown in [
                ParagraphsShown::All,
                ParagraphsShown::Labelled,
                ParagraphsShown::None,
            ] {
                let mut article = classifier.classify(&record.text).with_offsets(offsets);
                article.paragraphs.retain(|p| shown.shows(p));
                let reference = Classified {
                    id: &record.id,
                    fields: Passed {
                        fields: &record.fields,
                        reserved: CLASSIFY_FIELDS,
                    },
                    article: &article,
                };
                let expected = String::from_utf8(json_line(&reference, 0).unwrap()).unwrap();
                let written =
                    String::from_utf8(classified_line(record, &article).unwrap()).unwrap();
                assert_eq!(written, expected, "{offsets:?} {shown:?}");
            }
        }
        classifier.classify(&record.text)
    }

    #[test]
    fn the_bundled_sample_is_written_as_serde_json_writes_it() {
        let sample = include_str!("../../data/samples/articles.jsonl");
        let records = records(sample);
        let articles: Vec<Article> = records.iter().map(written_as_serde_writes).collect();
        // The sample has every part of a line.
        assert!(articles.iter().any(|a| a.dateline.is_some()));
        assert!(articles.iter().any(|a| a.sign_off.is_some()));
        assert!(articles.iter().any(|a| !a.labels.is_empty()));
        let paragraphs = || articles.iter().flat_map(|a| &a.paragraphs);
        assert!(paragraphs().any(|p| p.boilerplate.is_some()));
        let evidence = || paragraphs().flat_map(|p| &p.evidence);
        assert!(evidence().any(|e| matches!(e.fired, Fired::Term(_))));
        assert!(evidence().any(|e| matches!(e.fired, Fired::Near(_))));
        assert!(evidence().any(|e| e.negated));
    }

    /// An article of our own with every kind of evidence, a dateline, a
    /// sign-off, boilerplate, and characters JSON escapes in its text.
    const CRAFTED: &str = "KOTA SENJA, KABARSENJA.ID - Wali kota meminta seluruh ASN menjaga \
        netralitas dan tidak terlibat politik praktis menjelang Pilkada.\n\n\
        Bupati menerbitkan surat\tedaran tentang netralitas ASN untuk seluruh dinas.\n\n\
        Hal ini disampaikan agar para camat mengingatkan pegawai di tiap kecamatan.\n\n\
        Wali kota meminta seluruh ASN menjaga netralitas dengan cara berikut:\n\n\
        1. Menghadiri rapat koordinasi.\n\n\
        2. Melayani warga dengan baik.\n\n\
        Pegawai yang terbukti\tmelanggar \"netralitas\" akan diproses oleh Bawaslu\\KASN. \u{1} \
        Kata \u{7f}\u{1f}\u{8}\u{c}\r dan “kutip” — é. (ant)\n\n\
        BACA JUGA: Judul Lain Tentang Pemilu\n";

    #[test]
    fn every_part_of_a_line_is_written_as_serde_json_writes_it() {
        let line = |id: &str, fields: &str| {
            let text = serde_json::to_string(CRAFTED).unwrap();
            format!("{{{id}{fields}\"text\":{text}}}\n")
        };
        let jsonl = [
            // A string id with escapes, fields whose names need escaping,
            // values kept as written (spaces, exponents, nesting).
            line(
                "\"id\":\"a\\\"b\\\\c\\u0001é\",",
                "\"ti\\\"tle\": \"x\", \"n\\u0007\\f\\u001F\":{\"a\": [1, 2.50, true]}, \"e\": 1e3, \"scores\": 1,",
            ),
            // A number id kept as written; no id (the line number).
            line("\"id\": -0.50e1,", ""),
            line("", "\"url\":null,"),
        ]
        .concat();
        let records = records(&jsonl);
        assert_eq!(records.len(), 3);
        assert!(matches!(records[2].id, Id::Line(3)));
        let article = written_as_serde_writes(&records[0]);
        assert!(article.dateline.is_some() && article.sign_off.is_some());
        let evidence: Vec<_> = article
            .paragraphs
            .iter()
            .flat_map(|p| &p.evidence)
            .collect();
        for fired in [Fired::CarryOver, Fired::ListItem] {
            assert!(evidence.iter().any(|e| e.fired == fired), "{fired:?}");
        }
        assert!(evidence.iter().any(|e| e.negated));
        assert!(
            evidence
                .iter()
                .any(|e| e.spans.iter().any(|s| s.text.contains('\t')))
        );
        assert!(
            article
                .paragraphs
                .iter()
                .any(|p| p.boilerplate == Some(BoilerplateKind::ReadAlso))
        );
        for record in &records[1..] {
            written_as_serde_writes(record);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Texts of topic words, boilerplate, datelines and sign-offs, and
        /// characters JSON escapes (or does not), in any order.
        #[test]
        fn any_article_is_written_as_serde_json_writes_it(
            pieces in prop::collection::vec(
                prop::sample::select(vec![
                    "ASN diminta menjaga netralitas", "tidak", "sanksi disiplin", "hal ini",
                    "kampanye", "secara pasif", "Bawaslu", "terbukti melanggar", "diproses",
                    "JAKARTA, KORAN.ID - ", "(ant)", "BACA JUGA: Judul", "Editor: Sari",
                    "berikut:", "1. ", "\n", "\n\n", " ", ". ", "\"", "\\", "\t", "\u{0}",
                    "\u{1b}", "\u{7f}", "é", "😀", "“", "\u{2028}", "/", "\r\n",
                    "surat", "edaran", "surat\u{c}edaran", "surat\u{b}edaran", "surat\u{1e}edaran",
                ]),
                0..40,
            ),
            id in prop::sample::select(vec![
                "\"x\"", "\"\\u0000\\\"\\u001b\\f\\b\\r\\n\\t\\\\/\"", "12", "1.5e2", "",
            ]),
        ) {
            let text = serde_json::to_string(&pieces.concat()).unwrap();
            let id = if id.is_empty() { String::new() } else { format!("\"id\":{id},") };
            let jsonl = format!("{{{id}\"text\":{text},\"t\\n\":[ 1 ]}}\n");
            for record in records(&jsonl) {
                written_as_serde_writes(&record);
            }
        }
    }
}
