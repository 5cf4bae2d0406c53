//! Orangepill's realm stream: notification frames, the subscription
//! protocol, and its server side as a sans-IO state machine.
//!
//! A client sends `{"type":"subscribe","realm":KEY}` (or `unsubscribe`) with
//! its realm key. The server answers a good key with an `info` message
//! naming the realm id and the echoed `subscribe`/`unsubscribe`; anything
//! else with `info` for realm `NONE` and an `error` message whose `realm`
//! holds the error text. It then pushes thin notifications,
//! `{"type":"notification","event":NAME,"data":ENTITY_ID,"timestamp":…}`,
//! for the realms the client subscribed to.
//!
//! [`RealmSession`] is one connection's state; [`Hub`] keeps many and says
//! which receive an event of a realm. Both take frames as bytes and the
//! current time from the caller and return frames as bytes: this module
//! never reads a socket or a clock. A notification frame is the payload the
//! catalogue describes (source `orangepill-stream`), so [`decode`] borrows
//! it and [`encode`] writes it back unchanged.
//!
//! ```
//! use std::collections::BTreeMap;
//! use herald_core::wire::orangepill::{Hub, Outcome};
//! use herald_core::wire::{orangepill, Timestamp};
//! use herald_core::Catalogue;
//!
//! // Realm keys and the realm ids they open, as the server knows them.
//! let keys = BTreeMap::from([("k-123".to_owned(), "c9d4744c-0eae-4457-a665-2c18b9ac132b".to_owned())]);
//! let mut hub = Hub::new();
//! let session = hub.open();
//! let reply = hub.handle(session, br#"{"type":"subscribe","realm":"k-123"}"#, 1671547687, &keys)?;
//! assert_eq!(reply.frames, [
//!     br#"{"type":"info","realm":"c9d4744c-0eae-4457-a665-2c18b9ac132b","timestamp":1671547687}"#.to_vec(),
//!     br#"{"type":"subscribe","realm":"c9d4744c-0eae-4457-a665-2c18b9ac132b","timestamp":1671547687}"#.to_vec(),
//! ]);
//! assert!(matches!(reply.outcome, Outcome::Subscribed { .. }));
//!
//! let event = orangepill::notification(Catalogue::builtin(), "transaction.done",
//!     "63967141191e9023f356df9f", Timestamp::Text("162553625262".into()))?;
//! let delivery = hub.notify("c9d4744c-0eae-4457-a665-2c18b9ac132b", &event)?;
//! assert_eq!(delivery.sessions, [session]);
//! assert_eq!(delivery.frame, br#"{"type":"notification","event":"transaction.done","data":"63967141191e9023f356df9f","timestamp":"162553625262"}"#);
//! # Ok::<(), herald_core::WireError>(())
//! ```

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::BuildHasher;

use serde::Serialize;

use super::error::{Reason, WireError};
use super::json::{self, Member, Value};
use super::{DecodeOptions, Decoded, Envelope, Event, Timestamp, WireFormat};
use crate::catalogue::Catalogue;
use crate::limits::Limits;

const FORMAT: WireFormat = WireFormat::Orangepill;

/// The realm the failure replies name: no realm.
pub const NO_REALM: &str = "NONE";

/// The error text Orangepill sends for a realm key it does not know.
pub const INVALID_REALM_KEY: &str = "Invalid Realm Key.";

