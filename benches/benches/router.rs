//! Router benchmarks: the shape index (herald), the trie router it replaced
//! (the baseline) and, where one can run, a peer library — side by side in
//! each group, on the corpora of `herald_benches::corpus` (100,000 distinct
//! topics, half hits, routed in order from one buffer).
//!
//! Every group first checks that all contenders return the same ids (the
//! peer and the naive scan on a sample, the baseline on every topic) and
//! panics otherwise, so a benchmark cannot time a wrong answer.
//!
//! ```text
//! cargo bench -p herald-benches --bench router                 # the figures
//! HERALD_BENCH_SMOKE=1 cargo bench -p herald-benches --bench router   # seconds: small corpora, answers checked
//! ```
//!
//! | group | contenders | peer? |
//! |---|---|---|
//! | `compare` (event-1k, event-10k) | herald, trie, `RegexSet`, linear scan | yes |
//! | `scaling` (event-1k … event-1m) | herald, trie | no: a `RegexSet` of 100k+ patterns does not build in reasonable time and memory |
//! | `nats` (the NATS server's benchmark subjects) | herald, trie | the NATS server itself is Go: `route-bench --write` feeds it the same files |
//! | `cached` (event-100k) | `match_cached` at 100 % and at ~0 % hits, uncached | no peer caches per caller |
//! | `churn`, `fanout`, `adversarial` | herald, trie (+ linear scan for adversarial) | no: `RegexSet` cannot change without a rebuild |

use std::hint::black_box;

use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main,
};
use herald_benches::baseline::TrieRouter;
use herald_benches::corpus::{RouteCorpus, TopicStream};
use herald_benches::measurement::CpuTime;
use herald_benches::smoke;
use herald_benches::{LinearScan, hash_heavy, regex_haystack, regex_set, router_of, two_hashes};
use herald_core::{MatchCache, MatchScratch, Pattern, Router};

/// Distinct topics per corpus: all of them, or 2,000 in smoke mode.
fn topic_count() -> usize {
    if smoke() { 2_000 } else { 100_000 }
}

fn corpus(name: &str) -> RouteCorpus {
    RouteCorpus::named(name, topic_count()).expect("a corpus name")
}

fn trie_of(subscriptions: &[(Pattern, u64)]) -> TrieRouter {
    let mut trie = TrieRouter::new();
    for (pattern, id) in subscriptions {
        trie.subscribe(pattern, *id);
    }
    trie
}

/// Panics unless herald and the trie agree on every topic.
fn assert_same_as_trie(name: &str, router: &Router, trie: &TrieRouter, topics: &[String]) {
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for topic in topics {
        router.match_into(topic, &mut ours).unwrap();
        trie.match_into(topic, &mut theirs).unwrap();
        assert_eq!(
            ours, theirs,
            "{name}: herald and the trie differ on {topic}"
        );
    }
}

/// Times routing `topics` one after the other, in order, wrapping around,
/// read from one buffer as a stream arrives ([`TopicStream`]).
fn bench_stream(
    group: &mut BenchmarkGroup<'_, CpuTime>,
    id: BenchmarkId,
    topics: &[String],
    mut route: impl FnMut(&str, &mut Vec<u64>),
) {
    let stream = TopicStream::of(topics);
    let mut out = Vec::with_capacity(1024);
    let mut next = 0;
    group.bench_function(id, |b| {
        b.iter(|| {
            next = if next + 1 == stream.len() {
                0
            } else {
                next + 1
            };
            route(black_box(stream.get(next)), &mut out);
            black_box(out.len())
        })
    });
}

