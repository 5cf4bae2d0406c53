//! A second, deliberately simple validator: the oracle for the codes and
//! pointers of herald's reports.
//!
//! It is written from the rules of the schema language and the issue codes
//! as docs/validation.md states them, not from herald's validator, and works
//! the other way round: serde_json reads the whole payload first (into a
//! tree that keeps member order, duplicate keys and number tokens), then a
//! recursive walk applies the rules. It never looks at herald's reader or
//! compiled programs; it uses the catalogue only to find schemas and to
//! resolve event names (the catalogue's job, tested on its own), and
//! `Topic::parse` for "a valid topic" (the topic syntax's one definition).
//!
//! What a whole-document reader cannot know is left to the caller: where
//! a streaming reader stood when it met a syntax error, and what it had
//! reported before (see [`Verdict::NotJson`]).

use herald_core::schema::{EnumPolicy, Schema, StringFormat, StringSchema, UnknownPolicy};
use herald_core::{Catalogue, Limits, Topic};
use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use serde_json::value::RawValue;

/// What the reference makes of a payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The payload is JSON to serde_json: every issue, as (code, pointer).
    Report {
        errors: Vec<(String, String)>,
        warnings: Vec<(String, String)>,
        truncated: bool,
    },
    /// serde_json cannot read the payload as one JSON value: the rules say
    /// `syntax` somewhere, and a reader that goes in order may have stopped
    /// earlier (at `too_deep`, or at the error cap) and reported issues
    /// before it.
    NotJson,
}

/// What the payload is validated against.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// An event of a source; `name` may be a template's own name.
    Event { source: &'a str, name: &'a str },
    /// A named schema: event names are any valid topic.
    Named(&'a str),
}

/// Validates `payload` against `target` by the documented rules.
pub fn validate(
    catalogue: &Catalogue,
    target: Target<'_>,
    payload: &[u8],
    limits: &Limits,
) -> Verdict {
    let mut run = Run {
        catalogue,
        target,
        limits,
        errors: Vec::new(),
        warnings: Vec::new(),
        truncated: false,
        stopped: false,
    };
    if payload.len() > limits.max_payload_bytes {
        run.error("too_large", "");
        return run.verdict();
    }
    let schema = match target {
        Target::Event { source, name } => {
            let event = catalogue
                .resolve(source, name)
                .expect("a known event")
                .event;
            event.schema.as_ref().expect("an event with a schema")
        }
        Target::Named(name) => catalogue.schemas().get(name).expect("a named schema"),
    };
    // Bytes that are not UTF-8 become U+FFFD, so the document can be read
    // and the pointers name the key as herald prints it; a string holding
    // U+FFFD is then "not Unicode" (the vectors never write U+FFFD itself).
    let lossy = std::str::from_utf8(payload).is_err();
    let text = String::from_utf8_lossy(payload);
    let Ok(root) = serde_json::from_str::<&RawValue>(&text) else {
        return Verdict::NotJson;
    };
    let Some(root) = Node::read(root, lossy) else {
        return Verdict::NotJson;
    };
    run.walk(&root, schema, String::new(), 0);
    run.verdict()
}

/// A JSON value as the payload wrote it.
#[derive(Debug)]
enum Node {
    Null,
    Bool,
    /// The number token, exactly as written.
    Number(String),
    /// The decoded text, or `None` when it is not Unicode (bytes that are
    /// not UTF-8, or an escape of a lone surrogate).
    String(Option<String>),
    Array(Vec<Node>),
    /// Members in order, duplicates kept; keys as for strings, with the
    /// text to print in a pointer.
    Object(Vec<(Option<String>, String, Node)>),
}

