//! The pattern trie and its matcher: which stored patterns match a topic.
//!
//! [`Trie`] stores patterns segment by segment in a flat vector of nodes. A node
//! has literal children keyed by interned segment ids and at most one `*`, one
//! `#` and one `>` child. Matching runs a state-set walk (an NFA simulation):
//! after each topic segment it holds the deduplicated set of nodes that the
//! segments read so far can reach, with `#` and `>` nodes looping on
//! themselves. Each step visits every node at most once, so one match does at
//! most (trie nodes) × (topic segments + 1) visits whatever the patterns are —
//! no backtracking, and no recursion anywhere in this module, so nothing's
//! depth follows the input.
//!
//! This module never allocates while matching unless the active state set
//! outgrows its inline capacity of 32 nodes; a caller that keeps a
//! [`MatchScratch`] across matches pays even that only once, since the
//! scratch keeps what it grew to. It never reads a topic except
//! through the shared tokenizer: [`Trie::for_each_match`] takes a [`Topic`]
//! that already passed it, [`Trie::match_topic`] validates and walks in one
//! pass over [`tokenize`]'s segments.
//!
//! ```
//! use herald_core::matcher::Trie;
//! use herald_core::{Pattern, Topic};
//!
//! let mut trie = Trie::new();
//! *trie.get_or_insert_with(&Pattern::parse("payment.#")?, || 0) += 1;
//! *trie.get_or_insert_with(&Pattern::parse("*.card.*")?, || 0) += 10;
//!
//! let mut total = 0;
//! trie.for_each_match(&Topic::parse("payment.card.success")?, |count| total += count);
//! assert_eq!(total, 11);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod children;
mod interner;

use std::convert::Infallible;
use std::fmt;

use smallvec::SmallVec;

use crate::limits::Limits;
use crate::pattern::{Pattern, Segment};
use crate::topic::SyntaxError;
use crate::topic::{Syntax, Topic, tokenize};

use children::Children;
use interner::Interner;

/// Index of a node in [`Trie::nodes`].
type NodeId = u32;

/// The root is node 0 and is never anyone's child, so 0 also means "no child".
const ROOT: NodeId = 0;
const NO_NODE: NodeId = 0;

/// Active states held inline before the walk spills to the heap.
const INLINE_STATES: usize = 32;

type States = SmallVec<[NodeId; INLINE_STATES]>;

/// The two state sets of a walk, trading roles each step.
pub(crate) type WalkBuffers = [States; 2];

/// Working memory for matching, kept by a caller across matches.
///
/// A topic shorter than 64 bytes of at most 8 segments, matched by a
/// router whose trie is empty, needs none: its segments' hashes live on the
/// stack. Other topics need room for their segments and their hashes (16
/// inline) and, when the router keeps patterns in its trie, the walk's state
/// sets (32 states inline). A match that needs more spills to the heap. A
/// scratch kept by the caller and passed to every match keeps what it grew
/// to, so only its first such match allocates. One scratch serves one thread
/// at a time; it holds no answers, so it may be used with any trie, router or
/// snapshot. After a match it also tells what the match did
/// ([`stats`](MatchScratch::stats)).
///
/// ```
/// use herald_core::{MatchScratch, Pattern, Router};
///
/// let mut router = Router::new();
/// router.subscribe(&Pattern::parse("#.failed")?, 1)?;
/// let mut scratch = MatchScratch::new();
/// let mut ids = Vec::new();
/// router.match_into_with("deposit.failed", &mut ids, &mut scratch)?;
/// assert_eq!(ids, [1]);
/// assert_eq!(scratch.stats().matched, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct MatchScratch {
    /// The trie walk's two state sets.
    pub(crate) buffers: WalkBuffers,
    /// Each topic segment's weighted hash, then 0 for the place past the
    /// last one.
    pub(crate) terms: SmallVec<[u64; INLINE_SEGMENTS + 1]>,
    /// The sum of the terms before each segment, then the sum of all.
    pub(crate) before: SmallVec<[u64; INLINE_SEGMENTS + 1]>,
    /// Where each segment ends in the topic (at its `.` or the topic's end).
    pub(crate) ends: SmallVec<[usize; INLINE_SEGMENTS]>,
    /// The index probes that passed its key filter, looked up after all
    /// filtering.
    pub(crate) candidates: Candidates,
    pub(crate) stats: MatchStats,
}

