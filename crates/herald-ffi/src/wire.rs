//! Vendor wire formats: decoding and encoding events, and the Orangepill
//! realm subscription protocol (a sans-IO hub of sessions).

use std::collections::HashMap;
use std::os::raw::c_char;

use herald_core::wire::orangepill::{Hub, Outcome};
use herald_core::wire::{self, Event, Timestamp, WireFormat};
use herald_core::wire::{WireError, WireErrorKind};

use crate::boundary::{
    self, Extensible, Failure, free, guard, try_bytes, try_mut, try_out, try_ref, try_sized_out,
    try_slice_mut, try_str, write_optional,
};
use crate::catalogue::herald_catalogue;
use crate::error::herald_error;
use crate::handle::{self, Castable, Opaque, Owned};
use crate::output::{herald_buffer, herald_list, into_buffer, into_list};
use crate::status::herald_status;
use crate::text::{herald_bytes, herald_str};
use crate::validate::{herald_report, into_report};

/// A wire format, passed from C as an `int32_t` and checked.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum herald_wire_format {
    /// InPlayer client notifications: the JSON message `{type, timestamp, resource}`.
    InplayerNotification = 0,
    /// InPlayer merchant webhooks: an `application/x-www-form-urlencoded` body.
    InplayerWebhook = 1,
    /// Orangepill's realm stream: JSON notification frames.
    Orangepill = 2,
    /// AccelByte lobby `messageNotif` text frames carrying wallet notifications.
    AccelbyteLobby = 3,
}

pub(crate) fn format_from_c(value: i32) -> Result<WireFormat, Failure> {
    let format = match value {
        0 => WireFormat::InplayerNotification,
        1 => WireFormat::InplayerWebhook,
        2 => WireFormat::Orangepill,
        3 => WireFormat::AccelbyteLobby,
        other => {
            return Err(Failure::new(
                herald_status::InvalidArgument,
                "invalid_argument",
                format!("{other} is not a herald_wire_format (0 to 3)"),
            ));
        }
    };
    Ok(format)
}

fn format_to_c(format: WireFormat) -> i32 {
    match format {
        WireFormat::InplayerNotification => herald_wire_format::InplayerNotification as i32,
        WireFormat::InplayerWebhook => herald_wire_format::InplayerWebhook as i32,
        WireFormat::Orangepill => herald_wire_format::Orangepill as i32,
        WireFormat::AccelbyteLobby => herald_wire_format::AccelbyteLobby as i32,
    }
}

/// What a realm client frame did, passed to C as an `int32_t`.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum herald_realm_outcome {
    /// The session now receives the realm's notifications.
    Subscribed = 0,
    /// It already did; success reply, nothing changed.
    AlreadySubscribed = 1,
    /// The session no longer receives the realm's notifications.
    Unsubscribed = 2,
    /// It did not receive them; success reply, nothing changed.
    NotSubscribed = 3,
    /// The realm key is not valid: failure reply, nothing changed.
    InvalidKey = 4,
    /// The frame is not a client message: failure reply, nothing changed.
    Malformed = 5,
}

/// A normalised event: what a decoder produces and an encoder consumes.
/// Free it with `herald_wire_event_free`.
///
/// Thread safety: immutable after creation; any number of threads may read
/// and encode it.
#[derive(Debug)]
pub struct herald_wire_event {
    _opaque: Opaque,
}

impl Castable for herald_wire_event {
    type Ownership = Owned;
    type Value = Event<'static>;
}

/// How the event's timestamp was sent.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum herald_timestamp_kind {
    /// The event carries no timestamp.
    None = 0,
    /// Unix seconds, in `timestamp_unix`.
    Unix = 1,
    /// Text (digits or a date-time), in `timestamp_text`.
    Text = 2,
}

