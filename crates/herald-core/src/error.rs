//! Error types, one enum per concern.
//!
//! Every variant is named for the rule that was broken and carries where it was
//! broken (segment index, byte offset, document path). Each error also has a
//! stable string [`code`](SyntaxError::code) that other languages can match on;
//! codes are never renamed or reused.

use thiserror::Error;

/// A topic or pattern broke the lexical rules shared by both.
///
/// Produced by [`crate::topic::tokenize`]. Segment indices count from 0 and byte
/// offsets are into the original input.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
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
