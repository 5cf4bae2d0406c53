//! `herald match` and `herald route`: the topic router from the command line.
//!
//! This module owns argument shapes, the subscription file format and the
//! output formats; all matching is done by `herald_core`. It never exits the
//! process itself: each command returns its exit code so it can be tested with
//! in-memory input and output.

use std::io::{self, BufRead, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use herald_core::{Pattern, PatternError, Router, RouterError, SyntaxError, Topic};
use serde::Serialize;

use crate::input::{Input, read_line_bounded};
use crate::progress::ProgressReader;

/// Exit code of `herald match` when the topic matches.
const MATCHED: u8 = 0;
/// Exit code of `herald match` when the topic does not match.
const NOT_MATCHED: u8 = 1;
/// Exit code for invalid input (pattern, topic, subscription file) or failed IO.
const INVALID: u8 = 2;

/// Arguments of `herald match`.
#[derive(Debug, Args)]
pub(crate) struct MatchArgs {
    /// The pattern, e.g. `payment.#` or `*.message.sent`.
    pub(crate) pattern: String,
    /// The topic (event name) to check, e.g. `payment.card.success`.
    pub(crate) topic: String,
    /// Print nothing on stdout; the exit code is the answer.
    #[arg(short, long)]
    pub(crate) quiet: bool,
}

/// Arguments of `herald route`.
#[derive(Debug, Args)]
pub(crate) struct RouteArgs {
    /// Subscriptions, one `<subscriber-id> <pattern>` per line; blank lines and
    /// lines starting with `#` are ignored.
    #[arg(long, value_name = "FILE")]
    pub(crate) subs: PathBuf,
    /// Print one JSON object per topic (`{"topic":…,"ids":[…]}`) instead of
    /// `topic<TAB>ids`.
    #[arg(long)]
    pub(crate) json: bool,
    /// Print how many topics were routed, and how fast, to stderr.
    #[arg(long)]
    pub(crate) stats: bool,
}

/// Checks one topic against one pattern: `match` and exit 0 on a match,
/// `no match` and exit 1 on none (nothing printed with `--quiet`), exit 2
/// with the reason on stderr when either is invalid.
pub(crate) fn run_match(args: &MatchArgs) -> ExitCode {
    let answer = |matched: bool, code: u8| {
        if !args.quiet {
            // Nothing useful is left to do if stdout is gone; the code still answers.
            let _ = writeln!(
                io::stdout(),
                "{}",
                if matched { "match" } else { "no match" }
            );
        }
        ExitCode::from(code)
    };
    match match_outcome(args) {
        Ok(true) => answer(true, MATCHED),
        Ok(false) => answer(false, NOT_MATCHED),
        Err(reason) => {
            // Nothing useful is left to do if stderr itself is gone.
            let _ = writeln!(io::stderr(), "herald: {reason}");
            ExitCode::from(INVALID)
        }
    }
}

fn match_outcome(args: &MatchArgs) -> Result<bool, String> {
    let pattern =
        Pattern::parse(&args.pattern).map_err(|error| pattern_problem(&args.pattern, &error))?;
    let topic = Topic::parse(&args.topic)
        .map_err(|error| format!("invalid topic {:?}: {error}", args.topic))?;
    Ok(pattern.matches(&topic))
}

/// Says what is wrong with a pattern. The shared tokenizer calls an empty
/// input an empty topic; here it was given as a pattern.
fn pattern_problem(pattern: &str, error: &PatternError) -> String {
    match error {
        PatternError::Syntax(SyntaxError::Empty) => {
            "invalid pattern \"\": empty pattern: a pattern needs at least one segment".to_owned()
        }
        _ => format!("invalid pattern {pattern:?}: {error}"),
    }
}

/// `herald route`: topics from stdin, results to stdout, problems and
/// progress to stderr.
pub(crate) fn run_route(args: &RouteArgs) -> ExitCode {
    let input = Input::stdin_announced("topics, one per line,");
    let input = ProgressReader::new(input.reader, input.size, "herald route");
    route(args, input, io::stdout().lock(), io::stderr())
}

/// Routes each topic line of `input` through the subscriptions of `args.subs`.
///
/// Exit 0 when every topic was routed. Exit 2 when the subscription file is
/// unreadable or has bad lines (all reported with their line numbers, nothing
/// routed), when a topic line is invalid (reported, the others still routed),
/// or when writing fails.
fn route(
    args: &RouteArgs,
    input: impl BufRead,
    output: impl Write,
    mut errors: impl Write,
) -> ExitCode {
    let router = match load_subscriptions(&args.subs) {
        Ok(router) => router,
        Err(problems) => {
            for problem in problems {
                let _ = writeln!(errors, "herald: {problem}");
            }
            return ExitCode::from(INVALID);
        }
    };
    let format = if args.json {
        Format::Json
    } else {
        Format::Tabbed
    };
    let started = Instant::now();
    let outcome = route_lines(&router, format, input, output, &mut errors);
    let elapsed = started.elapsed();
    if args.stats {
        let seconds = elapsed.as_secs_f64();
        let rate = if seconds > 0.0 {
            outcome.topics as f64 / seconds
        } else {
            0.0
        };
        let _ = writeln!(
            errors,
            "herald: routed {} topics ({} invalid, {} subscriber ids) through {} subscriptions in {:.3} ms: {:.0} topics/s",
            outcome.topics,
            outcome.invalid,
            outcome.ids,
            router.len(),
            seconds * 1e3,
            rate
        );
    }
    if outcome.invalid > 0 || outcome.write_failed {
        ExitCode::from(INVALID)
    } else {
        ExitCode::SUCCESS
    }
}

/// How `route` prints one routed topic.
#[derive(Debug, Clone, Copy)]
enum Format {
    Tabbed,
    Json,
}

#[derive(Debug, Default)]
struct RouteOutcome {
    topics: usize,
    invalid: usize,
    ids: usize,
    write_failed: bool,
}

#[derive(Serialize)]
struct RoutedTopic<'a> {
    topic: &'a str,
    ids: &'a [u64],
}

