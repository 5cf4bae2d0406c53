//! Payload validation and schema exports: limits on untrusted input,
//! checking payload bytes against a catalogue event, the reports that come
//! back, and the JSON Schema and AsyncAPI documents.

use std::os::raw::c_char;
use std::sync::Arc;

use herald_core::{Catalogue, Limits, LookupError, ValidationReport, Validator, export};

use crate::boundary::{
    Extensible, Failure, add_ref, free, get_or, guard, try_bytes, try_mut, try_opt_ref, try_out,
    try_ref, try_share, try_sized_out, try_slice, try_slice_mut, try_str, write_optional,
};
use crate::catalogue::{CatalogueRef, herald_catalogue};
use crate::error::herald_error;
use crate::handle::{self, Castable, Object, Opaque, Owned, Shared};
use crate::output::{herald_buffer, into_buffer};
use crate::status::herald_status;
use crate::text::herald_str;

/// Which list of a report: errors make a payload invalid, warnings do not.
/// Passed from C as an `int32_t` and checked.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum herald_severity {
    /// Problems that make the payload invalid.
    Error = 0,
    /// Problems the schema tolerates (unknown fields or enum values under a
    /// `warn` policy).
    Warning = 1,
}

impl TryFrom<i32> for herald_severity {
    /// The value that is not a severity.
    type Error = i32;

    fn try_from(value: i32) -> Result<Self, i32> {
        match value {
            0 => Ok(herald_severity::Error),
            1 => Ok(herald_severity::Warning),
            other => Err(other),
        }
    }
}

fn severity_from_c(value: i32) -> Result<herald_severity, Failure> {
    herald_severity::try_from(value).map_err(|other| {
        Failure::new(
            herald_status::InvalidArgument,
            "invalid_argument",
            format!("{other} is not a herald_severity (HERALD_SEVERITY_ERROR or HERALD_SEVERITY_WARNING)"),
        )
    })
}

/// Limits on untrusted input: an opaque object so that new limits can be
/// added without breaking compiled programs. `herald_limits_new` starts from
/// the defaults; change what you care about with the `herald_limits_set_*`
/// functions and pass it to validation calls (NULL there means the defaults).
///
/// Thread safety: one thread at a time while setting; any number of threads
/// may pass it to calls once set.
#[derive(Debug)]
pub struct herald_limits {
    _opaque: Opaque,
}

impl Castable for herald_limits {
    type Ownership = Owned;
    type Value = Limits;
}

/// Creates a limits object holding the defaults. Free it with
/// `herald_limits_free`. Returns NULL only on an internal error.
#[unsafe(no_mangle)]
pub extern "C" fn herald_limits_new() -> *mut herald_limits {
    handle::create_owned(Limits::default)
}

/// Frees a limits object. NULL is a no-op.
///
/// # Safety
/// `limits` is NULL or came from `herald_limits_new` and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_limits_free(limits: *mut herald_limits) {
    free!(limits)
}

/// Sets `max_topic_bytes`: longest topic or pattern, in bytes (default 1024).
/// `HERALD_STATUS_NULL_ARGUMENT` for NULL.
///
/// # Safety
/// `limits` is NULL or a live limits object used by no other thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_limits_set_max_topic_bytes(
    limits: *mut herald_limits,
    value: usize,
) -> herald_status {
    guard!(|call| {
        try_mut!(call, limits)?.max_topic_bytes = value;
        Ok(())
    })
}

/// The current `max_topic_bytes` (0 for NULL).
///
/// # Safety
/// `limits` is NULL or a live limits object not being changed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_limits_max_topic_bytes(limits: *const herald_limits) -> usize {
    get_or!(limits, 0, |limits| limits.max_topic_bytes)
}

/// Sets `max_segments`: most segments in a topic or pattern (default 128).
/// `HERALD_STATUS_NULL_ARGUMENT` for NULL.
///
/// # Safety
/// `limits` is NULL or a live limits object used by no other thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_limits_set_max_segments(
    limits: *mut herald_limits,
    value: usize,
) -> herald_status {
    guard!(|call| {
        try_mut!(call, limits)?.max_segments = value;
        Ok(())
    })
}

/// The current `max_segments` (0 for NULL).
///
/// # Safety
/// `limits` is NULL or a live limits object not being changed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_limits_max_segments(limits: *const herald_limits) -> usize {
    get_or!(limits, 0, |limits| limits.max_segments)
}

