//! Schemas compiled for the validator: a flat table of nodes with references
//! resolved, object fields in perfect-hash tables and required fields as
//! bit masks. Built once when a catalogue loads; never built per payload.

use std::collections::BTreeMap;

use crate::json::ExpectedString;
use crate::schema::{EnumPolicy, JsonKind, Schema, StringFormat, UnknownPolicy};

/// Index of a node in [`Program::nodes`].
pub(crate) type NodeId = u32;

/// Every schema of a catalogue, compiled.
#[derive(Debug, Clone, Default)]
pub(crate) struct Program {
    pub(crate) nodes: Vec<Node>,
    /// Named schemas (after following references) by name.
    pub(crate) named: BTreeMap<String, NodeId>,
}

#[derive(Debug, Clone)]
pub(crate) enum Node {
    Object(ObjectNode),
    Array(ArrayNode),
    String(StringNode),
    Integer(IntegerNode),
    Number(NumberNode),
    Boolean,
    Null,
    Any,
    EventName,
    OneOf(OneOfNode),
}

/// Text compared often and fast: its bytes with their fingerprint, so that
/// most mismatches cost one integer comparison and no call to `memcmp`.
#[derive(Debug, Clone)]
pub(crate) struct Text {
    bytes: Box<[u8]>,
    fingerprint: u64,
}

/// Text read from a payload, fingerprinted once for many comparisons.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Probe<'a> {
    bytes: &'a [u8],
    fingerprint: u64,
}

/// The little-endian number of eight bytes.
#[inline]
fn word(bytes: &[u8], at: usize) -> Option<u64> {
    bytes
        .get(at..)
        .and_then(<[u8]>::first_chunk::<8>)
        .map(|chunk| u64::from_le_bytes(*chunk))
}

/// Keeps the first `len` bytes of a word (all of them from eight on).
#[inline]
fn first_bytes(word: u64, len: usize) -> u64 {
    if len >= 8 {
        word
    } else {
        word & ((1u64 << (len * 8)) - 1)
    }
}

/// The fingerprint of a text longer than eight bytes at `start..end` of
/// `bytes`: its first eight bytes mixed with its last eight, so that names
/// sharing a long prefix (`purchased_access_fee_id`, `…_type`) differ, and
/// past sixteen bytes with eight from the middle too, so that names sharing
/// both ends (`external.subscribe.update.success`, `….cancel.success`) do.
#[inline]
fn long_fingerprint(bytes: &[u8], start: usize, end: usize) -> u64 {
    let at = |offset: usize| word(bytes, offset).unwrap_or(0);
    let len = end - start;
    let mixed = at(start) ^ at(end - 8).rotate_left(29);
    if len > 16 {
        mixed ^ at(start + len / 2 - 4).rotate_left(47)
    } else {
        mixed
    }
}

/// A text's fingerprint: its bytes, zero-padded, when it has eight or
/// fewer (so that with the length it decides equality alone); otherwise
/// [`long_fingerprint`].
#[inline]
fn fingerprint(bytes: &[u8]) -> u64 {
    let len = bytes.len();
    match (word(bytes, 0), len) {
        (Some(first), 8) => first,
        (Some(_), _) => long_fingerprint(bytes, 0, len),
        (None, _) => {
            let mut padded = [0u8; 8];
            padded[..len].copy_from_slice(bytes);
            u64::from_le_bytes(padded)
        }
    }
}

/// Equality of two slices of the same length of at least eight bytes: the
/// last eight bytes first, then eight at a time from the start (no call to
/// `memcmp`, which dominates for the short texts of payloads).
#[inline]
pub(crate) fn same_bytes(left: &[u8], right: &[u8]) -> bool {
    debug_assert!(left.len() == right.len() && left.len() >= 8);
    let last = |bytes: &[u8]| {
        bytes
            .last_chunk::<8>()
            .map(|chunk| u64::from_ne_bytes(*chunk))
    };
    if last(left) != last(right) {
        return false;
    }
    let (left, _) = left.as_chunks::<8>();
    let (right, _) = right.as_chunks::<8>();
    left.iter()
        .zip(right)
        .all(|(left, right)| u64::from_ne_bytes(*left) == u64::from_ne_bytes(*right))
}

/// Whether two byte strings are equal, without a call to `memcmp`.
#[inline]
pub(crate) fn equal(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len()
        && if left.len() >= 8 {
            same_bytes(left, right)
        } else {
            fingerprint(left) == fingerprint(right)
        }
}

