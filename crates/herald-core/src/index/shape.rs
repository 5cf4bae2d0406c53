//! Pattern shapes: the wildcard skeleton of a pattern, which decides which
//! topic segments a match probes with.
//!
//! A pattern's shape is its segments with every literal blanked out:
//! `payment.*.success` and `wallet.*.failed` share the shape `L.*.L`. Within
//! one shape, the literals sit at fixed places relative to the topic — from
//! its start (before any `#`, or everywhere when there is none) or from its
//! end (after a `#`) — so a topic of `k` segments selects, for each shape
//! that fits `k`, exactly one combination of its own segments to look up.
//! Shapes whose literals can float (two `#`, or a `#` followed by literals
//! and then `>`) have no such place; [`Layout::of`] refuses them, the
//! rare shape with a `*` more than 64 places from its anchor and the
//! absurd one of over 65,535 segments without `#` or `>`, and the index
//! keeps those patterns in its trie. This module only describes
//! shapes; it never hashes text or stores patterns.

use std::collections::HashMap;

use smallvec::SmallVec;

use super::places::PLACE_BITS;
use crate::hashing::{Keyed, keyed};
use crate::pattern::{Pattern, Segment};

/// The most shapes one index probes; patterns of further shapes go to the
/// trie. Bounds the probes of one match whatever the subscribers write.
pub(crate) const MAX_SHAPES: usize = 512;

/// How far from its anchor a `*` of an indexed shape may sit: a probe keeps
/// its `*` places as bits of one word.
pub(crate) const MAX_STAR_PLACE: usize = 64;

/// Which shape: an index into the registry, below [`MAX_SHAPES`].
pub(crate) type ShapeId = u16;

/// Where a segment sits, seen from the topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    /// Topic segment `i`, counting from 0 at the start.
    Start(usize),
    /// The `d`-th topic segment from the end, the last one being 1.
    End(usize),
}

impl Anchor {
    /// The topic segment this anchor names in a topic of `segments` segments
    /// (that the shape fits).
    #[inline]
    pub(crate) fn position(self, segments: usize) -> usize {
        match self {
            Anchor::Start(index) => index,
            Anchor::End(distance) => segments - distance,
        }
    }
}

/// The wildcard skeleton: one byte per segment (`L` for a literal).
pub(crate) type Skeleton = SmallVec<[u8; 16]>;

/// How a pattern the index can hold lines up against topics.
#[derive(Debug, Clone)]
pub(crate) struct Layout<'p> {
    segments: &'p [Segment],
    /// Segments anchored at the topic's start.
    prefix: usize,
    /// Where the `#` is, if there is one.
    hash_at: Option<usize>,
    /// Segments after the `#`, anchored at the topic's end.
    suffix: usize,
    /// The fewest topic segments the pattern can match.
    min_len: usize,
    /// Whether longer topics match too (`#` or `>`).
    open: bool,
}

