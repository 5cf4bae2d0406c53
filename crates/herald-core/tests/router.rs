//! The router (docs/routing.md): subscriptions, ordered deduplicated matches,
//! snapshots read from many threads while a writer publishes new versions.

use std::sync::{Arc, Mutex};

use herald_core::{Limits, Pattern, Router, RouterError, RouterSnapshot, SyntaxError};

fn pattern(text: &str) -> Pattern {
    Pattern::parse(text).unwrap()
}

fn router_with(subscriptions: &[(&str, u64)]) -> Router {
    let mut router = Router::new();
    for (text, id) in subscriptions {
        router.subscribe(&pattern(text), *id).unwrap();
    }
    router
}

fn ids(router: &Router, topic: &str) -> Vec<u64> {
    let mut out = Vec::new();
    router.match_into(topic, &mut out).unwrap();
    out
}

#[test]
fn a_subscriber_matching_through_several_patterns_is_reported_once() {
    let router = router_with(&[
        ("payment.#", 7),
        ("#.failed", 7),
        ("payment.card.failed", 7),
    ]);
    assert_eq!(ids(&router, "payment.card.failed"), [7]);
}

#[test]
fn matching_ids_come_out_ascending() {
    let router = router_with(&[
        ("payment.#", 40),
        ("#.failed", 3),
        ("*.card.*", 900),
        ("payment.card.failed", 1),
        ("payment.>", 3),
        ("payment.>", 2),
    ]);
    assert_eq!(ids(&router, "payment.card.failed"), [1, 2, 3, 40, 900]);
}

#[test]
fn subscribing_twice_is_a_reported_no_op() {
    let mut router = Router::new();
    assert!(router.subscribe(&pattern("a.*"), 5).unwrap());
    assert!(!router.subscribe(&pattern("a.*"), 5).unwrap());
    assert_eq!(router.len(), 1);
    assert_eq!(ids(&router, "a.b"), [5]);
}

#[test]
fn equivalent_spellings_are_one_subscription() {
    let mut router = Router::new();
    assert!(router.subscribe(&pattern("#.#"), 5).unwrap());
    assert!(!router.subscribe(&pattern("#"), 5).unwrap());
}

#[test]
fn unsubscribe_reports_whether_the_pair_existed() {
    let mut router = router_with(&[("a.*", 5), ("a.*", 6)]);
    assert!(router.unsubscribe(&pattern("a.*"), 5));
    assert!(!router.unsubscribe(&pattern("a.*"), 5));
    assert!(!router.unsubscribe(&pattern("a.#"), 6));
    assert_eq!(router.len(), 1);
    assert_eq!(ids(&router, "a.b"), [6]);
}

#[test]
fn unsubscribing_the_last_subscriber_prunes_the_trie() {
    let mut router = router_with(&[("a.b.c", 1), ("a.b.*", 2), ("x.>", 3)]);
    let nodes_before = router.node_count();
    assert!(router.unsubscribe(&pattern("a.b.c"), 1));
    assert_eq!(router.node_count(), nodes_before - 1);
    assert!(router.unsubscribe(&pattern("a.b.*"), 2));
    assert!(router.unsubscribe(&pattern("x.>"), 3));
    assert_eq!(router.node_count(), 1);
    assert_eq!(router.pattern_count(), 0);
    assert!(router.is_empty());
}

#[test]
fn an_invalid_topic_is_an_error_not_a_miss() {
    let router = router_with(&[("#", 1)]);
    let mut out = vec![99];
    assert_eq!(
        router.match_into("a..b", &mut out),
        Err(RouterError::Topic(SyntaxError::EmptySegment {
            index: 1,
            offset: 2
        }))
    );
    for topic in ["", "a.*", "a b", "a.#"] {
        assert!(router.match_into(topic, &mut out).is_err(), "{topic:?}");
    }
}

