//! The dateline at the start of the first content paragraphs
//! (`JAKARTA, KOMPAS.com -`, `Jakarta (ANTARA) -`), read by a list of
//! small parsers tried in turn.

use std::cell::RefCell;
use std::ops::ControlFlow;
use std::sync::LazyLock;

use regex::{CaptureLocations, Regex};

use crate::data;

use super::kept::{Kept, floor_char_boundary, trim_end_at};
use super::markers::Markers;
use super::{BoilerplateKind, CutReason, Dateline, Paragraph, is_blank_char};

/// Dateline patterns (case-sensitive: place names and outlets are written
/// in capitals): compiled ones, or a thread's [`Searcher`]s of them.
struct DatelinePatterns<P = Regex> {
    /// `Jakarta (ANTARA) -`, `Bratislava, Slovakia (ANTARA) -`.
    paren: P,
    /// `JAKARTA, KOMPAS.com —`, `Liputan6.com, Jakarta -`.
    pair: P,
    /// `KONTAN.CO.ID – JAKARTA.`: a domain, then the place closed by a stop.
    domain_place: P,
    /// `Radarkoran.com -`, `SAMBAS —`.
    single: P,
}

// A hyphen needs a space on one side, so `Prabowo-Gibran` is no dateline.
const SEP: &str = r"(?:\s+-{1,2}\s*|\s*-{1,2}\s+|\s*--\s*|\s*[–—―‒]+\s*)";
const DOMAIN: &str = r"\p{Lu}[\p{L}\d]*(?:\.\p{L}+)+";

static DATELINE: LazyLock<DatelinePatterns> = LazyLock::new(|| {
    // Runs and repeated words are written unbounded and their lengths
    // checked after the match (see `parse_dateline`): a bounded repetition
    // of a class as big as `[^,()]` or `\p{L}` compiles to an automaton many
    // times larger, and slower to build.
    const PLACE: &str = r"\p{Lu}[\p{L}.'\-]*(?:\s+\p{Lu}[\p{L}.'\-]*)*";
    DatelinePatterns {
        paren: build_dateline(format!(r"^({PLACE}(?:,\s*{PLACE})?)\s*\(([^()\n]+)\){SEP}")),
        pair: build_dateline(format!(r"^([^\s,()][^,()]*?),\s*([^\s,()][^,()]*?){SEP}")),
        domain_place: build_dateline(format!(r"^({DOMAIN}){SEP}(\p{{Lu}}[\p{{Lu}} ]+)\.\s")),
        single: build_dateline(format!(r"^([^\s,()][^,()]*?){SEP}")),
    }
});

impl DatelinePatterns {
    /// A searcher of each pattern, for one thread.
    fn searchers(&self) -> DatelinePatterns<Searcher> {
        DatelinePatterns {
            paren: Searcher::new(&self.paren),
            pair: Searcher::new(&self.pair),
            domain_place: Searcher::new(&self.domain_place),
            single: Searcher::new(&self.single),
        }
    }
}

thread_local! {
    /// This thread's searchers of [`DATELINE`].
    static LOCAL: DatelinePatterns<Searcher> = DATELINE.searchers();
    /// This thread's searcher of [`REPORT`].
    static LOCAL_REPORT: Searcher = Searcher::new(&REPORT);
    /// This thread's searcher of [`REPORT_BOUNDED`], made (and the pattern
    /// built) the first time a reporter line's place is too long for
    /// [`REPORT`] to settle.
    static LOCAL_REPORT_BOUNDED: Searcher = Searcher::new(&REPORT_BOUNDED);
}

/// A dateline pattern as one thread searches with it: a clone of its own
/// (see [`super::markers::MARKERS`] on why) and the capture locations that
/// every search fills in.
///
/// `Regex::captures` makes a fresh `Captures` for every search: it
/// allocates, and it counts one more reference to the pattern's group
/// names, a count that every clone of the pattern shares. With two
/// threads that count's cache line went back and forth between the cores
/// on each search, and making the `Captures` took 96 samples of a
/// two-thread profile where one thread spent 17 on the same searches.
struct Searcher {
    regex: Regex,
    locations: RefCell<CaptureLocations>,
}

impl Searcher {
    fn new(regex: &Regex) -> Self {
        let regex = regex.clone();
        let locations = RefCell::new(regex.capture_locations());
        Searcher { regex, locations }
    }

