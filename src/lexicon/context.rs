//! Contexts: which topics an article (and a paragraph's neighbourhood) may
//! carry at all, from the context words its paragraphs matched.

use super::Lexicon;
use super::matching::Matches;
use crate::clean::Paragraph;
use crate::topic::Topic;

/// What may count in a paragraph.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Allowed {
    /// Per topic, whether it may count at all.
    pub topics: [bool; Topic::COUNT],
    /// The contexts (bit `c` for context `c`) that match in the paragraph
    /// or a content paragraph next to it, for entries with their own
    /// `requires_nearby`.
    pub near: u64,
}

impl Lexicon {
    /// For each paragraph (with its matches `found`, none for
    /// boilerplate), the topics whose contexts are
    /// there: in the article as often as each context's `min_hits`, and,
    /// for a topic that `requires_nearby`, in the paragraph or a content
    /// paragraph next to it.
    pub(crate) fn allowed_topics(
        &self,
        paragraphs: &[Paragraph],
        found: &[Matches],
    ) -> Vec<Allowed> {
        let defs = &self.defs;
        let mut context_hits = vec![0usize; defs.contexts.len()];
        for m in found {
            for (hits, &n) in context_hits.iter_mut().zip(&m.contexts) {
                *hits += n as usize;
            }
        }
        let in_article: [bool; Topic::COUNT] = std::array::from_fn(|t| {
            defs.topics[t]
                .requires
                .iter()
                .all(|&c| context_hits[c] >= defs.contexts[c].min_hits)
        });
        nearby_contexts(paragraphs, found)
            .into_iter()
            .map(|near| Allowed {
                topics: std::array::from_fn(|t| {
                    let nearby = &defs.topics[t].requires_nearby;
                    in_article[t]
                        && (nearby.is_empty() || nearby.iter().any(|&c| near >> c & 1 == 1))
                }),
                near,
            })
            .collect()
    }
}

/// For each paragraph, which contexts (bit `c` for context `c`) match in it
/// or in the content paragraph before or after it.
fn nearby_contexts(paragraphs: &[Paragraph], found: &[Matches]) -> Vec<u64> {
    let own: Vec<u64> = found.iter().map(Matches::context_bits).collect();
    let content: Vec<usize> = (0..paragraphs.len())
        .filter(|&i| paragraphs[i].boilerplate.is_none())
        .collect();
    let mut near = vec![0; paragraphs.len()];
    for (k, &i) in content.iter().enumerate() {
        let neighbours = &content[k.saturating_sub(1)..(k + 2).min(content.len())];
        near[i] = neighbours.iter().fold(0, |hits, &j| hits | own[j]);
    }
    near
}
