//! Test-only exports (cargo feature `testing`, header guard `HERALD_TESTING`).

use crate::boundary;
use crate::catalogue::herald_catalogue;
use crate::error::herald_error;
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
    // SAFETY: forwarded from this function's contract.
    let Ok(handle) = (unsafe { boundary::handle(catalogue, "catalogue") }) else {
        return boundary::guard(error, || Err(boundary::Failure::null("catalogue")));
    };
    boundary::guard_handle(&handle.poison, error, || {
        panic!("forced by herald_debug_panic_catalogue")
    })
}

/// Panics inside the guard while using `router`, which poisons that router only.
///
/// # Safety
/// `router` is a live router; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_debug_panic_router(
    router: *mut crate::router::herald_router,
    error: *mut herald_error,
) -> herald_status {
    // SAFETY: forwarded from this function's contract.
    let Ok(handle) = (unsafe { boundary::handle(router.cast_const(), "router") }) else {
        return boundary::guard(error, || Err(boundary::Failure::null("router")));
    };
    boundary::guard_handle(handle.poison(), error, || {
        panic!("forced by herald_debug_panic_router")
    })
}
