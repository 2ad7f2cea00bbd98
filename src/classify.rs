//! Stage 5: paragraph and article scores with evidence.

use serde::Serialize;

use crate::clean::{self, Dateline, SignOff};
use crate::topic::Topic;

/// Scores articles for the eight topics.
#[derive(Debug, Default)]
pub struct Classifier {}

/// A classified article.
#[derive(Debug, Serialize)]
pub struct Article<'a> {
    #[serde(skip)]
    text: &'a str,
    /// Topics the article as a whole carries.
    pub labels: Vec<Topic>,
    /// The dateline split off the first content paragraph.
    pub dateline: Option<Dateline>,
    /// The sign-off split off the last content paragraph.
    pub sign_off: Option<SignOff>,
    /// Every paragraph, boilerplate included.
    pub paragraphs: Vec<clean::Paragraph>,
}

impl<'a> Article<'a> {
    /// The original text the offsets point into.
    pub fn text(&self) -> &'a str {
        self.text
    }
}

impl Classifier {
    /// Classifies one article.
    pub fn classify<'a>(&self, text: &'a str) -> Article<'a> {
        let doc = clean::clean(text);
        Article {
            text,
            labels: Vec::new(),
            dateline: doc.dateline,
            sign_off: doc.sign_off,
            paragraphs: doc.paragraphs,
        }
    }
}
