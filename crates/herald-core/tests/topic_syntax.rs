//! The topic syntax (docs/routing.md), one test per rule.

use herald_core::topic::{SegmentKind, Syntax, tokenize, validate_topic};
use herald_core::{Limits, SyntaxError, Topic};

fn topic_error(input: &str) -> SyntaxError {
    Topic::parse(input).expect_err(input)
}

fn pattern_kinds(input: &str) -> Result<Vec<SegmentKind>, SyntaxError> {
    tokenize(input, Syntax::Pattern, &Limits::default())
        .map(|segment| segment.map(|s| s.kind))
        .collect()
}

#[test]
fn rejects_the_empty_topic() {
    assert_eq!(topic_error(""), SyntaxError::Empty);
}

#[test]
fn rejects_a_leading_empty_segment() {
    assert_eq!(
        topic_error(".payment"),
        SyntaxError::EmptySegment {
            index: 0,
            offset: 0
        }
    );
}

#[test]
fn rejects_a_trailing_empty_segment() {
    assert_eq!(
        topic_error("payment."),
        SyntaxError::EmptySegment {
            index: 1,
            offset: 8
        }
    );
}

#[test]
fn rejects_a_doubled_dot() {
    assert_eq!(
        topic_error("payment..success"),
        SyntaxError::EmptySegment {
            index: 1,
            offset: 8
        }
    );
}

#[test]
fn rejects_a_lone_dot() {
    assert_eq!(
        topic_error("."),
        SyntaxError::EmptySegment {
            index: 0,
            offset: 0
        }
    );
}

#[test]
fn rejects_ascii_whitespace() {
    for (input, character, offset) in [
        ("payment card", ' ', 7),
        ("payment.\tcard", '\t', 8),
        ("payment.card\n", '\n', 12),
        ("payment.card\r", '\r', 12),
    ] {
        let error = topic_error(input);
        assert_eq!(error.code(), "forbidden_character", "{input:?}");
        assert!(
            matches!(error, SyntaxError::ForbiddenCharacter { character: c, offset: o, .. } if c == character && o == offset),
            "{input:?}: {error:?}"
        );
    }
}

#[test]
fn rejects_control_characters() {
    assert_eq!(
        topic_error("a.b\u{0}c"),
        SyntaxError::ForbiddenCharacter {
            index: 1,
            offset: 3,
            character: '\u{0}'
        }
    );
    assert_eq!(topic_error("a\u{7f}").code(), "forbidden_character");
    assert_eq!(topic_error("a\u{85}").code(), "forbidden_character");
}

#[test]
fn rejects_unicode_whitespace() {
    assert_eq!(
        topic_error("a\u{a0}b"),
        SyntaxError::ForbiddenCharacter {
            index: 0,
            offset: 1,
            character: '\u{a0}'
        }
    );
}

#[test]
fn rejects_wildcard_characters_in_a_topic() {
    for (input, character, index, offset) in [
        ("payment.*", '*', 1, 8),
        ("#.failed", '#', 0, 0),
        ("apps.>", '>', 1, 5),
        ("pay*.done", '*', 0, 3),
    ] {
        assert_eq!(
            topic_error(input),
            SyntaxError::ReservedCharacter {
                index,
                offset,
                character
            },
            "{input:?}"
        );
    }
}

#[test]
fn rejects_a_topic_over_the_byte_limit() {
    let limits = Limits {
        max_topic_bytes: 8,
        ..Limits::default()
    };
    assert_eq!(
        Topic::parse_with("abcd.efgh", &limits),
        Err(SyntaxError::TooLong { len: 9, max: 8 })
    );
    assert!(Topic::parse_with("abcd.efg", &limits).is_ok());
}

#[test]
fn default_byte_limit_is_1024() {
    let at_limit = "a".repeat(1024);
    assert!(Topic::parse(&at_limit).is_ok());
    let over = "a".repeat(1025);
    assert_eq!(
        topic_error(&over),
        SyntaxError::TooLong {
            len: 1025,
            max: 1024
        }
    );
}

#[test]
fn rejects_a_topic_over_the_segment_limit() {
    let at_limit = vec!["a"; 128].join(".");
    assert!(Topic::parse(&at_limit).is_ok());
    let over = vec!["a"; 129].join(".");
    assert_eq!(
        topic_error(&over),
        SyntaxError::TooManySegments {
            index: 128,
            offset: 256,
            max: 128
        }
    );
}

#[test]
fn segment_limit_is_configurable() {
    let limits = Limits {
        max_segments: 2,
        ..Limits::default()
    };
    assert!(validate_topic("a.b", &limits).is_ok());
    assert_eq!(
        validate_topic("a.b.c", &limits).unwrap_err().code(),
        "too_many_segments"
    );
}

#[test]
fn accepts_utf8_segments() {
    let topic = Topic::parse("zahlung.erfolgreich.größe.支払い").unwrap();
    assert_eq!(topic.segment_count(), 4);
}

#[test]
fn accepts_dollar_dash_underscore_and_braces() {
    for input in [
        "$sys.events",
        "wallet-status.changed",
        "user_id.updated",
        "{channel}.message.sent",
    ] {
        assert!(Topic::parse(input).is_ok(), "{input:?}");
    }
}

#[test]
fn accepts_single_segment_names() {
    assert_eq!(
        Topic::parse("walletBalanceChanged")
            .unwrap()
            .segment_count(),
        1
    );
}

