//! The fuzz targets' properties (the files of `fuzz/src/`, included here as
//! they are) replayed on every checked-in input: each crash a fuzzer found,
//! kept under `tests/regressions/<target>/` with the fix, and the minimised
//! seed corpora of `fuzz/corpus/<target>/`. A new crash is added by copying
//! its input into the target's directory (docs/fuzzing.md).
//!
//! The C ABI target (`ffi`) is replayed by herald-ffi's tests.

use std::path::{Path, PathBuf};

#[allow(dead_code, unreachable_pub)]
#[path = "../../../fuzz/src/input.rs"]
mod input;

mod routing {
    pub(super) use crate::common::routing::reference_matches;
}

mod brokers {
    pub(super) use crate::common::brokers::oracle;
}

#[allow(unreachable_pub)]
#[path = "../../../fuzz/src/broker_plan.rs"]
mod broker_plan;
#[allow(unreachable_pub)]
#[path = "../../../fuzz/src/catalogue_load.rs"]
mod catalogue_load;
#[allow(unreachable_pub)]
#[path = "../../../fuzz/src/form.rs"]
mod form;
#[allow(unreachable_pub)]
#[path = "../../../fuzz/src/realm_session.rs"]
mod realm_session;
#[allow(unreachable_pub)]
#[path = "../../../fuzz/src/router_ops.rs"]
mod router_ops;
#[cfg(feature = "signatures")]
#[allow(unreachable_pub)]
#[path = "../../../fuzz/src/signatures.rs"]
mod signatures;
#[allow(unreachable_pub)]
#[path = "../../../fuzz/src/topic.rs"]
mod topic;
#[allow(unreachable_pub)]
#[path = "../../../fuzz/src/validate.rs"]
mod validate;
#[allow(unreachable_pub)]
#[path = "../../../fuzz/src/wire_decode.rs"]
mod wire_decode;

/// A target's `run`: one input, a panic when a property fails.
type Run = fn(&[u8]);

/// Every target of herald-core, by the name of its directory (without the
/// `signatures` feature, that target's inputs are not replayed).
const TARGETS: &[(&str, Run)] = &[
    ("broker_plan", broker_plan::run),
    ("catalogue_load", catalogue_load::run),
    ("form", form::run),
    ("realm_session", realm_session::run),
    ("router_ops", router_ops::run),
    #[cfg(feature = "signatures")]
    ("signatures", signatures::run),
    ("topic", topic::run),
    ("validate", validate::run),
    ("wire_decode", wire_decode::run),
];

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The files of `dir`, sorted; none when it does not exist.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// Runs every input of `dir` through its target; returns how many ran.
fn replay(dir: &Path) -> usize {
    let mut count = 0;
    for (target, run) in TARGETS {
        for path in inputs(&dir.join(target)) {
            let bytes = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| run(&bytes));
            assert!(outcome.is_ok(), "{target}: {} fails", path.display());
            count += 1;
        }
    }
    count
}

#[test]
fn every_input_a_fuzzer_crashed_on_passes_its_target() {
    let dir = manifest_dir().join("tests/regressions");
    let known = [
        "broker_plan",
        "catalogue_load",
        "form",
        "realm_session",
        "router_ops",
        "signatures",
        "topic",
        "validate",
        "wire_decode",
    ];
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name();
        let name = name.to_str().unwrap();
        assert!(
            known.contains(&name),
            "tests/regressions/{name} is not a target of herald-core"
        );
    }
    assert!(replay(&dir) > 0, "no regression inputs found");
}

#[test]
fn every_seed_of_the_checked_in_corpora_passes_its_target() {
    let count = replay(&manifest_dir().join("../../fuzz/corpus"));
    assert!(count > 100, "only {count} corpus inputs found");
}
