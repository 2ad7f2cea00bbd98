//! Reading articles from JSON Lines, one record or one error per line.
//!
//! Input is untrusted: a line can be truncated JSON, hold invalid UTF-8 or a
//! lone surrogate escape, nest a million arrays deep, or be gigabytes long.
//! [`RecordReader`] turns every non-blank line into exactly one item, a
//! [`Record`] or a [`RecordError`] that says what is wrong, so a caller can
//! write one output line per input line and keep going. Only I/O errors end
//! the stream.
//!
//! ```
//! use warta::jsonl::{Id, RecordReader};
//!
//! let input = "{\"id\": 7, \"text\": \"ASN wajib netral.\"}\n\n{\"text\": 1}\n";
//! let items: Vec<_> = RecordReader::new(input.as_bytes()).collect::<Result<_, _>>().unwrap();
//! let record = items[0].as_ref().unwrap();
//! assert_eq!((record.id.to_string(), record.text.as_str()), ("7".to_owned(), "ASN wajib netral."));
//! let error = items[1].as_ref().unwrap_err();
//! assert_eq!((error.line, error.id.clone()), (3, None));
//! assert_eq!(error.to_string(), "line 3: \"text\" is a number, not a string");
//! ```

use std::fmt;
use std::io::{self, BufRead};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;

/// The default longest line [`RecordReader`] buffers, in bytes: 64 MiB,
/// room for a 50 MB article with escapes.
pub const DEFAULT_MAX_LINE_BYTES: usize = 64 << 20;

/// The largest line buffer kept between lines, in bytes.
const KEPT_BUFFER_BYTES: usize = 1 << 20;

/// An article's id as the input gave it, or its line number when it gave none.
#[derive(Debug, Clone)]
pub enum Id {
    /// A string id, unescaped.
    String(String),
    /// A number id, kept exactly as written (`12345678901234567890`, `1.50`).
    Number(Box<RawValue>),
    /// No id (or `null`): the 1-based line number in its input.
    Line(usize),
}

impl PartialEq for Id {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Id::String(a), Id::String(b)) => a == b,
            (Id::Number(a), Id::Number(b)) => a.get() == b.get(),
            (Id::Line(a), Id::Line(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Id {}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Id::String(s) => f.write_str(s),
            Id::Number(n) => f.write_str(n.get()),
            Id::Line(n) => write!(f, "{n}"),
        }
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Id::String(s) => serializer.serialize_str(s),
            Id::Number(n) => n.serialize(serializer),
            Id::Line(n) => serializer.serialize_u64(*n as u64),
        }
    }
}

/// Reads what [`Id`]'s `Serialize` writes: a string, or a number (kept as
/// written). A line number reads back as a number id.
impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl Visitor<'_> for IdVisitor {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
                Ok(Id::String(v.to_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Id, E> {
                number(v)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Id, E> {
                number(v)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Id, E> {
                number(v)
            }
        }
        fn number<E: de::Error>(n: impl fmt::Display) -> Result<Id, E> {
            RawValue::from_string(n.to_string())
                .map(Id::Number)
                .map_err(E::custom)
        }
        deserializer.deserialize_any(IdVisitor)
    }
}

/// One article read from a line.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Record {
    /// The input's `"id"`, or the line number.
    pub id: Id,
    /// The 1-based line number in its input, blank lines counted.
    pub line: usize,
    /// The article text, unescaped.
    pub text: String,
    /// How many invalid UTF-8 sequences and lone surrogate escapes were
    /// replaced by U+FFFD (only in lossy mode; 0 otherwise).
    pub replacements: usize,
    /// The line's other fields than `id` and `text`, in input order, values
    /// as written; empty unless [`RecordReader::keep_fields`] is set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<(String, Box<RawValue>)>,
}

impl Record {
    /// A record of `text` with id `id`, from line `line`, with no
    /// replacements and no other fields (for articles read otherwise than
    /// from JSON Lines, such as a plain-text file).
    pub fn new(id: Id, line: usize, text: String) -> Record {
        Record {
            id,
            line,
            text,
            replacements: 0,
            fields: Vec::new(),
        }
    }
}

impl PartialEq for Record {
    fn eq(&self, other: &Self) -> bool {
        let same_fields = self.fields.len() == other.fields.len()
            && self
                .fields
                .iter()
                .zip(&other.fields)
                .all(|((a, x), (b, y))| a == b && x.get() == y.get());
        (&self.id, self.line, &self.text, self.replacements)
            == (&other.id, other.line, &other.text, other.replacements)
            && same_fields
    }
}

