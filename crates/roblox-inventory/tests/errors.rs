//! One error type: status, every entry of Roblox's bodies, typed kinds, the raw body, readable `Display`.

mod common;

use std::time::Duration;

use common::{client_builder, json, server_answering};
use roblox_inventory::{AssetId, BadgeId};
use roblox_inventory::{Client, Error, ErrorCode, ErrorKind, OwnedItem, RetryPolicy};
use wiremock::{MockServer, ResponseTemplate};

async fn client_answering(response: ResponseTemplate) -> (Client, MockServer) {
    let server = server_answering(response).await;
    // These tests read the error of one answer; retries (tests/resilience.rs) would only resend it.
    let client = client_builder(&server.uri())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    (client, server)
}

#[tokio::test]
async fn a_documented_legacy_error_reads_like_roblox_said_it() {
    let (client, _server) = client_answering(json(
        400,
        r#"{"errors":[{"code":6,"message":"The specified item type does not exist.","userFacingMessage":"Something went wrong"},{"code":1,"message":"The specified user does not exist."}]}"#,
    ))
    .await;
    let error = client
        .owns(1, OwnedItem::Badge(BadgeId(7)))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "400 Bad Request from GET /v1/users/1/items/Badge/7/is-owned: 6 The specified item type does not exist. (and 1 more)"
    );
    let api = error.api().unwrap();
    assert_eq!(api.kind, ErrorKind::InvalidArgument);
    assert_eq!(api.errors.len(), 2);
    assert_eq!(api.errors[0].code, Some(ErrorCode::Number(6)));
    assert_eq!(
        api.errors[0].user_facing_message.as_deref(),
        Some("Something went wrong")
    );
}

#[tokio::test]
async fn an_undocumented_429_is_rate_limited_with_retry_after_and_keeps_its_body() {
    let (client, _server) = client_answering(
        json(
            429,
            r#"{"errors":[{"code":0,"message":"Too many requests"}]}"#,
        )
        .insert_header("retry-after", "7"),
    )
    .await;
    let error = client.can_view_inventory(1).await.unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(api.kind, ErrorKind::RateLimited);
    assert_eq!(api.retry_after, Some(Duration::from_secs(7)));
    assert_eq!(
        &api.body[..],
        br#"{"errors":[{"code":0,"message":"Too many requests"}]}"#
    );
    assert_eq!(
        error.to_string(),
        "429 Too Many Requests from GET /v1/users/1/can-view-inventory: 0 Too many requests"
    );
}

#[tokio::test]
async fn a_hidden_inventory_is_told_apart_by_its_code() {
    let (client, _server) = client_answering(json(
        403,
        r#"{"errors":[{"code":4,"message":"You are not authorized to view this user's inventory."}]}"#,
    ))
    .await;
    let error = client.can_view_inventory(2).await.unwrap_err();
    assert_eq!(error.kind(), Some(ErrorKind::InventoryHidden));
}

#[tokio::test]
async fn a_body_that_is_no_error_shape_is_kept_whole() {
    let (client, _server) = client_answering(
        ResponseTemplate::new(502).set_body_raw("<html>Bad Gateway</html>", "text/html"),
    )
    .await;
    let error = client.can_view_inventory(3).await.unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(api.kind, ErrorKind::Server);
    assert!(api.errors.is_empty());
    assert_eq!(&api.body[..], b"<html>Bad Gateway</html>");
    assert_eq!(
        error.to_string(),
        "502 Bad Gateway from GET /v1/users/3/can-view-inventory: <html>Bad Gateway</html>"
    );
}

