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
    tokenize(input, Syntax::Topic, limits).try_for_each(|segment| segment.map(drop))
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
