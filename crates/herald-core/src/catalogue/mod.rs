//! The event catalogue: every event herald knows, who sends it, what it means
//! and what its payload looks like.
//!
//! An event is identified by its source and its name: the same name may mean
//! different things in different sources (`payment.card.success` is both an
//! InPlayer client notification and an InPlayer webhook, with different
//! payloads). The catalogue is data — a versioned JSON document (see
//! [`FORMAT`]) that users can write, load with [`Catalogue::from_json`] and
//! export with [`Catalogue::to_json`]. The built-in catalogue of the four seed
//! platforms ships in that same format ([`Catalogue::builtin`]).
//!
//! Lookups never allocate: names are resolved through indexes built once at load
//! time, and iterators borrow from the catalogue.
//!
//! ```
//! use herald_core::Catalogue;
//!
//! let catalogue = Catalogue::builtin();
//! let event = catalogue.get("accelbyte-wallet", "walletBalanceChanged").unwrap();
//! assert_eq!(event.category, "wallet");
//!
//! // `sms.message.sent` is an instance of Orangepill's `{channel}.message.sent`.
//! let resolved = catalogue.resolve("orangepill-stream", "sms.message.sent").unwrap();
//! assert_eq!(resolved.event.name, "{channel}.message.sent");
//! assert_eq!(resolved.binding.unwrap().value, "sms");
//! ```

mod document;
mod error;
mod lookup;
mod validation;

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use crate::limits::Limits;
use crate::schema::{JsonKind, Schema};
use crate::validate::program::{NodeId, Program};

pub use document::FORMAT;
pub use error::{CatalogueError, LookupError};

/// The sources of the built-in catalogue, with their fixed ids.
///
/// Custom catalogues may declare other source ids; this enum only names the
/// built-in ones. A test keeps it equal to the sources in the built-in data.
///
/// ```
/// use herald_core::catalogue::BuiltinSource;
/// let source: BuiltinSource = "orangepill-stream".parse().unwrap();
/// assert_eq!(source, BuiltinSource::OrangepillStream);
/// assert_eq!(source.id(), "orangepill-stream");
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::EnumIter,
)]
pub enum BuiltinSource {
    /// InPlayer client notifications (MQTT over WebSocket, one topic per account).
    #[strum(serialize = "inplayer-notifications")]
    InplayerNotifications,
    /// InPlayer merchant webhooks (form-encoded HTTP POST).
    #[strum(serialize = "inplayer-webhooks")]
    InplayerWebhooks,
    /// Orangepill's WebSocket event stream, per realm.
    #[strum(serialize = "orangepill-stream")]
    OrangepillStream,
    /// AccelByte Gaming Services wallet update notifications (lobby WebSocket).
    #[strum(serialize = "accelbyte-wallet")]
    AccelbyteWallet,
}

impl BuiltinSource {
    /// The source id used in catalogue documents and lookups.
    pub fn id(self) -> &'static str {
        self.into()
    }
}

/// One source of events: a vendor's transport with its own set of event names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SourceDef {
    /// Stable id, such as `inplayer-webhooks`.
    pub id: String,
    /// Who operates the platform.
    pub vendor: String,
    /// Human-readable name.
    pub title: String,
    /// How events travel (protocol and envelope), in a sentence.
    pub transport: String,
    /// What the source is for.
    pub description: String,
    /// The events of this source, in document order.
    pub events: Vec<EventDef>,
}

/// One event of one source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct EventDef {
    /// The event name (a topic), such as `payment.card.success`. Templated
    /// events have one `{parameter}` segment: `{channel}.message.sent`.
    pub name: String,
    /// The id of the source the event belongs to (implied by the document
    /// structure, so not written inside the event).
    #[serde(skip)]
    pub source: String,
    /// Business category: payment, subscription, access, account, wallet, …
    pub category: String,
    /// What happened when this event is sent.
    pub description: String,
    /// Properties of the event.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<EventFlag>,
    /// The parameter of a templated name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<Template>,
    /// Events in other sources that report the same business event.
    /// Aliases are symmetric: declaring one side is enough.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<EventRef>,
    /// Set when the vendor retired or replaced the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Deprecation>,
    /// The payload schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    /// Example payloads; each must be valid against `schema` (loading
    /// refuses a document with one that is not: `invalid_example`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<serde_json::Value>,
}

impl EventDef {
    /// Whether the event has `flag`.
    pub fn has_flag(&self, flag: EventFlag) -> bool {
        self.flags.contains(&flag)
    }
}

/// Properties an event can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
#[non_exhaustive]
pub enum EventFlag {
    /// Sent only when the Infobip extension is enabled (Orangepill).
    InfobipExtension,
    /// Not in the source's published event list, but known from the vendor's
    /// other documentation or SDKs.
    Supplementary,
}