#[tokio::test]
async fn a_documented_error_status_keeps_its_body_byte_for_byte_whatever_its_shape() {
    // The legacy 400 of is-owned is documented with Roblox's error shape; the body is kept as it came (spacing and
    // an unknown field included), not re-encoded from what decoded.
    let documented = r#"{ "errors": [ {"code": 6, "message": "The specified item type does not exist.", "field": "x"} ] }"#;
    let (client, _server) = client_answering(json(400, documented)).await;
    let error = client
        .owns(1, OwnedItem::Badge(BadgeId(7)))
        .await
        .unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(&api.body[..], documented.as_bytes());
    assert_eq!(api.errors[0].code, Some(ErrorCode::Number(6)));

    // A proxy's page where Roblox documents its error shape is still the status it is, not a decode failure.
    let (client, _server) = client_answering(
        ResponseTemplate::new(400).set_body_raw("<html>Bad Request</html>", "text/html"),
    )
    .await;
    let error = client
        .owns(1, OwnedItem::Badge(BadgeId(7)))
        .await
        .unwrap_err();
    let api = error.api().expect("an API error, not a decode error");
    assert_eq!(api.kind, ErrorKind::InvalidArgument);
    assert!(api.errors.is_empty());
    assert_eq!(&api.body[..], b"<html>Bad Request</html>");
}

