//! Random payloads built from a catalogue schema, and single mutations of
//! them with the issue each must produce.

use herald_core::Catalogue;
use herald_core::schema::{IntegerRepr, JsonKind, Schema, StringFormat, UnknownPolicy};

/// The tests' seeded generator (fastrand's), seeded by proptest so that a
/// failing case shrinks and replays.
pub use fastrand::Rng;

/// Picking one item of a slice, as every generator here does.
pub trait Pick {
    /// One item of `items`, which must not be empty.
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T;
}

impl Pick for Rng {
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.usize(..items.len())]
    }
}

/// A JSON value that keeps member order and exact integers.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    pub fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            Json::Int(value) => out.push_str(&value.to_string()),
            Json::Float(value) => out.push_str(&format!("{value:?}")),
            Json::Str(text) => out.push_str(&serde_json::to_string(text).unwrap()),
            Json::Arr(items) => {
                out.push('[');
                for (position, item) in items.iter().enumerate() {
                    if position > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Obj(members) => {
                out.push('{');
                for (position, (key, value)) in members.iter().enumerate() {
                    if position > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::to_string(key).unwrap());
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }

    pub fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn at(&self, path: &[usize]) -> &Json {
        match path.split_first() {
            None => self,
            Some((&step, rest)) => match self {
                Json::Arr(items) => items[step].at(rest),
                Json::Obj(members) => members[step].1.at(rest),
                _ => unreachable!("paths follow containers"),
            },
        }
    }

    fn at_mut(&mut self, path: &[usize]) -> &mut Json {
        match path.split_first() {
            None => self,
            Some((&step, rest)) => match self {
                Json::Arr(items) => items[step].at_mut(rest),
                Json::Obj(members) => members[step].1.at_mut(rest),
                _ => unreachable!("paths follow containers"),
            },
        }
    }
}

fn escape_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Builds a random valid value for `schema`.
pub struct Generator<'c> {
    pub catalogue: &'c Catalogue,
    pub event_name: String,
    pub rng: Rng,
}

const TEXT_PIECES: [&str; 10] = ["a", "Z", "0", " ", "é", "€", "😀", "\"", "\\", "/"];

