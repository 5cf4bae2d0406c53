//! Subscriptions to subscriber ids: the router.
//!
//! A subscription is a ([`Pattern`], subscriber id) pair. [`Router`] owns the
//! subscriptions and answers "who wants this topic?" with each subscriber id
//! once, in ascending order. [`RouterSnapshot`] is a frozen, shareable version
//! for readers on other threads. Both dereference to a [`RouteTable`], where
//! matching is defined once. This module never treats an invalid topic as
//! "no match" — it returns the [`SyntaxError`] — and never
//! allocates per match when the caller's buffer is large enough.
//!
//! ```
//! use herald_core::{Pattern, Router, Topic};
//!
//! let mut router = Router::new();
//! router.subscribe(&Pattern::parse("payment.#")?, 7)?;
//! router.subscribe(&Pattern::parse("#.failed")?, 3)?;
//! router.subscribe(&Pattern::parse("payment.card.failed")?, 7)?;
//!
//! let mut ids = Vec::new();
//! router.match_into("payment.card.failed", &mut ids)?;
//! assert_eq!(ids, [3, 7]);
//! router.match_into(&Topic::parse("payment.card")?, &mut ids)?; // a checked topic too
//! assert_eq!(ids, [7]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Costs
//!
//! Matching is the shape index of `docs/routing.md`: the topic is checked
//! and hashed in one scan, then every pattern shape that fits its length is
//! one hash-table probe, and patterns whose literals float (two `#`) are
//! found by a trie walk. Its work depends on the number of shapes and on the
//! `#`-heavy patterns, not on how many patterns there are. Subscribe and
//! unsubscribe hash the pattern once (O(segments)); the ids at one pattern
//! are one inline id, a sorted vector up to 16, and a B-tree beyond, so 10k
//! subscribers on one pattern cost O(log n) per change.
//!
//! A [`Router`] keeps its table behind an [`Arc`] shared with the snapshots it
//! handed out. The first change after [`Router::snapshot`] copies the table
//! (O(patterns + subscriptions)); later changes, until the next snapshot, are
//! in place. Publish snapshots per batch of changes, not per change.
//!
//! Event names come from a small catalogue, so the same topics are routed
//! again and again. A reader that keeps a [`MatchCache`] next to its snapshot
//! ([`RouterSnapshot::match_cached`]) answers a repeated topic with one hash
//! lookup and a copy, without probing the index or re-checking the topic.

use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use smallvec::SmallVec;

use crate::hashing::{Keyed, keyed};
use crate::index::{Ids, Index};
use crate::limits::Limits;
use crate::pattern::Pattern;
use crate::topic::SyntaxError;

pub use crate::matcher::{MatchScratch, MatchStats};

/// The subscriptions of a [`Router`] or a [`RouterSnapshot`], and the one
/// place where topics are matched against them.
///
/// Both dereference to it, so every method here is callable on either:
/// `router.match_into(..)` and `snapshot.match_into(..)` are the same call.
/// A topic is given as text (`&str`, `&String`) or as a checked
/// [`Topic`](crate::Topic); either way it is checked against this table's
/// [`Limits`], and an invalid topic is an error, never an empty result.
///
/// | call | output | working memory |
/// |---|---|---|
/// | [`match_into`](RouteTable::match_into) | a `Vec`, cleared first | inline (16 segments) |
/// | [`match_into_with`](RouteTable::match_into_with) | a `Vec` | the caller's [`MatchScratch`] |
/// | [`match_into_slice`](RouteTable::match_into_slice) | a caller's slice; returns the count needed | inline |
pub struct RouteTable {
    index: Index,
    subscriptions: usize,
    limits: Limits,
}

impl Clone for RouteTable {
    fn clone(&self) -> Self {
        RouteTable {
            index: self.index.clone(),
            subscriptions: self.subscriptions,
            limits: self.limits,
        }
    }
}

impl fmt::Debug for RouteTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RouteTable")
            .field("subscriptions", &self.subscriptions)
            .field("index", &self.index)
            .finish()
    }
}

impl RouteTable {
    fn new(limits: Limits) -> Self {
        RouteTable {
            index: Index::default(),
            subscriptions: 0,
            limits,
        }
    }

