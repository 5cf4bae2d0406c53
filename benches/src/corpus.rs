//! Routing corpora for `route-bench` and the router benchmarks: subscriptions
//! plus 100,000 **distinct** topics, half of which match, in a fixed order.
//!
//! Two shapes:
//!
//! * **event** — event-type names of 3–6 segments over a 200-word vocabulary
//!   in four families (domain, entity, action, qualifier): 80 % literal
//!   patterns, 10 % with one or two `*`, 10 % ending in `>` after at least
//!   three literals. Wildcard patterns are made from literal names, so they
//!   match real topics. Hits instantiate a random pattern; misses are random
//!   names from the same vocabulary that match nothing.
//! * **nats** — the NATS server's own sublist benchmark: every literal
//!   subject of depth 1–5 over its eight tokens (37,448) plus its three
//!   wildcard subscriptions (`cloud.>`, `cloud.nats.component.>`,
//!   `cloud.*.*.nkeys.*`), 37,451 in all.
//!
//! Everything comes from a fixed seed, so every run and every language that
//! reads the written files sees the same input. Nothing here is timed.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

use herald_core::{Pattern, Topic};

use crate::baseline::TrieRouter;

/// Distinct topics per corpus.
pub const TOPIC_COUNT: usize = 100_000;

/// Subscriptions and the topics to route through them.
#[derive(Debug, Clone)]
pub struct RouteCorpus {
    /// Its name on the command line, such as `event-100k`.
    pub name: String,
    /// (pattern text, subscriber id); pattern texts are distinct.
    pub subscriptions: Vec<(String, u64)>,
    /// Distinct topics in routing order, hits and misses interleaved.
    pub topics: Vec<String>,
}

impl RouteCorpus {
    /// The corpus called `name`: `event-1k`, `event-10k`, `event-100k`,
    /// `event-1m` or `nats`; `topics` distinct topics (at most
    /// [`TOPIC_COUNT`] are meaningful for the published figures).
    pub fn named(name: &str, topics: usize) -> Option<RouteCorpus> {
        let patterns = match name {
            "event-1k" => 1_000,
            "event-10k" => 10_000,
            "event-100k" => 100_000,
            "event-1m" => 1_000_000,
            "nats" => return Some(nats(topics)),
            _ => return None,
        };
        Some(event(name, patterns, topics))
    }

    /// Every corpus name, smallest first.
    pub const NAMES: [&'static str; 5] =
        ["event-1k", "event-10k", "event-100k", "event-1m", "nats"];

    /// The topics packed in routing order, for timing (see [`TopicStream`]).
    pub fn stream(&self) -> TopicStream {
        TopicStream::of(&self.topics)
    }

    /// The subscriptions, parsed.
    pub fn parsed(&self) -> Vec<(Pattern, u64)> {
        crate::parsed(&self.subscriptions)
    }

    /// Writes `NAME.patterns` (`<id> <pattern>` lines, the CLI's `route
    /// --subs` format) and `NAME.topics` (one per line) into `dir`.
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let mut patterns = String::new();
        for (text, id) in &self.subscriptions {
            let _ = writeln!(patterns, "{id} {text}");
        }
        std::fs::write(dir.join(format!("{}.patterns", self.name)), patterns)?;
        let mut topics = self.topics.join("\n");
        topics.push('\n');
        std::fs::write(dir.join(format!("{}.topics", self.name)), topics)
    }
}

/// A corpus's topics as a router meets them in a stream: one buffer, in
/// routing order, each topic right after the one before (the `NAME.topics`
/// file read into memory).
///
/// The timed loops route from this, not from [`RouteCorpus::topics`]: those
/// strings were allocated before the topics were shuffled into routing
/// order, so walking them in order reads each one from a random address,
/// a DRAM and TLB miss per topic (some 170 ns on the project VM) that
/// belongs to the harness, not to the router. A server routes topics out of
/// the buffer it just received them into.
#[derive(Debug, Clone)]
pub struct TopicStream {
    text: String,
    /// Where each topic starts in `text`, then where the last one ends.
    starts: Vec<usize>,
}

impl TopicStream {
    /// The stream of `topics`, in their order.
    pub fn of(topics: &[String]) -> TopicStream {
        let mut text = String::with_capacity(topics.iter().map(String::len).sum());
        let mut starts = Vec::with_capacity(topics.len() + 1);
        for topic in topics {
            starts.push(text.len());
            text.push_str(topic);
        }
        starts.push(text.len());
        TopicStream { text, starts }
    }

    /// How many topics.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Topic `at` (below [`len`](Self::len)).
    #[inline]
    pub fn get(&self, at: usize) -> &str {
        &self.text[self.starts[at]..self.starts[at + 1]]
    }

    /// The topics, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.starts
            .windows(2)
            .map(|span| &self.text[span[0]..span[1]])
    }
}

/// Folds one topic's ids into a running checksum: order-independent within a
/// topic, order-dependent across topics, easy to compute in any language
/// (wrapping 64-bit arithmetic).
pub fn checksum_step(checksum: u64, ids: &[u64]) -> u64 {
    let topic = ids.iter().fold(0u64, |sum, id| {
        sum.wrapping_add(id.wrapping_add(1).wrapping_mul(0x9e37_79b9_7f4a_7c15))
    });
    checksum.wrapping_mul(31).wrapping_add(topic)
}

