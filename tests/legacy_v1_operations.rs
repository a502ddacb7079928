//! Every legacy v1 operation: the request the client sends, and decoding bodies shaped like Roblox's.

mod support;

use roblox_inventory_legacy_v1::types::{
    AssetType, AssetsExplorerCategoryItemType, BuildersClubMembershipType, CollectionItemType,
    CreatorType, ItemType, PageLimit, PlacesTab, SortOrder,
};
use roblox_inventory_legacy_v1::{Client, Error, UnknownValue};
use support::{assert_plain_headers, only_request, request_line, serve_json};

fn client(server: &wiremock::MockServer) -> Client {
    Client::new(&server.uri())
}

#[tokio::test]
async fn list_package_assets() {
    let server = serve_json(200, r#"{"assetIds":[1028595,14011666016],"extra":1}"#).await;
    let body = client(&server)
        .list_package_assets()
        .package_id(193_700_907)
        .send()
        .await
        .expect("decodes")
        .into_inner();
    let request = only_request(&server).await;
    // The docs name the parameter `packageID`; the path template is what counts (WIRE-QUIRKS 8).
    assert_eq!(request_line(&request), "GET /v1/packages/193700907/assets");
    assert_plain_headers(&request);
    assert_eq!(body.asset_ids, [1_028_595, 14_011_666_016]);
}

#[tokio::test]
async fn list_user_collectibles_decodes_nulls_and_integer_membership() {
    // serialNumber, originalPrice and assetStock are null for most items; buildersClubMembershipType is an int
    // (WIRE-QUIRKS 2, 5).
    let server = serve_json(
        200,
        r#"{"previousPageCursor":null,"nextPageCursor":"12345_1_abc","data":[
            {"userAssetId":205798681007,"serialNumber":null,"assetId":1285307,"name":"Crimson Catseye",
             "recentAveragePrice":1500,"originalPrice":null,"assetStock":null,"buildersClubMembershipType":0,
             "isOnHold":false},
            {"userAssetId":2,"serialNumber":17,"assetId":3,"recentAveragePrice":20,"originalPrice":100,
             "assetStock":500,"buildersClubMembershipType":4}]}"#,
    )
    .await;
    let page = client(&server)
        .list_user_collectibles()
        .user_id(1)
        .asset_type(AssetType::Hat)
        .limit(PageLimit::OneHundred)
        .sort_order(SortOrder::Asc)
        .cursor("12345_1_prev")
        .send()
        .await
        .expect("decodes")
        .into_inner();
    let request = only_request(&server).await;
    assert_eq!(
        request_line(&request),
        "GET /v1/users/1/assets/collectibles?assetType=8&cursor=12345_1_prev&limit=100&sortOrder=Asc"
    );
    assert_plain_headers(&request);
    assert_eq!(page.previous_page_cursor, None);
    let first = &page.data[0];
    assert_eq!(first.user_asset_id, Some(205_798_681_007));
    assert_eq!(
        (first.serial_number, first.original_price, first.asset_stock),
        (None, None, None)
    );
    assert_eq!(
        first.builders_club_membership_type,
        Some(BuildersClubMembershipType::None)
    );
    assert_eq!(page.data[1].serial_number, Some(17));
    assert_eq!(
        page.data[1].builders_club_membership_type,
        Some(BuildersClubMembershipType::RobloxPremium)
    );
}

#[tokio::test]
async fn list_user_collectibles_decodes_an_error_without_a_code_number() {
    let server = serve_json(
        400,
        r#"{"errors":[{"code":0,"message":"Something went wrong"}]}"#,
    )
    .await;
    let error = client(&server)
        .list_user_collectibles()
        .user_id(-5)
        .send()
        .await
        .expect_err("400");
    assert_eq!(
        request_line(&only_request(&server).await),
        "GET /v1/users/-5/assets/collectibles"
    );
    let Error::ErrorResponse(response) = error else {
        panic!("expected a typed error");
    };
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(
        response.errors[0].message.as_deref(),
        Some("Something went wrong")
    );
}