/// herald, the trie, the tuned `RegexSet` and the naive scan.
fn compare(c: &mut Criterion<CpuTime>) {
    let mut group = c.benchmark_group("compare");
    group.throughput(Throughput::Elements(1));
    for name in ["event-1k", "event-10k"] {
        let corpus = corpus(name);
        let subscriptions = corpus.parsed();
        let router = router_of(&subscriptions);
        let trie = trie_of(&subscriptions);
        let set = regex_set(&subscriptions);
        let ids: Vec<u64> = subscriptions.iter().map(|(_, id)| *id).collect();
        let haystacks: Vec<String> = corpus.topics.iter().map(|t| regex_haystack(t)).collect();
        let scan = LinearScan::new(subscriptions);
        assert_same_as_trie(name, &router, &trie, &corpus.topics);
        let (mut ours, mut peer, mut naive) = (Vec::new(), Vec::new(), Vec::new());
        for (topic, haystack) in corpus.topics.iter().zip(&haystacks).take(1_000) {
            router.match_into(topic, &mut ours).unwrap();
            scan.match_into(topic, &mut naive).unwrap();
            peer.clear();
            peer.extend(set.matches(haystack.as_bytes()).iter().map(|at| ids[at]));
            peer.sort_unstable();
            peer.dedup();
            assert_eq!(ours, naive, "{name}: herald and the scan differ on {topic}");
            assert_eq!(ours, peer, "{name}: herald and RegexSet differ on {topic}");
        }
        bench_stream(
            &mut group,
            BenchmarkId::new("herald", name),
            &corpus.topics,
            |t, out| router.match_into(t, out).unwrap(),
        );
        bench_stream(
            &mut group,
            BenchmarkId::new("trie", name),
            &corpus.topics,
            |t, out| trie.match_into(t, out).unwrap(),
        );
        bench_stream(
            &mut group,
            BenchmarkId::new("regex_set", name),
            &haystacks,
            |h, out| {
                out.clear();
                out.extend(set.matches(h.as_bytes()).iter().map(|at| ids[at]));
                out.sort_unstable();
                out.dedup();
            },
        );
        bench_stream(
            &mut group,
            BenchmarkId::new("linear_scan", name),
            &corpus.topics,
            |t, out| scan.match_into(t, out).unwrap(),
        );
    }
    group.finish();
}

/// herald and the trie from 1k to 1M patterns (1k and 10k in smoke mode).
fn scaling(c: &mut Criterion<CpuTime>) {
    let mut group = c.benchmark_group("scaling");
    group.throughput(Throughput::Elements(1));
    let names: &[&str] = if smoke() {
        &["event-1k", "event-10k"]
    } else {
        &["event-1k", "event-10k", "event-100k", "event-1m"]
    };
    for name in names {
        let corpus = corpus(name);
        let subscriptions = corpus.parsed();
        let router = router_of(&subscriptions);
        let trie = trie_of(&subscriptions);
        assert_same_as_trie(name, &router, &trie, &corpus.topics);
        bench_stream(
            &mut group,
            BenchmarkId::new("herald", name),
            &corpus.topics,
            |t, out| router.match_into(t, out).unwrap(),
        );
        bench_stream(
            &mut group,
            BenchmarkId::new("trie", name),
            &corpus.topics,
            |t, out| trie.match_into(t, out).unwrap(),
        );
    }
    group.finish();
}

/// The NATS server's own benchmark subjects.
fn nats(c: &mut Criterion<CpuTime>) {
    let corpus = corpus("nats");
    let subscriptions = corpus.parsed();
    let router = router_of(&subscriptions);
    let trie = trie_of(&subscriptions);
    assert_same_as_trie("nats", &router, &trie, &corpus.topics);
    let mut group = c.benchmark_group("nats");
    group.throughput(Throughput::Elements(1));
    bench_stream(
        &mut group,
        BenchmarkId::new("herald", "nats"),
        &corpus.topics,
        |t, out| router.match_into(t, out).unwrap(),
    );
    bench_stream(
        &mut group,
        BenchmarkId::new("trie", "nats"),
        &corpus.topics,
        |t, out| trie.match_into(t, out).unwrap(),
    );
    group.finish();
}

/// How often `match_cached` answers from the cache over one pass of
/// `topics` (a hit leaves the cache's size as it was).
fn hit_rate(
    snapshot: &herald_core::RouterSnapshot,
    cache: &mut MatchCache,
    topics: &[String],
) -> f64 {
    let mut ids = Vec::new();
    let mut hits = 0;
    for topic in topics {
        let before = cache.len();
        snapshot.match_cached(topic, cache, &mut ids).unwrap();
        hits += usize::from(before > 0 && cache.len() == before);
    }
    hits as f64 / topics.len() as f64
}

