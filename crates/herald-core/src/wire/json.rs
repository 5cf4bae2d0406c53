//! JSON as the wire layer needs it: the crate's reader with its errors as
//! [`WireError`]s, the top-level members of an object with the raw bytes of
//! nested values, and a string writer.
//!
//! The grammar is the crate's one reader ([`crate::json::Reader`]); this
//! module only names its errors the wire's way and picks members out. It
//! never builds a value tree: the wire layer keeps payloads as the bytes it
//! was given.

use std::borrow::Cow;

use super::error::{Reason, WireError};
use crate::json::{Error, ErrorKind, Lexer, Reader, StrToken, Token, decode_into};

/// The reader's tokens, with errors as the wire reports them.
#[derive(Debug, Clone)]
pub(crate) struct Tokens<'a> {
    reader: Reader<'a>,
    max_depth: usize,
}

impl<'a> Tokens<'a> {
    pub(crate) fn new(bytes: &'a [u8], max_depth: usize) -> Self {
        Tokens {
            reader: Reader::new(bytes, max_depth, usize::MAX),
            max_depth,
        }
    }

    /// The offset just past the last token read.
    pub(crate) fn position(&self) -> usize {
        self.reader.position()
    }

    /// The next token and the offset where it starts; `None` once the
    /// document ended cleanly.
    pub(crate) fn next_token(&mut self) -> Result<Option<(usize, Token)>, WireError> {
        match self.reader.next_token() {
            Ok(Token::End) => Ok(None),
            Ok(token) => Ok(Some((self.reader.start(), token))),
            Err(error) => Err(self.wire_error(error)),
        }
    }

    /// A reading error as the wire names it.
    fn wire_error(&self, error: Error) -> WireError {
        let offset = error.offset;
        let reason = match error.kind {
            ErrorKind::TooDeep(_) => {
                return Reason::TooDeep {
                    offset,
                    max: self.max_depth,
                }
                .into();
            }
            ErrorKind::Token { reason, .. } => reason,
            ErrorKind::ExpectedValue if error.at_end(self.reader.bytes().len()) => {
                "unexpected end of input"
            }
            ErrorKind::ExpectedValue => "expected a JSON value",
            ErrorKind::ExpectedKey => "expected a string key",
            ErrorKind::ExpectedColon(_) => "expected `:` after a key",
            ErrorKind::ExpectedCommaOrObjectEnd => "expected `,` or `}` after a member",
            ErrorKind::ExpectedCommaOrArrayEnd => "expected `,` or `]` after an item",
            ErrorKind::TrailingCharacters => "trailing characters after the value",
            // Tokens read without a size limit: the wire checks sizes on
            // whole messages first.
            ErrorKind::TooLarge => "the document is too large",
        };
        Reason::MalformedJson { offset, reason }.into()
    }

    /// Reads tokens until the container opened at `depth` closes.
    pub(crate) fn skip_to_depth(&mut self, depth: usize) -> Result<(), WireError> {
        self.reader
            .skip_to_depth(depth)
            .map_err(|error| self.wire_error(error))
    }

    /// Reads the rest of the document, checking its syntax.
    pub(crate) fn finish(&mut self) -> Result<(), WireError> {
        self.reader.finish().map_err(|error| self.wire_error(error))
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
            tokens.finish()?;
            return Err(Reason::NotAnObject {
                found: kind_of_first(other),
            }
            .into());
        }
        // The reader ends a document only after its value.
        None => {
            return Err(Reason::MalformedJson {
                offset: 0,
                reason: "unexpected end of input",
            }
            .into());
        }
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
                tokens.finish()?;
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

/// Checks that `bytes` is one JSON document.
pub(crate) fn check(bytes: &[u8], max_depth: usize) -> Result<(), WireError> {
    Tokens::new(bytes, max_depth).finish()
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
    let mut lexer = Lexer::new(text.as_bytes());
    matches!(text.as_bytes().first(), Some(b'-' | b'0'..=b'9'))
        && lexer.number().is_ok()
        && lexer.pos == text.len()
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