#[tokio::test]
async fn can_view_inventory() {
    let server = serve_json(200, r#"{"canView":false}"#).await;
    let body = client(&server)
        .can_view_inventory()
        .user_id(156)
        .send()
        .await
        .expect("decodes")
        .into_inner();
    let request = only_request(&server).await;
    assert_eq!(
        request_line(&request),
        "GET /v1/users/156/can-view-inventory"
    );
    assert_plain_headers(&request);
    assert_eq!(body.can_view, Some(false));
}

#[tokio::test]
async fn get_user_categories_decodes_new_item_types() {
    let server = serve_json(
        200,
        r#"{"categories":[{"name":"Accessories","displayName":"Accessories","categoryType":"Accessories","items":[
            {"name":"Hats","displayName":"Hats","id":8,"type":0,"categoryType":"Hats"},
            {"name":"Avatars","displayName":"Avatars","id":1,"type":4},
            {"name":"Future","id":2,"type":9}]}]}"#,
    )
    .await;
    let body = client(&server)
        .get_user_categories()
        .user_id(1)
        .send()
        .await
        .expect("decodes")
        .into_inner();
    let request = only_request(&server).await;
    assert_eq!(request_line(&request), "GET /v1/users/1/categories");
    assert_plain_headers(&request);
    let items = &body.categories[0].items;
    assert_eq!(
        items[0].type_,
        Some(AssetsExplorerCategoryItemType::AssetType)
    );
    assert_eq!(items[1].type_, Some(AssetsExplorerCategoryItemType::Avatar));
    assert_eq!(
        items[2].type_,
        Some(AssetsExplorerCategoryItemType::Unknown(UnknownValue::Id(9)))
    );
}

#[tokio::test]
async fn get_user_favorite_categories() {
    let server = serve_json(200, r#"{"categories":[]}"#).await;
    let body = client(&server)
        .get_user_favorite_categories()
        .user_id(1)
        .send()
        .await
        .expect("decodes")
        .into_inner();
    let request = only_request(&server).await;
    assert_eq!(
        request_line(&request),
        "GET /v1/users/1/categories/favorites"
    );
    assert_plain_headers(&request);
    assert!(body.categories.is_empty());
}

#[tokio::test]
async fn list_user_item_instances_puts_the_item_type_name_in_the_path() {
    // Clients send the name (`GamePass`), not the documented integer (WIRE-QUIRKS 3); `type` may come back as
    // a name too.
    let server = serve_json(
        200,
        r#"{"previousPageCursor":null,"nextPageCursor":null,"data":[
            {"type":"GamePass","id":18152543,"name":"VIP"},
            {"type":1,"id":18152543,"name":"VIP","instanceId":42}]}"#,
    )
    .await;
    let page = client(&server)
        .list_user_item_instances()
        .user_id(1)
        .item_type(ItemType::GamePass)
        .item_target_id(18_152_543)
        .send()
        .await
        .expect("decodes")
        .into_inner();
    let request = only_request(&server).await;
    assert_eq!(
        request_line(&request),
        "GET /v1/users/1/items/GamePass/18152543"
    );
    assert_plain_headers(&request);
    assert_eq!(page.data[0].type_, Some(ItemType::GamePass));
    assert_eq!(page.data[1].type_, Some(ItemType::GamePass));
    assert_eq!(page.data[1].instance_id, Some(42));
}

#[tokio::test]
async fn a_null_the_spec_does_not_declare_still_decodes_as_absent() {
    // The spec marks nullable only what Roblox is seen to send as null; a null anywhere else must not fail the
    // page either.
    let server = serve_json(
        200,
        r#"{"previousPageCursor":null,"nextPageCursor":null,"data":[
            {"type":"Asset","id":1028595,"name":null,"instanceId":null}]}"#,
    )
    .await;
    let page = client(&server)
        .list_user_item_instances()
        .user_id(1)
        .item_type(ItemType::Asset)
        .item_target_id(1_028_595)
        .send()
        .await
        .expect("decodes")
        .into_inner();
    assert_eq!(page.data[0].id, Some(1_028_595));
    assert_eq!(page.data[0].instance_id, None);
    assert_eq!(page.data[0].name, None);
}

#[tokio::test]
async fn is_item_owned_decodes_a_bare_boolean() {
    let server = serve_json(200, "true").await;
    let owned = client(&server)
        .is_item_owned()
        .user_id(1)
        .item_type(ItemType::Asset)
        .item_target_id(1_028_595)
        .send()
        .await
        .expect("decodes")
        .into_inner();
    let request = only_request(&server).await;
    assert_eq!(
        request_line(&request),
        "GET /v1/users/1/items/Asset/1028595/is-owned"
    );
    assert_plain_headers(&request);
    assert!(owned);
}

