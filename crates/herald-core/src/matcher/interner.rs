//! Segment interning: each distinct literal segment of the trie gets a `u32`.
//!
//! A topic segment that was never interned cannot equal any literal edge, so a
//! miss costs one hash lookup and no string compares further down the trie.
//! The strings come from untrusted subscribers and topics, so the map's hash is
//! keyed with random bits drawn once per trie from the standard library's
//! `RandomState`; it must never fall back to a fixed, guessable key.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// Maps literal segments to small ids and counts the trie edges using each id.
#[derive(Debug, Clone, Default)]
pub(crate) struct Interner {
    ids: HashMap<Box<str>, u32, SegmentHashing>,
    /// Edges labelled with each id; an id whose count drops to zero is freed.
    uses: Vec<u32>,
    free: Vec<u32>,
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

/// Builds [`SegmentHasher`]s that share one random key.
///
/// The hash is a folded 64×64→128-bit multiply per 8 bytes (the construction
/// of `foldhash` and `ahash`'s portable path): several times faster than
/// SipHash on short segments, which matters because every topic segment is
/// hashed once per match. It is not a cryptographic PRF; the random key is
/// what keeps an outsider from precomputing colliding segment names.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SegmentHashing {
    key: [u64; 2],
}

impl Default for SegmentHashing {
    fn default() -> Self {
        let random = RandomState::new();
        SegmentHashing {
            key: [
                random.hash_one(0x243f_6a88_85a3_08d3_u64),
                random.hash_one(0x1319_8a2e_0370_7344_u64) | 1,
            ],
        }
    }
}

impl BuildHasher for SegmentHashing {
    type Hasher = SegmentHasher;

    #[inline]
    fn build_hasher(&self) -> SegmentHasher {
        SegmentHasher {
            state: self.key[0],
            multiplier: self.key[1],
        }
    }
}

/// The hasher of [`SegmentHashing`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct SegmentHasher {
    state: u64,
    multiplier: u64,
}

/// Multiplies into 128 bits and folds the halves together.
#[inline]
fn folded_multiply(a: u64, b: u64) -> u64 {
    let full = u128::from(a) * u128::from(b);
    (full as u64) ^ ((full >> 64) as u64)
}

/// An odd constant (the fractional part of π) that keeps chunks apart.
const CHUNK_MIX: u64 = 0xa409_3822_299f_31d0 | 1;

impl Hasher for SegmentHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.state = folded_multiply(self.state ^ read_u64(chunk), CHUNK_MIX);
        }
        // The length goes into the top byte so that inputs whose short tails
        // read alike (overlapping loads below) still differ.
        let tail = short_tail(chunks.remainder()) ^ ((bytes.len() as u64) << 56);
        self.state = folded_multiply(self.state ^ tail, CHUNK_MIX);
    }

    #[inline]
    fn write_u8(&mut self, byte: u8) {
        // `str` hashing ends with a 0xff marker byte; a rotate keeps it cheap.
        self.state = self.state.rotate_left(8) ^ u64::from(byte);
    }

    #[inline]
    fn finish(&self) -> u64 {
        folded_multiply(self.state, self.multiplier)
    }
}

/// Reads 8 bytes little-endian (`bytes` is one 8-byte chunk).
#[inline]
fn read_u64(bytes: &[u8]) -> u64 {
    u64::from_le_bytes(bytes.try_into().unwrap_or_default())
}

/// Reads 4 bytes little-endian (`bytes` is exactly 4 bytes).
#[inline]
fn read_u32(bytes: &[u8]) -> u64 {
    u64::from(u32::from_le_bytes(bytes.try_into().unwrap_or_default()))
}

/// Packs up to 7 bytes into a word without a variable-length copy: two
/// overlapping 4-byte reads, or first, middle and last byte.
#[inline]
fn short_tail(bytes: &[u8]) -> u64 {
    let len = bytes.len();
    if len >= 4 {
        read_u32(&bytes[..4]) | read_u32(&bytes[len - 4..]) << 32
    } else if len > 0 {
        u64::from(bytes[0]) | u64::from(bytes[len / 2]) << 8 | u64::from(bytes[len - 1]) << 16
    } else {
        0
    }
}
