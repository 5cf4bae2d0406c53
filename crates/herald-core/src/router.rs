//! Subscriptions to subscriber ids: the router.
//!
//! A subscription is a ([`Pattern`], subscriber id) pair. [`Router`] owns the
//! subscriptions and answers "who wants this topic?" with each subscriber id
//! once, in ascending order. [`RouterSnapshot`] is a frozen, shareable version
//! for readers on other threads. This module never treats an invalid topic as
//! "no match" — it returns the [`SyntaxError`] — and never
//! allocates per match when the caller's buffer is large enough.
//!
//! ```
//! use herald_core::{Pattern, Router};
//!
//! let mut router = Router::new();
//! router.subscribe(&Pattern::parse("payment.#")?, 7)?;
//! router.subscribe(&Pattern::parse("#.failed")?, 3)?;
//! router.subscribe(&Pattern::parse("payment.card.failed")?, 7)?;
//!
//! let mut ids = Vec::new();
//! router.match_into("payment.card.failed", &mut ids)?;
//! assert_eq!(ids, [3, 7]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Costs
//!
//! Matching is the trie walk of [`crate::matcher`]: its work depends on the
//! patterns that share prefixes with the topic, not on how many patterns there
//! are. Subscribe and unsubscribe walk the pattern once (O(segments)); the ids
//! at one pattern live in a sorted inline vector that becomes a B-tree past 16
//! ids, so 10k subscribers on one pattern cost O(log n) per change.
//!
//! A [`Router`] keeps its table behind an [`Arc`] shared with the snapshots it
//! handed out. The first change after [`Router::snapshot`] copies the table
//! (O(nodes + subscriptions)); later changes, until the next snapshot, are in
//! place. Publish snapshots per batch of changes, not per change.
//!
//! Event names come from a small catalogue, so the same topics are routed
//! again and again. A reader that keeps a [`MatchCache`] next to its snapshot
//! ([`RouterSnapshot::match_cached`]) answers a repeated topic with one hash
//! lookup and a copy, without walking the trie or re-checking the topic.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::sync::Arc;

use smallvec::SmallVec;

use crate::limits::Limits;
use crate::matcher::{MatchScratch, MatchStats, Trie};
use crate::pattern::Pattern;
use crate::topic::SyntaxError;

/// Subscriber ids at one pattern.
#[derive(Debug, Clone)]
enum Subscribers {
    /// Sorted, without duplicates.
    Few(SmallVec<[u64; 2]>),
    Many(BTreeSet<u64>),
}

/// Ids kept in the sorted vector up to this many; a B-tree beyond.
const FEW_SUBSCRIBERS: usize = 16;

impl Default for Subscribers {
    fn default() -> Self {
        Subscribers::Few(SmallVec::new())
    }
}

impl Subscribers {
    fn contains(&self, id: u64) -> bool {
        match self {
            Subscribers::Few(ids) => ids.binary_search(&id).is_ok(),
            Subscribers::Many(ids) => ids.contains(&id),
        }
    }

    fn insert(&mut self, id: u64) -> bool {
        match self {
            Subscribers::Few(ids) => match ids.binary_search(&id) {
                Ok(_) => false,
                Err(at) if ids.len() < FEW_SUBSCRIBERS => {
                    ids.insert(at, id);
                    true
                }
                Err(_) => {
                    let mut set: BTreeSet<u64> = ids.iter().copied().collect();
                    set.insert(id);
                    *self = Subscribers::Many(set);
                    true
                }
            },
            Subscribers::Many(ids) => ids.insert(id),
        }
    }

    fn remove(&mut self, id: u64) -> bool {
        match self {
            Subscribers::Few(ids) => match ids.binary_search(&id) {
                Ok(at) => {
                    ids.remove(at);
                    true
                }
                Err(_) => false,
            },
            Subscribers::Many(ids) => {
                let removed = ids.remove(&id);
                // Half the vector's capacity, so a size hovering at the
                // boundary does not convert back and forth.
                if ids.len() <= FEW_SUBSCRIBERS / 2 {
                    *self = Subscribers::Few(ids.iter().copied().collect());
                }
                removed
            }
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Subscribers::Few(ids) => ids.is_empty(),
            Subscribers::Many(ids) => ids.is_empty(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Subscribers::Few(ids) => ids.len(),
            Subscribers::Many(ids) => ids.len(),
        }
    }

    /// Calls `sink` with each id, ascending.
    fn for_each(&self, mut sink: impl FnMut(u64)) {
        match self {
            Subscribers::Few(ids) => ids.iter().for_each(|&id| sink(id)),
            Subscribers::Many(ids) => ids.iter().for_each(|&id| sink(id)),
        }
    }
}

/// The state a router and its snapshots share.
#[derive(Clone)]
struct Table {
    trie: Trie<Subscribers>,
    subscriptions: usize,
    limits: Limits,
}

impl Table {
    fn new(limits: Limits) -> Self {
        Table {
            trie: Trie::new(),
            subscriptions: 0,
            limits,
        }
    }

