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
//! outgrows its inline capacity of 32 nodes, and never validates topics: it
//! takes [`Topic`] values that already passed the tokenizer.
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

use std::fmt;

use smallvec::SmallVec;

use crate::pattern::{Pattern, Segment};
use crate::topic::Topic;

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

/// How a node is reached from its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    Root,
    Literal(u32),
    Star,
    Hash,
    Tail,
}

#[derive(Debug, Clone)]
struct Node<V> {
    parent: NodeId,
    edge: Edge,
    literals: Children,
    star: NodeId,
    hash: NodeId,
    tail: NodeId,
    value: Option<V>,
}

impl<V> Node<V> {
    fn new(parent: NodeId, edge: Edge) -> Self {
        Node {
            parent,
            edge,
            literals: Children::default(),
            star: NO_NODE,
            hash: NO_NODE,
            tail: NO_NODE,
            value: None,
        }
    }

    fn is_leaf(&self) -> bool {
        self.literals.is_empty()
            && self.star == NO_NODE
            && self.hash == NO_NODE
            && self.tail == NO_NODE
    }

    /// `#` and `>` nodes consume any further segment and stay where they are.
    fn loops(&self) -> bool {
        matches!(self.edge, Edge::Hash | Edge::Tail)
    }
}

/// What one match did, for tests and benchmarks that check the work bound.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MatchStats {
    /// Topic segments consumed (the walk stops early once no state is left).
    pub segments: usize,
    /// Node visits, summed over all steps; never more than
    /// `node_count × (segments + 1)`.
    pub visited: usize,
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
    nodes: Vec<Node<V>>,
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
            nodes: vec![Node::new(ROOT, Edge::Root)],
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
        self.nodes[node as usize].value.as_ref()
    }

    /// The value stored for `pattern`, mutably.
    pub fn get_mut(&mut self, pattern: &Pattern) -> Option<&mut V> {
        let node = self.find(pattern)?;
        self.nodes[node as usize].value.as_mut()
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
        let node = &mut self.nodes[at as usize];
        if node.value.is_none() {
            self.patterns += 1;
        }
        node.value.get_or_insert_with(make)
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
        let value = self.nodes[at as usize].value.take()?;
        self.patterns -= 1;
        for (node, segment) in path.iter().rev().zip(pattern.segments().iter().rev()) {
            let current = &self.nodes[*node as usize];
            if current.value.is_some() || !current.is_leaf() {
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
        mut visit: impl FnMut(&'trie V),
    ) -> MatchStats {
        let mut stats = MatchStats::default();
        let mut current = States::new();
        let mut next = States::new();
        current.push(ROOT);
        self.enter_hashes(&mut current);
        for text in topic.segments() {
            stats.segments += 1;
            let label = self.segments.lookup(text);
            next.clear();
            for &id in &current {
                stats.visited += 1;
                let node = &self.nodes[id as usize];
                if let Some(child) = label.and_then(|label| node.literals.get(label)) {
                    next.push(child);
                }
                for child in [node.star, node.tail] {
                    if child != NO_NODE {
                        next.push(child);
                    }
                }
                if node.loops() {
                    next.push(id);
                }
            }
            if next.is_empty() {
                return stats;
            }
            self.enter_hashes(&mut next);
            // A `#` node can arrive both by looping and from its parent, and a
            // `>` node both by looping and by its first segment; every other
            // node has one parent and so arrives at most once.
            next.sort_unstable();
            next.dedup();
            std::mem::swap(&mut current, &mut next);
        }
        for &id in &current {
            stats.visited += 1;
            if let Some(value) = &self.nodes[id as usize].value {
                stats.matched += 1;
                visit(value);
            }
        }
        stats
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
        let child = self.allocate(Node::new(at, edge));
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

    fn allocate(&mut self, node: Node<V>) -> NodeId {
        match self.free_nodes.pop() {
            Some(id) => {
                self.nodes[id as usize] = node;
                id
            }
            None => {
                self.nodes.push(node);
                // Node count is bounded by the router's pattern limit times the
                // segment limit, far below `u32::MAX`.
                NodeId::try_from(self.nodes.len() - 1).unwrap_or(NodeId::MAX)
            }
        }
    }

    /// Unlinks leaf `id` (reached through `segment`) from its parent and frees it.
    fn detach(&mut self, id: NodeId, segment: &Segment) {
        let Node { parent, edge, .. } = self.nodes[id as usize];
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
        self.nodes[id as usize] = Node::new(ROOT, Edge::Root);
        self.free_nodes.push(id);
    }
}
