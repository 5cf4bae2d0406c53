//! The lexical rules of RFC 8259: whitespace, strings with their escapes,
//! numbers, literals — where each token starts and ends, never what it
//! means or where it may stand (that is [`super::reader`]'s grammar).
//!
//! The common bytes are read a word at a time: runs of whitespace and the
//! plain bytes of strings, eight per step. A string's UTF-8 is checked only
//! when one of its bytes has the high bit set, and its text is decoded only
//! when an escape makes it differ from the raw bytes and a caller asks.
//! Integers are accumulated exactly while their digits are scanned. Nothing
//! here allocates except [`decode_into`], into a buffer the caller reuses.

/// A string token: the raw bytes between the quotes and what the scan saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StrToken {
    /// Offset just after the opening quote.
    pub(crate) start: usize,
    /// Offset of the closing quote.
    pub(crate) end: usize,
    /// The raw bytes hold at least one escape (so the value differs).
    pub(crate) escaped: bool,
    /// The raw bytes are valid UTF-8 and every `\u` escape encodes a
    /// character (no lone surrogates).
    pub(crate) unicode_ok: bool,
    /// A string the reader was told to expect, and read as that string
    /// ([`super::Reader::next_token_expecting`]); `false` for every other.
    pub(crate) expected: bool,
}

/// A number token, with the exact value of an integer that fits 64 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NumToken {
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// No fraction and no exponent.
    pub(crate) integer: bool,
    /// A leading `-`.
    pub(crate) negative: bool,
    /// The integer's absolute value, when `fits`.
    pub(crate) magnitude: u64,
    /// An integer whose absolute value fits a `u64`.
    pub(crate) fits: bool,
}

impl NumToken {
    /// The exact value of an integer token whose absolute value fits a
    /// `u64` — every `int64` and `uint64` value, and nothing a machine
    /// integer could hold is left out. `None` for fractions, exponents and
    /// larger integers. No value passes through `f64`.
    #[inline]
    pub(crate) fn integer_value(&self) -> Option<i128> {
        let magnitude = i128::from(self.magnitude);
        (self.integer && self.fits).then_some(if self.negative { -magnitude } else { magnitude })
    }
}

/// A lexical error: where, and what is wrong with the token there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LexError {
    pub(crate) offset: usize,
    pub(crate) reason: &'static str,
}

/// A cursor over the bytes.
#[derive(Debug, Clone)]
pub(crate) struct Lexer<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) pos: usize,
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;
const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// Bytes of `word` equal to zero, as high bits (exact for the lowest one:
/// a borrow may mark bytes above it, which callers never look at).
#[inline]
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGHS
}

/// Bytes of `word` equal to `byte`, as high bits, exact for every byte (no
/// carry crosses a byte: each sum stays below 0x100).
#[inline]
fn equal_bytes(word: u64, byte: u8) -> u64 {
    let diff = word ^ (ONES * u64::from(byte));
    !(((diff & LOWS) + LOWS) | diff | LOWS)
}

/// The eight bytes at `at`, little-endian, if there are eight. Asked as
/// the range `at..at + 8`, one comparison of its end with the length
/// (asking for the tail from `at` and then its first eight bytes compared
/// twice, in every step of the loops that scan strings and whitespace).
#[inline]
fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    bytes
        .get(at..at.checked_add(8)?)
        .and_then(<[u8]>::first_chunk::<8>)
        .map(|chunk| u64::from_le_bytes(*chunk))
}

#[inline]
fn is_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\n' | b'\r' | b'\t')
}

/// The end of a run of whitespace that starts at `pos`. A free function
/// (not a method) so that the cursor can stay in registers around the call.
#[inline(never)]
fn skip_run(bytes: &[u8], mut pos: usize) -> usize {
    const SPACES: u64 = ONES * b' ' as u64;
    while let Some(word) = word_at(bytes, pos) {
        // Indentation is spaces: eight of them are one comparison, and the
        // first other byte ends the run unless it is whitespace too (a
        // newline, a tab), which the general test below handles.
        let not_space = word ^ SPACES;
        if not_space == 0 {
            pos += 8;
            continue;
        }
        let first = pos + (not_space.trailing_zeros() / 8) as usize;
        if !bytes.get(first).copied().is_some_and(is_whitespace) {
            return first;
        }
        let blank = equal_bytes(word, b' ')
            | equal_bytes(word, b'\n')
            | equal_bytes(word, b'\r')
            | equal_bytes(word, b'\t');
        let other = !blank & HIGHS;
        if other != 0 {
            return pos + (other.trailing_zeros() / 8) as usize;
        }
        pos += 8;
    }
    while bytes.get(pos).copied().is_some_and(is_whitespace) {
        pos += 1;
    }
    pos
}

