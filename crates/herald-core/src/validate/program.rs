//! Schemas compiled for the validator: a flat table of nodes with references
//! resolved, object fields sorted for binary search and required fields as
//! bit masks. Built once when a catalogue loads; never built per payload.

use std::collections::BTreeMap;

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

#[derive(Debug, Clone)]
pub(crate) struct ObjectNode {
    /// Field names, sorted bytewise.
    pub(crate) names: Box<[Box<[u8]>]>,
    /// The schema of each field, parallel to `names`.
    pub(crate) targets: Box<[NodeId]>,
    /// Bit `i` is set when field `i` is required.
    pub(crate) required: Box<[u64]>,
    pub(crate) unknown: UnknownPolicy,
}

impl ObjectNode {
    /// Position of a field by its decoded name.
    pub(crate) fn field(&self, name: &[u8]) -> Option<usize> {
        self.names
            .binary_search_by(|probe| (**probe).cmp(name))
            .ok()
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
    pub(crate) constant: Option<Box<str>>,
    pub(crate) values: Box<[Box<str>]>,
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
            if let Some(target) = final_name(name, named) {
                if let Some(&id) = program.named.get(target) {
                    program.named.insert(name.clone(), id);
                }
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
                let names: Box<[Box<[u8]>]> = object
                    .fields
                    .keys()
                    .map(|name| name.as_bytes().into())
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
                Node::Object(ObjectNode {
                    names,
                    targets,
                    required,
                    unknown: object.unknown_fields,
                })
            }
            Schema::Array(array) => Node::Array(ArrayNode {
                items: self.add(&array.items, named),
                min_items: array.min_items,
                max_items: array.max_items,
            }),
            Schema::String(string) => Node::String(StringNode {
                min_length: string.min_length,
                max_length: string.max_length,
                constant: string.constant.as_deref().map(Into::into),
                values: string
                    .values
                    .iter()
                    .flatten()
                    .map(|value| value.as_str().into())
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
