//! The ABI boundary: the panic guard, pointer and text checks, caller
//! buffers, and handle poisoning. Every export goes through here.

use std::borrow::Cow;
use std::os::raw::c_char;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::herald_error;
use crate::status::herald_status;

/// Why a call failed, before it is written into a `herald_error`.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: herald_status,
    pub(crate) code: Cow<'static, str>,
    pub(crate) message: String,
    pub(crate) pointer: String,
}

impl Failure {
    pub(crate) fn new(
        status: herald_status,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Failure {
        Failure {
            status,
            code: code.into(),
            message: message.into(),
            pointer: String::new(),
        }
    }

    pub(crate) fn at(mut self, pointer: impl Into<String>) -> Failure {
        self.pointer = pointer.into();
        self
    }

    pub(crate) fn null(argument: &'static str) -> Failure {
        Failure::new(
            herald_status::NullArgument,
            "null_argument",
            format!("`{argument}` is NULL"),
        )
    }

    fn panic(payload: &(dyn std::any::Any + Send)) -> Failure {
        let detail = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("no message");
        Failure::new(
            herald_status::Panic,
            "panic",
            format!("internal error: {detail}"),
        )
    }

    pub(crate) fn poisoned() -> Failure {
        Failure::new(
            herald_status::Poisoned,
            "poisoned",
            "this handle saw an internal error earlier and can no longer be used",
        )
    }
}

/// Runs an export body: catches panics, records failures in `error` (when not
/// NULL) and returns the status.
pub(crate) fn guard(
    error: *mut herald_error,
    body: impl FnOnce() -> Result<(), Failure>,
) -> herald_status {
    let failure = match panic::catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return herald_status::Ok,
        Ok(Err(failure)) => failure,
        Err(payload) => Failure::panic(payload.as_ref()),
    };
    let status = failure.status;
    // SAFETY: every export documents `error` as NULL or a live error object
    // used by one thread at a time.
    if let Some(error) = unsafe { error.as_mut() } {
        error.set(failure);
    }
    status
}

/// Like [`guard`] for a call on a handle: refuses a poisoned handle and
/// poisons it if the body panics.
pub(crate) fn guard_handle(
    poison: &Poison,
    error: *mut herald_error,
    body: impl FnOnce() -> Result<(), Failure>,
) -> herald_status {
    let status = guard(error, || {
        if poison.is_set() {
            Err(Failure::poisoned())
        } else {
            body()
        }
    });
    if status == herald_status::Panic {
        poison.set();
    }
    status
}

/// An object handed to C that carries a poisoned flag.
pub(crate) trait Guarded {
    /// The handle's poisoned flag.
    fn poison(&self) -> &Poison;
}

/// Runs an export body on a shared handle: NULL is `HERALD_STATUS_NULL_ARGUMENT`,
/// a poisoned handle is refused, a panic poisons it.
pub(crate) fn with_handle<T: Guarded>(
    handle: Option<&T>,
    argument: &'static str,
    error: *mut herald_error,
    body: impl FnOnce(&T) -> Result<(), Failure>,
) -> herald_status {
    match handle {
        None => guard(error, || Err(Failure::null(argument))),
        Some(handle) => guard_handle(handle.poison(), error, || body(handle)),
    }
}

/// [`with_handle`] for calls that change the handle.
pub(crate) fn with_handle_mut<T: Guarded>(
    handle: Option<&mut T>,
    argument: &'static str,
    error: *mut herald_error,
    body: impl FnOnce(&mut T) -> Result<(), Failure>,
) -> herald_status {
    let Some(handle) = handle else {
        return guard(error, || Err(Failure::null(argument)));
    };
    if handle.poison().is_set() {
        return guard(error, || Err(Failure::poisoned()));
    }
    let status = guard(error, || body(&mut *handle));
    if status == herald_status::Panic {
        handle.poison().set();
    }
    status
}

/// Frees an object handed to C with `Box::into_raw`. NULL is a no-op; a panic
/// while dropping is caught (a `_free` has no status to report it with, and
/// must never unwind into C).
///
/// # Safety
/// `ptr` is NULL or came from `Box::<T>::into_raw` and is not used again.
pub(crate) unsafe fn free_boxed<T>(ptr: *mut T) {
    if ptr.is_null() {
        return;
    }
    // SAFETY: guaranteed by the caller; the box is dropped exactly once.
    let owned = unsafe { Box::from_raw(ptr) };
    let _ = panic::catch_unwind(AssertUnwindSafe(move || drop(owned)));
}

