//! Arbitrary bytes against every built-in event and named schema: no panic,
//! at most `max_errors` issues per list, every pointer an RFC 6901 JSON
//! Pointer, the same report on a second run, and the syntax verdict agrees
//! with serde_json's (a second, independent JSON reader).
use super::input::{Cursor, is_json_pointer};
use herald_core::validate::IssueCode;
use herald_core::{Catalogue, Limits, ValidationReport};

/// Codes that end a validation early, or mean the bytes were not all read.
fn stopped_early(report: &ValidationReport) -> bool {
    report.truncated
        || report.errors.iter().any(|issue| {
            matches!(
                issue.code,
                IssueCode::TooDeep | IssueCode::TooLarge | IssueCode::InvalidUtf8
            )
        })
}

/// Runs one input; panics when a property fails.
pub fn run(bytes: &[u8]) {
    let catalogue = Catalogue::builtin();
    let mut input = Cursor::new(bytes);
    let target = input.byte();
    let limits = match input.byte() % 8 {
        0 => Limits {
            max_errors: 1 + input.below(4),
            ..Limits::default()
        },
        1 => Limits {
            max_depth: input.below(6),
            ..Limits::default()
        },
        2 => Limits {
            max_payload_bytes: input.below(64),
            ..Limits::default()
        },
        _ => Limits::default(),
    };
    let payload = input.rest();
    let schemas: Vec<&String> = catalogue.schemas().keys().collect();
    let events = catalogue.len();
    let index = usize::from(target) % (events + schemas.len());
    let validator = match catalogue.event_at(index) {
        Some(event) => catalogue.validator(&event.source, &event.name),
        None => catalogue.named_validator(schemas[index - events]),
    };
    let validator = validator
        .expect("every built-in event has a schema")
        .with_limits(limits);
    let report = validator.validate(payload);

    for list in [&report.errors, &report.warnings] {
        assert!(list.len() <= limits.max_errors, "{} issues", list.len());
        for issue in list {
            assert!(
                is_json_pointer(&issue.pointer),
                "pointer {:?}",
                issue.pointer
            );
            assert!(!issue.message.is_empty());
        }
    }
    if report
        .errors
        .iter()
        .any(|issue| issue.code == IssueCode::Syntax)
    {
        assert!(!report.is_ok());
    }
    assert_eq!(validator.validate(payload), report, "a second run differs");

    // serde_json reads without a depth limit of 64 and without a size cap,
    // so only a report that read every byte can be compared.
    if !stopped_early(&report) && payload.len() <= limits.max_payload_bytes {
        let herald_syntax = report
            .errors
            .iter()
            .any(|issue| issue.code == IssueCode::Syntax);
        let serde = serde_json::from_slice::<serde::de::IgnoredAny>(payload);
        assert_eq!(
            herald_syntax,
            serde.is_err(),
            "herald {:?}, serde_json {serde:?} on {:?}",
            report.errors.first(),
            String::from_utf8_lossy(payload)
        );
    }
}