/// The magnitude of more than nineteen digits, and whether it fits a `u64`.
#[cold]
fn long_integer(digits: &[u8]) -> (u64, bool) {
    let exact = digits.iter().try_fold(0u64, |value, &digit| {
        value
            .checked_mul(10)
            .and_then(|value| value.checked_add(u64::from(digit - b'0')))
    });
    (exact.unwrap_or(0), exact.is_some())
}

/// Checks one escape at `pos` (the backslash); returns the offset after it.
fn escape(bytes: &[u8], pos: usize, surrogates_ok: &mut bool) -> Result<usize, LexError> {
    match bytes.get(pos + 1) {
        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(pos + 2),
        Some(b'u') => {
            let unit = hex4(bytes, pos + 2)?;
            match unit {
                0xD800..=0xDBFF => {
                    let low = if bytes.get(pos + 6..pos + 8) == Some(b"\\u") {
                        Some(hex4(bytes, pos + 8)?)
                    } else {
                        None
                    };
                    match low {
                        Some(0xDC00..=0xDFFF) => Ok(pos + 12),
                        _ => {
                            *surrogates_ok = false;
                            Ok(pos + 6)
                        }
                    }
                }
                0xDC00..=0xDFFF => {
                    *surrogates_ok = false;
                    Ok(pos + 6)
                }
                _ => Ok(pos + 6),
            }
        }
        Some(_) => Err(LexError {
            offset: pos,
            reason: "invalid escape in a string",
        }),
        None => Err(LexError {
            offset: pos,
            reason: "unterminated string",
        }),
    }
}

