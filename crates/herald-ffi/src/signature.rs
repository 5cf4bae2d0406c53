//! Webhook signatures from C: key sets, verification (alone, or followed by
//! decoding), signing, and the replay guard.
//!
//! This module converts arguments and outcomes and nothing more: the schemes,
//! the stable outcome codes and every check live in
//! `herald_core::signature`. It never puts a secret into an error message,
//! and it never hands C a body that did not verify.

use herald_core::signature::{
    self, Code, KeySet, Message, Rejection, ReplayGuard, ReplayRejection, Scheme, Tolerance,
    Verified, VerifyDecodeError,
};
use herald_core::wire::DecodeOptions;

use crate::boundary::{
    Extensible, Failure, free, get_or, guard, try_bytes, try_mut, try_out, try_ref, try_sized_out,
    try_slice, write_optional,
};
use crate::catalogue::herald_catalogue;
use crate::error::herald_error;
use crate::handle::{self, Castable, Opaque, Owned};
use crate::output::{herald_list, into_list};
use crate::status::herald_status;
use crate::text::herald_str;
use crate::validate::{herald_report, into_report};
use crate::wire::{format_from_c, herald_wire_event, wire_failure};

/// The `tolerance` of `herald_verify` that turns the timestamp check off.
/// The check is never skipped unless a call passes this.
pub const HERALD_TOLERANCE_NO_CHECK: i64 = -1;

/// Five minutes: the tolerance of the Standard Webhooks reference libraries.
pub const HERALD_TOLERANCE_REFERENCE: i64 = 300;

/// A signature scheme, passed from C as an `int32_t` and checked.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum herald_scheme {
    /// InPlayer merchant webhooks: `X-InPlayer-Signature: sha256=<hex>`.
    Inplayer = 0,
    /// Orangepill webhooks: `X-Orangepill-Signature` (and an optional
    /// `X-Orangepill-Timestamp`).
    Orangepill = 1,
    /// Standard Webhooks (Svix): `webhook-id`, `webhook-timestamp`,
    /// `webhook-signature` (or their `svix-*` aliases).
    StandardWebhooks = 2,
    /// Stripe-style: `Stripe-Signature: t=<unix>,v1=<hex>…`.
    Stripe = 3,
}

impl TryFrom<i32> for herald_scheme {
    /// The value that is not a scheme.
    type Error = i32;

    fn try_from(value: i32) -> Result<Self, i32> {
        match value {
            0 => Ok(herald_scheme::Inplayer),
            1 => Ok(herald_scheme::Orangepill),
            2 => Ok(herald_scheme::StandardWebhooks),
            3 => Ok(herald_scheme::Stripe),
            other => Err(other),
        }
    }
}

impl From<herald_scheme> for Scheme {
    fn from(scheme: herald_scheme) -> Scheme {
        match scheme {
            herald_scheme::Inplayer => Scheme::Inplayer,
            herald_scheme::Orangepill => Scheme::Orangepill,
            herald_scheme::StandardWebhooks => Scheme::StandardWebhooks,
            herald_scheme::Stripe => Scheme::Stripe,
        }
    }
}

impl From<Scheme> for herald_scheme {
    fn from(scheme: Scheme) -> herald_scheme {
        match scheme {
            Scheme::Inplayer => herald_scheme::Inplayer,
            Scheme::Orangepill => herald_scheme::Orangepill,
            Scheme::StandardWebhooks => herald_scheme::StandardWebhooks,
            Scheme::Stripe => herald_scheme::Stripe,
        }
    }
}

fn scheme_from_c(value: i32) -> Result<Scheme, Failure> {
    herald_scheme::try_from(value)
        .map(Scheme::from)
        .map_err(|other| {
            Failure::invalid_argument(format!(
                "{other} is not a herald_scheme (HERALD_SCHEME_INPLAYER to HERALD_SCHEME_STRIPE)"
            ))
        })
}

