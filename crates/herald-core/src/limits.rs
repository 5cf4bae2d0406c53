//! Hard limits on untrusted input.
//!
//! Every parser in the crate takes its bounds from one [`Limits`] value so that a
//! host can tighten them in one place. The defaults are safe for input that comes
//! straight off a socket.

/// Upper bounds applied to topics, patterns and payloads.
///
/// Fields are public so a host can adjust the few it cares about and take the
/// rest from [`Limits::DEFAULT`]:
///
/// ```
/// let mut limits = herald_core::Limits::default();
/// limits.max_topic_bytes = 256;
/// assert_eq!(limits.max_segments, 128);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest topic or pattern accepted, in bytes (default 1024).
    pub max_topic_bytes: usize,
    /// Most `.`-separated segments in a topic or pattern (default 128).
    pub max_segments: usize,
    /// Largest payload the validator reads, in bytes (default 1 MiB).
    pub max_payload_bytes: usize,
    /// Deepest nesting of JSON objects and arrays in a payload (default 64).
    pub max_depth: usize,
    /// Most errors collected in one validation report before it stops (default 100).
    pub max_errors: usize,
    /// Most distinct patterns one router holds (default 1,000,000). Bounds the
    /// trie, and with it the work of one match.
    pub max_patterns: usize,
}

impl Limits {
    /// The defaults: 1024 bytes and 128 segments per topic, 1 MiB and depth 64
    /// per payload, 100 errors per report, 1,000,000 patterns per router.
    pub const DEFAULT: Limits = Limits {
        max_topic_bytes: 1024,
        max_segments: 128,
        max_payload_bytes: 1024 * 1024,
        max_depth: 64,
        max_errors: 100,
        max_patterns: 1_000_000,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}
