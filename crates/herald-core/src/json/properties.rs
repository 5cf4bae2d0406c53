//! The reader against two references, on random documents: `serde_json`
//! for whether bytes are JSON at all, and a plain recursive-descent reader
//! written here, as directly from RFC 8259 as possible, for the tokens of a
//! valid document and the offset and kind of the first error of a broken
//! one. Documents are nested objects and arrays with escapes, non-ASCII
//! text, lone surrogates, big and negative integers, fractions, exponents,
//! repeated keys and random whitespace; each is checked whole, truncated at
//! every byte, and with bytes replaced.

use proptest::prelude::*;

use super::{Container, Error, ErrorKind, Expect, ExpectedString, Reader, Token};

// ---- the reference -------------------------------------------------------

/// What the reference reports: the tokens, then the first error if any.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    /// (kind, start offset, end offset) per token.
    tokens: Vec<(&'static str, usize, usize)>,
    error: Option<(usize, &'static str)>,
}

struct Reference<'a> {
    bytes: &'a [u8],
    pos: usize,
    max_depth: usize,
    tokens: Vec<(&'static str, usize, usize)>,
}

type Step = Result<(), (usize, &'static str)>;

impl Reference<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn blank(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn document(&mut self) -> Step {
        self.blank();
        self.value(0)?;
        self.blank();
        match self.peek() {
            None => Ok(()),
            Some(_) => Err((self.pos, "trailing")),
        }
    }

    fn value(&mut self, depth: usize) -> Step {
        let start = self.pos;
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let end = self.string()?;
                self.tokens.push(("string", start, end));
                Ok(())
            }
            Some(b'-' | b'0'..=b'9') => {
                self.number()?;
                self.tokens.push(("number", start, self.pos));
                Ok(())
            }
            Some(b't' | b'f' | b'n') => {
                for word in [&b"true"[..], b"false", b"null"] {
                    if self.bytes[start..].starts_with(word) {
                        self.pos += word.len();
                        self.tokens.push(("literal", start, self.pos));
                        return Ok(());
                    }
                }
                Err((start, "value"))
            }
            _ => Err((start, "value")),
        }
    }

    fn object(&mut self, depth: usize) -> Step {
        if depth >= self.max_depth {
            return Err((self.pos, "too deep object"));
        }
        self.tokens.push(("{", self.pos, self.pos + 1));
        self.pos += 1;
        self.blank();
        if self.peek() == Some(b'}') {
            self.tokens.push(("}", self.pos, self.pos + 1));
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.blank();
            if self.peek() != Some(b'"') {
                return Err((self.pos, "key"));
            }
            let start = self.pos;
            let end = self.string().map_err(|(at, _)| (at, "token in key"))?;
            self.blank();
            if self.peek() != Some(b':') {
                return Err((self.pos, "colon"));
            }
            self.pos += 1;
            self.tokens.push(("key", start, end));
            self.blank();
            self.value(depth + 1)?;
            self.blank();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.tokens.push(("}", self.pos, self.pos + 1));
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err((self.pos, "comma or }")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Step {
        if depth >= self.max_depth {
            return Err((self.pos, "too deep array"));
        }
        self.tokens.push(("[", self.pos, self.pos + 1));
        self.pos += 1;
        self.blank();
        if self.peek() == Some(b']') {
            self.tokens.push(("]", self.pos, self.pos + 1));
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.blank();
            self.value(depth + 1)?;
            self.blank();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.tokens.push(("]", self.pos, self.pos + 1));
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err((self.pos, "comma or ]")),
            }
        }
    }

    /// A string at `pos`; returns the offset just past its closing quote.
    fn string(&mut self) -> Result<usize, (usize, &'static str)> {
        self.pos += 1;
        loop {
            match self.peek() {
                None => return Err((self.pos, "token")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(self.pos);
                }
                Some(b'\\') => {
                    let at = self.pos;
                    match self.bytes.get(at + 1) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            self.pos += 2;
                        }
                        Some(b'u') => {
                            let digits = self.bytes.get(at + 2..at + 6).ok_or((at + 2, "token"))?;
                            if !digits.iter().all(u8::is_ascii_hexdigit) {
                                return Err((at + 2, "token"));
                            }
                            self.pos += 6;
                        }
                        _ => return Err((at, "token")),
                    }
                }
                Some(0x00..=0x1F) => return Err((self.pos, "token")),
                Some(_) => self.pos += 1,
            }
        }
    }

    fn number(&mut self) -> Step {
        let start = self.pos;
        let digits = |reference: &mut Self| {
            let from = reference.pos;
            while reference.peek().is_some_and(|byte| byte.is_ascii_digit()) {
                reference.pos += 1;
            }
            reference.pos - from
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if self.peek().is_some_and(|byte| byte.is_ascii_digit()) {
                    return Err((start, "token"));
                }
            }
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err((start, "token")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err((self.pos, "token"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err((self.pos, "token"));
            }
        }
        Ok(())
    }
}

fn reference(bytes: &[u8], max_depth: usize) -> Outcome {
    let mut reference = Reference {
        bytes,
        pos: 0,
        max_depth,
        tokens: Vec::new(),
    };
    let error = reference.document().err();
    Outcome {
        tokens: reference.tokens,
        error,
    }
}

// ---- the reader, seen the same way ---------------------------------------

fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Token { in_key: true, .. } => "token in key",
        ErrorKind::Token { .. } => "token",
        ErrorKind::ExpectedValue => "value",
        ErrorKind::ExpectedKey => "key",
        ErrorKind::ExpectedColon(_) => "colon",
        ErrorKind::ExpectedCommaOrObjectEnd => "comma or }",
        ErrorKind::ExpectedCommaOrArrayEnd => "comma or ]",
        ErrorKind::TrailingCharacters => "trailing",
        ErrorKind::TooDeep(Container::Object) => "too deep object",
        ErrorKind::TooDeep(Container::Array) => "too deep array",
        ErrorKind::TooLarge => "too large",
    }
}

