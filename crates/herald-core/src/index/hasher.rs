//! The keyed hash of one topic segment or pattern literal, read eight bytes
//! at a time from wherever the text lies, and the shapes' salts.
//!
//! A match hashes every segment of the topic, so this hash is on the match
//! path once per segment. Segments are short (event names: a few bytes to
//! a dozen), so the hash is one folded multiply of the first sixteen bytes
//! (two words) with the length, and one more per further sixteen bytes,
//! under three secret 64-bit keys drawn per table
//! ([`crate::hashing::keyed`]), as foldhash does for short input. It is
//! written here rather than taken from foldhash because the words come
//! straight out of the topic at the segment's place ([`word_at`], or a
//! [`Padded`] copy of a short topic): no slice per segment and no branch
//! on its length or place before the loads. A segment of up to 16 bytes
//! is read as the eight bytes it starts with and the eight it ends with,
//! masked by its length (so its last bytes sit at the top of their word):
//! two loads and two masks from a table, nothing that depends on the
//! length but addresses. The segment and the same text as a pattern
//! literal hash alike, whatever surrounds them. This module never decides
//! what a hash is used for.

use std::hash::BuildHasher;

use crate::hashing::{Keyed, keyed};
use crate::topic::ScanCopy;

/// What the index hashes with: segments (by their words) and shape
/// skeletons (for their salts). The router's index uses [`SecretKeys`];
/// tests plug in a degenerate one that sends every key to one bucket.
pub(crate) trait SegmentHasher {
    /// The hash of a segment of `len` bytes whose `i`-th eight bytes are
    /// `word(i)` (bytes past the segment may be anything: they are
    /// masked off here).
    fn segment(&self, len: usize, word: impl Fn(usize) -> u64) -> u64;

    /// The hash of a segment of up to 16 bytes from the eight bytes that
    /// start with it (`starting`) and the eight that end with it
    /// (`ending`, its last byte on top), whatever else they hold; `None`
    /// for a longer one. Equal to [`segment`](Self::segment) of the same
    /// bytes.
    #[inline(always)]
    fn short_segment(&self, len: usize, starting: u64, ending: u64) -> Option<u64> {
        let (head_mask, tail_mask) = short_masks(len)?;
        // Back to the words `segment` reads: the tail's bytes at the
        // bottom, after the head's when there is one.
        let low = (ending & tail_mask) >> tail_shift(len);
        let (first, second) = match head_mask {
            0 => (low, 0),
            _ => (starting, low),
        };
        Some(self.segment(len, |at| if at == 0 { first } else { second }))
    }

    /// The random salt of a shape, from its skeleton.
    fn salt(&self, skeleton: &[u8]) -> u64;
}

/// What the hash keeps of a segment of `len` bytes, up to 16: of the eight
/// bytes it starts with, all past eight bytes (they are its `head`) and
/// none up to that; of the eight it ends with, the top `len - 8` past
/// eight bytes, else the top `len` (its `tail`). `None` past 16 bytes.
const fn short_masks(len: usize) -> Option<(u64, u64)> {
    match len {
        0 => Some((0, 0)),
        1..=8 => Some((0, u64::MAX << tail_shift(len))),
        9..=16 => Some((u64::MAX, u64::MAX << tail_shift(len))),
        _ => None,
    }
}

/// The keys of one table.
#[derive(Clone)]
pub(crate) struct SecretKeys {
    keys: [u64; 3],
    by_len: ByLen,
    salts: Keyed,
}

/// By a segment's length (0 to 16): what the hash keeps of its
/// words ([`short_masks`]), the first key, and the second key with the
/// length folded in. Next to the keys, so that a match reads them all
/// through one address, as operands of the instructions that use them: a
/// load stands for a shift, a choice or an operation, and the hash loop
/// keeps no key in a register (it has too few for all it keeps).
#[derive(Clone)]
struct ByLen {
    head: [u64; 17],
    tail: [u64; 17],
    first_key: [u64; 17],
    second_key: [u64; 17],
}

impl Default for SecretKeys {
    fn default() -> Self {
        let salts = keyed();
        let keys = [1u64, 2, 3].map(|n| salts.hash_one(n));
        let mut by_len = ByLen {
            head: [0; 17],
            tail: [0; 17],
            first_key: [keys[0]; 17],
            second_key: [0; 17],
        };
        for len in 0..17 {
            let (head, tail) = short_masks(len).unwrap_or((0, 0));
            by_len.head[len] = head;
            by_len.tail[len] = tail;
            by_len.second_key[len] = keys[1] ^ len as u64;
        }
        SecretKeys {
            keys,
            by_len,
            salts,
        }
    }
}

