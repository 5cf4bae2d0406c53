//! The keyed hash of one topic segment or pattern literal, read eight bytes
//! at a time from wherever the text lies, and the shapes' salts.
//!
//! A match hashes every segment of the topic, so this hash is on the match
//! path once per segment. Segments are short (event names: a few bytes to
//! a dozen), so the hash is one folded multiply of the first sixteen bytes
//! (two words, zero past the segment's end) with the length, and one more
//! per further sixteen bytes, under three secret 64-bit keys drawn per
//! table ([`crate::hashing::keyed`]), as foldhash does for short input. It
//! is written here rather than taken from foldhash because the words come
//! straight out of the topic at the segment's place ([`word_at`], or a
//! [`Padded`] copy of a short topic): no slice per segment and no branch
//! on its length or place before the loads. The
//! segment and the same text as a pattern literal hash alike, whatever
//! surrounds them. This module never decides what a hash is used for.

use std::hash::BuildHasher;

use crate::hashing::{Keyed, keyed};

/// What the index hashes with: segments (by their words) and shape
/// skeletons (for their salts). The router's index uses [`SecretKeys`];
/// tests plug in a degenerate one that sends every key to one bucket.
pub(crate) trait SegmentHasher {
    /// The hash of a segment of `len` bytes whose `i`-th eight bytes are
    /// `word(i)` (bytes past the segment may be anything: they are
    /// masked off here).
    fn segment(&self, len: usize, word: impl Fn(usize) -> u64) -> u64;

    /// The hash of a segment of 1 to 16 bytes from its two words: `head`,
    /// its first eight bytes when it is longer than eight (else 0), and
    /// `tail`, the bytes after those (else all of them), zero past the
    /// segment's end. Equal to [`segment`](Self::segment) of the same
    /// bytes.
    #[inline(always)]
    fn short_segment(&self, len: usize, head: u64, tail: u64) -> u64 {
        let (first, second) = if len > 8 { (head, tail) } else { (tail, 0) };
        self.segment(len, |at| if at == 0 { first } else { second })
    }

    /// The random salt of a shape, from its skeleton.
    fn salt(&self, skeleton: &[u8]) -> u64;
}

/// The keys of one table.
#[derive(Clone)]
pub(crate) struct SecretKeys {
    keys: [u64; 3],
    salts: Keyed,
}

impl Default for SecretKeys {
    fn default() -> Self {
        let salts = keyed();
        let keys = [1u64, 2, 3].map(|n| salts.hash_one(n));
        SecretKeys { keys, salts }
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
        let hash = self.short_segment(len, head, tail);
        if len > 16 {
            return longer(hash, len, self.keys[2], word);
        }
        hash
    }

    /// A segment of up to eight bytes is all `tail`, so that its words
    /// need one choice (`head` or 0) rather than two.
    #[inline(always)]
    fn short_segment(&self, len: usize, head: u64, tail: u64) -> u64 {
        let [head_key, tail_key, _] = self.keys;
        folded_multiply(head ^ head_key, tail ^ tail_key ^ len as u64)
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
pub(crate) struct Padded([u8; PAD + 64 + 16]);

impl Padded {
    /// Whether [`Padded::copy`] copies `text` whole: 8 to
    /// [`PADDED_TOPIC`] bytes.
    #[inline(always)]
    pub(crate) fn fits(text: &[u8]) -> bool {
        (8..=PADDED_TOPIC).contains(&text.len())
    }

    /// No topic yet.
    pub(crate) const EMPTY: Padded = Padded([0; PAD + 64 + 16]);

    /// Copies in `text`, which [`fits`](Self::fits) (of any other, none or
    /// some of its bytes). In place: an array moved out of a constructor
    /// would be copied again.
    #[inline(always)]
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

    /// The words the hash reads of the segment at `start..end` (1 to 16
    /// bytes; any other length gets words that mean nothing), as
    /// [`SegmentHasher::short_segment`] takes them: (`head`, `tail`).
    #[inline(always)]
    pub(crate) fn words(&self, start: usize, end: usize) -> (u64, u64) {
        let len = end.wrapping_sub(start);
        let word = |at: usize| {
            self.0
                .get(at..)
                .and_then(<[u8]>::first_chunk::<8>)
                .map_or(0, |chunk| u64::from_le_bytes(*chunk))
        };
        // The eight bytes that end with the segment, less those before it:
        // the whole segment up to eight bytes, its last `len - 8` after
        // that. The shift is `8 * (8 - len)` or `8 * (16 - len)`: both are
        // `-8 * len` modulo 64.
        let tail = word(end).wrapping_shr((8 * len as u32).wrapping_neg());
        let head = word(PAD + start);
        // Segment lengths follow no pattern a predictor could learn.
        (std::hint::select_unpredictable(len > 8, head, 0), tail)
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
            let mut padded = Padded([0x5a; PAD + 64 + 16]);
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
                    let (head, tail) = padded.words(start, end);
                    let expected = match segment.len() > 8 {
                        true => (word(0), word(8)),
                        false => (0, word(0)),
                    };
                    assert_eq!((head, tail), expected, "{len}: {start}..{end}");
                    assert_eq!(
                        keys.short_segment(end - start, head, tail),
                        hash_bytes(&keys, segment),
                        "{len}: {start}..{end}"
                    );
                }
            }
        }
    }

    #[test]
    fn masks_keep_exactly_the_low_bytes() {
        assert_eq!(low_bytes(1), 0xff);
        assert_eq!(low_bytes(7), 0x00ff_ffff_ffff_ffff);
        assert_eq!(low_bytes(8), u64::MAX);
        assert_eq!(low_bytes(30), u64::MAX);
    }
}