impl Eq for Record {}

/// A line that could not be read as an article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {kind}")]
pub struct RecordError {
    /// The line's `"id"` when it could still be read.
    pub id: Option<Id>,
    /// The 1-based line number in its input, blank lines counted.
    pub line: usize,
    /// What is wrong with the line.
    pub kind: RecordErrorKind,
}

/// What is wrong with a line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordErrorKind {
    /// The line is not valid JSON (truncated, trailing garbage, nested
    /// deeper than serde_json's recursion limit of 128).
    #[error("invalid JSON: {message} at column {column}")]
    InvalidJson {
        /// serde_json's description of the problem.
        message: String,
        /// Where serde_json stopped, 1-based, in bytes into the line.
        column: usize,
    },
    /// The line holds bytes that are not UTF-8.
    #[error("invalid UTF-8 at byte {offset} of the line")]
    InvalidUtf8 {
        /// Where the first invalid sequence starts, in bytes into the line.
        offset: usize,
    },
    /// A `\uD800`–`\uDFFF` escape that is not half of a surrogate pair.
    #[error("lone surrogate escape `{escape}` at byte {offset} of the line")]
    LoneSurrogate {
        /// The escape as written, such as `\ud800`.
        escape: String,
        /// Where the escape starts, in bytes into the line.
        offset: usize,
    },
    /// The line is longer than the reader's limit.
    #[error("line is longer than {limit} bytes")]
    LineTooLong {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The line is a JSON value other than an object.
    #[error("top-level value is {0}, not an object")]
    NotAnObject(&'static str),
    /// The object has no `"text"`.
    #[error("no \"text\" field")]
    MissingText,
    /// `"text"` is not a string.
    #[error("\"text\" is {0}, not a string")]
    TextNotString(&'static str),
    /// `"id"` is neither a string nor a number.
    #[error("\"id\" is {0}, not a string or a number")]
    BadId(&'static str),
}

impl Serialize for RecordError {
    /// Writes `{"id": <id or line number>, "line": n, "error": "..."}`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        match &self.id {
            Some(id) => map.serialize_entry("id", id)?,
            None => map.serialize_entry("id", &self.line)?,
        }
        map.serialize_entry("line", &self.line)?;
        map.serialize_entry("error", &self.kind.to_string())?;
        map.end()
    }
}

/// Reads JSON Lines records (`{"id": …, "text": "…"}`) from any `BufRead`.
///
/// Yields one item per non-blank line, in order: the outer `io::Result` is
/// a fatal read error (the iterator ends after it), the inner one the
/// line's record or error. Other fields than `id` and `text` are skipped,
/// or kept in [`Record::fields`] with [`RecordReader::keep_fields`].
#[derive(Debug)]
pub struct RecordReader<R> {
    reader: R,
    buf: Vec<u8>,
    line: usize,
    max_line_bytes: usize,
    lossy: bool,
    keep_fields: bool,
    done: bool,
}

impl<R: BufRead> RecordReader<R> {
    /// Reads records from `reader`, strictly, with lines up to
    /// [`DEFAULT_MAX_LINE_BYTES`].
    pub fn new(reader: R) -> Self {
        RecordReader {
            reader,
            buf: Vec::new(),
            line: 0,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            lossy: false,
            keep_fields: false,
            done: false,
        }
    }

    /// Sets the longest line buffered, in bytes; a longer line is skipped
    /// without being held in memory and yields [`RecordErrorKind::LineTooLong`].
    pub fn max_line_bytes(mut self, limit: usize) -> Self {
        self.max_line_bytes = limit;
        self
    }

    /// With `true`, replaces invalid UTF-8 and lone surrogate escapes by
    /// U+FFFD (counted in [`Record::replacements`]) instead of rejecting the line.
    pub fn lossy(mut self, lossy: bool) -> Self {
        self.lossy = lossy;
        self
    }

    /// With `true`, keeps every field other than `id` and `text` in
    /// [`Record::fields`], so a caller can pass them through.
    pub fn keep_fields(mut self, keep: bool) -> Self {
        self.keep_fields = keep;
        self
    }

    /// The number of lines read so far, blank lines included: after an
    /// item, its line number; after an I/O error, the last complete line.
    pub fn line(&self) -> usize {
        self.line
    }

    /// Reads the next line into `buf` without its `\n`, or its first
    /// `max_line_bytes` when it is longer; `None` at the end.
    fn read_line(&mut self) -> io::Result<Option<Length>> {
        // A long line's buffer is not kept for the rest of the stream.
        if self.buf.capacity() > KEPT_BUFFER_BYTES {
            self.buf = Vec::new();
        }
        self.buf.clear();
        let mut length = Length::Within;
        let mut any = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                return Ok(any.then_some(length));
            }
            any = true;
            let newline = memchr::memchr(b'\n', available);
            let chunk = &available[..newline.unwrap_or(available.len())];
            let room = self.max_line_bytes - self.buf.len();
            // Only the prefix is kept, so an id near the start can still be
            // reported; the rest is skipped unbuffered.
            let (kept, skipped) = chunk.split_at(chunk.len().min(room));
            self.buf.extend_from_slice(kept);
            if !skipped.is_empty() || matches!(length, Length::TooLong { .. }) {
                let skipped_blank = skipped.iter().all(u8::is_ascii_whitespace);
                length = match length {
                    Length::TooLong { blank } => Length::TooLong {
                        blank: blank && skipped_blank,
                    },
                    Length::Within => Length::TooLong {
                        blank: skipped_blank,
                    },
                };
            }
            let used = chunk.len() + usize::from(newline.is_some());
            self.reader.consume(used);
            if newline.is_some() {
                return Ok(Some(length));
            }
        }
    }
}

