//! Stage 1: split text into paragraphs and tell content from boilerplate.
//!
//! A paragraph is one non-blank line (see the label contract). Every span is
//! a byte range into the caller's original text, trimmed of white space and
//! zero-width characters, on char boundaries.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::{Regex, RegexSet};
use serde::{Deserialize, Serialize};

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

    /// The clean text: the content paragraphs with their cuts (dateline,
    /// sign-off, inline markers) removed, joined by blank lines.
    ///
    /// The dateline and sign-off are left out (they are metadata, kept in
    /// [`Document::dateline`] and [`Document::sign_off`]), so cleaning the
    /// clean text again gives the same text: `clean(&d.clean_text())
    /// .clean_text() == d.clean_text()`.
    pub fn clean_text(&self) -> String {
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

/// The pieces of a paragraph between its cuts, trimmed, non-empty.
fn kept_pieces<'t>(text: &'t str, p: &'t Paragraph) -> impl Iterator<Item = &'t str> + 't {
    let mut pos = p.start;
    let mut cuts = p.cuts.iter();
    let mut done = false;
    std::iter::from_fn(move || {
        while !done {
            let (end, next) = match cuts.next() {
                Some(c) => (c.start.max(pos), c.end.max(pos)),
                None => {
                    done = true;
                    (p.end, p.end)
                }
            };
            let piece = text.get(pos..end).unwrap_or("").trim_matches(is_blank_char);
            pos = next;
            if !piece.is_empty() {
                return Some(piece);
            }
        }
        None
    })
}

/// Splits `text` into paragraphs, marks boilerplate, and splits off the
/// dateline, the sign-off and inline markers as cuts (byte ranges).
pub fn clean(text: &str) -> Document<'_> {
    let markers = &*MARKERS;
    let mut paragraphs: Vec<Paragraph> = split_paragraphs(text)
        .map(|(start, end)| Paragraph {
            start,
            end,
            boilerplate: None,
            cuts: Vec::new(),
        })
        .collect();
    mark_lines(text, markers, &mut paragraphs);
    mark_tail_lists(text, &mut paragraphs);
    for p in paragraphs.iter_mut().filter(|p| p.boilerplate.is_none()) {
        cut_inline(text, markers, p);
    }
    let mut doc = Document {
        text,
        paragraphs,
        dateline: None,
        sign_off: None,
    };
    // A line that is only markers (a bare `Pewarta:`) is boilerplate before
    // the dateline and sign-off are looked for, as it is in the clean text.
    doc.reclassify_remainders(markers);
    doc.dateline = find_dateline(text, markers, &mut doc.paragraphs);
    doc.sign_off = find_sign_off(text, &mut doc.paragraphs);
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
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |i| from + i)
}

/// White space or a zero-width character, as the label contract trims them.
pub fn is_blank_char(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// The markers of `data/boilerplate.toml`, compiled once.
static MARKERS: LazyLock<Markers> = LazyLock::new(|| {
    // The file is embedded at build time and checked by a unit test, so a
    // failure here is a packaging bug, not bad input.
    Markers::parse(include_str!("../data/boilerplate.toml"))
        .unwrap_or_else(|e| panic!("data/boilerplate.toml: {e}"))
});

/// What the lines after a heading must look like to share its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Follow {
    Headlines,
    Tags,
}

