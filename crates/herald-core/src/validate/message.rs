//! The texts of issues — JSON Pointers and messages — written straight into
//! the one `String` each ends up in.
//!
//! An issue costs what users read and nothing more: its pointer and its
//! message are each one allocation, sized up front, filled piece by piece
//! (numbers without the formatting machinery, quoted values without an
//! intermediate `String`). The rare texts that need escaping fall back to
//! `Debug`, whose output they must match byte for byte; this module never
//! decides what an issue says, only writes it.

use std::fmt::Write as _;

/// Longest quoted value, in characters, before it is cut with `…`.
const QUOTED_CHARS: usize = 64;

/// Whether `byte` is written as itself inside `Debug`'s double quotes.
#[inline]
fn plain(byte: u8) -> bool {
    matches!(byte, 0x20..=0x7E) && byte != b'"' && byte != b'\\'
}

/// Appends `text` as `Debug` writes a `&str`: in double quotes, escaped.
pub(super) fn push_debug(out: &mut String, text: &str) {
    if text.bytes().all(plain) {
        out.push('"');
        out.push_str(text);
        out.push('"');
    } else {
        let _ = write!(out, "{text:?}");
    }
}

/// Appends a value read from a payload, quoted for a message: its text
/// (invalid UTF-8 replaced) as `Debug` writes it, cut after 64 characters
/// with `…`.
pub(super) fn push_quoted(out: &mut String, text: &[u8]) {
    if text.len() <= QUOTED_CHARS && text.iter().all(|&byte| plain(byte)) {
        out.push('"');
        // Printable ASCII: each byte is its character.
        out.extend(text.iter().copied().map(char::from));
        out.push('"');
        return;
    }
    let text = String::from_utf8_lossy(text);
    if text.chars().count() <= QUOTED_CHARS {
        let _ = write!(out, "{text:?}");
    } else {
        let cut: String = text.chars().take(QUOTED_CHARS).collect();
        let _ = write!(out, "{cut:?}…");
    }
}

/// The decimal digits of `value`, at the end of a buffer: the digits are
/// `buffer[start..]`.
fn decimal_digits(mut value: u64) -> ([u8; 20], usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    (digits, at)
}

/// Appends the decimal digits of `value`.
pub(super) fn push_uint(out: &mut String, value: u64) {
    let (digits, start) = decimal_digits(value);
    // ASCII digits: each byte is its character.
    out.extend(digits[start..].iter().copied().map(char::from));
}

/// Appends `value` in decimal, with its sign.
pub(super) fn push_int(out: &mut String, value: i128) {
    if value < 0 {
        out.push('-');
    }
    match u64::try_from(value.unsigned_abs()) {
        Ok(magnitude) => push_uint(out, magnitude),
        Err(_) => {
            let _ = write!(out, "{}", value.unsigned_abs());
        }
    }
}

