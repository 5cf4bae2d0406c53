//! The normalised event every decoder produces and every encoder takes, and
//! its JSON document form.
//!
//! An event is the same thing whatever carried it: a wire format, a name
//! resolved in the catalogue, an optional event id, a timestamp kept exactly
//! as the vendor sent it, and the payload bytes the catalogue's schema
//! describes (borrowed from the input when they appear in it verbatim). The
//! few envelope fields that live outside the payload (AccelByte's lobby
//! lines) ride along in an [`Envelope`]. This module never interprets a
//! payload beyond reading its bytes as JSON for the document form.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::error::{Reason, WireError};
use super::json::{self, Value};
use super::{WireFormat, base64};
use crate::catalogue::{Catalogue, Resolved};
use crate::validate::ValidationReport;

/// When an event happened, exactly as the vendor wrote it.
///
/// InPlayer sends unix seconds as integers; Orangepill's notification sample
/// sends a string of digits (`"162553625262"`) while its replies send
/// integers; AccelByte's lobby sends ISO-8601 text. Keeping the written form
/// makes re-encoding lossless.
///
/// ```
/// use herald_core::wire::Timestamp;
/// assert_eq!(Timestamp::Unix(1671547687).to_json(), "1671547687");
/// assert_eq!(Timestamp::from("2024-01-22T09:10:54Z").to_string(), "2024-01-22T09:10:54Z");
/// assert_eq!(Timestamp::Text("162553625262".into()).to_json(), "\"162553625262\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum Timestamp {
    /// Unix seconds, sent as a JSON integer or a form integer.
    Unix(i64),
    /// Text, sent as a string: digits or a date-time.
    Text(String),
}

impl Timestamp {
    /// The timestamp as a JSON value: an integer or a string.
    pub fn to_json(&self) -> String {
        // Serialising an integer or a string cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Timestamp::Unix(seconds) => write!(f, "{seconds}"),
            Timestamp::Text(text) => f.write_str(text),
        }
    }
}

impl From<i64> for Timestamp {
    fn from(seconds: i64) -> Self {
        Timestamp::Unix(seconds)
    }
}

impl From<&str> for Timestamp {
    fn from(text: &str) -> Self {
        Timestamp::Text(text.to_owned())
    }
}

impl From<String> for Timestamp {
    fn from(text: String) -> Self {
        Timestamp::Text(text)
    }
}

/// The template an event name instantiates, with its parameter bound.
///
/// `sms.message.sent` in `orangepill-stream` binds `channel = sms` of
/// `{channel}.message.sent`.
///
/// ```
/// use herald_core::wire::{orangepill, Timestamp};
/// use herald_core::Catalogue;
/// let event = orangepill::notification(Catalogue::builtin(), "sms.message.sent", "6396", Timestamp::Unix(1))?;
/// let binding = event.template.unwrap();
/// assert_eq!((binding.template.as_str(), binding.parameter.as_str(), binding.value.as_str()),
///            ("{channel}.message.sent", "channel", "sms"));
/// # Ok::<(), herald_core::WireError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateBinding {
    /// The catalogue's templated name, such as `{channel}.message.sent`.
    pub template: String,
    /// The parameter, such as `channel`.
    pub parameter: String,
    /// Its value in this event's name, such as `sms`.
    pub value: String,
}

/// How a lobby frame carries its JSON payload.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum PayloadEncoding {
    /// The JSON object itself, on the `payload:` line (wallet notifications).
    #[default]
    Inline,
    /// Base64 of the JSON (the encoding matchmaking topics use).
    Base64,
}

/// Whether a lobby frame is wrapped in the `LbS` … `LbE` envelope markers.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Framing {
    /// The lines alone.
    #[default]
    Bare,
    /// `LbS` before the first line and `LbE` after the last.
    Markers,
}

