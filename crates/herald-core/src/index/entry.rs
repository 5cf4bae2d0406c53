//! One stored pattern of an indexed shape — its key, its shape, the text of
//! its literals and its subscribers — in one 64-byte cache line.
//!
//! A match that finds a key must confirm it against the literals, so their
//! text is read on every hit; held inline, it comes with the entry instead
//! of costing a second dependent cache miss behind a pointer. To leave the
//! text as much of the line as possible (48 bytes: nine in ten event-type
//! patterns of four to six segments), the entry keeps half of its 64-bit
//! key (the table and the key filter work with that half) and is one enum
//! over the two forms of its text and the two forms of its ids, with a
//! single tag. Longer text goes to the heap. This module never
//! hashes, matches or decides anything.

use super::ids::{IdSet, Ids, ManyIds};
use super::shape::ShapeId;

/// The longest literal text kept inside the entry.
pub(crate) const INLINE_TEXT: usize = 48;

/// One pattern of an indexed shape, aligned to a cache line so that a hit
/// reads exactly one.
#[derive(Debug, Clone)]
#[repr(align(64))]
pub(crate) struct Entry(Form);

/// The four forms: text inline or on the heap, one id or more. The fields
/// of [`Head`] are spelled out in each, so that the compiler can pack them
/// with the tag and the length into the first eight bytes.
#[derive(Debug, Clone)]
enum Form {
    InlineOne {
        key: u32,
        shape: ShapeId,
        len: u8,
        id: u64,
        text: [u8; INLINE_TEXT],
    },
    InlineMany {
        key: u32,
        shape: ShapeId,
        len: u8,
        many: Box<ManyIds>,
        text: [u8; INLINE_TEXT],
    },
    HeapOne {
        key: u32,
        shape: ShapeId,
        id: u64,
        text: Box<[u8]>,
    },
    HeapMany {
        key: u32,
        shape: ShapeId,
        many: Box<ManyIds>,
        text: Box<[u8]>,
    },
}

/// What every form has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Head {
    /// The half of the key the table hashes with ([`table_hash`]).
    key: u32,
    shape: ShapeId,
}

/// The hash the table files an entry of `key` under: spread from the half
/// of the key the entry keeps (by an odd multiplier, so that hashbrown's tag,
/// the top seven bits, depends on all of it).
#[inline(always)]
pub(crate) fn table_hash(key: u64) -> u64 {
    table_hash_of(kept_half(key))
}

/// The half of a 64-bit key an entry keeps, which the table and the key
/// filter work with.
#[inline(always)]
pub(crate) fn kept_half(key: u64) -> u32 {
    (key >> 32) as u32
}

#[inline(always)]
fn table_hash_of(half: u32) -> u64 {
    u64::from(half).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

impl Entry {
    pub(crate) fn new(key: u64, shape: ShapeId, text: &[u8], subscriber: u64) -> Entry {
        let head = Head {
            key: kept_half(key),
            shape,
        };
        Entry::assemble(head, text, IdSet::One(subscriber))
    }

    fn assemble(head: Head, text: &[u8], ids: IdSet) -> Entry {
        let text = match u8::try_from(text.len()) {
            Ok(len) if text.len() <= INLINE_TEXT => {
                let mut bytes = [0; INLINE_TEXT];
                bytes[..text.len()].copy_from_slice(text);
                Text::Inline(len, bytes)
            }
            _ => Text::Heap(text.into()),
        };
        Entry(Form::of(head, text, ids))
    }

    #[inline(always)]
    fn head(&self) -> Head {
        match &self.0 {
            Form::InlineOne { key, shape, .. }
            | Form::InlineMany { key, shape, .. }
            | Form::HeapOne { key, shape, .. }
            | Form::HeapMany { key, shape, .. } => Head {
                key: *key,
                shape: *shape,
            },
        }
    }

    /// What the table hashes this entry with.
    pub(crate) fn table_hash(&self) -> u64 {
        table_hash_of(self.head().key)
    }

    /// The half of its key it keeps ([`kept_half`]).
    pub(crate) fn kept_key(&self) -> u32 {
        self.head().key
    }

    /// The shape of its pattern.
    pub(crate) fn shape(&self) -> ShapeId {
        self.head().shape
    }

    /// Asks the memory system for this entry's line without waiting for
    /// it, so that the lines of several candidates of one match arrive
    /// together rather than one after another.
    #[inline(always)]
    pub(crate) fn prefetch(&self) {
        #[cfg(all(target_arch = "x86_64", target_feature = "sse"))]
        safe_arch::prefetch_t0(self);
    }

    /// The literal segments joined by `.`.
    #[inline(always)]
    pub(crate) fn text(&self) -> &[u8] {
        match &self.0 {
            Form::InlineOne { len, text, .. } | Form::InlineMany { len, text, .. } => {
                &text[..usize::from(*len)]
            }
            Form::HeapOne { text, .. } | Form::HeapMany { text, .. } => text,
        }
    }

    /// A text of up to [`INLINE_TEXT`] bytes as the whole inline array
    /// (zeros past its end) and its length, for a comparison of fixed
    /// length; `None` for a text on the heap.
    #[inline(always)]
    pub(crate) fn inline_text(&self) -> Option<(&[u8; INLINE_TEXT], usize)> {
        match &self.0 {
            Form::InlineOne { len, text, .. } | Form::InlineMany { len, text, .. } => {
                Some((text, usize::from(*len)))
            }
            Form::HeapOne { .. } | Form::HeapMany { .. } => None,
        }
    }

    /// The subscribers.
    #[inline(always)]
    pub(crate) fn ids(&self) -> Ids<'_> {
        match &self.0 {
            Form::InlineOne { id, .. } | Form::HeapOne { id, .. } => Ids::One(*id),
            Form::InlineMany { many, .. } | Form::HeapMany { many, .. } => Ids::Many(many),
        }
    }

    /// Changes the subscribers with `change` (which must leave at least one).
    pub(crate) fn change_ids<R>(&mut self, change: impl FnOnce(&mut IdSet) -> R) -> R {
        let head = self.head();
        let (text, mut ids) = match std::mem::replace(&mut self.0, PLACEHOLDER) {
            Form::InlineOne { len, id, text, .. } => (Text::Inline(len, text), IdSet::One(id)),
            Form::InlineMany {
                len, many, text, ..
            } => (Text::Inline(len, text), IdSet::Many(many)),
            Form::HeapOne { id, text, .. } => (Text::Heap(text), IdSet::One(id)),
            Form::HeapMany { many, text, .. } => (Text::Heap(text), IdSet::Many(many)),
        };
        let answer = change(&mut ids);
        self.0 = Form::of(head, text, ids);
        answer
    }

    /// Whether this is the entry of `key` for a pattern of `shape` whose
    /// literal text `confirms` accepts (given the entry, to read the text
    /// as it likes): the key first (next to what the table just read),
    /// the text only when it matches.
    #[inline(always)]
    pub(crate) fn is(
        &self,
        key: u64,
        shape: ShapeId,
        confirms: impl FnOnce(&Entry) -> bool,
    ) -> bool {
        self.head()
            == Head {
                key: kept_half(key),
                shape,
            }
            && confirms(self)
    }
}

