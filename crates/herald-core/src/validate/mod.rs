//! Payload validation straight from bytes.
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
//! # Ok::<(), herald_core::ValidateError>(())
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
pub(crate) mod program;
pub(crate) mod reader;
mod report;
mod walk;

pub use report::{Issue, IssueCode, ValidationReport, push_pointer_token};

use crate::catalogue::Catalogue;
use crate::error::ValidateError;
use crate::limits::Limits;
use program::NodeId;
use walk::NameRule;

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
/// # Ok::<(), herald_core::ValidateError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Validator<'a> {
    catalogue: &'a Catalogue,
    root: NodeId,
    rule: NameRule<'a>,
    limits: Limits,
}

impl<'a> Validator<'a> {
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
    /// # Ok::<(), herald_core::ValidateError>(())
    /// ```
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Validates one payload.
    pub fn validate(&self, payload: &[u8]) -> ValidationReport {
        walk::run(
            self.catalogue.program(),
            self.root,
            self.rule,
            &self.limits,
            payload,
        )
    }
}

impl Catalogue {
    /// Prepares validation for the event `name` of `source`. Templated names
    /// resolve (`sms.message.sent`), and the payload's event name must then be
    /// exactly `name`; under the template's own name
    /// (`{channel}.message.sent`) any name that resolves to it is accepted.
    ///
    /// Fails when the source, the event or its schema does not exist.
    pub fn validator<'a>(
        &'a self,
        source: &str,
        name: &'a str,
    ) -> Result<Validator<'a>, ValidateError> {
        let Some((resolved, root)) = self.resolve_with_root(source, name) else {
            return Err(match self.source(source) {
                None => ValidateError::UnknownSource {
                    source_id: source.to_owned(),
                },
                Some(_) => ValidateError::UnknownEvent {
                    source_id: source.to_owned(),
                    name: name.to_owned(),
                },
            });
        };
        let event = resolved.event;
        let root = root.ok_or_else(|| ValidateError::NoSchema {
            source_id: event.source.clone(),
            name: event.name.clone(),
        })?;
        let rule = match (resolved.binding, &event.template) {
            (Some(_), _) => NameRule::Exact(name),
            (None, Some(_)) => NameRule::Template {
                catalogue: self,
                event,
            },
            (None, None) => NameRule::Exact(&event.name),
        };
        Ok(Validator {
            catalogue: self,
            root,
            rule,
            limits: Limits::default(),
        })
    }

    /// Prepares validation against a schema of the document's `schemas`
    /// table, such as a protocol message (`orangepill-subscribe`). With no
    /// event to compare, `event_name` values need only be valid topics.
    pub fn named_validator(&self, schema: &str) -> Result<Validator<'_>, ValidateError> {
        let root = self.program().named.get(schema).copied().ok_or_else(|| {
            ValidateError::UnknownSchema {
                name: schema.to_owned(),
            }
        })?;
        Ok(Validator {
            catalogue: self,
            root,
            rule: NameRule::AnyTopic,
            limits: Limits::default(),
        })
    }

    /// Validates a payload of the event `name` of `source` with the default
    /// [`Limits`]. Payload problems are items of the report; only an unknown
    /// source, event or schema is an `Err`.
    ///
    /// ```
    /// use herald_core::Catalogue;
    /// let report = Catalogue::builtin().validate(
    ///     "inplayer-notifications",
    ///     "access.revoked",
    ///     br#"{"type":"access.revoked","timestamp":1546609799,"resource":{"item_id":"41224"}}"#,
    /// )?;
    /// assert_eq!(report.errors[0].pointer, "/resource/item_id");
    /// assert_eq!(report.errors[0].code.as_str(), "type_mismatch");
    /// # Ok::<(), herald_core::ValidateError>(())
    /// ```
    pub fn validate(
        &self,
        source: &str,
        name: &str,
        payload: &[u8],
    ) -> Result<ValidationReport, ValidateError> {
        self.validate_with_limits(source, name, payload, &Limits::default())
    }

    /// [`Catalogue::validate`] with explicit limits.
    ///
    /// ```
    /// use herald_core::{Catalogue, Limits};
    /// let limits = Limits { max_depth: 2, ..Limits::default() };
    /// let report = Catalogue::builtin().validate_with_limits(
    ///     "accelbyte-wallet", "walletStatusChanged",
    ///     br#"{"payload": {"data": {}}}"#, &limits,
    /// )?;
    /// assert_eq!(report.errors.last().unwrap().code.as_str(), "too_deep");
    /// assert_eq!(report.errors.last().unwrap().pointer, "/payload/data");
    /// # Ok::<(), herald_core::ValidateError>(())
    /// ```
    pub fn validate_with_limits(
        &self,
        source: &str,
        name: &str,
        payload: &[u8],
        limits: &Limits,
    ) -> Result<ValidationReport, ValidateError> {
        Ok(self
            .validator(source, name)?
            .with_limits(*limits)
            .validate(payload))
    }

    /// Validates a payload against a named schema of the `schemas` table.
    ///
    /// ```
    /// use herald_core::Catalogue;
    /// let report = Catalogue::builtin().validate_named(
    ///     "orangepill-error",
    ///     br#"{"type":"error","realm":"Invalid Realm Key.","timestamp":1671547687}"#,
    /// )?;
    /// assert!(report.is_ok());
    /// # Ok::<(), herald_core::ValidateError>(())
    /// ```
    pub fn validate_named(
        &self,
        schema: &str,
        payload: &[u8],
    ) -> Result<ValidationReport, ValidateError> {
        self.validate_named_with_limits(schema, payload, &Limits::default())
    }

    /// [`Catalogue::validate_named`] with explicit limits.
    pub fn validate_named_with_limits(
        &self,
        schema: &str,
        payload: &[u8],
        limits: &Limits,
    ) -> Result<ValidationReport, ValidateError> {
        Ok(self
            .named_validator(schema)?
            .with_limits(*limits)
            .validate(payload))
    }
}
