//! Throughput of every stage and of the whole JSON Lines → JSON Lines
//! pipeline, in MB/s, over `../shared/corpus/real-news.jsonl` when present,
//! else over generated articles (`benches/common`).
//!
//! Two groups:
//! - `stages`: MB/s of article text (unescaped) for `clean::clean`, tokenizing
//!   the content paragraphs, stemming their words, `Classifier::classify` on
//!   one thread, `Classifier::classify_batch` on all cores, and `serialize`,
//!   writing the classified articles as the CLI's JSON lines;
//! - `jsonl`: MB/s of JSON Lines input for the pipeline the CLI runs on one
//!   thread (read records, classify, serialize one line each) next to a bare
//!   pass that only parses each line with serde_json and walks its text once
//!   with `unicode_words()`, and `read_records` (`RecordReader` alone).
//!
//! Every bench checks its result against a count computed once beforehand,
//! so a change that is fast but wrong fails instead of looking good.
//! Run: `cargo bench --bench pipeline`.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;
use warta::jsonl::{Id, RecordReader};
use warta::stem::Stemmer;
use warta::token::{self, TokenKind};
use warta::{Article, Classifier, clean};

use common::Corpus;

/// What the CLI writes per article (cli/src/output.rs): the id, then the
/// article's own fields.
#[derive(Serialize)]
struct Classified<'a> {
    id: &'a Id,
    #[serde(flatten)]
    article: &'a Article<'a>,
}

/// The one field the bare pass reads.
#[derive(Deserialize)]
struct TextOnly {
    text: String,
}

/// A paragraph to tokenize: the article's index and the paragraph's span
/// in bytes into its text.
type Span = (usize, usize, usize);

fn content_paragraphs(texts: &[String]) -> Vec<Span> {
    texts
        .iter()
        .enumerate()
        .flat_map(|(i, text)| {
            clean::clean(text)
                .paragraphs
                .into_iter()
                .filter(|p| p.boilerplate.is_none())
                .map(move |p| (i, p.start, p.end))
        })
        .collect()
}

fn token_count(texts: &[String], spans: &[Span]) -> usize {
    spans
        .iter()
        .map(|&(i, start, end)| token::tokenize_range(&texts[i], start, end).count())
        .sum()
}

/// The normalized forms of every word token of the content paragraphs.
fn words(texts: &[String], spans: &[Span]) -> Vec<String> {
    spans
        .iter()
        .flat_map(|&(i, start, end)| {
            token::tokenize_range(&texts[i], start, end)
                .filter(|t| t.kind == TokenKind::Word)
                .map(|t| t.normalized().into_owned())
        })
        .collect()
}

/// Paragraphs and labels (article and paragraph labels) of classified articles.
fn label_counts<'a>(articles: impl Iterator<Item = Article<'a>>) -> (usize, usize) {
    articles.fold((0, 0), |(paragraphs, labels), a| {
        let paragraph_labels: usize = a.paragraphs.iter().map(|p| p.labels.len()).sum();
        (
            paragraphs + a.paragraphs.len(),
            labels + a.labels.len() + paragraph_labels,
        )
    })
}

/// Appends the CLI's JSON line for `article` to `out`.
fn write_line(id: &Id, article: &Article<'_>, out: &mut Vec<u8>) {
    // Serialized into a line of its own first, as the CLI's workers do.
    let mut line = Vec::with_capacity(1024);
    serde_json::to_writer(&mut line, &Classified { id, article })
        .expect("an article always serializes");
    line.push(b'\n');
    out.extend_from_slice(&line);
}

/// The CLI's loop on one thread; returns the records written and the labels
/// (article and paragraph labels) in them.
fn classify_jsonl(classifier: &Classifier, jsonl: &[u8], out: &mut Vec<u8>) -> (usize, usize) {
    let mut records = 0;
    let mut labels = 0;
    for item in RecordReader::new(jsonl) {
        let record = item
            .expect("reading from memory cannot fail")
            .expect("every bench line is a valid record");
        let article = classifier.classify(&record.text);
        labels += article.labels.len()
            + article
                .paragraphs
                .iter()
                .map(|p| p.labels.len())
                .sum::<usize>();
        write_line(&record.id, &article, out);
        records += 1;
    }
    (records, labels)
}

/// The bare pass: parse each line, walk its text once.
fn naive_words(jsonl: &str) -> usize {
    jsonl
        .lines()
        .map(|line| {
            let article: TextOnly = serde_json::from_str(line).expect("every bench line is valid");
            article.text.unicode_words().count()
        })
        .sum()
}

fn configure(group: &mut BenchmarkGroup<'_, WallTime>, bytes: usize) {
    group
        .throughput(Throughput::BytesDecimal(bytes as u64))
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
}