    /// Clears `out`, then writes the subscribers whose patterns match `topic`,
    /// each once, ascending.
    ///
    /// Does not allocate when `out` already has room for the ids (with
    /// duplicates across patterns counted), the topic has at most 16
    /// segments and a trie walk keeps at most 32 states live;
    /// [`match_into_with`](RouteTable::match_into_with) lifts the last two
    /// conditions.
    ///
    /// ```
    /// use herald_core::{Pattern, Router};
    /// let mut router = Router::new();
    /// router.subscribe(&Pattern::parse("*.message.sent")?, 9)?;
    /// let mut ids = Vec::with_capacity(16);
    /// router.match_into("sms.message.sent", &mut ids)?;
    /// assert_eq!(ids, [9]);
    /// assert!(router.match_into("sms.message.*", &mut ids).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn match_into(
        &self,
        topic: impl AsRef<str>,
        out: &mut Vec<u64>,
    ) -> Result<(), RouterError> {
        self.match_vec(topic.as_ref(), out, None)
    }

    /// Like [`match_into`](RouteTable::match_into), with the caller's working
    /// memory: once `scratch` has grown to what the topics need, no match
    /// allocates, however long the topic or however many `#` patterns stay
    /// live. Afterwards [`MatchScratch::stats`] tells the work done.
    ///
    /// ```
    /// use herald_core::{MatchScratch, Pattern, Router};
    /// let mut router = Router::new();
    /// router.subscribe(&Pattern::parse("a.*")?, 1)?;
    /// let (mut ids, mut scratch) = (Vec::new(), MatchScratch::new());
    /// router.match_into_with("a.b", &mut ids, &mut scratch)?;
    /// assert_eq!((ids.as_slice(), scratch.stats().probes), (&[1][..], 1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn match_into_with(
        &self,
        topic: impl AsRef<str>,
        out: &mut Vec<u64>,
        scratch: &mut MatchScratch,
    ) -> Result<(), RouterError> {
        self.match_vec(topic.as_ref(), out, Some(scratch))
    }

    /// Writes the matching subscribers into a caller's slice, for callers that
    /// cannot hand over a `Vec` (the C ABI).
    ///
    /// Returns how many distinct ids match, `n`. When `n <= out.len()`, they
    /// are in `out[..n]`, ascending; otherwise the contents of `out` are
    /// unspecified and the caller retries with a slice of `n`.
    ///
    /// ```
    /// use herald_core::{Pattern, Router};
    /// let mut router = Router::new();
    /// for id in [5, 1, 3] {
    ///     router.subscribe(&Pattern::parse("a.>")?, id)?;
    /// }
    /// let mut small = [0u64; 2];
    /// assert_eq!(router.match_into_slice("a.b", &mut small)?, 3);
    /// let mut enough = [0u64; 3];
    /// assert_eq!(router.match_into_slice("a.b", &mut enough)?, 3);
    /// assert_eq!(enough, [1, 3, 5]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn match_into_slice(
        &self,
        topic: impl AsRef<str>,
        out: &mut [u64],
    ) -> Result<usize, RouterError> {
        let topic = topic.as_ref();
        let mut written = 0;
        let matched = self
            .index
            .for_each_match(topic, &self.limits, None, |ids| {
                ids.for_each(|id| {
                    if let Some(slot) = out.get_mut(written) {
                        *slot = id;
                    }
                    written += 1;
                })
            })?;
        if written <= out.len() {
            let found = &mut out[..written];
            if matched > 1 {
                found.sort_unstable();
                return Ok(dedup_sorted(found));
            }
            return Ok(written);
        }
        // Duplicates across patterns may still fit once removed; only this
        // rare path allocates, to count the distinct ids.
        let mut all = Vec::with_capacity(written);
        self.match_vec(topic, &mut all, None)?;
        if let Some(prefix) = out.get_mut(..all.len()) {
            prefix.copy_from_slice(&all);
        }
        Ok(all.len())
    }

    fn match_vec(
        &self,
        topic: &str,
        out: &mut Vec<u64>,
        scratch: Option<&mut MatchScratch>,
    ) -> Result<(), RouterError> {
        out.clear();
        let matched = self
            .index
            .for_each_match(topic, &self.limits, scratch, |ids| push_ids(out, ids))?;
        // One pattern's ids are already ascending and distinct.
        if matched > 1 {
            out.sort_unstable();
            out.dedup();
        }
        Ok(())
    }

    /// How many (pattern, subscriber) pairs are subscribed.
    pub fn len(&self) -> usize {
        self.subscriptions
    }

    /// Whether there are no subscriptions.
    pub fn is_empty(&self) -> bool {
        self.subscriptions == 0
    }

    /// How many distinct patterns have at least one subscriber.
    pub fn pattern_count(&self) -> usize {
        self.index.pattern_count()
    }

    /// How many subscribers `pattern` has.
    ///
    /// ```
    /// use herald_core::{Pattern, Router};
    /// let mut router = Router::new();
    /// let pattern = Pattern::parse("#")?;
    /// router.subscribe(&pattern, 4)?;
    /// assert_eq!(router.subscriber_count(&pattern), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn subscriber_count(&self, pattern: &Pattern) -> usize {
        self.index.get(pattern).map_or(0, Ids::len)
    }

    /// How many storage units the table uses: one per pattern in the shape
    /// index, one per node of its trie (the root included). An empty table
    /// has 1; removing a pattern frees what only it used.
    pub fn node_count(&self) -> usize {
        self.index.node_count()
    }

    /// How many distinct pattern shapes the index probes: the most probes one
    /// match makes ([`MatchStats::probes`]).
    pub fn shape_count(&self) -> usize {
        self.index.shape_count()
    }

    /// How many nodes the trie for `#`-heavy patterns holds, the root
    /// included: a match visits at most this many per topic segment, plus
    /// one ([`MatchStats::visited`]).
    pub fn trie_node_count(&self) -> usize {
        self.index.trie_node_count()
    }

    /// The limits topics are checked against.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }
}

