//! The match index: subscriptions found by shape and hashed literals, so that
//! one match is a handful of independent lookups instead of a walk.
//!
//! Every pattern whose literals sit at fixed places ([`shape`]) is one entry
//! of a single hash table, keyed by its shape and the hashes of its literals
//! at their places. A topic is split and checked in one scan
//! ([`for_each_topic_segment`]), each segment hashed once with its position;
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
//! topic has more than 16 segments or the trie walk more than 32 live states
//! (a kept [`MatchScratch`] pays that once). The module never decides what
//! the ids mean or in which order they go out; the router does.

mod ids;
mod shape;

use std::fmt;
use std::hash::{BuildHasher, Hasher};

use hashbrown::HashTable;

pub(crate) use ids::IdSet;

use crate::error::SyntaxError;
use crate::hashing::{Keyed, keyed};
use crate::limits::Limits;
use crate::matcher::{MatchScratch, MatchStats, Trie};
use crate::pattern::{Pattern, Segment};
use crate::topic::for_each_topic_segment;
use shape::{Anchor, Layout, Shapes};

/// One stored pattern of an indexed shape.
#[derive(Debug, Clone)]
struct Entry {
    /// The table key, kept so the table can grow without rehashing text.
    key: u64,
    shape: u32,
    /// The literal segments, joined by `.`: what confirms a hash match.
    text: Box<str>,
    ids: IdSet,
}

/// Subscriptions by pattern, matched by shape probes and a trie for the rest.
///
/// `S` hashes segments; the router uses a secretly keyed one ([`keyed`]).
/// Tests plug in a degenerate one to force every key into one bucket.
#[derive(Clone)]
pub(crate) struct Index<S = Keyed> {
    hashing: S,
    shapes: Shapes,
    table: HashTable<Entry>,
    trie: Trie<IdSet>,
}

