//! The ABI boundary: the panic guard, the checks every argument goes
//! through, and the macros exports are written with.
//!
//! Every export that runs code does so inside [`guard!`] (calls that return
//! a status), [`get_or!`] (getters that return a plain value), or the
//! `handle` helpers behind [`free!`], [`add_ref!`] and the constructors.
//! Arguments are read with the `try_*!` macros. Each macro holds the one
//! `unsafe` block, and the one SAFETY argument, for its kind of argument:
//! the export's `# Safety` section (which the header shows to C callers)
//! promises what that argument is, and the macro relies on exactly that
//! promise. Export bodies therefore contain no `unsafe` of their own.
//!
//! This module never calls into `herald-core`; it knows pointers, lengths,
//! statuses and handles, not events or routes.

use std::borrow::Cow;
use std::os::raw::c_char;
use std::panic::{self, AssertUnwindSafe};

use crate::handle::{Object, Poison};
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

    pub(crate) fn null(argument: &str) -> Failure {
        Failure::new(
            herald_status::NullArgument,
            "null_argument",
            format!("`{argument}` is NULL"),
        )
    }

    pub(crate) fn invalid_argument(message: String) -> Failure {
        Failure::new(herald_status::InvalidArgument, "invalid_argument", message)
    }

    pub(crate) fn out_of_range(index: usize) -> Failure {
        Failure::new(
            herald_status::OutOfRange,
            "out_of_range",
            format!("index {index} is past the end"),
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

    fn poisoned() -> Failure {
        Failure::new(
            herald_status::Poisoned,
            "poisoned",
            "this handle saw an internal error earlier and can no longer be used",
        )
    }
}

/// Where a failure is recorded for the caller (the value behind `herald_error`).
#[derive(Debug)]
pub(crate) struct ErrorRecord {
    pub(crate) status: herald_status,
    pub(crate) code: Cow<'static, str>,
    pub(crate) message: String,
    pub(crate) pointer: String,
}

impl ErrorRecord {
    pub(crate) fn empty() -> ErrorRecord {
        ErrorRecord {
            status: herald_status::Ok,
            code: Cow::Borrowed(""),
            message: String::new(),
            pointer: String::new(),
        }
    }

    fn record(&mut self, failure: Failure) {
        self.status = failure.status;
        self.code = failure.code;
        self.message = failure.message;
        self.pointer = failure.pointer;
    }
}

/// The handles one call uses: each is refused if poisoned, and poisoned if
/// the call panics. No export uses more than [`Call::MAX_HANDLES`].
#[derive(Debug, Default)]
pub(crate) struct Call<'a> {
    used: [Option<&'a Poison>; Call::MAX_HANDLES],
}

impl<'a> Call<'a> {
    const MAX_HANDLES: usize = 3;

    /// Borrows a handle argument for reading (see [`try_ref!`]).
    pub(crate) fn enter<T>(
        &mut self,
        argument: &'static str,
        object: Option<&'a Object<T>>,
    ) -> Result<&'a T, Failure> {
        let object = object.ok_or_else(|| Failure::null(argument))?;
        self.watch(&object.poison)?;
        Ok(&object.value)
    }

    /// Borrows an owned handle argument for a change (see [`try_mut!`]).
    pub(crate) fn enter_mut<T>(
        &mut self,
        argument: &'static str,
        object: Option<&'a mut Object<T>>,
    ) -> Result<&'a mut T, Failure> {
        let Object { poison, value } = object.ok_or_else(|| Failure::null(argument))?;
        self.watch(poison)?;
        Ok(value)
    }

    /// Borrows an optional handle argument: NULL is `None` (see [`try_opt_ref!`]).
    pub(crate) fn enter_optional<T>(
        &mut self,
        object: Option<&'a Object<T>>,
    ) -> Result<Option<&'a T>, Failure> {
        object
            .map(|object| {
                self.watch(&object.poison)?;
                Ok(&object.value)
            })
            .transpose()
    }

    fn watch(&mut self, poison: &'a Poison) -> Result<(), Failure> {
        if poison.is_set() {
            return Err(Failure::poisoned());
        }
        let slot = self.used.iter_mut().find(|slot| slot.is_none());
        debug_assert!(
            slot.is_some(),
            "an export uses more than MAX_HANDLES handles"
        );
        if let Some(slot) = slot {
            *slot = Some(poison);
        }
        Ok(())
    }

    fn poison_all(&self) {
        self.used.iter().flatten().for_each(|poison| poison.set());
    }
}

