//! Payload validation and schema exports: checking payload bytes against a
//! catalogue event, and the reports that come back.

use std::os::raw::c_char;

use herald_core::{Limits, LookupError, ValidationReport, export};

use crate::boundary::{self, Failure, OutBuffer, Poison};
use crate::catalogue::herald_catalogue;
use crate::error::herald_error;
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

/// Limits on untrusted input; start from `herald_limits_default()` and
/// change the fields you care about.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct herald_limits {
    /// Longest topic or pattern, in bytes (default 1024).
    pub max_topic_bytes: usize,
    /// Most segments in a topic or pattern (default 128).
    pub max_segments: usize,
    /// Largest payload validated, in bytes (default 1 MiB).
    pub max_payload_bytes: usize,
    /// Deepest nesting of objects and arrays in a payload (default 64).
    pub max_depth: usize,
    /// Most errors reported per payload (default 100).
    pub max_errors: usize,
    /// Most distinct patterns in one router (default 1,000,000).
    pub max_patterns: usize,
}

impl From<herald_limits> for Limits {
    fn from(limits: herald_limits) -> Limits {
        Limits {
            max_topic_bytes: limits.max_topic_bytes,
            max_segments: limits.max_segments,
            max_payload_bytes: limits.max_payload_bytes,
            max_depth: limits.max_depth,
            max_errors: limits.max_errors,
            max_patterns: limits.max_patterns,
        }
    }
}

/// The default limits.
#[unsafe(no_mangle)]
pub extern "C" fn herald_limits_default() -> herald_limits {
    // `Limits::DEFAULT` is a constant: there is nothing here that could panic.
    let limits = Limits::DEFAULT;
    herald_limits {
        max_topic_bytes: limits.max_topic_bytes,
        max_segments: limits.max_segments,
        max_payload_bytes: limits.max_payload_bytes,
        max_depth: limits.max_depth,
        max_errors: limits.max_errors,
        max_patterns: limits.max_patterns,
    }
}

/// The outcome of validating one payload: lists of errors and warnings, in
/// document order. Free it with `herald_report_free`.
///
/// Thread safety: one thread at a time (it is not changed after creation, so
/// concurrent reads are in fact safe).
#[derive(Debug)]
pub struct herald_report {
    report: ValidationReport,
    poison: Poison,
}

/// One problem of a report. The views stay valid while the report lives;
/// `code` is static.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct herald_issue {
    /// Stable code, e.g. `missing_field`, `out_of_range`, `invalid_utf8`.
    pub code: herald_str,
    /// RFC 6901 JSON Pointer to the value (empty for the whole payload).
    pub pointer: herald_str,
    /// What is wrong, for people.
    pub message: herald_str,
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

/// Reads the optional limits argument.
///
/// # Safety
/// `limits` is NULL or valid for reading.
unsafe fn limits_or_default(limits: *const herald_limits) -> Limits {
    // SAFETY: guaranteed by the caller.
    unsafe { limits.as_ref() }.map_or_else(Limits::default, |limits| Limits::from(*limits))
}

/// Hands a report to C as an owned handle.
pub(crate) fn report_handle(report: ValidationReport) -> *mut herald_report {
    Box::into_raw(Box::new(herald_report {
        report,
        poison: Poison::default(),
    }))
}

fn hand_over(report: ValidationReport, out: &mut *mut herald_report) {
    *out = report_handle(report);
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
/// for reading their lengths; `limits` is NULL or valid for reading; `out` is
/// valid for writing; `error` is NULL or a live error object.
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
    // SAFETY: `catalogue` is NULL or live (this function's contract).
    let handle = unsafe { catalogue.as_ref() };
    boundary::with_handle(handle, "catalogue", error, |handle| {
        // SAFETY: forwarded from this function's contract.
        let out = unsafe { boundary::output(out, "out") }?;
        // SAFETY: forwarded from this function's contract.
        let source = unsafe { boundary::text(source, source_len, "source") }?;
        // SAFETY: forwarded from this function's contract.
        let name = unsafe { boundary::text(name, name_len, "name") }?;
        // SAFETY: forwarded from this function's contract.
        let payload = unsafe { boundary::bytes(payload, payload_len, "payload") }?;
        // SAFETY: forwarded from this function's contract.
        let limits = unsafe { limits_or_default(limits) };
        let report = handle
            .get()
            .validate_with_limits(source, name, payload, &limits)
            .map_err(|error| validate_failure(&error))?;
        hand_over(report, out);
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
    // SAFETY: `catalogue` is NULL or live (this function's contract).
    let handle = unsafe { catalogue.as_ref() };
    boundary::with_handle(handle, "catalogue", error, |handle| {
        // SAFETY: forwarded from this function's contract.
        let out = unsafe { boundary::output(out, "out") }?;
        // SAFETY: forwarded from this function's contract.
        let schema = unsafe { boundary::text(schema, schema_len, "schema") }?;
        // SAFETY: forwarded from this function's contract.
        let payload = unsafe { boundary::bytes(payload, payload_len, "payload") }?;
        // SAFETY: forwarded from this function's contract.
        let limits = unsafe { limits_or_default(limits) };
        let report = handle
            .get()
            .validate_named_with_limits(schema, payload, &limits)
            .map_err(|error| validate_failure(&error))?;
        hand_over(report, out);
        Ok(())
    })
}

/// Frees a report. NULL is a no-op.
///
/// # Safety
/// `report` is NULL or came from this library and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_report_free(report: *mut herald_report) {
    // SAFETY: `report` is NULL or came from this library and is released once
    // (this function's contract).
    unsafe { boundary::free_boxed(report) }
}

/// Whether the payload is valid: no errors (warnings allowed). False for NULL
/// or a poisoned report.
///
/// # Safety
/// `report` is NULL or a live report.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_report_is_ok(report: *const herald_report) -> bool {
    // SAFETY: the caller passes NULL or a live report.
    boundary::read_or(unsafe { report.as_ref() }, false, |handle| {
        handle.report.is_ok()
    })
}

