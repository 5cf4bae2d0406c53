//! Subscription patterns: topics with whole-segment wildcards.
//!
//! This module owns the rules that patterns add on top of the shared topic
//! syntax — `>` only in last position, at most [`MAX_HASHES`] `#` — and the
//! canonical form patterns print in. It reads input only through
//! [`crate::topic::tokenize`]; it must never split or classify segments by itself.
//!
//! | segment | matches                                   |
//! |---------|-------------------------------------------|
//! | `text`  | exactly the segment `text` (byte-exact)   |
//! | `*`     | exactly one segment                       |
//! | `#`     | zero or more segments, any position       |
//! | `>`     | one or more segments, last position only  |
//!
//! ```
//! use herald_core::{Pattern, Topic};
//!
//! let pattern = Pattern::parse("#.failed")?;
//! assert!(pattern.matches(&Topic::parse("failed")?));
//! assert!(pattern.matches(&Topic::parse("external.subscribe.cancel.failed")?));
//! assert!(!pattern.matches(&Topic::parse("payment.card.success")?));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::str::FromStr;

use smallvec::{SmallVec, smallvec};

use crate::limits::Limits;
use crate::topic::{SegmentKind, Syntax, SyntaxError, Topic, tokenize};

/// The most `#` segments one pattern may hold.
///
/// Each `#` multiplies the ways a topic can be split; two cover every real
/// subscription seen in the seed platforms while keeping one-off checks cheap.
pub const MAX_HASHES: usize = 2;

/// One segment of a parsed [`Pattern`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// Plain text that must equal the topic segment byte for byte.
    Literal(Box<str>),
    /// `*`: exactly one segment.
    Star,
    /// `#`: zero or more segments.
    Hash,
    /// `>`: one or more segments; only ever the last segment.
    Tail,
}

impl Segment {
    /// The segment as written in the canonical form.
    ///
    /// ```
    /// use herald_core::pattern::Segment;
    /// assert_eq!(Segment::Hash.as_str(), "#");
    /// assert_eq!(Segment::Literal("card".into()).as_str(), "card");
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            Segment::Literal(text) => text,
            Segment::Star => "*",
            Segment::Hash => "#",
            Segment::Tail => ">",
        }
    }
}

/// A validated subscription pattern in canonical form.
///
/// Parsing collapses a run of adjacent `#` into one (`a.#.#` is `a.#`: both
/// match the same topics), so equal patterns compare equal and print the same.
/// [`Display`](fmt::Display) prints the canonical form, and parsing it gives
/// the same pattern back.
///
/// ```
/// use herald_core::Pattern;
///
/// let pattern: Pattern = "payment.#.#".parse()?;
/// assert_eq!(pattern.to_string(), "payment.#");
/// assert_eq!(Pattern::parse(&pattern.to_string())?, pattern);
/// # Ok::<(), herald_core::PatternError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pattern {
    segments: Vec<Segment>,
}

impl Pattern {
    /// Parses `input` against the default [`Limits`].
    ///
    /// ```
    /// use herald_core::Pattern;
    /// assert!(Pattern::parse("apps.payment.>").is_ok());
    /// assert_eq!(Pattern::parse("pay*").unwrap_err().code(), "wildcard_inside_segment");
    /// ```
    pub fn parse(input: &str) -> Result<Pattern, PatternError> {
        Pattern::parse_with(input, &Limits::default())
    }

    /// Parses `input` against the given limits.
    ///
    /// ```
    /// use herald_core::{Limits, Pattern};
    /// let limits = Limits { max_segments: 2, ..Limits::default() };
    /// assert_eq!(Pattern::parse_with("a.b.c", &limits).unwrap_err().code(), "too_many_segments");
    /// ```
    pub fn parse_with(input: &str, limits: &Limits) -> Result<Pattern, PatternError> {
        let mut segments = Vec::new();
        let mut hashes = 0;
        let mut tail_at: Option<(usize, usize)> = None;
        for token in tokenize(input, Syntax::Pattern, limits) {
            let token = token?;
            if let Some((index, offset)) = tail_at {
                return Err(PatternError::TailNotLast { index, offset });
            }
            let segment = match token.kind {
                SegmentKind::Literal => Segment::Literal(token.text.into()),
                SegmentKind::Star => Segment::Star,
                SegmentKind::Tail => {
                    tail_at = Some((token.index, token.offset));
                    Segment::Tail
                }
                SegmentKind::Hash => {
                    hashes += 1;
                    if hashes > MAX_HASHES {
                        return Err(PatternError::TooManyHashes {
                            index: token.index,
                            offset: token.offset,
                            max: MAX_HASHES,
                        });
                    }
                    Segment::Hash
                }
            };
            // `#.#` matches exactly what `#` matches; keeping one gives a single
            // canonical form and one trie node instead of two.
            if segment == Segment::Hash && segments.last() == Some(&Segment::Hash) {
                continue;
            }
            segments.push(segment);
        }
        Ok(Pattern { segments })
    }

