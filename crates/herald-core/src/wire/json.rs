//! JSON as the wire layer needs it: a strict, iterative token stream over
//! bytes, the top-level members of an object with the raw bytes of nested
//! values, and a string writer.
//!
//! It reuses the validator's lexer (one set of lexical rules in the crate)
//! and adds the grammar on top with an explicit stack, so nesting depth costs
//! heap, never call stack. It never builds a value tree: the wire layer keeps
//! payloads as the bytes it was given.

use std::borrow::Cow;

use super::error::{Reason, WireError};
use crate::json::{LexError, NumToken, Reader, StrToken, decode_into};

/// One grammar token with the byte offset where it starts.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Token {
    ObjectStart,
    ObjectEnd,
    ArrayStart,
    ArrayEnd,
    Key(StrToken),
    String(StrToken),
    Number(NumToken),
    Bool(bool),
    Null,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Object,
    Array,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// A value is expected (the document's, a member's or an item's).
    Value,
    /// Just after `{`: a key or `}`.
    ObjectFirst,
    /// Just after `,` in an object: a key.
    ObjectKey,
    /// Just after a key: `:`.
    Colon,
    /// Just after `[`: a value or `]`.
    ArrayFirst,
    /// Just after a value: `,`, a closing bracket, or the end of input.
    After,
    /// The document ended.
    Done,
}

/// A strict pull parser over one JSON document.
#[derive(Debug, Clone)]
pub(crate) struct Tokens<'a> {
    reader: Reader<'a>,
    stack: Vec<Container>,
    state: State,
    max_depth: usize,
}

fn malformed(error: LexError) -> WireError {
    Reason::MalformedJson {
        offset: error.offset,
        reason: error.message,
    }
    .into()
}

impl<'a> Tokens<'a> {
    pub(crate) fn new(bytes: &'a [u8], max_depth: usize) -> Self {
        Tokens {
            reader: Reader::new(bytes),
            stack: Vec::new(),
            state: State::Value,
            max_depth,
        }
    }

    /// How many objects and arrays are open.
    pub(crate) fn depth(&self) -> usize {
        self.stack.len()
    }

    /// The offset just past the last token read.
    pub(crate) fn position(&self) -> usize {
        self.reader.pos
    }

    fn error(&self, offset: usize, reason: &'static str) -> WireError {
        Reason::MalformedJson { offset, reason }.into()
    }

    fn open(&mut self, container: Container, offset: usize) -> Result<Token, WireError> {
        if self.stack.len() >= self.max_depth {
            return Err(Reason::TooDeep {
                offset,
                max: self.max_depth,
            }
            .into());
        }
        self.stack.push(container);
        self.reader.pos += 1;
        Ok(match container {
            Container::Object => {
                self.state = State::ObjectFirst;
                Token::ObjectStart
            }
            Container::Array => {
                self.state = State::ArrayFirst;
                Token::ArrayStart
            }
        })
    }

    fn close(&mut self) -> Token {
        self.reader.pos += 1;
        self.state = State::After;
        match self.stack.pop() {
            Some(Container::Array) => Token::ArrayEnd,
            _ => Token::ObjectEnd,
        }
    }