fn read(bytes: &[u8], max_depth: usize) -> Outcome {
    let mut reader = Reader::new(bytes, max_depth, usize::MAX);
    let mut tokens = Vec::new();
    loop {
        match reader.next_token() {
            Ok(Token::End) => {
                return Outcome {
                    tokens,
                    error: None,
                };
            }
            Ok(token) => {
                let (kind, start, end) = match token {
                    // Keys and strings span their quotes, as in the reference.
                    Token::Key(string) => ("key", string.start - 1, string.end + 1),
                    Token::String(string) => ("string", string.start - 1, string.end + 1),
                    Token::Number(number) => ("number", number.start, number.end),
                    Token::Bool(_) | Token::Null => ("literal", reader.start(), reader.position()),
                    Token::ObjectStart => ("{", reader.start(), reader.position()),
                    Token::ObjectEnd => ("}", reader.start(), reader.position()),
                    Token::ArrayStart => ("[", reader.start(), reader.position()),
                    Token::ArrayEnd => ("]", reader.start(), reader.position()),
                    Token::End => unreachable!("handled above"),
                };
                tokens.push((kind, start, end));
                if let Token::Number(number) = token {
                    check_integer(&bytes[number.start..number.end], number.integer_value());
                }
            }
            Err(error) => {
                return Outcome {
                    tokens,
                    error: Some((error.offset, kind_name(error.kind))),
                };
            }
        }
    }
}

/// An integer token's exact value, by another road: `i128` arithmetic on
/// the digits (`None` past the `u64` magnitude, or for non-integers).
fn check_integer(text: &[u8], value: Option<i128>) {
    let text = std::str::from_utf8(text).unwrap();
    let expected = if text.contains(['.', 'e', 'E']) {
        None
    } else {
        let digits = text.trim_start_matches('-');
        digits.parse::<u64>().ok().map(|magnitude| {
            if text.starts_with('-') {
                -i128::from(magnitude)
            } else {
                i128::from(magnitude)
            }
        })
    };
    assert_eq!(value, expected, "{text}");
}

// ---- documents ------------------------------------------------------------

/// Whitespace between tokens: mostly none, sometimes a run.
fn blank() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just(String::new()),
        1 => proptest::collection::vec(prop_oneof![Just(' '), Just('\n'), Just('\t'), Just('\r')], 1..12)
            .prop_map(|chars| chars.into_iter().collect()),
    ]
}

