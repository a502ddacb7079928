//! Open enums, declared the way the generated crates declare them, decoded through every path a deserializer
//! can take: Roblox adds values, and no value it sends (id, digit string, name, in any of serde's shapes) may
//! fail a page.

use std::borrow::Cow;

use roblox_inventory_core::{IntEnum, StringEnum, UnknownValue};
use serde::Deserialize;
use serde::de::value::{
    BorrowedStrDeserializer, CowStrDeserializer, Error, I8Deserializer, I16Deserializer,
    I32Deserializer, I64Deserializer, StrDeserializer, StringDeserializer, U8Deserializer,
    U16Deserializer, U32Deserializer, U64Deserializer,
};

roblox_inventory_core::int_enum! {
    /// A tiny integer enum, as the generator writes one.
    pub enum Shape {
        Ball = 1 => "Ball",
        Block = 2 => "Block",
    }
}

roblox_inventory_core::string_enum! {
    /// A tiny string enum, as the generator writes one.
    pub enum State {
        Available = "AVAILABLE",
        Hold = "HOLD",
    }
}

/// What one path gave, its error as text.
fn outcome<T, E: std::fmt::Display>(
    path: &'static str,
    result: Result<T, E>,
) -> (&'static str, Result<T, String>) {
    (path, result.map_err(|error| error.to_string()))
}

/// Decodes `text` through each string path of serde: `visit_borrowed_str`, `visit_str`, `visit_string` (and the
/// `Cow` forms), and through serde_json's borrowed, copied (escaped, or read from a reader) and owned strings.
fn through_every_string_path<T>(text: &str) -> Vec<(&'static str, Result<T, String>)>
where
    T: for<'de> Deserialize<'de>,
{
    let json = serde_json::to_string(text).unwrap();
    // An escaped first character makes serde_json copy the string instead of lending it (`visit_str`).
    let first = text.chars().next().unwrap();
    let escaped = format!(
        r#""\u{:04x}{}"#,
        u32::from(first),
        &json[1 + first.len_utf8()..]
    );
    assert_eq!(
        serde_json::from_str::<String>(&escaped).unwrap(),
        text,
        "{escaped}"
    );
    let owned = || text.to_owned();
    vec![
        outcome(
            "borrowed str",
            T::deserialize(BorrowedStrDeserializer::<Error>::new(text)),
        ),
        outcome("str", T::deserialize(StrDeserializer::<Error>::new(text))),
        outcome(
            "String",
            T::deserialize(StringDeserializer::<Error>::new(owned())),
        ),
        outcome(
            "Cow::Borrowed",
            T::deserialize(CowStrDeserializer::<Error>::new(Cow::Borrowed(text))),
        ),
        outcome(
            "Cow::Owned",
            T::deserialize(CowStrDeserializer::<Error>::new(Cow::Owned(owned()))),
        ),
        outcome("serde_json::from_str", serde_json::from_str(&json)),
        outcome(
            "serde_json::from_str, escaped",
            serde_json::from_str(&escaped),
        ),
        outcome(
            "serde_json::from_reader",
            serde_json::from_reader(json.as_bytes()),
        ),
        outcome(
            "serde_json::from_value",
            serde_json::from_value(serde_json::Value::String(owned())),
        ),
        outcome(
            "&serde_json::Value",
            T::deserialize(&serde_json::Value::String(owned())),
        ),
    ]
}

fn assert_every_string_path_gives<T>(text: &str, expected: T)
where
    T: for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug,
{
    let decoded = through_every_string_path::<T>(text);
    assert_eq!(decoded.len(), 10);
    for (path, value) in decoded {
        let value = value.unwrap_or_else(|error| panic!("{text:?} through {path}: {error}"));
        assert_eq!(value, expected, "{text:?} through {path}");
    }
}

#[test]
fn string_enum_decodes_known_values_through_every_path() {
    assert_every_string_path_gives("AVAILABLE", State::Available);
    assert_every_string_path_gives("HOLD", State::Hold);
}

#[test]
fn string_enum_keeps_unknown_values_through_every_path() {
    for text in ["RESERVED", "available", " HOLD", "Ünïcode ✓"] {
        assert_every_string_path_gives(text, State::Unknown(text.to_owned()));
    }
}

#[test]
fn string_enum_sends_unknown_values_back_unchanged() {
    let decoded: State = serde_json::from_value(serde_json::json!("RESERVED")).unwrap();
    assert!(decoded.is_unknown());
    assert_eq!(decoded.as_str(), "RESERVED");
    assert_eq!(decoded.to_string(), "RESERVED");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), "RESERVED");
    assert_eq!(serde_json::to_string(&State::Hold).unwrap(), r#""HOLD""#);
    assert!(!State::Hold.is_unknown());
}