/// The text of an entry taken apart.
enum Text {
    Inline(u8, [u8; INLINE_TEXT]),
    Heap(Box<[u8]>),
}

impl Form {
    /// The form for the parts.
    fn of(Head { key, shape }: Head, text: Text, ids: IdSet) -> Form {
        match (text, ids) {
            (Text::Inline(len, text), IdSet::One(id)) => Form::InlineOne {
                key,
                shape,
                len,
                id,
                text,
            },
            (Text::Inline(len, text), IdSet::Many(many)) => Form::InlineMany {
                key,
                shape,
                len,
                many,
                text,
            },
            (Text::Heap(text), IdSet::One(id)) => Form::HeapOne {
                key,
                shape,
                id,
                text,
            },
            (Text::Heap(text), IdSet::Many(many)) => Form::HeapMany {
                key,
                shape,
                many,
                text,
            },
        }
    }
}

/// What an entry holds for the instant its parts are out (no allocation).
const PLACEHOLDER: Form = Form::InlineOne {
    key: 0,
    shape: 0,
    len: 0,
    id: 0,
    text: [0; INLINE_TEXT],
};

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(entry: &Entry) -> Vec<u64> {
        let mut out = Vec::new();
        entry.ids().for_each(|id| out.push(id));
        out
    }

    #[test]
    fn an_entry_is_one_cache_line() {
        assert_eq!(std::mem::size_of::<Entry>(), 64);
        assert_eq!(std::mem::align_of::<Entry>(), 64);
    }

    #[test]
    fn every_form_reads_back_and_changes_ids() {
        for len in [0, 1, INLINE_TEXT - 1, INLINE_TEXT, INLINE_TEXT + 1, 300] {
            let text: Vec<u8> = (0..len).map(|at| b'a' + (at % 26) as u8).collect();
            let key = 0x1234_5678_9abc_def0;
            let mut entry = Entry::new(key, 300, &text, 5);
            assert_eq!((entry.text(), ids(&entry)), (&text[..], vec![5]));
            assert!(entry.is(key, 300, |found| found.text() == text));
            assert!(!entry.is(key ^ 1 << 40, 300, |_| true));
            assert!(!entry.is(key, 301, |_| true));
            assert!(!entry.is(key, 300, |_| false));
            assert_eq!(entry.table_hash(), table_hash(key));
            assert!(entry.change_ids(|ids| ids.insert(3)));
            assert!(!entry.change_ids(|ids| ids.insert(5)));
            assert_eq!((entry.text(), ids(&entry)), (&text[..], vec![3, 5]));
            assert_eq!(entry.change_ids(|ids| ids.remove(5)), Some(true));
            assert_eq!((entry.text(), ids(&entry)), (&text[..], vec![3]));
            assert!(entry.is(key, 300, |found| found.text() == text));
            // An inline text is the array's start, zeros after it.
            match entry.inline_text() {
                Some((inline, inline_len)) => {
                    assert_eq!(inline_len, len);
                    assert_eq!(&inline[..len], &text[..]);
                    assert!(inline[len..].iter().all(|&byte| byte == 0));
                }
                None => assert!(len > INLINE_TEXT),
            }
        }
    }
}