/// The stable outcome codes of verification, secrets and the replay guard as
/// numbers, for a `switch`: the same codes as the strings `herald_error_code`
/// gives, in the same stable order. New codes are only ever appended.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum herald_signature_code {
    /// `missing_header`: a header the scheme needs is absent or empty.
    MissingHeader = 0,
    /// `malformed_header`: a header is there but cannot be read.
    MalformedHeader = 1,
    /// `malformed_timestamp`: not unix seconds written as plain digits.
    MalformedTimestamp = 2,
    /// `timestamp_too_old`: more than the tolerance before `now`.
    TimestampTooOld = 3,
    /// `timestamp_too_new`: more than the tolerance after `now`.
    TimestampTooNew = 4,
    /// `no_supported_signature`: no signature of a version these keys verify.
    NoSupportedSignature = 5,
    /// `no_matching_signature`: signatures of a supported version, none matches.
    NoMatchingSignature = 6,
    /// `invalid_secret`: a secret is empty or cannot be decoded for its scheme.
    InvalidSecret = 7,
    /// `duplicate`: the replay guard saw this message id within its window.
    Duplicate = 8,
    /// `replay_guard_full`: the replay guard holds its capacity of live ids.
    ReplayGuardFull = 9,
}

/// The number of a code: its position in `Code::ALL`, which
/// `herald_signature_code` follows (a test checks the two agree).
fn code_number(code: Code) -> i32 {
    Code::ALL
        .iter()
        .position(|known| *known == code)
        .and_then(|position| i32::try_from(position).ok())
        .unwrap_or(-1)
}

/// The `herald_signature_code` of the failure recorded in `error`, or -1 when
/// `error` is NULL or holds no signature outcome (statuses
/// `HERALD_STATUS_SIGNATURE_REJECTED`, `HERALD_STATUS_INVALID_SECRET`,
/// `HERALD_STATUS_DUPLICATE_MESSAGE`, `HERALD_STATUS_REPLAY_GUARD_FULL`).
///
/// # Safety
/// `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_error_signature_code(error: *const herald_error) -> i32 {
    get_or!(error, -1, |record| {
        let signature_status = matches!(
            record.status,
            herald_status::SignatureRejected
                | herald_status::InvalidSecret
                | herald_status::DuplicateMessage
                | herald_status::ReplayGuardFull
        );
        match record.code.parse::<Code>() {
            Ok(code) if signature_status => code_number(code),
            _ => -1,
        }
    })
}

fn rejection_failure(rejection: &Rejection) -> Failure {
    Failure::new(
        herald_status::SignatureRejected,
        rejection.code().as_str(),
        rejection.to_string(),
    )
}

fn tolerance_from_c(tolerance: i64) -> Result<Tolerance, Failure> {
    if tolerance == HERALD_TOLERANCE_NO_CHECK {
        return Ok(Tolerance::NoCheck);
    }
    u64::try_from(tolerance)
        .map(Tolerance::Seconds)
        .map_err(|_| {
            Failure::invalid_argument(format!(
                "`tolerance` is {tolerance}: give seconds (0 or more), or \
                 HERALD_TOLERANCE_NO_CHECK to turn the timestamp check off"
            ))
        })
}

/// The keys a receiver accepts for one scheme, in order. During a rotation
/// it holds the old and the new secret; `herald_verified.key` says which
/// one matched. Secrets are parsed once, when added.
///
/// Thread safety: one thread at a time while adding or removing; then any
/// number of threads may verify with it.
#[derive(Debug)]
pub struct herald_key_set {
    _opaque: Opaque,
}

impl Castable for herald_key_set {
    type Ownership = Owned;
    type Value = KeySet;
}

/// Creates an empty key set for `scheme` (a `herald_scheme`) and writes it to
/// `*out` (free it with `herald_key_set_free`). `HERALD_STATUS_INVALID_ARGUMENT`
/// for a value that is not a scheme.
///
/// # Safety
/// `out` is valid for writing; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_key_set_new(
    scheme: i32,
    out: *mut *mut herald_key_set,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |_call| {
        let out = try_out!(out)?;
        let scheme = scheme_from_c(scheme)?;
        *out = handle::into_owned(KeySet::new(scheme));
        Ok(())
    })
}

