//! Payload validation straight from bytes: compiled schema programs and the
//! walk that checks a payload against one.
//!
//! This module owns [`Validator`], the report it writes and the compiled form
//! of the schema model; it reads bytes with the crate's JSON reader and never
//! looks anything up in a catalogue. Finding the event a payload is for is
//! the catalogue's job ([`Catalogue::validator`](crate::Catalogue::validator)
//! and its shortcuts), which hands this module a compiled program and asks
//! back, through a small trait the catalogue implements, only which event a
//! templated name stands for.
//!
//! The validator reads the payload's bytes once, front to back, and checks
//! each value against the event's schema as it goes: no `serde_json::Value`
//! tree, no recursion on input depth, no backtracking. It reports **all**
//! problems (up to [`Limits::max_errors`]) in document order, each with a
//! stable [`IssueCode`], an RFC 6901 JSON Pointer and a message.
//!
//! ```
//! use herald_core::Catalogue;
//!
//! let catalogue = Catalogue::builtin();
//! let payload = br#"{"type": "walletBalanceChanged",
//!     "payload": {"action": "credit", "data": {"namespace": "ns", "userId": "u1",
//!     "currencyCode": "USD", "amount": 9223372036854775808, "reason": "Purchase",
//!     "origin": "System"}}}"#;
//! let report = catalogue.validate("accelbyte-wallet", "walletBalanceChanged", payload)?;
//! assert!(!report.is_ok());
//! assert_eq!(report.errors[0].code.as_str(), "out_of_range");
//! assert_eq!(report.errors[0].pointer, "/payload/data/amount");
//! // `credit` is not a documented action: a warning, not an error.
//! assert_eq!(report.warnings[0].code.as_str(), "unknown_enum");
//! # Ok::<(), herald_core::LookupError>(())
//! ```
//!
//! What is checked, and how:
//!
//! - **Syntax** is RFC 8259 JSON, strictly: no trailing commas, no comments,
//!   no leading zeros, nothing after the value. A syntax error ends the
//!   validation (the message gives the byte offset), as do `too_deep` and
//!   `too_large`; every other issue is collected and the walk goes on.
//! - **Integers** are checked exactly from the number token against
//!   `int64`/`uint64` and the schema's bounds: `1e3` and `500.0` are not
//!   integers, `9223372036854775808` does not fit `int64`. No value passes
//!   through `f64`.
//! - **Strings and keys** must be UTF-8 (with no lone surrogate escapes);
//!   `const`, `enum`, lengths (in characters) and formats are checked on the
//!   decoded text.
//! - **Objects** report duplicate keys, missing required fields (at the
//!   object's pointer, when it closes) and unknown fields by their policy.
//! - **`event_name`** strings must name the event being validated; for a
//!   templated event validated under its template name, any name that
//!   resolves to the template. Against a named schema (no event), any valid
//!   topic.
//!
//! Cost: one pass over the bytes; strings are scanned eight bytes at a time
//! and decoded only when they hold escapes and a rule needs their text.
//! Validating a clean payload allocates nothing (an empty report holds no
//! heap memory); JSON Pointers and messages are built only for issues.
//! `docs/validation.md` has the design notes and benchmark figures.

mod formats;
mod message;
pub(crate) mod program;
mod report;
mod walk;

pub(crate) use message::push_pointer_token;
pub use report::{Issue, IssueCode, ValidationReport};
pub(crate) use walk::{EventNames, NameRule};

use crate::limits::Limits;
use program::{NodeId, Program};

/// A payload check prepared for one event or named schema: the lookups are
/// done, only the bytes remain. Cheap to make and to clone; `Send + Sync`,
/// so many threads can validate with one (it borrows the catalogue).
///
/// ```
/// use herald_core::Catalogue;
/// let catalogue = Catalogue::builtin();
/// let validator = catalogue.validator("orangepill-stream", "sms.message.sent")?;
/// let good = br#"{"type":"notification","event":"sms.message.sent",
///                 "data":"63967141191e9023f356df9f","timestamp":"162553625262"}"#;
/// let wrong = br#"{"type":"notification","event":"sms.message.failed",
///                 "data":"63967141191e9023f356df9f","timestamp":1671547687}"#;
/// assert!(validator.validate(good).is_ok());
/// assert_eq!(validator.validate(wrong).errors[0].code.as_str(), "event_mismatch");
/// # Ok::<(), herald_core::LookupError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Validator<'a> {
    program: &'a Program,
    root: NodeId,
    rule: NameRule<'a>,
    limits: Limits,
}

impl<'a> Validator<'a> {
    /// A validator of the node `root` of `program`, with the default limits.
    pub(crate) fn new(program: &'a Program, root: NodeId, rule: NameRule<'a>) -> Self {
        Validator {
            program,
            root,
            rule,
            limits: Limits::default(),
        }
    }

    /// The same validator with other limits (payload size, depth, error cap).
    ///
    /// ```
    /// use herald_core::{Catalogue, Limits};
    /// let limits = Limits { max_payload_bytes: 8, ..Limits::default() };
    /// let validator = Catalogue::builtin()
    ///     .named_validator("orangepill-subscribe")?
    ///     .with_limits(limits);
    /// let report = validator.validate(br#"{"type":"subscribe","realm":"k"}"#);
    /// assert_eq!(report.errors[0].code.as_str(), "too_large");
    /// # Ok::<(), herald_core::LookupError>(())
    /// ```
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Validates one payload.
    pub fn validate(&self, payload: &[u8]) -> ValidationReport {
        self.validate_within(&self.limits, payload)
    }

    /// Validates one payload within `limits` instead of the validator's
    /// own: the catalogue's one-call validation, which would otherwise copy
    /// the limits into a validator only to read them back.
    #[inline(always)]
    pub(crate) fn validate_within(&self, limits: &Limits, payload: &[u8]) -> ValidationReport {
        walk::run(self.program, self.root, self.rule, limits, payload)
    }
}
