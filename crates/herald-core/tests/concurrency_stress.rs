//! Readers match on router snapshots while a writer subscribes, unsubscribes
//! and publishes new versions, for a fixed number of operations; every
//! answer (plain, through a per-thread cache, into a slice) equals the
//! reference matcher's over the subscriptions of the very version read.
//!
//! Short by default (20,000 operations, a second or two);
//! `HERALD_STRESS_OPS=1000000 cargo test -p herald-core --test integration
//! concurrency_stress` runs a long one.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::thread;

use herald_core::{MatchCache, Pattern, Router, RouterSnapshot};

use crate::common::routing::reference_matches;

/// Canonical pattern → subscribers.
type Model = BTreeMap<String, BTreeSet<u64>>;

/// One published version: the snapshot and what it must answer from.
struct Version {
    number: usize,
    snapshot: RouterSnapshot,
    model: Model,
}

const PATTERNS: &[&str] = &[
    "payment.#",
    "#.success",
    "payment.card.*",
    "*.message.sent",
    "apps.payment.>",
    "#.failed",
    "a.#.b",
    "*",
    ">",
    "#",
    "payment.card.success",
    "x.*.y.#",
];

const TOPICS: &[&str] = &[
    "payment.card.success",
    "payment",
    "sms.message.sent",
    "apps.payment.done",
    "external.subscribe.cancel.failed",
    "a.b",
    "a.x.y.b",
    "x.1.y",
    "x.1.y.z.w",
    "user.created",
];

fn operations() -> usize {
    std::env::var("HERALD_STRESS_OPS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(20_000)
}

fn expected(model: &Model, topic: &str) -> Vec<u64> {
    let mut ids = BTreeSet::new();
    for (pattern, subscribers) in model {
        if reference_matches(pattern, topic) {
            ids.extend(subscribers);
        }
    }
    ids.into_iter().collect()
}

/// Checks every way of matching `version` against its model; returns how
/// many answers were checked.
fn check(version: &Version, cache: &mut MatchCache, rng: &mut fastrand::Rng) -> usize {
    let topic = TOPICS[rng.usize(..TOPICS.len())];
    let want = expected(&version.model, topic);
    let mut ids = Vec::new();
    version.snapshot.match_into(topic, &mut ids).unwrap();
    assert_eq!(ids, want, "version {} topic {topic}", version.number);
    version
        .snapshot
        .match_cached(topic, cache, &mut ids)
        .unwrap();
    assert_eq!(
        ids, want,
        "cached, version {} topic {topic}",
        version.number
    );
    let mut slice = [0u64; 32];
    let count = version
        .snapshot
        .match_into_slice(topic, &mut slice)
        .unwrap();
    assert_eq!(
        &slice[..count],
        &want[..],
        "slice, version {}",
        version.number
    );
    let subscriptions: usize = version.model.values().map(BTreeSet::len).sum();
    assert_eq!(version.snapshot.len(), subscriptions);
    3
}

#[test]
fn readers_on_snapshots_always_get_the_answer_of_the_version_they_read() {
    let operations = operations();
    let empty = Version {
        number: 0,
        snapshot: Router::new().snapshot(),
        model: Model::new(),
    };
    let current = Arc::new(RwLock::new(Arc::new(empty)));
    let done = Arc::new(AtomicBool::new(false));

    let readers: Vec<_> = (0..3u64)
        .map(|seed| {
            let current = Arc::clone(&current);
            let done = Arc::clone(&done);
            thread::spawn(move || {
                let mut rng = fastrand::Rng::with_seed(seed);
                let mut cache = MatchCache::with_capacity(4);
                let (mut checked, mut versions, mut last) = (0, 0, 0);
                loop {
                    // Read `done` first: a version published before it was set
                    // is still checked once more below.
                    let finished = done.load(Ordering::Acquire);
                    let version = Arc::clone(&current.read().unwrap());
                    assert!(version.number >= last, "a version went back");
                    versions += usize::from(version.number != last);
                    last = version.number;
                    checked += check(&version, &mut cache, &mut rng);
                    if finished {
                        return (checked, versions, last);
                    }
                }
            })
        })
        .collect();

    let mut router = Router::new();
    let mut model = Model::new();
    let mut rng = fastrand::Rng::with_seed(16);
    let mut published = 0;
    for operation in 1..=operations {
        let text = PATTERNS[rng.usize(..PATTERNS.len())];
        let pattern = Pattern::parse(text).unwrap();
        let id = rng.u64(..16);
        let key = pattern.to_string();
        if rng.u8(..10) < 6 {
            let added = router.subscribe(&pattern, id).unwrap();
            assert_eq!(added, model.entry(key).or_default().insert(id));
        } else {
            let removed = router.unsubscribe(&pattern, id);
            let known = model.get_mut(&key).is_some_and(|ids| ids.remove(&id));
            assert_eq!(removed, known);
            if model.get(&key).is_some_and(BTreeSet::is_empty) {
                model.remove(&key);
            }
        }
        if operation % 7 == 0 || operation == operations {
            published += 1;
            let version = Version {
                number: published,
                snapshot: router.snapshot(),
                model: model.clone(),
            };
            *current.write().unwrap() = Arc::new(version);
        }
    }
    done.store(true, Ordering::Release);

    for reader in readers {
        let (checked, versions, last) = reader.join().unwrap();
        assert!(checked > 0 && versions > 0);
        assert_eq!(last, published, "every reader sees the final version");
    }
}
