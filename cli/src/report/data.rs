//! The report's data: one compact JSON value per article, safe to embed in
//! a `<script>` element.
//!
//! An article is `{"id", "f": {title, date, outlet, url}, "t": text,
//! "l": [topic…], "s": [[topic, score]…], "d": [start, end, place, outlet],
//! "o": [start, end], "p": [paragraph…]}` with topics as indices into the
//! header's `topics`. A paragraph is `[start, end, kind]` for boilerplate
//! and `[start, end, null, [label…], [[topic, score]…], [evidence…]]` for
//! content; an evidence entry is `[topic, rule, term, negated, start, end,
//! start, end, …]`, one start/end pair per span. Every offset counts UTF-16
//! code units, as JavaScript strings do.

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};
use serde_json::Value;
use warta::jsonl::Record;
use warta::{Article, Evidence, Fired, ScoredParagraph, TopicScores};

/// The input fields the report shows besides `id` and `text`.
#[derive(Debug, Default, Serialize)]
pub struct Fields {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outlet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

impl Fields {
    fn is_empty(&self) -> bool {
        self.title.is_none() && self.date.is_none() && self.outlet.is_none() && self.url.is_none()
    }
}

/// Reads `title`, `date`, `outlet` and `url` from the record's other
/// fields (strings, or numbers and booleans as written); anything else is
/// left out.
pub fn fields(record: &Record) -> Fields {
    let mut fields = Fields::default();
    for (name, raw) in &record.fields {
        let slot = match name.as_str() {
            "title" => &mut fields.title,
            "date" => &mut fields.date,
            "outlet" => &mut fields.outlet,
            "url" => &mut fields.url,
            _ => continue,
        };
        *slot = match serde_json::from_str::<Value>(raw.get()) {
            Ok(Value::String(s)) => Some(s).filter(|s| !s.trim().is_empty()),
            Ok(value @ (Value::Number(_) | Value::Bool(_))) => Some(value.to_string()),
            _ => None,
        };
    }
    fields
}

/// The spans of one evidence entry, in bytes into the text.
fn spans<'a>(evidence: &'a Evidence<'_>) -> impl Iterator<Item = (usize, usize)> + 'a {
    evidence.spans.iter().map(|span| (span.start, span.end))
}

/// What fired, as the page names it: the rule kind and the term or rule name.
fn fired<'a>(evidence: &'a Evidence<'_>) -> (&'static str, &'a str) {
    match &evidence.fired {
        Fired::Term(term) => ("term", term),
        Fired::Near(rule) => ("near", rule),
        Fired::CarryOver => ("carry_over", ""),
        _ => ("other", ""),
    }
}

/// Converts byte offsets into one text to UTF-16 offsets.
struct Utf16 {
    /// Sorted byte offsets and their UTF-16 offsets.
    map: Vec<(usize, usize)>,
}

impl Utf16 {
    fn new(text: &str, mut offsets: Vec<usize>) -> Self {
        offsets.sort_unstable();
        offsets.dedup();
        let mut map = Vec::with_capacity(offsets.len());
        let mut wanted = offsets.into_iter().peekable();
        let mut units = 0;
        for (byte, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            while let Some(&offset) = wanted.peek() {
                if offset > byte {
                    break;
                }
                // An offset inside a character (never from warta) counts as its start.
                map.push((offset, units));
                wanted.next();
            }
            units += c.len_utf16();
        }
        // Offsets past the end (never from warta) count as the end.
        let end = text.encode_utf16().count();
        map.extend(wanted.map(|offset| (offset, end)));
        Utf16 { map }
    }

    fn get(&self, byte: usize) -> usize {
        match self.map.binary_search_by_key(&byte, |&(b, _)| b) {
            Ok(i) => self.map[i].1,
            Err(_) => 0,
        }
    }
}

/// Every byte offset the article's data holds.
fn offsets(article: &Article) -> Vec<usize> {
    let mut offsets = Vec::new();
    if let Some(d) = &article.dateline {
        offsets.extend([d.start, d.end]);
    }
    if let Some(s) = &article.sign_off {
        offsets.extend([s.start, s.end]);
    }
    for p in &article.paragraphs {
        offsets.extend([p.start, p.end]);
        for e in &p.evidence {
            offsets.extend(spans(e).flat_map(|(start, end)| [start, end]));
        }
    }
    offsets
}

/// One article as its compact JSON, escaped for a `<script>` element.
pub fn article_json(
    record: &Record,
    fields: &Fields,
    article: &Article,
) -> anyhow::Result<Vec<u8>> {
    let utf16 = Utf16::new(&record.text, offsets(article));
    let out = ArticleOut {
        id: record.id.to_string(),
        f: fields,
        t: &record.text,
        l: article.labels.iter().map(|t| t.index()).collect(),
        s: Scores(&article.scores),
        d: article.dateline.as_ref().map(|d| {
            (
                utf16.get(d.start),
                utf16.get(d.end),
                d.place.as_deref(),
                d.outlet.as_deref(),
            )
        }),
        o: article
            .sign_off
            .as_ref()
            .map(|s| (utf16.get(s.start), utf16.get(s.end))),
        p: article
            .paragraphs
            .iter()
            .map(|paragraph| ParagraphOut {
                paragraph,
                utf16: &utf16,
            })
            .collect(),
    };
    let mut json = Vec::with_capacity(record.text.len() + 512);
    serde_json::to_writer(&mut json, &out)?;
    Ok(script_safe(&json))
}

