//! Bad input, never a panic: property tests over arbitrary Unicode and over
//! news-like mixtures of words, boilerplate markers and odd characters, and
//! a table of text edge cases with the paragraphs they must give.
//!
//! The invariants live in `tests/common/mod.rs`, shared with the fuzz
//! targets in `fuzz/`.

mod common;

use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::sample::select;
use warta::Classifier;
use warta::clean::{BoilerplateKind, clean};
use warta::token::{Token, tokenize, tokenize_range};

static CLASSIFIER: LazyLock<Classifier> = LazyLock::new(Classifier::default);

/// Pieces of scraped Indonesian news: words, boilerplate markers, datelines,
/// sign-offs and odd characters.
const PIECES: &[&str] = &[
    "ASN",
    "wajib",
    "menjaga",
    "netralitas",
    "selama",
    "Pilkada",
    "2024",
    "kampanye",
    "berkampanye",
    "dilarang",
    "tidak",
    "jangan",
    "sanksi",
    "terbukti",
    "melanggar",
    "dilaporkan ke Bawaslu",
    "politik uang",
    "amplop",
    "cuti di luar tanggungan negara",
    "media sosial",
    "pakta integritas",
    "hal ini",
    "Bupati meminta pegawai bersikap netral.",
    "BACA JUGA:",
    "Baca juga",
    "ADVERTISEMENT",
    "SCROLL TO CONTINUE WITH CONTENT",
    "Penulis:",
    "Editor:",
    "Tag",
    "(Foto: Dok. Humas)",
    "(Foto: ",
    "# Pilkada 2024#",
    "Pewarta:",
    "COPYRIGHT ©",
    "JAKARTA, KOMPAS.com —",
    "SUKAMAJU, WARTAKITA.ID -",
    "(ant)",
    "[zul]",
    "0",
    "\0",
    "\r",
    "\u{2028}",
    "\u{00A0}",
    "\u{200B}",
    "\u{FEFF}",
    "e\u{0301}",
    "\u{0301}",
    "🗳️",
    "👩🏽‍⚖️",
    "الانتخابات",
    "בחירות",
    "ＡＳＮ",
    "ｎｅｔｒａｌ",
    ",",
    ".",
    "\"",
    "-",
];

/// What stands between two pieces.
const JOINS: &[&str] = &[
    " ", "", "  ", "\n", "\n\n", "\r\n", "\r\n\r\n", "\r", " \n \n", "\t",
];

/// A text of up to 60 pieces, each followed by a join.
fn news_like() -> impl Strategy<Value = String> {
    proptest::collection::vec((select(PIECES), select(JOINS)), 0..60)
        .prop_map(|parts| parts.into_iter().flat_map(|(p, j)| [p, j]).collect())
}

/// The pieces of [`PIECES`] that are datelines.
const DATELINES: &[&str] = &["JAKARTA, KOMPAS.com —", "SUKAMAJU, WARTAKITA.ID -"];

/// A news-like text with at most one dateline and no other dash.
///
/// Cleaning is idempotent on articles as the label contract has them, with
/// one dateline. Two datelines in title-like lines, or capitalized words and
/// a dash that meet once a marker between them is cut (`ASN ADVERTISEMENT -`
/// gives `ASN -`, which reads as a dateline), make a dateline appear when
/// the clean text is cleaned again.
fn news_like_one_dateline() -> impl Strategy<Value = String> {
    let pieces: Vec<&str> = PIECES
        .iter()
        .copied()
        .filter(|p| !DATELINES.contains(p) && *p != "-")
        .collect();
    (
        proptest::collection::vec((select(pieces), select(JOINS)), 0..60),
        proptest::option::of((select(DATELINES), any::<prop::sample::Index>())),
    )
        .prop_map(|(mut parts, dateline)| {
            if let Some((dateline, at)) = dateline {
                parts.insert(at.index(parts.len() + 1), (dateline, " "));
            }
            parts.into_iter().flat_map(|(p, j)| [p, j]).collect()
        })
}

/// Any Unicode scalar values, controls and unassigned ones included.
fn any_unicode() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), 0..200).prop_map(String::from_iter)
}

