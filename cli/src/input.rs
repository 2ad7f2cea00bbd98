//! The records of every input, one file after the other.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::{Arc, Mutex};

use anyhow::anyhow;
use warta::jsonl::{Record, RecordError, RecordReader};

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

/// Reads the inputs in order (`-` is standard input), opening each file
/// only when its turn comes.
pub struct Inputs {
    names: Vec<String>,
    options: ReadOptions,
    next_source: usize,
    current: Option<(usize, RecordReader<Box<dyn BufRead + Send>>)>,
    failed: bool,
    /// The raw bytes of the last item's line, when kept (see [`Inputs::keep_raw_lines`]).
    raw: Option<Arc<Mutex<Vec<u8>>>>,
}

impl Inputs {
    pub fn new(names: Vec<String>, options: ReadOptions) -> Self {
        Inputs {
            names,
            options,
            next_source: 0,
            current: None,
            failed: false,
            raw: None,
        }
    }

    /// Keeps a copy of each line read (up to `max_line_bytes`), for
    /// [`Inputs::take_raw_line`]: `warta report` reads the fields records
    /// do not carry from it.
    pub fn keep_raw_lines(mut self) -> Self {
        self.raw = Some(Arc::default());
        self
    }

    /// The raw bytes of the line of the item `next` returned last (with any
    /// blank lines before it); empty unless [`Inputs::keep_raw_lines`].
    pub fn take_raw_line(&self) -> Vec<u8> {
        self.raw
            .as_ref()
            .map(|raw| std::mem::take(&mut *raw.lock().unwrap_or_else(|e| e.into_inner())))
            .unwrap_or_default()
    }

    fn open(&self, name: &str) -> io::Result<RecordReader<Box<dyn BufRead + Send>>> {
        let mut reader: Box<dyn BufRead + Send> = if name == "-" {
            Box::new(BufReader::with_capacity(READ_BUFFER, io::stdin()))
        } else {
            Box::new(BufReader::with_capacity(READ_BUFFER, File::open(name)?))
        };
        if let Some(kept) = &self.raw {
            reader = Box::new(Tap {
                inner: reader,
                kept: Arc::clone(kept),
                limit: self.options.max_line_bytes,
            });
        }
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
                if let Some(raw) = &self.raw {
                    raw.lock().unwrap_or_else(|e| e.into_inner()).clear();
                }
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

/// How an input is named in messages.
pub fn display_name(name: &str) -> &str {
    if name == "-" { "<stdin>" } else { name }
}

/// A reader that keeps a copy of what it hands out, up to `limit` bytes
/// between clears.
struct Tap {
    inner: Box<dyn BufRead + Send>,
    kept: Arc<Mutex<Vec<u8>>>,
    limit: usize,
}

impl Tap {
    fn keep(kept: &Mutex<Vec<u8>>, limit: usize, bytes: &[u8]) {
        let mut kept = kept.lock().unwrap_or_else(|e| e.into_inner());
        let room = limit.saturating_sub(kept.len());
        kept.extend_from_slice(&bytes[..bytes.len().min(room)]);
    }
}

impl Read for Tap {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        Tap::keep(&self.kept, self.limit, &buf[..n]);
        Ok(n)
    }
}

impl BufRead for Tap {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        // The buffer is already filled: this does no I/O.
        if let Ok(bytes) = self.inner.fill_buf() {
            Tap::keep(&self.kept, self.limit, &bytes[..amount.min(bytes.len())]);
        }
        self.inner.consume(amount);
    }
}