fn bench_stages(c: &mut Criterion, corpus: &Corpus, classifier: &Classifier) {
    let texts = &corpus.texts;
    let spans = content_paragraphs(texts);
    let paragraphs: usize = texts.iter().map(|t| clean::clean(t).paragraphs.len()).sum();
    let tokens = token_count(texts, &spans);
    let words = words(texts, &spans);
    let stem_bytes: usize = {
        let mut stemmer = Stemmer::new();
        words.iter().map(|w| stemmer.stem(w).len()).sum()
    };
    let (classified_paragraphs, labels) =
        label_counts(texts.iter().map(|t| classifier.classify(t)));
    eprintln!(
        "{}: {} articles, {:.2} MB of text, {paragraphs} paragraphs ({} content), \
         {tokens} tokens, {} words, {labels} labels",
        corpus.source,
        texts.len(),
        corpus.text_bytes() as f64 / 1e6,
        spans.len(),
        words.len()
    );
    assert!(spans.len() > texts.len() && tokens > words.len() && !words.is_empty());
    assert!(stem_bytes > 0 && stem_bytes <= words.iter().map(String::len).sum());
    assert_eq!(classified_paragraphs, paragraphs);
    assert!(labels > 0, "no labels at all in {}", corpus.source);

    let mut group = c.benchmark_group("stages");
    configure(&mut group, corpus.text_bytes());
    group.bench_function("clean", |b| {
        b.iter(|| {
            let n: usize = texts
                .iter()
                .map(|t| clean::clean(black_box(t)).paragraphs.len())
                .sum();
            assert_eq!(n, paragraphs);
        })
    });
    group.bench_function("tokenize", |b| {
        b.iter(|| assert_eq!(token_count(black_box(texts), &spans), tokens))
    });
    group.bench_function("stem", |b| {
        b.iter(|| {
            // A new cache per pass, as a new thread of the CLI starts with.
            let mut stemmer = Stemmer::new();
            let n: usize = words.iter().map(|w| stemmer.stem(black_box(w)).len()).sum();
            assert_eq!(n, stem_bytes);
        })
    });
    group.bench_function("classify", |b| {
        b.iter(|| {
            let counts = label_counts(texts.iter().map(|t| classifier.classify(black_box(t))));
            assert_eq!(counts, (paragraphs, labels));
        })
    });
    group.bench_function("classify_batch_all_cores", |b| {
        b.iter(|| {
            let counts = label_counts(classifier.classify_batch(black_box(texts)).into_iter());
            assert_eq!(counts, (paragraphs, labels));
        })
    });
    let ids: Vec<Id> = (1..=texts.len()).map(Id::Line).collect();
    let articles: Vec<Article<'_>> = texts.iter().map(|t| classifier.classify(t)).collect();
    let mut out = Vec::new();
    group.bench_function("serialize", |b| {
        b.iter(|| {
            out.clear();
            for (id, article) in ids.iter().zip(black_box(&articles)) {
                write_line(id, article, &mut out);
            }
            assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), texts.len());
        })
    });
    group.finish();
}

fn bench_jsonl(c: &mut Criterion, corpus: &Corpus, classifier: &Classifier) {
    let jsonl = corpus.jsonl.as_str();
    let mut out = Vec::new();
    let (records, labels) = classify_jsonl(classifier, jsonl.as_bytes(), &mut out);
    let out_bytes = out.len();
    let words = naive_words(jsonl);
    eprintln!(
        "{}: {:.2} MB of JSON Lines in, {:.2} MB out, {words} Unicode words",
        corpus.source,
        jsonl.len() as f64 / 1e6,
        out_bytes as f64 / 1e6
    );
    assert_eq!(records, corpus.texts.len());
    assert!(labels > 0 && words > records);

    let mut group = c.benchmark_group("jsonl");
    configure(&mut group, jsonl.len());
    group.bench_function("warta_classify_one_thread", |b| {
        b.iter(|| {
            out.clear();
            let counts = classify_jsonl(classifier, black_box(jsonl.as_bytes()), &mut out);
            assert_eq!((counts, out.len()), ((records, labels), out_bytes));
        })
    });
    group.bench_function("naive_serde_unicode_words", |b| {
        b.iter(|| assert_eq!(naive_words(black_box(jsonl)), words))
    });
    group.bench_function("read_records", |b| {
        b.iter(|| {
            let text_bytes: usize = RecordReader::new(black_box(jsonl.as_bytes()))
                .map(|item| item.expect("in memory").expect("valid").text.len())
                .sum();
            assert_eq!(text_bytes, corpus.text_bytes());
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let corpus = Corpus::load();
    let classifier = Classifier::default();
    bench_stages(c, &corpus, &classifier);
    bench_jsonl(c, &corpus, &classifier);
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);