impl Text {
    pub(crate) fn new(bytes: &[u8]) -> Text {
        Text {
            bytes: bytes.into(),
            fingerprint: fingerprint(bytes),
        }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    #[inline]
    pub(crate) fn matches(&self, probe: Probe<'_>) -> bool {
        self.fingerprint == probe.fingerprint
            && self.bytes.len() == probe.bytes.len()
            && (self.bytes.len() <= 8 || same_bytes(&self.bytes, probe.bytes))
    }
}

impl<'a> Probe<'a> {
    #[inline]
    pub(crate) fn new(bytes: &'a [u8]) -> Probe<'a> {
        Probe {
            bytes,
            fingerprint: fingerprint(bytes),
        }
    }

    /// The text at `start..end` of `payload`, fingerprinted with loads from
    /// the payload itself: a short text is followed by enough payload bytes
    /// (at least its closing quote and what follows) for a whole word to be
    /// read and masked, instead of assembled byte by byte.
    #[inline]
    pub(crate) fn in_payload(payload: &'a [u8], start: usize, end: usize) -> Probe<'a> {
        let bytes = &payload[start..end];
        let len = bytes.len();
        let fingerprint = match word(payload, start) {
            Some(first) if len <= 8 => first_bytes(first, len),
            Some(_) => long_fingerprint(payload, start, end),
            None => fingerprint(bytes),
        };
        Probe { bytes, fingerprint }
    }

    /// The text.
    #[inline]
    pub(crate) fn bytes(self) -> &'a [u8] {
        self.bytes
    }

    /// The number a [`NameTable`] hashes: the fingerprint with the length
    /// mixed in (texts of different lengths may share a fingerprint).
    #[inline]
    fn key(self) -> u64 {
        self.fingerprint ^ (self.bytes.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
}

/// A slot of a [`NameTable`]: the name's fingerprint and length inline, so
/// that a miss or a short name needs no further load.
#[derive(Debug, Clone, Copy)]
struct Slot {
    fingerprint: u64,
    /// Name length; `u32::MAX` for an empty slot (no name is that long).
    len: u32,
    position: u32,
}

const EMPTY_SLOT: Slot = Slot {
    fingerprint: 0,
    len: u32::MAX,
    position: 0,
};

/// A fixed set of names, found by a perfect hash: built once (when the
/// catalogue is compiled) with a multiplier under which every name has a
/// slot of its own, so that a lookup is one multiplication, one load and
/// one comparison — no probing, no hashing of the whole text, no
/// allocation. Whatever text is looked up, the work is the same, so the
/// fixed multiplier gives an attacker nothing to aim at. Names that no
/// multiplier separates (the same length and fingerprint) make an empty
/// table, and lookups fall back to a scan.
#[derive(Debug, Clone)]
pub(crate) struct NameTable {
    /// The names, in the order given; lookups return positions in it.
    names: Box<[Text]>,
    slots: Box<[Slot]>,
    multiplier: u64,
    shift: u32,
}

/// A well-mixed sequence of candidate multipliers (SplitMix64).
pub(crate) fn candidate(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) | 1
}

impl NameTable {
    pub(crate) fn new<'n>(names: impl IntoIterator<Item = &'n [u8]>) -> NameTable {
        let names: Box<[Text]> = names.into_iter().map(Text::new).collect();
        // Four slots per name or more: with a random multiplier, every name
        // gets its own slot within a few tries.
        let mut bits = (names.len() * 4)
            .next_power_of_two()
            .max(2)
            .trailing_zeros();
        let most = bits + 3;
        let found = 'search: loop {
            for seed in 0..256u64 {
                let multiplier = candidate(seed);
                let shift = 64 - bits;
                let mut slots = vec![EMPTY_SLOT; 1 << bits].into_boxed_slice();
                let placed = names.iter().enumerate().all(|(position, name)| {
                    let probe = Probe::new(name.as_bytes());
                    let index = (probe.key().wrapping_mul(multiplier) >> shift) as usize;
                    let slot = &mut slots[index];
                    let free = slot.len == u32::MAX;
                    *slot = Slot {
                        fingerprint: probe.fingerprint,
                        len: u32::try_from(name.as_bytes().len()).unwrap_or(u32::MAX - 1),
                        position: u32::try_from(position).unwrap_or(u32::MAX),
                    };
                    free
                });
                if placed {
                    break 'search Some((slots, multiplier, shift));
                }
            }
            if bits == most {
                break None;
            }
            bits += 1;
        };
        let (slots, multiplier, shift) = found.unwrap_or_default();
        NameTable {
            names,
            slots,
            multiplier,
            shift,
        }
    }

