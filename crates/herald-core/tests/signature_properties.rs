//! Property tests of webhook signatures: for every scheme, signing then
//! verifying round-trips for random bodies, ids, timestamps and secrets, and
//! any one-byte change to the body, the id, the timestamp or the signature
//! is rejected. Verification never panics on arbitrary headers.
#![cfg(feature = "signatures")]

use herald_core::signature::{self, Header, KeySet, Message, Scheme, Tolerance};
use proptest::prelude::*;

fn scheme() -> impl Strategy<Value = Scheme> {
    prop::sample::select(Scheme::ALL.to_vec())
}

/// A secret in the scheme's own format (Standard Webhooks: a `whsec_` or
/// `whsk_` key).
fn secret(scheme: Scheme) -> BoxedStrategy<String> {
    use base64::Engine;
    match scheme {
        Scheme::StandardWebhooks => (any::<bool>(), prop::collection::vec(any::<u8>(), 32))
            .prop_map(|(ed25519, bytes)| {
                let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
                if ed25519 {
                    format!("whsk_{encoded}")
                } else {
                    format!("whsec_{encoded}")
                }
            })
            .boxed(),
        _ => "[ -~]{1,64}".boxed(),
    }
}

#[derive(Debug, Clone)]
struct Case {
    scheme: Scheme,
    secret: String,
    id: String,
    timestamp: i64,
    body: Vec<u8>,
}

fn case() -> impl Strategy<Value = Case> {
    scheme().prop_flat_map(|scheme| {
        (
            secret(scheme),
            "[!-~]{1,40}",
            0i64..=4_000_000_000,
            prop::collection::vec(any::<u8>(), 0..300),
        )
            .prop_map(move |(secret, id, timestamp, body)| Case {
                scheme,
                secret,
                id,
                timestamp,
                body,
            })
    })
}

impl Case {
    fn keys(&self) -> KeySet {
        let mut keys = KeySet::new(self.scheme);
        keys.add(&self.secret).unwrap();
        keys
    }

    fn message(&self) -> Message<'_> {
        let id = (self.scheme == Scheme::StandardWebhooks).then_some(self.id.as_str());
        let timestamp = (self.scheme != Scheme::Inplayer).then_some(self.timestamp);
        Message {
            id,
            timestamp,
            body: &self.body,
        }
    }

    fn verify(&self, headers: &[(String, Vec<u8>)], body: &[u8]) -> Result<usize, String> {
        signature::verify(
            &self.keys(),
            headers,
            body,
            self.timestamp,
            Tolerance::REFERENCE,
        )
        .map(|verified| verified.key)
        .map_err(|rejection| rejection.code().as_str().to_owned())
    }
}

fn owned(headers: &[Header]) -> Vec<(String, Vec<u8>)> {
    headers
        .iter()
        .map(|header| (header.name.to_owned(), header.value.clone().into_bytes()))
        .collect()
}

/// Whether a header carries signed metadata or the signature itself (all
/// of them, in these schemes).
fn is_signed(name: &str) -> bool {
    [
        "X-InPlayer-Signature",
        "X-Orangepill-Signature",
        "X-Orangepill-Timestamp",
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
        "Stripe-Signature",
    ]
    .contains(&name)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn sign_then_verify_round_trips(case in case()) {
        let headers = owned(&signature::sign(&case.keys(), &case.message()).unwrap());
        prop_assert_eq!(case.verify(&headers, &case.body), Ok(0));
    }

    #[test]
    fn any_one_byte_change_to_the_body_is_rejected(
        case in case(),
        at in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let headers = owned(&signature::sign(&case.keys(), &case.message()).unwrap());
        let mut body = case.body.clone();
        if body.is_empty() {
            body.push(flip);
        } else {
            let at = at.index(body.len());
            body[at] ^= flip;
        }
        prop_assert!(case.verify(&headers, &body).is_err());
    }

    /// Every byte of every header is covered: the id, the timestamp and the
    /// signature. A change may make a header unreadable, a timestamp stale
    /// or a signature wrong, but never verifiable.
    #[test]
    fn any_one_byte_change_to_a_signed_header_is_rejected(
        case in case(),
        which in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        replacement in any::<u8>(),
    ) {
        let mut headers = owned(&signature::sign(&case.keys(), &case.message()).unwrap());
        prop_assert!(headers.iter().all(|(name, _)| is_signed(name)));
        let header = which.index(headers.len());
        let value = &mut headers[header].1;
        let at = at.index(value.len());
        prop_assume!(value[at] != replacement);
        let original = value[at];
        value[at] = replacement;
        let outcome = case.verify(&headers, &case.body);
        // The one harmless change: a hex digit's letter case (hex is read in
        // either case, so the bytes compared are the same).
        let same_hex_digit = original.is_ascii_hexdigit()
            && original.eq_ignore_ascii_case(&replacement)
            && case.scheme != Scheme::StandardWebhooks
            && headers[header].0.ends_with("Signature");
        prop_assert!(outcome.is_err() || same_hex_digit, "{:?} verified after a change", headers[header]);
    }

    #[test]
    fn verification_never_panics_on_arbitrary_headers(
        scheme in scheme(),
        headers in prop::collection::vec(
            (
                prop::sample::select(vec![
                    "webhook-id", "webhook-timestamp", "webhook-signature", "svix-signature",
                    "Stripe-Signature", "X-InPlayer-Signature", "X-Orangepill-Signature",
                    "X-Orangepill-Timestamp", "other",
                ]),
                prop::collection::vec(any::<u8>(), 0..120),
            ),
            0..6,
        ),
        body in prop::collection::vec(any::<u8>(), 0..64),
        now in any::<i64>(),
        tolerance in any::<u64>(),
    ) {
        let mut keys = KeySet::new(scheme);
        let secret = match scheme {
            Scheme::StandardWebhooks => "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            _ => "secret",
        };
        keys.add(secret).unwrap();
        let _ = signature::verify(&keys, &headers, &body, now, Tolerance::Seconds(tolerance));
    }
}
