//! How the client says that it waits: one tracing target for every wait, rate limit or retry.

use std::time::Duration;

/// The tracing target of the events that say the client is waiting (for the rate limit, or to retry), with the
/// wait in `wait_ms` and why in `reason`.
pub const WAIT_TARGET: &str = "roblox_inventory::wait";

/// A wait in whole milliseconds, for the events' `wait_ms`.
pub(crate) fn duration_ms(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
