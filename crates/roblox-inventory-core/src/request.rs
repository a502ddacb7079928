//! A generated request as data, and the one seam through which any request is sent.
//!
//! Every request builder of a generated crate implements [`Request`]: it knows its operation (from the
//! generated operation table) and its path, builds its HTTP request without sending anything
//! ([`into_request`](Request::into_request)), and decodes an answer it did not read itself
//! ([`decode`](Request::decode)). Whoever sends it is an [`Execute`]: a plain `reqwest::Client` for a generated
//! crate used alone (what the builder's own `send()` does), or the facade's transport, which puts credentials,
//! rate limits, retries and bounded reads between the two steps and fails with an error of its own.

use std::fmt;
use std::future::Future;

use bytes::Bytes;
use progenitor_client::{Error, ResponseValue};

use crate::decode::{BodyError, MAX_BODY_BYTES, read_body};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// One operation of a spec: its `operationId`, method, path template and host, as `cargo xtask regen` reads
/// them from the spec into each generated crate's `operations` module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Operation {
    /// The spec's `operationId`, such as `listInventoryItems`.
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template, such as `/cloud/v2/users/{user_id}/inventory-items`.
    pub path: &'static str,
    /// The spec's first server, Roblox's production host of the operation's API (`https://apis.roblox.com`):
    /// which host, and so which credential, a request of the operation belongs to.
    pub base_url: &'static str,
}

impl fmt::Display for Operation {
    /// `GET /v2/users/{userId}/inventory`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// A request of a generated client, as data: its operation, the path it goes to, how it becomes an HTTP request
/// and how its answer is decoded.
///
/// Implemented by `cargo xtask regen` for every request builder. Building and decoding are progenitor's own
/// code, split around the sending: `into_request` is its body up to `.build()`, `decode` its match on the
/// status. The builder's `send()` is [`send`] over its client's `reqwest::Client`.
pub trait Request: Sized + Send {
    /// What a successful answer decodes to.
    type Output: Send;
    /// The body of the documented error statuses (the `E` of the generated crate's `Error<E>`).
    type ErrorBody: Send;

    /// The operation this request is one of.
    const OPERATION: &'static Operation;

    /// The path this request is sent to, its parameters filled in (`/v2/users/1/inventory`); a parameter that
    /// was not set, or could not be converted, stays as its `{name}`.
    fn path(&self) -> String;

    /// The HTTP request, built and not sent; `Error::InvalidRequest` names a parameter that is missing or could
    /// not be converted.
    // The error is progenitor's own, which every generated `send` returns.
    #[allow(clippy::result_large_err)]
    fn into_request(self) -> Result<reqwest::Request, Error<Self::ErrorBody>>;

    /// Decodes an answer to this operation: the documented success body, the documented error body of an error
    /// status (`Error::ErrorResponse`), `Error::UnexpectedResponse` for any other status, and
    /// `Error::InvalidResponsePayload`, with the body, for a documented status whose body does not decode.
    #[allow(clippy::result_large_err)]
    fn decode(
        status: StatusCode,
        headers: &HeaderMap,
        body: &Bytes,
    ) -> Result<Self::Output, Error<Self::ErrorBody>>;
}

/// Sends generated requests and decodes their answers, failing with an error type of its own.
///
/// A plain `reqwest::Client` is one, owned or borrowed (its error is the generated crate's `Error<E>`), and so
/// is a borrowed transport of the facade. [`Scan`](crate::Scan) pages through any of them. Implement it for the
/// type a scan holds: a borrow (`&MyExecutor`) for a scan that borrows, an owned handle for one that must be
/// `'static`.
pub trait Execute<R: Request>: Sync {
    /// What sending fails with.
    type Error;

    /// Builds `request`, sends it and decodes the answer.
    fn execute(&self, request: R) -> impl Future<Output = Result<R::Output, Self::Error>> + Send;
}

impl<R: Request> Execute<R> for reqwest::Client {
    type Error = Error<R::ErrorBody>;

    async fn execute(&self, request: R) -> Result<R::Output, Self::Error> {
        send(self, request).await.map(ResponseValue::into_inner)
    }
}

impl<R: Request> Execute<R> for &reqwest::Client {
    type Error = Error<R::ErrorBody>;

    async fn execute(&self, request: R) -> Result<R::Output, Self::Error> {
        send(self, request).await.map(ResponseValue::into_inner)
    }
}

/// Builds `request`, sends it with `http` as it is, reads the whole body (at most [`MAX_BODY_BYTES`]) and decodes
/// it: what every generated builder's `send()` does.
pub async fn send<R: Request>(
    http: &reqwest::Client,
    request: R,
) -> Result<ResponseValue<R::Output>, Error<R::ErrorBody>> {
    let request = request.into_request()?;
    let mut response = http.execute(request).await?;
    let status = response.status();
    // Moved out rather than cloned: reading the body needs no headers.
    let headers = std::mem::take(response.headers_mut());
    let body = read_body(&mut response, MAX_BODY_BYTES)
        .await
        .map_err(|error| match error {
            BodyError::Read(source) => Error::ResponseBodyError(source),
            too_large @ BodyError::TooLarge { .. } => Error::Custom(too_large.to_string()),
        })?;
    let output = R::decode(status, &headers, &body)?;
    Ok(ResponseValue::new(output, status, headers))
}
