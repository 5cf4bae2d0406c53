//! Duplicate keys: the keys seen in each open object, to tell when one
//! comes twice.
//!
//! Keys are compared by their decoded text (callers decode escapes first),
//! so `"a"` and `"\u0061"` are the same key. The keys of all open objects
//! share one arena, popped with their object; an object with more than a
//! few keys moves its own to a hash set, so that a hostile object with many
//! keys costs linear time, not quadratic. The arena's first bytes live
//! inline: the few short keys of typical payloads never touch the heap.

use std::collections::HashSet;

use smallvec::SmallVec;

/// Past this many keys in one object, they move to a hash set.
const LINEAR_SCAN: usize = 16;

/// The keys of one object moved to a hash set, with the object's depth.
type Spill = (usize, HashSet<Box<[u8]>>);

/// The keys of the open objects.
#[derive(Debug, Default)]
pub(crate) struct KeySet {
    bytes: SmallVec<[u8; 256]>,
    spans: SmallVec<[(usize, usize); 16]>,
    /// Objects whose keys moved to a hash set, by depth (innermost last);
    /// `None` until the first moves, so that a walk that never needs one
    /// drops nothing.
    spills: Option<Vec<Spill>>,
}

/// One open object's place in the [`KeySet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ObjectKeys {
    from: usize,
    depth: usize,
}

impl KeySet {
    /// Starts the keys of an object opened at `depth` (which no other open
    /// object has), after every key of the objects it is nested in.
    pub(crate) fn open(&self, depth: usize) -> ObjectKeys {
        ObjectKeys {
            from: self.spans.len(),
            depth,
        }
    }

    /// Adds `name` to the keys of `object`, the innermost open object;
    /// `false` when it was there already.
    pub(crate) fn insert(&mut self, object: ObjectKeys, name: &[u8]) -> bool {
        if let Some((_, set)) = self
            .spills
            .as_mut()
            .and_then(|spills| spills.last_mut())
            .filter(|(depth, _)| *depth == object.depth)
        {
            return set.insert(name.into());
        }
        let mine = &self.spans[object.from..];
        let bytes = &self.bytes;
        if mine.iter().any(|&(start, end)| &bytes[start..end] == name) {
            return false;
        }
        if mine.len() >= LINEAR_SCAN {
            let mut set: HashSet<Box<[u8]>> = mine
                .iter()
                .map(|&(start, end)| bytes[start..end].into())
                .collect();
            set.insert(name.into());
            self.bytes.truncate(self.spans[object.from].0);
            self.spans.truncate(object.from);
            self.spills
                .get_or_insert_with(Vec::new)
                .push((object.depth, set));
            return true;
        }
        let start = self.bytes.len();
        self.bytes.extend_from_slice(name);
        self.spans.push((start, self.bytes.len()));
        true
    }

    /// Forgets the keys of `object`, which is closing. Objects whose keys
    /// all had a schema's field (the common case) left nothing to forget.
    #[inline(always)]
    pub(crate) fn close(&mut self, object: ObjectKeys) {
        if self.spans.len() > object.from || self.spills.is_some() {
            self.forget(object);
        }
    }

    #[inline(never)]
    fn forget(&mut self, object: ObjectKeys) {
        if let Some(&(start, _)) = self.spans.get(object.from) {
            self.bytes.truncate(start);
            self.spans.truncate(object.from);
        }
        if let Some(spills) = &mut self.spills
            && spills
                .last()
                .is_some_and(|(depth, _)| *depth == object.depth)
        {
            spills.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_new_once_per_object() {
        let mut keys = KeySet::default();
        let outer = keys.open(1);
        assert!(keys.insert(outer, b"a"));
        let inner = keys.open(2);
        assert!(keys.insert(inner, b"a"), "another object");
        assert!(!keys.insert(inner, b"a"));
        keys.close(inner);
        assert!(!keys.insert(outer, b"a"));
        assert!(keys.insert(outer, b"b"));
    }

    #[test]
    fn many_keys_move_to_a_set_and_still_repeat() {
        let mut keys = KeySet::default();
        let object = keys.open(1);
        for n in 0..1_000 {
            assert!(keys.insert(object, format!("k{n}").as_bytes()));
        }
        assert!(!keys.insert(object, b"k0"));
        assert!(!keys.insert(object, b"k999"));
        let inner = keys.open(2);
        assert!(keys.insert(inner, b"k0"));
        keys.close(inner);
        keys.close(object);
        let again = keys.open(1);
        assert!(keys.insert(again, b"k0"), "a closed object's keys are gone");
    }
}
