//! Borrowed views handed to C: `herald_str` (UTF-8 text) and `herald_bytes`.
//! Both layouts are frozen: they will never gain a field, in ABI 2 or later.

use std::os::raw::c_char;

/// A view of UTF-8 text owned by the library: `len` bytes at `ptr`, not
/// NUL-terminated. `ptr` is never NULL (an empty view points at a static empty
/// string). How long the view stays valid is stated by the function that
/// returns it. Frozen: this struct will never change its layout.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct herald_str {
    /// First byte of the text.
    pub ptr: *const c_char,
    /// Length of the text in bytes.
    pub len: usize,
}

impl herald_str {
    /// A view of `text`; the caller documents its lifetime.
    pub(crate) fn borrow(text: &str) -> herald_str {
        herald_str {
            ptr: text.as_ptr().cast(),
            len: text.len(),
        }
    }

    /// The empty view.
    pub(crate) fn empty() -> herald_str {
        herald_str::borrow("")
    }
}

/// A view of bytes owned by the library (not necessarily text): `len` bytes
/// at `ptr`, which is never NULL. How long the view stays valid is stated by
/// the function that returns it. Frozen: this struct will never change its
/// layout.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct herald_bytes {
    /// First byte; never NULL.
    pub ptr: *const u8,
    /// Number of bytes.
    pub len: usize,
}

impl herald_bytes {
    /// A view of `bytes`; the caller documents its lifetime.
    pub(crate) fn borrow(bytes: &[u8]) -> herald_bytes {
        // An empty slice may dangle; C gets a real address instead.
        let bytes = if bytes.is_empty() {
            b"".as_slice()
        } else {
            bytes
        };
        herald_bytes {
            ptr: bytes.as_ptr(),
            len: bytes.len(),
        }
    }
}
