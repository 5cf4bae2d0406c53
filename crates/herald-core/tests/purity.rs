//! herald-core stays pure: a fixed set of dependencies and no IO, clocks,
//! threads or processes in its source.

use std::path::Path;

const ALLOWED_DEPENDENCIES: [&str; 9] = [
    "serde",
    "serde_json",
    "thiserror",
    "smallvec",
    "strum",
    // The `signatures` feature: HMAC-SHA256, base64 and ed25519.
    "hmac",
    "sha2",
    "base64",
    "ed25519-dalek",
];
/// Crypto stays behind the `signatures` feature: these must be optional.
const FEATURE_DEPENDENCIES: [&str; 4] = ["hmac", "sha2", "base64", "ed25519-dalek"];
const FORBIDDEN_PATHS: [&str; 5] = [
    "std::fs",
    "std::net",
    "std::time",
    "std::thread",
    "std::process",
];

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The dependency lines under `[dependencies]` of the crate's Cargo.toml.
fn dependency_lines() -> Vec<String> {
    let manifest = std::fs::read_to_string(manifest_dir().join("Cargo.toml")).unwrap();
    let mut in_dependencies = false;
    let mut names = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_dependencies = line == "[dependencies]";
            continue;
        }
        if in_dependencies && !line.is_empty() && !line.starts_with('#') {
            names.push(line.to_owned());
        }
    }
    names
}

/// The dependency names under `[dependencies]` of the crate's Cargo.toml.
fn runtime_dependencies() -> Vec<String> {
    dependency_lines()
        .iter()
        .map(|line| {
            line.split(['=', '.', ' '])
                .next()
                .unwrap()
                .trim()
                .to_owned()
        })
        .collect()
}

#[test]
fn crypto_dependencies_are_optional_behind_the_signatures_feature() {
    let lines = dependency_lines();
    for name in FEATURE_DEPENDENCIES {
        let line = lines
            .iter()
            .find(|line| line.split(['=', '.', ' ']).next().unwrap().trim() == name)
            .unwrap_or_else(|| panic!("{name} is not a dependency"));
        assert!(line.contains("optional = true"), "{name} must be optional");
    }
    let manifest = std::fs::read_to_string(manifest_dir().join("Cargo.toml")).unwrap();
    assert!(manifest.contains("default = [\"signatures\"]"));
    assert!(manifest.contains(
        "signatures = [\"dep:hmac\", \"dep:sha2\", \"dep:base64\", \"dep:ed25519-dalek\"]"
    ));
}

#[test]
fn depends_only_on_the_allowed_crates() {
    let dependencies = runtime_dependencies();
    assert!(!dependencies.is_empty());
    for name in &dependencies {
        assert!(
            ALLOWED_DEPENDENCIES.contains(&name.as_str()),
            "herald-core must not depend on {name}"
        );
    }
    let manifest = std::fs::read_to_string(manifest_dir().join("Cargo.toml")).unwrap();
    assert!(
        !manifest.contains("[build-dependencies]"),
        "no build script dependencies"
    );
    assert!(
        !manifest.contains("[target."),
        "no platform-specific dependencies"
    );
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn source_uses_no_io_clock_thread_or_process() {
    let mut files = Vec::new();
    rust_files(&manifest_dir().join("src"), &mut files);
    assert!(files.len() > 3);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for forbidden in FORBIDDEN_PATHS {
            assert!(
                !text.contains(forbidden),
                "{} uses {forbidden}",
                file.display()
            );
        }
        for module in ["fs", "net", "time", "thread", "process"] {
            assert!(
                !text.contains(&format!("use std::{{{module}")),
                "{}",
                file.display()
            );
        }
    }
}

#[test]
fn forbids_unsafe_and_requires_docs() {
    let lib = std::fs::read_to_string(manifest_dir().join("src/lib.rs")).unwrap();
    assert!(lib.contains("#![forbid(unsafe_code)]"));
    assert!(lib.contains("#![deny(missing_docs)]"));
}
