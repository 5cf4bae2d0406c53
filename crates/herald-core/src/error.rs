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

/// A pattern broke a rule: the shared topic syntax, or one of the wildcard rules.
///
/// Produced by [`Pattern::parse`](crate::Pattern::parse). Segment indices count
/// from 0 and byte offsets are into the original input.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
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
    /// More `#` segments than [`MAX_HASHES`](crate::pattern::MAX_HASHES).
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

/// A router refused a topic or a subscription.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RouterError {
    /// The topic to match is not a valid topic; it is never treated as "no match".
    #[error("invalid topic: {0}")]
    Topic(#[from] SyntaxError),
    /// Subscribing would add a pattern past [`Limits::max_patterns`](crate::Limits::max_patterns).
    #[error("the router already holds {max} distinct patterns, its limit")]
    TooManyPatterns {
        /// The limit.
        max: usize,
    },
}

impl RouterError {
    /// The stable machine-readable code of this error.
    ///
    /// An invalid topic keeps the code of its [`SyntaxError`].
    ///
    /// ```
    /// let router = herald_core::Router::new();
    /// let error = router.match_into("a..b", &mut Vec::new()).unwrap_err();
    /// assert_eq!(error.code(), "empty_segment");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            RouterError::Topic(error) => error.code(),
            RouterError::TooManyPatterns { .. } => "too_many_patterns",
        }
    }
}

/// A webhook endpoint set refused an operation; the set is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum EndpointError {
    /// A webhook with this id is already in the set.
    #[error("webhook {id} already exists")]
    DuplicateWebhook {
        /// The webhook id.
        id: u64,
    },
    /// No webhook has this id.
    #[error("no webhook has id {id}")]
    UnknownWebhook {
        /// The webhook id.
        id: u64,
    },
    /// The URL is empty or holds whitespace or a control character.
    #[error(
        "webhook {id} has an invalid URL {url:?}: it must be non-empty, without whitespace or control characters"
    )]
    InvalidUrl {
        /// The webhook id.
        id: u64,
        /// The URL as given.
        url: String,
    },
    /// Enabling the webhook would make more distinct URLs receive at the same time
    /// than the set allows.
    #[error(
        "webhook {id} would add {url:?} as receiving URL number {}: at most {max} distinct URLs may receive at the same time",
        max + 1
    )]
    TooManyUrls {
        /// The webhook that was being added or enabled.
        id: u64,
        /// Its URL, which is not yet receiving.
        url: String,
        /// The cap on distinct receiving URLs.
        max: usize,
    },
    /// The event name given to [`EndpointSet::deliveries`](crate::endpoints::EndpointSet::deliveries)
    /// is not a valid topic.
    #[error("invalid event name: {0}")]
    EventName(SyntaxError),
    /// The set's router refused a webhook's event pattern.
    #[error("webhook {id}: {source}")]
    Router {
        /// The webhook id.
        id: u64,
        /// Why the router refused.
        source: RouterError,
    },
}

