//! The legacy CSRF handshake: a 403 with a fresh `x-csrf-token` header is retried once with that token, and
//! concurrent requests meeting one expired token cause one refresh.

mod common;

use common::{client_builder, json};
use futures_util::future::join_all;
use roblox_inventory::{AssetId, BundleId};
use roblox_inventory::{Client, ErrorKind, OwnedItem};
use wiremock::matchers::{any, header, method};
use wiremock::{Mock, MockServer};

/// Accepts mutations carrying `token`; answers others 403 "Token Validation Failed" offering `token`.
async fn legacy_host(token: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(header("x-csrf-token", token))
        .respond_with(json(200, "{}"))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(
            json(
                403,
                r#"{"errors":[{"code":0,"message":"Token Validation Failed"}]}"#,
            )
            .insert_header("x-csrf-token", token),
        )
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    client_builder(&server.uri())
        .cookie("cookie")
        .build()
        .unwrap()
}

#[tokio::test]
async fn twenty_concurrent_mutations_share_one_refresh() {
    let server = legacy_host("fresh-token").await;
    let client = client(&server);
    let results = join_all((0..20).map(|asset| {
        let client = client.clone();
        async move { client.delete_inventory_asset(AssetId(asset)).await }
    }))
    .await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(client.csrf_refreshes(), 1);

    // The token is cached: the next mutation goes through at once.
    let before = server.received_requests().await.unwrap().len();
    client
        .add_to_collection(OwnedItem::Bundle(BundleId(192)))
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), before + 1);
    assert_eq!(client.csrf_refreshes(), 1);
}

#[tokio::test]
async fn a_403_without_a_token_header_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(
            // The English text says token, but without the header it is not the CSRF handshake.
            json(
                403,
                r#"{"errors":[{"code":0,"message":"Token Validation Failed"}]}"#,
            ),
        )
        .mount(&server)
        .await;
    let error = client(&server)
        .delete_inventory_asset(AssetId(5))
        .await
        .unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert_eq!(
        error.to_string(),
        "403 Forbidden from DELETE /v2/inventory/asset/5: 0 Token Validation Failed"
    );
}

#[tokio::test]
async fn reads_never_carry_a_csrf_token() {
    let server = legacy_host("t").await;
    let client = client(&server);
    client
        .remove_from_collection(OwnedItem::Asset(AssetId(1)))
        .await
        .unwrap();
    Mock::given(method("GET"))
        .respond_with(json(200, "true"))
        .with_priority(1)
        .mount(&server)
        .await;
    assert!(client.owns(1, OwnedItem::Asset(AssetId(1))).await.unwrap());
    let requests = server.received_requests().await.unwrap();
    let read = requests.last().unwrap();
    assert_eq!(read.method.as_str(), "GET");
    assert!(read.headers.get("x-csrf-token").is_none());
}

#[tokio::test]
async fn a_token_offered_with_any_status_but_403_is_not_taken() {
    for (status, kind) in [
        (200, None),
        (400, Some(ErrorKind::InvalidArgument)),
        (401, Some(ErrorKind::Unauthorized)),
        (404, Some(ErrorKind::NotFound)),
        (500, Some(ErrorKind::Server)),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("DELETE"))
            .respond_with(
                json(status, r#"{"errors":[{"code":1,"message":"no"}]}"#)
                    .insert_header("x-csrf-token", "offered"),
            )
            .mount(&server)
            .await;
        let client = client(&server);
        let outcome = client.delete_inventory_asset(AssetId(5)).await;
        assert_eq!(
            outcome.as_ref().err().and_then(|error| error.kind()),
            kind,
            "{status}: {outcome:?}"
        );
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            1,
            "{status}: sent again"
        );
        assert_eq!(client.csrf_refreshes(), 0, "{status}: token taken");
    }
}
