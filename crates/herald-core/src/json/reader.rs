//! The grammar of RFC 8259 over the lexer's tokens: a pull reader that
//! hands out one [`Token`] at a time, with byte offsets, and refuses
//! anything that is not exactly one JSON document.
//!
//! It owns where tokens may stand — members and items, commas and colons,
//! the one value of a document and nothing after it — and the two limits
//! every reader of untrusted JSON needs: nesting depth and document size.
//! Open containers are bits on a stack of words, never frames on the call
//! stack, so a million `[` cost a `too deep` error, not a stack overflow.
//! It never interprets a value: callers get tokens, and decide.

use super::expected::{Expect, ExpectedString};
use super::lexer::{LexError, Lexer, NumToken, StrToken};

/// One token of the grammar — a container's start or end, a key, a
/// scalar, or the document's end — in document order.
///
/// `repr(u8)` gives the kind a byte of its own: without it the compiler
/// hides the kind in the unused values of a string token's flags, and every
/// consumer pays to pack and unpack it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Token {
    ObjectStart,
    ObjectEnd,
    ArrayStart,
    ArrayEnd,
    /// A member's key; its colon has been read, and its value comes next.
    Key(StrToken),
    String(StrToken),
    Number(NumToken),
    Bool(bool),
    Null,
    /// The document ended, with nothing after it.
    End,
}

/// The two kinds of containers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    Object,
    Array,
}

/// Why the bytes are not one JSON document within the limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    /// A malformed token: `reason` says how; `in_key` when it is a key.
    Token { reason: &'static str, in_key: bool },
    /// A value was expected (at the end of the input, or at a byte that
    /// starts none).
    ExpectedValue,
    /// A key was expected, after `{` or after a member's `,`.
    ExpectedKey,
    /// This key has no colon after it.
    ExpectedColon(StrToken),
    /// After a member: neither `,` nor `}`.
    ExpectedCommaOrObjectEnd,
    /// After an item: neither `,` nor `]`.
    ExpectedCommaOrArrayEnd,
    /// Bytes after the document's value.
    TrailingCharacters,
    /// This container would open past the depth limit.
    TooDeep(Container),
    /// The document is longer than the size limit (nothing was read).
    TooLarge,
}

/// A reading error: what, and at which byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Error {
    pub(crate) offset: usize,
    pub(crate) kind: ErrorKind,
}

impl Error {
    /// Whether the error is at the end of the input.
    pub(crate) fn at_end(&self, len: usize) -> bool {
        self.offset >= len
    }
}

/// What may come next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// A value: the document's, a member's (after its colon) or an item's
    /// (after `,`).
    Value,
    /// Just after `{`: a key or `}`.
    FirstMember,
    /// Just after `[`: a value or `]`.
    FirstItem,
    /// Just after a value: `,`, the container's end, or the input's end.
    AfterValue,
    /// The document ended.
    Done,
    /// The document is over the size limit.
    TooLarge,
}

/// Open containers, one bit each (set for arrays): the innermost 64 in a
/// word, deeper ones in words that default limits never need. The deeper
/// words are replaced, never grown in place, so that no pointer into the
/// reader leaves it and its cursor can stay in registers.
#[derive(Debug, Clone, Default)]
struct Containers {
    depth: usize,
    low: u64,
    high: Box<[u64]>,
}

/// `words` with room for at least `len` words.
#[cold]
fn more_words(words: Box<[u64]>, len: usize) -> Box<[u64]> {
    let mut words = words.into_vec();
    words.resize(len.max(words.len() * 2), 0);
    words.into_boxed_slice()
}

impl Containers {
    #[inline(always)]
    fn top(&self) -> Option<Container> {
        let level = self.depth.checked_sub(1)?;
        let bits = if level < 64 {
            self.low
        } else {
            self.high.get(level / 64 - 1).copied().unwrap_or(0)
        };
        Some(if bits >> (level % 64) & 1 == 1 {
            Container::Array
        } else {
            Container::Object
        })
    }

    #[inline(always)]
    fn push(&mut self, container: Container) {
        let level = self.depth;
        let bit = 1u64 << (level % 64);
        let word = if level < 64 {
            &mut self.low
        } else {
            if self.high.len() < level / 64 {
                self.high = more_words(std::mem::take(&mut self.high), level / 64);
            }
            &mut self.high[level / 64 - 1]
        };
        match container {
            Container::Array => *word |= bit,
            Container::Object => *word &= !bit,
        }
        self.depth += 1;
    }

