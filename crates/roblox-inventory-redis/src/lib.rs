#![doc = include_str!("../README.md")]

mod budget;
mod connection;
mod queue;
pub mod testing;
mod worker;

pub use budget::RedisBudget;
pub use queue::{Job, JobId, Queue, QueueError, ScanKind, Status};
pub use worker::{Worker, WorkerOptions};
