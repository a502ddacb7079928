//! The behaviour middleware in front of a dummy handler that echoes the authenticated caller.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::{Extension, Router, middleware::from_fn_with_state};
use reqwest::StatusCode;
use roblox_inventory_mock::behaviour::{
    Behaviour, BehaviourConfig, Caller, Credentials, FaultConfig, RateLimitConfig, middleware,
    operation_key,
};
use serde_json::{Value, json};

const COOKIE: &str = "_|WARNING:-DO-NOT-SHARE-THIS.--cookie-of-user-1";
const KEY_A: &str = "key-a-of-owner-7";
const KEY_B: &str = "key-b-of-owner-7";
const KEY_OTHER: &str = "key-of-owner-8";
const TOKEN: &str = "oauth-token-of-user-9";

fn credentials() -> Credentials {
    Credentials {
        cookies: vec![(COOKIE.to_owned(), 1)],
        api_keys: vec![
            (KEY_A.to_owned(), 7),
            (KEY_B.to_owned(), 7),
            (KEY_OTHER.to_owned(), 8),
        ],
        oauth_tokens: vec![(TOKEN.to_owned(), 9)],
    }
}

fn config() -> BehaviourConfig {
    BehaviourConfig {
        credentials: credentials(),
        ..BehaviourConfig::default()
    }
}

async fn echo(Extension(caller): Extension<Caller>) -> String {
    format!("{caller:?}")
}

struct Server {
    base: String,
    behaviour: Arc<Behaviour>,
    http: reqwest::Client,
}

impl Server {
    async fn start(config: BehaviourConfig) -> Self {
        let behaviour = Behaviour::new(config);
        let app = Router::new()
            .fallback(echo)
            .layer(from_fn_with_state(behaviour.clone(), middleware));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Server {
            base,
            behaviour,
            http: reqwest::Client::new(),
        }
    }

    fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.get(format!("{}{path}", self.base))
    }

    fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.post(format!("{}{path}", self.base))
    }

    fn delete(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.delete(format!("{}{path}", self.base))
    }
}

fn cookie(value: &str) -> String {
    format!(".ROBLOSECURITY={value}")
}

async fn text(request: reqwest::RequestBuilder) -> (StatusCode, String) {
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn json_body(
    request: reqwest::RequestBuilder,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.json().await.unwrap())
}

fn header_u64(headers: &reqwest::header::HeaderMap, name: &str) -> u64 {
    headers
        .get(name)
        .unwrap_or_else(|| panic!("missing {name}"))
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

fn legacy_error(message: &str) -> Value {
    json!({ "errors": [{ "code": 0, "message": message }] })
}

#[tokio::test]
async fn legacy_reads_serve_anonymous_callers_and_recognise_cookies() {
    let server = Server::start(config()).await;
    let path = "/v2/users/1/inventory?assetTypes=8";

    assert_eq!(
        text(server.get(path)).await,
        (StatusCode::OK, "Anonymous".to_owned())
    );
    let with_cookie = server
        .get(path)
        .header("cookie", format!("other=1; {}", cookie(COOKIE)));
    assert_eq!(
        text(with_cookie).await,
        (StatusCode::OK, "Cookie { user_id: 1 }".to_owned())
    );
    // An unknown cookie on a read that allows anonymous callers is ignored, like an expired session.
    let stale = server.get(path).header("cookie", cookie("expired"));
    assert_eq!(text(stale).await, (StatusCode::OK, "Anonymous".to_owned()));
}

#[tokio::test]
async fn cookie_only_legacy_operations_refuse_missing_and_wrong_cookies() {
    let server = Server::start(config()).await;
    let path = "/v2/collectible-items/0f6b1c2e-0000-4000-8000-000000000001/owners";
    let denied = legacy_error("Authorization has been denied for this request.");

    let (status, _, body) = json_body(server.get(path)).await;
    assert_eq!((status, body), (StatusCode::UNAUTHORIZED, denied.clone()));
    let (status, _, body) = json_body(server.get(path).header("cookie", cookie("wrong"))).await;
    assert_eq!((status, body), (StatusCode::UNAUTHORIZED, denied.clone()));
    // Open Cloud credentials do not open legacy doors.
    let (status, _, body) = json_body(server.get(path).header("x-api-key", KEY_A)).await;
    assert_eq!((status, body), (StatusCode::UNAUTHORIZED, denied));

    let ok = server.get(path).header("cookie", cookie(COOKIE));
    assert_eq!(
        text(ok).await,
        (StatusCode::OK, "Cookie { user_id: 1 }".to_owned())
    );
}

#[tokio::test]
async fn open_cloud_requires_a_valid_api_key_or_bearer_token() {
    let server = Server::start(config()).await;
    let path = "/cloud/v2/users/1/inventory-items";
    let invalid_key = legacy_error("Invalid API Key");

    let (status, _, body) = json_body(server.get(path)).await;
    assert_eq!(
        (status, body),
        (StatusCode::UNAUTHORIZED, invalid_key.clone())
    );
    let (status, _, body) = json_body(server.get(path).header("x-api-key", "nope")).await;
    assert_eq!(
        (status, body),
        (StatusCode::UNAUTHORIZED, invalid_key.clone())
    );
    let (status, _, body) = json_body(server.get(path).header("cookie", cookie(COOKIE))).await;
    assert_eq!((status, body), (StatusCode::UNAUTHORIZED, invalid_key));
    let (status, _, body) = json_body(server.get(path).bearer_auth("nope")).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNAUTHORIZED,
            legacy_error("Invalid OAuth access token")
        )
    );

    let by_key = server.get(path).header("x-api-key", KEY_B);
    assert_eq!(
        text(by_key).await,
        (StatusCode::OK, "ApiKey { owner_id: 7 }".to_owned())
    );
    let by_token = server.get(path).bearer_auth(TOKEN);
    assert_eq!(
        text(by_token).await,
        (StatusCode::OK, "OAuth { user_id: 9 }".to_owned())
    );
}

