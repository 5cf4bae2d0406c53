//! Secrets, parsed once per scheme into keys, and the key set a receiver
//! verifies with (more than one key during a rotation).
//!
//! This module owns the secret formats: InPlayer, Orangepill and Stripe use
//! the secret's bytes as given (a Stripe `whsec_` prefix is part of the
//! key); Standard Webhooks secrets are base64 after a `whsec_` prefix (HMAC,
//! `v1`), or `whpk_`/`whsk_` ed25519 keys (`v1a`). It never keeps a secret
//! in a form that `Debug` or an error message could print.

use base64::Engine;
use ed25519_dalek::{SigningKey, VerifyingKey};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use thiserror::Error;

use super::encoding::SECRET_BASE64;
use super::{Code, Scheme};

/// The MAC every scheme uses.
pub(super) type HmacSha256 = Hmac<Sha256>;

/// A secret that cannot be a key of its scheme.
///
/// Every variant has the code `invalid_secret`. Messages describe the
/// problem without repeating the secret.
///
/// ```
/// use herald_core::signature::{InvalidSecret, KeySet, Scheme};
/// let mut keys = KeySet::new(Scheme::StandardWebhooks);
/// assert_eq!(keys.add("whsec_").unwrap_err(), InvalidSecret::Empty);
/// assert_eq!(keys.add("whsec_!!!").unwrap_err().code().as_str(), "invalid_secret");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum InvalidSecret {
    /// The secret (or what follows its prefix) is empty, or decodes to no
    /// bytes.
    #[error("the secret is empty")]
    Empty,
    /// A Standard Webhooks secret that is not base64 after its prefix.
    #[error("the secret is not base64 after its `{prefix}` prefix")]
    NotBase64 {
        /// `whsec_`, `whpk_`, `whsk_`, or empty for a secret without one.
        prefix: &'static str,
    },
    /// An ed25519 key of the wrong length.
    #[error("a `{prefix}` key is {expected} bytes, this one decodes to {found}")]
    WrongLength {
        /// `whpk_` or `whsk_`.
        prefix: &'static str,
        /// The lengths a key of this kind has.
        expected: &'static str,
        /// The decoded length.
        found: usize,
    },
    /// A `whpk_` key that is not a point of the curve.
    #[error("the `whpk_` key is not a valid ed25519 public key")]
    NotAPublicKey,
    /// A 64-byte `whsk_` key whose second half is not the public key of its
    /// first half.
    #[error("the 64-byte `whsk_` key's public half does not belong to its secret half")]
    MismatchedKeyPair,
}

impl InvalidSecret {
    /// The stable code: always [`Code::InvalidSecret`].
    pub fn code(&self) -> Code {
        Code::InvalidSecret
    }
}

/// One parsed key. Its bytes live only inside the keyed MAC state or the
/// ed25519 key types (which wipe themselves on drop).
#[derive(Clone)]
pub(super) enum Key {
    /// HMAC-SHA256, keyed once: verifying clones the keyed state.
    Hmac(HmacSha256),
    /// An ed25519 public key (`whpk_`): verifies `v1a`.
    Ed25519Public(VerifyingKey),
    /// An ed25519 secret key (`whsk_`): signs `v1a`, and verifies with its
    /// public half.
    Ed25519Secret(SigningKey),
}

impl Key {
    /// Parses `secret` by the rules of `scheme`.
    fn parse(scheme: Scheme, secret: &[u8]) -> Result<Key, InvalidSecret> {
        if secret.is_empty() {
            return Err(InvalidSecret::Empty);
        }
        match scheme {
            Scheme::Inplayer | Scheme::Orangepill | Scheme::Stripe => Ok(hmac_key(secret)),
            Scheme::StandardWebhooks => parse_standard(secret),
        }
    }

    /// The public key of an ed25519 key.
    pub(super) fn verifying_key(&self) -> Option<VerifyingKey> {
        match self {
            Key::Hmac(_) => None,
            Key::Ed25519Public(key) => Some(*key),
            Key::Ed25519Secret(key) => Some(key.verifying_key()),
        }
    }

    /// What the key is, for `Debug`.
    fn kind(&self) -> &'static str {
        match self {
            Key::Hmac(_) => "hmac-sha256",
            Key::Ed25519Public(_) => "ed25519-public",
            Key::Ed25519Secret(_) => "ed25519-secret",
        }
    }
}

fn hmac_key(secret: &[u8]) -> Key {
    // HMAC takes a key of any length.
    Key::Hmac(HmacSha256::new_from_slice(secret).expect("HMAC accepts keys of every length"))
}

/// The Standard Webhooks secret formats. A secret without a prefix is a
/// `v1` secret in base64, as the reference libraries read it.
fn parse_standard(secret: &[u8]) -> Result<Key, InvalidSecret> {
    const FORMATS: [&str; 3] = ["whsec_", "whpk_", "whsk_"];
    let prefix = FORMATS
        .into_iter()
        .find(|prefix| secret.starts_with(prefix.as_bytes()))
        .unwrap_or("");
    let encoded = &secret[prefix.len()..];
    if encoded.is_empty() {
        return Err(InvalidSecret::Empty);
    }
    let bytes = SECRET_BASE64
        .decode(encoded)
        .map_err(|_| InvalidSecret::NotBase64 { prefix })?;
    match prefix {
        "whpk_" => {
            let bytes: [u8; 32] =
                bytes
                    .as_slice()
                    .try_into()
                    .map_err(|_| InvalidSecret::WrongLength {
                        prefix,
                        expected: "32",
                        found: bytes.len(),
                    })?;
            VerifyingKey::from_bytes(&bytes)
                .map(Key::Ed25519Public)
                .map_err(|_| InvalidSecret::NotAPublicKey)
        }
        "whsk_" => parse_signing_key(&bytes),
        // HMAC takes any key length. The specification asks senders for
        // 24 to 64 random bytes, but none of its reference libraries
        // enforces that, so a receiver accepts what they accept.
        _ if bytes.is_empty() => Err(InvalidSecret::Empty),
        _ => Ok(hmac_key(&bytes)),
    }
}

