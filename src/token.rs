//! Stage 2: split a text into tokens that borrow it.
//!
//! Every token carries its byte span into the original text, a kind, and a
//! normalized form (lower case, folded quotes, dashes, no-break spaces and
//! full-width letters) for matching.
//!
//! What stays one token, and why:
//! - Words joined by a hyphen (`kawan-kawan`, `e-KTP`, `non-ASN`, `Pj-nya`,
//!   `COVID-19`): Indonesian writes reduplication and affixed acronyms with a
//!   hyphen, and the stemmer wants the whole form. Only two runs of digits
//!   (`2019-2024`) are split, as a range.
//! - Clitics (`-nya`, `-lah`, `ku-`) stay attached; the stemmer strips them.
//! - Words with an apostrophe between letters (`Ma'ruf`, `Jum’at`).
//! - Abbreviations with their dots: the table in `data/abbreviations.txt`
//!   (`Dr.`, `Kab.`, `dll.`, `Pj`), dotted shapes (`M.Pd`, `S.H.`, `a.n.`) and
//!   initials (`H.`). The dot after any other word is punctuation.
//! - Dates (`16/10/2023`, `2024-11-27`), numbers (`2.500`, `1,5`), money
//!   (`Rp1,5`, `Rp 20`, `Rp 1.500.000,-`; the multiplier `juta` is a word of
//!   its own), URLs, domains and e-mail addresses.
//!
//! ASCII stretches go through a byte scanner; runs of letters that contain
//! non-ASCII characters are segmented with Unicode word boundaries (UAX #29),
//! without the hyphen and apostrophe joining above (`Café-café` is three
//! tokens). A bare domain takes no path: `(Warta.com/Ani)` credits a
//! photographer; a URL with `http://` or `www.` takes its whole path.
//!
//! ```
//! use warta::token::{tokenize, TokenKind};
//!
//! let tokens: Vec<_> = tokenize("Kawan-kawan Dr. Ani bayar Rp20.000.").collect();
//! let texts: Vec<_> = tokens.iter().map(|t| t.text).collect();
//! assert_eq!(texts, ["Kawan-kawan", "Dr.", "Ani", "bayar", "Rp20.000", "."]);
//! assert_eq!(tokens[0].base().as_deref(), Some("kawan"));
//! assert_eq!(tokens[4].kind, TokenKind::Money);
//! ```

use std::borrow::Cow;
use std::iter::FusedIterator;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::data;
use unicode_segmentation::UnicodeSegmentation;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TokenKind {
    /// A word, reduplicated and hyphenated words (`kawan-kawan`) included.
    Word,
    /// A number such as `2024` or `2.500`.
    Number,
    /// A date such as `16/10/2023`.
    Date,
    /// An amount of money such as `Rp1,5` or `Rp 20.000`.
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Token<'a> {
    /// Start of the token, in bytes into the original text.
    pub start: usize,
    /// End (exclusive) of the token, in bytes into the original text.
    pub end: usize,
    /// What the token is.
    pub kind: TokenKind,
    /// The token exactly as it stands in the original text.
    #[serde(borrow)]
    pub text: &'a str,
}

impl<'a> Token<'a> {
    /// The normalized form: lower case, quotes, dashes, no-break spaces and
    /// full-width ASCII folded; borrowed from the text when nothing changes.
    ///
    /// Computed on each call, so that tokens nobody normalizes cost nothing.
    pub fn normalized(&self) -> Cow<'a, str> {
        normalize(self.text)
    }

    /// The base of a fully reduplicated word (`kawan-kawan` → `kawan`), in
    /// normalized form; `None` for any other token.
    pub fn base(&self) -> Option<Cow<'a, str>> {
        if self.kind != TokenKind::Word {
            return None;
        }
        fn half(word: &str) -> Option<&str> {
            let (left, right) = word.split_once('-')?;
            (!left.is_empty() && left == right).then_some(left)
        }
        match self.normalized() {
            Cow::Borrowed(word) => half(word).map(Cow::Borrowed),
            Cow::Owned(word) => half(&word).map(|left| Cow::Owned(left.to_owned())),
        }
    }
}

/// Tokenizes all of `text`; spans are bytes into `text`, and each token
/// borrows its text.
///
/// ```
/// use warta::token::{tokenize, TokenKind};
///
/// let text = "ASN non-aktif, kata Dr. Ani.";
/// let tokens: Vec<_> = tokenize(text).collect();
/// assert_eq!(tokens[1].text, "non-aktif");
/// assert_eq!(tokens[4].kind, TokenKind::Abbreviation);
/// assert_eq!(&text[tokens[4].start..tokens[4].end], "Dr.");
/// ```
pub fn tokenize(text: &str) -> Tokens<'_> {
    tokenize_range(text, 0, text.len())
}

