//! Lexicon files: what loads, and the errors editors get when they slip.

use warta::Topic;
use warta::lexicon::Lexicon;

/// (what the case is, lexicon source, expected line, expected column, a
/// fragment of the message).
const BAD: &[(&str, &str, usize, usize, &str)] = &[
    ("not TOML", "[[term]\ntopic = 1", 1, 8, ""),
    (
        "unknown topic id",
        "[[term]]\ntopic = \"neutrality\"\nweight = 0.5\nterms = [\"netral\"]\n",
        2,
        9,
        "unknown topic id `neutrality`",
    ),
    (
        "unknown field",
        "[[term]]\ntopic = \"money_politics\"\nweight = 0.5\nterm = [\"amplop\"]\n",
        4,
        1,
        "unknown field `term`",
    ),
    (
        "weight out of range",
        "[[term]]\ntopic = \"money_politics\"\nweight = 1.5\nterms = [\"amplop\"]\n",
        3,
        10,
        "`weight` must be in (0, 1]",
    ),
    (
        "empty term",
        "[[term]]\ntopic = \"money_politics\"\nweight = 0.5\nterms = [\"amplop\", \"  \"]\n",
        4,
        20,
        "empty term",
    ),
    (
        "term that is only punctuation",
        "[[term]]\ntopic = \"money_politics\"\nweight = 0.5\nterms = [\"!!\"]\n",
        4,
        10,
        "can never match",
    ),
    (
        "no terms",
        "[[term]]\ntopic = \"money_politics\"\nweight = 0.5\nterms = []\n",
        1,
        1,
        "`terms` is empty",
    ),
    (
        "the same term twice",
        "[[term]]\ntopic = \"campaign_leave\"\nweight = 0.5\nterms = [\"cuti\", \"cuti\"]\n",
        4,
        18,
        "duplicate term `cuti`",
    ),
    (
        "a near rule with one group",
        "[[near]]\nname = \"x\"\ntopic = \"campaign_leave\"\nweight = 0.5\nwindow = 5\nall = [[\"cuti\"]]\n",
        1,
        1,
        "at least two groups",
    ),
    (
        "a near rule with an empty group",
        "[[near]]\nname = \"x\"\ntopic = \"campaign_leave\"\nweight = 0.5\nwindow = 5\nall = [[\"cuti\"], []]\n",
        6,
        18,
        "can never match",
    ),
    (
        "a near rule with a zero window",
        "[[near]]\nname = \"x\"\ntopic = \"campaign_leave\"\nweight = 0.5\nwindow = 0\nall = [[\"cuti\"], [\"kampanye\"]]\n",
        5,
        10,
        "`window` must be at least 1",
    ),
    (
        "an unknown context",
        "[topic.money_politics]\nrequires = [\"sports\"]\n",
        2,
        13,
        "unknown context `sports`",
    ),
    (
        "a threshold of zero",
        "[topic.money_politics]\nthreshold = 0.0\n",
        2,
        13,
        "`threshold` must be in (0, 1]",
    ),
    (
        "a bad negation behaviour",
        "[[term]]\ntopic = \"money_politics\"\nweight = 0.5\nnegated = \"ignore\"\nterms = [\"amplop\"]\n",
        4,
        11,
        "`negated` must be",
    ),
    (
        "a bad modality behaviour",
        "[[term]]\ntopic = \"money_politics\"\nweight = 0.5\nhypothetical = \"maybe\"\nterms = [\"amplop\"]\n",
        4,
        16,
        "`hypothetical` must be",
    ),
    (
        "an unknown context near a term",
        "[[term]]\ntopic = \"money_politics\"\nweight = 0.5\nrequires_nearby = [\"sports\"]\nterms = [\"amplop\"]\n",
        4,
        20,
        "unknown context `sports`",
    ),
    (
        "a modality cue of two words",
        "[settings]\nhypothetical = [\"kalau saja\"]\n",
        2,
        17,
        "must be one word",
    ),
    (
        "a one-word stop phrase",
        "[stop]\nterms = [\"sanksi\"]\n",
        2,
        10,
        "at least two words",
    ),
    (
        "extends something else",
        "extends = \"mine\"\n",
        1,
        11,
        "`extends` must be \"default\"",
    ),
];

#[test]
fn bad_lexicons_are_reported_with_line_and_column() {
    for &(case, source, line, column, fragment) in BAD {
        let err = Lexicon::from_toml(source, "mine.toml").expect_err(case);
        assert_eq!(err.origin, "mine.toml", "{case}");
        assert_eq!((err.line, err.column), (line, column), "{case}: {err}");
        assert!(err.message.contains(fragment), "{case}: {err}");
        assert!(
            err.to_string()
                .starts_with(&format!("mine.toml:{line}:{column}: ")),
            "{case}: {err}"
        );
    }
}

