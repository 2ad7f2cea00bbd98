//! The tokenizer as a specification: tables of (input, expected tokens),
//! normalized forms and reduplication bases, and properties that hold for
//! any input.

use proptest::prelude::*;
use warta::token::{TokenKind, tokenize, tokenize_range};

use TokenKind::{
    Abbreviation as A, Date as D, Money as M, Number as N, Punctuation as P, Symbol as S, Url as U,
    Word as W,
};

/// The (text, kind) pairs of the tokens of `input`.
fn tokens(input: &str) -> Vec<(&str, TokenKind)> {
    tokenize(input).map(|t| (t.text, t.kind)).collect()
}

#[test]
fn tokens_and_kinds() {
    let table: &[(&str, &[(&str, TokenKind)])] = &[
        // Reduplication and other hyphenated words stay one word.
        (
            "Kawan-kawan datang.",
            &[("Kawan-kawan", W), ("datang", W), (".", P)],
        ),
        ("suasana hiruk-pikuk", &[("suasana", W), ("hiruk-pikuk", W)]),
        ("sah-sah saja", &[("sah-sah", W), ("saja", W)]),
        ("harga ditawar-tawar", &[("harga", W), ("ditawar-tawar", W)]),
        ("anak bermain-main", &[("anak", W), ("bermain-main", W)]),
        ("Pj-nya hadir", &[("Pj-nya", W), ("hadir", W)]),
        (
            "pegawai non-ASN membawa e-KTP",
            &[("pegawai", W), ("non-ASN", W), ("membawa", W), ("e-KTP", W)],
        ),
        ("masa pra-kampanye", &[("masa", W), ("pra-kampanye", W)]),
        ("kawan\u{2011}kawan", &[("kawan\u{2011}kawan", W)]),
        (
            "tahun 1950-an dan HUT ke-78",
            &[
                ("tahun", W),
                ("1950-an", W),
                ("dan", W),
                ("HUT", W),
                ("ke-78", W),
            ],
        ),
        (
            "periode 2019-2024",
            &[("periode", W), ("2019", N), ("-", P), ("2024", N)],
        ),
        (
            "kata -nya saja",
            &[("kata", W), ("-", P), ("nya", W), ("saja", W)],
        ),
        // Clitics stay attached.
        (
            "rumahnya, pulanglah, apakah, siapapun, kubawa",
            &[
                ("rumahnya", W),
                (",", P),
                ("pulanglah", W),
                (",", P),
                ("apakah", W),
                (",", P),
                ("siapapun", W),
                (",", P),
                ("kubawa", W),
            ],
        ),
        // Apostrophes between letters.
        (
            "Wapres Ma’ruf pada hari Jum'at",
            &[
                ("Wapres", W),
                ("Ma’ruf", W),
                ("pada", W),
                ("hari", W),
                ("Jum'at", W),
            ],
        ),
        // Abbreviations and titles keep their dots; a sentence dot does not join a word.
        (
            "Dr. Sari, M.Pd hadir.",
            &[
                ("Dr.", A),
                ("Sari", W),
                (",", P),
                ("M.Pd", A),
                ("hadir", W),
                (".", P),
            ],
        ),
        (
            "Pj Bupati dan Sekda Kab. Lembah",
            &[
                ("Pj", A),
                ("Bupati", W),
                ("dan", W),
                ("Sekda", A),
                ("Kab.", A),
                ("Lembah", W),
            ],
        ),
        (
            "Plt. Kepala Dinas, S.IP, M.Si",
            &[
                ("Plt.", A),
                ("Kepala", W),
                ("Dinas", W),
                (",", P),
                ("S.IP", A),
                (",", P),
                ("M.Si", A),
            ],
        ),
        (
            "Rudi, S.H. datang",
            &[("Rudi", W), (",", P), ("S.H.", A), ("datang", W)],
        ),
        (
            "H. Umar di No. 7",
            &[("H.", A), ("Umar", W), ("di", W), ("No.", A), ("7", N)],
        ),
        (
            "meja, kursi, dll. atau buku dsb.",
            &[
                ("meja", W),
                (",", P),
                ("kursi", W),
                (",", P),
                ("dll.", A),
                ("atau", W),
                ("buku", W),
                ("dsb.", A),
            ],
        ),
        (
            "surat a.n. kepala",
            &[("surat", W), ("a.n.", A), ("kepala", W)],
        ),
        ("DR. Tono", &[("DR.", A), ("Tono", W)]),
        ("audit BPK", &[("audit", W), ("BPK", W)]),
        ("teks\u{200E}lain", &[("teks", W), ("lain", W)]),
        (
            "ia pulang.Esoknya",
            &[("ia", W), ("pulang", W), (".", P), ("Esoknya", W)],
        ),
        // Dates.
        (
            "pada 16/10/2023 lalu",
            &[("pada", W), ("16/10/2023", D), ("lalu", W)],
        ),
        (
            "Senin (16/10/2023).",
            &[
                ("Senin", W),
                ("(", P),
                ("16/10/2023", D),
                (")", P),
                (".", P),
            ],
        ),
        (
            "6/12/2022 dan 2024-11-27",
            &[("6/12/2022", D), ("dan", W), ("2024-11-27", D)],
        ),
        ("tanggal 17.08.2024", &[("tanggal", W), ("17.08.2024", D)]),
        // Money: the amount is one token, the multiplier its own word.
        ("dana Rp1,5 juta", &[("dana", W), ("Rp1,5", M), ("juta", W)]),
        (
            "sebesar Rp 20 miliar",
            &[("sebesar", W), ("Rp 20", M), ("miliar", W)],
        ),
        (
            "Rp20.000 dan Rp 1.500.000,- saja",
            &[
                ("Rp20.000", M),
                ("dan", W),
                ("Rp 1.500.000,-", M),
                ("saja", W),
            ],
        ),
        ("Rp. 5.000", &[("Rp. 5.000", M)]),
        ("Rp\u{a0}75", &[("Rp\u{a0}75", M)]),
        ("dalam Rp", &[("dalam", W), ("Rp", A)]),
        ("RPJMD daerah", &[("RPJMD", W), ("daerah", W)]),
        // Numbers.
        (
            "2.500 orang, 1,5 ton, 30 hari",
            &[
                ("2.500", N),
                ("orang", W),
                (",", P),
                ("1,5", N),
                ("ton", W),
                (",", P),
                ("30", N),
                ("hari", W),
            ],
        ),
        (
            "naik 50% 😀",
            &[("naik", W), ("50", N), ("%", S), ("😀", S)],
        ),
        ("tahun 2024.", &[("tahun", W), ("2024", N), (".", P)]),
        // URLs, domains and e-mail addresses.
        (
            "Radarkoran.com - Berita",
            &[("Radarkoran.com", U), ("-", P), ("Berita", W)],
        ),
        (
            "JAMBIEKSPRES.CO, Kota",
            &[("JAMBIEKSPRES.CO", U), (",", P), ("Kota", W)],
        ),
        (
            "(buka https://x.id/a?b=1).",
            &[
                ("(", P),
                ("buka", W),
                ("https://x.id/a?b=1", U),
                (")", P),
                (".", P),
            ],
        ),
        (
            "di www.kabarkita.com saja",
            &[("di", W), ("www.kabarkita.com", U), ("saja", W)],
        ),
        (
            "lapor ke nama.saya@surel.co.id.",
            &[
                ("lapor", W),
                ("ke", W),
                ("nama.saya@surel.co.id", U),
                (".", P),
            ],
        ),
        // A bare domain takes no path: `(Warta.com/Ani)` credits a photographer.
        (
            "situs kpu.go.id/berita dan https://kpu.go.id/berita",
            &[
                ("situs", W),
                ("kpu.go.id", U),
                ("/", P),
                ("berita", W),
                ("dan", W),
                ("https://kpu.go.id/berita", U),
            ],
        ),
        // Punctuation, quotes and dashes.
        (
            "“Halo,” katanya — ya…",
            &[
                ("“", P),
                ("Halo", W),
                (",", P),
                ("”", P),
                ("katanya", W),
                ("—", P),
                ("ya", W),
                ("…", P),
            ],
        ),
        ("tunggu...lalu", &[("tunggu", W), ("...", P), ("lalu", W)]),
        // Non-ASCII letters go through Unicode word boundaries.
        (
            "Café di Ｊａｋａｒｔａ",
            &[("Café", W), ("di", W), ("Ｊａｋａｒｔａ", W)],
        ),
        ("e\u{301}ra", &[("e\u{301}ra", W)]),
        ("Café-café", &[("Café", W), ("-", P), ("café", W)]),
        ("日本 ２０２４", &[("日", W), ("本", W), ("２０２４", N)]),
        ("", &[]),
        ("\u{a0}\u{2028}\r\0 ", &[]),
    ];
    for (input, expected) in table {
        assert_eq!(tokens(input), *expected, "input: {input:?}");
    }
}