/// How much of a content line an inline marker takes with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Extent {
    Marker,
    Headline,
    Rest,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MarkerFile {
    line: Vec<LineRuleSpec>,
    inline: Vec<InlineSpec>,
    dateline: DatelineSpec,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LineRuleSpec {
    kind: BoilerplateKind,
    pattern: String,
    max_len: usize,
    then: Option<Follow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InlineSpec {
    kind: BoilerplateKind,
    extent: Extent,
    markers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DatelineSpec {
    outlet_hints: Vec<String>,
}

/// A whole-line rule after compilation.
#[derive(Debug, Clone, Copy)]
struct LineRule {
    kind: BoilerplateKind,
    max_len: usize,
    then: Option<Follow>,
}

/// Compiled boilerplate markers.
struct Markers {
    line_set: RegexSet,
    line_rules: Vec<LineRule>,
    /// No line rule applies to a paragraph longer than this many bytes.
    max_line_len: usize,
    inline: AhoCorasick,
    /// Kind and extent of each inline pattern, by pattern id.
    inline_rules: Vec<(BoilerplateKind, Extent)>,
    outlet_hints: AhoCorasick,
}

impl Markers {
    /// Parses and compiles a marker file; the error names the rule at fault.
    fn parse(src: &str) -> Result<Markers, String> {
        let file: MarkerFile = toml::from_str(src).map_err(|e| e.to_string())?;
        let patterns = file.line.iter().map(|r| format!("(?i){}", r.pattern));
        let line_set = RegexSet::new(patterns).map_err(|e| {
            // Name the offending rule: compile them one by one.
            let bad = file
                .line
                .iter()
                .position(|r| Regex::new(&format!("(?i){}", r.pattern)).is_err())
                .map_or(0, |i| i + 1);
            format!("[[line]] rule #{bad}: {e}")
        })?;
        let line_rules: Vec<LineRule> = file
            .line
            .iter()
            .map(|r| LineRule {
                kind: r.kind,
                max_len: r.max_len,
                then: r.then,
            })
            .collect();
        let max_line_len = line_rules.iter().map(|r| r.max_len).max().unwrap_or(0);
        let mut inline_patterns = Vec::new();
        let mut inline_rules = Vec::new();
        for spec in &file.inline {
            for m in &spec.markers {
                if m.is_empty() {
                    return Err(format!("[[inline]] {}: empty marker", spec.kind.id()));
                }
                inline_patterns.push(m.as_str());
                inline_rules.push((spec.kind, spec.extent));
            }
        }
        let inline = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&inline_patterns)
            .map_err(|e| format!("[[inline]]: {e}"))?;
        let outlet_hints = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&file.dateline.outlet_hints)
            .map_err(|e| format!("[dateline]: {e}"))?;
        Ok(Markers {
            line_set,
            line_rules,
            max_line_len,
            inline,
            inline_rules,
            outlet_hints,
        })
    }

    /// The first line rule that matches the trimmed paragraph `s`.
    fn line_rule(&self, s: &str) -> Option<LineRule> {
        if s.len() > self.max_line_len {
            return None;
        }
        self.line_set
            .matches(s)
            .iter()
            .map(|i| self.line_rules[i])
            .find(|r| s.len() <= r.max_len)
    }
}

/// Marks paragraphs by whole-line rules, and the lines that follow a heading.
fn mark_lines(text: &str, markers: &Markers, paragraphs: &mut [Paragraph]) {
    let mut follow: Option<(Follow, BoilerplateKind)> = None;
    for p in paragraphs.iter_mut() {
        let s = &text[p.start..p.end];
        if let Some(rule) = markers.line_rule(s) {
            if rule.kind == BoilerplateKind::ReadAlso
                && let Some(cut) = read_also_with_content(s, p.start)
            {
                // A flattened line that goes on after the headline.
                p.cuts.push(cut);
                follow = None;
                continue;
            }
            p.boilerplate = Some(rule.kind);
            follow = rule.then.map(|f| (f, rule.kind));
        } else if let Some((f, kind)) = follow
            && follows(f, s)
        {
            p.boilerplate = Some(kind);
        } else {
            follow = None;
        }
    }
}

/// Whether a line can sit in the run under a heading of this sort.
fn follows(f: Follow, s: &str) -> bool {
    let words = s.split_whitespace().count();
    let open_end = !s.ends_with(['.', ',', ';', ':']);
    match f {
        Follow::Headlines => s.len() <= 200 && words <= 30 && open_end,
        Follow::Tags => s.len() <= 60 && words <= 6 && open_end,
    }
}

/// A read-also line that goes on with content after a run of two or more
/// spaces (a flattened article): the cut covering the marker and headline.
fn read_also_with_content(s: &str, base: usize) -> Option<Cut> {
    let head = headline_end(s, 0, s.len());
    let rest = s[head..].trim_matches(is_blank_char);
    (rest.len() >= 80).then(|| Cut {
        start: base,
        end: base + head,
        reason: CutReason::Marker(BoilerplateKind::ReadAlso),
    })
}

/// Marks a run of two or more headline-like lines at the end of the text,
/// after other boilerplate, as a related-stories list with no heading.
fn mark_tail_lists(text: &str, paragraphs: &mut [Paragraph]) {
    let mut i = paragraphs.len();
    loop {
        while i > 0 && paragraphs[i - 1].boilerplate.is_some() {
            i -= 1;
        }
        let run_end = i;
        while i > 0
            && paragraphs[i - 1].boilerplate.is_none()
            && paragraphs[i - 1].cuts.is_empty()
            && is_headline(&text[paragraphs[i - 1].start..paragraphs[i - 1].end])
        {
            i -= 1;
        }
        let preceded_by_boilerplate = i > 0 && paragraphs[i - 1].boilerplate.is_some();
        if run_end - i < 2 || !preceded_by_boilerplate {
            return;
        }
        for p in &mut paragraphs[i..run_end] {
            p.boilerplate = Some(BoilerplateKind::RelatedList);
        }
    }
}

/// A short title-case line without closing punctuation.
fn is_headline(s: &str) -> bool {
    if s.len() > 200 || s.ends_with(['.', ',', ';', ':', '"', '”']) {
        return false;
    }
    let (mut words, mut capital) = (0, 0);
    for w in s.split_whitespace() {
        words += 1;
        if w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()) {
            capital += 1;
        }
    }
    (3..=25).contains(&words) && capital * 5 >= words * 3
}

