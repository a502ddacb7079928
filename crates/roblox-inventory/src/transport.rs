//! How the facade's requests go out: credentials attached only for the host they belong to, the legacy CSRF
//! handshake, and a tracing span per request. Plugged into the generated clients as their
//! [`roblox_inventory_core::Middleware`].

use std::sync::{Arc, Mutex};

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode, Url};
use roblox_inventory_core::{Middleware, MiddlewareFuture};
use tracing::Instrument;

use crate::resilience::Guard;
use crate::secret::{CloudCredential, Secret};

const CSRF_HEADER: HeaderName = HeaderName::from_static("x-csrf-token");
const API_KEY_HEADER: HeaderName = HeaderName::from_static("x-api-key");

/// Scheme, host and port: where a credential may be sent.
/// The scheme, host and port a credential belongs to.
#[derive(Clone, Debug)]
pub(crate) struct Origin(Url);

impl Origin {
    pub(crate) fn of(url: &Url) -> Self {
        Self(url.clone())
    }

    /// Whether `url` is on this origin.
    pub(crate) fn contains(&self, url: &Url) -> bool {
        same_origin(&self.0, url)
    }
}

/// Whether two http(s) URLs share scheme, host and port (`Url::origin` equality), compared in place: this runs
/// on every request and every answer, and `Url::origin` builds strings to compare.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    matches!(a.scheme(), "http" | "https")
        && a.scheme() == b.scheme()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