/// Every invariant of `tests/common` on one text, plus the tokens of every
/// paragraph.
fn check_all(text: &str) {
    let article = CLASSIFIER.classify(text);
    common::check_article(text, &article);
    let all: Vec<Token<'_>> = tokenize(text).collect();
    common::check_tokens(text, 0, text.len(), &all);
    for p in &article.paragraphs {
        let tokens: Vec<Token<'_>> = tokenize_range(text, p.start, p.end).collect();
        common::check_tokens(text, p.start, p.end, &tokens);
    }
}

/// Cleaning the clean text gives the same clean text.
fn check_idempotent(text: &str) {
    let once = clean(text).clean_text();
    let twice = clean(&once).clean_text();
    assert_eq!(twice, once, "clean_text is not idempotent on {text:?}");
}

/// `classify_batch` gives what `classify` gives one by one, in order.
fn check_batch(texts: &[String]) {
    let batch = CLASSIFIER.classify_batch(texts);
    assert_eq!(batch.len(), texts.len());
    for (text, article) in texts.iter().zip(&batch) {
        assert_eq!(article.text(), text.as_str());
        assert_eq!(
            format!("{article:?}"),
            format!("{:?}", CLASSIFIER.classify(text))
        );
    }
}

proptest! {
    #[test]
    fn arbitrary_unicode_keeps_every_invariant(text in any_unicode()) {
        check_all(&text);
    }

    #[test]
    fn news_like_text_keeps_every_invariant(text in news_like()) {
        check_all(&text);
    }

    #[test]
    fn clean_text_is_idempotent_on_arbitrary_unicode(text in any_unicode()) {
        check_idempotent(&text);
    }

    #[test]
    fn clean_text_is_idempotent_on_news_like_text(text in news_like_one_dateline()) {
        check_idempotent(&text);
    }

    #[test]
    fn batch_matches_one_by_one(texts in proptest::collection::vec(news_like(), 0..12)) {
        check_batch(&texts);
    }
}

/// Paragraph spans in bytes, with whether each is boilerplate.
type Spans = &'static [(usize, usize, Option<BoilerplateKind>)];

#[test]
fn edge_cases_give_the_expected_paragraphs() {
    use BoilerplateKind::*;
    // (name, text, paragraphs as (start, end, boilerplate kind))
    let cases: &[(&str, &str, Spans)] = &[
        ("empty", "", &[]),
        (
            "white space only",
            " \t\n\u{A0}\r\n \u{3000}\u{2028}\u{2029}\n",
            &[],
        ),
        (
            "zero-width only",
            "\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}\n\u{FEFF}",
            &[],
        ),
        ("NUL inside a word", "ASN\0netral", &[(0, 10, None)]),
        ("NUL alone is widget debris", "\0", &[(0, 1, Some(Widget))]),
        ("lone CR splits", "Satu\rDua", &[(0, 4, None), (5, 8, None)]),
        (
            "CRLF splits once",
            "Satu\r\nDua\r\n",
            &[(0, 4, None), (6, 9, None)],
        ),
        (
            "CR CR is a blank line",
            "Satu\r\rDua",
            &[(0, 4, None), (6, 9, None)],
        ),
        (
            "LF CR is two breaks",
            "Satu\n\rDua",
            &[(0, 4, None), (6, 9, None)],
        ),
        // U+2028 is white space, not a line break, in the label contract.
        ("U+2028 inside a line", "Satu\u{2028}Dua", &[(0, 10, None)]),
        (
            "U+2028 trimmed at the ends",
            "\u{2028}Satu\u{2028}",
            &[(3, 7, None)],
        ),
        (
            "BOM and NBSP trimmed",
            "\u{FEFF}\u{A0}Satu\u{200B} \n",
            &[(5, 9, None)],
        ),
        (
            "combining marks",
            "cafe\u{0301} netral\u{0308}",
            &[(0, 15, None)],
        ),
        (
            "lone combining mark is widget debris",
            "\u{0301}",
            &[(0, 2, Some(Widget))],
        ),
        ("emoji", "🗳️ Pemilu 👩🏽‍⚖️", &[(0, 32, None)]),
        (
            "RTL Arabic and Hebrew",
            "الانتخابات\nבחירות",
            &[(0, 20, None), (21, 33, None)],
        ),
        (
            "full-width letters",
            "ＡＳＮ ｎｅｔｒａｌ",
            &[(0, 28, None)],
        ),
        (
            "read-also line",
            "Isi berita.\nBACA JUGA: Judul Lain",
            &[(0, 11, None), (12, 33, Some(ReadAlso))],
        ),
        (
            "promo line",
            "ADVERTISEMENT\r\nIsi berita.",
            &[(0, 13, Some(Promo)), (15, 26, None)],
        ),
    ];
    for (name, text, expected) in cases {
        let article = CLASSIFIER.classify(text);
        common::check_article(text, &article);
        let got: Vec<_> = article
            .paragraphs
            .iter()
            .map(|p| (p.start, p.end, p.boilerplate))
            .collect();
        assert_eq!(got, *expected, "{name}: {text:?}");
        check_idempotent(text);
    }
}

