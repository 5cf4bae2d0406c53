//! `herald_error`: the detail of a failed call.

use crate::boundary::{ErrorRecord, free, get_or};
use crate::handle::{self, Castable, Opaque, Owned};
use crate::status::herald_status;
use crate::text::herald_str;

/// Details of the last failure of the calls it was passed to: a status, a
/// stable code such as `"empty_segment"`, a message and, for payload and
/// document problems, a JSON Pointer or document path.
///
/// A call that succeeds leaves the error untouched; read it only after a call
/// returned something other than `HERALD_STATUS_OK`. Successful calls never
/// allocate for it, so one error object per thread, passed to every call, is
/// the usual pattern.
///
/// Thread safety: one thread at a time.
#[derive(Debug)]
pub struct herald_error {
    _opaque: Opaque,
}

impl Castable for herald_error {
    type Ownership = Owned;
    type Value = ErrorRecord;
}

/// Creates an empty error object (status `HERALD_STATUS_OK`). Free it with
/// `herald_error_free`. Returns NULL only if allocation panicked.
#[unsafe(no_mangle)]
pub extern "C" fn herald_error_new() -> *mut herald_error {
    handle::create_owned(ErrorRecord::empty)
}

/// Frees an error object. `NULL` is a no-op.
///
/// # Safety
/// `error` is NULL or came from `herald_error_new` and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_error_free(error: *mut herald_error) {
    free!(error)
}

/// The status of the recorded failure (`HERALD_STATUS_NULL_ARGUMENT` when
/// `error` is NULL).
///
/// # Safety
/// `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_error_status(error: *const herald_error) -> herald_status {
    if error.is_null() {
        return herald_status::NullArgument;
    }
    get_or!(error, herald_status::Panic, |error| error.status)
}

/// The stable machine-readable code of the failure, e.g. `"empty_segment"`,
/// `"null_argument"`. Valid until `error` is next written or freed; empty
/// when `error` is NULL or holds no failure.
///
/// # Safety
/// `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_error_code(error: *const herald_error) -> herald_str {
    get_or!(error, herald_str::empty(), |error| herald_str::borrow(
        &error.code
    ))
}

/// A human-readable message naming what was wrong and where. Valid until
/// `error` is next written or freed.
///
/// # Safety
/// `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_error_message(error: *const herald_error) -> herald_str {
    get_or!(error, herald_str::empty(), |error| herald_str::borrow(
        &error.message
    ))
}

/// Where the problem is: a JSON Pointer into a payload, or a path inside a
/// catalogue document. Empty when the failure has no location. Valid until
/// `error` is next written or freed.
///
/// # Safety
/// `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_error_pointer(error: *const herald_error) -> herald_str {
    get_or!(error, herald_str::empty(), |error| herald_str::borrow(
        &error.pointer
    ))
}