impl<'p> Layout<'p> {
    /// The layout of `pattern`, or `None` when its literals float (two `#`,
    /// or `#` then literals then `>`), a `*` sits more than
    /// [`MAX_STAR_PLACE`] places from its anchor, or the pattern has neither
    /// and more than [`MAX_EXACT_LEN`] segments: only the trie handles those.
    pub(crate) fn of(pattern: &'p Pattern) -> Option<Layout<'p>> {
        let segments = pattern.segments();
        let count = segments.len();
        let tail = segments.last() == Some(&Segment::Tail);
        let mut hashes = segments
            .iter()
            .enumerate()
            .filter(|(_, segment)| **segment == Segment::Hash)
            .map(|(at, _)| at);
        let hash_at = hashes.next();
        if hashes.next().is_some() {
            return None;
        }
        let layout = match hash_at {
            None if tail => Layout {
                segments,
                prefix: count - 1,
                hash_at,
                suffix: 0,
                min_len: count,
                open: true,
            },
            None => Layout {
                segments,
                prefix: count,
                hash_at,
                suffix: 0,
                min_len: count,
                open: false,
            },
            // `P.#.>`: one or more segments after the prefix.
            Some(at) if tail && at + 2 == count => Layout {
                segments,
                prefix: at,
                hash_at,
                suffix: 0,
                min_len: at + 1,
                open: true,
            },
            Some(_) if tail => return None,
            Some(at) => Layout {
                segments,
                prefix: at,
                hash_at,
                suffix: count - at - 1,
                min_len: count - 1,
                open: true,
            },
        };
        let far_star = layout.anchored().any(|(anchor, segment)| {
            *segment == Segment::Star
                && match anchor {
                    Anchor::Start(index) => index >= MAX_STAR_PLACE,
                    Anchor::End(distance) => distance > MAX_STAR_PLACE,
                }
        });
        if far_star || (!layout.open && layout.min_len > MAX_EXACT_LEN) {
            return None;
        }
        Some(layout)
    }

    /// The pattern's segments with their anchors, prefix first; wildcards
    /// that consume a variable number of segments (`#`, `>`) have none.
    pub(crate) fn anchored(&self) -> impl Iterator<Item = (Anchor, &'p Segment)> + '_ {
        let prefix = self.segments[..self.prefix]
            .iter()
            .enumerate()
            .map(|(index, segment)| (Anchor::Start(index), segment));
        let suffix_start = self.hash_at.map_or(self.segments.len(), |at| at + 1);
        let suffix = self.segments[suffix_start..suffix_start + self.suffix]
            .iter()
            .enumerate()
            .map(|(index, segment)| (Anchor::End(self.suffix - index), segment));
        prefix.chain(suffix)
    }

    /// The literal segments in order, joined by `.`: what an entry stores to
    /// confirm a hash match.
    pub(crate) fn literal_text(&self) -> SmallVec<[u8; 64]> {
        let mut text = SmallVec::new();
        for (_, segment) in self.anchored() {
            if let Segment::Literal(literal) = segment {
                if !text.is_empty() {
                    text.push(b'.');
                }
                text.extend_from_slice(literal.as_bytes());
            }
        }
        text
    }

    pub(crate) fn skeleton(&self) -> Skeleton {
        self.segments
            .iter()
            .map(|segment| match segment {
                Segment::Literal(_) => b'L',
                Segment::Star => b'*',
                Segment::Hash => b'#',
                Segment::Tail => b'>',
            })
            .collect()
    }
}

/// One shape the index holds, with what a match needs to probe it.
#[derive(Debug, Clone)]
pub(crate) struct Shape {
    skeleton: Box<[u8]>,
    /// Random per shape: keys of different shapes never line up.
    pub(crate) salt: u64,
    /// The fewest topic segments it fits (for a shape that is not open,
    /// the only number).
    pub(crate) min_len: usize,
    /// Whether longer topics fit too.
    open: bool,
    /// Its bit in the place filter ([`super::places`]): its slot among the
    /// exact shapes of its length, when that is below [`PLACE_BITS`].
    pub(crate) place_bit: Option<usize>,
    /// The literals' anchors, in the order of an entry's text.
    pub(crate) literals: Box<[Anchor]>,
    /// Whether the literals are exactly topic segments `0..literals.len()`,
    /// so an entry's text is a prefix of the topic's text.
    pub(crate) leading: bool,
    /// Entries of this shape.
    patterns: usize,
}

/// How many `*` places an exact probe names directly (the rest are bits).
pub(crate) const NAMED_STARS: usize = 2;

/// The most segments of a shape that fits one topic length: its probe
/// names places in a `u16`. Longer patterns without `#` or `>` (only
/// possible with a raised [`Limits::max_segments`](crate::Limits)) go to
/// the trie.
pub(crate) const MAX_EXACT_LEN: usize = u16::MAX as usize;

/// What a match reads to probe a shape that fits exactly one topic length
/// `n`: its key is the sum of all the topic's segments less those under
/// its `*`s. The first [`NAMED_STARS`] are named by place, and a slot with
/// no star names place `n` — the record past the topic's last segment,
/// whose term is 0 — so that the common shape subtracts both without a
/// branch; the rest are bits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ExactProbe {
    pub(crate) salt: u64,
    /// Bit `i`: a further `*` at place `i`.
    pub(crate) more_stars: u64,
    pub(crate) stars: [u16; NAMED_STARS],
    pub(crate) shape: ShapeId,
}

/// What a match reads to probe a shape that fits longer topics too, kept
/// apart from the rest of the shape so the probe loop walks a flat array.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Probe {
    pub(crate) salt: u64,
    /// Bit `i`: a `*` at start position `i`.
    pub(crate) start_stars: u64,
    /// Bit `d - 1`: a `*` at distance `d` from the end.
    pub(crate) end_stars: u64,
    pub(crate) prefix: u32,
    pub(crate) suffix: u32,
    pub(crate) shape: ShapeId,
    /// No `*` and no suffix (`a.b.>`, `a.#`): the key is the salt plus
    /// the sum of the prefix's terms, nothing more.
    pub(crate) plain: bool,
    min_len: u32,
}

