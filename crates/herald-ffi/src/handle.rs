//! Handles: how a Rust value is handed to C behind an opaque pointer, and how
//! that pointer is borrowed, shared and freed again.
//!
//! Each opaque C type (`herald_router`, `herald_catalogue`, …) is an empty
//! marker struct that implements [`Castable`], naming the Rust value behind
//! it and its [`Ownership`]: [`Owned`] (one `Box`, freed by its `_free`) or
//! [`Shared`] (an `Arc`, with `_clone` adding and `_free` dropping a
//! reference). The pointer C holds really points at an [`Object`]: the value
//! and the poisoned flag of the panic boundary. The type system keeps the
//! rules: only owned handles are ever borrowed mutably, only shared ones are
//! cloned, and a pointer is only ever cast back to the type it was made from.
//!
//! This module never decides what a failure means for the caller; that is
//! `boundary`'s job.

use std::marker::PhantomData;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// An opaque C type and the Rust value its pointers point at.
pub(crate) trait Castable {
    /// How C holds it: [`Owned`] or [`Shared`].
    type Ownership: Ownership;
    /// The Rust value behind the pointer.
    type Value;
}

/// A handle C owns alone: made with `Box::into_raw`, freed once by its `_free`.
#[derive(Debug)]
pub(crate) enum Owned {}

/// A reference-counted handle: made with `Arc::into_raw`; `_clone` adds a
/// reference, `_free` drops one. Never borrowed mutably.
#[derive(Debug)]
pub(crate) enum Shared {}

/// How a pointer handed to C was made, and so how it is released.
pub(crate) trait Ownership {
    /// Gives up the owner (or the reference) that `object` stands for.
    ///
    /// # Safety
    /// `object` came from [`into_owned`] or [`into_shared`] of this ownership
    /// and is not used again by the caller.
    unsafe fn release<T>(object: *const Object<T>);
}

impl Ownership for Owned {
    unsafe fn release<T>(object: *const Object<T>) {
        // SAFETY: made by `Box::into_raw` in `into_owned` (the caller's
        // contract), and this is its only release.
        drop(unsafe { Box::from_raw(object.cast_mut()) });
    }
}

impl Ownership for Shared {
    unsafe fn release<T>(object: *const Object<T>) {
        // SAFETY: one reference made by `Arc::into_raw` in `into_shared` or
        // counted by `add_ref` (the caller's contract), released once.
        drop(unsafe { Arc::from_raw(object) });
    }
}

/// What a handle pointer points at: the value and its poisoned flag.
#[derive(Debug)]
pub(crate) struct Object<T> {
    pub(crate) poison: Poison,
    pub(crate) value: T,
}

impl<T> Object<T> {
    pub(crate) fn new(value: T) -> Object<T> {
        Object {
            poison: Poison::default(),
            value,
        }
    }
}

/// Set when a call panicked while using the handle; a poisoned handle refuses
/// every later call except `_free` (and `_clone` for shared ones).
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

fn object<C: Castable>(handle: *const C) -> *const Object<C::Value> {
    handle.cast()
}

/// Hands `value` to C as an owned handle.
pub(crate) fn into_owned<C: Castable<Ownership = Owned>>(value: C::Value) -> *mut C {
    Box::into_raw(Box::new(Object::new(value))).cast()
}

/// Hands `value` to C as a shared handle holding one reference.
pub(crate) fn into_shared<C: Castable<Ownership = Shared>>(value: C::Value) -> *const C {
    Arc::into_raw(Arc::new(Object::new(value))).cast()
}

/// Makes a handle for a constructor export: NULL if `make` panics.
pub(crate) fn create_owned<C: Castable<Ownership = Owned>>(
    make: impl FnOnce() -> C::Value,
) -> *mut C {
    panic::catch_unwind(AssertUnwindSafe(|| into_owned(make()))).unwrap_or(std::ptr::null_mut())
}

/// Makes a shared handle for a constructor export: NULL if `make` panics.
pub(crate) fn create_shared<C: Castable<Ownership = Shared>>(
    make: impl FnOnce() -> C::Value,
) -> *const C {
    panic::catch_unwind(AssertUnwindSafe(|| into_shared(make()))).unwrap_or(std::ptr::null())
}

/// Borrows the object behind a handle; `None` for NULL.
///
/// # Safety
/// `handle` is NULL or a live handle of type `C` from this library, and
/// nothing changes the object while the borrow lasts.
pub(crate) unsafe fn borrow<'a, C: Castable>(handle: *const C) -> Option<&'a Object<C::Value>> {
    // SAFETY: guaranteed by the caller; `object` keeps the cast to the type
    // the pointer was made from.
    unsafe { object(handle).as_ref() }
}

/// Borrows the object behind an owned handle for a change; `None` for NULL.
///
/// # Safety
/// `handle` is NULL or a live owned handle of type `C` from this library,
/// used by no one else while the borrow lasts.
pub(crate) unsafe fn borrow_mut<'a, C: Castable<Ownership = Owned>>(
    handle: *mut C,
) -> Option<&'a mut Object<C::Value>> {
    // SAFETY: guaranteed by the caller; owned handles come from `Box::into_raw`,
    // so the pointer is unique and writable.
    unsafe { object(handle).cast_mut().as_mut() }
}

/// Releases a handle for a `_free` export. NULL is a no-op; a panic while
/// dropping is caught (a `_free` has no status to report it with, and must
/// never unwind into C).
///
/// # Safety
/// `handle` is NULL or a handle of type `C` from this library that the caller
/// owns and does not use again.
pub(crate) unsafe fn release<C: Castable>(handle: *const C) {
    if handle.is_null() {
        return;
    }
    let _ = panic::catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: guaranteed by the caller.
        unsafe { C::Ownership::release(object(handle)) }
    }));
}

/// Adds a reference to a shared handle for a `_clone` export and returns the
/// handle (NULL for NULL).
///
/// # Safety
/// `handle` is NULL or a live shared handle of type `C` from this library.
pub(crate) unsafe fn add_ref<C: Castable<Ownership = Shared>>(handle: *const C) -> *const C {
    if handle.is_null() {
        return handle;
    }
    // SAFETY: a live shared handle came from `Arc::into_raw` (the caller's
    // contract); incrementing cannot unwind, only abort on overflow.
    unsafe { Arc::increment_strong_count(object(handle)) };
    handle
}

/// Takes one more counted reference to the object behind a shared handle,
/// for a value that keeps it (a validator keeps its catalogue's object,
/// poisoned flag included).
///
/// # Safety
/// `handle` is a live shared handle of type `C` from this library (not NULL).
pub(crate) unsafe fn share<C: Castable<Ownership = Shared>>(
    handle: *const C,
) -> Arc<Object<C::Value>> {
    let object = object(handle);
    // SAFETY: a live shared handle came from `Arc::into_raw` (the caller's
    // contract), so its count may be raised and one more `Arc` made from it;
    // dropping that `Arc` gives the count back.
    unsafe {
        Arc::increment_strong_count(object);
        Arc::from_raw(object)
    }
}

/// The body of an opaque C type: zero-sized, never built, only ever seen
/// behind a pointer (which really points at an [`Object`]).
#[derive(Debug)]
pub(crate) struct Opaque(PhantomData<*mut ()>);
