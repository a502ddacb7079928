#![doc = include_str!("../README.md")]

pub mod api;
pub mod behaviour;
pub mod hostile;
pub mod server;
pub mod world;

pub use behaviour::{Behaviour, BehaviourConfig, Caller, Credentials};
pub use server::MockServer;
pub use world::{EmptyTrailingPage, Fixture, Item, ItemKind, ItemMix, UserSpec, WorldConfig};
