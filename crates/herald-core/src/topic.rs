//! Topic syntax: the one tokenizer and segment classifier of the crate.
//!
//! A topic is an event name such as `payment.card.success`: UTF-8 segments
//! separated by `.`, compared byte for byte. Patterns use the same syntax plus
//! three wildcards that must each fill a whole segment (`*`, `#`, `>`). Every
//! module that reads a topic or a pattern — validation, the catalogue, pattern
//! parsing, the matcher — goes through [`tokenize`]; none splits on `.` by itself
//! before the input has passed here.
//!
//! This module never allocates on success.

use crate::limits::Limits;

/// Which language [`tokenize`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// A concrete event name: wildcard characters are rejected anywhere.
    Topic,
    /// A subscription pattern: `*`, `#` and `>` are accepted as whole segments.
    Pattern,
}

/// What a segment means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SegmentKind {
    /// Plain text that must match exactly.
    Literal,
    /// `*`: exactly one segment.
    Star,
    /// `#`: zero or more segments.
    Hash,
    /// `>`: one or more segments, last position only.
    Tail,
}

/// One classified segment of a topic or pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment<'a> {
    /// The segment text, without the separating dots.
    pub text: &'a str,
    /// Position of the segment, counting from 0.
    pub index: usize,
    /// Byte offset of the segment's first byte in the input.
    pub offset: usize,
    /// How the segment is classified.
    pub kind: SegmentKind,
}

/// Splits `input` into classified segments, checking every lexical rule.
///
/// The iterator yields each segment in order, or a single error and then ends.
///
/// ```
/// use herald_core::topic::{tokenize, SegmentKind, Syntax};
/// use herald_core::Limits;
///
/// let kinds: Vec<_> = tokenize("payment.*.>", Syntax::Pattern, &Limits::default())
///     .map(|s| s.map(|s| s.kind))
///     .collect::<Result<_, _>>()
///     .unwrap();
/// assert_eq!(kinds, [SegmentKind::Literal, SegmentKind::Star, SegmentKind::Tail]);
///
/// let err = tokenize("pay*.done", Syntax::Pattern, &Limits::default())
///     .find_map(Result::err)
///     .unwrap();
/// assert_eq!(err.code(), "wildcard_inside_segment");
/// ```
pub fn tokenize<'a>(input: &'a str, syntax: Syntax, limits: &Limits) -> Tokens<'a> {
    let early = if input.is_empty() {
        Some(SyntaxError::Empty)
    } else if input.len() > limits.max_topic_bytes {
        Some(SyntaxError::TooLong {
            len: input.len(),
            max: limits.max_topic_bytes,
        })
    } else {
        None
    };
    Tokens {
        input,
        syntax,
        max_segments: limits.max_segments,
        next_offset: if early.is_some() { None } else { Some(0) },
        index: 0,
        early,
    }
}

/// Iterator returned by [`tokenize`].
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    input: &'a str,
    syntax: Syntax,
    max_segments: usize,
    /// Where the next segment starts; `None` once the input is used up or an
    /// error was reported.
    next_offset: Option<usize>,
    index: usize,
    early: Option<SyntaxError>,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Result<Segment<'a>, SyntaxError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(error) = self.early.take() {
            return Some(Err(error));
        }
        let offset = self.next_offset?;
        let index = self.index;
        let rest = &self.input[offset..];
        // A byte search: `.` is ASCII, so it never occurs inside a multi-byte character.
        let (text, next) = match rest.bytes().position(|byte| byte == b'.') {
            Some(dot) => (&rest[..dot], Some(offset + dot + 1)),
            None => (rest, None),
        };
        self.next_offset = next;
        self.index += 1;
        let result = if index >= self.max_segments {
            Err(SyntaxError::TooManySegments {
                index,
                offset,
                max: self.max_segments,
            })
        } else {
            classify(text, index, offset, self.syntax).map(|kind| Segment {
                text,
                index,
                offset,
                kind,
            })
        };
        if result.is_err() {
            self.next_offset = None;
        }
        Some(result)
    }
}

impl std::iter::FusedIterator for Tokens<'_> {}

/// Checks that `input` is a valid topic (an event name without wildcards).
///
/// ```
/// use herald_core::{topic::validate_topic, Limits};
/// assert!(validate_topic("sms.message.sent", &Limits::default()).is_ok());
/// assert!(validate_topic("sms..sent", &Limits::default()).is_err());
/// ```
pub fn validate_topic(input: &str, limits: &Limits) -> Result<(), SyntaxError> {
    split_topic(input, limits, |_, _| ())
}

