//! Each of the four wire formats on arbitrary bytes: decoding never panics;
//! whatever decodes encodes, and the encoding decodes to the same event (a
//! fixed point); the event's document form reads back to an equal event.
//! The Orangepill protocol frames and the event document reader get the
//! same treatment.
use std::borrow::Cow;

use super::input::{Cursor, is_json_pointer, trim_json_whitespace};
use herald_core::wire::orangepill::{ClientMessage, ServerMessage};
use herald_core::wire::{self, DecodeOptions, Event, WireFormat};
use herald_core::{Catalogue, Limits};

fn fixed_point(format: WireFormat, bytes: &[u8], options: &DecodeOptions) {
    let catalogue = Catalogue::builtin();
    let decoded = match wire::decode_with(format, catalogue, bytes, options) {
        Ok(decoded) => decoded,
        Err(error) => {
            assert!(!error.code().is_empty() && !error.to_string().is_empty());
            if let Some(offset) = error.offset() {
                assert!(offset <= bytes.len(), "{error}: offset past the input");
            }
            return;
        }
    };
    assert_eq!(decoded.event.format, format);
    for issue in decoded.report.errors.iter().chain(&decoded.report.warnings) {
        assert!(is_json_pointer(&issue.pointer), "{:?}", issue.pointer);
    }
    let encoded = wire::encode(&decoded.event).unwrap_or_else(|error| {
        panic!(
            "{format}: {error} encoding what {:?} decoded to",
            String::from_utf8_lossy(bytes)
        )
    });
    let again = wire::decode_with(format, catalogue, &encoded, options).unwrap_or_else(|error| {
        panic!(
            "{format}: {error} decoding the encoding {:?}",
            String::from_utf8_lossy(&encoded)
        )
    });
    assert_eq!(again.event, decoded.event, "{format}: not a fixed point");
    // Encoding the decoded encoding gives the same bytes again.
    assert_eq!(wire::encode(&again.event).as_deref(), Ok(&encoded[..]));

    let document = decoded.event.to_json();
    let mut expected = decoded.event.into_owned();
    if expected.payload_str().is_some() {
        expected.payload = Cow::Owned(trim_json_whitespace(&expected.payload).to_vec());
    }
    assert_eq!(
        Event::from_json(document.as_bytes()),
        Ok(expected),
        "{document}"
    );
}

/// Runs one input; panics when a property fails.
pub fn run(bytes: &[u8]) {
    let mut input = Cursor::new(bytes);
    let selector = input.byte();
    let rest = input.rest();
    let options = DecodeOptions::default();
    match selector % 8 {
        0..=3 => fixed_point(WireFormat::ALL[usize::from(selector % 4)], rest, &options),
        4 => {
            // Tight limits: refusals, never panics.
            let options = DecodeOptions {
                limits: Limits {
                    max_depth: usize::from(selector / 8 % 8),
                    max_payload_bytes: rest.len() / 2 + 1,
                    ..Limits::default()
                },
                ..options
            };
            for format in WireFormat::ALL {
                fixed_point(format, rest, &options);
            }
        }
        5 => {
            if let Ok(message) = ClientMessage::parse(rest) {
                assert_eq!(ClientMessage::parse(&message.encode()), Ok(message));
            }
        }
        6 => {
            if let Ok(message) = ServerMessage::parse(rest) {
                assert_eq!(ServerMessage::parse(&message.encode()), Ok(message));
            }
        }
        _ => {
            if let Ok(event) = Event::from_json(rest) {
                let document = event.to_json();
                let again =
                    Event::from_json(document.as_bytes()).expect("a written document reads");
                assert_eq!(
                    again.to_json(),
                    document,
                    "the document form is a fixed point"
                );
            }
        }
    }
}
