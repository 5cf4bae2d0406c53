//! herald-core stays pure: a fixed set of dependencies and no IO, clocks,
//! threads or processes in its source.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The runtime dependencies herald-core may have; each is justified in the
/// README's dependency table (in full in docs/design.md).
const ALLOWED_DEPENDENCIES: [&str; 12] = [
    "serde",
    "serde_json",
    "thiserror",
    "smallvec",
    "strum",
    "base64",
    "foldhash",
    "hashbrown",
    "safe_arch",
    // The `signatures` feature: HMAC-SHA256 and ed25519.
    "hmac",
    "sha2",
    "ed25519-dalek",
];
/// Crypto stays behind the `signatures` feature: these must be optional.
const FEATURE_DEPENDENCIES: [&str; 3] = ["hmac", "sha2", "ed25519-dalek"];
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

/// herald-core's dependencies as cargo reads them (`cargo metadata`), each
/// with its `kind` (null for runtime, `dev`, `build`) and `target`.
fn dependencies() -> Vec<Value> {
    let output = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .arg("--manifest-path")
        .arg(manifest_dir().join("Cargo.toml"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).unwrap();
    let package = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|package| package["name"] == "herald-core")
        .unwrap();
    package["dependencies"].as_array().unwrap().clone()
}

#[test]
fn crypto_dependencies_are_optional_behind_the_signatures_feature() {
    let dependencies = dependencies();
    for name in FEATURE_DEPENDENCIES {
        let dependency = dependencies
            .iter()
            .find(|dependency| dependency["name"] == name && dependency["kind"].is_null())
            .unwrap_or_else(|| panic!("{name} is not a dependency"));
        assert_eq!(dependency["optional"], true, "{name} must be optional");
    }
    let manifest = std::fs::read_to_string(manifest_dir().join("Cargo.toml")).unwrap();
    assert!(manifest.contains("default = [\"signatures\"]"));
    assert!(manifest.contains("signatures = [\"dep:hmac\", \"dep:sha2\", \"dep:ed25519-dalek\"]"));
}

#[test]
fn depends_only_on_the_allowed_crates() {
    let dependencies = dependencies();
    let runtime: Vec<&str> = dependencies
        .iter()
        .filter(|dependency| dependency["kind"].is_null())
        .map(|dependency| dependency["name"].as_str().unwrap())
        .collect();
    assert!(runtime.contains(&"serde_json"), "{runtime:?}");
    for name in &runtime {
        assert!(
            ALLOWED_DEPENDENCIES.contains(name),
            "herald-core must not depend on {name}"
        );
    }
    for dependency in &dependencies {
        let name = &dependency["name"];
        assert_ne!(
            dependency["kind"], "build",
            "no build script dependencies: {name}"
        );
        assert!(
            dependency["target"].is_null(),
            "no platform-specific dependencies: {name}"
        );
    }
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