    /// The groups of the pattern's first match in `head`.
    fn captures<'h>(&self, head: &'h str) -> Option<Groups<'h>> {
        let mut locations = self.locations.borrow_mut();
        self.regex.captures_read(&mut locations, head)?;
        Some(Groups {
            head,
            spans: std::array::from_fn(|group| locations.get(group)),
        })
    }
}

/// The groups of a dateline pattern's match, the whole match first, as
/// byte spans into the head searched (no pattern here has more than three
/// groups).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Groups<'h> {
    head: &'h str,
    spans: [Option<(usize, usize)>; 4],
}

impl<'h> Groups<'h> {
    /// Group `group`, if it took part in the match.
    fn get(&self, group: usize) -> Option<Group<'h>> {
        let (start, end) = (*self.spans.get(group)?)?;
        Some(Group {
            text: self.head.get(start..end).unwrap_or_default(),
            start,
            end,
        })
    }
}

/// One group of a match: its text, from byte `start` to `end` of the head.
#[derive(Debug, Clone, Copy)]
struct Group<'h> {
    text: &'h str,
    start: usize,
    end: usize,
}

/// `Laporan Wartawan X, Name OUTLET.COM, PLACE -`: a reporter line glued
/// before the dateline, whose place has at most 31 characters. Built by
/// [`prepare`], or else the first time a line starts with `laporan`, on
/// the worker that meets it: the place is written unbounded here, which
/// builds five times faster than [`REPORT_BOUNDED`] (7 ms), and a match
/// whose place is longer is settled by that pattern (see
/// [`report_captures`]).
static REPORT: LazyLock<Regex> = LazyLock::new(|| build_report(r"[\p{Lu} ]+?"));

/// [`REPORT`] with the bound in the pattern: built only for a match whose
/// place is too long.
static REPORT_BOUNDED: LazyLock<Regex> = LazyLock::new(|| {
    // The place's first capital, then at most this many characters.
    let rest = REPORT_PLACE_CHARS - 1;
    build_report(&format!(r"[\p{{Lu}} ]{{1,{rest}}}?"))
});

/// Longest place of a reporter line's dateline, in characters.
const REPORT_PLACE_CHARS: usize = 31;

/// The reporter-line pattern with `rest` after the place's first capital.
fn build_report(rest: &str) -> Regex {
    build_dateline(format!(
        r"^(?i:laporan\s+(?:wartawan|reporter|koresponden))\b([^\n]*?)\s({DOMAIN})(?:,\s*(\p{{Lu}}{rest}))?{SEP}"
    ))
}

/// The captures of the bounded reporter-line pattern in `head`.
///
/// The two patterns try the same ways to match in the same order, the
/// bounded one only those whose place is short enough; so when the
/// unbounded pattern's match has no place or a short one, that is the
/// bounded pattern's match too.
fn report_captures(head: &str) -> Option<Groups<'_>> {
    let c = LOCAL_REPORT.with(|report| report.captures(head))?;
    if c.get(3)
        .is_some_and(|place| !chars_within(place.text, 0, REPORT_PLACE_CHARS))
    {
        return LOCAL_REPORT_BOUNDED.with(|report| report.captures(head));
    }
    Some(c)
}

/// Compiles a dateline pattern (ours, checked by the tests).
fn build_dateline(pattern: String) -> Regex {
    Regex::new(&pattern).unwrap_or_else(|e| panic!("dateline pattern: {e}"))
}

/// Whether `s` has from `min` to `max` characters.
fn chars_within(s: &str, min: usize, max: usize) -> bool {
    // A character takes at most four bytes and at least one.
    if s.len() < min || s.len() > 4 * max {
        return false;
    }
    (min..=max).contains(&s.chars().count())
}

/// A dateline found at the start of a line; offsets in bytes into the line.
pub(super) struct DatelineMatch<'l> {
    place: Option<&'l str>,
    outlet: Option<&'l str>,
    /// Where the dateline starts: after a glued reporter credit, else 0.
    start: usize,
    /// End of the separator, trailing blanks left out.
    end: usize,
}

