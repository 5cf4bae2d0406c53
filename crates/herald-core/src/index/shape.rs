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

use super::places::{PLACE_BITS, PLACES};
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
    /// The first [`PLACE_BITS`] shapes, by their bit in the place filter.
    pub(crate) placed: Placed,
    /// Shapes without a bit that fit exactly `n` segments, at `[n]`.
    exact: Vec<Vec<ExactProbe>>,
    /// Shapes without a bit that fit longer topics too, by their fewest
    /// segments.
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
            placed: Placed::default(),
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
        // Topics and patterns have at most `Limits::max_segments` segments,
        // far below `u32::MAX`.
        let narrow = |count: usize| u32::try_from(count).unwrap_or(u32::MAX);
        let probe = if layout.open {
            AnyProbe::Open(Probe {
                salt,
                start_stars: mask(&start_stars, 0),
                end_stars: mask(&end_stars, 1),
                prefix: narrow(layout.prefix),
                suffix: narrow(layout.suffix),
                shape: id,
                plain: start_stars.is_empty() && end_stars.is_empty() && layout.suffix == 0,
                min_len: narrow(layout.min_len),
            })
        } else {
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
            AnyProbe::Exact(ExactProbe {
                salt,
                more_stars: mask(&start_stars[near..], 0),
                stars,
                shape: id,
            })
        };
        let literals = self.get(id).literals.clone();
        let place_bit = self.placed.add(probe, &literals, layout.min_len);
        if let Some(shape) = &mut self.slots[id as usize] {
            shape.place_bit = place_bit;
        }
        if place_bit.is_none() {
            match probe {
                AnyProbe::Open(probe) => {
                    let at = self
                        .open
                        .partition_point(|open| open.min_len <= probe.min_len);
                    self.open.insert(at, probe);
                    self.count_open_fitting();
                }
                AnyProbe::Exact(probe) => {
                    if self.exact.len() <= layout.min_len {
                        self.exact.resize_with(layout.min_len + 1, Vec::new);
                    }
                    self.exact[layout.min_len].push(probe);
                }
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
        if let Some(bit) = shape.place_bit {
            self.placed.remove(bit);
        } else if shape.open {
            self.open.retain(|probe| probe.shape != id);
            self.count_open_fitting();
        } else if let Some(list) = self.exact.get_mut(shape.min_len) {
            list.retain(|probe| probe.shape != id);
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

    /// The shapes without a bit that can match a topic of `segments`
    /// segments: those that fit exactly that many, and the open ones that
    /// fit that many or more.
    #[inline]
    pub(crate) fn unplaced(&self, segments: usize) -> (&[ExactProbe], &[Probe]) {
        let exact = self.exact.get(segments).map_or(&[][..], Vec::as_slice);
        let open = match self.open_fitting.get(segments) {
            Some(&fitting) => &self.open[..fitting as usize],
            None => &self.open[..],
        };
        (exact, open)
    }
}

/// A shape's probe, of one kind or the other.
#[derive(Debug, Clone, Copy)]
enum AnyProbe {
    Exact(ExactProbe),
    Open(Probe),
}

/// The shapes with a bit in the place filter (the first [`PLACE_BITS`]
/// registered, whatever the lengths they fit), with what a match needs to
/// rule them in or out before any key is computed.
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    /// By bit: the probe of the exact shape there (stale elsewhere).
    pub(crate) exact: Box<[ExactProbe; PLACE_BITS]>,
    /// By bit: the probe of the open shape there (stale elsewhere).
    pub(crate) open: Box<[Probe; PLACE_BITS]>,
    /// Bits in use.
    used: u64,
    /// At `[n]`: the bits of exact shapes of `n` segments.
    exact_of: Vec<u64>,
    /// At `[n]`: the bits of open shapes of `n` segments or fewer; past
    /// its end, `open_bits`.
    open_fitting: Vec<u64>,
    /// The bits of all open shapes.
    open_bits: u64,
    /// At `[n]`: how many shapes with a bit fit `n` segments (the match's
    /// count of probes, without a population count, which the baseline
    /// x86-64 lacks).
    fitting_count: Vec<u32>,
    /// At `[i]`: the bits of shapes with no literal at place `i` from the
    /// start (a `*`, a place past their end or prefix, or an end-anchored
    /// part), which any segment there lets through.
    pub(crate) free: [u64; PLACES],
    /// At `[i]`: the bits of shapes without literals at both places `i`
    /// and `i + 1`, which any pair of segments there lets through.
    pub(crate) pair_free: [u64; PLACES],
}

impl Default for Placed {
    fn default() -> Self {
        let exact = ExactProbe {
            salt: 0,
            more_stars: 0,
            stars: [0; NAMED_STARS],
            shape: 0,
        };
        let open = Probe {
            salt: 0,
            start_stars: 0,
            end_stars: 0,
            prefix: 0,
            suffix: 0,
            shape: 0,
            plain: true,
            min_len: 0,
        };
        Placed {
            exact: Box::new([exact; PLACE_BITS]),
            open: Box::new([open; PLACE_BITS]),
            used: 0,
            exact_of: Vec::new(),
            open_fitting: Vec::new(),
            open_bits: 0,
            fitting_count: Vec::new(),
            free: [u64::MAX; PLACES],
            pair_free: [u64::MAX; PLACES],
        }
    }
}

impl Placed {
    /// Gives `probe` (of a shape with `literals`, fitting `min_len`
    /// segments or more if open) the first free bit; that bit, if there
    /// is one.
    fn add(&mut self, probe: AnyProbe, literals: &[Anchor], min_len: usize) -> Option<usize> {
        if self.used == u64::MAX {
            return None;
        }
        let bit = (!self.used).trailing_zeros() as usize;
        let mask = 1u64 << bit;
        self.used |= mask;
        match probe {
            AnyProbe::Exact(probe) => {
                self.exact[bit] = probe;
                if self.exact_of.len() <= min_len {
                    self.exact_of.resize(min_len + 1, 0);
                }
                self.exact_of[min_len] |= mask;
            }
            AnyProbe::Open(probe) => {
                self.open[bit] = probe;
                self.open_bits |= mask;
                if self.open_fitting.len() <= min_len {
                    let all = self.open_bits & !mask;
                    self.open_fitting.resize(min_len + 1, all);
                }
                for fitting in &mut self.open_fitting[min_len..] {
                    *fitting |= mask;
                }
            }
        }
        let at = |place: usize| literals.contains(&Anchor::Start(place));
        for place in 0..PLACES {
            if at(place) {
                self.free[place] &= !mask;
            } else {
                self.free[place] |= mask;
            }
            if at(place) && at(place + 1) {
                self.pair_free[place] &= !mask;
            } else {
                self.pair_free[place] |= mask;
            }
        }
        self.count_fitting();
        Some(bit)
    }

    /// Frees `bit`: its shape is gone. Its bits in the filter words may
    /// linger, letting more through; never fewer.
    fn remove(&mut self, bit: usize) {
        let mask = 1u64 << bit;
        self.used &= !mask;
        self.open_bits &= !mask;
        for bits in self.exact_of.iter_mut().chain(&mut self.open_fitting) {
            *bits &= !mask;
        }
        self.count_fitting();
    }

    /// Recounts [`fitting_count`](Self::fitting_count).
    fn count_fitting(&mut self) {
        let lengths = self.exact_of.len().max(self.open_fitting.len());
        self.fitting_count.clear();
        for segments in 0..=lengths {
            let fits = self.fits(segments);
            self.fitting_count.push(fits.count_ones());
        }
    }

    /// The bits of the shapes that fit `segments` segments: (exact, open).
    #[inline(always)]
    pub(crate) fn fitting(&self, segments: usize) -> (u64, u64) {
        let exact = self.exact_of.get(segments).copied().unwrap_or(0);
        let open = self
            .open_fitting
            .get(segments)
            .copied()
            .unwrap_or(self.open_bits);
        (exact, open)
    }

    fn fits(&self, segments: usize) -> u64 {
        let (exact, open) = self.fitting(segments);
        exact | open
    }

    /// How many shapes with a bit fit `segments` segments.
    #[inline(always)]
    pub(crate) fn fitting_count(&self, segments: usize) -> usize {
        match self.fitting_count.get(segments) {
            Some(&count) => count as usize,
            None => self.fitting_count.last().map_or(0, |&count| count as usize),
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
