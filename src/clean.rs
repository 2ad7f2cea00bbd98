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

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::{Regex, RegexSet};
use regex_syntax::hir::Look;
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

/// Compiles the boilerplate markers and the dateline patterns now instead
/// of on first use (a few milliseconds), for an application that would
/// rather pay that at start-up, on a thread of its choosing: the CLI does
/// it on one worker while another loads the lexicon.
///
/// ```
/// std::thread::spawn(warta::clean::prepare).join().unwrap();
/// let doc = warta::clean::clean("JAKARTA - Warga berkumpul.\n\nBACA JUGA: Judul Lain");
/// assert!(doc.dateline.is_some() && doc.paragraphs[1].boilerplate.is_some());
/// ```
pub fn prepare() {
    LazyLock::force(&MARKERS);
    LazyLock::force(&DATELINE);
    LazyLock::force(&SIGN_OFF);
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
    // Inline cuts can leave a line that reads as boilerplate; settle that
    // before looking for the dateline and sign-off among content lines.
    doc.reclassify_remainders(markers);
    doc.dateline = find_dateline(text, markers, &mut doc.paragraphs);
    doc.sign_off = find_sign_off(text, markers, &mut doc.paragraphs);
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
    #[serde(default)]
    max_rest: usize,
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
    /// The line rules in groups: those anchored at the start of the line
    /// (a search for them stops a few bytes in on most lines), those
    /// anchored at its end (a backward search stops as soon), then each
    /// other rule alone: such a rule reads the whole line, so it is
    /// searched only on the lines short enough for it.
    rule_sets: Vec<RuleSet>,
    line_rules: Vec<LineRule>,
    inline: AhoCorasick,
    /// Kind, extent and most text kept after a "rest" marker, by pattern id.
    inline_rules: Vec<(BoilerplateKind, Extent, usize)>,
    outlet_hints: AhoCorasick,
}

impl Markers {
    /// Parses and compiles a marker file; the error names the rule at fault.
    fn parse(src: &str) -> Result<Markers, String> {
        let file: MarkerFile = toml::from_str(src).map_err(|e| e.to_string())?;
        if let Some(i) = file
            .line
            .iter()
            .position(|r| r.pattern.replace(r"(?-u:\b)", "").contains(r"\b"))
        {
            return Err(format!("[[line]] rule #{}: write \\b as (?-u:\\b)", i + 1));
        }
        let patterns: Vec<String> = file
            .line
            .iter()
            .map(|r| format!("(?i){}", r.pattern))
            .collect();
        let mut anchored = Vec::new();
        let mut ending = Vec::new();
        let mut floating = Vec::new();
        for (i, pattern) in patterns.iter().enumerate() {
            let hir = regex_syntax::parse(pattern)
                .map_err(|e| format!("[[line]] rule #{}: {e}", i + 1))?;
            if hir.properties().look_set_prefix().contains(Look::Start) {
                anchored.push(i);
            } else if hir.properties().look_set_suffix().contains(Look::End) {
                ending.push(i);
            } else {
                floating.push(i);
            }
        }
        let rule_sets = [anchored, ending]
            .into_iter()
            .chain(floating.into_iter().map(|i| vec![i]))
            .filter(|rules| !rules.is_empty())
            .map(|rules| RuleSet::new(&patterns, &file.line, rules))
            .collect::<Result<_, _>>()?;
        let line_rules: Vec<LineRule> = file
            .line
            .iter()
            .map(|r| LineRule {
                kind: r.kind,
                max_len: r.max_len,
                then: r.then,
            })
            .collect();
        let mut inline_patterns = Vec::new();
        let mut inline_rules = Vec::new();
        for spec in &file.inline {
            for m in &spec.markers {
                if m.is_empty() {
                    return Err(format!("[[inline]] {}: empty marker", spec.kind.id()));
                }
                inline_patterns.push(m.as_str());
                inline_rules.push((spec.kind, spec.extent, spec.max_rest));
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
            rule_sets,
            line_rules,
            inline,
            inline_rules,
            outlet_hints,
        })
    }

