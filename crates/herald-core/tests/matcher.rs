//! The trie matcher: its semantics, agreement with a separately written
//! reference matcher on random input, and its bounded work on hostile input.

use herald_core::matcher::Trie;
use herald_core::{Limits, Pattern, Topic};
use proptest::prelude::*;

#[path = "common/oracle.rs"]
mod oracle;

use oracle::reference_matches;

fn trie_of(patterns: &[&str]) -> Trie<usize> {
    let mut trie = Trie::new();
    for (index, text) in patterns.iter().enumerate() {
        trie.get_or_insert_with(&Pattern::parse(text).unwrap(), || index);
    }
    trie
}

fn matched(trie: &Trie<usize>, topic: &str) -> Vec<usize> {
    let mut found = Vec::new();
    trie.for_each_match(&Topic::parse(topic).unwrap(), |index| found.push(*index));
    found.sort_unstable();
    found
}

#[test]
fn hash_matches_zero_segments() {
    let trie = trie_of(&["payment.#", "#.failed"]);
    assert_eq!(matched(&trie, "payment"), [0]);
    assert_eq!(matched(&trie, "failed"), [1]);
}

#[test]
fn hash_matches_any_number_of_leading_segments() {
    let trie = trie_of(&["#.failed"]);
    assert_eq!(matched(&trie, "external.subscribe.cancel.failed"), [0]);
    assert_eq!(
        matched(&trie, "external.subscribe.cancel"),
        [] as [usize; 0]
    );
}

#[test]
fn tail_wildcard_needs_at_least_one_segment() {
    let trie = trie_of(&["apps.payment.>"]);
    assert_eq!(matched(&trie, "apps.payment.done"), [0]);
    assert_eq!(matched(&trie, "apps.payment.a.b"), [0]);
    assert_eq!(matched(&trie, "apps.payment"), [] as [usize; 0]);
}

#[test]
fn star_matches_exactly_one_segment() {
    let trie = trie_of(&["*.message.sent"]);
    assert_eq!(matched(&trie, "sms.message.sent"), [0]);
    assert_eq!(matched(&trie, "message.sent"), [] as [usize; 0]);
}

#[test]
fn lone_hash_matches_every_topic() {
    let trie = trie_of(&["#"]);
    for topic in ["a", "a.b", "payment.card.success.x.y"] {
        assert_eq!(matched(&trie, topic), [0], "{topic:?}");
    }
}

#[test]
fn double_hash_behaves_as_hash() {
    let trie = trie_of(&["#.#"]);
    assert_eq!(trie.node_count(), 2);
    assert_eq!(matched(&trie, "a.b.c"), [0]);
}

#[test]
fn a_segment_never_interned_matches_only_wildcards() {
    let trie = trie_of(&["payment.card", "payment.*"]);
    assert_eq!(matched(&trie, "payment.wallet"), [1]);
}

#[test]
fn each_matching_pattern_is_reported_once() {
    // `#.a.#` can split `a.a.a` three ways; it must still be reported once.
    let trie = trie_of(&["#.a.#", "a.>", "#"]);
    assert_eq!(matched(&trie, "a.a.a"), [0, 1, 2]);
}

#[test]
fn removing_patterns_prunes_their_nodes_and_keeps_shared_ones() {
    let mut trie = trie_of(&["a.b.c", "a.b.#", "a.*"]);
    assert_eq!(trie.node_count(), 6);
    assert_eq!(trie.remove(&Pattern::parse("a.b.c").unwrap()), Some(0));
    assert_eq!(trie.node_count(), 5);
    assert_eq!(trie.remove(&Pattern::parse("a.b.#").unwrap()), Some(1));
    assert_eq!(trie.node_count(), 3);
    assert_eq!(trie.remove(&Pattern::parse("a.b.#").unwrap()), None);
    assert_eq!(trie.remove(&Pattern::parse("a.*").unwrap()), Some(2));
    assert_eq!(trie.node_count(), 1);
    assert_eq!(trie.pattern_count(), 0);
}

#[test]
fn removing_a_prefix_pattern_keeps_longer_ones() {
    let mut trie = trie_of(&["a", "a.b"]);
    trie.remove(&Pattern::parse("a").unwrap());
    assert_eq!(matched(&trie, "a.b"), [1]);
    assert_eq!(matched(&trie, "a"), [] as [usize; 0]);
}

#[test]
fn freed_nodes_are_reused() {
    let mut trie = trie_of(&["a.b.c"]);
    let pattern = Pattern::parse("x.y.z").unwrap();
    for _ in 0..100 {
        trie.get_or_insert_with(&pattern, || 9);
        trie.remove(&pattern);
    }
    assert_eq!(trie.node_count(), 4);
    assert_eq!(matched(&trie, "a.b.c"), [0]);
}

#[test]
fn wide_nodes_keep_working_past_the_small_vector() {
    let mut trie = Trie::new();
    let patterns: Vec<Pattern> = (0..100)
        .map(|n| Pattern::parse(&format!("root.s{n}")).unwrap())
        .collect();
    for (n, pattern) in patterns.iter().enumerate() {
        trie.get_or_insert_with(pattern, || n);
    }
    for n in (0..100).step_by(7) {
        assert_eq!(matched(&trie, &format!("root.s{n}")), [n]);
    }
    for pattern in &patterns[..97] {
        trie.remove(pattern);
    }
    assert_eq!(matched(&trie, "root.s98"), [98]);
    assert_eq!(trie.node_count(), 5);
}

// Adversarial input: the work bound of DESIGN.md §2, counted, not timed.

