//! Independent oracles for the codes and pointers of herald's validation
//! reports (the expected reports in `tests/vectors/validation.json` were
//! first written from herald's own output):
//!
//! * the reference validator (`common::reference_validator`), written from
//!   the documented rules over serde_json, must give every vector the same
//!   codes and pointers, and so must herald on generated payloads and
//!   their mutations;
//! * `jsonschema`, run with herald's exported JSON Schema, must find an
//!   error at every pointer where herald reports an error that JSON Schema
//!   can express.
//!
//! Every case an oracle cannot judge is an exception named here with its
//! reason, and counted; nothing is skipped silently.

use crate::common::generate::{Generator, Rng};
use crate::common::reference_validator::{self, Target, Verdict};
use crate::common::{Vector, expected_pairs, load_vectors, pairs};
use herald_core::{Catalogue, Limits, export};
use serde_json::Value;

fn target(vector: &Vector) -> Target<'_> {
    match (&vector.schema, &vector.source, &vector.name) {
        (Some(schema), None, None) => Target::Named(schema),
        (None, Some(source), Some(name)) => Target::Event { source, name },
        _ => panic!(
            "{}: give either schema or source and name",
            vector.description
        ),
    }
}

// ---- the reference validator ----------------------------------------------------

#[test]
fn the_reference_validator_gives_every_vector_the_codes_and_pointers_herald_gives() {
    let catalogue = Catalogue::builtin();
    let (mut compared, mut not_json) = (0, 0);
    let mut failures = Vec::new();
    for vector in load_vectors().cases {
        let limits = vector.limits();
        let verdict =
            reference_validator::validate(catalogue, target(&vector), &vector.bytes(), &limits);
        let report = vector.run(catalogue);
        let herald = (pairs(&report.errors), pairs(&report.warnings));
        match verdict {
            Verdict::Report {
                errors,
                warnings,
                truncated,
            } => {
                compared += 1;
                if herald != (errors.clone(), warnings.clone()) || report.truncated != truncated {
                    failures.push(format!(
                        "{}\n  herald:    {herald:?} truncated {}\n  reference: {:?} truncated {truncated}",
                        vector.description,
                        report.truncated,
                        (errors, warnings)
                    ));
                }
                // The checked-in expectation is the reference's too.
                assert_eq!(
                    herald.0,
                    expected_pairs(&vector.errors),
                    "{}",
                    vector.description
                );
            }
            // Exception: a payload serde_json cannot read whole. The
            // reference knows the rules say `syntax`, but not where a reader
            // that goes in order stands when it finds out (the pointer of a
            // `syntax` error is "where the reader was"), nor what it reported
            // before; a reader stops earlier still at `too_deep`, which ends
            // validation. So herald must report a failure that ends
            // validation, last: `syntax`, or `too_deep` at a container
            // exactly one level past `max_depth`.
            Verdict::NotJson => {
                not_json += 1;
                let last = report.errors.last().map(|issue| issue.code.as_str());
                let ends_right = match last {
                    Some("syntax") => true,
                    Some("too_deep") => {
                        let pointer = &report.errors.last().unwrap().pointer;
                        pointer.matches('/').count() == limits.max_depth
                    }
                    _ => false,
                };
                if !ends_right {
                    failures.push(format!(
                        "{}: not JSON to serde_json, herald reports {herald:?}",
                        vector.description
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(compared >= 75, "only {compared} vectors compared in full");
    assert!(not_json <= 15, "{not_json} vectors serde_json cannot read");
}

/// Every built-in event with a concrete name to validate it under.
fn events() -> Vec<(&'static herald_core::catalogue::EventDef, String)> {
    Catalogue::builtin()
        .events()
        .map(|event| {
            let name = match &event.template {
                Some(template) => event.name.replace(
                    &format!("{{{}}}", template.parameter),
                    &template.known_values[0],
                ),
                None => event.name.clone(),
            };
            (event, name)
        })
        .collect()
}

#[test]
fn the_reference_validator_agrees_with_herald_on_generated_payloads_and_mutations() {
    let catalogue = Catalogue::builtin();
    let limits = Limits::default();
    let mut compared = 0;
    let mut failing = 0;
    for (seed, (event, name)) in events().iter().cycle().take(3000).enumerate() {
        let schema = event.schema.as_ref().unwrap();
        let mut generator = Generator {
            catalogue,
            event_name: name.clone(),
            rng: Rng::with_seed(seed as u64 + 7),
        };
        let original = generator.value(schema);
        let mut payloads = vec![original.text()];
        if let Some((mutated, _)) = generator.mutate(&original, schema) {
            payloads.push(mutated.text());
        }
        for payload in payloads {
            let target = Target::Event {
                source: &event.source,
                name,
            };
            let verdict =
                reference_validator::validate(catalogue, target, payload.as_bytes(), &limits);
            let report = catalogue
                .validate(&event.source, name, payload.as_bytes())
                .unwrap();
            let Verdict::Report {
                errors, warnings, ..
            } = verdict
            else {
                panic!("generated payloads are JSON: {payload}");
            };
            assert_eq!(
                (pairs(&report.errors), pairs(&report.warnings)),
                (errors, warnings),
                "{} {name}: {payload}",
                event.source
            );
            compared += 1;
            failing += usize::from(!report.is_ok());
        }
    }
    assert!(compared > 4000, "{compared}");
    // The mutations do exercise the error paths.
    assert!(
        failing * 4 > compared,
        "only {failing} of {compared} payloads invalid"
    );
}

// ---- jsonschema's error locations --------------------------------------------------

/// Codes of errors JSON Schema can express (a keyword fails at the value);
/// the others are about bytes and tokens, which a validator of parsed
/// values never sees: `syntax`, `invalid_utf8`, `duplicate_key` (serde_json
/// keeps the last), `too_deep` and `too_large` (herald's limits).
const EXPRESSIBLE: [&str; 10] = [
    "type_mismatch",
    "missing_field",
    "unknown_field",
    "unknown_enum",
    "const_mismatch",
    "event_mismatch",
    "out_of_range",
    "too_long",
    "too_short",
    "format",
];

/// Every instance location where `jsonschema` reports an error, the
/// failures inside `oneOf`/`anyOf` included; an unexpected property is
/// located at its member (herald's pointer), not only at the object.
fn error_locations(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    fn collect(error: &jsonschema::ValidationError<'_>, out: &mut Vec<String>) {
        let path = error.instance_path().as_str().to_owned();
        match error.kind() {
            jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                for key in unexpected {
                    out.push(format!(
                        "{path}/{}",
                        key.replace('~', "~0").replace('/', "~1")
                    ));
                }
            }
            jsonschema::error::ValidationErrorKind::OneOfNotValid { context }
            | jsonschema::error::ValidationErrorKind::AnyOf { context } => {
                for error in context.iter().flatten() {
                    collect(error, out);
                }
            }
            _ => {}
        }
        out.push(path);
    }
    let mut locations = Vec::new();
    for error in validator.iter_errors(value) {
        collect(&error, &mut locations);
    }
    locations
}

/// Why `jsonschema` may find no error where herald reports one that JSON
/// Schema could otherwise express, or `None`.
fn excused(code: &str, at: Option<&Value>, vector: &Vector) -> Option<&'static str> {
    let number = at.and_then(Value::as_f64);
    match code {
        // JSON Schema's "integer" is a mathematical integer: 1e3 and 500.0
        // are integers to it, integer tokens only to herald.
        "type_mismatch" if number.is_some_and(|value| value.fract() == 0.0) => {
            Some("an integer written with a fraction or an exponent")
        }
        // serde_json holds an integer past u64/i64 as a rounded f64, which
        // may land on the bound itself (-9223372036854775809 becomes
        // i64::MIN).
        "out_of_range" if at.is_some_and(Value::is_f64) => {
            Some("an integer serde_json can only hold rounded")
        }
        // The topic syntax is not exported: against a named schema an
        // `event_name` exports as a plain string.
        "format" if vector.schema.is_some() => Some("the topic syntax of an event name"),
        _ => None,
    }
}

#[test]
fn jsonschema_finds_an_error_wherever_herald_reports_one_json_schema_can_express() {
    let catalogue = Catalogue::builtin();
    let (mut checked, mut excuses, mut unreadable) = (0, Vec::new(), 0);
    let mut failures = Vec::new();
    for vector in load_vectors().cases {
        let report = vector.run(catalogue);
        let expressible: Vec<_> = report
            .errors
            .iter()
            .filter(|issue| EXPRESSIBLE.contains(&issue.code.as_str()))
            .collect();
        if expressible.is_empty() {
            continue;
        }
        let Ok(value) = serde_json::from_slice::<Value>(&vector.bytes()) else {
            // Not JSON to serde_json, yet with an expressible error: herald
            // found it before the syntax error or the depth limit.
            unreadable += 1;
            continue;
        };
        let schema = match target(&vector) {
            Target::Named(name) => export::named_json_schema(catalogue, name).unwrap(),
            Target::Event { source, name } => export::json_schema(catalogue, source, name).unwrap(),
        };
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap();
        let locations = error_locations(&validator, &value);
        for issue in expressible {
            if locations.contains(&issue.pointer) {
                checked += 1;
                continue;
            }
            match excused(issue.code.as_str(), value.pointer(&issue.pointer), &vector) {
                Some(reason) => excuses.push(format!("{}: {reason}", vector.description)),
                None => failures.push(format!(
                    "{}: herald {} at {:?}, jsonschema's errors at {locations:?}",
                    vector.description, issue.code, issue.pointer
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        checked >= 50,
        "only {checked} pointers confirmed by jsonschema"
    );
    // The exceptions stay the few known ones, each with its reason above.
    assert!(excuses.len() <= 5, "{}", excuses.join("\n"));
    assert!(unreadable <= 1, "{unreadable}");
}

#[test]
fn jsonschema_finds_an_error_wherever_herald_reports_one_in_a_mutated_payload() {
    let catalogue = Catalogue::builtin();
    let mut checked = 0;
    let mut failures = Vec::new();
    for (seed, (event, name)) in events().iter().enumerate() {
        let schema = event.schema.as_ref().unwrap();
        let exported = export::json_schema(catalogue, &event.source, name).unwrap();
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&exported)
            .unwrap();
        for round in 0..20 {
            let mut generator = Generator {
                catalogue,
                event_name: name.clone(),
                rng: Rng::with_seed((seed * 1000 + round) as u64),
            };
            let original = generator.value(schema);
            let Some((mutated, _)) = generator.mutate(&original, schema) else {
                continue;
            };
            let payload = mutated.text();
            let report = catalogue
                .validate(&event.source, name, payload.as_bytes())
                .unwrap();
            let value: Value = serde_json::from_str(&payload).unwrap();
            let locations = error_locations(&validator, &value);
            for issue in &report.errors {
                if locations.contains(&issue.pointer) {
                    checked += 1;
                } else if !(issue.code.as_str() == "out_of_range"
                    && value.pointer(&issue.pointer).is_some_and(Value::is_f64))
                {
                    // The one exception: the mutation's integers one past
                    // i64 or u64 are rounded f64s to serde_json.
                    failures.push(format!(
                        "{} {name}: herald {} at {:?}, jsonschema at {locations:?}\n  {payload}",
                        event.source, issue.code, issue.pointer
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        checked > 500,
        "only {checked} pointers confirmed by jsonschema"
    );
}
