//! How commands report: results to stdout, problems to stderr, and the exit
//! code contract.

use std::io::{self, Write};
use std::process::ExitCode;

/// Exit code for bad usage, unknown names and unreadable input.
pub(crate) const USAGE_CODE: u8 = 2;

/// [`USAGE_CODE`] as an exit code.
pub(crate) fn usage_exit() -> ExitCode {
    ExitCode::from(USAGE_CODE)
}

/// Why a command stopped.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Bad usage or an unknown name: exit 2 with the message on stderr.
    Usage(String),
    /// Writing the output failed.
    Io(io::Error),
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Failure::Io(error)
    }
}

/// What commands return.
pub(crate) type Outcome = Result<ExitCode, Failure>;

/// Builds a usage failure.
pub(crate) fn usage(message: impl Into<String>) -> Failure {
    Failure::Usage(message.into())
}

/// Turns a command's outcome into the process exit code.
pub(crate) fn finish(outcome: Outcome) -> ExitCode {
    match outcome {
        Ok(code) => code,
        Err(Failure::Usage(message)) => {
            let _ = writeln!(io::stderr(), "herald: {message}");
            usage_exit()
        }
        // A closed pipe (`herald catalogue | head`) is the reader's choice, not an error.
        Err(Failure::Io(error)) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Io(error)) => {
            let _ = writeln!(io::stderr(), "herald: cannot write output: {error}");
            usage_exit()
        }
    }
}

/// Writes `value` as pretty JSON plus a newline.
pub(crate) fn print_json(out: &mut impl Write, value: &impl serde::Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// Writes `value` as compact JSON on one line.
pub(crate) fn print_json_line(
    out: &mut impl Write,
    value: &impl serde::Serialize,
) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}