/// Plain-data description of a normalised event; the views stay valid while
/// the event lives.
///
/// Extensible: set `size` to `sizeof(herald_wire_event_info)` before passing
/// it in (as for `herald_event`).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct herald_wire_event_info {
    /// The size of this struct as the caller knows it; see `herald_event`.
    pub size: usize,
    /// The wire format (a `herald_wire_format`).
    pub format: i32,
    /// The catalogue source, e.g. `orangepill-stream`.
    pub source: herald_str,
    /// The event name as sent, e.g. `sms.message.sent`.
    pub name: herald_str,
    /// The template parameter value when the name instantiates a template
    /// (`sms`), else empty.
    pub template_value: herald_str,
    /// The event id (webhook `id`, lobby `id`), empty when `has_id` is false.
    pub id: herald_str,
    /// Whether the event carries an id.
    pub has_id: bool,
    /// How the timestamp was sent (a `herald_timestamp_kind`).
    pub timestamp_kind: i32,
    /// Unix seconds when `timestamp_kind` is `HERALD_TIMESTAMP_KIND_UNIX`.
    pub timestamp_unix: i64,
    /// The text when `timestamp_kind` is `HERALD_TIMESTAMP_KIND_TEXT`.
    pub timestamp_text: herald_str,
    /// The payload the catalogue's schema describes (usually JSON).
    pub payload: herald_bytes,
}

// SAFETY: `#[repr(C)]` plain data starting with `size: usize`; `SIZE_V2` is
// the end of its last field.
unsafe impl Extensible for herald_wire_event_info {
    const SIZE_V2: usize =
        std::mem::offset_of!(herald_wire_event_info, payload) + size_of::<herald_bytes>();
}

pub(crate) fn wire_failure(error: &WireError) -> Failure {
    let status = match error.kind() {
        WireErrorKind::UnknownSession => herald_status::UnknownSession,
        _ => herald_status::InvalidWire,
    };
    Failure::new(status, error.code(), error.to_string())
}

/// Decodes `len` bytes in `format` (a `herald_wire_format`) into a
/// normalised event, resolved in `catalogue` and validated against the
/// event's schema. On success writes the event to `*out_event` (free with
/// `herald_wire_event_free`) and the validation report to `*out_report` (free
/// with `herald_report_free`). Input that cannot be decoded (malformed JSON,
/// escapes or brackets, a conflicting form shape, an unknown event) is
/// `HERALD_STATUS_INVALID_WIRE` with the rule in the error code.
///
/// # Safety
/// `catalogue` is a live catalogue; `bytes` is valid for reading `len`
/// bytes; `out_event` and `out_report` are valid for writing; `error` is
/// NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_wire_decode(
    catalogue: *const herald_catalogue,
    format: i32,
    bytes: *const u8,
    len: usize,
    out_event: *mut *mut herald_wire_event,
    out_report: *mut *mut herald_report,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let catalogue = try_ref!(call, catalogue)?;
        let out_event = try_out!(out_event)?;
        let out_report = try_out!(out_report)?;
        let format = format_from_c(format)?;
        let bytes = try_bytes!(bytes, len)?;
        let decoded =
            wire::decode(format, catalogue, bytes).map_err(|error| wire_failure(&error))?;
        *out_event = handle::into_owned(decoded.event.into_owned());
        *out_report = into_report(decoded.report);
        Ok(())
    })
}

/// Reads a normalised event from its JSON document (the form `herald decode
/// --json` prints and `herald_wire_event_to_json` writes), e.g. to encode an
/// event a program built itself.
///
/// # Safety
/// `json` is valid for reading `len` bytes; `out_event` is valid for
/// writing; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_wire_event_from_json(
    json: *const u8,
    len: usize,
    out_event: *mut *mut herald_wire_event,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |_call| {
        let out_event = try_out!(out_event)?;
        let json = try_bytes!(json, len)?;
        let event = Event::from_json(json).map_err(|error| wire_failure(&error))?;
        *out_event = handle::into_owned(event);
        Ok(())
    })
}

/// Frees an event. NULL is a no-op.
///
/// # Safety
/// `event` is NULL or came from this library and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_wire_event_free(event: *mut herald_wire_event) {
    free!(event)
}

/// Describes an event (views valid while the event lives).
///
/// # Safety
/// `event` is a live event; `out` points at a `herald_wire_event_info` whose
/// `size` is set, valid for writing that many bytes; `error` is NULL or a
/// live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_wire_event_describe(
    event: *const herald_wire_event,
    out: *mut herald_wire_event_info,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let event = try_ref!(call, event)?;
        let out = try_sized_out!(out)?;
        let (timestamp_kind, timestamp_unix, timestamp_text) = match &event.timestamp {
            None => (herald_timestamp_kind::None, 0, herald_str::empty()),
            Some(Timestamp::Unix(seconds)) => {
                (herald_timestamp_kind::Unix, *seconds, herald_str::empty())
            }
            Some(Timestamp::Text(text)) => {
                (herald_timestamp_kind::Text, 0, herald_str::borrow(text))
            }
        };
        out.write(herald_wire_event_info {
            size: size_of::<herald_wire_event_info>(),
            format: format_to_c(event.format),
            source: herald_str::borrow(event.source()),
            name: herald_str::borrow(&event.name),
            template_value: event
                .template
                .as_ref()
                .map_or_else(herald_str::empty, |binding| {
                    herald_str::borrow(&binding.value)
                }),
            id: event
                .id
                .as_deref()
                .map_or_else(herald_str::empty, herald_str::borrow),
            has_id: event.id.is_some(),
            timestamp_kind: timestamp_kind as i32,
            timestamp_unix,
            timestamp_text,
            payload: herald_bytes::borrow(&event.payload),
        });
        Ok(())
    })
}