/// Checks `input` against the topic syntax and hands each segment to `visit`,
/// in order.
///
/// Accepts exactly what [`tokenize`] with [`Syntax::Topic`] accepts and
/// reports the same first error. `visit` sees segments only of a topic that
/// passed every check. The router's intake is the same split: the common
/// topic is printable ASCII, which is checked and split eight bytes at a
/// time; the per-character rules (and their precise errors) run only when
/// a word holds another byte, or at an empty segment or one too many.
///
/// ```
/// use herald_core::{topic::for_each_topic_segment, Limits};
/// let mut segments = Vec::new();
/// for_each_topic_segment("payment.card.success", &Limits::default(), |s| segments.push(s))?;
/// assert_eq!(segments, ["payment", "card", "success"]);
/// let error = for_each_topic_segment("payment..x", &Limits::default(), |_| ()).unwrap_err();
/// assert_eq!(error.code(), "empty_segment");
/// # Ok::<(), herald_core::SyntaxError>(())
/// ```
pub fn for_each_topic_segment<'a>(
    input: &'a str,
    limits: &Limits,
    mut visit: impl FnMut(&'a str),
) -> Result<(), SyntaxError> {
    // The split checks the whole topic only at its end, so a first pass
    // keeps `visit` from seeing a segment of a topic that fails.
    split_topic(input, limits, |_, _| ())?;
    split_topic(input, limits, |start, end| {
        // Segments end at a `.` or at the end: always character boundaries.
        visit(input.get(start..end).unwrap_or_default());
    })
}

/// [`for_each_topic_segment`] with each segment given as its byte range
/// `start..end` in `input`: what the match index reads, with no slicing
/// and no boundary checks per segment.
///
/// The topic is read eight bytes at a time, in one pass: each word yields
/// the high bit of every `.` byte (found in order by counting trailing
/// zeros), and flags any byte that is not plain printable ASCII into one
/// word kept for the end. Only such a flag, or a separator that leaves an
/// empty segment or one too many, sends the topic through the
/// per-character rules ([`check_rest`]) from its start, which also build
/// the precise first error; when those pass (a valid topic with non-ASCII
/// text), the segments found stand. So `visit` may see segments of a topic
/// that then fails: callers discard them on an error. `visit` is called
/// from one place, so it is inlined; the pass itself is not, so that its
/// constants stay in registers.
#[inline(never)]
pub(crate) fn split_topic(
    input: &str,
    limits: &Limits,
    mut visit: impl FnMut(usize, usize),
) -> Result<(), SyntaxError> {
    let bytes = input.as_bytes();
    if bytes.is_empty() {
        return Err(SyntaxError::Empty);
    }
    if bytes.len() > limits.max_topic_bytes {
        return Err(SyntaxError::TooLong {
            len: bytes.len(),
            max: limits.max_topic_bytes,
        });
    }
    let max_segments = limits.max_segments;
    let (mut start, mut index) = (0, 0);
    // The high bits of every byte that may not be plain, for the end.
    let mut unusual = 0;
    let mut at = 0;
    loop {
        let (word, last) = match bytes.get(at..at + 8) {
            Some(chunk) => (
                u64::from_le_bytes(chunk.try_into().unwrap_or_default()),
                false,
            ),
            None => (last_word(bytes, at), true),
        };
        unusual |= unusual_bytes(word);
        let mut dots = equal_bytes(word, b'.');
        while dots != 0 {
            let end = at + (dots.trailing_zeros() / 8) as usize;
            if end == start || index >= max_segments {
                // The rules turn down an empty segment and a segment too
                // many, so this returns the topic's first error.
                check_rest(input, 0, 0, max_segments)?;
            }
            visit(start, end);
            start = end + 1;
            index += 1;
            dots &= dots - 1;
        }
        if last {
            if unusual & HIGH_BITS != 0 {
                check_rest(input, 0, 0, max_segments)?;
            }
            return Ok(());
        }
        at += 8;
    }
}

/// Topics shorter than this many bytes have their segment ends found by
/// [`segment_ends`]: one bit per byte, and one for the end, in a `u64`.
pub(crate) const SHORT_TOPIC: usize = 64;

/// Where the segments of a topic shorter than [`SHORT_TOPIC`] bytes end,
/// as one word: bit `i` set when byte `i` is a `.`, and bit `len` for the
/// topic's end. `Ok(None)` for an empty, longer or over-limit topic, which
/// the caller splits with [`split_topic`] (and which reports its error).
///
/// Accepts and rejects exactly what [`tokenize`] with [`Syntax::Topic`]
/// does, with the same first error. The scan ([`scan_short_into`]) gathers
/// the separators into the result and flags any byte that is not plain
/// printable ASCII, so a valid topic costs nothing per segment here; it
/// leaves the bytes it reads of a topic of 8 bytes or more in `copy`. Then
/// one test finds an empty segment anywhere (a `.` first, or two bits side
/// by side: a `.` next to another or to the end), and only such a segment,
/// a flagged byte or a segment past a small [`Limits::max_segments`] sends
/// the topic through the per-character rules ([`check_rest`]) for the
/// precise error; a valid topic with non-ASCII text passes them, and the
/// separators found stand.
///
/// Inlined into the match (its one caller): the result stays in registers
/// instead of going through memory, and the match saves its registers once.
#[inline(always)]
pub(crate) fn segment_ends(
    input: &str,
    limits: &Limits,
    copy: &mut impl ScanCopy,
) -> Result<Option<u64>, SyntaxError> {
    segment_ends_by(input, limits, |bytes| scan_short_into(bytes, copy))
}

