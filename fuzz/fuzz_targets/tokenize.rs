//! `warta::token::tokenize` and `tokenize_range` on any UTF-8 text: tokens
//! in order, not overlapping, on char boundaries, inside the range.
#![no_main]

use libfuzzer_sys::fuzz_target;
use warta::token::{Token, tokenize, tokenize_range};

#[path = "../../tests/common/mod.rs"]
#[allow(dead_code)]
mod common;

/// The char boundary at or before `i`.
fn floor_boundary(text: &str, i: usize) -> usize {
    (0..=i.min(text.len()))
        .rev()
        .find(|&b| text.is_char_boundary(b))
        .unwrap_or(0)
}

fuzz_target!(|data: &[u8]| {
    // The first two bytes pick the sub-range, the rest is the text.
    let (a, b, rest) = match data {
        [a, b, rest @ ..] => (*a as usize, *b as usize, rest),
        _ => return,
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let all: Vec<Token<'_>> = tokenize(text).collect();
    common::check_tokens(text, 0, text.len(), &all);

    let start = floor_boundary(text, a * text.len() / 255);
    let end = floor_boundary(text, start + b * (text.len() - start) / 255);
    let part: Vec<Token<'_>> = tokenize_range(text, start, end).collect();
    common::check_tokens(text, start, end, &part);
});