/// Decodes one notification frame: the name from `event`, the timestamp
/// from `timestamp` (a string or an integer, kept as sent). Other server
/// messages (`info`, `error`, replies) are not events:
/// [`WireErrorKind::UnexpectedMessageType`](super::WireErrorKind::UnexpectedMessageType); read them with [`ServerMessage::parse`].
///
/// ```
/// use herald_core::wire::{orangepill, DecodeOptions, Timestamp};
/// use herald_core::Catalogue;
/// let frame = br#"{"type":"notification","event":"deposit.gas","data":"63967141191e9023f356df9f","timestamp":1671547687}"#;
/// let decoded = orangepill::decode(Catalogue::builtin(), frame, &DecodeOptions::default())?;
/// assert_eq!(decoded.event.timestamp, Some(Timestamp::Unix(1671547687)));
/// # Ok::<(), herald_core::WireError>(())
/// ```
pub fn decode<'a>(
    catalogue: &Catalogue,
    frame: &'a [u8],
    options: &DecodeOptions,
) -> Result<Decoded<'a>, WireError> {
    super::check_size(frame, &options.limits)?;
    let members = json::members(frame, options.limits.max_depth)?;
    check_notification_type(&members)?;
    let name = json::string_field(&members, "event")?.to_owned();
    let timestamp = super::timestamp_of(json::field(&members, "timestamp")?);
    let template = super::resolve(catalogue, FORMAT, &name, &options.limits)?;
    let report = super::validate(catalogue, FORMAT, &name, frame, &options.limits);
    Ok(Decoded {
        event: Event {
            format: FORMAT,
            name,
            template,
            id: None,
            timestamp,
            payload: Cow::Borrowed(frame),
            envelope: Envelope::None,
        },
        report,
    })
}

fn check_notification_type(members: &[Member<'_>]) -> Result<(), WireError> {
    let kind = json::string_field(members, "type")?;
    if kind != "notification" {
        return Err(Reason::UnexpectedMessageType {
            found: kind.to_owned(),
            expected: "a \"notification\" message",
        }
        .into());
    }
    Ok(())
}

/// Writes the event's notification frame: its payload, once `type`,
/// `event` and `timestamp` are checked against the event.
pub fn encode(event: &Event<'_>) -> Result<Vec<u8>, WireError> {
    super::check_format(event, FORMAT)?;
    let members = json::members(&event.payload, usize::MAX)?;
    check_notification_type(&members)?;
    super::check_fields(event, &members, "event", None, "timestamp")?;
    Ok(event.payload.to_vec())
}

/// Builds the notification event for `name` about the entity `entity_id`,
/// with the name resolved in the catalogue (templates bound).
///
/// ```
/// use herald_core::wire::{orangepill, Timestamp};
/// use herald_core::Catalogue;
/// let event = orangepill::notification(Catalogue::builtin(), "whatsapp.message.failed", "6396", Timestamp::Unix(1))?;
/// assert_eq!(event.template.unwrap().value, "whatsapp");
/// assert!(orangepill::notification(Catalogue::builtin(), "nothing.happened", "6396", Timestamp::Unix(1)).is_err());
/// # Ok::<(), herald_core::WireError>(())
/// ```
pub fn notification(
    catalogue: &Catalogue,
    name: &str,
    entity_id: &str,
    timestamp: Timestamp,
) -> Result<Event<'static>, WireError> {
    let template = super::resolve(catalogue, FORMAT, name, &Limits::default())?;
    let payload = ServerMessage::Notification {
        name: name.to_owned(),
        entity_id: entity_id.to_owned(),
        timestamp: timestamp.clone(),
    }
    .encode();
    Ok(Event {
        format: FORMAT,
        name: name.to_owned(),
        template,
        id: None,
        timestamp: Some(timestamp),
        payload: Cow::Owned(payload),
        envelope: Envelope::None,
    })
}

/// A message from client to server.
///
/// ```
/// use herald_core::wire::orangepill::ClientMessage;
/// let message = ClientMessage::parse(br#"{"type":"unsubscribe","realm":"k-123"}"#)?;
/// assert_eq!(message, ClientMessage::Unsubscribe { realm: "k-123".into() });
/// assert_eq!(message.encode(), br#"{"type":"unsubscribe","realm":"k-123"}"#);
/// # Ok::<(), herald_core::WireError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ClientMessage {
    /// Start receiving the realm's notifications.
    Subscribe {
        /// The realm key.
        realm: String,
    },
    /// Stop receiving them.
    Unsubscribe {
        /// The realm key.
        realm: String,
    },
}

impl ClientMessage {
    /// Reads a client frame with the default [`Limits`].
    pub fn parse(frame: &[u8]) -> Result<ClientMessage, WireError> {
        ClientMessage::parse_with_limits(frame, &Limits::default())
    }

