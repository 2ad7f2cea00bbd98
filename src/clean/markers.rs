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

/// The markers of `data/boilerplate.toml`, compiled once; each thread
/// searches with its own clone (`clean`'s `LOCAL_MARKERS`), which shares
/// the compiled automata. A regex gives its search cache out of a pool:
/// the first thread to search takes it without a lock, every other one
/// from a locked stack on every search, so with two threads on one
/// shared copy, the other paid two locks per search (the pool's
/// functions took 0.8% of the samples of a two-thread run on 30 copies of
/// the corpus; with clones, none).
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
#[derive(Clone)]
pub(super) struct Markers {
    /// The line rules in groups: those anchored at the start of the line
    /// (a search for them stops a few bytes in on most lines), those
    /// anchored at its end (a backward search stops as soon), then each
    /// other rule alone: such a rule reads the whole line, so it is
    /// searched only on the lines short enough for it.
    rule_sets: Vec<RuleSet>,
    /// Whether a text's lines may match the gated rule sets (see
    /// [`Markers::gated_may_match`]).
    gate: Gate,
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
        let mut rule_sets = compile_line_rules(&file.line, &at)?;
        let gate = Gate::new(&file.line, &mut rule_sets);
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
            gate,
            line_rules,
            inline,
            inline_rules,
            outlet_hints,
        })
    }

    /// The first line rule (in file order) that matches the trimmed
    /// paragraph `s`.
    pub(super) fn line_rule(&self, s: &str) -> Option<LineRule> {
        self.line_rule_among(s, true)
    }

    /// [`Markers::line_rule`], among the gated rule sets too only with
    /// `gated`: what [`Markers::gated_may_match`] says of a text that holds
    /// `s`.
    pub(super) fn line_rule_among(&self, s: &str, gated: bool) -> Option<LineRule> {
        let mut best: Option<usize> = None;
        for set in &self.rule_sets {
            // A group's rules are in file order: one that starts after the
            // best rule found so far cannot better it.
            if best.is_some_and(|b| b < set.rules[0]) || (set.gated && !gated) {
                continue;
            }
            if let Some(i) = set.first(s, |i| s.len() <= self.line_rules[i].max_len) {
                best = Some(best.map_or(i, |b| b.min(i)));
            }
        }
        best.map(|i| self.line_rules[i])
    }
}

impl Markers {
    /// Whether the lines of `text` may match the gated rule sets, those
    /// whose every match starts with one of a few literals (`google news`,
    /// `all rights reserved`): not when `text` holds none of them. One
    /// search over the whole text settles it for all its lines, where each
    /// set would read each line.
    pub(super) fn gated_may_match(&self, text: &str) -> bool {
        let gate = &self.gate;
        let Some(search) = &gate.search else {
            return true;
        };
        if has_ascii_fold_partners(text) {
            return true;
        }
        // The text lowered a chunk at a time, each chunk with as many bytes
        // after it as a literal can reach past its end.
        let bytes = text.as_bytes();
        LOWERED.with(|lowered| {
            let lowered = &mut *lowered.borrow_mut();
            (0..bytes.len()).step_by(GATE_CHUNK).any(|at| {
                let end = (at + GATE_CHUNK + gate.longest - 1).min(bytes.len());
                lowered.clear();
                lowered.extend(bytes[at..end].iter().map(u8::to_ascii_lowercase));
                search.is_match(&lowered[..])
            })
        })
    }
}

thread_local! {
    /// [`Markers::gated_may_match`]'s lowered chunk (at most [`GATE_CHUNK`] and
    /// [`MAX_GATE_LITERAL_LEN`] bytes).
    static LOWERED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Bytes of a text [`Markers::gated_may_match`] lowers and searches at a
/// time.
const GATE_CHUNK: usize = 4096;

/// The search behind [`Markers::gated_may_match`].
#[derive(Clone)]
struct Gate {
    /// The literals of all gated sets in ASCII lower case, searched for in
    /// a text lowered the same way; `None` when no set is gated.
    search: Option<AhoCorasick>,
    /// The longest literal's length.
    longest: usize,
}

impl Gate {
    /// Gates each set whose rules all start every match with one of a few
    /// ASCII literals of three bytes or more. A text that holds none of the
    /// gated sets' literals goes through none of them; any other text,
    /// through all.
    ///
    /// The literals come from the patterns without the `(?i)` the rules are
    /// compiled with, and are searched for with ASCII case ignored: a
    /// match of the compiled rule starts with one of them in another ASCII
    /// case, unless the text has one of the two characters outside ASCII
    /// whose case folds into an ASCII letter (`ſ`, the Kelvin sign), and
    /// such a text goes through every set.
    fn new(rules: &[Spanned<LineRuleSpec>], sets: &mut [RuleSet]) -> Gate {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        for set in sets.iter_mut() {
            let of_set: Option<Vec<Vec<u8>>> = set
                .rules
                .iter()
                .map(|&i| starting_literals(rules[i].get_ref().pattern.get_ref()))
                .collect::<Option<Vec<_>>>()
                .map(|per_rule| per_rule.concat());
            if let Some(of_set) = of_set.filter(|l| l.len() <= MAX_GATE_LITERALS) {
                set.gated = true;
                literals.extend(of_set);
            }
        }
        // Exact literals in a lowered copy of the text: an automaton that
        // ignores case walks every byte, where one of exact literals skips
        // to where they may start.
        for l in &mut literals {
            l.make_ascii_lowercase();
        }
        let search = (!literals.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostFirst)
                    .build(&literals)
                    .ok()
            })
            .flatten();
        if search.is_none() {
            // No search, no gate: every set is searched.
            for set in sets {
                set.gated = false;
            }
        }
        Gate {
            search,
            longest: literals.iter().map(Vec::len).max().unwrap_or(0),
        }
    }
}

