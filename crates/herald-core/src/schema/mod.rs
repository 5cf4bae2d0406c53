//! Payload schema model: the small, exact type language the catalogue uses to
//! describe each event's payload.
//!
//! This is deliberately not a JSON Schema engine. It has the handful of types
//! vendor payloads need — objects with a policy for unknown fields, strings with
//! enums and formats, integers range-checked exactly as `int64`/`uint64`,
//! numbers, booleans, arrays, null, unions of distinct JSON kinds — and nothing
//! that would force the validator to buffer or backtrack. Schemas are plain data:
//! they live in the catalogue document and serialise with serde.
//!
//! The model never validates anything itself and knows no catalogue: the
//! validator compiles it, the catalogue holds it, the exporters render it.
//! It uses nothing else from the crate.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The schema of one JSON value.
///
/// In the catalogue document a schema is an object tagged by `"type"`:
///
/// ```
/// use herald_core::schema::Schema;
/// let schema: Schema = serde_json::from_str(
///     r#"{"type": "integer", "repr": "int64", "minimum": 0}"#,
/// ).unwrap();
/// assert!(matches!(schema, Schema::Integer(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Schema {
    /// A JSON object with named fields.
    Object(ObjectSchema),
    /// A JSON array whose items share one schema.
    Array(ArraySchema),
    /// A JSON string.
    String(StringSchema),
    /// A JSON integer token, checked exactly (never through `f64`).
    Integer(IntegerSchema),
    /// Any JSON number.
    Number(NumberSchema),
    /// `true` or `false`.
    Boolean(PlainSchema),
    /// `null`.
    Null(PlainSchema),
    /// Any JSON value at all (still checked for syntax, depth and size).
    Any(PlainSchema),
    /// A string that must be the name of the event being validated (for
    /// templated events, any name that resolves to the template).
    EventName(PlainSchema),
    /// One of several schemas, told apart by the JSON kind of the value alone
    /// (so the validator never has to try one and back off).
    OneOf(OneOfSchema),
    /// A named schema from the catalogue document's `schemas` table.
    Ref(RefSchema),
}

/// How to treat something the schema does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownPolicy {
    /// Accept it silently.
    Allow,
    /// Accept it and add a warning to the report.
    #[default]
    Warn,
    /// Report it as an error.
    Deny,
}

/// A JSON object.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectSchema {
    /// What the object is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The known fields and their schemas.
    #[serde(default)]
    pub fields: BTreeMap<String, Schema>,
    /// Names of fields that may be absent; every other field is required.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub optional: Vec<String>,
    /// What to do with a field not listed in `fields` (default: warn).
    #[serde(default)]
    pub unknown_fields: UnknownPolicy,
}

/// A JSON array.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArraySchema {
    /// What the array is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The schema of every item.
    pub items: Box<Schema>,
    /// Fewest items allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    /// Most items allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
}

/// A JSON string.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StringSchema {
    /// What the string is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Fewest characters (Unicode scalar values) allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    /// Most characters (Unicode scalar values) allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// The only value allowed.
    #[serde(default, rename = "const", skip_serializing_if = "Option::is_none")]
    pub constant: Option<String>,
    /// The known values.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
    /// What to do with a value outside `enum` (default: error).
    #[serde(default, skip_serializing_if = "EnumPolicy::is_default")]
    pub unknown_value: EnumPolicy,
    /// A format the text must follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<StringFormat>,
}

/// What to do with a string outside its schema's `enum`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnumPolicy {
    /// Report an `unknown_enum` error.
    #[default]
    Error,
    /// Accept it with an `unknown_enum` warning: vendors add values over time.
    Warn,
}

impl EnumPolicy {
    fn is_default(&self) -> bool {
        *self == EnumPolicy::default()
    }
}

/// Text formats a string can be held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StringFormat {
    /// An RFC 4122 UUID in its hyphenated form, any case.
    Uuid,
    /// An RFC 3339 date-time (`2019-01-15T12:45:21Z`).
    DateTime,
    /// A date-time as vendors actually send it: RFC 3339, or with an offset
    /// without a colon (`2019-06-07T13:11:41+0000`).
    DateTimeLenient,
    /// Three upper-case ASCII letters (ISO 4217 shape: `EUR`, `USD`).
    CurrencyCode,
    /// A decimal number written as a string (`"3.00"`, `"15.5"`, `"-2"`).
    Decimal,
}

