//! Forms: what a subscription matches, as a sequence of segment sets.
//!
//! Every broker's subscription syntax, and herald's own patterns, mean the same
//! kind of thing once read over valid herald topics: a sequence of parts, each a
//! literal segment, exactly one segment, or zero or more segments. This module
//! owns that common meaning, its canonical form, and the two questions the
//! planner asks of it — can two forms match the same topic, and does one form
//! match everything another does. It never renders broker syntax and never
//! looks at a broker's rules.

use std::collections::{HashSet, VecDeque};

use crate::pattern::{Pattern, Segment};

/// One part of a [`Form`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Part {
    /// The segment equal to this text, byte for byte.
    Literal(Box<str>),
    /// Exactly one segment.
    One,
    /// Zero or more segments.
    Many,
}

/// A sequence of parts, matched against a topic's segments.
///
/// Forms are kept canonical: every maximal run of wildcards is written as its
/// `One`s followed by at most one `Many` (`#.*` and `*.#` both become
/// `One, Many`), so equal meanings compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Form {
    parts: Vec<Part>,
}

/// Most (state, state) pairs one overlap or containment question explores
/// before it answers conservatively ("may overlap", "not contained").
const MAX_EXPLORED: usize = 20_000;

impl Form {
    /// The canonical form of `parts`.
    pub(crate) fn new(parts: Vec<Part>) -> Form {
        let mut canonical = Vec::with_capacity(parts.len());
        let mut ones = 0;
        let mut many = false;
        for part in parts {
            match part {
                Part::One => ones += 1,
                Part::Many => many = true,
                Part::Literal(text) => {
                    flush_run(&mut canonical, &mut ones, &mut many);
                    canonical.push(Part::Literal(text));
                }
            }
        }
        flush_run(&mut canonical, &mut ones, &mut many);
        Form { parts: canonical }
    }

    /// The form of a herald pattern: `*` is one segment, `#` zero or more,
    /// `>` one and then zero or more.
    pub(crate) fn of_pattern(pattern: &Pattern) -> Form {
        let mut parts = Vec::with_capacity(pattern.segments().len() + 1);
        for segment in pattern.segments() {
            match segment {
                Segment::Literal(text) => parts.push(Part::Literal(text.clone())),
                Segment::Star => parts.push(Part::One),
                Segment::Hash => parts.push(Part::Many),
                Segment::Tail => parts.extend([Part::One, Part::Many]),
            }
        }
        Form::new(parts)
    }

    /// The parts, in order.
    pub(crate) fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The fewest segments a matching topic has.
    pub(crate) fn min_len(&self) -> usize {
        self.parts
            .iter()
            .filter(|part| !matches!(part, Part::Many))
            .count()
    }

    /// How many `Many` parts the form has.
    pub(crate) fn many_count(&self) -> usize {
        self.parts
            .iter()
            .filter(|part| matches!(part, Part::Many))
            .count()
    }

    /// Whether the form matches every topic (`#`, or `>`).
    pub(crate) fn matches_everything(&self) -> bool {
        matches!(
            self.parts.as_slice(),
            [Part::Many] | [Part::One, Part::Many]
        )
    }

    /// The same form without its `Many` parts: what it matches among topics
    /// of exactly [`min_len`](Form::min_len) segments.
    pub(crate) fn without_many(&self) -> Form {
        Form::new(
            self.parts
                .iter()
                .filter(|part| !matches!(part, Part::Many))
                .cloned()
                .collect(),
        )
    }

    /// Whether some topic matches both forms. May answer `true` for disjoint
    /// forms too complex to decide within the exploration bound, never
    /// `false` for overlapping ones.
    pub(crate) fn may_overlap(&self, other: &Form) -> bool {
        if let Some(known) = quick_overlap(self, other) {
            return known;
        }
        if let (Some(left), Some(right)) = (self.prefix(), other.prefix()) {
            return prefix_overlap(left, right);
        }
        explore(self, other, |left, right| left && right).unwrap_or(true)
    }