/// Whether issues were dropped because the error limit was reached (false for
/// NULL or a poisoned report).
///
/// # Safety
/// `report` is NULL or a live report.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_report_truncated(report: *const herald_report) -> bool {
    // SAFETY: the caller passes NULL or a live report.
    boundary::read_or(unsafe { report.as_ref() }, false, |handle| {
        handle.report.truncated
    })
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
    // SAFETY: the caller passes NULL or a live report.
    boundary::read_or(unsafe { report.as_ref() }, 0, |handle| {
        herald_severity::try_from(severity)
            .map_or(0, |severity| issues(&handle.report, severity).len())
    })
}

/// Describes issue number `index` of one severity. `HERALD_STATUS_OUT_OF_RANGE`
/// past the end; `HERALD_STATUS_INVALID_ARGUMENT` for an unknown severity.
///
/// # Safety
/// `report` is a live report; `out` is valid for writing; `error` is NULL or
/// a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_report_issue(
    report: *const herald_report,
    severity: i32,
    index: usize,
    out: *mut herald_issue,
    error: *mut herald_error,
) -> herald_status {
    // SAFETY: `report` is NULL or live (this function's contract).
    let handle = unsafe { report.as_ref() };
    boundary::with_handle(handle, "report", error, |handle| {
        // SAFETY: forwarded from this function's contract.
        let out = unsafe { boundary::output(out, "out") }?;
        let severity = severity_from_c(severity)?;
        let issue = issues(&handle.report, severity).get(index).ok_or_else(|| {
            Failure::new(
                herald_status::OutOfRange,
                "out_of_range",
                format!("index {index} is past the end"),
            )
        })?;
        *out = herald_issue {
            code: herald_str::borrow(issue.code.as_str()),
            pointer: herald_str::borrow(&issue.pointer),
            message: herald_str::borrow(&issue.message),
        };
        Ok(())
    })
}

/// Writes the JSON Schema (draft 2020-12) of the event (source, name)'s
/// payload into `buffer`, as `herald_catalogue_to_json` does.
///
/// # Safety
/// `catalogue` is a live catalogue; `source` and `name` are valid for reading
/// their lengths; `buffer` is NULL (with `capacity` 0) or valid for writing
/// `capacity` bytes; `out_len` is valid for writing; `error` is NULL or a live
/// error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_catalogue_json_schema(
    catalogue: *const herald_catalogue,
    source: *const c_char,
    source_len: usize,
    name: *const c_char,
    name_len: usize,
    buffer: *mut u8,
    capacity: usize,
    out_len: *mut usize,
    error: *mut herald_error,
) -> herald_status {
    // SAFETY: `catalogue` is NULL or live (this function's contract).
    let handle = unsafe { catalogue.as_ref() };
    boundary::with_handle(handle, "catalogue", error, |handle| {
        // SAFETY: forwarded from this function's contract.
        let out = unsafe { OutBuffer::new(buffer, capacity, out_len) }?;
        // SAFETY: forwarded from this function's contract.
        let source = unsafe { boundary::text(source, source_len, "source") }?;
        // SAFETY: forwarded from this function's contract.
        let name = unsafe { boundary::text(name, name_len, "name") }?;
        let schema = export::json_schema(handle.get(), source, name)
            .map_err(|error| validate_failure(&error))?;
        out.fill(pretty(&schema).as_bytes())
    })
}

/// Writes an AsyncAPI 3.0 document for `source` (channels, operations and
/// messages with payload schemas) into `buffer`, as `herald_catalogue_to_json`
/// does.
///
/// # Safety
/// As for `herald_catalogue_json_schema`, without the name.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_catalogue_asyncapi(
    catalogue: *const herald_catalogue,
    source: *const c_char,
    source_len: usize,
    buffer: *mut u8,
    capacity: usize,
    out_len: *mut usize,
    error: *mut herald_error,
) -> herald_status {
    // SAFETY: `catalogue` is NULL or live (this function's contract).
    let handle = unsafe { catalogue.as_ref() };
    boundary::with_handle(handle, "catalogue", error, |handle| {
        // SAFETY: forwarded from this function's contract.
        let out = unsafe { OutBuffer::new(buffer, capacity, out_len) }?;
        // SAFETY: forwarded from this function's contract.
        let source = unsafe { boundary::text(source, source_len, "source") }?;
        let document =
            export::asyncapi(handle.get(), source).map_err(|error| validate_failure(&error))?;
        out.fill(pretty(&document).as_bytes())
    })
}

fn pretty(value: &serde_json::Value) -> String {
    // A `Value` always serialises.
    serde_json::to_string_pretty(value).unwrap_or_default()
}

impl boundary::Guarded for herald_report {
    fn poison(&self) -> &Poison {
        &self.poison
    }
}
