//! The per-thread form cache: what the lexicon knows of each word form
//! seen, so that a form is normalized and stemmed once per thread.

use std::collections::HashMap;

use super::matching::TokenInfo;
use crate::fxhash::FxBuildHasher;

/// What the lexicon knows of each word form seen, keyed by the form as
/// written. Short forms (most words) are packed into the key itself, so a
/// lookup reads no string from elsewhere in memory, and the two most
/// recent forms per set of a table the size of the CPU's L2 cache answer
/// most lookups (94 in 100 on the corpus) before the big map is asked.
/// Matching asks for a word's set ahead (see [`FormCache::prefetch`]), so
/// the table is read from memory while the word before is handled.
pub(super) struct FormCache {
    recent: Box<[RecentSet]>,
    short: HashMap<u128, TokenInfo, FxBuildHasher>,
    long: HashMap<Box<str>, TokenInfo, FxBuildHasher>,
}

/// Two forms of the recent table, the newer first, in one cache line.
#[derive(Clone, Copy)]
#[repr(align(64))]
struct RecentSet([(u128, TokenInfo); 2]);

impl RecentSet {
    const EMPTY: RecentSet = RecentSet([(0, TokenInfo::BREAK); 2]);
}

/// The longest form kept, in bytes.
const LONGEST_CACHED: usize = 256;

/// Sets of the small table: a power of two, 512 KiB of entries.
const RECENT_SETS: usize = 1 << 13;

impl Default for FormCache {
    fn default() -> Self {
        FormCache {
            recent: vec![RecentSet::EMPTY; RECENT_SETS].into_boxed_slice(),
            short: HashMap::default(),
            long: HashMap::default(),
        }
    }
}

impl FormCache {
    /// What the lexicon knows of the form `text[start..end]`.
    pub(super) fn get_or_insert_with(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        info: impl FnOnce() -> TokenInfo,
    ) -> TokenInfo {
        let Some(key) = Self::packed(text.as_bytes(), start, end) else {
            let form = text.get(start..end).unwrap_or_default();
            if form.len() > LONGEST_CACHED {
                // No word is this long: a run of junk is not kept.
                return info();
            }
            return match self.long.get(form) {
                Some(&found) => found,
                None => *self.long.entry(form.into()).or_insert_with(info),
            };
        };
        // Packed keys are never 0 (the length byte), so 0 marks an empty slot.
        let set = &mut self.recent[Self::set_of(key)].0;
        if set[0].0 == key {
            return set[0].1;
        }
        let found = if set[1].0 == key {
            set[1].1
        } else {
            *self.short.entry(key).or_insert_with(info)
        };
        // The newer form first; the older of the two leaves.
        set[1] = set[0];
        set[0] = (key, found);
        found
    }

    /// The recent table's set for the packed key `key`.
    #[inline]
    fn set_of(key: u128) -> usize {
        let mixed = (key as u64 ^ (key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (mixed >> (64 - RECENT_SETS.trailing_zeros())) as usize
    }

    /// Asks the processor to start reading the recent table's set for the
    /// form `text[start..end]`, to be looked up next: the table is larger
    /// than the first-level cache, and most lookups would otherwise wait
    /// for it. Only a hint: nothing changes, and elsewhere than on x86-64
    /// it does nothing.
    #[inline]
    pub(super) fn prefetch(&self, text: &str, start: usize, end: usize) {
        #[cfg(target_arch = "x86_64")]
        if let Some(key) = Self::packed(text.as_bytes(), start, end)
            && let Some(set) = self.recent.get(Self::set_of(key))
        {
            use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
            // SAFETY: a prefetch reads nothing into the program and never
            // faults, whatever the address; this one is a live reference.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(set).cast()) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = (text, start, end);
    }

    /// The bytes `start..end` of `text` and their count in one number (the
    /// count in the last byte), for forms under 16 bytes.
    ///
    /// Read as one 16-byte load and a mask where the text goes on that far
    /// (nearly always): a copy of a variable length there would cost more
    /// than the whole lookup.
    fn packed(text: &[u8], start: usize, end: usize) -> Option<u128> {
        let len = end.checked_sub(start).filter(|&len| len < 16)?;
        if let Some(chunk) = text.get(start..start + 16) {
            let raw = u128::from_le_bytes(chunk.try_into().ok()?);
            return Some(raw & ((1 << (8 * len)) - 1) | (len as u128) << 120);
        }
        // Near the end of the text: a plain copy, rarely taken.
        let mut key = [0; 16];
        key[..len].copy_from_slice(text.get(start..end)?);
        key[15] = len as u8;
        Some(u128::from_le_bytes(key))
    }

    pub(super) fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    pub(super) fn clear(&mut self) {
        self.recent.fill(RecentSet::EMPTY);
        self.short.clear();
        self.long.clear();
    }
}

/// How many word forms a thread caches before it starts afresh, so memory
/// stays flat on endless streams.
pub(super) const CACHE_LIMIT: usize = 200_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_gets_what_was_computed_for_it_the_first_time() {
        // Far more forms than the recent table holds, short ones (packed
        // keys) and long ones, so that sets overflow and the maps answer;
        // each asked for three times, in an order that mixes them.
        let forms: Vec<String> = (0..3 * RECENT_SETS as u32)
            .map(|i| match i % 3 {
                0 => format!("k{i}"),
                1 => format!("kata{i}x"),
                _ => format!("kata-yang-panjang-{i}"),
            })
            .collect();
        let text = forms.join(" ");
        let mut spans = Vec::new();
        let mut at = 0;
        for form in &forms {
            spans.push((at, at + form.len()));
            at += form.len() + 1;
        }
        let mut cache = FormCache::default();
        let mut computed = 0;
        for round in 0..3u32 {
            for k in 0..spans.len() {
                // Round 0 in order, then with a stride that jumps about.
                let i = (k * [1, 7919, 104_729][round as usize]) % spans.len();
                let (start, end) = spans[i];
                if round > 0 {
                    cache.prefetch(&text, start, end);
                }
                let info = cache.get_or_insert_with(&text, start, end, || {
                    computed += 1;
                    TokenInfo::with_id(i as u32)
                });
                assert_eq!(
                    info,
                    TokenInfo::with_id(i as u32),
                    "{} in round {round}",
                    forms[i]
                );
            }
        }
        assert_eq!(computed, forms.len(), "each form computed once");
        assert_eq!(cache.len(), forms.len());
        cache.clear();
        assert_eq!(cache.len(), 0);
        let (start, end) = spans[0];
        let info = cache.get_or_insert_with(&text, start, end, || TokenInfo::with_id(7));
        assert_eq!(info, TokenInfo::with_id(7), "nothing survives a clear");
    }

    #[test]
    fn a_packed_key_is_the_bytes_and_their_count() {
        let text = "Pemilu 2024: ASN netral, kawan-kawan! é ü 😀 abcdefghijklmnop";
        let bytes = text.as_bytes();
        for start in 0..=bytes.len() {
            for end in start..=bytes.len() {
                let len = end - start;
                let expected = (len < 16).then(|| {
                    let mut key = [0; 16];
                    key[..len].copy_from_slice(&bytes[start..end]);
                    key[15] = len as u8;
                    u128::from_le_bytes(key)
                });
                assert_eq!(
                    FormCache::packed(bytes, start, end),
                    expected,
                    "{start}..{end}"
                );
            }
        }
        assert_eq!(FormCache::packed(bytes, 5, 3), None);
        assert_eq!(
            FormCache::packed(bytes, bytes.len() + 1, bytes.len() + 2),
            None
        );
    }
}