/// Where the scan of a topic of 8 to 63 bytes leaves the bytes it reads
/// (every byte of the topic at least once, in chunks that may overlap),
/// for a caller that keeps a copy of the topic: it gets it from the
/// scan's registers instead of reading the topic again.
pub(crate) trait ScanCopy {
    /// Bytes `at..at + 16` of the topic.
    fn sixteen(&mut self, at: usize, bytes: [u8; 16]);

    /// Bytes `at..at + 8` of the topic.
    fn eight(&mut self, at: usize, bytes: [u8; 8]);
}

/// No copy.
impl ScanCopy for () {
    fn sixteen(&mut self, _: usize, _: [u8; 16]) {}

    fn eight(&mut self, _: usize, _: [u8; 8]) {}
}

/// [`scan_short_into`] without a copy.
#[cfg(test)]
fn scan_short(bytes: &[u8]) -> (u64, bool) {
    scan_short_into(bytes, &mut ())
}

/// [`segment_ends`] with the scan given, so that the tests run every scan
/// this target has through the same checks.
#[inline(always)]
fn segment_ends_by(
    input: &str,
    limits: &Limits,
    scan: impl FnOnce(&[u8]) -> (u64, bool),
) -> Result<Option<u64>, SyntaxError> {
    let bytes = input.as_bytes();
    if bytes.is_empty() || bytes.len() >= SHORT_TOPIC || bytes.len() > limits.max_topic_bytes {
        return Ok(None);
    }
    let (ends, unusual) = scan(bytes);
    // A topic shorter than 64 bytes without empty segments has at most 32.
    let too_many =
        limits.max_segments < SHORT_TOPIC / 2 && ends.count_ones() as usize > limits.max_segments;
    if unusual || ends & (ends >> 1 | 1) != 0 || too_many {
        check_rest(input, 0, 0, limits.max_segments)?;
    }
    Ok(Some(ends))
}

/// The scan of a topic of 1 to 63 bytes: its segment ends as
/// [`segment_ends`] gives them (every `.`, and the end), and whether some
/// byte may not be plain (as [`unusual_bytes`] flags them). Sixteen bytes
/// a step with SSE2, which every x86-64 processor has: `safe_arch` wraps
/// its intrinsics in safe functions, compiled in only where the target
/// enables the feature, so this crate keeps `forbid(unsafe_code)`. The
/// separators of a step are one compare and a move of each byte's top bit
/// into a 16-bit mask; a byte is plain when, moved down by `-` (0x2d) into
/// the lowest signed values, it stays at or below `~`'s (0x7e) place, and
/// is not `>`. A topic of 8 to 16 bytes is one step over its first and
/// last eight bytes; a longer one takes steps of 16 and a last one over its
/// final 16 bytes, which may overlap the step before: a separator found
/// twice lands on the same bit. Topics under eight bytes take the word
/// scan (the match index sends them the long way anyway).
/// Every byte read goes to `copy` ([`ScanCopy`]) as it is read, from 8
/// bytes on.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn scan_short_into(bytes: &[u8], copy: &mut impl ScanCopy) -> (u64, bool) {
    use safe_arch::{
        add_i8_m128i, cmp_eq_mask_i8_m128i, cmp_gt_mask_i8_m128i, m128i, move_mask_i8_m128i,
        set_splat_i8_m128i, zeroed_m128i,
    };
    let len = bytes.len();
    if len < 8 {
        return scan_words(bytes);
    }
    let mut unusual = zeroed_m128i();
    // The separators of 16 bytes as the low 16 bits; flags the others.
    let mut step = |chunk: m128i| {
        // Adding 0x53 (0x80 - 0x2d) moves 0x2d..=0x7e to -128..=-47;
        // every other byte lands above.
        let moved = add_i8_m128i(chunk, set_splat_i8_m128i(0x53));
        unusual |= cmp_gt_mask_i8_m128i(moved, set_splat_i8_m128i(-47))
            | cmp_eq_mask_i8_m128i(chunk, set_splat_i8_m128i(b'>' as i8));
        move_mask_i8_m128i(cmp_eq_mask_i8_m128i(chunk, set_splat_i8_m128i(b'.' as i8))) as u64
    };
    let ends = if len <= 16 {
        let (first, last) = (word_at(bytes, 0), word_at(bytes, len - 8));
        copy.eight(0, first.to_le_bytes());
        copy.eight(len - 8, last.to_le_bytes());
        let dots = step(m128i::from([first, last]));
        dots & 0xff | (dots >> 8) << (len - 8)
    } else {
        let mut chunk = |at: usize| {
            let bytes = bytes
                .get(at..at + 16)
                .and_then(|chunk| <[u8; 16]>::try_from(chunk).ok())
                .unwrap_or_default();
            copy.sixteen(at, bytes);
            m128i::from(bytes)
        };
        // At most four steps (the topic is under 64 bytes), written out:
        // constant shifts and no loop to keep.
        let mut ends = step(chunk(0));
        if len > 32 {
            ends |= step(chunk(16)) << 16;
        }
        if len > 48 {
            ends |= step(chunk(32)) << 32;
        }
        ends | step(chunk(len - 16)) << (len - 16)
    };
    (ends | 1 << len, move_mask_i8_m128i(unusual) != 0)
}