/// Tokenizes `text[start..end]`; spans are bytes into the whole `text`.
///
/// A range outside the text is clipped to it, and a bound inside a
/// character moves inward to the nearest character boundary, so this never
/// panics.
pub fn tokenize_range(text: &str, start: usize, end: usize) -> Tokens<'_> {
    let mut end = end.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut start = start.min(end);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    Tokens {
        src: text.get(start..end).unwrap_or_default(),
        offset: start,
        pos: 0,
        unicode_end: 0,
    }
}

/// The iterator over the tokens of a text, from [`tokenize`] and
/// [`tokenize_range`].
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    /// The tokenized range of the text.
    src: &'a str,
    /// Where `src` starts in the whole text, in bytes.
    offset: usize,
    /// Scan position in `src`, in bytes.
    pos: usize,
    /// End (bytes into `src`) of a run of letters being segmented with
    /// Unicode word boundaries; at or before `pos` when there is none.
    unicode_end: usize,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let bytes = self.src.as_bytes();
        loop {
            if self.pos < self.unicode_end {
                return Some(self.unicode_word());
            }
            let b = *bytes.get(self.pos)?;
            if b < 0x80 {
                if b.is_ascii_alphanumeric() {
                    return Some(self.ascii_token());
                }
                if is_blank_byte(b) {
                    // Runs of blanks (indentation, blank lines) in one go.
                    self.pos = run_end(bytes, self.pos + 1, is_blank_byte);
                    continue;
                }
                let end = if b == b'.' {
                    run_end(bytes, self.pos, |b| b == b'.')
                } else {
                    self.pos + 1
                };
                let kind = ascii_symbol_kind(b);
                return Some(self.emit(end, kind));
            }
            let c = char_at(self.src, self.pos)?;
            let width = c.len_utf8();
            if is_separator(c) {
                self.pos += width;
            } else if is_punctuation(c) {
                return Some(self.emit(self.pos + width, TokenKind::Punctuation));
            } else if continues_word(c) {
                self.unicode_end = self.letter_run_end(self.pos);
            } else {
                let cluster = self
                    .src
                    .get(self.pos..)
                    .and_then(|rest| rest.graphemes(true).next());
                let len = cluster.map_or(width, str::len);
                return Some(self.emit(self.pos + len, TokenKind::Symbol));
            }
        }
    }
}

impl FusedIterator for Tokens<'_> {}

/// What a token is to the lexicon's matching (see [`Tokens::next_role`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A word or an abbreviation: it is looked up.
    Word,
    /// `.`, `!`, `?` or `;`: a sentence break.
    Break,
    /// Anything else (numbers, dates, money, URLs, other punctuation and
    /// symbols): matching passes over it.
    Other,
}

impl Role {
    /// The role of a token.
    pub(crate) fn of(token: &Token<'_>) -> Role {
        match token.kind {
            TokenKind::Word | TokenKind::Abbreviation => Role::Word,
            TokenKind::Punctuation if matches!(token.text, "." | "!" | "?" | ";") => Role::Break,
            _ => Role::Other,
        }
    }
}

impl Tokens<'_> {
    /// The next token as matching sees it: its span (bytes into the whole
    /// text) and its [`Role`]. The same tokens as [`Iterator::next`], in
    /// the same order.
    ///
    /// Most tokens are plain words: ASCII letters (other than `Rp`, which
    /// may start an amount) followed by a blank or by punctuation that
    /// cannot continue a token (not `.`, `:`, `@`, `_`, `%`, `+`, `-` or
    /// `'`, no digit, nothing outside ASCII). Such a word
    /// can be no URL, e-mail address, number, amount or compound, and the
    /// abbreviation table could only make it an abbreviation of the same
    /// extent (without a dot after it), which matching treats as a word:
    /// so it is taken here without the checks `next` makes for the other
    /// shapes, which cost several times more than the word itself.
    #[inline]
    pub(crate) fn next_role(&mut self) -> Option<(usize, usize, Role)> {
        if self.pos >= self.unicode_end {
            let bytes = self.src.as_bytes();
            let pos = run_end(bytes, self.pos, is_blank_byte);
            self.pos = pos;
            if bytes.get(pos).is_some_and(u8::is_ascii_alphabetic) {
                let end = letters_end(bytes, pos);
                let plain_after = bytes.get(end).is_none_or(|&b| {
                    b.is_ascii()
                        && !b.is_ascii_alphanumeric()
                        && !matches!(b, b'.' | b':' | b'@' | b'_' | b'%' | b'+' | b'-' | b'\'')
                });
                // `Rp 20.000` is money.
                let money = end - pos == 2 && bytes[pos..end].eq_ignore_ascii_case(b"rp");
                if plain_after && !money {
                    self.pos = end;
                    return Some((self.offset + pos, self.offset + end, Role::Word));
                }
            }
        }
        let token = self.next()?;
        Some((token.start, token.end, Role::of(&token)))
    }
}

