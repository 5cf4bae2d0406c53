//! `tests/vectors/validation.tsv` is `tests/vectors/validation.json` flattened
//! for the C suite (which has no JSON parser): one case per line, payloads in
//! hex, pointers percent-encoded. The JSON file stays the one source of truth;
//! this test regenerates the TSV and fails if the checked-in copy differs.
//!
//! To regenerate: `HERALD_BLESS=1 cargo test -p herald-core --test validation_vectors_tsv`.

use std::fmt::Write as _;

use crate::common::{Expected, Vector, load_vectors};

const HEADER: &str = "\
// Generated from validation.json by crates/herald-core/tests/validation_vectors_tsv.rs; do not edit.
// Columns (tab-separated): kind (event|schema), source or schema name, event name (- for schemas),
// payload as hex, limits (- or name=value,...), ok (1|0), errors, warnings.
// errors and warnings: - for none, * for not checked, else space-separated code=pointer with the
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

fn issues(expected: Option<&[Expected]>) -> String {
    match expected {
        None => "*".to_owned(),
        Some([]) => "-".to_owned(),
        Some(list) => list
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
        issues(Some(&vector.errors)),
        issues(vector.warnings.as_deref()),
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
    if std::env::var_os("HERALD_BLESS").is_some() {
        std::fs::write(path, &generated).expect("write tests/vectors/validation.tsv");
        return;
    }
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "tests/vectors/validation.tsv is stale; regenerate it with \
         `HERALD_BLESS=1 cargo test -p herald-core --test validation_vectors_tsv`"
    );
}
