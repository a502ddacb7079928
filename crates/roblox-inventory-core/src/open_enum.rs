//! Open enums: every value a spec lists is a variant, anything else is kept in `Unknown`.
//!
//! The macros generate only the per-enum tables; the decoding logic lives here once.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};

/// A value of an integer enum that the spec does not list: the id, or the name when Roblox sent a name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnknownValue {
    /// An id the spec does not list.
    Id(i64),
    /// A name the spec does not list (the legacy API sometimes sends names where its docs say ids).
    Name(String),
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnknownValue::Id(id) => write!(f, "{id}"),
            UnknownValue::Name(name) => f.write_str(name),
        }
    }
}

/// A string that names no known value of an enum.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a known {type_name}; expected one of: {}", .allowed.join(", "))]
pub struct ParseEnumError {
    /// The enum's name.
    pub type_name: &'static str,
    /// What was given.
    pub value: String,
    /// The accepted spellings.
    pub allowed: Vec<String>,
}

/// An open enum whose documented wire form is an integer (implemented by [`int_enum!`](crate::int_enum)).
pub trait IntEnum: Sized {
    /// The enum's name, for error messages.
    const TYPE_NAME: &'static str;
    /// Every known value as `(id, name)`.
    const KNOWN: &'static [(i64, &'static str)];
    /// The value with this id; `Unknown` when the id is not listed.
    fn from_id(id: i64) -> Self;
    /// Wraps a value the spec does not list.
    fn unknown(value: UnknownValue) -> Self;
    /// The id, unless the value is an unlisted name.
    fn to_id(&self) -> Option<i64>;
}

/// An integer enum that goes on the wire by its id where Roblox documents only the id, although the enum
/// displays its name: the generator uses it for a path parameter marked `x-path-value: id` (spec/README.md).
/// An unlisted name, which has no id, goes as the name.
///
/// ```
/// use roblox_inventory_core::{ById, int_enum};
///
/// int_enum! {
///     pub enum Kind { Asset = 0 => "Asset", Bundle = 3 => "Bundle", }
/// }
/// assert_eq!(Kind::Bundle.to_string(), "Bundle");
/// assert_eq!(ById::from(Kind::Bundle).to_string(), "3");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ById<T>(pub T);

impl<T: IntEnum> From<T> for ById<T> {
    fn from(value: T) -> Self {
        ById(value)
    }
}

impl<T: IntEnum + fmt::Display> fmt::Display for ById<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.to_id() {
            Some(id) => write!(f, "{id}"),
            None => self.0.fmt(f),
        }
    }
}

/// An open enum whose wire form is a string (implemented by [`string_enum!`](crate::string_enum)).
pub trait StringEnum: Sized {
    /// The enum's name, for error messages.
    const TYPE_NAME: &'static str;
    /// Every known wire value.
    const KNOWN: &'static [&'static str];
    /// The value with exactly this wire spelling, if known.
    fn from_known(value: &str) -> Option<Self>;
    /// Wraps a value the spec does not list.
    fn unknown(value: String) -> Self;
}

fn int_from_name<T: IntEnum>(name: &str) -> Option<T> {
    T::KNOWN
        .iter()
        .find(|(_, known)| known.eq_ignore_ascii_case(name))
        .map(|(id, _)| T::from_id(*id))
}

fn int_from_wire_str<T: IntEnum>(value: &str) -> T {
    if let Ok(id) = value.trim().parse::<i64>() {
        return T::from_id(id);
    }
    int_from_name(value).unwrap_or_else(|| T::unknown(UnknownValue::Name(value.to_owned())))
}

/// Parses an id or a name (case-insensitive). Unlisted ids are accepted (Roblox adds values); unlisted names
/// are an error that lists the accepted names.
pub fn parse_int_enum<T: IntEnum>(value: &str) -> Result<T, ParseEnumError> {
    if let Ok(id) = value.trim().parse::<i64>() {
        return Ok(T::from_id(id));
    }
    int_from_name(value.trim()).ok_or_else(|| ParseEnumError {
        type_name: T::TYPE_NAME,
        value: value.to_owned(),
        allowed: T::KNOWN
            .iter()
            .map(|(_, name)| (*name).to_owned())
            .collect(),
    })
}

/// Parses a wire value, also case-insensitively; unlisted values are an error that lists the accepted ones.
pub fn parse_string_enum<T: StringEnum>(value: &str) -> Result<T, ParseEnumError> {
    let value = value.trim();
    T::from_known(value)
        .or_else(|| {
            T::KNOWN
                .iter()
                .find(|known| known.eq_ignore_ascii_case(value))
                .and_then(|known| T::from_known(known))
        })
        .ok_or_else(|| ParseEnumError {
            type_name: T::TYPE_NAME,
            value: value.to_owned(),
            allowed: T::KNOWN.iter().map(|known| (*known).to_owned()).collect(),
        })
}