    /// The names, in the order given.
    pub(crate) fn names(&self) -> &[Text] {
        &self.names
    }

    /// Whether lookups take the perfect hash (not the fallback scan).
    #[cfg(test)]
    pub(crate) fn is_perfect(&self) -> bool {
        !self.slots.is_empty()
    }

    /// The position of `name`, if it is one of the names.
    #[inline(always)]
    pub(crate) fn find(&self, name: Probe<'_>) -> Option<usize> {
        if self.slots.is_empty() {
            return self.scan(name);
        }
        let index = (name.key().wrapping_mul(self.multiplier) >> self.shift) as usize;
        let slot = self.slots.get(index)?;
        if slot.fingerprint != name.fingerprint || slot.len as usize != name.bytes.len() {
            return None;
        }
        let position = slot.position as usize;
        (name.bytes.len() <= 8 || same_bytes(self.names[position].as_bytes(), name.bytes))
            .then_some(position)
    }

    /// The position of the text at `start..end` of `payload` (raw bytes
    /// that are its text: no escapes), if it is one of the names: the
    /// fingerprint and the probe in one call that returns a number, for
    /// the walk's string rules (an enum), which otherwise received the
    /// probe through memory from a call of its own.
    #[inline(never)]
    pub(crate) fn find_in_payload(
        &self,
        payload: &[u8],
        start: usize,
        end: usize,
    ) -> Option<usize> {
        self.find(Probe::in_payload(payload, start, end))
    }

    /// The lookup of names that defeat the hash.
    #[cold]
    fn scan(&self, name: Probe<'_>) -> Option<usize> {
        self.names.iter().position(|known| known.matches(name))
    }
}

#[derive(Debug, Clone)]
pub(crate) struct ObjectNode {
    /// Field names, sorted bytewise, in a perfect-hash table.
    pub(crate) fields: NameTable,
    /// The schema of each field, parallel to the names.
    pub(crate) targets: Box<[NodeId]>,
    /// Bit `i` is set when field `i` is required.
    pub(crate) required: Box<[u64]>,
    pub(crate) unknown: UnknownPolicy,
    /// Each field's name as a key the reader can expect, parallel to the
    /// names: after field `i`, the walk expects field `i + 1`, so that
    /// payloads whose keys come in the schema's (bytewise) order — as
    /// `serde_json`, Go maps and sorted-key encoders write them — have
    /// their keys recognised without being scanned or hashed. Any other
    /// order costs one failed comparison per key.
    expected: Box<[Option<ExpectedString>]>,
    /// What each field's value most likely is, parallel to the names (set
    /// by [`Program::link_members`] once every node is compiled).
    values: Box<[MemberValue]>,
}

/// What the value of an object's member most likely is, for the reader to
/// expect: a string that, read as expected, is known to pass its schema.
#[derive(Debug, Clone, Default)]
pub(crate) enum MemberValue {
    /// Nothing in particular.
    #[default]
    Unknown,
    /// The constant of a string schema whose only rule it is.
    Constant(ExpectedString),
    /// The name of the event being validated (an `event_name` schema).
    EventName,
}

impl ObjectNode {
    /// Position of a field by its decoded name.
    #[inline(always)]
    pub(crate) fn field(&self, name: Probe<'_>) -> Option<usize> {
        self.fields.find(name)
    }

    /// The field names, sorted bytewise.
    pub(crate) fn names(&self) -> &[Text] {
        self.fields.names()
    }

    /// What the value of the field at `position` most likely is.
    #[inline(always)]
    pub(crate) fn value(&self, position: usize) -> Option<&MemberValue> {
        self.values.get(position)
    }

    /// The key of the field at `position`, to expect next.
    #[inline(always)]
    pub(crate) fn expected(&self, position: usize) -> Option<&ExpectedString> {
        self.expected.get(position)?.as_ref()
    }

