#![doc = include_str!("../README.md")]

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, dead_code)]
mod generated;

pub use generated::types::*;
pub use roblox_inventory_core::UnknownValue;
