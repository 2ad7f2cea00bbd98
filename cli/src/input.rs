//! The records of every input, one after the other: JSON Lines or plain-text
//! files (one article each), any of them gzip-compressed.
//!
//! [`sources`] turns the command line's paths into the list of inputs
//! (expanding directories of text files); [`Inputs`] yields one [`Raw`]
//! per record, whatever the input form, which [`Raw::parse`] makes an
//! [`Item`].

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use anyhow::{anyhow, bail};
use flate2::bufread::MultiGzDecoder;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use warta::jsonl::{Id, Line, Record, RecordError, RecordReader};

/// Buffer size for reading inputs, in bytes.
const READ_BUFFER: usize = 1 << 16;

/// The two bytes every gzip stream starts with. No UTF-8 text starts with
/// them (0x8b is a continuation byte), so sniffing them is safe.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// What an input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// JSON Lines: one `{"id", "text", ...}` record per line.
    Jsonl,
    /// Plain text: the whole input is one article, its id the path.
    Text,
}

/// How to read records.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// Longest JSON line, or longest text file, in bytes.
    pub max_line_bytes: usize,
    pub lossy: bool,
    pub form: Form,
    /// Keep the other fields of JSON records in [`Record::fields`].
    pub keep_fields: bool,
    /// Parse JSON lines as they are read (see [`Raw::Line`]).
    pub parse_on_read: bool,
}

/// One input record's outcome; `source` indexes the input names.
pub enum Item {
    /// An article; a JSON record without an id has the id `file:line`.
    Record(Record),
    Error {
        source: usize,
        error: InputError,
    },
    /// A read error: the stream ends after it.
    Fatal(anyhow::Error),
}

impl Item {
    /// The bytes a record holds while in flight: its text and id (errors
    /// and read failures hold little).
    pub fn bytes(&self) -> usize {
        match self {
            Item::Record(record) => record.text.len() + id_bytes(&record.id),
            Item::Error { error, .. } => id_bytes(&error.id) + error.message.len(),
            Item::Fatal(_) => 0,
        }
    }
}

/// What [`Inputs`] reads for one record: a JSON line still to be parsed,
/// or an item already made (a text file, a read error).
pub enum Raw {
    /// A JSON line and the index of its input in the names, parsed by
    /// [`Raw::parse`] where the caller wants: on the worker threads when
    /// they take every core, so that the reader, which then shares a core
    /// with them, only reads and never holds them up (with
    /// [`ReadOptions::parse_on_read`], the reader parses it, which costs
    /// the workers nothing when it has a core of its own).
    Line {
        source: usize,
        line: Line,
    },
    Item(Item),
}

impl Raw {
    /// The bytes held while in flight.
    pub fn bytes(&self) -> usize {
        match self {
            Raw::Line { line, .. } => line.len(),
            Raw::Item(item) => item.bytes(),
        }
    }

    /// The record or error: a JSON record without an id gets `file:line`,
    /// its file named from `names` (the names [`Inputs`] was given).
    pub fn parse(self, names: &[String]) -> Item {
        match self {
            Raw::Line { source, line } => {
                item_of(line.parse(), source, display_name(&names[source]))
            }
            Raw::Item(item) => item,
        }
    }
}

/// The item of a parsed line of input `source`, named `name`.
fn item_of(parsed: Result<Record, RecordError>, source: usize, name: &str) -> Item {
    let at = |line: usize| Id::String(format!("{name}:{line}"));
    match parsed {
        Ok(mut record) => {
            if let Id::Line(line) = record.id {
                record.id = at(line);
            }
            Item::Record(record)
        }
        Err(error) => Item::Error {
            source,
            error: InputError {
                id: error.id.unwrap_or_else(|| at(error.line)),
                line: Some(error.line),
                message: error.kind.to_string(),
            },
        },
    }
}

fn id_bytes(id: &Id) -> usize {
    match id {
        Id::String(s) => s.len(),
        Id::Number(n) => n.get().len(),
        Id::Line(_) => 0,
    }
}

/// A record that could not be read as an article.
#[derive(Debug, Clone)]
pub struct InputError {
    /// The record's id, or `file:line` when it has none (or none could be read).
    pub id: Id,
    /// The 1-based line in a JSON Lines input; `None` for a text file.
    pub line: Option<usize>,
    pub message: String,
}

impl Serialize for InputError {
    /// Writes `{"id", "line" (JSON Lines only), "error"}`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        if let Some(line) = self.line {
            map.serialize_entry("line", &line)?;
        }
        map.serialize_entry("error", &self.message)?;
        map.end()
    }
}

/// The inputs named on the command line, in order: none means standard
/// input (`-`). In [`Form::Text`], a directory stands for every `*.txt`
/// and `*.txt.gz` file under it, recursively, in sorted path order
/// (symbolic links to directories are not followed). Fails when an input
/// cannot be opened, so a typo fails before any output.
pub fn sources(paths: &[String], form: Form) -> anyhow::Result<Vec<String>> {
    if paths.is_empty() {
        return Ok(vec!["-".to_owned()]);
    }
    let mut names = Vec::new();
    for name in paths {
        if name == "-" {
            names.push(name.clone());
            continue;
        }
        let path = Path::new(name);
        let metadata = std::fs::metadata(path).map_err(|e| anyhow!("cannot open {name}: {e}"))?;
        if metadata.is_dir() {
            if form == Form::Jsonl {
                bail!("{name} is a directory (directories of text files are read with --text)");
            }
            let mut found = Vec::new();
            text_files(path, &mut found)?;
            found.sort();
            names.extend(found);
        } else {
            File::open(path).map_err(|e| anyhow!("cannot open {name}: {e}"))?;
            names.push(name.clone());
        }
    }
    Ok(names)
}