#[test]
fn topics_are_checked_against_the_router_limits() {
    let mut router = Router::with_limits(Limits {
        max_segments: 3,
        ..Limits::default()
    });
    router.subscribe(&pattern("#"), 1).unwrap();
    assert_eq!(ids(&router, "a.b.c"), [1]);
    let error = router.match_into("a.b.c.d", &mut Vec::new()).unwrap_err();
    assert_eq!(error.code(), "too_many_segments");
}

#[test]
fn the_pattern_limit_refuses_new_patterns_only() {
    let mut router = Router::with_limits(Limits {
        max_patterns: 2,
        ..Limits::default()
    });
    router.subscribe(&pattern("a"), 1).unwrap();
    router.subscribe(&pattern("b"), 1).unwrap();
    assert_eq!(
        router.subscribe(&pattern("c"), 1),
        Err(RouterError::TooManyPatterns { max: 2 })
    );
    assert!(router.subscribe(&pattern("b"), 2).unwrap());
    assert_eq!(router.len(), 3);
    assert_eq!(router.pattern_count(), 2);
}

#[test]
fn match_into_replaces_the_buffer_contents() {
    let router = router_with(&[("a", 1)]);
    let mut out = vec![5, 6, 7];
    router.match_into("a", &mut out).unwrap();
    assert_eq!(out, [1]);
    router.match_into("b", &mut out).unwrap();
    assert!(out.is_empty());
}

#[test]
fn match_into_slice_reports_the_needed_length() {
    let router = router_with(&[("a.#", 3), ("#.b", 3), ("a.b", 1), ("*.b", 2)]);
    let mut exact = [0; 3];
    assert_eq!(router.match_into_slice("a.b", &mut exact).unwrap(), 3);
    assert_eq!(exact, [1, 2, 3]);
    // Four raw ids (3 twice) but three distinct: a three-slot buffer is enough.
    let mut short = [0; 2];
    assert_eq!(router.match_into_slice("a.b", &mut short).unwrap(), 3);
    assert_eq!(router.match_into_slice("zzz", &mut short).unwrap(), 0);
    assert!(router.match_into_slice("a..b", &mut short).is_err());
}

#[test]
fn ten_thousand_subscribers_on_one_pattern() {
    let mut router = Router::new();
    let shared = pattern("payment.#");
    for id in (0..10_000u64).rev() {
        assert!(router.subscribe(&shared, id * 2).unwrap());
    }
    assert_eq!(router.subscriber_count(&shared), 10_000);
    let found = ids(&router, "payment.card");
    assert_eq!(found.len(), 10_000);
    assert!(found.windows(2).all(|pair| pair[0] < pair[1]));
    for id in 0..9_999u64 {
        assert!(router.unsubscribe(&shared, id * 2));
    }
    assert_eq!(ids(&router, "payment"), [19_998]);
    assert!(router.unsubscribe(&shared, 19_998));
    assert_eq!(router.node_count(), 1);
}

#[test]
fn a_snapshot_keeps_its_version() {
    let mut router = router_with(&[("a", 1)]);
    let snapshot = router.snapshot();
    router.subscribe(&pattern("a"), 2).unwrap();
    router.unsubscribe(&pattern("a"), 1);
    let mut out = Vec::new();
    snapshot.match_into("a", &mut out).unwrap();
    assert_eq!(out, [1]);
    assert_eq!(snapshot.len(), 1);
    assert_eq!(ids(&router, "a"), [2]);
}

#[test]
fn routers_and_snapshots_are_send_and_sync() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    shareable::<Router>();
    shareable::<RouterSnapshot>();
}

#[test]
fn many_threads_match_one_router_at_once() {
    let router = router_with(&[("payment.#", 1), ("*.card.*", 2)]);
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                let mut out = Vec::with_capacity(4);
                for _ in 0..1_000 {
                    router.match_into("payment.card.success", &mut out).unwrap();
                    assert_eq!(out, [1, 2]);
                }
            });
        }
    });
}

