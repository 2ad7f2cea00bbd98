//! Stage 3: Indonesian stemming.

use std::borrow::Cow;

/// Stems one normalized (lower-case) word.
pub fn stem(word: &str) -> Cow<'_, str> {
    Cow::Borrowed(word)
}
