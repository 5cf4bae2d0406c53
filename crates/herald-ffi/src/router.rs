//! Routers and their snapshots: subscriptions (pattern, subscriber id) and
//! matching topics to subscriber ids.

use std::os::raw::c_char;
use std::sync::Arc;

use herald_core::router::MatchCache;
use herald_core::{Router, RouterError, RouterSnapshot};

use crate::boundary::{self, Failure, Poison};
use crate::error::herald_error;
use crate::status::herald_status;
use crate::topic::{parse_pattern, topic_failure};

/// A mutable set of subscriptions.
///
/// Thread safety: one thread at a time for `subscribe`/`unsubscribe`;
/// `herald_router_match` may run on several threads at once only while no
/// thread changes the router. To match on many threads while one thread
/// changes the subscriptions, match against snapshots
/// (`herald_router_snapshot_new`).
#[derive(Debug)]
pub struct herald_router {
    router: Router,
    poison: Poison,
}

/// An immutable copy of a router's subscriptions, taken in O(1).
///
/// Reference counted (`herald_router_snapshot_clone` /
/// `herald_router_snapshot_free`). Thread safety: any number of threads may
/// match against the same snapshot at once.
#[derive(Debug)]
pub struct herald_router_snapshot {
    snapshot: RouterSnapshot,
    poison: Poison,
}

impl boundary::Guarded for herald_router {
    fn poison(&self) -> &Poison {
        &self.poison
    }
}

impl boundary::Guarded for herald_router_snapshot {
    fn poison(&self) -> &Poison {
        &self.poison
    }
}

impl boundary::Guarded for herald_match_cache {
    fn poison(&self) -> &Poison {
        &self.poison
    }
}

fn router_failure(error: &RouterError) -> Failure {
    match error {
        RouterError::Topic(error) => topic_failure(error),
        other => Failure::new(
            herald_status::TooManyPatterns,
            other.code(),
            other.to_string(),
        ),
    }
}

/// Matches into the caller's array, reporting the count (see `herald_router_match`).
///
/// # Safety
/// As for `herald_router_match`.
unsafe fn match_into_array(
    matcher: impl FnOnce(&str, &mut [u64]) -> Result<usize, RouterError>,
    topic: *const c_char,
    topic_len: usize,
    out_ids: *mut u64,
    capacity: usize,
    out_len: *mut usize,
) -> Result<(), Failure> {
    // SAFETY: forwarded contract.
    let out_len = unsafe { boundary::output(out_len, "out_len") }?;
    // SAFETY: forwarded contract.
    let ids = unsafe { boundary::array_out(out_ids, capacity, "out_ids") }?;
    // SAFETY: forwarded contract.
    let topic = unsafe { boundary::text(topic, topic_len, "topic") }?;
    let needed = matcher(topic, ids).map_err(|error| router_failure(&error))?;
    boundary::report_len(needed, capacity, out_len)
}

/// Creates an empty router with the default limits (1024-byte topics, 128
/// segments, 1,000,000 distinct patterns). Free it with `herald_router_free`.
/// Returns NULL only on an internal error.
#[unsafe(no_mangle)]
pub extern "C" fn herald_router_new() -> *mut herald_router {
    boundary::catch_null(|| {
        Box::into_raw(Box::new(herald_router {
            router: Router::new(),
            poison: Poison::default(),
        }))
    })
}

/// Frees a router. NULL is a no-op. Snapshots taken from it stay valid.
///
/// # Safety
/// `router` is NULL or came from `herald_router_new` and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_router_free(router: *mut herald_router) {
    // SAFETY: `router` is NULL or came from this library and is released once
    // (this function's contract).
    unsafe { boundary::free_boxed(router) }
}

/// Subscribes `subscriber` to `pattern`. Writes to `*out_added` (may be NULL)
/// whether the pair is new; subscribing an existing pair changes nothing.
/// Costs O(pattern segments), however many subscribers share the pattern.
///
/// # Safety
/// `router` is a live router used by no other thread during the call;
/// `pattern` is valid for reading `pattern_len` bytes; `out_added` is NULL or
/// valid for writing; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_router_subscribe(
    router: *mut herald_router,
    pattern: *const c_char,
    pattern_len: usize,
    subscriber: u64,
    out_added: *mut bool,
    error: *mut herald_error,
) -> herald_status {
    // SAFETY: `router` is NULL or live and used by no other thread (this function's contract).
    let handle = unsafe { router.as_mut() };
    boundary::with_handle_mut(handle, "router", error, |handle| {
        let router = &mut handle.router;
        // SAFETY: forwarded from this function's contract.
        let pattern = unsafe { parse_pattern(pattern, pattern_len) }?;
        let added = router
            .subscribe(&pattern, subscriber)
            .map_err(|error| router_failure(&error))?;
        // SAFETY: forwarded from this function's contract.
        unsafe { boundary::write_optional(out_added, added) };
        Ok(())
    })
}