/// The parameter of a templated event name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// The parameter name; the event name holds it as a `{parameter}` segment.
    pub parameter: String,
    /// Values the vendor documents.
    pub known_values: Vec<String>,
    /// Whether values outside `known_values` are accepted too.
    pub open: bool,
}

/// A reference to an event by source and name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRef {
    /// The source id.
    pub source: String,
    /// The event name.
    pub name: String,
}

/// Why and since when an event should no longer be relied on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    /// The vendor version or date from which it is deprecated, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// What to do instead.
    pub note: String,
    /// The event that replaces it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<EventRef>,
}

/// A name resolved to a catalogue event, with the template parameter bound
/// when the name instantiates a templated event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolved<'c, 'n> {
    /// The catalogue event.
    pub event: &'c EventDef,
    /// The template parameter and the value the name gave it.
    pub binding: Option<Binding<'c, 'n>>,
}

/// A template parameter bound to a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding<'c, 'n> {
    /// The parameter name, e.g. `channel`.
    pub parameter: &'c str,
    /// The value taken from the looked-up name, e.g. `sms`.
    pub value: &'n str,
}

/// Position of an event: (source index, event index within the source).
type Slot = (u32, u32);

/// A loaded, checked, indexed event catalogue. Immutable and `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Catalogue {
    sources: Vec<SourceDef>,
    schemas: std::collections::BTreeMap<String, Schema>,
    index: Index,
    /// Every schema compiled for the validator.
    program: Program,
}

#[derive(Debug, Clone, Default)]
struct Index {
    /// Source ids, and every event by `(source, name)` with its compiled
    /// schema, for lookups and validation by name.
    lookup: lookup::Lookup,
    /// Source positions by id, while loading.
    source_by_id: HashMap<Box<str>, u32>,
    /// Every event of a name, across sources, in document order.
    by_name: HashMap<Box<str>, SmallVec<[Slot; 2]>>,
    /// Templated events and the index of their `{parameter}` segment.
    templates: Vec<(Slot, usize)>,
    /// For each event (by slot), its aliases in both directions.
    aliases: HashMap<Slot, SmallVec<[Slot; 2]>>,
    categories: Vec<Box<str>>,
}

impl PartialEq for Catalogue {
    fn eq(&self, other: &Self) -> bool {
        self.sources == other.sources && self.schemas == other.schemas
    }
}