/// Frees a key set. NULL is a no-op.
///
/// # Safety
/// `keys` is NULL or came from `herald_key_set_new` and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_key_set_free(keys: *mut herald_key_set) {
    free!(keys)
}

/// Parses `secret` (`secret_len` bytes) by the rules of the set's scheme and
/// appends it; writes its index to `*out_index` (may be NULL).
/// `HERALD_STATUS_INVALID_SECRET` (code `invalid_secret`) for an empty secret
/// or one that does not decode for the scheme; the set is then unchanged and
/// the message never repeats the secret.
///
/// InPlayer, Orangepill and Stripe use the bytes as given (a Stripe `whsec_`
/// prefix is part of the key); Standard Webhooks reads `whsec_` + base64
/// (HMAC, `v1`), `whpk_` and `whsk_` ed25519 keys (`v1a`).
///
/// # Safety
/// `keys` is a live key set used by no other thread; `secret` is valid for
/// reading `secret_len` bytes; `out_index` is NULL or valid for writing;
/// `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_key_set_add(
    keys: *mut herald_key_set,
    secret: *const u8,
    secret_len: usize,
    out_index: *mut usize,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let keys = try_mut!(call, keys)?;
        let secret = try_bytes!(secret, secret_len)?;
        let index = keys.add(secret).map_err(|invalid| {
            Failure::new(
                herald_status::InvalidSecret,
                invalid.code().as_str(),
                format!("invalid secret: {invalid}"),
            )
        })?;
        write_optional!(out_index, index);
        Ok(())
    })
}

/// Removes the key at `index`; the keys after it move down by one.
/// `HERALD_STATUS_OUT_OF_RANGE` when there is none.
///
/// # Safety
/// `keys` is a live key set used by no other thread; `error` is NULL or a
/// live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_key_set_remove(
    keys: *mut herald_key_set,
    index: usize,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let keys = try_mut!(call, keys)?;
        if keys.remove(index) {
            Ok(())
        } else {
            Err(Failure::out_of_range(index))
        }
    })
}

/// The number of keys in the set (0 for NULL).
///
/// # Safety
/// `keys` is NULL or a live key set not being changed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_key_set_len(keys: *const herald_key_set) -> usize {
    get_or!(keys, 0, |keys| keys.len())
}

/// The set's scheme (a `herald_scheme`), or -1 for NULL.
///
/// # Safety
/// `keys` is NULL or a live key set not being changed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_key_set_scheme(keys: *const herald_key_set) -> i32 {
    get_or!(keys, -1, |keys| herald_scheme::from(keys.scheme()) as i32)
}

/// One received HTTP header: its name and value as bytes (not necessarily
/// UTF-8, not NUL-terminated), exactly as the HTTP parser gave them. Names
/// are compared without regard to letter case.
///
/// Frozen: this struct will never change its layout.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct herald_header {
    /// First byte of the name; never NULL.
    pub name: *const u8,
    /// Length of the name in bytes.
    pub name_len: usize,
    /// First byte of the value; never NULL (an empty value still points somewhere).
    pub value: *const u8,
    /// Length of the value in bytes.
    pub value_len: usize,
}

/// What a verified message's signature vouched for.
///
/// Extensible: set `size` to `sizeof(herald_verified)` before passing it in
/// (as for `herald_event`).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct herald_verified {
    /// The size of this struct as the caller knows it; see `herald_event`.
    pub size: usize,
    /// The index in the key set of the key that matched (the first one when
    /// several do).
    pub key: usize,
    /// The signed message id (Standard Webhooks' `webhook-id`): a view into
    /// the value of the header the caller passed, valid as long as that is.
    /// Empty when `has_id` is false.
    pub id: herald_str,
    /// The signed timestamp in unix seconds, when `has_timestamp`.
    pub timestamp: i64,
    /// Whether the scheme signed a message id.
    pub has_id: bool,
    /// Whether the message carried a signed timestamp: never for InPlayer,
    /// and for Orangepill only with its timestamp header.
    pub has_timestamp: bool,
}

