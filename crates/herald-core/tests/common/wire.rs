//! The shared wire vectors: `tests/vectors/wire/index.json` and the
//! fixture files beside it.

use std::path::PathBuf;

use herald_core::wire::{DecodeOptions, RepeatedKeyPolicy, Timestamp, WireFormat};
use serde::Deserialize;
use serde_json::Value;

use super::Expected;

/// `tests/vectors/wire` at the repository root.
pub fn wire_vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors/wire")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireVectorFile {
    pub format: String,
    pub cases: Vec<WireVector>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireVector {
    pub description: String,
    pub wire_format: String,
    pub file: Option<String>,
    pub wire: Option<String>,
    pub wire_base64: Option<String>,
    pub options: Option<WireOptions>,
    pub expect: Option<WireExpect>,
    pub error: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireOptions {
    pub repeated_keys: Option<String>,
    pub max_payload_bytes: Option<usize>,
    pub max_depth: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireExpect {
    pub name: String,
    pub template: Option<String>,
    pub id: Option<String>,
    pub timestamp: Option<Value>,
    pub ok: bool,
    pub errors: Vec<Expected>,
    pub warnings: Vec<Expected>,
    pub payload: Option<Value>,
    pub reencodes_exactly: bool,
}

impl WireVector {
    pub fn format(&self) -> WireFormat {
        self.wire_format.parse().expect("a known wire format")
    }

    pub fn bytes(&self) -> Vec<u8> {
        match (&self.file, &self.wire, &self.wire_base64) {
            (Some(file), None, None) => std::fs::read(wire_vectors_dir().join(file)).unwrap(),
            (None, Some(text), None) => text.as_bytes().to_vec(),
            (None, None, Some(encoded)) => super::base64_decode(encoded),
            _ => panic!(
                "{}: exactly one of file, wire, wire_base64",
                self.description
            ),
        }
    }

    pub fn options(&self) -> DecodeOptions {
        let mut options = DecodeOptions::default();
        if let Some(given) = &self.options {
            if let Some(policy) = &given.repeated_keys {
                options.repeated_keys = policy.parse::<RepeatedKeyPolicy>().unwrap();
            }
            if let Some(max) = given.max_payload_bytes {
                options.limits.max_payload_bytes = max;
            }
            if let Some(max) = given.max_depth {
                options.limits.max_depth = max;
            }
        }
        options
    }
}

impl WireExpect {
    pub fn timestamp(&self) -> Option<Timestamp> {
        match &self.timestamp {
            None => None,
            Some(Value::Number(number)) => Some(Timestamp::Unix(number.as_i64().unwrap())),
            Some(Value::String(text)) => Some(Timestamp::Text(text.clone())),
            Some(other) => panic!("timestamp {other}"),
        }
    }
}

pub fn load_wire_vectors() -> WireVectorFile {
    let text = std::fs::read_to_string(wire_vectors_dir().join("index.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}
