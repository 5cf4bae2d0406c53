//! The string formats of the schema language, checked on the decoded text.
//!
//! Each check is exact and small: no regular expressions, no allocation. The
//! date-time rules follow RFC 3339 section 5.6 as JSON Schema's `date-time`
//! format does (calendar days, leap years, a leap second only at 23:59 UTC).

use crate::schema::StringFormat;

/// Whether `text` follows `format`.
pub(crate) fn matches(format: StringFormat, text: &[u8]) -> bool {
    match format {
        StringFormat::Uuid => is_uuid(text),
        StringFormat::DateTime => is_date_time(text, Offset::Rfc3339),
        StringFormat::DateTimeLenient => is_date_time(text, Offset::ColonOptional),
        StringFormat::CurrencyCode => text.len() == 3 && text.iter().all(u8::is_ascii_uppercase),
        StringFormat::Decimal => is_decimal(text),
    }
}

/// What the format expects, for messages.
pub(crate) fn describe(format: StringFormat) -> &'static str {
    match format {
        StringFormat::Uuid => "a hyphenated UUID such as 6c9fb170-e0b8-4559-b442-0c986f6354b8",
        StringFormat::DateTime => "an RFC 3339 date-time such as 2019-01-15T12:45:21Z",
        StringFormat::DateTimeLenient => {
            "a date-time such as 2019-01-15T12:45:21Z or 2019-06-07T13:11:41+0000"
        }
        StringFormat::CurrencyCode => "three upper-case letters such as EUR",
        StringFormat::Decimal => "a decimal number such as 3.00 or -2",
    }
}

/// Per byte of a word, `0x01`: the multiplier that spreads a byte value
/// over all eight.
const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The bytes of `word` (each below 0x80) from `low` to `high`, as high
/// bits: a byte of at least `low` reaches 0x80 when 0x80 − `low` is added,
/// one above `high` when 0x7F − `high` is; no sum leaves its byte.
#[inline]
fn bytes_between(word: u64, low: u8, high: u8) -> u64 {
    let at_least_low = word + ONES * u64::from(0x80 - low);
    let above_high = word + ONES * u64::from(0x7F - high);
    at_least_low & !above_high & HIGHS
}

/// Whether all eight bytes of `word` are ASCII hex digits, either case.
/// Setting bit 0x20 folds `A`–`F` onto `a`–`f` and nothing else onto them.
#[inline]
fn eight_hex_digits(word: u64) -> bool {
    word & HIGHS == 0
        && bytes_between(word, b'0', b'9') | bytes_between(word | (ONES * 0x20), b'a', b'f')
            == HIGHS
}

/// The little-endian word of the eight bytes at `at` (all bits set, which
/// no check accepts, past the end).
#[inline]
fn word_at(text: &[u8], at: usize) -> u64 {
    text.get(at..)
        .and_then(<[u8]>::first_chunk::<8>)
        .map_or(u64::MAX, |chunk| u64::from_le_bytes(*chunk))
}

/// `8-4-4-4-12` hex digits, eight bytes at a time: the hyphens of the
/// second and third words are checked, then replaced by `0` so that the
/// words check as hex digits whole (the last word overlaps the one before).
fn is_uuid(text: &[u8]) -> bool {
    // Bytes 8 and 13 of the text are bytes 0 and 5 of the second word;
    // 18 and 23 are bytes 2 and 7 of the third.
    const SECOND: u64 = 0x0000_FF00_0000_00FF;
    const THIRD: u64 = 0xFF00_0000_00FF_0000;
    const HYPHENS: u64 = ONES * b'-' as u64;
    const ZEROS: u64 = ONES * b'0' as u64;
    if text.len() != 36 {
        return false;
    }
    let second = word_at(text, 8);
    let third = word_at(text, 16);
    second & SECOND == HYPHENS & SECOND
        && third & THIRD == HYPHENS & THIRD
        && eight_hex_digits(word_at(text, 0))
        && eight_hex_digits((second & !SECOND) | (ZEROS & SECOND))
        && eight_hex_digits((third & !THIRD) | (ZEROS & THIRD))
        && eight_hex_digits(word_at(text, 24))
        && eight_hex_digits(word_at(text, 28))
}

/// Whether all eight bytes of `word` are ASCII digits: each has the high
/// nibble 3, and still has it with 6 added (0x3A to 0x3F do not). A carry
/// can leave a byte only when that byte's high nibble is F, which the first
/// test already refused.
#[inline]
fn eight_digits(word: u64) -> bool {
    const HIGH_NIBBLES: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const THREES: u64 = 0x3030_3030_3030_3030;
    word & HIGH_NIBBLES == THREES
        && word.wrapping_add(0x0606_0606_0606_0606) & HIGH_NIBBLES == THREES
}