#[test]
fn readers_keep_matching_while_a_writer_publishes_versions() {
    // Version n has subscribers 0..n on `orders.#`, so every consistent view
    // is a prefix 0..n; readers also check that versions never go back.
    const VERSIONS: u64 = 300;
    let mut router = Router::new();
    let published = Arc::new(Mutex::new(router.snapshot()));
    std::thread::scope(|scope| {
        for _ in 0..3 {
            let published = Arc::clone(&published);
            scope.spawn(move || {
                let mut out = Vec::new();
                let mut last_seen = 0;
                while last_seen < VERSIONS as usize {
                    let snapshot = published.lock().unwrap().clone();
                    snapshot.match_into("orders.created", &mut out).unwrap();
                    let expected: Vec<u64> = (0..out.len() as u64).collect();
                    assert_eq!(out, expected);
                    assert!(out.len() >= last_seen);
                    last_seen = out.len();
                }
            });
        }
        let orders = pattern("orders.#");
        for id in 0..VERSIONS {
            router.subscribe(&orders, id).unwrap();
            *published.lock().unwrap() = router.snapshot();
        }
    });
    assert_eq!(router.len(), VERSIONS as usize);
}

// Random subscribe/unsubscribe sequences against a model: a set of pairs and
// a matcher written from the rules (a dynamic programme over segments).

mod model {
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    use crate::common::routing::reference_matches;
    use herald_core::{Pattern, Router};

    const PATTERNS: [&str; 8] = ["a.#", "#.b", "a.*", "*.b.>", "a.b", "#", "b.#.a", "a.b.c"];
    const TOPICS: [&str; 6] = ["a", "a.b", "b.a", "a.b.c", "b.b.b", "c.a.b"];

    #[derive(Debug, Clone)]
    enum Op {
        Subscribe(usize, u64),
        Unsubscribe(usize, u64),
    }

