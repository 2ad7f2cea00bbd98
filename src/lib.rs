//! warta reads Indonesian news articles as scraped plain text, strips the
//! boilerplate scrapers leave in, tokenizes and stems the Indonesian, and
//! scores every paragraph for election-neutrality topics, with the matched
//! words as evidence.
//!
//! The pipeline runs one way, one module per stage:
//! [`clean`] (text → paragraphs) → [`token`] (paragraph → tokens) →
//! [`stem`] (token → stem) → [`lexicon`] (tokens → matches) →
//! [`score`] (matches → paragraph scores with evidence) → [`classify`]
//! (the whole pipeline, article scores).
//!
//! Around the pipeline: [`jsonl`] reads articles from JSON Lines with an
//! error per bad line, [`stream`] classifies streams in parallel in bounded
//! memory, and [`eval`] scores labels against gold annotations.
//!
//! The article types ([`Article`], [`ScoredParagraph`], [`Evidence`],
//! [`Span`], …) are re-exported here; they serialize with serde and read
//! back with `Deserialize`. Offsets are bytes into the text unless an
//! article says `offsets: chars` (see [`Article::with_offsets`]); the
//! [`offsets`] module converts them for callers that count chars.
//!
//! # Features
//!
//! `parallel` (default) runs [`Classifier::classify_batch`],
//! [`Classifier::classify_stream`] and [`stream::map_ordered`] on rayon's
//! thread pool; without it they run on the calling thread, with the same
//! results. It also brings `stream::map_pulled`, whose threads (the
//! calling thread among them) read their input themselves.
//!
//! ```
//! use warta::{Classifier, Topic};
//!
//! let text = "Pj Bupati Minta ASN Jaga Netralitas\n\n\
//!             Pj Bupati meminta seluruh ASN menjaga netralitas selama Pilkada 2024.";
//! let classifier = Classifier::default();
//! let article = classifier.classify(text);
//! assert_eq!(article.labels, [Topic::NeutralityWarning]);
//! // Each label comes with the words that earned it, as byte spans.
//! let evidence = &article.paragraphs[1].evidence;
//! let spans = evidence.iter().flat_map(|e| &e.spans);
//! assert!(spans.clone().any(|s| s.text == "netralitas"));
//! assert!(spans.clone().all(|s| text[s.start..s.end] == s.text));
//! ```
#![deny(missing_docs)]

pub mod classify;
pub mod clean;
mod data;
pub mod eval;
mod fxhash;
pub mod jsonl;
pub mod lexicon;
pub mod offsets;
pub mod score;
pub mod stem;
pub mod stream;
pub mod token;
pub mod topic;

pub use classify::{Article, Classifier, ClassifierBuilder};
pub use clean::{BoilerplateKind, Dateline, SignOff};
pub use data::Diagnostic;
pub use lexicon::{Lexicon, LoadError};
pub use offsets::{OffsetMap, Offsets};
pub use score::{Evidence, Fired, ScoredParagraph, Span, TopicScores};
pub use topic::Topic;

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
