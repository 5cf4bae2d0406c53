//! Scratch files for the integration tests: subscription files, payloads,
//! secrets and topic streams that the `herald` binary reads.

use std::path::PathBuf;

use tempfile::TempDir;

/// A directory of one test's own, removed with everything in it when the
/// test ends. The drop runs when an assertion fails too (the panic unwinds),
/// so a failed run leaves nothing in the temporary directory either.
pub(crate) struct Scratch(TempDir);

impl Scratch {
    pub(crate) fn new() -> Scratch {
        // The prefix names the owner of anything a killed run leaves behind.
        Scratch(
            tempfile::Builder::new()
                .prefix("herald-cli-")
                .tempdir()
                .unwrap(),
        )
    }

    /// Writes `contents` to the file `name` in the directory and returns
    /// its path.
    pub(crate) fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }
}