/// `MatchCache` at both ends: 1,024 repeated topics (every call a hit after
/// the first round) and the whole stream of distinct topics through a 4,096
/// cache (every call a miss), next to the uncached call.
fn cached(c: &mut Criterion<CpuTime>) {
    let name = if smoke() { "event-10k" } else { "event-100k" };
    let corpus = corpus(name);
    let router = router_of(&corpus.parsed());
    let snapshot = router.snapshot();
    let hot: Vec<String> = corpus.topics.iter().take(1_024).cloned().collect();
    let mut group = c.benchmark_group("cached");
    group.throughput(Throughput::Elements(1));
    for (label, topics) in [
        ("1024_repeated_topics", &hot),
        ("distinct_topics", &corpus.topics),
    ] {
        let mut cache = MatchCache::with_capacity(MatchCache::DEFAULT_CAPACITY);
        let warm = hit_rate(&snapshot, &mut cache, topics);
        let rate = hit_rate(&snapshot, &mut cache, topics);
        eprintln!(
            "cached/{label}: {} topics, cache of {}: hit rate {:.1} % (first pass {:.1} %)",
            topics.len(),
            MatchCache::DEFAULT_CAPACITY,
            rate * 100.0,
            warm * 100.0
        );
        let mut check = Vec::new();
        for topic in topics.iter().take(1_000) {
            snapshot
                .match_cached(topic, &mut cache, &mut check)
                .unwrap();
            let cached_ids = check.clone();
            snapshot.match_into(topic, &mut check).unwrap();
            assert_eq!(
                cached_ids, check,
                "cached and uncached answers differ on {topic}"
            );
        }
        bench_stream(
            &mut group,
            BenchmarkId::new("match_cached", label),
            topics,
            |t, out| snapshot.match_cached(t, &mut cache, out).unwrap(),
        );
        bench_stream(
            &mut group,
            BenchmarkId::new("uncached", label),
            topics,
            |t, out| snapshot.match_into(t, out).unwrap(),
        );
    }
    group.finish();
}

/// Subscribe then unsubscribe a pattern the router does not hold (a corpus
/// pattern with its first literal renamed), on a full router.
fn churn(c: &mut Criterion<CpuTime>) {
    let name = if smoke() { "event-10k" } else { "event-100k" };
    let corpus = corpus(name);
    let subscriptions = corpus.parsed();
    let mut router = router_of(&subscriptions);
    let mut trie = trie_of(&subscriptions);
    let fresh: Vec<Pattern> = corpus
        .subscriptions
        .iter()
        .take(4_096)
        .enumerate()
        .map(|(n, (text, _))| {
            let renamed: Vec<String> = text
                .split('.')
                .enumerate()
                .map(|(at, segment)| {
                    if at == 0 && segment != "*" {
                        format!("fresh{n}")
                    } else {
                        segment.to_owned()
                    }
                })
                .collect();
            Pattern::parse(&renamed.join(".")).unwrap()
        })
        .collect();
    for pattern in &fresh {
        assert!(router.subscribe(pattern, u64::MAX).unwrap());
        assert!(trie.subscribe(pattern, u64::MAX));
    }
    assert_same_as_trie(
        name,
        &router,
        &trie,
        &corpus.topics[..1_000.min(corpus.topics.len())],
    );
    for pattern in &fresh {
        assert!(router.unsubscribe(pattern, u64::MAX));
        assert!(trie.unsubscribe(pattern, u64::MAX));
    }
    let mut group = c.benchmark_group("churn");
    group.throughput(Throughput::Elements(2));
    let mut next = 0;
    group.bench_function(BenchmarkId::new("herald", name), |b| {
        b.iter(|| {
            next = (next + 1) % fresh.len();
            router.subscribe(&fresh[next], u64::MAX).unwrap();
            black_box(router.unsubscribe(&fresh[next], u64::MAX))
        })
    });
    group.bench_function(BenchmarkId::new("trie", name), |b| {
        b.iter(|| {
            next = (next + 1) % fresh.len();
            trie.subscribe(&fresh[next], u64::MAX);
            black_box(trie.unsubscribe(&fresh[next], u64::MAX))
        })
    });
    group.finish();
}