/// Sets `max_payload_bytes`: largest payload validated, in bytes (default 1 MiB).
/// `HERALD_STATUS_NULL_ARGUMENT` for NULL.
///
/// # Safety
/// `limits` is NULL or a live limits object used by no other thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_limits_set_max_payload_bytes(
    limits: *mut herald_limits,
    value: usize,
) -> herald_status {
    guard!(|call| {
        try_mut!(call, limits)?.max_payload_bytes = value;
        Ok(())
    })
}

/// The current `max_payload_bytes` (0 for NULL).
///
/// # Safety
/// `limits` is NULL or a live limits object not being changed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_limits_max_payload_bytes(limits: *const herald_limits) -> usize {
    get_or!(limits, 0, |limits| limits.max_payload_bytes)
}

/// Sets `max_depth`: deepest nesting of objects and arrays in a payload (default 64).
/// `HERALD_STATUS_NULL_ARGUMENT` for NULL.
///
/// # Safety
/// `limits` is NULL or a live limits object used by no other thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_limits_set_max_depth(
    limits: *mut herald_limits,
    value: usize,
) -> herald_status {
    guard!(|call| {
        try_mut!(call, limits)?.max_depth = value;
        Ok(())
    })
}

/// The current `max_depth` (0 for NULL).
///
/// # Safety
/// `limits` is NULL or a live limits object not being changed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_limits_max_depth(limits: *const herald_limits) -> usize {
    get_or!(limits, 0, |limits| limits.max_depth)
}

/// Sets `max_errors`: most issues reported per payload (default 100).
/// `HERALD_STATUS_NULL_ARGUMENT` for NULL.
///
/// # Safety
/// `limits` is NULL or a live limits object used by no other thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_limits_set_max_errors(
    limits: *mut herald_limits,
    value: usize,
) -> herald_status {
    guard!(|call| {
        try_mut!(call, limits)?.max_errors = value;
        Ok(())
    })
}

/// The current `max_errors` (0 for NULL).
///
/// # Safety
/// `limits` is NULL or a live limits object not being changed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_limits_max_errors(limits: *const herald_limits) -> usize {
    get_or!(limits, 0, |limits| limits.max_errors)
}

/// Sets `max_patterns`: most distinct patterns in one router (default 1,000,000).
/// `HERALD_STATUS_NULL_ARGUMENT` for NULL.
///
/// # Safety
/// `limits` is NULL or a live limits object used by no other thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_limits_set_max_patterns(
    limits: *mut herald_limits,
    value: usize,
) -> herald_status {
    guard!(|call| {
        try_mut!(call, limits)?.max_patterns = value;
        Ok(())
    })
}

/// The current `max_patterns` (0 for NULL).
///
/// # Safety
/// `limits` is NULL or a live limits object not being changed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_limits_max_patterns(limits: *const herald_limits) -> usize {
    get_or!(limits, 0, |limits| limits.max_patterns)
}

/// The outcome of validating one payload: lists of errors and warnings, in
/// document order. Free it with `herald_report_free`.
///
/// Thread safety: immutable; any number of threads may read it.
#[derive(Debug)]
pub struct herald_report {
    _opaque: Opaque,
}

impl Castable for herald_report {
    type Ownership = Owned;
    type Value = ValidationReport;
}

/// One problem of a report. The views stay valid while the report lives;
/// `code` is static.
///
/// Extensible: set `size` to `sizeof(herald_issue)` before passing it in
/// (as for `herald_event`).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct herald_issue {
    /// The size of this struct as the caller knows it; see `herald_event`.
    pub size: usize,
    /// Stable code, e.g. `missing_field`, `out_of_range`, `invalid_utf8`.
    pub code: herald_str,
    /// RFC 6901 JSON Pointer to the value (empty for the whole payload).
    pub pointer: herald_str,
    /// What is wrong, for people.
    pub message: herald_str,
}

// SAFETY: `#[repr(C)]` plain data starting with `size: usize`; `SIZE_V2` is
// the end of its last field.
unsafe impl Extensible for herald_issue {
    const SIZE_V2: usize = std::mem::offset_of!(herald_issue, message) + size_of::<herald_str>();
}

