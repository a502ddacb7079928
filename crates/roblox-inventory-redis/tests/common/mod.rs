//! The tests' redis-server: the crate's own test support.

#![allow(unused_imports)]

pub use roblox_inventory_redis::testing::RedisServer;
