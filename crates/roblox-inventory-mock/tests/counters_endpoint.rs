//! `GET /_mock/counters`: the emulator's counters as JSON, for tests that run the emulator in another process.

use reqwest::StatusCode;
use roblox_inventory_mock::behaviour::{
    BehaviourConfig, CountersReport, CredentialCounts, Credentials, RateLimitConfig,
};
use roblox_inventory_mock::server::{COUNTERS_PATH, COUNTERS_RESET_PATH};
use roblox_inventory_mock::{MockServer, WorldConfig};
use serde_json::Value;

const OWNER: u64 = 156;
const KEY_A: &str = "secret-key-a-of-owner-156";
const KEY_B: &str = "secret-key-b-of-owner-156";
const COOKIE: &str = "_|WARNING:-DO-NOT-SHARE-THIS.--secret-cookie-of-156";
const UNKNOWN_KEY: &str = "secret-unknown-key";
const CLOUD: &str = "/cloud/v2/users/156/inventory-items?maxPageSize=2";
const LEGACY: &str = "/v2/users/156/inventory?assetTypes=8&limit=10";

async fn start() -> MockServer {
    let behaviour = BehaviourConfig {
        credentials: Credentials {
            cookies: vec![(COOKIE.to_owned(), OWNER)],
            api_keys: vec![(KEY_A.to_owned(), OWNER), (KEY_B.to_owned(), OWNER)],
            oauth_tokens: Vec::new(),
        },
        // Three Open Cloud requests a minute per owner: the fourth is refused. A minute is far longer than the test.
        rate_limit: RateLimitConfig {
            api_key_owner_limit: 3,
            ..RateLimitConfig::default()
        },
        ..BehaviourConfig::default()
    };
    MockServer::start(WorldConfig::seeded(1), behaviour)
        .await
        .expect("emulator starts")
}

async fn status(request: reqwest::RequestBuilder) -> StatusCode {
    request.send().await.unwrap().status()
}

/// The counters endpoint's body, as text (to look for secrets) and as the typed report.
async fn counters(http: &reqwest::Client, server: &MockServer) -> (String, CountersReport) {
    let response = http
        .get(format!("{}{COUNTERS_PATH}", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers().get("x-ratelimit-limit").is_none(),
        "the counters route is not rate limited"
    );
    let body = response.text().await.unwrap();
    let report = serde_json::from_str(&body).unwrap();
    (body, report)
}

#[tokio::test]
async fn counters_are_served_as_json_per_route_and_per_credential_without_secrets() {
    let server = start().await;
    let http = reqwest::Client::new();
    let url = |path: &str| format!("{}{path}", server.url());

    // Two keys of one owner share the owner's quota of three: the fourth request is a 429.
    for key in [KEY_A, KEY_B, KEY_A] {
        let request = http.get(url(CLOUD)).header("x-api-key", key);
        assert_eq!(status(request).await, StatusCode::OK);
    }
    let refused = http.get(url(CLOUD)).header("x-api-key", KEY_B);
    assert_eq!(status(refused).await, StatusCode::TOO_MANY_REQUESTS);
    for _ in 0..2 {
        let request = http
            .get(url(LEGACY))
            .header("cookie", format!(".ROBLOSECURITY={COOKIE}"));
        assert_eq!(status(request).await, StatusCode::OK);
    }
    assert_eq!(status(http.get(url(LEGACY))).await, StatusCode::OK);
    let unknown = http.get(url(CLOUD)).header("x-api-key", UNKNOWN_KEY);
    assert_eq!(status(unknown).await, StatusCode::UNAUTHORIZED);

    let (body, report) = counters(&http, &server).await;
    for secret in [KEY_A, KEY_B, COOKIE, UNKNOWN_KEY, "secret"] {
        assert!(!body.contains(secret), "{secret} leaked: {body}");
    }
    let json: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["requests"], 8, "{body}");
    assert_eq!(json["rate_limited"], 1, "{body}");
    assert_eq!(report.requests, 8);
    assert_eq!(report.rate_limited, 1);
    assert_eq!(
        report
            .by_route
            .get("GET /cloud/v2/users/{}/inventory-items"),
        Some(&5)
    );
    assert_eq!(report.by_route.get("GET /v2/users/{}/inventory"), Some(&3));
    assert_eq!(report.by_route.len(), 2, "{body}");
    let counts = |requests, rate_limited| CredentialCounts {
        requests,
        rate_limited,
    };
    let expected = [
        ("api-key:owner:156", counts(4, 1)),
        ("cookie:user:156", counts(2, 0)),
        ("anonymous", counts(1, 0)),
        ("cloud:unauthenticated", counts(1, 0)),
    ];
    assert_eq!(
        report.by_credential,
        expected
            .iter()
            .map(|(label, counts)| (label.to_string(), *counts))
            .collect(),
        "{body}"
    );
    assert_eq!(
        json["by_credential"]["api-key:owner:156"]["rate_limited"],
        1
    );

    // The same numbers as the in-process snapshot.
    assert_eq!(server.behaviour().counters().report(), report);
}

#[tokio::test]
async fn the_counters_route_needs_no_credential_is_never_limited_and_is_not_counted() {
    let server = start().await;
    let http = reqwest::Client::new();
    let request = http
        .get(format!("{}{CLOUD}", server.url()))
        .header("x-api-key", KEY_A);
    assert_eq!(status(request).await, StatusCode::OK);

    // Far more reads than any quota, with no credential, a wrong one or a valid one: all answered, none counted.
    for i in 0..20 {
        let request = http.get(format!("{}{COUNTERS_PATH}", server.url()));
        let request = match i % 3 {
            0 => request,
            1 => request.header("x-api-key", UNKNOWN_KEY),
            _ => request.header("cookie", format!(".ROBLOSECURITY={COOKIE}")),
        };
        assert_eq!(status(request).await, StatusCode::OK);
    }
    let (_, report) = counters(&http, &server).await;
    assert_eq!(report.requests, 1);
    assert_eq!(report.rate_limited, 0);
    assert_eq!(report.by_route.len(), 1, "{report:?}");
    assert_eq!(
        server
            .behaviour()
            .counters()
            .requests_for("GET (unknown path)"),
        0
    );

    // Other methods on the route are the router's 405, not API requests either.
    let post = http.post(format!("{}{COUNTERS_PATH}", server.url()));
    assert_eq!(status(post).await, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(server.behaviour().counters().total_requests(), 1);
}

#[tokio::test]
async fn reset_sets_the_counters_back_to_zero() {
    let server = start().await;
    let http = reqwest::Client::new();
    assert_eq!(
        status(http.get(format!("{}{LEGACY}", server.url()))).await,
        StatusCode::OK
    );
    assert_eq!(counters(&http, &server).await.1.requests, 1);

    let reset = http.post(format!("{}{COUNTERS_RESET_PATH}", server.url()));
    assert_eq!(status(reset).await, StatusCode::NO_CONTENT);
    assert_eq!(counters(&http, &server).await.1, CountersReport::default());
}