fn validate_failure(error: &LookupError) -> Failure {
    let status = match error {
        LookupError::UnknownSource { .. } => herald_status::UnknownSource,
        LookupError::UnknownEvent { .. } => herald_status::UnknownEvent,
        LookupError::NoSchema { .. } => herald_status::NoSchema,
        _ => herald_status::UnknownSchema,
    };
    Failure::new(status, error.code(), error.to_string())
}

/// Hands a report to C as an owned handle.
pub(crate) fn into_report(report: ValidationReport) -> *mut herald_report {
    handle::into_owned(report)
}

/// Validates `payload` (`payload_len` bytes, read as JSON straight from the
/// bytes) against the event (source, name) of `catalogue`; templated names
/// resolve (`sms.message.sent`). The envelope's type field must name the
/// event. Writes a report to `*out` (free it with `herald_report_free`):
/// payload problems — bad JSON, invalid UTF-8, wrong types, out-of-range
/// integers, too large, too deep — are report items, and the call still
/// returns `HERALD_STATUS_OK`. Fails only for an unknown source, event or a
/// missing schema. `limits` may be NULL for the defaults.
///
/// Thread safety: any number of threads may validate against one catalogue.
///
/// # Safety
/// `catalogue` is a live catalogue; `source`, `name` and `payload` are valid
/// for reading their lengths; `limits` is NULL or a live limits object; `out`
/// is valid for writing; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_catalogue_validate(
    catalogue: *const herald_catalogue,
    source: *const c_char,
    source_len: usize,
    name: *const c_char,
    name_len: usize,
    payload: *const u8,
    payload_len: usize,
    limits: *const herald_limits,
    out: *mut *mut herald_report,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let catalogue = try_ref!(call, catalogue)?;
        let out = try_out!(out)?;
        let source = try_str!(source, source_len)?;
        let name = try_str!(name, name_len)?;
        let payload = try_bytes!(payload, payload_len)?;
        let limits = try_opt_ref!(call, limits)?.copied().unwrap_or_default();
        let report = catalogue
            .validate_with_limits(source, name, payload, &limits)
            .map_err(|error| validate_failure(&error))?;
        *out = into_report(report);
        Ok(())
    })
}

/// Validates `payload` against a named schema of the catalogue's `schemas`
/// table, such as the Orangepill protocol messages `orangepill-subscribe`,
/// `orangepill-info` or `orangepill-error`. Otherwise as
/// `herald_catalogue_validate`; an unknown name is
/// `HERALD_STATUS_UNKNOWN_SCHEMA`.
///
/// # Safety
/// As for `herald_catalogue_validate`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_catalogue_validate_named(
    catalogue: *const herald_catalogue,
    schema: *const c_char,
    schema_len: usize,
    payload: *const u8,
    payload_len: usize,
    limits: *const herald_limits,
    out: *mut *mut herald_report,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let catalogue = try_ref!(call, catalogue)?;
        let out = try_out!(out)?;
        let schema = try_str!(schema, schema_len)?;
        let payload = try_bytes!(payload, payload_len)?;
        let limits = try_opt_ref!(call, limits)?.copied().unwrap_or_default();
        let report = catalogue
            .validate_named_with_limits(schema, payload, &limits)
            .map_err(|error| validate_failure(&error))?;
        *out = into_report(report);
        Ok(())
    })
}

/// A payload check prepared once for one event or named schema, with its
/// limits: the names are checked and encoded when it is made, so each
/// validation passes only the payload. Made by `herald_catalogue_validator`
/// or `herald_catalogue_named_validator`.
///
/// It keeps its own reference to the catalogue, so it stays valid after the
/// catalogue handle is freed. Reference counted (`herald_validator_clone` /
/// `herald_validator_free`). Thread safety: immutable; any number of threads
/// may validate with the same validator at once.
#[derive(Debug)]
pub struct herald_validator {
    _opaque: Opaque,
}

impl Castable for herald_validator {
    type Ownership = Shared;
    type Value = Prepared;
}

/// What a validator checks payloads against.
#[derive(Debug)]
enum Target {
    Event { source: String, name: String },
    Named { schema: String },
}