    #[inline(always)]
    fn pop(&mut self) -> Option<Container> {
        let top = self.top()?;
        self.depth -= 1;
        Some(top)
    }
}

/// A pull reader over one JSON document.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    lexer: Lexer<'a>,
    containers: Containers,
    /// The innermost open container (`containers.top()`), kept at hand:
    /// what may follow each value depends on it.
    innermost: Option<Container>,
    state: State,
    max_depth: usize,
    /// Where the last token's first byte is.
    start: usize,
}

impl<'a> Reader<'a> {
    /// A reader of `bytes` that opens at most `max_depth` nested containers
    /// and refuses documents longer than `max_bytes`.
    pub(crate) fn new(bytes: &'a [u8], max_depth: usize, max_bytes: usize) -> Self {
        Reader {
            lexer: Lexer::new(bytes),
            containers: Containers::default(),
            innermost: None,
            state: if bytes.len() > max_bytes {
                State::TooLarge
            } else {
                State::Value
            },
            max_depth,
            start: 0,
        }
    }

    /// The bytes being read.
    pub(crate) fn bytes(&self) -> &'a [u8] {
        self.lexer.bytes
    }

    /// How many objects and arrays are open.
    pub(crate) fn depth(&self) -> usize {
        self.containers.depth
    }

    /// The offset where the last token started (for `End`, the input's end).
    pub(crate) fn start(&self) -> usize {
        self.start
    }

    /// The offset just past the last token.
    pub(crate) fn position(&self) -> usize {
        self.lexer.pos
    }

    #[inline(always)]
    fn error(&self, offset: usize, kind: ErrorKind) -> Error {
        Error { offset, kind }
    }

    #[inline(always)]
    fn token_error(error: LexError, in_key: bool) -> Error {
        Error {
            offset: error.offset,
            kind: ErrorKind::Token {
                reason: error.reason,
                in_key,
            },
        }
    }

    /// The next token. After [`Token::End`] it keeps returning `End`;
    /// after an error, callers stop.
    #[inline(always)]
    pub(crate) fn next_token(&mut self) -> Result<Token, Error> {
        self.next_with(&Expect::default(), |token| token)
    }

    /// The next token, told which strings most likely come (a key, or the
    /// value of the member whose key was just read): such a string is
    /// recognised by a comparison of whole words, and its token says so
    /// ([`StrToken::expected`]). The tokens are the same as
    /// [`Reader::next_token`]'s whatever is expected.
    #[inline(always)]
    pub(crate) fn next_token_expecting(&mut self, expect: &Expect<'_>) -> Result<Token, Error> {
        self.next_with(expect, |token| token)
    }

    /// The grammar: reads the next token and hands it to `handle` in the
    /// branch that read it, where its kind is known. (Built this way, the
    /// compiler lays the branches out better than when each returns its
    /// token to one exit; the figures are in `docs/validation.md`.)
    #[inline(always)]
    fn next_with<T>(
        &mut self,
        expect: &Expect<'_>,
        handle: impl FnOnce(Token) -> T,
    ) -> Result<T, Error> {
        self.lexer.skip_whitespace();
        self.start = self.lexer.pos;
        match self.state {
            // A value after a key's colon (or the document's).
            State::Value => self.value(expect.member, handle),
            State::AfterValue => self.after_value(expect.key, handle),
            State::FirstMember => {
                if self.lexer.peek() == Some(b'}') {
                    Ok(self.close(handle))
                } else {
                    self.key(expect.key, handle)
                }
            }
            State::FirstItem => {
                if self.lexer.peek() == Some(b']') {
                    Ok(self.close(handle))
                } else {
                    self.value(None, handle)
                }
            }
            State::Done => Ok(handle(Token::End)),
            State::TooLarge => Err(self.error(0, ErrorKind::TooLarge)),
        }
    }

    /// A value at `pos` (whitespace skipped), most likely the string
    /// `expected` if one is given.
    #[inline(always)]
    fn value<T>(
        &mut self,
        expected: Option<&ExpectedString>,
        handle: impl FnOnce(Token) -> T,
    ) -> Result<T, Error> {
        let offset = self.lexer.pos;
        match self.lexer.peek() {
            Some(b'"') => {
                let string = match expected {
                    Some(expected) => self.expected_string(expected),
                    None => None,
                };
                let string = match string {
                    Some(string) => string,
                    None => self
                        .lexer
                        .string()
                        .map_err(|error| Self::token_error(error, false))?,
                };
                self.state = State::AfterValue;
                Ok(handle(Token::String(string)))
            }
            Some(b'-' | b'0'..=b'9') => {
                let number = self
                    .lexer
                    .number()
                    .map_err(|error| Self::token_error(error, false))?;
                self.state = State::AfterValue;
                Ok(handle(Token::Number(number)))
            }
            Some(b'{') => self.open(Container::Object, offset, handle),
            Some(b'[') => self.open(Container::Array, offset, handle),
            Some(b't') if self.lexer.literal(b"true") => {
                self.state = State::AfterValue;
                Ok(handle(Token::Bool(true)))
            }
            Some(b'f') if self.lexer.literal(b"false") => {
                self.state = State::AfterValue;
                Ok(handle(Token::Bool(false)))
            }
            Some(b'n') if self.lexer.literal(b"null") => {
                self.state = State::AfterValue;
                Ok(handle(Token::Null))
            }
            _ => Err(self.error(offset, ErrorKind::ExpectedValue)),
        }
    }

    #[inline(always)]
    fn open<T>(
        &mut self,
        container: Container,
        offset: usize,
        handle: impl FnOnce(Token) -> T,
    ) -> Result<T, Error> {
        if self.containers.depth >= self.max_depth {
            return Err(self.error(offset, ErrorKind::TooDeep(container)));
        }
        self.containers.push(container);
        self.innermost = Some(container);
        self.lexer.pos += 1;
        Ok(match container {
            Container::Object => {
                self.state = State::FirstMember;
                handle(Token::ObjectStart)
            }
            Container::Array => {
                self.state = State::FirstItem;
                handle(Token::ArrayStart)
            }
        })
    }

    #[inline(always)]
    fn close<T>(&mut self, handle: impl FnOnce(Token) -> T) -> T {
        self.lexer.pos += 1;
        self.state = State::AfterValue;
        let closed = self.containers.pop();
        self.innermost = self.containers.top();
        match closed {
            Some(Container::Array) => handle(Token::ArrayEnd),
            _ => handle(Token::ObjectEnd),
        }
    }

    /// A key and its colon, at `pos` (whitespace skipped).
    #[inline(always)]
    fn key<T>(
        &mut self,
        expected: Option<&ExpectedString>,
        handle: impl FnOnce(Token) -> T,
    ) -> Result<T, Error> {
        if self.lexer.peek() != Some(b'"') {
            return Err(self.error(self.lexer.pos, ErrorKind::ExpectedKey));
        }
        let key = match expected {
            Some(expected) => self.expected_string(expected),
            None => None,
        };
        let key = match key {
            Some(key) => key,
            None => self
                .lexer
                .string()
                .map_err(|error| Self::token_error(error, true))?,
        };
        self.lexer.skip_whitespace();
        if self.lexer.peek() != Some(b':') {
            return Err(self.error(self.lexer.pos, ErrorKind::ExpectedColon(key)));
        }
        self.lexer.pos += 1;
        self.state = State::Value;
        Ok(handle(Token::Key(key)))
    }

    /// The string `expected`, read past, if it is the one at `pos` (an
    /// opening quote).
    #[inline(always)]
    fn expected_string(&mut self, expected: &ExpectedString) -> Option<StrToken> {
        let start = self.lexer.pos + 1;
        if !expected.matches(self.lexer.bytes, start) {
            return None;
        }
        let end = start + expected.len();
        self.lexer.pos = end + 1;
        Some(StrToken {
            start,
            end,
            escaped: false,
            unicode_ok: true,
            expected: true,
        })
    }

    /// What follows a value, at `pos` (whitespace skipped).
    #[inline(always)]
    fn after_value<T>(
        &mut self,
        expected: Option<&ExpectedString>,
        handle: impl FnOnce(Token) -> T,
    ) -> Result<T, Error> {
        let offset = self.lexer.pos;
        let next = self.lexer.peek();
        debug_assert_eq!(self.innermost, self.containers.top());
        match (self.innermost, next) {
            (Some(Container::Object), Some(b',')) => {
                self.lexer.pos += 1;
                self.lexer.skip_whitespace();
                self.start = self.lexer.pos;
                self.key(expected, handle)
            }
            (Some(Container::Array), Some(b',')) => {
                self.lexer.pos += 1;
                self.lexer.skip_whitespace();
                self.start = self.lexer.pos;
                self.value(None, handle)
            }
            (Some(Container::Object), Some(b'}')) | (Some(Container::Array), Some(b']')) => {
                Ok(self.close(handle))
            }
            (Some(Container::Object), _) => {
                Err(self.error(offset, ErrorKind::ExpectedCommaOrObjectEnd))
            }
            (Some(Container::Array), _) => {
                Err(self.error(offset, ErrorKind::ExpectedCommaOrArrayEnd))
            }
            (None, None) => {
                self.state = State::Done;
                Ok(handle(Token::End))
            }
            (None, Some(_)) => Err(self.error(offset, ErrorKind::TrailingCharacters)),
        }
    }

    /// Reads tokens until the container open at `depth` + 1 closes.
    pub(crate) fn skip_to_depth(&mut self, depth: usize) -> Result<(), Error> {
        while self.depth() > depth {
            if self.next_token()? == Token::End {
                break;
            }
        }
        Ok(())
    }

    /// Reads the rest of the document.
    pub(crate) fn finish(&mut self) -> Result<(), Error> {
        while self.next_token()? != Token::End {}
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Result<Vec<Token>, Error> {
        let mut reader = Reader::new(text.as_bytes(), 64, usize::MAX);
        let mut out = Vec::new();
        loop {
            let token = reader.next_token()?;
            out.push(token);
            if token == Token::End {
                return Ok(out);
            }
        }
    }

    fn error(text: &str) -> (usize, ErrorKind) {
        let error = tokens(text).unwrap_err();
        (error.offset, error.kind)
    }

    #[test]
    fn tokens_follow_the_document_order() {
        let got = tokens(r#" {"a": [1, true, null], "b": {}} "#).unwrap();
        let shapes: Vec<&str> = got
            .iter()
            .map(|token| match token {
                Token::ObjectStart => "{",
                Token::ObjectEnd => "}",
                Token::ArrayStart => "[",
                Token::ArrayEnd => "]",
                Token::Key(_) => "key",
                Token::String(_) => "string",
                Token::Number(_) => "number",
                Token::Bool(_) => "bool",
                Token::Null => "null",
                Token::End => "end",
            })
            .collect();
        assert_eq!(
            shapes,
            [
                "{", "key", "[", "number", "bool", "null", "]", "key", "{", "}", "}", "end"
            ]
        );
    }

    #[test]
    fn grammar_errors_name_the_rule_and_the_byte() {
        assert_eq!(error(""), (0, ErrorKind::ExpectedValue));
        assert_eq!(error("[1,]"), (3, ErrorKind::ExpectedValue));
        assert_eq!(error(r#"{"a":1,}"#), (7, ErrorKind::ExpectedKey));
        assert_eq!(
            error(r#"{"a":1 "b":2}"#),
            (7, ErrorKind::ExpectedCommaOrObjectEnd)
        );
        assert_eq!(error("[1 2]"), (3, ErrorKind::ExpectedCommaOrArrayEnd));
        assert_eq!(error("1 2"), (2, ErrorKind::TrailingCharacters));
        assert_eq!(error("tru"), (0, ErrorKind::ExpectedValue));
        let (offset, kind) = error(r#"{"ab" 1}"#);
        assert_eq!(offset, 6);
        assert!(matches!(kind, ErrorKind::ExpectedColon(key) if (key.start, key.end) == (2, 4)));
        assert_eq!(
            error(r#"{"a\q":1}"#),
            (
                3,
                ErrorKind::Token {
                    reason: "invalid escape in a string",
                    in_key: true
                }
            )
        );
    }

    #[test]
    fn depth_is_limited_without_recursion() {
        let deep = "[".repeat(1_000_000);
        let mut reader = Reader::new(deep.as_bytes(), 64, usize::MAX);
        assert_eq!(
            reader.finish().unwrap_err(),
            Error {
                offset: 64,
                kind: ErrorKind::TooDeep(Container::Array)
            }
        );
        let nested = format!("{}{}", "[{\"a\":".repeat(100), "}]".repeat(100));
        let mut reader = Reader::new(nested.as_bytes(), 200, usize::MAX);
        assert_eq!(
            reader.finish().unwrap_err().kind,
            ErrorKind::ExpectedValue,
            "past 128 levels the stack still tells objects from arrays"
        );
        let nested = format!("{}1{}", "[{\"a\":".repeat(100), "}]".repeat(100));
        let mut reader = Reader::new(nested.as_bytes(), 200, usize::MAX);
        assert_eq!(reader.finish(), Ok(()));
    }

    #[test]
    fn a_document_over_the_size_limit_is_not_read() {
        let mut reader = Reader::new(b"[1, 2]", 64, 5);
        assert_eq!(reader.next_token().unwrap_err().kind, ErrorKind::TooLarge);
    }
}