    /// Reads a client frame: an object with `type` (`subscribe` or
    /// `unsubscribe`), a non-empty string `realm` and optionally an integer
    /// `timestamp`; any other member is [`WireErrorKind::UnexpectedField`](super::WireErrorKind::UnexpectedField).
    pub fn parse_with_limits(frame: &[u8], limits: &Limits) -> Result<ClientMessage, WireError> {
        super::check_size(frame, limits)?;
        let members = json::members(frame, limits.max_depth)?;
        let kind = json::string_field(&members, "type")?;
        let message_type = match kind {
            "subscribe" => "subscribe",
            "unsubscribe" => "unsubscribe",
            other => {
                return Err(Reason::UnexpectedMessageType {
                    found: other.to_owned(),
                    expected: "\"subscribe\" or \"unsubscribe\"",
                }
                .into());
            }
        };
        let realm = json::string_field(&members, "realm")?;
        if realm.is_empty() {
            return Err(Reason::WrongFieldType {
                field: "realm",
                expected: "a non-empty string",
            }
            .into());
        }
        if !matches!(
            json::field(&members, "timestamp")?,
            None | Some(Value::Integer(_))
        ) {
            return Err(Reason::WrongFieldType {
                field: "timestamp",
                expected: "an integer",
            }
            .into());
        }
        only_fields(&members, &["type", "realm", "timestamp"], message_type)?;
        let realm = realm.to_owned();
        Ok(match message_type {
            "subscribe" => ClientMessage::Subscribe { realm },
            _ => ClientMessage::Unsubscribe { realm },
        })
    }

    /// The realm key the message names.
    pub fn realm(&self) -> &str {
        match self {
            ClientMessage::Subscribe { realm } | ClientMessage::Unsubscribe { realm } => realm,
        }
    }

    /// The message as a compact JSON frame.
    pub fn encode(&self) -> Vec<u8> {
        let (kind, realm) = match self {
            ClientMessage::Subscribe { realm } => ("subscribe", realm),
            ClientMessage::Unsubscribe { realm } => ("unsubscribe", realm),
        };
        Frame {
            kind,
            realm: Some(realm),
            ..Frame::default()
        }
        .encode()
    }
}

/// A protocol frame as Orangepill writes it: compact, members in the
/// vendor's order, absent ones left out.
#[derive(Debug, Default, Serialize)]
struct Frame<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    event: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    realm: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp: Option<&'a Timestamp>,
}

