//! Patterns (docs/routing.md): parsing rules, errors, canonical form and the
//! meaning of each wildcard, checked with `Pattern::matches`.

use herald_core::pattern::{MAX_HASHES, Segment};
use herald_core::{Limits, Pattern, PatternError, SyntaxError, Topic};

fn pattern(input: &str) -> Pattern {
    Pattern::parse(input).unwrap_or_else(|error| panic!("{input:?}: {error}"))
}

fn error(input: &str) -> PatternError {
    Pattern::parse(input).expect_err(input)
}

fn matches(pattern_text: &str, topic: &str) -> bool {
    pattern(pattern_text).matches(&Topic::parse(topic).unwrap())
}

#[test]
fn parses_literal_star_hash_and_tail_segments() {
    assert_eq!(
        pattern("#.payment.*.>").segments(),
        [
            Segment::Hash,
            Segment::Literal("payment".into()),
            Segment::Star,
            Segment::Tail
        ]
    );
}

#[test]
fn rejects_wildcard_inside_segment() {
    for (input, index, offset) in [("pay*", 0, 0), ("a.a#b", 1, 2), ("foo>", 0, 0)] {
        let error = error(input);
        assert_eq!(error.code(), "wildcard_inside_segment", "{input:?}");
        assert!(
            matches!(&error, PatternError::Syntax(SyntaxError::WildcardInsideSegment { index: i, offset: o, .. }) if *i == index && *o == offset),
            "{input:?}: {error:?}"
        );
    }
}

#[test]
fn rejects_tail_wildcard_before_the_last_segment() {
    assert_eq!(
        error("apps.>.done"),
        PatternError::TailNotLast {
            index: 1,
            offset: 5
        }
    );
    assert_eq!(error(">.>").code(), "tail_not_last");
}

#[test]
fn rejects_more_than_two_hashes() {
    assert_eq!(MAX_HASHES, 2);
    assert_eq!(
        error("#.a.#.b.#"),
        PatternError::TooManyHashes {
            index: 4,
            offset: 8,
            max: 2
        }
    );
    assert!(Pattern::parse("#.a.#").is_ok());
}

#[test]
fn rejects_empty_segments() {
    assert_eq!(
        error("payment..#"),
        PatternError::Syntax(SyntaxError::EmptySegment {
            index: 1,
            offset: 8
        })
    );
    assert_eq!(error("").code(), "empty");
    assert_eq!(error("#.").code(), "empty_segment");
}

#[test]
fn rejects_patterns_over_the_limits() {
    let limits = Limits {
        max_segments: 3,
        max_topic_bytes: 16,
        ..Limits::default()
    };
    assert_eq!(
        Pattern::parse_with("a.*.#.>", &limits).unwrap_err().code(),
        "too_many_segments"
    );
    assert_eq!(
        Pattern::parse_with("abcdefgh.ijklmnop", &limits)
            .unwrap_err()
            .code(),
        "too_long"
    );
}

#[test]
fn error_messages_name_the_segment_and_the_rule() {
    let message = error("a.>.b").to_string();
    assert!(
        message.contains("segment 1") && message.contains("last segment"),
        "{message}"
    );
    let message = error("#.#.a.#").to_string();
    assert!(
        message.contains("segment 3") && message.contains("at most 2"),
        "{message}"
    );
    assert_eq!(error("a.>.b").offset(), Some(2));
}

#[test]
fn display_prints_the_canonical_form() {
    for input in [
        "payment.card.success",
        "*.message.sent",
        "#.failed",
        "a.#.b.>",
        "#",
    ] {
        assert_eq!(pattern(input).to_string(), input);
    }
    assert_eq!(pattern("#.#").to_string(), "#");
    assert_eq!(pattern("a.#.#.b").to_string(), "a.#.b");
}

#[test]
fn parsing_the_display_form_gives_the_same_pattern() {
    for input in ["a.*.#.>", "#.#", "x", "#.b.#"] {
        let parsed = pattern(input);
        assert_eq!(pattern(&parsed.to_string()), parsed, "{input:?}");
    }
}

#[test]
fn exact_patterns_have_no_wildcard() {
    assert!(pattern("payment.card.success").is_exact());
    assert!(!pattern("payment.#").is_exact());
}

// The examples of the routing rules (docs/routing.md).

#[test]
fn star_matches_exactly_one_segment() {
    assert!(matches("*.message.sent", "sms.message.sent"));
    assert!(!matches("*.message.sent", "message.sent"));
    assert!(!matches("*.message.sent", "a.sms.message.sent"));
}

#[test]
fn hash_matches_zero_segments() {
    assert!(matches("payment.#", "payment"));
    assert!(matches("#.failed", "failed"));
}

#[test]
fn hash_matches_many_segments() {
    assert!(matches("#.failed", "external.subscribe.cancel.failed"));
    assert!(matches("payment.#", "payment.card.success"));
    assert!(!matches("#.failed", "payment.failed.retry"));
}

#[test]
fn hash_in_the_middle_matches_any_run() {
    assert!(matches("external.#.failed", "external.failed"));
    assert!(matches(
        "external.#.failed",
        "external.subscribe.cancel.failed"
    ));
    assert!(!matches("external.#.failed", "external.subscribe.cancel"));
}

#[test]
fn tail_wildcard_needs_at_least_one_segment() {
    assert!(matches("apps.payment.>", "apps.payment.done"));
    assert!(matches("apps.payment.>", "apps.payment.a.b"));
    assert!(!matches("apps.payment.>", "apps.payment"));
}

#[test]
fn lone_hash_matches_every_topic() {
    for topic in ["a", "payment.card.success", "x.y.z.w.v.u"] {
        assert!(matches("#", topic), "{topic:?}");
    }
}

#[test]
fn double_hash_behaves_as_hash() {
    assert_eq!(pattern("#.#"), pattern("#"));
    assert!(matches("#.#", "a"));
    assert!(matches("#.#", "a.b.c"));
}

#[test]
fn literals_are_byte_exact_and_case_sensitive() {
    assert!(!matches("Payment.#", "payment.card"));
    assert!(matches("größe.*", "größe.x"));
}
