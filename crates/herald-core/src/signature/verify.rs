//! Verification: a message's headers and raw body against a key set, at a
//! time the caller gives.
//!
//! The order is fixed: read the headers, check the timestamp's freshness,
//! then compare every signature entry with every key. MACs are compared in
//! constant time on the decoded bytes; ed25519 signatures are checked
//! strictly. This module decides verified or rejected and nothing else: a
//! rejection names the rule that failed, never the byte that differed.

use ed25519_dalek::Signature;
use hmac::Mac;
use thiserror::Error;

use super::headers::{self, Algorithm, Candidate, Signed};
use super::keys::{Key, KeySet};
use super::{Code, Tolerance};

/// Why a message was not verified. Each variant has a stable [`code`](Rejection::code).
///
/// ```
/// use herald_core::signature::{verify, KeySet, Rejection, Scheme, Tolerance};
/// let keys = KeySet::new(Scheme::Inplayer);
/// let headers: [(&str, &str); 0] = [];
/// let rejection = verify(&keys, &headers, b"id=1", 0, Tolerance::NoCheck).unwrap_err();
/// assert_eq!(rejection, Rejection::MissingHeader { header: "X-InPlayer-Signature" });
/// assert_eq!(rejection.code().as_str(), "missing_header");
/// assert_eq!(rejection.to_string(), "missing header X-InPlayer-Signature");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Rejection {
    /// A header the scheme needs is absent or empty.
    #[error("missing header {header}")]
    MissingHeader {
        /// The header's name (for Standard Webhooks, the `webhook-*` name;
        /// the `svix-*` alias was looked for too).
        header: &'static str,
    },
    /// A header that cannot be read.
    #[error("malformed header {header}: {reason}")]
    MalformedHeader {
        /// The header's name.
        header: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A timestamp that is not unix seconds written as plain digits.
    #[error("malformed timestamp in {header}: expected unix seconds as plain digits")]
    MalformedTimestamp {
        /// The header that holds it.
        header: &'static str,
    },
    /// The timestamp is more than the tolerance before `now`.
    #[error("timestamp {timestamp} is more than {tolerance} s before now ({now})")]
    TimestampTooOld {
        /// The signed timestamp.
        timestamp: i64,
        /// The caller's `now`.
        now: i64,
        /// The tolerance in seconds.
        tolerance: u64,
    },
    /// The timestamp is more than the tolerance after `now`.
    #[error("timestamp {timestamp} is more than {tolerance} s after now ({now})")]
    TimestampTooNew {
        /// The signed timestamp.
        timestamp: i64,
        /// The caller's `now`.
        now: i64,
        /// The tolerance in seconds.
        tolerance: u64,
    },
    /// No entry has a version the key set verifies.
    #[error("no signature in {header} has a version these keys verify")]
    NoSupportedSignature {
        /// The signature header.
        header: &'static str,
    },
    /// Entries of a supported version are there, and none matches a key.
    #[error("no signature in {header} matches a key")]
    NoMatchingSignature {
        /// The signature header.
        header: &'static str,
    },
}

impl Rejection {
    /// The stable code, such as [`Code::NoMatchingSignature`].
    pub fn code(&self) -> Code {
        match self {
            Rejection::MissingHeader { .. } => Code::MissingHeader,
            Rejection::MalformedHeader { .. } => Code::MalformedHeader,
            Rejection::MalformedTimestamp { .. } => Code::MalformedTimestamp,
            Rejection::TimestampTooOld { .. } => Code::TimestampTooOld,
            Rejection::TimestampTooNew { .. } => Code::TimestampTooNew,
            Rejection::NoSupportedSignature { .. } => Code::NoSupportedSignature,
            Rejection::NoMatchingSignature { .. } => Code::NoMatchingSignature,
        }
    }
}

/// A verified message: which key matched and the signed metadata.
///
/// Only what the signature covers is here, so the id and the timestamp can
/// be trusted (the replay guard takes them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The index in the [`KeySet`] of the key that matched (the first one,
    /// when several do).
    pub key: usize,
    /// The signed message id (Standard Webhooks' `webhook-id`).
    pub id: Option<String>,
    /// The signed timestamp, unix seconds (absent for InPlayer, and for
    /// Orangepill without a timestamp header).
    pub timestamp: Option<i64>,
}