impl Frame<'_> {
    fn encode(&self) -> Vec<u8> {
        // Strings and timestamps always serialise.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

fn only_fields(
    members: &[Member<'_>],
    allowed: &[&str],
    message: &'static str,
) -> Result<(), WireError> {
    match members
        .iter()
        .find(|member| !allowed.contains(&&*member.key))
    {
        Some(member) => Err(Reason::UnexpectedField {
            field: member.key.clone().into_owned(),
            message,
        }
        .into()),
        None => Ok(()),
    }
}

/// A message from server to client.
///
/// ```
/// use herald_core::wire::orangepill::ServerMessage;
/// use herald_core::wire::Timestamp;
/// let error = ServerMessage::parse(br#"{"type":"error","realm":"Invalid Realm Key.","timestamp":1671547687}"#)?;
/// assert_eq!(error, ServerMessage::Error { message: "Invalid Realm Key.".into(), timestamp: Timestamp::Unix(1671547687) });
/// # Ok::<(), herald_core::WireError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ServerMessage {
    /// The first frame of every reply: the realm id, or [`NO_REALM`] on failure.
    Info {
        /// The realm id.
        realm: String,
        /// When.
        timestamp: Timestamp,
    },
    /// The subscription is in place.
    Subscribed {
        /// The realm id.
        realm: String,
        /// When.
        timestamp: Timestamp,
    },
    /// The subscription is gone.
    Unsubscribed {
        /// The realm id.
        realm: String,
        /// When.
        timestamp: Timestamp,
    },
    /// The request failed; the text travels in the `realm` field.
    Error {
        /// What went wrong.
        message: String,
        /// When.
        timestamp: Timestamp,
    },
    /// Something happened to an entity of a subscribed realm.
    Notification {
        /// The event name.
        name: String,
        /// The affected entity's id (`data`).
        entity_id: String,
        /// When.
        timestamp: Timestamp,
    },
}

impl ServerMessage {
    /// Reads a server frame with the default [`Limits`].
    pub fn parse(frame: &[u8]) -> Result<ServerMessage, WireError> {
        ServerMessage::parse_with_limits(frame, &Limits::default())
    }

    /// Reads a server frame; every message needs its `timestamp` (integer
    /// or string) and members other than its own are errors.
    pub fn parse_with_limits(frame: &[u8], limits: &Limits) -> Result<ServerMessage, WireError> {
        super::check_size(frame, limits)?;
        let members = json::members(frame, limits.max_depth)?;
        let kind = json::string_field(&members, "type")?;
        let timestamp = match json::field(&members, "timestamp")? {
            None => return Err(Reason::MissingField { field: "timestamp" }.into()),
            value => super::timestamp_of(value).ok_or(Reason::WrongFieldType {
                field: "timestamp",
                expected: "an integer or a string",
            })?,
        };
        let realm = || json::string_field(&members, "realm").map(str::to_owned);
        let (message, message_type) = match kind {
            "info" => (
                ServerMessage::Info {
                    realm: realm()?,
                    timestamp,
                },
                "info",
            ),
            "subscribe" => (
                ServerMessage::Subscribed {
                    realm: realm()?,
                    timestamp,
                },
                "subscribe",
            ),
            "unsubscribe" => (
                ServerMessage::Unsubscribed {
                    realm: realm()?,
                    timestamp,
                },
                "unsubscribe",
            ),
            "error" => (
                ServerMessage::Error {
                    message: realm()?,
                    timestamp,
                },
                "error",
            ),
            "notification" => {
                let name = json::string_field(&members, "event")?.to_owned();
                let entity_id = json::string_field(&members, "data")?.to_owned();
                only_fields(
                    &members,
                    &["type", "event", "data", "timestamp"],
                    "notification",
                )?;
                return Ok(ServerMessage::Notification {
                    name,
                    entity_id,
                    timestamp,
                });
            }
            other => {
                return Err(Reason::UnexpectedMessageType {
                    found: other.to_owned(),
                    expected: "\"info\", \"subscribe\", \"unsubscribe\", \"error\" or \"notification\"",
                }.into());
            }
        };
        only_fields(&members, &["type", "realm", "timestamp"], message_type)?;
        Ok(message)
    }

    /// The message as a compact JSON frame, in the vendor's member order.
    pub fn encode(&self) -> Vec<u8> {
        let frame = match self {
            ServerMessage::Notification {
                name,
                entity_id,
                timestamp,
            } => Frame {
                kind: "notification",
                event: Some(name),
                data: Some(entity_id),
                realm: None,
                timestamp: Some(timestamp),
            },
            ServerMessage::Info { realm, timestamp }
            | ServerMessage::Subscribed { realm, timestamp }
            | ServerMessage::Unsubscribed { realm, timestamp }
            | ServerMessage::Error {
                message: realm,
                timestamp,
            } => Frame {
                kind: match self {
                    ServerMessage::Info { .. } => "info",
                    ServerMessage::Subscribed { .. } => "subscribe",
                    ServerMessage::Unsubscribed { .. } => "unsubscribe",
                    _ => "error",
                },
                event: None,
                data: None,
                realm: Some(realm),
                timestamp: Some(timestamp),
            },
        };
        frame.encode()
    }
}

/// How a server tells realm keys apart: the realm id a key opens, or
/// `None` for a key it does not accept.
///
/// Implemented for key sets (`BTreeSet<String>`, `HashSet<String>`: the
/// realm id is the key itself), for maps from key to realm id
/// (`BTreeMap<String, String>`, `HashMap<String, String>`) and for closures
/// `Fn(&str) -> Option<String>`, so a host can check keys any way it likes.
///
/// ```
/// use herald_core::wire::orangepill::RealmKeys;
/// let check = |key: &str| (key == "secret").then(|| "realm-1".to_owned());
/// assert_eq!(check.realm_for("secret").as_deref(), Some("realm-1"));
/// assert_eq!(check.realm_for("guess"), None);
/// ```
pub trait RealmKeys {
    /// The realm id `key` opens, or `None` when the key is not valid.
    fn realm_for(&self, key: &str) -> Option<String>;
}

impl RealmKeys for BTreeSet<String> {
    fn realm_for(&self, key: &str) -> Option<String> {
        self.contains(key).then(|| key.to_owned())
    }
}

impl<S: BuildHasher> RealmKeys for HashSet<String, S> {
    fn realm_for(&self, key: &str) -> Option<String> {
        self.contains(key).then(|| key.to_owned())
    }
}

impl RealmKeys for BTreeMap<String, String> {
    fn realm_for(&self, key: &str) -> Option<String> {
        self.get(key).cloned()
    }
}

impl<S: BuildHasher> RealmKeys for HashMap<String, String, S> {
    fn realm_for(&self, key: &str) -> Option<String> {
        self.get(key).cloned()
    }
}

impl<F: Fn(&str) -> Option<String>> RealmKeys for F {
    fn realm_for(&self, key: &str) -> Option<String> {
        self(key)
    }
}

/// What a client frame did to a session.
///
/// ```
/// use std::collections::BTreeSet;
/// use herald_core::wire::orangepill::{Outcome, RealmSession};
/// let keys = BTreeSet::from(["k".to_owned()]);
/// let mut session = RealmSession::new();
/// let outcomes: Vec<Outcome> = [
///     &br#"{"type":"unsubscribe","realm":"k"}"#[..],
///     br#"{"type":"subscribe","realm":"k"}"#,
///     br#"{"type":"subscribe","realm":"k"}"#,
/// ]
/// .iter()
/// .map(|frame| session.handle(frame, 1, &keys).outcome)
/// .collect();
/// assert_eq!(outcomes, [
///     Outcome::NotSubscribed { realm: "k".into() },
///     Outcome::Subscribed { realm: "k".into() },
///     Outcome::AlreadySubscribed { realm: "k".into() },
/// ]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The session now receives the realm's notifications.
    Subscribed {
        /// The realm id.
        realm: String,
    },
    /// The session already did; nothing changed (the reply is a success all the same).
    AlreadySubscribed {
        /// The realm id.
        realm: String,
    },
    /// The session no longer receives the realm's notifications.
    Unsubscribed {
        /// The realm id.
        realm: String,
    },
    /// The session did not receive them; nothing changed (the reply is a success all the same).
    NotSubscribed {
        /// The realm id.
        realm: String,
    },
    /// The realm key is not valid: failure reply, nothing changed.
    InvalidKey,
    /// The frame is not a client message: failure reply, nothing changed.
    Malformed(WireError),
}

