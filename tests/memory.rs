//! Memory bounds, measured by counting the bytes allocated and live (this
//! test binary's own allocator), never by wall-clock or RSS thresholds.
//!
//! One dense paragraph (an on-topic sentence with a lexicon match every
//! few words, repeated) must cost a small multiple of its size to
//! classify and write as JSON, the same multiple at every size; a record
//! of many short paragraphs, whose output is several times its size (an
//! object per paragraph), a small multiple of its size and its output.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use warta::Classifier;

/// The system allocator, counting live bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new_size) };
        if !q.is_null() {
            // Both blocks may be live for a moment: count the new one
            // before the old one goes.
            let live = LIVE.fetch_add(new_size, Ordering::Relaxed) + new_size;
            PEAK.fetch_max(live, Ordering::Relaxed);
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The tests of this file measure one at a time.
static MEASURING: Mutex<()> = Mutex::new(());

/// The most bytes live at once while `f` runs, beyond those live before.
fn peak_of(f: impl FnOnce()) -> usize {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    f();
    PEAK.load(Ordering::Relaxed) - before
}

/// One paragraph of `bytes` or a little more: an on-topic sentence with
/// terms, proximity-rule cues and context words, repeated.
fn dense_paragraph(bytes: usize) -> String {
    let sentence = "Bawaslu meminta ASN menjaga netralitas dalam pemilu dan pilkada, \
                    yang melanggar dikenai sanksi disiplin. ";
    sentence.repeat(bytes.div_ceil(sentence.len()))
}

/// One record classified and written as JSON.
struct Cost {
    /// The most bytes live at once meanwhile.
    peak: f64,
    /// The record's text and its JSON line, in bytes.
    text: f64,
    json: f64,
}

/// The cost of the record `record(size)` at 1 MiB and at 8 MiB, measured
/// one test at a time, after a small one has warmed up the lexicon and the
/// per-thread caches.
fn costs(record: impl Fn(usize) -> String) -> [Cost; 2] {
    let _one_at_a_time = MEASURING.lock().unwrap_or_else(|e| e.into_inner());
    let classifier = Classifier::default();
    let _ = classifier.classify(&record(10_000));
    [1 << 20, 8 << 20].map(|size| {
        let text = record(size);
        let mut json = 0;
        let peak = peak_of(|| {
            let article = classifier.classify(&text);
            json = serde_json::to_string(&article).expect("serializes").len();
        });
        Cost {
            peak: peak as f64,
            text: text.len() as f64,
            json: json as f64,
        }
    })
}

#[test]
fn one_dense_paragraph_costs_a_small_multiple_of_its_size() {
    let costs = costs(dense_paragraph);
    for c in &costs {
        assert!(c.json > c.text, "every sentence has evidence");
    }
    let [small, large] = costs.map(|c| c.peak / c.text);
    eprintln!("peak bytes per byte of text: {small:.2} at 1 MiB, {large:.2} at 8 MiB");
    // The result itself (a span per term, written as JSON) is about three
    // times the text; matching must add no more than a constant.
    assert!(
        large < 6.0,
        "{large:.2} bytes per byte of an 8 MiB paragraph"
    );
    assert!(
        large < small * 1.25,
        "the cost per byte grows with the paragraph: {small:.2} at 1 MiB, {large:.2} at 8 MiB"
    );
}

#[test]
fn many_short_paragraphs_cost_a_small_multiple_of_text_and_output() {
    let costs = costs(|bytes| {
        let paragraph = "Pemilu: ASN netral.\n\n";
        paragraph.repeat(bytes.div_ceil(paragraph.len()))
    });
    for c in &costs {
        assert!(c.json > 3.0 * c.text, "an object per paragraph");
    }
    let [small, large] = costs.map(|c| c.peak / (c.text + c.json));
    eprintln!("peak bytes per byte of text and JSON: {small:.2} at 1 MiB, {large:.2} at 8 MiB");
    assert!(
        large < 4.0,
        "{large:.2} bytes per byte of text and JSON at 8 MiB"
    );
    assert!(
        large < small * 1.25,
        "the cost per byte grows with the record: {small:.2} at 1 MiB, {large:.2} at 8 MiB"
    );
}

#[test]
fn one_endless_compound_word_costs_a_small_multiple_of_its_size() {
    // One "word" of cue words joined by hyphens: matched as its parts, and
    // no sentence break anywhere to end a block at.
    let [small, large] =
        costs(|bytes| format!("Pemilu dan pilkada. {}asn", "asn-".repeat(bytes / 4)));
    // The blocks' buffers are a constant (a few MiB); beyond them, each
    // byte more of the word costs about a byte.
    let per_byte = large.peak / large.text;
    let marginal = (large.peak - small.peak) / (large.text - small.text);
    eprintln!(
        "peak bytes per byte of text at 8 MiB: {per_byte:.2}, from 1 to 8 MiB: {marginal:.2}"
    );
    assert!(
        per_byte < 4.0,
        "{per_byte:.2} bytes per byte of an 8 MiB word"
    );
    assert!(
        marginal < 2.0,
        "{marginal:.2} bytes per byte more of the word"
    );
}
