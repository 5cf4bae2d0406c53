//! InPlayer merchant webhooks: the `application/x-www-form-urlencoded`
//! body of InPlayer's HTTP POST, turned into the JSON the catalogue
//! describes (source `inplayer-webhooks`) and back.
//!
//! A body holds `id`, `created`, `type`, optionally `version`, and the
//! resource as bracket keys: `resource[item_id]=49306`,
//! `resource[explain][error]=…`. Decoding percent-decodes keys and values
//! (`+` is a space), rebuilds the nesting as JSON objects in the order keys
//! first appear, and gives each value the JSON kind the event's schema
//! declares at its path ([`Catalogue::schema_at`], [`Catalogue::kinds_of`]):
//! the first declared kind the text spells — an integer token for
//! `integer`, a number token for `number`, `true`/`false`/`1`/`0` for
//! `boolean`, the text for `string` — else a string, which validation then
//! reports. Encoding writes the payload's members back in their order,
//! percent-encoded the way PHP's `urlencode` does.
//!
//! This module never checks the `X-InPlayer-Signature` header: it sees the
//! body only.
//!
//! ```
//! use herald_core::wire::{inplayer_webhook, DecodeOptions, Timestamp};
//! use herald_core::Catalogue;
//!
//! let body = b"id=WHE-jAlBR7bGKGIV2mSr&created=1559906599&type=subscribe.success&version=2.4.2\
//! &resource%5Btransaction%5D=S-S8CqAw18ihqbgYsxCjIly3MwQ-ST&resource%5Bcustomer_id%5D=27288\
//! &resource%5BpreviewTitle%5D=Example+title&resource%5Bamount%5D=10.00&resource%5Bcurrency_iso%5D=EUR\
//! &resource%5Bstatus%5D=success&resource%5Bcode%5D=200&resource%5BpreviewTitle%5D=ooyala+muse+mp4";
//! let decoded = inplayer_webhook::decode(Catalogue::builtin(), body, &DecodeOptions::default())?;
//! let event = &decoded.event;
//! assert_eq!((event.id.as_deref(), &event.timestamp), (Some("WHE-jAlBR7bGKGIV2mSr"), &Some(Timestamp::Unix(1559906599))));
//! assert!(event.payload_str().unwrap().contains(r#""previewTitle":"ooyala muse mp4","amount":10.00,"#));
//! // The repeated key is kept last-wins, with a warning.
//! assert!(decoded.report.is_ok());
//! assert_eq!(decoded.report.warnings[0].code.as_str(), "duplicate_key");
//! assert_eq!(decoded.report.warnings[0].pointer, "/resource/previewTitle");
//!
//! let again = inplayer_webhook::encode(event)?;
//! assert_eq!(inplayer_webhook::decode(Catalogue::builtin(), &again, &DecodeOptions::default())?.event, *event);
//! # Ok::<(), herald_core::WireError>(())
//! ```

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::error::{Reason, WireError};
use super::json;
use super::{DecodeOptions, Decoded, Envelope, Event, RepeatedKeyPolicy, WireFormat, percent};
use crate::catalogue::Catalogue;
use crate::json::Token;
use crate::limits::Limits;
use crate::schema::{JsonKind, Schema};
use crate::validate::{Issue, IssueCode, push_pointer_token};

const FORMAT: WireFormat = WireFormat::InplayerWebhook;

/// One `key=value` pair, decoded.
#[derive(Debug)]
struct Pair {
    /// The whole key, decoded (`resource[item_id]`).
    key: String,
    /// The key's parts (`resource`, `item_id`).
    segments: Vec<String>,
    value: String,
}