/// The body of a string: plain text, escapes, non-ASCII, lone surrogates.
fn string_body() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => "[a-z0-9 _.-]{0,12}",
        1 => Just("\\\"".to_owned()),
        1 => Just("\\\\".to_owned()),
        1 => Just("\\n\\t\\/".to_owned()),
        1 => Just("\\u00e9".to_owned()),
        1 => Just("\\ud83d\\ude00".to_owned()),
        1 => Just("\\ud800".to_owned()),
        1 => Just("caf\u{e9} \u{1F600} \u{4E2D}".to_owned()),
    ];
    proptest::collection::vec(piece, 0..4).prop_map(|pieces| pieces.concat())
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        "-?[1-9][0-9]{18,40}",
        "-?(0|[1-9][0-9]{0,5})\\.[0-9]{1,4}([eE][+-]?[0-9]{1,3})?",
        Just("-0".to_owned()),
    ]
}

fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        string_body().prop_map(|body| format!("\"{body}\"")),
        number(),
        Just("true".to_owned()),
        Just("false".to_owned()),
        Just("null".to_owned()),
    ]
}

/// A document: leaves nested in objects (keys from a small set, so that
/// some repeat) and arrays, with whitespace anywhere it may go.
fn document() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("a"),
        Just("b"),
        Just("id"),
        Just("type"),
        Just("\\u0061"),
        Just("caf\u{e9}")
    ];
    leaf()
        .prop_recursive(6, 48, 6, move |inner| {
            prop_oneof![
                proptest::collection::vec((blank(), inner.clone(), blank()), 0..6).prop_map(
                    |items| {
                        let items: Vec<String> = items
                            .into_iter()
                            .map(|(before, item, after)| format!("{before}{item}{after}"))
                            .collect();
                        format!("[{}]", items.join(","))
                    }
                ),
                proptest::collection::vec((key.clone(), blank(), inner, blank()), 0..6).prop_map(
                    |members| {
                        let members: Vec<String> = members
                            .into_iter()
                            .map(|(key, before, value, after)| {
                                format!("\"{key}\"{before}:{before}{value}{after}")
                            })
                            .collect();
                        format!("{{{}}}", members.join(","))
                    },
                ),
            ]
        })
        .prop_flat_map(|doc| (blank(), Just(doc), blank()))
        .prop_map(|(before, doc, after)| format!("{before}{doc}{after}"))
}

/// Whether serde_json reads the bytes as one JSON value. It refuses lone
/// surrogates, which JSON's grammar allows (the reader flags them instead),
/// so documents holding one are compared on syntax with them replaced.
fn serde_accepts(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes).replace("\\ud800", "\\u0800");
    serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok()
}