impl<'a> Tokens<'a> {
    /// Emits the token from `pos` to `end` (bytes into `src`) and moves past it.
    fn emit(&mut self, end: usize, kind: TokenKind) -> Token<'a> {
        let start = self.pos;
        self.pos = end;
        let text = self.src.get(start..end).unwrap_or_default();
        Token {
            start: self.offset + start,
            end: self.offset + end,
            kind,
            text,
        }
    }

    /// The next token of the run of letters up to `unicode_end`, by Unicode
    /// word boundaries; what lies between words (stray marks) is a symbol.
    fn unicode_word(&mut self) -> Token<'a> {
        let region = self.src.get(self.pos..self.unicode_end).unwrap_or_default();
        match region.unicode_word_indices().next() {
            Some((0, word)) => {
                let kind = if word.chars().all(char::is_numeric) {
                    TokenKind::Number
                } else {
                    TokenKind::Word
                };
                self.emit(self.pos + word.len(), kind)
            }
            Some((gap, _)) => self.emit(self.pos + gap, TokenKind::Symbol),
            None => self.emit(self.unicode_end, TokenKind::Symbol),
        }
    }

    /// End (bytes into `src`) of the run of letters, digits and marks of any
    /// script starting at `from`.
    fn letter_run_end(&self, from: usize) -> usize {
        let rest = self.src.get(from..).unwrap_or_default();
        let len = rest
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || (!c.is_ascii() && continues_word(c))))
            .map_or(rest.len(), |(i, _)| i);
        from + len
    }

    /// Scans the token that starts with an ASCII letter or digit at `pos`.
    fn ascii_token(&mut self) -> Token<'a> {
        let bytes = self.src.as_bytes();
        let start = self.pos;
        let run = alnum_end(bytes, start);
        if bytes.get(run).is_some_and(|&b| b >= 0x80)
            && char_at(self.src, run).is_some_and(continues_word)
        {
            // A word with non-ASCII letters: leave it to Unicode segmentation.
            self.unicode_end = self.letter_run_end(start);
            return self.unicode_word();
        }
        let word = &bytes[start..run];
        let next = bytes.get(run).copied();

        if matches!(next, Some(b':' | b'.')) {
            if let Some(end) = url_end(bytes, start, run) {
                return self.emit(end, TokenKind::Url);
            }
        }
        if word.iter().all(u8::is_ascii_digit) {
            if let Some(end) = date_end(bytes, start, run) {
                return self.emit(end, TokenKind::Date);
            }
            let end = word_end(bytes, start, run);
            if end > run {
                // A hyphenated word that starts with digits: `1950-an`, `17-an`.
                return self.emit(end, TokenKind::Word);
            }
            return self.emit(number_end(bytes, run), TokenKind::Number);
        }
        if word.len() >= 2
            && word[..2].eq_ignore_ascii_case(b"rp")
            && word[2..].iter().all(u8::is_ascii_digit)
        {
            if let Some(end) = money_end(bytes, start + 2) {
                return self.emit(end, TokenKind::Money);
            }
        }
        if matches!(next, Some(b'.' | b'@' | b'_' | b'%' | b'+' | b'-')) {
            if let Some(end) = email_end(bytes, start) {
                return self.emit(end, TokenKind::Url);
            }
        }
        // Domains and dotted abbreviations go on after the dot; a word at
        // the end of a sentence does not.
        if next == Some(b'.') && alnum_at(bytes, run + 1) {
            if let Some(end) = domain_end(bytes, start) {
                return self.emit(end, TokenKind::Url);
            }
            if let Some(end) = dotted_abbreviation_end(bytes, start) {
                return self.emit(end, TokenKind::Abbreviation);
            }
        }
        let end = word_end(bytes, start, run);
        if end == run {
            if let Some(end) = abbreviation_end(bytes, start, run) {
                return self.emit(end, TokenKind::Abbreviation);
            }
        }
        self.emit(end, TokenKind::Word)
    }
}

/// The character at `pos` (bytes into `s`), if `pos` is on a boundary inside `s`.
fn char_at(s: &str, pos: usize) -> Option<char> {
    s.get(pos..)?.chars().next()
}

