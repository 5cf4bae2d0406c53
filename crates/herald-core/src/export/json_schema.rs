//! JSON Schema (draft 2020-12) export of catalogue schemas, and the
//! renderer the AsyncAPI export shares.
//!
//! The export says as much as JSON Schema can of what herald checks, and
//! nothing more: warn-policy enums become `examples`, formats become
//! anchored `pattern`s (plus `format` where the standard one means the same),
//! integers carry their machine range as `minimum`/`maximum`, named schemas
//! become `$defs`. What only a byte-level validator can see is not
//! expressible and is left out: duplicate keys, invalid UTF-8, the number
//! token (JSON Schema calls `1.0` an integer), precision past `f64`, and
//! warnings (they never make a payload invalid). The export is plain data:
//! it returns a `serde_json::Value` and does no IO.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::catalogue::{Catalogue, EventDef, LookupError};
use crate::schema::{EnumPolicy, IntegerRepr, Schema, StringFormat, UnknownPolicy};

/// The `$schema` of every exported document.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// An RFC 4122 UUID in hyphenated form, any case.
const UUID_PATTERN: &str =
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
/// A date-time whose offset has no colon (`+0000`), which RFC 3339 and the
/// standard `date-time` format do not allow.
const DATE_TIME_NO_COLON_PATTERN: &str = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?[+-]([01][0-9]|2[0-3])[0-5][0-9]$";
const CURRENCY_PATTERN: &str = "^[A-Z]{3}$";
const DECIMAL_PATTERN: &str = "^-?[0-9]+(\\.[0-9]+)?$";
/// One topic segment, as a template parameter value.
const SEGMENT_PATTERN: &str = "[^.*#>\\s\\x00-\\x1f\\x7f]+";

/// Where references point: `#/$defs/` in a JSON Schema document,
/// `#/components/schemas/` in an AsyncAPI document.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Renderer<'a> {
    pub(crate) catalogue: &'a Catalogue,
    pub(crate) ref_prefix: &'a str,
    /// What `event_name` must be: the JSON Schema of the name.
    pub(crate) event: EventNameRule<'a>,
    /// How references render.
    pub(crate) refs: RefStyle,
}

/// How a reference to a named schema renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RefStyle {
    /// Always `$ref`: the named schema is rendered once, under the same
    /// event rule, among the definitions.
    Reference,
    /// Inline the named schema when it holds an `event_name`, whose rule is
    /// per event and so cannot live in a definition shared by several
    /// events (AsyncAPI's `components.schemas`); `$ref` otherwise.
    InlineEventNames,
}

