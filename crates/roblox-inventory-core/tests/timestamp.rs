//! Timestamps as Roblox sends them: with and without a timezone, with two to seven fractional digits, with `Z` or
//! an offset; checked against chrono's own reading of the same instant.

use std::cmp::Ordering;

use chrono::{DateTime, NaiveDateTime, Utc};
use roblox_inventory_core::{Timestamp, TimestampError};

fn timestamp(text: &str) -> Timestamp {
    text.parse()
        .unwrap_or_else(|error| panic!("{text}: {error}"))
}

/// chrono's reading of an RFC 3339 date-time, in UTC.
fn chrono_rfc3339(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|error| panic!("chrono rejects {text}: {error}"))
        .with_timezone(&Utc)
}

/// chrono's reading of a date-time without a timezone, taken as UTC.
fn chrono_naive_utc(text: &str) -> DateTime<Utc> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .unwrap_or_else(|error| panic!("chrono rejects {text}: {error}"))
        .and_utc()
}

fn instant(seconds: i64, nanos: u32) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, nanos).unwrap()
}

#[test]
fn offsets_are_subtracted_like_chrono_does() {
    for (text, utc) in [
        ("2021-06-01T12:00:00-05:30", "2021-06-01T17:30:00+00:00"),
        ("2021-06-01T12:00:00+05:30", "2021-06-01T06:30:00+00:00"),
        ("2021-06-01T12:00:00+05:45", "2021-06-01T06:15:00+00:00"),
        ("2021-06-01T12:00:00-00:30", "2021-06-01T12:30:00+00:00"),
        ("2021-06-01T12:00:00+00:01", "2021-06-01T11:59:00+00:00"),
        ("2021-01-01T01:00:00+01:00", "2021-01-01T00:00:00+00:00"),
        ("2021-01-01T00:00:00-05:00", "2021-01-01T05:00:00+00:00"),
        ("2021-01-01T00:00:00+14:00", "2020-12-31T10:00:00+00:00"),
        ("2021-01-01T23:30:00-12:00", "2021-01-02T11:30:00+00:00"),
        ("2021-01-01T00:00:00+23:59", "2020-12-31T00:01:00+00:00"),
        (
            "2018-10-28T09:37:59.543-03:30",
            "2018-10-28T13:07:59.543+00:00",
        ),
        (
            "2018-10-28T09:37:59.5433333+09:30",
            "2018-10-28T00:07:59.543333300+00:00",
        ),
        ("2023-07-05T12:34:56Z", "2023-07-05T12:34:56+00:00"),
        ("2023-07-05T12:34:56+00:00", "2023-07-05T12:34:56+00:00"),
    ] {
        let parsed = timestamp(text);
        assert_eq!(parsed.to_utc(), chrono_rfc3339(text), "{text}");
        assert_eq!(parsed.to_utc().to_rfc3339(), utc, "{text}");
        assert_eq!(
            DateTime::<Utc>::from(parsed),
            chrono_rfc3339(text),
            "{text}"
        );
        assert_eq!(
            parsed.unix_seconds(),
            chrono_rfc3339(text).timestamp(),
            "{text}"
        );
        assert!(parsed.has_offset(), "{text}");
    }
}

#[test]
fn an_offset_without_a_colon_is_the_same_offset() {
    for (compact, colon) in [
        ("2021-06-01T12:00:00-0530", "2021-06-01T12:00:00-05:30"),
        ("2021-06-01T12:00:00+0545", "2021-06-01T12:00:00+05:45"),
    ] {
        let parsed = timestamp(compact);
        assert_eq!(parsed, timestamp(colon));
        assert_eq!(parsed.to_utc(), chrono_rfc3339(colon));
        assert_eq!(parsed.to_string(), colon);
    }
}

