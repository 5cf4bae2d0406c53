//! Helpers shared by the test modules: the shared vectors files, compact
//! views of reports, payload generators and the reference matcher.

#![allow(dead_code, unreachable_pub)]

pub mod bless;
pub mod generate;
pub mod reference_validator;
pub mod routing;
pub mod wire;

use std::path::PathBuf;

use herald_core::{Catalogue, Limits, ValidationReport};
use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde::Deserialize;

/// `tests/vectors/validation.json` at the repository root.
pub fn vectors_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors/validation.json")
}

#[derive(Debug, Deserialize)]
pub struct VectorFile {
    pub format: String,
    pub cases: Vec<Vector>,
}

#[derive(Debug, Deserialize)]
pub struct Vector {
    pub description: String,
    pub source: Option<String>,
    pub name: Option<String>,
    pub schema: Option<String>,
    pub payload: Option<String>,
    pub payload_base64: Option<String>,
    #[serde(default)]
    pub limits: Option<VectorLimits>,
    pub ok: bool,
    pub errors: Vec<Expected>,
    /// Required: every vector states its warnings too (`[]` for none).
    pub warnings: Vec<Expected>,
    pub json_schema_ok: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct VectorLimits {
    pub max_payload_bytes: Option<usize>,
    pub max_depth: Option<usize>,
    pub max_errors: Option<usize>,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
pub struct Expected {
    pub code: String,
    pub pointer: String,
}

impl Vector {
    pub fn bytes(&self) -> Vec<u8> {
        match (&self.payload, &self.payload_base64) {
            (Some(text), None) => text.as_bytes().to_vec(),
            (None, Some(encoded)) => base64_decode(encoded),
            _ => panic!(
                "{}: exactly one of payload and payload_base64",
                self.description
            ),
        }
    }

    pub fn limits(&self) -> Limits {
        let mut limits = Limits::default();
        if let Some(given) = &self.limits {
            limits.max_payload_bytes = given.max_payload_bytes.unwrap_or(limits.max_payload_bytes);
            limits.max_depth = given.max_depth.unwrap_or(limits.max_depth);
            limits.max_errors = given.max_errors.unwrap_or(limits.max_errors);
        }
        limits
    }

    pub fn run(&self, catalogue: &Catalogue) -> ValidationReport {
        let bytes = self.bytes();
        let limits = self.limits();
        match (&self.schema, &self.source, &self.name) {
            (Some(schema), None, None) => catalogue
                .validate_named_with_limits(schema, &bytes, &limits)
                .unwrap(),
            (None, Some(source), Some(name)) => catalogue
                .validate_with_limits(source, name, &bytes, &limits)
                .unwrap(),
            _ => panic!(
                "{}: give either schema or source and name",
                self.description
            ),
        }
    }
}

pub fn load_vectors() -> VectorFile {
    let text = std::fs::read_to_string(vectors_path()).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// (code, pointer) of each issue, in order.
pub fn pairs(issues: &[herald_core::Issue]) -> Vec<(String, String)> {
    issues
        .iter()
        .map(|issue| (issue.code.as_str().to_owned(), issue.pointer.clone()))
        .collect()
}

pub fn expected_pairs(expected: &[Expected]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|item| (item.code.clone(), item.pointer.clone()))
        .collect()
}

pub fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("base64")
}

/// Runs a property over `cases` generated inputs with proptest's runner
/// (shrinking a failure as `proptest!` does) and returns how many of them
/// exercised it (the closure returns whether its input did).
pub fn count_exercised<S: Strategy>(
    cases: u32,
    strategy: S,
    property: impl Fn(S::Value) -> Result<bool, TestCaseError>,
) -> (u32, u32) {
    let exercised = std::cell::Cell::new(0);
    let ran = std::cell::Cell::new(0);
    let mut runner = TestRunner::new(Config::with_cases(cases));
    let result = runner.run(&strategy, |input| {
        ran.set(ran.get() + 1);
        if property(input)? {
            exercised.set(exercised.get() + 1);
        }
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    (exercised.get(), ran.get())
}