/// How an `event_name` exports.
#[derive(Debug, Clone, Copy)]
pub(crate) enum EventNameRule<'a> {
    /// `const` of this name.
    Exact(&'a str),
    /// A pattern matching every instance of this templated event.
    Template(&'a EventDef),
    /// Any string (no event: a named schema on its own).
    AnyString,
}

/// Escapes a key for use in a JSON Pointer fragment.
fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

fn regex_literal(text: &str) -> String {
    let mut out = String::new();
    for character in text.chars() {
        if character.is_ascii_alphanumeric() || character == '_' || character == '-' {
            out.push(character);
        } else {
            out.push('\\');
            out.push(character);
        }
    }
    out
}

/// The regular expression of a templated event's instances.
fn template_pattern(event: &EventDef) -> String {
    let template = event.template.as_ref();
    let placeholder = template.map(|t| format!("{{{}}}", t.parameter));
    let segments: Vec<String> = event
        .name
        .split('.')
        .map(|segment| match (template, &placeholder) {
            (Some(template), Some(placeholder)) if segment == placeholder => {
                if template.open {
                    SEGMENT_PATTERN.to_owned()
                } else {
                    let values: Vec<String> = template
                        .known_values
                        .iter()
                        .map(|value| regex_literal(value))
                        .collect();
                    format!("(?:{})", values.join("|"))
                }
            }
            _ => regex_literal(segment),
        })
        .collect();
    format!("^{}$", segments.join("\\."))
}

impl Renderer<'_> {
    /// The JSON Schema of one schema node (references stay references).
    pub(crate) fn render(&self, schema: &Schema) -> Value {
        let mut out = Map::new();
        let describe = |out: &mut Map<String, Value>, description: &Option<String>| {
            if let Some(description) = description {
                out.insert("description".into(), description.clone().into());
            }
        };
        match schema {
            Schema::Object(object) => {
                out.insert("type".into(), "object".into());
                describe(&mut out, &object.description);
                let properties: Map<String, Value> = object
                    .fields
                    .iter()
                    .map(|(name, field)| (name.clone(), self.render(field)))
                    .collect();
                out.insert("properties".into(), properties.into());
                let required: Vec<Value> = object
                    .fields
                    .keys()
                    .filter(|name| !object.optional.contains(name))
                    .map(|name| name.clone().into())
                    .collect();
                if !required.is_empty() {
                    out.insert("required".into(), required.into());
                }
                if object.unknown_fields == UnknownPolicy::Deny {
                    out.insert("additionalProperties".into(), false.into());
                }
            }
            Schema::Array(array) => {
                out.insert("type".into(), "array".into());
                describe(&mut out, &array.description);
                out.insert("items".into(), self.render(&array.items));
                if let Some(min) = array.min_items {
                    out.insert("minItems".into(), min.into());
                }
                if let Some(max) = array.max_items {
                    out.insert("maxItems".into(), max.into());
                }
            }
            Schema::String(string) => {
                out.insert("type".into(), "string".into());
                describe(&mut out, &string.description);
                if let Some(min) = string.min_length {
                    out.insert("minLength".into(), min.into());
                }
                if let Some(max) = string.max_length {
                    out.insert("maxLength".into(), max.into());
                }
                if let Some(constant) = &string.constant {
                    out.insert("const".into(), constant.clone().into());
                }
                if let Some(values) = &string.values {
                    let key = match string.unknown_value {
                        EnumPolicy::Error => "enum",
                        // Other values are only warnings: known, not required.
                        EnumPolicy::Warn => "examples",
                    };
                    out.insert(key.into(), json!(values));
                }
                match string.format {
                    Some(StringFormat::Uuid) => {
                        out.insert("format".into(), "uuid".into());
                        out.insert("pattern".into(), UUID_PATTERN.into());
                    }
                    Some(StringFormat::DateTime) => {
                        out.insert("format".into(), "date-time".into());
                    }
                    Some(StringFormat::DateTimeLenient) => {
                        out.insert(
                            "anyOf".into(),
                            json!([
                                {"format": "date-time"},
                                {"pattern": DATE_TIME_NO_COLON_PATTERN}
                            ]),
                        );
                    }
                    Some(StringFormat::CurrencyCode) => {
                        out.insert("pattern".into(), CURRENCY_PATTERN.into());
                    }
                    Some(StringFormat::Decimal) => {
                        out.insert("pattern".into(), DECIMAL_PATTERN.into());
                    }
                    None => {}
                }
            }
            Schema::Integer(integer) => {
                out.insert("type".into(), "integer".into());
                describe(&mut out, &integer.description);
                let (low, high) = integer.repr.range();
                let low = integer.minimum.map_or(low, |bound| bound.0.max(low));
                let high = integer.maximum.map_or(high, |bound| bound.0.min(high));
                out.insert("minimum".into(), integer_value(low));
                out.insert("maximum".into(), integer_value(high));
                let repr = match integer.repr {
                    IntegerRepr::Int64 => "int64",
                    IntegerRepr::Uint64 => "uint64",
                };
                out.insert("x-herald-repr".into(), repr.into());
            }
            Schema::Number(number) => {
                out.insert("type".into(), "number".into());
                describe(&mut out, &number.description);
                if let Some(min) = number.minimum {
                    out.insert("minimum".into(), min.into());
                }
                if let Some(max) = number.maximum {
                    out.insert("maximum".into(), max.into());
                }
            }
            Schema::Boolean(plain) => {
                out.insert("type".into(), "boolean".into());
                describe(&mut out, &plain.description);
            }
            Schema::Null(plain) => {
                out.insert("type".into(), "null".into());
                describe(&mut out, &plain.description);
            }
            Schema::Any(plain) => describe(&mut out, &plain.description),
            Schema::EventName(plain) => {
                out.insert("type".into(), "string".into());
                describe(&mut out, &plain.description);
                match self.event {
                    EventNameRule::Exact(name) => {
                        out.insert("const".into(), name.into());
                    }
                    EventNameRule::Template(event) => {
                        out.insert("pattern".into(), template_pattern(event).into());
                    }
                    EventNameRule::AnyString => {}
                }
            }
            Schema::OneOf(one_of) => {
                describe(&mut out, &one_of.description);
                let variants: Vec<Value> = one_of
                    .variants
                    .iter()
                    .map(|variant| self.render(variant))
                    .collect();
                out.insert("oneOf".into(), variants.into());
            }
            Schema::Ref(reference)
                if self.refs == RefStyle::InlineEventNames
                    && self.holds_event_name(&reference.name, &mut BTreeSet::new()) =>
            {
                if let Some(target) = self.catalogue.schemas().get(&reference.name) {
                    return self.render(target);
                }
            }
            Schema::Ref(reference) => {
                out.insert(
                    "$ref".into(),
                    format!("{}{}", self.ref_prefix, pointer_token(&reference.name)).into(),
                );
            }
        }
        Value::Object(out)
    }

    /// Whether the named schema holds an `event_name`, through references
    /// too. A reference loop that holds one is not inlined (it would never
    /// end): `visiting` breaks it.
    pub(crate) fn holds_event_name(&self, name: &str, visiting: &mut BTreeSet<String>) -> bool {
        if !visiting.insert(name.to_owned()) {
            return false;
        }
        let Some(schema) = self.catalogue.schemas().get(name) else {
            return false;
        };
        let mut holds = false;
        let mut names = Vec::new();
        walk(schema, &mut |schema| match schema {
            Schema::EventName(_) => holds = true,
            Schema::Ref(reference) => names.push(reference.name.clone()),
            _ => {}
        });
        let holds = holds
            || names
                .iter()
                .any(|name| self.holds_event_name(name, visiting));
        visiting.remove(name);
        holds
    }

    /// The named schemas `roots` refer to, directly or not, rendered.
    pub(crate) fn definitions<'s>(
        &self,
        roots: impl IntoIterator<Item = &'s Schema>,
    ) -> Map<String, Value> {
        let named = self.catalogue.schemas();
        let mut used = BTreeSet::new();
        let mut pending: Vec<&Schema> = roots.into_iter().collect();
        while let Some(schema) = pending.pop() {
            references(schema, &mut |name| {
                if used.insert(name.to_owned())
                    && let Some(target) = named.get(name)
                {
                    pending.push(target);
                }
            });
        }
        used.iter()
            .filter_map(|name| Some((name.clone(), self.render(named.get(name)?))))
            .collect()
    }
}

