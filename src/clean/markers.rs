//! The boilerplate markers of `data/boilerplate.toml`: the file format,
//! and the compiled whole-line rules, inline markers and outlet hints.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::{Regex, RegexSet};
use regex_syntax::hir::Look;
use serde::Deserialize;

use std::ops::Range;

use toml::Spanned;

use super::BoilerplateKind;
use crate::data::Diagnostic;

/// The embedded marker file.
const SOURCE: &str = include_str!("../../data/boilerplate.toml");

/// How errors name the embedded marker file.
const ORIGIN: &str = "data/boilerplate.toml";

/// The markers of `data/boilerplate.toml`, compiled once.
pub(super) static MARKERS: LazyLock<Markers> = LazyLock::new(|| {
    // The file is embedded at build time and checked by a unit test, so a
    // failure here is a packaging bug, not bad input.
    Markers::parse(SOURCE, ORIGIN).unwrap_or_else(|e| panic!("{e}"))
});

/// What the lines after a heading must look like to share its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Follow {
    Headlines,
    Tags,
}

/// How much of a content line an inline marker takes with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Extent {
    Marker,
    Headline,
    Rest,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MarkerFile {
    line: Vec<Spanned<LineRuleSpec>>,
    inline: Vec<Spanned<InlineSpec>>,
    dateline: DatelineSpec,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LineRuleSpec {
    kind: BoilerplateKind,
    pattern: Spanned<String>,
    max_len: usize,
    then: Option<Follow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct InlineSpec {
    kind: BoilerplateKind,
    extent: Extent,
    #[serde(default)]
    max_rest: usize,
    markers: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DatelineSpec {
    outlet_hints: Vec<String>,
}

/// A whole-line rule after compilation.
#[derive(Debug, Clone, Copy)]
pub(super) struct LineRule {
    pub kind: BoilerplateKind,
    pub max_len: usize,
    pub then: Option<Follow>,
}

/// Compiled boilerplate markers.
pub(super) struct Markers {
    /// The line rules in groups: those anchored at the start of the line
    /// (a search for them stops a few bytes in on most lines), those
    /// anchored at its end (a backward search stops as soon), then each
    /// other rule alone: such a rule reads the whole line, so it is
    /// searched only on the lines short enough for it that have one of the
    /// literals it needs (see [`Needed`]).
    rule_sets: Vec<RuleSet>,
    /// The literals the rules searched alone need (see [`Needed`]).
    needed: Needed,
    line_rules: Vec<LineRule>,
    pub inline: InlineSearch,
    /// Kind, extent and most text kept after a "rest" marker, by pattern id.
    pub inline_rules: Vec<InlineRule>,
    pub outlet_hints: AhoCorasick,
}

impl Markers {
    /// Parses and compiles a marker file; `origin` names it in errors,
    /// which point at the rule or marker at fault.
    pub(super) fn parse(src: &str, origin: &str) -> Result<Markers, Diagnostic> {
        let file: MarkerFile =
            toml::from_str(src).map_err(|e| Diagnostic::from_toml(origin, src, &e))?;
        let at =
            |span: Range<usize>, message: String| Diagnostic::at(origin, src, span.start, message);
        let (rule_sets, needed) = compile_line_rules(&file.line, &at)?;
        let line_rules: Vec<LineRule> = file
            .line
            .iter()
            .map(|r| r.get_ref())
            .map(|r| LineRule {
                kind: r.kind,
                max_len: r.max_len,
                then: r.then,
            })
            .collect();
        let (inline, inline_rules) = compile_inline(&file.inline, &at)?;
        let outlet_hints = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&file.dateline.outlet_hints)
            .map_err(|e| at(0..0, format!("[dateline]: {e}")))?;
        Ok(Markers {
            rule_sets,
            needed,
            line_rules,
            inline,
            inline_rules,
            outlet_hints,
        })
    }

    /// The first line rule (in file order) that matches the trimmed
    /// paragraph `s`.
    pub(super) fn line_rule(&self, s: &str) -> Option<LineRule> {
        self.line_rule_gated(s, true)
    }

    /// [`Markers::line_rule`]; with `gated`, a rule searched alone only on
    /// a line with one of the literals it needs (see [`Needed`]), which
    /// does not change the answer.
    fn line_rule_gated(&self, s: &str, gated: bool) -> Option<LineRule> {
        let mut best: Option<usize> = None;
        // The rules whose literals the line has, once a rule asks.
        let mut present: Option<u64> = None;
        for set in &self.rule_sets {
            // A group's rules are in file order: one that starts after the
            // best rule found so far cannot better it.
            if best.is_some_and(|b| b < set.rules[0]) {
                continue;
            }
            if let Some(bit) = set.needs.filter(|_| gated)
                && s.len() <= set.max_len
                && *present.get_or_insert_with(|| self.needed.present(s)) & 1 << bit == 0
            {
                continue;
            }
            if let Some(i) = set.first(s, |i| s.len() <= self.line_rules[i].max_len) {
                best = Some(best.map_or(i, |b| b.min(i)));
            }
        }
        best.map(|i| self.line_rules[i])
    }
}

/// An inline marker's kind, extent and most text kept after a "rest" marker.
pub(super) type InlineRule = (BoilerplateKind, Extent, usize);

/// Makes a diagnostic at a byte range of the marker file.
type At<'a> = dyn Fn(Range<usize>, String) -> Diagnostic + 'a;

/// Compiles the line rules in groups (see [`Markers::rule_sets`]), and the
/// search for the literals the rules searched alone need.
fn compile_line_rules(
    rules: &[Spanned<LineRuleSpec>],
    at: &At<'_>,
) -> Result<(Vec<RuleSet>, Needed), Diagnostic> {
    let patterns: Vec<String> = rules
        .iter()
        .map(|r| format!("(?i){}", r.get_ref().pattern.get_ref()))
        .collect();
    let mut anchored = Vec::new();
    let mut ending = Vec::new();
    let mut floating = Vec::new();
    for (i, (rule, pattern)) in rules.iter().zip(&patterns).enumerate() {
        let span = rule.get_ref().pattern.span();
        if rule
            .get_ref()
            .pattern
            .get_ref()
            .replace(r"(?-u:\b)", "")
            .contains(r"\b")
        {
            return Err(at(span, r"write \b as (?-u:\b)".to_owned()));
        }
        let hir = regex_syntax::parse(pattern).map_err(|e| at(span, e.to_string()))?;
        if hir.properties().look_set_prefix().contains(Look::Start) {
            anchored.push(i);
        } else if hir.properties().look_set_suffix().contains(Look::End) {
            ending.push(i);
        } else {
            floating.push(i);
        }
    }
    let alone: Vec<&str> = floating
        .iter()
        .map(|&i| rules[i].get_ref().pattern.get_ref().as_str())
        .collect();
    let (needed, needs) = Needed::new(&alone);
    let mut sets = [anchored, ending]
        .into_iter()
        .chain(floating.into_iter().map(|i| vec![i]))
        .filter(|group| !group.is_empty())
        .map(|group| {
            RuleSet::new(&patterns, rules, group)
                .map_err(|(i, e)| at(rules[i].get_ref().pattern.span(), e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    // The rules searched alone come last, in the order of `alone`.
    let first_alone = sets.len() - needs.len();
    for (set, bit) in sets[first_alone..].iter_mut().zip(needs) {
        set.needs = bit;
    }
    Ok((sets, needed))
}

/// The literals that the rules searched alone (anchored at neither end of
/// the line, so each search reads the whole line) need: such a rule whose
/// every match starts with one of a few literals is searched only on the
/// lines where one of them occurs, and one search finds them all for all
/// the rules. Most lines have none, and are settled by that one search.
///
/// A rule's literals are the prefixes that `regex_syntax` finds every match
/// of the rule's pattern starts with, read as written (without the `(?i)`
/// the rules are compiled with) and searched for ignoring ASCII case. That
/// is exact for a line without a character outside ASCII that `(?i)` takes
/// for an ASCII letter (`K` KELVIN SIGN for `k`, `ſ` for `s`): then every
/// letter a case-insensitive match has where a literal has an ASCII letter
/// is that letter in one case or the other. A line with such a character is
/// searched for every rule. A rule whose literals are not all ASCII, or
/// that has an empty one or too many, is searched for on every line.
pub(super) struct Needed {
    /// Finds the leftmost literal from a place in a line in lower case
    /// (`None`: no rule needs any).
    search: Option<LiteralSearch>,
    /// Every literal in lower case, with the bit of its rule.
    literals: Vec<(Box<[u8]>, u64)>,
    /// Every bit of a rule that has literals.
    all: u64,
    /// The characters outside ASCII that `(?i)` takes for ASCII letters,
    /// as UTF-8.
    folds: Vec<String>,
}

/// The search for the leftmost literal: Teddy (SIMD) where the processor
/// has it, else an Aho-Corasick automaton.
enum LiteralSearch {
    Packed(aho_corasick::packed::Searcher),
    Automaton(AhoCorasick),
}

impl LiteralSearch {
    /// The start of the leftmost literal in `text[at..]`.
    fn find_from(&self, text: &[u8], at: usize) -> Option<usize> {
        match self {
            LiteralSearch::Packed(packed) => {
                packed.find_in(text, aho_corasick::Span::from(at..text.len()))
            }
            LiteralSearch::Automaton(automaton) => {
                automaton.find(aho_corasick::Input::new(text).span(at..text.len()))
            }
        }
        .map(|m| m.start())
    }
}

impl Needed {
    /// The search for the literals of `patterns` (as written, without
    /// `(?i)`), and for each pattern the bit it has in [`Needed::present`],
    /// or `None` where it must be searched on every line.
    fn new(patterns: &[&str]) -> (Needed, Vec<Option<u8>>) {
        use regex_syntax::hir::literal::{ExtractKind, Extractor, Literal};

        let mut literals: Vec<(Box<[u8]>, u64)> = Vec::new();
        let mut needs = Vec::new();
        let usable = |own: &[Literal]| {
            !own.is_empty()
                && own.len() <= 64
                && own
                    .iter()
                    .all(|l| !l.as_bytes().is_empty() && l.as_bytes().is_ascii())
        };
        for pattern in patterns {
            let bit = u8::try_from(needs.iter().flatten().count())
                .ok()
                .filter(|&bit| bit < 64);
            let own = regex_syntax::parse(pattern).ok().and_then(|hir| {
                let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
                seq.literals().map(<[_]>::to_vec)
            });
            match (bit, own) {
                (Some(bit), Some(own)) if usable(&own) => {
                    literals.extend(
                        own.iter()
                            .map(|l| (l.as_bytes().to_ascii_lowercase().into(), 1 << bit)),
                    );
                    needs.push(Some(bit));
                }
                _ => needs.push(None),
            }
        }
        let texts = literals.iter().map(|(literal, _)| literal);
        let search = if literals.is_empty() {
            None
        } else if let Some(packed) = aho_corasick::packed::Searcher::new(texts.clone()) {
            Some(LiteralSearch::Packed(packed))
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostFirst)
                .build(texts)
                .ok()
                .map(LiteralSearch::Automaton)
        };
        if search.is_none() {
            // No literals, or too big an automaton: every rule is searched
            // on every line.
            needs.fill(None);
        }
        let all = literals.iter().fold(0, |all, (_, bit)| all | bit);
        let needed = Needed {
            search,
            literals,
            all,
            folds: ascii_folds(),
        };
        (needed, needs)
    }

    /// The bits of the rules whose literals occur in `s` (all of them when
    /// `s` has a character that `(?i)` takes for an ASCII letter).
    fn present(&self, s: &str) -> u64 {
        let Some(search) = &self.search else {
            return self.all;
        };
        if !s.is_ascii() && self.folds.iter().any(|c| s.contains(c.as_str())) {
            return self.all;
        }
        // The literals are in lower case, and so is the copy of the line
        // they are searched in: Teddy cannot ignore case.
        let mut on_stack = [0u8; 1024];
        let mut on_heap = Vec::new();
        let lower = match on_stack.get_mut(..s.len()) {
            Some(lower) => lower,
            None => {
                on_heap.resize(s.len(), 0);
                &mut on_heap[..]
            }
        };
        lower.copy_from_slice(s.as_bytes());
        lower.make_ascii_lowercase();
        // At each place a literal starts, every literal that starts there
        // counts (the search reports one); then the search goes on from
        // the next byte, so no occurrence is missed.
        let mut present = 0;
        let mut at = 0;
        while present != self.all
            && let Some(start) = search.find_from(lower, at)
        {
            let rest = &lower[start..];
            for (literal, bit) in &self.literals {
                if rest.starts_with(literal) {
                    present |= bit;
                }
            }
            at = start + 1;
        }
        present
    }
}

/// The characters outside ASCII that a case-insensitive regex matches for
/// an ASCII letter (simple case folding: `K` KELVIN SIGN, `ſ`), as UTF-8.
fn ascii_folds() -> Vec<String> {
    use regex_syntax::hir::{Class, HirKind};

    let mut folds = Vec::new();
    for letter in 'a'..='z' {
        let Ok(hir) = regex_syntax::parse(&format!("(?i){letter}")) else {
            continue;
        };
        if let HirKind::Class(Class::Unicode(class)) = hir.kind() {
            for range in class.iter() {
                folds.extend(
                    (range.start()..=range.end())
                        .filter(|c| !c.is_ascii())
                        .map(String::from),
                );
            }
        }
    }
    folds
}

/// Compiles the inline markers into one search, with each marker's kind,
/// extent and `max_rest` by pattern id.
fn compile_inline(
    specs: &[Spanned<InlineSpec>],
    at: &At<'_>,
) -> Result<(InlineSearch, Vec<InlineRule>), Diagnostic> {
    let mut patterns = Vec::new();
    let mut rules = Vec::new();
    for spec in specs {
        let spec = spec.get_ref();
        for m in &spec.markers {
            if m.get_ref().is_empty() {
                return Err(at(m.span(), "empty marker".to_owned()));
            }
            patterns.push(m.get_ref().as_str());
            rules.push((spec.kind, spec.extent, spec.max_rest));
        }
    }
    let inline = InlineSearch::new(&patterns).map_err(|e| at(0..0, format!("[[inline]]: {e}")))?;
    Ok((inline, rules))
}

/// An inline marker's match: (start, end, marker index).
pub(super) type Hit = (usize, usize, usize);

/// The inline markers' search: their leftmost-longest matches, one after
/// the other, as one Aho-Corasick automaton over all of them would find.
///
/// The markers shorter than [`InlineSearch::SHORT`] bytes (`©`) are looked
/// for one by one with `memmem`, the others with one automaton: its
/// SIMD prefilter then compares three-byte prefixes of the text instead of
/// two, and lets through far fewer places where no marker starts (the
/// inline search over the corpus took 40% less time so).
pub(super) struct InlineSearch {
    /// The markers of `SHORT` bytes or more.
    long: AhoCorasick,
    /// The index among all markers of each pattern of `long`.
    long_ids: Vec<usize>,
    /// The shorter markers, with their index among all.
    short: Vec<(memchr::memmem::Finder<'static>, usize)>,
}

impl InlineSearch {
    /// Markers shorter than this many bytes are searched for apart.
    const SHORT: usize = 3;

    /// A search for `patterns` (none empty).
    fn new(patterns: &[&str]) -> Result<InlineSearch, aho_corasick::BuildError> {
        let (mut long, mut long_ids, mut short) = (Vec::new(), Vec::new(), Vec::new());
        for (i, p) in patterns.iter().enumerate() {
            if p.len() < Self::SHORT {
                short.push((memchr::memmem::Finder::new(p.as_bytes()).into_owned(), i));
            } else {
                long.push(*p);
                long_ids.push(i);
            }
        }
        let long = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&long)?;
        Ok(InlineSearch {
            long,
            long_ids,
            short,
        })
    }

    /// The leftmost-longest matches in `s`, not overlapping, in order, as
    /// (start, end, marker index).
    pub(super) fn find_all(&self, s: &str) -> Vec<Hit> {
        let mut found = Vec::new();
        let mut at = 0;
        // The next match of each side at or after `at`, kept until it is
        // taken or passed over, so each side's search only moves forward
        // (`Some(None)`: there is none, before the end).
        let mut long: Option<Option<Hit>> = None;
        let mut shorts: Vec<Option<Option<Hit>>> = vec![None; self.short.len()];
        // Whether a side's next match is still to be searched for.
        let stale =
            |next: Option<Option<Hit>>, at: usize| next.is_none_or(|m| m.is_some_and(|m| m.0 < at));
        while at < s.len() {
            if stale(long, at) {
                long = Some(
                    self.long
                        .find(aho_corasick::Input::new(s).span(at..s.len()))
                        .map(|m| (m.start(), m.end(), self.long_ids[m.pattern().as_usize()])),
                );
            }
            for (next, (finder, marker)) in shorts.iter_mut().zip(&self.short) {
                if stale(*next, at) {
                    *next =
                        Some(finder.find(&s.as_bytes()[at..]).map(|start| {
                            (at + start, at + start + finder.needle().len(), *marker)
                        }));
                }
            }
            // The leftmost short match, the longest of those that start there.
            let short = shorts
                .iter()
                .filter_map(|m| m.flatten())
                .min_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
            let next = match (long.flatten(), short) {
                (Some(l), Some(h)) if h.0 < l.0 || (h.0 == l.0 && h.1 > l.1) => h,
                (Some(l), _) => l,
                (None, Some(h)) => h,
                (None, None) => break,
            };
            found.push(next);
            at = next.1;
        }
        found
    }
}

/// Some of the line rules, compiled together.
pub(super) struct RuleSet {
    engine: Engine,
    /// Index in the marker file of each pattern of `engine`.
    rules: Vec<usize>,
    /// No rule of the set applies to a line longer than this many bytes.
    max_len: usize,
    /// For a rule searched alone, its bit in [`Needed::present`]: the line
    /// must have one of its literals.
    needs: Option<u8>,
}

/// A rule alone is compiled as a plain regex, which can look for its
/// literals first; a set cannot.
pub(super) enum Engine {
    One(Regex),
    Many(RegexSet),
}

impl RuleSet {
    /// Compiles `patterns[i]` for each `i` of `rules`; an error names the
    /// rule at fault by its index.
    fn new(
        patterns: &[String],
        specs: &[Spanned<LineRuleSpec>],
        rules: Vec<usize>,
    ) -> Result<RuleSet, (usize, String)> {
        let engine = match rules[..] {
            [i] => Regex::new(&patterns[i])
                .map(Engine::One)
                .map_err(|e| (i, e.to_string()))?,
            _ => RegexSet::new(rules.iter().map(|&i| &patterns[i]))
                .map(Engine::Many)
                .map_err(|e| {
                    // Name the offending rule: compile them one by one.
                    let bad = rules
                        .iter()
                        .copied()
                        .find(|&i| Regex::new(&patterns[i]).is_err())
                        .unwrap_or(rules[0]);
                    (bad, e.to_string())
                })?,
        };
        let max_len = rules
            .iter()
            .map(|&i| specs[i].get_ref().max_len)
            .max()
            .unwrap_or(0);
        Ok(RuleSet {
            engine,
            rules,
            max_len,
            needs: None,
        })
    }

    /// The file index of the first rule (in file order) that matches `s`
    /// and that `fits` it.
    fn first(&self, s: &str, fits: impl Fn(usize) -> bool) -> Option<usize> {
        if s.len() > self.max_len {
            return None;
        }
        match &self.engine {
            Engine::One(re) => Some(self.rules[0]).filter(|&i| fits(i) && re.is_match(s)),
            // Most lines match no rule: a yes/no search settles them
            // faster than asking which rules match.
            Engine::Many(set) if set.is_match(s) => set
                .matches(s)
                .iter()
                .map(|i| self.rules[i])
                .find(|&i| fits(i)),
            Engine::Many(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What one automaton over all the markers finds.
    fn one_automaton(patterns: &[&str], s: &str) -> Vec<(usize, usize, usize)> {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns)
            .unwrap()
            .find_iter(s)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn the_inline_search_finds_what_one_automaton_finds(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "©", "Copyright ©", "Copyright", "ab", "a", "b", "abc", "bcab", "c©",
                    "Baca:", "BACA JUGA:", " ", "é", "x", "©©",
                ]),
                0..24,
            ),
        ) {
            let patterns = ["©", "Copyright ©", "ab", "abc", "bca", "Baca:", "c©", "b", "BACA JUGA:"];
            let s = pieces.concat();
            let search = InlineSearch::new(&patterns).unwrap();
            proptest::prop_assert_eq!(search.find_all(&s), one_automaton(&patterns, &s), "{:?}", s);
        }
    }

    #[test]
    fn the_embedded_inline_search_finds_what_one_automaton_finds() {
        let patterns: Vec<&str> = MARKERS_SOURCE_PATTERNS.iter().map(String::as_str).collect();
        let search = InlineSearch::new(&patterns).unwrap();
        let text = "Copyright © 2024 ©Kompas. Baca juga: Bawaslu awasi ASN ©© Editor: X \
                    BACA JUGA: Pemilu Artikel ini telah tayang di Y. Pewarta : Z ©";
        let found = search.find_all(text);
        assert_eq!(found, one_automaton(&patterns, text));
        assert!(found.len() >= 6, "{found:?}");
    }

    /// The embedded file's inline markers, in order.
    static MARKERS_SOURCE_PATTERNS: LazyLock<Vec<String>> = LazyLock::new(|| {
        let file: MarkerFile = toml::from_str(SOURCE).unwrap();
        file.inline
            .iter()
            .flat_map(|spec| spec.get_ref().markers.iter().map(|m| m.get_ref().clone()))
            .collect()
    });

    /// Marker files with rules searched alone whose literals are plain, in
    /// another case, behind a class, inside `(?-i:…)`, nested in another
    /// rule's, outside ASCII, or missing.
    static ALONE: LazyLock<Markers> = LazyLock::new(|| {
        let rules = [
            r"(?-u:\b)(?:grup telegram|all rights reserved)(?-u:\b)",
            r"(?-i:ANTARA FOTO/|/ANTARA)",
            r"\((?:kiri|ki-ka)\)",
            r"[xy]zk",
            r"(?-u:\b)ab",
            r"abc(?-u:\b)",
            r"café",
            r"\d+ kali",
        ];
        let mut src = String::new();
        for rule in rules {
            src += &format!("[[line]]\nkind = \"footer\"\npattern = '{rule}'\nmax_len = 300\n");
        }
        src += "[[inline]]\nkind = \"promo\"\nextent = \"marker\"\nmarkers = [\"X\"]\n[dateline]\noutlet_hints = []\n";
        Markers::parse(&src, "alone.toml").unwrap()
    });

    proptest::proptest! {
        #[test]
        fn the_literals_rules_need_never_change_the_rule_a_line_matches(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Grup Telegram", "grup telegram", "GRUP TELEGRAM", "all rights reserved",
                    "All Rights Reſerved", "all rightſ", "/antara", "/ANTARA", "ANTARA FOTO/",
                    "(kiri)", "(KI-KA)", "(Kiri)", "XZK", "yzK", "abc", "ab", "Ab", "CAFÉ", "café",
                    "12 kali", "google news", "Channel WhatsApp", "©", "(ANTARA FOTO/x)",
                    "Baca juga:", " ", ".", "-", "warga", "é", "K",
                ]),
                0..12,
            ),
        ) {
            let s = pieces.concat();
            for markers in [&*ALONE, &*MARKERS] {
                let gated = markers.line_rule_gated(&s, true).map(|r| (r.kind, r.max_len));
                let all = markers.line_rule_gated(&s, false).map(|r| (r.kind, r.max_len));
                proptest::prop_assert_eq!(gated, all, "{:?}", s);
            }
        }
    }

    #[test]
    fn rules_searched_alone_are_searched_only_where_their_literals_are() {
        let needs: Vec<Option<u8>> = ALONE.rule_sets.iter().map(|set| set.needs).collect();
        // Every rule is searched alone; `café` (not ASCII) and `\d+ kali`
        // (no literal prefix) on every line.
        assert_eq!(
            needs,
            [
                Some(0),
                Some(1),
                Some(2),
                Some(3),
                Some(4),
                Some(5),
                None,
                None
            ]
        );
        let needed = &ALONE.needed;
        assert_eq!(
            needed.present("Warga berkumpul di balai desa pada pagi hari."),
            0
        );
        assert_eq!(needed.present("Ikuti GRUP Telegram kami"), 1);
        assert_eq!(needed.present("Foto (Ki-Ka) dari /Antara"), 0b110);
        // Every literal that starts at one place counts.
        assert_eq!(needed.present("abc"), 0b11_0000);
        // `ſ` is an `s` to the case-insensitive rules: the line is searched
        // for every rule.
        assert_eq!(needed.present("all rightſ reſerved"), needed.all);
        assert!(ALONE.line_rule("© 2024, all rightſ reſerved").is_some());
        // The embedded rules searched alone all have literals.
        assert!(
            MARKERS
                .rule_sets
                .iter()
                .filter(|set| set.needs.is_some())
                .count()
                >= 4
        );
        assert_eq!(MARKERS.needed.present("Warga berkumpul di balai desa."), 0);
    }

    #[test]
    fn embedded_markers_parse() {
        let markers = Markers::parse(SOURCE, ORIGIN);
        assert!(markers.is_ok(), "{:?}", markers.err());
    }

    #[test]
    fn broken_marker_files_name_file_line_and_column() {
        const TAIL: &str = "[[inline]]\nkind = \"promo\"\nextent = \"marker\"\nmarkers = [\"X\"]\n[dateline]\noutlet_hints = []\n";
        // (file, expected diagnostic)
        let cases = [
            (
                format!("[[line]]\nkind = \"footer\"\npattern = '^tag('\nmax_len = 9\n{TAIL}"),
                "mine.toml:3:11: regex parse error",
            ),
            (
                "[[line]]\nkind = \"feet\"\npattern = 'x'\nmax_len = 9\n".to_owned(),
                "mine.toml:2:8: unknown variant `feet`",
            ),
            (
                format!("[[line]]\nkind = \"footer\"\npattern = '\\bx'\nmax_len = 9\n{TAIL}"),
                "mine.toml:3:11: write \\b as (?-u:\\b)",
            ),
            (
                format!(
                    "[[line]]\nkind = \"footer\"\npattern = 'x'\nmax_len = 9\n{}",
                    TAIL.replace("[\"X\"]", "[\"X\", \"\"]")
                ),
                "mine.toml:8:17: empty marker",
            ),
        ];
        for (src, expected) in cases {
            let err = Markers::parse(&src, "mine.toml")
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                err.starts_with(expected),
                "{expected:?} does not start {err:?}"
            );
        }
    }
}