/// The lines of an AccelByte lobby `messageNotif` frame other than `type`,
/// `id`, `sentAt` (the event's [`id`](Event::id) and
/// [`timestamp`](Event::timestamp)) and `payload` (its payload).
///
/// Values are kept as the frame's text: the lobby protocol is text and
/// `sequenceID` is checked to be digits but not reformatted.
///
/// ```
/// use herald_core::wire::{self, Envelope, Framing, WireFormat};
/// use herald_core::Catalogue;
/// let frame = b"LbStype: messageNotif\ntopic: e-commerce/wallets\nsequenceID: 17\n\
/// payload: {\"type\":\"walletStatusChanged\"}\ntraceId: t-1LbE";
/// let event = wire::decode(WireFormat::AccelbyteLobby, Catalogue::builtin(), frame)?.event;
/// let Envelope::Lobby(lobby) = &event.envelope else { unreachable!() };
/// assert_eq!(lobby.sequence_id.as_deref(), Some("17"));
/// assert_eq!(lobby.framing, Framing::Markers);
/// assert_eq!(lobby.extra, [("traceId".to_owned(), "t-1".to_owned())]);
/// # Ok::<(), herald_core::WireError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LobbyEnvelope {
    /// `from`: the sender, `system` for service notifications.
    pub from: Option<String>,
    /// `to`: the receiving user id.
    pub to: Option<String>,
    /// `topic`: `e-commerce/wallets` for wallet notifications.
    pub topic: String,
    /// `sequenceID`, digits.
    pub sequence_id: Option<String>,
    /// `sequenceNumber`, digits.
    pub sequence_number: Option<String>,
    /// How the payload line is written.
    pub payload_encoding: PayloadEncoding,
    /// Whether the frame has the `LbS` … `LbE` markers.
    pub framing: Framing,
    /// Other `key: value` lines, in frame order, kept for re-encoding.
    pub extra: Vec<(String, String)>,
}

impl Default for LobbyEnvelope {
    fn default() -> Self {
        LobbyEnvelope {
            from: None,
            to: None,
            topic: super::accelbyte_lobby::WALLET_TOPIC.to_owned(),
            sequence_id: None,
            sequence_number: None,
            payload_encoding: PayloadEncoding::Inline,
            framing: Framing::Bare,
            extra: Vec::new(),
        }
    }
}

/// Envelope fields that live outside the payload.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Envelope {
    /// Everything the wire form needs is in the payload (InPlayer
    /// notifications and webhooks, Orangepill notifications).
    #[default]
    None,
    /// An AccelByte lobby frame's other lines.
    Lobby(LobbyEnvelope),
}

/// The normalised event: what every decoder produces and every encoder takes.
///
/// `payload` is what the catalogue's schema for the event describes: the
/// whole JSON message for InPlayer notifications and Orangepill
/// notifications (borrowed from the input), the JSON the form body decodes to
/// for InPlayer webhooks, and the `payload` line's JSON for AccelByte lobby
/// frames (borrowed unless base64). Where the payload repeats the name, id
/// or timestamp, the encoder checks that they agree.
///
/// ```
/// use herald_core::wire::{self, WireFormat};
/// use herald_core::Catalogue;
/// let body = b"id=WHE-tyW8QjyCAYeQDOG0&created=1559913102&type=asset.access.revoked\
/// &version=2.4.2&resource%5Btype%5D=revoked&resource%5Bconsumer_id%5D=73&resource%5Bitem_id%5D=49306\
/// &resource%5Bitem_access_id%5D=85950&resource%5Brevoked%5D=1";
/// let event = wire::decode(WireFormat::InplayerWebhook, Catalogue::builtin(), body)?.event;
/// assert_eq!(event.source(), "inplayer-webhooks");
/// assert_eq!(event.id.as_deref(), Some("WHE-tyW8QjyCAYeQDOG0"));
/// assert_eq!(event.payload_str(), Some(r#"{"id":"WHE-tyW8QjyCAYeQDOG0","created":1559913102,"type":"asset.access.revoked","version":"2.4.2","resource":{"type":"revoked","consumer_id":73,"item_id":49306,"item_access_id":85950,"revoked":true}}"#));
/// # Ok::<(), herald_core::WireError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Event<'a> {
    /// The wire format the event came in or goes out in.
    pub format: WireFormat,
    /// The event name as sent, such as `sms.message.sent`.
    pub name: String,
    /// The template the name instantiates, when it is one.
    pub template: Option<TemplateBinding>,
    /// The event id: a webhook's `id` (UUID or `WHE-…`), a lobby frame's `id`.
    pub id: Option<String>,
    /// When it happened, as sent.
    pub timestamp: Option<Timestamp>,
    /// The bytes the catalogue's schema describes.
    pub payload: Cow<'a, [u8]>,
    /// Envelope fields outside the payload.
    pub envelope: Envelope,
}

