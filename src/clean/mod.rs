//! Stage 1: split text into paragraphs and tell content from boilerplate.
//!
//! A paragraph is one non-blank line (see the label contract). Every span is
//! a byte range into the caller's original text, trimmed of white space and
//! zero-width characters, on char boundaries.
//!
//! Each paragraph is content or one [`BoilerplateKind`], decided by the
//! whole-line rules of `data/boilerplate.toml` and by its neighbours (the
//! headlines under a related-stories heading, the tag words under `Tag`, a
//! list of headlines closing the text). Content paragraphs carry [`Cut`]s:
//! the dateline, the sign-off, and markers glued into the line (`BACA
//! JUGA: …` inside a flattened article), which later stages do not score.
//!
//! ```
//! use warta::clean::{clean, BoilerplateKind};
//!
//! let text = "Judul Berita Desa\n\
//!             KOTABARU, KORANKITA.CO - Warga berkumpul di balai desa. (ant)\n\
//!             BACA JUGA: Judul Berita Lain\n\
//!             Editor: Sari Dewi\n";
//! let doc = clean(text);
//! let kinds: Vec<_> = doc.paragraphs.iter().map(|p| p.boilerplate).collect();
//! assert_eq!(kinds, [None, None, Some(BoilerplateKind::ReadAlso), Some(BoilerplateKind::Byline)]);
//! assert_eq!(doc.dateline.as_ref().and_then(|d| d.outlet.as_deref()), Some("KORANKITA.CO"));
//! assert_eq!(doc.sign_off.as_ref().map(|s| s.text.as_str()), Some("(ant)"));
//! assert_eq!(doc.clean_text(), "Judul Berita Desa\n\nWarga berkumpul di balai desa.");
//! ```

mod dateline;
mod inline;
mod kept;
mod lines;
mod markers;
mod sign_off;

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::offsets::Offsets;

use kept::kept_pieces;
use markers::{MARKERS, Markers};

/// What kind of boilerplate a paragraph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Paragraph {
    /// Start of the trimmed line, in bytes into the original text.
    pub start: usize,
    /// End (exclusive) of the trimmed line, in bytes into the original text.
    pub end: usize,
    /// `None` for content, or the kind of boilerplate.
    pub boilerplate: Option<BoilerplateKind>,
    /// Byte ranges inside this paragraph that later stages must not score:
    /// a dateline, a sign-off, or a marker cut out of a content line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cuts: Vec<Cut>,
}

impl Paragraph {
    /// All of `text` as one content paragraph.
    pub(crate) fn whole(text: &str) -> Paragraph {
        Paragraph {
            start: 0,
            end: text.len(),
            boilerplate: None,
            cuts: Vec::new(),
        }
    }

    /// The byte ranges of the paragraph that later stages score: all of it
    /// but its cuts (dateline, sign-off, inline markers), in text order.
    pub fn segments(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        let mut start = self.start;
        let mut cuts = self.cuts.iter();
        std::iter::from_fn(move || {
            for cut in cuts.by_ref() {
                let end = cut.start.clamp(start, self.end);
                let segment = start..end;
                start = start.max(cut.end);
                if !segment.is_empty() {
                    return Some(segment);
                }
            }
            let segment = start..self.end;
            start = self.end;
            (!segment.is_empty()).then_some(segment)
        })
    }
}

/// A byte range cut out of a content paragraph before scoring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Cut {
    /// Start of the cut, in bytes into the original text.
    pub start: usize,
    /// End (exclusive) of the cut, in bytes into the original text.
    pub end: usize,
    /// Why the range was cut.
    pub reason: CutReason,
}

/// Why a range inside a content paragraph is not scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SignOff {
    /// The sign-off as written, brackets included.
    pub text: String,
    /// Start of the sign-off, in bytes into the original text.
    pub start: usize,
    /// End (exclusive) of the sign-off, in bytes into the original text.
    pub end: usize,
}

/// A text split into paragraphs, with its dateline and sign-off. Its
/// offsets are bytes into the text, unless [`Document::with_offsets`]
/// made them chars.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Document<'a> {
    #[serde(skip)]
    text: &'a str,
    /// The unit of the offsets (see [`Document::with_offsets`]).
    #[serde(skip)]
    pub(crate) offsets: Offsets,
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

    /// The clean text: the content paragraphs with their cuts (dateline,
    /// sign-off, inline markers) removed, joined by blank lines.
    ///
    /// The dateline and sign-off are left out (they are metadata, kept in
    /// [`Document::dateline`] and [`Document::sign_off`]), so cleaning the
    /// clean text again gives the same text: `clean(&d.clean_text())
    /// .clean_text() == d.clean_text()`.
    pub fn clean_text(&self) -> String {
        if self.offsets != Offsets::Bytes {
            return self.clone().with_offsets(Offsets::Bytes).clean_text();
        }
        let mut out = String::with_capacity(self.text.len());
        for p in self.paragraphs.iter().filter(|p| p.boilerplate.is_none()) {
            let before = out.len();
            if before > 0 {
                out.push_str("\n\n");
            }
            let body = out.len();
            for piece in kept_pieces(self.text, p) {
                if out.len() > body {
                    out.push(' ');
                }
                out.push_str(piece);
            }
            if out.len() == body {
                out.truncate(before);
            }
        }
        out
    }

    /// A content paragraph whose text, once its cuts are gone, is empty or
    /// reads as boilerplate becomes boilerplate, so that cleaning the clean
    /// text finds nothing new.
    fn reclassify_remainders(&mut self, markers: &Markers) {
        for p in &mut self.paragraphs {
            if p.boilerplate.is_some() || p.cuts.is_empty() {
                continue;
            }
            let rest = kept_pieces(self.text, p).collect::<Vec<_>>().join(" ");
            let kind = if rest.is_empty() {
                p.cuts.iter().find_map(|c| match c.reason {
                    CutReason::Marker(kind) => Some(kind),
                    _ => None,
                })
            } else {
                markers.line_rule(&rest).map(|r| r.kind)
            };
            if let Some(kind) = kind {
                p.boilerplate = Some(kind);
                p.cuts.clear();
                let inside = |start: usize| p.start <= start && start < p.end;
                if self.dateline.as_ref().is_some_and(|d| inside(d.start)) {
                    self.dateline = None;
                }
                if self.sign_off.as_ref().is_some_and(|s| inside(s.start)) {
                    self.sign_off = None;
                }
            }
        }
    }
}