/// Index probes that passed the key filter: (table key, shape number).
pub(crate) type Candidates = SmallVec<[(u64, u16); INLINE_CANDIDATES]>;

/// Filtered index probes held inline by a [`MatchScratch`].
const INLINE_CANDIDATES: usize = 8;

/// Topic segments held inline by a [`MatchScratch`].
const INLINE_SEGMENTS: usize = 16;

impl MatchScratch {
    /// An empty scratch; it allocates nothing until a match needs more than
    /// its inline room.
    pub fn new() -> MatchScratch {
        MatchScratch::default()
    }

    /// What the last match through this scratch did. After a failed match
    /// (an invalid topic) the figures are unspecified.
    pub fn stats(&self) -> MatchStats {
        self.stats
    }
}

/// How a node is reached from its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    Root,
    Literal(u32),
    Star,
    Hash,
    Tail,
}

/// The part of a node every match reads, kept small so more of the trie
/// stays in cache.
#[derive(Debug, Clone)]
struct Node {
    literals: Children,
    star: NodeId,
    hash: NodeId,
    tail: NodeId,
    /// `#` and `>` nodes consume any further segment and stay where they are.
    loops: bool,
    /// A pattern ends here: `values` holds its value. Kept in the node so the
    /// walk reads `values` only for states that have one.
    terminal: bool,
}

impl Node {
    fn new(edge: Edge) -> Self {
        Node {
            literals: Children::default(),
            star: NO_NODE,
            hash: NO_NODE,
            tail: NO_NODE,
            loops: matches!(edge, Edge::Hash | Edge::Tail),
            terminal: false,
        }
    }

    fn is_leaf(&self) -> bool {
        self.literals.is_empty()
            && self.star == NO_NODE
            && self.hash == NO_NODE
            && self.tail == NO_NODE
    }
}

/// Where a node hangs, read only when pruning.
#[derive(Debug, Clone, Copy)]
struct Link {
    parent: NodeId,
    edge: Edge,
}

/// What one match did, for tests and benchmarks that check the work bound.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MatchStats {
    /// Topic segments consumed (a trie walk stops early once no state is left).
    pub segments: usize,
    /// Trie node visits, summed over all steps; never more than
    /// `node_count × (segments + 1)` of the trie walked.
    pub visited: usize,
    /// Shape-index probes (a router's index; 0 for a bare [`Trie`]): at most
    /// one per shape the router holds.
    pub probes: usize,
    /// Matching patterns found.
    pub matched: usize,
}

/// A set of patterns, each with a value, searchable by topic.
///
/// Insert and remove cost O(pattern segments); a removed pattern's nodes are
/// pruned as far up as nothing else uses them, and their slots are reused.
/// Cloning copies the whole trie.
#[derive(Clone)]
pub struct Trie<V> {
    /// Indexed by node id, like `links` and `values`: three parallel vectors
    /// so the walk touches only the hot part.
    nodes: Vec<Node>,
    links: Vec<Link>,
    values: Vec<Option<V>>,
    free_nodes: Vec<NodeId>,
    segments: Interner,
    patterns: usize,
}

impl<V> Default for Trie<V> {
    fn default() -> Self {
        Trie::new()
    }
}

impl<V> fmt::Debug for Trie<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Trie")
            .field("patterns", &self.patterns)
            .field("nodes", &self.node_count())
            .field("interned_segments", &self.segments.len())
            .finish()
    }
}

impl<V> Trie<V> {
    /// An empty trie (just the root node).
    ///
    /// ```
    /// let trie: herald_core::matcher::Trie<()> = herald_core::matcher::Trie::new();
    /// assert_eq!(trie.pattern_count(), 0);
    /// assert_eq!(trie.node_count(), 1);
    /// ```
    pub fn new() -> Self {
        Trie {
            nodes: vec![Node::new(Edge::Root)],
            links: vec![Link {
                parent: ROOT,
                edge: Edge::Root,
            }],
            values: vec![None],
            free_nodes: Vec::new(),
            segments: Interner::default(),
            patterns: 0,
        }
    }