fn route_lines(
    router: &Router,
    format: Format,
    mut input: impl BufRead,
    output: impl Write,
    errors: &mut impl Write,
) -> RouteOutcome {
    let mut output = BufWriter::new(output);
    let mut outcome = RouteOutcome::default();
    let mut line = Vec::new();
    let mut ids = Vec::new();
    let mut number = 0;
    // A line longer than a topic may be is cut one byte past the limit: the
    // router then refuses it as too long, and memory stays bounded.
    let limit = router.limits().max_topic_bytes;
    loop {
        match read_line_bounded(&mut input, limit, &mut line) {
            Ok(false) => break,
            Ok(true) => number += 1,
            Err(error) => {
                let _ = writeln!(errors, "herald: cannot read topics: {error}");
                outcome.write_failed = true;
                break;
            }
        }
        if line.is_empty() {
            continue;
        }
        let Ok(topic) = std::str::from_utf8(&line) else {
            let _ = writeln!(
                errors,
                "herald: stdin:{number}: invalid topic: not valid UTF-8"
            );
            outcome.invalid += 1;
            continue;
        };
        if line.len() > limit {
            // The line was cut at the bound: its real length is unknown.
            let _ = writeln!(
                errors,
                "herald: stdin:{number}: invalid topic: the line is more than {limit} bytes, the limit"
            );
            outcome.invalid += 1;
            continue;
        }
        if let Err(error) = router.match_into(topic, &mut ids) {
            let reason = match &error {
                RouterError::Topic(syntax) => syntax.to_string(),
                _ => error.to_string(),
            };
            let _ = writeln!(
                errors,
                "herald: stdin:{number}: invalid topic {topic:?}: {reason}"
            );
            outcome.invalid += 1;
            continue;
        }
        outcome.topics += 1;
        outcome.ids += ids.len();
        if let Err(error) = write_routed(&mut output, format, topic, &ids) {
            outcome.write_failed = report_write_error(errors, &error);
            return outcome;
        }
    }
    if let Err(error) = output.flush() {
        outcome.write_failed = report_write_error(errors, &error);
    }
    outcome
}

fn write_routed(
    output: &mut impl Write,
    format: Format,
    topic: &str,
    ids: &[u64],
) -> io::Result<()> {
    match format {
        Format::Tabbed => {
            output.write_all(topic.as_bytes())?;
            output.write_all(b"\t")?;
            for (index, id) in ids.iter().enumerate() {
                if index > 0 {
                    output.write_all(b" ")?;
                }
                write!(output, "{id}")?;
            }
            output.write_all(b"\n")
        }
        Format::Json => {
            serde_json::to_writer(&mut *output, &RoutedTopic { topic, ids })?;
            output.write_all(b"\n")
        }
    }
}