/// A decoded event and what validating its payload found.
///
/// ```
/// use herald_core::wire::{self, WireFormat};
/// use herald_core::Catalogue;
/// let frame = br#"{"type":"notification","event":"user.deleted","data":"","timestamp":1}"#;
/// let decoded = wire::decode(WireFormat::Orangepill, Catalogue::builtin(), frame)?;
/// assert_eq!(decoded.event.name, "user.deleted");
/// assert_eq!(decoded.report.errors[0].pointer, "/data"); // an empty entity id
/// # Ok::<(), herald_core::WireError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The normalised event.
    pub event: Event<'a>,
    /// Validation of the payload against the event's schema, plus
    /// `duplicate_key` warnings for repeated form keys.
    pub report: ValidationReport,
}

impl Event<'_> {
    /// The id of the catalogue source the event belongs to.
    pub fn source(&self) -> &'static str {
        self.format.source()
    }

    /// The payload as text, when it is UTF-8.
    pub fn payload_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.payload).ok()
    }

    /// The catalogue event this event's name stands for.
    ///
    /// ```
    /// use herald_core::wire::{orangepill, Timestamp};
    /// use herald_core::Catalogue;
    /// let catalogue = Catalogue::builtin();
    /// let event = orangepill::notification(catalogue, "user.created", "63967141191e9023f356df9f", Timestamp::Unix(1671547687))?;
    /// assert_eq!(event.resolve(catalogue).unwrap().event.category, "user");
    /// # Ok::<(), herald_core::WireError>(())
    /// ```
    pub fn resolve<'c>(&self, catalogue: &'c Catalogue) -> Option<Resolved<'c, '_>> {
        catalogue.resolve(self.source(), &self.name)
    }

    /// The same event owning its payload.
    pub fn into_owned(self) -> Event<'static> {
        Event {
            format: self.format,
            name: self.name,
            template: self.template,
            id: self.id,
            timestamp: self.timestamp,
            payload: Cow::Owned(self.payload.into_owned()),
            envelope: self.envelope,
        }
    }

    /// The event as a compact JSON document: `format`, `source`, `name`,
    /// `template`, `id`, `timestamp`, `lobby` (the lobby envelope) and
    /// `payload` — the payload's own bytes when they are one JSON document
    /// (without the whitespace around it), else `payload_base64`. Absent
    /// fields are left out. [`Event::from_json`] reads it back to an equal
    /// event, up to that whitespace.
    ///
    /// ```
    /// use herald_core::wire::{Event, orangepill, Timestamp};
    /// use herald_core::Catalogue;
    /// let event = orangepill::notification(Catalogue::builtin(), "sms.message.sent", "6396", Timestamp::Unix(1))?;
    /// let document = event.to_json();
    /// assert_eq!(document, r#"{"format":"orangepill","source":"orangepill-stream","name":"sms.message.sent","template":{"template":"{channel}.message.sent","parameter":"channel","value":"sms"},"timestamp":1,"payload":{"type":"notification","event":"sms.message.sent","data":"6396","timestamp":1}}"#);
    /// assert_eq!(Event::from_json(document.as_bytes())?, event);
    /// # Ok::<(), herald_core::WireError>(())
    /// ```
    pub fn to_json(&self) -> String {
        // The payload goes in as written when it is one JSON document; the
        // crate's own reader decides that, so the document form accepts
        // exactly what the decoders do.
        let payload = self
            .payload_str()
            .filter(|_| json::check(&self.payload, usize::MAX).is_ok())
            .and_then(|text| {
                serde_json::from_str::<&RawValue>(text.trim_matches([' ', '\t', '\n', '\r'])).ok()
            });
        let document = EventDocument {
            format: self.format.id(),
            source: self.source(),
            name: &self.name,
            template: self.template.as_ref(),
            id: self.id.as_deref(),
            timestamp: self.timestamp.as_ref(),
            lobby: match &self.envelope {
                Envelope::Lobby(lobby) => Some(LobbyDocument::from(lobby)),
                Envelope::None => None,
            },
            payload,
            payload_base64: payload.is_none().then(|| base64::encode(&self.payload)),
        };
        // Strings, integers and checked raw JSON always serialise.
        serde_json::to_string(&document).unwrap_or_default()
    }

    /// Reads the document [`Event::to_json`] writes. A decode report of the
    /// command line, `{"event": {…}, "validation": {…}}`, is accepted too.
    ///
    /// `format` and `name` are required; `source`, when present, must be the
    /// format's; a `lobby` envelope is allowed only for `accelbyte-lobby`,
    /// whose events get the default envelope (topic `e-commerce/wallets`,
    /// inline payload, no markers) when it is absent. Unknown fields are
    /// errors.
    ///
    /// ```
    /// use herald_core::wire::{self, Event};
    /// let event = Event::from_json(br#"{"format":"inplayer-notification","name":"account.logout",
    ///     "timestamp":1546612267,"payload":{"type":"account.logout","timestamp":1546612267}}"#)?;
    /// assert_eq!(wire::encode(&event)?, br#"{"type":"account.logout","timestamp":1546612267}"#);
    /// # Ok::<(), herald_core::WireError>(())
    /// ```
    pub fn from_json(document: &[u8]) -> Result<Event<'static>, WireError> {
        let members = json::members(document, usize::MAX).map_err(invalid_document)?;
        let has = |name: &str| members.iter().any(|member| member.key == name);
        if has("event") && !has("format") {
            return match json::field(&members, "event")? {
                Some(Value::Object(inner)) => Event::from_json(inner),
                _ => Err(document_error("`event` must be an object")),
            };
        }
        let mut format = None;
        let mut source = None;
        let mut name = None;
        let mut template = None;
        let mut id = None;
        let mut timestamp = None;
        let mut lobby = None;
        let mut payload = None;
        for member in &members {
            let key: &str = &member.key;
            let value = &member.value;
            let duplicate = match key {
                "format" => format.replace(text_of(key, value)?).is_some(),
                "source" => source.replace(text_of(key, value)?).is_some(),
                "name" => name.replace(text_of(key, value)?).is_some(),
                "template" => template.replace(nested(key, value)?).is_some(),
                "id" => id
                    .replace(match value {
                        Value::Null => None,
                        other => Some(text_of(key, other)?),
                    })
                    .is_some(),
                "timestamp" => timestamp.replace(timestamp_value(value)?).is_some(),
                "lobby" => lobby
                    .replace(nested::<LobbyDocument>(key, value)?)
                    .is_some(),
                "payload" => payload.replace(raw_json(value)).is_some(),
                "payload_base64" => {
                    let text = text_of(key, value)?;
                    let bytes = base64::decode(text.as_bytes()).map_err(|offset| {
                        document_error(format!("`payload_base64` is not base64 at byte {offset}"))
                    })?;
                    payload.replace(bytes).is_some()
                }
                "validation" => false,
                other => return Err(document_error(format!("unknown field {other:?}"))),
            };
            if duplicate {
                return Err(document_error(format!("{key:?} appears more than once")));
            }
        }
        let format_id = format.ok_or_else(|| document_error("`format` is required"))?;
        let format: WireFormat = format_id
            .parse()
            .map_err(|_| document_error(format!("unknown format {format_id:?}")))?;
        if let Some(source) = source.filter(|source| source != format.source()) {
            return Err(document_error(format!(
                "source {source:?} is not the {} format's ({:?})",
                format.id(),
                format.source()
            )));
        }
        let envelope = match (format, lobby.flatten()) {
            (WireFormat::AccelbyteLobby, lobby) => {
                Envelope::Lobby(lobby.map(LobbyEnvelope::from).unwrap_or_default())
            }
            (_, None) => Envelope::None,
            (_, Some(_)) => {
                return Err(document_error(format!(
                    "a `lobby` envelope does not belong to a {} event",
                    format.id()
                )));
            }
        };
        Ok(Event {
            format,
            name: name.ok_or_else(|| document_error("`name` is required"))?,
            template: template.flatten(),
            id: id.flatten(),
            timestamp: timestamp.flatten(),
            payload: Cow::Owned(payload.ok_or_else(|| document_error("`payload` is required"))?),
            envelope,
        })
    }
}

