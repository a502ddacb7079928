//! The facade against servers that misbehave on purpose, on loopback: a redirect to another host, a body that
//! never ends, a `Content-Length` far too large, headers a byte at a time, and plain http to a remote host. No
//! credential may leave its host, no read may grow without bound, and every case ends in a typed error.

mod common;

use std::time::{Duration, Instant};

use common::client_builder;
use futures_util::TryStreamExt;
use roblox_inventory::AssetId;
use roblox_inventory::{
    Client, ClientBuilder, ConfigError, DEFAULT_MAX_RESPONSE_BYTES, Error, InventoryFilter,
    PaginationError, RetryPolicy,
};
use roblox_inventory_mock::hostile::{HostileServer, Hostility};

const KEY: &str = "api-key-secret";
const COOKIE: &str = "cookie-secret";

/// A client of `server` for both hosts, with every credential, that gives up at the first failure.
fn client_of(server: &HostileServer) -> ClientBuilder {
    client_builder(&server.url())
        .api_key(KEY)
        .cookie(COOKIE)
        .retry(RetryPolicy::none())
}

/// The error of the first page of an Open Cloud scan.
async fn cloud_error(client: &Client) -> Error {
    match client
        .inventory_items(1, &InventoryFilter::everything())
        .items()
        .try_collect::<Vec<_>>()
        .await
    {
        Err(PaginationError::Fetch { source, .. }) => source,
        other => panic!("expected a failed fetch, got {other:?}"),
    }
}

/// The error of the first page of a legacy scan.
async fn legacy_error(client: &Client) -> Error {
    match client
        .asset_owners(AssetId(1))
        .items()
        .try_collect::<Vec<_>>()
        .await
    {
        Err(PaginationError::Fetch { source, .. }) => source,
        other => panic!("expected a failed fetch, got {other:?}"),
    }
}

#[tokio::test]
async fn a_redirect_is_an_error_naming_it_and_nothing_reaches_the_other_host() {
    let elsewhere = HostileServer::start(Hostility::fixed(
        403,
        &[("x-csrf-token", "token-of-elsewhere")],
        r#"{"errors":[{"code":0,"message":"Token Validation Failed"}]}"#,
    ))
    .unwrap();
    let location = format!("{}/collect", elsewhere.url());
    for status in [301, 302, 303, 307, 308] {
        let redirecting = HostileServer::start(Hostility::Redirect {
            status,
            location: location.clone(),
        })
        .unwrap();
        let client = client_of(&redirecting).build().unwrap();

        for error in [
            cloud_error(&client).await,
            legacy_error(&client).await,
            client.delete_inventory_asset(AssetId(5)).await.unwrap_err(),
        ] {
            match &error {
                Error::Redirect {
                    status: got,
                    location: Some(got_location),
                    request,
                } => {
                    assert_eq!(got.as_u16(), status);
                    assert_eq!(got_location, &location);
                    assert!(request.path.contains("/v"), "{request}");
                }
                other => panic!("{status}: expected Error::Redirect, got {other:?}"),
            }
            let text = error.to_string();
            assert!(
                text.contains(&status.to_string()) && text.contains(&location),
                "{text}"
            );
        }
        // The redirecting host is the configured one: it got the credentials, each request once.
        let requests = redirecting.requests();
        assert_eq!(requests.len(), 3, "{requests:?}");
        assert_eq!(requests[0].header("x-api-key"), Some(KEY));
        assert!(
            requests
                .iter()
                .all(|request| request.header("referer").is_none()),
            "{requests:?}"
        );
        assert_eq!(client.csrf_refreshes(), 0);
    }
    assert!(
        elsewhere.requests().is_empty(),
        "a request followed a redirect: {:?}",
        elsewhere.requests()
    );
}