/// The shapes an index holds, found by skeleton and listed by the topic
/// lengths they fit.
#[derive(Debug, Clone)]
pub(crate) struct Shapes {
    by_skeleton: HashMap<Box<[u8]>, ShapeId, Keyed>,
    slots: Vec<Option<Shape>>,
    free: Vec<ShapeId>,
    /// Shapes that fit exactly `n` segments, at `[n]`.
    exact: Vec<ExactShapes>,
    /// The shapes that fit longer topics too, by their fewest segments.
    open: Vec<Probe>,
    /// At `[n]`, how many of `open` fit `n` segments; past its end, all.
    open_fitting: Vec<u32>,
}

impl Default for Shapes {
    fn default() -> Self {
        Shapes {
            by_skeleton: HashMap::with_hasher(keyed()),
            slots: Vec::new(),
            free: Vec::new(),
            exact: Vec::new(),
            open: Vec::new(),
            open_fitting: Vec::new(),
        }
    }
}

impl Shapes {
    pub(crate) fn len(&self) -> usize {
        self.by_skeleton.len()
    }

    pub(crate) fn find(&self, skeleton: &[u8]) -> Option<ShapeId> {
        self.by_skeleton.get(skeleton).copied()
    }

    #[inline]
    pub(crate) fn get(&self, id: ShapeId) -> &Shape {
        match &self.slots[id as usize] {
            Some(shape) => shape,
            // Ids come only from this registry and are dropped with their shape.
            None => unreachable!("a live shape id"),
        }
    }