/// Removes the pair (`pattern`, `subscriber`). Writes to `*out_removed` (may
/// be NULL) whether it existed. Trie nodes left empty are pruned.
///
/// # Safety
/// As for `herald_router_subscribe`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_router_unsubscribe(
    router: *mut herald_router,
    pattern: *const c_char,
    pattern_len: usize,
    subscriber: u64,
    out_removed: *mut bool,
    error: *mut herald_error,
) -> herald_status {
    // SAFETY: `router` is NULL or live and used by no other thread (this function's contract).
    let handle = unsafe { router.as_mut() };
    boundary::with_handle_mut(handle, "router", error, |handle| {
        let router = &mut handle.router;
        // SAFETY: forwarded from this function's contract.
        let pattern = unsafe { parse_pattern(pattern, pattern_len) }?;
        let removed = router.unsubscribe(&pattern, subscriber);
        // SAFETY: forwarded from this function's contract.
        unsafe { boundary::write_optional(out_removed, removed) };
        Ok(())
    })
}

/// The number of (pattern, subscriber) pairs (0 for NULL or a poisoned router).
///
/// # Safety
/// `router` is NULL or a live router not being changed during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_router_len(router: *const herald_router) -> usize {
    // SAFETY: the caller passes NULL or a live router.
    boundary::read_or(unsafe { router.as_ref() }, 0, |handle| handle.router.len())
}

/// Writes the subscribers whose patterns match `topic` into `out_ids`, each
/// once, ascending, and their number to `*out_len`. If there are more than
/// `capacity`, returns `HERALD_STATUS_BUFFER_TOO_SMALL` with the number needed
/// in `*out_len` (`out_ids` may be NULL when `capacity` is 0). An invalid
/// topic is `HERALD_STATUS_INVALID_TOPIC`, never an empty result. Does not
/// allocate when the matches fit.
///
/// # Safety
/// `router` is a live router not being changed during the call; `topic` is
/// valid for reading `topic_len` bytes; `out_ids` is valid for writing
/// `capacity` ids; `out_len` is valid for writing; `error` is NULL or a live
/// error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_router_match(
    router: *const herald_router,
    topic: *const c_char,
    topic_len: usize,
    out_ids: *mut u64,
    capacity: usize,
    out_len: *mut usize,
    error: *mut herald_error,
) -> herald_status {
    // SAFETY: `router` is NULL or live (this function's contract).
    let handle = unsafe { router.as_ref() };
    boundary::with_handle(handle, "router", error, |handle| {
        let matcher = |topic: &str, ids: &mut [u64]| handle.router.match_into_slice(topic, ids);
        // SAFETY: forwarded from this function's contract.
        unsafe { match_into_array(matcher, topic, topic_len, out_ids, capacity, out_len) }
    })
}

/// Takes an immutable snapshot of the router's current subscriptions, in
/// O(1). Later changes to the router do not affect it. Free it with
/// `herald_router_snapshot_free`. Writes the snapshot to `*out`.
///
/// The first change to the router after a snapshot copies its tables once.
///
/// # Safety
/// `router` is a live router not being changed during the call; `out` is
/// valid for writing; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_router_snapshot_new(
    router: *const herald_router,
    out: *mut *const herald_router_snapshot,
    error: *mut herald_error,
) -> herald_status {
    // SAFETY: `router` is NULL or live (this function's contract).
    let handle = unsafe { router.as_ref() };
    boundary::with_handle(handle, "router", error, |handle| {
        // SAFETY: forwarded from this function's contract.
        let out = unsafe { boundary::output(out, "out") }?;
        let snapshot = herald_router_snapshot {
            snapshot: handle.router.snapshot(),
            poison: Poison::default(),
        };
        *out = Arc::into_raw(Arc::new(snapshot));
        Ok(())
    })
}

/// Adds a reference to `snapshot` and returns it (NULL for NULL).
///
/// # Safety
/// `snapshot` is NULL or a live snapshot.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_router_snapshot_clone(
    snapshot: *const herald_router_snapshot,
) -> *const herald_router_snapshot {
    if snapshot.is_null() {
        return snapshot;
    }
    boundary::catch_or(std::ptr::null(), || {
        // SAFETY: a live snapshot pointer came from `Arc::into_raw`.
        unsafe { Arc::increment_strong_count(snapshot) };
        snapshot
    })
}

/// Drops one reference to `snapshot`; the last one frees it. NULL is a no-op.
///
/// # Safety
/// `snapshot` is NULL or a reference obtained from this library and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_router_snapshot_free(snapshot: *const herald_router_snapshot) {
    // SAFETY: `snapshot` is NULL or came from this library and is released once
    // (this function's contract).
    unsafe { boundary::release_shared(snapshot) }
}

