//! Generated files checked into the repository (the C suite's vector TSV):
//! a test regenerates one and compares. `HERALD_BLESS=1` rewrites a stale
//! file instead, and the test still fails, so that a run with the variable
//! left set by mistake can never pass on a stale file; the test command
//! unsets it (scripts/test), so a normal run never writes.

use std::path::Path;

/// Whether stale files may be rewritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bless {
    /// Compare only (every normal run).
    No,
    /// Rewrite a stale file, then fail so the change is reviewed.
    Rewrite,
}

impl Bless {
    /// `Rewrite` when `HERALD_BLESS` is set.
    pub fn from_env() -> Bless {
        if std::env::var_os("HERALD_BLESS").is_some() {
            Bless::Rewrite
        } else {
            Bless::No
        }
    }
}

/// Ok when `path` holds exactly `generated`; otherwise an error naming the
/// command that regenerates it, after rewriting it under [`Bless::Rewrite`].
pub fn check_generated(
    path: &Path,
    generated: &str,
    bless: Bless,
    command: &str,
) -> Result<(), String> {
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    if checked_in == generated {
        return Ok(());
    }
    match bless {
        Bless::No => Err(format!(
            "{} is stale; regenerate it with `{command}`",
            path.display()
        )),
        Bless::Rewrite => {
            std::fs::write(path, generated)
                .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
            Err(format!(
                "{} was stale and is rewritten; review and commit it, then run the \
                 tests again without HERALD_BLESS",
                path.display()
            ))
        }
    }
}
