//! Properties of the stemmer over arbitrary input.

use proptest::prelude::*;
use warta::stem::{Stemmer, stem};

proptest! {
    #[test]
    fn never_panics_and_never_grows(word in "\\PC{0,60}") {
        prop_assert!(stem(&word).len() <= word.len());
    }

    #[test]
    fn affixed_looking_words_never_grow(word in "(di|ke|se|ber|ter|per|me|pe|meng|peng|memper)?[a-z]{0,12}(kan|an|i)?(nya|ku|mu)?(lah|kah|pun)?") {
        let stemmed = stem(&word);
        prop_assert!(stemmed.len() <= word.len());
        prop_assert!(stemmed.bytes().all(|b| b.is_ascii_lowercase()));
    }

    #[test]
    fn unstemmable_words_come_back_unchanged(word in "[a-z]{0,5}[^a-zA-Z\\-][a-z]{0,5}") {
        prop_assert_eq!(stem(&word), word.as_str());
    }

    #[test]
    fn capitals_stem_like_lower_case(word in "[a-zA-Z]{1,14}") {
        let lower = word.to_ascii_lowercase();
        prop_assert_eq!(stem(&word), stem(&lower));
    }

    #[test]
    fn cached_and_uncached_agree(words in proptest::collection::vec("[a-z]{1,12}(-[a-z]{1,12})?", 1..40)) {
        let mut stemmer = Stemmer::with_capacity(8);
        for word in &words {
            let expected = stem(word).into_owned();
            prop_assert_eq!(stemmer.stem(word), expected.as_str());
        }
    }
}