const DOMAINS: [&str; 24] = [
    "payment",
    "wallet",
    "user",
    "order",
    "invoice",
    "subscription",
    "account",
    "session",
    "refund",
    "payout",
    "ledger",
    "asset",
    "customer",
    "merchant",
    "device",
    "promo",
    "voucher",
    "loyalty",
    "kyc",
    "fraud",
    "dispute",
    "transfer",
    "catalog",
    "report",
];
const ENTITY_STEMS: [&str; 16] = [
    "card", "bank", "balance", "token", "profile", "address", "email", "phone", "item", "price",
    "plan", "trial", "charge", "fee", "receipt", "grant",
];
const ENTITY_KINDS: [&str; 4] = ["", "_batch", "_link", "_hold"];
const ACTION_STEMS: [&str; 32] = [
    "created",
    "updated",
    "deleted",
    "succeeded",
    "failed",
    "pending",
    "expired",
    "renewed",
    "cancelled",
    "refunded",
    "captured",
    "authorized",
    "declined",
    "settled",
    "reversed",
    "opened",
    "closed",
    "locked",
    "unlocked",
    "verified",
    "rejected",
    "approved",
    "granted",
    "revoked",
    "started",
    "stopped",
    "paused",
    "resumed",
    "sent",
    "received",
    "read",
    "archived",
];
const ACTION_KINDS: [&str; 2] = ["", "_late"];
const QUALIFIER_STEMS: [&str; 24] = [
    "eu", "us", "apac", "test", "live", "v1", "v2", "retry", "bulk", "manual", "auto", "partial",
    "full", "web", "ios", "android", "api", "admin", "internal", "external", "sandbox", "prod",
    "beta", "alpha",
];
const QUALIFIER_KINDS: [&str; 2] = ["", "x"];

/// The four word families: 24 domains, 64 entities, 64 actions, 48 qualifiers.
struct Vocabulary {
    families: [Vec<String>; 4],
}

impl Vocabulary {
    fn new() -> Self {
        let combine = |stems: &[&str], kinds: &[&str]| -> Vec<String> {
            kinds
                .iter()
                .flat_map(|kind| stems.iter().map(move |stem| format!("{stem}{kind}")))
                .collect()
        };
        Vocabulary {
            families: [
                DOMAINS.iter().map(|word| (*word).to_owned()).collect(),
                combine(&ENTITY_STEMS, &ENTITY_KINDS),
                combine(&ACTION_STEMS, &ACTION_KINDS),
                combine(&QUALIFIER_STEMS, &QUALIFIER_KINDS),
            ],
        }
    }

    /// A random word for segment `position` (qualifiers repeat from 3 on).
    fn word(&self, rng: &mut fastrand::Rng, position: usize) -> &str {
        let family = &self.families[position.min(3)];
        &family[rng.usize(..family.len())]
    }

    /// A random event name of `depth` segments.
    fn name(&self, rng: &mut fastrand::Rng, depth: usize) -> Vec<String> {
        (0..depth).map(|at| self.word(rng, at).to_owned()).collect()
    }
}

/// Depth of a generated name: 3 rarely (its space is small), else 4–6.
fn depth(rng: &mut fastrand::Rng) -> usize {
    match rng.u32(..20) {
        0 => 3,
        roll => 4 + (roll as usize % 3),
    }
}

fn event(name: &str, count: usize, topic_count: usize) -> RouteCorpus {
    let words = Vocabulary::new();
    let mut rng = fastrand::Rng::with_seed(count as u64);
    let mut seen: HashSet<String> = HashSet::with_capacity(count);
    let mut literals: Vec<Vec<String>> = Vec::new();
    let mut patterns: Vec<Vec<String>> = Vec::with_capacity(count);
    while patterns.len() < count {
        let roll = rng.u32(..10);
        let base = if literals.is_empty() || roll < 8 {
            let depth = depth(&mut rng);
            words.name(&mut rng, depth)
        } else {
            literals[rng.usize(..literals.len())].clone()
        };
        let mut segments = base.clone();
        match roll {
            8 => {
                let stars = 1 + rng.usize(..2);
                for _ in 0..stars {
                    let at = rng.usize(..segments.len());
                    segments[at] = "*".into();
                }
            }
            9 => {
                if segments.len() < 4 {
                    continue;
                }
                segments.truncate(3 + rng.usize(..segments.len() - 3));
                segments.push(">".into());
            }
            _ => {}
        }
        let text = segments.join(".");
        if seen.insert(text) {
            if roll < 8 {
                literals.push(base);
            }
            patterns.push(segments);
        }
    }
    let subscriptions: Vec<(String, u64)> = patterns
        .iter()
        .enumerate()
        .map(|(id, segments)| (segments.join("."), id as u64))
        .collect();

    let hits = topic_count / 2;
    let mut topics: HashSet<String> = HashSet::with_capacity(topic_count);
    let mut hit_list = Vec::with_capacity(hits);
    while hit_list.len() < hits {
        let pattern = &patterns[rng.usize(..patterns.len())];
        let mut topic = Vec::with_capacity(pattern.len() + 2);
        for (at, segment) in pattern.iter().enumerate() {
            match segment.as_str() {
                "*" => topic.push(words.word(&mut rng, at).to_owned()),
                ">" => {
                    for extra in 0..1 + rng.usize(..2) {
                        topic.push(words.word(&mut rng, at + extra).to_owned());
                    }
                }
                literal => topic.push(literal.to_owned()),
            }
        }
        let topic = topic.join(".");
        if topics.insert(topic.clone()) {
            hit_list.push(topic);
        }
    }
    let router = baseline_of(&subscriptions);
    let misses = misses(&mut rng, &router, &mut topics, topic_count - hits, |rng| {
        let depth = depth(rng);
        words.name(rng, depth).join(".")
    });
    RouteCorpus {
        name: name.to_owned(),
        subscriptions,
        topics: interleave(&mut rng, hit_list, misses),
    }
}

