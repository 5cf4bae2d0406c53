//! The catalogue document format: reading, checking and writing it.
//!
//! Loading is strict. Every problem is reported with where it is: serde_json's
//! line and column for shape errors, a document path such as
//! `sources[2].events[14] (orangepill-stream identity.deleted)` for
//! consistency errors.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use super::CatalogueError;
use super::{Catalogue, EventDef, EventRef, Index, Slot, SourceDef};
use crate::json::ExpectedString;
use crate::limits::Limits;
use crate::schema::{self, Schema};
use crate::topic::{Syntax, tokenize};
use crate::validate::program::Program;

/// The format id this build reads and writes, in the document's `format` field.
pub const FORMAT: &str = "herald-catalogue/1";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    format: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    schemas: BTreeMap<String, Schema>,
    sources: Vec<SourceDef>,
}

#[derive(Serialize)]
struct DocumentRef<'a> {
    format: &'static str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    schemas: &'a BTreeMap<String, Schema>,
    sources: &'a [SourceDef],
}

/// Only the version field, read before anything else so that a document of a
/// newer format is reported as such rather than as a pile of unknown fields.
#[derive(Deserialize)]
struct FormatOnly {
    format: Option<serde_json::Value>,
}

pub(super) fn load(bytes: &[u8]) -> Result<Catalogue, CatalogueError> {
    let header: FormatOnly = serde_json::from_slice(bytes).map_err(shape_error)?;
    match header.format {
        Some(serde_json::Value::String(format)) if format == FORMAT => {}
        Some(other) => {
            let found = match other {
                serde_json::Value::String(text) => text,
                value => value.to_string(),
            };
            return Err(CatalogueError::UnknownFormat {
                found,
                expected: FORMAT,
            });
        }
        None => {
            return Err(CatalogueError::Malformed {
                line: 1,
                column: 1,
                message: format!("missing field `format` (expected {FORMAT:?})"),
            });
        }
    }
    let document: Document = serde_json::from_slice(bytes).map_err(shape_error)?;
    build(document.sources, document.schemas)
}