    /// The next token and its offset; `None` once the document ended cleanly.
    pub(crate) fn next_token(&mut self) -> Result<Option<(usize, Token)>, WireError> {
        loop {
            self.reader.skip_whitespace();
            let offset = self.reader.pos;
            let byte = self.reader.peek();
            match self.state {
                State::Done => return Ok(None),
                State::After => match (self.stack.last(), byte) {
                    (None, None) => {
                        self.state = State::Done;
                        return Ok(None);
                    }
                    (None, Some(_)) => {
                        return Err(self.error(offset, "trailing characters after the value"));
                    }
                    (Some(Container::Object), Some(b',')) => {
                        self.reader.pos += 1;
                        self.state = State::ObjectKey;
                    }
                    (Some(Container::Object), Some(b'}'))
                    | (Some(Container::Array), Some(b']')) => {
                        return Ok(Some((offset, self.close())));
                    }
                    (Some(Container::Array), Some(b',')) => {
                        self.reader.pos += 1;
                        self.state = State::Value;
                    }
                    (Some(Container::Object), _) => {
                        return Err(self.error(offset, "expected `,` or `}` after a member"));
                    }
                    (Some(Container::Array), _) => {
                        return Err(self.error(offset, "expected `,` or `]` after an item"));
                    }
                },
                State::ObjectFirst | State::ObjectKey => match byte {
                    Some(b'"') => {
                        let token = self.reader.string().map_err(malformed)?;
                        self.state = State::Colon;
                        return Ok(Some((offset, Token::Key(token))));
                    }
                    Some(b'}') if self.state == State::ObjectFirst => {
                        return Ok(Some((offset, self.close())));
                    }
                    _ => return Err(self.error(offset, "expected a string key")),
                },
                State::Colon => {
                    if byte != Some(b':') {
                        return Err(self.error(offset, "expected `:` after a key"));
                    }
                    self.reader.pos += 1;
                    self.state = State::Value;
                }
                State::ArrayFirst => {
                    if byte == Some(b']') {
                        return Ok(Some((offset, self.close())));
                    }
                    self.state = State::Value;
                }
                State::Value => {
                    let token = match byte {
                        Some(b'{') => {
                            let token = self.open(Container::Object, offset)?;
                            return Ok(Some((offset, token)));
                        }
                        Some(b'[') => {
                            let token = self.open(Container::Array, offset)?;
                            return Ok(Some((offset, token)));
                        }
                        Some(b'"') => Token::String(self.reader.string().map_err(malformed)?),
                        Some(b'-' | b'0'..=b'9') => {
                            Token::Number(self.reader.number().map_err(malformed)?)
                        }
                        Some(b't') => {
                            self.reader.literal(b"true").map_err(malformed)?;
                            Token::Bool(true)
                        }
                        Some(b'f') => {
                            self.reader.literal(b"false").map_err(malformed)?;
                            Token::Bool(false)
                        }
                        Some(b'n') => {
                            self.reader.literal(b"null").map_err(malformed)?;
                            Token::Null
                        }
                        None => return Err(self.error(offset, "unexpected end of input")),
                        Some(_) => return Err(self.error(offset, "expected a JSON value")),
                    };
                    self.state = State::After;
                    return Ok(Some((offset, token)));
                }
            }
        }
    }

    /// Reads tokens until the container opened at `depth` closes.
    pub(crate) fn skip_to_depth(&mut self, depth: usize) -> Result<(), WireError> {
        while self.depth() > depth {
            if self.next_token()?.is_none() {
                break;
            }
        }
        Ok(())
    }
}

/// A top-level member's value.
#[derive(Debug, Clone)]
pub(crate) enum Value<'a> {
    /// A string; `None` when it is not valid Unicode.
    String(Option<Cow<'a, str>>),
    /// A number without fraction or exponent, as written.
    Integer(&'a str),
    /// A number with a fraction or exponent, as written.
    Number(&'a str),
    Bool(bool),
    Null,
    /// An object, as its raw bytes.
    Object(&'a [u8]),
    /// An array, as its raw bytes.
    Array(&'a [u8]),
}

impl Value<'_> {
    /// The JSON kind, for messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Value::String(_) => "string",
            Value::Integer(_) | Value::Number(_) => "number",
            Value::Bool(_) => "boolean",
            Value::Null => "null",
            Value::Object(_) => "object",
            Value::Array(_) => "array",
        }
    }

    /// The value as compact JSON text, for messages (containers as written).
    pub(crate) fn to_json(&self) -> String {
        match self {
            Value::String(Some(text)) => quoted(text),
            Value::String(None) => "\"\u{FFFD}\"".to_owned(),
            Value::Integer(token) | Value::Number(token) => (*token).to_owned(),
            Value::Bool(value) => value.to_string(),
            Value::Null => "null".to_owned(),
            Value::Object(raw) | Value::Array(raw) => String::from_utf8_lossy(raw).into_owned(),
        }
    }
}

/// One member of an object.
#[derive(Debug, Clone)]
pub(crate) struct Member<'a> {
    /// The key, decoded (invalid Unicode replaced).
    pub(crate) key: Cow<'a, str>,
    pub(crate) value: Value<'a>,
}

/// The text of a checked string token, or `None` when it is not valid Unicode.
pub(crate) fn text<'a>(bytes: &'a [u8], token: StrToken) -> Option<Cow<'a, str>> {
    if !token.unicode_ok {
        return None;
    }
    let raw = bytes.get(token.start..token.end)?;
    if token.escaped {
        let mut decoded = Vec::with_capacity(raw.len());
        decode_into(raw, &mut decoded);
        String::from_utf8(decoded).ok().map(Cow::Owned)
    } else {
        std::str::from_utf8(raw).ok().map(Cow::Borrowed)
    }
}

