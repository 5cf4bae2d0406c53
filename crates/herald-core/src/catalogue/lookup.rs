//! The `(source, name)` lookup: one flat table of every event of the
//! catalogue, found by one hash of the source id and the event name
//! together, built once when the catalogue loads (in time linear in the
//! number of events: open addressing, at most a quarter of the places
//! used, so a lookup almost always lands on its event or a free place at
//! once).
//!
//! A lookup reads three words of each text (its first, middle and last
//! eight bytes: no hashing of the whole text), hashes the outer two of
//! each with the lengths in one multiply, probes the table once and
//! confirms the record it finds by comparing all the words and the
//! lengths, which decides equality of texts of up to 24 bytes (longer ones
//! compare their bytes too);
//! the record holds all that validation needs — the event's position, its
//! compiled schema and its name ready for the reader to expect — so a
//! validation by name follows one chain of loads, not one per level of
//! sources and events. No allocation, whatever the names asked for. This module only finds events; what a name means
//! (templates, aliases) is the catalogue's.

use super::{Slot, SourceDef};
use crate::json::ExpectedString;
use crate::validate::program::{NameTable, NodeId, Probe, same_bytes};

/// Texts up to this long are equal when their [`words`] and lengths are.
const DECIDED_BY_WORDS: usize = 24;

/// The first, middle and last eight bytes of a text of eight bytes or more;
/// a shorter one packed whole into the first word (from overlapping halves,
/// or its first, middle and last byte), so that with the length the words
/// spell every text of up to [`DECIDED_BY_WORDS`] bytes.
#[inline(always)]
fn words(bytes: &[u8]) -> [u64; 3] {
    let len = bytes.len();
    let half = |at: usize| {
        bytes
            .get(at..)
            .and_then(<[u8]>::first_chunk::<4>)
            .map_or(0, |chunk| u64::from(u32::from_le_bytes(*chunk)))
    };
    let byte = |at: usize| bytes.get(at).copied().map_or(0, u64::from);
    match len {
        8.. => {
            // The middle word from the two halves' facing ends: the same
            // bytes as the word at `len / 2 - 4`, with no offset to check.
            let (left, right) = bytes.split_at_checked(len / 2).unwrap_or_default();
            let low = left
                .last_chunk::<4>()
                .map_or(0, |chunk| u32::from_le_bytes(*chunk));
            let high = right
                .first_chunk::<4>()
                .map_or(0, |chunk| u32::from_le_bytes(*chunk));
            let first = bytes
                .first_chunk::<8>()
                .map_or(0, |chunk| u64::from_le_bytes(*chunk));
            let last = bytes
                .last_chunk::<8>()
                .map_or(0, |chunk| u64::from_le_bytes(*chunk));
            [first, u64::from(low) | u64::from(high) << 32, last]
        }
        4..8 => [half(0) | half(len - 4) << 32, 0, 0],
        1..4 => [byte(0) | byte(len / 2) << 8 | byte(len - 1) << 16, 0, 0],
        0 => [0; 3],
    }
}

/// A text looked up: its bytes and its words.
#[derive(Clone, Copy)]
struct Wanted<'a> {
    bytes: &'a [u8],
    words: [u64; 3],
}

impl<'a> Wanted<'a> {
    #[inline(always)]
    fn new(text: &'a str) -> Wanted<'a> {
        let bytes = text.as_bytes();
        Wanted {
            bytes,
            words: words(bytes),
        }
    }
}

/// One event as the lookup finds it, with what validating its payloads
/// needs.
#[derive(Debug, Clone)]
pub(super) struct EventEntry {
    source_words: [u64; 3],
    name_words: [u64; 3],
    source_len: u32,
    name_len: u32,
    /// The source id: the bytes a long one is confirmed against.
    source: Box<str>,
    /// The event name: the bytes a long one is confirmed against, and the
    /// name the validator compares.
    name: Box<str>,
    /// Where the event is in the catalogue.
    pub(super) slot: Slot,
    /// The compiled schema, when the event has one.
    pub(super) root: Option<NodeId>,
    /// The name as the reader expects it in a payload's `event_name`.
    pub(super) expected: Option<ExpectedString>,
    /// Whether the name is a template (`{channel}.message.sent`).
    pub(super) templated: bool,
}

impl EventEntry {
    /// The event name.
    #[inline]
    pub(super) fn name(&self) -> &str {
        &self.name
    }