/// JSON that cannot end or open an HTML element: `<`, `>` and `&` (which
/// serde_json writes only inside strings) become `\u003c`, `\u003e` and
/// `\u0026`, so `</script>` in an article cannot close the data element.
pub fn script_safe(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + json.len() / 64);
    for &b in json {
        match b {
            b'<' => out.extend_from_slice(b"\\u003c"),
            b'>' => out.extend_from_slice(b"\\u003e"),
            b'&' => out.extend_from_slice(b"\\u0026"),
            _ => out.push(b),
        }
    }
    out
}

#[derive(Serialize)]
struct ArticleOut<'a> {
    id: String,
    #[serde(skip_serializing_if = "Fields::is_empty")]
    f: &'a Fields,
    t: &'a str,
    l: Vec<usize>,
    s: Scores<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<(usize, usize, Option<&'a str>, Option<&'a str>)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    o: Option<(usize, usize)>,
    p: Vec<ParagraphOut<'a>>,
}

/// Non-zero scores as `[[topic, score]…]`, rounded to three decimals.
struct Scores<'a>(&'a TopicScores);

impl Serialize for Scores<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.0.iter().map(|(topic, score)| {
                (topic.index(), (f64::from(score) * 1000.0).round() / 1000.0)
            }),
        )
    }
}

struct ParagraphOut<'a> {
    paragraph: &'a ScoredParagraph<'a>,
    utf16: &'a Utf16,
}

impl Serialize for ParagraphOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let p = self.paragraph;
        let (start, end) = (self.utf16.get(p.start), self.utf16.get(p.end));
        if let Some(kind) = p.boilerplate {
            return (start, end, kind.id()).serialize(serializer);
        }
        let evidence: Vec<EvidenceOut> = p
            .evidence
            .iter()
            .map(|evidence| EvidenceOut {
                evidence,
                utf16: self.utf16,
            })
            .collect();
        let labels: Vec<usize> = p.labels.iter().map(|t| t.index()).collect();
        (start, end, (), labels, Scores(&p.scores), evidence).serialize(serializer)
    }
}

struct EvidenceOut<'a> {
    evidence: &'a Evidence<'a>,
    utf16: &'a Utf16,
}

impl Serialize for EvidenceOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let e = self.evidence;
        let mut seq = serializer.serialize_seq(None)?;
        seq.serialize_element(&e.topic.index())?;
        let (rule, name) = fired(e);
        seq.serialize_element(rule)?;
        seq.serialize_element(name)?;
        seq.serialize_element(&u8::from(e.negated))?;
        for (start, end) in spans(e) {
            seq.serialize_element(&self.utf16.get(start))?;
            seq.serialize_element(&self.utf16.get(end))?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_offsets_count_code_units() {
        let text = "é😀a";
        // Bytes: é 0..2, 😀 2..6, a 6..7; UTF-16: é 1, 😀 2, a 1.
        let utf16 = Utf16::new(text, vec![7, 0, 2, 6, 2]);
        assert_eq!(
            [0, 2, 6, 7].map(|b| utf16.get(b)),
            [0, 1, 3, 4],
            "{:?}",
            utf16.map
        );
    }

    #[test]
    fn script_safe_json_has_no_markup_characters() {
        let json = serde_json::to_vec(&"</script><!-- & -->").unwrap();
        let safe = script_safe(&json);
        assert!(!safe.iter().any(|b| b"<>&".contains(b)));
        let back: String = serde_json::from_slice(&safe).unwrap();
        assert_eq!(back, "</script><!-- & -->");
    }

    #[test]
    fn fields_are_read_from_the_record_and_odd_ones_left_out() {
        let line = br#"{"id":1,"text":"x","date":"2024-01-02","outlet":"Kabar","title":" ","url":null,"extra":[1],"n":{"date":2}}"#;
        let record = warta::jsonl::RecordReader::new(&line[..])
            .keep_fields(true)
            .next()
            .expect("a line")
            .expect("read")
            .expect("a record");
        let f = fields(&record);
        assert_eq!(f.date.as_deref(), Some("2024-01-02"));
        assert_eq!(f.outlet.as_deref(), Some("Kabar"));
        assert_eq!(f.title, None);
        assert_eq!(f.url, None);
        let numbers = br#"{"text":"x","date":20240102}"#;
        let record = warta::jsonl::RecordReader::new(&numbers[..])
            .keep_fields(true)
            .next()
            .unwrap()
            .unwrap()
            .unwrap();
        assert_eq!(fields(&record).date.as_deref(), Some("20240102"));
        assert!(
            fields(&warta::jsonl::Record::new(
                warta::jsonl::Id::Line(1),
                1,
                String::new()
            ))
            .is_empty()
        );
    }
}
