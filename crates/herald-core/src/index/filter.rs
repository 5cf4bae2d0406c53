//! A two-bits-per-key filter in front of the table: most probes of a match
//! ask for a key no pattern has, and one word answers that in a few
//! instructions from an array 1/32 to 1/64 the table's size, which stays
//! in cache far longer than the table.
//!
//! It is a blocked Bloom filter: a key (the half of it that entries keep)
//! picks one 64-bit word by its low bits and two bits of that word by its
//! top twelve, so a test is one load however many bits it checks, and the
//! two bits cut the false positives of one bit at the same size by half or
//! more. A set pair may be a false positive (then the table is asked); a
//! clear bit is always right. Removing a key cannot clear its bits, so
//! removals are counted and the bits are rebuilt from the live keys once
//! stale ones outnumber them. The array grows with the table, 8 to 16 bits
//! per key: 1.5 to 6 % of absent keys pass, for 1 to 2 bytes per key
//! (until 2²⁰ words, 8 Mi keys; past that the word's bits and the pair's
//! overlap and more absent keys pass). This module never answers
//! "present"; the table does.

/// The fewest bits per key: the array doubles when there would be fewer.
const BITS_PER_KEY: usize = 8;

/// The smallest array: 8 words.
const MIN_WORDS: usize = 8;

/// The largest: a word for each value of the low 26 bits of a key's kept
/// half (512 MiB, past 2²⁸ patterns).
const MAX_WORDS: usize = 1 << 26;

#[derive(Debug, Clone)]
pub(crate) struct KeyFilter {
    words: Box<[u64]>,
    /// The words less one: a key's word is its kept half masked with this.
    mask: usize,
    live: usize,
    stale: usize,
}

impl Default for KeyFilter {
    fn default() -> Self {
        KeyFilter::with_words(MIN_WORDS)
    }
}

impl KeyFilter {
    /// An empty filter of `words` words (a power of two, 8 to 2²⁶).
    fn with_words(words: usize) -> Self {
        KeyFilter {
            words: vec![0; words].into_boxed_slice(),
            mask: words - 1,
            live: 0,
            stale: 0,
        }
    }

    fn bits_len(&self) -> usize {
        self.words.len() * 64
    }

    /// Whether a key (its kept half) may be present; `false` is certain.
    #[cfg(test)]
    pub(crate) fn may_contain(&self, key: u32) -> bool {
        self.bits().test(u64::from(key) << 32) != 0
    }

    /// The bits, for a loop of tests (a copy the compiler keeps in
    /// registers, whatever the loop calls).
    #[inline]
    pub(crate) fn bits(&self) -> FilterBits<'_> {
        FilterBits {
            words: &self.words,
            mask: self.mask,
        }
    }

    fn set(&mut self, key: u32) {
        let (at, first, second) = spots(key);
        if let Some(word) = self.words.get_mut(at & self.mask) {
            *word |= (1 << first) | (1 << second);
        }
    }

    /// Records a new key. `Err(())` asks the caller to [`rebuild`](Self::rebuild)
    /// with every live key: the array is due to grow.
    pub(crate) fn insert(&mut self, key: u32) -> Result<(), ()> {
        self.live += 1;
        if self.live * BITS_PER_KEY > self.bits_len() {
            return Err(());
        }
        self.set(key);
        Ok(())
    }

    /// Records that a key left. `Err(())` asks for a rebuild: stale bits
    /// outnumber live keys.
    pub(crate) fn remove(&mut self) -> Result<(), ()> {
        self.live -= 1;
        self.stale += 1;
        if self.stale > self.live.max(64) {
            return Err(());
        }
        Ok(())
    }

    /// Sets the bits of exactly `keys` (every live key), in an array sized
    /// for them.
    pub(crate) fn rebuild(&mut self, keys: impl ExactSizeIterator<Item = u32>) {
        let words = (keys.len() * BITS_PER_KEY / 64)
            .next_power_of_two()
            .clamp(MIN_WORDS, MAX_WORDS);
        *self = KeyFilter::with_words(words);
        self.live = keys.len();
        for key in keys {
            self.set(key);
        }
    }

    /// Heap bytes held.
    #[cfg(test)]
    pub(crate) fn bytes(&self) -> usize {
        self.words.len() * 8
    }
}

/// Where a key's bits are: its word (before masking) and the two bits in
/// it, from bits of the kept half that the word index leaves alone up to
/// 2²⁰ words.
#[inline(always)]
fn spots(key: u32) -> (usize, u32, u32) {
    (key as usize, key >> 26, (key >> 20) & 63)
}

