//! The contract: every body the emulator sends, for every operation and for both error envelopes, is checked
//! against the schemas in `spec/` by a strict validator (no field the schema lacks, no wrong JSON type, enums
//! and `nullable` honoured), so the emulator and the specs cannot drift apart.

mod common;

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use roblox_inventory_mock::MockServer;
use serde_json::{Map, Value};

struct Specs(Vec<Value>);

impl Specs {
    fn load() -> Self {
        let root = xtask::workspace_root();
        Self(
            ["legacy-v1", "legacy-v2", "cloud-v2"]
                .iter()
                .map(|name| {
                    xtask::specs::Spec::named(name)
                        .unwrap()
                        .load(&root)
                        .unwrap()
                })
                .collect(),
        )
    }

    /// (spec, operation) whose path template matches `path` for `method`.
    fn operation(&self, method: &Method, path: &str) -> (&Value, &Value) {
        for spec in &self.0 {
            for (template, item) in spec["paths"].as_object().unwrap() {
                if let (true, Some(operation)) = (
                    matches_template(template, path),
                    item.get(method.as_str().to_lowercase()),
                ) {
                    return (spec, operation);
                }
            }
        }
        panic!("no operation for {method} {path}");
    }

    fn operation_ids(&self) -> BTreeSet<String> {
        self.0
            .iter()
            .flat_map(|spec| spec["paths"].as_object().unwrap().values())
            .flat_map(|item| item.as_object().unwrap().values())
            .filter_map(|operation| operation.get("operationId")?.as_str().map(str::to_owned))
            .collect()
    }
}

fn matches_template(template: &str, path: &str) -> bool {
    let (a, b): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p)
}

fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').expect("local $ref");
            resolve(
                spec,
                spec.pointer(pointer)
                    .unwrap_or_else(|| panic!("dangling {reference}")),
            )
        }
        None => schema,
    }
}

/// Merges `allOf` members into one schema; the outer schema's keys (nullable, x-wire-note) win.
fn flatten(spec: &Value, schema: &Value) -> Map<String, Value> {
    let schema = resolve(spec, schema);
    let mut merged = Map::new();
    if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
        for member in members {
            for (key, value) in flatten(spec, member) {
                merged.insert(key, value);
            }
        }
    }
    for (key, value) in schema.as_object().unwrap() {
        if key != "allOf" {
            merged.insert(key.clone(), value.clone());
        }
    }
    merged
}

fn validate(spec: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let schema = flatten(spec, schema);
    if value.is_null() {
        // `nullable: true` beside a type, or (for a $ref that may be null) `oneOf: [$ref, {enum: [null]}]`.
        let listed = schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.contains(&Value::Null));
        if listed || schema.get("nullable") == Some(&Value::Bool(true)) {
            return;
        }
        if schema.get("oneOf").is_none() {
            return errors.push(format!("{at}: null but not nullable"));
        }
    }
    if let Some(variants) = schema.get("oneOf").and_then(Value::as_array) {
        let passing = variants
            .iter()
            .filter(|variant| {
                let mut inner = Vec::new();
                validate(spec, variant, value, at, &mut inner);
                inner.is_empty()
            })
            .count();
        if passing != 1 {
            errors.push(format!(
                "{at}: matches {passing} variants of oneOf, not exactly one"
            ));
        }
        return;
    }
    let names_allowed = schema
        .get("x-wire-note")
        .and_then(Value::as_str)
        .is_some_and(|note| note.contains("WIRE-QUIRKS 1;"));
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => {
            let Some(object) = value.as_object() else {
                return errors.push(format!("{at}: expected an object, got {value}"));
            };
            let empty = Map::new();
            let properties = schema
                .get("properties")
                .and_then(Value::as_object)
                .unwrap_or(&empty);
            for (key, field) in object {
                match properties.get(key) {
                    Some(field_schema) => {
                        validate(spec, field_schema, field, &format!("{at}.{key}"), errors)
                    }
                    None => errors.push(format!("{at}.{key}: not in the schema")),
                }
            }
            for required in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if !object.contains_key(required.as_str().unwrap()) {
                    errors.push(format!("{at}.{required}: required but missing"));
                }
            }
        }
        Some("array") => {
            let Some(items) = value.as_array() else {
                return errors.push(format!("{at}: expected an array, got {value}"));
            };
            for (index, item) in items.iter().enumerate() {
                validate(
                    spec,
                    &schema["items"],
                    item,
                    &format!("{at}[{index}]"),
                    errors,
                );
            }
        }
        Some("integer") => {
            let names = schema.get("x-enum-varnames").and_then(Value::as_array);
            if let (true, Some(name), Some(names)) = (names_allowed, value.as_str(), names) {
                if !names.iter().any(|known| known == name) {
                    errors.push(format!("{at}: {name:?} is not a name of the enum"));
                }
                return;
            }
            if !(value.is_i64() || value.is_u64()) {
                return errors.push(format!("{at}: expected an integer, got {value}"));
            }
            check_enum(&schema, value, at, errors);
        }
        Some("string") => {
            let Some(text) = value.as_str() else {
                return errors.push(format!("{at}: expected a string, got {value}"));
            };
            if schema.get("format").and_then(Value::as_str) == Some("date-time")
                && !is_date_time(text)
            {
                errors.push(format!("{at}: {text:?} is not a date-time"));
            }
            check_enum(&schema, value, at, errors);
        }
        Some("boolean") if !value.is_boolean() => {
            errors.push(format!("{at}: expected a boolean, got {value}"))
        }
        Some("boolean") => {}
        other => errors.push(format!(
            "{at}: schema without a type the validator knows ({other:?})"
        )),
    }
}

