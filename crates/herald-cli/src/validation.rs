//! `herald validate`: check payloads against the built-in catalogue.
//!
//! One payload from a file or stdin, or a stream of newline-delimited
//! payloads with `--ndjson`. Exit 0 when every payload is valid (warnings
//! allowed), 1 when one is not, 2 for an unknown event or unreadable input.

use std::io::{self, BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use herald_core::validate::Validator;
use herald_core::{Catalogue, Issue, IssueCode, Limits, ValidationReport};
use serde::Serialize;

use crate::catalogue::resolve_event;
use crate::input::{Input, read_line_bounded};
use crate::output::{Outcome, print_json_line, usage};
use crate::progress::ProgressReader;

#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// Source id, e.g. `accelbyte-wallet`.
    source: String,
    /// Event name, e.g. `walletBalanceChanged`; templated names resolve.
    name: String,
    /// The payload file; `-` or nothing reads stdin.
    file: Option<PathBuf>,
    /// Print `{"ok", "errors", "warnings"}` JSON instead of lines.
    #[arg(long)]
    json: bool,
    /// Read one payload per line and finish with a summary.
    #[arg(long)]
    ndjson: bool,
}

/// One issue in `--json` output.
#[derive(Serialize)]
struct IssueRow<'a> {
    code: &'static str,
    pointer: &'a str,
    message: &'a str,
}

/// A report in `--json` output.
#[derive(Serialize)]
pub(crate) struct ReportRow<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    ok: bool,
    errors: Vec<IssueRow<'a>>,
    warnings: Vec<IssueRow<'a>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    truncated: bool,
}

impl<'a> ReportRow<'a> {
    pub(crate) fn new(report: &'a ValidationReport, line: Option<u64>) -> Self {
        let rows = |issues: &'a [Issue]| {
            issues
                .iter()
                .map(|issue| IssueRow {
                    code: issue.code.as_str(),
                    pointer: &issue.pointer,
                    message: &issue.message,
                })
                .collect()
        };
        ReportRow {
            line,
            ok: report.is_ok(),
            errors: rows(&report.errors),
            warnings: rows(&report.warnings),
            truncated: report.truncated,
        }
    }
}

/// Totals of an `--ndjson` run.
#[derive(Debug, Default, Serialize)]
struct Summary {
    payloads: u64,
    valid: u64,
    invalid: u64,
    with_warnings: u64,
}

pub(crate) fn run(args: &ValidateArgs) -> Outcome {
    let catalogue = Catalogue::builtin();
    resolve_event(catalogue, &args.source, &args.name)?;
    let validator = catalogue
        .validator(&args.source, &args.name)
        .map_err(|error| usage(error.to_string()))?;
    if args.ndjson {
        let input = Input::open(args.file.as_deref(), "payloads, one per line,")?;
        let name = input.name;
        let reader = ProgressReader::new(input.reader, input.size, "herald validate");
        stream(&validator, reader, &name, args.json)
    } else {
        let input = Input::open(args.file.as_deref(), "the payload")?;
        single(&validator, input, args.json)
    }
}

