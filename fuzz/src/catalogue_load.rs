//! Arbitrary catalogue documents: a clean error with a stable code, or a
//! catalogue that writes back to a document loading to an equal catalogue,
//! whose every event resolves under its own name and whose every example
//! validates against the event's schema, as the format promises.
use herald_core::Catalogue;

/// Runs one input; panics when a property fails.
pub fn run(bytes: &[u8]) {
    let catalogue = match Catalogue::from_json(bytes) {
        Ok(catalogue) => catalogue,
        Err(error) => {
            assert!(!error.code().is_empty());
            assert!(!error.to_string().is_empty());
            return;
        }
    };
    let again = Catalogue::from_json(catalogue.to_json().as_bytes())
        .expect("a loaded catalogue's document loads");
    assert_eq!(again, catalogue);
    assert_eq!(catalogue.events().count(), catalogue.len());
    for event in catalogue.events() {
        let resolved = catalogue
            .resolve(&event.source, &event.name)
            .expect("every event resolves under its own name");
        assert_eq!(resolved.event, event);
        if event.schema.is_none() {
            continue;
        }
        let validator = catalogue
            .validator(&event.source, &event.name)
            .expect("an event with a schema has a validator");
        for example in &event.examples {
            let payload = serde_json::to_vec(example).unwrap();
            let report = validator.validate(&payload);
            assert!(
                report.is_ok(),
                "{} {}: example {example} fails: {:?}",
                event.source,
                event.name,
                report.errors
            );
        }
    }
}