/// The code unit of the four hex digits at `at`.
fn hex4(bytes: &[u8], at: usize) -> Result<u16, LexError> {
    let digits = bytes.get(at..at + 4).ok_or(LexError {
        offset: at,
        reason: "unterminated \\u escape",
    })?;
    let mut unit = 0u16;
    for &digit in digits {
        let value = match digit {
            b'0'..=b'9' => digit - b'0',
            b'a'..=b'f' => digit - b'a' + 10,
            b'A'..=b'F' => digit - b'A' + 10,
            _ => {
                return Err(LexError {
                    offset: at,
                    reason: "\\u must be followed by four hex digits",
                });
            }
        };
        unit = unit << 4 | u16::from(value);
    }
    Ok(unit)
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Lexer { bytes, pos: 0 }
    }

    #[inline]
    pub(crate) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips whitespace. Compact JSON has none (one comparison); indented
    /// JSON has one space after a colon, and a newline with a run of
    /// indentation after a comma, which is skipped eight bytes at a time.
    #[inline(always)]
    pub(crate) fn skip_whitespace(&mut self) {
        match self.peek() {
            Some(byte) if is_whitespace(byte) => {}
            _ => return,
        }
        self.pos += 1;
        match self.peek() {
            Some(byte) if is_whitespace(byte) => self.pos = skip_run(self.bytes, self.pos),
            _ => {}
        }
    }

    #[inline(always)]
    fn error(&self, offset: usize, reason: &'static str) -> LexError {
        LexError { offset, reason }
    }

    /// Reads a string; `pos` is at the opening quote.
    #[inline(always)]
    pub(crate) fn string(&mut self) -> Result<StrToken, LexError> {
        let start = self.pos + 1;
        let mut pos = start;
        let mut escaped = false;
        let mut surrogates_ok = true;
        // The OR of the bytes seen (a whole word at a time, so possibly a few
        // past the string): if no high bit is set, the text is ASCII and
        // needs no UTF-8 check.
        let mut seen = 0u64;
        let bytes = self.bytes;
        loop {
            // Eight bytes at a time while none is special: `"`, `\` or a
            // control character. UTF-8 is checked once, at the end, and only
            // when a byte had its high bit set.
            while let Some(word) = word_at(bytes, pos) {
                let special = zero_bytes(word ^ (ONES * u64::from(b'"')))
                    | zero_bytes(word ^ (ONES * u64::from(b'\\')))
                    | (word.wrapping_sub(ONES * 0x20) & !word & HIGHS);
                seen |= word;
                if special != 0 {
                    pos += (special.trailing_zeros() / 8) as usize;
                    break;
                }
                pos += 8;
            }
            let Some(&byte) = bytes.get(pos) else {
                return Err(self.error(pos, "unterminated string"));
            };
            match byte {
                b'"' => {
                    let unicode_ok = surrogates_ok
                        && (seen & HIGHS == 0 || std::str::from_utf8(&bytes[start..pos]).is_ok());
                    self.pos = pos + 1;
                    return Ok(StrToken {
                        start,
                        end: pos,
                        escaped,
                        unicode_ok,
                        expected: false,
                    });
                }
                b'\\' => {
                    escaped = true;
                    pos = escape(bytes, pos, &mut surrogates_ok)?;
                }
                0x00..=0x1F => {
                    return Err(self.error(pos, "control character inside a string"));
                }
                _ => {
                    seen |= u64::from(byte);
                    pos += 1;
                }
            }
        }
    }

    /// Reads a number; `pos` is at `-` or a digit. The digits of the
    /// integer part are accumulated as they are scanned.
    #[inline(always)]
    pub(crate) fn number(&mut self) -> Result<NumToken, LexError> {
        let start = self.pos;
        let bytes = self.bytes;
        let mut pos = start;
        let negative = bytes.get(pos) == Some(&b'-');
        if negative {
            pos += 1;
        }
        let digits = pos;
        let mut magnitude = 0u64;
        match bytes.get(pos) {
            Some(b'0') => {
                pos += 1;
                if bytes.get(pos).is_some_and(u8::is_ascii_digit) {
                    return Err(self.error(start, "leading zeros are not allowed in a number"));
                }
            }
            Some(b'1'..=b'9') => {
                while let Some(&digit @ b'0'..=b'9') = bytes.get(pos) {
                    magnitude = magnitude
                        .wrapping_mul(10)
                        .wrapping_add(u64::from(digit - b'0'));
                    pos += 1;
                }
            }
            _ => return Err(self.error(start, "a number needs digits after `-`")),
        }
        // Nineteen digits always fit; the rare longer ones are redone with
        // checked arithmetic.
        let mut fits = true;
        if pos - digits > 19 {
            (magnitude, fits) = long_integer(&bytes[digits..pos]);
        }
        let mut integer = true;
        if bytes.get(pos) == Some(&b'.') {
            integer = false;
            pos += 1;
            let digits = pos;
            while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
                pos += 1;
            }
            if pos == digits {
                return Err(self.error(pos, "a number needs digits after `.`"));
            }
        }
        if let Some(b'e' | b'E') = bytes.get(pos) {
            integer = false;
            pos += 1;
            if let Some(b'+' | b'-') = bytes.get(pos) {
                pos += 1;
            }
            let digits = pos;
            while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
                pos += 1;
            }
            if pos == digits {
                return Err(self.error(pos, "a number needs digits in its exponent"));
            }
        }
        self.pos = pos;
        Ok(NumToken {
            start,
            end: pos,
            integer,
            negative,
            magnitude,
            fits,
        })
    }

    /// Reads `word` (`true`, `false`, `null`) at `pos`; `false` when the
    /// bytes there are something else.
    #[inline(always)]
    pub(crate) fn literal(&mut self, word: &'static [u8]) -> bool {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word) {
            self.pos += word.len();
            true
        } else {
            false
        }
    }
}

/// Appends the value of a checked string token's raw bytes to `out`.
/// Lone surrogates become U+FFFD; invalid UTF-8 is replaced the same way.
pub(crate) fn decode_into(raw: &[u8], out: &mut Vec<u8>) {
    let mut pos = 0;
    while pos < raw.len() {
        let byte = raw[pos];
        if byte != b'\\' {
            let next = raw[pos..]
                .iter()
                .position(|&b| b == b'\\')
                .map_or(raw.len(), |offset| pos + offset);
            out.extend_from_slice(&raw[pos..next]);
            pos = next;
            continue;
        }
        let kind = raw.get(pos + 1).copied().unwrap_or(b'\\');
        let simple = match kind {
            b'b' => Some(0x08),
            b'f' => Some(0x0C),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'u' => None,
            other => Some(other),
        };
        if let Some(simple) = simple {
            out.push(simple);
            pos += 2;
            continue;
        }
        let unit = decoded_unit(raw, pos + 2);
        pos += 6;
        let code = match unit {
            0xD800..=0xDBFF if raw.get(pos..pos + 2) == Some(b"\\u") => {
                let low = decoded_unit(raw, pos + 2);
                if (0xDC00..=0xDFFF).contains(&low) {
                    pos += 6;
                    0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00)
                } else {
                    0xFFFD
                }
            }
            0xD800..=0xDFFF => 0xFFFD,
            other => u32::from(other),
        };
        let character = char::from_u32(code).unwrap_or('\u{FFFD}');
        let mut buffer = [0u8; 4];
        out.extend_from_slice(character.encode_utf8(&mut buffer).as_bytes());
    }
}

