//! Vendor wire formats and protocol sessions, sans-IO: bytes in, events and
//! bytes out.
//!
//! This module owns the envelopes the seed vendors put around their events —
//! InPlayer's client-notification JSON and form-encoded webhooks,
//! Orangepill's realm stream, AccelByte's lobby frames — and the Orangepill
//! subscription protocol. Every decoder turns wire bytes into one normalised
//! [`Event`], resolves its name in a [`Catalogue`] and validates its payload;
//! every encoder turns an [`Event`] back into the vendor's wire form. It
//! never touches a socket or a clock: the caller passes bytes in, and the
//! current time where a reply needs one (as in `quinn-proto`).
//!
//! ```
//! use herald_core::wire::{self, WireFormat};
//! use herald_core::Catalogue;
//!
//! let frame = br#"{"type":"notification","event":"sms.message.sent","data":"63967141191e9023f356df9f","timestamp":"162553625262"}"#;
//! let decoded = wire::decode(WireFormat::Orangepill, Catalogue::builtin(), frame)?;
//! assert!(decoded.report.is_ok());
//! assert_eq!(decoded.event.name, "sms.message.sent");
//! assert_eq!(decoded.event.template.as_ref().unwrap().value, "sms");
//! assert_eq!(wire::encode(&decoded.event)?, frame);
//! # Ok::<(), herald_core::WireError>(())
//! ```
//!
//! What each format's normalised event holds, the decisions behind the
//! mapping (repeated form keys, webhook id styles, lobby quoting) and an
//! example per transport are in `docs/wire.md`.
//!
//! Every decoder refuses input over [`Limits::max_payload_bytes`] and nests no
//! deeper than [`Limits::max_depth`]; none recurses on input depth, and none
//! panics on any bytes (property tests feed them arbitrary input).

pub mod accelbyte_lobby;
mod base64;
mod error;
mod event;
pub mod inplayer_notification;
pub mod inplayer_webhook;
mod json;
pub mod orangepill;
mod percent;

pub use error::{WireError, WireErrorKind};
pub use event::{
    Decoded, Envelope, Event, Framing, LobbyEnvelope, PayloadEncoding, TemplateBinding, Timestamp,
};

use crate::catalogue::Catalogue;
use crate::limits::Limits;
use crate::validate::ValidationReport;
use error::Reason;

/// The wire formats herald reads and writes, with stable ids.
///
/// ```
/// use herald_core::wire::WireFormat;
/// let format: WireFormat = "accelbyte-lobby".parse().unwrap();
/// assert_eq!(format, WireFormat::AccelbyteLobby);
/// assert_eq!(format.id(), "accelbyte-lobby");
/// assert_eq!(format.source(), "accelbyte-wallet");
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
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::EnumIter,
)]
pub enum WireFormat {
    /// InPlayer client notifications: the JSON message `{type, timestamp, resource}`.
    #[strum(serialize = "inplayer-notification")]
    InplayerNotification,
    /// InPlayer merchant webhooks: an `application/x-www-form-urlencoded` body.
    #[strum(serialize = "inplayer-webhook")]
    InplayerWebhook,
    /// Orangepill's realm stream: JSON notification frames.
    #[strum(serialize = "orangepill")]
    Orangepill,
    /// AccelByte lobby `messageNotif` text frames carrying wallet notifications.
    #[strum(serialize = "accelbyte-lobby")]
    AccelbyteLobby,
}

impl WireFormat {
    /// Every format, in declaration order.
    ///
    /// ```
    /// use herald_core::wire::WireFormat;
    /// let ids: Vec<_> = WireFormat::ALL.iter().map(|format| format.id()).collect();
    /// assert_eq!(ids, ["inplayer-notification", "inplayer-webhook", "orangepill", "accelbyte-lobby"]);
    /// ```
    pub const ALL: [WireFormat; 4] = [
        WireFormat::InplayerNotification,
        WireFormat::InplayerWebhook,
        WireFormat::Orangepill,
        WireFormat::AccelbyteLobby,
    ];

    /// The stable id, such as `inplayer-webhook`.
    pub fn id(self) -> &'static str {
        self.into()
    }

    /// The id of the catalogue source whose events this format carries.
    pub fn source(self) -> &'static str {
        match self {
            WireFormat::InplayerNotification => "inplayer-notifications",
            WireFormat::InplayerWebhook => "inplayer-webhooks",
            WireFormat::Orangepill => "orangepill-stream",
            WireFormat::AccelbyteLobby => "accelbyte-wallet",
        }
    }
}

/// What to do when a form body sends the same key more than once.
///
/// InPlayer's own style-B webhook samples send `resource[previewTitle]`
/// twice, first a generic `Example title`, then the asset's real title. The
/// default keeps the **last** value, where the first occurrence stood: that is
/// what PHP's form parsing (and so most receivers of these webhooks) does, and
/// it keeps the real title. A `duplicate_key` warning in the report names the
/// key either way.
///
/// ```
/// use herald_core::wire::RepeatedKeyPolicy;
/// assert_eq!(RepeatedKeyPolicy::default(), RepeatedKeyPolicy::LastWins);
/// assert_eq!(RepeatedKeyPolicy::FirstWins.to_string(), "first-wins");
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::EnumIter,
)]
#[strum(serialize_all = "kebab-case")]
pub enum RepeatedKeyPolicy {
    /// Keep the last value (at the first occurrence's position) and warn.
    #[default]
    LastWins,
    /// Keep the first value and warn.
    FirstWins,
    /// Refuse the body with [`WireErrorKind::RepeatedKey`].
    Reject,
}

