//! Whole-line boilerplate: the line rules, the runs of lines under a
//! heading, and a list of headlines closing the text.

use super::inline::headline_end;
use super::markers::{Follow, Markers};
use super::{BoilerplateKind, Cut, CutReason, Paragraph, is_blank_char};

/// Marks paragraphs by whole-line rules, and the lines that follow a heading.
pub(super) fn mark_lines(text: &str, markers: &Markers, paragraphs: &mut [Paragraph]) {
    let mut follow: Option<(Follow, BoilerplateKind)> = None;
    let gated = markers.gated_may_match(text);
    for p in paragraphs.iter_mut() {
        let s = &text[p.start..p.end];
        if let Some(rule) = markers.line_rule_among(s, gated) {
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
pub(super) fn follows(f: Follow, s: &str) -> bool {
    let words = s.split_whitespace().count();
    let open_end = !s.ends_with(['.', ',', ';', ':']);
    match f {
        Follow::Headlines => s.len() <= 200 && words <= 30 && open_end,
        Follow::Tags => s.len() <= 60 && words <= 6 && open_end,
    }
}

/// A read-also line that goes on with 80 bytes or more after its headline
/// (a flattened article): the cut covering the marker and headline.
pub(super) fn read_also_with_content(s: &str, base: usize) -> Option<Cut> {
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
pub(super) fn mark_tail_lists(text: &str, paragraphs: &mut [Paragraph]) {
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
pub(super) fn is_headline(s: &str) -> bool {
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
