//! `herald catalogue` and `herald export`: reading the built-in catalogue.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use herald_core::catalogue::{EventDef, Resolved};
use herald_core::{Catalogue, export};
use serde::Serialize;

use crate::output::{self, Outcome, print_json, usage};
use crate::suggest::{closest, did_you_mean};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct CatalogueArgs {
    #[command(subcommand)]
    action: Option<CatalogueAction>,
    /// Only list the events of this source (e.g. `orangepill-stream`).
    #[arg(long, value_name = "ID")]
    source: Option<String>,
    /// Print a JSON array instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum CatalogueAction {
    /// Show one event; templated names such as `sms.message.sent` resolve.
    Show {
        /// Source id, e.g. `inplayer-webhooks`.
        source: String,
        /// Event name, e.g. `asset.access.granted`.
        name: String,
        /// Print the event as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    #[command(subcommand)]
    what: ExportWhat,
}

#[derive(Debug, Subcommand)]
enum ExportWhat {
    /// The built-in catalogue document (format herald-catalogue/1).
    Catalogue,
    /// The JSON Schema (draft 2020-12) of one event's payload.
    JsonSchema {
        /// Source id, e.g. `inplayer-webhooks`.
        source: String,
        /// Event name; templated names resolve.
        name: String,
    },
    /// The AsyncAPI 3.0 document of one source.
    Asyncapi {
        /// Source id, e.g. `orangepill-stream`.
        source: String,
    },
}

/// One row of `herald catalogue --json`.
#[derive(Serialize)]
struct EventRow<'a> {
    source: &'a str,
    name: &'a str,
    category: &'a str,
    description: &'a str,
    flags: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    template: Option<&'a herald_core::catalogue::Template>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    aliases: &'a Vec<herald_core::catalogue::EventRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deprecated: Option<&'a herald_core::catalogue::Deprecation>,
}

impl<'a> EventRow<'a> {
    fn new(event: &'a EventDef) -> Self {
        EventRow {
            source: &event.source,
            name: &event.name,
            category: &event.category,
            description: &event.description,
            flags: event.flags.iter().map(|&flag| flag.into()).collect(),
            template: event.template.as_ref(),
            aliases: &event.aliases,
            deprecated: event.deprecated.as_ref(),
        }
    }
}

pub(crate) fn run(args: &CatalogueArgs) -> Outcome {
    let catalogue = Catalogue::builtin();
    match &args.action {
        Some(CatalogueAction::Show { source, name, json }) => show(catalogue, source, name, *json),
        None => list(catalogue, args.source.as_deref(), args.json),
    }
}

pub(crate) fn run_export(args: &ExportArgs) -> Outcome {
    let catalogue = Catalogue::builtin();
    let document = match &args.what {
        ExportWhat::Catalogue => {
            io::stdout()
                .lock()
                .write_all(catalogue.to_json().as_bytes())?;
            return Ok(ExitCode::SUCCESS);
        }
        ExportWhat::JsonSchema { source, name } => {
            resolve_event(catalogue, source, name)?;
            export::json_schema(catalogue, source, name)
        }
        ExportWhat::Asyncapi { source } => {
            known_source(catalogue, source)?;
            export::asyncapi(catalogue, source)
        }
    };
    let document = document.map_err(|error| usage(error.to_string()))?;
    print_json(&mut io::stdout().lock(), &document)?;
    Ok(ExitCode::SUCCESS)
}

/// Checks a source id against the catalogue, listing the known ones on failure.
pub(crate) fn known_source(catalogue: &Catalogue, source: &str) -> Result<(), output::Failure> {
    if catalogue.source(source).is_some() {
        return Ok(());
    }
    let known: Vec<&str> = catalogue.sources().iter().map(|s| s.id.as_str()).collect();
    let list = known.join(", ");
    Err(usage(match closest(source, known.iter().copied()) {
        Some(near) => {
            format!("unknown source {source:?}; did you mean {near:?}? (known sources: {list})")
        }
        None => format!("unknown source {source:?}; known sources: {list}"),
    }))
}

/// Every name an event answers to: its own, or for a template each name it
/// documents (`{channel}.message.sent` gives `sms.message.sent`, …).
pub(crate) fn spelled_names(event: &EventDef) -> Vec<String> {
    match &event.template {
        None => vec![event.name.clone()],
        Some(template) => {
            let placeholder = format!("{{{}}}", template.parameter);
            template
                .known_values
                .iter()
                .map(|value| event.name.replace(&placeholder, value))
                .collect()
        }
    }
}

