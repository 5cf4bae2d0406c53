//! Standard base64 (RFC 4648 §4, `+/` alphabet), for lobby payloads that
//! arrive encoded, through the `base64` crate.
//!
//! Encoding always pads with `=`. Decoding accepts padded or unpadded text
//! and refuses any character outside the alphabet, padding anywhere but at
//! the end, and a length no encoder produces. Errors give one byte offset,
//! and a bad character is named before a bad length: the offset of the
//! first character outside the alphabet wins over the length.

use base64::Engine;
use base64::alphabet::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Padded output; padding is stripped before decoding (so it is optional),
/// and unused low bits of the last character are ignored, as before the
/// crate did this work.
const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new()
        .with_encode_padding(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// `bytes` in base64 with padding.
pub(crate) fn encode(bytes: &[u8]) -> String {
    ENGINE.encode(bytes)
}

fn in_alphabet(character: u8) -> bool {
    character.is_ascii_alphanumeric() || character == b'+' || character == b'/'
}

/// Decodes base64 text; on failure, the offset of the first bad character
/// (or the length, when the text is cut short).
pub(crate) fn decode(text: &[u8]) -> Result<Vec<u8>, usize> {
    let unpadded = match text {
        [rest @ .., b'=', b'='] => rest,
        [rest @ .., b'='] => rest,
        _ => text,
    };
    // The offset users see is the first bad character's, before any length
    // problem, whatever order the crate would find them in.
    if let Some(bad) = unpadded
        .iter()
        .position(|&character| !in_alphabet(character))
    {
        return Err(bad);
    }
    if text.len() != unpadded.len() && !text.len().is_multiple_of(4) {
        return Err(text.len());
    }
    ENGINE.decode(unpadded).map_err(|error| match error {
        base64::DecodeError::InvalidByte(offset, _)
        | base64::DecodeError::InvalidLastSymbol(offset, _) => offset,
        base64::DecodeError::InvalidLength(_) | base64::DecodeError::InvalidPadding => {
            unpadded.len()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_the_rfc_4648_test_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(plain.as_bytes()), encoded);
            assert_eq!(decode(encoded.as_bytes()).unwrap(), plain.as_bytes());
        }
    }

    #[test]
    fn accepts_unpadded_text() {
        assert_eq!(decode(b"Zm9vYg").unwrap(), b"foob");
        assert_eq!(decode(b"Zm9vYmE").unwrap(), b"fooba");
    }

    #[test]
    fn refuses_bad_characters_padding_and_lengths() {
        assert_eq!(decode(b"Zm9v!mFy"), Err(4));
        assert_eq!(decode(b"Zm=vYmFy"), Err(2));
        assert_eq!(decode(b"Zm9vY"), Err(5));
        assert_eq!(decode(b"Zg="), Err(3));
        assert_eq!(decode(b"Zm9v YmFy"), Err(4));
    }

    #[test]
    fn decoding_inverts_encoding_for_every_length() {
        let bytes: Vec<u8> = (0..=255).collect();
        for end in 0..bytes.len() {
            assert_eq!(
                decode(encode(&bytes[..end]).as_bytes()).unwrap(),
                &bytes[..end]
            );
        }
    }
}
