//! Every stable error and issue code, pinned: other languages match on these
//! strings, so none may change or be reused, whatever implements them.

use herald_core::validate::IssueCode;
use herald_core::{
    CatalogueError, EndpointError, PatternError, RouterError, SyntaxError, ValidateError, WireError,
};
use strum::IntoEnumIterator;

fn syntax() -> SyntaxError {
    SyntaxError::Empty
}

#[test]
fn syntax_error_codes_are_pinned() {
    let cases = [
        (SyntaxError::Empty, "empty"),
        (
            SyntaxError::EmptySegment {
                index: 0,
                offset: 0,
            },
            "empty_segment",
        ),
        (
            SyntaxError::ForbiddenCharacter {
                index: 0,
                offset: 0,
                character: ' ',
            },
            "forbidden_character",
        ),
        (
            SyntaxError::ReservedCharacter {
                index: 0,
                offset: 0,
                character: '*',
            },
            "reserved_character",
        ),
        (
            SyntaxError::WildcardInsideSegment {
                index: 0,
                offset: 0,
                segment: "a*".into(),
            },
            "wildcard_inside_segment",
        ),
        (SyntaxError::TooLong { len: 2, max: 1 }, "too_long"),
        (
            SyntaxError::TooManySegments {
                index: 2,
                offset: 4,
                max: 2,
            },
            "too_many_segments",
        ),
    ];
    for (error, code) in cases {
        assert_eq!(error.code(), code, "{error:?}");
    }
}

#[test]
fn routing_error_codes_are_pinned() {
    let cases = [
        (PatternError::Syntax(syntax()).code(), "empty"),
        (
            PatternError::TailNotLast {
                index: 0,
                offset: 0,
            }
            .code(),
            "tail_not_last",
        ),
        (
            PatternError::TooManyHashes {
                index: 0,
                offset: 0,
                max: 2,
            }
            .code(),
            "too_many_hashes",
        ),
        (RouterError::Topic(syntax()).code(), "empty"),
        (
            RouterError::TooManyPatterns { max: 1 }.code(),
            "too_many_patterns",
        ),
        (
            EndpointError::DuplicateWebhook { id: 1 }.code(),
            "duplicate_webhook",
        ),
        (
            EndpointError::UnknownWebhook { id: 1 }.code(),
            "unknown_webhook",
        ),
        (
            EndpointError::InvalidUrl {
                id: 1,
                url: String::new(),
            }
            .code(),
            "invalid_url",
        ),
        (
            EndpointError::TooManyUrls {
                id: 1,
                url: "u".into(),
                max: 1,
            }
            .code(),
            "too_many_urls",
        ),
        (EndpointError::EventName(syntax()).code(), "empty"),
        (
            EndpointError::Router {
                id: 1,
                source: RouterError::TooManyPatterns { max: 1 },
            }
            .code(),
            "too_many_patterns",
        ),
    ];
    for (code, expected) in cases {
        assert_eq!(code, expected);
    }
}

#[test]
fn catalogue_error_codes_are_pinned() {
    let at = || "sources[0]".to_owned();
    let cases = [
        (
            CatalogueError::Malformed {
                line: 1,
                column: 1,
                message: String::new(),
            },
            "malformed",
        ),
        (
            CatalogueError::UnknownField {
                line: 1,
                column: 1,
                message: String::new(),
            },
            "unknown_field",
        ),
        (
            CatalogueError::UnknownFormat {
                found: "x".into(),
                expected: "y",
            },
            "unknown_format",
        ),
        (
            CatalogueError::DuplicateSource {
                at: at(),
                id: "s".into(),
            },
            "duplicate_source",
        ),
        (
            CatalogueError::InvalidSourceId {
                at: at(),
                id: String::new(),
                reason: syntax(),
            },
            "invalid_source_id",
        ),
        (
            CatalogueError::DuplicateEvent {
                at: at(),
                source_id: "s".into(),
                name: "n".into(),
            },
            "duplicate_event",
        ),
        (
            CatalogueError::InvalidEventName {
                at: at(),
                name: String::new(),
                reason: syntax(),
            },
            "invalid_event_name",
        ),
        (
            CatalogueError::DanglingReference {
                at: at(),
                field: "aliases",
                target_source: "s".into(),
                target_name: "n".into(),
            },
            "dangling_reference",
        ),
        (CatalogueError::SelfAlias { at: at() }, "self_alias"),
        (
            CatalogueError::InvalidTemplate {
                at: at(),
                reason: String::new(),
            },
            "invalid_template",
        ),
        (
            CatalogueError::InvalidSchema {
                at: at(),
                reason: String::new(),
            },
            "invalid_schema",
        ),
        (
            CatalogueError::EmptyText {
                at: at(),
                field: "description",
            },
            "empty_text",
        ),
    ];
    for (error, code) in cases {
        assert_eq!(error.code(), code, "{error:?}");
    }
}