impl RepeatedKeyPolicy {
    /// Every policy, the default first.
    pub const ALL: [RepeatedKeyPolicy; 3] = [
        RepeatedKeyPolicy::LastWins,
        RepeatedKeyPolicy::FirstWins,
        RepeatedKeyPolicy::Reject,
    ];

    /// The stable id, such as `last-wins`.
    pub fn id(self) -> &'static str {
        self.into()
    }
}

/// How decoders read: limits and the repeated-key policy.
///
/// ```
/// use herald_core::wire::{DecodeOptions, RepeatedKeyPolicy};
/// let options = DecodeOptions { repeated_keys: RepeatedKeyPolicy::Reject, ..DecodeOptions::default() };
/// assert_eq!(options.limits.max_depth, 64);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DecodeOptions {
    /// Size and depth limits, also used to validate the payload.
    pub limits: Limits,
    /// What a repeated form key does (webhooks only).
    pub repeated_keys: RepeatedKeyPolicy,
}

/// Decodes one wire message of `format` with the default options: the
/// normalised event and its validation report.
///
/// Undecodable input (and an event name the catalogue does not know) is an
/// `Err`; a payload that decodes but breaks its schema is an `Ok` whose
/// report holds the errors.
///
/// ```
/// use herald_core::wire::{decode, Timestamp, WireFormat};
/// use herald_core::Catalogue;
/// let message = br#"{"type":"access.revoked","timestamp":1546612267,"resource":{"item_id":41224}}"#;
/// let decoded = decode(WireFormat::InplayerNotification, Catalogue::builtin(), message)?;
/// assert_eq!(decoded.event.timestamp, Some(Timestamp::Unix(1546612267)));
/// assert!(decoded.report.is_ok());
/// # Ok::<(), herald_core::WireError>(())
/// ```
pub fn decode<'a>(
    format: WireFormat,
    catalogue: &Catalogue,
    bytes: &'a [u8],
) -> Result<Decoded<'a>, WireError> {
    decode_with(format, catalogue, bytes, &DecodeOptions::default())
}

/// [`decode`] with explicit options.
///
/// ```
/// use herald_core::wire::{decode_with, DecodeOptions, RepeatedKeyPolicy, WireFormat};
/// use herald_core::{Catalogue, Limits};
/// let options = DecodeOptions {
///     limits: Limits { max_payload_bytes: 80, ..Limits::default() },
///     repeated_keys: RepeatedKeyPolicy::FirstWins,
/// };
/// let body = b"id=1&created=2&type=payment.card.failed&type=payment.card.success";
/// let decoded = decode_with(WireFormat::InplayerWebhook, Catalogue::builtin(), body, &options)?;
/// assert_eq!(decoded.event.name, "payment.card.failed");
/// let long = vec![b'a'; 81];
/// let error = decode_with(WireFormat::InplayerWebhook, Catalogue::builtin(), &long, &options).unwrap_err();
/// assert_eq!(error.code(), "too_large");
/// # Ok::<(), herald_core::WireError>(())
/// ```
pub fn decode_with<'a>(
    format: WireFormat,
    catalogue: &Catalogue,
    bytes: &'a [u8],
    options: &DecodeOptions,
) -> Result<Decoded<'a>, WireError> {
    match format {
        WireFormat::InplayerNotification => {
            inplayer_notification::decode(catalogue, bytes, options)
        }
        WireFormat::InplayerWebhook => inplayer_webhook::decode(catalogue, bytes, options),
        WireFormat::Orangepill => orangepill::decode(catalogue, bytes, options),
        WireFormat::AccelbyteLobby => accelbyte_lobby::decode(catalogue, bytes, options),
    }
}

/// Writes `event` in the wire form of its [`format`](Event::format).
///
/// Fails when the event's own fields disagree with its payload
/// ([`WireErrorKind::EnvelopeMismatch`]) or when the wire form cannot carry the
/// event without loss ([`WireErrorKind::Unencodable`]). For every event a decoder
/// produced, decoding the output gives the same event back.
///
/// ```
/// use herald_core::wire::{self, WireFormat};
/// use herald_core::Catalogue;
/// let body = b"id=1&created=1547543324&type=payment.card.failed&resource[code]=422&resource[message]=Card+declined";
/// let mut event = wire::decode(WireFormat::InplayerWebhook, Catalogue::builtin(), body)?.event;
/// assert_eq!(wire::encode(&event)?, b"id=1&created=1547543324&type=payment.card.failed&resource%5Bcode%5D=422&resource%5Bmessage%5D=Card+declined");
/// event.id = Some("2".into());
/// assert_eq!(wire::encode(&event).unwrap_err().code(), "envelope_mismatch");
/// # Ok::<(), herald_core::WireError>(())
/// ```
pub fn encode(event: &Event<'_>) -> Result<Vec<u8>, WireError> {
    match event.format {
        WireFormat::InplayerNotification => inplayer_notification::encode(event),
        WireFormat::InplayerWebhook => inplayer_webhook::encode(event),
        WireFormat::Orangepill => orangepill::encode(event),
        WireFormat::AccelbyteLobby => accelbyte_lobby::encode(event),
    }
}

