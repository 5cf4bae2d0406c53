//! AccelByte lobby frames: the `key: value` text frames of the AGS lobby
//! WebSocket, as far as they carry wallet notifications.
//!
//! A wallet notification is a `messageNotif` frame on topic
//! `e-commerce/wallets` whose `payload` line holds the JSON
//! `{type, payload: {action, data}}` the catalogue describes (source
//! `accelbyte-wallet`):
//!
//! ```text
//! type: messageNotif
//! id: b3cb71d768d3493ba6c1dbd10b816e62
//! from: system
//! to: 103f2296c3d241ca9b21afaac693595d
//! topic: e-commerce/wallets
//! payload: {"type":"walletBalanceChanged","payload":{"action":"creditUserWallet","data":{…}}}
//! sentAt: 2024-01-22T09:10:54Z
//! sequenceID: 1705914633
//! sequenceNumber: 2
//! ```
//!
//! The event's name is the payload's `type`, its id the frame's `id`, its
//! timestamp the frame's `sentAt` (text); the other lines go to a
//! [`LobbyEnvelope`]. This module reads and writes frames only; it never
//! opens the lobby connection.
//!
//! ```
//! use herald_core::wire::{accelbyte_lobby, DecodeOptions, Envelope, Timestamp};
//! use herald_core::Catalogue;
//!
//! let frame = b"type: messageNotif\nid: b3cb71d768d3493ba6c1dbd10b816e62\nfrom: system\n\
//! topic: e-commerce/wallets\npayload: {\"type\":\"walletStatusChanged\",\"payload\":{\"action\":\"disableUserWallet\",\
//! \"data\":{\"walletId\":\"w1\",\"userId\":\"u1\",\"status\":\"INACTIVE\",\"previousStatus\":\"ACTIVE\"}}}\n\
//! sentAt: 2024-01-22T09:10:54Z";
//! let decoded = accelbyte_lobby::decode(Catalogue::builtin(), frame, &DecodeOptions::default())?;
//! assert_eq!(decoded.event.name, "walletStatusChanged");
//! assert_eq!(decoded.event.timestamp, Some(Timestamp::Text("2024-01-22T09:10:54Z".into())));
//! assert!(matches!(&decoded.event.envelope, Envelope::Lobby(lobby) if lobby.from.as_deref() == Some("system")));
//! assert!(decoded.report.is_ok());
//! assert_eq!(accelbyte_lobby::encode(&decoded.event)?, frame);
//! # Ok::<(), herald_core::WireError>(())
//! ```
//!
//! # Quoting
//!
//! The lobby protocol has none: a value is the rest of its line after the
//! first `:`, without the spaces and tabs around it (and a carriage return at
//! its end). So a value can hold `:` but not a line break, and cannot start
//! or end with a space; the encoder refuses such values
//! ([`WireErrorKind::Unencodable`](super::WireErrorKind::Unencodable)) rather than change them. Inline
//! JSON payloads must therefore be on one line (JSON never needs a raw line
//! break); base64 payloads never hold one.

use std::borrow::Cow;
use std::collections::HashSet;

use super::error::{Reason, WireError};
use super::json;
use super::{
    DecodeOptions, Decoded, Envelope, Event, Framing, LobbyEnvelope, PayloadEncoding, Timestamp,
    WireFormat, base64,
};
use crate::catalogue::Catalogue;

const FORMAT: WireFormat = WireFormat::AccelbyteLobby;

/// The lobby topic of wallet notifications.
pub const WALLET_TOPIC: &str = "e-commerce/wallets";

/// The frame type of server notifications.
pub const MESSAGE_TYPE: &str = "messageNotif";

/// What decoding trims from the start and the end of a value: spaces and
/// tabs, and at the end also a carriage return (a CRLF line end, or one left
/// before trailing spaces).
const VALUE_START_TRIM: [char; 2] = [' ', '\t'];
const VALUE_END_TRIM: [char; 3] = [' ', '\t', '\r'];

