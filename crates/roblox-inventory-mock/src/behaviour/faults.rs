//! Deterministic fault injection: the n-th request's fate is a hash of the seed and n, so a seed replays exactly.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::counters::FaultKind;
use super::mix;

/// What to inject. Probabilities are per request, from 0.0 (never) to 1.0 (always); out-of-range values are
/// clamped and NaN counts as 0. The four failure probabilities share one draw, so they add up: with 0.1 each,
/// 40% of requests fail.
#[derive(Clone, Debug, Default)]
pub struct FaultConfig {
    /// Seeds the per-request draws; the same seed and request order give the same faults.
    pub seed: u64,
    /// Probability of a 500 instead of the real answer.
    pub internal_error: f64,
    /// Probability of a 503 instead of the real answer.
    pub unavailable: f64,
    /// Probability of a 429 (with `Retry-After: 1`) although the rate limit was not reached.
    pub too_many_requests: f64,
    /// Probability that the response breaks off: a 200 whose body ends before its declared length and whose
    /// connection is then closed, so the client sees a transfer error.
    pub dropped_connection: f64,
    /// Probability that a request is delayed by `latency` before it is handled (drawn independently).
    pub latency_probability: f64,
    /// The delay added to delayed requests; real time, not divided by `time_scale`.
    pub latency: Duration,
}

/// An answer that replaces the handler's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    InternalError,
    Unavailable,
    TooManyRequests,
    DroppedConnection,
}

impl Failure {
    pub(crate) fn kind(self) -> FaultKind {
        match self {
            Failure::InternalError => FaultKind::InternalError,
            Failure::Unavailable => FaultKind::Unavailable,
            Failure::TooManyRequests => FaultKind::TooManyRequests,
            Failure::DroppedConnection => FaultKind::DroppedConnection,
        }
    }
}

/// The fate of one request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Draw {
    pub(crate) delay: Option<Duration>,
    pub(crate) failure: Option<Failure>,
}

#[derive(Debug, Default)]
pub(crate) struct Faults {
    requests: AtomicU64,
}

impl Faults {
    pub(crate) fn draw(&self, config: &FaultConfig) -> Draw {
        let n = self.requests.fetch_add(1, Ordering::Relaxed);
        let failure_roll = unit(mix(config.seed, n));
        let latency_roll = unit(mix(config.seed ^ 0x6c61_7465_6e63_7921, n));
        let mut threshold = 0.0;
        let mut failure = None;
        for (probability, kind) in [
            (config.internal_error, Failure::InternalError),
            (config.unavailable, Failure::Unavailable),
            (config.too_many_requests, Failure::TooManyRequests),
            (config.dropped_connection, Failure::DroppedConnection),
        ] {
            threshold += clamp(probability);
            if failure_roll < threshold {
                failure = Some(kind);
                break;
            }
        }
        let delayed = !config.latency.is_zero() && latency_roll < clamp(config.latency_probability);
        Draw {
            delay: delayed.then_some(config.latency),
            failure,
        }
    }
}

fn clamp(probability: f64) -> f64 {
    if probability.is_nan() {
        0.0
    } else {
        probability.clamp(0.0, 1.0)
    }
}

// The top 53 bits as a fraction in [0, 1), so a probability of 1.0 always fires and 0.0 never does.
fn unit(hash: u64) -> f64 {
    (hash >> 11) as f64 / (1u64 << 53) as f64
}
