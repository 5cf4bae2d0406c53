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
        // Printable ASCII, so UTF-8.
        out.push_str(std::str::from_utf8(text).unwrap_or_default());
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

/// Appends the decimal digits of `value`.
pub(super) fn push_uint(out: &mut String, mut value: u64) {
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
    // ASCII digits.
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
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