/// Decodes one webhook body into the normalised event: name from `type`,
/// id from `id`, timestamp from `created`, payload the JSON the form
/// decodes to. Repeated keys follow [`DecodeOptions::repeated_keys`].
pub fn decode<'a>(
    catalogue: &Catalogue,
    body: &[u8],
    options: &DecodeOptions,
) -> Result<Decoded<'a>, WireError> {
    super::check_size(body, &options.limits)?;
    let pairs = pairs(body, &options.limits)?;
    // The shape first: a body whose keys do not fit together is broken
    // whatever event it claims to be.
    let tree = Tree::build(&pairs, options.repeated_keys)?;
    let name = event_name(&pairs, options.repeated_keys)?;
    let template = super::resolve(catalogue, FORMAT, &name, &options.limits)?;
    let schema = catalogue
        .resolve(FORMAT.source(), &name)
        .and_then(|resolved| resolved.event.schema.as_ref());
    let (payload, repeated) = tree.to_json(&pairs, catalogue, schema, options.repeated_keys);
    let members = json::members(&payload, usize::MAX)?;
    let id = match json::field(&members, "id")? {
        Some(json::Value::String(Some(text))) => Some(text.clone().into_owned()),
        _ => None,
    };
    let timestamp = super::timestamp_of(json::field(&members, "created")?);
    let mut report = super::validate(catalogue, FORMAT, &name, &payload, &options.limits);
    report.warnings.extend(repeated);
    Ok(Decoded {
        event: Event {
            format: FORMAT,
            name,
            template,
            id,
            timestamp,
            payload: Cow::Owned(payload),
            envelope: Envelope::None,
        },
        report,
    })
}

/// Splits and decodes the body's pairs. Empty pairs (`&&`) are skipped; a
/// pair without `=` has an empty value.
fn pairs(body: &[u8], limits: &Limits) -> Result<Vec<Pair>, WireError> {
    let mut pairs = Vec::new();
    let mut offset = 0;
    for raw in body.split(|&byte| byte == b'&') {
        let start = offset;
        offset += raw.len() + 1;
        if raw.is_empty() {
            continue;
        }
        let (raw_key, raw_value, value_start) = match raw.iter().position(|&byte| byte == b'=') {
            Some(equals) => (&raw[..equals], &raw[equals + 1..], start + equals + 1),
            None => (raw, &raw[raw.len()..], start + raw.len()),
        };
        let shown_key = || String::from_utf8_lossy(raw_key).into_owned();
        let key = percent::decode(raw_key).map_err(|at| Reason::MalformedEscape {
            key: shown_key(),
            offset: start + at,
        })?;
        let key = String::from_utf8(key).map_err(|_| Reason::InvalidUtf8 {
            key: shown_key(),
            offset: start,
        })?;
        let value = percent::decode(raw_value).map_err(|at| Reason::MalformedEscape {
            key: key.clone(),
            offset: value_start + at,
        })?;
        let value = String::from_utf8(value).map_err(|_| Reason::InvalidUtf8 {
            key: key.clone(),
            offset: value_start,
        })?;
        let segments = segments(&key, start, limits)?;
        pairs.push(Pair {
            key,
            segments,
            value,
        });
    }
    Ok(pairs)
}

/// The parts of `name[a][b]`; `offset` is the pair's, for errors.
fn segments(key: &str, offset: usize, limits: &Limits) -> Result<Vec<String>, WireError> {
    let unbalanced = || -> WireError {
        Reason::UnbalancedBracket {
            key: key.to_owned(),
            offset,
        }
        .into()
    };
    let empty = || -> WireError {
        Reason::EmptyKey {
            key: key.to_owned(),
            offset,
        }
        .into()
    };
    let (name, mut rest) = match key.find(['[', ']']) {
        Some(at) => key.split_at(at),
        None => (key, ""),
    };
    if name.is_empty() {
        return Err(if rest.starts_with(']') {
            unbalanced()
        } else {
            empty()
        });
    }
    let mut segments = vec![name.to_owned()];
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[').ok_or_else(unbalanced)?;
        let close = inner.find(']').ok_or_else(unbalanced)?;
        let segment = &inner[..close];
        if segment.contains('[') {
            return Err(unbalanced());
        }
        if segment.is_empty() {
            return Err(empty());
        }
        segments.push(segment.to_owned());
        if segments.len() > limits.max_depth {
            return Err(Reason::TooDeep {
                offset,
                max: limits.max_depth,
            }
            .into());
        }
        rest = &inner[close + 1..];
    }
    Ok(segments)
}

