//! Stage 4: keyword lexicons, and finding their terms among a paragraph's tokens.
//!
//! A lexicon is a TOML file a newsroom editor can read and change (see
//! `data/lexicon.toml` for the annotated default). Terms are written as plain
//! Indonesian words and phrases; on load every word is tokenized and stemmed
//! with the same pipeline as the text, so one entry `kampanye` matches
//! `berkampanye`, `dikampanyekan` and `mengkampanyekannya`. A word written
//! with a leading `=` (`=pemilih`) must match that exact normalized form.
//!
//! # How a term becomes a match
//!
//! 1. **Tokens → forms** (`build`): on load, each word of a term is
//!    tokenized and stemmed; its stem gets a vocabulary id, and an exact
//!    form (`=pemilih`) an exact-form id. A term is the sequence of its
//!    words' ids.
//! 2. **Automaton**: all sequences (terms, proximity-rule cues, contexts,
//!    back references, stop phrases) are compiled into one
//!    [`aho_corasick`] automaton over token ids, built once and shared by
//!    every thread. Matching a paragraph (`matching`) tokenizes it, turns
//!    each word into its id, writes the ids as a string and runs the
//!    automaton over it once; terms are chosen leftmost-longest and stop
//!    phrases hide the terms inside them.
//! 3. **Prefilter** (`prefilter`): a context every topic requires (the
//!    article is about elections) leaves traces in the raw text (`pilih`
//!    or `milih` for `memilih`). One byte search counts them, and an
//!    article with too few is not matched at all: it can carry no topic.
//! 4. **Form cache** (`cache`): what the lexicon knows of a word form
//!    (stem id, exact id, negation or modality cue) is computed once per
//!    thread and kept, keyed by the form as written. A hyphenated word
//!    whose stem the lexicon does not know (`TNI-Polri`) is matched as its
//!    parts.
//! 5. **Cues** (`matching`): each match records whether a negation cue
//!    and whether a modality cue (`akan`, `bisa`, `jika`) stands before it
//!    in its sentence; each entry's `negated` and `hypothetical` say what
//!    that does to it (keep, drop, or count for another topic), and its own
//!    `requires_nearby` which contexts must match in or next to the
//!    paragraph (`context`).
//! 6. **What scoring gets** (`matching`, `near`): a paragraph's terms
//!    with their cues, the proximity rules that fire (the first anchor
//!    with every other group's nearest word), how often each context
//!    matched, and the first back reference. Cue and context words are
//!    summed up, not kept, and a long paragraph is matched in blocks that
//!    end at sentence breaks, so that its working memory stays a small
//!    multiple of its size.
//!
//! Files: `file` (the TOML format), `build` (validation and compilation),
//! `definitions` (the compiled entries), `matching`, `near` (proximity
//! rules), `context`, `prefilter`, `cache`, `error`.

mod build;
mod cache;
mod context;
mod definitions;
mod error;
mod file;
mod matching;
#[cfg(test)]
pub(crate) use matching::election_text;
mod near;
mod prefilter;

use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};

use aho_corasick::AhoCorasick;

pub use crate::data::Diagnostic;
pub(crate) use context::Allowed;
pub(crate) use definitions::{Definitions, after_cues};
pub use error::LoadError;
pub(crate) use matching::{Found, Matches};
pub(crate) use near::NearHit;

use build::Builder;
use matching::Use;
use prefilter::Prefilter;

use crate::topic::Topic;

/// Gives each lexicon its own uid, which tells it apart in per-thread caches.
static NEXT_UID: AtomicU64 = AtomicU64::new(1);

/// The default lexicon, embedded at compile time.
pub const DEFAULT_SOURCE: &str = include_str!("../../data/lexicon.toml");

/// How errors and warnings name the default lexicon.
use build::DEFAULT_ORIGIN;

/// The default lexicon, parsed once.
pub(crate) static DEFAULT: LazyLock<Arc<Lexicon>> = LazyLock::new(|| {
    // The embedded lexicon is checked by the test suite, so this cannot fail
    // in a released build.
    Lexicon::from_toml(DEFAULT_SOURCE, DEFAULT_ORIGIN)
        .map(Arc::new)
        .unwrap_or_else(|e| panic!("the embedded default lexicon is invalid: {e}"))
});