/// Cuts inline markers out of a content paragraph.
fn cut_inline(text: &str, markers: &Markers, p: &mut Paragraph) {
    let s = &text[p.start..p.end];
    let mut hits = markers.inline.find_iter(s).peekable();
    while let Some(m) = hits.next() {
        let (kind, extent) = markers.inline_rules[m.pattern().as_usize()];
        let end = match extent {
            Extent::Marker => m.end(),
            Extent::Headline => {
                let limit = hits.peek().map_or(s.len(), |n| n.start());
                headline_end(s, m.end(), limit)
            }
            Extent::Rest if s.len() - m.start() <= 300 => s.len(),
            Extent::Rest => continue,
        };
        if p.cuts.last().is_some_and(|c| c.end > p.start + m.start()) {
            continue;
        }
        p.cuts.push(Cut {
            start: p.start + m.start(),
            end: p.start + end,
            reason: CutReason::Marker(kind),
        });
        if end == s.len() {
            break;
        }
    }
}

/// Where the headline after a read-also marker ends, in bytes into `s`:
/// at a run of two or more blank characters (the paragraph break of a
/// flattened article), at `limit` (the next marker or the line end) when
/// the headline is short, else where title case gives way to a sentence.
fn headline_end(s: &str, from: usize, limit: usize) -> usize {
    let head = &s[from..limit];
    let mut prev_blank = None;
    for (i, c) in head.char_indices() {
        if is_blank_char(c) {
            if let Some(start) = prev_blank
                && i > start
            {
                return trim_end_at(s, from + start);
            }
            prev_blank.get_or_insert(i);
        } else {
            prev_blank = None;
        }
    }
    if head.len() <= 250 {
        return trim_end_at(s, limit);
    }
    // No paragraph break: end before a capitalised word that opens a
    // sentence (two plain lower-case words follow it).
    let words: Vec<(usize, &str)> = word_spans(head).take(40).collect();
    for w in 3..words.len().saturating_sub(2) {
        let lower = |k: usize| words[k].1.starts_with(|c: char| c.is_lowercase());
        if words[w].1.starts_with(|c: char| c.is_uppercase()) && lower(w + 1) && lower(w + 2) {
            return trim_end_at(s, from + words[w].0);
        }
    }
    from
}

/// Words of `s` split at white space, with their byte offsets.
fn word_spans(s: &str) -> impl Iterator<Item = (usize, &str)> {
    s.split(is_blank_char)
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
}

