//! A byte-driven sequence of subscribe, unsubscribe, match, snapshot and
//! cached match against a naive model: a set of (pattern, subscriber) pairs
//! matched with the reference matcher. Every answer equals the model's for
//! the version it was asked of, `len()` and the pattern count follow the
//! model, refusals happen exactly at the pattern limit.
use std::collections::{BTreeMap, BTreeSet};

use super::input::Cursor;
use super::routing::reference_matches;
use herald_core::{Limits, MatchCache, MatchScratch, Pattern, Router, RouterSnapshot, Topic};

/// Segments that make the index's shapes meet: literals that collide,
/// every wildcard, and a long one.
const SEGMENTS: &[&str] = &[
    "a", "b", "c", "ab", "*", "#", ">", "a", "b", "*", "#", "payment", "é", "x-y",
];

/// Canonical pattern text → subscriber ids.
type Model = BTreeMap<String, BTreeSet<u64>>;

fn model_matches(model: &Model, topic: &str) -> Vec<u64> {
    let mut ids = BTreeSet::new();
    for (pattern, subscribers) in model {
        if reference_matches(pattern, topic) {
            ids.extend(subscribers);
        }
    }
    ids.into_iter().collect()
}

/// Text from the alphabet (or, rarely, raw bytes), `.`-joined.
fn text(input: &mut Cursor<'_>) -> String {
    let choice = input.byte();
    if choice >= 250 {
        return String::from_utf8_lossy(input.chunk()).into_owned();
    }
    let count = usize::from(choice % 7);
    let mut segments = Vec::with_capacity(count);
    for _ in 0..count {
        segments.push(*input.pick(SEGMENTS));
    }
    segments.join(".")
}

fn check(
    table: &herald_core::RouteTable,
    model: &Model,
    topic: &str,
    scratch: &mut MatchScratch,
) -> Option<Vec<u64>> {
    let mut ids = Vec::new();
    let answer = table.match_into_with(topic, &mut ids, scratch);
    if Topic::parse(topic).is_err() {
        assert!(answer.is_err(), "matched the invalid topic {topic:?}");
        return None;
    }
    answer.expect("a valid topic matches");
    let expected = model_matches(model, topic);
    assert_eq!(ids, expected, "topic {topic:?}, model {model:?}");
    // The documented work bound: at most one probe per shape, and at most
    // every trie node once per topic segment, plus one.
    let stats = scratch.stats();
    assert!(stats.probes <= table.shape_count(), "{stats:?}");
    assert!(
        stats.visited <= table.trie_node_count() * (stats.segments + 1),
        "{stats:?} with {} trie nodes",
        table.trie_node_count()
    );
    // The slice variant: too small reports the count, big enough agrees.
    let mut small = vec![0u64; expected.len().saturating_sub(1)];
    let count = table.match_into_slice(topic, &mut small).unwrap();
    assert_eq!(count, expected.len());
    let mut enough = vec![0u64; expected.len() + 1];
    let count = table.match_into_slice(topic, &mut enough).unwrap();
    assert_eq!(&enough[..count], &expected[..]);
    Some(expected)
}

fn check_counts(table: &herald_core::RouteTable, model: &Model) {
    assert_eq!(
        table.len(),
        model.values().map(BTreeSet::len).sum::<usize>()
    );
    assert_eq!(table.pattern_count(), model.len());
    assert_eq!(table.is_empty(), model.is_empty());
}

/// Runs one input; panics when a property fails.
pub fn run(bytes: &[u8]) {
    let mut input = Cursor::new(bytes);
    let max_patterns = match input.byte() % 4 {
        0 => 3,
        1 => 8,
        _ => Limits::DEFAULT.max_patterns,
    };
    let mut router = Router::with_limits(Limits {
        max_patterns,
        ..Limits::default()
    });
    let mut model = Model::new();
    let mut snapshots: Vec<(RouterSnapshot, Model)> = Vec::new();
    let mut cache = MatchCache::with_capacity(usize::from(input.byte() % 4));
    let mut scratch = MatchScratch::new();
    for _ in 0..64 {
        if input.is_empty() {
            break;
        }
        match input.byte() % 8 {
            0 | 1 => {
                let text = text(&mut input);
                let id = u64::from(input.byte() % 6);
                let Ok(pattern) = Pattern::parse(&text) else {
                    continue;
                };
                let key = pattern.to_string();
                let answer = router.subscribe(&pattern, id);
                let known = model.get(&key);
                match answer {
                    Ok(added) => {
                        assert_eq!(added, !known.is_some_and(|ids| ids.contains(&id)));
                        model.entry(key).or_default().insert(id);
                    }
                    Err(error) => {
                        assert_eq!(error.code(), "too_many_patterns");
                        assert!(known.is_none() && model.len() >= max_patterns);
                    }
                }
            }
            2 => {
                let text = text(&mut input);
                let id = u64::from(input.byte() % 6);
                let Ok(pattern) = Pattern::parse(&text) else {
                    continue;
                };
                let key = pattern.to_string();
                let removed = router.unsubscribe(&pattern, id);
                let expected = model.get_mut(&key).is_some_and(|ids| ids.remove(&id));
                assert_eq!(removed, expected, "unsubscribe {key} {id}");
                if model.get(&key).is_some_and(BTreeSet::is_empty) {
                    model.remove(&key);
                }
                assert_eq!(
                    router.subscriber_count(&pattern),
                    model.get(&key).map_or(0, BTreeSet::len)
                );
            }
            3 | 4 => {
                let topic = text(&mut input);
                check(&router, &model, &topic, &mut scratch);
            }
            5 => {
                if snapshots.len() == 4 {
                    snapshots.remove(0);
                }
                snapshots.push((router.snapshot(), model.clone()));
            }
            6 => {
                // An older version answers as it was when taken.
                let topic = text(&mut input);
                if let Some((snapshot, old)) = snapshots.get(input.below(4)) {
                    check(snapshot, old, &topic, &mut scratch);
                    check_counts(snapshot, old);
                }
            }
            _ => {
                // The cache never answers for another version.
                let topic = text(&mut input);
                let pick = input.below(5);
                let (snapshot, old) = match snapshots.get(pick) {
                    Some((snapshot, old)) => (snapshot.clone(), old.clone()),
                    None => (router.snapshot(), model.clone()),
                };
                let mut ids = Vec::new();
                match snapshot.match_cached(&topic, &mut cache, &mut ids) {
                    Ok(()) => assert_eq!(ids, model_matches(&old, &topic), "cached {topic:?}"),
                    Err(_) => assert!(Topic::parse(&topic).is_err()),
                }
            }
        }
        check_counts(&router, &model);
    }
}