impl Outcome {
    /// Whether the reply is the success pair (`info` with the realm id and the echo).
    pub fn is_success(&self) -> bool {
        !matches!(self, Outcome::InvalidKey | Outcome::Malformed(_))
    }
}

/// The frames to send back for one client frame, and what it did: always
/// two frames, `info` then the echo or the `error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The frames, in order: always two.
    pub frames: Vec<Vec<u8>>,
    /// What the client frame did.
    pub outcome: Outcome,
}

/// One client connection's subscriptions, as a state machine: it takes a
/// client frame and the current time and returns the reply frames.
///
/// A session may hold several realms. Subscribing twice, or unsubscribing a
/// realm the session does not hold, succeeds without a change (the reply
/// tells the truth about the state the client asked for) and says so in
/// the [`Outcome`]. Malformed frames and bad keys get the failure pair and
/// leave the session as it was.
///
/// ```
/// use std::collections::BTreeSet;
/// use herald_core::wire::orangepill::{Outcome, RealmSession};
/// let keys = BTreeSet::from(["realm-key".to_owned()]);
/// let mut session = RealmSession::new();
/// let reply = session.handle(b"{\"type\":\"subscribe\",\"realm\":\"nope\"}", 1671547687, &keys);
/// assert_eq!(reply.outcome, Outcome::InvalidKey);
/// assert_eq!(reply.frames[1], br#"{"type":"error","realm":"Invalid Realm Key.","timestamp":1671547687}"#);
/// let reply = session.handle(b"{\"type\":\"subscribe\",\"realm\":\"realm-key\"}", 1671547688, &keys);
/// assert!(reply.outcome.is_success() && session.is_subscribed("realm-key"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RealmSession {
    realms: BTreeSet<String>,
    limits: Limits,
}