fn sensitive(value: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(value).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// The legacy host's CSRF token, shared by every clone of the client and every task using one cookie.
#[derive(Debug, Default)]
pub(crate) struct CsrfToken {
    current: Mutex<Option<Arc<str>>>,
    refreshes: std::sync::atomic::AtomicUsize,
}

impl CsrfToken {
    fn current(&self) -> Option<Arc<str>> {
        self.current.lock().expect("csrf lock").clone()
    }

    /// A request sent with `used` came back 403 offering `offered`. If another request already replaced the
    /// token `used` was, use that one: many requests meeting one expired token cause one refresh, not one each.
    fn refresh(&self, used: Option<&Arc<str>>, offered: &str) -> Arc<str> {
        let mut current = self.current.lock().expect("csrf lock");
        if let Some(newer) = current.as_ref().filter(|newer| Some(*newer) != used) {
            return newer.clone();
        }
        let token: Arc<str> = Arc::from(offered);
        *current = Some(token.clone());
        self.refreshes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        token
    }

    /// How many times the token was replaced.
    pub(crate) fn refreshes(&self) -> usize {
        self.refreshes.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// The credential a host's requests carry.
#[derive(Clone, Debug)]
pub(crate) enum Credential {
    /// None: public reads only.
    None,
    /// The legacy host's `.ROBLOSECURITY` cookie.
    Cookie(Secret),
    /// An Open Cloud credential.
    Cloud(CloudCredential),
}

impl Credential {
    /// The header that carries the credential, marked sensitive so that no `Debug` prints it.
    fn header(&self) -> Option<(HeaderName, HeaderValue)> {
        match self {
            Credential::None => None,
            Credential::Cookie(cookie) => sensitive(&format!(".ROBLOSECURITY={}", cookie.expose()))
                .map(|value| (COOKIE, value)),
            Credential::Cloud(CloudCredential::ApiKey(key)) => {
                sensitive(key.expose()).map(|value| (API_KEY_HEADER, value))
            }
            Credential::Cloud(CloudCredential::OAuthToken(token)) => {
                sensitive(&format!("Bearer {}", token.expose())).map(|value| (AUTHORIZATION, value))
            }
        }
    }
}

/// Sends the requests of one host: its credential, only to its own origin; the legacy host's CSRF handshake
/// for mutations; retries, limits and bounded reads through the guard; a tracing span per request.
#[derive(Debug)]
pub(crate) struct Transport {
    pub(crate) origin: Origin,
    pub(crate) credential: Credential,
    /// The legacy host's CSRF token; `None` for a host without the handshake (Open Cloud).
    pub(crate) csrf: Option<Arc<CsrfToken>>,
    pub(crate) guard: Guard,
}

fn span(request: &reqwest::Request, operation: &'static str) -> tracing::Span {
    tracing::debug_span!(
        "roblox_inventory.request",
        operation,
        method = %request.method(),
        path = request.url().path(),
        status = tracing::field::Empty,
        attempt = 1u32,
    )
}

/// Requests that are retried: reads. Everything else is a mutation.
fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD)
}

impl Transport {
    async fn send(
        &self,
        client: &reqwest::Client,
        mut request: reqwest::Request,
        span: &tracing::Span,
    ) -> reqwest::Result<reqwest::Response> {
        let own_host = self.origin.contains(request.url());
        if own_host && let Some((name, value)) = self.credential.header() {
            request.headers_mut().insert(name, value);
        }
        if is_idempotent(request.method()) {
            return self
                .guard
                .send_idempotent(client, request, span, own_host)
                .await;
        }
        match &self.csrf {
            Some(csrf) if own_host => self.send_with_csrf(csrf, client, request, span).await,
            _ => self.guard.send_once(client, request, span, own_host).await,
        }
    }

    /// Sends a mutation with the current CSRF token; on a 403 from the legacy host offering a fresh token, once
    /// more with that token.
    async fn send_with_csrf(
        &self,
        csrf: &CsrfToken,
        client: &reqwest::Client,
        mut request: reqwest::Request,
        span: &tracing::Span,
    ) -> reqwest::Result<reqwest::Response> {
        let used = csrf.current();
        if let Some(token) = used.as_deref().and_then(sensitive) {
            request.headers_mut().insert(CSRF_HEADER, token);
        }
        let retry = request.try_clone();
        let response = self.guard.send_once(client, request, span, true).await?;
        // Roblox answers a missing or expired token with 403 and a fresh token in this header; the header, not
        // the message text ("Token Validation Failed"), is what marks it. A token is taken only from the legacy
        // host itself: a caller's HTTP client may have followed a redirect elsewhere.
        let offered = response
            .headers()
            .get(CSRF_HEADER)
            .and_then(|value| value.to_str().ok())
            .filter(|_| response.status() == StatusCode::FORBIDDEN)
            .filter(|_| self.origin.contains(response.url()))
            .map(str::to_owned);
        match (offered, retry) {
            (Some(offered), Some(mut retry)) => {
                let token = csrf.refresh(used.as_ref(), &offered);
                if let Some(value) = sensitive(&token) {
                    retry.headers_mut().insert(CSRF_HEADER, value);
                }
                span.record("attempt", 2u32);
                self.guard.send_once(client, retry, span, true).await
            }
            _ => Ok(response),
        }
    }
}

impl Middleware for Transport {
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> MiddlewareFuture<'a> {
        let span = span(&request, operation_id);
        let recorded = span.clone();
        Box::pin(async move { self.send(client, request, &recorded).await }.instrument(span))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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

    fn guard() -> Guard {
        Guard {
            retry: crate::RetryPolicy::default(),
            in_flight: Arc::new(tokio::sync::Semaphore::new(4)),
            limiter: Arc::new(crate::resilience::Limiter::new(
                None,
                true,
                std::time::Duration::from_secs(1),
            )),
            max_response_bytes: crate::DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    fn get(url: &str) -> reqwest::Request {
        reqwest::Request::new(Method::GET, Url::parse(url).unwrap())
    }

    /// The transport of a client configured for `server` with `credential`; the legacy host's (with the CSRF
    /// handshake) for a cookie.
    fn transport_of(server: &MockServer, credential: Credential) -> Transport {
        Transport {
            origin: Origin::of(&Url::parse(&server.uri()).unwrap()),
            csrf: matches!(credential, Credential::Cookie(_)).then(Arc::default),
            credential,
            guard: guard(),
        }
    }

    #[test]
    fn an_origin_is_scheme_host_and_port_as_url_compares_them() {
        let url = |text: &str| Url::parse(text).unwrap();
        let base = url("https://apis.roblox.com");
        let cloud = Origin::of(&base);
        for (candidate, same) in [
            ("https://APIS.roblox.com:443/cloud/v2/users/1?x=1", true),
            ("https://apis.roblox.com/", true),
            ("http://apis.roblox.com", false),
            ("https://apis.roblox.com:8443", false),
            ("https://apis.roblox.com.evil.example", false),
            ("https://inventory.roblox.com", false),
        ] {
            let candidate = url(candidate);
            assert_eq!(cloud.contains(&candidate), same, "{candidate}");
            // The comparison in place agrees with the url crate's own origins.
            assert_eq!(candidate.origin() == base.origin(), same, "{candidate}");
        }
        let loopback = Origin::of(&url("http://[::1]:8080/"));
        assert!(loopback.contains(&url("http://[0:0:0:0:0:0:0:1]:8080/v1")));
        assert!(
            !Origin::of(&url("ftp://a.example")).contains(&url("ftp://a.example")),
            "not http(s)"
        );
    }

    #[tokio::test]
    async fn credentials_are_not_sent_to_another_origin() {
        let own = server().await;
        let other = server().await;
        let http = reqwest::Client::new();
        let legacy = transport_of(&own, Credential::Cookie(Secret::new("cookie")));
        let cloud = transport_of(
            &own,
            Credential::Cloud(CloudCredential::ApiKey(Secret::new("key"))),
        );
        for transport in [&legacy as &dyn Middleware, &cloud] {
            transport
                .execute(&http, get(&format!("{}/x", own.uri())), "op")
                .await
                .unwrap();
            transport
                .execute(&http, get(&format!("{}/x", other.uri())), "op")
                .await
                .unwrap();
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
        let http = reqwest::Client::new();
        let legacy = transport_of(&own, Credential::Cookie(Secret::new("cookie")));
        let csrf = legacy.csrf.clone().unwrap();
        let delete = |url: String| reqwest::Request::new(Method::DELETE, Url::parse(&url).unwrap());
        let answer = legacy
            .execute(&http, delete(format!("{}/x", own.uri())), "op")
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        assert_eq!(csrf.current().as_deref(), Some("own-token"));

        let answer = legacy
            .execute(&http, delete(format!("{}/x", other.uri())), "op")
            .await
            .unwrap();
        assert_eq!(answer.status(), 403);
        let requests = other.received_requests().await.unwrap();
        assert_eq!(requests.len(), 1, "not retried with the other host's token");
        assert!(requests[0].headers.get("x-csrf-token").is_none());
        assert!(requests[0].headers.get("cookie").is_none());
        assert_eq!(csrf.current().as_deref(), Some("own-token"));
        assert_eq!(csrf.refreshes(), 1);
    }

    #[test]
    fn a_refresh_by_another_request_is_reused() {
        let csrf = CsrfToken::default();
        let first = csrf.refresh(None, "one");
        assert_eq!(&*first, "one");
        // A request that was sent without a token before "one" was installed uses "one", not its own offer.
        assert_eq!(&*csrf.refresh(None, "two"), "one");
        // A request that used the now-stale "one" installs the new token.
        assert_eq!(&*csrf.refresh(Some(&first), "three"), "three");
        assert_eq!(csrf.refreshes(), 2);
    }
}