/// Drops one reference handed to C with `Arc::into_raw`; the last one frees
/// the object. NULL is a no-op; a panic while dropping is caught.
///
/// # Safety
/// `ptr` is NULL or a reference from `Arc::<T>::into_raw` that is not used again.
pub(crate) unsafe fn release_shared<T>(ptr: *const T) {
    if ptr.is_null() {
        return;
    }
    // SAFETY: guaranteed by the caller; the reference is released exactly once.
    let shared = unsafe { std::sync::Arc::from_raw(ptr) };
    let _ = panic::catch_unwind(AssertUnwindSafe(move || drop(shared)));
}

/// For exports that return a plain value (a version, a static string, a
/// clone): `fallback` if the body panics.
pub(crate) fn catch_or<R>(fallback: R, body: impl FnOnce() -> R) -> R {
    panic::catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// For exports that read a plain value off a handle (counts, flags):
/// `fallback` for NULL, for a poisoned handle, and if the body panics.
pub(crate) fn read_or<T: Guarded, R>(
    handle: Option<&T>,
    fallback: R,
    body: impl FnOnce(&T) -> R,
) -> R {
    match handle {
        Some(handle) if !handle.poison().is_set() => catch_or(fallback, || body(handle)),
        _ => fallback,
    }
}

/// For the few exports that return a pointer: a panic gives NULL.
pub(crate) fn catch_null<T>(body: impl FnOnce() -> *mut T) -> *mut T {
    panic::catch_unwind(AssertUnwindSafe(body)).unwrap_or(std::ptr::null_mut())
}

/// The poisoned flag every handle carries.
#[derive(Debug, Default)]
pub(crate) struct Poison(AtomicBool);

impl Poison {
    pub(crate) fn is_set(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }

    pub(crate) fn set(&self) {
        self.0.store(true, Ordering::Release);
    }
}

/// Borrows a handle argument.
///
/// # Safety
/// `ptr` is NULL or points to a live `T` for the duration of the call.
pub(crate) unsafe fn handle<'a, T>(
    ptr: *const T,
    argument: &'static str,
) -> Result<&'a T, Failure> {
    // SAFETY: guaranteed by the caller.
    unsafe { ptr.as_ref() }.ok_or_else(|| Failure::null(argument))
}

/// Writes an optional output: NULL means the caller does not want it.
///
/// # Safety
/// `ptr` is NULL or valid for writing a `T`.
pub(crate) unsafe fn write_optional<T>(ptr: *mut T, value: T) {
    // SAFETY: guaranteed by the caller.
    if let Some(slot) = unsafe { ptr.as_mut() } {
        *slot = value;
    }
}

/// Borrows a caller's array of `len` items for writing. NULL is allowed only
/// with `len` 0 (a size query).
///
/// # Safety
/// `ptr` is NULL or valid for writing `len` items of `T`.
pub(crate) unsafe fn array_out<'a, T>(
    ptr: *mut T,
    len: usize,
    argument: &'static str,
) -> Result<&'a mut [T], Failure> {
    if len == 0 {
        return Ok(&mut []);
    }
    if ptr.is_null() {
        return Err(Failure::null(argument));
    }
    if len > isize::MAX as usize / std::mem::size_of::<T>().max(1) {
        return Err(Failure::new(
            herald_status::InvalidArgument,
            "invalid_argument",
            format!("`{argument}` capacity {len} is larger than any array can be"),
        ));
    }
    // SAFETY: non-NULL and the caller guarantees `len` writable items.
    Ok(unsafe { std::slice::from_raw_parts_mut(ptr, len) })
}

/// Borrows a caller's array of `len` items for reading. NULL is allowed only
/// with `len` 0.
///
/// # Safety
/// `ptr` is NULL or valid for reading `len` items of `T`.
pub(crate) unsafe fn array_in<'a, T>(
    ptr: *const T,
    len: usize,
    argument: &'static str,
) -> Result<&'a [T], Failure> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Failure::null(argument));
    }
    if len > isize::MAX as usize / std::mem::size_of::<T>().max(1) {
        return Err(Failure::new(
            herald_status::InvalidArgument,
            "invalid_argument",
            format!("`{argument}` count {len} is larger than any array can be"),
        ));
    }
    // SAFETY: non-NULL and the caller guarantees `len` readable items.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Reports `needed` items: fine when it fits `capacity`, else
