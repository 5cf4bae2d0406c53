//! The router as it was before the shape index: every pattern in one
//! [`Trie`], matched by the state-set walk, ids sorted per match. Kept here,
//! outside the library, as the baseline the benchmarks run side by side with
//! the index. It is the same walk the library still uses for `#`-heavy
//! patterns, over the library's own trie.

use std::collections::BTreeSet;

use herald_core::matcher::Trie;
use herald_core::{Limits, Pattern, SyntaxError};
use smallvec::SmallVec;

/// Subscriber ids at one pattern: a sorted inline vector, a B-tree past 16.
#[derive(Debug, Clone)]
enum Subscribers {
    Few(SmallVec<[u64; 2]>),
    Many(BTreeSet<u64>),
}

impl Subscribers {
    fn insert(&mut self, id: u64) -> bool {
        match self {
            Subscribers::Few(ids) => match ids.binary_search(&id) {
                Ok(_) => false,
                Err(at) if ids.len() < 16 => {
                    ids.insert(at, id);
                    true
                }
                Err(_) => {
                    let mut set: BTreeSet<u64> = ids.iter().copied().collect();
                    set.insert(id);
                    *self = Subscribers::Many(set);
                    true
                }
            },
            Subscribers::Many(ids) => ids.insert(id),
        }
    }

    fn remove(&mut self, id: u64) -> bool {
        match self {
            Subscribers::Few(ids) => match ids.binary_search(&id) {
                Ok(at) => {
                    ids.remove(at);
                    true
                }
                Err(_) => false,
            },
            Subscribers::Many(ids) => {
                let removed = ids.remove(&id);
                if ids.len() <= 8 {
                    *self = Subscribers::Few(ids.iter().copied().collect());
                }
                removed
            }
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Subscribers::Few(ids) => ids.is_empty(),
            Subscribers::Many(ids) => ids.is_empty(),
        }
    }

    fn for_each(&self, mut sink: impl FnMut(u64)) {
        match self {
            Subscribers::Few(ids) => ids.iter().for_each(|&id| sink(id)),
            Subscribers::Many(ids) => ids.iter().for_each(|&id| sink(id)),
        }
    }
}

/// The trie router: subscribe, unsubscribe and match with the old design.
#[derive(Debug, Clone)]
pub struct TrieRouter {
    trie: Trie<Subscribers>,
    limits: Limits,
}

impl Default for TrieRouter {
    fn default() -> Self {
        TrieRouter::new()
    }
}

impl TrieRouter {
    /// An empty router with the default limits.
    pub fn new() -> Self {
        TrieRouter {
            trie: Trie::new(),
            limits: Limits::default(),
        }
    }

    /// Adds the pair; `true` if it is new.
    pub fn subscribe(&mut self, pattern: &Pattern, id: u64) -> bool {
        self.trie
            .get_or_insert_with(pattern, || Subscribers::Few(SmallVec::new()))
            .insert(id)
    }

    /// Removes the pair; `true` if it existed.
    pub fn unsubscribe(&mut self, pattern: &Pattern, id: u64) -> bool {
        let Some(ids) = self.trie.get_mut(pattern) else {
            return false;
        };
        let removed = ids.remove(id);
        if ids.is_empty() {
            self.trie.remove(pattern);
        }
        removed
    }

    /// Trie nodes, the root included.
    pub fn node_count(&self) -> usize {
        self.trie.node_count()
    }

    /// Same contract as the library's `match_into`: ids once, ascending.
    pub fn match_into(&self, topic: &str, out: &mut Vec<u64>) -> Result<(), SyntaxError> {
        out.clear();
        let stats = self
            .trie
            .match_topic(topic, &self.limits, |ids| ids.for_each(|id| out.push(id)))?;
        if stats.matched > 1 {
            out.sort_unstable();
            out.dedup();
        }
        Ok(())
    }
}
