use std::fmt;
use std::num::NonZeroU8;
use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike, Utc};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::digits::eight_digits;

/// A date and time as Roblox sends it: RFC 3339, or the same without a timezone.
///
/// Older legacy responses carry dates like `2018-10-28T09:37:59.397` (no offset, one to nine fractional
/// digits); those are taken as UTC. The timestamp remembers whether an offset was sent, and writes itself back
/// the same way.
///
/// Decoding reads the text into its fields and checks that the date and time exist, without any calendar
/// arithmetic: a scan decodes one or two per item, and [`to_utc`](Self::to_utc) does the arithmetic only when
/// asked.
///
/// It takes 16 bytes, and an `Option<Timestamp>` as many: a scan moves every item, and items hold up to three.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Timestamp {
    year: u16,
    month: NonZeroU8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    /// How many fractional digits were sent, so the value is written back as it came.
    fraction_digits: u8,
    nanos: u32,
    /// East of UTC, in seconds; [`NO_OFFSET`] when no offset was sent.
    offset: i32,
}

/// [`Timestamp::offset`] when no offset was sent; below every real offset, as `None` is below `Some`.
const NO_OFFSET: i32 = i32::MIN;

/// A string that is not a date and time in a form Roblox uses.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "{value:?} is not a timestamp: {reason} (expected YYYY-MM-DDTHH:MM:SS[.fraction][Z|+HH:MM])"
)]
pub struct TimestampError {
    /// What was given.
    pub value: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl Timestamp {
    /// The date and time as written, without the offset.
    fn local(&self) -> NaiveDateTime {
        // Parsing (or `From<DateTime<Utc>>`) checked that the date and the time exist.
        let date = NaiveDate::from_ymd_opt(
            i32::from(self.year),
            u32::from(self.month.get()),
            u32::from(self.day),
        )
        .expect("a timestamp's date exists");
        let time = NaiveTime::from_hms_nano_opt(
            u32::from(self.hour),
            u32::from(self.minute),
            u32::from(self.second),
            self.nanos,
        )
        .expect("a timestamp's time exists");
        NaiveDateTime::new(date, time)
    }

    /// The instant, in UTC. A timestamp sent without an offset is taken as UTC.
    pub fn to_utc(&self) -> DateTime<Utc> {
        let offset = TimeDelta::seconds(i64::from(self.offset_seconds().unwrap_or(0)));
        (self.local() - offset).and_utc()
    }

    /// Whether Roblox sent an offset (`Z` or `+HH:MM`).
    pub fn has_offset(&self) -> bool {
        self.offset != NO_OFFSET
    }

    /// East of UTC, in seconds, if an offset was sent.
    fn offset_seconds(&self) -> Option<i32> {
        (self.offset != NO_OFFSET).then_some(self.offset)
    }

    /// Seconds since the Unix epoch.
    pub fn unix_seconds(&self) -> i64 {
        self.to_utc().timestamp()
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(instant: DateTime<Utc>) -> Self {
        let mut fraction_digits = 9;
        let mut nanos = instant.timestamp_subsec_nanos();
        while fraction_digits > 0 && nanos.is_multiple_of(10) {
            nanos /= 10;
            fraction_digits -= 1;
        }
        // Four digits write years 0 to 9999; chrono's range is wider, and an instant outside is held at the
        // nearest end (Roblox sends none).
        let first = NaiveDate::from_ymd_opt(0, 1, 1).and_then(|date| date.and_hms_opt(0, 0, 0));
        let last = NaiveDate::from_ymd_opt(9999, 12, 31)
            .and_then(|date| date.and_hms_nano_opt(23, 59, 59, 999_999_999));
        let local = match (first, last) {
            (Some(first), Some(last)) => instant.naive_utc().clamp(first, last),
            _ => instant.naive_utc(),
        };
        Self {
            year: u16::try_from(local.year()).unwrap_or(0),
            month: NonZeroU8::new(local.month() as u8).unwrap_or(NonZeroU8::MIN),
            day: local.day() as u8,
            hour: local.hour() as u8,
            minute: local.minute() as u8,
            // A leap second (nanos at or above 1e9) is written as second 59.
            second: local.second() as u8,
            fraction_digits,
            nanos: local.nanosecond().min(999_999_999),
            offset: 0,
        }
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(timestamp: Timestamp) -> Self {
        timestamp.to_utc()
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    /// By instant; equal instants written with different offsets order by their written form.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.to_utc()
            .cmp(&other.to_utc())
            .then_with(|| self.local().cmp(&other.local()))
            .then_with(|| self.offset.cmp(&other.offset))
            .then_with(|| self.fraction_digits.cmp(&other.fraction_digits))
    }
}

/// The value of the ASCII digit at `at`.
fn digit(bytes: &[u8], at: usize) -> Option<u32> {
    let value = bytes.get(at)?.wrapping_sub(b'0');
    (value <= 9).then_some(u32::from(value))
}

/// The two-digit number at `at`.
fn two_digits(bytes: &[u8], at: usize) -> Option<u32> {
    Some(digit(bytes, at)? * 10 + digit(bytes, at + 1)?)
}

fn byte_is(bytes: &[u8], at: usize, accepted: &[u8]) -> bool {
    bytes.get(at).is_some_and(|byte| accepted.contains(byte))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// Where the fractional digits start, after `YYYY-MM-DDTHH:MM:SS.`.
const FRACTION_START: usize = 20;

/// The forms Roblox sends (`2012-01-01T00:00:02.081Z`, `2018-10-28T09:37:59.397`, `...+01:00`), read with one
/// length check and no branching per byte; `None` for anything else, which [`parse`] reads byte by byte and, if
/// it is no timestamp, says why.
fn parse_common(bytes: &[u8]) -> Option<Timestamp> {
    // `YYYY-MM-DDTHH:MM:SS` as three little-endian words (the first byte lowest): bytes 0-7, 8-15 and 11-18.
    let (date_time, rest) = bytes.split_first_chunk::<19>()?;
    let word = |start: usize| {
        let mut chunk = [0; 8];
        chunk.copy_from_slice(&date_time[start..start + 8]);
        u64::from_le_bytes(chunk)
    };
    let (ymd, dhm, hms) = (word(0), word(8), word(11));
    // Each word's separators, and which of its bytes are digits.
    const YMD_SEPARATORS: (u64, u64) = (0xFF00_00FF_0000_0000, 0x2D00_002D_0000_0000); // "-" at 4 and 7
    const DHM_SEPARATORS: (u64, u64) = (0x0000_FF00_00FF_0000, 0x0000_3A00_0054_0000); // "T" at 2, ":" at 5
    const HMS_SEPARATORS: (u64, u64) = (0x0000_FF00_0000_0000, 0x0000_3A00_0000_0000); // ":" at 5 (byte 16)
    const YMD_DIGITS: u64 = 0x00FF_FF00_FFFF_FFFF;
    const DHM_DIGITS: u64 = 0xFFFF_00FF_FF00_FFFF;
    const HMS_DIGITS: u64 = 0xFFFF_0000_0000_0000; // bytes 17 and 18; 11 to 15 are in the word before
    const ONES: u64 = 0x0101_0101_0101_0101;
    // A byte is a digit when, XORed with '0', it is at most 9: no high nibble, and adding 6 stays below 16.
    let digits = |word: u64, mask: u64| (word ^ (0x30 * ONES)) & mask;
    let (ymd_digits, dhm_digits, hms_digits) = (
        digits(ymd, YMD_DIGITS),
        digits(dhm, DHM_DIGITS),
        digits(hms, HMS_DIGITS),
    );
    let not_digits =
        |digits: u64| (digits & (0xF0 * ONES)) | (digits.wrapping_add(0x06 * ONES) & (0x10 * ONES));
    if ymd & YMD_SEPARATORS.0 != YMD_SEPARATORS.1
        || dhm & DHM_SEPARATORS.0 != DHM_SEPARATORS.1
        || hms & HMS_SEPARATORS.0 != HMS_SEPARATORS.1
        || not_digits(ymd_digits) | not_digits(dhm_digits) | not_digits(hms_digits) != 0
    {
        return None;
    }
    // Each byte becomes ten times itself plus the next byte: at the first byte of every pair, its number.
    let pairs = |digits: u64| digits * 10 + (digits >> 8);
    let (ymd_pairs, dhm_pairs, hms_pairs) =
        (pairs(ymd_digits), pairs(dhm_digits), pairs(hms_digits));
    let pair = |pairs: u64, at: u32| (pairs >> (8 * at)) as u32 & 0xFF;
    let year = pair(ymd_pairs, 0) * 100 + pair(ymd_pairs, 2);
    let (month, day) = (pair(ymd_pairs, 5), pair(dhm_pairs, 0));
    let (hour, minute, second) = (pair(dhm_pairs, 3), pair(dhm_pairs, 6), pair(hms_pairs, 6));
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }

    // The offset is found from the end, so the fraction's length is known without scanning it.
    let offset_length = match rest {
        [.., b'Z'] => 1,
        [.., b'+' | b'-', _, _, b':', _, _] => 6,
        _ => 0,
    };
    let (fraction, rest) = rest.split_at(rest.len() - offset_length);
    let (nanos, fraction_digits) = match fraction {
        [] => (0, 0),
        [b'.', digits @ ..] if (1..=8).contains(&digits.len()) => {
            // The eight bytes that end with the fraction (the text is longer than that), shifted so that its
            // digits come first and zeros after them: eight digits that are the nanoseconds divided by ten.
            let count = digits.len();
            let end = FRACTION_START + count;
            let word = u64::from_le_bytes(bytes.get(end - 8..end)?.try_into().ok()?);
            let zeros = u64::from_le_bytes([b'0'; 8])
                .checked_shl(8 * count as u32)
                .unwrap_or(0);
            (
                eight_digits(word >> (8 * (8 - count)) | zeros)? as u32 * 10,
                count as u8,
            )
        }
        [b'.', digits @ .., last] if digits.len() == 8 => {
            let digits = u64::from_le_bytes(digits.try_into().ok()?);
            let last = last.wrapping_sub(b'0');
            if last > 9 {
                return None;
            }
            (eight_digits(digits)? as u32 * 10 + u32::from(last), 9)
        }
        _ => return None,
    };
    let offset_seconds = match rest {
        [] => None,
        [b'Z'] => Some(0),
        [sign @ (b'+' | b'-'), h0, h1, b':', m0, m1] => {
            let mut bad = false;
            let mut two = |high: u8, low: u8| {
                let (high, low) = (high.wrapping_sub(b'0'), low.wrapping_sub(b'0'));
                bad |= (high > 9) | (low > 9);
                i32::from(high) * 10 + i32::from(low)
            };
            let seconds = two(*h0, *h1) * 3600 + two(*m0, *m1) * 60;
            if bad {
                return None;
            }
            if seconds >= 86_400 {
                return None;
            }
            Some(if *sign == b'-' { -seconds } else { seconds })
        }
        _ => return None,
    };
    // Every field was checked to fit: two digits each, four for the year.
    Some(Timestamp {
        year: year as u16,
        month: NonZeroU8::new(month as u8)?,
        day: day as u8,
        hour: hour as u8,
        minute: minute as u8,
        second: second as u8,
        fraction_digits,
        nanos,
        offset: offset_seconds.unwrap_or(NO_OFFSET),
    })
}

/// Reads `YYYY-MM-DD[Tt ]HH:MM:SS[.fraction][Z|z|+HH[:]MM|-HH[:]MM]` at fixed places.
fn parse(value: &str) -> Result<Timestamp, &'static str> {
    match parse_common(value.as_bytes()) {
        Some(timestamp) => Ok(timestamp),
        None => parse_each_byte(value),
    }
}

/// [`parse`] without the fast path: slower, and says what is wrong.
fn parse_each_byte(value: &str) -> Result<Timestamp, &'static str> {
    let bytes = value.as_bytes();
    let date = (|| {
        let year = two_digits(bytes, 0)? * 100 + two_digits(bytes, 2)?;
        let month = byte_is(bytes, 4, b"-").then(|| two_digits(bytes, 5))??;
        let day = byte_is(bytes, 7, b"-").then(|| two_digits(bytes, 8))??;
        Some((year, month, day))
    })()
    .ok_or("the date is not YYYY-MM-DD")?;
    if !byte_is(bytes, 10, b"Tt ") {
        return Err("no 'T' between date and time");
    }
    let time = (|| {
        let hour = two_digits(bytes, 11)?;
        let minute = byte_is(bytes, 13, b":").then(|| two_digits(bytes, 14))??;
        let second = byte_is(bytes, 16, b":").then(|| two_digits(bytes, 17))??;
        Some((hour, minute, second))
    })()
    .ok_or("the time is not HH:MM:SS")?;

    let mut at = 19;
    let mut nanos = 0u32;
    let mut fraction_digits = 0u8;
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        let mut count = 0u8;
        while let Some(value) = digit(bytes, at) {
            if count < 9 {
                nanos = nanos * 10 + value;
            }
            count = count.saturating_add(1);
            at += 1;
        }
        if count == 0 {
            return Err("no digits after the decimal point");
        }
        for _ in count..9 {
            nanos *= 10;
        }
        fraction_digits = count.min(9);
    }