/// Parses unix seconds written as plain ASCII digits: no sign, no spaces,
/// no fraction or exponent, no leading zero, no overflow of `i64`.
///
/// Every scheme's timestamp goes through this one parser, so a timestamp
/// means the same thing, and is signed as the same text, everywhere.
///
/// ```
/// use herald_core::signature::parse_timestamp;
/// assert_eq!(parse_timestamp(b"1614265330"), Some(1614265330));
/// assert_eq!(parse_timestamp(b"0"), Some(0));
/// for bad in ["161426533.0", "1e9", "+1", "-1", " 1", "1 ", "01", "", "9223372036854775808"] {
///     assert_eq!(parse_timestamp(bad.as_bytes()), None, "{bad}");
/// }
/// ```
pub fn parse_timestamp(text: &[u8]) -> Option<i64> {
    match text {
        [] => None,
        [b'0'] => Some(0),
        [b'0', ..] => None,
        _ => text.iter().try_fold(0i64, |value, &byte| {
            let digit = char::from(byte).to_digit(10)?;
            value.checked_mul(10)?.checked_add(i64::from(digit))
        }),
    }
}

/// Verifies a message: `headers` as received (`(name, value)` pairs, names
/// in any letter case), the raw `body` bytes exactly as received, and the
/// caller's `now` in unix seconds.
///
/// Signature entries are tried one by one against every key; unknown
/// versions are skipped. The result names the matching key.
///
/// ```
/// use herald_core::signature::{sign, verify, KeySet, Message, Scheme, Tolerance};
/// let mut keys = KeySet::new(Scheme::Inplayer);
/// keys.add("merchant-api-secret")?;
/// let body = b"id=WHE-1&created=1559906599&type=subscribe.success";
/// let header = &sign(&keys, &Message { body, ..Message::default() })?[0];
/// assert_eq!(header.name, "X-InPlayer-Signature");
/// let verified = verify(&keys, &[(header.name, &header.value)], body, 0, Tolerance::NoCheck)?;
/// assert_eq!(verified.key, 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify<N, V>(
    keys: &KeySet,
    headers: &[(N, V)],
    body: &[u8],
    now: i64,
    tolerance: Tolerance,
) -> Result<Verified, Rejection>
where
    N: AsRef<[u8]>,
    V: AsRef<[u8]>,
{
    let signed = headers::read(keys.scheme(), headers)?;
    if let (Some((_, timestamp)), Tolerance::Seconds(tolerance)) = (signed.timestamp, tolerance) {
        check_freshness(timestamp, now, tolerance)?;
    }
    let content = signed_content(&signed, body);
    let matched = keys
        .keys()
        .iter()
        .position(|key| matches_any(key, &signed.candidates, &content));
    match matched {
        Some(key) => Ok(Verified {
            key,
            id: signed.id.map(str::to_owned),
            timestamp: signed.timestamp.map(|(_, value)| value),
        }),
        None => Err(no_match(keys, &signed)),
    }
}

fn check_freshness(timestamp: i64, now: i64, tolerance: u64) -> Result<(), Rejection> {
    // i128 holds every difference of two i64 values and every u64.
    let age = i128::from(now) - i128::from(timestamp);
    if age > i128::from(tolerance) {
        Err(Rejection::TimestampTooOld {
            timestamp,
            now,
            tolerance,
        })
    } else if -age > i128::from(tolerance) {
        Err(Rejection::TimestampTooNew {
            timestamp,
            now,
            tolerance,
        })
    } else {
        Ok(())
    }
}

/// The signed bytes, as the parts to feed the MAC in order:
/// `{id}.{timestamp}.{body}`, `{timestamp}.{body}` or `{body}`.
pub(super) fn content_parts<'a>(
    id: Option<&'a [u8]>,
    timestamp: Option<&'a [u8]>,
    body: &'a [u8],
) -> [&'a [u8]; 5] {
    let dot = |part: Option<&'a [u8]>| if part.is_some() { &b"."[..] } else { &[][..] };
    [
        id.unwrap_or_default(),
        dot(id),
        timestamp.unwrap_or_default(),
        dot(timestamp),
        body,
    ]
}

