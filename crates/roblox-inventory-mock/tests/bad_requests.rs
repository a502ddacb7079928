//! Requests Roblox refuses are refused here too, with its error shapes naming the offending value.

mod common;

use reqwest::StatusCode;
use serde_json::Value;

async fn get(
    server: &roblox_inventory_mock::MockServer,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new().get(format!("{}{path}", server.url()));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.json().await.unwrap())
}

#[tokio::test]
async fn legacy_limits_other_than_the_four_sizes_are_400_naming_the_value() {
    let server = common::start().await;
    for limit in ["7", "101", "ten"] {
        let (status, body) = get(
            &server,
            &format!("/v2/users/{}/inventory/8?limit={limit}", common::PUBLIC),
            &[],
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains(limit),
            "{body}"
        );
    }
    for limit in ["10", "25", "50", "100"] {
        let (status, _) = get(
            &server,
            &format!("/v2/users/{}/inventory/8?limit={limit}", common::PUBLIC),
            &[],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test]
async fn legacy_cursors_are_bound_to_their_parameters_and_null_at_the_ends() {
    let server = common::start().await;
    let base = format!("/v2/users/{}/inventory", common::PUBLIC);
    let (_, first) = get(&server, &format!("{base}?assetTypes=Hat&limit=10"), &[]).await;
    assert!(first["previousPageCursor"].is_null());
    let next = first["nextPageCursor"]
        .as_str()
        .expect("a second page")
        .to_owned();
    let (status, _) = get(
        &server,
        &format!("{base}?assetTypes=Shirt&limit=10&cursor={next}"),
        &[],
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a cursor replayed with other asset types"
    );
    let (status, _) = get(
        &server,
        &format!("{base}?assetTypes=Hat&limit=10&cursor=garbage"),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Walk to the end: the last page has a null next cursor; then walk back to the first page.
    let mut cursor = next;
    let mut pages = 1;
    let last = loop {
        let (status, page) = get(
            &server,
            &format!("{base}?assetTypes=Hat&limit=10&cursor={cursor}"),
            &[],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        pages += 1;
        match page["nextPageCursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break page,
        }
    };
    assert!(pages >= 2);
    let back = last["previousPageCursor"].as_str().unwrap();
    let (_, before_last) = get(
        &server,
        &format!("{base}?assetTypes=Hat&limit=10&cursor={back}"),
        &[],
    )
    .await;
    assert_eq!(before_last["data"].as_array().unwrap().len(), 10);
    let (_, desc) = get(
        &server,
        &format!("{base}?assetTypes=Hat&limit=10&sortOrder=Desc"),
        &[],
    )
    .await;
    let name = |page: &Value, i: usize| page["data"][i]["created"].as_str().unwrap().to_owned();
    assert!(name(&desc, 0) > name(&desc, 1), "Desc lists newest first");
    assert_eq!(
        first["data"][0]["assetType"], "Hat",
        "assetType is the name here (WIRE-QUIRKS 1)"
    );
}

#[tokio::test]
async fn asset_types_are_checked() {
    let server = common::start().await;
    let user = common::PUBLIC;
    for query in [
        "assetTypes=Nope",
        "assetTypes=34",
        "assetTypes=Badge",
        "limit=10",
    ] {
        let (status, body) =
            get(&server, &format!("/v2/users/{user}/inventory?{query}"), &[]).await;
        assert_eq!(
            (status, body["errors"][0]["code"].as_i64()),
            (StatusCode::BAD_REQUEST, Some(2)),
            "{query}"
        );
    }
    let (status, _) = get(
        &server,
        &format!("/v2/users/{user}/inventory?assetTypes=8,41"),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = get(&server, &format!("/v2/users/{user}/inventory/14"), &[]).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "14 is not an asset type id"
    );
}

#[tokio::test]
async fn open_cloud_refuses_bad_filters_and_changed_filters() {
    let server = common::start().await;
    let key = [("x-api-key", common::API_KEY)];
    let base = format!("/cloud/v2/users/{}/inventory-items", common::PUBLIC);
    for filter in [
        "badges%3Dtrue%3BassetIds%3D1",
        "nope%3D1",
        "badges%3Dyes",
        "inventoryItemAssetTypes%3DHATS",
    ] {
        let (status, body) = get(&server, &format!("{base}?filter={filter}"), &key).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("INVALID_ARGUMENT")),
            "{filter}"
        );
    }
    let (_, page) = get(
        &server,
        &format!("{base}?filter=inventoryItemAssetTypes%3D*"),
        &key,
    )
    .await;
    assert_eq!(
        page["inventoryItems"].as_array().unwrap().len(),
        10,
        "default page size"
    );
    let token = page["nextPageToken"].as_str().unwrap();
    assert!(!token.is_empty());
    let (status, body) = get(
        &server,
        &format!("{base}?filter=badges%3Dtrue&pageToken={token}"),
        &key,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("INVALID_ARGUMENT"))
    );
    let (status, _) = get(
        &server,
        &format!("{base}?filter=inventoryItemAssetTypes%3D*&pageToken={token}"),
        &key,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = get(&server, "/cloud/v2/users/abc/inventory-items", &key).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let ids = get(
        &server,
        &format!("{base}?filter=gamePassIds%3D1%2C2&maxPageSize=100"),
        &key,
    )
    .await
    .1;
    assert_eq!(ids["nextPageToken"], "");
}

#[tokio::test]
async fn hidden_inventories_answer_403_with_code_4_and_can_view_agrees() {
    let server = common::start().await;
    let owner = common::OWNER;
    let (status, body) = get(
        &server,
        &format!("/v2/users/{owner}/inventory?assetTypes=Hat"),
        &[],
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_i64()),
        (StatusCode::FORBIDDEN, Some(4))
    );
    let (_, can) = get(
        &server,
        &format!("/v1/users/{owner}/can-view-inventory"),
        &[],
    )
    .await;
    assert_eq!(can["canView"], false);
    let cookie = format!(".ROBLOSECURITY={}", common::COOKIE);
    let (status, _) = get(
        &server,
        &format!("/v2/users/{owner}/inventory?assetTypes=Hat"),
        &[("cookie", &cookie)],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, can) = get(
        &server,
        &format!("/v1/users/{owner}/can-view-inventory"),
        &[("cookie", &cookie)],
    )
    .await;
    assert_eq!(can["canView"], true);
}