/// The scan of a topic of 1 to 63 bytes ([`scan_words`]) where SSE2 is not
/// there to take 16 bytes a step.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
fn scan_short_into(bytes: &[u8], copy: &mut impl ScanCopy) -> (u64, bool) {
    // The chunks the SSE2 scan leaves: 16 bytes a step and the last 16,
    // or the first and last eight of a topic under 16 bytes.
    let len = bytes.len();
    if len >= 16 {
        for at in (0..len - 16).step_by(16).chain([len - 16]) {
            if let Some(chunk) = bytes
                .get(at..at + 16)
                .and_then(|chunk| chunk.try_into().ok())
            {
                copy.sixteen(at, chunk);
            }
        }
    } else if len >= 8 {
        for at in [0, len - 8] {
            if let Some(chunk) = bytes
                .get(at..at + 8)
                .and_then(|chunk| chunk.try_into().ok())
            {
                copy.eight(at, chunk);
            }
        }
    }
    scan_words(bytes)
}

/// The eight bytes of `bytes` from `at` on (there are that many) as a word.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn word_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(
        bytes
            .get(at..at + 8)
            .and_then(|chunk| chunk.try_into().ok())
            .unwrap_or_default(),
    )
}

/// The portable scan of a topic of 1 to 63 bytes, with [`split_topic`]'s
/// word tests eight bytes at a time: a word's separators are gathered into
/// the result (a multiply moves the high bit of each byte into one byte)
/// instead of being visited one by one.
#[inline(always)]
fn scan_words(bytes: &[u8]) -> (u64, bool) {
    let (mut ends, mut unusual, mut at) = (0u64, 0u64, 0);
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        unusual |= unusual_bytes(word);
        ends |= byte_bits(equal_bytes(word, b'.')) << at;
        at += 8;
    }
    // The rest, with the `.` that stands for the end at byte `len` (below
    // 64, so its bit is kept; `at` is at most 56).
    let word = last_word(bytes, at);
    unusual |= unusual_bytes(word);
    ends |= byte_bits(equal_bytes(word, b'.')) << at;
    (ends, unusual & HIGH_BITS != 0)
}

