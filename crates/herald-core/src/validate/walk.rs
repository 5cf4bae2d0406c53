//! The schema-driven walk: the crate's JSON reader's tokens, checked one by
//! one against the compiled schema as they come.
//!
//! The walk keeps a frame per open object and array — its schema, the
//! member being read, the fields seen — on an explicit stack, never builds
//! a value tree and never backtracks: the first byte of a value picks the
//! branch of a `one_of`. The grammar (commas, colons, depth, what may follow
//! what) is the reader's; the walk only decides what each token means for
//! the schema. Issues are appended as they are found, which is document
//! order; pointers and messages are written only for issues, each straight
//! into its own string.

use smallvec::SmallVec;

use super::formats;
use super::message::{
    message, plain_pointer_token, push_debug, push_int, push_pointer_token, push_quoted, push_uint,
    push_uint_bytes,
};
use super::program::{
    ArrayNode, IntegerNode, MemberValue, NameTable, Node, NodeId, ObjectNode, Probe, Program,
    StringNode, equal, kind_index,
};
use super::report::{Issue, IssueCode, ValidationReport};
use crate::json::{
    Container, Error, ErrorKind, Expect, ExpectedString, Key, KeySet, NumToken, ObjectKeys, Reader,
    StrToken, Token, decode_into,
};
use crate::limits::Limits;
use crate::schema::{EnumPolicy, JsonKind, UnknownPolicy};

/// What an `event_name` string must be.
#[derive(Debug, Clone, Copy)]
pub(crate) enum NameRule<'a> {
    /// Exactly this name; with it, when the catalogue has one, the name
    /// ready for the reader to expect as an `event_name` member's value.
    Exact(&'a str, Option<&'a ExpectedString>),
    /// Any name that resolves, through `names`, to the templated event
    /// `template` of `source`.
    Template {
        names: &'a dyn EventNames,
        source: &'a str,
        template: &'a str,
    },
    /// Any valid topic (validation against a named schema, no event).
    AnyTopic,
}

/// Which event a name stands for: the catalogue's resolution, asked by the
/// walk without depending on the catalogue (which implements this).
pub(crate) trait EventNames: Sync + std::fmt::Debug {
    /// The name of the event `name` resolves to in `source`, exact or
    /// through a template; `None` when it resolves to none.
    fn resolve_name(&self, source: &str, name: &str) -> Option<&str>;
}

/// Validates `payload` against the node `root` of `program`.
///
/// Inlined, so that the caller writes the walk's fields, the rule among
/// them, straight from its registers: passed by reference, the rule was
/// written to the stack in words and read back in wider loads, which
/// cannot take their bytes from two stores (a stall on every call by name).
#[inline(always)]
pub(crate) fn run(
    program: &Program,
    root: NodeId,
    rule: NameRule<'_>,
    limits: &Limits,
    payload: &[u8],
) -> ValidationReport {
    let keys = KeySet::default();
    let mut walk = Walk {
        bytes: payload,
        program,
        rule,
        limits,
        top: Frame::document(root, keys.open(0)),
        outer: SmallVec::new(),
        expect: Expect::default(),
        event_name: match rule {
            NameRule::Exact(_, expected) => expected,
            _ => None,
        },
        seen_more: Vec::new(),
        report: ValidationReport::default(),
        scratch: Vec::new(),
        keys,
    };
    let _ = walk.walk();
    walk.report
}

/// Ends the walk: a syntax error, a fatal limit, or the error cap.
struct Stop;

type Flow<T> = Result<T, Stop>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Severity {
    Error,
    Warning,
}

/// Where the checks for a value come from, once its kind is known.
enum Target<'p> {
    Any,
    Node(&'p Node),
    Mismatch,
}

/// One open object or array, or the document itself (the bottom frame,
/// whose one value is the document's).
#[derive(Clone, Copy)]
struct Frame<'p> {
    /// An object's schema (`None`: any object, or another frame).
    object: Option<&'p ObjectNode>,
    /// An array's schema (`None`: any array, or another frame).
    array: Option<&'p ArrayNode>,
    is_array: bool,
    /// The schema of the next value: the items' in an array, the current
    /// member's in an object (set by its key), the root for the document.
    next: Option<NodeId>,
    /// Arrays: items started so far (the current one is `word - 1`).
    /// Objects: known fields seen, one bit per field below 64.
    word: u64,
    /// Objects: the current member's key, its raw bytes between the quotes
    /// (`start == 0`: no member yet; a key starts after its quote, never
    /// at 0). Only its place is kept: pointers, which need its text, are
    /// rare, and storing a whole token per key is not.
    key: KeySpan,
    /// Objects: their place among the open objects' unknown keys.
    keys: ObjectKeys,
    /// Objects: the first word of their seen-bits for fields from 64 on.
    seen_from: usize,
    /// Objects: the position of the field expected next (the one after
    /// the last known field read).
    expect: u32,
}

