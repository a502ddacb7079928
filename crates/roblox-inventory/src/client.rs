//! The one client: three generated clients for building requests, and one transport per host for sending them,
//! over one connection pool.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{HeaderName, HeaderValue};
use roblox_inventory_core::{Execute, PagedRequest, Request, Scan};

use crate::error::{ConfigError, Error};
use crate::send::{
    BudgetKey, BudgetStore, CloudCredential, CsrfToken, InProcessBudget, Limiter, RateLimit,
    RetryPolicy, Secret, Transport, cookie_header,
};
use roblox_inventory_cloud_v2 as cloud_v2;
use roblox_inventory_legacy_v1 as legacy_v1;
use roblox_inventory_legacy_v2 as legacy_v2;

const DEFAULT_USER_AGENT: &str = concat!("roblox-inventory-rs/", env!("CARGO_PKG_VERSION"));

/// A client for all three inventory APIs. Cheap to clone: clones share the connection pool, the CSRF token,
/// the rate budgets and the credentials.
///
/// Requests are data: the generated clients ([`legacy_v1`](Self::legacy_v1), [`legacy_v2`](Self::legacy_v2),
/// [`cloud_v2`](Self::cloud_v2)) build them, and the client sends them through the [`Transport`] of their host,
/// which adds the credential, the rate budget, retries and bounded reads. The facade's own methods do both.
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
}

struct Shared {
    legacy_v1: legacy_v1::Client,
    legacy_v2: legacy_v2::Client,
    cloud_v2: cloud_v2::Client,
    /// One transport for the two legacy APIs: one cookie, one CSRF token, one budget.
    legacy: Transport,
    cloud: Transport,
    /// How `Debug` shows each host's credential.
    cookie: Option<&'static str>,
    cloud_credential: Option<&'static str>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("legacy_url", &self.shared.legacy.origin.as_str())
            .field("cloud_url", &self.shared.cloud.origin.as_str())
            .field("cookie", &self.shared.cookie)
            .field("cloud_credential", &self.shared.cloud_credential)
            .finish()
    }
}

impl Client {
    /// Starts a client with Roblox's production hosts and no credentials.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client for Roblox's production hosts without credentials (public inventories only).
    pub fn anonymous() -> Result<Self, Error> {
        Self::builder().build()
    }

    /// The generated legacy v1 client: its builders make requests of any v1 operation, with every parameter,
    /// for [`send`](Self::send) and [`scan`](Self::scan). (A builder's own `.send()`, `.stream()` and `.scan()`
    /// go out as the generated crate alone sends them, over this client's connection pool: without the
    /// credential, the rate budget, the cap on requests in flight or the retries, with the generated crates' own
    /// bound on bodies.)
    pub fn legacy_v1(&self) -> &legacy_v1::Client {
        &self.shared.legacy_v1
    }

    /// The generated legacy v2 client; see [`legacy_v1`](Self::legacy_v1).
    pub fn legacy_v2(&self) -> &legacy_v2::Client {
        &self.shared.legacy_v2
    }

    /// The generated Open Cloud client; see [`legacy_v1`](Self::legacy_v1).
    pub fn cloud_v2(&self) -> &cloud_v2::Client {
        &self.shared.cloud_v2
    }

    /// Sends a request of any generated client through the transport of its host, and decodes the answer: every
    /// operation, with every parameter the spec has, the way the facade's own methods send theirs.
    ///
    /// ```no_run
    /// # async fn run(client: roblox_inventory::Client) -> Result<(), roblox_inventory::Error> {
    /// let categories = client.send(client.legacy_v1().get_user_categories().user_id(156)).await?;
    /// # let _ = categories;
    /// # Ok(()) }
    /// ```
    pub async fn send<R: Request>(&self, request: R) -> Result<R::Output, Error> {
        self.transport_of::<R>().execute(request).await
    }

    /// A [`Scan`] of any paged request of the generated crates, sent through the transport of its host: an
    /// operation the facade has no method for, or one Roblox adds tomorrow, pages like every other.
    pub fn scan<R: PagedRequest>(&self, request: R) -> Scan<R, &Transport> {
        Scan::new(request, self.transport_of::<R>())
    }

    /// The transport of the host `R`'s operation belongs to, by the spec's server of the operation: Open Cloud's,
    /// or for every other the legacy host's (whose credential goes only to the legacy URL's origin).
    pub(crate) fn transport_of<R: Request>(&self) -> &Transport {
        if R::OPERATION.base_url == cloud_v2::DEFAULT_BASE_URL {
            &self.shared.cloud
        } else {
            &self.shared.legacy
        }
    }

