//! The operation added to the scratch spec pages with no hand-written line: through its own `stream()`, and
//! through the facade's one generic `Scan`, with the facade's credential on it and the facade's errors naming
//! it from the operation table.

use futures_util::TryStreamExt;
use roblox_inventory::{Error, PaginationError, Request};
use roblox_inventory_scratch_operation::{Client, operations};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PATH: &str = "/v2/scratch/5/owners";

/// Pages `cursor -> ids, next`, as the legacy API writes them.
async fn page(server: &MockServer, cursor: Option<&str>, ids: &[u64], next: Option<&str>) {
    let data: Vec<_> = ids
        .iter()
        .map(|id| serde_json::json!({"id": id, "serialNumber": null, "owner": null}))
        .collect();
    let body =
        serde_json::json!({"previousPageCursor": null, "nextPageCursor": next, "data": data});
    let mock = Mock::given(method("GET"))
        .and(path(PATH))
        .and(query_param("limit", "100"));
    let mock = match cursor {
        Some(cursor) => mock.and(query_param("cursor", cursor)),
        None => mock.and(query_param_is_missing("cursor")),
    };
    mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

async fn three_pages() -> MockServer {
    let server = MockServer::start().await;
    page(&server, None, &[1, 2], Some("c2")).await;
    page(&server, Some("c2"), &[], Some("c3")).await;
    page(&server, Some("c3"), &[3], None).await;
    server
}

fn ids<T: serde::Serialize>(owners: &[T]) -> Vec<u64> {
    owners
        .iter()
        .map(|owner| serde_json::to_value(owner).unwrap()["id"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn the_added_operation_streams_every_page_by_itself() {
    let server = three_pages().await;
    let client = Client::new(&server.uri());
    let owners: Vec<_> = client
        .list_scratch_owners()
        .asset_id(5)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&owners), [1, 2, 3]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);

    // The operation table has it, with the path it was added at.
    assert!(
        operations::ALL
            .iter()
            .any(|operation| operation.id == "listScratchOwners"
                && operation.path == "/v2/scratch/{assetId}/owners")
    );
}

#[tokio::test]
async fn the_added_operation_pages_through_the_facades_generic_scan() {
    let server = three_pages().await;
    let client = Client::new(&server.uri());
    let facade = roblox_inventory::Client::builder()
        .legacy_url(server.uri())
        .cookie("scratch-cookie")
        .build()
        .unwrap();
    let pages: Vec<_> = facade
        .scan(client.list_scratch_owners().asset_id(5))
        .pages()
        .try_collect()
        .await
        .unwrap();
    let cursors: Vec<_> = pages
        .iter()
        .map(|page| (page.cursor.clone(), page.next.clone()))
        .collect();
    assert_eq!(
        cursors,
        [
            (None, Some("c2".to_owned())),
            (Some("c2".to_owned()), Some("c3".to_owned())),
            (Some("c3".to_owned()), None)
        ]
    );
    // The facade sent it as one of the legacy host's own: with the cookie.
    for request in server.received_requests().await.unwrap() {
        assert_eq!(request.headers["cookie"], ".ROBLOSECURITY=scratch-cookie");
    }

    // A failure is the facade's error, naming the request from the operation table.
    let failing = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            serde_json::json!({"errors": [{"code": 1, "message": "The asset id is invalid."}]}),
        ))
        .mount(&failing)
        .await;
    let failing_client = Client::new(&failing.uri());
    let request = failing_client.list_scratch_owners().asset_id(5);
    assert_eq!(request.path(), PATH);
    let error = facade.scan(request).items().try_collect::<Vec<_>>().await;
    match error {
        Err(PaginationError::Fetch {
            source: Error::Api(api),
            ..
        }) => {
            assert_eq!(api.request.to_string(), format!("GET {PATH}"));
            assert_eq!(api.request.operation.id, "listScratchOwners");
        }
        other => panic!("expected the facade's API error, got {other:?}"),
    }
}