/// Warm-up: compiles the boilerplate markers and the dateline patterns now
/// instead of on first use (about 20 ms on one core), for an application
/// that would rather pay that at start-up, on a thread of its choosing.
/// The same as [`prepare_markers`] and then [`prepare_patterns`].
///
/// ```
/// std::thread::spawn(warta::clean::prepare).join().unwrap();
/// let doc = warta::clean::clean("JAKARTA - Warga berkumpul.\n\nBACA JUGA: Judul Lain");
/// assert!(doc.dateline.is_some() && doc.paragraphs[1].boilerplate.is_some());
/// ```
pub fn prepare() {
    prepare_markers();
    prepare_patterns();
}

/// The larger part of [`prepare`]: compiles the boilerplate markers
/// (`data/boilerplate.toml`; about three quarters of the time). With two
/// threads to spare, run it on one and [`prepare_patterns`] on the other:
/// the CLI does so, and loads the lexicon before the patterns.
///
/// ```
/// std::thread::scope(|scope| {
///     scope.spawn(warta::clean::prepare_markers);
///     warta::clean::prepare_patterns();
/// });
/// assert!(warta::clean::clean("BACA JUGA: Judul Lain").paragraphs[0].boilerplate.is_some());
/// ```
pub fn prepare_markers() {
    LazyLock::force(&MARKERS);
}

/// The smaller part of [`prepare`]: compiles the dateline and sign-off
/// patterns.
pub fn prepare_patterns() {
    dateline::prepare();
    sign_off::prepare();
}

/// Splits `text` into paragraphs, marks boilerplate, and splits off the
/// dateline, the sign-off and inline markers as cuts (byte ranges).
///
/// ```
/// use warta::clean::{clean, BoilerplateKind};
///
/// let text = "JAKARTA - Warga berkumpul di balai desa.\nBACA JUGA: Judul Lain\n";
/// let doc = clean(text);
/// assert_eq!(doc.paragraphs[1].boilerplate, Some(BoilerplateKind::ReadAlso));
/// assert_eq!(doc.dateline.as_ref().and_then(|d| d.place.as_deref()), Some("JAKARTA"));
/// assert_eq!(doc.clean_text(), "Warga berkumpul di balai desa.");
/// ```
pub fn clean(text: &str) -> Document<'_> {
    LOCAL_MARKERS.with(|markers| clean_with(text, markers))
}

thread_local! {
    /// This thread's clone of [`MARKERS`] (see there).
    static LOCAL_MARKERS: Markers = MARKERS.clone();
}

fn clean_with<'t>(text: &'t str, markers: &Markers) -> Document<'t> {
    let mut paragraphs: Vec<Paragraph> = split_paragraphs(text)
        .map(|(start, end)| Paragraph {
            start,
            end,
            boilerplate: None,
            cuts: Vec::new(),
        })
        .collect();
    lines::mark_lines(text, markers, &mut paragraphs);
    lines::mark_tail_lists(text, &mut paragraphs);
    for p in paragraphs.iter_mut().filter(|p| p.boilerplate.is_none()) {
        inline::cut_inline(text, markers, p);
    }
    let mut doc = Document {
        text,
        offsets: Offsets::Bytes,
        paragraphs,
        dateline: None,
        sign_off: None,
    };
    // Inline cuts can leave a line that reads as boilerplate; settle that
    // before looking for the dateline and sign-off among content lines.
    doc.reclassify_remainders(markers);
    doc.dateline = dateline::find_dateline(text, markers, &mut doc.paragraphs);
    doc.sign_off = sign_off::find_sign_off(text, markers, &mut doc.paragraphs);
    doc.reclassify_remainders(markers);
    doc
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
                pos += if bytes[pos] == b'\r' && bytes.get(pos + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
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
    memchr::memchr2(b'\n', b'\r', &bytes[from..]).map_or(bytes.len(), |i| from + i)
}

/// White space or a zero-width character, as the label contract trims them.
pub fn is_blank_char(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}
