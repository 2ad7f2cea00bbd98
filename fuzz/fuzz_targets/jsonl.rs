//! Any bytes as JSON Lines through `warta::jsonl::RecordReader`: exactly
//! one item per non-blank line, in order, and never a panic.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use warta::jsonl::{DEFAULT_MAX_LINE_BYTES, RecordReader};

/// The 1-based numbers of the lines the reader must answer: those that are
/// not all ASCII white space (a UTF-8 BOM on the first line ignored).
fn non_blank_lines(input: &[u8]) -> Vec<usize> {
    let input = input.strip_suffix(b"\n").unwrap_or(input);
    if input.is_empty() {
        return Vec::new();
    }
    input
        .split(|&b| b == b'\n')
        .enumerate()
        .filter(|&(i, line)| {
            let line = if i == 0 {
                line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line)
            } else {
                line
            };
            !line.iter().all(u8::is_ascii_whitespace)
        })
        .map(|(i, _)| i + 1)
        .collect()
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the options: lossy or strict, and a line limit
    // small enough for long lines to be cut (at least the 3 bytes of a BOM).
    let Some((&options, input)) = data.split_first() else {
        return;
    };
    let limit = match options & 0x7F {
        0 => DEFAULT_MAX_LINE_BYTES,
        n => 2 + usize::from(n),
    };
    let reader = RecordReader::new(Cursor::new(input))
        .lossy(options & 0x80 != 0)
        .max_line_bytes(limit);
    let lines: Vec<usize> = reader
        .map(|item| match item {
            Ok(Ok(record)) => record.line,
            Ok(Err(error)) => error.line,
            Err(e) => panic!("a Cursor cannot fail: {e}"),
        })
        .collect();
    assert_eq!(lines, non_blank_lines(input));
});
