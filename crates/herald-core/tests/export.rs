//! JSON Schema and AsyncAPI exports: their shape, and an agreement test that
//! runs the exported JSON Schemas through the `jsonschema` crate on a corpus
//! of valid and invalid payloads and expects herald's verdict.

use crate::common::generate::{Generator, Rng};
use crate::common::load_vectors;
use herald_core::{Catalogue, export};
use serde_json::{Value, json};

fn compile(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|error| panic!("{error}\n{schema:#}"))
}

// ---- JSON Schema -------------------------------------------------------------

#[test]
fn every_event_exports_a_json_schema_valid_for_draft_2020_12() {
    let catalogue = Catalogue::builtin();
    for event in catalogue.events() {
        let schema = export::json_schema(catalogue, &event.source, &event.name).unwrap();
        assert_eq!(schema["$schema"], export::DIALECT);
        assert!(
            jsonschema::draft202012::meta::is_valid(&schema),
            "{} {}",
            event.source,
            event.name
        );
        let validator = compile(&schema);
        for example in &event.examples {
            assert!(
                validator.is_valid(example),
                "{} {}",
                event.source,
                event.name
            );
        }
    }
}

#[test]
fn the_int64_amount_exports_its_machine_range() {
    let schema = export::json_schema(
        Catalogue::builtin(),
        "accelbyte-wallet",
        "walletBalanceChanged",
    )
    .unwrap();
    let amount = &schema["properties"]["payload"]["properties"]["data"]["properties"]["amount"];
    assert_eq!(
        amount,
        &json!({
            "type": "integer",
            "description": "The new or updated amount, a Java long (int64), checked exactly.",
            "minimum": i64::MIN,
            "maximum": i64::MAX,
            "x-herald-repr": "int64"
        })
    );
    let action = &schema["properties"]["payload"]["properties"]["action"];
    assert!(
        action.get("enum").is_none(),
        "a warn enum is not a constraint"
    );
    assert!(action["examples"].as_array().unwrap().len() == 8);
    assert_eq!(
        schema["properties"]["type"]["const"],
        "walletBalanceChanged"
    );
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn shared_schemas_become_defs_with_the_event_name_fixed() {
    let schema =
        export::json_schema(Catalogue::builtin(), "orangepill-stream", "user.created").unwrap();
    assert_eq!(schema["$ref"], "#/$defs/orangepill-notification");
    let notification = &schema["$defs"]["orangepill-notification"];
    assert_eq!(notification["properties"]["event"]["const"], "user.created");
    assert_eq!(
        notification["required"],
        json!(["data", "event", "timestamp", "type"])
    );
}

#[test]
fn a_template_exports_a_pattern_and_an_instance_a_const() {
    let catalogue = Catalogue::builtin();
    let template =
        export::json_schema(catalogue, "orangepill-stream", "{channel}.message.sent").unwrap();
    let event = &template["$defs"]["orangepill-notification"]["properties"]["event"];
    let validator = compile(
        &json!({"$schema": export::DIALECT, "type": "string", "pattern": event["pattern"]}),
    );
    assert!(validator.is_valid(&json!("sms.message.sent")));
    assert!(validator.is_valid(&json!("telegram.message.sent")));
    assert!(!validator.is_valid(&json!("message.sent")));
    assert!(!validator.is_valid(&json!("a.b.message.sent")));
    assert!(!validator.is_valid(&json!("sms.message.failed")));
    let instance = export::json_schema(catalogue, "orangepill-stream", "sms.message.sent").unwrap();
    assert_eq!(
        instance["$defs"]["orangepill-notification"]["properties"]["event"]["const"],
        "sms.message.sent"
    );
}

#[test]
fn named_schemas_export_on_their_own() {
    let schema = export::named_json_schema(Catalogue::builtin(), "orangepill-subscribe").unwrap();
    let validator = compile(&schema);
    assert!(validator.is_valid(&json!({"type": "subscribe", "realm": "key"})));
    assert!(!validator.is_valid(&json!({"type": "subscribe"})));
}

#[test]
fn exports_of_unknown_names_are_errors() {
    let catalogue = Catalogue::builtin();
    assert_eq!(
        export::json_schema(catalogue, "nowhere", "x")
            .unwrap_err()
            .code(),
        "unknown_source"
    );
    assert_eq!(
        export::json_schema(catalogue, "orangepill-stream", "nope")
            .unwrap_err()
            .code(),
        "unknown_event"
    );
    assert_eq!(
        export::asyncapi(catalogue, "nowhere").unwrap_err().code(),
        "unknown_source"
    );
}

// ---- agreement ---------------------------------------------------------------

/// What JSON Schema says about `payload`, or `None` when serde_json cannot
/// even build a value from it (not JSON, not UTF-8, nested too deep).
fn json_schema_verdict(schema: &Value, payload: &[u8]) -> Option<bool> {
    let value: Value = serde_json::from_slice(payload).ok()?;
    Some(compile(schema).is_valid(&value))
}

#[test]
fn exported_json_schemas_agree_with_herald_on_the_shared_vectors() {
    let catalogue = Catalogue::builtin();
    let mut compared = 0;
    for vector in load_vectors().cases {
        let schema = match (&vector.schema, &vector.source, &vector.name) {
            (Some(name), _, _) => export::named_json_schema(catalogue, name).unwrap(),
            (None, Some(source), Some(name)) => {
                export::json_schema(catalogue, source, name).unwrap()
            }
            _ => unreachable!(),
        };
        let Some(verdict) = json_schema_verdict(&schema, &vector.bytes()) else {
            continue;
        };
        let expected = vector.json_schema_ok.unwrap_or(vector.ok);
        assert_eq!(verdict, expected, "{}", vector.description);
        compared += 1;
    }
    assert!(compared >= 60, "{compared}");
}

#[test]
fn exported_json_schemas_agree_with_herald_on_generated_payloads_and_mutations() {
    let catalogue = Catalogue::builtin();
    let mut compared = 0;
    let events: Vec<_> = catalogue.events().collect();
    for (seed, event) in events.iter().cycle().take(3000).enumerate() {
        let name = match &event.template {
            Some(template) => event.name.replace(
                &format!("{{{}}}", template.parameter),
                &template.known_values[0],
            ),
            None => event.name.clone(),
        };
        let schema = event.schema.as_ref().unwrap();
        let exported = export::json_schema(catalogue, &event.source, &name).unwrap();
        let validator = compile(&exported);
        let mut generator = Generator {
            catalogue,
            event_name: name.clone(),
            rng: Rng::with_seed(seed as u64 + 1),
        };
        let original = generator.value(schema);
        let mut payloads = vec![original.text()];
        if let Some((mutated, _)) = generator.mutate(&original, schema) {
            payloads.push(mutated.text());
        }
        for payload in payloads {
            let herald = catalogue
                .validate(&event.source, &name, payload.as_bytes())
                .unwrap()
                .is_ok();
            let value: Value = serde_json::from_str(&payload).unwrap();
            if beyond_f64(&value) {
                // serde_json keeps such a number as an f64, rounded: JSON
                // Schema then judges another number than the payload holds.
                continue;
            }
            assert_eq!(validator.is_valid(&value), herald, "{name}: {payload}");
            compared += 1;
        }
    }
    assert!(compared > 4000, "{compared}");
}

/// Whether a number in `value` lost precision in serde_json.
fn beyond_f64(value: &Value) -> bool {
    match value {
        Value::Number(number) => number.is_f64() && number.as_f64().unwrap().abs() >= 9.0e15,
        Value::Array(items) => items.iter().any(beyond_f64),
        Value::Object(members) => members.values().any(beyond_f64),
        _ => false,
    }
}

// ---- AsyncAPI ------------------------------------------------------------------

#[test]
fn every_source_exports_an_asyncapi_document_with_a_channel_per_event() {
    let catalogue = Catalogue::builtin();
    for source in catalogue.sources() {
        let document = export::asyncapi(catalogue, &source.id).unwrap();
        assert_eq!(document["asyncapi"], "3.0.0");
        assert_eq!(document["info"]["title"], source.title.as_str());
        let channels = document["channels"].as_object().unwrap();
        let operations = document["operations"].as_object().unwrap();
        let messages = document["components"]["messages"].as_object().unwrap();
        assert_eq!(channels.len(), source.events.len());
        assert_eq!(operations.len(), source.events.len());
        assert_eq!(messages.len(), source.events.len());
        for (id, operation) in operations {
            assert_eq!(operation["action"], "receive");
            let channel = operation["channel"]["$ref"].as_str().unwrap();
            assert!(
                channels.contains_key(channel.trim_start_matches("#/channels/")),
                "{id}"
            );
        }
    }
}

#[test]
fn asyncapi_message_payloads_accept_their_examples_and_fix_the_event_name() {
    let catalogue = Catalogue::builtin();
    for source in catalogue.sources() {
        let document = export::asyncapi(catalogue, &source.id).unwrap();
        let components = document["components"].clone();
        for (id, message) in document["components"]["messages"].as_object().unwrap() {
            // A JSON Schema document whose root is the payload and which holds
            // `components`, so that `#/components/schemas/…` resolves.
            let mut schema = message["payload"].clone();
            schema["$schema"] = export::DIALECT.into();
            schema["components"] = components.clone();
            let validator = compile(&schema);
            let examples = message["examples"].as_array().unwrap();
            assert!(!examples.is_empty(), "{id}");
            for example in examples {
                assert!(validator.is_valid(&example["payload"]), "{id}");
                let mut renamed = example["payload"].clone();
                for key in ["type", "event"] {
                    if renamed
                        .get(key)
                        .is_some_and(|value| value.as_str() == message["name"].as_str())
                    {
                        renamed[key] = "some.other.event".into();
                    }
                }
                if renamed != example["payload"] {
                    assert!(
                        !validator.is_valid(&renamed),
                        "{id} accepts another event name"
                    );
                }
            }
        }
    }
}

#[test]
fn asyncapi_templated_channels_declare_their_parameter() {
    let document = export::asyncapi(Catalogue::builtin(), "orangepill-stream").unwrap();
    let channel = &document["channels"]["channel.message.failed"];
    assert_eq!(channel["address"], "{channel}.message.failed");
    assert_eq!(
        channel["parameters"]["channel"]["examples"],
        json!(["sms", "whatsapp", "html"])
    );
    assert!(
        document["components"]["schemas"]
            .get("orangepill-notification")
            .is_none()
    );
}
