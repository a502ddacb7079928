#![doc = include_str!("../README.md")]

mod budget;

pub use budget::RedisBudget;