/// The `type` value, chosen by the repeated-key policy.
fn event_name(pairs: &[Pair], policy: RepeatedKeyPolicy) -> Result<String, WireError> {
    let mut types = pairs.iter().filter(|pair| pair.segments == ["type"]);
    let first = types.next().ok_or(Reason::MissingField { field: "type" })?;
    let chosen = match (policy, types.next_back()) {
        (_, None) | (RepeatedKeyPolicy::FirstWins, _) => first,
        (RepeatedKeyPolicy::LastWins, Some(last)) => last,
        (RepeatedKeyPolicy::Reject, Some(_)) => {
            return Err(Reason::RepeatedKey {
                key: "type".to_owned(),
            }
            .into());
        }
    };
    Ok(chosen.value.clone())
}

/// A node of the rebuilt nesting.
#[derive(Debug)]
struct Node<'p> {
    /// The key part this node stands for (empty for the root).
    name: &'p str,
    /// The pair that created the node, for conflict messages.
    origin: usize,
    kind: NodeKind,
}

#[derive(Debug)]
enum NodeKind {
    /// A value: the pair whose value is kept, and how many pairs sent it.
    Leaf { pair: usize, count: usize },
    /// An object: its children, in the order they first appeared.
    Branch { children: Vec<usize> },
}

/// The form's keys as a tree in an arena: no recursion to build, walk or drop.
#[derive(Debug)]
struct Tree<'p> {
    nodes: Vec<Node<'p>>,
}

