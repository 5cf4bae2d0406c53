//! The match index: subscriptions found by shape and hashed literals, so that
//! one match is a handful of independent lookups instead of a walk.
//!
//! Every pattern whose literals sit at fixed places ([`shape`]) is one entry
//! of a single hash table, keyed by its shape and the hashes of its literals
//! at their places. A topic is split and checked in one scan
//! ([`segment_ends`], or [`split_topic`] from 64 bytes on), each segment
//! hashed once with its position; then, for every shape that fits the topic's length, the key of the
//! topic's segments at that shape's places is a sum of those hashes (minus
//! the segments under a `*`), and one table lookup answers whether a pattern
//! of that shape matches. The lookups do not depend on one another, so the
//! memory system overlaps them. A hash match is always confirmed against the
//! entry's literal text, so colliding hashes cost time, never a wrong answer.
//!
//! Patterns whose literals float (two `#`, or `#` then literals then `>`)
//! and patterns of shapes past [`shape::MAX_SHAPES`] live in a [`Trie`],
//! walked only when it holds any. The work of one match is therefore at most
//! one probe per shape plus the trie's bound, `nodes × (segments + 1)`.
//!
//! A topic of 8 to 63 bytes of at most [`SHORT_SEGMENTS`] segments of at
//! most 16 bytes each, matched while the trie is empty, keeps its
//! segments' terms in arrays on the stack and needs no [`MatchScratch`];
//! any other topic (or one that passes more probes than the stack holds
//! candidates) takes the same probes with its terms in the caller's
//! scratch (see `match_long`).
//!
//! Nothing here recurses, and nothing allocates while matching unless the
//! topic has more than 16 segments, more than 8 probes pass the key filter
//! or the trie walk has more than 32 live states (a kept [`MatchScratch`]
//! pays that once). The module never decides what
//! the ids mean or in which order they go out; the router does.

mod confirm;
mod entry;
mod filter;
mod hasher;
mod ids;
mod places;
mod shape;

use std::fmt;

use hashbrown::HashTable;
use smallvec::SmallVec;

pub(crate) use ids::{IdSet, Ids};

use crate::limits::Limits;
use crate::matcher::{Candidates, MatchScratch, MatchStats, Trie, WalkBuffers};
use crate::pattern::{Pattern, Segment};
use crate::topic::SyntaxError;
use crate::topic::{segment_ends, split_topic};
use entry::{Entry, kept_half, table_hash};
use filter::{FilterBits, KeyFilter};
use hasher::{Padded, SecretKeys, SegmentHasher, hash_bytes, word_at};
use places::{PLACES, PlaceFilter, pair_term};
use shape::{Anchor, Layout, ShapeId, Shapes};

/// Subscriptions by pattern, matched by shape probes and a trie for the rest.
///
/// `S` hashes segments; the router uses a secretly keyed one
/// ([`SecretKeys`]). Tests plug in a degenerate one to force every key into
/// one bucket.
#[derive(Clone)]
pub(crate) struct Index<S = SecretKeys> {
    hashing: S,
    shapes: Shapes,
    table: HashTable<Entry>,
    filter: KeyFilter,
    places: PlaceFilter,
    /// The place filter's words for pairs of literals at adjacent places.
    pairs: PlaceFilter,
    /// At `[i]`: the weight of place `i` from the start ([`weigh`]), for
    /// the places a short match keeps. A match multiplies by it in memory,
    /// next to the rest it reads through `self`, instead of keeping one
    /// more counter in a register.
    start_weights: [u64; SHORT_SEGMENTS],
    trie: Trie<IdSet>,
}

impl Default for Index {
    fn default() -> Self {
        Index::with_hasher(SecretKeys::default())
    }
}

impl<S> fmt::Debug for Index<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Index")
            .field("shapes", &self.shapes.len())
            .field("entries", &self.table.len())
            .field("trie", &self.trie)
            .finish()
    }
}

/// The weighted hashes of one pattern's literals.
type LiteralTerms = SmallVec<[u64; 8]>;

/// A table key: a shape's salt plus its literals' weighted hashes.
fn key_of(salt: u64, terms: &[u64]) -> u64 {
    terms.iter().fold(salt, |key, &term| key.wrapping_add(term))
}

