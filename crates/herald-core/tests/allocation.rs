//! Hot paths that must not touch the heap — matching into a large enough
//! buffer, catalogue lookups, topic checks, validating a clean payload —
//! counted by a global allocator that this module installs for the whole
//! test binary. The count is per thread, so tests running in parallel do not
//! disturb each other.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use herald_core::MatchScratch;
use herald_core::router::MatchCache;
use herald_core::{Catalogue, Pattern, Router};

struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call forwards to `System` with the caller's arguments; the
// wrapper only bumps a thread-local counter, which never allocates.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(pointer, layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        // SAFETY: same contract as ours.
        unsafe { System.realloc(pointer, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn allocations_during(work: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    work();
    ALLOCATIONS.with(Cell::get) - before
}

fn router() -> Router {
    let mut router = Router::new();
    let subscriptions = [
        ("payment.#", 10),
        ("#.failed", 3),
        ("*.card.*", 7),
        ("payment.card.failed", 3),
        ("apps.payment.>", 1),
    ];
    for (text, id) in subscriptions {
        router
            .subscribe(&Pattern::parse(text).unwrap(), id)
            .unwrap();
    }
    for id in 100..200 {
        router
            .subscribe(&Pattern::parse("fanout.#").unwrap(), id)
            .unwrap();
    }
    router
}

#[test]
fn matching_into_a_large_enough_vec_does_not_allocate() {
    let router = router();
    let snapshot = router.snapshot();
    let mut out = Vec::with_capacity(256);
    let topics = [
        "payment.card.failed",
        "external.subscribe.cancel.failed",
        "apps.payment.a.b",
        "customer.registered",
        "fanout.x",
    ];
    let count = allocations_during(|| {
        for topic in topics {
            router.match_into(topic, &mut out).unwrap();
            snapshot.match_into(topic, &mut out).unwrap();
        }
    });
    assert_eq!(count, 0);
    router.match_into("payment.card.failed", &mut out).unwrap();
    assert_eq!(out, [3, 7, 10]);
}

#[test]
fn matching_into_a_large_enough_slice_does_not_allocate() {
    let router = router();
    let mut out = [0u64; 256];
    let mut found = 0;
    let count = allocations_during(|| {
        found = router
            .match_into_slice("payment.card.failed", &mut out)
            .unwrap();
    });
    assert_eq!(count, 0);
    assert_eq!(out[..found], [3, 7, 10]);
}

#[test]
fn a_one_off_pattern_check_does_not_allocate() {
    let pattern = Pattern::parse("#.cancel.failed").unwrap();
    let topic = herald_core::Topic::parse("external.subscribe.cancel.failed").unwrap();
    let mut matched = false;
    assert_eq!(allocations_during(|| matched = pattern.matches(&topic)), 0);
    assert!(matched);
}

#[test]
fn catalogue_lookups_do_not_allocate() {
    let catalogue = Catalogue::builtin();
    let count = allocations_during(|| {
        for _ in 0..100 {
            assert!(
                catalogue
                    .get("inplayer-webhooks", "asset.access.granted")
                    .is_some()
            );
            assert!(catalogue.get("nowhere", "x").is_none());
            assert!(
                catalogue
                    .resolve("orangepill-stream", "sms.message.sent")
                    .is_some()
            );
            assert!(
                catalogue
                    .resolve("orangepill-stream", "message.sent")
                    .is_none()
            );
            assert_eq!(catalogue.find("payment.card.success").count(), 2);
            assert_eq!(catalogue.events_in("accelbyte-wallet").count(), 2);
            assert_eq!(catalogue.events_in_category("wallet").count(), 2);
            let event = catalogue
                .get("inplayer-notifications", "access.granted")
                .unwrap();
            assert_eq!(catalogue.aliases_of(event).count(), 1);
        }
    });
    assert_eq!(count, 0);
}

#[test]
fn topic_validation_does_not_allocate() {
    let count = allocations_during(|| {
        for _ in 0..100 {
            assert!(herald_core::Topic::parse("external.subscribe.cancel.failed").is_ok());
            assert!(herald_core::Topic::parse("bad..topic").is_err());
        }
    });
    assert_eq!(count, 0);
}

#[test]
fn validating_a_valid_payload_without_unknown_keys_does_not_allocate() {
    let catalogue = Catalogue::builtin();
    for (source, name) in [
        ("accelbyte-wallet", "walletBalanceChanged"),
        ("orangepill-stream", "user.created"),
        ("inplayer-webhooks", "customer.password.updated"),
    ] {
        let event = catalogue.get(source, name).unwrap();
        let payload = serde_json::to_vec(&event.examples[0]).unwrap();
        let validator = catalogue.validator(source, name).unwrap();
        let count = allocations_during(|| {
            for _ in 0..100 {
                assert!(validator.validate(&payload).is_ok());
            }
        });
        assert_eq!(count, 0, "{source} {name}");
    }
}

#[test]
fn validating_by_name_with_the_lookup_included_does_not_allocate() {
    let catalogue = Catalogue::builtin();
    let template = "{channel}.message.sent";
    for (source, name, event) in [
        (
            "accelbyte-wallet",
            "walletBalanceChanged",
            "walletBalanceChanged",
        ),
        ("inplayer-notifications", "access.granted", "access.granted"),
        ("orangepill-stream", "user.created", "user.created"),
        // A templated event, under its concrete name and under the template.
        ("orangepill-stream", "sms.message.sent", template),
        ("orangepill-stream", template, template),
    ] {
        let example = &catalogue.get(source, event).unwrap().examples[0];
        let payload = serde_json::to_vec(example).unwrap();
        let count = allocations_during(|| {
            for _ in 0..100 {
                let report = catalogue.validate(source, name, &payload).unwrap();
                assert!(report.is_ok(), "{source} {name}: {report:?}");
            }
        });
        assert_eq!(count, 0, "{source} {name}");
    }
}

/// Forty patterns `*.….*.#.end` with 0 to 39 stars: against a long topic each
/// leaves its own looping `#` node live, about 40 states at once.
fn hash_heavy_router() -> Router {
    let mut router = Router::new();
    for stars in 0..40 {
        let pattern = format!("{}#.end", "*.".repeat(stars));
        router
            .subscribe(&Pattern::parse(&pattern).unwrap(), stars as u64)
            .unwrap();
    }
    router
}

#[test]
fn a_reused_scratch_makes_matches_with_many_live_states_allocation_free() {
    let heavy = hash_heavy_router();
    let topic = format!("{}end", "x.".repeat(60));
    let mut ids = Vec::with_capacity(64);
    // More states than the inline ones: a match without a kept scratch spills.
    assert!(allocations_during(|| heavy.match_into(&topic, &mut ids).unwrap()) > 0);

    let mut scratch = MatchScratch::new();
    heavy
        .match_into_with(&topic, &mut ids, &mut scratch)
        .unwrap();
    let count = allocations_during(|| {
        for _ in 0..10 {
            heavy
                .match_into_with(&topic, &mut ids, &mut scratch)
                .unwrap();
        }
    });
    assert_eq!(count, 0);
    assert_eq!(ids, (0..40).collect::<Vec<u64>>());

    // The scratch holds no answers: it serves another router just as well.
    router()
        .match_into_with("payment.card.failed", &mut ids, &mut scratch)
        .unwrap();
    assert_eq!(ids, [3, 7, 10]);
}

#[test]
fn a_match_cache_reuses_its_scratch_for_topics_it_has_not_seen() {
    let snapshot = hash_heavy_router().snapshot();
    let mut cache = MatchCache::with_capacity(0); // caches nothing: every call walks
    let mut ids = Vec::with_capacity(64);
    let topic = format!("{}end", "x.".repeat(60));
    snapshot.match_cached(&topic, &mut cache, &mut ids).unwrap();
    let count = allocations_during(|| {
        for _ in 0..10 {
            snapshot.match_cached(&topic, &mut cache, &mut ids).unwrap();
        }
    });
    assert_eq!(count, 0);
    assert_eq!(ids.len(), 40);
}
