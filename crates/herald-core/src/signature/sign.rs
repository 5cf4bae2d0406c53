//! Signing: the headers a sender puts on a message, for every scheme.
//!
//! Receivers use this in tests and tools (the CLI's `sign`); a sender that
//! speaks one of these schemes can use it as is. Signing is deterministic
//! (HMAC and ed25519 both are), so the output of a given key and message
//! never changes. This module never verifies anything.

use ed25519_dalek::Signer;
use hmac::Mac;
use thiserror::Error;

use super::Scheme;
use super::encoding::{base64_encode, hex_encode};
use super::headers::{
    INPLAYER_SIGNATURE, ORANGEPILL_SIGNATURE, ORANGEPILL_TIMESTAMP, STRIPE_SIGNATURE, WEBHOOK_ID,
    WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP,
};
use super::keys::{Key, KeySet};
use super::verify::content_parts;

/// What a sender signs: the body, and the id and timestamp where the
/// scheme signs them.
///
/// | scheme | `id` | `timestamp` |
/// |---|---|---|
/// | `inplayer` | not allowed | not allowed |
/// | `orangepill` | not allowed | optional (then `X-Orangepill-Timestamp` is sent) |
/// | `standard-webhooks` | required | required |
/// | `stripe` | not allowed | required |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Message<'a> {
    /// The message id: visible ASCII without spaces.
    pub id: Option<&'a str>,
    /// Unix seconds, not negative.
    pub timestamp: Option<i64>,
    /// The raw body, exactly as it will be sent.
    pub body: &'a [u8],
}

/// One header to send.
///
/// ```
/// use herald_core::signature::Header;
/// let header = Header { name: "webhook-id", value: "msg_1".into() };
/// assert_eq!(header.to_string(), "webhook-id: msg_1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The header's name, as the scheme writes it.
    pub name: &'static str,
    /// Its value.
    pub value: String,
}

impl std::fmt::Display for Header {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.name, self.value)
    }
}

/// Why a message cannot be signed. Each variant has a stable
/// [`code`](SignError::code).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SignError {
    /// The key set is empty.
    #[error("no key to sign with")]
    NoKey,
    /// The scheme's header carries one signature and the set has more keys.
    #[error("{scheme} sends one signature, and the key set holds {keys} keys")]
    OneKeyOnly {
        /// The scheme.
        scheme: Scheme,
        /// How many keys the set holds.
        keys: usize,
    },
    /// A `whpk_` key verifies but cannot sign.
    #[error("key {index} is a public key: it verifies but cannot sign")]
    PublicKey {
        /// Its index in the key set.
        index: usize,
    },
    /// The scheme signs an id and the message has none.
    #[error("{scheme} signs a message id; the message has none")]
    MissingId {
        /// The scheme.
        scheme: Scheme,
    },
    /// The scheme signs a timestamp and the message has none.
    #[error("{scheme} signs a timestamp; the message has none")]
    MissingTimestamp {
        /// The scheme.
        scheme: Scheme,
    },
    /// The scheme does not sign this field, so giving it would mislead.
    #[error("{scheme} does not sign a message {field}")]
    NotSigned {
        /// The scheme.
        scheme: Scheme,
        /// `id` or `timestamp`.
        field: &'static str,
    },
    /// An id that is empty or not visible ASCII.
    #[error("the message id must be visible ASCII without spaces")]
    InvalidId,
    /// A negative timestamp.
    #[error("the timestamp {timestamp} is negative")]
    InvalidTimestamp {
        /// The timestamp given.
        timestamp: i64,
    },
}

impl SignError {
    /// The stable code, such as `missing_id`.
    pub fn code(&self) -> &'static str {
        match self {
            SignError::NoKey => "no_key",
            SignError::OneKeyOnly { .. } => "one_key_only",
            SignError::PublicKey { .. } => "public_key",
            SignError::MissingId { .. } => "missing_id",
            SignError::MissingTimestamp { .. } => "missing_timestamp",
            SignError::NotSigned { .. } => "not_signed",
            SignError::InvalidId => "invalid_id",
            SignError::InvalidTimestamp { .. } => "invalid_timestamp",
        }
    }
}

