#![doc = include_str!("../README.md")]

mod comma_separated;
mod digits;
mod hooks;
mod json_body;
mod open_enum;
mod operation;
mod paging;
#[cfg(feature = "schemars")]
mod schema;
mod timestamp;

pub use comma_separated::CommaSeparated;
pub use digits::{DigitString, parse_digits};
pub use hooks::{Hooks, Middleware, MiddlewareFuture};
pub use json_body::{decode_json, json_response};
pub use open_enum::{ById, IntEnum, ParseEnumError, StringEnum, UnknownValue};
pub use operation::{Operation, Request};
pub use paging::{
    Cursor, Page, PagedRequest, PaginationError, Paginator, Scan, ScanResult, ScannedPage,
    integer_cursor,
};
pub use timestamp::{Timestamp, TimestampError};

/// The stream trait the paged requests' `stream()` returns, re-exported so that the generated crates need no
/// dependency of their own for it.
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