/// Multiplies the hash of an end-anchored segment (with an odd number per
/// distance), so that it never weighs the same as a start-anchored one.
const FROM_END: u64 = 0x9e37_79b9_7f4a_7c15;

/// The weight of a segment hash at `anchor` in a key. Every weight is odd, so
/// multiplying keeps all 64 bits of the (secretly keyed) segment hash; the
/// place is in the weight, the text in the hash, and a key is a sum of them.
#[inline]
fn weigh(anchor: Anchor, hash: u64) -> u64 {
    let weight = match anchor {
        Anchor::Start(index) => 2 * index as u64 + 1,
        Anchor::End(distance) => (2 * distance as u64 + 1).wrapping_mul(FROM_END),
    };
    hash.wrapping_mul(weight)
}

impl<S: SegmentHasher> Index<S> {
    pub(crate) fn with_hasher(hashing: S) -> Self {
        Index {
            hashing,
            shapes: Shapes::default(),
            table: HashTable::new(),
            filter: KeyFilter::default(),
            places: PlaceFilter::default(),
            pairs: PlaceFilter::default(),
            start_weights: std::array::from_fn(|place| 2 * place as u64 + 1),
            trie: Trie::new(),
        }
    }

    /// Distinct patterns held.
    pub(crate) fn pattern_count(&self) -> usize {
        self.table.len() + self.trie.pattern_count()
    }

    /// Storage units: one per table entry, one per trie node (the root
    /// included, so an empty index has 1).
    pub(crate) fn node_count(&self) -> usize {
        self.table.len() + self.trie.node_count()
    }

    pub(crate) fn shape_count(&self) -> usize {
        self.shapes.len()
    }

    pub(crate) fn trie_node_count(&self) -> usize {
        self.trie.node_count()
    }

    /// The keyed hash of one segment's text.
    #[inline]
    fn segment_hash(&self, text: &[u8]) -> u64 {
        hash_bytes(&self.hashing, text)
    }

    fn salt(&self, skeleton: &[u8]) -> u64 {
        self.hashing.salt(skeleton)
    }

    /// The table key of an indexed pattern: its shape's salt plus the hashes
    /// of its literals at their places. A topic's key for the same shape is
    /// built from the same terms (see [`Index::for_each_match`]).
    fn pattern_key(&self, layout: &Layout<'_>, salt: u64) -> u64 {
        key_of(salt, &self.literal_terms(layout))
    }

    /// The weighted hashes of a pattern's literals, in anchor order.
    fn literal_terms(&self, layout: &Layout<'_>) -> LiteralTerms {
        layout
            .anchored()
            .filter_map(|(anchor, segment)| match segment {
                Segment::Literal(text) => Some(weigh(anchor, self.segment_hash(text.as_bytes()))),
                _ => None,
            })
            .collect()
    }

    /// Where `pattern` lives in the table: (shape, key, literal text), if its
    /// shape is indexed.
    fn locate(&self, layout: &Layout<'_>) -> Option<(ShapeId, u64)> {
        let skeleton = layout.skeleton();
        let shape = self.shapes.find(&skeleton)?;
        Some((shape, self.pattern_key(layout, self.shapes.get(shape).salt)))
    }