impl<'p> Tree<'p> {
    fn build(pairs: &'p [Pair], policy: RepeatedKeyPolicy) -> Result<Tree<'p>, WireError> {
        let mut nodes = vec![Node {
            name: "",
            origin: usize::MAX,
            kind: NodeKind::Branch {
                children: Vec::new(),
            },
        }];
        let mut index: HashMap<(usize, &'p str), usize> = HashMap::new();
        for (position, pair) in pairs.iter().enumerate() {
            let mut at = 0;
            let last = pair.segments.len() - 1;
            for (depth, segment) in pair.segments.iter().enumerate() {
                let leaf = depth == last;
                if let Some(&child) = index.get(&(at, segment.as_str())) {
                    match (&mut nodes[child].kind, leaf) {
                        (NodeKind::Branch { .. }, false) => at = child,
                        (NodeKind::Leaf { pair: kept, count }, true) => {
                            *count += 1;
                            match policy {
                                RepeatedKeyPolicy::LastWins => *kept = position,
                                RepeatedKeyPolicy::FirstWins => {}
                                RepeatedKeyPolicy::Reject => {
                                    return Err(Reason::RepeatedKey {
                                        key: pair.key.clone(),
                                    }
                                    .into());
                                }
                            }
                        }
                        _ => {
                            return Err(Reason::ConflictingShape {
                                key: pair.key.clone(),
                                other: pairs[nodes[child].origin].key.clone(),
                            }
                            .into());
                        }
                    }
                    continue;
                }
                let child = nodes.len();
                nodes.push(Node {
                    name: segment,
                    origin: position,
                    kind: if leaf {
                        NodeKind::Leaf {
                            pair: position,
                            count: 1,
                        }
                    } else {
                        NodeKind::Branch {
                            children: Vec::new(),
                        }
                    },
                });
                if let NodeKind::Branch { children } = &mut nodes[at].kind {
                    children.push(child);
                }
                index.insert((at, segment.as_str()), child);
                at = child;
            }
        }
        Ok(Tree { nodes })
    }

    /// The tree as compact JSON with each value coerced by the schema, and
    /// a `duplicate_key` warning per repeated key.
    fn to_json(
        &self,
        pairs: &[Pair],
        catalogue: &Catalogue,
        schema: Option<&Schema>,
        policy: RepeatedKeyPolicy,
    ) -> (Vec<u8>, Vec<Issue>) {
        let mut out = vec![b'{'];
        let mut warnings = Vec::new();
        let mut path: Vec<&str> = Vec::new();
        let mut stack: Vec<(usize, usize)> = vec![(0, 0)];
        while let Some(top) = stack.last_mut() {
            let (node, position) = *top;
            top.1 += 1;
            let NodeKind::Branch { children } = &self.nodes[node].kind else {
                stack.pop();
                continue;
            };
            let Some(&child) = children.get(position) else {
                out.push(b'}');
                stack.pop();
                path.pop();
                continue;
            };
            if position > 0 {
                out.push(b',');
            }
            let child_node = &self.nodes[child];
            json::push_string(&mut out, child_node.name);
            out.push(b':');
            path.push(child_node.name);
            match child_node.kind {
                NodeKind::Branch { .. } => {
                    out.push(b'{');
                    stack.push((child, 0));
                }
                NodeKind::Leaf { pair, count } => {
                    let kinds = schema
                        .and_then(|schema| catalogue.schema_at(schema, &path))
                        .map(|schema| catalogue.kinds_of(schema))
                        .unwrap_or_default();
                    push_value(&mut out, &pairs[pair].value, &kinds);
                    if count > 1 {
                        warnings.push(repeated_warning(&path, &pairs[pair].key, count, policy));
                    }
                    path.pop();
                }
            }
        }
        (out, warnings)
    }
}

/// Writes `text` as the first JSON kind in `kinds` it spells, else a string.
fn push_value(out: &mut Vec<u8>, text: &str, kinds: &[JsonKind]) {
    for kind in kinds {
        match kind {
            JsonKind::Integer if json::is_integer_token(text) => {
                out.extend_from_slice(text.as_bytes());
                return;
            }
            JsonKind::Number if json::is_number_token(text) => {
                out.extend_from_slice(text.as_bytes());
                return;
            }
            JsonKind::Boolean => match text {
                "true" | "1" => return out.extend_from_slice(b"true"),
                "false" | "0" => return out.extend_from_slice(b"false"),
                _ => {}
            },
            JsonKind::String => break,
            _ => {}
        }
    }
    json::push_string(out, text);
}

fn repeated_warning(path: &[&str], key: &str, count: usize, policy: RepeatedKeyPolicy) -> Issue {
    let mut pointer = String::new();
    for segment in path {
        push_pointer_token(&mut pointer, segment);
    }
    Issue {
        code: IssueCode::DuplicateKey,
        pointer,
        message: format!(
            "the form sends {key:?} {count} times; the {} value was kept ({policy})",
            if policy == RepeatedKeyPolicy::FirstWins {
                "first"
            } else {
                "last"
            }
        ),
    }
}

/// Writes the event's form body: the payload's members in order, nested
/// objects as bracket keys, strings as their text, numbers as written,
/// booleans as `true`/`false`.
///
/// Refused ([`WireErrorKind::Unencodable`](super::WireErrorKind::Unencodable)): arrays, `null`, empty objects,
/// keys that are empty, hold `[` or `]`, or repeat in one object — a form
/// cannot carry them so that they decode back the same.
pub fn encode(event: &Event<'_>) -> Result<Vec<u8>, WireError> {
    super::check_format(event, FORMAT)?;
    let members = json::members(&event.payload, usize::MAX)?;
    super::check_fields(event, &members, "type", Some("id"), "created")?;
    let bytes: &[u8] = &event.payload;
    let mut tokens = json::Tokens::new(bytes, usize::MAX);
    let mut out = Vec::with_capacity(bytes.len() * 2);
    // The keys of the open objects below the root, and per open object the
    // keys seen so far (to refuse repeats).
    let mut path: Vec<String> = Vec::new();
    let mut seen: Vec<HashSet<String>> = Vec::new();
    let mut key: Option<String> = None;
    while let Some((_, token)) = tokens.next_token()? {
        match token {
            Token::ObjectStart => {
                if let Some(name) = key.take() {
                    path.push(name);
                }
                seen.push(HashSet::new());
            }
            Token::ObjectEnd => {
                let members = seen.pop().map_or(0, |keys| keys.len());
                if members == 0 && !path.is_empty() {
                    return Err(unencodable(&path, None, "an empty object has no form keys"));
                }
                path.pop();
            }
            Token::Key(string) => {
                let name = json::text(bytes, string)
                    .ok_or_else(|| unencodable(&path, None, "a key that is not valid Unicode"))?;
                let name = name.into_owned();
                if name.is_empty() || name.contains(['[', ']']) {
                    return Err(unencodable(
                        &path,
                        Some(&name),
                        "a form key part cannot be empty or hold `[` or `]`",
                    ));
                }
                if !seen
                    .last_mut()
                    .is_some_and(|keys| keys.insert(name.clone()))
                {
                    return Err(unencodable(&path, Some(&name), "the key repeats"));
                }
                key = Some(name);
            }
            Token::ArrayStart => {
                return Err(unencodable(&path, key.as_deref(), "a form has no arrays"));
            }
            Token::ArrayEnd => {}
            scalar => {
                let name = key.take().unwrap_or_default();
                let text: Cow<'_, str> = match json::scalar(bytes, scalar) {
                    Some(json::Value::String(Some(text))) => text,
                    Some(json::Value::Integer(token) | json::Value::Number(token)) => {
                        Cow::Borrowed(token)
                    }
                    Some(json::Value::Bool(value)) => {
                        Cow::Borrowed(if value { "true" } else { "false" })
                    }
                    Some(json::Value::String(None)) => {
                        return Err(unencodable(
                            &path,
                            Some(&name),
                            "a string that is not valid Unicode",
                        ));
                    }
                    _ => return Err(unencodable(&path, Some(&name), "null has no form value")),
                };
                if !out.is_empty() {
                    out.push(b'&');
                }
                let mut form_key = String::new();
                for (depth, part) in path.iter().chain(std::iter::once(&name)).enumerate() {
                    if depth == 0 {
                        form_key.push_str(part);
                    } else {
                        form_key.push('[');
                        form_key.push_str(part);
                        form_key.push(']');
                    }
                }
                percent::encode_into(&mut out, form_key.as_bytes());
                out.push(b'=');
                percent::encode_into(&mut out, text.as_bytes());
            }
        }
    }
    Ok(out)
}

fn unencodable(path: &[String], key: Option<&str>, reason: &'static str) -> WireError {
    let mut pointer = String::new();
    for part in path.iter().map(String::as_str).chain(key) {
        push_pointer_token(&mut pointer, part);
    }
    Reason::Unencodable {
        at: pointer,
        reason,
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(key: &str) -> Result<Vec<String>, String> {
        segments(key, 0, &Limits::default()).map_err(|error| error.code().to_owned())
    }

    #[test]
    fn splits_bracket_keys() {
        assert_eq!(parts("type").unwrap(), ["type"]);
        assert_eq!(
            parts("resource[item][id]").unwrap(),
            ["resource", "item", "id"]
        );
        assert_eq!(parts("a[b c]").unwrap(), ["a", "b c"]);
    }

    #[test]
    fn refuses_keys_whose_brackets_do_not_pair() {
        for key in ["a[b", "a]", "a[b]c", "a[b[c]]", "]a", "a[b]]"] {
            assert_eq!(parts(key).unwrap_err(), "unbalanced_bracket", "{key}");
        }
        for key in ["", "[a]", "a[]", "a[b][]"] {
            assert_eq!(parts(key).unwrap_err(), "empty_key", "{key}");
        }
    }

    #[test]
    fn coerces_to_the_first_kind_the_text_spells() {
        let cases: [(&str, &[JsonKind], &str); 8] = [
            ("12", &[JsonKind::Integer], "12"),
            ("012", &[JsonKind::Integer], "\"012\""),
            ("10.00", &[JsonKind::Integer, JsonKind::Number], "10.00"),
            ("1", &[JsonKind::Boolean, JsonKind::Integer], "true"),
            ("2", &[JsonKind::Boolean, JsonKind::Integer], "2"),
            ("0", &[JsonKind::Boolean], "false"),
            ("5", &[JsonKind::String, JsonKind::Integer], "\"5\""),
            ("yes", &[JsonKind::Boolean], "\"yes\""),
        ];
        for (text, kinds, expected) in cases {
            let mut out = Vec::new();
            push_value(&mut out, text, kinds);
            assert_eq!(out, expected.as_bytes(), "{text} as {kinds:?}");
        }
    }
}