/// Decodes an integer enum from an id, a digit string or a name; never fails on an unlisted value.
pub fn deserialize_int_enum<'de, D: Deserializer<'de>, T: IntEnum>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct IntEnumVisitor<T>(PhantomData<T>);

    impl<T: IntEnum> Visitor<'_> for IntEnumVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a {} id or name", T::TYPE_NAME)
        }

        fn visit_i64<E: de::Error>(self, id: i64) -> Result<T, E> {
            Ok(T::from_id(id))
        }

        fn visit_u64<E: de::Error>(self, id: u64) -> Result<T, E> {
            Ok(match i64::try_from(id) {
                Ok(id) => T::from_id(id),
                Err(_) => T::unknown(UnknownValue::Name(id.to_string())),
            })
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
            Ok(int_from_wire_str(value))
        }
    }

    deserializer.deserialize_any(IntEnumVisitor(PhantomData))
}

/// Decodes a string enum; never fails on an unlisted string.
pub fn deserialize_string_enum<'de, D: Deserializer<'de>, T: StringEnum>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct StringEnumVisitor<T>(PhantomData<T>);

    impl<T: StringEnum> Visitor<'_> for StringEnumVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a {} string", T::TYPE_NAME)
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
            Ok(T::from_known(value).unwrap_or_else(|| T::unknown(value.to_owned())))
        }

        fn visit_string<E: de::Error>(self, value: String) -> Result<T, E> {
            Ok(match T::from_known(&value) {
                Some(known) => known,
                None => T::unknown(value),
            })
        }
    }

    deserializer.deserialize_str(StringEnumVisitor(PhantomData))
}

/// Declares an open enum whose documented wire form is an integer.
///
/// Each variant gives its id and Roblox's name for it. The enum gets `Unknown(UnknownValue)`, is
/// `#[non_exhaustive]` (a regeneration that adds a value is not a breaking change), serializes as the id,
/// decodes ids, digit strings and names (case-insensitive), displays and parses (`FromStr`) names.
#[macro_export]
macro_rules! int_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $id:literal => $wire_name:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$variant_meta])* $variant, )*
            /// A value this version of the spec does not list, kept as Roblox sent it.
            Unknown($crate::UnknownValue),
        }

        impl $name {
            /// The id, unless Roblox sent an unlisted name.
            pub fn id(&self) -> ::std::option::Option<i64> {
                match self {
                    $( Self::$variant => ::std::option::Option::Some($id), )*
                    Self::Unknown($crate::UnknownValue::Id(id)) => ::std::option::Option::Some(*id),
                    Self::Unknown($crate::UnknownValue::Name(_)) => ::std::option::Option::None,
                }
            }

            /// Roblox's name for a known value.
            pub fn name(&self) -> ::std::option::Option<&'static str> {
                match self {
                    $( Self::$variant => ::std::option::Option::Some($wire_name), )*
                    Self::Unknown(_) => ::std::option::Option::None,
                }
            }

            /// Whether the spec does not list this value.
            pub fn is_unknown(&self) -> bool {
                ::std::matches!(self, Self::Unknown(_))
            }
        }

        impl $crate::IntEnum for $name {
            const TYPE_NAME: &'static str = ::std::stringify!($name);
            const KNOWN: &'static [(i64, &'static str)] = &[ $( ($id, $wire_name), )* ];

            fn from_id(id: i64) -> Self {
                match id {
                    $( $id => Self::$variant, )*
                    other => Self::Unknown($crate::UnknownValue::Id(other)),
                }
            }

            fn unknown(value: $crate::UnknownValue) -> Self {
                Self::Unknown(value)
            }

            fn to_id(&self) -> ::std::option::Option<i64> {
                self.id()
            }
        }

        #[cfg(feature = "schemars")]
        impl $crate::__private::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(::std::stringify!($name))
            }

            fn json_schema(
                generator: &mut $crate::__private::schemars::SchemaGenerator,
            ) -> $crate::__private::schemars::Schema {
                $crate::__private::int_enum_schema::<Self>(generator)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    $( Self::$variant => f.write_str($wire_name), )*
                    Self::Unknown(value) => ::std::fmt::Display::fmt(value, f),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::ParseEnumError;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                $crate::__private::parse_int_enum(value)
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(id: i64) -> Self {
                <Self as $crate::IntEnum>::from_id(id)
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $( Self::$variant => serializer.serialize_i64($id), )*
                    Self::Unknown($crate::UnknownValue::Id(id)) => serializer.serialize_i64(*id),
                    Self::Unknown($crate::UnknownValue::Name(name)) => serializer.serialize_str(name),
                }
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::deserialize_int_enum(deserializer)
            }
        }
    };
}