/// Where a key's raw bytes are.
#[derive(Clone, Copy)]
struct KeySpan {
    start: usize,
    end: usize,
}

impl KeySpan {
    #[inline(always)]
    fn of(token: StrToken) -> KeySpan {
        KeySpan {
            start: token.start,
            end: token.end,
        }
    }
}

const NO_KEY: KeySpan = KeySpan { start: 0, end: 0 };

impl<'p> Frame<'p> {
    fn document(root: NodeId, keys: ObjectKeys) -> Frame<'p> {
        Frame {
            object: None,
            array: None,
            is_array: false,
            next: Some(root),
            word: 0,
            key: NO_KEY,
            keys,
            seen_from: 0,
            expect: 0,
        }
    }
}

struct Walk<'a, 'p> {
    bytes: &'a [u8],
    program: &'p Program,
    rule: NameRule<'p>,
    limits: &'p Limits,
    /// The innermost open container (the document when none is open).
    top: Frame<'p>,
    /// The frames around `top`, outermost (the document) first.
    outer: SmallVec<[Frame<'p>; 8]>,
    /// For the reader: the key the innermost object expects next, and the
    /// string the value of the member just keyed most likely is (its
    /// schema's constant, or the event's name; a value read as this string
    /// is known to pass its schema).
    expect: Expect<'p>,
    /// The event's name, when the rule has it ready to expect.
    event_name: Option<&'p ExpectedString>,
    /// Seen-bits of fields from 64 on, for the open objects that have them.
    seen_more: Vec<u64>,
    report: ValidationReport,
    /// Decoded text of escaped strings, reused.
    scratch: Vec<u8>,
    /// Unknown keys of the open objects, for duplicates.
    keys: KeySet,
}

fn kind_name(kind: JsonKind) -> &'static str {
    match kind {
        JsonKind::Object => "object",
        JsonKind::Array => "array",
        JsonKind::String => "string",
        JsonKind::Integer => "integer",
        JsonKind::Number => "number",
        JsonKind::Boolean => "boolean",
        JsonKind::Null => "null",
    }
}

/// Characters in UTF-8 text: the bytes that do not continue a character.
fn chars(text: &[u8]) -> u64 {
    text.iter().filter(|&&byte| byte & 0xC0 != 0x80).count() as u64
}

impl<'a, 'p> Walk<'a, 'p> {
    /// Reads the document's tokens to the end. The reader is a local, not
    /// a field, so that its cursor can live in registers across the loop.
    fn walk(&mut self) -> Flow<()> {
        let limits = self.limits;
        let mut reader = Reader::new(self.bytes, limits.max_depth, limits.max_payload_bytes);
        loop {
            let token = match reader.next_token_expecting(&self.expect) {
                Ok(token) => token,
                Err(error) => return Err(self.syntax(error)),
            };
            if !self.token(token)? {
                return Ok(());
            }
        }
    }

    /// Checks one token; `false` at the document's end.
    #[inline(always)]
    fn token(&mut self, token: Token) -> Flow<bool> {
        match token {
            Token::Key(key) => self.key(key)?,
            Token::String(token) => {
                let expect = self.item();
                self.string(expect, token)?;
            }
            Token::Number(token) => {
                let expect = self.item();
                self.number(expect, token)?;
            }
            Token::Bool(value) => {
                let expect = self.item();
                let text = if value { "true" } else { "false" };
                self.literal(expect, JsonKind::Boolean, text)?;
            }
            Token::Null => {
                let expect = self.item();
                self.literal(expect, JsonKind::Null, "null")?;
            }
            Token::ObjectStart => {
                let expect = self.item();
                self.open_object(expect)?;
            }
            Token::ArrayStart => {
                let expect = self.item();
                self.open_array(expect)?;
            }
            Token::ObjectEnd => self.close_object()?,
            Token::ArrayEnd => self.close_array()?,
            Token::End => return Ok(false),
        }
        Ok(true)
    }

    /// A value starts: the schema it is read against. In an array, it is
    /// one more item.
    #[inline(always)]
    fn item(&mut self) -> Option<NodeId> {
        let top = &mut self.top;
        if top.is_array {
            top.word += 1;
        }
        top.next
    }

    /// How many containers are open.
    #[inline]
    fn depth(&self) -> usize {
        self.outer.len()
    }

    /// Opens `frame` inside the current top.
    #[inline]
    fn push(&mut self, frame: Frame<'p>) {
        let outer = std::mem::replace(&mut self.top, frame);
        self.outer.push(outer);
    }

    /// Closes the top frame; the key to expect is again the one of the
    /// frame now on top.
    #[inline]
    fn pop(&mut self) {
        if let Some(outer) = self.outer.pop() {
            self.top = outer;
        }
        self.expect.key = match self.top.object {
            Some(object) if !self.top.is_array => object.expected(self.top.expect as usize),
            _ => None,
        };
    }

    // ---- reporting -------------------------------------------------------

