//! `herald verify` and `herald sign`: webhook signatures on the command line.
//!
//! `verify` checks a raw body (a file or stdin, byte for byte: no line end is
//! removed) against the headers given with `--header 'Name: value'`. It
//! exits 0 and prints `verified key=<index>` when a key matches, exits 1 and
//! prints the outcome code when the message is rejected, and exits 2 (the
//! reason on stderr) for bad usage, unreadable input or an invalid secret.
//! `sign` prints the header lines a sender adds to the same body.
//!
//! Keys are numbered from 0: the `--secret` values in the order given, then
//! the lines of `--secret-file` (one secret per line; a `\r\n` or `\n` line
//! end is not part of the secret, empty lines are skipped, nothing else is
//! interpreted, since a secret may start with any character).

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use herald_core::Limits;
use herald_core::signature::{self, KeySet, Message, Scheme, SignError, Tolerance};
use serde::Serialize;

use crate::input::read_bounded;
use crate::output::{Failure, Outcome, print_json_line, usage};

/// The secrets a key set is built from.
#[derive(Debug, Args)]
pub(crate) struct SecretArgs {
    /// A secret, as the scheme writes it (`whsec_…`, `whpk_…`, `whsk_…` for
    /// standard-webhooks; the bytes as given for the others). Repeat it to
    /// rotate: keys are numbered from 0 in the order given.
    #[arg(long = "secret", value_name = "SECRET")]
    secrets: Vec<String>,
    /// A file of secrets, one per line, numbered after the `--secret` values.
    #[arg(long, value_name = "FILE")]
    secret_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The signature scheme.
    #[arg(long, value_parser = scheme_parser())]
    scheme: Scheme,
    #[command(flatten)]
    secrets: SecretArgs,
    /// A request header, `Name: value` (repeat for each; names in any case).
    #[arg(long = "header", value_name = "Name: value")]
    headers: Vec<String>,
    /// The current time in unix seconds [default: the system clock].
    #[arg(long, value_name = "UNIX")]
    now: Option<String>,
    /// How many seconds the signed timestamp may be from now, or `none` to
    /// skip the check.
    #[arg(long, value_name = "SECONDS", default_value = "300")]
    tolerance: String,
    /// Print `{"ok":true,"key":N}` or `{"ok":false,"code":…,"message":…}`.
    #[arg(long)]
    json: bool,
    /// The raw body; `-` or nothing reads stdin.
    file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct SignArgs {
    /// The signature scheme.
    #[arg(long, value_parser = scheme_parser())]
    scheme: Scheme,
    #[command(flatten)]
    secrets: SecretArgs,
    /// The message id (standard-webhooks needs one).
    #[arg(long, value_name = "ID")]
    id: Option<String>,
    /// The timestamp to sign, unix seconds [default: the system clock for
    /// standard-webhooks and stripe; orangepill signs one only when given].
    #[arg(long, value_name = "UNIX")]
    timestamp: Option<String>,
    /// The raw body; `-` or nothing reads stdin.
    file: Option<PathBuf>,
}

/// Parses a scheme id, listing the ids in help and errors.
fn scheme_parser() -> impl TypedValueParser<Value = Scheme> {
    PossibleValuesParser::new(Scheme::ALL.map(Scheme::id)).try_map(|id| id.parse::<Scheme>())
}

/// The most a body may hold: the decoders refuse anything larger anyway.
const MAX_BODY: usize = Limits::DEFAULT.max_payload_bytes;

/// The most a secret file may hold.
const MAX_SECRET_FILE: usize = 64 * 1024;

/// `--json` output of `verify`.
#[derive(Serialize)]
#[serde(untagged)]
enum VerdictRow<'a> {
    Verified {
        ok: bool,
        key: usize,
    },
    Rejected {
        ok: bool,
        code: &'a str,
        message: String,
    },
}