pub(crate) fn exit_for(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The most a payload may hold; the validator refuses more as `too_large`.
const MAX_PAYLOAD: usize = Limits::DEFAULT.max_payload_bytes;

/// Validates bytes read with a bound of [`MAX_PAYLOAD`]. When the read was
/// cut at the bound, the real size is unknown, so the `too_large` issue says
/// "more than" the limit rather than the count that was kept.
fn validate_bounded(validator: &Validator<'_>, bytes: &[u8], what: &str) -> ValidationReport {
    let mut report = validator.validate(bytes);
    if bytes.len() > MAX_PAYLOAD {
        for issue in &mut report.errors {
            if issue.code == IssueCode::TooLarge {
                issue.message = format!("{what} is more than {MAX_PAYLOAD} bytes, the limit");
            }
        }
    }
    report
}

fn single(validator: &Validator<'_>, input: Input, json: bool) -> Outcome {
    let payload = input.read_bounded(MAX_PAYLOAD)?;
    let report = validate_bounded(validator, &payload, "the payload");
    let mut out = io::stdout().lock();
    if json {
        print_json_line(&mut out, &ReportRow::new(&report, None))?;
    } else {
        // Standard output holds exactly one line per issue; the verdict is
        // for people, on standard error.
        write_issues(&mut out, &report, "")?;
        let mut err = io::stderr().lock();
        if report.truncated {
            writeln!(err, "{TRUNCATED}")?;
        }
        writeln!(err, "{}", verdict(&report))?;
    }
    Ok(exit_for(report.is_ok()))
}

fn stream(validator: &Validator<'_>, mut input: impl BufRead, name: &str, json: bool) -> Outcome {
    let mut out = io::stdout().lock();
    let mut summary = Summary::default();
    let mut line = Vec::new();
    let mut number = 0u64;
    while read_line_bounded(&mut input, MAX_PAYLOAD, &mut line)
        .map_err(|error| usage(format!("cannot read {name}: {error}")))?
    {
        number += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let report = validate_bounded(validator, &line, "the line");
        summary.payloads += 1;
        if report.is_ok() {
            summary.valid += 1;
        } else {
            summary.invalid += 1;
        }
        if !report.warnings.is_empty() {
            summary.with_warnings += 1;
        }
        if json {
            print_json_line(&mut out, &ReportRow::new(&report, Some(number)))?;
        } else {
            write_report(&mut out, &report, &format!("line {number}: "))?;
        }
    }
    if json {
        print_json_line(&mut out, &serde_json::json!({ "summary": summary }))?;
    } else {
        writeln!(
            out,
            "{} payloads: {} valid, {} invalid, {} with warnings",
            summary.payloads, summary.valid, summary.invalid, summary.with_warnings
        )?;
    }
    Ok(exit_for(summary.invalid == 0))
}

/// [`write_issues`], then a line if the report stopped at its limit.
pub(crate) fn write_report(
    out: &mut impl Write,
    report: &ValidationReport,
    prefix: &str,
) -> io::Result<()> {
    write_issues(out, report, prefix)?;
    if report.truncated {
        writeln!(out, "{prefix}{TRUNCATED}")?;
    }
    Ok(())
}

/// One line per issue, `POINTER: CODE: MESSAGE`: the errors, then the
/// warnings, each list in document order; a warning's message ends with
/// ` (warning)`, so every line keeps the same three fields.
pub(crate) fn write_issues(
    out: &mut impl Write,
    report: &ValidationReport,
    prefix: &str,
) -> io::Result<()> {
    for issue in &report.errors {
        writeln!(
            out,
            "{prefix}{}: {}: {}",
            shown_pointer(issue),
            issue.code,
            issue.message
        )?;
    }
    for issue in &report.warnings {
        writeln!(
            out,
            "{prefix}{}: {}: {} (warning)",
            shown_pointer(issue),
            issue.code,
            issue.message
        )?;
    }
    Ok(())
}

/// How text output names the whole document: its JSON Pointer is the empty
/// string, which would leave a line starting with `: `. (`/` would be wrong:
/// it points at the key `""`.) JSON output keeps the pointer as it is.
const ROOT: &str = "(root)";

/// The issue's pointer for text output.
fn shown_pointer(issue: &Issue) -> &str {
    if issue.pointer.is_empty() {
        ROOT
    } else {
        &issue.pointer
    }
}

/// Said when a report stopped collecting at its limit.
const TRUNCATED: &str = "more issues were found than the report keeps";

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

pub(crate) fn verdict(report: &ValidationReport) -> String {
    match (report.errors.len(), report.warnings.len()) {
        (0, 0) => "valid".to_owned(),
        (0, warnings) => format!("valid, {}", plural(warnings, "warning")),
        (errors, 0) => format!("invalid: {}", plural(errors, "error")),
        (errors, warnings) => format!(
            "invalid: {}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        ),
    }
}
