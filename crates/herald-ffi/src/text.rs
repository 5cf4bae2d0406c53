//! `herald_str`: a borrowed view of UTF-8 text handed to C.

use std::os::raw::c_char;

/// A view of UTF-8 text owned by the library: `len` bytes at `ptr`, not
/// NUL-terminated. `ptr` is never NULL (an empty view points at a static empty
/// string). How long the view stays valid is stated by the function that
/// returns it.
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
