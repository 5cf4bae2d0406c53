//! Signature benchmarks: verifying a stream of distinct Standard Webhooks
//! messages (1 KiB bodies, headers looked up by name, timestamp checked) with
//! herald, against a peer written the way the reference libraries verify
//! (`HashMap` of lower-cased headers, re-sign, base64-encode, compare text),
//! on the same `hmac`/`sha2`/`base64` crates; and herald's `v1a` (ed25519)
//! and replay-guard costs alongside.
//!
//! Before timing, herald and the peer must agree on every message: both
//! accept each signed one, and both reject each of its forgeries (body,
//! id, timestamp or signature changed, a stale timestamp, a header
//! missing); `v1a` and the replay guard are checked the same way. A
//! disagreement panics, so the benchmark cannot time a wrong answer.
//!
//! ```text
//! cargo bench -p herald-benches --bench signature -- --warm-up-time 1 --measurement-time 3
//! HERALD_BENCH_SMOKE=1 cargo bench -p herald-benches --bench signature   # seconds, same checks
//! ```

use std::collections::HashMap;
use std::hint::black_box;

use base64::Engine;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use herald_benches::measurement::CpuTime;
use herald_benches::smoke;
use herald_core::signature::{self, Header, KeySet, Message, ReplayGuard, Scheme, Tolerance};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SIGNING_KEY: &str = "whsk_VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=";
/// Distinct messages per iteration: 256, or 32 in smoke mode (where the
/// checks run in the debug profile and ed25519 is slow unoptimised).
fn message_count() -> usize {
    if smoke() { 32 } else { 256 }
}
const NOW: i64 = 1_700_000_000;

/// A received request: the headers as an HTTP library hands them over, and the body.
#[derive(Clone)]
struct Request {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Distinct signed messages: every body, id and timestamp differs.
fn requests(secret: &str) -> Vec<Request> {
    let mut keys = KeySet::new(Scheme::StandardWebhooks);
    keys.add(secret).unwrap();
    (0..message_count())
        .map(|n| {
            let body = format!(
                r#"{{"type":"invoice.paid","n":{n},"data":{{"note":"{}"}}}}"#,
                "x".repeat(1000)
            )
            .into_bytes();
            let id = format!("msg_{n:08}");
            let message = Message {
                id: Some(&id),
                timestamp: Some(NOW - (n as i64 % 60)),
                body: &body,
            };
            let headers = signature::sign(&keys, &message).unwrap();
            // Some unrelated headers first, as a real request has.
            let mut all = vec![
                ("Content-Type".to_owned(), "application/json".to_owned()),
                ("User-Agent".to_owned(), "Svix-Webhooks/1.0".to_owned()),
            ];
            all.extend(
                headers
                    .into_iter()
                    .map(|Header { name, value }| (name.to_owned(), value)),
            );
            Request { headers: all, body }
        })
        .collect()
}

/// The peer: the reference libraries' verification, without their clock.
struct ReferenceVerifier {
    key: Vec<u8>,
}

impl ReferenceVerifier {
    fn verify(&self, headers: &[(String, String)], body: &[u8], now: i64) -> bool {
        let headers: HashMap<String, &str> = headers
            .iter()
            .map(|(name, value)| (name.to_lowercase(), value.as_str()))
            .collect();
        let (Some(id), Some(stamp), Some(list)) = (
            headers.get("webhook-id"),
            headers.get("webhook-timestamp"),
            headers.get("webhook-signature"),
        ) else {
            return false;
        };
        let Ok(timestamp) = stamp.parse::<i64>() else {
            return false;
        };
        if now - timestamp > 300 || timestamp > now + 300 {
            return false;
        }
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).unwrap();
        mac.update(format!("{id}.{timestamp}.").as_bytes());
        mac.update(body);
        let expected =
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        list.split(' ')
            .filter_map(|entry| entry.split_once(','))
            .filter(|(version, _)| *version == "v1")
            .any(|(_, signature)| {
                signature.len() == expected.len()
                    && signature
                        .bytes()
                        .zip(expected.bytes())
                        .fold(0, |acc, (a, b)| acc | (a ^ b))
                        == 0
            })
    }
}

/// Each way of forging a signed request, with what it changes.
fn forgeries(request: &Request) -> Vec<(&'static str, Request)> {
    let header = |request: &Request, name: &str| -> usize {
        request
            .headers
            .iter()
            .position(|(key, _)| key.eq_ignore_ascii_case(name))
            .expect("a signed request carries the header")
    };
    let mut body = request.clone();
    body.body[20] ^= 1;
    let mut id = request.clone();
    let at = header(&id, "webhook-id");
    id.headers[at].1.push('0');
    let mut later = request.clone();
    let at = header(&later, "webhook-timestamp");
    let timestamp: i64 = later.headers[at].1.parse().expect("a number");
    later.headers[at].1 = (timestamp + 1).to_string();
    let mut stale = request.clone();
    stale.headers[at].1 = (NOW - 301).to_string();
    let mut signature = request.clone();
    let at = header(&signature, "webhook-signature");
    let value = &mut signature.headers[at].1;
    // A base64 character inside the signature (all six of its bits are
    // data, unlike the last one's), after the `v1,` or `v1a,` prefix.
    let inside = value.find(',').expect("a versioned signature") + 10;
    let flipped = if value.as_bytes()[inside] == b'A' {
        "B"
    } else {
        "A"
    };
    value.replace_range(inside..inside + 1, flipped);
    let mut missing = request.clone();
    let at = header(&missing, "webhook-id");
    missing.headers.remove(at);
    vec![
        ("body changed", body),
        ("id changed", id),
        ("timestamp changed", later),
        ("timestamp stale", stale),
        ("signature changed", signature),
        ("id header missing", missing),
    ]
}

