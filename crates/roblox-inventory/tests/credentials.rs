//! Credentials go only to the host they belong to, and never show up in `Debug`, `Display` or errors.

mod common;

use common::{json, server_answering};
use roblox_inventory::{AssetId, GamePassId};
use roblox_inventory::{Client, Error, OwnedItem};
use wiremock::{MockServer, Request};

const COOKIE: &str = "_|WARNING:-DO-NOT-SHARE-THIS.--SECRETCOOKIE123";
const API_KEY: &str = "SECRET-API-KEY-456";
const TOKEN: &str = "SECRET-OAUTH-TOKEN-789";

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
}

#[tokio::test]
async fn the_cookie_goes_only_to_the_legacy_host_and_the_api_key_only_to_open_cloud() {
    let legacy = server_answering(json(200, r#"{"canView":true}"#)).await;
    let cloud = server_answering(json(200, r#"{"inventoryItems":[],"nextPageToken":""}"#)).await;
    let client = Client::builder()
        .legacy_url(legacy.uri())
        .cloud_url(cloud.uri())
        .cookie(COOKIE)
        .api_key(API_KEY)
        .build()
        .unwrap();

    assert!(client.can_view_inventory(1).await.unwrap());
    client
        .send(client.cloud_v2().list_inventory_items().user_id("1"))
        .await
        .unwrap();

    let legacy_request = &requests(&legacy).await[0];
    assert_eq!(
        header(legacy_request, "cookie"),
        Some(format!(".ROBLOSECURITY={COOKIE}").as_str())
    );
    assert_eq!(header(legacy_request, "x-api-key"), None);
    assert_eq!(header(legacy_request, "authorization"), None);
    let cloud_request = &requests(&cloud).await[0];
    assert_eq!(header(cloud_request, "x-api-key"), Some(API_KEY));
    assert_eq!(header(cloud_request, "cookie"), None);
    assert!(
        header(cloud_request, "user-agent")
            .unwrap()
            .starts_with("roblox-inventory-rs/")
    );
}

#[tokio::test]
async fn an_oauth_token_is_a_bearer_token_for_open_cloud_only() {
    let legacy = server_answering(json(200, "true")).await;
    let cloud = server_answering(json(200, "{}")).await;
    let client = Client::builder()
        .legacy_url(legacy.uri())
        .cloud_url(cloud.uri())
        .oauth_token(TOKEN)
        .build()
        .unwrap();
    assert!(
        client
            .owns(1, OwnedItem::GamePass(GamePassId(2)))
            .await
            .unwrap()
    );
    client
        .send(client.cloud_v2().list_inventory_items().user_id("1"))
        .await
        .unwrap();
    assert_eq!(header(&requests(&legacy).await[0], "authorization"), None);
    assert_eq!(
        header(&requests(&cloud).await[0], "authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn secrets_never_appear_in_debug_display_or_errors() {
    let legacy = server_answering(json(
        401,
        r#"{"errors":[{"code":0,"message":"Authorization has been denied for this request."}]}"#,
    ))
    .await;
    let cloud = server_answering(json(
        401,
        r#"{"errors":[{"code":0,"message":"Invalid API Key"}]}"#,
    ))
    .await;
    let builder = Client::builder()
        .legacy_url(legacy.uri())
        .cloud_url(cloud.uri())
        .cookie(COOKIE)
        .api_key(API_KEY);
    let client = builder.clone().build().unwrap();

    let legacy_error = client.delete_inventory_asset(AssetId(1)).await.unwrap_err();
    let cloud_error = client
        .send(client.cloud_v2().list_inventory_items().user_id("1"))
        .await
        .unwrap_err();
    let texts = [
        format!("{builder:?}"),
        format!("{client:?}"),
        format!("{legacy_error:?}"),
        legacy_error.to_string(),
        format!("{cloud_error:?}"),
    ];
    for text in &texts {
        for secret in [COOKIE, API_KEY, "SECRETCOOKIE123"] {
            assert!(!text.contains(secret), "{secret} leaked into {text}");
        }
    }
    assert!(texts[1].contains("***"), "{}", texts[1]);
    assert_eq!(
        legacy_error.kind(),
        Some(roblox_inventory::ErrorKind::Unauthorized)
    );
}

#[test]
fn a_credential_that_cannot_be_a_header_is_rejected_without_echoing_it() {
    let error = Client::builder()
        .cookie("abc\ndef-SECRET")
        .build()
        .unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, Error::Config(_)));
    assert!(text.contains("cookie"), "{text}");
    assert!(!text.contains("SECRET"), "{text}");
    let error = Client::builder()
        .cloud_url("ftp://apis.roblox.com")
        .build()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        r#"invalid client configuration: cloud_url "ftp://apis.roblox.com" must be an http:// or https:// URL with a host"#
    );
}

#[test]
fn the_client_is_cheap_to_clone_and_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Client>();
}