// SAFETY: `#[repr(C)]` plain data starting with `size: usize`; `SIZE_V2` is
// the end of its last field.
unsafe impl Extensible for herald_verified {
    const SIZE_V2: usize = std::mem::offset_of!(herald_verified, has_timestamp) + size_of::<bool>();
}

/// Received headers as the `(name, value)` pairs the core reads.
type HeaderPairs<'a> = Vec<(&'a [u8], &'a [u8])>;

/// The caller's headers, each field checked (it lives as long as the array).
fn read_headers(headers: &[herald_header]) -> Result<HeaderPairs<'_>, Failure> {
    headers
        .iter()
        .enumerate()
        .map(|(index, header)| {
            let name = header_field(header.name, header.name_len, || {
                format!("headers[{index}].name")
            })?;
            let value = header_field(header.value, header.value_len, || {
                format!("headers[{index}].value")
            })?;
            Ok((name, value))
        })
        .collect()
}

/// One field of a `herald_header`, named in the error only when it fails
/// (so a good call formats nothing).
fn header_field<'a>(
    ptr: *const u8,
    len: usize,
    name: impl FnOnce() -> String,
) -> Result<&'a [u8], Failure> {
    if ptr.is_null() {
        return Err(Failure::null(&name()));
    }
    if len > isize::MAX as usize {
        return Err(Failure::invalid_argument(format!(
            "`{}` length {len} is larger than any object can be",
            name()
        )));
    }
    try_bytes!(ptr, len, "headers[].field")
}

/// The `herald_verified` of a verified message: the id is a view of the
/// caller's header value that carried it (the core verified it byte for
/// byte, so that value is the id).
fn describe(verified: &Verified, headers: &[(&[u8], &[u8])]) -> herald_verified {
    let id = verified.id.as_deref().and_then(|id| {
        headers
            .iter()
            .find(|(_, value)| *value == id.as_bytes())
            .and_then(|(_, value)| std::str::from_utf8(value).ok())
    });
    herald_verified {
        size: size_of::<herald_verified>(),
        key: verified.key,
        id: id.map_or_else(herald_str::empty, herald_str::borrow),
        timestamp: verified.timestamp.unwrap_or(0),
        has_id: id.is_some(),
        has_timestamp: verified.timestamp.is_some(),
    }
}

/// Verifies a webhook: `header_count` received headers, the raw `body`
/// exactly as received (`body_len` bytes), the caller's clock `now` (unix
/// seconds) and `tolerance`: how many seconds a signed timestamp may be from
/// `now` either way (`HERALD_TOLERANCE_REFERENCE` is the reference libraries'
/// 300), or `HERALD_TOLERANCE_NO_CHECK` to turn the check off. Any other
/// negative tolerance is `HERALD_STATUS_INVALID_ARGUMENT`.
///
/// On success writes what the signature vouched for to `*out` (may be NULL):
/// the index of the matching key, and the signed id and timestamp for
/// `herald_replay_guard_admit`. A message that does not verify is
/// `HERALD_STATUS_SIGNATURE_REJECTED`; the error's code is the stable
/// outcome (`missing_header`, `malformed_header`, `malformed_timestamp`,
/// `timestamp_too_old`, `timestamp_too_new`, `no_supported_signature`,
/// `no_matching_signature`; as a number: `herald_error_signature_code`), and
/// the message never says which byte of a signature differed.
///
/// `headers` may be NULL when `header_count` is 0 (then the outcome is
/// `missing_header`). `body` may not be NULL, even when empty.
///
/// Thread safety: any number of threads may verify with one key set at once.
///
/// # Safety
/// `keys` is a live key set not being changed; `headers` is valid for reading
/// `header_count` headers, each field valid for its length; `body` is valid
/// for reading `body_len` bytes; `out` is NULL or points at a
/// `herald_verified` whose `size` is set, valid for writing that many bytes;
/// `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_verify(
    keys: *const herald_key_set,
    headers: *const herald_header,
    header_count: usize,
    body: *const u8,
    body_len: usize,
    now: i64,
    tolerance: i64,
    out: *mut herald_verified,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let keys = try_ref!(call, keys)?;
        let out = if out.is_null() {
            None
        } else {
            Some(try_sized_out!(out)?)
        };
        let headers = read_headers(try_slice!(headers, header_count)?)?;
        let body = try_bytes!(body, body_len)?;
        let tolerance = tolerance_from_c(tolerance)?;
        let verified = signature::verify(keys, &headers, body, now, tolerance)
            .map_err(|rejection| rejection_failure(&rejection))?;
        if let Some(out) = out {
            out.write(describe(&verified, &headers));
        }
        Ok(())
    })
}

