//! Shared corpora and baselines for the herald benchmarks (routing and
//! validation).
//!
//! Everything here is generated from a fixed seed, so every run measures the
//! same input; nothing is read from disk. Corpus construction is never part of
//! a measured closure.

use herald_core::{Catalogue, Pattern, Router, Topic};

pub mod baseline;
pub mod corpus;

/// A small deterministic generator (SplitMix64), so corpora need no `rand`.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound > 0`).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }
}

/// Subscriptions as (pattern text, subscriber id), plus topics to route.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// What it is, for benchmark ids.
    pub name: String,
    /// The subscriptions.
    pub subscriptions: Vec<(String, u64)>,
    /// Topics that match at least one literal subscription.
    pub hits: Vec<String>,
    /// Topics that match no literal subscription.
    pub misses: Vec<String>,
}

/// Topics per list: a power of two so benchmarks can cycle with a mask.
pub const TOPICS: usize = 1024;

/// The NATS-like corpus: an 8-word alphabet, every literal subject of depth 1
/// to 5 (8 + 64 + 512 + 4096 + 32768 = 37,448 subscriptions), plus a few
/// wildcard subscriptions.
pub fn nats_like() -> Corpus {
    const WORDS: [&str; 8] = [
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
    ];
    let mut subscriptions = Vec::new();
    let mut layer: Vec<String> = vec![String::new()];
    for _depth in 1..=5 {
        let mut deeper = Vec::with_capacity(layer.len() * WORDS.len());
        for prefix in &layer {
            for word in WORDS {
                deeper.push(if prefix.is_empty() {
                    word.to_owned()
                } else {
                    format!("{prefix}.{word}")
                });
            }
        }
        subscriptions.extend(deeper.iter().cloned());
        layer = deeper;
    }
    subscriptions.extend(
        [
            "alpha.*",
            "*.bravo.>",
            "#.hotel",
            "charlie.#.delta",
            "*.*.echo",
        ]
        .iter()
        .map(|text| (*text).to_owned()),
    );
    let subscriptions: Vec<(String, u64)> = subscriptions
        .into_iter()
        .enumerate()
        .map(|(id, text)| (text, id as u64))
        .collect();
    let mut rng = Rng::new(8);
    let topic = |rng: &mut Rng, last: Option<&str>| {
        let depth = 4 + rng.below(2);
        let mut words: Vec<&str> = (0..depth).map(|_| WORDS[rng.below(WORDS.len())]).collect();
        if let Some(last) = last {
            words[depth - 1] = last;
        }
        words.join(".")
    };
    Corpus {
        name: "nats_like".into(),
        hits: (0..TOPICS).map(|_| topic(&mut rng, None)).collect(),
        misses: (0..TOPICS)
            .map(|_| topic(&mut rng, Some("india")))
            .collect(),
        subscriptions,
    }
}

/// Words per topic position in the [`mixed`] corpora.
const MIXED_WORDS: usize = 64;

/// `count` mixed subscriptions of 3 to 5 segments over a fixed 64-word
/// vocabulary: 70% literal, 10% with one `*`, 10% with one `#` between
/// literals, 10% ending in `>`. Wildcard patterns keep three literals so that a
/// topic hits a handful of them at most, even at a million patterns.
///
/// With a fixed vocabulary a larger corpus is also a *denser* one: at 100k
/// patterns every two-word prefix carries wildcard patterns, so a topic keeps
/// more partial matches alive than at 1k (see [`spread`] for the other model).
pub fn mixed(count: usize) -> Corpus {
    mixed_over(count, MIXED_WORDS, count as u64, format!("mixed_{count}"))
}

/// The same mix as [`mixed`], over a vocabulary that grows with the corpus
/// (√(count / 4) words, at least 16) so that each two-word prefix carries about
/// four patterns at every size: more patterns means more names, as when
/// platforms and event types are added, not more patterns per name.
pub fn spread(count: usize) -> Corpus {
    let words = ((count as f64 / 4.0).sqrt() as usize).max(16);
    mixed_over(
        count,
        words,
        count as u64 ^ 1 << 40,
        format!("spread_{count}"),
    )
}

fn mixed_over(count: usize, vocabulary: usize, seed: u64, name: String) -> Corpus {
    let mut rng = Rng::new(seed);
    let word = |rng: &mut Rng| format!("w{}", rng.below(vocabulary));
    let mut subscriptions = Vec::with_capacity(count);
    let mut literals = Vec::new();
    for id in 0..count {
        let depth = 4 + rng.below(2);
        let mut words: Vec<String> = (0..depth).map(|_| word(&mut rng)).collect();
        match rng.below(10) {
            0 => words[1 + rng.below(depth - 1)] = "*".into(),
            1 => {
                words.truncate(3);
                words.insert(1 + rng.below(3), "#".into());
            }
            2 => {
                words.truncate(3);
                words.push(">".into());
            }
            _ => literals.push(words.join(".")),
        }
        subscriptions.push((words.join("."), id as u64));
    }
    let hits = (0..TOPICS)
        .map(|_| literals[rng.below(literals.len())].clone())
        .collect();
    let misses = (0..TOPICS)
        .map(|_| {
            let depth = 4 + rng.below(2);
            let mut words: Vec<String> = (0..depth).map(|_| word(&mut rng)).collect();
            words[depth - 1] = "absent".into();
            words.join(".")
        })
        .collect();
    Corpus {
        name,
        subscriptions,
        hits,
        misses,
    }
}

