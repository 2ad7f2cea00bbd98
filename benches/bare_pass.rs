//! The floor `benches/whole-process.sh` measures `warta classify` against:
//! a program that only parses each JSON line with serde_json and walks its
//! text once with `unicode_words()`, writing one count per record. Built
//! from this workspace with the same profile as the `warta` binary, so the
//! comparison is between whole processes and nothing else differs.
//!
//! ```sh
//! cargo bench --bench bare_pass --no-run      # prints the executable's path
//! bare_pass FILE.jsonl > counts               # one word count per line
//! ```
//!
//! Run by `cargo bench` (which passes `--bench`), it makes one pass over the
//! bench corpus and reports its speed, so `cargo bench` stays a complete run.

use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::time::Instant;

use serde::Deserialize;
use unicode_segmentation::UnicodeSegmentation;

#[path = "common/mod.rs"]
mod common;

/// The one field the bare pass reads.
#[derive(Deserialize)]
struct TextOnly {
    text: String,
}

/// Parses every line of `input` and writes the number of Unicode words of
/// its text to `out`, one line per record; returns the record count.
fn bare_pass(input: impl BufRead, out: &mut impl Write) -> io::Result<usize> {
    let mut records = 0;
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let article: TextOnly = serde_json::from_str(&line).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("line {}: {e}", records + 1),
            )
        })?;
        writeln!(out, "{}", article.text.unicode_words().count())?;
        records += 1;
    }
    out.flush()?;
    Ok(records)
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if paths.is_empty() {
        // `cargo bench` (or `cargo test --benches`): one timed pass in memory.
        let corpus = common::Corpus::load();
        let started = Instant::now();
        let records = bare_pass(corpus.jsonl.as_bytes(), &mut io::sink())?;
        let secs = started.elapsed().as_secs_f64();
        assert_eq!(records, corpus.texts.len(), "one count per record");
        eprintln!(
            "bare_pass: {records} records of {} ({:.2} MB of text), {:.1} MB/s of JSON Lines \
             (one pass, in memory; benches/whole-process.sh measures whole processes)",
            corpus.source,
            corpus.text_bytes() as f64 / 1e6,
            corpus.jsonl.len() as f64 / 1e6 / secs
        );
        return Ok(());
    }
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    for path in paths {
        let file = std::fs::File::open(path)
            .map_err(|e| io::Error::new(e.kind(), format!("{path}: {e}")))?;
        bare_pass(BufReader::with_capacity(1 << 16, file), &mut out)?;
    }
    Ok(())
}
