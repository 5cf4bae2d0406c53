//! `herald decode` and `herald encode`: vendor wire messages to normalised
//! events and back.
//!
//! `decode` prints the event and its validation; it exits 0 when the
//! payload is valid (warnings allowed), 1 when it is not, 2 when the input
//! cannot be decoded (the reason on stderr). `encode` reads the document
//! `decode --json` prints (or the event alone) and writes the wire bytes
//! exactly, with no line end added; it exits 2 when the event cannot be
//! encoded.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use herald_core::wire::{self, DecodeOptions, Decoded, Event, RepeatedKeyPolicy, WireFormat};
use herald_core::{Catalogue, Limits};

use crate::input::Input;
use crate::output::{Failure, Outcome, usage};
use crate::validation::{ReportRow, exit_for, verdict, write_report};

#[derive(Debug, Args)]
pub(crate) struct DecodeArgs {
    /// The wire format.
    #[arg(long, value_parser = format_parser())]
    format: WireFormat,
    /// The wire message; `-` or nothing reads stdin. A webhook body may end
    /// with one line break (as files do); it is not part of the body.
    file: Option<PathBuf>,
    /// Print `{"event": …, "validation": {"ok", "errors", "warnings"}}` on
    /// one line instead of text.
    #[arg(long)]
    json: bool,
    /// What a repeated form key does (webhooks).
    #[arg(long, default_value = "last-wins", value_parser = policy_parser())]
    repeated_keys: RepeatedKeyPolicy,
}

#[derive(Debug, Args)]
pub(crate) struct EncodeArgs {
    /// The wire format to write; it must be the event's.
    #[arg(long, value_parser = format_parser())]
    format: WireFormat,
    /// The normalised event as `decode --json` prints it (or the event
    /// alone); `-` or nothing reads stdin.
    file: Option<PathBuf>,
}

/// Parses a format id, listing the ids in help and errors.
fn format_parser() -> impl TypedValueParser<Value = WireFormat> {
    PossibleValuesParser::new(WireFormat::ALL.map(WireFormat::id))
        .try_map(|id| id.parse::<WireFormat>())
}

/// Parses a repeated-key policy id, listing the ids in help and errors.
fn policy_parser() -> impl TypedValueParser<Value = RepeatedKeyPolicy> {
    PossibleValuesParser::new(RepeatedKeyPolicy::ALL.map(RepeatedKeyPolicy::id))
        .try_map(|id| id.parse::<RepeatedKeyPolicy>())
}

/// The largest message `decode` accepts; the decoders refuse more as `too_large`.
const MAX_WIRE: usize = Limits::DEFAULT.max_payload_bytes;

/// The most `encode` reads: an event document holds one payload (escaped or
/// in base64) and a small envelope.
const MAX_DOCUMENT: usize = 2 * Limits::DEFAULT.max_payload_bytes;

/// Reads the input, at most one byte past `limit`.
fn read_input(file: Option<&PathBuf>, what: &str, limit: usize) -> Result<Vec<u8>, Failure> {
    Input::open(file.map(PathBuf::as_path), what)?.read_bounded(limit)
}

/// Drops the line break a file or `echo` adds after a form body: an HTTP
/// body never ends with one, and in a form it would join the last value.
fn without_final_line_break(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
    }
    bytes
}

pub(crate) fn run_decode(args: &DecodeArgs) -> Outcome {
    // Room for a body of the limit plus the `\r\n` a file may add after it.
    let mut bytes = read_input(args.file.as_ref(), "the wire message", MAX_WIRE + 2)?;
    if args.format == WireFormat::InplayerWebhook {
        bytes = without_final_line_break(bytes);
    }
    if bytes.len() > MAX_WIRE {
        // The read stopped past the limit, so the real size is unknown.
        return Err(usage(format!(
            "cannot decode as {}: the message is more than {MAX_WIRE} bytes, the limit (too_large)",
            args.format
        )));
    }
    let options = DecodeOptions {
        repeated_keys: args.repeated_keys,
        ..DecodeOptions::default()
    };
    let decoded = wire::decode_with(args.format, Catalogue::builtin(), &bytes, &options).map_err(
        |error| {
            usage(format!(
                "cannot decode as {}: {error} ({})",
                args.format,
                error.code()
            ))
        },
    )?;
    let mut out = io::stdout().lock();
    if args.json {
        print_decoded_json(&mut out, &decoded)?;
    } else {
        print_decoded(&mut out, &decoded)?;
    }
    Ok(exit_for(decoded.report.is_ok()))
}

fn print_decoded_json(out: &mut impl Write, decoded: &Decoded<'_>) -> io::Result<()> {
    let validation = serde_json::to_string(&ReportRow::new(&decoded.report, None))?;
    // The event document embeds the payload's own bytes, so it is written
    // as text rather than through a JSON value (which would reorder keys
    // and reformat numbers).
    writeln!(
        out,
        "{{\"event\":{},\"validation\":{validation}}}",
        decoded.event.to_json()
    )
}

fn print_decoded(out: &mut impl Write, decoded: &Decoded<'_>) -> io::Result<()> {
    let event = &decoded.event;
    writeln!(out, "format:    {}", event.format)?;
    writeln!(out, "source:    {}", event.source())?;
    writeln!(out, "name:      {}", event.name)?;
    if let Some(template) = &event.template {
        writeln!(
            out,
            "template:  {} with {} = {}",
            template.template, template.parameter, template.value
        )?;
    }
    if let Some(id) = &event.id {
        writeln!(out, "id:        {id}")?;
    }
    if let Some(timestamp) = &event.timestamp {
        writeln!(out, "timestamp: {}", timestamp.to_json())?;
    }
    if let wire::Envelope::Lobby(lobby) = &event.envelope {
        let mut lines = vec![format!("topic {}", lobby.topic)];
        lines.extend(lobby.from.as_ref().map(|from| format!("from {from}")));
        lines.extend(lobby.to.as_ref().map(|to| format!("to {to}")));
        lines.extend(
            lobby
                .sequence_id
                .as_ref()
                .map(|id| format!("sequenceID {id}")),
        );
        lines.extend(
            lobby
                .sequence_number
                .as_ref()
                .map(|number| format!("sequenceNumber {number}")),
        );
        let encoding: &str = lobby.payload_encoding.into();
        let framing: &str = lobby.framing.into();
        lines.push(format!("payload {encoding}, framing {framing}"));
        writeln!(out, "lobby:     {}", lines.join(", "))?;
    }
    match event.payload_str() {
        Some(text) => writeln!(out, "payload:   {}", text.trim_end())?,
        None => writeln!(out, "payload:   {} bytes, not UTF-8", event.payload.len())?,
    }
    write_report(out, &decoded.report, "")?;
    writeln!(out, "{}", verdict(&decoded.report))
}

pub(crate) fn run_encode(args: &EncodeArgs) -> Outcome {
    let bytes = read_input(args.file.as_ref(), "the event document", MAX_DOCUMENT)?;
    if bytes.len() > MAX_DOCUMENT {
        return Err(usage(format!(
            "the event document is more than {MAX_DOCUMENT} bytes, the limit"
        )));
    }
    let event = Event::from_json(&bytes).map_err(|error| usage(error.to_string()))?;
    if event.format != args.format {
        return Err(usage(format!(
            "the event is in the {} format, not {}",
            event.format, args.format
        )));
    }
    let encoded = wire::encode(&event).map_err(|error| {
        usage(format!(
            "cannot encode as {}: {error} ({})",
            args.format,
            error.code()
        ))
    })?;
    let mut out = io::stdout().lock();
    out.write_all(&encoded)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
