//! Reading untrusted input with a bound, from a named file or stdin. A
//! payload or a line never takes more memory than one byte past the limit
//! that rejects it anyway, so a huge or endless input is refused with the
//! library's own `too_large` verdict instead of exhausting memory. Every
//! error names what could not be read. This module never interprets what it
//! reads.

use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Read, Write};
use std::path::Path;

use crate::output::{Failure, usage};

/// Where a command reads from: a file, or stdin.
pub(crate) struct Input {
    /// How messages name it: the path as given, or `stdin`.
    pub(crate) name: String,
    /// Its size in bytes, when it is a regular file (stdin redirected from
    /// a file counts); `None` for pipes and terminals.
    pub(crate) size: Option<u64>,
    /// The bytes.
    pub(crate) reader: Box<dyn BufRead>,
}

impl Input {
    /// Opens `file`, or stdin when it is `None` or `-`. `what` says what is
    /// read (`"the payload"`): when stdin is a terminal and no file was
    /// named, stderr says that herald waits for it there, so a forgotten
    /// argument does not look like a hang.
    pub(crate) fn open(file: Option<&Path>, what: &str) -> Result<Input, Failure> {
        match file {
            Some(path) if path.as_os_str() != "-" => Input::file(path),
            Some(_) => Ok(Input::stdin()),
            None => {
                Input::announce_stdin(what, "or name a FILE");
                Ok(Input::stdin())
            }
        }
    }

    /// Stdin, for a command that reads nothing else; a terminal is told
    /// what herald waits for, as in [`Input::open`].
    pub(crate) fn stdin_announced(what: &str) -> Input {
        Input::announce_stdin(what, "or redirect a file: < FILE");
        Input::stdin()
    }

    fn file(path: &Path) -> Result<Input, Failure> {
        let name = path.display().to_string();
        let cannot = |error: io::Error| usage(format!("cannot read {name}: {error}"));
        let file = File::open(path).map_err(cannot)?;
        let metadata = file.metadata().map_err(cannot)?;
        if metadata.is_dir() {
            return Err(usage(format!("cannot read {name}: it is a directory")));
        }
        Ok(Input {
            size: metadata.is_file().then_some(metadata.len()),
            reader: Box::new(BufReader::new(file)),
            name,
        })
    }

    fn stdin() -> Input {
        Input {
            name: "stdin".to_owned(),
            size: stdin_size(),
            reader: Box::new(BufReader::new(io::stdin())),
        }
    }

    fn announce_stdin(what: &str, instead: &str) {
        if io::stdin().is_terminal() {
            // Nothing useful is left to do if stderr itself is gone.
            let _ = writeln!(
                io::stderr(),
                "herald: reading {what} from stdin (end with Ctrl-D, {instead})"
            );
        }
    }

    /// Reads all of it, but at most `limit + 1` bytes (see [`read_bounded`]).
    pub(crate) fn read_bounded(self, limit: usize) -> Result<Vec<u8>, Failure> {
        let name = self.name;
        read_bounded(self.reader, limit)
            .map_err(|error| usage(format!("cannot read {name}: {error}")))
    }
}

/// The size of stdin when it is redirected from a regular file.
#[cfg(unix)]
fn stdin_size() -> Option<u64> {
    use std::os::fd::AsFd;
    let file = File::from(io::stdin().as_fd().try_clone_to_owned().ok()?);
    let metadata = file.metadata().ok()?;
    metadata.is_file().then_some(metadata.len())
}

/// The size of stdin is only looked up on Unix; elsewhere it is unknown.
#[cfg(not(unix))]
fn stdin_size() -> Option<u64> {
    None
}

/// Reads the whole input, but at most `limit + 1` bytes: enough for the
/// consumer to see that it is too large.
pub(crate) fn read_bounded(reader: impl Read, limit: usize) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    reader.take(cap).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Reads one line into `line` (cleared first), without its `\n` and a `\r`
/// before it. Keeps at most `limit + 1` bytes of a longer line and skips the
/// rest of it. Returns `false` at the end of the input.
pub(crate) fn read_line_bounded(
    reader: &mut impl BufRead,
    limit: usize,
    line: &mut Vec<u8>,
) -> io::Result<bool> {
    line.clear();
    let keep = limit.saturating_add(1);
    let mut read_any = false;
    loop {
        let buffer = match reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if buffer.is_empty() {
            break;
        }
        read_any = true;
        let end = buffer.iter().position(|&byte| byte == b'\n');
        let chunk = &buffer[..end.unwrap_or(buffer.len())];
        let room = keep.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = chunk.len() + usize::from(end.is_some());
        reader.consume(used);
        if end.is_some() {
            break;
        }
    }
    if line.last() == Some(&b'\r') && line.len() <= limit {
        line.pop();
    }
    Ok(read_any)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], limit: usize) -> Vec<Vec<u8>> {
        let mut reader = io::BufReader::with_capacity(4, input);
        let mut line = Vec::new();
        let mut all = Vec::new();
        while read_line_bounded(&mut reader, limit, &mut line).unwrap() {
            all.push(line.clone());
        }
        all
    }

    #[test]
    fn lines_lose_their_line_ends() {
        assert_eq!(lines(b"a\nbc\r\n\nd", 10), [&b"a"[..], b"bc", b"", b"d"]);
    }

    #[test]
    fn a_long_line_keeps_one_byte_past_the_limit_and_the_next_line_is_intact() {
        assert_eq!(lines(b"0123456789abcdef\nok\n", 5), [&b"012345"[..], b"ok"]);
    }

    #[test]
    fn empty_input_has_no_lines() {
        assert!(lines(b"", 5).is_empty());
    }

    #[test]
    fn a_bounded_read_stops_one_byte_past_the_limit() {
        assert_eq!(read_bounded(&b"0123456789"[..], 3).unwrap(), b"0123");
        assert_eq!(read_bounded(&b"01"[..], 3).unwrap(), b"01");
    }
}
