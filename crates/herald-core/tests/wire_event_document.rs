//! The normalised event's JSON document: what it writes, what it reads
//! back, and what it refuses.

use herald_core::Catalogue;
use herald_core::wire::{self, Envelope, Event, Framing, PayloadEncoding, Timestamp, WireFormat};

fn lobby_event() -> Event<'static> {
    let frame = b"LbStype: messageNotif\nid: b3cb\nto: 103f\ntopic: e-commerce/wallets\npayload: eyJ0eXBlIjoid2FsbGV0U3RhdHVzQ2hhbmdlZCJ9\nsentAt: 2024-01-22T09:10:54Z\nsequenceID: 17\nx-trace: a:b LbE";
    wire::decode(WireFormat::AccelbyteLobby, Catalogue::builtin(), frame)
        .unwrap()
        .event
        .into_owned()
}

#[test]
fn the_document_names_format_source_and_envelope() {
    let event = lobby_event();
    assert_eq!(
        event.to_json(),
        r#"{"format":"accelbyte-lobby","source":"accelbyte-wallet","name":"walletStatusChanged","id":"b3cb","timestamp":"2024-01-22T09:10:54Z","lobby":{"to":"103f","topic":"e-commerce/wallets","sequenceID":"17","payload_encoding":"base64","framing":"markers","extra":[["x-trace","a:b"]]},"payload":{"type":"walletStatusChanged"}}"#
    );
    assert_eq!(Event::from_json(event.to_json().as_bytes()).unwrap(), event);
}

#[test]
fn a_decode_report_of_the_command_line_reads_as_its_event() {
    let event = lobby_event();
    let report = format!(
        r#"{{"event": {}, "validation": {{"ok": false, "errors": [], "warnings": []}}}}"#,
        event.to_json()
    );
    assert_eq!(Event::from_json(report.as_bytes()).unwrap(), event);
}

#[test]
fn a_lobby_event_without_envelope_gets_the_default_one() {
    let event = Event::from_json(
        br#"{"format":"accelbyte-lobby","name":"walletStatusChanged","timestamp":null,"id":null,
            "payload":{"type":"walletStatusChanged"}}"#,
    )
    .unwrap();
    let Envelope::Lobby(lobby) = &event.envelope else {
        panic!("{:?}", event.envelope)
    };
    assert_eq!(
        (lobby.topic.as_str(), lobby.payload_encoding, lobby.framing),
        ("e-commerce/wallets", PayloadEncoding::Inline, Framing::Bare)
    );
    assert_eq!((&event.id, &event.timestamp), (&None, &None));
    assert_eq!(
        wire::encode(&event).unwrap(),
        b"type: messageNotif\ntopic: e-commerce/wallets\npayload: {\"type\":\"walletStatusChanged\"}"
    );
}

#[test]
fn payloads_that_are_not_json_travel_as_base64() {
    let mut event = lobby_event();
    event.payload = b"\xff not json".to_vec().into();
    let document = event.to_json();
    assert!(
        document.contains(r#""payload_base64":"/yBub3QganNvbg==""#),
        "{document}"
    );
    assert_eq!(Event::from_json(document.as_bytes()).unwrap(), event);
}

#[test]
fn timestamps_keep_their_json_kind() {
    let event = Event::from_json(
        br#"{"format":"orangepill","name":"user.created","timestamp":"162553625262","payload":{}}"#,
    )
    .unwrap();
    assert_eq!(
        event.timestamp,
        Some(Timestamp::Text("162553625262".to_owned()))
    );
    let event = Event::from_json(
        br#"{"format":"orangepill","name":"user.created","timestamp":-5,"payload":{}}"#,
    )
    .unwrap();
    assert_eq!(event.timestamp, Some(Timestamp::Unix(-5)));
}

#[test]
fn documents_of_the_wrong_shape_are_refused_with_the_reason() {
    for (document, reason) in [
        (r#"{"name":"x","payload":{}}"#, "`format` is required"),
        (
            r#"{"format":"smoke-signals","name":"x","payload":{}}"#,
            "unknown format \"smoke-signals\"",
        ),
        (
            r#"{"format":"orangepill","payload":{}}"#,
            "`name` is required",
        ),
        (
            r#"{"format":"orangepill","name":"x"}"#,
            "`payload` is required",
        ),
        (
            r#"{"format":"orangepill","source":"inplayer-webhooks","name":"x","payload":{}}"#,
            "source \"inplayer-webhooks\"",
        ),
        (
            r#"{"format":"orangepill","name":"x","payload":{},"lobby":{"topic":"t"}}"#,
            "does not belong",
        ),
        (
            r#"{"format":"orangepill","name":"x","payload":{},"colour":"red"}"#,
            "unknown field \"colour\"",
        ),
        (
            r#"{"format":"orangepill","name":"x","name":"y","payload":{}}"#,
            "appears more than once",
        ),
        (
            r#"{"format":"orangepill","name":"x","timestamp":1.5,"payload":{}}"#,
            "integer or a string",
        ),
        (
            r#"{"format":"orangepill","name":"x","timestamp":99999999999999999999,"payload":{}}"#,
            "does not fit int64",
        ),
        (
            r#"{"format":"accelbyte-lobby","name":"x","payload":{},"lobby":{"topic":"t","colour":1}}"#,
            "unknown field `colour`",
        ),
        (
            r#"{"format":"orangepill","name":"x","payload_base64":"!!"}"#,
            "not base64",
        ),
        ("[]", "not an object"),
    ] {
        let error = Event::from_json(document.as_bytes()).unwrap_err();
        assert_eq!(error.code(), "invalid_event_document", "{document}");
        assert!(error.to_string().contains(reason), "{document}: {error}");
    }
}
