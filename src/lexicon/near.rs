//! Proximity rules: which `[[near]]` rules fire in a paragraph, decided
//! while its tokens are matched, block by block, so that the paragraph's
//! cue words never pile up (a dense paragraph has a cue every few words).

use std::ops::Range;

use super::Lexicon;
use super::definitions::after_cues;
use crate::topic::Topic;

/// A cue word of a proximity rule, found among a paragraph's tokens.
#[derive(Debug, Clone)]
pub(super) struct Cue {
    pub rule: u32,
    pub group: u8,
    /// Whether a negation cue stands before it (asked of anchors only,
    /// the words of a rule's first group; `false` for the others).
    pub negated: bool,
    /// Whether a modality cue stands before it (anchors only, as above).
    pub hypothetical: bool,
    /// The matched tokens, as indices among the paragraph's tokens.
    pub tokens: Range<usize>,
    /// The matched bytes of the original text.
    pub bytes: Range<usize>,
}

/// A proximity rule that fires in a paragraph: its first anchor (a word of
/// its first group, in text order) with a word of every other group near.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NearHit {
    /// The rule, by index among the lexicon's rules.
    pub rule: u32,
    /// The topic it counts for, after the anchor's cues.
    pub topic: Topic,
    /// Whether a negation cue stands before the anchor.
    pub negated: bool,
    /// The anchor, then the nearest word of each other group (bytes).
    pub spans: Vec<Range<usize>>,
}

impl Lexicon {
    /// Adds to `out` the rules that fire given the cue words `cues` found
    /// so far (rules already in `out` have fired). `limit` is the first
    /// token not yet matched, `None` when the paragraph is done: an anchor
    /// whose nearest word may lie at or past it is decided with the next
    /// block, and `cues` keeps the words that decision (or a later
    /// anchor) may need; it is left empty after the last block. Whether a
    /// rule's `requires_nearby` holds is the scorer's business: it depends
    /// on the paragraphs around.
    pub(super) fn near_hits(
        &self,
        cues: &mut Vec<Cue>,
        limit: Option<usize>,
        out: &mut Vec<NearHit>,
    ) {
        // By rule and group, each in text order. Cues with equal keys are
        // the same words of the same group: their order does not matter.
        cues.sort_unstable_by_key(|c| (c.rule, c.group, c.tokens.start, c.tokens.end));
        // For each rule still open, the first token its cues are kept from.
        let mut keep: Vec<(u32, usize)> = Vec::new();
        let mut rest = &cues[..];
        while let Some(first) = rest.first() {
            let rule = first.rule;
            let (of_rule, after) = rest.split_at(rest.partition_point(|c| c.rule == rule));
            rest = after;
            if out.iter().any(|h| h.rule == rule) {
                continue;
            }
            match self.near_hit(of_rule, limit) {
                Ok(hit) => out.push(hit),
                Err(Some(from)) => keep.push((rule, from)),
                Err(None) => {}
            }
        }
        cues.retain(|c| {
            keep.binary_search_by_key(&c.rule, |&(rule, _)| rule)
                .is_ok_and(|i| c.tokens.start >= keep[i].1)
        });
    }

    /// Whether the rule of `of_rule` (its cues, sorted by group) fires on
    /// an anchor decided now (see [`Lexicon::near_hits`]); if not, the
    /// first token from which its cues must be kept for the next block.
    fn near_hit(&self, of_rule: &[Cue], limit: Option<usize>) -> Result<NearHit, Option<usize>> {
        let index = of_rule[0].rule;
        let rule = &self.defs.rules[index as usize];
        // A later anchor may take a cue that starts this far before it.
        let reach = rule.window + MAX_PHRASE;
        let mut keep_from = limit.map(|l| l.saturating_sub(reach));
        let group = |g: u8| run(of_rule, |c| c.group.cmp(&g));
        // The other groups' cues (looked up again where needed: a list of
        // them would be an allocation per rule and block).
        let others = || (1..rule.groups as u8).map(group);
        let complete = others().all(|cues| !cues.is_empty());
        for anchor in group(0) {
            if limit.is_some_and(|l| anchor.tokens.end + rule.window >= l) {
                // Its nearest word may be in the next block: decide there.
                keep_from = Some(anchor.tokens.start.saturating_sub(reach));
                break;
            }
            if !complete {
                continue;
            }
            let cues = (anchor.negated, anchor.hypothetical);
            let Some(topic) = after_cues(rule.topic, (rule.negated, rule.hypothetical), cues)
            else {
                continue;
            };
            let near: Option<Vec<&Cue>> = others()
                .map(|cues| nearest(cues, &anchor.tokens, rule.window))
                .collect();
            if let Some(near) = near {
                let spans = std::iter::once(anchor)
                    .chain(near)
                    .map(|c| c.bytes.clone())
                    .collect();
                return Ok(NearHit {
                    rule: index,
                    topic,
                    negated: anchor.negated,
                    spans,
                });
            }
        }
        Err(keep_from)
    }
}

/// The run of `sorted` items for which `order` is `Equal`.
fn run<T>(sorted: &[T], order: impl Fn(&T) -> std::cmp::Ordering) -> &[T] {
    let start = sorted.partition_point(|x| order(x).is_lt());
    let len = sorted[start..].partition_point(|x| order(x).is_eq());
    &sorted[start..start + len]
}

/// The cue of `group` (in text order) nearest to `anchor`, if one lies
/// within `window` tokens of it. Looks only at the cues around the anchor,
/// so a paragraph with thousands of cue words stays linear.
fn nearest<'c>(group: &'c [Cue], anchor: &Range<usize>, window: usize) -> Option<&'c Cue> {
    let split = group.partition_point(|c| c.tokens.start < anchor.start);
    // Cues that start before the anchor, nearest first: once one ends too
    // far before it, so does every earlier one of no greater length.
    let before = group[..split]
        .iter()
        .rev()
        .take_while(|c| c.tokens.start + window + MAX_PHRASE >= anchor.start);
    let after = group[split..]
        .iter()
        .take_while(|c| c.tokens.start <= anchor.end + window);
    before
        .chain(after)
        .filter(|c| distance(&c.tokens, anchor) <= window)
        .min_by_key(|c| distance(&c.tokens, anchor))
}

/// Longest phrase, in tokens, that [`nearest`] expects a cue to be; longer
/// cues that start far before an anchor may be missed by it.
const MAX_PHRASE: usize = 16;

/// Tokens between two matches (0 when they overlap).
fn distance(a: &Range<usize>, b: &Range<usize>) -> usize {
    if a.start >= b.end {
        a.start - b.end + 1
    } else if b.start >= a.end {
        b.start - a.end + 1
    } else {
        0
    }
}
