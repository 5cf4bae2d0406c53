//! Fleet plans: the broker subscriptions of many subscribers at once.
//!
//! Each subscriber (a process, a connection) subscribes once to the merged
//! subscriptions of all its patterns and keeps one post-filter. This module
//! owns that merge and the per-subscriber verdict; it translates nothing
//! itself (the planner does) and never crosses subscribers: two processes
//! cannot share a subscription.

use std::collections::BTreeMap;

use super::form::Form;
use super::{Exactness, Planner, Refusal};
use crate::pattern::Pattern;

/// The plan of every subscriber, by ascending subscriber id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetPlan {
    subscribers: Vec<SubscriberPlan>,
}

impl FleetPlan {
    /// One plan per subscriber, by ascending id.
    pub fn subscribers(&self) -> &[SubscriberPlan] {
        &self.subscribers
    }

    /// The plan of one subscriber.
    pub fn subscriber(&self, id: u64) -> Option<&SubscriberPlan> {
        self.subscribers
            .binary_search_by_key(&id, |plan| plan.subscriber)
            .ok()
            .map(|at| &self.subscribers[at])
    }
}

/// One subscriber's broker subscriptions and post-filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriberPlan {
    subscriber: u64,
    exactness: Exactness,
    subscriptions: Vec<String>,
    may_duplicate: bool,
    patterns: Vec<Pattern>,
    untranslatable: Vec<(Pattern, Refusal)>,
}

impl SubscriberPlan {
    /// The subscriber id.
    pub fn subscriber(&self) -> u64 {
        self.subscriber
    }

    /// How exactly [`subscriptions`](Self::subscriptions) carry the union of
    /// the subscriber's translatable patterns; `Untranslatable` only when none
    /// of them is.
    pub fn exactness(&self) -> Exactness {
        self.exactness
    }

    /// The merged subscriptions, in the broker's syntax: no repeats, and none
    /// that another one covers.
    pub fn subscriptions(&self) -> &[String] {
        &self.subscriptions
    }

    /// Whether the receiver must re-check each topic against
    /// [`filter`](Self::filter).
    pub fn needs_filter(&self) -> bool {
        self.exactness == Exactness::Superset
    }

    /// Whether one message can arrive more than once, so the receiver must
    /// deduplicate by message id.
    pub fn may_duplicate(&self) -> bool {
        self.may_duplicate
    }

    /// The patterns a received topic must match (any of them) when
    /// [`needs_filter`](Self::needs_filter); empty otherwise.
    pub fn filter(&self) -> &[Pattern] {
        if self.needs_filter() {
            &self.patterns
        } else {
            &[]
        }
    }

    /// The subscriber's patterns the broker cannot carry, and why.
    pub fn untranslatable(&self) -> &[(Pattern, Refusal)] {
        &self.untranslatable
    }
}

pub(super) fn plan<'p>(
    planner: &Planner,
    pairs: impl IntoIterator<Item = (&'p Pattern, u64)>,
) -> FleetPlan {
    let mut by_subscriber: BTreeMap<u64, Vec<&'p Pattern>> = BTreeMap::new();
    for (pattern, subscriber) in pairs {
        let patterns = by_subscriber.entry(subscriber).or_default();
        if !patterns.contains(&pattern) {
            patterns.push(pattern);
        }
    }
    let subscribers = by_subscriber
        .into_iter()
        .map(|(subscriber, patterns)| subscriber_plan(planner, subscriber, &patterns))
        .collect();
    FleetPlan { subscribers }
}

fn subscriber_plan(planner: &Planner, subscriber: u64, patterns: &[&Pattern]) -> SubscriberPlan {
    let mut wanted = Vec::new();
    let mut forms: Vec<Form> = Vec::new();
    let mut translatable = Vec::new();
    let mut untranslatable = Vec::new();
    for &pattern in patterns {
        let plan = planner.plan(pattern);
        match plan.refusal {
            Some(refusal) => untranslatable.push((pattern.clone(), refusal)),
            None => {
                wanted.push(Form::of_pattern(pattern));
                forms.extend(plan.forms);
                translatable.push(pattern.clone());
            }
        }
    }
    if translatable.is_empty() {
        return SubscriberPlan {
            subscriber,
            exactness: Exactness::Untranslatable,
            subscriptions: Vec::new(),
            may_duplicate: false,
            patterns: translatable,
            untranslatable,
        };
    }
    // Each pattern's forms rendered once already; merging only drops some.
    let merged = planner.plan_of(&wanted, forms);
    match merged.refusal {
        // Unreachable in practice (every form rendered before), but a refusal
        // here must not lose the patterns: report them all as refused.
        Some(refusal) => SubscriberPlan {
            subscriber,
            exactness: Exactness::Untranslatable,
            subscriptions: Vec::new(),
            may_duplicate: false,
            patterns: Vec::new(),
            untranslatable: translatable
                .into_iter()
                .map(|pattern| (pattern, refusal.clone()))
                .chain(untranslatable)
                .collect(),
        },
        None => SubscriberPlan {
            subscriber,
            exactness: merged.exactness,
            subscriptions: merged.subscriptions,
            may_duplicate: merged.may_duplicate,
            patterns: translatable,
            untranslatable,
        },
    }
}