#[test]
fn lookup_error_codes_are_pinned() {
    let cases = [
        (
            ValidateError::UnknownSource {
                source_id: "s".into(),
            },
            "unknown_source",
        ),
        (
            ValidateError::UnknownEvent {
                source_id: "s".into(),
                name: "n".into(),
            },
            "unknown_event",
        ),
        (
            ValidateError::NoSchema {
                source_id: "s".into(),
                name: "n".into(),
            },
            "no_schema",
        ),
        (
            ValidateError::UnknownSchema { name: "n".into() },
            "unknown_schema",
        ),
    ];
    for (error, code) in cases {
        assert_eq!(error.code(), code, "{error:?}");
    }
}

#[test]
fn issue_codes_are_pinned() {
    let codes: Vec<&str> = IssueCode::iter().map(IssueCode::as_str).collect();
    assert_eq!(
        codes,
        [
            "syntax",
            "invalid_utf8",
            "type_mismatch",
            "missing_field",
            "unknown_field",
            "unknown_enum",
            "out_of_range",
            "too_long",
            "too_short",
            "format",
            "duplicate_key",
            "const_mismatch",
            "event_mismatch",
            "too_deep",
            "too_large",
        ]
    );
}

#[test]
fn wire_error_codes_are_pinned() {
    let key = || "k".to_owned();
    let cases = [
        (WireError::TooLarge { len: 2, max: 1 }, "too_large"),
        (
            WireError::MalformedJson {
                offset: 0,
                reason: "r",
            },
            "malformed_json",
        ),
        (WireError::TooDeep { offset: 0, max: 1 }, "too_deep"),
        (WireError::NotAnObject { found: "array" }, "not_an_object"),
        (WireError::MissingField { field: "type" }, "missing_field"),
        (
            WireError::WrongFieldType {
                field: "type",
                expected: "a string",
            },
            "wrong_field_type",
        ),
        (WireError::DuplicateField { field: "type" }, "duplicate_field"),
        (
            WireError::UnexpectedField {
                field: key(),
                message: "subscribe",
            },
            "unexpected_field",
        ),
        (
            WireError::UnexpectedMessageType {
                found: key(),
                expected: "x",
            },
            "unexpected_message_type",
        ),
        (
            WireError::InvalidEventName {
                name: key(),
                reason: syntax(),
            },
            "invalid_event_name",
        ),
        (
            WireError::UnknownEvent {
                source_id: key(),
                name: key(),
            },
            "unknown_event",
        ),
        (
            WireError::MalformedEscape {
                key: key(),
                offset: 0,
            },
            "malformed_escape",
        ),
        (
            WireError::InvalidUtf8 {
                key: key(),
                offset: 0,
            },
            "invalid_utf8",
        ),
        (
            WireError::UnbalancedBracket {
                key: key(),
                offset: 0,
            },
            "unbalanced_bracket",
        ),
        (
            WireError::EmptyKey {
                key: key(),
                offset: 0,
            },
            "empty_key",
        ),
        (
            WireError::ConflictingShape {
                key: key(),
                other: key(),
            },
            "conflicting_shape",
        ),
        (WireError::RepeatedKey { key: key() }, "repeated_key"),
        (WireError::NotKeyValue { line: 1 }, "not_key_value"),
        (WireError::TypeNotFirst { line: 1 }, "type_not_first"),
        (
            WireError::DuplicateLine {
                key: key(),
                line: 1,
            },
            "duplicate_line",
        ),
        (WireError::UnbalancedEnvelope, "unbalanced_envelope"),
        (
            WireError::NotAnInteger {
                key: key(),
                line: 1,
            },
            "not_an_integer",
        ),
        (
            WireError::UnsupportedTopic { topic: key() },
            "unsupported_topic",
        ),
        (WireError::InvalidBase64 { offset: 0 }, "invalid_base64"),
        (
            WireError::EnvelopeMismatch {
                field: "id",
                event: key(),
                payload: key(),
            },
            "envelope_mismatch",
        ),
        (
            WireError::Unencodable {
                at: key(),
                reason: "r",
            },
            "unencodable",
        ),
        (
            WireError::FormatMismatch {
                expected: "a",
                found: "b",
            },
            "format_mismatch",
        ),
        (
            WireError::InvalidEventDocument { reason: key() },
            "invalid_event_document",
        ),
        (WireError::UnknownSession { id: 1 }, "unknown_session"),
    ];
    for (error, code) in cases {
        assert_eq!(error.code(), code, "{error:?}");
    }
}