#[tokio::test]
async fn is_item_owned_reports_an_invalid_item_type() {
    let server = serve_json(
        400,
        r#"{"errors":[{"code":6,"message":"The specified item type does not exist."}]}"#,
    )
    .await;
    let error = client(&server)
        .is_item_owned()
        .user_id(1)
        .item_type(ItemType::Unknown(UnknownValue::Id(9)))
        .item_target_id(1)
        .send()
        .await
        .expect_err("400");
    assert_eq!(
        request_line(&only_request(&server).await),
        "GET /v1/users/1/items/9/1/is-owned"
    );
    let Error::ErrorResponse(response) = error else {
        panic!("expected a typed error");
    };
    assert_eq!(response.errors[0].code, Some(6));
}

#[tokio::test]
async fn list_user_places_sends_its_required_integer_paging() {
    let server = serve_json(
        200,
        r#"{"previousPageCursor":null,"nextPageCursor":"2","data":[
            {"universeId":13058,"placeId":1818,"name":"Crossroads",
             "creator":{"id":1,"name":"Roblox","type":2}},
            {"universeId":1,"placeId":2,"creator":{"id":3,"type":"Experience"}}]}"#,
    )
    .await;
    let page = client(&server)
        .list_user_places()
        .user_id(1)
        .places_tab(PlacesTab::Tab1)
        .items_per_page(25)
        .cursor(0)
        .send()
        .await
        .expect("decodes")
        .into_inner();
    let request = only_request(&server).await;
    assert_eq!(
        request_line(&request),
        "GET /v1/users/1/places/inventory?cursor=0&itemsPerPage=25&placesTab=1"
    );
    assert_plain_headers(&request);
    assert_eq!(
        page.data[0].creator.as_ref().unwrap().type_,
        Some(CreatorType::Group)
    );
    assert_eq!(
        page.data[1].creator.as_ref().unwrap().type_,
        Some(CreatorType::Experience)
    );
    assert_eq!(page.data[0].price_in_robux, None);
}

#[tokio::test]
async fn list_user_places_fails_before_sending_when_a_required_parameter_is_missing() {
    let server = serve_json(200, "{}").await;
    let error = client(&server)
        .list_user_places()
        .user_id(1)
        .places_tab(PlacesTab::Tab0)
        .send()
        .await
        .expect_err("cursor and itemsPerPage are required");
    assert!(error.to_string().contains("was not initialized"), "{error}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn add_item_to_collection_puts_the_documented_type_number_in_the_path() {
    // Roblox documents only the numbers 0..3 for this path; names are seen accepted on /v1/users/{id}/items/...
    // only, so the documented form is sent.
    let server = serve_json(200, "{}").await;
    client(&server)
        .add_item_to_collection()
        .item_type(CollectionItemType::Bundle)
        .item_target_id(192)
        .send()
        .await
        .expect("{} decodes");
    let request = only_request(&server).await;
    assert_eq!(request_line(&request), "POST /v1/collections/items/3/192");
    assert_eq!(
        support::header(&request, "accept"),
        Some("application/json")
    );
    assert!(support::header(&request, "api-version").is_none());
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn remove_item_from_collection_surfaces_token_validation_failure() {
    let server = support::serve(
        wiremock::ResponseTemplate::new(403)
            .insert_header("x-csrf-token", "n3w")
            .set_body_raw(
                r#"{"errors":[{"code":0,"message":"Token Validation Failed"}]}"#,
                "application/json",
            ),
    )
    .await;
    let error = client(&server)
        .remove_item_from_collection()
        .item_type(CollectionItemType::Asset)
        .item_target_id(1_028_595)
        .send()
        .await
        .expect_err("403");
    let request = only_request(&server).await;
    assert_eq!(
        request_line(&request),
        "DELETE /v1/collections/items/0/1028595"
    );
    let Error::ErrorResponse(response) = error else {
        panic!("expected a typed error");
    };
    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(response.headers()["x-csrf-token"], "n3w");
    assert_eq!(
        response.errors[0].message.as_deref(),
        Some("Token Validation Failed")
    );
}
