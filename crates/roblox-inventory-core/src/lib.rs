#![doc = include_str!("../README.md")]

mod comma_separated;
mod hooks;
mod open_enum;
mod timestamp;

pub use comma_separated::CommaSeparated;
pub use hooks::{Hooks, Middleware, MiddlewareFuture};
pub use open_enum::{IntEnum, ParseEnumError, StringEnum, UnknownValue};
pub use timestamp::{Timestamp, TimestampError};

/// What the open-enum macros expand to; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::open_enum::{
        deserialize_int_enum, deserialize_string_enum, parse_int_enum, parse_string_enum,
    };
    pub use serde;
}