    fn match_into(
        &self,
        topic: &str,
        out: &mut Vec<u64>,
        scratch: &mut MatchScratch,
    ) -> Result<MatchStats, RouterError> {
        out.clear();
        let stats = self
            .trie
            .match_topic_with(topic, &self.limits, scratch, |ids| {
                ids.for_each(|id| out.push(id))
            })?;
        // One pattern's ids are already ascending and distinct.
        if stats.matched > 1 {
            out.sort_unstable();
            out.dedup();
        }
        Ok(stats)
    }

    fn match_into_slice(&self, topic: &str, out: &mut [u64]) -> Result<usize, RouterError> {
        let mut written = 0;
        let stats = self.trie.match_topic(topic, &self.limits, |ids| {
            ids.for_each(|id| {
                if let Some(slot) = out.get_mut(written) {
                    *slot = id;
                }
                written += 1;
            })
        })?;
        if written <= out.len() {
            let found = &mut out[..written];
            if stats.matched > 1 {
                found.sort_unstable();
                return Ok(dedup_sorted(found));
            }
            return Ok(written);
        }
        // Duplicates across patterns may still fit once removed; only this
        // rare path allocates, to count the distinct ids.
        let mut all = Vec::with_capacity(written);
        self.match_into(topic, &mut all, &mut MatchScratch::new())?;
        if let Some(prefix) = out.get_mut(..all.len()) {
            prefix.copy_from_slice(&all);
        }
        Ok(all.len())
    }
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

impl fmt::Debug for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("subscriptions", &self.subscriptions)
            .field("trie", &self.trie)
            .finish()
    }
}

/// Subscriptions from patterns to subscriber ids, mutable.
///
/// Matching takes `&self`; a `Router` is `Send + Sync`, so any number of
/// threads may match at once while no one mutates it. To keep matching while a
/// writer changes the subscriptions, hand readers a [`RouterSnapshot`].
#[derive(Debug, Clone)]
pub struct Router {
    table: Arc<Table>,
}

impl Default for Router {
    fn default() -> Self {
        Router::new()
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
            table: Arc::new(Table::new(limits)),
        }
    }

    /// The limits this router checks against.
    pub fn limits(&self) -> &Limits {
        &self.table.limits
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
        match self.table.trie.get(pattern) {
            Some(ids) if ids.contains(subscriber) => return Ok(false),
            Some(_) => {}
            None if self.table.trie.pattern_count() >= self.table.limits.max_patterns => {
                return Err(RouterError::TooManyPatterns {
                    max: self.table.limits.max_patterns,
                });
            }
            None => {}
        }
        let table = Arc::make_mut(&mut self.table);
        table
            .trie
            .get_or_insert_with(pattern, Subscribers::default)
            .insert(subscriber);
        table.subscriptions += 1;
        Ok(true)
    }

    /// Removes the pair; `true` if it existed. A pattern left without
    /// subscribers leaves the trie, with every node only it used.
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
        if !self
            .table
            .trie
            .get(pattern)
            .is_some_and(|ids| ids.contains(subscriber))
        {
            return false;
        }
        let table = Arc::make_mut(&mut self.table);
        let Some(ids) = table.trie.get_mut(pattern) else {
            return false;
        };
        ids.remove(subscriber);
        if ids.is_empty() {
            table.trie.remove(pattern);
        }
        table.subscriptions -= 1;
        true
    }

    /// How many (pattern, subscriber) pairs are subscribed.
    pub fn len(&self) -> usize {
        self.table.subscriptions
    }

    /// Whether there are no subscriptions.
    pub fn is_empty(&self) -> bool {
        self.table.subscriptions == 0
    }

    /// How many distinct patterns have at least one subscriber.
    pub fn pattern_count(&self) -> usize {
        self.table.trie.pattern_count()
    }

    /// How many trie nodes the router uses, the root included.
    pub fn node_count(&self) -> usize {
        self.table.trie.node_count()
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
        self.table.trie.get(pattern).map_or(0, Subscribers::len)
    }

    /// Clears `out`, then writes the subscribers whose patterns match `topic`,
    /// each once, ascending.
    ///
    /// Does not allocate when `out` already has room for the ids (with
    /// duplicates across patterns counted) and at most 32 states stay live
    /// during the walk; [`match_into_with`](Router::match_into_with) lifts
    /// the second condition. An invalid topic is an error, never an empty
    /// result.
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
    pub fn match_into(&self, topic: &str, out: &mut Vec<u64>) -> Result<(), RouterError> {
        self.table
            .match_into(topic, out, &mut MatchScratch::new())
            .map(drop)
    }

    /// Like [`match_into`](Router::match_into), with the caller's working
    /// memory: once `scratch` has grown to what the walk needs, no match
    /// allocates, however many `#` patterns stay live.
    pub fn match_into_with(
        &self,
        topic: &str,
        out: &mut Vec<u64>,
        scratch: &mut MatchScratch,
    ) -> Result<(), RouterError> {
        self.table.match_into(topic, out, scratch).map(drop)
    }

    /// Like [`match_into`](Router::match_into), and also reports the work done.
    pub fn match_with_stats(
        &self,
        topic: &str,
        out: &mut Vec<u64>,
    ) -> Result<MatchStats, RouterError> {
        self.table.match_into(topic, out, &mut MatchScratch::new())
    }

    /// Writes the matching subscribers into a caller's slice, for callers that
    /// cannot hand over a `Vec` (the C ABI).
    ///
    /// Returns how many distinct ids match. When that is at most `out.len()`,
    /// they are in `out[..n]`, ascending; otherwise the contents of `out` are
    /// unspecified and the caller should retry with a slice of `n` (this is
    /// what a `HERALD_STATUS_BUFFER_TOO_SMALL` with `*out_len = n` maps to).
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
    pub fn match_into_slice(&self, topic: &str, out: &mut [u64]) -> Result<usize, RouterError> {
        self.table.match_into_slice(topic, out)
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
    table: Arc<Table>,
}