/// The high bits of the eight bytes of `marks` (the only bits it may have
/// set) as the low eight bits, byte `i` to bit `i`: the multiplier puts
/// byte `i`'s bit at `56 + i`, and every other product lands below bit 56
/// or above bit 63, on places of its own (no carries).
#[inline(always)]
fn byte_bits(marks: u64) -> u64 {
    (marks >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// The bytes from `at` on (fewer than eight, possibly none) as a word: the
/// final eight bytes shifted down (they overlap what was scanned), or the
/// bytes one by one when the topic is shorter. Above them goes a `.`
/// standing for the end, which ends the last segment like any other, then
/// plain letters.
#[inline(always)]
fn last_word(bytes: &[u8], at: usize) -> u64 {
    let left = bytes.len() - at;
    let word = match (left, bytes.len().checked_sub(8)) {
        (0, _) => 0,
        (_, Some(start)) => {
            let chunk = &bytes[start..];
            u64::from_le_bytes(chunk.try_into().unwrap_or_default()) >> ((8 - left) * 8)
        }
        (_, None) => bytes
            .iter()
            .rev()
            .fold(0, |word, &byte| word << 8 | u64::from(byte)),
    };
    word | END_FILL << (left * 8)
}

/// What follows a topic's last partial word: a `.` ending the last segment,
/// then plain letters.
const END_FILL: u64 = 0x6161_6161_6161_612e;

/// Checks the topic from segment `index` at byte `start` on with every rule
/// of [`tokenize`]; the first error found is the one [`tokenize`] reports.
#[cold]
fn check_rest(
    input: &str,
    mut start: usize,
    mut index: usize,
    max_segments: usize,
) -> Result<(), SyntaxError> {
    loop {
        let rest = input.get(start..).unwrap_or_default();
        let (text, next) = match rest.bytes().position(|byte| byte == b'.') {
            Some(dot) => (&rest[..dot], Some(start + dot + 1)),
            None => (rest, None),
        };
        if index >= max_segments {
            return Err(SyntaxError::TooManySegments {
                index,
                offset: start,
                max: max_segments,
            });
        }
        classify(text, index, start, Syntax::Topic)?;
        index += 1;
        match next {
            Some(next) => start = next,
            None => return Ok(()),
        }
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
const LOW_BITS: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// The high bit of each byte of `word` that equals `byte`, exactly (no
/// borrow runs from one byte into the next).
#[inline(always)]
fn equal_bytes(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    !(((x & LOW_BITS) + LOW_BITS) | x) & HIGH_BITS
}

/// Some high bit set (among [`HIGH_BITS`]) when some byte of `word` may not
/// be plain — plain being printable ASCII other than the wildcards: a byte
/// below `-` (whitespace, control, and the punctuation `!"#$%&'()*+,`,
/// which holds the wildcards `#` and `*`), DEL or above (non-ASCII), or `>`.
/// The plain punctuation below `-` is rare in event names, and a byte
/// flagged here is only sent to the per-character rules, which accept it:
/// one range test instead of three for the wildcards.
///
/// Each term may also flag bytes above a flagged one (a borrow or carry
/// runs on), but it flags some byte exactly when one qualifies, and only
/// that is asked here; the separators are found exactly, apart.
#[inline(always)]
fn unusual_bytes(word: u64) -> u64 {
    // Some byte below 0x2d: the lowest one borrows, which sets its high
    // bit in the difference; no byte at or above 0x2d starts a borrow.
    // Some byte at or above 0x7f: its high bit is set, or adding one sets
    // it; only a byte that has it already can carry into the next.
    let outside = word.wrapping_sub(ONES * 0x2d) | word.wrapping_add(ONES) | word;
    outside | zero_byte(word ^ (ONES * u64::from(b'>')))
}

/// Nonzero in some high bit exactly when some byte of `x` is zero.
#[inline(always)]
fn zero_byte(x: u64) -> u64 {
    x.wrapping_sub(ONES) & !x
}

/// Counts the segments of a topic or pattern that already passed [`tokenize`].
pub fn segment_count(valid: &str) -> usize {
    valid.bytes().filter(|&b| b == b'.').count() + 1
}

/// A validated topic, borrowed from its text.
///
/// ```
/// use herald_core::Topic;
/// let topic = Topic::parse("payment.card.success")?;
/// assert_eq!(topic.segments().collect::<Vec<_>>(), ["payment", "card", "success"]);
/// # Ok::<(), herald_core::SyntaxError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Topic<'a>(&'a str);

impl<'a> Topic<'a> {
    /// Validates `input` against the default [`Limits`].
    pub fn parse(input: &'a str) -> Result<Self, SyntaxError> {
        Topic::parse_with(input, &Limits::default())
    }

    /// Validates `input` against the given limits.
    pub fn parse_with(input: &'a str, limits: &Limits) -> Result<Self, SyntaxError> {
        validate_topic(input, limits)?;
        Ok(Topic(input))
    }

    /// The topic text.
    pub fn as_str(&self) -> &'a str {
        self.0
    }

    /// The segments, in order.
    pub fn segments(&self) -> std::str::Split<'a, char> {
        self.0.split('.')
    }

    /// How many segments the topic has.
    pub fn segment_count(&self) -> usize {
        segment_count(self.0)
    }
}

/// A checked topic can go wherever topic text is taken, such as
/// [`RouteTable::match_into`](crate::RouteTable::match_into).
impl AsRef<str> for Topic<'_> {
    fn as_ref(&self) -> &str {
        self.0
    }
}

impl std::fmt::Display for Topic<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

fn classify(
    text: &str,
    index: usize,
    offset: usize,
    syntax: Syntax,
) -> Result<SegmentKind, SyntaxError> {
    if text.is_empty() {
        return Err(SyntaxError::EmptySegment { index, offset });
    }
    let wildcard = match text {
        "*" => Some(SegmentKind::Star),
        "#" => Some(SegmentKind::Hash),
        ">" => Some(SegmentKind::Tail),
        _ => None,
    };
    if let (Some(kind), Syntax::Pattern) = (wildcard, syntax) {
        return Ok(kind);
    }
    let bytes = text.as_bytes();
    // Fast path for the common case, printable ASCII without wildcards: every
    // byte passes every check below, so the per-character loop (which also
    // builds the precise error) runs only for other input.
    if bytes
        .iter()
        .all(|&byte| matches!(byte, b'!'..=b'~') && !matches!(byte, b'*' | b'#' | b'>'))
    {
        return Ok(SegmentKind::Literal);
    }
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        let (character, width) = if byte.is_ascii() {
            (char::from(byte), 1)
        } else {
            // `text` is a `str`, so a non-ASCII byte starts a whole character.
            let character = text[at..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            (character, character.len_utf8())
        };
        if character.is_whitespace() || character.is_control() {
            return Err(SyntaxError::ForbiddenCharacter {
                index,
                offset: offset + at,
                character,
            });
        }
        if matches!(character, '*' | '#' | '>') {
            return Err(match syntax {
                Syntax::Topic => SyntaxError::ReservedCharacter {
                    index,
                    offset: offset + at,
                    character,
                },
                Syntax::Pattern => SyntaxError::WildcardInsideSegment {
                    index,
                    offset,
                    segment: text.to_owned(),
                },
            });
        }
        at += width;
    }
    Ok(SegmentKind::Literal)
}

/// A topic or pattern broke the lexical rules shared by both.
///
/// Produced by [`crate::topic::tokenize`]. Segment indices count from 0 and byte
/// offsets are into the original input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SyntaxError {
    /// The input is the empty string.
    #[error("empty topic: a topic needs at least one segment")]
    Empty,
    /// A leading, trailing or doubled `.` leaves an empty segment.
    #[error("empty segment {index} at byte {offset}: `.` must separate non-empty segments")]
    EmptySegment {
        /// Index of the empty segment.
        index: usize,
        /// Byte offset where the empty segment starts.
        offset: usize,
    },
    /// Whitespace or a control character.
    #[error(
        "segment {index} has {character:?} at byte {offset}: whitespace and control characters are not allowed"
    )]
    ForbiddenCharacter {
        /// Index of the offending segment.
        index: usize,
        /// Byte offset of the character.
        offset: usize,
        /// The character.
        character: char,
    },
    /// `*`, `#` or `>` in a topic, where wildcards have no meaning.
    #[error(
        "segment {index} has the wildcard {character:?} at byte {offset}: `*`, `#` and `>` are reserved for patterns"
    )]
    ReservedCharacter {
        /// Index of the offending segment.
        index: usize,
        /// Byte offset of the character.
        offset: usize,
        /// The wildcard character.
        character: char,
    },
    /// A wildcard character shares its segment with other characters (`pay*`, `a#b`, `foo>`).
    #[error(
        "segment {index} {segment:?} at byte {offset} mixes a wildcard with other characters: a wildcard must be a whole segment"
    )]
    WildcardInsideSegment {
        /// Index of the offending segment.
        index: usize,
        /// Byte offset where the segment starts.
        offset: usize,
        /// The whole segment as written.
        segment: String,
    },
    /// The input is longer than [`Limits::max_topic_bytes`](crate::Limits::max_topic_bytes).
    #[error("{len} bytes is over the limit of {max} bytes")]
    TooLong {
        /// Length of the input in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The input has more segments than [`Limits::max_segments`](crate::Limits::max_segments).
    #[error("segment {index} at byte {offset} is over the limit of {max} segments")]
    TooManySegments {
        /// Index of the first segment past the limit.
        index: usize,
        /// Byte offset where that segment starts.
        offset: usize,
        /// The limit.
        max: usize,
    },
}