/// How a line read compares with the limit.
#[derive(Debug, Clone, Copy)]
enum Length {
    Within,
    /// Longer than the limit; `blank` when the part past it is white space.
    TooLong {
        blank: bool,
    },
}

impl<R: BufRead> RecordReader<R> {
    /// Reads the next non-blank line without parsing it: `None` at the end,
    /// an error when reading fails (the stream ends after it).
    ///
    /// [`Line::parse`] then gives the same item the iterator would have,
    /// on any thread: a reader can hand lines to workers and keep reading.
    ///
    /// ```
    /// use warta::jsonl::RecordReader;
    ///
    /// let mut reader = RecordReader::new(&b"\n{\"text\": \"Pemilu damai.\"}\n"[..]);
    /// let line = reader.next_line().unwrap().unwrap();
    /// assert_eq!(line.number(), 2);
    /// assert_eq!(line.parse().unwrap().text, "Pemilu damai.");
    /// assert!(reader.next_line().is_none());
    /// ```
    pub fn next_line(&mut self) -> Option<io::Result<Line>> {
        Some(self.next_non_blank()?.map(|(from, too_long)| Line {
            bytes: self.buf[from..].to_vec(),
            number: self.line,
            too_long,
            lossy: self.lossy,
            keep_fields: self.keep_fields,
        }))
    }

    /// Reads the next non-blank line into the buffer: where it starts
    /// there (after a byte order mark on line 1), and the limit when it is
    /// longer; `None` at the end.
    fn next_non_blank(&mut self) -> Option<io::Result<(usize, Option<usize>)>> {
        while !self.done {
            let length = match self.read_line() {
                Ok(Some(length)) => length,
                Ok(None) => break,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
            self.line += 1;
            let mut from = 0;
            if self.line == 1 && self.buf.starts_with(b"\xEF\xBB\xBF") {
                from = 3;
            }
            let rest_blank = match length {
                Length::Within => true,
                Length::TooLong { blank } => blank,
            };
            if rest_blank && self.buf[from..].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let too_long = match length {
                Length::Within => None,
                Length::TooLong { .. } => Some(self.max_line_bytes),
            };
            return Some(Ok((from, too_long)));
        }
        self.done = true;
        None
    }
}

/// A non-blank line read by [`RecordReader::next_line`] and not yet parsed.
#[derive(Debug, Clone)]
pub struct Line {
    /// The line without its `\n` (and without a byte order mark on line
    /// 1); only its first `max_line_bytes` when it is longer.
    bytes: Vec<u8>,
    number: usize,
    /// The reader's limit, when the line is longer.
    too_long: Option<usize>,
    lossy: bool,
    keep_fields: bool,
}

impl Line {
    /// The 1-based line number in its input, blank lines counted.
    pub fn number(&self) -> usize {
        self.number
    }