/// Declares an open enum whose wire form is a string.
///
/// The enum gets `Unknown(String)`, is `#[non_exhaustive]`, serializes and displays the wire string, decodes
/// any string, and parses (`FromStr`) known values case-insensitively.
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $wire:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$variant_meta])* $variant, )*
            /// A value this version of the spec does not list, kept as Roblox sent it.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The string sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Whether the spec does not list this value.
            pub fn is_unknown(&self) -> bool {
                ::std::matches!(self, Self::Unknown(_))
            }
        }

        impl $crate::StringEnum for $name {
            const TYPE_NAME: &'static str = ::std::stringify!($name);
            const KNOWN: &'static [&'static str] = &[ $( $wire, )* ];

            fn from_known(value: &str) -> ::std::option::Option<Self> {
                match value {
                    $( $wire => ::std::option::Option::Some(Self::$variant), )*
                    _ => ::std::option::Option::None,
                }
            }

            fn unknown(value: ::std::string::String) -> Self {
                Self::Unknown(value)
            }
        }

        #[cfg(feature = "schemars")]
        impl $crate::__private::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(::std::stringify!($name))
            }

            fn json_schema(
                generator: &mut $crate::__private::schemars::SchemaGenerator,
            ) -> $crate::__private::schemars::Schema {
                $crate::__private::string_enum_schema::<Self>(generator)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::ParseEnumError;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                $crate::__private::parse_string_enum(value)
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::deserialize_string_enum(deserializer)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::{ParseEnumError, UnknownValue};

    crate::int_enum! {
        enum Kind {
            Asset = 0 => "Asset",
            GamePass = 1 => "GamePass",
        }
    }

    crate::string_enum! {
        enum State {
            Available = "AVAILABLE",
            Hold = "HOLD",
        }
    }

    #[test]
    fn int_enum_decodes_ids_names_and_unknowns() {
        let decoded: Vec<Kind> =
            serde_json::from_str(r#"[0, "GamePass", "gamepass", "1", 9, "Avatar"]"#).unwrap();
        assert_eq!(
            decoded,
            [
                Kind::Asset,
                Kind::GamePass,
                Kind::GamePass,
                Kind::GamePass,
                Kind::Unknown(UnknownValue::Id(9)),
                Kind::Unknown(UnknownValue::Name("Avatar".into())),
            ]
        );
        assert_eq!(
            serde_json::to_string(&decoded).unwrap(),
            r#"[0,1,1,1,9,"Avatar"]"#
        );
    }

    #[test]
    fn int_enum_rejects_booleans_with_a_clear_error() {
        let error = serde_json::from_str::<Kind>("true").unwrap_err();
        assert!(error.to_string().contains("a Kind id or name"), "{error}");
    }

    #[test]
    fn int_enum_displays_and_parses_names() {
        assert_eq!(Kind::GamePass.to_string(), "GamePass");
        assert_eq!("gamePASS".parse::<Kind>(), Ok(Kind::GamePass));
        assert_eq!("7".parse::<Kind>(), Ok(Kind::Unknown(UnknownValue::Id(7))));
        assert_eq!(
            (Kind::GamePass.id(), Kind::GamePass.name()),
            (Some(1), Some("GamePass"))
        );
        let unlisted_name = Kind::Unknown(UnknownValue::Name("Avatar".into()));
        assert_eq!((unlisted_name.id(), unlisted_name.name()), (None, None));
        assert!(unlisted_name.is_unknown() && !Kind::Asset.is_unknown());
        let error: ParseEnumError = "Hat".parse::<Kind>().unwrap_err();
        assert_eq!(
            error.to_string(),
            r#""Hat" is not a known Kind; expected one of: Asset, GamePass"#
        );
    }

    #[test]
    fn string_enum_keeps_unknown_values() {
        let decoded: Vec<State> = serde_json::from_str(r#"["HOLD", "LOCKED"]"#).unwrap();
        assert_eq!(decoded, [State::Hold, State::Unknown("LOCKED".into())]);
        assert_eq!(
            serde_json::to_string(&decoded).unwrap(),
            r#"["HOLD","LOCKED"]"#
        );
        assert_eq!("available".parse::<State>(), Ok(State::Available));
        assert!("LOCKED".parse::<State>().is_err());
        assert!(decoded[1].is_unknown() && !decoded[0].is_unknown());
        assert!(serde_json::from_str::<State>("3").is_err());
    }
}
