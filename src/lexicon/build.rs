//! Validation and compilation: lexicon files in, a [`Lexicon`] out.
//!
//! [`Builder::add`] reads one file section by section (settings, contexts,
//! topics, terms, near rules, stop phrases), each into the one
//! [`Definitions`] struct; [`Builder::build`] compiles the patterns into the
//! automaton and the prefilter.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use toml::Spanned;

use super::definitions::{Context, Definitions, NearRule, Negated, Term};
use super::file::{ContextDef, File, NearDef, RemoveDef, Settings, StopDef, TermDef, TopicDef};
use super::matching::{ANY_FORM, FIRST_ID, MAX_VOCAB, Target, Use, id_char};
use super::prefilter::{Prefilter, trace};
use super::{Diagnostic, Lexicon};
use crate::data::LineIndex;
use crate::stem;
use crate::token::{self, Role};
use crate::topic::Topic;

/// Where a term is written: origin and line.
type TermPlace<'s> = (&'s str, usize);

/// The origin of the embedded default lexicon's diagnostics.
pub(super) const DEFAULT_ORIGIN: &str = "data/lexicon.toml";

/// What a `[[term]]` entry does, given the terms before it.
enum TermEntry {
    /// A term no other has the stems of, for its topic.
    New,
    /// Different words that stem like an earlier term of the file: adds
    /// nothing (a warning says so).
    Alike,
    /// A default term written again in an `extends` file: the entry
    /// replaces the default's weight, `negated` and `once`.
    Replaces(u32),
}

/// Reads lexicon files into [`Definitions`] and patterns.
pub(super) struct Builder<'s> {
    /// The file being read, for error positions (counted incrementally, so
    /// that many warnings cost linear time).
    lines: LineIndex<'s>,
    origin: &'s str,
    defs: Definitions,
    /// Per context, per term, per word: substrings one of which any match
    /// of the word leaves in the text (`None` when some word leaves none
    /// worth searching for).
    context_traces: Vec<Option<Vec<Vec<Vec<String>>>>>,
    /// Patterns as sequences of vocabulary ids, and what each stands for.
    patterns: HashMap<Vec<u32>, Vec<Use>>,
    /// (topic, stems) of every term, with the term as written, where
    /// (origin and line, to report a duplicate), and its index in `defs.terms`.
    seen_terms: HashMap<(Topic, Vec<String>), (String, TermPlace<'s>, u32)>,
    /// Default terms an `extends` file removes, by index in `defs.terms`.
    removed: HashSet<u32>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// How many `once` blocks there are so far.
    blocks: u32,
    /// More distinct stems than ids: the lexicon is refused.
    vocab_overflow: bool,
}

/// Most contexts a lexicon may define (they are kept as bits of a `u64`).
const MAX_CONTEXTS: usize = 64;

/// One word of a term: its stem, its normalized form, and whether it must
/// match that form exactly.
pub(super) struct Word {
    pub stem: String,
    pub form: String,
    pub exact: bool,
}

impl Word {
    /// What the word matches, for telling duplicates apart.
    fn key(&self) -> String {
        if self.exact {
            format!("={}", self.form)
        } else {
            self.stem.clone()
        }
    }
}

impl<'s> Builder<'s> {
    pub fn new(source: &'s str, origin: &'s str) -> Self {
        Builder {
            lines: LineIndex::new(source),
            origin,
            defs: Definitions::default(),
            context_traces: Vec::new(),
            patterns: HashMap::new(),
            seen_terms: HashMap::new(),
            removed: HashSet::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            blocks: 0,
            vocab_overflow: false,
        }
    }

    /// An error at byte range `span` of the file being read.
    pub fn error(&self, span: Range<usize>, message: impl fmt::Display) -> Diagnostic {
        self.lines.diagnostic(self.origin, span.start, message)
    }