/// `HERALD_STATUS_BUFFER_TOO_SMALL`. `*out_len` is written either way.
pub(crate) fn report_len(
    needed: usize,
    capacity: usize,
    out_len: &mut usize,
) -> Result<(), Failure> {
    *out_len = needed;
    if needed > capacity {
        return Err(Failure::new(
            herald_status::BufferTooSmall,
            "buffer_too_small",
            format!("{needed} items needed, the buffer holds {capacity}"),
        ));
    }
    Ok(())
}

/// Borrows an output location; checked before any work so that a NULL output
/// fails fast.
///
/// # Safety
/// `ptr` is NULL or valid for writing a `T`.
pub(crate) unsafe fn output<'a, T>(
    ptr: *mut T,
    argument: &'static str,
) -> Result<&'a mut T, Failure> {
    // SAFETY: guaranteed by the caller; outputs are plain data, so writing
    // over whatever the caller left there drops nothing.
    unsafe { ptr.as_mut() }.ok_or_else(|| Failure::null(argument))
}

/// Borrows `len` bytes at `ptr`. NULL is refused even when `len` is 0.
///
/// # Safety
/// `ptr` is NULL or valid for reading `len` bytes during the call.
pub(crate) unsafe fn bytes<'a>(
    ptr: *const u8,
    len: usize,
    argument: &'static str,
) -> Result<&'a [u8], Failure> {
    if ptr.is_null() {
        return Err(Failure::null(argument));
    }
    if len > isize::MAX as usize {
        return Err(Failure::new(
            herald_status::InvalidArgument,
            "invalid_argument",
            format!("`{argument}` length {len} is larger than any object can be"),
        ));
    }
    // SAFETY: non-NULL, and the caller guarantees `len` readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Borrows `len` bytes at `ptr` as UTF-8 text.
///
/// # Safety
/// As for [`bytes`].
pub(crate) unsafe fn text<'a>(
    ptr: *const c_char,
    len: usize,
    argument: &'static str,
) -> Result<&'a str, Failure> {
    // SAFETY: forwarded contract.
    let bytes = unsafe { bytes(ptr.cast(), len, argument) }?;
    std::str::from_utf8(bytes).map_err(|error| {
        Failure::new(
            herald_status::InvalidUtf8,
            "invalid_utf8",
            format!(
                "`{argument}` is not valid UTF-8 (byte {})",
                error.valid_up_to()
            ),
        )
    })
}

/// A caller-provided byte buffer with its capacity and length report.
pub(crate) struct OutBuffer<'a> {
    buffer: *mut u8,
    capacity: usize,
    out_len: &'a mut usize,
}

impl<'a> OutBuffer<'a> {
    /// Checks the buffer arguments: `out_len` is required; `buffer` may be
    /// NULL only when `capacity` is 0 (a size query).
    ///
    /// # Safety
    /// `buffer` is NULL or valid for writing `capacity` bytes; `out_len` is
    /// NULL or valid for writing.
    pub(crate) unsafe fn new(
        buffer: *mut u8,
        capacity: usize,
        out_len: *mut usize,
    ) -> Result<OutBuffer<'a>, Failure> {
        // SAFETY: forwarded contract.
        let out_len = unsafe { output(out_len, "out_len") }?;
        if buffer.is_null() && capacity != 0 {
            return Err(Failure::null("buffer"));
        }
        Ok(OutBuffer {
            buffer,
            capacity,
            out_len,
        })
    }

    /// Copies `data` into the buffer, or reports the size needed.
    pub(crate) fn fill(self, data: &[u8]) -> Result<(), Failure> {
        *self.out_len = data.len();
        if data.len() > self.capacity {
            return Err(Failure::new(
                herald_status::BufferTooSmall,
                "buffer_too_small",
                format!(
                    "{} bytes needed, the buffer holds {}",
                    data.len(),
                    self.capacity
                ),
            ));
        }
        if !data.is_empty() {
            // SAFETY: `buffer` is valid for `capacity >= data.len()` bytes
            // (checked in `new`) and cannot overlap our own `data`.
            unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), self.buffer, data.len()) };
        }
        Ok(())
    }
}
