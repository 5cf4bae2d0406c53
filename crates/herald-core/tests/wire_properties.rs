//! Property tests of the wire layer: every decoder survives arbitrary and
//! damaged bytes, decoding an encoded event gives the event back for every
//! format, and the document form reads back to an equal event.

use std::borrow::Cow;

use crate::common::count_exercised;
use crate::common::generate::{Generator, Json, Pick, Rng};
use crate::common::wire::{load_wire_vectors, wire_vectors_dir};
use herald_core::Catalogue;
use herald_core::catalogue::EventDef;
use herald_core::wire::orangepill::{ClientMessage, RealmSession, ServerMessage};
use herald_core::wire::{
    self, Envelope, Event, Framing, LobbyEnvelope, PayloadEncoding, Timestamp, WireFormat,
};
use proptest::prelude::*;
use strum::IntoEnumIterator;

fn formats() -> Vec<WireFormat> {
    WireFormat::iter().collect()
}

/// Decoding never panics; whatever decodes encodes, and decodes again to
/// the same event. Returns whether `bytes` decoded (so the round trip ran).
fn survives(format: WireFormat, bytes: &[u8]) -> Result<bool, TestCaseError> {
    let decoded = wire::decode(format, Catalogue::builtin(), bytes);
    let round_trip = decoded.is_ok();
    if let Ok(decoded) = decoded {
        let encoded = wire::encode(&decoded.event);
        prop_assert!(
            encoded.is_ok(),
            "{format}: {:?} from {:?}",
            encoded,
            String::from_utf8_lossy(bytes)
        );
        let encoded = encoded.unwrap();
        let again = wire::decode(format, Catalogue::builtin(), &encoded);
        prop_assert_eq!(again.map(|again| again.event), Ok(decoded.event.clone()));
        let document = decoded.event.to_json();
        let mut expected = decoded.event.into_owned();
        // Payloads that are not UTF-8 travel as base64, whitespace and all.
        if expected.payload_str().is_some() {
            expected.payload = Cow::Owned(trim_json_whitespace(&expected.payload).to_vec());
        }
        prop_assert_eq!(Event::from_json(document.as_bytes()), Ok(expected));
    }
    Ok(round_trip)
}

/// The document form keeps the payload's value, not the whitespace around it.
fn trim_json_whitespace(bytes: &[u8]) -> &[u8] {
    let blank = |byte: &u8| matches!(byte, b' ' | b'\t' | b'\n' | b'\r');
    let start = bytes
        .iter()
        .position(|byte| !blank(byte))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|byte| !blank(byte))
        .map_or(start, |end| end + 1);
    &bytes[start..end]
}

/// The fixture files of every format, for damaging.
fn samples() -> Vec<(WireFormat, Vec<u8>)> {
    load_wire_vectors()
        .cases
        .iter()
        .filter_map(|vector| {
            let file = vector.file.as_ref()?;
            Some((
                vector.format(),
                std::fs::read(wire_vectors_dir().join(file)).unwrap(),
            ))
        })
        .collect()
}

/// Bytes that keep damage close to the grammar of every format.
const STRUCTURAL: &[u8] = b"{}[]\":,&=%+5BDn\r\n LbSE01-.";

fn damage(bytes: &mut Vec<u8>, rng: &mut Rng) {
    for _ in 0..1 + rng.usize(..3) {
        let at = rng.usize(..bytes.len() + 1);
        let byte = *rng.pick(STRUCTURAL);
        match rng.usize(..3) {
            0 if at < bytes.len() => bytes[at] = byte,
            1 if at < bytes.len() => {
                bytes.remove(at);
            }
            _ => bytes.insert(at, byte),
        }
    }
}

fn generator(event: &EventDef, name: &str, seed: u64) -> Generator<'static> {
    let _ = event;
    Generator {
        catalogue: Catalogue::builtin(),
        event_name: name.to_owned(),
        rng: Rng::with_seed(seed),
    }
}

/// The events of a source, each with a concrete name (templates take a known value).
fn events_of(source: &str) -> Vec<(&'static EventDef, String)> {
    Catalogue::builtin()
        .events_in(source)
        .map(|event| {
            let name = match &event.template {
                Some(template) => event.name.replace(
                    &format!("{{{}}}", template.parameter),
                    &template.known_values[0],
                ),
                None => event.name.clone(),
            };
            (event, name)
        })
        .collect()
}