#[tokio::test]
async fn legacy_mutations_need_the_current_csrf_token() {
    let server = Server::start(config()).await;
    let path = "/v1/collections/items/Asset/1818";
    let post = || server.post(path).header("cookie", cookie(COOKIE));

    let (status, headers, body) = json_body(post()).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::FORBIDDEN,
            legacy_error("Token Validation Failed")
        )
    );
    let token = headers
        .get("x-csrf-token")
        .expect("a fresh token")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(!token.is_empty());

    assert_eq!(
        text(post().header("x-csrf-token", &token)).await.0,
        StatusCode::OK
    );
    let delete = server
        .delete("/v2/inventory/asset/1818")
        .header("cookie", cookie(COOKIE));
    assert_eq!(
        text(delete.header("x-csrf-token", &token)).await.0,
        StatusCode::OK
    );
    // Reads never need it.
    assert_eq!(
        text(server.get("/v1/users/1/can-view-inventory")).await.0,
        StatusCode::OK
    );

    server.behaviour.expire_csrf_token();
    let (status, headers, _) = json_body(post().header("x-csrf-token", &token)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let fresh = headers
        .get("x-csrf-token")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert_ne!(fresh, token);
    assert_eq!(
        text(post().header("x-csrf-token", &fresh)).await.0,
        StatusCode::OK
    );

    assert_eq!(server.behaviour.counters().csrf_rejections, 2);
}

#[tokio::test]
async fn open_cloud_api_keys_share_the_owner_quota_of_100_per_minute() {
    // Ten-second windows: long enough that 101 requests fit into one, short for a real minute.
    let server = Server::start(BehaviourConfig {
        time_scale: 6.0,
        ..config()
    })
    .await;
    let path = "/cloud/v2/users/7/inventory-items";

    for i in 0..100u64 {
        let key = if i % 2 == 0 { KEY_A } else { KEY_B };
        let response = server
            .get(path)
            .header("x-api-key", key)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "request {i}");
        assert_eq!(header_u64(response.headers(), "x-ratelimit-limit"), 100);
        assert_eq!(
            header_u64(response.headers(), "x-ratelimit-remaining"),
            99 - i
        );
        assert!((1..=10).contains(&header_u64(response.headers(), "x-ratelimit-reset")));
    }
    let (status, headers, body) = json_body(server.get(path).header("x-api-key", KEY_B)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["code"], "RESOURCE_EXHAUSTED");
    assert!(body["message"].is_string());
    assert!((1..=10).contains(&header_u64(&headers, "retry-after")));
    assert_eq!(header_u64(&headers, "x-ratelimit-remaining"), 0);

    // Another owner has a quota of their own.
    assert_eq!(
        text(server.get(path).header("x-api-key", KEY_OTHER))
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(server.behaviour.counters().too_many_requests, 1);
}