/// A compiled lexicon: terms, rules, contexts and thresholds.
#[derive(Debug)]
pub struct Lexicon {
    /// The validated entries of the lexicon files.
    pub(crate) defs: Definitions,
    /// Every pattern as a sequence of token ids (see `matching`).
    automaton: AhoCorasick,
    /// What each pattern of the automaton stands for, by pattern id.
    patterns: Vec<Vec<Use>>,
    /// Finds the traces of a context every topic requires.
    prefilter: Option<Prefilter>,
    /// Tells this lexicon apart in per-thread caches.
    uid: u64,
    warnings: Vec<Diagnostic>,
}

/// The largest lexicon file [`Lexicon::from_file`] reads, in bytes: 16 MiB,
/// a hundred times the default lexicon; `/dev/zero` is refused, not read
/// until memory runs out.
pub const MAX_LEXICON_BYTES: usize = 16 << 20;

impl Lexicon {
    /// The default lexicon embedded in the crate.
    pub fn default_lexicon() -> &'static Lexicon {
        &DEFAULT
    }

    /// Parses and validates a lexicon from TOML `source`; `origin` names it in errors.
    pub fn from_toml(source: &str, origin: &str) -> Result<Lexicon, Diagnostic> {
        Lexicon::builder(source, origin)?.build()
    }

    /// Every problem of the lexicon in TOML `source`, not only the first:
    /// the errors (any one stops it from loading) and the warnings, each
    /// in file order. A file that is not valid TOML has one error.
    pub fn check_toml(source: &str, origin: &str) -> Problems {
        match Lexicon::builder(source, origin) {
            Ok(builder) => {
                let (errors, warnings) = builder.problems();
                Problems { errors, warnings }
            }
            Err(error) => Problems {
                errors: vec![error],
                warnings: Vec::new(),
            },
        }
    }

    /// A builder that has read `source` (and the default lexicon first,
    /// when `source` extends it).
    fn builder<'s>(source: &'s str, origin: &'s str) -> Result<Builder<'s>, Diagnostic> {
        let file = file::parse(source, origin)?;
        let mut builder = Builder::new(source, origin);
        if let Some(extends) = &file.extends {
            if extends.get_ref() != "default" {
                return Err(builder.error(extends.span(), "`extends` must be \"default\""));
            }
            let default = file::parse(DEFAULT_SOURCE, DEFAULT_ORIGIN)?;
            builder.add(&default, DEFAULT_SOURCE, DEFAULT_ORIGIN);
        }
        builder.add(&file, source, origin);
        Ok(builder)
    }

    /// Reads, parses and validates a lexicon file of at most
    /// [`MAX_LEXICON_BYTES`]; invalid UTF-8 is reported at its line and column.
    ///
    /// ```
    /// use warta::lexicon::{Lexicon, LoadError};
    ///
    /// let path = std::env::temp_dir().join("warta-doc-lexicon.toml");
    /// std::fs::write(&path, "extends = \"default\"\n[[term]]\ntopic = \"money_politics\"\nweight = 0.6\nterms = [\"voucher belanja\"]\n")?;
    /// let lexicon = Lexicon::from_file(&path)?;
    /// assert!(lexicon.find_terms("Warga menerima voucher belanja.").iter().any(|m| m.term == "voucher belanja"));
    ///
    /// match Lexicon::from_file("no/such/lexicon.toml") {
    ///     Err(LoadError::Io { path, .. }) => assert!(path.ends_with("lexicon.toml")),
    ///     other => panic!("{other:?}"),
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_file(path: impl AsRef<Path>) -> Result<Lexicon, LoadError> {
        use std::io::Read;
        let path = path.as_ref();
        let io_error = |source| LoadError::Io {
            path: path.to_owned(),
            source,
        };
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|file| {
                file.take(MAX_LEXICON_BYTES as u64 + 1)
                    .read_to_end(&mut bytes)
            })
            .map_err(io_error)?;
        if bytes.len() > MAX_LEXICON_BYTES {
            return Err(LoadError::TooLarge {
                path: path.to_owned(),
                limit: MAX_LEXICON_BYTES,
            });
        }
        let origin = path.display().to_string();
        let source = String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let prefix = std::str::from_utf8(&e.as_bytes()[..valid]).unwrap_or_default();
            Diagnostic::at(&origin, prefix, valid, "invalid UTF-8")
        })?;
        Ok(Lexicon::from_toml(&source, &origin)?)
    }

    /// Problems that did not stop the lexicon from loading, such as two
    /// terms that stem alike (the second adds nothing).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The label threshold of `topic`, in [0, 1].
    pub fn threshold(&self, topic: Topic) -> f32 {
        self.defs.topics[topic.index()].threshold
    }

    /// Whether `text` may carry any topic. `false` only when every topic
    /// requires a context of which the text shows too few traces: then
    /// matching its words cannot change a score, and can be skipped.
    #[cfg(test)]
    pub(crate) fn may_carry_topics(&self, text: &str) -> bool {
        self.may_carry_topics_in(text, || std::iter::once(0..text.len()))
    }

    /// [`Lexicon::may_carry_topics`] for the byte ranges `segments` of
    /// `text` alone, those that are matched (no match spans two of them).
    ///
    /// Two steps: the traces of the context's words (one byte search) must
    /// allow enough matches; then the tokens that hold a trace of a term's
    /// first word are matched with the few words after them, and the
    /// matches of the context's terms that start there must reach
    /// `min_hits`. Each match of the whole paragraph's matching starts in
    /// such a token and is found there, so an article ruled out would have
    /// matched no topic.
    pub(crate) fn may_carry_topics_in<I>(&self, text: &str, segments: impl Fn() -> I) -> bool
    where
        I: Iterator<Item = Range<usize>>,
    {
        let Some(prefilter) = &self.prefilter else {
            return true;
        };
        // Matching clips a range to char boundaries; this cannot, and says
        // yes instead.
        prefilter.may_match(segments().map(|segment| text.get(segment)))
            && self.context_reaches(prefilter, text, segments())
    }

    /// Finds the lexicon's terms in `text`, longest first, as a stand-alone
    /// look at the matching stage (rules, contexts and thresholds are the
    /// classifier's business).
    ///
    /// ```
    /// let lexicon = warta::lexicon::Lexicon::default_lexicon();
    /// let text = "ASN dilarang mengunggah foto bersama calon.";
    /// let terms: Vec<&str> = lexicon.find_terms(text).iter().map(|m| m.term).collect();
    /// assert!(terms.contains(&"foto bersama calon"));
    /// ```
    pub fn find_terms(&self, text: &str) -> Vec<TermMatch<'_>> {
        self.find_in(text, std::iter::once(0..text.len()))
            .terms
            .into_iter()
            .map(|f| {
                let term = &self.defs.terms[f.term as usize];
                TermMatch {
                    start: f.start,
                    end: f.end,
                    topic: term.topic,
                    term: &term.text,
                    negated: f.negated,
                }
            })
            .collect()
    }

    /// Assembles a compiled lexicon; see [`Builder::build`].
    fn assemble(
        defs: Definitions,
        automaton: AhoCorasick,
        patterns: Vec<Vec<Use>>,
        prefilter: Option<Prefilter>,
        warnings: Vec<Diagnostic>,
    ) -> Lexicon {
        Lexicon {
            defs,
            automaton,
            patterns,
            prefilter,
            uid: NEXT_UID.fetch_add(1, Ordering::Relaxed),
            warnings,
        }
    }
}

/// Every problem [`Lexicon::check_toml`] finds in a lexicon file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems {
    /// Mistakes that stop the lexicon from loading.
    pub errors: Vec<Diagnostic>,
    /// Entries that load but add nothing, such as two terms that stem alike.
    pub warnings: Vec<Diagnostic>,
}

/// A lexicon term found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermMatch<'l> {
    /// Start of the matched words, in bytes into the text.
    pub start: usize,
    /// End (exclusive) of the matched words, in bytes into the text.
    pub end: usize,
    /// The topic the term is for.
    pub topic: Topic,
    /// The term as the lexicon writes it.
    pub term: &'l str,
    /// Whether a negation cue stands just before it.
    pub negated: bool,
}