    /// The subscribers of `pattern`.
    pub(crate) fn get(&self, pattern: &Pattern) -> Option<Ids<'_>> {
        if let Some(layout) = Layout::of(pattern)
            && let Some((shape, key)) = self.locate(&layout)
        {
            let text = layout.literal_text();
            let found = self.table.find(table_hash(key), |entry| {
                entry.is(key, shape, |found| found.text() == &text[..])
            });
            if let Some(entry) = found {
                return Some(entry.ids());
            }
        }
        self.trie.get(pattern).map(IdSet::view)
    }

    /// Adds `subscriber` to `pattern`: `Some(false)` if the pair was there,
    /// `None` (changing nothing) if the pattern is new and `max_patterns`
    /// are held already.
    pub(crate) fn insert(
        &mut self,
        pattern: &Pattern,
        subscriber: u64,
        max_patterns: usize,
    ) -> Option<bool> {
        // A pattern placed in the trie while the shapes were full stays there.
        if self.trie.pattern_count() > 0
            && let Some(ids) = self.trie.get_mut(pattern)
        {
            return Some(ids.insert(subscriber));
        }
        let full = self.pattern_count() >= max_patterns;
        if let Some(layout) = Layout::of(pattern) {
            let skeleton = layout.skeleton();
            let existing = self.shapes.find(&skeleton);
            let salt = match existing {
                Some(shape) => self.shapes.get(shape).salt,
                None => self.salt(&skeleton),
            };
            let shape = existing.or_else(|| self.shapes.add(&layout, &skeleton, salt));
            if let Some(shape) = shape {
                let terms = self.literal_terms(&layout);
                let key = key_of(salt, &terms);
                let text = layout.literal_text();
                let found = self.table.find_mut(table_hash(key), |entry| {
                    entry.is(key, shape, |found| found.text() == &text[..])
                });
                if let Some(entry) = found {
                    return Some(entry.change_ids(|ids| ids.insert(subscriber)));
                }
                if full {
                    if existing.is_none() {
                        self.shapes.release_empty(shape);
                    }
                    return None;
                }
                let entry = Entry::new(key, shape, &text, subscriber);
                self.table
                    .insert_unique(table_hash(key), entry, Entry::table_hash);
                if self.filter.insert(kept_half(key)).is_err() {
                    self.filter.rebuild(self.table.iter().map(Entry::kept_key));
                }
                self.shapes.retain(shape);
                self.file_places(&terms, shape);
                return Some(true);
            }
        }
        if full {
            return None;
        }
        self.trie
            .get_or_insert_with(pattern, || IdSet::One(subscriber));
        Some(true)
    }

    /// Sets the place-filter bits of a new entry's literals (their
    /// weighted hashes, `terms`) and of its pairs of literals at adjacent
    /// places, if its shape has a bit.
    fn file_places(&mut self, terms: &[u64], shape: ShapeId) {
        let held = self.shapes.get(shape);
        let Some(bit) = held.place_bit else {
            return;
        };
        let filed: LiteralTerms = filed_places(&held.literals).map(|at| terms[at]).collect();
        let pairs: LiteralTerms = adjacent_pairs(&held.literals, terms).collect();
        for term in filed {
            if self.places.insert(term, bit).is_err() {
                // The rebuild files this entry too: it is in the table.
                self.rebuild_places();
                return;
            }
        }
        for pair in pairs {
            if self.pairs.insert(pair, bit).is_err() {
                self.rebuild_places();
                return;
            }
        }
    }

    /// Refills the place filter and the pair filter from every entry in
    /// the table, hashing their literals again.
    fn rebuild_places(&mut self) {
        let Index {
            hashing,
            shapes,
            table,
            places,
            pairs,
            ..
        } = self;
        let mut sizes = (places.rebuild_words(), pairs.rebuild_words());
        loop {
            let (fresh, fresh_pairs) = refill_places(hashing, shapes, table, sizes);
            match (fresh.grown_words(), fresh_pairs.grown_words()) {
                (None, None) => {
                    *places = fresh;
                    *pairs = fresh_pairs;
                    return;
                }
                (grown, grown_pairs) => {
                    sizes = (grown.unwrap_or(sizes.0), grown_pairs.unwrap_or(sizes.1));
                }
            }
        }
    }

    /// Removes `subscriber` from `pattern`; `false` if the pair was not there.
    pub(crate) fn remove(&mut self, pattern: &Pattern, subscriber: u64) -> bool {
        if let Some(layout) = Layout::of(pattern)
            && let Some((shape, key)) = self.locate(&layout)
        {
            let text = layout.literal_text();
            let found = self.table.find_entry(table_hash(key), |entry| {
                entry.is(key, shape, |found| found.text() == &text[..])
            });
            if let Ok(mut occupied) = found {
                return match occupied.get_mut().change_ids(|ids| ids.remove(subscriber)) {
                    None => false,
                    Some(true) => true,
                    Some(false) => {
                        occupied.remove();
                        let held = self.shapes.get(shape);
                        let filed = held.place_bit.map(|_| {
                            let literals = filed_places(&held.literals).count();
                            let pairs = adjacent_places(&held.literals).count();
                            (literals, pairs)
                        });
                        self.shapes.release(shape);
                        if self.filter.remove().is_err() {
                            self.filter.rebuild(self.table.iter().map(Entry::kept_key));
                        }
                        if let Some((literals, pairs)) = filed {
                            let places_stale = self.places.remove(literals).is_err();
                            let pairs_stale = self.pairs.remove(pairs).is_err();
                            if places_stale || pairs_stale {
                                self.rebuild_places();
                            }
                        }
                        true
                    }
                };
            }
        }
        let Some(ids) = self.trie.get_mut(pattern) else {
            return false;
        };
        match ids.remove(subscriber) {
            None => false,
            Some(true) => true,
            Some(false) => {
                self.trie.remove(pattern);
                true
            }
        }
    }

    /// Checks `topic` and calls `visit` with the subscribers of every pattern
    /// that matches it, each pattern once, in no particular order; returns
    /// how many patterns matched. `visit` is called only for a valid topic.
    ///
    /// `scratch` is the caller's working memory and receives the match's
    /// [`MatchStats`]; without one, a topic that needs working memory (see
    /// [`MatchScratch`]) gets a fresh one.
    #[inline(always)]
    pub(crate) fn for_each_match<'a>(
        &'a self,
        topic: &str,
        limits: &Limits,
        scratch: Option<&mut MatchScratch>,
        mut visit: impl FnMut(Ids<'a>),
    ) -> Result<usize, SyntaxError> {
        // The scan copies a short topic in as it reads it.
        let mut padded = Padded::EMPTY;
        let ends = segment_ends(topic, limits, &mut padded)?;
        if let Some(ends) = ends
            && self.trie.pattern_count() == 0
            && let Some(probed) = self.match_short(topic.as_bytes(), ends, &padded, &mut visit)
        {
            // Counted only for a caller who keeps them.
            if let Some(scratch) = scratch {
                scratch.stats = self.probe_stats(&probed);
            }
            return Ok(probed.matched);
        }
        match scratch {
            Some(scratch) => self.match_long(topic, limits, ends, scratch, &mut visit),
            None => self.match_long(topic, limits, ends, &mut MatchScratch::new(), &mut visit),
        }
    }

    /// The match of a topic shorter than 64 bytes, whose segment ends are
    /// the bits of `ends` ([`segment_ends`], which copied it into
    /// `padded`), with its terms on the stack;
    /// `None` (having visited nothing) when it is under eight bytes, has
    /// more than [`SHORT_SEGMENTS`] segments or one of more than 16 bytes,
    /// or more probes pass the key filter than [`Candidates`] hold inline:
    /// such a topic takes the other path, whose candidates are the
    /// caller's to keep.
    #[inline(always)]
    fn match_short<'a>(
        &'a self,
        text: &[u8],
        mut ends: u64,
        padded: &Padded,
        visit: &mut impl FnMut(Ids<'a>),
    ) -> Option<Probed> {
        // Topics under eight bytes (rare) take the other path.
        if !Padded::fits(text) {
            return None;
        }
        let mut terms = [0u64; SHORT_SEGMENTS + 1];
        let mut before = [0u64; SHORT_SEGMENTS + 1];
        let mut at_end = [0u8; SHORT_SEGMENTS];
        let (mut count, mut start, mut sum) = (0, 0, 0u64);
        let free = &self.shapes.placed.free;
        let places = self.places.words();
        let mut placed = u64::MAX;
        // One pass over the end bits: words, hash, term, running sum and
        // place filter, without a branch that depends on a segment's
        // length.
        while ends != 0 {
            if count == SHORT_SEGMENTS {
                return None;
            }
            let end = ends.trailing_zeros() as usize;
            let (starting, ending) = padded.words(start, end);
            // A segment of more than 16 bytes (rare in event names) sends
            // the topic the other way: no call in this loop, whose values
            // then all stay in registers.
            let hash = self.hashing.short_segment(end - start, starting, ending)?;
            let term = hash.wrapping_mul(self.start_weights[count]);
            terms[count] = term;
            before[count] = sum;
            // Below 64: a bit of `ends`.
            at_end[count] = end as u8;
            placed &= places.word(term) | free[count];
            sum = sum.wrapping_add(term);
            start = end + 1;
            ends &= ends - 1;
            count += 1;
        }
        before[count] = sum;
        let split = Split {
            terms: &terms[..=count],
            before: &before[..=count],
            ends: &at_end[..count],
            padded: Some(padded),
        };
        self.probe::<true, _>(text, &split, placed, &mut Candidates::new(), visit)
    }

    /// The match of any other topic: of 64 bytes or more (`ends` is
    /// `None`), of more than [`SHORT_SEGMENTS`] segments, or matched by an
    /// index whose trie holds patterns; with its terms in `scratch`.
    #[inline(never)]
    fn match_long<'a>(
        &'a self,
        topic: &str,
        limits: &Limits,
        ends: Option<u64>,
        scratch: &mut MatchScratch,
        visit: &mut impl FnMut(Ids<'a>),
    ) -> Result<usize, SyntaxError> {
        let MatchScratch {
            buffers,
            terms,
            before,
            ends: at_end,
            candidates,
            stats,
        } = scratch;
        at_end.clear();
        match ends {
            Some(mut ends) => {
                while ends != 0 {
                    at_end.push(ends.trailing_zeros() as usize);
                    ends &= ends - 1;
                }
            }
            None => split_topic(topic, limits, |_, end| at_end.push(end))?,
        }
        let text = topic.as_bytes();
        terms.clear();
        before.clear();
        let (mut start, mut sum) = (0, 0u64);
        for (index, &end) in at_end.iter().enumerate() {
            let hash = self
                .hashing
                .segment(end - start, |at| word_at(text, start + 8 * at));
            let term = weigh(Anchor::Start(index), hash);
            terms.push(term);
            before.push(sum);
            sum = sum.wrapping_add(term);
            start = end + 1;
        }
        terms.push(0);
        before.push(sum);
        let places = self.places.words();
        let placed = terms
            .iter()
            .take(at_end.len().min(PLACES))
            .zip(&self.shapes.placed.free)
            .fold(u64::MAX, |placed, (&term, free)| {
                placed & (places.word(term) | free)
            });
        let split = Split {
            terms,
            before,
            ends: at_end,
            padded: None,
        };
        *stats = self
            .probe::<false, _>(text, &split, placed, candidates, visit)
            .map_or_else(MatchStats::default, |probed| self.probe_stats(&probed));
        if self.trie.pattern_count() > 0 {
            let walked = self.walk_trie(topic, &split, buffers, visit);
            stats.visited = walked.visited;
            stats.matched += walked.matched;
        }
        Ok(stats.matched)
    }

    /// The [`MatchStats`] of a match that `probed` (no trie visits).
    fn probe_stats(&self, probed: &Probed) -> MatchStats {
        let (rest_exact, rest_open) = self.shapes.unplaced(probed.segments);
        MatchStats {
            segments: probed.segments,
            visited: 0,
            probes: self.shapes.placed.fitting_count(probed.segments)
                + rest_exact.len()
                + rest_open.len(),
            matched: probed.matched,
        }
    }

    /// Probes every shape that fits the topic of `split` and visits the
    /// subscribers of each matching pattern; how many and of how many
    /// segments. `placed`: the place filter's
    /// verdict on the topic's first [`PLACES`] segments, as shape bits.
    /// `INLINE`: `None` (having visited nothing) rather than let
    /// `candidates` grow past their inline room.
    #[inline(always)]
    fn probe<'a, const INLINE: bool, E: Copy + Into<usize>>(
        &'a self,
        text: &[u8],
        split: &Split<'_, E>,
        placed: u64,
        candidates: &mut Candidates,
        visit: &mut impl FnMut(Ids<'a>),
    ) -> Option<Probed> {
        let Split { terms, before, .. } = *split;
        let count = split.count();
        let shapes = &self.shapes.placed;
        let filter = self.filter.bits();
        // Probes are filtered first (the place filter ruled most shapes
        // out already); the few that pass the key filter are looked up in
        // the table after all filtering, in one loop.
        candidates.clear();
        let total = before[count];
        let (exact_bits, open_bits) = shapes.fitting(count);
        let mut passed = placed & (exact_bits | open_bits);
        // When single segments rule out little (a small vocabulary puts
        // every word at every place), pairs of adjacent segments do:
        // shapes whose few patterns hold only some of the pairs.
        // More than two left (two bits cleared, some remain): without a
        // population count, which the baseline x86-64 lacks.
        let two_cleared = passed & passed.wrapping_sub(1);
        if two_cleared & two_cleared.wrapping_sub(1) != 0 {
            let first = &terms[..count.min(PLACES)];
            let after = first.get(1..).unwrap_or_default();
            let pairs = self.pairs.words();
            for ((&first, &second), free) in first.iter().zip(after).zip(&shapes.pair_free) {
                passed &= pairs.word(pair_term(first, second)) | free;
            }
        }
        let mut exact = passed & exact_bits;
        while exact != 0 {
            let probe = &shapes.exact[exact.trailing_zeros() as usize];
            let key = exact_key(probe, total, terms);
            if filter.test(key) != 0 {
                if INLINE && candidates.len() == candidates.inline_size() {
                    return None;
                }
                candidates.push((key, probe.shape));
            }
            exact &= exact - 1;
        }
        let mut open = passed & open_bits;
        while open != 0 {
            let probe = &shapes.open[open.trailing_zeros() as usize];
            let key = if probe.plain {
                probe.salt.wrapping_add(before[probe.prefix as usize])
            } else {
                open_key(probe, terms, before)
            };
            if filter.test(key) != 0 {
                if INLINE && candidates.len() == candidates.inline_size() {
                    return None;
                }
                candidates.push((key, probe.shape));
            }
            open &= open - 1;
        }
        // Shapes past the filter's bits (more than it tells apart) are
        // all probed.
        let (rest_exact, rest_open) = self.shapes.unplaced(count);
        let mut rest = rest_exact;
        while !rest.is_empty() {
            let (chunk, tail) = rest.split_at(rest.len().min(64));
            let mut passed = filter_exact(chunk, total, terms, filter);
            while passed != 0 {
                let probe = &chunk[passed.trailing_zeros() as usize];
                if INLINE && candidates.len() == candidates.inline_size() {
                    return None;
                }
                candidates.push((exact_key(probe, total, terms), probe.shape));
                passed &= passed - 1;
            }
            rest = tail;
        }
        for probe in rest_open {
            let key = if probe.plain {
                probe.salt.wrapping_add(before[probe.prefix as usize])
            } else {
                open_key(probe, terms, before)
            };
            if filter.test(key) != 0 {
                if INLINE && candidates.len() == candidates.inline_size() {
                    return None;
                }
                candidates.push((key, probe.shape));
            }
        }
        if self.table.len() >= LARGE_TABLE {
            // The entry lines of all candidates, asked for at once: at this
            // size each is a miss to memory, and the lookups below would
            // otherwise wait for them one at a time. The first entry with
            // the key's tag is its entry unless tags collide; accepting it
            // unread leaves its line to the prefetch.
            for &(key, _) in candidates.iter() {
                if let Some(entry) = self.table.find(table_hash(key), |_| true) {
                    entry.prefetch();
                }
            }
        }
        let mut matched = 0;
        for &(key, shape) in candidates.iter() {
            matched += self.visit_entry(key, shape, text, split, visit);
        }
        Some(Probed {
            segments: count,
            matched,
        })
    }
}

