//! Errors loading a lexicon.

use std::path::PathBuf;

use crate::data::Diagnostic;

/// An error loading a lexicon from a file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read (the cause is its `source`).
    #[error("cannot read lexicon {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_LEXICON_BYTES`](super::MAX_LEXICON_BYTES).
    #[error("lexicon {} is larger than {limit} bytes", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit, in bytes.
        limit: usize,
    },
    /// The file was read but is not a valid lexicon.
    #[error(transparent)]
    Invalid(#[from] Diagnostic),
}