/// Encodes an event in its format's exact wire form and writes it to `*out`
/// as a new buffer (free it with `herald_buffer_free`).
///
/// # Safety
/// `event` is a live event; `out` is valid for writing; `error` is NULL or a
/// live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_wire_encode(
    event: *const herald_wire_event,
    out: *mut *mut herald_buffer,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let event = try_ref!(call, event)?;
        let out = try_out!(out)?;
        let bytes = wire::encode(event).map_err(|error| wire_failure(&error))?;
        *out = into_buffer(bytes);
        Ok(())
    })
}

/// Renders the event's JSON document (format, name, id, timestamp, payload,
/// envelope) and writes it to `*out` as a new buffer (free it with
/// `herald_buffer_free`).
///
/// # Safety
/// As for `herald_wire_encode`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_wire_event_to_json(
    event: *const herald_wire_event,
    out: *mut *mut herald_buffer,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let event = try_ref!(call, event)?;
        let out = try_out!(out)?;
        *out = into_buffer(event.to_json());
        Ok(())
    })
}

/// Realm keys a hub accepts: realm key → realm id.
///
/// Thread safety: one thread at a time while adding; any number of threads
/// may pass it to hubs once filled.
#[derive(Debug)]
pub struct herald_realm_keys {
    _opaque: Opaque,
}

impl Castable for herald_realm_keys {
    type Ownership = Owned;
    type Value = HashMap<String, String>;
}

/// Creates an empty key set. Free it with `herald_realm_keys_free`.
#[unsafe(no_mangle)]
pub extern "C" fn herald_realm_keys_new() -> *mut herald_realm_keys {
    handle::create_owned(HashMap::new)
}

/// Frees a key set. NULL is a no-op.
///
/// # Safety
/// `keys` is NULL or came from `herald_realm_keys_new` and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_realm_keys_free(keys: *mut herald_realm_keys) {
    free!(keys)
}

/// Accepts `key` for the realm `realm_id` (the id sent back in `info`
/// replies). Adding a key again replaces its realm id.
///
/// # Safety
/// `keys` is a live key set used by no other thread; `key` and `realm_id` are
/// valid for reading their lengths; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_realm_keys_add(
    keys: *mut herald_realm_keys,
    key: *const c_char,
    key_len: usize,
    realm_id: *const c_char,
    realm_id_len: usize,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let keys = try_mut!(call, keys)?;
        let key = try_str!(key, key_len)?;
        let realm_id = try_str!(realm_id, realm_id_len)?;
        keys.insert(key.to_owned(), realm_id.to_owned());
        Ok(())
    })
}

/// The Orangepill realm subscription protocol for many client connections,
/// sans-IO: feed each connection's frames in, send the reply frames out, and
/// ask who receives an event of a realm.
///
/// Thread safety: one thread at a time.
#[derive(Debug)]
pub struct herald_realm_hub {
    _opaque: Opaque,
}

impl Castable for herald_realm_hub {
    type Ownership = Owned;
    type Value = Hub;
}

/// Creates an empty hub. Free it with `herald_realm_hub_free`.
#[unsafe(no_mangle)]
pub extern "C" fn herald_realm_hub_new() -> *mut herald_realm_hub {
    handle::create_owned(Hub::new)
}

/// Frees a hub. NULL is a no-op.
///
/// # Safety
/// `hub` is NULL or came from `herald_realm_hub_new` and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_realm_hub_free(hub: *mut herald_realm_hub) {
    free!(hub)
}

