//! herald's fuzz targets, as plain functions: each module's `run` takes one
//! input and panics when a property fails. The libFuzzer entries in
//! `fuzz_targets/` call them; herald-core's and herald-ffi's test binaries
//! include the same files to replay every checked-in input (the corpora and
//! the regression inputs of fixed crashes) in plain `cargo test`.
//!
//! Each module names only `super::input`, `super::routing` and
//! `super::brokers`, so it compiles the same inside those test binaries.
//! Nothing here is herald's own logic: each target calls herald's public
//! API (or its C exports) and compares with plain reference rules.

pub mod input;

/// The routing rules written as a dynamic programme, without a trie.
#[path = "../../crates/herald-core/tests/common/routing.rs"]
pub mod routing;

/// What each broker's subscription syntax receives.
#[path = "../../crates/herald-core/tests/common/brokers.rs"]
pub mod brokers;

pub mod broker_plan;
pub mod catalogue_load;
pub mod ffi;
pub mod form;
pub mod realm_session;
pub mod router_ops;
pub mod signatures;
pub mod topic;
pub mod validate;
pub mod wire_decode;