    /// Whether every topic that matches `other` also matches `self`. May
    /// answer `false` for a containment too complex to decide within the
    /// exploration bound, never `true` wrongly.
    pub(crate) fn contains(&self, other: &Form) -> bool {
        if self.matches_everything() {
            return true;
        }
        if quick_overlap(self, other) == Some(false) {
            return false;
        }
        if let (Some(outer), Some(inner)) = (self.prefix(), other.prefix()) {
            return prefix_contains(outer, inner);
        }
        if other.many_count() == 0 {
            return contains_fixed(self, other);
        }
        // A topic matched by `other` but not by `self` refutes containment.
        explore(other, self, |left, right| left && !right)
            .map(|refuted| !refuted)
            .unwrap_or(false)
    }
}

/// A form whose only `Many`, if any, is its last part: its fixed parts,
/// and whether any number of segments may follow them.
type Prefix<'a> = (&'a [Part], bool);

impl Form {
    /// The form as a [`Prefix`], when it is one. Depth expansions produce
    /// hundreds of these, and two of them are compared position by
    /// position instead of by exploring state pairs.
    fn prefix(&self) -> Option<Prefix<'_>> {
        let open = matches!(self.parts.last(), Some(Part::Many));
        let fixed = if open {
            &self.parts[..self.parts.len() - 1]
        } else {
            &self.parts[..]
        };
        (!fixed.iter().any(|part| matches!(part, Part::Many))).then_some((fixed, open))
    }
}

/// Whether a non-empty topic matches both prefixes: a length both accept,
/// and no position where they name different literals.
fn prefix_overlap((left, left_open): Prefix<'_>, (right, right_open): Prefix<'_>) -> bool {
    let (n, m) = (left.len(), right.len());
    let lengths = match (left_open, right_open) {
        (false, false) => n == m && n > 0,
        (true, false) => m >= n && m > 0,
        (false, true) => n >= m && n > 0,
        (true, true) => true,
    };
    lengths
        && left
            .iter()
            .zip(right)
            .all(|pair| !matches!(pair, (Part::Literal(a), Part::Literal(b)) if a != b))
}

/// Whether every non-empty topic matching `inner` matches `outer`: every
/// length `inner` accepts is one `outer` accepts, and each literal of
/// `outer` is the literal `inner` has at the same position.
fn prefix_contains((outer, outer_open): Prefix<'_>, (inner, inner_open): Prefix<'_>) -> bool {
    let (n, m) = (outer.len(), inner.len());
    let lengths = if inner_open {
        outer_open && n <= m.max(1)
    } else {
        m == n || (outer_open && m >= n)
    };
    let positions = outer.iter().enumerate().all(|(index, part)| match part {
        Part::Literal(text) => {
            matches!(inner.get(index), Some(Part::Literal(other)) if other == text)
        }
        _ => true,
    });
    // An `inner` that matches no non-empty topic is contained in anything.
    (!inner_open && m == 0) || (lengths && positions)
}

/// Whether `outer` matches every topic of the fixed-length form `inner`.
///
/// Those topics differ only at `inner`'s `One` parts, and there `outer` can
/// tell apart only the literals it names: so it matches them all exactly
/// when it matches the one topic with a segment it never names at each
/// `One` (the `None` symbol of [`step`]). One run, no exploration.
fn contains_fixed(outer: &Form, inner: &Form) -> bool {
    if inner.parts.is_empty() {
        // Matches no non-empty topic.
        return true;
    }
    let mut states = closure(outer, vec![0]);
    for part in &inner.parts {
        let symbol = match part {
            Part::Literal(text) => Some(&**text),
            _ => None,
        };
        states = step(outer, &states, symbol);
        if states.is_empty() {
            return false;
        }
    }
    accepts(outer, &states)
}

fn flush_run(parts: &mut Vec<Part>, ones: &mut usize, many: &mut bool) {
    parts.extend(std::iter::repeat_n(Part::One, *ones));
    if *many {
        parts.push(Part::Many);
    }
    *ones = 0;
    *many = false;
}

