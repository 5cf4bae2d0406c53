//! Router benchmarks: herald's trie against a linear scan and a `RegexSet`,
//! scaling from 1k to 1M patterns, churn, fanout and adversarial `#` input.
//!
//! Run with `cargo bench -p herald-benches --bench router -- --warm-up-time 1
//! --measurement-time 3`. Memory per subscription is printed to stderr; it is
//! counted by a global allocator wrapper that this benchmark binary installs.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use herald_benches::{
    Corpus, LinearScan, TOPICS, hash_heavy, mixed, nats_like, parsed, regex_for, regex_haystack,
    router_of, spread,
};
use herald_core::router::MatchCache;
use herald_core::{Pattern, Router};
use regex::RegexSet;

/// Counts live heap bytes so the memory of a router can be reported.
struct CountingAllocator;

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call forwards to `System` with the caller's arguments; the
// wrapper only adds bookkeeping on a global atomic.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as ours.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(pointer, layout) };
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as ours.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            LIVE_BYTES.fetch_add(new_size, Ordering::Relaxed);
            LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Builds a router and reports the heap bytes it holds per subscription.
fn measured_router(corpus: &Corpus) -> Router {
    let subscriptions = parsed(&corpus.subscriptions);
    let before = LIVE_BYTES.load(Ordering::Relaxed);
    let router = router_of(&subscriptions);
    let held = LIVE_BYTES.load(Ordering::Relaxed).saturating_sub(before);
    eprintln!(
        "memory {}: {} subscriptions, {} patterns, {} nodes, {held} bytes, {:.1} bytes/subscription",
        corpus.name,
        router.len(),
        router.pattern_count(),
        router.node_count(),
        held as f64 / router.len() as f64
    );
    router
}

/// Reports the average trie work per match, to read next to the timings.
fn report_visits(name: &str, router: &Router, topics: &[String]) {
    let mut out = Vec::new();
    let (mut visited, mut ids) = (0, 0);
    for topic in topics {
        visited += router.match_with_stats(topic, &mut out).unwrap().visited;
        ids += out.len();
    }
    let count = topics.len() as f64;
    eprintln!(
        "work {name}: {:.1} states visited, {:.2} ids per match",
        visited as f64 / count,
        ids as f64 / count
    );
}

/// Cycles through a topic list inside a measured closure without allocating.
fn cycle<'a>(topics: &'a [String], next: &mut usize) -> &'a str {
    *next = (*next + 1) & (TOPICS - 1);
    &topics[*next]
}

fn bench_router_topics(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    id: BenchmarkId,
    router: &Router,
    topics: &[String],
) {
    let mut out = Vec::with_capacity(1024);
    let mut next = 0;
    group.bench_function(id, |b| {
        b.iter(|| {
            router
                .match_into(black_box(cycle(topics, &mut next)), &mut out)
                .unwrap();
            black_box(out.len())
        })
    });
}

fn nats(c: &mut Criterion) {
    let corpus = nats_like();
    let router = measured_router(&corpus);
    report_visits("nats_like/hit", &router, &corpus.hits);
    report_visits("nats_like/miss", &router, &corpus.misses);
    let mut group = c.benchmark_group("nats_like");
    group.throughput(Throughput::Elements(1));
    bench_router_topics(
        &mut group,
        BenchmarkId::new("herald", "hit"),
        &router,
        &corpus.hits,
    );
    bench_router_topics(
        &mut group,
        BenchmarkId::new("herald", "miss"),
        &router,
        &corpus.misses,
    );
    group.finish();
}

