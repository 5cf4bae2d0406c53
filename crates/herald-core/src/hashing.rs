//! Keyed hashing for text that strangers choose: topic segments, pattern
//! literals, cached topics.
//!
//! Everything routing hashes comes from outside — subscribers write patterns,
//! publishers send topics — so every table keyed by such text must be keyed
//! with bits an outsider cannot guess, or a crafted input set could pile into
//! one bucket. The hash itself is `foldhash` (fast on short strings), or,
//! for the match index's segments, a folded multiply keyed from a builder
//! made here; the key comes from the standard library's `RandomState`,
//! whose keys are drawn from the operating system's random source, once per
//! table. This module never hashes with a fixed, guessable key, and never
//! reads a clock or any other source of its own.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

use foldhash::SharedSeed;
use foldhash::fast::SeedableRandomState;

/// A foldhash builder with a secret per-table key.
pub(crate) type Keyed = SeedableRandomState;

/// A fresh builder keyed with 64 random bits from `RandomState`.
pub(crate) fn keyed() -> Keyed {
    let key = RandomState::new().hash_one(0x243f_6a88_85a3_08d3_u64);
    SeedableRandomState::with_seed(key, SharedSeed::global_fixed())
}
