//! The lexicon file format, as serde reads it: every value keeps its span
//! so that the builder can say where a mistake is.

use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;

use crate::data::Diagnostic;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct File {
    pub(super) extends: Option<Spanned<String>>,
    pub(super) settings: Option<Settings>,
    #[serde(default)]
    pub(super) context: HashMap<String, Spanned<ContextDef>>,
    #[serde(default)]
    pub(super) topic: HashMap<String, Spanned<TopicDef>>,
    #[serde(default)]
    pub(super) term: Vec<Spanned<TermDef>>,
    #[serde(default)]
    pub(super) near: Vec<Spanned<NearDef>>,
    #[serde(default)]
    pub(super) stop: Option<Spanned<StopDef>>,
    /// Default terms to remove, per topic id (in an `extends` file).
    #[serde(default)]
    pub(super) remove: Option<Spanned<RemoveDef>>,
}

/// `[remove]`: topic id = [terms].
pub(super) type RemoveDef = HashMap<String, Spanned<Vec<Spanned<String>>>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Settings {
    pub(super) negation: Option<Vec<Spanned<String>>>,
    pub(super) negation_window: Option<Spanned<usize>>,
    pub(super) not_negation: Option<Vec<Spanned<String>>>,
    pub(super) hypothetical: Option<Vec<Spanned<String>>>,
    pub(super) hypothetical_window: Option<Spanned<usize>>,
    pub(super) back_reference: Option<Vec<Spanned<String>>>,
    pub(super) carry_over: Option<Spanned<f32>>,
    pub(super) list_carry_over: Option<Spanned<f32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ContextDef {
    #[serde(default = "one")]
    pub(super) min_hits: usize,
    pub(super) terms: Vec<Spanned<String>>,
}

fn one() -> usize {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TopicDef {
    pub(super) threshold: Option<Spanned<f32>>,
    pub(super) lead_boost: Option<Spanned<f32>>,
    pub(super) requires: Option<Vec<Spanned<String>>>,
    pub(super) requires_nearby: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TermDef {
    pub(super) topic: Spanned<String>,
    pub(super) weight: Spanned<f32>,
    pub(super) negated: Option<Spanned<String>>,
    pub(super) hypothetical: Option<Spanned<String>>,
    pub(super) requires_nearby: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub(super) once: bool,
    pub(super) terms: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NearDef {
    pub(super) name: Spanned<String>,
    pub(super) topic: Spanned<String>,
    pub(super) weight: Spanned<f32>,
    pub(super) window: Spanned<usize>,
    pub(super) negated: Option<Spanned<String>>,
    pub(super) hypothetical: Option<Spanned<String>>,
    pub(super) requires_nearby: Option<Vec<Spanned<String>>>,
    pub(super) all: Vec<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StopDef {
    pub(super) terms: Vec<Spanned<String>>,
}

/// Parses a lexicon file; `origin` names it in errors.
pub(super) fn parse(source: &str, origin: &str) -> Result<File, Diagnostic> {
    toml::from_str(source).map_err(|e| Diagnostic::from_toml(origin, source, &e))
}