/// Appends a matched pattern's subscribers to `out`. The usual pattern has
/// one, pushed right here in the match's loop; larger sets go through a
/// call, which keeps the code that walks them out of that loop.
#[inline(always)]
fn push_ids(out: &mut Vec<u64>, ids: Ids<'_>) {
    match ids {
        Ids::One(id) => out.push(id),
        ids => push_many(out, ids),
    }
}

/// [`push_ids`] for a pattern with several subscribers.
#[inline(never)]
fn push_many(out: &mut Vec<u64>, ids: Ids<'_>) {
    ids.for_each(|id| out.push(id));
}

/// Moves the distinct values of sorted `values` to its front; returns their count.
fn dedup_sorted(values: &mut [u64]) -> usize {
    let mut kept = 0;
    for at in 0..values.len() {
        if kept == 0 || values[at] != values[kept - 1] {
            values[kept] = values[at];
            kept += 1;
        }
    }
    kept
}

/// Subscriptions from patterns to subscriber ids, mutable.
///
/// Matching takes `&self` and is defined on [`RouteTable`], which a `Router`
/// dereferences to. A `Router` is `Send + Sync`, so any number of threads may
/// match at once while no one mutates it. To keep matching while a writer
/// changes the subscriptions, hand readers a [`RouterSnapshot`].
#[derive(Debug, Clone)]
pub struct Router {
    table: Arc<RouteTable>,
}

impl Default for Router {
    fn default() -> Self {
        Router::new()
    }
}

impl Deref for Router {
    type Target = RouteTable;

    fn deref(&self) -> &RouteTable {
        &self.table
    }
}

impl Router {
    /// An empty router with the default [`Limits`].
    pub fn new() -> Self {
        Router::with_limits(Limits::default())
    }