/// Runs an export body: catches panics (poisoning every handle the body
/// entered), records a failure in `error` (when not NULL) and returns the
/// status. Use it through [`guard!`].
pub(crate) fn guarded<'a>(
    error: Option<&mut ErrorRecord>,
    body: impl FnOnce(&mut Call<'a>) -> Result<(), Failure>,
) -> herald_status {
    let mut call = Call::default();
    let failure = match panic::catch_unwind(AssertUnwindSafe(|| body(&mut call))) {
        Ok(Ok(())) => return herald_status::Ok,
        Ok(Err(failure)) => failure,
        Err(payload) => {
            call.poison_all();
            let failure = Failure::panic(payload.as_ref());
            // Dropping the payload runs foreign code; it must not unwind either.
            let _ = panic::catch_unwind(AssertUnwindSafe(move || drop(payload)));
            failure
        }
    };
    let status = failure.status;
    if let Some(error) = error {
        // Writing the record can only fail by running out of memory, which aborts.
        error.record(failure);
    }
    status
}

/// For exports that return a plain value (counts, flags, views) off a handle:
/// `fallback` for NULL, for a poisoned handle, and if the body panics (which
/// poisons the handle). Use it through [`get_or!`].
pub(crate) fn read_or<T, R>(
    object: Option<&Object<T>>,
    fallback: R,
    body: impl FnOnce(&T) -> R,
) -> R {
    let Some(object) = object else {
        return fallback;
    };
    if object.poison.is_set() {
        return fallback;
    }
    panic::catch_unwind(AssertUnwindSafe(|| body(&object.value))).unwrap_or_else(|_| {
        object.poison.set();
        fallback
    })
}

/// For exports that use no handle and return a plain value: `fallback` if
/// the body panics.
pub(crate) fn catch_or<R>(fallback: R, body: impl FnOnce() -> R) -> R {
    panic::catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

fn too_long(argument: &str, what: &str, len: usize) -> Failure {
    Failure::invalid_argument(format!(
        "`{argument}` {what} {len} is larger than any array can be"
    ))
}

/// Borrows `len` bytes at `ptr`. NULL is refused even when `len` is 0.
///
/// # Safety
/// `ptr` is NULL or valid for reading `len` bytes during the call.
pub(crate) unsafe fn bytes<'a>(
    ptr: *const u8,
    len: usize,
    argument: &str,
) -> Result<&'a [u8], Failure> {
    if ptr.is_null() {
        return Err(Failure::null(argument));
    }
    if len > isize::MAX as usize {
        return Err(Failure::invalid_argument(format!(
            "`{argument}` length {len} is larger than any object can be"
        )));
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
    argument: &str,
) -> Result<&'a str, Failure> {
    // SAFETY: the same contract as ours.
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

/// Borrows a caller's array of `len` items for reading. NULL is allowed only
/// with `len` 0.
///
/// # Safety
/// `ptr` is NULL or valid for reading `len` items of `T`.
pub(crate) unsafe fn array_in<'a, T>(
    ptr: *const T,
    len: usize,
    argument: &str,
) -> Result<&'a [T], Failure> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Failure::null(argument));
    }
    if len > isize::MAX as usize / size_of::<T>().max(1) {
        return Err(too_long(argument, "count", len));
    }
    // SAFETY: non-NULL and the caller guarantees `len` readable items.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Borrows a caller's array of `len` items for writing. NULL is allowed only