#[tokio::test]
async fn oauth_tokens_get_20_per_minute_and_the_window_resets() {
    // Five-second windows: 21 loopback requests fit into one on any machine, so the 429 is always checked.
    let server = Server::start(BehaviourConfig {
        time_scale: 12.0,
        ..config()
    })
    .await;
    let path = "/cloud/v2/users/9/inventory-items";

    for _ in 0..20 {
        assert_eq!(
            text(server.get(path).bearer_auth(TOKEN)).await.0,
            StatusCode::OK
        );
    }
    let response = server.get(path).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header_u64(response.headers(), "x-ratelimit-limit"), 20);
    assert_eq!(header_u64(response.headers(), "x-ratelimit-remaining"), 0);
    let retry_after = header_u64(response.headers(), "retry-after");
    assert!((1..=5).contains(&retry_after), "{retry_after}");
    assert_eq!(
        header_u64(response.headers(), "x-ratelimit-reset"),
        retry_after
    );

    // A client that waits as long as it was told is served from a fresh window.
    tokio::time::sleep(Duration::from_secs(retry_after)).await;
    let response = server.get(path).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header_u64(response.headers(), "x-ratelimit-remaining"), 19);
}

#[tokio::test]
async fn unknown_api_keys_and_tokens_share_one_quota() {
    let rate_limit = RateLimitConfig {
        api_key_owner_limit: 3,
        oauth_token_limit: 3,
        ..RateLimitConfig::default()
    };
    let server = Server::start(BehaviourConfig {
        rate_limit,
        ..config()
    })
    .await;
    let path = "/cloud/v2/users/1/inventory-items";

    for i in 0..3 {
        let key = format!("invented-key-{i}");
        assert_eq!(
            text(server.get(path).header("x-api-key", key)).await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    // Neither another invented key, nor an invented token, nor no credential at all opens a fresh quota.
    let (status, _, body) = json_body(server.get(path).header("x-api-key", "invented-key-3")).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::TOO_MANY_REQUESTS, json!("RESOURCE_EXHAUSTED"))
    );
    let status = text(server.get(path).bearer_auth("invented-token")).await.0;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        text(server.get(path)).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );

    // Valid callers keep quotas of their own.
    let by_key = server.get(path).header("x-api-key", KEY_A);
    assert_eq!(text(by_key).await.0, StatusCode::OK);
    assert_eq!(
        text(server.get(path).bearer_auth(TOKEN)).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn oauth_quotas_are_per_authorizing_user() {
    let rate_limit = RateLimitConfig {
        oauth_token_limit: 2,
        ..RateLimitConfig::default()
    };
    let mut config = config();
    config.rate_limit = rate_limit;
    config.credentials.oauth_tokens.extend([
        ("second-token-of-9".to_owned(), 9),
        ("token-of-10".to_owned(), 10),
    ]);
    let server = Server::start(config).await;
    let path = "/cloud/v2/users/9/inventory-items";

    assert_eq!(
        text(server.get(path).bearer_auth(TOKEN)).await.0,
        StatusCode::OK
    );
    let second = server.get(path).bearer_auth("second-token-of-9");
    assert_eq!(text(second).await.0, StatusCode::OK);
    let third = server.get(path).bearer_auth("second-token-of-9");
    assert_eq!(text(third).await.0, StatusCode::TOO_MANY_REQUESTS);
    let other_user = server.get(path).bearer_auth("token-of-10");
    assert_eq!(text(other_user).await.0, StatusCode::OK);
}

#[tokio::test]
async fn legacy_quotas_are_per_cookie_user_and_unknown_cookies_count_as_anonymous() {
    let rate_limit = RateLimitConfig {
        legacy_limit: 2,
        ..RateLimitConfig::default()
    };
    let mut config = config();
    config.rate_limit = rate_limit;
    config
        .credentials
        .cookies
        .push(("second-cookie-of-1".to_owned(), 1));
    let server = Server::start(config).await;
    let path = "/v1/users/1/categories";

    let with = |value: &str| server.get(path).header("cookie", cookie(value));
    assert_eq!(text(with(COOKIE)).await.0, StatusCode::OK);
    assert_eq!(text(with("second-cookie-of-1")).await.0, StatusCode::OK);
    assert_eq!(
        text(with("second-cookie-of-1")).await.0,
        StatusCode::TOO_MANY_REQUESTS,
        "both cookies of user 1 share one quota"
    );

    assert_eq!(text(with("invented-1")).await.0, StatusCode::OK);
    assert_eq!(text(with("invented-2")).await.0, StatusCode::OK);
    assert_eq!(
        text(with("invented-3")).await.0,
        StatusCode::TOO_MANY_REQUESTS,
        "unknown cookies share the anonymous quota"
    );
    assert_eq!(
        text(server.get(path)).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn legacy_limit_is_configurable_and_every_response_carries_the_headers() {
    let rate_limit = RateLimitConfig {
        legacy_limit: 3,
        ..RateLimitConfig::default()
    };
    let server = Server::start(BehaviourConfig {
        rate_limit,
        ..config()
    })
    .await;

    // A refusal for another reason still reports the quota.
    let response = server
        .get("/v2/collectible-items/x/owners")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(header_u64(response.headers(), "x-ratelimit-remaining"), 2);
    for _ in 0..2 {
        assert_eq!(
            text(server.get("/v1/users/1/categories")).await.0,
            StatusCode::OK
        );
    }
    let (status, headers, body) = json_body(server.get("/v1/users/1/categories")).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::TOO_MANY_REQUESTS,
            legacy_error("TooManyRequests")
        )
    );
    assert_eq!(header_u64(&headers, "x-ratelimit-limit"), 3);
    assert!(header_u64(&headers, "retry-after") >= 1);

    // A logged-in user has a quota of their own.
    let logged_in = server
        .get("/v1/users/1/categories")
        .header("cookie", cookie(COOKIE));
    assert_eq!(text(logged_in).await.0, StatusCode::OK);
}

fn always(fault: impl FnOnce(&mut FaultConfig)) -> BehaviourConfig {
    let mut faults = FaultConfig::default();
    fault(&mut faults);
    BehaviourConfig { faults, ..config() }
}

#[tokio::test]
async fn injected_errors_use_each_hosts_error_shape() {
    let legacy = "/v1/users/1/categories";
    let cloud = "/cloud/v2/users/1/inventory-items";

    let server = Server::start(always(|f| f.internal_error = 1.0)).await;
    let (status, _, body) = json_body(server.get(legacy)).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            legacy_error("InternalServerError")
        )
    );
    let (status, _, body) = json_body(server.get(cloud).header("x-api-key", KEY_A)).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::INTERNAL_SERVER_ERROR, json!("INTERNAL"))
    );

    let server = Server::start(always(|f| f.unavailable = 1.0)).await;
    let (status, _, body) = json_body(server.get(legacy)).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            legacy_error("ServiceUnavailable")
        )
    );
    let (status, _, body) = json_body(server.get(cloud).header("x-api-key", KEY_A)).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::SERVICE_UNAVAILABLE, json!("UNAVAILABLE"))
    );

    let server = Server::start(always(|f| f.too_many_requests = 1.0)).await;
    let (status, headers, body) = json_body(server.get(legacy)).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::TOO_MANY_REQUESTS,
            legacy_error("TooManyRequests")
        )
    );
    assert_eq!(header_u64(&headers, "retry-after"), 1);
    // The quota itself was not used up.
    assert_eq!(header_u64(&headers, "x-ratelimit-remaining"), 999);
    let counters = server.behaviour.counters();
    assert_eq!(
        (
            counters.faults.too_many_requests,
            counters.too_many_requests
        ),
        (1, 1)
    );
}