impl RealmSession {
    /// A session with no subscriptions and the default [`Limits`] for frames.
    pub fn new() -> RealmSession {
        RealmSession::default()
    }

    /// A session that reads frames with other limits.
    pub fn with_limits(limits: Limits) -> RealmSession {
        RealmSession {
            realms: BTreeSet::new(),
            limits,
        }
    }

    /// Handles one client frame at unix time `now` (replies carry integer
    /// timestamps, as Orangepill's do), checking realm keys with `keys`.
    pub fn handle(&mut self, frame: &[u8], now: i64, keys: &dyn RealmKeys) -> Reply {
        let message = match ClientMessage::parse_with_limits(frame, &self.limits) {
            Ok(message) => message,
            Err(error) => {
                let text = format!("Invalid message: {error}.");
                return failure(text, now, Outcome::Malformed(error));
            }
        };
        let Some(realm) = keys
            .realm_for(message.realm())
            .filter(|realm| !realm.is_empty())
        else {
            return failure(INVALID_REALM_KEY.to_owned(), now, Outcome::InvalidKey);
        };
        let timestamp = Timestamp::Unix(now);
        let info = ServerMessage::Info {
            realm: realm.clone(),
            timestamp: timestamp.clone(),
        };
        let (echo, outcome) = match message {
            ClientMessage::Subscribe { .. } => {
                let echo = ServerMessage::Subscribed {
                    realm: realm.clone(),
                    timestamp,
                };
                let outcome = if self.realms.insert(realm.clone()) {
                    Outcome::Subscribed { realm }
                } else {
                    Outcome::AlreadySubscribed { realm }
                };
                (echo, outcome)
            }
            ClientMessage::Unsubscribe { .. } => {
                let echo = ServerMessage::Unsubscribed {
                    realm: realm.clone(),
                    timestamp,
                };
                let outcome = if self.realms.remove(&realm) {
                    Outcome::Unsubscribed { realm }
                } else {
                    Outcome::NotSubscribed { realm }
                };
                (echo, outcome)
            }
        };
        Reply {
            frames: vec![info.encode(), echo.encode()],
            outcome,
        }
    }

    /// Whether the session receives notifications of `realm` (a realm id).
    pub fn is_subscribed(&self, realm: &str) -> bool {
        self.realms.contains(realm)
    }

    /// The realm ids the session holds, in ascending order.
    pub fn realms(&self) -> impl Iterator<Item = &str> {
        self.realms.iter().map(String::as_str)
    }

    /// The frame to send this session for `event` in `realm`: `None` when
    /// the session does not hold the realm.
    ///
    /// ```
    /// use std::collections::BTreeSet;
    /// use herald_core::wire::orangepill::{self, RealmSession};
    /// use herald_core::wire::Timestamp;
    /// use herald_core::Catalogue;
    /// let event = orangepill::notification(Catalogue::builtin(), "user.created", "6396", Timestamp::Unix(1))?;
    /// let mut session = RealmSession::new();
    /// assert_eq!(session.notify("k", &event)?, None);
    /// session.handle(br#"{"type":"subscribe","realm":"k"}"#, 1, &BTreeSet::from(["k".to_owned()]));
    /// assert_eq!(session.notify("k", &event)?.as_deref(), Some(&event.payload[..]));
    /// # Ok::<(), herald_core::WireError>(())
    /// ```
    pub fn notify(&self, realm: &str, event: &Event<'_>) -> Result<Option<Vec<u8>>, WireError> {
        let frame = encode(event)?;
        Ok(self.is_subscribed(realm).then_some(frame))
    }
}

fn failure(text: String, now: i64, outcome: Outcome) -> Reply {
    let timestamp = Timestamp::Unix(now);
    let info = ServerMessage::Info {
        realm: NO_REALM.to_owned(),
        timestamp: timestamp.clone(),
    };
    let error = ServerMessage::Error {
        message: text,
        timestamp,
    };
    Reply {
        frames: vec![info.encode(), error.encode()],
        outcome,
    }
}

/// One notification frame and the sessions that receive it
/// ([`Hub::notify`]; the hub's example shows one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The frame, the same for every session.
    pub frame: Vec<u8>,
    /// The receiving session ids, ascending.
    pub sessions: Vec<u64>,
}

