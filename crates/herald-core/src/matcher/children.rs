//! The literal children of one trie node, keyed by interned segment id.
//!
//! Most trie nodes have no literal child or exactly one, which is kept inline
//! (no pointer to chase while matching). Up to [`FEW`] children live in one
//! small boxed slice scanned linearly; a node that grows past that switches to
//! a hash map so that insert, remove and lookup stay O(1) however wide the node
//! gets (a root with 100k distinct first segments must not make subscribe
//! slow). The enum is 16 bytes, which keeps a whole node at 32.

use std::collections::HashMap;

use foldhash::fast::FixedState;

use smallvec::{SmallVec, smallvec};

/// Children kept in a slice up to this many.
const FEW: usize = 8;
/// A map shrinks back into a slice at this many, below [`FEW`] so that a node
/// hovering at the boundary does not convert on every change.
const SHRINK_AT: usize = FEW / 2;

#[derive(Debug, Clone, Default)]
pub(crate) enum Children {
    #[default]
    None,
    /// (label, child).
    One(u32, u32),
    /// (label, child) pairs, unordered; 2 to [`FEW`] of them, behind a thin
    /// pointer.
    Few(Box<Pairs>),
    /// Boxed so that the common cases keep nodes small.
    Many(Box<IdMap>),
}

/// Keyed by interned ids, which the interner hands out densely and no
/// subscriber chooses, so a fixed key cannot be aimed at.
type IdMap = HashMap<u32, u32, FixedState>;
type Pairs = SmallVec<[(u32, u32); FEW]>;

impl Children {
    #[inline]
    pub(crate) fn get(&self, label: u32) -> Option<u32> {
        match self {
            Children::None => None,
            Children::One(key, node) => (*key == label).then_some(*node),
            Children::Few(pairs) => pairs
                .iter()
                .find(|(key, _)| *key == label)
                .map(|(_, node)| *node),
            Children::Many(map) => map.get(&label).copied(),
        }
    }

    /// Adds a child; the caller has checked that `label` has none yet.
    pub(crate) fn insert(&mut self, label: u32, node: u32) {
        *self = match std::mem::take(self) {
            Children::None => Children::One(label, node),
            Children::One(key, child) => {
                Children::Few(Box::new(smallvec![(key, child), (label, node)]))
            }
            Children::Few(mut pairs) if pairs.len() < FEW => {
                pairs.push((label, node));
                Children::Few(pairs)
            }
            Children::Few(pairs) => {
                let mut map: IdMap = pairs.iter().copied().collect();
                map.insert(label, node);
                Children::Many(Box::new(map))
            }
            Children::Many(mut map) => {
                map.insert(label, node);
                Children::Many(map)
            }
        };
    }

    pub(crate) fn remove(&mut self, label: u32) {
        *self = match std::mem::take(self) {
            Children::One(key, _) if key == label => Children::None,
            Children::Few(mut pairs) => {
                pairs.retain(|(key, _)| *key != label);
                Children::from_pairs(*pairs)
            }
            Children::Many(mut map) => {
                map.remove(&label);
                if map.len() <= SHRINK_AT {
                    Children::from_pairs(map.drain().collect())
                } else {
                    Children::Many(map)
                }
            }
            unchanged => unchanged,
        };
    }

    /// The smallest form holding `pairs` (at most [`FEW`] of them).
    fn from_pairs(pairs: Pairs) -> Children {
        match pairs.as_slice() {
            [] => Children::None,
            [(key, node)] => Children::One(*key, *node),
            _ => Children::Few(Box::new(pairs)),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        matches!(self, Children::None)
    }
}