    /// Whether this is the event `name` of the source `source`.
    #[inline(always)]
    fn matches(&self, source: Wanted<'_>, name: Wanted<'_>) -> bool {
        // One OR of differences, not array comparisons: those compile to
        // vector compares of words the lookup has just computed in
        // registers, spilled to the stack and reloaded whole, which stalls
        // (a wide load cannot take its bytes from two narrow stores).
        let [source_first, source_middle, source_last] = source.words;
        let [name_first, name_middle, name_last] = name.words;
        let differ = (self.source_words[0] ^ source_first)
            | (self.source_words[1] ^ source_middle)
            | (self.source_words[2] ^ source_last)
            | (self.name_words[0] ^ name_first)
            | (self.name_words[1] ^ name_middle)
            | (self.name_words[2] ^ name_last)
            | (u64::from(self.source_len) ^ source.bytes.len() as u64)
            | (u64::from(self.name_len) ^ name.bytes.len() as u64);
        differ == 0
            && (source.bytes.len() <= DECIDED_BY_WORDS && name.bytes.len() <= DECIDED_BY_WORDS
                || self.same_bytes(source, name))
    }

    /// The byte-wise confirmation of long texts.
    #[cold]
    fn same_bytes(&self, source: Wanted<'_>, name: Wanted<'_>) -> bool {
        let (known_source, known_name) = (self.source.as_bytes(), self.name.as_bytes());
        known_source.len() == source.bytes.len()
            && known_name.len() == name.bytes.len()
            && (source.bytes.len() < 8 || same_bytes(known_source, source.bytes))
            && (name.bytes.len() < 8 || same_bytes(known_name, name.bytes))
    }
}

/// Marks a free place of [`Lookup::table`].
const FREE: u32 = u32::MAX;

/// Source ids by position, and every event by `(source, name)`.
#[derive(Debug, Clone)]
pub(super) struct Lookup {
    sources: NameTable,
    /// Every event, source by source, in document order.
    entries: Box<[EventEntry]>,
    /// Per source (by position), the place of its first event in `entries`.
    first_entry: Box<[u32]>,
    /// Positions in `entries` by the hash of `(source, name)`, open
    /// addressing with linear probing; a power of two at least four times
    /// the number of events, so it always has free places.
    table: Box<[u32]>,
    shift: u32,
}

impl Default for Lookup {
    fn default() -> Self {
        Lookup::new(&[], &[])
    }
}

/// The hash of a `(source, name)` pair, before the table's multiply: the
/// first and last words of both texts and their lengths, each word turned
/// by its own amount so that no two cancel, XORed together. Every operand
/// is loaded at once and the table's one multiply follows, so a lookup's
/// chain of dependent steps is short (three multiplications in a row, as
/// mixing each text first took, made every validation by name wait on
/// them). The middle words are left to the confirmation: names that differ
/// only there share a place and are told apart by probing on.
#[inline(always)]
fn pair_key(source: Wanted<'_>, name: Wanted<'_>) -> u64 {
    let [source_first, _, source_last] = source.words;
    let [name_first, _, name_last] = name.words;
    let lengths = (source.bytes.len() as u64) << 32 | name.bytes.len() as u64;
    source_first.rotate_left(11)
        ^ source_last.rotate_left(23)
        ^ name_first
        ^ name_last.rotate_left(41)
        ^ lengths.rotate_left(53)
}

impl Lookup {
    /// The tables of `sources`, whose ids and (per source) event names are
    /// distinct; `roots` holds each event's compiled schema, source by
    /// source in document order.
    pub(super) fn new(sources: &[SourceDef], roots: &[Option<NodeId>]) -> Lookup {
        let mut entries = Vec::new();
        let mut first_entry = Vec::with_capacity(sources.len());
        for (source_index, source) in sources.iter().enumerate() {
            first_entry.push(u32::try_from(entries.len()).unwrap_or(u32::MAX));
            for (event_index, event) in source.events.iter().enumerate() {
                entries.push(EventEntry {
                    source_words: words(source.id.as_bytes()),
                    name_words: words(event.name.as_bytes()),
                    source_len: u32::try_from(source.id.len()).unwrap_or(u32::MAX),
                    name_len: u32::try_from(event.name.len()).unwrap_or(u32::MAX),
                    source: source.id.clone().into_boxed_str(),
                    name: event.name.clone().into_boxed_str(),
                    slot: (
                        u32::try_from(source_index).unwrap_or(u32::MAX),
                        u32::try_from(event_index).unwrap_or(u32::MAX),
                    ),
                    root: roots.get(entries.len()).copied().flatten(),
                    expected: ExpectedString::new(&event.name),
                    templated: event.template.is_some(),
                });
            }
        }
        let (table, shift) = hash_table(sources);
        Lookup {
            sources: NameTable::new(sources.iter().map(|source| source.id.as_bytes())),
            entries: entries.into_boxed_slice(),
            first_entry: first_entry.into_boxed_slice(),
            table,
            shift,
        }
    }