    /// How many times the legacy CSRF token has been replaced (for diagnostics and tests).
    pub fn csrf_refreshes(&self) -> usize {
        self.shared
            .legacy
            .csrf
            .as_ref()
            .map_or(0, CsrfToken::refreshes)
    }
}

/// Configures a [`Client`].
#[derive(Clone)]
pub struct ClientBuilder {
    legacy_url: String,
    cloud_url: String,
    cookie: Option<Secret>,
    cloud_credential: Option<CloudCredential>,
    user_agent: String,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    max_response_bytes: u64,
    allow_insecure_http: bool,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    cloud_rate_limit: Option<Option<RateLimit>>,
    legacy_rate_limit: Option<RateLimit>,
    adaptive_rate_limit: bool,
    max_in_flight: usize,
    budget_store: Option<Arc<dyn BudgetStore>>,
    budget_name: Option<String>,
}

/// The default cap on requests in flight, shared by every request a client (and its clones) sends.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 8;

/// The default limit on a response body: 32 MiB, some 300 times the largest page Roblox sends (100 items).
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            legacy_url: legacy_v2::DEFAULT_BASE_URL.to_owned(),
            cloud_url: cloud_v2::DEFAULT_BASE_URL.to_owned(),
            cookie: None,
            cloud_credential: None,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            timeout: Some(Duration::from_secs(30)),
            connect_timeout: Some(Duration::from_secs(10)),
            read_timeout: Some(Duration::from_secs(10)),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            allow_insecure_http: false,
            http: None,
            retry: RetryPolicy::default(),
            cloud_rate_limit: None,
            legacy_rate_limit: None,
            adaptive_rate_limit: true,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            budget_store: None,
            budget_name: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("legacy_url", &self.legacy_url)
            .field("cloud_url", &self.cloud_url)
            .field("cookie", &self.cookie)
            .field("cloud_credential", &self.cloud_credential)
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("read_timeout", &self.read_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("retry", &self.retry)
            .field("cloud_rate_limit", &self.cloud_rate_limit)
            .field("legacy_rate_limit", &self.legacy_rate_limit)
            .field("max_in_flight", &self.max_in_flight)
            .field("budget_store", &self.budget_store)
            .field("budget_name", &self.budget_name)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// An Open Cloud API key (sent as `x-api-key`, to the Open Cloud host only).
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.cloud_credential = Some(CloudCredential::ApiKey(key.into()));
        self
    }

    /// An OAuth 2.0 access token with the `user.inventory-item:read` scope (sent as a bearer token, to the
    /// Open Cloud host only).
    pub fn oauth_token(mut self, token: impl Into<Secret>) -> Self {
        self.cloud_credential = Some(CloudCredential::OAuthToken(token.into()));
        self
    }

    /// The `.ROBLOSECURITY` cookie (sent to the legacy host only).
    pub fn cookie(mut self, cookie: impl Into<Secret>) -> Self {
        self.cookie = Some(cookie.into());
        self
    }

    /// The legacy host (`https://inventory.roblox.com`), for example an emulator's URL.
    pub fn legacy_url(mut self, url: impl Into<String>) -> Self {
        self.legacy_url = url.into();
        self
    }

    /// The Open Cloud host (`https://apis.roblox.com`).
    pub fn cloud_url(mut self, url: impl Into<String>) -> Self {
        self.cloud_url = url.into();
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The whole-request timeout (default 30 s); `None` for none.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// The connection timeout (default 10 s); `None` for none.
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The longest wait for the response's headers, and then between two pieces of its body (default 10 s);
    /// `None` for none. A server that answers a byte at a time stays within the whole-request
    /// [`timeout`](Self::timeout) but not within this one.
    pub fn read_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// The largest response body read (default [`DEFAULT_MAX_RESPONSE_BYTES`], 32 MiB). A larger
    /// `Content-Length` is refused before the body is read, and a body without one is counted as it arrives;
    /// either way the request fails with [`Error::ResponseTooLarge`].
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Allows credentials over plain `http://` to a host that is not this machine (default off).
    ///
    /// Without it, [`build`](Self::build) refuses an `http://` legacy URL with a cookie, or an `http://` Open
    /// Cloud URL with an API key or OAuth token, unless the host is `localhost` or a loopback address
    /// (127.0.0.0/8, `::1`); nothing is resolved to decide. Turn it on only for a network you trust end to end.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Uses your `reqwest::Client` (its pool, proxy, TLS); the user agent and the timeouts set here are then
    /// ignored in favour of its own.
    ///
    /// Build it as the facade builds its own, because the facade cannot change a client it did not build:
    /// `.redirect(reqwest::redirect::Policy::none())` (a client that follows redirects sends the API key, a
    /// custom header, to whatever host a redirect names) and `.referer(false)`, with a read timeout. The
    /// facade still refuses bodies over [`max_response_bytes`](Self::max_response_bytes), takes CSRF tokens only
    /// from the legacy host, and refuses an answer that a redirect brought from another origin
    /// ([`Error::FollowedRedirect`]), but by then the request, credential included, has reached that origin.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// When idempotent requests are retried (default [`RetryPolicy::default`]: 5 attempts within 60 s);
    /// [`RetryPolicy::none`] turns retries off. Mutations are never retried.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The client-side limit of the Open Cloud host (per API key or OAuth token), shared by every clone of the
    /// client. By default Roblox's documented limits: [`RateLimit::API_KEY`] (100 a minute) with an API key,
    /// [`RateLimit::OAUTH_TOKEN`] (20 a minute) with an OAuth token, none without a credential. `None` sends
    /// without a fixed limit (the server's `x-ratelimit-*` headers and 429s still slow the client down unless
    /// [`adaptive_rate_limit`](Self::adaptive_rate_limit) is off).
    pub fn cloud_rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.cloud_rate_limit = Some(limit);
        self
    }

    /// The client-side limit of the legacy host (per cookie, or anonymous); Roblox documents none, so the
    /// default is none, and only the server's headers and 429s slow the client down.
    pub fn legacy_rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.legacy_rate_limit = limit;
        self
    }

    /// Whether the limiters learn from `x-ratelimit-limit` / `-remaining` / `-reset` (default on). A 429
    /// pauses the credential for its `Retry-After` (at most the retry policy's `max_delay`) either way.
    pub fn adaptive_rate_limit(mut self, adaptive: bool) -> Self {
        self.adaptive_rate_limit = adaptive;
        self
    }

    /// The most requests in flight at once, shared by every request the client and its clones send
    /// (default [`DEFAULT_MAX_IN_FLIGHT`]); 0 counts as 1.
    pub fn max_in_flight(mut self, requests: usize) -> Self {
        self.max_in_flight = requests;
        self
    }

    /// Where the rate budgets are kept (default: an [`InProcessBudget`] of this client's own, shared by its
    /// clones). Clients built with the same store spend one budget per credential (per
    /// [`budget_name`](Self::budget_name) when set): give them one `Arc<InProcessBudget>` to share within this
    /// process, or a store that several processes reach (a Redis store lives in the separate crate
    /// `roblox-inventory-redis`) to share across them. A store that fails fails the request, unsent, with
    /// [`Error::Budget`].
    pub fn budget_store(mut self, store: Arc<dyn BudgetStore>) -> Self {
        self.budget_store = Some(store);
        self
    }

    /// Names this client's budgets, instead of a hash of each credential: the key becomes `cloud:name:{name}`
    /// and `legacy:name:{name}` (see [`BudgetKey`]). Use the id of whoever owns the credentials (Roblox counts
    /// Open Cloud limits per API key owner, so every key of one owner should share a name). Never a credential:
    /// stores keep and show the name.
    pub fn budget_name(mut self, name: impl Into<String>) -> Self {
        self.budget_name = Some(name.into());
        self
    }

    /// Builds the client. Fails on a base URL that does not parse, a credential that cannot be a header, or a
    /// credential that would cross the network in clear (see
    /// [`allow_insecure_http`](Self::allow_insecure_http)).
    pub fn build(self) -> Result<Client, Error> {
        let legacy_url = base_url("legacy_url", &self.legacy_url)?;
        let cloud_url = base_url("cloud_url", &self.cloud_url)?;
        let cookie = self.cookie_header(&legacy_url)?;
        let cloud_credential = self.cloud_credential_header(&cloud_url)?;
        let http = self.build_http_client()?;
        let in_flight = Arc::new(tokio::sync::Semaphore::new(self.max_in_flight.max(1)));
        let store = self
            .budget_store
            .clone()
            .unwrap_or_else(|| Arc::new(InProcessBudget::new()));
        let transport = |origin: &Url, credential, key, limit, csrf| Transport {
            http: http.clone(),
            origin: origin.clone(),
            credential,
            csrf,
            limiter: Limiter::new(
                store.clone(),
                key,
                limit,
                self.adaptive_rate_limit,
                self.retry.max_delay,
            ),
            retry: self.retry.clone(),
            in_flight: in_flight.clone(),
            max_response_bytes: self.max_response_bytes,
        };
        let legacy = transport(
            &legacy_url,
            cookie,
            self.legacy_budget_key(),
            self.legacy_rate_limit,
            Some(CsrfToken::default()),
        );
        let cloud = transport(
            &cloud_url,
            cloud_credential,
            self.cloud_budget_key(),
            self.cloud_limit(),
            None,
        );
        let legacy_base = trimmed(&legacy_url);
        Ok(Client {
            shared: Arc::new(Shared {
                legacy_v1: legacy_v1::Client::new_with_client(&legacy_base, http.clone()),
                legacy_v2: legacy_v2::Client::new_with_client(&legacy_base, http.clone()),
                cloud_v2: cloud_v2::Client::new_with_client(&trimmed(&cloud_url), http),
                legacy,
                cloud,
                cookie: self.cookie.is_some().then_some("***"),
                cloud_credential: self
                    .cloud_credential
                    .as_ref()
                    .map(|credential| credential.kind().redacted),
            }),
        })
    }

    /// The cookie's header, refused over plain http to another machine unless allowed.
    fn cookie_header(
        &self,
        legacy_url: &Url,
    ) -> Result<Option<(HeaderName, HeaderValue)>, ConfigError> {
        let Some(cookie) = &self.cookie else {
            return Ok(None);
        };
        if !self.allow_insecure_http {
            refuse_plain_http("legacy_url", legacy_url, "the cookie")?;
        }
        header_of("cookie", cookie, cookie_header(cookie)).map(Some)
    }

    /// The Open Cloud credential's header, refused over plain http to another machine unless allowed.
    fn cloud_credential_header(
        &self,
        cloud_url: &Url,
    ) -> Result<Option<(HeaderName, HeaderValue)>, ConfigError> {
        let Some(credential) = &self.cloud_credential else {
            return Ok(None);
        };
        if !self.allow_insecure_http {
            refuse_plain_http("cloud_url", cloud_url, credential.kind().described)?;
        }
        header_of(
            "api_key / oauth_token",
            credential.secret(),
            credential.header(),
        )
        .map(Some)
    }

    /// The caller's `reqwest::Client`, or one of the facade's own: no redirects followed, no `Referer`, the
    /// timeouts and user agent configured here.
    fn build_http_client(&self) -> Result<reqwest::Client, ConfigError> {
        if let Some(http) = &self.http {
            return Ok(http.clone());
        }
        // Roblox's inventory APIs do not redirect, and reqwest would carry `x-api-key` (a custom header) along a
        // redirect to any host: a redirect is an answer, turned into an error.
        let mut builder = reqwest::Client::builder()
            .user_agent(self.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .referer(false);
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(timeout) = self.read_timeout {
            builder = builder.read_timeout(timeout);
        }
        if let Some(timeout) = self.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        builder.build().map_err(ConfigError::HttpClient)
    }

    /// The Open Cloud host's limit: as configured, else Roblox's documented one for the credential.
    fn cloud_limit(&self) -> Option<RateLimit> {
        self.cloud_rate_limit.unwrap_or_else(|| {
            self.cloud_credential
                .as_ref()
                .map(|credential| credential.kind().documented_limit)
        })
    }

    fn legacy_budget_key(&self) -> BudgetKey {
        BudgetKey::derive(
            "legacy",
            self.budget_name.as_deref(),
            self.cookie.as_ref().map(|cookie| ("cookie", cookie)),
        )
    }

    fn cloud_budget_key(&self) -> BudgetKey {
        BudgetKey::derive(
            "cloud",
            self.budget_name.as_deref(),
            self.cloud_credential
                .as_ref()
                .map(|credential| (credential.kind().key_name, credential.secret())),
        )
    }
}