/// Decides the easy cases without exploring: different fixed lengths, or
/// different literals at the same position from either end before any `Many`.
fn quick_overlap(left: &Form, right: &Form) -> Option<bool> {
    let fixed = |form: &Form| form.many_count() == 0;
    if fixed(left) && fixed(right) && left.min_len() != right.min_len() {
        return Some(false);
    }
    let clash =
        |a: &Part, b: &Part| matches!((a, b), (Part::Literal(x), Part::Literal(y)) if x != y);
    let ends = |parts: &mut dyn Iterator<Item = (&Part, &Part)>| {
        for (a, b) in parts {
            if matches!(a, Part::Many) || matches!(b, Part::Many) {
                return false;
            }
            if clash(a, b) {
                return true;
            }
        }
        false
    };
    let head_clash = ends(&mut left.parts.iter().zip(&right.parts));
    let tail_clash = ends(&mut left.parts.iter().rev().zip(right.parts.iter().rev()));
    if head_clash || tail_clash {
        return Some(false);
    }
    None
}

/// Breadth-first search over the pair (states of `left`, states of `right`)
/// reached by reading the same topic, looking for a non-empty topic after
/// which `goal(left accepts, right accepts)` holds.
///
/// Topics are sequences over an infinite alphabet, but the forms only tell
/// apart the literals they name; every other segment behaves alike. So the
/// search reads one symbol per named literal plus one stand-in for all
/// others. Returns `None` when the search outgrows [`MAX_EXPLORED`].
fn explore(left: &Form, right: &Form, goal: impl Fn(bool, bool) -> bool) -> Option<bool> {
    let mut alphabet: Vec<Option<&str>> = vec![None];
    let mut seen_literals = HashSet::new();
    for part in left.parts.iter().chain(&right.parts) {
        if let Part::Literal(text) = part
            && seen_literals.insert(&**text)
        {
            alphabet.push(Some(text));
        }
    }
    let start = (closure(left, vec![0]), closure(right, vec![0]));
    let mut seen: HashSet<(Vec<usize>, Vec<usize>)> = HashSet::new();
    let mut queue = VecDeque::new();
    seen.insert(start.clone());
    queue.push_back(start);
    while let Some((left_states, right_states)) = queue.pop_front() {
        for symbol in &alphabet {
            let next_left = step(left, &left_states, *symbol);
            if next_left.is_empty() {
                continue;
            }
            let next_right = step(right, &right_states, *symbol);
            if goal(accepts(left, &next_left), accepts(right, &next_right)) {
                return Some(true);
            }
            let key = (next_left, next_right);
            if !seen.contains(&key) {
                if seen.len() >= MAX_EXPLORED {
                    return None;
                }
                seen.insert(key.clone());
                queue.push_back(key);
            }
        }
    }
    Some(false)
}

/// Adds the states reachable by letting `Many` parts match nothing; sorted.
fn closure(form: &Form, mut states: Vec<usize>) -> Vec<usize> {
    let mut index = 0;
    while index < states.len() {
        let state = states[index];
        if matches!(form.parts.get(state), Some(Part::Many)) && !states.contains(&(state + 1)) {
            states.push(state + 1);
        }
        index += 1;
    }
    states.sort_unstable();
    states
}

/// The states after reading one segment; `None` stands for a segment that
/// equals no literal of either form.
fn step(form: &Form, states: &[usize], symbol: Option<&str>) -> Vec<usize> {
    let mut next = Vec::new();
    for &state in states {
        let target = match form.parts.get(state) {
            None => None,
            Some(Part::Literal(text)) => (symbol == Some(&**text)).then_some(state + 1),
            Some(Part::One) => Some(state + 1),
            Some(Part::Many) => Some(state),
        };
        if let Some(target) = target
            && !next.contains(&target)
        {
            next.push(target);
        }
    }
    closure(form, next)
}