impl Default for Index {
    fn default() -> Self {
        Index::with_hasher(keyed())
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

/// Tags the position hashed with an end-anchored segment, so the two never
/// mean the same thing.
const FROM_END: u64 = 1 << 63;

impl<S: BuildHasher> Index<S> {
    pub(crate) fn with_hasher(hashing: S) -> Self {
        Index {
            hashing,
            shapes: Shapes::default(),
            table: HashTable::new(),
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

    /// The hash of a segment at `anchor`.
    #[inline]
    fn anchored_hash(&self, anchor: Anchor, text: &[u8]) -> u64 {
        let mut hasher = self.hashing.build_hasher();
        hasher.write_u64(match anchor {
            Anchor::Start(index) => index as u64,
            Anchor::End(distance) => FROM_END | distance as u64,
        });
        hasher.write(text);
        hasher.finish()
    }

    fn salt(&self, skeleton: &[u8]) -> u64 {
        self.hashing.hash_one(skeleton)
    }

    /// The table key of an indexed pattern: its shape's salt plus the hashes
    /// of its literals at their places. A topic's key for the same shape is
    /// built from the same terms (see [`Index::for_each_match`]).
    fn pattern_key(&self, layout: &Layout<'_>, salt: u64) -> u64 {
        layout
            .anchored()
            .filter_map(|(anchor, segment)| match segment {
                Segment::Literal(text) => Some(self.anchored_hash(anchor, text.as_bytes())),
                _ => None,
            })
            .fold(salt, u64::wrapping_add)
    }

    /// Where `pattern` lives in the table: (shape, key, literal text), if its
    /// shape is indexed.
    fn locate(&self, layout: &Layout<'_>) -> Option<(u32, u64)> {
        let skeleton = layout.skeleton();
        let shape = self.shapes.find(&skeleton)?;
        Some((shape, self.pattern_key(layout, self.shapes.get(shape).salt)))
    }

    /// The subscribers of `pattern`.
    pub(crate) fn get(&self, pattern: &Pattern) -> Option<&IdSet> {
        if let Some(layout) = Layout::of(pattern) {
            if let Some((shape, key)) = self.locate(&layout) {
                let text = layout.literal_text();
                let found = self.table.find(key, |entry| {
                    entry.shape == shape && entry.text.as_bytes() == &text[..]
                });
                if let Some(entry) = found {
                    return Some(&entry.ids);
                }
            }
        }
        self.trie.get(pattern)
    }

    /// Adds `subscriber` to `pattern`; `false` if the pair was there.
    pub(crate) fn insert(&mut self, pattern: &Pattern, subscriber: u64) -> bool {
        // A pattern placed in the trie while the shapes were full stays there.
        if self.trie.pattern_count() > 0 {
            if let Some(ids) = self.trie.get_mut(pattern) {
                return ids.insert(subscriber);
            }
        }
        if let Some(layout) = Layout::of(pattern) {
            let skeleton = layout.skeleton();
            let existing = self.shapes.find(&skeleton);
            let salt = match existing {
                Some(shape) => self.shapes.get(shape).salt,
                None => self.salt(&skeleton),
            };
            let shape = existing.or_else(|| self.shapes.add(&layout, &skeleton, salt));
            if let Some(shape) = shape {
                let key = self.pattern_key(&layout, salt);
                let text = layout.literal_text();
                let found = self.table.find_mut(key, |entry| {
                    entry.shape == shape && entry.text.as_bytes() == &text[..]
                });
                if let Some(entry) = found {
                    return entry.ids.insert(subscriber);
                }
                let text = String::from_utf8_lossy(&text).into();
                let entry = Entry {
                    key,
                    shape,
                    text,
                    ids: IdSet::One(subscriber),
                };
                self.table.insert_unique(key, entry, |entry| entry.key);
                self.shapes.retain(shape);
                return true;
            }
        }
        self.trie
            .get_or_insert_with(pattern, || IdSet::One(subscriber));
        true
    }

    /// Removes `subscriber` from `pattern`; `false` if the pair was not there.
    pub(crate) fn remove(&mut self, pattern: &Pattern, subscriber: u64) -> bool {
        if let Some(layout) = Layout::of(pattern) {
            if let Some((shape, key)) = self.locate(&layout) {
                let text = layout.literal_text();
                let found = self.table.find_entry(key, |entry| {
                    entry.shape == shape && entry.text.as_bytes() == &text[..]
                });
                if let Ok(mut occupied) = found {
                    return match occupied.get_mut().ids.remove(subscriber) {
                        None => false,
                        Some(true) => true,
                        Some(false) => {
                            occupied.remove();
                            self.shapes.release(shape);
                            true
                        }
                    };
                }
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
        mut visit: impl FnMut(&'a IdSet),
    ) -> Result<usize, SyntaxError> {
        let MatchScratch {
            buffers,
            spans,
            start_sums,
            end_sums,
            stats,
        } = scratch;
        spans.clear();
        start_sums.clear();
        start_sums.push(0);
        let base = topic.as_ptr() as usize;
        let mut sum = 0u64;
        for_each_topic_segment(topic, limits, |segment| {
            let index = spans.len();
            spans.push((segment.as_ptr() as usize - base, segment.len()));
            sum = sum.wrapping_add(self.anchored_hash(Anchor::Start(index), segment.as_bytes()));
            start_sums.push(sum);
        })?;
        let count = spans.len();
        let text = topic.as_bytes();
        let segment = |index: usize| {
            let (offset, len) = spans[index];
            &text[offset..offset + len]
        };
        end_sums.clear();
        end_sums.push(0);
        let mut sum = 0u64;
        for distance in 1..=self.shapes.longest_suffix().min(count) {
            sum = sum
                .wrapping_add(self.anchored_hash(Anchor::End(distance), segment(count - distance)));
            end_sums.push(sum);
        }
        *stats = MatchStats {
            segments: count,
            ..MatchStats::default()
        };
        let mut matched = 0;
        for id in self.shapes.fitting(count) {
            let shape = self.shapes.get(id);
            // The sums hold every segment; a `*` segment is not part of the
            // key, so it comes out again.
            let mut key = shape.salt.wrapping_add(start_sums[shape.prefix]);
            for &star in shape.start_stars.iter() {
                key = key.wrapping_sub(start_sums[star + 1].wrapping_sub(start_sums[star]));
            }
            if shape.suffix > 0 {
                key = key.wrapping_add(end_sums[shape.suffix]);
                for &star in shape.end_stars.iter() {
                    key = key.wrapping_sub(end_sums[star].wrapping_sub(end_sums[star - 1]));
                }
            }
            stats.probes += 1;
            let found = self.table.find(key, |entry| {
                entry.shape == id && confirms(entry.text.as_bytes(), shape, text, &spans[..])
            });
            if let Some(entry) = found {
                matched += 1;
                visit(&entry.ids);
            }
        }
        if self.trie.pattern_count() > 0 {
            let segments = spans
                .iter()
                .map(|&(offset, len)| &topic[offset..offset + len]);
            let walked = self.trie.for_each_match_in(segments, buffers, &mut visit);
            stats.visited = walked.visited;
            matched += walked.matched;
        }
        stats.matched = matched;
        Ok(matched)
    }
}

/// Whether an entry's literal `text` equals the topic's segments at the
/// shape's literal places (joined by `.`).
#[inline]
fn confirms(text: &[u8], shape: &shape::Shape, topic: &[u8], spans: &[(usize, usize)]) -> bool {
    let count = spans.len();
    if shape.leading {
        // The literals are segments 0..n: the text is that much of the topic.
        return match shape.literals.len() {
            0 => text.is_empty(),
            n => {
                let (offset, len) = spans[n - 1];
                topic.get(..offset + len) == Some(text)
            }
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
        let (offset, len) = spans[anchor.position(count)];
        let Some(after) = rest.strip_prefix(&topic[offset..offset + len]) else {
            return false;
        };
        rest = after;
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests;