#[tokio::test]
async fn a_callers_client_that_follows_redirects_gets_the_answer_refused_and_no_token_taken() {
    let elsewhere = HostileServer::start(Hostility::fixed(
        403,
        &[("x-csrf-token", "token-of-elsewhere")],
        r#"{"errors":[{"code":0,"message":"Token Validation Failed"}]}"#,
    ))
    .unwrap();
    let redirecting = HostileServer::start(Hostility::Redirect {
        status: 307,
        location: format!("{}/collect", elsewhere.url()),
    })
    .unwrap();
    // reqwest's default policy follows up to 10 redirects.
    let client = client_of(&redirecting)
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();

    let error = client.delete_inventory_asset(AssetId(5)).await.unwrap_err();
    match &error {
        Error::FollowedRedirect { origin, .. } => assert_eq!(origin, &elsewhere.url()),
        other => panic!("expected Error::FollowedRedirect, got {other:?}"),
    }
    assert!(
        error.to_string().contains("Policy::none()"),
        "the error says how to fix the client: {error}"
    );
    // The 403 of the other host offered a token: it was neither taken nor sent back to the legacy host.
    assert_eq!(client.csrf_refreshes(), 0);
    assert_eq!(redirecting.requests().len(), 1);
    assert_eq!(elsewhere.requests().len(), 1);
    assert!(
        redirecting.requests()[0].header("x-csrf-token").is_none(),
        "{:?}",
        redirecting.requests()
    );

    assert!(matches!(
        cloud_error(&client).await,
        Error::FollowedRedirect { .. }
    ));
}