#[test]
fn string_enum_names_itself_when_the_value_is_not_a_string() {
    for json in ["12", "true", "null", "[]"] {
        let error = serde_json::from_str::<State>(json).unwrap_err();
        assert!(
            error.to_string().contains("expected a State string"),
            "{json}: {error}"
        );
    }
    let error = serde_json::from_value::<State>(serde_json::json!(12)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: integer `12`, expected a State string"
    );
}

#[test]
fn string_enum_parses_case_insensitively_and_lists_what_it_accepts() {
    assert_eq!(" hold ".parse::<State>(), Ok(State::Hold));
    assert_eq!("AVAILABLE".parse::<State>(), Ok(State::Available));
    let error = "reserved".parse::<State>().unwrap_err();
    assert_eq!(error.type_name, "State");
    assert_eq!(error.value, "reserved");
    assert_eq!(error.allowed, ["AVAILABLE", "HOLD"]);
    assert_eq!(
        error.to_string(),
        r#""reserved" is not a known State; expected one of: AVAILABLE, HOLD"#
    );
    assert_eq!(<State as StringEnum>::KNOWN, ["AVAILABLE", "HOLD"]);
    assert_eq!(<State as StringEnum>::TYPE_NAME, "State");
}

#[test]
fn int_enum_decodes_names_and_digit_strings_through_every_path() {
    for (text, expected) in [
        ("Ball", Shape::Ball),
        ("block", Shape::Block),
        ("BLOCK", Shape::Block),
        ("2", Shape::Block),
        (" 1 ", Shape::Ball),
        ("7", Shape::Unknown(UnknownValue::Id(7))),
        ("-3", Shape::Unknown(UnknownValue::Id(-3))),
        ("Wedge", Shape::Unknown(UnknownValue::Name("Wedge".into()))),
        (
            "18446744073709551615",
            Shape::Unknown(UnknownValue::Name("18446744073709551615".into())),
        ),
    ] {
        assert_every_string_path_gives(text, expected);
    }
}

/// Decodes `id` as every integer type that holds it (`visit_i64`, `visit_u64` and the narrower visits serde
/// forwards to them), and as serde_json reads a number from text and from a `Value`.
fn through_every_integer_path(id: i64) -> Vec<(&'static str, Result<Shape, String>)> {
    let mut decoded = vec![
        outcome("i64", Shape::deserialize(I64Deserializer::<Error>::new(id))),
        outcome("json number", serde_json::from_str(&id.to_string())),
        outcome("json value", serde_json::from_value(serde_json::json!(id))),
    ];
    if let Ok(id) = i8::try_from(id) {
        decoded.push(outcome(
            "i8",
            Shape::deserialize(I8Deserializer::<Error>::new(id)),
        ));
    }
    if let Ok(id) = i16::try_from(id) {
        decoded.push(outcome(
            "i16",
            Shape::deserialize(I16Deserializer::<Error>::new(id)),
        ));
    }
    if let Ok(id) = i32::try_from(id) {
        decoded.push(outcome(
            "i32",
            Shape::deserialize(I32Deserializer::<Error>::new(id)),
        ));
    }
    if let Ok(id) = u64::try_from(id) {
        decoded.push(outcome(
            "u64",
            Shape::deserialize(U64Deserializer::<Error>::new(id)),
        ));
    }
    if let Ok(id) = u8::try_from(id) {
        decoded.push(outcome(
            "u8",
            Shape::deserialize(U8Deserializer::<Error>::new(id)),
        ));
    }
    if let Ok(id) = u16::try_from(id) {
        decoded.push(outcome(
            "u16",
            Shape::deserialize(U16Deserializer::<Error>::new(id)),
        ));
    }
    if let Ok(id) = u32::try_from(id) {
        decoded.push(outcome(
            "u32",
            Shape::deserialize(U32Deserializer::<Error>::new(id)),
        ));
    }
    decoded
}

#[test]
fn int_enum_decodes_known_ids_through_every_integer_path() {
    for (id, expected) in [(1, Shape::Ball), (2, Shape::Block)] {
        let decoded = through_every_integer_path(id);
        assert_eq!(decoded.len(), 10);
        for (path, value) in decoded {
            let value = value.unwrap_or_else(|error| panic!("{id} through {path}: {error}"));
            assert_eq!(value, expected, "{id} through {path}");
        }
    }
}