/// Adds the `*.txt` and `*.txt.gz` files under `dir` to `found`.
fn text_files(dir: &Path, found: &mut Vec<String>) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| anyhow!("cannot read directory {}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| anyhow!("cannot read directory {}: {e}", dir.display()))?;
        let path = entry.path();
        let file_type = entry
            .file_type()
            .map_err(|e| anyhow!("cannot open {}: {e}", path.display()))?;
        if file_type.is_dir() {
            text_files(&path, found)?;
            continue;
        }
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let is_text = name.ends_with(".txt") || name.ends_with(".txt.gz");
        // A symbolic link counts when it leads to a file.
        if is_text && path.is_file() {
            let Some(path) = path.to_str() else {
                bail!("{} is not a UTF-8 path", path.display());
            };
            found.push(path.to_owned());
        }
    }
    Ok(())
}

/// An input, decompressed when it is gzip.
type Reader = Box<dyn BufRead + Send>;

/// Opens `name` (`-` is standard input), decompressing gzip transparently.
pub fn open(name: &str) -> io::Result<Reader> {
    let mut raw: Reader = if name == "-" {
        Box::new(BufReader::with_capacity(READ_BUFFER, io::stdin()))
    } else {
        Box::new(BufReader::with_capacity(READ_BUFFER, File::open(name)?))
    };
    let gzip = loop {
        match raw.fill_buf() {
            Ok(start) => break start.starts_with(&GZIP_MAGIC),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    };
    Ok(if gzip {
        // Several members one after the other (`cat a.gz b.gz`) are one stream.
        Box::new(BufReader::with_capacity(
            READ_BUFFER,
            MultiGzDecoder::new(raw),
        ))
    } else {
        raw
    })
}

/// Reads the inputs in order, opening each only when its turn comes.
pub struct Inputs {
    names: Vec<String>,
    options: ReadOptions,
    next_source: usize,
    current: Option<(usize, RecordReader<Reader>)>,
    failed: bool,
}

impl Inputs {
    pub fn new(names: Vec<String>, options: ReadOptions) -> Self {
        Inputs {
            names,
            options,
            next_source: 0,
            current: None,
            failed: false,
        }
    }

    /// The next line of the JSON Lines input being read, if any.
    fn next_line(&mut self) -> Option<Raw> {
        let (source, reader) = self.current.as_mut()?;
        let source = *source;
        let name = display_name(&self.names[source]);
        let read = if self.options.parse_on_read {
            reader
                .next()
                .map(|read| read.map(|parsed| Raw::Item(item_of(parsed, source, name))))
        } else {
            reader
                .next_line()
                .map(|read| read.map(|line| Raw::Line { source, line }))
        };
        match read {
            Some(Ok(raw)) => Some(raw),
            Some(Err(e)) => {
                self.failed = true;
                let line = reader.line() + 1;
                Some(Raw::Item(Item::Fatal(anyhow!(
                    "reading {name} at line {line}: {e}"
                ))))
            }
            None => {
                self.current = None;
                None
            }
        }
    }

    /// The whole of a text input as one article.
    fn text_file(&self, source: usize, mut reader: Reader) -> Item {
        let name = display_name(&self.names[source]);
        let limit = self.options.max_line_bytes;
        let mut bytes = Vec::new();
        let read = reader
            .by_ref()
            .take(limit as u64 + 1)
            .read_to_end(&mut bytes);
        if let Err(e) = read {
            return Item::Fatal(anyhow!("reading {name}: {e}"));
        }
        let error = |message: String| Item::Error {
            source,
            error: InputError {
                id: Id::String(name.to_owned()),
                line: None,
                message,
            },
        };
        if bytes.len() > limit {
            return error(format!("file is longer than {limit} bytes"));
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let (text, replacements) = match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_owned(), 0),
            Err(e) if !self.options.lossy => {
                return error(format!("invalid UTF-8 at byte {}", e.valid_up_to()));
            }
            Err(_) => warta::jsonl::utf8_lossy(bytes),
        };
        let mut record = Record::new(Id::String(name.to_owned()), 1, text);
        record.replacements = replacements;
        Item::Record(record)
    }
}

impl Iterator for Inputs {
    type Item = Raw;

    fn next(&mut self) -> Option<Raw> {
        while !self.failed {
            if let Some(read) = self.next_line() {
                return Some(read);
            }
            let source = self.next_source;
            let name = self.names.get(source)?;
            self.next_source += 1;
            let reader = match open(name) {
                Ok(reader) => reader,
                Err(e) => {
                    self.failed = true;
                    let name = display_name(name);
                    return Some(Raw::Item(Item::Fatal(anyhow!("cannot open {name}: {e}"))));
                }
            };
            match self.options.form {
                Form::Text => {
                    let item = self.text_file(source, reader);
                    self.failed = matches!(item, Item::Fatal(_));
                    return Some(Raw::Item(item));
                }
                Form::Jsonl => {
                    let reader = RecordReader::new(reader)
                        .max_line_bytes(self.options.max_line_bytes)
                        .lossy(self.options.lossy)
                        .keep_fields(self.options.keep_fields);
                    self.current = Some((source, reader));
                }
            }
        }
        None
    }
}

/// How an input is named in messages and ids.
pub fn display_name(name: &str) -> &str {
    if name == "-" { "<stdin>" } else { name }
}
