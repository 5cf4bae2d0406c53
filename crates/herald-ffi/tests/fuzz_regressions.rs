//! The `ffi` fuzz target's properties (`fuzz/src/ffi.rs`, included as it
//! is) replayed on every checked-in input: the crashes a fuzzer found, kept
//! under `tests/regressions/ffi/` with their fix, and the minimised seed
//! corpus of `fuzz/corpus/ffi/`.

use std::path::{Path, PathBuf};

#[allow(dead_code, unreachable_pub)]
#[path = "../../../fuzz/src/input.rs"]
mod input;

#[allow(unreachable_pub, clippy::undocumented_unsafe_blocks)]
#[path = "../../../fuzz/src/ffi.rs"]
mod ffi;

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

fn replay(dir: &Path) -> usize {
    let files = inputs(dir);
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let outcome = std::panic::catch_unwind(|| ffi::run(&bytes));
        assert!(outcome.is_ok(), "ffi: {} fails", path.display());
    }
    files.len()
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Crashes go to `tests/regressions/ffi/` (docs/fuzzing.md); the corpus
/// keeps the target's seeds.
#[test]
fn every_call_sequence_a_fuzzer_kept_passes() {
    let regressions = replay(&manifest_dir().join("tests/regressions/ffi"));
    let corpus = replay(&manifest_dir().join("../../fuzz/corpus/ffi"));
    assert!(corpus > 10, "only {corpus} corpus inputs found");
    println!("{regressions} regression inputs, {corpus} corpus inputs");
}