/// An ASCII blank or control byte: what separates tokens and is none.
fn is_blank_byte(b: u8) -> bool {
    b.is_ascii_whitespace() || b.is_ascii_control()
}

/// End (bytes) of the run of bytes from `from` that satisfy `keep`.
fn run_end(bytes: &[u8], from: usize, keep: impl Fn(u8) -> bool) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    from + rest.iter().position(|&b| !keep(b)).unwrap_or(rest.len())
}

/// End (bytes) of the run of ASCII letters and digits from `from`.
fn alnum_end(bytes: &[u8], from: usize) -> usize {
    ascii_run_end::<true>(bytes, from)
}

/// End (bytes) of the run of ASCII letters from `from`.
fn letters_end(bytes: &[u8], from: usize) -> usize {
    ascii_run_end::<false>(bytes, from)
}

/// End (bytes) of the run of ASCII letters (and digits, with `DIGITS`)
/// from `from`.
///
/// Eight bytes at a time: most words end within the first eight, and a
/// loop that stops at a byte no branch predictor can foresee costs more
/// than the arithmetic.
#[inline]
fn ascii_run_end<const DIGITS: bool>(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let others = bytes_outside::<DIGITS>(word);
        if others != 0 {
            return at + (others.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    run_end(bytes, at, |b| {
        b.is_ascii_alphabetic() || (DIGITS && b.is_ascii_digit())
    })
}

/// The high bit of each byte of `word` (eight bytes, little-endian) that is
/// not an ASCII letter, nor a digit with `DIGITS`.
#[inline]
fn bytes_outside<const DIGITS: bool>(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // With the high bits cleared, adding a constant below 0x80 to each byte
    // never carries into the next byte; the high bit of a sum then says
    // whether the byte reached a bound.
    let low = word & !HIGH;
    let at_least = |bound: u8| low + ONES * u64::from(0x80 - bound);
    let letter_case = low | (ONES * 0x20);
    let letter = (letter_case + ONES * (0x80 - 0x61)) & !(letter_case + ONES * (0x80 - 0x7B));
    let digit = if DIGITS {
        at_least(0x30) & !at_least(0x3A)
    } else {
        0
    };
    (!(letter | digit) & HIGH) | (word & HIGH)
}

/// End (bytes) of the run of ASCII digits from `from`.
fn digits_end(bytes: &[u8], from: usize) -> usize {
    run_end(bytes, from, |b| b.is_ascii_digit())
}

/// Whether the byte at `at` is an ASCII letter or digit.
fn alnum_at(bytes: &[u8], at: usize) -> bool {
    bytes.get(at).is_some_and(u8::is_ascii_alphanumeric)
}

/// Whether a token that ends at `at` (bytes) is not glued to a following
/// letter or digit, ASCII or not.
fn ends_cleanly(bytes: &[u8], at: usize) -> bool {
    match bytes.get(at) {
        None => true,
        Some(b) if b.is_ascii() => !b.is_ascii_alphanumeric(),
        Some(_) => bytes
            .get(at..bytes.len().min(at + 4))
            .and_then(|tail| tail.utf8_chunks().next())
            .and_then(|chunk| chunk.valid().chars().next())
            .is_none_or(|c| !continues_word(c)),
    }
}

/// Characters that separate tokens without being tokens.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
        // Invisible direction marks that pasted text carries.
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Combining marks and joiners that belong to the letter before them.
fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}'
        | '\u{200C}'
        | '\u{200D}'
    )
}

/// Characters that can be part of a word: letters, digits, marks.
fn continues_word(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

/// Non-ASCII punctuation: typographic quotes and dashes, the general
/// punctuation block, and CJK and full-width punctuation.
fn is_punctuation(c: char) -> bool {
    matches!(c,
        '\u{00A1}' | '\u{00A7}' | '\u{00AB}' | '\u{00B6}' | '\u{00B7}' | '\u{00BB}' | '\u{00BF}'
        | '\u{2010}'..='\u{2027}'
        | '\u{2030}'..='\u{205E}'
        | '\u{2212}'
        | '\u{3001}'..='\u{3003}'
        | '\u{3008}'..='\u{3011}'
        | '\u{3014}'..='\u{301F}'
        | '\u{FF01}'..='\u{FF0F}'
        | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}'
    )
}

