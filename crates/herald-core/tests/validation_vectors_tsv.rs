//! `tests/vectors/validation.tsv` is `tests/vectors/validation.json` flattened
//! for the C suite (which has no JSON parser): one case per line, payloads in
//! hex, pointers percent-encoded. The JSON file stays the one source of truth;
//! this test regenerates the TSV and fails if the checked-in copy differs.
//!
//! To regenerate: `HERALD_BLESS=1 cargo test -p herald-core --test integration validation_vectors_tsv`
//! (the run that rewrites the file fails; run again without the variable).

use std::fmt::Write as _;
use std::path::Path;

use crate::common::bless::{Bless, check_generated};
use crate::common::{Expected, Vector, load_vectors};

const REGENERATE: &str =
    "HERALD_BLESS=1 cargo test -p herald-core --test integration validation_vectors_tsv";

const HEADER: &str = "\
// Generated from validation.json by crates/herald-core/tests/validation_vectors_tsv.rs; do not edit.
// Columns (tab-separated): kind (event|schema), source or schema name, event name (- for schemas),
// payload as hex, limits (- or name=value,...), ok (1|0), errors, warnings.
// errors and warnings: - for none, else space-separated code=pointer with the
// pointer percent-encoded (every byte outside A-Z a-z 0-9 / _ . ~ - as %XX).
";

fn percent(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/_.~-".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn issues(expected: &[Expected]) -> String {
    match expected {
        [] => "-".to_owned(),
        list => list
            .iter()
            .map(|issue| format!("{}={}", issue.code, percent(&issue.pointer)))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn limits(vector: &Vector) -> String {
    let Some(limits) = &vector.limits else {
        return "-".to_owned();
    };
    let mut parts = Vec::new();
    for (name, value) in [
        ("max_payload_bytes", limits.max_payload_bytes),
        ("max_depth", limits.max_depth),
        ("max_errors", limits.max_errors),
    ] {
        if let Some(value) = value {
            parts.push(format!("{name}={value}"));
        }
    }
    parts.join(",")
}

fn line(vector: &Vector) -> String {
    let (kind, first, second) = match (&vector.schema, &vector.source, &vector.name) {
        (Some(schema), _, _) => ("schema", schema.as_str(), "-"),
        (None, Some(source), Some(name)) => ("event", source.as_str(), name.as_str()),
        _ => panic!("vector without a target: {}", vector.description),
    };
    let payload: String = vector
        .bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!(
        "{kind}\t{first}\t{second}\t{payload}\t{}\t{}\t{}\t{}\n",
        limits(vector),
        u8::from(vector.ok),
        issues(&vector.errors),
        issues(&vector.warnings),
    )
}

#[test]
fn c_vector_file_matches_the_json_vectors() {
    let mut generated = HEADER.to_owned();
    for vector in &load_vectors().cases {
        generated.push_str(&line(vector));
    }
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/validation.tsv"
    );
    if let Err(message) =
        check_generated(Path::new(path), &generated, Bless::from_env(), REGENERATE)
    {
        panic!("{message}");
    }
}

/// A scratch copy of a generated file, removed when dropped.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(name: &str, content: &str) -> Scratch {
        let path = std::env::temp_dir().join(format!("herald-{}-{name}", std::process::id()));
        std::fs::write(&path, content).unwrap();
        Scratch(path)
    }

    fn content(&self) -> String {
        std::fs::read_to_string(&self.0).unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn a_normal_run_never_rewrites_a_generated_file() {
    let stale = Scratch::new("stale.tsv", "old\n");
    let error = check_generated(&stale.0, "new\n", Bless::No, REGENERATE).unwrap_err();
    assert!(error.contains(REGENERATE), "{error}");
    assert_eq!(stale.content(), "old\n");
}

#[test]
fn blessing_rewrites_a_stale_file_and_still_fails() {
    let stale = Scratch::new("blessed.tsv", "old\n");
    assert!(check_generated(&stale.0, "new\n", Bless::Rewrite, REGENERATE).is_err());
    assert_eq!(stale.content(), "new\n");
    // Once current, blessing passes and leaves it alone.
    assert_eq!(
        check_generated(&stale.0, "new\n", Bless::Rewrite, REGENERATE),
        Ok(())
    );
}
