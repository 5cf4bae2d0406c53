//! `herald broker`: herald patterns and topics in a message broker's terms.
//!
//! This module owns the `broker plan`, `broker topic` and `broker fleet`
//! argument shapes and output formats; every translation is done by
//! `herald_core::broker`. It reads the same subscription files as `herald
//! route` (`<subscriber-id> <pattern>` per line). It never exits the process
//! itself: commands return their exit code.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use herald_core::broker::{Broker, PlanOptions, Planner, Profile};
use herald_core::{Pattern, Topic};
use serde::Serialize;

use crate::output::{Outcome, USAGE_CODE, print_json_line, usage};

/// `herald broker` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum BrokerCommand {
    /// Print the broker subscriptions for each pattern and how exactly they
    /// carry it: `<pattern>\t<exactness>\t<subscription> …` per pattern.
    Plan(PlanArgs),
    /// Print the name to publish a topic under on the broker, one line per
    /// topic (exit 2 if the broker cannot carry one of them).
    Topic(TopicArgs),
    /// Print each subscriber's merged subscriptions and post-filter for a
    /// subscription file.
    Fleet(FleetArgs),
}

/// The brokers, as command-line values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum BrokerName {
    /// NATS subjects.
    Nats,
    /// MQTT topic filters (Mosquitto, AWS IoT, …).
    Mqtt,
    /// AMQP topic exchange binding keys (RabbitMQ).
    Amqp,
    /// Redis PSUBSCRIBE glob patterns.
    Redis,
}

impl From<BrokerName> for Broker {
    fn from(name: BrokerName) -> Broker {
        match name {
            BrokerName::Nats => Broker::Nats,
            BrokerName::Mqtt => Broker::Mqtt,
            BrokerName::Amqp => Broker::Amqp,
            BrokerName::Redis => Broker::Redis,
        }
    }
}

/// The hosted-service profiles, as command-line values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ProfileName {
    /// AWS IoT Core: 8 levels, 256-byte topics, 8 filters per SUBSCRIBE
    /// (expands a middle `#` into up to 8 filters).
    AwsIot,
}

/// Options shared by every `broker` subcommand.
#[derive(Debug, Args)]
pub(crate) struct Target {
    /// The broker to translate for.
    #[arg(long, value_enum)]
    pub(crate) broker: BrokerName,
    /// A hosted service's limits (MQTT only).
    #[arg(long, value_enum)]
    pub(crate) profile: Option<ProfileName>,
    /// The most segments a published topic has; deeper topics are refused,
    /// which lets an expansion be exact (default: the profile's, else 128).
    #[arg(long, value_name = "N")]
    pub(crate) max_depth: Option<usize>,
}

/// Options of the subcommands that plan subscriptions.
#[derive(Debug, Args)]
pub(crate) struct Planning {
    #[command(flatten)]
    pub(crate) target: Target,
    /// Expand a `#` that NATS or MQTT cannot express into one subscription
    /// per depth when that takes at most N subscriptions (0: never; at most
    /// 256; default 0, or 8 with --profile aws-iot).
    #[arg(long, value_name = "N")]
    pub(crate) max_expansion: Option<usize>,
    /// Print one JSON object per line instead of tab-separated text.
    #[arg(long)]
    pub(crate) json: bool,
}

/// Arguments of `herald broker plan`.
#[derive(Debug, Args)]
pub(crate) struct PlanArgs {
    #[command(flatten)]
    pub(crate) planning: Planning,
    /// Plan the patterns of a subscription file: one `<subscriber-id>
    /// <pattern>` per line, blank lines and lines starting with `#` ignored.
    #[arg(long, value_name = "FILE", conflicts_with = "patterns")]
    pub(crate) subs: Option<PathBuf>,
    /// Patterns to plan, e.g. `payment.#` or `*.message.sent`.
    #[arg(value_name = "PATTERN", required_unless_present = "subs")]
    pub(crate) patterns: Vec<String>,
}

/// Arguments of `herald broker topic`.
#[derive(Debug, Args)]
pub(crate) struct TopicArgs {
    #[command(flatten)]
    pub(crate) target: Target,
    /// Print one JSON object per topic (`{"topic","broker","name"}`, or
    /// `"reason"` instead of `"name"` when refused) instead of the names.
    #[arg(long)]
    pub(crate) json: bool,
    /// Herald topics (event names), e.g. `payment.card.success`.
    #[arg(value_name = "TOPIC", required = true)]
    pub(crate) topics: Vec<String>,
}