/// The token's text as written (numbers).
pub(crate) fn token_text(bytes: &[u8], start: usize, end: usize) -> &str {
    // Number tokens are ASCII by construction.
    bytes
        .get(start..end)
        .and_then(|raw| std::str::from_utf8(raw).ok())
        .unwrap_or("")
}

/// The value of a scalar token.
pub(crate) fn scalar<'a>(bytes: &'a [u8], token: Token) -> Option<Value<'a>> {
    Some(match token {
        Token::String(string) => Value::String(text(bytes, string)),
        Token::Number(number) if number.integer => {
            Value::Integer(token_text(bytes, number.start, number.end))
        }
        Token::Number(number) => Value::Number(token_text(bytes, number.start, number.end)),
        Token::Bool(value) => Value::Bool(value),
        Token::Null => Value::Null,
        _ => return None,
    })
}

/// The JSON kind a document starts with, for [`WireErrorKind::NotAnObject`].
fn kind_of_first(token: Token) -> &'static str {
    match token {
        Token::ArrayStart => "array",
        Token::String(_) => "string",
        Token::Number(_) => "number",
        Token::Bool(_) => "boolean",
        Token::Null => "null",
        _ => "object",
    }
}

/// The members of the object `bytes` holds, in document order, after
/// checking the whole document's syntax. Nested objects and arrays come as
/// their raw bytes.
pub(crate) fn members(bytes: &[u8], max_depth: usize) -> Result<Vec<Member<'_>>, WireError> {
    let mut tokens = Tokens::new(bytes, max_depth);
    match tokens.next_token()? {
        Some((_, Token::ObjectStart)) => {}
        Some((_, other)) => {
            // Check the rest of the document first: a syntax error says more.
            drain(&mut tokens)?;
            return Err(Reason::NotAnObject {
                found: kind_of_first(other),
            }
            .into());
        }
        None => return Err(tokens.error(0, "unexpected end of input")),
    }
    let mut members = Vec::new();
    let mut key: Cow<'_, str> = Cow::Borrowed("");
    while let Some((offset, token)) = tokens.next_token()? {
        match token {
            Token::Key(string) => {
                key = text(bytes, string)
                    .unwrap_or_else(|| String::from_utf8_lossy(&bytes[string.start..string.end]));
            }
            Token::ObjectStart | Token::ArrayStart => {
                tokens.skip_to_depth(1)?;
                let raw = &bytes[offset..tokens.position()];
                let value = if matches!(token, Token::ObjectStart) {
                    Value::Object(raw)
                } else {
                    Value::Array(raw)
                };
                members.push(Member {
                    key: std::mem::take(&mut key),
                    value,
                });
            }
            Token::ObjectEnd => {
                drain(&mut tokens)?;
                break;
            }
            scalar_token => {
                if let Some(value) = scalar(bytes, scalar_token) {
                    members.push(Member {
                        key: std::mem::take(&mut key),
                        value,
                    });
                }
            }
        }
    }
    Ok(members)
}

/// Reads the rest of the document, checking its syntax.
fn drain(tokens: &mut Tokens<'_>) -> Result<(), WireError> {
    while tokens.next_token()?.is_some() {}
    Ok(())
}

/// Checks that `bytes` is one JSON document.
pub(crate) fn check(bytes: &[u8], max_depth: usize) -> Result<(), WireError> {
    drain(&mut Tokens::new(bytes, max_depth))
}

/// The one member called `name`: `Ok(None)` when absent, an error when it
/// appears twice (its value would be ambiguous).
pub(crate) fn field<'m, 'a>(
    members: &'m [Member<'a>],
    name: &'static str,
) -> Result<Option<&'m Value<'a>>, WireError> {
    let mut found = None;
    for member in members.iter().filter(|member| member.key == name) {
        if found.is_some() {
            return Err(Reason::DuplicateField { field: name }.into());
        }
        found = Some(&member.value);
    }
    Ok(found)
}

