//! Schemas compiled for the validator: a flat table of nodes with references
//! resolved, object fields sorted for binary search and required fields as
//! bit masks. Built once when a catalogue loads; never built per payload.

use std::collections::BTreeMap;
use std::hash::BuildHasher;

use foldhash::fast::FixedState;

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

/// Text compared often and fast: its bytes with their first eight as a
/// number, so that most mismatches cost one integer comparison and no call
/// to `memcmp`.
#[derive(Debug, Clone)]
pub(crate) struct Text {
    bytes: Box<[u8]>,
    head: u64,
}

/// Text read from a payload, fingerprinted once for many comparisons.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Probe<'a> {
    bytes: &'a [u8],
    head: u64,
}

/// A number made of the first eight bytes. For texts of eight bytes or
/// fewer it holds every byte, so with the length it decides equality alone.
/// Built from overlapping loads rather than a copy, which would cost a call
/// to `memcpy` for every short key.
#[inline]
fn head(bytes: &[u8]) -> u64 {
    let len = bytes.len();
    if let Some(first) = bytes.first_chunk::<8>() {
        return u64::from_le_bytes(*first);
    }
    if len >= 4 {
        let low = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        let high = u32::from_le_bytes([
            bytes[len - 4],
            bytes[len - 3],
            bytes[len - 2],
            bytes[len - 1],
        ]);
        return u64::from(low) | u64::from(high) << 32;
    }
    if len == 0 {
        return 0;
    }
    u64::from(bytes[0]) | u64::from(bytes[len / 2]) << 8 | u64::from(bytes[len - 1]) << 16
}

/// Equality of two slices of the same length of at least eight bytes,
/// eight bytes at a time, the last eight overlapping (no call to `memcmp`,
/// which dominates for the short texts of payloads).
#[inline]
fn same_bytes(left: &[u8], right: &[u8]) -> bool {
    let len = left.len();
    debug_assert!(len == right.len() && len >= 8);
    let word = |bytes: &[u8], at: usize| {
        bytes
            .get(at..at + 8)
            .and_then(|chunk| chunk.first_chunk::<8>())
            .map(|chunk| u64::from_le_bytes(*chunk))
    };
    let mut at = 0;
    while at + 8 < len {
        if word(left, at) != word(right, at) {
            return false;
        }
        at += 8;
    }
    word(left, len - 8) == word(right, len - 8)
}

/// Whether two byte strings are equal, without a call to `memcmp`.
#[inline]
pub(crate) fn equal(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len()
        && if left.len() >= 8 {
            same_bytes(left, right)
        } else {
            head(left) == head(right)
        }
}