/// Resolves (source, name), with a usage error naming what is unknown.
pub(crate) fn resolve_event<'c, 'n>(
    catalogue: &'c Catalogue,
    source: &str,
    name: &'n str,
) -> Result<Resolved<'c, 'n>, output::Failure> {
    known_source(catalogue, source)?;
    catalogue.resolve(source, name).ok_or_else(|| {
        let elsewhere: Vec<&str> = catalogue
            .find(name)
            .map(|r| r.event.source.as_str())
            .collect();
        let hint = if elsewhere.is_empty() {
            let names: Vec<String> = catalogue
                .events_in(source)
                .flat_map(spelled_names)
                .collect();
            did_you_mean(name, names.iter().map(String::as_str))
        } else {
            format!(" (it exists in: {})", elsewhere.join(", "))
        };
        usage(format!("unknown event {name:?} in source {source:?}{hint}"))
    })
}

fn list(catalogue: &Catalogue, source: Option<&str>, json: bool) -> Outcome {
    if let Some(source) = source {
        known_source(catalogue, source)?;
    }
    let events: Vec<&EventDef> = match source {
        Some(source) => catalogue.events_in(source).collect(),
        None => catalogue.events().collect(),
    };
    let mut out = io::stdout().lock();
    if json {
        let rows: Vec<EventRow<'_>> = events.into_iter().map(EventRow::new).collect();
        print_json(&mut out, &rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    let width = |column: fn(&EventDef) -> &str, title: &str| {
        events
            .iter()
            .map(|e| column(e).chars().count())
            .max()
            .unwrap_or(0)
            .max(title.len())
    };
    let source_width = width(|e| &e.source, "SOURCE");
    let name_width = width(|e| &e.name, "NAME");
    let category_width = width(|e| &e.category, "CATEGORY");
    writeln!(
        out,
        "{:source_width$}  {:name_width$}  {:category_width$}  DESCRIPTION",
        "SOURCE", "NAME", "CATEGORY"
    )?;
    for event in &events {
        let marks = flag_marks(event);
        writeln!(
            out,
            "{:source_width$}  {:name_width$}  {:category_width$}  {}{marks}",
            event.source, event.name, event.category, event.description
        )?;
    }
    // The count is for people; in a pipe it would read as one more row.
    drop(out);
    writeln!(io::stderr(), "{} events", events.len())?;
    Ok(ExitCode::SUCCESS)
}

fn flag_marks(event: &EventDef) -> String {
    event
        .flags
        .iter()
        .map(|&flag| format!(" [{}]", <&'static str>::from(flag)))
        .collect()
}

fn show(catalogue: &Catalogue, source: &str, name: &str, json: bool) -> Outcome {
    let resolved = resolve_event(catalogue, source, name)?;
    let event = resolved.event;
    let mut out = io::stdout().lock();
    if json {
        #[derive(Serialize)]
        struct Shown<'a> {
            #[serde(flatten)]
            row: EventRow<'a>,
            #[serde(skip_serializing_if = "Option::is_none")]
            binding: Option<(&'a str, &'a str)>,
            #[serde(skip_serializing_if = "Option::is_none")]
            schema: Option<&'a herald_core::schema::Schema>,
            examples: &'a [serde_json::Value],
        }
        let shown = Shown {
            row: EventRow::new(event),
            binding: resolved.binding.map(|b| (b.parameter, b.value)),
            schema: event.schema.as_ref(),
            examples: &event.examples,
        };
        print_json(&mut out, &shown)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "source:      {}", event.source)?;
    writeln!(out, "name:        {}", event.name)?;
    if let Some(binding) = resolved.binding {
        writeln!(
            out,
            "resolved:    {name} ({} = {})",
            binding.parameter, binding.value
        )?;
    }
    writeln!(out, "category:    {}", event.category)?;
    writeln!(out, "description: {}", event.description)?;
    if !event.flags.is_empty() {
        let flags: Vec<&str> = event.flags.iter().map(|&flag| flag.into()).collect();
        writeln!(out, "flags:       {}", flags.join(", "))?;
    }
    if let Some(template) = &event.template {
        let openness = if template.open {
            ", others accepted"
        } else {
            ""
        };
        writeln!(
            out,
            "template:    {{{}}} in {}{openness}",
            template.parameter,
            template.known_values.join(", ")
        )?;
    }
    for alias in catalogue.aliases_of(event) {
        writeln!(out, "alias:       {} {}", alias.source, alias.name)?;
    }
    if let Some(deprecated) = &event.deprecated {
        writeln!(out, "deprecated:  {}", deprecated.note)?;
    }
    writeln!(
        out,
        "schema:      {}",
        if event.schema.is_some() {
            "yes"
        } else {
            "none"
        }
    )?;
    writeln!(out, "examples:    {}", event.examples.len())?;
    Ok(ExitCode::SUCCESS)
}