#[test]
fn is_case_sensitive_and_byte_exact() {
    let a = Topic::parse("Payment.Card").unwrap();
    let b = Topic::parse("payment.card").unwrap();
    assert_ne!(a, b);
}

#[test]
fn classifies_whole_segment_wildcards_in_patterns() {
    assert_eq!(
        pattern_kinds("#.payment.*.>").unwrap(),
        [
            SegmentKind::Hash,
            SegmentKind::Literal,
            SegmentKind::Star,
            SegmentKind::Tail
        ]
    );
}

#[test]
fn rejects_wildcard_inside_segment_in_patterns() {
    for (input, index, offset, segment) in [
        ("pay*", 0, 0, "pay*"),
        ("a.a#b", 1, 2, "a#b"),
        ("foo>", 0, 0, "foo>"),
        ("**", 0, 0, "**"),
    ] {
        assert_eq!(
            pattern_kinds(input),
            Err(SyntaxError::WildcardInsideSegment {
                index,
                offset,
                segment: segment.into()
            }),
            "{input:?}"
        );
    }
}

#[test]
fn pattern_syntax_shares_the_topic_rules() {
    assert_eq!(pattern_kinds(""), Err(SyntaxError::Empty));
    assert_eq!(pattern_kinds("a..*").unwrap_err().code(), "empty_segment");
    assert_eq!(
        pattern_kinds("a. *").unwrap_err().code(),
        "forbidden_character"
    );
}

#[test]
fn tokenizer_reports_offsets_and_stops_after_an_error() {
    let items: Vec<_> = tokenize("ab.cd..ef", Syntax::Topic, &Limits::default()).collect();
    assert_eq!(items.len(), 3);
    assert_eq!(items[1].as_ref().unwrap().offset, 3);
    assert_eq!(
        items[2],
        Err(SyntaxError::EmptySegment {
            index: 2,
            offset: 6
        })
    );
}

#[test]
fn error_messages_name_the_segment_and_rule() {
    let message = topic_error("payment..x").to_string();
    assert!(
        message.contains("segment 1") && message.contains("byte 8"),
        "{message}"
    );
}

// The router's one-scan intake against the tokenizer: the same verdict, the
// same first error, the same segments, on text built to hit every branch
// (plain ASCII words longer and shorter than eight bytes, separators in every
// position, wildcards, whitespace, control and non-ASCII characters) and on
// tight limits.

mod intake {
    use herald_core::topic::{Syntax, for_each_topic_segment, tokenize};
    use herald_core::{Limits, Pattern, Router, RouterError};
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            8 => Just("payment"),
            6 => Just("a"),
            4 => Just("card_success"),
            8 => Just("."),
            1 => Just("*"),
            1 => Just("#"),
            1 => Just(">"),
            1 => Just(" "),
            1 => Just("\t"),
            1 => Just("\u{7f}"),
            1 => Just("é"),
            1 => Just("€uro"),
            1 => Just("!~"),
            1 => Just("\u{a0}"),
            // Neighbours of the bytes the word-at-a-time checks single out
            // (`!` and DEL bound the plain range; `#`, `*`, `.`, `>`).
            1 => Just("\"$)+-/=?"),
            1 => Just("\u{1}"),
            1 => Just("\u{ff}"),
        ]
    }

    fn by_tokenizer<'a>(
        input: &'a str,
        limits: &Limits,
    ) -> Result<Vec<&'a str>, herald_core::SyntaxError> {
        tokenize(input, Syntax::Topic, limits)
            .map(|segment| segment.map(|segment| segment.text))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5_000))]

        #[test]
        fn the_intake_agrees_with_the_tokenizer(
            pieces in prop::collection::vec(piece(), 0..24),
            max_segments in 1usize..12,
            max_topic_bytes in 0usize..200,
        ) {
            let input = pieces.concat();
            let limits = Limits { max_segments, max_topic_bytes, ..Limits::default() };
            let mut seen = Vec::new();
            let intake = for_each_topic_segment(&input, &limits, |segment| seen.push(segment));
            match by_tokenizer(&input, &limits) {
                Ok(segments) => {
                    prop_assert_eq!(intake, Ok(()), "{:?}", input);
                    prop_assert_eq!(seen, segments, "{:?}", input);
                }
                Err(error) => prop_assert_eq!(intake, Err(error), "{:?}", input),
            }
        }

        #[test]
        fn the_router_refuses_exactly_what_the_tokenizer_refuses(
            pieces in prop::collection::vec(piece(), 0..24),
            max_segments in 1usize..12,
            max_topic_bytes in 0usize..200,
        ) {
            // Topics under 64 bytes and longer ones take different splits
            // in the router: both must give the tokenizer's verdict, and a
            // valid topic must reach the pattern that spells it.
            let input = pieces.concat();
            let limits = Limits { max_segments, max_topic_bytes, ..Limits::default() };
            let mut router = Router::with_limits(limits);
            router.subscribe(&Pattern::parse("#").unwrap(), 1).unwrap();
            if let Ok(itself) = Pattern::parse(&input) {
                router.subscribe(&itself, 2).unwrap();
            }
            let mut ids = Vec::new();
            let routed = router.match_into(&input, &mut ids);
            match by_tokenizer(&input, &limits) {
                Ok(_) => {
                    prop_assert_eq!(routed, Ok(()), "{:?}", input);
                    prop_assert_eq!(ids, [1, 2], "{:?}", input);
                }
                Err(error) => prop_assert_eq!(routed, Err(RouterError::Topic(error)), "{:?}", input),
            }
        }
    }
}
