//! Ids that Open Cloud sends as strings of decimal digits (`"assetId": "1028595"`, protobuf's JSON form of an
//! int64, WIRE-QUIRKS 24), and the one parser of such digits.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// The number a string of decimal digits spells, if it fits in 64 bits; stricter than `u64::from_str`, which
/// also takes a leading `+`. Leading zeros are read (`007` is 7).
pub fn parse_digits(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    // One pass, digit by digit: this runs for every id of every Open Cloud item.
    text.bytes().try_fold(0u64, |number, byte| {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        number.checked_mul(10)?.checked_add(u64::from(digit))
    })
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
            DigitString::Number(number) => serializer.collect_str(number),
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
        assert_eq!(decoded[0].number(), Some(1_028_595));
        assert_eq!(decoded[5].number(), None);
        assert_eq!(decoded[5].to_string(), "abc");
        assert!(serde_json::from_str::<DigitString>("null").is_err());
    }
}
