//! `warta stem` and `warta tokens`: one word or one text at a time.
//!
//! Both write through [`signals::stdout`] one line at a time, so that an
//! interrupt (Ctrl-C) ends the output between two lines.

use std::io::{self, BufRead, Read, Write};
use std::process::ExitCode;

use crate::pipeline::write_failed;
use crate::signals;

/// Writes the stem of each word (lower-cased first), one per line; reads
/// words from standard input, one per line, when `words` is empty.
pub fn stem(words: &[String]) -> anyhow::Result<ExitCode> {
    let mut line = String::new();
    let written = if words.is_empty() {
        let mut stdin = io::stdin().lock();
        let mut input = Vec::new();
        loop {
            input.clear();
            if stdin.read_until(b'\n', &mut input)? == 0 {
                break;
            }
            let word = String::from_utf8_lossy(&input);
            if let Err(e) = write_stem(&mut line, word.trim()) {
                return write_failed(e);
            }
        }
        signals::stdout().flush()
    } else {
        words
            .iter()
            .try_for_each(|word| write_stem(&mut line, word.trim()))
            .and_then(|()| signals::stdout().flush())
    };
    written.map_or_else(write_failed, |()| Ok(ExitCode::SUCCESS))
}

/// Writes the stem of `word` as one line; `line` is a reused buffer.
fn write_stem(line: &mut String, word: &str) -> io::Result<()> {
    line.clear();
    line.push_str(&warta::stem::stem(&word.to_lowercase()));
    line.push('\n');
    signals::stdout().write_all(line.as_bytes())
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
    let written = write_tokens(&text).and_then(|()| signals::stdout().flush());
    written.map_or_else(write_failed, |()| Ok(ExitCode::SUCCESS))
}

fn write_tokens(text: &str) -> io::Result<()> {
    signals::stdout().write_all(b"start\tend\tkind\tnormalized\tstem\n")?;
    let mut line = Vec::new();
    for token in warta::token::tokenize(text) {
        let kind = serde_json::to_value(token.kind)?;
        let normalized = token.normalized();
        let stem = match token.kind {
            warta::token::TokenKind::Word => warta::stem::stem(&normalized),
            _ => "".into(),
        };
        line.clear();
        writeln!(
            line,
            "{}\t{}\t{}\t{}\t{}",
            token.start,
            token.end,
            kind.as_str().unwrap_or_default(),
            normalized,
            stem
        )?;
        signals::stdout().write_all(&line)?;
    }
    Ok(())
}
