//! Stage 5: paragraph scores with evidence, from lexicon matches.
//!
//! Each topic's score is a noisy-or of the weights of the distinct terms and
//! rules that fired for it: `1 − Π(1 − wᵢ)`, so two medium cues make a strong
//! one, and one term repeated adds nothing. A topic scores zero when the
//! article lacks a context the lexicon requires for it (an article that never
//! mentions elections has no `sanction_threat`, however often it says
//! `sanksi`).

use std::fmt;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::clean::Paragraph;
use crate::lexicon::{Allowed, Found, Lexicon, Match, Negated, Target};
use crate::topic::Topic;

/// A score in [0, 1] for each of the eight topics.
#[derive(Clone, Copy, Default, PartialEq)]
pub struct TopicScores([f32; Topic::COUNT]);

impl TopicScores {
    /// The score of `topic`, in [0, 1].
    pub fn get(&self, topic: Topic) -> f32 {
        self.0[topic.index()]
    }

    /// The topics with a non-zero score, with their scores, in contract order.
    pub fn iter(&self) -> impl Iterator<Item = (Topic, f32)> + '_ {
        Topic::ALL
            .into_iter()
            .map(|t| (t, self.get(t)))
            .filter(|&(_, s)| s > 0.0)
    }

    pub(crate) fn set(&mut self, topic: Topic, score: f32) {
        self.0[topic.index()] = score.clamp(0.0, 1.0);
    }
}

impl fmt::Debug for TopicScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Serializes as a map of the non-zero scores, rounded to three decimals.
impl Serialize for TopicScores {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (topic, score) in self.iter() {
            map.serialize_entry(topic.id(), &round3(score))?;
        }
        map.end()
    }
}

fn round3(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

/// Why a piece of evidence counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason {
    /// A lexicon term matched.
    Term,
    /// A proximity rule fired: its terms matched close together.
    Near,
    /// The paragraph points back to the previous one and inherits its topic.
    CarryOver,
}

/// One piece of evidence for a topic: what matched, and where.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence<'a> {
    /// The topic the evidence counts for.
    pub topic: Topic,
    /// The lexicon term or rule name that matched.
    pub term: &'a str,
    /// Start of the matched words, in bytes into the original text.
    pub start: usize,
    /// End (exclusive) of the matched words, in bytes into the original text.
    pub end: usize,
    /// Why it counts.
    pub rule: Reason,
    /// Whether a negation cue stood just before the match.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub negated: bool,
}

/// The scores and evidence of one paragraph.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scored<'a> {
    pub scores: TopicScores,
    pub evidence: Vec<Evidence<'a>>,
    /// A phrase pointing back to the previous paragraph, when there is one.
    pub back_reference: Option<(usize, usize)>,
    /// The topics the paragraph carries (set by [`carry_over`]).
    pub labels: Vec<Topic>,
}

/// How many content paragraphs count as the title and lead.
pub(crate) const LEAD_PARAGRAPHS: usize = 2;

/// Scores every content paragraph from its matches, where the topics'
/// contexts are there; `None` for boilerplate.
pub(crate) fn score_paragraphs<'a>(
    lexicon: &'a Lexicon,
    paragraphs: &[Paragraph],
    found: &[Vec<Found>],
    allowed: &[Allowed],
) -> Vec<Option<Scored<'a>>> {
    paragraphs
        .iter()
        .zip(found)
        .zip(allowed)
        .map(|((p, found), allowed)| {
            p.boilerplate
                .is_none()
                .then(|| score_paragraph(lexicon, found, allowed))
        })
        .collect()
}

