//! libherald: herald-core exported through a C ABI.
//!
//! This crate is glue only. Every exported function checks its pointers,
//! converts its inputs (pointer + length, UTF-8 checked), runs its body inside
//! one panic guard and calls into `herald-core`; no domain logic lives here.
//! The C header `include/herald.h` is generated from these sources by cbindgen.
//!
//! Conventions (docs/c.md has the whole story):
//! - every symbol starts with `herald_`; objects are opaque handles, each an
//!   empty marker type implementing `handle::Castable` (owned or shared);
//! - fallible functions return [`status::herald_status`] and write their
//!   outputs only on `HERALD_STATUS_OK`;
//! - functions that can fail with detail take an optional `herald_error *`;
//! - variable-size results come back as owned objects
//!   ([`output::herald_buffer`], [`output::herald_list`]), except fixed-size
//!   ids on hot paths, which go into caller arrays;
//! - structs that may grow carry a leading `size` field; the rest are frozen;
//! - memory allocated by the library is released only by the library.
#![allow(non_camel_case_types)]

mod boundary;
pub mod broker;
pub mod catalogue;
pub mod endpoints;
pub mod error;
mod handle;
pub mod output;
pub mod router;
pub mod signature;
pub mod status;
pub mod text;
pub mod topic;
pub mod validate;
pub mod version;
pub mod wire;

#[cfg(feature = "testing")]
pub mod testing;