impl SyntaxError {
    /// The stable machine-readable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            SyntaxError::Empty => "empty",
            SyntaxError::EmptySegment { .. } => "empty_segment",
            SyntaxError::ForbiddenCharacter { .. } => "forbidden_character",
            SyntaxError::ReservedCharacter { .. } => "reserved_character",
            SyntaxError::WildcardInsideSegment { .. } => "wildcard_inside_segment",
            SyntaxError::TooLong { .. } => "too_long",
            SyntaxError::TooManySegments { .. } => "too_many_segments",
        }
    }

    /// Byte offset of the problem in the input, when it has one.
    pub fn offset(&self) -> Option<usize> {
        match self {
            SyntaxError::Empty | SyntaxError::TooLong { .. } => None,
            SyntaxError::EmptySegment { offset, .. }
            | SyntaxError::ForbiddenCharacter { offset, .. }
            | SyntaxError::ReservedCharacter { offset, .. }
            | SyntaxError::WildcardInsideSegment { offset, .. }
            | SyntaxError::TooManySegments { offset, .. } => Some(*offset),
        }
    }
}

#[cfg(test)]
mod tests {
    // By the module's own path: `super::` from here reads as the crate root
    // to the layering test.
    use crate::limits::Limits;
    use crate::topic::{
        HIGH_BITS, SHORT_TOPIC, ScanCopy, Syntax, SyntaxError, byte_bits, equal_bytes, scan_short,
        scan_short_into, scan_words, segment_ends, segment_ends_by, split_topic, tokenize,
        unusual_bytes,
    };