/// The most literals a gated set may have: beyond, its search would let
/// most texts through anyway.
const MAX_GATE_LITERALS: usize = 64;

/// The longest literal a gated set may have.
const MAX_GATE_LITERAL_LEN: usize = 128;

/// Literals one of which every match of `pattern` (compiled without the
/// `(?i)` flag) starts with: `None` unless they are finitely many, all
/// ASCII, and from three to [`MAX_GATE_LITERAL_LEN`] bytes long.
fn starting_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::parse(pattern).ok()?;
    let seq = regex_syntax::hir::literal::Extractor::new().extract(&hir);
    let literals = seq.literals()?;
    literals
        .iter()
        .map(|l| l.as_bytes())
        .all(|l| (3..=MAX_GATE_LITERAL_LEN).contains(&l.len()) && l.is_ascii())
        .then(|| literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}

/// Whether `text` has `ſ` (U+017F) or the Kelvin sign (U+212A): the two
/// characters outside ASCII that a case-insensitive pattern matches for an
/// ASCII letter (`s`, `k`).
fn has_ascii_fold_partners(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(0xC5, 0xE2, bytes).any(|i| {
        let rest = &bytes[i..];
        rest.starts_with("\u{17F}".as_bytes()) || rest.starts_with("\u{212A}".as_bytes())
    })
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
#[derive(Clone)]
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
#[derive(Clone)]
pub(super) struct RuleSet {
    engine: Engine,
    /// Index in the marker file of each pattern of `engine`.
    rules: Vec<usize>,
    /// No rule of the set applies to a line longer than this many bytes.
    max_len: usize,
    /// Searched only in texts that hold one of its literals (see
    /// [`Markers::gated_may_match`]).
    gated: bool,
}

/// A rule alone is compiled as a plain regex, which can look for its
/// literals first; a set cannot.
#[derive(Clone)]
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
            gated: false,
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

    /// A line's rule, as `line_rule` gives it.
    fn rule_of(markers: &Markers, s: &str, gated: bool) -> Option<(BoilerplateKind, usize)> {
        markers
            .line_rule_among(s, gated)
            .map(|r| (r.kind, r.max_len))
    }

    /// A marker file whose floating rules have short, non-ASCII and
    /// case-insensitive literals beside gated ones.
    const GATED_FILE: &str = r#"
[[line]]
kind = "footer"
pattern = '^tags?:'
max_len = 60
[[line]]
kind = "footer"
pattern = 'semua hak dilindungi'
max_len = 200
[[line]]
kind = "caption"
pattern = '\((?:kiri|kanan|ki-ka)\)'
max_len = 300
[[line]]
kind = "promo"
pattern = 'qr'
max_len = 300
[[line]]
kind = "promo"
pattern = 'saluran ©'
max_len = 300
[[line]]
kind = "promo"
pattern = '(?i:kode) promo'
max_len = 300
[[inline]]
kind = "promo"
extent = "marker"
markers = ["X"]
[dateline]
outlet_hints = []
"#;

    proptest::proptest! {
        #[test]
        fn lines_match_the_same_rules_among_the_sets_their_text_leaves(
            lines in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "Google News", "GOOGLE news", "google", "news", "ALL RIGHTS RESERVED.",
                        "all rights", "(kiri)", "(Kiri Ke Kanan)", "(kedua dari KIRI)", "(TENGAH)",
                        "ANTARA FOTO/Budi", "/Antara", "\u{17F}", "\u{212A}", "whats", "app",
                        "\u{17F}aluran WhatsApp", "channel", "Bawaslu", "ASN", " ", "(", ")", "/",
                        "-", "Semua Hak", "dilindungi", "QR", "saluran ©", "KODE promo",
                        "\u{212A}ODE promo", "tags:", "ki-ka",
                    ]),
                    0..12,
                ),
                1..6,
            ),
        ) {
            let lines: Vec<String> = lines.iter().map(|l| l.concat()).collect();
            let text = lines.join("\n");
            let mine = Markers::parse(GATED_FILE, "mine.toml").unwrap();
            for markers in [&*MARKERS, &mine] {
                let gated = markers.gated_may_match(&text);
                for line in &lines {
                    let line = line.trim();
                    proptest::prop_assert_eq!(
                        rule_of(markers, line, gated),
                        rule_of(markers, line, true),
                        "{:?} in {:?}", line, text
                    );
                }
            }
        }
    }

    #[test]
    fn a_text_without_their_literals_skips_the_gated_sets() {
        let markers = &*MARKERS;
        // The embedded file's rules that can match anywhere in a line are
        // gated.
        let floating = |set: &RuleSet| matches!(set.engine, Engine::One(_));
        assert!(markers.rule_sets.iter().any(floating));
        assert!(
            markers
                .rule_sets
                .iter()
                .all(|set| set.gated == floating(set))
        );
        let plain = "Bawaslu mengingatkan ASN.\nFoto: Dok. Pemkab (ASN) berbaris.";
        assert!(!markers.gated_may_match(plain));
        // Any one literal, in any ASCII case, or a letter that folds into
        // ASCII, lets them all through.
        for text in [
            "Ikuti kami di Google News.",
            "ikuti kami di GOOGLE NEWS",
            "Bupati (kiri) menyerahkan SK.",
            "Bawaslu mengingatkan A\u{17F}N.",
            "\u{212A}PU",
        ] {
            assert!(markers.gated_may_match(text), "{text}");
        }
        // A literal across two chunks of the search is found.
        for pad in GATE_CHUNK - 12..GATE_CHUNK + 2 {
            let text = format!("{}all rights reserved", "x".repeat(pad));
            assert!(markers.gated_may_match(&text), "{pad}");
        }
        // Which rules a custom file gates (its one anchored rule is a set of
        // its own): not a short literal, one with a character outside
        // ASCII, nor one whose case the pattern folds itself.
        let mine = Markers::parse(GATED_FILE, "mine.toml").unwrap();
        let gated: Vec<&str> = mine
            .rule_sets
            .iter()
            .filter(|set| set.gated)
            .filter_map(|set| match &set.engine {
                Engine::One(re) => Some(re.as_str()),
                Engine::Many(_) => None,
            })
            .collect();
        assert_eq!(
            gated,
            [
                "(?i)^tags?:",
                "(?i)semua hak dilindungi",
                r"(?i)\((?:kiri|kanan|ki-ka)\)"
            ]
        );
    }

    #[test]
    fn starting_literals_are_prefixes_of_every_match() {
        let literals = |p: &str| {
            starting_literals(p).map(|ls| {
                ls.into_iter()
                    .map(|l| String::from_utf8(l).unwrap())
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            literals(r"(?-u:\b)all rights reserved(?-u:\b)"),
            Some(vec!["all rights reserved".to_owned()])
        );
        assert_eq!(
            literals(r"(?-i:ANTARA FOTO/|/ANTARA)"),
            Some(vec!["ANTARA FOTO/".to_owned(), "/ANTARA".to_owned()])
        );
        // Some match may start with none of a few literals.
        assert_eq!(literals(r"^[^\p{L}\p{N}]+$"), None);
        assert_eq!(literals(r"--\s*x"), None);
        assert_eq!(literals(r"\w+ news"), None);
        assert_eq!(literals(r"(?:saluran )?©"), None);
        assert_eq!(literals(r"(?i:kode) promo"), None);
    }

    #[test]
    fn the_fold_partners_are_the_characters_a_case_insensitive_ascii_letter_matches() {
        let letter = Regex::new("(?i)^[a-z]$").unwrap();
        for c in (0x80..=char::MAX as u32).filter_map(char::from_u32) {
            let alone = c.to_string();
            let folds = letter.is_match(&alone);
            assert_eq!(has_ascii_fold_partners(&alone), folds, "{c:?}");
            assert_eq!(has_ascii_fold_partners(&format!("ab{c}cd")), folds, "{c:?}");
        }
        assert!(!has_ascii_fold_partners("“Pemilu” — 2024 é Ş"));
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
