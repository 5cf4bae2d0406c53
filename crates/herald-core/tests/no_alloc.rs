//! Hot-path operations that must not touch the heap, proved by counting
//! allocations on this thread.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use herald_core::Catalogue;

struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counter is a thread-local `Cell` that never allocates.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
        // SAFETY: same layout contract as our caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
        // SAFETY: same contract as our caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn allocations_during(work: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    work();
    ALLOCATIONS.with(Cell::get) - before
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
