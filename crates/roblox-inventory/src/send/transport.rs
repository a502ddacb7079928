//! The facade's executor: one request of one of Roblox's hosts, from its credential to its decoded answer, every
//! failure on the way an [`Error`] made where it happens.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, LOCATION};
use reqwest::{Method, StatusCode, Url};
use roblox_inventory_core::{BodyError, Execute, Request, read_body};
use tokio::sync::{Semaphore, SemaphorePermit};
use tracing::{Instrument, Span};

use super::budget::{Limiter, retry_after};
use super::csrf::CsrfToken;
use super::retry::{RetryPolicy, Schedule, server_hint};
use super::wait::{WAIT_TARGET, duration_ms};
use crate::error::{Error, RequestLine, api_error, not_built, transport_error};

/// Sends the requests of one of Roblox's hosts (the legacy host, or Open Cloud's): the [`Execute`] of every
/// request the facade sends, and of every [`Scan`](crate::Scan) it makes. A [`Client`](crate::Client) has one per
/// host; you meet it as the executor in a scan's type.
///
/// For each request: its host's credential, and only if the request goes to that host's origin; the rate budget
/// and the cap on requests in flight; the legacy CSRF handshake for mutations; retries for reads; the answer
/// refused if it came from another origin, is a redirect or is larger than the limit, and otherwise read whole
/// under the limit; decoded by the request's own `decode`, or made an [`Error::Api`] with Roblox's error
/// entries. A `tracing` span per request names its operation, method, path, status and attempt.
pub struct Transport {
    pub(crate) http: reqwest::Client,
    /// The host's URL: the credential goes only to its scheme, host and port.
    pub(crate) origin: Url,
    pub(crate) credential: Option<(HeaderName, HeaderValue)>,
    /// The legacy host's CSRF token; `None` for a host without the handshake (Open Cloud).
    pub(crate) csrf: Option<CsrfToken>,
    pub(crate) limiter: Limiter,
    pub(crate) retry: RetryPolicy,
    /// Shared by the client's transports.
    pub(crate) in_flight: Arc<Semaphore>,
    pub(crate) max_response_bytes: u64,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("origin", &self.origin.as_str())
            // The header's name, never its value.
            .field(
                "credential",
                &self.credential.as_ref().map(|(name, _)| name),
            )
            .field("csrf", &self.csrf.is_some())
            .field("limiter", &self.limiter)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl<R: Request> Execute<R> for &Transport {
    type Error = Error;

    fn execute(&self, request: R) -> impl Future<Output = Result<R::Output, Error>> + Send {
        let transport: &Transport = self;
        let line = RequestLine::of(&request);
        let span = tracing::debug_span!(
            "roblox_inventory.request",
            operation = R::OPERATION.id,
            method = %R::OPERATION.method,
            path = line.path.as_str(),
            status = tracing::field::Empty,
            attempt = 1u32,
        );
        let recorded = span.clone();
        async move {
            let request = request
                .into_request()
                .map_err(|error| not_built(line.clone(), error))?;
            let answer = transport.exchange(&line, request, &recorded).await?;
            answer.decode::<R>(line)
        }
        .instrument(span)
    }
}

/// An answer read whole: what a request's `decode` reads.
#[derive(Debug)]
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Answer {
    /// The request's output, decoded by its own `decode` from a success status; Roblox's error otherwise.
    fn decode<R: Request>(self, line: RequestLine) -> Result<R::Output, Error> {
        if self.status.is_success() {
            match R::decode(self.status, &self.headers, &self.body) {
                Ok(output) => return Ok(output),
                Err(progenitor_client::Error::InvalidResponsePayload(body, source)) => {
                    return Err(Error::Decode {
                        request: line,
                        source,
                        body,
                    });
                }
                // A success status the spec does not list (`UnexpectedResponse`; a generated `decode` answers
                // nothing else for one) is said as the status it is, below.
                Err(_) => {}
            }
        }
        let retry_after = retry_after(&self.headers, SystemTime::now());
        Err(api_error(line, self.status, retry_after, self.body))
    }
}

/// An answer whose head was accepted, its body not read yet, holding its place among the requests in flight
/// until the body is read or dropped.
struct Received<'a> {
    response: reqwest::Response,
    _in_flight: Option<SemaphorePermit<'a>>,
}