    /// Registers the shape of `layout`, with no entries yet; `None` when the
    /// index holds [`MAX_SHAPES`] already.
    pub(crate) fn add(
        &mut self,
        layout: &Layout<'_>,
        skeleton: &[u8],
        salt: u64,
    ) -> Option<ShapeId> {
        if self.len() >= MAX_SHAPES {
            return None;
        }
        let mut start_stars = Vec::new();
        let mut end_stars = Vec::new();
        let mut literals = Vec::new();
        for (anchor, segment) in layout.anchored() {
            match (segment, anchor) {
                (Segment::Literal(_), _) => literals.push(anchor),
                (_, Anchor::Start(index)) => start_stars.push(index),
                (_, Anchor::End(distance)) => end_stars.push(distance),
            }
        }
        // Topics and patterns have at most `Limits::max_segments` segments,
        // far below `u32::MAX`.
        let narrow = |count: usize| u32::try_from(count).unwrap_or(u32::MAX);
        let probe = Probe {
            salt,
            start_stars: mask(&start_stars, 0),
            end_stars: mask(&end_stars, 1),
            prefix: narrow(layout.prefix),
            suffix: narrow(layout.suffix),
            shape: 0,
            plain: start_stars.is_empty() && end_stars.is_empty() && layout.suffix == 0,
            min_len: narrow(layout.min_len),
        };
        let leading = literals
            .iter()
            .enumerate()
            .all(|(at, anchor)| *anchor == Anchor::Start(at));
        let shape = Shape {
            skeleton: skeleton.into(),
            salt,
            min_len: layout.min_len,
            open: layout.open,
            literals: literals.into(),
            leading,
            patterns: 0,
            place_bit: None,
        };
        let id = match self.free.pop() {
            Some(id) => {
                self.slots[id as usize] = Some(shape);
                id
            }
            None => {
                self.slots.push(Some(shape));
                // At most MAX_SHAPES slots.
                ShapeId::try_from(self.slots.len() - 1).unwrap_or(ShapeId::MAX)
            }
        };
        self.by_skeleton.insert(skeleton.into(), id);
        let probe = Probe { shape: id, ..probe };
        if layout.open {
            let at = self
                .open
                .partition_point(|open| open.min_len <= probe.min_len);
            self.open.insert(at, probe);
            self.count_open_fitting();
        } else {
            if self.exact.len() <= layout.min_len {
                self.exact
                    .resize_with(layout.min_len + 1, ExactShapes::default);
            }
            // The first stars by place; the slots left name the place past
            // the last segment (an exact shape has at most `MAX_EXACT_LEN`
            // segments, so every place fits).
            let near = start_stars
                .iter()
                .take(NAMED_STARS)
                .take_while(|&&at| at < MAX_STAR_PLACE)
                .count();
            let place = |at: usize| u16::try_from(at).unwrap_or(u16::MAX);
            let mut stars = [place(layout.min_len); NAMED_STARS];
            for (slot, &at) in stars.iter_mut().zip(&start_stars[..near]) {
                *slot = place(at);
            }
            let probe = ExactProbe {
                salt,
                more_stars: mask(&start_stars[near..], 0),
                stars,
                shape: id,
            };
            let place_bit = self.exact[layout.min_len].add(probe, &start_stars, layout.min_len);
            if let Some(shape) = &mut self.slots[id as usize] {
                shape.place_bit = place_bit;
            }
        }
        Some(id)
    }

    /// One more entry of shape `id`.
    pub(crate) fn retain(&mut self, id: ShapeId) {
        if let Some(shape) = &mut self.slots[id as usize] {
            shape.patterns += 1;
        }
    }

    /// One entry of shape `id` fewer; the last one takes the shape away.
    pub(crate) fn release(&mut self, id: ShapeId) {
        if let Some(shape) = &mut self.slots[id as usize] {
            shape.patterns -= 1;
        }
        self.release_empty(id);
    }

    /// Takes shape `id` away if no entry has it (a shape added for a pattern
    /// that was then refused).
    pub(crate) fn release_empty(&mut self, id: ShapeId) {
        if self.slots[id as usize]
            .as_ref()
            .is_none_or(|shape| shape.patterns > 0)
        {
            return;
        }
        let Some(shape) = self.slots[id as usize].take() else {
            return;
        };
        self.by_skeleton.remove(&shape.skeleton);
        self.free.push(id);
        if shape.open {
            self.open.retain(|probe| probe.shape != id);
            self.count_open_fitting();
        } else if let Some(list) = self.exact.get_mut(shape.min_len) {
            list.remove(id, shape.place_bit);
        }
    }

    /// Recounts [`open_fitting`](Self::open_fitting) after `open` changed.
    fn count_open_fitting(&mut self) {
        let longest = self.open.last().map_or(0, |probe| probe.min_len as usize);
        self.open_fitting.clear();
        self.open_fitting.extend((0..longest).map(|segments| {
            let fitting = self
                .open
                .partition_point(|probe| probe.min_len as usize <= segments);
            u32::try_from(fitting).unwrap_or(u32::MAX)
        }));
    }

