//! Orangepill's subscription protocol, driven in memory: a client's frames
//! go into a `RealmSession` or a `Hub`, the reply frames come out and are
//! read back as the client would, with the time given by the test.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::common::wire::wire_vectors_dir;
use herald_core::Catalogue;
use herald_core::wire::orangepill::{
    ClientMessage, Hub, INVALID_REALM_KEY, NO_REALM, Outcome, RealmKeys, RealmSession,
    ServerMessage,
};
use herald_core::wire::{self, Timestamp, WireFormat};

const REALM: &str = "c9d4744c-0eae-4457-a665-2c18b9ac132b";
const NOW: i64 = 1671547687;

fn keys() -> BTreeMap<String, String> {
    BTreeMap::from([("REALM_KEY".to_owned(), REALM.to_owned())])
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(wire_vectors_dir().join("orangepill").join(name)).unwrap()
}

/// The reply frames as the client reads them.
fn read(frames: &[Vec<u8>]) -> Vec<ServerMessage> {
    frames
        .iter()
        .map(|frame| ServerMessage::parse(frame).unwrap())
        .collect()
}

fn success(kind: &str, realm: &str, now: i64) -> Vec<ServerMessage> {
    let timestamp = Timestamp::Unix(now);
    let echo = match kind {
        "subscribe" => ServerMessage::Subscribed {
            realm: realm.to_owned(),
            timestamp: timestamp.clone(),
        },
        _ => ServerMessage::Unsubscribed {
            realm: realm.to_owned(),
            timestamp: timestamp.clone(),
        },
    };
    vec![
        ServerMessage::Info {
            realm: realm.to_owned(),
            timestamp,
        },
        echo,
    ]
}

fn failure(message: &str, now: i64) -> Vec<ServerMessage> {
    vec![
        ServerMessage::Info {
            realm: NO_REALM.to_owned(),
            timestamp: Timestamp::Unix(now),
        },
        ServerMessage::Error {
            message: message.to_owned(),
            timestamp: Timestamp::Unix(now),
        },
    ]
}

#[test]
fn subscribe_with_a_good_key_replies_info_with_the_realm_id_then_the_echo() {
    let mut session = RealmSession::new();
    let reply = session.handle(&fixture("subscribe.json"), NOW, &keys());
    assert_eq!(read(&reply.frames), success("subscribe", REALM, NOW));
    // The same messages as the vendor's replies (the docs' extra `}` removed).
    assert_eq!(
        read(&reply.frames[..1]),
        read(&[fixture("reply-info.json")])
    );
    assert_eq!(
        read(&reply.frames[1..]),
        read(&[fixture("reply-subscribe.json")])
    );
    assert_eq!(
        reply.outcome,
        Outcome::Subscribed {
            realm: REALM.to_owned()
        }
    );
    assert!(session.is_subscribed(REALM));
    assert_eq!(session.realms().collect::<Vec<_>>(), [REALM]);
}