/// Arguments of `herald broker fleet`.
#[derive(Debug, Args)]
pub(crate) struct FleetArgs {
    #[command(flatten)]
    pub(crate) planning: Planning,
    /// The subscription file: one `<subscriber-id> <pattern>` per line.
    #[arg(long, value_name = "FILE")]
    pub(crate) subs: PathBuf,
}

/// Runs one `herald broker` subcommand.
pub(crate) fn run(command: &BrokerCommand) -> Outcome {
    match command {
        BrokerCommand::Plan(args) => run_plan(args, &mut io::stdout().lock(), &mut io::stderr()),
        BrokerCommand::Topic(args) => run_topic(args, &mut io::stdout().lock(), &mut io::stderr()),
        BrokerCommand::Fleet(args) => run_fleet(args, &mut io::stdout().lock(), &mut io::stderr()),
    }
}

fn planner(target: &Target, max_expansion: Option<usize>) -> Result<Planner, String> {
    let options = PlanOptions {
        max_expansion,
        max_depth: target.max_depth,
        profile: target.profile.map(|ProfileName::AwsIot| Profile::AwsIot),
    };
    Planner::new(target.broker.into(), &options).map_err(|error| error.to_string())
}

/// One input pattern: its subscriber id when it came from a file, its text
/// as written, and the parsed pattern.
#[derive(Debug)]
struct Input {
    id: Option<u64>,
    text: String,
    pattern: Pattern,
}

#[derive(Serialize)]
struct PlanLine<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<u64>,
    pattern: &'a str,
    broker: &'a str,
    exactness: &'a str,
    subscriptions: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