/// What the probes of one match did: the rest of its [`MatchStats`]
/// follows from the index and the number of segments, and is counted
/// only for a caller who keeps them.
struct Probed {
    /// The topic's segments.
    segments: usize,
    /// Patterns that matched.
    matched: usize,
}

/// From this many entries (8 MiB of table lines and up) a match asks for
/// its candidates' entry lines before it looks them up.
const LARGE_TABLE: usize = 1 << 16;

/// The most segments of a topic whose terms a match keeps on the stack
/// (when it is also shorter than 64 bytes); longer ones use the caller's
/// [`MatchScratch`]. Event names have 3 to 7 segments, and every match
/// zeroes these arrays: 8 rather than 16 saves that much of the work.
const SHORT_SEGMENTS: usize = 8;

// The stack path files every segment it keeps in the place filter.
const _: () = assert!(PLACES >= SHORT_SEGMENTS);

/// A topic's segments as the probes read them.
#[derive(Clone, Copy)]
struct Split<'s, E> {
    /// Each segment's weighted hash (its term), then 0 for the place past
    /// the last one: a probe's `*` slot that names no star names that.
    terms: &'s [u64],
    /// The sum of the terms before each segment, then the sum of all.
    before: &'s [u64],
    /// Where each segment ends in the topic (its `.` or the topic's end).
    ends: &'s [E],
    /// The stack path's copy of the topic, whose segments are at most 16
    /// bytes each: texts are confirmed against it as arrays.
    padded: Option<&'s Padded>,
}