/// The member `name`, which must be a string.
pub(crate) fn string_field<'m, 'a>(
    members: &'m [Member<'a>],
    name: &'static str,
) -> Result<&'m str, WireError> {
    match field(members, name)? {
        Some(Value::String(Some(text))) => Ok(text),
        Some(_) => Err(Reason::WrongFieldType {
            field: name,
            expected: "a string",
        }
        .into()),
        None => Err(Reason::MissingField { field: name }.into()),
    }
}

/// Appends `text` as a JSON string, as serde_json writes it: `"` and `\`
/// escaped, control characters as `\n`, `\r`, `\t`, `\b`, `\f` or
/// `\u00xx`, everything else as is.
pub(crate) fn push_string(out: &mut Vec<u8>, text: &str) {
    // Writing a string into a `Vec` cannot fail.
    let _ = serde_json::to_writer(out, text);
}

/// `text` as a JSON string, escaped as [`push_string`] does.
pub(crate) fn quoted(text: &str) -> String {
    // Serialising a string cannot fail.
    serde_json::to_string(text).unwrap_or_default()
}

/// Whether `text` is a JSON integer token (`-?(0|[1-9][0-9]*)`).
pub(crate) fn is_integer_token(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text).as_bytes();
    match digits {
        [] => false,
        [b'0'] => true,
        [b'1'..=b'9', rest @ ..] => rest.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// Whether `text` is a JSON number token (integer, fraction, exponent).
pub(crate) fn is_number_token(text: &str) -> bool {
    let mut reader = Reader::new(text.as_bytes());
    matches!(text.as_bytes().first(), Some(b'-' | b'0'..=b'9'))
        && reader.number().is_ok()
        && reader.pos == text.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::WireErrorKind;

    fn keys(json: &str) -> Vec<String> {
        members(json.as_bytes(), 64)
            .unwrap()
            .into_iter()
            .map(|member| member.key.into_owned())
            .collect()
    }

    #[test]
    fn members_keep_document_order_and_raw_containers() {
        let json = r#"{"b": 1, "a": {"x": [1, {"y": null}]}, "c": "t\u00e9"}"#;
        assert_eq!(keys(json), ["b", "a", "c"]);
        let members = members(json.as_bytes(), 64).unwrap();
        assert!(
            matches!(members[1].value, Value::Object(raw) if raw == br#"{"x": [1, {"y": null}]}"#)
        );
        assert!(matches!(&members[2].value, Value::String(Some(text)) if text == "té"));
    }

    #[test]
    fn syntax_errors_carry_the_offset() {
        for (json, offset) in [
            ("{\"a\":1,}", 7),
            ("{\"a\":1}}", 7),
            ("{\"a\" 1}", 5),
            ("[1 2]", 3),
            ("{\"a\":", 5),
        ] {
            let error = members(json.as_bytes(), 64).unwrap_err();
            assert_eq!(error.kind(), WireErrorKind::MalformedJson, "{json}");
            assert_eq!(error.offset(), Some(offset), "{json}");
        }
    }

    #[test]
    fn depth_is_limited_without_recursion() {
        let deep = "[".repeat(100_000);
        assert_eq!(
            check(deep.as_bytes(), 64).unwrap_err().reason(),
            &Reason::TooDeep {
                offset: 64,
                max: 64
            }
        );
        let nested = format!("{}{}", "[".repeat(64), "]".repeat(64));
        assert!(check(nested.as_bytes(), 64).is_ok());
    }

    #[test]
    fn a_non_object_document_is_named() {
        assert_eq!(
            members(b"[1]", 64).unwrap_err().reason(),
            &Reason::NotAnObject { found: "array" }
        );
    }

    #[test]
    fn strings_round_trip_through_the_writer() {
        let text = "a\"b\\c\n\u{1}é";
        let json = quoted(text);
        assert_eq!(json, "\"a\\\"b\\\\c\\n\\u0001é\"");
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), text);
    }

    #[test]
    fn number_tokens_follow_json() {
        for good in ["0", "-0", "12", "1.50", "1e5", "-2.5E-3"] {
            assert!(is_number_token(good), "{good}");
        }
        for bad in ["", "-", "01", "1.", ".5", "1e", "+1", "1 ", "0x10", "NaN"] {
            assert!(!is_number_token(bad), "{bad}");
        }
        assert!(is_integer_token("-12") && is_integer_token("0"));
        assert!(!is_integer_token("012") && !is_integer_token("1.0") && !is_integer_token("-"));
    }
}