/// Reports a write error; a reader that went away (`| head`) is a normal end.
fn report_write_error(errors: &mut impl Write, error: &io::Error) -> bool {
    if error.kind() == io::ErrorKind::BrokenPipe {
        return false;
    }
    let _ = writeln!(errors, "herald: cannot write output: {error}");
    true
}

/// Reads the subscription file into a router, or lists every problem found.
fn load_subscriptions(path: &PathBuf) -> Result<Router, Vec<String>> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| vec![format!("cannot read {}: {error}", path.display())])?;
    subscriptions_from(&text, &path.display().to_string())
}

/// Parses subscription lines; `origin` names the file in problem reports.
fn subscriptions_from(text: &str, origin: &str) -> Result<Router, Vec<String>> {
    let mut router = Router::new();
    let mut problems = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let subscribed = parse_subscription(line).and_then(|(subscriber, pattern)| {
            router
                .subscribe(&pattern, subscriber)
                .map_err(|error| error.to_string())
        });
        if let Err(reason) = subscribed {
            problems.push(format!("{origin}:{number}: {reason}"));
        }
    }
    if problems.is_empty() {
        Ok(router)
    } else {
        Err(problems)
    }
}

fn parse_subscription(line: &str) -> Result<(u64, Pattern), String> {
    let mut fields = line.split_whitespace();
    let (Some(id), Some(pattern), None) = (fields.next(), fields.next(), fields.next()) else {
        return Err(format!(
            "expected `<subscriber-id> <pattern>`, found {line:?}"
        ));
    };
    let id = id
        .parse::<u64>()
        .map_err(|_| format!("subscriber id {id:?} is not an unsigned 64-bit integer"))?;
    let pattern = Pattern::parse(pattern).map_err(|error| pattern_problem(pattern, &error))?;
    Ok((id, pattern))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(subs: &str, topics: &str, format: Format) -> (String, String) {
        let router = subscriptions_from(subs, "subs").unwrap();
        let mut out = Vec::new();
        let mut err = Vec::new();
        let outcome = route_lines(&router, format, topics.as_bytes(), &mut out, &mut err);
        assert!(!outcome.write_failed);
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn match_outcome_names_what_is_invalid() {
        let args = MatchArgs {
            pattern: "a.>.b".into(),
            topic: "a.b".into(),
            quiet: false,
        };
        let reason = match_outcome(&args).unwrap_err();
        assert!(reason.contains("invalid pattern"), "{reason}");
        let args = MatchArgs {
            pattern: "a.#".into(),
            topic: "a.*".into(),
            quiet: false,
        };
        assert!(match_outcome(&args).unwrap_err().contains("invalid topic"));
    }

    #[test]
    fn an_empty_pattern_is_called_an_empty_pattern() {
        let args = MatchArgs {
            pattern: String::new(),
            topic: "a".into(),
            quiet: false,
        };
        let reason = match_outcome(&args).unwrap_err();
        assert!(reason.contains("empty pattern"), "{reason}");
        assert!(!reason.contains("topic"), "{reason}");
    }

    #[test]
    fn route_prints_a_tab_and_the_ids_ascending() {
        let (out, err) = route("2 a.#\n1 *.b\n", "a.b\nx\n", Format::Tabbed);
        assert_eq!(out, "a.b\t1 2\nx\t\n");
        assert_eq!(err, "");
    }

    #[test]
    fn route_prints_ndjson() {
        let (out, _) = route("5 #\n", "a\r\n", Format::Json);
        assert_eq!(out, "{\"topic\":\"a\",\"ids\":[5]}\n");
    }

    #[test]
    fn a_subscription_line_needs_exactly_two_fields() {
        assert!(parse_subscription("1").is_err());
        assert!(parse_subscription("1 a b").is_err());
        assert!(parse_subscription("-1 a").is_err());
        assert_eq!(parse_subscription("7 a.#").unwrap().0, 7);
    }

    #[test]
    fn every_bad_subscription_line_is_reported_with_its_number() {
        let problems = subscriptions_from("# ok\n1 a\nx a\n\n2 a..b\n", "subs").unwrap_err();
        assert_eq!(problems.len(), 2);
        assert!(problems[0].starts_with("subs:3: "), "{problems:?}");
        assert!(problems[1].starts_with("subs:5: "), "{problems:?}");
    }
}