impl Text {
    pub(crate) fn new(bytes: &[u8]) -> Text {
        Text {
            bytes: bytes.into(),
            head: head(bytes),
        }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    #[inline]
    pub(crate) fn matches(&self, probe: Probe<'_>) -> bool {
        self.head == probe.head
            && self.bytes.len() == probe.bytes.len()
            && (self.bytes.len() <= 8 || same_bytes(&self.bytes, probe.bytes))
    }
}

impl<'a> Probe<'a> {
    #[inline]
    pub(crate) fn new(bytes: &'a [u8]) -> Probe<'a> {
        Probe {
            bytes,
            head: head(bytes),
        }
    }

    /// The slot of this text in a table of `2^bits` slots hashed with
    /// `state`: the fingerprint (first eight bytes) and the length, mixed by
    /// foldhash, whose top bits are well spread.
    #[inline]
    fn slot(self, state: &FixedState, bits: u32) -> usize {
        let key = self.head ^ (self.bytes.len() as u64).rotate_left(32);
        // `bits` is at least 1, so the shift is below 64.
        (state.hash_one(key) >> (64 - bits)) as usize
    }
}

/// A slot of an object's field table: the name's fingerprint inline, so
/// that a miss or a short name needs no further load.
#[derive(Debug, Clone, Copy)]
struct Slot {
    head: u64,
    /// Name length; `u32::MAX` for an empty slot (no key is that long:
    /// payloads are far smaller).
    len: u32,
    position: u32,
}

const EMPTY_SLOT: Slot = Slot {
    head: 0,
    len: u32::MAX,
    position: 0,
};

#[derive(Debug, Clone)]
pub(crate) struct ObjectNode {
    /// Field names, sorted bytewise.
    pub(crate) names: Box<[Text]>,
    /// The schema of each field, parallel to `names`.
    pub(crate) targets: Box<[NodeId]>,
    /// Bit `i` is set when field `i` is required.
    pub(crate) required: Box<[u64]>,
    pub(crate) unknown: UnknownPolicy,
    /// A collision-free hash table of fields: a key is a field only if it
    /// equals the one name in its slot, so a lookup is one hash, one load
    /// and one comparison, with no probing.
    table: Box<[Slot]>,
    bits: u32,
    state: FixedState,
}

impl ObjectNode {
    fn new(
        names: Box<[Text]>,
        targets: Box<[NodeId]>,
        required: Box<[u64]>,
        unknown: UnknownPolicy,
    ) -> Self {
        // Try seeds, then larger tables, until every name has its own slot.
        // A table four times the field count succeeds within a few seeds.
        let mut bits = (names.len() * 2)
            .next_power_of_two()
            .max(2)
            .trailing_zeros();
        // Names sharing length and first eight bytes hash alike whatever the
        // seed; past four doublings the object falls back to a linear scan
        // (an empty table), so building always ends.
        let most = bits + 4;
        let found = 'search: loop {
            for seed in 0..64u64 {
                let state = FixedState::with_seed(seed);
                let mut table = vec![EMPTY_SLOT; 1 << bits].into_boxed_slice();
                let placed = names.iter().enumerate().all(|(position, name)| {
                    let probe = Probe::new(name.as_bytes());
                    let slot = &mut table[probe.slot(&state, bits)];
                    let free = slot.len == u32::MAX;
                    *slot = Slot {
                        head: probe.head,
                        len: u32::try_from(name.as_bytes().len()).unwrap_or(u32::MAX - 1),
                        position: u32::try_from(position).unwrap_or(u32::MAX),
                    };
                    free
                });
                if placed {
                    break 'search Some((table, state));
                }
            }
            if bits == most {
                break None;
            }
            bits += 1;
        };
        let (table, state) = found.unwrap_or_default();
        ObjectNode {
            names,
            targets,
            required,
            unknown,
            table,
            bits,
            state,
        }
    }

    /// Position of a field by its decoded name.
    #[inline(always)]
    pub(crate) fn field(&self, name: Probe<'_>) -> Option<usize> {
        if self.table.is_empty() {
            return self.scan(name);
        }
        let slot = self.table[name.slot(&self.state, self.bits)];
        if slot.head != name.head || slot.len as usize != name.bytes.len() {
            return None;
        }
        let position = slot.position as usize;
        (name.bytes.len() <= 8 || same_bytes(self.names[position].as_bytes(), name.bytes))
            .then_some(position)
    }

    /// The lookup of objects whose names defeat the hash table.
    #[cold]
    fn scan(&self, name: Probe<'_>) -> Option<usize> {
        self.names.iter().position(|known| known.matches(name))
    }

    /// How many 64-bit words a seen-set for this object needs.
    pub(crate) fn words(&self) -> usize {
        self.names.len().div_ceil(64)
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
    pub(crate) values: Box<[Text]>,
    pub(crate) unknown_value: EnumPolicy,
    pub(crate) format: Option<StringFormat>,
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
                let names: Box<[Text]> = object
                    .fields
                    .keys()
                    .map(|name| Text::new(name.as_bytes()))
                    .collect();
                let targets = object
                    .fields
                    .values()
                    .map(|field| self.add(field, named))
                    .collect();
                let mut required = vec![0u64; names.len().div_ceil(64)].into_boxed_slice();
                for (position, name) in object.fields.keys().enumerate() {
                    if !object.optional.contains(name) {
                        required[position / 64] |= 1 << (position % 64);
                    }
                }
                Node::Object(ObjectNode::new(
                    names,
                    targets,
                    required,
                    object.unknown_fields,
                ))
            }
            Schema::Array(array) => Node::Array(ArrayNode {
                items: self.add(&array.items, named),
                min_items: array.min_items,
                max_items: array.max_items,
            }),
            Schema::String(string) => Node::String(StringNode {
                min_length: string.min_length,
                max_length: string.max_length,
                constant: string
                    .constant
                    .as_deref()
                    .map(|constant| Text::new(constant.as_bytes())),
                values: string
                    .values
                    .iter()
                    .flatten()
                    .map(|value| Text::new(value.as_bytes()))
                    .collect(),
                unknown_value: string.unknown_value,
                format: string.format,
            }),
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
