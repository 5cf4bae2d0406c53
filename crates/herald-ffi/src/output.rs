//! Owned results of variable size: `herald_buffer` (one byte string, e.g. a
//! rendered document) and `herald_list` (several, e.g. reply frames). A call
//! produces the result once, at its exact size, and hands it over; the
//! caller reads it and frees it. Fixed-size items that a hot path asks for
//! again and again (matched subscriber ids) go into caller arrays instead;
//! see `herald_router_match`.

use crate::boundary::{Failure, free, get_or, guard, try_out, try_ref};
use crate::error::herald_error;
use crate::handle::{self, Castable, Opaque, Owned};
use crate::status::herald_status;
use crate::text::herald_bytes;

/// An owned byte string made by the library: a document (JSON, AsyncAPI), an
/// encoded wire message. Read it with `herald_buffer_data` and
/// `herald_buffer_len`; free it with `herald_buffer_free`. The data is
/// followed by a NUL byte that `herald_buffer_len` does not count, so a text
/// document can also be used as a C string.
///
/// Thread safety: immutable; any number of threads may read it.
#[derive(Debug)]
pub struct herald_buffer {
    _opaque: Opaque,
}

impl Castable for herald_buffer {
    type Ownership = Owned;
    /// The bytes followed by one NUL.
    type Value = Vec<u8>;
}

/// Hands `bytes` to C as a buffer.
pub(crate) fn into_buffer(bytes: impl Into<Vec<u8>>) -> *mut herald_buffer {
    let mut bytes = bytes.into();
    bytes.push(0);
    handle::into_owned(bytes)
}

/// The first byte of the buffer's data, which is followed by a NUL byte.
/// Never NULL: a NULL or poisoned buffer gives an empty string. Valid until
/// the buffer is freed.
///
/// # Safety
/// `buffer` is NULL or a live buffer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_buffer_data(buffer: *const herald_buffer) -> *const u8 {
    get_or!(buffer, c"".as_ptr().cast(), |bytes| bytes.as_ptr())
}

/// The length of the buffer's data in bytes, without the trailing NUL (0 for
/// NULL or a poisoned buffer).
///
/// # Safety
/// `buffer` is NULL or a live buffer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_buffer_len(buffer: *const herald_buffer) -> usize {
    get_or!(buffer, 0, |bytes| bytes.len().saturating_sub(1))
}

/// Frees a buffer. NULL is a no-op.
///
/// # Safety
/// `buffer` is NULL or came from this library and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_buffer_free(buffer: *mut herald_buffer) {
    free!(buffer)
}

/// An owned list of byte strings made by the library: the frames of a realm
/// reply, the URLs of a delivery. Read it with `herald_list_count` and
/// `herald_list_at`; free it with `herald_list_free`.
///
/// Thread safety: immutable; any number of threads may read it.
#[derive(Debug)]
pub struct herald_list {
    _opaque: Opaque,
}

impl Castable for herald_list {
    type Ownership = Owned;
    type Value = Vec<Vec<u8>>;
}

/// Hands `items` to C as a list.
pub(crate) fn into_list(items: Vec<Vec<u8>>) -> *mut herald_list {
    handle::into_owned(items)
}

/// Number of items (0 for NULL or a poisoned list).
///
/// # Safety
/// `list` is NULL or a live list.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_list_count(list: *const herald_list) -> usize {
    get_or!(list, 0, |items| items.len())
}

/// Item number `index` as a view valid while the list lives.
/// `HERALD_STATUS_OUT_OF_RANGE` past the end.
///
/// # Safety
/// `list` is a live list; `out` is valid for writing; `error` is NULL or a
/// live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_list_at(
    list: *const herald_list,
    index: usize,
    out: *mut herald_bytes,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let items = try_ref!(call, list)?;
        let out = try_out!(out)?;
        let item = items
            .get(index)
            .ok_or_else(|| Failure::out_of_range(index))?;
        *out = herald_bytes::borrow(item);
        Ok(())
    })
}

/// Frees a list. NULL is a no-op.
///
/// # Safety
/// `list` is NULL or came from this library and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_list_free(list: *mut herald_list) {
    free!(list)
}
