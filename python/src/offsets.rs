//! Byte offsets of the library's serialization turned into code points.
//!
//! Interim: the library's Evidence redesign (issue 11) brings matched text
//! and code-point offsets of its own; this goes when it lands.

use serde_json::Value;

/// Adds `"text"`, the matched words, to every evidence entry.
pub fn add_evidence_text(text: &str, value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "evidence"
                    && let Value::Array(entries) = child
                {
                    for entry in entries {
                        if let Value::Object(entry) = entry {
                            let span = offset(entry.get("start")).zip(offset(entry.get("end")));
                            let matched = span
                                .and_then(|(start, end)| text.get(start..end))
                                .unwrap_or_default();
                            entry.insert("text".to_owned(), matched.into());
                        }
                    }
                } else {
                    add_evidence_text(text, child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| add_evidence_text(text, v)),
        _ => {}
    }
}

/// Rewrites every `"start"` and `"end"` in `value` from bytes into `text`
/// to code points.
pub fn to_code_points(text: &str, value: &mut Value) {
    let mut bytes = Vec::new();
    collect(value, &mut bytes);
    bytes.sort_unstable();
    bytes.dedup();
    let mut chars = Vec::with_capacity(bytes.len());
    let (mut at_byte, mut at_char) = (0usize, 0usize);
    for &b in &bytes {
        let b = b.min(text.len());
        at_char += text[at_byte..]
            .char_indices()
            .take_while(|&(i, _)| at_byte + i < b)
            .count();
        at_byte = b;
        chars.push(at_char);
    }
    rewrite(value, &bytes, &chars);
}

fn offset(value: Option<&Value>) -> Option<usize> {
    value?.as_u64().and_then(|n| usize::try_from(n).ok())
}

fn collect(value: &Value, out: &mut Vec<usize>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), offset(Some(child))) {
                    ("start" | "end", Some(n)) => out.push(n),
                    _ => collect(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

fn rewrite(value: &mut Value, bytes: &[usize], chars: &[usize]) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match (key.as_str(), offset(Some(child))) {
                    ("start" | "end", Some(n)) => {
                        if let Ok(i) = bytes.binary_search(&n) {
                            *child = chars[i].into();
                        }
                    }
                    _ => rewrite(child, bytes, chars),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite(v, bytes, chars)),
        _ => {}
    }
}