impl Received<'_> {
    fn status(&self) -> StatusCode {
        self.response.status()
    }

    /// Reads the body whole under `limit` (see [`read_body`]).
    async fn read(self, line: &RequestLine, limit: u64) -> Result<Answer, Error> {
        let Self {
            mut response,
            _in_flight,
        } = self;
        let status = response.status();
        // Moved out rather than cloned: reading the body needs no headers.
        let headers = std::mem::take(response.headers_mut());
        let body = read_body(&mut response, limit)
            .await
            .map_err(|error| match error {
                BodyError::TooLarge { limit, declared } => Error::ResponseTooLarge {
                    request: line.clone(),
                    limit,
                    declared,
                },
                BodyError::Read(source) => transport_error(line.clone(), source),
            })?;
        Ok(Answer {
            status,
            headers,
            body,
        })
    }
}

/// Requests that are retried: reads. Everything else is a mutation.
fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD)
}

/// Whether an answer of `status` to a read is sent again: 429, 500, 502, 503 and 504.
fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504)
}

/// Whether a failure to send a read or to read its answer is retried: timeouts, connection and body errors are;
/// the facade's own refusals (budget, size, origin, redirect), a request reqwest will not send, and a caller's
/// client giving up on a redirect chain are not.
fn retryable_error(error: &Error) -> bool {
    matches!(error, Error::Transport { source, .. } if !(source.is_builder() || source.is_redirect()))
}

