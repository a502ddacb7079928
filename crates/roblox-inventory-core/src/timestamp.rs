use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A date and time as Roblox sends it: RFC 3339, or the same without a timezone.
///
/// Older legacy responses carry dates like `2018-10-28T09:37:59.397` (no offset, one to nine fractional
/// digits); those are taken as UTC. The timestamp remembers whether an offset was sent, and writes itself back
/// the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Timestamp {
    local: NaiveDateTime,
    offset: Option<FixedOffset>,
    /// How many fractional digits were sent, so the value is written back as it came.
    fraction_digits: u8,
}

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
    /// The instant, in UTC. A timestamp sent without an offset is taken as UTC.
    pub fn to_utc(&self) -> DateTime<Utc> {
        let offset = self
            .offset
            .unwrap_or(FixedOffset::east_opt(0).expect("zero offset"));
        (self.local - offset).and_utc()
    }

    /// Whether Roblox sent an offset (`Z` or `+HH:MM`).
    pub fn has_offset(&self) -> bool {
        self.offset.is_some()
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
        Self {
            local: instant.naive_utc(),
            offset: Some(FixedOffset::east_opt(0).expect("zero offset")),
            fraction_digits,
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
            .then_with(|| self.local.cmp(&other.local))
            .then_with(|| {
                let seconds = |offset: Option<FixedOffset>| offset.map(|o| o.local_minus_utc());
                seconds(self.offset).cmp(&seconds(other.offset))
            })
            .then_with(|| self.fraction_digits.cmp(&other.fraction_digits))
    }
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn digits(&mut self, count: usize) -> Option<u32> {
        let end = self.at.checked_add(count)?;
        let slice = self.bytes.get(self.at..end)?;
        let mut value = 0u32;
        for byte in slice {
            if !byte.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(byte - b'0');
        }
        self.at = end;
        Some(value)
    }

    fn expect(&mut self, accepted: &[u8]) -> Option<()> {
        let byte = *self.bytes.get(self.at)?;
        accepted.contains(&byte).then(|| self.at += 1)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }
}

fn parse(value: &str) -> Result<Timestamp, &'static str> {
    let mut cursor = Cursor {
        bytes: value.as_bytes(),
        at: 0,
    };
    let date = (|| {
        let year = cursor.digits(4)?;
        cursor.expect(b"-")?;
        let month = cursor.digits(2)?;
        cursor.expect(b"-")?;
        let day = cursor.digits(2)?;
        Some((year, month, day))
    })()
    .ok_or("the date is not YYYY-MM-DD")?;
    cursor
        .expect(b"Tt ")
        .ok_or("no 'T' between date and time")?;
    let time = (|| {
        let hour = cursor.digits(2)?;
        cursor.expect(b":")?;
        let minute = cursor.digits(2)?;
        cursor.expect(b":")?;
        let second = cursor.digits(2)?;
        Some((hour, minute, second))
    })()
    .ok_or("the time is not HH:MM:SS")?;

    let mut nanos = 0u32;
    let mut fraction_digits = 0u8;
    if cursor.peek() == Some(b'.') {
        cursor.at += 1;
        let mut count = 0u8;
        while let Some(byte) = cursor.peek().filter(u8::is_ascii_digit) {
            if count < 9 {
                nanos = nanos * 10 + u32::from(byte - b'0');
            }
            count = count.saturating_add(1);
            cursor.at += 1;
        }
        if count == 0 {
            return Err("no digits after the decimal point");
        }
        for _ in count..9 {
            nanos *= 10;
        }
        fraction_digits = count.min(9);
    }

    let offset = match cursor.peek() {
        None => None,
        Some(b'Z' | b'z') => {
            cursor.at += 1;
            Some(0)
        }
        Some(sign @ (b'+' | b'-')) => {
            cursor.at += 1;
            let hours = cursor.digits(2).ok_or("the offset is not +HH:MM")?;
            let _ = cursor.expect(b":");
            let minutes = cursor.digits(2).ok_or("the offset is not +HH:MM")?;
            let seconds = i32::try_from(hours * 3600 + minutes * 60).map_err(|_| "bad offset")?;
            Some(if sign == b'-' { -seconds } else { seconds })
        }
        Some(_) => return Err("unexpected text after the time"),
    };
    if cursor.at != value.len() {
        return Err("unexpected text after the offset");
    }

    let date =
        NaiveDate::from_ymd_opt(date.0 as i32, date.1, date.2).ok_or("the date does not exist")?;
    let time = NaiveTime::from_hms_nano_opt(time.0, time.1, time.2, nanos)
        .ok_or("the time does not exist")?;
    let offset = match offset {
        Some(seconds) => Some(FixedOffset::east_opt(seconds).ok_or("the offset is out of range")?),
        None => None,
    };
    Ok(Timestamp {
        local: NaiveDateTime::new(date, time),
        offset,
        fraction_digits,
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

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.local.format("%Y-%m-%dT%H:%M:%S"))?;
        if self.fraction_digits > 0 {
            let nanos = format!("{:09}", self.local.and_utc().timestamp_subsec_nanos());
            write!(f, ".{}", &nanos[..usize::from(self.fraction_digits)])?;
        }
        match self.offset {
            None => Ok(()),
            Some(offset) if offset.local_minus_utc() == 0 => f.write_str("Z"),
            Some(offset) => write!(f, "{}", offset.from_utc_datetime(&self.local).format("%:z")),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
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
        ] {
            let parsed: Timestamp = serde_json::from_str(&format!("{text:?}")).unwrap();
            assert_eq!(serde_json::to_string(&parsed).unwrap(), format!("{text:?}"));
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