/// Verifies a webhook as `herald_verify` does and only then decodes the same
/// raw bytes in `format` (a `herald_wire_format`), resolved in `catalogue` and
/// validated, as `herald_wire_decode` does. A body that does not verify is
/// never decoded.
///
/// The natural pairs: `HERALD_SCHEME_INPLAYER` with
/// `HERALD_WIRE_FORMAT_INPLAYER_WEBHOOK` (the raw form body); Orangepill and
/// Standard Webhooks bodies are JSON events (`HERALD_WIRE_FORMAT_ORANGEPILL`,
/// `HERALD_WIRE_FORMAT_INPLAYER_NOTIFICATION`).
///
/// On success writes `*out_verified` (may be NULL), the event to `*out_event`
/// (free with `herald_wire_event_free`; its id is the body's own id, which
/// InPlayer's scheme signs) and the validation report to `*out_report` (free
/// with `herald_report_free`). Fails with `HERALD_STATUS_SIGNATURE_REJECTED`
/// (nothing decoded) or, after a successful verification,
/// `HERALD_STATUS_INVALID_WIRE`.
///
/// # Safety
/// As for `herald_verify`; `catalogue` is a live catalogue; `out_event` and
/// `out_report` are valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_verify_then_decode(
    keys: *const herald_key_set,
    headers: *const herald_header,
    header_count: usize,
    body: *const u8,
    body_len: usize,
    now: i64,
    tolerance: i64,
    catalogue: *const herald_catalogue,
    format: i32,
    out_verified: *mut herald_verified,
    out_event: *mut *mut herald_wire_event,
    out_report: *mut *mut herald_report,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let keys = try_ref!(call, keys)?;
        let catalogue = try_ref!(call, catalogue)?;
        let out_verified = if out_verified.is_null() {
            None
        } else {
            Some(try_sized_out!(out_verified)?)
        };
        let out_event = try_out!(out_event)?;
        let out_report = try_out!(out_report)?;
        let format = format_from_c(format)?;
        let headers = read_headers(try_slice!(headers, header_count)?)?;
        let body = try_bytes!(body, body_len)?;
        let tolerance = tolerance_from_c(tolerance)?;
        let authentic = signature::verify_then_decode(
            keys,
            &headers,
            body,
            now,
            tolerance,
            format,
            catalogue,
            &DecodeOptions::default(),
        )
        .map_err(|error| match error {
            VerifyDecodeError::Rejected(rejection) => rejection_failure(&rejection),
            VerifyDecodeError::Undecodable(error) => wire_failure(&error),
            other => Failure::new(herald_status::InvalidWire, other.code(), other.to_string()),
        })?;
        if let Some(out) = out_verified {
            out.write(describe(&authentic.verified, &headers));
        }
        *out_event = handle::into_owned(authentic.decoded.event.into_owned());
        *out_report = into_report(authentic.decoded.report);
        Ok(())
    })
}

