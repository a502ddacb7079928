//! Every legacy v2 operation: the request the client sends, and decoding bodies shaped like Roblox's.

mod support;

use roblox_inventory_legacy_v2::types::{
    AssetType, AssociatedEntityType, BuildersClubMembershipType, PageLimit, SortOrder,
    SortOrderCode,
};
use roblox_inventory_legacy_v2::{Client, Error, UnknownValue};
use support::{assert_plain_headers, only_request, request_line, serve_json};

fn client(server: &wiremock::MockServer) -> Client {
    Client::new(&server.uri())
}

#[tokio::test]
async fn list_asset_owners_sends_paging_and_decodes_null_owners_and_string_types() {
    // Owners of hidden inventories come back null; owner.type arrives as a name or an id (WIRE-QUIRKS 5, 7).
    let server = serve_json(
        200,
        r#"{
          "previousPageCursor": null,
          "nextPageCursor": "eyJrZXkiOiJuZXh0In0",
          "data": [
            {"id": 205798681007, "collectibleItemInstanceId": null, "serialNumber": null, "owner": null,
             "created": "2018-10-28T09:37:59.397", "updated": "2023-07-05T12:34:56.543Z"},
            {"id": 2, "collectibleItemInstanceId": "a8a27d38-ee51-4cf4-8b0a-485d0dfd8607", "serialNumber": 160,
             "owner": {"id": 1, "type": "User", "name": "Roblox"}, "futureField": {"nested": true}},
            {"id": 3, "owner": {"id": 7, "type": 2, "name": null}},
            {"id": 4, "owner": {"id": 8, "type": "Experience"}}
          ]
        }"#,
    )
    .await;

    let page = client(&server)
        .list_asset_owners()
        .asset_id(14_011_666_016_i64)
        .limit(PageLimit::OneHundred)
        .sort_order(SortOrder::Desc)
        .cursor("eyJrZXkiOiJwcmV2In0")
        .send()
        .await
        .expect("page decodes")
        .into_inner();

    let request = only_request(&server).await;
    assert_eq!(
        request_line(&request),
        "GET /v2/assets/14011666016/owners?cursor=eyJrZXkiOiJwcmV2In0&limit=100&sortOrder=Desc"
    );
    assert_plain_headers(&request);

    assert_eq!(page.previous_page_cursor, None);
    assert_eq!(
        page.next_page_cursor.as_deref(),
        Some("eyJrZXkiOiJuZXh0In0")
    );
    assert_eq!(page.data.len(), 4);
    let first = &page.data[0];
    assert_eq!(first.id, Some(205_798_681_007));
    assert!(first.owner.is_none() && first.serial_number.is_none());
    let created = first.created.expect("created");
    assert!(!created.has_offset());
    assert_eq!(
        created.to_utc().to_rfc3339(),
        "2018-10-28T09:37:59.397+00:00"
    );
    let owner = page.data[1].owner.as_ref().expect("owner");
    assert_eq!(owner.type_, Some(AssociatedEntityType::User));
    assert_eq!(owner.name.as_deref(), Some("Roblox"));
    assert_eq!(
        page.data[2].owner.as_ref().unwrap().type_,
        Some(AssociatedEntityType::Group)
    );
    assert_eq!(
        page.data[3].owner.as_ref().unwrap().type_,
        Some(AssociatedEntityType::Unknown(UnknownValue::Name(
            "Experience".into()
        )))
    );
}

#[tokio::test]
async fn list_collectible_item_owners_sends_integer_sort_order_and_decodes_errors() {
    let server = serve_json(
        401,
        r#"{"errors":[{"code":0,"message":"Authorization has been denied for this request."}]}"#,
    )
    .await;

    let error = client(&server)
        .list_collectible_item_owners()
        .collectible_item_id("521cca19-75bb-4e05-a0af-633b1532c24d")
        .limit(50)
        .sort_order(SortOrderCode::Desc)
        .send()
        .await
        .expect_err("401 is an error");

    let request = only_request(&server).await;
    assert_eq!(
        request_line(&request),
        "GET /v2/collectible-items/521cca19-75bb-4e05-a0af-633b1532c24d/owners?limit=50&sortOrder=2"
    );
    assert_plain_headers(&request);
    match error {
        Error::ErrorResponse(response) => {
            assert_eq!(response.status().as_u16(), 401);
            let errors = &response.into_inner().errors;
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].code, Some(0));
            assert_eq!(
                errors[0].message.as_deref(),
                Some("Authorization has been denied for this request.")
            );
            assert_eq!(errors[0].user_facing_message, None);
        }
        other => panic!("expected a typed error response, got {other:?}"),
    }
}