    /// The bytes of the line held in memory.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether no bytes are held (a line past a limit of zero bytes).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The line's record, or what is wrong with it: what
    /// [`RecordReader`]'s iterator yields for it.
    pub fn parse(mut self) -> Result<Record, RecordError> {
        parse_read(
            &mut self.bytes,
            self.number,
            self.too_long,
            self.lossy,
            self.keep_fields,
        )
    }
}

impl<R: BufRead> Iterator for RecordReader<R> {
    type Item = io::Result<Result<Record, RecordError>>;

    /// What [`RecordReader::next_line`] and [`Line::parse`] give, parsed
    /// in the reader's buffer (no copy of the line).
    fn next(&mut self) -> Option<Self::Item> {
        Some(self.next_non_blank()?.map(|(from, too_long)| {
            self.buf.drain(..from);
            parse_read(
                &mut self.buf,
                self.line,
                too_long,
                self.lossy,
                self.keep_fields,
            )
        }))
    }
}

/// The record of a line read (without its `\n`), or its error: a line
/// longer than the limit `too_long` is not parsed, only searched for its
/// id.
fn parse_read(
    buf: &mut Vec<u8>,
    line: usize,
    too_long: Option<usize>,
    lossy: bool,
    keep_fields: bool,
) -> Result<Record, RecordError> {
    if let Some(limit) = too_long {
        let id = parse_fields(&String::from_utf8_lossy(buf), false).0;
        let kind = RecordErrorKind::LineTooLong { limit };
        return Err(RecordError { id, line, kind });
    }
    parse_line(buf, line, lossy, keep_fields)
}

/// Parses one line (without its `\n`) into a record.
fn parse_line(
    buf: &mut Vec<u8>,
    line: usize,
    lossy: bool,
    keep_fields: bool,
) -> Result<Record, RecordError> {
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    let mut replacements = 0;
    if lossy {
        replacements += replace_lone_surrogates(buf);
    }
    let lossy_text;
    let json = match std::str::from_utf8(buf) {
        Ok(json) => json,
        Err(e) => {
            let (text, replaced) = utf8_lossy(buf);
            lossy_text = text;
            if !lossy {
                let id = parse_fields(&lossy_text, false).0;
                let kind = RecordErrorKind::InvalidUtf8 {
                    offset: e.valid_up_to(),
                };
                return Err(RecordError { id, line, kind });
            }
            replacements += replaced;
            &lossy_text
        }
    };
    let (id, text) = parse_fields(json, keep_fields);
    match text {
        Ok((text, fields)) => Ok(Record {
            id: id.unwrap_or(Id::Line(line)),
            line,
            text,
            replacements,
            fields,
        }),
        Err(RecordErrorKind::InvalidJson { message, column }) => {
            // serde_json words a lone surrogate in several ways ("unexpected
            // end of hex escape", "lone leading surrogate…"); name it when
            // one stands before the error.
            let kind = match next_lone_surrogate(json.as_bytes(), 0) {
                Some(offset) if offset < column => RecordErrorKind::LoneSurrogate {
                    escape: json.get(offset..offset + 6).unwrap_or_default().to_owned(),
                    offset,
                },
                _ => RecordErrorKind::InvalidJson { message, column },
            };
            Err(RecordError { id, line, kind })
        }
        Err(kind) => Err(RecordError { id, line, kind }),
    }
}

/// The `text` of a line and its other fields (kept only when asked for).
type TextAndFields = (String, Vec<(String, Box<RawValue>)>);

/// Parses a line's `id` and `text`, and with `keep` its other fields; the
/// id comes back even when the rest fails, as long as it stood before the
/// first error.
fn parse_fields(json: &str, keep: bool) -> (Option<Id>, Result<TextAndFields, RecordErrorKind>) {
    let trimmed = json.trim_start_matches(|c: char| c.is_ascii_whitespace());
    if !trimmed.starts_with('{') {
        let kind = match serde_json::from_str::<IgnoredAny>(trimmed) {
            Ok(_) => RecordErrorKind::NotAnObject(json_kind(trimmed)),
            Err(e) => invalid_json(&e),
        };
        return (None, Err(kind));
    }
    let mut fields = Fields {
        keep,
        ..Fields::default()
    };
    let mut de = serde_json::Deserializer::from_str(trimmed);
    let parsed = FieldsSeed(&mut fields)
        .deserialize(&mut de)
        .and_then(|()| de.end());
    let id = match fields.id.map(|raw| parse_id(raw.get())) {
        Some(Ok(id)) => id,
        Some(Err(kind)) => return (None, Err(kind)),
        None => None,
    };
    if let Err(e) = parsed {
        return (id, Err(invalid_json(&e)));
    }
    let text = match fields.text {
        None => Err(RecordErrorKind::MissingText),
        Some(serde_json::Value::String(text)) => Ok((
            text,
            fields
                .other
                .into_iter()
                .map(|(key, value)| (key, value.to_owned()))
                .collect(),
        )),
        Some(other) => Err(RecordErrorKind::TextNotString(value_kind(&other))),
    };
    (id, text)
}

/// Reads a raw `id` value: a string, a number kept as written, or `null`.
fn parse_id(raw: &str) -> Result<Option<Id>, RecordErrorKind> {
    match raw.as_bytes().first() {
        Some(b'"') => serde_json::from_str(raw)
            .map(|s| Some(Id::String(s)))
            .map_err(|e| invalid_json(&e)),
        Some(b'-' | b'0'..=b'9') => RawValue::from_string(raw.to_owned())
            .map(|n| Some(Id::Number(n)))
            .map_err(|e| invalid_json(&e)),
        Some(b'n') => Ok(None),
        _ => Err(RecordErrorKind::BadId(json_kind(raw))),
    }
}

/// A serde_json error as a record error, without its "line 1": a record is
/// one line.
fn invalid_json(e: &serde_json::Error) -> RecordErrorKind {
    let message = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    RecordErrorKind::InvalidJson {
        message: message.strip_suffix(&suffix).unwrap_or(&message).to_owned(),
        column: e.column(),
    }
}

/// The kind of the JSON value `json` starts with, for messages.
fn json_kind(json: &str) -> &'static str {
    match json.as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

fn value_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// The fields of a line the reader keeps; filled as parsing goes, so what
/// was read before an error survives it.
#[derive(Default)]
struct Fields<'de> {
    id: Option<&'de RawValue>,
    text: Option<serde_json::Value>,
    /// Whether to keep the other fields.
    keep: bool,
    other: Vec<(String, &'de RawValue)>,
}

struct FieldsSeed<'a, 'de>(&'a mut Fields<'de>);

impl<'de> DeserializeSeed<'de> for FieldsSeed<'_, 'de> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FieldsSeed<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key_seed(KeySeed { keep: self.0.keep })? {
            match key {
                Key::Id => self.0.id = Some(map.next_value()?),
                Key::Text => self.0.text = Some(map.next_value()?),
                Key::Other(Some(name)) => self.0.other.push((name, map.next_value()?)),
                Key::Other(None) => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// An object key, told apart without allocating unless another field's
/// name is kept.
enum Key {
    Id,
    Text,
    Other(Option<String>),
}

/// Reads a [`Key`]; `keep` keeps the names of other fields.
struct KeySeed {
    keep: bool,
}

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match key {
            "id" => Key::Id,
            "text" => Key::Text,
            _ => Key::Other(self.keep.then(|| key.to_owned())),
        })
    }
}