    #[inline(never)]
    fn issue(
        &mut self,
        severity: Severity,
        code: IssueCode,
        pointer: String,
        message: String,
    ) -> Flow<()> {
        let list = match severity {
            Severity::Error => &mut self.report.errors,
            Severity::Warning => &mut self.report.warnings,
        };
        if list.len() >= self.limits.max_errors {
            self.report.truncated = true;
            return match severity {
                Severity::Error => Err(Stop),
                Severity::Warning => Ok(()),
            };
        }
        list.push(Issue {
            code,
            pointer,
            message,
        });
        Ok(())
    }

    /// Reports at the value being read.
    #[inline(never)]
    fn error_here(&mut self, code: IssueCode, message: String) -> Flow<()> {
        let pointer = self.pointer(self.depth());
        self.issue(Severity::Error, code, pointer, message)
    }

    /// Reports a reading error, which ends the walk, at the place the
    /// reader was: the object for an error in a key, the member or item for
    /// an error in or after a value.
    #[cold]
    fn syntax(&mut self, error: Error) -> Stop {
        let depth = self.depth();
        let len = self.bytes.len();
        let at_end = error.at_end(len);
        let (reason, pointer) = match error.kind {
            ErrorKind::TooLarge => {
                let mut text = message(64);
                text.push_str("the payload is ");
                push_uint(&mut text, len as u64);
                text.push_str(" bytes, over the limit of ");
                push_uint(&mut text, self.limits.max_payload_bytes as u64);
                text.push_str(" bytes");
                let _ = self.issue(Severity::Error, IssueCode::TooLarge, String::new(), text);
                return Stop;
            }
            ErrorKind::TooDeep(container) => {
                // The container is a value of its kind: the schema hears
                // about it before the limit ends the walk.
                let expect = self.item();
                let (kind, found) = match container {
                    Container::Object => (JsonKind::Object, "an object"),
                    Container::Array => (JsonKind::Array, "an array"),
                };
                if let Target::Mismatch = self.target(expect, kind)
                    && self.mismatch(expect, found).is_err()
                {
                    return Stop;
                }
                let mut text = message(56);
                text.push_str("objects and arrays are nested more than ");
                push_uint(&mut text, self.limits.max_depth as u64);
                text.push_str(" deep");
                let _ = self.error_here(IssueCode::TooDeep, text);
                return Stop;
            }
            ErrorKind::Token {
                reason,
                in_key: true,
            } => (reason, self.pointer(depth.saturating_sub(1))),
            ErrorKind::ExpectedKey => (
                "expected a string key",
                self.pointer(depth.saturating_sub(1)),
            ),
            ErrorKind::ExpectedColon(key) => {
                self.top.key = KeySpan::of(key);
                ("expected `:` after a key", self.pointer(depth))
            }
            ErrorKind::Token {
                reason,
                in_key: false,
            } => {
                self.item();
                (reason, self.pointer(depth))
            }
            ErrorKind::ExpectedValue => {
                self.item();
                let reason = if at_end {
                    "expected a value"
                } else {
                    "expected a JSON value"
                };
                (reason, self.pointer(depth))
            }
            ErrorKind::ExpectedCommaOrObjectEnd => (
                "expected `,` or `}` after an object member",
                self.pointer(depth),
            ),
            ErrorKind::ExpectedCommaOrArrayEnd => (
                "expected `,` or `]` after an array item",
                self.pointer(depth),
            ),
            ErrorKind::TrailingCharacters => (
                "trailing characters after the JSON value",
                self.pointer(depth),
            ),
        };
        let mut text = message(reason.len() + 48);
        if at_end {
            text.push_str("unexpected end of input (");
            text.push_str(reason);
            text.push(')');
        } else {
            text.push_str(reason);
        }
        text.push_str(" at byte ");
        push_uint(&mut text, error.offset as u64);
        let _ = self.issue(Severity::Error, IssueCode::Syntax, pointer, text);
        Stop
    }

    /// The JSON Pointer through the first `depth` open containers.
    #[inline(never)]
    fn pointer(&self, depth: usize) -> String {
        if depth == 0 {
            return String::new();
        }
        // The containers: the frames after the document's, then the top.
        let containers = || {
            self.outer
                .iter()
                .skip(1)
                .chain(std::iter::once(&self.top))
                .take(depth)
        };
        let estimate: usize = containers()
            .map(|frame| frame.key.end - frame.key.start + 4)
            .sum();
        // Built as bytes, every piece UTF-8, and checked once at the end:
        // most keys are copied as they stand, with no check of their own.
        let mut pointer = Vec::with_capacity(estimate);
        let mut buffer = Vec::new();
        let mut token = String::new();
        for frame in containers() {
            if frame.is_array {
                if frame.word == 0 {
                    break;
                }
                pointer.push(b'/');
                push_uint_bytes(&mut pointer, frame.word - 1);
                continue;
            }
            let key = frame.key;
            if key.start == 0 {
                break;
            }
            let raw = &self.bytes[key.start..key.end];
            if plain_pointer_token(raw) {
                pointer.push(b'/');
                pointer.extend_from_slice(raw);
                continue;
            }
            // A backslash in a string's raw bytes always starts an escape.
            let escaped = raw.contains(&b'\\');
            token.clear();
            match std::str::from_utf8(raw) {
                Ok(text) if !escaped => push_pointer_token(&mut token, text),
                _ => {
                    buffer.clear();
                    decode_into(raw, &mut buffer);
                    push_pointer_token(&mut token, &String::from_utf8_lossy(&buffer));
                }
            }
            pointer.extend_from_slice(token.as_bytes());
        }
        String::from_utf8(pointer)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
    }