fn base_url(field: &'static str, value: &str) -> Result<Url, ConfigError> {
    let invalid = |reason: String| ConfigError::InvalidUrl {
        field,
        value: value.to_owned(),
        reason,
    };
    let url = Url::parse(value).map_err(|error| invalid(format!("is not a URL: {error}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(invalid(
            "must be an http:// or https:// URL with a host".to_owned(),
        ));
    }
    Ok(url)
}

/// Credentials cross the network in clear over `http://` unless the host is this machine: `localhost` or a
/// loopback address, read from the URL alone.
fn refuse_plain_http(
    field: &'static str,
    url: &Url,
    credential: &'static str,
) -> Result<(), ConfigError> {
    let local = match url.host_str() {
        Some("localhost") => true,
        Some(host) => host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback()),
        None => false,
    };
    if url.scheme() == "http" && !local {
        return Err(ConfigError::InsecureUrl {
            field,
            origin: url.origin().ascii_serialization(),
            credential,
        });
    }
    Ok(())
}

fn trimmed(url: &Url) -> String {
    url.as_str().trim_end_matches('/').to_owned()
}

/// A credential's header, or the error for one that cannot be a header: it names the field, never the value.
fn header_of(
    field: &'static str,
    secret: &Secret,
    header: Option<(HeaderName, HeaderValue)>,
) -> Result<(HeaderName, HeaderValue), ConfigError> {
    header
        .filter(|_| !secret.expose().is_empty())
        .ok_or(ConfigError::InvalidCredential { field })
}
