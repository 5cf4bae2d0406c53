//! `route-bench`: the routing figures of `docs/routing.md`, one line per
//! corpus, the old trie router and the shape index side by side.
//!
//! ```text
//! cargo run --release -p herald-benches --bin route-bench -- [CORPUS...|all] [--write DIR] [--passes N] [--topics N] [--split]
//! ```
//!
//! CORPUS is `event-1k`, `event-10k`, `event-100k`, `event-1m` or `nats`
//! (see `herald_benches::corpus`). For each one it builds both routers from
//! the same subscriptions (timing the inserts and counting the heap bytes
//! each holds), checks that both give the same ids for every topic and that
//! the ids equal the naive oracle's (every pattern checked one by one) on a
//! sample, then routes all topics in order out of one buffer (as a stream
//! arrives: `herald_benches::corpus::TopicStream`), alternating old and new, and
//! prints: mean ns per match over all topics (median of the passes), p50
//! and p99 of single topics timed one by one (timer overhead subtracted),
//! inserts/s, subscribe + unsubscribe ops/s on the full router, and bytes
//! per subscription. `--write DIR` also writes the corpus files
//! (`NAME.patterns`, `NAME.topics`) that other matchers can read.
//! `--split` adds a line per corpus with the index's single-topic times
//! of hits (topics that matched a pattern) and misses apart, and where
//! the p50 of all topics falls between them.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use herald_benches::baseline::TrieRouter;
use herald_benches::corpus::{RouteCorpus, TOPIC_COUNT, TopicStream, checksum_step};
use herald_core::{Limits, Pattern, Router, Topic};

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

/// Pattern checks the naive oracle may spend per corpus.
const ORACLE_BUDGET: usize = 100_000_000;

/// Fresh patterns subscribed and unsubscribed for the update rate.
const CHURN: usize = 20_000;

