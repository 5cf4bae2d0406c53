//! InPlayer client notifications: the JSON message `{type, timestamp,
//! resource}` that InPlayer pushes to a signed-in customer's application
//! (over AWS IoT MQTT on a WebSocket, one topic per account).
//!
//! The message itself is the payload the catalogue describes (source
//! `inplayer-notifications`), so decoding reads `type` and `timestamp` from
//! it and borrows the bytes; encoding checks them against the event and
//! writes the bytes back unchanged. This module never opens the MQTT
//! connection or fetches its credentials.
//!
//! ```
//! use herald_core::wire::{inplayer_notification, DecodeOptions, Timestamp};
//! use herald_core::Catalogue;
//!
//! let message = br#"{"type":"subscribe.failed","timestamp":1546612267,"resource":{"account_id":106,"code":422,"explain":{"422":"Your card was declined."},"message":"Failed to create a subscription"}}"#;
//! let decoded = inplayer_notification::decode(Catalogue::builtin(), message, &DecodeOptions::default())?;
//! assert_eq!(decoded.event.name, "subscribe.failed");
//! assert_eq!(decoded.event.timestamp, Some(Timestamp::Unix(1546612267)));
//! assert!(decoded.report.is_ok());
//! assert_eq!(inplayer_notification::encode(&decoded.event)?, message);
//! # Ok::<(), herald_core::WireError>(())
//! ```

use std::borrow::Cow;

use super::error::WireError;
use super::{DecodeOptions, Decoded, Envelope, Event, WireFormat, json};
use crate::catalogue::Catalogue;

const FORMAT: WireFormat = WireFormat::InplayerNotification;

/// Decodes one notification message: the name from `type`, the timestamp
/// from `timestamp`, the payload the message itself.
pub fn decode<'a>(
    catalogue: &Catalogue,
    message: &'a [u8],
    options: &DecodeOptions,
) -> Result<Decoded<'a>, WireError> {
    super::check_size(message, &options.limits)?;
    let members = json::members(message, options.limits.max_depth)?;
    let name = json::string_field(&members, "type")?.to_owned();
    let timestamp = super::timestamp_of(json::field(&members, "timestamp")?);
    let template = super::resolve(catalogue, FORMAT, &name, &options.limits)?;
    let report = super::validate(catalogue, FORMAT, &name, message, &options.limits);
    Ok(Decoded {
        event: Event {
            format: FORMAT,
            name,
            template,
            id: None,
            timestamp,
            payload: Cow::Borrowed(message),
            envelope: Envelope::None,
        },
        report,
    })
}

/// Writes the event's message: its payload, once `type` and `timestamp`
/// are checked against the event's name and timestamp.
pub fn encode(event: &Event<'_>) -> Result<Vec<u8>, WireError> {
    super::check_format(event, FORMAT)?;
    let members = json::members(&event.payload, usize::MAX)?;
    super::check_fields(event, &members, "type", None, "timestamp")?;
    Ok(event.payload.to_vec())
}
