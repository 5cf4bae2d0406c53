//! Validation side by side, per payload: herald from bytes, `jsonschema`
//! parsing to a `Value` then validating with a compiled validator,
//! `jsonschema` validating a pre-parsed `Value`, and the floor of reading
//! the same bytes with `serde_json` into `IgnoredAny`.
//!
//! Run: `cargo bench -p herald-benches --bench validate -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use herald_benches::measurement::CpuTime;
use herald_benches::validation_cases;
use herald_core::{Catalogue, export};
use serde::de::IgnoredAny;
use serde_json::Value;

/// A catalogue whose one event accepts any JSON: validating against it
/// measures herald's reader alone (syntax, UTF-8, duplicate keys), without
/// schema checks.
fn any_json() -> Catalogue {
    let document = br#"{"format": "herald-catalogue/1", "sources": [{"id": "raw",
        "vendor": "benchmarks", "title": "Any JSON", "transport": "bytes",
        "description": "One event whose payload may be any JSON.",
        "events": [{"name": "any", "category": "test", "description": "Any JSON value.",
                    "schema": {"type": "any"}}]}]}"#;
    Catalogue::from_json(document).unwrap()
}

fn validate(c: &mut Criterion<CpuTime>) {
    let catalogue = Catalogue::builtin();
    let any = any_json();
    let reader_only = any.validator("raw", "any").unwrap();
    for case in validation_cases() {
        let payload = case.payload.as_slice();
        let validator = catalogue.validator(case.source, case.name).unwrap();
        let exported = export::json_schema(catalogue, case.source, case.name).unwrap();
        // Formats on, so that both sides check the same things.
        let compiled = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&exported)
            .unwrap();
        let parsed: Value = serde_json::from_slice(payload).unwrap();
        assert!(validator.validate(payload).is_ok());
        assert!(compiled.is_valid(&parsed));

        let mut group = c.benchmark_group(format!("validate/{}", case.label));
        group.throughput(Throughput::Bytes(payload.len() as u64));
        group.bench_function("herald from bytes", |b| {
            b.iter(|| validator.validate(black_box(payload)))
        });
        group.bench_function("herald with lookup", |b| {
            b.iter(|| catalogue.validate(case.source, case.name, black_box(payload)))
        });
        group.bench_function("herald reader only", |b| {
            b.iter(|| reader_only.validate(black_box(payload)))
        });
        group.bench_function("jsonschema parse+validate", |b| {
            b.iter(|| {
                let value: Value = serde_json::from_slice(black_box(payload)).unwrap();
                compiled.is_valid(&value)
            })
        });
        group.bench_function("jsonschema validate only", |b| {
            b.iter(|| compiled.is_valid(black_box(&parsed)))
        });
        group.bench_function("serde_json IgnoredAny", |b| {
            b.iter(|| serde_json::from_slice::<IgnoredAny>(black_box(payload)).unwrap())
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = herald_benches::measurement::criterion();
    targets = validate
}
criterion_main!(benches);