    fn op() -> impl Strategy<Value = Op> {
        // Up to 40 ids per pattern, so pattern nodes cross the 16-id switch
        // between the inline vector and the B-tree in both directions.
        prop_oneof![
            3 => (0..PATTERNS.len(), 0..40u64).prop_map(|(p, id)| Op::Subscribe(p, id)),
            2 => (0..PATTERNS.len(), 0..40u64).prop_map(|(p, id)| Op::Unsubscribe(p, id)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn router_agrees_with_a_model_under_random_updates(
            ops in prop::collection::vec(op(), 1..300),
        ) {
            let patterns: Vec<Pattern> = PATTERNS.iter().map(|p| Pattern::parse(p).unwrap()).collect();
            let mut router = Router::new();
            let mut model: BTreeSet<(usize, u64)> = BTreeSet::new();
            for op in &ops {
                match *op {
                    Op::Subscribe(p, id) => {
                        prop_assert_eq!(router.subscribe(&patterns[p], id).unwrap(), model.insert((p, id)));
                    }
                    Op::Unsubscribe(p, id) => {
                        prop_assert_eq!(router.unsubscribe(&patterns[p], id), model.remove(&(p, id)));
                    }
                }
                prop_assert_eq!(router.len(), model.len());
            }
            let mut out = Vec::new();
            for topic in TOPICS {
                router.match_into(topic, &mut out).unwrap();
                let expected: BTreeSet<u64> = model
                    .iter()
                    .filter(|(p, _)| reference_matches(PATTERNS[*p], topic))
                    .map(|(_, id)| *id)
                    .collect();
                prop_assert_eq!(&out, &expected.into_iter().collect::<Vec<_>>(), "{}", topic);
            }
            for (p, id) in &model {
                router.unsubscribe(&patterns[*p], *id);
            }
            prop_assert_eq!(router.node_count(), 1);
            prop_assert!(router.is_empty());
        }
    }
}

mod match_cache {
    use herald_core::router::MatchCache;
    use herald_core::{Pattern, Router};

    fn router(patterns: &[(&str, u64)]) -> Router {
        let mut router = Router::new();
        for (pattern, id) in patterns {
            router
                .subscribe(&Pattern::parse(pattern).unwrap(), *id)
                .unwrap();
        }
        router
    }

    #[test]
    fn cached_answers_equal_uncached_ones() {
        let snapshot = router(&[("payment.#", 3), ("#.failed", 1), ("*.card.*", 2)]).snapshot();
        let mut cache = MatchCache::new();
        for topic in [
            "payment.card.failed",
            "payment",
            "x.card.y",
            "nothing.here",
            "payment.card.failed",
        ] {
            let mut cached = Vec::new();
            let mut plain = Vec::new();
            snapshot
                .match_cached(topic, &mut cache, &mut cached)
                .unwrap();
            snapshot.match_into(topic, &mut plain).unwrap();
            assert_eq!(cached, plain, "{topic}");
        }
        assert_eq!(cache.len(), 4);
    }

    #[test]
    fn a_cache_never_answers_for_another_snapshot() {
        let mut writer = router(&[("a.b", 1)]);
        let old = writer.snapshot();
        let mut cache = MatchCache::new();
        let mut ids = Vec::new();
        old.match_cached("a.b", &mut cache, &mut ids).unwrap();
        writer.unsubscribe(&Pattern::parse("a.b").unwrap(), 1);
        writer
            .subscribe(&Pattern::parse("a.*").unwrap(), 2)
            .unwrap();
        let new = writer.snapshot();
        new.match_cached("a.b", &mut cache, &mut ids).unwrap();
        assert_eq!(ids, [2]);
        old.match_cached("a.b", &mut cache, &mut ids).unwrap();
        assert_eq!(ids, [1]);
    }

    #[test]
    fn invalid_topics_are_errors_and_are_not_cached() {
        let snapshot = router(&[("#", 1)]).snapshot();
        let mut cache = MatchCache::new();
        let mut ids = vec![99];
        assert_eq!(
            snapshot
                .match_cached("a..b", &mut cache, &mut ids)
                .unwrap_err()
                .code(),
            "empty_segment"
        );
        assert!(cache.is_empty());
    }

    #[test]
    fn a_full_cache_starts_over_and_capacity_zero_caches_nothing() {
        let snapshot = router(&[("#", 1)]).snapshot();
        let mut ids = Vec::new();
        let mut small = MatchCache::with_capacity(2);
        for topic in ["a", "b", "c"] {
            snapshot.match_cached(topic, &mut small, &mut ids).unwrap();
        }
        assert_eq!(small.len(), 1);
        let mut none = MatchCache::with_capacity(0);
        snapshot.match_cached("a", &mut none, &mut ids).unwrap();
        assert_eq!((none.len(), ids.as_slice()), (0, &[1][..]));
        small.clear();
        assert!(small.is_empty());
    }
}

// The shape index against the reference on random subscriptions that use
// every shape it knows and every shape it leaves to its trie: `*` anywhere,
// `>` tails, `#` first, in the middle and last, two `#`, one-segment
// patterns and topics, and patterns that differ only by the kind of a
// wildcard. Subscribes, unsubscribes and matches interleave, so entries,
// shapes and the key filter are added and taken away under the matches.

mod index_against_oracle {
    use std::collections::BTreeSet;

    use herald_core::{MatchScratch, Pattern, Router};
    use proptest::prelude::*;

    use crate::common::routing::reference_matches;

    fn segment() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            5 => Just("a"),
            4 => Just("b"),
            2 => Just("cc"),
            3 => Just("*"),
            2 => Just("#"),
        ]
    }

