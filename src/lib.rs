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
//! assert!(evidence.iter().any(|e| &text[e.start..e.end] == "netralitas"));
//! ```
#![deny(missing_docs)]

pub mod classify;
pub mod clean;
mod data;
pub mod eval;
mod fxhash;
pub mod jsonl;
pub mod lexicon;
pub mod score;
pub mod stem;
pub mod stream;
pub mod token;
pub mod topic;

pub use classify::{Article, Classifier};
pub use topic::Topic;

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
