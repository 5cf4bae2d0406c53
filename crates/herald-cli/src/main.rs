//! `herald`: the command line of the herald library.
//!
//! This file only parses arguments and dispatches; each command lives in its
//! own module and returns its exit code.

mod routing;

use std::io;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Know, check and route payment, identity and wallet platform events.
#[derive(Debug, Parser)]
#[command(name = "herald", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check one topic against one pattern (exit 0 = match, 1 = no match, 2 = invalid).
    Match(routing::MatchArgs),
    /// Route topics from stdin through the subscriptions of a file.
    Route(routing::RouteArgs),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Match(args) => routing::run_match(&args),
        Command::Route(args) => {
            routing::run_route(&args, io::stdin().lock(), io::stdout().lock(), io::stderr())
        }
    }
}