/// A JSON integer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntegerSchema {
    /// What the integer is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The machine type the value must fit (default: int64).
    #[serde(default)]
    pub repr: IntegerRepr,
    /// Smallest value allowed (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<IntegerBound>,
    /// Largest value allowed (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<IntegerBound>,
}

/// An inclusive integer bound covering both the `int64` and the `uint64` range.
///
/// Written in documents as a plain JSON integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IntegerBound(pub i128);

impl Serialize for IntegerBound {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (i64::try_from(self.0), u64::try_from(self.0)) {
            (Ok(signed), _) => serializer.serialize_i64(signed),
            (_, Ok(unsigned)) => serializer.serialize_u64(unsigned),
            _ => Err(serde::ser::Error::custom(
                "integer bound outside the int64 and uint64 ranges",
            )),
        }
    }
}

impl<'de> Deserialize<'de> for IntegerBound {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BoundVisitor;
        impl serde::de::Visitor<'_> for BoundVisitor {
            type Value = IntegerBound;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an integer in the int64 or uint64 range")
            }
            fn visit_i64<E>(self, value: i64) -> Result<IntegerBound, E> {
                Ok(IntegerBound(i128::from(value)))
            }
            fn visit_u64<E>(self, value: u64) -> Result<IntegerBound, E> {
                Ok(IntegerBound(i128::from(value)))
            }
        }
        deserializer.deserialize_any(BoundVisitor)
    }
}

/// The machine type of an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntegerRepr {
    /// Signed 64-bit (Java's and AccelByte's "Long").
    #[default]
    Int64,
    /// Unsigned 64-bit.
    Uint64,
}

impl IntegerRepr {
    /// The inclusive range of the machine type.
    pub fn range(self) -> (i128, i128) {
        match self {
            IntegerRepr::Int64 => (i128::from(i64::MIN), i128::from(i64::MAX)),
            IntegerRepr::Uint64 => (0, i128::from(u64::MAX)),
        }
    }
}

/// Any JSON number.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberSchema {
    /// What the number is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Smallest value allowed (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    /// Largest value allowed (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
}

/// A schema with nothing to set but its description.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlainSchema {
    /// What the value is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A choice between schemas of distinct JSON kinds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneOfSchema {
    /// What the value is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The alternatives; no two may accept the same JSON kind.
    pub variants: Vec<Schema>,
}

/// A reference to a named schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefSchema {
    /// The key in the catalogue document's `schemas` table.
    pub name: String,
}

/// The JSON kinds a value can have, as the validator sees its first token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum JsonKind {
    /// An object.
    Object,
    /// An array.
    Array,
    /// A string.
    String,
    /// A number without fraction or exponent.
    Integer,
    /// A number with a fraction or exponent.
    Number,
    /// `true` or `false`.
    Boolean,
    /// `null`.
    Null,
}

impl JsonKind {
    /// The JSON kinds a schema accepts, ignoring references.
    ///
    /// A `number` schema also accepts integer tokens.
    pub fn accepted_by(schema: &Schema) -> &'static [JsonKind] {
        match schema {
            Schema::Object(_) => &[JsonKind::Object],
            Schema::Array(_) => &[JsonKind::Array],
            Schema::String(_) | Schema::EventName(_) => &[JsonKind::String],
            Schema::Integer(_) => &[JsonKind::Integer],
            Schema::Number(_) => &[JsonKind::Integer, JsonKind::Number],
            Schema::Boolean(_) => &[JsonKind::Boolean],
            Schema::Null(_) => &[JsonKind::Null],
            Schema::Any(_) | Schema::OneOf(_) | Schema::Ref(_) => &[],
        }
    }
}

/// An inconsistency found by [`check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaProblem {
    /// Where inside the schema, as `.fields.resource.fields.amount`
    /// (empty for the schema itself).
    pub path: String,
    /// What is wrong.
    pub reason: String,
}

/// Checks that a schema is consistent and that its references resolve in
/// `named`: bounds in order, optional fields that exist, one-of variants that
/// accept distinct JSON kinds, no reference loops.
///
/// ```
/// use herald_core::schema::{check, Schema};
/// let schema: Schema = serde_json::from_str(
///     r#"{"type": "string", "min_length": 5, "max_length": 2}"#,
/// ).unwrap();
/// assert!(check(&schema, &Default::default()).is_err());
/// ```
pub fn check(schema: &Schema, named: &BTreeMap<String, Schema>) -> Result<(), SchemaProblem> {
    let mut path = String::new();
    check_at(schema, named, &mut path)
}