/// A `whsk_` key: the 32-byte seed (as the reference libraries write it),
/// or the 64-byte seed-and-public-key form of libsodium and NaCl.
fn parse_signing_key(bytes: &[u8]) -> Result<Key, InvalidSecret> {
    let wrong_length = || InvalidSecret::WrongLength {
        prefix: "whsk_",
        expected: "32 or 64",
        found: bytes.len(),
    };
    match bytes.len() {
        32 => {
            let seed: &[u8; 32] = bytes.try_into().map_err(|_| wrong_length())?;
            Ok(Key::Ed25519Secret(SigningKey::from_bytes(seed)))
        }
        64 => {
            let pair: &[u8; 64] = bytes.try_into().map_err(|_| wrong_length())?;
            SigningKey::from_keypair_bytes(pair)
                .map(Key::Ed25519Secret)
                .map_err(|_| InvalidSecret::MismatchedKeyPair)
        }
        _ => Err(wrong_length()),
    }
}

/// The keys a receiver accepts for one scheme, in order.
///
/// During a rotation the set holds the old and the new secret; a verified
/// message says which [`key`](super::Verified::key) matched, by its index
/// here. Secrets are parsed when added, once.
///
/// ```
/// use herald_core::signature::{KeySet, Scheme};
/// let mut keys = KeySet::new(Scheme::Stripe);
/// assert_eq!(keys.add("whsec_old")?, 0);
/// assert_eq!(keys.add("whsec_new")?, 1);
/// assert!(keys.remove(0));
/// assert_eq!(keys.len(), 1);
/// // Debug output never shows a secret.
/// assert_eq!(format!("{keys:?}"), r#"KeySet { scheme: Stripe, keys: ["hmac-sha256"] }"#);
/// # Ok::<(), herald_core::signature::InvalidSecret>(())
/// ```
#[derive(Clone)]
pub struct KeySet {
    scheme: Scheme,
    keys: Vec<Key>,
}

impl KeySet {
    /// An empty key set for `scheme`.
    pub fn new(scheme: Scheme) -> KeySet {
        KeySet {
            scheme,
            keys: Vec::new(),
        }
    }

    /// Parses `secret` by the scheme's rules and appends it; returns its
    /// index. A secret that is refused leaves the set unchanged.
    pub fn add(&mut self, secret: impl AsRef<[u8]>) -> Result<usize, InvalidSecret> {
        let key = Key::parse(self.scheme, secret.as_ref())?;
        self.keys.push(key);
        Ok(self.keys.len() - 1)
    }

    /// Removes the key at `index` (the keys after it move down by one);
    /// `false` when there is none.
    pub fn remove(&mut self, index: usize) -> bool {
        if index < self.keys.len() {
            self.keys.remove(index);
            true
        } else {
            false
        }
    }

    /// The scheme the keys are for.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// How many keys the set holds.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the set holds no key (then nothing verifies).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The keys, in order.
    pub(super) fn keys(&self) -> &[Key] {
        &self.keys
    }
}

impl std::fmt::Debug for KeySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySet")
            .field("scheme", &self.scheme)
            .field("keys", &self.keys.iter().map(Key::kind).collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(scheme: Scheme, secret: &str) -> Result<&'static str, InvalidSecret> {
        Key::parse(scheme, secret.as_bytes()).map(|key| key.kind())
    }

    #[test]
    fn vendor_secrets_are_bytes_as_given() {
        for scheme in [Scheme::Inplayer, Scheme::Orangepill, Scheme::Stripe] {
            assert_eq!(parse(scheme, "whsec_!!not base64"), Ok("hmac-sha256"));
            assert_eq!(parse(scheme, ""), Err(InvalidSecret::Empty));
        }
    }

    #[test]
    fn standard_secrets_follow_their_prefix() {
        let scheme = Scheme::StandardWebhooks;
        assert_eq!(
            parse(scheme, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            Ok("hmac-sha256")
        );
        assert_eq!(
            parse(scheme, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            Ok("hmac-sha256")
        );
        assert_eq!(
            parse(scheme, "whsk_VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk="),
            Ok("ed25519-secret")
        );
        assert_eq!(parse(scheme, "whsec_"), Err(InvalidSecret::Empty));
        assert_eq!(
            parse(scheme, "whsec_="),
            Err(InvalidSecret::NotBase64 { prefix: "whsec_" })
        );
        assert_eq!(
            parse(scheme, "whsec_not base64"),
            Err(InvalidSecret::NotBase64 { prefix: "whsec_" })
        );
        assert_eq!(
            parse(scheme, "whpk_AAAA"),
            Err(InvalidSecret::WrongLength {
                prefix: "whpk_",
                expected: "32",
                found: 3
            })
        );
    }

    #[test]
    fn a_64_byte_signing_key_must_carry_its_own_public_key() {
        let seed = [7u8; 32];
        let signing = SigningKey::from_bytes(&seed);
        let mut pair = signing.to_keypair_bytes();
        let good = format!("whsk_{}", SECRET_BASE64.encode(pair));
        assert_eq!(parse(Scheme::StandardWebhooks, &good), Ok("ed25519-secret"));
        pair[40] ^= 1;
        let bad = format!("whsk_{}", SECRET_BASE64.encode(pair));
        assert_eq!(
            parse(Scheme::StandardWebhooks, &bad),
            Err(InvalidSecret::MismatchedKeyPair)
        );
    }
}