fn run_plan(args: &PlanArgs, out: &mut impl Write, errors: &mut impl Write) -> Outcome {
    let planner = planner(&args.planning.target, args.planning.max_expansion).map_err(usage)?;
    let inputs = match &args.subs {
        Some(path) => read_subscriptions(path),
        None => read_patterns(&args.patterns),
    }
    .map_err(|problems| usage(problems.join("\nherald: ")))?;
    for input in &inputs {
        let plan = planner.plan(&input.pattern);
        if args.planning.json {
            let line = PlanLine {
                id: input.id,
                pattern: &input.text,
                broker: planner.broker().id(),
                exactness: plan.exactness().as_str(),
                subscriptions: plan.subscriptions(),
                reason: plan.refusal().map(ToString::to_string),
            };
            print_json_line(out, &line)?;
        } else {
            writeln!(
                out,
                "{}\t{}\t{}",
                input.text,
                plan.exactness(),
                plan.subscriptions().join(" ")
            )?;
            if let Some(refusal) = plan.refusal() {
                // Text output keeps three columns; the reason goes to stderr.
                let _ = writeln!(
                    errors,
                    "herald: {} is untranslatable on {}: {refusal}",
                    input.text,
                    planner.broker()
                );
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct TopicLine<'a> {
    topic: &'a str,
    broker: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

/// Prints each topic's name on the broker; a topic that is invalid or that
/// the broker cannot carry is reported (on stderr, or as a `reason` in JSON)
/// and makes the exit code 2, the other topics are still printed.
fn run_topic(args: &TopicArgs, out: &mut impl Write, errors: &mut impl Write) -> Outcome {
    let planner = planner(&args.target, None).map_err(usage)?;
    let mut refused = false;
    for text in &args.topics {
        let name = match Topic::parse(text) {
            Err(error) => Err(format!("invalid topic {text:?}: {error}")),
            Ok(topic) => planner.topic(&topic).map_err(|refusal| {
                format!(
                    "{} cannot carry the topic {text:?}: {refusal}",
                    planner.broker()
                )
            }),
        };
        refused |= name.is_err();
        match (args.json, name) {
            (true, name) => {
                let (name, reason) = match name {
                    Ok(name) => (Some(name), None),
                    Err(reason) => (None, Some(reason)),
                };
                let line = TopicLine {
                    topic: text,
                    broker: planner.broker().id(),
                    name,
                    reason,
                };
                print_json_line(out, &line)?;
            }
            (false, Ok(name)) => writeln!(out, "{name}")?,
            (false, Err(reason)) => {
                let _ = writeln!(errors, "herald: {reason}");
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::from(if refused { USAGE_CODE } else { 0 }))
}

#[derive(Serialize)]
struct FleetLine<'a> {
    subscriber: u64,
    broker: &'a str,
    exactness: &'a str,
    subscriptions: &'a [String],
    dedup: bool,
    filter: Vec<String>,
    untranslatable: Vec<Refused>,
}

#[derive(Serialize)]
struct Refused {
    pattern: String,
    reason: String,
}

fn run_fleet(args: &FleetArgs, out: &mut impl Write, errors: &mut impl Write) -> Outcome {
    let planner = planner(&args.planning.target, args.planning.max_expansion).map_err(usage)?;
    let inputs =
        read_subscriptions(&args.subs).map_err(|problems| usage(problems.join("\nherald: ")))?;
    let fleet = planner.fleet(
        inputs
            .iter()
            .map(|input| (&input.pattern, input.id.unwrap_or_default())),
    );
    for plan in fleet.subscribers() {
        let filter: Vec<String> = plan.filter().iter().map(ToString::to_string).collect();
        if args.planning.json {
            let line = FleetLine {
                subscriber: plan.subscriber(),
                broker: planner.broker().id(),
                exactness: plan.exactness().as_str(),
                subscriptions: plan.subscriptions(),
                dedup: plan.may_duplicate(),
                filter,
                untranslatable: plan
                    .untranslatable()
                    .iter()
                    .map(|(pattern, refusal)| Refused {
                        pattern: pattern.to_string(),
                        reason: refusal.to_string(),
                    })
                    .collect(),
            };
            print_json_line(out, &line)?;
        } else {
            for (pattern, refusal) in plan.untranslatable() {
                let _ = writeln!(
                    errors,
                    "herald: subscriber {}: {pattern} is untranslatable on {}: {refusal}",
                    plan.subscriber(),
                    planner.broker()
                );
            }
            writeln!(
                out,
                "{}\t{}\t{}\t{}",
                plan.subscriber(),
                plan.exactness(),
                plan.subscriptions().join(" "),
                filter.join(" ")
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn read_patterns(texts: &[String]) -> Result<Vec<Input>, Vec<String>> {
    let mut inputs = Vec::with_capacity(texts.len());
    let mut problems = Vec::new();
    for text in texts {
        match Pattern::parse(text) {
            Ok(pattern) => inputs.push(Input {
                id: None,
                text: text.clone(),
                pattern,
            }),
            Err(error) => problems.push(format!("invalid pattern {text:?}: {error}")),
        }
    }
    if problems.is_empty() {
        Ok(inputs)
    } else {
        Err(problems)
    }
}

/// Reads a subscription file (the format of `herald route --subs`), or lists
/// every problem found with its line number.
fn read_subscriptions(path: &Path) -> Result<Vec<Input>, Vec<String>> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| vec![format!("cannot read {}: {error}", path.display())])?;
    subscriptions_from(&text, &path.display().to_string())
}

fn subscriptions_from(text: &str, origin: &str) -> Result<Vec<Input>, Vec<String>> {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_subscription(line) {
            Ok(input) => inputs.push(input),
            Err(reason) => problems.push(format!("{origin}:{}: {reason}", index + 1)),
        }
    }
    if problems.is_empty() {
        Ok(inputs)
    } else {
        Err(problems)
    }
}

fn parse_subscription(line: &str) -> Result<Input, String> {
    let mut fields = line.split_whitespace();
    let (Some(id), Some(text), None) = (fields.next(), fields.next(), fields.next()) else {
        return Err(format!(
            "expected `<subscriber-id> <pattern>`, found {line:?}"
        ));
    };
    let id = id
        .parse::<u64>()
        .map_err(|_| format!("subscriber id {id:?} is not an unsigned 64-bit integer"))?;
    let pattern =
        Pattern::parse(text).map_err(|error| format!("invalid pattern {text:?}: {error}"))?;
    Ok(Input {
        id: Some(id),
        text: text.to_owned(),
        pattern,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscription_lines_keep_their_ids_and_texts_in_file_order() {
        let inputs = subscriptions_from("# c\n7 a.#.#\n\n3 b\n7 a.#.#\n", "f").unwrap();
        let pairs: Vec<(Option<u64>, &str)> = inputs
            .iter()
            .map(|input| (input.id, input.text.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [(Some(7), "a.#.#"), (Some(3), "b"), (Some(7), "a.#.#")]
        );
    }

    #[test]
    fn every_bad_subscription_line_is_reported_with_its_number() {
        let problems = subscriptions_from("1 a\nx a\n2 a..b\n3\n", "f").unwrap_err();
        assert_eq!(problems.len(), 3);
        assert!(problems[0].starts_with("f:2: "), "{problems:?}");
        assert!(problems[2].starts_with("f:4: "), "{problems:?}");
    }
}