fn signed_content<'a>(signed: &Signed<'a>, body: &'a [u8]) -> [&'a [u8]; 5] {
    content_parts(
        signed.id.map(str::as_bytes),
        signed.timestamp.map(|(text, _)| text),
        body,
    )
}

/// Whether `key` verifies one of the candidates over `content`.
fn matches_any(key: &Key, candidates: &[Candidate], content: &[&[u8]; 5]) -> bool {
    match key {
        Key::Hmac(keyed) => {
            let mut mac = keyed.clone();
            for part in content {
                mac.update(part);
            }
            candidates
                .iter()
                .filter(|candidate| candidate.algorithm == Algorithm::HmacSha256)
                .filter_map(|candidate| candidate.bytes.as_deref())
                // `verify_slice` compares in constant time (and refuses
                // other lengths outright, which reveals nothing secret).
                .any(|bytes| mac.clone().verify_slice(bytes).is_ok())
        }
        Key::Ed25519Public(_) | Key::Ed25519Secret(_) => {
            let Some(public) = key.verifying_key() else {
                return false;
            };
            let mut message = None;
            candidates
                .iter()
                .filter(|candidate| candidate.algorithm == Algorithm::Ed25519)
                .filter_map(|candidate| candidate.bytes.as_deref())
                .filter_map(|bytes| Signature::from_slice(bytes).ok())
                .any(|signature| {
                    let message = message.get_or_insert_with(|| content.concat());
                    public.verify_strict(message, &signature).is_ok()
                })
        }
    }
}

/// Why nothing matched: no entry of a version the keys verify, no readable
/// entry at all, or entries that simply do not match.
fn no_match(keys: &KeySet, signed: &Signed<'_>) -> Rejection {
    let header = signed.header;
    // With no key at all nothing could match; that is not the header's fault.
    let usable = |candidate: &&Candidate| {
        keys.is_empty()
            || keys.keys().iter().any(|key| match candidate.algorithm {
                Algorithm::HmacSha256 => matches!(key, Key::Hmac(_)),
                Algorithm::Ed25519 => !matches!(key, Key::Hmac(_)),
            })
    };
    if signed.candidates.iter().any(|candidate| usable(&candidate)) {
        Rejection::NoMatchingSignature { header }
    } else if signed.unreadable {
        Rejection::MalformedHeader {
            header,
            reason: "no entry of the form `version,signature`",
        }
    } else {
        Rejection::NoSupportedSignature { header }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freshness_is_inclusive_at_the_tolerance() {
        assert_eq!(check_freshness(1000, 1300, 300), Ok(()));
        assert_eq!(check_freshness(1000, 700, 300), Ok(()));
        assert!(matches!(
            check_freshness(1000, 1301, 300),
            Err(Rejection::TimestampTooOld { .. })
        ));
        assert!(matches!(
            check_freshness(1000, 699, 300),
            Err(Rejection::TimestampTooNew { .. })
        ));
    }

    #[test]
    fn freshness_never_overflows() {
        assert!(check_freshness(i64::MAX, i64::MIN, u64::MAX).is_ok());
        assert!(matches!(
            check_freshness(i64::MIN, i64::MAX, 0),
            Err(Rejection::TimestampTooOld { .. })
        ));
        assert!(matches!(
            check_freshness(i64::MAX, i64::MIN, 0),
            Err(Rejection::TimestampTooNew { .. })
        ));
    }

    #[test]
    fn content_joins_present_parts_with_dots() {
        assert_eq!(
            content_parts(Some(b"msg"), Some(b"12"), b"{}").concat(),
            b"msg.12.{}"
        );
        assert_eq!(content_parts(None, Some(b"12"), b"{}").concat(), b"12.{}");
        assert_eq!(content_parts(None, None, b"{}").concat(), b"{}");
    }
}
