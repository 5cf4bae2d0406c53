//! Segment interning: each distinct literal segment of the trie gets a `u32`.
//!
//! A topic segment that was never interned cannot equal any literal edge, so a
//! miss costs one hash lookup and no string compares further down the trie.
//! The strings come from untrusted subscribers and topics, so the map is
//! keyed as [`crate::hashing`] says; it must never fall back to a fixed,
//! guessable key.

use std::collections::HashMap;

use crate::hashing::{Keyed, keyed};

/// Maps literal segments to small ids and counts the trie edges using each id.
#[derive(Debug, Clone)]
pub(crate) struct Interner {
    ids: HashMap<Box<str>, u32, Keyed>,
    /// Edges labelled with each id; an id whose count drops to zero is freed.
    uses: Vec<u32>,
    free: Vec<u32>,
}

impl Default for Interner {
    fn default() -> Self {
        Interner {
            ids: HashMap::with_hasher(keyed()),
            uses: Vec::new(),
            free: Vec::new(),
        }
    }
}

impl Interner {
    /// The id of `text`, if some edge uses it.
    #[inline]
    pub(crate) fn lookup(&self, text: &str) -> Option<u32> {
        self.ids.get(text).copied()
    }

    /// The id of `text`, interning it if needed, counted as one more edge.
    pub(crate) fn acquire(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            self.uses[id as usize] += 1;
            return id;
        }
        let id = match self.free.pop() {
            Some(id) => {
                self.uses[id as usize] = 1;
                id
            }
            None => {
                self.uses.push(1);
                // The router caps distinct patterns, and each pattern adds at
                // most `max_segments` ids, so ids stay far below `u32::MAX`.
                u32::try_from(self.uses.len() - 1).unwrap_or(u32::MAX)
            }
        };
        self.ids.insert(text.into(), id);
        id
    }

    /// One edge labelled `id` (whose text is `text`) went away.
    pub(crate) fn release(&mut self, id: u32, text: &str) {
        let Some(uses) = self.uses.get_mut(id as usize) else {
            return;
        };
        *uses = uses.saturating_sub(1);
        if *uses == 0 {
            self.ids.remove(text);
            self.free.push(id);
        }
    }

    /// How many distinct segments are interned.
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }
}
