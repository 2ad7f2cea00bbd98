//! Stemming throughput over a realistic word stream: the words of
//! `../shared/corpus/real-news.jsonl` when present, else a stream built
//! from our own sentences.

use std::fs;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use warta::stem::{Stemmer, stem};

const CORPUS: &str = "../shared/corpus/real-news.jsonl";

/// Our own fallback text: election-news sentences written for this bench.
const OWN_TEXT: &str = "Bawaslu mengimbau seluruh aparatur sipil negara menjaga netralitas \
    selama masa kampanye pemilihan umum. Pelanggaran yang dilaporkan warga akan \
    ditindaklanjuti dan pelakunya dikenai sanksi. Para calon berkampanye di pasar, \
    membagikan bantuan sosial, dan kawan-kawan relawan mengkampanyekannya di media sosial.";

fn words_of(text: &str) -> impl Iterator<Item = String> + Clone + '_ {
    text.split(|c: char| !(c.is_alphabetic() || c == '-'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

fn word_stream() -> Vec<String> {
    match fs::read_to_string(CORPUS) {
        Ok(jsonl) => jsonl
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter_map(|article| article["text"].as_str().map(str::to_owned))
            .flat_map(|text| words_of(&text).collect::<Vec<_>>())
            .collect(),
        Err(_) => {
            eprintln!("{CORPUS} not found: benchmarking our own sentences");
            words_of(OWN_TEXT).cycle().take(200_000).collect()
        }
    }
}

fn bench_stem(c: &mut Criterion) {
    let words = word_stream();
    assert!(
        words.len() > 50_000,
        "word stream too short: {}",
        words.len()
    );
    eprintln!("{} words", words.len());
    let mut group = c.benchmark_group("stem");
    group.throughput(Throughput::Elements(words.len() as u64));
    group.sample_size(10);
    group.bench_function("cached", |b| {
        let mut stemmer = Stemmer::new();
        b.iter(|| {
            let mut bytes = 0;
            for word in &words {
                bytes += stemmer.stem(black_box(word)).len();
            }
            bytes
        })
    });
    group.bench_function("uncached", |b| {
        b.iter(|| {
            let mut bytes = 0;
            for word in &words {
                bytes += stem(black_box(word)).len();
            }
            bytes
        })
    });
    group.finish();
}

criterion_group!(benches, bench_stem);
criterion_main!(benches);
