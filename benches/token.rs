//! Tokenizer throughput in MB/s over news text, next to a bare
//! `unicode_words()` walk over the same text.
//!
//! Reads the article texts of `../shared/corpus/real-news.jsonl` when it is
//! there; otherwise generates paragraphs in the same style.
//! Run: `cargo bench --bench token`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use unicode_segmentation::UnicodeSegmentation;
use warta::token::tokenize;

/// The texts of the shared corpus, one article per entry, if present.
fn corpus_texts() -> Option<Vec<String>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/real-news.jsonl"
    );
    let jsonl = std::fs::read_to_string(path).ok()?;
    let texts: Vec<String> = jsonl
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|article| article.get("text")?.as_str().map(str::to_owned))
        .collect();
    (!texts.is_empty()).then_some(texts)
}

/// Generated news-like paragraphs: mostly ASCII words, with curly quotes,
/// dashes, money, dates, abbreviations and reduplications mixed in.
fn generated_texts() -> Vec<String> {
    const PIECES: &[&str] = &[
        "pemilihan",
        "umum",
        "di",
        "Kabupaten",
        "yang",
        "akan",
        "digelar",
        "pada",
        "tahun",
        "2024",
        "kata",
        "Ketua",
        "KPU",
        "dan",
        "Bawaslu",
        "menyatakan",
        "bahwa",
        "petugas",
        "harus",
        "bersikap",
        "netral,",
        "kawan-kawan",
        "“Kami",
        "siap,”",
        "ujarnya.",
        "Rp1,5",
        "juta",
        "Senin",
        "(16/10/2023).",
        "Dr.",
        "M.Pd",
        "—",
        "calon",
        "anggota",
        "legislatif",
        "sosialisasi",
        "di",
        "Radarkoran.com",
        "2.500",
        "pemilih",
        "ASN",
        "tidak",
        "boleh",
        "berpihak.",
    ];
    // A fixed linear congruential sequence: the same text on every run.
    let mut state: u64 = 0x5EED;
    (0..2_000)
        .map(|_| {
            let mut paragraph = String::new();
            for _ in 0..120 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                paragraph.push_str(PIECES[(state >> 33) as usize % PIECES.len()]);
                paragraph.push(' ');
            }
            paragraph
        })
        .collect()
}

fn bench_tokenize(c: &mut Criterion) {
    let texts = corpus_texts().unwrap_or_else(generated_texts);
    let bytes: usize = texts.iter().map(String::len).sum();
    let token_count: usize = texts.iter().map(|t| tokenize(t).count()).sum();
    let word_count: usize = texts.iter().map(|t| t.unicode_words().count()).sum();
    // A fast but broken tokenizer fails here rather than looking good.
    assert!(
        token_count > word_count && token_count < 2 * word_count,
        "{token_count} tokens for {word_count} Unicode words"
    );

    let mut group = c.benchmark_group("token");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("warta_tokenize", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| tokenize(black_box(t)).count())
                .sum::<usize>()
        })
    });
    group.bench_function("unicode_words", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| black_box(t).unicode_words().count())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_tokenize);
criterion_main!(benches);