#[tokio::test]
async fn list_collectible_item_owners_decodes_a_page() {
    let server = serve_json(
        200,
        r#"{"previousPageCursor":null,"nextPageCursor":null,"data":[
            {"collectibleItemInstanceId":"a8a27d38-ee51-4cf4-8b0a-485d0dfd8607","serialNumber":12,
             "owner":{"id":1,"type":1,"name":"Roblox"}},
            {"collectibleItemInstanceId":"b8a27d38-ee51-4cf4-8b0a-485d0dfd8607","serialNumber":null,"owner":null}]}"#,
    )
    .await;
    let page = client(&server)
        .list_collectible_item_owners()
        .collectible_item_id("521cca19-75bb-4e05-a0af-633b1532c24d")
        .send()
        .await
        .expect("page decodes")
        .into_inner();
    assert_eq!(
        request_line(&only_request(&server).await),
        "GET /v2/collectible-items/521cca19-75bb-4e05-a0af-633b1532c24d/owners"
    );
    assert_eq!(page.next_page_cursor, None);
    assert_eq!(page.data[0].serial_number, Some(12));
    assert_eq!(
        page.data[0].owner.as_ref().unwrap().type_,
        Some(AssociatedEntityType::User)
    );
    assert!(page.data[1].owner.is_none());
}

#[tokio::test]
async fn list_user_inventory_sends_asset_types_as_one_value_and_decodes_string_asset_types() {
    // assetType arrives as the enum NAME on this endpoint (WIRE-QUIRKS 1); an unlisted name is kept.
    let server = serve_json(
        200,
        r#"{"previousPageCursor":null,"nextPageCursor":null,"data":[
            {"assetId":1028595,"name":"Classic Fedora","assetType":"Hat","created":"2023-01-02T03:04:05.1Z"},
            {"assetId":62724852,"name":"Chill","assetType":8,"created":"2019-05-01T10:00:00"},
            {"assetId":14011666016,"name":"Tomorrow's thing","assetType":"HoloBadge"}]}"#,
    )
    .await;

    let page = client(&server)
        .list_user_inventory()
        .user_id(1)
        .asset_types([AssetType::Hat, AssetType::Face])
        .limit(PageLimit::Ten)
        .filter_disapproved_assets(true)
        .send()
        .await
        .expect("page decodes")
        .into_inner();

    let request = only_request(&server).await;
    // One value, comma-separated (form-encoded as %2C); never assetTypes=Hat&assetTypes=Face (WIRE-QUIRKS 4).
    assert_eq!(
        request_line(&request),
        "GET /v2/users/1/inventory?assetTypes=Hat%2CFace&filterDisapprovedAssets=true&limit=10"
    );
    assert_plain_headers(&request);
    let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(pairs[0], ("assetTypes".into(), "Hat,Face".into()));

    let types: Vec<_> = page
        .data
        .iter()
        .map(|item| item.asset_type.clone())
        .collect();
    assert_eq!(
        types,
        [
            Some(AssetType::Hat),
            Some(AssetType::Hat),
            Some(AssetType::Unknown(UnknownValue::Name("HoloBadge".into())))
        ]
    );
    assert_eq!(page.data[2].asset_id, Some(14_011_666_016));
    assert!(page.data[2].created.is_none());
    assert!(!page.data[1].created.unwrap().has_offset());
}