#[tokio::test]
async fn a_dropped_connection_is_a_transfer_error_for_the_client() {
    let server = Server::start(always(|f| f.dropped_connection = 1.0)).await;
    let outcome = match server.get("/v2/users/1/inventory").send().await {
        Ok(response) => response.bytes().await.map(|_| ()),
        Err(error) => Err(error),
    };
    let error = outcome.expect_err("the client read a whole response");
    eprintln!("dropped connection seen as: {error:?}");
    assert_eq!(server.behaviour.counters().faults.dropped_connection, 1);
}

#[tokio::test]
async fn latency_delays_the_answer() {
    let server = Server::start(always(|f| {
        f.latency_probability = 1.0;
        f.latency = Duration::from_millis(300);
    }))
    .await;
    let started = Instant::now();
    assert_eq!(
        text(server.get("/v1/users/1/categories")).await.0,
        StatusCode::OK
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(server.behaviour.counters().faults.latency, 1);
}

async fn statuses(seed: u64) -> (Vec<u16>, Arc<Behaviour>) {
    let server = Server::start(always(|f| {
        f.seed = seed;
        f.internal_error = 0.15;
        f.unavailable = 0.15;
        f.too_many_requests = 0.15;
    }))
    .await;
    let mut seen = Vec::new();
    for _ in 0..60 {
        seen.push(
            server
                .get("/v1/users/1/categories")
                .send()
                .await
                .unwrap()
                .status()
                .as_u16(),
        );
    }
    (seen, server.behaviour)
}

#[tokio::test]
async fn faults_are_a_deterministic_function_of_the_seed() {
    let (first, behaviour) = statuses(42).await;
    let (again, _) = statuses(42).await;
    let (other, _) = statuses(43).await;
    assert_eq!(first, again);
    assert_ne!(first, other);

    let count = |code| first.iter().filter(|status| **status == code).count() as u64;
    let faults = behaviour.counters().faults;
    assert_eq!(faults.internal_error, count(500));
    assert_eq!(faults.unavailable, count(503));
    assert_eq!(faults.too_many_requests, count(429));
    assert!(
        count(200) > 0 && count(500) > 0 && count(503) > 0 && count(429) > 0,
        "{first:?}"
    );
}

#[tokio::test]
async fn requests_are_counted_per_operation() {
    let server = Server::start(config()).await;
    server.get("/v2/users/1/inventory").send().await.unwrap();
    server
        .get("/v2/users/2/inventory?assetTypes=8")
        .send()
        .await
        .unwrap();
    server
        .get("/v1/users/1/items/Asset/5/is-owned")
        .send()
        .await
        .unwrap();
    server
        .get("/cloud/v2/users/3/inventory-items")
        .send()
        .await
        .unwrap();
    server
        .post("/v1/collections/items/GamePass/6")
        .send()
        .await
        .unwrap();

    let counters = server.behaviour.counters();
    assert_eq!(counters.requests_for("GET /v2/users/{}/inventory"), 2);
    assert_eq!(
        counters.requests_for("GET /v1/users/{}/items/{}/{}/is-owned"),
        1
    );
    // Refused requests count too.
    assert_eq!(
        counters.requests_for("GET /cloud/v2/users/{}/inventory-items"),
        1
    );
    assert_eq!(counters.requests_for("POST /v1/collections/items/{}/{}"), 1);
    assert_eq!(counters.total_requests(), 5);
}

#[tokio::test]
async fn requests_outside_the_specs_share_one_counter_key() {
    let server = Server::start(config()).await;
    for i in 0..2_000 {
        let path = if i % 2 == 0 {
            format!("/junk-{i}/x")
        } else {
            format!("/v2/users/1/inventory/8/extra-{i}")
        };
        server.get(&path).send().await.unwrap();
    }
    for i in 0..200 {
        let method = reqwest::Method::from_bytes(format!("JUNK{i}").as_bytes()).unwrap();
        let path = if i % 2 == 0 {
            "/v2/users/1/inventory"
        } else {
            "/nowhere"
        };
        server
            .http
            .request(method, format!("{}{path}", server.base))
            .send()
            .await
            .unwrap();
    }
    server.get("/v2/users/1/inventory").send().await.unwrap();

    let counters = server.behaviour.counters();
    assert_eq!(counters.requests_for("GET (unknown path)"), 2_000);
    assert_eq!(
        counters.requests_for("(other method) /v2/users/{}/inventory"),
        100
    );
    assert_eq!(counters.requests_for("(other method) (unknown path)"), 100);
    assert_eq!(counters.requests_for("GET /v2/users/{}/inventory"), 1);
    assert_eq!(counters.requests.len(), 4, "{:?}", counters.requests.keys());
}

#[test]
fn every_spec_operation_has_its_own_counter_key() {
    let root = xtask::workspace_root();
    for spec in xtask::specs::Spec::all() {
        let document = spec.load(&root).unwrap();
        for (path, operations) in document["paths"].as_object().unwrap() {
            let template: String = path
                .split('/')
                .map(|segment| {
                    if segment.starts_with('{') {
                        "{}"
                    } else {
                        segment
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            let concrete = template.replace("{}", "Sample1");
            let methods = operations.as_object().unwrap().keys();
            for method in methods
                .filter(|key| ["get", "post", "put", "patch", "delete"].contains(&key.as_str()))
            {
                let method: axum::http::Method = method.to_uppercase().parse().unwrap();
                assert_eq!(
                    operation_key(&method, &concrete),
                    format!("{method} {template}"),
                    "{path}"
                );
            }
        }
    }
}

#[test]
fn debug_output_never_shows_secrets() {
    let printed = format!("{:?}", config());
    for secret in [COOKIE, KEY_A, KEY_B, KEY_OTHER, TOKEN] {
        assert!(!printed.contains(secret), "{printed}");
    }
    assert!(printed.contains('7'), "owners are still shown: {printed}");
}