    /// An empty router that checks topics and counts patterns against `limits`.
    ///
    /// ```
    /// use herald_core::{Limits, Pattern, Router};
    /// let mut router = Router::with_limits(Limits { max_patterns: 1, ..Limits::default() });
    /// router.subscribe(&Pattern::parse("a")?, 1)?;
    /// router.subscribe(&Pattern::parse("a")?, 2)?; // same pattern, another id
    /// let error = router.subscribe(&Pattern::parse("b")?, 1).unwrap_err();
    /// assert_eq!(error.code(), "too_many_patterns");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_limits(limits: Limits) -> Self {
        Router {
            table: Arc::new(RouteTable::new(limits)),
        }
    }

    /// Subscribes `subscriber` to `pattern`; `Ok(true)` if the pair is new,
    /// `Ok(false)` if it was already there (nothing changes).
    ///
    /// ```
    /// use herald_core::{Pattern, Router};
    /// let mut router = Router::new();
    /// let pattern = Pattern::parse("payment.*")?;
    /// assert!(router.subscribe(&pattern, 1)?);
    /// assert!(!router.subscribe(&pattern, 1)?);
    /// assert_eq!(router.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn subscribe(&mut self, pattern: &Pattern, subscriber: u64) -> Result<bool, RouterError> {
        let max = self.table.limits.max_patterns;
        // While snapshots share the table, a no-op or a refusal must not
        // copy it: check on the shared table first.
        if Arc::get_mut(&mut self.table).is_none() {
            match self.table.index.get(pattern) {
                Some(ids) if ids.contains(subscriber) => return Ok(false),
                Some(_) => {}
                None if self.table.index.pattern_count() >= max => {
                    return Err(RouterError::TooManyPatterns { max });
                }
                None => {}
            }
        }
        let table = Arc::make_mut(&mut self.table);
        match table.index.insert(pattern, subscriber, max) {
            Some(true) => {
                table.subscriptions += 1;
                Ok(true)
            }
            Some(false) => Ok(false),
            None => Err(RouterError::TooManyPatterns { max }),
        }
    }

    /// Removes the pair; `true` if it existed. A pattern left without
    /// subscribers leaves the index, with everything only it used.
    ///
    /// ```
    /// use herald_core::{Pattern, Router};
    /// let mut router = Router::new();
    /// let pattern = Pattern::parse("payment.*")?;
    /// router.subscribe(&pattern, 1)?;
    /// assert!(router.unsubscribe(&pattern, 1));
    /// assert!(!router.unsubscribe(&pattern, 1));
    /// assert!(router.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn unsubscribe(&mut self, pattern: &Pattern, subscriber: u64) -> bool {
        // Checked on the shared table first so a no-op never copies it.
        if Arc::get_mut(&mut self.table).is_none()
            && !self
                .table
                .index
                .get(pattern)
                .is_some_and(|ids| ids.contains(subscriber))
        {
            return false;
        }
        let table = Arc::make_mut(&mut self.table);
        if table.index.remove(pattern, subscriber) {
            table.subscriptions -= 1;
            return true;
        }
        false
    }

    /// A frozen copy of the current subscriptions, cheap to take and to clone
    /// (one reference count).
    ///
    /// ```
    /// use herald_core::{Pattern, Router};
    /// let mut router = Router::new();
    /// router.subscribe(&Pattern::parse("a")?, 1)?;
    /// let before = router.snapshot();
    /// router.subscribe(&Pattern::parse("a")?, 2)?;
    /// let mut ids = Vec::new();
    /// before.match_into("a", &mut ids)?;
    /// assert_eq!(ids, [1]);
    /// router.snapshot().match_into("a", &mut ids)?;
    /// assert_eq!(ids, [1, 2]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn snapshot(&self) -> RouterSnapshot {
        RouterSnapshot {
            table: Arc::clone(&self.table),
        }
    }
}

/// An immutable version of a [`Router`]'s subscriptions.
///
/// `Send + Sync` and cheap to clone (an [`Arc`]): publish one to readers on
/// any number of threads while the writer goes on changing its `Router`.
/// Matching is on the [`RouteTable`] it dereferences to, plus
/// [`match_cached`](RouterSnapshot::match_cached).
///
/// ```
/// use herald_core::{Pattern, Router, RouterSnapshot};
/// let mut router = Router::new();
/// router.subscribe(&Pattern::parse("payment.#")?, 1)?;
/// let snapshot: RouterSnapshot = router.snapshot();
///
/// fn share<T: Send + Sync + Clone>(value: &T) -> T { value.clone() }
/// let reader = share(&snapshot); // what a thread pool would receive
/// router.subscribe(&Pattern::parse("payment")?, 2)?;
///
/// let mut ids = Vec::new();
/// reader.match_into("payment", &mut ids)?;
/// assert_eq!(ids, [1]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct RouterSnapshot {
    table: Arc<RouteTable>,
}

impl Deref for RouterSnapshot {
    type Target = RouteTable;

    fn deref(&self) -> &RouteTable {
        &self.table
    }
}