fn check_enum(schema: &Map<String, Value>, value: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(values) = schema.get("enum").and_then(Value::as_array)
        && !values.contains(value)
    {
        errors.push(format!("{at}: {value} is not one of the enum's values"));
    }
}

fn is_date_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 19
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes[10] == b'T'
        && bytes[13] == b':'
}

struct Recorder {
    server: MockServer,
    http: reqwest::Client,
    specs: Specs,
    seen: BTreeSet<String>,
    statuses: BTreeSet<(String, u16)>,
}

impl Recorder {
    /// Sends a request, validates the answer against the operation's schema for its status, returns it.
    async fn check(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.server.url()));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let header_map = response.headers().clone();
        let body: Value = response
            .json()
            .await
            .unwrap_or_else(|error| panic!("{method} {path}: body is not JSON: {error}"));
        let bare_path = path.split('?').next().unwrap();
        let (spec, operation) = self.specs.operation(&method, bare_path);
        let id = operation["operationId"].as_str().unwrap().to_owned();
        let responses = &operation["responses"];
        let class = format!("{}XX", status.as_u16() / 100);
        let declared = responses
            .get(status.as_str())
            .or_else(|| responses.get(&class))
            .unwrap_or_else(|| panic!("{id}: status {status} is not declared"));
        let schema = &declared["content"]["application/json"]["schema"];
        let mut errors = Vec::new();
        validate(spec, schema, &body, "$", &mut errors);
        assert!(
            errors.is_empty(),
            "{id} {status} {body}:\n{}",
            errors.join("\n")
        );
        self.seen.insert(id.clone());
        self.statuses.insert((id, status.as_u16()));
        (status, header_map, body)
    }

    /// A legacy mutation through the CSRF dance; both the 403 and the final answer are checked.
    async fn mutate(&mut self, method: Method, path: &str) -> (StatusCode, Value) {
        let cookie = format!(".ROBLOSECURITY={}", common::COOKIE);
        let (status, headers, _) = self
            .check(method.clone(), path, &[("cookie", &cookie)])
            .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "{path}: a mutation without a token is refused"
        );
        let token = headers
            .get("x-csrf-token")
            .expect("fresh token")
            .to_str()
            .unwrap()
            .to_owned();
        let (status, _, body) = self
            .check(
                method,
                path,
                &[("cookie", &cookie), ("x-csrf-token", &token)],
            )
            .await;
        (status, body)
    }
}