fn integer_value(value: i128) -> Value {
    match (i64::try_from(value), u64::try_from(value)) {
        (Ok(signed), _) => signed.into(),
        (_, Ok(unsigned)) => unsigned.into(),
        // Bounds are checked to fit int64 or uint64 when a catalogue loads.
        _ => Value::Null,
    }
}

/// Calls `visit` with `schema` and every schema inside it, not following
/// references.
fn walk(schema: &Schema, visit: &mut impl FnMut(&Schema)) {
    visit(schema);
    match schema {
        Schema::Object(object) => object.fields.values().for_each(|field| walk(field, visit)),
        Schema::Array(array) => walk(&array.items, visit),
        Schema::OneOf(one_of) => one_of
            .variants
            .iter()
            .for_each(|variant| walk(variant, visit)),
        _ => {}
    }
}

/// Calls `found` with the name of every reference directly inside `schema`.
fn references(schema: &Schema, found: &mut impl FnMut(&str)) {
    match schema {
        Schema::Ref(reference) => found(&reference.name),
        Schema::Object(object) => object
            .fields
            .values()
            .for_each(|field| references(field, found)),
        Schema::Array(array) => references(&array.items, found),
        Schema::OneOf(one_of) => one_of
            .variants
            .iter()
            .for_each(|variant| references(variant, found)),
        _ => {}
    }
}