/// Many sessions, and who receives an event of a realm (sans-IO).
///
/// The hub hands out session ids (from 1, never reused), feeds each
/// session's frames to it and keeps an index from realm id to sessions, so
/// [`Hub::recipients`] costs one lookup.
///
/// ```
/// use std::collections::BTreeSet;
/// use herald_core::wire::orangepill::{ClientMessage, Hub};
/// let keys = BTreeSet::from(["k1".to_owned(), "k2".to_owned()]);
/// let mut hub = Hub::new();
/// let (a, b) = (hub.open(), hub.open());
/// for (session, key) in [(a, "k1"), (b, "k1"), (b, "k2")] {
///     let frame = ClientMessage::Subscribe { realm: key.to_owned() }.encode();
///     hub.handle(session, &frame, 1671547687, &keys)?;
/// }
/// assert_eq!(hub.recipients("k1"), [a, b]);
/// hub.close(b);
/// assert_eq!(hub.recipients("k1"), [a]);
/// assert!(hub.recipients("k2").is_empty());
/// # Ok::<(), herald_core::WireError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Hub {
    next_id: u64,
    sessions: BTreeMap<u64, RealmSession>,
    subscribers: BTreeMap<String, BTreeSet<u64>>,
    limits: Limits,
}

impl Default for Hub {
    fn default() -> Self {
        Hub::new()
    }
}

impl Hub {
    /// An empty hub; its sessions read frames with the default [`Limits`].
    pub fn new() -> Hub {
        Hub::with_limits(Limits::default())
    }

    /// An empty hub whose sessions read frames with `limits`.
    pub fn with_limits(limits: Limits) -> Hub {
        Hub {
            next_id: 1,
            sessions: BTreeMap::new(),
            subscribers: BTreeMap::new(),
            limits,
        }
    }

    /// Opens a session and returns its id.
    pub fn open(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.sessions
            .insert(id, RealmSession::with_limits(self.limits));
        id
    }

    /// Closes a session, dropping its subscriptions; whether it existed.
    pub fn close(&mut self, session: u64) -> bool {
        let Some(closed) = self.sessions.remove(&session) else {
            return false;
        };
        for realm in closed.realms() {
            self.unindex(realm, session);
        }
        true
    }

    /// The session with this id.
    pub fn session(&self, session: u64) -> Option<&RealmSession> {
        self.sessions.get(&session)
    }

    /// How many sessions are open.
    pub fn len(&self) -> usize {
        self.sessions.len()
    }

    /// Whether no session is open.
    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }

    /// Feeds one client frame to a session ([`RealmSession::handle`]).
    pub fn handle(
        &mut self,
        session: u64,
        frame: &[u8],
        now: i64,
        keys: &dyn RealmKeys,
    ) -> Result<Reply, WireError> {
        let state = self
            .sessions
            .get_mut(&session)
            .ok_or(Reason::UnknownSession { id: session })?;
        let reply = state.handle(frame, now, keys);
        match &reply.outcome {
            Outcome::Subscribed { realm } => {
                self.subscribers
                    .entry(realm.clone())
                    .or_default()
                    .insert(session);
            }
            Outcome::Unsubscribed { realm } => self.unindex(realm, session),
            _ => {}
        }
        Ok(reply)
    }

    fn unindex(&mut self, realm: &str, session: u64) {
        if let Some(sessions) = self.subscribers.get_mut(realm) {
            sessions.remove(&session);
            if sessions.is_empty() {
                self.subscribers.remove(realm);
            }
        }
    }

    /// The sessions that receive events of `realm`, ascending.
    pub fn recipients(&self, realm: &str) -> Vec<u64> {
        self.subscribers
            .get(realm)
            .map(|sessions| sessions.iter().copied().collect())
            .unwrap_or_default()
    }

    /// The frame for `event` and the sessions of `realm` that receive it.
    pub fn notify(&self, realm: &str, event: &Event<'_>) -> Result<Delivery, WireError> {
        Ok(Delivery {
            frame: encode(event)?,
            sessions: self.recipients(realm),
        })
    }
}