impl SecretKeys {
    /// Two words and the length, folded under the keys.
    #[inline(always)]
    fn pair(&self, len: usize, first: u64, second: u64) -> u64 {
        let [first_key, second_key, _] = self.keys;
        folded_multiply(first ^ first_key, second ^ second_key ^ len as u64)
    }
}

impl SegmentHasher for SecretKeys {
    #[inline(always)]
    fn segment(&self, len: usize, word: impl Fn(usize) -> u64) -> u64 {
        let first = word(0) & low_bytes(len);
        let (head, tail) = if len > 8 {
            (first, word(1) & low_bytes(len - 8))
        } else {
            (0, first)
        };
        if len > 16 {
            return longer(self.pair(len, head, tail), len, self.keys[2], word);
        }
        // The tail's bytes on top, as a match reads them.
        self.pair(len, head, tail << tail_shift(len))
    }

    #[inline(always)]
    fn short_segment(&self, len: usize, starting: u64, ending: u64) -> Option<u64> {
        let ByLen {
            head,
            tail,
            first_key,
            second_key,
        } = &self.by_len;
        let head = starting & *head.get(len)?;
        let tail = ending & *tail.get(len)?;
        Some(folded_multiply(
            head ^ *first_key.get(len)?,
            tail ^ *second_key.get(len)?,
        ))
    }

    fn salt(&self, skeleton: &[u8]) -> u64 {
        self.salts.hash_one(skeleton)
    }
}

/// The rest of a segment longer than sixteen bytes folded into `hash`,
/// sixteen bytes at a time: rare in event names, so out of the loop that
/// hashes the usual ones.
#[cold]
#[inline(never)]
fn longer(mut hash: u64, len: usize, key: u64, word: impl Fn(usize) -> u64) -> u64 {
    let mut at = 16;
    while at < len {
        let first = word(at / 8) & low_bytes(len - at);
        let second = if at + 8 < len {
            word(at / 8 + 1) & low_bytes(len - at - 8)
        } else {
            0
        };
        hash = folded_multiply(first ^ hash, second ^ key);
        at += 16;
    }
    hash
}

/// The hash of a whole byte string, such as a pattern literal.
#[inline]
pub(crate) fn hash_bytes(hasher: &impl SegmentHasher, text: &[u8]) -> u64 {
    hasher.segment(text.len(), |at| word_at(text, 8 * at))
}

/// Bytes `at..at + 8` of `bytes` as a little-endian word, zero past the
/// end.
#[inline(always)]
pub(crate) fn word_at(bytes: &[u8], at: usize) -> u64 {
    // The last place a whole word starts does not change from one word of
    // a topic to the next: one comparison per word, once it is hoisted.
    let Some(last) = bytes.len().checked_sub(8) else {
        return word_of_short(bytes, at);
    };
    if at <= last
        && let Some(chunk) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>)
    {
        return u64::from_le_bytes(*chunk);
    }
    // Past the end: the last eight bytes shifted down (a topic's last
    // segment usually ends there), with no call that would make the
    // caller's loop save its registers.
    let chunk = bytes.get(last..).unwrap_or_default();
    u64::from_le_bytes(chunk.try_into().unwrap_or_default())
        .checked_shr(8 * (at - last) as u32)
        .unwrap_or(0)
}

/// Bytes of anything before the topic in a [`Padded`] copy.
const PAD: usize = 8;

/// The longest topic a [`Padded`] copy holds.
const PADDED_TOPIC: usize = 63;

/// A copy of a topic of 8 to [`PADDED_TOPIC`] bytes behind [`PAD`] bytes
/// of anything, so that the eight bytes that end where a segment ends
/// (the topic's first segment included) and the eight from where it
/// starts are one load each, without a branch: a segment's words take
/// neither a comparison with the topic's end nor a dispatch on the
/// segment's length, whose outcome follows no pattern a predictor could
/// learn.
pub(crate) struct Padded([u8; PADDED_BYTES]);

/// The size of a [`Padded`] copy: the padding, room for 64 bytes of topic
/// and one more word, so that the eight bytes from any segment's start
/// are there. Every match zeroes it first: no more than that.
const PADDED_BYTES: usize = PAD + 64 + 8;

impl Padded {
    /// Whether [`Padded::copy`] copies `text` whole: 8 to
    /// [`PADDED_TOPIC`] bytes.
    #[inline(always)]
    pub(crate) fn fits(text: &[u8]) -> bool {
        (8..=PADDED_TOPIC).contains(&text.len())
    }