/// Panics unless herald and the peer give the same verdict on every signed
/// request and on every forgery of it, and unless `v1a` and the replay
/// guard answer as documented. Returns how many verdicts were compared.
fn check_answers(
    keys: &KeySet,
    public: &KeySet,
    peer: &ReferenceVerifier,
    hmac_requests: &[Request],
    ed25519_requests: &[Request],
) -> usize {
    let herald = |keys: &KeySet, request: &Request| {
        signature::verify(
            keys,
            &request.headers,
            &request.body,
            NOW,
            Tolerance::REFERENCE,
        )
        .is_ok()
    };
    let mut compared = 0;
    for (n, request) in hmac_requests.iter().enumerate() {
        assert!(herald(keys, request), "herald rejects signed message {n}");
        assert!(
            peer.verify(&request.headers, &request.body, NOW),
            "the peer rejects signed message {n}"
        );
        compared += 1;
        for (forgery, forged) in forgeries(request) {
            assert!(
                !herald(keys, &forged),
                "herald accepts message {n}: {forgery}"
            );
            assert!(
                !peer.verify(&forged.headers, &forged.body, NOW),
                "the peer accepts message {n}: {forgery}"
            );
            compared += 1;
        }
    }
    for (n, request) in ed25519_requests.iter().enumerate() {
        assert!(herald(public, request), "herald rejects v1a message {n}");
        for (forgery, forged) in forgeries(request) {
            assert!(
                !herald(public, &forged),
                "herald accepts v1a message {n}: {forgery}"
            );
        }
    }
    let mut guard = ReplayGuard::new(300, hmac_requests.len());
    for request in hmac_requests {
        let verified = signature::verify(
            keys,
            &request.headers,
            &request.body,
            NOW,
            Tolerance::REFERENCE,
        )
        .unwrap();
        let id = verified.id.unwrap_or_default();
        guard
            .admit(id.as_bytes(), verified.timestamp, NOW)
            .expect("a first delivery is admitted");
        assert!(
            guard.admit(id.as_bytes(), verified.timestamp, NOW).is_err(),
            "the replay guard admits {id} twice"
        );
    }
    compared
}

fn bench_verify(c: &mut Criterion<CpuTime>) {
    let hmac_requests = requests(SECRET);
    let ed25519_requests = requests(SIGNING_KEY);
    let mut keys = KeySet::new(Scheme::StandardWebhooks);
    keys.add(SECRET).unwrap();
    let mut public = KeySet::new(Scheme::StandardWebhooks);
    public.add(SIGNING_KEY).unwrap();
    let peer = ReferenceVerifier {
        key: base64::engine::general_purpose::STANDARD
            .decode(&SECRET["whsec_".len()..])
            .unwrap(),
    };

    let compared = check_answers(&keys, &public, &peer, &hmac_requests, &ed25519_requests);
    eprintln!(
        "signature: herald and the reference-style peer agree on {compared} verdicts \
         ({} signed messages, 6 forgeries of each)",
        hmac_requests.len()
    );

    let mut group = c.benchmark_group("verify-standard-webhooks-1KiB");
    group.throughput(Throughput::Elements(hmac_requests.len() as u64));
    group.bench_function("herald-v1", |b| {
        b.iter(|| {
            for request in &hmac_requests {
                let verified = signature::verify(
                    &keys,
                    &request.headers,
                    &request.body,
                    NOW,
                    Tolerance::REFERENCE,
                );
                black_box(verified.unwrap());
            }
        })
    });
    group.bench_function("reference-style-v1", |b| {
        b.iter(|| {
            for request in &hmac_requests {
                assert!(black_box(peer.verify(&request.headers, &request.body, NOW)));
            }
        })
    });
    group.bench_function("herald-v1a", |b| {
        b.iter(|| {
            for request in &ed25519_requests {
                let verified = signature::verify(
                    &public,
                    &request.headers,
                    &request.body,
                    NOW,
                    Tolerance::REFERENCE,
                );
                black_box(verified.unwrap());
            }
        })
    });
    group.bench_function("herald-v1-then-replay-guard", |b| {
        b.iter(|| {
            let mut guard = ReplayGuard::new(300, hmac_requests.len());
            for request in &hmac_requests {
                let verified = signature::verify(
                    &keys,
                    &request.headers,
                    &request.body,
                    NOW,
                    Tolerance::REFERENCE,
                )
                .unwrap();
                let id = verified.id.unwrap_or_default();
                guard.admit(id.as_bytes(), verified.timestamp, NOW).unwrap();
            }
            black_box(guard.len())
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = herald_benches::measurement::criterion();
    targets = bench_verify
}
criterion_main!(benches);