/// A complete JSON Schema document: `$schema`, title, the root keywords and
/// `$defs` for the named schemas used.
fn document(renderer: &Renderer<'_>, schema: &Schema, title: String, description: &str) -> Value {
    let mut out = Map::new();
    out.insert("$schema".into(), DIALECT.into());
    out.insert("title".into(), title.into());
    out.insert("description".into(), description.into());
    let Value::Object(root) = renderer.render(schema) else {
        unreachable!("render returns objects")
    };
    for (key, value) in root {
        if key == "description" {
            // The root schema's own description joins the event's.
            let joined = format!("{description} {}", value.as_str().unwrap_or_default());
            out.insert(key, joined.trim().to_owned().into());
        } else {
            out.insert(key, value);
        }
    }
    let definitions = renderer.definitions([schema]);
    if !definitions.is_empty() {
        out.insert("$defs".into(), definitions.into());
    }
    Value::Object(out)
}

/// The JSON Schema (draft 2020-12) of an event's payload. Names resolve
/// as in [`Catalogue::validator`]: a template instance fixes the event
/// name (`const`), the template's own name accepts every instance
/// (`pattern`).
///
/// ```
/// use herald_core::{export, Catalogue};
/// let schema = export::json_schema(Catalogue::builtin(), "accelbyte-wallet", "walletBalanceChanged")?;
/// assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
/// let amount = &schema["properties"]["payload"]["properties"]["data"]["properties"]["amount"];
/// assert_eq!(amount["maximum"], 9223372036854775807i64);
/// # Ok::<(), herald_core::LookupError>(())
/// ```
pub fn json_schema(catalogue: &Catalogue, source: &str, name: &str) -> Result<Value, LookupError> {
    let (event, rule) = export_target(catalogue, source, name)?;
    let schema = event.schema.as_ref().ok_or_else(|| LookupError::NoSchema {
        source_id: event.source.clone(),
        name: event.name.clone(),
    })?;
    let renderer = Renderer {
        catalogue,
        ref_prefix: "#/$defs/",
        event: rule,
        refs: RefStyle::Reference,
    };
    Ok(document(
        &renderer,
        schema,
        format!("{} {name}", event.source),
        &event.description,
    ))
}

/// The JSON Schema (draft 2020-12) of a named schema of the document's
/// `schemas` table; `event_name` strings are unconstrained strings.
///
/// ```
/// use herald_core::{export, Catalogue};
/// let schema = export::named_json_schema(Catalogue::builtin(), "orangepill-info")?;
/// assert_eq!(schema["properties"]["type"]["const"], "info");
/// # Ok::<(), herald_core::LookupError>(())
/// ```
pub fn named_json_schema(catalogue: &Catalogue, name: &str) -> Result<Value, LookupError> {
    let schema = catalogue
        .schemas()
        .get(name)
        .ok_or_else(|| LookupError::UnknownSchema {
            name: name.to_owned(),
        })?;
    let renderer = Renderer {
        catalogue,
        ref_prefix: "#/$defs/",
        event: EventNameRule::AnyString,
        refs: RefStyle::Reference,
    };
    Ok(document(&renderer, schema, name.to_owned(), ""))
}

/// The event a (source, name) pair exports, and how its name exports.
fn export_target<'a>(
    catalogue: &'a Catalogue,
    source: &str,
    name: &'a str,
) -> Result<(&'a EventDef, EventNameRule<'a>), LookupError> {
    let resolved = catalogue
        .resolve(source, name)
        .ok_or_else(|| LookupError::unresolved(catalogue, source, name))?;
    let event = resolved.event;
    let rule = match (resolved.binding, &event.template) {
        (Some(_), _) => EventNameRule::Exact(name),
        (None, Some(_)) => EventNameRule::Template(event),
        (None, None) => EventNameRule::Exact(&event.name),
    };
    Ok((event, rule))
}