/// End (bytes) of a URL that starts at `start` with `http://`, `https://` or
/// `www.`; `run` is the end of its first run of letters.
fn url_end(bytes: &[u8], start: usize, run: usize) -> Option<usize> {
    let scheme = &bytes[start..run];
    let rest = bytes.get(run..)?;
    let body = if (scheme.eq_ignore_ascii_case(b"http") || scheme.eq_ignore_ascii_case(b"https"))
        && rest.starts_with(b"://")
    {
        run + 3
    } else if scheme.eq_ignore_ascii_case(b"www") && rest.first() == Some(&b'.') {
        run + 1
    } else {
        return None;
    };
    if !alnum_at(bytes, body) {
        return None;
    }
    Some(url_tail_end(bytes, body))
}

/// End (bytes) of the rest of a URL from `from`: up to white space, a
/// quote, an angle bracket or a non-ASCII character, without trailing
/// punctuation that belongs to the sentence.
fn url_tail_end(bytes: &[u8], from: usize) -> usize {
    let mut end = run_end(bytes, from, |b| {
        b.is_ascii_graphic() && !matches!(b, b'"' | b'<' | b'>')
    });
    while end > from
        && matches!(
            bytes[end - 1],
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b')' | b']' | b'}'
        )
    {
        end -= 1;
    }
    end
}

/// End (bytes) of a date at `start` whose first run of digits ends at `run`:
/// `16/10/2023`, `6-12-22`, `16.10.2023`, `2024-11-27`, `2024/11/27`.
fn date_end(bytes: &[u8], start: usize, run: usize) -> Option<usize> {
    let sep = *bytes.get(run)?;
    if !matches!(sep, b'/' | b'-' | b'.') {
        return None;
    }
    let second_end = digits_end(bytes, run + 1);
    if bytes.get(second_end) != Some(&sep) {
        return None;
    }
    let third_end = digits_end(bytes, second_end + 1);
    let lens = (
        run - start,
        second_end - run - 1,
        third_end - second_end - 1,
    );
    let shape_ok = match lens {
        (4, 1..=2, 1..=2) => sep != b'.',
        (1..=2, 1..=2, 4) => true,
        (1..=2, 1..=2, 2) => sep != b'.',
        _ => false,
    };
    let glued = bytes.get(third_end) == Some(&sep) && alnum_at(bytes, third_end + 1);
    (shape_ok && !glued && ends_cleanly(bytes, third_end)).then_some(third_end)
}

/// End (bytes) of a number whose first run of digits ends at `run`, with
/// `.` and `,` between digits as grouping or decimal marks.
fn number_end(bytes: &[u8], run: usize) -> usize {
    let mut end = run;
    while matches!(bytes.get(end), Some(b'.' | b','))
        && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
    {
        end = digits_end(bytes, end + 1);
    }
    end
}

/// End (bytes) of an amount after `Rp` (which ends at `from`): an optional
/// dot, optional spaces, a number and an optional `,-`.
fn money_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    if bytes.get(at) == Some(&b'.') {
        at += 1;
    }
    loop {
        match bytes.get(at..) {
            Some([b' ', ..]) => at += 1,
            Some([0xC2, 0xA0, ..]) => at += 2,
            _ => break,
        }
        if at - from > 4 {
            return None;
        }
    }
    if !bytes.get(at).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let end = number_end(bytes, digits_end(bytes, at));
    if bytes.get(end..end + 2) == Some(b",-") {
        return Some(end + 2);
    }
    Some(end)
}

/// End (bytes) of an e-mail address starting at `start`.
fn email_end(bytes: &[u8], start: usize) -> Option<usize> {
    const MAX_LOCAL: usize = 64;
    // Bounded, so that a long run of dotted letters is not rescanned from
    // every letter.
    let window = bytes
        .get(..bytes.len().min(start + MAX_LOCAL + 1))
        .unwrap_or_default();
    let local_end = run_end(window, start, |b| {
        b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
    });
    if local_end - start > MAX_LOCAL
        || bytes.get(local_end) != Some(&b'@')
        || !alnum_at(bytes, local_end + 1)
    {
        return None;
    }
    domain_end(bytes, local_end + 1)
}

/// End (bytes) of a domain name starting at `start`: two or more labels of
/// letters, digits and hyphens joined by dots, the last a known top-level
/// domain (`Radarkoran.com`, `kpu.go.id`).
fn domain_end(bytes: &[u8], start: usize) -> Option<usize> {
    const MAX_DOMAIN: usize = 253;
    // Scans stop past the longest domain, so that a failed attempt costs
    // little when it is retried at the next label.
    let window = bytes
        .get(..bytes.len().min(start + MAX_DOMAIN + 1))
        .unwrap_or_default();
    let mut label_start = start;
    let mut labels = 0;
    loop {
        let label_end = run_end(window, label_start, |b| {
            b.is_ascii_alphanumeric() || b == b'-'
        });
        if label_end == label_start || label_end - start > MAX_DOMAIN {
            return None;
        }
        labels += 1;
        if bytes.get(label_end) == Some(&b'.') && alnum_at(bytes, label_end + 1) {
            label_start = label_end + 1;
            continue;
        }
        let tld = &bytes[label_start..label_end];
        let known = data::is_top_level_domain(tld);
        return (labels >= 2 && known && ends_cleanly(bytes, label_end)).then_some(label_end);
    }
}