    let offset = match bytes.get(at) {
        None => None,
        Some(b'Z' | b'z') => {
            at += 1;
            Some(0)
        }
        Some(sign @ (b'+' | b'-')) => {
            let hours = two_digits(bytes, at + 1).ok_or("the offset is not +HH:MM")?;
            at += 3;
            if bytes.get(at) == Some(&b':') {
                at += 1;
            }
            let minutes = two_digits(bytes, at).ok_or("the offset is not +HH:MM")?;
            at += 2;
            let seconds = i32::try_from(hours * 3600 + minutes * 60).map_err(|_| "bad offset")?;
            Some(if *sign == b'-' { -seconds } else { seconds })
        }
        Some(_) => return Err("unexpected text after the time"),
    };
    if at != bytes.len() {
        return Err("unexpected text after the offset");
    }

    let (year, month, day) = date;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err("the date does not exist");
    }
    let (hour, minute, second) = time;
    if hour > 23 || minute > 59 || second > 59 {
        return Err("the time does not exist");
    }
    if offset.is_some_and(|seconds: i32| seconds.abs() >= 86_400) {
        return Err("the offset is out of range");
    }
    // Every field was checked to fit: two digits each, four for the year.
    Ok(Timestamp {
        year: year as u16,
        month: NonZeroU8::new(month as u8).ok_or("the date does not exist")?,
        day: day as u8,
        hour: hour as u8,
        minute: minute as u8,
        second: second as u8,
        fraction_digits,
        nanos,
        offset: offset.unwrap_or(NO_OFFSET),
    })
}