struct Options {
    corpora: Vec<String>,
    write: Option<PathBuf>,
    passes: usize,
    topics: usize,
    split: bool,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        corpora: Vec::new(),
        write: None,
        passes: 5,
        topics: TOPIC_COUNT,
        split: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--write" => options.write = Some(PathBuf::from(value("--write")?)),
            "--passes" => {
                options.passes = value("--passes")?
                    .parse()
                    .map_err(|_| "--passes: a number")?;
            }
            "--topics" => {
                options.topics = value("--topics")?
                    .parse()
                    .map_err(|_| "--topics: a number")?;
            }
            "--split" => options.split = true,
            "all" => options
                .corpora
                .extend(RouteCorpus::NAMES.iter().map(|name| (*name).to_owned())),
            name if RouteCorpus::NAMES.contains(&name) => options.corpora.push(name.to_owned()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if options.corpora.is_empty() {
        return Err(format!(
            "name a corpus: {} or all",
            RouteCorpus::NAMES.join(", ")
        ));
    }
    options.passes = options.passes.max(1);
    Ok(options)
}

fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("route-bench: {message}");
            return ExitCode::from(2);
        }
    };
    println!(
        "corpus | subs | topics (hits, ids/hit) | checksum | mean ns/match old / new (×) | p50 old / new | p99 old / new | inserts/s old / new | sub+unsub ops/s old / new | B/sub old / new"
    );
    for name in &options.corpora {
        let Some(corpus) = RouteCorpus::named(name, options.topics) else {
            continue;
        };
        if let Some(dir) = &options.write
            && let Err(error) = corpus.write_to(dir)
        {
            eprintln!("route-bench: cannot write {}: {error}", dir.display());
            return ExitCode::FAILURE;
        }
        match run(&corpus, options.passes) {
            Ok((line, split)) => {
                println!("{line}");
                if options.split {
                    println!("{split}");
                }
            }
            Err(message) => {
                eprintln!("route-bench: {}: {message}", corpus.name);
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}

/// What building one router cost.
struct Built<R> {
    router: R,
    inserts_per_second: f64,
    bytes: usize,
}

fn build<R>(
    subscriptions: &[(Pattern, u64)],
    mut make: impl FnMut() -> R,
    mut insert: impl FnMut(&mut R, &Pattern, u64),
) -> Built<R> {
    let before = LIVE_BYTES.load(Ordering::Relaxed);
    let started = Instant::now();
    let mut router = make();
    for (pattern, id) in subscriptions {
        insert(&mut router, pattern, *id);
    }
    let elapsed = started.elapsed().as_secs_f64();
    Built {
        router,
        inserts_per_second: subscriptions.len() as f64 / elapsed,
        bytes: LIVE_BYTES.load(Ordering::Relaxed).saturating_sub(before),
    }
}

/// The corpus's line of figures, and its `--split` line.
fn run(corpus: &RouteCorpus, passes: usize) -> Result<(String, String), String> {
    let subscriptions = corpus.parsed();
    let limits = Limits {
        max_patterns: usize::MAX,
        ..Limits::default()
    };
    let old = build(&subscriptions, TrieRouter::new, |router, pattern, id| {
        router.subscribe(pattern, id);
    });
    let new = build(
        &subscriptions,
        || Router::with_limits(limits),
        |router, pattern, id| {
            router.subscribe(pattern, id).expect("no pattern limit");
        },
    );
    let (mut old_router, mut new_router) = (old.router, new.router);

    // Answers first: both routers agree on every topic, and agree with the
    // naive oracle on a sample, before anything is timed.
    let (mut old_ids, mut new_ids) = (Vec::with_capacity(1024), Vec::with_capacity(1024));
    let (mut checksum, mut hits, mut hit_ids) = (0u64, 0usize, 0usize);
    for topic in &corpus.topics {
        old_router
            .match_into(topic, &mut old_ids)
            .map_err(|e| e.to_string())?;
        new_router
            .match_into(topic, &mut new_ids)
            .map_err(|e| e.to_string())?;
        if old_ids != new_ids {
            return Err(format!("{topic}: old trie {old_ids:?}, index {new_ids:?}"));
        }
        checksum = checksum_step(checksum, &new_ids);
        if !new_ids.is_empty() {
            hits += 1;
            hit_ids += new_ids.len();
        }
    }
    let sample = (ORACLE_BUDGET / subscriptions.len()).clamp(1, corpus.topics.len());
    let stride = corpus.topics.len() / sample;
    for topic in corpus.topics.iter().step_by(stride.max(1)) {
        let parsed = Topic::parse(topic).map_err(|e| e.to_string())?;
        let mut expected: Vec<u64> = subscriptions
            .iter()
            .filter(|(pattern, _)| pattern.matches(&parsed))
            .map(|(_, id)| *id)
            .collect();
        expected.sort_unstable();
        expected.dedup();
        new_router
            .match_into(topic, &mut new_ids)
            .map_err(|e| e.to_string())?;
        if expected != new_ids {
            return Err(format!("{topic}: oracle {expected:?}, index {new_ids:?}"));
        }
    }

    // Mean over all topics in order, old and new alternating, read from
    // one buffer as a stream arrives.
    let stream = corpus.stream();
    let (mut old_means, mut new_means) = (Vec::new(), Vec::new());
    for _ in 0..passes {
        old_means.push(mean_ns(&stream, |topic, out| {
            old_router.match_into(topic, out).is_ok()
        }));
        new_means.push(mean_ns(&stream, |topic, out| {
            new_router.match_into(topic, out).is_ok()
        }));
    }
    let old_mean = median(&mut old_means);
    let new_mean = median(&mut new_means);
    let overhead = timer_overhead();
    let old_single = single_ns(&stream, overhead, |topic, out| {
        old_router.match_into(topic, out).is_ok()
    });
    let new_singles = singles(&stream, overhead, |topic, out| {
        new_router.match_into(topic, out).is_ok()
    });
    let new_single = (quantile(&new_singles, 0.50), quantile(&new_singles, 0.99));
    let split = split_line(&corpus.name, &new_singles);

    // Updates on the full router: a fresh pattern (same shape as a corpus
    // pattern, one literal renamed) subscribed, then unsubscribed.
    let fresh = fresh_patterns(&corpus.subscriptions);
    let old_churn = ops_per_second(&fresh, |pattern, id| {
        old_router.subscribe(pattern, id);
        old_router.unsubscribe(pattern, id);
    });
    let new_churn = ops_per_second(&fresh, |pattern, id| {
        new_router.subscribe(pattern, id).expect("no pattern limit");
        new_router.unsubscribe(pattern, id);
    });
    if new_router.len() != subscriptions.len() {
        return Err("churn changed the router".into());
    }

    let count = subscriptions.len() as f64;
    let line = format!(
        "{} | {} | {} ({}, {:.2}) | {checksum:#018x} ok, oracle on {} | {:.0} / {:.0} ({:.1}×) | {:.0} / {:.0} | {:.0} / {:.0} | {} / {} | {} / {} | {:.0} / {:.0}",
        corpus.name,
        subscriptions.len(),
        corpus.topics.len(),
        hits,
        hit_ids as f64 / hits.max(1) as f64,
        corpus.topics.len().div_ceil(stride.max(1)),
        old_mean,
        new_mean,
        old_mean / new_mean,
        old_single.0,
        new_single.0,
        old_single.1,
        new_single.1,
        rate(old.inserts_per_second),
        rate(new.inserts_per_second),
        rate(old_churn),
        rate(new_churn),
        old.bytes as f64 / count,
        new.bytes as f64 / count,
    );
    Ok((line, split))
}

fn mean_ns(topics: &TopicStream, mut route: impl FnMut(&str, &mut Vec<u64>) -> bool) -> f64 {
    let mut out = Vec::with_capacity(1024);
    let started = Instant::now();
    for topic in topics.iter() {
        black_box(route(black_box(topic), &mut out));
    }
    started.elapsed().as_nanos() as f64 / topics.len() as f64
}

/// The cost of reading the clock twice, subtracted from single timings.
fn timer_overhead() -> f64 {
    let mut samples: Vec<f64> = (0..10_001)
        .map(|_| {
            let started = Instant::now();
            black_box(());
            started.elapsed().as_nanos() as f64
        })
        .collect();
    median(&mut samples)
}

/// (p50, p99) of single topics, each timed alone.
fn single_ns(
    topics: &TopicStream,
    overhead: f64,
    route: impl FnMut(&str, &mut Vec<u64>) -> bool,
) -> (f64, f64) {
    let samples = singles(topics, overhead, route);
    (quantile(&samples, 0.50), quantile(&samples, 0.99))
}

/// One timed topic: nanoseconds, and whether it matched any pattern.
type Single = (f64, bool);

/// Every topic timed alone, in routing order, then sorted by time.
fn singles(
    topics: &TopicStream,
    overhead: f64,
    mut route: impl FnMut(&str, &mut Vec<u64>) -> bool,
) -> Vec<Single> {
    let mut out = Vec::with_capacity(1024);
    let mut samples: Vec<Single> = topics
        .iter()
        .map(|topic| {
            let started = Instant::now();
            black_box(route(black_box(topic), &mut out));
            let ns = (started.elapsed().as_nanos() as f64 - overhead).max(0.0);
            (ns, !out.is_empty())
        })
        .collect();
    samples.sort_by(|a, b| a.0.total_cmp(&b.0));
    samples
}

/// The time at `quantile` of sorted `samples` (0 if there are none).
fn quantile(samples: &[Single], quantile: f64) -> f64 {
    match samples.len() {
        0 => 0.0,
        len => samples[((len - 1) as f64 * quantile) as usize].0,
    }
}

/// The `--split` line: the index's hits and misses timed apart, and the
/// share of each on the wrong side of the p50 of all topics (misses
/// slower, hits faster), which says which of them sets that p50.
fn split_line(corpus: &str, samples: &[Single]) -> String {
    let (hits, misses): (Vec<Single>, Vec<Single>) = samples.iter().partition(|sample| sample.1);
    let p50 = quantile(samples, 0.50);
    let share = |part: &[Single], beyond: &dyn Fn(f64) -> bool| {
        100.0 * part.iter().filter(|sample| beyond(sample.0)).count() as f64
            / part.len().max(1) as f64
    };
    format!(
        "{corpus} index split | hits {:.1} %: p10 {:.0} p50 {:.0} p99 {:.0} | misses: p50 {:.0} p90 {:.0} p99 {:.0} | all p50 {p50:.0}: {:.1} % of misses above, {:.1} % of hits below",
        100.0 * hits.len() as f64 / samples.len().max(1) as f64,
        quantile(&hits, 0.10),
        quantile(&hits, 0.50),
        quantile(&hits, 0.99),
        quantile(&misses, 0.50),
        quantile(&misses, 0.90),
        quantile(&misses, 0.99),
        share(&misses, &|ns| ns > p50),
        share(&hits, &|ns| ns < p50),
    )
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Patterns the router does not hold: a corpus pattern with its first
/// literal renamed, so the shapes are the corpus's own.
fn fresh_patterns(subscriptions: &[(String, u64)]) -> Vec<Pattern> {
    subscriptions
        .iter()
        .cycle()
        .take(CHURN)
        .enumerate()
        .map(|(n, (text, _))| {
            let mut segments: Vec<String> = text.split('.').map(str::to_owned).collect();
            if let Some(literal) = segments
                .iter_mut()
                .find(|segment| !matches!(segment.as_str(), "*" | "#" | ">"))
            {
                *literal = format!("churn{n}");
            } else {
                segments.insert(0, format!("churn{n}"));
            }
            Pattern::parse(&segments.join(".")).expect("a valid pattern")
        })
        .collect()
}

fn ops_per_second(patterns: &[Pattern], mut pair: impl FnMut(&Pattern, u64)) -> f64 {
    let started = Instant::now();
    for (n, pattern) in patterns.iter().enumerate() {
        pair(pattern, u64::MAX - n as u64);
    }
    (2 * patterns.len()) as f64 / started.elapsed().as_secs_f64()
}

fn rate(per_second: f64) -> String {
    if per_second >= 1e6 {
        format!("{:.2}M", per_second / 1e6)
    } else {
        format!("{:.0}k", per_second / 1e3)
    }
}
