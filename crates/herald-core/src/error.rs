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

/// A catalogue document could not be loaded.
///
/// `at` fields give the place in the document as a path such as
/// `sources[2].events[14] (orangepill-stream identity.deleted)`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CatalogueError {
    /// The bytes are not a JSON document of the expected shape.
    #[error("malformed catalogue at line {line}, column {column}: {message}")]
    Malformed {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What serde_json reported.
        message: String,
    },
    /// An object holds a field the format does not define.
    #[error("unknown field at line {line}, column {column}: {message}")]
    UnknownField {
        /// 1-based line of the field.
        line: usize,
        /// 1-based column of the field.
        column: usize,
        /// What serde_json reported, naming the field and the expected ones.
        message: String,
    },
    /// The `format` field names a version this build cannot read.
    #[error("unknown catalogue format {found:?}: this build reads {expected:?}")]
    UnknownFormat {
        /// The format found in the document.
        found: String,
        /// The format this build reads.
        expected: &'static str,
    },
    /// Two source blocks share an id.
    #[error("{at}: source {id:?} is declared more than once")]
    DuplicateSource {
        /// Where the second declaration is.
        at: String,
        /// The repeated source id.
        id: String,
    },
    /// An invalid source id.
    #[error("{at}: invalid source id {id:?}: {reason}")]
    InvalidSourceId {
        /// Where the source is declared.
        at: String,
        /// The id as written.
        id: String,
        /// Which rule it breaks.
        reason: SyntaxError,
    },
    /// Two events in one source share a name.
    #[error("{at}: event {name:?} is declared more than once in source {source_id:?}")]
    DuplicateEvent {
        /// Where the second declaration is.
        at: String,
        /// The source.
        source_id: String,
        /// The repeated name.
        name: String,
    },
    /// An event name breaks the topic syntax.
    #[error("{at}: invalid event name {name:?}: {reason}")]
    InvalidEventName {
        /// Where the event is declared.
        at: String,
        /// The name as written.
        name: String,
        /// Which rule it breaks.
        reason: SyntaxError,
    },
    /// An alias, or a deprecation's replacement, names an event that does not exist.
    #[error(
        "{at}: {field} points to {target_source:?} {target_name:?}, which is not in the catalogue"
    )]
    DanglingReference {
        /// Where the reference is.
        at: String,
        /// Which field holds it (`aliases` or `deprecated.replaced_by`).
        field: &'static str,
        /// The source it names.
        target_source: String,
        /// The event name it names.
        target_name: String,
    },
    /// An event lists itself among its aliases.
    #[error("{at}: an event cannot be an alias of itself")]
    SelfAlias {
        /// Where the event is declared.
        at: String,
    },
    /// A template parameter and the event name disagree.
    #[error("{at}: {reason}")]
    InvalidTemplate {
        /// Where the event is declared.
        at: String,
        /// What is wrong.
        reason: String,
    },
    /// A payload schema is inconsistent.
    #[error("{at}: {reason}")]
    InvalidSchema {
        /// Where the schema is, down to the field.
        at: String,
        /// What is wrong.
        reason: String,
    },
    /// A required description or category is empty.
    #[error("{at}: {field} must not be empty")]
    EmptyText {
        /// Where the empty text is.
        at: String,
        /// Which field is empty.
        field: &'static str,
    },
}

impl CatalogueError {
    /// The stable machine-readable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            CatalogueError::Malformed { .. } => "malformed",
            CatalogueError::UnknownField { .. } => "unknown_field",
            CatalogueError::UnknownFormat { .. } => "unknown_format",
            CatalogueError::DuplicateSource { .. } => "duplicate_source",
            CatalogueError::InvalidSourceId { .. } => "invalid_source_id",
            CatalogueError::DuplicateEvent { .. } => "duplicate_event",
            CatalogueError::InvalidEventName { .. } => "invalid_event_name",
            CatalogueError::DanglingReference { .. } => "dangling_reference",
            CatalogueError::SelfAlias { .. } => "self_alias",
            CatalogueError::InvalidTemplate { .. } => "invalid_template",
            CatalogueError::InvalidSchema { .. } => "invalid_schema",
            CatalogueError::EmptyText { .. } => "empty_text",
        }
    }
}

/// A validation or export request named something the catalogue does not
/// hold. Problems with the payload itself are never errors: they are items of
/// the [`ValidationReport`](crate::validate::ValidationReport).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ValidateError {
    /// No source has this id.
    #[error("unknown source {source_id:?}")]
    UnknownSource {
        /// The source id as given.
        source_id: String,
    },
    /// The source has no event of this name, exact or through a template.
    #[error("unknown event {name:?} in source {source_id:?}")]
    UnknownEvent {
        /// The source id.
        source_id: String,
        /// The event name as given.
        name: String,
    },
    /// The event exists but declares no payload schema.
    #[error("event {name:?} of source {source_id:?} has no payload schema")]
    NoSchema {
        /// The source id.
        source_id: String,
        /// The event name.
        name: String,
    },
    /// The catalogue's `schemas` table has no schema of this name.
    #[error("unknown schema {name:?}")]
    UnknownSchema {
        /// The schema name as given.
        name: String,
    },
}

impl ValidateError {
    /// The stable machine-readable code of this error.
    ///
    /// ```
    /// use herald_core::Catalogue;
    /// let error = Catalogue::builtin().validate("nowhere", "x", b"{}").unwrap_err();
    /// assert_eq!(error.code(), "unknown_source");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            ValidateError::UnknownSource { .. } => "unknown_source",
            ValidateError::UnknownEvent { .. } => "unknown_event",
            ValidateError::NoSchema { .. } => "no_schema",
            ValidateError::UnknownSchema { .. } => "unknown_schema",
        }
    }
}
