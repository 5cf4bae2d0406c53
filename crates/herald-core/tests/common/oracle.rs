//! The reference routing semantics, written without any index or trie: a
//! dynamic programme over (pattern segment, topic segment) straight from the
//! rules of docs/routing.md. Shared by the matcher and router tests.

#![allow(dead_code, unreachable_pub)]

/// Whether `pattern` (a valid pattern's text) matches `topic` (a valid
/// topic's text).
pub fn reference_matches(pattern: &str, topic: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('.').collect();
    let topic: Vec<&str> = topic.split('.').collect();
    let (p, t) = (pattern.len(), topic.len());
    // rest[i][j]: pattern[i..] matches topic[j..]
    let mut rest = vec![vec![false; t + 1]; p + 1];
    rest[p][t] = true;
    for i in (0..p).rev() {
        for j in (0..=t).rev() {
            rest[i][j] = match pattern[i] {
                "#" => rest[i + 1][j] || (j < t && rest[i][j + 1]),
                ">" => i + 1 == p && j < t,
                "*" => j < t && rest[i + 1][j + 1],
                literal => j < t && topic[j] == literal && rest[i + 1][j + 1],
            };
        }
    }
    rest[0][0]
}