/// `end` moved back over blank characters.
fn trim_end_at(s: &str, end: usize) -> usize {
    s[..end].trim_end_matches(is_blank_char).len()
}

/// Dateline patterns (case-sensitive: place names and outlets are written
/// in capitals): `Place (OUTLET) -`, `A, B -` and `A -`.
static DATELINE: LazyLock<[Regex; 3]> = LazyLock::new(|| {
    const SEP: &str = r"(?:\s+-{1,2}\s*|\s*-{1,2}\s+|\s*--\s*|\s*[–—―‒]+\s*)";
    let build = |p: String| Regex::new(&p).unwrap_or_else(|e| panic!("dateline pattern: {e}"));
    [
        build(format!(
            r"^(\p{{Lu}}[\p{{L}}.'\-]*(?:\s+\p{{Lu}}[\p{{L}}.'\-]*){{0,3}})\s*\(([^()\n]{{2,40}})\){SEP}"
        )),
        build(format!(
            r"^([^\s,()][^,()]{{0,40}}?),\s*([^\s,()][^,()]{{0,40}}?){SEP}"
        )),
        build(format!(r"^([^\s,()][^,()]{{0,40}}?){SEP}")),
    ]
});

/// Finds the dateline in the first content paragraphs (a title line comes
/// before it), records it and cuts it.
fn find_dateline(text: &str, markers: &Markers, paragraphs: &mut [Paragraph]) -> Option<Dateline> {
    for p in paragraphs
        .iter_mut()
        .filter(|p| p.boilerplate.is_none())
        .take(3)
    {
        // Skip the marker cuts at the very start of the line.
        let mut from = p.start;
        let mut skipped = 0;
        for c in &p.cuts {
            match text.get(from..c.start) {
                Some(gap) if gap.trim_matches(is_blank_char).is_empty() => {
                    from = c.end;
                    skipped += 1;
                }
                _ => break,
            }
        }
        let line = text[from..p.end].trim_start_matches(is_blank_char);
        let from = p.end - line.len();
        // A dateline never holds a marker (`ADVERTISEMENT - ` is no place).
        let holds_marker = |end: usize| p.cuts.iter().any(|c| c.start < end && from < c.end);
        if let Some(d) = parse_dateline(line, markers).filter(|d| !holds_marker(from + d.2)) {
            let dateline = Dateline {
                start: from,
                end: from + d.2,
                place: d.0.map(str::to_owned),
                outlet: d.1.map(str::to_owned),
            };
            p.cuts.insert(
                skipped,
                Cut {
                    start: dateline.start,
                    end: dateline.end,
                    reason: CutReason::Dateline,
                },
            );
            return Some(dateline);
        }
        // A title as the clean text has it, without its markers.
        if !is_title(&kept_pieces(text, p).collect::<Vec<_>>().join(" ")) {
            break;
        }
    }
    None
}

/// A short line that does not end a sentence: a title before the body.
fn is_title(s: &str) -> bool {
    s.len() <= 250 && !s.ends_with(['.', '"', '”', '\'', '’', ')'])
}

/// Place, outlet and end (bytes, separator included, trailing blanks not)
/// of a dateline at the start of `line`.
fn parse_dateline<'l>(
    line: &'l str,
    markers: &Markers,
) -> Option<(Option<&'l str>, Option<&'l str>, usize)> {
    let head = &line[..floor_char_boundary(line, 120)];
    let [paren, pair, single] = &*DATELINE;
    let (place, outlet, end) = if let Some(c) = paren.captures(head) {
        (c.get(1)?.as_str(), c.get(2)?.as_str(), c.get(0)?.end())
    } else if let Some(c) = pair.captures(head) {
        let (a, b) = (c.get(1)?.as_str(), c.get(2)?.as_str());
        if !(is_name(a)
            && is_name(b)
            && (is_outlet(a, markers) || is_outlet(b, markers) || is_caps(a) || is_caps(b)))
        {
            return None;
        }
        let end = c.get(0)?.end();
        if is_outlet(a, markers) && !is_outlet(b, markers) {
            (b, a, end)
        } else {
            (a, b, end)
        }
    } else {
        let c = single.captures(head)?;
        let a = c.get(1)?.as_str();
        let end = c.get(0)?.end();
        if is_outlet(a, markers) && is_name(a) {
            return (line.len() > end).then_some((None, Some(a), trim_end_at(line, end)));
        }
        if !is_caps(a) || a.split_whitespace().count() > 3 {
            return None;
        }
        return (line.len() > end).then_some((Some(a), None, trim_end_at(line, end)));
    };
    (line.len() > end).then_some((Some(place), Some(outlet), trim_end_at(line, end)))
}

