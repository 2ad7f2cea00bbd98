//! `classify`'s JSON Lines, written straight into the output buffer.
//!
//! Byte for byte what `serde_json` writes for the same line (the
//! `Classified` struct of `output.rs`, the library types' `Serialize`
//! impls): the tests compare the two on every kind of article. Written by
//! hand because serializing was 6–7% of the work of a one-thread run, most
//! of it in `serde_json` escaping every field name of every paragraph,
//! evidence and span again; here the names are constant bytes and a string
//! is copied in runs between the bytes that need escaping. Scores and
//! anything a newer library version may add go through `serde_json`.

use serde::Serialize;
use serde_json::value::RawValue;
use warta::clean::{Dateline, SignOff};
use warta::jsonl::Id;
use warta::score::{Evidence, Fired, TopicScores};
use warta::{Article, Offsets, ScoredParagraph, Topic};

/// Appends the JSON object of a classified article: `id`, the passed-through
/// `fields` (name and raw JSON value), then the article's own fields.
pub fn classified<'f>(
    out: &mut Vec<u8>,
    id: &Id,
    fields: impl IntoIterator<Item = &'f (String, Box<RawValue>)>,
    article: &Article,
) -> serde_json::Result<()> {
    out.extend_from_slice(b"{\"id\":");
    match id {
        Id::String(s) => string(out, s),
        Id::Number(raw) => out.extend_from_slice(raw.get().as_bytes()),
        Id::Line(n) => number(out, *n),
    }
    for (name, value) in fields {
        out.push(b',');
        string(out, name);
        out.push(b':');
        out.extend_from_slice(value.get().as_bytes());
    }
    out.extend_from_slice(b",\"offsets\":");
    match article.offsets {
        Offsets::Bytes => out.extend_from_slice(b"\"bytes\""),
        Offsets::Chars => out.extend_from_slice(b"\"chars\""),
        other => serde_json::to_writer(&mut *out, &other)?,
    }
    out.extend_from_slice(b",\"labels\":");
    labels(out, &article.labels)?;
    out.extend_from_slice(b",\"scores\":");
    scores(out, &article.scores)?;
    out.extend_from_slice(b",\"dateline\":");
    match &article.dateline {
        None => out.extend_from_slice(b"null"),
        Some(dateline) => self::dateline(out, dateline),
    }
    out.extend_from_slice(b",\"sign_off\":");
    match &article.sign_off {
        None => out.extend_from_slice(b"null"),
        Some(sign_off) => self::sign_off(out, sign_off),
    }
    out.extend_from_slice(b",\"paragraphs\":");
    array(out, &article.paragraphs, paragraph)?;
    out.push(b'}');
    Ok(())
}

fn dateline(out: &mut Vec<u8>, dateline: &Dateline) {
    out.extend_from_slice(b"{\"place\":");
    optional_string(out, dateline.place.as_deref());
    out.extend_from_slice(b",\"outlet\":");
    optional_string(out, dateline.outlet.as_deref());
    out.push(b',');
    span(out, dateline.start, dateline.end);
    out.push(b'}');
}

fn sign_off(out: &mut Vec<u8>, sign_off: &SignOff) {
    out.extend_from_slice(b"{\"text\":");
    string(out, &sign_off.text);
    out.push(b',');
    span(out, sign_off.start, sign_off.end);
    out.push(b'}');
}

fn paragraph(out: &mut Vec<u8>, paragraph: &ScoredParagraph) -> serde_json::Result<()> {
    out.push(b'{');
    span(out, paragraph.start, paragraph.end);
    out.extend_from_slice(b",\"boilerplate\":");
    optional_string(out, paragraph.boilerplate.map(|kind| kind.id()));
    out.extend_from_slice(b",\"labels\":");
    labels(out, &paragraph.labels)?;
    out.extend_from_slice(b",\"scores\":");
    scores(out, &paragraph.scores)?;
    out.extend_from_slice(b",\"evidence\":");
    array(out, &paragraph.evidence, evidence)?;
    out.push(b'}');
    Ok(())
}

fn evidence(out: &mut Vec<u8>, evidence: &Evidence) -> serde_json::Result<()> {
    out.extend_from_slice(b"{\"topic\":");
    string(out, evidence.topic.id());
    out.extend_from_slice(b",\"fired\":");
    match &evidence.fired {
        Fired::Term(name) => named(out, "term", name),
        Fired::Near(name) => named(out, "near", name),
        Fired::CarryOver => out.extend_from_slice(b"{\"kind\":\"carry_over\"}"),
        Fired::ListItem => out.extend_from_slice(b"{\"kind\":\"list_item\"}"),
        other => serde_json::to_writer(&mut *out, other)?,
    }
    out.extend_from_slice(b",\"spans\":");
    array(out, &evidence.spans, |out, at| {
        out.push(b'{');
        span(out, at.start, at.end);
        out.extend_from_slice(b",\"text\":");
        string(out, &at.text);
        out.push(b'}');
        Ok(())
    })?;
    if evidence.negated {
        out.extend_from_slice(b",\"negated\":true");
    }
    out.push(b'}');
    Ok(())
}

/// `{"kind":…,"name":…}`, as `Fired` is tagged.
fn named(out: &mut Vec<u8>, kind: &str, name: &str) {
    out.extend_from_slice(b"{\"kind\":");
    string(out, kind);
    out.extend_from_slice(b",\"name\":");
    string(out, name);
    out.push(b'}');
}

fn labels(out: &mut Vec<u8>, labels: &[Topic]) -> serde_json::Result<()> {
    array(out, labels, |out, topic| {
        string(out, topic.id());
        Ok(())
    })
}

/// `[…]` of `items`, each written by `item`, separated by commas.
fn array<T>(
    out: &mut Vec<u8>,
    items: &[T],
    mut item: impl FnMut(&mut Vec<u8>, &T) -> serde_json::Result<()>,
) -> serde_json::Result<()> {
    out.push(b'[');
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        item(out, x)?;
    }
    out.push(b']');
    Ok(())
}

/// `"start":…,"end":…`, the fields of every span of the original text.
fn span(out: &mut Vec<u8>, start: usize, end: usize) {
    out.extend_from_slice(b"\"start\":");
    number(out, start);
    out.extend_from_slice(b",\"end\":");
    number(out, end);
}

/// Scores round as the library rounds them: `serde_json` writes a map that
/// has any; most paragraphs have none.
fn scores(out: &mut Vec<u8>, scores: &TopicScores) -> serde_json::Result<()> {
    if scores.iter().next().is_none() {
        out.extend_from_slice(b"{}");
        return Ok(());
    }
    scores.serialize(&mut serde_json::Serializer::new(&mut *out))
}

fn optional_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => out.extend_from_slice(b"null"),
        Some(s) => string(out, s),
    }
}

fn number(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// A JSON string, escaped as `serde_json` escapes: `"`, `\` and the
/// control characters below U+0020 (`\n` and the other short forms where
/// there is one, else `\u00XX`); everything else as it is.
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut run = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let short = match byte {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x09 => b't',
            0x0A => b'n',
            0x0C => b'f',
            0x0D => b'r',
            0x00..=0x1F => b'u',
            _ => continue,
        };
        out.extend_from_slice(&bytes[run..i]);
        run = i + 1;
        if short == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xF)],
            ]);
        } else {
            out.extend_from_slice(&[b'\\', short]);
        }
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}