/// A valid payload of a random event of `format`'s source.
fn payload(format: WireFormat, pick: prop::sample::Index, seed: u64) -> (String, Json) {
    let events = events_of(format.source());
    let (event, name) = &events[pick.index(events.len())];
    let json = generator(event, name, seed).value(event.schema.as_ref().unwrap());
    (name.clone(), json)
}

fn member<'j>(json: &'j Json, key: &str) -> Option<&'j Json> {
    match json {
        Json::Obj(members) => members
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value),
        _ => None,
    }
}

/// Text a lobby value can carry: no line breaks, nothing to trim, no `L`
/// (so never the end marker).
fn lobby_text() -> impl Strategy<Value = String> {
    "[a-z0-9:/€-]([a-z0-9 :/€-]{0,10}[a-z0-9:/€-])?"
}

fn lobby_envelope() -> impl Strategy<Value = LobbyEnvelope> {
    (
        proptest::option::of(lobby_text()),
        proptest::option::of(lobby_text()),
        proptest::option::of("[0-9]{1,12}"),
        proptest::option::of("[0-9]{1,3}"),
        any::<bool>(),
        any::<bool>(),
        proptest::collection::btree_map("x[a-zA-Z]{0,6}", lobby_text(), 0..3),
    )
        .prop_map(
            |(from, to, sequence_id, sequence_number, base64, markers, extra)| LobbyEnvelope {
                from,
                to,
                topic: wire::accelbyte_lobby::WALLET_TOPIC.to_owned(),
                sequence_id,
                sequence_number,
                payload_encoding: if base64 {
                    PayloadEncoding::Base64
                } else {
                    PayloadEncoding::Inline
                },
                framing: if markers {
                    Framing::Markers
                } else {
                    Framing::Bare
                },
                extra: extra.into_iter().collect(),
            },
        )
}

/// Damaged fixtures: most stay close enough to their grammar to decode, so
/// the round trip of [`survives`] runs on odd but decodable input, not only
/// on the rare random bytes that decode.
#[test]
fn damaged_samples_never_panic_and_round_trip_when_they_decode() {
    let samples = samples();
    let (decoded, ran) = count_exercised(
        1024,
        (any::<prop::sample::Index>(), any::<u64>()),
        |(pick, seed)| {
            let (format, mut bytes) = samples[pick.index(samples.len())].clone();
            damage(&mut bytes, &mut Rng::with_seed(seed));
            survives(format, &bytes)
        },
    );
    // About a third decode; a tenth is the floor the round trip needs.
    assert!(
        decoded * 10 >= ran,
        "only {decoded} of {ran} damaged samples decoded"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_decoder_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        for format in formats() {
            survives(format, &bytes)?;
        }
        let _ = ClientMessage::parse(&bytes);
        let _ = ServerMessage::parse(&bytes);
        let _ = Event::from_json(&bytes);
        let reply = RealmSession::new().handle(&bytes, 0, &|_: &str| Some("r".to_owned()));
        prop_assert_eq!(reply.frames.len(), 2);
    }

    #[test]
    fn json_messages_round_trip_byte_for_byte(
        orangepill in any::<bool>(),
        pick in any::<prop::sample::Index>(),
        seed in any::<u64>(),
    ) {
        let format = if orangepill { WireFormat::Orangepill } else { WireFormat::InplayerNotification };
        let (name, json) = payload(format, pick, seed);
        let bytes = json.text().into_bytes();
        let decoded = wire::decode(format, Catalogue::builtin(), &bytes).unwrap();
        prop_assert!(decoded.report.is_ok(), "{:?}", decoded.report);
        prop_assert_eq!(&decoded.event.name, &name);
        let encoded = wire::encode(&decoded.event).unwrap();
        prop_assert_eq!(&encoded, &bytes);
        prop_assert_eq!(wire::decode(format, Catalogue::builtin(), &encoded).unwrap().event, decoded.event);
    }

    #[test]
    fn orangepill_notifications_built_from_parts_round_trip(
        pick in any::<prop::sample::Index>(),
        entity in "[0-9a-f]{1,24}",
        timestamp in prop_oneof![any::<i64>().prop_map(Timestamp::Unix), "[0-9]{1,13}".prop_map(Timestamp::Text)],
    ) {
        let events = events_of("orangepill-stream");
        let name = &events[pick.index(events.len())].1;
        let event = wire::orangepill::notification(Catalogue::builtin(), name, &entity, timestamp).unwrap();
        let frame = wire::encode(&event).unwrap();
        let decoded = wire::decode(WireFormat::Orangepill, Catalogue::builtin(), &frame).unwrap();
        prop_assert!(decoded.report.is_ok());
        prop_assert_eq!(decoded.event, event);
    }

    #[test]
    fn lobby_frames_round_trip(
        pick in any::<prop::sample::Index>(),
        seed in any::<u64>(),
        id in proptest::option::of(lobby_text()),
        sent_at in proptest::option::of(lobby_text()),
        lobby in lobby_envelope(),
    ) {
        let (name, json) = payload(WireFormat::AccelbyteLobby, pick, seed);
        let event = Event {
            format: WireFormat::AccelbyteLobby,
            name,
            template: None,
            id,
            timestamp: sent_at.map(Timestamp::Text),
            payload: Cow::Owned(json.text().into_bytes()),
            envelope: Envelope::Lobby(lobby),
        };
        let frame = wire::encode(&event).unwrap();
        let decoded = wire::decode(WireFormat::AccelbyteLobby, Catalogue::builtin(), &frame).unwrap();
        prop_assert!(decoded.report.is_ok(), "{:?}", decoded.report);
        prop_assert_eq!(&decoded.event, &event);
        prop_assert_eq!(Event::from_json(event.to_json().as_bytes()).unwrap(), event);
    }
}