#[test]
fn normalized_forms() {
    let table = [
        ("Pemilu", "pemilu"),
        ("pemilu", "pemilu"),
        ("“", "\""),
        ("»", "\""),
        ("’", "'"),
        ("–", "-"),
        ("—", "-"),
        ("Ma’ruf", "ma'ruf"),
        ("kawan\u{2011}kawan", "kawan-kawan"),
        ("ＡＢＣ１", "abc1"),
        ("Rp\u{a0}20", "rp 20"),
        ("ÉRA", "éra"),
    ];
    for (input, expected) in table {
        let all: Vec<_> = tokenize(input).collect();
        assert_eq!(all.len(), 1, "{input:?} is one token");
        assert_eq!(all[0].normalized(), expected, "{input:?}");
    }
}

#[test]
fn normalized_form_borrows_the_text_when_nothing_changes() {
    for input in ["pemilu", "2.500", "rp20.000", "éra", ",", "kawan-kawan"] {
        let token = tokenize(input).next().expect("one token");
        assert_eq!(token.normalized(), input);
        assert!(
            std::ptr::eq(token.normalized().as_ptr(), input.as_ptr()),
            "{input:?} was copied"
        );
    }
}

#[test]
fn reduplication_base() {
    let table = [
        ("kawan-kawan", Some("kawan")),
        ("Kawan-Kawan", Some("kawan")),
        ("sah-sah", Some("sah")),
        ("kawan\u{2011}kawan", Some("kawan")),
        ("hiruk-pikuk", None),
        ("ditawar-tawar", None),
        ("bermain-main", None),
        ("kawan-kawannya", None),
        ("e-KTP", None),
        ("kawan", None),
        ("2019-2019", None),
    ];
    for (input, expected) in table {
        let token = tokenize(input).next().expect("a token");
        assert_eq!(token.base().as_deref(), expected, "{input:?}");
    }
}