    /// The first line rule (in file order) that matches the trimmed
    /// paragraph `s`.
    fn line_rule(&self, s: &str) -> Option<LineRule> {
        let mut best: Option<usize> = None;
        for set in &self.rule_sets {
            // A group's rules are in file order: one that starts after the
            // best rule found so far cannot better it.
            if best.is_some_and(|b| b < set.rules[0]) {
                continue;
            }
            if let Some(i) = set.first(s, |i| s.len() <= self.line_rules[i].max_len) {
                best = Some(best.map_or(i, |b| b.min(i)));
            }
        }
        best.map(|i| self.line_rules[i])
    }
}

/// Some of the line rules, compiled together.
struct RuleSet {
    engine: Engine,
    /// Index in the marker file of each pattern of `engine`.
    rules: Vec<usize>,
    /// No rule of the set applies to a line longer than this many bytes.
    max_len: usize,
}

/// A rule alone is compiled as a plain regex, which can look for its
/// literals first; a set cannot.
enum Engine {
    One(Regex),
    Many(RegexSet),
}

impl RuleSet {
    /// Compiles `patterns[i]` for each `i` of `rules`.
    fn new(
        patterns: &[String],
        specs: &[LineRuleSpec],
        rules: Vec<usize>,
    ) -> Result<RuleSet, String> {
        let engine = match rules[..] {
            [i] => Regex::new(&patterns[i])
                .map(Engine::One)
                .map_err(|e| format!("[[line]] rule #{}: {e}", i + 1))?,
            _ => RegexSet::new(rules.iter().map(|&i| &patterns[i]))
                .map(Engine::Many)
                .map_err(|e| {
                    // Name the offending rule: compile them one by one.
                    let bad = rules
                        .iter()
                        .find(|&&i| Regex::new(&patterns[i]).is_err())
                        .map_or(0, |&i| i + 1);
                    format!("[[line]] rule #{bad}: {e}")
                })?,
        };
        let max_len = rules.iter().map(|&i| specs[i].max_len).max().unwrap_or(0);
        Ok(RuleSet {
            engine,
            rules,
            max_len,
        })
    }

