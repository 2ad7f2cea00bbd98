//! The records of every input, one file after the other.

use std::fs::File;
use std::io::{self, BufRead, BufReader};

use anyhow::anyhow;
use warta::jsonl::{Id, Record, RecordError, RecordReader};

/// Buffer size for reading inputs, in bytes.
const READ_BUFFER: usize = 1 << 16;

/// How to read records.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    pub max_line_bytes: usize,
    pub lossy: bool,
}

/// One input line's outcome; `source` indexes the input names.
pub enum Item {
    Record(Record),
    Error {
        source: usize,
        error: RecordError,
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
            Item::Error { error, .. } => error.id.as_ref().map_or(0, id_bytes),
            Item::Fatal(_) => 0,
        }
    }
}

fn id_bytes(id: &Id) -> usize {
    match id {
        Id::String(s) => s.len(),
        Id::Number(n) => n.get().len(),
        Id::Line(_) => 0,
    }
}

/// Reads the inputs in order (`-` is standard input), opening each file
/// only when its turn comes.
pub struct Inputs {
    names: Vec<String>,
    options: ReadOptions,
    next_source: usize,
    current: Option<(usize, RecordReader<Box<dyn BufRead + Send>>)>,
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

    fn open(&self, name: &str) -> io::Result<RecordReader<Box<dyn BufRead + Send>>> {
        let reader: Box<dyn BufRead + Send> = if name == "-" {
            Box::new(BufReader::with_capacity(READ_BUFFER, io::stdin()))
        } else {
            Box::new(BufReader::with_capacity(READ_BUFFER, File::open(name)?))
        };
        Ok(RecordReader::new(reader)
            .max_line_bytes(self.options.max_line_bytes)
            .lossy(self.options.lossy))
    }
}

impl Iterator for Inputs {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.failed {
            if let Some((source, reader)) = &mut self.current {
                let source = *source;
                match reader.next() {
                    Some(Ok(Ok(record))) => return Some(Item::Record(record)),
                    Some(Ok(Err(error))) => return Some(Item::Error { source, error }),
                    Some(Err(e)) => {
                        self.failed = true;
                        let name = display_name(&self.names[source]);
                        let line = reader.line() + 1;
                        return Some(Item::Fatal(anyhow!("reading {name} at line {line}: {e}")));
                    }
                    None => self.current = None,
                }
            }
            let source = self.next_source;
            let name = self.names.get(source)?;
            self.next_source += 1;
            match self.open(name) {
                Ok(reader) => self.current = Some((source, reader)),
                Err(e) => {
                    self.failed = true;
                    return Some(Item::Fatal(anyhow!("cannot open {name}: {e}")));
                }
            }
        }
        None
    }
}

/// Checks that the file `name` can be opened and is no directory (which
/// opens, and fails only when read).
pub fn check(name: &str) -> anyhow::Result<()> {
    let file = File::open(name).map_err(|e| anyhow!("cannot open {name}: {e}"))?;
    let metadata = file
        .metadata()
        .map_err(|e| anyhow!("cannot open {name}: {e}"))?;
    if metadata.is_dir() {
        anyhow::bail!("cannot read {name}: it is a directory");
    }
    Ok(())
}

/// How an input is named in messages.
pub fn display_name(name: &str) -> &str {
    if name == "-" { "<stdin>" } else { name }
}
