//! `herald_status`: the result of every fallible call.

use std::os::raw::c_char;

use crate::boundary;

/// The result of a fallible call. `HERALD_STATUS_OK` is 0; other values name
/// what went wrong. Numbers are stable and never reused; new ones may be
/// added, so treat unknown values as failures.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum herald_status {
    /// Success; outputs were written.
    Ok = 0,
    /// A required pointer argument was NULL.
    NullArgument = 1,
    /// Text input was not valid UTF-8.
    InvalidUtf8 = 2,
    /// The caller's buffer is too small; `*out_len` holds the size needed.
    BufferTooSmall = 3,
    /// An argument is outside its domain (an unknown enum value, a length
    /// beyond `PTRDIFF_MAX`).
    InvalidArgument = 4,
    /// The library caught an internal panic. The handle involved is poisoned.
    Panic = 5,
    /// The handle saw a panic earlier and can no longer be used; free it.
    Poisoned = 6,
    /// An index is past the end of a collection.
    OutOfRange = 7,
    /// A topic (event name) breaks the topic syntax.
    InvalidTopic = 100,
    /// A subscription pattern breaks the pattern syntax.
    InvalidPattern = 101,
    /// A catalogue document could not be loaded.
    InvalidCatalogue = 200,
    /// The catalogue has no source with this id.
    UnknownSource = 201,
    /// The source has no event with this name.
    UnknownEvent = 202,
    /// The catalogue's `schemas` table has no schema with this name.
    UnknownSchema = 203,
    /// The event has no payload schema to validate against.
    NoSchema = 204,
    /// The router holds as many distinct patterns as its limit allows.
    TooManyPatterns = 300,
    /// A webhook with this id is already in the endpoint set.
    DuplicateWebhook = 400,
    /// The endpoint set has no webhook with this id.
    UnknownWebhook = 401,
    /// A webhook URL is empty or contains whitespace or control characters.
    InvalidUrl = 402,
    /// The change would make more distinct URLs receive than the cap allows.
    TooManyUrls = 403,
    /// Wire bytes or an event document could not be decoded or encoded
    /// (the error code names the rule and the message the key or offset).
    InvalidWire = 500,
    /// The realm hub has no session with this id.
    UnknownSession = 501,
    /// A webhook signature did not verify. The error code is the stable
    /// outcome: `missing_header`, `malformed_header`, `malformed_timestamp`,
    /// `timestamp_too_old`, `timestamp_too_new`, `no_supported_signature` or
    /// `no_matching_signature`.
    SignatureRejected = 600,
    /// A secret is empty or cannot be decoded for its scheme (code
    /// `invalid_secret`); the key set is unchanged.
    InvalidSecret = 601,
    /// The replay guard saw this message id within its window (code
    /// `duplicate`).
    DuplicateMessage = 602,
    /// The replay guard holds its capacity of live ids and refuses new ones
    /// rather than forget one (code `replay_guard_full`).
    ReplayGuardFull = 603,
    /// A message cannot be signed as given (the code names why: `no_key`,
    /// `missing_id`, `not_signed`, …).
    CannotSign = 604,
    /// Broker plan options that cannot be used together (the code names
    /// why: `profile_broker`, `expansion_too_large`, `zero_depth`,
    /// `depth_over_profile`).
    InvalidPlanOptions = 700,
    /// The broker cannot carry this topic (the code names why:
    /// `reserved_prefix`, `too_long`, `too_deep`, …).
    Untranslatable = 701,
}

impl herald_status {
    /// Every status, for `herald_status_str` and tests.
    pub(crate) const ALL: [herald_status; 29] = [
        herald_status::Ok,
        herald_status::NullArgument,
        herald_status::InvalidUtf8,
        herald_status::BufferTooSmall,
        herald_status::InvalidArgument,
        herald_status::Panic,
        herald_status::Poisoned,
        herald_status::OutOfRange,
        herald_status::InvalidTopic,
        herald_status::InvalidPattern,
        herald_status::InvalidCatalogue,
        herald_status::UnknownSource,
        herald_status::UnknownEvent,
        herald_status::UnknownSchema,
        herald_status::NoSchema,
        herald_status::TooManyPatterns,
        herald_status::DuplicateWebhook,
        herald_status::UnknownWebhook,
        herald_status::InvalidUrl,
        herald_status::TooManyUrls,
        herald_status::InvalidWire,
        herald_status::UnknownSession,
        herald_status::SignatureRejected,
        herald_status::InvalidSecret,
        herald_status::DuplicateMessage,
        herald_status::ReplayGuardFull,
        herald_status::CannotSign,
        herald_status::InvalidPlanOptions,
        herald_status::Untranslatable,
    ];

    /// The static, NUL-terminated description of the status.
    pub(crate) fn description(self) -> &'static str {
        match self {
            herald_status::Ok => "ok\0",
            herald_status::NullArgument => "a required pointer argument was NULL\0",
            herald_status::InvalidUtf8 => "text input is not valid UTF-8\0",
            herald_status::BufferTooSmall => "the output buffer is too small\0",
            herald_status::InvalidArgument => "an argument is outside its allowed values\0",
            herald_status::Panic => "internal error (caught panic); the handle is poisoned\0",
            herald_status::Poisoned => "the handle is poisoned by an earlier internal error\0",
            herald_status::OutOfRange => "index out of range\0",
            herald_status::InvalidTopic => "invalid topic\0",
            herald_status::InvalidPattern => "invalid pattern\0",
            herald_status::InvalidCatalogue => "invalid catalogue document\0",
            herald_status::UnknownSource => "unknown source\0",
            herald_status::UnknownEvent => "unknown event\0",
            herald_status::UnknownSchema => "unknown schema\0",
            herald_status::NoSchema => "the event has no payload schema\0",
            herald_status::TooManyPatterns => "the router is at its pattern limit\0",
            herald_status::DuplicateWebhook => "a webhook with this id already exists\0",
            herald_status::UnknownWebhook => "no webhook has this id\0",
            herald_status::InvalidUrl => "invalid webhook URL\0",
            herald_status::TooManyUrls => "too many distinct receiving URLs\0",
            herald_status::InvalidWire => "invalid wire data\0",
            herald_status::UnknownSession => "unknown realm session\0",
            herald_status::SignatureRejected => "the webhook signature did not verify\0",
            herald_status::InvalidSecret => "invalid secret for the signature scheme\0",
            herald_status::DuplicateMessage => {
                "message id already accepted within the replay window\0"
            }
            herald_status::ReplayGuardFull => "the replay guard is full of live message ids\0",
            herald_status::CannotSign => "the message cannot be signed as given\0",
            herald_status::InvalidPlanOptions => "invalid broker plan options\0",
            herald_status::Untranslatable => "the broker cannot carry this topic\0",
        }
    }
}

/// A static NUL-terminated description of `status`; unknown values give
/// `"unknown status"`. Never free it.
///
/// Thread safety: may be called from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn herald_status_str(status: i32) -> *const c_char {
    const UNKNOWN: &str = "unknown status\0";
    let text = boundary::catch_or(UNKNOWN, || {
        herald_status::ALL
            .iter()
            .find(|known| **known as i32 == status)
            .map_or(UNKNOWN, |known| known.description())
    });
    text.as_ptr().cast()
}