impl<E: Copy + Into<usize>> Split<'_, E> {
    /// How many segments.
    #[inline(always)]
    fn count(&self) -> usize {
        self.ends.len()
    }

    /// Where segment `at` ends (below [`count`](Self::count)).
    #[inline(always)]
    fn end(&self, at: usize) -> usize {
        self.ends[at].into()
    }

    /// The bytes of segment `at` (below [`count`](Self::count)).
    #[inline(always)]
    fn range(&self, at: usize) -> std::ops::Range<usize> {
        let start = match at.checked_sub(1) {
            Some(previous) => self.end(previous) + 1,
            None => 0,
        };
        start..self.end(at)
    }
}

/// The multiplicative inverse of odd `odd` modulo 2^64: Newton's
/// iteration, each step doubling the correct low bits (`odd` is its own
/// inverse modulo 8).
fn odd_inverse(odd: u64) -> u64 {
    let mut inverse = odd;
    for _ in 0..5 {
        inverse = inverse.wrapping_mul(2u64.wrapping_sub(odd.wrapping_mul(inverse)));
    }
    inverse
}

impl<S> Index<S> {
    /// The trie's matches for the topic's segments: apart from the probes,
    /// and only when the trie holds a pattern.
    #[cold]
    #[inline(never)]
    fn walk_trie<'a>(
        &'a self,
        topic: &str,
        split: &Split<'_, usize>,
        buffers: &mut WalkBuffers,
        visit: &mut impl FnMut(Ids<'a>),
    ) -> MatchStats {
        let segments = (0..split.count()).map(|at| topic.get(split.range(at)).unwrap_or_default());
        self.trie
            .for_each_match_in(segments, buffers, |ids| visit(ids.view()))
    }

