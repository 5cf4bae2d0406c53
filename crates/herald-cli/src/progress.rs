//! Progress of the stream commands (`route`, `validate --ndjson`) on stderr.
//!
//! A bar is drawn only when a person is watching and waiting: stderr is a
//! terminal, stdout is not (results would interleave with the bar, and
//! results on a terminal show progress by themselves), and the input is
//! large (its file size says so, or that much has been read from a pipe).
//! It counts bytes as the command consumes them and is cleared at the end.
//! It never writes to stdout and never changes what a command prints or
//! returns.

use std::io::{self, BufRead, IsTerminal, Read};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// From this many bytes on an input is worth a bar (a second or more).
pub(crate) const LARGE: u64 = 8 << 20;

/// Bytes between two updates of the bar: a counter add per line, and one
/// call into the bar per 64 KiB, keeps the cost off the hot path.
const STEP: u64 = 64 << 10;

/// A [`BufRead`] that reports how much of the input has been consumed.
pub(crate) struct ProgressReader<R> {
    inner: R,
    meter: Option<Meter>,
}

/// The bar and what it has been told.
struct Meter {
    bar: ProgressBar,
    size: Option<u64>,
    consumed: u64,
    reported: u64,
    shown: bool,
}

impl<R: BufRead> ProgressReader<R> {
    /// Wraps `inner`, of `size` bytes when known. `label` starts the bar's
    /// line (`herald route`). Draws only when stderr is a terminal and
    /// stdout is not.
    pub(crate) fn new(inner: R, size: Option<u64>, label: &str) -> Self {
        let watched = io::stderr().is_terminal() && !io::stdout().is_terminal();
        ProgressReader::watched(inner, size, label, watched)
    }

    /// Like [`ProgressReader::new`], with whether anyone watches decided by
    /// the caller.
    fn watched(inner: R, size: Option<u64>, label: &str, watched: bool) -> Self {
        let meter = watched.then(|| Meter::new(size, label));
        let mut reader = ProgressReader { inner, meter };
        if size.is_some_and(|size| size >= LARGE) {
            reader.show();
        }
        reader
    }

    /// Whether the bar is being drawn.
    #[cfg(test)]
    fn is_shown(&self) -> bool {
        self.meter.as_ref().is_some_and(|meter| meter.shown)
    }

    fn show(&mut self) {
        if let Some(meter) = &mut self.meter
            && !meter.shown
        {
            meter.shown = true;
            meter.bar.set_draw_target(ProgressDrawTarget::stderr());
            meter.bar.tick();
        }
    }

    fn advance(&mut self, bytes: usize) {
        let Some(meter) = &mut self.meter else {
            return;
        };
        meter.consumed += bytes as u64;
        if meter.consumed - meter.reported < STEP {
            return;
        }
        meter.reported = meter.consumed;
        meter.bar.set_position(meter.consumed);
        // A pipe's size is unknown: it is large once that much came through.
        if meter.size.is_none() && meter.consumed >= LARGE {
            self.show();
        }
    }
}

impl Meter {
    fn new(size: Option<u64>, label: &str) -> Self {
        let template = if size.is_some() {
            "{prefix} [{bar:30}] {binary_bytes}/{binary_total_bytes}, {eta} left"
        } else {
            "{prefix} {spinner} {binary_bytes} read, {binary_bytes_per_sec}"
        };
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        let bar = ProgressBar::with_draw_target(size, ProgressDrawTarget::hidden())
            .with_style(style)
            .with_prefix(label.to_owned());
        Meter {
            bar,
            size,
            consumed: 0,
            reported: 0,
            shown: false,
        }
    }
}

impl Drop for Meter {
    fn drop(&mut self) {
        if self.shown {
            self.bar.finish_and_clear();
        }
    }
}

impl<R: BufRead> Read for ProgressReader<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.advance(read);
        Ok(read)
    }
}

impl<R: BufRead> BufRead for ProgressReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.inner.consume(amount);
        self.advance(amount);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(reader: &mut impl BufRead) -> usize {
        let mut lines = 0;
        let mut line = Vec::new();
        while reader.read_until(b'\n', &mut line).unwrap() > 0 {
            lines += 1;
            line.clear();
        }
        lines
    }

    #[test]
    fn a_large_file_shows_the_bar_from_the_start() {
        let input = io::empty();
        let reader = ProgressReader::watched(input, Some(LARGE), "t", true);
        assert!(reader.is_shown());
    }

    #[test]
    fn a_small_file_never_shows_the_bar() {
        let input = vec![b'x'; 1000];
        let mut reader = ProgressReader::watched(&input[..], Some(1000), "t", true);
        drain(&mut reader);
        assert!(!reader.is_shown());
    }

    #[test]
    fn a_pipe_shows_the_bar_once_a_large_amount_came_through() {
        let line = [&[b'x'; 1023][..], b"\n"].concat();
        let input = line.repeat((LARGE + STEP) as usize / line.len());
        let mut reader = ProgressReader::watched(&input[..LARGE as usize / 2], None, "t", true);
        drain(&mut reader);
        assert!(!reader.is_shown());
        let mut reader = ProgressReader::watched(&input[..], None, "t", true);
        assert_eq!(drain(&mut reader), input.len() / line.len());
        assert!(reader.is_shown());
    }

    #[test]
    fn nobody_watching_means_no_bar_and_the_same_bytes() {
        let input = b"a\nb\n".repeat(LARGE as usize / 4 + 1);
        let mut reader = ProgressReader::watched(&input[..], None, "t", false);
        let mut copy = Vec::new();
        reader.read_to_end(&mut copy).unwrap();
        assert_eq!(copy, input);
        assert!(!reader.is_shown());
    }
}
