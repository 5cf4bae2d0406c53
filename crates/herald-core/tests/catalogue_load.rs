//! Loading a catalogue document: what is accepted, and a clear, located error
//! for everything that is not.

use herald_core::{Catalogue, CatalogueError};
use serde_json::{Value, json};

fn document(events: Value) -> Value {
    json!({
        "format": "herald-catalogue/1",
        "sources": [{
            "id": "shop",
            "vendor": "Example Co",
            "title": "Shop events",
            "transport": "HTTP POST with a JSON body",
            "description": "Orders and refunds.",
            "events": events
        }]
    })
}

fn event(name: &str) -> Value {
    json!({"name": name, "category": "payment", "description": format!("About {name}.")})
}

fn load(document: &Value) -> Result<Catalogue, CatalogueError> {
    Catalogue::from_json(document.to_string().as_bytes())
}

fn load_error(document: &Value) -> CatalogueError {
    load(document).expect_err("the document should be rejected")
}

#[test]
fn loads_a_minimal_custom_catalogue() {
    let catalogue = load(&document(json!([
        event("order.paid"),
        event("order.refunded")
    ])))
    .unwrap();
    assert_eq!(catalogue.len(), 2);
    assert_eq!(catalogue.get("shop", "order.paid").unwrap().source, "shop");
}

#[test]
fn custom_catalogues_round_trip() {
    let mut with_everything = event("{region}.order.paid");
    with_everything["template"] =
        json!({"parameter": "region", "known_values": ["eu"], "open": false});
    with_everything["flags"] = json!(["supplementary"]);
    with_everything["deprecated"] = json!({"since": "2024-01", "note": "Use order.settled.", "replaced_by": {"source": "shop", "name": "order.settled"}});
    with_everything["aliases"] = json!([{"source": "shop", "name": "order.settled"}]);
    with_everything["schema"] = json!({"type": "object", "fields": {"id": {"type": "string"}}});
    with_everything["examples"] = json!([{"id": "o-1"}]);
    let catalogue = load(&document(json!([with_everything, event("order.settled")]))).unwrap();
    let again = Catalogue::from_json(catalogue.to_json().as_bytes()).unwrap();
    assert_eq!(again, catalogue);
    let resolved = again.resolve("shop", "eu.order.paid").unwrap();
    assert_eq!(
        resolved.event.deprecated.as_ref().unwrap().note,
        "Use order.settled."
    );
    assert!(
        again.resolve("shop", "us.order.paid").is_none(),
        "closed template rejects unknown values"
    );
}

#[test]
fn rejects_malformed_json_with_its_position() {
    let error =
        Catalogue::from_json(b"{\n  \"format\": \"herald-catalogue/1\",\n  \"sources\": [\n}")
            .unwrap_err();
    assert_eq!(error.code(), "malformed");
    assert!(
        matches!(error, CatalogueError::Malformed { line: 4, .. }),
        "{error:?}"
    );
}

#[test]
fn rejects_empty_input() {
    assert_eq!(Catalogue::from_json(b"").unwrap_err().code(), "malformed");
}

#[test]
fn rejects_invalid_utf8() {
    let error =
        Catalogue::from_json(b"{\"format\": \"herald-catalogue/1\", \"sources\": [\"\xff\"]}")
            .unwrap_err();
    assert_eq!(error.code(), "malformed");
}

#[test]
fn rejects_a_missing_format() {
    let error = load_error(&json!({"sources": []}));
    assert_eq!(error.code(), "malformed");
    assert!(error.to_string().contains("format"), "{error}");
}

#[test]
fn rejects_an_unknown_format_version() {
    let mut doc = document(json!([]));
    doc["format"] = json!("herald-catalogue/2");
    doc["something_new"] = json!(true);
    assert_eq!(
        load_error(&doc),
        CatalogueError::UnknownFormat {
            found: "herald-catalogue/2".into(),
            expected: "herald-catalogue/1"
        }
    );
}

#[test]
fn rejects_unknown_fields_naming_them() {
    let mut bad = event("order.paid");
    bad["colour"] = json!("blue");
    let error = load_error(&document(json!([bad])));
    assert_eq!(error.code(), "unknown_field");
    assert!(error.to_string().contains("colour"), "{error}");
}

#[test]
fn rejects_unknown_fields_in_schemas() {
    let mut bad = event("order.paid");
    bad["schema"] = json!({"type": "string", "maxLen": 3});
    let error = load_error(&document(json!([bad])));
    assert_eq!(error.code(), "unknown_field");
    assert!(error.to_string().contains("maxLen"), "{error}");
}

#[test]
fn rejects_unknown_flags() {
    let mut bad = event("order.paid");
    bad["flags"] = json!(["shiny"]);
    assert_eq!(load_error(&document(json!([bad]))).code(), "unknown_field");
}

#[test]
fn rejects_a_duplicate_event_in_one_source() {
    let error = load_error(&document(json!([event("order.paid"), event("order.paid")])));
    assert_eq!(
        error,
        CatalogueError::DuplicateEvent {
            at: "sources[0].events[1] (shop order.paid)".into(),
            source_id: "shop".into(),
            name: "order.paid".into()
        }
    );
}