    /// No topic yet.
    pub(crate) const EMPTY: Padded = Padded([0; PADDED_BYTES]);

    /// Copies in `text`, which [`fits`](Self::fits) (of any other, none or
    /// some of its bytes), as the scan of a match does ([`ScanCopy`]).
    #[cfg(test)]
    pub(crate) fn copy(&mut self, text: &[u8]) {
        let len = text.len();
        let padded = self;
        // Overlapping copies at fixed and clamped places rather than a
        // loop or a call: every byte is written once or twice, alike.
        if len >= 16 {
            let last = len - 16;
            for at in [0, last.min(16), last.min(32), last] {
                if let (Some(to), Some(from)) = (
                    padded.0.get_mut(PAD + at..PAD + at + 16),
                    text.get(at..at + 16),
                ) {
                    to.copy_from_slice(from);
                }
            }
        } else if len >= 8 {
            for at in [0, len - 8] {
                if let (Some(to), Some(from)) = (
                    padded.0.get_mut(PAD + at..PAD + at + 8),
                    text.get(at..at + 8),
                ) {
                    to.copy_from_slice(from);
                }
            }
        }
    }

    /// The `N` bytes from byte `at` of the topic on (past its end:
    /// whatever the copy holds there), if the copy has that many.
    #[inline(always)]
    pub(crate) fn bytes<const N: usize>(&self, at: usize) -> Option<&[u8; N]> {
        self.0.get(PAD + at..).and_then(<[u8]>::first_chunk::<N>)
    }

    /// The eight bytes that start with the segment at `start..end` and
    /// the eight that end with it, as [`SegmentHasher::short_segment`]
    /// takes them: two loads, with no branch or shift that depends on the
    /// segment's length (lengths follow no pattern a predictor could
    /// learn).
    #[inline(always)]
    pub(crate) fn words(&self, start: usize, end: usize) -> (u64, u64) {
        let word = |at: usize| {
            self.0
                .get(at..)
                .and_then(<[u8]>::first_chunk::<8>)
                .map_or(0, |chunk| u64::from_le_bytes(*chunk))
        };
        (word(PAD + start), word(end))
    }
}

/// The scan of a short topic copies it in as it reads it: every byte at
/// least once, with no second read of the topic.
impl ScanCopy for Padded {
    #[inline(always)]
    fn sixteen(&mut self, at: usize, bytes: [u8; 16]) {
        if let Some(to) = self.0.get_mut(PAD + at..PAD + at + 16) {
            to.copy_from_slice(&bytes);
        }
    }

    #[inline(always)]
    fn eight(&mut self, at: usize, bytes: [u8; 8]) {
        if let Some(to) = self.0.get_mut(PAD + at..PAD + at + 8) {
            to.copy_from_slice(&bytes);
        }
    }
}

/// [`word_at`] in text shorter than eight bytes: the bytes one by one.
#[cold]
#[inline(never)]
fn word_of_short(bytes: &[u8], at: usize) -> u64 {
    bytes
        .get(at..)
        .unwrap_or_default()
        .iter()
        .rev()
        .fold(0, |word, &byte| word << 8 | u64::from(byte))
}

/// A mask of the low `count` bytes of a word (all of them from eight on;
/// none for no bytes, where the word is 0 anyway).
#[inline(always)]
fn low_bytes(count: usize) -> u64 {
    u64::MAX >> ((64 - 8 * count.min(8)) & 63)
}
/// How far a segment's last `len % 8` bytes (all eight when that is 0)
/// move between the bottom of a word and its top: `8 * (8 - len)` or
/// `8 * (16 - len)` for 1 to 16 bytes, both `-8 * len` modulo 64.
#[inline(always)]
const fn tail_shift(len: usize) -> u32 {
    (8 * len as u32).wrapping_neg() % 64
}

