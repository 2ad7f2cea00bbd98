//! Byte offsets of a cleaned document or of tokens turned into code points.
//!
//! Articles convert themselves (`Article::with_offsets`); the library has
//! no such conversion for `Document` and `Token`, whose serialization the
//! binding rewrites here instead.

use serde_json::Value;

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
