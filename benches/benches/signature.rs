//! Signature benchmarks: verifying a stream of distinct Standard Webhooks
//! messages (1 KiB bodies, headers looked up by name, timestamp checked) with
//! herald, against a peer written the way the reference libraries verify
//! (`HashMap` of lower-cased headers, re-sign, base64-encode, compare text),
//! on the same `hmac`/`sha2`/`base64` crates; and herald's `v1a` (ed25519)
//! and replay-guard costs alongside.
//!
//! Run with `cargo bench -p herald-benches --bench signature -- --warm-up-time 1
//! --measurement-time 3`.

use std::collections::HashMap;
use std::hint::black_box;

use base64::Engine;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use herald_core::signature::{self, Header, KeySet, Message, ReplayGuard, Scheme, Tolerance};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SIGNING_KEY: &str = "whsk_VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=";
const MESSAGES: usize = 256;
const NOW: i64 = 1_700_000_000;

/// A received request: the headers as an HTTP library hands them over, and the body.
struct Request {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Distinct signed messages: every body, id and timestamp differs.
fn requests(secret: &str) -> Vec<Request> {
    let mut keys = KeySet::new(Scheme::StandardWebhooks);
    keys.add(secret).unwrap();
    (0..MESSAGES)
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

fn bench_verify(c: &mut Criterion) {
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

    let mut group = c.benchmark_group("verify-standard-webhooks-1KiB");
    group.throughput(Throughput::Elements(MESSAGES as u64));
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
            let mut guard = ReplayGuard::new(300, MESSAGES);
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

criterion_group!(benches, bench_verify);
criterion_main!(benches);