fn scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaling");
    group.throughput(Throughput::Elements(1));
    for count in [1_000, 10_000, 100_000, 1_000_000] {
        let corpus = mixed(count);
        let router = measured_router(&corpus);
        if count >= 1_000_000 {
            group.sample_size(20);
        }
        report_visits(&format!("{}/hit", corpus.name), &router, &corpus.hits);
        report_visits(&format!("{}/miss", corpus.name), &router, &corpus.misses);
        bench_router_topics(
            &mut group,
            BenchmarkId::new("hit", count),
            &router,
            &corpus.hits,
        );
        bench_router_topics(
            &mut group,
            BenchmarkId::new("miss", count),
            &router,
            &corpus.misses,
        );
        if count == 1_000 || count == 100_000 {
            // The same walk over 16 distinct topics, whose nodes stay in L1/L2:
            // separates the algorithm's work from cache misses.
            let hot: Vec<String> = corpus
                .hits
                .iter()
                .take(16)
                .cycle()
                .take(TOPICS)
                .cloned()
                .collect();
            bench_router_topics(
                &mut group,
                BenchmarkId::new("hit_16_topics", count),
                &router,
                &hot,
            );
            // The same 1,024 topics through a snapshot and a per-caller
            // MatchCache: after the first round every topic is answered from
            // the cache, as repeated event names are in a real server.
            let snapshot = router.snapshot();
            let mut cache = MatchCache::new();
            let mut ids = Vec::with_capacity(64);
            let mut next = 0;
            group.bench_function(BenchmarkId::new("hit_cached", count), |b| {
                b.iter(|| {
                    let topic = cycle(&corpus.hits, &mut next);
                    snapshot
                        .match_cached(black_box(topic), &mut cache, &mut ids)
                        .unwrap();
                    ids.len()
                })
            });
        }
    }
    group.finish();
}

/// The scaling sizes over [`spread`] corpora, whose density stays constant.
fn scaling_spread(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaling_spread");
    group.throughput(Throughput::Elements(1));
    for count in [1_000, 10_000, 100_000, 1_000_000] {
        let corpus = spread(count);
        let router = measured_router(&corpus);
        if count >= 1_000_000 {
            group.sample_size(20);
        }
        report_visits(&format!("{}/hit", corpus.name), &router, &corpus.hits);
        report_visits(&format!("{}/miss", corpus.name), &router, &corpus.misses);
        bench_router_topics(
            &mut group,
            BenchmarkId::new("hit", count),
            &router,
            &corpus.hits,
        );
        bench_router_topics(
            &mut group,
            BenchmarkId::new("miss", count),
            &router,
            &corpus.misses,
        );
    }
    group.finish();
}

/// herald, the naive linear scan and `regex::RegexSet`, side by side.
fn compare(c: &mut Criterion) {
    let mut group = c.benchmark_group("compare");
    group.throughput(Throughput::Elements(1));
    for count in [1_000, 10_000] {
        let corpus = mixed(count);
        let subscriptions = parsed(&corpus.subscriptions);
        let router = router_of(&subscriptions);
        let ids: Vec<u64> = subscriptions.iter().map(|(_, id)| *id).collect();
        let set = RegexSet::new(subscriptions.iter().map(|(pattern, _)| regex_for(pattern)))
            .expect("patterns translate to valid regexes");
        let scan = LinearScan::new(subscriptions);
        let haystacks: Vec<String> = corpus.hits.iter().map(|t| regex_haystack(t)).collect();

        bench_router_topics(
            &mut group,
            BenchmarkId::new("herald", count),
            &router,
            &corpus.hits,
        );
        let mut out = Vec::with_capacity(1024);
        let mut next = 0;
        group.bench_function(BenchmarkId::new("linear_scan", count), |b| {
            b.iter(|| {
                scan.match_into(black_box(cycle(&corpus.hits, &mut next)), &mut out)
                    .unwrap();
                black_box(out.len())
            })
        });
        group.bench_function(BenchmarkId::new("regex_set", count), |b| {
            b.iter(|| {
                out.clear();
                let haystack = cycle(&haystacks, &mut next);
                out.extend(set.matches(black_box(haystack)).iter().map(|at| ids[at]));
                out.sort_unstable();
                out.dedup();
                black_box(out.len())
            })
        });
    }
    group.finish();
}