    /// Words built from bytes around every boundary the word tests draw,
    /// in every position, plus a stream of mixed ones.
    fn words() -> Vec<u64> {
        let edges = [
            0x00, 0x01, 0x20, 0x21, 0x22, 0x23, 0x2a, 0x2c, 0x2d, 0x2e, 0x2f, 0x3d, 0x3e, 0x3f,
            0x61, 0x7e, 0x7f, 0x80, 0xc3, 0xff,
        ];
        let mut words = Vec::new();
        for &edge in &edges {
            for at in 0..8 {
                for &fill in &[b'a', b'.', 0x7e, 0x2d] {
                    let mut bytes = [fill; 8];
                    bytes[at] = edge;
                    words.push(u64::from_le_bytes(bytes));
                }
            }
        }
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mut bytes = state.to_le_bytes();
            // Mostly plain bytes, so that words with one odd byte are common.
            for (at, byte) in bytes.iter_mut().enumerate() {
                if (state >> (at * 3)) & 3 != 0 {
                    *byte = b'a' + *byte % 26;
                }
            }
            words.push(u64::from_le_bytes(bytes));
        }
        words
    }

    /// The places (0 to 7, from the lowest byte) of the `.` bytes of `word`.
    fn dot_places(word: u64) -> impl Iterator<Item = usize> {
        word.to_le_bytes()
            .into_iter()
            .enumerate()
            .filter(|&(_, byte)| byte == b'.')
            .map(|(at, _)| at)
    }

    #[test]
    fn separators_are_found_exactly_as_the_high_bit_of_their_byte() {
        for word in words() {
            let expected = dot_places(word).fold(0u64, |bits, at| bits | 0x80 << (8 * at));
            assert_eq!(equal_bytes(word, b'.'), expected, "{word:#018x}");
        }
    }

    #[test]
    fn a_word_is_flagged_exactly_when_some_byte_may_not_be_plain() {
        for word in words() {
            let expected = word
                .to_le_bytes()
                .iter()
                .any(|&byte| !(b'-'..0x7f).contains(&byte) || byte == b'>');
            assert_eq!(
                unusual_bytes(word) & HIGH_BITS != 0,
                expected,
                "{word:#018x}"
            );
        }
    }

    #[test]
    fn words_of_eight_bytes_split_like_the_tokenizer_at_every_length_and_place() {
        let limits = Limits::default();
        for len in 1..=140 {
            for dot in 0..len {
                for odd in [None, Some(b'>'), Some(b'+'), Some(0xff)] {
                    let mut bytes = vec![b'k'; len];
                    bytes[dot] = b'.';
                    if let Some(odd) = odd {
                        bytes[(dot * 7 + 3) % len] = odd;
                    }
                    let input = String::from_utf8_lossy(&bytes).into_owned();
                    let expected: Result<Vec<(usize, usize)>, SyntaxError> =
                        tokenize(&input, Syntax::Topic, &limits)
                            .map(|segment| segment.map(|s| (s.offset, s.offset + s.text.len())))
                            .collect();
                    let mut seen = Vec::new();
                    let split = split_topic(&input, &limits, |start, end| seen.push((start, end)));
                    match expected {
                        Ok(expected) => {
                            assert_eq!(split, Ok(()), "{input:?}");
                            assert_eq!(seen, expected, "{input:?}");
                        }
                        Err(error) => assert_eq!(split, Err(error), "{input:?}"),
                    }
                }
            }
        }
    }

    #[test]
    fn the_separators_of_a_word_gather_into_one_bit_per_byte() {
        for word in words() {
            let expected = dot_places(word).fold(0u64, |bits, at| bits | 1 << at);
            assert_eq!(byte_bits(equal_bytes(word, b'.')), expected, "{word:#018x}");
        }
    }

    /// What `segment_ends` must answer: the tokenizer's segment ends as
    /// bits, its first error, or `None` from 64 bytes on.
    fn expected_ends(input: &str, limits: &Limits) -> Result<Option<u64>, SyntaxError> {
        let segments: Vec<(usize, usize)> = tokenize(input, Syntax::Topic, limits)
            .map(|segment| segment.map(|s| (s.offset, s.offset + s.text.len())))
            .collect::<Result<_, _>>()?;
        if input.len() >= SHORT_TOPIC {
            return Ok(None);
        }
        Ok(Some(
            segments
                .iter()
                .fold(0u64, |bits, &(_, end)| bits | 1 << end),
        ))
    }

    /// A short-topic scan: segment ends, and whether some byte is unusual.
    type Scan = fn(&[u8]) -> (u64, bool);

    /// Every scan this target has: the one [`segment_ends`] uses (16
    /// bytes a step on x86-64) and the portable one of eight-byte words.
    const SCANS: [(&str, Scan); 2] = [("short", scan_short), ("words", scan_words)];

    /// What a scan must answer: every `.` and the end as bits, and whether
    /// some byte is not plain (printable ASCII from `-` on, but `>`).
    fn expected_scan(bytes: &[u8]) -> (u64, bool) {
        let ends = bytes
            .iter()
            .enumerate()
            .filter(|&(_, &byte)| byte == b'.')
            .fold(1 << bytes.len(), |bits, (at, _)| bits | 1 << at);
        let unusual = bytes
            .iter()
            .any(|&byte| !(b'-'..0x7f).contains(&byte) || byte == b'>');
        (ends, unusual)
    }

    #[test]
    fn every_scan_finds_the_separators_and_flags_every_byte_that_is_not_plain_at_every_place() {
        for len in 1..SHORT_TOPIC {
            // Plain letters, and segments of three letters.
            let backgrounds = [
                vec![b'k'; len],
                (0..len)
                    .map(|at| if at % 4 == 3 { b'.' } else { b'k' })
                    .collect(),
            ];
            for background in &backgrounds {
                for at in 0..len {
                    for byte in 0..=u8::MAX {
                        let mut bytes = background.clone();
                        bytes[at] = byte;
                        let expected = expected_scan(&bytes);
                        for (name, scan) in SCANS {
                            assert_eq!(scan(&bytes), expected, "{name} {bytes:?}");
                        }
                    }
                }
            }
        }
    }

    /// The bytes a scan left, by place, as [`ScanCopy`] receives them.
    struct Left(Vec<Option<u8>>);

    impl ScanCopy for Left {
        fn sixteen(&mut self, at: usize, bytes: [u8; 16]) {
            for (place, byte) in (at..).zip(bytes) {
                self.0[place] = Some(byte);
            }
        }

        fn eight(&mut self, at: usize, bytes: [u8; 8]) {
            for (place, byte) in (at..).zip(bytes) {
                self.0[place] = Some(byte);
            }
        }
    }

    #[test]
    fn the_scan_leaves_every_byte_of_a_topic_of_eight_bytes_or_more_in_place_and_nothing_past_it() {
        for len in 1..SHORT_TOPIC {
            // A different byte at every place, so a chunk left at the wrong
            // place shows.
            let bytes: Vec<u8> = (0..len as u8).map(|at| b'A' + at).collect();
            let mut left = Left(vec![None; SHORT_TOPIC + 16]);
            let scanned = scan_short_into(&bytes, &mut left);
            assert_eq!(scanned, expected_scan(&bytes), "{len}");
            for (place, byte) in left.0.iter().enumerate() {
                match (bytes.get(place), byte) {
                    (Some(expected), Some(byte)) => assert_eq!(byte, expected, "{len}: {place}"),
                    (Some(_), None) => assert!(len < 8, "{len}: {place} not left"),
                    (None, Some(_)) => panic!("{len}: {place} is past the topic"),
                    (None, None) => {}
                }
            }
        }
    }

    #[test]
    fn segment_ends_agree_with_the_tokenizer_at_every_length_and_place() {
        let limits = Limits::default();
        let few = Limits {
            max_segments: 3,
            ..Limits::default()
        };
        let check = |input: &str| {
            for limits in [&limits, &few] {
                let expected = expected_ends(input, limits);
                assert_eq!(
                    segment_ends(input, limits, &mut ()),
                    expected_ends_or_none(input, &expected)
                );
                for (name, scan) in SCANS {
                    let found = segment_ends_by(input, limits, scan);
                    assert_eq!(
                        found,
                        expected_ends_or_none(input, &expected),
                        "{name} {input:?}"
                    );
                }
            }
        };
        for len in 1..=70 {
            for first in 0..len {
                for second in [None, Some(0), Some(first + 1), Some(len - 1), Some(len / 2)] {
                    for odd in [
                        None,
                        Some(b'>'),
                        Some(b'+'),
                        Some(b'*'),
                        Some(b'#'),
                        Some(b' '),
                        Some(b'\t'),
                        Some(0x7f),
                        Some(0xff),
                    ] {
                        let mut bytes = vec![b'k'; len];
                        bytes[first] = b'.';
                        if let Some(second) = second.filter(|&at| at < len) {
                            bytes[second] = b'.';
                        }
                        if let Some(odd) = odd {
                            bytes[(first * 7 + 3) % len] = odd;
                        }
                        check(&String::from_utf8_lossy(&bytes));
                    }
                }
            }
            // Every interesting character at every place of a topic of
            // short segments, multi-byte ones included.
            for at in 0..len {
                for odd in [
                    '>',
                    '*',
                    '#',
                    '+',
                    ' ',
                    '\t',
                    '\u{7f}',
                    '\u{85}',
                    '\u{a0}',
                    '\u{e9}',
                    '\u{3000}',
                    '\u{1f600}',
                ] {
                    let mut text: Vec<char> = (0..len)
                        .map(|at| if at % 3 == 2 { '.' } else { 'k' })
                        .collect();
                    text[at] = odd;
                    check(&text.into_iter().collect::<String>());
                }
            }
        }
        // Non-ASCII text is checked by the rules and its separators stand.
        for (name, scan) in SCANS {
            assert_eq!(
                segment_ends_by("caf\u{e9}.cr\u{e8}me", &limits, scan),
                Ok(Some(1 << 5 | 1 << 12)),
                "{name}"
            );
            assert_eq!(
                segment_ends_by("payment.card.success", &limits, scan),
                Ok(Some(1 << 7 | 1 << 12 | 1 << 20)),
                "{name}"
            );
        }
        assert_eq!(segment_ends("", &limits, &mut ()), Ok(None));
    }

    /// What `segment_ends` answers given the tokenizer's verdict: longer
    /// topics and those over the byte limit are the general split's to
    /// refuse, so they get `None`.
    fn expected_ends_or_none(
        input: &str,
        expected: &Result<Option<u64>, SyntaxError>,
    ) -> Result<Option<u64>, SyntaxError> {
        match expected {
            Err(SyntaxError::TooLong { .. }) => Ok(None),
            Err(_) if input.len() >= SHORT_TOPIC => Ok(None),
            expected => expected.clone(),
        }
    }
}