/// A borrowed view of a [`KeyFilter`]'s bits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FilterBits<'a> {
    words: &'a [u64],
    /// The filter's mask, for the kept half of a key.
    mask: usize,
}

impl FilterBits<'_> {
    /// 1 if a 64-bit key may be present, 0 if it is certainly not (as a
    /// number, so that a loop can collect the answers without a branch).
    #[inline(always)]
    pub(crate) fn test(self, key: u64) -> u64 {
        // The kept half is the key's top 32 bits: [`spots`] read off the
        // whole key, each bit's place by a shift whose count wraps to its
        // low six bits (one instruction, no mask).
        let word = self
            .words
            .get((key >> 32) as usize & self.mask)
            .map_or(u64::MAX, |word| *word);
        word.wrapping_shr((key >> 58) as u32) & word.wrapping_shr((key >> 52) as u32) & 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_present_key_always_passes_and_most_absent_ones_do_not() {
        let keys: Vec<u32> = (1..=1000u64)
            .map(|n| (n.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as u32)
            .collect();
        let mut filter = KeyFilter::default();
        for &key in &keys {
            if filter.insert(key).is_err() {
                filter.rebuild(keys.iter().copied().take(filter.live));
            }
        }
        assert!(keys.iter().all(|&key| filter.may_contain(key)));
        let passed = (1..=10_000u64)
            .map(|n| (n.wrapping_mul(0xbf58_476d_1ce4_e5b9) >> 32) as u32)
            .filter(|&key| filter.may_contain(key))
            .count();
        assert!(passed < 700, "{passed} of 10,000 absent keys passed");
        assert!(filter.bytes() <= 1000 * 2 * BITS_PER_KEY / 8);
    }

    #[test]
    fn a_key_sets_two_bits_of_one_word_and_a_test_reads_exactly_those() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..2_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let key = (state >> 32) as u32;
            let mut filter = KeyFilter::default();
            filter.set(key);
            let set: Vec<(usize, u32)> = filter
                .words
                .iter()
                .enumerate()
                .flat_map(|(at, &word)| {
                    (0..64)
                        .filter(move |bit| word >> bit & 1 == 1)
                        .map(move |bit| (at, bit))
                })
                .collect();
            let (at, first, second) = spots(key);
            let mut expected = vec![(at & filter.mask, first), (at & filter.mask, second)];
            expected.sort_unstable();
            expected.dedup();
            assert_eq!(set, expected, "{key:#x}");
            assert!(filter.may_contain(key));
            // Any other bit pattern in the word: the test needs both bits.
            for (word, bit) in expected {
                filter.words[word] &= !(1 << bit);
                assert!(!filter.may_contain(key));
                filter.words[word] |= 1 << bit;
            }
        }
    }

    #[test]
    fn no_live_key_is_ever_turned_down_through_growth_removals_and_reuse() {
        // The index's protocol: insert (rebuild on `Err`), remove (rebuild
        // on `Err`), with keys coming back after they left; every live key
        // must pass after every step.
        let mut filter = KeyFilter::default();
        let mut live: Vec<u32> = Vec::new();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for step in 0..20_000u32 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // Keys from a small pool, so that removed ones are reused.
            let key = ((state % 3_000) as u32).wrapping_mul(0x9e37_79b9);
            match live.iter().position(|&held| held == key) {
                Some(at) if step % 3 != 0 => {
                    live.swap_remove(at);
                    if filter.remove().is_err() {
                        filter.rebuild(live.iter().copied());
                    }
                }
                Some(_) => {}
                None => {
                    live.push(key);
                    if filter.insert(key).is_err() {
                        filter.rebuild(live.iter().copied());
                    }
                }
            }
            if step % 97 == 0 || step > 19_900 {
                assert!(
                    live.iter().all(|&held| filter.may_contain(held)),
                    "a live key failed at step {step}"
                );
            }
        }
        assert!(!live.is_empty());
    }

    #[test]
    fn removals_ask_for_a_rebuild_once_stale_bits_dominate() {
        let mut filter = KeyFilter::default();
        let keys: Vec<u32> = (0..200u32)
            .map(|key| key.wrapping_mul(0x9e37_79b9))
            .collect();
        for (count, &key) in keys.iter().enumerate() {
            if filter.insert(key).is_err() {
                filter.rebuild(keys[..=count].iter().copied());
            }
        }
        assert!(keys.iter().all(|&key| filter.may_contain(key)));
        let mut asked = false;
        for _ in 0..150 {
            asked |= filter.remove().is_err();
        }
        assert!(asked);
    }
}