impl FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        parse(value).map_err(|reason| TimestampError {
            value: value.to_owned(),
            reason,
        })
    }
}

/// The longest text of a timestamp: `YYYY-MM-DDTHH:MM:SS.fffffffff+HH:MM`.
const MAX_TEXT: usize = 35;

impl Timestamp {
    /// The timestamp as Roblox sent it (the same fraction digits, the same offset or none) in `buf`. Written by
    /// hand rather than through `format!`: listings serialize two dates per item.
    fn render<'b>(&self, buf: &'b mut [u8; MAX_TEXT]) -> &'b str {
        fn digits(buf: &mut [u8], at: usize, mut value: u32, width: usize) -> usize {
            for index in (0..width).rev() {
                buf[at + index] = b'0' + (value % 10) as u8;
                value /= 10;
            }
            at + width
        }
        let mut at = digits(buf, 0, u32::from(self.year), 4);
        for (separator, value) in [
            (b'-', self.month.get()),
            (b'-', self.day),
            (b'T', self.hour),
            (b':', self.minute),
            (b':', self.second),
        ] {
            buf[at] = separator;
            at = digits(buf, at + 1, u32::from(value), 2);
        }
        if self.fraction_digits > 0 {
            buf[at] = b'.';
            let mut fraction = [0u8; 9];
            digits(&mut fraction, 0, self.nanos, 9);
            let count = usize::from(self.fraction_digits).min(9);
            buf[at + 1..at + 1 + count].copy_from_slice(&fraction[..count]);
            at += 1 + count;
        }
        match self.offset_seconds() {
            None => {}
            Some(0) => {
                buf[at] = b'Z';
                at += 1;
            }
            Some(seconds) => {
                buf[at] = if seconds < 0 { b'-' } else { b'+' };
                let seconds = seconds.unsigned_abs();
                at = digits(buf, at + 1, seconds / 3600, 2);
                buf[at] = b':';
                at = digits(buf, at + 1, seconds % 3600 / 60, 2);
            }
        }
        std::str::from_utf8(&buf[..at]).expect("digits and separators are ASCII")
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.render(&mut [0; MAX_TEXT]))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.render(&mut [0; MAX_TEXT]))
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimestampVisitor;

        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date-time string")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Timestamp, E> {
                value.parse().map_err(E::custom)
            }
        }

        deserializer.deserialize_str(TimestampVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(value: &str) -> String {
        value.parse::<Timestamp>().unwrap().to_utc().to_rfc3339()
    }

    #[test]
    fn a_timestamp_and_an_absent_one_take_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Timestamp>(), 16);
        assert_eq!(std::mem::size_of::<Option<Timestamp>>(), 16);
    }

    #[test]
    fn the_fast_path_reads_what_the_byte_by_byte_parser_reads_and_refuses_the_rest() {
        let dates = [
            "2023-07-05",
            "2024-02-29",
            "2023-02-29",
            "0000-01-01",
            "9999-12-31",
            "2023-13-01",
            "2023-0a-05",
            "2023/07-05",
            "20:3-07-05",
            "2023-07-0/",
        ];
        let times = [
            "T12:34:56",
            "T23:59:59",
            "T00:00:00",
            "T24:00:00",
            "t12:34:56",
            " 12:34:56",
            "T12:3a:56",
            "T12-34:56",
            "T12:34:5/",
            "T12:34;56",
        ];
        let fractions = [
            "",
            ".",
            ".1",
            ".12",
            ".123",
            ".1234",
            ".12345",
            ".123456",
            ".1234567",
            ".12345678",
            ".123456789",
            ".1234567890",
            ".12a",
            ".a",
        ];
        let offsets = [
            "", "Z", "z", "+01:00", "-05:30", "+23:59", "+24:00", "+0100", "+01", "+1:00", "+01:0a",
        ];
        let mut fast = 0;
        for date in dates {
            for time in times {
                for fraction in fractions {
                    for offset in offsets {
                        let text = format!("{date}{time}{fraction}{offset}");
                        let common = parse_common(text.as_bytes());
                        if common.is_some() {
                            fast += 1;
                            assert_eq!(common.ok_or(""), parse_each_byte(&text), "{text}");
                        }
                        assert_eq!(parse(&text), parse_each_byte(&text), "{text}");
                    }
                }
            }
        }
        // 4 real dates × 3 times with `T` × 10 fractions (none, 1 to 9 digits) × 5 offsets (none, Z, 3 offsets
        // under a day): every form Roblox sends takes the fast path.
        assert_eq!(fast, 4 * 3 * 10 * 5);
    }

    #[test]
    fn accepts_the_forms_roblox_sends() {
        assert_eq!(utc("2023-07-05T12:34:56Z"), "2023-07-05T12:34:56+00:00");
        assert_eq!(
            utc("2018-10-28T09:37:59.397"),
            "2018-10-28T09:37:59.397+00:00"
        );
        assert_eq!(
            utc("2018-10-28T09:37:59.28"),
            "2018-10-28T09:37:59.280+00:00"
        );
        assert_eq!(
            utc("2021-01-01T01:00:00+01:00"),
            "2021-01-01T00:00:00+00:00"
        );
        assert_eq!(
            utc("2023-01-02T03:04:05.123456789012Z"),
            "2023-01-02T03:04:05.123456789+00:00"
        );
    }

    #[test]
    fn writes_back_what_it_read() {
        for text in [
            "2018-10-28T09:37:59.397",
            "2023-07-05T12:34:56Z",
            "2021-01-01T01:00:00.5+01:00",
            "2018-10-28T09:37:59.28",
            "2023-01-02T03:04:05.000Z",
            "2020-02-29T23:59:59.123456789-05:30",
            "0999-01-01T00:00:00+14:00",
        ] {
            let parsed: Timestamp = serde_json::from_str(&format!("{text:?}")).unwrap();
            assert_eq!(serde_json::to_string(&parsed).unwrap(), format!("{text:?}"));
            assert_eq!(parsed.to_string(), text);
        }
    }

    #[test]
    fn rejects_garbage_naming_the_value() {
        for (text, reason) in [
            ("yesterday", "the date is not YYYY-MM-DD"),
            ("2023-02-30T00:00:00Z", "the date does not exist"),
            (
                "2023-01-01T00:00:00Zjunk",
                "unexpected text after the offset",
            ),
            ("2023-01-01T25:00:00", "the time does not exist"),
            ("2023-01-01T00:00:00.", "no digits after the decimal point"),
        ] {
            let error = text.parse::<Timestamp>().unwrap_err();
            assert_eq!(error.reason, reason, "{text}");
            assert!(error.to_string().contains(text));
        }
        let error = serde_json::from_str::<Timestamp>("12").unwrap_err();
        assert!(error.to_string().contains("a date-time string"));
    }

    #[test]
    fn converts_from_chrono_with_the_digits_it_needs() {
        let instant = "2023-01-02T03:04:05.120Z"
            .parse::<Timestamp>()
            .unwrap()
            .to_utc();
        assert_eq!(
            Timestamp::from(instant).to_string(),
            "2023-01-02T03:04:05.12Z"
        );
    }

    #[test]
    fn orders_by_instant() {
        let early: Timestamp = "2021-01-01T01:00:00+01:00".parse().unwrap();
        let late: Timestamp = "2021-01-01T00:30:00Z".parse().unwrap();
        assert!(early < late);
        assert_eq!(early.unix_seconds(), 1_609_459_200);
    }
}