    /// The file index of the first rule (in file order) that matches `s`
    /// and that `fits` it.
    fn first(&self, s: &str, fits: impl Fn(usize) -> bool) -> Option<usize> {
        if s.len() > self.max_len {
            return None;
        }
        match &self.engine {
            Engine::One(re) => Some(self.rules[0]).filter(|&i| fits(i) && re.is_match(s)),
            // Most lines match no rule: a yes/no search settles them
            // faster than asking which rules match.
            Engine::Many(set) if set.is_match(s) => set
                .matches(s)
                .iter()
                .map(|i| self.rules[i])
                .find(|&i| fits(i)),
            Engine::Many(_) => None,
        }
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

/// A read-also line that goes on with 80 bytes or more after its headline
/// (a flattened article): the cut covering the marker and headline.
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

/// Cuts inline markers out of a content paragraph. Markers that cutting
/// brings together in the kept text are cut in further rounds, so the
/// clean text holds none.
fn cut_inline(text: &str, markers: &Markers, p: &mut Paragraph) {
    // A read-also line with content after it already has its cut.
    let taken = p.cuts.last().map_or(p.start, |c| c.end);
    let found = inline_cuts(&text[taken..p.end], markers);
    if found.is_empty() {
        return;
    }
    p.cuts
        .extend(found.into_iter().map(|(start, end, kind)| Cut {
            start: taken + start,
            end: taken + end,
            reason: CutReason::Marker(kind),
        }));
    for _ in 0..4 {
        let kept = Kept::of(text, p);
        let found = inline_cuts(&kept.text, markers);
        if found.is_empty() {
            return;
        }
        for (start, end, kind) in found {
            kept.cut(p, start, end, CutReason::Marker(kind));
        }
    }
}

/// The inline marker cuts of `s`: (start, end, kind), in bytes into `s`.
fn inline_cuts(s: &str, markers: &Markers) -> Vec<(usize, usize, BoilerplateKind)> {
    let hits: Vec<_> = markers.inline.find_iter(s).collect();
    let mut cuts: Vec<(usize, usize, BoilerplateKind)> = Vec::new();
    if hits.is_empty() {
        return cuts;
    }
    // Markers and headlines first; a "rest" marker only bounds a headline.
    for (i, m) in hits.iter().enumerate() {
        let (kind, extent, _) = markers.inline_rules[m.pattern().as_usize()];
        let end = match extent {
            Extent::Marker => m.end(),
            Extent::Headline => {
                let limit = hits.get(i + 1).map_or(s.len(), |n| n.start());
                headline_end(s, m.end(), limit)
            }
            Extent::Rest => continue,
        };
        if cuts.last().is_none_or(|c| c.1 <= m.start()) {
            cuts.push((m.start(), end, kind));
        }
    }
    // The tail: the earliest "rest" marker followed by at most `max_rest`
    // bytes of text that stays. Only non-blank bytes outside other cuts and
    // before a closing sign-off count, so the decision is the same on the
    // clean text.
    let sign_offs = trailing_sign_offs(s);
    let kept = |from: usize, to: usize| {
        let to = to.min(sign_offs).max(from);
        let inside: usize = cuts
            .iter()
            .map(|c| non_blank_len(&s[c.0.clamp(from, to)..c.1.clamp(from, to)]))
            .sum();
        non_blank_len(&s[from..to]) - inside
    };
    let mut tail: Option<(usize, BoilerplateKind)> = None;
    for m in hits.iter().rev() {
        let (kind, extent, max_rest) = markers.inline_rules[m.pattern().as_usize()];
        let tail_start = tail.map_or(s.len(), |t| t.0);
        if extent == Extent::Rest
            && m.start() < tail_start
            && kept(m.start(), tail_start) <= max_rest
        {
            tail = Some((m.start(), kind));
        }
    }
    if let Some((start, kind)) = tail {
        cuts.retain(|c| c.0 < start);
        if let Some(last) = cuts.last_mut() {
            last.1 = last.1.min(start);
        }
        cuts.push((start, s.len(), kind));
    }
    cuts
}

/// The text of a content paragraph that stays once its cuts are gone: the
/// pieces between cuts, trimmed and joined by one space, as
/// [`Document::clean_text`] writes it, with the way back to the original.
/// Decisions made on it are the decisions made when the clean text is
/// cleaned again.
struct Kept {
    text: String,
    /// Start in `text`, start in the original, and length of each piece, in bytes.
    pieces: Vec<(usize, usize, usize)>,
}

impl Kept {
    fn of(text: &str, p: &Paragraph) -> Kept {
        let mut kept = Kept {
            text: String::new(),
            pieces: Vec::new(),
        };
        for piece in kept_pieces(text, p) {
            if !kept.text.is_empty() {
                kept.text.push(' ');
            }
            let original = piece.as_ptr() as usize - text.as_ptr() as usize;
            kept.pieces.push((kept.text.len(), original, piece.len()));
            kept.text.push_str(piece);
        }
        kept
    }

    /// The original byte ranges behind the kept range `start..end`.
    fn originals(&self, start: usize, end: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.pieces.iter().filter_map(move |&(at, original, len)| {
            let (s, e) = (start.max(at), end.min(at + len));
            (s < e).then(|| (original + s - at, original + e - at))
        })
    }

    /// The original span (first start, last end) behind a kept range.
    fn span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let mut ranges = self.originals(start, end);
        let first = ranges.next()?;
        Some((first.0, ranges.last().unwrap_or(first).1))
    }

    /// Cuts the kept range `start..end` out of `p`, one cut per piece.
    fn cut(&self, p: &mut Paragraph, start: usize, end: usize, reason: CutReason) {
        for (s, e) in self.originals(start, end) {
            let at = p.cuts.partition_point(|c| c.start < s);
            p.cuts.insert(
                at,
                Cut {
                    start: s,
                    end: e,
                    reason,
                },
            );
        }
    }
}

/// Bytes of `s` that are not blank.
fn non_blank_len(s: &str) -> usize {
    s.chars()
        .filter(|&c| !is_blank_char(c))
        .map(char::len_utf8)
        .sum()
}

/// Where the headline after a read-also marker ends, in bytes into `s`.
///
/// A run of two or more blank characters ends it (the paragraph break of a
/// flattened article). Failing that, the first sign of a sentence after
/// three words ends it: an opening quote, a capital after `.`/`!`/`?`, a
/// capital followed by two lower-case words, or a capital glued to a
/// lower-case letter (`...Big SaleMonica`). Failing that, it runs to
/// `limit` (the next marker or the line end) when that is near, and is
/// empty otherwise, so that content is never cut on a guess.
fn headline_end(s: &str, from: usize, limit: usize) -> usize {
    let head = &s[from..limit];
    let mut blank_run = None;
    for (i, c) in head.char_indices() {
        if !is_blank_char(c) {
            blank_run = None;
        } else if blank_run.is_some() {
            return trim_end_at(s, from + blank_run.unwrap_or(i));
        } else {
            blank_run = Some(i);
        }
    }
    let starts_upper = |w: &str| w.starts_with(char::is_uppercase);
    let starts_lower = |w: &str| w.starts_with(char::is_lowercase);
    let words: Vec<(usize, &str)> = word_spans(head).take(60).collect();
    for (k, &(at, w)) in words.iter().enumerate() {
        if k < 3 {
            continue;
        }
        let prev = words[k - 1].1;
        let next_two_lower = words.get(k + 1).is_some_and(|n| starts_lower(n.1))
            && words.get(k + 2).is_some_and(|n| starts_lower(n.1));
        if let Some(glue) = glued_capital(w) {
            return from + at + glue;
        }
        if w.starts_with(['"', '“'])
            || (starts_upper(w) && (prev.ends_with(['.', '!', '?']) || next_two_lower))
        {
            return trim_end_at(s, from + at);
        }
    }
    if limit < s.len() || head.len() <= 250 {
        trim_end_at(s, limit)
    } else {
        from
    }
}

/// Byte offset in `w` of a capital glued to a lower-case letter before it.
fn glued_capital(w: &str) -> Option<usize> {
    let mut prev_lower = false;
    for (i, c) in w.char_indices() {
        if prev_lower && c.is_uppercase() {
            return Some(i);
        }
        prev_lower = c.is_lowercase();
    }
    None
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
/// in capitals).
struct DatelinePatterns {
    /// `Jakarta (ANTARA) -`, `Bratislava, Slovakia (ANTARA) -`.
    paren: Regex,
    /// `JAKARTA, KOMPAS.com —`, `Liputan6.com, Jakarta -`.
    pair: Regex,
    /// `KONTAN.CO.ID – JAKARTA.`: a domain, then the place closed by a stop.
    domain_place: Regex,
    /// `Radarkoran.com -`, `SAMBAS —`.
    single: Regex,
}

// A hyphen needs a space on one side, so `Prabowo-Gibran` is no dateline.
const SEP: &str = r"(?:\s+-{1,2}\s*|\s*-{1,2}\s+|\s*--\s*|\s*[–—―‒]+\s*)";
const DOMAIN: &str = r"\p{Lu}[\p{L}\d]*(?:\.\p{L}+)+";

static DATELINE: LazyLock<DatelinePatterns> = LazyLock::new(|| {
    // Runs and repeated words are written unbounded and their lengths
    // checked after the match (see `parse_dateline`): a bounded repetition
    // of a class as big as `[^,()]` or `\p{L}` compiles to an automaton many
    // times larger, and slower to build.
    const PLACE: &str = r"\p{Lu}[\p{L}.'\-]*(?:\s+\p{Lu}[\p{L}.'\-]*)*";
    DatelinePatterns {
        paren: build_dateline(format!(r"^({PLACE}(?:,\s*{PLACE})?)\s*\(([^()\n]+)\){SEP}")),
        pair: build_dateline(format!(r"^([^\s,()][^,()]*?),\s*([^\s,()][^,()]*?){SEP}")),
        domain_place: build_dateline(format!(r"^({DOMAIN}){SEP}(\p{{Lu}}[\p{{Lu}} ]+)\.\s")),
        single: build_dateline(format!(r"^([^\s,()][^,()]*?){SEP}")),
    }
});

/// `Laporan Wartawan X, Name OUTLET.COM, PLACE -`: a reporter line glued
/// before the dateline. The costliest pattern to build, for a rare line:
/// built the first time a line starts with `laporan`.
static REPORT: LazyLock<Regex> = LazyLock::new(|| {
    build_dateline(format!(
        r"^(?i:laporan\s+(?:wartawan|reporter|koresponden))\b([^\n]*?)\s({DOMAIN})(?:,\s*(\p{{Lu}}[\p{{Lu}} ]{{1,30}}?))?{SEP}"
    ))
});

/// Compiles a dateline pattern (ours, checked by the tests).
fn build_dateline(pattern: String) -> Regex {
    Regex::new(&pattern).unwrap_or_else(|e| panic!("dateline pattern: {e}"))
}

/// Whether `s` has from `min` to `max` characters.
fn chars_within(s: &str, min: usize, max: usize) -> bool {
    // A character takes at most four bytes and at least one.
    if s.len() < min || s.len() > 4 * max {
        return false;
    }
    (min..=max).contains(&s.chars().count())
}

/// A dateline found at the start of a line; offsets in bytes into the line.
struct DatelineMatch<'l> {
    place: Option<&'l str>,
    outlet: Option<&'l str>,
    /// Where the dateline starts: after a glued reporter credit, else 0.
    start: usize,
    /// End of the separator, trailing blanks left out.
    end: usize,
}

/// Finds the dateline in the first content paragraphs, records the first
/// one and cuts them all, with a reporter credit glued before one.
///
/// The search reads the kept text (see [`Kept`]) and goes on past a
/// paragraph while what it keeps reads as a title (a short line with no
/// closing stop), over at most three paragraphs that keep text.
fn find_dateline(text: &str, markers: &Markers, paragraphs: &mut [Paragraph]) -> Option<Dateline> {
    let mut first: Option<Dateline> = None;
    let mut seen = 0;
    for p in paragraphs.iter_mut().filter(|p| p.boilerplate.is_none()) {
        if seen == 3 {
            break;
        }
        let kept = Kept::of(text, p);
        let mut pos = 0;
        // Text must follow a dateline; a repeated one goes too.
        while let Some(d) = parse_dateline(&kept.text[pos..], markers).filter(|d| {
            !kept.text[pos + d.end..]
                .trim_matches(is_blank_char)
                .is_empty()
        }) {
            if d.start > 0 {
                let credit_end = pos + trim_end_at(&kept.text[pos..], d.start);
                kept.cut(
                    p,
                    pos,
                    credit_end,
                    CutReason::Marker(BoilerplateKind::Byline),
                );
            }
            let (start, end) = (pos + d.start, pos + d.end);
            kept.cut(p, start, end, CutReason::Dateline);
            if let Some((s, e)) = kept.span(start, end) {
                first.get_or_insert(Dateline {
                    place: d.place.map(str::to_owned),
                    outlet: d.outlet.map(str::to_owned),
                    start: s,
                    end: e,
                });
            }
            pos = kept.text.len() - kept.text[end..].trim_start_matches(is_blank_char).len();
        }
        let rest = &kept.text[pos..];
        if rest.is_empty() || markers.line_rule(rest).is_some() {
            continue; // Gone from the clean text: not counted.
        }
        seen += 1;
        if !is_title(rest) {
            break;
        }
    }
    first
}

/// A short line that does not end a sentence: a title before the body.
fn is_title(s: &str) -> bool {
    s.len() <= 250 && !s.ends_with(['.', '"', '”', '\'', '’', ')'])
}

/// The dateline at the start of `line`, if any.
fn parse_dateline<'l>(line: &'l str, markers: &Markers) -> Option<DatelineMatch<'l>> {
    let head = &line[..floor_char_boundary(line, 160)];
    // Every pattern ends in a separator, a hyphen or a dash (U+2012 to
    // U+2015, which all start with the byte 0xE2): most lines have none.
    memchr::memchr2(b'-', 0xE2, head.as_bytes())?;
    let pats = &*DATELINE;
    let found = |place: Option<&'l str>, outlet: Option<&'l str>, start: usize, end: usize| {
        Some(DatelineMatch {
            place,
            outlet,
            start,
            end: trim_end_at(line, end),
        })
    };
    // Each check of a group's length stands for a bound in the pattern
    // (see `DATELINE`); a run that breaks it means no match.
    let within = |c: &regex::Captures<'_>, group: usize, min: usize, max: usize| {
        c.get(group)
            .is_some_and(|m| chars_within(m.as_str(), min, max))
    };
    // No letter of `laporan` has a case-insensitive match outside ASCII.
    let report = head
        .as_bytes()
        .get(..7)
        .is_some_and(|h| h.eq_ignore_ascii_case(b"laporan"));
    if let Some(c) = report
        .then(|| REPORT.captures(head))
        .flatten()
        .filter(|c| within(c, 1, 0, 100))
    {
        let outlet = c.get(2)?;
        return found(
            c.get(3).map(|m| m.as_str()),
            Some(outlet.as_str()),
            outlet.start(),
            c.get(0)?.end(),
        );
    }
    // At most four words in each place of `paren`.
    let places_of_four = |c: &regex::Captures<'_>| {
        c.get(1).is_some_and(|m| {
            m.as_str()
                .split(',')
                .all(|place| place.split_whitespace().count() <= 4)
        })
    };
    if let Some(c) = pats
        .paren
        .captures(head)
        .filter(|c| within(c, 2, 2, 40) && places_of_four(c))
    {
        return found(
            Some(c.get(1)?.as_str()),
            Some(c.get(2)?.as_str()),
            0,
            c.get(0)?.end(),
        );
    }
    if let Some(c) = pats
        .domain_place
        .captures(head)
        .filter(|c| within(c, 2, 2, 31))
    {
        let place = c.get(2)?;
        return found(
            Some(place.as_str()),
            Some(c.get(1)?.as_str()),
            0,
            place.end() + 1,
        );
    }
    if let Some(c) = pats
        .pair
        .captures(head)
        .filter(|c| within(c, 1, 1, 41) && within(c, 2, 1, 41))
    {
        let (a, b) = (c.get(1)?.as_str(), c.get(2)?.as_str());
        let outlet_a = is_outlet(a, markers);
        let outlet_b = is_outlet(b, markers);
        if !(is_name(a) && is_name(b) && (outlet_a || outlet_b || is_caps(a) || is_caps(b))) {
            return None;
        }
        let end = c.get(0)?.end();
        return if outlet_a && !outlet_b {
            found(Some(b), Some(a), 0, end)
        } else {
            found(Some(a), Some(b), 0, end)
        };
    }
    let c = pats.single.captures(head).filter(|c| within(c, 1, 1, 41))?;
    let a = c.get(1)?.as_str();
    let end = c.get(0)?.end();
    if is_outlet(a, markers) && is_name(a) {
        return found(None, Some(a), 0, end);
    }
    if !is_caps(a) || a.split_whitespace().count() > 3 {
        return None;
    }
    found(Some(a), None, 0, end)
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

