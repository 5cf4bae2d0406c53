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
//! The array is sized by the words in use, not by the literals filed: a
//! literal that recurs (the same word at the same place in many patterns)
//! sets a bit in a word already in use, so a small vocabulary keeps a
//! small array, whose words a match finds in cache. It grows once more
//! than [`CROWDED`] of its words are in use; terms that are all distinct
//! then get about a word each, as one word per literal gave before. Words
//! set by literals since removed count as in use until the next rebuild,
//! so once a literal has left, crowding waits for that rebuild (when stale
//! literals outnumber live ones): otherwise subscribers that come and go
//! with fresh words would make the array grow, a rebuild each time.
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

/// The share of words in use (5/8, as numerator and denominator) past
/// which the array grows.
const CROWDED: (usize, usize) = (5, 8);

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
    /// Words with any bit set.
    used: usize,
}

impl Default for PlaceFilter {
    fn default() -> Self {
        PlaceFilter::with_words(MIN_WORDS)
    }
}

impl PlaceFilter {
    /// An empty filter of `words` words (a power of two).
    pub(crate) fn with_words(words: usize) -> Self {
        PlaceFilter {
            words: vec![0; words].into_boxed_slice(),
            live: 0,
            stale: 0,
            used: 0,
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
            self.used += usize::from(*word == 0);
            *word |= 1 << (bit % PLACE_BITS);
        }
    }

    /// Whether more of the words are in use than [`CROWDED`] allows, and
    /// the array may still grow.
    fn crowded(&self) -> bool {
        let (share, of) = CROWDED;
        self.used * of > self.words.len() * share && self.words.len() < MAX_WORDS
    }

    /// Records a literal of a new pattern: its term and its shape's bit.
    /// `Err(())` asks the caller to rebuild the filter
    /// ([`with_words`](Self::with_words) of
    /// [`rebuild_words`](Self::rebuild_words), then [`add`](Self::add))
    /// with every live literal: the array is due to grow.
    pub(crate) fn insert(&mut self, term: u64, bit: usize) -> Result<(), ()> {
        self.live += 1;
        self.set(term, bit);
        if self.due_to_grow() {
            return Err(());
        }
        Ok(())
    }

    /// Crowded by live literals alone: none has left since the last
    /// rebuild, so no word in use is stale.
    fn due_to_grow(&self) -> bool {
        self.stale == 0 && self.crowded()
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
    #[cfg(test)]
    pub(crate) fn live(&self) -> usize {
        self.live
    }

    /// The words for a rebuild of this filter: twice as many if it is due
    /// to grow, as many otherwise (a rebuild for stale bits). After
    /// refilling, [`grown_words`](Self::grown_words) says whether the
    /// live literals alone crowd them.
    pub(crate) fn rebuild_words(&self) -> usize {
        match self.due_to_grow() {
            true => self.words.len() * 2,
            false => self.words.len(),
        }
    }

    /// Twice the words, if this (refilled) filter is crowded.
    pub(crate) fn grown_words(&self) -> Option<usize> {
        self.crowded().then(|| self.words.len() * 2)
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

    /// Files `literals` by the index's protocol: insert, and on `Err`
    /// rebuild from every literal so far, growing while crowded.
    fn filed(literals: &[(u64, usize)]) -> PlaceFilter {
        let mut filter = PlaceFilter::default();
        for (count, &(term, bit)) in literals.iter().enumerate() {
            if filter.insert(term, bit).is_err() {
                filter = refilled(&filter, &literals[..=count]);
            }
        }
        filter
    }

    /// A rebuild of `old` holding exactly `literals`.
    fn refilled(old: &PlaceFilter, literals: &[(u64, usize)]) -> PlaceFilter {
        let mut words = old.rebuild_words();
        loop {
            let mut fresh = PlaceFilter::with_words(words);
            for &(term, bit) in literals {
                fresh.add(term, bit);
            }
            match fresh.grown_words() {
                Some(more) => words = more,
                None => return fresh,
            }
        }
    }

    /// `count` literals of `distinct` terms, spread over the shape bits.
    fn literals(count: u64, distinct: u64) -> Vec<(u64, usize)> {
        (1..=count)
            .map(|n| {
                let term = (n % distinct + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                (term, n as usize % PLACE_BITS)
            })
            .collect()
    }

    #[test]
    fn a_set_bit_is_always_found_and_rebuilds_keep_only_the_live_ones() {
        let literals = literals(500, 500);
        let mut filter = filed(&literals);
        for &(term, bit) in &literals {
            assert_ne!(filter.words().word(term) & 1 << bit, 0);
        }
        assert!(filter.remove(400).is_err());
        filter = refilled(&filter, &literals[..100]);
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

    #[test]
    fn the_array_grows_with_distinct_terms_not_with_literals() {
        // 20,000 literals of 100 terms: the words of a small vocabulary.
        let recurring = literals(20_000, 100);
        let small = filed(&recurring);
        assert!(small.words.len() <= 256, "{} words", small.words.len());
        // 20,000 distinct terms: about a word each, and never crowded.
        let distinct = literals(20_000, 20_000);
        let large = filed(&distinct);
        assert!(large.words.len() >= 16_384, "{} words", large.words.len());
        for filter in [&small, &large] {
            assert!(!filter.crowded());
            assert_eq!(
                filter.used,
                filter.words.iter().filter(|&&word| word != 0).count()
            );
        }
        for (filter, literals) in [(&small, &recurring), (&large, &distinct)] {
            for &(term, bit) in literals {
                assert_ne!(filter.words().word(term) & 1 << bit, 0);
            }
        }
    }

    #[test]
    fn a_refill_that_is_still_crowded_grows_again() {
        // A filter asked to grow doubles; a refill the live terms still
        // crowd doubles again, until it is not crowded.
        let distinct = literals(5_000, 5_000);
        let mut cramped = PlaceFilter::with_words(MIN_WORDS);
        for &(term, bit) in &distinct {
            cramped.add(term, bit);
        }
        assert!(cramped.due_to_grow());
        assert_eq!(cramped.rebuild_words(), 2 * MIN_WORDS);
        let fresh = refilled(&cramped, &distinct);
        assert!(!fresh.crowded());
        assert!(fresh.words.len() >= 4_096);
    }

    #[test]
    fn literals_that_come_and_go_do_not_make_the_array_grow() {
        // 2,000 live literals of 100 terms, then 1,500 subscribers that
        // each file a fresh term and leave: their words stay set until a
        // rebuild, but the array does not grow for them.
        let live = literals(2_000, 100);
        let mut filter = filed(&live);
        let words = filter.words.len();
        for n in 0..1_500u64 {
            let fresh = (n + 1_000_000).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            assert!(filter.insert(fresh, 3).is_ok(), "grew at {n}");
            assert!(filter.remove(1).is_ok(), "rebuilt at {n}");
        }
        assert_eq!(filter.words.len(), words);
        assert!(filter.used * 8 > words * 5, "the fresh words crowd it");
        // The rebuild for stale bits keeps the size, and the live terms
        // alone do not crowd it.
        assert_eq!(filter.rebuild_words(), words);
        let fresh = refilled(&filter, &live);
        assert_eq!(fresh.words.len(), words);
        assert!(!fresh.crowded());
    }
}
