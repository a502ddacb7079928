//! JSON Schemas of core's types (with the `schemars` feature), for the generated models that use them: what
//! each type writes when serialized. An open enum allows its known values or any other value of its base type,
//! since a value Roblox adds decodes (and is written back) as it came.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::{ById, CommaSeparated, DigitString, IntEnum, StringEnum, Timestamp};

impl JsonSchema for Timestamp {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Timestamp".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date-time",
            "description": "An RFC 3339 date and time, written back as Roblox sent it: the offset may be absent (UTC)."
        })
    }
}

impl JsonSchema for DigitString {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "DigitString".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "int64",
            "description": "An id as a string of decimal digits (any other text is kept as sent)."
        })
    }
}

impl<T: JsonSchema> JsonSchema for CommaSeparated<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        format!("CommaSeparated_{}", T::schema_name()).into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": format!("{} values joined with commas.", T::schema_name())
        })
    }
}

impl<T: IntEnum> JsonSchema for ById<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        format!("ById_{}", T::TYPE_NAME).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        int_enum_schema::<T>(generator)
    }
}

/// The schema of an integer open enum: one of its ids, or any other integer (`int_enum!` uses it).
pub fn int_enum_schema<T: IntEnum>(_: &mut SchemaGenerator) -> Schema {
    let ids: Vec<i64> = T::KNOWN.iter().map(|(id, _)| *id).collect();
    let names: Vec<String> = T::KNOWN
        .iter()
        .map(|(id, name)| format!("{id} = {name}"))
        .collect();
    json_schema!({
        "description": format!(
            "{}: {}; any other integer is a value this version does not list.",
            T::TYPE_NAME,
            names.join(", ")
        ),
        "anyOf": [
            {"type": "integer", "enum": ids},
            {"type": "integer"}
        ]
    })
}

/// The schema of a string open enum: one of its values, or any other string (`string_enum!` uses it).
pub fn string_enum_schema<T: StringEnum>(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": format!(
            "{}: a listed value, or any other string, a value this version does not list.",
            T::TYPE_NAME
        ),
        "anyOf": [
            {"type": "string", "enum": T::KNOWN},
            {"type": "string"}
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    mod fixtures {
        #![allow(dead_code)]

        crate::int_enum! {
            pub enum Kind { Asset = 0 => "Asset", Bundle = 3 => "Bundle", }
        }

        crate::string_enum! {
            pub enum State { Available = "AVAILABLE", Hold = "HOLD", }
        }
    }

    use fixtures::{Kind, State};

    fn schema_of<T: JsonSchema>() -> Value {
        serde_json::to_value(schemars::schema_for!(T)).unwrap()
    }

    #[test]
    fn an_open_enum_allows_its_values_or_any_other_of_its_base_type() {
        let kind = schema_of::<Kind>();
        assert_eq!(
            kind["anyOf"],
            json!([{"type": "integer", "enum": [0, 3]}, {"type": "integer"}])
        );
        assert!(kind["description"].as_str().unwrap().contains("3 = Bundle"));
        let state = schema_of::<State>();
        assert_eq!(
            state["anyOf"],
            json!([{"type": "string", "enum": ["AVAILABLE", "HOLD"]}, {"type": "string"}])
        );
    }

    #[test]
    fn core_types_say_what_they_write() {
        assert_eq!(schema_of::<Timestamp>()["format"], "date-time");
        assert_eq!(schema_of::<DigitString>()["format"], "int64");
        assert_eq!(schema_of::<CommaSeparated<Kind>>()["type"], "string");
        assert_eq!(schema_of::<ById<Kind>>()["anyOf"][0]["enum"], json!([0, 3]));
    }
}