    /// How many 64-bit words a seen-set for this object needs.
    pub(crate) fn words(&self) -> usize {
        self.names().len().div_ceil(64)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct ArrayNode {
    pub(crate) items: NodeId,
    pub(crate) min_items: Option<u64>,
    pub(crate) max_items: Option<u64>,
}

#[derive(Debug, Clone)]
pub(crate) struct StringNode {
    pub(crate) min_length: Option<u64>,
    pub(crate) max_length: Option<u64>,
    pub(crate) constant: Option<Text>,
    /// The enum, in declaration order (empty: no enum).
    pub(crate) values: NameTable,
    pub(crate) unknown_value: EnumPolicy,
    pub(crate) format: Option<StringFormat>,
    /// No rule at all: any string will do (then its text is never looked at).
    pub(crate) plain: bool,
    /// A `const` and no other rule: the constant, for the reader to expect
    /// as the value of a member of this schema.
    pub(crate) expected: Option<ExpectedString>,
}

#[derive(Debug, Clone)]
pub(crate) struct IntegerNode {
    /// Inclusive bounds: the machine range narrowed by the schema's bounds.
    pub(crate) low: i128,
    pub(crate) high: i128,
    /// The machine range alone, to tell "does not fit" from "out of bounds".
    pub(crate) repr_name: &'static str,
    pub(crate) repr_low: i128,
    pub(crate) repr_high: i128,
}

#[derive(Debug, Clone)]
pub(crate) struct NumberNode {
    pub(crate) minimum: Option<f64>,
    pub(crate) maximum: Option<f64>,
}

#[derive(Debug, Clone)]
pub(crate) struct OneOfNode {
    /// The variant taking each JSON kind, indexed by [`kind_index`].
    pub(crate) by_kind: [Option<NodeId>; 7],
}

/// Position of a kind in [`OneOfNode::by_kind`].
pub(crate) fn kind_index(kind: JsonKind) -> usize {
    match kind {
        JsonKind::Object => 0,
        JsonKind::Array => 1,
        JsonKind::String => 2,
        JsonKind::Integer => 3,
        JsonKind::Number => 4,
        JsonKind::Boolean => 5,
        JsonKind::Null => 6,
    }
}

impl Node {
    /// Whether a value of `kind` can be checked against this (non-union) node.
    pub(crate) fn accepts(&self, kind: JsonKind) -> bool {
        matches!(
            (self, kind),
            (Node::Any, _)
                | (Node::Object(_), JsonKind::Object)
                | (Node::Array(_), JsonKind::Array)
                | (Node::String(_) | Node::EventName, JsonKind::String)
                | (Node::Integer(_), JsonKind::Integer)
                | (Node::Number(_), JsonKind::Integer | JsonKind::Number)
                | (Node::Boolean, JsonKind::Boolean)
                | (Node::Null, JsonKind::Null)
        )
    }
}

impl Program {
    /// Compiles the named schemas of a document. Schemas must have passed
    /// [`crate::schema::check`]: references resolve and do not loop.
    pub(crate) fn with_named(named: &BTreeMap<String, Schema>) -> Program {
        let mut program = Program::default();
        // Reserve a node for every concrete named schema first, so that
        // references (even recursive ones) compile to a known id.
        for (name, schema) in named {
            if !matches!(schema, Schema::Ref(_)) {
                let id = program.reserve();
                program.named.insert(name.clone(), id);
            }
        }
        for name in named.keys() {
            if let Some(target) = final_name(name, named)
                && let Some(&id) = program.named.get(target)
            {
                program.named.insert(name.clone(), id);
            }
        }
        for (name, schema) in named {
            if !matches!(schema, Schema::Ref(_)) {
                let id = program.named[name];
                let node = program.node_for(schema, named);
                program.nodes[id as usize] = node;
            }
        }
        program
    }

    /// Compiles one schema and returns its root node.
    pub(crate) fn add(&mut self, schema: &Schema, named: &BTreeMap<String, Schema>) -> NodeId {
        if let Schema::Ref(reference) = schema {
            return self.named.get(&reference.name).copied().unwrap_or_else(|| {
                // Checked documents never get here; an unresolved reference
                // accepts anything rather than panicking.
                self.push(Node::Any)
            });
        }
        let id = self.reserve();
        let node = self.node_for(schema, named);
        self.nodes[id as usize] = node;
        id
    }

    /// Sets what each object member's value most likely is, from the
    /// compiled nodes of the members' schemas: run once every schema is
    /// added (references may point to nodes compiled later).
    pub(crate) fn link_members(&mut self) {
        for index in 0..self.nodes.len() {
            let Node::Object(object) = &self.nodes[index] else {
                continue;
            };
            let values: Box<[MemberValue]> = object
                .targets
                .iter()
                .map(|&target| match self.nodes.get(target as usize) {
                    Some(Node::String(string)) => string
                        .expected
                        .clone()
                        .map_or(MemberValue::Unknown, MemberValue::Constant),
                    Some(Node::EventName) => MemberValue::EventName,
                    _ => MemberValue::Unknown,
                })
                .collect();
            if let Node::Object(object) = &mut self.nodes[index] {
                object.values = values;
            }
        }
    }

    fn reserve(&mut self) -> NodeId {
        self.push(Node::Any)
    }

    fn push(&mut self, node: Node) -> NodeId {
        let id = NodeId::try_from(self.nodes.len()).unwrap_or(NodeId::MAX);
        self.nodes.push(node);
        id
    }

    fn node_for(&mut self, schema: &Schema, named: &BTreeMap<String, Schema>) -> Node {
        match schema {
            Schema::Object(object) => {
                // BTreeMap<String, _> iterates in bytewise order of the names.
                let fields = NameTable::new(object.fields.keys().map(|name| name.as_bytes()));
                let targets = object
                    .fields
                    .values()
                    .map(|field| self.add(field, named))
                    .collect();
                let mut required = vec![0u64; object.fields.len().div_ceil(64)].into_boxed_slice();
                for (position, name) in object.fields.keys().enumerate() {
                    if !object.optional.contains(name) {
                        required[position / 64] |= 1 << (position % 64);
                    }
                }
                Node::Object(ObjectNode {
                    fields,
                    targets,
                    required,
                    unknown: object.unknown_fields,
                    expected: object
                        .fields
                        .keys()
                        .map(|name| ExpectedString::new(name))
                        .collect(),
                    values: vec![MemberValue::Unknown; object.fields.len()].into_boxed_slice(),
                })
            }
            Schema::Array(array) => Node::Array(ArrayNode {
                items: self.add(&array.items, named),
                min_items: array.min_items,
                max_items: array.max_items,
            }),
            Schema::String(string) => {
                let values = NameTable::new(string.values.iter().flatten().map(String::as_bytes));
                let only_constant = string.min_length.is_none()
                    && string.max_length.is_none()
                    && values.names().is_empty()
                    && string.format.is_none();
                Node::String(StringNode {
                    expected: string
                        .constant
                        .as_deref()
                        .filter(|_| only_constant)
                        .and_then(ExpectedString::new),
                    min_length: string.min_length,
                    max_length: string.max_length,
                    constant: string
                        .constant
                        .as_deref()
                        .map(|constant| Text::new(constant.as_bytes())),
                    plain: string.min_length.is_none()
                        && string.max_length.is_none()
                        && string.constant.is_none()
                        && values.names().is_empty()
                        && string.format.is_none(),
                    values,
                    unknown_value: string.unknown_value,
                    format: string.format,
                })
            }
            Schema::Integer(integer) => {
                let (repr_low, repr_high) = integer.repr.range();
                let low = integer
                    .minimum
                    .map_or(repr_low, |bound| bound.0.max(repr_low));
                let high = integer
                    .maximum
                    .map_or(repr_high, |bound| bound.0.min(repr_high));
                Node::Integer(IntegerNode {
                    low,
                    high,
                    repr_name: match integer.repr {
                        crate::schema::IntegerRepr::Int64 => "int64",
                        crate::schema::IntegerRepr::Uint64 => "uint64",
                    },
                    repr_low,
                    repr_high,
                })
            }
            Schema::Number(number) => Node::Number(NumberNode {
                minimum: number.minimum,
                maximum: number.maximum,
            }),
            Schema::Boolean(_) => Node::Boolean,
            Schema::Null(_) => Node::Null,
            Schema::Any(_) => Node::Any,
            Schema::EventName(_) => Node::EventName,
            Schema::OneOf(one_of) => {
                let mut by_kind = [None; 7];
                for variant in &one_of.variants {
                    let id = self.add(variant, named);
                    // Kinds come from the schema, not the node: a referenced
                    // named node may not be compiled yet.
                    let concrete = crate::schema::deref(variant, named).unwrap_or(variant);
                    for &kind in JsonKind::accepted_by(concrete) {
                        by_kind[kind_index(kind)].get_or_insert(id);
                    }
                }
                Node::OneOf(OneOfNode { by_kind })
            }
            // Callers resolve references before asking for a node.
            Schema::Ref(_) => Node::Any,
        }
    }
}

/// The concrete named schema a chain of references ends at.
fn final_name<'s>(mut name: &'s str, named: &'s BTreeMap<String, Schema>) -> Option<&'s str> {
    for _ in 0..=named.len() {
        match named.get(name)? {
            Schema::Ref(reference) => name = &reference.name,
            _ => return Some(name),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_found_and_nothing_else() {
        let names = [
            "id",
            "type",
            "purchased_access_fee_id",
            "purchased_access_fee_type",
            "purchased_access_fee_description",
            "a",
            "",
            "exactly8",
            "exactly9!",
            "external.subscribe.update.success",
            "external.subscribe.cancel.success",
        ];
        let table = NameTable::new(names.iter().map(|name| name.as_bytes()));
        assert!(!table.slots.is_empty(), "a perfect hash was found");
        for (position, name) in names.iter().enumerate() {
            assert_eq!(table.find(Probe::new(name.as_bytes())), Some(position));
            let payload = format!("\"{name}\": 1, \"padding\": true");
            let probe = Probe::in_payload(payload.as_bytes(), 1, 1 + name.len());
            assert_eq!(table.find(probe), Some(position), "{name} in a payload");
        }
        for other in [
            "ID",
            "typ",
            "types",
            "purchased_access_fee_ix",
            "b",
            "exactly7",
            "\0",
        ] {
            assert_eq!(table.find(Probe::new(other.as_bytes())), None, "{other}");
        }
    }

    #[test]
    fn names_no_multiplier_separates_fall_back_to_a_scan() {
        // The same length, and the same first, middle and last eight bytes:
        // one fingerprint.
        let names: [&[u8]; 2] = [
            b"abcdefgh-1-qrstuvwx-ijklmnop",
            b"abcdefgh-2-qrstuvwx-ijklmnop",
        ];
        let table = NameTable::new(names);
        assert!(table.slots.is_empty());
        assert_eq!(table.find(Probe::new(names[1])), Some(1));
        assert_eq!(
            table.find(Probe::new(b"abcdefgh-3-qrstuvwx-ijklmnop")),
            None
        );
    }

    #[test]
    fn a_name_found_in_the_payload_is_the_one_found_by_its_text() {
        // Every span of payloads holding names, near names and the names
        // cut short, at every offset: the one-call lookup in the payload
        // answers as the lookup of the span's text does, for a perfect
        // table and for one that falls back to a scan.
        let enum_values = [
            "payWithUserWallet",
            "bulkDebit",
            "creditUserWallet",
            "System",
            "Xbox",
            "IOS",
            "Other",
        ];
        let tables = [
            NameTable::new(enum_values.iter().map(|name| name.as_bytes())),
            NameTable::new([
                b"abcdefgh-1-qrstuvwx-ijklmnop".as_slice(),
                b"abcdefgh-2-qrstuvwx-ijklmnop".as_slice(),
            ]),
        ];
        let payload = br#"{"action":"creditUserWallet","origin":"System","x":"IOSX",
            "y":"abcdefgh-2-qrstuvwx-ijklmnop","z":"bulkDebit"}"#;
        let mut found = 0;
        for table in &tables {
            for start in 0..payload.len() {
                for end in start..=payload.len() {
                    let by_text = table.find(Probe::new(&payload[start..end]));
                    assert_eq!(
                        table.find_in_payload(payload, start, end),
                        by_text,
                        "{start}..{end}"
                    );
                    found += usize::from(by_text.is_some());
                }
            }
        }
        // creditUserWallet, System, IOS (in IOSX), bulkDebit; the long name.
        assert_eq!(found, 5);
    }

    #[test]
    fn fingerprints_from_the_payload_equal_those_of_the_text() {
        let payload = b"\"k\":\"0123456789abcdef\"}";
        for start in 0..payload.len() {
            for end in start..=payload.len() {
                assert_eq!(
                    Probe::in_payload(payload, start, end).fingerprint,
                    fingerprint(&payload[start..end]),
                    "{start}..{end}"
                );
            }
        }
    }
}