#[tokio::test]
async fn every_response_matches_the_spec() {
    let server = common::start().await;
    let world = server.world().clone();
    let mut r = Recorder {
        server,
        http: reqwest::Client::new(),
        specs: Specs::load(),
        seen: BTreeSet::new(),
        statuses: BTreeSet::new(),
    };
    let cookie = format!(".ROBLOSECURITY={}", common::COOKIE);
    let cookie = [("cookie", cookie.as_str())];
    let key = [("x-api-key", common::API_KEY)];
    let user = common::PUBLIC;
    let items: Vec<_> = world.inventory(user).iter().collect();
    let limited = items
        .iter()
        .find(|item| item.collectible().is_some())
        .unwrap();
    let plain = items
        .iter()
        .find(|item| item.asset_id().is_some() && item.collectible().is_none())
        .unwrap();
    let pass = items.iter().find_map(|item| match item.kind {
        roblox_inventory_mock::ItemKind::GamePass { game_pass_id } => Some(game_pass_id),
        _ => None,
    });

    // Legacy v1.
    r.check(Method::GET, "/v1/packages/123/assets", &[]).await;
    let (_, _, page) = r
        .check(
            Method::GET,
            &format!("/v1/users/{user}/assets/collectibles?limit=10"),
            &[],
        )
        .await;
    if let Some(next) = page["nextPageCursor"].as_str() {
        let (_, _, second) = r
            .check(
                Method::GET,
                &format!("/v1/users/{user}/assets/collectibles?limit=10&cursor={next}"),
                &[],
            )
            .await;
        assert!(second["previousPageCursor"].is_string());
    }
    r.check(
        Method::GET,
        &format!("/v1/users/{user}/assets/collectibles?assetType=Nope"),
        &[],
    )
    .await;
    r.check(
        Method::GET,
        &format!("/v1/users/{}/assets/collectibles", common::OWNER),
        &[],
    )
    .await;
    r.check(
        Method::GET,
        &format!("/v1/users/{user}/can-view-inventory"),
        &[],
    )
    .await;
    r.check(Method::GET, "/v1/users/0/can-view-inventory", &[])
        .await;
    r.check(Method::GET, &format!("/v1/users/{user}/categories"), &[])
        .await;
    r.check(
        Method::GET,
        &format!("/v1/users/{user}/categories/favorites"),
        &[],
    )
    .await;
    let asset = limited.asset_id().unwrap();
    r.check(
        Method::GET,
        &format!("/v1/users/{user}/items/Asset/{asset}"),
        &[],
    )
    .await;
    r.check(
        Method::GET,
        &format!("/v1/users/{user}/items/Nope/{asset}"),
        &[],
    )
    .await;
    if let Some(pass) = pass {
        let (_, _, owned) = r
            .check(
                Method::GET,
                &format!("/v1/users/{user}/items/GamePass/{pass}/is-owned"),
                &[],
            )
            .await;
        assert_eq!(owned, Value::Bool(true), "is-owned answers a bare boolean");
    }
    r.check(
        Method::GET,
        &format!("/v1/users/{user}/items/Asset/5/is-owned"),
        &[],
    )
    .await;
    r.check(
        Method::GET,
        &format!("/v1/users/{user}/places/inventory?placesTab=0&itemsPerPage=2&cursor=0"),
        &[],
    )
    .await;
    r.check(
        Method::GET,
        &format!("/v1/users/{user}/places/inventory?placesTab=9&itemsPerPage=2&cursor=0"),
        &[],
    )
    .await;
    let owner_asset = world
        .inventory(common::OWNER)
        .iter()
        .find_map(|item| item.asset_id())
        .unwrap();
    let (status, body) = r
        .mutate(
            Method::POST,
            &format!("/v1/collections/items/Asset/{owner_asset}"),
        )
        .await;
    assert_eq!((status, body), (StatusCode::OK, serde_json::json!({})));
    r.mutate(
        Method::DELETE,
        &format!("/v1/collections/items/Asset/{owner_asset}"),
    )
    .await;
    r.mutate(
        Method::DELETE,
        &format!("/v1/collections/items/Asset/{owner_asset}"),
    )
    .await;

    // Legacy v2.
    r.check(
        Method::GET,
        &format!("/v2/assets/{asset}/owners?limit=25&sortOrder=Desc"),
        &[],
    )
    .await;
    r.check(Method::GET, "/v2/assets/1/owners", &[]).await;
    let item_id = limited.collectible().unwrap().item_id.clone();
    r.check(
        Method::GET,
        &format!("/v2/collectible-items/{item_id}/owners?sortOrder=2"),
        &cookie,
    )
    .await;
    r.check(
        Method::GET,
        &format!("/v2/collectible-items/{item_id}/owners"),
        &[],
    )
    .await;
    r.check(
        Method::GET,
        &format!("/v2/users/{user}/inventory?assetTypes=Hat,Shirt,8&limit=100"),
        &[],
    )
    .await;
    r.check(
        Method::GET,
        &format!("/v2/users/{user}/inventory?assetTypes=GamePass"),
        &[],
    )
    .await;
    r.check(
        Method::GET,
        &format!("/v2/users/{user}/inventory/8?limit=7"),
        &[],
    )
    .await;
    r.check(
        Method::GET,
        &format!("/v2/users/{user}/inventory/8?limit=10&sortOrder=Desc"),
        &[],
    )
    .await;
    r.check(
        Method::GET,
        &format!("/v2/users/{}/inventory/8", common::OWNER),
        &[],
    )
    .await;
    let owned_plain = world
        .inventory(common::OWNER)
        .iter()
        .find(|i| i.asset_id().is_some() && i.collectible().is_none())
        .unwrap();
    let (status, _) = r
        .mutate(
            Method::DELETE,
            &format!("/v2/inventory/asset/{}", owned_plain.asset_id().unwrap()),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    r.mutate(
        Method::DELETE,
        &format!("/v2/inventory/asset/{}", plain.asset_id().unwrap()),
    )
    .await;

    // Open Cloud: a page, the last page, a v2 error and a gateway error.
    let cloud = format!("/cloud/v2/users/{user}/inventory-items");
    let (_, _, page) = r
        .check(Method::GET, &format!("{cloud}?maxPageSize=1000"), &key)
        .await;
    assert_eq!(
        page["inventoryItems"].as_array().unwrap().len(),
        100,
        "maxPageSize is clamped to 100"
    );
    let (_, _, last) = r
        .check(
            Method::GET,
            &format!("{cloud}?filter=badges%3Dtrue&maxPageSize=100"),
            &key,
        )
        .await;
    assert_eq!(last["nextPageToken"], "");
    let (status, _, error) = r
        .check(
            Method::GET,
            &format!("{cloud}?filter=badges%3Dtrue%3BassetIds%3D1"),
            &key,
        )
        .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("INVALID_ARGUMENT"))
    );
    let (status, _, error) = r
        .check(Method::GET, &cloud, &[("x-api-key", "wrong")])
        .await;
    assert!(
        status.is_client_error() && error["errors"].is_array(),
        "{status} {error}"
    );

    assert_eq!(
        r.seen,
        r.specs.operation_ids(),
        "every operation was exercised"
    );
    let errors = r
        .statuses
        .iter()
        .filter(|(_, status)| *status >= 400)
        .count();
    assert!(
        errors >= 10,
        "error answers were checked too: {:?}",
        r.statuses
    );
}

