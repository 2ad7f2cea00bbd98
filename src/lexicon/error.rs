//! Errors loading a lexicon.

use std::path::PathBuf;

use crate::data::Diagnostic;

/// An error loading a lexicon from a file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read lexicon {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The file was read but is not a valid lexicon.
    #[error(transparent)]
    Invalid(#[from] Diagnostic),
}
