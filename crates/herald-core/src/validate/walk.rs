//! The schema-driven walk: one forward pass over the payload's tokens with
//! an explicit stack of open objects and arrays, checking each value against
//! its compiled schema node as it is read.
//!
//! The walk never recurses on input depth (the stack is data, capped by
//! [`Limits::max_depth`]), never builds a value tree, and never backtracks:
//! the first byte of a value picks the branch of a `one_of`. Issues are
//! appended as they are found, which is document order; JSON Pointers are
//! built from the stack only when an issue is reported.

use std::collections::HashSet;

use smallvec::SmallVec;

use super::formats;
use super::program::{
    ArrayNode, Node, NodeId, ObjectNode, Probe, Program, StringNode, equal, kind_index,
};
use super::report::{Issue, IssueCode, ValidationReport, push_pointer_token};
use crate::json::{LexError, NumToken, Reader, StrToken, decode_into, integer_value};
use crate::limits::Limits;
use crate::schema::{EnumPolicy, JsonKind, UnknownPolicy};

/// What an `event_name` string must be.
#[derive(Debug, Clone, Copy)]
pub(crate) enum NameRule<'a> {
    /// Exactly this name.
    Exact(&'a str),
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
pub(crate) fn run(
    program: &Program,
    root: NodeId,
    rule: NameRule<'_>,
    limits: &Limits,
    payload: &[u8],
) -> ValidationReport {
    let mut walk = Walk {
        reader: Reader::new(payload),
        program,
        rule,
        limits,
        stack: SmallVec::new(),
        seen_more: Vec::new(),
        report: ValidationReport::default(),
        scratch: Vec::new(),
        keys: KeyArena::default(),
    };
    if payload.len() > limits.max_payload_bytes {
        let message = format!(
            "the payload is {} bytes, over the limit of {} bytes",
            payload.len(),
            limits.max_payload_bytes
        );
        let _ = walk.issue(Severity::Error, IssueCode::TooLarge, String::new(), message);
    } else {
        let _ = walk.walk(root);
    }
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

enum Step {
    /// Read a value against this node (`None`: any value).
    Value(Option<NodeId>),
    /// A value just ended: close containers or move to the next member.
    After,
}

/// Where the checks for a value come from, once its kind is known.
enum Target<'p> {
    Any,
    Node(&'p Node),
    Mismatch,
}

/// Unknown keys of the open objects, for duplicate detection: decoded names
/// stored back to back, popped with their object; objects with many unknown
/// keys move theirs to a hash set (by depth).
/// Inline capacity covers the free-form objects of typical payloads (a
/// few short keys) without touching the heap.
#[derive(Default)]
struct KeyArena {
    bytes: SmallVec<[u8; 256]>,
    spans: SmallVec<[(usize, usize); 16]>,
    spills: Vec<(usize, HashSet<Box<[u8]>>)>,
}

/// Past this many unknown keys in one object, they move to a hash set so
/// that a hostile object with many keys costs linear time, not quadratic.
const LINEAR_KEY_SCAN: usize = 16;

/// One open object or array. Plain words only: frames are pushed for every
/// container, and a small frame of plain words is cheap to write.
struct Frame<'p> {
    /// The object's schema (`None`: any object, or an array frame).
    object: Option<&'p ObjectNode>,
    /// The array's schema (`None`: any array, or an object frame).
    array: Option<&'p ArrayNode>,
    /// Arrays: items started so far (the current one is `len - 1`).
    /// Objects: known fields seen, one bit per field below 64.
    word: u64,
    /// Objects: the current member's key as a raw span of the payload
    /// (`key_end == 0`: no key yet). Arrays: `key_start` is 1.
    key_start: usize,
    key_end: usize,
    /// Objects: first span of this object's unknown keys in the arena, and
    /// first word of its seen-bits for fields from 64 on.
    unknown_from: usize,
    seen_from: usize,
}

impl Frame<'_> {
    fn is_array(&self) -> bool {
        self.key_start == 1
    }
}

