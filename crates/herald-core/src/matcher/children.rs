//! The literal children of one trie node, keyed by interned segment id.
//!
//! Most nodes have one or two children, kept inline in the node (no pointer to
//! chase while matching); up to [`FEW`] are scanned linearly, and a node that
//! grows past that switches to a hash map so that insert, remove and lookup
//! stay O(1) however wide the node gets (a root with 100k distinct first
//! segments must not make subscribe slow).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use smallvec::SmallVec;

/// Children kept in a vector up to this many.
const FEW: usize = 8;
/// A map shrinks back into a vector at this many, below [`FEW`] so that a node
/// hovering at the boundary does not convert on every change.
const SHRINK_AT: usize = FEW / 2;

#[derive(Debug, Clone)]
pub(crate) enum Children {
    /// (label, child) pairs, unordered.
    Few(SmallVec<[(u32, u32); 2]>),
    /// Boxed so that the common case keeps nodes small.
    Many(Box<IdMap>),
}

type IdMap = HashMap<u32, u32, BuildHasherDefault<IdHasher>>;

impl Default for Children {
    fn default() -> Self {
        Children::Few(SmallVec::new())
    }
}

impl Children {
    #[inline]
    pub(crate) fn get(&self, label: u32) -> Option<u32> {
        match self {
            Children::Few(pairs) => pairs
                .iter()
                .find(|(key, _)| *key == label)
                .map(|(_, node)| *node),
            Children::Many(map) => map.get(&label).copied(),
        }
    }

    pub(crate) fn insert(&mut self, label: u32, node: u32) {
        match self {
            Children::Few(pairs) if pairs.len() < FEW => pairs.push((label, node)),
            Children::Few(pairs) => {
                let mut map: IdMap = pairs.drain(..).collect();
                map.insert(label, node);
                *self = Children::Many(Box::new(map));
            }
            Children::Many(map) => {
                map.insert(label, node);
            }
        }
    }

    pub(crate) fn remove(&mut self, label: u32) {
        match self {
            Children::Few(pairs) => {
                if let Some(at) = pairs.iter().position(|(key, _)| *key == label) {
                    pairs.swap_remove(at);
                }
            }
            Children::Many(map) => {
                map.remove(&label);
                if map.len() <= SHRINK_AT {
                    *self = Children::Few(map.drain().collect());
                }
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Children::Few(pairs) => pairs.is_empty(),
            Children::Many(map) => map.is_empty(),
        }
    }
}

/// Hashes interned ids. The ids are handed out densely by the interner, never
/// chosen by a subscriber, so a multiplicative hash spreads them well and an
/// attacker cannot aim at one bucket.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    #[inline]
    fn write_u32(&mut self, value: u32) {
        self.write_u64(u64::from(value));
    }

    #[inline]
    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}