impl Generator<'_> {
    fn concrete<'s>(&'s self, schema: &'s Schema) -> &'s Schema {
        self.catalogue.deref_schema(schema).unwrap()
    }

    pub fn value(&mut self, schema: &Schema) -> Json {
        let schema = self.catalogue.deref_schema(schema).unwrap().clone();
        match &schema {
            Schema::Object(object) => {
                let mut members = Vec::new();
                for (name, field) in &object.fields {
                    if object.optional.contains(name) && self.rng.bool() {
                        continue;
                    }
                    members.push((name.clone(), self.value(field)));
                }
                // Member order is free: shuffle it.
                for index in (1..members.len()).rev() {
                    let other = self.rng.usize(..index + 1);
                    members.swap(index, other);
                }
                Json::Obj(members)
            }
            Schema::Array(array) => {
                let min = array.min_items.unwrap_or(0) as usize;
                let max = array
                    .max_items
                    .map_or(min + 3, |max| max as usize)
                    .min(min + 3);
                let count = min + self.rng.usize(..max - min + 1);
                Json::Arr((0..count).map(|_| self.value(&array.items)).collect())
            }
            Schema::String(string) => Json::Str(self.string(string)),
            Schema::Integer(integer) => {
                let (low, high) = integer_range(integer);
                let candidates = [low, high, low.max(0).min(high), low + (high - low) / 3];
                Json::Int(*self.rng.pick(&candidates))
            }
            Schema::Number(number) => {
                let low = number.minimum.unwrap_or(-1e6);
                let high = number.maximum.unwrap_or(1e6);
                let fraction = (self.rng.u64(..) % 1000) as f64 / 1000.0;
                let value = low + (high - low) * fraction;
                if self.rng.bool() {
                    Json::Float(value)
                } else {
                    Json::Int(value.ceil().min(high.floor()) as i128)
                }
            }
            Schema::Boolean(_) => Json::Bool(self.rng.bool()),
            Schema::Null(_) => Json::Null,
            Schema::Any(_) => match self.rng.usize(..4) {
                0 => Json::Null,
                1 => Json::Int(self.rng.usize(..100) as i128),
                2 => Json::Str("any".to_owned()),
                _ => Json::Obj(vec![("k".to_owned(), Json::Arr(vec![Json::Bool(true)]))]),
            },
            Schema::EventName(_) => Json::Str(self.event_name.clone()),
            Schema::OneOf(one_of) => {
                let variant = self.rng.pick(&one_of.variants).clone();
                self.value(&variant)
            }
            Schema::Ref(_) => unreachable!("dereferenced above"),
        }
    }

    fn string(&mut self, string: &herald_core::schema::StringSchema) -> String {
        if let Some(constant) = &string.constant {
            return constant.clone();
        }
        if let Some(values) = &string.values {
            return self.rng.pick(values).clone();
        }
        let digits = |rng: &mut Rng, count: usize| -> String {
            (0..count)
                .map(|_| char::from(b'0' + rng.usize(..10) as u8))
                .collect()
        };
        match string.format {
            Some(StringFormat::Uuid) => {
                let hex: String = (0..32)
                    .map(|_| *self.rng.pick(&['0', '9', 'a', 'f', 'A', 'F', '5']))
                    .collect();
                format!(
                    "{}-{}-{}-{}-{}",
                    &hex[..8],
                    &hex[8..12],
                    &hex[12..16],
                    &hex[16..20],
                    &hex[20..]
                )
            }
            Some(format @ (StringFormat::DateTime | StringFormat::DateTimeLenient)) => {
                let offset = match (format, self.rng.usize(..3)) {
                    (_, 0) => "Z".to_owned(),
                    (StringFormat::DateTimeLenient, 1) => "+0530".to_owned(),
                    _ => "-02:00".to_owned(),
                };
                format!(
                    "20{}-{:02}-{:02}T{:02}:{:02}:{:02}{}",
                    digits(&mut self.rng, 2),
                    1 + self.rng.usize(..12),
                    1 + self.rng.usize(..28),
                    self.rng.usize(..24),
                    self.rng.usize(..60),
                    self.rng.usize(..60),
                    offset
                )
            }
            Some(StringFormat::CurrencyCode) => (0..3)
                .map(|_| char::from(b'A' + self.rng.usize(..26) as u8))
                .collect(),
            Some(StringFormat::Decimal) => {
                let count = 1 + self.rng.usize(..4);
                let whole = digits(&mut self.rng, count);
                if self.rng.bool() {
                    format!("{whole}.{}", digits(&mut self.rng, 2))
                } else {
                    whole
                }
            }
            _ => {
                let min = string.min_length.unwrap_or(0) as usize;
                let max = string
                    .max_length
                    .map_or(min + 8, |max| max as usize)
                    .min(min + 8);
                let count = min + self.rng.usize(..max - min + 1);
                (0..count).map(|_| *self.rng.pick(&TEXT_PIECES)).collect()
            }
        }
    }

    /// Every value in `json` with its pointer, path and concrete schema.
    pub fn sites<'s>(&'s self, json: &Json, schema: &'s Schema) -> Vec<Site<'s>> {
        let mut sites = Vec::new();
        self.collect(json, schema, String::new(), Vec::new(), &mut sites);
        sites
    }

    fn collect<'s>(
        &'s self,
        json: &Json,
        schema: &'s Schema,
        pointer: String,
        path: Vec<usize>,
        out: &mut Vec<Site<'s>>,
    ) {
        let schema = self.concrete(schema);
        let chosen = match (schema, json) {
            (Schema::OneOf(one_of), _) => one_of
                .variants
                .iter()
                .map(|variant| self.concrete(variant))
                .find(|variant| JsonKind::accepted_by(variant).contains(&kind_of(json))),
            (other, _) => Some(other),
        };
        out.push(Site {
            pointer: pointer.clone(),
            path: path.clone(),
            schema,
        });
        match (chosen, json) {
            (Some(Schema::Object(object)), Json::Obj(members)) => {
                for (index, (key, value)) in members.iter().enumerate() {
                    if let Some(field) = object.fields.get(key) {
                        let mut path = path.clone();
                        path.push(index);
                        let pointer = format!("{pointer}/{}", escape_token(key));
                        self.collect(value, field, pointer, path, out);
                    }
                }
            }
            (Some(Schema::Array(array)), Json::Arr(items)) => {
                for (index, value) in items.iter().enumerate() {
                    let mut path = path.clone();
                    path.push(index);
                    let pointer = format!("{pointer}/{index}");
                    self.collect(value, &array.items, pointer, path, out);
                }
            }
            _ => {}
        }
    }

    /// Applies one random mutation, picked among every (site, kind) pair
    /// the payload admits, and returns the mutated payload with the single
    /// issue it must produce; `None` only when no site admits any mutation.
    pub fn mutate(&mut self, json: &Json, schema: &Schema) -> Option<(Json, Mutation)> {
        let sites: Vec<(String, Vec<usize>, Schema)> = self
            .sites(json, schema)
            .into_iter()
            .map(|site| (site.pointer, site.path, site.schema.clone()))
            .collect();
        let catalogue = self.catalogue;
        let candidates: Vec<(usize, MutationKind)> = sites
            .iter()
            .enumerate()
            .flat_map(|(index, (_, path, schema))| {
                let value = json.at(path);
                MutationKind::ALL
                    .into_iter()
                    .filter(move |kind| kind.applies(catalogue, schema, value))
                    .map(move |kind| (index, kind))
            })
            .collect();
        if candidates.is_empty() {
            return None;
        }
        let (site, kind) = *self.rng.pick(&candidates);
        let (pointer, path, schema) = &sites[site];
        let pointer = pointer.clone();
        let mut mutated = json.clone();
        let target = mutated.at_mut(path);
        let mutation = match (kind, schema, target) {
            (MutationKind::TypeMismatch, schema, target) => {
                let kinds = accepted_kinds(self.catalogue, schema);
                let replacement = [
                    (JsonKind::Object, Json::Obj(Vec::new())),
                    (JsonKind::Array, Json::Arr(Vec::new())),
                    (JsonKind::String, Json::Str("zz".to_owned())),
                    (JsonKind::Integer, Json::Int(7)),
                    (JsonKind::Number, Json::Float(0.5)),
                    (JsonKind::Boolean, Json::Bool(true)),
                    (JsonKind::Null, Json::Null),
                ]
                .into_iter()
                .filter(|(kind, _)| !kinds.contains(kind))
                .map(|(_, value)| value)
                .collect::<Vec<_>>();
                *target = self.rng.pick(&replacement).clone();
                Mutation::error("type_mismatch", pointer)
            }
            (MutationKind::MissingField, Schema::Object(object), Json::Obj(members)) => {
                let required = required_members(object, members);
                members.remove(*self.rng.pick(&required));
                Mutation::error("missing_field", pointer)
            }
            (MutationKind::UnknownField, Schema::Object(object), Json::Obj(members)) => {
                let key = "zz~unknown/field";
                let at = self.rng.usize(..members.len() + 1);
                members.insert(at, (key.to_owned(), Json::Int(1)));
                let pointer = format!("{pointer}/{}", escape_token(key));
                match object.unknown_fields {
                    UnknownPolicy::Deny => Mutation::error("unknown_field", pointer),
                    UnknownPolicy::Warn => Mutation::warning("unknown_field", pointer),
                    UnknownPolicy::Allow => Mutation::nothing(),
                }
            }
            (MutationKind::OutOfRange, Schema::Integer(integer), target) => {
                let (low, high) = integer_range(integer);
                *target = Json::Int(if self.rng.bool() { high + 1 } else { low - 1 });
                Mutation::error("out_of_range", pointer)
            }
            _ => unreachable!("candidates apply to their site"),
        };
        Some((mutated, mutation))
    }
}

