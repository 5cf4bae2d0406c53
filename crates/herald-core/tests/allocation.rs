//! "No allocation per match when the caller's buffer is large enough"
//! (DESIGN.md §3), counted by a global allocator that this test binary
//! installs. The count is per thread, so tests running in parallel do not
//! disturb each other.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use herald_core::{Pattern, Router};

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