/// End (bytes) of a dotted abbreviation starting at `start`: groups of at
/// most four letters joined by dots, either a capital group of one or two
/// letters followed by capitalized groups (`M.Pd`, `S.IP`, `Ph.D`, `S.H.`)
/// or single small letters (`a.n.`, `s.d.`). A last group of one letter
/// takes its dot.
fn dotted_abbreviation_end(bytes: &[u8], start: usize) -> Option<usize> {
    const MAX_GROUP: usize = 4;
    const MAX_GROUPS: usize = 6;
    let mut group_start = start;
    let mut groups = 0;
    let mut capitalized = bytes.get(start).is_some_and(u8::is_ascii_uppercase);
    let mut single_small = true;
    loop {
        let group_end = run_end(bytes, group_start, |b| b.is_ascii_alphabetic());
        let len = group_end - group_start;
        if len == 0 || len > MAX_GROUP || groups == MAX_GROUPS {
            return None;
        }
        let first = bytes[group_start];
        single_small &= len == 1 && first.is_ascii_lowercase();
        capitalized &= first.is_ascii_uppercase() && (groups > 0 || len <= 2);
        groups += 1;
        let dot_follows = bytes.get(group_end) == Some(&b'.');
        if dot_follows
            && bytes
                .get(group_end + 1)
                .is_some_and(u8::is_ascii_alphabetic)
        {
            group_start = group_end + 1;
            continue;
        }
        if groups < 2 || !(capitalized || single_small) || !ends_cleanly(bytes, group_end) {
            return None;
        }
        return Some(if dot_follows && len == 1 {
            group_end + 1
        } else {
            group_end
        });
    }
}

/// End (bytes) of a word starting at `start` whose first run of letters and
/// digits ends at `run`, with further runs joined by a hyphen (unless both
/// sides are digits) or by an apostrophe between letters.
fn word_end(bytes: &[u8], start: usize, run: usize) -> usize {
    let mut seg_start = start;
    let mut end = run;
    loop {
        let (joiner_len, hyphen) = match bytes.get(end..) {
            Some([b'-', ..]) => (1, true),
            Some([b'\'', ..]) => (1, false),
            // U+2010 hyphen, U+2011 non-breaking hyphen.
            Some([0xE2, 0x80, 0x90 | 0x91, ..]) => (3, true),
            // U+2019 right single quotation mark used as an apostrophe.
            Some([0xE2, 0x80, 0x99, ..]) => (3, false),
            _ => return end,
        };
        let next_start = end + joiner_len;
        let next_end = alnum_end(bytes, next_start);
        if next_end == next_start || !ends_cleanly(bytes, next_end) {
            return end;
        }
        let left = &bytes[seg_start..end];
        let right = &bytes[next_start..next_end];
        let joins = if hyphen {
            !(left.iter().all(u8::is_ascii_digit) && right.iter().all(u8::is_ascii_digit))
        } else {
            left.last().is_some_and(u8::is_ascii_alphabetic) && right[0].is_ascii_alphabetic()
        };
        if !joins {
            return end;
        }
        seg_start = next_start;
        end = next_end;
    }
}

/// The kind of a one-byte ASCII token that is no letter, digit or blank.
#[inline]
fn ascii_symbol_kind(b: u8) -> TokenKind {
    match b {
        b'!' | b'"' | b'\'' | b'(' | b')' | b',' | b'-' | b'.' | b'/' | b':' | b';' | b'?'
        | b'[' | b']' | b'{' | b'}' | b'`' => TokenKind::Punctuation,
        _ => TokenKind::Symbol,
    }
}

/// End (bytes) of a known abbreviation or an initial whose letters are
/// `bytes[start..run]`, with its dot when it takes one.
fn abbreviation_end(bytes: &[u8], start: usize, run: usize) -> Option<usize> {
    let word = &bytes[start..run];
    let dot_follows = bytes.get(run) == Some(&b'.');
    if word.len() == 1 && word[0].is_ascii_uppercase() && dot_follows {
        return Some(run + 1);
    }
    let takes_dot = ABBREVIATIONS.lookup(word, dot_follows)?;
    Some(if takes_dot && dot_follows {
        run + 1
    } else {
        run
    })
}