/// `#`-heavy patterns over six words, and a 128-segment topic cycling through them.
pub fn hash_heavy() -> (Vec<String>, String) {
    let words = ["a", "b", "c", "d", "e", "f"];
    let mut patterns = vec!["#.x.#.y".to_owned()];
    for first in words {
        for second in words {
            patterns.push(format!("#.{first}.#.{second}"));
            patterns.push(format!("{first}.#.{second}.#"));
            patterns.push(format!("#.{first}.{second}.#"));
            patterns.push(format!("*.#.{first}.*.#.{second}.>"));
        }
    }
    let topic: Vec<&str> = words.iter().copied().cycle().take(128).collect();
    (patterns, topic.join("."))
}

/// Parses every pattern of a corpus (outside any measurement).
pub fn parsed(subscriptions: &[(String, u64)]) -> Vec<(Pattern, u64)> {
    subscriptions
        .iter()
        .map(|(text, id)| {
            (
                Pattern::parse(text).expect("corpus patterns are valid"),
                *id,
            )
        })
        .collect()
}

/// A router holding the given subscriptions, with room for all of them.
pub fn router_of(subscriptions: &[(Pattern, u64)]) -> Router {
    let mut router = Router::with_limits(herald_core::Limits {
        max_patterns: usize::MAX,
        ..herald_core::Limits::default()
    });
    for (pattern, id) in subscriptions {
        router
            .subscribe(pattern, *id)
            .expect("no limit on patterns");
    }
    router
}

/// The naive baseline: check every subscription, one after the other.
#[derive(Debug, Clone)]
pub struct LinearScan {
    subscriptions: Vec<(Pattern, u64)>,
}

impl LinearScan {
    /// A scan over these subscriptions.
    pub fn new(subscriptions: Vec<(Pattern, u64)>) -> Self {
        LinearScan { subscriptions }
    }

    /// Same contract as [`Router::match_into`]: ids once, ascending.
    pub fn match_into(
        &self,
        topic: &str,
        out: &mut Vec<u64>,
    ) -> Result<(), herald_core::SyntaxError> {
        out.clear();
        let topic = Topic::parse(topic)?;
        out.extend(
            self.subscriptions
                .iter()
                .filter(|(pattern, _)| pattern.matches(&topic))
                .map(|(_, id)| *id),
        );
        out.sort_unstable();
        out.dedup();
        Ok(())
    }
}

/// A regular expression equivalent to `pattern`, over the topic followed by
/// one `.` (see [`regex_haystack`]), so every segment is "text then dot".
pub fn regex_for(pattern: &Pattern) -> String {
    use herald_core::pattern::Segment;
    let mut regex = String::from("^");
    for segment in pattern.segments() {
        match segment {
            Segment::Literal(text) => {
                for character in text.chars() {
                    if character.is_ascii_alphanumeric() || character == '_' {
                        regex.push(character);
                    } else {
                        regex.push('\\');
                        regex.push(character);
                    }
                }
                regex.push_str(r"\.");
            }
            Segment::Star => regex.push_str(r"[^.]+\."),
            Segment::Hash => regex.push_str(r"(?:[^.]+\.)*"),
            Segment::Tail => regex.push_str(r"(?:[^.]+\.)+"),
        }
    }
    regex.push('$');
    regex
}

/// The haystack [`regex_for`] expressions run on: the topic and a final `.`.
pub fn regex_haystack(topic: &str) -> String {
    format!("{topic}.")
}

/// One payload the validation benchmark runs, taken from the built-in
/// catalogue's examples so that every contender sees a valid payload.
#[derive(Debug, Clone)]
pub struct ValidationCase {
    /// Short label for the benchmark group.
    pub label: &'static str,
    /// Source id.
    pub source: &'static str,
    /// Event name.
    pub name: &'static str,
    /// The payload bytes (the first example, compact).
    pub payload: Vec<u8>,
}

/// The three payloads of the validation benchmark: a small AccelByte wallet
/// notification, the largest InPlayer payload (`access.granted`) and a thin
/// Orangepill stream notification.
pub fn validation_cases() -> Vec<ValidationCase> {
    let catalogue = Catalogue::builtin();
    [
        (
            "accelbyte walletBalanceChanged",
            "accelbyte-wallet",
            "walletBalanceChanged",
        ),
        (
            "inplayer access.granted",
            "inplayer-notifications",
            "access.granted",
        ),
        (
            "orangepill notification",
            "orangepill-stream",
            "user.created",
        ),
    ]
    .into_iter()
    .map(|(label, source, name)| {
        let event = catalogue.get(source, name).expect("a built-in event");
        let payload = serde_json::to_vec(&event.examples[0]).expect("examples serialise");
        ValidationCase {
            label,
            source,
            name,
            payload,
        }
    })
    .collect()
}