/// Finds the dateline in the first content paragraphs, records the first
/// one and cuts them all, with a reporter credit glued before one.
///
/// The search reads the kept text (see [`Kept`]) and goes on past a
/// paragraph while what it keeps reads as a title (a short line with no
/// closing stop), over at most three paragraphs that keep text.
pub(super) fn find_dateline(
    text: &str,
    markers: &Markers,
    paragraphs: &mut [Paragraph],
) -> Option<Dateline> {
    let mut first: Option<Dateline> = None;
    let mut seen = 0;
    for p in paragraphs.iter_mut().filter(|p| p.boilerplate.is_none()) {
        if seen == 3 {
            break;
        }
        let kept = Kept::of(text, p);
        let mut pos = 0;
        // Text must follow a dateline; a repeated one goes too.
        while let Some(d) = parse_dateline(&kept.text[pos..], markers).filter(|d| {
            !kept.text[pos + d.end..]
                .trim_matches(is_blank_char)
                .is_empty()
        }) {
            if d.start > 0 {
                let credit_end = pos + trim_end_at(&kept.text[pos..], d.start);
                kept.cut(
                    p,
                    pos,
                    credit_end,
                    CutReason::Marker(BoilerplateKind::Byline),
                );
            }
            let (start, end) = (pos + d.start, pos + d.end);
            kept.cut(p, start, end, CutReason::Dateline);
            if let Some((s, e)) = kept.span(start, end) {
                first.get_or_insert(Dateline {
                    place: d.place.map(str::to_owned),
                    outlet: d.outlet.map(str::to_owned),
                    start: s,
                    end: e,
                });
            }
            pos = kept.text.len() - kept.text[end..].trim_start_matches(is_blank_char).len();
        }
        let rest = &kept.text[pos..];
        if rest.is_empty() || markers.line_rule(rest).is_some() {
            continue; // Gone from the clean text: not counted.
        }
        seen += 1;
        if !is_title(rest) {
            break;
        }
    }
    first
}

/// A short line that does not end a sentence: a title before the body.
fn is_title(s: &str) -> bool {
    s.len() <= 250 && !s.ends_with(['.', '"', '”', '\'', '’', ')'])
}

/// What a dateline parser says of a line: `Continue` when the line does
/// not have its shape (the next parser is tried), `Break` with its verdict
/// otherwise.
type Step<'l> = ControlFlow<Option<DatelineMatch<'l>>>;

/// A parser of one dateline shape, given the head of a line.
type Parser = for<'l> fn(&'l str, &Markers) -> Step<'l>;

/// The dateline shapes, tried in turn.
const PARSERS: [Parser; 5] = [reporter_credit, paren, domain_place, pair, single];

/// The dateline at the start of `line`, if any.
pub(super) fn parse_dateline<'l>(line: &'l str, markers: &Markers) -> Option<DatelineMatch<'l>> {
    let head = &line[..floor_char_boundary(line, 160)];
    // Every pattern ends in a separator, a hyphen or a dash (U+2012 to
    // U+2015, which all start with the byte 0xE2): most lines have none.
    memchr::memchr2(b'-', 0xE2, head.as_bytes())?;
    PARSERS
        .iter()
        .find_map(|parse| match parse(head, markers) {
            ControlFlow::Break(verdict) => Some(verdict),
            ControlFlow::Continue(()) => None,
        })
        .flatten()
}

/// The verdict for a dateline from byte `start` to `end` of `head`.
fn found<'l>(
    head: &'l str,
    place: Option<&'l str>,
    outlet: Option<&'l str>,
    start: usize,
    end: usize,
) -> Step<'l> {
    ControlFlow::Break(Some(DatelineMatch {
        place,
        outlet,
        start,
        end: trim_end_at(head, end),
    }))
}

/// Whether group `group` has from `min` to `max` characters. Each check
/// stands for a bound in the pattern (see `DATELINE`); a run that breaks it
/// means no match.
fn within(c: &Groups<'_>, group: usize, min: usize, max: usize) -> bool {
    c.get(group).is_some_and(|m| chars_within(m.text, min, max))
}

/// The text of group `group`, which the pattern always has.
fn group<'l>(c: &Groups<'l>, group: usize) -> &'l str {
    c.get(group).map_or("", |m| m.text)
}

/// The end of the whole match.
fn end(c: &Groups<'_>) -> usize {
    c.get(0).map_or(0, |m| m.end)
}

/// `Laporan Wartawan X, Name OUTLET.COM, PLACE -`: a reporter credit
/// glued before the dateline, which starts at the outlet.
fn reporter_credit<'l>(head: &'l str, _: &Markers) -> Step<'l> {
    // No letter of `laporan` has a case-insensitive match outside ASCII.
    let report = head
        .as_bytes()
        .get(..7)
        .is_some_and(|h| h.eq_ignore_ascii_case(b"laporan"));
    let Some(c) = report
        .then(|| report_captures(head))
        .flatten()
        .filter(|c| within(c, 1, 0, 100))
    else {
        return ControlFlow::Continue(());
    };
    let Some(outlet) = c.get(2) else {
        return ControlFlow::Break(None);
    };
    let place = c.get(3).map(|m| m.text);
    found(head, place, Some(outlet.text), outlet.start, end(&c))
}