/// A string for a message of about `len` bytes (one allocation when the
/// estimate holds).
pub(super) fn message(len: usize) -> String {
    String::with_capacity(len)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The bytes of `word` equal to `byte`, as high bits (exact: no carry
/// crosses a byte).
#[inline]
fn equal_bytes(word: u64, byte: u8) -> u64 {
    let diff = word ^ (ONES * u64::from(byte));
    !(((diff & 0x7F7F_7F7F_7F7F_7F7F) + 0x7F7F_7F7F_7F7F_7F7F) | diff | 0x7F7F_7F7F_7F7F_7F7F)
}

/// Whether all eight bytes of `word` are printable ASCII other than `\`,
/// `~` and `/`.
#[inline]
fn plain_word(word: u64) -> bool {
    // With no high bit set, a byte below 0x20 is the only one whose
    // subtraction borrows into its own high bit.
    word & HIGHS == 0
        && word.wrapping_sub(ONES * 0x20) & !word & HIGHS == 0
        && equal_bytes(word, 0x7F)
            | equal_bytes(word, b'\\')
            | equal_bytes(word, b'~')
            | equal_bytes(word, b'/')
            == 0
}

/// Whether a key's raw bytes are its JSON Pointer token as they stand:
/// printable ASCII with no escape and neither of the two characters RFC
/// 6901 escapes. Eight bytes at a time (the last few padded with `a`).
pub(super) fn plain_pointer_token(raw: &[u8]) -> bool {
    let (words, rest) = raw.as_chunks::<8>();
    let mut last = *b"aaaaaaaa";
    last[..rest.len()].copy_from_slice(rest);
    words
        .iter()
        .all(|word| plain_word(u64::from_le_bytes(*word)))
        && plain_word(u64::from_le_bytes(last))
}

/// Appends the decimal digits of `value` to a text being built as bytes.
pub(super) fn push_uint_bytes(out: &mut Vec<u8>, value: u64) {
    let (digits, start) = decimal_digits(value);
    out.extend_from_slice(&digits[start..]);
}

/// Appends `key`, valid UTF-8, as one JSON Pointer token: `/`, then the key
/// with `~` written `~0` and `/` written `~1` (RFC 6901). Both are ASCII, so
/// escaping byte by byte equals escaping character by character.
pub(crate) fn push_pointer_token(out: &mut String, key: &str) {
    out.push('/');
    let mut rest = key;
    while let Some(at) = rest.find(['~', '/']) {
        out.push_str(&rest[..at]);
        out.push_str(if rest.as_bytes()[at] == b'~' {
            "~0"
        } else {
            "~1"
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &[u8]) -> String {
        let mut out = String::new();
        push_quoted(&mut out, text);
        out
    }

    /// What messages showed before this module: `Debug` of the lossy text,
    /// cut after 64 characters.
    fn reference(text: &[u8]) -> String {
        let text = String::from_utf8_lossy(text);
        if text.chars().count() <= 64 {
            format!("{text:?}")
        } else {
            let cut: String = text.chars().take(64).collect();
            format!("{cut:?}…")
        }
    }

    /// The plain-token rule byte by byte.
    fn plain_reference(raw: &[u8]) -> bool {
        raw.iter()
            .all(|&byte| matches!(byte, 0x20..=0x7E) && !matches!(byte, b'\\' | b'~' | b'/'))
    }

    #[test]
    fn a_key_is_a_plain_pointer_token_exactly_when_every_byte_is_plain() {
        let base = b"account_id-and-more!".to_vec();
        for len in 0..=base.len() {
            for at in 0..len {
                for byte in 0..=255u8 {
                    let mut raw = base[..len].to_vec();
                    raw[at] = byte;
                    assert_eq!(plain_pointer_token(&raw), plain_reference(&raw), "{raw:?}");
                }
            }
            assert!(plain_pointer_token(&base[..len]));
        }
    }

    #[test]
    fn digits_as_bytes_are_the_digits_as_text() {
        for value in [0, 7, 10, 99, 12345, u64::MAX] {
            let mut bytes = Vec::new();
            push_uint_bytes(&mut bytes, value);
            let mut text = String::new();
            push_uint(&mut text, value);
            assert_eq!(bytes, value.to_string().as_bytes());
            assert_eq!(text, value.to_string());
        }
    }

    #[test]
    fn quoted_values_are_debug_text_cut_after_64_characters() {
        let long = "é".repeat(70);
        let exact = "a".repeat(64);
        let over = "a".repeat(65);
        let cases: [&[u8]; 10] = [
            b"",
            b"plain ascii",
            b"quote \" and backslash \\",
            b"tab\tnewline\n",
            b"\xff\xfe invalid",
            "caf\u{e9} \u{301}combining".as_bytes(),
            long.as_bytes(),
            exact.as_bytes(),
            over.as_bytes(),
            "\u{1F600} \u{200B} zero width".as_bytes(),
        ];
        for text in cases {
            assert_eq!(quoted(text), reference(text), "{text:?}");
        }
    }

    #[test]
    fn debug_text_is_debug() {
        for text in ["user.created", "a\"b", "{channel}.message.sent", "é\u{0}"] {
            let mut out = String::new();
            push_debug(&mut out, text);
            assert_eq!(out, format!("{text:?}"));
        }
    }

    #[test]
    fn numbers_are_decimal() {
        for value in [
            0i128,
            7,
            -7,
            10,
            i128::from(i64::MIN),
            i128::from(u64::MAX),
            -i128::from(u64::MAX) - 5,
            i128::MAX,
        ] {
            let mut out = String::new();
            push_int(&mut out, value);
            assert_eq!(out, value.to_string());
        }
    }

    #[test]
    fn pointer_tokens_escape_tilde_and_slash() {
        let mut pointer = String::from("/resource");
        push_pointer_token(&mut pointer, "a/b~c~/");
        assert_eq!(pointer, "/resource/a~1b~0c~0~1");
    }
}
