//! Verify, then decode: the one way this crate turns a signed webhook into
//! an event.
//!
//! The signature covers the raw bytes, so they are verified first and only
//! verified bytes reach a decoder (the public [`wire::decode_with`]).
//! Decoding first and verifying a re-serialised body is the classic mistake
//! this order rules out. This module owns only that order; the schemes live
//! in `verify`, the formats in [`wire`].

use thiserror::Error;

use super::Tolerance;
use super::keys::KeySet;
use super::verify::{Rejection, Verified, verify};
use crate::catalogue::Catalogue;
use crate::wire::WireError;
use crate::wire::{self, DecodeOptions, Decoded, WireFormat};

/// A verified and decoded webhook.
#[derive(Debug, Clone)]
pub struct Authentic<'a> {
    /// What the signature vouched for: the key, and the signed id and timestamp.
    pub verified: Verified,
    /// The event the verified bytes decode to, and its validation report.
    pub decoded: Decoded<'a>,
}

impl Authentic<'_> {
    /// The id to give the [`ReplayGuard`](super::ReplayGuard): the signed
    /// header id (Standard Webhooks), else the body's own id (InPlayer's
    /// `id` field), which the signature covers too.
    pub fn message_id(&self) -> Option<&str> {
        self.verified
            .id
            .as_deref()
            .or(self.decoded.event.id.as_deref())
    }
}

/// Why [`verify_then_decode`] returned no event.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum VerifyDecodeError {
    /// The signature did not verify; nothing was decoded.
    #[error("rejected: {0}")]
    Rejected(#[from] Rejection),
    /// The signature verified, and the body does not decode as the format.
    #[error("verified, but the body does not decode: {0}")]
    Undecodable(WireError),
}

impl VerifyDecodeError {
    /// The stable code: the rejection's (such as `no_matching_signature`) or
    /// the wire error's (such as `unknown_event`).
    pub fn code(&self) -> &'static str {
        match self {
            VerifyDecodeError::Rejected(rejection) => rejection.code().as_str(),
            VerifyDecodeError::Undecodable(error) => error.code(),
        }
    }
}

/// Verifies the raw `body` against `headers` (as [`verify`] does), and only
/// then decodes the same bytes as `format`.
///
/// The natural pairs: `inplayer` with [`WireFormat::InplayerWebhook`] (the
/// raw form body); `orangepill` and `standard-webhooks` bodies are JSON
/// events, decoded by the JSON format the sender uses
/// ([`WireFormat::Orangepill`], [`WireFormat::InplayerNotification`]).
///
/// ```
/// use herald_core::signature::{sign, verify_then_decode, KeySet, Message, Scheme, Tolerance};
/// use herald_core::wire::{DecodeOptions, WireFormat};
/// use herald_core::Catalogue;
///
/// let mut keys = KeySet::new(Scheme::Inplayer);
/// keys.add("merchant-api-secret")?;
/// let body = b"id=WHE-1&created=1559906599&type=payment.card.failed&resource[code]=422";
/// let header = &sign(&keys, &Message { body, ..Message::default() })?[0];
/// let headers = [(header.name, header.value.as_str())];
///
/// let authentic = verify_then_decode(&keys, &headers, body, 1559906600, Tolerance::REFERENCE,
///     WireFormat::InplayerWebhook, Catalogue::builtin(), &DecodeOptions::default())?;
/// assert_eq!(authentic.decoded.event.name, "payment.card.failed");
/// assert_eq!(authentic.message_id(), Some("WHE-1"));
///
/// // A forged body is never decoded.
/// let forged = b"id=WHE-1&created=1559906599&type=payment.card.success&resource[code]=200";
/// let error = verify_then_decode(&keys, &headers, forged, 1559906600, Tolerance::REFERENCE,
///     WireFormat::InplayerWebhook, Catalogue::builtin(), &DecodeOptions::default()).unwrap_err();
/// assert_eq!(error.code(), "no_matching_signature");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
// The arguments are `verify`'s followed by `wire::decode_with`'s, one each.
#[allow(clippy::too_many_arguments)]
pub fn verify_then_decode<'a, N, V>(
    keys: &KeySet,
    headers: &[(N, V)],
    body: &'a [u8],
    now: i64,
    tolerance: Tolerance,
    format: WireFormat,
    catalogue: &Catalogue,
    options: &DecodeOptions,
) -> Result<Authentic<'a>, VerifyDecodeError>
where
    N: AsRef<[u8]>,
    V: AsRef<[u8]>,
{
    let verified = verify(keys, headers, body, now, tolerance)?;
    let decoded = wire::decode_with(format, catalogue, body, options)
        .map_err(VerifyDecodeError::Undecodable)?;
    Ok(Authentic { verified, decoded })
}
