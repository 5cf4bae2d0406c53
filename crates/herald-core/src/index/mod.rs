//! The match index: subscriptions found by shape and hashed literals, so that
//! one match is a handful of independent lookups instead of a walk.
//!
//! Every pattern whose literals sit at fixed places ([`shape`]) is one entry
//! of a single hash table, keyed by its shape and the hashes of its literals
//! at their places. A topic is split and checked in one scan
//! ([`split_topic`]), each segment hashed once with its position;
//! then, for every shape that fits the topic's length, the key of the
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
//! Nothing here recurses, and nothing allocates while matching unless the
//! topic has more than 16 segments, more than 8 probes pass the key filter
//! or the trie walk has more than 32 live states (a kept [`MatchScratch`]
//! pays that once). The module never decides what
//! the ids mean or in which order they go out; the router does.

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
use crate::matcher::{MatchScratch, MatchStats, SegmentTerms, TopicSegments, Trie, WalkBuffers};
use crate::pattern::{Pattern, Segment};
use crate::topic::SyntaxError;
use crate::topic::{segment_ends, split_topic};
use entry::{Entry, kept_half, table_hash};
use filter::{FilterBits, KeyFilter};
use hasher::{SecretKeys, SegmentHasher, hash_bytes, word_at};
use places::{PLACE_BITS, PlaceFilter, length_mix, pair_term};
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
                entry.is(key, shape, |found| found == &text[..])
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
                    entry.is(key, shape, |found| found == &text[..])
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
        let mix = length_mix(held.min_len);
        let pairs: LiteralTerms = adjacent_pairs(&held.literals, terms).collect();
        for &term in terms {
            if self.places.insert(term, mix, bit).is_err() {
                // The rebuild files this entry too: it is in the table.
                self.rebuild_places();
                return;
            }
        }
        for pair in pairs {
            if self.pairs.insert(pair, mix, bit).is_err() {
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
        let mut fresh = PlaceFilter::sized_for(places.live());
        let mut fresh_pairs = PlaceFilter::sized_for(pairs.live());
        for entry in table.iter() {
            let shape = shapes.get(entry.shape());
            let Some(bit) = shape.place_bit else {
                continue;
            };
            let mix = length_mix(shape.min_len);
            // An entry's text is its literals in anchor order, joined by `.`.
            let texts = entry.text().split(|&byte| byte == b'.');
            let terms: LiteralTerms = shape
                .literals
                .iter()
                .zip(texts)
                .map(|(&anchor, text)| weigh(anchor, hash_bytes(hashing, text)))
                .collect();
            for &term in &terms {
                fresh.add(term, mix, bit);
            }
            for pair in adjacent_pairs(&shape.literals, &terms) {
                fresh_pairs.add(pair, mix, bit);
            }
        }
        *places = fresh;
        *pairs = fresh_pairs;
    }

    /// Removes `subscriber` from `pattern`; `false` if the pair was not there.
    pub(crate) fn remove(&mut self, pattern: &Pattern, subscriber: u64) -> bool {
        if let Some(layout) = Layout::of(pattern)
            && let Some((shape, key)) = self.locate(&layout)
        {
            let text = layout.literal_text();
            let found = self.table.find_entry(table_hash(key), |entry| {
                entry.is(key, shape, |found| found == &text[..])
            });
            if let Ok(mut occupied) = found {
                return match occupied.get_mut().change_ids(|ids| ids.remove(subscriber)) {
                    None => false,
                    Some(true) => true,
                    Some(false) => {
                        occupied.remove();
                        let held = self.shapes.get(shape);
                        let filed = held.place_bit.map(|_| {
                            let pairs = adjacent_places(&held.literals).count();
                            (held.literals.len(), pairs)
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
    pub(crate) fn for_each_match<'a>(
        &'a self,
        topic: &str,
        limits: &Limits,
        scratch: &mut MatchScratch,
        mut visit: impl FnMut(Ids<'a>),
    ) -> Result<usize, SyntaxError> {
        let MatchScratch {
            buffers,
            segments,
            end_sums,
            candidates,
            stats,
        } = scratch;
        segments.clear();
        let text = topic.as_bytes();
        let sum = match segment_ends(topic, limits)? {
            Some(ends) => self.hash_short(text, ends, segments),
            None => self.hash_long(topic, limits, segments)?,
        };
        let count = segments.len();
        // Past the last segment: the sum of all terms, and a term of 0 for
        // the exact probes' star slots that name no star.
        segments.push(SegmentTerms {
            start: text.len(),
            end: text.len(),
            hash: 0,
            term: 0,
            before: sum,
        });
        // End sums only when some shape has literals after a `#`; the
        // others read `[0]` alone.
        let suffix = self.shapes.longest_suffix().min(count);
        let end_sums: &[u64] = if suffix == 0 {
            &[0]
        } else {
            end_sums.clear();
            end_sums.push(0);
            let mut sum = 0u64;
            for distance in 1..=suffix {
                sum = sum.wrapping_add(weigh(
                    Anchor::End(distance),
                    segments[count - distance].hash,
                ));
                end_sums.push(sum);
            }
            end_sums
        };
        *stats = MatchStats {
            segments: count,
            ..MatchStats::default()
        };
        let segments = &segments[..];
        let (exact, open) = self.shapes.fitting(count);
        let filter = self.filter.bits();
        // Probes are filtered a chunk at a time, without a branch, into a
        // bit set (so the filter's loads overlap and its rare passes cost no
        // misprediction); the few that pass are looked up in the table
        // after all filtering, in one loop.
        candidates.clear();
        let total = segments[count].before;
        // The first shapes of the length are ruled in or out by the place
        // filter, a word per segment, before any key is computed.
        let head = exact.probes.len().min(PLACE_BITS);
        let mut passed = u64::MAX.checked_shr(64 - head as u32).unwrap_or(0) & !exact.dead;
        if passed != 0 {
            let mix = length_mix(count);
            for (segment, stars) in segments.iter().zip(&exact.stars) {
                passed &= self.places.word(segment.term, mix) | stars;
            }
            // When single segments rule out little (a small vocabulary puts
            // every word at every place), pairs of adjacent segments do:
            // shapes whose few patterns hold only some of the pairs.
            // More than two left (two bits cleared, some remain): without a
            // population count, which the baseline x86-64 lacks.
            let two_cleared = passed & passed.wrapping_sub(1);
            if two_cleared & two_cleared.wrapping_sub(1) != 0 {
                let after = segments.get(1..count).unwrap_or_default();
                for ((first, second), stars) in segments.iter().zip(after).zip(&exact.pair_stars) {
                    let pair = pair_term(first.term, second.term);
                    passed &= self.pairs.word(pair, mix) | stars;
                }
            }
        }
        while passed != 0 {
            let probe = &exact.probes[passed.trailing_zeros() as usize];
            let key = exact_key(probe, total, segments);
            if filter.test(key) != 0 {
                candidates.push((key, probe.shape));
            }
            passed &= passed - 1;
        }
        let mut rest = &exact.probes[head..];
        while !rest.is_empty() {
            let (chunk, tail) = rest.split_at(rest.len().min(64));
            let mut passed = filter_exact(chunk, total, segments, filter);
            while passed != 0 {
                let probe = &chunk[passed.trailing_zeros() as usize];
                candidates.push((exact_key(probe, total, segments), probe.shape));
                passed &= passed - 1;
            }
            rest = tail;
        }
        // Open shapes are few (one per `>` or `#` skeleton that fits):
        // a branch per probe costs less than collecting bits.
        for probe in open {
            let key = if probe.plain {
                probe
                    .salt
                    .wrapping_add(segments[probe.prefix as usize].before)
            } else {
                open_key(probe, segments, end_sums)
            };
            if filter.test(key) != 0 {
                candidates.push((key, probe.shape));
            }
        }
        let mut matched = 0;
        for &(key, shape) in candidates.iter() {
            matched += self.visit_entry(key, shape, text, segments, &mut visit);
        }
        stats.probes = exact.len() + open.len();
        if self.trie.pattern_count() > 0 {
            let walked = self.walk_trie(topic, &segments[..count], buffers, &mut visit);
            stats.visited = walked.visited;
            matched += walked.matched;
        }
        stats.matched = matched;
        Ok(matched)
    }
}

impl<S: SegmentHasher> Index<S> {
    /// Hashes the segments of a topic shorter than 64 bytes, whose ends
    /// are the bits of `ends` ([`segment_ends`]), into `segments`, with
    /// each one's term and the sum of the terms before it; returns the sum
    /// of all terms.
    #[inline(always)]
    fn hash_short(&self, text: &[u8], mut ends: u64, segments: &mut TopicSegments) -> u64 {
        // Two tight loops, the ranges and then the hashes: one loop doing
        // both keeps more live than there are registers.
        let mut start = 0;
        while ends != 0 {
            let end = ends.trailing_zeros() as usize;
            segments.push(SegmentTerms {
                start,
                end,
                ..SegmentTerms::default()
            });
            start = end + 1;
            ends &= ends - 1;
        }
        self.hash_segments(text, segments)
    }

    /// Fills in the hash, the term and the sum of the terms before each of
    /// `segments` (whose ranges are set); returns the sum of all terms.
    #[inline(always)]
    fn hash_segments(&self, text: &[u8], segments: &mut [SegmentTerms]) -> u64 {
        // The weight of `Anchor::Start(index)` is 2 × index + 1.
        let (mut weight, mut sum) = (1u64, 0u64);
        for segment in segments {
            let start = segment.start;
            let hash = self
                .hashing
                .segment(segment.end - start, |at| word_at(text, start + 8 * at));
            let term = hash.wrapping_mul(weight);
            segment.hash = hash;
            segment.term = term;
            segment.before = sum;
            sum = sum.wrapping_add(term);
            weight += 2;
        }
        sum
    }

    /// [`hash_short`](Self::hash_short) for a topic of 64 bytes or more
    /// (or one that fails): the general split first, then a pass that
    /// hashes.
    #[cold]
    #[inline(never)]
    fn hash_long(
        &self,
        topic: &str,
        limits: &Limits,
        segments: &mut TopicSegments,
    ) -> Result<u64, SyntaxError> {
        split_topic(topic, limits, |start, end| {
            segments.push(SegmentTerms {
                start,
                end,
                ..SegmentTerms::default()
            });
        })?;
        Ok(self.hash_segments(topic.as_bytes(), segments))
    }
}

impl<S> Index<S> {
    /// The trie's matches for the topic's segments: apart from the probes,
    /// and only when the trie holds a pattern.
    #[cold]
    #[inline(never)]
    fn walk_trie<'a>(
        &'a self,
        topic: &str,
        segments: &[SegmentTerms],
        buffers: &mut WalkBuffers,
        visit: &mut impl FnMut(Ids<'a>),
    ) -> MatchStats {
        let segments = segments
            .iter()
            .map(|segment| topic.get(segment.start..segment.end).unwrap_or_default());
        self.trie
            .for_each_match_in(segments, buffers, |ids| visit(ids.view()))
    }

    /// Looks `key` up for a pattern of `shape` whose literals are the
    /// topic's segments at the shape's places and visits its subscribers;
    /// returns how many patterns that was (0 or 1).
    #[inline(always)]
    fn visit_entry<'a>(
        &'a self,
        key: u64,
        shape: ShapeId,
        topic: &[u8],
        segments: &[SegmentTerms],
        visit: &mut impl FnMut(Ids<'a>),
    ) -> usize {
        let layout = self.shapes.get(shape);
        // The full key first: it sits next to the tag hashbrown matched, and
        // a tag match of another key is then turned down without reading
        // the text behind a pointer.
        let found = self.table.find(table_hash(key), |entry| {
            entry.is(key, shape, |text| confirms(text, layout, topic, segments))
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
    segments: &[SegmentTerms],
    filter: FilterBits<'_>,
) -> u64 {
    // Bit `probes.len() - 1 - i` for probe `i`: shifting in at the bottom
    // is one instruction fewer than setting bit `i`.
    let mut passed = 0;
    for probe in probes {
        passed = passed << 1 | filter.test(exact_key(probe, total, segments));
    }
    passed
        .reverse_bits()
        .checked_shr(64 - probes.len() as u32)
        .unwrap_or(0)
}

/// The key of the topic's segments for a shape of exactly their number:
/// the shape's salt plus all their terms (`total`), less those under a `*`.
#[inline(always)]
fn exact_key(probe: &shape::ExactProbe, total: u64, segments: &[SegmentTerms]) -> u64 {
    // A slot without a star names the record past the last segment, whose
    // term is 0.
    let [first, second] = probe.stars;
    let key = probe
        .salt
        .wrapping_add(total)
        .wrapping_sub(segments[usize::from(first)].term)
        .wrapping_sub(segments[usize::from(second)].term);
    without_stars(key, probe.more_stars, |at| segments[at].term)
}

/// The key of the topic's segments for an open shape: the salt, the terms
/// of its prefix and of its suffix, less those under a `*`.
#[inline(always)]
fn open_key(probe: &shape::Probe, segments: &[SegmentTerms], end_sums: &[u64]) -> u64 {
    let key = probe
        .salt
        .wrapping_add(segments[probe.prefix as usize].before);
    let key = without_stars(key, probe.start_stars, |at| segments[at].term);
    let key = key.wrapping_add(end_sums[probe.suffix as usize]);
    without_stars(key, probe.end_stars, |bit| {
        end_sums[bit + 1].wrapping_sub(end_sums[bit])
    })
}

/// The indices (into a shape's literals) of the literals whose next one
/// sits at the next place from the start: the pairs the pair filter holds.
fn adjacent_places(literals: &[Anchor]) -> impl Iterator<Item = usize> + '_ {
    literals
        .windows(2)
        .enumerate()
        .filter(|(_, pair)| match (pair[0], pair[1]) {
            (Anchor::Start(first), Anchor::Start(second)) => second == first + 1,
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

/// Whether an entry's literal `text` equals the topic's segments at the
/// shape's literal places (joined by `.`).
#[inline]
fn confirms(text: &[u8], shape: &shape::Shape, topic: &[u8], segments: &[SegmentTerms]) -> bool {
    // The last entry of `segments` is the one past the topic's end.
    let count = segments.len() - 1;
    if shape.leading {
        // The literals are segments 0..n: the text is that much of the topic.
        return match shape.literals.len() {
            0 => text.is_empty(),
            n => topic.get(..segments[n - 1].end) == Some(text),
        };
    }
    let mut rest = text;
    for (at, anchor) in shape.literals.iter().enumerate() {
        if at > 0 {
            match rest.split_first() {
                Some((b'.', after)) => rest = after,
                _ => return false,
            }
        }
        let segment = &segments[anchor.position(count)];
        let Some(after) = rest.strip_prefix(&topic[segment.start..segment.end]) else {
            return false;
        };
        rest = after;
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests;