#[test]
fn dates_without_a_timezone_are_utc_with_every_fraction_length() {
    for (text, nanos) in [
        ("2018-10-28T09:37:59", 0),
        ("2018-10-28T09:37:59.5", 500_000_000),
        ("2018-10-28T09:37:59.28", 280_000_000),
        ("2018-10-28T09:37:59.397", 397_000_000),
        ("2018-10-28T09:37:59.3971", 397_100_000),
        ("2018-10-28T09:37:59.39712", 397_120_000),
        ("2018-10-28T09:37:59.397123", 397_123_000),
        ("2018-10-28T09:37:59.3971234", 397_123_400),
        ("2018-10-28T09:37:59.03971234", 39_712_340),
        ("2018-10-28T09:37:59.000000007", 7),
    ] {
        let parsed = timestamp(text);
        assert!(!parsed.has_offset(), "{text}");
        assert_eq!(parsed.to_utc(), chrono_naive_utc(text), "{text}");
        assert_eq!(parsed.to_utc(), instant(1_540_719_479, nanos), "{text}");
        assert_eq!(DateTime::<Utc>::from(parsed), instant(1_540_719_479, nanos));
        assert_eq!(parsed.unix_seconds(), 1_540_719_479);
        assert_eq!(parsed.to_string(), text, "written back as sent");
        // The same instant written with `Z` is the same instant, but remembers its offset.
        let zulu = timestamp(&format!("{text}Z"));
        assert!(zulu.has_offset());
        assert_eq!(zulu.to_utc(), parsed.to_utc());
        assert_eq!(zulu.to_utc(), chrono_rfc3339(&format!("{text}Z")));
        assert_ne!(zulu, parsed);
    }
}

#[test]
fn has_offset_tells_whether_a_timezone_was_sent() {
    for (text, has_offset) in [
        ("2018-10-28T09:37:59.397", false),
        ("2018-10-28T09:37:59", false),
        ("2018-10-28T09:37:59.543Z", true),
        ("2018-10-28T09:37:59z", true),
        ("2018-10-28T09:37:59+00:00", true),
        ("2018-10-28T09:37:59+01:00", true),
        ("2018-10-28T09:37:59.28-05:30", true),
    ] {
        assert_eq!(timestamp(text).has_offset(), has_offset, "{text}");
    }
    assert!(Timestamp::from(instant(0, 0)).has_offset());
}

#[test]
fn converts_from_chrono_with_as_few_digits_as_the_instant_needs() {
    for (nanos, written) in [
        (0, "2023-11-14T22:13:20Z"),
        (1, "2023-11-14T22:13:20.000000001Z"),
        (10, "2023-11-14T22:13:20.00000001Z"),
        (100_000_000, "2023-11-14T22:13:20.1Z"),
        (120_000_000, "2023-11-14T22:13:20.12Z"),
        (123_000_000, "2023-11-14T22:13:20.123Z"),
        (123_456_789, "2023-11-14T22:13:20.123456789Z"),
        (999_999_999, "2023-11-14T22:13:20.999999999Z"),
    ] {
        let from_chrono = Timestamp::from(instant(1_700_000_000, nanos));
        assert_eq!(from_chrono.to_string(), written, "{nanos} ns");
        assert_eq!(from_chrono, timestamp(written), "{nanos} ns");
        assert!(from_chrono.has_offset());
        assert_eq!(from_chrono.to_utc(), instant(1_700_000_000, nanos));
        assert_eq!(
            DateTime::<Utc>::from(from_chrono),
            instant(1_700_000_000, nanos)
        );
        assert_eq!(from_chrono.unix_seconds(), 1_700_000_000);
    }
    // Whole seconds, including the epoch and a date before it: no fraction at all.
    assert_eq!(
        Timestamp::from(instant(0, 0)).to_string(),
        "1970-01-01T00:00:00Z"
    );
    assert_eq!(
        Timestamp::from(instant(-86_400, 0)).to_string(),
        "1969-12-31T00:00:00Z"
    );
}