fn document_error(reason: impl Into<String>) -> WireError {
    Reason::InvalidEventDocument {
        reason: reason.into(),
    }
    .into()
}

fn invalid_document(error: WireError) -> WireError {
    document_error(error.to_string())
}

fn text_of(key: &str, value: &Value<'_>) -> Result<String, WireError> {
    match value {
        Value::String(Some(text)) => Ok(text.clone().into_owned()),
        other => Err(document_error(format!(
            "{key:?} must be a string, not {}",
            other.kind()
        ))),
    }
}

fn timestamp_value(value: &Value<'_>) -> Result<Option<Timestamp>, WireError> {
    match value {
        Value::Null => Ok(None),
        Value::Integer(token) => token
            .parse()
            .map(|seconds| Some(Timestamp::Unix(seconds)))
            .map_err(|_| document_error(format!("timestamp {token} does not fit int64"))),
        Value::String(Some(text)) => Ok(Some(Timestamp::Text(text.clone().into_owned()))),
        other => Err(document_error(format!(
            "`timestamp` must be an integer or a string, not {}",
            other.kind()
        ))),
    }
}

fn nested<T: for<'de> Deserialize<'de>>(
    key: &str,
    value: &Value<'_>,
) -> Result<Option<T>, WireError> {
    match value {
        Value::Null => Ok(None),
        Value::Object(raw) => serde_json::from_slice(raw)
            .map(Some)
            .map_err(|error| document_error(format!("{key:?}: {error}"))),
        other => Err(document_error(format!(
            "{key:?} must be an object, not {}",
            other.kind()
        ))),
    }
}