struct Walk<'a, 'p> {
    reader: Reader<'a>,
    program: &'p Program,
    rule: NameRule<'p>,
    limits: &'p Limits,
    stack: SmallVec<[Frame<'p>; 8]>,
    /// Seen-bits of fields from 64 on, for the open objects that have them.
    seen_more: Vec<u64>,
    report: ValidationReport,
    /// Decoded text of escaped strings, reused.
    scratch: Vec<u8>,
    keys: KeyArena,
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

/// A value quoted for a message, cut to a readable length.
fn quoted(text: &[u8]) -> String {
    const MAX: usize = 64;
    let text = String::from_utf8_lossy(text);
    if text.chars().count() <= MAX {
        format!("{text:?}")
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut:?}…")
    }
}

fn chars(text: &[u8]) -> u64 {
    text.iter().filter(|&&byte| byte & 0xC0 != 0x80).count() as u64
}

impl<'a, 'p> Walk<'a, 'p> {
    fn walk(&mut self, root: NodeId) -> Flow<()> {
        let mut step = Step::Value(Some(root));
        loop {
            step = match step {
                Step::Value(expect) => self.value(expect)?,
                Step::After => match self.after()? {
                    Some(next) => next,
                    None => return Ok(()),
                },
            };
        }
    }

    // ---- reporting -------------------------------------------------------

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
    fn error_here(&mut self, code: IssueCode, message: String) -> Flow<()> {
        let pointer = self.pointer(self.stack.len());
        self.issue(Severity::Error, code, pointer, message)
    }

    fn syntax(&mut self, error: LexError) -> Stop {
        let pointer = self.pointer(self.stack.len());
        let message = if error.offset >= self.reader.bytes.len() {
            format!(
                "unexpected end of input ({}) at byte {}",
                error.message, error.offset
            )
        } else {
            format!("{} at byte {}", error.message, error.offset)
        };
        let _ = self.issue(Severity::Error, IssueCode::Syntax, pointer, message);
        Stop
    }

    fn syntax_at(&mut self, message: &'static str) -> Stop {
        let offset = self.reader.pos;
        self.syntax(LexError { offset, message })
    }

    /// The JSON Pointer through the first `depth` open containers.
    fn pointer(&self, depth: usize) -> String {
        let mut pointer = String::new();
        let mut buffer = Vec::new();
        for frame in &self.stack[..depth] {
            if frame.is_array() {
                if frame.word == 0 {
                    break;
                }
                pointer.push('/');
                pointer.push_str(&(frame.word - 1).to_string());
            } else {
                if frame.key_end == 0 {
                    break;
                }
                let raw = &self.reader.bytes[frame.key_start..frame.key_end];
                buffer.clear();
                decode_into(raw, &mut buffer);
                push_pointer_token(&mut pointer, &String::from_utf8_lossy(&buffer));
            }
        }
        pointer
    }

    // ---- values ----------------------------------------------------------

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

    /// What a node accepts, for messages.
    fn expected(&self, id: NodeId) -> String {
        match &self.program.nodes[id as usize] {
            Node::OneOf(one_of) => {
                let mut names: Vec<&str> = Vec::new();
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
                    let name = match (&self.program.nodes[variant as usize], kind) {
                        (Node::Number(_), JsonKind::Integer) => continue,
                        _ => kind_name(kind),
                    };
                    names.push(name);
                }
                names.join(" or ")
            }
            Node::Integer(integer) => format!("an integer ({})", integer.repr_name),
            Node::Object(_) => "an object".to_owned(),
            Node::Array(_) => "an array".to_owned(),
            Node::String(_) | Node::EventName => "a string".to_owned(),
            Node::Number(_) => "a number".to_owned(),
            Node::Boolean => "a boolean".to_owned(),
            Node::Null => "null".to_owned(),
            Node::Any => "any value".to_owned(),
        }
    }

    fn mismatch(&mut self, expect: Option<NodeId>, found: String) -> Flow<()> {
        let expected = expect.map_or_else(|| "any value".to_owned(), |id| self.expected(id));
        self.error_here(
            IssueCode::TypeMismatch,
            format!("expected {expected}, found {found}"),
        )
    }

