#![doc = include_str!("../README.md")]

mod comma_separated;
mod decode;
mod digits;
mod open_enum;
mod paging;
mod request;
#[cfg(feature = "schemars")]
mod schema;
mod timestamp;

pub use comma_separated::CommaSeparated;
pub use decode::{
    BodyError, MAX_BODY_BYTES, decode_json, error_body, json_body, read_body, unexpected_response,
};
pub use digits::{DigitString, parse_digits};
pub use open_enum::{ById, IntEnum, ParseEnumError, StringEnum, UnknownValue};
pub use paging::{
    Cursor, InvalidCursor, Page, PagedRequest, PaginationError, Scan, ScanResult, ScannedPage,
    integer_cursor,
};
pub use request::{Execute, Operation, Request, send};
pub use timestamp::{Timestamp, TimestampError};

/// What the generated crates' signatures name, re-exported so that they need no dependency of their own for it:
/// the stream of `stream()`, and the body `decode` reads.
pub use bytes::Bytes;
pub use futures_core::Stream;

/// What the open-enum macros expand to; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::open_enum::{
        deserialize_int_enum, deserialize_string_enum, parse_int_enum, parse_string_enum,
    };
    #[cfg(feature = "schemars")]
    pub use crate::schema::{int_enum_schema, string_enum_schema};
    #[cfg(feature = "schemars")]
    pub use schemars;
    pub use serde;
}