/// with `len` 0 (a size query).
///
/// # Safety
/// `ptr` is NULL or valid for writing `len` items of `T`.
pub(crate) unsafe fn array_out<'a, T>(
    ptr: *mut T,
    len: usize,
    argument: &str,
) -> Result<&'a mut [T], Failure> {
    if len == 0 {
        return Ok(&mut []);
    }
    if ptr.is_null() {
        return Err(Failure::null(argument));
    }
    if len > isize::MAX as usize / size_of::<T>().max(1) {
        return Err(too_long(argument, "capacity", len));
    }
    // SAFETY: non-NULL and the caller guarantees `len` writable items.
    Ok(unsafe { std::slice::from_raw_parts_mut(ptr, len) })
}

/// Reports `needed` items of a caller array: fine when it fits `capacity`,
/// else `HERALD_STATUS_BUFFER_TOO_SMALL`. `*out_len` is written either way.
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

/// Borrows a required output location; checked before any work so that a
/// NULL output fails fast.
///
/// # Safety
/// `ptr` is NULL or valid for writing a `T`.
pub(crate) unsafe fn output<'a, T>(ptr: *mut T, argument: &str) -> Result<&'a mut T, Failure> {
    // SAFETY: guaranteed by the caller; outputs are plain data (numbers,
    // views, pointers), so writing over whatever the caller left there drops
    // nothing.
    unsafe { ptr.as_mut() }.ok_or_else(|| Failure::null(argument))
}

/// A struct the library fills whose first field, `size`, the caller sets to
/// the size of the struct it passes, so the struct may grow without breaking
/// programs built against an older header.
///
/// # Safety
/// Implementors are `#[repr(C)]` plain data whose first field is the
/// `size: usize`, and `SIZE_V2` is at most `size_of::<Self>()`.
pub(crate) unsafe trait Extensible: Copy {
    /// The smallest `size` accepted: the end of the last field of ABI 2.
    /// Fields added later come after it and are written only for callers
    /// whose `size` has room for them.
    const SIZE_V2: usize;
}

/// A checked output of an [`Extensible`] struct (see [`try_sized_out!`]).
#[derive(Debug)]
pub(crate) struct SizedOut<T> {
    ptr: *mut T,
    room: usize,
}

/// Checks an [`Extensible`] output: not NULL, and its `size` at least
/// `T::SIZE_V2`.
///
/// # Safety
/// `ptr` is NULL or points at a struct of the caller's version of `T` whose
/// `size` field holds its size, valid for writing that many bytes.
pub(crate) unsafe fn sized_output<T: Extensible>(
    ptr: *mut T,
    argument: &str,
) -> Result<SizedOut<T>, Failure> {
    if ptr.is_null() {
        return Err(Failure::null(argument));
    }
    // SAFETY: non-NULL and, by the caller's contract, a struct of at least
    // `size_of::<usize>()` bytes starting with `size` (`Extensible`).
    let room = unsafe { ptr.cast::<usize>().read() };
    if room < T::SIZE_V2 {
        return Err(Failure::invalid_argument(format!(
            "`{argument}->size` is {room}, but this struct needs at least {}; \
             set it to sizeof the struct",
            T::SIZE_V2
        )));
    }
    Ok(SizedOut { ptr, room })
}

impl<T: Extensible> SizedOut<T> {
    /// Writes as much of `value` as the caller has room for, with `size` set
    /// to the number of bytes written; a larger caller struct keeps its tail.
    pub(crate) fn write(self, value: T) {
        let written = self.room.min(size_of::<T>());
        let mut value = value;
        let start: *mut T = &mut value;
        // SAFETY: `value` is a `T`, which starts with the `size: usize` field
        // (`Extensible`).
        unsafe { start.cast::<usize>().write(written) };
        // SAFETY: `self.ptr` is valid for writing `self.room` bytes (checked
        // by `sized_output`, the only constructor), `written` is within both
        // structs, and the caller's struct cannot overlap our local `value`.
        unsafe {
            std::ptr::copy_nonoverlapping(
                start.cast::<u8>().cast_const(),
                self.ptr.cast::<u8>(),
                written,
            );
        }
    }
}

/// Writes an optional output: NULL means the caller does not want it.
///
/// # Safety
/// `ptr` is NULL or valid for writing a `T`.
pub(crate) unsafe fn write_wanted<T>(ptr: *mut T, value: T) {
    // SAFETY: guaranteed by the caller.
    if let Some(slot) = unsafe { ptr.as_mut() } {
        *slot = value;
    }
}