/// The ways [`Generator::mutate`] breaks a payload, one issue each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MutationKind {
    /// A value of a JSON kind its schema does not accept.
    TypeMismatch,
    /// A required member removed.
    MissingField,
    /// A member the schema does not list added.
    UnknownField,
    /// An integer one past its range.
    OutOfRange,
}

impl MutationKind {
    const ALL: [MutationKind; 4] = [
        MutationKind::TypeMismatch,
        MutationKind::MissingField,
        MutationKind::UnknownField,
        MutationKind::OutOfRange,
    ];

    /// Whether this mutation can be made at a value with this schema.
    fn applies(self, catalogue: &Catalogue, schema: &Schema, value: &Json) -> bool {
        match (self, schema, value) {
            // `any` accepts every kind.
            (MutationKind::TypeMismatch, schema, _) => {
                !accepted_kinds(catalogue, schema).is_empty()
            }
            (MutationKind::MissingField, Schema::Object(object), Json::Obj(members)) => {
                !required_members(object, members).is_empty()
            }
            (MutationKind::UnknownField, Schema::Object(_), Json::Obj(_)) => true,
            (MutationKind::OutOfRange, Schema::Integer(_), Json::Int(_)) => true,
            _ => false,
        }
    }
}

/// Positions of the members an object schema requires.
fn required_members(
    object: &herald_core::schema::ObjectSchema,
    members: &[(String, Json)],
) -> Vec<usize> {
    members
        .iter()
        .enumerate()
        .filter(|(_, (key, _))| object.fields.contains_key(key) && !object.optional.contains(key))
        .map(|(index, _)| index)
        .collect()
}

