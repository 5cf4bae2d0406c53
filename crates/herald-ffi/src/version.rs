//! Library and ABI versions.

use std::os::raw::c_char;

/// The ABI version this header describes. It changes only when a change
/// breaks existing binaries; the shared library's SONAME carries it
/// (`libherald.so.2`). Compare with `herald_abi_version()` at start-up.
pub const HERALD_ABI_VERSION: u32 = 2;

/// The ABI version of the loaded library (compare with `HERALD_ABI_VERSION`).
///
/// Thread safety: may be called from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn herald_abi_version() -> u32 {
    HERALD_ABI_VERSION
}

/// The library version as a static NUL-terminated string, e.g. `"0.1.0"`.
/// Never free it.
///
/// Thread safety: may be called from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn herald_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
