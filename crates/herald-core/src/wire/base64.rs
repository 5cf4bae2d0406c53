//! Standard base64 (RFC 4648 §4, `+/` alphabet), for lobby payloads that
//! arrive encoded.
//!
//! Encoding always pads with `=`. Decoding accepts padded or unpadded text
//! and refuses any character outside the alphabet, padding anywhere but at
//! the end, and a length no encoder produces. It never allocates more than
//! the decoded size.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `bytes` in base64 with padding.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let word = chunk.iter().enumerate().fold(0u32, |word, (index, &byte)| {
            word | u32::from(byte) << (16 - 8 * index)
        });
        for index in 0..4 {
            if index <= chunk.len() {
                out.push(char::from(
                    ALPHABET[(word >> (18 - 6 * index) & 0x3F) as usize],
                ));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn value(character: u8) -> Option<u32> {
    match character {
        b'A'..=b'Z' => Some(u32::from(character - b'A')),
        b'a'..=b'z' => Some(u32::from(character - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(character - b'0') + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Decodes base64 text; on failure, the offset of the first bad character
/// (or the length, when the text is cut short).
pub(crate) fn decode(text: &[u8]) -> Result<Vec<u8>, usize> {
    let unpadded = match text {
        [rest @ .., b'=', b'='] => rest,
        [rest @ .., b'='] => rest,
        _ => text,
    };
    if let Some(bad) = unpadded
        .iter()
        .position(|&character| value(character).is_none())
    {
        return Err(bad);
    }
    if text.len() != unpadded.len() && !text.len().is_multiple_of(4) {
        return Err(text.len());
    }
    if unpadded.len() % 4 == 1 {
        return Err(unpadded.len());
    }
    let mut out = Vec::with_capacity(unpadded.len() / 4 * 3 + 2);
    for (chunk_index, chunk) in unpadded.chunks(4).enumerate() {
        let mut word = 0u32;
        for (index, &character) in chunk.iter().enumerate() {
            let Some(bits) = value(character) else {
                return Err(chunk_index * 4 + index);
            };
            word |= bits << (18 - 6 * index);
        }
        let bytes = [(word >> 16) as u8, (word >> 8) as u8, word as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    Ok(out)
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
