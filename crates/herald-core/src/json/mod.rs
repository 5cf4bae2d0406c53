//! JSON's lexical layer, shared by the validator and the wire formats: the
//! byte reader that finds tokens in `&[u8]`.
//!
//! It owns the lexical rules of RFC 8259 — whitespace, strings and their
//! escapes, numbers, literals — and never what a token means: each grammar
//! on top (the validator's schema walk, the wire layer's token stream) lives
//! with its owner. It uses nothing else from the crate, so everything may
//! use it.

mod reader;

pub(crate) use reader::{LexError, NumToken, Reader, StrToken, decode_into, integer_value};