/// The two halves of the full product, folded: every bit of either input
/// moves the result.
#[inline(always)]
fn folded_multiply(x: u64, y: u64) -> u64 {
    let full = u128::from(x) * u128::from(y);
    (full as u64) ^ (full >> 64) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_reads_the_bytes_there_and_zero_past_the_end() {
        let text: Vec<u8> = (1..=40).collect();
        for len in 0..=text.len() {
            let bytes = &text[..len];
            for at in 0..len + 2 {
                let expected = (0..8).fold(0u64, |word, i| {
                    let byte = bytes.get(at + i).copied().unwrap_or(0);
                    word | u64::from(byte) << (8 * i)
                });
                assert_eq!(word_at(bytes, at), expected, "len {len}, at {at}");
            }
        }
    }

    #[test]
    fn a_segment_hashes_alike_wherever_it_sits_and_apart_from_its_neighbours() {
        let keys = SecretKeys::default();
        let topic: Vec<u8> = (0..90u8).map(|n| b'a' + n % 26).collect();
        let mut seen = std::collections::HashSet::new();
        for start in 0..topic.len() {
            for end in start + 1..=topic.len() {
                let alone = hash_bytes(&keys, &topic[start..end]);
                let in_place = keys.segment(end - start, |at| word_at(&topic, start + 8 * at));
                assert_eq!(alone, in_place, "{start}..{end}");
                seen.insert((end - start, alone));
            }
        }
        // Different text (or length) gives a different hash.
        let distinct: std::collections::HashSet<&[u8]> = (0..topic.len())
            .flat_map(|start| (start + 1..=topic.len()).map(move |end| (start, end)))
            .map(|(start, end)| &topic[start..end])
            .collect();
        assert_eq!(seen.len(), distinct.len());
    }

    #[test]
    fn a_padded_topic_gives_each_short_segment_its_own_words_and_hash() {
        let keys = SecretKeys::default();
        // Distinct bytes everywhere, so a byte from a neighbour or from the
        // padding would change a word.
        let text: Vec<u8> = (0..PADDED_TOPIC as u8).map(|n| 0x80 | n).collect();
        for len in 0..=text.len() {
            let topic = &text[..len];
            // Whatever the copy holds around the topic stays unread.
            let mut padded = Padded([0x5a; PADDED_BYTES]);
            padded.copy(topic);
            if !Padded::fits(topic) {
                assert!(len < 8, "{len}");
                continue;
            }
            for start in 0..len {
                for end in start + 1..=len.min(start + 16) {
                    let segment = &topic[start..end];
                    let word = |at: usize| {
                        (0..8).fold(0u64, |word, i| {
                            let byte = segment.get(at + i).copied().unwrap_or(0);
                            word | u64::from(byte) << (8 * i)
                        })
                    };
                    let (starting, ending) = padded.words(start, end);
                    let (head_mask, tail_mask) = short_masks(end - start).unwrap();
                    // The tail's bytes on top: its last byte in the top one.
                    let top = |at: usize| word(at) << (8 * (8 - (end - start - at).min(8)));
                    let expected = match segment.len() > 8 {
                        true => (word(0), top(8)),
                        false => (0, top(0)),
                    };
                    assert_eq!(
                        (starting & head_mask, ending & tail_mask),
                        expected,
                        "{len}: {start}..{end}"
                    );
                    let hash = Some(hash_bytes(&keys, segment));
                    assert_eq!(
                        keys.short_segment(end - start, starting, ending),
                        hash,
                        "{len}: {start}..{end}"
                    );
                    assert_eq!(
                        Plain(&keys).short_segment(end - start, starting, ending),
                        hash,
                        "{len}: {start}..{end}"
                    );
                }
            }
        }
    }

    /// [`SecretKeys`] with only the required methods: the trait's own
    /// `short_segment`.
    struct Plain<'a>(&'a SecretKeys);

    impl SegmentHasher for Plain<'_> {
        fn segment(&self, len: usize, word: impl Fn(usize) -> u64) -> u64 {
            self.0.segment(len, word)
        }

        fn salt(&self, skeleton: &[u8]) -> u64 {
            self.0.salt(skeleton)
        }
    }

    #[test]
    fn only_segments_of_up_to_sixteen_bytes_are_short() {
        let keys = SecretKeys::default();
        for len in [17, 18, 40, 64, usize::MAX] {
            assert_eq!(keys.short_segment(len, u64::MAX, u64::MAX), None, "{len}");
            assert_eq!(Plain(&keys).short_segment(len, 1, 1), None, "{len}");
        }
        // No valid topic has an empty segment, but its hash is still right.
        let empty = Some(hash_bytes(&keys, b""));
        assert_eq!(keys.short_segment(0, u64::MAX, u64::MAX), empty);
        assert_eq!(Plain(&keys).short_segment(0, u64::MAX, u64::MAX), empty);
    }

    #[test]
    fn masks_keep_exactly_the_low_bytes() {
        assert_eq!(low_bytes(1), 0xff);
        assert_eq!(low_bytes(7), 0x00ff_ffff_ffff_ffff);
        assert_eq!(low_bytes(8), u64::MAX);
        assert_eq!(low_bytes(30), u64::MAX);
    }
}