#[test]
fn ranges_are_clipped_to_the_text_and_to_char_boundaries() {
    let text = "kata é kata";
    // Byte 6 is inside `é` (bytes 5..7): the start moves forward to 7.
    let spans: Vec<_> = tokenize_range(text, 6, 100)
        .map(|t| (t.start, t.end))
        .collect();
    assert_eq!(spans, [(8, 12)]);
    let spans: Vec<_> = tokenize_range(text, 0, 6)
        .map(|t| (t.start, t.end))
        .collect();
    assert_eq!(spans, [(0, 4)]);
    assert_eq!(tokenize_range(text, 9, 3).count(), 0);
}

#[test]
fn long_and_degenerate_inputs_do_not_panic() {
    let inputs = [
        "kata biasa, “kutipan” — Rp1.000 16/10/2023 x.com ".repeat(200_000),
        "a.".repeat(500_000),
        "a-".repeat(500_000),
        "1.".repeat(500_000),
        "Rp".repeat(500_000),
        "\u{301}".repeat(300_000),
        "w".repeat(1_000_000),
    ];
    for input in &inputs {
        let mut last_end = 0;
        for token in tokenize(input) {
            assert!(token.start >= last_end && token.end > token.start);
            last_end = token.end;
        }
    }
}

/// Whether a character may be left out of every token.
fn skippable(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// Strings rich in the characters the tokenizer treats specially.
fn tricky_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 .,/:@'()%+_-]{0,40}",
        "(Rp|kawan|Dr|M|a|n|com|id|https|www|[0-9]{1,4}|[-./:@, ’“”…\u{a0}\u{2011}\u{301}é😀\u{200d}\r\0\u{2028}]){0,30}",
    ]
}

proptest! {
    #[test]
    fn spans_are_valid_ordered_and_cover_everything(text in tricky_text()) {
        let mut last_end = 0;
        for token in tokenize(&text) {
            prop_assert!(last_end <= token.start && token.start < token.end && token.end <= text.len());
            prop_assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
            prop_assert_eq!(token.text, &text[token.start..token.end]);
            prop_assert!(text[last_end..token.start].chars().all(skippable), "lost {:?}", &text[last_end..token.start]);
            last_end = token.end;
        }
        prop_assert!(text[last_end..].chars().all(skippable));
    }

    #[test]
    fn a_range_tokenizes_like_its_substring(text in tricky_text(), a in 0usize..64, b in 0usize..64) {
        let (mut start, mut end) = (a.min(b).min(text.len()), a.max(b).min(text.len()));
        while !text.is_char_boundary(start) { start += 1; }
        while !text.is_char_boundary(end) { end -= 1; }
        let start = start.min(end);
        let ranged: Vec<_> = tokenize_range(&text, start, end).map(|t| (t.start, t.end, t.kind, t.normalized().into_owned())).collect();
        let shifted: Vec<_> = tokenize(&text[start..end]).map(|t| (t.start + start, t.end + start, t.kind, t.normalized().into_owned())).collect();
        prop_assert_eq!(ranged, shifted);
    }

    #[test]
    fn any_range_is_accepted(text in any::<String>(), a in any::<usize>(), b in 0usize..80) {
        for token in tokenize_range(&text, a % 80, b) {
            prop_assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
        }
    }
}