#[tokio::test]
async fn an_endless_body_ends_in_an_error_naming_the_limit_and_is_not_read_further() {
    let endless = HostileServer::start(Hostility::EndlessBody).unwrap();
    const LIMIT: u64 = 1024 * 1024;
    let client = client_of(&endless)
        .max_response_bytes(LIMIT)
        .retry(RetryPolicy::default())
        .build()
        .unwrap();
    let error = cloud_error(&client).await;
    assert!(
        matches!(
            error,
            Error::ResponseTooLarge {
                limit: LIMIT,
                declared: None,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().contains(&LIMIT.to_string()),
        "the error names the limit: {error}"
    );
    // Too large is not a failure that a retry mends.
    assert_eq!(endless.requests().len(), 1);
    // The client stopped reading at the limit: what the server got out is the limit plus what the kernel's
    // socket buffers hold, not the gigabytes an unbounded read would have taken.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let sent = endless.bytes_sent();
    assert!(sent < LIMIT + 32 * 1024 * 1024, "{sent} bytes sent");

    // The default limit applies without configuration, to legacy reads too.
    let client = client_of(&endless).build().unwrap();
    assert!(matches!(
        legacy_error(&client).await,
        Error::ResponseTooLarge {
            limit: DEFAULT_MAX_RESPONSE_BYTES,
            ..
        }
    ));
}

#[tokio::test]
async fn an_oversized_content_length_is_refused_before_reading_the_body() {
    let declared = DEFAULT_MAX_RESPONSE_BYTES + 1;
    let server = HostileServer::start(Hostility::DeclaredLength(declared)).unwrap();
    // The server sends no body: a client that began to read would wait out its timeout instead.
    let client = client_of(&server)
        .read_timeout(Some(Duration::from_secs(20)))
        .retry(RetryPolicy::default())
        .build()
        .unwrap();
    for error in [
        cloud_error(&client).await,
        client.delete_inventory_asset(AssetId(5)).await.unwrap_err(),
    ] {
        assert!(
            matches!(
                error,
                Error::ResponseTooLarge {
                    limit: DEFAULT_MAX_RESPONSE_BYTES,
                    declared: Some(got),
                    ..
                } if got == declared
            ),
            "{error:?}"
        );
        assert!(error.to_string().contains(&declared.to_string()), "{error}");
    }
    assert_eq!(server.requests().len(), 2, "refusals are not retried");
}

#[tokio::test]
async fn a_server_sending_headers_a_byte_at_a_time_times_out_within_the_read_timeout() {
    let server = HostileServer::start(Hostility::SlowHeaders {
        interval: Duration::from_millis(50),
    })
    .unwrap();
    let client = client_of(&server)
        .timeout(Some(Duration::from_secs(120)))
        .read_timeout(Some(Duration::from_millis(500)))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = cloud_error(&client).await;
    let waited = started.elapsed();
    match &error {
        Error::Transport { source, .. } => assert!(source.is_timeout(), "{source:?}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    // Bounded by the read timeout (plus slack for a busy machine), not by the two-minute whole-request timeout.
    assert!(waited < Duration::from_secs(30), "{waited:?}");
}

#[test]
fn credentials_over_plain_http_to_a_remote_host_are_refused_when_the_client_is_built() {
    // Not local by the rule (only localhost and loopback addresses are), yet Linux routes 0.0.0.0 to this
    // machine: no traffic could leave it even if the check were missing.
    let remote = "http://0.0.0.0:9";
    let refused = [
        (
            Client::builder().api_key(KEY).cloud_url(remote),
            "cloud_url",
            "API key",
        ),
        (
            Client::builder().oauth_token(KEY).cloud_url(remote),
            "cloud_url",
            "OAuth token",
        ),
        (
            Client::builder().cookie(COOKIE).legacy_url(remote),
            "legacy_url",
            "cookie",
        ),
    ];
    for (builder, field, credential) in refused {
        let error = builder.build().unwrap_err();
        let text = error.to_string();
        assert!(
            matches!(&error, Error::Config(ConfigError::InsecureUrl { field: got, .. }) if got == &field),
            "{error:?}"
        );
        for expected in [field, credential, "0.0.0.0:9", "allow_insecure_http"] {
            assert!(text.contains(expected), "{expected:?} not in {text}");
        }
        assert!(!text.contains(KEY) && !text.contains(COOKIE), "{text}");
    }

    let allowed = [
        // Opted in.
        client_builder(remote)
            .api_key(KEY)
            .cookie(COOKIE)
            .allow_insecure_http(true),
        // No credential for that host.
        Client::builder().cookie(COOKIE).cloud_url(remote),
        Client::builder().api_key(KEY).legacy_url(remote),
        // Encrypted.
        Client::builder()
            .api_key(KEY)
            .cloud_url("https://0.0.0.0:9"),
    ];
    for builder in allowed {
        builder.build().unwrap();
    }
    for local in [
        "http://localhost:9",
        "http://127.0.0.1:9",
        "http://127.200.3.4",
        "http://[::1]:9",
    ] {
        client_builder(local)
            .api_key(KEY)
            .cookie(COOKIE)
            .build()
            .unwrap_or_else(|error| panic!("{local}: {error}"));
    }
    for not_local in ["http://localhost.:9", "http://127.0.0.1.example:9"] {
        assert!(
            Client::builder()
                .api_key(KEY)
                .cloud_url(not_local)
                .build()
                .is_err(),
            "{not_local}"
        );
    }
}

#[tokio::test]
async fn a_transport_error_names_the_request_line_without_the_query() {
    // A port with nothing listening.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .cloud_url(format!("http://127.0.0.1:{port}"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let filter = InventoryFilter::ids()
        .asset_ids([AssetId(7)])
        .build()
        .unwrap();
    let error = match client
        .inventory_items(1, &filter)
        .start_from("resume-token".to_owned())
        .items()
        .try_collect::<Vec<_>>()
        .await
    {
        Err(PaginationError::Fetch { source, .. }) => source,
        other => panic!("expected a failed fetch, got {other:?}"),
    };
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    let text = error.to_string();
    assert!(
        text.starts_with("GET /cloud/v2/users/1/inventory-items: "),
        "{text}"
    );
    for leaked in ["?", "resume-token", "maxPageSize", "assetIds"] {
        assert!(!text.contains(leaked), "{leaked:?} in {text}");
    }
}

/// Three attempts a few milliseconds apart.
fn three_quick_attempts() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        ..RetryPolicy::default()
    }
}

#[tokio::test]
async fn a_body_cut_short_is_retried_like_a_dropped_connection() {
    let server = HostileServer::start(Hostility::fixed(
        200,
        &[
            ("content-type", "application/json"),
            ("content-length", "100"),
        ],
        r#"{"inventoryItems":["#,
    ))
    .unwrap();
    let client = client_of(&server)
        .retry(three_quick_attempts())
        .build()
        .unwrap();
    let error = cloud_error(&client).await;
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(server.requests().len(), 3, "each attempt's body broke off");
}

#[tokio::test]
async fn a_retryable_status_is_retried_without_reading_its_body() {
    // A 503 declaring a body over the limit: the status, not the body, decides, so every attempt is made, and
    // only the last answer's body is refused.
    let declared = (DEFAULT_MAX_RESPONSE_BYTES + 1).to_string();
    let server = HostileServer::start(Hostility::fixed(
        503,
        &[("content-length", declared.as_str())],
        "",
    ))
    .unwrap();
    let client = client_of(&server)
        .retry(three_quick_attempts())
        .build()
        .unwrap();
    let error = cloud_error(&client).await;
    assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");
    assert_eq!(server.requests().len(), 3);
}