    // ---- values ----------------------------------------------------------

    #[inline(always)]
    fn target(&self, expect: Option<NodeId>, kind: JsonKind) -> Target<'p> {
        let program = self.program;
        let Some(id) = expect else {
            return Target::Any;
        };
        match &program.nodes[id as usize] {
            Node::Any => Target::Any,
            Node::OneOf(one_of) => match one_of.by_kind[kind_index(kind)] {
                Some(variant) => match &program.nodes[variant as usize] {
                    Node::Any => Target::Any,
                    node => Target::Node(node),
                },
                None => Target::Mismatch,
            },
            node if node.accepts(kind) => Target::Node(node),
            _ => Target::Mismatch,
        }
    }

    /// Appends what a node accepts, for messages.
    fn push_expected(&self, text: &mut String, id: NodeId) {
        match &self.program.nodes[id as usize] {
            Node::OneOf(one_of) => {
                let mut first = true;
                for (index, kind) in [
                    JsonKind::Object,
                    JsonKind::Array,
                    JsonKind::String,
                    JsonKind::Integer,
                    JsonKind::Number,
                    JsonKind::Boolean,
                    JsonKind::Null,
                ]
                .into_iter()
                .enumerate()
                {
                    let Some(variant) = one_of.by_kind[index] else {
                        continue;
                    };
                    if let (Node::Number(_), JsonKind::Integer) =
                        (&self.program.nodes[variant as usize], kind)
                    {
                        continue;
                    }
                    if !first {
                        text.push_str(" or ");
                    }
                    first = false;
                    text.push_str(kind_name(kind));
                }
            }
            Node::Integer(integer) => {
                text.push_str("an integer (");
                text.push_str(integer.repr_name);
                text.push(')');
            }
            Node::Object(_) => text.push_str("an object"),
            Node::Array(_) => text.push_str("an array"),
            Node::String(_) | Node::EventName => text.push_str("a string"),
            Node::Number(_) => text.push_str("a number"),
            Node::Boolean => text.push_str("a boolean"),
            Node::Null => text.push_str("null"),
            Node::Any => text.push_str("any value"),
        }
    }

    /// Reports a value of a kind its schema does not accept; `found` is
    /// what it is, for the message.
    #[cold]
    fn mismatch(&mut self, expect: Option<NodeId>, found: &str) -> Flow<()> {
        let mut text = message(found.len() + 48);
        text.push_str("expected ");
        match expect {
            Some(id) => self.push_expected(&mut text, id),
            None => text.push_str("any value"),
        }
        text.push_str(", found ");
        text.push_str(found);
        self.error_here(IssueCode::TypeMismatch, text)
    }

    fn literal(&mut self, expect: Option<NodeId>, kind: JsonKind, text: &str) -> Flow<()> {
        if let Target::Mismatch = self.target(expect, kind) {
            self.mismatch(expect, text)?;
        }
        Ok(())
    }

    fn open_object(&mut self, expect: Option<NodeId>) -> Flow<()> {
        let node = match self.target(expect, JsonKind::Object) {
            Target::Node(Node::Object(object)) => Some(object),
            Target::Mismatch => {
                self.mismatch(expect, "an object")?;
                None
            }
            _ => None,
        };
        let seen_from = self.seen_more.len();
        if let Some(extra) = node.map(|node| node.words().saturating_sub(1))
            && extra > 0
        {
            self.more_seen_bits(seen_from + extra);
        }
        let keys = self.keys.open(self.depth() + 1);
        self.push(Frame {
            object: node,
            array: None,
            is_array: false,
            next: None,
            word: 0,
            key: NO_KEY,
            keys,
            seen_from,
            expect: 0,
        });
        self.expect.key = node.and_then(|node| node.expected(0));
        Ok(())
    }

    /// Room for the seen-bits of an object with more than 64 fields.
    #[cold]
    fn more_seen_bits(&mut self, len: usize) {
        self.seen_more.resize(len, 0);
    }

    fn open_array(&mut self, expect: Option<NodeId>) -> Flow<()> {
        let array = match self.target(expect, JsonKind::Array) {
            Target::Node(Node::Array(array)) => Some(array),
            Target::Mismatch => {
                self.mismatch(expect, "an array")?;
                None
            }
            _ => None,
        };
        let keys = self.top.keys;
        self.push(Frame {
            object: None,
            array,
            is_array: true,
            next: array.map(|array| array.items),
            word: 0,
            key: NO_KEY,
            keys,
            seen_from: 0,
            expect: 0,
        });
        Ok(())
    }

    // ---- objects ---------------------------------------------------------

    /// A member's key: the schema of its value, and the key's issues.
    #[inline(always)]
    fn key(&mut self, key: StrToken) -> Flow<()> {
        self.top.key = KeySpan::of(key);
        self.expect.member = None;
        if key.expected
            && let Some(node) = self.top.object
        {
            // The reader read the very key the walk expected: the field
            // at `expect`, no lookup needed.
            let position = self.top.expect as usize;
            self.top.next = self.known_member(node, position, key)?;
            return Ok(());
        }
        self.top.next = None;
        if !key.unicode_ok {
            return self.invalid_key();
        }
        let bytes: &'a [u8] = self.bytes;
        self.top.next = if key.escaped {
            let mut scratch = std::mem::take(&mut self.scratch);
            scratch.clear();
            decode_into(&bytes[key.start..key.end], &mut scratch);
            let next = self.member(Probe::new(&scratch), None);
            self.scratch = scratch;
            next?
        } else {
            self.member(
                Probe::in_payload(bytes, key.start, key.end),
                Some((key.start, key.end)),
            )?
        };
        Ok(())
    }

    #[cold]
    fn invalid_key(&mut self) -> Flow<()> {
        self.error_here(
            IssueCode::InvalidUtf8,
            "the key is not valid UTF-8".to_owned(),
        )
    }

    /// The schema of the member called `name` (decoded; at `in_payload`
    /// when the raw key is its text) of the innermost object, after its
    /// duplicate and unknown-field checks.
    #[inline(always)]
    fn member(
        &mut self,
        name: Probe<'_>,
        in_payload: Option<(usize, usize)>,
    ) -> Flow<Option<NodeId>> {
        let node = self.top.object;
        if let Some(node) = node
            && let Some(position) = node.field(name)
        {
            let repeated = self.see(position);
            self.expect_after(node, position);
            if repeated {
                self.duplicate(name.bytes())?;
            }
            return Ok(node.targets.get(position).copied());
        }
        self.unknown_member(
            node,
            Key {
                text: name.bytes(),
                in_payload,
            },
        )
    }

    /// The schema of the member whose key `key` is the field at `position`
    /// of `node`, the innermost object's schema, after its duplicate check.
    #[inline(always)]
    fn known_member(
        &mut self,
        node: &'p ObjectNode,
        position: usize,
        key: StrToken,
    ) -> Flow<Option<NodeId>> {
        let repeated = self.see(position);
        self.expect_after(node, position);
        if repeated {
            let bytes: &'a [u8] = self.bytes;
            self.duplicate(&bytes[key.start..key.end])?;
        }
        Ok(node.targets.get(position).copied())
    }

    /// Marks the field at `position` of the innermost object seen; `true`
    /// when it had been seen already.
    #[inline(always)]
    fn see(&mut self, position: usize) -> bool {
        let top = &mut self.top;
        let bit = 1u64 << (position % 64);
        let word = match position / 64 {
            0 => &mut top.word,
            more => &mut self.seen_more[top.seen_from + more - 1],
        };
        let repeated = *word & bit != 0;
        *word |= bit;
        repeated
    }

    /// After the field at `position`, the innermost object expects the
    /// next one of its schema.
    #[inline(always)]
    fn expect_after(&mut self, node: &'p ObjectNode, position: usize) {
        let next = position + 1;
        self.top.expect = u32::try_from(next).unwrap_or(u32::MAX);
        self.expect.key = node.expected(next);
        self.expect.member = match node.value(position) {
            Some(MemberValue::Constant(constant)) => Some(constant),
            Some(MemberValue::EventName) => self.event_name,
            _ => None,
        };
    }

    /// A member the object's schema does not list (or any member of an
    /// object without one): duplicates, then the unknown-field policy.
    #[inline(never)]
    fn unknown_member(&mut self, node: Option<&ObjectNode>, key: Key<'_>) -> Flow<Option<NodeId>> {
        let name = key.text;
        if !self.keys.insert(self.top.keys, self.bytes, key) {
            self.duplicate(name)?;
            return Ok(None);
        }
        let policy = node.map_or(UnknownPolicy::Allow, |node| node.unknown);
        let severity = match policy {
            UnknownPolicy::Allow => return Ok(None),
            UnknownPolicy::Warn => Severity::Warning,
            UnknownPolicy::Deny => Severity::Error,
        };
        let pointer = self.pointer(self.depth());
        let mut text = message(name.len() + 36);
        text.push_str("the field ");
        push_quoted(&mut text, name);
        text.push_str(" is not in the schema");
        self.issue(severity, IssueCode::UnknownField, pointer, text)?;
        Ok(None)
    }

    #[cold]
    fn duplicate(&mut self, name: &[u8]) -> Flow<()> {
        let mut text = message(name.len() + 36);
        text.push_str("the key ");
        push_quoted(&mut text, name);
        text.push_str(" appears more than once");
        self.error_here(IssueCode::DuplicateKey, text)
    }

    fn close_object(&mut self) -> Flow<()> {
        let depth = self.depth();
        let top = self.top;
        self.keys.close(top.keys);
        if let Some(node) = top.object {
            let seen = |word: usize| match word {
                0 => top.word,
                more => self.seen_more[top.seen_from + more - 1],
            };
            let missing =
                (0..node.required.len()).any(|word| node.required[word] & !seen(word) != 0);
            if missing {
                self.missing_fields(node, depth, top.word, top.seen_from)?;
            }
        }
        self.seen_more.truncate(top.seen_from);
        self.pop();
        Ok(())
    }

    /// Reports each required field an object closed without, at the
    /// object's pointer, in the schema's field order.
    #[cold]
    fn missing_fields(
        &mut self,
        node: &ObjectNode,
        depth: usize,
        first: u64,
        seen_from: usize,
    ) -> Flow<()> {
        let pointer = self.pointer(depth - 1);
        for position in 0..node.names().len() {
            let bit = 1u64 << (position % 64);
            let seen = match position / 64 {
                0 => first,
                more => self.seen_more[seen_from + more - 1],
            };
            if node.required[position / 64] & bit == 0 || seen & bit != 0 {
                continue;
            }
            let name = node.names()[position].as_bytes();
            let mut text = message(name.len() + 34);
            text.push_str("the required field ");
            push_quoted(&mut text, name);
            text.push_str(" is missing");
            self.issue(
                Severity::Error,
                IssueCode::MissingField,
                pointer.clone(),
                text,
            )?;
        }
        Ok(())
    }

    fn close_array(&mut self) -> Flow<()> {
        let depth = self.depth() - 1;
        let len = self.top.word;
        let (min, max) = self
            .top
            .array
            .map_or((None, None), |array| (array.min_items, array.max_items));
        if let Some(min) = min.filter(|&min| len < min) {
            let pointer = self.pointer(depth);
            let mut text = message(56);
            push_uint(&mut text, len);
            text.push_str(" items, fewer than the minimum of ");
            push_uint(&mut text, min);
            self.issue(Severity::Error, IssueCode::TooShort, pointer, text)?;
        }
        if let Some(max) = max.filter(|&max| len > max) {
            let pointer = self.pointer(depth);
            let mut text = message(56);
            push_uint(&mut text, len);
            text.push_str(" items, more than the maximum of ");
            push_uint(&mut text, max);
            self.issue(Severity::Error, IssueCode::TooLong, pointer, text)?;
        }
        self.pop();
        Ok(())
    }

    // ---- scalars ---------------------------------------------------------

    /// A string value: its kind, its UTF-8, then its rules (read on the
    /// decoded text, which is the raw text unless it holds escapes).
    #[inline(always)]
    fn string(&mut self, expect: Option<NodeId>, token: StrToken) -> Flow<()> {
        if token.expected {
            // The reader read the string expected for this member: the
            // schema's constant (its only rule) or the event's name.
            return Ok(());
        }
        let node = match self.target(expect, JsonKind::String) {
            Target::Node(node) => node,
            Target::Any if token.unicode_ok => return Ok(()),
            Target::Any => return self.invalid_string(),
            Target::Mismatch => return self.mismatch(expect, "a string"),
        };
        if !token.unicode_ok {
            return self.invalid_string();
        }
        match node {
            Node::String(string) if string.plain => Ok(()),
            Node::String(string) => self.string_rules(string, token),
            Node::EventName => self.event_name(token),
            _ => Ok(()),
        }
    }

    #[cold]
    fn invalid_string(&mut self) -> Flow<()> {
        self.error_here(
            IssueCode::InvalidUtf8,
            "the string is not valid UTF-8".to_owned(),
        )
    }

    /// The text of a string token: its raw bytes, or its decoded value in
    /// `scratch` when it holds escapes.
    #[inline(always)]
    fn text<'s>(bytes: &'s [u8], token: StrToken, scratch: &'s mut Vec<u8>) -> Probe<'s> {
        if token.escaped {
            scratch.clear();
            decode_into(&bytes[token.start..token.end], scratch);
            Probe::new(scratch)
        } else {
            Probe::in_payload(bytes, token.start, token.end)
        }
    }

    fn string_rules(&mut self, string: &StringNode, token: StrToken) -> Flow<()> {
        if !token.escaped {
            let bytes: &'a [u8] = self.bytes;
            let (start, end) = (token.start, token.end);
            return self.check_string(
                string,
                &bytes[start..end],
                || Probe::in_payload(bytes, start, end),
                |values| values.find_in_payload(bytes, start, end),
            );
        }
        let mut scratch = std::mem::take(&mut self.scratch);
        let probe = Self::text(self.bytes, token, &mut scratch);
        let result =
            self.check_string(string, probe.bytes(), || probe, |values| values.find(probe));
        self.scratch = scratch;
        result
    }

    /// The rules of a string whose (decoded) text is `text`; `probe` makes
    /// its fingerprinted form, which `const` needs, and `find` looks it up
    /// in an enum's table.
    fn check_string<'t>(
        &mut self,
        string: &StringNode,
        text: &'t [u8],
        probe: impl Fn() -> Probe<'t>,
        find: impl Fn(&NameTable) -> Option<usize>,
    ) -> Flow<()> {
        if let Some(constant) = &string.constant
            && !constant.matches(probe())
        {
            self.const_mismatch(constant.as_bytes(), text)?;
        }
        if !string.values.names().is_empty() && find(&string.values).is_none() {
            self.unknown_enum(string, text)?;
        }
        // A string of n bytes has between n/4 and n characters: count them
        // only when that range does not already settle the bounds.
        let bytes = text.len() as u64;
        let settled = string.min_length.is_none_or(|min| bytes.div_ceil(4) >= min)
            && string.max_length.is_none_or(|max| bytes <= max);
        if !settled {
            self.string_length(string, text)?;
        }
        if let Some(format) = string.format
            && !formats::matches(format, text)
        {
            self.bad_format(format, text)?;
        }
        Ok(())
    }

    #[cold]
    fn const_mismatch(&mut self, constant: &[u8], text: &[u8]) -> Flow<()> {
        let mut message_text = message(text.len() + constant.len() + 20);
        message_text.push_str("expected ");
        push_quoted(&mut message_text, constant);
        message_text.push_str(", found ");
        push_quoted(&mut message_text, text);
        self.error_here(IssueCode::ConstMismatch, message_text)
    }

    /// Counts the characters of a string whose byte length leaves its
    /// bounds open, and reports it when it is out of them.
    #[inline(never)]
    fn string_length(&mut self, string: &StringNode, text: &[u8]) -> Flow<()> {
        let length = chars(text);
        if let Some(min) = string.min_length.filter(|&min| length < min) {
            let mut message_text = message(56);
            push_uint(&mut message_text, length);
            message_text.push_str(" characters, fewer than the minimum of ");
            push_uint(&mut message_text, min);
            self.error_here(IssueCode::TooShort, message_text)?;
        }
        if let Some(max) = string.max_length.filter(|&max| length > max) {
            let mut message_text = message(56);
            push_uint(&mut message_text, length);
            message_text.push_str(" characters, more than the maximum of ");
            push_uint(&mut message_text, max);
            self.error_here(IssueCode::TooLong, message_text)?;
        }
        Ok(())
    }

    #[cold]
    fn bad_format(&mut self, format: crate::schema::StringFormat, text: &[u8]) -> Flow<()> {
        let describe = formats::describe(format);
        let mut message_text = message(text.len() + describe.len() + 12);
        push_quoted(&mut message_text, text);
        message_text.push_str(" is not ");
        message_text.push_str(describe);
        self.error_here(IssueCode::Format, message_text)
    }

    #[cold]
    fn unknown_enum(&mut self, string: &StringNode, text: &[u8]) -> Flow<()> {
        let listed: usize = string
            .values
            .names()
            .iter()
            .map(|value| value.as_bytes().len() + 2)
            .sum();
        let mut message_text = message(text.len() + listed + 20);
        push_quoted(&mut message_text, text);
        message_text.push_str(" is not one of ");
        for (index, value) in string.values.names().iter().enumerate() {
            if index > 0 {
                message_text.push_str(", ");
            }
            message_text.push_str(&String::from_utf8_lossy(value.as_bytes()));
        }
        let severity = match string.unknown_value {
            EnumPolicy::Error => Severity::Error,
            EnumPolicy::Warn => Severity::Warning,
        };
        let pointer = self.pointer(self.depth());
        self.issue(severity, IssueCode::UnknownEnum, pointer, message_text)
    }

    /// An `event_name` string: it must name the event being validated.
    fn event_name(&mut self, token: StrToken) -> Flow<()> {
        if let NameRule::Exact(name, _) = self.rule
            && !token.escaped
            && equal(name.as_bytes(), &self.bytes[token.start..token.end])
        {
            return Ok(());
        }
        let mut scratch = std::mem::take(&mut self.scratch);
        let text = Self::text(self.bytes, token, &mut scratch).bytes();
        let result = self.check_event_name(text);
        self.scratch = scratch;
        result
    }

    #[inline(never)]
    fn check_event_name(&mut self, text: &[u8]) -> Flow<()> {
        match self.rule {
            NameRule::Exact(name, _) => {
                if !equal(name.as_bytes(), text) {
                    let mut message_text = message(text.len() + name.len() + 40);
                    message_text.push_str("the payload is for the event ");
                    push_quoted(&mut message_text, text);
                    message_text.push_str(", not ");
                    push_debug(&mut message_text, name);
                    self.error_here(IssueCode::EventMismatch, message_text)?;
                }
            }
            NameRule::Template {
                names,
                source,
                template,
            } => {
                // Names are unique within a source, so the same name is the
                // same event.
                let resolves = std::str::from_utf8(text)
                    .ok()
                    .and_then(|given| names.resolve_name(source, given))
                    .is_some_and(|resolved| resolved == template);
                if !resolves {
                    let mut message_text = message(text.len() + template.len() + 72);
                    message_text.push_str("the payload is for the event ");
                    push_quoted(&mut message_text, text);
                    message_text.push_str(", which is not an instance of ");
                    push_debug(&mut message_text, template);
                    self.error_here(IssueCode::EventMismatch, message_text)?;
                }
            }
            NameRule::AnyTopic => {
                let text = String::from_utf8_lossy(text);
                if let Err(reason) = crate::topic::validate_topic(&text, &Limits::default()) {
                    let message_text = format!("{text:?} is not a valid event name: {reason}");
                    self.error_here(IssueCode::Format, message_text)?;
                }
            }
        }
        Ok(())
    }

    fn number(&mut self, expect: Option<NodeId>, token: NumToken) -> Flow<()> {
        let kind = if token.integer {
            JsonKind::Integer
        } else {
            JsonKind::Number
        };
        match self.target(expect, kind) {
            Target::Any => Ok(()),
            Target::Mismatch => self.number_mismatch(expect, token),
            Target::Node(Node::Integer(integer)) => {
                let value = token.integer_value();
                if value.is_some_and(|value| (integer.low..=integer.high).contains(&value)) {
                    return Ok(());
                }
                self.out_of_range(integer, token, value)
            }
            Target::Node(Node::Number(number)) => {
                if number.minimum.is_none() && number.maximum.is_none() {
                    return Ok(());
                }
                let shown = String::from_utf8_lossy(&self.bytes[token.start..token.end]);
                let value: f64 = shown.parse().unwrap_or(f64::NAN);
                if let Some(min) = number.minimum.filter(|&min| value < min) {
                    let message_text = format!("{shown} is below the minimum of {min}");
                    self.error_here(IssueCode::OutOfRange, message_text)?;
                }
                if let Some(max) = number.maximum.filter(|&max| value > max) {
                    let message_text = format!("{shown} is above the maximum of {max}");
                    self.error_here(IssueCode::OutOfRange, message_text)?;
                }
                Ok(())
            }
            Target::Node(_) => Ok(()),
        }
    }

    #[cold]
    fn number_mismatch(&mut self, expect: Option<NodeId>, token: NumToken) -> Flow<()> {
        let bytes: &'a [u8] = self.bytes;
        // Number tokens are ASCII.
        let text = std::str::from_utf8(&bytes[token.start..token.end]).unwrap_or_default();
        let mut found = message(text.len() + 48);
        if token.integer {
            found.push_str("the integer ");
            found.push_str(text);
        } else {
            found.push_str("the number ");
            found.push_str(text);
            found.push_str(" (integers have no fraction or exponent)");
        }
        self.mismatch(expect, &found)
    }

    #[cold]
    fn out_of_range(
        &mut self,
        integer: &IntegerNode,
        token: NumToken,
        value: Option<i128>,
    ) -> Flow<()> {
        let bytes: &'a [u8] = self.bytes;
        // Number tokens are ASCII.
        let shown = std::str::from_utf8(&bytes[token.start..token.end]).unwrap_or_default();
        let mut text = message(shown.len() + 64);
        let does_not_fit = |text: &mut String| {
            text.push_str(" does not fit ");
            text.push_str(integer.repr_name);
            text.push_str(" (");
            push_int(text, integer.repr_low);
            text.push_str(" to ");
            push_int(text, integer.repr_high);
            text.push(')');
        };
        match value {
            Some(value) if value < integer.repr_low || value > integer.repr_high => {
                text.push_str(shown);
                does_not_fit(&mut text);
            }
            Some(value) if value < integer.low => {
                text.push_str(shown);
                text.push_str(" is below the minimum of ");
                push_int(&mut text, integer.low);
            }
            Some(_) => {
                text.push_str(shown);
                text.push_str(" is above the maximum of ");
                push_int(&mut text, integer.high);
            }
            None => {
                // Too long to show whole: the first digits and the count.
                if shown.len() <= 40 {
                    text.push_str(shown);
                } else {
                    text.push_str(&shown[..24]);
                    text.push_str("… (");
                    push_uint(&mut text, shown.len() as u64);
                    text.push_str(" digits)");
                }
                does_not_fit(&mut text);
            }
        }
        self.error_here(IssueCode::OutOfRange, text)
    }
}
