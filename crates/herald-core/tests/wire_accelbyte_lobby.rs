//! AccelByte lobby frames: each malformed-input class gives its error with
//! the line named, frames map to the normalised event as documented, and
//! encoding refuses values a frame cannot carry unchanged.

use herald_core::wire::{
    self, DecodeOptions, Decoded, Envelope, Event, Framing, LobbyEnvelope, PayloadEncoding,
    Timestamp, WireErrorKind, WireFormat, accelbyte_lobby,
};
use herald_core::{Catalogue, WireError};

const PAYLOAD: &str = r#"{"type":"walletBalanceChanged","payload":{"action":"creditUserWallet","data":{"namespace":"n","userId":"u","currencyCode":"USD","amount":5,"reason":"r","origin":"System"}}}"#;

fn decode(frame: &str) -> Result<Decoded<'_>, WireError> {
    accelbyte_lobby::decode(
        Catalogue::builtin(),
        frame.as_bytes(),
        &DecodeOptions::default(),
    )
}

/// What an error says: its kind and its message.
fn said(error: WireError) -> (WireErrorKind, String) {
    (error.kind(), error.to_string())
}

fn minimal() -> String {
    format!("type: messageNotif\ntopic: e-commerce/wallets\npayload: {PAYLOAD}")
}

fn lobby(event: &Event<'_>) -> LobbyEnvelope {
    match &event.envelope {
        Envelope::Lobby(lobby) => lobby.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn frame_lines_map_to_the_event_and_its_envelope() {
    let frame = format!(
        "type: messageNotif\nid: b3cb\nfrom: system\nto: 103f\ntopic: e-commerce/wallets\npayload: {PAYLOAD}\nsentAt: 2024-01-22T09:10:54Z\nsequenceID: 1705914633\nsequenceNumber: 2\ntraceId:  abc:def  "
    );
    let decoded = decode(&frame).unwrap();
    let event = &decoded.event;
    assert_eq!(event.format, WireFormat::AccelbyteLobby);
    assert_eq!(event.source(), "accelbyte-wallet");
    assert_eq!(event.name, "walletBalanceChanged");
    assert_eq!(event.id.as_deref(), Some("b3cb"));
    assert_eq!(
        event.timestamp,
        Some(Timestamp::Text("2024-01-22T09:10:54Z".to_owned()))
    );
    assert_eq!(event.payload_str(), Some(PAYLOAD));
    assert!(matches!(event.payload, std::borrow::Cow::Borrowed(_)));
    assert_eq!(
        lobby(event),
        LobbyEnvelope {
            from: Some("system".to_owned()),
            to: Some("103f".to_owned()),
            topic: "e-commerce/wallets".to_owned(),
            sequence_id: Some("1705914633".to_owned()),
            sequence_number: Some("2".to_owned()),
            payload_encoding: PayloadEncoding::Inline,
            framing: Framing::Bare,
            extra: vec![("traceId".to_owned(), "abc:def".to_owned())],
        }
    );
    assert!(decoded.report.is_ok());
}

#[test]
fn lines_need_a_key_and_a_colon() {
    for (line, number) in [
        ("topic e-commerce/wallets", 2),
        (": value", 2),
        ("a key: value", 2),
    ] {
        let frame = format!("type: messageNotif\n{line}\npayload: {PAYLOAD}");
        let error = decode(&frame).unwrap_err();
        assert_eq!(error.line(), Some(number), "{line}");
        assert_eq!(
            said(error),
            (
                WireErrorKind::NotKeyValue,
                format!("line {number} is not a `key: value` line")
            ),
            "{line}"
        );
    }
}

#[test]
fn type_must_be_the_first_line_and_messagenotif() {
    let frame = format!("\n\ntopic: e-commerce/wallets\ntype: messageNotif\npayload: {PAYLOAD}");
    let error = decode(&frame).unwrap_err();
    assert_eq!(error.line(), Some(3));
    assert_eq!(
        said(error),
        (
            WireErrorKind::TypeNotFirst,
            "line 3 comes before the `type` line, which must be first".to_owned()
        )
    );
    assert_eq!(
        said(decode("").unwrap_err()),
        (
            WireErrorKind::MissingField,
            r#"the message has no "type" field"#.to_owned()
        )
    );
    assert_eq!(
        said(decode("type: partyInfoResponse\ncode: 0").unwrap_err()),
        (
            WireErrorKind::UnexpectedMessageType,
            r#"message type "partyInfoResponse" where a messageNotif frame was expected"#
                .to_owned()
        )
    );
}

#[test]
fn a_key_on_two_lines_names_the_second() {
    let frame = format!("{}\nfrom: system\nfrom: system", minimal());
    let error = decode(&frame).unwrap_err();
    assert_eq!(error.line(), Some(5));
    assert_eq!(
        said(error),
        (
            WireErrorKind::DuplicateLine,
            r#"key "from" appears again on line 5"#.to_owned()
        )
    );
}

#[test]
fn envelope_markers_come_in_pairs() {
    let framed = format!("LbS{}LbE", minimal());
    assert_eq!(
        lobby(&decode(&framed).unwrap().event).framing,
        Framing::Markers
    );
    for broken in [format!("LbS{}", minimal()), format!("{}LbE", minimal())] {
        assert_eq!(
            said(decode(&broken).unwrap_err()),
            (
                WireErrorKind::UnbalancedEnvelope,
                "the frame has one envelope marker without the other (`LbS` … `LbE`)".to_owned()
            )
        );
    }
}

#[test]
fn sequence_numbers_must_be_digits() {
    let frame = format!("{}\nsequenceNumber: -1", minimal());
    let error = decode(&frame).unwrap_err();
    assert_eq!(error.line(), Some(4));
    assert_eq!(
        said(error),
        (
            WireErrorKind::NotAnInteger,
            r#""sequenceNumber" on line 4 must be an unsigned integer"#.to_owned()
        )
    );
}

#[test]
fn only_the_wallet_topic_carries_events() {
    let frame = minimal().replace("e-commerce/wallets", "e-commerce/entitlements");
    assert_eq!(
        said(decode(&frame).unwrap_err()),
        (
            WireErrorKind::UnsupportedTopic,
            r#"topic "e-commerce/entitlements" carries no events herald knows; wallet notifications use "e-commerce/wallets""#
                .to_owned()
        )
    );
    let frame = minimal().replace("topic: e-commerce/wallets\n", "");
    assert_eq!(
        said(decode(&frame).unwrap_err()),
        (
            WireErrorKind::MissingField,
            r#"the message has no "topic" field"#.to_owned()
        )
    );
}

#[test]
fn payloads_are_inline_json_or_base64() {
    let base64 = "eyJ0eXBlIjoid2FsbGV0U3RhdHVzQ2hhbmdlZCJ9";
    let frame = format!("type: messageNotif\ntopic: e-commerce/wallets\npayload: {base64}");
    let decoded = decode(&frame).unwrap();
    assert_eq!(
        decoded.event.payload_str(),
        Some(r#"{"type":"walletStatusChanged"}"#)
    );
    assert_eq!(
        lobby(&decoded.event).payload_encoding,
        PayloadEncoding::Base64
    );
    assert!(!decoded.report.is_ok());
    let frame = "type: messageNotif\ntopic: e-commerce/wallets\npayload: eyJ0eX!";
    let error = decode(frame).unwrap_err();
    assert_eq!(error.offset(), Some(6));
    assert_eq!(
        said(error),
        (
            WireErrorKind::InvalidBase64,
            "invalid base64 at byte 6 of the payload".to_owned()
        )
    );
    let frame = "type: messageNotif\ntopic: e-commerce/wallets\npayload: {\"payload\":{}}";
    assert_eq!(
        said(decode(frame).unwrap_err()),
        (
            WireErrorKind::MissingField,
            r#"the message has no "payload.type" field"#.to_owned()
        )
    );
    let frame = "type: messageNotif\ntopic: e-commerce/wallets\npayload: {\"type\":7}";
    assert_eq!(decode(frame).unwrap_err().code(), "wrong_field_type");
}

#[test]
fn a_frame_that_is_not_utf8_is_refused() {
    let frame = b"type: messageNotif\nto: \xff";
    let error = accelbyte_lobby::decode(Catalogue::builtin(), frame, &DecodeOptions::default())
        .unwrap_err();
    assert_eq!(error.offset(), Some(23));
    assert_eq!(
        said(error),
        (
            WireErrorKind::InvalidUtf8,
            r#""frame" is not UTF-8 (from byte 23)"#.to_owned()
        )
    );
}

fn sample() -> Event<'static> {
    decode(&format!("{}\nsentAt: 2024-01-22T09:10:54Z", minimal()))
        .unwrap()
        .event
        .into_owned()
}

#[test]
fn encoding_writes_the_lines_in_the_lobby_order() {
    let mut event = sample();
    event.id = Some("b3cb".to_owned());
    let Envelope::Lobby(lobby) = &mut event.envelope else {
        unreachable!()
    };
    lobby.sequence_number = Some("2".to_owned());
    lobby.from = Some("system".to_owned());
    lobby.framing = Framing::Markers;
    assert_eq!(
        String::from_utf8(wire::encode(&event).unwrap()).unwrap(),
        format!(
            "LbStype: messageNotif\nid: b3cb\nfrom: system\ntopic: e-commerce/wallets\npayload: {PAYLOAD}\nsentAt: 2024-01-22T09:10:54Z\nsequenceNumber: 2LbE"
        )
    );
}

#[test]
fn encoding_refuses_values_the_frame_cannot_carry() {
    let cases: [(&str, Change); 8] = [
        ("to", |event| {
            set(event, |lobby| lobby.to = Some("a\nb".to_owned()))
        }),
        ("from", |event| {
            set(event, |lobby| lobby.from = Some(" system".to_owned()))
        }),
        ("sequenceID", |event| {
            set(event, |lobby| lobby.sequence_id = Some("x".to_owned()))
        }),
        ("sentAt", |event| event.timestamp = Some(Timestamp::Unix(1))),
        ("payload", |event| {
            event.payload = format!("\n{PAYLOAD}").into_bytes().into()
        }),
        ("to", |event| {
            set(event, |lobby| {
                lobby.extra.push(("to".to_owned(), "x".to_owned()))
            })
        }),
        ("a b", |event| {
            set(event, |lobby| {
                lobby.extra.push(("a b".to_owned(), "x".to_owned()))
            })
        }),
        ("note", |event| {
            set(event, |lobby| {
                lobby.extra.push(("note".to_owned(), "cr\r".to_owned()))
            })
        }),
    ];
    for (at, change) in cases {
        let mut event = sample();
        change(&mut event);
        let error = wire::encode(&event).unwrap_err();
        assert_eq!(error.kind(), WireErrorKind::Unencodable, "{at}");
        assert!(
            error
                .to_string()
                .starts_with(&format!("cannot encode {at}: ")),
            "{at}: {error}"
        );
    }
    let mut event = sample();
    event.envelope = Envelope::None;
    assert_eq!(wire::encode(&event).unwrap_err().code(), "unencodable");
    let mut event = sample();
    event.name = "walletStatusChanged".to_owned();
    assert_eq!(
        wire::encode(&event).unwrap_err().code(),
        "envelope_mismatch"
    );
}

/// A change that makes an event unencodable.
type Change = fn(&mut Event<'static>);

fn set(event: &mut Event<'static>, change: impl FnOnce(&mut LobbyEnvelope)) {
    if let Envelope::Lobby(lobby) = &mut event.envelope {
        change(lobby);
    }
}

#[test]
fn a_bare_frame_whose_last_value_ends_like_the_end_marker_gets_a_line_end() {
    let mut event = sample();
    set(&mut event, |lobby| {
        lobby.extra.push(("note".to_owned(), "endsLbE".to_owned()))
    });
    let frame = wire::encode(&event).unwrap();
    assert!(frame.ends_with(b"note: endsLbE\n"));
    let decoded =
        accelbyte_lobby::decode(Catalogue::builtin(), &frame, &DecodeOptions::default()).unwrap();
    assert_eq!(decoded.event, event);
}

#[test]
fn a_carriage_return_before_the_line_end_is_not_part_of_the_value() {
    let frame = format!(
        "type: messageNotif\r\ntopic: e-commerce/wallets \r \r\npayload: {PAYLOAD}\r\nsentAt: now\r"
    );
    let decoded = decode(&frame).unwrap();
    assert_eq!(lobby(&decoded.event).topic, "e-commerce/wallets");
    assert_eq!(
        decoded.event.timestamp,
        Some(Timestamp::Text("now".to_owned()))
    );
}