/// The NATS server's sublist benchmark tokens.
const NATS_TOKENS: [&str; 8] = [
    "synadia",
    "nats",
    "jetstream",
    "nkeys",
    "jwt",
    "deny",
    "auth",
    "drain",
];

fn nats(topic_count: usize) -> RouteCorpus {
    let mut subjects = Vec::new();
    let mut layer = vec![String::new()];
    for _depth in 1..=5 {
        let mut deeper = Vec::with_capacity(layer.len() * NATS_TOKENS.len());
        for prefix in &layer {
            for token in NATS_TOKENS {
                deeper.push(if prefix.is_empty() {
                    token.to_owned()
                } else {
                    format!("{prefix}.{token}")
                });
            }
        }
        subjects.extend(deeper.iter().cloned());
        layer = deeper;
    }
    let literal_count = subjects.len();
    subjects.extend(
        ["cloud.>", "cloud.nats.component.>", "cloud.*.*.nkeys.*"]
            .iter()
            .map(|text| (*text).to_owned()),
    );
    let subscriptions: Vec<(String, u64)> = subjects
        .into_iter()
        .enumerate()
        .map(|(id, text)| (text, id as u64))
        .collect();

    let mut rng = fastrand::Rng::with_seed(37_451);
    let cloud_words: Vec<&str> = NATS_TOKENS
        .iter()
        .copied()
        .chain(["component", "router"])
        .collect();
    let hits = topic_count / 2;
    let mut topics: HashSet<String> = HashSet::with_capacity(topic_count);
    let mut hit_list = Vec::with_capacity(hits);
    while hit_list.len() < hits {
        let topic = if rng.u32(..10) < 7 {
            subscriptions[rng.usize(..literal_count)].0.clone()
        } else {
            let mut topic = vec!["cloud"];
            for _ in 0..1 + rng.usize(..5) {
                topic.push(cloud_words[rng.usize(..cloud_words.len())]);
            }
            topic.join(".")
        };
        if topics.insert(topic.clone()) {
            hit_list.push(topic);
        }
    }
    let router = baseline_of(&subscriptions);
    let misses = misses(&mut rng, &router, &mut topics, topic_count - hits, |rng| {
        let depth = 1 + rng.usize(..6);
        let mut topic: Vec<String> = (0..depth)
            .map(|_| NATS_TOKENS[rng.usize(..NATS_TOKENS.len())].to_owned())
            .collect();
        if depth < 6 {
            let at = rng.usize(..depth);
            topic[at] = format!("z{}", rng.u32(..10_000));
        }
        topic.join(".")
    });
    RouteCorpus {
        name: "nats".into(),
        subscriptions,
        topics: interleave(&mut rng, hit_list, misses),
    }
}

fn baseline_of(subscriptions: &[(String, u64)]) -> TrieRouter {
    let mut router = TrieRouter::new();
    for (pattern, id) in crate::parsed(subscriptions) {
        router.subscribe(&pattern, id);
    }
    router
}

/// `count` new distinct topics from `make` that match nothing.
fn misses(
    rng: &mut fastrand::Rng,
    router: &TrieRouter,
    topics: &mut HashSet<String>,
    count: usize,
    mut make: impl FnMut(&mut fastrand::Rng) -> String,
) -> Vec<String> {
    let mut misses = Vec::with_capacity(count);
    let mut ids = Vec::new();
    while misses.len() < count {
        let topic = make(rng);
        if topics.contains(&topic) || Topic::parse(&topic).is_err() {
            continue;
        }
        router
            .match_into(&topic, &mut ids)
            .expect("generated topics are valid");
        if ids.is_empty() {
            topics.insert(topic.clone());
            misses.push(topic);
        }
    }
    misses
}

/// Hits and misses in one random order.
fn interleave(rng: &mut fastrand::Rng, hits: Vec<String>, misses: Vec<String>) -> Vec<String> {
    let mut topics: Vec<String> = hits.into_iter().chain(misses).collect();
    rng.shuffle(&mut topics);
    topics
}
