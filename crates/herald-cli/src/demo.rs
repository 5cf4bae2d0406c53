//! `herald demo`: the main job end to end on built-in data.

use std::io::{self, Write};
use std::process::ExitCode;

use herald_core::Catalogue;

use crate::output::Outcome;

pub(crate) fn run() -> Outcome {
    let mut out = io::stdout().lock();
    let catalogue = Catalogue::builtin();
    writeln!(
        out,
        "== catalogue: {} events from {} sources",
        catalogue.len(),
        catalogue.sources().len()
    )?;
    for source in catalogue.sources() {
        let templates = source
            .events
            .iter()
            .filter(|e| e.template.is_some())
            .count();
        let mut categories: Vec<&str> = source.events.iter().map(|e| e.category.as_str()).collect();
        categories.sort_unstable();
        categories.dedup();
        writeln!(
            out,
            "  {:<24} {:>3} events ({} templated)  {}: {}",
            source.id,
            source.events.len(),
            templates,
            source.vendor,
            categories.join(", ")
        )?;
    }
    let mut shared: Vec<&str> = catalogue
        .events()
        .filter(|event| catalogue.find(&event.name).count() > 1)
        .map(|event| event.name.as_str())
        .collect();
    shared.sort_unstable();
    shared.dedup();
    writeln!(
        out,
        "  names used by more than one source: {}",
        shared.join(", ")
    )?;
    for name in ["sms.message.sent", "telegram.message.failed"] {
        if let Some(resolved) = catalogue.resolve("orangepill-stream", name) {
            writeln!(
                out,
                "  {name} -> {} {}",
                resolved.event.source, resolved.event.name
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