pub(crate) fn run_verify(args: &VerifyArgs) -> Outcome {
    let keys = key_set(args.scheme, &args.secrets)?;
    let headers = args
        .headers
        .iter()
        .map(|header| parse_header(header))
        .collect::<Result<Vec<_>, _>>()?;
    let now = match &args.now {
        Some(text) => unix_seconds("--now", text)?,
        None => system_now()?,
    };
    let tolerance = parse_tolerance(&args.tolerance)?;
    let body = read_body(args.file.as_deref())?;
    let verdict = signature::verify(&keys, &headers, &body, now, tolerance);
    let mut out = io::stdout().lock();
    match verdict {
        Ok(verified) => {
            if args.json {
                print_json_line(
                    &mut out,
                    &VerdictRow::Verified {
                        ok: true,
                        key: verified.key,
                    },
                )?;
            } else {
                writeln!(out, "verified key={}", verified.key)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(rejection) => {
            let code = rejection.code().as_str();
            if args.json {
                print_json_line(
                    &mut out,
                    &VerdictRow::Rejected {
                        ok: false,
                        code,
                        message: rejection.to_string(),
                    },
                )?;
            } else {
                writeln!(out, "{code}")?;
            }
            Ok(ExitCode::from(1))
        }
    }
}

pub(crate) fn run_sign(args: &SignArgs) -> Outcome {
    let keys = key_set(args.scheme, &args.secrets)?;
    let timestamp = match (&args.timestamp, args.scheme) {
        (Some(text), _) => Some(unix_seconds("--timestamp", text)?),
        (None, Scheme::StandardWebhooks | Scheme::Stripe) => Some(system_now()?),
        (None, Scheme::Inplayer | Scheme::Orangepill) => None,
    };
    let body = read_body(args.file.as_deref())?;
    let message = Message {
        id: args.id.as_deref(),
        timestamp,
        body: &body,
    };
    let headers = signature::sign(&keys, &message).map_err(|error| sign_failure(&error))?;
    let mut out = io::stdout().lock();
    for header in headers {
        writeln!(out, "{header}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Says which option to change, where the library names a field.
fn sign_failure(error: &SignError) -> Failure {
    let hint = match error {
        SignError::MissingId { .. } => " (give one with --id)",
        SignError::NotSigned { field: "id", .. } => " (drop --id)",
        SignError::NotSigned { .. } => " (drop --timestamp)",
        SignError::OneKeyOnly { .. } => " (give one secret)",
        _ => "",
    };
    usage(format!("cannot sign: {error}{hint}"))
}

/// Builds the key set: the `--secret` values, then the file's lines.
fn key_set(scheme: Scheme, args: &SecretArgs) -> Result<KeySet, Failure> {
    let mut keys = KeySet::new(scheme);
    for (number, secret) in args.secrets.iter().enumerate() {
        keys.add(secret).map_err(|error| {
            usage(format!(
                "--secret number {} is not a valid {scheme} secret: {error}",
                number + 1
            ))
        })?;
    }
    if let Some(path) = &args.secret_file {
        let text = File::open(path)
            .and_then(|file| read_bounded(file, MAX_SECRET_FILE))
            .map_err(|error| usage(format!("cannot read {}: {error}", path.display())))?;
        if text.len() > MAX_SECRET_FILE {
            return Err(usage(format!(
                "{} is larger than {MAX_SECRET_FILE} bytes",
                path.display()
            )));
        }
        for (number, line) in text.split(|&byte| byte == b'\n').enumerate() {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.is_empty() {
                continue;
            }
            keys.add(line).map_err(|error| {
                usage(format!(
                    "line {} of {} is not a valid {scheme} secret: {error}",
                    number + 1,
                    path.display()
                ))
            })?;
        }
    }
    if keys.is_empty() {
        return Err(usage("no secret: give --secret or --secret-file"));
    }
    Ok(keys)
}

/// Splits `Name: value` at the first colon; the value loses the spaces and
/// tabs around it, as an HTTP parser removes them.
fn parse_header(header: &str) -> Result<(&str, &str), Failure> {
    let (name, value) = header
        .split_once(':')
        .ok_or_else(|| usage(format!("--header {header:?} is not `Name: value`")))?;
    if name.is_empty() || name.bytes().any(|byte| !byte.is_ascii_graphic()) {
        return Err(usage(format!(
            "--header {header:?} has no valid name before the colon"
        )));
    }
    Ok((name, value.trim_matches([' ', '\t'])))
}

fn unix_seconds(option: &str, text: &str) -> Result<i64, Failure> {
    signature::parse_timestamp(text.as_bytes()).ok_or_else(|| {
        usage(format!(
            "{option} {text:?} is not unix seconds (digits only)"
        ))
    })
}

fn parse_tolerance(text: &str) -> Result<Tolerance, Failure> {
    if text == "none" {
        return Ok(Tolerance::NoCheck);
    }
    signature::parse_timestamp(text.as_bytes())
        .and_then(|seconds| u64::try_from(seconds).ok())
        .map(Tolerance::Seconds)
        .ok_or_else(|| {
            usage(format!(
                "--tolerance {text:?} is neither a number of seconds nor `none`"
            ))
        })
}

fn system_now() -> Result<i64, Failure> {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|elapsed| i64::try_from(elapsed.as_secs()).ok())
        .ok_or_else(|| usage("the system clock is before 1970; give --now"))
}

/// Reads the body exactly, at most one byte past the limit (which refuses it).
fn read_body(file: Option<&Path>) -> Result<Vec<u8>, Failure> {
    let (body, shown) = match file {
        Some(path) if path.as_os_str() != "-" => (
            File::open(path).and_then(|file| read_bounded(file, MAX_BODY)),
            path.display().to_string(),
        ),
        _ => (
            read_bounded(io::stdin().lock(), MAX_BODY),
            "stdin".to_owned(),
        ),
    };
    let body = body.map_err(|error| usage(format!("cannot read {shown}: {error}")))?;
    if body.len() > MAX_BODY {
        return Err(usage(format!(
            "{shown} is larger than {MAX_BODY} bytes, the most a webhook body may hold"
        )));
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_lose_surrounding_whitespace_only() {
        let (name, value) = parse_header("Stripe-Signature:  t=1,v1=ab \t").unwrap();
        assert_eq!((name, value), ("Stripe-Signature", "t=1,v1=ab"));
        let (_, value) = parse_header("webhook-signature: v1,a v1,b").unwrap();
        assert_eq!(value, "v1,a v1,b");
    }

    #[test]
    fn headers_without_a_colon_or_a_name_are_usage_errors() {
        assert!(parse_header("webhook-id").is_err());
        assert!(parse_header(": value").is_err());
        assert!(parse_header("bad name: value").is_err());
    }

    #[test]
    fn tolerance_is_seconds_or_none() {
        assert_eq!(parse_tolerance("300").unwrap(), Tolerance::Seconds(300));
        assert_eq!(parse_tolerance("none").unwrap(), Tolerance::NoCheck);
        assert!(parse_tolerance("-1").is_err());
        assert!(parse_tolerance("5m").is_err());
    }
}
