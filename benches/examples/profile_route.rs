//! Routes every topic of one corpus through the shape index (or, with
//! `old`, the trie baseline), for profilers: `valgrind --tool=callgrind
//! --collect-atstart=no --toggle-collect='*route_all*' target/release/examples/profile_route event-1k`
//! counts the instructions of the matches alone. The topics are read from
//! one buffer in routing order, as a stream arrives.

use std::hint::black_box;

use herald_benches::baseline::TrieRouter;
use herald_benches::corpus::{RouteCorpus, TopicStream};
use herald_core::{Limits, Router};

#[inline(never)]
fn route_all(topics: &TopicStream, mut route: impl FnMut(&str, &mut Vec<u64>)) -> usize {
    let mut out = Vec::with_capacity(1024);
    let mut total = 0;
    for topic in topics.iter() {
        route(black_box(topic), &mut out);
        total += out.len();
    }
    total
}

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "event-1k".into());
    let old = args.next().as_deref() == Some("old");
    let corpus = RouteCorpus::named(&name, 100_000).expect("a corpus name");
    let subscriptions = corpus.parsed();
    let total = if old {
        let mut router = TrieRouter::new();
        for (pattern, id) in &subscriptions {
            router.subscribe(pattern, *id);
        }
        route_all(&corpus.stream(), |topic, out| {
            router.match_into(topic, out).unwrap();
        })
    } else {
        let mut router = Router::with_limits(Limits {
            max_patterns: usize::MAX,
            ..Limits::default()
        });
        for (pattern, id) in &subscriptions {
            router.subscribe(pattern, *id).unwrap();
        }
        let mut scratch = herald_core::MatchScratch::new();
        let (mut probes, mut out) = (0, Vec::new());
        for topic in &corpus.topics {
            router
                .match_into_with(topic, &mut out, &mut scratch)
                .unwrap();
            probes += scratch.stats().probes;
        }
        let bytes: usize = corpus.topics.iter().map(String::len).sum();
        eprintln!(
            "{} shapes, {:.1} probes and {:.1} bytes per topic",
            router.shape_count(),
            probes as f64 / corpus.topics.len() as f64,
            bytes as f64 / corpus.topics.len() as f64
        );
        route_all(&corpus.stream(), |topic, out| {
            router.match_into(topic, out).unwrap();
        })
    };
    println!("{} topics, {total} ids", corpus.topics.len());
}