/// The known abbreviations of `data/abbreviations.txt`.
static ABBREVIATIONS: LazyLock<Abbreviations> =
    LazyLock::new(|| Abbreviations::parse(include_str!("../data/abbreviations.txt")));

/// A table of abbreviations, each with whether it takes a following dot.
///
/// Entries are at most eight ASCII letters, packed into a `u64` so that a
/// lookup is a binary search over integers: it runs for most words.
struct Abbreviations {
    /// Entries as written, sorted by key.
    exact: Vec<(u64, bool)>,
    /// Entries that take a dot, in lower case, sorted, for words written in
    /// capitals.
    folded: Vec<u64>,
    /// Bit [`Abbreviations::shape`] is set for the first two letters (in
    /// either case) and the length of each entry: it turns away almost
    /// every word before the search, whose branches cost more.
    shapes: [u64; Self::SHAPES / 64],
}

impl Abbreviations {
    const MAX_LEN: usize = 8;

    /// Parses the table; the file is part of the crate and a test checks it,
    /// so a malformed line is a build mistake, reported with its line.
    fn parse(source: &'static str) -> Abbreviations {
        let mut exact = Vec::new();
        let mut folded = Vec::new();
        let mut shapes = [0; Self::SHAPES / 64];
        for (number, line) in data::entries(source) {
            let (letters, takes_dot) = match line.strip_suffix('.') {
                Some(letters) => (letters, true),
                None => (line, false),
            };
            let key = Self::key(letters.as_bytes())
                .filter(|_| letters.bytes().all(|b| b.is_ascii_alphabetic()));
            let Some(key) = key else {
                panic!(
                    "data/abbreviations.txt:{number}: not 1 to 8 ASCII letters and an optional dot: {line:?}"
                );
            };
            let shape = Self::shape(letters.as_bytes());
            shapes[shape / 64] |= 1 << (shape % 64);
            exact.push((key, takes_dot));
            if takes_dot {
                folded.push(key | 0x2020_2020_2020_2020 & Self::mask(letters.len()));
            }
        }
        exact.sort_unstable();
        folded.sort_unstable();
        Abbreviations {
            exact,
            folded,
            shapes,
        }
    }

    /// The bytes of a word of 1 to 8 bytes packed into an integer.
    fn key(word: &[u8]) -> Option<u64> {
        if word.is_empty() || word.len() > Self::MAX_LEN {
            return None;
        }
        let mut packed = [0; 8];
        packed[..word.len()].copy_from_slice(word);
        Some(u64::from_le_bytes(packed))
    }

    /// How many shapes [`Abbreviations::shape`] tells apart.
    const SHAPES: usize = 1024 * Self::MAX_LEN;

    /// The index of the first two bytes of a word, ignoring ASCII case, and
    /// its length (1 to [`Abbreviations::MAX_LEN`]), in `0..SHAPES`.
    fn shape(word: &[u8]) -> usize {
        let byte = |i| usize::from(word.get(i).copied().unwrap_or(0) & 0x1F);
        let len = word.len().clamp(1, Self::MAX_LEN) - 1;
        (byte(0) << 5 | byte(1)) * Self::MAX_LEN + len
    }

    /// The bits of the first `len` bytes of a key.
    fn mask(len: usize) -> u64 {
        u64::MAX >> (8 * (Self::MAX_LEN - len))
    }

    /// Whether `word` is in the table, and if so whether it takes a
    /// following dot. A word in capitals matches an entry that takes a dot
    /// only when the dot follows (`DR.`): without it, capitals are an
    /// acronym (`BPK`, the audit board, is not `Bpk.`).
    fn lookup(&self, word: &[u8], dot_follows: bool) -> Option<bool> {
        if word.len() > Self::MAX_LEN {
            return None;
        }
        let shape = Self::shape(word);
        if self.shapes[shape / 64] & (1 << (shape % 64)) == 0 {
            return None;
        }
        let key = Self::key(word)?;
        if let Ok(i) = self.exact.binary_search_by_key(&key, |&(k, _)| k) {
            return Some(self.exact[i].1);
        }
        // Lower-casing ASCII letters sets bit 5 of each byte.
        let folded = key | 0x2020_2020_2020_2020 & Self::mask(word.len());
        let capitals = dot_follows && word.iter().all(u8::is_ascii_uppercase);
        (capitals && self.folded.binary_search(&folded).is_ok()).then_some(true)
    }
}