fn integer_range(integer: &herald_core::schema::IntegerSchema) -> (i128, i128) {
    let (low, high) = match integer.repr {
        IntegerRepr::Int64 => (i128::from(i64::MIN), i128::from(i64::MAX)),
        IntegerRepr::Uint64 => (0, i128::from(u64::MAX)),
    };
    (
        integer.minimum.map_or(low, |bound| bound.0.max(low)),
        integer.maximum.map_or(high, |bound| bound.0.min(high)),
    )
}

fn kind_of(json: &Json) -> JsonKind {
    match json {
        Json::Null => JsonKind::Null,
        Json::Bool(_) => JsonKind::Boolean,
        Json::Int(_) => JsonKind::Integer,
        Json::Float(_) => JsonKind::Number,
        Json::Str(_) => JsonKind::String,
        Json::Arr(_) => JsonKind::Array,
        Json::Obj(_) => JsonKind::Object,
    }
}

/// Kinds a concrete schema accepts (a union's variants together); empty
/// for `any`.
fn accepted_kinds(catalogue: &Catalogue, schema: &Schema) -> Vec<JsonKind> {
    match schema {
        Schema::OneOf(one_of) => one_of
            .variants
            .iter()
            .flat_map(|variant| JsonKind::accepted_by(catalogue.deref_schema(variant).unwrap()))
            .copied()
            .collect(),
        other => JsonKind::accepted_by(other).to_vec(),
    }
}

/// A value of the payload and where it is.
pub struct Site<'s> {
    pub pointer: String,
    pub path: Vec<usize>,
    pub schema: &'s Schema,
}

/// What a mutation must be reported as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mutation {
    pub errors: Vec<(String, String)>,
    pub warnings: Vec<(String, String)>,
}

impl Mutation {
    fn error(code: &str, pointer: String) -> Mutation {
        Mutation {
            errors: vec![(code.to_owned(), pointer)],
            warnings: Vec::new(),
        }
    }
    fn warning(code: &str, pointer: String) -> Mutation {
        Mutation {
            errors: Vec::new(),
            warnings: vec![(code.to_owned(), pointer)],
        }
    }
    fn nothing() -> Mutation {
        Mutation {
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }
}
