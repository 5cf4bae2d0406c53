//! `herald`: the command line over herald-core.
//!
//! This file only parses arguments and dispatches; each command lives in its
//! own module. Exit codes are part of the interface: 0 success, 1 a negative
//! answer (no match, invalid payload), 2 bad usage, an unknown name or invalid
//! input.

mod broker;
mod catalogue;
mod demo;
mod input;
mod output;
mod progress;
mod routing;
mod signature;
mod suggest;
mod validation;
mod wire;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Know, check and route the events of payment, identity and wallet platforms.
#[derive(Debug, Parser)]
#[command(name = "herald", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the events of the built-in catalogue, or show one.
    Catalogue(catalogue::CatalogueArgs),
    /// Check a payload (or a stream of them) against an event's schema.
    Validate(validation::ValidateArgs),
    /// Print documents derived from the catalogue.
    Export(catalogue::ExportArgs),
    /// Check one topic against one pattern: `match` (exit 0), `no match` (1) or invalid (2).
    Match(routing::MatchArgs),
    /// Route topics from stdin through the subscriptions of a file.
    Route(routing::RouteArgs),
    /// Decode a vendor wire message into the normalised event and validate it.
    Decode(wire::DecodeArgs),
    /// Encode a normalised event (as `decode --json` prints it) into its wire form.
    Encode(wire::EncodeArgs),
    /// Verify a webhook's signature over its raw body (exit 0 verified, 1 rejected, 2 usage).
    Verify(signature::VerifyArgs),
    /// Print the signature header lines a sender adds to a body.
    Sign(signature::SignArgs),
    /// Run herald end to end on built-in data and summarise what it did.
    Demo,
    /// Translate patterns and topics for NATS, MQTT, AMQP or Redis.
    #[command(subcommand)]
    Broker(broker::BrokerCommand),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                output::usage_exit()
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Catalogue(args) => catalogue::run(&args),
        Command::Validate(args) => validation::run(&args),
        Command::Export(args) => catalogue::run_export(&args),
        Command::Match(args) => Ok(routing::run_match(&args)),
        Command::Route(args) => Ok(routing::run_route(&args)),
        Command::Decode(args) => wire::run_decode(&args),
        Command::Encode(args) => wire::run_encode(&args),
        Command::Verify(args) => signature::run_verify(&args),
        Command::Sign(args) => signature::run_sign(&args),
        Command::Demo => demo::run(),
        Command::Broker(command) => broker::run(&command),
    };
    output::finish(result)
}
