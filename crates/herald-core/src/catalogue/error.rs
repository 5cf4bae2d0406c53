//! What can go wrong with a catalogue: loading a document
//! ([`CatalogueError`]) and looking up a source, event or named schema that
//! is not there ([`LookupError`]).
//!
//! Both carry stable machine-readable codes (the variant name in snake case,
//! through strum); codes are never renamed or reused.

use super::Catalogue;
use crate::topic::SyntaxError;

/// A catalogue document could not be loaded.
///
/// `at` fields give the place in the document as a path such as
/// `sources[2].events[14] (orangepill-stream identity.deleted)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[non_exhaustive]
pub enum CatalogueError {
    /// The bytes are not a JSON document of the expected shape.
    #[error("malformed catalogue at line {line}, column {column}: {message}")]
    Malformed {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What serde_json reported.
        message: String,
    },
    /// An object holds a field the format does not define.
    #[error("unknown field at line {line}, column {column}: {message}")]
    UnknownField {
        /// 1-based line of the field.
        line: usize,
        /// 1-based column of the field.
        column: usize,
        /// What serde_json reported, naming the field and the expected ones.
        message: String,
    },
    /// The `format` field names a version this build cannot read.
    #[error("unknown catalogue format {found:?}: this build reads {expected:?}")]
    UnknownFormat {
        /// The format found in the document.
        found: String,
        /// The format this build reads.
        expected: &'static str,
    },
    /// Two source blocks share an id.
    #[error("{at}: source {id:?} is declared more than once")]
    DuplicateSource {
        /// Where the second declaration is.
        at: String,
        /// The repeated source id.
        id: String,
    },
    /// An invalid source id.
    #[error("{at}: invalid source id {id:?}: {reason}")]
    InvalidSourceId {
        /// Where the source is declared.
        at: String,
        /// The id as written.
        id: String,
        /// Which rule it breaks.
        reason: SyntaxError,
    },
    /// Two events in one source share a name.
    #[error("{at}: event {name:?} is declared more than once in source {source_id:?}")]
    DuplicateEvent {
        /// Where the second declaration is.
        at: String,
        /// The source.
        source_id: String,
        /// The repeated name.
        name: String,
    },
    /// An event name breaks the topic syntax.
    #[error("{at}: invalid event name {name:?}: {reason}")]
    InvalidEventName {
        /// Where the event is declared.
        at: String,
        /// The name as written.
        name: String,
        /// Which rule it breaks.
        reason: SyntaxError,
    },
    /// An alias, or a deprecation's replacement, names an event that does not exist.
    #[error(
        "{at}: {field} points to {target_source:?} {target_name:?}, which is not in the catalogue"
    )]
    DanglingReference {
        /// Where the reference is.
        at: String,
        /// Which field holds it (`aliases` or `deprecated.replaced_by`).
        field: &'static str,
        /// The source it names.
        target_source: String,
        /// The event name it names.
        target_name: String,
    },
    /// An event lists itself among its aliases.
    #[error("{at}: an event cannot be an alias of itself")]
    SelfAlias {
        /// Where the event is declared.
        at: String,
    },
    /// A template parameter and the event name disagree.
    #[error("{at}: {reason}")]
    InvalidTemplate {
        /// Where the event is declared.
        at: String,
        /// What is wrong.
        reason: String,
    },
    /// A payload schema is inconsistent.
    #[error("{at}: {reason}")]
    InvalidSchema {
        /// Where the schema is, down to the field.
        at: String,
        /// What is wrong.
        reason: String,
    },
    /// An example payload does not validate against its event's schema
    /// (the first error found is named).
    #[error(
        "{at}: example {index} is not valid against the event's schema: {issue} at {pointer:?}: {message}"
    )]
    InvalidExample {
        /// Where the event is declared.
        at: String,
        /// The position of the example in `examples`, from 0.
        index: usize,
        /// The stable code of the first error (`type_mismatch`, …).
        issue: &'static str,
        /// The JSON Pointer of that error inside the example.
        pointer: String,
        /// What is wrong, as validation reports it.
        message: String,
    },
    /// A required description or category is empty.
    #[error("{at}: {field} must not be empty")]
    EmptyText {
        /// Where the empty text is.
        at: String,
        /// Which field is empty.
        field: &'static str,
    },
}

impl CatalogueError {
    /// The stable machine-readable code of this error.
    ///
    /// ```
    /// let error = herald_core::Catalogue::from_json(b"{}").unwrap_err();
    /// assert_eq!(error.code(), "malformed");
    /// ```
    pub fn code(&self) -> &'static str {
        self.into()
    }
}

/// A lookup named something the catalogue does not hold: preparing a
/// validator ([`Catalogue::validator`]) or exporting a document
/// ([`crate::export`]). Problems with the payload itself are never errors:
/// they are items of the [`ValidationReport`](crate::validate::ValidationReport).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[non_exhaustive]
pub enum LookupError {
    /// No source has this id.
    #[error("unknown source {source_id:?}")]
    UnknownSource {
        /// The source id as given.
        source_id: String,
    },
    /// The source has no event of this name, exact or through a template.
    #[error("unknown event {name:?} in source {source_id:?}")]
    UnknownEvent {
        /// The source id.
        source_id: String,
        /// The event name as given.
        name: String,
    },
    /// The event exists but declares no payload schema.
    #[error("event {name:?} of source {source_id:?} has no payload schema")]
    NoSchema {
        /// The source id.
        source_id: String,
        /// The event name.
        name: String,
    },
    /// The catalogue's `schemas` table has no schema of this name.
    #[error("unknown schema {name:?}")]
    UnknownSchema {
        /// The schema name as given.
        name: String,
    },
}

impl LookupError {
    /// The stable machine-readable code of this error.
    ///
    /// ```
    /// use herald_core::Catalogue;
    /// let error = Catalogue::builtin().validate("nowhere", "x", b"{}").unwrap_err();
    /// assert_eq!(error.code(), "unknown_source");
    /// ```
    pub fn code(&self) -> &'static str {
        self.into()
    }

    /// The error for a (source, name) pair that resolves to no event: an
    /// unknown source, else an unknown event of a known source.
    pub(crate) fn unresolved(catalogue: &Catalogue, source: &str, name: &str) -> LookupError {
        match catalogue.source(source) {
            None => LookupError::UnknownSource {
                source_id: source.to_owned(),
            },
            Some(_) => LookupError::UnknownEvent {
                source_id: source.to_owned(),
                name: name.to_owned(),
            },
        }
    }
}
