//! libherald: herald-core exported through a C ABI.
//!
//! This crate is glue only. Every exported function checks its pointers,
//! converts its inputs (pointer + length, UTF-8 checked), runs its body inside
//! one panic guard and calls into `herald-core`; no domain logic lives here.
//! The C header `include/herald.h` is generated from these sources by cbindgen.
//!
//! Conventions (see the README's C section):
//! - every symbol starts with `herald_`; objects are opaque;
//! - fallible functions return [`status::herald_status`] and write their
//!   outputs only on `HERALD_STATUS_OK`;
//! - functions that can fail with detail take an optional `herald_error *`;
//! - memory allocated by the library is released only by the library.
#![allow(non_camel_case_types)]

mod boundary;
pub mod catalogue;
pub mod endpoints;
pub mod error;
pub mod router;
pub mod status;
pub mod text;
pub mod topic;
pub mod validate;
pub mod version;
pub mod wire;

#[cfg(feature = "testing")]
pub mod testing;
