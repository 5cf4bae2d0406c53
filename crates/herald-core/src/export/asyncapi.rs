//! AsyncAPI 3.0 export: one document per source.
//!
//! Each event becomes a channel whose address is the event name (templated
//! names keep their `{parameter}`, declared under `parameters`), a `receive`
//! operation on it, and a message whose payload is the event's schema in the
//! JSON Schema vocabulary that AsyncAPI's default schema format shares with
//! draft 2020-12. Named schemas go to `components.schemas`, except those
//! holding an `event_name`: its value is per event, so they are inlined in
//! each message. The export is plain data and does no IO.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::json_schema::{EventNameRule, RefStyle, Renderer};
use crate::catalogue::{Catalogue, EventDef, LookupError};

/// The AsyncAPI version of the exported documents.
pub const ASYNCAPI_VERSION: &str = "3.0.0";

/// A channel, operation or message id for an event: its name without the
/// braces of a template placeholder (ids allow letters, digits, `.-_`).
fn id_of(event: &EventDef) -> String {
    event
        .name
        .chars()
        .filter_map(|character| match character {
            '{' | '}' => None,
            c if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') => Some(c),
            _ => Some('_'),
        })
        .collect()
}

/// The AsyncAPI 3.0 document of one source: channels, `receive`
/// operations and messages with payload schemas and examples.
///
/// ```
/// use herald_core::{export, Catalogue};
/// let doc = export::asyncapi(Catalogue::builtin(), "orangepill-stream")?;
/// assert_eq!(doc["asyncapi"], "3.0.0");
/// let channel = &doc["channels"]["channel.message.sent"];
/// assert_eq!(channel["address"], "{channel}.message.sent");
/// assert_eq!(doc["operations"]["receive-user.created"]["action"], "receive");
/// # Ok::<(), herald_core::LookupError>(())
/// ```
pub fn asyncapi(catalogue: &Catalogue, source: &str) -> Result<Value, LookupError> {
    let source_def = catalogue
        .source(source)
        .ok_or_else(|| LookupError::UnknownSource {
            source_id: source.to_owned(),
        })?;
    let mut channels = Map::new();
    let mut operations = Map::new();
    let mut messages = Map::new();
    let mut payload_schemas = Vec::new();
    for event in &source_def.events {
        let id = id_of(event);
        let rule = match &event.template {
            Some(_) => EventNameRule::Template(event),
            None => EventNameRule::Exact(&event.name),
        };
        let renderer = Renderer {
            catalogue,
            ref_prefix: "#/components/schemas/",
            event: rule,
            refs: RefStyle::InlineEventNames,
        };
        let mut channel = json!({
            "address": event.name,
            "description": event.description,
            "messages": { id.clone(): { "$ref": format!("#/components/messages/{id}") } },
        });
        if let Some(template) = &event.template {
            let mut parameter = json!({
                "description": format!(
                    "Known values: {}{}.",
                    template.known_values.join(", "),
                    if template.open { "; others are accepted" } else { "" }
                ),
                "examples": template.known_values,
            });
            if !template.open {
                parameter["enum"] = json!(template.known_values);
            }
            channel["parameters"] = json!({ template.parameter.clone(): parameter });
        }
        channels.insert(id.clone(), channel);
        operations.insert(
            format!("receive-{id}"),
            json!({
                "action": "receive",
                "channel": { "$ref": format!("#/channels/{id}") },
                "summary": event.description,
                "messages": [ { "$ref": format!("#/channels/{id}/messages/{id}") } ],
            }),
        );
        let mut message = json!({
            "name": event.name,
            "title": format!("{} {}", source_def.title, event.name),
            "summary": event.description,
            "contentType": "application/json",
            "tags": [ { "name": event.category } ],
        });
        if let Some(schema) = &event.schema {
            message["payload"] = renderer.render(schema);
            payload_schemas.push(schema);
        }
        if !event.examples.is_empty() {
            let examples: Vec<Value> = event
                .examples
                .iter()
                .enumerate()
                .map(|(index, example)| {
                    json!({ "name": format!("example-{}", index + 1), "payload": example })
                })
                .collect();
            message["examples"] = examples.into();
        }
        messages.insert(id, message);
    }
    // Named schemas holding an event name were inlined above; the
    // others are shared, with event names as plain strings.
    let renderer = Renderer {
        catalogue,
        ref_prefix: "#/components/schemas/",
        event: EventNameRule::AnyString,
        refs: RefStyle::InlineEventNames,
    };
    let mut schemas = renderer.definitions(payload_schemas);
    schemas.retain(|name, _| !renderer.holds_event_name(name, &mut BTreeSet::new()));
    let mut components = Map::new();
    components.insert("messages".into(), messages.into());
    if !schemas.is_empty() {
        components.insert("schemas".into(), schemas.into());
    }
    Ok(json!({
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": source_def.title,
            "version": env!("CARGO_PKG_VERSION"),
            "description": format!("{} Transport: {}", source_def.description, source_def.transport),
            "x-herald-source": source_def.id,
            "x-herald-vendor": source_def.vendor,
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": components,
    }))
}