    /// Looks `key` up for a pattern of `shape` whose literals are the
    /// topic's segments at the shape's places and visits its subscribers;
    /// returns how many patterns that was (0 or 1).
    #[inline(always)]
    fn visit_entry<'a, E: Copy + Into<usize>>(
        &'a self,
        key: u64,
        shape: ShapeId,
        topic: &[u8],
        split: &Split<'_, E>,
        visit: &mut impl FnMut(Ids<'a>),
    ) -> usize {
        let layout = self.shapes.get(shape);
        // The full key first: it sits next to the tag hashbrown matched, and
        // a tag match of another key is then turned down without reading
        // the text behind a pointer.
        let found = self.table.find(table_hash(key), |entry| {
            entry.is(key, shape, |entry| {
                confirm::confirms(entry, layout, topic, split)
            })
        });
        match found {
            Some(entry) => {
                visit(entry.ids());
                1
            }
            None => 0,
        }
    }
}

/// Bit `i` set when the key of `probes[i]` (at most 64 exact probes) may be
/// in the table. A function of its own, so that its loop keeps everything
/// in registers.
#[inline(never)]
fn filter_exact(
    probes: &[shape::ExactProbe],
    total: u64,
    terms: &[u64],
    filter: FilterBits<'_>,
) -> u64 {
    // Bit `probes.len() - 1 - i` for probe `i`: shifting in at the bottom
    // is one instruction fewer than setting bit `i`.
    let mut passed = 0;
    for probe in probes {
        passed = passed << 1 | filter.test(exact_key(probe, total, terms));
    }
    passed
        .reverse_bits()
        .checked_shr(64 - probes.len() as u32)
        .unwrap_or(0)
}