/// `Jakarta (ANTARA) -`, with at most four words in each place.
fn paren<'l>(head: &'l str, _: &Markers) -> Step<'l> {
    let places_of_four = |c: &Groups<'_>| {
        group(c, 1)
            .split(',')
            .all(|place| place.split_whitespace().count() <= 4)
    };
    match LOCAL
        .with(|patterns| patterns.paren.captures(head))
        .filter(|c| within(c, 2, 2, 40) && places_of_four(c))
    {
        Some(c) => found(head, Some(group(&c, 1)), Some(group(&c, 2)), 0, end(&c)),
        None => ControlFlow::Continue(()),
    }
}

/// `KONTAN.CO.ID – JAKARTA.`: the dateline ends at the place's stop.
fn domain_place<'l>(head: &'l str, _: &Markers) -> Step<'l> {
    match LOCAL
        .with(|patterns| patterns.domain_place.captures(head))
        .filter(|c| within(c, 2, 2, 31))
    {
        Some(c) => {
            let place_end = c.get(2).map_or(0, |m| m.end);
            found(
                head,
                Some(group(&c, 2)),
                Some(group(&c, 1)),
                0,
                place_end + 1,
            )
        }
        None => ControlFlow::Continue(()),
    }
}

/// `JAKARTA, KOMPAS.com —` or `Liputan6.com, Jakarta -`: two names, one of
/// them an outlet or in capitals. A pair that is not is no dateline.
fn pair<'l>(head: &'l str, markers: &Markers) -> Step<'l> {
    let Some(c) = LOCAL
        .with(|patterns| patterns.pair.captures(head))
        .filter(|c| within(c, 1, 1, 41) && within(c, 2, 1, 41))
    else {
        return ControlFlow::Continue(());
    };
    let (a, b) = (group(&c, 1), group(&c, 2));
    let outlet_a = is_outlet(a, markers);
    let outlet_b = is_outlet(b, markers);
    if !(is_name(a) && is_name(b) && (outlet_a || outlet_b || is_caps(a) || is_caps(b))) {
        return ControlFlow::Break(None);
    }
    if outlet_a && !outlet_b {
        found(head, Some(b), Some(a), 0, end(&c))
    } else {
        found(head, Some(a), Some(b), 0, end(&c))
    }
}

/// `Radarkoran.com -` (an outlet) or `SAMBAS —` (a place in capitals, at
/// most three words).
fn single<'l>(head: &'l str, markers: &Markers) -> Step<'l> {
    let Some(c) = LOCAL
        .with(|patterns| patterns.single.captures(head))
        .filter(|c| within(c, 1, 1, 41))
    else {
        return ControlFlow::Break(None);
    };
    let a = group(&c, 1);
    if is_outlet(a, markers) && is_name(a) {
        return found(head, None, Some(a), 0, end(&c));
    }
    if !is_caps(a) || a.split_whitespace().count() > 3 {
        return ControlFlow::Break(None);
    }
    found(head, Some(a), None, 0, end(&c))
}

/// One to four words that each start with a capital or a digit, or a domain.
fn is_name(s: &str) -> bool {
    let words = s.split_whitespace().count();
    (1..=4).contains(&words)
        && (is_domain(s)
            || s.split_whitespace()
                .all(|w| w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())))
}

/// Written in capitals only (digits and punctuation allowed), with letters.
fn is_caps(s: &str) -> bool {
    s.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !s.chars().any(char::is_lowercase)
}

/// A web domain such as `Radarkoran.com` or `SUARAKALBAR.ID`: no space,
/// and a label after a dot that is a known top-level domain.
fn is_domain(s: &str) -> bool {
    !s.contains(' ')
        && s.split('.')
            .skip(1)
            .any(|label| data::is_top_level_domain(label.as_bytes()))
}

/// A domain, or a name with an outlet hint in it (`KLIKANGGARAN`, `CNN Indonesia`).
fn is_outlet(s: &str, markers: &Markers) -> bool {
    is_domain(s) || markers.outlet_hints.is_match(s)
}