/// One to four words that each start with a capital or a digit, or a domain.
fn is_name(s: &str) -> bool {
    let words = s.split_whitespace().count();
    (1..=4).contains(&words)
        && (is_domain(s)
            || s.split_whitespace()
                .all(|w| w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())))
}

/// Written in capitals only (digits and punctuation allowed), with letters.
fn is_caps(s: &str) -> bool {
    s.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !s.chars().any(char::is_lowercase)
}

/// A web domain such as `Radarkoran.com` or `SUARAKALBAR.ID`.
fn is_domain(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    [".com", ".co", ".id", ".net", ".org", ".tv", ".news"]
        .iter()
        .any(|d| lower.contains(d))
        && !s.contains(' ')
}

/// A domain, or a name with an outlet hint in it (`KLIKANGGARAN`, `CNN Indonesia`).
fn is_outlet(s: &str, markers: &Markers) -> bool {
    is_domain(s) || markers.outlet_hints.is_match(s)
}

/// The largest char boundary of `s` at or before `at`.
fn floor_char_boundary(s: &str, at: usize) -> usize {
    (0..=at.min(s.len()))
        .rev()
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(0)
}

/// Trailing sign-offs: `(ant)`, `[zul]`, `(jbr/idh)`, `(*)`, one or more.
static SIGN_OFF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[(\[](?:\*|[a-z]{1,15}(?:\s*/\s*[a-z]{1,15})*)[)\]]\s*)+$")
        .unwrap_or_else(|e| panic!("sign-off pattern: {e}"))
});

/// Cuts the sign-off off the last content paragraph; a content paragraph
/// that is only a sign-off is cut whole and the one before it is looked at.
fn find_sign_off(text: &str, paragraphs: &mut [Paragraph]) -> Option<SignOff> {
    let mut found: Option<SignOff> = None;
    for p in paragraphs
        .iter_mut()
        .rev()
        .filter(|p| p.boilerplate.is_none())
    {
        // A line cut away whole (a dateline and a marker) is skipped.
        if kept_pieces(text, p).next().is_none() {
            continue;
        }
        // Look before the cuts that run to the end of the line.
        let mut end = p.end;
        let mut kept = p.cuts.len();
        while let Some(c) = p.cuts[..kept].last().filter(|c| {
            text.get(c.end.min(end)..end)
                .is_some_and(|gap| gap.trim_matches(is_blank_char).is_empty())
        }) {
            end = c.start.min(end);
            kept -= 1;
        }
        let start = p.cuts[..kept]
            .last()
            .filter(|c| c.end <= end)
            .map_or(p.start, |c| c.end);
        let body = text[start..end].trim_end_matches(is_blank_char);
        let tail = &body[floor_char_boundary(body, body.len().saturating_sub(80))..];
        let Some(m) = SIGN_OFF.find(tail) else { break };
        let s_start = start + (body.len() - tail.len()) + m.start();
        let s_end = start + trim_end_at(body, body.len());
        let cut = Cut {
            start: s_start,
            end: s_end,
            reason: CutReason::SignOff,
        };
        let at = p
            .cuts
            .iter()
            .position(|c| c.start >= s_end)
            .unwrap_or(p.cuts.len());
        p.cuts.insert(at, cut);
        found.get_or_insert(SignOff {
            text: text[s_start..s_end].to_owned(),
            start: s_start,
            end: s_end,
        });
        if kept_pieces(text, p).next().is_some() {
            break;
        }
    }
    found
}
