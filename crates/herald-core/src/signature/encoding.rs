//! How signatures and secrets are written: hex and base64.
//!
//! Signatures are public (they travel in headers), so decoding them needs
//! no constant-time care; the comparison that matters happens on the
//! decoded bytes, in `verify`. This module only converts text and bytes.

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Signatures in headers: the standard alphabet with its `=` padding, as
/// every sender writes them. Anything else is a signature that cannot match.
pub(super) const SIGNATURE_BASE64: GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// Secrets: the standard alphabet, padding optional. The Python reference
/// library accepts unpadded secrets, so herald does too.
pub(super) const SECRET_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes hex digits of either case. `None` for an odd length or a
/// non-hex byte.
pub(super) fn hex_decode(text: &[u8]) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.chunks_exact(2)
        .map(|pair| Some(hex_digit(pair[0])? << 4 | hex_digit(pair[1])?))
        .collect()
}

fn hex_digit(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Lower-case hex, as InPlayer, Orangepill and Stripe send it.
pub(super) fn hex_encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

/// Base64 with padding, as Standard Webhooks signatures are written.
pub(super) fn base64_encode(bytes: &[u8]) -> String {
    SIGNATURE_BASE64.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_reads_either_case() {
        assert_eq!(hex_encode(&[0x00, 0xab, 0x7f]), "00ab7f");
        assert_eq!(hex_decode(b"00ab7f"), Some(vec![0x00, 0xab, 0x7f]));
        assert_eq!(hex_decode(b"00AB7F"), Some(vec![0x00, 0xab, 0x7f]));
    }

    #[test]
    fn hex_refuses_odd_lengths_and_other_bytes() {
        assert_eq!(hex_decode(b"abc"), None);
        assert_eq!(hex_decode(b"zz"), None);
        assert_eq!(hex_decode(b"+1"), None);
        assert_eq!(hex_decode(b""), Some(Vec::new()));
    }

    #[test]
    fn secrets_decode_with_or_without_padding_and_signatures_need_it() {
        assert_eq!(SECRET_BASE64.decode("aGk=").unwrap(), b"hi");
        assert_eq!(SECRET_BASE64.decode("aGk").unwrap(), b"hi");
        assert_eq!(SIGNATURE_BASE64.decode("aGk=").unwrap(), b"hi");
        assert!(SIGNATURE_BASE64.decode("aGk").is_err());
    }
}
