#![doc = include_str!("../README.md")]

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, dead_code)]
mod generated;

pub use generated::*;
pub use roblox_inventory_core::{
    CommaSeparated, Execute, InvalidCursor, Operation, Page, PagedRequest, PaginationError,
    Request, Scan, ScannedPage, Timestamp, UnknownValue,
};