    /// How many patterns hold a value.
    pub fn pattern_count(&self) -> usize {
        self.patterns
    }

    /// How many nodes are in use, the root included.
    pub fn node_count(&self) -> usize {
        self.nodes.len() - self.free_nodes.len()
    }

    /// The value stored for `pattern`.
    ///
    /// ```
    /// use herald_core::{matcher::Trie, Pattern};
    /// let mut trie = Trie::new();
    /// let pattern = Pattern::parse("a.*")?;
    /// trie.get_or_insert_with(&pattern, || "x");
    /// assert_eq!(trie.get(&pattern), Some(&"x"));
    /// assert_eq!(trie.get(&Pattern::parse("a.#")?), None);
    /// # Ok::<(), herald_core::PatternError>(())
    /// ```
    pub fn get(&self, pattern: &Pattern) -> Option<&V> {
        let node = self.find(pattern)?;
        self.values[node as usize].as_ref()
    }

    /// The value stored for `pattern`, mutably.
    pub fn get_mut(&mut self, pattern: &Pattern) -> Option<&mut V> {
        let node = self.find(pattern)?;
        self.values[node as usize].as_mut()
    }

    /// The value stored for `pattern`, inserting `make()` first if there is none.
    ///
    /// ```
    /// use herald_core::{matcher::Trie, Pattern};
    /// let mut trie = Trie::new();
    /// let pattern = Pattern::parse("payment.>")?;
    /// trie.get_or_insert_with(&pattern, Vec::new).push(1);
    /// trie.get_or_insert_with(&pattern, Vec::new).push(2);
    /// assert_eq!(trie.get(&pattern), Some(&vec![1, 2]));
    /// # Ok::<(), herald_core::PatternError>(())
    /// ```
    pub fn get_or_insert_with(&mut self, pattern: &Pattern, make: impl FnOnce() -> V) -> &mut V {
        let mut at = ROOT;
        for segment in pattern.segments() {
            at = self.child_or_insert(at, segment);
        }
        let value = &mut self.values[at as usize];
        if value.is_none() {
            self.patterns += 1;
            self.nodes[at as usize].terminal = true;
        }
        value.get_or_insert_with(make)
    }

    /// Removes `pattern` and returns its value, pruning nodes nothing else uses.
    ///
    /// ```
    /// use herald_core::{matcher::Trie, Pattern};
    /// let mut trie = Trie::new();
    /// let pattern = Pattern::parse("a.b.c")?;
    /// trie.get_or_insert_with(&pattern, || 7);
    /// assert_eq!(trie.node_count(), 4);
    /// assert_eq!(trie.remove(&pattern), Some(7));
    /// assert_eq!(trie.node_count(), 1);
    /// assert_eq!(trie.remove(&pattern), None);
    /// # Ok::<(), herald_core::PatternError>(())
    /// ```
    pub fn remove(&mut self, pattern: &Pattern) -> Option<V> {
        let mut path: SmallVec<[NodeId; 16]> = SmallVec::with_capacity(pattern.segments().len());
        let mut at = ROOT;
        for segment in pattern.segments() {
            at = self.child(at, segment)?;
            path.push(at);
        }
        let value = self.values[at as usize].take()?;
        self.nodes[at as usize].terminal = false;
        self.patterns -= 1;
        for (node, segment) in path.iter().rev().zip(pattern.segments().iter().rev()) {
            if self.values[*node as usize].is_some() || !self.nodes[*node as usize].is_leaf() {
                break;
            }
            self.detach(*node, segment);
        }
        Some(value)
    }

