//! What validation reports: errors and warnings, each a stable code, a JSON
//! Pointer to the instance and a message.

/// The stable code of an [`Issue`]. Codes are never renamed or reused; other
/// languages match on [`IssueCode::as_str`].
///
/// ```
/// use herald_core::validate::IssueCode;
/// assert_eq!(IssueCode::OutOfRange.as_str(), "out_of_range");
/// assert_eq!(IssueCode::OutOfRange.to_string(), "out_of_range");
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::IntoStaticStr,
    strum::Display,
    strum::EnumString,
    strum::EnumIter,
)]
#[strum(serialize_all = "snake_case")]
#[non_exhaustive]
pub enum IssueCode {
    /// The bytes are not JSON (also trailing characters after the value).
    /// Ends the validation; the message gives the byte offset.
    Syntax,
    /// A string or key holds bytes that are not UTF-8, or a `\u` escape
    /// that is a lone surrogate.
    InvalidUtf8,
    /// The value has a JSON kind the schema does not accept.
    TypeMismatch,
    /// A required field is absent; the pointer is the object's.
    MissingField,
    /// A field the schema does not list (error or warning by policy).
    UnknownField,
    /// A string outside its enum (error or warning by policy).
    UnknownEnum,
    /// A number outside its bounds or its machine type.
    OutOfRange,
    /// A string or array longer than its maximum.
    TooLong,
    /// A string or array shorter than its minimum.
    TooShort,
    /// A string that does not follow its format.
    Format,
    /// The same key twice in one object.
    DuplicateKey,
    /// A string other than its schema's `const`.
    ConstMismatch,
    /// The payload names another event than the one being validated.
    EventMismatch,
    /// Objects and arrays nested deeper than the limit. Ends the validation.
    TooDeep,
    /// The payload is larger than the limit. Nothing is read.
    TooLarge,
}

impl IssueCode {
    /// The stable string code, such as `"missing_field"`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One problem found in a payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// What kind of problem.
    pub code: IssueCode,
    /// RFC 6901 JSON Pointer to the value (`""` is the whole payload;
    /// `~` and `/` in keys are written `~0` and `~1`).
    pub pointer: String,
    /// What is wrong, for people.
    pub message: String,
}

/// The outcome of validating one payload: errors make it invalid, warnings
/// do not. Both lists are in document order.
///
/// ```
/// use herald_core::Catalogue;
/// let report = Catalogue::builtin()
///     .validate("orangepill-stream", "user.created", br#"{"type": "notification"}"#)?;
/// assert!(!report.is_ok());
/// assert_eq!(report.errors[0].code.as_str(), "missing_field");
/// # Ok::<(), herald_core::ValidateError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationReport {
    /// Problems that make the payload invalid.
    pub errors: Vec<Issue>,
    /// Problems the schema tolerates (unknown fields or enum values under a
    /// `warn` policy).
    pub warnings: Vec<Issue>,
    /// Set when a list reached [`Limits::max_errors`](crate::Limits::max_errors)
    /// and further issues were dropped (validation stops at the error cap).
    pub truncated: bool,
}

impl ValidationReport {
    /// Whether the payload is valid: no errors (warnings allowed).
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}
