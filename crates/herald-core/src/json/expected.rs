//! Strings a reader is told to expect: a caller that knows which key most
//! likely comes next (a schema's next field), or which string a member's
//! value most likely is (a constant, the event's own name), hands it to the
//! reader, which recognises it with a comparison or two of whole words at
//! the opening quote instead of scanning it byte by byte.
//!
//! The comparison covers the closing quote, so a match is the whole string
//! and nothing longer, and a text that a JSON string could only hold
//! escaped (a quote, a backslash, a control character) is never expected:
//! a match is always exactly the raw, unescaped, valid UTF-8 string. When
//! the string is another, the reader reads it the ordinary way; expecting
//! only ever changes how fast a string is read, never what is read.

/// What a reader expects next, if anything: the next key, and the value of
/// the member whose key it has just read.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Expect<'e> {
    /// The key, when the next token is one.
    pub(crate) key: Option<&'e ExpectedString>,
    /// The string value, when the next token is a member's value.
    pub(crate) member: Option<&'e ExpectedString>,
}

/// A string's raw bytes followed by its closing quote, ready to be compared
/// against a payload a word at a time.
#[derive(Debug, Clone)]
pub(crate) struct ExpectedString {
    /// The name and the closing quote.
    quoted: Box<[u8]>,
    /// The first eight bytes of `quoted`, zero-padded.
    first: u64,
    /// The bits of `first` that belong to `quoted`.
    mask: u64,
}

/// The little-endian number of the eight bytes at `at`, if there are eight.
#[inline(always)]
fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    bytes
        .get(at..)
        .and_then(<[u8]>::first_chunk::<8>)
        .map(|chunk| u64::from_le_bytes(*chunk))
}

impl ExpectedString {
    /// The expectation of the string `name`; `None` for a text that JSON
    /// writes only with escapes.
    pub(crate) fn new(name: &str) -> Option<ExpectedString> {
        if name
            .bytes()
            .any(|byte| byte == b'"' || byte == b'\\' || byte < 0x20)
        {
            return None;
        }
        let mut quoted = Vec::with_capacity(name.len() + 1);
        quoted.extend_from_slice(name.as_bytes());
        quoted.push(b'"');
        let mut padded = [0u8; 8];
        let head = quoted.len().min(8);
        padded[..head].copy_from_slice(&quoted[..head]);
        Some(ExpectedString {
            first: u64::from_le_bytes(padded),
            mask: if head == 8 {
                u64::MAX
            } else {
                (1u64 << (head * 8)) - 1
            },
            quoted: quoted.into_boxed_slice(),
        })
    }

    /// The name's length in bytes (without the quote).
    #[inline(always)]
    pub(crate) fn len(&self) -> usize {
        self.quoted.len() - 1
    }

    /// Whether the bytes from `at` (just after an opening quote) are the
    /// name and its closing quote.
    #[inline(always)]
    pub(crate) fn matches(&self, bytes: &[u8], at: usize) -> bool {
        let Some(first) = word_at(bytes, at) else {
            return bytes.get(at..at + self.quoted.len()) == Some(&*self.quoted);
        };
        if (first ^ self.first) & self.mask != 0 {
            return false;
        }
        let len = self.quoted.len();
        if len <= 8 {
            return true;
        }
        // The first eight bytes are equal: compare the last eight, then
        // the eight-byte steps between.
        let Some(tail) = bytes.get(at..at + len) else {
            return false;
        };
        let last = |text: &[u8]| {
            text.last_chunk::<8>()
                .map(|chunk| u64::from_ne_bytes(*chunk))
        };
        if last(tail) != last(&self.quoted) {
            return false;
        }
        let (theirs, _) = tail[8..].as_chunks::<8>();
        let (ours, _) = self.quoted[8..].as_chunks::<8>();
        theirs.iter().zip(ours).all(|(theirs, ours)| theirs == ours)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_matches_only_itself_with_its_closing_quote() {
        for name in [
            "",
            "a",
            "id",
            "seven77",
            "eight888",
            "nine99999",
            "sixteen_bytes_16",
            "a_name_of_twenty_five_byt",
        ] {
            let key = ExpectedString::new(name).unwrap();
            assert_eq!(key.len(), name.len());
            for tail in ["\":1}", "\"", "\":1,\"padding\":\"........\"}"] {
                let payload = format!("{{\"{name}{tail}");
                assert!(key.matches(payload.as_bytes(), 2), "{payload}");
            }
            for other in [
                format!("{name}x\""),
                name.to_string(),
                format!("x{name}\":1"),
            ] {
                let payload = format!("{{\"{other}, \"more\": \"padding text\"}}");
                assert!(!key.matches(payload.as_bytes(), 2), "{payload}");
            }
            if !name.is_empty() {
                let mut changed = name.as_bytes().to_vec();
                let last = changed.len() - 1;
                changed[last] ^= 1;
                let payload = [b"{\"".as_slice(), &changed, b"\": 1, \"padding\": 0}"].concat();
                assert!(!key.matches(&payload, 2));
            }
        }
    }

    #[test]
    fn names_json_writes_with_escapes_are_never_expected() {
        for name in ["a\"b", "back\\slash", "tab\there", "\u{1}"] {
            assert!(ExpectedString::new(name).is_none(), "{name:?}");
        }
        assert!(ExpectedString::new("caf\u{e9}").is_some());
    }
}
