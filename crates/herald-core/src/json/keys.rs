//! Duplicate keys: the keys seen in each open object, to tell when one
//! comes twice.
//!
//! Keys are compared by their decoded text (callers decode escapes first),
//! so `"a"` and `"\u0061"` are the same key. A key without escapes is kept
//! as its place in the payload, which is its text: nothing is copied. Only
//! decoded keys are copied, into one arena shared by the open objects. The
//! keys of all open objects share one list, popped with their object; an
//! object with more than a few keys moves its own to a hash set, so that a
//! hostile object with many keys costs linear time, not quadratic. The
//! list and the arena start inline: the few keys of typical payloads never
//! touch the heap.

use std::collections::HashSet;

use smallvec::SmallVec;

/// Past this many keys in one object, they move to a hash set.
const LINEAR_SCAN: usize = 16;

/// The keys of one object moved to a hash set, with the object's depth.
type Spill = (usize, HashSet<Box<[u8]>>);

/// Where a kept key's text is: `start..end` of the payload, or of the
/// arena of decoded keys.
#[derive(Debug, Clone, Copy)]
struct Kept {
    start: usize,
    end: usize,
    decoded: bool,
}

/// The keys of the open objects, all read from one payload.
#[derive(Debug, Default)]
pub(crate) struct KeySet {
    /// The text of the decoded (escaped) keys.
    decoded: SmallVec<[u8; 64]>,
    kept: SmallVec<[Kept; 16]>,
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

/// A key to insert: its decoded text, and where it is in the payload when
/// that is its text (no escapes).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Key<'k> {
    /// The decoded text.
    pub(crate) text: &'k [u8],
    /// `start..end` of the payload when the raw bytes are the text.
    pub(crate) in_payload: Option<(usize, usize)>,
}

impl KeySet {
    /// Starts the keys of an object opened at `depth` (which no other open
    /// object has), after every key of the objects it is nested in.
    pub(crate) fn open(&self, depth: usize) -> ObjectKeys {
        ObjectKeys {
            from: self.kept.len(),
            depth,
        }
    }

    /// Adds `key` to the keys of `object`, the innermost open object, with
    /// `payload` the bytes every key of the set was read from; `false`
    /// when it was there already.
    pub(crate) fn insert(&mut self, object: ObjectKeys, payload: &[u8], key: Key<'_>) -> bool {
        let name = key.text;
        if let Some((_, set)) = self
            .spills
            .as_mut()
            .and_then(|spills| spills.last_mut())
            .filter(|(depth, _)| *depth == object.depth)
        {
            return set.insert(name.into());
        }
        let decoded = &self.decoded;
        let text = |kept: &Kept| {
            let from = if kept.decoded { &decoded[..] } else { payload };
            from.get(kept.start..kept.end).unwrap_or_default()
        };
        let mine = self.kept.get(object.from..).unwrap_or_default();
        if mine
            .iter()
            .any(|kept| kept.end - kept.start == name.len() && text(kept) == name)
        {
            return false;
        }
        if mine.len() >= LINEAR_SCAN {
            let mut set: HashSet<Box<[u8]>> = mine.iter().map(|kept| text(kept).into()).collect();
            set.insert(name.into());
            self.truncate(object.from);
            self.spills
                .get_or_insert_with(Vec::new)
                .push((object.depth, set));
            return true;
        }
        let kept = match key.in_payload {
            Some((start, end)) => Kept {
                start,
                end,
                decoded: false,
            },
            None => {
                let start = self.decoded.len();
                self.decoded.extend_from_slice(name);
                Kept {
                    start,
                    end: self.decoded.len(),
                    decoded: true,
                }
            }
        };
        self.kept.push(kept);
        true
    }

    /// Forgets the keys of `object`, which is closing. Objects whose keys
    /// all had a schema's field (the common case) left nothing to forget.
    #[inline(always)]
    pub(crate) fn close(&mut self, object: ObjectKeys) {
        if self.kept.len() > object.from || self.spills.is_some() {
            self.forget(object);
        }
    }

