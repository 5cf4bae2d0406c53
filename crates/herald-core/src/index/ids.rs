//! The subscriber ids of one pattern: a set of `u64`, read in ascending order.
//!
//! Almost every pattern has one subscriber, so one id lives inline in the
//! index entry (no pointer to chase while matching). Up to [`FEW`] ids live
//! in one sorted boxed vector; beyond that a B-tree keeps subscribe and
//! unsubscribe O(log n) however many subscribers share a pattern. This module
//! never sorts or merges across patterns; the router does that.

use std::collections::BTreeSet;

/// Ids kept in the sorted vector up to this many; a B-tree beyond.
const FEW: usize = 16;

/// The subscribers of one pattern; never empty while stored.
#[derive(Debug, Clone)]
pub(crate) enum IdSet {
    One(u64),
    /// More than one id; boxed so that an entry stays small.
    Many(Box<ManyIds>),
}

/// More than one id.
#[derive(Debug, Clone)]
pub(crate) enum ManyIds {
    /// Sorted, without duplicates, 2 to [`FEW`] ids.
    Few(Vec<u64>),
    Tree(BTreeSet<u64>),
}

/// A borrowed set of ids, whichever form holds them: what a match visits.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ids<'a> {
    One(u64),
    Many(&'a ManyIds),
}

impl Ids<'_> {
    pub(crate) fn contains(self, id: u64) -> bool {
        match self {
            Ids::One(one) => one == id,
            Ids::Many(ManyIds::Few(ids)) => ids.binary_search(&id).is_ok(),
            Ids::Many(ManyIds::Tree(ids)) => ids.contains(&id),
        }
    }

    pub(crate) fn len(self) -> usize {
        match self {
            Ids::One(_) => 1,
            Ids::Many(ManyIds::Few(ids)) => ids.len(),
            Ids::Many(ManyIds::Tree(ids)) => ids.len(),
        }
    }

    /// Calls `sink` with each id, ascending.
    #[inline]
    pub(crate) fn for_each(self, mut sink: impl FnMut(u64)) {
        match self {
            Ids::One(id) => sink(id),
            Ids::Many(ManyIds::Few(ids)) => ids.iter().for_each(|&id| sink(id)),
            Ids::Many(ManyIds::Tree(ids)) => ids.iter().for_each(|&id| sink(id)),
        }
    }
}

impl IdSet {
    /// The ids, borrowed.
    #[inline]
    pub(crate) fn view(&self) -> Ids<'_> {
        match self {
            IdSet::One(id) => Ids::One(*id),
            IdSet::Many(many) => Ids::Many(many),
        }
    }

    /// Adds `id`; `false` if it was there.
    pub(crate) fn insert(&mut self, id: u64) -> bool {
        match self {
            IdSet::One(one) if *one == id => false,
            IdSet::One(one) => {
                let mut ids = vec![*one, id];
                ids.sort_unstable();
                *self = IdSet::Many(Box::new(ManyIds::Few(ids)));
                true
            }
            IdSet::Many(many) => match &mut **many {
                ManyIds::Few(ids) => match ids.binary_search(&id) {
                    Ok(_) => false,
                    Err(at) if ids.len() < FEW => {
                        ids.insert(at, id);
                        true
                    }
                    Err(_) => {
                        let mut set: BTreeSet<u64> = ids.iter().copied().collect();
                        set.insert(id);
                        **many = ManyIds::Tree(set);
                        true
                    }
                },
                ManyIds::Tree(ids) => ids.insert(id),
            },
        }
    }

    /// Removes `id`; `Some(true)` if it was there and others remain,
    /// `Some(false)` if it was the last one (the caller drops the set), `None`
    /// if it was not there.
    pub(crate) fn remove(&mut self, id: u64) -> Option<bool> {
        match self {
            IdSet::One(one) => (*one == id).then_some(false),
            IdSet::Many(many) => {
                let removed = match &mut **many {
                    ManyIds::Few(ids) => match ids.binary_search(&id) {
                        Ok(at) => {
                            ids.remove(at);
                            true
                        }
                        Err(_) => false,
                    },
                    ManyIds::Tree(ids) => ids.remove(&id),
                };
                if !removed {
                    return None;
                }
                self.shrink();
                Some(true)
            }
        }
    }

    /// Takes the smallest form for what is left (never empty: `Many` held
    /// two or more before one removal).
    fn shrink(&mut self) {
        let IdSet::Many(many) = self else {
            return;
        };
        match &mut **many {
            ManyIds::Few(ids) if ids.len() == 1 => *self = IdSet::One(ids[0]),
            // Half the vector's room, so a size hovering at the boundary
            // does not convert back and forth.
            ManyIds::Tree(ids) if ids.len() <= FEW / 2 => {
                **many = ManyIds::Few(ids.iter().copied().collect());
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(set: &IdSet) -> Vec<u64> {
        let mut out = Vec::new();
        set.view().for_each(|id| out.push(id));
        out
    }

    #[test]
    fn a_set_grows_through_every_form_and_shrinks_back() {
        let mut set = IdSet::One(50);
        for id in (0..40).rev() {
            assert!(set.insert(id * 3));
        }
        assert!(!set.insert(48));
        assert!(!set.insert(50));
        assert_eq!(set.view().len(), 41);
        let all = ids(&set);
        assert!(all.windows(2).all(|pair| pair[0] < pair[1]));
        for id in 0..40 {
            assert_eq!(set.remove(id * 3), Some(true));
        }
        assert_eq!(ids(&set), [50]);
        assert!(matches!(set, IdSet::One(50)));
        assert_eq!(set.remove(7), None);
        assert_eq!(set.remove(50), Some(false));
    }

    #[test]
    fn an_entry_stays_two_words() {
        assert_eq!(std::mem::size_of::<IdSet>(), 16);
    }
}