/// A topic the title or lead carries lifts the weaker evidence for it
/// elsewhere in the article, by the topic's `lead_boost`.
pub(crate) fn boost_from_lead(lexicon: &Lexicon, scored: &mut [Option<Scored<'_>>]) {
    let lead: Vec<usize> = (0..scored.len())
        .filter(|&i| scored[i].is_some())
        .take(LEAD_PARAGRAPHS)
        .collect();
    for topic in Topic::ALL {
        let boost = lexicon.defs.topics[topic.index()].lead_boost;
        let in_lead = lead.iter().any(|&i| {
            scored[i]
                .as_ref()
                .is_some_and(|s| s.scores.get(topic) >= lexicon.threshold(topic))
        });
        if boost <= 0.0 || !in_lead {
            continue;
        }
        for (i, s) in scored.iter_mut().enumerate() {
            if let Some(s) = s.as_mut().filter(|_| !lead.contains(&i)) {
                let own = s.scores.get(topic);
                if own > 0.0 {
                    s.scores.set(topic, 1.0 - (1.0 - own) * (1.0 - boost));
                }
            }
        }
    }
}

/// Labels every content paragraph with the topics that reach their
/// thresholds; a paragraph that points back and has some evidence of its
/// own for a topic the previous content paragraph carries inherits it.
pub(crate) fn carry_over(lexicon: &Lexicon, scored: &mut [Option<Scored<'_>>]) {
    let mut previous: Option<usize> = None;
    for i in 0..scored.len() {
        let (before, rest) = scored.split_at_mut(i);
        let Some(current) = rest[0].as_mut() else {
            continue;
        };
        current.labels = Topic::ALL
            .into_iter()
            .filter(|&t| current.scores.get(t) >= lexicon.threshold(t))
            .collect();
        let prev = previous.and_then(|p| before[p].as_ref());
        if let (Some(prev), Some((start, end))) = (prev, current.back_reference) {
            inherit(lexicon, prev, current, (start, end));
        }
        previous = Some(i);
    }
}

/// The topics `current`, which points back at `at`, inherits from `prev`.
fn inherit(lexicon: &Lexicon, prev: &Scored<'_>, current: &mut Scored<'_>, at: (usize, usize)) {
    for &topic in &prev.labels {
        let own = current.scores.get(topic);
        if current.labels.contains(&topic) || own <= 0.0 {
            continue;
        }
        let inherited = prev.scores.get(topic) * lexicon.defs.carry_over;
        if own.max(inherited) >= lexicon.threshold(topic) {
            current.scores.set(topic, own.max(inherited));
            current.labels.push(topic);
            current.evidence.push(Evidence {
                topic,
                term: "carry_over",
                start: at.0,
                end: at.1,
                rule: Reason::CarryOver,
                negated: false,
            });
        }
    }
    current.labels.sort();
}

/// Scores one paragraph from its matches; `allowed[t]` says whether the
/// article has the contexts topic `t` requires.
pub(crate) fn score_paragraph<'a>(
    lexicon: &'a Lexicon,
    found: &[Found],
    allowed: &[bool; Topic::COUNT],
) -> Scored<'a> {
    let mut out = Scored::default();
    // Distinct (topic, source) pairs that fired, with their weights.
    let mut fired: Vec<(Topic, Source, f32)> = Vec::new();
    let mut fire = |topic: Topic, source: Source, weight: f32| {
        if !fired.iter().any(|&(t, s, _)| t == topic && s == source) {
            fired.push((topic, source, weight));
        }
    };

    for f in found {
        match f.m.target {
            Target::Term(i) => {
                let term = &lexicon.defs.terms[i as usize];
                let Some(topic) = resolve(term.topic, term.negated, f.negated) else {
                    continue;
                };
                let source = term.once_in_block.map_or(Source::Term(i), Source::Block);
                fire(topic, source, term.weight);
                out.evidence.push(Evidence {
                    topic,
                    term: &term.text,
                    start: f.m.start,
                    end: f.m.end,
                    rule: Reason::Term,
                    negated: f.negated,
                });
            }
            Target::BackReference => {
                out.back_reference.get_or_insert((f.m.start, f.m.end));
            }
            Target::Cue { .. } | Target::Context(_) | Target::Stop => {}
        }
    }

    // Cue words by rule and group, each in text order.
    let mut cues: Vec<Cue<'_>> = found
        .iter()
        .filter_map(|f| match f.m.target {
            Target::Cue { rule, group } => Some((rule, group, f)),
            _ => None,
        })
        .collect();
    cues.sort_by_key(|&(rule, group, _)| (rule, group));
    // Only the rules with a cue here, in lexicon order.
    let mut rest = &cues[..];
    while let Some(&(index, _, _)) = rest.first() {
        let (of_rule, after) = rest.split_at(rest.partition_point(|&(r, _, _)| r == index));
        rest = after;
        let rule = &lexicon.defs.rules[index as usize];
        let group = |g: u8| run(of_rule, |&(_, group, _)| group.cmp(&g));
        if (0..rule.groups as u8).any(|g| group(g).is_empty()) {
            continue;
        }
        let others: Vec<&[Cue<'_>]> = (1..rule.groups as u8).map(group).collect();
        for &(_, _, anchor) in group(0) {
            let Some(topic) = resolve(rule.topic, rule.negated, anchor.negated) else {
                continue;
            };
            let near: Option<Vec<&Found>> = others
                .iter()
                .map(|cues| nearest(cues, &anchor.m, rule.window))
                .collect();
            if let Some(near) = near {
                fire(topic, Source::Rule(index), rule.weight);
                for f in std::iter::once(anchor).chain(near) {
                    out.evidence.push(Evidence {
                        topic,
                        term: &rule.name,
                        start: f.m.start,
                        end: f.m.end,
                        rule: Reason::Near,
                        negated: f.negated,
                    });
                }
                break;
            }
        }
    }

    for topic in Topic::ALL {
        if !allowed[topic.index()] {
            continue;
        }
        let miss: f32 = fired
            .iter()
            .filter(|&&(t, _, _)| t == topic)
            .map(|&(_, _, w)| 1.0 - w)
            .product();
        out.scores.set(topic, 1.0 - miss);
    }
    out.evidence.retain(|e| allowed[e.topic.index()]);
    out.evidence.sort_by_key(|e| (e.start, e.end, e.topic));
    out
}

/// Where a topic's weight came from, so each term or rule counts once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Term(u32),
    /// Any term of a block whose terms count once.
    Block(u32),
    Rule(u32),
}

