//! Every stable error and issue code, pinned: other languages match on these
//! strings, so none may change or be reused, whatever implements them.

use herald_core::validate::IssueCode;
use herald_core::wire::WireErrorKind;
use herald_core::{
    CatalogueError, EndpointError, LookupError, PatternError, RouterError, SyntaxError,
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
            LookupError::UnknownSource {
                source_id: "s".into(),
            },
            "unknown_source",
        ),
        (
            LookupError::UnknownEvent {
                source_id: "s".into(),
                name: "n".into(),
            },
            "unknown_event",
        ),
        (
            LookupError::NoSchema {
                source_id: "s".into(),
                name: "n".into(),
            },
            "no_schema",
        ),
        (
            LookupError::UnknownSchema { name: "n".into() },
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
    let pinned = [
        (WireErrorKind::TooLarge, "too_large"),
        (WireErrorKind::MalformedJson, "malformed_json"),
        (WireErrorKind::TooDeep, "too_deep"),
        (WireErrorKind::NotAnObject, "not_an_object"),
        (WireErrorKind::MissingField, "missing_field"),
        (WireErrorKind::WrongFieldType, "wrong_field_type"),
        (WireErrorKind::DuplicateField, "duplicate_field"),
        (WireErrorKind::UnexpectedField, "unexpected_field"),
        (
            WireErrorKind::UnexpectedMessageType,
            "unexpected_message_type",
        ),
        (WireErrorKind::InvalidEventName, "invalid_event_name"),
        (WireErrorKind::UnknownEvent, "unknown_event"),
        (WireErrorKind::MalformedEscape, "malformed_escape"),
        (WireErrorKind::InvalidUtf8, "invalid_utf8"),
        (WireErrorKind::UnbalancedBracket, "unbalanced_bracket"),
        (WireErrorKind::EmptyKey, "empty_key"),
        (WireErrorKind::ConflictingShape, "conflicting_shape"),
        (WireErrorKind::RepeatedKey, "repeated_key"),
        (WireErrorKind::NotKeyValue, "not_key_value"),
        (WireErrorKind::TypeNotFirst, "type_not_first"),
        (WireErrorKind::DuplicateLine, "duplicate_line"),
        (WireErrorKind::UnbalancedEnvelope, "unbalanced_envelope"),
        (WireErrorKind::NotAnInteger, "not_an_integer"),
        (WireErrorKind::UnsupportedTopic, "unsupported_topic"),
        (WireErrorKind::InvalidBase64, "invalid_base64"),
        (WireErrorKind::EnvelopeMismatch, "envelope_mismatch"),
        (WireErrorKind::Unencodable, "unencodable"),
        (WireErrorKind::FormatMismatch, "format_mismatch"),
        (
            WireErrorKind::InvalidEventDocument,
            "invalid_event_document",
        ),
        (WireErrorKind::UnknownSession, "unknown_session"),
    ];
    // Every kind is pinned: a new kind must be added here with its code.
    assert_eq!(
        WireErrorKind::iter().collect::<Vec<_>>(),
        pinned.map(|(kind, _)| kind)
    );
    for (kind, code) in pinned {
        assert_eq!(kind.code(), code);
        assert_eq!(kind.to_string(), code);
        assert_eq!(code.parse::<WireErrorKind>(), Ok(kind));
    }
}