#[tokio::test]
async fn list_user_inventory_by_asset_type_decodes_old_and_new_item_shapes() {
    // The 2018 shape has no collectible fields and dates with 2-3 fractional digits and no timezone; the 2023
    // shape has them as null; expireAt is new (WIRE-QUIRKS 5, 6).
    let server = serve_json(
        200,
        r#"{"previousPageCursor":null,"nextPageCursor":"2_1_d8bb4a4aad0d3c8d4fcd5a4c4c29a7f0","data":[
            {"userAssetId":20578,"assetId":1285307,"assetName":"Crimson Catseye",
             "owner":{"userId":1,"username":"Roblox","buildersClubMembershipType":0},
             "created":"2018-10-28T09:37:59.28","updated":"2018-10-28T09:37:59.397"},
            {"expireAt":null,"userAssetId":205798681007,"assetId":14011666016,"assetName":"Headless",
             "collectibleItemId":null,"collectibleItemInstanceId":null,"serialNumber":null,
             "owner":{"userId":156,"username":"builderman","buildersClubMembershipType":7},
             "created":"2023-07-05T12:34:56.543Z","updated":"2023-07-05T12:34:56.543Z","isNew":true}]}"#,
    )
    .await;

    let page = client(&server)
        .list_user_inventory_by_asset_type()
        .user_id(156)
        .asset_type_id(AssetType::Face.id().unwrap() as i32)
        .limit(PageLimit::TwentyFive)
        .sort_order(SortOrder::Asc)
        .send()
        .await
        .expect("page decodes")
        .into_inner();

    let request = only_request(&server).await;
    assert_eq!(
        request_line(&request),
        "GET /v2/users/156/inventory/18?limit=25&sortOrder=Asc"
    );
    assert_plain_headers(&request);
    let old = &page.data[0];
    assert_eq!(old.collectible_item_id, None);
    assert_eq!(
        old.created.unwrap().to_utc().to_rfc3339(),
        "2018-10-28T09:37:59.280+00:00"
    );
    let owner = old.owner.as_ref().unwrap();
    assert_eq!(
        owner.builders_club_membership_type,
        Some(BuildersClubMembershipType::None)
    );
    let new = &page.data[1];
    assert_eq!(new.user_asset_id, Some(205_798_681_007));
    assert_eq!(new.expire_at, None);
    assert_eq!(
        new.owner.as_ref().unwrap().builders_club_membership_type,
        Some(BuildersClubMembershipType::Unknown(UnknownValue::Id(7)))
    );
}

#[tokio::test]
async fn list_user_inventory_by_asset_type_reports_a_hidden_inventory() {
    let server = serve_json(
        403,
        r#"{"errors":[{"code":4,"message":"You are not authorized to view this user's inventory.","userFacingMessage":"Something went wrong"}]}"#,
    )
    .await;
    let error = client(&server)
        .list_user_inventory_by_asset_type()
        .user_id(2)
        .asset_type_id(8)
        .send()
        .await
        .expect_err("403 is an error");
    let Error::ErrorResponse(response) = error else {
        panic!("expected a typed error response");
    };
    assert_eq!(response.status().as_u16(), 403);
    let first = &response.errors[0];
    assert_eq!(first.code, Some(4));
    assert_eq!(
        first.user_facing_message.as_deref(),
        Some("Something went wrong")
    );
}

#[tokio::test]
async fn delete_inventory_asset_sends_delete_and_decodes_the_empty_object() {
    let server = serve_json(200, "{}").await;
    client(&server)
        .delete_inventory_asset()
        .asset_id(1_028_595)
        .send()
        .await
        .expect("{} decodes");
    let request = only_request(&server).await;
    assert_eq!(request_line(&request), "DELETE /v2/inventory/asset/1028595");
    assert_plain_headers(&request);
}

#[tokio::test]
async fn delete_inventory_asset_exposes_the_csrf_token_of_a_token_validation_failure() {
    let server = support::serve(
        wiremock::ResponseTemplate::new(403)
            .insert_header("x-csrf-token", "fresh-token")
            .set_body_raw(
                r#"{"errors":[{"code":0,"message":"Token Validation Failed"}]}"#,
                "application/json",
            ),
    )
    .await;
    let error = client(&server)
        .delete_inventory_asset()
        .asset_id(1)
        .send()
        .await
        .expect_err("403 is an error");
    let Error::ErrorResponse(response) = error else {
        panic!("expected a typed error response");
    };
    assert_eq!(response.headers()["x-csrf-token"], "fresh-token");
    assert_eq!(response.errors[0].code, Some(0));
}

#[tokio::test]
async fn an_undecodable_body_is_an_error_that_keeps_the_raw_bytes() {
    let server = serve_json(200, r#"{"data": "not a list"}"#).await;
    let error = client(&server)
        .list_asset_owners()
        .asset_id(1)
        .send()
        .await
        .expect_err("a string is not a list");
    match error {
        Error::InvalidResponsePayload(bytes, cause) => {
            assert_eq!(&bytes[..], br#"{"data": "not a list"}"#);
            assert!(cause.to_string().contains("invalid type"), "{cause}");
        }
        other => panic!("expected InvalidResponsePayload, got {other:?}"),
    }
}