    fn value(&mut self, expect: Option<NodeId>) -> Flow<Step> {
        self.reader.skip_whitespace();
        let Some(byte) = self.reader.peek() else {
            return Err(self.syntax_at("expected a value"));
        };
        match byte {
            b'{' => self.open_object(expect),
            b'[' => self.open_array(expect),
            b'"' => {
                let token = self.reader.string().map_err(|e| self.syntax(e))?;
                self.string(expect, token)?;
                Ok(Step::After)
            }
            b'-' | b'0'..=b'9' => {
                let token = self.reader.number().map_err(|e| self.syntax(e))?;
                self.number(expect, token)?;
                Ok(Step::After)
            }
            b't' | b'f' | b'n' => {
                let (word, kind): (&'static [u8], _) = match byte {
                    b't' => (b"true", JsonKind::Boolean),
                    b'f' => (b"false", JsonKind::Boolean),
                    _ => (b"null", JsonKind::Null),
                };
                self.reader.literal(word).map_err(|e| self.syntax(e))?;
                if let Target::Mismatch = self.target(expect, kind) {
                    let found = String::from_utf8_lossy(word).into_owned();
                    self.mismatch(expect, found)?;
                }
                Ok(Step::After)
            }
            _ => Err(self.syntax_at("expected a JSON value")),
        }
    }

    fn enter(&mut self) -> Flow<()> {
        if self.stack.len() >= self.limits.max_depth {
            let message = format!(
                "objects and arrays are nested more than {} deep",
                self.limits.max_depth
            );
            self.error_here(IssueCode::TooDeep, message)?;
            return Err(Stop);
        }
        self.reader.pos += 1;
        Ok(())
    }

    fn open_object(&mut self, expect: Option<NodeId>) -> Flow<Step> {
        let node = match self.target(expect, JsonKind::Object) {
            Target::Node(Node::Object(object)) => Some(object),
            Target::Mismatch => {
                self.mismatch(expect, "an object".to_owned())?;
                None
            }
            _ => None,
        };
        self.enter()?;
        let seen_from = self.seen_more.len();
        if let Some(extra) = node.map(|node| node.words().saturating_sub(1)) {
            self.seen_more.resize(seen_from + extra, 0);
        }
        self.stack.push(Frame {
            object: node,
            array: None,
            word: 0,
            key_start: 0,
            key_end: 0,
            unknown_from: self.keys.spans.len(),
            seen_from,
        });
        self.reader.skip_whitespace();
        if self.reader.peek() == Some(b'}') {
            self.reader.pos += 1;
            self.close_object()?;
            return Ok(Step::After);
        }
        Ok(Step::Value(self.member()?))
    }

    fn open_array(&mut self, expect: Option<NodeId>) -> Flow<Step> {
        let array = match self.target(expect, JsonKind::Array) {
            Target::Node(Node::Array(array)) => Some(array),
            Target::Mismatch => {
                self.mismatch(expect, "an array".to_owned())?;
                None
            }
            _ => None,
        };
        self.enter()?;
        self.stack.push(Frame {
            object: None,
            array,
            word: 0,
            key_start: 1,
            key_end: 0,
            unknown_from: 0,
            seen_from: 0,
        });
        self.reader.skip_whitespace();
        if self.reader.peek() == Some(b']') {
            self.reader.pos += 1;
            self.close_array()?;
            return Ok(Step::After);
        }
        if let Some(frame) = self.stack.last_mut() {
            frame.word = 1;
        }
        Ok(Step::Value(array.map(|array| array.items)))
    }

    /// After a value: the next member or item, or the end of containers.
    fn after(&mut self) -> Flow<Option<Step>> {
        self.reader.skip_whitespace();
        let next = self.reader.peek();
        match self.stack.last_mut() {
            None => {
                if next.is_some() {
                    return Err(self.syntax_at("trailing characters after the JSON value"));
                }
                Ok(None)
            }
            Some(frame) if !frame.is_array() => match next {
                Some(b',') => {
                    self.reader.pos += 1;
                    Ok(Some(Step::Value(self.member()?)))
                }
                Some(b'}') => {
                    self.reader.pos += 1;
                    self.close_object()?;
                    Ok(Some(Step::After))
                }
                _ => Err(self.syntax_at("expected `,` or `}` after an object member")),
            },
            Some(frame) => match next {
                Some(b',') => {
                    self.reader.pos += 1;
                    frame.word += 1;
                    Ok(Some(Step::Value(frame.array.map(|array| array.items))))
                }
                Some(b']') => {
                    self.reader.pos += 1;
                    self.close_array()?;
                    Ok(Some(Step::After))
                }
                _ => Err(self.syntax_at("expected `,` or `]` after an array item")),
            },
        }
    }

    // ---- objects ---------------------------------------------------------

