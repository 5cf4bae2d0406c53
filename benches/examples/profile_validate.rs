//! A loop for profilers: one benchmark payload through one contender, many
//! times.
//!
//! ```text
//! cargo build --release -p herald-benches --example profile_validate
//! target/release/examples/profile_validate [CASE] [PATH] [ITERATIONS]
//! ```
//!
//! CASE is an index into `herald_benches::validation_cases()` (default 0),
//! PATH one of `name` (`Catalogue::validate`, the default), `prepared`,
//! `decode` (form cases: `wire::decode` of the form body), `any` (against
//! `{"type":"any"}`: the reader, UTF-8 and duplicate keys), `lookup` (the
//! name lookup alone), `floor` (`serde_json` into `IgnoredAny`) or
//! `jsonschema` (parse + validate), and ITERATIONS the number of calls
//! (default 1,000,000).
//!
//! Instructions per call, immune to the machine's load: run under
//! `valgrind --tool=callgrind`, counting only the loop (the function
//! `calls`, without the setup), and divide its total by the iterations:
//!
//! ```text
//! valgrind --tool=callgrind --toggle-collect='*profile_validate::calls*' \
//!   --callgrind-out-file=/tmp/cg target/release/examples/profile_validate 0 name 10000
//! callgrind_annotate /tmp/cg    # Ir of PROGRAM TOTALS / 10000, and where
//! ```

use std::hint::black_box;

use herald_benches::validation::{Contenders, validation_cases};
use herald_core::wire::{self, WireFormat};
use herald_core::{Catalogue, Validator};
use serde::de::IgnoredAny;

fn main() {
    let mut args = std::env::args().skip(1);
    let index: usize = args.next().and_then(|arg| arg.parse().ok()).unwrap_or(0);
    let path = args.next().unwrap_or_else(|| "name".to_owned());
    let iterations: u64 = args
        .next()
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(1_000_000);
    let case = validation_cases()
        .into_iter()
        .nth(index)
        .expect("a case index");
    let contenders = Contenders::new(case);
    let any = herald_benches::validation::any_json();
    let any_validator = any.validator("raw", "any").expect("the any event");
    let checksum = calls(&contenders, &any_validator, &path, iterations);
    println!(
        "{}: {path} × {iterations}: {checksum}",
        contenders.case.label
    );
}

/// The measured loop, a function of its own so that a profiler can count
/// it alone (`--toggle-collect='*profile_validate::calls*'`), without the
/// setup.
#[inline(never)]
fn calls(
    contenders: &Contenders,
    any_validator: &Validator<'_>,
    path: &str,
    iterations: u64,
) -> usize {
    let case = &contenders.case;
    let payload = case.payload.as_slice();
    let mut checksum = 0usize;
    for _ in 0..iterations {
        checksum += match path {
            "name" => contenders.herald_by_name(black_box(payload)).errors.len(),
            "prepared" => contenders
                .validator
                .validate(black_box(payload))
                .errors
                .len(),
            "decode" => {
                let form = case.form.as_deref().expect("a form case");
                wire::decode(
                    WireFormat::InplayerWebhook,
                    Catalogue::builtin(),
                    black_box(form),
                )
                .map_or(1, |decoded| decoded.report.errors.len())
            }
            "floor" => {
                usize::from(serde_json::from_slice::<IgnoredAny>(black_box(payload)).is_ok())
            }
            "jsonschema" => contenders.jsonschema_parse_validate(black_box(payload)),
            "any" => any_validator.validate(black_box(payload)).errors.len(),
            "fresh" => Catalogue::builtin()
                .validator(black_box(case.source), black_box(case.name))
                .expect("a benchmark event")
                .validate(black_box(payload))
                .errors
                .len(),
            "both" => {
                let found = Catalogue::builtin()
                    .validator(black_box(case.source), black_box(case.name))
                    .is_ok();
                black_box(found);
                contenders
                    .validator
                    .validate(black_box(payload))
                    .errors
                    .len()
            }
            "copy" => {
                let validator = black_box(contenders.validator.clone());
                validator.validate(black_box(payload)).errors.len()
            }
            "lookup" => usize::from(
                Catalogue::builtin()
                    .validator(black_box(case.source), black_box(case.name))
                    .is_ok(),
            ),
            other => panic!("unknown path {other}"),
        };
    }
    checksum
}