#[test]
fn chrono_round_trips_keep_the_instant() {
    for (text, in_utc) in [
        ("2018-10-28T09:37:59.397", "2018-10-28T09:37:59.397Z"),
        ("2018-10-28T09:37:59.543Z", "2018-10-28T09:37:59.543Z"),
        ("2018-10-28T09:37:59.28-05:30", "2018-10-28T15:07:59.28Z"),
        ("2021-06-01T12:00:00+05:45", "2021-06-01T06:15:00Z"),
        (
            "2023-01-02T03:04:05.1234567+01:00",
            "2023-01-02T02:04:05.1234567Z",
        ),
    ] {
        let parsed = timestamp(text);
        let utc: DateTime<Utc> = parsed.into();
        assert_eq!(utc, parsed.to_utc());
        assert_eq!(utc, chrono_rfc3339(in_utc));
        let back = Timestamp::from(utc);
        assert_eq!(back.to_utc(), parsed.to_utc(), "{text}");
        assert_eq!(back.to_string(), in_utc, "{text}");
    }
    for (seconds, nanos) in [(1_700_000_000, 0), (1_540_719_479, 397_000_000), (5, 1)] {
        let utc = instant(seconds, nanos);
        assert_eq!(DateTime::<Utc>::from(Timestamp::from(utc)), utc);
    }
}

#[test]
fn writes_back_what_it_read() {
    for text in [
        "2018-10-28T09:37:59.397",
        "2018-10-28T09:37:59.543Z",
        "2018-10-28T09:37:59.28",
        "2018-10-28T09:37:59.5433333",
        "2018-10-28T09:37:59.50Z",
        "2023-07-05T12:34:56Z",
        "2021-01-01T01:00:00+01:00",
        "2021-01-01T01:00:00.5+01:00",
        "2021-06-01T12:00:00-05:30",
        "2021-06-01T12:00:00.25+05:45",
        "1999-12-31T23:59:59-00:30",
    ] {
        let parsed = timestamp(text);
        assert_eq!(parsed.to_string(), text);
        let json = serde_json::to_string(text).unwrap();
        let decoded: Timestamp = serde_json::from_str(&json).unwrap();
        assert_eq!(decoded, parsed);
        assert_eq!(serde_json::to_string(&decoded).unwrap(), json);
        let from_value: Timestamp = serde_json::from_value(serde_json::json!(text)).unwrap();
        assert_eq!(from_value, parsed);
    }
    // Other spellings Roblox might use are written back in the canonical one.
    for (text, written) in [
        ("2023-07-05 12:34:56z", "2023-07-05T12:34:56Z"),
        ("2023-07-05t12:34:56+00:00", "2023-07-05T12:34:56Z"),
        (
            "2023-07-05T12:34:56.123456789999Z",
            "2023-07-05T12:34:56.123456789Z",
        ),
    ] {
        assert_eq!(timestamp(text).to_string(), written, "{text}");
    }
}

#[test]
fn orders_by_instant_then_by_written_form() {
    let sorted = [
        // 00:30:00 UTC, written five ways: by local time, then no offset first, then by digits.
        "2021-01-01T00:00:00-00:30",
        "2021-01-01T00:30:00",
        "2021-01-01T00:30:00Z",
        "2021-01-01T00:30:00.0Z",
        "2021-01-01T01:00:00+00:30",
        // Later instants.
        "2021-01-01T00:30:00.000000001Z",
        "2021-01-01T00:30:00.1",
        "2021-01-01T02:00:00+01:29",
    ]
    .map(timestamp);
    for (index, early) in sorted.iter().enumerate() {
        for late in &sorted[index + 1..] {
            assert_eq!(early.cmp(late), Ordering::Less, "{early} < {late}");
            assert_eq!(late.cmp(early), Ordering::Greater, "{late} > {early}");
            assert!(early < late, "{early} < {late}");
            assert!(late > early, "{late} > {early}");
            assert_ne!(early, late);
        }
        assert_eq!(early.cmp(early), Ordering::Equal);
        assert_eq!(early.partial_cmp(early), Some(Ordering::Equal));
    }
    let mut shuffled = sorted;
    shuffled.reverse();
    shuffled.sort();
    assert_eq!(shuffled, sorted);
}

