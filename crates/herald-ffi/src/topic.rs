//! Topics: checking event names from C.

use std::os::raw::c_char;

use herald_core::{Limits, SyntaxError, topic};

use crate::boundary::{self, Failure};
use crate::error::herald_error;
use crate::status::herald_status;

pub(crate) fn topic_failure(error: &SyntaxError) -> Failure {
    Failure::new(
        herald_status::InvalidTopic,
        error.code(),
        format!("invalid topic: {error}"),
    )
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
    boundary::guard(error, || {
        // SAFETY: forwarded from this function's contract.
        let text = unsafe { boundary::text(topic, topic_len, "topic") }?;
        topic::validate_topic(text, &Limits::default()).map_err(|error| topic_failure(&error))
    })
}