pub(super) fn store(catalogue: &Catalogue) -> String {
    let document = DocumentRef {
        format: FORMAT,
        schemas: &catalogue.schemas,
        sources: &catalogue.sources,
    };
    // Serialising plain data with string keys cannot fail.
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn shape_error(error: serde_json::Error) -> CatalogueError {
    let (line, column) = (error.line(), error.column());
    let full = error.to_string();
    let suffix = format!(" at line {line} column {column}");
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
    if message.starts_with("unknown field") || message.starts_with("unknown variant") {
        CatalogueError::UnknownField {
            line,
            column,
            message,
        }
    } else {
        CatalogueError::Malformed {
            line,
            column,
            message,
        }
    }
}

fn build(
    mut sources: Vec<SourceDef>,
    schemas: BTreeMap<String, Schema>,
) -> Result<Catalogue, CatalogueError> {
    let limits = Limits::default();
    let mut index = Index::default();
    let mut categories = BTreeSet::new();

    for (name, schema) in &schemas {
        schema::check(schema, &schemas)
            .map_err(|problem| invalid_schema(format!("schemas.{name}"), problem))?;
    }

    for (source_index, source) in sources.iter_mut().enumerate() {
        let at = format!("sources[{source_index}]");
        if let Some(reason) = tokenize(&source.id, Syntax::Topic, &limits).find_map(Result::err) {
            return Err(CatalogueError::InvalidSourceId {
                at,
                id: source.id.clone(),
                reason,
            });
        }
        for (field, text) in [
            ("vendor", &source.vendor),
            ("title", &source.title),
            ("transport", &source.transport),
            ("description", &source.description),
        ] {
            require_text(&at, field, text)?;
        }
        let source_slot = u32::try_from(source_index).unwrap_or(u32::MAX);
        if index
            .source_by_id
            .insert(source.id.as_str().into(), source_slot)
            .is_some()
        {
            return Err(CatalogueError::DuplicateSource {
                at,
                id: source.id.clone(),
            });
        }
        for (event_index, event) in source.events.iter_mut().enumerate() {
            event.source.clone_from(&source.id);
            let at = format!("{at}.events[{event_index}] ({} {})", source.id, event.name);
            let slot = (source_slot, u32::try_from(event_index).unwrap_or(u32::MAX));
            check_event(event, &at, &limits, &schemas)?;
            let slots = index.by_name.entry(event.name.as_str().into()).or_default();
            // Sources are read one after another, so an earlier event of this
            // source with the same name is the last slot pushed: one check,
            // not a scan of every source sharing the name.
            if slots.last().is_some_and(|other| other.0 == source_slot) {
                return Err(CatalogueError::DuplicateEvent {
                    at,
                    source_id: source.id.clone(),
                    name: event.name.clone(),
                });
            }
            slots.push(slot);
            if let Some(placeholder) = placeholder_segment(event) {
                index.templates.push((slot, placeholder));
            }
            categories.insert(event.category.as_str());
        }
    }
    index.categories = categories.into_iter().map(Into::into).collect();

    let aliases = link_references(&sources, &index)?;
    index.aliases = aliases;
    index.lookup = super::lookup::Lookup::new(&sources);
    let mut program = Program::with_named(&schemas);
    let roots = sources
        .iter()
        .map(|source| {
            source
                .events
                .iter()
                .map(|event| {
                    event
                        .schema
                        .as_ref()
                        .map(|schema| program.add(schema, &schemas))
                })
                .collect()
        })
        .collect();
    program.link_members();
    let expected_names = sources
        .iter()
        .map(|source| {
            source
                .events
                .iter()
                .map(|event| ExpectedString::new(&event.name))
                .collect()
        })
        .collect();
    let catalogue = Catalogue {
        sources,
        schemas,
        index,
        program,
        roots,
        expected_names,
    };
    check_examples(&catalogue)?;
    Ok(catalogue)
}

/// Every example must validate against its event's schema, as the format
/// says: a catalogue whose own examples fail would teach its readers wrong
/// payloads. Warnings (an undocumented enum value under `warn`) are allowed.
fn check_examples(catalogue: &Catalogue) -> Result<(), CatalogueError> {
    for (source_index, source) in catalogue.sources.iter().enumerate() {
        for (event_index, event) in source.events.iter().enumerate() {
            if event.examples.is_empty() || event.schema.is_none() {
                continue;
            }
            let Ok(validator) = catalogue.validator(&source.id, &event.name) else {
                continue;
            };
            for (index, example) in event.examples.iter().enumerate() {
                // A `serde_json::Value` always serialises.
                let payload = serde_json::to_vec(example).unwrap_or_default();
                let report = validator.validate(&payload);
                if let Some(issue) = report.errors.first() {
                    return Err(CatalogueError::InvalidExample {
                        at: format!(
                            "sources[{source_index}].events[{event_index}] ({} {}).examples[{index}]",
                            source.id, event.name
                        ),
                        index,
                        issue: issue.code.as_str(),
                        pointer: issue.pointer.clone(),
                        message: issue.message.clone(),
                    });
                }
            }
        }
    }
    Ok(())
}

fn require_text(at: &str, field: &'static str, text: &str) -> Result<(), CatalogueError> {
    if text.trim().is_empty() {
        return Err(CatalogueError::EmptyText {
            at: at.to_owned(),
            field,
        });
    }
    Ok(())
}

fn check_event(
    event: &EventDef,
    at: &str,
    limits: &Limits,
    schemas: &BTreeMap<String, Schema>,
) -> Result<(), CatalogueError> {
    if let Some(reason) = tokenize(&event.name, Syntax::Topic, limits).find_map(Result::err) {
        return Err(CatalogueError::InvalidEventName {
            at: at.to_owned(),
            name: event.name.clone(),
            reason,
        });
    }
    require_text(at, "category", &event.category)?;
    require_text(at, "description", &event.description)?;
    check_template(event, at)?;
    if let Some(schema) = &event.schema {
        schema::check(schema, schemas)
            .map_err(|problem| invalid_schema(format!("{at}.schema"), problem))?;
    }
    Ok(())
}

fn invalid_schema(at: String, problem: schema::SchemaProblem) -> CatalogueError {
    let at = if problem.path.is_empty() {
        at
    } else {
        format!("{at}{}", problem.path)
    };
    CatalogueError::InvalidSchema {
        at,
        reason: problem.reason,
    }
}

/// Index of the segment written `{…}`, if any.
fn placeholder_segment(event: &EventDef) -> Option<usize> {
    event
        .name
        .split('.')
        .position(|segment| segment.starts_with('{') && segment.ends_with('}'))
}

fn check_template(event: &EventDef, at: &str) -> Result<(), CatalogueError> {
    let placeholders: Vec<&str> = event
        .name
        .split('.')
        .filter(|segment| segment.contains('{') || segment.contains('}'))
        .collect();
    let invalid = |reason: String| CatalogueError::InvalidTemplate {
        at: at.to_owned(),
        reason,
    };
    match (&event.template, placeholders.as_slice()) {
        (None, []) => Ok(()),
        (None, [segment, ..]) => Err(invalid(format!(
            "the name has the placeholder segment {segment:?} but the event declares no template"
        ))),
        (Some(template), []) => Err(invalid(format!(
            "template parameter {:?} has no `{{{}}}` segment in the name",
            template.parameter, template.parameter
        ))),
        (Some(template), [segment]) => {
            let expected = format!("{{{}}}", template.parameter);
            if *segment != expected {
                return Err(invalid(format!(
                    "template parameter {:?} does not match the name's placeholder {segment:?}",
                    template.parameter
                )));
            }
            if template.parameter.is_empty() {
                return Err(invalid("the template parameter name is empty".to_owned()));
            }
            if template.known_values.is_empty() && !template.open {
                return Err(invalid(
                    "a closed template needs at least one known value".to_owned(),
                ));
            }
            for value in &template.known_values {
                if value.is_empty() || value.contains(['.', '{', '}']) {
                    return Err(invalid(format!(
                        "known value {value:?} of {:?} is not a single plain segment",
                        template.parameter
                    )));
                }
            }
            Ok(())
        }
        (Some(_), [_, second, ..]) => Err(invalid(format!(
            "only one placeholder segment is supported; found a second one, {second:?}"
        ))),
    }
}

/// Resolves aliases and replacements, and builds the symmetric alias index.
fn link_references(
    sources: &[SourceDef],
    index: &Index,
) -> Result<HashMap<Slot, SmallVec<[Slot; 2]>>, CatalogueError> {
    let find = |reference: &EventRef| -> Option<Slot> {
        let source = *index.source_by_id.get(reference.source.as_str())?;
        index
            .by_name
            .get(reference.name.as_str())?
            .iter()
            .copied()
            .find(|slot| slot.0 == source)
    };
    let dangling = |at: String, field, reference: &EventRef| CatalogueError::DanglingReference {
        at,
        field,
        target_source: reference.source.clone(),
        target_name: reference.name.clone(),
    };
    let mut aliases: HashMap<Slot, SmallVec<[Slot; 2]>> = HashMap::new();
    let mut linked: HashSet<(Slot, Slot)> = HashSet::new();
    for (source_index, source) in sources.iter().enumerate() {
        for (event_index, event) in source.events.iter().enumerate() {
            let at = || {
                format!(
                    "sources[{source_index}].events[{event_index}] ({} {})",
                    source.id, event.name
                )
            };
            let here = (source_index as u32, event_index as u32);
            for reference in &event.aliases {
                let there = find(reference).ok_or_else(|| dangling(at(), "aliases", reference))?;
                if there == here {
                    return Err(CatalogueError::SelfAlias { at: at() });
                }
                for (from, to) in [(here, there), (there, here)] {
                    // A set of the pairs seen keeps the check O(1): scanning
                    // the list would cost the square of an event's aliases.
                    if linked.insert((from, to)) {
                        aliases.entry(from).or_default().push(to);
                    }
                }
            }
            if let Some(replacement) = event
                .deprecated
                .as_ref()
                .and_then(|d| d.replaced_by.as_ref())
            {
                find(replacement)
                    .ok_or_else(|| dangling(at(), "deprecated.replaced_by", replacement))?;
            }
        }
    }
    Ok(aliases)
}