    /// The shapes that can match a topic of `segments` segments: those that
    /// fit exactly that many, and the open ones that fit that many or more.
    #[inline]
    pub(crate) fn fitting(&self, segments: usize) -> (&ExactShapes, &[Probe]) {
        static NONE: ExactShapes = ExactShapes {
            probes: Vec::new(),
            dead: 0,
            live: 0,
            stars: Vec::new(),
            pair_stars: Vec::new(),
        };
        let exact = self.exact.get(segments).unwrap_or(&NONE);
        let open = match self.open_fitting.get(segments) {
            Some(&fitting) => &self.open[..fitting as usize],
            None => &self.open[..],
        };
        (exact, open)
    }
}

/// The shapes that fit exactly one topic length, in slots that keep their
/// number while the shape lives: the first [`PLACE_BITS`] slots are the
/// shapes' bits in the place filter.
#[derive(Debug, Clone, Default)]
pub(crate) struct ExactShapes {
    /// By slot; a dead slot keeps a stale probe that nothing reads.
    pub(crate) probes: Vec<ExactProbe>,
    /// Bit `j`: slot `j` holds no shape.
    pub(crate) dead: u64,
    /// Live shapes: the slots less the dead ones (kept, so that a match
    /// need not count bits: the baseline x86-64 has no population count).
    live: usize,
    /// At `[i]`, for each place `i` of the length: bit `j` when the shape
    /// in slot `j` has a `*` there (so any segment passes it).
    pub(crate) stars: Vec<u64>,
    /// At `[i]`, for the pair of places `i` and `i + 1`: bit `j` when the
    /// shape in slot `j` has a `*` at either (so any pair passes it).
    pub(crate) pair_stars: Vec<u64>,
}

impl ExactShapes {
    /// How many live shapes: what a match probes at most.
    pub(crate) fn len(&self) -> usize {
        self.live
    }

    /// Puts `probe` (of a shape with `*` at `star_places`, fitting
    /// `segments`) in the first dead slot or a new one; its bit, if the slot
    /// has one.
    fn add(&mut self, probe: ExactProbe, star_places: &[usize], segments: usize) -> Option<usize> {
        if self.stars.len() < segments {
            self.stars.resize(segments, 0);
        }
        if self.pair_stars.len() < segments.saturating_sub(1) {
            self.pair_stars.resize(segments - 1, 0);
        }
        self.live += 1;
        let slot = if self.dead != 0 {
            let slot = self.dead.trailing_zeros() as usize;
            self.dead &= !(1 << slot);
            self.probes[slot] = probe;
            slot
        } else {
            self.probes.push(probe);
            self.probes.len() - 1
        };
        if slot >= PLACE_BITS {
            return None;
        }
        for &place in star_places {
            if let Some(stars) = self.stars.get_mut(place) {
                *stars |= 1 << slot;
            }
            // The pairs that end and that start at the `*`.
            for pair in [place.checked_sub(1), Some(place)].into_iter().flatten() {
                if let Some(stars) = self.pair_stars.get_mut(pair) {
                    *stars |= 1 << slot;
                }
            }
        }
        Some(slot)
    }

    /// Takes shape `id` (with bit `place_bit`) out: a slot with a bit dies
    /// in place, so that no other shape's bit changes; a later one goes.
    fn remove(&mut self, id: ShapeId, place_bit: Option<usize>) {
        self.live = self.live.saturating_sub(1);
        match place_bit {
            Some(slot) => {
                self.dead |= 1 << slot;
                for stars in self.stars.iter_mut().chain(&mut self.pair_stars) {
                    *stars &= !(1 << slot);
                }
            }
            None => {
                if let Some(at) = self.probes[PLACE_BITS.min(self.probes.len())..]
                    .iter()
                    .position(|probe| probe.shape == id)
                {
                    self.probes.remove(PLACE_BITS + at);
                }
            }
        }
        // Dead slots at the end go, so that the list stays as short as the
        // live shapes allow.
        while let Some(last) = self.probes.len().checked_sub(1) {
            if last >= PLACE_BITS || self.dead & 1 << last == 0 {
                break;
            }
            self.probes.pop();
            self.dead &= !(1 << last);
        }
    }
}