    /// The position of the source `id`.
    #[inline(always)]
    pub(super) fn source(&self, id: &str) -> Option<u32> {
        let position = self.sources.find(Probe::new(id.as_bytes()))?;
        u32::try_from(position).ok()
    }

    /// The event exactly called `name` in the source `source`: with a
    /// quarter of the table in use, almost always one probe and one
    /// confirmation.
    #[inline(always)]
    pub(super) fn event(&self, source: &str, name: &str) -> Option<&EventEntry> {
        let source = Wanted::new(source);
        let name = Wanted::new(name);
        let mask = self.table.len() - 1;
        let mut place = (pair_key(source, name).wrapping_mul(MULTIPLIER) >> self.shift) as usize;
        // Ends: the table always has a free place.
        loop {
            let position = *self.table.get(place)?;
            if position == FREE {
                return None;
            }
            let entry = self.entries.get(position as usize)?;
            if entry.matches(source, name) {
                return Some(entry);
            }
            place = (place + 1) & mask;
        }
    }

    /// The event in a slot.
    #[inline]
    pub(super) fn in_slot(&self, (source, index): Slot) -> Option<&EventEntry> {
        let first = *self.first_entry.get(source as usize)? as usize;
        let entry = self.entries.get(first + index as usize)?;
        (entry.slot == (source, index)).then_some(entry)
    }
}

/// The odd multiplier of the table's multiplicative hash (2^64 over the
/// golden ratio): its top bits spread keys that differ anywhere.
const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

/// The table of every event of `sources` by `pair_key`, with its shift:
/// four places per event or more, each event at the first free place from
/// its hash on. Building it is linear in the number of events, whatever
/// their names (a table that must separate every event, with no probing,
/// cannot be found for large catalogues).
fn hash_table(sources: &[SourceDef]) -> (Box<[u32]>, u32) {
    let count: usize = sources.iter().map(|source| source.events.len()).sum();
    let bits = (count * 4).next_power_of_two().max(2).trailing_zeros();
    let shift = 64 - bits;
    let mask = (1usize << bits) - 1;
    let mut table = vec![FREE; 1 << bits].into_boxed_slice();
    let keys = sources.iter().flat_map(|source| {
        let source_id = Wanted::new(&source.id);
        source
            .events
            .iter()
            .map(move |event| pair_key(source_id, Wanted::new(&event.name)))
    });
    for (position, key) in keys.enumerate() {
        let mut place = (key.wrapping_mul(MULTIPLIER) >> shift) as usize;
        while table[place] != FREE {
            place = (place + 1) & mask;
        }
        table[place] = u32::try_from(position).unwrap_or(FREE);
    }
    (table, shift)
}

#[cfg(test)]
mod tests {
    use super::{DECIDED_BY_WORDS, MULTIPLIER, Wanted, pair_key, words};
    use crate::catalogue::Catalogue;
    use crate::validate::program::Node;

    #[test]
    fn every_builtin_event_is_found_in_the_table_with_its_record() {
        let catalogue = Catalogue::builtin();
        let lookup = &catalogue.index.lookup;
        assert!(lookup.sources.is_perfect());
        for (position, source) in catalogue.sources().iter().enumerate() {
            let at = lookup.source(&source.id).unwrap();
            assert_eq!(at as usize, position);
            for (index, event) in source.events.iter().enumerate() {
                let entry = lookup.event(&source.id, &event.name).unwrap();
                assert_eq!(entry.slot, (at, index as u32));
                assert_eq!(entry.name(), event.name);
                assert_eq!(entry.templated, event.template.is_some());
                assert_eq!(entry.root.is_some(), event.schema.is_some());
                assert!(std::ptr::eq(lookup.in_slot(entry.slot).unwrap(), entry));
            }
            assert!(lookup.event(&source.id, "no.such.event").is_none());
        }
        assert_eq!(lookup.source("no-such-source"), None);
    }

    #[test]
    fn a_pair_is_found_only_with_both_its_texts() {
        let lookup = &Catalogue::builtin().index.lookup;
        let found = |source: &str, name: &str| lookup.event(source, name).map(|entry| entry.slot);
        assert!(found("inplayer-notifications", "payment.card.success").is_some());
        assert!(found("inplayer-webhooks", "payment.card.success").is_some());
        assert_ne!(
            found("inplayer-notifications", "payment.card.success"),
            found("inplayer-webhooks", "payment.card.success")
        );
        // The concatenated texts are the same; the split between them is not.
        assert_eq!(found("orangepill-streamuser.", "created"), None);
        assert_eq!(found("orangepill-stream", "user.createD"), None);
        assert_eq!(found("orangepill-strean", "user.created"), None);
        assert_eq!(found("", ""), None);
    }