#[test]
fn replies_are_valid_protocol_messages_of_the_catalogue() {
    let catalogue = Catalogue::builtin();
    let mut session = RealmSession::new();
    let good = session.handle(&fixture("subscribe.json"), NOW, &keys());
    let bad = session.handle(br#"{"type":"subscribe","realm":"guess"}"#, NOW, &keys());
    for (frame, schema) in [
        (&good.frames[0], "orangepill-info"),
        (&good.frames[1], "orangepill-subscribe"),
        (&bad.frames[0], "orangepill-info"),
        (&bad.frames[1], "orangepill-error"),
    ] {
        let report = catalogue.validate_named(schema, frame).unwrap();
        assert!(
            report.is_ok() && report.warnings.is_empty(),
            "{schema}: {report:?}"
        );
    }
}

#[test]
fn a_bad_key_gets_info_none_and_the_vendors_error_text() {
    let mut session = RealmSession::new();
    let reply = session.handle(br#"{"type":"subscribe","realm":"guess"}"#, NOW, &keys());
    assert_eq!(read(&reply.frames), failure(INVALID_REALM_KEY, NOW));
    assert_eq!(
        read(&reply.frames[1..]),
        read(&[fixture("reply-error.json")])
    );
    assert_eq!(reply.outcome, Outcome::InvalidKey);
    assert!(!reply.outcome.is_success());
    assert_eq!(session.realms().count(), 0);
}

#[test]
fn unsubscribe_replies_info_and_the_echo_and_ends_the_subscription() {
    let mut session = RealmSession::new();
    session.handle(&fixture("subscribe.json"), NOW, &keys());
    let reply = session.handle(&fixture("unsubscribe.json"), NOW + 5, &keys());
    assert_eq!(read(&reply.frames), success("unsubscribe", REALM, NOW + 5));
    assert_eq!(
        reply.outcome,
        Outcome::Unsubscribed {
            realm: REALM.to_owned()
        }
    );
    assert!(!session.is_subscribed(REALM));
}

#[test]
fn subscribing_twice_succeeds_again_without_a_change() {
    let mut session = RealmSession::new();
    session.handle(&fixture("subscribe.json"), NOW, &keys());
    let before = session.clone();
    let reply = session.handle(&fixture("subscribe.json"), NOW + 1, &keys());
    assert_eq!(read(&reply.frames), success("subscribe", REALM, NOW + 1));
    assert_eq!(
        reply.outcome,
        Outcome::AlreadySubscribed {
            realm: REALM.to_owned()
        }
    );
    assert_eq!(session, before);
}

#[test]
fn unsubscribing_without_a_subscription_succeeds_without_a_change() {
    let mut session = RealmSession::new();
    let reply = session.handle(&fixture("unsubscribe.json"), NOW, &keys());
    assert_eq!(read(&reply.frames), success("unsubscribe", REALM, NOW));
    assert_eq!(
        reply.outcome,
        Outcome::NotSubscribed {
            realm: REALM.to_owned()
        }
    );
    assert_eq!(session, RealmSession::new());
}

#[test]
fn garbage_frames_get_an_error_reply_and_the_session_keeps_working() {
    let mut session = RealmSession::new();
    session.handle(&fixture("subscribe.json"), NOW, &keys());
    let garbage: [(&[u8], &str); 8] = [
        (b"\x00\xff not json", "malformed_json"),
        (b"[\"subscribe\"]", "not_an_object"),
        (br#"{"realm":"REALM_KEY"}"#, "missing_field"),
        (
            br#"{"type":"ping","realm":"REALM_KEY"}"#,
            "unexpected_message_type",
        ),
        (br#"{"type":"subscribe"}"#, "missing_field"),
        (br#"{"type":"subscribe","realm":""}"#, "wrong_field_type"),
        (
            br#"{"type":"subscribe","realm":"REALM_KEY","extra":1}"#,
            "unexpected_field",
        ),
        (
            br#"{"type":"subscribe","realm":"REALM_KEY"}}"#,
            "malformed_json",
        ),
    ];
    for (frame, code) in garbage {
        let reply = session.handle(frame, NOW, &keys());
        let Outcome::Malformed(error) = &reply.outcome else {
            panic!("{}: {:?}", String::from_utf8_lossy(frame), reply.outcome);
        };
        assert_eq!(error.code(), code, "{}", String::from_utf8_lossy(frame));
        let messages = read(&reply.frames);
        assert_eq!(messages[0], failure("", NOW)[0]);
        let ServerMessage::Error { message, .. } = &messages[1] else {
            panic!("{messages:?}");
        };
        assert!(message.starts_with("Invalid message: "), "{message}");
        assert!(session.is_subscribed(REALM));
    }
    let reply = session.handle(&fixture("unsubscribe.json"), NOW + 9, &keys());
    assert_eq!(read(&reply.frames), success("unsubscribe", REALM, NOW + 9));
    let reply = session.handle(&fixture("subscribe.json"), NOW + 10, &keys());
    assert_eq!(read(&reply.frames), success("subscribe", REALM, NOW + 10));
}

#[test]
fn an_optional_integer_timestamp_in_a_client_frame_is_accepted() {
    let mut session = RealmSession::new();
    let reply = session.handle(
        br#"{"type":"subscribe","realm":"REALM_KEY","timestamp":1671547600}"#,
        NOW,
        &keys(),
    );
    assert!(reply.outcome.is_success());
    let reply = session.handle(
        br#"{"type":"subscribe","realm":"REALM_KEY","timestamp":"soon"}"#,
        NOW,
        &keys(),
    );
    assert!(
        matches!(reply.outcome, Outcome::Malformed(ref error) if error.code() == "wrong_field_type")
    );
}

#[test]
fn keys_can_be_a_set_a_map_or_a_closure() {
    let set = BTreeSet::from(["REALM_KEY".to_owned()]);
    let map: HashMap<String, String> = keys().into_iter().collect();
    let closure = |key: &str| (key == "REALM_KEY").then(|| REALM.to_owned());
    let checks: [(&dyn RealmKeys, &str); 3] =
        [(&set, "REALM_KEY"), (&map, REALM), (&closure, REALM)];
    for (check, realm) in checks {
        let mut session = RealmSession::new();
        let reply = session.handle(&fixture("subscribe.json"), NOW, check);
        assert_eq!(read(&reply.frames), success("subscribe", realm, NOW));
        assert!(session.is_subscribed(realm));
    }
    let empty_id = |_: &str| Some(String::new());
    let reply = RealmSession::new().handle(&fixture("subscribe.json"), NOW, &empty_id);
    assert_eq!(reply.outcome, Outcome::InvalidKey);
}

#[test]
fn an_unsubscribed_session_gets_no_notification() {
    let event = wire::orangepill::notification(
        Catalogue::builtin(),
        "transaction.done",
        "63967141191e9023f356df9f",
        Timestamp::Text("162553625262".to_owned()),
    )
    .unwrap();
    let mut session = RealmSession::new();
    assert_eq!(session.notify(REALM, &event).unwrap(), None);
    session.handle(&fixture("subscribe.json"), NOW, &keys());
    let frame = session.notify(REALM, &event).unwrap().unwrap();
    assert_eq!(
        ServerMessage::parse(&frame).unwrap(),
        ServerMessage::Notification {
            name: "transaction.done".to_owned(),
            entity_id: "63967141191e9023f356df9f".to_owned(),
            timestamp: Timestamp::Text("162553625262".to_owned()),
        }
    );
    assert_eq!(session.notify("another-realm", &event).unwrap(), None);
    session.handle(&fixture("unsubscribe.json"), NOW, &keys());
    assert_eq!(session.notify(REALM, &event).unwrap(), None);
}

#[test]
fn the_hub_tells_which_sessions_receive_an_event_of_a_realm() {
    let keys = BTreeMap::from([
        ("key-a".to_owned(), "realm-a".to_owned()),
        ("key-b".to_owned(), "realm-b".to_owned()),
    ]);
    let subscribe = |key: &str| {
        ClientMessage::Subscribe {
            realm: key.to_owned(),
        }
        .encode()
    };
    let mut hub = Hub::new();
    let (first, second, third) = (hub.open(), hub.open(), hub.open());
    assert_eq!((first, second, third), (1, 2, 3));
    hub.handle(first, &subscribe("key-a"), NOW, &keys).unwrap();
    hub.handle(second, &subscribe("key-a"), NOW, &keys).unwrap();
    hub.handle(second, &subscribe("key-b"), NOW, &keys).unwrap();
    hub.handle(third, &subscribe("wrong"), NOW, &keys).unwrap();
    assert_eq!(hub.recipients("realm-a"), [first, second]);
    assert_eq!(hub.recipients("realm-b"), [second]);
    assert!(hub.recipients("realm-c").is_empty());

    let event = wire::orangepill::notification(
        Catalogue::builtin(),
        "deposit.received",
        "63967141191e9023f356df9f",
        Timestamp::Unix(NOW),
    )
    .unwrap();
    let delivery = hub.notify("realm-a", &event).unwrap();
    assert_eq!(delivery.sessions, [first, second]);
    let decoded = wire::decode(
        WireFormat::Orangepill,
        Catalogue::builtin(),
        &delivery.frame,
    )
    .unwrap();
    assert_eq!(decoded.event, event);

    let unsubscribe = ClientMessage::Unsubscribe {
        realm: "key-a".to_owned(),
    }
    .encode();
    hub.handle(first, &unsubscribe, NOW, &keys).unwrap();
    assert_eq!(hub.recipients("realm-a"), [second]);
    assert!(hub.close(second));
    assert!(!hub.close(second));
    assert!(hub.recipients("realm-a").is_empty() && hub.recipients("realm-b").is_empty());
    assert_eq!(hub.len(), 2);
    assert_eq!(
        hub.handle(second, &subscribe("key-a"), NOW, &keys)
            .unwrap_err()
            .code(),
        "unknown_session"
    );
}

#[test]
fn the_client_reads_the_vendors_replies_and_rejects_their_extra_brace() {
    assert_eq!(
        ServerMessage::parse(&fixture("reply-info.json")).unwrap(),
        ServerMessage::Info {
            realm: REALM.to_owned(),
            timestamp: Timestamp::Unix(NOW)
        }
    );
    let error = ServerMessage::parse(&fixture("reply-info.docs.json")).unwrap_err();
    assert_eq!(error.code(), "malformed_json");
    assert_eq!(
        ClientMessage::parse(&fixture("subscribe.json")).unwrap(),
        ClientMessage::Subscribe {
            realm: "REALM_KEY".to_owned()
        }
    );
}

#[test]
fn server_messages_encode_and_parse_back() {
    let messages = [
        ServerMessage::Info {
            realm: NO_REALM.to_owned(),
            timestamp: Timestamp::Unix(1),
        },
        ServerMessage::Subscribed {
            realm: "r\"1".to_owned(),
            timestamp: Timestamp::Unix(-2),
        },
        ServerMessage::Unsubscribed {
            realm: "r".to_owned(),
            timestamp: Timestamp::Text("3".to_owned()),
        },
        ServerMessage::Error {
            message: "Invalid Realm Key.".to_owned(),
            timestamp: Timestamp::Unix(4),
        },
        ServerMessage::Notification {
            name: "user.created".to_owned(),
            entity_id: "e".to_owned(),
            timestamp: Timestamp::Unix(5),
        },
    ];
    for message in messages {
        assert_eq!(ServerMessage::parse(&message.encode()).unwrap(), message);
    }
}