/// The key of the topic's segments for a shape of exactly their number:
/// the shape's salt plus all their terms (`total`), less those under a `*`.
#[inline(always)]
fn exact_key(probe: &shape::ExactProbe, total: u64, terms: &[u64]) -> u64 {
    // A slot without a star names the place past the last segment, whose
    // term is 0.
    let [first, second] = probe.stars;
    let key = probe
        .salt
        .wrapping_add(total)
        .wrapping_sub(terms[usize::from(first)])
        .wrapping_sub(terms[usize::from(second)]);
    without_stars(key, probe.more_stars, |at| terms[at])
}

/// The key of the topic's segments for an open shape: the salt, the terms
/// of its prefix and its suffix's literals weighed from the end, less
/// those under a `*`.
#[inline(never)]
fn open_key(probe: &shape::Probe, terms: &[u64], before: &[u64]) -> u64 {
    let key = probe.salt.wrapping_add(before[probe.prefix as usize]);
    let mut key = without_stars(key, probe.start_stars, |at| terms[at]);
    // The place past the last segment: `terms` has one more.
    let count = terms.len() - 1;
    for distance in 1..=probe.suffix as usize {
        if probe
            .end_stars
            .checked_shr(distance as u32 - 1)
            .unwrap_or(0)
            & 1
            == 0
        {
            // The segment's keyed hash: its term less the weight of its
            // place (every weight is odd, so it has an inverse).
            let at = count - distance;
            let hash = terms[at].wrapping_mul(odd_inverse(2 * at as u64 + 1));
            key = key.wrapping_add(weigh(Anchor::End(distance), hash));
        }
    }
    key
}

