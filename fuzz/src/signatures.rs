//! Webhook signatures on hostile headers, secrets and bodies: verifying
//! never panics and names a key that exists; whatever `sign` writes
//! verifies with the same keys and carries the signed id and timestamp; one
//! changed body byte is refused; a refused secret leaves the key set as it
//! was; timestamps parse exactly as plain digits do; the replay guard never
//! admits an id twice within its window nor holds more than its capacity.
//!
//! Input: scheme byte; secrets (count, then chunks); headers (count, then
//! name and value chunks); body (long chunk); now and tolerance; then the
//! message id and timestamp to sign.
use super::input::Cursor;
use herald_core::Catalogue;
use herald_core::signature::{
    self, Code, KeySet, Message, ReplayGuard, ReplayRejection, Scheme, Tolerance,
    VerifyDecodeError, parse_timestamp,
};
use herald_core::wire::{DecodeOptions, WireFormat};

/// Plain digits without a leading zero that fit an `i64`, read the obvious way.
fn reference_timestamp(text: &[u8]) -> Option<i64> {
    let plain = !text.is_empty()
        && text.iter().all(u8::is_ascii_digit)
        && (text == b"0" || text[0] != b'0');
    plain
        .then(|| std::str::from_utf8(text).ok()?.parse().ok())
        .flatten()
}

fn check_replay_guard(input: &mut Cursor<'_>) {
    let window = u64::from(input.byte());
    let capacity = input.below(4);
    let mut guard = ReplayGuard::new(window, capacity);
    let mut now = 0i64;
    let mut admitted: Vec<(Vec<u8>, i64)> = Vec::new();
    for _ in 0..8 {
        now += i64::from(input.byte() % 8);
        let id = input.take(1).to_vec();
        let answer = guard.admit(&id, None, now);
        // An id admitted at `at` is remembered until `at + window`.
        let live = admitted
            .iter()
            .any(|(seen, at)| *seen == id && now <= at.saturating_add(window as i64));
        match answer {
            Ok(()) => {
                assert!(!live, "admitted a live id twice");
                admitted.push((id, now));
            }
            Err(ReplayRejection::Duplicate) => assert!(live),
            Err(rejection) => assert_eq!(rejection.code(), Code::ReplayGuardFull),
        }
        assert!(guard.len() <= capacity);
    }
}

/// Runs one input; panics when a property fails.
pub fn run(bytes: &[u8]) {
    let mut input = Cursor::new(bytes);
    let scheme = *input.pick(&Scheme::ALL);
    let mut keys = KeySet::new(scheme);
    for _ in 0..input.below(4) {
        let before = keys.len();
        match keys.add(input.chunk()) {
            Ok(index) => assert_eq!(index, before),
            Err(error) => {
                assert_eq!(error.code(), Code::InvalidSecret);
                assert_eq!(keys.len(), before, "a refused secret changed the key set");
            }
        }
    }
    let headers: Vec<(&[u8], &[u8])> = (0..input.below(6))
        .map(|_| (input.chunk(), input.chunk()))
        .collect();
    let body = input.long_chunk();
    let now = input.u64() as i64;
    let tolerance = match input.byte() {
        0 => Tolerance::NoCheck,
        seconds => Tolerance::Seconds(u64::from(seconds) * 60),
    };

    match signature::verify(&keys, &headers, body, now, tolerance) {
        Ok(verified) => {
            assert!(verified.key < keys.len());
            let decoded = signature::verify_then_decode(
                &keys,
                &headers,
                body,
                now,
                tolerance,
                WireFormat::InplayerWebhook,
                Catalogue::builtin(),
                &DecodeOptions::default(),
            );
            assert!(
                !matches!(decoded, Err(VerifyDecodeError::Rejected(_))),
                "verified once, refused the second time"
            );
        }
        Err(rejection) => assert!(!rejection.to_string().is_empty()),
    }

    // Signing: what is written verifies, exactly at its own timestamp.
    let id = std::str::from_utf8(input.chunk())
        .ok()
        .filter(|id| !id.is_empty());
    let timestamp = match input.byte() {
        0 => None,
        _ => Some((input.u64() >> 1) as i64),
    };
    let message = Message {
        id,
        timestamp,
        body,
    };
    if let Ok(signed) = signature::sign(&keys, &message) {
        let pairs: Vec<(&str, &str)> = signed
            .iter()
            .map(|header| (header.name, header.value.as_str()))
            .collect();
        let at = timestamp.unwrap_or(now);
        let verified = signature::verify(&keys, &pairs, body, at, Tolerance::Seconds(0))
            .unwrap_or_else(|rejection| panic!("{scheme}: own signature refused: {rejection}"));
        assert_eq!(verified.key, 0);
        assert_eq!(verified.timestamp, timestamp);
        if scheme == Scheme::StandardWebhooks {
            assert_eq!(verified.id.as_deref(), id);
        }
        let mut forged = body.to_vec();
        match forged.first_mut() {
            Some(byte) => *byte ^= 1,
            None => forged.push(b'x'),
        }
        let rejection = signature::verify(&keys, &pairs, &forged, at, Tolerance::NoCheck)
            .expect_err("a changed body verified");
        assert_eq!(rejection.code(), Code::NoMatchingSignature);
    }

    let text = input.chunk();
    assert_eq!(parse_timestamp(text), reference_timestamp(text), "{text:?}");
    check_replay_guard(&mut input);
}
