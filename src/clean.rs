//! Stage 1: split text into paragraphs and tell content from boilerplate.
//!
//! A paragraph is one non-blank line (see the label contract). Every span is
//! a byte range into the caller's original text, trimmed of white space and
//! zero-width characters, on char boundaries.

use serde::Serialize;

/// What kind of boilerplate a paragraph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BoilerplateKind {
    /// A link to another story inserted in the body (`BACA JUGA: …`).
    ReadAlso,
    /// A heading for related stories, and the bare headlines under it.
    RelatedList,
    /// Site navigation and tag footers.
    Footer,
    /// Author, editor or reporter credits.
    Byline,
    /// A photo caption.
    Caption,
    /// Comment-box text.
    CommentPrompt,
    /// Ads and channel prompts.
    Promo,
    /// Stray widget debris such as a lone share count.
    Widget,
}

impl BoilerplateKind {
    /// The kind's id as written in the label contract and in output.
    pub const fn id(self) -> &'static str {
        match self {
            BoilerplateKind::ReadAlso => "read_also",
            BoilerplateKind::RelatedList => "related_list",
            BoilerplateKind::Footer => "footer",
            BoilerplateKind::Byline => "byline",
            BoilerplateKind::Caption => "caption",
            BoilerplateKind::CommentPrompt => "comment_prompt",
            BoilerplateKind::Promo => "promo",
            BoilerplateKind::Widget => "widget",
        }
    }
}

/// One paragraph: a trimmed, non-blank line of the original text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    /// Start of the trimmed line, in bytes into the original text.
    pub start: usize,
    /// End (exclusive) of the trimmed line, in bytes into the original text.
    pub end: usize,
    /// `None` for content, or the kind of boilerplate.
    pub boilerplate: Option<BoilerplateKind>,
    /// Byte ranges inside this paragraph that later stages must not score:
    /// a dateline, a sign-off, or a marker cut out of a content line.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cuts: Vec<Cut>,
}

/// A byte range cut out of a content paragraph before scoring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cut {
    /// Start of the cut, in bytes into the original text.
    pub start: usize,
    /// End (exclusive) of the cut, in bytes into the original text.
    pub end: usize,
    /// Why the range was cut.
    pub reason: CutReason,
}

/// Why a range inside a content paragraph is not scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CutReason {
    /// The dateline at the start of the first content paragraph.
    Dateline,
    /// A sign-off such as `(ant)` at the end of the last content paragraph.
    SignOff,
    /// A boilerplate marker glued into a content line.
    Marker(BoilerplateKind),
}

/// The dateline split off the first content paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dateline {
    /// The place, such as `BATANGHARI` or `Jakarta`, when there is one.
    pub place: Option<String>,
    /// The outlet, such as `JAMBIEKSPRES.CO` or `ANTARA`, when there is one.
    pub outlet: Option<String>,
    /// Start of the dateline (separator included), in bytes into the original text.
    pub start: usize,
    /// End (exclusive) of the dateline, in bytes into the original text.
    pub end: usize,
}

/// A trailing sign-off such as `(ant)` or `[zul]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignOff {
    /// The sign-off as written, brackets included.
    pub text: String,
    /// Start of the sign-off, in bytes into the original text.
    pub start: usize,
    /// End (exclusive) of the sign-off, in bytes into the original text.
    pub end: usize,
}

/// A text split into paragraphs, with its dateline and sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document<'a> {
    #[serde(skip)]
    text: &'a str,
    /// The paragraphs in text order, content and boilerplate.
    pub paragraphs: Vec<Paragraph>,
    /// The dateline of the first content paragraph, if any.
    pub dateline: Option<Dateline>,
    /// The sign-off of the last content paragraph, if any.
    pub sign_off: Option<SignOff>,
}

impl<'a> Document<'a> {
    /// The original text the offsets point into.
    pub fn text(&self) -> &'a str {
        self.text
    }
}

/// Splits `text` into paragraphs and marks boilerplate.
pub fn clean(text: &str) -> Document<'_> {
    let paragraphs = split_paragraphs(text)
        .map(|(start, end)| Paragraph {
            start,
            end,
            boilerplate: None,
            cuts: Vec::new(),
        })
        .collect();
    Document {
        text,
        paragraphs,
        dateline: None,
        sign_off: None,
    }
}

/// Iterates the paragraph spans of `text` as byte ranges `(start, end)`:
/// non-blank lines with white space and zero-width characters trimmed.
pub fn split_paragraphs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        while pos < bytes.len() {
            let line_start = pos;
            let line_end = memchr_line_end(bytes, pos);
            pos = line_end;
            if pos < bytes.len() {
                pos += if bytes[pos] == b'\r' && bytes.get(pos + 1) == Some(&b'\n') { 2 } else { 1 };
            }
            let line = &text[line_start..line_end];
            let trimmed = line.trim_start_matches(is_blank_char);
            if trimmed.is_empty() {
                continue;
            }
            let start = line_end - trimmed.len();
            let end = start + trimmed.trim_end_matches(is_blank_char).len();
            return Some((start, end));
        }
        None
    })
}

fn memchr_line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |i| from + i)
}

/// White space or a zero-width character, as the label contract trims them.
pub fn is_blank_char(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}
