//! Webhook endpoint sets: webhooks (id, URL, selected events, enabled) with a
//! cap on distinct URLs receiving at the same time.

use std::os::raw::c_char;

use herald_core::endpoints::{DEFAULT_MAX_URLS, EndpointSet, Webhook};
use herald_core::{EndpointError, Pattern};

use crate::boundary::{
    Failure, free, get_or, guard, try_mut, try_out, try_ref, try_slice, try_str, write_optional,
};
use crate::error::herald_error;
use crate::handle::{self, Castable, Opaque, Owned};
use crate::output::{herald_list, into_list};
use crate::status::herald_status;
use crate::text::herald_str;
use crate::topic::{pattern_failure, topic_failure};

/// InPlayer's cap: at most 10 distinct URLs receive webhooks at the same time.
pub const HERALD_DEFAULT_MAX_URLS: usize = 10;

// The header needs a literal; keep it equal to the core's constant.
const _: () = assert!(HERALD_DEFAULT_MAX_URLS == DEFAULT_MAX_URLS);

/// A set of webhooks and the URL cap they share. Every refused change leaves
/// the set as it was.
///
/// Thread safety: one thread at a time.
#[derive(Debug)]
pub struct herald_endpoints {
    _opaque: Opaque,
}

impl Castable for herald_endpoints {
    type Ownership = Owned;
    type Value = EndpointSet;
}

fn endpoint_failure(error: &EndpointError) -> Failure {
    let status = match error {
        EndpointError::DuplicateWebhook { .. } => herald_status::DuplicateWebhook,
        EndpointError::UnknownWebhook { .. } => herald_status::UnknownWebhook,
        EndpointError::InvalidUrl { .. } => herald_status::InvalidUrl,
        EndpointError::TooManyUrls { .. } => herald_status::TooManyUrls,
        EndpointError::EventName(error) => return topic_failure(error),
        _ => herald_status::TooManyPatterns,
    };
    Failure::new(status, error.code(), error.to_string())
}

/// Creates an empty endpoint set where at most `max_urls` distinct URLs may
/// receive at once (`HERALD_DEFAULT_MAX_URLS` is InPlayer's 10). Free it with
/// `herald_endpoints_free`. Returns NULL only on an internal error.
#[unsafe(no_mangle)]
pub extern "C" fn herald_endpoints_new(max_urls: usize) -> *mut herald_endpoints {
    handle::create_owned(|| EndpointSet::with_max_urls(max_urls))
}

/// Frees an endpoint set. NULL is a no-op.
///
/// # Safety
/// `endpoints` is NULL or came from `herald_endpoints_new` and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_endpoints_free(endpoints: *mut herald_endpoints) {
    free!(endpoints)
}

/// Adds webhook `id` sending to `url`, selecting the events in `events`
/// (`event_count` exact names or patterns, e.g. `subscribe.#`), enabled or
/// not. Refused, with nothing changed: a duplicate id
/// (`HERALD_STATUS_DUPLICATE_WEBHOOK`), an invalid URL, an invalid event
/// pattern (`HERALD_STATUS_INVALID_PATTERN`), or an enabled webhook whose URL
/// would exceed the cap (`HERALD_STATUS_TOO_MANY_URLS`).
///
/// # Safety
/// `endpoints` is a live set used by no other thread; `url` is valid for
/// reading `url_len` bytes; `events` is valid for reading `event_count`
/// views, each valid for reading its length (`events` may be NULL when
/// `event_count` is 0); `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_endpoints_add(
    endpoints: *mut herald_endpoints,
    id: u64,
    url: *const c_char,
    url_len: usize,
    events: *const herald_str,
    event_count: usize,
    enabled: bool,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let set = try_mut!(call, endpoints)?;
        let url = try_str!(url, url_len)?;
        let views = try_slice!(events, event_count)?;
        let mut patterns = Vec::with_capacity(views.len());
        for view in views {
            let text = try_str!(view.ptr, view.len, "events[i]")?;
            patterns.push(Pattern::parse(text).map_err(|error| pattern_failure(&error))?);
        }
        let webhook = Webhook {
            id,
            url: url.to_owned(),
            events: patterns,
            enabled,
        };
        set.add(webhook).map_err(|error| endpoint_failure(&error))
    })
}

/// Removes webhook `id` (`HERALD_STATUS_UNKNOWN_WEBHOOK` if there is none).
///
/// # Safety
/// `endpoints` is a live set used by no other thread; `error` is NULL or a
/// live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_endpoints_remove(
    endpoints: *mut herald_endpoints,
    id: u64,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let set = try_mut!(call, endpoints)?;
        set.remove(id)
            .map(drop)
            .map_err(|error| endpoint_failure(&error))
    })
}

/// Enables webhook `id`; `*out_changed` (may be NULL) says whether it was
/// disabled. Refused with `HERALD_STATUS_TOO_MANY_URLS`, nothing changed, if
/// its URL would exceed the cap.
///
/// # Safety
/// `endpoints` is a live set used by no other thread; `out_changed` is NULL
/// or valid for writing; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_endpoints_enable(
    endpoints: *mut herald_endpoints,
    id: u64,
    out_changed: *mut bool,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let set = try_mut!(call, endpoints)?;
        let changed = set.enable(id).map_err(|error| endpoint_failure(&error))?;
        write_optional!(out_changed, changed);
        Ok(())
    })
}

/// Disables webhook `id`; `*out_changed` (may be NULL) says whether it was enabled.
///
/// # Safety
/// As for `herald_endpoints_enable`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_endpoints_disable(
    endpoints: *mut herald_endpoints,
    id: u64,
    out_changed: *mut bool,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let set = try_mut!(call, endpoints)?;
        let changed = set.disable(id).map_err(|error| endpoint_failure(&error))?;
        write_optional!(out_changed, changed);
        Ok(())
    })
}

/// Number of webhooks, enabled or not (0 for NULL or a poisoned set).
///
/// # Safety
/// `endpoints` is NULL or a live set not being changed during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_endpoints_len(endpoints: *const herald_endpoints) -> usize {
    get_or!(endpoints, 0, |set| set.len())
}

/// Number of distinct URLs of enabled webhooks (never above the cap; 0 for
/// NULL or a poisoned set).
///
/// # Safety
/// `endpoints` is NULL or a live set not being changed during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_endpoints_receiving_count(
    endpoints: *const herald_endpoints,
) -> usize {
    get_or!(endpoints, 0, |set| set.receiving_urls().count())
}

/// Writes to `*out_urls` a new list of the URLs that `event` must be
/// delivered to: sorted, each once, only enabled webhooks that selected the
/// event (free it with `herald_list_free`; the items are UTF-8). An invalid
/// event name is `HERALD_STATUS_INVALID_TOPIC`.
///
/// # Safety
/// `endpoints` is a live set not being changed during the call; `event` is
/// valid for reading `event_len` bytes; `out_urls` is valid for writing;
/// `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_endpoints_deliveries(
    endpoints: *const herald_endpoints,
    event: *const c_char,
    event_len: usize,
    out_urls: *mut *mut herald_list,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let set = try_ref!(call, endpoints)?;
        let out_urls = try_out!(out_urls)?;
        let event = try_str!(event, event_len)?;
        let deliveries = set
            .deliveries(event)
            .map_err(|error| endpoint_failure(&error))?;
        let urls = deliveries
            .iter()
            .map(|delivery| delivery.url.as_bytes().to_vec())
            .collect();
        *out_urls = into_list(urls);
        Ok(())
    })
}
