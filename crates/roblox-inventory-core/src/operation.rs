//! The operation table every generated crate emits, and the request trait every generated request implements.
//!
//! A request knows which operation of the spec it is and the path it is sent to, so that errors and traces name
//! the request without anyone typing a path by hand.

use std::fmt;
use std::future::Future;

/// One operation of a spec: its `operationId`, method and path template, as `cargo xtask regen` reads them from
/// the spec into each generated crate's `operations` module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Operation {
    /// The spec's `operationId`, such as `listInventoryItems`.
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template, such as `/cloud/v2/users/{user_id}/inventory-items`.
    pub path: &'static str,
}

impl fmt::Display for Operation {
    /// `GET /v2/users/{userId}/inventory`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// A request of a generated client: its operation, the path it goes to, and how it is sent.
///
/// Implemented by `cargo xtask regen` for every request builder; [`call`](Request::call) is the builder's own
/// `send`, with the response's value taken out.
pub trait Request: Sized + Send {
    /// What a successful response decodes to.
    type Output;
    /// What the request fails with (the generated crate's `Error<E>`).
    type Error;

    /// The operation this request is one of.
    const OPERATION: &'static Operation;

    /// The path this request is sent to, its parameters filled in (`/v2/users/1/inventory`); a parameter that
    /// was not set, or could not be converted, stays as its `{name}`.
    fn path(&self) -> String;

    /// Sends the request and decodes the response.
    fn call(self) -> impl Future<Output = Result<Self::Output, Self::Error>> + Send;
}