fn check(bytes: &[u8], max_depth: usize) -> Result<(), TestCaseError> {
    let ours = read(bytes, max_depth);
    let theirs = reference(bytes, max_depth);
    prop_assert_eq!(&ours, &theirs, "{}", String::from_utf8_lossy(bytes));
    if max_depth > 200 {
        prop_assert_eq!(
            ours.error.is_none(),
            serde_accepts(bytes),
            "{}",
            String::from_utf8_lossy(bytes)
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_reader_agrees_with_the_references_on_whole_documents(doc in document()) {
        check(doc.as_bytes(), usize::MAX)?;
        check(doc.as_bytes(), 3)?;
        prop_assert!(read(doc.as_bytes(), usize::MAX).error.is_none(), "generated documents are valid");
    }

    #[test]
    fn the_reader_agrees_with_the_references_on_every_truncation(doc in document()) {
        let bytes = doc.as_bytes();
        for len in 0..bytes.len() {
            check(&bytes[..len], usize::MAX)?;
        }
    }

    #[test]
    fn the_reader_agrees_with_the_references_on_replaced_bytes(
        doc in document(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), prop_oneof![
            Just(b'"'), Just(b'\\'), Just(b'{'), Just(b'}'), Just(b'['), Just(b']'),
            Just(b','), Just(b':'), Just(b'0'), Just(b'-'), Just(b'e'), Just(b'.'),
            Just(b' '), Just(0x01), Just(0x80), Just(b'x'), Just(b'u'),
        ]), 1..4),
    ) {
        let mut bytes = doc.into_bytes();
        if bytes.is_empty() {
            return Ok(());
        }
        for (at, byte) in edits {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        check(&bytes, usize::MAX)?;
        check(&bytes, 2)?;
    }
}

/// Every token and the error (if any) of `bytes`, each string token with
/// whether it was read as expected, told to expect `key` and `member` at
/// every step.
fn read_expecting(
    bytes: &[u8],
    key: Option<&ExpectedString>,
    member: Option<&ExpectedString>,
) -> (Vec<(Token, bool)>, Option<Error>) {
    let mut reader = Reader::new(bytes, usize::MAX, usize::MAX);
    let expect = Expect { key, member };
    let mut tokens = Vec::new();
    loop {
        match reader.next_token_expecting(&expect) {
            Ok(Token::End) => return (tokens, None),
            Ok(Token::Key(mut string)) => {
                let expected = std::mem::take(&mut string.expected);
                tokens.push((Token::Key(string), expected));
            }
            Ok(Token::String(mut string)) => {
                let expected = std::mem::take(&mut string.expected);
                tokens.push((Token::String(string), expected));
            }
            Ok(token) => tokens.push((token, false)),
            Err(mut error) => {
                // A key without its colon is in the error; whether it was
                // read as expected does not matter there.
                if let ErrorKind::ExpectedColon(key) = &mut error.kind {
                    key.expected = false;
                }
                return (tokens, Some(error));
            }
        }
    }
}

/// Texts to expect: the document's own keys and strings, and near misses.
fn expectation() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop_oneof![
            Just("a"),
            Just("b"),
            Just("id"),
            Just("type"),
            Just("typ"),
            Just("types"),
            Just(""),
            Just("caf\u{e9}"),
            Just("a_longer_key_of_twenty_six"),
        ]
        .prop_map(str::to_owned),
        1 => "[a-z0-9 _.-]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn expecting_strings_changes_no_token_and_no_error(
        doc in document(),
        key in expectation(),
        member in expectation(),
        cut in any::<prop::sample::Index>(),
    ) {
        let (key_text, member_text) = (key, member);
        let key = ExpectedString::new(&key_text).unwrap();
        let member = ExpectedString::new(&member_text).unwrap();
        for bytes in [doc.as_bytes(), &doc.as_bytes()[..cut.index(doc.len() + 1)]] {
            let (plain, plain_error) = read_expecting(bytes, None, None);
            let (told, told_error) = read_expecting(bytes, Some(&key), Some(&member));
            prop_assert_eq!(plain_error, told_error, "{}", String::from_utf8_lossy(bytes));
            prop_assert_eq!(plain.len(), told.len());
            for ((plain, was), (told, expected)) in plain.iter().zip(&told) {
                prop_assert!(!was);
                prop_assert_eq!(plain, told, "{}", String::from_utf8_lossy(bytes));
                // A string read as expected is exactly the expected text.
                if let (true, Token::Key(string) | Token::String(string)) = (expected, told) {
                    let text = &bytes[string.start..string.end];
                    let wanted = if matches!(told, Token::Key(_)) { &key_text } else { &member_text };
                    prop_assert_eq!(text, wanted.as_bytes());
                }
            }
        }
    }
}

#[test]
fn the_reference_and_the_reader_agree_on_hand_picked_edges() {
    for text in [
        "",
        " ",
        "{",
        "[",
        "\"",
        "-",
        "01",
        "1.",
        "1e",
        "1e+",
        ".5",
        "tru",
        "nul",
        "[1,]",
        "{\"a\"}",
        "{\"a\":}",
        "{,}",
        "[,1]",
        "\"\\u12\"",
        "\"\\x\"",
        "\"a\u{1}\"",
        "1 2",
        "{}{}",
        "[]]",
        "\"\\",
        "{\"a\":1,\"a\":2}",
        "[[[[[[]]]]]]",
        "  [ 1 , { \"x\" : null } ]  ",
    ] {
        for max_depth in [usize::MAX, 2] {
            assert_eq!(
                read(text.as_bytes(), max_depth),
                reference(text.as_bytes(), max_depth),
                "{text:?} at depth {max_depth}"
            );
        }
    }
}