impl RouterSnapshot {
    /// See [`Router::match_into`].
    pub fn match_into(&self, topic: &str, out: &mut Vec<u64>) -> Result<(), RouterError> {
        self.table
            .match_into(topic, out, &mut MatchScratch::new())
            .map(drop)
    }

    /// See [`Router::match_into_with`].
    pub fn match_into_with(
        &self,
        topic: &str,
        out: &mut Vec<u64>,
        scratch: &mut MatchScratch,
    ) -> Result<(), RouterError> {
        self.table.match_into(topic, out, scratch).map(drop)
    }

    /// See [`Router::match_with_stats`].
    pub fn match_with_stats(
        &self,
        topic: &str,
        out: &mut Vec<u64>,
    ) -> Result<MatchStats, RouterError> {
        self.table.match_into(topic, out, &mut MatchScratch::new())
    }

    /// See [`Router::match_into_slice`].
    pub fn match_into_slice(&self, topic: &str, out: &mut [u64]) -> Result<usize, RouterError> {
        self.table.match_into_slice(topic, out)
    }

    /// How many (pattern, subscriber) pairs the snapshot holds.
    pub fn len(&self) -> usize {
        self.table.subscriptions
    }

    /// Whether the snapshot holds no subscriptions.
    pub fn is_empty(&self) -> bool {
        self.table.subscriptions == 0
    }

    /// The limits topics are checked against.
    pub fn limits(&self) -> &Limits {
        &self.table.limits
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
/// use herald_core::{Pattern, Router};
/// use herald_core::router::MatchCache;
///
/// let mut router = Router::new();
/// router.subscribe(&Pattern::parse("payment.#")?, 1)?;
/// let snapshot = router.snapshot();
///
/// let mut cache = MatchCache::new();
/// let mut ids = Vec::new();
/// snapshot.match_cached("payment.card.success", &mut cache, &mut ids)?; // walks the trie
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
    table: Option<Arc<Table>>,
    answers: HashMap<Box<str>, SmallVec<[u64; 4]>>,
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
            answers: HashMap::new(),
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
    fn follow(&mut self, table: &Arc<Table>) {
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
    /// Like [`match_into`](RouterSnapshot::match_into), answering repeated
    /// topics from `cache` (one hash lookup and a copy, no trie walk). The
    /// answer is always this snapshot's: a cache filled from another snapshot
    /// is emptied first.
    pub fn match_cached(
        &self,
        topic: &str,
        cache: &mut MatchCache,
        out: &mut Vec<u64>,
    ) -> Result<(), RouterError> {
        cache.follow(&self.table);
        if let Some(ids) = cache.answers.get(topic) {
            out.clear();
            out.extend_from_slice(ids);
            return Ok(());
        }
        self.table.match_into(topic, out, &mut cache.scratch)?;
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