    /// Reads `"key":` and returns the schema of the member's value.
    #[inline(always)]
    fn member(&mut self) -> Flow<Option<NodeId>> {
        // Until the key is read, issues point at the object itself.
        if let Some(frame) = self.stack.last_mut() {
            frame.key_end = 0;
        }
        self.reader.skip_whitespace();
        if self.reader.peek() != Some(b'"') {
            return Err(self.syntax_at("expected a string key"));
        }
        let key = self.reader.string().map_err(|e| self.syntax(e))?;
        if let Some(frame) = self.stack.last_mut() {
            frame.key_start = key.start;
            frame.key_end = key.end;
        }
        self.reader.skip_whitespace();
        if self.reader.peek() != Some(b':') {
            return Err(self.syntax_at("expected `:` after a key"));
        }
        self.reader.pos += 1;
        if !key.unicode_ok {
            self.error_here(
                IssueCode::InvalidUtf8,
                "the key is not valid UTF-8".to_owned(),
            )?;
            return Ok(None);
        }
        let bytes: &'a [u8] = self.reader.bytes;
        let raw = &bytes[key.start..key.end];
        if !key.escaped {
            return self.key(raw);
        }
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        decode_into(raw, &mut scratch);
        let result = self.key(&scratch);
        self.scratch = scratch;
        result
    }

    #[inline(always)]
    fn key(&mut self, name: &[u8]) -> Flow<Option<NodeId>> {
        let Some(frame) = self.stack.last_mut() else {
            return Ok(None);
        };
        let node = frame.object;
        if let Some(node) = node
            && let Some(position) = node.field(Probe::new(name))
        {
            let bit = 1u64 << (position % 64);
            let word = match position / 64 {
                0 => &mut frame.word,
                more => &mut self.seen_more[frame.seen_from + more - 1],
            };
            let repeated = *word & bit != 0;
            *word |= bit;
            if repeated {
                self.duplicate(name)?;
            }
            return Ok(Some(node.targets[position]));
        }
        if self.remember_unknown(name) {
            self.duplicate(name)?;
            return Ok(None);
        }
        let policy = node.map_or(UnknownPolicy::Allow, |node| node.unknown);
        let severity = match policy {
            UnknownPolicy::Allow => return Ok(None),
            UnknownPolicy::Warn => Severity::Warning,
            UnknownPolicy::Deny => Severity::Error,
        };
        let pointer = self.pointer(self.stack.len());
        let message = format!("the field {} is not in the schema", quoted(name));
        self.issue(severity, IssueCode::UnknownField, pointer, message)?;
        Ok(None)
    }

    fn duplicate(&mut self, name: &[u8]) -> Flow<()> {
        let message = format!("the key {} appears more than once", quoted(name));
        self.error_here(IssueCode::DuplicateKey, message)
    }

    /// Records an unknown key of the innermost object; `true` if it was
    /// already there.
    fn remember_unknown(&mut self, name: &[u8]) -> bool {
        let depth = self.stack.len();
        let Some(frame) = self.stack.last() else {
            return false;
        };
        let keys = &mut self.keys;
        if let Some((_, set)) = keys.spills.last_mut().filter(|(at, _)| *at == depth) {
            return !set.insert(name.into());
        }
        let from = frame.unknown_from;
        let mine = &keys.spans[from..];
        if mine
            .iter()
            .any(|&(start, end)| &keys.bytes[start..end] == name)
        {
            return true;
        }
        if mine.len() >= LINEAR_KEY_SCAN {
            let mut set: HashSet<Box<[u8]>> = mine
                .iter()
                .map(|&(start, end)| keys.bytes[start..end].into())
                .collect();
            set.insert(name.into());
            keys.bytes.truncate(keys.spans[from].0);
            keys.spans.truncate(from);
            keys.spills.push((depth, set));
            return false;
        }
        let start = keys.bytes.len();
        keys.bytes.extend_from_slice(name);
        keys.spans.push((start, keys.bytes.len()));
        false
    }