    /// Drops the kept keys from `from` on, with the decoded text of those
    /// that have one (the arena's tail: keys are kept in order).
    fn truncate(&mut self, from: usize) {
        let first_decoded = self
            .kept
            .get(from..)
            .unwrap_or_default()
            .iter()
            .find(|kept| kept.decoded);
        if let Some(first_decoded) = first_decoded {
            self.decoded.truncate(first_decoded.start);
        }
        self.kept.truncate(from);
    }

    #[inline(never)]
    fn forget(&mut self, object: ObjectKeys) {
        self.truncate(object.from);
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

    /// A key of `payload` at `start..end`, kept as its place there.
    fn raw(payload: &[u8], start: usize, end: usize) -> Key<'_> {
        Key {
            text: &payload[start..end],
            in_payload: Some((start, end)),
        }
    }

    /// A decoded key, copied.
    fn decoded(text: &[u8]) -> Key<'_> {
        Key {
            text,
            in_payload: None,
        }
    }

    #[test]
    fn a_key_is_new_once_per_object() {
        let payload = b"a b";
        let mut keys = KeySet::default();
        let outer = keys.open(1);
        assert!(keys.insert(outer, payload, raw(payload, 0, 1)));
        let inner = keys.open(2);
        assert!(keys.insert(inner, payload, decoded(b"a")), "another object");
        assert!(!keys.insert(inner, payload, raw(payload, 0, 1)));
        keys.close(inner);
        assert!(!keys.insert(outer, payload, decoded(b"a")));
        assert!(keys.insert(outer, payload, raw(payload, 2, 3)));
        assert!(!keys.insert(outer, payload, decoded(b"b")));
    }

    #[test]
    fn kept_and_decoded_keys_compare_by_text_whatever_their_length() {
        let payload = b"abc ab abcd";
        let mut keys = KeySet::default();
        let object = keys.open(1);
        assert!(keys.insert(object, payload, raw(payload, 0, 3)));
        assert!(keys.insert(object, payload, decoded(b"ab")));
        assert!(keys.insert(object, payload, raw(payload, 7, 11)));
        assert!(!keys.insert(object, payload, raw(payload, 4, 6)), "ab");
        assert!(!keys.insert(object, payload, decoded(b"abcd")));
        assert!(!keys.insert(object, payload, decoded(b"abc")));
        assert!(keys.insert(object, payload, decoded(b"")));
        assert!(!keys.insert(object, payload, raw(payload, 0, 0)), "empty");
        let inner = keys.open(2);
        assert!(keys.insert(inner, payload, decoded(b"zz")));
        keys.close(inner);
        let again = keys.open(2);
        assert!(
            keys.insert(again, payload, decoded(b"zz")),
            "closed, forgotten"
        );
        assert!(keys.insert(again, payload, decoded(b"ab")));
        keys.close(again);
        assert!(
            !keys.insert(object, payload, decoded(b"ab")),
            "the outer keeps its own"
        );
    }

    #[test]
    fn many_keys_move_to_a_set_and_still_repeat() {
        let names: Vec<String> = (0..1_000).map(|n| format!("k{n}")).collect();
        let payload = names.join(" ");
        let payload = payload.as_bytes();
        let mut spans = Vec::new();
        let mut at = 0;
        for name in &names {
            spans.push((at, at + name.len()));
            at += name.len() + 1;
        }
        let mut keys = KeySet::default();
        let object = keys.open(1);
        for (index, &(start, end)) in spans.iter().enumerate() {
            let key = if index % 3 == 0 {
                decoded(&payload[start..end])
            } else {
                raw(payload, start, end)
            };
            assert!(keys.insert(object, payload, key));
        }
        assert!(!keys.insert(object, payload, decoded(b"k0")));
        assert!(!keys.insert(object, payload, decoded(b"k999")));
        assert!(!keys.insert(object, payload, raw(payload, spans[5].0, spans[5].1)));
        let inner = keys.open(2);
        assert!(keys.insert(inner, payload, decoded(b"k0")));
        keys.close(inner);
        keys.close(object);
        let again = keys.open(1);
        assert!(
            keys.insert(again, payload, decoded(b"k0")),
            "a closed object's keys are gone"
        );
    }
}