/// Whether two http(s) URLs share scheme, host and port (`Url::origin` equality), compared in place: this runs
/// on every request and every answer, and `Url::origin` builds strings to compare.
fn same_origin(a: &Url, b: &Url) -> bool {
    matches!(a.scheme(), "http" | "https")
        && a.scheme() == b.scheme()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Why a read is tried once more: an answer of a retryable status (its body unread, so that a retry drops it
/// unread), or a failure to send it or to read its answer.
enum Retryable<'a> {
    Status(Received<'a>),
    Failed(Error),
}

impl Transport {
    /// Sends `request` as its method allows and reads the answer whole: reads retried, legacy mutations with
    /// the CSRF handshake, others once. The credential goes only to this host's origin, and only requests to it
    /// spend its rate budget.
    async fn exchange(
        &self,
        line: &RequestLine,
        mut request: reqwest::Request,
        span: &Span,
    ) -> Result<Answer, Error> {
        let own_host = same_origin(&self.origin, request.url());
        if own_host && let Some((name, value)) = &self.credential {
            request.headers_mut().insert(name.clone(), value.clone());
        }
        if is_idempotent(request.method()) {
            return self.send_read(line, request, span, own_host).await;
        }
        match &self.csrf {
            Some(csrf) if own_host => self.send_with_csrf(csrf, line, request, span).await,
            _ => self.send_once(line, request, span, own_host).await,
        }
    }

    async fn send_once(
        &self,
        line: &RequestLine,
        request: reqwest::Request,
        span: &Span,
        own_host: bool,
    ) -> Result<Answer, Error> {
        let received = self.attempt(line, request, span, own_host).await?;
        received.read(line, self.max_response_bytes).await
    }

    /// Sends a read, and again as the retry policy says.
    async fn send_read(
        &self,
        line: &RequestLine,
        mut request: reqwest::Request,
        span: &Span,
        own_host: bool,
    ) -> Result<Answer, Error> {
        let started = Instant::now();
        let mut schedule = None;
        let mut attempt = 1u32;
        loop {
            span.record("attempt", attempt);
            // A request whose body is a stream cannot be cloned, and so is sent once.
            let Some(next) = request.try_clone() else {
                return self.send_once(line, request, span, own_host).await;
            };
            let retryable = match self.attempt(line, request, span, own_host).await {
                Ok(received) if retryable_status(received.status()) => Retryable::Status(received),
                Ok(received) => match received.read(line, self.max_response_bytes).await {
                    Err(error) if retryable_error(&error) => Retryable::Failed(error),
                    answer => return answer,
                },
                Err(error) if retryable_error(&error) => Retryable::Failed(error),
                Err(error) => return Err(error),
            };
            let (status, hint) = match &retryable {
                Retryable::Status(received) => (
                    Some(received.status().as_u16()),
                    server_hint(received.status(), received.response.headers()),
                ),
                Retryable::Failed(_) => (None, None),
            };
            let schedule = schedule.get_or_insert_with(|| Schedule::new(&self.retry, started));
            let Some(delay) = schedule.next_wait(hint) else {
                return match retryable {
                    Retryable::Status(received) => {
                        received.read(line, self.max_response_bytes).await
                    }
                    Retryable::Failed(error) => Err(error),
                };
            };
            // The answer that is retried goes unread.
            drop(retryable);
            wait_to_retry(delay, attempt, status).await;
            request = next;
            attempt += 1;
        }
    }

    /// Sends a mutation of the legacy host with the current CSRF token; on a 403 offering a fresh token, once
    /// more with that token.
    async fn send_with_csrf(
        &self,
        csrf: &CsrfToken,
        line: &RequestLine,
        mut request: reqwest::Request,
        span: &Span,
    ) -> Result<Answer, Error> {
        let used = csrf.attach(&mut request);
        let retry = request.try_clone();
        // An answer from another origin is refused here, so a token is taken only from the legacy host itself.
        let received = self.attempt(line, request, span, true).await?;
        match (
            CsrfToken::offered(received.status(), received.response.headers()),
            retry,
        ) {
            (Some(offered), Some(mut retry)) => {
                drop(received);
                csrf.refresh(used.as_ref(), &offered, &mut retry);
                span.record("attempt", 2u32);
                self.send_once(line, retry, span, true).await
            }
            _ => received.read(line, self.max_response_bytes).await,
        }
    }

    /// Sends once, within the cap on requests in flight and, for a request to this host's own origin, within its
    /// rate budget, and accepts the answer's head: from the origin asked, and not a redirect.
    async fn attempt(
        &self,
        line: &RequestLine,
        request: reqwest::Request,
        span: &Span,
        own_host: bool,
    ) -> Result<Received<'_>, Error> {
        if own_host {
            self.limiter
                .acquire()
                .await
                .map_err(|source| Error::Budget {
                    request: line.clone(),
                    source,
                })?;
        }
        let in_flight = self.in_flight.acquire().await.ok();
        // A request to this host is answered by this host; any other by the origin it went to.
        let elsewhere = (!own_host).then(|| request.url().clone());
        let response = self
            .http
            .execute(request)
            .await
            .map_err(|source| transport_error(line.clone(), source))?;
        let status = response.status();
        span.record("status", status.as_u16());
        if !same_origin(response.url(), elsewhere.as_ref().unwrap_or(&self.origin)) {
            // A caller-supplied client followed a redirect: what came from there is neither read nor learnt from.
            return Err(Error::FollowedRedirect {
                request: line.clone(),
                origin: response.url().origin().ascii_serialization(),
            });
        }
        if own_host && let Err(error) = self.limiter.observe(status, response.headers()).await {
            // The answer came; a store that is down fails the next request's admission instead.
            tracing::warn!(%error, "the rate budget store could not learn from an answer");
        }
        if status.is_redirection() {
            return Err(Error::Redirect {
                request: line.clone(),
                status,
                location: response
                    .headers()
                    .get(LOCATION)
                    .and_then(|value| value.to_str().ok())
                    .map(str::to_owned),
            });
        }
        Ok(Received {
            response,
            _in_flight: in_flight,
        })
    }
}

/// Says that the client waits to retry, and waits.
async fn wait_to_retry(delay: Duration, attempt: u32, status: Option<u16>) {
    tracing::info!(
        target: WAIT_TARGET,
        wait_ms = duration_ms(delay),
        reason = "retry",
        attempt,
        status,
        "waiting to retry"
    );
    tokio::time::sleep(delay).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::send::credential::{CloudCredential, Secret, cookie_header};
    use crate::send::{BudgetKey, InProcessBudget};
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    async fn server() -> MockServer {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
        server
    }

    /// The transport of a client configured for `server` with `credential`; the legacy host's (with the CSRF
    /// handshake) when `csrf`.
    fn transport_of(
        server: &MockServer,
        credential: Option<(HeaderName, HeaderValue)>,
        csrf: bool,
    ) -> Transport {
        let retry = RetryPolicy::default();
        Transport {
            http: reqwest::Client::new(),
            origin: Url::parse(&server.uri()).unwrap(),
            credential,
            csrf: csrf.then(CsrfToken::default),
            limiter: Limiter::new(
                Arc::new(InProcessBudget::new()),
                BudgetKey::new("test"),
                None,
                true,
                retry.max_delay,
            ),
            retry,
            in_flight: Arc::new(Semaphore::new(4)),
            max_response_bytes: crate::client::DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    fn line() -> RequestLine {
        RequestLine {
            operation: &roblox_inventory_legacy_v1::operations::CAN_VIEW_INVENTORY,
            path: "/x".to_owned(),
        }
    }

    fn request(method: Method, url: String) -> reqwest::Request {
        reqwest::Request::new(method, Url::parse(&url).unwrap())
    }

    async fn exchange(transport: &Transport, method: Method, url: String) -> Answer {
        transport
            .exchange(&line(), request(method, url), &Span::none())
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn credentials_are_not_sent_to_another_origin() {
        let own = server().await;
        let other = server().await;
        let cookie = cookie_header(&Secret::new("cookie"));
        let key = CloudCredential::ApiKey(Secret::new("key")).header();
        for transport in [
            transport_of(&own, cookie, true),
            transport_of(&own, key, false),
        ] {
            exchange(&transport, Method::GET, format!("{}/x", own.uri())).await;
            exchange(&transport, Method::GET, format!("{}/x", other.uri())).await;
        }
        let own_requests = own.received_requests().await.unwrap();
        assert_eq!(own_requests[0].headers["cookie"], ".ROBLOSECURITY=cookie");
        assert_eq!(own_requests[1].headers["x-api-key"], "key");
        for request in other.received_requests().await.unwrap() {
            assert!(request.headers.get("cookie").is_none());
            assert!(request.headers.get("x-api-key").is_none());
        }
    }

    /// Accepts requests carrying `token`, and answers others 403 offering it, as the legacy host does.
    async fn csrf_host(token: &str) -> MockServer {
        use wiremock::matchers::header;
        let server = MockServer::start().await;
        Mock::given(header("x-csrf-token", token))
            .respond_with(ResponseTemplate::new(200))
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(403).insert_header("x-csrf-token", token))
            .mount(&server)
            .await;
        server
    }

    #[tokio::test]
    async fn csrf_tokens_neither_go_to_nor_come_from_another_origin() {
        let own = csrf_host("own-token").await;
        let other = csrf_host("other-token").await;
        let legacy = transport_of(&own, cookie_header(&Secret::new("cookie")), true);
        let answer = exchange(&legacy, Method::DELETE, format!("{}/x", own.uri())).await;
        assert_eq!(answer.status, 200);
        let csrf = legacy.csrf.as_ref().unwrap();
        assert_eq!(csrf.refreshes(), 1);

        let answer = exchange(&legacy, Method::DELETE, format!("{}/x", other.uri())).await;
        assert_eq!(answer.status, 403);
        let requests = other.received_requests().await.unwrap();
        assert_eq!(requests.len(), 1, "not retried with the other host's token");
        assert!(requests[0].headers.get("x-csrf-token").is_none());
        assert!(requests[0].headers.get("cookie").is_none());
        assert_eq!(csrf.refreshes(), 1);
        // The legacy host still gets its own token, at once.
        exchange(&legacy, Method::DELETE, format!("{}/x", own.uri())).await;
        let last = own.received_requests().await.unwrap().pop().unwrap();
        assert_eq!(last.headers["x-csrf-token"], "own-token");
    }

    #[test]
    fn an_origin_is_scheme_host_and_port_as_url_compares_them() {
        let url = |text: &str| Url::parse(text).unwrap();
        let base = url("https://apis.roblox.com");
        for (candidate, same) in [
            ("https://APIS.roblox.com:443/cloud/v2/users/1?x=1", true),
            ("https://apis.roblox.com/", true),
            ("http://apis.roblox.com", false),
            ("https://apis.roblox.com:8443", false),
            ("https://apis.roblox.com.evil.example", false),
            ("https://inventory.roblox.com", false),
        ] {
            let candidate = url(candidate);
            assert_eq!(same_origin(&base, &candidate), same, "{candidate}");
            // The comparison in place agrees with the url crate's own origins.
            assert_eq!(candidate.origin() == base.origin(), same, "{candidate}");
        }
        assert!(same_origin(
            &url("http://[::1]:8080/"),
            &url("http://[0:0:0:0:0:0:0:1]:8080/v1")
        ));
        assert!(
            !same_origin(&url("ftp://a.example"), &url("ftp://a.example")),
            "not http(s)"
        );
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_the_facade_s_error_naming_the_request() {
        let response = http::Response::new(reqwest::Body::from("123456"));
        let received = Received {
            response: reqwest::Response::from(response),
            _in_flight: None,
        };
        let error = received.read(&line(), 5).await.unwrap_err();
        match error {
            Error::ResponseTooLarge {
                request,
                limit: 5,
                declared: Some(6),
            } => assert_eq!(request, line()),
            other => panic!("expected ResponseTooLarge, got {other:?}"),
        }
    }
}
