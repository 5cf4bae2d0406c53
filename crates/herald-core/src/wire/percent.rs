//! Percent-encoding as `application/x-www-form-urlencoded` bodies use it.
//!
//! Decoding turns `+` into a space and `%XX` (either case) into the byte;
//! encoding writes what PHP's `urlencode` writes — ASCII letters, digits and
//! `-._` as they are, a space as `+`, every other byte as `%XX` in upper
//! case — which is what InPlayer's sample request shows
//! (`resource%5Bfoo%5D=bar`). This module knows nothing of keys or forms.

/// Decodes `raw`; on a `%` without two hex digits after it, the offset of
/// that `%` within `raw`.
pub(crate) fn decode(raw: &[u8]) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(raw.len());
    let mut at = 0;
    while let Some(&byte) = raw.get(at) {
        match byte {
            b'+' => out.push(b' '),
            b'%' => {
                let high = raw.get(at + 1).and_then(|&digit| hex_value(digit));
                let low = raw.get(at + 2).and_then(|&digit| hex_value(digit));
                let (Some(high), Some(low)) = (high, low) else {
                    return Err(at);
                };
                out.push(high << 4 | low);
                at += 2;
            }
            other => out.push(other),
        }
        at += 1;
    }
    Ok(out)
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// Appends `text` percent-encoded to `out`.
pub(crate) fn encode_into(out: &mut Vec<u8>, text: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in text {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => out.push(byte),
            b' ' => out.push(b'+'),
            other => out.extend_from_slice(&[
                b'%',
                HEX[usize::from(other >> 4)],
                HEX[usize::from(other & 0x0F)],
            ]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(text: &str) -> String {
        let mut out = Vec::new();
        encode_into(&mut out, text.as_bytes());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn decodes_plus_as_space_and_escapes_in_either_case() {
        assert_eq!(decode(b"For+Paywall+03").unwrap(), b"For Paywall 03");
        assert_eq!(decode(b"%E2%82%ac10.00").unwrap(), "€10.00".as_bytes());
        assert_eq!(decode(b"a%2Bb%25").unwrap(), b"a+b%");
    }

    #[test]
    fn reports_the_offset_of_a_malformed_escape() {
        assert_eq!(decode(b"ab%G1"), Err(2));
        assert_eq!(decode(b"ab%4"), Err(2));
        assert_eq!(decode(b"%"), Err(0));
    }

    #[test]
    fn encodes_like_php_urlencode() {
        assert_eq!(encoded("resource[foo]"), "resource%5Bfoo%5D");
        assert_eq!(encoded("a b+c~*"), "a+b%2Bc%7E%2A");
        assert_eq!(encoded("€1.0-_"), "%E2%82%AC1.0-_");
    }

    #[test]
    fn decoding_inverts_encoding() {
        let text = "any text: &=%+[]\u{0}\u{7f}ü";
        assert_eq!(decode(encoded(text).as_bytes()).unwrap(), text.as_bytes());
    }
}