#[test]
fn the_default_lexicon_loads_without_warnings() {
    let lexicon = Lexicon::default_lexicon();
    assert!(lexicon.warnings().is_empty(), "{:?}", lexicon.warnings());
    for topic in Topic::ALL {
        assert!(lexicon.threshold(topic) > 0.0);
    }
}

#[test]
fn words_that_stem_alike_warn_instead_of_failing() {
    let source = "[[term]]\ntopic = \"violation_report\"\nweight = 0.5\nterms = [\"lapor\", \"dilaporkan\"]\n";
    let lexicon = Lexicon::from_toml(source, "mine.toml").unwrap();
    assert_eq!(lexicon.warnings().len(), 1);
    assert_eq!(lexicon.warnings()[0].line, 4);

    // The warning names the line of the first term, too.
    let source = "[[term]]\ntopic = \"violation_report\"\nweight = 0.5\nterms = [\n  \"lapor\",\n  \"dilaporkan\",\n]\n";
    let lexicon = Lexicon::from_toml(source, "mine.toml").unwrap();
    let warning = &lexicon.warnings()[0];
    assert_eq!(warning.line, 6);
    assert!(
        warning
            .message
            .contains("same stems as `lapor` at mine.toml:5"),
        "{warning}"
    );
}

#[test]
fn a_file_can_extend_the_default() {
    let source = "extends = \"default\"\n\n[[term]]\ntopic = \"money_politics\"\nweight = 0.9\nterms = [\"wuwur\"]\n";
    let lexicon = Lexicon::from_toml(source, "mine.toml").unwrap();
    assert!(lexicon.warnings().is_empty(), "{:?}", lexicon.warnings());
}

#[test]
fn a_missing_file_names_the_file() {
    let err = Lexicon::from_file("no/such/lexicon.toml").unwrap_err();
    assert!(err.to_string().contains("no/such/lexicon.toml"), "{err}");
}

#[test]
fn spelling_variants_and_affixed_forms_find_their_topic() {
    use Topic::*;
    // (text, topic one of its terms must be found for)
    let cases = [
        ("Himbauan itu ditujukan kepada pegawai.", NeutralityWarning),
        ("Imbauan itu ditujukan kepada pegawai.", NeutralityWarning),
        ("Pelanggar bisa kena sangsi.", SanctionThreat),
        ("Pelanggar dijatuhi sanksinya.", SanctionThreat),
        ("Para camat meneken fakta integritas.", NeutralityPledge),
        (
            "Acara ditutup dengan penandatanganan deklarasi.",
            NeutralityPledge,
        ),
        (
            "Mereka membubuhkan tanda tangan di atas spanduk.",
            NeutralityPledge,
        ),
        ("Warga menolak money politik.", MoneyPolitics),
        ("Warga menolak politik uang.", MoneyPolitics),
        ("Pegawai diminta bijak bermedsos.", SocialMediaConduct),
        (
            "Pegawai yang mengkampanyekannya mengajukan cuti.",
            CampaignLeave,
        ),
    ];
    let lexicon = Lexicon::default_lexicon();
    for (text, topic) in cases {
        let found = lexicon.find_terms(text);
        assert!(
            found.iter().any(|m| m.topic == topic),
            "{text:?}: {found:?}"
        );
        for m in &found {
            assert!(text.is_char_boundary(m.start) && m.start < m.end && m.end <= text.len());
        }
    }
}

#[test]
fn files_too_large_or_not_utf8_are_refused_with_where() {
    use std::error::Error;
    let dir = std::env::temp_dir().join(format!("warta-lexicon-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Invalid UTF-8 on the third line, after four chars.
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, b"extends = \"default\"\n# x\n# \xC3\xA9b\xFFc\n").unwrap();
    let error = Lexicon::from_file(&bad).unwrap_err().to_string();
    assert_eq!(error, format!("{}:3:5: invalid UTF-8", bad.display()));
    // A file without end is refused at the limit, not read on.
    let error = Lexicon::from_file("/dev/zero").unwrap_err().to_string();
    assert_eq!(
        error,
        format!(
            "lexicon /dev/zero is larger than {} bytes",
            warta::lexicon::MAX_LEXICON_BYTES
        )
    );
    // A directory: the cause is the source, not repeated in the message.
    let error = Lexicon::from_file(&dir).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("cannot read lexicon {}", dir.display())
    );
    assert!(error.source().is_some());
}
