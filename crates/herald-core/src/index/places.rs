//! A filter in front of the probes, keyed by single segments: most shapes
//! a topic could match are ruled out by one of its segments before any
//! shape's key is computed.
//!
//! The first [`PLACE_BITS`] shapes the index registers (exact or open,
//! whatever lengths they fit) have a bit. For every literal of every
//! pattern of such a shape at one of the first [`PLACES`] places from the
//! start, the word chosen by the literal's term (its keyed hash weighed by
//! its place) gets the shape's bit. A topic then ANDs, over its first
//! segments, the word of each segment's term with the bits of the shapes
//! that have no literal at that place: a shape whose bit survives (among
//! those that fit the topic's length) has, at each of its literal places,
//! some pattern with that segment there. That is necessary for a match,
//! not sufficient, so survivors are probed as before; a clear bit is
//! always right. Words are shared by hash, so collisions only let more
//! through. No word depends on the topic's length, so a match looks each
//! segment's word up as soon as it has hashed the segment.
//!
//! The index keeps a second filter of this kind for pairs of literals at
//! adjacent places ([`pair_term`]), which rules shapes out where every
//! word sits at every place of them but only some pairs do.
//!
//! As in the key filter, bits are never cleared: removals are counted, and
//! the words are rebuilt from the live patterns once stale literals
//! outnumber live ones or the array is due to grow. This module never
//! answers "present" and never hashes text; the index gives it terms.

/// How many shapes the filter tells apart: one bit each in a word.
/// Further shapes are always probed.
pub(crate) const PLACE_BITS: usize = 64;

/// How many places from the start the filter covers: the segments of a
/// topic whose terms a match keeps on the stack. Literals further on are
/// not filed (any segment passes there).
pub(crate) const PLACES: usize = 16;

/// The smallest array, in words.
const MIN_WORDS: usize = 64;

/// The largest array, in words (512 KiB): past this many distinct literal
/// places the words would be mostly full anyway.
const MAX_WORDS: usize = 1 << 16;

/// The term of two segments at adjacent places (each already weighted by
/// its place), for the pair filter: a [`PlaceFilter`] of its own whose
/// words are chosen by this instead of a single term.
#[inline(always)]
pub(crate) fn pair_term(first: u64, second: u64) -> u64 {
    first.rotate_left(29) ^ second
}

/// Where a term's word is among `mask + 1` words (a power of two, at most
/// [`MAX_WORDS`]): its top 16 bits, masked.
#[inline(always)]
fn word_index(term: u64, mask: usize) -> usize {
    (term >> 48) as usize & mask
}

/// A filter's words, as one match reads them.
#[derive(Clone, Copy)]
pub(crate) struct PlaceWords<'a> {
    words: &'a [u64],
    /// The length less one.
    mask: usize,
}

impl PlaceWords<'_> {
    /// The shapes (as bits) that may have a pattern with the segment of
    /// `term` (its keyed hash weighed by its place) at that place.
    #[inline(always)]
    pub(crate) fn word(self, term: u64) -> u64 {
        *self
            .words
            .get(word_index(term, self.mask))
            .unwrap_or(&u64::MAX)
    }
}

/// Bits of shapes by (place, segment hash).
#[derive(Debug, Clone)]
pub(crate) struct PlaceFilter {
    /// A power of two of them, at most [`MAX_WORDS`]: a term's word is
    /// its top 16 bits, masked.
    words: Box<[u64]>,
    /// Literals whose bits are set.
    live: usize,
    /// Literals removed since the last rebuild, whose bits may linger.
    stale: usize,
}

impl Default for PlaceFilter {
    fn default() -> Self {
        PlaceFilter::with_words(MIN_WORDS)
    }
}

impl PlaceFilter {
    /// An empty filter of `words` words (a power of two).
    fn with_words(words: usize) -> Self {
        PlaceFilter {
            words: vec![0; words].into_boxed_slice(),
            live: 0,
            stale: 0,
        }
    }

    /// The words, for the lookups of one match.
    #[inline(always)]
    pub(crate) fn words(&self) -> PlaceWords<'_> {
        // Never empty (an array has at least `MIN_WORDS`); saying so here
        // lets the compiler drop the bound check of every lookup, whose
        // index is masked by the length less one.
        static NONE_RULED_OUT: [u64; 1] = [u64::MAX];
        let words = match self.words.is_empty() {
            true => &NONE_RULED_OUT[..],
            false => &self.words[..],
        };
        PlaceWords {
            words,
            mask: words.len() - 1,
        }
    }

    fn set(&mut self, term: u64, bit: usize) {
        let at = word_index(term, self.words.len().wrapping_sub(1));
        if let Some(word) = self.words.get_mut(at) {
            *word |= 1 << (bit % PLACE_BITS);
        }
    }

    /// Records a literal of a new pattern: its term and its shape's bit.
    /// `Err(())` asks the caller to rebuild the filter
    /// ([`sized_for`](Self::sized_for), then [`add`](Self::add)) with
    /// every live literal: the array is due to grow.
    pub(crate) fn insert(&mut self, term: u64, bit: usize) -> Result<(), ()> {
        self.live += 1;
        if self.live > self.words.len() && self.words.len() < MAX_WORDS {
            return Err(());
        }
        self.set(term, bit);
        Ok(())
    }

    /// Records that `literals` literals left. `Err(())` asks for a rebuild:
    /// stale bits outnumber live ones.
    pub(crate) fn remove(&mut self, literals: usize) -> Result<(), ()> {
        self.live -= literals;
        self.stale += literals;
        if self.stale > self.live.max(MIN_WORDS) {
            return Err(());
        }
        Ok(())
    }

    /// Literals whose bits are set.
    pub(crate) fn live(&self) -> usize {
        self.live
    }

    /// An empty filter sized for about `literals` live literals, for a
    /// rebuild that [`add`](Self::add)s every live one.
    pub(crate) fn sized_for(literals: usize) -> Self {
        let words = literals.next_power_of_two().clamp(MIN_WORDS, MAX_WORDS);
        PlaceFilter::with_words(words)
    }

    /// Sets the bit of one live literal during a rebuild.
    pub(crate) fn add(&mut self, term: u64, bit: usize) {
        self.live += 1;
        self.set(term, bit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_bit_is_always_found_and_rebuilds_keep_only_the_live_ones() {
        let mut filter = PlaceFilter::default();
        let literals: Vec<(u64, usize)> = (1..=500u64)
            .map(|n| {
                (
                    n.wrapping_mul(0x9e37_79b9_7f4a_7c15),
                    n as usize % PLACE_BITS,
                )
            })
            .collect();
        for (count, &(term, bit)) in literals.iter().enumerate() {
            if filter.insert(term, bit).is_err() {
                filter = PlaceFilter::sized_for(count + 1);
                for &(term, bit) in &literals[..=count] {
                    filter.add(term, bit);
                }
            }
        }
        for &(term, bit) in &literals {
            assert_ne!(filter.words().word(term) & 1 << bit, 0);
        }
        assert!(filter.remove(400).is_err());
        filter = PlaceFilter::sized_for(filter.live());
        for &(term, bit) in &literals[..100] {
            filter.add(term, bit);
        }
        assert_eq!(filter.live(), 100);
        for &(term, bit) in &literals[..100] {
            assert_ne!(filter.words().word(term) & 1 << bit, 0);
        }
        let cleared = literals[100..]
            .iter()
            .filter(|&&(term, bit)| filter.words().word(term) & 1 << bit == 0)
            .count();
        assert!(cleared > 300, "{cleared} of 400 removed literals cleared");
    }
}
