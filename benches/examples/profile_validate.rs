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
//! `valgrind --tool=callgrind` with two iteration counts and divide the
//! difference of the totals by the difference of the counts (the setup,
//! identical in both runs, cancels out):
//!
//! ```text
//! for n in 1000 11000; do valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.$n \
//!   target/release/examples/profile_validate 0 name $n; done
//! # (Ir of /tmp/cg.11000 − Ir of /tmp/cg.1000) / 10000
//! ```

use std::hint::black_box;

use herald_benches::validation::{Contenders, validation_cases};
use herald_core::Catalogue;
use herald_core::wire::{self, WireFormat};
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
    let case = &contenders.case;
    let payload = case.payload.as_slice();
    let any = herald_benches::validation::any_json();
    let any_validator = any.validator("raw", "any").expect("the any event");
    let mut checksum = 0usize;
    for _ in 0..iterations {
        checksum += match path.as_str() {
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
            "lookup" => usize::from(
                Catalogue::builtin()
                    .validator(black_box(case.source), black_box(case.name))
                    .is_ok(),
            ),
            other => panic!("unknown path {other}"),
        };
    }
    println!("{}: {path} × {iterations}: {checksum}", case.label);
}