const START_MARKER: &str = "LbS";
const END_MARKER: &str = "LbE";

/// The keys with a place in the event or the envelope; others are `extra`.
const KNOWN_KEYS: [&str; 9] = [
    "type",
    "id",
    "from",
    "to",
    "topic",
    "payload",
    "sentAt",
    "sequenceID",
    "sequenceNumber",
];

/// One `key: value` line.
struct Line<'a> {
    key: &'a str,
    value: &'a str,
    /// Offset of the value in the frame.
    offset: usize,
    /// Line number, from 1.
    number: usize,
}

/// Decodes one `messageNotif` frame on the wallet topic.
///
/// Lines end with `\n` (a `\r` before it is dropped); blank lines are
/// skipped; `type` must come first; a key may appear once. `LbS` … `LbE`
/// markers around the frame are accepted. The payload is inline JSON when
/// it starts with `{`, base64 otherwise.
pub fn decode<'a>(
    catalogue: &Catalogue,
    frame: &'a [u8],
    options: &DecodeOptions,
) -> Result<Decoded<'a>, WireError> {
    super::check_size(frame, &options.limits)?;
    let text = std::str::from_utf8(frame).map_err(|error| Reason::InvalidUtf8 {
        key: "frame".to_owned(),
        offset: error.valid_up_to(),
    })?;
    let (body, body_offset, framing) = strip_markers(text)?;
    let lines = lines(body, body_offset)?;
    let first = lines
        .first()
        .ok_or(Reason::MissingField { field: "type" })?;
    if first.key != "type" {
        return Err(Reason::TypeNotFirst { line: first.number }.into());
    }
    if first.value != MESSAGE_TYPE {
        return Err(Reason::UnexpectedMessageType {
            found: first.value.to_owned(),
            expected: "a messageNotif frame",
        }
        .into());
    }
    let mut seen = HashSet::with_capacity(lines.len());
    for line in &lines {
        if !seen.insert(line.key) {
            return Err(Reason::DuplicateLine {
                key: line.key.to_owned(),
                line: line.number,
            }
            .into());
        }
    }
    let find = |key: &str| lines.iter().find(|line| line.key == key);
    let value = |key: &str| find(key).map(|line| line.value.to_owned());
    let topic = find("topic").ok_or(Reason::MissingField { field: "topic" })?;
    if topic.value != WALLET_TOPIC {
        return Err(Reason::UnsupportedTopic {
            topic: topic.value.to_owned(),
        }
        .into());
    }
    for key in ["sequenceID", "sequenceNumber"] {
        if let Some(line) = find(key).filter(|line| !is_digits(line.value)) {
            return Err(Reason::NotAnInteger {
                key: key.to_owned(),
                line: line.number,
            }
            .into());
        }
    }
    let payload_line = find("payload").ok_or(Reason::MissingField { field: "payload" })?;
    let (payload, payload_encoding) = if payload_line.value.starts_with('{') {
        let end = payload_line.offset + payload_line.value.len();
        (
            Cow::Borrowed(&frame[payload_line.offset..end]),
            PayloadEncoding::Inline,
        )
    } else {
        let bytes = base64::decode(payload_line.value.as_bytes())
            .map_err(|offset| Reason::InvalidBase64 { offset })?;
        (Cow::Owned(bytes), PayloadEncoding::Base64)
    };
    let name = payload_type(&payload, options.limits.max_depth)?;
    let template = super::resolve(catalogue, FORMAT, &name, &options.limits)?;
    let report = super::validate(catalogue, FORMAT, &name, &payload, &options.limits);
    let extra = lines
        .iter()
        .filter(|line| !KNOWN_KEYS.contains(&line.key))
        .map(|line| (line.key.to_owned(), line.value.to_owned()))
        .collect();
    let envelope = LobbyEnvelope {
        from: value("from"),
        to: value("to"),
        topic: topic.value.to_owned(),
        sequence_id: value("sequenceID"),
        sequence_number: value("sequenceNumber"),
        payload_encoding,
        framing,
        extra,
    };
    Ok(Decoded {
        event: Event {
            format: FORMAT,
            name,
            template,
            id: value("id"),
            timestamp: value("sentAt").map(Timestamp::Text),
            payload,
            envelope: Envelope::Lobby(envelope),
        },
        report,
    })
}