// The macros below are how exports read their arguments. Each evaluates the
// expressions it is given outside its `unsafe` block, so the code an export
// passes in is never itself in unsafe context. Each `unsafe` block relies on
// the contract every export states in its `# Safety` section: each pointer
// argument is NULL or valid as documented there (a live handle of its type
// from this library, used by no other thread if the call changes it; `len`
// readable bytes or items; a writable output), for the duration of the call.

/// Runs an export body inside the panic guard:
/// `guard!(error, |call| { ...; Ok(()) })` returns the `herald_status`.
/// `error` is the export's `herald_error *` argument; exports without one
/// (the limit setters) write `guard!(|call| ...)`.
macro_rules! guard {
    (|$call:ident| $body:expr) => {
        $crate::boundary::guarded(None, |$call| $body)
    };
    ($error:ident, $body:expr) => {{
        let error: *mut $crate::error::herald_error = $error;
        // SAFETY: `error` is NULL or a live error object used by one thread
        // at a time (every export's contract; see the comment above).
        let record = unsafe { $crate::handle::borrow_mut(error) }.map(|object| &mut object.value);
        $crate::boundary::guarded(record, $body)
    }};
}

/// Borrows a handle argument for reading: `try_ref!(call, catalogue)?`.
/// NULL is `HERALD_STATUS_NULL_ARGUMENT` naming the argument; a poisoned
/// handle is refused; a panic later in the call poisons it.
macro_rules! try_ref {
    ($call:ident, $handle:ident) => {{
        let handle = $handle;
        // SAFETY: a handle argument of an export: NULL or live, not changed
        // during the call (see the comment above `guard!`).
        let object = unsafe { $crate::handle::borrow(handle) };
        $call.enter(stringify!($handle), object)
    }};
}

/// Borrows an optional handle argument for reading: NULL is `Ok(None)`.
macro_rules! try_opt_ref {
    ($call:ident, $handle:ident) => {{
        let handle = $handle;
        // SAFETY: as for `try_ref!`.
        let object = unsafe { $crate::handle::borrow(handle) };
        $call.enter_optional(object)
    }};
}

/// Borrows an owned handle argument for a change: `try_mut!(call, router)?`.
macro_rules! try_mut {
    ($call:ident, $handle:ident) => {{
        let handle = $handle;
        // SAFETY: a handle argument of an export that changes it: NULL or
        // live and used by no other thread during the call (see the comment
        // above `guard!`).
        let object = unsafe { $crate::handle::borrow_mut(handle) };
        $call.enter_mut(stringify!($handle), object)
    }};
}

/// Reads `len` bytes of UTF-8 text: `try_str!(topic, topic_len)?`; the
/// argument's name (or the one given) goes into the error message.
macro_rules! try_str {
    ($ptr:ident, $len:expr) => {
        $crate::boundary::try_str!($ptr, $len, stringify!($ptr))
    };
    ($ptr:expr, $len:expr, $name:expr) => {{
        let (ptr, len, name) = ($ptr, $len, $name);
        // SAFETY: a text argument: NULL or `len` readable bytes (see the
        // comment above `guard!`).
        unsafe { $crate::boundary::text(ptr, len, name) }
    }};
}

/// Reads `len` bytes: `try_bytes!(payload, payload_len)?`; the argument's
/// name (or the one given, such as `headers[2].name`) goes into the error
/// message.
macro_rules! try_bytes {
    ($ptr:ident, $len:expr) => {
        $crate::boundary::try_bytes!($ptr, $len, stringify!($ptr))
    };
    ($ptr:expr, $len:expr, $name:expr) => {{
        let (ptr, len, name) = ($ptr, $len, $name);
        // SAFETY: a byte argument: NULL or `len` readable bytes (see the
        // comment above `guard!`); for the fields of a caller's struct, the
        // export's contract says the same of each field.
        unsafe { $crate::boundary::bytes(ptr, len, name) }
    }};
}

