//! Topics and patterns from arbitrary text: parsing never panics and agrees
//! with the rules written out plainly below; a pattern's canonical form
//! parses back to the same pattern; a one-off `Pattern::matches` agrees with
//! the reference matcher; error offsets point into the input.
use super::routing::reference_matches;
use herald_core::topic::{Syntax, SyntaxError, tokenize, validate_topic};
use herald_core::{Limits, Pattern, Topic};

/// The topic rules, written from the documentation without the tokenizer.
fn reference_topic(text: &str, limits: &Limits) -> bool {
    !text.is_empty()
        && text.len() <= limits.max_topic_bytes
        && text.split('.').count() <= limits.max_segments
        && text.split('.').all(|segment| {
            !segment.is_empty()
                && segment.chars().all(|character| {
                    !character.is_whitespace()
                        && !character.is_control()
                        && !matches!(character, '*' | '#' | '>')
                })
        })
}

fn check_offset(error: Option<usize>, text: &str) {
    if let Some(offset) = error {
        assert!(offset <= text.len(), "offset {offset} past {text:?}");
    }
}

/// Runs one input; panics when a property fails.
pub fn run(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let limits = Limits::default();
    // The whole input as a topic.
    match Topic::parse(text) {
        Ok(topic) => {
            assert!(reference_topic(text, &limits), "accepted {text:?}");
            assert_eq!(topic.to_string(), text);
            assert_eq!(topic.segment_count(), topic.segments().count());
            // Every topic is also an exact pattern that matches it alone.
            let exact = Pattern::parse(text).expect("a topic is an exact pattern");
            assert!(exact.is_exact() && exact.matches(&topic));
        }
        Err(error) => {
            assert!(!reference_topic(text, &limits), "refused {text:?}: {error}");
            check_offset(error.offset(), text);
            assert!(!error.code().is_empty());
            assert_eq!(validate_topic(text, &limits), Err(error));
        }
    }
    // The whole input as a pattern.
    match Pattern::parse(text) {
        Ok(pattern) => {
            let canonical = pattern.to_string();
            assert_eq!(Pattern::parse(&canonical).as_ref(), Ok(&pattern));
            assert!(canonical.len() <= text.len());
            let tokens = tokenize(text, Syntax::Pattern, &limits).count();
            assert!(pattern.segments().len() <= tokens);
        }
        Err(error) => {
            check_offset(error.offset(), text);
            assert!(!error.code().is_empty());
        }
    }
    // A pattern and a topic, split at the first newline: the one-off check
    // agrees with the reference matcher.
    if let Some((pattern_text, topic_text)) = text.split_once('\n')
        && let (Ok(pattern), Ok(topic)) = (Pattern::parse(pattern_text), Topic::parse(topic_text))
    {
        assert_eq!(
            pattern.matches(&topic),
            reference_matches(pattern_text, topic_text),
            "{pattern_text:?} against {topic_text:?}"
        );
    }
    // Tight limits: the same rules at other numbers.
    let tight = Limits {
        max_topic_bytes: bytes.len() / 2,
        max_segments: 3,
        ..Limits::default()
    };
    let verdict: Result<(), SyntaxError> = validate_topic(text, &tight);
    assert_eq!(verdict.is_ok(), reference_topic(text, &tight), "{text:?}");
}