impl EndpointError {
    /// The stable machine-readable code of this error.
    ///
    /// ```
    /// use herald_core::endpoints::EndpointSet;
    /// let mut set = EndpointSet::new();
    /// assert_eq!(set.enable(7).unwrap_err().code(), "unknown_webhook");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            EndpointError::DuplicateWebhook { .. } => "duplicate_webhook",
            EndpointError::UnknownWebhook { .. } => "unknown_webhook",
            EndpointError::InvalidUrl { .. } => "invalid_url",
            EndpointError::TooManyUrls { .. } => "too_many_urls",
            EndpointError::EventName(error) => error.code(),
            EndpointError::Router { source, .. } => source.code(),
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

/// A wire message could not be decoded or encoded, or a protocol frame broke
/// a rule of its transport.
///
/// Produced by [`crate::wire`]. Byte offsets are into the bytes as given
/// (for a form body, before percent-decoding); line numbers count from 1.
/// Problems with a payload that decodes are never errors: they are items of
/// the [`ValidationReport`](crate::validate::ValidationReport).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum WireError {
    /// The input is larger than [`Limits::max_payload_bytes`](crate::Limits::max_payload_bytes).
    #[error("{len} bytes is over the limit of {max} bytes")]
    TooLarge {
        /// Length of the input in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A JSON message is not RFC 8259 JSON.
    #[error("malformed JSON at byte {offset}: {reason}")]
    MalformedJson {
        /// Byte offset of the problem.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// Objects and arrays, or form keys, nest deeper than
    /// [`Limits::max_depth`](crate::Limits::max_depth).
    #[error("nesting at byte {offset} goes deeper than the limit of {max}")]
    TooDeep {
        /// Byte offset where the limit was passed.
        offset: usize,
        /// The limit.
        max: usize,
    },
    /// A JSON message is not an object.
    #[error("the message is a JSON {found}, not an object")]
    NotAnObject {
        /// The JSON kind found.
        found: &'static str,
    },
    /// A field the transport needs is absent.
    #[error("the message has no {field:?} field")]
    MissingField {
        /// The field (a JSON member, form key or lobby key).
        field: &'static str,
    },
    /// A field the transport reads has the wrong kind of value.
    #[error("the {field:?} field must be {expected}")]
    WrongFieldType {
        /// The field.
        field: &'static str,
        /// What it must be.
        expected: &'static str,
    },
    /// A field the transport reads appears twice, so its value is ambiguous.
    #[error("the {field:?} field appears more than once")]
    DuplicateField {
        /// The field.
        field: &'static str,
    },
    /// A protocol message holds a field its type does not define.
    #[error("unexpected field {field:?} in a {message:?} message")]
    UnexpectedField {
        /// The field as written.
        field: String,
        /// The message type.
        message: &'static str,
    },
    /// The message is of another type than the transport carries here.
    #[error("message type {found:?} where {expected} was expected")]
    UnexpectedMessageType {
        /// The type as written.
        found: String,
        /// What was expected.
        expected: &'static str,
    },
    /// The event name is not a valid topic.
    #[error("invalid event name {name:?}: {reason}")]
    InvalidEventName {
        /// The name as written.
        name: String,
        /// Which rule it breaks.
        reason: SyntaxError,
    },
    /// The event name does not resolve in the catalogue's source.
    #[error("unknown event {name:?} in source {source_id:?}")]
    UnknownEvent {
        /// The catalogue source the transport maps to.
        source_id: String,
        /// The name as written.
        name: String,
    },
    /// A `%` in a form body is not followed by two hex digits.
    #[error("malformed percent-escape at byte {offset} in {key:?}")]
    MalformedEscape {
        /// The key, as written in the body.
        key: String,
        /// Byte offset of the `%`.
        offset: usize,
    },
    /// Text that is not UTF-8 (in a form body after percent-decoding, in a
    /// lobby frame, or in a decoded base64 payload).
    #[error("{key:?} is not UTF-8 (from byte {offset})")]
    InvalidUtf8 {
        /// The key or field holding the text.
        key: String,
        /// Byte offset where the key or value starts.
        offset: usize,
    },
    /// A form key's brackets do not pair up as `name[a][b]`.
    #[error("unbalanced brackets in key {key:?} at byte {offset}")]
    UnbalancedBracket {
        /// The key, decoded.
        key: String,
        /// Byte offset of the pair in the body.
        offset: usize,
    },
    /// A form key, or a bracketed part of one, is empty (`=x`, `a[]`, `a[b][]`).
    #[error("key {key:?} at byte {offset} has an empty name or an empty `[]`")]
    EmptyKey {
        /// The key, decoded.
        key: String,
        /// Byte offset of the pair in the body.
        offset: usize,
    },
    /// One form key makes a value what another makes an object (`a=1&a[b]=2`).
    #[error(
        "key {key:?} conflicts with {other:?}: one makes a value what the other makes an object"
    )]
    ConflictingShape {
        /// The key that could not be placed, decoded.
        key: String,
        /// The key already there, decoded.
        other: String,
    },
    /// A form key appears more than once under
    /// [`RepeatedKeyPolicy::Reject`](crate::wire::RepeatedKeyPolicy::Reject).
    #[error("key {key:?} appears more than once")]
    RepeatedKey {
        /// The key, decoded.
        key: String,
    },
    /// A lobby line is not `key: value` with a non-empty key.
    #[error("line {line} is not a `key: value` line")]
    NotKeyValue {
        /// The line, counting from 1.
        line: usize,
    },
    /// The lobby frame does not start with its `type` line.
    #[error("line {line} comes before the `type` line, which must be first")]
    TypeNotFirst {
        /// The first line that is not `type`.
        line: usize,
    },
    /// A lobby key appears on two lines.
    #[error("key {key:?} appears again on line {line}")]
    DuplicateLine {
        /// The key.
        key: String,
        /// The line of the second occurrence.
        line: usize,
    },
    /// A lobby frame opens with `LbS` but does not end with `LbE`, or the reverse.
    #[error("the frame has one envelope marker without the other (`LbS` … `LbE`)")]
    UnbalancedEnvelope,
    /// A lobby value that must be an unsigned integer is not one.
    #[error("{key:?} on line {line} must be an unsigned integer")]
    NotAnInteger {
        /// The key.
        key: String,
        /// The line.
        line: usize,
    },
    /// A lobby notification on a topic herald has no events for.
    #[error(
        "topic {topic:?} carries no events herald knows; wallet notifications use \"e-commerce/wallets\""
    )]
    UnsupportedTopic {
        /// The topic as written.
        topic: String,
    },
    /// A base64 payload holds a character outside the alphabet or bad padding.
    #[error("invalid base64 at byte {offset} of the payload")]
    InvalidBase64 {
        /// Byte offset inside the base64 text.
        offset: usize,
    },
    /// The event's fields disagree with its payload.
    #[error("the event's {field} is {event} but its payload says {payload}")]
    EnvelopeMismatch {
        /// The field (`name`, `id`, `timestamp`).
        field: &'static str,
        /// The event's value, as JSON.
        event: String,
        /// The payload's value, as JSON (`null` when absent).
        payload: String,
    },
    /// The event cannot be written in the transport's wire form without loss.
    #[error("cannot encode {at}: {reason}")]
    Unencodable {
        /// Where: a JSON Pointer into the payload, or a field name.
        at: String,
        /// Why.
        reason: &'static str,
    },
    /// The event is for another wire format than the one asked for.
    #[error("the event is in the {found} format, not {expected}")]
    FormatMismatch {
        /// The format asked for.
        expected: &'static str,
        /// The event's format.
        found: &'static str,
    },
    /// A normalised event document is not of the expected shape.
    #[error("invalid normalised event: {reason}")]
    InvalidEventDocument {
        /// What is wrong.
        reason: String,
    },
    /// No session of the hub has this id.
    #[error("no session has id {id}")]
    UnknownSession {
        /// The session id.
        id: u64,
    },
}

