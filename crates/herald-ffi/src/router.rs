//! Routers and their snapshots: subscriptions (pattern, subscriber id) and
//! matching topics to subscriber ids.

use std::os::raw::c_char;

use herald_core::router::MatchCache;
use herald_core::{Router, RouterError, RouterSnapshot};

use crate::boundary::{
    self, Failure, add_ref, free, get_or, guard, try_mut, try_out, try_ref, try_slice_mut, try_str,
    write_optional,
};
use crate::error::herald_error;
use crate::handle::{self, Castable, Opaque, Owned, Shared};
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
    _opaque: Opaque,
}

impl Castable for herald_router {
    type Ownership = Owned;
    type Value = Router;
}

/// An immutable copy of a router's subscriptions, taken in O(1).
///
/// Reference counted (`herald_router_snapshot_clone` /
/// `herald_router_snapshot_free`). Thread safety: any number of threads may
/// match against the same snapshot at once.
#[derive(Debug)]
pub struct herald_router_snapshot {
    _opaque: Opaque,
}

impl Castable for herald_router_snapshot {
    type Ownership = Shared;
    type Value = RouterSnapshot;
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

/// Matches `topic` into the caller's `ids`, reporting the count in `out_len`
/// (see `herald_router_match`).
fn match_into_array(
    matcher: impl FnOnce(&str, &mut [u64]) -> Result<usize, RouterError>,
    topic: &str,
    ids: &mut [u64],
    out_len: &mut usize,
) -> Result<(), Failure> {
    let capacity = ids.len();
    let needed = matcher(topic, ids).map_err(|error| router_failure(&error))?;
    boundary::report_len(needed, capacity, out_len)
}

/// Creates an empty router with the default limits (1024-byte topics, 128
/// segments, 1,000,000 distinct patterns). Free it with `herald_router_free`.
/// Returns NULL only on an internal error.
#[unsafe(no_mangle)]
pub extern "C" fn herald_router_new() -> *mut herald_router {
    handle::create_owned(Router::new)
}

/// Frees a router. NULL is a no-op. Snapshots taken from it stay valid.
///
/// # Safety
/// `router` is NULL or came from `herald_router_new` and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_router_free(router: *mut herald_router) {
    free!(router)
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
    guard!(error, |call| {
        let router = try_mut!(call, router)?;
        let pattern = parse_pattern(try_str!(pattern, pattern_len)?)?;
        let added = router
            .subscribe(&pattern, subscriber)
            .map_err(|error| router_failure(&error))?;
        write_optional!(out_added, added);
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
    guard!(error, |call| {
        let router = try_mut!(call, router)?;
        let pattern = parse_pattern(try_str!(pattern, pattern_len)?)?;
        let removed = router.unsubscribe(&pattern, subscriber);
        write_optional!(out_removed, removed);
        Ok(())
    })
}

/// The number of (pattern, subscriber) pairs (0 for NULL or a poisoned router).
///
/// # Safety
/// `router` is NULL or a live router not being changed during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_router_len(router: *const herald_router) -> usize {
    get_or!(router, 0, |router| router.len())
}

/// Writes the subscribers whose patterns match `topic` into `out_ids`, each
/// once, ascending, and their number to `*out_len`. If there are more than
/// `capacity`, returns `HERALD_STATUS_BUFFER_TOO_SMALL` with the number needed
/// in `*out_len` (`out_ids` may be NULL when `capacity` is 0). An invalid
/// topic is `HERALD_STATUS_INVALID_TOPIC`, never an empty result. Does not
/// allocate when the matches fit: this is the hot path, so the ids go into
/// an array the caller keeps, not into a new object per call.
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
    guard!(error, |call| {
        let router = try_ref!(call, router)?;
        let out_len = try_out!(out_len)?;
        let ids = try_slice_mut!(out_ids, capacity)?;
        let topic = try_str!(topic, topic_len)?;
        let matcher = |topic: &str, ids: &mut [u64]| router.match_into_slice(topic, ids);
        match_into_array(matcher, topic, ids, out_len)
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
    guard!(error, |call| {
        let router = try_ref!(call, router)?;
        let out = try_out!(out)?;
        *out = handle::into_shared(router.snapshot());
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
    add_ref!(snapshot)
}

/// Drops one reference to `snapshot`; the last one frees it. NULL is a no-op.
///
/// # Safety
/// `snapshot` is NULL or a reference obtained from this library and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_router_snapshot_free(snapshot: *const herald_router_snapshot) {
    free!(snapshot)
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
    get_or!(snapshot, 0, |snapshot| snapshot.len())
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
    guard!(error, |call| {
        let snapshot = try_ref!(call, snapshot)?;
        let out_len = try_out!(out_len)?;
        let ids = try_slice_mut!(out_ids, capacity)?;
        let topic = try_str!(topic, topic_len)?;
        let matcher = |topic: &str, ids: &mut [u64]| snapshot.match_into_slice(topic, ids);
        match_into_array(matcher, topic, ids, out_len)
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
    _opaque: Opaque,
}

impl Castable for herald_match_cache {
    type Ownership = Owned;
    type Value = CachedMatches;
}

/// The value behind a `herald_match_cache`.
#[derive(Debug)]
pub(crate) struct CachedMatches {
    cache: MatchCache,
    /// Reused for each answer, so matching through the cache does not allocate.
    found: Vec<u64>,
}

/// Creates a cache of at most `capacity` topics (0 caches nothing). Free it
/// with `herald_match_cache_free`. Returns NULL only on an internal error.
#[unsafe(no_mangle)]
pub extern "C" fn herald_match_cache_new(capacity: usize) -> *mut herald_match_cache {
    handle::create_owned(|| CachedMatches {
        cache: MatchCache::with_capacity(capacity),
        found: Vec::new(),
    })
}

/// Frees a cache (and its reference to the last snapshot it served). NULL is
/// a no-op.
///
/// # Safety
/// `cache` is NULL or came from `herald_match_cache_new` and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_match_cache_free(cache: *mut herald_match_cache) {
    free!(cache)
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
    guard!(error, |call| {
        let snapshot = try_ref!(call, snapshot)?;
        let CachedMatches { cache, found } = try_mut!(call, cache)?;
        let out_len = try_out!(out_len)?;
        let ids = try_slice_mut!(out_ids, capacity)?;
        let topic = try_str!(topic, topic_len)?;
        snapshot
            .match_cached(topic, cache, found)
            .map_err(|error| router_failure(&error))?;
        boundary::report_len(found.len(), capacity, out_len)?;
        ids[..found.len()].copy_from_slice(found);
        Ok(())
    })
}