/// The normalized form of `text`: lower case, typographic quotes and dashes
/// folded to ASCII, no-break spaces to spaces, full-width ASCII to ASCII.
pub(crate) fn normalize(text: &str) -> Cow<'_, str> {
    if !text
        .bytes()
        .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        return Cow::Borrowed(text);
    }
    if text.is_ascii() {
        return Cow::Owned(text.to_ascii_lowercase());
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match fold(c) {
            Some(folded) => out.push(folded),
            None => out.extend(c.to_lowercase()),
        }
    }
    if out == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(out)
    }
}

/// The ASCII replacement of a character that normalization folds.
fn fold(c: char) -> Option<char> {
    Some(match c {
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' => '\'',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0)?.to_ascii_lowercase(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Checks `end` against a scan byte by byte for the bytes `keep`, with
    /// every byte value put at every place of `base`.
    fn check_run_end(base: &[u8], end: fn(&[u8], usize) -> usize, keep: fn(&u8) -> bool) {
        let scan =
            |bytes: &[u8], from: usize| from + bytes[from..].iter().take_while(|b| keep(b)).count();
        for byte in 0..=255u8 {
            for at in 0..base.len() {
                let mut bytes = base.to_vec();
                bytes[at] = byte;
                for from in 0..=bytes.len() {
                    assert_eq!(end(&bytes, from), scan(&bytes, from), "{byte:#x} at {at}");
                }
            }
        }
    }

    #[test]
    fn alnum_runs_end_where_a_scan_byte_by_byte_ends() {
        check_run_end(
            b"aZ09mQ7kxY3bcDe5fGhi",
            alnum_end,
            u8::is_ascii_alphanumeric,
        );
    }

    #[test]
    fn letter_runs_end_where_a_scan_byte_by_byte_ends() {
        check_run_end(
            b"aZbmQxkxYcbcDedfGhiw",
            letters_end,
            u8::is_ascii_alphabetic,
        );
    }

    /// Pieces whose joins make every shape the tokenizer knows, and words
    /// glued to each character that can continue a token.
    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "ASN",
            "netral",
            "Pj",
            "PJ",
            "Dr",
            "Dr.",
            "DR.",
            "dll.",
            "Sekda",
            "H.",
            "S.H.",
            "M.Pd",
            "a.n.",
            "Rp",
            "rp",
            "Rp20.000",
            "Rp 1.500.000,-",
            "20",
            "2.500",
            "1,5",
            "16/10/2023",
            "2024-11-27",
            "2019-2024",
            "17-an",
            "www.kpu.go.id",
            "http://x.id/a",
            "kpu.go.id",
            "ani@kpu.go.id",
            "kawan-kawan",
            "non-ASN",
            "Ma'ruf",
            "Jum\u{2019}at",
            "e\u{2010}KTP",
            "Café",
            "é",
            "漢字",
            "😀",
            " ",
            "  ",
            "\n",
            "\t",
            "\u{a0}",
            ".",
            "...",
            ",",
            ":",
            ";",
            "!",
            "?",
            "-",
            "'",
            "\"",
            "(",
            ")",
            "/",
            "@",
            "_",
            "%",
            "+",
            "#",
            "\u{201c}",
            "\u{2014}",
            "\u{200b}",
            "3",
            "a3",
            "3a",
            "x",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Matching's fast path yields exactly the tokens of `next`.
        #[test]
        fn roles_are_the_tokens_of_next(
            text in prop_oneof![
                prop::collection::vec(piece(), 0..30).prop_map(|v| v.concat()),
                any::<String>(),
            ],
            cut in 0usize..8,
        ) {
            let start = cut.min(text.len());
            let slow: Vec<(usize, usize, Role)> = tokenize_range(&text, start, text.len())
                .map(|t| (t.start, t.end, Role::of(&t)))
                .collect();
            let mut tokens = tokenize_range(&text, start, text.len());
            let fast: Vec<(usize, usize, Role)> = std::iter::from_fn(|| tokens.next_role()).collect();
            prop_assert_eq!(fast, slow);
        }
    }

    #[test]
    fn abbreviation_table_parses_and_answers_lookups() {
        let table: [(&str, bool, Option<bool>); 10] = [
            ("Dr", true, Some(true)),
            ("Dr", false, Some(true)),
            ("DR", true, Some(true)),
            ("DR", false, None),
            ("BPK", false, None),
            ("Sekda", false, Some(false)),
            ("sekda", false, None),
            ("dll", true, Some(true)),
            ("rumah", true, None),
            ("Kabupatenku", false, None),
        ];
        for (word, dot_follows, expected) in table {
            let found = ABBREVIATIONS.lookup(word.as_bytes(), dot_follows);
            assert_eq!(found, expected, "{word} {dot_follows}");
        }
    }
}