    #[test]
    fn a_pair_differing_from_an_event_in_any_one_byte_is_another_event_or_none() {
        let lookup = &Catalogue::builtin().index.lookup;
        let mut tried = 0;
        for source in Catalogue::builtin().sources() {
            for event in &source.events {
                for (in_source, text) in [(true, &source.id), (false, &event.name)] {
                    for at in 0..text.len() {
                        let mut changed = text.clone().into_bytes();
                        changed[at] = if changed[at] == b'x' { b'y' } else { b'x' };
                        let changed = String::from_utf8(changed).unwrap();
                        let (source_id, name) = if in_source {
                            (changed.as_str(), event.name.as_str())
                        } else {
                            (source.id.as_str(), changed.as_str())
                        };
                        tried += 1;
                        if let Some(entry) = lookup.event(source_id, name) {
                            assert_eq!(entry.name(), name, "{source_id} {name}");
                            assert_eq!(&*entry.source, source_id);
                        }
                    }
                }
            }
        }
        assert!(tried > 1000, "{tried}");
    }

    #[test]
    fn texts_of_every_length_are_told_apart_by_their_words() {
        let base: Vec<u8> = (0..40u8).map(|byte| b'a' + byte % 26).collect();
        for len in 0..=base.len() {
            for at in 0..len {
                let mut other = base[..len].to_vec();
                other[at] = b'#';
                assert!(
                    words(&base[..len]) != words(&other) || len > DECIDED_BY_WORDS,
                    "length {len}, byte {at}"
                );
            }
        }
    }

    #[test]
    fn every_pair_of_known_texts_is_found_exactly_when_a_scan_finds_it() {
        // The simple rule: the event whose source id and name equal the
        // pair, by a scan of every event. Pairs: every source id (and a few
        // others) with every event name of any source, whole and cut.
        let catalogue = Catalogue::builtin();
        let lookup = &catalogue.index.lookup;
        let scan = |source: &str, name: &str| {
            catalogue
                .sources()
                .iter()
                .enumerate()
                .find(|(_, known)| known.id == source)
                .and_then(|(at, known)| {
                    let index = known.events.iter().position(|event| event.name == name)?;
                    Some((at as u32, index as u32))
                })
        };
        let mut sources: Vec<&str> = catalogue.sources().iter().map(|s| s.id.as_str()).collect();
        sources.extend([
            "",
            "a",
            "inplayer",
            "inplayer-notifications-",
            "orangepill-strea",
        ]);
        let mut names: Vec<String> = Vec::new();
        for source in catalogue.sources() {
            for event in &source.events {
                let name = &event.name;
                names.push(name.clone());
                names.push(format!("{name}x"));
                for cut in [1, 7, 8, 9, 16, 17] {
                    if let Some(prefix) = name.get(..name.len().saturating_sub(cut)) {
                        names.push(prefix.to_owned());
                    }
                }
            }
        }
        let mut found = 0;
        for source in &sources {
            for name in &names {
                let by_table = lookup.event(source, name).map(|entry| entry.slot);
                assert_eq!(by_table, scan(source, name), "{source:?} {name:?}");
                found += usize::from(by_table.is_some());
            }
        }
        assert!(found >= 97, "{found}");
    }

    #[test]
    fn events_displaced_by_a_collision_are_found_by_probing_on() {
        let catalogue = Catalogue::builtin();
        let lookup = &catalogue.index.lookup;
        let mut displaced = 0;
        for source in catalogue.sources() {
            for event in &source.events {
                let key = pair_key(Wanted::new(&source.id), Wanted::new(&event.name));
                let home = (key.wrapping_mul(MULTIPLIER) >> lookup.shift) as usize;
                let entry = lookup.event(&source.id, &event.name).unwrap();
                assert_eq!(entry.name(), event.name);
                let position = lookup.entries.iter().position(|e| std::ptr::eq(e, entry));
                if lookup.table[home] as usize != position.unwrap() {
                    displaced += 1;
                }
            }
        }
        // 97 events in 512 places: some share a home place (the table is
        // fixed, so this count is too); each of those was found above.
        assert!(displaced > 0, "no event was displaced: probing untested");
        assert!(lookup.event("orangepill-stream", "no.such.event").is_none());
    }

    #[test]
    fn every_field_and_enum_table_of_the_builtin_catalogue_is_a_perfect_hash() {
        let mut tables = 0;
        for node in &Catalogue::builtin().program().nodes {
            let table = match node {
                Node::Object(object) => &object.fields,
                Node::String(string) => &string.values,
                _ => continue,
            };
            tables += 1;
            let names: Vec<String> = table
                .names()
                .iter()
                .map(|name| String::from_utf8_lossy(name.as_bytes()).into_owned())
                .collect();
            assert!(table.is_perfect(), "no perfect hash for {names:?}");
        }
        assert!(tables > 50, "{tables} tables");
    }
}