/// Signs `body` with every key of `keys` and writes the headers to send to
/// `*out_headers` as a new list of `Name: value` lines, in the order the
/// scheme lists them (free it with `herald_list_free`). Deterministic: the
/// same key and message always give the same lines.
///
/// What each scheme signs: `inplayer` the body only (`id` NULL,
/// `has_timestamp` false); `orangepill` the body and optionally a
/// timestamp; `standard-webhooks` an id and a timestamp; `stripe` a
/// timestamp. `id` NULL means no id (then `id_len` is ignored); a field the
/// scheme does not sign is refused rather than dropped. Failures are
/// `HERALD_STATUS_CANNOT_SIGN` with the code `no_key`, `one_key_only`,
/// `public_key`, `missing_id`, `missing_timestamp`, `not_signed`,
/// `invalid_id` or `invalid_timestamp`.
///
/// # Safety
/// `keys` is a live key set not being changed; `id` is NULL or valid for
/// reading `id_len` bytes; `body` is valid for reading `body_len` bytes;
/// `out_headers` is valid for writing; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_sign(
    keys: *const herald_key_set,
    id: *const u8,
    id_len: usize,
    has_timestamp: bool,
    timestamp: i64,
    body: *const u8,
    body_len: usize,
    out_headers: *mut *mut herald_list,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let keys = try_ref!(call, keys)?;
        let out_headers = try_out!(out_headers)?;
        let id = if id.is_null() {
            None
        } else {
            let bytes = try_bytes!(id, id_len)?;
            // A message id is visible ASCII; anything else cannot be signed.
            Some(std::str::from_utf8(bytes).map_err(|_| {
                Failure::new(
                    herald_status::CannotSign,
                    "invalid_id",
                    "the message id must be visible ASCII without spaces",
                )
            })?)
        };
        let body = try_bytes!(body, body_len)?;
        let message = Message {
            id,
            timestamp: has_timestamp.then_some(timestamp),
            body,
        };
        let headers = signature::sign(keys, &message).map_err(|refusal| {
            Failure::new(
                herald_status::CannotSign,
                refusal.code(),
                format!("cannot sign: {refusal}"),
            )
        })?;
        *out_headers = into_list(
            headers
                .iter()
                .map(|header| header.to_string().into_bytes())
                .collect(),
        );
        Ok(())
    })
}

/// Remembers the ids of verified messages for a window of seconds and
/// refuses a second delivery of one; bounded by a capacity. Sans-IO: every
/// call takes the caller's `now`.
///
/// Thread safety: one thread at a time.
#[derive(Debug)]
pub struct herald_replay_guard {
    _opaque: Opaque,
}

impl Castable for herald_replay_guard {
    type Ownership = Owned;
    type Value = ReplayGuard;
}

/// Creates a replay guard that remembers ids for `window` seconds (use the
/// tolerance messages are verified with) and holds at most `capacity` of
/// them. Free it with `herald_replay_guard_free`. Returns NULL only on an
/// internal error.
#[unsafe(no_mangle)]
pub extern "C" fn herald_replay_guard_new(
    window: u64,
    capacity: usize,
) -> *mut herald_replay_guard {
    handle::create_owned(|| ReplayGuard::new(window, capacity))
}

/// Frees a replay guard. NULL is a no-op.
///
/// # Safety
/// `guard` is NULL or came from `herald_replay_guard_new` and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_replay_guard_free(guard: *mut herald_replay_guard) {
    free!(guard)
}

