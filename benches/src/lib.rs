//! Shared corpora for the herald benchmarks.