#[test]
fn int_enum_keeps_unknown_ids_through_every_integer_path() {
    for (id, paths) in [
        (0, 10),
        (7, 10),
        (300, 8),
        (70_000, 6),
        (5_000_000_000, 4),
        (i64::MAX, 4),
        (-1, 6),
        (-200, 5),
        (-40_000, 4),
        (i64::MIN, 3),
    ] {
        let decoded = through_every_integer_path(id);
        assert_eq!(decoded.len(), paths, "{id}");
        for (path, value) in decoded {
            let value = value.unwrap_or_else(|error| panic!("{id} through {path}: {error}"));
            assert_eq!(
                value,
                Shape::Unknown(UnknownValue::Id(id)),
                "{id} through {path}"
            );
            assert_eq!(value.id(), Some(id));
            assert_eq!(serde_json::to_string(&value).unwrap(), id.to_string());
        }
    }
}

#[test]
fn int_enum_keeps_ids_above_i64_max_instead_of_failing() {
    let above = i64::MAX as u64 + 1;
    for id in [above, u64::MAX] {
        let expected = Shape::Unknown(UnknownValue::Name(id.to_string()));
        let by_u64 = Shape::deserialize(U64Deserializer::<Error>::new(id)).unwrap();
        let from_str: Shape = serde_json::from_str(&id.to_string()).unwrap();
        let from_value: Shape = serde_json::from_value(serde_json::json!(id)).unwrap();
        let in_a_page: Vec<Shape> = serde_json::from_str(&format!("[1, {id}, 2]")).unwrap();
        assert_eq!(by_u64, expected, "{id} as u64");
        assert_eq!(from_str, expected, "{id} from a JSON number");
        assert_eq!(from_value, expected, "{id} from a serde_json::Value");
        assert_eq!(in_a_page, [Shape::Ball, expected.clone(), Shape::Block]);
        assert!(by_u64.is_unknown());
        assert_eq!(by_u64.to_string(), id.to_string());
    }
    // The last id that still fits is an id.
    assert_eq!(
        Shape::deserialize(U64Deserializer::<Error>::new(i64::MAX as u64)).unwrap(),
        Shape::Unknown(UnknownValue::Id(i64::MAX))
    );
}

#[test]
fn int_enum_names_itself_when_the_value_is_neither_id_nor_name() {
    for json in ["true", "null", "[1]", r#"{"id":1}"#, "1.5"] {
        let error = serde_json::from_str::<Shape>(json).unwrap_err();
        assert!(
            error.to_string().contains("expected a Shape id or name"),
            "{json}: {error}"
        );
    }
}

#[test]
fn int_enum_serializes_ids_and_unknown_names_as_sent() {
    let page: Vec<Shape> = serde_json::from_str(r#"[1, "block", 7, "Wedge", "-3"]"#).unwrap();
    assert_eq!(
        serde_json::to_string(&page).unwrap(),
        r#"[1,2,7,"Wedge",-3]"#
    );
    assert_eq!(
        page.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["Ball", "Block", "7", "Wedge", "-3"]
    );
    assert_eq!(
        page.iter().map(Shape::id).collect::<Vec<_>>(),
        [Some(1), Some(2), Some(7), None, Some(-3)]
    );
    assert_eq!(
        page.iter().map(Shape::name).collect::<Vec<_>>(),
        [Some("Ball"), Some("Block"), None, None, None]
    );
    assert_eq!(Shape::from(2), Shape::Block);
    assert_eq!(Shape::from(9), Shape::Unknown(UnknownValue::Id(9)));
}

#[test]
fn int_enum_parses_ids_and_names_and_lists_what_it_accepts() {
    assert_eq!(" block ".parse::<Shape>(), Ok(Shape::Block));
    assert_eq!("1".parse::<Shape>(), Ok(Shape::Ball));
    assert_eq!(
        "-12".parse::<Shape>(),
        Ok(Shape::Unknown(UnknownValue::Id(-12)))
    );
    let error = "Wedge".parse::<Shape>().unwrap_err();
    assert_eq!(error.type_name, "Shape");
    assert_eq!(error.value, "Wedge");
    assert_eq!(error.allowed, ["Ball", "Block"]);
    assert_eq!(
        error.to_string(),
        r#""Wedge" is not a known Shape; expected one of: Ball, Block"#
    );
    assert_eq!(<Shape as IntEnum>::KNOWN, [(1, "Ball"), (2, "Block")]);
    assert_eq!(<Shape as IntEnum>::TYPE_NAME, "Shape");
}

#[test]
fn unknown_values_display_as_roblox_sent_them() {
    assert_eq!(UnknownValue::Id(7).to_string(), "7");
    assert_eq!(UnknownValue::Id(-42).to_string(), "-42");
    assert_eq!(UnknownValue::Name("Wedge".into()).to_string(), "Wedge");
    assert_eq!(format!("[{}]", UnknownValue::Id(3)), "[3]");
    assert_eq!(
        Shape::Unknown(UnknownValue::Name("Wedge".into())).to_string(),
        "Wedge"
    );
    assert_eq!(Shape::Unknown(UnknownValue::Id(12)).to_string(), "12");
}