/// Admits the message `id` (`id_len` bytes) at `now`. `signed_at` is the
/// message's verified timestamp when `has_signed_at` (see
/// `herald_verified`); the id is then remembered until
/// `max(now, signed_at) + window`, else until `now + window`.
///
/// `HERALD_STATUS_DUPLICATE_MESSAGE` (code `duplicate`) when the id was
/// admitted within its window; `HERALD_STATUS_REPLAY_GUARD_FULL` (code
/// `replay_guard_full`) when the guard holds `capacity` live ids: it refuses
/// rather than forget one, which would let that message be replayed. A
/// refused id is not recorded. Give it only ids a signature vouched for.
///
/// # Safety
/// `guard` is a live replay guard used by no other thread; `id` is valid for
/// reading `id_len` bytes; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_replay_guard_admit(
    guard: *mut herald_replay_guard,
    id: *const u8,
    id_len: usize,
    has_signed_at: bool,
    signed_at: i64,
    now: i64,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let replay_guard = try_mut!(call, guard)?;
        let id = try_bytes!(id, id_len)?;
        replay_guard
            .admit(id, has_signed_at.then_some(signed_at), now)
            .map_err(|rejection| {
                let status = match rejection {
                    ReplayRejection::Duplicate => herald_status::DuplicateMessage,
                    _ => herald_status::ReplayGuardFull,
                };
                Failure::new(status, rejection.code().as_str(), rejection.to_string())
            })
    })
}

/// Forgets every id whose window ended before `now`, releasing memory
/// between messages (`herald_replay_guard_admit` does this itself).
///
/// # Safety
/// `guard` is a live replay guard used by no other thread; `error` is NULL
/// or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_replay_guard_forget_expired(
    guard: *mut herald_replay_guard,
    now: i64,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        try_mut!(call, guard)?.forget_expired(now);
        Ok(())
    })
}

/// How many ids the guard remembers (0 for NULL); some may have expired
/// since the last call that took `now`.
///
/// # Safety
/// `guard` is NULL or a live replay guard not being changed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_replay_guard_len(guard: *const herald_replay_guard) -> usize {
    get_or!(guard, 0, |guard| guard.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_c_code_numbers_follow_the_stable_order_of_the_core() {
        let numbered = [
            (herald_signature_code::MissingHeader, "missing_header"),
            (herald_signature_code::MalformedHeader, "malformed_header"),
            (
                herald_signature_code::MalformedTimestamp,
                "malformed_timestamp",
            ),
            (herald_signature_code::TimestampTooOld, "timestamp_too_old"),
            (herald_signature_code::TimestampTooNew, "timestamp_too_new"),
            (
                herald_signature_code::NoSupportedSignature,
                "no_supported_signature",
            ),
            (
                herald_signature_code::NoMatchingSignature,
                "no_matching_signature",
            ),
            (herald_signature_code::InvalidSecret, "invalid_secret"),
            (herald_signature_code::Duplicate, "duplicate"),
            (herald_signature_code::ReplayGuardFull, "replay_guard_full"),
        ];
        assert_eq!(numbered.len(), Code::ALL.len());
        for ((number, name), code) in numbered.into_iter().zip(Code::ALL) {
            assert_eq!(code.as_str(), name);
            assert_eq!(code_number(code), number as i32, "{name}");
        }
    }

    #[test]
    fn every_scheme_converts_both_ways_and_other_numbers_are_refused() {
        for scheme in Scheme::ALL {
            let number = herald_scheme::from(scheme) as i32;
            assert_eq!(scheme_from_c(number).unwrap(), scheme);
        }
        for refused in [-1, 4, i32::MAX, i32::MIN] {
            assert_eq!(
                scheme_from_c(refused).unwrap_err().status,
                herald_status::InvalidArgument
            );
        }
    }

    #[test]
    fn only_the_named_constant_turns_the_timestamp_check_off() {
        assert_eq!(
            tolerance_from_c(HERALD_TOLERANCE_NO_CHECK).unwrap(),
            Tolerance::NoCheck
        );
        assert_eq!(tolerance_from_c(0).unwrap(), Tolerance::Seconds(0));
        assert_eq!(
            tolerance_from_c(HERALD_TOLERANCE_REFERENCE).unwrap(),
            Tolerance::REFERENCE
        );
        for refused in [-2, i64::MIN] {
            assert_eq!(
                tolerance_from_c(refused).unwrap_err().status,
                herald_status::InvalidArgument
            );
        }
    }
}
