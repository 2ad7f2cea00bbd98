//! Invariants every output of warta keeps on any input text, shared by
//! `tests/robustness.rs` and the fuzz targets in `fuzz/` (which include this
//! file by path), so a property test and a fuzz run check the same thing.

use warta::Article;
use warta::clean::{Document, is_blank_char};
use warta::token::Token;

/// Panics unless `start..end` is a non-inverted byte range of `text` on char
/// boundaries.
pub fn assert_span(text: &str, start: usize, end: usize, what: &str) {
    assert!(
        start <= end && end <= text.len(),
        "{what} {start}..{end} outside text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what} {start}..{end} not on char boundaries"
    );
}

/// Panics unless `inner` lies inside `outer`.
fn assert_inside(inner: (usize, usize), outer: (usize, usize), what: &str) {
    assert!(
        outer.0 <= inner.0 && inner.1 <= outer.1,
        "{what} {}..{} outside {}..{}",
        inner.0,
        inner.1,
        outer.0,
        outer.1
    );
}

/// Checks a cleaned document: paragraphs are non-empty trimmed single lines,
/// in order, not overlapping; cuts lie inside their paragraph, in order; the
/// dateline and sign-off lie inside a content paragraph.
pub fn check_document(text: &str, doc: &Document<'_>) {
    assert_eq!(doc.text(), text);
    let mut previous_end = 0;
    for p in &doc.paragraphs {
        assert_span(text, p.start, p.end, "paragraph");
        assert!(p.start < p.end, "empty paragraph at {}", p.start);
        assert!(
            p.start >= previous_end,
            "paragraph {}..{} overlaps",
            p.start,
            p.end
        );
        previous_end = p.end;
        let body = &text[p.start..p.end];
        assert!(
            !body.contains(['\n', '\r']),
            "paragraph {}..{} spans lines",
            p.start,
            p.end
        );
        assert!(
            !body.starts_with(is_blank_char) && !body.ends_with(is_blank_char),
            "paragraph {}..{} not trimmed",
            p.start,
            p.end
        );
        let mut cut_end = p.start;
        for c in &p.cuts {
            assert_span(text, c.start, c.end, "cut");
            assert_inside((c.start, c.end), (p.start, p.end), "cut");
            assert!(
                c.start >= cut_end,
                "cut {}..{} out of order",
                c.start,
                c.end
            );
            cut_end = c.end;
        }
    }
    let in_content = |start: usize, end: usize| {
        doc.paragraphs
            .iter()
            .any(|p| p.boilerplate.is_none() && p.start <= start && end <= p.end)
    };
    if let Some(d) = &doc.dateline {
        assert_span(text, d.start, d.end, "dateline");
        assert!(
            in_content(d.start, d.end),
            "dateline {}..{} outside content",
            d.start,
            d.end
        );
    }
    if let Some(s) = &doc.sign_off {
        assert_span(text, s.start, s.end, "sign-off");
        assert!(
            in_content(s.start, s.end),
            "sign-off {}..{} outside content",
            s.start,
            s.end
        );
        assert_eq!(&text[s.start..s.end], s.text);
    }
}

/// Checks tokens of `text[start..end]`: non-empty, in order, not
/// overlapping, inside the range, and each `text` is its own span.
pub fn check_tokens(text: &str, start: usize, end: usize, tokens: &[Token<'_>]) {
    let mut previous_end = start;
    for t in tokens {
        assert_span(text, t.start, t.end, "token");
        assert!(t.start < t.end, "empty token at {}", t.start);
        assert!(
            t.start >= previous_end,
            "token {}..{} overlaps",
            t.start,
            t.end
        );
        assert!(t.end <= end, "token {}..{} past {end}", t.start, t.end);
        previous_end = t.end;
        assert_eq!(t.text, &text[t.start..t.end]);
    }
}

/// Checks a classified article: its paragraphs are those of `clean`, every
/// evidence span lies inside its paragraph, and boilerplate paragraphs carry
/// no labels, scores or evidence.
pub fn check_article(text: &str, article: &Article<'_>) {
    assert_eq!(article.text(), text);
    let doc = warta::clean::clean(text);
    check_document(text, &doc);
    let spans = |ps: &mut dyn Iterator<Item = (usize, usize, bool)>| ps.collect::<Vec<_>>();
    assert_eq!(
        spans(
            &mut article
                .paragraphs
                .iter()
                .map(|p| (p.start, p.end, p.boilerplate.is_some()))
        ),
        spans(
            &mut doc
                .paragraphs
                .iter()
                .map(|p| (p.start, p.end, p.boilerplate.is_some()))
        ),
        "article paragraphs differ from clean's"
    );
    for p in &article.paragraphs {
        if p.boilerplate.is_some() {
            assert!(
                p.labels.is_empty(),
                "boilerplate {}..{} has labels",
                p.start,
                p.end
            );
            assert!(
                p.evidence.is_empty(),
                "boilerplate {}..{} has evidence",
                p.start,
                p.end
            );
        }
        for s in p.evidence.iter().flat_map(|e| &e.spans) {
            assert_span(text, s.start, s.end, "evidence");
            assert_inside((s.start, s.end), (p.start, p.end), "evidence");
            assert_eq!(text.get(s.start..s.end), Some(&*s.text), "evidence text");
        }
        for &topic in &p.labels {
            assert!(
                p.evidence.iter().any(|e| e.topic == topic),
                "label {topic} at {}..{} without evidence",
                p.start,
                p.end
            );
        }
    }
}
