//! The sign-off at the end of the last content paragraph: `(ant)`,
//! `[zul]`, `(jbr/idh)`.

use std::sync::LazyLock;

use regex::Regex;

use super::kept::{Kept, floor_char_boundary, trim_end_at};
use super::markers::Markers;
use super::{CutReason, Paragraph, SignOff, is_blank_char};

/// Trailing sign-offs: `(ant)`, `[zul]`, `(jbr/idh)`, `(*)`, one or more.
pub(super) static SIGN_OFF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[(\[](?:\*|[a-z]{1,15}(?:\s*/\s*[a-z]{1,15})*)[)\]]\s*)+$")
        .unwrap_or_else(|e| panic!("sign-off pattern: {e}"))
});

thread_local! {
    /// This thread's clone of [`SIGN_OFF`] (see [`super::markers::MARKERS`]
    /// on why each thread searches with its own).
    static LOCAL: Regex = SIGN_OFF.clone();
}

/// Where the sign-offs at the end of `s` start (one or more, blanks of any
/// sort between them), in bytes; `s.len()` when there are none.
pub(super) fn trailing_sign_offs(s: &str) -> usize {
    let mut start = s.len();
    loop {
        let body = s[..start].trim_end_matches(is_blank_char);
        let tail_from = floor_char_boundary(body, body.len().saturating_sub(80));
        match LOCAL.with(|sign_off| sign_off.find(&body[tail_from..])) {
            Some(m) => start = tail_from + m.start(),
            None => return start,
        }
    }
}

/// Cuts the sign-offs off the end of the kept text (see [`Kept`]): from
/// the last content paragraph back, over lines that end up empty or read
/// as boilerplate once cut. Records the last sign-off of a line that stays.
pub(super) fn find_sign_off(
    text: &str,
    markers: &Markers,
    paragraphs: &mut [Paragraph],
) -> Option<SignOff> {
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

/// Compiles the sign-off pattern now (see [`super::prepare`]).
pub(super) fn prepare() {
    LazyLock::force(&SIGN_OFF);
}
