//! Invariants of stage 1 on generated text: spans valid, nothing panics,
//! cleaning the clean text changes nothing.

use proptest::prelude::*;
use warta::clean::{Document, clean, split_paragraphs};

/// Pieces that look like scraped news: markers, datelines, sign-offs,
/// headlines, odd white space and line breaks.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "Warga desa berkumpul di balai.",
        "Camat meminta pegawai tetap netral",
        "Harga Cabai Naik Tajam di Pasar Induk",
        "BACA JUGA:",
        "Baca juga: ",
        "BACA JUGA",
        "ADVERTISEMENT",
        "SCROLL TO CONTINUE WITH CONTENT",
        "Pewarta: Andi",
        "Editor: Rina",
        "COPYRIGHT © KORAN 2024",
        "KOTABARU, KORANKITA.CO - ",
        "Bandung (ANTARA) - ",
        "SAMBAS – ",
        "(ant)",
        "[zul]",
        "(*)",
        "Tags:",
        "Tag",
        "Artikel Terkait",
        "# pemilu# desa",
        "(Foto: Dok. Warga)",
        ".--RED/KK",
        "0",
        "Simak juga Video 'Panen': [Gambas:Video 20desa]",
        "“Kutipan pembuka",
        " ",
        "   ",
        "\u{a0}",
        "\u{200b}",
        "\n",
        "\r\n",
        "\r",
        "\n\n",
        "é",
        "漢字",
    ])
}

fn news_like() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..40).prop_map(|v| v.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![news_like(), any::<String>()]
}

fn check_spans(text: &str, doc: &Document<'_>) {
    let on_boundary = |i: usize| i <= text.len() && text.is_char_boundary(i);
    let split: Vec<(usize, usize)> = split_paragraphs(text).collect();
    let spans: Vec<(usize, usize)> = doc.paragraphs.iter().map(|p| (p.start, p.end)).collect();
    assert_eq!(spans, split);
    let mut last_end = 0;
    for p in &doc.paragraphs {
        assert!(on_boundary(p.start) && on_boundary(p.end) && p.start < p.end);
        assert!(
            p.start >= last_end,
            "paragraphs overlap or are out of order"
        );
        last_end = p.end;
        assert!(
            p.boilerplate.is_none() || p.cuts.is_empty(),
            "boilerplate with cuts"
        );
        let mut cut_end = p.start;
        for c in &p.cuts {
            assert!(on_boundary(c.start) && on_boundary(c.end));
            assert!(
                c.start >= cut_end && c.start <= c.end && c.end <= p.end,
                "cut outside its paragraph or out of order"
            );
            cut_end = c.end;
        }
    }
    if let Some(d) = &doc.dateline {
        assert!(on_boundary(d.start) && on_boundary(d.end) && d.start < d.end);
    }
    if let Some(s) = &doc.sign_off {
        assert!(on_boundary(s.start) && on_boundary(s.end));
        assert_eq!(&text[s.start..s.end], s.text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn spans_are_valid(text in any_text()) {
        check_spans(&text, &clean(&text));
    }

    #[test]
    fn clean_text_is_idempotent(text in any_text()) {
        let once = clean(&text).clean_text();
        let twice = clean(&once).clean_text();
        prop_assert_eq!(twice, once);
    }
}