    fn close_object(&mut self) -> Flow<()> {
        let depth = self.stack.len();
        let Some(frame) = self.stack.last() else {
            return Ok(());
        };
        let (node, first, seen_from) = (frame.object, frame.word, frame.seen_from);
        let unknown_from = frame.unknown_from;
        if let Some(&(start, _)) = self.keys.spans.get(unknown_from) {
            self.keys.bytes.truncate(start);
            self.keys.spans.truncate(unknown_from);
        }
        if self.keys.spills.last().is_some_and(|(at, _)| *at == depth) {
            self.keys.spills.pop();
        }
        if let Some(node) = node {
            let seen = |word: usize| match word {
                0 => first,
                more => self.seen_more[seen_from + more - 1],
            };
            let missing =
                (0..node.required.len()).any(|word| node.required[word] & !seen(word) != 0);
            if missing {
                let pointer = self.pointer(depth - 1);
                let absent: Vec<usize> = (0..node.names.len())
                    .filter(|&position| {
                        let bit = 1u64 << (position % 64);
                        node.required[position / 64] & bit != 0 && seen(position / 64) & bit == 0
                    })
                    .collect();
                for position in absent {
                    let message = format!(
                        "the required field {} is missing",
                        quoted(node.names[position].as_bytes())
                    );
                    self.issue(
                        Severity::Error,
                        IssueCode::MissingField,
                        pointer.clone(),
                        message,
                    )?;
                }
            }
        }
        self.seen_more.truncate(seen_from);
        self.stack.pop();
        Ok(())
    }

    fn close_array(&mut self) -> Flow<()> {
        let depth = self.stack.len() - 1;
        let Some(frame) = self.stack.last() else {
            return Ok(());
        };
        let len = frame.word;
        let (min, max) = frame
            .array
            .map_or((None, None), |array| (array.min_items, array.max_items));
        if let Some(min) = min.filter(|&min| len < min) {
            let pointer = self.pointer(depth);
            let message = format!("{len} items, fewer than the minimum of {min}");
            self.issue(Severity::Error, IssueCode::TooShort, pointer, message)?;
        }
        if let Some(max) = max.filter(|&max| len > max) {
            let pointer = self.pointer(depth);
            let message = format!("{len} items, more than the maximum of {max}");
            self.issue(Severity::Error, IssueCode::TooLong, pointer, message)?;
        }
        self.stack.pop();
        Ok(())
    }

    // ---- scalars ---------------------------------------------------------

    fn string(&mut self, expect: Option<NodeId>, token: StrToken) -> Flow<()> {
        let target = self.target(expect, JsonKind::String);
        if let Target::Mismatch = target {
            return self.mismatch(expect, "a string".to_owned());
        }
        if !token.unicode_ok {
            return self.error_here(
                IssueCode::InvalidUtf8,
                "the string is not valid UTF-8".to_owned(),
            );
        }
        let node = match target {
            Target::Node(node @ (Node::String(_) | Node::EventName)) => node,
            _ => return Ok(()),
        };
        if let Node::String(string) = node
            && string.constant.is_none()
            && string.values.is_empty()
            && string.format.is_none()
            && string.min_length.is_none()
            && string.max_length.is_none()
        {
            return Ok(());
        }
        let bytes: &'a [u8] = self.reader.bytes;
        let mut scratch = std::mem::take(&mut self.scratch);
        let raw = &bytes[token.start..token.end];
        let text: &[u8] = if token.escaped {
            scratch.clear();
            decode_into(raw, &mut scratch);
            &scratch
        } else {
            raw
        };
        let result = match node {
            Node::String(string) => self.string_rules(string, text),
            _ => self.event_name(text),
        };
        self.scratch = scratch;
        result
    }

    fn string_rules(&mut self, string: &StringNode, text: &[u8]) -> Flow<()> {
        let probe = Probe::new(text);
        if let Some(constant) = &string.constant
            && !constant.matches(probe)
        {
            let message = format!(
                "expected {}, found {}",
                quoted(constant.as_bytes()),
                quoted(text)
            );
            self.error_here(IssueCode::ConstMismatch, message)?;
        }
        if !string.values.is_empty() && !string.values.iter().any(|v| v.matches(probe)) {
            let known: Vec<String> = string
                .values
                .iter()
                .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
                .collect();
            let message = format!("{} is not one of {}", quoted(text), known.join(", "));
            let severity = match string.unknown_value {
                EnumPolicy::Error => Severity::Error,
                EnumPolicy::Warn => Severity::Warning,
            };
            let pointer = self.pointer(self.stack.len());
            self.issue(severity, IssueCode::UnknownEnum, pointer, message)?;
        }
        // A string of n bytes has between n/4 and n characters: count them
        // only when that range does not already settle the bounds.
        let bytes = text.len() as u64;
        let settled = string.min_length.is_none_or(|min| bytes.div_ceil(4) >= min)
            && string.max_length.is_none_or(|max| bytes <= max);
        if !settled {
            let length = chars(text);
            if let Some(min) = string.min_length.filter(|&min| length < min) {
                let message = format!("{length} characters, fewer than the minimum of {min}");
                self.error_here(IssueCode::TooShort, message)?;
            }
            if let Some(max) = string.max_length.filter(|&max| length > max) {
                let message = format!("{length} characters, more than the maximum of {max}");
                self.error_here(IssueCode::TooLong, message)?;
            }
        }
        if let Some(format) = string.format
            && !formats::matches(format, text)
        {
            let message = format!("{} is not {}", quoted(text), formats::describe(format));
            self.error_here(IssueCode::Format, message)?;
        }
        Ok(())
    }