/// Signs `message` with every key of `keys` and returns the headers to
/// send, in the order the scheme lists them.
///
/// Standard Webhooks and Stripe put one signature per key in their header
/// (a sender rotating its secret signs with both); InPlayer and Orangepill
/// carry one, so their key set must hold exactly one key.
///
/// ```
/// use herald_core::signature::{sign, KeySet, Message, Scheme};
/// let mut keys = KeySet::new(Scheme::Stripe);
/// keys.add("whsec_test")?;
/// let headers = sign(&keys, &Message { timestamp: Some(1700000000), body: b"{}", ..Message::default() })?;
/// assert_eq!(headers.len(), 1);
/// assert!(headers[0].value.starts_with("t=1700000000,v1="));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sign(keys: &KeySet, message: &Message<'_>) -> Result<Vec<Header>, SignError> {
    let scheme = keys.scheme();
    check_fields(scheme, message)?;
    if keys.is_empty() {
        return Err(SignError::NoKey);
    }
    if matches!(scheme, Scheme::Inplayer | Scheme::Orangepill) && keys.len() > 1 {
        return Err(SignError::OneKeyOnly {
            scheme,
            keys: keys.len(),
        });
    }
    let timestamp = message.timestamp.map(|value| value.to_string());
    let content = content_parts(
        message.id.map(str::as_bytes),
        timestamp.as_deref().map(str::as_bytes),
        message.body,
    );
    let signatures = keys
        .keys()
        .iter()
        .enumerate()
        .map(|(index, key)| signature(key, &content).ok_or(SignError::PublicKey { index }))
        .collect::<Result<Vec<_>, _>>()?;
    let header = |name: &'static str, value: String| Header { name, value };
    Ok(match scheme {
        Scheme::Inplayer => vec![header(
            INPLAYER_SIGNATURE,
            format!("sha256={}", hex_encode(&signatures[0].1)),
        )],
        Scheme::Orangepill => {
            let mut headers = vec![header(ORANGEPILL_SIGNATURE, hex_encode(&signatures[0].1))];
            if let Some(timestamp) = timestamp {
                headers.push(header(ORANGEPILL_TIMESTAMP, timestamp));
            }
            headers
        }
        Scheme::StandardWebhooks => {
            let list = signatures
                .iter()
                .map(|(version, bytes)| format!("{version},{}", base64_encode(bytes)))
                .collect::<Vec<_>>()
                .join(" ");
            vec![
                header(WEBHOOK_ID, message.id.unwrap_or_default().to_owned()),
                header(WEBHOOK_TIMESTAMP, timestamp.unwrap_or_default()),
                header(WEBHOOK_SIGNATURE, list),
            ]
        }
        Scheme::Stripe => {
            let mut value = format!("t={}", timestamp.unwrap_or_default());
            for (_, bytes) in &signatures {
                value.push_str(",v1=");
                value.push_str(&hex_encode(bytes));
            }
            vec![header(STRIPE_SIGNATURE, value)]
        }
    })
}

/// Checks that the message has what the scheme signs, and nothing else.
fn check_fields(scheme: Scheme, message: &Message<'_>) -> Result<(), SignError> {
    let (id, timestamp) = match scheme {
        Scheme::Inplayer => (Field::Refused, Field::Refused),
        Scheme::Orangepill => (Field::Refused, Field::Optional),
        Scheme::StandardWebhooks => (Field::Required, Field::Required),
        Scheme::Stripe => (Field::Refused, Field::Required),
    };
    match (id, message.id) {
        (Field::Required, None) => return Err(SignError::MissingId { scheme }),
        (Field::Refused, Some(_)) => {
            return Err(SignError::NotSigned {
                scheme,
                field: "id",
            });
        }
        (_, Some(text)) if text.is_empty() || !text.bytes().all(|b| b.is_ascii_graphic()) => {
            return Err(SignError::InvalidId);
        }
        _ => {}
    }
    match (timestamp, message.timestamp) {
        (Field::Required, None) => Err(SignError::MissingTimestamp { scheme }),
        (Field::Refused, Some(_)) => Err(SignError::NotSigned {
            scheme,
            field: "timestamp",
        }),
        (_, Some(timestamp)) if timestamp < 0 => Err(SignError::InvalidTimestamp { timestamp }),
        _ => Ok(()),
    }
}

/// Whether a scheme signs a field.
#[derive(Clone, Copy)]
enum Field {
    Required,
    Optional,
    Refused,
}

/// One key's signature over the content: its version label and bytes.
/// `None` for a public key.
fn signature(key: &Key, content: &[&[u8]; 5]) -> Option<(&'static str, Vec<u8>)> {
    match key {
        Key::Hmac(keyed) => {
            let mut mac = keyed.clone();
            for part in content {
                mac.update(part);
            }
            Some(("v1", mac.finalize().into_bytes().to_vec()))
        }
        Key::Ed25519Secret(signing) => {
            Some(("v1a", signing.sign(&content.concat()).to_bytes().to_vec()))
        }
        Key::Ed25519Public(_) => None,
    }
}