/// The bits of `places` (each minus `offset`) below 64, as a mask.
fn mask(places: &[usize], offset: usize) -> u64 {
    places
        .iter()
        .map(|&place| place - offset)
        .filter(|&bit| bit < 64)
        .fold(0, |mask, bit| mask | 1 << bit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout_of(text: &str) -> Option<(usize, usize, usize, bool)> {
        let pattern = Pattern::parse(text).unwrap();
        let layout = Layout::of(&pattern)?;
        Some((layout.prefix, layout.suffix, layout.min_len, layout.open))
    }

    #[test]
    fn each_anchored_shape_has_its_place() {
        assert_eq!(layout_of("a.*.c"), Some((3, 0, 3, false)));
        assert_eq!(layout_of("a.b.>"), Some((2, 0, 3, true)));
        assert_eq!(layout_of("a.#"), Some((1, 0, 1, true)));
        assert_eq!(layout_of("#.failed"), Some((0, 1, 1, true)));
        assert_eq!(layout_of("a.#.b.c"), Some((1, 2, 3, true)));
        assert_eq!(layout_of("a.#.>"), Some((1, 0, 2, true)));
        assert_eq!(layout_of("#"), Some((0, 0, 0, true)));
    }

    #[test]
    fn floating_literals_have_no_place() {
        assert_eq!(layout_of("#.x.#.y"), None);
        assert_eq!(layout_of("#.a.>"), None);
        assert_eq!(layout_of("a.#.b.*.>"), None);
    }

    #[test]
    fn a_star_past_the_probe_masks_has_no_place() {
        let far = |before: usize, after: usize| {
            let mut segments = vec!["x"; before];
            segments.push("*");
            segments.extend(std::iter::repeat_n("y", after));
            let limits = crate::limits::Limits {
                max_segments: 200,
                ..crate::limits::Limits::default()
            };
            let pattern = Pattern::parse_with(&segments.join("."), &limits).unwrap();
            Layout::of(&pattern).is_some()
        };
        assert!(far(MAX_STAR_PLACE - 1, 3));
        assert!(!far(MAX_STAR_PLACE, 3));
        let from_end = |after: usize| {
            let mut segments = vec!["#", "*"];
            segments.extend(std::iter::repeat_n("y", after));
            let limits = crate::limits::Limits {
                max_segments: 200,
                ..crate::limits::Limits::default()
            };
            let pattern = Pattern::parse_with(&segments.join("."), &limits).unwrap();
            Layout::of(&pattern).is_some()
        };
        assert!(from_end(MAX_STAR_PLACE - 1));
        assert!(!from_end(MAX_STAR_PLACE));
    }

    #[test]
    fn an_exact_shape_longer_than_a_probe_can_name_has_no_place() {
        let exact = |segments: usize, tail: bool| {
            let mut text = vec!["a"; segments].join(".");
            if tail {
                text.push_str(".>");
            }
            let limits = crate::limits::Limits {
                max_segments: MAX_EXACT_LEN + 2,
                max_topic_bytes: 4 * MAX_EXACT_LEN,
                ..crate::limits::Limits::default()
            };
            let pattern = Pattern::parse_with(&text, &limits).unwrap();
            Layout::of(&pattern).is_some()
        };
        assert!(exact(MAX_EXACT_LEN, false));
        assert!(!exact(MAX_EXACT_LEN + 1, false));
        // An open shape names no place past its prefix: any length is fine.
        assert!(exact(MAX_EXACT_LEN + 1, true));
    }

    #[test]
    fn suffix_literals_are_anchored_from_the_end() {
        let pattern = Pattern::parse("a.*.#.b.*.c").unwrap();
        let layout = Layout::of(&pattern).unwrap();
        let anchors: Vec<Anchor> = layout.anchored().map(|(anchor, _)| anchor).collect();
        assert_eq!(
            anchors,
            [
                Anchor::Start(0),
                Anchor::Start(1),
                Anchor::End(3),
                Anchor::End(2),
                Anchor::End(1)
            ]
        );
        assert_eq!(&layout.literal_text()[..], b"a.b.c");
    }
}