    fn event_name(&mut self, text: &[u8]) -> Flow<()> {
        match self.rule {
            NameRule::Exact(name) => {
                if !equal(name.as_bytes(), text) {
                    let message = format!(
                        "the payload is for the event {}, not {name:?}",
                        quoted(text)
                    );
                    self.error_here(IssueCode::EventMismatch, message)?;
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
                    let message = format!(
                        "the payload is for the event {}, which is not an instance of {template:?}",
                        quoted(text),
                    );
                    self.error_here(IssueCode::EventMismatch, message)?;
                }
            }
            NameRule::AnyTopic => {
                let text = String::from_utf8_lossy(text);
                if let Err(reason) = crate::topic::validate_topic(&text, &Limits::default()) {
                    let message = format!("{text:?} is not a valid event name: {reason}");
                    self.error_here(IssueCode::Format, message)?;
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
        let bytes: &'a [u8] = self.reader.bytes;
        let text = &bytes[token.start..token.end];
        match self.target(expect, kind) {
            Target::Any => Ok(()),
            Target::Mismatch => {
                let found = if token.integer {
                    format!("the integer {}", String::from_utf8_lossy(text))
                } else {
                    format!(
                        "the number {} (integers have no fraction or exponent)",
                        String::from_utf8_lossy(text)
                    )
                };
                self.mismatch(expect, found)
            }
            Target::Node(Node::Integer(integer)) => {
                let value = integer_value(text);
                if value.is_some_and(|value| (integer.low..=integer.high).contains(&value)) {
                    return Ok(());
                }
                let shown = String::from_utf8_lossy(text);
                let message = match value {
                    Some(value) if (integer.low..=integer.high).contains(&value) => return Ok(()),
                    Some(value) if value < integer.repr_low || value > integer.repr_high => {
                        format!(
                            "{shown} does not fit {} ({} to {})",
                            integer.repr_name, integer.repr_low, integer.repr_high
                        )
                    }
                    Some(value) if value < integer.low => {
                        format!("{shown} is below the minimum of {}", integer.low)
                    }
                    Some(_) => format!("{shown} is above the maximum of {}", integer.high),
                    None => format!(
                        "{} does not fit {} ({} to {})",
                        quoted_number(&shown),
                        integer.repr_name,
                        integer.repr_low,
                        integer.repr_high
                    ),
                };
                self.error_here(IssueCode::OutOfRange, message)
            }
            Target::Node(Node::Number(number)) => {
                if number.minimum.is_none() && number.maximum.is_none() {
                    return Ok(());
                }
                let shown = String::from_utf8_lossy(text);
                let value: f64 = shown.parse().unwrap_or(f64::NAN);
                if let Some(min) = number.minimum.filter(|&min| value < min) {
                    let message = format!("{shown} is below the minimum of {min}");
                    self.error_here(IssueCode::OutOfRange, message)?;
                }
                if let Some(max) = number.maximum.filter(|&max| value > max) {
                    let message = format!("{shown} is above the maximum of {max}");
                    self.error_here(IssueCode::OutOfRange, message)?;
                }
                Ok(())
            }
            Target::Node(_) => Ok(()),
        }
    }
}

/// A number token shortened for a message when it is very long.
fn quoted_number(text: &str) -> String {
    if text.len() <= 40 {
        text.to_owned()
    } else {
        format!("{}… ({} digits)", &text[..24], text.len())
    }
}