    /// Calls `visit` with the value of every pattern that matches `topic`, in
    /// no particular order, each pattern once.
    ///
    /// ```
    /// use herald_core::{matcher::Trie, Pattern, Topic};
    /// let mut trie = Trie::new();
    /// for (index, pattern) in ["#", "#.failed", "payment.#", "*.card.*"].iter().enumerate() {
    ///     trie.get_or_insert_with(&Pattern::parse(pattern)?, || index);
    /// }
    /// let mut found = Vec::new();
    /// let stats = trie.for_each_match(&Topic::parse("payment.failed")?, |index| found.push(*index));
    /// found.sort();
    /// assert_eq!(found, [0, 1, 2]);
    /// assert_eq!(stats.matched, 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn for_each_match<'trie>(
        &'trie self,
        topic: &Topic<'_>,
        visit: impl FnMut(&'trie V),
    ) -> MatchStats {
        let segments = topic.segments().map(Ok::<_, Infallible>);
        match self.walk(segments, &mut WalkBuffers::default(), visit) {
            Ok(stats) => stats,
            Err(never) => match never {},
        }
    }

    /// Checks `topic` against the topic syntax and matches it in the same
    /// pass, so the text is read once.
    ///
    /// An invalid topic is an error even when no pattern could match it, and
    /// `visit` is called only once the whole topic has passed.
    ///
    /// ```
    /// use herald_core::{matcher::Trie, Limits, Pattern};
    /// let mut trie = Trie::new();
    /// trie.get_or_insert_with(&Pattern::parse("payment.#")?, || ());
    /// let limits = Limits::default();
    /// assert_eq!(trie.match_topic("payment.card", &limits, |_| ())?.matched, 1);
    /// assert!(trie.match_topic("refund..x", &limits, |_| ()).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn match_topic<'trie>(
        &'trie self,
        topic: &str,
        limits: &Limits,
        visit: impl FnMut(&'trie V),
    ) -> Result<MatchStats, SyntaxError> {
        self.match_topic_with(topic, limits, &mut MatchScratch::new(), visit)
    }

    /// [`match_topic`](Trie::match_topic) with the caller's working memory.
    pub fn match_topic_with<'trie>(
        &'trie self,
        topic: &str,
        limits: &Limits,
        scratch: &mut MatchScratch,
        visit: impl FnMut(&'trie V),
    ) -> Result<MatchStats, SyntaxError> {
        let segments =
            tokenize(topic, Syntax::Topic, limits).map(|segment| segment.map(|s| s.text));
        self.walk(segments, &mut scratch.buffers, visit)
    }