/// The frame without `LbS` … `LbE`, the offset of what is left, and whether
/// the markers were there.
fn strip_markers(text: &str) -> Result<(&str, usize, Framing), WireError> {
    // The markers differ in their last letter, so one text cannot be both
    // a start and an end marker: no overlap to guard against.
    match (text.starts_with(START_MARKER), text.ends_with(END_MARKER)) {
        (true, true) => Ok((
            &text[START_MARKER.len()..text.len() - END_MARKER.len()],
            START_MARKER.len(),
            Framing::Markers,
        )),
        (false, false) => Ok((text, 0, Framing::Bare)),
        _ => Err(Reason::UnbalancedEnvelope.into()),
    }
}

fn lines(body: &str, body_offset: usize) -> Result<Vec<Line<'_>>, WireError> {
    let mut lines = Vec::new();
    let mut offset = body_offset;
    for (index, raw) in body.split('\n').enumerate() {
        let line_offset = offset;
        offset += raw.len() + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim_matches([' ', '\t']).is_empty() {
            continue;
        }
        let number = index + 1;
        let Some(colon) = line.find(':') else {
            return Err(Reason::NotKeyValue { line: number }.into());
        };
        let key = &line[..colon];
        if key.is_empty() || key.contains(char::is_whitespace) {
            return Err(Reason::NotKeyValue { line: number }.into());
        }
        let after = &line[colon + 1..];
        let value = after.trim_start_matches(VALUE_START_TRIM);
        let value_offset = line_offset + colon + 1 + (after.len() - value.len());
        lines.push(Line {
            key,
            value: value.trim_end_matches(VALUE_END_TRIM),
            offset: value_offset,
            number,
        });
    }
    Ok(lines)
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit())
}

/// The payload's `type`, with errors naming `payload.type`.
fn payload_type(payload: &[u8], max_depth: usize) -> Result<String, WireError> {
    let members = json::members(payload, max_depth)?;
    json::string_field(&members, "type")
        .map(str::to_owned)
        .map_err(|error| match *error.reason() {
            Reason::MissingField { .. } => Reason::MissingField {
                field: "payload.type",
            }
            .into(),
            Reason::DuplicateField { .. } => Reason::DuplicateField {
                field: "payload.type",
            }
            .into(),
            Reason::WrongFieldType { expected, .. } => Reason::WrongFieldType {
                field: "payload.type",
                expected,
            }
            .into(),
            _ => error,
        })
}

