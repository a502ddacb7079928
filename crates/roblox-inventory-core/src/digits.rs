//! Ids that Open Cloud sends as strings of decimal digits (`"assetId": "1028595"`, protobuf's JSON form of an
//! int64, WIRE-QUIRKS 24), and the one parser of such digits.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// The number a string of decimal digits spells, if it fits in 64 bits; stricter than `u64::from_str`, which
/// also takes a leading `+`. Leading zeros are read (`007` is 7).
pub fn parse_digits(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    match bytes.len() {
        0 => None,
        1..=7 => bytes.iter().try_fold(0u64, |number, byte| {
            let digit = byte.wrapping_sub(b'0');
            (digit <= 9).then_some(number * 10 + u64::from(digit))
        }),
        // Nineteen digits always fit in 64 bits. This runs for every id of every Open Cloud item, so it reads
        // eight digits at a time, straight from the text: no branch per digit, and the ids' varying lengths
        // cost one branch, not a mispredicted loop exit.
        8..=19 => {
            let head = bytes.len() % 8;
            let mut number = if head == 0 {
                0
            } else {
                // The first eight bytes, shifted so that the `head` digits are the last ones of eight and
                // zeros come before them.
                let word = u64::from_le_bytes(bytes[..8].try_into().ok()?);
                let zeros = u64::from_le_bytes([b'0'; 8]) >> (8 * head);
                eight_digits(word << (8 * (8 - head)) | zeros)?
            };
            for chunk in bytes[head..].chunks_exact(8) {
                number = number * 100_000_000
                    + eight_digits(u64::from_le_bytes(chunk.try_into().ok()?))?;
            }
            Some(number)
        }
        _ => bytes.iter().try_fold(0u64, |number, byte| {
            let digit = byte.wrapping_sub(b'0');
            if digit > 9 {
                return None;
            }
            number.checked_mul(10)?.checked_add(u64::from(digit))
        }),
    }
}

/// The number spelt by eight ASCII digits read as a little-endian word (the first, most significant digit in
/// the lowest byte); `None` if any byte is no digit.
// A few instructions, called once per id and per fraction: always worth inlining.
#[inline(always)]
pub(crate) fn eight_digits(word: u64) -> Option<u64> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // A byte is a digit when its high nibble is 3 and adding 6 does not carry into that nibble.
    let high_nibbles = word & (0xF0 * ONES);
    let carried = (word.wrapping_add(0x06 * ONES) & (0xF0 * ONES)) >> 4;
    if high_nibbles | carried != 0x33 * ONES {
        return None;
    }
    // Pairs, then fours, then all eight: each step multiplies every lane by its place and adds the next lane
    // down onto it (the first, most significant digit is the lowest byte).
    let digits = word - 0x30 * ONES;
    let pairs = (digits * 10 + (digits >> 8)) & 0x00FF_00FF_00FF_00FF;
    let fours = (pairs * 100 + (pairs >> 16)) & 0x0000_FFFF_0000_FFFF;
    Some((fours * 10_000 + (fours >> 32)) & 0xFFFF_FFFF)
}

/// A string Roblox fills with decimal digits, as a generated model holds it: the number, read once while
/// decoding and without copying the text; or, if the string is not the plain digits of a 64-bit number (empty,
/// signed, too long, leading zeros, letters), the text as sent, so that nothing is lost and the model writes
/// back what it read. It always writes back as a string.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DigitString {
    /// The digits, read as a number.
    Number(u64),
    /// A string that is not the plain digits of a 64-bit number, unchanged.
    Text(Box<str>),
}

impl DigitString {
    /// The number, when the string was one.
    pub fn number(&self) -> Option<u64> {
        match self {
            DigitString::Number(number) => Some(*number),
            DigitString::Text(_) => None,
        }
    }

    /// Reads `text`: a number only when writing it back gives `text` again.
    pub fn read(text: &str) -> Self {
        match parse_digits(text) {
            Some(number) if text.len() == 1 || !text.starts_with('0') => {
                DigitString::Number(number)
            }
            _ => DigitString::Text(text.into()),
        }
    }
}

impl From<u64> for DigitString {
    fn from(number: u64) -> Self {
        DigitString::Number(number)
    }
}