fn accepts(form: &Form, states: &[usize]) -> bool {
    states.contains(&form.parts.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pattern: &str) -> Form {
        Form::of_pattern(&Pattern::parse(pattern).unwrap())
    }

    #[test]
    fn wildcard_runs_are_canonical() {
        assert_eq!(form("a.#.*.b"), form("a.*.#.b"));
        assert_eq!(form("a.*.#"), form("a.>"));
        assert_eq!(form("#.>"), form(">"));
        assert_eq!(form("a.#.*.#.*"), form("a.*.*.#"));
        assert_ne!(form("a.#.b"), form("a.*.b"));
    }

    #[test]
    fn overlap_is_decided_by_a_common_topic() {
        assert!(form("a.*").may_overlap(&form("*.b")));
        assert!(!form("a.*").may_overlap(&form("b.*")));
        assert!(!form("a").may_overlap(&form("a.>")));
        assert!(form("#.a.#").may_overlap(&form("b.#")));
        assert!(!form("#.a").may_overlap(&form("#.b")));
        assert!(form("*.a.>").may_overlap(&form("a.>")));
        assert!(!form("a.*.b").may_overlap(&form("a.*.*.b")));
    }

    #[test]
    fn containment_needs_every_topic_of_the_inner_form() {
        assert!(form("a.>").contains(&form("a.b.*")));
        assert!(form("a.#").contains(&form("a.>")));
        assert!(!form("a.>").contains(&form("a.#")));
        assert!(form("#.b").contains(&form("a.#.b")));
        assert!(!form("#.b").contains(&form("a.#")));
        assert!(form("#").contains(&form("x.y")));
        assert!(form("*.#.a").contains(&form("*.*.a")));
        assert!(!form("*.a").contains(&form("*.*.a")));
    }

    /// Every form of at most four parts over two literals, `*` and `#`.
    fn small_forms() -> Vec<Form> {
        let parts = [
            Part::Literal("a".into()),
            Part::Literal("b".into()),
            Part::One,
            Part::Many,
        ];
        let mut forms = vec![Vec::new()];
        let mut all = Vec::new();
        for _ in 0..4 {
            forms = forms
                .iter()
                .flat_map(|form: &Vec<Part>| {
                    parts.iter().map(move |part| {
                        let mut longer = form.clone();
                        longer.push(part.clone());
                        longer
                    })
                })
                .collect();
            all.extend(forms.iter().cloned().map(Form::new));
        }
        all
    }

    #[test]
    fn prefix_forms_are_decided_as_the_exploration_decides_them() {
        let forms: Vec<Form> = small_forms()
            .into_iter()
            .filter(|form| form.prefix().is_some())
            .collect();
        assert!(forms.len() > 100);
        for left in &forms {
            for right in &forms {
                let explored = explore(left, right, |a, b| a && b).unwrap();
                assert_eq!(
                    prefix_overlap(left.prefix().unwrap(), right.prefix().unwrap()),
                    explored,
                    "overlap of {left:?} and {right:?}"
                );
                let refuted = explore(right, left, |a, b| a && !b).unwrap();
                assert_eq!(
                    prefix_contains(left.prefix().unwrap(), right.prefix().unwrap()),
                    !refuted,
                    "{left:?} contains {right:?}"
                );
            }
        }
    }

    #[test]
    fn fixed_length_forms_are_contained_as_the_exploration_decides() {
        let forms = small_forms();
        for outer in &forms {
            for inner in forms.iter().filter(|form| form.many_count() == 0) {
                let refuted = explore(inner, outer, |a, b| a && !b).unwrap();
                assert_eq!(
                    contains_fixed(outer, inner),
                    !refuted,
                    "{outer:?} contains {inner:?}"
                );
            }
        }
    }

    #[test]
    fn the_forms_of_a_depth_expansion_overlap_and_contain_only_themselves() {
        // `#.x.#` expanded over 128 levels, as MQTT and NATS plans do.
        let forms: Vec<Form> = (0..128)
            .map(|depth| {
                let mut parts = vec![Part::One; depth];
                parts.extend([Part::Literal("x".into()), Part::Many]);
                Form::new(parts)
            })
            .collect();
        for (index, outer) in forms.iter().enumerate() {
            for (other, inner) in forms.iter().enumerate() {
                assert_eq!(outer.contains(inner), index == other);
                assert!(outer.may_overlap(inner));
            }
        }
    }
}