/// The bytes of a member's value, as written (scalars re-written compactly).
fn raw_json(value: &Value<'_>) -> Vec<u8> {
    match value {
        Value::Object(raw) | Value::Array(raw) => raw.to_vec(),
        other => other.to_json().into_bytes(),
    }
}

/// The document form of an event, members in the order written
/// ([`Event::to_json`]).
#[derive(Serialize)]
struct EventDocument<'e> {
    format: &'static str,
    source: &'static str,
    name: &'e str,
    #[serde(skip_serializing_if = "Option::is_none")]
    template: Option<&'e TemplateBinding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'e str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp: Option<&'e Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lobby: Option<LobbyDocument>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payload: Option<&'e RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payload_base64: Option<String>,
}

/// The `lobby` member of the document form.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LobbyDocument {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    topic: String,
    #[serde(
        default,
        rename = "sequenceID",
        skip_serializing_if = "Option::is_none"
    )]
    sequence_id: Option<String>,
    #[serde(
        default,
        rename = "sequenceNumber",
        skip_serializing_if = "Option::is_none"
    )]
    sequence_number: Option<String>,
    #[serde(default)]
    payload_encoding: PayloadEncoding,
    #[serde(default)]
    framing: Framing,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    extra: Vec<(String, String)>,
}

impl From<&LobbyEnvelope> for LobbyDocument {
    fn from(lobby: &LobbyEnvelope) -> Self {
        LobbyDocument {
            from: lobby.from.clone(),
            to: lobby.to.clone(),
            topic: lobby.topic.clone(),
            sequence_id: lobby.sequence_id.clone(),
            sequence_number: lobby.sequence_number.clone(),
            payload_encoding: lobby.payload_encoding,
            framing: lobby.framing,
            extra: lobby.extra.clone(),
        }
    }
}

impl From<LobbyDocument> for LobbyEnvelope {
    fn from(document: LobbyDocument) -> Self {
        LobbyEnvelope {
            from: document.from,
            to: document.to,
            topic: document.topic,
            sequence_id: document.sequence_id,
            sequence_number: document.sequence_number,
            payload_encoding: document.payload_encoding,
            framing: document.framing,
            extra: document.extra,
        }
    }
}