#[test]
fn rejects_what_is_not_a_timestamp_saying_why() {
    for (text, reason) in [
        ("", "the date is not YYYY-MM-DD"),
        ("2023-1-01T00:00:00Z", "the date is not YYYY-MM-DD"),
        ("2023/01/01T00:00:00Z", "the date is not YYYY-MM-DD"),
        ("2023-01-01", "no 'T' between date and time"),
        ("2023-01-01X00:00:00", "no 'T' between date and time"),
        ("2023-01-01T00:00", "the time is not HH:MM:SS"),
        ("2023-01-01T0:00:00", "the time is not HH:MM:SS"),
        ("2023-01-01T00.00.00", "the time is not HH:MM:SS"),
        ("2023-01-01T00:00:00.", "no digits after the decimal point"),
        ("2023-01-01T00:00:00.Z", "no digits after the decimal point"),
        ("2023-01-01T00:00:00 UTC", "unexpected text after the time"),
        ("2023-01-01T00:00:00.5 ", "unexpected text after the time"),
        ("2023-01-01T00:00:00+5", "the offset is not +HH:MM"),
        ("2023-01-01T00:00:00+05:3", "the offset is not +HH:MM"),
        ("2023-01-01T00:00:00-05", "the offset is not +HH:MM"),
        (
            "2023-01-01T00:00:00+05:30:00",
            "unexpected text after the offset",
        ),
        ("2023-01-01T00:00:00Z ", "unexpected text after the offset"),
        ("2023-02-29T00:00:00Z", "the date does not exist"),
        ("2023-13-01T00:00:00Z", "the date does not exist"),
        ("2023-01-01T24:00:00Z", "the time does not exist"),
        ("2023-01-01T00:60:00Z", "the time does not exist"),
        ("2023-01-01T00:00:00+24:00", "the offset is out of range"),
        ("2023-01-01T00:00:00-99:99", "the offset is out of range"),
    ] {
        let error = text.parse::<Timestamp>().unwrap_err();
        assert_eq!(
            error,
            TimestampError {
                value: text.to_owned(),
                reason,
            }
        );
        assert_eq!(
            error.to_string(),
            format!(
                "{text:?} is not a timestamp: {reason} \
                 (expected YYYY-MM-DDTHH:MM:SS[.fraction][Z|+HH:MM])"
            )
        );
        let json = serde_json::to_string(text).unwrap();
        let error = serde_json::from_str::<Timestamp>(&json).unwrap_err();
        assert!(error.to_string().contains(reason), "{error}");
    }
    // The leap day exists in leap years, and the widest offsets chrono allows are accepted.
    assert_eq!(
        timestamp("2024-02-29T00:00:00Z").to_utc(),
        chrono_rfc3339("2024-02-29T00:00:00Z")
    );
    assert_eq!(
        timestamp("2023-01-01T00:00:00-23:59").to_utc(),
        chrono_rfc3339("2023-01-01T00:00:00-23:59")
    );
    let error = serde_json::from_value::<Timestamp>(serde_json::json!(12)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: integer `12`, expected a date-time string"
    );
}

#[test]
fn an_instant_beyond_four_digit_years_is_held_at_the_nearest_end() {
    let far = Timestamp::from(DateTime::<Utc>::MAX_UTC);
    assert_eq!(far.to_string(), "9999-12-31T23:59:59.999999999Z");
    assert_eq!(
        far.to_utc().to_rfc3339(),
        "9999-12-31T23:59:59.999999999+00:00"
    );
    let early = Timestamp::from(DateTime::<Utc>::MIN_UTC);
    assert_eq!(early.to_string(), "0000-01-01T00:00:00Z");
}