#[test]
fn accepts_one_name_in_two_sources() {
    let mut doc = document(json!([event("order.paid")]));
    let mut second = doc["sources"][0].clone();
    second["id"] = json!("shop-webhooks");
    doc["sources"].as_array_mut().unwrap().push(second);
    let catalogue = load(&doc).unwrap();
    assert_eq!(catalogue.find("order.paid").count(), 2);
}

#[test]
fn rejects_a_duplicate_source() {
    let mut doc = document(json!([]));
    let again = doc["sources"][0].clone();
    doc["sources"].as_array_mut().unwrap().push(again);
    assert_eq!(
        load_error(&doc),
        CatalogueError::DuplicateSource {
            at: "sources[1]".into(),
            id: "shop".into()
        }
    );
}

#[test]
fn rejects_an_invalid_source_id() {
    let mut doc = document(json!([]));
    doc["sources"][0]["id"] = json!("my shop");
    assert_eq!(load_error(&doc).code(), "invalid_source_id");
}

#[test]
fn rejects_an_invalid_event_name_through_the_tokenizer() {
    for (name, rule) in [
        ("order..paid", "empty_segment"),
        ("order.*", "reserved_character"),
        ("order paid", "forbidden_character"),
        ("", "empty"),
    ] {
        let error = load_error(&document(json!([event(name)])));
        match &error {
            CatalogueError::InvalidEventName { at, reason, .. } => {
                assert_eq!(reason.code(), rule, "{name:?}");
                assert!(at.starts_with("sources[0].events[0]"), "{at}");
            }
            other => panic!("{name:?}: {other:?}"),
        }
    }
}

#[test]
fn rejects_an_alias_pointing_nowhere() {
    let mut bad = event("order.paid");
    bad["aliases"] = json!([{"source": "shop", "name": "order.lost"}]);
    let error = load_error(&document(json!([bad])));
    assert_eq!(error.code(), "dangling_reference");
    assert!(error.to_string().contains("order.lost"), "{error}");
}

#[test]
fn rejects_an_alias_to_an_unknown_source() {
    let mut bad = event("order.paid");
    bad["aliases"] = json!([{"source": "elsewhere", "name": "order.paid"}]);
    assert_eq!(
        load_error(&document(json!([bad]))).code(),
        "dangling_reference"
    );
}

#[test]
fn rejects_a_replacement_pointing_nowhere() {
    let mut bad = event("order.paid");
    bad["deprecated"] =
        json!({"note": "gone", "replaced_by": {"source": "shop", "name": "order.gone"}});
    let error = load_error(&document(json!([bad])));
    assert!(
        matches!(
            error,
            CatalogueError::DanglingReference {
                field: "deprecated.replaced_by",
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn rejects_an_event_aliasing_itself() {
    let mut bad = event("order.paid");
    bad["aliases"] = json!([{"source": "shop", "name": "order.paid"}]);
    assert_eq!(load_error(&document(json!([bad]))).code(), "self_alias");
}

#[test]
fn rejects_a_template_pointing_nowhere() {
    let mut bad = event("order.paid");
    bad["template"] = json!({"parameter": "region", "known_values": ["eu"], "open": true});
    let error = load_error(&document(json!([bad])));
    assert_eq!(error.code(), "invalid_template");
    assert!(error.to_string().contains("region"), "{error}");
}

#[test]
fn rejects_a_placeholder_without_a_template() {
    let error = load_error(&document(json!([event("{region}.order.paid")])));
    assert_eq!(error.code(), "invalid_template");
}

#[test]
fn rejects_a_template_whose_parameter_differs_from_the_placeholder() {
    let mut bad = event("{zone}.order.paid");
    bad["template"] = json!({"parameter": "region", "known_values": [], "open": true});
    assert_eq!(
        load_error(&document(json!([bad]))).code(),
        "invalid_template"
    );
}

#[test]
fn rejects_an_empty_description() {
    let mut bad = event("order.paid");
    bad["description"] = json!("  ");
    assert_eq!(
        load_error(&document(json!([bad]))),
        CatalogueError::EmptyText {
            at: "sources[0].events[0] (shop order.paid)".into(),
            field: "description"
        }
    );
}

#[test]
fn rejects_a_schema_reference_pointing_nowhere() {
    let mut bad = event("order.paid");
    bad["schema"] =
        json!({"type": "object", "fields": {"data": {"type": "ref", "name": "missing"}}});
    let error = load_error(&document(json!([bad])));
    assert_eq!(error.code(), "invalid_schema");
    assert!(error.to_string().contains("schema.fields.data"), "{error}");
}

#[test]
fn rejects_inconsistent_schemas() {
    for schema in [
        json!({"type": "string", "min_length": 3, "max_length": 1}),
        json!({"type": "integer", "repr": "uint64", "minimum": -1}),
        json!({"type": "object", "fields": {}, "optional": ["ghost"]}),
        json!({"type": "one_of", "variants": [{"type": "integer"}, {"type": "number"}]}),
        json!({"type": "string", "enum": []}),
    ] {
        let mut bad = event("order.paid");
        bad["schema"] = schema.clone();
        assert_eq!(
            load_error(&document(json!([bad]))).code(),
            "invalid_schema",
            "{schema}"
        );
    }
}

#[test]
fn rejects_reference_loops_in_named_schemas() {
    let mut doc = document(json!([]));
    doc["schemas"] = json!({"a": {"type": "ref", "name": "b"}, "b": {"type": "ref", "name": "a"}});
    assert_eq!(load_error(&doc).code(), "invalid_schema");
}
