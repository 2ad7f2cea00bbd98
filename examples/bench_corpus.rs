//! Writes the benches' input as JSON Lines to standard output: the shared
//! corpus when `../shared/corpus/real-news.jsonl` is there, else our own
//! generated articles. `benches/whole-process.sh` and
//! `benches/python_baseline.py` measure this file.
//!
//! Run: `cargo run --release --example bench_corpus > articles.jsonl`.

#[path = "../benches/common/mod.rs"]
mod common;

use std::io::{self, Write};

fn main() -> io::Result<()> {
    let corpus = common::Corpus::load();
    eprintln!(
        "{}: {} articles, {:.2} MB of text",
        corpus.source,
        corpus.texts.len(),
        corpus.text_bytes() as f64 / 1e6
    );
    io::stdout().lock().write_all(corpus.jsonl.as_bytes())
}
