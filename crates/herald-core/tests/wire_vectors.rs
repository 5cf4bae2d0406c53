//! The shared wire vectors (`tests/vectors/wire/index.json`): every vendor
//! sample and every malformed input decodes to the event, issues or error
//! the file states, and every decoded sample encodes back.

use crate::common::wire::{WireVector, load_wire_vectors, wire_vectors_dir};
use crate::common::{expected_pairs, pairs};
use herald_core::Catalogue;
use herald_core::wire::{self, WireFormat};
use strum::IntoEnumIterator;

fn check(vector: &WireVector) {
    let what = &vector.description;
    let bytes = vector.bytes();
    let result = wire::decode_with(
        vector.format(),
        Catalogue::builtin(),
        &bytes,
        &vector.options(),
    );
    match (&vector.expect, &vector.error) {
        (None, Some(code)) => match result {
            Err(error) => assert_eq!(error.code(), code, "{what}: {error}"),
            Ok(decoded) => panic!("{what}: expected {code}, decoded {:?}", decoded.event),
        },
        (Some(expect), None) => {
            let decoded = result.unwrap_or_else(|error| panic!("{what}: {error}"));
            let event = &decoded.event;
            assert_eq!(event.format, vector.format(), "{what}");
            assert_eq!(event.name, expect.name, "{what}");
            assert_eq!(
                event
                    .template
                    .as_ref()
                    .map(|binding| binding.value.as_str()),
                expect.template.as_deref(),
                "{what}"
            );
            assert_eq!(event.id, expect.id, "{what}");
            assert_eq!(event.timestamp, expect.timestamp(), "{what}");
            assert_eq!(
                decoded.report.is_ok(),
                expect.ok,
                "{what}: {:#?}",
                decoded.report
            );
            assert_eq!(
                pairs(&decoded.report.errors),
                expected_pairs(&expect.errors),
                "{what}"
            );
            assert_eq!(
                pairs(&decoded.report.warnings),
                expected_pairs(&expect.warnings),
                "{what}"
            );
            if let Some(payload) = &expect.payload {
                let actual: serde_json::Value = serde_json::from_slice(&event.payload).unwrap();
                assert_eq!(&actual, payload, "{what}");
            }
            let encoded = wire::encode(event).unwrap_or_else(|error| panic!("{what}: {error}"));
            assert_eq!(
                encoded == bytes,
                expect.reencodes_exactly,
                "{what}: {}",
                String::from_utf8_lossy(&encoded)
            );
            let again = wire::decode_with(
                vector.format(),
                Catalogue::builtin(),
                &encoded,
                &vector.options(),
            )
            .unwrap_or_else(|error| panic!("{what}: re-decoding: {error}"));
            assert_eq!(&again.event, event, "{what}");
        }
        _ => panic!("{what}: give exactly one of expect and error"),
    }
}

#[test]
fn every_wire_vector_gives_the_stated_outcome() {
    let file = load_wire_vectors();
    assert_eq!(file.format, "herald-wire-vectors/1");
    for vector in &file.cases {
        check(vector);
    }
}

#[test]
fn every_format_has_samples_and_malformed_inputs() {
    let file = load_wire_vectors();
    for format in WireFormat::iter() {
        let of_format = || {
            file.cases
                .iter()
                .filter(move |vector| vector.format() == format)
        };
        assert!(
            of_format().filter(|vector| vector.expect.is_some()).count() >= 2,
            "{format}"
        );
        assert!(
            of_format().filter(|vector| vector.error.is_some()).count() >= 2,
            "{format}"
        );
    }
}

#[test]
fn every_fixture_file_is_used_by_a_vector() {
    let file = load_wire_vectors();
    let used: Vec<&str> = file
        .cases
        .iter()
        .filter_map(|vector| vector.file.as_deref())
        .collect();
    for format in WireFormat::iter() {
        for entry in std::fs::read_dir(wire_vectors_dir().join(format.id())).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let path = format!("{}/{name}", format.id());
            let session_only = format == WireFormat::Orangepill
                && !name.starts_with("notification")
                && !name.starts_with("reply-info");
            assert!(
                session_only || used.contains(&path.as_str()),
                "{path} is in no vector"
            );
        }
    }
}