/// Refuses input over the size limit.
fn check_size(bytes: &[u8], limits: &Limits) -> Result<(), WireError> {
    if bytes.len() > limits.max_payload_bytes {
        return Err(Reason::TooLarge {
            len: bytes.len(),
            max: limits.max_payload_bytes,
        }
        .into());
    }
    Ok(())
}

/// Checks that `format` is the event's.
fn check_format(event: &Event<'_>, format: WireFormat) -> Result<(), WireError> {
    if event.format != format {
        return Err(Reason::FormatMismatch {
            expected: format.id(),
            found: event.format.id(),
        }
        .into());
    }
    Ok(())
}

/// Resolves `name` in the format's source, binding a template parameter.
fn resolve(
    catalogue: &Catalogue,
    format: WireFormat,
    name: &str,
    limits: &Limits,
) -> Result<Option<TemplateBinding>, WireError> {
    crate::topic::validate_topic(name, limits).map_err(|reason| Reason::InvalidEventName {
        name: name.to_owned(),
        reason,
    })?;
    let resolved =
        catalogue
            .resolve(format.source(), name)
            .ok_or_else(|| Reason::UnknownEvent {
                source_id: format.source().to_owned(),
                name: name.to_owned(),
            })?;
    Ok(resolved.binding.map(|binding| TemplateBinding {
        template: resolved.event.name.clone(),
        parameter: binding.parameter.to_owned(),
        value: binding.value.to_owned(),
    }))
}

/// Validates a payload of a resolved event. An event without a schema has
/// nothing to check, so its report is empty.
fn validate(
    catalogue: &Catalogue,
    format: WireFormat,
    name: &str,
    payload: &[u8],
    limits: &Limits,
) -> ValidationReport {
    catalogue
        .validator(format.source(), name)
        .map(|validator| validator.with_limits(*limits).validate(payload))
        .unwrap_or_default()
}

/// The timestamp a JSON value gives: an integer that fits `i64` is unix
/// seconds, a string is text; anything else (which the schema reports) none.
fn timestamp_of(value: Option<&json::Value<'_>>) -> Option<Timestamp> {
    match value? {
        json::Value::Integer(token) => token.parse().ok().map(Timestamp::Unix),
        json::Value::String(Some(text)) => Some(Timestamp::Text(text.clone().into_owned())),
        _ => None,
    }
}

/// Checks that an event's name, id and timestamp are the payload's, for the
/// formats whose wire message is the payload itself.
fn check_fields(
    event: &Event<'_>,
    members: &[json::Member<'_>],
    name_field: &'static str,
    id_field: Option<&'static str>,
    timestamp_field: &'static str,
) -> Result<(), WireError> {
    let name = json::field(members, name_field)?;
    if !matches!(name, Some(json::Value::String(Some(text))) if *text == event.name) {
        return Err(mismatch("name", json::quoted(&event.name), name));
    }
    if let Some(id_field) = id_field {
        let id = json::field(members, id_field)?;
        let same = match (&event.id, id) {
            (None, None) => true,
            // Decoding takes the id only from text (anything else is the
            // schema's to report), so no id agrees with a payload `id` that
            // is not text, as for the timestamp below.
            (None, Some(value)) => !matches!(value, json::Value::String(Some(_))),
            (Some(event_id), Some(json::Value::String(Some(text)))) => event_id == text,
            _ => false,
        };
        if !same {
            let shown = event
                .id
                .as_deref()
                .map_or_else(|| "null".to_owned(), json::quoted);
            return Err(mismatch("id", shown, id));
        }
    }
    let timestamp = json::field(members, timestamp_field)?;
    let same = match (&event.timestamp, timestamp) {
        (None, None) => true,
        (None, Some(value)) => timestamp_of(Some(value)).is_none(),
        (Some(Timestamp::Unix(seconds)), Some(json::Value::Integer(token))) => {
            token.parse::<i64>().ok() == Some(*seconds)
        }
        (Some(Timestamp::Text(text)), Some(json::Value::String(Some(given)))) => text == given,
        _ => false,
    };
    if !same {
        let shown = event
            .timestamp
            .as_ref()
            .map_or_else(|| "null".to_owned(), Timestamp::to_json);
        return Err(mismatch("timestamp", shown, timestamp));
    }
    Ok(())
}

fn mismatch(field: &'static str, event: String, payload: Option<&json::Value<'_>>) -> WireError {
    Reason::EnvelopeMismatch {
        field,
        event,
        payload: payload.map_or_else(|| "null".to_owned(), json::Value::to_json),
    }
    .into()
}