/// Compiles the dateline patterns now (see [`super::prepare`]), the
/// reporter-line pattern among them ([`REPORT_BOUNDED`], needed only for
/// a long place, still waits for one).
pub(super) fn prepare() {
    LazyLock::force(&DATELINE);
    LazyLock::force(&REPORT);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spans of every group of a match, as `Regex::captures` gives them.
    fn spans(c: Option<regex::Captures<'_>>) -> Option<Vec<Option<(usize, usize)>>> {
        c.map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
    }

    /// The spans of every group of a searcher's match.
    fn searched(c: Option<Groups<'_>>, groups: usize) -> Option<Vec<Option<(usize, usize)>>> {
        assert!(
            groups <= 4,
            "a pattern with more groups than `Groups` holds"
        );
        c.map(|c| c.spans[..groups].to_vec())
    }

    #[test]
    fn reporter_lines_match_as_the_bounded_pattern_does() {
        let place = |n: usize| "A".repeat(n);
        let mut heads = vec![
            "Laporan Wartawan Warta Kita, Budi WARTAKITA.COM, SUKAMAJU - Warga".to_owned(),
            "Laporan Wartawan Warta Kita, Budi WARTAKITA.COM - Warga".to_owned(),
            "LAPORAN REPORTER Ani Warta.com, KOTA BARU -- isi".to_owned(),
            "Laporan koresponden Ani Warta.com, Kota - isi".to_owned(),
            "Laporan Wartawan Ani tanpa domain - isi".to_owned(),
            "Laporan wartawanku Ani Warta.com - isi".to_owned(),
            "laporan wartawan Ani Warta.com, BANDUNG BARAT – isi".to_owned(),
        ];
        // Places around the bound, and one far past it that the
        // unbounded pattern takes and the bounded one must not.
        for n in [2, 30, 31, 32, 33, 60] {
            heads.push(format!(
                "Laporan Wartawan Ani Warta.com, {} - isi",
                place(n)
            ));
            heads.push(format!(
                "Laporan Wartawan Ani Warta.com, {} X - Y - isi",
                place(n)
            ));
        }
        let mut fell_back = false;
        for head in &heads {
            let fast = LOCAL_REPORT.with(|report| report.captures(head));
            fell_back |= fast
                .and_then(|c| c.get(3))
                .is_some_and(|p| p.text.chars().count() > REPORT_PLACE_CHARS);
            assert_eq!(
                searched(report_captures(head), 4),
                spans(REPORT_BOUNDED.captures(head)),
                "{head}"
            );
        }
        assert!(fell_back, "no case reached the bounded pattern");
    }

    #[test]
    fn a_searcher_finds_what_its_pattern_captures_search_after_search() {
        // Matches with and without the optional groups, and lines that do
        // not match, one after the other on the same searchers: nothing of
        // one search may be left in the next one's groups.
        let heads = [
            "Jakarta (ANTARA) - Isi berita.",
            "Bratislava, Slovakia (ANTARA) - Isi.",
            "JAKARTA, KOMPAS.com — Pegawai negeri diminta netral.",
            "tanpa tanggal di sini",
            "KONTAN.CO.ID – JAKARTA. Isi berita.",
            "Radarkoran.com - Isi.",
            "SAMBAS — Isi.",
            "Liputan6.com, Jakarta - Isi.",
            "Laporan Wartawan Ani Warta.com, KOTA BARU - isi",
            "Laporan Wartawan Ani Warta.com - isi",
            "Prabowo-Gibran berkampanye",
            "",
            "Laporan Wartawan Ani Warta.com, KOTA BARU - isi",
        ];
        LOCAL.with(|local| {
            let patterns = [
                (&local.paren, &DATELINE.paren),
                (&local.pair, &DATELINE.pair),
                (&local.domain_place, &DATELINE.domain_place),
                (&local.single, &DATELINE.single),
            ];
            for round in 0..2 {
                for head in heads {
                    for (searcher, regex) in patterns {
                        let groups = regex.captures_len();
                        assert_eq!(
                            searched(searcher.captures(head), groups),
                            spans(regex.captures(head)),
                            "{head} with {regex} (round {round})"
                        );
                    }
                    let groups = REPORT.captures_len();
                    assert_eq!(
                        searched(LOCAL_REPORT.with(|r| r.captures(head)), groups),
                        spans(REPORT.captures(head)),
                        "{head} (round {round})"
                    );
                }
            }
        });
    }
}
