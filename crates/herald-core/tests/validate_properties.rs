//! Property tests: random payloads built from each built-in schema are
//! valid, and a single mutation of one is reported at the mutated pointer
//! with the code the mutation calls for, and nothing else.

use crate::common::generate::{Generator, Rng};
use crate::common::{count_exercised, pairs};
use herald_core::Catalogue;
use herald_core::catalogue::EventDef;
use proptest::prelude::*;

/// Every built-in event with the concrete name to validate it under
/// (templates take a known value).
fn events() -> Vec<(&'static EventDef, String)> {
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

fn generator(name: &str, seed: u64) -> Generator<'static> {
    Generator {
        catalogue: Catalogue::builtin(),
        event_name: name.to_owned(),
        rng: Rng::with_seed(seed),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn payloads_built_from_a_schema_are_valid(pick in any::<prop::sample::Index>(), seed in any::<u64>()) {
        let events = events();
        let (event, name) = &events[pick.index(events.len())];
        let mut generator = generator(name, seed);
        let payload = generator.value(event.schema.as_ref().unwrap()).text();
        let report = Catalogue::builtin().validate(&event.source, name, payload.as_bytes()).unwrap();
        prop_assert!(report.errors.is_empty() && report.warnings.is_empty(),
            "{} {}: {}\n{:#?}", event.source, name, payload, report);
    }
}

#[test]
fn a_single_mutation_is_reported_at_the_mutated_pointer() {
    let (applied, ran) = count_exercised(
        512,
        (any::<prop::sample::Index>(), any::<u64>()),
        |(pick, seed)| {
            let events = events();
            let (event, name) = &events[pick.index(events.len())];
            let schema = event.schema.as_ref().unwrap();
            let mut generator = generator(name, seed);
            let original = generator.value(schema);
            let Some((mutated, expected)) = generator.mutate(&original, schema) else {
                return Ok(false);
            };
            let payload = mutated.text();
            let report = Catalogue::builtin()
                .validate(&event.source, name, payload.as_bytes())
                .unwrap();
            prop_assert_eq!(pairs(&report.errors), expected.errors, "{}", payload);
            prop_assert_eq!(pairs(&report.warnings), expected.warnings, "{}", payload);
            Ok(true)
        },
    );
    // Almost every payload admits a mutation; a property that returned
    // early for most inputs would prove nothing.
    assert!(
        applied * 2 >= ran,
        "only {applied} of {ran} mutations applied"
    );
}

#[test]
fn the_mutations_cover_every_kind_of_issue() {
    let mut seen = std::collections::BTreeSet::new();
    for (seed, (event, name)) in events().iter().cycle().take(2000).enumerate() {
        let schema = event.schema.as_ref().unwrap();
        let mut generator = generator(name, seed as u64);
        let original = generator.value(schema);
        if let Some((_, expected)) = generator.mutate(&original, schema) {
            for (code, _) in expected.errors.iter().chain(&expected.warnings) {
                seen.insert(code.clone());
            }
        }
    }
    let expected = [
        "missing_field",
        "out_of_range",
        "type_mismatch",
        "unknown_field",
    ];
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), expected);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let report = Catalogue::builtin()
            .validate("inplayer-notifications", "access.granted", &bytes)
            .unwrap();
        prop_assert!(report.errors.len() <= 100);
    }

    #[test]
    fn damaged_examples_never_panic_and_are_reported_in_order(
        pick in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        cut in any::<bool>(),
    ) {
        let events = events();
        let (event, name) = &events[pick.index(events.len())];
        let mut payload = serde_json::to_vec(&event.examples[0]).unwrap();
        let position = at.index(payload.len());
        if cut {
            payload.truncate(position);
        } else {
            payload[position] = byte;
        }
        let report = Catalogue::builtin().validate(&event.source, name, &payload).unwrap();
        // A syntax error, when there is one, is the last error.
        if let Some(index) = report.errors.iter().position(|issue| issue.code.as_str() == "syntax") {
            prop_assert_eq!(index, report.errors.len() - 1);
        }
    }
}
