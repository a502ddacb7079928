#![doc = include_str!("../README.md")]

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, dead_code)]
mod generated;

#[cfg(feature = "schemars")]
pub use generated::model_schemas;
pub use generated::types::*;
pub use roblox_inventory_core::UnknownValue;
