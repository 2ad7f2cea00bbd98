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
    /// searched only on the lines short enough for it.
    rule_sets: Vec<RuleSet>,
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
        let rule_sets = compile_line_rules(&file.line, &at)?;
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
            line_rules,
            inline,
            inline_rules,
            outlet_hints,
        })
    }

    /// The first line rule (in file order) that matches the trimmed
    /// paragraph `s`.
    pub(super) fn line_rule(&self, s: &str) -> Option<LineRule> {
        let mut best: Option<usize> = None;
        for set in &self.rule_sets {
            // A group's rules are in file order: one that starts after the
            // best rule found so far cannot better it.
            if best.is_some_and(|b| b < set.rules[0]) {
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

/// Compiles the line rules in groups (see [`Markers::rule_sets`]).
fn compile_line_rules(
    rules: &[Spanned<LineRuleSpec>],
    at: &At<'_>,
) -> Result<Vec<RuleSet>, Diagnostic> {
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
    [anchored, ending]
        .into_iter()
        .chain(floating.into_iter().map(|i| vec![i]))
        .filter(|group| !group.is_empty())
        .map(|group| {
            RuleSet::new(&patterns, rules, group)
                .map_err(|(i, e)| at(rules[i].get_ref().pattern.span(), e))
        })
        .collect()
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
        // On the stack for the few short markers there are (one, `©`):
        // this runs for every content paragraph.
        let mut on_stack = [None; 4];
        let mut on_heap = Vec::new();
        let shorts: &mut [Option<Option<Hit>>] = match on_stack.get_mut(..self.short.len()) {
            Some(shorts) => shorts,
            None => {
                on_heap.resize(self.short.len(), None);
                &mut on_heap
            }
        };
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
            let s = pieces.concat();
            // Few short markers (kept on the stack) and many.
            for patterns in [
                &["©", "Copyright ©", "ab", "abc", "bca", "Baca:", "c©", "b", "BACA JUGA:"][..],
                &["©", "a", "b", "x", "ab", "ba", "abc", "Baca:"][..],
            ] {
                let search = InlineSearch::new(patterns).unwrap();
                proptest::prop_assert_eq!(search.find_all(&s), one_automaton(patterns, &s), "{:?}", s);
            }
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