fn churn(c: &mut Criterion) {
    let corpus = mixed(100_000);
    let mut router = router_of(&parsed(&corpus.subscriptions));
    // Patterns the router does not hold, so each subscribe builds nodes and
    // each unsubscribe prunes them.
    let fresh: Vec<Pattern> = parsed(&mixed(TOPICS).subscriptions)
        .into_iter()
        .map(|(pattern, _)| pattern)
        .collect();
    let mut group = c.benchmark_group("churn_100k");
    group.throughput(Throughput::Elements(2));
    let mut next = 0;
    group.bench_function("subscribe_unsubscribe", |b| {
        b.iter(|| {
            next = (next + 1) & (TOPICS - 1);
            let pattern = &fresh[next];
            router.subscribe(pattern, u64::MAX).unwrap();
            black_box(router.unsubscribe(pattern, u64::MAX))
        })
    });
    group.throughput(Throughput::Elements(3));
    let mut out = Vec::with_capacity(1024);
    group.bench_function("subscribe_match_unsubscribe", |b| {
        b.iter(|| {
            next = (next + 1) & (TOPICS - 1);
            let pattern = &fresh[next];
            router.subscribe(pattern, u64::MAX).unwrap();
            router.match_into(&corpus.hits[next], &mut out).unwrap();
            black_box(router.unsubscribe(pattern, u64::MAX))
        })
    });
    group.finish();
}

fn fanout(c: &mut Criterion) {
    let shared = Pattern::parse("fanout.#").unwrap();
    let subscriptions: Vec<(Pattern, u64)> = (0..10_000).map(|id| (shared.clone(), id)).collect();
    let mut router = router_of(&subscriptions);
    let mut group = c.benchmark_group("fanout_10k");
    group.throughput(Throughput::Elements(1));
    let mut out = Vec::with_capacity(10_000);
    group.bench_function("match", |b| {
        b.iter(|| {
            router
                .match_into(black_box("fanout.x.y"), &mut out)
                .unwrap();
            black_box(out.len())
        })
    });
    group.throughput(Throughput::Elements(2));
    let mut id = 0;
    group.bench_function("subscribe_unsubscribe", |b| {
        b.iter(|| {
            // Ids in the middle of the existing ones: the worst place for a
            // sorted vector, nothing for a B-tree.
            id = (id + 7919) % 10_000;
            let extra = id * 2 + 20_001;
            router.subscribe(&shared, extra).unwrap();
            black_box(router.unsubscribe(&shared, extra))
        })
    });
    group.finish();
}

fn adversarial(c: &mut Criterion) {
    let (patterns, topic) = hash_heavy();
    let subscriptions: Vec<(Pattern, u64)> = patterns
        .iter()
        .enumerate()
        .map(|(id, text)| (Pattern::parse(text).unwrap(), id as u64))
        .collect();
    let two_hashes = router_of(&subscriptions[..1]);
    let many = router_of(&subscriptions);
    let scan = LinearScan::new(subscriptions);
    let mut group = c.benchmark_group("adversarial_128_segments");
    let mut out = Vec::with_capacity(1024);
    group.bench_function("herald_two_hashes", |b| {
        b.iter(|| two_hashes.match_into(black_box(&topic), &mut out).unwrap())
    });
    group.bench_function(BenchmarkId::new("herald_hash_heavy", patterns.len()), |b| {
        b.iter(|| many.match_into(black_box(&topic), &mut out).unwrap())
    });
    group.bench_function(
        BenchmarkId::new("linear_scan_hash_heavy", patterns.len()),
        |b| b.iter(|| scan.match_into(black_box(&topic), &mut out).unwrap()),
    );
    group.finish();
}

criterion_group!(
    benches,
    nats,
    scaling,
    scaling_spread,
    compare,
    churn,
    fanout,
    adversarial
);
criterion_main!(benches);
