//! Stage 2: split a text into tokens that borrow it.
//!
//! Every token carries its byte span into the original text, a kind, and a
//! normalized form (lower case, folded quotes and dashes) for matching.

use std::borrow::Cow;

use serde::Serialize;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TokenKind {
    /// A word, reduplicated words (`kawan-kawan`) included.
    Word,
    /// A number such as `2024` or `2.500`.
    Number,
    /// A date such as `16/10/2023`.
    Date,
    /// An amount of money such as `Rp1,5 juta`.
    Money,
    /// A URL, domain or e-mail address such as `Radarkoran.com`.
    Url,
    /// An abbreviation or title such as `Dr.`, `M.Pd` or `Kab.`.
    Abbreviation,
    /// Punctuation.
    Punctuation,
    /// Any other symbol, emoji included.
    Symbol,
}

/// One token of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    /// Start of the token, in bytes into the original text.
    pub start: usize,
    /// End (exclusive) of the token, in bytes into the original text.
    pub end: usize,
    /// What the token is.
    pub kind: TokenKind,
    /// The token exactly as it stands in the original text.
    pub text: &'a str,
    normalized: Cow<'a, str>,
}

impl<'a> Token<'a> {
    /// The normalized form: lower case, quotes and dashes folded.
    pub fn normalized(&self) -> &str {
        &self.normalized
    }
}

/// Tokenizes all of `text`; spans are bytes into `text`.
pub fn tokenize(text: &str) -> impl Iterator<Item = Token<'_>> {
    tokenize_range(text, 0, text.len())
}

/// Tokenizes `text[start..end]`; spans are bytes into the whole `text`.
pub fn tokenize_range(text: &str, start: usize, end: usize) -> impl Iterator<Item = Token<'_>> {
    let slice = &text[start..end];
    unicode_segmentation::UnicodeSegmentation::unicode_word_indices(slice).map(move |(i, w)| {
        let kind = if w.chars().all(|c| c.is_ascii_digit()) {
            TokenKind::Number
        } else {
            TokenKind::Word
        };
        Token {
            start: start + i,
            end: start + i + w.len(),
            kind,
            text: w,
            normalized: Cow::Owned(w.to_lowercase()),
        }
    })
}
