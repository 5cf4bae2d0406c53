//! Reading a scheme's headers: which header holds the id, the timestamp and
//! the signatures, and how each is written.
//!
//! Header names compare without regard to ASCII case; values are taken as
//! given (HTTP parsers have already removed the whitespace around them), so
//! a value with a space in it is a malformed value, not a padded one. This
//! module parses; it computes no MAC and never looks at the body.

use base64::Engine;

use super::Scheme;
use super::encoding::{SIGNATURE_BASE64, hex_decode};
use super::verify::{Rejection, parse_timestamp};

/// The most signature entries one header may carry. Senders put one per
/// active key (two during a rotation); a cap keeps a forged header with
/// thousands of entries from costing thousands of ed25519 checks.
pub(super) const MAX_SIGNATURES: usize = 32;

/// `X-InPlayer-Signature`.
pub(super) const INPLAYER_SIGNATURE: &str = "X-InPlayer-Signature";
/// `X-Orangepill-Signature`.
pub(super) const ORANGEPILL_SIGNATURE: &str = "X-Orangepill-Signature";
/// `X-Orangepill-Timestamp`.
pub(super) const ORANGEPILL_TIMESTAMP: &str = "X-Orangepill-Timestamp";
/// `webhook-id` (alias `svix-id`).
pub(super) const WEBHOOK_ID: &str = "webhook-id";
/// `webhook-timestamp` (alias `svix-timestamp`).
pub(super) const WEBHOOK_TIMESTAMP: &str = "webhook-timestamp";
/// `webhook-signature` (alias `svix-signature`).
pub(super) const WEBHOOK_SIGNATURE: &str = "webhook-signature";
/// `Stripe-Signature`.
pub(super) const STRIPE_SIGNATURE: &str = "Stripe-Signature";

/// The algorithm a signature entry claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Algorithm {
    /// HMAC-SHA256 (`sha256=`, `v1=`, `v1,`).
    HmacSha256,
    /// ed25519 (`v1a,`).
    Ed25519,
}

/// One signature of a supported version, decoded. `bytes` is `None` when
/// the entry's text does not decode (it can match nothing).
#[derive(Debug)]
pub(super) struct Candidate {
    pub(super) algorithm: Algorithm,
    pub(super) bytes: Option<Vec<u8>>,
}

/// What a scheme's headers say: the signed metadata and the signatures.
#[derive(Debug)]
pub(super) struct Signed<'h> {
    /// The message id, visible ASCII (Standard Webhooks).
    pub(super) id: Option<&'h str>,
    /// The timestamp as written (it is signed as written) and its value.
    pub(super) timestamp: Option<(&'h [u8], i64)>,
    /// The signatures of versions herald knows.
    pub(super) candidates: Vec<Candidate>,
    /// Whether some entry could not be read at all (no `,` or `=`).
    pub(super) unreadable: bool,
    /// The header the signatures came from, for rejections.
    pub(super) header: &'static str,
}

/// Reads the headers of `scheme`.
pub(super) fn read<'h, N, V>(scheme: Scheme, headers: &'h [(N, V)]) -> Result<Signed<'h>, Rejection>
where
    N: AsRef<[u8]>,
    V: AsRef<[u8]>,
{
    match scheme {
        Scheme::Inplayer => read_inplayer(headers),
        Scheme::Orangepill => read_orangepill(headers),
        Scheme::StandardWebhooks => read_standard(headers),
        Scheme::Stripe => read_stripe(headers),
    }
}

/// The value of the header called `name` (or, when it is absent, the first
/// of `aliases` present). An empty value counts as absent; a name given
/// twice is malformed, since either value could be the one meant.
fn find<'h, N, V>(
    headers: &'h [(N, V)],
    name: &'static str,
    aliases: &[&str],
) -> Result<Option<&'h [u8]>, Rejection>
where
    N: AsRef<[u8]>,
    V: AsRef<[u8]>,
{
    for wanted in std::iter::once(name).chain(aliases.iter().copied()) {
        let mut found = headers
            .iter()
            .filter(|(given, _)| given.as_ref().eq_ignore_ascii_case(wanted.as_bytes()))
            .map(|(_, value)| value.as_ref())
            .filter(|value| !value.is_empty());
        if let Some(value) = found.next() {
            if found.next().is_some() {
                return Err(Rejection::MalformedHeader {
                    header: name,
                    reason: "the header is given more than once",
                });
            }
            return Ok(Some(value));
        }
    }
    Ok(None)
}

fn require<'h, N, V>(
    headers: &'h [(N, V)],
    name: &'static str,
    aliases: &[&str],
) -> Result<&'h [u8], Rejection>
where
    N: AsRef<[u8]>,
    V: AsRef<[u8]>,
{
    find(headers, name, aliases)?.ok_or(Rejection::MissingHeader { header: name })
}

fn timestamp<'h>(header: &'static str, text: &'h [u8]) -> Result<(&'h [u8], i64), Rejection> {
    parse_timestamp(text)
        .map(|value| (text, value))
        .ok_or(Rejection::MalformedTimestamp { header })
}

fn hmac_hex(text: &[u8]) -> Candidate {
    Candidate {
        algorithm: Algorithm::HmacSha256,
        bytes: hex_decode(text),
    }
}