impl Catalogue {
    /// The built-in catalogue: every event of the InPlayer, Orangepill and
    /// AccelByte seed documents. Parsed once, on first use.
    // Inlined into callers: once the catalogue is parsed, asking for it is
    // one load and one compare, cheaper than the call around them.
    #[inline]
    pub fn builtin() -> &'static Catalogue {
        static BUILTIN: OnceLock<Catalogue> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            // The data is compiled in and a test loads it, so failure here is a
            // build defect, not a run-time condition.
            Catalogue::from_json(BUILTIN_JSON.as_bytes()).expect("the built-in catalogue is valid")
        })
    }

    /// The built-in catalogue document, as compiled in.
    pub fn builtin_json() -> &'static str {
        BUILTIN_JSON
    }

    /// Loads and checks a catalogue document.
    ///
    /// ```
    /// use herald_core::Catalogue;
    /// let doc = br#"{
    ///   "format": "herald-catalogue/1",
    ///   "sources": [{
    ///     "id": "shop", "vendor": "Example", "title": "Shop events",
    ///     "transport": "HTTP POST with a JSON body", "description": "Orders.",
    ///     "events": [{"name": "order.paid", "category": "payment",
    ///                 "description": "An order was paid."}]
    ///   }]
    /// }"#;
    /// let catalogue = Catalogue::from_json(doc)?;
    /// assert!(catalogue.get("shop", "order.paid").is_some());
    /// # Ok::<(), herald_core::CatalogueError>(())
    /// ```
    pub fn from_json(bytes: &[u8]) -> Result<Catalogue, CatalogueError> {
        document::load(bytes)
    }

    /// The catalogue as a document in [`FORMAT`], pretty-printed.
    /// Loading the output gives an equal catalogue.
    pub fn to_json(&self) -> String {
        document::store(self)
    }

    /// The sources, in document order.
    pub fn sources(&self) -> &[SourceDef] {
        &self.sources
    }

    /// The source with this id.
    pub fn source(&self, id: &str) -> Option<&SourceDef> {
        let index = self.index.lookup.source(id)?;
        self.sources.get(index as usize)
    }

    /// Named schemas shared by events through `{"type": "ref"}`.
    pub fn schemas(&self) -> &std::collections::BTreeMap<String, Schema> {
        &self.schemas
    }

    /// Follows `ref` schemas until a concrete one. Load-time checks guarantee
    /// references resolve and do not loop, so `None` only for foreign schemas.
    pub fn deref_schema<'s>(&'s self, mut schema: &'s Schema) -> Option<&'s Schema> {
        for _ in 0..=self.schemas.len() {
            match schema {
                Schema::Ref(reference) => schema = self.schemas.get(&reference.name)?,
                concrete => return Some(concrete),
            }
        }
        None
    }

    /// The schema at a path of field names inside `schema`, following
    /// references; a step into an array goes to its items whatever the name
    /// (form keys carry indexes). `None` when the path leaves the schema.
    ///
    /// With [`kinds_of`](Catalogue::kinds_of), this is how a decoder of
    /// untyped values (form-encoded webhooks) learns which JSON kinds the
    /// schema declares at a key path, to coerce each string to the first one
    /// it spells.
    ///
    /// ```
    /// use herald_core::Catalogue;
    /// use herald_core::schema::{JsonKind, Schema};
    /// let catalogue = Catalogue::builtin();
    /// let event = catalogue.get("inplayer-webhooks", "asset.access.revoked").unwrap();
    /// let revoked = catalogue
    ///     .schema_at(event.schema.as_ref().unwrap(), &["resource", "revoked"])
    ///     .unwrap();
    /// assert_eq!(catalogue.kinds_of(revoked), [JsonKind::Boolean, JsonKind::Integer]);
    /// ```
    pub fn schema_at<'s>(&'s self, schema: &'s Schema, path: &[&str]) -> Option<&'s Schema> {
        let mut here = self.deref_schema(schema)?;
        for step in path {
            here = match here {
                Schema::Object(object) => self.deref_schema(object.fields.get(*step)?)?,
                Schema::Array(array) => self.deref_schema(&array.items)?,
                _ => return None,
            };
        }
        Some(here)
    }

    /// The JSON kinds a schema accepts, in declaration order (the order in
    /// which a form decoder tries them); empty for `any`.
    ///
    /// ```
    /// use herald_core::Catalogue;
    /// use herald_core::schema::{JsonKind, Schema};
    /// let schema: Schema = serde_json::from_str(r#"{"type": "number"}"#).unwrap();
    /// assert_eq!(Catalogue::builtin().kinds_of(&schema), [JsonKind::Integer, JsonKind::Number]);
    /// ```
    pub fn kinds_of(&self, schema: &Schema) -> Vec<JsonKind> {
        match self.deref_schema(schema) {
            Some(Schema::OneOf(one_of)) => one_of
                .variants
                .iter()
                .filter_map(|variant| self.deref_schema(variant))
                .flat_map(|variant| JsonKind::accepted_by(variant).iter().copied())
                .collect(),
            Some(concrete) => JsonKind::accepted_by(concrete).to_vec(),
            None => Vec::new(),
        }
    }

    /// Every event, source by source, in document order.
    pub fn events(&self) -> impl Iterator<Item = &EventDef> {
        self.sources.iter().flat_map(|source| source.events.iter())
    }

    /// The event at a position of [`events`](Catalogue::events), counting from 0.
    pub fn event_at(&self, mut index: usize) -> Option<&EventDef> {
        for source in &self.sources {
            match source.events.get(index) {
                Some(event) => return Some(event),
                None => index -= source.events.len(),
            }
        }
        None
    }

    /// The events of one source (none for an unknown source).
    pub fn events_in(&self, source: &str) -> impl Iterator<Item = &EventDef> {
        self.source(source)
            .into_iter()
            .flat_map(|source| source.events.iter())
    }

    /// The events of one category, across sources.
    pub fn events_in_category<'a>(
        &'a self,
        category: &'a str,
    ) -> impl Iterator<Item = &'a EventDef> {
        self.events()
            .filter(move |event| event.category == category)
    }

    /// The distinct categories, sorted.
    pub fn categories(&self) -> impl Iterator<Item = &str> {
        self.index.categories.iter().map(|category| &**category)
    }

    /// How many events the catalogue holds (templates count once).
    pub fn len(&self) -> usize {
        self.sources.iter().map(|source| source.events.len()).sum()
    }

    /// Whether the catalogue holds no events.
    pub fn is_empty(&self) -> bool {
        self.sources.iter().all(|source| source.events.is_empty())
    }

    /// The event with exactly this source and name (no template resolution).
    pub fn get(&self, source: &str, name: &str) -> Option<&EventDef> {
        let entry = self.index.lookup.event(source, name)?;
        Some(self.event_in_slot(entry.slot))
    }

    /// The event a name stands for in one source: an exact name first, else a
    /// templated event whose other segments match, with its parameter bound.
    ///
    /// `sms.message.sent` resolves to `{channel}.message.sent`; `message.sent`
    /// does not (it has no segment for the parameter).
    pub fn resolve<'c, 'n>(&'c self, source: &str, name: &'n str) -> Option<Resolved<'c, 'n>> {
        self.resolve_slot(source, name)
            .map(|(_, resolved)| resolved)
    }

    /// [`Catalogue::resolve`], with the position of the event.
    fn resolve_slot<'c, 'n>(
        &'c self,
        source: &str,
        name: &'n str,
    ) -> Option<(Slot, Resolved<'c, 'n>)> {
        if let Some(entry) = self.index.lookup.event(source, name) {
            let slot = entry.slot;
            let resolved = Resolved {
                event: self.event_in_slot(slot),
                binding: None,
            };
            return Some((slot, resolved));
        }
        let source = self.index.lookup.source(source)?;
        self.index
            .templates
            .iter()
            .filter(|(slot, _)| slot.0 == source)
            .find_map(|&(slot, placeholder)| {
                self.instantiate(slot, placeholder, name)
                    .map(|resolved| (slot, resolved))
            })
    }

    /// The compiled schema of the event in a slot.
    #[inline]
    fn root_in_slot(&self, slot: Slot) -> Option<NodeId> {
        self.index.lookup.in_slot(slot)?.root
    }

    /// Resolves a name and finds the compiled schema of its event in one go.
    fn resolve_with_root<'c, 'n>(
        &'c self,
        source: &str,
        name: &'n str,
    ) -> Option<(Resolved<'c, 'n>, Option<NodeId>)> {
        let (slot, resolved) = self.resolve_slot(source, name)?;
        Some((resolved, self.root_in_slot(slot)))
    }

    /// Every event a name stands for, across all sources: exact names first,
    /// then templated events, each in document order.
    ///
    /// ```
    /// use herald_core::Catalogue;
    /// let sources: Vec<_> = Catalogue::builtin()
    ///     .find("payment.card.success")
    ///     .map(|resolved| resolved.event.source.as_str())
    ///     .collect();
    /// assert_eq!(sources, ["inplayer-notifications", "inplayer-webhooks"]);
    /// ```
    pub fn find<'c, 'n>(&'c self, name: &'n str) -> impl Iterator<Item = Resolved<'c, 'n>> {
        let exact = self
            .index
            .by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(|&slot| Resolved {
                event: self.event_in_slot(slot),
                binding: None,
            });
        let templated = self
            .index
            .templates
            .iter()
            // A template's own name is an exact hit above, not an instance.
            .filter(move |&&(slot, _)| self.event_in_slot(slot).name != name)
            .filter_map(move |&(slot, placeholder)| self.instantiate(slot, placeholder, name));
        exact.chain(templated)
    }

    /// The events that report the same business event as `event`, in any source.
    pub fn aliases_of(&self, event: &EventDef) -> impl Iterator<Item = &EventDef> {
        self.slot_of(event)
            .and_then(|slot| self.index.aliases.get(&slot))
            .into_iter()
            .flatten()
            .map(|&slot| self.event_in_slot(slot))
    }

    /// The validator's compiled schemas.
    fn program(&self) -> &Program {
        &self.program
    }

    fn slot_of(&self, event: &EventDef) -> Option<Slot> {
        let entry = self.index.lookup.event(&event.source, &event.name)?;
        Some(entry.slot)
    }

    fn event_in_slot(&self, (source, event): Slot) -> &EventDef {
        &self.sources[source as usize].events[event as usize]
    }

    fn instantiate<'c, 'n>(
        &'c self,
        slot: Slot,
        placeholder: usize,
        name: &'n str,
    ) -> Option<Resolved<'c, 'n>> {
        let event = self.event_in_slot(slot);
        let template = event.template.as_ref()?;
        let mut wanted = event.name.split('.');
        let mut given = name.split('.');
        let mut value = None;
        let mut position = 0;
        loop {
            match (wanted.next(), given.next()) {
                (None, None) => break,
                (Some(want), Some(got)) if position == placeholder => {
                    debug_assert!(want.starts_with('{'));
                    value = Some(got);
                }
                (Some(want), Some(got)) if want == got => {}
                _ => return None,
            }
            position += 1;
        }
        let value = value?;
        crate::topic::validate_topic(value, &Limits::default()).ok()?;
        if !template.open && !template.known_values.iter().any(|known| known == value) {
            return None;
        }
        Some(Resolved {
            event,
            binding: Some(Binding {
                parameter: &template.parameter,
                value,
            }),
        })
    }
}

const BUILTIN_JSON: &str = include_str!("builtin.json");