/// A place filter and a pair filter of `words` words each, filled from
/// every entry of `table` (its literals hashed again).
fn refill_places<S: SegmentHasher>(
    hashing: &S,
    shapes: &Shapes,
    table: &HashTable<Entry>,
    words: (usize, usize),
) -> (PlaceFilter, PlaceFilter) {
    let mut fresh = PlaceFilter::with_words(words.0);
    let mut fresh_pairs = PlaceFilter::with_words(words.1);
    for entry in table.iter() {
        let shape = shapes.get(entry.shape());
        let Some(bit) = shape.place_bit else {
            continue;
        };
        // An entry's text is its literals in anchor order, joined by `.`.
        let texts = entry.text().split(|&byte| byte == b'.');
        let terms: LiteralTerms = shape
            .literals
            .iter()
            .zip(texts)
            .map(|(&anchor, text)| weigh(anchor, hash_bytes(hashing, text)))
            .collect();
        for at in filed_places(&shape.literals) {
            fresh.add(terms[at], bit);
        }
        for pair in adjacent_pairs(&shape.literals, &terms) {
            fresh_pairs.add(pair, bit);
        }
    }
    (fresh, fresh_pairs)
}

/// The indices (into a shape's literals) of the literals the place filter
/// holds: those at one of its [`PLACES`] from the start.
fn filed_places(literals: &[Anchor]) -> impl Iterator<Item = usize> + '_ {
    literals
        .iter()
        .enumerate()
        .filter(|(_, anchor)| matches!(anchor, Anchor::Start(place) if *place < PLACES))
        .map(|(at, _)| at)
}

/// The indices (into a shape's literals) of the literals whose next one
/// sits at the next place from the start, both among the filter's
/// [`PLACES`]: the pairs the pair filter holds.
fn adjacent_places(literals: &[Anchor]) -> impl Iterator<Item = usize> + '_ {
    literals
        .windows(2)
        .enumerate()
        .filter(|(_, pair)| match (pair[0], pair[1]) {
            (Anchor::Start(first), Anchor::Start(second)) => second == first + 1 && second < PLACES,
            _ => false,
        })
        .map(|(at, _)| at)
}

/// The pair terms of a pattern's literals at adjacent places (`terms`:
/// its literals' terms, in the order of `literals`).
fn adjacent_pairs<'a>(literals: &'a [Anchor], terms: &'a [u64]) -> impl Iterator<Item = u64> + 'a {
    adjacent_places(literals).map(|at| pair_term(terms[at], terms[at + 1]))
}

/// `key` less the term of each `*` place in `stars` (bit `i`: `term(i)`):
/// the segments under a `*` are in the sums but not in the key.
#[inline(always)]
fn without_stars(mut key: u64, mut stars: u64, term: impl Fn(usize) -> u64) -> u64 {
    while stars != 0 {
        key = key.wrapping_sub(term(stars.trailing_zeros() as usize));
        stars &= stars - 1;
    }
    key
}

#[cfg(test)]
mod tests;