/// Reads a caller's array of `count` items: `try_slice!(events, event_count)?`.
macro_rules! try_slice {
    ($ptr:ident, $count:expr) => {{
        let (ptr, count) = ($ptr, $count);
        // SAFETY: an array argument: NULL or `count` readable items (see the
        // comment above `guard!`).
        unsafe { $crate::boundary::array_in(ptr, count, stringify!($ptr)) }
    }};
}

/// Borrows a caller's array of `capacity` items for writing:
/// `try_slice_mut!(out_ids, capacity)?`.
macro_rules! try_slice_mut {
    ($ptr:ident, $capacity:expr) => {{
        let (ptr, capacity) = ($ptr, $capacity);
        // SAFETY: an output array: NULL or `capacity` writable items (see the
        // comment above `guard!`).
        unsafe { $crate::boundary::array_out(ptr, capacity, stringify!($ptr)) }
    }};
}

/// Borrows a required output location: `try_out!(out)?`.
macro_rules! try_out {
    ($ptr:ident) => {{
        let ptr = $ptr;
        // SAFETY: an output argument: NULL or writable (see the comment above
        // `guard!`).
        unsafe { $crate::boundary::output(ptr, stringify!($ptr)) }
    }};
}

/// Checks an output struct with a leading `size` field: `try_sized_out!(out)?`.
macro_rules! try_sized_out {
    ($ptr:ident) => {{
        let ptr = $ptr;
        // SAFETY: an extensible output argument: NULL or a struct whose `size`
        // field holds its size, writable (see the comment above `guard!`).
        unsafe { $crate::boundary::sized_output(ptr, stringify!($ptr)) }
    }};
}

/// Writes an optional output (NULL: not wanted): `write_optional!(out_added, added)`.
macro_rules! write_optional {
    ($ptr:ident, $value:expr) => {{
        let (ptr, value) = ($ptr, $value);
        // SAFETY: an optional output argument: NULL or writable (see the
        // comment above `guard!`).
        unsafe { $crate::boundary::write_wanted(ptr, value) }
    }};
}

/// A getter's body: `get_or!(router, 0, |router| router.len())` gives the
/// fallback for NULL, a poisoned handle, or a panic.
macro_rules! get_or {
    ($handle:ident, $fallback:expr, $body:expr) => {{
        let handle = $handle;
        // SAFETY: a handle argument of a getter: NULL or live, not changed
        // during the call (see the comment above `guard!`).
        let object = unsafe { $crate::handle::borrow(handle) };
        $crate::boundary::read_or(object, $fallback, $body)
    }};
}

/// A `_free` export's body: `free!(router)`; NULL is a no-op.
macro_rules! free {
    ($handle:ident) => {{
        let handle = $handle;
        // SAFETY: a `_free` argument: NULL or a handle from this library that
        // the caller owns (or holds a reference to) and never uses again.
        unsafe { $crate::handle::release(handle) }
    }};
}

/// A `_clone` export's body: `add_ref!(catalogue)` returns the handle with
/// one more reference (NULL for NULL).
macro_rules! add_ref {
    ($handle:ident) => {{
        let handle = $handle;
        // SAFETY: a `_clone` argument: NULL or a live shared handle.
        unsafe { $crate::handle::add_ref(handle) }
    }};
}

/// Takes a counted reference to the object of a shared handle argument, for
/// a result that keeps it: `try_share!(catalogue)?` (NULL is
/// `HERALD_STATUS_NULL_ARGUMENT`).
macro_rules! try_share {
    ($handle:ident) => {{
        let handle = $handle;
        if handle.is_null() {
            Err($crate::boundary::Failure::null(stringify!($handle)))
        } else {
            // SAFETY: a shared handle argument of an export: live during the
            // call (see the comment above `guard!`).
            Ok(unsafe { $crate::handle::share(handle) })
        }
    }};
}

pub(crate) use {
    add_ref, free, get_or, guard, try_bytes, try_mut, try_opt_ref, try_out, try_ref, try_share,
    try_sized_out, try_slice, try_slice_mut, try_str, write_optional,
};

