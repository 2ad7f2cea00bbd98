//! `OffsetMap` on arbitrary text agrees with counting chars directly, both
//! ways, for every offset; articles and cleaned documents converted to
//! chars point at the same text as their byte offsets.

use proptest::prelude::*;
use warta::clean::clean;
use warta::{Classifier, OffsetMap, Offsets};

/// Text of any chars, or mostly ASCII with some wider ones (the kind news
/// is), long enough to span many blocks of the map's table.
fn text() -> impl Strategy<Value = String> {
    let char = prop_oneof![
        4 => prop::char::range(' ', '~'),
        1 => any::<char>(),
        1 => prop::sample::select(vec!['“', '”', '–', 'é', '😀', '\n', '\u{a0}']),
    ];
    prop_oneof![
        any::<String>(),
        prop::collection::vec(char, 0..400).prop_map(String::from_iter),
    ]
}

/// The char offset of every byte offset of `text`, up to two past its end:
/// the chars that start before it.
fn counted(text: &str) -> Vec<usize> {
    (0..=text.len() + 2)
        .map(|byte| text.char_indices().filter(|&(i, _)| i < byte).count())
        .collect()
}

proptest! {
    #[test]
    fn char_offsets_are_the_chars_before_the_byte(text in text()) {
        let map = OffsetMap::new(&text);
        for (byte, &chars) in counted(&text).iter().enumerate() {
            prop_assert_eq!(map.char_offset(byte), chars, "byte {}", byte);
            if text.is_char_boundary(byte) {
                prop_assert_eq!(chars, text[..byte].chars().count());
                prop_assert_eq!(map.convert(byte, Offsets::Bytes, Offsets::Chars), chars);
            }
        }
    }

    #[test]
    fn byte_offsets_are_where_the_char_starts(text in text()) {
        let map = OffsetMap::new(&text);
        let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        for chars in 0..starts.len() + 3 {
            let byte = starts.get(chars).copied().unwrap_or(text.len());
            prop_assert_eq!(map.byte_offset(chars), byte, "char {}", chars);
            prop_assert_eq!(map.convert(chars, Offsets::Chars, Offsets::Bytes), byte);
            prop_assert_eq!(map.char_offset(byte), chars.min(starts.len()));
        }
    }

    #[test]
    fn documents_and_articles_in_chars_point_at_the_same_text(text in text()) {
        let chars: Vec<char> = text.chars().collect();
        let slice = |start: usize, end: usize| chars[start..end].iter().collect::<String>();
        let doc = clean(&text);
        let converted = doc.clone().with_offsets(Offsets::Chars);
        prop_assert_eq!(converted.offsets(), Offsets::Chars);
        prop_assert_eq!(converted.clean_text(), doc.clean_text());
        for (b, c) in doc.paragraphs.iter().zip(&converted.paragraphs) {
            prop_assert_eq!(&text[b.start..b.end], slice(c.start, c.end));
            for (b, c) in b.cuts.iter().zip(&c.cuts) {
                prop_assert_eq!(&text[b.start..b.end], slice(c.start, c.end));
            }
        }
        prop_assert_eq!(converted.with_offsets(Offsets::Bytes), doc);

        let article = Classifier::default().classify(&text);
        let converted = article.clone().with_offsets(Offsets::Chars);
        let spans = converted.paragraphs.iter().flat_map(|p| &p.evidence).flat_map(|e| &e.spans);
        for span in spans {
            prop_assert_eq!(slice(span.start, span.end), span.text.as_ref());
        }
        prop_assert_eq!(converted.with_offsets(Offsets::Bytes), article);
    }
}

#[test]
fn a_document_read_back_without_its_text_is_not_converted() {
    let text = "JAKARTA – Warga “berkumpul” di balai desa.\nBACA JUGA: Judul Lain";
    let json = serde_json::to_string(&clean(text)).unwrap();
    let back: warta::clean::Document<'_> = serde_json::from_str(&json).unwrap();
    assert_eq!(back.offsets(), Offsets::Bytes);
    let converted = back.clone().with_offsets(Offsets::Chars);
    assert_eq!(converted, back);

    let article = Classifier::default().classify(text);
    let json = serde_json::to_string(&article).unwrap();
    let back: warta::Article<'_> = serde_json::from_str(&json).unwrap();
    assert_eq!(back.clone().with_offsets(Offsets::Chars), back);
}
