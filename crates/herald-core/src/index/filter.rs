//! A one-bit-per-key filter in front of the table: most probes of a match
//! ask for a key no pattern has, and one bit answers that in a few
//! instructions from a bit array 1/16 to 1/32 the table's size, which stays
//! in cache where the table does not.
//!
//! It is a Bloom filter with one hash — a key's bit is the low bits of the
//! half of it that entries keep, one shift and one mask: a set bit may be
//! a false positive
//! (then the table is asked), a clear bit is always right. Removing a key
//! cannot clear its bit, so removals are counted and the bits are rebuilt
//! from the live keys once stale ones outnumber them. The array grows with
//! the table, 16 to 32 bits per key: 3 to 6 % of absent keys pass, for 2 to
//! 4 bytes per key. This module never answers "present"; the table does.

/// The fewest bits per key: the array doubles when there would be fewer.
const BITS_PER_KEY: usize = 16;

/// The smallest array: 8 words.
const MIN_BITS: usize = 512;

/// The largest: a bit for each value of a key's kept half (512 MiB, past
/// 2²⁶ patterns).
const MAX_BITS: usize = 1 << 32;

#[derive(Debug, Clone)]
pub(crate) struct KeyFilter {
    words: Box<[u64]>,
    /// The bits less one: a key's bit is its kept half masked with this.
    mask: usize,
    live: usize,
    stale: usize,
}

impl Default for KeyFilter {
    fn default() -> Self {
        KeyFilter::with_bits(MIN_BITS)
    }
}

impl KeyFilter {
    /// An empty filter of `bits` bits (a power of two, 512 to 2³²).
    fn with_bits(bits: usize) -> Self {
        KeyFilter {
            words: vec![0; bits / 64].into_boxed_slice(),
            mask: bits - 1,
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
        let bit = key as usize & self.mask;
        if let Some(word) = self.words.get_mut(bit / 64) {
            *word |= 1 << (bit % 64);
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
        let bits = (keys.len() * BITS_PER_KEY)
            .next_power_of_two()
            .clamp(MIN_BITS, MAX_BITS);
        *self = KeyFilter::with_bits(bits);
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

/// A borrowed view of a [`KeyFilter`]'s bits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FilterBits<'a> {
    words: &'a [u64],
    /// The filter's mask, for the kept half of a whole 64-bit key (its top
    /// 32 bits).
    mask: usize,
}

impl FilterBits<'_> {
    /// 1 if a 64-bit key may be present, 0 if it is certainly not (as a
    /// number, so that a loop can collect the answers without a branch).
    #[inline(always)]
    pub(crate) fn test(self, key: u64) -> u64 {
        // A constant shift and a mask: no variable shift to set up per
        // test. The word is always there (the mask is below the bits).
        let bit = (key >> 32) as usize & self.mask;
        self.words
            .get(bit / 64)
            .map_or(1, |word| (word >> (bit % 64)) & 1)
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
