//! The crate's one JSON reader, shared by the validator and every wire
//! decoder: bytes in, tokens with byte offsets out.
//!
//! It owns RFC 8259 — the lexical rules ([`lexer`]: whitespace, strings and
//! their escapes, numbers with their exact integer values, literals), the
//! grammar ([`reader`]: a pull reader of tokens with the depth and size
//! limits), duplicate keys ([`keys`]) and the strings a caller may tell it
//! to expect ([`expected`]) — and never what a value means: the
//! validator's schema walk and the wire layer's envelopes live with their
//! owners and consume the same tokens, so a grammar rule is written once.
//! It does no IO, never recurses on input depth, never builds a value tree,
//! and uses nothing else from the crate, so everything may use it.

mod expected;
mod keys;
mod lexer;
#[cfg(test)]
mod properties;
mod reader;

pub(crate) use expected::{Expect, ExpectedString};
pub(crate) use keys::{Key, KeySet, ObjectKeys};
pub(crate) use lexer::{Lexer, NumToken, StrToken, decode_into};
pub(crate) use reader::{Container, Error, ErrorKind, Reader, Token};