impl WireError {
    /// The stable machine-readable code of this error.
    ///
    /// ```
    /// use herald_core::wire::{decode, WireFormat};
    /// use herald_core::Catalogue;
    /// let error = decode(WireFormat::InplayerWebhook, Catalogue::builtin(), b"a=1&a[b]=2").unwrap_err();
    /// assert_eq!(error.code(), "conflicting_shape");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            WireError::TooLarge { .. } => "too_large",
            WireError::MalformedJson { .. } => "malformed_json",
            WireError::TooDeep { .. } => "too_deep",
            WireError::NotAnObject { .. } => "not_an_object",
            WireError::MissingField { .. } => "missing_field",
            WireError::WrongFieldType { .. } => "wrong_field_type",
            WireError::DuplicateField { .. } => "duplicate_field",
            WireError::UnexpectedField { .. } => "unexpected_field",
            WireError::UnexpectedMessageType { .. } => "unexpected_message_type",
            WireError::InvalidEventName { .. } => "invalid_event_name",
            WireError::UnknownEvent { .. } => "unknown_event",
            WireError::MalformedEscape { .. } => "malformed_escape",
            WireError::InvalidUtf8 { .. } => "invalid_utf8",
            WireError::UnbalancedBracket { .. } => "unbalanced_bracket",
            WireError::EmptyKey { .. } => "empty_key",
            WireError::ConflictingShape { .. } => "conflicting_shape",
            WireError::RepeatedKey { .. } => "repeated_key",
            WireError::NotKeyValue { .. } => "not_key_value",
            WireError::TypeNotFirst { .. } => "type_not_first",
            WireError::DuplicateLine { .. } => "duplicate_line",
            WireError::UnbalancedEnvelope => "unbalanced_envelope",
            WireError::NotAnInteger { .. } => "not_an_integer",
            WireError::UnsupportedTopic { .. } => "unsupported_topic",
            WireError::InvalidBase64 { .. } => "invalid_base64",
            WireError::EnvelopeMismatch { .. } => "envelope_mismatch",
            WireError::Unencodable { .. } => "unencodable",
            WireError::FormatMismatch { .. } => "format_mismatch",
            WireError::InvalidEventDocument { .. } => "invalid_event_document",
            WireError::UnknownSession { .. } => "unknown_session",
        }
    }
}
