//! Reading untrusted input with a bound. A payload or a line never takes more
//! memory than one byte past the limit that rejects it anyway, so a huge or
//! endless input is refused with the library's own `too_large` verdict instead
//! of exhausting memory.

use std::io::{self, BufRead, Read};

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