    /// The segments in canonical form.
    ///
    /// ```
    /// use herald_core::{pattern::Segment, Pattern};
    /// let pattern = Pattern::parse("*.message.sent")?;
    /// assert_eq!(pattern.segments()[0], Segment::Star);
    /// # Ok::<(), herald_core::PatternError>(())
    /// ```
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Whether the pattern has no wildcard, so it matches exactly one topic.
    ///
    /// ```
    /// use herald_core::Pattern;
    /// assert!(Pattern::parse("payment.card.success")?.is_exact());
    /// assert!(!Pattern::parse("payment.*.success")?.is_exact());
    /// # Ok::<(), herald_core::PatternError>(())
    /// ```
    pub fn is_exact(&self) -> bool {
        self.segments
            .iter()
            .all(|segment| matches!(segment, Segment::Literal(_)))
    }

    /// Checks one topic against this pattern, without building a router.
    ///
    /// The check walks the set of pattern positions reachable after each topic
    /// segment, so its work is at most (pattern segments + 1) × topic segments.
    /// It allocates only for patterns longer than 15 segments.
    ///
    /// ```
    /// use herald_core::{Pattern, Topic};
    /// let pattern = Pattern::parse("apps.payment.>")?;
    /// assert!(pattern.matches(&Topic::parse("apps.payment.a.b")?));
    /// assert!(!pattern.matches(&Topic::parse("apps.payment")?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn matches(&self, topic: &Topic<'_>) -> bool {
        let end = self.segments.len();
        // `reached[j]`: the first `j` pattern segments can consume the topic
        // segments read so far.
        let mut reached: SmallVec<[bool; 16]> = smallvec![false; end + 1];
        let mut next: SmallVec<[bool; 16]> = smallvec![false; end + 1];
        reached[0] = true;
        self.skip_hashes(&mut reached);
        let loops_at_end = matches!(self.segments.last(), Some(Segment::Tail | Segment::Hash));
        for text in topic.segments() {
            next.fill(false);
            let mut any = false;
            for (position, _) in reached.iter().enumerate().filter(|(_, on)| **on) {
                let target = match self.segments.get(position) {
                    None if loops_at_end => Some(position),
                    None => None,
                    Some(Segment::Literal(literal)) if **literal == *text => Some(position + 1),
                    Some(Segment::Literal(_)) => None,
                    Some(Segment::Star | Segment::Tail) => Some(position + 1),
                    Some(Segment::Hash) => Some(position),
                };
                if let Some(target) = target {
                    next[target] = true;
                    any = true;
                }
            }
            if !any {
                return false;
            }
            self.skip_hashes(&mut next);
            std::mem::swap(&mut reached, &mut next);
        }
        reached[end]
    }

    /// Adds the positions reachable by letting a `#` consume nothing.
    fn skip_hashes(&self, reached: &mut [bool]) {
        for (position, segment) in self.segments.iter().enumerate() {
            if reached[position] && *segment == Segment::Hash {
                reached[position + 1] = true;
            }
        }
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, segment) in self.segments.iter().enumerate() {
            if index > 0 {
                f.write_str(".")?;
            }
            f.write_str(segment.as_str())?;
        }
        Ok(())
    }
}

impl FromStr for Pattern {
    type Err = PatternError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Pattern::parse(input)
    }
}

/// A pattern broke a rule: the shared topic syntax, or one of the wildcard rules.
///
/// Produced by [`Pattern::parse`](crate::Pattern::parse). Segment indices count
/// from 0 and byte offsets are into the original input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PatternError {
    /// The pattern broke a lexical rule shared with topics (empty segment,
    /// wildcard inside a segment, forbidden character, limits).
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
    /// `>` appears before the last segment.
    #[error(
        "segment {index} at byte {offset} is `>`, which must be the last segment: it stands for one or more trailing segments"
    )]
    TailNotLast {
        /// Index of the misplaced `>`.
        index: usize,
        /// Byte offset of the misplaced `>`.
        offset: usize,
    },
    /// More `#` segments than [`MAX_HASHES`].
    #[error(
        "segment {index} at byte {offset} is one `#` too many: a pattern may use `#` at most {max} times"
    )]
    TooManyHashes {
        /// Index of the first `#` past the limit.
        index: usize,
        /// Byte offset of that `#`.
        offset: usize,
        /// The limit.
        max: usize,
    },
}

impl PatternError {
    /// The stable machine-readable code of this error.
    ///
    /// Lexical errors keep the code of their [`SyntaxError`].
    ///
    /// ```
    /// let error = herald_core::Pattern::parse("a.>.b").unwrap_err();
    /// assert_eq!(error.code(), "tail_not_last");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            PatternError::Syntax(error) => error.code(),
            PatternError::TailNotLast { .. } => "tail_not_last",
            PatternError::TooManyHashes { .. } => "too_many_hashes",
        }
    }

    /// Byte offset of the problem in the input, when it has one.
    pub fn offset(&self) -> Option<usize> {
        match self {
            PatternError::Syntax(error) => error.offset(),
            PatternError::TailNotLast { offset, .. }
            | PatternError::TooManyHashes { offset, .. } => Some(*offset),
        }
    }
}