fn split_once(text: &[u8], separator: u8) -> Option<(&[u8], &[u8])> {
    let at = text.iter().position(|&byte| byte == separator)?;
    Some((&text[..at], &text[at + 1..]))
}

/// `X-InPlayer-Signature: sha256=<hex>`.
fn read_inplayer<N: AsRef<[u8]>, V: AsRef<[u8]>>(
    headers: &[(N, V)],
) -> Result<Signed<'_>, Rejection> {
    let header = INPLAYER_SIGNATURE;
    let value = require(headers, header, &[])?;
    let (algorithm, signature) = split_once(value, b'=').ok_or(Rejection::MalformedHeader {
        header,
        reason: "expected `sha256=<hex>`",
    })?;
    let candidates = if algorithm == b"sha256" {
        vec![hmac_hex(signature)]
    } else {
        Vec::new()
    };
    Ok(Signed {
        id: None,
        timestamp: None,
        candidates,
        unreadable: false,
        header,
    })
}

/// `X-Orangepill-Signature: <hex>`, `sha256=<hex>` or `v1=<hex>`, and an
/// optional `X-Orangepill-Timestamp`.
fn read_orangepill<N: AsRef<[u8]>, V: AsRef<[u8]>>(
    headers: &[(N, V)],
) -> Result<Signed<'_>, Rejection> {
    let header = ORANGEPILL_SIGNATURE;
    let value = require(headers, header, &[])?;
    let timestamp = find(headers, ORANGEPILL_TIMESTAMP, &[])?
        .map(|text| timestamp(ORANGEPILL_TIMESTAMP, text))
        .transpose()?;
    let candidates = match split_once(value, b'=') {
        None => vec![hmac_hex(value)],
        Some((b"sha256" | b"v1", signature)) => vec![hmac_hex(signature)],
        Some(_) => Vec::new(),
    };
    Ok(Signed {
        id: None,
        timestamp,
        candidates,
        unreadable: false,
        header,
    })
}

/// `webhook-id`, `webhook-timestamp` and `webhook-signature` (space-separated
/// `version,base64` entries), each with its `svix-*` alias.
fn read_standard<N: AsRef<[u8]>, V: AsRef<[u8]>>(
    headers: &[(N, V)],
) -> Result<Signed<'_>, Rejection> {
    let id = require(headers, WEBHOOK_ID, &["svix-id"])?;
    let id = std::str::from_utf8(id)
        .ok()
        .filter(|id| id.bytes().all(|byte| byte.is_ascii_graphic()))
        .ok_or(Rejection::MalformedHeader {
            header: WEBHOOK_ID,
            reason: "the id must be visible ASCII without spaces",
        })?;
    let stamp = require(headers, WEBHOOK_TIMESTAMP, &["svix-timestamp"])?;
    let stamp = timestamp(WEBHOOK_TIMESTAMP, stamp)?;
    let header = WEBHOOK_SIGNATURE;
    let list = require(headers, header, &["svix-signature"])?;
    let mut signed = Signed {
        id: Some(id),
        timestamp: Some(stamp),
        candidates: Vec::new(),
        unreadable: false,
        header,
    };
    let entries = list
        .split(|&byte| byte == b' ')
        .filter(|entry| !entry.is_empty());
    for (count, entry) in entries.enumerate() {
        too_many(header, count)?;
        let Some((version, signature)) = split_once(entry, b',') else {
            signed.unreadable = true;
            continue;
        };
        let algorithm = match version {
            b"v1" => Algorithm::HmacSha256,
            b"v1a" => Algorithm::Ed25519,
            // Unknown versions (`v2,…`) are for other receivers.
            _ => continue,
        };
        signed.candidates.push(Candidate {
            algorithm,
            bytes: SIGNATURE_BASE64.decode(signature).ok(),
        });
    }
    Ok(signed)
}

/// `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`; other keys (`v0`)
/// are ignored.
fn read_stripe<N: AsRef<[u8]>, V: AsRef<[u8]>>(
    headers: &[(N, V)],
) -> Result<Signed<'_>, Rejection> {
    let header = STRIPE_SIGNATURE;
    let value = require(headers, header, &[])?;
    let mut signed = Signed {
        id: None,
        timestamp: None,
        candidates: Vec::new(),
        unreadable: false,
        header,
    };
    let mut stamp = None;
    for (count, item) in value.split(|&byte| byte == b',').enumerate() {
        too_many(header, count)?;
        let Some((key, text)) = split_once(item, b'=') else {
            signed.unreadable = true;
            continue;
        };
        match key {
            b"t" if stamp.is_some() => {
                return Err(Rejection::MalformedHeader {
                    header,
                    reason: "`t=` is given more than once",
                });
            }
            b"t" => stamp = Some(text),
            b"v1" => signed.candidates.push(hmac_hex(text)),
            _ => {}
        }
    }
    let stamp = stamp.ok_or(Rejection::MalformedHeader {
        header,
        reason: "no `t=` timestamp",
    })?;
    signed.timestamp = Some(timestamp(header, stamp)?);
    Ok(signed)
}

fn too_many(header: &'static str, count: usize) -> Result<(), Rejection> {
    if count >= MAX_SIGNATURES {
        return Err(Rejection::MalformedHeader {
            header,
            reason: "more than 32 entries",
        });
    }
    Ok(())
}
