//! The `(source, name)` lookup: perfect-hash tables of source ids and, per
//! source, of event names, built once when the catalogue loads.
//!
//! A lookup is two table probes — a multiplication, a load and a compare
//! each, plus a word-wise compare for names longer than eight bytes — with
//! no hashing of the whole text, no allocation and no probing, whatever the
//! names asked for. This module only finds positions; what a name means
//! (templates, aliases) is the catalogue's.

use super::{Slot, SourceDef};
use crate::validate::program::{NameTable, Probe};

/// Source ids and event names by position.
#[derive(Debug, Clone)]
pub(super) struct Lookup {
    sources: NameTable,
    /// Per source (by position), its events' names.
    events: Box<[NameTable]>,
}

impl Default for Lookup {
    fn default() -> Self {
        Lookup::new(&[])
    }
}

impl Lookup {
    /// The tables of `sources`, whose ids and (per source) event names are
    /// distinct.
    pub(super) fn new(sources: &[SourceDef]) -> Lookup {
        Lookup {
            sources: NameTable::new(sources.iter().map(|source| source.id.as_bytes())),
            events: sources
                .iter()
                .map(|source| {
                    NameTable::new(source.events.iter().map(|event| event.name.as_bytes()))
                })
                .collect(),
        }
    }

    /// The position of the source `id`.
    #[inline(always)]
    pub(super) fn source(&self, id: &str) -> Option<u32> {
        let position = self.sources.find(Probe::new(id.as_bytes()))?;
        u32::try_from(position).ok()
    }

    /// The slot of the event exactly called `name` in the source at `source`.
    #[inline(always)]
    pub(super) fn event(&self, source: u32, name: &str) -> Option<Slot> {
        let position = self
            .events
            .get(source as usize)?
            .find(Probe::new(name.as_bytes()))?;
        Some((source, u32::try_from(position).ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use crate::validate::program::Node;

    #[test]
    fn the_builtin_names_take_the_perfect_hash() {
        let catalogue = Catalogue::builtin();
        let lookup = Lookup::new(catalogue.sources());
        assert!(lookup.sources.is_perfect());
        for (position, source) in catalogue.sources().iter().enumerate() {
            let names: Vec<&str> = source
                .events
                .iter()
                .map(|event| event.name.as_str())
                .collect();
            assert!(
                lookup.events[position].is_perfect(),
                "{}: {names:?}",
                source.id
            );
            let at = lookup.source(&source.id).unwrap();
            for (index, name) in names.iter().enumerate() {
                assert_eq!(lookup.event(at, name), Some((at, index as u32)));
            }
            assert_eq!(lookup.event(at, "no.such.event"), None);
        }
        assert_eq!(lookup.source("no-such-source"), None);
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
