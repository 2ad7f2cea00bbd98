//! `warta stem` and `warta tokens`: one word or one text at a time.

use std::io::{self, BufRead, BufWriter, Read, Write};
use std::process::ExitCode;

use crate::pipeline::write_failed;

/// Writes the stem of each word (lower-cased first), one per line; reads
/// words from standard input, one per line, when `words` is empty.
pub fn stem(words: &[String]) -> anyhow::Result<ExitCode> {
    let mut out = BufWriter::new(io::stdout().lock());
    let written = if words.is_empty() {
        let mut stdin = io::stdin().lock();
        let mut line = Vec::new();
        loop {
            line.clear();
            if stdin.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            let word = String::from_utf8_lossy(&line);
            if let Err(e) = write_stem(&mut out, word.trim()) {
                return write_failed(e);
            }
        }
        out.flush()
    } else {
        words
            .iter()
            .try_for_each(|word| write_stem(&mut out, word.trim()))
            .and_then(|()| out.flush())
    };
    written.map_or_else(write_failed, |()| Ok(ExitCode::SUCCESS))
}

fn write_stem(out: &mut impl Write, word: &str) -> io::Result<()> {
    writeln!(out, "{}", warta::stem::stem(&word.to_lowercase()))
}

/// Writes the tokens of `text` (or of all standard input) as TSV with a
/// header: start and end in bytes, kind, normalized form, stem (words only).
pub fn tokens(text: Option<String>) -> anyhow::Result<ExitCode> {
    let text = match text {
        Some(text) => text,
        None => {
            let mut bytes = Vec::new();
            io::stdin().lock().read_to_end(&mut bytes)?;
            let invalid = bytes
                .utf8_chunks()
                .filter(|chunk| !chunk.invalid().is_empty())
                .count();
            if invalid > 0 {
                eprintln!(
                    "warta: warning: replaced {invalid} invalid UTF-8 sequence(s) with U+FFFD; \
                     offsets are into the replaced text"
                );
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let written = write_tokens(&mut out, &text).and_then(|()| out.flush());
    written.map_or_else(write_failed, |()| Ok(ExitCode::SUCCESS))
}

fn write_tokens(out: &mut impl Write, text: &str) -> io::Result<()> {
    writeln!(out, "start\tend\tkind\tnormalized\tstem")?;
    for token in warta::token::tokenize(text) {
        let kind = serde_json::to_value(token.kind)?;
        let normalized = token.normalized();
        let stem = match token.kind {
            warta::token::TokenKind::Word => warta::stem::stem(&normalized),
            _ => "".into(),
        };
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            token.start,
            token.end,
            kind.as_str().unwrap_or_default(),
            normalized,
            stem
        )?;
    }
    Ok(())
}