/// Writes the event's lobby frame: `type`, `id`, `from`, `to`, `topic`,
/// `payload`, `sentAt`, `sequenceID`, `sequenceNumber` (those present, in
/// that order, as the lobby sends them), then the extra lines, joined by
/// `\n`, inside `LbS` … `LbE` when the envelope asks for them.
pub fn encode(event: &Event<'_>) -> Result<Vec<u8>, WireError> {
    super::check_format(event, FORMAT)?;
    let Envelope::Lobby(lobby) = &event.envelope else {
        return Err(Reason::Unencodable {
            at: "envelope".to_owned(),
            reason: "an accelbyte-lobby event needs a lobby envelope",
        }
        .into());
    };
    let name = payload_type(&event.payload, usize::MAX)?;
    if name != event.name {
        return Err(Reason::EnvelopeMismatch {
            field: "name",
            event: json::quoted(&event.name),
            payload: json::quoted(&name),
        }
        .into());
    }
    if lobby.topic != WALLET_TOPIC {
        return Err(Reason::UnsupportedTopic {
            topic: lobby.topic.clone(),
        }
        .into());
    }
    let sent_at = match &event.timestamp {
        None => None,
        Some(Timestamp::Text(text)) => Some(text.as_str()),
        Some(Timestamp::Unix(_)) => {
            return Err(Reason::Unencodable {
                at: "sentAt".to_owned(),
                reason: "the lobby sends sentAt as ISO-8601 text, not unix seconds",
            }
            .into());
        }
    };
    let payload = match lobby.payload_encoding {
        PayloadEncoding::Inline => {
            let text = event.payload_str().ok_or_else(|| Reason::Unencodable {
                at: "payload".to_owned(),
                reason: "an inline payload must be UTF-8",
            })?;
            if !text.starts_with('{') {
                return Err(Reason::Unencodable {
                    at: "payload".to_owned(),
                    reason: "an inline payload must start with `{`",
                }
                .into());
            }
            Cow::Borrowed(text)
        }
        PayloadEncoding::Base64 => Cow::Owned(base64::encode(&event.payload)),
    };
    let mut lines: Vec<(&str, &str)> = vec![("type", MESSAGE_TYPE)];
    let optional = [
        ("id", event.id.as_deref()),
        ("from", lobby.from.as_deref()),
        ("to", lobby.to.as_deref()),
        ("topic", Some(lobby.topic.as_str())),
        ("payload", Some(&*payload)),
        ("sentAt", sent_at),
        ("sequenceID", lobby.sequence_id.as_deref()),
        ("sequenceNumber", lobby.sequence_number.as_deref()),
    ];
    lines.extend(
        optional
            .into_iter()
            .filter_map(|(key, value)| value.map(|value| (key, value))),
    );
    for (key, value) in [
        ("sequenceID", &lobby.sequence_id),
        ("sequenceNumber", &lobby.sequence_number),
    ] {
        if value.as_deref().is_some_and(|value| !is_digits(value)) {
            return Err(Reason::Unencodable {
                at: key.to_owned(),
                reason: "sequence numbers are unsigned integers",
            }
            .into());
        }
    }
    let mut seen = HashSet::with_capacity(lobby.extra.len());
    for (key, _) in &lobby.extra {
        let bad_key = key.is_empty()
            || key.contains(|character: char| character.is_whitespace() || character == ':');
        if bad_key {
            return Err(Reason::Unencodable {
                at: key.clone(),
                reason: "a lobby key must be non-empty, without spaces or `:`",
            }
            .into());
        }
        if KNOWN_KEYS.contains(&key.as_str()) || !seen.insert(key.as_str()) {
            return Err(Reason::Unencodable {
                at: key.clone(),
                reason: "an extra line repeats a key the frame already has",
            }
            .into());
        }
    }
    lines.extend(
        lobby
            .extra
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str())),
    );
    for (key, value) in &lines {
        check_value(key, value)?;
    }
    let mut out = String::new();
    if lobby.framing == Framing::Markers {
        out.push_str(START_MARKER);
    }
    for (index, (key, value)) in lines.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        out.push_str(key);
        out.push_str(": ");
        out.push_str(value);
    }
    match lobby.framing {
        Framing::Markers => out.push_str(END_MARKER),
        // A bare frame ending in `LbE` would read as a broken envelope; a
        // line end after it keeps the value whole (blank lines are skipped).
        Framing::Bare if out.ends_with(END_MARKER) => out.push('\n'),
        Framing::Bare => {}
    }
    Ok(out.into_bytes())
}

/// Refuses a value the frame cannot carry unchanged: one that holds a line
/// break or that decoding would trim.
fn check_value(key: &str, value: &str) -> Result<(), WireError> {
    let reason = if value.contains('\n') {
        "a lobby value cannot hold a line break"
    } else if value.starts_with(VALUE_START_TRIM) || value.ends_with(VALUE_END_TRIM) {
        "a lobby value cannot start with a space or tab, nor end with one or a carriage return"
    } else {
        return Ok(());
    };
    Err(Reason::Unencodable {
        at: key.to_owned(),
        reason,
    }
    .into())
}