/// `bytes` as a string with each invalid UTF-8 sequence replaced by
/// U+FFFD, and the number of replacements (what `--lossy` reads).
///
/// ```
/// assert_eq!(warta::jsonl::utf8_lossy(b"Pemilu \xFF2024"), ("Pemilu \u{FFFD}2024".to_owned(), 1));
/// ```
pub fn utf8_lossy(bytes: &[u8]) -> (String, usize) {
    let mut text = String::with_capacity(bytes.len());
    let mut replaced = 0;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            text.push(char::REPLACEMENT_CHARACTER);
            replaced += 1;
        }
    }
    (text, replaced)
}

/// Rewrites every lone surrogate escape in `json` to `\ufffd` in place
/// (both are six bytes, so offsets do not move); returns how many.
fn replace_lone_surrogates(json: &mut [u8]) -> usize {
    let mut count = 0;
    let mut from = 0;
    while let Some(offset) = next_lone_surrogate(json, from) {
        if let Some(hex) = json.get_mut(offset + 2..offset + 6) {
            hex.copy_from_slice(b"fffd");
        }
        count += 1;
        from = offset + 6;
    }
    count
}

/// The offset, in bytes, of the first `\uXXXX` escape at or after `from`
/// that encodes a surrogate not paired with its other half.
fn next_lone_surrogate(json: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(rel) = json.get(i..)?.iter().position(|&b| b == b'\\') {
        i += rel;
        let Some(unit) = escaped_unit(json, i) else {
            // `\\`, `\"`, `\n`…: skip the escaped character.
            i += 2;
            continue;
        };
        match unit {
            0xD800..=0xDBFF => match escaped_unit(json, i + 6) {
                Some(0xDC00..=0xDFFF) => i += 12,
                _ => return Some(i),
            },
            0xDC00..=0xDFFF => return Some(i),
            _ => i += 6,
        }
    }
    None
}

