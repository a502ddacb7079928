//! The Open Cloud operation: the request the client sends, and decoding bodies shaped like Roblox's.

mod support;

use roblox_inventory_cloud_v2::types::{
    InstanceState, InventoryItemAssetType, OpenCloudError, OpenCloudErrorCode,
};
use roblox_inventory_cloud_v2::{Client, Error};
use support::{assert_plain_headers, only_request, request_line, serve_json};

fn client(server: &wiremock::MockServer) -> Client {
    Client::new(&server.uri())
}

#[tokio::test]
async fn list_inventory_items_sends_the_filter_as_one_encoded_value_and_decodes_every_kind() {
    // String ids, one details object per item, no addTime on passes, an asset type and instance state this
    // spec does not list (WIRE-QUIRKS 23, 24, 25).
    let server = serve_json(
        200,
        r#"{"inventoryItems":[
            {"path":"users/156/inventory-items/VVNFUl9BU1NFVF9JRD0yMDAxMDUxMTkzODg",
             "assetDetails":{"assetId":"14011666016","inventoryItemAssetType":"HAT","instanceId":"200105119388",
               "collectibleDetails":{"itemId":"521cca19-75bb-4e05-a0af-633b1532c24d",
                 "instanceId":"a8a27d38-ee51-4cf4-8b0a-485d0dfd8607","instanceState":"HOLD","serialNumber":160}},
             "addTime":"2023-07-05T12:34:56Z"},
            {"path":"users/156/inventory-items/R0FNRV9QQVNTX0lEPTEyMzQ","gamePassDetails":{"gamePassId":"1234"}},
            {"path":"users/156/inventory-items/x","badgeDetails":{"badgeId":"2124"},"addTime":"2021-01-01T00:00:00.5+01:00"},
            {"path":"users/156/inventory-items/y","privateServerDetails":{"privateServerId":"99"}},
            {"path":"users/156/inventory-items/z","assetDetails":{"assetId":"5","inventoryItemAssetType":"HOLOGRAM",
               "instanceId":"6","collectibleDetails":{"instanceState":"LOCKED"}},"newField":[1,2]}],
          "nextPageToken":"djEveyJGaWVsZEluZGV4Ijox"}"#,
    )
    .await;

    let page = client(&server)
        .list_inventory_items()
        .user_id("156")
        .max_page_size(100)
        .page_token("djEveyJGaWVsZEluZGV4IjowfQ")
        .filter("inventoryItemAssetTypes=HAT,CLASSIC_TSHIRT;onlyCollectibles=true")
        .send()
        .await
        .expect("decodes")
        .into_inner();

    let request = only_request(&server).await;
    assert_eq!(
        request_line(&request),
        "GET /cloud/v2/users/156/inventory-items?filter=inventoryItemAssetTypes%3DHAT%2CCLASSIC_TSHIRT%3BonlyCollectibles%3Dtrue&maxPageSize=100&pageToken=djEveyJGaWVsZEluZGV4IjowfQ"
    );
    assert_plain_headers(&request);

    let items = &page.inventory_items;
    assert_eq!(items.len(), 5);
    let asset = items[0].asset_details.as_ref().expect("asset");
    assert_eq!(
        asset.asset_id,
        Some(roblox_inventory_core::DigitString::Number(14011666016))
    );
    assert_eq!(
        asset.inventory_item_asset_type,
        Some(InventoryItemAssetType::Hat)
    );
    let collectible = asset.collectible_details.as_ref().expect("collectible");
    assert_eq!(collectible.instance_state, Some(InstanceState::Hold));
    assert_eq!(collectible.serial_number, Some(160));
    assert!(items[0].add_time.unwrap().has_offset());
    assert_eq!(
        items[1]
            .game_pass_details
            .as_ref()
            .unwrap()
            .game_pass_id
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("1234")
    );
    assert!(items[1].add_time.is_none() && items[1].asset_details.is_none());
    assert_eq!(items[2].add_time.unwrap().unix_seconds(), 1_609_455_600);
    assert_eq!(
        items[3]
            .private_server_details
            .as_ref()
            .unwrap()
            .private_server_id
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("99")
    );
    let future = items[4].asset_details.as_ref().unwrap();
    assert_eq!(
        future.inventory_item_asset_type,
        Some(InventoryItemAssetType::Unknown("HOLOGRAM".into()))
    );
    assert_eq!(
        future.collectible_details.as_ref().unwrap().instance_state,
        Some(InstanceState::Unknown("LOCKED".into()))
    );
    assert_eq!(
        page.next_page_token.as_deref(),
        Some("djEveyJGaWVsZEluZGV4Ijox")
    );
}