/// The value behind a `herald_validator`. It shares the catalogue handle's
/// object, poisoned flag included: a validator of a poisoned catalogue
/// refuses to run, and a panic while validating poisons both.
#[derive(Debug)]
pub(crate) struct Prepared {
    catalogue: Arc<Object<CatalogueRef>>,
    target: Target,
    limits: Limits,
}

impl Prepared {
    /// The core validator: the name lookup is two hash probes in the
    /// immutable catalogue, which succeeded when the validator was made.
    fn validator<'a>(&'a self, catalogue: &'a Catalogue) -> Result<Validator<'a>, LookupError> {
        let validator = match &self.target {
            Target::Event { source, name } => catalogue.validator(source, name),
            Target::Named { schema } => catalogue.named_validator(schema),
        };
        validator.map(|validator| validator.with_limits(self.limits))
    }
}

/// Prepares validation of payloads of the event (source, name) of
/// `catalogue` under `limits` (NULL: the defaults; the values are copied, so
/// the limits object may be freed afterwards). Templated names resolve as in
/// `herald_catalogue_validate`. Writes a new validator to `*out` (free it
/// with `herald_validator_free`). Fails for an unknown source or event, or
/// an event without a schema, as `herald_catalogue_validate` would.
///
/// # Safety
/// `catalogue` is a live catalogue; `source` and `name` are valid for reading
/// their lengths; `limits` is NULL or a live limits object; `out` is valid for
/// writing; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_catalogue_validator(
    catalogue: *const herald_catalogue,
    source: *const c_char,
    source_len: usize,
    name: *const c_char,
    name_len: usize,
    limits: *const herald_limits,
    out: *mut *const herald_validator,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let catalogue_handle = catalogue;
        let catalogue = try_ref!(call, catalogue)?;
        let out = try_out!(out)?;
        let source = try_str!(source, source_len)?;
        let name = try_str!(name, name_len)?;
        let limits = try_opt_ref!(call, limits)?.copied().unwrap_or_default();
        catalogue
            .validator(source, name)
            .map_err(|error| validate_failure(&error))?;
        let prepared = Prepared {
            catalogue: try_share!(catalogue_handle)?,
            target: Target::Event {
                source: source.to_owned(),
                name: name.to_owned(),
            },
            limits,
        };
        *out = handle::into_shared(prepared);
        Ok(())
    })
}

/// Prepares validation against a named schema of the catalogue's `schemas`
/// table (see `herald_catalogue_validate_named`); otherwise as
/// `herald_catalogue_validator`. An unknown name is
/// `HERALD_STATUS_UNKNOWN_SCHEMA`.
///
/// # Safety
/// As for `herald_catalogue_validator`, with `schema` for the names.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_catalogue_named_validator(
    catalogue: *const herald_catalogue,
    schema: *const c_char,
    schema_len: usize,
    limits: *const herald_limits,
    out: *mut *const herald_validator,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let catalogue_handle = catalogue;
        let catalogue = try_ref!(call, catalogue)?;
        let out = try_out!(out)?;
        let schema = try_str!(schema, schema_len)?;
        let limits = try_opt_ref!(call, limits)?.copied().unwrap_or_default();
        catalogue
            .named_validator(schema)
            .map_err(|error| validate_failure(&error))?;
        let prepared = Prepared {
            catalogue: try_share!(catalogue_handle)?,
            target: Target::Named {
                schema: schema.to_owned(),
            },
            limits,
        };
        *out = handle::into_shared(prepared);
        Ok(())
    })
}

/// Adds a reference to a validator and returns it (NULL for NULL).
///
/// # Safety
/// `validator` is NULL or a live validator.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_validator_clone(
    validator: *const herald_validator,
) -> *const herald_validator {
    add_ref!(validator)
}

/// Drops one reference to a validator. NULL is a no-op.
///
/// # Safety
/// `validator` is NULL or a reference the caller holds and does not use again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_validator_free(validator: *const herald_validator) {
    free!(validator)
}

