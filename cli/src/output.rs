//! The JSON Lines written per input line.

use serde::Serialize;
use warta::Article;
use warta::clean::{Dateline, Document};
use warta::jsonl::{Id, Record, RecordError};

/// A `warta clean` line.
#[derive(Serialize)]
pub struct Cleaned<'a> {
    id: &'a Id,
    text: String,
    dateline: Option<DatelineOut<'a>>,
    paragraphs: Vec<ParagraphOut>,
}

#[derive(Serialize)]
struct DatelineOut<'a> {
    place: Option<&'a str>,
    outlet: Option<&'a str>,
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct ParagraphOut {
    start: usize,
    end: usize,
    boilerplate: Option<&'static str>,
}

impl<'a> Cleaned<'a> {
    pub fn new(record: &'a Record, doc: &'a Document<'a>) -> Self {
        Cleaned {
            id: &record.id,
            text: doc.clean_text(),
            dateline: doc.dateline.as_ref().map(DatelineOut::new),
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

impl<'a> DatelineOut<'a> {
    fn new(dateline: &'a Dateline) -> Self {
        DatelineOut {
            place: dateline.place.as_deref(),
            outlet: dateline.outlet.as_deref(),
            start: dateline.start,
            end: dateline.end,
        }
    }
}

/// A `warta classify` line: the id, then the article's own fields.
#[derive(Serialize)]
pub struct Classified<'a> {
    pub id: &'a Id,
    #[serde(flatten)]
    pub article: &'a Article<'a>,
}

/// An error line; names the file when there are several inputs.
#[derive(Serialize)]
pub struct ErrorLine<'a> {
    #[serde(flatten)]
    pub error: &'a RecordError,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<&'a str>,
}
