//! Shared corpora, baselines and the measurement (thread CPU time) of the
//! herald benchmarks.
//!
//! Everything here is generated from a fixed seed, so every run measures the
//! same input; nothing is read from disk. Corpus construction is never part of
//! a measured closure.

use herald_core::{Pattern, Router, Topic};

pub mod baseline;
pub mod corpus;
pub mod measurement;
pub mod validation;

pub use validation::{ValidationCase, validation_cases};

/// Whether this is the short run (`HERALD_BENCH_SMOKE` set): small inputs
/// and short measurements, with every answer check of the full run. The
/// test command runs it so that no benchmark can rot.
pub fn smoke() -> bool {
    std::env::var_os("HERALD_BENCH_SMOKE").is_some()
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

/// Words per topic position in the [`mixed`] corpora.
const MIXED_WORDS: usize = 64;

/// `count` mixed subscriptions of 3 to 5 segments over a fixed 64-word
/// vocabulary: 70% literal, 10% with one `*`, 10% with one `#` between
/// literals, 10% ending in `>`. Wildcard patterns keep three literals so that a
/// topic hits a handful of them at most, even at a million patterns.
///
/// With a fixed vocabulary a larger corpus is also a *denser* one: at 100k
/// patterns every two-word prefix carries wildcard patterns, so a topic keeps
/// more partial matches alive than at 1k. The routing figures use
/// [`corpus`]; this small mix serves the FFI-overhead benchmark.
pub fn mixed(count: usize) -> Corpus {
    mixed_over(count, MIXED_WORDS, count as u64, format!("mixed_{count}"))
}

fn mixed_over(count: usize, vocabulary: usize, seed: u64, name: String) -> Corpus {
    let mut rng = fastrand::Rng::with_seed(seed);
    let word = |rng: &mut fastrand::Rng| format!("w{}", rng.usize(..vocabulary));
    let mut subscriptions = Vec::with_capacity(count);
    let mut literals = Vec::new();
    for id in 0..count {
        let depth = 4 + rng.usize(..2);
        let mut words: Vec<String> = (0..depth).map(|_| word(&mut rng)).collect();
        match rng.usize(..10) {
            0 => words[1 + rng.usize(..depth - 1)] = "*".into(),
            1 => {
                words.truncate(3);
                words.insert(1 + rng.usize(..3), "#".into());
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
        .map(|_| literals[rng.usize(..literals.len())].clone())
        .collect();
    let misses = (0..TOPICS)
        .map(|_| {
            let depth = 4 + rng.usize(..2);
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

/// The adversarial input: `#.x.#.y` and a topic of 128 × `x`. Every split
/// of the topic between the two `#` is possible and the final `y` never
/// comes, so a backtracking matcher tries O(n²) splits; a state-set walk
/// keeps four states per segment.
pub fn two_hashes() -> (String, String) {
    ("#.x.#.y".to_owned(), vec!["x"; 128].join("."))
}

/// 144 `#`-heavy patterns over six words (four forms for each word pair),
/// and a 128-segment topic cycling through the words, on which many of them
/// keep partial matches alive at once.
pub fn hash_heavy() -> (Vec<String>, String) {
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

    /// Same contract as [`RouteTable::match_into`](herald_core::RouteTable::match_into):
    /// ids once, ascending.
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

/// A `RegexSet` of `patterns`, built the way the regex crate advises for
/// large sets: no Unicode classes (segments are compared byte for byte),
/// and a lazy-DFA cache large enough to hold the states of a big set
/// instead of thrashing (the default 2 MiB is what made an untuned set slow
/// down by three orders of magnitude between 1k and 10k patterns).
pub fn regex_set(patterns: &[(Pattern, u64)]) -> regex::bytes::RegexSet {
    regex::bytes::RegexSetBuilder::new(patterns.iter().map(|(pattern, _)| regex_for(pattern)))
        .unicode(false)
        .size_limit(1 << 30)
        .dfa_size_limit(1 << 30)
        .build()
        .expect("patterns translate to valid regexes")
}

/// A regular expression equivalent to `pattern`, over the topic followed by
/// one `.` (see [`regex_haystack`]), so every segment is "text then dot".
/// Literal text goes in escaped; the topic syntax keeps `.` out of segments.
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