    /// Adds the definitions of `file`, whose text is `source`, to the
    /// lexicon. A mistake is kept (see [`Builder::problems`]) and reading
    /// goes on with the next entry, so that every mistake is reported.
    pub fn add(&mut self, file: &File, source: &'s str, origin: &'s str) {
        self.lines = LineIndex::new(source);
        self.origin = origin;
        if let Some(settings) = &file.settings {
            let added = self.add_settings(settings);
            self.keep(added);
        }
        let added = self.add_contexts(&file.context);
        self.keep(added);
        let added = self.add_topics(&file.topic);
        self.keep(added);
        if let Some(remove) = &file.remove {
            self.remove_terms(remove);
        }
        for def in &file.term {
            let added = self.add_term_block(def);
            self.keep(added);
        }
        for def in &file.near {
            let added = self.add_near_rule(def);
            self.keep(added);
        }
        if let Some(stop) = &file.stop {
            let added = self.add_stops(stop.get_ref());
            self.keep(added);
        }
    }

    /// Keeps the error of a step, if it failed.
    fn keep(&mut self, step: Result<(), Diagnostic>) {
        if let Err(e) = step {
            self.errors.push(e);
        }
    }

    /// The errors and warnings so far, each in file order.
    pub fn problems(&self) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        let order = |d: &Diagnostic| (d.origin.clone(), d.line, d.column);
        let mut errors = self.errors.clone();
        errors.sort_by_key(order);
        let mut warnings = self.warnings.clone();
        warnings.sort_by_key(order);
        (errors, warnings)
    }

    fn add_settings(&mut self, settings: &Settings) -> Result<(), Diagnostic> {
        for cue in settings.negation.iter().flatten() {
            let form = self.one_word(cue, "a negation cue")?;
            self.defs.negation.insert(form);
        }
        for word in settings.not_negation.iter().flatten() {
            let form = self.one_word(word, "a `not_negation` entry")?;
            self.defs.not_negation.insert(form);
        }
        if let Some(window) = &settings.negation_window {
            self.defs.negation_window = *window.get_ref();
        }
        for cue in settings.hypothetical.iter().flatten() {
            let form = self.one_word(cue, "a modality cue")?;
            self.defs.hypothetical.insert(form);
        }
        if let Some(window) = &settings.hypothetical_window {
            self.defs.hypothetical_window = *window.get_ref();
        }
        for phrase in settings.back_reference.iter().flatten() {
            let words = self.words(phrase)?;
            self.add_words(words, Target::BackReference);
        }
        if let Some(carry) = &settings.carry_over {
            let value = *carry.get_ref();
            if !(0.0..=1.0).contains(&value) {
                return Err(self.error(carry.span(), "`carry_over` must be in [0, 1]"));
            }
            self.defs.carry_over = value;
        }
        if let Some(carry) = &settings.list_carry_over {
            let value = *carry.get_ref();
            if !(0.0..=1.0).contains(&value) {
                return Err(self.error(carry.span(), "`list_carry_over` must be in [0, 1]"));
            }
            self.defs.list_carry_over = value;
        }
        Ok(())
    }

    /// Adds the contexts in name order, so their indices do not depend on
    /// how the file is hashed.
    fn add_contexts(
        &mut self,
        contexts: &HashMap<String, Spanned<ContextDef>>,
    ) -> Result<(), Diagnostic> {
        let mut names: Vec<&String> = contexts.keys().collect();
        names.sort();
        for name in names {
            let def = &contexts[name];
            let index = self.context_index(name, def)?;
            for term in &def.get_ref().terms {
                let words = self.words(term)?;
                let traces: Option<Vec<Vec<String>>> = words.iter().map(trace).collect();
                self.context_traces
                    .resize(self.defs.contexts.len(), Some(Vec::new()));
                match (traces, self.context_traces[index].as_mut()) {
                    (Some(traces), Some(terms)) => terms.push(traces),
                    (None, _) => self.context_traces[index] = None,
                    (Some(_), None) => {}
                }
                self.add_words(words, Target::Context(index as u16));
            }
        }
        Ok(())
    }

    /// The index of context `name`, added if new, with its `min_hits` set.
    fn context_index(
        &mut self,
        name: &str,
        def: &Spanned<ContextDef>,
    ) -> Result<usize, Diagnostic> {
        let min_hits = def.get_ref().min_hits;
        let index = match self.defs.contexts.iter().position(|c| c.name == name) {
            Some(i) => i,
            None if self.defs.contexts.len() == MAX_CONTEXTS => {
                return Err(self.error(
                    def.span(),
                    format!("too many contexts: at most {MAX_CONTEXTS}"),
                ));
            }
            None => {
                self.defs.contexts.push(Context {
                    name: name.to_owned(),
                    min_hits,
                });
                self.defs.contexts.len() - 1
            }
        };
        if min_hits == 0 {
            return Err(self.error(def.span(), "`min_hits` must be at least 1"));
        }
        self.defs.contexts[index].min_hits = min_hits;
        Ok(index)
    }

    fn add_topics(
        &mut self,
        topics: &HashMap<String, Spanned<TopicDef>>,
    ) -> Result<(), Diagnostic> {
        let mut names: Vec<&String> = topics.keys().collect();
        names.sort();
        for name in names {
            let def = &topics[name];
            let topic: Topic = name.parse().map_err(|e| self.error(def.span(), e))?;
            let def = def.get_ref();
            let index = topic.index();
            if let Some(threshold) = &def.threshold {
                let value = *threshold.get_ref();
                if !(value > 0.0 && value <= 1.0) {
                    return Err(self.error(threshold.span(), "`threshold` must be in (0, 1]"));
                }
                self.defs.topics[index].threshold = value;
            }
            if let Some(boost) = &def.lead_boost {
                let value = *boost.get_ref();
                if !(0.0..1.0).contains(&value) {
                    return Err(self.error(boost.span(), "`lead_boost` must be in [0, 1)"));
                }
                self.defs.topics[index].lead_boost = value;
            }
            if let Some(requires) = &def.requires {
                self.defs.topics[index].requires = self.context_indices(requires)?;
            }
            if let Some(nearby) = &def.requires_nearby {
                self.defs.topics[index].requires_nearby = self.context_indices(nearby)?;
            }
        }
        Ok(())
    }

    /// Adds one `[[term]]` block.
    fn add_term_block(&mut self, def: &Spanned<TermDef>) -> Result<(), Diagnostic> {
        let d = def.get_ref();
        let once_in_block = d.once.then(|| {
            self.blocks += 1;
            self.blocks
        });
        let topic = self.topic(&d.topic)?;
        let weight = self.weight(&d.weight)?;
        let negated = self.cue_behaviour("negated", d.negated.as_ref())?;
        let hypothetical = self.cue_behaviour("hypothetical", d.hypothetical.as_ref())?;
        let requires_nearby = self.context_mask(d.requires_nearby.as_deref())?;
        if d.terms.is_empty() {
            return Err(self.error(def.span(), "`terms` is empty"));
        }
        for text in &d.terms {
            let words = match self.words(text) {
                Ok(words) => words,
                Err(e) => {
                    self.errors.push(e);
                    continue;
                }
            };
            let index = match self.term_entry(topic, &words, text) {
                Ok(TermEntry::New) => self.defs.terms.len() as u32,
                Ok(TermEntry::Alike) => continue,
                Ok(TermEntry::Replaces(index)) => {
                    let term = &mut self.defs.terms[index as usize];
                    (term.weight, term.negated) = (weight, negated);
                    term.once_in_block = once_in_block;
                    continue;
                }
                Err(e) => {
                    self.errors.push(e);
                    continue;
                }
            };
            self.defs.terms.push(Term {
                topic,
                text: text.get_ref().clone(),
                weight,
                negated,
                hypothetical,
                requires_nearby,
                once_in_block,
            });
            self.add_words(words, Target::Term(index));
        }
        Ok(())
    }

    /// What a term entry does. The duplicate-term rules: the very same term
    /// written twice for a topic in one file is an error; different words
    /// that stem alike for a topic are a warning, and the second adds
    /// nothing; a default term written again in an `extends` file replaces
    /// the default's entry.
    fn term_entry(
        &mut self,
        topic: Topic,
        words: &[Word],
        text: &Spanned<String>,
    ) -> Result<TermEntry, Diagnostic> {
        let key = (topic, words.iter().map(Word::key).collect());
        let place = (self.origin, self.lines.line(text.span().start));
        if let Some((first, (origin, line), index)) = self.seen_terms.get(&key) {
            let index = *index;
            if *origin == DEFAULT_ORIGIN && self.origin != DEFAULT_ORIGIN {
                self.seen_terms
                    .insert(key, (text.get_ref().clone(), place, index));
                return Ok(TermEntry::Replaces(index));
            }
            let message = format!(
                "duplicate term `{}` for {topic}: same stems as `{first}` at {origin}:{line}",
                text.get_ref()
            );
            if first == text.get_ref() {
                return Err(self.error(text.span(), message));
            }
            // Different words that stem alike: harmless, but the editor
            // should know the second one adds nothing.
            let warning = self.error(text.span(), message);
            self.warnings.push(warning);
            return Ok(TermEntry::Alike);
        }
        let index = self.defs.terms.len() as u32;
        self.seen_terms
            .insert(key, (text.get_ref().clone(), place, index));
        Ok(TermEntry::New)
    }

    /// Removes the default terms `[remove]` lists, per topic.
    fn remove_terms(&mut self, remove: &Spanned<RemoveDef>) {
        let mut topics: Vec<&String> = remove.get_ref().keys().collect();
        topics.sort();
        for name in topics {
            let terms = &remove.get_ref()[name];
            let topic: Topic = match name.parse() {
                Ok(topic) => topic,
                Err(e) => {
                    let error = self.error(terms.span(), e);
                    self.errors.push(error);
                    continue;
                }
            };
            for text in terms.get_ref() {
                let words = match self.words(text) {
                    Ok(words) => words,
                    Err(e) => {
                        self.errors.push(e);
                        continue;
                    }
                };
                let key = (topic, words.iter().map(Word::key).collect::<Vec<_>>());
                match self.seen_terms.get(&key) {
                    Some((_, (origin, ..), index)) if *origin == DEFAULT_ORIGIN => {
                        self.removed.insert(*index);
                        self.seen_terms.remove(&key);
                    }
                    _ => {
                        let error = self.error(
                            text.span(),
                            format!(
                                "cannot remove `{}`: the default lexicon has no such term for {topic}",
                                text.get_ref()
                            ),
                        );
                        self.errors.push(error);
                    }
                }
            }
        }
    }

    /// Adds one `[[near]]` rule.
    fn add_near_rule(&mut self, def: &Spanned<NearDef>) -> Result<(), Diagnostic> {
        let d = def.get_ref();
        let topic = self.topic(&d.topic)?;
        let weight = self.weight(&d.weight)?;
        let negated = self.cue_behaviour("negated", d.negated.as_ref())?;
        let hypothetical = self.cue_behaviour("hypothetical", d.hypothetical.as_ref())?;
        let requires_nearby = self.context_mask(d.requires_nearby.as_deref())?;
        if d.all.len() < 2 {
            return Err(self.error(
                def.span(),
                "a `near` rule needs at least two groups in `all`; use a term instead",
            ));
        }
        if d.all.len() > u8::MAX as usize {
            return Err(self.error(def.span(), "too many groups in `all`"));
        }
        let window = *d.window.get_ref();
        if window == 0 {
            return Err(self.error(d.window.span(), "`window` must be at least 1 token"));
        }
        if self.defs.rules.iter().any(|r| r.name == *d.name.get_ref()) {
            return Err(self.error(
                d.name.span(),
                format!("duplicate rule name `{}`", d.name.get_ref()),
            ));
        }
        let rule = self.defs.rules.len() as u32;
        for (group, terms) in d.all.iter().enumerate() {
            if terms.get_ref().is_empty() {
                return Err(self.error(terms.span(), "empty group: the rule can never match"));
            }
            for text in terms.get_ref() {
                let words = self.words(text)?;
                let group = group as u8;
                self.add_words(words, Target::Cue { rule, group });
            }
        }
        self.defs.rules.push(NearRule {
            name: d.name.get_ref().clone(),
            topic,
            weight,
            window,
            groups: d.all.len(),
            negated,
            hypothetical,
            requires_nearby,
        });
        Ok(())
    }

    fn add_stops(&mut self, stop: &StopDef) -> Result<(), Diagnostic> {
        for text in &stop.terms {
            let words = self.words(text)?;
            if words.len() < 2 {
                return Err(self.error(
                    text.span(),
                    "a stop phrase needs at least two words (it hides the terms inside it)",
                ));
            }
            self.add_words(words, Target::Stop);
        }
        Ok(())
    }

    /// The indices of the named contexts, or an error naming an unknown one.
    fn context_indices(&self, names: &[Spanned<String>]) -> Result<Vec<usize>, Diagnostic> {
        names
            .iter()
            .map(|name| {
                self.defs
                    .contexts
                    .iter()
                    .position(|c| &c.name == name.get_ref())
                    .ok_or_else(|| {
                        self.error(name.span(), format!("unknown context `{}`", name.get_ref()))
                    })
            })
            .collect()
    }

    /// The named contexts as bits (bit `c` for context `c`); 0 for none.
    fn context_mask(&self, names: Option<&[Spanned<String>]>) -> Result<u64, Diagnostic> {
        let indices = self.context_indices(names.unwrap_or_default())?;
        Ok(indices.iter().fold(0, |mask, &c| mask | 1 << c))
    }

    /// The normalized form of an entry that must be a single word.
    fn one_word(&self, entry: &Spanned<String>, what: &str) -> Result<Box<str>, Diagnostic> {
        match self.words(entry)?.as_slice() {
            [word] => Ok(word.form.as_str().into()),
            _ => Err(self.error(entry.span(), format!("{what} must be one word"))),
        }
    }

    fn topic(&self, name: &Spanned<String>) -> Result<Topic, Diagnostic> {
        name.get_ref()
            .parse()
            .map_err(|e| self.error(name.span(), e))
    }

    fn weight(&self, weight: &Spanned<f32>) -> Result<f32, Diagnostic> {
        let value = *weight.get_ref();
        if value > 0.0 && value <= 1.0 {
            Ok(value)
        } else {
            Err(self.error(weight.span(), "`weight` must be in (0, 1]"))
        }
    }

    /// What an entry's `field` (`negated` or `hypothetical`) says a cue
    /// before it does.
    fn cue_behaviour(
        &self,
        field: &str,
        value: Option<&Spanned<String>>,
    ) -> Result<Negated, Diagnostic> {
        let Some(value) = value else {
            return Ok(Negated::Keep);
        };
        match value.get_ref().as_str() {
            "keep" => Ok(Negated::Keep),
            "drop" => Ok(Negated::Drop),
            other => other.parse().map(Negated::Topic).map_err(|_| {
                self.error(
                    value.span(),
                    format!("`{field}` must be \"keep\", \"drop\" or a topic id, not `{other}`"),
                )
            }),
        }
    }

    /// Tokenizes and stems a term into its words.
    fn words(&self, text: &Spanned<String>) -> Result<Vec<Word>, Diagnostic> {
        let raw = text.get_ref();
        let mut words = Vec::new();
        for piece in raw.split_whitespace() {
            let (exact, piece) = match piece.strip_prefix('=') {
                Some(rest) => (true, rest),
                None => (false, piece),
            };
            for token in token::tokenize(piece) {
                if Role::of(&token) != Role::Word {
                    return Err(self.error(
                        text.span(),
                        format!(
                            "term `{raw}` has `{}`, which is not a word: it can never match",
                            token.text
                        ),
                    ));
                }
                let form = token.normalized().into_owned();
                let stem = stem::stem(&form).into_owned();
                words.push(Word { stem, form, exact });
            }
        }
        if words.is_empty() {
            return Err(self.error(text.span(), "empty term: it can never match"));
        }
        Ok(words)
    }

    /// Adds a pattern: the words' ids, standing for `target`.
    fn add_words(&mut self, words: Vec<Word>, target: Target) {
        let defs = &mut self.defs;
        let mut ids = Vec::with_capacity(words.len());
        let mut exact = Vec::with_capacity(words.len());
        for word in words {
            if defs.vocab.len() >= MAX_VOCAB && !defs.vocab.contains_key(word.stem.as_str()) {
                // Refused in `build`: past the last char, ids would collide.
                self.vocab_overflow = true;
                return;
            }
            let next = FIRST_ID + defs.vocab.len() as u32;
            let id = *defs.vocab.entry(word.stem.into()).or_insert(next);
            ids.push(id);
            exact.push(if word.exact {
                let next = ANY_FORM + 1 + defs.exact_forms.len() as u32;
                *defs.exact_forms.entry(word.form.into()).or_insert(next)
            } else {
                ANY_FORM
            });
        }
        self.patterns
            .entry(ids)
            .or_default()
            .push(Use { target, exact });
    }

    /// Compiles the patterns into the automaton, and the prefilter; the
    /// first error kept by [`Builder::add`], if any.
    pub fn build(self) -> Result<Lexicon, Diagnostic> {
        if self.vocab_overflow {
            return Err(self.error(
                0..0,
                format!("too many distinct stems: a lexicon holds at most {MAX_VOCAB}"),
            ));
        }
        if let Some(error) = self.problems().0.into_iter().next() {
            return Err(error);
        }
        let mut prefilter = Prefilter::new(&self.defs, &self.context_traces);
        let mut sequences = Vec::with_capacity(self.patterns.len());
        let mut uses = Vec::with_capacity(self.patterns.len());
        for (ids, mut u) in self.patterns {
            u.retain(|u| !matches!(u.target, Target::Term(i) if self.removed.contains(&i)));
            if u.is_empty() {
                continue;
            }
            let text: String = ids.iter().map(|&id| id_char(id)).collect();
            sequences.push(text);
            uses.push(u);
        }
        if let Some(prefilter) = &mut prefilter {
            let context = Target::Context(prefilter.context);
            prefilter.max_words = uses
                .iter()
                .flatten()
                .filter(|u| u.target == context)
                .map(|u| u.exact.len())
                .max()
                .unwrap_or(0);
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&sequences)
            .map_err(|e| {
                Diagnostic::at(
                    self.origin,
                    "",
                    0,
                    format!("cannot compile the lexicon: {e}"),
                )
            })?;
        Ok(Lexicon::assemble(
            self.defs,
            automaton,
            uses,
            prefilter,
            self.warnings,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::super::Lexicon;
    use crate::data::SCANNED;

    /// A lexicon of `n` case variants of one word, one term block each
    /// line: every variant after the first warns.
    fn variants(n: usize) -> String {
        let word = "pemberhentian";
        let mut source =
            String::from("[[term]]\ntopic = \"sanction_threat\"\nweight = 0.5\nterms = [\n");
        for i in 0..n {
            let variant: String = word
                .chars()
                .enumerate()
                .map(|(k, c)| {
                    if i >> k & 1 == 1 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            source.push_str(&format!("  \"{variant}\",\n"));
        }
        source.push_str("]\n");
        source
    }

    #[test]
    fn every_vocabulary_id_has_a_char_of_its_own() {
        use super::super::matching::{FIRST_ID, MAX_VOCAB, id_char};
        let last = FIRST_ID + MAX_VOCAB as u32 - 1;
        assert_eq!(id_char(last), char::MAX);
        assert_ne!(id_char(last - 1), id_char(last));
        // The surrogate gap is skipped without a collision.
        let chars: std::collections::HashSet<char> =
            (FIRST_ID..FIRST_ID + 0xE000).map(id_char).collect();
        assert_eq!(chars.len(), 0xE000);
        assert!(!chars.contains(&char::REPLACEMENT_CHARACTER));
    }

    #[test]
    fn more_stems_than_ids_are_refused() {
        use super::super::matching::MAX_VOCAB;
        // Distinct made-up roots, one more than the ids.
        let mut source =
            String::from("[[term]]\ntopic = \"sanction_threat\"\nweight = 0.5\nterms = [\n");
        let letters = b"bcdfghjklmnpqrstvwxz";
        for mut i in 0..=MAX_VOCAB {
            source.push_str("\"zq");
            for _ in 0..5 {
                source.push(letters[i % 20] as char);
                i /= 20;
            }
            source.push_str("\",\n");
        }
        source.push_str("]\n");
        let error = Lexicon::from_toml(&source, "huge.toml").unwrap_err();
        assert!(error.message.contains("too many distinct stems"), "{error}");
    }

    #[test]
    fn many_warnings_take_linear_work() {
        // Each warning used to count its line and column from the start
        // of the file: 100k variants took 55 s.
        let work = |n: usize| {
            let source = variants(n);
            SCANNED.with(|s| s.set(0));
            let lexicon = Lexicon::from_toml(&source, "variants.toml").unwrap();
            assert_eq!(lexicon.warnings().len(), n - 1);
            assert_eq!(lexicon.warnings()[n - 2].line, n + 4);
            SCANNED.with(|s| s.get()).max(1)
        };
        let (small, large) = (work(1_000), work(4_000));
        assert!(
            large < small * 6,
            "{small} bytes scanned for 1,000 warnings, {large} for 4,000"
        );
    }
}
