//! The shared validation vectors (`tests/vectors/validation.json`) give the
//! same answers here as in the C and Python suites.

use crate::common::{expected_pairs, load_vectors, pairs};
use herald_core::Catalogue;

#[test]
fn every_shared_vector_gives_its_expected_report() {
    let file = load_vectors();
    assert_eq!(file.format, "herald-validation-vectors/1");
    assert!(file.cases.len() >= 50);
    let catalogue = Catalogue::builtin();
    let mut failures = Vec::new();
    for vector in &file.cases {
        let report = vector.run(catalogue);
        let errors_match = pairs(&report.errors) == expected_pairs(&vector.errors);
        let warnings_match = pairs(&report.warnings) == expected_pairs(&vector.warnings);
        if report.is_ok() != vector.ok || !errors_match || !warnings_match {
            failures.push(format!(
                "{}\n  errors:   {:?}\n  warnings: {:?}",
                vector.description,
                report
                    .errors
                    .iter()
                    .map(|i| format!("{} {} {}", i.code, i.pointer, i.message))
                    .collect::<Vec<_>>(),
                pairs(&report.warnings)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn vectors_are_consistent_with_themselves() {
    for vector in load_vectors().cases {
        assert_eq!(
            vector.ok,
            vector.errors.is_empty(),
            "{}",
            vector.description
        );
    }
}
