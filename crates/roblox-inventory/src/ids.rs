//! The ids of what users own, one newtype per kind, used alike in requests (`asset_owners(AssetId(..))`, the
//! filter's id lists) and in results (Open Cloud's items).

use std::fmt;
use std::str::FromStr;

use roblox_inventory_core::parse_digits;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A string that is not a Roblox id: ids are decimal digits only and fit in 64 bits.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a valid {type_name}: expected decimal digits only, at most {max}", max = u64::MAX)]
pub struct ParseIdError {
    /// The id type that was being parsed, such as `AssetId`.
    pub type_name: &'static str,
    /// What was given.
    pub value: String,
}

/// Parses an id, with the one digit parser of the workspace ([`roblox_inventory_core::parse_digits`]).
pub(crate) fn parse_id(type_name: &'static str, value: &str) -> Result<u64, ParseIdError> {
    parse_digits(value).ok_or_else(|| ParseIdError {
        type_name,
        value: value.to_owned(),
    })
}

macro_rules! id_newtype {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        ///
        /// The same type in requests and in results. Open Cloud sends it as a string of digits; this type holds
        /// the number. It displays and parses as digits, and serializes as a JSON number (it also deserializes
        /// from a string of digits).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u64);

        impl $name {
            /// The id as a number.
            pub fn get(self) -> u64 {
                self.0
            }
        }

        impl From<u64> for $name {
            fn from(id: u64) -> Self {
                Self(id)
            }
        }

        impl From<$name> for u64 {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = ParseIdError;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                parse_id(stringify!($name), value).map(Self)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_u64(self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserialize_id(deserializer, stringify!($name)).map(Self)
            }
        }
    };
}

id_newtype! {
    /// The id of an asset (Open Cloud's `assetDetails.assetId`; the legacy APIs' `assetId`).
    AssetId
}

id_newtype! {
    /// The id of one copy of an asset owned by a user (Open Cloud's `assetDetails.instanceId`; the legacy APIs'
    /// `userAssetId`).
    AssetInstanceId
}

id_newtype! {
    /// The id of a badge (Open Cloud's `badgeDetails.badgeId`).
    BadgeId
}

id_newtype! {
    /// The id of a game pass (Open Cloud's `gamePassDetails.gamePassId`).
    GamePassId
}

id_newtype! {
    /// The id of a private server (Open Cloud's `privateServerDetails.privateServerId`).
    PrivateServerId
}

id_newtype! {
    /// The id of a bundle (the legacy APIs' bundle ids; Open Cloud lists no bundles).
    BundleId
}

fn deserialize_id<'de, D: Deserializer<'de>>(
    deserializer: D,
    type_name: &'static str,
) -> Result<u64, D::Error> {
    struct IdVisitor(&'static str);

    impl Visitor<'_> for IdVisitor {
        type Value = u64;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(
                f,
                "a {} as a non-negative integer or a string of digits",
                self.0
            )
        }

        fn visit_u64<E: de::Error>(self, id: u64) -> Result<u64, E> {
            Ok(id)
        }

        fn visit_i64<E: de::Error>(self, id: i64) -> Result<u64, E> {
            u64::try_from(id).map_err(|_| E::invalid_value(de::Unexpected::Signed(id), &self))
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<u64, E> {
            parse_id(self.0, value).map_err(E::custom)
        }
    }

    deserializer.deserialize_any(IdVisitor(type_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn ids_parse_as_the_standard_library_parses_digits(text in "[0-9]{1,25}|.{0,25}") {
            let expected = text
                .bytes()
                .all(|byte| byte.is_ascii_digit())
                .then(|| text.parse::<u64>().ok())
                .flatten();
            proptest::prop_assert_eq!(text.parse::<AssetId>().ok().map(AssetId::get), expected);
        }

        #[test]
        fn every_id_round_trips(id: u64) {
            proptest::prop_assert_eq!(id.to_string().parse::<AssetId>(), Ok(AssetId(id)));
        }
    }

    #[test]
    fn ids_display_parse_and_serialize_as_numbers() {
        assert_eq!(AssetId(1028595).to_string(), "1028595");
        assert_eq!("1028595".parse::<AssetId>(), Ok(AssetId(1028595)));
        assert_eq!(u64::from(GamePassId::from(7)), 7);
        assert_eq!(BadgeId(9).get(), 9);
        for bad in ["", " 1", "+1", "-1", "1e3", "18446744073709551616"] {
            assert_eq!(
                bad.parse::<BadgeId>(),
                Err(ParseIdError {
                    type_name: "BadgeId",
                    value: bad.into()
                })
            );
        }
        assert_eq!(
            "x".parse::<AssetId>().unwrap_err().to_string(),
            r#""x" is not a valid AssetId: expected decimal digits only, at most 18446744073709551615"#
        );

        assert_eq!(
            serde_json::to_string(&[PrivateServerId(1), PrivateServerId(u64::MAX)]).unwrap(),
            "[1,18446744073709551615]"
        );
        let decoded: Vec<AssetInstanceId> = serde_json::from_str(r#"[12, "34"]"#).unwrap();
        assert_eq!(decoded, [AssetInstanceId(12), AssetInstanceId(34)]);
        for bad in ["-1", r#""abc""#, "1.5", "null"] {
            assert!(serde_json::from_str::<AssetId>(bad).is_err(), "{bad}");
        }
    }
}