/// The number of (pattern, subscriber) pairs in the snapshot (0 for NULL or a
/// poisoned snapshot).
///
/// # Safety
/// `snapshot` is NULL or a live snapshot.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_router_snapshot_len(
    snapshot: *const herald_router_snapshot,
) -> usize {
    // SAFETY: the caller passes NULL or a live snapshot.
    boundary::read_or(unsafe { snapshot.as_ref() }, 0, |handle| {
        handle.snapshot.len()
    })
}

/// Like `herald_router_match`, against a snapshot. Safe to call from any
/// number of threads on the same snapshot.
///
/// # Safety
/// `snapshot` is a live snapshot; other arguments as for `herald_router_match`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_router_snapshot_match(
    snapshot: *const herald_router_snapshot,
    topic: *const c_char,
    topic_len: usize,
    out_ids: *mut u64,
    capacity: usize,
    out_len: *mut usize,
    error: *mut herald_error,
) -> herald_status {
    // SAFETY: `snapshot` is NULL or live (this function's contract).
    let handle = unsafe { snapshot.as_ref() };
    boundary::with_handle(handle, "snapshot", error, |handle| {
        let matcher = |topic: &str, ids: &mut [u64]| handle.snapshot.match_into_slice(topic, ids);
        // SAFETY: forwarded from this function's contract.
        unsafe { match_into_array(matcher, topic, topic_len, out_ids, capacity, out_len) }
    })
}

/// Recent routing answers of one snapshot, kept by one caller: repeated
/// topics are answered with one hash lookup instead of a trie walk. Filled
/// from one snapshot, it empties itself when used with another, so it never
/// answers for an older version.
///
/// Thread safety: one thread at a time (give each thread its own cache; the
/// snapshot itself may be shared).
#[derive(Debug)]
pub struct herald_match_cache {
    cache: MatchCache,
    /// Reused for each answer, so matching through the cache does not allocate.
    found: Vec<u64>,
    poison: Poison,
}

/// Creates a cache of at most `capacity` topics (0 caches nothing). Free it
/// with `herald_match_cache_free`. Returns NULL only on an internal error.
#[unsafe(no_mangle)]
pub extern "C" fn herald_match_cache_new(capacity: usize) -> *mut herald_match_cache {
    boundary::catch_null(|| {
        Box::into_raw(Box::new(herald_match_cache {
            cache: MatchCache::with_capacity(capacity),
            found: Vec::new(),
            poison: Poison::default(),
        }))
    })
}

/// Frees a cache (and its reference to the last snapshot it served). NULL is
/// a no-op.
///
/// # Safety
/// `cache` is NULL or came from `herald_match_cache_new` and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_match_cache_free(cache: *mut herald_match_cache) {
    // SAFETY: `cache` is NULL or came from this library and is released once
    // (this function's contract).
    unsafe { boundary::free_boxed(cache) }
}

/// Like `herald_router_snapshot_match`, answering repeated topics from
/// `cache`. Invalid topics are errors and are never cached.
///
/// # Safety
/// `snapshot` is a live snapshot; `cache` is a live cache used by no other
/// thread during the call; other arguments as for `herald_router_match`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_router_snapshot_match_cached(
    snapshot: *const herald_router_snapshot,
    cache: *mut herald_match_cache,
    topic: *const c_char,
    topic_len: usize,
    out_ids: *mut u64,
    capacity: usize,
    out_len: *mut usize,
    error: *mut herald_error,
) -> herald_status {
    // SAFETY: `snapshot` is NULL or live (this function's contract).
    let Some(handle) = (unsafe { snapshot.as_ref() }) else {
        return boundary::guard(error, || Err(Failure::null("snapshot")));
    };
    // SAFETY: `cache` is NULL or live and used by no other thread (this function's contract).
    let cache = unsafe { cache.as_mut() };
    // The cache is the handle this call changes, so a panic poisons it.
    boundary::with_handle_mut(cache, "cache", error, |cache| {
        let herald_match_cache { cache, found, .. } = cache;
        if handle.poison.is_set() {
            return Err(Failure::poisoned());
        }
        // SAFETY: forwarded from this function's contract.
        let out_len = unsafe { boundary::output(out_len, "out_len") }?;
        // SAFETY: forwarded from this function's contract.
        let ids = unsafe { boundary::array_out(out_ids, capacity, "out_ids") }?;
        // SAFETY: forwarded from this function's contract.
        let topic = unsafe { boundary::text(topic, topic_len, "topic") }?;
        handle
            .snapshot
            .match_cached(topic, cache, found)
            .map_err(|error| router_failure(&error))?;
        boundary::report_len(found.len(), capacity, out_len)?;
        ids[..found.len()].copy_from_slice(found);
        Ok(())
    })
}
