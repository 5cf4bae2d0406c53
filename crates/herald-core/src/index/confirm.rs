//! Whether the entry a probe found is the pattern of the topic's segments:
//! its literal text against the segments at its shape's literal places,
//! joined by `.`. A key only chooses the entry (keys of different texts
//! may collide); this comparison makes every answer exact.
//!
//! A topic on the stack path (a [`Padded`] copy, no segment over 16
//! bytes) and an entry whose text is inline compare as arrays of
//! [`INLINE_TEXT`] bytes up to the text's length: for a shape whose
//! literals lead the topic the copy is that array already; otherwise the
//! segments are copied into one, 16 bytes and a `.` each. That is a few
//! vector compares where comparing bytes takes a call to `memcmp` per
//! literal. Any other topic or text compares bytes.

use super::Split;
use super::entry::{Entry, INLINE_TEXT};
use super::hasher::Padded;
use super::shape::Shape;

/// The longest segment the array comparison copies in one step.
const PIECE: usize = 16;

/// Whether `entry`'s literal text is the topic's segments at `shape`'s
/// literal places, joined by `.`.
#[inline(always)]
pub(super) fn confirms<E: Copy + Into<usize>>(
    entry: &Entry,
    shape: &Shape,
    topic: &[u8],
    split: &Split<'_, E>,
) -> bool {
    if let Some(padded) = split.padded
        && let Some((text, len)) = entry.inline_text()
        && let Some(same) = in_arrays(text, len, shape, padded, split)
    {
        return same;
    }
    in_bytes(entry.text(), shape, topic, split)
}

/// [`confirms`] for an inline `text` of `len` bytes and a topic copied
/// into `padded`; `None` when a segment is too long to copy in one step,
/// or starts too near the copy's end for 16 bytes (the bytes decide
/// then).
#[inline(always)]
fn in_arrays<E: Copy + Into<usize>>(
    text: &[u8; INLINE_TEXT],
    len: usize,
    shape: &Shape,
    padded: &Padded,
    split: &Split<'_, E>,
) -> Option<bool> {
    let count = split.count();
    if shape.leading {
        // The literals are segments 0..n: the text is that much of the topic.
        let end = match shape.literals.len() {
            0 => 0,
            n => split.end(n - 1),
        };
        return Some(end == len && same_start(padded.bytes(0)?, text, len));
    }
    // Room for the longest inline text and one more segment with its `.`.
    let mut joined = [0u8; INLINE_TEXT + PIECE + 1];
    let mut at = 0;
    for anchor in &shape.literals {
        if at > INLINE_TEXT {
            // Longer than any inline text already.
            return Some(false);
        }
        let range = split.range(anchor.position(count));
        let piece = range.len();
        if piece > PIECE {
            return None;
        }
        // Sixteen bytes, whatever follows the segment among them: the
        // next segment's `.` and bytes overwrite them, and the comparison
        // stops at the text's length.
        let to = joined.get_mut(at..at + PIECE + 1)?;
        to[..PIECE].copy_from_slice(padded.bytes::<PIECE>(range.start)?);
        *to.get_mut(piece)? = b'.';
        at += piece + 1;
    }
    // Less the last `.` (none for a shape without literals).
    let joined_len = at.saturating_sub(1);
    Some(joined_len == len && same_start(joined.first_chunk()?, text, len))
}

/// Whether the first `len` bytes of `a` and `b` are the same (`false` past
/// [`INLINE_TEXT`]): three 16-byte compares with SSE2, whose byte masks
/// are read up to `len`, with no branch on it.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn same_start(a: &[u8; INLINE_TEXT], b: &[u8; INLINE_TEXT], len: usize) -> bool {
    use safe_arch::{cmp_eq_mask_i8_m128i, m128i, move_mask_i8_m128i};
    let sixteen = |bytes: &[u8; INLINE_TEXT], at: usize| {
        let chunk = bytes
            .get(at..at + 16)
            .and_then(|chunk| <[u8; 16]>::try_from(chunk).ok())
            .unwrap_or_default();
        m128i::from(chunk)
    };
    // Bit `i`: byte `i` is the same in both.
    let mut equal = 0u64;
    for at in [0, 16, 32] {
        let same = cmp_eq_mask_i8_m128i(sixteen(a, at), sixteen(b, at));
        equal |= u64::from(move_mask_i8_m128i(same) as u16) << at;
    }
    let wanted = (1u64 << len.min(INLINE_TEXT)) - 1;
    len <= INLINE_TEXT && !equal & wanted == 0
}

/// [`same_start`] by slices, where SSE2 is not there.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
fn same_start(a: &[u8; INLINE_TEXT], b: &[u8; INLINE_TEXT], len: usize) -> bool {
    same_start_by_bytes(a, b, len)
}

/// [`same_start`] by slices.
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
fn same_start_by_bytes(a: &[u8; INLINE_TEXT], b: &[u8; INLINE_TEXT], len: usize) -> bool {
    matches!((a.get(..len), b.get(..len)), (Some(a), Some(b)) if a == b)
}

/// [`confirms`] byte by byte, for any topic and text.
#[inline]
fn in_bytes<E: Copy + Into<usize>>(
    text: &[u8],
    shape: &Shape,
    topic: &[u8],
    split: &Split<'_, E>,
) -> bool {
    let count = split.count();
    if shape.leading {
        // The literals are segments 0..n: the text is that much of the topic.
        return match shape.literals.len() {
            0 => text.is_empty(),
            n => topic.get(..split.end(n - 1)) == Some(text),
        };
    }
    let mut rest = text;
    for (at, anchor) in shape.literals.iter().enumerate() {
        if at > 0 {
            match rest.split_first() {
                Some((b'.', after)) => rest = after,
                _ => return false,
            }
        }
        let range = split.range(anchor.position(count));
        let Some(after) = rest.strip_prefix(&topic[range]) else {
            return false;
        };
        rest = after;
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_are_the_same_up_to_a_length_exactly_when_their_bytes_are() {
        let a: [u8; INLINE_TEXT] = std::array::from_fn(|at| b'a' + (at % 26) as u8);
        for len in 0..=INLINE_TEXT + 2 {
            // Every byte past the length poisoned: it must not count.
            let mut b = a;
            for byte in b.iter_mut().skip(len) {
                *byte ^= 0x5a;
            }
            let expected = len <= INLINE_TEXT;
            assert_eq!(same_start(&a, &b, len), expected, "{len}");
            assert_eq!(same_start_by_bytes(&a, &b, len), expected, "{len}");
            // One byte different anywhere before it: never the same.
            for at in 0..len.min(INLINE_TEXT) {
                let mut c = b;
                c[at] ^= 0x80;
                assert!(!same_start(&a, &c, len), "{len}: {at}");
                assert!(!same_start_by_bytes(&a, &c, len), "{len}: {at}");
            }
        }
    }
}