#[test]
fn the_validator_rejects_drift() {
    let specs = Specs::load();
    let spec = &specs.0[1];
    let schema = serde_json::json!({"$ref": "#/components/schemas/InventoryItemModelPage"});
    let check = |body: Value| {
        let mut errors = Vec::new();
        validate(spec, &schema, &body, "$", &mut errors);
        errors
    };
    assert!(check(serde_json::json!({"data": [], "nextPageCursor": null})).is_empty());
    assert!(
        !check(serde_json::json!({"data": [{"surprise": 1}]})).is_empty(),
        "unknown field"
    );
    assert!(
        !check(serde_json::json!({"data": [{"userAssetId": "1"}]})).is_empty(),
        "wrong type"
    );
    assert!(
        !check(serde_json::json!({"data": [{"assetName": null}]})).is_empty(),
        "null where not nullable"
    );
    assert!(
        !check(serde_json::json!({"data": [{"owner": {"buildersClubMembershipType": "None"}}]}))
            .is_empty()
    );
    let error = serde_json::json!({"$ref": "#/components/schemas/OpenCloudError"});
    let mut errors = Vec::new();
    validate(
        &specs.0[2],
        &error,
        &serde_json::json!({"code": "NOPE"}),
        "$",
        &mut errors,
    );
    assert!(
        !errors.is_empty(),
        "an unknown v2 code matches neither error shape"
    );
}