#[tokio::test]
async fn a_success_body_of_the_wrong_shape_is_a_decode_error_with_the_body() {
    let (client, _server) = client_answering(json(200, r#"{"canView":"maybe"}"#)).await;
    match client.can_view_inventory(4).await.unwrap_err() {
        Error::Decode { request, body, .. } => {
            assert_eq!(request.to_string(), "GET /v1/users/4/can-view-inventory");
            assert_eq!(&body[..], br#"{"canView":"maybe"}"#);
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_id_out_of_range_is_rejected_before_sending() {
    let (client, server) = client_answering(json(200, "true")).await;
    let error = client
        .owns(u64::MAX, OwnedItem::Asset(AssetId(1)))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)));
    assert_eq!(
        error.to_string(),
        "invalid request: user_id 18446744073709551615 is out of range (at most 9223372036854775807)"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn both_open_cloud_error_shapes_come_through_a_scan() {
    use futures_util::TryStreamExt;
    use roblox_inventory::{InventoryFilter, PaginationError};

    for (status, body, kind, code) in [
        (
            400,
            r#"{"code":"INVALID_ARGUMENT","message":"Invalid filter.","details":[]}"#,
            ErrorKind::InvalidArgument,
            ErrorCode::Name("INVALID_ARGUMENT".into()),
        ),
        (
            401,
            r#"{"errors":[{"code":0,"message":"Invalid API Key"}]}"#,
            ErrorKind::Unauthorized,
            ErrorCode::Number(0),
        ),
    ] {
        let (client, _server) = client_answering(json(status, body)).await;
        let result: Result<Vec<_>, _> = client
            .inventory_items(156, &InventoryFilter::everything())
            .items()
            .try_collect()
            .await;
        let Err(PaginationError::Fetch {
            source,
            resume_from: None,
        }) = result
        else {
            panic!("expected the first page to fail");
        };
        let api = source.api().expect("an API error");
        assert_eq!(api.kind, kind);
        assert_eq!(api.errors[0].code, Some(code));
        assert!(source.to_string().starts_with(&format!(
            "{} from GET /cloud/v2/users/156/inventory-items: ",
            api.status
        )));
    }
}

#[test]
fn asset_types_parse_from_ids_and_names_for_command_lines() {
    use roblox_inventory::{AssetType, InventoryItemAssetType, ItemType};
    assert_eq!("hat".parse::<AssetType>(), Ok(AssetType::Hat));
    assert_eq!("8".parse::<AssetType>(), Ok(AssetType::Hat));
    assert_eq!("gamepass".parse::<ItemType>(), Ok(ItemType::GamePass));
    assert_eq!(
        "classic_tshirt".parse::<InventoryItemAssetType>(),
        Ok(InventoryItemAssetType::ClassicTshirt)
    );
    let error = "Hatt".parse::<AssetType>().unwrap_err();
    assert!(
        error.to_string().contains("expected one of: Image, TShirt"),
        "{error}"
    );
    assert_eq!(
        roblox_inventory::legacy_to_cloud(&AssetType::TShirt),
        Some(InventoryItemAssetType::ClassicTshirt)
    );
}

#[tokio::test]
async fn open_cloud_permission_denied_on_an_inventory_is_a_hidden_inventory() {
    use futures_util::TryStreamExt;
    use roblox_inventory::{InventoryFilter, PaginationError};

    let (client, _server) = client_answering(json(
        403,
        r#"{"code":"PERMISSION_DENIED","message":"The user's inventory is not visible to this caller.","details":[]}"#,
    ))
    .await;
    let result: Result<Vec<_>, _> = client
        .inventory_items(261, &InventoryFilter::everything())
        .items()
        .try_collect()
        .await;
    let Err(PaginationError::Fetch { source, .. }) = result else {
        panic!("expected the first page to fail");
    };
    assert_eq!(source.kind(), Some(ErrorKind::InventoryHidden));
}

#[tokio::test]
async fn each_status_and_code_has_its_kind() {
    use futures_util::TryStreamExt;
    use roblox_inventory::{InventoryFilter, PaginationError};

    let legacy = |code: i64| format!(r#"{{"errors":[{{"code":{code},"message":"m"}}]}}"#);
    let cloud = |code: &str| format!(r#"{{"code":"{code}","message":"m"}}"#);
    let cases = [
        (400, legacy(1), ErrorKind::InvalidArgument),
        (401, legacy(0), ErrorKind::Unauthorized),
        (403, legacy(4), ErrorKind::InventoryHidden),
        (403, legacy(3), ErrorKind::Forbidden),
        (403, legacy(0), ErrorKind::Forbidden),
        // PERMISSION_DENIED means a hidden inventory only on Open Cloud's inventory listing.
        (403, cloud("PERMISSION_DENIED"), ErrorKind::Forbidden),
        (404, legacy(2), ErrorKind::NotFound),
        (429, legacy(0), ErrorKind::RateLimited),
        (500, legacy(0), ErrorKind::Server),
        (503, legacy(0), ErrorKind::Server),
        (418, legacy(0), ErrorKind::Other),
    ];
    for (status, body, kind) in cases {
        let (client, _server) = client_answering(json(status, &body)).await;
        let error = client.can_view_inventory(1).await.unwrap_err();
        let api = error
            .api()
            .unwrap_or_else(|| panic!("{status} {body}: {error:?}"));
        assert_eq!(api.kind, kind, "{status} {body}");
        assert!(api.is(kind), "{status} {body}");
        let other = if kind == ErrorKind::Other {
            ErrorKind::Server
        } else {
            ErrorKind::Other
        };
        assert!(!api.is(other), "{status} {body}");
    }

    let (client, _server) = client_answering(json(403, cloud("PERMISSION_DENIED"))).await;
    let result: Result<Vec<_>, _> = client
        .inventory_items(1, &InventoryFilter::everything())
        .items()
        .try_collect()
        .await;
    let Err(PaginationError::Fetch { source, .. }) = result else {
        panic!("expected the first page to fail");
    };
    assert_eq!(source.kind(), Some(ErrorKind::InventoryHidden));
    let (client, _server) = client_answering(json(403, cloud("INSUFFICIENT_SCOPE"))).await;
    let result: Result<Vec<_>, _> = client
        .inventory_items(1, &InventoryFilter::everything())
        .items()
        .try_collect()
        .await;
    let Err(PaginationError::Fetch { source, .. }) = result else {
        panic!("expected the first page to fail");
    };
    assert_eq!(source.kind(), Some(ErrorKind::Forbidden));
}

#[tokio::test]
async fn an_error_without_a_body_says_only_status_and_request() {
    let (client, _server) = client_answering(ResponseTemplate::new(502)).await;
    let error = client.can_view_inventory(3).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "502 Bad Gateway from GET /v1/users/3/can-view-inventory"
    );
}

#[tokio::test]
async fn an_undocumented_status_with_a_legacy_body_keeps_every_field_of_it() {
    let (client, _server) = client_answering(json(
        502,
        r#"{"errors":[{"code":9,"message":"m","userFacingMessage":"Try later"}]}"#,
    ))
    .await;
    let error = client.can_view_inventory(3).await.unwrap_err();
    let entry = &error.api().unwrap().errors[0];
    assert_eq!(entry.code, Some(ErrorCode::Number(9)));
    assert_eq!(entry.user_facing_message.as_deref(), Some("Try later"));
}