/// Recent answers of one [`RouterSnapshot`], kept by one caller (one thread):
/// topic → subscriber ids.
///
/// The cache belongs to the caller, so matching through it needs no lock and
/// the snapshot stays shareable. It holds a reference to the snapshot it was
/// filled from and empties itself when used with any other snapshot, so it
/// never returns an answer of an older version. Only valid topics are
/// cached. When full it starts over empty: cheap, and a working set of event
/// names fits easily. Memory: up to `capacity` topics (each at most
/// [`Limits::max_topic_bytes`]) with their ids.
///
/// ```
/// use herald_core::{MatchCache, Pattern, Router};
///
/// let mut router = Router::new();
/// router.subscribe(&Pattern::parse("payment.#")?, 1)?;
/// let snapshot = router.snapshot();
///
/// let mut cache = MatchCache::new();
/// let mut ids = Vec::new();
/// snapshot.match_cached("payment.card.success", &mut cache, &mut ids)?; // probes the index
/// snapshot.match_cached("payment.card.success", &mut cache, &mut ids)?; // one lookup
/// assert_eq!(ids, [1]);
/// assert_eq!(cache.len(), 1);
///
/// // A newer snapshot is a different version: the cache starts over.
/// router.subscribe(&Pattern::parse("#.success")?, 2)?;
/// router.snapshot().match_cached("payment.card.success", &mut cache, &mut ids)?;
/// assert_eq!(ids, [1, 2]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct MatchCache {
    /// The table the answers came from; held so that its address cannot be
    /// reused by another table while the answers are kept.
    table: Option<Arc<RouteTable>>,
    answers: HashMap<Box<str>, SmallVec<[u64; 4]>, Keyed>,
    capacity: usize,
    /// The walk's working memory for topics not cached yet.
    scratch: MatchScratch,
}

impl Default for MatchCache {
    fn default() -> Self {
        MatchCache::new()
    }
}

impl MatchCache {
    /// Topics kept by [`MatchCache::new`].
    pub const DEFAULT_CAPACITY: usize = 4096;

    /// An empty cache of [`DEFAULT_CAPACITY`](Self::DEFAULT_CAPACITY) topics.
    pub fn new() -> Self {
        MatchCache::with_capacity(MatchCache::DEFAULT_CAPACITY)
    }

    /// An empty cache of at most `capacity` topics (0 caches nothing).
    pub fn with_capacity(capacity: usize) -> Self {
        MatchCache {
            table: None,
            answers: HashMap::with_hasher(keyed()),
            capacity,
            scratch: MatchScratch::new(),
        }
    }

    /// How many topics are cached.
    pub fn len(&self) -> usize {
        self.answers.len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }

    /// Forgets every answer and the snapshot they came from.
    pub fn clear(&mut self) {
        self.answers.clear();
        self.table = None;
    }

    /// Makes the cache describe `table`, dropping answers of any other.
    fn follow(&mut self, table: &Arc<RouteTable>) {
        let current = self
            .table
            .as_ref()
            .is_some_and(|cached| Arc::ptr_eq(cached, table));
        if !current {
            self.answers.clear();
            self.table = Some(Arc::clone(table));
        }
    }

    fn remember(&mut self, topic: &str, ids: &[u64]) {
        if self.capacity == 0 {
            return;
        }
        if self.answers.len() >= self.capacity {
            self.answers.clear();
        }
        self.answers.insert(topic.into(), SmallVec::from_slice(ids));
    }
}

impl RouterSnapshot {
    /// Like [`match_into`](RouteTable::match_into), answering repeated
    /// topics from `cache` (one hash lookup and a copy, no index probe). The
    /// answer is always this snapshot's: a cache filled from another snapshot
    /// is emptied first.
    pub fn match_cached(
        &self,
        topic: impl AsRef<str>,
        cache: &mut MatchCache,
        out: &mut Vec<u64>,
    ) -> Result<(), RouterError> {
        let topic = topic.as_ref();
        cache.follow(&self.table);
        if let Some(ids) = cache.answers.get(topic) {
            out.clear();
            out.extend_from_slice(ids);
            return Ok(());
        }
        self.table.match_vec(topic, out, Some(&mut cache.scratch))?;
        cache.remember(topic, out);
        Ok(())
    }
}

impl From<Router> for RouterSnapshot {
    fn from(router: Router) -> Self {
        RouterSnapshot {
            table: router.table,
        }
    }
}

/// A router refused a topic or a subscription.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RouterError {
    /// The topic to match is not a valid topic; it is never treated as "no match".
    #[error("invalid topic: {0}")]
    Topic(#[from] SyntaxError),
    /// Subscribing would add a pattern past [`Limits::max_patterns`](crate::Limits::max_patterns).
    #[error("the router already holds {max} distinct patterns, its limit")]
    TooManyPatterns {
        /// The limit.
        max: usize,
    },
}

impl RouterError {
    /// The stable machine-readable code of this error.
    ///
    /// An invalid topic keeps the code of its [`SyntaxError`].
    ///
    /// ```
    /// let router = herald_core::Router::new();
    /// let error = router.match_into("a..b", &mut Vec::new()).unwrap_err();
    /// assert_eq!(error.code(), "empty_segment");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            RouterError::Topic(error) => error.code(),
            RouterError::TooManyPatterns { .. } => "too_many_patterns",
        }
    }
}