/// The topic a match counts for, given the entry's negation behaviour.
fn resolve(topic: Topic, negated: Negated, is_negated: bool) -> Option<Topic> {
    match (is_negated, negated) {
        (false, _) | (true, Negated::Keep) => Some(topic),
        (true, Negated::Drop) => None,
        (true, Negated::Topic(other)) => Some(other),
    }
}

/// The run of `sorted` items for which `order` is `Equal`.
fn run<T>(sorted: &[T], order: impl Fn(&T) -> std::cmp::Ordering) -> &[T] {
    let start = sorted.partition_point(|x| order(x).is_lt());
    let len = sorted[start..].partition_point(|x| order(x).is_eq());
    &sorted[start..start + len]
}

/// A cue word of a proximity rule: (rule, group, match).
type Cue<'f> = (u32, u8, &'f Found);

/// The match of `group` (in text order) nearest to `anchor`, if one lies
/// within `window` tokens of it. Looks only at the matches around the
/// anchor, so a paragraph with thousands of cue words stays linear.
fn nearest<'f>(group: &[Cue<'f>], anchor: &Match, window: usize) -> Option<&'f Found> {
    let split = group.partition_point(|&(_, _, f)| f.m.tokens.start < anchor.tokens.start);
    // Matches that start before the anchor, nearest first: once one ends
    // too far before it, so does every earlier one of no greater length.
    let before = group[..split]
        .iter()
        .rev()
        .take_while(|&&(_, _, f)| f.m.tokens.start + window + MAX_PHRASE >= anchor.tokens.start);
    let after = group[split..]
        .iter()
        .take_while(|&&(_, _, f)| f.m.tokens.start <= anchor.tokens.end + window);
    before
        .chain(after)
        .map(|&(_, _, f)| f)
        .filter(|f| distance(&f.m, anchor) <= window)
        .min_by_key(|f| distance(&f.m, anchor))
}

/// Longest phrase, in tokens, that [`nearest`] expects a cue to be; longer
/// cues that start far before an anchor may be missed by it.
const MAX_PHRASE: usize = 16;

/// Tokens between two matches (0 when they overlap).
fn distance(a: &Match, b: &Match) -> usize {
    if a.tokens.start >= b.tokens.end {
        a.tokens.start - b.tokens.end + 1
    } else if b.tokens.start >= a.tokens.end {
        b.tokens.start - a.tokens.end + 1
    } else {
        0
    }
}