/// Validates `payload` (`payload_len` bytes, read as JSON straight from the
/// bytes) with a prepared validator, giving the verdict in one call:
/// the number of errors goes to `*out_errors` (0 means valid) and of
/// warnings to `*out_warnings`. `*out_report` receives a report (free it
/// with `herald_report_free`) only when there is something in it: an issue,
/// or issues dropped at the error limit. For a clean payload it is set to
/// NULL, and the call allocates nothing. Each output may be NULL when it is
/// not wanted (then no report is made at all).
///
/// Payload problems are counted and reported, never a failed status, as for
/// `herald_catalogue_validate`.
///
/// Thread safety: any number of threads may validate with one validator.
///
/// # Safety
/// `validator` is a live validator; `payload` is valid for reading
/// `payload_len` bytes; `out_errors`, `out_warnings` and `out_report` are
/// each NULL or valid for writing; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_validator_validate(
    validator: *const herald_validator,
    payload: *const u8,
    payload_len: usize,
    out_errors: *mut usize,
    out_warnings: *mut usize,
    out_report: *mut *mut herald_report,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let prepared = try_ref!(call, validator)?;
        let catalogue = call.enter("catalogue", Some(&*prepared.catalogue))?;
        let payload = try_bytes!(payload, payload_len)?;
        let report = prepared
            .validator(catalogue)
            .map_err(|error| validate_failure(&error))?
            .validate(payload);
        write_optional!(out_errors, report.errors.len());
        write_optional!(out_warnings, report.warnings.len());
        let clean = report.errors.is_empty() && report.warnings.is_empty() && !report.truncated;
        // A report is made only for a caller who takes it: never leaked.
        let handed = if clean || out_report.is_null() {
            std::ptr::null_mut()
        } else {
            into_report(report)
        };
        write_optional!(out_report, handed);
        Ok(())
    })
}

/// Validates `count` payloads with a prepared validator in one call, for a
/// caller with many events at hand (a binding pays its per-call cost once,
/// and the whole batch runs outside the caller's locks).
///
/// The payloads lie back to back in `payloads` (`payloads_len` bytes in all):
/// payload `i` is the next `lengths[i]` bytes. The lengths must add up to
/// `payloads_len` exactly, or the call fails with
/// `HERALD_STATUS_INVALID_ARGUMENT` before validating anything. Payload `i`'s
/// number of errors goes to `out_errors[i]` (0 means valid) and of warnings
/// to `out_warnings[i]`; each output array is NULL when not wanted, or has
/// room for `count` items. No report is made: validate a payload again with
/// `herald_validator_validate` for its issues (the answer is the same).
/// `count` 0 validates nothing and succeeds (the pointers may then be NULL).
///
/// Payload problems are counted, never a failed status, as for
/// `herald_validator_validate`.
///
/// Thread safety: any number of threads may validate with one validator.
///
/// # Safety
/// `validator` is a live validator; `payloads` is NULL with `payloads_len`
/// 0, or valid for reading `payloads_len` bytes; `lengths` is NULL with
/// `count` 0, or valid for reading `count` items; `out_errors` and
/// `out_warnings` are each NULL or valid for writing `count` items; `error`
/// is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_validator_validate_many(
    validator: *const herald_validator,
    payloads: *const u8,
    payloads_len: usize,
    lengths: *const usize,
    count: usize,
    out_errors: *mut usize,
    out_warnings: *mut usize,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let prepared = try_ref!(call, validator)?;
        let catalogue = call.enter("catalogue", Some(&*prepared.catalogue))?;
        let payloads = try_slice!(payloads, payloads_len)?;
        let lengths = try_slice!(lengths, count)?;
        let mut errors = if out_errors.is_null() {
            None
        } else {
            Some(try_slice_mut!(out_errors, count)?)
        };
        let mut warnings = if out_warnings.is_null() {
            None
        } else {
            Some(try_slice_mut!(out_warnings, count)?)
        };
        let total = lengths
            .iter()
            .try_fold(0usize, |total, &length| total.checked_add(length));
        if total != Some(payloads.len()) {
            return Err(Failure::invalid_argument(format!(
                "the {count} `lengths` do not add up to `payloads_len` ({payloads_len})"
            )));
        }
        let validator = prepared
            .validator(catalogue)
            .map_err(|error| validate_failure(&error))?;
        let mut rest = payloads;
        for (index, &length) in lengths.iter().enumerate() {
            let (payload, after) = rest.split_at(length);
            rest = after;
            let report = validator.validate(payload);
            if let Some(errors) = errors.as_deref_mut() {
                errors[index] = report.errors.len();
            }
            if let Some(warnings) = warnings.as_deref_mut() {
                warnings[index] = report.warnings.len();
            }
        }
        Ok(())
    })
}

