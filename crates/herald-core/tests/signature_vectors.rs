//! The shared signature vectors (`tests/vectors/signatures.json`): every
//! vector verifies to the key or is rejected with the code the file states,
//! and every vector marked `signed` is exactly what signing gives.
#![cfg(feature = "signatures")]

use std::collections::BTreeSet;
use std::path::PathBuf;

use herald_core::signature::{self, Code, KeySet, Message, Scheme, Tolerance};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Vectors {
    format: String,
    #[allow(dead_code)]
    description: String,
    origins: serde_json::Map<String, serde_json::Value>,
    vectors: Vec<Vector>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Vector {
    name: String,
    origin: String,
    scheme: String,
    secrets: Vec<String>,
    signed: Option<Signed>,
    headers: Vec<(String, String)>,
    body: String,
    now: i64,
    tolerance: Option<u64>,
    expect: Expect,
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Signed {
    id: Option<String>,
    timestamp: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    ok: bool,
    key: Option<usize>,
    code: Option<String>,
}

fn load() -> Vectors {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors/signatures.json");
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The outcome of a vector: `Ok(key)` or `Err(code)`.
fn run(vector: &Vector) -> Result<usize, String> {
    let scheme: Scheme = vector.scheme.parse().unwrap();
    let mut keys = KeySet::new(scheme);
    for secret in &vector.secrets {
        keys.add(secret)
            .map_err(|error| error.code().as_str().to_owned())?;
    }
    let tolerance = vector
        .tolerance
        .map_or(Tolerance::NoCheck, Tolerance::Seconds);
    signature::verify(
        &keys,
        &vector.headers,
        vector.body.as_bytes(),
        vector.now,
        tolerance,
    )
    .map(|verified| verified.key)
    .map_err(|rejection| rejection.code().as_str().to_owned())
}

#[test]
fn every_vector_has_the_stated_outcome() {
    let vectors = load();
    assert_eq!(vectors.format, "herald-signature-vectors/1");
    assert!(vectors.vectors.len() > 60);
    for vector in &vectors.vectors {
        let what = &vector.name;
        assert!(
            vectors.origins.contains_key(&vector.origin),
            "{what}: unknown origin"
        );
        let expected = match (&vector.expect, vector.expect.ok) {
            (
                Expect {
                    key: Some(key),
                    code: None,
                    ..
                },
                true,
            ) => Ok(*key),
            (
                Expect {
                    key: None,
                    code: Some(code),
                    ..
                },
                false,
            ) => Err(code.clone()),
            _ => panic!("{what}: expect is {{ok, key}} or {{ok: false, code}}"),
        };
        assert_eq!(run(vector), expected, "{what}");
    }
}

#[test]
fn every_signed_vector_is_what_signing_gives() {
    let vectors = load();
    let mut schemes = BTreeSet::new();
    for vector in vectors
        .vectors
        .iter()
        .filter(|vector| vector.signed.is_some())
    {
        let what = &vector.name;
        let fields = vector.signed.as_ref().unwrap();
        let mut keys = KeySet::new(vector.scheme.parse().unwrap());
        for secret in &vector.secrets {
            keys.add(secret).unwrap();
        }
        let message = Message {
            id: fields.id.as_deref(),
            timestamp: fields.timestamp,
            body: vector.body.as_bytes(),
        };
        let headers: Vec<(String, String)> = signature::sign(&keys, &message)
            .unwrap_or_else(|error| panic!("{what}: {error}"))
            .into_iter()
            .map(|header| (header.name.to_owned(), header.value))
            .collect();
        assert_eq!(headers, vector.headers, "{what}");
        schemes.insert(vector.scheme.as_str());
    }
    assert_eq!(
        schemes.len(),
        Scheme::ALL.len(),
        "a signed vector per scheme"
    );
}

#[test]
fn the_vectors_cover_every_scheme_and_every_verification_code() {
    let vectors = load();
    let schemes: BTreeSet<&str> = vectors.vectors.iter().map(|v| v.scheme.as_str()).collect();
    assert_eq!(schemes, Scheme::ALL.map(Scheme::id).into_iter().collect());
    let codes: BTreeSet<&str> = vectors
        .vectors
        .iter()
        .filter_map(|vector| vector.expect.code.as_deref())
        .collect();
    let replay_codes = [Code::Duplicate, Code::ReplayGuardFull];
    for code in Code::ALL
        .into_iter()
        .filter(|code| !replay_codes.contains(code))
    {
        assert!(codes.contains(code.as_str()), "no vector for {code}");
    }
}

#[test]
fn the_official_standard_webhooks_vectors_are_reproduced_exactly() {
    let vectors = load();
    let official: Vec<&Vector> = vectors
        .vectors
        .iter()
        .filter(|vector| vector.origin.starts_with("standard-webhooks") && vector.signed.is_some())
        .collect();
    let signatures: Vec<&str> = official
        .iter()
        .map(|vector| vector.headers[2].1.as_str())
        .collect();
    assert_eq!(
        signatures,
        [
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
            "v1a,tQ9V2XOqn7jL/DQenEFpqIugdBVtiMmER5mhSkXBNwM0mkATuDe6KYYUuxqtaiHeYGb7KaaBRdM5WqyeFiL8Ag==",
        ]
    );
}
