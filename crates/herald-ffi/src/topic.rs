//! Topics: checking event names from C.

use std::os::raw::c_char;

use herald_core::{Limits, Pattern, PatternError, SyntaxError, Topic, topic};

use crate::boundary::{Failure, guard, try_out, try_str};
use crate::error::herald_error;
use crate::status::herald_status;

pub(crate) fn topic_failure(error: &SyntaxError) -> Failure {
    Failure::new(
        herald_status::InvalidTopic,
        error.code(),
        format!("invalid topic: {error}"),
    )
}

pub(crate) fn pattern_failure(error: &PatternError) -> Failure {
    Failure::new(
        herald_status::InvalidPattern,
        error.code(),
        format!("invalid pattern: {error}"),
    )
}

/// Parses pattern text from C.
pub(crate) fn parse_pattern(text: &str) -> Result<Pattern, Failure> {
    Pattern::parse(text).map_err(|error| pattern_failure(&error))
}

/// Checks that `topic` (`topic_len` bytes of UTF-8) is a valid event name:
/// non-empty `.`-separated segments, no whitespace or control characters, no
/// `*`, `#` or `>`, at most 1024 bytes and 128 segments.
///
/// Returns `HERALD_STATUS_OK`, or `HERALD_STATUS_INVALID_TOPIC` with the rule
/// and byte offset in `error` (which may be NULL).
///
/// Thread safety: may be called from any thread.
///
/// # Safety
/// `topic` is valid for reading `topic_len` bytes; `error` is NULL or a live
/// error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_topic_validate(
    topic: *const c_char,
    topic_len: usize,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |_call| {
        let text = try_str!(topic, topic_len)?;
        topic::validate_topic(text, &Limits::default()).map_err(|error| topic_failure(&error))
    })
}

/// Checks that `pattern` is a valid subscription pattern: topic syntax plus
/// the wildcards `*` (one segment), `#` (zero or more segments, at most two
/// per pattern) and `>` (one or more segments, last only), each a whole
/// segment. `HERALD_STATUS_INVALID_PATTERN` names the rule and segment.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
/// `pattern` is valid for reading `pattern_len` bytes; `error` is NULL or a
/// live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_pattern_validate(
    pattern: *const c_char,
    pattern_len: usize,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |_call| parse_pattern(try_str!(
        pattern,
        pattern_len
    )?)
    .map(drop))
}

/// Writes to `*out_matches` whether `topic` matches `pattern`. Fails with
/// `HERALD_STATUS_INVALID_PATTERN` or `HERALD_STATUS_INVALID_TOPIC` (an
/// invalid topic is never a silent "no match").
///
/// Thread safety: may be called from any thread.
///
/// # Safety
/// `pattern` and `topic` are valid for reading their lengths; `out_matches`
/// is valid for writing; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_pattern_matches(
    pattern: *const c_char,
    pattern_len: usize,
    topic: *const c_char,
    topic_len: usize,
    out_matches: *mut bool,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |_call| {
        let out_matches = try_out!(out_matches)?;
        let pattern = parse_pattern(try_str!(pattern, pattern_len)?)?;
        let topic = try_str!(topic, topic_len)?;
        let topic = Topic::parse(topic).map_err(|error| topic_failure(&error))?;
        *out_matches = pattern.matches(&topic);
        Ok(())
    })
}
