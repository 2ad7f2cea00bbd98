//! The whole pipeline with the default classifier on any UTF-8 text: spans
//! valid, evidence inside its paragraph, labels only on content paragraphs.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use warta::Classifier;

#[path = "../../tests/common/mod.rs"]
#[allow(dead_code)]
mod common;

static CLASSIFIER: LazyLock<Classifier> = LazyLock::new(Classifier::default);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let article = CLASSIFIER.classify(text);
    common::check_article(text, &article);
});
