//! Byte-driven frame sequences through an Orangepill `Hub`: open, close,
//! handle a frame (well-formed from a small set of keys, or raw bytes). No
//! panic; every reply is two frames a client parses, `info` first; the
//! outcome tells the truth about the state before and after; the hub's
//! realm index always equals what its sessions hold; session ids are never
//! reused.
use std::collections::{BTreeMap, BTreeSet};

use super::input::Cursor;
use herald_core::wire::orangepill::{ClientMessage, Hub, Outcome, ServerMessage};

const KEYS: &[&str] = &["k1", "k2", "realm-key", ""];

fn frame(input: &mut Cursor<'_>) -> Vec<u8> {
    let choice = input.byte();
    let realm = (*input.pick(KEYS)).to_owned();
    match choice % 4 {
        0 => ClientMessage::Subscribe { realm }.encode(),
        1 => ClientMessage::Unsubscribe { realm }.encode(),
        _ => input.chunk().to_vec(),
    }
}

/// Runs one input; panics when a property fails.
pub fn run(bytes: &[u8]) {
    let mut input = Cursor::new(bytes);
    let keys: BTreeSet<String> = KEYS[..3].iter().map(|key| (*key).to_owned()).collect();
    let mut hub = Hub::new();
    // The model: session → realms held.
    let mut model: BTreeMap<u64, BTreeSet<String>> = BTreeMap::new();
    let mut last_id = 0;
    for _ in 0..48 {
        if input.is_empty() {
            break;
        }
        let pick_session = |input: &mut Cursor<'_>, model: &BTreeMap<u64, BTreeSet<String>>| {
            let ids: Vec<u64> = model.keys().copied().collect();
            match input.byte() {
                255 => last_id + 1, // a session that does not exist
                choice if !ids.is_empty() => ids[usize::from(choice) % ids.len()],
                _ => 0,
            }
        };
        match input.byte() % 4 {
            0 => {
                let id = hub.open();
                assert!(id > last_id, "session ids are never reused");
                last_id = id;
                model.insert(id, BTreeSet::new());
            }
            1 => {
                let id = pick_session(&mut input, &model);
                assert_eq!(hub.close(id), model.remove(&id).is_some());
            }
            _ => {
                let id = pick_session(&mut input, &model);
                let frame = frame(&mut input);
                let now = i64::from(input.byte()) - 5;
                let reply = match hub.handle(id, &frame, now, &keys) {
                    Ok(reply) => reply,
                    Err(error) => {
                        assert!(!model.contains_key(&id), "{error}");
                        continue;
                    }
                };
                let held = model.get_mut(&id).expect("handled by an open session");
                assert_eq!(reply.frames.len(), 2);
                let parsed: Vec<ServerMessage> = reply
                    .frames
                    .iter()
                    .map(|frame| ServerMessage::parse(frame).expect("a reply frame parses"))
                    .collect();
                assert!(matches!(parsed[0], ServerMessage::Info { .. }));
                match &reply.outcome {
                    Outcome::Subscribed { realm } => assert!(held.insert(realm.clone())),
                    Outcome::AlreadySubscribed { realm } => assert!(held.contains(realm)),
                    Outcome::Unsubscribed { realm } => assert!(held.remove(realm)),
                    Outcome::NotSubscribed { realm } => assert!(!held.contains(realm)),
                    other => {
                        assert!(!other.is_success());
                        assert!(matches!(parsed[1], ServerMessage::Error { .. }));
                    }
                }
            }
        }
        assert_eq!(hub.len(), model.len());
        for (id, held) in &model {
            let session = hub.session(*id).expect("an open session");
            assert!(session.realms().eq(held.iter().map(String::as_str)));
        }
        for key in KEYS {
            let expected: Vec<u64> = model
                .iter()
                .filter(|(_, held)| held.contains(*key))
                .map(|(id, _)| *id)
                .collect();
            assert_eq!(hub.recipients(key), expected, "recipients of {key:?}");
        }
    }
}