    /// A pattern text, and a twin with one wildcard of another kind.
    fn patterns() -> impl Strategy<Value = Vec<String>> {
        (
            prop::collection::vec(segment(), 1..6),
            prop::bool::weighted(0.25),
            0usize..6,
            prop_oneof![Just("*"), Just("#"), Just(">")],
        )
            .prop_map(|(mut segments, tail, twin_at, twin_kind)| {
                let mut hashes = 0;
                for segment in &mut segments {
                    if *segment == "#" {
                        hashes += 1;
                        if hashes > 2 {
                            *segment = "*";
                        }
                    }
                }
                if tail {
                    segments.push(">");
                }
                let mut texts = vec![segments.join(".")];
                let at = twin_at % segments.len();
                let is_wildcard = matches!(segments[at], "*" | "#" | ">");
                let last = at + 1 == segments.len();
                let hashes = segments.iter().filter(|segment| **segment == "#").count();
                if is_wildcard
                    && segments[at] != twin_kind
                    && (twin_kind != ">" || last)
                    && (twin_kind != "#" || hashes < 2)
                {
                    let mut twin = segments.clone();
                    twin[at] = twin_kind;
                    texts.push(twin.join("."));
                }
                texts
            })
    }

    fn topic() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![Just("a"), Just("b"), Just("cc"), Just("d")],
            1..7,
        )
        .prop_map(|segments| segments.join("."))
    }

    #[derive(Debug, Clone)]
    enum Op {
        Subscribe(usize, u64),
        Unsubscribe(usize, u64),
        Match(String),
    }

    fn op(patterns: usize) -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0..patterns, 0..6u64).prop_map(|(p, id)| Op::Subscribe(p, id)),
            2 => (0..patterns, 0..6u64).prop_map(|(p, id)| Op::Unsubscribe(p, id)),
            3 => topic().prop_map(Op::Match),
        ]
    }

    fn case() -> impl Strategy<Value = (Vec<String>, Vec<Op>)> {
        prop::collection::vec(patterns(), 1..7).prop_flat_map(|groups| {
            let texts: Vec<String> = groups.into_iter().flatten().collect();
            let count = texts.len();
            (Just(texts), prop::collection::vec(op(count), 1..20))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn the_index_answers_as_the_reference_under_interleaved_updates((texts, ops) in case()) {
            let patterns: Vec<Pattern> = texts.iter().map(|text| Pattern::parse(text).unwrap()).collect();
            let mut router = Router::new();
            let mut model: BTreeSet<(usize, u64)> = BTreeSet::new();
            let (mut ids, mut scratch) = (Vec::new(), MatchScratch::new());
            for op in &ops {
                match op {
                    Op::Subscribe(p, id) => {
                        // Equal canonical forms are one subscription.
                        let canonical = (0..patterns.len()).find(|q| patterns[*q] == patterns[*p]).unwrap();
                        prop_assert_eq!(router.subscribe(&patterns[*p], *id).unwrap(), model.insert((canonical, *id)));
                    }
                    Op::Unsubscribe(p, id) => {
                        let canonical = (0..patterns.len()).find(|q| patterns[*q] == patterns[*p]).unwrap();
                        prop_assert_eq!(router.unsubscribe(&patterns[*p], *id), model.remove(&(canonical, *id)));
                    }
                    Op::Match(topic) => {
                        router.match_into_with(topic, &mut ids, &mut scratch).unwrap();
                        let expected: BTreeSet<u64> = model
                            .iter()
                            .filter(|(p, _)| reference_matches(&texts[*p], topic))
                            .map(|(_, id)| *id)
                            .collect();
                        prop_assert_eq!(&ids, &expected.into_iter().collect::<Vec<_>>(), "{}", topic);
                        let stats = scratch.stats();
                        prop_assert!(stats.probes <= router.shape_count());
                        prop_assert!(stats.visited <= router.trie_node_count() * (stats.segments + 1));
                    }
                }
                prop_assert_eq!(router.len(), model.len());
            }
            for (p, id) in &model {
                prop_assert!(router.unsubscribe(&patterns[*p], *id));
            }
            prop_assert_eq!((router.node_count(), router.shape_count()), (1, 0));
        }
    }
}
