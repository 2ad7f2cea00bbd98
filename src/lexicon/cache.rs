//! The per-thread form cache: what the lexicon knows of each word form
//! seen, so that a form is normalized and stemmed once per thread.

use std::collections::HashMap;

use super::matching::TokenInfo;
use crate::fxhash::FxBuildHasher;

/// What the lexicon knows of each word form seen, keyed by the form as
/// written. Short forms (most words) are packed into the key itself, so a
/// lookup reads no string from elsewhere in memory, and the most recent
/// form per slot of a table that stays in the CPU's L2 cache answers most
/// lookups (nine in ten on the corpus) before the big map is asked.
pub(super) struct FormCache {
    recent: Box<[(u128, TokenInfo)]>,
    short: HashMap<u128, TokenInfo, FxBuildHasher>,
    long: HashMap<Box<str>, TokenInfo, FxBuildHasher>,
}

/// The longest form kept, in bytes.
const LONGEST_CACHED: usize = 256;

/// Slots of the small table: a power of two, 512 KiB of entries.
const RECENT_SLOTS: usize = 1 << 14;

impl Default for FormCache {
    fn default() -> Self {
        FormCache {
            recent: vec![(0, TokenInfo::BREAK); RECENT_SLOTS].into_boxed_slice(),
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
        let mixed = (key as u64 ^ (key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let slot = &mut self.recent[(mixed >> (64 - RECENT_SLOTS.trailing_zeros())) as usize];
        if slot.0 == key {
            return slot.1;
        }
        let found = *self.short.entry(key).or_insert_with(info);
        *slot = (key, found);
        found
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
        self.recent.fill((0, TokenInfo::BREAK));
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