#[cfg(test)]
mod tests {
    use super::*;

    /// A struct as a later release might have it: `added` came after ABI 2.
    #[repr(C)]
    #[derive(Debug, Clone, Copy, PartialEq)]
    struct Grown {
        size: usize,
        first: u64,
        added: u64,
    }

    // SAFETY: `#[repr(C)]`, starts with `size: usize`; SIZE_V2 is within it.
    unsafe impl Extensible for Grown {
        const SIZE_V2: usize = std::mem::offset_of!(Grown, added);
    }

    /// The same struct as a program built against the ABI 2 header knows it.
    #[repr(C)]
    #[derive(Debug, Clone, Copy, PartialEq)]
    struct AsReleased {
        size: usize,
        first: u64,
    }

    fn grown() -> Grown {
        Grown {
            size: size_of::<Grown>(),
            first: 7,
            added: 9,
        }
    }

    #[test]
    fn an_older_caller_gets_only_the_fields_it_knows_and_their_size() {
        let mut older = [AsReleased { size: 0, first: 0 }; 2];
        older[0].size = size_of::<AsReleased>();
        let ptr = older.as_mut_ptr().cast::<Grown>();
        // SAFETY: `ptr` points at an `AsReleased` whose size field says so;
        // the second element catches any write past it.
        let out = unsafe { sized_output(ptr, "out") }.expect("large enough for ABI 2");
        out.write(grown());
        assert_eq!(older[0], AsReleased { size: 16, first: 7 });
        assert_eq!(older[1], AsReleased { size: 0, first: 0 });
    }

    #[test]
    fn a_newer_caller_keeps_its_tail_and_learns_how_much_was_filled() {
        let mut newer = [u64::MAX; 6];
        newer[0] = 48;
        // SAFETY: 48 writable bytes starting with the size field.
        let out = unsafe { sized_output(newer.as_mut_ptr().cast::<Grown>(), "out") }.unwrap();
        out.write(grown());
        assert_eq!(newer, [24, 7, 9, u64::MAX, u64::MAX, u64::MAX]);
    }

    #[test]
    fn a_size_below_abi_2_is_refused_and_nothing_is_written() {
        let mut small = [4u64, 1, 2];
        // SAFETY: a readable size field.
        let failure =
            unsafe { sized_output(small.as_mut_ptr().cast::<Grown>(), "out") }.unwrap_err();
        assert_eq!(failure.status, herald_status::InvalidArgument);
        assert!(
            failure.message.contains("`out->size` is 4"),
            "{}",
            failure.message
        );
        assert_eq!(small, [4, 1, 2]);
        // SAFETY: NULL is checked first.
        let failure = unsafe { sized_output(std::ptr::null_mut::<Grown>(), "out") }.unwrap_err();
        assert_eq!(failure.status, herald_status::NullArgument);
    }

    #[test]
    fn a_panic_poisons_every_handle_the_call_entered_and_only_those() {
        let (first, second, untouched) = (Object::new(1), Object::new(2), Object::new(3));
        let mut record = ErrorRecord::empty();
        let status = guarded(Some(&mut record), |call| {
            call.enter("first", Some(&first))?;
            call.enter("second", Some(&second))?;
            panic!("boom")
        });
        assert_eq!(status, herald_status::Panic);
        assert_eq!(record.message, "internal error: boom");
        assert!(first.poison.is_set() && second.poison.is_set());
        assert!(!untouched.poison.is_set());
        let status = guarded(None, |call| call.enter("first", Some(&first)).map(drop));
        assert_eq!(status, herald_status::Poisoned);
    }

    #[test]
    fn a_failure_is_recorded_and_a_success_leaves_the_record_alone() {
        let mut record = ErrorRecord::empty();
        let status = guarded(Some(&mut record), |call| {
            call.enter::<u8>("catalogue", None).map(drop)
        });
        assert_eq!(status, herald_status::NullArgument);
        assert_eq!(record.message, "`catalogue` is NULL");
        assert_eq!(guarded(Some(&mut record), |_| Ok(())), herald_status::Ok);
        assert_eq!(record.code, "null_argument");
    }
}