/// Frees a report. NULL is a no-op.
///
/// # Safety
/// `report` is NULL or came from this library and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_report_free(report: *mut herald_report) {
    free!(report)
}

/// Whether the payload is valid: no errors (warnings allowed). False for NULL
/// or a poisoned report.
///
/// # Safety
/// `report` is NULL or a live report.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_report_is_ok(report: *const herald_report) -> bool {
    get_or!(report, false, |report| report.is_ok())
}

/// Whether issues were dropped because the error limit was reached (false for
/// NULL or a poisoned report).
///
/// # Safety
/// `report` is NULL or a live report.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_report_truncated(report: *const herald_report) -> bool {
    get_or!(report, false, |report| report.truncated)
}

fn issues(report: &ValidationReport, severity: herald_severity) -> &[herald_core::Issue] {
    match severity {
        herald_severity::Error => &report.errors,
        herald_severity::Warning => &report.warnings,
    }
}

/// Number of issues of one severity (`HERALD_SEVERITY_ERROR` or
/// `HERALD_SEVERITY_WARNING`); 0 for NULL, a poisoned report or an unknown
/// severity.
///
/// # Safety
/// `report` is NULL or a live report.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_report_count(report: *const herald_report, severity: i32) -> usize {
    let Ok(severity) = herald_severity::try_from(severity) else {
        return 0;
    };
    get_or!(report, 0, |report| issues(report, severity).len())
}

/// Describes issue number `index` of one severity. `HERALD_STATUS_OUT_OF_RANGE`
/// past the end; `HERALD_STATUS_INVALID_ARGUMENT` for an unknown severity.
///
/// # Safety
/// `report` is a live report; `out` points at a `herald_issue` whose `size`
/// is set, valid for writing that many bytes; `error` is NULL or a live error
/// object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_report_issue(
    report: *const herald_report,
    severity: i32,
    index: usize,
    out: *mut herald_issue,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let report = try_ref!(call, report)?;
        let out = try_sized_out!(out)?;
        let severity = severity_from_c(severity)?;
        let issue = issues(report, severity)
            .get(index)
            .ok_or_else(|| Failure::out_of_range(index))?;
        out.write(herald_issue {
            size: size_of::<herald_issue>(),
            code: herald_str::borrow(issue.code.as_str()),
            pointer: herald_str::borrow(&issue.pointer),
            message: herald_str::borrow(&issue.message),
        });
        Ok(())
    })
}

/// Renders the JSON Schema (draft 2020-12) of the event (source, name)'s
/// payload and writes it to `*out` as a new buffer (free it with
/// `herald_buffer_free`).
///
/// # Safety
/// `catalogue` is a live catalogue; `source` and `name` are valid for reading
/// their lengths; `out` is valid for writing; `error` is NULL or a live error
/// object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_catalogue_json_schema(
    catalogue: *const herald_catalogue,
    source: *const c_char,
    source_len: usize,
    name: *const c_char,
    name_len: usize,
    out: *mut *mut herald_buffer,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let catalogue = try_ref!(call, catalogue)?;
        let out = try_out!(out)?;
        let source = try_str!(source, source_len)?;
        let name = try_str!(name, name_len)?;
        let schema = export::json_schema(catalogue, source, name)
            .map_err(|error| validate_failure(&error))?;
        *out = into_buffer(pretty(&schema));
        Ok(())
    })
}

/// Renders an AsyncAPI 3.0 document for `source` (channels, operations and
/// messages with payload schemas) and writes it to `*out` as a new buffer
/// (free it with `herald_buffer_free`).
///
/// # Safety
/// As for `herald_catalogue_json_schema`, without the name.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_catalogue_asyncapi(
    catalogue: *const herald_catalogue,
    source: *const c_char,
    source_len: usize,
    out: *mut *mut herald_buffer,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let catalogue = try_ref!(call, catalogue)?;
        let out = try_out!(out)?;
        let source = try_str!(source, source_len)?;
        let document =
            export::asyncapi(catalogue, source).map_err(|error| validate_failure(&error))?;
        *out = into_buffer(pretty(&document));
        Ok(())
    })
}

fn pretty(value: &serde_json::Value) -> String {
    // A `Value` always serialises.
    serde_json::to_string_pretty(value).unwrap_or_default()
}