/// The code unit of a `\uXXXX` escape starting at `at`, if there is one.
fn escaped_unit(json: &[u8], at: usize) -> Option<u32> {
    let escape = json.get(at..at + 6)?;
    if !escape.starts_with(b"\\u") {
        return None;
    }
    let hex = std::str::from_utf8(escape.get(2..)?).ok()?;
    u32::from_str_radix(hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8], max: usize, lossy: bool) -> Vec<Result<Record, RecordError>> {
        RecordReader::new(input)
            .max_line_bytes(max)
            .lossy(lossy)
            .collect::<io::Result<_>>()
            .unwrap()
    }

    fn number(raw: &str) -> Id {
        Id::Number(RawValue::from_string(raw.to_owned()).unwrap())
    }

    #[test]
    fn good_lines_become_records() {
        // (line, id, text, replacements)
        let cases: &[(&[u8], Id, &str, usize)] = &[
            (
                br#"{"id":"a1","text":"Halo"}"#,
                Id::String("a1".into()),
                "Halo",
                0,
            ),
            (
                br#"{"text":"x","id":12345678901234567890123}"#,
                number("12345678901234567890123"),
                "x",
                0,
            ),
            (br#"{"id":1.50,"text":"x"}"#, number("1.50"), "x", 0),
            (br#"{"id":-3e2,"text":"x"}"#, number("-3e2"), "x", 0),
            (br#"{"text":"x"}"#, Id::Line(1), "x", 0),
            (br#"{"id":null,"text":"x"}"#, Id::Line(1), "x", 0),
            (
                br#"{"\u0069d":"esc","text":"\u00e9\ud83d\ude00\n"}"#,
                Id::String("esc".into()),
                "é😀\n",
                0,
            ),
            (b"{\"text\":\"crlf\"}\r", Id::Line(1), "crlf", 0),
            (b"\xEF\xBB\xBF{\"text\":\"bom\"}", Id::Line(1), "bom", 0),
            (
                br#"  {"text":"","other":[1,{"a":null}]}  "#,
                Id::Line(1),
                "",
                0,
            ),
            (br#"{"text":"a","text":"b"}"#, Id::Line(1), "b", 0),
            (
                br#"{"text":"\\ud800 is no escape"}"#,
                Id::Line(1),
                "\\ud800 is no escape",
                0,
            ),
        ];
        for (input, id, text, replacements) in cases {
            let got = read(input, 1 << 20, false);
            let expected = Record {
                id: id.clone(),
                line: 1,
                text: (*text).to_owned(),
                replacements: *replacements,
                fields: Vec::new(),
            };
            assert_eq!(
                got,
                vec![Ok(expected)],
                "{}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn bad_lines_become_errors_with_their_id_when_readable() {
        let deep = format!("{{\"id\":9,\"text\":{}", "[".repeat(100_000));
        let top_deep = "[".repeat(100_000);
        // (line, id, message)
        let cases: Vec<(&[u8], Option<Id>, &str)> = vec![
            (
                br#"{"id":"t","text":"trunc"#,
                Some(Id::String("t".into())),
                "invalid JSON: EOF while parsing a string at column 23",
            ),
            (
                br#"{"id":"t","text":"x"} x"#,
                Some(Id::String("t".into())),
                "invalid JSON: trailing characters at column 23",
            ),
            (
                br#"{"id":"t"}"#,
                Some(Id::String("t".into())),
                "no \"text\" field",
            ),
            (
                br#"{"id":2,"text":["a"]}"#,
                Some(number("2")),
                "\"text\" is an array, not a string",
            ),
            (
                br#"{"id":2,"text":null}"#,
                Some(number("2")),
                "\"text\" is null, not a string",
            ),
            (
                br#"{"id":true,"text":"x"}"#,
                None,
                "\"id\" is a boolean, not a string or a number",
            ),
            (
                b"{\"id\":\"u\",\"text\":\"ab\xFFc\"}",
                Some(Id::String("u".into())),
                "invalid UTF-8 at byte 20 of the line",
            ),
            (
                br#"{"id":"s","text":"a\ud800b"}"#,
                Some(Id::String("s".into())),
                "lone surrogate escape `\\ud800` at byte 19 of the line",
            ),
            (
                br#"{"id":"s","text":"\udc00\ud83d\ude00"}"#,
                Some(Id::String("s".into())),
                "lone surrogate escape `\\udc00` at byte 18 of the line",
            ),
            (
                deep.as_bytes(),
                Some(number("9")),
                "invalid JSON: recursion limit exceeded at column 142",
            ),
            (
                top_deep.as_bytes(),
                None,
                "invalid JSON: EOF while parsing a list at column 100000",
            ),
            (b"[1,2]", None, "top-level value is an array, not an object"),
            (
                b"\"text\"",
                None,
                "top-level value is a string, not an object",
            ),
            (b"42", None, "top-level value is a number, not an object"),
            (b"hello", None, "invalid JSON: expected value at column 1"),
        ];
        for (input, id, message) in cases {
            let got = read(input, 1 << 20, false);
            let [Err(e)] = &got[..] else {
                panic!("{}: {got:?}", String::from_utf8_lossy(input))
            };
            assert_eq!((&e.id, e.kind.to_string().as_str()), (&id, message));
        }
    }

    #[test]
    fn other_fields_are_kept_in_order_when_asked() {
        let input = br#"{"url":"https://x.invalid/?q=\"c\"","id":3,"tags":["a", 1],"text":"t","n":1.50,"no":null}"#;
        let fields = |keep: bool| -> Vec<(String, String)> {
            let got: Vec<_> = RecordReader::new(&input[..])
                .keep_fields(keep)
                .collect::<io::Result<_>>()
                .unwrap();
            let [Ok(record)] = &got[..] else {
                panic!("{got:?}")
            };
            assert_eq!(
                (record.id.to_string(), record.text.as_str()),
                ("3".to_owned(), "t")
            );
            record
                .fields
                .iter()
                .map(|(k, v)| (k.clone(), v.get().to_owned()))
                .collect()
        };
        let expected = [
            ("url", r#""https://x.invalid/?q=\"c\"" "#.trim_end()),
            ("tags", r#"["a", 1]"#),
            ("n", "1.50"),
            ("no", "null"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()));
        assert_eq!(fields(true), expected);
        assert!(fields(false).is_empty());
    }

    #[test]
    fn lossy_mode_replaces_and_counts() {
        let cases: &[(&[u8], &str, usize)] = &[
            (b"{\"text\":\"ab\xFF\xFEc\"}", "ab\u{FFFD}\u{FFFD}c", 2),
            (br#"{"text":"a\ud800b\udfffc"}"#, "a\u{FFFD}b\u{FFFD}c", 2),
            (br#"{"text":"\ud800\ud800\udc00"}"#, "\u{FFFD}\u{10000}", 1),
            (br#"{"text":"fine \ud83d\ude00"}"#, "fine 😀", 0),
        ];
        for (input, text, replacements) in cases {
            let got = read(input, 1 << 20, true);
            let [Ok(record)] = &got[..] else {
                panic!("{got:?}")
            };
            assert_eq!(
                (record.text.as_str(), record.replacements),
                (*text, *replacements)
            );
        }
    }

    #[test]
    fn blank_lines_are_skipped_but_counted_and_long_lines_skipped_whole() {
        let long = format!("{{\"id\":\"big\",\"text\":\"{}\"}}", "a".repeat(5000));
        let spaces = " ".repeat(300);
        let input = format!(
            " \t\n\n{{\"text\":\"a\"}}\r\n\r\n{long}\n{{\"text\":\"b\"}}\n{spaces}\n{spaces}{{\"text\":\"c\"}}"
        );
        let got = read(input.as_bytes(), 100, false);
        let summary: Vec<(usize, String)> = got
            .iter()
            .map(|item| match item {
                Ok(r) => (r.line, format!("{}={}", r.id, r.text)),
                Err(e) => (e.line, format!("{:?}: {}", e.id, e.kind)),
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (3, "3=a".to_owned()),
                (
                    5,
                    "Some(String(\"big\")): line is longer than 100 bytes".to_owned()
                ),
                (6, "6=b".to_owned()),
                (8, "None: line is longer than 100 bytes".to_owned()),
            ]
        );
    }

    #[test]
    fn error_serializes_with_line_number_when_no_id() {
        let cases = [
            (None, r#"{"id":4,"line":4,"error":"no \"text\" field"}"#),
            (
                Some(Id::String("x".into())),
                r#"{"id":"x","line":4,"error":"no \"text\" field"}"#,
            ),
            (
                Some(number("1.0")),
                r#"{"id":1.0,"line":4,"error":"no \"text\" field"}"#,
            ),
        ];
        for (id, json) in cases {
            let error = RecordError {
                id,
                line: 4,
                kind: RecordErrorKind::MissingText,
            };
            assert_eq!(serde_json::to_string(&error).unwrap(), json);
        }
    }

    proptest::proptest! {
        #[test]
        fn one_item_per_non_blank_line_whatever_the_bytes(
            // White space is frequent, so lines are often blank up to, or past, the limit.
            lines in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::prop_oneof![proptest::prelude::Just(b' '), proptest::prelude::Just(b'\r'), proptest::prelude::any::<u8>()],
                    0..80,
                ),
                0..20,
            ),
            lossy: bool,
        ) {
            let mut input = Vec::new();
            let mut expected = Vec::new();
            for (i, line) in lines.iter().enumerate() {
                let line: Vec<u8> = line.iter().copied().filter(|&b| b != b'\n').collect();
                let blank = line.iter().all(u8::is_ascii_whitespace)
                    || (i == 0 && line.strip_prefix(b"\xEF\xBB\xBF").is_some_and(|rest| rest.iter().all(u8::is_ascii_whitespace)));
                if !blank {
                    expected.push(i + 1);
                }
                input.extend_from_slice(&line);
                input.push(b'\n');
            }
            let got: Vec<usize> = read(&input, 30, lossy)
                .iter()
                .map(|item| match item {
                    Ok(record) => record.line,
                    Err(error) => error.line,
                })
                .collect();
            proptest::prop_assert_eq!(got, expected);
        }
    }

    proptest::proptest! {
        #[test]
        fn lines_parsed_later_are_the_items_of_the_iterator(
            lines in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::Just(r#"{"id":1,"text":"Pemilu damai.","x":[1]}"#.to_owned()),
                    proptest::prelude::Just(r#"{"text":"Tanpa id"}"#.to_owned()),
                    proptest::prelude::Just(r#"{"id":"a","text":"\ud800"}"#.to_owned()),
                    proptest::prelude::Just("\u{feff}{\"text\":\"bom\"}".to_owned()),
                    proptest::prelude::Just("  ".to_owned()),
                    proptest::prelude::Just(format!(r#"{{"id":"long","text":"{}"}}"#, "a".repeat(60))),
                    proptest::prelude::Just(r#"{"text": 5}"#.to_owned()),
                    "[ -~]{0,20}",
                ],
                0..12,
            ),
            invalid_utf8 in proptest::option::of(0..12usize),
            lossy: bool,
            keep: bool,
        ) {
            let mut input = Vec::new();
            for (i, line) in lines.iter().enumerate() {
                input.extend_from_slice(line.as_bytes());
                if invalid_utf8 == Some(i) {
                    input.push(0xFF);
                }
                input.push(b'\n');
            }
            let reader = || {
                RecordReader::new(&input[..]).max_line_bytes(40).lossy(lossy).keep_fields(keep)
            };
            let now: Vec<_> = reader().map(|item| item.expect("in memory")).collect();
            let mut later_reader = reader();
            let mut later = Vec::new();
            while let Some(line) = later_reader.next_line() {
                later.push(line.expect("in memory").parse());
            }
            proptest::prop_assert_eq!(now, later);
        }
    }

    #[test]
    fn io_errors_end_the_stream() {
        struct Failing;
        impl io::Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("disk gone"))
            }
        }
        let mut reader = RecordReader::new(io::BufReader::new(Failing));
        assert!(matches!(reader.next(), Some(Err(e)) if e.to_string() == "disk gone"));
        assert!(reader.next().is_none());
    }
}