/// The code unit of a checked `\u` escape's digits at `at`.
fn decoded_unit(raw: &[u8], at: usize) -> u16 {
    raw.get(at..at + 4)
        .map(|digits| {
            digits.iter().fold(0u16, |unit, &digit| {
                let value = match digit {
                    b'0'..=b'9' => digit - b'0',
                    b'a'..=b'f' => digit - b'a' + 10,
                    b'A'..=b'F' => digit - b'A' + 10,
                    _ => 0,
                };
                unit << 4 | u16::from(value)
            })
        })
        .unwrap_or(0xFFFD)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> StrToken {
        let mut lexer = Lexer::new(text.as_bytes());
        lexer.string().unwrap()
    }

    fn number(text: &str) -> NumToken {
        let mut lexer = Lexer::new(text.as_bytes());
        lexer.number().unwrap()
    }

    #[test]
    fn finds_the_closing_quote_past_a_long_ascii_run() {
        let token = scan(r#""abcdefghijklmnopqrstuvwxyz" tail"#);
        assert_eq!((token.start, token.end), (1, 27));
        assert!(!token.escaped && token.unicode_ok);
    }

    #[test]
    fn stops_at_a_control_character_in_the_first_chunk() {
        let mut lexer = Lexer::new(b"\"abc\x01defghij\"");
        assert_eq!(lexer.string().unwrap_err().offset, 4);
    }

    #[test]
    fn accepts_multibyte_text_before_the_quote() {
        let token = scan("\"caf\u{e9} cr\u{e8}me br\u{fb}l\u{e9}e\"");
        assert!(token.unicode_ok);
    }

    #[test]
    fn flags_invalid_utf8_and_lone_surrogates() {
        let mut lexer = Lexer::new(b"\"abcdefgh\xff\"");
        assert!(!lexer.string().unwrap().unicode_ok);
        assert!(!scan(r#""\ud800""#).unicode_ok);
        assert!(scan(r#""\ud83d\ude00""#).unicode_ok);
    }

    #[test]
    fn decodes_escapes_and_surrogate_pairs() {
        let mut out = Vec::new();
        decode_into(br#"a\"b\\c\/\n\u00e9\ud83d\ude00\ud800x"#, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a\"b\\c/\n\u{e9}\u{1F600}\u{FFFD}x"
        );
    }

    #[test]
    fn integer_values_are_exact_up_to_the_u64_magnitude() {
        assert_eq!(
            number("9223372036854775808").integer_value(),
            Some(9_223_372_036_854_775_808)
        );
        assert_eq!(
            number("-9223372036854775809").integer_value(),
            Some(-9_223_372_036_854_775_809)
        );
        assert_eq!(
            number("18446744073709551615").integer_value(),
            Some(i128::from(u64::MAX))
        );
        assert_eq!(number("18446744073709551616").integer_value(), None);
        assert_eq!(number("-0").integer_value(), Some(0));
        assert_eq!(number("1.0").integer_value(), None);
        assert_eq!(number("1e3").integer_value(), None);
        assert_eq!(number(&"9".repeat(39)).integer_value(), None);
    }

    #[test]
    fn whitespace_runs_end_at_the_first_other_byte() {
        for (text, at) in [
            ("x", 0),
            (" x", 1),
            ("  x", 2),
            ("\n            x", 13),
            ("\t\r\n \t\r\n \t\r\n \t\r\nx", 15),
            ("           \u{1}   ", 11),
            ("                ", 16),
            ("       !", 7),
            ("        !", 8),
            ("        \n    !", 13),
            ("   \n        \t   !", 16),
            ("\n\n\n\n\n\n\n\n\n \"", 10),
            ("                \u{a0}", 16),
            ("  \r\n", 4),
        ] {
            let mut lexer = Lexer::new(text.as_bytes());
            lexer.skip_whitespace();
            assert_eq!(lexer.pos, at, "{text:?}");
        }
    }
}
