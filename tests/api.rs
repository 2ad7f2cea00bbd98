//! The library as a downstream crate uses it: results that outlive their
//! classifier, classifiers from a `Lexicon`, output that reads back with
//! `Deserialize`, and errors told apart by kind.

use warta::clean::Document;
use warta::jsonl::Record;
use warta::lexicon::{Lexicon, LoadError};
use warta::{Article, Classifier, Diagnostic, Fired, Offsets, Topic};

const TEXT: &str = "Bawaslu Ingatkan ASN\n\nJelang pilkada, Bawaslu meminta ASN menjaga netralitas. \
                    ASN yang melanggar akan dikenai sanksi.\n\nBACA JUGA: Judul Lain";

/// A function can return an article whose classifier is gone: it borrows
/// only the text.
fn classify_with_a_fresh_classifier(text: &str) -> Article<'_> {
    Classifier::builder()
        .lexicon_toml("extends = \"default\"\n", "inline.toml")
        .build()
        .expect("valid lexicon")
        .classify(text)
}

/// A struct can keep articles.
struct Archive<'t> {
    articles: Vec<Article<'t>>,
}

#[test]
fn an_article_outlives_its_classifier() {
    let archive = Archive {
        articles: vec![classify_with_a_fresh_classifier(TEXT)],
    };
    let article = &archive.articles[0];
    assert!(article.labels.contains(&Topic::NeutralityWarning));
    assert_eq!(article.text(), TEXT);
}

#[test]
fn a_classifier_is_built_from_a_lexicon() {
    let lexicon = Lexicon::from_toml(
        "[context.village]\nterms = [\"desa\"]\n\n\
         [topic.money_politics]\nrequires = [\"village\"]\n\n\
         [[term]]\ntopic = \"money_politics\"\nweight = 0.9\nterms = [\"amplop\"]\n",
        "village.toml",
    )
    .expect("valid lexicon");
    let from_new = Classifier::new(lexicon);
    let article = from_new.classify("Warga desa menerima amplop.");
    assert_eq!(article.labels, [Topic::MoneyPolitics]);
    let evidence = &article.paragraphs[0].evidence[0];
    assert_eq!(evidence.fired, Fired::Term("amplop".to_owned()));
    assert_eq!(evidence.spans[0].text, "amplop");

    let from_into: Classifier = Lexicon::from_toml("", "empty.toml").unwrap().into();
    assert!(
        from_into
            .classify("Warga desa menerima amplop.")
            .labels
            .is_empty()
    );
}

#[test]
fn output_reads_back_into_the_library_types() {
    let classifier = Classifier::default();
    let article = classifier.classify(TEXT);
    let json = serde_json::to_string(&article).unwrap();
    let back: Article<'_> = serde_json::from_str(&json).unwrap();
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
    assert_eq!(
        back.paragraphs[2].boilerplate,
        article.paragraphs[2].boilerplate
    );
    assert_eq!(back.offsets, Offsets::Bytes);

    let doc = warta::clean::clean(TEXT);
    let json = serde_json::to_string(&doc).unwrap();
    let back: Document<'_> = serde_json::from_str(&json).unwrap();
    assert_eq!(back.paragraphs, doc.paragraphs);

    let record: Record =
        serde_json::from_str(r#"{"id": "x-1", "line": 3, "text": "Teks.", "replacements": 0}"#)
            .unwrap();
    assert_eq!((record.id.to_string(), record.line), ("x-1".to_owned(), 3));
    let tokens: Vec<_> = warta::token::tokenize("Dr. Ani").collect();
    let json = serde_json::to_string(&tokens).unwrap();
    let back: Vec<warta::token::Token<'_>> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, tokens);
}

#[test]
fn chars_offsets_index_the_text_by_code_point() {
    let text =
        "Ｐｅｍｉｌｕ “Damai”\n\nJelang pilkada, ASN diminta menjaga netralitas — kata Bawaslu.";
    let article = Classifier::default()
        .classify(text)
        .with_offsets(Offsets::Chars);
    let chars: Vec<char> = text.chars().collect();
    let spans = article
        .paragraphs
        .iter()
        .flat_map(|p| &p.evidence)
        .flat_map(|e| &e.spans);
    let mut seen = 0;
    for span in spans {
        let words: String = chars[span.start..span.end].iter().collect();
        assert_eq!(words, span.text);
        seen += 1;
    }
    assert!(seen > 0);
    let back = article.with_offsets(Offsets::Bytes);
    for span in back
        .paragraphs
        .iter()
        .flat_map(|p| &p.evidence)
        .flat_map(|e| &e.spans)
    {
        assert_eq!(&text[span.start..span.end], span.text);
    }
}

#[test]
fn errors_are_told_apart_by_kind() {
    match Classifier::builder()
        .lexicon_file("no/such/file.toml")
        .build()
    {
        Err(LoadError::Io { path, source }) => {
            assert!(path.ends_with("file.toml"));
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected an I/O error, got {other:?}"),
    }
    let bad = "[[term]]\ntopic = \"neutrality\"\nweight = 0.5\nterms = [\"netral\"]\n";
    match Classifier::builder().lexicon_toml(bad, "bad.toml").build() {
        Err(LoadError::Invalid(Diagnostic {
            origin,
            line,
            column,
            ..
        })) => {
            assert_eq!((origin.as_str(), line, column), ("bad.toml", 2, 9));
        }
        other => panic!("expected a diagnostic, got {other:?}"),
    }
}