    /// [`for_each_match`](Trie::for_each_match) over segments that already
    /// passed the topic syntax, with the caller's working memory.
    pub(crate) fn for_each_match_in<'trie, 'text>(
        &'trie self,
        segments: impl Iterator<Item = &'text str>,
        buffers: &mut WalkBuffers,
        visit: impl FnMut(&'trie V),
    ) -> MatchStats {
        match self.walk(segments.map(Ok::<_, Infallible>), buffers, visit) {
            Ok(stats) => stats,
            Err(never) => match never {},
        }
    }

    /// The state-set walk over `segments`; values are visited only once every
    /// segment came through without an error.
    fn walk<'trie, 'text, E>(
        &'trie self,
        mut segments: impl Iterator<Item = Result<&'text str, E>>,
        buffers: &mut WalkBuffers,
        mut visit: impl FnMut(&'trie V),
    ) -> Result<MatchStats, E> {
        let mut stats = MatchStats::default();
        // Two buffers that trade roles each step; swapping them by value
        // would copy both inline arrays every segment.
        let mut from = 0;
        buffers[0].clear();
        buffers[0].push(ROOT);
        self.enter_hashes(&mut buffers[0]);
        for text in segments.by_ref() {
            let text = text?;
            stats.segments += 1;
            let label = self.segments.lookup(text);
            let [first, second] = &mut *buffers;
            let (current, next) = if from == 0 {
                (&*first, second)
            } else {
                (&*second, first)
            };
            next.clear();
            let mut looped = false;
            for &id in current {
                stats.visited += 1;
                let node = &self.nodes[id as usize];
                if let Some(child) = label.and_then(|label| node.literals.get(label)) {
                    next.push(child);
                }
                if node.star != NO_NODE {
                    next.push(node.star);
                }
                if node.tail != NO_NODE {
                    next.push(node.tail);
                }
                if node.loops {
                    next.push(id);
                    looped = true;
                }
            }
            if next.is_empty() {
                // Nothing can match any more, but the rest of the topic must
                // still be valid: an invalid topic is never a silent miss.
                for rest in segments.by_ref() {
                    rest?;
                }
                return Ok(stats);
            }
            self.enter_hashes(next);
            // Every node has one parent, so a state arrives twice only when a
            // `#` node both loops and is entered from its parent again, or a
            // `>` node both loops and takes its first segment.
            if looped {
                next.sort_unstable();
                next.dedup();
            }
            from = 1 - from;
        }
        let current = &buffers[from];
        for &id in current {
            stats.visited += 1;
            if !self.nodes[id as usize].terminal {
                continue;
            }
            if let Some(value) = &self.values[id as usize] {
                stats.matched += 1;
                visit(value);
            }
        }
        Ok(stats)
    }

    /// Adds every `#` child of the states, since `#` may consume nothing. The
    /// vector doubles as the work list, so chains need no recursion.
    fn enter_hashes(&self, states: &mut States) {
        let mut at = 0;
        while at < states.len() {
            let hash = self.nodes[states[at] as usize].hash;
            if hash != NO_NODE {
                states.push(hash);
            }
            at += 1;
        }
    }

    fn find(&self, pattern: &Pattern) -> Option<NodeId> {
        pattern
            .segments()
            .iter()
            .try_fold(ROOT, |at, segment| self.child(at, segment))
    }

    fn child(&self, at: NodeId, segment: &Segment) -> Option<NodeId> {
        let node = &self.nodes[at as usize];
        let child = match segment {
            Segment::Literal(text) => node.literals.get(self.segments.lookup(text)?)?,
            Segment::Star => node.star,
            Segment::Hash => node.hash,
            Segment::Tail => node.tail,
        };
        (child != NO_NODE).then_some(child)
    }

    fn child_or_insert(&mut self, at: NodeId, segment: &Segment) -> NodeId {
        if let Some(child) = self.child(at, segment) {
            return child;
        }
        let edge = match segment {
            Segment::Literal(text) => Edge::Literal(self.segments.acquire(text)),
            Segment::Star => Edge::Star,
            Segment::Hash => Edge::Hash,
            Segment::Tail => Edge::Tail,
        };
        let child = self.allocate(Node::new(edge), Link { parent: at, edge });
        let node = &mut self.nodes[at as usize];
        match edge {
            Edge::Literal(label) => node.literals.insert(label, child),
            Edge::Star => node.star = child,
            Edge::Hash => node.hash = child,
            Edge::Tail => node.tail = child,
            Edge::Root => {}
        }
        child
    }

    fn allocate(&mut self, node: Node, link: Link) -> NodeId {
        match self.free_nodes.pop() {
            Some(id) => {
                self.nodes[id as usize] = node;
                self.links[id as usize] = link;
                id
            }
            None => {
                self.nodes.push(node);
                self.links.push(link);
                self.values.push(None);
                // Node count is bounded by the router's pattern limit times the
                // segment limit, far below `u32::MAX`.
                NodeId::try_from(self.nodes.len() - 1).unwrap_or(NodeId::MAX)
            }
        }
    }

    /// Unlinks leaf `id` (reached through `segment`) from its parent and frees it.
    fn detach(&mut self, id: NodeId, segment: &Segment) {
        let Link { parent, edge } = self.links[id as usize];
        let parent = &mut self.nodes[parent as usize];
        match edge {
            Edge::Literal(label) => {
                parent.literals.remove(label);
                self.segments.release(label, segment.as_str());
            }
            Edge::Star => parent.star = NO_NODE,
            Edge::Hash => parent.hash = NO_NODE,
            Edge::Tail => parent.tail = NO_NODE,
            Edge::Root => return,
        }
        // Replace the node so its child map's memory goes now, not on reuse.
        self.nodes[id as usize] = Node::new(Edge::Root);
        self.free_nodes.push(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_fits_in_half_a_cache_line() {
        // The walk is bound by memory: every visited state reads one node.
        assert!(std::mem::size_of::<Node>() <= 32);
    }
}
