//! `warta::stem::stem` on any UTF-8 word: never a panic, never longer than
//! the word, and the caching `Stemmer` agrees with it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use warta::stem::{Stemmer, stem};

fuzz_target!(|data: &[u8]| {
    let Ok(word) = std::str::from_utf8(data) else {
        return;
    };
    let stemmed = stem(word);
    assert!(
        stemmed.len() <= word.len(),
        "stem {stemmed:?} longer than {word:?}"
    );
    let mut stemmer = Stemmer::with_capacity(1);
    assert_eq!(stemmer.stem(word), stemmed);
    // Stemming the lower-cased word is what the pipeline does.
    let lower = word.to_lowercase();
    let stemmed = stem(&lower);
    assert!(stemmed.len() <= lower.len());
});