impl fmt::Display for DigitString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DigitString::Number(number) => fmt::Display::fmt(number, f),
            DigitString::Text(text) => f.write_str(text),
        }
    }
}

impl Serialize for DigitString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Through itoa rather than `collect_str`: listings serialize several ids per item.
            DigitString::Number(number) => {
                serializer.serialize_str(itoa::Buffer::new().format(*number))
            }
            DigitString::Text(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for DigitString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DigitStringVisitor;

        impl Visitor<'_> for DigitStringVisitor {
            type Value = DigitString;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string of decimal digits")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<DigitString, E> {
                Ok(DigitString::read(text))
            }

            // Roblox documents strings; a number is taken too rather than failing the page.
            fn visit_u64<E: de::Error>(self, number: u64) -> Result<DigitString, E> {
                Ok(DigitString::Number(number))
            }

            fn visit_i64<E: de::Error>(self, number: i64) -> Result<DigitString, E> {
                Ok(u64::try_from(number).map_or_else(
                    |_| DigitString::Text(number.to_string().into()),
                    DigitString::Number,
                ))
            }
        }

        deserializer.deserialize_any(DigitStringVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_length_and_every_place_of_a_bad_byte_agree_with_the_standard_parser() {
        let digits = "98765432109876543210";
        for length in 1..=digits.len() {
            for start in 0..=digits.len() - length {
                let text = &digits[start..start + length];
                assert_eq!(parse_digits(text), text.parse::<u64>().ok(), "{text:?}");
                for bad_at in 0..length {
                    for bad in [b'/', b':', b' ', b'a', b'+', 0xB0] {
                        let mut bytes = text.as_bytes().to_vec();
                        bytes[bad_at] = bad;
                        let text = String::from_utf8_lossy(&bytes);
                        assert_eq!(parse_digits(&text), None, "{text:?}");
                    }
                }
            }
        }
        for number in [
            0,
            9,
            10,
            99_999_999,
            100_000_000,
            u64::MAX / 10,
            u64::MAX - 1,
            u64::MAX,
        ] {
            assert_eq!(parse_digits(&number.to_string()), Some(number));
            assert_eq!(parse_digits(&format!("{number:020}")), Some(number));
        }
        assert_eq!(parse_digits("00000000000000000000"), Some(0));
        assert_eq!(parse_digits("99999999999999999999"), None);
        assert_eq!(
            parse_digits("000000000000000000001"),
            Some(1),
            "leading zeros, however many"
        );
    }

    #[test]
    fn digits_parse_strictly() {
        assert_eq!(parse_digits("1028595"), Some(1_028_595));
        assert_eq!(parse_digits("007"), Some(7));
        assert_eq!(parse_digits("18446744073709551615"), Some(u64::MAX));
        for bad in [
            "",
            "+1",
            "-1",
            " 1",
            "1 ",
            "1e3",
            "1.0",
            "18446744073709551616",
            "٣",
        ] {
            assert_eq!(parse_digits(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_digit_string_reads_numbers_and_keeps_anything_else_as_sent() {
        let decoded: Vec<DigitString> = serde_json::from_str(
            r#"["1028595", "0", "007", "", "-3", "abc", "18446744073709551616", 12]"#,
        )
        .unwrap();
        assert_eq!(
            decoded,
            [
                DigitString::Number(1_028_595),
                DigitString::Number(0),
                DigitString::Text("007".into()),
                DigitString::Text("".into()),
                DigitString::Text("-3".into()),
                DigitString::Text("abc".into()),
                DigitString::Text("18446744073709551616".into()),
                DigitString::Number(12),
            ]
        );
        assert_eq!(
            serde_json::to_string(&decoded).unwrap(),
            r#"["1028595","0","007","","-3","abc","18446744073709551616","12"]"#
        );
        assert_eq!(
            serde_json::to_string(&DigitString::Number(u64::MAX)).unwrap(),
            r#""18446744073709551615""#
        );
        assert_eq!(decoded[0].number(), Some(1_028_595));
        assert_eq!(decoded[5].number(), None);
        assert_eq!(decoded[5].to_string(), "abc");
        assert!(serde_json::from_str::<DigitString>("null").is_err());
    }
}
