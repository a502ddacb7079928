//! How the facade's requests go out. [`Transport`] is the executor of every request: one per host, each with
//! its credential, its rate budget and the client's retry policy. Its parts, one concern a module:
//!
//! - `transport`: one request from its credential to its decoded answer; the origin check, the body bound and
//!   which answers are retried live there, as the steps of that one path;
//! - `credential`: the credentials ([`Secret`], [`CloudCredential`]) and the headers that carry them;
//! - `budget`: the rate budget of a credential: where it is kept ([`BudgetStore`], [`InProcessBudget`]), and
//!   the limiter that asks it before each request and tells it what each answer's headers said;
//! - `rate_limit`: a client-side limit and Roblox's documented ones ([`RateLimit`]);
//! - `retry`: when a read is sent again ([`RetryPolicy`]) and the schedule of one request's retries;
//! - `csrf`: the legacy host's CSRF handshake for mutations;
//! - `wait`: how a wait is said ([`WAIT_TARGET`]).

mod budget;
mod credential;
mod csrf;
mod rate_limit;
mod retry;
mod transport;
mod wait;

pub use budget::{
    Admission, Budget, BudgetFuture, BudgetKey, BudgetStore, InProcessBudget, Observation,
    ServerLimit, ServerQuota,
};
pub use rate_limit::RateLimit;
pub use retry::RetryPolicy;
pub use transport::Transport;
pub use wait::WAIT_TARGET;

pub use credential::{CloudCredential, Secret};

pub(crate) use budget::Limiter;
pub(crate) use credential::cookie_header;
pub(crate) use csrf::CsrfToken;