/// Opens a session for a new client connection and writes its id (from 1,
/// never reused) to `*out_session`.
///
/// # Safety
/// `hub` is a live hub used by no other thread; `out_session` is valid for
/// writing; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_realm_hub_open(
    hub: *mut herald_realm_hub,
    out_session: *mut u64,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let hub = try_mut!(call, hub)?;
        let out_session = try_out!(out_session)?;
        *out_session = hub.open();
        Ok(())
    })
}

/// Closes a session (the connection went away): it receives nothing more.
/// `HERALD_STATUS_UNKNOWN_SESSION` if there is no such session.
///
/// # Safety
/// `hub` is a live hub used by no other thread; `error` is NULL or a live
/// error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_realm_hub_close(
    hub: *mut herald_realm_hub,
    session: u64,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let hub = try_mut!(call, hub)?;
        if hub.close(session) {
            Ok(())
        } else {
            Err(Failure::new(
                herald_status::UnknownSession,
                WireErrorKind::UnknownSession.code(),
                format!("no session has id {session}"),
            ))
        }
    })
}

/// Feeds one client frame (`{"type":"subscribe","realm":KEY}` or
/// `unsubscribe`) of `session` to the hub, checking keys against `keys` and
/// stamping replies with `now` (Unix seconds, from the caller's clock).
/// Writes the reply frames to `*out_frames` as a new list (always two: `info`
/// then the echo, or `info` with realm `NONE` then `error`; free it with
/// `herald_list_free`) and what happened to `*out_outcome` (a
/// `herald_realm_outcome`; may be NULL). A malformed frame is not a failure
/// of the call: it gets the failure reply and
/// `HERALD_REALM_OUTCOME_MALFORMED`, and the session stays usable.
///
/// # Safety
/// `hub` is a live hub used by no other thread; `frame` is valid for reading
/// `frame_len` bytes; `keys` is a live key set; `out_frames` is valid for
/// writing; `out_outcome` is NULL or valid for writing; `error` is NULL or a
/// live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_realm_hub_handle(
    hub: *mut herald_realm_hub,
    session: u64,
    frame: *const u8,
    frame_len: usize,
    now: i64,
    keys: *const herald_realm_keys,
    out_frames: *mut *mut herald_list,
    out_outcome: *mut i32,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let hub = try_mut!(call, hub)?;
        let keys = try_ref!(call, keys)?;
        let out_frames = try_out!(out_frames)?;
        let frame = try_bytes!(frame, frame_len)?;
        let reply = hub
            .handle(session, frame, now, keys)
            .map_err(|error| wire_failure(&error))?;
        let outcome = match reply.outcome {
            Outcome::Subscribed { .. } => herald_realm_outcome::Subscribed,
            Outcome::AlreadySubscribed { .. } => herald_realm_outcome::AlreadySubscribed,
            Outcome::Unsubscribed { .. } => herald_realm_outcome::Unsubscribed,
            Outcome::NotSubscribed { .. } => herald_realm_outcome::NotSubscribed,
            Outcome::InvalidKey => herald_realm_outcome::InvalidKey,
            Outcome::Malformed(_) => herald_realm_outcome::Malformed,
        };
        write_optional!(out_outcome, outcome as i32);
        *out_frames = into_list(reply.frames);
        Ok(())
    })
}

/// Writes the sessions subscribed to `realm` (ascending) into `out_sessions`
/// and their number to `*out_len`; `HERALD_STATUS_BUFFER_TOO_SMALL` with the
/// number needed if more than `capacity`. Session ids are fixed-size items,
/// so like matched subscriber ids they go into an array the caller keeps.
///
/// # Safety
/// `hub` is a live hub not being changed during the call; `realm` is valid
/// for reading `realm_len` bytes; `out_sessions` is valid for writing
/// `capacity` ids (NULL allowed when `capacity` is 0); `out_len` is valid for
/// writing; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_realm_hub_recipients(
    hub: *const herald_realm_hub,
    realm: *const c_char,
    realm_len: usize,
    out_sessions: *mut u64,
    capacity: usize,
    out_len: *mut usize,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let hub = try_ref!(call, hub)?;
        let out_len = try_out!(out_len)?;
        let sessions = try_slice_mut!(out_sessions, capacity)?;
        let realm = try_str!(realm, realm_len)?;
        let recipients = hub.recipients(realm);
        boundary::report_len(recipients.len(), capacity, out_len)?;
        sessions[..recipients.len()].copy_from_slice(&recipients);
        Ok(())
    })
}