fn visits_within_bound(trie: &Trie<usize>, topic: &str) -> usize {
    let topic = Topic::parse(topic).unwrap();
    let stats = trie.for_each_match(&topic, |_| {});
    let bound = trie.node_count() * (topic.segment_count() + 1);
    assert!(
        stats.visited <= bound,
        "{} visits over the bound {bound}",
        stats.visited
    );
    stats.visited
}

#[test]
fn two_hashes_on_a_128_segment_topic_stay_within_the_bound() {
    let trie = trie_of(&["#.x.#.y"]);
    // Every prefix split is possible and the final `y` never comes: a
    // backtracking matcher would try O(n²) splits, an exponential one worse.
    let topic = vec!["x"; 128].join(".");
    let visits = visits_within_bound(&trie, &topic);
    assert!(matched(&trie, &topic).is_empty());
    // Root, `#`, `x` and the second `#` at most: four states per segment.
    assert!(visits <= 4 * 129, "{visits}");
}

#[test]
fn many_hash_heavy_patterns_stay_within_the_bound() {
    let words = ["a", "b", "c", "d", "e", "f"];
    let mut patterns = Vec::new();
    for first in words {
        for second in words {
            patterns.push(format!("#.{first}.#.{second}"));
            patterns.push(format!("{first}.#.{second}.#"));
            patterns.push(format!("#.{first}.{second}.#"));
            patterns.push(format!("*.#.{first}.*.#.{second}.>"));
        }
    }
    let refs: Vec<&str> = patterns.iter().map(String::as_str).collect();
    let trie = trie_of(&refs);
    let mut topic: Vec<&str> = Vec::new();
    while topic.len() < 128 {
        topic.extend(words);
    }
    topic.truncate(128);
    let topic = topic.join(".");
    visits_within_bound(&trie, &topic);
    let found = matched(&trie, &topic);
    let expected: Vec<usize> = refs
        .iter()
        .enumerate()
        .filter(|(_, pattern)| reference_matches(pattern, &topic))
        .map(|(index, _)| index)
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn the_longest_topic_the_limits_allow_is_matched_without_recursion() {
    let limits = Limits {
        max_segments: 10_000,
        max_topic_bytes: 100_000,
        ..Limits::default()
    };
    let long = vec!["a"; 10_000].join(".");
    let pattern = Pattern::parse_with(
        &format!("{long}.#"),
        &Limits {
            max_segments: 10_001,
            ..limits
        },
    );
    // A pattern deeper than any default stack could recurse through.
    let pattern = pattern.unwrap();
    let mut trie = Trie::new();
    trie.get_or_insert_with(&pattern, || 0);
    let topic = Topic::parse_with(&long, &limits).unwrap();
    let mut hits = 0;
    trie.for_each_match(&topic, |_| hits += 1);
    assert_eq!(hits, 1);
    assert_eq!(trie.remove(&pattern), Some(0));
    assert_eq!(trie.node_count(), 1);
}

// The trie against the reference, on random input from a small alphabet so
// that matches are frequent.

fn segment() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        4 => Just("a"),
        3 => Just("b"),
        2 => Just("c"),
        2 => Just("*"),
        2 => Just("#"),
    ]
}

fn pattern_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(segment(), 1..6),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(mut segments, tail)| {
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
            segments.join(".")
        })
}

fn topic_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![Just("a"), Just("b"), Just("c")], 1..8)
        .prop_map(|segments| segments.join("."))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn trie_agrees_with_the_reference_matcher(
        patterns in prop::collection::vec(pattern_text(), 1..8),
        topics in prop::collection::vec(topic_text(), 1..4),
    ) {
        let mut trie = Trie::new();
        for text in &patterns {
            trie.get_or_insert_with(&Pattern::parse(text).unwrap(), Vec::new)
                .push(text.clone());
        }
        for topic in &topics {
            let parsed = Topic::parse(topic).unwrap();
            let mut found: Vec<&str> = Vec::new();
            let stats = trie.for_each_match(&parsed, |texts| {
                found.extend(texts.iter().map(String::as_str));
            });
            prop_assert!(stats.visited <= trie.node_count() * (parsed.segment_count() + 1));
            found.sort_unstable();
            let mut expected: Vec<&str> = patterns
                .iter()
                .map(String::as_str)
                .filter(|pattern| reference_matches(pattern, topic))
                .collect();
            expected.sort_unstable();
            prop_assert_eq!(&found, &expected, "topic {}", topic);
            for text in &patterns {
                let one_off = Pattern::parse(text).unwrap().matches(&parsed);
                prop_assert_eq!(one_off, reference_matches(text, topic), "{} vs {}", text, topic);
            }
        }
    }
}

proptest! {
    #[test]
    fn removing_every_pattern_leaves_only_the_root(
        patterns in prop::collection::vec(pattern_text(), 1..8),
    ) {
        let mut trie = Trie::new();
        let parsed: Vec<Pattern> = patterns.iter().map(|text| Pattern::parse(text).unwrap()).collect();
        for pattern in &parsed {
            trie.get_or_insert_with(pattern, || ());
        }
        for pattern in &parsed {
            trie.remove(pattern);
        }
        prop_assert_eq!(trie.node_count(), 1);
        prop_assert_eq!(trie.pattern_count(), 0);
    }

    #[test]
    fn display_round_trips(text in pattern_text()) {
        let pattern = Pattern::parse(&text).unwrap();
        prop_assert_eq!(Pattern::parse(&pattern.to_string()).unwrap(), pattern);
    }
}