/// Where the sign-offs at the end of `s` start (one or more, blanks of any
/// sort between them), in bytes; `s.len()` when there are none.
fn trailing_sign_offs(s: &str) -> usize {
    let mut start = s.len();
    loop {
        let body = s[..start].trim_end_matches(is_blank_char);
        let tail_from = floor_char_boundary(body, body.len().saturating_sub(80));
        match SIGN_OFF.find(&body[tail_from..]) {
            Some(m) => start = tail_from + m.start(),
            None => return start,
        }
    }
}

/// Cuts the sign-offs off the end of the kept text (see [`Kept`]): from
/// the last content paragraph back, over lines that end up empty or read
/// as boilerplate once cut. Records the last sign-off of a line that stays.
fn find_sign_off(text: &str, markers: &Markers, paragraphs: &mut [Paragraph]) -> Option<SignOff> {
    let mut found: Option<SignOff> = None;
    for p in paragraphs
        .iter_mut()
        .rev()
        .filter(|p| p.boilerplate.is_none())
    {
        let kept = Kept::of(text, p);
        if kept.text.is_empty() || markers.line_rule(&kept.text).is_some() {
            continue; // Gone from the clean text.
        }
        let start = trailing_sign_offs(&kept.text);
        if start == kept.text.len() {
            break;
        }
        let end = trim_end_at(&kept.text, kept.text.len());
        kept.cut(p, start, end, CutReason::SignOff);
        let before = kept.text[..start].trim_end_matches(is_blank_char);
        let stays = before.is_empty() || markers.line_rule(before).is_none();
        if stays && let Some((s, e)) = kept.span(start, end) {
            found.get_or_insert(SignOff {
                text: text[s..e].to_owned(),
                start: s,
                end: e,
            });
        }
        if !before.is_empty() && stays {
            break;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_markers_parse() {
        let markers = Markers::parse(include_str!("../data/boilerplate.toml"));
        assert!(markers.is_ok(), "{:?}", markers.err());
    }

    #[test]
    fn broken_marker_files_name_the_fault() {
        let cases = [
            (
                "[[line]]\nkind = \"footer\"\npattern = '^tag('\nmax_len = 9\n[[inline]]\nkind = \"promo\"\nextent = \"marker\"\nmarkers = [\"X\"]\n[dateline]\noutlet_hints = []\n",
                "[[line]] rule #1",
            ),
            (
                "[[line]]\nkind = \"feet\"\npattern = 'x'\nmax_len = 9\n",
                "line 2",
            ),
            (
                "[[line]]\nkind = \"footer\"\npattern = '\\bx'\nmax_len = 9\n[[inline]]\nkind = \"promo\"\nextent = \"marker\"\nmarkers = [\"X\"]\n[dateline]\noutlet_hints = []\n",
                "(?-u:\\b)",
            ),
        ];
        for (src, needle) in cases {
            let err = Markers::parse(src).err().unwrap_or_default();
            assert!(err.contains(needle), "{needle:?} not in {err:?}");
        }
    }

    #[test]
    fn headline_ends() {
        // (text after the marker, expected headline)
        let cases = [
            ("Judul pendek di akhir", "Judul pendek di akhir"),
            (
                "Judul satu   Kalimat berikutnya di paragraf lain.",
                "Judul satu",
            ),
            (
                "Lima Desa Raih Penghargaan Tingkat Kabupaten Sementara itu warga tetap bekerja.",
                "Lima Desa Raih Penghargaan Tingkat Kabupaten",
            ),
            (
                "Harga Cabai Turun di Pasar “Kami senang,” kata pedagang.",
                "Harga Cabai Turun di Pasar",
            ),
            (
                "Pasar Baru Dibuka Hari IniWarga datang sejak pagi.",
                "Pasar Baru Dibuka Hari Ini",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(
                &text[..headline_end(text, 0, text.len())],
                expected,
                "{text:?}"
            );
        }
    }
}