/// Whether `part` is one or more ASCII digits, eight at a time.
/// The bytes after the whole words are checked as one more word: the last
/// eight bytes (overlapping the words before), or for a shorter part its
/// bytes padded with `0`.
fn all_digits(part: &[u8]) -> bool {
    let (words, rest) = part.as_chunks::<8>();
    let last = part.last_chunk::<8>().copied().unwrap_or_else(|| {
        let mut padded = *b"00000000";
        padded[..rest.len()].copy_from_slice(rest);
        padded
    });
    !part.is_empty()
        && words
            .iter()
            .all(|word| eight_digits(u64::from_le_bytes(*word)))
        && eight_digits(u64::from_le_bytes(last))
}

/// `-?digits(.digits)?`: the common whole number in one pass of words.
fn is_decimal(text: &[u8]) -> bool {
    let digits = text.strip_prefix(b"-").unwrap_or(text);
    if all_digits(digits) {
        return true;
    }
    match digits.iter().position(|&byte| byte == b'.') {
        Some(dot) => all_digits(&digits[..dot]) && all_digits(&digits[dot + 1..]),
        None => false,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Offset {
    Rfc3339,
    /// Also `+hhmm`, as InPlayer's webhooks send it.
    ColonOptional,
}

fn two_digits(text: &[u8], at: usize) -> Option<u32> {
    match text.get(at..at + 2)? {
        &[tens @ b'0'..=b'9', units @ b'0'..=b'9'] => {
            Some(u32::from(tens - b'0') * 10 + u32::from(units - b'0'))
        }
        _ => None,
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn is_date_time(text: &[u8], offset_style: Offset) -> bool {
    let field = |at| two_digits(text, at);
    let (Some(century), Some(year_low), Some(month), Some(day)) =
        (field(0), field(2), field(5), field(8))
    else {
        return false;
    };
    let year = century * 100 + year_low;
    if text.get(4) != Some(&b'-') || text.get(7) != Some(&b'-') {
        return false;
    }
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return false;
    }
    if !matches!(text.get(10), Some(b'T' | b't')) {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) = (field(11), field(14), field(17)) else {
        return false;
    };
    if text.get(13) != Some(&b':') || text.get(16) != Some(&b':') {
        return false;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut at = 19;
    if text.get(at) == Some(&b'.') {
        at += 1;
        let digits = text[at..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        at += digits;
    }
    // Minutes east of UTC.
    let offset: i32 = match text.get(at) {
        Some(b'Z' | b'z') if at + 1 == text.len() => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let rest = &text[at + 1..];
            let (hours, minutes) = match rest.len() {
                5 if rest[2] == b':' => (two_digits(rest, 0), two_digits(rest, 3)),
                4 if offset_style == Offset::ColonOptional => {
                    (two_digits(rest, 0), two_digits(rest, 2))
                }
                _ => return false,
            };
            let (Some(hours), Some(minutes)) = (hours, minutes) else {
                return false;
            };
            if hours > 23 || minutes > 59 {
                return false;
            }
            let magnitude = (hours * 60 + minutes) as i32;
            if sign == b'+' { magnitude } else { -magnitude }
        }
        _ => return false,
    };
    if second == 60 {
        // A leap second is inserted at 23:59:60 UTC only.
        let utc = ((hour * 60 + minute) as i32 - offset).rem_euclid(24 * 60);
        return utc == 23 * 60 + 59;
    }
    true
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimals_are_digits_with_one_optional_fraction() {
        for good in [
            "0",
            "-2",
            "3.00",
            "15.5",
            "162553625262",
            "12345678901234567890.5",
        ] {
            assert!(super::is_decimal(good.as_bytes()), "{good}");
        }
        for bad in [
            "",
            "-",
            ".5",
            "5.",
            "1.2.3",
            "1e3",
            "+1",
            " 1",
            "12345678:",
            "1234567/",
            "12:30",
            "１２",
            "123456789\u{ff}",
        ] {
            assert!(!super::is_decimal(bad.as_bytes()), "{bad}");
        }
        for byte in 0..=255u8 {
            let mut text = *b"12345678";
            text[3] = byte;
            let expected = byte.is_ascii_digit() || byte == b'.';
            assert_eq!(super::is_decimal(&text), expected, "{byte:#x}");
        }
    }

    use super::*;

    #[test]
    fn date_times_follow_rfc_3339() {
        let ok = |text: &str| matches(StringFormat::DateTime, text.as_bytes());
        assert!(ok("2019-01-15T12:45:21Z"));
        assert!(ok("2019-01-15t12:45:21.123+01:00"));
        assert!(ok("2020-02-29T00:00:00Z"));
        assert!(ok("2016-12-31T23:59:60Z"));
        assert!(ok("2017-01-01T00:59:60+01:00"));
        assert!(!ok("2019-02-29T00:00:00Z"));
        assert!(!ok("2019-06-07T13:11:41+0000"));
        assert!(!ok("2019-06-07 13:11:41Z"));
        assert!(!ok("2019-06-07T12:00:60Z"));
        assert!(!ok("2019-13-07T12:00:00Z"));
    }

    #[test]
    fn lenient_date_times_also_take_offsets_without_a_colon() {
        let ok = |text: &str| matches(StringFormat::DateTimeLenient, text.as_bytes());
        assert!(ok("2019-06-07T13:11:41+0000"));
        assert!(ok("2019-06-07T13:11:41+00:00"));
        assert!(!ok("2019-06-07T13:11:41+000"));
    }

    /// The rule byte by byte, as the word-wise check must read it.
    fn uuid_reference(text: &[u8]) -> bool {
        text.len() == 36
            && text
                .iter()
                .enumerate()
                .all(|(position, &byte)| match position {
                    8 | 13 | 18 | 23 => byte == b'-',
                    _ => byte.is_ascii_hexdigit(),
                })
    }

    #[test]
    fn a_uuid_with_any_one_byte_replaced_is_judged_as_byte_by_byte() {
        let uuid = b"6c9fB170-e0b8-4559-b442-0c986f6354b8".to_vec();
        assert!(is_uuid(&uuid));
        let mut tried = 0;
        for at in 0..uuid.len() {
            for byte in 0..=255u8 {
                let mut changed = uuid.clone();
                changed[at] = byte;
                assert_eq!(
                    is_uuid(&changed),
                    uuid_reference(&changed),
                    "{at} {byte:#x}"
                );
                tried += 1;
            }
        }
        assert_eq!(tried, 36 * 256);
        for len in 0..40 {
            let text: Vec<u8> = uuid.iter().copied().cycle().take(len).collect();
            assert_eq!(is_uuid(&text), uuid_reference(&text), "length {len}");
        }
        for text in [
            b"00000000-0000-0000-0000-000000000000".as_slice(),
            b"ffffffff-FFFF-aAaA-9999-0123456789ab",
            "\u{e9}0000000-0000-0000-0000-00000000000".as_bytes(),
        ] {
            assert_eq!(is_uuid(text), uuid_reference(text));
        }
    }

    #[test]
    fn digit_runs_of_every_length_with_any_one_byte_replaced_are_judged_byte_by_byte() {
        for len in 0..=20 {
            let digits: Vec<u8> = (0..len).map(|at| b'0' + (at % 10) as u8).collect();
            assert_eq!(all_digits(&digits), len > 0, "length {len}");
            for at in 0..len {
                for byte in 0..=255u8 {
                    let mut changed = digits.clone();
                    changed[at] = byte;
                    assert_eq!(
                        all_digits(&changed),
                        changed.iter().all(u8::is_ascii_digit),
                        "{changed:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn hex_digit_words_accept_exactly_the_hex_digits() {
        for byte in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = *b"0aF9fA7b";
                bytes[at] = byte;
                let word = u64::from_le_bytes(bytes);
                assert_eq!(
                    eight_hex_digits(word),
                    byte.is_ascii_hexdigit(),
                    "{byte:#x}"
                );
            }
        }
    }

    #[test]
    fn decimals_uuids_and_currency_codes() {
        for good in ["3.00", "15.5", "-2", "0"] {
            assert!(matches(StringFormat::Decimal, good.as_bytes()), "{good}");
        }
        for bad in ["", "-", "1.", ".5", "1e3", "+1", " 1"] {
            assert!(!matches(StringFormat::Decimal, bad.as_bytes()), "{bad}");
        }
        assert!(matches(
            StringFormat::Uuid,
            b"6C9FB170-e0b8-4559-b442-0c986f6354b8"
        ));
        assert!(!matches(
            StringFormat::Uuid,
            b"6c9fb170e0b84559b4420c986f6354b8"
        ));
        assert!(matches(StringFormat::CurrencyCode, b"EUR"));
        assert!(!matches(StringFormat::CurrencyCode, b"eur"));
    }
}
