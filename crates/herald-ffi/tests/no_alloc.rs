//! The C ABI's hot calls do not touch the heap on success: no error is built
//! unless something failed, matching writes into the caller's buffer, and a
//! prepared validator makes no report for a clean payload.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ptr;

use herald::catalogue::{herald_catalogue_builtin, herald_catalogue_free};
use herald::error::herald_error_new;
use herald::router::{
    herald_router_free, herald_router_match, herald_router_new, herald_router_subscribe,
};
use herald::status::herald_status;
use herald::topic::herald_topic_validate;
use herald::validate::{
    herald_catalogue_validator, herald_report, herald_validator_free, herald_validator_validate,
};

struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; the counter never allocates.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: `pointer` came from `System.alloc` with this layout.
        unsafe { System.dealloc(pointer, layout) }
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
fn matching_and_topic_checks_do_not_allocate_on_success() {
    let router = herald_router_new();
    let error = herald_error_new();
    for (pattern, id) in [
        ("payment.#", 1u64),
        ("*.card.success", 2),
        ("payment.card.success", 3),
    ] {
        // SAFETY: a live router and a valid pattern.
        let status = unsafe {
            herald_router_subscribe(
                router,
                pattern.as_ptr().cast(),
                pattern.len(),
                id,
                ptr::null_mut(),
                error,
            )
        };
        assert_eq!(status, herald_status::Ok);
    }
    let topic = "payment.card.success";
    let mut ids = [0u64; 8];
    let mut len = 0usize;
    let count = allocations_during(|| {
        for _ in 0..100 {
            // SAFETY: live router and error, valid buffers.
            let status = unsafe {
                herald_router_match(
                    router,
                    topic.as_ptr().cast(),
                    topic.len(),
                    ids.as_mut_ptr(),
                    ids.len(),
                    &mut len,
                    error,
                )
            };
            assert_eq!(status, herald_status::Ok);
            // SAFETY: valid topic and error.
            let status =
                unsafe { herald_topic_validate(topic.as_ptr().cast(), topic.len(), error) };
            assert_eq!(status, herald_status::Ok);
        }
    });
    assert_eq!(len, 3);
    assert_eq!(count, 0);
    // SAFETY: freed once each.
    unsafe {
        herald_router_free(router);
        herald::error::herald_error_free(error);
    }
}

#[test]
fn validating_a_clean_payload_with_a_prepared_validator_does_not_allocate() {
    let catalogue = herald_catalogue_builtin();
    let error = herald_error_new();
    let (source, name) = ("accelbyte-wallet", "walletBalanceChanged");
    let mut validator = ptr::null();
    // SAFETY: a live catalogue, valid names and output.
    let status = unsafe {
        herald_catalogue_validator(
            catalogue,
            source.as_ptr().cast(),
            source.len(),
            name.as_ptr().cast(),
            name.len(),
            ptr::null(),
            &mut validator,
            error,
        )
    };
    assert_eq!(status, herald_status::Ok);
    let payload = br#"{"type":"walletBalanceChanged","payload":{"action":"bulkCredit","data":{"namespace":"ns","userId":"u1","currencyCode":"USD","amount":500,"reason":"Purchase","origin":"System"}}}"#;
    let (mut errors, mut warnings) = (usize::MAX, usize::MAX);
    let mut report: *mut herald_report = ptr::null_mut();
    let count = allocations_during(|| {
        for _ in 0..100 {
            // SAFETY: a live validator, a valid payload and outputs.
            let status = unsafe {
                herald_validator_validate(
                    validator,
                    payload.as_ptr(),
                    payload.len(),
                    &mut errors,
                    &mut warnings,
                    &mut report,
                    error,
                )
            };
            assert_eq!(status, herald_status::Ok);
        }
    });
    assert_eq!((errors, warnings), (0, 0));
    assert!(report.is_null(), "a clean payload gets no report");
    assert_eq!(count, 0);
    // SAFETY: freed once each.
    unsafe {
        herald_validator_free(validator);
        herald_catalogue_free(catalogue);
        herald::error::herald_error_free(error);
    }
}