#[tokio::test]
async fn the_last_page_may_be_empty_with_an_empty_token_or_no_token_at_all() {
    // WIRE-QUIRKS 20: `""` on the last page, the field omitted, and an empty trailing page all happen.
    for body in [r#"{"inventoryItems":[],"nextPageToken":""}"#, r#"{}"#] {
        let server = serve_json(200, body).await;
        let page = client(&server)
            .list_inventory_items()
            .user_id("1")
            .send()
            .await
            .expect("decodes")
            .into_inner();
        assert_eq!(
            request_line(&only_request(&server).await),
            "GET /cloud/v2/users/1/inventory-items"
        );
        assert!(page.inventory_items.is_empty());
        assert!(
            page.next_page_token
                .as_deref()
                .unwrap_or_default()
                .is_empty()
        );
    }
}

async fn error_for(status: u16, body: &str) -> Error<OpenCloudError> {
    let server = serve_json(status, body).await;
    client(&server)
        .list_inventory_items()
        .user_id("1")
        .send()
        .await
        .expect_err("an error status")
}

#[tokio::test]
async fn both_open_cloud_error_shapes_decode() {
    let gateway = error_for(
        401,
        r#"{"errors":[{"code":0,"message":"Invalid API Key"}]}"#,
    )
    .await;
    let Error::ErrorResponse(response) = gateway else {
        panic!("expected a typed error");
    };
    assert_eq!(response.status().as_u16(), 401);
    match response.into_inner() {
        OpenCloudError::GatewayError(body) => {
            assert_eq!(body.errors[0].code, Some(0));
            assert_eq!(body.errors[0].message.as_deref(), Some("Invalid API Key"));
        }
        other => panic!("expected the gateway shape, got {other:?}"),
    }

    let status = error_for(
        400,
        r#"{"code":"INVALID_ARGUMENT","message":"Invalid filter.","details":[{"@type":"x","reason":"y"}]}"#,
    )
    .await;
    let Error::ErrorResponse(response) = status else {
        panic!("expected a typed error");
    };
    match response.into_inner() {
        OpenCloudError::StatusError(body) => {
            assert_eq!(body.code, OpenCloudErrorCode::InvalidArgument);
            assert_eq!(body.message.as_deref(), Some("Invalid filter."));
            assert_eq!(body.details.len(), 1);
        }
        other => panic!("expected the v2 shape, got {other:?}"),
    }

    let unlisted = error_for(503, r#"{"code":"OVERLOADED","message":"later"}"#).await;
    let Error::ErrorResponse(response) = unlisted else {
        panic!("expected a typed error");
    };
    assert!(matches!(
        response.into_inner(),
        OpenCloudError::StatusError(body) if body.code == OpenCloudErrorCode::Unknown("OVERLOADED".into())
    ));
}

#[tokio::test]
async fn a_non_json_error_keeps_its_raw_body() {
    let error = error_for(502, "<html>Bad Gateway</html>").await;
    match error {
        Error::InvalidResponsePayload(bytes, _) => {
            assert_eq!(&bytes[..], b"<html>Bad Gateway</html>")
        }
        other => panic!("expected InvalidResponsePayload, got {other:?}"),
    }
}

#[tokio::test]
async fn the_crate_alone_streams_every_page_of_a_users_items() {
    use futures_util::TryStreamExt;
    use wiremock::matchers::{query_param, query_param_is_missing};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let item = |id: u64| {
        serde_json::json!({"path": format!("users/156/inventory-items/{id}"),
                           "badgeDetails": {"badgeId": id.to_string()}})
    };
    // Three pages, the middle one empty but with a token, the last ending on "" (WIRE-QUIRKS 20).
    for (token, ids, next) in [
        (None, vec![1, 2], "t2"),
        (Some("t2"), vec![], "t3"),
        (Some("t3"), vec![3], ""),
    ] {
        let body = serde_json::json!({
            "inventoryItems": ids.into_iter().map(item).collect::<Vec<_>>(),
            "nextPageToken": next,
        });
        let mock = Mock::given(query_param("maxPageSize", "100"));
        let mock = match token {
            Some(token) => mock.and(query_param("pageToken", token)),
            None => mock.and(query_param_is_missing("pageToken")),
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
    }
    let items: Vec<_> = client(&server)
        .list_inventory_items()
        .user_id("156")
        .stream()
        .try_collect()
        .await
        .unwrap();
    let badges: Vec<_> = items
        .iter()
        .map(|item| item.badge_details.as_ref().unwrap().badge_id.clone())
        .collect();
    assert_eq!(badges, [Some(1.into()), Some(2.into()), Some(3.into())]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn the_crate_alone_refuses_a_body_over_its_bound_before_reading_it() {
    // A hostile server's declared length: refused as soon as the headers come, with the limit in the error.
    let over = usize::try_from(roblox_inventory_core::MAX_BODY_BYTES).unwrap() + 1;
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_bytes(vec![b' '; over]))
        .mount(&server)
        .await;
    let error = client(&server)
        .list_inventory_items()
        .user_id("156")
        .send()
        .await
        .expect_err("refused");
    match error {
        Error::Custom(message) => assert_eq!(
            message,
            format!(
                "the response body is larger than the limit of {} bytes (Content-Length {over})",
                roblox_inventory_core::MAX_BODY_BYTES
            )
        ),
        other => panic!("expected the bound's error, got {other:?}"),
    }
}