#[test]
fn webhook_payloads_survive_the_form_and_come_back_valid() {
    let (encoded, ran) = count_exercised(
        256,
        (any::<prop::sample::Index>(), any::<u64>()),
        |(pick, seed)| {
            let (name, json) = payload(WireFormat::InplayerWebhook, pick, seed);
            let id = match member(&json, "id") {
                Some(Json::Str(id)) => id.clone(),
                _ => unreachable!(),
            };
            let created = match member(&json, "created") {
                Some(Json::Int(created)) => *created as i64,
                _ => unreachable!(),
            };
            let event = Event {
                format: WireFormat::InplayerWebhook,
                name: name.clone(),
                template: None,
                id: Some(id),
                timestamp: Some(Timestamp::Unix(created)),
                payload: Cow::Owned(json.text().into_bytes()),
                envelope: Envelope::None,
            };
            let body = match wire::encode(&event) {
                Ok(body) => body,
                // The one payload a form cannot carry: an empty free-form
                // object (`explain: {}`) has no form keys.
                Err(error) => {
                    prop_assert_eq!(error.code(), "unencodable", "{}", error);
                    prop_assert!(json.text().contains("{}"), "{}: {}", error, json.text());
                    return Ok(false);
                }
            };
            let decoded =
                wire::decode(WireFormat::InplayerWebhook, Catalogue::builtin(), &body).unwrap();
            prop_assert!(
                decoded.report.is_ok() && decoded.report.warnings.is_empty(),
                "{}\n{}\n{:?}",
                json.text(),
                String::from_utf8_lossy(&body),
                decoded.report
            );
            prop_assert_eq!(&decoded.event.name, &name);
            prop_assert_eq!(&decoded.event.id, &event.id);
            prop_assert_eq!(&decoded.event.timestamp, &event.timestamp);
            // Values the form changed (`0` for a flag reads back as `false`)
            // stay changed: the decoded event is the fixed point.
            let again = wire::encode(&decoded.event).unwrap();
            prop_assert_eq!(
                wire::decode(WireFormat::InplayerWebhook, Catalogue::builtin(), &again)
                    .unwrap()
                    .event,
                decoded.event
            );
            Ok(true)
        },
    );
    // About nine in ten (an optional free-form object is left empty half
    // the time it is there); three in four leaves room for chance.
    assert!(
        encoded * 4 >= ran * 3,
        "only {encoded} of {ran} payloads encodable"
    );
}