/// The members of an object, read without merging duplicate keys.
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Members<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct InOrder;
        impl<'de> Visitor<'de> for InOrder {
            type Value = Members<'de>;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("an object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Members<'de>, M::Error> {
                let mut members = Vec::new();
                while let Some(key) = map.next_key::<&'de RawValue>()? {
                    members.push((key.get().to_owned(), map.next_value::<&'de RawValue>()?));
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(InOrder)
    }
}

/// The text of a JSON string token, or `None` when it is not Unicode.
fn decode(token: &str, lossy: bool) -> Option<String> {
    let text: String = serde_json::from_str(token).ok()?;
    (!(lossy && text.contains('\u{FFFD}'))).then_some(text)
}

impl Node {
    fn read(raw: &RawValue, lossy: bool) -> Option<Node> {
        let token = raw.get();
        Some(match token.as_bytes()[0] {
            b'{' => {
                let Members(members) = serde_json::from_str(token).ok()?;
                let mut read = Vec::with_capacity(members.len());
                for (key, value) in members {
                    let text = decode(&key, lossy);
                    // The pointer shows a key that is not Unicode as
                    // herald prints it: lossily decoded.
                    let shown = text.clone().unwrap_or_else(|| {
                        serde_json::from_str(&key)
                            .unwrap_or_else(|_| key.trim_matches('"').to_owned())
                    });
                    read.push((text, shown, Node::read(value, lossy)?));
                }
                Node::Object(read)
            }
            b'[' => {
                let items: Vec<&RawValue> = serde_json::from_str(token).ok()?;
                Node::Array(
                    items
                        .into_iter()
                        .map(|item| Node::read(item, lossy))
                        .collect::<Option<_>>()?,
                )
            }
            b'"' => Node::String(decode(token, lossy)),
            b't' | b'f' => Node::Bool,
            b'n' => Node::Null,
            _ => Node::Number(token.to_owned()),
        })
    }

    fn is_container(&self) -> bool {
        matches!(self, Node::Array(_) | Node::Object(_))
    }
}

/// One validation in progress.
struct Run<'c> {
    catalogue: &'c Catalogue,
    target: Target<'c>,
    limits: &'c Limits,
    errors: Vec<(String, String)>,
    warnings: Vec<(String, String)>,
    truncated: bool,
    /// Set by an error that ends validation (`too_deep`, the cap).
    stopped: bool,
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

impl Run<'_> {
    fn verdict(self) -> Verdict {
        Verdict::Report {
            errors: self.errors,
            warnings: self.warnings,
            truncated: self.truncated,
        }
    }

    /// Keeps an error; the one that would go past `max_errors` stops.
    fn error(&mut self, code: &str, pointer: &str) {
        if self.stopped {
            return;
        }
        if self.errors.len() == self.limits.max_errors {
            self.truncated = true;
            self.stopped = true;
            return;
        }
        self.errors.push((code.to_owned(), pointer.to_owned()));
    }

    /// Keeps a warning; past `max_errors` of them they are dropped.
    fn warning(&mut self, code: &str, pointer: &str) {
        if self.stopped {
            return;
        }
        if self.warnings.len() == self.limits.max_errors {
            self.truncated = true;
            return;
        }
        self.warnings.push((code.to_owned(), pointer.to_owned()));
    }

    /// Whether entering `node` at `depth` (the root's parent is 0) goes past
    /// `max_depth`; reports it, which ends validation.
    fn too_deep(&mut self, node: &Node, pointer: &str, depth: usize) -> bool {
        if node.is_container() && depth + 1 > self.limits.max_depth {
            self.error("too_deep", pointer);
            self.stopped = true;
            return true;
        }
        false
    }

    /// The checks every value gets whatever its schema (`any`): keys and
    /// strings are Unicode, no key twice in one object, depth.
    fn walk_any(&mut self, node: &Node, pointer: String, depth: usize) {
        if self.stopped || self.too_deep(node, &pointer, depth) {
            return;
        }
        if let Node::String(None) = node {
            self.error("invalid_utf8", &pointer);
        }
        self.children_as_any(node, &pointer, depth);
    }

    /// The items or members of a container already entered, as `any`.
    fn children_as_any(&mut self, node: &Node, pointer: &str, depth: usize) {
        match node {
            Node::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.walk_any(item, format!("{pointer}/{index}"), depth + 1);
                }
            }
            Node::Object(members) => {
                let mut seen: Vec<&str> = Vec::new();
                for (key, shown, value) in members {
                    let at = format!("{pointer}/{}", escape(shown));
                    match key {
                        None => self.error("invalid_utf8", &at),
                        Some(key) if seen.contains(&key.as_str()) => {
                            self.error("duplicate_key", &at);
                        }
                        Some(key) => seen.push(key),
                    }
                    self.walk_any(value, at, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// `node` checked against `schema`.
    fn walk(&mut self, node: &Node, schema: &Schema, pointer: String, depth: usize) {
        if self.stopped || self.too_deep(node, &pointer, depth) {
            return;
        }
        let schema = self
            .catalogue
            .deref_schema(schema)
            .expect("references resolve");
        match (schema, node) {
            (Schema::Any(_), _) => self.walk_any(node, pointer, depth),
            (Schema::OneOf(one_of), _) => {
                let variant = one_of.variants.iter().find(|variant| {
                    let variant = self
                        .catalogue
                        .deref_schema(variant)
                        .expect("references resolve");
                    accepts(variant, node)
                });
                match variant {
                    Some(variant) => self.walk(node, variant, pointer, depth),
                    None => self.mismatch(node, pointer, depth),
                }
            }
            (Schema::Object(object), Node::Object(members)) => {
                let mut seen: Vec<&str> = Vec::new();
                for (key, shown, value) in members {
                    let at = format!("{pointer}/{}", escape(shown));
                    let Some(key) = key else {
                        self.error("invalid_utf8", &at);
                        self.walk_any(value, at, depth + 1);
                        continue;
                    };
                    if seen.contains(&key.as_str()) {
                        self.error("duplicate_key", &at);
                        self.walk_any(value, at, depth + 1);
                        continue;
                    }
                    seen.push(key);
                    match object.fields.get(key) {
                        Some(field) => self.walk(value, field, at, depth + 1),
                        None => {
                            match object.unknown_fields {
                                UnknownPolicy::Deny => self.error("unknown_field", &at),
                                UnknownPolicy::Warn => self.warning("unknown_field", &at),
                                UnknownPolicy::Allow => {}
                            }
                            self.walk_any(value, at, depth + 1);
                        }
                    }
                }
                for name in object.fields.keys() {
                    if !object.optional.contains(name) && !seen.contains(&name.as_str()) {
                        self.error("missing_field", &pointer);
                    }
                }
            }
            (Schema::Array(array), Node::Array(items)) => {
                for (index, item) in items.iter().enumerate() {
                    self.walk(item, &array.items, format!("{pointer}/{index}"), depth + 1);
                }
                let count = items.len() as u64;
                if array.min_items.is_some_and(|min| count < min) {
                    self.error("too_short", &pointer);
                }
                if array.max_items.is_some_and(|max| count > max) {
                    self.error("too_long", &pointer);
                }
            }
            (Schema::String(string), Node::String(text)) => match text {
                None => self.error("invalid_utf8", &pointer),
                Some(text) => self.string(string, text, &pointer),
            },
            (Schema::EventName(_), Node::String(text)) => match text {
                None => self.error("invalid_utf8", &pointer),
                Some(text) => self.event_name(text, &pointer),
            },
            (Schema::Integer(integer), Node::Number(token)) => {
                if token.contains(['.', 'e', 'E']) {
                    self.error("type_mismatch", &pointer);
                    return;
                }
                let (low, high) = integer.repr.range();
                let low = integer.minimum.map_or(low, |bound| bound.0.max(low));
                let high = integer.maximum.map_or(high, |bound| bound.0.min(high));
                // A token too long for i128 is far outside every range.
                match token.parse::<i128>() {
                    Ok(value) if (low..=high).contains(&value) => {}
                    _ => self.error("out_of_range", &pointer),
                }
            }
            (Schema::Number(number), Node::Number(token)) => {
                let value: f64 = token.parse().expect("a JSON number token");
                if number.minimum.is_some_and(|min| value < min)
                    || number.maximum.is_some_and(|max| value > max)
                {
                    self.error("out_of_range", &pointer);
                }
            }
            (Schema::Boolean(_), Node::Bool) | (Schema::Null(_), Node::Null) => {}
            _ => self.mismatch(node, pointer, depth),
        }
    }

    /// A value of a kind its schema does not accept: `type_mismatch`, and
    /// the value is still read (duplicates, Unicode, depth).
    fn mismatch(&mut self, node: &Node, pointer: String, depth: usize) {
        self.error("type_mismatch", &pointer);
        self.children_as_any(node, &pointer, depth);
    }

    fn string(&mut self, string: &StringSchema, text: &str, pointer: &str) {
        if let Some(constant) = &string.constant
            && text != constant
        {
            self.error("const_mismatch", pointer);
        }
        if let Some(values) = &string.values
            && !values.iter().any(|value| value == text)
        {
            match string.unknown_value {
                EnumPolicy::Error => self.error("unknown_enum", pointer),
                EnumPolicy::Warn => self.warning("unknown_enum", pointer),
            }
        }
        if let Some(format) = string.format
            && !format_holds(format, text)
        {
            self.error("format", pointer);
        }
        let length = text.chars().count() as u64;
        if string.min_length.is_some_and(|min| length < min) {
            self.error("too_short", pointer);
        }
        if string.max_length.is_some_and(|max| length > max) {
            self.error("too_long", pointer);
        }
    }

    /// `event_name`: the validated event's own name; under a template's
    /// name, any name that resolves to the template; against a named
    /// schema, any valid topic.
    fn event_name(&mut self, text: &str, pointer: &str) {
        match self.target {
            Target::Named(_) => {
                if Topic::parse(text).is_err() {
                    self.error("format", pointer);
                }
            }
            Target::Event { source, name } => {
                let names_it = if name.contains('{') {
                    self.catalogue
                        .resolve(source, text)
                        .is_some_and(|resolved| resolved.event.name == name)
                        && !text.contains('{')
                } else {
                    text == name
                };
                if !names_it {
                    self.error("event_mismatch", pointer);
                }
            }
        }
    }
}

/// Whether a schema takes a value of this node's JSON kind (a number token
/// with a fraction or an exponent is not an integer).
fn accepts(schema: &Schema, node: &Node) -> bool {
    match (schema, node) {
        (Schema::Any(_), _) => true,
        (Schema::Object(_), Node::Object(_)) | (Schema::Array(_), Node::Array(_)) => true,
        (Schema::String(_) | Schema::EventName(_), Node::String(_)) => true,
        (Schema::Boolean(_), Node::Bool) | (Schema::Null(_), Node::Null) => true,
        (Schema::Number(_), Node::Number(_)) => true,
        (Schema::Integer(_), Node::Number(token)) => !token.contains(['.', 'e', 'E']),
        _ => false,
    }
}

/// The string formats, from their definitions in docs/validation.md.
fn format_holds(format: StringFormat, text: &str) -> bool {
    let digits =
        |part: &str, count: usize| part.len() == count && part.bytes().all(|b| b.is_ascii_digit());
    match format {
        StringFormat::Uuid => {
            let groups: Vec<&str> = text.split('-').collect();
            groups.len() == 5
                && groups.iter().zip([8, 4, 4, 4, 12]).all(|(group, len)| {
                    group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit())
                })
        }
        StringFormat::CurrencyCode => {
            text.len() == 3 && text.bytes().all(|b| b.is_ascii_uppercase())
        }
        StringFormat::Decimal => {
            let unsigned = text.strip_prefix('-').unwrap_or(text);
            let (whole, fraction) = match unsigned.split_once('.') {
                Some((whole, fraction)) => (whole, Some(fraction)),
                None => (unsigned, None),
            };
            let all_digits =
                |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
            all_digits(whole) && fraction.is_none_or(all_digits)
        }
        StringFormat::DateTime | StringFormat::DateTimeLenient => {
            date_time(text, format == StringFormat::DateTimeLenient, &digits)
        }
    }
}

/// RFC 3339 `date-time` (as JSON Schema's `format`): `YYYY-MM-DDTHH:MM:SS`,
/// an optional fraction, then `Z` or `±HH:MM` (`±HHMM` too when lenient);
/// a real calendar day; second 60 only at 23:59 UTC.
fn date_time(text: &str, lenient: bool, digits: &dyn Fn(&str, usize) -> bool) -> bool {
    let Some((date, time)) = text.split_once(['T', 't']) else {
        return false;
    };
    let parts: Vec<&str> = date.split('-').collect();
    if parts.len() != 3 || !digits(parts[0], 4) || !digits(parts[1], 2) || !digits(parts[2], 2) {
        return false;
    }
    let (year, month, day): (u32, u32, u32) = (
        parts[0].parse().unwrap(),
        parts[1].parse().unwrap(),
        parts[2].parse().unwrap(),
    );
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days {
        return false;
    }
    // The zone: Z, or a sign and hours and minutes.
    let (clock, offset_minutes) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, 0i64)
    } else {
        let Some(at) = time.rfind(['+', '-']) else {
            return false;
        };
        let (clock, zone) = time.split_at(at);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let zone = &zone[1..];
        let (hours, minutes) = match zone.split_once(':') {
            Some((hours, minutes)) => (hours, minutes),
            None if lenient && zone.len() == 4 => zone.split_at(2),
            None => return false,
        };
        if !digits(hours, 2) || !digits(minutes, 2) {
            return false;
        }
        let (hours, minutes): (i64, i64) = (hours.parse().unwrap(), minutes.parse().unwrap());
        if hours > 23 || minutes > 59 {
            return false;
        }
        (clock, sign * (hours * 60 + minutes))
    };
    let (clock, fraction) = match clock.split_once('.') {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (clock, None),
    };
    if fraction.is_some_and(|fraction| {
        fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit())
    }) {
        return false;
    }
    let parts: Vec<&str> = clock.split(':').collect();
    if parts.len() != 3 || !parts.iter().all(|part| digits(part, 2)) {
        return false;
    }
    let (hour, minute, second): (i64, i64, i64) = (
        parts[0].parse().unwrap(),
        parts[1].parse().unwrap(),
        parts[2].parse().unwrap(),
    );
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    if second == 60 {
        // A leap second is the last second of a UTC day.
        let utc = (hour * 60 + minute - offset_minutes).rem_euclid(24 * 60);
        return utc == 23 * 60 + 59;
    }
    true
}
