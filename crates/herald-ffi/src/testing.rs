//! Test-only exports (cargo feature `testing`, header guard `HERALD_TESTING`).
//!
//! The forced panics unwind with `resume_unwind`, which skips the panic hook:
//! the guard still sees a panic, and test output gets no backtrace notice
//! for a panic that was meant to happen.

use crate::boundary::{guard, try_mut, try_ref};
use crate::catalogue::herald_catalogue;
use crate::error::herald_error;
use crate::router::herald_router;
use crate::status::herald_status;

/// Panics inside the guard while using `catalogue`, so tests can check that
/// the panic becomes `HERALD_STATUS_PANIC` and poisons that handle only.
///
/// # Safety
/// `catalogue` is a live catalogue; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_debug_panic_catalogue(
    catalogue: *const herald_catalogue,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        try_ref!(call, catalogue)?;
        std::panic::resume_unwind(Box::new("forced by herald_debug_panic_catalogue"))
    })
}

/// Panics inside the guard while using `router`, which poisons that router only.
///
/// # Safety
/// `router` is a live router; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_debug_panic_router(
    router: *mut herald_router,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        try_mut!(call, router)?;
        std::panic::resume_unwind(Box::new("forced by herald_debug_panic_router"))
    })
}