/// 10,000 subscribers on one pattern: matching delivers them all; a change
/// in the middle of the ids.
fn fanout(c: &mut Criterion<CpuTime>) {
    let shared = Pattern::parse("fanout.#").unwrap();
    let subscriptions: Vec<(Pattern, u64)> =
        (0..10_000).map(|id| (shared.clone(), id * 2)).collect();
    let mut router = router_of(&subscriptions);
    let mut trie = trie_of(&subscriptions);
    assert_same_as_trie("fanout", &router, &trie, &["fanout.x.y".to_owned()]);
    let mut group = c.benchmark_group("fanout_10k");
    let mut out = Vec::with_capacity(10_000);
    group.throughput(Throughput::Elements(1));
    group.bench_function("herald/match", |b| {
        b.iter(|| {
            router
                .match_into(black_box("fanout.x.y"), &mut out)
                .unwrap()
        })
    });
    group.bench_function("trie/match", |b| {
        b.iter(|| trie.match_into(black_box("fanout.x.y"), &mut out).unwrap())
    });
    group.throughput(Throughput::Elements(2));
    let mut id = 0;
    group.bench_function("herald/subscribe_unsubscribe", |b| {
        b.iter(|| {
            id = (id + 7919) % 10_000;
            router.subscribe(&shared, id * 2 + 1).unwrap();
            black_box(router.unsubscribe(&shared, id * 2 + 1))
        })
    });
    group.bench_function("trie/subscribe_unsubscribe", |b| {
        b.iter(|| {
            id = (id + 7919) % 10_000;
            trie.subscribe(&shared, id * 2 + 1);
            black_box(trie.unsubscribe(&shared, id * 2 + 1))
        })
    });
    group.finish();
}

/// `#.x.#.y` against 128 × `x` (the worst case for two `#`), and 144
/// `#`-heavy patterns against a 128-segment topic, with the work bound
/// checked by counters before timing.
fn adversarial(c: &mut Criterion<CpuTime>) {
    let mut group = c.benchmark_group("adversarial_128_segments");
    let (pattern, topic) = two_hashes();
    let (patterns, cycling) = hash_heavy();
    let cases = [
        ("two_hashes", vec![pattern], topic),
        ("hash_heavy_144", patterns, cycling),
    ];
    for (label, texts, topic) in cases {
        let subscriptions: Vec<(Pattern, u64)> = texts
            .iter()
            .enumerate()
            .map(|(id, text)| (Pattern::parse(text).unwrap(), id as u64))
            .collect();
        let router = router_of(&subscriptions);
        let trie = trie_of(&subscriptions);
        let scan = LinearScan::new(subscriptions);
        assert_same_as_trie(label, &router, &trie, std::slice::from_ref(&topic));
        let (mut ours, mut naive, mut scratch) = (Vec::new(), Vec::new(), MatchScratch::new());
        router
            .match_into_with(&topic, &mut ours, &mut scratch)
            .unwrap();
        scan.match_into(&topic, &mut naive).unwrap();
        assert_eq!(ours, naive, "{label}: herald and the scan differ");
        let stats = scratch.stats();
        let bound = router.trie_node_count() * (stats.segments + 1);
        assert!(
            stats.visited <= bound,
            "{label}: {} visits over the bound {bound}",
            stats.visited
        );
        assert!(stats.probes <= router.shape_count());
        if label == "two_hashes" {
            // Root, `#`, `x` and the second `#` at most: four states per segment.
            assert!(
                stats.visited <= 4 * 129,
                "{label}: {} visits",
                stats.visited
            );
        }
        eprintln!(
            "adversarial/{label}: {} segments, {} trie states visited (bound {bound}), {} probes",
            stats.segments, stats.visited, stats.probes
        );
        group.bench_function(BenchmarkId::new("herald", label), |b| {
            b.iter(|| {
                router
                    .match_into_with(black_box(&topic), &mut ours, &mut scratch)
                    .unwrap()
            })
        });
        group.bench_function(BenchmarkId::new("trie", label), |b| {
            b.iter(|| trie.match_into(black_box(&topic), &mut ours).unwrap())
        });
        group.bench_function(BenchmarkId::new("linear_scan", label), |b| {
            b.iter(|| scan.match_into(black_box(&topic), &mut ours).unwrap())
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = herald_benches::measurement::criterion();
    targets = compare, scaling, nats, cached, churn, fanout, adversarial
}
criterion_main!(benches);