/// A paragraph of just over 10 MB, from one sentence repeated.
fn ten_megabytes() -> String {
    let sentence =
        "Bupati meminta ASN menjaga netralitas selama Pilkada dan tidak ikut berkampanye. ";
    sentence.repeat(10 * 1024 * 1024 / sentence.len() + 1)
}

#[test]
fn a_ten_megabyte_paragraph_is_one_span() {
    let text = ten_megabytes();
    let doc = clean(&text);
    common::check_document(&text, &doc);
    let spans: Vec<_> = doc.paragraphs.iter().map(|p| (p.start, p.end)).collect();
    // The trailing space is trimmed off.
    assert_eq!(spans, [(0, text.len() - 1)]);
}

#[test]
fn a_ten_megabyte_paragraph_is_classified() {
    let text = ten_megabytes();
    let article = CLASSIFIER.classify(&text);
    common::check_article(&text, &article);
    assert_eq!(article.paragraphs.len(), 1);
    assert!(!article.paragraphs[0].labels.is_empty());
}

/// Inputs the property tests once failed on (with the stage-1 cleaner
/// before its rewrite), rewritten in our own words: (text, clean text,
/// sign-off).
#[test]
fn found_failures_stay_fixed() {
    let cases: &[(&str, &str, Option<&str>)] = &[
        // A bare `Pewarta:` after the sign-off turned into a byline only
        // after the sign-off was looked for, so the sign-off stayed in the
        // clean text and cleaning it again removed it.
        ("(ant)\nPewarta: ", "", Some("(ant)")),
        ("Isi berita. (ant)\nPewarta: ", "Isi berita.", Some("(ant)")),
        // A tag line cut away whole still counted as one of the three
        // lines a dateline is looked for in, and became a footer only after.
        (
            "# Pilkada 2024# Pemilu\nJudul\nSubjudul\nSUKAMAJU, WARTAKITA.ID - Isi.",
            "Judul\n\nSubjudul\n\nIsi.",
            None,
        ),
        // The sign-off was looked for only before the last marker at the
        // end of the line, not before two.
        ("Isi. (ant) BACA JUGA:  BACA JUGA: ", "Isi.", Some("(ant)")),
        // A sign-off line before a line of only markers and a sign-off
        // stayed in the clean text. (The article's sign-off is the one in
        // the last line, which turns into a promo, so none is reported.)
        ("Isi.\n(ant)\nADVERTISEMENT (ant) BACA JUGA: ", "Isi.", None),
        // A line was judged a title with its markers, so the dateline
        // after it was found only in the clean text.
        (
            "Judul BACA JUGA: Lain.\nSUKAMAJU, WARTAKITA.ID - Isi.",
            "Judul\n\nIsi.",
            None,
        ),
        // Only one marker at the start of a line was skipped when looking
        // for the dateline after it.
        (
            "ADVERTISEMENT BACA JUGA: Lain  SUKAMAJU, WARTAKITA.ID - Isi.",
            "Isi.",
            None,
        ),
        // Markers were taken for a dateline's place (`BACA JUGA:`,
        // `ADVERTISEMENT`), with a dateline cut overlapping a marker cut.
        ("ADVERTISEMENT BACA JUGA:\t-  ASN ", "ASN", None),
        (
            "\u{301}\tADVERTISEMENT - Isi berita.",
            "\u{301} - Isi berita.",
            None,
        ),
    ];
    for (text, clean_text, sign_off) in cases {
        let doc = clean(text);
        common::check_document(text, &doc);
        assert_eq!(doc.clean_text(), *clean_text, "{text:?}");
        assert_eq!(
            doc.sign_off.as_ref().map(|s| s.text.as_str()),
            *sign_off,
            "{text:?}"
        );
        check_idempotent(text);
    }
}
