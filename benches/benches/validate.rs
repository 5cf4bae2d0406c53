//! Validation side by side, one group per payload (`herald_benches::validation`:
//! a valid payload and one with three errors for each of AccelByte
//! `walletBalanceChanged`, InPlayer `access.granted`, an InPlayer webhook
//! form body decoded to JSON, and an Orangepill notification).
//!
//! | contender | what one iteration does |
//! |---|---|
//! | `herald name path` | `Catalogue::validate(source, name, bytes)`: the name lookup, the validation, the report (with every issue's pointer and message) |
//! | `herald prepared` | `Validator::validate(bytes)` on a validator prepared once |
//! | `herald wire decode` (form cases) | `wire::decode` of the form body: form parsing, coercion to JSON, lookup and validation |
//! | `herald reader only` (valid cases) | validation against `{"type":"any"}`: syntax, UTF-8, duplicate keys |
//! | `jsonschema parse+validate` | `serde_json::from_slice::<Value>` then, on herald's exported schema (formats on), `is_valid` for a valid payload or every error (`iter_errors`) for an invalid one |
//! | `jsonschema validate only` | the same on a `Value` parsed once |
//! | `serde_json IgnoredAny` | the floor: reading the bytes and nothing else |
//!
//! Before timing, every group checks the answers: herald's verdict and error
//! count (both paths, and the wire decoder's report for form bodies) equal
//! the case's and `jsonschema`'s. A benchmark cannot time a wrong answer.
//!
//! ```text
//! cargo bench -p herald-benches --bench validate                           # the figures (thread CPU time)
//! HERALD_BENCH_SMOKE=1 cargo bench -p herald-benches --bench validate      # seconds, answers checked
//! cargo run --release -p herald-benches --bin validate-bench               # the docs table in one run
//! ```

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use herald_benches::measurement::CpuTime;
use herald_benches::validation::{Contenders, any_json, validation_cases};
use herald_core::Catalogue;
use herald_core::wire::{self, WireFormat};
use serde::de::IgnoredAny;

fn validate(c: &mut Criterion<CpuTime>) {
    let any = any_json();
    let reader_only = any.validator("raw", "any").unwrap();
    for case in validation_cases() {
        let contenders = Contenders::new(case);
        let case = &contenders.case;
        let payload = case.payload.as_slice();
        assert_eq!(reader_only.validate(payload).errors.len(), 0);

        let mut group = c.benchmark_group(format!("validate/{}", case.label));
        group.throughput(Throughput::Bytes(payload.len() as u64));
        group.bench_function("herald name path", |b| {
            b.iter(|| contenders.herald_by_name(black_box(payload)))
        });
        group.bench_function("herald prepared", |b| {
            b.iter(|| contenders.validator.validate(black_box(payload)))
        });
        if let Some(form) = &case.form {
            group.bench_function("herald wire decode", |b| {
                b.iter(|| {
                    wire::decode(
                        WireFormat::InplayerWebhook,
                        Catalogue::builtin(),
                        black_box(form),
                    )
                    .unwrap()
                })
            });
        }
        if case.errors == 0 {
            group.bench_function("herald reader only", |b| {
                b.iter(|| reader_only.validate(black_box(payload)))
            });
        }
        group.bench_function("jsonschema parse+validate", |b| {
            b.iter(|| contenders.jsonschema_parse_validate(black_box(payload)))
        });
        group.bench_function("jsonschema validate only", |b| {
            b.iter(|| contenders.jsonschema_validate(black_box(&contenders.parsed)))
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
