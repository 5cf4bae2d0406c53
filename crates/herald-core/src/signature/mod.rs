//! Webhook authenticity: verify (and sign) the signatures InPlayer,
//! Orangepill, Standard Webhooks (Svix) and Stripe-style senders put on a
//! webhook, and refuse replays.
//!
//! This module owns the signature schemes: which headers carry what, which
//! bytes are signed, how secrets are written, and the stable outcome codes.
//! It never touches a clock, a socket or a file: the caller passes the
//! headers as `(name, value)` byte pairs, the raw body, and the current time.
//! It never decodes a body before its signature is verified
//! ([`verify_then_decode`] verifies the raw bytes first), and a rejection
//! never says which byte of a signature differed.
//!
//! ```
//! use herald_core::signature::{self, KeySet, Message, Scheme, Tolerance};
//!
//! // The receiver parses its secret once (here a Standard Webhooks `whsec_` secret).
//! let mut keys = KeySet::new(Scheme::StandardWebhooks);
//! keys.add("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
//!
//! // A sender signs (here with the same key, as a test would).
//! let body = br#"{"test": 2432232314}"#;
//! let message = Message { id: Some("msg_p5jXN8AQM9LWM0D4loKWxJek"), timestamp: Some(1614265330), body };
//! let headers = signature::sign(&keys, &message)?;
//! assert_eq!(headers[2].to_string(), "webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
//!
//! // The receiver verifies the raw body against the headers, at its own `now`.
//! let pairs: Vec<(&str, &str)> = headers.iter().map(|h| (h.name, h.value.as_str())).collect();
//! let verified = signature::verify(&keys, &pairs, body, 1614265400, Tolerance::Seconds(300))?;
//! assert_eq!(verified.key, 0);
//!
//! // One changed byte, and the message is rejected with a stable code.
//! let rejection = signature::verify(&keys, &pairs, br#"{"test": 2432232315}"#, 1614265400, Tolerance::Seconds(300))
//!     .unwrap_err();
//! assert_eq!(rejection.code().as_str(), "no_matching_signature");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The schemes, the outcome codes, key rotation, the replay guard and the
//! mistakes this module rules out are described in `docs/signatures.md`.

mod decode;
mod encoding;
mod headers;
mod keys;
mod replay;
mod sign;
mod verify;

pub use decode::{Authentic, VerifyDecodeError, verify_then_decode};
pub use keys::{InvalidSecret, KeySet};
pub use replay::{ReplayGuard, ReplayRejection};
pub use sign::{Header, Message, SignError, sign};
pub use verify::{Rejection, Verified, parse_timestamp, verify};

/// The signature schemes, with stable ids.
///
/// ```
/// use herald_core::signature::Scheme;
/// let scheme: Scheme = "standard-webhooks".parse().unwrap();
/// assert_eq!(scheme, Scheme::StandardWebhooks);
/// assert_eq!(Scheme::Stripe.id(), "stripe");
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
pub enum Scheme {
    /// InPlayer merchant webhooks: `X-InPlayer-Signature: sha256=<hex>`,
    /// HMAC-SHA256 of the raw body with the merchant's API secret.
    #[strum(serialize = "inplayer")]
    Inplayer,
    /// Orangepill webhooks: `X-Orangepill-Signature: <hex>` (a `sha256=` or
    /// `v1=` prefix tolerated), HMAC-SHA256 of `{timestamp}.{body}` when an
    /// `X-Orangepill-Timestamp` header is sent, else of the body.
    #[strum(serialize = "orangepill")]
    Orangepill,
    /// Standard Webhooks (Svix): `webhook-id`, `webhook-timestamp` and
    /// `webhook-signature` (or their `svix-*` aliases) over
    /// `{id}.{timestamp}.{body}`; `v1` HMAC-SHA256 and `v1a` ed25519, base64.
    #[strum(serialize = "standard-webhooks")]
    StandardWebhooks,
    /// Stripe-style: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`,
    /// HMAC-SHA256 of `{t}.{body}` with the secret string as it is.
    #[strum(serialize = "stripe")]
    Stripe,
}

impl Scheme {
    /// Every scheme, in declaration order.
    pub const ALL: [Scheme; 4] = [
        Scheme::Inplayer,
        Scheme::Orangepill,
        Scheme::StandardWebhooks,
        Scheme::Stripe,
    ];

    /// The stable id, such as `standard-webhooks`.
    pub fn id(self) -> &'static str {
        self.into()
    }
}

/// How far a signed timestamp may be from `now`, in either direction.
///
/// There is no default: every call says which window it wants, and turning
/// the check off takes the explicit [`Tolerance::NoCheck`]. The reference
/// Standard Webhooks libraries use five minutes, [`Tolerance::REFERENCE`].
/// Schemes without a signed timestamp (InPlayer, and Orangepill when no
/// timestamp header is sent) have nothing to check.
///
/// ```
/// use herald_core::signature::Tolerance;
/// assert_eq!(Tolerance::REFERENCE, Tolerance::Seconds(300));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tolerance {
    /// Accept a timestamp at most this many seconds before or after `now`.
    Seconds(u64),
    /// Do not check the timestamp (it is still parsed and still signed).
    NoCheck,
}

impl Tolerance {
    /// Five minutes, the window of the Standard Webhooks reference libraries.
    pub const REFERENCE: Tolerance = Tolerance::Seconds(300);
}

/// The stable outcome codes of verification, secrets and the replay guard.
///
/// Other languages match on [`Code::as_str`]; the declaration order (and
/// [`Code::ALL`]) is stable and new codes are only ever appended.
///
/// ```
/// use herald_core::signature::Code;
/// assert_eq!(Code::NoMatchingSignature.as_str(), "no_matching_signature");
/// assert_eq!("duplicate".parse::<Code>().unwrap(), Code::Duplicate);
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
    strum::IntoStaticStr,
    strum::Display,
    strum::EnumString,
    strum::EnumIter,
)]
#[strum(serialize_all = "snake_case")]
#[non_exhaustive]
pub enum Code {
    /// A header the scheme needs is absent (or empty).
    MissingHeader,
    /// A header is there but cannot be read (given twice, no `sha256=`,
    /// no `t=`, an id with spaces, only unreadable signature entries…).
    MalformedHeader,
    /// The timestamp is not unix seconds written as plain digits.
    MalformedTimestamp,
    /// The timestamp is more than the tolerance before `now`.
    TimestampTooOld,
    /// The timestamp is more than the tolerance after `now`.
    TimestampTooNew,
    /// No signature in the header has a version these keys verify (only
    /// `v2,` entries, say).
    NoSupportedSignature,
    /// Signatures of a supported version are there, and none matches.
    NoMatchingSignature,
    /// A secret is empty or cannot be decoded for its scheme.
    InvalidSecret,
    /// The replay guard has seen this message id within its window.
    Duplicate,
    /// The replay guard is full of live ids and cannot take another.
    ReplayGuardFull,
}

impl Code {
    /// Every code, in its stable order.
    pub const ALL: [Code; 10] = [
        Code::MissingHeader,
        Code::MalformedHeader,
        Code::MalformedTimestamp,
        Code::TimestampTooOld,
        Code::TimestampTooNew,
        Code::NoSupportedSignature,
        Code::NoMatchingSignature,
        Code::InvalidSecret,
        Code::Duplicate,
        Code::ReplayGuardFull,
    ];

    /// The stable string code, such as `"timestamp_too_old"`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}