fn problem(path: &str, reason: impl Into<String>) -> SchemaProblem {
    SchemaProblem {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

fn ordered<T: PartialOrd + std::fmt::Debug>(
    path: &str,
    low: Option<T>,
    high: Option<T>,
    what: &str,
) -> Result<(), SchemaProblem> {
    match (low, high) {
        (Some(low), Some(high)) if low > high => Err(problem(
            path,
            format!("{what}: the lower bound {low:?} is above the upper bound {high:?}"),
        )),
        _ => Ok(()),
    }
}

/// Follows references from `schema` to a concrete schema, failing on a
/// missing name or a loop of references.
pub(crate) fn deref<'s>(
    mut schema: &'s Schema,
    named: &'s BTreeMap<String, Schema>,
) -> Result<&'s Schema, String> {
    let mut hops = 0;
    while let Schema::Ref(reference) = schema {
        schema = named
            .get(&reference.name)
            .ok_or_else(|| format!("reference to the unknown schema {:?}", reference.name))?;
        hops += 1;
        if hops > named.len() {
            return Err(format!(
                "the reference to {:?} loops back on itself",
                reference.name
            ));
        }
    }
    Ok(schema)
}

fn check_at(
    schema: &Schema,
    named: &BTreeMap<String, Schema>,
    path: &mut String,
) -> Result<(), SchemaProblem> {
    match schema {
        Schema::Object(object) => {
            for name in &object.optional {
                if !object.fields.contains_key(name) {
                    return Err(problem(
                        path,
                        format!("optional field {name:?} is not among the fields"),
                    ));
                }
            }
            for (name, field) in &object.fields {
                let mark = path.len();
                path.push_str(".fields.");
                path.push_str(name);
                check_at(field, named, path)?;
                path.truncate(mark);
            }
            Ok(())
        }
        Schema::Array(array) => {
            ordered(path, array.min_items, array.max_items, "items")?;
            let mark = path.len();
            path.push_str(".items");
            check_at(&array.items, named, path)?;
            path.truncate(mark);
            Ok(())
        }
        Schema::String(string) => {
            ordered(path, string.min_length, string.max_length, "length")?;
            if let Some(values) = &string.values {
                if values.is_empty() {
                    return Err(problem(path, "`enum` must list at least one value"));
                }
                if string.constant.is_some() {
                    return Err(problem(path, "`const` and `enum` cannot both be set"));
                }
            }
            Ok(())
        }
        Schema::Integer(integer) => {
            ordered(path, integer.minimum, integer.maximum, "value")?;
            let (low, high) = integer.repr.range();
            for IntegerBound(bound) in [integer.minimum, integer.maximum].into_iter().flatten() {
                if bound < low || bound > high {
                    return Err(problem(
                        path,
                        format!("bound {bound} does not fit {:?}", integer.repr),
                    ));
                }
            }
            Ok(())
        }
        Schema::Number(number) => {
            for bound in [number.minimum, number.maximum].into_iter().flatten() {
                if !bound.is_finite() {
                    return Err(problem(path, "number bounds must be finite"));
                }
            }
            ordered(path, number.minimum, number.maximum, "value")
        }
        Schema::OneOf(one_of) => {
            if one_of.variants.len() < 2 {
                return Err(problem(path, "`one_of` needs at least two variants"));
            }
            let mut seen: Vec<JsonKind> = Vec::new();
            for (position, variant) in one_of.variants.iter().enumerate() {
                let mark = path.len();
                path.push_str(&format!(".variants[{position}]"));
                check_at(variant, named, path)?;
                let concrete = deref(variant, named).map_err(|reason| problem(path, reason))?;
                let kinds = JsonKind::accepted_by(concrete);
                if kinds.is_empty() {
                    return Err(problem(
                        path,
                        "a `one_of` variant must accept specific JSON kinds (not any, not one_of)",
                    ));
                }
                if let Some(kind) = kinds.iter().find(|kind| seen.contains(kind)) {
                    return Err(problem(
                        path,
                        format!("two variants accept the JSON kind {kind:?}"),
                    ));
                }
                seen.extend_from_slice(kinds);
                path.truncate(mark);
            }
            Ok(())
        }
        Schema::Ref(_) => deref(schema, named)
            .map(drop)
            .map_err(|reason| problem(path, reason)),
        Schema::Boolean(_) | Schema::Null(_) | Schema::Any(_) | Schema::EventName(_) => Ok(()),
    }
}
